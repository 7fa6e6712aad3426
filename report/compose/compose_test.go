package compose

import (
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
	"bulletin/report/workbook"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadTemplates(t *testing.T) *Templates {
	t.Helper()
	tm, err := LoadTemplates(templatesDir)
	if err != nil {
		t.Fatalf("shipped templates: %v", err)
	}
	return tm
}

func bulletin(t *testing.T, fig *report.Figures, q *report.Quality) report.Document {
	t.Helper()
	doc, err := Bulletin(testConfig(), fig, q, loadTemplates(t))
	if err != nil {
		t.Fatalf("Bulletin: %v", err)
	}
	return doc
}

func selfInspection(t *testing.T, item string) report.Document {
	t.Helper()
	fig := halfFigures()
	for _, si := range fig.SelfInspections {
		if si.Item == item {
			doc, err := SelfInspection(testConfig(), fig, si, loadTemplates(t))
			if err != nil {
				t.Fatalf("SelfInspection(%s): %v", item, err)
			}
			return doc
		}
	}
	t.Fatalf("no self-inspection of %s in the fixture", item)
	return report.Document{}
}

// allBlocks is the body and the annexes' blocks.
func allBlocks(doc report.Document) []report.Block {
	blocks := slices.Clone(doc.Blocks)
	for _, a := range doc.Annexes {
		blocks = append(blocks, a.Blocks...)
	}
	return blocks
}

func headings(blocks []report.Block, kind report.BlockKind) []string {
	var out []string
	for _, b := range blocks {
		if b.Kind == kind {
			out = append(out, b.Text)
		}
	}
	return out
}

func tableBySheet(t *testing.T, doc report.Document, sheet string) *report.Table {
	t.Helper()
	for _, b := range allBlocks(doc) {
		if b.Kind == report.TableBlock && b.Table.Sheet == sheet {
			return b.Table
		}
	}
	for _, tbl := range doc.Details {
		if tbl.Sheet == sheet {
			return tbl
		}
	}
	t.Fatalf("no table with sheet %q", sheet)
	return nil
}

func paragraphs(doc report.Document) string {
	var b strings.Builder
	for _, bl := range allBlocks(doc) {
		if bl.Kind == report.Paragraph {
			b.WriteString(bl.Text + "\n")
		}
	}
	return b.String()
}

func TestBulletinSectionsInOrder(t *testing.T) {
	doc := bulletin(t, mayFigures(), nil)
	want := []string{"一、本月执法监督工作概况", "二、主要任务完成情况", "三、各中队监督覆盖情况", "四、案卷质量",
		"五、发现问题及整改情况", "六、重要案（诉）件", "七、中队评价", "八、下月工作提示"}
	if got := headings(doc.Blocks, report.Heading1); !slices.Equal(got, want) {
		t.Errorf("section headings:\n got %q\nwant %q", got, want)
	}
	if doc.Blocks[0].Kind != report.Heading1 {
		t.Errorf("a clean, complete month starts with %v %q, want the first heading", doc.Blocks[0].Kind, doc.Blocks[0].Text)
	}
	for i, b := range doc.Blocks {
		if b.Kind == report.Heading1 && (i+1 >= len(doc.Blocks) || doc.Blocks[i+1].Kind == report.Heading1) {
			t.Errorf("section %q is empty", b.Text)
		}
	}
}

func TestBulletinMastheadTitleColophon(t *testing.T) {
	doc := bulletin(t, mayFigures(), nil)
	if doc.FileName != "静安城市管理执法工作月报-2025年05月" {
		t.Errorf("file name %q", doc.FileName)
	}
	if doc.Title != "2025年5月执法监督工作情况" || doc.Kind != KindBulletin {
		t.Errorf("title %q kind %q", doc.Title, doc.Kind)
	}
	want := report.Masthead{Name: "静安城市管理执法工作月报", Issue: "第5期", Office: "上海市静安区城市管理行政执法局 编", Date: "2025年6月1日"}
	if doc.Masthead == nil || *doc.Masthead != want {
		t.Errorf("masthead %+v, want %+v", doc.Masthead, want)
	}
	c := doc.Colophon
	if c == nil {
		t.Fatal("no colophon")
	}
	wantLines := []report.ColophonLine{{Label: "报", Text: "市城管执法局执法监督处"}, {Label: "送", Text: "区司法局"}, {Label: "发", Text: "各科室、各中队"}}
	if !slices.Equal(c.Lines, wantLines) || c.PrintedBy != "静安区城管执法局综合科" || c.Date != "2025年6月1日" {
		t.Errorf("colophon %+v", *c)
	}
}

func TestColophonSkipsEmptyLines(t *testing.T) {
	c := colophon(report.Distribution{ReportTo: []string{"市局"}, IssueTo: []string{"各中队"}}, report.MustDate(2025, 6, 1))
	if len(c.Lines) != 2 || c.Lines[0].Label != "报" || c.Lines[1].Label != "发" {
		t.Errorf("lines %+v, want 报 and 发 only", c.Lines)
	}
}

func TestBulletinOverviewReadsLikeTheBureau(t *testing.T) {
	text := paragraphs(bulletin(t, mayFigures(), nil))
	for _, want := range []string{
		"本月，区局共抽查案卷37件，占上月办结案件300件的12.3%，完成不少于10%的任务要求，抽查比例较上月提高1.3个百分点；" +
			"抽查涉及江宁路中队、石门二路中队、南京西路中队、静安寺中队、曹家渡中队，占全部中队的33.3%，达到不少于20%的要求。",
		"抽查执法视音频记录38件，占上月立案案件400件的9.5%，未完成不少于10%的任务要求",
		"本月办结重大法核案件3件，已检查2件，尚有1件未检查。",
		"视音频记录抽查率、重大法核案件检查覆盖率、队伍建设进中队检查覆盖率、中队每周常态化督察记录4项未完成",
		"2025年上半年剩余1个月，依法行政尚有3个中队未覆盖，每月至少需覆盖3个",
		"抽查发现履职不到位1件，涉及北站中队1件",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the bulletin does not say %q", want)
		}
	}
	for _, bad := range []string{"<no value>", "%!", "map[", "0x", "—%", "等0个"} {
		if strings.Contains(text, bad) {
			t.Errorf("the prose contains %q", bad)
		}
	}
}

