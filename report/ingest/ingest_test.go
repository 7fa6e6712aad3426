package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bulletin/report"
)

// One valid value for every column of every export.
var validValues = map[string]map[string]string{
	report.DatasetCases: {"案件编号": "A-%d", "承办中队": "江宁路中队", "案由": "违法建筑", "立案日期": "2025-05-03",
		"结案日期": "2025-05-20", "案件状态": "结案", "是否重大法核": "是", "异常类型": "超期立案、超期结案"},
	report.DatasetSamples: {"抽查编号": "S-%d", "抽查日期": "2025-05-10", "抽查类型": "执法案卷", "案件编号": "A-0",
		"承办中队": "江宁路中队", "抽查科室": "审理科", "结论": "优秀", "问题类型": "文书不规范；证据不足"},
	report.DatasetInspections: {"记录编号": "I-%d", "检查日期": "2025-05-11", "监督事项": "行政执法公示", "检查科室": "执法监督科",
		"被检查中队": "北站中队", "检查方式": "现场检查", "发现问题数": "2", "问题描述": "公示栏未更新", "整改期限": "2025-05-31",
		"整改状态": "", "整改完成日期": ""},
	report.DatasetComplaints: {"诉件编号": "C-%d", "诉件类型": "12345", "受理日期": "2025-05-12", "所属中队": "北站",
		"问题领域": "夜间施工", "是否重复": "Y", "是否抽查": "是", "抽查日期": "2025/5/13", "抽查结论": "到位"},
	report.DatasetWeekly: {"中队": "临汾路街道中队", "督察日期": "2025-05-14", "督察内容": "周督察 %d", "发现问题数": "1"},
	report.DatasetLedger: {"事项": "案卷质量讲评会", "责任科室": "审理科", "完成日期": "2025-05-1%d", "所属期间": "2025年5月"},
}

// Every header alias of config.toml, and the canonical names with the
// decorations the contract allows (spaces, full width, （必填）, *), read
// from real workbooks: variant 0 uses decorated canonical names, variant k
// the k-th alias of every column that has one.
func TestEveryHeaderAlias(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	decorate := []func(string) string{
		func(s string) string { return " " + s + "* " },
		func(s string) string { return s + "（必填）" },
		func(s string) string { return "\u3000" + s },
	}
	var files []string
	for _, dataset := range report.DatasetNames {
		aliases := cfg.Datasets[dataset].Columns
		variants := 1
		for _, a := range aliases {
			variants = max(variants, len(a)+1)
		}
		for k := range variants {
			var head, row []any
			for i, col := range report.Columns[dataset] {
				name := decorate[i%len(decorate)](col.Name)
				if k > 0 && len(aliases[col.Name]) >= k {
					name = aliases[col.Name][k-1]
				}
				value := validValues[dataset][col.Name]
				if strings.Contains(value, "%d") {
					value = fmt.Sprintf(value, k)
				}
				head, row = append(head, name), append(row, value)
			}
			path := filepath.Join(root, "2025-05", fmt.Sprintf("%s_%d.xlsx", dataset, k))
			writeXLSX(t, path, dataset, [][]any{head, row})
			files = append(files, path)
		}
	}
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(q.Files) > 0 || len(q.Rejected) > 0 {
		t.Fatalf("file errors %+v, rejected %+v", q.Files, q.Rejected)
	}
	for _, path := range files {
		if in := inputOf(t, q, path); in.Rows != 1 || in.Accepted != 1 {
			t.Errorf("%s: %+v, want one accepted row", path, in)
		}
	}
	for _, c := range ds.Cases {
		if c.Squad != "江宁路中队" || !c.MajorReview || c.Filed != date(2025, 5, 3) || c.Closed != date(2025, 5, 20) ||
			!reflect.DeepEqual(c.Abnormal, []string{"超期立案", "超期结案"}) {
			t.Errorf("case %+v", c)
		}
	}
	for _, s := range ds.Samples {
		if s.Kind != report.CaseFile || s.Department != "案件审理科" || s.Verdict != report.Pass || s.Squad != "江宁路中队" ||
			!reflect.DeepEqual(s.Problems, []string{"文书不规范", "证据不足"}) {
			t.Errorf("sample %+v", s)
		}
	}
	for _, i := range ds.Inspections {
		if i.Item != "公示制度" || i.Problems != 2 || i.Rectification != report.NotRectified || i.Deadline != date(2025, 5, 31) {
			t.Errorf("inspection %+v", i)
		}
	}
	for _, c := range ds.Complaints {
		if c.Type != "投诉" || c.Squad != "北站中队" || !c.Repeated || !c.Sampled || c.SampledOn != date(2025, 5, 13) || c.Finding != report.DutyDone {
			t.Errorf("complaint %+v", c)
		}
	}
	for _, w := range ds.Weekly {
		if w.Squad != "临汾路中队" || w.Problems != 1 || w.Date != date(2025, 5, 14) {
			t.Errorf("weekly %+v", w)
		}
	}
	for _, l := range ds.Ledger {
		if l.Matter != "案卷质量讲评会" || l.Responsible != "案件审理科" || l.Period != "2025-05" {
			t.Errorf("ledger %+v", l)
		}
	}
	counts := []int{len(ds.Cases), len(ds.Samples), len(ds.Inspections), len(ds.Complaints), len(ds.Weekly), len(ds.Ledger)}
	for i, dataset := range report.DatasetNames {
		want := 0
		for _, path := range files {
			if strings.HasPrefix(filepath.Base(path), dataset+"_") {
				want++
			}
		}
		if counts[i] != want {
			t.Errorf("%s: %d records, want %d", dataset, counts[i], want)
		}
	}
}

