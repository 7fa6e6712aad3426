package compose

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"bulletin/report"
)

// QuotaView is a quota as the templates and tables see it: the figures'
// QuotaResult with its verdict as plain booleans and its target and result
// worded as the quota table prints them.
type QuotaView struct {
	report.QuotaResult
	// Met is true when the quota was due and met; it hides the pointer of
	// QuotaResult so that {{if .Met}} means what it says.
	Met bool
	// NotMet is true when the quota was due and not met.
	NotMet bool
	// NoBase is true when there was nothing to check (a rate's base is 0).
	NoBase bool
	// Value hides QuotaResult's so that {{pct .Value}} prints a rate
	// judged against its target on the target's side it stands on (0.98%,
	// not 1%, against ≥1%); nil when the denominator is 0.
	Value *report.Rate
	// TargetText is the target in words: ≥10%, 半年全覆盖, 每个中队≥10件.
	TargetText string
	// ActualText is the result in words: 37/300件, 5/15个中队, 3次, 已落实.
	ActualText string
	// Outcome is the result as a sentence says it after the quota's name:
	// 完成37/300件, 完成3次, but 未落实 for a meeting or report (not
	// 完成未落实).
	Outcome string
	// MakeUp says when a quota not met is made up, the same in every
	// section: 在下月工作中, 在2025年下半年优先.
	MakeUp string
	// Lagging are the squads keeping the quota behind its pace: below the
	// straight line of a per-squad quota, or not yet covered.
	Lagging []string
	// share is true when Value is a share worth printing as a percentage
	// (rates and squad coverage), false for counts and events.
	share bool
	// targetShare is true when TargetText is Target as a percentage.
	targetShare bool
}

// measure is what a quota counts, which decides how it is worded.
type measure int

const (
	measureRate   measure = iota // a share of cases or complaints
	measureSquads                // a share of the squads counted
	measureCount                 // a number of checks, at least MinCount
	measureEvent                 // a meeting held or a report submitted on time
)

// measureOf classifies a quota. Quotas with a 工作台账 matter are events;
// the ids of rules.md name their squad quotas ("squad" in the id); a minimum
// count without squads is a number of checks; the rest are rates.
// report/config refuses a matter or min_count on a quota whose formula does
// not read it, so that these fields say what report/metrics computes.
func measureOf(cfg *report.Config, q report.QuotaResult) measure {
	if c, ok := cfg.Quota(q.ID); ok && c.Matter != "" {
		return measureEvent
	}
	switch {
	case strings.Contains(q.ID, "squad"):
		return measureSquads
	case q.MinCount > 0:
		return measureCount
	}
	return measureRate
}

func quotaView(cfg *report.Config, q report.QuotaResult) QuotaView {
	v := QuotaView{
		QuotaResult: q,
		Met:         q.Due && q.Met != nil && *q.Met,
		NotMet:      q.Due && q.Met != nil && !*q.Met,
	}
	m := measureOf(cfg, q)
	v.share = m == measureRate || m == measureSquads
	if q.Value != nil {
		v.Value = &report.Rate{Share: *q.Value}
		if v.share {
			v.Value.Target = &q.Target
		}
	}
	v.NoBase = v.share && q.Denominator == 0
	v.TargetText, v.targetShare = targetText(cfg, q, m)
	v.ActualText = actualText(q, m, v.NoBase)
	v.Outcome = "完成" + v.ActualText
	switch {
	case v.NoBase:
		v.Outcome = report.StatusNoBase
	case m == measureEvent:
		v.Outcome = v.ActualText
	}
	return v
}

// Word words ex's quota as the documents do, for explain and the
// console's explanation page; cfg is the plan of ex's year.
func Word(cfg *report.Config, ex *report.Explanation) {
	v := quotaView(cfg, ex.Quota)
	ex.Target, ex.Result, ex.Rate = v.TargetText, v.ActualText, ""
	if v.share {
		ex.Rate, _ = pct(v.Value)
	}
}

func quotaViews(cfg *report.Config, qs []report.QuotaResult) QuotaList {
	out := make(QuotaList, len(qs))
	for i, q := range qs {
		out[i] = quotaView(cfg, q)
	}
	return out
}

// targetText words the target; share is true when the words are the
// target as a percentage (≥10%, 100%), which the workbook stores as a number.
func targetText(cfg *report.Config, q report.QuotaResult, m measure) (text string, share bool) {
	switch m {
	case measureEvent:
		if c, _ := cfg.Quota(q.ID); c.DueDay > 0 {
			return fmt.Sprintf("每月%d日前报送", c.DueDay), false
		}
		return windowWord(q.Window) + "1次", false
	case measureCount:
		return fmt.Sprintf("%s≥%d次", windowWord(q.Window), q.MinCount), false
	case measureSquads:
		switch {
		case q.MinCount > 0:
			return fmt.Sprintf("每个中队≥%d件", q.MinCount), false
		case q.Window == report.WindowHalf && q.Target >= 1:
			return "半年全覆盖", false
		case q.Window == report.WindowYear && q.Target >= 1:
			return "全年全覆盖", false
		}
	}
	s := report.Percent(q.Target)
	if q.Target < 1 {
		s = "≥" + s
	}
	return s, true
}

