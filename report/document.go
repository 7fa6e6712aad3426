package report

import "slices"

// Document is a document laid out in the abstract: what the PDF renderer
// prints and the workbook tabulates. Package compose builds it from the
// figures and the wording templates; renderers never compute, they only
// place what is here.
type Document struct {
	// FileName is the PDF's name without extension:
	// 静安城市管理执法工作月报-2025年05月.
	FileName string
	Kind     string    // bulletin or selfinspection
	Masthead *Masthead // the 简报 masthead of the bulletin; nil for reports
	Title    string    // 2025年5月执法监督工作情况 / the report title; "\n" marks where a long title breaks in print
	// MainRecipient is the 主送 line of a report (市局执法监督处).
	MainRecipient string
	Blocks        []Block
	// Signature is the issuing office and date at the end of a report.
	Signature *Signature
	// Annexes follow the body, each starting on a new page.
	Annexes  []Annex
	Colophon *Colophon // 版记; nil when none
	// Details are tables a reader of the PDF does not need, only in the
	// workbook (the PDF's text says where), in the order of the sections
	// they belong to.
	Details []*Table
}

// Masthead is the 报头 of the bulletin.
type Masthead struct {
	Name   string // 静安城市管理执法工作月报, red and large
	Issue  string // 第5期
	Office string // 上海市静安区城市管理行政执法局 编
	Date   string // 2025年6月1日
}

// Signature closes a report.
type Signature struct {
	Office string
	Date   string
}

// Annex is an appendix (附件) with its own title.
type Annex struct {
	Label     string // 附件1
	Title     string
	Landscape bool
	Blocks    []Block
}

// Colophon is the 版记 at the end of the bulletin.
type Colophon struct {
	Lines     []ColophonLine
	PrintedBy string // 印发 office
	Date      string // 印发 date
}

// ColophonLine is one line of the 版记: 报：…, 送：…, 发：….
type ColophonLine struct {
	Label string // 报 / 送 / 发
	Text  string
}

// BlockKind says what a Block is.
type BlockKind int

const (
	Heading1  BlockKind = iota + 1 // 一、 in the heading (Hei) font
	Heading2                       // （一） in the subheading (Kai) font
	Paragraph                      // body text, first line indented two characters
	TableBlock
	ChartBlock
	Note      // a small remark under a table or chart
	PageBreak // the next block starts a new page
)

// Block is one element of a document's flow. Exactly one of Text, Table or
// Chart is used, by Kind.
type Block struct {
	Kind  BlockKind
	Text  string
	Table *Table
	Chart *Chart
	// ScreenOnly marks a chart that repeats a printed table or sentence:
	// the HTML edition draws it and the workbook gives its data, the PDF
	// leaves it out so that the bulletin stays short.
	ScreenOnly bool
}

// Table is a table of the document and, under the same Sheet name, a sheet of
// the workbook.
type Table struct {
	Sheet   string // workbook sheet name (Chinese, ≤ 31 characters)
	Caption string // printed above the table
	Columns []Column
	Rows    [][]Cell
	// Total, when set, is a last row printed in bold.
	Total []Cell
}

// Column describes a table column. Width is a relative share of the line.
type Column struct {
	Title string
	Width float64
	Align Align
	// Only, when set, keeps the column to one edition: the workbook has
	// numerator and denominator in columns of their own where the PDF
	// prints "37/300件" in one.
	Only Edition
}

// Edition is where a column appears.
type Edition int

const (
	BothEditions Edition = iota
	PrintOnly            // the PDF (and the HTML edition), not the workbook
	WorkbookOnly         // the workbook, not the PDF
)

