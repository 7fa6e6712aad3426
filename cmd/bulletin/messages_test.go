package main

import (
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
