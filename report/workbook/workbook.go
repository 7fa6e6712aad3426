// Package workbook writes the .xlsx companions of the documents: every table
// of a document on a sheet of its own, for people who filter and re-use the
// numbers, and the data-quality report for people.
//
// Every sheet follows the same conventions: a bold caption in row 1 merged
// across the columns, the header in row 2, the view frozen under the header,
// column widths set from the content (Chinese characters count double),
// numbers stored as numbers with their format (percentages as 12.3%), and all
// text stored as text with the Text number format, so that a value such as
// "=SUM(A1:A2)" from an export is shown, never evaluated, even after a user
// edits the cell. A first sheet "说明" says what the workbook holds and links
// to every sheet.
//
// The same input gives the same bytes: no wall-clock time is written.
package workbook

import (
	"cmp"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"bulletin/report"

	"github.com/xuri/excelize/v2"
)

// aboutSheet is the first sheet of every workbook.
const aboutSheet = "说明"

// Rows of a table sheet: the caption, the header, then the body.
const (
	captionRow = 1
	headerRow  = 2
	firstRow   = 3
)

// Write writes doc's tables (body first, then the annexes, in order) to an
// .xlsx at path, atomically, after a "说明" sheet that lists them.
func Write(path string, doc report.Document) error {
	return WriteSet(path, strings.ReplaceAll(doc.Title, "\n", ""), []report.Document{doc}) // a line break chosen for print
}

// WriteSet writes the tables of several documents, one after the other, to
// one .xlsx at path titled title: the annex workbook of the half-year
// self-inspection reports, whose documents the caller gives with their
// annexes only. The "说明" sheet then names every document's PDF, and each
// sheet's row the PDF its table belongs to as well as the part.
func WriteSet(path, title string, docs []report.Document) error {
	var (
		tables []placedTable
		in     contents
		facts  [][2]string
	)
	for _, doc := range docs {
		where := func(part string) report.Cell {
			if len(docs) > 1 {
				return text(doc.FileName + ".pdf " + part)
			}
			return text(part)
		}
		tables = append(tables, in.tables(doc.Blocks, nil, where)...)
		for _, a := range doc.Annexes {
			tables = append(tables, in.tables(a.Blocks, &a, where)...)
		}
		for _, t := range doc.Details {
			in.details = true
			tables = append(tables, placedTable{t.For(report.WorkbookOnly), where("明细（仅在本工作簿）")})
		}
		for _, b := range slices.Concat(append([][]report.Block{doc.Blocks}, annexBlocks(doc)...)...) {
			if b.Kind != report.ChartBlock || b.Chart == nil {
				continue
			}
			in.charts++
			// A chart the PDF leaves out (its table or sentence says it)
			// is drawn only by the console's HTML edition.
			part := "图表数据（PDF中的图）"
			if b.ScreenOnly {
				part = "图表数据（仅在网页工作台显示的图）"
			}
			tables = append(tables, placedTable{chartTable(in.charts, b.Chart), where(part)})
		}
		facts = mergeFacts(facts, documentFacts(doc))
	}
	ab := about{title: title, noteTitle: "所在部分", facts: append(facts, [2]string{"数据来源", in.source()})}
	return write(path, setProps(title, docs), ab, tables)
}

// contents notes what a workbook holds, for the "说明" sheet to say so and
// nothing more.
type contents struct {
	body, annex bool // tables of the PDF's body, of its annexes
	split       bool // a table with columns only the workbook has
	details     bool
	charts      int
}

// tables lists the tables among blocks, of the body or of annex, as the
// workbook has them, noting the part they stand in. A table of an annex
// without a caption takes the annex's title, which the PDF prints above
// it; its part is then the annex's label alone, as the caption names it.
func (in *contents) tables(blocks []report.Block, annex *report.Annex, where func(part string) report.Cell) []placedTable {
	part := "正文"
	if annex != nil {
		part = strings.TrimSpace(annex.Label + " " + annex.Title)
	}
	var tables []placedTable
	for _, b := range blocks {
		if b.Kind != report.TableBlock || b.Table == nil {
			continue
		}
		t, note := b.Table.For(report.WorkbookOnly), where(part)
		in.split = in.split || t != b.Table
		in.body, in.annex = in.body || annex == nil, in.annex || annex != nil
		if annex != nil && t.Caption == "" {
			c := *t
			c.Caption, t, note = annex.Title, &c, where(annex.Label)
		}
		tables = append(tables, placedTable{t, note})
	}
	return tables
}