// Every date form of the contract: text forms with and without a time,
// 20250503, an Excel serial number typed as a number, and a real date cell
// with a date number format (which raw mode delivers as a serial).
func TestEveryDateForm(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	forms := []any{
		"2025-05-03", "2025/5/3", "2025.5.3", "2025年5月3日", "20250503",
		"2025-05-03 08:30", "2025/5/3 8:30:15", "2025年5月3日 08:30", "2025-05-03T08:30:00",
		"２０２５－０５－０３", 45780, 45780.75, "45780", 20250503,
		time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 3, 23, 59, 0, 0, time.UTC),
	}
	rows := [][]any{{"中队", "督察日期", "督察内容", "发现问题数"}}
	for i, f := range forms {
		rows = append(rows, []any{"江宁路中队", f, fmt.Sprintf("form %d: %v", i, f), 0})
	}
	path := filepath.Join(root, "2025-05", "中队督察.xlsx")
	writeXLSX(t, path, "中队督察", rows, func(f *excelize.File, sheet string) {
		// The serial typed as a number gets a date format too, as Excel does.
		style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		_ = f.SetCellStyle(sheet, "B12", "B13", style)
	})
	// The same text forms from a CSV.
	csvRows := [][]string{{"中队", "督察日期", "督察内容"}}
	for i, f := range forms[:10] {
		csvRows = append(csvRows, []string{"江宁路", fmt.Sprint(f), fmt.Sprintf("csv %d", i)})
	}
	writeCSV(t, filepath.Join(root, "2025-05", "中队督察.csv"), csvRows, nil, false)

	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(q.Rejected) > 0 || len(q.Files) > 0 {
		t.Fatalf("rejected %+v, file errors %+v", q.Rejected, q.Files)
	}
	if len(ds.Weekly) != len(forms)+10 {
		t.Fatalf("%d records, want %d", len(ds.Weekly), len(forms)+10)
	}
	for _, w := range ds.Weekly {
		if w.Date != date(2025, 5, 3) {
			t.Errorf("%s (row %d): %v, want 2025-05-03", w.Content, w.Origin.Row, w.Date)
		}
	}
}

// Impossible and unrecognised dates are rejected with file, sheet, row,
// column as written and the value, never guessed.
func TestBadDatesRejected(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "案件_2025年5月.xlsx")
	writeXLSX(t, path, "案件", [][]any{
		{"案号", "办案单位", "立案时间", "结案时间"},
		{"A1", "江宁路", "2025-05-03", ""},
		{"A2", "江宁路", "2025-13-45", ""},
		{"A3", "江宁路", "下周", ""},
		{"A4", "江宁路", "2025-02-29", ""},
		{"A5", "江宁路", "2025-05-03", "2025/5/32"},
		{"A6", "江宁路", "", ""},
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Cases) != 1 || ds.Cases[0].ID != "A1" {
		t.Fatalf("cases %+v", ds.Cases)
	}
	want := []report.Rejection{
		{Dataset: "案件", File: path, Sheet: "案件", Row: 3, Column: "立案时间", Value: "2025-13-45", Reason: "日期不存在：2025-13-45"},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 4, Column: "立案时间", Value: "下周", Reason: "日期无法识别：下周"},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 5, Column: "立案时间", Value: "2025-02-29", Reason: "日期不存在：2025-02-29"},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 6, Column: "结案时间", Value: "2025/5/32", Reason: "日期不存在：2025/5/32"},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 7, Column: "立案时间", Value: "", Reason: "必填项为空"},
	}
	if !reflect.DeepEqual(q.Rejected, want) {
		t.Errorf("rejected:\n got %+v\nwant %+v", q.Rejected, want)
	}
	if in := inputOf(t, q, path); in.Rows != 6 || in.Accepted != 1 || in.Rejected != 5 {
		t.Errorf("input %+v", in)
	}
}

// The five name forms of a squad, aliases, and an unknown squad that is
// rejected with its row number.
func TestSquadNameForms(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, path, "诉件", [][]any{
		complaintHeader,
		complaintRow("C1", "江宁路", "2025-05-01"),
		complaintRow("C2", "江宁路中队", "2025-05-01"),
		complaintRow("C3", "江宁路街道中队", "2025-05-01"),
		complaintRow("C4", "江宁路街道", "2025-05-01"),
		complaintRow("C5", "静安区城管执法局江宁路中队", "2025-05-01"),
		complaintRow("C6", " 江宁路 中队 ", "2025-05-01"),
		complaintRow("C7", "机动执法中队", "2025-05-01"),
		complaintRow("C8", "外滩中队", "2025-05-01"),
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	want := []string{"江宁路中队", "江宁路中队", "江宁路中队", "江宁路中队", "江宁路中队", "江宁路中队", "机动中队"}
	var got []string
	for _, c := range ds.Complaints {
		got = append(got, c.Squad)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("squads %v, want %v", got, want)
	}
	wantRej := []report.Rejection{{Dataset: "诉件", File: path, Sheet: "诉件", Row: 9, Column: "所属中队", Value: "外滩中队", Reason: "未知中队：外滩中队"}}
	if !reflect.DeepEqual(q.Rejected, wantRej) {
		t.Errorf("rejected %+v, want %+v", q.Rejected, wantRej)
	}
}

// Title and export-time rows above the header, an empty row inside the
// data, a squad merged over three rows, and a trailing 合计 row.
func TestSheetLayout(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "案件.xlsx")
	writeXLSX(t, path, "案件", [][]any{
		{"静安区城管执法局案件清单"},
		{"导出时间：2025-06-01 08:00:00"},
		caseHeader,
		caseRow("A1", "北站中队", "2025-05-02", ""),
		caseRow("A2", "", "2025-05-03", ""),
		caseRow("A3", "", "2025-05-04", ""),
		{},
		caseRow("A4", "石门二路", "2025-05-05", ""),
		{"合计", "4件"},
	}, func(f *excelize.File, sheet string) {
		_ = f.MergeCell(sheet, "A1", "H1") // the title
		_ = f.MergeCell(sheet, "B4", "B6") // 北站中队 over A1..A3
	})
	// A sheet before the dataset's sheet: the named sheet is read, not the first.
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("说明"); err != nil {
		t.Fatal(err)
	}
	if err := f.MoveSheet("说明", "案件"); err != nil {
		t.Fatal(err)
	}
	_ = f.SetCellValue("说明", "A1", "本表由系统导出")
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(q.Rejected) > 0 || len(q.Files) > 0 {
		t.Fatalf("rejected %+v, file errors %+v", q.Rejected, q.Files)
	}
	var got []string
	for _, c := range ds.Cases {
		got = append(got, fmt.Sprintf("%s %s row %d", c.ID, c.Squad, c.Origin.Row))
	}
	want := []string{"A1 北站中队 row 4", "A2 北站中队 row 5", "A3 北站中队 row 6", "A4 石门二路中队 row 8"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("cases %v, want %v", got, want)
	}
	if in := inputOf(t, q, path); in.Rows != 4 || in.Accepted != 4 {
		t.Errorf("input %+v: the title, header, empty and 合计 rows are not data rows", in)
	}
	if n := warningCount(q, report.WarnSummaryRow); n != 1 {
		t.Errorf("%d summary-row warnings, want 1: %+v", n, q.Warnings)
	}
}

