package metrics

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"bulletin/report"
)

func halfYear(t *testing.T, cfg *report.Config, ds *report.Dataset, h report.Half) *report.Figures {
	t.Helper()
	f, err := HalfYear(cfg, ds, nil, h, h.Last().Add(1).First().AddDays(4), before(t, cfg, ds, h.Last()))
	if err != nil {
		t.Fatalf("HalfYear %s: %v", h, err)
	}
	return f
}

func selfInspectionOf(t *testing.T, f *report.Figures, item string) report.SelfInspection {
	t.Helper()
	for _, si := range f.SelfInspections {
		if si.Item == item {
			return si
		}
	}
	t.Fatalf("no self-inspection for %s", item)
	return report.SelfInspection{}
}

// randomDataset is a busy, irregular dataset from November 2024 to
// August 2025, the same for every run (fixed seed).
func randomDataset() *report.Dataset {
	r := rand.New(rand.NewPCG(2025, 6))
	first := day(2024, 11, 1)
	randomDay := func() report.Date { return first.AddDays(r.IntN(300)) }
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	items := []string{itemLawful, itemDisclosure, itemRecording, itemMajor, itemAccountability, itemEffectiveness, itemTeam, "重要案（诉）件"}
	ds := &report.Dataset{}
	for i := range 400 {
		c := report.Case{ID: fmt.Sprintf("C%03d", i), Squad: pick(squads), Filed: randomDay(), MajorReview: r.IntN(12) == 0}
		if r.IntN(4) > 0 {
			c.Closed = c.Filed.AddDays(r.IntN(60))
		}
		if r.IntN(8) == 0 {
			c.Abnormal = []string{pick([]string{"超期立案", "超期办案", "超期结案", "违规终止", "裁量失当"})}
		}
		ds.Cases = append(ds.Cases, c)
	}
	for i := range 300 {
		c := ds.Cases[r.IntN(len(ds.Cases))]
		kind := report.CaseFile
		if r.IntN(3) == 0 {
			kind = report.AudioVideo
		}
		smp := report.Sample{ID: fmt.Sprintf("S%03d", i), Date: randomDay(), Kind: kind, CaseID: c.ID, Squad: c.Squad,
			Verdict: pick([]string{report.Pass, report.Pass, report.PartialPass, report.Fail})}
		for range r.IntN(3) {
			smp.Problems = append(smp.Problems, pick([]string{"事实不清", "证据不足", "程序违法", "文书不规范", "记录要素不全"}))
		}
		ds.Samples = append(ds.Samples, smp)
	}
	for i := range 250 {
		in := inspection(fmt.Sprintf("I%03d", i), randomDay(), pick(items), pick(squads))
		if n := r.IntN(4); n > 0 {
			state := pick([]string{report.Rectified, report.InProgress, report.NotRectified})
			var done report.Date
			if state == report.Rectified {
				done = in.Date.AddDays(r.IntN(50))
			}
			in = withProblems(in, n, in.Date.AddDays(10+r.IntN(30)), state, done)
			in.Description = pick([]string{"公示栏信息未更新", "执法记录仪未全程开启", "着装不规范"})
		}
		ds.Inspections = append(ds.Inspections, in)
	}
	for i := range 500 {
		c := complaint(fmt.Sprintf("K%03d", i), randomDay(), pick(squads))
		c.Type = pick([]string{"投诉", "投诉", "信访", "领导批示件"})
		c.Field = pick([]string{"夜间施工", "违法建筑", "街面秩序", ""})
		c.Repeated = r.IntN(5) == 0
		if r.IntN(10) == 0 {
			c = sampled(c, c.Received.AddDays(r.IntN(20)), pick([]string{report.DutyDone, report.DutyFailed}))
		}
		ds.Complaints = append(ds.Complaints, c)
	}
	for _, sq := range squads {
		for d := first; d.Before(day(2025, 9, 1)); d = d.AddDays(3 + r.IntN(6)) {
			ds.Weekly = append(ds.Weekly, weekly(sq, d)...)
		}
	}
	for m := month(2024, 12); m.Index() <= month(2025, 7).Index(); m = m.Add(1) {
		if r.IntN(3) > 0 {
			ds.Ledger = append(ds.Ledger, ledger("案卷质量讲评会", m.String(), m.First().AddDays(r.IntN(27))))
		}
		ds.Ledger = append(ds.Ledger, ledger("月度工作总结和计划", m.Prev().String(), m.First().AddDays(r.IntN(8))))
	}
	ds.Ledger = append(ds.Ledger, ledger("案卷集中评查", "2025-H1", day(2025, 5, 20)))
	return ds
}