// source is the "数据来源" fact: where the numbers come from and how the
// sheets stand to the PDF, naming only kinds of sheet the workbook has.
func (in contents) source() string {
	var parts []string
	if in.body || in.annex {
		where := "正文、附件"
		switch {
		case !in.annex:
			where = "正文"
		case !in.body:
			where = "附件"
		}
		s := where + "中的表与PDF中的表格一致"
		if in.split {
			s = where + "中的表与PDF中的表格对应（分子、分母等另列一栏，便于计算）"
		}
		parts = append(parts, s)
	}
	if in.details {
		parts = append(parts, "“明细”表只在本工作簿中，PDF相应部分注明了工作表名")
	}
	if in.charts > 0 {
		parts = append(parts, "“图表数据”是各图所画的数字")
	}
	s := "数字取自同一次运行的 figures.json。"
	if len(parts) > 0 {
		s += strings.Join(parts, "；") + "。"
	}
	return s
}

func annexBlocks(doc report.Document) [][]report.Block {
	out := make([][]report.Block, len(doc.Annexes))
	for i, a := range doc.Annexes {
		out[i] = a.Blocks
	}
	return out
}

// chartTable is the data behind the n-th chart, a row per category and a
// column per series, in the chart's unit: what a clerk pastes to draw it
// again. Its sheet is 图n and the title, so that two long titles cut to 31
// characters never make one name.
func chartTable(n int, c *report.Chart) *report.Table {
	format, unit := report.CellDecimal, c.Unit
	if c.Percent {
		format, unit = report.CellPercent, ""
	}
	t := &report.Table{Sheet: strings.TrimSpace(fmt.Sprintf("图%d %s", n, c.Title)), Caption: cmp.Or(c.Title, c.ID), Columns: []report.Column{{Title: "类别", Align: report.AlignLeft}}}
	for _, s := range c.Series {
		title := s.Name
		if unit != "" {
			title += "（" + unit + "）"
		}
		t.Columns = append(t.Columns, report.Column{Title: title, Align: report.AlignRight})
	}
	if c.Target != nil {
		t.Columns = append(t.Columns, report.Column{Title: cmp.Or(c.TargetName, "目标"), Align: report.AlignRight})
	}
	for i, cat := range c.Categories {
		row := []report.Cell{text(cat)}
		for j, s := range c.Series {
			v := math.NaN()
			if i < len(s.Values) {
				v = s.Values[i]
			}
			cell := report.Cell{Number: v, Format: format, Empty: math.IsNaN(v)}
			if c.Percent && !cell.Empty {
				cell.Text = c.Rate(j, i).String() // as the chart labels it: a rate beside its target keeps its side
			}
			row = append(row, cell)
		}
		if c.Target != nil {
			// The row's own target where the series carry them (a trend's
			// months before a revision of the plan), else the line's.
			share := *c.Target
			if len(c.Series) > 0 && i < len(c.Series[0].Targets) {
				share = c.Series[0].Targets[i]
			}
			target := report.Cell{Number: share, Format: format}
			if c.Percent {
				target.Text = report.Percent(share)
			}
			row = append(row, target)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// placedTable is a table and a note on it for the "说明" sheet: where it
// stands in the document, or how many rows it has.
type placedTable struct {
	table *report.Table
	note  report.Cell
}

// about is what the "说明" sheet says besides the list of sheets.
type about struct {
	title     string
	facts     [][2]string // label, value
	noteTitle string      // header of the list's third column
}

func documentFacts(doc report.Document) [][2]string {
	var facts [][2]string
	add := func(label, value string) {
		if value != "" {
			facts = append(facts, [2]string{label, value})
		}
	}
	if m := doc.Masthead; m != nil {
		add("刊物", m.Name)
		add("期号", m.Issue)
		add("编印单位", m.Office)
		add("印发日期", m.Date)
	}
	if s := doc.Signature; s != nil {
		add("发文单位", s.Office)
		add("成文日期", s.Date)
	}
	if doc.FileName != "" {
		add("对应文件", doc.FileName+".pdf")
	}
	return facts
}

// mergeFacts adds the facts of another document to facts: a fact already
// there once, another value of a label (another PDF) after that label's
// last.
func mergeFacts(facts, more [][2]string) [][2]string {
	for _, f := range more {
		if slices.Contains(facts, f) {
			continue
		}
		at := len(facts)
		for i, g := range facts {
			if g[0] == f[0] {
				at = i + 1
			}
		}
		facts = slices.Insert(facts, at, f)
	}
	return facts
}

// setProps sets the file's properties from the documents, titled title,
// dated by the first document's own date (the documents of a set are
// issued together), so that rewriting the same documents gives the same
// bytes. Without a date excelize's fixed template date stays.
func setProps(title string, docs []report.Document) *excelize.DocProperties {
	props := &excelize.DocProperties{Title: title, Creator: "bulletin"}
	if len(docs) == 0 {
		return props
	}
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.FileName
	}
	props.Subject = strings.Join(names, "；")
	doc := docs[0]
	var office, date string
	if m := doc.Masthead; m != nil {
		// "上海市…执法局 编": the office without the 编 (compiled by).
		office, date = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m.Office), "编")), m.Date
	}
	if s := doc.Signature; s != nil {
		office, date = s.Office, s.Date
	}
	if office != "" {
		props.Creator = office
	}
	if d, ok := parseChineseDate(date); ok {
		// Midnight in Shanghai (UTC+8 all year), as the W3CDTF of core.xml wants UTC.
		t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.FixedZone("CST", 8*3600))
		props.Created = t.UTC().Format(time.RFC3339)
		props.Modified = props.Created
	}
	return props
}