// GBK and UTF-8 (with and without BOM) CSVs read the same.
func TestCSVEncodings(t *testing.T) {
	cfg := loadConfig(t)
	rows := [][]string{
		{"静安区城管执法局诉件清单"},
		{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域"},
		{"C1", "12345", "2025/5/3", "芷江西路街道", "占绿毁绿"},
		{"C2", "信访件", "2025年5月4日", "彭浦新村", "违法建筑，“私搭”"},
	}
	cases := []struct {
		name string
		gbk  bool
		bom  bool
	}{{"gbk", true, false}, {"utf8-bom", false, true}, {"utf8", false, false}}
	var first []report.Complaint
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "2025-05", "诉件-导出.csv")
			if tc.gbk {
				writeCSV(t, path, rows, simplifiedchinese.GBK, false)
			} else {
				writeCSV(t, path, rows, nil, tc.bom)
			}
			ds, q := read(t, cfg, root, "2025-05", "2025-05")
			if len(q.Files) > 0 || len(q.Rejected) > 0 {
				t.Fatalf("file errors %+v, rejected %+v", q.Files, q.Rejected)
			}
			if len(ds.Complaints) != 2 || ds.Complaints[0].Squad != "芷江西路中队" || ds.Complaints[1].Type != "信访" ||
				ds.Complaints[1].Field != "违法建筑，“私搭”" || ds.Complaints[1].Origin.Row != 4 || ds.Complaints[0].Origin.Sheet() != "" {
				t.Fatalf("complaints %+v", ds.Complaints)
			}
			for i := range ds.Complaints {
				ds.Complaints[i].Origin = report.Origin{}
			}
			if first == nil {
				first = ds.Complaints
			} else if !reflect.DeepEqual(ds.Complaints, first) {
				t.Errorf("%s reads differently: %+v vs %+v", tc.name, ds.Complaints, first)
			}
		})
	}
}

// The same case exported open in April and closed in May: the May row wins
// and April's is counted as superseded; within a folder the later file by
// name wins.
func TestDuplicatesLatestWins(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	april := filepath.Join(root, "2025-04", "案件.xlsx")
	may := filepath.Join(root, "2025-05", "案件.xlsx")
	mayB := filepath.Join(root, "2025-05", "案件_补充.csv")
	writeXLSX(t, april, "案件", [][]any{caseHeader,
		{"A1", "北站", "", "2025-04-10", "", "调查", "", ""},
		{"A2", "北站", "", "2025-04-11", "", "调查", "", ""}})
	writeXLSX(t, may, "案件", [][]any{caseHeader,
		{"A1", "北站", "", "2025-04-10", "2025-05-06", "结案", "", ""},
		{"A3", "北站", "", "2025-05-02", "", "立案", "", ""},
		{"A3", "北站", "", "2025-05-02", "", "调查", "", ""}})
	writeCSV(t, mayB, [][]string{{"案件编号", "承办中队", "立案日期", "案件状态"}, {"A3", "北站", "2025-05-02", "审核"}}, nil, false)
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	got := map[string]string{}
	for _, c := range ds.Cases {
		got[c.ID] = c.Status + " " + c.Closed.String()
	}
	want := map[string]string{"A1": "结案 2025-05-06", "A2": "调查 ", "A3": "审核 "}
	if !reflect.DeepEqual(got, want) || len(ds.Cases) != 3 {
		t.Errorf("cases %v (%d), want %v", got, len(ds.Cases), want)
	}
	for file, superseded := range map[string]int{april: 1, may: 2, mayB: 0} {
		in := inputOf(t, q, file)
		if in.Superseded != superseded {
			t.Errorf("%s: superseded %d, want %d", file, in.Superseded, superseded)
		}
		data, err := os.ReadFile(file)
		if sum := sha256.Sum256(data); err != nil || in.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: sha256 %s is not that of the file", file, in.SHA256)
		}
	}
}

// A case sampled in June 2025 that was filed in 2024 is found in the 案件
// export of the 2024 folder, and the sample takes its squad from it. A
// sample of an unknown case still counts with its own squad (and a
// warning); without a squad it cannot be attributed and is rejected.
func TestCasesAreAReferenceTable(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	writeXLSX(t, filepath.Join(root, "2024-11", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("OLD-1", "曹家渡", "2024-11-20", ""), caseRow("OLD-2", "北站", "2024-11-21", "")})
	writeXLSX(t, filepath.Join(root, "2024-11", "诉件.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C-OLD", "北站", "2024-11-02")})
	writeXLSX(t, filepath.Join(root, "2025-07", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("FUTURE-1", "北站", "2025-07-01", "")})
	samples := filepath.Join(root, "2025-06", "抽查明细.xlsx")
	writeXLSX(t, samples, "抽查明细", [][]any{
		{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"},
		{"S1", "2025-06-05", "案卷", "OLD-1", "", "审理科", "合格"},
		{"S2", "2025-06-05", "案卷", "NOPE-1", "北站", "审理科", "合格"},
		{"S3", "2025-06-05", "视音频", "NOPE-2", "", "审理科", "不合格"},
		{"S4", "2025-06-05", "视音频", "FUTURE-1", "", "审理科", "合格"},
		{"S5", "2025-06-05", "案卷", "OLD-2", "", "审理科", "合格"},
		{"S6", "2025-06-05", "视音频", "OLD-2", "", "审理科", "合格"}, // a case named again
	})
	ds, q := read(t, cfg, root, "2025-06", "2025-06")
	if len(ds.Cases) != 2 || ds.Cases[0].ID != "OLD-1" || ds.Cases[1].ID != "OLD-2" {
		t.Errorf("cases %+v: 2024-11 is read for 案件 only, 2025-07 not at all", ds.Cases)
	}
	if len(ds.Complaints) != 0 {
		t.Errorf("complaints of 2024-11 read: %+v", ds.Complaints)
	}
	got := map[string]string{}
	for _, s := range ds.Samples {
		got[s.ID] = s.Squad
	}
	if want := map[string]string{"S1": "曹家渡中队", "S2": "北站中队", "S5": "北站中队", "S6": "北站中队"}; !reflect.DeepEqual(got, want) {
		t.Errorf("samples %v, want %v", got, want)
	}
	if n := warningCount(q, report.WarnUnknownCase); n != 3 {
		t.Errorf("%d unknown-case warnings, want 3 (NOPE-1, NOPE-2, FUTURE-1): %+v", n, q.Warnings)
	}
	if len(q.Rejected) != 2 || q.Rejected[0].Row != 4 || q.Rejected[0].Column != "承办中队" || q.Rejected[1].Row != 5 {
		t.Errorf("rejected %+v, want rows 4 and 5 for want of a squad", q.Rejected)
	}
	if in := inputOf(t, q, samples); in.Rows != 6 || in.Accepted != 4 || in.Rejected != 2 {
		t.Errorf("input %+v", in)
	}
	if len(q.Missing) != 0 || !reflect.DeepEqual(ds.Missing, []string{"案件", "监督检查", "诉件", "中队督察", "工作台账"}) {
		t.Errorf("missing folders %+v, datasets %v", q.Missing, ds.Missing)
	}
}

