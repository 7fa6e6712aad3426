package sample

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

type ledgerRow struct {
	item   string
	dept   string
	date   day
	period string
}

// The ways 所属期间 is written; periodOfDate leaves it empty (the period is
// then the month of 完成日期).
const (
	periodOfDate = iota
	periodISO    // 2025-05
	periodCN     // 2025年5月
)

func periodText(m month, form int) string {
	switch form {
	case periodISO:
		return m.String()
	case periodCN:
		return m.chinese()
	}
	return ""
}

func halfText(year int, second, chinese bool) string {
	switch {
	case chinese && second:
		return fmt.Sprintf("%d年下半年", year)
	case chinese:
		return fmt.Sprintf("%d年上半年", year)
	case second:
		return fmt.Sprintf("%d-H2", year)
	}
	return fmt.Sprintf("%d-H1", year)
}

// onWorkday moves d forward to a Monday-to-Friday.
func onWorkday(d day) day {
	for !d.workday() {
		d++
	}
	return d
}

func workdayBetween(r *rand.Rand, m month, from, to int) day {
	for {
		if d := m.dayN(from + r.IntN(to-from+1)); d.workday() {
			return d
		}
	}
}

// ledger is the 工作台账 of the meetings held and materials submitted in m,
// with the story's gaps: no 案卷质量讲评会 in July, March's 月度工作总结和计划
// submitted on April 9 (late), no 强转树动态信息 in September, November's
// submitted in December, the 自查报告（重大法核）of H1 submitted in July,
// and one squad's 中队年度监督计划 in February.
func (g *generator) ledger(m month) []ledgerRow {
	r := g.rand(m, dsLedger, streamLedger)
	dept := g.opt.Departments
	c, y := m.calendar(), m.year()
	var rows []ledgerRow
	add := func(item string, d int, on day, period string) {
		rows = append(rows, ledgerRow{item, dept[d], onWorkday(on), period})
	}
	summaryDay := workdayBetween(r, m, 2, 5)
	if c == time.April {
		summaryDay = m.dayN(9)
	}
	add("月度工作总结和计划", deptSupervision, summaryDay, periodText(m-1, periodISO+int(c)%2))
	if c != time.July {
		add("案卷质量讲评会", deptCaseReview, workdayBetween(r, m, 20, 26), periodText(m, int(c)%3))
	}
	if c != time.September && c != time.November {
		add("强转树动态信息", deptPersonnel, workdayBetween(r, m, 22, 28), periodText(m, (int(c)+1)%3))
	}
	switch c {
	case time.January:
		for s, sq := range g.opt.Squads {
			if s != squadLateYearPlan {
				rows = append(rows, ledgerRow{"中队年度监督计划", sq.Forms[s%5], workdayBetween(r, m, 8, 20), fmt.Sprint(y)})
			}
		}
	case time.February:
		sq := g.opt.Squads[squadLateYearPlan]
		rows = append(rows, ledgerRow{"中队年度监督计划", sq.Name, onWorkday(m.dayN(10)), fmt.Sprint(y)})
	case time.June:
		add("案卷集中评查", deptCaseReview, m.dayN(18), halfText(y, false, true))
		add("自查报告（公示制度）", deptCaseReview, m.dayN(27), halfText(y, false, false))
		add("自查报告（全过程记录）", deptCoordination, m.dayN(27), halfText(y, false, true))
	case time.July:
		add("自查报告（重大法核）", deptCaseReview, m.dayN(4), halfText(y, false, false))
	case time.November:
		add("案卷集中评查", deptCaseReview, m.dayN(20), periodText(m, periodOfDate))
	case time.December:
		add("强转树动态信息", deptPersonnel, m.dayN(2), periodText(m-1, periodISO))
		add("自查报告（公示制度）", deptCaseReview, m.dayN(26), halfText(y, true, false))
		add("自查报告（全过程记录）", deptCoordination, m.dayN(26), halfText(y, true, true))
		add("自查报告（重大法核）", deptCaseReview, m.dayN(29), halfText(y, true, false))
		add("强转树年度总结", deptPersonnel, m.dayN(28), fmt.Sprint(y))
	}
	slices.SortStableFunc(rows, func(a, b ledgerRow) int { return int(a.date - b.date) })
	return rows
}

// writeLedger writes m's 工作台账. June's is grouped by department with the
// 责任科室 cell merged down each group, as such ledgers are kept by hand.
func (g *generator) writeLedger(t *table, m month) error {
	rows := g.ledger(m)
	if m.calendar() == time.June && t.st.format == xlsx {
		slices.SortStableFunc(rows, func(a, b ledgerRow) int { return strings.Compare(a.dept, b.dept) })
		t.mergeDown(ldDept)
	}
	rec := make([]field, len(datasets[dsLedger].cols))
	for _, row := range rows {
		rec[ldItem] = text(row.item)
		rec[ldDept] = text(row.dept)
		rec[ldDate] = date(row.date)
		rec[ldPeriod] = text(row.period)
		if err := t.write(rec); err != nil {
			return err
		}
	}
	return nil
}
