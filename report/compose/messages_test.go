package compose

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The example: a misspelt field inside {{with .Quota ...}} is told
// in plain words, with the names a quota has.
func TestMisspeltQuotaFieldListsTheQuotasNames(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplOverview)
	line := replaceLine(t, path, "本月，区局共抽查案卷{{.Numerator}}件", func(l string) string {
		return strings.Replace(l, ".Numerator", ".Numeratr", 1)
	})
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Bulletin(testConfig(), mayFigures(), nil, tm)
	e := asTemplateError(t, err)
	msg := err.Error()
	if e.Path != path || e.Where != "第"+strconv.Itoa(line)+"行第13个字" {
		t.Errorf("where %s (%s), want %s line %d column 13", e.Path, e.Where, path, line)
	}
	for _, want := range []string{"没有“Numeratr”这项数据（是不是 Numerator？）", "这里能用的数据：", "Numerator、Denominator", "Status"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q does not say %q", msg, want)
		}
	}
	for _, go_ := range []string{"can't evaluate", "compose.QuotaView", "executing"} {
		if strings.Contains(msg, go_) {
			t.Errorf("%q speaks Go (%q)", msg, go_)
		}
	}
}

// A missing {{end}} is reported at the line of the action it leaves open,
// not at the end of the file where text/template notices it.
func TestMissingEndIsReportedWhereTheActionOpened(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplOverview)
	line := replaceLine(t, path, "{{if .Met}}完成{{else}}未完成{{end}}不少于{{pct .Target}}的任务要求", func(l string) string {
		return strings.Replace(l, "{{if .Met}}完成{{else}}未完成{{end}}", "{{if .Met}}完成{{else}}未完成", 1)
	})
	_, err := LoadTemplates(dir)
	e := asTemplateError(t, err)
	if e.Path != path || e.Where != "第"+strconv.Itoa(line)+"行" {
		t.Errorf("err = %v, want %s line %d", err, path, line)
	}
	if !strings.Contains(err.Error(), "这一行的 {{if .Met}} 没有对应的 {{end}}") {
		t.Errorf("err = %v does not name the open action", err)
	}
}

// {{range 3000000}} is refused when the templates are loaded (check
// loads them), at its line.
func TestRangeOverAHugeNumberIsRefused(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplSIPlan)
	line := replaceLine(t, path, "一是确保检查全覆盖", func(l string) string { return l + "{{range 3000000}}一{{end}}" })
	_, err := LoadTemplates(dir)
	e := asTemplateError(t, err)
	if e.Path != path || e.Where != "第"+strconv.Itoa(line)+"行" || !strings.Contains(err.Error(), "{{range 3000000}} 要重复 3000000 次，超过了 1000 次的上限") {
		t.Errorf("err = %v, want %s line %d", err, path, line)
	}
}

// A runaway template that no literal gives away (ranges nested over the
// squads) stops at maxTemplateOutput, naming the template.
func TestRunawayTemplateStops(t *testing.T) {
	dir := copyTemplates(t)
	path := filepath.Join(dir, tmplOverview)
	loop := strings.Repeat("{{range $.Squads}}", 7) + "各中队应当对照方案逐项整改。" + strings.Repeat("{{end}}", 7)
	replaceLine(t, path, "本月，区局共抽查案卷{{.Numerator}}件", func(l string) string { return loop + l })
	tm, err := LoadTemplates(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Bulletin(testConfig(), mayFigures(), nil, tm)
	e := asTemplateError(t, err)
	if e.Path != path || !strings.Contains(err.Error(), "生成的文字超过 34 万字，已停止") {
		t.Errorf("err = %v", err)
	}
}

// Every {{end}} of the shipped templates, left out in turn, is reported at
// the line of the action it ends when that action is followed by text on
// its line ("{{if .Met}}完成{{else}}未完成"), and at or above it when the
// action stands on a line of its own: {{if}}{{range}}{{end}} cannot tell
// which of the two lacks its {{end}}, and the clerk is told to check from
// the outer one down.
func TestEveryMissingEndIsFoundAtItsAction(t *testing.T) {
	entries, err := os.ReadDir(templatesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != TemplateExt {
			continue
		}
		src, err := os.ReadFile(filepath.Join(templatesDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		text := string(src)
		// pair every {{end}} with the line of its action
		type pair struct{ end, line int }
		var pairs []pair
		var stack []int
		for _, m := range actionWord.FindAllStringSubmatchIndex(text, -1) {
			switch text[m[2]:m[3]] {
			case "if", "range", "with":
				stack = append(stack, strings.Count(text[:m[0]], "\n")+1)
			case "end":
				pairs = append(pairs, pair{m[0], stack[len(stack)-1]})
				stack = stack[:len(stack)-1]
			}
		}
		for _, p := range pairs {
			spoilt := text[:p.end] + strings.Replace(text[p.end:], "{{end}}", "", 1)
			line, _, sure := unclosedAction(spoilt)
			if line == 0 || sure && line != p.line || !sure && line > p.line {
				t.Errorf("%s without the {{end}} of line %d: reported at line %d (sure %v)", e.Name(), p.line, line, sure)
			}
		}
	}
}
