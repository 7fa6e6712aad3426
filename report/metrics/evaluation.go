package metrics

import (
	"cmp"
	"fmt"
	"math/big"
	"slices"
	"strconv"

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

// indicator is one scored measurement of a squad over a span, num/den: a
// share in 0..1, or for the abnormal cases a number per 100 cases. ok is
// false when there was nothing to measure.
type indicator struct {
	num, den int
	ok       bool
}

func share(num, den int) indicator { return indicator{num, den, den != 0} }

func (m indicator) value() float64 { return float64(m.num) / float64(m.den) }

func (c *calc) indicatorDefs() []report.IndicatorDef {
	e := c.cfg.Plan.Evaluation
	return []report.IndicatorDef{
		{Key: IndicatorPassRate, Name: "案卷合格率", Weight: e.PassRate,
			Rule: "本期抽查的案卷中，结论为合格或基本合格的件数占抽查件数的比例；得分为分值乘以合格率。本期没有案卷被抽查的中队，此项记为“未抽查”，不计分。"},
		{Key: IndicatorRectification, Name: "问题按期整改率", Weight: e.RectificationOnTime,
			Rule: "按发现问题数计，整改期限在本期内的问题，加上整改期限在本期之前、到期末仍未整改的逾期问题，为应整改问题；其中在整改期限当日或之前整改完毕的（已整改但未填整改完成日期的视为按期）为按期整改问题；按期整改率为两者之比，得分为分值乘以按期整改率。逾期未整改的问题每期都计入应整改问题，直到整改完毕。本期没有应整改问题的中队，此项记为“无到期问题”，不计分。"},
		{Key: IndicatorWeekly, Name: "每周督察记录完整率", Weight: e.WeeklyRecords,
			Rule: "本期各周（周一至周日，跨月的周归入其周四所在的月份）中，有中队督察记录的周数占本期周数的比例；得分为分值乘以完整率。"},
		{Key: IndicatorComplaintDuty, Name: "诉件抽查履职到位率", Weight: e.ComplaintDuty,
			Rule: "本期抽查并已有结论的诉件中，结论为履职到位的件数占比；得分为分值乘以到位率。本期没有诉件抽查结论的中队，此项记为“未抽查”，不计分。"},
		{Key: IndicatorAbnormal, Name: "异常案件（每百件）", Weight: e.AbnormalCases,
			Rule: fmt.Sprintf("本期立案或结案的案件中，带有异常类型的案件每百件有几件；每百件0件得满分，达到%s件及以上得0分，其间按件数比例递减（每百件%s件得一半分值）。本期没有立案或结案案件的中队，此项记为“无案件”，不计分。",
				formatCount(e.AbnormalZeroPointsAt), formatCount(e.AbnormalZeroPointsAt/2))},
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
			IndicatorPassRate:      share(passed(v)),
			IndicatorRectification: share(t.onTime, t.due),
			IndicatorWeekly:        share(covered[sq.Name], weeks),
			IndicatorComplaintDuty: share(t.done, t.concluded),
			IndicatorAbnormal:      share(t.withAbnormal*100, t.handled),
		}
	}
	return out
}

// formatCount prints a configured number as the rules word it: 10, 2.5.
func formatCount(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// unmeasured is how the documents mark an indicator with nothing to
// measure for a squad: it is left out of the squad's score, not given its
// points (rules-interpretation 60).
var unmeasured = map[string]string{
	IndicatorPassRate:      "未抽查",
	IndicatorRectification: "无到期问题",
	IndicatorWeekly:        "无周次",
	IndicatorComplaintDuty: "未抽查",
	IndicatorAbnormal:      "无案件",
}

// points are an indicator's points: its weight times the share measured
// (for the abnormal cases, what is left of the weight at that many per 100),
// rounded half up to 2 decimals in exact arithmetic, as is the score: in
// floating point 57.87/60×100 is 96.4499…, and 96.45 became 96.4.
func (c *calc) points(d report.IndicatorDef, m indicator) *big.Rat {
	share := big.NewRat(int64(m.num), int64(m.den))
	if d.Key == IndicatorAbnormal {
		share.Quo(share, report.Decimal(c.cfg.Plan.Evaluation.AbnormalZeroPointsAt))
		share.Sub(big.NewRat(1, 1), share)
		if share.Sign() < 0 {
			share.SetInt64(0)
		}
	}
	return report.RoundHalfUp(share.Mul(share, report.Decimal(d.Weight)), 2)
}

func toFloat(r *big.Rat) float64 {
	f, _ := r.Float64()
	return f
}

// evaluation scores every configured squad over the span and ranks them:
// best first, equal scores share a rank and keep the configured order. A
// squad's score is the points of the indicators measured for it over their
// weights, on a 100-point scale: an indicator with nothing to measure
// neither gives nor costs points.
func (c *calc) evaluation(s span) report.Evaluated {
	defs := c.indicatorDefs()
	ev := report.Evaluated{Indicators: defs}
	measuredSquads := c.measureSquads(s)
	for _, sq := range c.cfg.Squads {
		measured := measuredSquads[sq.Name]
		score := report.SquadScore{Squad: sq.Name}
		points, weights := new(big.Rat), new(big.Rat)
		for _, d := range defs {
			m := measured[d.Key]
			is := report.IndicatorScore{Key: d.Key, Measured: m.ok}
			if !m.ok {
				is.Note = unmeasured[d.Key]
				score.Indicators = append(score.Indicators, is)
				continue
			}
			p := c.points(d, m)
			points.Add(points, p)
			weights.Add(weights, report.Decimal(d.Weight))
			value, pf := m.value(), toFloat(p)
			is.Value, is.Points = &value, &pf
			score.Measured++
			score.WeightMeasured += d.Weight
			score.Indicators = append(score.Indicators, is)
		}
		if weights.Sign() > 0 {
			s := points.Quo(points, weights)
			s.Mul(s, big.NewRat(100, 1))
			if s.Cmp(big.NewRat(100, 1)) > 0 {
				s.SetInt64(100)
			}
			score.Score = toFloat(report.RoundHalfUp(s, 1))
		}
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
