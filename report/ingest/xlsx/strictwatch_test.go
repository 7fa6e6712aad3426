package xlsx

import (
	"io"
	"strings"
	"testing"
)

// chunks reads at most n bytes at a time.
type chunks struct {
	r io.Reader
	n int
}

func (c chunks) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

// strictWatch finds the strict namespaces' mark wherever the reads cut it,
// and only the whole mark.
func TestStrictWatchFindsTheMarkAcrossReads(t *testing.T) {
	for _, text := range []string{strictMark, "purl.oclc.or", "urpurl.oclc.orgx", "purl.oclc.orpurl.oclc.org"} {
		for at := range 40 {
			part := strings.Repeat("x", at) + text + strings.Repeat("y", 30)
			for n := 1; n <= 2*len(strictMark)+3; n++ {
				w := &strictWatch{r: chunks{strings.NewReader(part), n}}
				if _, err := io.Copy(io.Discard, w); err != nil {
					t.Fatal(err)
				}
				if want := strings.Contains(part, strictMark); w.found != want {
					t.Fatalf("%q read %d bytes at a time: found %v, want %v", part, n, w.found, want)
				}
			}
		}
	}
}
