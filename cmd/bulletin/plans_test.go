package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	stdout, stderr, code := runCLI(t, "check", "--month", "2026-01", "--config", with, "--data", data, "--out", out)
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2025年各月按《静安区城管执法系统2025年度执法监督工作方案》", "2026年各月按《静安区城管执法系统2026年度执法监督工作方案》",
		"2026年1月按《静安区城管执法系统2026年度执法监督工作方案》考核；上月（2025年12月）的数字只作对比"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check does not say %q:\n%s", want, stdout)
		}
	}
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
