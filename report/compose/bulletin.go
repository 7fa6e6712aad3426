package compose

import (
	"fmt"
	"slices"
	"strings"

	"bulletin/report"
)

// Document kinds.
const (
	KindBulletin       = "bulletin"
	KindSelfInspection = "selfinspection"
)

// The eight section headings of the bulletin (documents.md).
const (
	secOverview    = "一、本月执法监督工作概况"
	secQuotas      = "二、主要任务完成情况"
	secCoverage    = "三、各中队监督覆盖情况"
	secCaseQuality = "四、案卷质量"
	secProblems    = "五、发现问题及整改情况"
	secComplaints  = "六、重要案（诉）件"
	secEvaluation  = "七、中队评价"
	secReminders   = "八、下月工作提示"
)

// Bulletin composes the monthly bulletin 《静安城市管理执法工作月报》 for
// the figures' month: masthead, title, the eight sections with their tables
// and charts, the annex (squad evaluation) and the 版记; the detail tables
// a leader does not read go to Document.Details, for the workbook. The
// bulletin goes to the city bureau: data quality (rejected rows, files,
// sheets) is not in it but in the data-quality report and the operator's
// review mail; only a dataset that could not be read at all is said, as
// the figures it leaves incomplete. Every sentence comes from the
// templates; an error in one is returned here, before anything is rendered.
func Bulletin(cfg *report.Config, fig *report.Figures, q *report.Quality, t *Templates) (report.Document, error) {
	d, err := monthData(cfg, fig, q)
	if err != nil {
		return report.Document{}, err
	}
	b := newBuilder(t)
	doc := report.Document{
		FileName: fmt.Sprintf("%s-%d年%02d月", cfg.Bureau.BulletinName, d.Month.Year, int(d.Month.Month)),
		Kind:     KindBulletin,
		Masthead: &report.Masthead{
			Name:   cfg.Bureau.BulletinName,
			Issue:  fmt.Sprintf("第%d期", fig.Issue),
			Office: cfg.Bureau.Name + " 编",
			Date:   fig.IssueDate.Chinese(),
		},
		Title:    d.Month.Chinese() + "执法监督工作情况",
		Colophon: colophon(cfg.Distribution, fig.IssueDate),
	}
	b.prose(&doc.Blocks, tmplNotice, d)
	for _, section := range []func(*MonthData) []report.Block{
		b.overview, b.quotas, b.coverage, b.caseQuality, b.problems, b.complaints, b.evaluation, b.reminders,
	} {
		doc.Blocks = append(doc.Blocks, section(d)...)
	}
	doc.Annexes = append(doc.Annexes, b.scoresAnnex(d))
	doc.Details = b.details
	for i := range doc.Annexes {
		doc.Annexes[i].Label = fmt.Sprintf("附件%d", i+1)
	}
	if b.err != nil {
		return report.Document{}, b.err
	}
	return doc, nil
}

func colophon(dist report.Distribution, issued report.Date) *report.Colophon {
	c := &report.Colophon{PrintedBy: dist.PrintedBy, Date: issued.Chinese()}
	for _, line := range []struct {
		label string
		to    []string
	}{{"报", dist.ReportTo}, {"送", dist.CopyTo}, {"发", dist.IssueTo}} {
		if len(line.to) > 0 {
			c.Lines = append(c.Lines, report.ColophonLine{Label: line.label, Text: strings.Join(line.to, "、")})
		}
	}
	return c
}

func (b *builder) overview(d *MonthData) []report.Block {
	blocks := []report.Block{heading1(secOverview)}
	b.prose(&blocks, tmplOverview, d)
	return blocks
}

