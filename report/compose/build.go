package compose

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"bulletin/report"
)

// builder accumulates the blocks of one document. The first template error
// is kept and later calls do nothing, so that section code reads as a plain
// sequence of what the document contains.
type builder struct {
	t      *Templates
	sheets map[string]bool
	// details are the tables only the workbook has (Document.Details).
	details []*report.Table
	err     error
}

func newBuilder(t *Templates) *builder { return &builder{t: t, sheets: map[string]bool{}} }

// prose appends the paragraphs of template name filled in with data.
func (b *builder) prose(blocks *[]report.Block, name string, data any) {
	if b.err != nil {
		return
	}
	paras, err := b.t.paragraphs(name, data)
	if err != nil {
		b.err = err
		return
	}
	for _, p := range paras {
		*blocks = append(*blocks, report.Block{Kind: report.Paragraph, Text: p})
	}
}

// detail keeps tables for the workbook only and returns the note that
// tells the PDF's reader where they are: the workbook and its sheets.
func (b *builder) detail(d *MonthData, tables ...*report.Table) report.Block {
	sheets := make([]string, len(tables))
	captions := make([]string, len(tables))
	for i, t := range tables {
		b.details = append(b.details, t)
		sheets[i] = "“" + t.Sheet + "”"
		captions[i] = strings.TrimPrefix(t.Caption, d.Month.Chinese())
	}
	return note(fmt.Sprintf("注：%s的明细表见《%s》（工作表%s）。", strings.Join(captions, "、"), strings.TrimSuffix(d.Workbook, ".xlsx"), strings.Join(sheets, "")))
}

func heading1(text string) report.Block { return report.Block{Kind: report.Heading1, Text: text} }
func heading2(text string) report.Block { return report.Block{Kind: report.Heading2, Text: text} }
func note(text string) report.Block     { return report.Block{Kind: report.Note, Text: text} }

func tableBlock(t *report.Table) report.Block {
	return report.Block{Kind: report.TableBlock, Table: t}
}

func chartBlock(c *report.Chart) report.Block {
	if c.HeightMM == 0 {
		c.HeightMM = chartHeight(c)
	}
	return report.Block{Kind: report.ChartBlock, Chart: c}
}

// screenChart is a chart for the HTML edition and the workbook only.
func screenChart(c *report.Chart) report.Block {
	b := chartBlock(c)
	b.ScreenOnly = true
	return b
}

// table starts a table whose workbook sheet is named after sheet, made valid
// and unique within the document.
func (b *builder) table(sheet, caption string, cols ...report.Column) *report.Table {
	return &report.Table{Sheet: b.sheetName(sheet), Caption: caption, Columns: cols}
}

