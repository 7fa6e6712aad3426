package report

import (
	"strings"
	"unicode/utf8"
)

// Nearest returns the candidate closest to word in spelling, for a "did you
// mean" hint, or "" when none is close: at most a third of the word's
// characters (and at least one) may differ, or the two differ only in an
// ending of up to two characters (alias, aliases). Ties go to the earlier
// candidate.
func Nearest(word string, candidates []string) string {
	best, bestDist := "", max(1, utf8.RuneCountInString(word)/3)+1
	for _, c := range candidates {
		d := editDistance(word, c)
		if (strings.HasPrefix(c, word) || strings.HasPrefix(word, c)) && d <= 2 {
			d = 1
		}
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in characters,
// counting a swap of two neighbours as one edit (Numeratr, Nmuerator).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
