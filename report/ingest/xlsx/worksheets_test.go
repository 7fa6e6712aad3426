package xlsx

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

// A sheet is blank only when its part is certainly without a cell value:
// a value's element however it is written (a prefix, whitespace in the
// tag, an inline string) makes it not blank, and so does a part that is
// too large to look through or not UTF-8.
func TestBlankSheetsAreThoseWithoutValues(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews>`
	utf16Part := func(s string, bom bool) string {
		var b bytes.Buffer
		if bom {
			b.Write([]byte{0xff, 0xfe})
		}
		for _, u := range utf16.Encode([]rune(s)) {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
		return b.String()
	}
	for _, c := range []struct {
		name, part string
		blank      bool
	}{
		{"no rows", head + `<sheetData/><pageMargins left="0.7"/></worksheet>`, true},
		{"formatted cells, no values", head + `<sheetData><row r="1"><c r="A1" s="1"/></row></sheetData></worksheet>`, true},
		{"a value", head + `<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, false},
		{"a value under a prefix", `<x:worksheet xmlns:x="urn:x"><x:sheetData><x:row><x:c><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`, false},
		{"a newline in the value's tag", head + "<sheetData><row r=\"1\"><c r=\"A1\"><v\n>1</v\n></c></row></sheetData></worksheet>", false},
		{"a tab in an inline string's tag", head + "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is\t><t>诉件编号</t></is\t></c></row></sheetData></worksheet>", false},
		{"an empty value element", head + `<sheetData><row r="1"><c r="A1"><v/></c></row></sheetData></worksheet>`, false},
		{"UTF-16", utf16Part(head+`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, true), false},
		{"UTF-16 without a byte-order mark", utf16Part(head+`<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, false), false},
		{"too large to look through", head + `<sheetData/>` + strings.Repeat(" ", maxBlankPart) + `</worksheet>`, false},
	} {
		for _, method := range []uint16{zip.Store, zip.Deflate} {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/worksheets/sheet2.xml", Method: method})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte(c.part))
			zw.Close()
			zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if got := (Worksheet{Name: "Sheet2", part: zr.File[0]}).Blank(); got != c.blank {
				t.Errorf("%s (method %d): blank %v, want %v", c.name, method, got, c.blank)
			}
		}
	}
	if (Worksheet{Name: "Sheet2"}).Blank() {
		t.Error("a sheet without a part is blank: it cannot be told")
	}
}
