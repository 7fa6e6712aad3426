package pdf

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/johnfercher/maroto/v2/pkg/components/col"
	"github.com/johnfercher/maroto/v2/pkg/components/image"
	"github.com/johnfercher/maroto/v2/pkg/components/row"
	"github.com/johnfercher/maroto/v2/pkg/components/text"
	"github.com/johnfercher/maroto/v2/pkg/consts/border"
	"github.com/johnfercher/maroto/v2/pkg/consts/extension"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"bulletin/report"
	"bulletin/report/linebreak"
)

// The page and type of GB/T 9704-2012; lengths in mm, type sizes in pt.
const (
	pageHeight   = 297.0
	marginTop    = 37.0
	marginLeft   = 28.0
	marginRight  = 26.0
	textWidth    = 210.0 - marginLeft - marginRight // the 版心: 156 mm
	textHeight   = 225.0
	linesPerPage = 22
	charsPerLine = 28
	linePitch    = textHeight / linesPerPage // 10.23 mm, about 29 pt
	gridPitch    = textWidth / charsPerLine  // one character of the body grid

	bodySize  = 16.0 // 3号
	titleSize = 22.0 // 2号
	folioSize = 14.0 // 4号: page numbers and the 版记

	titlePitch    = 12.0
	mastheadMax   = 40.0 // the bulletin's name, shrunk to fit one line
	mastheadPitch = 22.0
	captionSize   = 14.0
	captionPitch  = 8.5
	noteSize      = 10.5 // 五号, as the tables they remark on
	notePitch     = 5.6
	colophonPitch = 8.5

	folioGap    = 7.0  // page number below the 版心
	folioHeight = 13.0 // the band below the 版心 that holds it

	gridUnits = 15600 // maroto columns in 0.01 mm across the 版心
	minRow    = 0.01  // maroto takes a row of height 0 for "auto"
)

var (
	red   = &props.Color{Red: 230, Green: 0, Blue: 18} // 简报 red, #E60012
	black = &props.Color{}
	grey  = &props.Color{Red: 235, Green: 235, Blue: 235}
)

// pt converts points to millimetres.
func pt(size float64) float64 { return size * 25.4 / 72 }

// bodyBreak is the measured width at which body lines break: 28 characters
// of 16 pt are 158 mm, 2 mm more than the 版心, so lines are set 0.7 %
// tighter, as word processors do on the 公文 grid.
var bodyBreak = charsPerLine * pt(bodySize)

// item is an unbreakable band of a page: a line, a table row, a chart.
type item struct {
	height  float64
	row     func() core.Row // nil for a page-break marker
	keep    bool            // keep on the page of the next item (headings, captions, table headers)
	space   bool            // vertical space: dropped at the top of a page and where it does not fit
	newPage bool            // begins a new page
	header  []item          // repeated first when this item begins a page (a table's header row)
	footRow func() core.Row // drawn instead of row when the item ends a page: a table row's piece, ruled below
	what    string          // names the item in errors
	heading string          // the 一、 heading or annex it is set under, for MaxPages
	band    Band            // what the item is, for the layout's checks
	// float lets a run that begins with this item (a chart and its note)
	// move down past the text after it, to the next page's head, rather
	// than leave the foot of a page empty.
	float bool
	stop  bool // floats do not move past this item (a 一、 heading)
	// resize, when set, draws the item at a smaller height, down to
	// minHeight (a chart shrunk to fit the room left on a page).
	resize    func(h float64) func() core.Row
	minHeight float64
}

// typesetter turns a document into items.
type typesetter struct {
	faces  [roleCount]*face
	m      *metrics
	charts map[string][]byte
	// layoutOnly lays out without drawing: a chart needs no image.
	layoutOnly bool
	items      []item
	colophon   []item // set apart: it goes to the foot of the last page
	paras      int    // paragraphs set so far, to number them
	tables     int    // tables set so far
	section    int    // 0 the body, n the nth annex
	heading    string // the 一、 heading or annex being set under
}

func (t *typesetter) add(it item) {
	it.heading = t.heading
	it.band.Section = t.section
	it.band.Height = it.height
	t.items = append(t.items, it)
}

func (t *typesetter) space(h float64) {
	t.add(item{height: h, row: spaceRow(h), space: true, band: Band{Kind: BandSpace}})
}

// keepLast keeps the last n lines or rows set so far with what comes next,
// so that it never begins a page alone.
func (t *typesetter) keepLast(n int) {
	for k := len(t.items) - 1; k >= 0 && n > 0 && !t.items[k].newPage; k-- {
		if !t.items[k].space {
			t.items[k].keep = true
			n--
		}
	}
}

