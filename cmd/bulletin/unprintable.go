package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/config"
	"bulletin/report/pdf"
	"bulletin/report/recent"
)

// markUnprintable finds the characters of the exports' text that the
// document fonts cannot print (an emoji, 𠮷 in a name): each place is a
// warning of the data-quality report naming file, row and column, and
// ds.Unprintable tells the renderer to print them as 〓 instead of
// stopping the run. Text the clerk controls (templates, config) is not
// marked: a character there that a font lacks still stops the run.
func markUnprintable(fonts *pdf.Renderer, ds *report.Dataset, q *report.Quality) {
	printable := printableMemo{font: fonts, printed: recent.New[struct{}](12)}
	ds.TextFields(func(dataset string, o report.Origin, column, text string) {
		if _, met := printable.printed.Get(text); met || printable.allASCII(text) { // a value met before; ids and codes
			return
		}
		var bad []string
		for _, c := range text {
			if !printable.can(c) {
				bad = append(bad, fmt.Sprintf("“%c”（%U）", c, c))
				if ds.Unprintable == nil {
					ds.Unprintable = map[rune]bool{}
				}
				ds.Unprintable[c] = true
			}
		}
		if len(bad) == 0 {
			printable.printed.Put(text, struct{}{})
			return
		}
		where := fmt.Sprintf("第%d行", o.Row)
		if o.Sheet() != "" {
			where = "工作表“" + o.Sheet() + "”" + where
		}
		q.Warnings = append(q.Warnings, report.Warning{Kind: report.WarnUnprintable, File: o.File(), Count: 1,
			Example: fmt.Sprintf("%s「%s」列“%s”中的%s，字体里没有，印作〓", where, column, excerpt(text, 30), strings.Join(bad, "、"))})
	})
}

// printableMemo remembers what the font said of each character: a city's
// year is tens of millions of characters, of a few thousand kinds. It also
// remembers the texts found printable lately (printed): most fields are
// the very string met before, as a reader makes each repeated value once.
type printableMemo struct {
	font    *pdf.Renderer
	bmp     [0x10000]int8 // 0: not asked yet, 1: printable, -1: not
	beyond  map[rune]bool
	printed *recent.Memo[struct{}]
}

// allASCII reports that text is printable ASCII the font has.
func (m *printableMemo) allASCII(text string) bool {
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < ' ' || c > '~' || !m.can(rune(c)) {
			return false
		}
	}
	return true
}

func (m *printableMemo) can(c rune) bool {
	if c < 0 || c >= rune(len(m.bmp)) {
		ok, seen := m.beyond[c]
		if !seen {
			ok = m.font.CanPrint(c)
			if m.beyond == nil {
				m.beyond = map[rune]bool{}
			}
			m.beyond[c] = ok
		}
		return ok
	}
	if m.bmp[c] == 0 {
		m.bmp[c] = -1
		if m.font.CanPrint(c) {
			m.bmp[c] = 1
		}
	}
	return m.bmp[c] == 1
}

// excerpt is text cut to n characters.
func excerpt(text string, n int) string {
	if r := []rune(text); len(r) > n {
		return string(r[:n]) + "…"
	}
	return text
}

// markChart returns c with the marked characters of its labels printed as
// 〓, as the PDF prints them.
func markChart(c report.Chart, marked map[rune]bool) report.Chart {
	if len(marked) == 0 {
		return c
	}
	return c.WithText(func(s string) string {
		return strings.Map(func(r rune) rune {
			if marked[r] {
				return pdf.SubstituteMark
			}
			return r
		}, s)
	})
}

// loadTemplates loads the wording templates and refuses the characters of
// the text the clerk controls, templates and config, that the document
// fonts cannot print: those are corrected at their file and line, never
// printed as 〓.
func (p *pipeline) loadTemplates() (*compose.Templates, error) {
	cfg := p.cfg
	tmpl, err := compose.LoadTemplates(cfg.Templates)
	if err != nil {
		return nil, err
	}
	r, err := p.renderer()
	if err != nil {
		return nil, err
	}
	files := []string{cfg.File}
	for _, plan := range cfg.Plans {
		files = append(files, plan.File)
	}
	printable := (&printableMemo{font: r}).can // the fonts asked once a character
	errs := []error{tmpl.CheckPrintable(printable)}
	for _, f := range files {
		errs = append(errs, checkConfigPrintable(f, printable))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return tmpl, nil
}

// checkConfigPrintable refuses a character of a config file's settings
// (comments aside) that printable refuses, naming file and line.
func checkConfigPrintable(path string, printable func(rune) bool) error {
	if path == "" {
		return nil
	}
	data, err := config.ReadFile(path)
	if err != nil {
		return &report.Error{Kind: report.KindConfig, Path: path, Op: "读取配置文件", Err: err}
	}
	var errs []error
	for i, line := range strings.Split(string(data), "\n") {
		for _, r := range settingText(line) {
			if r != '\r' && r != '\t' && !printable(r) {
				errs = append(errs, &report.Error{Kind: report.KindConfig, Path: path, Where: fmt.Sprintf("第%d行", i+1),
					Err: fmt.Errorf("“%c”（%U）公文字体里没有，印不出来：请删去或换成别的字", r, r)})
			}
		}
	}
	return errors.Join(errs...)
}

// tomlEscape is a \u or \U escape of a TOML string.
var tomlEscape = regexp.MustCompile(`\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}`)

// settingText is a TOML line without its # comment, escapes decoded.
func settingText(line string) string {
	quoted, end := false, len(line)
	for i, r := range line {
		if r == '"' {
			quoted = !quoted
		} else if r == '#' && !quoted {
			end = i
			break
		}
	}
	line = line[:end]
	return tomlEscape.ReplaceAllStringFunc(line, func(esc string) string {
		n, _ := strconv.ParseUint(esc[2:], 16, 32)
		return string(rune(n))
	})
}
