package sample

import (
	"bytes"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The quirks the package documentation promises, found in the embedded
// files themselves. Names and spellings are written out literally, as
// data-contract.md has them.

func embeddedFile(t *testing.T, folder string, ds int) string {
	return exportFile(t, FS(), folder, ds)
}

func embeddedRows(t *testing.T, folder string, ds int) [][]string {
	return readRows(t, FS(), embeddedFile(t, folder, ds))
}

func openEmbedded(t *testing.T, folder string, ds int) (*excelize.File, string) {
	t.Helper()
	name := embeddedFile(t, folder, ds)
	raw, err := fs.ReadFile(FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, dataSheet(f, name)
}

// allCells joins every cell of every export: for "does this spelling occur
// anywhere" questions.
func allCells(t *testing.T) map[string][]string {
	t.Helper()
	if cellsOnce != nil {
		return cellsOnce
	}
	cells := map[string][]string{} // value -> files it occurs in
	for _, folder := range monthFolders(t, FS()) {
		for ds := range datasetCount {
			name := embeddedFile(t, folder, ds)
			for _, row := range readRows(t, FS(), name) {
				for _, c := range row {
					if !slices.Contains(cells[c], name) {
						cells[c] = append(cells[c], name)
					}
				}
			}
		}
	}
	cellsOnce = cells
	return cells
}

var cellsOnce map[string][]string

func TestTitleAndExportTimeAboveHeader(t *testing.T) {
	rows := embeddedRows(t, "2025-01", dsCases)
	if rows[0][0] != "静安区城管执法局案件清单" {
		t.Errorf("row 1 = %q, want the title", rows[0])
	}
	if !strings.HasPrefix(rows[1][0], "导出时间：2025-02-01") {
		t.Errorf("row 2 = %q, want the export time", rows[1])
	}
	for _, alias := range []string{"案号", "办案单位", "违法行为", "立案时间", "结案时间", "状态", "重大法核", "异常标记"} {
		if !slices.Contains(rows[2], alias) {
			t.Errorf("header %q lacks the alias %s", rows[2], alias)
		}
	}
}

func TestMergedCells(t *testing.T) {
	f, sheet := openEmbedded(t, "2025-03", dsCases)
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(merged) != 1 || merged[0].GetStartAxis() != "A1" || !strings.HasSuffix(merged[0].GetEndAxis(), "1") ||
		merged[0].GetCellValue() != "静安区城管执法局案件清单" {
		t.Errorf("March 案件: merged %v, want the title merged across row 1", merged)
	}

	f, sheet = openEmbedded(t, "2025-06", dsLedger)
	merged, _ = f.GetMergeCells(sheet)
	if len(merged) == 0 {
		t.Fatal("June 工作台账: no merged department cells")
	}
	for _, m := range merged {
		start, end := m.GetStartAxis(), m.GetEndAxis()
		if start[0] != end[0] || start == end {
			t.Errorf("June 工作台账: merge %s:%s is not a vertical run in one column", start, end)
		}
		if !slices.Contains(DefaultDepartments(), m.GetCellValue()) {
			t.Errorf("June 工作台账: merged value %q is not a department", m.GetCellValue())
		}
	}
}

func TestCSVEncodings(t *testing.T) {
	read := func(folder string, ds int) []byte {
		raw, err := fs.ReadFile(FS(), embeddedFile(t, folder, ds))
		if err != nil {
			t.Fatal(err)
		}
		return raw
	}
	gbk := read("2025-04", dsComplaints)
	if utf8.Valid(gbk) {
		t.Error("April 诉件 is valid UTF-8, want GBK")
	}
	// 诉件编号 in GBK.
	if !bytes.Contains(gbk, []byte{0xCB, 0xDF, 0xBC, 0xFE, 0xB1, 0xE0, 0xBA, 0xC5}) {
		t.Error("April 诉件 lacks the GBK bytes of 诉件编号")
	}
	if bom := read("2025-02", dsCases); !bytes.HasPrefix(bom, []byte{0xEF, 0xBB, 0xBF}) {
		t.Errorf("February 案件 starts % x, want a UTF-8 BOM", bom[:3])
	}
	if plain := read("2025-07", dsCases); bytes.HasPrefix(plain, []byte{0xEF, 0xBB, 0xBF}) || !utf8.Valid(plain) {
		t.Error("July 案件 should be UTF-8 without a BOM")
	}
}

func TestHeaderSpellings(t *testing.T) {
	// The header is the first row of more than one cell (titles have one).
	header := func(folder string, ds int) []string {
		for _, row := range embeddedRows(t, folder, ds) {
			if len(row) > 1 {
				return row
			}
		}
		t.Fatalf("%s %s: no header row", folder, datasets[ds].name)
		return nil
	}
	for _, tc := range []struct {
		folder string
		ds     int
		want   string
	}{
		{"2025-03", dsCases, "案件编号（必填）"},
		{"2025-04", dsCases, "案件编号*"},
		{"2025-06", dsComplaints, "受理时间(必填)"},
		{"2025-08", dsCases, "\u3000案件编号＊\u3000"},
		{"2025-08", dsCases, " 案由\u3000"},
		{"2025-01", dsComplaints, "处置单位"},
		{"2025-05", dsSamples, "序号"},
	} {
		if h := header(tc.folder, tc.ds); !slices.Contains(h, tc.want) {
			t.Errorf("%s %s: header %q lacks %q", tc.folder, datasets[tc.ds].name, h, tc.want)
		}
	}
	var inOrder []string
	for _, c := range datasets[dsCases].cols {
		inOrder = append(inOrder, c.names[2%len(c.names)])
	}
	if h := header("2025-02", dsCases); slices.Equal(h, inOrder) {
		t.Errorf("February 案件 header %q: columns not shuffled", h)
	}
	if h := header("2025-03", dsCases); !slices.Contains(h, "序号") || !slices.Contains(h, "当事人类型") {
		t.Errorf("March 案件 header %q: no extra columns", h)
	}
	// Every name and alias of the contract is used by some month.
	cells := allCells(t)
	folded := map[string]bool{}
	for c := range cells {
		folded[foldHeader(c)] = true
	}
	for _, d := range datasets {
		for _, c := range d.cols {
			for _, n := range c.names {
				if !folded[n] {
					t.Errorf("%s: header name %s never used", d.name, n)
				}
			}
		}
	}
}

func TestSummaryAndEmptyRows(t *testing.T) {
	for _, tc := range []struct {
		folder string
		ds     int
	}{{"2025-02", dsCases}, {"2025-02", dsComplaints}, {"2025-06", dsWeekly}, {"2025-10", dsLedger}} {
		rows := embeddedRows(t, tc.folder, tc.ds)
		if last := rows[len(rows)-1]; last[0] != "合计" {
			t.Errorf("%s %s: last row %q, want a 合计 row", tc.folder, datasets[tc.ds].name, last)
		}
	}
	rows := embeddedRows(t, "2025-05", dsCases)
	if len(rows[4]) != 0 || len(rows[5]) == 0 {
		t.Errorf("May 案件: rows 5-6 = %q, %q: want an empty row after 3 data rows", rows[4], rows[5])
	}
}

func TestSheets(t *testing.T) {
	f, _ := openEmbedded(t, "2025-05", dsCases)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"说明", "案件"}) {
		t.Errorf("May 案件 sheets %v, want [说明 案件]", got)
	}
	f, _ = openEmbedded(t, "2025-06", dsCases)
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Sheet1"}) {
		t.Errorf("June 案件 sheets %v, want [Sheet1]", got)
	}
}