// document lays out doc in reading order: masthead, title, 主送, blocks,
// signature, annexes, then the 版记.
func (t *typesetter) document(doc report.Document) error {
	if doc.Masthead != nil {
		t.masthead(doc.Masthead)
	}
	if doc.Title != "" {
		t.centred(roleTitle, titleSize, titlePitch, doc.Title, true, BandTitle)
		t.space(linePitch)
	}
	if doc.MainRecipient != "" {
		to := strings.TrimRight(doc.MainRecipient, "：:") + "："
		t.grid(roleBody, to, 0, true, BandLine)
	}
	if err := t.blocks(doc.Blocks, "body"); err != nil {
		return err
	}
	if doc.Signature != nil {
		t.signature(doc.Signature)
	}
	for i, a := range doc.Annexes {
		t.section++
		t.heading = strings.TrimSpace(a.Label + " " + a.Title)
		t.add(item{newPage: true})
		label := a.Label
		if label != "" {
			t.grid(roleHeading, label, 0, true, BandHeading)
		} else {
			label = fmt.Sprintf("annex %d", i+1)
		}
		if a.Title != "" {
			t.centred(roleTitle, titleSize, titlePitch, a.Title, true, BandTitle)
		}
		t.space(linePitch / 2)
		if err := t.blocks(a.Blocks, label); err != nil {
			return err
		}
	}
	if doc.Colophon != nil {
		t.colophonItems(doc.Colophon)
	}
	return nil
}

func (t *typesetter) blocks(blocks []report.Block, where string) error {
	for i, b := range blocks {
		if b.ScreenOnly {
			continue
		}
		at := fmt.Sprintf("%s block %d", where, i+1)
		switch b.Kind {
		case report.Heading1:
			t.heading = b.Text
			t.grid(roleHeading, b.Text, 2, true, BandHeading)
		case report.Heading2:
			t.grid(roleSubheading, b.Text, 2, true, BandHeading)
		case report.Paragraph:
			t.grid(roleBody, b.Text, 2, false, BandLine)
		case report.Note:
			t.note(b.Text)
		case report.PageBreak:
			t.section++
			t.add(item{newPage: true})
		case report.TableBlock:
			if b.Table == nil {
				return fmt.Errorf("%s: table block without a table", at)
			}
			if err := t.table(b.Table.For(report.PrintOnly), at); err != nil {
				return err
			}
		case report.ChartBlock:
			if b.Chart == nil {
				return fmt.Errorf("%s: chart block without a chart", at)
			}
			if err := t.chart(b.Chart, at); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unknown block kind %d", at, b.Kind)
		}
	}
	return nil
}

// run is a piece of text placed in a row or a cell: x from its left edge,
// baseline from its top.
type run struct {
	face        *face
	size        float64
	x, baseline float64
	text        string
	color       *props.Color
}

func (r run) component() core.Component {
	return text.New(r.text, props.Text{
		Family: r.face.family,
		Size:   r.size,
		Left:   r.x,
		Top:    math.Max(0, r.baseline-pt(r.size)), // maroto places the baseline one size below Top
		Color:  r.color,
	})
}

// baseline centres the em box of CJK type (0.88 em above the baseline,
// 0.12 below) in a band of height h.
func baseline(h, size float64) float64 { return h/2 + 0.38*pt(size) }

func (t *typesetter) measurer(f *face, size float64) linebreak.Measure {
	return func(s string) float64 { return t.m.measure(f, size, s) }
}

// setLine places one line of text from x0. A full line is justified to
// width; otherwise its characters are set at their natural widths scaled
// by width/breakWidth, the grid's tightening. A line wider than that
// (linebreak.Paragraph lets a line take a character its punctuation makes
// room for) is set with its punctuation squeezed, each mark giving up
// part of its blank half. Units of the line are placed one by one only
// when their spacing differs from the font's. It returns the runs and the
// space added between units to justify the line, in ems.
func (t *typesetter) setLine(f *face, size float64, line string, x0, width, breakWidth float64, full bool, base float64) ([]run, float64) {
	measure := t.measurer(f, size)
	units := linebreak.Units(line)
	widths := make([]float64, len(units))
	natural := 0.0
	for i, u := range units {
		widths[i] = measure(u)
		natural += widths[i]
	}
	scale, extra := 1.0, 0.0
	if breakWidth > 0 {
		scale = math.Min(1, width/breakWidth)
	}
	// squeeze[i] is what unit i gives up, blank[i] whether its blank half
	// comes first (an opening mark, whose glyph moves left).
	squeeze := make([]float64, len(units))
	blank := make([]bool, len(units))
	if over := natural*scale - width; over > eps {
		give := linebreak.Squeezable(line, measure)
		for i, u := range units {
			r := []rune(u)
			if ok, first := linebreak.IsSqueezable(r[0]); ok && len(r) == 1 && give > 0 {
				squeeze[i] = widths[i] / 2 * math.Min(1, over/(give*scale))
				blank[i] = first
			}
		}
		full = false
	}
	squeezed := 0.0
	for _, q := range squeeze {
		squeezed += q
	}
	// Justify unless that would open gaps wider than half a character.
	if gaps := float64(len(units) - 1); full && gaps > 0 && (width-natural)/gaps <= 0.5*pt(size) {
		scale, extra = 1, (width-natural)/gaps
	}
	if scale == 1 && extra == 0 && squeezed == 0 {
		return []run{{face: f, size: size, x: x0, baseline: base, text: strings.TrimRightFunc(line, unicode.IsSpace)}}, 0
	}
	var runs []run
	pos := 0.0
	for i, u := range units {
		if blank[i] {
			pos -= squeeze[i]
		}
		if !unicode.IsSpace([]rune(u)[0]) {
			runs = append(runs, run{face: f, size: size, x: x0 + pos*scale + float64(i)*extra, baseline: base, text: u})
		}
		pos += widths[i]
		if !blank[i] {
			pos -= squeeze[i]
		}
	}
	return runs, extra / pt(size)
}

