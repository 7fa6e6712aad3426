package compose

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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
	// IncompleteQuotas are the quotas computed from them.
	IncompleteQuotas QuotaList
	// MissingMonths are the month folders the reading lacked, as
	// 2025年4月: the figures counting those months are incomplete.
	MissingMonths []string

	F       *report.Figures
	Quality *report.Quality // nil when the run gave none
	// QualityClean is true when every row was usable. The bulletin does
	// not say so (it goes to the city bureau); the data-quality report and
	// the operator's review mail do.
	QualityClean bool

	Quotas     QuotaList // every quota of the month, in the figures' order
	Due        QuotaList // the quotas due this month
	Met        QuotaList // due and met
	Unmet      QuotaList // due and not met
	Behind     QuotaList // not yet due and behind the straight line
	HalfQuotas QuotaList // the half's quotas now due (June and December)
	HalfMet    QuotaList // those of them met
	HalfUnmet  QuotaList // those of them not met
	// MakeUpNext are the quotas not met this month that no reminder of
	// 八 already asks to make up (a half's coverage is in the next half's
	// reminder, with the squads it missed first).
	MakeUpNext QuotaList

	FailSquads     []string       // squads with 不合格 case files this month
	AbnormalSquads []report.Count // squads by abnormal cases, most first
	OverdueSquads  []string       // squads of the overdue list, in its order
	// PartlyScored are the squads scored on fewer indicators than defined
	// (an indicator with nothing to measure is left out), in ranking order.
	PartlyScored []string

	// Workbook is the file name of the bulletin's workbook, where the
	// detail tables the PDF leaves out are.
	Workbook string

	// CoveredAll are the items that have covered every squad this half;
	// CoverageGaps the others, those missing the same squads together.
	CoveredAll   []string
	CoverageGaps []CoverageGap

	// ReminderGroups are .F.Reminders with what repeats said once: the
	// next half's coverage of every item in one group, this half's gaps in
	// another.
	ReminderGroups []ReminderGroup

	byID map[string]QuotaView
	cfg  *report.Config // with the plan in force in Month
}

// CoverageGap is items that have not covered the same squads this half.
type CoverageGap struct {
	Items   []string
	Covered int      // squads covered this half
	Missing []string // squads not yet covered, every one
}

// ReminderGroup is reminders of one kind and one half said together:
// {{join .Items}}须覆盖全部中队…
type ReminderGroup struct {
	Kind       string // the report.Reminder* kind
	Half       report.Half
	MonthsLeft int
	// PerMonth and Squads are the group's when they are the same for
	// every reminder in it (next_half); else see each of Reminders.
	PerMonth    int
	Squads      int
	Items       []string
	Reminders   []report.Reminder
	Quotas      QuotaList // the quota behind each reminder, in order
	Departments []string  // of the quotas, each once
}

