package ingest

import (
	"fmt"
	"strconv"

	"bulletin/report"
)

// The parsers of the six exports. Each resolves its columns once per file
// and returns the function that turns one row into a record. Columns are
// read in the contract's order, so a row with several problems is rejected
// for the first of them.

func (r *fileResult) parser(h header) rowParser {
	col := func(name string) column { return r.schema.column(h, name) }
	v := r.vocab
	switch r.job.dataset {
	case report.DatasetCases:
		id, squad, cause, filed, closed := col("案件编号"), col("承办中队"), col("案由"), col("立案日期"), col("结案日期")
		status, major, abnormal := col("案件状态"), col("是否重大法核"), col("异常类型")
		return func(c *rowCtx) {
			rec := report.Case{
				ID:          c.id(id),
				Squad:       c.name(squad, v.squads, true),
				Cause:       c.text(cause, false),
				Filed:       c.date(filed, true),
				Closed:      c.date(closed, false),
				Status:      c.text(status, false),
				MajorReview: c.boolean(major),
				Abnormal:    splitList(c.raw(abnormal)),
			}
			if !c.failed {
				rec.Origin = r.origin(c.row)
				r.cases.add(rec)
			}
		}

	case report.DatasetSamples:
		id, date, kind, caseID, squad := col("抽查编号"), col("抽查日期"), col("抽查类型"), col("案件编号"), col("承办中队")
		dept, verdict, problems := col("抽查科室"), col("结论"), col("问题类型")
		r.squadColumn = squad
		return func(c *rowCtx) {
			rec := report.Sample{
				ID:         c.id(id),
				Date:       c.date(date, true),
				Kind:       report.SampleKind(c.name(kind, v.sampleKind, true)),
				CaseID:     c.id(caseID),
				Squad:      c.name(squad, v.squads, false), // else from the case, later
				Department: c.name(dept, v.departments, true),
				Verdict:    c.name(verdict, v.verdict, true),
				Problems:   splitList(c.raw(problems)),
			}
			if !c.failed {
				rec.Origin = r.origin(c.row)
				r.lateCheck(c.row, rec.Date)
				r.samples.add(rec)
			}
		}

	case report.DatasetInspections:
		id, date, item, dept, squad := col("记录编号"), col("检查日期"), col("监督事项"), col("检查科室"), col("被检查中队")
		method, problems, description, deadline := col("检查方式"), col("发现问题数"), col("问题描述"), col("整改期限")
		state, rectifiedOn := col("整改状态"), col("整改完成日期")
		return func(c *rowCtx) {
			rec := report.Inspection{
				ID:            c.id(id),
				Date:          c.date(date, true),
				Item:          c.name(item, v.items, true),
				Department:    c.name(dept, v.departments, true),
				Squad:         c.name(squad, v.squads, true),
				Method:        c.text(method, false),
				Problems:      c.count(problems),
				Description:   c.text(description, false),
				Deadline:      c.date(deadline, false),
				Rectification: c.name(state, v.rectification, false),
				RectifiedOn:   c.date(rectifiedOn, false),
			}
			if c.failed {
				return
			}
			// 检查方式 is descriptive: a spelling [values.method] knows is
			// made canonical, any other is kept as written.
			if m, ok := v.method.find(rec.Method); ok {
				rec.Method = m
			}
			if rec.Rectification == "" && rec.Problems > 0 {
				rec.Rectification = report.NotRectified
			}
			rec.Origin = r.origin(c.row)
			r.lateCheck(c.row, rec.Date)
			r.inspections.add(rec)
		}

	case report.DatasetComplaints:
		id, kind, received, squad, field := col("诉件编号"), col("诉件类型"), col("受理日期"), col("所属中队"), col("问题领域")
		repeated, sampled, sampledOn, finding := col("是否重复"), col("是否抽查"), col("抽查日期"), col("抽查结论")
		return func(c *rowCtx) {
			rec := report.Complaint{
				ID:       c.id(id),
				Type:     c.name(kind, v.complaintType, true),
				Received: c.date(received, true),
				Squad:    c.name(squad, v.squads, true),
				Field:    c.text(field, false),
				Repeated: c.boolean(repeated),
				Sampled:  c.boolean(sampled),
			}
			rec.SampledOn = c.date(sampledOn, false)
			if rec.Sampled && rec.SampledOn.IsZero() {
				c.fail(sampledOn, "是否抽查为“是”，抽查日期却为空")
			}
			rec.Finding = c.name(finding, v.finding, false)
			if !c.failed {
				rec.Origin = r.origin(c.row)
				r.lateCheck(c.row, rec.Received)
				r.complaints.add(rec)
			}
		}

	case report.DatasetWeekly:
		squad, date, content, problems := col("中队"), col("督察日期"), col("督察内容"), col("发现问题数")
		return func(c *rowCtx) {
			rec := report.WeeklyRecord{
				Squad:    c.name(squad, v.squads, true),
				Date:     c.date(date, true),
				Content:  c.text(content, false),
				Problems: c.count(problems),
			}
			if !c.failed {
				rec.Origin = r.origin(c.row)
				r.lateCheck(c.row, rec.Date)
				r.weekly.add(rec)
			}
		}

	case report.DatasetLedger:
		matter, responsible, done, period := col("事项"), col("责任科室"), col("完成日期"), col("所属期间")
		return func(c *rowCtx) {
			rec := report.LedgerEntry{
				Matter:      v.matter(c.text(matter, true)),
				Responsible: c.name(responsible, v.responsible, false),
				Done:        c.date(done, true),
			}
			if c.failed {
				return
			}
			rec.Period = rec.Done.MonthOf().String()
			if raw := c.raw(period); clean(raw) != "" {
				p, err := parsePeriod(raw, c.dates)
				if err != nil {
					c.fail(period, err.Error())
					return
				}
				rec.Period = p
			}
			rec.Origin = r.origin(c.row)
			r.lateCheck(c.row, rec.Done)
			r.ledger.add(rec)
		}
	}
	panic("ingest: no parser for dataset " + r.job.dataset)
}

func (r *fileResult) origin(row int) report.Origin {
	return report.Origin{File: r.job.path, Sheet: r.sheet, Row: row, Folder: r.job.folder}
}

// lateCheck warns about a record dated before the month of its folder (a
// late entry: it still counts for its own month).
func (r *fileResult) lateCheck(row int, d report.Date) {
	if d.MonthOf().Compare(r.job.folder) < 0 {
		r.warn(report.WarnLateRecord, fmt.Sprintf("第%d行：%s 早于 %s", row, d, r.job.folder))
	}
}

// Dedup keys. The exports without an id column (中队督察, 工作台账) are
// deduplicated by their whole content: the same record exported twice is
// identical in every column.
func caseKey(c *report.Case) string             { return c.ID }
func sampleKey(s *report.Sample) string         { return s.ID }
func inspectionKey(i *report.Inspection) string { return i.ID }
func complaintKey(c *report.Complaint) string   { return c.ID }
func weeklyKey(w *report.WeeklyRecord) string {
	return w.Squad + "\x00" + w.Date.String() + "\x00" + w.Content + "\x00" + strconv.Itoa(w.Problems)
}
func ledgerKey(l *report.LedgerEntry) string {
	return l.Matter + "\x00" + l.Responsible + "\x00" + l.Done.String() + "\x00" + l.Period
}