// grid sets text on the body grid (16 pt, 22 lines a page, 28 characters a
// line), each line of a paragraph but its last justified, the first line
// of each paragraph indented by indent characters. A line feed starts a
// new paragraph. A paragraph's first line keeps with its second and its
// last with the one before, so that no line of a paragraph stands alone at
// the foot or the head of a page (orphans and widows); keep keeps every
// line with what follows (a heading).
func (t *typesetter) grid(r role, s string, indent int, keep bool, kind BandKind) {
	f := t.faces[r]
	measure := t.measurer(f, bodySize)
	for _, para := range strings.Split(t.m.prepare(f, s), "\n") {
		para = strings.TrimSpace(para)
		in := float64(indent)
		lines := linebreak.Paragraph(para, bodyBreak-in*pt(bodySize), bodyBreak, measure)
		t.paras++
		for i, l := range lines {
			x0, breakWidth := 0.0, bodyBreak
			if i == 0 {
				x0, breakWidth = in*gridPitch, bodyBreak-in*pt(bodySize)
			}
			runs, stretch := t.setLine(f, bodySize, l, x0, textWidth-x0, breakWidth, i < len(lines)-1, baseline(linePitch, bodySize))
			n := len(lines)
			t.add(item{height: linePitch, row: textRow(linePitch, runs), keep: keep || n > 1 && (i == 0 || i == n-2),
				stop: r == roleHeading, band: Band{Kind: kind, Text: l, Para: t.paras, Line: i, Lines: n, Stretch: stretch}})
		}
	}
}

// centred sets text centred, line by line (titles, captions). Lines are
// balanced, as GB/T 9704 wants titles symmetrical: the narrowest measure
// that needs no more lines, broken between the words of titleWords. A line
// feed in s is where a clerk wants the title broken, taken where it costs
// no line: a title of three lines where two would do is not symmetrical.
func (t *typesetter) centred(r role, size, pitch float64, s string, keep bool, kind BandKind) {
	f := t.faces[r]
	measure := t.measurer(f, size)
	s = t.m.prepare(f, s)
	// Titles keep a character of margin each side.
	width := textWidth - 2*pt(size)
	lines := linebreak.Title(s, titleWords, width, measure)
	if free := linebreak.Title(strings.ReplaceAll(s, "\n", ""), titleWords, width, measure); len(free) < len(lines) {
		lines = free
	}
	for _, l := range lines {
		x := (textWidth - measure(l)) / 2
		runs := []run{{face: f, size: size, x: x, baseline: baseline(pitch, size), text: l}}
		t.add(item{height: pitch, row: textRow(pitch, runs), keep: keep, band: Band{Kind: kind, Text: l}})
	}
}

// titleWords are the words of the documents' titles and captions that a
// line break must not split: "执行情 / 况自查报告" reads as a typo, "行政 /
// 执法" does not. Words, not phrases: a phrase may break between them.
var titleWords = []string{
	"静安区", "城管", "执法局", "城市管理", "执法", "工作", "月报", "上半年", "下半年", "行政",
	"公示", "制度", "全过程", "记录", "重大", "决定", "法制", "审核", "执行", "情况", "自查",
	"报告", "监督", "事项", "中队", "主要", "任务", "完成", "覆盖", "进度", "案卷", "评查", "结果",
	"问题", "整改", "状态", "逾期", "清单", "投诉", "信访件", "领域", "类型", "不规范", "异常",
	"案件", "评价", "指标", "得分", "明细", "数据", "质量", "排名", "附表", "检查", "比例",
	"目标值", "完成值", "本月", "累计", "抽查", "合格率",
}

// note sets a remark in smaller type, flush left, in one piece and never
// at the head of a page without the table, chart or note it remarks on.
func (t *typesetter) note(s string) {
	t.keepLast(1)
	f := t.faces[roleBody]
	measure := t.measurer(f, noteSize)
	lines := linebreak.Lines(t.m.prepare(f, s), textWidth, measure)
	for i, l := range lines {
		runs, _ := t.setLine(f, noteSize, l, 0, textWidth, textWidth, false, baseline(notePitch, noteSize))
		t.add(item{height: notePitch, row: textRow(notePitch, runs), keep: i < len(lines)-1, band: Band{Kind: BandNote, Text: l}})
	}
	t.space(2)
}

