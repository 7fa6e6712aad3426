package compose

import (
	"fmt"
	"strings"

	"bulletin/report"
)

// Keys of the evaluation indicators that compose words apart:
// abnormalIndicator's value is a number of abnormal cases per 100 cases
// (every other indicator's is a share); rectificationIndicator counts the
// overdue backlog as not on time (rules-interpretation 15).
const (
	abnormalIndicator      = "abnormal_cases"
	rectificationIndicator = "rectification_on_time"
)

// scoresAnnex is 附件1: the ranking, with every indicator's value and
// points for every squad, so that each score can be checked by hand, and
// how many indicators each was scored on.
func (b *builder) scoresAnnex(d *MonthData) report.Annex {
	ev := d.F.Evaluation
	a := report.Annex{Title: d.Month.Chinese() + "中队评价指标及得分明细", Landscape: true}
	b.prose(&a.Blocks, tmplAnnexScores, d)
	cols := []report.Column{col("排名", 0.6, report.AlignCenter), nameCol("中队")}
	for _, ind := range ev.Indicators {
		cols = append(cols, numCol(ind.Name), numCol(fmt.Sprintf("得分（%s分）", formatNum(ind.Weight))))
	}
	cols = append(cols, numCol("综合得分"), col("计分指标数", 0.8, report.AlignRight))
	t := b.table("中队评价指标明细", d.Month.Chinese()+"中队评价指标及得分", cols...)
	for _, s := range ev.Squads {
		row := []report.Cell{intCell(s.Rank), textCell(s.Squad)}
		for _, ind := range ev.Indicators {
			is := indicatorOf(s, ind.Key)
			row = append(row, indicatorValue(ind.Key, is), annexPoints(is))
		}
		t.Rows = append(t.Rows, append(row, decimalCell(s.Score), measuredCell(s, len(ev.Indicators))))
	}
	a.Blocks = append(a.Blocks, tableBlock(t))
	var remarks []string
	if len(d.PartlyScored) > 0 {
		remarks = append(remarks, fmt.Sprintf("%s本期有指标无可计量的对象（表中注“未抽查”等，“计分指标数”加粗），该项不计分，综合得分为已计分指标的得分之和除以这些指标的分值之和，折算为百分制",
			joinNames(d.PartlyScored)))
	}
	for _, ind := range ev.Indicators {
		if ind.Key == rectificationIndicator { // a squad on the overdue list cannot have its full points
			remarks = append(remarks, fmt.Sprintf("“%s”的应整改问题含此前逾期、至月底仍未整改的问题，有逾期未整改问题的中队整改前不能得满分", ind.Name))
		}
	}
	if len(remarks) > 0 {
		a.Blocks = append(a.Blocks, note("注："+strings.Join(remarks, "；")+"。"))
	}
	return a
}

// indicatorValue is an indicator's measured value, or its mark (未抽查).
func indicatorValue(key string, is report.IndicatorScore) report.Cell {
	switch {
	case !is.Measured || is.Value == nil:
		return report.Cell{Text: is.Note, Format: report.CellPercent, Empty: true}
	case key == abnormalIndicator:
		return decimalCell(*is.Value)
	}
	return pctCell(is.Value)
}

// annexPoints is an indicator's points; where it had nothing to measure,
// "—": the mark beside it (未抽查, 无到期问题) says why, once. Printed in
// both columns, the marks could not keep one line each in the fourteen
// columns of the 版心 (docs item 67).
func annexPoints(is report.IndicatorScore) report.Cell {
	c := pointsCell(is)
	if c.Empty {
		c.Text = dash
	}
	return c
}
