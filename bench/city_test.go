package bench

import (
	"archive/zip"
	"context"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/sample"
)

func loadConfig(t testing.TB) *report.Config {
	t.Helper()
	cfg, err := config.Load("../config.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readMonth reads what a report on m reads, as cmd/bulletin does.
func readMonth(t testing.TB, cfg *report.Config, root string, m report.Month, opt ingest.Options) (*report.Dataset, *report.Quality) {
	t.Helper()
	from := report.Month{Year: m.Year, Month: 1}
	if prev := m.Prev(); prev.Compare(from) < 0 {
		from = prev
	}
	ds, q, err := ingest.ReadWith(context.Background(), cfg, root, from, m, opt)
	if err != nil {
		t.Fatal(err)
	}
	q.Period = m.String()
	return ds, q
}

// Every figure of every month of 2025, from the embedded sample data, is
// the same whether the exports are read by the streaming reader or by
// excelize; so are the records and the data-quality report.
func TestFiguresSameEitherReader(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	if err := sample.Extract(root); err != nil {
		t.Fatal(err)
	}
	var refYear, gotYear []metrics.Issued // the months before, as issued
	for m := (report.Month{Year: 2025, Month: 1}); m.Year == 2025; m = m.Add(1) {
		ref, refQ := readMonth(t, cfg, root, m, ingest.Options{ExcelizeOnly: true})
		got, gotQ := readMonth(t, cfg, root, m, ingest.Options{})
		ref.Fingerprint = got.Fingerprint // of the reader's settings too
		if !reflect.DeepEqual(ref, got) || !reflect.DeepEqual(refQ, gotQ) {
			t.Fatalf("%s: the records or the quality report differ", m)
		}
		issued := m.Add(1).First()
		refFig, err1 := metrics.Monthly(cfg, ref, refQ, m, issued, refYear)
		gotFig, err2 := metrics.Monthly(cfg, got, gotQ, m, issued, gotYear)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		refIs, err1 := metrics.IssuedOf(refFig)
		gotIs, err2 := metrics.IssuedOf(gotFig)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		refYear, gotYear = append(refYear, refIs), append(gotYear, gotIs)
		a, _ := json.Marshal(refFig)
		b, _ := json.Marshal(gotFig)
		if string(a) != string(b) {
			t.Errorf("%s: figures differ:\n%s\n%s", m, a, b)
		}
		if len(got.Complaints) == 0 || len(got.Cases) == 0 {
			t.Errorf("%s: %d complaints, %d cases read", m, len(got.Complaints), len(got.Cases))
		}
	}
}

// The shared-strings layout holds the same data as the inline one: read
// back, the two give the same records and the same quality report (but
// for the files' hashes and the readings' fingerprints), and every text cell of the shared layout is a
// reference into its table.
func TestSharedLayoutSameData(t *testing.T) {
	cfg := loadConfig(t)
	roots := map[Layout]string{}
	for _, l := range []Layout{Inline, Shared} {
		roots[l] = filepath.Join(t.TempDir(), string(l))
		if err := Generate(roots[l], "", 0.3, l); err != nil {
			t.Fatal(err)
		}
	}
	m := report.Month{Year: 2025, Month: 12}
	in, inQ := readMonth(t, cfg, roots[Inline], m, ingest.Options{})
	sh, shQ := readMonth(t, cfg, roots[Shared], m, ingest.Options{})
	for _, q := range []*report.Quality{inQ, shQ} {
		for i := range q.Inputs {
			q.Inputs[i].SHA256 = ""
		}
	}
	in.Fingerprint, sh.Fingerprint = "", "" // of the files' hashes
	// Paths differ by the root only.
	b1, _ := json.Marshal([]any{in, inQ})
	b2, _ := json.Marshal([]any{sh, shQ})
	if strings.ReplaceAll(string(b1), roots[Inline], "ROOT") != strings.ReplaceAll(string(b2), roots[Shared], "ROOT") {
		t.Error("the layouts read differently")
	}
	if len(in.Complaints) < 3000 {
		t.Errorf("%d complaints: not a year", len(in.Complaints))
	}
	files, err := MonthFiles(roots[Shared], m)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		zr, err := zip.OpenReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, part := range zr.File {
			if strings.HasPrefix(part.Name, "xl/worksheets/") {
				xml, err := readPart(part)
				if err != nil || strings.Contains(string(xml), "inlineStr") || !strings.Contains(string(xml), `t="s"`) {
					t.Errorf("%s %s: not in the shared-strings layout (%v)", f, part.Name, err)
				}
			}
		}
		zr.Close()
	}
}

// MonthFiles lists what a March report reads: 案件, 抽查明细 and 监督检查
// from every earlier folder, everything from January to March, nothing
// later.
func TestMonthFiles(t *testing.T) {
	root := t.TempDir()
	if err := sample.Extract(root); err != nil {
		t.Fatal(err)
	}
	files, err := MonthFiles(root, report.Month{Year: 2025, Month: 3})
	if err != nil {
		t.Fatal(err)
	}
	perFolder := map[string]int{}
	for _, f := range files {
		folder := filepath.Base(filepath.Dir(f))
		perFolder[folder]++
		if folder == "2024-12" && !reachesAllHistory(filepath.Base(f)) {
			t.Errorf("%s read for March", f)
		}
	}
	want := map[string]int{"2024-12": 3, "2025-01": 6, "2025-02": 6, "2025-03": 6}
	if !reflect.DeepEqual(perFolder, want) {
		t.Errorf("files per folder %v, want %v", perFolder, want)
	}
}