// TestHalfYearIsTheSumOfItsMonths computes 2025-H1 once as a half and once
// as six monthly runs, and compares every figure that is a sum.
func TestHalfYearIsTheSumOfItsMonths(t *testing.T) {
	cfg := loadConfig(t)
	ds := randomDataset()
	h := report.Half{Year: 2025, N: 1}
	half := halfYear(t, cfg, ds, h)
	var months []*report.Figures
	for _, m := range h.Months() {
		months = append(months, monthly(t, cfg, ds, m))
	}
	june := months[5]

	for i, q := range half.Quotas {
		if q.Window != report.WindowMonth {
			if q.Numerator != june.Quotas[i].Numerator || q.Denominator != june.Quotas[i].Denominator || q.Status != june.Quotas[i].Status {
				t.Errorf("%s: half %d/%d %s, June %d/%d %s", q.ID, q.Numerator, q.Denominator, q.Status,
					june.Quotas[i].Numerator, june.Quotas[i].Denominator, june.Quotas[i].Status)
			}
			continue
		}
		num, den, allMet := 0, 0, true
		for _, mf := range months {
			mq := mf.Quotas[i]
			num += mq.Numerator
			den += mq.Denominator
			allMet = allMet && *mq.Met
		}
		if q.Numerator != num || q.Denominator != den || *q.Met != allMet {
			t.Errorf("%s: half %d/%d met %v, sum of months %d/%d met %v", q.ID, q.Numerator, q.Denominator, *q.Met, num, den, allMet)
		}
	}

	sumVerdicts := func(get func(*report.Figures) report.VerdictCounts) [3]int {
		var n [3]int
		for _, mf := range months {
			v := get(mf)
			n[0], n[1], n[2] = n[0]+v.Pass, n[1]+v.PartialPass, n[2]+v.Fail
		}
		return n
	}
	if got, want := half.CaseQuality.Month, sumVerdicts(func(f *report.Figures) report.VerdictCounts { return f.CaseQuality.Month }); [3]int{got.Pass, got.PartialPass, got.Fail} != want {
		t.Errorf("case-file verdicts: half %+v, months %v", got, want)
	}
	for i, sv := range half.CaseQuality.BySquad {
		want := sumVerdicts(func(f *report.Figures) report.VerdictCounts { return f.CaseQuality.BySquad[i].Month })
		if [3]int{sv.Month.Pass, sv.Month.PartialPass, sv.Month.Fail} != want {
			t.Errorf("%s verdicts: half %+v, months %v", sv.Squad, sv.Month, want)
		}
	}
	checkSummed(t, "problem types", half.CaseQuality.ProblemTypes, months, func(f *report.Figures) []report.Count { return f.CaseQuality.ProblemTypes })
	checkSummed(t, "complaints by type", half.Complaints.ByType, months, func(f *report.Figures) []report.Count { return f.Complaints.ByType })
	checkSummed(t, "complaints by field", half.Complaints.ByField, months, func(f *report.Figures) []report.Count { return f.Complaints.ByField })
	checkSummed(t, "complaints by squad", half.Complaints.BySquad, months, func(f *report.Figures) []report.Count { return f.Complaints.BySquad })
	checkSummed(t, "problems by item", half.Problems.ByItem, months, func(f *report.Figures) []report.Count { return f.Problems.ByItem })

	ints := func(f *report.Figures) []int {
		c := f.Complaints
		return []int{f.Problems.Found, f.Problems.Inspections, c.Received, c.Sampled, c.Repeated, c.DutyFailed}
	}
	checkIntSums(t, "problems and complaints", ints(half), months, ints)
	for i, sf := range half.Squads {
		line := func(f *report.Figures) []int {
			q := f.Squads[i]
			return []int{q.CaseSamplesMonth, q.AVSamplesMonth, q.Problems, q.WeeklyWeeks, q.WeeksInMonth, q.CasesClosedPrev, q.ComplaintsMonth}
		}
		checkIntSums(t, sf.Name, line(half), months, line)
		if sf.CaseSamplesYTD != june.Squads[i].CaseSamplesYTD {
			t.Errorf("%s year to date: half %d, June %d", sf.Name, sf.CaseSamplesYTD, june.Squads[i].CaseSamplesYTD)
		}
	}
	for i, c := range half.Coverage {
		if !slices.Equal(c.Half, june.Coverage[i].Half) || !slices.Equal(c.HalfMissing, june.Coverage[i].HalfMissing) {
			t.Errorf("%s coverage: half %v, June %v", c.Item, c.Half, june.Coverage[i].Half)
		}
	}

	// 公示制度 is checked by inspections only: its checks are the sum of the
	// monthly disclosure.checked_month numerators.
	si := selfInspectionOf(t, half, itemDisclosure)
	checks := 0
	for _, mf := range months {
		checks += quotaOf(t, mf, report.QuotaDisclosureChecked).Numerator
	}
	if si.Checks != checks {
		t.Errorf("公示制度 checks: half %d, months %d", si.Checks, checks)
	}
	for _, item := range []string{itemDisclosure, itemRecording, itemMajor} {
		si := selfInspectionOf(t, half, item)
		annex := 0
		for _, row := range si.BySquad {
			annex += row.Checks + row.Samples
		}
		if annex != si.Checks {
			t.Errorf("%s: annex rows add to %d, the report says %d checks", item, annex, si.Checks)
		}
		for i, mq := range si.Monthly {
			for _, q := range mq.Quotas {
				if mf := quotaOf(t, months[i], q.ID); mf.Numerator != q.Numerator || mf.Denominator != q.Denominator || mf.Status != q.Status {
					t.Errorf("%s %s %s: report %d/%d, monthly %d/%d", item, mq.Month, q.ID, q.Numerator, q.Denominator, mf.Numerator, mf.Denominator)
				}
			}
		}
	}
	if half.Kind != "halfyear" || half.Period != "2025-H1" || half.Month != "2025-06" || half.HalfSummary == nil {
		t.Errorf("half header = %s %s %s, summary %v", half.Kind, half.Period, half.Month, half.HalfSummary != nil)
	}
}

