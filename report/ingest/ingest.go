// Package ingest reads the monthly exports of data-contract.md (.xlsx and
// .csv) from the month folders of the data root into plain domain records,
// and reports what it could not use in a report.Quality.
//
// Every file is streamed. An .xlsx is read by package xlsx, the
// spreadsheet engine: raw cell values (dates converted here), strings made
// only for the columns the rules read. A .csv goes through encoding/csv
// after the encoding (UTF-8 or GB18030/GBK) has been detected. The six
// exports are described once each, in datasets.go.
//
// Independent files are read concurrently, and their records merged into
// the datasets in a fixed order while later files are still being read;
// the result does not depend on the scheduling. Memory holds the records
// and little else: a city's year (a million complaints) is read in a few
// seconds.
package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
	"bulletin/report/parsecache"
)

// Read reads the month folders root/YYYY-MM from from through through, and
// the exports of report.ReachesAllHistory (案件, 抽查明细, 监督检查) in
// every month folder up to through: a case sampled in June may have been
// filed in 2024, a major case's file sampled in 2024, an inspection of
// 2024 still overdue. Folders after through are never read, so a re-run of
// a past month gives the same answer.
//
// Records are returned whatever their dates (the metrics attribute them to
// months). Duplicate ids are resolved: the occurrence from the latest month
// folder wins; within a folder the later file by name, then the later row.
//
// A missing month folder, an unreadable file and a rejected row are
// reported in the Quality, never as an error; a dataset of which no file
// could be read in the through folder is listed in Dataset.Missing. The
// error return is for a cancelled ctx or an unreadable root. Quality.Period
// is through; a caller reporting on a half year sets its own.
func Read(ctx context.Context, cfg *report.Config, root string, from, through report.Month) (*report.Dataset, *report.Quality, error) {
	return ReadWith(ctx, cfg, root, from, through, Options{})
}

// Options tunes Read; the zero value is what the pipeline uses.
type Options struct {
	// ExcelizeOnly reads every .xlsx with excelize's row iterator instead of
	// the streaming reader, which yields the same rows far faster: the
	// reference the differential tests and benchmarks compare against.
	ExcelizeOnly bool
	// Cache, when set, holds what earlier runs parsed: a file found in it
	// (same content, same reader, same settings) is not parsed again, and
	// a file parsed is added to it.
	Cache *parsecache.Store
	// FileTimeout is how long one file may take to read before it is
	// abandoned; zero means DefaultFileTimeout.
	FileTimeout time.Duration
	// Hashed, when set, is the run's Fingerprinter: with a cache, a file it
	// hashed and unchanged since (the same file, size and time of change)
	// is not hashed again to be looked up.
	Hashed *Fingerprinter
	// Carry, when set, carries the datasets from one Read to the next of
	// a run of many months, so that each merges only the files the one
	// before did not read. The records a Read returns are then reused by
	// the next: see Carry.
	Carry *Carry
}

func (o Options) xlsx() xlsx.Options { return xlsx.Options{ExcelizeOnly: o.ExcelizeOnly} }

// ReadWith is Read with options.
func ReadWith(ctx context.Context, cfg *report.Config, root string, from, through report.Month, opt Options) (*report.Dataset, *report.Quality, error) {
	if from.Compare(through) > 0 {
		return nil, nil, report.Errorf(report.KindUsage, "the months to read run from %s to %s: the first is after the last", from, through)
	}
	folders, err := monthFolders(root)
	if err != nil {
		return nil, nil, &report.Error{Kind: report.KindData, Op: "数据文件夹无法读取（用 --data 指定，默认是 data）", Path: root, Err: err}
	}
	// Empty lists, not nil ones, so that quality.json shows [].
	q := &report.Quality{Period: through.String(), Inputs: []report.Input{}, Files: []report.FileError{},
		Rejected: []report.Rejection{}, Warnings: []report.Warning{}}
	for m := from; m.Compare(through) <= 0; m = m.Add(1) {
		if _, ok := folders[m]; !ok {
			dir := filepath.Join(root, m.String())
			q.Missing = append(q.Missing, report.MissingDir{Month: m.String(), Path: dir})
			q.Warnings = append(q.Warnings, report.Warning{Kind: report.WarnMissingMonth, File: dir, Count: 1,
				Example: "缺少 " + m.String() + " 月份文件夹"})
		}
	}
	rd := newReader(cfg, opt)
	if rd.realRoot, err = realPath(root); err != nil {
		return nil, nil, &report.Error{Kind: report.KindData, Op: "read the data folder", Path: root, Err: err}
	}
	jobs := rd.plan(folders, from, through, q)
	ahead := func(dataset string) int { return opt.Carry.monthsAfter(through, dataset) }
	c := newCollector(jobs, opt.Carry.take(rd.settings, rd.realRoot, jobs), ahead)
	if err := rd.run(ctx, jobs, c); err != nil {
		return nil, nil, err
	}
	// A read abandoned at its time limit may still be writing into its
	// dataset's pool of chunks: that dataset is not for the next Read.
	carry := opt.Carry != nil && !c.abandoned()
	ds := assemble(c, through, q, carry)
	warnAbsentSquads(q, ds, rd.cfg.CountedSquads(), through, c)
	if len(q.Files) == 0 {
		ds.Fingerprint = fingerprint(rd.settings, from, through, jobs, func(i int) string { return c.results[i].Load().input.SHA256 })
	}
	if carry {
		opt.Carry.keep(rd.settings, rd.realRoot, c, jobs)
	}
	return ds, q, nil
}

