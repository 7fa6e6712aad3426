package console

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"bulletin/report"
)

// docView is a document as the HTML edition shows it: the same blocks as
// the PDF, the charts drawn by ECharts, and every cell that states a quota's
// figure linked to its explanation for month.
type docView struct {
	Doc     report.Document
	Title   []string // the title's lines
	Blocks  []blockView
	Annexes []annexView
}

type annexView struct {
	report.Annex
	Blocks []blockView
}

type blockView struct {
	report.Block
	Paragraphs []string
	Chart      template.HTML
	Table      *tableView
}

type tableView struct {
	*report.Table
	Rows  [][]cellView
	Total []cellView
}

type cellView struct {
	report.Cell
	Align string
	Link  string // the explanation of the figure, when the cell states one
}

// documentView lays out doc, the n-th of the page; scripts collects the
// chart scripts the page must load.
func (s *Server) documentView(doc report.Document, n int, month string, scripts *[]string) (docView, error) {
	doc = doc.Printed() // the PDF's cells, not a typed-at-length 问题描述 whole
	v := docView{Doc: doc, Title: strings.Split(doc.Title, "\n")}
	prefix := fmt.Sprintf("d%d_", n) // chart ids are unique within a document only
	var err error
	if v.Blocks, err = s.blockViews(doc.Blocks, prefix, month, scripts); err != nil {
		return docView{}, err
	}
	for _, a := range doc.Annexes {
		bv, err := s.blockViews(a.Blocks, prefix, month, scripts)
		if err != nil {
			return docView{}, err
		}
		v.Annexes = append(v.Annexes, annexView{Annex: a, Blocks: bv})
	}
	return v, nil
}

func (s *Server) blockViews(blocks []report.Block, prefix, month string, scripts *[]string) ([]blockView, error) {
	out := make([]blockView, 0, len(blocks))
	for _, b := range blocks {
		bv := blockView{Block: b}
		switch {
		case b.Kind == report.ChartBlock && b.Chart != nil:
			c := *b.Chart
			c.ID = prefix + c.ID
			html, assets, err := s.cfg.Chart(c, assetsHost)
			if err != nil {
				return nil, fmt.Errorf("chart %s: %w", b.Chart.Title, err)
			}
			bv.Chart = html
			for _, a := range assets {
				if !slices.Contains(*scripts, a) {
					*scripts = append(*scripts, a)
				}
			}
		case b.Kind == report.TableBlock && b.Table != nil:
			bv.Table = tableOf(b.Table.For(report.PrintOnly), month) // the columns the PDF prints, not the workbook's
		default:
			bv.Paragraphs = strings.Split(b.Text, "\n")
		}
		out = append(out, bv)
	}
	return out, nil
}

func tableOf(t *report.Table, month string) *tableView {
	tv := &tableView{Table: t}
	row := func(cells []report.Cell) []cellView {
		out := make([]cellView, len(cells))
		for i, c := range cells {
			out[i] = cellView{Cell: c, Align: "left"}
			if i < len(t.Columns) {
				out[i].Align = [...]string{"left", "center", "right"}[t.Columns[i].Align]
			}
			if c.Explain != "" && month != "" {
				out[i].Link = explainLink(month, c.Explain)
			}
		}
		return out
	}
	for _, r := range t.Rows {
		tv.Rows = append(tv.Rows, row(r))
	}
	if t.Total != nil {
		tv.Total = row(t.Total)
	}
	return tv
}

func explainLink(month, quota string) string {
	return "/explain?" + url.Values{"month": {month}, "quota": {quota}}.Encode()
}

// Kind names the block's kind for the template.
func (b blockView) KindName() string {
	switch b.Kind {
	case report.Heading1:
		return "h1"
	case report.Heading2:
		return "h2"
	case report.TableBlock:
		return "table"
	case report.ChartBlock:
		return "chart"
	case report.Note:
		return "note"
	case report.PageBreak:
		return "break"
	}
	return "p"
}
