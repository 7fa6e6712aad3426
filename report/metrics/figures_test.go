package metrics

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"bulletin/report"
)

func TestFiguresHeader(t *testing.T) {
	cfg := loadConfig(t)
	jan := monthly(t, cfg, &report.Dataset{}, month(2025, 1))
	if jan.Period != "2025-01" || jan.PrevMonth != "2024-12" || jan.Half != "2025-H1" || jan.HalfMonths != 1 || jan.Issue != 1 || jan.Kind != "monthly" {
		t.Errorf("January header = %s %s %s %d issue %d %s", jan.Period, jan.PrevMonth, jan.Half, jan.HalfMonths, jan.Issue, jan.Kind)
	}
	if jan.HalfSummary != nil {
		t.Error("January has a half-year summary")
	}
	sep := monthly(t, cfg, &report.Dataset{}, month(2025, 9))
	if sep.Half != "2025-H2" || sep.HalfMonths != 3 || sep.Issue != 9 {
		t.Errorf("September header = %s %d issue %d", sep.Half, sep.HalfMonths, sep.Issue)
	}
	cfg.Bureau.IssueNumbering, cfg.Bureau.FirstIssue, cfg.Bureau.FirstIssueMonth = "running", 40, "2024-11"
	// November 2024 is issue 40: September 2025 is 10 months later, issue 50
	if got := monthly(t, cfg, &report.Dataset{}, month(2025, 9)).Issue; got != 50 {
		t.Errorf("running issue = %d, want 50", got)
	}
	// January comes before the first issue, in February: no number, said in Chinese
	cfg.Bureau.FirstIssueMonth = "2025-02"
	_, err := Monthly(cfg, &report.Dataset{}, nil, month(2025, 1), month(2025, 2).First(), nil)
	if report.KindOf(err) != report.KindConfig || !strings.Contains(fmt.Sprint(err), `first_issue_month = "2025-02"`) || !strings.Contains(fmt.Sprint(err), "2025年1月的月报没有期号") {
		t.Errorf("err = %v, want first_issue_month and the month named", err)
	}
}

func TestHalfSummaryInJuneAndDecember(t *testing.T) {
	cfg := loadConfig(t)
	ids := func(hs *report.HalfSummary) []string {
		var out []string
		for _, q := range hs.Quotas {
			out = append(out, q.ID)
			if !q.Due {
				t.Errorf("%s in the half summary is not due", q.ID)
			}
		}
		return out
	}
	halfIDs := []string{report.QuotaLawfulCoverageHalf, report.QuotaCentralizedReview, report.QuotaDisclosureCoverageHalf,
		report.QuotaRecordingCoverageHalf, report.QuotaAccountabilityHalf, report.QuotaEffectivenessHalf, report.QuotaTeamCoverageHalf}
	june := monthly(t, cfg, &report.Dataset{}, month(2025, 6))
	if june.HalfSummary == nil || !slices.Equal(ids(june.HalfSummary), halfIDs) {
		t.Fatalf("June half summary = %v, want %v", june.HalfSummary, halfIDs)
	}
	dec := monthly(t, cfg, &report.Dataset{}, month(2025, 12))
	// December adds the year's quota, in configured order (after lawful.squad_coverage_half)
	withYear := slices.Insert(slices.Clone(halfIDs), 1, report.QuotaAnnualPerSquad)
	if dec.HalfSummary == nil || !slices.Equal(ids(dec.HalfSummary), withYear) {
		t.Fatalf("December half summary = %v, want %v", ids(dec.HalfSummary), withYear)
	}
	if monthly(t, cfg, &report.Dataset{}, month(2025, 5)).HalfSummary != nil {
		t.Error("May has a half-year summary")
	}
}

// TestSampleSquadIsTheSamples: the squad of a sample is the sample's own
// (ingest fills it from the case only when the row leaves it empty).
func TestSampleSquadIsTheSamples(t *testing.T) {
	ds := &report.Dataset{
		Cases:   []report.Case{{ID: "C1", Squad: s[5], Filed: day(2025, 3, 1), Closed: day(2025, 4, 2)}},
		Samples: []report.Sample{caseFile("S1", day(2025, 5, 6), "C1", s[0], report.Pass)},
	}
	f := monthly(t, loadConfig(t), ds, month(2025, 5))
	if got := f.Coverage[0].Month; !slices.Equal(got, []string{s[0]}) {
		t.Errorf("依法行政 covered in May = %v, want the sample's squad %s", got, s[0])
	}
	if a, b := squadOf(t, f, s[0]).CaseSamplesMonth, squadOf(t, f, s[5]).CaseSamplesMonth; a != 1 || b != 0 {
		t.Errorf("case samples: %s %d, %s %d; want 1 and 0", s[0], a, s[5], b)
	}
	// the case still belongs to its own squad: closed in April, May's 上月
	if got := squadOf(t, f, s[5]).CasesClosedPrev; got != 1 {
		t.Errorf("%s cases closed in April = %d, want 1", s[5], got)
	}
}

