package pdf

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// A font file read part by part gives the file's bytes at every offset and
// length, across block edges and past the end, before and after the file
// is read whole.
func TestFontFileReadsTheFileAsItIs(t *testing.T) {
	path := "../../fonts/gkai00mp.ttf"
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := openFontFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	check := func(stage string) {
		size := int64(len(want))
		for _, r := range [][2]int64{{0, 12}, {fontBlock - 3, 7}, {3*fontBlock - 1, 2*fontBlock + 2}, {size - 5, 5}, {size - 5, 9}, {size, 1}} {
			readRange(t, stage, f, want, r[0], r[1])
		}
		for range 200 {
			readRange(t, stage, f, want, rng.Int64N(size), 1+rng.Int64N(3*fontBlock))
		}
	}
	check("read in parts")
	whole, err := f.bytes()
	if err != nil || !bytes.Equal(whole, want) {
		t.Fatalf("bytes: %d bytes, %v; the file has %d", len(whole), err, len(want))
	}
	check("read whole")
}

func readRange(t *testing.T, stage string, f *fontFile, want []byte, off, n int64) {
	t.Helper()
	p := make([]byte, n)
	got, err := f.ReadAt(p, off)
	end := min(off+n, int64(len(want)))
	if got != int(end-off) || !bytes.Equal(p[:got], want[off:end]) {
		t.Fatalf("%s: ReadAt(%d bytes at %d) = %d bytes, not the file's %d", stage, n, off, got, end-off)
	}
	if short := end < off+n; short != (err != nil) {
		t.Fatalf("%s: ReadAt(%d bytes at %d of %d): error %v", stage, n, off, len(want), err)
	}
}

// Opening the fonts and measuring Chinese text reads a small part of each
// font file: a run checks its templates before reading the exports, and
// need not hold 35 MB of fonts through the reading.
func TestMeasuringReadsLittleOfAFont(t *testing.T) {
	for _, path := range []string{"../../fonts/NotoSansSC-Regular.ttf", "../../fonts/gbsn00lp.ttf"} {
		f, err := loadFace(path, roleBody)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for _, r := range "静安区城市管理行政执法局执法工作月报，案卷抽查率１０％。ABC123" {
			if _, ok := f.advance(&buf, r); !ok {
				t.Fatalf("%s: no glyph for %q", filepath.Base(path), r)
			}
		}
		read := int64(len(f.file.blocks)) * fontBlock
		if read > f.file.size/4 {
			t.Errorf("%s: %d KiB of %d KiB read to measure a line", filepath.Base(path), read>>10, f.file.size>>10)
		}
	}
}