// Each sample, whichever file it came from, takes the squad of its own
// case: the case ids are numbered once for all the files, and the samples
// of the second file must find their own numbers, not their neighbours'.
// With an earlier year's 案件 the same numbering filters it first.
func TestSamplesOfEveryFileTakeTheirOwnCasesSquads(t *testing.T) {
	cfg := loadConfig(t)
	sampleHeader := []any{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"}
	for _, earlier := range []bool{false, true} {
		root := t.TempDir()
		writeXLSX(t, filepath.Join(root, "2025-05", "案件.xlsx"), "案件", [][]any{caseHeader,
			caseRow("A1", "曹家渡", "2025-05-01", ""), caseRow("A2", "北站", "2025-05-02", ""), caseRow("A3", "曹家渡", "2025-05-03", "")})
		if earlier {
			writeXLSX(t, filepath.Join(root, "2023-02", "案件.xlsx"), "案件", [][]any{caseHeader,
				caseRow("OLD", "北站", "2023-02-01", ""), caseRow("A3", "北站", "2023-02-01", ""), caseRow("UNNAMED", "北站", "2023-02-01", "")})
		}
		writeXLSX(t, filepath.Join(root, "2025-05", "抽查明细.xlsx"), "抽查明细", [][]any{sampleHeader,
			{"S1", "2025-05-05", "案卷", "A1", "", "审理科", "合格"},
			{"S2", "2025-05-05", "案卷", "A2", "", "审理科", "合格"}})
		writeXLSX(t, filepath.Join(root, "2025-06", "抽查明细.xlsx"), "抽查明细", [][]any{sampleHeader,
			{"S3", "2025-06-05", "案卷", "A3", "", "审理科", "合格"},
			{"S4", "2025-06-05", "案卷", "OLD", "", "审理科", "合格"},
			{"S5", "2025-06-05", "案卷", "A1", "", "审理科", "合格"},
			{"S6", "2025-06-05", "案卷", "NOPE", "", "审理科", "合格"}})
		ds, q := read(t, cfg, root, "2025-05", "2025-06")
		got := map[string]string{}
		for _, s := range ds.Samples {
			got[s.ID] = s.Squad
		}
		want := map[string]string{"S1": "曹家渡中队", "S2": "北站中队", "S3": "曹家渡中队", "S5": "曹家渡中队"}
		rejected := []int{3, 5} // OLD and NOPE: no squad and no case
		if earlier {
			want["S4"] = "北站中队" // OLD, a case of 2023 a sample names
			rejected = []int{5}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("earlier year %v: samples' squads %v, want %v", earlier, got, want)
		}
		var rows []int
		for _, r := range q.Rejected {
			rows = append(rows, r.Row)
		}
		if !slices.Equal(rows, rejected) {
			t.Errorf("earlier year %v: rejected rows %v, want %v", earlier, rows, rejected)
		}
		var cases []string
		for _, c := range ds.Cases {
			cases = append(cases, c.ID+c.Squad)
		}
		wantCases := []string{"A1曹家渡中队", "A2北站中队", "A3曹家渡中队"}
		if earlier {
			wantCases = append(wantCases, "OLD北站中队") // A3 of 2023 superseded, UNNAMED not kept
		}
		if !slices.Equal(cases, wantCases) {
			t.Errorf("earlier year %v: cases %v, want %v", earlier, cases, wantCases)
		}
	}
}

// A missing month folder is a warning and a Missing entry, not an error;
// rows are kept whatever their dates, with a warning for late ones.
func TestMissingMonthAndLateRows(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	writeXLSX(t, filepath.Join(root, "2025-06", "诉件.xlsx"), "诉件", [][]any{complaintHeader,
		complaintRow("C1", "北站", "2025-04-30"), complaintRow("C2", "北站", "2025-06-01")})
	writeFile(t, filepath.Join(root, "2025-06", "~$诉件.xlsx"), []byte("lock"))
	writeFile(t, filepath.Join(root, "2025-06", "诉件.pdf"), []byte("%PDF"))
	writeFile(t, filepath.Join(root, "notes", "诉件.xlsx"), []byte("not a month folder"))
	ds, q := read(t, cfg, root, "2025-04", "2025-06")
	if len(ds.Complaints) != 2 || len(q.Files) != 0 {
		t.Fatalf("complaints %+v, file errors %+v", ds.Complaints, q.Files)
	}
	want := []report.MissingDir{{Month: "2025-04", Path: filepath.Join(root, "2025-04")}, {Month: "2025-05", Path: filepath.Join(root, "2025-05")}}
	if !reflect.DeepEqual(q.Missing, want) {
		t.Errorf("missing %+v, want %+v", q.Missing, want)
	}
	if warningCount(q, report.WarnMissingMonth) != 2 || warningCount(q, report.WarnLateRecord) != 1 {
		t.Errorf("warnings %+v", q.Warnings)
	}
}

// Rows that break the value rules of the contract are rejected for the
// first problem, with the header as written and the value.
func TestValueRules(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	inspections := filepath.Join(root, "2025-05", "监督检查.xlsx")
	writeXLSX(t, inspections, "监督检查", [][]any{
		{"记录编号", "检查日期", "检查事项", "检查单位", "检查对象", "问题数", "整改状态"},
		{"I1", "2025-05-02", "强转树", "人事科", "北站", "", ""},
		{"I2", "2025-05-02", "强转树", "人事科", "北站", "3", "整改完成"},
		{"I3", "2025-05-02", "强转树", "人事科", "北站", "-1", ""},
		{"I4", "2025-05-02", "强转树", "人事科", "北站", "两个", ""},
		{"I5", "2025-05-02", "卫生检查", "人事科", "北站", "1", ""},
		{"I6", "2025-05-02", "强转树", "财务科", "北站", "1", ""},
		{"I7", "2025-05-02", "强转树", "人事科", "北站", "1", "拖着"},
	})
	complaints := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, complaints, "诉件", [][]any{
		{"工单编号", "来源", "登记日期", "处置单位", "重复投诉", "是否抽查", "抽查日期"},
		{"C1", "市民投诉", "2025-05-02", "北站", "√", "×", ""},
		{"C2", "短信", "2025-05-02", "北站", "", "", ""},
		{"C3", "信访", "2025-05-02", "北站", "也许", "", ""},
		{"C4", "信访", "2025-05-02", "北站", "", "是", ""},
	})
	ledger := filepath.Join(root, "2025-05", "工作台账.csv")
	writeCSV(t, ledger, [][]string{
		{"工作事项", "报送单位", "报送日期", "期间"},
		{"自查报告(公示制度)", "执法协调科", "2025-07-03", "2025年上半年"},
		{"月度工作总结和计划", "监督科", "2025-05-04", "2025-04"},
		{"中队年度监督计划", "北站中队", "2025-01-20", "2025"},
		{"强转树动态信息", "", "2025-05-20", ""},
		{"强转树动态信息", "各中队", "2025-05-20", "2025-H2"},
		{"强转树动态信息", "组织科", "2025-05-20", "五月"},
		{"强转树动态信息", "食堂", "2025-05-20", ""},
	}, nil, true)
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	var got []string
	for _, i := range ds.Inspections {
		got = append(got, fmt.Sprintf("%s %s %s %d %q", i.ID, i.Item, i.Department, i.Problems, i.Rectification))
	}
	want := []string{`I1 队伍建设 组织人事科 0 ""`, `I2 队伍建设 组织人事科 3 "已整改"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("inspections %q, want %q", got, want)
	}
	got = nil
	for _, c := range ds.Complaints {
		got = append(got, fmt.Sprintf("%s %s %v %v", c.ID, c.Type, c.Repeated, c.Sampled))
	}
	if want := []string{"C1 投诉 true false"}; !reflect.DeepEqual(got, want) {
		t.Errorf("complaints %q, want %q", got, want)
	}
	got = nil
	for _, l := range ds.Ledger {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s", l.Matter, l.Responsible, l.Done, l.Period))
	}
	want = []string{
		"自查报告（公示制度）|执法协调科|2025-07-03|2025-H1",
		"月度工作总结和计划|执法监督科|2025-05-04|2025-04",
		"中队年度监督计划|北站中队|2025-01-20|2025",
		"强转树动态信息||2025-05-20|2025-05",
		"强转树动态信息|各中队|2025-05-20|2025-H2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ledger\n got %q\nwant %q", got, want)
	}
	type rej struct {
		row            int
		column, reason string
	}
	var rejected []rej
	for _, r := range q.Rejected {
		rejected = append(rejected, rej{r.Row, r.Column, r.Reason})
	}
	wantRej := []rej{
		{7, "期间", "所属期间无法识别：五月（应为 2025-05、2025-H1 或 2025 这样的写法）"},
		{8, "报送单位", "未知科室或中队：食堂"},
		{4, "问题数", "不能为负数：-1"},
		{5, "问题数", "不是整数：两个"},
		{6, "检查事项", "未知监督事项：卫生检查"},
		{7, "检查单位", "未知科室：财务科"},
		{8, "整改状态", "整改状态无法识别：拖着（应为 已整改、整改中、未整改）"},
		{3, "来源", "诉件类型无法识别：短信（应为 信访、媒体曝光件、投诉、环保督察件、领导批示件）"},
		{4, "重复投诉", "应为 是/否：也许"},
		{5, "抽查日期", "是否抽查为“是”，抽查日期却为空"},
	}
	if !reflect.DeepEqual(rejected, wantRej) {
		t.Errorf("rejected\n got %+v\nwant %+v", rejected, wantRej)
	}
}

// The result does not depend on goroutine scheduling.
func TestDeterministic(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	for m := 1; m <= 6; m++ {
		folder := fmt.Sprintf("2025-%02d", m)
		for k := range 3 {
			var rows [][]any
			rows = append(rows, caseHeader)
			for i := range 20 {
				rows = append(rows, caseRow(fmt.Sprintf("A%d", (i*7+k+m)%25), "北站", fmt.Sprintf("2025-%02d-%02d", m, i+1), ""))
			}
			writeXLSX(t, filepath.Join(root, folder, fmt.Sprintf("案件_%d.xlsx", k)), "案件", rows)
		}
		writeXLSX(t, filepath.Join(root, folder, "诉件.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C1", "北站", folder+"-02")})
	}
	ds1, q1 := read(t, cfg, root, "2025-01", "2025-06")
	for range 3 {
		ds2, q2 := read(t, cfg, root, "2025-01", "2025-06")
		if !reflect.DeepEqual(ds1, ds2) || !reflect.DeepEqual(q1, q2) {
			t.Fatal("two reads of the same folders differ")
		}
	}
	if len(ds1.Cases) != 25 || ds1.Complaints[0].Origin.Folder() != month(t, "2025-06") {
		t.Errorf("%d cases, complaint %+v", len(ds1.Cases), ds1.Complaints)
	}
}

func TestCancelledAndBadRoot(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	writeXLSX(t, filepath.Join(root, "2025-05", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("A1", "北站", "2025-05-01", "")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Read(ctx, cfg, root, month(t, "2025-05"), month(t, "2025-05")); err != context.Canceled {
		t.Errorf("cancelled read: %v", err)
	}
	_, _, err := Read(context.Background(), cfg, filepath.Join(root, "nope"), month(t, "2025-05"), month(t, "2025-05"))
	if report.KindOf(err) != report.KindData || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing root: %v", err)
	}
}

// Read gives the same dataset and quality report with either reader over
// the whole sample year, merged ledger cells included.
func TestStreamingReadSameDataset(t *testing.T) {
	cfg := loadConfig(t)
	from, through := month(t, "2024-12"), month(t, "2025-12")
	ref, refQ, err1 := ReadWith(context.Background(), cfg, "../sample/data", from, through, Options{ExcelizeOnly: true})
	got, gotQ, err2 := Read(context.Background(), cfg, "../sample/data", from, through)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if ref.Fingerprint == got.Fingerprint || got.Fingerprint == "" {
		t.Errorf("fingerprints %q and %q: the readers are not told apart", ref.Fingerprint, got.Fingerprint)
	}
	ref.Fingerprint = got.Fingerprint // the readers' settings
	if !reflect.DeepEqual(ref, got) {
		t.Error("the datasets differ")
	}
	if !reflect.DeepEqual(refQ, gotQ) {
		t.Errorf("the quality reports differ:\n%+v\n%+v", refQ, gotQ)
	}
	if len(got.Complaints) < 10000 || len(got.Cases) < 3000 {
		t.Errorf("%d complaints, %d cases: not the sample year", len(got.Complaints), len(got.Cases))
	}
}

// A summary row's first cell is 合计 or 总计 as a word, with what may follow
// it (a colon, a count); text that only begins with those characters, as
// 督察内容 may, is a data row.
func TestSummaryRowIsTheWordAlone(t *testing.T) {
	for first, want := range map[string]bool{
		"合计": true, " 合 计 ": true, "合计：12件": true, "总计(3)": true, "合计12件": true, "总计": true,
		"总计划执行情况良好": false, "合计检查3处工地": false, "SJ20250500001": false, "合": false, "": false,
	} {
		if got := isSummary(first); got != want {
			t.Errorf("isSummary(%q) = %v, want %v", first, got, want)
		}
	}
}

// A CSV row with a field past its header's last was split by a comma in a
// value that was not quoted: read as it is, its fields would land in the
// wrong columns, so it is rejected, naming the field. An empty field there
// (a trailing comma) is nothing; in a workbook a cell past the header is
// only an unnamed column.
func TestCSVRowShiftedByAnUnquotedCommaIsRejected(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.csv")
	writeFile(t, path, []byte("诉件编号,诉件类型,受理日期,所属中队,问题领域\r\n"+
		"C1,12345,2025/5/3,芷江西路街道,占绿毁绿\r\n"+
		"C2,信访件,2025/5/4,彭浦新村,违法建筑,私搭\r\n"+
		"C3,信访件,2025/5/4,彭浦新村,违法建筑,\r\n"))
	book := filepath.Join(root, "2025-05", "诉件_补充.xlsx")
	writeXLSX(t, book, "诉件", [][]any{
		{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域"},
		{"C4", "信访件", "2025/5/4", "彭浦新村", "违法建筑", "私搭"},
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	want := []report.Rejection{{Dataset: "诉件", File: path, Row: 3, Column: "第6列", Value: "私搭",
		Reason: "表头只有5列，这一行却有第6列：多半是某个值里有未加引号的逗号，整行错位"}}
	if !reflect.DeepEqual(q.Rejected, want) {
		t.Errorf("rejected %+v, want %+v", q.Rejected, want)
	}
	if in := inputOf(t, q, path); in.Rows != 3 || in.Accepted != 2 || in.Rejected != 1 {
		t.Errorf("the CSV's input %+v, want 3 rows, 2 accepted, 1 rejected", in)
	}
	var ids []string
	for _, c := range ds.Complaints {
		ids = append(ids, c.ID)
	}
	if slices.Sort(ids); !slices.Equal(ids, []string{"C1", "C3", "C4"}) {
		t.Errorf("complaints %q, want C1, C3 and C4", ids)
	}
}

// A CSV that stops inside its last row, without a line end, was cut short
// (an export or a copy broken off): rows may have followed, so the file is
// refused. A last row in full needs no line end, and a row written short
// elsewhere is read with the rest empty, and warned about.
func TestCSVCutShortIsRefused(t *testing.T) {
	cfg := loadConfig(t)
	header := "诉件编号,诉件类型,受理日期,所属中队,问题领域,是否重复\r\n"
	for _, tc := range []struct {
		name, text string
		refused    string // the file's failure, "" when it is read
		short      int    // rows warned about as short
		maybeCut   bool   // the last row warned about as maybe cut
	}{
		{name: "whole", text: header + "C1,投诉,2025/5/3,北站,违法建筑,否\r\nC2,投诉,2025/5/3,北站,违法建筑,否\r\n"},
		{name: "last row without a line end", text: header + "C1,投诉,2025/5/3,北站,违法建筑,否\r\nC2,投诉,2025/5/3,北站,违法建筑,否"},
		{name: "last row empty at its end", text: header + "C1,投诉,2025/5/3,北站,违法建筑,否\r\nC2,投诉,2025/5/3,北站,违法建筑,"},
		{name: "cut inside the last row", text: header + "C1,投诉,2025/5/3,北站,违法建筑,否\r\nC2,投诉,2025/5/3,北站,违",
			refused: "最后一行（第3行）只有5列，表头有6列，且没有以换行结束：文件多半在导出或复制时被截断；请重新导出"},
		{name: "cut after a comma", text: header + "C1,投诉,2025/5/3,北站,违法建筑,否\r\nC2,投诉,",
			refused: "最后一行（第3行）只有3列，表头有6列，且没有以换行结束：文件多半在导出或复制时被截断；请重新导出"},
		{name: "a writer that leaves out empty fields and the last line end", text: header + "C1,投诉,2025/5/3,北站,违法建筑\r\nC2,投诉,2025/5/3,北站,违法建筑", short: 1, maybeCut: true},
		{name: "that writer's file cut after a comma", text: header + "C1,投诉,2025/5/3,北站,违法建筑\r\nC2,投诉,2025/5/3,北站,",
			refused: "最后一行（第3行）只有5列，表头有6列，且没有以换行结束：文件多半在导出或复制时被截断；请重新导出"},
		{name: "short rows written whole", text: header + "C1,投诉,2025/5/3,北站\r\nC2,投诉,2025/5/3,北站,违法建筑\r\nC3,投诉,2025/5/3,北站,违法建筑,否", short: 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "2025-05", "诉件.csv")
			writeFile(t, path, []byte(tc.text))
			ds, q := read(t, cfg, root, "2025-05", "2025-05")
			var failure string
			for _, f := range q.Files {
				failure = f.Reason
			}
			if failure != tc.refused {
				t.Fatalf("the file's failure %q, want %q", failure, tc.refused)
			}
			rows := len(strings.Split(strings.TrimSuffix(tc.text, "\r\n"), "\r\n")) - 1
			if tc.refused == "" && len(ds.Complaints) != rows {
				t.Errorf("%d complaints read of %d rows", len(ds.Complaints), rows)
			}
			if n := warningCount(q, report.WarnShortRow); n != tc.short {
				t.Errorf("%d short rows warned about, want %d", n, tc.short)
			}
			if cut := warningCount(q, report.WarnMaybeCut) == 1; cut != tc.maybeCut {
				t.Errorf("the last row warned about as maybe cut: %v, want %v", cut, tc.maybeCut)
			}
		})
	}
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.csv")
	writeFile(t, path, []byte(header+"C1,投诉,2025/5/3,北站\r\nC2,投诉,2025/5/3,北站\r\n"))
	_, q := read(t, cfg, root, "2025-05", "2025-05")
	if w := warningsOf(q, report.WarnShortRow, path); len(w) != 1 || w[0] != "第2行只有4列，表头有6列" {
		t.Errorf("short-row warnings %q, want the first row and its columns named", w)
	}
	var summary strings.Builder
	q.WriteSummary(&summary)
	if want := "  列数不足的行：" + path + " 第2行只有4列，表头有6列（共 2 处）\n"; !strings.Contains(summary.String(), want) {
		t.Errorf("the summary does not list the file and its short rows, %q:\n%s", want, summary.String())
	}
}

// A CSV field written as a formula of one string, ="0012", is read as
// Excel shows it: exports write ids so to keep their leading zeros. Any
// other formula, or a quote left undoubled, is read as written.
func TestCSVStringFormulaReadAsExcelShowsIt(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "诉件.csv")
	writeFile(t, path, []byte("诉件编号,诉件类型,受理日期,所属中队,问题领域\r\n"+
		`="0012",投诉,2025/5/3,北站,违法建筑`+"\r\n"+
		`"=""0013""",投诉,2025/5/3,北站,违法建筑`+"\r\n"+
		`="00""14""",投诉,2025/5/3,北站,违法建筑`+"\r\n"+
		`="0015,投诉,2025/5/3,北站,违法建筑`+"\r\n"+
		`="00"16",投诉,2025/5/3,北站,违法建筑`+"\r\n"+
		`=A1&"7",投诉,2025/5/3,北站,=""`+"\r\n"))
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	var got []string
	for _, c := range ds.Complaints {
		got = append(got, c.ID+"|"+c.Field)
	}
	want := []string{`0012|违法建筑`, `0013|违法建筑`, `00"14"|违法建筑`, `="0015|违法建筑`, `="00"16"|违法建筑`, `=A1&"7"|`}
	if !slices.Equal(got, want) {
		t.Errorf("complaints %q, want %q (rejected %+v)", got, want, q.Rejected)
	}
}

