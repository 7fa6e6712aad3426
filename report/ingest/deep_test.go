package ingest

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"bulletin/report"
)

// A deep file's filter may still run after the datasets are finished: a
// read abandoned at its time limit goes on decoding from the cache on its
// own goroutine. It answers from what beginDeep noted, and does not crash
// the run.
func TestDeepFilterOutlivesTheDatasets(t *testing.T) {
	rd := newReader(loadConfig(t), Options{})
	june := report.Month{Year: 2025, Month: 6}
	cases := fileJob{kind: datasetOfName(report.DatasetCases), dataset: report.DatasetCases, folder: june, path: "2025-06/案件.xlsx"}
	samples := fileJob{kind: datasetOfName(report.DatasetSamples), dataset: report.DatasetSamples, folder: june, path: "2025-06/抽查明细.xlsx"}
	deep := cases
	deep.folder, deep.path, deep.deep = report.Month{Year: 2023, Month: 5}, "2023-05/案件.xlsx", true
	c := newCollector([]fileJob{cases, samples, deep}, nil)
	r := rd.newResult(cases)
	r.records = &records[report.Case]{chunks: [][]report.Case{{{ID: "AGAIN", Squad: "北站中队"}}}, n: 1}
	c.done(0, r)
	r = rd.newResult(samples)
	r.records = &records[report.Sample]{chunks: [][]report.Sample{{{ID: "S1", CaseID: "AGAIN"}, {ID: "S2", CaseID: "OLD"}}}, n: 2}
	c.done(1, r)
	select {
	case <-c.deepReady:
	default:
		t.Fatal("the deep files still wait after every other file is merged")
	}
	ds := &report.Dataset{}
	for _, s := range c.stores {
		if !s.dependent() {
			s.finish(ds, false)
		}
	}
	abandoned := rd.newResult(deep)
	keep := c.deepFilter(abandoned)
	if !keep("OLD") || keep("OTHER") {
		t.Error("want only the case a sample names")
	}
	if keep("AGAIN") || abandoned.input.Superseded != 1 {
		t.Errorf("the case June gave again: kept, or superseded %d", abandoned.input.Superseded)
	}
}

// A kept case of an earlier year holds strings of its own, not slices of
// the memory its file's rows shared: else its few kept cases would keep a
// whole file's strings alive, year after year.
func TestKeptEarlierCaseOwnsItsStrings(t *testing.T) {
	shared := strings.Repeat("静安", 1000) + "A-1城管执法结案逾期"
	at := func(s string) string { i := strings.Index(shared, s); return shared[i : i+len(s)] }
	c := report.Case{ID: at("A-1"), Squad: at("城管"), Cause: at("执法"), Status: at("结案"), Abnormal: []string{at("逾期")}}
	want := c
	want.Abnormal = slices.Clone(c.Abnormal)
	ownCase(&c)
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("ownCase changed the case: %+v", c)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(shared)))
	for _, s := range append([]string{c.ID, c.Squad, c.Cause, c.Status}, c.Abnormal...) {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); p >= start && p < start+uintptr(len(shared)) {
			t.Errorf("%q still points into the file's strings", s)
		}
	}
}