func TestQuotaTableHasEveryQuota(t *testing.T) {
	fig := mayFigures()
	doc := bulletin(t, fig, nil)
	tbl := tableBySheet(t, doc, "主要任务完成情况").For(report.PrintOnly)
	if len(tbl.Rows) != len(fig.Quotas) {
		t.Fatalf("quota table has %d rows, figures %d quotas", len(tbl.Rows), len(fig.Quotas))
	}
	statusCol := slices.IndexFunc(tbl.Columns, func(c report.Column) bool { return c.Title == "状态" })
	rateCol := slices.IndexFunc(tbl.Columns, func(c report.Column) bool { return c.Title == "完成率" })
	for i, q := range fig.Quotas {
		row := tbl.Rows[i]
		if len(row) != len(tbl.Columns) {
			t.Errorf("row %d has %d cells for %d columns", i, len(row), len(tbl.Columns))
		}
		if row[2].Text != q.Name {
			t.Errorf("row %d is %q, want %q", i, row[2].Text, q.Name)
		}
		status := row[statusCol]
		if status.Text != q.Status || status.Emphasis != (q.Status == report.StatusNotMet || q.Status == report.StatusBehind) {
			t.Errorf("%s: status cell %+v for %q", q.ID, status, q.Status)
		}
		if strings.Contains(row[4].Text, "0/0") {
			t.Errorf("%s prints %q", q.ID, row[4].Text)
		}
	}
	rate := tbl.Rows[0][rateCol]
	if rate.Format != report.CellPercent || math.Abs(rate.Number-37.0/300) > 1e-12 || rate.Text != "12.3%" {
		t.Errorf("case sample rate cell %+v, want 12.3%% stored as a share", rate)
	}
	// A count (3 checks) and an event (meeting held) are not percentages.
	for _, i := range []int{4, 6} {
		if c := tbl.Rows[i][rateCol]; !c.Empty || c.Text != "—" {
			t.Errorf("%s rate cell %+v, want —", fig.Quotas[i].ID, c)
		}
	}
	if got := tbl.Rows[6][4].Text; got != "3次" {
		t.Errorf("checks of the month: %q", got)
	}
	if got := tbl.Rows[3][3].Text; got != "每个中队≥10件" {
		t.Errorf("annual per squad target %q", got)
	}
}

func TestIncompleteWarningComesFirst(t *testing.T) {
	fig := mayFigures()
	fig.Incomplete = []string{"诉件", "中队督察"}
	doc := bulletin(t, fig, nil)
	first := doc.Blocks[0]
	if first.Kind != report.Paragraph || !strings.Contains(first.Text, "诉件、中队督察数据未能读取") || !strings.Contains(first.Text, "不完整") {
		t.Errorf("first block %v %q, want the incomplete-data warning", first.Kind, first.Text)
	}
}

// The bulletin goes to the city bureau: rejected rows, files, sheets and
// superseded rows are for the operator (the data-quality report and the
// review mail), never in its text, tables or workbook sheets.
func TestDataQualityStaysOutOfTheBulletin(t *testing.T) {
	doc := bulletin(t, mayFigures(), dirtyQuality())
	if len(doc.Annexes) != 1 || doc.Annexes[0].Label != "附件1" {
		t.Fatalf("annexes %d: %+v, want only the evaluation", len(doc.Annexes), doc.Annexes)
	}
	var text strings.Builder
	for _, b := range allBlocks(doc) {
		text.WriteString(b.Text + "\n")
	}
	tables := slices.Clone(doc.Details)
	for _, b := range allBlocks(doc) {
		if b.Kind == report.TableBlock {
			tables = append(tables, b.Table)
		}
	}
	for _, tbl := range tables {
		text.WriteString(tbl.Sheet + tbl.Caption + "\n")
		for _, row := range tbl.Rows {
			for _, c := range row {
				text.WriteString(c.Text + "|")
			}
		}
	}
	for _, internal := range []string{"未予采用", "未采用", ".xlsx", "Sheet1", "被替代", "数据质量", "工作表 抽查明细", "2025-05/"} {
		if strings.Contains(text.String(), internal) {
			t.Errorf("the bulletin says %q:\n%s", internal, text.String())
		}
	}
}

func TestHalfSummaryOnlyInTheHalfsLastMonth(t *testing.T) {
	may := bulletin(t, mayFigures(), nil)
	if h2 := headings(may.Blocks, report.Heading2); slices.ContainsFunc(h2, func(s string) bool { return strings.Contains(s, "上半年") }) {
		t.Errorf("May has a half-year heading: %q", h2)
	}
	june := bulletin(t, juneFigures(), nil)
	if h2 := headings(june.Blocks, report.Heading2); !slices.Contains(h2, "（二）2025年上半年任务完成情况") {
		t.Fatalf("June lacks the half-year summary: %q", h2)
	}
	tbl := tableBySheet(t, june, "半年任务完成情况").For(report.PrintOnly)
	if len(tbl.Rows) != 7 {
		t.Errorf("half summary rows %d, want 7", len(tbl.Rows))
	}
	last := tbl.Rows[6]
	if last[len(last)-1].Text != "江宁路中队、石门二路中队、南京西路中队" || last[6].Text != report.StatusNotMet || !last[6].Emphasis {
		t.Errorf("unmet half quota row %+v", last)
	}
	if text := paragraphs(june); !strings.Contains(text, "执法责任制半年覆盖全部中队未完成，涉及彭浦镇中队、机动中队") {
		t.Errorf("June does not name the squads missing:\n%s", text)
	}
}

