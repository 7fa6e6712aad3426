// Package metrics turns the deduplicated records of a run (report.Dataset)
// into the figures of a period (report.Figures): every quota of rules.md,
// the coverage sets, the squads' lines and scores, the department
// scorecard and the sections of the bulletin and of the half-year
// self-inspection reports.
//
// Records are attributed to periods by their own dates, never by the folder
// they were read from. Every number of the plan (targets, windows,
// frequencies, minimums, matters, due days, weights) comes from the
// configuration; the code holds only the formula of each quota id.
//
// All figures are computed over a span of whole months: one month for the
// bulletin, six for the half-year reports, so the two cannot disagree.
package metrics

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"bulletin/report"
)

// span is a run of whole months [from, to], the window a figure covers.
type span struct{ from, to report.Month }

func monthSpan(m report.Month) span { return span{m, m} }

func (s span) contains(d report.Date) bool {
	if d.IsZero() {
		return false
	}
	i := d.MonthOf().Index()
	return i >= s.from.Index() && i <= s.to.Index()
}

func (s span) containsMonth(m report.Month) bool {
	return m.Index() >= s.from.Index() && m.Index() <= s.to.Index()
}

// shift moves the span by n months: shift(-1) is "上月" of every month.
func (s span) shift(n int) span { return span{s.from.Add(n), s.to.Add(n)} }

func (s span) months() []report.Month {
	var ms []report.Month
	for m := s.from; m.Index() <= s.to.Index(); m = m.Add(1) {
		ms = append(ms, m)
	}
	return ms
}

// end is the last day of the span.
func (s span) end() report.Date { return s.to.Last() }

// weeks lists the weeks owned by the span's months (Thursday rule).
func (s span) weeks() []report.Week {
	var ws []report.Week
	for _, m := range s.months() {
		ws = append(ws, m.Weeks()...)
	}
	return ws
}

func yearToDate(m report.Month) span { return span{report.Month{Year: m.Year, Month: 1}, m} }

func halfToDate(m report.Month) span { return span{m.Half().First(), m} }

// calc is one computation over a dataset: the configuration, the records
// and the orders in which names are listed.
type calc struct {
	cfg        *report.Config
	ds         *report.Dataset
	counted    []string // squads in coverage denominators, configured order
	isCounted  map[string]bool
	squadOrder map[string]int
	itemOrder  map[string]int
	sampled    map[string]*report.Case // the cases a sample names, by id
	ix         indexes

	// explain keeps the records behind each measure (numRefs, denRefs) for
	// `bulletin explain`. The figures need only the counts, and building a
	// record for each of a city's million complaints in every month of the
	// trend cost more than all the figures.
	explain bool
	// coverRecords holds itemRecords and the audio/video samples, collected
	// once per run: coverage is asked of them for every month of the trend.
	coverRecords map[string][]Ref
}

// newCalc computes under the plan in force in at, the month reported on or
// a half's last: a January report is judged under the new year's plan,
// though its 上月 lies in the old year.
func newCalc(cfg *report.Config, ds *report.Dataset, at report.Month) (*calc, error) {
	if cfg == nil || ds == nil {
		return nil, report.Errorf(report.KindOther, "metrics: a configuration and a dataset are needed")
	}
	cfg, err := cfg.ForMonth(at)
	if err != nil {
		return nil, err
	}
	for _, q := range cfg.Plan.Quotas {
		if _, ok := formulas[q.ID]; !ok {
			return nil, report.Errorf(report.KindConfig, "quota %q has no formula; the ids are: %s", q.ID, strings.Join(report.QuotaIDs, ", "))
		}
	}
	c := &calc{cfg: cfg, ds: ds, counted: cfg.CountedSquads(), isCounted: map[string]bool{},
		squadOrder: map[string]int{}, itemOrder: map[string]int{}, sampled: map[string]*report.Case{},
		coverRecords: map[string][]Ref{}}
	for _, s := range c.counted {
		c.isCounted[s] = true
	}
	for i, s := range cfg.Squads {
		c.squadOrder[s.Name] = i
	}
	for i, it := range cfg.Items {
		c.itemOrder[it.Name] = i
	}
	var wg sync.WaitGroup
	wg.Go(func() { c.ix = newIndexes(ds) })
	// Only the cases samples name: a city's year has 400,000 cases and a
	// tenth of them sampled.
	for i := range ds.Samples {
		c.sampled[ds.Samples[i].CaseID] = nil
	}
	for i := range ds.Cases {
		if _, ok := c.sampled[ds.Cases[i].ID]; ok {
			c.sampled[ds.Cases[i].ID] = &ds.Cases[i]
		}
	}
	wg.Wait()
	return c, nil
}

// compareSquads orders squads as configured; unknown names go last, by name.
func (c *calc) compareSquads(a, b string) int {
	return compareByOrder(c.squadOrder, a, b)
}

func (c *calc) compareItems(a, b string) int {
	return compareByOrder(c.itemOrder, a, b)
}

func compareByOrder(order map[string]int, a, b string) int {
	ia, oka := order[a]
	ib, okb := order[b]
	switch {
	case oka && okb:
		return cmp.Compare(ia, ib)
	case oka:
		return -1
	case okb:
		return 1
	}
	return strings.Compare(a, b)
}

// sortedSquads returns the squads of set in configured order.
func (c *calc) sortedSquads(set map[string]bool) []string {
	out := []string{} // [] rather than null in figures.json
	for s, ok := range set {
		if ok {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, c.compareSquads)
	return out
}

// ranked turns counts into a list, largest first; ties in the given order.
// Zero counts are left out.
func ranked(counts map[string]int, order func(a, b string) int) []report.Count {
	out := []report.Count{} // [] rather than null in figures.json
	for name, n := range counts {
		if n > 0 {
			out = append(out, report.Count{Name: name, Count: n})
		}
	}
	slices.SortFunc(out, func(a, b report.Count) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return order(a.Name, b.Name)
	})
	return out
}

// atLeast is the smallest whole count that reaches share of total:
// ceil(0.20 × 15) = 3. The small epsilon keeps 0.1 × 30 at 3, not 4.
func atLeast(share float64, total int) int {
	return int(math.Ceil(share*float64(total) - 1e-9))
}

// ceilDiv is ceil(a / b) for b > 0.
func ceilDiv(a, b int) int { return (a + b - 1) / b }

func ratio(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	v := float64(num) / float64(den)
	return &v
}

func sameName(a, b string) bool { return report.Fold(a) == report.Fold(b) }

// rectifiedBy reports whether the problems of an inspection were rectified
// by the end of day: the state 已整改, with a completion date on or before
// that day (an 已整改 row without a date counts as rectified).
func rectifiedBy(in *report.Inspection, day report.Date) bool {
	return in.Rectification == report.Rectified && (in.RectifiedOn.IsZero() || !in.RectifiedOn.After(day))
}

// overdueAt reports whether an inspection's problems are past their
// deadline and still not rectified at the end of day.
func overdueAt(in *report.Inspection, day report.Date) bool {
	return in.Problems > 0 && !in.Deadline.IsZero() && !in.Deadline.After(day) && !rectifiedBy(in, day)
}

// rectifiedOnTime reports whether a rectified inspection was rectified by
// its deadline; without a deadline or a completion date it is on time.
func rectifiedOnTime(in *report.Inspection) bool {
	return in.Deadline.IsZero() || in.RectifiedOn.IsZero() || !in.RectifiedOn.After(in.Deadline)
}
