package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestPrintable(t *testing.T) {
	for in, want := range map[string]string{
		"诉件_2025年5月.xlsx":        "诉件_2025年5月.xlsx",
		`C:\数据\2025-05\案件.xlsx`:  `C:\数据\2025-05\案件.xlsx`,
		"诉件\n伪造的一行.csv":          `诉件\n伪造的一行.csv`,
		"诉件\x1b[31m红\x1b[0m.csv": `诉件\x1b[31m红\x1b[0m.csv`,
		"a\tb\rc\x7f":            `a\tb\rc\x7f`,
		"诉件\u202egpj.xlsx":       `诉件\u202egpj.xlsx`,
		"bad\xffbyte":            `bad\xffbyte`,
		"全角　空格 和 half":           "全角　空格 和 half",
	} {
		if got := printable(in); got != want {
			t.Errorf("printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := printableLines("第一行\x1b[2J\n第二行"); got != "第一行\\x1b[2J\n第二行" {
		t.Errorf("printableLines: %q", got)
	}
}

// check lists an unreadable export by its name, escaped: a newline or an
// ANSI escape in a file name neither breaks the output nor reaches the
// terminal.
func TestCheckEscapesFileNames(t *testing.T) {
	data := t.TempDir()
	if err := os.CopyFS(filepath.Join(data, "2025-05"), os.DirFS(filepath.Join(cliSampleData(t), "2025-05"))); err != nil {
		t.Fatal(err)
	}
	name := "诉件\n伪造\x1b[31m红.csv"
	if err := os.WriteFile(filepath.Join(data, "2025-05", name), []byte("甲,乙\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, _ := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", t.TempDir())
	if !strings.Contains(stdout, `诉件\n伪造\x1b[31m红.csv`) {
		t.Errorf("the file is not listed by its escaped name:\n%s", stdout)
	}
	if strings.Contains(stdout+stderr, "\x1b") || strings.Contains(stdout, "\n伪造") {
		t.Errorf("raw control characters printed:\n%q", stdout)
	}
}

// Whatever a name holds, what is printed is graphic only, and a name that
// is already graphic is printed as it is.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"诉件_2025年5月.xlsx", `C:\数据\案件.xlsx`, "a\tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := printable(s)
		for _, r := range got {
			if !unicode.IsGraphic(r) || r == utf8.RuneError {
				t.Fatalf("printable(%q) = %q holds %U", s, got, r)
			}
		}
		graphic := utf8.ValidString(s)
		for _, r := range s {
			graphic = graphic && unicode.IsGraphic(r) && r != utf8.RuneError
		}
		if graphic && got != s {
			t.Fatalf("printable(%q) = %q changed a graphic name", s, got)
		}
	})
}