// quotas is 二、主要任务完成情况: every quota of the month, the shares
// against their targets, the trend of the year so far and, in a half's last
// month, the half's quotas now due.
func (b *builder) quotas(d *MonthData) []report.Block {
	blocks := []report.Block{heading1(secQuotas)}
	if d.F.HalfSummary != nil {
		blocks = append(blocks, heading2("（一）本月任务完成情况"))
	}
	b.prose(&blocks, tmplQuotas, d)
	t := b.table("主要任务完成情况", d.Month.Chinese()+"主要任务完成情况", quotaColumns("责任科室", false)...)
	for i, q := range d.Quotas {
		t.Rows = append(t.Rows, quotaRow(i, q, strings.Join(q.Departments, "、")))
	}
	blocks = append(blocks, tableBlock(t))
	if c := quotaChart(d); c != nil {
		blocks = append(blocks, screenChart(c)) // the table above says it
	}
	blocks = append(blocks, trendCharts(d)...)
	if d.F.HalfSummary != nil {
		blocks = append(blocks, heading2("（二）"+d.Half.Chinese()+"任务完成情况"))
		b.prose(&blocks, tmplHalfSummary, d)
		// The half's quotas are rows of the month's table too: their
		// table, with the squads missing, is for the workbook.
		t := b.table("半年任务完成情况", d.Half.Chinese()+"任务完成情况", quotaColumns("未覆盖或未达标中队", true)...)
		for i, q := range d.HalfQuotas {
			t.Rows = append(t.Rows, quotaRow(i, q, strings.Join(q.Missing, "、")))
		}
		blocks = append(blocks, b.detail(d, t))
	}
	return blocks
}

// quotaChart compares this month's rates and coverages with their
// targets, and every other share that failed this month (a half-year
// coverage at the half's end): the chart never leaves out a failure.
func quotaChart(d *MonthData) *report.Chart {
	var names []string
	var actual, target []float64
	for _, q := range d.Quotas {
		if !q.share || q.Value == nil || q.Status == report.StatusNotDue || q.Window != report.WindowMonth && !q.NotMet {
			continue
		}
		names = append(names, q.Name)
		actual = append(actual, q.Value.Share)
		target = append(target, q.Target)
	}
	if len(names) == 0 {
		return nil
	}
	c := newChart("quota-rates", d.Month.Chinese()+"比例类指标完成值与目标值", "%", report.BarChart, names)
	c.Series = []report.Series{{Name: "完成值", Values: actual, Targets: target}, {Name: "目标值", Values: target}}
	c.Percent, c.Horizontal = true, true
	return c
}

// trendCharts draws the headline sample rates (report.TrendHeadlines)
// month by month, once there are two months to compare: one chart per
// target, each rate against its target line, so that a rate of 1% is not
// drawn flat under one of 10%. The case-file pass rate has a chart of its
// own in 四、案卷质量 (passRateTrend). A month without a base is drawn at
// 0 and says so.
func trendCharts(d *MonthData) []report.Block {
	if len(d.F.Trend) < 2 {
		return nil
	}
	months := trendMonths(d.F.Trend)
	// The charts' series grouped by their targets month by month: the
	// report month's, and before a revision of the plan during the year
	// (docs/rules-interpretation.md item 103) the ones it replaced.
	type group struct {
		targets []float64
		series  []report.Series
	}
	var groups []*group
	gaps := false
	plans := trendPlans(d)
	for _, id := range report.TrendHeadlines {
		q, known := d.byID[id]
		if !known || id == report.TrendPassRate {
			continue // a quota dropped from config.toml
		}
		values, measured, gap := trendValues(d.F.Trend, id)
		if !measured {
			continue
		}
		gaps = gaps || gap
		targets := monthTargets(plans, id, q.Target)
		i := slices.IndexFunc(groups, func(g *group) bool { return slices.Equal(g.targets, targets) })
		if i < 0 {
			i = len(groups)
			groups = append(groups, &group{targets: targets})
		}
		s := report.Series{Name: q.Name, Values: values}
		if slices.ContainsFunc(targets, func(t float64) bool { return t != q.Target }) {
			s.Targets = targets
		}
		groups[i].series = append(groups[i].series, s)
	}
	var blocks []report.Block
	for i, g := range groups {
		names := make([]string, len(g.series))
		for j, s := range g.series {
			names[j] = s.Name
		}
		target := g.targets[len(g.targets)-1]
		c := newChart(fmt.Sprintf("trend-%d", i+1), fmt.Sprintf("%d年%s逐月情况", d.Month.Year, strings.Join(names, "、")), "%", report.LineChart, months)
		c.Series, c.Percent = g.series, true
		c.Target, c.TargetName = &target, "目标值"
		blocks = append(blocks, chartBlock(c))
		if earlier := earlierTargets(d.F.Trend, g.targets, names); earlier != "" {
			blocks = append(blocks, note(earlier))
		}
	}
	if gaps {
		blocks = append(blocks, note("注：无应检对象的月份按0绘制。"))
	}
	return blocks
}

