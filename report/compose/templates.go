package compose

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"text/template/parse"
	"unicode/utf8"

	"bulletin/report"
)

// TemplateExt is the extension of the wording template files.
const TemplateExt = ".tmpl"

// The wording templates, one per section or paragraph group so that a clerk
// finds a sentence by the section it is printed in.
const (
	tmplNotice      = "月报-00-开头提示.tmpl"
	tmplOverview    = "月报-01-概况.tmpl"
	tmplQuotas      = "月报-02-主要任务.tmpl"
	tmplHalfSummary = "月报-02-半年任务.tmpl"
	tmplCoverage    = "月报-03-覆盖情况.tmpl"
	tmplCaseQuality = "月报-04-案卷质量.tmpl"
	tmplAbnormal    = "月报-04-异常案件.tmpl"
	tmplProblems    = "月报-05-问题整改.tmpl"
	tmplComplaints  = "月报-06-重要案诉件.tmpl"
	tmplEvaluation  = "月报-07-中队评价.tmpl"
	tmplReminders   = "月报-08-下月工作提示.tmpl"
	tmplAnnexScores = "月报-附件1-评价指标.tmpl"

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
	tmplReminders, tmplAnnexScores,
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
		return nil, &report.Error{Kind: report.KindTemplate, Op: "模板文件夹无法读取（config.toml 的 templates 项）", Path: dir, Err: err}
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
		path := filepath.Join(dir, name)
		text, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, &report.Error{Kind: report.KindTemplate, Op: "模板文件无法读取", Path: path, Err: err})
			continue
		}
		text = bytes.TrimPrefix(text, []byte("\ufeff")) // Notepad saves UTF-8 with a BOM
		if err := checkUTF8(path, text); err != nil {
			t.sources[name] = "" // present, if unreadable: not also "missing"
			errs = append(errs, err)
			continue
		}
		src := string(text)
		t.sources[name] = src
		marked := markParagraphs(src)
		if _, err := t.set.New(name).Parse(marked); err != nil {
			errs = append(errs, t.locate(name, err, nil))
			continue
		}
		errs = append(errs, t.checkBraces(name, marked)...)
		errs = append(errs, t.checkRanges(name, t.set.Lookup(name).Tree.Root)...)
	}
	var missing []string
	for _, name := range requiredTemplates {
		if _, ok := t.sources[name]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		errs = append(errs, &report.Error{Kind: report.KindTemplate, Path: dir,
			Err: fmt.Errorf("缺少模板文件 %s：请从备份或程序自带的 templates 文件夹复制回来（文件名不能改）", strings.Join(missing, "、"))})
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return t, nil
}

