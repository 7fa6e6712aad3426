package compose

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"bulletin/report"
)

// copyTemplates copies the shipped templates into a temporary folder, where
// a test may spoil one.
func copyTemplates(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir(templatesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(templatesDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// replaceLine replaces the first line of file that contains old with
// the line made by edit, and returns its 1-based number.
func replaceLine(t *testing.T, path, old string, edit func(string) string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for i, l := range lines {
		if strings.Contains(l, old) {
			lines[i] = edit(l)
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", path, old)
	return 0
}

func asTemplateError(t *testing.T, err error) *report.Error {
	t.Helper()
	var e *report.Error
	if !errors.As(err, &e) || e.Kind != report.KindTemplate {
		t.Fatalf("err = %v (%T), want a template error", err, err)
	}
	return e
}

func TestBrokenTemplateNamesFileAndLine(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplComplaints)
	line := replaceLine(t, path, "本月共受理投诉信访件", func(l string) string { return l + "{{if .Received}" })
	_, err := LoadTemplates(dir)
	e := asTemplateError(t, err)
	if e.Path != path {
		t.Errorf("path %q, want %q", e.Path, path)
	}
	if e.Where != "第"+strconv.Itoa(line)+"行" {
		t.Errorf("where %q, want line %d", e.Where, line)
	}
	if msg := err.Error(); !strings.Contains(msg, path) || !strings.Contains(msg, "第"+strconv.Itoa(line)+"行") {
		t.Errorf("message %q does not name the file and line", msg)
	}
}

func TestUnknownFunctionIsAParseError(t *testing.T) {
	dir := copyTemplates(t)
	line := replaceLine(t, filepath.Join(dir, tmplSIPlan), "一是确保检查全覆盖", func(l string) string { return l + "{{pcnt .Half}}" })
	_, err := LoadTemplates(dir)
	e := asTemplateError(t, err)
	if !strings.HasSuffix(e.Path, tmplSIPlan) || e.Where != "第"+strconv.Itoa(line)+"行" || !strings.Contains(err.Error(), "没有“pcnt”这个函数（是不是 pct？）。可用的函数：add、") {
		t.Errorf("err = %v", err)
	}
}

func TestSeveralBrokenTemplatesAreAllReported(t *testing.T) {
	dir := copyTemplates(t)
	replaceLine(t, filepath.Join(dir, tmplOverview), "本月，区局共抽查案卷", func(l string) string { return l + "{{end}}" })
	if err := os.Remove(filepath.Join(dir, tmplReminders)); err != nil {
		t.Fatal(err)
	}
	_, err := LoadTemplates(dir)
	msg := err.Error()
	if !strings.Contains(msg, tmplOverview) || !strings.Contains(msg, tmplReminders) || report.KindOf(err) != report.KindTemplate {
		t.Errorf("err = %v, want both the broken and the missing template", err)
	}
}

func TestMisspeltFieldFailsInComposeWithFileAndLine(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplProblems)
	line := replaceLine(t, path, "逾期未整改问题涉及", func(l string) string {
		return strings.Replace(l, "{{squads $.OverdueSquads}}", "{{squads $.OverdueSquad}}", 1)
	})
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatalf("a misspelt field parses: %v", err)
	}
	_, err = Bulletin(testConfig(), mayFigures(), nil, tm)
	e := asTemplateError(t, err)
	if e.Path != path || !strings.HasPrefix(e.Where, "第"+strconv.Itoa(line)+"行第") || !strings.Contains(err.Error(), "没有“OverdueSquad”这项数据（是不是 OverdueSquads？）。这里能用的数据：Month、") {
		t.Errorf("err = %v, want %s line %d", err, path, line)
	}
	// The column counts characters, not bytes: .OverdueSquad follows
	// "逾期未整改问题涉及{{squads $", 19 characters (37 bytes).
	if !strings.HasSuffix(e.Where, "第20个字") {
		t.Errorf("where %q does not count characters", e.Where)
	}
}

func TestUnknownQuotaIDFailsWithFileAndLine(t *testing.T) {
	dir := copyTemplates(t)
	line := replaceLine(t, filepath.Join(dir, tmplSIBasic), "{{if .Monthly}}", func(l string) string {
		return `{{with .Total "lawful.case_sample_rat"}}{{.Numerator}}{{end}}` + l
	})
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	fig := halfFigures()
	_, err = SelfInspection(testConfig(), fig, fig.SelfInspections[0], tm)
	e := asTemplateError(t, err)
	if !strings.HasSuffix(e.Path, tmplSIBasic) || !strings.HasPrefix(e.Where, "第"+strconv.Itoa(line)+"行") || !strings.Contains(err.Error(), "没有“lawful.case_sample_rat”这个编号") {
		t.Errorf("err = %v", err)
	}
}

func TestMissingFolder(t *testing.T) {
	_, err := LoadTemplates(filepath.Join(t.TempDir(), "nope"))
	if e := asTemplateError(t, err); !strings.HasSuffix(e.Path, "nope") {
		t.Errorf("err = %v", err)
	}
}

func TestParagraphRules(t *testing.T) {
	dir := t.TempDir()
	for _, name := range requiredTemplates {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A BOM, a comment, control lines of their own, lines of one paragraph
	// joined, a blank line inside range making a paragraph per element,
	// Windows line ends.
	src := "\ufeff{{/* 说明\n\n仍是说明 */}}\r\n" +
		"{{if .Month}}\r\n" +
		"第一段，\r\n" +
		"  {{month .Month}}。\r\n" +
		"{{end}}\r\n" +
		"\r\n" +
		"{{range .Squads}}\n" +
		"{{.}}有一段。\n" +
		"\n" +
		"{{end}}"
	if err := os.WriteFile(filepath.Join(dir, tmplNotice), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tm.paragraphs(tmplNotice, &MonthData{Month: report.Month{Year: 2025, Month: 5}, Squads: []string{"甲中队", "乙中队"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"第一段，2025年5月。", "甲中队有一段。", "乙中队有一段。"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs %q, want %q", got, want)
	}
}

// A clerk typing braces with a Chinese input method gets full-width ones,
// which text/template prints as they are; LoadTemplates refuses them, and
// any mix of full- and half-width braces, naming the line and column.
func TestFullWidthBracesAreRefused(t *testing.T) {
	for _, typed := range []string{"｛｛.Received｝｝", "｛{.Received}}", "{｛.Received｝}", "{{.Received}｝"} {
		t.Run(typed, func(t *testing.T) {
			dir := copyTemplates(t)
			path := filepath.Join(dir, tmplComplaints)
			line := replaceLine(t, path, "本月共受理投诉信访件{{.Received}}件", func(l string) string {
				return strings.Replace(l, "{{.Received}}", typed, 1)
			})
			_, err := LoadTemplates(dir)
			e := asTemplateError(t, err)
			if e.Path != path || !strings.HasPrefix(e.Where, "第"+strconv.Itoa(line)+"行") {
				t.Errorf("err = %v, want %s line %d", err, path, line)
			}
			if !strings.Contains(err.Error(), "请用半角（英文）花括号 {{ }}") {
				t.Errorf("err = %v does not say to use half-width braces", err)
			}
		})
	}
	// the column counts characters: ｛｛ starts the 11th
	dir := copyTemplates(t)
	replaceLine(t, filepath.Join(dir, tmplComplaints), "本月共受理投诉信访件{{.Received}}件", func(l string) string {
		return strings.Replace(l, "{{.Received}}", "｛｛.Received｝｝", 1)
	})
	_, err := LoadTemplates(dir)
	if e := asTemplateError(t, err); !strings.HasSuffix(e.Where, "第11个字") {
		t.Errorf("where %q, want column 11", e.Where)
	}
}

// Braces that reach the text through an action are caught when the
// document is composed, before anything prints them.
func TestBracesLeftInTheTextAreRefused(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplComplaints)
	replaceLine(t, path, "本月共受理投诉信访件{{.Received}}件", func(l string) string {
		return strings.Replace(l, "{{.Received}}", `{{"{{"}}.Received{{"}}"}}`, 1)
	})
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatalf("braces printed by actions parse: %v", err)
	}
	_, err = Bulletin(testConfig(), mayFigures(), nil, tm)
	e := asTemplateError(t, err)
	if e.Path != path || !strings.Contains(err.Error(), "请用半角（英文）花括号 {{ }}") || !strings.Contains(err.Error(), "{{.Received}}") {
		t.Errorf("err = %v, want one naming %s and the braces", err, path)
	}
}

// A template saved by Notepad as "ANSI" (GBK) or "Unicode" (UTF-16) is
// refused by name, not read into U+FFFD characters.
func TestTemplateNotUTF8IsRefused(t *testing.T) {
	for _, tc := range []struct {
		name string
		enc  encoding.Encoding
	}{
		{"GBK", simplifiedchinese.GBK},
		{"UTF-16", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)},
		{"UTF-16 without BOM", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyTemplates(t)
			path := filepath.Join(dir, tmplComplaints)
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			saved, err := tc.enc.NewEncoder().Bytes(text)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, saved, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err = LoadTemplates(dir)
			e := asTemplateError(t, err)
			if e.Path != path || !strings.Contains(err.Error(), "请用 UTF-8 编码保存") || strings.Contains(err.Error(), "missing") {
				t.Errorf("err = %v, want one naming %s and asking for UTF-8", err, path)
			}
		})
	}
}
