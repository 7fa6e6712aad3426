package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/bench"
	"bulletin/report"
)

// Every count a document states is the count its tables and annex add up
// to, read back from what the reader gets: the PDF's text (pdftotext) and
// the workbook. Over every document of the sample year, and over a month
// of generated data several times the sample's size, which takes the same
// paths with more squads listed, longer overdue lists and more problems.
func TestStatedCountsAgreeWithTables(t *testing.T) {
	out := cliDemo(t)
	months, _ := filepath.Glob(filepath.Join(out, "2025-[01][0-9]"))
	if len(months) < 11 {
		t.Fatalf("demo wrote %d months", len(months))
	}
	for _, dir := range months {
		checkBulletinCounts(t, dir)
	}
	for _, half := range []string{"2025-H1", "2025-H2"} {
		checkSelfInspectionCounts(t, filepath.Join(out, half))
	}

	city := t.TempDir()
	if err := bench.Generate(city, "", 6, bench.Inline); err != nil {
		t.Fatal(err)
	}
	cityOut := t.TempDir()
	for _, args := range [][]string{
		{"monthly", "--month", "2025-06", "--now", "2025-07-01T08:00"},
		{"halfyear", "--half", "2025-H1", "--now", "2025-07-05T08:00"},
	} {
		if _, stderr, code := runCLI(t, append(args, "--config", repoConfig, "--data", city, "--out", cityOut)...); code != 0 {
			t.Fatalf("%v on generated data: exit %d: %s", args, code, stderr)
		}
	}
	checkBulletinCounts(t, filepath.Join(cityOut, "2025-06"))
	checkSelfInspectionCounts(t, filepath.Join(cityOut, "2025-H1"))
}

// counts of every match of re in text, as integers.
func counts(t *testing.T, text string, re *regexp.Regexp) [][]int {
	t.Helper()
	var out [][]int
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		var ns []int
		for _, g := range m[1:] {
			n := -1
			if g != "" {
				var err error
				if n, err = strconv.Atoi(g); err != nil {
					t.Fatalf("%q in %q is not a count", g, m[0])
				}
			}
			ns = append(ns, n)
		}
		out = append(out, ns)
	}
	return out
}

// states checks that text says re at least once and that every time it
// says it, the groups read want (-1: any, and a group left out reads -1).
func states(t *testing.T, doc, text string, re string, want ...int) [][]int {
	t.Helper()
	found := counts(t, text, regexp.MustCompile(re))
	if len(found) == 0 {
		t.Errorf("%s: does not say %s", doc, re)
	}
	for _, got := range found {
		for i, w := range want {
			if w >= 0 && got[i] != w {
				t.Errorf("%s: %s reads %v, want %v", doc, re, got, want)
				break
			}
		}
	}
	return found
}

// pdfText is the PDF's text in reading order with the line breaks and page
// numbers gone, as a sentence reads across lines and pages; and its text
// laid out as printed, for the tables.
func pdfText(t *testing.T, path string) (flow, layout string) {
	t.Helper()
	run := func(args ...string) string {
		out, err := exec.Command("pdftotext", append(args, path, "-")...).Output()
		if err != nil {
			t.Fatalf("pdftotext %v %s: %v (poppler-utils is needed)", args, path, err)
		}
		return string(out)
	}
	pageNumber := regexp.MustCompile(`(?m)^\s*— \d+ —\s*$`)
	raw := pageNumber.ReplaceAllString(run("-raw"), "")
	return strings.Join(strings.Fields(raw), ""), run("-layout")
}

// totalAfter is the numbers of the first 合计 row printed after marker in
// the laid-out text.
func totalAfter(t *testing.T, doc, layout, marker string) []int {
	t.Helper()
	i := strings.Index(layout, marker)
	if i < 0 {
		t.Fatalf("%s: no %q", doc, marker)
	}
	for line := range strings.SplitSeq(layout[i:], "\n") {
		f := strings.Fields(line)
		if len(f) == 0 || f[0] != "合计" {
			continue
		}
		var ns []int
		for _, s := range f[1:] {
			if n, err := strconv.Atoi(s); err == nil {
				ns = append(ns, n)
			}
		}
		return ns
	}
	t.Fatalf("%s: no 合计 row after %q", doc, marker)
	return nil
}