func TestSheetNamesUniqueAndValid(t *testing.T) {
	docs := []report.Document{bulletin(t, juneFigures(), dirtyQuality())}
	var annexSheets []string // the half-year workbook merges the three reports' annexes
	for _, item := range []string{"公示制度", "全过程记录", "重大法核"} {
		doc := selfInspection(t, item)
		docs = append(docs, doc)
		for _, a := range doc.Annexes {
			for _, b := range a.Blocks {
				if b.Kind == report.TableBlock {
					annexSheets = append(annexSheets, b.Table.Sheet)
				}
			}
		}
	}
	for _, doc := range docs {
		seen := map[string]bool{}
		charts := map[string]bool{}
		for _, b := range allBlocks(doc) {
			switch b.Kind {
			case report.TableBlock:
				name := b.Table.Sheet
				if err := checkSheetName(name); err != nil {
					t.Errorf("%s: %v", doc.FileName, err)
				}
				if seen[name] {
					t.Errorf("%s: sheet %q twice", doc.FileName, name)
				}
				seen[name] = true
				checkCells(t, b.Table.For(report.WorkbookOnly))
			case report.ChartBlock:
				c := b.Chart
				if c.ID == "" || charts[c.ID] {
					t.Errorf("%s: chart id %q empty or repeated", doc.FileName, c.ID)
				}
				charts[c.ID] = true
				checkChart(t, c)
			}
		}
	}
	if len(annexSheets) != 3 || len(slices.Compact(slices.Sorted(slices.Values(annexSheets)))) != 3 {
		t.Errorf("annex sheets %q are not three distinct names", annexSheets)
	}
}

func checkSheetName(name string) error {
	switch {
	case name == "":
		return errors.New("empty sheet name")
	case utf8.RuneCountInString(name) > 31:
		return fmt.Errorf("sheet %q longer than 31 characters", name)
	case strings.ContainsAny(name, sheetForbidden):
		return fmt.Errorf("sheet %q has a character Excel forbids", name)
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return fmt.Errorf("sheet %q starts or ends with an apostrophe", name)
	case !strings.ContainsFunc(name, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }):
		return fmt.Errorf("sheet %q is not Chinese", name)
	}
	return nil
}

// checkCells: every row fits the columns, and every cell that prints a
// number stores it.
func checkCells(t *testing.T, tbl *report.Table) {
	t.Helper()
	rows := tbl.Rows
	if tbl.Total != nil {
		rows = append(slices.Clone(rows), tbl.Total)
	}
	for i, row := range rows {
		if len(row) != len(tbl.Columns) {
			t.Errorf("%s row %d: %d cells, %d columns", tbl.Sheet, i, len(row), len(tbl.Columns))
		}
		for _, c := range row {
			if c.Format == report.CellText && c.Text != "" && strings.TrimLeft(c.Text, "0123456789.%") == "" {
				t.Errorf("%s row %d: number %q stored as text", tbl.Sheet, i, c.Text)
			}
		}
	}
}

func checkChart(t *testing.T, c *report.Chart) {
	t.Helper()
	if c.Title == "" || c.Unit == "" || c.WidthMM != 156 || c.HeightMM < 50 || c.HeightMM > 95 {
		t.Errorf("chart %s: title %q unit %q size %v×%v", c.ID, c.Title, c.Unit, c.WidthMM, c.HeightMM)
	}
	for _, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			t.Errorf("chart %s series %s: %d values for %d categories", c.ID, s.Name, len(s.Values), len(c.Categories))
		}
	}
	if len(c.Categories) >= 15 && c.Kind != report.LineChart && !c.Horizontal {
		t.Errorf("chart %s of %d squads is not horizontal", c.ID, len(c.Categories))
	}
}

func TestBulletinCharts(t *testing.T) {
	doc := bulletin(t, mayFigures(), nil)
	byID := map[string]*report.Chart{}
	for _, b := range allBlocks(doc) {
		if b.Kind == report.ChartBlock {
			byID[b.Chart.ID] = b.Chart
		}
	}
	for _, id := range []string{"quota-rates", "trend-1", "trend-2", "pass-rate-trend", "quality-by-squad"} {
		if byID[id] == nil {
			t.Errorf("no chart %s", id)
		}
	}
	// What a sentence or a table's last row already says is not drawn: the
	// month's rectification states (19 against 1), the squads covered per item.
	for _, id := range []string{"coverage", "rectification", "problem-types"} { // May has 5 problem types, all in a sentence
		if byID[id] != nil {
			t.Errorf("chart %s repeats what the text says", id)
		}
	}
	// The sample rates against their targets, one chart per target: 10% and 1%
	// are not drawn on one axis, nor beside the pass rate near 100%.
	for id, want := range map[string]struct {
		target float64
		series []string
	}{
		"trend-1": {0.10, []string{"案卷抽查率", "视音频记录抽查率"}},
		"trend-2": {0.01, []string{"投诉信访件抽查率"}},
	} {
		c := byID[id]
		if c == nil {
			continue
		}
		var names []string
		for _, s := range c.Series {
			names = append(names, s.Name)
		}
		if c.Target == nil || *c.Target != want.target || !slices.Equal(names, want.series) || c.Kind != report.LineChart {
			t.Errorf("%s: target %v series %q, want %v and %q", id, c.Target, names, want.target, want.series)
		}
	}
	// The pass rate has its own chart, without the month that had no sample.
	if c := byID["pass-rate-trend"]; c != nil && (!slices.Equal(c.Categories, []string{"1月", "2月", "4月", "5月"}) || len(c.Series) != 1) {
		t.Errorf("pass rate chart: months %q, %d series", c.Categories, len(c.Series))
	}
	// More problem types than the sentence names: the chart ranks them.
	many := mayFigures()
	for i := range 3 {
		many.CaseQuality.ProblemTypes = append(many.CaseQuality.ProblemTypes, report.Count{Name: fmt.Sprintf("其他问题%d", i+1), Count: 1})
	}
	found := false
	for _, b := range allBlocks(bulletin(t, many, nil)) {
		found = found || b.Kind == report.ChartBlock && b.Chart.ID == "problem-types" && len(b.Chart.Categories) == 8
	}
	if !found {
		t.Error("eight problem types and no chart of them")
	}
	if c := byID["quota-rates"]; c != nil && (!c.Percent || len(c.Series) != 2) {
		t.Errorf("quota chart %+v", c)
	}
	if c := byID["quality-by-squad"]; c != nil && (c.Kind != report.StackedBarChart || len(c.Categories) != 15) {
		t.Errorf("quality chart %+v", c)
	}
}

