package workbook

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bulletin/report"
)

func sampleQuality() *report.Quality {
	return &report.Quality{
		Period: "2025-05",
		Inputs: []report.Input{
			{Dataset: "案件", File: "data/2025-05/案件.xlsx", SHA256: strings.Repeat("ab", 32), Rows: 310, Accepted: 305, Rejected: 3, Superseded: 2},
			{Dataset: "投诉", File: "data/2025-05/投诉.csv", SHA256: strings.Repeat("cd", 32), Rows: 1000, Accepted: 999, Rejected: 1},
		},
		Files: []report.FileError{{Dataset: "抽查", File: "data/2025-05/抽查.xlsx", Reason: "not an .xlsx file (zip: not a valid zip file)"}},
		Rejected: []report.Rejection{
			{Dataset: "案件", File: "data/2025-05/案件.xlsx", Sheet: "Sheet1", Row: 17, Column: "中队", Value: `=HYPERLINK("http://x","点我")`, Reason: "未知中队"},
			{Dataset: "案件", File: "data/2025-05/案件.xlsx", Sheet: "Sheet1", Row: 18, Column: "立案日期", Value: "2025-13-45", Reason: "日期不存在"},
			{Dataset: "案件", File: "data/2025-05/案件.xlsx", Sheet: "Sheet1", Row: 19, Column: "案号", Value: "@SUM(1)\x01_x0041_", Reason: "案号格式不对"},
			{Dataset: "投诉", File: "data/2025-05/投诉.csv", Row: 5, Column: "中队", Value: "-2+3", Reason: "未知中队"},
		},
		Warnings: []report.Warning{
			{Kind: report.WarnSummaryRow, File: "data/2025-05/案件.xlsx", Count: 1, Example: "第311行 合计"},
			{Kind: report.WarnUnknownCase, File: "data/2025-05/抽查.xlsx", Count: 4, Example: "沪静城管罚〔2025〕999号"},
			{Kind: "brand_new_kind", Count: 2},
		},
		Missing: []report.MissingDir{{Month: "2025-04", Path: "data/2025-04"}},
	}
}

func TestWriteQualityRoundTrip(t *testing.T) {
	q := sampleQuality()
	path := filepath.Join(t.TempDir(), "数据质量-2025年05月.xlsx")
	if err := WriteQuality(path, q); err != nil {
		t.Fatal(err)
	}
	f := open(t, path)
	want := []string{aboutSheet, "输入文件", "无法读取的文件", "被拒绝的行", "警告", "缺少的月份"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets = %q, want %q", got, want)
	}
	for _, sheet := range want[1:] {
		if panes, err := f.GetPanes(sheet); err != nil || !panes.Freeze || panes.YSplit != headerRow {
			t.Errorf("%s: panes %+v, %v", sheet, panes, err)
		}
	}

	rows, err := f.GetRows("被拒绝的行")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(rows[0][0], "2025年5月") || !strings.Contains(rows[0][0], "4行") {
		t.Errorf("caption = %q", rows[0][0])
	}
	if want := []string{"数据集", "文件", "工作表", "行号", "列", "值", "原因"}; !slices.Equal(rows[1], want) {
		t.Errorf("header = %q", rows[1])
	}
	if len(rows) != firstRow-1+len(q.Rejected) {
		t.Fatalf("%d rows, want every rejection", len(rows))
	}
	for i, r := range q.Rejected {
		got := rows[firstRow-1+i]
		if got[1] != r.File || got[3] != strconv.Itoa(r.Row) || got[4] != r.Column || got[5] != r.Value || got[6] != r.Reason {
			t.Errorf("rejection %d read back as %q, want %+v", i, got, r)
		}
	}
	if st := cellStyle(t, f, "被拒绝的行", "D3"); st.NumFmt != numFmtInt {
		t.Errorf("row number format %d, want an integer", st.NumFmt)
	}
	assertNoFormulas(t, f, path)

	inputs, _ := f.GetRows("输入文件")
	total := inputs[len(inputs)-1]
	if total[0] != "合计" || total[3] != "1310" || total[4] != "1304" || total[5] != "4" || total[6] != "2" {
		t.Errorf("inputs total = %q", total)
	}
	if w, _ := f.GetColWidth("输入文件", "C"); w < 64 {
		t.Errorf("SHA-256 column width %v cuts the hash", w)
	}

	warnings, _ := f.GetRows("警告")
	if got := warnings[2][:2]; !slices.Equal(got, []string{"跳过的合计行", report.WarnSummaryRow}) {
		t.Errorf("warning kind = %q", got)
	}
	if got := warnings[4][:2]; !slices.Equal(got, []string{"brand_new_kind", "brand_new_kind"}) {
		t.Errorf("unknown warning kind = %q", got)
	}
	if got := warnings[len(warnings)-1]; got[0] != "合计" || got[3] != "7" {
		t.Errorf("warnings total = %q", got)
	}

	missing, _ := f.GetRows("缺少的月份")
	if got := missing[2]; !slices.Equal(got, []string{"2025-04", "data/2025-04"}) {
		t.Errorf("missing folder = %q", got)
	}
	about, _ := f.GetRows(aboutSheet)
	if !strings.Contains(joinRows(about), "数据不完整") {
		t.Errorf("about sheet has no verdict: %q", about)
	}
}

func TestWriteQualityOfCleanRunKeepsEverySheet(t *testing.T) {
	q := &report.Quality{Period: "2025-H1", Inputs: sampleQuality().Inputs}
	path := filepath.Join(t.TempDir(), "q.xlsx")
	if err := WriteQuality(path, q); err != nil {
		t.Fatal(err)
	}
	f := open(t, path)
	if n := len(f.GetSheetList()); n != 6 {
		t.Errorf("%d sheets, want 6", n)
	}
	rows, _ := f.GetRows("被拒绝的行")
	if len(rows) != 2 || !strings.HasPrefix(rows[0][0], "2025年上半年") {
		t.Errorf("empty rejection sheet = %q", rows)
	}
	about, _ := f.GetRows(aboutSheet)
	if !strings.Contains(joinRows(about), "数据完整") {
		t.Errorf("about sheet = %q", about)
	}
	again := filepath.Join(filepath.Dir(path), "again.xlsx")
	if err := WriteQuality(again, q); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(path)
	b, _ := os.ReadFile(again)
	if !bytes.Equal(a, b) {
		t.Error("the same report gave different bytes")
	}
}

func TestWriteQualityWithoutReportFails(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "q.xlsx")
	if err := WriteQuality(path, nil); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("error = %v", err)
	}
	assertNothingWritten(t, dir)
}

func joinRows(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t"))
		b.WriteString("\n")
	}
	return b.String()
}
