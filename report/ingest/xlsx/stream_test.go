package xlsx_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/ingest/xlsx/xlsxtest"
)

// The streaming reader must yield exactly what excelize's row iterator
// yields: xlsxtest.Differential holds it to that for one workbook. It runs
// on every workbook the tests of package ingest write, on the embedded
// sample data and on the fuzz corpus.

// wantSheet is the sheet Read asks for in a file of the repository's
// config: the dataset its name starts with.
func wantSheet(path string) string {
	base := filepath.Base(path)
	for _, name := range report.DatasetNames {
		if strings.HasPrefix(base, name) {
			return name
		}
	}
	return ""
}

// Every workbook of the embedded sample year reads the same both ways, and
// the streaming reader reads each of them itself.
func TestStreamingSampleData(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../../sample/data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xlsx" {
			return err
		}
		n++
		if !xlsxtest.Differential(t, path, wantSheet(path)) {
			t.Errorf("%s: not read by the streaming reader", path)
		}
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("%d workbooks, %v", n, err)
	}
}

// writeSheetXML writes a workbook whose sheet 诉件 is the given XML and
// whose shared-strings part, when sst is not empty, is sst.
func writeSheetXML(t testing.TB, path, sheet, sst string) {
	t.Helper()
	if err := os.WriteFile(path, xlsxtest.Workbook(sheet, sst), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestStreamingShapes(t *testing.T) {
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	const tail = `</sheetData></worksheet>`
	const sst = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>诉件编号</t></si><si><r><t>北</t></r><r><t xml:space="preserve">站 </t></r></si><si><t>a_x0041__x005F_x</t></si><si><r><rPr><b/><sz val="11"/></rPr><t>粗</t></r></si></sst>`
	cases := []struct {
		name, sheet, sst string
		streamed         bool
	}{
		{"inline strings", `<row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t></is></c><c r="C1" t="inlineStr"><is><t>受理日期</t></is></c></row><row r="3"><c r="A3" s="1"><v>45780</v></c></row>`, "", true},
		{"shared strings", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>9</v></c><c r="F1" t="s"><v> 1 </v></c><c t="s"><v>x</v></c></row>`, sst, true},
		{"no cell references", `<row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>1</v></c></row><row><c><v>2</v></c></row>`, "", true},
		{"cells out of order", `<row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c><c r="C2"><v>33</v></c></row>`, "", true},
		{"entities and space", "<row r=\"1\"><c t=\"inlineStr\"><is><t>A&amp;B &lt;&#20013;&#x6587;&gt; \n x</t></is></c><c t=\"str\"><v>&quot;q&apos;</v></c></row>", "", true},
		{"prefixed elements", `<x:row r="1" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A1" t="inlineStr"><x:is><x:t>v</x:t></x:is></x:c></x:row>`, "", true},
		{"formulas", `<row r="1"><c r="A1"><f>ROW()</f><v>1</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0"/></c><c r="C1"><f aca="maybe">1</f><v>1</v></c></row>`, "", false},
		{"booleans, errors, dates", `<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="d"><v>2025-05-03T00:00:00</v></c><c r="D1" t="n"><v>2.0250501E+7</v></c></row>`, "", true},
		{"rich inline string", `<row r="1"><c r="A1" t="inlineStr"><is><r><rPr><color rgb="FFFF0000"/></rPr><t>红</t></r><r><t>字</t></r><rPh sb="0" eb="1"><t>hong</t></rPh></is></c></row>`, "", true},
		{"comment between rows", `<row r="1"><c r="A1"><v>1</v></c></row><!-- note --><row r="2"><c r="A2"><v>2</v></c></row>`, "", false},
		{"bad entity", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2" t="str"><v>&nbsp;</v></c></row><row r="3"><c r="A3"><v>3</v></c></row>`, "", false},
		{"mismatched end tag", `<row r="1"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></rows>`, "", false},
		{"rows numbered backwards", `<row r="5"><c r="A5"><v>5</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>`, "", false},
		{"control character", "<row r=\"1\"><c r=\"A1\" t=\"str\"><v>a\x01b</v></c></row>", "", false},
		{"bad cell reference", `<row r="1"><c r="1A"><v>1</v></c></row>`, "", false},
		{"lower-case reference", `<row r="1"><c r="b1"><v>1</v></c></row>`, "", true},
	}
	root := t.TempDir()
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(root, fmt.Sprintf("诉件_%d.xlsx", i))
			writeSheetXML(t, path, head+tc.sheet+tail, tc.sst)
			if streamed := xlsxtest.Differential(t, path, "诉件"); streamed != tc.streamed {
				t.Errorf("read by the streaming reader to the end: %v, want %v", streamed, tc.streamed)
			}
		})
	}
}

// FuzzXLSX builds a workbook around arbitrary sheet and shared-strings XML
// and reads it both ways: the streaming reader yields exactly what excelize
// yields, handing it what it does not read itself.
func FuzzXLSX(f *testing.F) {
	const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1"/><sheetData>`
	const tail = `</sheetData><mergeCells count="1"><mergeCell ref="B2:B3"/></mergeCells></worksheet>`
	const sst = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>诉件编号</t></si><si><t xml:space="preserve"> 北站 </t></si><si><r><rPr><sz val="11"/></rPr><t>合</t></r><r><t>计</t></r></si><si><t>A&amp;B_x000D_</t></si></sst>`
	f.Add(head+`<row r="1" spans="1:3"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2" s="1"><v>45780.5</v></c><c r="B2" t="s"><v>2</v></c><c r="C2" t="s"><v>3</v></c></row>`+tail, sst)
	f.Add(head+`<row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t></is></c><c r="B1" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row><row r="3"><c r="A3" t="b"><v>1</v></c><c r="C3"><f>A3</f><v>1</v></c></row>`+tail, "")
	f.Add(head+`<row><c><v>1</v></c><c t="e"><v>#N/A</v></c></row><row/><row r="4"><c r="D4" t="str"><v>a&#10;b</v></c></row>`+tail, "")
	f.Add(head+`<row r="2"><c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>b</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c></row>`+tail, sst)
	f.Add(`<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>`, "")
	f.Add(head+`<row r="1"><c r="A1" t="s"><v>7</v></c><c r="B1" t="s"><v>x</v></c></row>`+tail, `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si><foo/></sst>`)
	dir := f.TempDir()
	n := 0
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		n++
		path := filepath.Join(dir, fmt.Sprintf("诉件_%d.xlsx", n))
		writeSheetXML(t, path, sheet, sst)
		defer os.Remove(path)
		xlsxtest.Differential(t, path, "诉件")
	})
}
