package sample

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// readTree returns every file under dir (or an fs.FS root) by slash path.
func readTree(t *testing.T, fsys fs.FS) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[path], err = fs.ReadFile(fsys, path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameTrees(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for path, w := range want {
		g, ok := got[path]
		switch {
		case !ok:
			t.Errorf("%s: %s missing", what, path)
		case !bytes.Equal(g, w):
			t.Errorf("%s: %s differs (%d bytes, want %d)", what, path, len(g), len(w))
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("%s: unexpected %s", what, path)
		}
	}
}

func generate(t *testing.T, opt Options) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	if err := Generate(dir, opt); err != nil {
		t.Fatal(err)
	}
	return readTree(t, os.DirFS(dir))
}

// The embedded set is what the default options generate today: `go
// generate` has been run since the generator last changed. This is also the
// determinism check across processes (and excelize's document times).
func TestEmbeddedSetIsCurrent(t *testing.T) {
	sameTrees(t, "generated vs embedded", generate(t, DefaultOptions()), readTree(t, FS()))
}

func TestSameSeedSameBytes(t *testing.T) {
	opt := DefaultOptions()
	opt.First, opt.Last, opt.Scale = "2025-05", "2025-07", 0.3
	first := generate(t, opt)
	sameTrees(t, "second run", generate(t, opt), first)

	opt.Seed++
	other := generate(t, opt)
	differ := 0
	for path := range first {
		if !bytes.Equal(first[path], other[path]) {
			differ++
		}
	}
	if differ < len(first)/2 {
		t.Errorf("seed+1 changed %d of %d files, want most", differ, len(first))
	}
}

// A month folder does not depend on the range it is generated in, so a
// caller can generate only the months it needs.
func TestMonthIndependentOfRange(t *testing.T) {
	opt := DefaultOptions()
	opt.First, opt.Last = "2025-06", "2025-06"
	want := map[string][]byte{}
	for path, b := range readTree(t, FS()) {
		if strings.HasPrefix(path, "2025-06/") {
			want[path] = b
		}
	}
	sameTrees(t, "2025-06 alone vs embedded", generate(t, opt), want)
}

func TestEveryDatasetEveryMonth(t *testing.T) {
	fsys := FS()
	folders := monthFolders(t, fsys)
	var want []string
	for m := monthOf(2024, 12); m <= monthOf(2025, 12); m++ {
		want = append(want, m.String())
	}
	if !slices.Equal(folders, want) {
		t.Fatalf("month folders %v, want %v", folders, want)
	}
	for _, folder := range folders {
		for ds := range datasetCount {
			name := exportFile(t, fsys, folder, ds)
			if rows := readRecords(t, fsys, name, ds); len(rows) == 0 {
				t.Errorf("%s: no rows", name)
			}
		}
	}
}

func TestEmbeddedSetIsSmall(t *testing.T) {
	total := 0
	for _, b := range readTree(t, FS()) {
		total += len(b)
	}
	if total > 5<<20 {
		t.Errorf("embedded set is %d bytes, want well under 5 MiB", total)
	}
}

func TestFormatOverride(t *testing.T) {
	for _, tc := range []struct {
		format Format
		ext    string
	}{{FormatXLSX, ".xlsx"}, {FormatCSV, ".csv"}} {
		opt := DefaultOptions()
		opt.First, opt.Last, opt.Scale, opt.Format = "2025-04", "2025-04", 0.2, tc.format
		for path := range generate(t, opt) {
			if filepath.Ext(path) != tc.ext {
				t.Errorf("format %d: %s is not %s", tc.format, path, tc.ext)
			}
		}
	}
}

func TestOptionsRejected(t *testing.T) {
	for _, tc := range []struct {
		change func(*Options)
		want   string
	}{
		{func(o *Options) { o.First = "2025-13" }, `month "2025-13"`},
		{func(o *Options) { o.First, o.Last = "2025-06", "2025-05" }, "before first month"},
		{func(o *Options) { o.Scale = -1 }, "scale -1"},
		{func(o *Options) { o.Squads = o.Squads[:14] }, "14 squads"},
		{func(o *Options) { o.Departments = o.Departments[:5] }, "5 departments"},
		{func(o *Options) { o.Items = append(o.Items, Item{Name: "x"}) }, "9 supervision items"},
	} {
		opt := DefaultOptions()
		tc.change(&opt)
		dir := t.TempDir()
		err := Generate(dir, opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got error %v, want one mentioning %q", err, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("%q: wrote %d entries despite the error", tc.want, len(entries))
		}
	}
}

func TestExtractRoundTrips(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if err := Extract(dir); err != nil {
		t.Fatal(err)
	}
	sameTrees(t, "extracted", readTree(t, os.DirFS(dir)), readTree(t, FS()))
	// Extracting again over identical files is fine.
	if err := Extract(dir); err != nil {
		t.Fatalf("second extract: %v", err)
	}
}

func TestExtractRefusesToClobber(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "2025-05", "案件.xlsx")
	if err := os.MkdirAll(filepath.Dir(mine), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mine, []byte("the clerk's own export"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Extract(dir)
	if err == nil || !strings.Contains(err.Error(), mine) {
		t.Fatalf("got error %v, want one naming %s", err, mine)
	}
	if b, _ := os.ReadFile(mine); string(b) != "the clerk's own export" {
		t.Error("the existing file was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "2025-06")); !os.IsNotExist(err) {
		t.Errorf("extract wrote other files before refusing: %v", err)
	}
}

// BenchmarkGenerate writes one month at city scale (Scale 100: ~110,000
// complaints, ~70,000 case rows) in the month table's formats and as CSV.
func BenchmarkGenerate(b *testing.B) {
	for _, format := range []Format{FormatXLSX, FormatCSV} {
		name := map[Format]string{FormatXLSX: "xlsx", FormatCSV: "csv"}[format]
		b.Run(name, func(b *testing.B) {
			opt := DefaultOptions()
			opt.First, opt.Last, opt.Scale, opt.Format = "2025-05", "2025-05", 100, format
			dir := b.TempDir()
			for b.Loop() {
				if err := Generate(dir, opt); err != nil {
					b.Fatal(err)
				}
			}
			g := &generator{opt: opt}
			b.ReportMetric(float64(g.count(monthOf(2025, 5), dsComplaints, complaintsPerMonth[5])), "complaints/op")
		})
	}
}
