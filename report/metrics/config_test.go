package metrics

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/config"
)

// oneInTwenty: 20 cases closed in April, 1 case file sampled in May: 5%.
func oneInTwenty() *report.Dataset {
	return &report.Dataset{
		Cases:   closedCases("APR", s[0], 20, day(2025, 3, 1), day(2025, 4, 15)),
		Samples: caseFiles("S", day(2025, 5, 10), s[0]),
	}
}

func TestTargetInMemoryFlipsMet(t *testing.T) {
	cfg := loadConfig(t)
	// 1/20 = 5% < 10%: not met with the plan's target
	checkQuota(t, quotaOf(t, monthly(t, cfg, oneInTwenty(), month(2025, 5)), report.QuotaCaseSampleRate), notMetWant(1, 20))
	setQuota(t, cfg, report.QuotaCaseSampleRate, func(q *report.Quota) { q.Target = 0.05 })
	// 1 ≥ ceil(0.05 × 20) = 1: met
	checkQuota(t, quotaOf(t, monthly(t, cfg, oneInTwenty(), month(2025, 5)), report.QuotaCaseSampleRate), metWant(1, 20))
}

// TestTargetInConfigFileFlipsMet edits the 2025 plan as a clerk would, in a
// copy beside a copy of config.toml, and loads them with the real loader.
func TestTargetInConfigFileFlipsMet(t *testing.T) {
	root := repoRoot(t)
	data, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	// The copy lives elsewhere: point its fonts and templates at the project's.
	text = strings.ReplaceAll(text, `"fonts/`, `"`+filepath.ToSlash(filepath.Join(root, "fonts"))+`/`)
	text = strings.Replace(text, `templates = "templates"`, `templates = "`+filepath.ToSlash(filepath.Join(root, "templates"))+`"`, 1)
	plan, err := os.ReadFile(filepath.Join(root, "plans", "2025.toml"))
	if err != nil {
		t.Fatal(err)
	}
	block := strings.Index(string(plan), `id = "lawful.case_sample_rate"`)
	if block < 0 {
		t.Fatal("plans/2025.toml has no lawful.case_sample_rate block")
	}
	target := strings.Index(string(plan[block:]), "target = 0.10")
	if target < 0 {
		t.Fatal("lawful.case_sample_rate has no target = 0.10 line")
	}
	at := block + target
	edited := string(plan[:at]) + "target = 0.05" + string(plan[at+len("target = 0.10"):])

	dir := t.TempDir()
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "plans"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "plans", "2025.toml"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatalf("load edited config: %v", err)
	}
	// 1 ≥ ceil(0.05 × 20) = 1: met; the unedited file said not met (test above)
	checkQuota(t, quotaOf(t, monthly(t, cfg, oneInTwenty(), month(2025, 5)), report.QuotaCaseSampleRate), metWant(1, 20))
}

func TestEvaluationWeightsFromConfig(t *testing.T) {
	cfg := loadConfig(t)
	cfg.Plan.Evaluation.PassRate, cfg.Plan.Evaluation.WeeklyRecords = 10, 40
	ds := &report.Dataset{
		Samples: []report.Sample{caseFile("A", day(2025, 5, 2), "C", s[0], report.Pass), caseFile("B", day(2025, 5, 3), "C", s[0], report.Fail)},
		Weekly:  weekly(s[0], day(2025, 4, 28), day(2025, 5, 5), day(2025, 5, 12), day(2025, 5, 19), day(2025, 5, 26)),
	}
	f := monthly(t, cfg, ds, month(2025, 5))
	// the first squad is measured on two indicators: pass rate 1/2 of the
	// configured 10 points and every week of the configured 40: 45 of 50,
	// 90 on the 100-point scale; the others only on their weekly records, none: 0
	for _, sc := range f.Evaluation.Squads {
		want, rank := 0.0, 2
		if sc.Squad == s[0] {
			want, rank = 90, 1
		}
		if sc.Score != want || sc.Rank != rank {
			t.Errorf("%s: score %v rank %d, want %v and rank %d", sc.Squad, sc.Score, sc.Rank, want, rank)
		}
	}
	if f.Evaluation.Indicators[0].Weight != 10 {
		t.Errorf("pass-rate weight = %v, want the configured 10", f.Evaluation.Indicators[0].Weight)
	}
}