// reader holds what every file needs, read-only.
type reader struct {
	cfg      *report.Config
	opt      Options
	realRoot string    // the data folder, links resolved
	schemas  []*schema // by dataset, as datasets
	names    *vocabulary
	// settings is the reader and every setting reading depends on, as a
	// hash: what the cache keys of this Read share, and what a Carry is
	// carried under.
	settings []byte
}

func newReader(cfg *report.Config, opt Options) *reader {
	rd := &reader{cfg: cfg, opt: opt, names: newVocabulary(cfg), settings: cachePrefix(cfg, opt)}
	for _, d := range datasets {
		name := d.datasetName()
		rd.schemas = append(rd.schemas, newSchema(name, cfg.Datasets[name].Columns))
	}
	return rd
}

// monthFolders lists the folders of root named exactly like 2025-05.
func monthFolders(root string) (map[report.Month]string, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	folders := make(map[report.Month]string)
	for _, e := range entries {
		m, err := report.ParseMonth(e.Name())
		if err != nil || m.String() != e.Name() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if info, err := os.Stat(dir); err == nil && info.IsDir() { // follows symlinks
			folders[m] = dir
		}
	}
	return folders, nil
}

// fileJob is one export to read.
type fileJob struct {
	kind    int // index in datasets
	dataset string
	folder  report.Month
	path    string
	ext     string // .xlsx, .csv or .xls (refused with a clear reason)
	// deep marks a 案件 export of a folder before the months the report
	// looks at (and their 上月): it is read last and gives only the cases
	// a sample names (see collector.mergeDeep).
	deep bool
}

// plan lists the files to read, in the order that decides duplicates:
// folder, then file name.
func (rd *reader) plan(folders map[report.Month]string, from, through report.Month, q *report.Quality) []fileJob {
	var months []report.Month
	for m := range folders {
		if m.Compare(through) <= 0 {
			months = append(months, m)
		}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Compare(months[j]) < 0 })
	var jobs []fileJob
	for _, m := range months {
		dir := folders[m]
		inWindow := m.Compare(from) >= 0
		entries, err := os.ReadDir(dir) // sorted by name
		if err != nil {
			q.Files = append(q.Files, report.FileError{File: dir, Reason: fmt.Sprintf("文件夹无法读取（%v）", err)})
			continue
		}
		present := make(map[string]bool)
		for _, e := range entries {
			name := e.Name()
			ext := strings.ToLower(filepath.Ext(name))
			if e.IsDir() || strings.HasPrefix(name, "~$") || strings.HasPrefix(name, ".") {
				continue
			}
			kind := -1
			if ext == ".xlsx" || ext == ".csv" || ext == ".xls" {
				kind = rd.datasetOf(name)
			}
			if kind < 0 {
				if inWindow {
					q.Warnings = append(q.Warnings, rd.unmatched(dir, name))
				}
				continue
			}
			dataset := datasets[kind].datasetName()
			if !inWindow && !report.ReachesAllHistory[dataset] {
				continue
			}
			deep := dataset == report.DatasetCases && m.Compare(from.Prev()) < 0
			jobs = append(jobs, fileJob{kind: kind, dataset: dataset, folder: m, path: filepath.Join(dir, name), ext: ext, deep: deep})
			present[dataset] = true
		}
		if !inWindow {
			continue
		}
		for _, d := range datasets {
			if dataset := d.datasetName(); !present[dataset] {
				p := rd.prefixes(dataset)[0]
				q.Warnings = append(q.Warnings, report.Warning{Kind: report.WarnMissingFile, File: dir, Count: 1,
					Example: fmt.Sprintf("%s 文件夹中没有「%s」导出：文件名要以“%s”开头，如“%s.xlsx”“%s_%d年%d月.csv”", m, dataset, p, p, p, m.Year, int(m.Month))})
			}
		}
	}
	// The earlier years' cases go last, when every sample is known: a
	// city's years of cases need not be held to find the few sampled.
	slices.SortStableFunc(jobs, func(a, b fileJob) int {
		switch {
		case a.deep == b.deep:
			return 0
		case a.deep:
			return 1
		}
		return -1
	})
	return jobs
}