// checkUTF8 refuses a template that is not UTF-8 text, naming the line of
// the first byte that is not: Notepad's "ANSI" (GBK here) or "Unicode"
// (UTF-16) would otherwise print as U+FFFD characters that the PDF's
// font check then reports far from the cause.
func checkUTF8(path string, text []byte) error {
	e := &report.Error{Kind: report.KindTemplate, Path: path}
	switch {
	case bytes.HasPrefix(text, []byte{0xff, 0xfe}) || bytes.HasPrefix(text, []byte{0xfe, 0xff}) || bytes.IndexByte(text, 0) >= 0:
		e.Err = errors.New("文件是 UTF-16（记事本的“Unicode”）编码，请用 UTF-8 编码保存")
	case !utf8.Valid(text):
		bad := 0
		for bad < len(text) {
			r, size := utf8.DecodeRune(text[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		e.Where = "第" + strconv.Itoa(bytes.Count(text[:bad], []byte("\n"))+1) + "行"
		e.Err = errors.New("文件不是 UTF-8 编码（可能是记事本的“ANSI”，即 GBK），请用 UTF-8 编码保存")
	default:
		return nil
	}
	return e
}

// strayBraces finds, in a template's text outside its actions, braces that
// were meant to open or close one: full-width ｛｛ ｝｝ (a Chinese input
// method's), a full- and a half-width brace side by side, and a }} that no
// {{ opened. text/template prints them as they are.
var strayBraces = regexp.MustCompile(`[{｛]｛|｛\{|[}｝]｝|｝\}|\}\}`)

// bracesHint is what a clerk is told about braces.
const bracesHint = "请用半角（英文）花括号 {{ }}"

// checkBraces reports every stray brace in the text of template name
// (marked is its source as parsed), with its line and column.
func (t *Templates) checkBraces(name, marked string) []error {
	var errs []error
	for _, tmpl := range t.set.Templates() {
		if tmpl.Tree == nil || tmpl.Tree.ParseName != name {
			continue
		}
		textNodes(tmpl.Tree.Root, func(n *parse.TextNode) {
			for _, m := range strayBraces.FindAllIndex(n.Text, -1) {
				excerpt := truncate(strings.TrimSpace(strings.SplitN(string(n.Text[m[0]:]), "\n", 2)[0]), 20)
				errs = append(errs, &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name),
					Where: t.position(name, marked, int(n.Pos)+m[0]),
					Err:   fmt.Errorf("“%s”：花括号是全角的或不成对，%s", excerpt, bracesHint)})
			}
		})
	}
	return errs
}

// position says where byte pos of template name's marked source (see
// markParagraphs) stands, as the clerk counts: 第3行第12个字.
func (t *Templates) position(name, marked string, pos int) string {
	line := strings.Count(marked[:pos], "\n") + 1
	byteCol := pos - strings.LastIndex(marked[:pos], "\n") - 1
	return fmt.Sprintf("第%d行第%d个字", line, t.charColumn(name, line, byteCol))
}

// textNodes calls visit on every text node under n, in the branches of
// if, range and with too.
func textNodes(n parse.Node, visit func(*parse.TextNode)) {
	walk(n, func(n parse.Node) {
		if t, ok := n.(*parse.TextNode); ok {
			visit(t)
		}
	})
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
	var b boundedWriter
	if err := t.set.ExecuteTemplate(&b, name, data); err != nil {
		if errors.Is(err, errTooLong) {
			return nil, t.tooLong(name)
		}
		return nil, t.locate(name, err, data)
	}
	paras := splitParagraphs(b.String())
	// Braces left in the text came through an action (a quoted "}}", a
	// value): what LoadTemplates cannot see. Never print them.
	for _, p := range paras {
		i := strings.Index(p, "{{")
		if j := strings.Index(p, "}}"); i < 0 || j >= 0 && j < i {
			i = j
		}
		if i >= 0 {
			before := []rune(p[:i])
			excerpt := string(before[max(0, len(before)-10):]) + truncate(p[i:], 20)
			return nil, &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name),
				Err: fmt.Errorf("生成的文字里留有花括号：“%s”。模板里的数据和函数要写在一对花括号里，%s", excerpt, bracesHint)}
		}
	}
	return paras, nil
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
// template file and the line (and character column) the clerk must look
// at, and says in plain words what is wrong (plainWords). data is what the
// template was filled with, nil for an error of parsing.
func (t *Templates) locate(name string, err error, data any) *report.Error {
	e := &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name), Err: err}
	msg := err.Error()
	m := templatePos.FindStringSubmatch(msg)
	if m == nil {
		return e
	}
	file, line := m[1], m[2]
	n, _ := strconv.Atoi(line)
	e.Path = filepath.Join(t.dir, file)
	e.Where = "第" + line + "行"
	if m[3] != "" {
		byteCol, _ := strconv.Atoi(m[3])
		e.Where += fmt.Sprintf("第%d个字", t.charColumn(file, n, byteCol))
	}
	raw := strings.TrimPrefix(msg, m[0])
	msg = plainWords(raw, data)
	if strings.HasPrefix(raw, "unexpected EOF") {
		// text/template stops at the end of the file; the clerk needs the
		// action that was left open.
		switch at, action, sure := unclosedAction(t.sources[file]); {
		case at == 0:
			msg = "文件在一个 {{ }} 的中间结束了：请补上 }}"
		case sure:
			e.Where = "第" + strconv.Itoa(at) + "行"
			msg = fmt.Sprintf("这一行的 %s 没有对应的 {{end}}：{{if}}、{{range}}、{{with}} 都要用 {{end}} 结束", action)
		default:
			e.Where = "第" + strconv.Itoa(at) + "行"
			msg = fmt.Sprintf("从这一行的 %s 起少了一个 {{end}}：它和它里面的 {{if}}、{{range}}、{{with}} 都要用 {{end}} 结束，请逐个核对", action)
		}
	}
	if strings.ContainsAny(t.sourceLine(file, n), "｛｝") && !strings.Contains(msg, bracesHint) {
		// a brace typed full-width leaves its action unclosed
		msg += "（这一行有全角花括号，" + bracesHint + "）"
	}
	e.Err = errors.New(msg)
	return e
}

// sourceLine is line (1-based) of a template's source, "" when none.
func (t *Templates) sourceLine(file string, line int) string {
	lines := strings.Split(t.sources[file], "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	return lines[line-1]
}

// charColumn converts text/template's column (a 0-based byte offset in the
// line) into the 1-based character column; a Chinese character takes three
// bytes.
func (t *Templates) charColumn(file string, line, byteCol int) int {
	text := t.sourceLine(file, line)
	return utf8.RuneCountInString(text[:min(max(byteCol, 0), len(text))]) + 1
}
