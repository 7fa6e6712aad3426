package compose

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"text/template/parse"

	"bulletin/report"
)

// CheckPrintable refuses characters of the templates' own text that the
// document fonts cannot print (printable says which can), naming file,
// line and column: unlike a character in an export, which prints as 〓,
// text the clerk wrote is corrected by the clerk.
func (t *Templates) CheckPrintable(printable func(rune) bool) error {
	var errs []error
	for _, tmpl := range t.set.Templates() {
		if tmpl.Tree == nil || tmpl.Name() != tmpl.Tree.ParseName {
			continue
		}
		name := tmpl.Tree.ParseName
		src := markParagraphs(t.sources[name])
		textNodes(tmpl.Tree.Root, func(n *parse.TextNode) {
			for i, r := range string(n.Text) {
				if r == '\n' || printable(r) || strings.ContainsRune(paragraphMark, r) {
					continue
				}
				errs = append(errs, &report.Error{Kind: report.KindTemplate, Path: filepath.Join(t.dir, name),
					Where: t.position(name, src, int(n.Pos)+i),
					Err:   fmt.Errorf("“%c”（%U）公文字体里没有，印不出来：请删去或换成别的字", r, r)})
			}
		})
	}
	return errors.Join(errs...)
}