func TestWeeksOfTheMonth(t *testing.T) {
	cfg := loadConfig(t)
	ds := &report.Dataset{Weekly: slices.Concat(
		weekly(s[0], day(2025, 4, 29), day(2025, 5, 6), day(2025, 5, 13), day(2025, 5, 20), day(2025, 6, 1)),
		weekly(s[1], day(2025, 6, 3), day(2025, 6, 30)))}
	may := monthly(t, cfg, ds, month(2025, 5))
	// May 2025: Thursdays 1, 8, 15, 22, 29 May: 5 weeks, all with a record of the first squad
	if sf := squadOf(t, may, s[0]); sf.WeeksInMonth != 5 || sf.WeeklyWeeks != 5 {
		t.Errorf("May: %d of %d weeks, want 5 of 5", sf.WeeklyWeeks, sf.WeeksInMonth)
	}
	june := monthly(t, cfg, ds, month(2025, 6))
	// June 2025: Thursdays 5, 12, 19, 26 June: 4 weeks; 30 June's week is July's
	if sf := squadOf(t, june, s[1]); sf.WeeksInMonth != 4 || sf.WeeklyWeeks != 1 {
		t.Errorf("June: %d of %d weeks, want 1 of 4", sf.WeeklyWeeks, sf.WeeksInMonth)
	}
	july := monthly(t, cfg, ds, month(2025, 7))
	// July 2025: Thursdays 3, 10, 17, 24, 31 July: 5 weeks, the first holding 30 June
	if sf := squadOf(t, july, s[1]); sf.WeeksInMonth != 5 || sf.WeeklyWeeks != 1 {
		t.Errorf("July: %d of %d weeks, want 1 of 5", sf.WeeklyWeeks, sf.WeeksInMonth)
	}
}

func problemData() *report.Dataset {
	return &report.Dataset{Inspections: []report.Inspection{
		withProblems(inspection("P1", day(2025, 5, 2), itemDisclosure, s[0]), 2, day(2025, 5, 10), report.Rectified, day(2025, 5, 8)),
		withProblems(inspection("P2", day(2025, 5, 3), itemDisclosure, s[0]), 2, day(2025, 5, 20), report.Rectified, day(2025, 5, 25)),
		withProblems(inspection("P3", day(2025, 5, 10), itemDisclosure, s[1]), 3, day(2025, 6, 10), report.InProgress, report.Date{}),
		withProblems(inspection("P4", day(2025, 5, 12), itemDisclosure, s[1]), 1, day(2025, 5, 31), report.NotRectified, report.Date{}),
		withProblems(inspection("P5", day(2025, 1, 15), itemTeam, s[2]), 4, day(2025, 2, 10), report.InProgress, report.Date{}),
		withProblems(inspection("P6", day(2025, 3, 1), itemTeam, s[2]), 2, day(2025, 4, 1), report.Rectified, day(2025, 6, 3)),
		inspection("P7", day(2025, 5, 20), itemEffectiveness, s[3]),
		withProblems(inspection("P8", day(2025, 6, 2), itemDisclosure, s[3]), 5, day(2025, 6, 9), report.NotRectified, report.Date{}),
	}}
}

func TestProblemsAndOverdue(t *testing.T) {
	cfg := loadConfig(t)
	p := monthly(t, cfg, problemData(), month(2025, 5)).Problems
	// May's inspections P1, P2, P3, P4, P7: 2+2+3+1+0 = 8 problems; P8 is June's
	// rectified by 31 May: P1 (on time) and P2 (late) = 4; in progress: P3 = 3
	// overdue among May's: P4 (31 May) 1, so that 8 = 4 + 3 + 1
	// overdue at 31 May, any month: P4 1 + P5 (10 Feb) 4 + P6 (1 Apr, rectified only 3 June) 2 = 7,
	// of which the backlog of earlier inspections: P5 and P6, 6 problems
	if p.Found != 8 || p.Inspections != 5 || p.Rectified != 4 || p.InProgress != 3 || p.FoundOverdue != 1 || p.Overdue != 7 {
		t.Errorf("found %d in %d inspections, rectified %d, in progress %d, overdue of them %d, overdue in all %d; want 8 in 5, 4, 3, 1, 7",
			p.Found, p.Inspections, p.Rectified, p.InProgress, p.FoundOverdue, p.Overdue)
	}
	if p.Found != p.Rectified+p.InProgress+p.FoundOverdue || p.Overdue != p.FoundOverdue+p.Backlog {
		t.Errorf("the parts do not add up: %+v", p)
	}
	if p.Backlog != 6 || p.BacklogInspections != 2 {
		t.Errorf("backlog %d problems of %d inspections, want 6 of 2", p.Backlog, p.BacklogInspections)
	}
	var ids []string
	var days []int
	for _, o := range p.OverdueList {
		ids = append(ids, o.ID)
		days = append(days, o.DaysOverdue)
	}
	// oldest deadline first; days to the end of 31 May:
	// 10 Feb → 31 May = 18 + 31 + 30 + 31 = 110, +1 = 111; 1 Apr → 31 May = 60, +1 = 61; 31 May: 1
	if !slices.Equal(ids, []string{"P5", "P6", "P4"}) || !slices.Equal(days, []int{111, 61, 1}) {
		t.Errorf("overdue list = %v days %v, want [P5 P6 P4] [111 61 1]", ids, days)
	}
	wantSquads := map[string]report.SquadProblems{
		s[0]: {Squad: s[0], Found: 4, Rectified: 4},
		s[1]: {Squad: s[1], Found: 4, InProgress: 3, FoundOverdue: 1, Overdue: 1},
		s[2]: {Squad: s[2], Overdue: 6},
		s[3]: {Squad: s[3]},
	}
	for _, sp := range p.BySquad {
		if w, ok := wantSquads[sp.Squad]; ok && sp != w {
			t.Errorf("%s = %+v, want %+v", sp.Squad, sp, w)
		}
	}
	if len(p.BySquad) != 15 || p.BySquad[0].Squad != s[0] {
		t.Errorf("by squad lists %d squads starting %s; want the 15 in configured order", len(p.BySquad), p.BySquad[0].Squad)
	}
	if !slices.Equal(p.ByItem, []report.Count{{Name: itemDisclosure, Count: 8}}) {
		t.Errorf("by item = %v, want 公示制度 8", p.ByItem)
	}
	// At the end of April P6 was overdue too, and P4 not yet inspected.
	april := monthly(t, cfg, problemData(), month(2025, 4)).Problems
	ids = nil
	for _, o := range april.OverdueList {
		ids = append(ids, o.ID)
	}
	if !slices.Equal(ids, []string{"P5", "P6"}) {
		t.Errorf("April's overdue list = %v, want [P5 P6]", ids)
	}
	if sf := squadOf(t, monthly(t, cfg, problemData(), month(2025, 5)), s[1]); sf.Problems != 4 || sf.Rectified != 0 || sf.Overdue != 1 {
		t.Errorf("%s line: problems %d rectified %d overdue %d, want 4 0 1", s[1], sf.Problems, sf.Rectified, sf.Overdue)
	}
}

