package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/sample"
)

// statesMonthsAsIssued checks that f states every earlier month as that
// month's own figures.json does (own, by month): each trend point, each
// row of a self-inspection report's monthly table, and the half's sums of
// the month-window quotas over the months they were due (items 16, 87).
func statesMonthsAsIssued(t *testing.T, name string, f *report.Figures, own map[string]*report.Figures) {
	t.Helper()
	quota := func(g *report.Figures, id string) report.QuotaResult { return quotaOf(t, g, id) }
	for _, p := range f.Trend {
		m := own[p.Month]
		if m == nil {
			t.Fatalf("%s: trend month %s has no figures of its own", name, p.Month)
		}
		for id, v := range p.Values {
			want := m.Trend[len(m.Trend)-1].Values[id]
			if id != report.TrendPassRate {
				want = quota(m, id).Value
			}
			if !reflect.DeepEqual(v, want) {
				t.Errorf("%s: trend %s %s = %v, its bulletin %v", name, p.Month, id, deref(v), deref(want))
			}
		}
	}
	for _, si := range f.SelfInspections {
		for _, row := range si.Monthly {
			for _, r := range row.Quotas {
				if want := quota(own[row.Month], r.ID); !reflect.DeepEqual(r, want) {
					t.Errorf("%s %s: %s %s = %d/%d, its bulletin %d/%d", name, si.Item, row.Month, r.ID, r.Numerator, r.Denominator, want.Numerator, want.Denominator)
				}
			}
		}
	}
	if f.Kind != string(report.PeriodHalfYear) {
		return
	}
	h, err := report.ParseHalf(f.Period)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range f.Quotas {
		if r.Window != report.WindowMonth {
			continue
		}
		num, den := 0, 0
		for _, m := range h.Months() {
			if q := quota(own[m.String()], r.ID); q.Due {
				num, den = num+q.Numerator, den+q.Denominator
			}
		}
		if r.Numerator != num || r.Denominator != den {
			t.Errorf("%s: %s = %d/%d, its bulletins add to %d/%d", name, r.ID, r.Numerator, r.Denominator, num, den)
		}
	}
}

