package report

import (
	"fmt"
	"slices"
)

// MaxPrintedCellChars bounds the text of a table cell in print and on
// screen: a 问题描述 typed at length (or a 50 MB cell) would otherwise run a
// row over many pages.
// The workbook, made from the same document, keeps every character. The
// longest cell the documents compose themselves, a squad's check dates of
// a half year, stays well under it.
const MaxPrintedCellChars = 500

// Printed returns doc as the PDF and the console's HTML edition show it:
// table cells longer than MaxPrintedCellChars cut, and under each table so
// cut a note saying where the full text is. doc itself is left as it is,
// for the workbook.
func (doc Document) Printed() Document {
	clip := func(blocks []Block) []Block {
		var out []Block
		for _, b := range blocks {
			if b.Kind != TableBlock || b.Table == nil {
				out = append(out, b)
				continue
			}
			t := *b.Table
			cut := 0
			t.Rows = slices.Clone(t.Rows)
			for i, row := range t.Rows {
				cloned := false
				for j, c := range row {
					if text := []rune(c.Text); len(text) > MaxPrintedCellChars {
						if !cloned {
							t.Rows[i], cloned = slices.Clone(row), true
						}
						t.Rows[i][j].Text = string(text[:MaxPrintedCellChars]) + "……"
						cut++
					}
				}
			}
			b.Table = &t
			out = append(out, b)
			if cut > 0 {
				out = append(out, Block{Kind: Note, Text: fmt.Sprintf(
					"注：表中%d处文字超过%d字，只印前%d字，全文见同期数据表的“%s”工作表。", cut, MaxPrintedCellChars, MaxPrintedCellChars, t.Sheet)})
			}
		}
		return out
	}
	doc.Blocks = clip(doc.Blocks)
	doc.Annexes = slices.Clone(doc.Annexes)
	for i := range doc.Annexes {
		doc.Annexes[i].Blocks = clip(doc.Annexes[i].Blocks)
	}
	return doc
}