func TestCaseQuality(t *testing.T) {
	ds := &report.Dataset{Samples: []report.Sample{
		caseFile("A", day(2025, 5, 2), "C", s[0], report.Pass, "事实不清", "文书不规范"),
		caseFile("B", day(2025, 5, 3), "C", s[0], report.PartialPass, "文书不规范", "文书不规范"), // listed twice, counted once
		caseFile("D", day(2025, 5, 4), "C", s[0], report.Fail, "证据不足", "程序违法"),
		caseFile("E", day(2025, 5, 5), "C", s[1], report.Pass),
		caseFile("F", day(2025, 3, 5), "C", s[0], report.Fail, "程序违法"),
		{ID: "V", Date: day(2025, 5, 6), Kind: report.AudioVideo, Squad: s[0], Verdict: report.Fail, Problems: []string{"记录要素不全"}},
	}}
	q := monthly(t, loadConfig(t), ds, month(2025, 5)).CaseQuality
	// May: 合格 A, E; 基本合格 B; 不合格 D: (2+1)/4 = 0.75. Year: F adds a 不合格: 3/5 = 0.6
	checkVerdicts(t, "month", q.Month, 2, 1, 1, 0.75)
	checkVerdicts(t, "ytd", q.YTD, 2, 1, 2, 0.6)
	checkVerdicts(t, s[0]+" month", q.BySquad[0].Month, 1, 1, 1, 2.0/3)
	// 文书不规范 in A and B = 2; then 1 each, by name (code point: 事 < 程 < 证)
	wantMonth := []report.Count{{Name: "文书不规范", Count: 2}, {Name: "事实不清", Count: 1}, {Name: "程序违法", Count: 1}, {Name: "证据不足", Count: 1}}
	if !slices.Equal(q.ProblemTypes, wantMonth) {
		t.Errorf("problem types = %v, want %v", q.ProblemTypes, wantMonth)
	}
	// year: 文书不规范 2 and 程序违法 2 (D, F) tie, by name (文 < 程); then 事实不清, 证据不足
	wantYTD := []report.Count{{Name: "文书不规范", Count: 2}, {Name: "程序违法", Count: 2}, {Name: "事实不清", Count: 1}, {Name: "证据不足", Count: 1}}
	if !slices.Equal(q.ProblemTypesYTD, wantYTD) {
		t.Errorf("problem types ytd = %v, want %v", q.ProblemTypesYTD, wantYTD)
	}
}

func checkVerdicts(t *testing.T, what string, v report.VerdictCounts, pass, partial, fail int, rate float64) {
	t.Helper()
	if v.Pass != pass || v.PartialPass != partial || v.Fail != fail || v.PassRate == nil || *v.PassRate != rate {
		t.Errorf("%s = %+v (rate %v), want %d/%d/%d rate %v", what, v, v.PassRate, pass, partial, fail, rate)
	}
}