// For is the table as edition e shows it: the columns (and their cells)
// of the other edition left out. It returns t itself when nothing is.
func (t *Table) For(e Edition) *Table {
	keep := make([]bool, len(t.Columns))
	all := true
	for i, c := range t.Columns {
		keep[i] = c.Only == BothEditions || c.Only == e
		all = all && keep[i]
	}
	if all {
		return t
	}
	project := func(cells []Cell) []Cell {
		if cells == nil {
			return nil
		}
		var out []Cell
		for i, c := range cells {
			if i >= len(keep) || keep[i] {
				out = append(out, c)
			}
		}
		return out
	}
	p := *t
	p.Columns = nil
	for i, c := range t.Columns {
		if keep[i] {
			p.Columns = append(p.Columns, c)
		}
	}
	p.Rows = make([][]Cell, len(t.Rows))
	for i, r := range t.Rows {
		p.Rows[i] = project(r)
	}
	p.Total = project(t.Total)
	return &p
}

// Align of a column's cells.
type Align int

const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// CellFormat tells the workbook how to store a cell.
type CellFormat int

const (
	CellText CellFormat = iota
	CellInt
	CellPercent // Number is a share (0.1233); Text is "12.3%", as the PDF prints it
	CellDecimal // Number as the PDF prints it: 6.67, 96.7, 100
	CellDate    // Date; Text is "2月17日"
)

// Cell is one table cell: Text is what the PDF prints; Number (or Date),
// when Format is not CellText, is what the workbook stores. Empty marks a
// numeric cell without a value (a rate without a base, an indicator not
// measured): the PDF prints Text (—, 未抽查), the workbook leaves it blank.
// Emphasis marks a value to be drawn bold (an unmet quota).
type Cell struct {
	Text     string
	Number   float64
	Date     Date
	Format   CellFormat
	Empty    bool
	Emphasis bool
	// Explain, when set, is the id of the quota whose figure the cell
	// states: the HTML edition links it to the records behind it.
	Explain string
}

// ChartKind is the form of a chart.
type ChartKind string

const (
	BarChart        ChartKind = "bar"         // one or more series side by side
	StackedBarChart ChartKind = "stacked_bar" // series stacked
	LineChart       ChartKind = "line"
	PieChart        ChartKind = "pie"
)

// Chart is a chart in the abstract; package chart renders it to PNG.
type Chart struct {
	ID         string // unique in the document, names the image
	Title      string
	Unit       string // axis unit: %, 件, 个
	Kind       ChartKind
	Categories []string
	Series     []Series
	// Target draws a horizontal target line (in the unit of the values).
	Target     *float64
	TargetName string
	Horizontal bool // bars along the x axis, categories down the y axis
	// Percent marks values that are shares (0..1) to be shown as %.
	Percent bool
	// WidthMM and HeightMM are the printed size; the image is rendered to
	// at least 200 dpi at that size.
	WidthMM, HeightMM float64
}

// WithText returns c with every word it shows (title, unit, target,
// categories, series names) passed through f; c itself is unchanged.
func (c Chart) WithText(f func(string) string) Chart {
	c.Title, c.Unit, c.TargetName = f(c.Title), f(c.Unit), f(c.TargetName)
	c.Categories = slices.Clone(c.Categories)
	for i := range c.Categories {
		c.Categories[i] = f(c.Categories[i])
	}
	c.Series = slices.Clone(c.Series)
	for i := range c.Series {
		c.Series[i].Name = f(c.Series[i].Name)
	}
	return c
}

// Series is one named row of values, aligned with Chart.Categories.
type Series struct {
	Name   string
	Values []float64
	// Targets, when set, are the targets the values are judged against
	// one by one (the quota chart's rates, each against its own), where
	// the chart's Target is not theirs.
	Targets []float64
}

// Rate is a value of a Percent chart as it is printed: judged against its
// series' target for it, else the chart's.
func (c Chart) Rate(series, i int) Rate {
	s := c.Series[series]
	r := Rate{Share: s.Values[i], Target: c.Target}
	if i < len(s.Targets) {
		r.Target = &s.Targets[i]
	}
	return r
}

// Share is a pie's slice as a part of the whole, printed as every share
// is: 201 of 400 is 50.3%, 100 of 400 is 25%.
func (c Chart) Share(slice int) Rate {
	total := 0.0
	for _, v := range c.Series[0].Values {
		total += v
	}
	return Rate{Share: c.Series[0].Values[slice] / total}
}
