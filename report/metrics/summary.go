package metrics

import (
	"fmt"
	"slices"
	"strings"

	"bulletin/report"
)

// departments is the scorecard: per configured department, the due quotas
// it is responsible for and how many were met. 各中队 is not a department.
func (c *calc) departments(quotas []report.QuotaResult) []report.DepartmentFigures {
	out := make([]report.DepartmentFigures, 0, len(c.cfg.Departments))
	for _, d := range c.cfg.Departments {
		df := report.DepartmentFigures{Name: d.Name, Unmet: []string{}}
		for _, r := range quotas {
			if !r.Due || !slices.Contains(r.Departments, d.Name) {
				continue
			}
			df.QuotasDue++
			if r.Met != nil && *r.Met {
				df.QuotasMet++
			} else {
				df.Unmet = append(df.Unmet, r.ID)
			}
		}
		out = append(out, df)
	}
	return out
}

// trend is, for every month of the year through the last of year, the
// value of each month-window quota and the case-file pass rate as that
// month's bulletin showed them (Issued), not as the later months' data,
// with its late records, would count them again.
func trend(year []Issued) []report.TrendPoint {
	var out []report.TrendPoint
	for _, m := range year {
		values := map[string]*float64{report.TrendPassRate: m.PassRate}
		for _, r := range m.Quotas {
			if r.Window == report.WindowMonth {
				values[r.ID] = r.Value
			}
		}
		out = append(out, report.TrendPoint{Month: m.Month.String(), Values: values})
	}
	return out
}

// halfSummary is the half's quotas, and in December the year's, now due.
func halfSummary(h report.Half, quotas []report.QuotaResult) *report.HalfSummary {
	hs := &report.HalfSummary{Half: h.String(), Quotas: []report.QuotaResult{}}
	for _, r := range quotas {
		if r.Window == report.WindowHalf || (r.Window == report.WindowYear && r.Due) {
			hs.Quotas = append(hs.Quotas, r)
		}
	}
	return hs
}

// reminders are the next month's tasks after month at: per half coverage
// quota, the counted squads not yet covered and how many must be covered
// in each remaining month; in a half's last month, the next half's
// coverage instead (from none, the squads this half missed first); a
// half's held-once quota not yet held; the squads behind the annual pace
// of a per-squad year quota.
func (c *calc) reminders(at report.Month) []report.Reminder {
	out := []report.Reminder{}
	half := at.Half()
	monthsLeft := half.Last().Index() - at.Index()
	for _, q := range c.cfg.Plan.Quotas {
		r, m := c.evaluate(q, at)
		kind := formulas[q.ID].kind
		switch {
		case q.Window == report.WindowHalf && kind == coverageKind && monthsLeft == 0:
			out = append(out, c.nextHalfReminder(q, half, r.Missing))
		case q.Window == report.WindowHalf && kind == coverageKind && len(r.Missing) > 0:
			per := ceilDiv(len(r.Missing), monthsLeft)
			out = append(out, report.Reminder{Kind: report.ReminderCoverage, Item: q.Item, QuotaID: q.ID, Half: half.String(),
				Squads: r.Missing, PerMonth: per, MonthsLeft: monthsLeft,
				Text: fmt.Sprintf("%s：%s尚有%d个中队未覆盖（%s），剩余%d个月每月至少覆盖%d个", q.Item, half.Chinese(), len(r.Missing), strings.Join(r.Missing, "、"), monthsLeft, per)})
		case q.Window == report.WindowHalf && kind == heldKind && r.Numerator == 0 && monthsLeft > 0:
			out = append(out, report.Reminder{Kind: report.ReminderHeld, Item: q.Item, QuotaID: q.ID, Half: half.String(),
				Squads: []string{}, MonthsLeft: monthsLeft,
				Text: fmt.Sprintf("%s尚未开展%s，须在%s底前完成", half.Chinese(), q.Name, half.Last().Chinese())})
		case q.Window == report.WindowYear && kind == perSquadKind && at.Month < 12:
			if rem, ok := c.paceReminder(q, at, m); ok {
				out = append(out, rem)
			}
		}
	}
	return out
}

// nextHalfReminder is a half coverage quota's task for the half after
// ending: every counted squad, over its six months; missed are the squads
// ending left uncovered, to come first.
func (c *calc) nextHalfReminder(q report.Quota, ending report.Half, missed []string) report.Reminder {
	next := ending.Last().Add(1).Half()
	months := len(next.Months())
	per := ceilDiv(len(c.counted), months)
	text := fmt.Sprintf("%s：%s须覆盖全部%d个中队，每月至少覆盖%d个", q.Item, next.Chinese(), len(c.counted), per)
	if len(missed) > 0 {
		text += fmt.Sprintf("，%s未覆盖的%s优先安排", ending.Chinese(), strings.Join(missed, "、"))
	}
	return report.Reminder{Kind: report.ReminderNextHalf, Item: q.Item, QuotaID: q.ID, Half: next.String(),
		Squads: slices.Clone(c.counted), Carried: missed, PerMonth: per, MonthsLeft: months, Text: text}
}

// paceReminder names the counted squads below the straight line of a
// per-squad year quota: ceil(min_count × months elapsed / 12). PerMonth is
// what the furthest-behind squad must average over the remaining months.
func (c *calc) paceReminder(q report.Quota, at report.Month, m measure) (report.Reminder, bool) {
	pace := ceilDiv(m.need*int(at.Month), 12)
	monthsLeft := 12 - int(at.Month)
	rem := report.Reminder{Kind: report.ReminderPace, Item: q.Item, QuotaID: q.ID, Half: at.Half().String(), MonthsLeft: monthsLeft}
	var named []string
	for _, sq := range c.counted {
		if n := m.perSquad[sq]; n < pace {
			rem.Squads = append(rem.Squads, sq)
			named = append(named, fmt.Sprintf("%s（%d）", sq, n))
			rem.PerMonth = max(rem.PerMonth, ceilDiv(m.need-n, monthsLeft))
		}
	}
	if len(rem.Squads) == 0 {
		return rem, false
	}
	rem.Text = fmt.Sprintf("%s：以下中队低于进度（截至%s应达到%d，全年不少于%d）：%s", q.Name, at.Chinese(), pace, m.need, strings.Join(named, "、"))
	return rem, true
}