// masthead sets the 简报 报头: the name large and red, the issue number, the
// issuing office left and the date right, a red rule.
func (t *typesetter) masthead(mh *report.Masthead) {
	title, body := t.faces[roleTitle], t.faces[roleBody]
	name := t.m.prepare(title, mh.Name)
	size := mastheadMax
	if w := t.m.measure(title, size, name); w > textWidth*0.96 {
		size *= textWidth * 0.96 / w
	}
	nameRun := run{face: title, size: size, x: (textWidth - t.m.measure(title, size, name)) / 2,
		baseline: baseline(mastheadPitch, size), text: name, color: red}
	t.add(item{height: mastheadPitch, row: textRow(mastheadPitch, []run{nameRun}), keep: true, band: Band{Kind: BandMasthead}})
	if mh.Issue != "" {
		t.centred(roleBody, bodySize, linePitch, mh.Issue, true, BandMasthead)
	}
	office, date := t.m.prepare(body, mh.Office), t.m.prepare(body, mh.Date)
	size = bodySize
	// Office and date share a line with at least two characters between.
	if w := t.m.measure(body, size, office+date) + 2*pt(size); w > textWidth {
		size *= textWidth / w
	}
	base := baseline(linePitch, size)
	runs := []run{
		{face: body, size: size, x: 0, baseline: base, text: office},
		{face: body, size: size, x: textWidth - t.m.measure(body, size, date), baseline: base, text: date},
	}
	t.add(item{height: linePitch, row: textRow(linePitch, runs), keep: true, band: Band{Kind: BandMasthead}})
	t.add(item{height: 1, row: ruleRow(1, red), keep: true, band: Band{Kind: BandMasthead}})
	t.space(linePitch * 0.8)
}

// signature sets the issuing office and the date of a report as GB/T 9704
// 7.3.5.2 wants without a seal: one line below the text, the office two
// characters from the right, the date under it two characters further
// right; a date longer than that moves both left.
func (t *typesetter) signature(sig *report.Signature) {
	f := t.faces[roleBody]
	office, date := t.m.prepare(f, sig.Office), t.m.prepare(f, sig.Date)
	tighten := textWidth / bodyBreak
	ow := t.m.measure(f, bodySize, office) * tighten
	dw := t.m.measure(f, bodySize, date) * tighten
	officeX := textWidth - 2*gridPitch - ow
	dateX := officeX + 2*gridPitch
	if dateX+dw > textWidth-2*gridPitch {
		dateX = textWidth - 2*gridPitch - dw
		officeX = dateX - 2*gridPitch
	}
	// The signature never stands on a page of its own.
	t.keepLast(2)
	base := baseline(linePitch, bodySize)
	t.space(linePitch)
	for i, line := range []struct {
		x    float64
		text string
	}{{officeX, office}, {dateX, date}} {
		natural := t.m.measure(f, bodySize, line.text)
		runs, _ := t.setLine(f, bodySize, line.text, line.x, natural*tighten, natural, false, base)
		t.add(item{height: linePitch, row: textRow(linePitch, runs), keep: i == 0, band: Band{Kind: BandSignature, Text: line.text}})
	}
}

// colophonItems sets the 版记: thick rules above and below, the 报/送/发
// lines indented one character with continuation lines aligned after the
// colon, a thin rule, then the printing office left and the date right.
func (t *typesetter) colophonItems(c *report.Colophon) {
	f := t.faces[roleBody]
	em := pt(folioSize)
	measure := t.measurer(f, folioSize)
	base := baseline(colophonPitch, folioSize)
	add := func(it item) {
		it.keep = true
		it.band = Band{Kind: BandColophon, Height: it.height, Section: t.section}
		t.colophon = append(t.colophon, it)
	}
	add(item{height: 0.35, row: ruleRow(0.35, black)})
	for _, l := range c.Lines {
		label := t.m.prepare(f, strings.TrimRight(l.Label, "：:")+"：")
		lw := measure(label)
		lines := linebreak.Lines(t.m.prepare(f, l.Text), textWidth-2*em-lw, measure)
		for i, text := range lines {
			var runs []run // the label first, so that the text reads 报：… when copied
			if i == 0 {
				runs = append(runs, run{face: f, size: folioSize, x: em, baseline: base, text: label})
			}
			runs = append(runs, run{face: f, size: folioSize, x: em + lw, baseline: base, text: text})
			add(item{height: colophonPitch, row: textRow(colophonPitch, runs)})
		}
	}
	if c.PrintedBy != "" || c.Date != "" {
		if len(c.Lines) > 0 {
			add(item{height: 0.25, row: ruleRow(0.25, black)})
		}
		var runs []run
		if c.PrintedBy != "" {
			runs = append(runs, run{face: f, size: folioSize, x: em, baseline: base, text: t.m.prepare(f, c.PrintedBy)})
		}
		if c.Date != "" {
			date := t.m.prepare(f, c.Date+"印发")
			runs = append(runs, run{face: f, size: folioSize, x: textWidth - em - measure(date), baseline: base, text: date})
		}
		add(item{height: colophonPitch, row: textRow(colophonPitch, runs)})
	}
	add(item{height: 0.35, row: ruleRow(0.35, black)})
}