func TestAbnormalCases(t *testing.T) {
	ds := &report.Dataset{Cases: []report.Case{
		{ID: "A1", Squad: s[0], Filed: day(2025, 5, 2), Abnormal: []string{"超期立案"}},
		{ID: "A2", Squad: s[0], Filed: day(2025, 3, 1), Closed: day(2025, 5, 20), Abnormal: []string{"超期办案", "裁量失当"}},
		{ID: "A3", Squad: s[1], Filed: day(2025, 4, 1), Closed: day(2025, 4, 30), Abnormal: []string{"超期结案"}},
		{ID: "A4", Squad: s[1], Filed: day(2025, 5, 5), Closed: day(2025, 5, 25)},
		{ID: "A5", Squad: s[1], Filed: day(2025, 5, 6), Closed: day(2025, 5, 7), Abnormal: []string{"违规终止", "超期立案"}},
	}}
	cfg := loadConfig(t)
	a := monthly(t, cfg, ds, month(2025, 5)).Abnormal
	// filed or closed in May and flagged: A1, A2, A5
	if a.Total != 3 {
		t.Errorf("total = %d, want 3", a.Total)
	}
	// 超期立案 A1+A5 = 2; then 1 each by code point: 裁 < 超 < 违
	wantTypes := []report.Count{{Name: "超期立案", Count: 2}, {Name: "裁量失当", Count: 1}, {Name: "超期办案", Count: 1}, {Name: "违规终止", Count: 1}}
	if !slices.Equal(a.ByType, wantTypes) {
		t.Errorf("by type = %v, want %v", a.ByType, wantTypes)
	}
	if len(a.BySquad) != 2 || a.BySquad[0].Squad != s[0] || a.BySquad[0].Total != 2 || a.BySquad[1].Total != 1 {
		t.Errorf("by squad = %+v, want %s 2, %s 1", a.BySquad, s[0], s[1])
	}
	// April: A3 (filed and closed in April); March: A2 (filed)
	if n := monthly(t, cfg, ds, month(2025, 4)).Abnormal.Total; n != 1 {
		t.Errorf("April total = %d, want 1", n)
	}
	if n := monthly(t, cfg, ds, month(2025, 3)).Abnormal.Total; n != 1 {
		t.Errorf("March total = %d, want 1", n)
	}
}

func TestComplaintsSection(t *testing.T) {
	x1 := sampled(complaint("X1", day(2025, 5, 3), s[1]), day(2025, 5, 10), report.DutyFailed)
	x1.Type, x1.Field, x1.Repeated = "信访", "违法建筑", true
	x3 := sampled(complaint("X3", day(2025, 5, 30), s[2]), day(2025, 6, 2), report.DutyFailed)
	x3.Type, x3.Field = "领导批示件", ""
	ds := &report.Dataset{Complaints: slices.Concat(complaints("P", 3, day(2025, 5, 8), s[0]), []report.Complaint{
		x1, x3, sampled(complaint("X2", day(2025, 4, 28), s[2]), day(2025, 5, 2), report.DutyDone)})}
	c := monthly(t, loadConfig(t), ds, month(2025, 5)).Complaints
	// received in May: P×3, X1, X3 = 5; sampled in May: X1, X2 = 2; repeated X1; 履职不到位 X1
	if c.Received != 5 || c.Sampled != 2 || c.Repeated != 1 || c.DutyFailed != 1 {
		t.Errorf("received %d sampled %d repeated %d failed %d, want 5 2 1 1", c.Received, c.Sampled, c.Repeated, c.DutyFailed)
	}
	checkCounts(t, "by type", c.ByType, []report.Count{{Name: "投诉", Count: 3}, {Name: "信访", Count: 1}, {Name: "领导批示件", Count: 1}})
	checkCounts(t, "by field", c.ByField, []report.Count{{Name: "夜间施工", Count: 3}, {Name: unnamed, Count: 1}, {Name: "违法建筑", Count: 1}})
	checkCounts(t, "by squad", c.BySquad, []report.Count{{Name: s[0], Count: 3}, {Name: s[1], Count: 1}, {Name: s[2], Count: 1}})
	checkCounts(t, "failed squads", c.FailedSquads, []report.Count{{Name: s[1], Count: 1}})
}

func checkCounts(t *testing.T, what string, got, want []report.Count) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func TestCoverageSets(t *testing.T) {
	ds := &report.Dataset{
		Cases: []report.Case{{ID: "MJ", Squad: s[5], Filed: day(2025, 1, 2), Closed: day(2025, 4, 2), MajorReview: true}},
		Samples: []report.Sample{
			caseFile("L1", day(2025, 5, 6), "X", s[0], report.Pass),
			caseFile("L2", day(2025, 2, 6), "X", s[2], report.Pass),
			avSample("V1", day(2025, 5, 7), "X", s[3]),
			caseFile("MJ1", day(2025, 5, 8), "MJ", s[5], report.Pass),
		},
		Inspections: slices.Concat(
			inspections("IL", day(2025, 5, 6), itemLawful, s[1]), // not how 依法行政 is covered
			inspections("IR", day(2025, 5, 6), itemRecording, s[4]),
			inspections("IM", day(2025, 5, 6), itemMajor, s[6])),
		Complaints: []report.Complaint{sampled(complaint("K", day(2025, 4, 2), s[7]), day(2025, 5, 3), report.DutyDone)},
		Weekly:     weekly(s[8], day(2025, 5, 6)),
	}
	f := monthly(t, loadConfig(t), ds, month(2025, 5))
	want := map[string][]string{
		itemLawful: {s[0], s[5]}, itemRecording: {s[3], s[4]}, itemMajor: {s[5], s[6]},
		"重要案（诉）件": {s[7]}, "中队常态化督察": {s[8]}, itemDisclosure: {},
	}
	for _, c := range f.Coverage {
		if w, ok := want[c.Item]; ok && !slices.Equal(c.Month, w) {
			t.Errorf("%s covered in May = %v, want %v", c.Item, c.Month, w)
		}
	}
	// the sample of the major case is a case file too: it covers 依法行政
	lawful := f.Coverage[0]
	if lawful.Item != itemLawful || !slices.Equal(lawful.Half, []string{s[0], s[2], s[5]}) || !slices.Equal(lawful.HalfMissing, except(s[0], s[2], s[5])) {
		t.Errorf("依法行政 half = %v missing %v", lawful.Half, lawful.HalfMissing)
	}
	if sf := squadOf(t, f, s[2]); len(sf.ItemsMonth) != 0 || !slices.Equal(sf.ItemsHalf, []string{itemLawful}) {
		t.Errorf("%s items: month %v half %v, want none and [依法行政]", s[2], sf.ItemsMonth, sf.ItemsHalf)
	}
}

