// Package linebreak breaks Chinese text, mixed with Latin words and numbers,
// into lines the way a Chinese typesetter does: between any two Chinese
// characters, never inside a Latin word or a number ("GB/T", "12.5%",
// "2025"), and following the 禁则 (line-breaking prohibitions): no line
// starts with closing punctuation such as ，。、；：？！）》」』％ and no line
// ends with opening punctuation such as （《「『.
//
// When a character that may not start a line falls at the start of a line,
// the character before it is pushed down with it (推出), so lines never run
// past the width; a renderer that justifies lines closes the gap. Only a
// piece that is wider than a line by itself is set otherwise: squeezed by
// its outer punctuation if that suffices (see Squeeze), else broken, best
// after a separator of a word such as "-" or "/".
package linebreak

import (
	"slices"
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
// wider than the line is set against the rules (see the package comment).
func Lines(text string, width float64, measure Measure) []string {
	return Indented(text, width, width, measure)
}

// Indented is Lines with a first line of its own width, for a paragraph
// whose first line is indented.
func Indented(text string, first, rest float64, measure Measure) []string {
	lines, _ := breakPieces(pieces(text), first, rest, measure)
	return lines
}

// MinLastLine is the fewest characters a paragraph's last line should
// hold: "查。" alone on a line reads as a mistake.
const MinLastLine = 3

// Paragraph breaks a paragraph of body text as Indented does, and as a
// typesetter sets body text: a line may take a character it has no room
// for when squeezing its punctuation (标点挤压: a full-width mark set in
// half its width) makes the room, up to one character's width, rather than
// push the character down and leave a gap; and a last line of fewer than
// MinLastLine characters is avoided, by squeezing it into the line before,
// or else by taking a character or more down from that line. Lines may be
// wider than their measure by what Squeezable says they give; a renderer
// sets them with their punctuation squeezed.
func Paragraph(text string, first, rest float64, measure Measure) []string {
	squeezed := func(text string, first, rest float64) []string {
		b := breaker{measure: measure, limit: first, rest: rest, squeeze: true}
		return b.run(pieces(text))
	}
	lines := squeezed(text, first, rest)
	n := len(lines)
	if n < 2 || utf8.RuneCountInString(lines[n-1]) >= MinLastLine || strings.Contains(text, "\n") {
		return lines
	}
	width := rest
	if n == 2 {
		width = first
	}
	join := ""
	if last, _ := utf8.DecodeLastRuneInString(lines[n-2]); isWord(last) {
		if next, _ := utf8.DecodeRuneInString(lines[n-1]); isWord(next) {
			join = " " // the break was at a space between words
		}
	}
	two := lines[n-2] + join + lines[n-1]
	if one := squeezed(two, width, width); len(one) == 1 {
		return append(lines[:n-2], one[0])
	}
	em := measure("中")
	for cut := 1; cut <= MinLastLine; cut++ {
		if l := Lines(two, measure(lines[n-2])-float64(cut)*em, measure); len(l) == 2 && utf8.RuneCountInString(l[1]) >= MinLastLine {
			return append(lines[:n-2], l...)
		}
	}
	return lines
}

// squeezable holds the full-width marks whose glyph fills half of its em
// box, the other half blank, in Chinese fonts: a line may give up that
// half. Quotation marks “” are left out (Latin fonts share them and draw
// them narrow), and ？！, drawn wider.
const squeezable = squeezeStart + squeezeEnd + "；："

// Squeezable is how much narrower line may be set by squeezing its
// punctuation: half the width of each mark of squeezable.
func Squeezable(line string, measure Measure) float64 {
	w := 0.0
	for _, r := range line {
		if strings.ContainsRune(squeezable, r) {
			w += measure(string(r)) / 2
		}
	}
	return w
}

// IsSqueezable reports whether r gives up half its width when squeezed,
// and whether the blank half comes first (an opening mark).
func IsSqueezable(r rune) (ok, blankFirst bool) {
	return strings.ContainsRune(squeezable, r), strings.ContainsRune(squeezeStart, r)
}

// Balanced breaks text into as few lines as Lines does at width, of widths
// as even as they can be: the lines of the narrowest measure that needs no
// more lines and breaks no more pieces by force. Titles and table cells
// use it, so that a wrapped cell reads "执法责/任制", not "执法责任/制".
// When that takes no more lines, it breaks only after the marks that end a
// phrase (、，；：。？！), so that the items of a list stay whole: "江宁路中队、"
// / "静安寺中队", "1月30日、" / "2月5日"; GB/T 9704 likewise wants a title
// broken where its words stay whole.
func Balanced(text string, width float64, measure Measure) []string {
	return balanced(pieces(text), width, measure)
}

// Title is Balanced for a title: a break falls between words, never
// inside one of words (静安区, 执行情况, 自查报告: the words of the
// document's titles) when that takes no more lines.
func Title(text string, words []string, width float64, measure Measure) []string {
	paras := pieces(text)
	whole := glueWords(paras, words)
	lines, forced := breakPieces(paras, width, width, measure)
	if l, f := breakPieces(whole, width, width, measure); len(l) <= len(lines) && f <= forced {
		paras = whole
	}
	return balanced(paras, width, measure)
}

// glueWords joins the atoms of each paragraph that lie within one
// occurrence of a word of words, the longest word first at each place.
func glueWords(paras [][]string, words []string) [][]string {
	byLength := slices.Clone(words)
	slices.SortFunc(byLength, func(a, b string) int { return len(b) - len(a) })
	out := make([][]string, len(paras))
	for i, atoms := range paras {
		text := strings.Join(atoms, "")
		inside := make([]bool, len(text)+1) // a break before byte k falls inside a word
		for k := 0; k < len(text); {
			n := 0
			for _, w := range byLength {
				if w != "" && strings.HasPrefix(text[k:], w) {
					n = len(w)
					break
				}
			}
			if n == 0 {
				_, n = utf8.DecodeRuneInString(text[k:])
			}
			for j := k + 1; j < k+n; j++ {
				inside[j] = true
			}
			k += n
		}
		at := 0
		for _, a := range atoms {
			if len(out[i]) > 0 && inside[at] {
				out[i][len(out[i])-1] += a
			} else {
				out[i] = append(out[i], a)
			}
			at += len(a)
		}
	}
	return out
}

func balanced(paras [][]string, width float64, measure Measure) []string {
	lines, forced := breakPieces(paras, width, width, measure)
	if whole := phrases(paras, width, measure); whole != nil {
		if l, f := breakPieces(whole, width, width, measure); len(l) <= len(lines) && f <= forced {
			paras, lines, forced = whole, l, f
		}
	}
	lo, hi := 0.0, width
	// Halving 24 times brings the measure within a 16-millionth of width.
	for range 24 {
		mid := (lo + hi) / 2
		if try, f := breakPieces(paras, mid, mid, measure); len(try) <= len(lines) && f <= forced {
			hi, lines = mid, try
		} else {
			lo = mid
		}
	}
	return lines
}

// phraseEnd holds the marks after which a phrase ends.
const phraseEnd = "、，；：。？！"

// phrases joins the atoms of each paragraph into phrases, each ending after
// a mark of phraseEnd or before a space, where a phrase fits width; it
// returns nil when no atoms were joined.
func phrases(paras [][]string, width float64, measure Measure) [][]string {
	joined := false
	out := make([][]string, len(paras))
	for i, atoms := range paras {
		var phrase []string
		end := func() {
			if p := strings.Join(phrase, ""); len(phrase) > 1 && measure(p) <= width+slack {
				out[i] = append(out[i], p)
				joined = true
			} else {
				out[i] = append(out[i], phrase...)
			}
			phrase = nil
		}
		for _, a := range atoms {
			if isSpace(a) {
				end()
				out[i] = append(out[i], a)
				continue
			}
			phrase = append(phrase, a)
			if last, _ := utf8.DecodeLastRuneInString(a); strings.ContainsRune(phraseEnd, last) {
				end()
			}
		}
		end()
	}
	if !joined {
		return nil
	}
	return out
}

// pieces returns the atoms of each line of text, as a line feed ends it.
func pieces(text string) [][]string {
	var paras [][]string
	for _, hard := range strings.Split(text, "\n") {
		paras = append(paras, atoms(Units(hard)))
	}
	return paras
}

func breakPieces(paras [][]string, first, rest float64, measure Measure) (lines []string, forced int) {
	b := breaker{measure: measure, limit: first, rest: rest}
	lines = b.run(paras)
	return lines, b.forced
}

// run breaks paras, a line feed between each two, and returns the lines.
func (b *breaker) run(paras [][]string) []string {
	for i, atoms := range paras {
		if i > 0 {
			b.flush()
		}
		for _, a := range atoms {
			b.add(a)
		}
	}
	b.flush()
	return b.lines
}

// Units splits s into the pieces that are never broken inside: a Latin word
// or a number with its signs ("12.5%", "-3", "GB/T", "2025-05-31", a URL),
// a range of them joined by one dash ("1—5"), a run of spaces, a doubled
// dash or ellipsis ("——", "……"), or any other single character. A renderer that spreads a line to full width puts the
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
			// A range of numbers joined by one dash, 1—5, is one unit:
			// the dash may neither begin nor end a line.
			for j+1 < len(rs) && rs[j] == '—' && isWord(rs[j+1]) {
				for j++; j < len(rs) && isWord(rs[j]); j++ {
				}
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

// Squeeze returns how much narrower a line may be set than measure says:
// the blank half of a full-width opening mark that begins it (start) and of
// a closing mark that ends it (end), the 标点挤压 of Chinese typesetting.
// Lines uses it only for a piece that cannot be broken by the 禁则 and is
// wider than the line, such as "（诉）" in a cell two characters wide; a
// renderer sets a line wider than its room start further left and aligns
// it on its width less start and end.
func Squeeze(line string, measure Measure) (start, end float64) {
	if first, _ := utf8.DecodeRuneInString(line); strings.ContainsRune(squeezeStart, first) {
		start = measure(string(first)) / 2
	}
	if last, _ := utf8.DecodeLastRuneInString(line); strings.ContainsRune(squeezeEnd, last) {
		end = measure(string(last)) / 2
	}
	return start, end
}

// Full-width marks drawn in one half of their em box, the other half blank,
// in Chinese fonts: opening marks in the right half, closing marks and
// ，。、 in the left. Quotation marks “” are left out: Latin fonts share them
// and draw them narrow.
const (
	squeezeStart = "（《「『〔【〖〈［｛"
	squeezeEnd   = "）》」』〕】〗〉］｝，。、"
)

// separators are the signs inside a word after which a word too wide for
// its line is best broken: "2025-" / "03-31", "/data/" / "案件.xlsx".
const separators = "-/_.:\\"

// breaker fills lines greedily with atoms.
type breaker struct {
	measure     Measure
	limit, rest float64 // width of the current line, of the lines after it
	lines       []string
	line        strings.Builder
	width       float64 // of line
	space       string  // pending space, printed only if a word follows
	forced      int     // breaks and squeezes made against the rules
	// squeeze lets a line take an atom it has no room for when its
	// punctuation, squeezed, makes the room, up to a character's width.
	squeeze bool
	give    float64 // what the line's punctuation gives when squeezed
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
	fits := b.width+gap+w <= b.limit+slack
	if !fits && b.squeeze && b.line.Len() > 0 {
		over := b.width + gap + w - b.limit
		fits = over <= b.give+Squeezable(atom, b.measure)+slack && over <= b.measure("中")
	}
	if fits {
		b.line.WriteString(b.space)
		b.line.WriteString(atom)
		b.width += gap + w
		b.give += Squeezable(atom, b.measure)
		b.space = ""
		return
	}
	if b.line.Len() > 0 {
		b.flush()
	}
	if w <= b.limit+slack {
		b.line.WriteString(atom)
		b.width = w
		b.give = Squeezable(atom, b.measure)
		return
	}
	if start, end := Squeeze(atom, b.measure); start+end > 0 && w-start-end <= b.limit+slack {
		b.line.WriteString(atom)
		b.width = w
		b.forced++
		return
	}
	b.split(atom)
}

// split breaks an atom wider than a line, at least one character a line.
// Each line takes as much as fits, ending, in order of preference: after a
// separator of a word (when that fills at least half the line), where the
// 禁则 allow a break, anywhere.
func (b *breaker) split(atom string) {
	rs := []rune(atom)
	for {
		// ends[k] is the width of rs[:k].
		ends := make([]float64, len(rs)+1)
		fit := 0
		for k, r := range rs {
			ends[k+1] = ends[k] + b.measure(string(r))
			if k == 0 || ends[k+1] <= b.limit+slack {
				fit = k + 1
			}
		}
		if fit == len(rs) {
			b.line.WriteString(string(rs))
			b.width = ends[fit]
			return
		}
		at := fit
		if k := lastBreak(rs, fit, func(k int) bool {
			return strings.ContainsRune(separators, rs[k-1]) && ends[k] >= b.limit/2
		}); k > 0 {
			at = k
		} else if k := lastBreak(rs, fit, func(int) bool { return true }); k > 0 {
			at = k
		}
		b.line.WriteString(string(rs[:at]))
		b.forced++
		b.flush()
		rs = rs[at:]
	}
}

// lastBreak returns the last k in 1..fit where rs may break before rs[k]
// by the 禁则 and ok(k) holds, or 0.
func lastBreak(rs []rune, fit int, ok func(k int) bool) int {
	for k := fit; k >= 1; k-- {
		if k < len(rs) && !strings.ContainsRune(noStart, rs[k]) && !strings.ContainsRune(noEnd, rs[k-1]) && ok(k) {
			return k
		}
	}
	return 0
}

// flush ends the current line (even when empty: a forced break).
func (b *breaker) flush() {
	b.lines = append(b.lines, b.line.String())
	b.line.Reset()
	b.width = 0
	b.give = 0
	b.space = ""
	b.limit = b.rest
}
