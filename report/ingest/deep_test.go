package ingest

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"bulletin/report"
)

// deepCollector is a collector of June 2025's 案件 and 抽查明细, merged
// (cases and samples), and of a 案件 file of 2023, the deep job, not yet
// read.
func deepCollector(t *testing.T, cases []report.Case, samples []report.Sample) (*reader, *collector, fileJob) {
	t.Helper()
	rd := newReader(loadConfig(t), Options{})
	june := report.Month{Year: 2025, Month: 6}
	casesJob := fileJob{kind: datasetOfName(report.DatasetCases), dataset: report.DatasetCases, folder: june, path: "2025-06/案件.xlsx"}
	samplesJob := fileJob{kind: datasetOfName(report.DatasetSamples), dataset: report.DatasetSamples, folder: june, path: "2025-06/抽查明细.xlsx"}
	deep := casesJob
	deep.folder, deep.path, deep.deep = report.Month{Year: 2023, Month: 5}, "2023-05/案件.xlsx", true
	c := newCollector([]fileJob{casesJob, samplesJob, deep}, nil, nil)
	r := rd.newResult(casesJob)
	r.records = &records[report.Case]{chunks: [][]report.Case{cases}, n: len(cases)}
	c.done(0, r)
	r = rd.newResult(samplesJob)
	r.records = &records[report.Sample]{chunks: [][]report.Sample{samples}, n: len(samples)}
	c.done(1, r)
	return rd, c, deep
}

// A deep file's filter may still run after the datasets are finished: a
// read abandoned at its time limit goes on decoding from the cache on its
// own goroutine. It answers from what beginDeep noted, and does not crash
// the run.
func TestDeepFilterOutlivesTheDatasets(t *testing.T) {
	const long = "OLD-WITH-AN-ID-LONGER-THAN-THIRTY-TWO-BYTES"
	rd, c, deep := deepCollector(t, []report.Case{{ID: "AGAIN", Squad: "北站中队"}},
		[]report.Sample{{ID: "S1", CaseID: "AGAIN"}, {ID: "S2", CaseID: "OLD"}, {ID: "S3", CaseID: long}})
	select {
	case <-c.deepReady:
	default:
		t.Fatal("the deep files still wait after every other file is merged")
	}
	// The datasets finish while the filter is asked: the samples are
	// resolved with the same set of case ids. Only -race (.ci/run runs
	// it) finds the filter rewritten under the asking.
	asked := make(chan bool)
	go func() {
		answers := make([]bool, 1)
		deepFilter(c, rd.newResult(deep))([][]byte{[]byte("OLD")}, answers)
		asked <- answers[0]
	}()
	ds := &report.Dataset{}
	for _, s := range c.stores {
		if !s.dependent() {
			s.finish(ds, false)
		}
	}
	for _, s := range c.stores {
		if s.dependent() {
			s.finish(ds, false)
		}
	}
	if !<-asked {
		t.Error("OLD, which a sample names, was not kept while the datasets finished")
	}
	abandoned := rd.newResult(deep)
	parsed := []report.Case{{ID: "OLD"}, {ID: long}, {ID: "OTHER"}, {ID: "AGAIN"}}
	abandoned.records = &records[report.Case]{chunks: [][]report.Case{parsed}, n: len(parsed)}
	recs := c.keepSampled(abandoned).records.(*records[report.Case])
	var kept []string
	for _, chunk := range recs.chunks {
		for _, k := range chunk {
			kept = append(kept, k.ID)
		}
	}
	if !slices.Equal(kept, []string{"OLD", long}) || recs.n != 2 {
		t.Errorf("kept %v (%d), want only the cases a sample names", kept, recs.n)
	}
	if abandoned.input.Superseded != 1 {
		t.Errorf("the case June gave again: superseded %d", abandoned.input.Superseded)
	}

	// A cache entry's ids are asked about in its memory, in batches,
	// millions of them over five years: the same answers, and no
	// allocation for any, long ids' either (a string made of more than 32
	// bytes would be).
	fromCache := rd.newResult(deep)
	keepInPlace := deepFilter(c, fromCache)
	ids := [][]byte{[]byte("OLD"), []byte(long), []byte("OTHER-THAT-IS-LONGER-THAN-THIRTY-TWO-BYTES"), []byte("AGAIN")}
	answers := make([]bool, len(ids))
	keepInPlace(ids, answers)
	if !slices.Equal(answers, []bool{true, true, false, false}) || fromCache.input.Superseded != 1 {
		t.Errorf("in place: kept %v, superseded %d", answers, fromCache.input.Superseded)
	}
	if n := testing.AllocsPerRun(100, func() { keepInPlace(ids[:3], answers[:3]) }); n != 0 {
		t.Errorf("%v allocations a call", n)
	}
}

