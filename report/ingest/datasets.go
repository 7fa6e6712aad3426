package ingest

import (
	"fmt"
	"strconv"

	"bulletin/report"
	"bulletin/report/parsecache"
)

// The six exports, each described once: its name (and through it the
// columns of report.Columns), how a row becomes a record, how duplicates
// are recognised and where the records go in the dataset. Everything else
// (the files' records, their pools, merging, finishing) is generic over
// these. TestDescriptors holds them to report.DatasetNames and
// report.Columns, so that a name that does not match cannot reach a run.
var datasets = []datasetKind{
	&descriptor[report.Case]{
		name:   report.DatasetCases,
		parser: caseParser,
		key:    func(c *report.Case) string { return c.ID },
		out:    func(ds *report.Dataset) *[]report.Case { return &ds.Cases },
		cached: func(en *parsecache.Entry) *[][]report.Case { return &en.Cases },
		chunks: func(ch *parsecache.Decoding) *func() []report.Case { return &ch.Cases },
	},
	&descriptor[report.Sample]{
		name:   report.DatasetSamples,
		parser: sampleParser,
		key:    func(s *report.Sample) string { return s.ID },
		out:    func(ds *report.Dataset) *[]report.Sample { return &ds.Samples },
		cached: func(en *parsecache.Entry) *[][]report.Sample { return &en.Samples },
		chunks: func(ch *parsecache.Decoding) *func() []report.Sample { return &ch.Samples },
		// Samples take their squads from the cases, and only then are
		// indexed: which occurrence of an id is the latest depends on
		// which samples keep a squad.
		resolve:  resolveSamples,
		names:    func(s *report.Sample) string { return s.CaseID },
		conflict: sampleConflict,
	},
	&descriptor[report.Inspection]{
		name:   report.DatasetInspections,
		parser: inspectionParser,
		key:    func(i *report.Inspection) string { return i.ID },
		out:    func(ds *report.Dataset) *[]report.Inspection { return &ds.Inspections },
		cached: func(en *parsecache.Entry) *[][]report.Inspection { return &en.Inspections },
		chunks: func(ch *parsecache.Decoding) *func() []report.Inspection { return &ch.Inspections },
	},
	&descriptor[report.Complaint]{
		name:   report.DatasetComplaints,
		parser: complaintParser,
		key:    func(c *report.Complaint) string { return c.ID },
		out:    func(ds *report.Dataset) *[]report.Complaint { return &ds.Complaints },
		cached: func(en *parsecache.Entry) *[][]report.Complaint { return &en.Complaints },
		chunks: func(ch *parsecache.Decoding) *func() []report.Complaint { return &ch.Complaints },
	},
	// The exports without an id column are deduplicated by their whole
	// content: the same record exported twice is identical in every
	// column.
	&descriptor[report.WeeklyRecord]{
		name:   report.DatasetWeekly,
		parser: weeklyParser,
		key: func(w *report.WeeklyRecord) string {
			return w.Squad + "\x00" + w.Date.String() + "\x00" + w.Content + "\x00" + strconv.Itoa(w.Problems)
		},
		out:    func(ds *report.Dataset) *[]report.WeeklyRecord { return &ds.Weekly },
		cached: func(en *parsecache.Entry) *[][]report.WeeklyRecord { return &en.Weekly },
		chunks: func(ch *parsecache.Decoding) *func() []report.WeeklyRecord { return &ch.Weekly },
	},
	&descriptor[report.LedgerEntry]{
		name:   report.DatasetLedger,
		parser: ledgerParser,
		key: func(l *report.LedgerEntry) string {
			return l.Matter + "\x00" + l.Responsible + "\x00" + l.Done.String() + "\x00" + l.Period
		},
		out:    func(ds *report.Dataset) *[]report.LedgerEntry { return &ds.Ledger },
		cached: func(en *parsecache.Entry) *[][]report.LedgerEntry { return &en.Ledger },
		chunks: func(ch *parsecache.Decoding) *func() []report.LedgerEntry { return &ch.Ledger },
	},
}

// descriptor describes one export whose records are of type T.
type descriptor[T any] struct {
	name string
	// parser resolves the file's columns by their canonical names and
	// returns the function that turns one row into a record; ok is false
	// when the row was rejected. Columns are read in the contract's order,
	// so a row with several problems is rejected for the first of them.
	parser func(r *fileResult, col columnOf) func(c *rowCtx) (rec T, ok bool)
	key    func(*T) string                // the dedup key
	out    func(*report.Dataset) *[]T     // where the records go
	cached func(*parsecache.Entry) *[][]T // where they go in the cache
	chunks func(*parsecache.Decoding) *func() []T
	// resolve, when set, completes the merged records from the datasets
	// finished without one, before duplicates are dropped.
	resolve func(m *merged[T], ds *report.Dataset)
	// names, when set, is the id a record refers to in another dataset (a
	// sample's case), numbered once for all the files (merged.numberNames).
	names func(*T) string
	// conflict, when set, tells how a record superseded by the latest of
	// its id is not that record exported again ("" when it may be), for a
	// warning: the rule that the latest wins then drops another record.
	conflict func(superseded, latest *T) string
}

