package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// explain words a quota's figure as the documents do: a count as 4次
// against 每月≥1次 (not 400.00% against 1), a rate against ≥10% (not 0.1),
// and a rate just under its target under it (0.98%, not 1%); the console's
// explanation page is given the same words.
func TestExplainWordsTheFigureAsTheDocuments(t *testing.T) {
	near := copyTree(t, cliSampleData(t))
	unsample(t, filepath.Join(near, "2025-05", "诉件.xlsx"), 4)
	for _, c := range []struct {
		quota, data, want string
	}{
		{"disclosure.checked_month", cliSampleData(t), "完成情况 4次，目标 每月≥1次\n"},
		{"lawful.case_sample_rate", cliSampleData(t), "分子 42 / 分母 346 = 12.1%，目标 ≥10%\n"},
		{"complaints.sample_rate", near, "分子 11 / 分母 1121 = 0.98%，目标 ≥1%\n"},
	} {
		stdout, stderr, code := runCLI(t, "explain", c.quota, "--month", "2025-05", "--config", repoConfig, "--data", c.data, "--out", t.TempDir())
		if code != 0 || !strings.Contains(stdout, c.want) {
			t.Errorf("explain %s: exit %d, want %q in:\n%.300s%s", c.quota, code, c.want, stdout, stderr)
		}
	}

	console := &consoleReports{e: &env{now: time.Now, dataDir: cliSampleData(t), outDir: t.TempDir()}, cfg: loadRepoConfig(t)}
	m, _ := monthFlag("2025-05")
	ex, err := console.Explain(context.Background(), m, "disclosure.checked_month")
	if err != nil {
		t.Fatal(err)
	}
	if ex.Result != "4次" || ex.Target != "每月≥1次" || ex.Rate != "" {
		t.Errorf("the console's explanation words the count as %q against %q (rate %q)", ex.Result, ex.Target, ex.Rate)
	}
}
