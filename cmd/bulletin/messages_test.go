package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// englishSentence is three English words in a row: a message a clerk
// cannot read (command names and option values are single words).
var englishSentence = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}`)

// clerkReadable fails t unless msg is in Chinese.
func clerkReadable(t *testing.T, what, msg string) {
	t.Helper()
	han := strings.IndexFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	if !han || englishSentence.MatchString(msg) {
		t.Errorf("%s: the message is not in Chinese:\n%s", what, msg)
	}
}

// TestMonthsAsAClerkWritesThem: every form of a month the issue lists is
// accepted by the commands, options after the quota id included.
func TestMonthsAsAClerkWritesThem(t *testing.T) {
	for _, month := range []string{"2025-5", "2025年5月", "202505"} {
		stdout, stderr, code := runCLI(t, "explain", "lawful.case_sample_rate", "--month", month,
			"--config", repoConfig, "--data", cliSampleData(t))
		if code != 0 || !strings.HasPrefix(stdout, "2025-05  案卷抽查率") {
			t.Errorf("explain QUOTA --month %s: exit %d\n%s%s", month, code, stdout, stderr)
		}
	}
}

// TestUsageErrorsSayWhatToDoInChinese: each mistake at the terminal is
// answered in Chinese, and says what to type instead.
func TestUsageErrorsSayWhatToDoInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "bulletin check --month 2025-05"},
		{[]string{"frobnicate"}, "没有“frobnicate”这个命令"},
		{[]string{"check"}, "--month 2025-05"},
		{[]string{"check", "2025-05"}, "要写成 --month 2025-05"},
		{[]string{"check", "--month", "2025-13", "--config", repoConfig}, "请写成 2025-05"},
		{[]string{"check", "--month", "2025-05", "--bogus"}, "没有 --bogus 这个选项"},
		{[]string{"check", "--month"}, "选项 --month 后面要写值"},
		{[]string{"halfyear", "--config", repoConfig}, "--half 2025-H1"},
		{[]string{"halfyear", "--half", "2025年第三季度", "--config", repoConfig}, "2025年上半年"},
		{[]string{"send", "--config", repoConfig}, "--period 2025-05"},
		{[]string{"send", "--period", "五月", "--config", repoConfig}, "--period 2025-05"},
		{[]string{"explain", "--month", "2025-05", "--config", repoConfig}, "要写一个指标编号"},
		{[]string{"explain", "lawful.case_sampl_rate", "--month", "2025-05", "--config", repoConfig}, "是不是 lawful.case_sample_rate？"},
		{[]string{"monthly", "--month", "2025-05", "--now", "yesterday", "--config", repoConfig}, "2025-07-02T08:00"},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, tt.args...)
		what := "bulletin " + strings.Join(tt.args, " ")
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", what, code)
		}
		if !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: %q does not say %q", what, stderr, tt.want)
		}
		clerkReadable(t, what, stderr[strings.LastIndex(stderr, "\n")+1:])
	}
}

// sampleWithout copies the sample year up to month and removes the files of
// month's folder whose names start with prefix.
func sampleWithout(t *testing.T, month, prefix string) string {
	t.Helper()
	data := t.TempDir()
	entries, err := os.ReadDir(cliSampleData(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() > month {
			continue
		}
		if err := os.CopyFS(filepath.Join(data, e.Name()), os.DirFS(filepath.Join(cliSampleData(t), e.Name()))); err != nil {
			t.Fatal(err)
		}
	}
	gone, _ := filepath.Glob(filepath.Join(data, month, prefix+"*"))
	if len(gone) != 1 {
		t.Fatalf("%s exports in %s: %v", prefix, month, gone)
	}
	os.Remove(gone[0])
	return data
}

// TestMissingExportStopsEveryCommandUnlessForced: without May's 诉件
// export, check and monthly stop, naming the export and --force, and write
// no bulletin (due holds the period too: TestFailedChecksHoldTheDelivery…);
// with --force the bulletin is written and its page 1 says in one sentence
// which figures are incomplete.
func TestMissingExportStopsEveryCommandUnlessForced(t *testing.T) {
	data := sampleWithout(t, "2025-05", "诉件")
	out := t.TempDir()
	for _, cmd := range []string{"check", "monthly"} {
		_, stderr, code := runCLI(t, cmd, "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", out)
		if code != 1 || !strings.Contains(stderr, "「诉件」：本月文件夹中没有文件名以“诉件”开头的导出文件") || !strings.Contains(stderr, "--force") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, stderr)
		}
		clerkReadable(t, cmd, stderr)
	}
	pdf := filepath.Join(out, "2025-05", "静安城市管理执法工作月报-2025年05月.pdf")
	if _, err := os.Stat(pdf); err == nil {
		t.Fatal("monthly wrote the bulletin without its 诉件 export")
	}
	if _, stderr, code := runCLI(t, "check", "--month", "2025-05", "--force", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Errorf("check --force: exit %d: %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--force", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Fatalf("monthly --force: exit %d: %s", code, stderr)
	}
	page1 := strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-l", "1", pdf, "-")), "")
	want := "特别提示：本月诉件数据未能读取，投诉信访件抽查率以及其他依据上述数据统计的数字均不完整，仅供参考，待数据补齐后另行更正。"
	if !strings.Contains(page1, want) {
		t.Errorf("page 1 does not say which figures are incomplete:\n%s", page1)
	}
}