// checkSummed compares a ranked list of the half with the sums of the
// months' lists.
func checkSummed(t *testing.T, what string, half []report.Count, months []*report.Figures, get func(*report.Figures) []report.Count) {
	t.Helper()
	sum := map[string]int{}
	for _, mf := range months {
		for _, c := range get(mf) {
			sum[c.Name] += c.Count
		}
	}
	got := map[string]int{}
	for _, c := range half {
		got[c.Name] = c.Count
	}
	if len(got) != len(sum) {
		t.Errorf("%s: half %v, months %v", what, got, sum)
	}
	for name, n := range sum {
		if got[name] != n {
			t.Errorf("%s %s: half %d, months %d", what, name, got[name], n)
		}
	}
}

func checkIntSums(t *testing.T, what string, half []int, months []*report.Figures, get func(*report.Figures) []int) {
	t.Helper()
	sum := make([]int, len(half))
	for _, mf := range months {
		for i, v := range get(mf) {
			sum[i] += v
		}
	}
	if !slices.Equal(half, sum) {
		t.Errorf("%s: half %v, sum of months %v", what, half, sum)
	}
}

// TestSelfInspectionNamesUncoveredSquad: the last squad is inspected on
// 公示制度 only in July, after the half, and on another item in March.
func TestSelfInspectionNamesUncoveredSquad(t *testing.T) {
	ds := &report.Dataset{Inspections: slices.Concat(
		inspections("A", day(2025, 1, 8), itemDisclosure, s[:7]...),
		inspections("B", day(2025, 4, 8), itemDisclosure, s[7:14]...),
		inspections("C", day(2025, 3, 8), itemEffectiveness, s[14]),
		inspections("D", day(2025, 7, 1), itemDisclosure, s[14]))}
	f := halfYear(t, loadConfig(t), ds, report.Half{Year: 2025, N: 1})
	si := selfInspectionOf(t, f, itemDisclosure)
	if !slices.Equal(si.NotCovered, []string{s[14]}) || !slices.Equal(si.Covered, s[:14]) || si.Checks != 14 {
		t.Errorf("covered %v, not covered %v, checks %d; want 14 squads, [%s], 14", si.Covered, si.NotCovered, si.Checks, s[14])
	}
	last := si.BySquad[14]
	if last.Squad != s[14] || last.Covered || last.Checks != 0 || len(last.Dates) != 0 {
		t.Errorf("annex row of %s = %+v", s[14], last)
	}
	if first := si.BySquad[0]; !first.Covered || first.Checks != 1 || !slices.Equal(first.Dates, []report.Date{day(2025, 1, 8)}) {
		t.Errorf("annex row of %s = %+v", s[0], first)
	}
	if q := quotaOf(t, f, report.QuotaDisclosureCoverageHalf); !slices.Equal(q.Missing, []string{s[14]}) || *q.Met {
		t.Errorf("disclosure half quota: missing %v met %v", q.Missing, *q.Met)
	}
	if len(si.Monthly) != 6 || si.Monthly[0].Month != "2025-01" || len(si.Monthly[0].Quotas) != 2 {
		t.Errorf("monthly quotas of 公示制度 = %+v", si.Monthly)
	}
	wantTitle := "静安区城管执法局2025年上半年行政执法公示制度执行情况自查报告"
	if si.Title != wantTitle {
		t.Errorf("title = %q, want %q", si.Title, wantTitle)
	}
	// 公示制度 is checked by inspection only; 全过程记录 by samples too
	if si.HasSamples || !selfInspectionOf(t, f, itemRecording).HasSamples {
		t.Errorf("has samples: 公示制度 %v, 全过程记录 %v; want false, true", si.HasSamples, selfInspectionOf(t, f, itemRecording).HasSamples)
	}
}

