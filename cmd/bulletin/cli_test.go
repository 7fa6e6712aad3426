package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/sample"
)

var (
	cliDataOnce sync.Once
	cliDataDir  string
	cliDataErr  error

	cliDemoOnce sync.Once
	cliDemoDir  string
	cliDemoErr  error
)

// TestMain removes the sample year cliSampleData extracted and the demo's
// output (cliDemo), which outlive any single test.
func TestMain(m *testing.M) {
	code := m.Run()
	for _, dir := range []string{cliDataDir, cliDemoDir} {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

// cliDemo runs the demo once per test binary and returns its output folder;
// the tests only read it.
func cliDemo(t *testing.T) string {
	t.Helper()
	cliDemoOnce.Do(func() {
		if cliDemoDir, cliDemoErr = os.MkdirTemp("", "bulletin-cli-demo-"); cliDemoErr != nil {
			return
		}
		if _, stderr, code := runCLI(t, "demo", "--config", repoConfig, "--out", cliDemoDir); code != 0 {
			cliDemoErr = fmt.Errorf("demo: exit %d: %s", code, stderr)
		}
	})
	if cliDemoErr != nil {
		t.Fatal(cliDemoErr)
	}
	return cliDemoDir
}

// cliSampleData extracts the embedded sample year once per test binary; the
// tests only read it.
func cliSampleData(t testing.TB) string {
	t.Helper()
	cliDataOnce.Do(func() {
		cliDataDir, cliDataErr = os.MkdirTemp("", "bulletin-cli-data-")
		if cliDataErr == nil {
			cliDataErr = sample.Extract(cliDataDir)
		}
	})
	if cliDataErr != nil {
		t.Fatal(cliDataErr)
	}
	return cliDataDir
}

// runCLI runs the command line as main does and returns its output and the
// exit code main would give.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := Run(context.Background(), args, &out, &errOut)
	if err != nil {
		errOut.WriteString(err.Error())
	}
	return out.String(), errOut.String(), exitCodeOf(err)
}

func exitCodeOf(err error) int {
	switch {
	case err == nil:
		return 0
	case report.KindOf(err) == report.KindUsage:
		return 2
	}
	return 1
}

const repoConfig = "../../config.toml"

// loadRepoConfig is the repository's config.toml, as the command loads it.
func loadRepoConfig(tb testing.TB) *report.Config {
	tb.Helper()
	cfg, err := config.Load(repoConfig, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"check"},
		{"check", "--month", "2025-13", "--config", repoConfig},
		{"check", "--month", "2025-05", "--bogus"},
		{"check", "--month", "2025-05", "extra"},
		{"halfyear", "--half", "2025-H3", "--config", repoConfig},
		{"send", "--config", repoConfig},
		{"monthly", "--month", "2025-05", "--now", "yesterday", "--config", repoConfig},
	} {
		_, stderr, code := runCLI(t, args...)
		if code != 2 {
			t.Errorf("bulletin %s: exit %d, want 2 (stderr %q)", strings.Join(args, " "), code, stderr)
		}
	}
}

func TestHelpSaysWhatEachCommandDoes(t *testing.T) {
	stdout, _, code := runCLI(t, "help")
	if code != 0 {
		t.Fatalf("help exit %d", code)
	}
	for _, c := range commands() {
		if !strings.Contains(stdout, c.name) || !strings.Contains(stdout, c.summary) {
			t.Errorf("help does not describe %s", c.name)
		}
		help, _, code := runCLI(t, c.name, "-h")
		if code != 0 || !strings.Contains(help, "bulletin "+c.name) || !strings.Contains(help, "--config") || strings.Contains(help, "default") {
			t.Errorf("%s -h: exit %d, %q", c.name, code, help)
		}
	}
}

// The heap asks for huge pages in the commands that read exports and end,
// not in the resident ones (whose heap outlives a run), the small ones, or
// a command line that names none.
func TestHugeHeapOnlyForRunsThatReadAndEnd(t *testing.T) {
	for args, want := range map[string]bool{
		"monthly --month 2025-05": true, "monthly --from 2025-01 --to 2025-12": true, "check --month 2025-05": true,
		"halfyear --half 2025-H1": true, "explain --month 2025-05 lawful.case_sample_rate": true, "due": true,
		"send --period 2025-05": true, "demo": true,
		"serve": false, "schedule": false, "history": false, "withhold --period 2025-05": false, "user list": false,
		"help": false, "": false, "--month 2025-05": false, "monthy": false,
	} {
		if got := hugeHeap(strings.Fields(args)); got != want {
			t.Errorf("hugeHeap(%q) = %v, want %v", args, got, want)
		}
	}
}

