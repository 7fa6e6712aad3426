package compose

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"bulletin/report"
)

// text/template's messages are Go's: "can't evaluate field Numeratr in
// type compose.QuotaView". plainWords says the same to the clerk who edits
// a template, with the names that would have been right.
var (
	noField     = regexp.MustCompile(`^executing ".*" at <(.*)>: can't evaluate field (\S+) in type (\S+)$`)
	noKey       = regexp.MustCompile(`^executing ".*" at <(.*)>: map has no entry for key "(.*)"$`)
	nilValue    = regexp.MustCompile(`^executing ".*" at <(.*)>: nil (pointer|data).*$`)
	callFailed  = regexp.MustCompile(`^executing ".*" at <(.*)>: error calling (\S+): (.*)$`)
	wrongArgs   = regexp.MustCompile(`^executing ".*" at <(.*)>: wrong number of args for (\S+): want (\S+) got (\d+)$`)
	wrongType   = regexp.MustCompile(`^executing ".*" at <(.*)>: wrong type for value; expected (\S+); got (\S+)$`)
	noFunction  = regexp.MustCompile(`^function "(.*)" not defined$`)
	noVariable  = regexp.MustCompile(`^undefined variable "(.*)"$`)
	strayEnd    = regexp.MustCompile(`^unexpected \{\{end\}\}`)
	strayElse   = regexp.MustCompile(`^unexpected \{\{else\}\}`)
	unclosed    = regexp.MustCompile(`^unclosed action|^bad character U\+007D|^unexpected "\}"|^unexpected right delim`)
	executingAt = regexp.MustCompile(`^executing ".*" at <(.*)>: (.*)$`)
)

// plainWords rewrites a text/template message (its position removed) in
// Chinese; data is what the template was filled with, nil when parsing.
func plainWords(msg string, data any) string {
	if m := noField.FindStringSubmatch(msg); m != nil {
		names := fieldNames(data, strings.TrimPrefix(m[3], "*"))
		valid := ""
		if len(names) > 0 {
			valid = "这里能用的数据：" + strings.Join(names, "、") + "（大小写要一致，见 templates/README.md 第五部分）"
		}
		return fmt.Sprintf("没有“%s”这项数据%s。%s", m[2], nearestHint(m[2], names), valid)
	}
	if m := noKey.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s 里没有“%s”这一项：请检查拼写", m[1], m[2])
	}
	if m := nilValue.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s 在这里没有值：请用 {{with %s}}……{{end}} 或 {{if %s}}……{{end}} 包住", m[1], m[1], m[1])
	}
	if m := callFailed.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s 出错：%s", m[2], m[3])
	}
	if m := wrongArgs.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("函数 %s 要写 %s 个参数，这里写了 %s 个（写法见 templates/README.md 第三部分）", m[2], m[3], m[4])
	}
	if m := wrongType.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s 的数据类型不对，这里不能这样用（写法见 templates/README.md 第三部分）", m[1])
	}
	if m := noFunction.FindStringSubmatch(msg); m != nil {
		names := funcNames()
		return fmt.Sprintf("没有“%s”这个函数%s。可用的函数：%s", m[1], nearestHint(m[1], names), strings.Join(names, "、"))
	}
	if m := noVariable.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("变量 %s 没有定义：变量要先在 {{range $i, $x := …}} 或 {{$x := …}} 里定义", m[1])
	}
	if strayEnd.MatchString(msg) {
		return "多了一个 {{end}}：它前面没有对应的 {{if}}、{{range}} 或 {{with}}"
	}
	if strayElse.MatchString(msg) {
		return "{{else}} 只能写在 {{if}}、{{range}} 或 {{with}} 和它的 {{end}} 之间"
	}
	if unclosed.MatchString(msg) {
		return "花括号不成对：{{ 之后要有 }}，数据和函数写在一对花括号里，" + bracesHint
	}
	if m := executingAt.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("%s 这里出错（%s）", m[1], m[2])
	}
	return "模板写法有误（" + msg + "）"
}