func TestCoverageMatrix(t *testing.T) {
	fig := mayFigures()
	doc := bulletin(t, fig, nil)
	tbl := tableBySheet(t, doc, "中队覆盖情况")
	if len(tbl.Rows) != 15 {
		t.Fatalf("matrix rows %d", len(tbl.Rows))
	}
	// 依法行政: the first five squads this month, twelve in the half.
	for i, row := range tbl.Rows {
		want := ""
		switch {
		case i < 5:
			want = "●"
		case i < 12:
			want = "○"
		}
		if row[1].Text != want {
			t.Errorf("%s 依法行政: %q, want %q", row[0].Text, row[1].Text, want)
		}
	}
	if tbl.Total[1].Number != 12 {
		t.Errorf("total 依法行政 half coverage %v", tbl.Total[1])
	}
}

// missing counts the indicators a row of the evaluation annex marks as
// not measured.
func missing(row []report.Cell) int {
	n := 0
	for j := 3; j < len(row)-2; j += 2 {
		if row[j].Empty {
			n++
		}
	}
	return n
}

func TestEvaluationAnnexExplainsEveryScore(t *testing.T) {
	fig := mayFigures()
	doc := bulletin(t, fig, nil)
	tbl := tableBySheet(t, doc, "中队评价指标明细")
	if !doc.Annexes[0].Landscape || len(tbl.Rows) != 15 {
		t.Fatalf("annex 1: landscape %v, rows %d", doc.Annexes[0].Landscape, len(tbl.Rows))
	}
	// An indicator with nothing to measure is marked (未抽查) in its value
	// column and "—" in its points column (the mark printed once, lest it
	// wrap in the annex's narrow columns), blank in the workbook, and left
	// out: the score is the points over the weights of the indicators
	// measured, on a 100-point scale.
	indicators := fig.Evaluation.Indicators
	marked := 0
	for _, row := range tbl.Rows {
		sum, weights := 0.0, 0.0
		for j, ind := range indicators {
			points := row[3+2*j]
			if points.Empty {
				if value := row[2+2*j]; !value.Empty || value.Text == "" || value.Text == "—" || points.Text != "—" {
					t.Errorf("%s %s: not measured but marked %q / %q", row[1].Text, ind.Name, row[2+2*j].Text, points.Text)
				}
				marked++
				continue
			}
			sum += points.Number
			weights += ind.Weight
		}
		if total := row[len(row)-2].Number; math.Abs(sum/weights*100-total) > 0.011 {
			t.Errorf("%s: points %v of %v, score %v", row[1].Text, sum, weights, total)
		}
		if n := row[len(row)-1]; n.Number != float64(len(indicators)-missing(row)) || n.Emphasis != (n.Number < float64(len(indicators))) {
			t.Errorf("%s: scored on %v indicators (bold %v)", row[1].Text, n.Number, n.Emphasis)
		}
	}
	if marked == 0 {
		t.Error("no indicator is marked as not measured; the fixture has squads without case-file samples")
	}
	var notes []string
	for _, b := range doc.Annexes[0].Blocks {
		if b.Kind == report.Note {
			notes = append(notes, b.Text)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "注：芷江西路中队、") || !strings.Contains(notes[0], "北站中队本期有指标无可计量的对象") ||
		!strings.Contains(notes[0], "“问题按期整改率”的应整改问题含此前逾期") {
		t.Errorf("notes %q", notes)
	}
	ranking := tableBySheet(t, doc, "中队评价")
	for _, row := range ranking.Rows {
		if n := row[3]; n.Emphasis != (n.Number < float64(len(indicators))) {
			t.Errorf("%s: scored on %v indicators, marked %v", row[1].Text, n.Number, n.Emphasis)
		}
	}
}

// The workbook shows every number of annex 1 as the PDF prints it: a
// squad's 1 abnormal case in 38 is 2.63 per 100 in both, not 2.631578947
// in the workbook's cell (as rules-interpretation 27 asks of a rate).
func TestWorkbookShowsTheAnnexAsPrinted(t *testing.T) {
	fig := mayFigures()
	abnormal := &fig.Evaluation.Squads[0].Indicators[4]
	if abnormal.Key != abnormalIndicator || !abnormal.Measured {
		t.Fatalf("the fixture's fifth indicator is %+v, not a measured abnormal_cases", abnormal)
	}
	abnormal.Value = f(100.0 / 38)
	doc := bulletin(t, fig, nil)
	path := filepath.Join(t.TempDir(), "月报数据.xlsx")
	if err := workbook.Write(path, doc); err != nil {
		t.Fatal(err)
	}
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	tbl := tableBySheet(t, doc, "中队评价指标明细")
	rows, err := wb.GetRows(tbl.Sheet) // as Excel shows them: each cell's number format applied
	if err != nil {
		t.Fatal(err)
	}
	header := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == tbl.Columns[0].Title })
	if header < 0 || len(rows) < header+1+len(tbl.Rows) {
		t.Fatalf("sheet %s: no header %q or too few rows: %q", tbl.Sheet, tbl.Columns[0].Title, rows)
	}
	printed := 0
	for i, row := range tbl.Rows {
		for j, c := range row {
			if c.Empty || c.Format != report.CellDecimal && c.Format != report.CellPercent {
				continue
			}
			if got := rows[header+1+i][j]; got != c.Text {
				t.Errorf("%s, %s: the workbook shows %q, the PDF prints %q", row[1].Text, tbl.Columns[j].Title, got, c.Text)
			}
			if c.Text == "2.63" {
				printed++
			}
		}
	}
	if printed != 1 {
		t.Errorf("1 in 38 is printed 2.63 %d times in the annex, want once", printed)
	}
}