// Excel's rules for sheet names.
const (
	maxSheetName   = 31
	sheetForbidden = `[]:*?/\`
)

// sheetName makes name a valid Excel sheet name (no []:*?/\, no leading or
// trailing apostrophe, at most 31 characters) that no other table of the
// document uses, numbering repeats: 问题清单, 问题清单2.
func (b *builder) sheetName(name string) string {
	name = strings.Trim(strings.Map(func(r rune) rune {
		if strings.ContainsRune(sheetForbidden, r) {
			return '-'
		}
		return r
	}, name), "'")
	if name == "" {
		name = "表"
	}
	candidate := truncate(name, maxSheetName)
	for n := 2; b.sheets[candidate]; n++ {
		suffix := strconv.Itoa(n)
		candidate = truncate(name, maxSheetName-len(suffix)) + suffix
	}
	b.sheets[candidate] = true
	return candidate
}

func truncate(s string, runes int) string {
	if utf8.RuneCountInString(s) <= runes {
		return s
	}
	return string([]rune(s)[:runes])
}

func col(title string, width float64, align report.Align) report.Column {
	return report.Column{Title: title, Width: width, Align: align}
}

// Column shapes used throughout.
func nameCol(title string) report.Column { return col(title, 2.2, report.AlignLeft) }
func numCol(title string) report.Column  { return col(title, 1, report.AlignRight) }
func seqCol() report.Column              { return col("序号", 0.6, report.AlignCenter) }

func textCell(s string) report.Cell { return report.Cell{Text: s} }

func intCell(n int) report.Cell {
	return report.Cell{Text: strconv.Itoa(n), Number: float64(n), Format: report.CellInt}
}

// pctCell is a share printed as 12.3% and stored as 0.1233; without a
// value "—" in print and a blank cell in the workbook.
func pctCell(v *float64) report.Cell {
	if v == nil {
		return rateCell(nil)
	}
	return rateCell(&report.Rate{Share: *v})
}

// rateCell is pctCell of a rate that may be judged against a target: the
// PDF and the workbook show it with the decimals that keep it on its side.
func rateCell(r *report.Rate) report.Cell {
	if r == nil {
		return report.Cell{Text: dash, Format: report.CellPercent, Empty: true}
	}
	return report.Cell{Text: r.String(), Number: r.Share, Format: report.CellPercent}
}

// decimalCell is a score, points or a number per 100, stored as printed:
// 100/38 abnormal cases per 100 is 2.63 in the PDF and in the workbook's
// cell, whose General format would show 2.631578947.
func decimalCell(f float64) report.Cell {
	text := formatNum(f)
	printed, _ := strconv.ParseFloat(text, 64)
	return report.Cell{Text: text, Number: printed, Format: report.CellDecimal}
}

// dateCell is a date printed without the report's year (5月3日) and stored
// as a date.
func dateCell(d report.Date, year int) report.Cell {
	if d.IsZero() {
		return report.Cell{Text: dash, Format: report.CellDate, Empty: true}
	}
	return report.Cell{Text: shortDate(d, year), Date: d, Format: report.CellDate}
}

// pointsCell is an indicator's points, or its mark (未抽查) when it had
// nothing to measure and was left out of the score.
func pointsCell(is report.IndicatorScore) report.Cell {
	if !is.Measured || is.Points == nil {
		return report.Cell{Text: is.Note, Format: report.CellDecimal, Empty: true}
	}
	return decimalCell(*is.Points)
}

// statusCell prints a quota status, bold when the quota is failing.
func statusCell(status string) report.Cell {
	return report.Cell{Text: status, Emphasis: status == report.StatusNotMet || status == report.StatusBehind}
}

// Printed size of the charts: the width of the 版心, and a height that
// fits what they show (chartHeight).
const chartWidthMM = 156

// newChart is a chart of the body's full width; chartBlock sets its height.
func newChart(id, title, unit string, kind report.ChartKind, categories []string) *report.Chart {
	return &report.Chart{ID: id, Title: title, Unit: unit, Kind: kind, Categories: categories, WidthMM: chartWidthMM}
}

// chartHeight is the printed height that c's content needs and no more, so
// that charts do not lengthen the bulletin: a line chart's or a pie's
// fixed, horizontal bars' from their number (a category of two bars side
// by side takes more room than one of a bar or a stack), between 50 and
// 95 mm.
func chartHeight(c *report.Chart) float64 {
	switch {
	case c.Kind == report.LineChart:
		return 62
	case c.Kind == report.PieChart:
		return 70
	case !c.Horizontal:
		return 75
	}
	perCategory := 6.0
	if c.Kind == report.BarChart && len(c.Series) > 1 {
		perCategory = 8
	}
	return min(95, max(50, 26+perCategory*float64(len(c.Categories))))
}

func ints(values ...int) []float64 {
	out := make([]float64, len(values))
	for i, v := range values {
		out[i] = float64(v)
	}
	return out
}

// seq is the 序号 cell of row i (0-based).
func seq(i int) report.Cell { return intCell(i + 1) }

// yesNo prints a flag; a "否" is bold because it is the one to act on.
func yesNo(ok bool) report.Cell {
	if ok {
		return textCell("是")
	}
	return report.Cell{Text: "否", Emphasis: true}
}

// chineseDates lists dates in order without their year, as a Chinese
// text writes them: the days of a month together, three or more days in a
// row as a range: 1月6、13日；4月1—4、13日. Written out one by one, the
// dates of a squad checked on most days of a half fill a page.
func chineseDates(ds []report.Date) string {
	ds = slices.SortedFunc(slices.Values(ds), report.Date.Compare)
	ds = slices.Compact(ds)
	var b strings.Builder
	for i := 0; i < len(ds); {
		m := ds[i].MonthOf()
		if i > 0 {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%d月", int(m.Month))
		for first := true; i < len(ds) && ds[i].MonthOf() == m; first = false {
			run := 1 // days in a row from ds[i]
			for i+run < len(ds) && ds[i+run].MonthOf() == m && ds[i+run].Day() == ds[i].Day()+run {
				run++
			}
			if !first {
				b.WriteString("、")
			}
			if run >= 3 {
				fmt.Fprintf(&b, "%d—%d", ds[i].Day(), ds[i+run-1].Day())
				i += run
			} else {
				fmt.Fprintf(&b, "%d", ds[i].Day())
				i++
			}
		}
		b.WriteString("日")
	}
	return b.String()
}
