package metrics

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"bulletin/report"
)

// quotaKind says how a quota's measure becomes numerator and denominator
// (rules.md, "Numerator and denominator, for every quota").
type quotaKind int

const (
	rateKind     quotaKind = iota // records over records
	coverageKind                  // counted squads covered over squads counted
	perSquadKind                  // counted squads reaching a per-squad count over squads counted
	heldKind                      // 1 or 0 over 1: held, submitted, on time
	countKind                     // records over 1, met at min_count
)

// formula is the code of one quota id; its numbers are in config.toml.
type formula struct {
	kind quotaKind
	// inputs are the exports the quota depends on: when one could not be
	// read the quota's note says the figure is incomplete.
	inputs []string
	// num and den say in words what is counted, for `bulletin explain`.
	num, den string
	measure  func(c *calc, q report.Quota, s span) measure
}

// measure is what a formula counts over a span.
type measure struct {
	num, den         int // rate, held and count kinds
	numRefs, denRefs []Ref
	covered          map[string]bool // coverage kind: counted squads covered
	perSquad         map[string]int  // per-squad kind: each counted squad's count
	need             int             // per-squad kind: the count a squad must reach in the span
}

const (
	squadsDen = "参与覆盖率统计的中队"
	oneDen    = "1（本期一项）"
)

var formulas = map[string]formula{
	report.QuotaCaseSampleRate: {rateKind, []string{report.DatasetSamples, report.DatasetCases},
		"抽查日期在本期的抽查明细（类型案卷）", "结案日期在上月的案件", (*calc).caseSampleRate},
	report.QuotaLawfulCoverageMonth: {coverageKind, []string{report.DatasetSamples},
		"本期有案卷抽查的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaLawfulCoverageHalf: {coverageKind, []string{report.DatasetSamples},
		"本半年至今有案卷抽查的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaAnnualPerSquad: {perSquadKind, []string{report.DatasetSamples},
		"本年至今案卷抽查数达到下限的中队", squadsDen, (*calc).annualPerSquad},
	report.QuotaReviewMeeting: {heldKind, []string{report.DatasetLedger},
		"工作台账中属于本期的该事项记录（有则为1）", oneDen, (*calc).ledgerHeld},
	report.QuotaCentralizedReview: {heldKind, []string{report.DatasetLedger},
		"工作台账中属于本半年至今的该事项记录（有则为1）", oneDen, (*calc).ledgerHeld},
	report.QuotaDisclosureChecked: {countKind, []string{report.DatasetInspections},
		"检查日期在本期、监督事项为本事项的监督检查记录数", oneDen, (*calc).inspectionCount},
	report.QuotaDisclosureCoverageHalf: {coverageKind, []string{report.DatasetInspections},
		"本半年至今被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaAVSampleRate: {rateKind, []string{report.DatasetSamples, report.DatasetCases},
		"抽查日期在本期的抽查明细（类型视音频）", "立案日期在上月的案件", (*calc).avSampleRate},
	report.QuotaRecordingCoverageMonth: {coverageKind, []string{report.DatasetSamples},
		"本期有视音频抽查的中队", squadsDen, (*calc).avCoverage},
	report.QuotaRecordingCoverageHalf: {coverageKind, []string{report.DatasetSamples, report.DatasetInspections},
		"本半年至今有视音频抽查或全过程记录检查的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaMajorCaseCoverage: {rateKind, []string{report.DatasetCases, report.DatasetSamples},
		"本期结案的重大法核案件中，截至本期末有案卷抽查的", "结案日期在本期的重大法核案件", (*calc).majorCaseCoverage},
	report.QuotaAccountabilityMonth: {coverageKind, []string{report.DatasetInspections},
		"本期被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaAccountabilityHalf: {coverageKind, []string{report.DatasetInspections},
		"本半年至今被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaEffectivenessMonth: {coverageKind, []string{report.DatasetInspections},
		"本期被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaEffectivenessHalf: {coverageKind, []string{report.DatasetInspections},
		"本半年至今被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaSummaryOnTime: {heldKind, []string{report.DatasetLedger},
		"所属期间为上月、完成日期不晚于本月报送期限的该事项记录（有则为1）", oneDen, (*calc).summaryOnTime},
	report.QuotaTeamCoverageMonth: {coverageKind, []string{report.DatasetInspections},
		"本期被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaTeamCoverageHalf: {coverageKind, []string{report.DatasetInspections},
		"本半年至今被检查本事项的中队", squadsDen, (*calc).itemCoverage},
	report.QuotaTeamDynamicInfo: {heldKind, []string{report.DatasetLedger},
		"工作台账中属于本期的该事项记录（有则为1）", oneDen, (*calc).ledgerHeld},
	report.QuotaComplaintSampleRate: {rateKind, []string{report.DatasetComplaints},
		"抽查日期在本期的已抽查诉件", "受理日期在本期的诉件", (*calc).complaintSampleRate},
	report.QuotaWeeklyRecords: {perSquadKind, []string{report.DatasetWeekly},
		"本期每一周都有中队督察记录的中队", squadsDen, (*calc).weeklyRecords},
}

