package workbook

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bulletin/report"

	"github.com/xuri/excelize/v2"
)

// hostile are texts a spreadsheet might take for formulas.
var hostile = []string{"=SUM(A1:A2)", "+1", "-1", "@x", " =cmd", "\t=cmd", "\r\n=cmd|' /C calc'!A0"}

func quotaTable() *report.Table {
	return &report.Table{
		Sheet:   "主要任务完成情况",
		Caption: "表1 2025年5月主要任务完成情况",
		Columns: []report.Column{
			{Title: "序号", Align: report.AlignCenter},
			{Title: "任务", Align: report.AlignLeft},
			{Title: "目标"}, {Title: "实际"}, {Title: "抽查案卷"}, {Title: "平均分"},
			{Title: "责任部门"},
		},
		Rows: [][]report.Cell{
			{num(1), txt("行政执法公示制度执行情况季度抽查覆盖全部中队并形成书面报告"),
				pct(0.1), {Text: "12.3%", Number: 0.1233, Format: report.CellPercent, Emphasis: true},
				num(37), {Text: "4.5", Number: 4.5, Format: report.CellDecimal}, txt("法制科")},
			{num(2), txt("全过程记录"), pct(0.05), pct(0.08), num(12),
				{Text: "—", Number: math.NaN(), Format: report.CellDecimal}, txt("督察科")},
		},
		Total: []report.Cell{txt("合计"), {}, {}, {}, num(49)},
	}
}

// hostileTable holds texts that must stay texts, one per row.
func hostileTable() *report.Table {
	t := &report.Table{
		Sheet:   "问题:清单/[草稿]",
		Caption: "表2 发现问题",
		Columns: []report.Column{{Title: "问题"}, {Title: "件数"}},
	}
	for i, s := range hostile {
		t.Rows = append(t.Rows, []report.Cell{txt(s), num(i)})
	}
	return t
}

func annexTable() *report.Table {
	return &report.Table{
		Sheet:   "中队评价",
		Caption: "附表 中队评价指标及得分",
		Columns: []report.Column{{Title: "中队"}, {Title: "得分"}},
		Rows:    [][]report.Cell{{txt("江宁路中队"), num(95)}, {txt("石门二路中队"), num(88)}},
	}
}

func sampleDoc() report.Document {
	return report.Document{
		FileName: "静安城市管理执法工作月报-2025年05月",
		Kind:     "bulletin",
		Title:    "2025年5月执法监督工作情况",
		Masthead: &report.Masthead{Name: "静安城市管理执法工作月报", Issue: "第5期",
			Office: "上海市静安区城市管理行政执法局 编", Date: "2025年6月1日"},
		Blocks: []report.Block{
			{Kind: report.Heading1, Text: "一、本月执法监督工作概况"},
			{Kind: report.Paragraph, Text: "本月，区局共抽查案卷37件。"},
			{Kind: report.TableBlock, Table: quotaTable()},
			{Kind: report.ChartBlock, Chart: quotaChart()},
			{Kind: report.TableBlock, Table: hostileTable()},
		},
		Annexes: []report.Annex{{Label: "附件1", Title: "中队评价", Blocks: []report.Block{
			{Kind: report.TableBlock, Table: annexTable()},
		}}},
	}
}

func quotaChart() *report.Chart {
	target := 0.1
	return &report.Chart{ID: "quota", Title: "2025年5月比例类指标完成值与目标值", Unit: "%", Percent: true,
		Categories: []string{"案卷抽查率", "视音频记录抽查率"},
		Series:     []report.Series{{Name: "完成值", Values: []float64{0.1233, 0.095}}},
		Target:     &target, TargetName: "目标值"}
}

func txt(s string) report.Cell { return report.Cell{Text: s} }
func num(n int) report.Cell {
	return report.Cell{Text: strconv.Itoa(n), Number: float64(n), Format: report.CellInt}
}
func pct(x float64) report.Cell {
	return report.Cell{Text: report.Percent(x), Number: x, Format: report.CellPercent} // as the PDF prints it
}

// writeAndOpen writes doc and opens the result with excelize.
func writeAndOpen(t *testing.T, doc report.Document) (*excelize.File, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "月报数据-2025年05月.xlsx")
	if err := Write(path, doc); err != nil {
		t.Fatal(err)
	}
	return open(t, path), path
}