// TestEvaluation works out two squads' scores by hand with the default
// weights (30, 25, 20, 15, 10; 0 points at 10 abnormal per 100).
func TestEvaluation(t *testing.T) {
	ds := &report.Dataset{
		Samples: []report.Sample{
			caseFile("A", day(2025, 5, 2), "C", s[0], report.Pass), caseFile("B", day(2025, 5, 3), "C", s[0], report.Pass),
			caseFile("D", day(2025, 5, 4), "C", s[0], report.PartialPass), caseFile("E", day(2025, 5, 5), "C", s[0], report.Fail),
		},
		Inspections: []report.Inspection{
			withProblems(inspection("I1", day(2025, 5, 2), itemDisclosure, s[0]), 2, day(2025, 5, 10), report.Rectified, day(2025, 5, 8)),
			withProblems(inspection("I2", day(2025, 5, 3), itemDisclosure, s[0]), 2, day(2025, 5, 20), report.Rectified, day(2025, 5, 25)),
			withProblems(inspection("I3", day(2025, 4, 1), itemDisclosure, s[0]), 1, day(2025, 6, 10), report.InProgress, report.Date{}),
		},
		Weekly: slices.Concat(
			weekly(s[0], day(2025, 5, 6), day(2025, 5, 13), day(2025, 5, 20), day(2025, 5, 27)),
			weekly(s[1], day(2025, 4, 28), day(2025, 5, 5), day(2025, 5, 12), day(2025, 5, 19), day(2025, 5, 26))),
		Complaints: []report.Complaint{
			sampled(complaint("K1", day(2025, 5, 2), s[0]), day(2025, 5, 9), report.DutyDone),
			sampled(complaint("K2", day(2025, 5, 2), s[0]), day(2025, 5, 9), report.DutyFailed),
			sampled(complaint("K3", day(2025, 5, 2), s[0]), day(2025, 5, 9), ""), // no finding yet
		},
		Cases: slices.Concat(
			closedCases("N", s[0], 19, day(2025, 5, 3), report.Date{}),
			[]report.Case{
				{ID: "AB", Squad: s[0], Filed: day(2025, 5, 4), Abnormal: []string{"超期立案"}},
				{ID: "OLD", Squad: s[0], Filed: day(2025, 1, 4), Closed: day(2025, 3, 1), Abnormal: []string{"超期结案"}},
			}),
	}
	f := monthly(t, loadConfig(t), ds, month(2025, 5))
	// first squad:
	//   pass rate (2+1)/4 = 0.75 → 30 × 0.75 = 22.5
	//   due in May: I1 2 (on time) + I2 2 (late) = 4, I3 is due in June → 2/4 = 0.5 → 25 × 0.5 = 12.5
	//   weekly 4 of May's 5 weeks = 0.8 → 16
	//   complaints with a finding: 1 到位 of 2 = 0.5 → 7.5
	//   cases filed or closed in May: 19 + AB = 20, 1 flagged: 5 per 100 → 10 × (1 − 5/10) = 5
	//   score 22.5 + 12.5 + 16 + 7.5 + 5 = 63.5
	// second squad: only its weekly records can be measured, all complete:
	// 20 of 20 points, 100 on the 100-point scale, scored on 1 indicator
	// the other 13: only weekly records, none: 0
	// (rules-interpretation 60: nothing to measure is neither full points nor 0)
	if first := f.Evaluation.Squads[1]; first.Squad != s[0] || first.Score != 63.5 || first.Rank != 2 || first.Measured != 5 || first.WeightMeasured != 100 {
		t.Errorf("second = %s %v rank %d on %d indicators (%v points), want %s 63.5 rank 2 on 5 (100)",
			first.Squad, first.Score, first.Rank, first.Measured, first.WeightMeasured, s[0])
	}
	first := f.Evaluation.Squads[1]
	wantPoints := []float64{22.5, 12.5, 16, 7.5, 5}
	wantValues := []float64{0.75, 0.5, 0.8, 0.5, 5}
	for i, is := range first.Indicators {
		if !is.Measured || is.Points == nil || *is.Points != wantPoints[i] || is.Value == nil || *is.Value != wantValues[i] {
			t.Errorf("%s: value %v points %v, want %v and %v", is.Key, is.Value, is.Points, wantValues[i], wantPoints[i])
		}
	}
	if top := f.Evaluation.Squads[0]; top.Squad != s[1] || top.Score != 100 || top.Rank != 1 || top.Measured != 1 || top.WeightMeasured != 20 {
		t.Errorf("first = %s %v rank %d on %d indicators (%v points), want %s 100 rank 1 on 1 (20)", top.Squad, top.Score, top.Rank, top.Measured, top.WeightMeasured, s[1])
	}
	for i, sc := range f.Evaluation.Squads[2:] {
		if sc.Squad != s[i+2] || sc.Score != 0 || sc.Rank != 3 {
			t.Errorf("place %d = %s %v rank %d, want %s 0 rank 3", i+3, sc.Squad, sc.Score, sc.Rank, s[i+2])
		}
	}
	other := f.Evaluation.Squads[0].Indicators[0]
	if other.Measured || other.Value != nil || other.Points != nil || other.Note != "未抽查" {
		t.Errorf("a squad without samples: pass rate %v points %v note %q; want not measured, null, null and 未抽查", other.Value, other.Points, other.Note)
	}
	if sf := squadOf(t, f, s[0]); sf.Score != 63.5 || sf.Rank != 2 {
		t.Errorf("squad line: score %v rank %d", sf.Score, sf.Rank)
	}
	for _, d := range f.Evaluation.Indicators {
		if d.Rule == "" || d.Name == "" {
			t.Errorf("indicator %s lacks its name or rule", d.Key)
		}
	}
}