// judging is how a quota is judged at a report month: over which months,
// whether it is due, and how far through its window the month is.
type judging struct {
	span           span
	due, quarterly bool
	elapsed, total int // months of the window through the report month, and in all
}

func judge(q report.Quota, at report.Month) judging {
	switch q.Window {
	case report.WindowHalf:
		s := halfToDate(at)
		return judging{span: s, due: at == at.Half().Last(), elapsed: len(s.months()), total: 6}
	case report.WindowYear:
		return judging{span: yearToDate(at), due: at.Month == 12, elapsed: int(at.Month), total: 12}
	}
	if q.Frequency == report.Quarterly {
		first := report.Month{Year: at.Year, Month: time.Month(3*(at.Quarter()-1) + 1)}
		s := span{first, at}
		return judging{span: s, due: at == first.Add(2), quarterly: true, elapsed: len(s.months()), total: 3}
	}
	return judging{span: monthSpan(at), due: true, elapsed: 1, total: 1}
}

// quotas evaluates every configured quota at month at, in configured order.
func (c *calc) quotas(at report.Month) []report.QuotaResult {
	out := make([]report.QuotaResult, len(c.cfg.Plan.Quotas))
	for i, q := range c.cfg.Plan.Quotas {
		out[i], _ = c.evaluate(q, at)
	}
	return out
}

// evaluate judges one quota at month at and returns the measure behind it.
func (c *calc) evaluate(q report.Quota, at report.Month) (report.QuotaResult, measure) {
	f := formulas[q.ID]
	j := judge(q, at)
	m := f.measure(c, q, j.span)
	r := report.QuotaResult{
		ID: q.ID, Name: q.Name, Item: q.Item, Departments: append([]string(nil), q.Departments...),
		Window: q.Window, Target: q.Target, MinCount: q.MinCount, Due: j.due,
	}
	var need int    // numerator needed to meet the quota
	var onPace bool // where the numerator should be by now on the straight line
	switch f.kind {
	case coverageKind:
		r.Denominator = len(c.counted)
		for _, s := range c.counted {
			if m.covered[s] {
				r.Numerator++
			} else {
				r.Missing = append(r.Missing, s)
			}
		}
		need = atLeast(q.Target, r.Denominator)
		onPace = r.Numerator >= ceilDiv(need*j.elapsed, j.total)
	case perSquadKind:
		r.Denominator = len(c.counted)
		pace := ceilDiv(m.need*j.elapsed, j.total)
		atPace := 0
		for _, s := range c.counted {
			n := m.perSquad[s]
			if n >= m.need {
				r.Numerator++
			} else {
				r.Missing = append(r.Missing, s)
			}
			if n >= pace {
				atPace++
			}
		}
		need = atLeast(q.Target, r.Denominator)
		onPace = atPace >= need
	case countKind:
		r.Numerator, r.Denominator = m.num, m.den
		need = q.MinCount
		onPace = r.Numerator >= need
	case heldKind:
		r.Numerator, r.Denominator = m.num, m.den
		need = atLeast(q.Target, r.Denominator)
		// Held once in the window: there is time until its last month.
		onPace = r.Numerator >= need || j.elapsed < j.total
	default:
		r.Numerator, r.Denominator = m.num, m.den
		need = atLeast(q.Target, r.Denominator)
		onPace = r.Denominator == 0 || r.Numerator >= need
	}
	r.Value = ratio(r.Numerator, r.Denominator)
	if j.due {
		met := r.Denominator == 0 || r.Numerator >= need
		r.Met, r.OnTrack = &met, met
		switch {
		case r.Denominator == 0:
			r.Status = report.StatusNoBase
		case met:
			r.Status = report.StatusMet
		default:
			r.Status = report.StatusNotMet
		}
	} else {
		r.OnTrack = onPace
		switch {
		case j.quarterly:
			r.Status = report.StatusNotDue
		case onPace:
			r.Status = report.StatusOnTrack
		default:
			r.Status = report.StatusBehind
		}
	}
	r.Note = c.note(f, q, j, r, need, m.need)
	return r, m
}

