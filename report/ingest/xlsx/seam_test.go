package xlsx

import (
	"strings"
	"testing"
)

// A seam finds the strict namespaces' mark and an escaped surrogate
// wherever the pieces cut them, and only a whole one: each pattern and
// near misses, at every offset, fed in pieces of every size from one byte
// to more than the pattern.
func TestSeamFindsPatternsAcrossPieces(t *testing.T) {
	for _, c := range []struct {
		width int
		match func([]byte) bool
		texts []string
	}{
		{len(strictMark), hasStrictMark, []string{strictMark, "purl.oclc.or", "urpurl.oclc.orgx", "purl.oclc.orpurl.oclc.org"}},
		{surrogateEscapeWidth, hasSurrogateEscape, []string{"_xD801_", "_xdC05_", "_xD80_1_", "_xD7FF_", "x_xD801", "_xD8_xDC05_"}},
	} {
		for _, text := range c.texts {
			for at := range 20 {
				whole := strings.Repeat("y", at) + text + strings.Repeat("z", 20)
				want := c.match([]byte(whole))
				for n := 1; n <= 2*c.width+3; n++ {
					var s seam
					found := false
					for rest := whole; rest != ""; rest = rest[min(n, len(rest)):] {
						found = s.found([]byte(rest[:min(n, len(rest))]), c.width, c.match) || found
					}
					if found != want {
						t.Fatalf("%q in pieces of %d bytes: found %v, want %v", whole, n, found, want)
					}
				}
			}
		}
	}
}