// trendPlans is the configuration with the plan in force in each month of
// the trend, looked up once for every quota's targets; nil for a month of
// another year.
func trendPlans(d *MonthData) []*report.Config {
	plans := make([]*report.Config, len(d.F.Trend))
	for i, p := range d.F.Trend {
		if m, err := report.ParseMonth(p.Month); err == nil && m.Year == d.Month.Year {
			plans[i], _ = d.cfg.ForMonth(m) // the year's plan exists: d.cfg is of it
		}
	}
	return plans
}

// monthTargets is the target of quota id in each month of the trend, as
// the plan in force then (plans, trendPlans) set it; target (the report
// month's) where none is known.
func monthTargets(plans []*report.Config, id string, target float64) []float64 {
	targets := make([]float64, len(plans))
	for i, in := range plans {
		targets[i] = target
		if in != nil {
			if q, ok := in.Quota(id); ok {
				targets[i] = q.Target
			}
		}
	}
	return targets
}

// earlierTargets words the targets of the months of the trend that differ
// from the line drawn at the last month's, replaced by a revision of the
// plan during the year: "" when none do. Each month is restated as it was
// issued, judged against its own target.
func earlierTargets(trend []report.TrendPoint, targets []float64, names []string) string {
	line := targets[len(targets)-1]
	var order []float64
	spans := map[float64][]string{}
	for i := 0; i < len(targets); {
		j := i
		for j+1 < len(targets) && targets[j+1] == targets[i] {
			j++
		}
		if t := targets[i]; t != line {
			first, _ := report.ParseMonth(trend[i].Month)
			last, _ := report.ParseMonth(trend[j].Month)
			span := fmt.Sprintf("%d月", int(first.Month))
			if j > i {
				span = fmt.Sprintf("%d—%d月", int(first.Month), int(last.Month))
			}
			if _, seen := spans[t]; !seen {
				order = append(order, t)
			}
			spans[t] = append(spans[t], span)
		}
		i = j + 1
	}
	if len(order) == 0 {
		return ""
	}
	parts := make([]string, len(order))
	for k, t := range order {
		parts[k] = strings.Join(spans[t], "、") + "为" + report.Percent(t)
	}
	return fmt.Sprintf("注：目标值线是本月的目标%s；方案年中修订前的月份按当时的目标考核，%s的目标%s。",
		report.Percent(line), strings.Join(names, "、"), strings.Join(parts, "，"))
}

// passRateTrend draws the case-file pass rate of each month of the year
// so far that had samples (a month without is left out, not drawn at 0%).
func passRateTrend(d *MonthData) *report.Chart {
	var months []string
	var rates []float64
	for _, p := range d.F.Trend {
		if v := p.Values[report.TrendPassRate]; v != nil {
			m, _ := mon(p.Month)
			months, rates = append(months, m), append(rates, *v)
		}
	}
	if len(months) < 2 {
		return nil
	}
	c := newChart("pass-rate-trend", fmt.Sprintf("%d年案卷评查合格率逐月情况", d.Month.Year), "%", report.LineChart, months)
	c.Series, c.Percent = []report.Series{{Name: "案卷评查合格率", Values: rates}}, true
	return c
}