// folio is the page-number band under the 版心: "— N —" in 14 pt with its
// top 7 mm below the 版心, one character in from the right edge on odd
// pages and from the left edge on even pages.
func (t *typesetter) folio(n int) core.Row {
	f := t.faces[roleBody]
	s := t.m.prepare(f, fmt.Sprintf("— %d —", n))
	em := pt(folioSize)
	x := em
	if n%2 == 1 {
		x = textWidth - em - t.m.measure(f, folioSize, s)
	}
	// Digits stand about 0.72 em above the baseline.
	r := run{face: f, size: folioSize, x: x, baseline: folioGap + 0.72*em, text: s}
	return textRow(folioHeight, []run{r})()
}

// table sets a table: caption, header row (repeated on every page the
// table reaches, under 续表), rows never split across pages unless taller
// than half a page, an optional total row in the heading font. Cell text
// is broken with package linebreak. A table breaks across pages with
// headRows rows at least on each side; one of fewer rows than that twice
// is kept whole.
func (t *typesetter) table(tb *report.Table, at string) error {
	if len(tb.Columns) == 0 {
		return fmt.Errorf("%s: table %q has no columns", at, tb.Sheet)
	}
	name := tb.Caption
	if name == "" {
		name = tb.Sheet
	}
	t.tables++
	ts := t.tableStyle(tb)
	t.space(2.5)
	if tb.Caption != "" {
		t.centred(roleHeading, captionSize, captionPitch, tb.Caption, true, BandCaption)
	}
	titles := make([]report.Cell, len(tb.Columns))
	for i, c := range tb.Columns {
		titles[i] = report.Cell{Text: c.Title}
	}
	headers := t.tableRow(ts, titles, roleHeading, true, textHeight)
	header := headers[0]
	header.what = fmt.Sprintf("%s: header of table %q", at, name)
	if len(headers) > 1 {
		return fmt.Errorf("%s is taller than a page", header.what)
	}
	header.keep = true
	header.band = Band{Kind: BandHeader, Table: t.tables}
	t.add(header)
	repeat := header
	repeat.keep = false
	repeat.band.Section = t.section
	repeat.band.Height = repeat.height
	continued := t.continued()
	var rows []item
	// A row's pieces share a page with 续表 and the header repeated above them.
	room := textHeight - header.height - continued.height
	nrows := len(tb.Rows)
	if len(tb.Total) > 0 {
		nrows++
	}
	for i, cells := range tb.Rows {
		if len(cells) > len(tb.Columns) {
			return fmt.Errorf("%s: table %q row %d has %d cells for %d columns", at, name, i+1, len(cells), len(tb.Columns))
		}
		for _, it := range t.tableRow(ts, cells, roleBody, false, room) {
			it.what = fmt.Sprintf("%s: table %q row %d", at, name, i+1)
			it.band = Band{Kind: BandRow, Table: t.tables, Row: i, Rows: nrows}
			rows = append(rows, it)
		}
	}
	if len(tb.Total) > 0 {
		if len(tb.Total) > len(tb.Columns) {
			return fmt.Errorf("%s: table %q total row has %d cells for %d columns", at, name, len(tb.Total), len(tb.Columns))
		}
		for _, it := range t.tableRow(ts, tb.Total, roleHeading, false, room) {
			it.what = fmt.Sprintf("%s: table %q total row", at, name)
			it.band = Band{Kind: BandRow, Table: t.tables, Row: nrows - 1, Rows: nrows}
			rows = append(rows, it)
		}
	}
	for i, it := range rows {
		it.header = []item{continued, repeat}
		// The caption and header keep with the first headRows rows, the
		// last headRows rows together: no header with a row or two
		// stranded at a page's foot, no row or two alone at the head of
		// the next.
		row := it.band.Row
		it.keep = i < len(rows)-1 && (row < headRows-1 || row >= nrows-headRows)
		t.add(it)
	}
	t.space(2.5)
	return nil
}

// continued is the 续表 line over a table's header repeated on a page.
func (t *typesetter) continued() item {
	f := t.faces[roleHeading]
	s := t.m.prepare(f, "续表")
	runs := []run{{face: f, size: noteSize, x: 0, baseline: baseline(notePitch, noteSize), text: s}}
	return item{height: notePitch, row: textRow(notePitch, runs), band: Band{Kind: BandContinued, Text: s, Section: t.section, Height: notePitch}}
}

// headRows is how many body rows a table's caption and header keep with.
const headRows = 3

// tableStyle is the geometry of one table.
type tableStyle struct {
	columns    []report.Column
	widths     []float64 // mm
	units      []int     // maroto grid units, adding up to gridUnits
	size       float64
	lineHeight float64
	padX, padY float64
}