// datasetOf matches a file name against the configured prefixes and
// returns the index of its dataset, -1 if none; the longest matching
// prefix wins.
func (rd *reader) datasetOf(file string) int {
	folded := report.Fold(file)
	best, bestLen := -1, 0
	for i, d := range datasets {
		for _, p := range rd.prefixes(d.datasetName()) {
			if fp := report.Fold(p); fp != "" && strings.HasPrefix(folded, fp) && len(fp) > bestLen {
				best, bestLen = i, len(fp)
			}
		}
	}
	return best
}

// run reads the files on up to GOMAXPROCS goroutines into the collector.
// Files are taken in job order, so that they finish roughly in the order
// the collector merges them in.
func (rd *reader) run(ctx context.Context, jobs []fileJob, c *collector) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(jobs)) {
		wg.Go(func() {
			for i := range next {
				c.done(i, rd.readFile(ctx, c, jobs[i]))
			}
		})
	}
feed:
	for i := range jobs {
		if c.results[i].Load() != nil { // carried
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	c.drain()
	return nil
}

// fileResult is what one file gave: its records, rejections and warnings,
// or the reason it could not be read at all.
type fileResult struct {
	job         fileJob
	schema      *schema
	vocab       *vocab
	sheet       string
	source      *report.Source // every record's, set with sheet
	input       report.Input
	failure     string
	rejected    []report.Rejection
	warnings    []report.Warning
	squadColumn column // 抽查明细's 承办中队, for rejections made after reading
	records     any    // *records[T] of the dataset's record type, made by its parser
	abandoned   bool   // at its time limit (readWithin)
	carried     bool   // merged by an earlier Read of the run (Carry)
}

func (r *fileResult) warn(kind, example string) {
	for i := range r.warnings {
		if r.warnings[i].Kind == kind {
			r.warnings[i].Count++
			return
		}
	}
	r.warnings = append(r.warnings, report.Warning{Kind: kind, File: r.job.path, Count: 1, Example: example})
}

// reject records a rejected row. The column's header and the value are
// copied: a cell's text is a slice of memory its file's cells share (its
// shared strings, its text blocks), which a rejection kept for the whole
// run would keep alive.
func (r *fileResult) reject(row int, col column, value, reason string) {
	name := col.header
	if name == "" {
		name = col.name
	}
	r.rejected = append(r.rejected, report.Rejection{Dataset: r.job.dataset, File: r.job.path, Sheet: r.sheet,
		Row: row, Column: strings.Clone(name), Value: strings.Clone(value), Reason: reason})
	r.input.Rejected++
}

// readFile reads one export, or gives the reason it could not: it is not
// a regular file inside the data folder, it is of a kind not read, or it
// took longer than Options.FileTimeout (then it is abandoned: the worker
// moves on even if a read is stuck in the system, as on an unreachable
// network drive).
func (rd *reader) readFile(ctx context.Context, c *collector, job fileJob) *fileResult {
	if job.ext == ".xls" {
		res := rd.newResult(job)
		res.failure = "旧版 Excel 97-2003 (.xls) 文件不能读取；请在 Excel 中另存为 .xlsx"
		return res
	}
	if job.deep {
		// An earlier year's cases are read once every sample is known
		// (deepFilter). The wait is not the file's own time.
		select {
		case <-c.deepReady:
		case <-ctx.Done():
			res := rd.newResult(job)
			res.failure = "读取被取消"
			return res
		}
	}
	f, size, err := openExport(rd.realRoot, job.path)
	if err != nil {
		res := rd.newResult(job)
		res.fail(err)
		return res
	}
	defer f.Close()
	return rd.readWithin(ctx, c, job, f, size)
}

// readWithin reads the open file f of size bytes, giving up after the time
// limit: f is closed, which ends a read waiting on a pipe, and the result
// says why.
func (rd *reader) readWithin(ctx context.Context, c *collector, job fileJob, f *os.File, size int64) *fileResult {
	limit := rd.opt.FileTimeout
	if limit <= 0 {
		limit = DefaultFileTimeout
	}
	fctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan *fileResult, 1)
	go func() { done <- rd.readOpened(fctx, c, job, f, size) }()
	var res *fileResult
	select {
	case res = <-done:
	case <-fctx.Done():
		_ = f.Close()
		res = rd.newResult(job)
	}
	if fctx.Err() != nil {
		res.abandoned = true
		res.failure = "读取被取消"
		if ctx.Err() == nil {
			res.failure = fmt.Sprintf("读取超过 %s 仍未完成，已放弃（文件可能在无法访问的网络盘上）；请把文件复制到本机的数据文件夹后重新运行", limit)
		}
	}
	return res
}