// trendMonths are the trend's months as the charts label them: 5月.
func trendMonths(trend []report.TrendPoint) []string {
	months := make([]string, len(trend))
	for i, p := range trend {
		months[i], _ = mon(p.Month)
	}
	return months
}

// trendValues is one rate of the trend, month by month, 0 where it had no
// base (gap); measured is false when the figures do not carry it at all.
func trendValues(trend []report.TrendPoint, id string) (values []float64, measured, gap bool) {
	for _, p := range trend {
		v, ok := p.Values[id]
		measured = measured || ok
		if v == nil {
			gap = true
			values = append(values, 0)
		} else {
			values = append(values, *v)
		}
	}
	return values, measured, gap
}

// coverage is 三、各中队监督覆盖情况: the sentence names the items every
// squad has had and the squads each other item still lacks; the squad ×
// item matrix, whose last row counts the squads covered per item, is for
// the workbook.
func (b *builder) coverage(d *MonthData) []report.Block {
	blocks := []report.Block{heading1(secCoverage)}
	b.prose(&blocks, tmplCoverage, d)
	cols := []report.Column{nameCol("中队")}
	for _, c := range d.F.Coverage {
		cols = append(cols, col(c.Item, 1, report.AlignCenter))
	}
	cols = append(cols, numCol("本月覆盖事项数"), numCol("本半年覆盖事项数"))
	t := b.table("中队覆盖情况", d.Month.Chinese()+"各中队监督覆盖情况", cols...)
	halfCovered := make([]int, len(d.F.Coverage))
	for _, squad := range d.Squads {
		row := []report.Cell{textCell(squad)}
		month, half := 0, 0
		for i, c := range d.F.Coverage {
			mark := ""
			switch {
			case slices.Contains(c.Month, squad):
				mark = "●"
				month++
			case slices.Contains(c.Half, squad):
				mark = "○"
			}
			if mark != "" {
				half++
				halfCovered[i]++
			}
			row = append(row, textCell(mark))
		}
		t.Rows = append(t.Rows, append(row, intCell(month), intCell(half)))
	}
	t.Total = []report.Cell{textCell("本半年覆盖中队数")}
	for _, n := range halfCovered {
		t.Total = append(t.Total, intCell(n))
	}
	t.Total = append(t.Total, textCell(""), textCell(""))
	return append(blocks, b.detail(d, t))
}