// tableStyle fits a table's columns to its text, as a word processor's
// automatic table layout does: each column as wide as its longest line
// where the 版心 holds them all, the room left shared by the columns'
// weights; else each column as wide as its widest unbreakable piece (two
// characters of its header at least; a number, or a mark standing for
// one, such as 未抽查, is one piece), the room left shared by how much
// each column's text needs beyond that. Cells that cannot fit on one line
// wrap in the columns that have the most to say, not in short ones.
func (t *typesetter) tableStyle(tb *report.Table) tableStyle {
	columns := tb.Columns
	// 五号 (10.5 pt), the type of tables in an office's documents; wide
	// tables closer set: the evaluation annex's fourteen columns hold its
	// marks (无到期问题) on one line and the squads' names in lines of three
	// characters only with 0.75 mm inside each rule
	ts := tableStyle{columns: columns, size: 10.5, padX: 1.5, padY: 1.3}
	switch {
	case len(columns) > 12:
		ts.padX = 0.75
	case len(columns) > 6:
		ts.padX = 1
	}
	ts.lineHeight = pt(ts.size) * 1.3
	n := len(columns)
	natural, least := make([]float64, n), make([]float64, n)
	fit := func(i int, f *face, text string) {
		measure := t.measurer(f, ts.size)
		for _, line := range strings.Split(t.m.prepare(f, text), "\n") {
			natural[i] = math.Max(natural[i], measure(line))
			for _, u := range linebreak.Units(line) {
				least[i] = math.Max(least[i], measure(u))
			}
		}
	}
	head := t.faces[roleHeading]
	for i, c := range columns {
		title := t.m.prepare(head, c.Title)
		w := t.m.measure(head, ts.size, title)
		least[i] = math.Min(w, 2*pt(ts.size)) // a header may stand in lines of two characters
		natural[i] = w / 2                    // or take two lines
	}
	rows := append(slices.Clone(tb.Rows), tb.Total)
	for r, cells := range rows {
		for i, c := range cells[:min(len(cells), n)] {
			f := t.faces[roleBody]
			if c.Emphasis || r == len(rows)-1 { // the total row is set in the heading font
				f = head
			}
			fit(i, f, c.Text)
			if c.Empty {
				// A mark standing for a value (—, 未抽查, 无到期问题) is
				// kept whole, as the number it stands for would be.
				if w := t.m.measure(f, ts.size, t.m.prepare(f, c.Text)); w <= textWidth/4 {
					least[i] = math.Max(least[i], w)
				}
			}
		}
	}
	weights := make([]float64, n)
	sumNatural, sumLeast, sumWeight, sumWant := 0.0, 0.0, 0.0, 0.0
	// a little over the text, as the grid rounds the widths
	pad := 2*ts.padX + 0.1
	for i, c := range columns {
		natural[i] = math.Max(natural[i], least[i]) + pad
		least[i] += pad
		weights[i] = math.Max(c.Width, 0)
		sumNatural, sumLeast, sumWeight, sumWant = sumNatural+natural[i], sumLeast+least[i], sumWeight+weights[i], sumWant+natural[i]-least[i]
	}
	widths := make([]float64, n)
	switch {
	case sumNatural <= textWidth:
		for i := range columns {
			share := 1 / float64(n)
			if sumWeight > 0 {
				share = weights[i] / sumWeight
			}
			widths[i] = natural[i] + (textWidth-sumNatural)*share
		}
	case sumLeast >= textWidth || sumWant == 0:
		for i := range columns {
			widths[i] = least[i] * textWidth / sumLeast
		}
	default:
		// Short texts (a number, 未完成, a type of problem) first get their line, the
		// shortest first; the long ones share what is left.
		copy(widths, least)
		room := textWidth - sumLeast
		order := make([]int, n)
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(natural[a], natural[b]) })
		for _, i := range order {
			if need := natural[i] - widths[i]; natural[i] <= textWidth/3 && need <= room {
				widths[i], room, sumWant = natural[i], room-need, sumWant-need
			}
		}
		for i := range columns {
			if sumWant > 0 {
				widths[i] += room * (natural[i] - widths[i]) / sumWant
			}
		}
	}
	// The columns' weights, as compose gave them, win where they make
	// the table no taller; a column they leave narrower than its widest
	// piece is widened to it, lest a number break ("62." / "5%"), at the
	// cost of the columns wider than their text first.
	weighted := make([]float64, n)
	for i := range columns {
		share := 1 / float64(n)
		if sumWeight > 0 {
			share = weights[i] / sumWeight
		}
		weighted[i] = share * textWidth
	}
	widen(weighted, least, natural)
	fitted := ts
	ts.setWidths(weighted)
	fitted.setWidths(widths)
	if t.tableHeight(fitted, rows) < t.tableHeight(ts, rows)-eps {
		return fitted
	}
	return ts
}