// columnOf resolves a column of the file by its canonical name.
type columnOf func(name string) column

// datasetKind is a descriptor whatever its record type.
type datasetKind interface {
	datasetName() string
	// newStore makes the state of one Read for the dataset, which has
	// files (not counting the earlier years', addDeep).
	newStore(files int) datasetStore
}

// datasetStore is one dataset in one Read: a pool of record chunks shared
// by its files, and the records merged so far.
type datasetStore interface {
	// parser is the row parser of one file; it keeps the file's records
	// in r.
	parser(r *fileResult, col columnOf) rowParser
	// merge moves the records of r, a file read without failure, into
	// the dataset; files are merged in job order.
	merge(r *fileResult)
	// finish drops superseded records and puts the rest into ds; with
	// carry, keeps what the next Read of the run resumes from (Carry).
	finish(ds *report.Dataset, carry bool)
	// dependent reports that finish reads the other datasets of ds: such
	// a dataset is not carried, since finishing it changes its files'
	// results.
	dependent() bool
	// resume readies a store carried from an earlier Read for this one,
	// of which the dataset has expected files (not counting the earlier
	// years', addDeep).
	resume(expected int)
	// toEntry and fromEntry move a file's records to and from the cache;
	// the cache decodes them as decoding says.
	toEntry(r *fileResult, en *parsecache.Entry)
	fromEntry(r *fileResult, en *parsecache.Entry)
	decoding() *parsecache.Decoding
}

func (d *descriptor[T]) datasetName() string { return d.name }

func (d *descriptor[T]) newStore(files int) datasetStore {
	s := &store[T]{d: d}
	s.merged.key, s.merged.keyLate, s.merged.expected = d.key, d.resolve != nil, files
	s.merged.names, s.merged.conflict = d.names, d.conflict
	*d.chunks(&s.decodeInto) = s.pool.get
	return s
}

type store[T any] struct {
	d          *descriptor[T]
	pool       chunkPool[T]
	decodeInto parsecache.Decoding // into the pool's chunks
	merged     merged[T]
}

func (s *store[T]) parser(r *fileResult, col columnOf) rowParser {
	recs := &records[T]{pool: &s.pool}
	r.records = recs
	parse := s.d.parser(r, col)
	return func(c *rowCtx) {
		if rec, ok := parse(c); ok {
			recs.add(rec)
		}
	}
}

func (s *store[T]) merge(r *fileResult) {
	recs, _ := r.records.(*records[T])
	if recs == nil {
		recs = &records[T]{}
	}
	s.merged.add(r, recs)
}

func (s *store[T]) finish(ds *report.Dataset, carry bool) {
	if s.d.resolve != nil {
		s.d.resolve(&s.merged, ds)
	}
	*s.d.out(ds) = s.merged.finish(carry)
}

func (s *store[T]) resume(expected int) { s.merged.resume(expected) }

func (s *store[T]) dependent() bool { return s.d.resolve != nil }

func (s *store[T]) toEntry(r *fileResult, en *parsecache.Entry) {
	if recs, ok := r.records.(*records[T]); ok {
		*s.d.cached(en) = recs.chunks
	}
}

// fromEntry hands the decoded records over in the pool's chunks, which
// merging empties and returns.
func (s *store[T]) fromEntry(r *fileResult, en *parsecache.Entry) {
	recs := &records[T]{chunks: *s.d.cached(en), pool: &s.pool}
	for _, c := range recs.chunks {
		recs.n += len(c)
	}
	r.records = recs
}

func (s *store[T]) decoding() *parsecache.Decoding { return &s.decodeInto }

// datasetOfName is the index in datasets of the named export, -1 if none.
func datasetOfName(name string) int {
	for i, d := range datasets {
		if d.datasetName() == name {
			return i
		}
	}
	return -1
}

func caseParser(r *fileResult, col columnOf) func(c *rowCtx) (report.Case, bool) {
	v := r.vocab
	id, squad, cause, filed, closed := col("案件编号"), col("承办中队"), col("案由"), col("立案日期"), col("结案日期")
	status, major, abnormal := col("案件状态"), col("是否重大法核"), col("异常类型")
	return func(c *rowCtx) (report.Case, bool) {
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
		rec.Origin = r.origin(c.row)
		return rec, !c.failed
	}
}

