package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"bulletin/report"
)

// selfInspections builds the data of each half-year self-inspection report
// (items with self_inspection set), from the records of the half and from
// the monthly quota results.
func (c *calc) selfInspections(half report.Half, monthly [][]report.QuotaResult) []report.SelfInspection {
	var out []report.SelfInspection
	for _, it := range c.cfg.Items {
		if it.SelfInspection != "" {
			out = append(out, c.selfInspection(it, half, monthly))
		}
	}
	return out
}

// selfInspection is one item's report data over the half. Problems are
// counted as inspections' 发现问题数, grouped by 问题描述, plus one per
// 问题类型 listed on the item's samples; rectification is the state at
// the half's end, a rectification after its deadline counted as late.
func (c *calc) selfInspection(it report.Item, half report.Half, monthly [][]report.QuotaResult) report.SelfInspection {
	s := span{half.First(), half.Last()}
	end := s.end()
	records := c.itemRecords(it.Name)
	covered := coveredSquads(records, s)
	si := report.SelfInspection{
		Item:          it.Name,
		Title:         fmt.Sprintf("%s%s%s执行情况自查报告", c.cfg.Bureau.ShortName, half.Chinese(), it.SelfInspection),
		Covered:       c.sortedSquads(covered),
		NotCovered:    []string{},
		ProblemTypes:  []report.ProblemGroup{},
		Rectification: []report.SquadRectification{},
	}
	for _, sq := range c.counted {
		if !covered[sq] {
			si.NotCovered = append(si.NotCovered, sq)
		}
	}
	for i, m := range half.Months() {
		si.Monthly = append(si.Monthly, report.MonthQuotas{Month: m.String(), Quotas: quotasOfItem(monthly[i], it.Name)})
	}

	annex := map[string]*report.SquadChecks{}
	rect := map[string]*report.SquadRectification{}
	for _, sq := range c.cfg.Squads {
		annex[sq.Name] = &report.SquadChecks{Squad: sq.Name, Covered: covered[sq.Name], Dates: []report.Date{}}
	}
	row := func(squad string) *report.SquadChecks {
		if annex[squad] == nil {
			annex[squad] = &report.SquadChecks{Squad: squad, Covered: covered[squad], Dates: []report.Date{}}
		}
		return annex[squad]
	}
	groups := map[string]*report.ProblemGroup{}
	// addProblem counts n problems of a kind; tracked ones (an inspection's,
	// with a rectification deadline) apart from those a sample found.
	addProblem := func(kind, squad string, n int, tracked bool) {
		g := groups[kind]
		if g == nil {
			g = &report.ProblemGroup{Type: kind}
			groups[kind] = g
		}
		g.Count += n
		if !slices.Contains(g.Squads, squad) {
			g.Squads = append(g.Squads, squad)
		}
		si.Problems += n
		if tracked {
			si.ProblemsTracked += n
		} else {
			si.ProblemsSampled += n
		}
		row(squad).Problems += n
	}

	src := c.sources(it.Name)
	si.HasSamples = src.samples != nil
	for i := range c.ds.Inspections {
		in := &c.ds.Inspections[i]
		if !src.inspections || in.Item != it.Name || !s.contains(in.Date) {
			continue
		}
		r := row(in.Squad)
		r.Checks++
		si.Inspections++
		r.Dates = append(r.Dates, in.Date)
		if in.Problems == 0 {
			continue
		}
		addProblem(cmp.Or(strings.TrimSpace(in.Description), unnamed), in.Squad, in.Problems, true)
		sr := rect[in.Squad]
		if sr == nil {
			sr = &report.SquadRectification{Squad: in.Squad}
			rect[in.Squad] = sr
		}
		switch {
		case rectifiedBy(in, end) && rectifiedOnTime(in):
			sr.Rectified += in.Problems
			r.Rectified += in.Problems
		case rectifiedBy(in, end):
			sr.RectifiedLate += in.Problems
			r.Rectified += in.Problems
		case overdueAt(in, end):
			sr.Overdue += in.Problems
		default:
			sr.InProgress += in.Problems
		}
	}
	for i := range c.ds.Samples {
		smp := &c.ds.Samples[i]
		if src.samples == nil || !src.samples(smp) || !s.contains(smp.Date) {
			continue
		}
		r := row(smp.Squad)
		r.Samples++
		si.Samples++
		r.Dates = append(r.Dates, smp.Date)
		seen := map[string]bool{}
		for _, p := range smp.Problems {
			if p = strings.TrimSpace(p); p != "" && !seen[p] {
				seen[p] = true
				addProblem(p, smp.Squad, 1, false)
			}
		}
	}

	si.Checks = si.Inspections + si.Samples
	for _, g := range groups {
		slices.SortFunc(g.Squads, c.compareSquads)
		si.ProblemTypes = append(si.ProblemTypes, *g)
	}
	slices.SortFunc(si.ProblemTypes, func(a, b report.ProblemGroup) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(a.Type, b.Type)
	})
	for _, sr := range rect {
		si.Rectification = append(si.Rectification, *sr)
	}
	slices.SortFunc(si.Rectification, func(a, b report.SquadRectification) int { return c.compareSquads(a.Squad, b.Squad) })
	for _, r := range annex {
		slices.SortFunc(r.Dates, report.Date.Compare)
		r.Dates = slices.Compact(r.Dates)
		si.BySquad = append(si.BySquad, *r)
	}
	slices.SortFunc(si.BySquad, func(a, b report.SquadChecks) int { return c.compareSquads(a.Squad, b.Squad) })

	si.CheckedLate = []report.LateCheck{}
	if it.Name == c.quotaItem(report.QuotaMajorCaseCoverage) {
		si.CheckedLate = c.checkedLate(half)
		if !c.anyMajorCaseClosed(s) {
			si.Note = fmt.Sprintf("%s辖区内没有结案的重大行政执法决定法制审核案件，重大法核案件检查覆盖率无应检对象。", half.Chinese())
		}
	}
	return si
}

// checkedLate lists the major cases closed in a month of the half whose
// file had no sample by that month's end (majorCaseCoverage) and has one
// by the half's end, with the first such sample, by date of closing.
func (c *calc) checkedLate(half report.Half) []report.LateCheck {
	out := []report.LateCheck{}
	end := half.Last().Last()
	for _, m := range half.Months() {
		for _, i := range c.ix.casesClosed.in(monthSpan(m)) {
			cs := &c.ds.Cases[i]
			if !cs.MajorReview {
				continue
			}
			var first *report.Sample
			for _, smp := range c.ix.caseFileSample[cs.ID] {
				if smp.Date.IsZero() || smp.Date.After(end) {
					continue
				}
				if !smp.Date.After(m.Last()) {
					first = nil
					break
				}
				if first == nil || smp.Date.Before(first.Date) {
					first = smp
				}
			}
			if first != nil {
				out = append(out, report.LateCheck{Case: cs.ID, Squad: cs.Squad, Closed: cs.Closed, Sample: first.ID, Sampled: first.Date})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b report.LateCheck) int { return a.Closed.Compare(b.Closed) })
	return out
}

func (c *calc) anyMajorCaseClosed(s span) bool {
	for i := range c.ds.Cases {
		if cs := &c.ds.Cases[i]; cs.MajorReview && s.contains(cs.Closed) {
			return true
		}
	}
	return false
}
