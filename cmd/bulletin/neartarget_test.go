package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

// copyTree copies the sample year so that a test may change an export.
func copyTree(t *testing.T, from string) string {
	t.Helper()
	to := t.TempDir()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
	return to
}

// unsample clears the sample of the first n complaints of May's 诉件
// export that were sampled in May, as if they had not been.
func unsample(t *testing.T, path string, n int) {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	const sheet = "诉件"
	rows, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	header := slices.IndexFunc(rows, func(r []string) bool { return slices.Contains(r, "是否抽查") })
	if header < 0 {
		t.Fatalf("%s: no header with 是否抽查", path)
	}
	cols := map[string]int{}
	for _, name := range []string{"是否抽查", "抽查日期", "抽查结论"} {
		cols[name] = slices.Index(rows[header], name)
	}
	for r := header + 1; r < len(rows) && n > 0; r++ {
		row := rows[r]
		cell := func(name string) string {
			if c := cols[name]; c < len(row) {
				return row[c]
			}
			return ""
		}
		if cell("是否抽查") != "是" || !strings.HasPrefix(strings.ReplaceAll(cell("抽查日期"), "-", ""), "202505") {
			continue
		}
		for _, c := range cols {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := wb.SetCellValue(sheet, ref, ""); err != nil {
				t.Fatal(err)
			}
		}
		n--
	}
	if n > 0 {
		t.Fatalf("%s: too few complaints sampled in May", path)
	}
	if err := wb.Save(); err != nil {
		t.Fatal(err)
	}
}

// A rate just under its target is printed under it, everywhere: 11 of 1121
// complaints sampled (0.98%) against ≥1% is not "1%" judged 未完成, in the
// text, the quota table, the workbook's quota sheet or the trend chart's
// data sheet (rules-interpretation 27).
func TestRateJustUnderItsTargetPrintsUnderIt(t *testing.T) {
	data := copyTree(t, cliSampleData(t))
	unsample(t, filepath.Join(data, "2025-05", "诉件.xlsx"), 4)
	out := t.TempDir()
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--now", "2025-06-01T08:00",
		"--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "2025-05")
	q := quotaOf(t, readFigures(t, dir), "complaints.sample_rate")
	if q.Numerator != 11 || q.Denominator != 1121 || q.Met == nil || *q.Met {
		t.Fatalf("the case is 11/1121 not met; the figures have %d/%d met %v", q.Numerator, q.Denominator, q.Met)
	}

	flow, layout := pdfText(t, filepath.Join(dir, "静安城市管理执法工作月报-2025年05月.pdf"))
	if want := "抽查率0.98%，未完成不少于1%的任务要求"; !strings.Contains(flow, want) {
		t.Errorf("the PDF's text lacks %q", want)
	}
	if row := tableLine(layout, "投诉信访件抽查率", "11/1121件"); !strings.Contains(row, " 0.98% ") {
		t.Errorf("the PDF's quota table prints %q, want 11/1121件 0.98%%", row)
	}

	wb, err := excelize.OpenFile(filepath.Join(dir, "月报数据-2025年05月.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := shownCell(t, wb, "主要任务完成情况", "投诉信访件抽查率", "完成率"); got != "0.98%" {
		t.Errorf("the workbook's quota sheet shows %q, want 0.98%%", got)
	}
	if got := shownCell(t, wb, "主要任务完成情况", "投诉信访件抽查率", "目标值"); got != "1%" {
		t.Errorf("the workbook's quota sheet shows the target as %q, want 1%% as the PDF prints it", got)
	}
	i := slices.IndexFunc(wb.GetSheetList(), func(s string) bool { return strings.Contains(s, "投诉信访件抽查率逐月") })
	if i < 0 {
		t.Fatalf("no chart sheet of the complaints' sample rate among %q", wb.GetSheetList())
	}
	if got := shownCell(t, wb, wb.GetSheetList()[i], "5月", "投诉信访件抽查率"); got != "0.98%" {
		t.Errorf("the trend chart's sheet shows May as %q, want 0.98%%", got)
	}
}

// tableLine is the first line of the laid-out text that has every word.
func tableLine(layout string, words ...string) string {
	for line := range strings.SplitSeq(layout, "\n") {
		if !slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(line, w) }) {
			return line
		}
	}
	return ""
}

// shownCell is the cell of a sheet's row whose first cells name row, in
// the column titled column, as Excel shows it (its number format applied).
func shownCell(t *testing.T, wb *excelize.File, sheet, row, column string) string {
	t.Helper()
	rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	col := -1
	for r, cells := range rows {
		if c := slices.Index(cells, column); c >= 0 && col < 0 {
			col = c
			continue
		}
		if col >= 0 && slices.Contains(cells[:min(3, len(cells))], row) {
			ref, _ := excelize.CoordinatesToCellName(col+1, r+1)
			v, err := wb.GetCellValue(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
	}
	t.Fatalf("sheet %s has no column %q or no row %q", sheet, column, row)
	return ""
}

func quotaOf(t *testing.T, f *report.Figures, id string) report.QuotaResult {
	t.Helper()
	for _, q := range f.Quotas {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("the figures of %s have no quota %s", f.Period, id)
	return report.QuotaResult{}
}