// DefaultFileTimeout is how long one export may take to read when
// Options.FileTimeout is not set: a city's largest export reads in
// seconds.
const DefaultFileTimeout = 5 * time.Minute

// readOpened reads one export from f: from the cache when it holds the
// file's content, else by parsing it (and then into the cache, if it was
// read whole). Of an earlier year's cases, it keeps those a rule reaches,
// either way (keepSampled, Decoding.KeepCases).
func (rd *reader) readOpened(ctx context.Context, c *collector, job fileJob, f *os.File, size int64) *fileResult {
	stores := c.stores
	// A file written while it is parsed (an export still being saved) is
	// refused: what was parsed, and its hash, may be of neither version.
	opened, _ := f.Stat()
	parse := func(sum string) *fileResult {
		res := rd.parseOpened(ctx, stores, job, f, size, sum)
		if res.failure == "" && changedSince(f, opened) {
			res.failure = "文件在读取时被改动了，不予读取；请等导出或复制完成后重新运行"
		}
		return res
	}
	if rd.opt.Cache == nil {
		return c.keepSampled(parse(""))
	}
	sum, hashedBefore := rd.opt.Hashed.sumOf(job.path, f, size)
	if !hashedBefore {
		var err error
		if sum, err = hashOf(f, size); err != nil {
			return c.keepSampled(parse("")) // which says why it cannot be read, or reads it
		}
	}
	key := cacheKey(rd.settings, job, sum)
	store := stores[job.kind]
	decoding := store.decoding()
	res := rd.newResult(job)
	if job.deep { // the cases no rule reaches are skipped, not built to be dropped
		d := *decoding
		d.KeepCases, decoding = deepFilter(c, res), &d
	}
	if en, ok := rd.opt.Cache.Get(key, decoding); ok {
		return rd.fromEntry(res, store, en)
	}
	parsedSum := sum
	if hashedBefore { // not of this opening: parsing takes its own (changedSince refuses a file changed since)
		parsedSum = ""
	}
	res = parse(parsedSum)
	// Only a file read whole, unchanged since it was hashed: a failure may
	// be the disk's, not the file's, and is worth trying again.
	if res.failure == "" && res.input.SHA256 == sum && ctx.Err() == nil {
		rd.opt.Cache.Put(key, job.path, res.entry(store)) // the whole file: the cache serves any report
	}
	return c.keepSampled(res)
}

// changedSince reports whether the open file f is no longer as it was
// when before was taken of it: its size or its time of change differ.
func changedSince(f *os.File, before os.FileInfo) bool {
	now, err := f.Stat()
	return err != nil || before == nil || now.Size() != before.Size() || !now.ModTime().Equal(before.ModTime())
}