func deref(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// Over the demo year, whose later folders hold late records of earlier
// months, every month's bulletin and both halves' reports state each
// earlier month as that month's own bulletin did. The demo builds the year
// in one run, handing each month's figures on; so December and the second
// half are also built alone, each reading its earlier months itself.
func TestDemoStatesEveryMonthAsIssued(t *testing.T) {
	out := cliDemo(t)
	own := map[string]*report.Figures{}
	for m := (report.Month{Year: 2025, Month: 1}); m.Year == 2025; m = m.Add(1) {
		own[m.String()] = readFigures(t, filepath.Join(out, m.String()))
	}
	for _, p := range []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06",
		"2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2025-H1", "2025-H2"} {
		statesMonthsAsIssued(t, p, readFigures(t, filepath.Join(out, p)), own)
	}
	alone := t.TempDir()
	for _, args := range [][]string{{"monthly", "--month", "2025-12"}, {"halfyear", "--half", "2025-H2"}} {
		if _, stderr, code := runCLI(t, append(args, "--now", "2026-01-05T08:00", "--config", repoConfig,
			"--data", filepath.Join(out, "data"), "--out", alone)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
	}
	for _, p := range []string{"2025-12", "2025-H2"} {
		statesMonthsAsIssued(t, p+" alone", readFigures(t, filepath.Join(alone, p)), own)
	}
}

// A 视音频 sample dated in April and exported only in May's folder counts
// for April by its date (item 1); a run of May alone, and of the half
// alone, still states April as April's own run does: they read April's
// folders for it, not May's data.
func TestRunOfOneMonthStatesEarlierMonthsAsIssued(t *testing.T) {
	data := t.TempDir()
	if err := sample.Extract(data); err != nil {
		t.Fatal(err)
	}
	late := "记录编号,抽查日期,承办中队,抽查单位,抽查类型,案件编号,评查结论,问题类型\n" +
		"CC2025059901,2025-04-28,江宁路中队,执法协调科,视音频,JA2025010004,合格,\n"
	if err := os.WriteFile(filepath.Join(data, "2025-05", "抽查明细-补录.csv"), []byte(late), 0o644); err != nil {
		t.Fatal(err)
	}
	// The months as their own runs give them (item 85: a run of many
	// months gives each what a run of it alone does), then May and the
	// half, each run alone.
	year, alone := t.TempDir(), t.TempDir()
	for _, run := range []struct {
		out  string
		args []string
	}{
		{year, []string{"monthly", "--from", "2025-01", "--to", "2025-06", "--now", "2025-07-01T08:00"}},
		{alone, []string{"monthly", "--month", "2025-05", "--now", "2025-06-01T08:00"}},
		{alone, []string{"halfyear", "--half", "2025-H1", "--now", "2025-07-05T08:00"}},
	} {
		if _, stderr, code := runCLI(t, append(run.args, "--config", repoConfig, "--data", data, "--out", run.out)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", run.args, code, stderr)
		}
	}
	own := map[string]*report.Figures{}
	for m := (report.Month{Year: 2025, Month: 1}); m.Month <= 6; m = m.Add(1) {
		own[m.String()] = readFigures(t, filepath.Join(year, m.String()))
	}
	read := false
	for _, in := range own["2025-05"].Inputs {
		read = read || filepath.Base(in.File) == "抽查明细-补录.csv" && in.Accepted == 1
	}
	if !read {
		t.Fatalf("May's run did not read the late sample: %+v", own["2025-05"].Inputs)
	}
	for _, p := range []string{"2025-05", "2025-H1"} {
		statesMonthsAsIssued(t, p, readFigures(t, filepath.Join(alone, p)), own)
	}
}

// TestHalfYearSaysWhyItsCountDiffersFromTheMonths: the demo's first half
// has audio/video samples recorded after their month's bulletin was issued.
// The 全过程记录 report counts all the half's samples, its table the months
// as issued, and its text says how many the two differ by, so that they
// add up for a reader.
func TestHalfYearSaysWhyItsCountDiffersFromTheMonths(t *testing.T) {
	dir := filepath.Join(cliDemo(t), "2025-H1")
	var fig report.Figures
	data, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &fig); err != nil {
		t.Fatal(err)
	}
	var samples, issued int
	for _, si := range fig.SelfInspections {
		if si.Item != "全过程记录" {
			continue
		}
		samples = si.Samples
		for _, m := range si.Monthly {
			for _, q := range m.Quotas {
				if q.ID == "recording.av_sample_rate" {
					issued += q.Numerator
				}
			}
		}
	}
	if samples <= issued {
		t.Fatalf("the demo's half counts %d samples against %d as issued: it no longer has late ones to test with", samples, issued)
	}
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*全过程记录*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("全过程记录 reports: %q", pdfs)
	}
	flow, _ := pdfText(t, pdfs[0])
	want := fmt.Sprintf("抽查执法视音频记录%d件（其中%d件为当月月报印发后补录或更正，未计入各月指标）", samples, samples-issued)
	if !strings.Contains(flow, want) {
		t.Errorf("the report lacks %q", want)
	}
}

// TestEverySquadBehindIsNotListedOneByOne: in January no squad has reached
// its year's count; the sentence says so of every squad, not listing all
// fifteen and naming three of them twice.
func TestEverySquadBehindIsNotListedOneByOne(t *testing.T) {
	flow, _ := pdfText(t, filepath.Join(cliDemo(t), "2025-01", "静安城市管理执法工作月报-2025年01月.pdf"))
	if want := "各中队均尚未达到全年10件，其中"; !strings.Contains(flow, want) {
		t.Errorf("January's 二 lacks %q", want)
	}
	if strings.Contains(flow, "机动中队尚未达到全年") {
		t.Error("January's 二 lists every squad behind one by one")
	}
}

// TestHalfShortfallsAreAskedAboutOnce: December's 二（一） names the half and
// year quotas not met and refers to （二）, which asks each responsible
// department about each, once.
func TestHalfShortfallsAreAskedAboutOnce(t *testing.T) {
	flow, _ := pdfText(t, filepath.Join(cliDemo(t), "2025-12", "静安城市管理执法工作月报-2025年12月.pdf"))
	first, second, ok := strings.Cut(flow, "（二）2025年下半年任务完成情况")
	if !ok {
		t.Fatal("December has no （二） of the half's tasks")
	}
	if !strings.Contains(first, "其中半年、全年指标涉及的中队和补足要求见本节（二）") || strings.Contains(first, "在2026年上半年优先补足") {
		t.Errorf("二（一） asks about the half's shortfalls itself:\n%s", first[strings.Index(first, "二、主要任务"):])
	}
	if !strings.Contains(second, "在2026年上半年优先补足") {
		t.Error("（二） does not ask about the half's shortfalls")
	}
}
