package compose

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"text/template/parse"

	"bulletin/report"
)

// maxTemplateOutput bounds what one template writes: a section of a
// bulletin is a few hundred characters, and a runaway {{range}} would
// otherwise fill the memory before anything is printed. A megabyte is
// some 340,000 characters, more than the pages pdf.MaxPages allows, so
// that long data is stopped by the page bound, which names the section.
const maxTemplateOutput = 1 << 20

// maxRangeCount bounds {{range N}} over a number written in a template:
// the documents repeat over lists (squads, quotas), never thousands of
// times over a count.
const maxRangeCount = 1000

// errTooLong stops a template's execution at maxTemplateOutput.
var errTooLong = errors.New("too long")

// boundedWriter collects a template's output up to maxTemplateOutput bytes.
type boundedWriter struct{ strings.Builder }

func (w *boundedWriter) Write(p []byte) (int, error) {
	if w.Len()+len(p) > maxTemplateOutput {
		return 0, errTooLong
	}
	return w.Builder.Write(p)
}

// tooLong is the error of a template that wrote more than
// maxTemplateOutput.
func (t *Templates) tooLong(name string) error {
	return &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name),
		Err: fmt.Errorf("生成的文字超过 %d 万字，已停止：请检查模板里的 {{range}} 循环是否写错（也可能是导出数据里有特别长的文字）", maxTemplateOutput/3/10000)}
}

// checkRanges refuses, at its line, a {{range}} over a number written in
// template name above maxRangeCount ({{range 3000000}}).
func (t *Templates) checkRanges(name string, root parse.Node) []error {
	var errs []error
	walk(root, func(n parse.Node) {
		r, ok := n.(*parse.RangeNode)
		if !ok || r.Pipe == nil || len(r.Pipe.Cmds) != 1 || len(r.Pipe.Cmds[0].Args) != 1 {
			return
		}
		num, ok := r.Pipe.Cmds[0].Args[0].(*parse.NumberNode)
		if !ok || !num.IsInt || num.Int64 <= maxRangeCount {
			return
		}
		line := strings.Count(t.sources[name][:min(int(r.Pos), len(t.sources[name]))], "\n") + 1
		errs = append(errs, &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name), Where: "第" + strconv.Itoa(line) + "行",
			Err: fmt.Errorf("{{range %s}} 要重复 %s 次，超过了 %d 次的上限：请检查这个数字", num.Text, num.Text, maxRangeCount)})
	})
	return errs
}

// walk calls visit on n and every node under it.
func walk(n parse.Node, visit func(parse.Node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, visit)
		}
	case *parse.IfNode:
		walk(n.List, visit)
		walk(n.ElseList, visit)
	case *parse.RangeNode:
		walk(n.List, visit)
		walk(n.ElseList, visit)
	case *parse.WithNode:
		walk(n.List, visit)
		walk(n.ElseList, visit)
	}
}