// parseChineseDate reads the official form 2025年6月1日, and nothing else.
func parseChineseDate(s string) (report.Date, bool) {
	var y, m, d int
	if _, err := fmt.Sscanf(s, "%d年%d月%d日", &y, &m, &d); err != nil {
		return report.Date{}, false
	}
	date, ok := report.NewDate(y, time.Month(m), d)
	return date, ok && date.Chinese() == s
}

// write builds the workbook in memory, then writes it atomically: an error
// while building leaves nothing on disk.
func write(path string, props *excelize.DocProperties, ab about, tables []placedTable) error {
	fail := func(where string, err error) error {
		return &report.Error{Kind: report.KindRender, Op: "write workbook", Path: path, Where: where, Err: err}
	}
	b := newBook()
	defer b.f.Close()
	if _, err := b.names.take(aboutSheet); err != nil {
		return fail("", err)
	}
	if err := b.f.SetSheetName("Sheet1", aboutSheet); err != nil {
		return fail("", err)
	}
	entries := make([][]report.Cell, 0, len(tables))
	var links []string
	for _, pt := range tables {
		name, err := b.addTable(pt.table)
		if err != nil {
			return fail(fmt.Sprintf("table %q", pt.table.Caption), err)
		}
		entries = append(entries, []report.Cell{text(name), text(pt.table.Caption), pt.note})
		links = append(links, name)
	}
	if err := b.writeAbout(ab, entries, links); err != nil {
		return fail("sheet "+aboutSheet, err)
	}
	if err := b.f.SetDocProps(props); err != nil {
		return fail("document properties", err)
	}
	b.f.SetActiveSheet(0)
	return report.WriteAtomic(path, func(out *os.File) error { return b.f.Write(out) })
}

type book struct {
	f      *excelize.File
	names  sheetNames
	styles map[style]int
}

func newBook() *book {
	return &book{f: excelize.NewFile(), styles: map[style]int{}}
}