func TestRectifiedLateIsNotOnTime(t *testing.T) {
	ds := &report.Dataset{Inspections: []report.Inspection{
		withProblems(inspection("R1", day(2025, 2, 3), itemDisclosure, s[0]), 2, day(2025, 3, 10), report.Rectified, day(2025, 3, 20)),
		withProblems(inspection("R2", day(2025, 2, 5), itemDisclosure, s[0]), 1, day(2025, 3, 10), report.Rectified, day(2025, 3, 9)),
		withProblems(inspection("R3", day(2025, 4, 2), itemDisclosure, s[1]), 3, day(2025, 5, 1), report.InProgress, report.Date{}),
		withProblems(inspection("R4", day(2025, 6, 10), itemDisclosure, s[1]), 1, day(2025, 7, 10), report.NotRectified, report.Date{}),
		withProblems(inspection("R5", day(2025, 5, 5), itemDisclosure, s[2]), 2, day(2025, 5, 30), report.Rectified, day(2025, 7, 3)),
	}}
	cfg := loadConfig(t)
	si := selfInspectionOf(t, halfYear(t, cfg, ds, report.Half{Year: 2025, N: 1}), itemDisclosure)
	// R1 rectified 10 days after its deadline: late; R2 on time; R3 open past its deadline: overdue;
	// R4 open, deadline after the half: in progress; R5 rectified only in July: overdue at 30 June
	want := []report.SquadRectification{
		{Squad: s[0], Rectified: 1, RectifiedLate: 2},
		{Squad: s[1], InProgress: 1, Overdue: 3},
		{Squad: s[2], Overdue: 2},
	}
	if !slices.Equal(si.Rectification, want) {
		t.Errorf("rectification = %+v, want %+v", si.Rectification, want)
	}
	if row := si.BySquad[0]; row.Problems != 3 || row.Rectified != 3 {
		t.Errorf("annex row of %s: problems %d rectified %d, want 3 and 3", s[0], row.Problems, row.Rectified)
	}
	// one description for all: 2 + 1 + 3 + 1 + 2 = 9 problems in three squads
	if len(si.ProblemTypes) != 1 || si.ProblemTypes[0].Count != 9 || !slices.Equal(si.ProblemTypes[0].Squads, s[:3]) || si.Problems != 9 {
		t.Errorf("problem types = %+v, problems %d", si.ProblemTypes, si.Problems)
	}
	// March's score of the first squad: due in March R1 2 + R2 1 = 3, on time 1: 1/3
	march := monthly(t, cfg, ds, month(2025, 3))
	for _, sc := range march.Evaluation.Squads {
		if sc.Squad != s[0] {
			continue
		}
		if v := sc.Indicators[1].Value; sc.Indicators[1].Key != IndicatorRectification || v == nil || *v != 1.0/3 {
			t.Errorf("March rectification on time = %v, want 1/3", v)
		}
	}
}