// funcNames are the functions a template can call, sorted.
func funcNames() []string {
	var names []string
	for name := range funcs() {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// fieldNames lists the fields and methods a template can name on the
// struct type called typeName ("compose.QuotaView"), found among the types
// reachable from data.
func fieldNames(data any, typeName string) []string {
	if data == nil {
		return nil
	}
	seen := map[reflect.Type]bool{}
	var found reflect.Type
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] || found != nil {
			return
		}
		seen[t] = true
		if t.String() == typeName {
			found = t
			return
		}
		for _, f := range reflect.VisibleFields(t) {
			if f.IsExported() {
				visit(f.Type)
			}
		}
		pt := reflect.PointerTo(t)
		for i := range pt.NumMethod() {
			if mt := pt.Method(i).Type; mt.NumOut() > 0 {
				visit(mt.Out(0))
			}
		}
	}
	visit(reflect.TypeOf(data))
	if found == nil {
		return nil
	}
	var names []string
	for _, f := range reflect.VisibleFields(found) {
		if f.IsExported() && !f.Anonymous {
			names = append(names, f.Name)
		}
	}
	pt := reflect.PointerTo(found)
	for i := range pt.NumMethod() {
		names = append(names, pt.Method(i).Name)
	}
	return names
}

// actionWord finds the actions of a template's source and their first
// word: {{if .X}} is "if", {{- end -}} is "end"; comments are left out.
var actionWord = regexp.MustCompile(`(?s)\{\{-?\s*(/\*.*?\*/|[a-z]*)[^}]*\}?\}?`)

// unclosedAction finds the action a missing {{end}} leaves open and
// returns its 1-based line and text, and whether it is sure. An {{if}},
// {{range}} or {{with}} followed by text on its own line and not ended on
// it ("{{if .Met}}完成{{else}}未完成") is the one: the templates end such
// actions on their line, and the {{end}} that text/template pairs with it
// belongs to an action further up. Otherwise it is the innermost action
// left open at the end of the file, or one inside it: with
// {{if}}{{range}}{{end}}, either may lack its {{end}}.
func unclosedAction(src string) (line int, action string, sure bool) {
	type open struct {
		at     int
		inline bool // text follows it on its line
	}
	var stack []open
	lineOpen := 0 // actions of stack opened on the current line
	inlineLeftOpen := -1
	pos := 0
	for _, m := range actionWord.FindAllStringSubmatchIndex(src, -1) {
		if nl := strings.Index(src[pos:m[0]], "\n"); nl >= 0 {
			if lineOpen > 0 && strings.TrimSpace(src[pos:pos+nl]) != "" {
				stack[len(stack)-1].inline = true
			}
			for _, o := range stack[len(stack)-lineOpen:] {
				if o.inline && inlineLeftOpen < 0 {
					inlineLeftOpen = o.at
				}
			}
			lineOpen = 0
		} else if lineOpen > 0 && strings.TrimSpace(src[pos:m[0]]) != "" {
			stack[len(stack)-1].inline = true
		}
		switch src[m[2]:m[3]] {
		case "if", "range", "with", "block", "define":
			stack = append(stack, open{at: m[0]})
			lineOpen++
		case "end":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			lineOpen = max(lineOpen-1, 0)
		}
		pos = m[1]
	}
	at, sure := inlineLeftOpen, true
	if at < 0 {
		if len(stack) == 0 {
			return 0, "", false
		}
		at, sure = stack[len(stack)-1].at, false
	}
	text, _, _ := strings.Cut(src[at:], "}}")
	return strings.Count(src[:at], "\n") + 1, truncate(text+"}}", 30), sure
}

// nearestHint is "（是不是 X？）" for the nearest of names to word, or "".
func nearestHint(word string, names []string) string {
	if near := report.Nearest(word, names); near != "" {
		return "（是不是 " + near + "？）"
	}
	return ""
}

// quotaIDs are the ids of the month's quotas.
func (d *MonthData) quotaIDs() []string {
	ids := make([]string, len(d.Quotas))
	for i, q := range d.Quotas {
		ids[i] = q.ID
	}
	return ids
}