func open(t *testing.T, path string) *excelize.File {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func cellStyle(t *testing.T, f *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func value(t *testing.T, f *excelize.File, sheet, ref string, raw bool) string {
	t.Helper()
	v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: raw})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestWriteHasOneSheetPerTableInDocumentOrder(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	want := []string{aboutSheet, "主要任务完成情况", "问题：清单／［草稿］", "中队评价", "图1 2025年5月比例类指标完成值与目标值"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
}

func TestWriteLaysOutCaptionHeaderAndFrozenPanes(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	sheet := "主要任务完成情况"
	if got := value(t, f, sheet, "A1", false); got != "表1 2025年5月主要任务完成情况" {
		t.Errorf("caption = %q", got)
	}
	if !cellStyle(t, f, sheet, "A1").Font.Bold {
		t.Error("caption not bold")
	}
	merges, err := f.GetMergeCells(sheet)
	if err != nil || len(merges) != 1 || merges[0].GetStartAxis() != "A1" || merges[0].GetEndAxis() != "G1" {
		t.Errorf("caption merge = %v, %v; want A1:G1", merges, err)
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"序号", "任务", "目标", "实际", "抽查案卷", "平均分", "责任部门"}; !slices.Equal(rows[1], want) {
		t.Errorf("header row = %q, want %q", rows[1], want)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 2 || panes.XSplit != 0 || panes.TopLeftCell != "A3" {
		t.Errorf("panes = %+v, want frozen under row 2", panes)
	}
	printTitles := map[string]string{}
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm.Print_Titles" {
			printTitles[d.Scope] = d.RefersTo
		}
	}
	if got := printTitles[sheet]; got != "'主要任务完成情况'!$1:$2" {
		t.Errorf("print titles = %q, want rows 1 to 2 (all: %q)", got, printTitles)
	}
	layout, err := f.GetPageLayout(sheet)
	if err != nil || layout.Orientation == nil || *layout.Orientation != "landscape" || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout = %+v, %v; want landscape, one page wide", layout, err)
	}
	if props, err := f.GetSheetProps(sheet); err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet properties = %+v, %v; want fit to page", props, err)
	}
}