func TestSelfInspectionReport(t *testing.T) {
	doc := selfInspection(t, "公示制度")
	title := "静安区城管执法局2025年上半年行政执法公示制度执行情况自查报告"
	if doc.Title != "静安区城管执法局2025年上半年\n行政执法公示制度执行情况自查报告" || doc.FileName != title || doc.MainRecipient != "市局执法监督处" || doc.Kind != KindSelfInspection {
		t.Errorf("title %q file %q recipient %q", doc.Title, doc.FileName, doc.MainRecipient)
	}
	want := []string{"一、基本情况", "二、发现的主要问题", "三、整改落实情况", "四、下一步工作打算"}
	if got := headings(doc.Blocks, report.Heading1); !slices.Equal(got, want) {
		t.Errorf("headings %q", got)
	}
	if doc.Signature == nil || *doc.Signature != (report.Signature{Office: "上海市静安区城市管理行政执法局", Date: "2025年7月5日"}) {
		t.Errorf("signature %+v", doc.Signature)
	}
	if doc.Masthead != nil || doc.Colophon != nil {
		t.Error("a report has no masthead or colophon")
	}
	text := paragraphs(doc)
	for _, w := range []string{
		"共开展行政执法公示制度检查20次，发现问题10个",
		"等14个中队，石门二路中队尚未覆盖。",
		"检查发现的10个问题分为3类：事中公示不到位6个、事前公示不全面3个、事后公示不透明1个。各类问题涉及的中队见下表。",
		"按期整改6个，逾期后整改2个，正在整改1个，逾期未整改1个（涉及北站中队）",
		"公示制度月度检查（2月未完成）",
	} {
		if !strings.Contains(text, w) {
			t.Errorf("the report does not say %q:\n%s", w, text)
		}
	}
	tbl := tableBySheet(t, doc, "公示制度各月指标")
	if len(tbl.Rows) != 12 {
		t.Errorf("monthly quota rows %d, want 6 months × 2 quotas", len(tbl.Rows))
	}
	annex := tableBySheet(t, doc, "公示制度各中队检查情况")
	if len(annex.Rows) != 15 || annex.Total[2].Number != 20 {
		t.Errorf("annex rows %d, total checks %v", len(annex.Rows), annex.Total[2])
	}
	coveredCol := columnIndex(annex, "是否覆盖")
	if c := annex.Rows[1][coveredCol]; annex.Rows[1][1].Text != "石门二路中队" || c.Text != "否" || !c.Emphasis {
		t.Errorf("石门二路中队 not covered, cell %+v", c)
	}
}

func columnIndex(tbl *report.Table, title string) int {
	return slices.IndexFunc(tbl.Columns, func(c report.Column) bool { return c.Title == title })
}

// TestSelfInspectionAnnex: the body ends with the 附件说明 of GB/T 9704
// §7.3.4 naming the annex; the annex's title is printed once, not again
// as the table's caption; and a samples column only for the items
// checked by sampling.
func TestSelfInspectionAnnex(t *testing.T) {
	for _, tc := range []struct {
		item, title string
		samples     bool
	}{
		{"公示制度", "2025年上半年各中队公示制度检查情况表", false},
		{"全过程记录", "2025年上半年各中队全过程记录检查情况表", true},
	} {
		doc := selfInspection(t, tc.item)
		last := doc.Blocks[len(doc.Blocks)-1]
		if last.Kind != report.Paragraph || last.Text != "附件："+tc.title {
			t.Errorf("%s: the body ends with %v %q, want the paragraph 附件：%s", tc.item, last.Kind, last.Text, tc.title)
		}
		if len(doc.Annexes) != 1 || doc.Annexes[0].Title != tc.title {
			t.Fatalf("%s: annexes %+v", tc.item, doc.Annexes)
		}
		tbl := tableBySheet(t, doc, tc.item+"各中队检查情况")
		if tbl.Caption != "" {
			t.Errorf("%s: the annex table repeats the title as its caption %q", tc.item, tbl.Caption)
		}
		if has := columnIndex(tbl, "抽查件数") >= 0; has != tc.samples {
			t.Errorf("%s: samples column %v, want %v", tc.item, has, tc.samples)
		}
	}
}

func TestSelfInspectionWithoutMajorCasesSaysSo(t *testing.T) {
	doc := selfInspection(t, "重大法核")
	if doc.FileName != "静安区城管执法局2025年上半年重大行政执法决定法制审核制度执行情况自查报告" {
		t.Errorf("title %q", doc.Title)
	}
	text := docText(doc)
	if !strings.Contains(text, "2025年上半年，全局未办结重大法核案件，本项无检查对象。") {
		t.Errorf("the note is not printed:\n%s", text)
	}
	if strings.Contains(text, "0/0") || strings.Contains(text, "尚未覆盖") || strings.Contains(text, "**否**") {
		t.Errorf("the report prints 0/0 or uncovered squads for a half without cases:\n%s", text)
	}
	tbl := tableBySheet(t, doc, "重大法核各月指标").For(report.PrintOnly)
	for _, row := range tbl.Rows {
		if row[3].Text != "—" || row[5].Text != report.StatusNoBase {
			t.Errorf("month without base: %+v", row)
		}
	}
}

func TestSelfInspectionUnknownItem(t *testing.T) {
	fig := halfFigures()
	si := fig.SelfInspections[0]
	si.Item = "不存在的事项"
	_, err := SelfInspection(testConfig(), fig, si, loadTemplates(t))
	if report.KindOf(err) != report.KindConfig || !strings.Contains(fmt.Sprint(err), "不存在的事项") {
		t.Errorf("err = %v", err)
	}
}