// addTable writes t on a new sheet and returns the sheet's name.
func (b *book) addTable(t *report.Table) (string, error) {
	name, err := b.names.take(t.Sheet)
	if err != nil {
		return "", err
	}
	cols := len(t.Columns)
	if cols == 0 {
		return "", fmt.Errorf("sheet %q: the table has no columns", name)
	}
	body := t.Rows
	if t.Total != nil {
		body = append(body[:len(body):len(body)], t.Total)
	}
	if last := firstRow + len(body) - 1; last > excelize.TotalRows {
		return "", fmt.Errorf("sheet %q: %d rows do not fit in a sheet (at most %d)", name, last, excelize.TotalRows)
	}
	titles := make([]report.Cell, cols)
	for i, c := range t.Columns {
		titles[i] = report.Cell{Text: c.Title}
	}
	for r, row := range body {
		if len(row) > cols {
			return "", fmt.Errorf("sheet %q, row %d: %d cells for %d columns", name, firstRow+r, len(row), cols)
		}
	}
	if _, err := b.f.NewSheet(name); err != nil {
		return "", err
	}
	wraps, totalWidth, err := b.setWidths(name, cols, append([][]report.Cell{titles}, body...))
	if err != nil {
		return "", err
	}
	caption := t.Caption
	if caption == "" {
		caption = name
	}
	if err := b.setCaption(name, caption, cols, totalWidth); err != nil {
		return "", err
	}
	if err := b.setRow(name, headerRow, titles, func(int) style { return style{role: roleHeader, align: report.AlignCenter} }); err != nil {
		return "", err
	}
	for r, row := range body {
		isTotal := t.Total != nil && r == len(body)-1
		// A short row (a total with only a label and a sum) still gets its
		// borders across the table.
		row = append(row[:len(row):len(row)], make([]report.Cell, cols-len(row))...)
		err := b.setRow(name, firstRow+r, row, func(i int) style {
			return style{role: roleBody, bold: isTotal || row[i].Emphasis, wrap: wraps[i], align: t.Columns[i].Align}
		})
		if err != nil {
			return "", fmt.Errorf("sheet %q, %w", name, err)
		}
	}
	if err := b.freezeBelow(name, headerRow); err != nil {
		return "", err
	}
	// The filter covers the data rows; the total row stays out of sorting.
	lastData := headerRow + len(t.Rows)
	lastCol, _ := excelize.ColumnNumberToName(cols)
	if err := b.f.AutoFilter(name, fmt.Sprintf("A%d:%s%d", headerRow, lastCol, lastData), nil); err != nil {
		return "", err
	}
	// After AutoFilter, which in excelize v2.11.1 replaces the sheet
	// properties that carry fit-to-page.
	if err := b.setPrinting(name, totalWidth, headerRow); err != nil {
		return "", err
	}
	return name, nil
}

// writeAbout fills the "说明" sheet: the title, the facts as label and
// value, then the list of sheets (name, caption, note) with links.
func (b *book) writeAbout(ab about, entries [][]report.Cell, links []string) error {
	const cols = 3
	header := []report.Cell{{Text: "工作表"}, {Text: "内容"}, {Text: ab.noteTitle}}
	facts := make([][]report.Cell, len(ab.facts))
	for i, f := range ab.facts {
		label := f[0]
		if i > 0 && label == ab.facts[i-1][0] {
			label = "" // another value of the fact above: another PDF
		}
		facts[i] = []report.Cell{{Text: label, Emphasis: true}, {Text: f[1]}}
	}
	wraps, totalWidth, err := b.setWidths(aboutSheet, cols, slices.Concat(facts, [][]report.Cell{header}, entries))
	if err != nil {
		return err
	}
	if err := b.setCaption(aboutSheet, ab.title, cols, totalWidth); err != nil {
		return err
	}
	if err := b.setPrinting(aboutSheet, totalWidth, 0); err != nil {
		return err
	}
	row := firstRow - 1
	for _, f := range facts {
		if err := b.setRow(aboutSheet, row, f, func(i int) style { return style{role: roleFact, bold: f[i].Emphasis, wrap: wraps[i]} }); err != nil {
			return err
		}
		row++
	}
	row++ // a blank line before the list
	if err := b.setRow(aboutSheet, row, header, func(int) style { return style{role: roleHeader, align: report.AlignCenter} }); err != nil {
		return err
	}
	for i, e := range entries {
		row++
		if err := b.setRow(aboutSheet, row, e, func(c int) style {
			if c == 0 {
				return style{role: roleLink, wrap: wraps[c]}
			}
			return style{role: roleBody, wrap: wraps[c]}
		}); err != nil {
			return err
		}
		ref, _ := excelize.CoordinatesToCellName(1, row)
		if err := b.f.SetCellHyperLink(aboutSheet, ref, quoteSheet(links[i])+"!A1", "Location"); err != nil {
			return err
		}
	}
	return nil
}