func windowWord(window string) string {
	switch window {
	case report.WindowHalf:
		return "每半年"
	case report.WindowYear:
		return "每年"
	}
	return "每月"
}

func actualText(q report.QuotaResult, m measure, noBase bool) string {
	switch {
	case noBase:
		return dash
	case m == measureEvent && q.Numerator > 0:
		return "已落实"
	case m == measureEvent && !q.Due:
		return "尚未开展" // a half's meeting in a month before its last: not yet a failure
	case m == measureEvent:
		return "未落实"
	case m == measureCount:
		return strconv.Itoa(q.Numerator) + "次"
	case m == measureSquads:
		return fmt.Sprintf("%d/%d个中队", q.Numerator, q.Denominator)
	}
	return fmt.Sprintf("%d/%d件", q.Numerator, q.Denominator)
}

// QuotaList is a list of quotas; .Names gives their names for join.
type QuotaList []QuotaView

// Names lists the quotas' names.
func (l QuotaList) Names() []string {
	out := make([]string, len(l))
	for i, q := range l {
		out[i] = q.Name
	}
	return out
}

// MakeUpGroup is quotas to be made up by the same time.
type MakeUpGroup struct {
	MakeUp string // 在下月工作中, 在2025年下半年优先
	Quotas QuotaList
}

// ByMakeUp groups the quotas by when they are to be made up, in their
// order: {{range .Unmet.ByMakeUp}} says each time once.
func (l QuotaList) ByMakeUp() []MakeUpGroup {
	var out []MakeUpGroup
	for _, q := range l {
		i := slices.IndexFunc(out, func(g MakeUpGroup) bool { return g.MakeUp == q.MakeUp })
		if i < 0 {
			i = len(out)
			out = append(out, MakeUpGroup{MakeUp: q.MakeUp})
		}
		out[i].Quotas = append(out[i].Quotas, q)
	}
	return out
}

// filter keeps the quotas for which keep is true.
func (l QuotaList) filter(keep func(QuotaView) bool) QuotaList {
	var out QuotaList
	for _, q := range l {
		if keep(q) {
			out = append(out, q)
		}
	}
	return out
}

// quotaCells are the cells that describe a quota in any quota table:
// 指标, 目标, 完成情况, 完成率 (a share only for rates and coverage), 状态.
// The PDF prints the target and the result in words (≥10%, 37/300件); the
// workbook has them as numbers to compute with: the target as a share
// (blank for a meeting held or a count), the requirement in words beside it
// when it is not a share (半年全覆盖), numerator and denominator apart.
func quotaCells(q QuotaView) []report.Cell {
	rate := report.Cell{Text: dash, Format: report.CellPercent, Empty: true}
	if q.share {
		rate = rateCell(q.Value)
	}
	target := report.Cell{Format: report.CellPercent, Empty: true}
	if q.share || q.targetShare {
		target = report.Cell{Text: q.TargetText, Number: q.Target, Format: report.CellPercent}
	}
	requirement := textCell("")
	if !q.targetShare {
		requirement = textCell(q.TargetText)
	}
	return []report.Cell{textCell(q.Name), textCell(q.TargetText), target, requirement,
		textCell(q.ActualText), intCell(q.Numerator), intCell(q.Denominator), rate, statusCell(q.Status)}
}

func quotaCellColumns() []report.Column {
	printed := func(c report.Column) report.Column { c.Only = report.PrintOnly; return c }
	sheet := func(c report.Column) report.Column { c.Only = report.WorkbookOnly; return c }
	return []report.Column{col("指标", 2.6, report.AlignLeft),
		printed(col("目标", 1.4, report.AlignCenter)), sheet(numCol("目标值")), sheet(col("目标要求", 1.4, report.AlignLeft)),
		printed(col("完成情况", 1.5, report.AlignCenter)), sheet(numCol("分子")), sheet(numCol("分母")),
		col("完成率", 1, report.AlignRight), col("状态", 1, report.AlignCenter)}
}

// quotaRow is one line of a bulletin quota table: 序号, 监督事项, the quota
// cells, and tail (责任科室 or the squads missing).
func quotaRow(i int, q QuotaView, tail string) []report.Cell {
	cells := quotaCells(q)
	for j := range cells {
		cells[j].Explain = q.ID
	}
	row := append([]report.Cell{seq(i), textCell(q.Item)}, cells...)
	return append(row, textCell(tail))
}

// quotaColumns are a bulletin quota table's columns; tail is the last
// one's, printed only when tailPrinted (the departments of every quota are
// for the workbook, the text names those of the quotas not met).
func quotaColumns(tail string, tailPrinted bool) []report.Column {
	cols := append([]report.Column{seqCol(), col("监督事项", 1.3, report.AlignLeft)}, quotaCellColumns()...)
	last := col(tail, 2.4, report.AlignLeft)
	if !tailPrinted {
		last.Only = report.WorkbookOnly
	}
	return append(cols, last)
}