// caseQuality is 四、案卷质量: verdicts by squad, problem types, and the
// abnormal cases of the city bureau's list.
func (b *builder) caseQuality(d *MonthData) []report.Block {
	cq := d.F.CaseQuality
	blocks := []report.Block{heading1(secCaseQuality), heading2("（一）案卷评查情况")}
	b.prose(&blocks, tmplCaseQuality, d)
	t := b.table("案卷质量", d.Month.Chinese()+"各中队案卷评查结果",
		nameCol("中队"), numCol("合格"), numCol("基本合格"), numCol("不合格"), numCol("抽查数"),
		numCol("合格率（含基本合格）"), numCol("今年累计抽查"), numCol("今年累计合格率"))
	verdictRow := func(name string, m, ytd report.VerdictCounts) []report.Cell {
		return []report.Cell{textCell(name), intCell(m.Pass), intCell(m.PartialPass), intCell(m.Fail),
			intCell(verdictTotal(m)), pctCell(m.PassRate), intCell(verdictTotal(ytd)), pctCell(ytd.PassRate)}
	}
	categories := make([]string, len(cq.BySquad))
	var pass, partial, fail []int
	for i, s := range cq.BySquad {
		t.Rows = append(t.Rows, verdictRow(s.Squad, s.Month, s.YTD))
		categories[i] = s.Squad
		pass, partial, fail = append(pass, s.Month.Pass), append(partial, s.Month.PartialPass), append(fail, s.Month.Fail)
	}
	t.Total = verdictRow("合计", cq.Month, cq.YTD)
	details := []*report.Table{t}
	if verdictTotal(cq.Month) > 0 {
		c := newChart("quality-by-squad", d.Month.Chinese()+"各中队案卷评查结果", "件", report.StackedBarChart, categories)
		c.Series = []report.Series{{Name: "合格", Values: ints(pass...)}, {Name: "基本合格", Values: ints(partial...)}, {Name: "不合格", Values: ints(fail...)}}
		c.Horizontal = true
		blocks = append(blocks, screenChart(c)) // the sentence names the squads that failed
	}
	if c := passRateTrend(d); c != nil {
		blocks = append(blocks, screenChart(c))
	}
	if len(cq.ProblemTypes)+len(cq.ProblemTypesYTD) > 0 {
		details = append(details, b.problemTypes(d))
	}
	if len(cq.ProblemTypes) > problemTypesInProse { // fewer, the sentence names them all with their counts
		shown := cq.ProblemTypes[:min(len(cq.ProblemTypes), 10)]
		names, values := make([]string, len(shown)), make([]int, len(shown))
		for i, p := range shown {
			names[i], values[i] = p.Name, p.Count
		}
		c := newChart("problem-types", d.Month.Chinese()+"案卷问题类型", "件", report.BarChart, names)
		c.Series = []report.Series{{Name: "问题数", Values: ints(values...)}}
		c.Horizontal = true
		blocks = append(blocks, screenChart(c)) // the sentence names the top five
	}
	blocks = append(blocks, heading2("（二）不规范和异常案件"))
	b.prose(&blocks, tmplAbnormal, d)
	if d.F.Abnormal.Total > 0 {
		details = append(details, b.abnormalTable(d))
	}
	return append(blocks, b.detail(d, details...))
}

// problemTypesInProse is how many problem types 月报-04-案卷质量.tmpl
// names (top 5): a chart of no more would only draw that sentence.
const problemTypesInProse = 5

func verdictTotal(v report.VerdictCounts) int { return v.Pass + v.PartialPass + v.Fail }

// problemTypes ranks the month's problem types, with the year's count
// beside them; types seen only earlier in the year follow.
func (b *builder) problemTypes(d *MonthData) *report.Table {
	cq := d.F.CaseQuality
	t := b.table("案卷问题类型", d.Month.Chinese()+"案卷问题类型排名", seqCol(), col("问题类型", 3, report.AlignLeft), numCol("本月"), numCol("今年累计"))
	ytd := map[string]int{}
	for _, p := range cq.ProblemTypesYTD {
		ytd[p.Name] = p.Count
	}
	seen := map[string]bool{}
	for _, p := range cq.ProblemTypes {
		seen[p.Name] = true
		t.Rows = append(t.Rows, []report.Cell{seq(len(t.Rows)), textCell(p.Name), intCell(p.Count), intCell(ytd[p.Name])})
	}
	for _, p := range cq.ProblemTypesYTD {
		if !seen[p.Name] {
			t.Rows = append(t.Rows, []report.Cell{seq(len(t.Rows)), textCell(p.Name), intCell(0), intCell(p.Count)})
		}
	}
	return t
}