func monthData(cfg *report.Config, fig *report.Figures, q *report.Quality) (*MonthData, error) {
	m, err := report.ParseMonth(fig.Month)
	if err != nil {
		return nil, report.Errorf(report.KindRender, "figures: month: %v", err)
	}
	if cfg, err = cfg.ForMonth(m); err != nil { // the quotas are worded as the plan in force sets them
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
		cfg:          cfg,
	}
	for _, qv := range d.Quotas {
		d.byID[qv.ID] = qv
	}
	d.IncompleteQuotas = d.Quotas.filter(func(q QuotaView) bool { return slices.Contains(fig.IncompleteQuotas, q.ID) })
	for _, s := range fig.MissingMonths {
		missing, err := report.ParseMonth(s)
		if err != nil {
			return nil, report.Errorf(report.KindRender, "figures: missing_months: %v", err)
		}
		d.MissingMonths = append(d.MissingMonths, missing.Chinese())
	}
	if fig.HalfSummary != nil {
		d.HalfQuotas = quotaViews(cfg, fig.HalfSummary.Quotas)
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
	for _, s := range fig.Evaluation.Squads {
		if s.Measured < len(fig.Evaluation.Indicators) {
			d.PartlyScored = append(d.PartlyScored, s.Squad)
		}
	}
	d.Workbook = WorkbookName(m)
	d.CoveredAll, d.CoverageGaps = coverageGaps(fig.Coverage)
	if d.ReminderGroups, err = d.reminderGroups(); err != nil {
		return nil, err
	}
	for i := range d.Quotas {
		d.Quotas[i].MakeUp = makeUp(d.Quotas[i], d)
		d.Quotas[i].Lagging = d.lagging(d.Quotas[i])
		d.byID[d.Quotas[i].ID] = d.Quotas[i]
	}
	for i := range d.HalfQuotas {
		d.HalfQuotas[i].MakeUp = makeUp(d.HalfQuotas[i], d)
		d.HalfQuotas[i].Lagging = d.lagging(d.HalfQuotas[i])
	}
	d.Due = d.Quotas.filter(func(q QuotaView) bool { return q.Due && q.Status != report.StatusNotDue })
	d.Met = d.Quotas.filter(func(q QuotaView) bool { return q.Met })
	d.Unmet = d.Quotas.filter(func(q QuotaView) bool { return q.NotMet })
	d.Behind = d.Quotas.filter(func(q QuotaView) bool { return q.Status == report.StatusBehind })
	d.MakeUpNext = d.Unmet.filter(func(q QuotaView) bool {
		return !slices.ContainsFunc(fig.Reminders, func(r report.Reminder) bool { return r.QuotaID == q.ID })
	})
	if fig.HalfSummary != nil {
		d.HalfMet = d.HalfQuotas.filter(func(q QuotaView) bool { return q.Met })
		d.HalfUnmet = d.HalfQuotas.filter(func(q QuotaView) bool { return q.NotMet })
	}
	return d, nil
}

// WorkbookName is the file name of month m's bulletin workbook.
func WorkbookName(m report.Month) string {
	return fmt.Sprintf("月报数据-%d年%02d月.xlsx", m.Year, int(m.Month))
}

// makeUp says when a quota not met is to be made up, the same in every
// section: a month's quota next month, a half's in the next half, a
// year's next year.
func makeUp(q QuotaView, d *MonthData) string {
	switch q.Window {
	case report.WindowHalf:
		if q.Due {
			return "在" + d.NextHalf.Chinese() + "优先"
		}
		return "在" + d.Half.Chinese() + "内"
	case report.WindowYear:
		if q.Due {
			return fmt.Sprintf("在%d年优先", d.Month.Year+1)
		}
		return fmt.Sprintf("在%d年内", d.Month.Year)
	}
	return "在下月工作中"
}

// lagging are the squads that keep a quota behind its pace: for a
// per-squad year quota those below the straight line (the pace
// reminder's), for a coverage quota every squad not yet covered.
func (d *MonthData) lagging(q QuotaView) []string {
	for _, r := range d.F.Reminders {
		if r.QuotaID == q.ID && r.Kind == report.ReminderPace {
			return r.Squads
		}
	}
	if q.MinCount > 0 {
		return nil
	}
	return q.Missing
}

// coverageGaps splits the items into those that have covered every squad
// this half and those that have not, grouping items missing the same
// squads.
func coverageGaps(cov []report.Coverage) (all []string, gaps []CoverageGap) {
	index := map[string]int{}
	for _, c := range cov {
		if len(c.HalfMissing) == 0 {
			all = append(all, c.Item)
			continue
		}
		key := strings.Join(c.HalfMissing, "、")
		i, ok := index[key]
		if !ok {
			i = len(gaps)
			index[key] = i
			gaps = append(gaps, CoverageGap{Covered: len(c.Half), Missing: c.HalfMissing})
		}
		gaps[i].Items = append(gaps[i].Items, c.Item)
	}
	return all, gaps
}

// reminderGroups gathers the reminders: the next half's coverage of items
// with the same pace in one group, this half's coverage gaps in one, the
// tasks not yet held in one, each pace reminder alone.
func (d *MonthData) reminderGroups() ([]ReminderGroup, error) {
	var groups []ReminderGroup
	index := map[string]int{}
	for _, r := range d.F.Reminders {
		h, err := report.ParseHalf(r.Half)
		if err != nil {
			return nil, report.Errorf(report.KindRender, "figures: reminder %s: half: %v", r.QuotaID, err)
		}
		q, ok := d.byID[r.QuotaID]
		if !ok {
			return nil, report.Errorf(report.KindRender, "figures: reminder for quota %q, which is not in the figures", r.QuotaID)
		}
		key := r.Kind + r.Half
		switch r.Kind {
		case report.ReminderNextHalf:
			key += fmt.Sprintf("/%d/%d", r.PerMonth, len(r.Squads))
		case report.ReminderPace:
			key += r.QuotaID
		}
		i, seen := index[key]
		if !seen {
			i = len(groups)
			index[key] = i
			groups = append(groups, ReminderGroup{Kind: r.Kind, Half: h, MonthsLeft: r.MonthsLeft, PerMonth: r.PerMonth, Squads: len(r.Squads)})
		}
		g := &groups[i]
		if !slices.Contains(g.Items, r.Item) {
			g.Items = append(g.Items, r.Item)
		}
		g.Reminders = append(g.Reminders, r)
		g.Quotas = append(g.Quotas, q)
		for _, dep := range q.Departments {
			if !slices.Contains(g.Departments, dep) {
				g.Departments = append(g.Departments, dep)
			}
		}
	}
	return groups, nil
}

// Quota is the quota with the given id ({{with .Quota "lawful.case_sample_rate"}});
// an unknown id stops the document with the template's file and line.
func (d *MonthData) Quota(id string) (QuotaView, error) {
	q, ok := d.byID[id]
	if !ok {
		return QuotaView{}, fmt.Errorf("没有“%s”这个指标编号%s（指标编号见 templates/README.md 第五部分）", id, nearestHint(id, d.quotaIDs()))
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
	return report.Coverage{}, fmt.Errorf("没有“%s”这个监督事项的覆盖情况（监督事项的名称见 config.toml 的 [[items]]）", item)
}

// PrevValue is the quota's value in the previous month of the trend, nil
// when unknown (January, or no base last month); judged against the
// quota's target, as the trend chart prints it, so that change words the
// move between the numbers printed.
func (d *MonthData) PrevValue(id string) *report.Rate {
	for _, p := range d.F.Trend {
		if v := p.Values[id]; p.Month == d.PrevMonth.String() && v != nil {
			r := &report.Rate{Share: *v}
			if q, ok := d.byID[id]; ok && q.Value != nil {
				r.Target = q.Value.Target
			}
			return r
		}
	}
	return nil
}
