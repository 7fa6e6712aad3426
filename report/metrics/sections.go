package metrics

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"bulletin/report"
)

// unnamed labels a count whose record leaves the category empty.
const unnamed = "未注明"

func verdicts(samples []*report.Sample) report.VerdictCounts {
	var v report.VerdictCounts
	for _, s := range samples {
		switch s.Verdict {
		case report.Pass:
			v.Pass++
		case report.PartialPass:
			v.PartialPass++
		case report.Fail:
			v.Fail++
		}
	}
	v.PassRate = ratio(passed(v))
	return v
}

// passed is the case files that passed (合格 and 基本合格) of those with a
// verdict: the pass rate's numerator and denominator, wherever it is used.
func passed(v report.VerdictCounts) (num, den int) {
	return v.Pass + v.PartialPass, v.Pass + v.PartialPass + v.Fail
}

func ofSquad(samples []*report.Sample, squad string) []*report.Sample {
	var out []*report.Sample
	for _, s := range samples {
		if s.Squad == squad {
			out = append(out, s)
		}
	}
	return out
}

// problemTypes counts each problem type once per sample that lists it.
func problemTypes(samples []*report.Sample) []report.Count {
	counts := map[string]int{}
	for _, s := range samples {
		seen := map[string]bool{}
		for _, p := range s.Problems {
			if p = strings.TrimSpace(p); p != "" && !seen[p] {
				seen[p] = true
				counts[p]++
			}
		}
	}
	return ranked(counts, strings.Compare)
}

// caseQuality is the case-file verdicts of the span and of the year to
// its end, overall and per squad, and the problem types ranked.
func (c *calc) caseQuality(s span) report.CaseQuality {
	inSpan := c.samplesIn(report.CaseFile, s)
	ytd := c.samplesIn(report.CaseFile, yearToDate(s.to))
	q := report.CaseQuality{
		Month:           verdicts(inSpan),
		YTD:             verdicts(ytd),
		BySquad:         make([]report.SquadVerdicts, 0, len(c.cfg.Squads)),
		ProblemTypes:    problemTypes(inSpan),
		ProblemTypesYTD: problemTypes(ytd),
	}
	for _, sq := range c.cfg.Squads {
		q.BySquad = append(q.BySquad, report.SquadVerdicts{
			Squad: sq.Name, Month: verdicts(ofSquad(inSpan, sq.Name)), YTD: verdicts(ofSquad(ytd, sq.Name)),
		})
	}
	return q
}

// daysBetween is the number of days from a to b.
func daysBetween(a, b report.Date) int {
	ta := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	tb := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(tb.Sub(ta).Hours() / 24)
}

