package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

// plan2026 is the 2025 plan rewritten for 2026 with a lower case-file
// sample rate: a year whose numbers differ.
func plan2026(t *testing.T) string {
	t.Helper()
	text := strings.ReplaceAll(repoPlan(t), "2025", "2026")
	at := strings.Index(text, `id = "lawful.case_sample_rate"`)
	lowered := strings.Replace(text[at:], "target = 0.10", "target = 0.05", 1)
	if at < 0 || lowered == text[at:] {
		t.Fatal("the 2025 plan has no case sample rate of 0.10 to change")
	}
	return text[:at] + lowered
}

// Adding the 2026 plan changes nothing of 2025: every figures.json of the
// year, monthly and half-year, is the same byte for byte.
func TestAddingAPlanLeavesEarlierYearsAlone(t *testing.T) {
	data := cliSampleData(t)
	before, after := t.TempDir(), t.TempDir()
	cfg2025 := copyConfig(t, t.TempDir(), nil)
	cfg2026 := copyConfig(t, t.TempDir(), map[string]string{"2026.toml": plan2026(t)})
	runs := [][]string{{"halfyear", "--half", "2025-H1", "--now", "2025-07-05T08:00"}, {"halfyear", "--half", "2025-H2", "--now", "2026-01-05T08:00"}}
	for m := 1; m <= 12; m++ {
		month := report.Month{Year: 2025, Month: 1}.Add(m - 1)
		runs = append(runs, []string{"monthly", "--month", month.String(), "--now", month.Add(1).String() + "-01T08:00"})
	}
	for _, run := range runs {
		for _, side := range []struct{ cfg, out string }{{cfg2025, before}, {cfg2026, after}} {
			if _, stderr, code := runCLI(t, append(run, "--config", side.cfg, "--data", data, "--out", side.out)...); code != 0 {
				t.Fatalf("%v: exit %d: %s", run, code, stderr)
			}
		}
		period := run[2]
		a, err := os.ReadFile(filepath.Join(before, period, "figures.json"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(after, period, "figures.json"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: figures.json changed when the 2026 plan was added", period)
		}
		if !bytes.Contains(a, []byte(`"plan": "静安区城管执法系统2025年度执法监督工作方案"`)) {
			t.Errorf("%s: figures.json does not name the 2025 plan", period)
		}
	}
}

// A month of a year without a plan stops with a message that says which
// file to add; January 2026 is judged under the 2026 plan once it is there,
// its 上月 lying in 2025.
func TestEachYearUnderItsOwnPlan(t *testing.T) {
	data := t.TempDir()
	if err := os.CopyFS(data, os.DirFS(cliSampleData(t))); err != nil {
		t.Fatal(err)
	}
	// January 2026's folder: December's exports again (their rows count
	// for December, where they are dated).
	if err := os.CopyFS(filepath.Join(data, "2026-01"), os.DirFS(filepath.Join(data, "2025-12"))); err != nil {
		t.Fatal(err)
	}
	without := copyConfig(t, t.TempDir(), nil)
	for _, cmd := range [][]string{{"check", "--month", "2026-01"}, {"monthly", "--month", "2026-01"}, {"halfyear", "--half", "2026-H1"}} {
		_, stderr, code := runCLI(t, append(cmd, "--config", without, "--data", data, "--out", t.TempDir())...)
		if code != 1 || !strings.Contains(stderr, "没有2026年的执法监督工作方案") || !strings.Contains(stderr, "2026.toml") {
			t.Errorf("%v without a 2026 plan: exit %d, stderr %q; want 1 and the file to add", cmd, code, stderr)
		}
	}

	with := copyConfig(t, t.TempDir(), map[string]string{"2026.toml": plan2026(t)})
	out := t.TempDir()
	checkSays(t, "2026-01", with, data, out, "2025年各月按《静安区城管执法系统2025年度执法监督工作方案》", "2026年各月按《静安区城管执法系统2026年度执法监督工作方案》",
		"2026年1月按《静安区城管执法系统2026年度执法监督工作方案》考核；上月（2025年12月）的数字只作对比")
	if _, stderr, code := runCLI(t, "monthly", "--month", "2026-01", "--now", "2026-02-01T08:00", "--config", with, "--data", data, "--out", out); code != 0 {
		t.Fatalf("monthly: exit %d: %s", code, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "2026-01", "figures.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fig report.Figures
	if err := json.Unmarshal(raw, &fig); err != nil {
		t.Fatal(err)
	}
	if fig.Plan != "静安区城管执法系统2026年度执法监督工作方案" || fig.PrevMonth != "2025-12" {
		t.Errorf("plan %q, 上月 %s: want the 2026 plan and December 2025", fig.Plan, fig.PrevMonth)
	}
	for _, q := range fig.Quotas {
		if q.ID == report.QuotaCaseSampleRate && q.Target != 0.05 {
			t.Errorf("case sample rate judged against %v, want the 2026 plan's 0.05", q.Target)
		}
	}
}

// checkSays runs check for month and asks that it passes saying each of
// wants.
func checkSays(t *testing.T, month, config, data, out string, wants ...string) {
	t.Helper()
	stdout, stderr, code := runCLI(t, "check", "--month", month, "--config", config, "--data", data, "--out", out)
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	for _, want := range wants {
		if !strings.Contains(stdout, want) {
			t.Errorf("check does not say %q:\n%s", want, stdout)
		}
	}
}

// revisedPlan is the 2025 plan revised from October: a higher case-file
// sample rate, under a name of its own.
func revisedPlan(t *testing.T) string {
	t.Helper()
	text := strings.Replace(repoPlan(t), `name = "静安区城管执法系统2025年度执法监督工作方案"`, `name = "静安区城管执法系统2025年度执法监督工作方案（10月修订）"`, 1)
	if raised := strings.Replace(text, "target = 0.10", "target = 0.125", 1); raised != text && strings.Index(text, "target = 0.10") > strings.Index(text, `id = "lawful.case_sample_rate"`) {
		return raised
	}
	t.Fatal("the 2025 plan has no case sample rate of 0.10 to raise")
	return ""
}

// A plan revised during its year (2025-10.toml) judges the months from its
// own on, and leaves the months before it as they were issued: their
// figures, monthly and H1's, are the same byte for byte, and H2 restates
// July to September as the plan then in force judged them.
func TestARevisionLeavesTheMonthsBeforeIt(t *testing.T) {
	data := cliSampleData(t)
	before, after := t.TempDir(), t.TempDir()
	plain := copyConfig(t, t.TempDir(), nil)
	revised := copyConfig(t, t.TempDir(), map[string]string{"2025-10.toml": revisedPlan(t)})
	checkSays(t, "2025-10", revised, data, t.TempDir(), "2025年1—9月按《静安区城管执法系统2025年度执法监督工作方案》",
		"2025年10—12月按《静安区城管执法系统2025年度执法监督工作方案（10月修订）》", "2025年10月按《静安区城管执法系统2025年度执法监督工作方案（10月修订）》考核。")

	runs := [][]string{{"halfyear", "--half", "2025-H1", "--now", "2025-07-05T08:00"}, {"halfyear", "--half", "2025-H2", "--now", "2026-01-05T08:00"}}
	for m := 1; m <= 12; m++ {
		month := report.Month{Year: 2025, Month: 1}.Add(m - 1)
		runs = append(runs, []string{"monthly", "--month", month.String(), "--now", month.Add(1).String() + "-01T08:00"})
	}
	figures := func(out, period string) (raw []byte, fig report.Figures) {
		raw, err := os.ReadFile(filepath.Join(out, period, "figures.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &fig); err != nil {
			t.Fatal(err)
		}
		return raw, fig
	}
	caseSampleRate := func(fig report.Figures) report.QuotaResult { return quotaOf(t, &fig, report.QuotaCaseSampleRate) }
	metFrom := map[string]int{} // months of July to December met, by the side's plan
	for _, run := range runs {
		for _, out := range []struct{ cfg, dir string }{{plain, before}, {revised, after}} {
			if _, stderr, code := runCLI(t, append(run, "--config", out.cfg, "--data", data, "--out", out.dir)...); code != 0 {
				t.Fatalf("%v: exit %d: %s", run, code, stderr)
			}
		}
		period := run[2]
		a, plainFig := figures(before, period)
		b, revisedFig := figures(after, period)
		switch revisedFrom := "2025-10"; {
		case period == "2025-H1" || (run[0] == "monthly" && period < revisedFrom):
			if !bytes.Equal(a, b) {
				t.Errorf("%s: figures.json changed when a revision from October was added", period)
			}
		case run[0] == "monthly":
			if revisedFig.Plan != "静安区城管执法系统2025年度执法监督工作方案（10月修订）" || caseSampleRate(revisedFig).Target != 0.125 || caseSampleRate(plainFig).Target != 0.10 {
				t.Errorf("%s: plan %q, target %v (without the revision %v): want the revision's 0.125", period, revisedFig.Plan, caseSampleRate(revisedFig).Target, caseSampleRate(plainFig).Target)
			}
		}
		if run[0] == "monthly" && period >= "2025-07" {
			side := revisedFig
			if period < "2025-10" {
				side = plainFig
			}
			if r := caseSampleRate(side); r.Met != nil && *r.Met {
				metFrom["as in force"]++
			}
			if r := caseSampleRate(plainFig); r.Met != nil && *r.Met {
				metFrom["the year's plan"]++
			}
		}
	}
	// October's bulletin draws the trend's target line at the revision's
	// target, and says what the months before it were judged against.
	flow, _ := pdfText(t, filepath.Join(after, "2025-10", "静安城市管理执法工作月报-2025年10月.pdf"))
	if want := "案卷抽查率的目标1—9月为10%"; !strings.Contains(flow, want) {
		t.Errorf("October's bulletin does not say %q under its trend chart", want)
	}
	// Its workbook gives each month of the chart's data its own target.
	book, err := excelize.OpenFile(filepath.Join(after, "2025-10", "月报数据-2025年10月.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	sheet := ""
	for _, name := range book.GetSheetList() {
		if strings.Contains(name, "案卷抽查率逐月情况") {
			sheet = name
		}
	}
	rows, err := book.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, row := range rows {
		if len(row) > 0 && strings.HasSuffix(row[0], "月") {
			targets[row[0]] = row[len(row)-1]
		}
	}
	if targets["9月"] != "10%" || targets["10月"] != "12.5%" {
		t.Errorf("sheet %q gives the targets %v, want September's 10%% and October's 12.5%%", sheet, targets)
	}
	_, h2 := figures(after, "2025-H2")
	want := fmt.Sprintf("半年6个考核月中%d个月完成", metFrom["as in force"])
	if got := caseSampleRate(h2).Note; got != want {
		t.Errorf("H2 states the case sample rate %q, want %q: each month as the plan then in force judged it", got, want)
	}
	if metFrom["as in force"] == metFrom["the year's plan"] {
		t.Error("the revision changed no month's verdict: the test proves nothing")
	}
}