func TestHalfWithoutMajorCaseSaysSo(t *testing.T) {
	cfg := loadConfig(t)
	h := report.Half{Year: 2025, N: 1}
	none := &report.Dataset{Cases: []report.Case{
		{ID: "N", Squad: s[0], Filed: day(2025, 2, 1), Closed: day(2025, 3, 1)},                    // not major
		{ID: "J", Squad: s[0], Filed: day(2025, 2, 1), Closed: day(2025, 7, 1), MajorReview: true}, // closed in H2
	}}
	f := halfYear(t, cfg, none, h)
	si := selfInspectionOf(t, f, itemMajor)
	if !strings.Contains(si.Note, "没有") || !strings.Contains(si.Note, "2025年上半年") {
		t.Errorf("note = %q, want it to say there was no 重大法核 case", si.Note)
	}
	if q := quotaOf(t, f, report.QuotaMajorCaseCoverage); q.Denominator != 0 || q.Status != report.StatusNoBase || q.Value != nil || !*q.Met {
		t.Errorf("half's major-case quota = %+v", q)
	}
	one := &report.Dataset{Cases: []report.Case{{ID: "J", Squad: s[0], Filed: day(2025, 2, 1), Closed: day(2025, 3, 1), MajorReview: true}}}
	if note := selfInspectionOf(t, halfYear(t, cfg, one, h), itemMajor).Note; note != "" {
		t.Errorf("with a major case closed in March the note is %q", note)
	}
}

// TestYearEndAnnualQuota: the 4th squad ends the year with 5 case files.
func TestYearEndAnnualQuota(t *testing.T) {
	cfg := loadConfig(t)
	ds := &report.Dataset{Samples: slices.Concat(monthlyCaseFiles(1, 5, s...), monthlyCaseFiles(6, 10, except(s[3])...))}
	find := func(hs *report.HalfSummary) *report.QuotaResult {
		for i := range hs.Quotas {
			if hs.Quotas[i].ID == report.QuotaAnnualPerSquad {
				return &hs.Quotas[i]
			}
		}
		return nil
	}
	h2 := halfYear(t, cfg, ds, report.Half{Year: 2025, N: 2})
	// 14 squads have 10, the 4th has 5: 14/15, not met
	q := find(h2.HalfSummary)
	if q == nil || !q.Due || *q.Met || q.Numerator != 14 || !slices.Equal(q.Missing, []string{s[3]}) {
		t.Errorf("H2 annual quota = %+v", q)
	}
	if find(halfYear(t, cfg, ds, report.Half{Year: 2025, N: 1}).HalfSummary) != nil {
		t.Error("the annual quota is in H1's summary")
	}
}