// A kept case of an earlier year holds strings of its own, not slices of
// the memory its file's rows shared: else its few kept cases would keep a
// whole file's strings alive, year after year.
func TestKeptEarlierCaseOwnsItsStrings(t *testing.T) {
	rd, c, deep := deepCollector(t, nil, []report.Sample{{ID: "S1", CaseID: "OLD-1"}})

	// The deep file's strings, as a sheet's shared strings or text blocks
	// give them: slices of one string.
	shared := strings.Repeat("静安", 1000) + "OLD-1城管执法结案逾期OTHER"
	at := func(s string) string { i := strings.Index(shared, s); return shared[i : i+len(s)] }
	old := report.Case{ID: at("OLD-1"), Squad: at("城管"), Cause: at("执法"), Status: at("结案"), Abnormal: []string{at("逾期")}}
	want := old
	want.Abnormal = slices.Clone(old.Abnormal)
	r := rd.newResult(deep)
	chunk := []report.Case{old, {ID: at("OTHER")}}
	r.records = &records[report.Case]{chunks: [][]report.Case{chunk}, n: 2}
	c.done(2, c.keepSampled(r)) // as the worker that parsed it does
	if !reflect.DeepEqual(chunk[1], report.Case{}) {
		t.Errorf("the chunk, back in the pool, still holds the case dropped: %+v", chunk[1])
	}

	kept := c.stores[deep.kind].(*store[report.Case]).merged.rows
	if len(kept) != 1 || !reflect.DeepEqual(kept[0], want) {
		t.Fatalf("kept %+v, want the case the sample names as it was read", kept)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(shared)))
	c0 := kept[0]
	for _, s := range append([]string{c0.ID, c0.Squad, c0.Cause, c0.Status}, c0.Abnormal...) {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= start && p < start+uintptr(len(shared)) {
			t.Errorf("%q still points into the file's strings", s)
		}
	}
}

// The earlier years' files, merged last, may keep many cases (a real
// history samples each year's own): once every sample is known, the cases'
// records are sized for every case the samples name that the report's
// months did not give, so that no earlier year's file moves them again;
// and that room comes on top of what the months to come of a run of many
// periods are expected to add (Carry), not multiplied by their number.
func TestDeepFilesSizeTheCasesOnce(t *testing.T) {
	const current, deepFiles, keptEach = 4_000, 12, 10_000
	for _, ahead := range []int{0, 10} {
		rd := newReader(loadConfig(t), Options{})
		june := report.Month{Year: 2025, Month: 6}
		casesJob := fileJob{kind: datasetOfName(report.DatasetCases), dataset: report.DatasetCases, folder: june, path: "2025-06/案件.xlsx"}
		samplesJob := fileJob{kind: datasetOfName(report.DatasetSamples), dataset: report.DatasetSamples, folder: june, path: "2025-06/抽查明细.xlsx"}
		jobs := []fileJob{casesJob, samplesJob}
		var samples []report.Sample
		cases := func(prefix string, n int) []report.Case {
			rows := make([]report.Case, n)
			for i := range rows {
				rows[i].ID = prefix + strconv.Itoa(i)
			}
			return rows
		}
		for d := range deepFiles {
			deep := casesJob
			deep.folder, deep.path, deep.deep = report.Month{Year: 2023, Month: time.Month(d + 1)}, fmt.Sprintf("%d/案件.xlsx", d), true
			jobs = append(jobs, deep)
			for i := range keptEach {
				samples = append(samples, report.Sample{ID: fmt.Sprint("S", d, "-", i), CaseID: fmt.Sprint(d, "-", i)})
			}
		}
		samples = append(samples, report.Sample{ID: "S-NOW", CaseID: "2025-7"}) // a case of June's
		c := newCollector(jobs, nil, func(string) int { return ahead })
		merge := func(i int, records any) { // as the workers that parse the files do
			r := rd.newResult(jobs[i])
			r.records = records
			c.done(i, c.keepSampled(r))
		}
		merge(0, &records[report.Case]{chunks: [][]report.Case{cases("2025-", current)}, n: current})
		merge(1, &records[report.Sample]{chunks: [][]report.Sample{samples}, n: len(samples)})
		m := &c.stores[casesJob.kind].(*store[report.Case]).merged
		reserved := unsafe.SliceData(m.rows)
		for d := range deepFiles { // each file: the cases samples name, and as many no sample names
			rows := append(cases(fmt.Sprint(d, "-"), keptEach), cases(fmt.Sprint("other", d, "-"), keptEach)...)
			merge(2+d, &records[report.Case]{chunks: [][]report.Case{rows}, n: len(rows)})
		}
		if want := current + deepFiles*keptEach; len(m.rows) != want {
			t.Fatalf("%d months ahead: %d rows merged, want %d", ahead, len(m.rows), want)
		}
		if unsafe.SliceData(m.rows) != reserved {
			t.Errorf("%d months ahead: the cases' records were moved as the earlier years' files came", ahead)
		}
		if most := current*(1+ahead)*9/8 + deepFiles*keptEach; cap(m.rows) > most {
			t.Errorf("%d months ahead: room for %d cases, want at most %d", ahead, cap(m.rows), most)
		}
	}
}

