package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

// addSheet adds a sheet of rows after the others.
func addSheet(t *testing.T, f *excelize.File, name string, rows [][]any) {
	t.Helper()
	if _, err := f.NewSheet(name); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(name, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
}

// An export split over two sheets: the rows of the second are not read,
// by the contract's rule, and the quality report says how many there are.
// Sheets without the dataset's header, and chart sheets, are no one's
// rows.
func TestOtherSheetWithTheDatasetsRowsWarned(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{
		complaintHeader,
		complaintRow("C1", "江宁路", "2025-05-03"),
		complaintRow("C2", "北站", "2025-05-04"),
	}, func(f *excelize.File, _ string) {
		addSheet(t, f, "说明", [][]any{{"本表由系统导出"}, {"诉件编号", "诉件类型"}})
		addSheet(t, f, "Sheet3", nil)
		// A chart sheet has no cells: it is no worksheet to look into.
		if err := f.AddChartSheet("图表", &excelize.Chart{Type: excelize.Col, Series: []excelize.ChartSeries{
			{Name: "诉件!$A$1", Categories: "诉件!$A$2:$A$3", Values: "诉件!$B$2:$B$3"}}}); err != nil {
			t.Fatal(err)
		}
		addSheet(t, f, "诉件(2)", [][]any{
			{"静安区城管执法局诉件清单（续）"},
			complaintHeader,
			complaintRow("C3", "江宁路", "2025-05-05"),
			{},
			complaintRow("C4", "江宁路", "2025-05-06"),
			complaintRow("C5", "北站", "2025-05-07"),
			{"合计", "3件"},
		})
		// Named like the sheet before it (folded alike), and read as
		// itself.
		addSheet(t, f, "诉件（2）", [][]any{complaintHeader, complaintRow("C6", "北站", "2025-05-08")})
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 2 {
		t.Fatalf("complaints %+v: want C1 and C2, the sheet named 诉件", ds.Complaints)
	}
	want := "工作表「诉件(2)」第2行也是诉件的表头，其下 3 行数据没有读取（只读取工作表「诉件」）；如需计入，请把这些行移到「诉件」中。" +
		"工作表「诉件（2）」第1行也是诉件的表头，其下 1 行数据没有读取（只读取工作表「诉件」）；如需计入，请把这些行移到「诉件」中"
	if got := warningsOf(q, report.WarnUnreadSheet, path); len(got) != 1 || got[0] != want {
		t.Errorf("unread-sheet warnings %q, want %q", got, want)
	}
	if got := warningsOf(q, report.WarnHiddenSheet, path); len(got) != 0 {
		t.Errorf("hidden-sheet warnings %q for visible sheets", got)
	}
	var summary bytes.Buffer
	q.WriteSummary(&summary)
	if !bytes.Contains(summary.Bytes(), []byte("未读取的工作表："+path+" "+want)) {
		t.Errorf("the summary does not list the file with the sheet not read:\n%s", summary.String())
	}
}

// Without a sheet named after the dataset the first is read, even when
// Excel hides it: the report says so, and names the visible sheet that
// holds the dataset's rows too.
func TestHiddenSheetReadIsWarned(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "旧表", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")},
		func(f *excelize.File, sheet string) {
			addSheet(t, f, "导出", [][]any{complaintHeader, complaintRow("C2", "北站", "2025-05-04")})
			f.SetActiveSheet(1)
			if err := f.SetSheetVisible(sheet, false); err != nil {
				t.Fatal(err)
			}
		})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || ds.Complaints[0].ID != "C1" {
		t.Fatalf("complaints %+v: want C1, the first sheet's", ds.Complaints)
	}
	hidden := []string{"读取的工作表「旧表」在 Excel 中是隐藏的（右键工作表标签→取消隐藏可查看）；请确认它就是要报送的数据"}
	if got := warningsOf(q, report.WarnHiddenSheet, path); len(got) != 1 || got[0] != hidden[0] {
		t.Errorf("hidden-sheet warnings %q, want %q", got, hidden)
	}
	unread := "工作表「导出」第1行也是诉件的表头，其下 1 行数据没有读取（只读取工作表「旧表」）；如需计入，请把这些行移到「旧表」中"
	if got := warningsOf(q, report.WarnUnreadSheet, path); len(got) != 1 || got[0] != unread {
		t.Errorf("unread-sheet warnings %q, want %q", got, unread)
	}
}

// Another sheet that cannot be read may hold the dataset's rows: the file
// is still read, and the report says the other sheet could not be checked.
func TestUnreadableOtherSheetWarned(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")},
		func(f *excelize.File, _ string) {
			addSheet(t, f, "诉件(2)", [][]any{complaintHeader, complaintRow("C2", "北站", "2025-05-04")})
		})
	// The second sheet's XML cut short, and compressed again whole, so
	// that its checksum holds and only the XML is wrong.
	rewriteParts(t, path, "xl/worksheets/sheet2.xml", func(h *zip.FileHeader, raw []byte) []byte {
		return deflated(h, []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t>`))
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || len(q.Files) != 0 {
		t.Fatalf("complaints %+v, file errors %+v: want C1 read", ds.Complaints, q.Files)
	}
	got := warningsOf(q, report.WarnUnreadSheet, path)
	if len(got) != 1 || !bytes.HasPrefix([]byte(got[0]), []byte("工作表「诉件(2)」无法读取，不知其中是否有诉件的数据（")) {
		t.Errorf("unread-sheet warnings %q, want one saying 诉件(2) could not be read", got)
	}
	// The cache keeps the warning with the file's rows.
	cache := filepath.Join(t.TempDir(), CacheFile)
	for i := range 2 {
		_, cached, hits := readCachedHits(t, cfg, root, cache, "2025-05", "2025-05")
		if hits != i || !slices.Equal(warningsOf(cached, report.WarnUnreadSheet, path), got) {
			t.Errorf("read %d through the cache: %d files from it, warnings %q, want %d and %q", i+1, hits,
				warningsOf(cached, report.WarnUnreadSheet, path), i, got)
		}
	}
}

// A workbook whose sheet read has no header is refused, as before; when
// another sheet has the header, the refusal says which and what to do.
func TestRefusalNamesTheSheetWithTheHeader(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "说明", [][]any{{"本表由系统导出"}}, func(f *excelize.File, _ string) {
		addSheet(t, f, "Sheet2", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")})
	})
	_, q := read(t, cfg, root, "2025-05", "2025-05")
	var got []string
	for _, f := range q.Files {
		got = append(got, f.Reason)
	}
	if len(got) != 1 || !strings.HasPrefix(got[0], "找不到表头") ||
		!strings.HasSuffix(got[0], "。另有工作表「Sheet2」第1行是诉件的表头，但只读取名为「诉件」的工作表（没有时读取第一个）：请把数据放在名为「诉件」的工作表中") {
		t.Errorf("file errors %q, want the header not found in 说明, and Sheet2 named", got)
	}

	// Past the sheets looked at, the refusal says how many were not.
	writeXLSX(t, path, "说明", [][]any{{"本表由系统导出"}}, func(f *excelize.File, _ string) {
		for i := range maxSheetsLooked {
			addSheet(t, f, fmt.Sprintf("附注%d", i), [][]any{{"附注"}})
		}
		addSheet(t, f, "Sheet2", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")})
	})
	_, q = read(t, cfg, root, "2025-05", "2025-05")
	if len(q.Files) != 1 || !strings.HasSuffix(q.Files[0].Reason, "。另有 1 个工作表没有检查是否有诉件的数据") {
		t.Errorf("file errors %+v, want the sheet not looked at counted", q.Files)
	}

	// Nor does it keep quiet about a sheet that could not be read to tell.
	writeXLSX(t, path, "说明", [][]any{{"本表由系统导出"}}, func(f *excelize.File, _ string) {
		addSheet(t, f, "Sheet2", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")})
	})
	rewriteParts(t, path, "xl/worksheets/sheet2.xml", func(h *zip.FileHeader, raw []byte) []byte {
		return deflated(h, []byte(`<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t>`))
	})
	_, q = read(t, cfg, root, "2025-05", "2025-05")
	if len(q.Files) != 1 || !strings.HasSuffix(q.Files[0].Reason, "。另有工作表「Sheet2」无法读取，不知其中是否有诉件的表头") {
		t.Errorf("file errors %+v, want the sheet that could not be read named", q.Files)
	}
}

// A workbook of many sheets is looked through within bounds: blank sheets
// are not read, and of the others only the first few, the rest counted.
// A hidden sheet is named as hidden, for the clerk to find it.
func TestManySheetsLookedThroughWithinBounds(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")},
		func(f *excelize.File, _ string) {
			addSheet(t, f, "旧数据", [][]any{complaintHeader, complaintRow("C2", "北站", "2025-05-04")})
			if err := f.SetSheetVisible("旧数据", false); err != nil {
				t.Fatal(err)
			}
			for i := range 40 {
				addSheet(t, f, fmt.Sprintf("空白%d", i), nil)
			}
			for i := range maxSheetsLooked + 2 {
				addSheet(t, f, fmt.Sprintf("说明%d", i), [][]any{{"本表由系统导出"}})
			}
		})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 {
		t.Fatalf("complaints %+v: want C1", ds.Complaints)
	}
	want := "工作表「旧数据」（隐藏）第1行也是诉件的表头，其下 1 行数据没有读取（只读取工作表「诉件」）；如需计入，请把这些行移到「诉件」中。" +
		"另有 3 个工作表没有检查是否有诉件的数据"
	if got := warningsOf(q, report.WarnUnreadSheet, path); len(got) != 1 || got[0] != want {
		t.Errorf("unread-sheet warnings %q, want %q", got, want)
	}

	// Blank sheets are looked at, but not without end.
	writeXLSX(t, path, "诉件", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")},
		func(f *excelize.File, _ string) {
			for i := range maxSheetsSeen + 44 {
				addSheet(t, f, fmt.Sprintf("空白%d", i), nil)
			}
			addSheet(t, f, "诉件(2)", [][]any{complaintHeader, complaintRow("C2", "北站", "2025-05-04")})
		})
	_, q = read(t, cfg, root, "2025-05", "2025-05")
	want = "另有 45 个工作表没有检查是否有诉件的数据"
	if got := warningsOf(q, report.WarnUnreadSheet, path); len(got) != 1 || got[0] != want {
		t.Errorf("unread-sheet warnings %q, want %q", got, want)
	}
}

// A header of two rows, a merged 抽查情况 over its sub-headers 是否抽查,
// 抽查日期 and 抽查结论, is read as Excel shows it: the sub-headers name
// their columns, and the quality report says so. A row under the header
// that names a column the header has is data, not sub-headers, as before.
func TestSubHeadersUnderAMergedHeaderRead(t *testing.T) {
	cfg := loadConfig(t)
	top := []any{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "抽查情况"}
	merged := func(f *excelize.File, sheet string) {
		for _, r := range [][2]string{{"A2", "A3"}, {"B2", "B3"}, {"C2", "C3"}, {"D2", "D3"}, {"E2", "E3"}, {"F2", "F3"}, {"G2", "I2"}} {
			if err := f.MergeCell(sheet, r[0], r[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{
		{"静安区城管执法局诉件清单"},
		top,
		{nil, nil, nil, nil, nil, nil, "是否抽查", "抽查日期", "抽查结论"},
		{"C1", "投诉", "2025-05-03", "江宁路", "夜间施工", "否", "是", "2025-05-06", "履职到位"},
		{"C2", "投诉", "2025-05-04", "北站", "夜间施工", "否", "否", nil, nil},
	}, merged)
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	var got []string
	for _, c := range ds.Complaints {
		got = append(got, fmt.Sprintf("%s %v %v %s", c.ID, c.Sampled, c.SampledOn, c.Finding))
	}
	want := []string{"C1 true 2025-05-06 履职到位", "C2 false  "}
	if !slices.Equal(got, want) || len(q.Rejected) > 0 {
		t.Errorf("complaints %q (rejected %+v), want %q", got, q.Rejected, want)
	}
	if n := warningCount(q, report.WarnNoColumn); n != 0 {
		t.Errorf("%d warnings of absent columns: the sub-headers name them", n)
	}
	// Said, for the row that was taken for sub-headers and is not.
	if got, want := warningsOf(q, report.WarnSubHeaders, path), "第3行是第2行表头下的子表头：是否抽查、抽查日期、抽查结论"; len(got) != 1 || got[0] != want {
		t.Errorf("sub-header warnings %q, want %q", got, want)
	}
	if in := inputOf(t, q, path); in.Rows != 2 {
		t.Errorf("input %+v: the sub-headers are no data row", in)
	}

	// The same in CSV: the sub-headers widen the header, so that the rows'
	// last fields are not taken for fields shifted by a comma.
	root = t.TempDir()
	path = filepath.Join(root, "2025-05", "诉件.csv")
	writeFile(t, path, []byte("诉件编号,诉件类型,受理日期,所属中队,问题领域,是否重复,抽查情况\r\n"+
		",,,,,,是否抽查,抽查日期,抽查结论\r\n"+
		"C1,投诉,2025-05-03,江宁路,夜间施工,否,是,2025-05-06,履职到位\r\n"))
	ds, q = read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || !ds.Complaints[0].Sampled || len(q.Rejected) > 0 {
		t.Errorf("CSV: complaints %+v, rejected %+v: want C1, sampled", ds.Complaints, q.Rejected)
	}

	root = t.TempDir()
	path = filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{
		top,
		{"诉件编号", nil, nil, nil, nil, nil, "是否抽查", "抽查日期", "抽查结论"},
		{"C1", "投诉", "2025-05-03", "江宁路", "夜间施工", "否", "是", "2025-05-06", "履职到位"},
	})
	ds, q = read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || len(q.Rejected) != 1 || q.Rejected[0].Row != 2 || warningCount(q, report.WarnNoColumn) != 1 {
		t.Errorf("complaints %+v, rejected %+v: want row 2, which names 诉件编号 again, read as data and rejected", ds.Complaints, q.Rejected)
	}
}

// Another sheet the streaming reader does not read (a comment between its
// rows) is read by excelize, which parses the whole workbook: only the
// first few are, and the rest are named as not checked.
func TestOtherSheetsReadByExcelizeAreFew(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{complaintHeader, complaintRow("C1", "江宁路", "2025-05-03")},
		func(f *excelize.File, _ string) {
			for i := range maxSheetsByExcelize + 1 {
				addSheet(t, f, fmt.Sprintf("续%d", i+1), [][]any{complaintHeader, complaintRow("C2", "北站", "2025-05-04")})
			}
		})
	rewriteParts(t, path, "xl/worksheets/sheet", func(h *zip.FileHeader, raw []byte) []byte {
		if h.Name == "xl/worksheets/sheet1.xml" {
			return raw
		}
		x, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Fatal(err)
		}
		x = bytes.Replace(x, []byte("</row>"), []byte("</row><!-- 续表 -->"), 1)
		return deflated(h, x)
	})
	_, q := read(t, cfg, root, "2025-05", "2025-05")
	want := "工作表「续1」第1行也是诉件的表头，其下 1 行数据没有读取（只读取工作表「诉件」）；如需计入，请把这些行移到「诉件」中。" +
		"工作表「续2」第1行也是诉件的表头，其下 1 行数据没有读取（只读取工作表「诉件」）；如需计入，请把这些行移到「诉件」中。" +
		"工作表「续3」写法少见，读它要解析整个工作簿，没有检查其中是否有诉件的数据"
	if got := warningsOf(q, report.WarnUnreadSheet, path); len(got) != 1 || got[0] != want {
		t.Errorf("unread-sheet warnings %q, want %q", got, want)
	}
}

// deflated is part compressed whole, its header made to agree, so that
// only its XML is what a test made it.
func deflated(h *zip.FileHeader, part []byte) []byte {
	var packed bytes.Buffer
	w, _ := flate.NewWriter(&packed, flate.DefaultCompression)
	_, _ = w.Write(part)
	_ = w.Close()
	h.Method, h.CRC32, h.UncompressedSize64 = zip.Deflate, crc32.ChecksumIEEE(part), uint64(len(part))
	h.CompressedSize64 = uint64(packed.Len())
	return packed.Bytes()
}