// docText flattens a document: what the golden files hold.
func docText(doc report.Document) string {
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("文件名：%s", doc.FileName)
	if m := doc.Masthead; m != nil {
		line("报头：%s｜%s｜%s｜%s", m.Name, m.Issue, m.Office, m.Date)
	}
	line("标题：%s", strings.ReplaceAll(doc.Title, "\n", "⏎"))
	if doc.MainRecipient != "" {
		line("主送：%s", doc.MainRecipient)
	}
	blocks := func(bs []report.Block) {
		for _, bl := range bs {
			switch bl.Kind {
			case report.Heading1, report.Heading2:
				line("\n%s", bl.Text)
			case report.Paragraph:
				line("    %s", bl.Text)
			case report.Note:
				line("  〔注〕%s", bl.Text)
			case report.TableBlock:
				tb := bl.Table
				line("  [表 %s｜工作表 %s]", tb.Caption, tb.Sheet)
				var titles []string
				for _, c := range tb.Columns {
					titles = append(titles, c.Title)
				}
				line("  | %s |", strings.Join(titles, " | "))
				rows := tb.Rows
				if tb.Total != nil {
					rows = append(slices.Clone(rows), tb.Total)
				}
				for _, r := range rows {
					var cells []string
					for _, c := range r {
						s := c.Text
						if c.Emphasis {
							s = "**" + s + "**"
						}
						cells = append(cells, s)
					}
					line("  | %s |", strings.Join(cells, " | "))
				}
			case report.ChartBlock:
				c := bl.Chart
				where := "图"
				if bl.ScreenOnly {
					where = "图（仅网页版）"
				}
				line("  [%s %s｜%s｜%s｜单位%s｜%s]", where, c.ID, c.Title, c.Kind, c.Unit, strings.Join(c.Categories, "、"))
				for _, s := range c.Series {
					vals := make([]string, len(s.Values))
					for i, v := range s.Values {
						vals[i] = formatNum(v)
					}
					line("    %s：%s", s.Name, strings.Join(vals, " "))
				}
			}
		}
	}
	blocks(doc.Blocks)
	if s := doc.Signature; s != nil {
		line("\n落款：%s %s", s.Office, s.Date)
	}
	for _, a := range doc.Annexes {
		line("\n%s %s（横排：%v）", a.Label, a.Title, a.Landscape)
		blocks(a.Blocks)
	}
	if c := doc.Colophon; c != nil {
		line("\n版记：")
		for _, l := range c.Lines {
			line("%s：%s", l.Label, l.Text)
		}
		line("%s %s印发", c.PrintedBy, c.Date)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file string
		doc  func(*testing.T) report.Document
	}{
		{"bulletin-2025-05.golden", func(t *testing.T) report.Document { return bulletin(t, mayFigures(), dirtyQuality()) }},
		{"bulletin-2025-06.golden", func(t *testing.T) report.Document { return bulletin(t, juneFigures(), nil) }},
		{"bulletin-2025-12.golden", func(t *testing.T) report.Document { return bulletin(t, decemberFigures(), nil) }},
		{"selfinspection-disclosure.golden", func(t *testing.T) report.Document { return selfInspection(t, "公示制度") }},
		{"selfinspection-recording.golden", func(t *testing.T) report.Document { return selfInspection(t, "全过程记录") }},
		{"selfinspection-legal-review.golden", func(t *testing.T) report.Document { return selfInspection(t, "重大法核") }},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := docText(tc.doc(t))
			path := filepath.Join("testdata", tc.file)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from the composed document; diff with go test -update and git diff:\n%s", path, firstDifference(string(want), got))
			}
		})
	}
}

func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(w), len(g)) {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d\nwant: %s\n got: %s", i+1, wl, gl)
		}
	}
	return ""
}

