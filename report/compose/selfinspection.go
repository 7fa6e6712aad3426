package compose

import (
	"fmt"
	"unicode/utf8"

	"bulletin/report"
)

// HalfData is what every template of the self-inspection reports
// (自查-*.tmpl) sees as ".". S is the item's half-year figures; the other
// fields arrange them for wording. templates/README.md lists them.
type HalfData struct {
	Half      report.Half // {{half .Half}} is 2025年上半年
	NextHalf  report.Half
	HalfEnd   report.Date // last day of the half
	IssueDate report.Date
	Bureau    report.Bureau
	Item      report.Item // .Item.Name 公示制度; .Item.Departments 责任科室
	Subject   string      // the item's full name: 行政执法公示制度
	Title     string
	Recipient string   // 主送
	Squads    []string // the squads counted
	S         report.SelfInspection
	F         *report.Figures

	// Monthly is S.Monthly with the quotas as QuotaView.
	Monthly []MonthQuotaList
	// Rectification adds up S.Rectification over the squads.
	Rectification report.SquadRectification
	// OverdueSquads have problems past their deadline and not rectified.
	OverdueSquads []string
	// Shortfalls are the item's quotas not met in some month of the half.
	Shortfalls []Shortfall
	// MonthlyShortfalls are those of month-window quotas, made up month by
	// month; LaterShortfalls those of half and year quotas, made up in the
	// next half, but for the half's coverage, which 一是 words with the
	// squads not covered (S.NotCovered): each shortfall is named once.
	MonthlyShortfalls, LaterShortfalls []Shortfall
}

// MonthQuotaList is the item's quotas in one month.
type MonthQuotaList struct {
	Month  report.Month
	Quotas QuotaList
}

// Shortfall is a quota of the item that was not met, and when.
type Shortfall struct {
	Name        string
	Window      string // the quota's: month, half or year
	Departments []string
	Months      []report.Month // {{months .Months}} is 3月、5月
	Missing     []string       // squads missing at the last month it failed
}

// QuotaTotal is a month-window quota added up over the months of the half.
type QuotaTotal struct {
	Numerator, Denominator int
	// Value is their ratio, judged against the quota's target as the
	// month's rate is; nil when Denominator is 0.
	Value *report.Rate
}

// Total adds up quota id over the months of the half: {{with .Total
// "legal_review.major_case_coverage"}}{{.Denominator}}{{end}} is the major
// cases closed in the half. Only sums of month-window quotas make sense.
func (d *HalfData) Total(id string) (QuotaTotal, error) {
	var t QuotaTotal
	var target *float64
	for _, m := range d.Monthly {
		for _, q := range m.Quotas {
			if q.ID == id {
				target = &q.Target
				t.Numerator += q.Numerator
				t.Denominator += q.Denominator
			}
		}
	}
	if target == nil {
		return t, fmt.Errorf("%s的月度指标里没有“%s”这个编号（指标编号见 templates/README.md 第五部分）", d.S.Item, id)
	}
	if v := ratio(t.Numerator, t.Denominator); v != nil {
		t.Value = &report.Rate{Share: *v, Target: target}
	}
	return t, nil
}

func halfData(cfg *report.Config, fig *report.Figures, si report.SelfInspection) (*HalfData, error) {
	h, err := report.ParseHalf(fig.Half)
	if err != nil {
		return nil, report.Errorf(report.KindRender, "figures: half: %v", err)
	}
	if cfg, err = cfg.ForMonth(h.Last()); err != nil { // the quotas are worded as the plan in force at the half's end sets them
		return nil, err
	}
	var item report.Item
	for _, it := range cfg.Items {
		if it.Name == si.Item {
			item = it
		}
	}
	if item.Name == "" {
		return nil, &report.Error{Kind: report.KindConfig, Where: "items",
			Err: fmt.Errorf("the self-inspection item %q is not a supervision item of config.toml", si.Item)}
	}
	full := item.SelfInspection
	if full == "" {
		full = item.Name
	}
	d := &HalfData{
		Half:      h,
		NextHalf:  h.Last().Add(1).Half(),
		HalfEnd:   h.Last().Last(),
		IssueDate: fig.IssueDate,
		Bureau:    cfg.Bureau,
		Item:      item,
		Subject:   full,
		Title:     cfg.Bureau.ShortName + h.Chinese() + full + "执行情况自查报告",
		Recipient: cfg.Distribution.SelfInspection,
		Squads:    cfg.CountedSquads(),
		S:         si,
		F:         fig,
	}
	d.Rectification.Squad = "合计"
	for _, r := range si.Rectification {
		d.Rectification.Rectified += r.Rectified
		d.Rectification.RectifiedLate += r.RectifiedLate
		d.Rectification.InProgress += r.InProgress
		d.Rectification.Overdue += r.Overdue
		if r.Overdue > 0 {
			d.OverdueSquads = append(d.OverdueSquads, r.Squad)
		}
	}
	for _, mq := range si.Monthly {
		m, err := report.ParseMonth(mq.Month)
		if err != nil {
			return nil, report.Errorf(report.KindRender, "figures: self-inspection %s: month: %v", si.Item, err)
		}
		in, err := cfg.ForMonth(m) // each month worded as the plan then in force judged it (a due day a revision changed)
		if err != nil {
			return nil, err
		}
		d.Monthly = append(d.Monthly, MonthQuotaList{Month: m, Quotas: quotaViews(in, mq.Quotas)})
	}
	d.Shortfalls = shortfalls(d.Monthly)
	d.MonthlyShortfalls, d.LaterShortfalls = splitShortfalls(d.Shortfalls)
	return d, nil
}

