package pdf

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"bulletin/report"
	"bulletin/report/linebreak"
)

// BandKind says what a band of a page is.
type BandKind string

const (
	BandMasthead  BandKind = "masthead"  // the 简报 报头
	BandTitle     BandKind = "title"     // a line of the document's or an annex's title
	BandHeading   BandKind = "heading"   // a line of a heading (一、（一）) or an annex label
	BandLine      BandKind = "line"      // a line of a paragraph of body text
	BandNote      BandKind = "note"      // a line of a remark under a table or chart
	BandCaption   BandKind = "caption"   // a line of a table's caption
	BandContinued BandKind = "continued" // 续表, over a table's header repeated on a page
	BandHeader    BandKind = "header"    // a table's header row
	BandRow       BandKind = "row"       // a table row, or a piece of a row taller than half a page
	BandChart     BandKind = "chart"
	BandSignature BandKind = "signature" // the issuing office and date of a report
	BandColophon  BandKind = "colophon"  // a line or rule of the 版记
	BandSpace     BandKind = "space"
)

// Band is an unbreakable band of a page as the renderer laid it out: what
// it is and where it belongs. The layout is checked on these (Audit), not
// on the PDF's bytes.
type Band struct {
	Kind    BandKind
	Height  float64 // mm
	Text    string  // a line's text
	Section int     // 0 the body; then each part that begins a page (an annex)
	// Para numbers a paragraph in the document, Line is this line's
	// place in it, of Lines.
	Para, Line, Lines int
	// Table numbers a table in the document; Row is this row's place,
	// of Rows (the total row counted).
	Table, Row, Rows int
	// Stretch is the space added between the units of a justified line to
	// fill its measure, in ems.
	Stretch float64
}

// Page is a laid-out page: its bands from the top.
type Page struct {
	Bands []Band
}

// Used is the height the page's bands fill, in mm, of the 版心's 225.
func (p Page) Used() float64 {
	h := 0.0
	for _, b := range p.Bands {
		if b.Kind != BandSpace || b.Height < textHeight/2 { // not the fill above the 版记
			h += b.Height
		}
	}
	return h
}

// Layout lays doc out as Render prints it and returns its pages. A chart
// with a printed size needs no image to be laid out.
func (r *Renderer) Layout(doc report.Document, charts map[string][]byte) ([]Page, error) {
	t := &typesetter{faces: r.faces, m: newMetrics(r.marked), charts: charts, layoutOnly: true}
	if err := t.document(doc); err != nil {
		return nil, err
	}
	pages, err := paginate(t.items, t.colophon)
	if err != nil {
		return nil, err
	}
	out := make([]Page, len(pages))
	for i, items := range pages {
		for _, it := range items {
			out[i].Bands = append(out[i].Bands, it.band)
		}
	}
	return out, nil
}

// Largest stretch of a justified line that does not show, in ems.
const maxStretch = 0.15