// widen raises each of widths below its least to it, taking the width
// from what the others have beyond their natural width first, then
// beyond their least; where the others have not that much, widths is
// left as it is.
func widen(widths, least, natural []float64) {
	need, spare := 0.0, 0.0
	for i, w := range widths {
		need += max(0, least[i]-w)
		spare += max(0, w-least[i])
	}
	if need <= eps || need > spare+eps {
		return
	}
	for i := range widths {
		widths[i] = max(widths[i], least[i])
	}
	for _, floor := range [][]float64{natural, least} {
		spare := 0.0
		for i, w := range widths {
			spare += max(0, w-floor[i])
		}
		if spare <= eps {
			continue
		}
		k := min(1, need/spare)
		for i, w := range widths {
			if w > floor[i] {
				widths[i] = w - (w-floor[i])*k
			}
		}
		if need -= k * spare; need <= eps {
			return
		}
	}
}

// setWidths sets the columns' widths in mm, rounded to maroto's grid.
func (ts *tableStyle) setWidths(widths []float64) {
	ts.units, ts.widths = nil, nil
	left := gridUnits
	for i := range widths {
		u := int(math.Round(widths[i] / textWidth * gridUnits))
		if i == len(widths)-1 {
			u = left
		}
		left -= u
		ts.units = append(ts.units, u)
		ts.widths = append(ts.widths, float64(u)*textWidth/gridUnits)
	}
}

// tableHeight is how many lines the rows of a table take in ts's columns.
func (t *typesetter) tableHeight(ts tableStyle, rows [][]report.Cell) float64 {
	total := 0
	for _, cells := range rows {
		most := 1
		for i, c := range cells[:min(len(cells), len(ts.widths))] {
			f := t.faces[roleBody]
			lines := linebreak.Lines(t.m.prepare(f, c.Text), ts.widths[i]-2*ts.padX, t.measurer(f, ts.size))
			most = max(most, len(lines))
		}
		total += most
	}
	return float64(total)
}

// tableRow sets one row of cells; cells of a header, a total row or with
// Emphasis are set in the heading font, the Hei that stands for bold. A row
// taller than half of room (a long 问题描述) is set as a piece per line, so
// that it runs on over the next page.
func (t *typesetter) tableRow(ts tableStyle, cells []report.Cell, r role, header bool, room float64) []item {
	lines := make([][]string, len(ts.columns))
	faces := make([]*face, len(ts.columns))
	most := 1
	for i := range ts.columns {
		f := t.faces[r]
		var c report.Cell
		if i < len(cells) {
			c = cells[i]
		}
		if c.Emphasis {
			f = t.faces[roleHeading]
		}
		faces[i] = f
		lines[i] = t.cellLines(f, ts.size, ts.widths[i]-2*ts.padX, c.Text)
		most = max(most, len(lines[i]))
	}
	if float64(most)*ts.lineHeight+2*ts.padY <= room/2+eps {
		return []item{t.rowPiece(ts, lines, faces, header, border.Full)}
	}
	// Taller than half a page: one piece per line, ruled at the row's top
	// and bottom only, so that a page breaks it where it ends rather than
	// leave half a page empty, or fail when the row is taller than a page.
	pieces := make([]item, most)
	for k := range most {
		piece := make([][]string, len(lines))
		for i, ls := range lines {
			if k < len(ls) {
				piece[i] = ls[k : k+1]
			}
		}
		edges := border.Left | border.Right
		if k == 0 {
			edges |= border.Top
		}
		if k == most-1 {
			edges |= border.Bottom
		}
		pieces[k] = t.rowPiece(ts, piece, faces, header, edges)
	}
	return pieces
}

// cellLines breaks a table cell's text into balanced lines of width; the
// lines are shared by every cell of the same text and style, and are not
// to be changed.
func (t *typesetter) cellLines(f *face, size, width float64, text string) []string {
	key := cellKey{f, size, width, text}
	lines, ok := t.m.cells[key]
	if !ok {
		lines = linebreak.Balanced(t.m.prepare(f, text), width, t.measurer(f, size))
		t.m.cells[key] = lines
	}
	return lines
}