// TestScoreRoundsHalfUp: a score at an exact half rounds up. 天目西路中队
// in the sample May: a pass rate of 1 (30 points), every week recorded
// (20), 1 abnormal case of 47 (10 × (1 − 2.1277/10) = 7.87), scored on 60
// points: 57.87 / 60 × 100 = 96.45, which floating point made 96.4499…
// and printed as 96.4, tied with a squad it was ahead of.
func TestScoreRoundsHalfUp(t *testing.T) {
	ds := &report.Dataset{
		Samples: []report.Sample{caseFile("A", day(2025, 5, 2), "C", s[0], report.Pass)},
		Weekly:  weekly(s[0], day(2025, 4, 28), day(2025, 5, 5), day(2025, 5, 12), day(2025, 5, 19), day(2025, 5, 26)),
		Cases: append(closedCases("N", s[0], 46, day(2025, 5, 3), report.Date{}),
			report.Case{ID: "AB", Squad: s[0], Filed: day(2025, 5, 4), Abnormal: []string{"超期立案"}}),
	}
	sc := monthly(t, loadConfig(t), ds, month(2025, 5)).Evaluation.Squads[0]
	abnormal := sc.Indicators[len(sc.Indicators)-1]
	if abnormal.Points == nil || *abnormal.Points != 7.87 {
		t.Fatalf("abnormal cases: %v points, want 7.87", abnormal.Points)
	}
	if sc.Squad != s[0] || sc.WeightMeasured != 60 || sc.Score != 96.5 {
		t.Errorf("%s: %v on %v points, want 96.5 on 60", sc.Squad, sc.Score, sc.WeightMeasured)
	}
}

// TestOverdueBacklogIsNotOnTime: a squad whose only problems fell due
// before the month and are still open at its end has rectified nothing on
// time (before, it got the full points for having nothing due); the
// backlog rectified in the month no longer counts against it.
func TestOverdueBacklogIsNotOnTime(t *testing.T) {
	ds := &report.Dataset{Inspections: []report.Inspection{
		withProblems(inspection("OLD", day(2025, 2, 3), itemDisclosure, s[0]), 3, day(2025, 3, 3), report.InProgress, report.Date{}),
		withProblems(inspection("DUE", day(2025, 5, 2), itemDisclosure, s[0]), 1, day(2025, 5, 20), report.Rectified, day(2025, 5, 19)),
		withProblems(inspection("FIXED", day(2025, 2, 3), itemDisclosure, s[1]), 2, day(2025, 3, 3), report.Rectified, day(2025, 5, 5)),
	}}
	f := monthly(t, loadConfig(t), ds, month(2025, 5))
	rectification := func(squad string) report.IndicatorScore {
		for _, sc := range f.Evaluation.Squads {
			if sc.Squad == squad {
				for _, is := range sc.Indicators {
					if is.Key == IndicatorRectification {
						return is
					}
				}
			}
		}
		t.Fatalf("no rectification indicator for %s", squad)
		return report.IndicatorScore{}
	}
	// first squad: 1 due in May on time, 3 overdue since March: 1/4 → 25 × 0.25 = 6.25
	if is := rectification(s[0]); is.Value == nil || *is.Value != 0.25 || is.Points == nil || *is.Points != 6.25 {
		t.Errorf("%s: value %v points %v, want 0.25 and 6.25", s[0], is.Value, is.Points)
	}
	// second squad: its old problems were rectified, late, on 5 May: nothing due in May, nothing
	// overdue: not measured, left out of the score
	if is := rectification(s[1]); is.Measured || is.Value != nil || is.Points != nil || is.Note != "无到期问题" {
		t.Errorf("%s: value %v points %v note %q, want not measured, 无到期问题", s[1], is.Value, is.Points, is.Note)
	}
}

// TestDepartments counts, from config.toml's departments of each quota,
// the quotas due in May on an empty dataset: the four rates have no base
// (met), everything else is not met.
func TestDepartments(t *testing.T) {
	f := monthly(t, loadConfig(t), &report.Dataset{}, month(2025, 5))
	want := map[string][2]int{ // due, met
		"综合科":   {2, 1}, // accountability month, complaints (no base)
		"案件审理科": {10, 4},
		"执法监督科": {8, 2},
		"执法协调科": {6, 2},
		"组织人事科": {4, 1},
		"拆违专班":  {6, 3},
	}
	if len(f.Departments) != len(want) {
		t.Fatalf("%d departments, want %d", len(f.Departments), len(want))
	}
	for _, d := range f.Departments {
		w, ok := want[d.Name]
		if !ok {
			t.Errorf("unexpected department %s", d.Name)
			continue
		}
		if d.QuotasDue != w[0] || d.QuotasMet != w[1] || len(d.Unmet) != w[0]-w[1] {
			t.Errorf("%s: %d met of %d due (unmet %v), want %d of %d", d.Name, d.QuotasMet, d.QuotasDue, d.Unmet, w[1], w[0])
		}
	}
}