func readFigures(t *testing.T, dir string) *report.Figures {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f report.Figures
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

// sheetTotal is the number in column title of a workbook sheet's last row
// (its 合计).
func sheetTotal(t *testing.T, wb *excelize.File, sheet, title string) int {
	t.Helper()
	rows, err := wb.GetRows(sheet)
	if err != nil || len(rows) < 3 {
		t.Fatalf("sheet %s: %v, %d rows", sheet, err, len(rows))
	}
	col := slices.Index(rows[1], title)
	last := rows[len(rows)-1]
	if col < 0 || !slices.Contains(last[:min(2, len(last))], "合计") || col >= len(last) {
		t.Fatalf("sheet %s: no column %q or no 合计 row: %q / %q", sheet, title, rows[1], last)
	}
	n, err := strconv.Atoi(last[col])
	if err != nil {
		t.Fatalf("sheet %s, 合计 %s: %q", sheet, title, last[col])
	}
	return n
}

func checkBulletinCounts(t *testing.T, dir string) {
	t.Helper()
	f := readFigures(t, dir)
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*月报-*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("%s: %d bulletins", dir, len(pdfs))
	}
	doc := filepath.Base(pdfs[0])
	text, layout := pdfText(t, pdfs[0])
	outsiders(t, doc, text)
	wb, err := excelize.OpenFile(filepath.Join(dir, "月报数据-"+strings.TrimSuffix(strings.TrimPrefix(doc, "静安城市管理执法工作月报-"), ".pdf")+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	quota := func(id string) report.QuotaResult { return quotaOf(t, f, id) }

	// 一 and 四: the case files sampled are the ones judged
	cq := f.CaseQuality.Month
	judged := cq.Pass + cq.PartialPass + cq.Fail
	states(t, doc, text, `本月，区局共抽查案卷(\d+)件`, quota(report.QuotaCaseSampleRate).Numerator)
	if judged > 0 {
		states(t, doc, text, `本月共评查案卷(\d+)件，其中合格(\d+)件、基本合格(\d+)件、不合格(\d+)件`, judged, cq.Pass, cq.PartialPass, cq.Fail)
		if got := sheetTotal(t, wb, "案卷质量", "抽查数"); got != judged || judged != quota(report.QuotaCaseSampleRate).Numerator {
			t.Errorf("%s: %d case files judged, the table's total %d, the quota's %d", doc, judged, got, quota(report.QuotaCaseSampleRate).Numerator)
		}
	}

	// 一 and 五: inspections and the problems they found; the month's
	// problems by state; the overdue list's total
	p := f.Problems
	states(t, doc, text, `共开展监督检查(\d+)次，发现问题(\d+)个`, p.Inspections, p.Found)
	if got := sheetTotal(t, wb, "问题整改", "本月发现问题"); got != p.Found {
		t.Errorf("%s: %d problems found, the table's total %d", doc, p.Found, got)
	}
	if p.Found > 0 {
		for _, got := range states(t, doc, text, `本月发现的(\d+)个问题中，已整改(\d+)个、正在整改(\d+)个(?:、已逾期未整改(\d+)个)?`, p.Found, p.Rectified, p.InProgress) {
			if overdue := max(got[3], 0); got[1]+got[2]+overdue != got[0] || overdue != p.FoundOverdue {
				t.Errorf("%s: the month's problems %v do not add up", doc, got)
			}
		}
		if got := sheetTotal(t, wb, "问题整改", "其中已整改"); got != p.Rectified {
			t.Errorf("%s: %d rectified, the table's total %d", doc, p.Rectified, got)
		}
	}
	if p.Backlog > 0 {
		states(t, doc, text, `此前发现的问题中逾期未整改(\d+)个（(\d+)次检查）`, p.Backlog, p.BacklogInspections)
	}
	if len(p.OverdueList) > 0 {
		if got := totalAfter(t, doc, layout, "逾期未整改问题清单"); len(got) != 1 || got[0] != p.Overdue {
			t.Errorf("%s: the overdue list's 合计 %v, want %d (%d of this month, %d before)", doc, got, p.Overdue, p.FoundOverdue, p.Backlog)
		}
		if got := sheetTotal(t, wb, "问题整改", "累计逾期未整改"); got != p.Overdue {
			t.Errorf("%s: %d overdue, the table's total %d", doc, p.Overdue, got)
		}
	}

	// 四（二）: cases on the city bureau's list
	if ab := f.Abnormal.Total; ab > 0 {
		states(t, doc, text, `本月我局涉及案件(\d+)件`, ab)
		if got := sheetTotal(t, wb, "异常案件", "涉及案件数"); got != ab {
			t.Errorf("%s: %d abnormal cases, the table's total %d", doc, ab, got)
		}
	}

	// 六: complaints received and sampled
	c := f.Complaints
	states(t, doc, text, `本月共受理投诉信访件(\d+)件`, c.Received)
	if got := sheetTotal(t, wb, "诉件中队", "受理件数"); got != c.Received {
		t.Errorf("%s: %d complaints received, the table's total %d", doc, c.Received, got)
	}
	if got := sheetTotal(t, wb, "诉件类型", "件数"); got != c.Received {
		t.Errorf("%s: %d complaints received, the types add up to %d", doc, c.Received, got)
	}
	if q := quota(report.QuotaComplaintSampleRate); q.Denominator > 0 {
		states(t, doc, text, `区局抽查(\d+)件，抽查率`, q.Numerator)
	}

	// 三: the squads covered this half, item by item, are the matrix's last row
	matrix, err := wb.GetRows("中队覆盖情况")
	if err != nil {
		t.Fatal(err)
	}
	halfCovered := map[string]string{}
	for i, item := range matrix[1] {
		if last := matrix[len(matrix)-1]; i > 0 && i < len(last) {
			halfCovered[item] = last[i]
		}
	}
	for _, c := range f.Coverage {
		if got := halfCovered[c.Item]; got != strconv.Itoa(len(c.Half)) {
			t.Errorf("%s: %s covered %d squads this half, the matrix's last row %q", doc, c.Item, len(c.Half), got)
		}
		if len(c.HalfMissing) > 0 {
			states(t, doc, text, regexp.QuoteMeta(c.Item)+`(?:、\p{Han}+)*本半年累计覆盖(\d+)个中队`, len(c.Half))
		}
	}

	// 一: the quotas due and met, as the quota table's statuses count them
	rows, err := wb.GetRows("主要任务完成情况")
	if err != nil {
		t.Fatal(err)
	}
	status := slices.Index(rows[1], "状态")
	due, met := 0, 0
	for _, r := range rows[2:] {
		switch r[status] {
		case report.StatusMet, report.StatusNoBase:
			due, met = due+1, met+1
		case report.StatusNotMet:
			due++
		}
	}
	states(t, doc, text, `本月应考核的任务指标共(\d+)项，已完成(\d+)项`, due, met)

	// 七: the scores named are the ranking's
	ranking, err := wb.GetRows("中队评价")
	if err != nil {
		t.Fatal(err)
	}
	score := map[string]string{}
	for _, r := range ranking[2:] {
		score[r[1]] = r[2]
	}
	named := regexp.MustCompile(`(\p{Han}+中队)（(\d+(?:\.\d+)?)分）`)
	section := text[strings.Index(text, "七、中队评价"):]
	matches := named.FindAllStringSubmatch(section[:strings.Index(section, "八、")], -1)
	if len(matches) == 0 && len(score) > 0 {
		t.Errorf("%s: 七 names no squad with its score", doc)
	}
	for _, mm := range matches {
		squad := mm[1]
		for s := range score { // the match may start inside the words before the squad
			if strings.HasSuffix(squad, s) {
				squad = s
			}
		}
		if score[squad] != mm[2] {
			t.Errorf("%s: 七 gives %s %s points, the ranking %q", doc, squad, mm[2], score[squad])
		}
	}
}

func checkSelfInspectionCounts(t *testing.T, dir string) {
	t.Helper()
	f := readFigures(t, dir)
	if len(f.SelfInspections) != 3 {
		t.Fatalf("%s: %d self-inspections", dir, len(f.SelfInspections))
	}
	for _, si := range f.SelfInspections {
		doc := si.Title
		text, layout := pdfText(t, filepath.Join(dir, si.Title+".pdf"))
		outsiders(t, doc, text)
		if si.Checks != si.Inspections+si.Samples || si.Problems != si.ProblemsTracked+si.ProblemsSampled {
			t.Errorf("%s: figures do not add up: %+v", doc, si)
		}

		// 一: inspections and samples named apart, each the annex's total
		states(t, doc, text, `开展\p{Han}*检查(\d+)次`, si.Inspections)
		if si.HasSamples {
			states(t, doc, text, `、抽查\p{Han}*?(\d+)件`, si.Samples)
		}
		states(t, doc, text, `发现问题(\d+)个`, si.Problems)
		if si.ProblemsTracked > 0 && si.ProblemsSampled > 0 {
			states(t, doc, text, `（检查发现(\d+)个、抽查发现(\d+)个）`, si.ProblemsTracked, si.ProblemsSampled)
		}
		annex := totalAfter(t, doc, layout[strings.LastIndex(layout, "附件"):], "附件")
		want := []int{si.Inspections, si.Problems}
		if si.HasSamples {
			want = []int{si.Inspections, si.Samples, si.Problems}
		}
		if len(annex) < len(want) || !slices.Equal(annex[:len(want)], want) {
			t.Errorf("%s: the annex's 合计 %v, want %v first (checks, samples, problems)", doc, annex, want)
		}

		// 二: the problem types add up to the problems stated
		if si.Problems > 0 {
			problems := text[strings.Index(text, "二、发现的主要问题"):strings.Index(text, "三、整改落实情况")]
			states(t, doc, problems, `发现的(\d+)个问题`, si.Problems)
			if len(si.ProblemTypes) > 1 {
				sum := 0
				for _, types := range regexp.MustCompile(`分为\d+类：([^。]+)。`).FindAllStringSubmatch(problems, -1) {
					for _, c := range counts(t, types[1], regexp.MustCompile(`(\d+)个`)) {
						sum += c[0]
					}
				}
				if sum != si.Problems {
					t.Errorf("%s: the problem types add up to %d, the report states %d", doc, sum, si.Problems)
				}
			}
		}

		// 三: every problem stated is accounted for: the tracked ones by
		// their state (the table's total), the sampled ones as fed back
		if si.ProblemsTracked > 0 {
			for _, got := range states(t, doc, text, `针对检查发现的(\d+)个问题，\p{Han}+，\p{Han}+。截至\d+年\d+月\d+日，按期整改(\d+)个(?:，逾期后整改(\d+)个)?，正在整改(\d+)个，逾期未整改(\d+)个`, si.ProblemsTracked) {
				if got[1]+max(got[2], 0)+got[3]+got[4] != got[0] {
					t.Errorf("%s: rectification %v does not add up to %d", doc, got, got[0])
				}
			}
			if rect := totalAfter(t, doc, layout, "各中队整改落实情况"); len(rect) == 0 || rect[len(rect)-1] != si.ProblemsTracked {
				t.Errorf("%s: the rectification table's 合计 %v, want %d", doc, rect, si.ProblemsTracked)
			}
		}
		if si.ProblemsSampled > 0 {
			states(t, doc, text, `抽查发现的(\d+)个问题已随评查结论反馈`, si.ProblemsSampled)
		} else if strings.Contains(text, "抽查发现的") {
			t.Errorf("%s: speaks of problems found by samples, the figures have none", doc)
		}

		// 重大法核: the cases closed and those sampled are the months' sums
		if si.Note == "" && si.Item == "重大法核" {
			closed, sampled := 0, 0
			for _, mq := range si.Monthly {
				for _, q := range mq.Quotas {
					if q.ID == report.QuotaMajorCaseCoverage {
						closed, sampled = closed+q.Denominator, sampled+q.Numerator
					}
				}
			}
			if closed > 0 {
				states(t, doc, text, `全局办结重大法核案件(\d+)件，其中(\d+)件截至办结当月月底已抽查案卷`, closed, sampled)
			}
			// and the cases sampled after their month are named, each once
			if n := len(si.CheckedLate); n > 0 {
				states(t, doc, text, `另有(\d+)件在办结当月之后抽查案卷`, n)
				for _, c := range si.CheckedLate {
					if strings.Count(text, c.Case+"（"+c.Closed.Chinese()+"办结，"+c.Sampled.Chinese()+"抽查）") != 1 {
						t.Errorf("%s: does not name %s, closed %s and sampled %s, once", doc, c.Case, c.Closed, c.Sampled)
					}
				}
			} else if strings.Contains(text, "在办结当月之后抽查") {
				t.Errorf("%s: names cases sampled late, the figures have none", doc)
			}
		}
	}
}

// outsiders checks that a document for the city bureau has no internal
// material (data quality, file details) and no programmer notation or
// half-width brackets in its Chinese text.
func outsiders(t *testing.T, doc, text string) {
	t.Helper()
	for _, s := range []string{"(", ")", "max", "÷", "Sheet", "被替代", "未予采用", "未采用", ".xlsx", "数据质量"} {
		if i := strings.Index(text, s); i >= 0 {
			before, after := []rune(text[:i]), []rune(text[i:])
			t.Errorf("%s says %q: …%s…", doc, s, string(before[max(0, len(before)-20):])+string(after[:min(len(after), 20)]))
		}
	}
}
