package metrics

import (
	"fmt"
	"slices"
	"time"

	"bulletin/report"
)

// Issued is a month's figures as its own bulletin stated them: every
// quota judged at the month, and the case-file pass rate, computed from
// the folders up to the month (docs/rules-interpretation.md item 1).
// Every later document states these for that month (item 87): the later
// months' data may hold late records of it, which count for the month by
// their dates but do not restate what was issued.
type Issued struct {
	Month    report.Month
	Quotas   []report.QuotaResult // in configured order
	PassRate *float64
}

// Judge is the Issued of each of months judged on ds, each under the plan
// in force in it: as issued when ds is what a report of that month reads
// (a run judges each earlier month on its own reading), or to word months
// not reported yet.
func Judge(cfg *report.Config, ds *report.Dataset, months ...report.Month) ([]Issued, error) {
	out := make([]Issued, len(months))
	var c *calc
	for i, m := range months {
		var err error
		if c == nil {
			c, err = newCalc(cfg, ds, m)
		} else {
			c, err = c.inForceIn(m)
		}
		if err != nil {
			return nil, err
		}
		out[i] = c.issued(m)
	}
	return out, nil
}

// IssuedOf is the Issued of a month's figures, as Monthly computed them.
func IssuedOf(f *report.Figures) (Issued, error) {
	m, err := report.ParseMonth(f.Month)
	if err != nil || f.Kind != string(report.PeriodMonthly) || len(f.Trend) == 0 || f.Trend[len(f.Trend)-1].Month != f.Month {
		return Issued{}, report.Errorf(report.KindOther, "metrics: figures of %s %s are not a month's", f.Kind, f.Period)
	}
	return Issued{Month: m, Quotas: f.Quotas, PassRate: f.Trend[len(f.Trend)-1].Values[report.TrendPassRate]}, nil
}

// inForceIn is c computing under the plan in force in m: c itself, or a
// copy with that plan and the dataset's indexes kept, which a plan does
// not change (a revision changes only numbers, and the squads and items
// are the configuration's, not the plan's).
func (c *calc) inForceIn(m report.Month) (*calc, error) {
	in, err := c.cfg.ForMonth(m)
	if err != nil || in == c.cfg {
		return c, err
	}
	if in.Plan.Year != c.cfg.Plan.Year { // another year's plan may name other quotas
		return newCalc(c.cfg, c.ds, m)
	}
	under := *c
	under.cfg = in
	return &under, nil
}

func (c *calc) issued(m report.Month) Issued {
	return Issued{Month: m, Quotas: c.quotas(m), PassRate: verdicts(c.samplesIn(report.CaseFile, monthSpan(m))).PassRate}
}

// yearThrough is earlier, the months of at's year before at as issued,
// followed by at judged on c's dataset (the one a report of at reads).
func (c *calc) yearThrough(earlier []Issued, at report.Month) ([]Issued, error) {
	if len(earlier) != int(at.Month)-1 {
		return nil, report.Errorf(report.KindOther, "metrics: %s needs the %d months before it as issued, not %d", at, int(at.Month)-1, len(earlier))
	}
	for i, e := range earlier {
		if e.Month != (report.Month{Year: at.Year, Month: time.Month(i + 1)}) || !sameQuotas(e.Quotas, c.cfg.Plan.Quotas) {
			return nil, report.Errorf(report.KindOther, "metrics: %s needs %d-%02d as issued, with the quotas of its plan, given %s", at, at.Year, i+1, e.Month)
		}
	}
	return append(slices.Clone(earlier), c.issued(at)), nil
}

func sameQuotas(results []report.QuotaResult, quotas []report.Quota) bool {
	return slices.EqualFunc(results, quotas, func(r report.QuotaResult, q report.Quota) bool { return r.ID == q.ID })
}