// The half's 重大法核 sum counts a case as checked when its file was
// sampled by the end of the month it closed in; a case sampled later in
// the half is named apart with its dates (item 88), one sampled in time
// (even before it closed) or only after the half is not.
func TestMajorCasesCheckedLate(t *testing.T) {
	cfg := loadConfig(t)
	major := func(id string, closed report.Date) report.Case {
		c := closedCases(id, squads[6], 1, closed.AddDays(-30), closed)[0]
		c.ID, c.MajorReview = id, true
		return c
	}
	ds := &report.Dataset{
		Cases: []report.Case{major("LATE", day(2025, 9, 16)), major("INTIME", day(2025, 9, 10)),
			major("EARLY", day(2025, 8, 3)), major("AFTER", day(2025, 11, 5))},
		Samples: []report.Sample{
			caseFile("S-LATE", day(2025, 10, 30), "LATE", squads[6], report.Pass),
			caseFile("S-INTIME", day(2025, 9, 20), "INTIME", squads[6], report.Pass),
			caseFile("S-EARLY", day(2025, 7, 1), "EARLY", squads[6], report.Pass),
			caseFile("S-AFTER", day(2026, 1, 10), "AFTER", squads[6], report.Pass),
		},
	}
	f := halfYear(t, cfg, ds, report.Half{Year: 2025, N: 2})
	if r := quotaOf(t, f, report.QuotaMajorCaseCoverage); r.Numerator != 2 || r.Denominator != 4 {
		t.Errorf("H2 major case coverage %d/%d, want 2/4", r.Numerator, r.Denominator)
	}
	want := []report.LateCheck{{Case: "LATE", Squad: squads[6], Closed: day(2025, 9, 16), Sample: "S-LATE", Sampled: day(2025, 10, 30)}}
	if got := selfInspectionOf(t, f, itemMajor).CheckedLate; !slices.Equal(got, want) {
		t.Errorf("checked late = %+v, want %+v", got, want)
	}
	if got := selfInspectionOf(t, f, itemRecording).CheckedLate; got == nil || len(got) != 0 {
		t.Errorf("全过程记录 checked late = %#v, want []", got)
	}
}

// Judge judges each month under the plan in force in it, across a year's
// end and a revision during the year, and gives what judging each month
// alone gives: the computation kept from one plan to the next (the
// dataset's indexes) is the dataset's, not the plan's.
func TestJudgeUnderEachMonthsPlan(t *testing.T) {
	cfg := loadConfig(t)
	plan := func(from report.Month, name string, target float64) report.Plan {
		p := cfg.Plans[0]
		p.Year, p.From, p.Name, p.Quotas = from.Year, from, name, slices.Clone(p.Quotas)
		for i := range p.Quotas {
			if p.Quotas[i].ID == report.QuotaCaseSampleRate {
				p.Quotas[i].Target = target
			}
		}
		return p
	}
	cfg.Plans = []report.Plan{plan(month(2024, 1), "2024年方案", 0.08), cfg.Plans[0], plan(month(2025, 6), "2025年方案（6月修订）", 0.125)}
	ds := randomDataset()
	var months []report.Month
	for m := month(2024, 12); m.Compare(month(2025, 8)) <= 0; m = m.Add(1) {
		months = append(months, m)
	}
	together, err := Judge(cfg, ds, months...)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range months {
		alone, err := Judge(cfg, ds, m)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(together[i], alone[0]) {
			t.Errorf("%s judged with the months before it differs from %s judged alone", m, m)
		}
		want := 0.10
		switch {
		case m.Year == 2024:
			want = 0.08
		case m.Month >= time.June:
			want = 0.125
		}
		for _, q := range together[i].Quotas {
			if q.ID == report.QuotaCaseSampleRate && q.Target != want {
				t.Errorf("%s: case sample rate judged against %v, want %v", m, q.Target, want)
			}
		}
	}
}