// copyConfig copies the repository's config.toml into dir, fonts and
// templates pointed at the repository's, and its plans into dir/plans;
// plans maps a plan file (2026.toml) to its text, replacing or adding it.
func copyConfig(t *testing.T, dir string, plans map[string]string) string {
	t.Helper()
	text, err := os.ReadFile(repoConfig)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(string(text), `"fonts/`, `"`+filepath.ToSlash(filepath.Join(root, "fonts"))+"/")
	cfg = strings.Replace(cfg, `templates = "templates"`, fmt.Sprintf("templates = %q", filepath.ToSlash(filepath.Join(root, "templates"))), 1)
	if err := os.CopyFS(filepath.Join(dir, "plans"), os.DirFS(filepath.Join(root, "plans"))); err != nil {
		t.Fatal(err)
	}
	for name, text := range plans {
		if err := os.WriteFile(filepath.Join(dir, "plans", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// repoPlan is the text of the repository's 2025 plan.
func repoPlan(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../plans/2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBadConfigStopsWithKey(t *testing.T) {
	dir := t.TempDir()
	bad := strings.Replace(repoPlan(t), "target = 0.10", "target = 1.5", 1)
	path := copyConfig(t, dir, map[string]string{"2025.toml": bad})
	_, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", path, "--data", cliSampleData(t), "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "lawful.case_sample_rate") || !strings.Contains(stderr, "target") ||
		!strings.Contains(stderr, filepath.Join(dir, "plans", "2025.toml")) {
		t.Fatalf("exit %d, stderr %q: want the plan file, the quota and the key named", code, stderr)
	}
}

func TestCheckWritesTheQualityReport(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", cliSampleData(t), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "数据质量") {
		t.Errorf("no summary on stdout: %q", stdout)
	}
	data, err := os.ReadFile(filepath.Join(out, "2025-05", "quality.json"))
	if err != nil {
		t.Fatal(err)
	}
	var q report.Quality
	if err := json.Unmarshal(data, &q); err != nil {
		t.Fatal(err)
	}
	datasets := map[string]bool{}
	for _, in := range q.Inputs {
		datasets[in.Dataset] = true
		if len(in.SHA256) != 64 || in.Rows == 0 {
			t.Errorf("input %+v lacks checksum or rows", in)
		}
	}
	for _, name := range report.DatasetNames {
		if !datasets[name] {
			t.Errorf("no input of %s", name)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "2025-05", "数据质量报告-2025年5月.xlsx")); err != nil {
		t.Error(err)
	}
}

func TestCheckFailsWhenARequiredExportIsUnreadable(t *testing.T) {
	data := t.TempDir()
	src := filepath.Join(cliSampleData(t), "2025-05")
	if err := os.CopyFS(filepath.Join(data, "2025-05"), os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// Replace the month's case export with text that only pretends to be a workbook.
	matches, _ := filepath.Glob(filepath.Join(data, "2025-05", "案件*"))
	if len(matches) != 1 {
		t.Fatalf("case exports: %v", matches)
	}
	os.Remove(matches[0])
	os.WriteFile(filepath.Join(data, "2025-05", "案件.xlsx"), []byte("这不是表格"), 0o644)
	stdout, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", t.TempDir())
	if code != 1 || !strings.Contains(stdout+stderr, "案件.xlsx") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
}

// TestCheckFindsABrokenTemplateEdit edits a copy of the templates the way a
// clerk might, misspelling a field, and expects check to name the file and
// line before anything is built.
func TestCheckFindsABrokenTemplateEdit(t *testing.T) {
	cfgPath, templates := configWithOwnTemplates(t)
	overview := filepath.Join(templates, "月报-01-概况.tmpl")
	text, err := os.ReadFile(overview)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(text), "{{", "{{.NoSuchField}}{{", 1)
	if edited == string(text) {
		t.Fatal("the overview template has no action to edit")
	}
	os.WriteFile(overview, []byte(edited), 0o644)

	_, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", cfgPath, "--data", cliSampleData(t), "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "月报-01-概况.tmpl") || !strings.Contains(stderr, "没有“NoSuchField”这项数据") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestMonthlyRefusesAMonthWithoutItsFolder: a folder named 2025年5月 is not
// read (folders are named 2025-05); the bulletin must not go out with every
// figure at 0, and the message points at the misnamed folder.
func TestMonthlyRefusesAMonthWithoutItsFolder(t *testing.T) {
	data := t.TempDir()
	for _, m := range []string{"2025-04", "2025-05"} {
		target := m
		if m == "2025-05" {
			target = "2025年5月"
		}
		if err := os.CopyFS(filepath.Join(data, target), os.DirFS(filepath.Join(cliSampleData(t), m))); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "2025年5月") || !strings.Contains(stderr, "应改名为 2025-05") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
}

// TestHalfYearRefusesAHalfWithAMonthMissing: the half's March folder is
// named 2025年3月; the self-inspection reports must not count March as a
// month with nothing done.
func TestHalfYearRefusesAHalfWithAMonthMissing(t *testing.T) {
	data := t.TempDir()
	for _, m := range []string{"2024-12", "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"} {
		target := m
		if m == "2025-03" {
			target = "2025年3月"
		}
		if err := os.CopyFS(filepath.Join(data, target), os.DirFS(filepath.Join(cliSampleData(t), m))); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	_, stderr, code := runCLI(t, "halfyear", "--half", "2025-H1", "--config", repoConfig, "--data", data, "--out", out)
	if code != 1 || !strings.Contains(stderr, "2025年3月") || !strings.Contains(stderr, "应改名为 2025-03") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if pdfs, _ := filepath.Glob(filepath.Join(out, "2025-H1", "*.pdf")); len(pdfs) > 0 {
		t.Errorf("reports written without March: %v", pdfs)
	}
}

// BULLETIN_CPUPROFILE's profile (bench/pgo.sh) is written whole: a
// gzipped profile, once the run ends; without the variable, nothing is.
func TestCPUProfileOfTheRun(t *testing.T) {
	startCPUProfile("")() // no file, nothing to stop
	path := filepath.Join(t.TempDir(), "cpu.prof")
	stop := startCPUProfile(path)
	var out, errs bytes.Buffer
	if err := Run(context.Background(), []string{"help"}, &out, &errs); err != nil {
		t.Fatal(err)
	}
	stop()
	data, err := os.ReadFile(path)
	if err != nil || len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
		t.Fatalf("profile %d bytes, %v: not a gzipped profile", len(data), err)
	}
}

// check stops where monthly would: running issue numbers that start after
// the month give it no issue number, and both say so, naming the setting
// (not figures.json's schema, which would refuse such figures too).
func TestCheckStopsWhereMonthlyWould(t *testing.T) {
	dir := t.TempDir()
	path := copyConfig(t, dir, nil)
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(text), `issue_numbering = "month"`, `issue_numbering = "running"`, 1)
	edited = strings.Replace(edited, `first_issue_month = "2025-01"`, `first_issue_month = "2026-01"`, 1)
	if edited == string(text) {
		t.Fatal("config.toml no longer sets issue_numbering and first_issue_month as this test expects")
	}
	writeFileAll(t, path, edited)
	for _, args := range [][]string{{"monthly", "--now", "2026-01-05T08:00"}, {"check"}} {
		_, stderr, code := runCLI(t, append(args, "--month", "2025-12", "--config", path, "--data", cliSampleData(t), "--out", t.TempDir())...)
		if code != 1 || !strings.Contains(stderr, "2025年12月的月报没有期号") || !strings.Contains(stderr, "first_issue_month") {
			t.Errorf("%s: exit %d, want 1 naming first_issue_month: %s", args[0], code, stderr)
		}
	}
}

// The demo never writes over a real out: a folder holding anything but an
// earlier demo is refused and left as it was; a new, empty or earlier
// demo's folder is the demo's. It reads no --data, and says so.
func TestDemoWritesOnlyWhereItMay(t *testing.T) {
	real := t.TempDir()
	ledger := filepath.Join(real, "ledger.jsonl")
	writeFileAll(t, ledger, "{}\n")
	_, stderr, code := runCLI(t, "demo", "--config", repoConfig, "--out", real)
	if code != 2 || !strings.Contains(stderr, "示例没有写入") || !strings.Contains(stderr, "--out demo") {
		t.Errorf("demo into a real out: exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(real); len(entries) != 1 {
		t.Errorf("the refused folder holds %d entries now", len(entries))
	}
	if _, stderr, code := runCLI(t, "demo", "--config", repoConfig, "--data", t.TempDir(), "--out", t.TempDir()); code != 2 || !strings.Contains(stderr, "demo 不读 --data") {
		t.Errorf("demo --data: exit %d, stderr %q", code, stderr)
	}
	if stdout, _, _ := runCLI(t, "demo", "-h"); !strings.Contains(stdout, "demo") || !strings.Contains(stdout, "只写入新的或空的文件夹") {
		t.Errorf("demo -h does not give the demo's own --out:\n%s", stdout)
	}

	// Its mark that cannot be written (a folder stands in its place, as good
	// as a full disk) is said in Chinese, naming the folder.
	blocked := t.TempDir()
	if err := os.Mkdir(filepath.Join(blocked, demoMark), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "demo", "--config", repoConfig, "--out", blocked); code != 1 || !strings.Contains(stderr, "示例的输出文件夹无法写入") || !strings.Contains(stderr, blocked) {
		t.Errorf("demo whose mark cannot be written: exit %d, stderr %q", code, stderr)
	}

	for _, dir := range []string{filepath.Join(t.TempDir(), "new"), t.TempDir(), cliDemo(t)} {
		if err := claimDemoFolder(dir); err != nil {
			t.Errorf("%s: %v", dir, err)
		}
		if _, err := os.Stat(filepath.Join(dir, demoMark)); err != nil {
			t.Errorf("%s is not marked the demo's: %v", dir, err)
		}
	}
}