// Audit lists what a typesetter of an office would correct in pages:
//   - a paragraph's last line alone at a page's head (a widow), its first
//     line alone at a page's foot (an orphan);
//   - a paragraph's last line of fewer than linebreak.MinLastLine
//     characters;
//   - a justified line stretched by more than maxStretch em between units;
//   - a page other than the last of its part (or the last before the
//     版记's) more than a quarter empty, unless the table that begins the
//     next page could not begin in that room with its first three rows;
//   - a table broken across pages without 续表 and its header over the
//     rows carried over, or with fewer than three rows on either side;
//   - a title line that ends inside a word of the titles;
//   - the 版记 not on the last page, or alone there.
func Audit(pages []Page) []string {
	var faults []string
	fault := func(page int, format string, args ...any) {
		faults = append(faults, fmt.Sprintf("page %d: ", page+1)+fmt.Sprintf(format, args...))
	}
	for n, p := range pages {
		var content []Band
		for _, b := range p.Bands {
			if b.Kind != BandSpace {
				content = append(content, b)
			}
		}
		if len(content) == 0 {
			fault(n, "empty")
			continue
		}
		first, last := content[0], content[len(content)-1]
		if n > 0 && isText(first) && first.Lines > 1 && first.Line == first.Lines-1 {
			fault(n, "widow: the last line %q of a paragraph alone at the head", first.Text)
		}
		if n < len(pages)-1 && isText(last) && last.Lines > 1 && last.Line == 0 {
			fault(n, "orphan: the first line %q of a paragraph alone at the foot", last.Text)
		}
		for i, b := range content {
			if isText(b) && b.Lines > 1 && b.Line == b.Lines-1 && utf8.RuneCountInString(b.Text) < linebreak.MinLastLine {
				fault(n, "a paragraph ends in a line of %d characters: %q", utf8.RuneCountInString(b.Text), b.Text)
			}
			if b.Stretch > maxStretch {
				fault(n, "line %q stretched by %.2f em between characters", b.Text, b.Stretch)
			}
			if b.Kind == BandTitle && i+1 < len(content) && content[i+1].Kind == BandTitle {
				if w := splitWord(b.Text, content[i+1].Text); w != "" {
					fault(n, "title broken inside %q: %q / %q", w, b.Text, content[i+1].Text)
				}
			}
		}
		lastOfPart := n == len(pages)-1 || pages[n+1].Bands[0].Section != first.Section
		// The 版记 takes the text's last lines with it to a page of its
		// own, and what keeps with them (a short table whole): the page
		// they leave ends the text before the 版记.
		beforeColophon := n == len(pages)-2 && hasColophon(pages[n+1])
		used := p.Used()
		if !lastOfPart && !beforeColophon && used < textHeight*0.75 && tableHead(pages[n+1]) < textHeight-used {
			next := pages[n+1].Bands[0]
			fault(n, "%.0f%% empty, the next page beginning with a %s of %.0f mm %q", 100*(1-used/textHeight), next.Kind, next.Height, next.Text)
		}
		if n > 0 {
			faults = append(faults, auditTableBreak(n, pages[n-1], content)...)
		}
		switch {
		case last.Kind == BandColophon && n != len(pages)-1:
			fault(n, "the 版记 before the last page")
		case last.Kind == BandColophon && first.Kind == BandColophon:
			fault(n, "the 版记 alone on its page")
		}
	}
	return faults
}

// tableHead is the height of the caption, header and first three rows of
// a table that begins page p, which keep together; 0 if p begins
// otherwise. An empty foot of the page before that the table's head
// does not fit is the rule for tables at work, not a fault.
func tableHead(p Page) float64 {
	h, rows := 0.0, 0
	for _, b := range p.Bands {
		switch b.Kind {
		case BandSpace, BandCaption, BandHeader:
		case BandRow:
			rows++
		default:
			return 0
		}
		h += b.Height
		if rows == min(headRows, b.Rows) && b.Kind == BandRow {
			return h
		}
	}
	return 0
}

func hasColophon(p Page) bool {
	return len(p.Bands) > 0 && p.Bands[len(p.Bands)-1].Kind == BandColophon
}

// isText reports a line of a paragraph or heading.
func isText(b Band) bool { return b.Kind == BandLine || b.Kind == BandHeading }

// auditTableBreak checks a page that continues a table of the page
// before: 续表 and the header first, three rows at least on each side.
func auditTableBreak(n int, prev Page, content []Band) []string {
	var rows []Band
	for _, b := range content {
		if b.Kind == BandRow {
			rows = append(rows, b)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	table := rows[0].Table
	before := map[int]bool{}
	for _, b := range prev.Bands {
		if b.Kind == BandRow && b.Table == table {
			before[b.Row] = true
		}
	}
	if len(before) == 0 {
		return nil
	}
	var faults []string
	if len(content) < 2 || content[0].Kind != BandContinued || content[1].Kind != BandHeader {
		faults = append(faults, fmt.Sprintf("page %d: a table carried over without 续表 and its header", n+1))
	}
	after := map[int]bool{}
	for _, b := range rows {
		if b.Table == table {
			after[b.Row] = true
		}
	}
	if len(before) < 3 || len(after) < 3 {
		faults = append(faults, fmt.Sprintf("page %d: a table broken %d rows before, %d after", n+1, len(before), len(after)))
	}
	return faults
}

// splitWord returns the word of titleWords that the break between the
// lines a and b falls inside, or "".
func splitWord(a, b string) string {
	for _, w := range titleWords {
		for k := 1; k < utf8.RuneCountInString(w); k++ {
			head, tail := string([]rune(w)[:k]), string([]rune(w)[k:])
			if strings.HasSuffix(a, head) && strings.HasPrefix(b, tail) {
				return w
			}
		}
	}
	return ""
}