// note explains what the numbers alone do not say. "no base" is fixed by
// rules.md for a denominator of 0.
func (c *calc) note(f formula, q report.Quota, j judging, r report.QuotaResult, need, perSquadNeed int) string {
	if r.Denominator == 0 {
		return "no base"
	}
	var parts []string
	switch {
	case j.quarterly && j.due:
		parts = append(parts, fmt.Sprintf("按季度考核，统计%d月至%d月", int(j.span.from.Month), int(j.span.to.Month)))
	case j.quarterly:
		parts = append(parts, fmt.Sprintf("按季度考核，%d月考核；以上为本季度累计至本月", int(j.span.from.Add(2).Month)))
	case !j.due && f.kind == coverageKind:
		parts = append(parts, fmt.Sprintf("按进度本月末应覆盖%d个中队", ceilDiv(need*j.elapsed, j.total)))
	case !j.due && f.kind == perSquadKind:
		parts = append(parts, fmt.Sprintf("按进度每个中队本月末应达到%d", ceilDiv(perSquadNeed*j.elapsed, j.total)))
	}
	var missing []string
	for _, d := range f.inputs {
		if slices.Contains(c.ds.Missing, d) {
			missing = append(missing, d)
		}
	}
	if len(missing) > 0 {
		parts = append(parts, "数据不全：缺少"+strings.Join(missing, "、"))
	}
	return strings.Join(parts, "；")
}

// ── the formulas ──

func (c *calc) samplesIn(kind report.SampleKind, s span) []*report.Sample {
	var out []*report.Sample
	for _, i := range c.ix.samples.in(s) {
		if smp := &c.ds.Samples[i]; smp.Kind == kind {
			out = append(out, smp)
		}
	}
	return out
}

// sampleRate is samples of kind dated in the span over the cases whose
// caseDate (indexed by cases) falls in the span moved back one month (上月).
func (c *calc) sampleRate(kind report.SampleKind, s span, label string, cases byMonth, caseDate func(*report.Case) report.Date) measure {
	var m measure
	for _, smp := range c.samplesIn(kind, s) {
		m.num++
		if c.explain {
			m.numRefs = append(m.numRefs, sampleRef(smp))
		}
	}
	for _, i := range cases.in(s.shift(-1)) {
		m.den++
		if c.explain {
			cs := &c.ds.Cases[i]
			m.denRefs = append(m.denRefs, caseRef(cs, label, caseDate(cs)))
		}
	}
	return m
}

func (c *calc) caseSampleRate(_ report.Quota, s span) measure {
	return c.sampleRate(report.CaseFile, s, "结案", c.ix.casesClosed, func(cs *report.Case) report.Date { return cs.Closed })
}

func (c *calc) avSampleRate(_ report.Quota, s span) measure {
	return c.sampleRate(report.AudioVideo, s, "立案", c.ix.casesFiled, func(cs *report.Case) report.Date { return cs.Filed })
}

// coverage counts the counted squads among records dated in the span.
func (c *calc) coverage(records []Ref, s span) measure {
	m := measure{covered: map[string]bool{}}
	for _, r := range records {
		if s.contains(r.Date) && c.isCounted[r.Squad] {
			m.covered[r.Squad] = true
			if c.explain {
				m.numRefs = append(m.numRefs, r)
			}
		}
	}
	m.denRefs = c.squadRefs()
	return m
}

func (c *calc) itemCoverage(q report.Quota, s span) measure {
	return c.coverage(c.itemRecords(q.Item), s)
}

// avCoverage counts audio/video samples only (recording.squad_coverage_month).
func (c *calc) avCoverage(_ report.Quota, s span) measure {
	return c.coverage(c.sampleRefs(report.AudioVideo), s)
}

func (c *calc) annualPerSquad(q report.Quota, s span) measure {
	m := measure{perSquad: map[string]int{}, need: q.MinCount}
	for _, smp := range c.samplesIn(report.CaseFile, s) {
		if c.isCounted[smp.Squad] {
			m.perSquad[smp.Squad]++
			if c.explain {
				m.numRefs = append(m.numRefs, sampleRef(smp))
			}
		}
	}
	m.denRefs = c.squadRefs()
	return m
}

// weeklyRecords counts, per counted squad, the weeks of the span with a
// 中队督察 record.
func (c *calc) weeklyRecords(_ report.Quota, s span) measure {
	weeks, perSquad, refs := c.weeksCovered(s)
	m := measure{perSquad: map[string]int{}, need: weeks}
	for _, r := range refs {
		if c.isCounted[r.Squad] {
			m.numRefs = append(m.numRefs, r)
		}
	}
	for _, sq := range c.counted {
		m.perSquad[sq] = perSquad[sq]
	}
	m.denRefs = c.squadRefs()
	return m
}

