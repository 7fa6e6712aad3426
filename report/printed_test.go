package report

import (
	"strings"
	"testing"
)

// A cell longer than the bound is cut in the printed document, with a note
// naming the sheet, while the document the workbook reads keeps it whole.
func TestPrintedCutsLongCellsOnly(t *testing.T) {
	long := strings.Repeat("执法人员未按规定着装", 60) // 600 characters
	doc := Document{Blocks: []Block{{Kind: TableBlock, Table: &Table{Sheet: "问题整改",
		Columns: []Column{{Title: "问题描述"}}, Rows: [][]Cell{{{Text: "短"}}, {{Text: long}}}}}}}
	printed := doc.Printed()
	if got := []rune(printed.Blocks[0].Table.Rows[1][0].Text); len(got) != MaxPrintedCellChars+2 || string(got[MaxPrintedCellChars:]) != "……" {
		t.Errorf("printed cell has %d characters, want %d and ……", len(got), MaxPrintedCellChars+2)
	}
	if printed.Blocks[0].Table.Rows[0][0].Text != "短" {
		t.Error("a short cell changed")
	}
	if len(printed.Blocks) != 2 || printed.Blocks[1].Kind != Note || !strings.Contains(printed.Blocks[1].Text, "“问题整改”工作表") {
		t.Errorf("no note naming the sheet: %+v", printed.Blocks[1:])
	}
	if doc.Blocks[0].Table.Rows[1][0].Text != long || len(doc.Blocks) != 1 {
		t.Error("the workbook's document was changed")
	}
}