// A date before 2000 is refused, however written: no export of the
// bureau's work names one, and most are a number read as an Excel serial
// day (5.20 typed for May 20th, a year alone, a time without its day).
func TestDatesBefore2000Rejected(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	path := filepath.Join(root, "2025-05", "案件.xlsx")
	writeXLSX(t, path, "案件", [][]any{
		{"案号", "办案单位", "立案时间", "结案时间"},
		{"A1", "江宁路", "2025-05-03", 45800},
		{"A2", "江宁路", "2025-05-03", 5.2},
		{"A3", "江宁路", "2025", ""},
		{"A4", "江宁路", "1999-12-31", ""},
		{"A5", "江宁路", "2000-01-01", 0.5},
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Cases) != 1 || ds.Cases[0].ID != "A1" || ds.Cases[0].Closed != date(2025, 5, 23) {
		t.Fatalf("cases %+v, want A1 closed 2025-05-23", ds.Cases)
	}
	reason := func(d string) string {
		return "日期早于2000年（读作 " + d + "）：多半是数字被当成了 Excel 日期序号（如把5月20日写成 5.20），或是笔误"
	}
	want := []report.Rejection{
		{Dataset: "案件", File: path, Sheet: "案件", Row: 3, Column: "结案时间", Value: "5.2", Reason: reason("1900-01-05")},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 4, Column: "立案时间", Value: "2025", Reason: reason("1905-07-17")},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 5, Column: "立案时间", Value: "1999-12-31", Reason: reason("1999-12-31")},
		{Dataset: "案件", File: path, Sheet: "案件", Row: 6, Column: "结案时间", Value: "0.5", Reason: "日期无法识别：0.5"}, // as before: a serial under 1
	}
	if !reflect.DeepEqual(q.Rejected, want) {
		t.Errorf("rejected:\n got %+v\nwant %+v", q.Rejected, want)
	}
}

