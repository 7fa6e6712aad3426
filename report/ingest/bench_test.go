package ingest

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
	"bulletin/report/ingest/xlsx/xlsxtest"
)

const benchRows = 100_000

var benchSquads = []string{"江宁路中队", "石门二路", "南京西路街道中队", "静安寺中队", "曹家渡街道", "北站中队", "机动执法中队"}

// benchRow is row i of a 10-column 诉件 export.
func benchRow(i int) []any {
	received := time.Date(2025, 5, 1+i%31, 9, 30, 0, 0, time.UTC)
	sampled, sampledOn, finding := "否", any(""), ""
	if i%50 == 0 {
		sampled, sampledOn, finding = "是", received.AddDate(0, 0, 3), "履职到位"
	}
	return []any{fmt.Sprintf("GD2025%07d", i), []string{"12345", "信访", "投诉", "领导批示件"}[i%4], received,
		benchSquads[i%len(benchSquads)], []string{"夜间施工", "违法建筑", "街面秩序", "占绿毁绿"}[i%4],
		[]string{"否", "是"}[min(i%7, 1)], sampled, sampledOn, finding, "市民来电反映情况，已派员处置"}
}

// BenchmarkReadXLSX reads a 100,000-row 诉件 workbook, in the two layouts
// met in practice: inline strings (excelize's StreamWriter, many platform
// exports) and a shared-strings table (files saved by Excel or WPS). Beside
// Read, the stages apart: inflating the sheet and nothing else (the floor),
// the streaming reader's rows with every cell's text, and Read with
// excelize's row iterator (the reference it replaces).
func BenchmarkReadXLSX(b *testing.B) {
	cfg := loadConfig(b)
	may := report.Month{Year: 2025, Month: 5}
	for _, layout := range []string{"inline", "shared"} {
		root := b.TempDir()
		path := filepath.Join(root, "2025-05", "诉件.xlsx")
		mkdir(b, path)
		if layout == "inline" {
			writeStreamed(b, path)
		} else {
			writeSharedStrings(b, path)
		}
		stages := []struct {
			name string
			run  func(b *testing.B)
		}{
			{"read", func(b *testing.B) { readBench(b, cfg, root, may, Options{}) }},
			{"inflate", func(b *testing.B) { inflateSheets(b, path) }},
			{"rows", func(b *testing.B) {
				if rows, _, err := xlsx.CountRows(path, "诉件"); err != nil || rows != benchRows+2 {
					b.Fatalf("%d rows, %v", rows, err)
				}
			}},
			{"excelize", func(b *testing.B) { readBench(b, cfg, root, may, Options{ExcelizeOnly: true}) }},
		}
		for _, stage := range stages {
			b.Run(layout+"/"+stage.name, func(b *testing.B) {
				for b.Loop() {
					stage.run(b)
				}
				b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

func readBench(b *testing.B, cfg *report.Config, root string, m report.Month, opt Options) {
	ds, q, err := ReadWith(context.Background(), cfg, root, m, m, opt)
	if err != nil || len(ds.Complaints) != benchRows || len(q.Rejected) != 0 {
		b.Fatalf("err %v, %d complaints, file errors %+v, rejected %d", err, len(ds.Complaints), q.Files, len(q.Rejected))
	}
}

// inflateSheets inflates the workbook's sheet and shared-strings parts and
// discards them.
func inflateSheets(b *testing.B, path string) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	zr.RegisterDecompressor(zip.Deflate, xlsx.Inflater)
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/") || f.Name == "xl/sharedStrings.xml" {
			rc, err := f.Open()
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, rc); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
	}
}

func writeStreamed(b *testing.B, path string) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	_ = sw.SetRow("A1", []any{"静安区城管执法局诉件清单"})
	_ = sw.SetRow("A2", []any{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "是否抽查", "抽查日期", "抽查结论", "备注"})
	for i := range benchRows {
		row := benchRow(i)
		for j, v := range row {
			if t, ok := v.(time.Time); ok {
				row[j] = excelize.Cell{StyleID: dateStyle, Value: t}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

// writeSharedStrings writes the workbook as Excel does: every text cell a
// reference into xl/sharedStrings.xml, dates as styled serial numbers.
func writeSharedStrings(b *testing.B, path string) {
	index := map[string]int{}
	var strs []string
	ref := func(s string) int {
		if i, ok := index[s]; ok {
			return i
		}
		index[s] = len(strs)
		strs = append(strs, s)
		return len(strs) - 1
	}
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	writeRow := func(r int, row []any) {
		fmt.Fprintf(&sheet, `<row r="%d">`, r)
		for c, v := range row {
			name, _ := excelize.CoordinatesToCellName(c+1, r)
			switch v := v.(type) {
			case time.Time:
				days := v.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24
				fmt.Fprintf(&sheet, `<c r="%s" s="1"><v>%g</v></c>`, name, days)
			case string:
				if v != "" {
					fmt.Fprintf(&sheet, `<c r="%s" t="s"><v>%d</v></c>`, name, ref(v))
				}
			}
		}
		sheet.WriteString(`</row>`)
	}
	writeRow(1, []any{"静安区城管执法局诉件清单"})
	writeRow(2, []any{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "是否抽查", "抽查日期", "抽查结论", "备注"})
	for i := range benchRows {
		writeRow(i+3, benchRow(i))
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	var sst strings.Builder
	fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, len(strs), len(strs))
	for _, s := range strs {
		fmt.Fprintf(&sst, `<si><t>%s</t></si>`, s)
	}
	sst.WriteString(`</sst>`)

	if err := os.WriteFile(path, xlsxtest.Workbook(sheet.String(), sst.String()), 0o644); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReadCSV reads the same 100,000 rows saved as a GBK CSV, as
// Excel on Chinese Windows saves them.
func BenchmarkReadCSV(b *testing.B) {
	cfg := loadConfig(b)
	root := b.TempDir()
	rows := [][]string{{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "是否抽查", "抽查日期", "抽查结论", "备注"}}
	for i := range benchRows {
		var row []string
		for _, v := range benchRow(i) {
			if t, ok := v.(time.Time); ok {
				v = t.Format("2006/1/2 15:04")
			}
			row = append(row, fmt.Sprint(v))
		}
		rows = append(rows, row)
	}
	writeCSV(b, filepath.Join(root, "2025-05", "诉件.csv"), rows, simplifiedchinese.GBK, false)
	b.ResetTimer()
	for b.Loop() {
		ds, q, err := Read(context.Background(), cfg, root, report.Month{Year: 2025, Month: 5}, report.Month{Year: 2025, Month: 5})
		if err != nil || len(ds.Complaints) != benchRows || len(q.Rejected) != 0 {
			b.Fatalf("err %v, %d complaints, file errors %+v, rejected %+v", err, len(ds.Complaints), q.Files, q.Rejected[:min(3, len(q.Rejected))])
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
