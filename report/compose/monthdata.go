package compose

import (
	"cmp"
	"fmt"
	"slices"

	"bulletin/report"
)

// MonthData is what every template of the monthly bulletin (月报-*.tmpl)
// sees as ".". F holds every figure the metrics computed; the other fields
// are the same figures arranged for wording. templates/README.md lists them
// for the clerk.
type MonthData struct {
	Month      report.Month // the report month: {{month .Month}} is 2025年5月
	PrevMonth  report.Month // 上月
	Half       report.Half  // the half containing Month
	NextHalf   report.Half  // the half after it
	MonthEnd   report.Date  // last day of Month
	HalfEnd    bool         // Month is the last month of its half
	MonthsLeft int          // months of the half after Month
	IssueDate  report.Date
	Bureau     report.Bureau
	Squads     []string // the squads counted
	Incomplete []string // datasets that could not be read

	F       *report.Figures
	Quality *report.Quality // nil when the run gave none
	// QualityClean is true when every row was usable; otherwise the
	// bulletin has the data-quality page as 附件2.
	QualityClean bool

	Quotas     QuotaList // every quota of the month, in the figures' order
	Due        QuotaList // the quotas due this month
	Met        QuotaList // due and met
	Unmet      QuotaList // due and not met
	Behind     QuotaList // not yet due and behind the straight line
	HalfQuotas QuotaList // the half's quotas now due (June and December)
	HalfMet    QuotaList // those of them met
	HalfUnmet  QuotaList // those of them not met

	FailSquads     []string       // squads with 不合格 case files this month
	AbnormalSquads []report.Count // squads by abnormal cases, most first
	OverdueSquads  []string       // squads of the overdue list, in its order

	// RejectedShown rows of the data-quality page are listed in the PDF;
	// RejectedMore are only in the data-quality workbook.
	RejectedShown, RejectedMore int

	byID map[string]QuotaView
}

// maxRejectedListed caps the rejected rows listed in the PDF annex; the
// data-quality workbook has them all.
const maxRejectedListed = 50

func monthData(cfg *report.Config, fig *report.Figures, q *report.Quality) (*MonthData, error) {
	m, err := report.ParseMonth(fig.Month)
	if err != nil {
		return nil, report.Errorf(report.KindRender, "figures: month: %v", err)
	}
	if cfg, err = cfg.ForYear(m.Year); err != nil { // the quotas are worded as the year's plan sets them
		return nil, err
	}
	h := m.Half()
	d := &MonthData{
		Month:        m,
		PrevMonth:    m.Prev(),
		Half:         h,
		NextHalf:     h.Last().Add(1).Half(),
		MonthEnd:     m.Last(),
		HalfEnd:      m == h.Last(),
		MonthsLeft:   h.Last().Index() - m.Index(),
		IssueDate:    fig.IssueDate,
		Bureau:       cfg.Bureau,
		Squads:       cfg.CountedSquads(),
		Incomplete:   fig.Incomplete,
		F:            fig,
		Quality:      q,
		QualityClean: q == nil || q.Clean(),
		Quotas:       quotaViews(cfg, fig.Quotas),
		byID:         map[string]QuotaView{},
	}
	for _, qv := range d.Quotas {
		d.byID[qv.ID] = qv
	}
	d.Due = d.Quotas.filter(func(q QuotaView) bool { return q.Due && q.Status != report.StatusNotDue })
	d.Met = d.Quotas.filter(func(q QuotaView) bool { return q.Met })
	d.Unmet = d.Quotas.filter(func(q QuotaView) bool { return q.NotMet })
	d.Behind = d.Quotas.filter(func(q QuotaView) bool { return q.Status == report.StatusBehind })
	if fig.HalfSummary != nil {
		d.HalfQuotas = quotaViews(cfg, fig.HalfSummary.Quotas)
		d.HalfMet = d.HalfQuotas.filter(func(q QuotaView) bool { return q.Met })
		d.HalfUnmet = d.HalfQuotas.filter(func(q QuotaView) bool { return q.NotMet })
	}
	for _, s := range fig.CaseQuality.BySquad {
		if s.Month.Fail > 0 {
			d.FailSquads = append(d.FailSquads, s.Squad)
		}
	}
	for _, s := range fig.Abnormal.BySquad {
		if s.Total > 0 {
			d.AbnormalSquads = append(d.AbnormalSquads, report.Count{Name: s.Squad, Count: s.Total})
		}
	}
	slices.SortStableFunc(d.AbnormalSquads, func(a, b report.Count) int { return cmp.Compare(b.Count, a.Count) })
	for _, o := range fig.Problems.OverdueList {
		if !slices.Contains(d.OverdueSquads, o.Squad) {
			d.OverdueSquads = append(d.OverdueSquads, o.Squad)
		}
	}
	if q != nil {
		d.RejectedShown = min(len(q.Rejected), maxRejectedListed)
		d.RejectedMore = len(q.Rejected) - d.RejectedShown
	}
	return d, nil
}

// Quota is the quota with the given id ({{with .Quota "lawful.case_sample_rate"}});
// an unknown id stops the document with the template's file and line.
func (d *MonthData) Quota(id string) (QuotaView, error) {
	q, ok := d.byID[id]
	if !ok {
		return QuotaView{}, fmt.Errorf("no quota %q in the figures (ids are listed in config.toml)", id)
	}
	return q, nil
}

// HasQuota tells whether the figures have the quota, for wording that must
// survive a plan that drops one.
func (d *MonthData) HasQuota(id string) bool {
	_, ok := d.byID[id]
	return ok
}

// CoverageOf is the coverage of a supervision item ({{(.CoverageOf
// "依法行政").Month}} lists the squads covered this month); an item without
// coverage figures stops the document with the template's file and line.
func (d *MonthData) CoverageOf(item string) (report.Coverage, error) {
	for _, c := range d.F.Coverage {
		if c.Item == item {
			return c, nil
		}
	}
	return report.Coverage{}, fmt.Errorf("no coverage figures for the item %q", item)
}

// PrevValue is the quota's value in the previous month of the trend, nil
// when unknown (January, or no base last month).
func (d *MonthData) PrevValue(id string) *float64 {
	for _, p := range d.F.Trend {
		if p.Month == d.PrevMonth.String() {
			return p.Values[id]
		}
	}
	return nil
}
