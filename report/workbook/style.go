package workbook

import (
	"strings"

	"bulletin/report"

	"github.com/xuri/excelize/v2"
)

// role is what a cell is on its sheet; it decides font, fill and borders.
type role int

const (
	roleBody    role = iota // a table cell, with thin borders
	roleHeader              // a column title: bold, grey, centred
	roleCaption             // the caption in row 1
	roleFact                // a label or value on the "说明" sheet
	roleLink                // a sheet name on the "说明" sheet, linked
)

// style is everything that varies between cells; each distinct style
// becomes one excelize style, made once.
type style struct {
	role     role
	format   report.CellFormat
	decimals int // of a CellPercent: as many as the PDF prints
	bold     bool
	wrap     bool
	align    report.Align
}

// Number formats: built-in 49 is Text ("@"), which also keeps a value typed
// later into the cell from becoming a formula; built-in 1 is "0"; built-in
// 0 is General, which shows a decimal as the PDF prints it (6.67, 96.7,
// 100), no digit added or cut.
const (
	numFmtText    = 49
	numFmtInt     = 1
	numFmtGeneral = 0
)

// percentFmt shows a share with the decimals its cell asks for: 0.1233
// as 12.3%, 0.00981 against a target of 1% as 0.98%.
func percentFmt(decimals int) string {
	if decimals == 0 {
		return "0%" // "0.%" would show a point Excel prints: 12.%
	}
	return "0." + strings.Repeat("0", decimals) + "%"
}

var horizontal = map[report.Align]string{
	report.AlignLeft:   "left",
	report.AlignCenter: "center",
	report.AlignRight:  "right",
}

func (b *book) styleID(s style) (int, error) {
	if id, ok := b.styles[s]; ok {
		return id, nil
	}
	xs := &excelize.Style{
		Font:      &excelize.Font{Bold: s.bold},
		Alignment: &excelize.Alignment{Horizontal: horizontal[s.align], Vertical: "center", WrapText: s.wrap},
	}
	switch s.format {
	case report.CellText:
		xs.NumFmt = numFmtText
	case report.CellInt:
		xs.NumFmt = numFmtInt
	case report.CellDecimal:
		xs.NumFmt = numFmtGeneral
	case report.CellPercent:
		code := percentFmt(s.decimals)
		xs.CustomNumFmt = &code
	case report.CellDate:
		code := "yyyy-mm-dd"
		xs.CustomNumFmt = &code
	}
	thin := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	switch s.role {
	case roleBody:
		xs.Border = thin
	case roleHeader:
		xs.Border = thin
		xs.Font.Bold = true
		xs.Alignment.WrapText = true
		// A light grey that a black-and-white printer keeps.
		xs.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}}
	case roleCaption:
		xs.Font.Bold = true
		xs.Font.Size = 12
	case roleLink:
		xs.Font.Color = "0563C1"
		xs.Font.Underline = "single"
	}
	id, err := b.f.NewStyle(xs)
	if err != nil {
		return 0, err
	}
	b.styles[s] = id
	return id, nil
}