// A file without an optional column reads its values as empty (否, no date):
// the quality report says which columns a file lacked, so that a column
// named otherwise than config.toml knows (是否被抽查) does not make every
// complaint unsampled unnoticed. A file with every column says nothing.
func TestAbsentOptionalColumnsWarned(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	renamed := filepath.Join(root, "2025-05", "诉件.xlsx")
	writeXLSX(t, renamed, "诉件", [][]any{
		{"静安区城管执法局诉件清单"},
		{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "是否被抽查", "抽查日期", "抽查结论"},
		{"C1", "投诉", "2025-05-03", "江宁路", "夜间施工", "否", "是", "2025-05-06", "履职到位"},
	})
	whole := filepath.Join(root, "2025-05", "案件.xlsx")
	writeXLSX(t, whole, "案件", [][]any{caseHeader, caseRow("A1", "江宁路", "2025-05-03", "")})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || ds.Complaints[0].Sampled {
		t.Fatalf("complaints %+v (rejected %+v): want C1, read as not sampled", ds.Complaints, q.Rejected)
	}
	if got := warningsOf(q, report.WarnNoColumn, renamed); len(got) != 1 || got[0] != "第2行的表头没有：是否抽查" || warningCount(q, report.WarnNoColumn) != 1 {
		t.Errorf("warnings about absent columns in %s: %q (%d in all), want one naming 是否抽查", renamed, got, warningCount(q, report.WarnNoColumn))
	}
}

