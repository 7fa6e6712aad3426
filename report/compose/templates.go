package compose

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"unicode/utf8"

	"bulletin/report"
)

// TemplateExt is the extension of the wording template files.
const TemplateExt = ".tmpl"

// The wording templates, one per section or paragraph group so that a clerk
// finds a sentence by the section it is printed in.
const (
	tmplNotice       = "月报-00-开头提示.tmpl"
	tmplOverview     = "月报-01-概况.tmpl"
	tmplQuotas       = "月报-02-主要任务.tmpl"
	tmplHalfSummary  = "月报-02-半年任务.tmpl"
	tmplCoverage     = "月报-03-覆盖情况.tmpl"
	tmplCaseQuality  = "月报-04-案卷质量.tmpl"
	tmplAbnormal     = "月报-04-异常案件.tmpl"
	tmplProblems     = "月报-05-问题整改.tmpl"
	tmplComplaints   = "月报-06-重要案诉件.tmpl"
	tmplEvaluation   = "月报-07-中队评价.tmpl"
	tmplReminders    = "月报-08-下月工作提示.tmpl"
	tmplAnnexScores  = "月报-附件1-评价指标.tmpl"
	tmplAnnexQuality = "月报-附件2-数据质量.tmpl"

	tmplSIOpening       = "自查-00-开头.tmpl"
	tmplSIBasic         = "自查-01-基本情况.tmpl"
	tmplSIProblems      = "自查-02-主要问题.tmpl"
	tmplSIRectification = "自查-03-整改落实.tmpl"
	tmplSIPlan          = "自查-04-下一步工作.tmpl"
)

// requiredTemplates are the files the documents use; a missing one is
// reported when the templates are loaded, not halfway through a document.
var requiredTemplates = []string{
	tmplNotice, tmplOverview, tmplQuotas, tmplHalfSummary, tmplCoverage,
	tmplCaseQuality, tmplAbnormal, tmplProblems, tmplComplaints, tmplEvaluation,
	tmplReminders, tmplAnnexScores, tmplAnnexQuality,
	tmplSIOpening, tmplSIBasic, tmplSIProblems, tmplSIRectification, tmplSIPlan,
}

// Templates are the wording templates of one folder, parsed.
type Templates struct {
	dir string
	set *template.Template
	// sources keeps each file's text to turn text/template's byte columns
	// into character columns, which is what a clerk counts.
	sources map[string]string
}

// LoadTemplates parses every *.tmpl file of dir. A file that does not parse,
// and a template the documents need that is missing, is a *report.Error of
// KindTemplate naming the file (and the line); several are joined.
func LoadTemplates(dir string) (*Templates, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &report.Error{Kind: report.KindTemplate, Op: "read the template folder", Path: dir, Err: err}
	}
	t := &Templates{
		dir:     dir,
		set:     template.New("").Funcs(funcs()).Option("missingkey=error"),
		sources: map[string]string{},
	}
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || filepath.Ext(name) != TemplateExt {
			continue
		}
		text, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			errs = append(errs, &report.Error{Kind: report.KindTemplate, Op: "read template", Path: filepath.Join(dir, name), Err: err})
			continue
		}
		src := strings.TrimPrefix(string(text), "\ufeff") // Notepad saves UTF-8 with a BOM
		t.sources[name] = src
		if _, err := t.set.New(name).Parse(markParagraphs(src)); err != nil {
			errs = append(errs, t.locate("parse template", name, err))
		}
	}
	var missing []string
	for _, name := range requiredTemplates {
		if _, ok := t.sources[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &report.Error{Kind: report.KindTemplate, Op: "templates missing", Path: dir,
			Err: fmt.Errorf("%s (restore them from the shipped templates folder)", strings.Join(missing, ", "))})
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// paragraphMark stands, in a parsed template, for a blank line of its
// source: a paragraph break. A private-use character never met in text.
const paragraphMark = "\ue000"

// markParagraphs replaces every blank source line with paragraphMark, line
// numbers unchanged. Only the clerk's blank lines break paragraphs; a line
// that comes out empty because its actions print nothing ({{if ...}} on a
// line of its own) does not.
func markParagraphs(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) == "" {
			lines[i] = paragraphMark
		}
	}
	return strings.Join(lines, "\n")
}

// paragraphs fills in template name with data and splits the text into
// paragraphs at the source's blank lines; the lines of a paragraph are
// trimmed and joined without a separator, as Chinese text has none.
func (t *Templates) paragraphs(name string, data any) ([]string, error) {
	var b strings.Builder
	if err := t.set.ExecuteTemplate(&b, name, data); err != nil {
		return nil, t.locate("fill in template", name, err)
	}
	return splitParagraphs(b.String()), nil
}

func splitParagraphs(text string) []string {
	var paras []string
	for chunk := range strings.SplitSeq(text, paragraphMark) {
		var p strings.Builder
		for line := range strings.SplitSeq(chunk, "\n") {
			p.WriteString(strings.TrimSpace(line))
		}
		if p.Len() > 0 {
			paras = append(paras, p.String())
		}
	}
	return paras
}

// templatePos matches the position text/template puts at the head of its
// errors: "template: NAME:LINE: " when parsing, "template: NAME:LINE:COL: "
// when executing.
var templatePos = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: `)

// locate turns a text/template error into a *report.Error that names the
// template file and the line (and character column) the clerk must look at.
func (t *Templates) locate(op, name string, err error) *report.Error {
	e := &report.Error{Kind: report.KindTemplate, Op: op, Path: filepath.Join(t.dir, name), Err: err}
	msg := err.Error()
	m := templatePos.FindStringSubmatch(msg)
	if m == nil {
		return e
	}
	file, line := m[1], m[2]
	e.Path = filepath.Join(t.dir, file)
	e.Where = "line " + line
	if m[3] != "" {
		n, _ := strconv.Atoi(line)
		byteCol, _ := strconv.Atoi(m[3])
		e.Where += fmt.Sprintf(", column %d", t.charColumn(file, n, byteCol))
	}
	e.Err = errors.New(strings.TrimPrefix(msg, m[0]))
	return e
}

// charColumn converts text/template's column (a 0-based byte offset in the
// line) into the 1-based character column; a Chinese character takes three
// bytes.
func (t *Templates) charColumn(file string, line, byteCol int) int {
	lines := strings.Split(t.sources[file], "\n")
	if line < 1 || line > len(lines) {
		return byteCol
	}
	text := lines[line-1]
	return utf8.RuneCountInString(text[:min(max(byteCol, 0), len(text))]) + 1
}