// The earlier years' cases are filtered against the samples and the
// report's cases alone: they need not wait for the files after the last
// 案件 and 抽查明细 (the last month's 监督检查 and 诉件), whose reading
// would keep the other worker idle, whichever of the two comes last (a
// last month without 案件). A run without earlier years' cases never
// builds the filter.
func TestDeepFilesWaitForCasesAndSamplesOnly(t *testing.T) {
	rd := newReader(loadConfig(t), Options{})
	may, june := report.Month{Year: 2025, Month: 5}, report.Month{Year: 2025, Month: 6}
	job := func(m report.Month, dataset string) fileJob {
		return fileJob{kind: datasetOfName(dataset), dataset: dataset, folder: m, path: m.String() + "/" + dataset + ".xlsx"}
	}
	deep := job(report.Month{Year: 2023, Month: 5}, report.DatasetCases)
	deep.deep = true
	for _, order := range [][]fileJob{
		{job(june, report.DatasetSamples), job(june, report.DatasetCases), job(june, report.DatasetComplaints), job(june, report.DatasetInspections), deep},
		{job(may, report.DatasetCases), job(june, report.DatasetSamples), job(june, report.DatasetComplaints), job(june, report.DatasetInspections), deep},
	} {
		c := newCollector(order, nil, nil)
		ready := func() bool {
			select {
			case <-c.deepReady:
				return true
			default:
				return false
			}
		}
		done := func(i int) {
			r := rd.newResult(order[i])
			switch order[i].dataset {
			case report.DatasetSamples: // merging empties them: new each time
				r.records = &records[report.Sample]{chunks: [][]report.Sample{{{ID: "S1", CaseID: "NOW"}, {ID: "S2", CaseID: "OLD"}}}, n: 2}
			case report.DatasetCases:
				r.records = &records[report.Case]{chunks: [][]report.Case{{{ID: "NOW"}}}, n: 1}
			default:
				r.records = &records[report.Complaint]{}
			}
			c.done(i, r)
		}
		done(0)
		done(2)
		if ready() {
			t.Fatalf("%s before %s: the deep files were let through before the second was merged", order[0].path, order[1].path)
		}
		done(1)
		if !ready() {
			t.Fatalf("%s before %s: the deep files still wait for June's 诉件 and 监督检查, which their filter does not need", order[0].path, order[1].path)
		}
		number, sampled := memberOf(c.sampled, "OLD")
		if !sampled || c.givenLater[number] {
			t.Errorf("OLD: sampled %v, given later %v; want a sampled case no month gave", sampled, sampled && c.givenLater[number])
		}
		if number, sampled := memberOf(c.sampled, "NOW"); !sampled || !c.givenLater[number] {
			t.Errorf("NOW: want a sampled case a month gave")
		}
	}

	jobs := []fileJob{job(june, report.DatasetSamples), job(june, report.DatasetCases), job(june, report.DatasetComplaints)}
	shallow := newCollector(jobs, nil, nil)
	for i := range jobs {
		shallow.done(i, rd.newResult(jobs[i]))
	}
	if shallow.sampled != nil {
		t.Error("a run without earlier years' cases built their filter")
	}
}
