package main

import (
	"strings"
	"testing"

	"bulletin/report"
)

// Every place of a character the fonts lack is a warning, however often
// the same text comes (one string, as a reader makes a repeated value, or
// equal strings of their own); a printable text that comes again, which
// markUnprintable recognizes without reading it again, is none.
func TestEveryUnprintablePlaceIsWarned(t *testing.T) {
	fonts, err := (&pipeline{cfg: loadRepoConfig(t)}).renderer()
	if err != nil {
		t.Fatal(err)
	}
	src := &report.Source{File: "/data/2025-05/诉件.xlsx", Sheet: "诉件"}
	emoji := "夜间施工\U0001F600"
	printable := "夜间施工"
	var complaints []report.Complaint
	for row := 2; row < 2+3000; row++ {
		field := printable
		switch {
		case row%1000 == 0 || row%1000 == 1:
			field = emoji // the very same string each time, twice in a row
		case row%1000 == 500:
			field = strings.Clone(emoji)
		case row%2 == 0:
			field = strings.Clone(printable)
		}
		complaints = append(complaints, report.Complaint{ID: "TS-1", Type: "投诉", Field: field, Origin: src.At(row)})
	}
	ds := &report.Dataset{Complaints: complaints}
	q := &report.Quality{}
	markUnprintable(fonts, ds, q)
	var rows []string
	for _, w := range q.Warnings {
		if w.Kind != report.WarnUnprintable || !strings.Contains(w.Example, "「问题领域」列") || !strings.Contains(w.Example, "U+1F600") {
			t.Errorf("warning %+v", w)
		}
		rows = append(rows, strings.SplitN(strings.SplitN(w.Example, "第", 2)[1], "行", 2)[0])
	}
	if want := []string{"500", "1000", "1001", "1500", "2000", "2001", "2500", "3000", "3001"}; strings.Join(rows, " ") != strings.Join(want, " ") {
		t.Errorf("warned rows %v, want %v", rows, want)
	}
	if !ds.Unprintable['\U0001F600'] || len(ds.Unprintable) != 1 {
		t.Errorf("marked %v", ds.Unprintable)
	}
}