// splitShortfalls parts shortfalls into those of month quotas and those of
// half and year quotas, leaving out the half's coverage (a half quota with
// squads missing), which 一是 words.
func splitShortfalls(all []Shortfall) (monthly, later []Shortfall) {
	for _, sf := range all {
		switch {
		case sf.Window == report.WindowMonth:
			monthly = append(monthly, sf)
		case sf.Window != report.WindowHalf || len(sf.Missing) == 0:
			later = append(later, sf)
		}
	}
	return monthly, later
}

// shortfalls gathers, quota by quota in their first order, the months in
// which a quota of the item was due and not met.
func shortfalls(monthly []MonthQuotaList) []Shortfall {
	var out []Shortfall
	index := map[string]int{}
	for _, mq := range monthly {
		for _, q := range mq.Quotas {
			if !q.NotMet {
				continue
			}
			i, ok := index[q.ID]
			if !ok {
				i = len(out)
				index[q.ID] = i
				out = append(out, Shortfall{Name: q.Name, Window: q.Window, Departments: q.Departments})
			}
			out[i].Months = append(out[i].Months, mq.Month)
			out[i].Missing = q.Missing
		}
	}
	return out
}

// SelfInspection composes the half-year self-inspection report on one item
// for the city bureau: 主送, 一、基本情况 to 四、下一步工作打算, the signature
// and the annex table of the checks per squad.
func SelfInspection(cfg *report.Config, fig *report.Figures, si report.SelfInspection, t *Templates) (report.Document, error) {
	d, err := halfData(cfg, fig, si)
	if err != nil {
		return report.Document{}, err
	}
	b := newBuilder(t)
	doc := report.Document{
		FileName: d.Title,
		Kind:     KindSelfInspection,
		// The title breaks after the half and, when the system's name is
		// long, after it: never inside a word (执行情/况). The file name
		// keeps it on one line.
		Title:         d.Bureau.ShortName + d.Half.Chinese() + "\n" + reportTitleTail(d.Subject),
		MainRecipient: d.Recipient,
		Signature:     &report.Signature{Office: cfg.Bureau.Name, Date: fig.IssueDate.Chinese()},
	}
	blocks := &doc.Blocks
	b.prose(blocks, tmplSIOpening, d)

	*blocks = append(*blocks, heading1("一、基本情况"))
	b.prose(blocks, tmplSIBasic, d)
	if len(d.Monthly) > 0 {
		*blocks = append(*blocks, tableBlock(b.monthlyQuotas(d)))
	}

	*blocks = append(*blocks, heading1("二、发现的主要问题"))
	b.prose(blocks, tmplSIProblems, d)
	if len(si.ProblemTypes) > 1 { // one type is a sentence
		t := b.table(si.Item+"主要问题", "发现的主要问题", seqCol(), col("问题类型", 2.4, report.AlignLeft),
			numCol("问题数"), col("涉及中队", 4, report.AlignLeft))
		for i, p := range si.ProblemTypes {
			t.Rows = append(t.Rows, []report.Cell{seq(i), textCell(p.Type), intCell(p.Count), textCell(joinNames(p.Squads))})
		}
		*blocks = append(*blocks, tableBlock(t))
	}

	*blocks = append(*blocks, heading1("三、整改落实情况"))
	b.prose(blocks, tmplSIRectification, d)
	if len(si.Rectification) > 0 {
		*blocks = append(*blocks, tableBlock(b.rectification(d)))
	}

	*blocks = append(*blocks, heading1("四、下一步工作打算"))
	b.prose(blocks, tmplSIPlan, d)

	// The 附件说明 of GB/T 9704 §7.3.4: after the body, before the
	// signature, "附件：" and the annex's name.
	annex := report.Annex{Label: "附件", Title: d.Half.Chinese() + "各中队" + si.Item + "检查情况表"}
	*blocks = append(*blocks, report.Block{Kind: report.Paragraph, Text: "附件：" + annex.Title})
	if si.Note != "" {
		annex.Blocks = append(annex.Blocks, note("注："+si.Note))
	}
	annex.Blocks = append(annex.Blocks, tableBlock(b.checksBySquad(d)))
	doc.Annexes = []report.Annex{annex}
	if b.err != nil {
		return report.Document{}, b.err
	}
	return doc, nil
}