func sampleParser(r *fileResult, col columnOf) func(c *rowCtx) (report.Sample, bool) {
	v := r.vocab
	id, date, kind, caseID, squad := col("抽查编号"), col("抽查日期"), col("抽查类型"), col("案件编号"), col("承办中队")
	dept, verdict, problems := col("抽查科室"), col("结论"), col("问题类型")
	r.squadColumn = squad
	return func(c *rowCtx) (report.Sample, bool) {
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
		if c.failed {
			return rec, false
		}
		rec.Origin = r.origin(c.row)
		r.lateCheck(c.row, rec.Date)
		return rec, true
	}
}

// sampleConflict: a sample exported again names the same case. Two that
// name different cases are two samples under one id, most often a row
// counter (序号, an alias of 抽查编号) that restarts in every file.
func sampleConflict(superseded, latest *report.Sample) string {
	if superseded.CaseID == latest.CaseID {
		return ""
	}
	return fmt.Sprintf("第%d行：抽查编号 %s 又见于 %s 第%d行，所抽案件却不同（%s、%s），按规则只计后者；编号若是行号（序号），各文件同号的抽查会互相顶替，请导出真正的抽查编号",
		superseded.Origin.Row, superseded.ID, latest.Origin.File(), latest.Origin.Row, superseded.CaseID, latest.CaseID)
}

func inspectionParser(r *fileResult, col columnOf) func(c *rowCtx) (report.Inspection, bool) {
	v := r.vocab
	id, date, item, dept, squad := col("记录编号"), col("检查日期"), col("监督事项"), col("检查科室"), col("被检查中队")
	method, problems, description, deadline := col("检查方式"), col("发现问题数"), col("问题描述"), col("整改期限")
	state, rectifiedOn := col("整改状态"), col("整改完成日期")
	return func(c *rowCtx) (report.Inspection, bool) {
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
			return rec, false
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
		return rec, true
	}
}

func complaintParser(r *fileResult, col columnOf) func(c *rowCtx) (report.Complaint, bool) {
	v := r.vocab
	id, kind, received, squad, field := col("诉件编号"), col("诉件类型"), col("受理日期"), col("所属中队"), col("问题领域")
	repeated, sampled, sampledOn, finding := col("是否重复"), col("是否抽查"), col("抽查日期"), col("抽查结论")
	return func(c *rowCtx) (report.Complaint, bool) {
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
		if c.failed {
			return rec, false
		}
		rec.Origin = r.origin(c.row)
		r.lateCheck(c.row, rec.Received)
		return rec, true
	}
}

func weeklyParser(r *fileResult, col columnOf) func(c *rowCtx) (report.WeeklyRecord, bool) {
	v := r.vocab
	squad, date, content, problems := col("中队"), col("督察日期"), col("督察内容"), col("发现问题数")
	return func(c *rowCtx) (report.WeeklyRecord, bool) {
		rec := report.WeeklyRecord{
			Squad:    c.name(squad, v.squads, true),
			Date:     c.date(date, true),
			Content:  c.text(content, false),
			Problems: c.count(problems),
		}
		if c.failed {
			return rec, false
		}
		rec.Origin = r.origin(c.row)
		r.lateCheck(c.row, rec.Date)
		return rec, true
	}
}

func ledgerParser(r *fileResult, col columnOf) func(c *rowCtx) (report.LedgerEntry, bool) {
	v := r.vocab
	matter, responsible, done, period := col("事项"), col("责任科室"), col("完成日期"), col("所属期间")
	return func(c *rowCtx) (report.LedgerEntry, bool) {
		rec := report.LedgerEntry{
			Matter:      v.matter(c.text(matter, true)),
			Responsible: c.name(responsible, v.responsible, false),
			Done:        c.date(done, true),
		}
		if c.failed {
			return rec, false
		}
		rec.Period = rec.Done.MonthOf().String()
		if raw := c.raw(period); clean(raw) != "" {
			p, err := parsePeriod(raw, c.dates)
			if err != nil {
				c.fail(period, err.Error())
				return rec, false
			}
			rec.Period = p
		}
		rec.Origin = r.origin(c.row)
		r.lateCheck(c.row, rec.Done)
		return rec, true
	}
}

func (r *fileResult) origin(row int) report.Origin {
	return r.source.At(row)
}

// lateCheck warns about a record dated before the month of its folder (a
// late entry: it still counts for its own month).
func (r *fileResult) lateCheck(row int, d report.Date) {
	if d.MonthOf().Compare(r.job.folder) < 0 {
		r.warn(report.WarnLateRecord, fmt.Sprintf("第%d行：%s 早于 %s", row, d, r.job.folder))
	}
}
