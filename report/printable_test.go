package report

import (
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
		if got := Printable(in); got != want {
			t.Errorf("Printable(%q) = %q, want %q", in, got, want)
		}
	}
	if got := PrintableLines("第一行\x1b[2J\n第二行"); got != "第一行\\x1b[2J\n第二行" {
		t.Errorf("PrintableLines: %q", got)
	}
}

// Whatever a name holds, what is printed is graphic only, and a name that
// is already graphic is printed as it is.
func FuzzPrintable(f *testing.F) {
	for _, s := range []string{"诉件_2025年5月.xlsx", `C:\数据\案件.xlsx`, "a\tb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Printable(s)
		for _, r := range got {
			if !unicode.IsGraphic(r) || r == utf8.RuneError {
				t.Fatalf("Printable(%q) = %q holds %U", s, got, r)
			}
		}
		graphic := utf8.ValidString(s)
		for _, r := range s {
			graphic = graphic && unicode.IsGraphic(r) && r != utf8.RuneError
		}
		if graphic && got != s {
			t.Fatalf("Printable(%q) = %q changed a graphic name", s, got)
		}
	})
}
