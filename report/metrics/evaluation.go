package metrics

import (
	"cmp"
	"fmt"
	"slices"

	"bulletin/report"
)

// Keys of the squad-evaluation indicators, as in config.toml's [evaluation].
const (
	IndicatorPassRate      = "pass_rate"
	IndicatorRectification = "rectification_on_time"
	IndicatorWeekly        = "weekly_records"
	IndicatorComplaintDuty = "complaint_duty"
	IndicatorAbnormal      = "abnormal_cases"
)

// indicator is one scored measurement of a squad over a span: a share in
// 0..1, or for the abnormal cases a number per 100 cases. ok is false when
// there was nothing to measure.
type indicator struct {
	value float64
	ok    bool
}

func share(num, den int) indicator {
	if den == 0 {
		return indicator{}
	}
	return indicator{float64(num) / float64(den), true}
}

func (c *calc) indicatorDefs() []report.IndicatorDef {
	e := c.cfg.Plan.Evaluation
	return []report.IndicatorDef{
		{Key: IndicatorPassRate, Name: "案卷合格率", Weight: e.PassRate,
			Rule: "本期抽查明细中类型为案卷、抽查日期在本期的记录里，结论为合格或基本合格的件数 ÷ 全部件数；得分 = 权重 × 合格率。本期没有案卷被抽查的中队得满分。"},
		{Key: IndicatorRectification, Name: "问题按期整改率", Weight: e.RectificationOnTime,
			Rule: "监督检查发现的问题中（按发现问题数计），整改期限在本期内的问题，加上整改期限在本期之前、到期末仍未整改的逾期问题，为分母；其中整改期限在本期内、在期限当日或之前已整改的为分子（已整改但未填整改完成日期的视为按期）；得分 = 权重 × 按期整改率。逾期未整改的问题每期都计入分母，直到整改为止。本期没有到期整改问题、也没有逾期未整改问题的中队得满分。"},
		{Key: IndicatorWeekly, Name: "每周督察记录完整率", Weight: e.WeeklyRecords,
			Rule: "本期的周（周一至周日，每周归属其周四所在的月份）中，有至少一条中队督察记录的周数 ÷ 本期周数；得分 = 权重 × 完整率。"},
		{Key: IndicatorComplaintDuty, Name: "诉件抽查履职到位率", Weight: e.ComplaintDuty,
			Rule: "抽查日期在本期、已有抽查结论的诉件中，结论为履职到位的件数 ÷ 全部件数；得分 = 权重 × 到位率。本期没有诉件抽查结论的中队得满分。"},
		{Key: IndicatorAbnormal, Name: "异常案件（每百件）", Weight: e.AbnormalCases,
			Rule: fmt.Sprintf("立案日期或结案日期在本期内的案件中，带有异常类型的件数 × 100 ÷ 这些案件总数，即每百件案件中的异常件数；得分 = 权重 × max(0, 1 − 每百件异常数 ÷ %g)，每百件达到%g件时得0分。本期没有立案或结案案件的中队得满分。", e.AbnormalZeroPointsAt, e.AbnormalZeroPointsAt)},
	}
}

// tally is what a squad's indicators count over a span.
type tally struct {
	caseFiles             []*report.Sample
	due, onTime           int // problems
	concluded, done       int // sampled complaints
	handled, withAbnormal int // cases
}