// setWidths sets each column's width from the widest text in rows and
// returns which columns were capped (their cells wrap) and the total width.
func (b *book) setWidths(sheet string, cols int, rows [][]report.Cell) ([]bool, float64, error) {
	widest := make([]int, cols)
	for _, row := range rows {
		for i, c := range row {
			widest[i] = max(widest[i], displayWidth(shown(c)))
		}
	}
	wraps := make([]bool, cols)
	total := 0.0
	for i, w := range widest {
		cw, wrap := colWidth(w)
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sheet, name, name, cw); err != nil {
			return nil, 0, err
		}
		wraps[i] = wrap
		total += cw
	}
	return wraps, total, nil
}

// setCaption writes the caption bold in row 1, merged across the columns,
// with the row as high as the wrapped caption needs (Excel never fits the
// height of a merged cell by itself).
func (b *book) setCaption(sheet, caption string, cols int, totalWidth float64) error {
	if err := b.setRow(sheet, captionRow, []report.Cell{{Text: caption}}, func(int) style { return style{role: roleCaption, wrap: true} }); err != nil {
		return err
	}
	if cols > 1 {
		last, _ := excelize.CoordinatesToCellName(cols, captionRow)
		if err := b.f.MergeCell(sheet, "A1", last); err != nil {
			return err
		}
	}
	const captionScale = 12.0 / 11 // caption font size over the default
	lines := math.Ceil(float64(displayWidth(caption)) * captionScale / totalWidth)
	return b.f.SetRowHeight(sheet, captionRow, 20*max(lines, 1))
}

// freezeBelow freezes the rows down to row, so the header stays in view.
func (b *book) freezeBelow(sheet string, row int) error {
	topLeft, _ := excelize.CoordinatesToCellName(1, row+1)
	return b.f.SetPanes(sheet, &excelize.Panes{
		Freeze:      true,
		YSplit:      row,
		TopLeftCell: topLeft,
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomLeft"}},
	})
}

// quoteSheet is sheet as a formula or link names it: 'name', with any
// apostrophe doubled.
func quoteSheet(sheet string) string {
	return "'" + strings.ReplaceAll(sheet, "'", "''") + "'"
}

// setPrinting prints a sheet on A4 as wide as one page, landscape when it
// is wider than a portrait page holds, with rows 1 to repeatThrough (the
// caption and the header; none when 0) repeated on every page.
func (b *book) setPrinting(sheet string, totalWidth float64, repeatThrough int) error {
	const portraitWidth = 95 // column width units across A4 portrait at 100%
	a4, onePage, noLimit := 9, 1, 0
	orientation := "portrait"
	if totalWidth > portraitWidth {
		orientation = "landscape"
	}
	fit := true
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	err := b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &onePage, FitToHeight: &noLimit})
	if err != nil || repeatThrough == 0 {
		return err
	}
	return b.f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("%s!$1:$%d", quoteSheet(sheet), repeatThrough),
		Scope:    sheet,
	})
}

// setRow writes cells into row from column A, each with the style look
// gives for its column index.
func (b *book) setRow(sheet string, row int, cells []report.Cell, look func(col int) style) error {
	for i, c := range cells {
		ref, _ := excelize.CoordinatesToCellName(i+1, row)
		if err := b.setCell(sheet, ref, c, look(i)); err != nil {
			return fmt.Errorf("cell %s: %w", ref, err)
		}
	}
	return nil
}