func TestReminders(t *testing.T) {
	cfg := loadConfig(t)
	ds := &report.Dataset{Samples: caseFiles("JAN", day(2025, 1, 10), s[:10]...)}
	rs := monthly(t, cfg, ds, month(2025, 4)).Reminders
	find := func(rs []report.Reminder, id string) *report.Reminder {
		for i := range rs {
			if rs[i].QuotaID == id {
				return &rs[i]
			}
		}
		return nil
	}
	// April: 5 squads still uncovered, May and June left: ceil(5/2) = 3 a month
	if r := find(rs, report.QuotaLawfulCoverageHalf); r == nil || !slices.Equal(r.Squads, s[10:]) || r.PerMonth != 3 || r.MonthsLeft != 2 {
		t.Errorf("lawful half reminder = %+v", r)
	}
	// nothing inspected on 公示制度: 15 over 2 months = 8 a month
	if r := find(rs, report.QuotaDisclosureCoverageHalf); r == nil || len(r.Squads) != 15 || r.PerMonth != 8 {
		t.Errorf("disclosure half reminder = %+v", r)
	}
	if find(rs, report.QuotaCentralizedReview) == nil {
		t.Error("no reminder of the centralized review not yet held")
	}
	// annual pace at April: ceil(10 × 4/12) = 4; every squad has 1 or 0: all behind;
	// the furthest behind needs ceil((10 − 0)/8) = 2 a month
	if r := find(rs, report.QuotaAnnualPerSquad); r == nil || !slices.Equal(r.Squads, s) || r.PerMonth != 2 || r.MonthsLeft != 8 {
		t.Errorf("annual reminder = %+v", r)
	}
	if r := find(rs, report.QuotaLawfulCoverageHalf); r == nil || r.Kind != report.ReminderCoverage || r.Half != "2025-H1" {
		t.Errorf("April's coverage reminder is not about this half: %+v", r)
	}
	if r := find(rs, report.QuotaCentralizedReview); r == nil || r.Kind != report.ReminderHeld || len(r.Squads) != 0 {
		t.Errorf("centralized review reminder = %+v, want one of kind held", r)
	}
	// June and December: the half ends; the reminder is the next half's, all
	// 15 from none, ceil(15/6) = 3 a month, the squads this half missed first
	for _, tc := range []struct {
		month      report.Month
		next       string
		lawfulMiss []string
	}{
		{month(2025, 6), "2025-H2", s[10:]},
		{month(2025, 12), "2026-H1", s},
	} {
		rs := monthly(t, cfg, ds, tc.month).Reminders
		r := find(rs, report.QuotaLawfulCoverageHalf)
		if r == nil || r.Kind != report.ReminderNextHalf || r.Half != tc.next || len(r.Squads) != 15 || r.PerMonth != 3 || r.MonthsLeft != 6 {
			t.Errorf("%s lawful reminder = %+v, want the next half %s", tc.month, r, tc.next)
			continue
		}
		if !slices.Equal(r.Carried, tc.lawfulMiss) {
			t.Errorf("%s: carried %v, want %v", tc.month, r.Carried, tc.lawfulMiss)
		}
		for _, r := range rs {
			if r.Kind == report.ReminderCoverage || r.Kind == report.ReminderHeld {
				t.Errorf("%s still reminds of the ending half: %+v", tc.month, r)
			}
		}
	}
}

func TestTrend(t *testing.T) {
	ds := &report.Dataset{
		Cases: slices.Concat(
			closedCases("JAN", s[0], 10, day(2024, 12, 1), day(2025, 1, 20)),
			closedCases("FEB", s[0], 20, day(2025, 1, 1), day(2025, 2, 20))),
		Samples: slices.Concat(caseFiles("F", day(2025, 2, 5), s[0]), caseFiles("M", day(2025, 3, 5), s[0], s[1], s[2], s[3])),
	}
	trend := monthly(t, loadConfig(t), ds, month(2025, 5)).Trend
	if len(trend) != 5 || trend[0].Month != "2025-01" || trend[4].Month != "2025-05" {
		t.Fatalf("trend months = %v", trend)
	}
	// Jan: nothing closed in December → null; Feb 1/10; Mar 4/20; Apr, May: nothing closed in March, April → null
	want := []*float64{nil, ptr(0.1), ptr(0.2), nil, nil}
	for i, p := range trend {
		got := p.Values[report.QuotaCaseSampleRate]
		if (got == nil) != (want[i] == nil) || (got != nil && *got != *want[i]) {
			t.Errorf("%s case sample rate = %v, want %v", p.Month, got, want[i])
		}
	}
	if r := trend[2].Values[report.TrendPassRate]; r == nil || *r != 1 {
		t.Errorf("March pass rate = %v, want 1", r)
	}
	if _, ok := trend[2].Values[report.QuotaLawfulCoverageHalf]; ok {
		t.Error("the trend holds a half quota")
	}
}