func TestSelfInspectionWithMajorCases(t *testing.T) {
	cfg, fig := testConfig(), halfFigures()
	legal := fig.SelfInspections[2]
	legal.Note, legal.Checks, legal.Inspections, legal.Samples, legal.Problems, legal.ProblemsSampled = "", 4, 1, 3, 1, 1
	legal.Monthly[2].Quotas[0] = result(cfg, "legal_review.major_case_coverage", 2, 2, true, true)
	legal.Monthly[4].Quotas[0] = result(cfg, "legal_review.major_case_coverage", 2, 3, true, false)
	// May's unchecked case was sampled in June: the sum is what was checked
	// by each case's month's end, not what is checked now (item 88).
	legal.CheckedLate = []report.LateCheck{{Case: "JA2025050007", Squad: "北站中队",
		Closed: report.MustDate(2025, 5, 20), Sample: "CC2025060011", Sampled: report.MustDate(2025, 6, 3)}}
	doc, err := SelfInspection(cfg, fig, legal, loadTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	text := paragraphs(doc)
	for _, w := range []string{"全局办结重大法核案件5件，其中4件截至办结当月月底已抽查案卷，覆盖率80%；" +
		"另有1件在办结当月之后抽查案卷：JA2025050007（2025年5月20日办结，2025年6月3日抽查）。区局共开展重大法核检查1次、抽查重大法核案件案卷3件次，发现问题1个。",
		"抽查发现的1个问题已随评查结论反馈承办中队", "重大法核案件检查覆盖率（5月未完成）"} {
		if !strings.Contains(text, w) {
			t.Errorf("the report does not say %q:\n%s", w, text)
		}
	}
	if strings.Contains(text, "4件已抽查") {
		t.Errorf("the report says the summed monthly figure is what is checked now:\n%s", text)
	}
}

func BenchmarkBulletin(b *testing.B) {
	cfg, fig, q := testConfig(), juneFigures(), dirtyQuality()
	tm, err := LoadTemplates(templatesDir)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Bulletin(cfg, fig, q, tm); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadTemplates(b *testing.B) {
	for b.Loop() {
		if _, err := LoadTemplates(templatesDir); err != nil {
			b.Fatal(err)
		}
	}
}

// A January with nothing read: every rate has no base, and the bulletin
// still reads sensibly, with no 0/0 and no quota counted met before it is due.
func TestEmptyMonth(t *testing.T) {
	cfg := testConfig()
	fig := &report.Figures{Month: "2025-01", PrevMonth: "2024-12", Half: "2025-H1", Issue: 1,
		IssueDate: report.MustDate(2025, 2, 1), Incomplete: []string{"案件", "诉件"}}
	for _, q := range cfg.Plan.Quotas {
		fig.Quotas = append(fig.Quotas, result(cfg, q.ID, 0, 0, q.Window == report.WindowMonth, true))
	}
	doc, err := Bulletin(cfg, fig, nil, loadTemplates(t))
	if err != nil {
		t.Fatal(err)
	}
	text := docText(doc)
	for _, want := range []string{"本月应考核的任务指标共14项，已完成14项。", "上月无办结案件，不计算抽查比例", "本月无办结的重大法核案件。"} {
		if !strings.Contains(text, want) {
			t.Errorf("the empty month does not say %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "0/0") || strings.Contains(text, "以下0项") {
		t.Errorf("the empty month prints nonsense:\n%s", text)
	}
	if first := headings(doc.Blocks, report.Heading1); len(first) != 8 {
		t.Errorf("headings %q", first)
	}
}

// sectionText is the paragraphs and notes of the bulletin's section whose
// heading starts with heading, up to the next section.
func sectionText(doc report.Document, heading string) string {
	var b strings.Builder
	in := false
	for _, bl := range doc.Blocks {
		if bl.Kind == report.Heading1 {
			in = strings.HasPrefix(bl.Text, heading)
		}
		if in && (bl.Kind == report.Paragraph || bl.Kind == report.Note) {
			b.WriteString(bl.Text + "\n")
		}
	}
	return b.String()
}

// In June and December the half's coverage is done; the reminders are
// the next half's, from none, and never "尚有全部中队未覆盖" of the half
// that section 三 has just called covered.
func TestHalfEndRemindersSpeakOfTheNextHalf(t *testing.T) {
	for _, tc := range []struct {
		fig  *report.Figures
		want []string
	}{
		{juneFigures(), []string{
			"1.2025年下半年，依法行政、公示制度、全过程记录、执法责任制、执法实效、队伍建设6个事项均须覆盖全部15个中队，每月至少覆盖3个；" +
				"执法责任制2025年上半年未覆盖的彭浦镇中队、机动中队应优先安排；",
			"2.全年每个中队案卷抽查不少于10件",
		}},
		{decemberFigures(), []string{
			"1.2026年上半年，依法行政、公示制度、全过程记录、执法责任制、执法实效、队伍建设6个事项均须覆盖全部15个中队，每月至少覆盖3个；",
			"队伍建设2025年下半年未覆盖的江宁路中队、石门二路中队、南京西路中队应优先安排",
		}},
	} {
		text := sectionText(bulletin(t, tc.fig, nil), "八、")
		for _, w := range tc.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: the reminders do not say %q:\n%s", tc.fig.Month, w, text)
			}
		}
		for _, bad := range []string{"尚有", "剩余"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: the reminders say %q of a half that has ended:\n%s", tc.fig.Month, bad, text)
			}
		}
	}
	// May: the half's squads still to cover, and the review not yet held
	may := sectionText(bulletin(t, mayFigures(), nil), "八、")
	for _, w := range []string{"2025年上半年剩余1个月，依法行政尚有3个中队未覆盖", "2025年上半年尚未开展案卷集中评查，须在2025年6月底前完成"} {
		if !strings.Contains(may, w) {
			t.Errorf("May: the reminders do not say %q:\n%s", w, may)
		}
	}
}

// The problems of the month and the overdue backlog are told apart, and
// every number of the section adds up.
func TestProblemsSectionAddsUp(t *testing.T) {
	doc := bulletin(t, juneFigures(), nil)
	text := sectionText(doc, "五、")
	want := "本月发现的23个问题中，已整改15个、正在整改7个、已逾期未整改1个；截至2025年6月30日，此前发现的问题中逾期未整改3个（3次检查），连同本月发现的，累计逾期未整改4个。"
	if !strings.Contains(text, want) {
		t.Errorf("the section does not say %q:\n%s", want, text)
	}
	tbl := tableBySheet(t, doc, "问题整改")
	var titles []string
	for _, c := range tbl.Columns {
		titles = append(titles, c.Title)
	}
	if !slices.Equal(titles, []string{"中队", "本月发现问题", "其中已整改", "其中整改中", "其中已逾期", "累计逾期未整改"}) {
		t.Errorf("columns %q", titles)
	}
	for _, row := range append(slices.Clone(tbl.Rows), tbl.Total) {
		if row[1].Number != row[2].Number+row[3].Number+row[4].Number {
			t.Errorf("%s: found %v is not rectified + in progress + overdue %v %v %v", row[0].Text, row[1].Number, row[2].Number, row[3].Number, row[4].Number)
		}
	}
	list := tableBySheet(t, doc, "逾期未整改问题")
	col := columnIndex(list, "问题数")
	if col < 0 || list.Total == nil || list.Total[col].Number != 4 || list.Total[col].Number != tbl.Total[5].Number {
		t.Errorf("overdue list: problems column %d, total %+v; want the 4 overdue problems", col, list.Total)
	}
	if !strings.Contains(list.Caption, "截至2025年6月30日") {
		t.Errorf("overdue list caption %q does not say as of when", list.Caption)
	}
}

// A case may have several abnormal types: the table counts cases in its
// last column, says so, and the prose does not present the types as a
// split of the cases.
func TestAbnormalTypesAreNotASplitOfCases(t *testing.T) {
	doc := bulletin(t, mayFigures(), nil)
	tbl := tableBySheet(t, doc, "异常案件")
	if last := tbl.Columns[len(tbl.Columns)-1].Title; last != "涉及案件数" {
		t.Errorf("last column %q, want 涉及案件数", last)
	}
	text := sectionText(doc, "四、")
	if !strings.Contains(text, "一件案件可涉及多种类型") {
		t.Errorf("no remark on several types per case:\n%s", text)
	}
	if strings.Contains(text, "涉及案件6件，其中") {
		t.Errorf("the prose splits the cases by type:\n%s", text)
	}
	if columnIndex(tableBySheet(t, doc, "案卷质量"), "合格率（含基本合格）") < 0 || columnIndex(tableBySheet(t, doc, "案卷质量"), "抽查数") < 0 {
		t.Errorf("the case-file table does not say how its pass rate is counted")
	}
	if ev := sectionText(doc, "七、"); !strings.Contains(ev, "得分排名及各项指标得分见附件1") {
		t.Errorf("the evaluation does not point to its annex:\n%s", ev)
	}
}

// The quota chart shows every share that failed, whatever its window: a
// half-year coverage missed at the half's end is the one a reader looks for.
func TestQuotaChartShowsEveryFailure(t *testing.T) {
	for name, f := range map[string]*report.Figures{"5月": mayFigures(), "6月": juneFigures(), "12月": decemberFigures()} {
		doc := bulletin(t, f, nil)
		var chart *report.Chart
		for _, b := range allBlocks(doc) {
			if b.Kind == report.ChartBlock && b.Chart.ID == "quota-rates" {
				chart = b.Chart
			}
		}
		for _, q := range f.Quotas {
			if !q.Due || q.Met == nil || *q.Met || q.Value == nil || q.Denominator == 0 {
				continue
			}
			if chart == nil || !slices.Contains(chart.Categories, q.Name) {
				t.Errorf("%s: %s failed (%v of %v) and is not in the quota chart", name, q.Name, *q.Value, q.Target)
			}
		}
	}
}

// A leader reads each thing once: items in the same state in one
// sentence, every squad that keeps a quota behind named, and one time for
// making a shortfall up, the same in 二 and 八.
func TestSentencesSayEachThingOnce(t *testing.T) {
	for name, fig := range map[string]*report.Figures{"5月": mayFigures(), "6月": juneFigures(), "12月": decemberFigures()} {
		doc := bulletin(t, fig, nil)
		if n := strings.Count(sectionText(doc, "三、"), "已覆盖全部中队"); n > 1 {
			t.Errorf("%s: 三 says 已覆盖全部中队 %d times", name, n)
		}
		reminders := sectionText(doc, "八、")
		if n := strings.Count(reminders, "须覆盖全部"); n > 1 {
			t.Errorf("%s: 八 says 须覆盖全部 %d times:\n%s", name, n, reminders)
		}
		quotas := sectionText(doc, "二、")
		for _, q := range fig.Quotas {
			if q.Status == report.StatusBehind {
				for _, squad := range q.Missing {
					if !strings.Contains(quotas, squad) {
						t.Errorf("%s: %s is behind (%s) and 二 does not name %s", name, q.Name, q.Status, squad)
					}
				}
			}
			if q.Due && q.Met != nil && !*q.Met && q.Window == report.WindowHalf {
				// a half's quota missed at its end is made up in the next half, in 二 and 八 alike
				for _, text := range []string{quotas, reminders} {
					if strings.Contains(text, "在下月工作中") && strings.Contains(text, q.Name+"（") &&
						!strings.Contains(text, "优先") {
						t.Errorf("%s: %s is said to be made up next month", name, q.Name)
					}
				}
				if !strings.Contains(quotas, "半年优先补足") || !strings.Contains(reminders, "优先安排") {
					t.Errorf("%s: 二 and 八 disagree on when %s is made up:\n%s\n%s", name, q.Name, quotas, reminders)
				}
			}
		}
	}
}

// A report's title breaks between words: after the half, and after a long
// system's name, never inside 执行情况.
func TestSelfInspectionTitlesBreakBetweenWords(t *testing.T) {
	for item, want := range map[string]string{
		"公示制度":  "静安区城管执法局2025年上半年\n行政执法公示制度执行情况自查报告",
		"全过程记录": "静安区城管执法局2025年上半年\n行政执法全过程记录制度\n执行情况自查报告",
		"重大法核":  "静安区城管执法局2025年上半年\n重大行政执法决定法制审核制度\n执行情况自查报告",
	} {
		if got := selfInspection(t, item).Title; got != want {
			t.Errorf("%s: title %q, want %q", item, got, want)
		}
	}
}

// A half's self-inspection words each month's quotas as the plan then in
// force set them: a due day revised from April is 每月3日前 for April to
// June and stays 每月5日前 for January to March.
func TestSelfInspectionWordsEachMonthUnderItsPlan(t *testing.T) {
	cfg := testConfig()
	revision := cfg.Plan
	revision.Name, revision.From = "静安区城管执法系统2025年度执法监督工作方案（4月修订）", report.Month{Year: 2025, Month: time.April}
	revision.Quotas = slices.Clone(cfg.Plan.Quotas)
	for i := range revision.Quotas {
		if revision.Quotas[i].ID == report.QuotaSummaryOnTime {
			revision.Quotas[i].DueDay = 3
		}
	}
	cfg.Plan.From = report.Month{Year: 2025, Month: time.January}
	cfg.Plans = []report.Plan{cfg.Plan, revision}
	fig := halfFigures()
	si := fig.SelfInspections[0]
	for i := range si.Monthly {
		si.Monthly[i].Quotas = append(si.Monthly[i].Quotas, result(cfg, report.QuotaSummaryOnTime, 1, 1, true, true))
	}
	d, err := halfData(cfg, fig, si)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Monthly) != 6 {
		t.Fatalf("%d months worded, want the half's 6", len(d.Monthly))
	}
	for _, m := range d.Monthly {
		want := "每月5日前报送"
		if m.Month.Month >= time.April {
			want = "每月3日前报送"
		}
		if v := m.Quotas[len(m.Quotas)-1]; v.TargetText != want {
			t.Errorf("%s: %s worded %q, want %q", m.Month, v.Name, v.TargetText, want)
		}
	}
}