// parseOpened parses one export from f; sum is its content hash when
// known (a workbook is then not read a second time to hash it). It never
// panics: a workbook that trips up the parser is reported like any other
// unreadable file.
func (rd *reader) parseOpened(ctx context.Context, stores []datasetStore, job fileJob, f *os.File, size int64, sum string) (res *fileResult) {
	res = rd.newResult(job)
	defer func() {
		if p := recover(); p != nil {
			res.failure = fmt.Sprintf("读取时出现内部错误，文件可能已损坏（%v）", p)
		}
	}()
	switch job.ext {
	case ".xlsx":
		if sum == "" {
			var err error
			if sum, err = hashOf(f, size); err != nil {
				res.failure = fmt.Sprintf("无法读取文件（%v）", err)
				return res
			}
		}
		res = rd.readXLSX(ctx, stores[job.kind], job, f, size)
		res.input.SHA256 = sum
	case ".csv":
		// The hash of the bytes parsed, which readOpened compares with
		// the sum it was cached under: the whole file has passed through
		// once the rows are read.
		hash := sha256.New()
		c, err := openCSV(io.TeeReader(f, hash))
		if err != nil {
			res.fail(err)
			return res
		}
		res.fail(res.readTable(ctx, stores[job.kind], c, dateParser{loc: rd.cfg.Location, memo: new(dateMemo)}))
		res.input.SHA256 = hex.EncodeToString(hash.Sum(nil))
	}
	return res
}

// hashOf is the content hash of the first size bytes of f.
func hashOf(f *os.File, size int64) (string, error) {
	hash := sha256.New()
	if _, err := io.Copy(hash, io.NewSectionReader(f, 0, size)); err != nil {
		return "", err
	}
	return hex.EncodeToString(hash.Sum(nil)), nil
}

func (rd *reader) newResult(job fileJob) *fileResult {
	return &fileResult{job: job, schema: rd.schemas[job.kind], vocab: rd.names.forFile(),
		input: report.Input{Dataset: job.dataset, File: job.path}}
}

// readXLSX reads a workbook. The engine may ask for the sheet to be read
// a second time (by excelize): each time starts from a new result.
func (rd *reader) readXLSX(ctx context.Context, store datasetStore, job fileJob, f *os.File, size int64) *fileResult {
	res := rd.newResult(job)
	want := rd.sheetFor(job.dataset)
	var sheets []xlsx.Worksheet
	err := xlsx.Read(f, size, want, rd.opt.xlsx(), func(s *xlsx.Sheet) error {
		res, sheets = rd.newResult(job), s.Worksheets()
		return res.readTable(ctx, store, s, dateParser{loc: rd.cfg.Location, date1904: s.Date1904(), memo: new(dateMemo)})
	})
	switch res.fail(err); {
	case res.failure == "":
		rd.warnOtherSheets(ctx, res, f, size, sheets)
	case isNoHeader(err):
		res.failure += rd.otherSheetWithHeader(ctx, res, f, size, sheets, want)
	}
	return res
}

// readTable reads the rows of src into the result.
func (res *fileResult) readTable(ctx context.Context, store datasetStore, src rowSource, dates dateParser) error {
	res.sheet = src.Name()
	res.source = &report.Source{File: res.job.path, Sheet: res.sheet, Folder: res.job.folder}
	t := table{src: src, schema: res.schema, res: res, dates: dates}
	return t.read(ctx, func(h header) rowParser {
		return store.parser(res, func(name string) column { return res.schema.column(h, name) })
	})
}

// fail records why the file could not be used, if err says it could not.
func (res *fileResult) fail(err error) {
	if err != nil {
		res.failure = readFailure(err)
	}
}

func (rd *reader) sheetFor(dataset string) string {
	if s := rd.cfg.Datasets[dataset].Sheet; s != "" {
		return s
	}
	return dataset
}