// rowPiece draws lines of a row's cells, each cell's centred between the
// paddings of the ruled edges.
func (t *typesetter) rowPiece(ts tableStyle, lines [][]string, faces []*face, header bool, edges border.Type) item {
	most := 1
	for _, ls := range lines {
		most = max(most, len(ls))
	}
	padTop, padBottom := 0.0, 0.0
	if edges.HasTop() {
		padTop = ts.padY
	}
	if edges.HasBottom() {
		padBottom = ts.padY
	}
	h := float64(most)*ts.lineHeight + padTop + padBottom
	var cellRuns [][]run
	for i, ls := range lines {
		top := padTop + (h-padTop-padBottom-float64(len(ls))*ts.lineHeight)/2
		align := ts.columns[i].Align
		if header {
			align = report.AlignCenter
		}
		measure := t.measurer(faces[i], ts.size)
		var runs []run
		for k, l := range ls {
			w, lead := measure(l), 0.0
			// A line wider than the cell's room is a piece with its outer
			// punctuation squeezed (it holds no space, so maroto draws it
			// whole): align what is printed, the blank halves left out.
			if w > ts.widths[i]-2*ts.padX+eps {
				start, end := linebreak.Squeeze(l, measure)
				w, lead = w-start-end, start
			}
			x := ts.padX
			switch align {
			case report.AlignCenter:
				x = (ts.widths[i] - w) / 2
			case report.AlignRight:
				x = ts.widths[i] - ts.padX - w
			}
			runs = append(runs, run{face: faces[i], size: ts.size, x: math.Max(0, x-lead),
				baseline: top + float64(k)*ts.lineHeight + baseline(ts.lineHeight, ts.size), text: l})
		}
		cellRuns = append(cellRuns, runs)
	}
	draw := func(ruled border.Type) func() core.Row {
		style := &props.Cell{BorderType: ruled, BorderThickness: 0.2, BorderColor: black}
		if header {
			style.BackgroundColor = grey
		}
		return func() core.Row {
			cols := make([]core.Col, len(cellRuns))
			for i, runs := range cellRuns {
				c := col.New(ts.units[i]).WithStyle(style)
				for _, r := range runs {
					c.Add(r.component())
				}
				cols[i] = c
			}
			return row.New(h).Add(cols...)
		}
	}
	it := item{height: h, row: draw(edges)}
	if !edges.HasBottom() {
		it.footRow = draw(edges | border.Bottom)
	}
	return it
}

// chart places a chart's PNG at its printed size, centred, on one page.
// Where a page has less room left than the chart needs, it is shrunk to
// fit if that keeps four fifths of its height; else the chart floats to
// the head of the next page and the text after it fills the room.
func (t *typesetter) chart(c *report.Chart, at string) error {
	img, ok := t.charts[c.ID]
	if !ok && !(t.layoutOnly && c.WidthMM > 0 && c.HeightMM > 0) {
		return fmt.Errorf("%s: no image for chart %q (%s)", at, c.ID, c.Title)
	}
	w, h := c.WidthMM, c.HeightMM
	if ok {
		pw, ph, err := pngSize(img)
		if err != nil {
			return fmt.Errorf("%s: chart %q: %w", at, c.ID, err)
		}
		if w <= 0 {
			w = textWidth
		}
		if h <= 0 {
			h = w * float64(ph) / float64(pw)
		}
	}
	// Shrink, keeping the proportions, to the 版心 less room for a caption.
	if k := math.Min(textWidth/w, (textHeight-2*linePitch)/h); k < 1 {
		w, h = w*k, h*k
	}
	draw := func(height float64) func() core.Row {
		width := w * height / h
		units := int(math.Round(width / textWidth * gridUnits))
		side := (gridUnits - units) / 2
		return func() core.Row {
			return row.New(height).Add(
				col.New(side),
				col.New(units).Add(image.NewFromBytes(img, extension.Png, props.Rect{Center: true, Percent: 100})),
				col.New(gridUnits-side-units),
			)
		}
	}
	t.space(2)
	t.add(item{height: h, what: fmt.Sprintf("%s: chart %q", at, c.ID), row: draw(h), resize: draw, minHeight: 0.8 * h,
		float: true, band: Band{Kind: BandChart, Text: c.Title}})
	t.space(2)
	return nil
}

// pngSize reads a PNG's header, refusing what the PDF library cannot embed
// (it would print an error text in place of the chart): 16-bit samples and
// interlacing.
func pngSize(b []byte) (width, height int, err error) {
	const sig = "\x89PNG\r\n\x1a\n"
	if len(b) < 33 || !bytes.HasPrefix(b, []byte(sig)) || string(b[12:16]) != "IHDR" {
		return 0, 0, errors.New("image is not a PNG")
	}
	width, height = int(binary.BigEndian.Uint32(b[16:20])), int(binary.BigEndian.Uint32(b[20:24]))
	switch {
	case width == 0 || height == 0:
		return 0, 0, errors.New("PNG has no pixels")
	case b[24] > 8:
		return 0, 0, fmt.Errorf("PNG has %d-bit samples; the PDF library embeds 8-bit PNGs only", b[24])
	case b[28] != 0:
		return 0, 0, errors.New("PNG is interlaced; the PDF library embeds non-interlaced PNGs only")
	}
	return width, height, nil
}

// textRow is a row of height h holding runs across the 版心.
func textRow(h float64, runs []run) func() core.Row {
	return func() core.Row {
		c := col.New(gridUnits)
		for _, r := range runs {
			c.Add(r.component())
		}
		return row.New(h).Add(c)
	}
}

func spaceRow(h float64) func() core.Row {
	return func() core.Row { return row.New(h).Add(col.New(gridUnits)) }
}

// ruleRow is a full-width rule of thickness h, drawn as a filled row.
func ruleRow(h float64, c *props.Color) func() core.Row {
	return func() core.Row {
		return row.New(h).Add(col.New(gridUnits)).WithStyle(&props.Cell{BackgroundColor: c})
	}
}