// The note under a trend chart whose earlier months had other targets says
// each target once, with its months: a target changed back is not the line's.
func TestEarlierTargetsWording(t *testing.T) {
	var trend []report.TrendPoint
	for m := 1; m <= 12; m++ {
		trend = append(trend, report.TrendPoint{Month: fmt.Sprintf("2025-%02d", m)})
	}
	tests := []struct {
		targets []float64
		want    string
	}{
		{[]float64{.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1}, ""},
		{[]float64{.1, .1, .1, .1, .1, .1, .1, .1, .1, .125, .125, .125},
			"注：目标值线是本月的目标12.5%；方案年中修订前的月份按当时的目标考核，案卷抽查率的目标1—9月为10%。"},
		{[]float64{.1, .1, .1, .1, .1, .1, .12, .12, .1, .1, .12, .12},
			"注：目标值线是本月的目标12%；方案年中修订前的月份按当时的目标考核，案卷抽查率的目标1—6月、9—10月为10%。"},
		{[]float64{.1, .1, .1, .1, .1, .1, .15, .15, .15, .12, .12, .12},
			"注：目标值线是本月的目标12%；方案年中修订前的月份按当时的目标考核，案卷抽查率的目标1—6月为10%，7—9月为15%。"},
		{[]float64{.1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .1, .2},
			"注：目标值线是本月的目标20%；方案年中修订前的月份按当时的目标考核，案卷抽查率的目标1—11月为10%。"},
	}
	for _, tt := range tests {
		if got := earlierTargets(trend, tt.targets, []string{"案卷抽查率"}); got != tt.want {
			t.Errorf("targets %v: %q, want %q", tt.targets, got, tt.want)
		}
	}
}
