package ingest

import (
	"reflect"
	"testing"

	"bulletin/report"
)

// The descriptors are the datasets of the contract, in its order, and each
// parser resolves exactly its dataset's columns of report.Columns, in the
// contract's order: a misspelt or forgotten column name fails here, not in
// a run.
func TestDescriptors(t *testing.T) {
	cfg := loadConfig(t)
	rd := newReader(cfg, Options{})
	var names []string
	for i, d := range datasets {
		names = append(names, d.datasetName())
		var asked, want []string
		for _, c := range report.Columns[d.datasetName()] {
			want = append(want, c.Name)
		}
		known := make(map[string]bool)
		for _, name := range want {
			known[name] = true
		}
		res := rd.newResult(fileJob{kind: i, dataset: d.datasetName()})
		d.newStore(1).parser(res, func(name string) column {
			if !known[name] {
				t.Errorf("%s: the parser reads a column %q that report.Columns does not list", d.datasetName(), name)
			}
			asked = append(asked, name)
			return column{pos: -1, name: name}
		})
		if !reflect.DeepEqual(asked, want) {
			t.Errorf("%s: the parser reads the columns %q, report.Columns lists %q", d.datasetName(), asked, want)
		}
	}
	if !reflect.DeepEqual(names, report.DatasetNames) {
		t.Errorf("descriptors for %q, the contract has %q", names, report.DatasetNames)
	}
}