// setCell stores c at ref: numbers as numbers, everything else as a shared
// string, which Excel never evaluates as a formula.
func (b *book) setCell(sheet, ref string, c report.Cell, st style) error {
	st.format = storedFormat(c)
	if st.format == report.CellPercent {
		st.decimals = decimals(c)
	}
	if st.format != report.CellText && st.align == report.AlignLeft {
		// AlignLeft is also "not set"; a spreadsheet's numbers stand right.
		st.align = report.AlignRight
	}
	var err error
	switch {
	case c.Empty && st.format != report.CellText:
		// no value (a rate without a base, an indicator not measured): a
		// blank cell that keeps the column's format, never "—"
	case st.format == report.CellDate:
		err = b.f.SetCellValue(sheet, ref, time.Date(c.Date.Year(), c.Date.Month(), c.Date.Day(), 0, 0, 0, 0, time.UTC))
	case st.format == report.CellText:
		if c.Text != "" {
			err = b.f.SetCellStr(sheet, ref, fitCell(xstring(c.Text)))
		}
	case st.format == report.CellInt:
		if c.Number != math.Trunc(c.Number) || math.Abs(c.Number) > 1<<53 {
			return fmt.Errorf("%v is not an integer (text %q)", c.Number, c.Text)
		}
		err = b.f.SetCellInt(sheet, ref, int64(c.Number))
	default:
		err = b.f.SetCellFloat(sheet, ref, c.Number, -1, 64)
	}
	if err != nil {
		return err
	}
	id, err := b.styleID(st)
	if err != nil {
		return err
	}
	return b.f.SetCellStyle(sheet, ref, ref, id)
}

// storedFormat is how c is stored: a number that is not finite (a rate over
// nothing) cannot be, so its text stands in.
func storedFormat(c report.Cell) report.CellFormat {
	if c.Format != report.CellText && !c.Empty && c.Format != report.CellDate && (math.IsNaN(c.Number) || math.IsInf(c.Number, 0)) {
		return report.CellText
	}
	if c.Format == report.CellDate && !c.Empty && c.Date.IsZero() {
		return report.CellText
	}
	return c.Format
}

// decimals is how many decimals a CellPercent shows: those of its text as
// the PDF prints it (12%, 12.3%, 0.98%: trailing zeros cut, so that a
// figure reads alike in both); one for a cell without such a text.
func decimals(c report.Cell) int {
	if printed, ok := strings.CutSuffix(c.Text, "%"); ok {
		printed = strings.TrimLeft(printed, "≥≤<>")
		if _, err := strconv.ParseFloat(printed, 64); err == nil {
			_, fraction, _ := strings.Cut(printed, ".")
			return len(fraction)
		}
	}
	return 1
}

// shown is the text Excel displays for c, for measuring widths.
func shown(c report.Cell) string {
	if c.Empty && c.Format != report.CellText {
		return ""
	}
	switch storedFormat(c) {
	case report.CellInt:
		return strconv.FormatFloat(c.Number, 'f', 0, 64)
	case report.CellPercent:
		return strconv.FormatFloat(c.Number*100, 'f', decimals(c), 64) + "%"
	case report.CellDecimal:
		return strconv.FormatFloat(c.Number, 'f', -1, 64)
	case report.CellDate:
		return "2025-12-31"
	}
	return c.Text
}

// xstring escapes s for excelize v2.11.1, which writes shared strings as
// given but decodes OOXML's _xHHHH_ escapes when reading: a literal
// "_x0041_" would come back as "A", and control characters, which XML cannot
// carry, would come back as U+FFFD. Both are escaped so that the value of a
// rejected row reads back exactly as it was in the export.
func xstring(s string) string {
	var out strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && isXEscape(s[i:]):
			out.WriteString("_x005F_") // an escaped "_"
		case r < 0x20 && r != '\t' && r != '\n', r == 0xFFFE, r == 0xFFFF:
			fmt.Fprintf(&out, "_x%04X_", r)
		default:
			out.WriteRune(r)
		}
	}
	return out.String()
}

// fitCell cuts text beyond what an Excel cell holds (32,767 UTF-16 units),
// saying so in the cell: excelize would cut it without a word.
func fitCell(s string) string {
	if utf16Len(s) <= excelize.TotalCellChars {
		return s
	}
	note := fmt.Sprintf("……（原文%d字，超过Excel单元格的上限，以下从略）", utf8.RuneCountInString(s))
	room := excelize.TotalCellChars - utf16Len(note)
	for i, r := range s {
		if room -= utf16.RuneLen(r); room < 0 {
			return s[:i] + note
		}
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// isXEscape reports whether s starts with an OOXML escape _xHHHH_.
func isXEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	_, err := strconv.ParseUint(s[2:6], 16, 16)
	return err == nil
}
