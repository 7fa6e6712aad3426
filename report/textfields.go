package report

// TextFields calls visit with every free text the exports gave the
// dataset (ids, 案由, 问题描述, 问题类型, …), with its record's origin and
// its column as data-contract.md names it. Squads, departments, items and
// states are left out: they are configured names, not the export's text.
func (ds *Dataset) TextFields(visit func(dataset string, o Origin, column, text string)) {
	each := func(dataset string, o Origin, column string, texts ...string) {
		for _, t := range texts {
			if t != "" {
				visit(dataset, o, column, t)
			}
		}
	}
	for _, c := range ds.Cases {
		each(DatasetCases, c.Origin, "案件编号", c.ID)
		each(DatasetCases, c.Origin, "案由", c.Cause)
		each(DatasetCases, c.Origin, "异常类型", c.Abnormal...)
	}
	for _, s := range ds.Samples {
		each(DatasetSamples, s.Origin, "抽查编号", s.ID)
		each(DatasetSamples, s.Origin, "案件编号", s.CaseID)
		each(DatasetSamples, s.Origin, "问题类型", s.Problems...)
	}
	for _, in := range ds.Inspections {
		each(DatasetInspections, in.Origin, "记录编号", in.ID)
		each(DatasetInspections, in.Origin, "检查方式", in.Method)
		each(DatasetInspections, in.Origin, "问题描述", in.Description)
	}
	for _, c := range ds.Complaints {
		each(DatasetComplaints, c.Origin, "诉件编号", c.ID)
		each(DatasetComplaints, c.Origin, "诉件类型", c.Type)
		each(DatasetComplaints, c.Origin, "问题领域", c.Field)
	}
	for _, w := range ds.Weekly {
		each(DatasetWeekly, w.Origin, "督察内容", w.Content)
	}
	for _, l := range ds.Ledger {
		each(DatasetLedger, l.Origin, "事项", l.Matter)
		each(DatasetLedger, l.Origin, "责任科室", l.Responsible)
	}
}
