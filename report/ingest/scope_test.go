package ingest

import (
	"path/filepath"
	"reflect"
	"testing"

	"bulletin/report"
	"bulletin/report/metrics"
	"bulletin/report/metrics/metricstest"
)

// A report for month M reads 案件, 抽查明细 and 监督检查 in every folder up
// to M, since a rule reaches their rows whatever their age; the other
// exports only in the folders of the months it covers; no folder after M.
// Rows count by their own dates: a major case closed in December 2025 whose
// file was sampled in December 2024 is checked, and an inspection of 2024
// whose problem is still open is overdue.
func TestFolderScopeReachesEarlierYears(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	sampleHeader := []any{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"}
	inspectionHeader := []any{"记录编号", "检查日期", "监督事项", "检查科室", "被检查中队", "发现问题数", "整改期限", "整改状态"}
	writeXLSX(t, filepath.Join(root, "2024-12", "抽查明细.xlsx"), "抽查明细", [][]any{sampleHeader,
		{"S-2024", "2024-12-10", "案卷", "MAJOR-1", "北站", "审理科", "合格"}})
	writeXLSX(t, filepath.Join(root, "2024-11", "监督检查.xlsx"), "监督检查", [][]any{inspectionHeader,
		{"I-2024", "2024-11-03", "队伍建设", "人事科", "北站", "1", "2024-11-30", "整改中"}})
	writeXLSX(t, filepath.Join(root, "2024-12", "诉件.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C-2024", "北站", "2024-12-02")})
	writeXLSX(t, filepath.Join(root, "2025-12", "案件.xlsx"), "案件", [][]any{caseHeader,
		{"MAJOR-1", "北站", "违法建筑", "2024-10-08", "2025-12-05", "结案", "是", ""}})
	writeXLSX(t, filepath.Join(root, "2026-01", "抽查明细.xlsx"), "抽查明细", [][]any{sampleHeader,
		{"S-LATER", "2026-01-04", "案卷", "MAJOR-1", "北站", "审理科", "合格"}})

	ds, q := read(t, cfg, root, "2025-01", "2025-12")
	if len(ds.Samples) != 1 || ds.Samples[0].ID != "S-2024" {
		t.Errorf("samples %+v: want the December 2024 one, not January 2026's", ds.Samples)
	}
	if len(ds.Inspections) != 1 || ds.Inspections[0].ID != "I-2024" {
		t.Errorf("inspections %+v: want the one of November 2024", ds.Inspections)
	}
	if len(ds.Complaints) != 0 {
		t.Errorf("complaints %+v: no rule of December 2025 reaches 2024's complaints", ds.Complaints)
	}
	earlier, err := metricstest.JudgeBefore(cfg, ds, month(t, "2025-12"))
	if err != nil {
		t.Fatal(err)
	}
	fig, err := metrics.Monthly(cfg, ds, q, month(t, "2025-12"), date(2026, 1, 1), earlier)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range fig.Quotas {
		if r.ID == report.QuotaMajorCaseCoverage && (r.Numerator != 1 || r.Denominator != 1) {
			t.Errorf("major case coverage %d/%d, want 1/1: the 2024 sample checks the case", r.Numerator, r.Denominator)
		}
	}
	if len(fig.Problems.OverdueList) != 1 || fig.Problems.OverdueList[0].ID != "I-2024" {
		t.Errorf("overdue list %+v, want the 2024 inspection", fig.Problems.OverdueList)
	}
}

// The cases of earlier years are kept when a sample names them, and only
// then: a city's years of cases are not held to find the few sampled. A
// case a later folder gives again is that folder's. Through the cache
// (where the cases no rule reaches are skipped as they are decoded) the
// same.
func TestEarlierYearsKeepTheSampledCases(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	oldest := filepath.Join(root, "2023-05", "案件.xlsx")
	writeXLSX(t, oldest, "案件", [][]any{caseHeader,
		caseRow("SAMPLED", "曹家渡", "2023-05-02", "2023-05-20"), caseRow("UNSAMPLED", "北站", "2023-05-03", ""),
		caseRow("AGAIN", "北站", "2023-05-04", ""), caseRow("TWICE", "北站", "2023-05-05", "")})
	older := filepath.Join(root, "2024-02", "案件.xlsx")
	writeXLSX(t, older, "案件", [][]any{caseHeader, caseRow("AGAIN", "北站", "2023-05-04", ""),
		caseRow("TWICE", "北站", "2023-05-05", "2024-02-09")})
	writeXLSX(t, filepath.Join(root, "2025-06", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("AGAIN", "北站", "2023-05-04", "2025-06-03")})
	writeXLSX(t, filepath.Join(root, "2025-06", "抽查明细.xlsx"), "抽查明细", [][]any{
		{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"},
		{"S1", "2025-06-05", "案卷", "SAMPLED", "", "审理科", "合格"},
		{"S2", "2025-06-05", "案卷", "AGAIN", "", "审理科", "合格"},
		{"S3", "2025-06-05", "案卷", "TWICE", "", "审理科", "合格"},
	})
	ds, q := read(t, cfg, root, "2025-01", "2025-06")
	got := map[string]string{}
	for _, c := range ds.Cases {
		got[c.ID] = c.Closed.String()
	}
	if want := map[string]string{"SAMPLED": "2023-05-20", "AGAIN": "2025-06-03", "TWICE": "2024-02-09"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cases %v, want %v: the sampled one of 2023, June's AGAIN, and 2024's TWICE", got, want)
	}
	if in := inputOf(t, q, older); in.Superseded != 1 {
		t.Errorf("2024-02's AGAIN: %+v, want superseded by June's", in)
	}
	if in := inputOf(t, q, oldest); in.Superseded != 2 {
		t.Errorf("2023-05's AGAIN and TWICE: %+v, want superseded by June's and 2024's", in)
	}
	cache := filepath.Join(t.TempDir(), CacheFile)
	for _, run := range []string{"parsed into the cache", "from the cache"} {
		cds, cq := readCached(t, cfg, root, cache, "2025-01", "2025-06")
		if !reflect.DeepEqual(cds, ds) || !reflect.DeepEqual(cq, q) {
			t.Errorf("%s: cases %+v, inputs %+v; want %+v, %+v", run, cds.Cases, cq.Inputs, ds.Cases, q.Inputs)
		}
	}
}