// abnormalTable is squads × abnormal types.
func (b *builder) abnormalTable(d *MonthData) *report.Table {
	ab := d.F.Abnormal
	cols := []report.Column{nameCol("中队")}
	for _, ty := range ab.ByType {
		cols = append(cols, numCol(ty.Name))
	}
	cols = append(cols, numCol("涉及案件数"))
	t := b.table("异常案件", d.Month.Chinese()+"各中队不规范和异常案件", cols...)
	for _, s := range ab.BySquad {
		byType := map[string]int{}
		for _, c := range s.ByType {
			byType[c.Name] = c.Count
		}
		row := []report.Cell{textCell(s.Squad)}
		for _, ty := range ab.ByType {
			row = append(row, intCell(byType[ty.Name]))
		}
		t.Rows = append(t.Rows, append(row, intCell(s.Total)))
	}
	t.Total = []report.Cell{textCell("合计")}
	for _, ty := range ab.ByType {
		t.Total = append(t.Total, intCell(ty.Count))
	}
	t.Total = append(t.Total, intCell(ab.Total))
	return t
}

// problems is 五、发现问题及整改情况: the state of the month's problems
// is one sentence (a pie of 19 against 1 says less), the overdue ones are
// listed by name. Two populations are kept apart so
// that every sum holds: the problems found this month by their state at
// its end (已整改 + 整改中 + 已逾期 = 发现), and the overdue problems of
// every inspection so far, listed one inspection a row.
func (b *builder) problems(d *MonthData) []report.Block {
	p := d.F.Problems
	blocks := []report.Block{heading1(secProblems)}
	b.prose(&blocks, tmplProblems, d)
	t := b.table("问题整改", d.Month.Chinese()+"各中队发现问题及整改情况",
		nameCol("中队"), numCol("本月发现问题"), numCol("其中已整改"), numCol("其中整改中"), numCol("其中已逾期"), numCol("累计逾期未整改"))
	for _, s := range p.BySquad {
		t.Rows = append(t.Rows, []report.Cell{textCell(s.Squad), intCell(s.Found), intCell(s.Rectified), intCell(s.InProgress),
			alertCell(s.FoundOverdue), alertCell(s.Overdue)})
	}
	t.Total = []report.Cell{textCell("合计"), intCell(p.Found), intCell(p.Rectified), intCell(p.InProgress),
		alertCell(p.FoundOverdue), alertCell(p.Overdue)}
	bySquad := t
	if len(p.OverdueList) > 0 {
		t := b.table("逾期未整改问题", fmt.Sprintf("逾期未整改问题清单（截至%s）", d.MonthEnd.Chinese()),
			// widths measured so that ids, squad names and dates stay on one line
			seqCol(), col("编号", 2, report.AlignLeft), col("中队", 2, report.AlignLeft), col("监督事项", 1.4, report.AlignLeft),
			col("检查日期", 1.4, report.AlignCenter), col("整改期限", 1.4, report.AlignCenter), col("逾期天数", 0.8, report.AlignRight),
			col("问题数", 0.8, report.AlignRight), col("问题描述", 2.2, report.AlignLeft))
		problems := 0
		for i, o := range p.OverdueList {
			t.Rows = append(t.Rows, []report.Cell{seq(i), textCell(o.ID), textCell(o.Squad), textCell(o.Item),
				dateCell(o.Inspected, d.Month.Year), dateCell(o.Deadline, d.Month.Year),
				intCell(o.DaysOverdue), intCell(o.Problems), textCell(o.Description)})
			problems += o.Problems
		}
		t.Total = []report.Cell{textCell(""), textCell("合计"), textCell(""), textCell(""),
			textCell(""), textCell(""), textCell(""), alertCell(problems), textCell("")}
		blocks = append(blocks, tableBlock(t))
	}
	return append(blocks, b.detail(d, bySquad))
}

// alertCell is a count of things gone wrong (overdue, 履职不到位), bold
// when not zero.
func alertCell(n int) report.Cell {
	c := intCell(n)
	c.Emphasis = n > 0
	return c
}

// shortDate drops the year of a date in the report's year: 5月3日.
func shortDate(d report.Date, year int) string {
	if d.IsZero() {
		return dash
	}
	if d.Year() == year {
		return fmt.Sprintf("%d月%d日", int(d.Month()), d.Day())
	}
	return d.Chinese()
}