func TestWriteSetsWidthsFromContent(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	sheet := "主要任务完成情况"
	width := func(col string) float64 {
		w, err := f.GetColWidth(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	long := "行政执法公示制度执行情况季度抽查覆盖全部中队并形成书面报告" // 29 characters, 58 wide
	if w := width("B"); w < float64(displayWidth(long)) || w > maxColWidth {
		t.Errorf("width of the long Chinese column = %v, want ≥ %d", w, displayWidth(long))
	}
	if a, b := width("A"), width("B"); a >= b || a < float64(displayWidth("序号")) {
		t.Errorf("序号 column width %v, task column %v", a, b)
	}
	if w := width("G"); w <= 9.140625-2 || w < float64(displayWidth("责任部门")) {
		t.Errorf("责任部门 column width = %v", w)
	}
}

func TestLongTextIsCappedAndWraps(t *testing.T) {
	doc := sampleDoc()
	long := strings.Repeat("案卷评查发现的问题", 12)
	doc.Blocks = []report.Block{{Kind: report.TableBlock, Table: &report.Table{
		Sheet: "问题", Caption: "问题", Columns: []report.Column{{Title: "问题"}},
		Rows: [][]report.Cell{{txt(long)}},
	}}}
	doc.Annexes = nil
	f, _ := writeAndOpen(t, doc)
	if w, _ := f.GetColWidth("问题", "A"); w != maxColWidth {
		t.Errorf("width = %v, want the cap %v", w, float64(maxColWidth))
	}
	if !cellStyle(t, f, "问题", "A3").Alignment.WrapText {
		t.Error("capped column does not wrap")
	}
	if got := value(t, f, "问题", "A3", false); got != long {
		t.Errorf("long text = %q", got)
	}
}

func TestWriteStoresNumbersWithFormats(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	sheet := "主要任务完成情况"
	tests := []struct {
		ref, raw, shown, custom string
		builtin                 int
	}{
		{ref: "D3", raw: "0.1233", shown: "12.3%", custom: "0.0%"},
		{ref: "C4", raw: "0.05", shown: "5%", custom: "0%"}, // printed "5%": no point Excel would show as "5.%"
		{ref: "E3", raw: "37", shown: "37", builtin: numFmtInt},
		{ref: "F3", raw: "4.5", shown: "4.5"}, // General: as the PDF prints it
		{ref: "E5", raw: "49", shown: "49", builtin: numFmtInt},
	}
	for _, tc := range tests {
		typ, err := f.GetCellType(sheet, tc.ref)
		if err != nil || (typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber) {
			t.Errorf("%s: type %v, %v; want a number", tc.ref, typ, err)
		}
		if got := value(t, f, sheet, tc.ref, true); got != tc.raw {
			t.Errorf("%s: stored %q, want %q", tc.ref, got, tc.raw)
		}
		if got := value(t, f, sheet, tc.ref, false); got != tc.shown {
			t.Errorf("%s: shown %q, want %q", tc.ref, got, tc.shown)
		}
		st := cellStyle(t, f, sheet, tc.ref)
		if tc.custom != "" && (st.CustomNumFmt == nil || *st.CustomNumFmt != tc.custom) {
			t.Errorf("%s: custom format %v, want %q", tc.ref, st.CustomNumFmt, tc.custom)
		}
		if tc.builtin != 0 && st.NumFmt != tc.builtin {
			t.Errorf("%s: number format %d, want %d", tc.ref, st.NumFmt, tc.builtin)
		}
		if st.Alignment == nil || st.Alignment.Horizontal != "right" {
			t.Errorf("%s: alignment %+v, want numbers to the right", tc.ref, st.Alignment)
		}
	}
	// A rate over nothing has no number; its text stands in.
	if got := value(t, f, sheet, "F4", false); got != "—" {
		t.Errorf("NaN cell shows %q, want its text", got)
	}
}

func TestEmphasisAndTotalAreBold(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	sheet := "主要任务完成情况"
	for ref, bold := range map[string]bool{"D3": true, "C3": false, "A5": true, "E5": true, "B4": false} {
		if got := cellStyle(t, f, sheet, ref).Font.Bold; got != bold {
			t.Errorf("%s bold = %v, want %v", ref, got, bold)
		}
	}
	if got := value(t, f, sheet, "A5", false); got != "合计" {
		t.Errorf("total row starts with %q", got)
	}
	if st := cellStyle(t, f, sheet, "G5"); len(st.Border) != 4 || !st.Font.Bold {
		t.Errorf("the short total row is not bordered and bold to the last column: %+v", st)
	}
}

func TestTextThatLooksLikeAFormulaStaysText(t *testing.T) {
	f, path := writeAndOpen(t, sampleDoc())
	sheet := "问题：清单／［草稿］"
	for i, s := range hostile {
		ref := fmt.Sprintf("A%d", firstRow+i)
		if got := value(t, f, sheet, ref, true); got != s {
			t.Errorf("%s = %q, want %q", ref, got, s)
		}
		if st := cellStyle(t, f, sheet, ref); st.NumFmt != numFmtText {
			t.Errorf("%s: number format %d, want Text (%d)", ref, st.NumFmt, numFmtText)
		}
	}
	assertNoFormulas(t, f, path)
}

// assertNoFormulas checks every cell of every sheet through excelize, and
// the sheets' XML for any <f> element.
func assertNoFormulas(t *testing.T, f *excelize.File, path string) {
	t.Helper()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if fm, err := f.GetCellFormula(sheet, ref); err != nil || fm != "" {
					t.Errorf("%s!%s has formula %q (%v)", sheet, ref, fm, err)
				}
			}
		}
	}
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	sheets := 0
	for _, zf := range z.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		sheets++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) || bytes.Contains(xml, []byte(`t="str"`)) {
			t.Errorf("%s holds a formula", zf.Name)
		}
	}
	if sheets != len(f.GetSheetList()) {
		t.Errorf("found %d worksheet parts for %d sheets", sheets, len(f.GetSheetList()))
	}
}

func TestAboutSheetListsAndLinksEverySheet(t *testing.T) {
	f, _ := writeAndOpen(t, sampleDoc())
	rows, err := f.GetRows(aboutSheet)
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "2025年5月执法监督工作情况" {
		t.Errorf("about title = %q", rows[0][0])
	}
	found := map[string]int{}
	for r, row := range rows {
		if len(row) > 0 {
			found[row[0]] = r + 1
		}
	}
	if _, ok := found["期号"]; !ok {
		t.Errorf("about sheet lacks the issue: %q", rows)
	}
	for _, sheet := range f.GetSheetList()[1:] {
		r, ok := found[sheet]
		if !ok {
			t.Errorf("about sheet does not list %q", sheet)
			continue
		}
		ref := fmt.Sprintf("A%d", r)
		link, target, err := f.GetCellHyperLink(aboutSheet, ref)
		if err != nil || !link || target != "'"+sheet+"'!A1" {
			t.Errorf("%s link = %v %q %v", ref, link, target, err)
		}
	}
	if r := found["中队评价"]; len(rows[r-1]) < 3 || rows[r-1][2] != "附件1 中队评价" {
		t.Errorf("annex table's part = %q", rows[r-1])
	}
}