// cellKinds reports whether the first data row's 立案日期 cell of a
// month's 案件 export is a number, and its number format.
func filedCell(t *testing.T, folder string) (excelize.CellType, string, string) {
	t.Helper()
	f, sheet := openEmbedded(t, folder, dsCases)
	rows, _ := f.GetRows(sheet)
	for r, row := range rows {
		col := slices.IndexFunc(row, func(c string) bool { return c == "立案日期" || c == "立案时间" })
		if col < 0 {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(col+1, r+2)
		typ, _ := f.GetCellType(sheet, cell)
		raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		style, _ := f.GetCellStyle(sheet, cell)
		numFmt := ""
		if style != 0 {
			s, _ := f.GetStyle(style)
			if s.CustomNumFmt != nil {
				numFmt = *s.CustomNumFmt
			}
		}
		return typ, raw, numFmt
	}
	t.Fatalf("%s 案件: no 立案日期 column", folder)
	return 0, "", ""
}

func TestDateForms(t *testing.T) {
	if typ, raw, numFmt := filedCell(t, "2024-12"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || numFmt != "yyyy-mm-dd" {
		t.Errorf("December 立案日期: type %v, value %s, format %q: want a real date cell", typ, raw, numFmt)
	}
	if _, raw, numFmt := filedCell(t, "2025-01"); !regexp.MustCompile(`^4\d{4}\.\d+$`).MatchString(raw) || numFmt != "" {
		t.Errorf("January 立案日期: value %s, format %q: want a bare serial number with a time fraction", raw, numFmt)
	}
	cells := allCells(t)
	for form, pattern := range map[string]string{
		"2025-05-03 14:20:00": `^2025-\d\d-\d\d \d\d:\d\d:\d\d$`,
		"2025/5/3 9:05":       `^2025/\d{1,2}/\d{1,2} \d{1,2}:\d\d$`,
		"2025/5/3":            `^2025/\d{1,2}/\d{1,2}$`,
		"2025.5.3":            `^2025\.\d{1,2}\.\d{1,2}$`,
		"2025年5月3日":           `^2025年\d{1,2}月\d{1,2}日$`,
		"2025年5月3日 14:20":     `^2025年\d{1,2}月\d{1,2}日 \d{1,2}:\d\d$`,
		"20250503":            `^2025\d{4}$`,
		"20250503 14:20:00":   `^2025\d{4} \d\d:\d\d:\d\d$`,
		"2025-13-45":          `^2025-13-45$`,
	} {
		re := regexp.MustCompile(pattern)
		if !slices.ContainsFunc(slices.Collect(maps.Keys(cells)), re.MatchString) {
			t.Errorf("no cell in the form %s", form)
		}
	}
}

func TestBooleansAndSquadSpellings(t *testing.T) {
	cells := allCells(t)
	for _, v := range []string{"是", "否", "Y", "N", "1", "0", "true", "false", "√", "×"} {
		if len(cells[v]) == 0 {
			t.Errorf("no cell %q", v)
		}
	}
	f, sheet := openEmbedded(t, "2025-03", dsCases)
	rows, _ := f.GetRows(sheet)
	major := slices.Index(rows[2], "是否重大法核")
	boolCells := 0
	for r := range rows[3:] {
		cell, _ := excelize.CoordinatesToCellName(major+1, r+4)
		if typ, _ := f.GetCellType(sheet, cell); typ == excelize.CellTypeBool {
			boolCells++
		}
	}
	if boolCells == 0 {
		t.Error("March 案件: no boolean cells in 是否重大法核")
	}
	for _, name := range []string{"江宁路", "江宁路中队", "江宁路街道中队", "江宁路街道", "静安区城管执法局江宁路中队", "机动中队", "机动执法中队",
		"外滩中队", "12345"} {
		if len(cells[name]) == 0 {
			t.Errorf("no cell %q", name)
		}
	}
	for _, period := range []string{"2025-05", "2025年5月", "2025-H1", "2025年上半年", "2025-H2", "2025年下半年", "2025"} {
		if len(cells[period]) == 0 {
			t.Errorf("no 所属期间 %q", period)
		}
	}
	inAugust := func(values []string) bool {
		for _, v := range values {
			if slices.ContainsFunc(cells[v], func(f string) bool { return strings.HasPrefix(f, "2025-08/") }) {
				return true
			}
		}
		return false
	}
	var itemAliases []string
	for _, it := range DefaultItems() {
		itemAliases = append(itemAliases, it.Aliases...)
	}
	for what, aliases := range map[string][]string{
		"案卷": {"案卷抽查", "执法案卷"}, "视音频": {"视音频记录", "执法记录仪", "音像"}, "监督事项": itemAliases} {
		if !inAugust(aliases) {
			t.Errorf("August: no %s value written as an alias %v", what, aliases)
		}
	}
}

func TestLateRecordsInNextFolder(t *testing.T) {
	for _, tc := range []struct {
		ds     int
		prefix string
	}{{dsSamples, "CC202504"}, {dsInspections, "JC202504"}, {dsComplaints, "SJ202504"}} {
		found := false
		for _, row := range embeddedRows(t, "2025-05", tc.ds) {
			found = found || slices.ContainsFunc(row, func(c string) bool { return strings.HasPrefix(c, tc.prefix) })
		}
		if !found {
			t.Errorf("May's %s holds no April record (%s...)", datasets[tc.ds].name, tc.prefix)
		}
	}
}