// A sample id given again for another case is another sample under the
// same id (a 序号 column counting rows, in every file from 1): the latest
// still wins, by the contract's rule, and the file whose sample it drops is
// told which. The same sample exported again is no conflict.
func TestSampleIDGivenAgainForAnotherCaseWarned(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	header := []any{"序号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"}
	april := filepath.Join(root, "2025-04", "抽查明细.xlsx")
	writeXLSX(t, april, "抽查明细", [][]any{header,
		{"1", "2025-04-10", "案卷", "A1", "北站", "审理科", "合格"},
		{"2", "2025-04-11", "案卷", "A2", "北站", "审理科", "合格"},
		{"3", "2025-04-12", "案卷", "A3", "北站", "审理科", "合格"}})
	may := filepath.Join(root, "2025-05", "抽查明细.xlsx")
	writeXLSX(t, may, "抽查明细", [][]any{header,
		{"1", "2025-05-06", "案卷", "B1", "北站", "审理科", "合格"},
		{"2", "2025-05-07", "案卷", "A2", "北站", "审理科", "不合格"}})
	for _, m := range []string{"2025-04", "2025-05"} {
		writeXLSX(t, filepath.Join(root, m, "案件.xlsx"), "案件", [][]any{caseHeader,
			caseRow("A1", "北站", "2025-04-01", ""), caseRow("A2", "北站", "2025-04-01", ""),
			caseRow("A3", "北站", "2025-04-01", ""), caseRow("B1", "北站", "2025-05-01", "")})
	}
	ds, q := read(t, cfg, root, "2025-04", "2025-05")
	var got []string
	for _, s := range ds.Samples {
		got = append(got, s.ID+" "+s.CaseID)
	}
	slices.Sort(got)
	if want := []string{"1 B1", "2 A2", "3 A3"}; !slices.Equal(got, want) {
		t.Errorf("samples %v, want %v: the latest of an id wins", got, want)
	}
	want := "第2行：抽查编号 1 又见于 " + may + " 第2行，所抽案件却不同（A1、B1），按规则只计后者；编号若是行号（序号），各文件同号的抽查会互相顶替，请导出真正的抽查编号"
	if w := warningsOf(q, report.WarnReusedID, april); len(w) != 1 || w[0] != want {
		t.Errorf("warnings of ids given again in April %q, want %q", w, want)
	}
	if n := warningCount(q, report.WarnReusedID); n != 1 {
		t.Errorf("%d warnings of ids given again, want 1: sample 2 is the same sample exported again", n)
	}
	if in := inputOf(t, q, april); in.Superseded != 2 {
		t.Errorf("April's input %+v: both its samples 1 and 2 are superseded", in)
	}
}