func TestWriteIsDeterministicAndDatedByTheDocument(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.xlsx"), filepath.Join(dir, "b.xlsx")
	if err := Write(a, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("the same document gave different bytes")
	}
	props, err := open(t, a).GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Created != "2025-05-31T16:00:00Z" || props.Title != "2025年5月执法监督工作情况" || props.Creator != "上海市静安区城市管理行政执法局" {
		t.Errorf("properties = %+v", props)
	}
}

func TestSheetNames(t *testing.T) {
	tests := []struct{ raw, want string }{
		{"主要任务完成情况", "主要任务完成情况"},
		{"问题:清单/[草稿]*?\\", "问题：清单／［草稿］＊？＼"},
		{" '引号' ", "引号"},
		{strings.Repeat("中", 40), strings.Repeat("中", 31)},
		{"行\t号", "行号"},
	}
	for _, tc := range tests {
		got, err := sheetName(tc.raw)
		if err != nil || got != tc.want {
			t.Errorf("sheetName(%q) = %q, %v; want %q", tc.raw, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", " ' ", "history", "\x01"} {
		if got, err := sheetName(bad); err == nil {
			t.Errorf("sheetName(%q) = %q, want an error", bad, got)
		}
	}
	var names sheetNames
	if _, err := names.take("Quota"); err != nil {
		t.Fatal(err)
	}
	for _, dup := range []string{"QUOTA", "quota"} {
		if _, err := names.take(dup); err == nil || !strings.Contains(err.Error(), `"Quota"`) {
			t.Errorf("duplicate %q: %v", dup, err)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"": 0, "abc": 3, "中队": 4, "12.3%": 5, "全角：１": 8, "一行\n第二行长": 8} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}

// assertNothingWritten checks that dir holds only the entries it had.
func assertNothingWritten(t *testing.T, dir string, want ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

func TestBadTablesFailBeforeAnythingIsWritten(t *testing.T) {
	tests := map[string]struct {
		edit func(*report.Document)
		says []string
	}{
		"empty sheet name": {
			func(d *report.Document) { d.Annexes[0].Blocks[0].Table.Sheet = " " },
			[]string{"附表 中队评价指标及得分", "empty"},
		},
		"duplicate sheet": {
			func(d *report.Document) { d.Annexes[0].Blocks[0].Table.Sheet = "主要任务完成情况" },
			[]string{"already used"},
		},
		"sheet named like the about sheet": {
			func(d *report.Document) { d.Blocks[2].Table.Sheet = aboutSheet },
			[]string{"already used"},
		},
		"fractional integer": {
			func(d *report.Document) { d.Blocks[2].Table.Rows[1][4].Number = 2.5 },
			[]string{"主要任务完成情况", "E4", "not an integer"},
		},
		"row wider than the columns": {
			func(d *report.Document) { d.Blocks[4].Table.Rows[0] = append(d.Blocks[4].Table.Rows[0], txt("x")) },
			[]string{"row 3", "3 cells for 2 columns"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			doc := sampleDoc()
			tc.edit(&doc)
			path := filepath.Join(dir, "out.xlsx")
			err := Write(path, doc)
			if err == nil {
				t.Fatal("no error")
			}
			for _, s := range append(tc.says, path) {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
			if report.KindOf(err) != report.KindRender {
				t.Errorf("kind = %v", report.KindOf(err))
			}
			assertNothingWritten(t, dir)
		})
	}
}

func TestFailedRenameLeavesNoTempFile(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "out.xlsx")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Write(target, sampleDoc()); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	assertNothingWritten(t, dir, "out.xlsx")
	if fi, err := os.Stat(target); err != nil || !fi.IsDir() {
		t.Errorf("target changed: %v, %v", fi, err)
	}
}

func BenchmarkWrite(b *testing.B) {
	doc := report.Document{Title: "基准", FileName: "bench"}
	for i := range 10 {
		t := &report.Table{
			Sheet:   fmt.Sprintf("表%d", i+1),
			Caption: fmt.Sprintf("表%d 各中队监督覆盖情况", i+1),
			Columns: []report.Column{{Title: "中队"}, {Title: "事项"}, {Title: "抽查"}, {Title: "覆盖率"}, {Title: "平均分"}, {Title: "备注"}},
		}
		for r := range 200 {
			t.Rows = append(t.Rows, []report.Cell{txt(fmt.Sprintf("第%d中队", r)), txt("行政执法公示制度"), num(r),
				pct(float64(r) / 200), {Text: "4.5", Number: 4.5, Format: report.CellDecimal}, txt("=注意")})
		}
		doc.Blocks = append(doc.Blocks, report.Block{Kind: report.TableBlock, Table: t})
	}
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(path, doc); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseChineseDate(t *testing.T) {
	if d, ok := parseChineseDate("2025年6月1日"); !ok || d != report.MustDate(2025, 6, 1) {
		t.Errorf("2025年6月1日 = %v, %v", d, ok)
	}
	for _, bad := range []string{"2025年13月45日", "2025年6月1日起", "2025-06-01", "", "2025年06月01日"} {
		if d, ok := parseChineseDate(bad); ok {
			t.Errorf("%q read as %v", bad, d)
		}
	}
}

// A clerk pastes from the workbook: numerator and denominator as numbers
// in their own columns where the PDF prints "37/300件", the target as a
// share with a percent format and a coverage target in words beside it,
// real dates, blanks rather than "—" in numeric columns, scores as the PDF
// prints them, the detail tables the PDF leaves out, and every chart's data.
func TestWorkbookAClerkCanPasteFrom(t *testing.T) {
	printOnly := func(title string) report.Column { return report.Column{Title: title, Only: report.PrintOnly} }
	sheetOnly := func(title string) report.Column { return report.Column{Title: title, Only: report.WorkbookOnly} }
	quotas := &report.Table{Sheet: "主要任务", Caption: "主要任务完成情况",
		Columns: []report.Column{{Title: "指标"}, printOnly("目标"), sheetOnly("目标值"), sheetOnly("目标要求"),
			printOnly("完成情况"), sheetOnly("分子"), sheetOnly("分母"), {Title: "完成率"}},
		Rows: [][]report.Cell{
			{txt("案卷抽查率"), txt("≥10%"), pct(0.1), txt(""), txt("37/300件"), num(37), num(300), pct(37.0 / 300)},
			{txt("公示制度半年覆盖全部中队"), txt("半年全覆盖"), pct(1), txt("半年全覆盖"), txt("14/15个中队"), num(14), num(15), pct(14.0 / 15)},
			{txt("案卷质量讲评会"), txt("每月1次"), {Format: report.CellPercent, Empty: true}, txt("每月1次"), txt("已落实"), num(1), num(1),
				{Text: "—", Format: report.CellPercent, Empty: true}},
		},
	}
	overdue := &report.Table{Sheet: "逾期", Caption: "逾期未整改问题清单",
		Columns: []report.Column{{Title: "编号"}, {Title: "整改期限"}, {Title: "得分"}},
		Rows: [][]report.Cell{{txt("JC2025020006"), {Text: "3月4日", Date: report.MustDate(2025, 3, 4), Format: report.CellDate},
			{Text: "6.67", Number: 6.67, Format: report.CellDecimal}},
			{txt("JC2025020007"), {Text: "—", Format: report.CellDate, Empty: true}, {Text: "未抽查", Format: report.CellDecimal, Empty: true}}},
	}
	detail := &report.Table{Sheet: "诉件类型", Caption: "投诉信访件按类型统计", Columns: []report.Column{{Title: "类型"}, {Title: "件数"}},
		Rows: [][]report.Cell{{txt("投诉"), num(1048)}}}
	doc := report.Document{FileName: "月报", Title: "2025年6月执法监督工作情况",
		Blocks:  []report.Block{{Kind: report.TableBlock, Table: quotas}, {Kind: report.TableBlock, Table: overdue}, {Kind: report.ChartBlock, Chart: quotaChart()}},
		Details: []*report.Table{detail}}
	f, _ := writeAndOpen(t, doc)

	if got, want := f.GetSheetList(), []string{aboutSheet, "主要任务", "逾期", "诉件类型", "图1 2025年5月比例类指标完成值与目标值"}; !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	header, _ := f.GetRows("主要任务")
	if got := header[1]; !slices.Equal(got, []string{"指标", "目标值", "目标要求", "分子", "分母", "完成率"}) {
		t.Errorf("quota header %q: the printed-only columns are in or the workbook's are missing", got)
	}
	numberCell := func(sheet, ref, raw, format string) {
		t.Helper()
		if typ, _ := f.GetCellType(sheet, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s!%s: type %v, want a number", sheet, ref, typ)
		}
		if got := value(t, f, sheet, ref, true); got != raw {
			t.Errorf("%s!%s: stored %q, want %q", sheet, ref, got, raw)
		}
		st := cellStyle(t, f, sheet, ref)
		got := ""
		if st.CustomNumFmt != nil {
			got = *st.CustomNumFmt
		}
		if got != format {
			t.Errorf("%s!%s: format %q (built-in %d), want %q", sheet, ref, got, st.NumFmt, format)
		}
	}
	numberCell("主要任务", "B3", "0.1", "0%") // 10%, as the PDF prints the target
	numberCell("主要任务", "B4", "1", "0%")
	numberCell("主要任务", "D3", "37", "")
	numberCell("主要任务", "E3", "300", "")
	numberCell("主要任务", "B5", "", "0.0%") // no target share: blank, still a percent column
	numberCell("主要任务", "F5", "", "0.0%") // no rate: blank, not "—"
	if got := value(t, f, "主要任务", "C4", false); got != "半年全覆盖" {
		t.Errorf("coverage target in words %q", got)
	}
	numberCell("逾期", "B3", "45720", "yyyy-mm-dd") // 2025-03-04 as an Excel date
	if got := value(t, f, "逾期", "B3", false); got != "2025-03-04" {
		t.Errorf("date shown %q", got)
	}
	numberCell("逾期", "B4", "", "yyyy-mm-dd")
	if st := cellStyle(t, f, "逾期", "C3"); st.NumFmt != numFmtGeneral || st.CustomNumFmt != nil {
		t.Errorf("score format %d %v, want General", st.NumFmt, st.CustomNumFmt)
	}
	if got := value(t, f, "逾期", "C3", false); got != "6.67" {
		t.Errorf("score shown %q, want the PDF's 6.67", got)
	}
	if got := value(t, f, "逾期", "C4", false); got != "" {
		t.Errorf("score not measured shows %q, want a blank", got)
	}
	chartRows, _ := f.GetRows("图1 2025年5月比例类指标完成值与目标值")
	if len(chartRows) != 4 || !slices.Equal(chartRows[1], []string{"类别", "完成值", "目标值"}) || chartRows[2][0] != "案卷抽查率" {
		t.Errorf("chart data %q", chartRows)
	}
	numberCell("图1 2025年5月比例类指标完成值与目标值", "B3", "0.1233", "0.0%")
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, row := range rows {
			if slices.Contains(row, "—") {
				t.Errorf("%s: a cell shows —: %q", sheet, row)
			}
		}
	}
}

// The 说明 sheet says of each chart's data whether the PDF prints the chart
// or only the console's HTML edition draws it, and names no kind of sheet
// the workbook lacks: sampleDoc has no 明细.
func TestAboutSheetSaysWhereEachChartIs(t *testing.T) {
	doc := sampleDoc()
	screen := quotaChart()
	screen.ID, screen.Title = "screen", "2025年5月各中队案卷评查结果"
	doc.Blocks = append(doc.Blocks, report.Block{Kind: report.ChartBlock, Chart: screen, ScreenOnly: true})
	f, _ := writeAndOpen(t, doc)
	rows, err := f.GetRows(aboutSheet)
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, row := range rows {
		if len(row) == 3 {
			parts[row[0]] = row[2]
		}
	}
	if got := parts["图1 2025年5月比例类指标完成值与目标值"]; got != "图表数据（PDF中的图）" {
		t.Errorf("the printed chart's part = %q", got)
	}
	if got := parts["图2 2025年5月各中队案卷评查结果"]; got != "图表数据（仅在网页工作台显示的图）" {
		t.Errorf("the screen-only chart's part = %q", got)
	}
	if s := fmt.Sprint(rows); strings.Contains(s, "明细") {
		t.Errorf("说明 mentions 明细, which the workbook does not have: %s", s)
	}
}