// measureSquads measures every squad's five indicators over the span,
// keyed as the IndicatorDefs, in one pass over each export.
func (c *calc) measureSquads(s span) map[string]map[string]indicator {
	end := s.end()
	tallies := map[string]*tally{}
	of := func(squad string) *tally {
		t := tallies[squad]
		if t == nil {
			t = &tally{}
			tallies[squad] = t
		}
		return t
	}
	for _, smp := range c.samplesIn(report.CaseFile, s) {
		t := of(smp.Squad)
		t.caseFiles = append(t.caseFiles, smp)
	}
	// Due: the problems due in the span, and the backlog due before it and
	// still overdue at its end, which is not on time until rectified.
	for i := range c.ds.Inspections {
		in := &c.ds.Inspections[i]
		if in.Problems == 0 || in.Date.After(end) {
			continue
		}
		switch {
		case s.contains(in.Deadline):
			t := of(in.Squad)
			t.due += in.Problems
			if rectifiedBy(in, end) && rectifiedOnTime(in) {
				t.onTime += in.Problems
			}
		case overdueAt(in, end):
			of(in.Squad).due += in.Problems
		}
	}
	for _, i := range c.ix.sampled.in(s) {
		switch cp := &c.ds.Complaints[i]; cp.Finding {
		case report.DutyDone:
			t := of(cp.Squad)
			t.concluded++
			t.done++
		case report.DutyFailed:
			of(cp.Squad).concluded++
		}
	}
	for i := range c.ds.Cases {
		cs := &c.ds.Cases[i]
		if !handledIn(cs, s) {
			continue
		}
		t := of(cs.Squad)
		t.handled++
		if len(abnormalTypes(cs)) > 0 {
			t.withAbnormal++
		}
	}
	weeks, covered, _ := c.weeksCovered(s)

	out := map[string]map[string]indicator{}
	for _, sq := range c.cfg.Squads {
		t := of(sq.Name)
		v := verdicts(t.caseFiles)
		out[sq.Name] = map[string]indicator{
			IndicatorPassRate:      {value: valueOr(v.PassRate), ok: v.PassRate != nil},
			IndicatorRectification: share(t.onTime, t.due),
			IndicatorWeekly:        share(covered[sq.Name], weeks),
			IndicatorComplaintDuty: share(t.done, t.concluded),
			IndicatorAbnormal:      share(t.withAbnormal*100, t.handled),
		}
	}
	return out
}

func valueOr(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// nothingToMeasure is the note of an indicator that gave full points.
var nothingToMeasure = map[string]string{
	IndicatorPassRate:      "本期无案卷抽查，得满分",
	IndicatorRectification: "本期无到期整改问题，也无逾期未整改问题，得满分",
	IndicatorWeekly:        "本期无周次，得满分",
	IndicatorComplaintDuty: "本期无诉件抽查结论，得满分",
	IndicatorAbnormal:      "本期无立案或结案案件，得满分",
}

// evaluation scores every configured squad over the span and ranks them:
// best first, equal scores share a rank and keep the configured order.
func (c *calc) evaluation(s span) report.Evaluated {
	defs := c.indicatorDefs()
	ev := report.Evaluated{Indicators: defs}
	measuredSquads := c.measureSquads(s)
	for _, sq := range c.cfg.Squads {
		measured := measuredSquads[sq.Name]
		score := report.SquadScore{Squad: sq.Name}
		total := 0.0
		for _, d := range defs {
			m := measured[d.Key]
			is := report.IndicatorScore{Key: d.Key}
			switch {
			case !m.ok:
				is.Points = d.Weight
				is.Note = nothingToMeasure[d.Key]
			case d.Key == IndicatorAbnormal:
				is.Value = &m.value
				is.Points = d.Weight * max(0, 1-m.value/c.cfg.Plan.Evaluation.AbnormalZeroPointsAt)
			default:
				is.Value = &m.value
				is.Points = d.Weight * m.value
			}
			is.Points = round(is.Points, 2)
			total += is.Points
			score.Indicators = append(score.Indicators, is)
		}
		score.Score = round(total, 1)
		ev.Squads = append(ev.Squads, score)
	}
	slices.SortStableFunc(ev.Squads, func(a, b report.SquadScore) int { return cmp.Compare(b.Score, a.Score) })
	for i := range ev.Squads {
		if i > 0 && ev.Squads[i].Score == ev.Squads[i-1].Score {
			ev.Squads[i].Rank = ev.Squads[i-1].Rank
		} else {
			ev.Squads[i].Rank = i + 1
		}
	}
	return ev
}