// A counted squad without a case in the 案件 exports of the report's month
// is warned of once, naming the month's exports and the squads, counted by
// squad: most likely the export left it out. The month's exports count
// together; an earlier folder's gaps are its own month's concern, and a
// month without a 案件 export is told as a missing export instead.
func TestASquadWithoutCasesInTheMonthIsWarned(t *testing.T) {
	cfg := loadConfig(t)
	squads := cfg.CountedSquads()
	if len(squads) < 3 {
		t.Fatalf("counted squads %q: the test needs three", squads)
	}
	root := t.TempDir()
	writeXLSX(t, filepath.Join(root, "2025-04", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("A-APR", squads[0], "2025-04-02", "")})
	may := filepath.Join(root, "2025-05", "案件.xlsx")
	rows := [][]any{caseHeader}
	for i, s := range squads[:len(squads)-2] {
		rows = append(rows, caseRow(fmt.Sprintf("A-%d", i), s, "2025-05-02", ""))
	}
	writeXLSX(t, may, "案件", rows)
	supplied := squads[len(squads)-2] // in the month's second export
	writeCSV(t, filepath.Join(root, "2025-05", "案件_补充.csv"), [][]string{{"案件编号", "承办中队", "立案日期", "案件状态"}, {"A-CSV", supplied, "2025-05-02", "立案"}}, nil, false)

	_, q := read(t, cfg, root, "2025-04", "2025-05")
	want := []string{"2025年5月的案件导出中没有以下中队的案件：" + squads[len(squads)-1] + "（案件.xlsx、案件_补充.csv 合起来看）"}
	if got := warningsOf(q, report.WarnSquadAbsent, may); !reflect.DeepEqual(got, want) || warningCount(q, report.WarnSquadAbsent) != 1 {
		t.Errorf("squads absent: %q (%d in all), want %q", got, warningCount(q, report.WarnSquadAbsent), want)
	}

	_, april := read(t, cfg, root, "2025-04", "2025-04")
	if got := warningsOf(april, report.WarnSquadAbsent, filepath.Join(root, "2025-04", "案件.xlsx")); len(got) != 1 || !strings.Contains(got[0], squads[1]) || warningCount(april, report.WarnSquadAbsent) != len(squads)-1 {
		t.Errorf("April's one-squad export: %q, %d squads counted, want %d", got, warningCount(april, report.WarnSquadAbsent), len(squads)-1)
	}

	if err := os.Remove(filepath.Join(root, "2025-04", "案件.xlsx")); err != nil {
		t.Fatal(err)
	}
	writeXLSX(t, filepath.Join(root, "2025-04", "诉件.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C-1", squads[0], "2025-04-03")})
	if _, april := read(t, cfg, root, "2025-04", "2025-04"); warningCount(april, report.WarnSquadAbsent) != 0 || !slices.ContainsFunc(warningsOf(april, report.WarnMissingFile, filepath.Join(root, "2025-04")), func(e string) bool { return strings.Contains(e, "没有「案件」导出") }) {
		t.Errorf("April without a 案件 export: %+v, want the export missing and no squad absent", april.Warnings)
	}
}
