// Package linebreak breaks Chinese text, mixed with Latin words and numbers,
// into lines the way a Chinese typesetter does: between any two Chinese
// characters, never inside a Latin word or a number ("GB/T", "12.5%",
// "2025"), and following the 禁则 (line-breaking prohibitions): no line
// starts with closing punctuation such as ，。、；：？！）》」』％ and no line
// ends with opening punctuation such as （《「『.
//
// When a character that may not start a line falls at the start of a line,
// the character before it is pushed down with it (推出), so lines never run
// past the width; a renderer that justifies lines closes the gap.
package linebreak

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Measure returns the printed width of a string. It must be additive (the
// width of a string is the sum of the widths of its parts), which holds for
// PDF text without kerning.
type Measure func(string) float64

// Lines breaks text into lines no wider than width. A line feed in text
// forces a break; spaces at the ends of a line are dropped. Only a piece
// wider than the line is broken against the rules (see split).
func Lines(text string, width float64, measure Measure) []string {
	return Indented(text, width, width, measure)
}

// Indented is Lines with a first line of its own width, for a paragraph
// whose first line is indented.
func Indented(text string, first, rest float64, measure Measure) []string {
	lines, _ := breakText(text, first, rest, measure)
	return lines
}

// Balanced breaks text into as few lines as Lines does at width, of widths
// as even as they can be: the lines of the narrowest measure that needs no
// more lines and breaks no more pieces by force. Titles and table cells
// use it, so that a wrapped cell reads "执法责/任制", not "执法责任/制".
func Balanced(text string, width float64, measure Measure) []string {
	lines, forced := breakText(text, width, width, measure)
	lo, hi := 0.0, width
	// Halving 24 times brings the measure within a 16-millionth of width.
	for range 24 {
		mid := (lo + hi) / 2
		if try, f := breakText(text, mid, mid, measure); len(try) <= len(lines) && f <= forced {
			hi, lines = mid, try
		} else {
			lo = mid
		}
	}
	return lines
}

func breakText(text string, first, rest float64, measure Measure) (lines []string, forced int) {
	b := breaker{measure: measure, limit: first, rest: rest}
	for i, hard := range strings.Split(text, "\n") {
		if i > 0 {
			b.flush()
		}
		for _, a := range atoms(Units(hard)) {
			b.add(a)
		}
	}
	b.flush()
	return b.lines, b.forced
}

// Units splits s into the pieces that are never broken inside: a Latin word
// or a number with its signs ("12.5%", "-3", "GB/T", "2025-05-31", a URL),
// a run of spaces, a doubled dash or ellipsis ("——", "……"), or any other
// single character. A renderer that spreads a line to full width puts the
// extra space between units.
func Units(s string) []string {
	var units []string
	rs := []rune(s)
	for i := 0; i < len(rs); {
		j := i + 1
		switch r := rs[i]; {
		case unicode.IsSpace(r):
			for j < len(rs) && unicode.IsSpace(rs[j]) {
				j++
			}
		case isWord(r):
			for j < len(rs) && isWord(rs[j]) {
				j++
			}
			if j < len(rs) && isUnitSign(rs[j]) {
				j++
			}
		case r == '—' || r == '…':
			for j < len(rs) && rs[j] == r {
				j++
			}
		}
		units = append(units, string(rs[i:j]))
		i = j
	}
	return units
}

// isWord reports the characters of words that are not broken: ASCII letters,
// digits and signs (so "12.5%", "GB/T" and "10:30" hold together), and the
// letters and digits of alphabets other than Chinese, Japanese and Korean,
// whose characters break anywhere.
func isWord(r rune) bool {
	if r > ' ' && r < 0x7f {
		return true
	}
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
		return false
	}
	return !unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo)
}

// isUnitSign reports a full-width sign written after a number, part of it:
// 10％, 37℃.
func isUnitSign(r rune) bool { return strings.ContainsRune("％‰℃°", r) }

// noStart holds the characters that may not begin a line: closing
// punctuation, in full and half width.
const noStart = "，。、；：？！）》」』〕】〗〉］｝”’％‰…·ー々〃,.;:?!)]}%"

// noEnd holds the characters that may not end a line: opening punctuation.
const noEnd = "（《「『〔【〖〈［｛“‘([{"

func startsWithNoStart(u string) bool {
	r, _ := utf8.DecodeRuneInString(u)
	return strings.ContainsRune(noStart, r)
}

func endsWithNoEnd(u string) bool {
	r, _ := utf8.DecodeLastRuneInString(u)
	return strings.ContainsRune(noEnd, r)
}

func isSpace(u string) bool {
	r, _ := utf8.DecodeRuneInString(u)
	return unicode.IsSpace(r)
}

// atoms glues units that must stay on one line: a closing mark to the unit
// before it, an opening mark to the unit after it. Spaces stay apart, as
// break opportunities.
func atoms(units []string) []string {
	var out []string
	glueNext := false
	for _, u := range units {
		space := isSpace(u)
		if len(out) > 0 && !space && !isSpace(out[len(out)-1]) && (glueNext || startsWithNoStart(u)) {
			out[len(out)-1] += u
		} else {
			out = append(out, u)
		}
		glueNext = !space && endsWithNoEnd(u)
	}
	return out
}

// breaker fills lines greedily with atoms.
type breaker struct {
	measure     Measure
	limit, rest float64 // width of the current line, of the lines after it
	lines       []string
	line        strings.Builder
	width       float64 // of line
	space       string  // pending space, printed only if a word follows
}

// slack absorbs rounding in the sums of widths.
const slack = 1e-9

func (b *breaker) add(atom string) {
	if isSpace(atom) {
		if b.line.Len() > 0 {
			b.space = atom
		}
		return
	}
	w := b.measure(atom)
	gap := 0.0
	if b.space != "" {
		gap = b.measure(b.space)
	}
	if b.width+gap+w <= b.limit+slack {
		b.line.WriteString(b.space)
		b.line.WriteString(atom)
		b.width += gap + w
		b.space = ""
		return
	}
	if b.line.Len() > 0 {
		b.flush()
	}
	if w <= b.limit+slack {
		b.line.WriteString(atom)
		b.width = w
		return
	}
	b.split(atom)
}

// split breaks an atom wider than a line between characters, at least one
// character a line.
func (b *breaker) split(atom string) {
	for _, r := range atom {
		w := b.measure(string(r))
		if b.line.Len() > 0 && b.width+w > b.limit+slack {
			b.flush()
		}
		b.line.WriteRune(r)
		b.width += w
	}
}

// flush ends the current line (even when empty: a forced break).
func (b *breaker) flush() {
	b.lines = append(b.lines, b.line.String())
	b.line.Reset()
	b.width = 0
	b.space = ""
	b.limit = b.rest
}