// warnAbsentSquads warns of the counted squads without a case in the
// 案件 exports of the report's month, when they were read: most likely the
// export left a squad out, which holds the delivery for a person to look
// at (deliver.QualityChecks).
func warnAbsentSquads(q *report.Quality, ds *report.Dataset, squads []string, through report.Month, c *collector) {
	var files []string // the month's 案件 exports read, together
	for i := range c.results {
		if r := c.results[i].Load(); r.failure == "" && r.job.dataset == report.DatasetCases && r.job.folder == through {
			files = append(files, r.job.path)
		}
	}
	if len(files) == 0 {
		return // no export to speak of: its absence is told as such
	}
	present := make(map[string]bool)
	for _, cs := range ds.Cases {
		if cs.Origin.Folder() == through {
			present[cs.Squad] = true
		}
	}
	var absent []string
	for _, s := range squads {
		if !present[s] {
			absent = append(absent, s)
		}
	}
	if len(absent) == 0 {
		return
	}
	example := fmt.Sprintf("%s的案件导出中没有以下中队的案件：%s", through.Chinese(), strings.Join(absent, "、"))
	if len(files) > 1 {
		names := make([]string, len(files))
		for i, f := range files {
			names[i] = filepath.Base(f)
		}
		example += "（" + strings.Join(names, "、") + " 合起来看）"
	}
	// Counted by squad, as the summary's number is read; the first export
	// is where the warning is filed, in the month's folder.
	q.Warnings = append(q.Warnings, report.Warning{Kind: report.WarnSquadAbsent, File: files[0], Count: len(absent), Example: example})
}

// assemble completes the datasets of the collector: unreadable files
// become FileErrors, samples get their squads from the cases, superseded
// records are dropped, and the quality report collects the rest.
func assemble(c *collector, through report.Month, q *report.Quality, carry bool) *report.Dataset {
	var read []*fileResult
	readable := make(map[string]bool) // datasets read from the through folder
	for i := range c.results {
		r := c.results[i].Load()
		if r.failure != "" {
			q.Files = append(q.Files, report.FileError{Dataset: r.job.dataset, File: r.job.path, Reason: r.failure})
			continue
		}
		read = append(read, r)
		if r.job.folder == through {
			readable[r.job.dataset] = true
		}
	}
	ds := &report.Dataset{}
	// Each file belongs to one dataset, so the datasets touch disjoint
	// results and are finished in parallel; those that read others (the
	// samples take squads from the cases) are finished after.
	var wg sync.WaitGroup
	for _, s := range c.stores {
		if !s.dependent() {
			wg.Go(func() { s.finish(ds, carry) })
		}
	}
	wg.Wait()
	for _, s := range c.stores {
		if s.dependent() {
			s.finish(ds, false)
		}
	}
	for _, d := range datasets {
		if name := d.datasetName(); !readable[name] {
			ds.Missing = append(ds.Missing, name)
		}
	}
	for _, r := range read {
		q.Inputs = append(q.Inputs, r.input)
		sort.SliceStable(r.rejected, func(i, j int) bool { return r.rejected[i].Row < r.rejected[j].Row })
		q.Rejected = append(q.Rejected, r.rejected...)
		q.Warnings = append(q.Warnings, r.warnings...)
	}
	return ds
}

// resolveSamples gives a sample without 承办中队 the squad of its case and
// warns about samples of cases missing from 案件; a sample with neither a
// squad nor a known case cannot be attributed and is rejected.
func resolveSamples(samples *merged[report.Sample], ds *report.Dataset) {
	// Only the cases that samples name: a city's year of cases is large.
	sampled, caseOf := samples.numberNames() // by beginDeep, when there are earlier years' cases
	samples.named, samples.nameOf = nil, nil // the rows move from here on
	sampled.seal()                           // nothing to do if beginDeep sealed it
	squads, known := make([]string, len(sampled.ids)), make([]bool, len(sampled.ids))
	for _, c := range ds.Cases {
		if i, ok := memberOf(sampled, c.ID); ok {
			squads[i], known[i] = c.Squad, true
		}
	}
	kept := 0
	for f, r := range samples.files {
		end := len(samples.rows)
		if f+1 < len(samples.starts) {
			end = samples.starts[f+1]
		}
		start := samples.starts[f]
		samples.starts[f] = kept
		for i := start; i < end; i++ {
			s, c := samples.rows[i], caseOf[i]
			if !known[c] {
				r.warn(report.WarnUnknownCase, fmt.Sprintf("第%d行：案件编号 %s 不在案件表中", s.Origin.Row, s.CaseID))
			}
			if s.Squad == "" {
				if !known[c] {
					r.reject(s.Origin.Row, r.squadColumn, "", fmt.Sprintf("承办中队为空，案件编号 %s 又不在案件表中，无法确定中队", s.CaseID))
					r.input.Accepted--
					continue
				}
				s.Squad = squads[c]
			}
			samples.rows[kept] = s
			kept++
		}
	}
	clear(samples.rows[kept:])
	samples.rows = samples.rows[:kept]
}