// Monthly computes the figures of the bulletin for month: every quota
// judged at month, and every section over the month. q is the run's
// data-quality report (may be nil); issued is the date of issue; earlier
// are the months of month's year before it, as issued (Judge, IssuedOf).
func Monthly(cfg *report.Config, ds *report.Dataset, q *report.Quality, month report.Month, issued report.Date, earlier []Issued) (*report.Figures, error) {
	c, err := newCalc(cfg, ds, month)
	if err != nil {
		return nil, err
	}
	year, err := c.yearThrough(earlier, month)
	if err != nil {
		return nil, err
	}
	quotas := year[len(year)-1].Quotas
	f := c.figures(report.PeriodMonthly, monthSpan(month), quotas, year, q, issued)
	f.Period = month.String()
	if f.Issue, err = issueNumber(c.cfg, month); err != nil {
		return nil, err
	}
	if month == month.Half().Last() {
		f.HalfSummary = halfSummary(month.Half(), quotas)
	}
	return f, nil
}

// HalfYear computes the figures of a half for the self-inspection reports:
// every section over the half's six months; the half- and year-window
// quotas judged at the half's last month; each month-window quota as the
// sum of its monthly results as issued (see halfQuotas); and one
// SelfInspection per item that the plan requires a report for. earlier
// are the months of the year before the half's last, as issued.
func HalfYear(cfg *report.Config, ds *report.Dataset, q *report.Quality, half report.Half, issued report.Date, earlier []Issued) (*report.Figures, error) {
	c, err := newCalc(cfg, ds, half.Last())
	if err != nil {
		return nil, err
	}
	year, err := c.yearThrough(earlier, half.Last())
	if err != nil {
		return nil, err
	}
	var monthly [][]report.QuotaResult
	for _, m := range year[half.First().Month-1:] {
		monthly = append(monthly, m.Quotas)
	}
	quotas := c.halfQuotas(monthly)
	s := span{half.First(), half.Last()}
	f := c.figures(report.PeriodHalfYear, s, quotas, year, q, issued)
	f.Period = half.String()
	f.HalfSummary = halfSummary(half, quotas)
	f.SelfInspections = c.selfInspections(half, monthly)
	return f, nil
}

// figures fills everything that is computed the same way for a month and
// for a half: the sections over span s, the quotas given, the trend of
// the year's months through s.to as issued.
func (c *calc) figures(kind report.PeriodKind, s span, quotas []report.QuotaResult, year []Issued, q *report.Quality, issued report.Date) *report.Figures {
	at := s.to
	f := &report.Figures{
		Kind: string(kind), Month: at.String(), PrevMonth: at.Prev().String(),
		Half: at.Half().String(), HalfMonths: at.Index() - at.Half().First().Index() + 1,
		IssueDate: issued, Bureau: c.cfg.Bureau.Name, Plan: c.cfg.Plan.Name,
		Quotas: quotas,
	}
	attachQuality(f, c.ds, q)
	for _, r := range quotas {
		if slices.ContainsFunc(formulas[r.ID].inputs, func(d string) bool { return slices.Contains(f.Incomplete, d) }) {
			f.IncompleteQuotas = append(f.IncompleteQuotas, r.ID)
		}
	}
	f.Coverage = c.coverageSection(s)
	f.CaseQuality = c.caseQuality(s)
	f.Problems = c.problems(s)
	f.Abnormal = c.abnormal(s)
	f.Complaints = c.complaints(s)
	f.Evaluation = c.evaluation(s)
	f.Squads = c.squads(s, f.CaseQuality, f.Problems, f.Evaluation, f.Coverage)
	f.Departments = c.departments(quotas)
	f.Trend = trend(year)
	f.Reminders = c.reminders(at)
	return f
}

// attachQuality copies the inputs and the data-quality headline, and names
// as incomplete every dataset that could not be read, wholly (ds.Missing)
// or in one of its files, and every month folder missing.
func attachQuality(f *report.Figures, ds *report.Dataset, q *report.Quality) {
	f.Inputs = []report.Input{}
	if q != nil {
		f.Inputs = append(f.Inputs, q.Inputs...)
		f.Quality = report.QualitySummary{Clean: q.Clean(), Files: len(q.Inputs), FileErrors: len(q.Files)}
		for _, in := range q.Inputs {
			f.Quality.Rows += in.Rows
			f.Quality.Rejected += in.Rejected
		}
		for _, w := range q.Warnings {
			f.Quality.Warnings += max(w.Count, 1)
		}
	}
	f.Incomplete = report.IncompleteDatasets(ds, q)
	if q != nil {
		for _, m := range q.Missing {
			f.MissingMonths = append(f.MissingMonths, m.Month)
		}
	}
}