// titleLineChars is how many characters a line of a 2号 title holds in
// the 版心, a character of margin each side.
const titleLineChars = 16

// reportTitleTail is the title's line after the half: the system's name
// and 执行情况自查报告, on two lines, broken between them, when one would
// not hold them.
func reportTitleTail(subject string) string {
	const tail = "执行情况自查报告"
	if utf8.RuneCountInString(subject+tail) > titleLineChars {
		return subject + "\n" + tail
	}
	return subject + tail
}

func joinNames(list []string) string {
	s, _ := join(list)
	return s
}

// monthlyQuotas is the item's quotas month by month.
func (b *builder) monthlyQuotas(d *HalfData) *report.Table {
	cols := append([]report.Column{col("月份", 0.8, report.AlignCenter)}, quotaCellColumns()...)
	t := b.table(d.S.Item+"各月指标", d.Half.Chinese()+d.S.Item+"各月指标完成情况", cols...)
	for _, mq := range d.Monthly {
		label, _ := mon(mq.Month)
		for _, q := range mq.Quotas {
			t.Rows = append(t.Rows, append([]report.Cell{textCell(label)}, quotaCells(q)...))
		}
	}
	return t
}

// rectification is the state of the half's problems, squad by squad.
func (b *builder) rectification(d *HalfData) *report.Table {
	t := b.table(d.S.Item+"整改情况", "各中队整改落实情况", nameCol("中队"), numCol("按期整改"), numCol("逾期后整改"),
		numCol("正在整改"), numCol("逾期未整改"), numCol("合计"))
	row := func(r report.SquadRectification) []report.Cell {
		return []report.Cell{textCell(r.Squad), intCell(r.Rectified), intCell(r.RectifiedLate), intCell(r.InProgress),
			alertCell(r.Overdue), intCell(r.Rectified + r.RectifiedLate + r.InProgress + r.Overdue)}
	}
	for _, r := range d.S.Rectification {
		t.Rows = append(t.Rows, row(r))
	}
	t.Total = row(d.Rectification)
	return t
}

// checksBySquad is the annex table, also the .xlsx annex of the reports.
// It has no caption: the annex's title above it says what it is. The
// samples column is only for items checked by sampling. In a half with
// nothing to check (S.Note), coverage does not apply: "—".
func (b *builder) checksBySquad(d *HalfData) *report.Table {
	cols := []report.Column{seqCol(), nameCol("中队"), numCol("检查次数")}
	if d.S.HasSamples {
		cols = append(cols, numCol("抽查件数"))
	}
	cols = append(cols, numCol("发现问题"), numCol("已整改"), col("是否覆盖", 0.9, report.AlignCenter), col("检查日期", 3.2, report.AlignLeft))
	t := b.table(d.S.Item+"各中队检查情况", "", cols...)
	row := func(first, name string, s report.SquadChecks, covered, dates report.Cell) []report.Cell {
		cells := []report.Cell{textCell(first), textCell(name), intCell(s.Checks)}
		if d.S.HasSamples {
			cells = append(cells, intCell(s.Samples))
		}
		return append(cells, intCell(s.Problems), intCell(s.Rectified), covered, dates)
	}
	var total report.SquadChecks
	for i, s := range d.S.BySquad {
		covered := yesNo(s.Covered)
		if d.S.Note != "" {
			covered = textCell(dash)
		}
		r := row("", s.Squad, s, covered, textCell(chineseDates(s.Dates)))
		r[0] = seq(i)
		t.Rows = append(t.Rows, r)
		total.Checks += s.Checks
		total.Samples += s.Samples
		total.Problems += s.Problems
		total.Rectified += s.Rectified
	}
	t.Total = row("", "合计", total, textCell(""), textCell(""))
	return t
}
