package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
	"bulletin/report/ingest"
)

// A month's run finds the year's earlier months judged by the run before
// (item 87 without reading them again), and its figures are byte for byte
// those of a run with no cache; an earlier month whose exports changed, or
// a plan changed, is judged again, never taken from the cache.
func TestJudgedMonthsComeFromTheCache(t *testing.T) {
	data := copyTree(t, filepath.Join(cliDemo(t), "data"))
	cfg := loadRepoConfig(t)
	november, december := report.Month{Year: 2025, Month: 11}, report.Month{Year: 2025, Month: 12}
	build := func(cfg *report.Config, out string, m report.Month) (found int, figures []byte) {
		t.Helper()
		p := &pipeline{cfg: cfg, dataDir: data, outDir: out}
		b, err := p.buildMonthly(context.Background(), m, report.MustDate(2026, 1, 5), false)
		if err == nil {
			err = b.wait()
		}
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		figures, err = os.ReadFile(filepath.Join(out, m.String(), "figures.json"))
		if err != nil {
			t.Fatal(err)
		}
		return p.judgedFound, figures
	}
	fresh := func(cfg *report.Config) []byte {
		t.Helper()
		found, figures := build(cfg, t.TempDir(), december)
		if found != 0 {
			t.Fatalf("a run with no cache found %d months judged", found)
		}
		return figures
	}

	out := t.TempDir()
	if found, _ := build(cfg, out, november); found != 0 {
		t.Fatalf("November's first run found %d months judged", found)
	}
	found, got := build(cfg, out, december)
	if found != 11 {
		t.Errorf("December after November found %d months judged, want January to November", found)
	}
	want := fresh(cfg)
	if !bytes.Equal(got, want) {
		t.Error("December's figures from the cache differ from a run's with none")
	}
	cache := filepath.Join(out, ingest.CacheFile)
	before, err := os.Stat(cache)
	if err != nil {
		t.Fatal(err)
	}
	if found, again := build(cfg, out, december); found != 11 || !bytes.Equal(again, want) {
		t.Errorf("December again: %d months found; figures as before %v", found, bytes.Equal(again, want))
	}
	if after, err := os.Stat(cache); err != nil || after.Size() != before.Size() {
		t.Errorf("a re-run added to the cache: %d bytes, then %d (%v)", before.Size(), after.Size(), err)
	}

	// A case file sampled in March added to March's 抽查明细 export: March's
	// reading and the later ones change, so March to November are judged
	// again (January and February are found), and December states March
	// as a run with no cache does, not as the cache held it.
	addRow(t, filepath.Join(data, "2025-03", "抽查明细.xlsx"),
		"CC2025039901", "2025.3.20", "案卷", "JA2025010004", "江宁路中队", "执法协调科", "合格")
	found, got = build(cfg, out, december)
	if found != 2 {
		t.Errorf("after March changed, %d months found judged, want January and February", found)
	}
	if bytes.Equal(got, want) {
		t.Fatal("the late sample changed nothing December states: the test proves nothing")
	}
	if want = fresh(cfg); !bytes.Equal(got, want) {
		t.Error("after March changed, December's figures differ from a run's with no cache")
	}

	// The plan's target changed: nothing judged under the old one is used.
	changed, err := cfg.ForMonth(december)
	if err != nil {
		t.Fatal(err)
	}
	changed.Plans = append([]report.Plan(nil), changed.Plans...)
	for i := range changed.Plans {
		if changed.Plans[i].Year == 2025 {
			changed.Plans[i] = changed.Plan
			changed.Plans[i].Quotas[0].Target += 0.05
		}
	}
	changed.Plan = report.Plan{}
	if found, got = build(changed, out, december); found != 0 {
		t.Errorf("under a changed plan, %d months found judged under the old one", found)
	}
	if !bytes.Equal(got, fresh(changed)) {
		t.Error("under a changed plan, December's figures differ from a run's with no cache")
	}
}

// A process that stays up (the schedule) builds each period from the data
// as it is then: a late sample of March arriving between December's draft
// and its sending changes what the sent December states of March, as a
// run of its own would (the months the data did not change for come from
// the cache); and builds asked for at once, as the schedule's timers may,
// run one at a time and give what each gives alone. (.ci/run runs this
// test under the race detector.)
func TestPipelineThatStaysUpBuildsFromTheDataNow(t *testing.T) {
	data := copyTree(t, filepath.Join(cliDemo(t), "data"))
	cfg := loadRepoConfig(t)
	december := report.Period{Kind: report.PeriodMonthly, Month: report.Month{Year: 2025, Month: 12}}
	h2 := report.Period{Kind: report.PeriodHalfYear, Half: report.Half{Year: 2025, N: 2}}
	built := func(p *pipeline, period report.Period) ([]byte, error) {
		docs, err := p.Build(context.Background(), period, report.MustDate(2026, 1, 5))
		if err != nil {
			return nil, err
		}
		return os.ReadFile(filepath.Join(docs.Dir, "figures.json"))
	}
	build := func(p *pipeline, period report.Period) []byte {
		t.Helper()
		figures, err := built(p, period)
		if err != nil {
			t.Fatal(err)
		}
		return figures
	}
	fresh := func(period report.Period) []byte {
		t.Helper()
		return build(&pipeline{cfg: cfg, dataDir: data, outDir: t.TempDir()}, period)
	}

	up := &pipeline{cfg: cfg, dataDir: data, outDir: t.TempDir()}
	draft := build(up, december)
	addRow(t, filepath.Join(data, "2025-03", "抽查明细.xlsx"),
		"CC2025039901", "2025.3.20", "案卷", "JA2025010004", "江宁路中队", "执法协调科", "合格")
	sent := build(up, december)
	want := fresh(december)
	if bytes.Equal(draft, want) {
		t.Fatal("the late sample changed nothing December states: the test proves nothing")
	}
	if !bytes.Equal(sent, want) {
		t.Errorf("the process that stays up sent December as its draft stated March (the draft's figures: %v), not as the data now give it", bytes.Equal(sent, draft))
	}
	if up.judgedFound != 2 {
		t.Errorf("%d months found judged, want January and February (March on changed)", up.judgedFound)
	}

	wantH2 := fresh(h2)
	var got [2][]byte
	var errs [2]error
	var wg sync.WaitGroup
	for i, period := range []report.Period{december, h2} {
		wg.Go(func() { got[i], errs[i] = built(up, period) })
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[0], want) || !bytes.Equal(got[1], wantH2) {
		t.Errorf("built at once, December as alone %v, the second half as alone %v", bytes.Equal(got[0], want), bytes.Equal(got[1], wantH2))
	}
}

// addRow adds a row of values to the first sheet of the workbook at path.
func addRow(t *testing.T, path string, values ...any) {
	t.Helper()
	wb, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	sheet := wb.GetSheetList()[0]
	rows, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	cell, _ := excelize.CoordinatesToCellName(1, len(rows)+1)
	if err := wb.SetSheetRow(sheet, cell, &values); err != nil {
		t.Fatal(err)
	}
	if err := wb.Save(); err != nil {
		t.Fatal(err)
	}
}