// complaints is 六、重要案（诉）件.
func (b *builder) complaints(d *MonthData) []report.Block {
	c := d.F.Complaints
	blocks := []report.Block{heading1(secComplaints)}
	b.prose(&blocks, tmplComplaints, d)
	var details []*report.Table
	if len(c.ByType) > 0 {
		details = append(details, b.countTable("诉件类型", d.Month.Chinese()+"投诉信访件按类型统计", "类型", c.ByType))
	}
	if len(c.ByField) > 0 {
		details = append(details, b.countTable("诉件问题领域", d.Month.Chinese()+"投诉信访件按问题领域统计", "问题领域", c.ByField))
	}
	if len(c.BySquad) > 0 {
		failed := map[string]int{}
		for _, f := range c.FailedSquads {
			failed[f.Name] = f.Count
		}
		t := b.table("诉件中队", d.Month.Chinese()+"各中队投诉信访件", nameCol("中队"), numCol("受理件数"), numCol("履职不到位"))
		for _, s := range c.BySquad {
			t.Rows = append(t.Rows, []report.Cell{textCell(s.Name), intCell(s.Count), alertCell(failed[s.Name])})
		}
		t.Total = []report.Cell{textCell("合计"), intCell(c.Received), alertCell(c.DutyFailed)}
		details = append(details, t)
	}
	if len(details) > 0 {
		blocks = append(blocks, b.detail(d, details...))
	}
	return blocks
}

// countTable lists named counts with a total.
func (b *builder) countTable(sheet, caption, what string, list []report.Count) *report.Table {
	t := b.table(sheet, caption, seqCol(), col(what, 3, report.AlignLeft), numCol("件数"))
	total := 0
	for i, c := range list {
		t.Rows = append(t.Rows, []report.Cell{seq(i), textCell(c.Name), intCell(c.Count)})
		total += c.Count
	}
	t.Total = []report.Cell{textCell(""), textCell("合计"), intCell(total)}
	return t
}

// evaluation is 七、中队评价: the scores in words. The ranking, with each
// indicator's value and points, is 附件1's; the workbook has it besides, a
// sheet of its own.
func (b *builder) evaluation(d *MonthData) []report.Block {
	ev := d.F.Evaluation
	blocks := []report.Block{heading1(secEvaluation)}
	b.prose(&blocks, tmplEvaluation, d)
	cols := []report.Column{col("排名", 0.6, report.AlignCenter), nameCol("中队"), numCol("综合得分"), col("计分指标数", 0.8, report.AlignRight)}
	for _, ind := range ev.Indicators {
		cols = append(cols, numCol(fmt.Sprintf("%s（%s分）", ind.Name, formatNum(ind.Weight))))
	}
	t := b.table("中队评价", d.Month.Chinese()+"中队评价排名", cols...)
	for _, s := range ev.Squads {
		row := []report.Cell{intCell(s.Rank), textCell(s.Squad), decimalCell(s.Score), measuredCell(s, len(ev.Indicators))}
		for _, ind := range ev.Indicators {
			row = append(row, pointsCell(indicatorOf(s, ind.Key)))
		}
		t.Rows = append(t.Rows, row)
	}
	b.details = append(b.details, t)
	return blocks
}

// measuredCell is the number of indicators a squad was scored on, bold
// when fewer than defined.
func measuredCell(s report.SquadScore, defined int) report.Cell {
	c := intCell(s.Measured)
	c.Emphasis = s.Measured < defined
	return c
}

func indicatorOf(s report.SquadScore, key string) report.IndicatorScore {
	for _, i := range s.Indicators {
		if i.Key == key {
			return i
		}
	}
	return report.IndicatorScore{Key: key}
}

func (b *builder) reminders(d *MonthData) []report.Block {
	blocks := []report.Block{heading1(secReminders)}
	b.prose(&blocks, tmplReminders, d)
	return blocks
}
