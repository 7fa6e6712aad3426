package workbook

import (
	"strings"

	"golang.org/x/text/width"
)

// Column widths are in Excel's unit, the width of a "0" in the default font.
// A Chinese character takes about two of them.
const (
	minColWidth = 6
	maxColWidth = 72 // wide enough for a SHA-256 in hex; longer text wraps
	colPadding  = 2
)

// displayWidth is how many "0"-widths s needs on screen: wide (CJK) and
// full-width characters count two, others one; of a multi-line text the
// longest line counts.
func displayWidth(s string) int {
	longest := 0
	for line := range strings.SplitSeq(s, "\n") {
		n := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
		longest = max(longest, n)
	}
	return longest
}

// colWidth is the width for a column whose widest text is w, and whether
// its cells must wrap because the width was capped.
func colWidth(w int) (float64, bool) {
	w += colPadding
	if w > maxColWidth {
		return maxColWidth, true
	}
	return float64(max(w, minColWidth)), false
}