func ptr(v float64) *float64 { return &v }

func TestQualityAndIncomplete(t *testing.T) {
	q := &report.Quality{
		Inputs:   []report.Input{{Dataset: "案件", File: "a.xlsx", Rows: 10, Accepted: 9, Rejected: 1}, {Dataset: "诉件", File: "b.csv", Rows: 5, Accepted: 5}},
		Files:    []report.FileError{{Dataset: "诉件", File: "c.xlsx", Reason: "truncated"}},
		Rejected: []report.Rejection{{Dataset: "案件", Row: 4}},
		Warnings: []report.Warning{{Kind: report.WarnSummaryRow, Count: 3}, {Kind: report.WarnOther}},
	}
	ds := &report.Dataset{Missing: []string{report.DatasetLedger}}
	cfg := loadConfig(t)
	f, err := Monthly(cfg, ds, q, month(2025, 5), day(2025, 6, 1), before(t, cfg, ds, month(2025, 5)))
	if err != nil {
		t.Fatal(err)
	}
	qs := f.Quality
	if qs.Clean || qs.Files != 2 || qs.Rows != 15 || qs.Rejected != 1 || qs.Warnings != 4 || qs.FileErrors != 1 || len(f.Inputs) != 2 {
		t.Errorf("quality = %+v, inputs %d", qs, len(f.Inputs))
	}
	if !slices.Equal(f.Incomplete, []string{report.DatasetComplaints, report.DatasetLedger}) {
		t.Errorf("incomplete = %v", f.Incomplete)
	}
	if n := quotaOf(t, f, report.QuotaTeamDynamicInfo).Note; !strings.Contains(n, "数据不全") || !strings.Contains(n, report.DatasetLedger) {
		t.Errorf("a ledger quota's note = %q, want it to say the ledger is missing", n)
	}
}

// TestFiguresJSON checks the field names and quota ids rules.md fixes.
func TestFiguresJSON(t *testing.T) {
	f := monthly(t, loadConfig(t), &report.Dataset{}, month(2025, 5))
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"period", "inputs", "quotas", "coverage", "squads", "departments"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("figures.json lacks %q", key)
		}
	}
	quotas := doc["quotas"].([]any)
	var ids []string
	for _, q := range quotas {
		m := q.(map[string]any)
		ids = append(ids, m["id"].(string))
		for _, key := range []string{"item", "departments", "numerator", "denominator", "value", "target", "due", "met", "on_track", "note"} {
			if _, ok := m[key]; !ok {
				t.Errorf("quota %s lacks %q", m["id"], key)
			}
		}
	}
	if !slices.Equal(ids, report.QuotaIDs) {
		t.Errorf("quota ids = %v, want %v", ids, report.QuotaIDs)
	}
	squad := doc["squads"].([]any)[0].(map[string]any)
	for _, key := range []string{"name", "case_samples_month", "case_samples_ytd", "pass_rate_month", "problems", "rectified", "overdue", "weekly_weeks", "weeks_in_month", "score", "rank"} {
		if _, ok := squad[key]; !ok {
			t.Errorf("squad line lacks %q", key)
		}
	}
}

// The issue's case: a squad with one complaint sampled and found 履职不到位
// gets 0 of the 15 points, and a squad with no complaint sampled is not
// given the 15 it was never checked for: its indicator is 未抽查 and left
// out, so that the two squads, alike in everything else, are scored on
// what was measured of each.
func TestNoComplaintSampledIsNotFullPoints(t *testing.T) {
	weeks := []report.Date{day(2025, 4, 28), day(2025, 5, 5), day(2025, 5, 12), day(2025, 5, 19), day(2025, 5, 26)}
	ds := &report.Dataset{
		Complaints: []report.Complaint{sampled(complaint("K1", day(2025, 5, 2), s[0]), day(2025, 5, 9), report.DutyFailed)},
		Weekly:     slices.Concat(weekly(s[0], weeks...), weekly(s[1], weeks...)),
	}
	f := monthly(t, loadConfig(t), ds, month(2025, 5))
	score := func(squad string) report.SquadScore {
		for _, sc := range f.Evaluation.Squads {
			if sc.Squad == squad {
				return sc
			}
		}
		t.Fatalf("no score for %s", squad)
		return report.SquadScore{}
	}
	checked, unchecked := score(s[0]), score(s[1])
	duty := func(sc report.SquadScore) report.IndicatorScore {
		for _, is := range sc.Indicators {
			if is.Key == IndicatorComplaintDuty {
				return is
			}
		}
		return report.IndicatorScore{}
	}
	if is := duty(checked); !is.Measured || is.Points == nil || *is.Points != 0 {
		t.Errorf("the squad found 履职不到位: %+v, want measured, 0 points", is)
	}
	if is := duty(unchecked); is.Measured || is.Points != nil || is.Note != "未抽查" {
		t.Errorf("the squad not sampled: %+v, want 未抽查 and no points", is)
	}
	// checked: weekly 20 of 20 and duty 0 of 15 → 20/35; unchecked: weekly 20 of 20 → 100
	if checked.Score != 57.1 || checked.Measured != 2 || unchecked.Score != 100 || unchecked.Measured != 1 {
		t.Errorf("scores %v on %d and %v on %d, want 57.1 on 2 and 100 on 1", checked.Score, checked.Measured, unchecked.Score, unchecked.Measured)
	}
}