// issueNumber is 第N期: the month's number, or a running count from the
// configured first issue. A month before the first issue's has no number
// (report/config cannot tell: it does not know the month reported).
func issueNumber(cfg *report.Config, m report.Month) (int, error) {
	if cfg.Bureau.IssueNumbering == "running" {
		if first, err := report.ParseMonth(cfg.Bureau.FirstIssueMonth); err == nil {
			if m.Index() < first.Index() {
				return 0, &report.Error{Kind: report.KindConfig, Path: cfg.File, Where: "bureau.first_issue_month",
					Err: fmt.Errorf("%s的月报没有期号：连续编号（issue_numbering = \"running\"）从 first_issue_month = %q 那个月的第%d期开始，%s在它之前；请把 first_issue_month 改成 %q 或更早的月份（first_issue 改成那个月的期号），或改回 issue_numbering = \"month\"",
						m.Chinese(), cfg.Bureau.FirstIssueMonth, cfg.Bureau.FirstIssue, m.Chinese(), m.String())}
			}
			return cfg.Bureau.FirstIssue + m.Index() - first.Index(), nil
		}
	}
	return int(m.Month), nil
}

// halfQuotas are the quotas of a half from its six monthly results (one
// slice per month, in configured quota order). A half- or year-window
// quota is its result in the half's last month. A month-window quota is
// summed over the months it was due: numerator and denominator are the
// sums, the value their ratio, and it is met when it was met in every one
// of those months.
func (c *calc) halfQuotas(monthly [][]report.QuotaResult) []report.QuotaResult {
	last := monthly[len(monthly)-1]
	out := make([]report.QuotaResult, len(last))
	for i, q := range c.cfg.Plan.Quotas {
		if q.Window != report.WindowMonth {
			out[i] = last[i]
			continue
		}
		months := make([]report.QuotaResult, len(monthly))
		for m := range monthly {
			months[m] = monthly[m][i]
		}
		out[i] = c.sumMonths(formulas[q.ID].kind, months)
	}
	return out
}

func (c *calc) sumMonths(kind quotaKind, months []report.QuotaResult) report.QuotaResult {
	r := months[len(months)-1]
	r.Numerator, r.Denominator, r.Missing = 0, 0, nil
	due, met := 0, 0
	missing := map[string]bool{}
	for _, m := range months {
		if !m.Due {
			continue
		}
		due++
		r.Numerator += m.Numerator
		r.Denominator += m.Denominator
		if m.Met != nil && *m.Met {
			met++
		}
		if kind == perSquadKind {
			for _, s := range m.Missing {
				missing[s] = true
			}
		}
	}
	r.Value = ratio(r.Numerator, r.Denominator)
	if kind == perSquadKind {
		r.Missing = c.sortedSquads(missing)
	}
	allMet := met == due
	r.Due, r.Met, r.OnTrack = due > 0, &allMet, allMet
	switch {
	case due == 0:
		r.Met, r.Status, r.Note = nil, report.StatusNotDue, ""
	case r.Denominator == 0:
		r.Status, r.Note = report.StatusNoBase, "no base"
	case allMet:
		r.Status, r.Note = report.StatusMet, fmt.Sprintf("半年%d个考核月均完成", due)
	default:
		r.Status, r.Note = report.StatusNotMet, fmt.Sprintf("半年%d个考核月中%d个月完成", due, met)
	}
	return r
}

// quotasOfItem picks an item's quotas from one month's results.
func quotasOfItem(results []report.QuotaResult, item string) []report.QuotaResult {
	var out []report.QuotaResult
	for _, r := range results {
		if r.Item == item {
			out = append(out, r)
		}
	}
	return out
}