// weeksCovered returns the number of weeks owned by the span's months
// (Monday to Sunday, each owned by the month of its Thursday), and per
// squad the number of those weeks with at least one 中队督察 record, with
// the records.
func (c *calc) weeksCovered(s span) (weeks int, perSquad map[string]int, refs []Ref) {
	owned := map[report.Date]bool{}
	for _, w := range s.weeks() {
		owned[w.Monday] = true
	}
	seen := map[string]map[report.Date]bool{}
	// The span's weeks reach into the months either side of it.
	for _, i := range c.ix.weekly.in(span{s.from.Add(-1), s.to.Add(1)}) {
		w := &c.ds.Weekly[i]
		monday := report.WeekOf(w.Date).Monday
		if !owned[monday] {
			continue
		}
		if c.explain {
			refs = append(refs, weeklyRef(w))
		}
		if seen[w.Squad] == nil {
			seen[w.Squad] = map[report.Date]bool{}
		}
		seen[w.Squad][monday] = true
	}
	perSquad = map[string]int{}
	for sq, ws := range seen {
		perSquad[sq] = len(ws)
	}
	return len(owned), perSquad, refs
}

// ledgerMonths are the months a 工作台账 row counts for: its 所属期间 month,
// every month of its half, or, for a year period or an unreadable one, the
// month of its 完成日期 (one row must not stand for twelve monthly
// meetings, nor for both halves' reviews).
func ledgerMonths(l *report.LedgerEntry) []report.Month {
	if m, err := report.ParseMonth(l.Period); err == nil {
		return []report.Month{m}
	}
	if h, err := report.ParseHalf(l.Period); err == nil {
		return h.Months()
	}
	if l.Done.IsZero() {
		return nil
	}
	return []report.Month{l.Done.MonthOf()}
}

// ledgerHeld is 1 when a row of the quota's matter belongs to the span.
func (c *calc) ledgerHeld(q report.Quota, s span) measure {
	m := measure{den: 1}
	for i := range c.ds.Ledger {
		l := &c.ds.Ledger[i]
		if !sameName(l.Matter, q.Matter) {
			continue
		}
		for _, month := range ledgerMonths(l) {
			if s.containsMonth(month) {
				m.numRefs = append(m.numRefs, ledgerRef(l))
				break
			}
		}
	}
	if len(m.numRefs) > 0 {
		m.num = 1
	}
	return m
}

// summaryOnTime is 1 when, for every month X of the span, a row of the
// matter with 所属期间 X-1 was completed by day due_day of X. The rows for
// X-1 that came late are listed with the denominator.
func (c *calc) summaryOnTime(q report.Quota, s span) measure {
	m := measure{den: 1, num: 1}
	for _, x := range s.months() {
		deadline := x.First().AddDays(q.DueDay - 1)
		onTime := false
		for i := range c.ds.Ledger {
			l := &c.ds.Ledger[i]
			if !sameName(l.Matter, q.Matter) || l.Period != x.Prev().String() {
				continue
			}
			if !l.Done.IsZero() && !l.Done.After(deadline) {
				onTime = true
				m.numRefs = append(m.numRefs, ledgerRef(l))
			} else {
				m.denRefs = append(m.denRefs, ledgerRef(l))
			}
		}
		if !onTime {
			m.num = 0
		}
	}
	return m
}

func (c *calc) inspectionCount(q report.Quota, s span) measure {
	m := measure{den: 1}
	for i := range c.ds.Inspections {
		if in := &c.ds.Inspections[i]; in.Item == q.Item && s.contains(in.Date) {
			m.num++
			if c.explain {
				m.numRefs = append(m.numRefs, inspectionRef(in))
			}
		}
	}
	return m
}

// majorCaseCoverage is the 重大法核 cases closed in the span that have a
// case-file sample dated on or before the span's last day.
func (c *calc) majorCaseCoverage(_ report.Quota, s span) measure {
	var m measure
	for _, i := range c.ix.casesClosed.in(s) {
		cs := &c.ds.Cases[i]
		if !cs.MajorReview {
			continue
		}
		m.den++
		if c.explain {
			m.denRefs = append(m.denRefs, caseRef(cs, "结案", cs.Closed))
		}
		var ids []string
		for _, smp := range c.ix.caseFileSample[cs.ID] {
			if !smp.Date.IsZero() && !smp.Date.After(s.end()) {
				ids = append(ids, smp.ID)
			}
		}
		if len(ids) > 0 {
			m.num++
			if c.explain {
				r := caseRef(cs, "结案", cs.Closed)
				r.Detail += " 抽查编号：" + strings.Join(ids, "、")
				m.numRefs = append(m.numRefs, r)
			}
		}
	}
	return m
}

func (c *calc) complaintSampleRate(_ report.Quota, s span) measure {
	m := measure{num: len(c.ix.sampled.in(s)), den: len(c.ix.received.in(s))}
	if c.explain {
		for _, i := range c.ix.sampled.in(s) {
			cp := &c.ds.Complaints[i]
			m.numRefs = append(m.numRefs, complaintRef(cp, cp.SampledOn))
		}
		for _, i := range c.ix.received.in(s) {
			cp := &c.ds.Complaints[i]
			m.denRefs = append(m.denRefs, complaintRef(cp, cp.Received))
		}
	}
	return m
}