// problems is the problems found by the span's inspections and their
// rectification at the span's end, counted in problems (发现问题数). The
// span's problems are rectified (by its end, on time or late), in
// progress (open, deadline not passed) or overdue; the overdue list holds
// every inspection read, of any month up to the span's end, whose
// deadline has passed with its problems still open: the span's own and
// the backlog of earlier inspections.
func (c *calc) problems(s span) report.Problems {
	end := s.end()
	p := report.Problems{ByItem: []report.Count{}, OverdueList: []report.OverdueItem{}}
	bySquad := map[string]*report.SquadProblems{}
	for _, sq := range c.cfg.Squads {
		bySquad[sq.Name] = &report.SquadProblems{Squad: sq.Name}
	}
	squad := func(name string) *report.SquadProblems {
		if bySquad[name] == nil {
			bySquad[name] = &report.SquadProblems{Squad: name}
		}
		return bySquad[name]
	}
	byItem := map[string]int{}
	for i := range c.ds.Inspections {
		in := &c.ds.Inspections[i]
		if in.Date.IsZero() || in.Date.After(end) {
			continue
		}
		sp := squad(in.Squad)
		if s.contains(in.Date) {
			p.Inspections++
			p.Found += in.Problems
			sp.Found += in.Problems
			byItem[in.Item] += in.Problems
			switch {
			case in.Problems == 0:
			case overdueAt(in, end):
				p.FoundOverdue += in.Problems
				sp.FoundOverdue += in.Problems
			case rectifiedBy(in, end):
				p.Rectified += in.Problems
				sp.Rectified += in.Problems
			default:
				p.InProgress += in.Problems
				sp.InProgress += in.Problems
			}
		}
		if overdueAt(in, end) {
			p.Overdue += in.Problems
			sp.Overdue += in.Problems
			if !s.contains(in.Date) {
				p.Backlog += in.Problems
				p.BacklogInspections++
			}
			p.OverdueList = append(p.OverdueList, report.OverdueItem{
				ID: in.ID, Squad: in.Squad, Item: in.Item, Department: in.Department,
				Inspected: in.Date, Deadline: in.Deadline, DaysOverdue: daysBetween(in.Deadline, end) + 1,
				Description: in.Description, Problems: in.Problems,
			})
		}
	}
	slices.SortFunc(p.OverdueList, func(a, b report.OverdueItem) int {
		if x := a.Deadline.Compare(b.Deadline); x != 0 {
			return x
		}
		if x := c.compareSquads(a.Squad, b.Squad); x != 0 {
			return x
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, sp := range bySquad {
		p.BySquad = append(p.BySquad, *sp)
	}
	slices.SortFunc(p.BySquad, func(a, b report.SquadProblems) int { return c.compareSquads(a.Squad, b.Squad) })
	p.ByItem = ranked(byItem, c.compareItems)
	return p
}

// abnormal is the cases on the city bureau's abnormal list that were filed
// or closed in the span (a case counts once, even when both fall in it).
func (c *calc) abnormal(s span) report.Abnormal {
	a := report.Abnormal{ByType: []report.Count{}, BySquad: []report.SquadCounts{}}
	byType := map[string]int{}
	bySquad := map[string]map[string]int{}
	squadTotal := map[string]int{}
	for _, cs := range c.abnormalCases(s) {
		a.Total++
		squadTotal[cs.Squad]++
		if bySquad[cs.Squad] == nil {
			bySquad[cs.Squad] = map[string]int{}
		}
		for _, t := range abnormalTypes(cs) {
			byType[t]++
			bySquad[cs.Squad][t]++
		}
	}
	a.ByType = ranked(byType, strings.Compare)
	for _, sc := range ranked(squadTotal, c.compareSquads) {
		a.BySquad = append(a.BySquad, report.SquadCounts{Squad: sc.Name, Total: sc.Count, ByType: ranked(bySquad[sc.Name], strings.Compare)})
	}
	return a
}

// handledIn reports whether a case was filed or closed in the span: the
// cases a month's abnormal figures are about.
func handledIn(cs *report.Case, s span) bool { return s.contains(cs.Filed) || s.contains(cs.Closed) }

func (c *calc) abnormalCases(s span) []*report.Case {
	var out []*report.Case
	for i := range c.ds.Cases {
		if cs := &c.ds.Cases[i]; len(abnormalTypes(cs)) > 0 && handledIn(cs, s) {
			out = append(out, cs)
		}
	}
	return out
}

// abnormalTypes are a case's distinct, non-empty abnormal types.
func abnormalTypes(cs *report.Case) []string {
	var out []string
	for _, t := range cs.Abnormal {
		if t = strings.TrimSpace(t); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// complaints is the complaints received in the span (by type, field and
// squad, repeated ones) and those sampled in it (by 抽查日期), with the
// 履职不到位 findings.
func (c *calc) complaints(s span) report.ComplaintFigures {
	var f report.ComplaintFigures
	byType, byField, bySquad, failed := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for i := range c.ds.Complaints {
		cp := &c.ds.Complaints[i]
		if s.contains(cp.Received) {
			f.Received++
			byType[cmp.Or(cp.Type, unnamed)]++
			byField[cmp.Or(strings.TrimSpace(cp.Field), unnamed)]++
			bySquad[cp.Squad]++
			if cp.Repeated {
				f.Repeated++
			}
		}
		if cp.Sampled && s.contains(cp.SampledOn) {
			f.Sampled++
			if cp.Finding == report.DutyFailed {
				f.DutyFailed++
				failed[cp.Squad]++
			}
		}
	}
	f.ByType = ranked(byType, strings.Compare)
	f.ByField = ranked(byField, strings.Compare)
	f.BySquad = ranked(bySquad, c.compareSquads)
	f.FailedSquads = ranked(failed, c.compareSquads)
	return f
}

// squads is each configured squad's line, in configured order; scores,
// ranks and the items matrix are filled from the evaluation and coverage.
func (c *calc) squads(s span, cq report.CaseQuality, p report.Problems, ev report.Evaluated, cov []report.Coverage) []report.SquadFigures {
	count := func(samples []*report.Sample) map[string]int {
		n := map[string]int{}
		for _, smp := range samples {
			n[smp.Squad]++
		}
		return n
	}
	caseMonth := count(c.samplesIn(report.CaseFile, s))
	caseYTD := count(c.samplesIn(report.CaseFile, yearToDate(s.to)))
	avMonth := count(c.samplesIn(report.AudioVideo, s))
	weeks, weekly, _ := c.weeksCovered(s)
	closedPrev, complaints := map[string]int{}, map[string]int{}
	for _, i := range c.ix.casesClosed.in(s.shift(-1)) {
		closedPrev[c.ds.Cases[i].Squad]++
	}
	for _, i := range c.ix.received.in(s) {
		complaints[c.ds.Complaints[i].Squad]++
	}
	out := make([]report.SquadFigures, 0, len(c.cfg.Squads))
	for _, sq := range c.cfg.Squads {
		f := report.SquadFigures{
			Name: sq.Name, CaseSamplesMonth: caseMonth[sq.Name], CaseSamplesYTD: caseYTD[sq.Name],
			AVSamplesMonth: avMonth[sq.Name], WeeklyWeeks: weekly[sq.Name], WeeksInMonth: weeks,
			CasesClosedPrev: closedPrev[sq.Name], ComplaintsMonth: complaints[sq.Name],
			ItemsMonth: []string{}, ItemsHalf: []string{},
		}
		for _, v := range cq.BySquad {
			if v.Squad == sq.Name {
				f.PassRateMonth = v.Month.PassRate
			}
		}
		for _, sp := range p.BySquad {
			if sp.Squad == sq.Name {
				f.Problems, f.Rectified, f.Overdue = sp.Found, sp.Rectified, sp.Overdue
			}
		}
		for _, sc := range ev.Squads {
			if sc.Squad == sq.Name {
				f.Score, f.Rank = sc.Score, sc.Rank
			}
		}
		for _, cv := range cov {
			if slices.Contains(cv.Month, sq.Name) {
				f.ItemsMonth = append(f.ItemsMonth, cv.Item)
			}
			if slices.Contains(cv.Half, sq.Name) {
				f.ItemsHalf = append(f.ItemsHalf, cv.Item)
			}
		}
		out = append(out, f)
	}
	return out
}
