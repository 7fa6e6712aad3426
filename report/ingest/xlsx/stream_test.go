package xlsx_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report/ingest/xlsx"
	"bulletin/report/ingest/xlsx/xlsxtest"
)

// The streaming reader must yield exactly what excelize's row iterator
// yields: xlsxtest.Differential holds it to that for one workbook. It runs
// on every workbook the tests of package ingest write, on the embedded
// sample data and on the fuzz corpus.

// Every workbook of the embedded sample year reads the same both ways, and
// the streaming reader reads each of them itself.
func TestStreamingSampleData(t *testing.T) {
	n := 0
	err := filepath.WalkDir("../../sample/data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xlsx" {
			return err
		}
		n++
		if !xlsxtest.Differential(t, path, xlsxtest.DatasetSheet(path)) {
			t.Errorf("%s: not read by the streaming reader", path)
		}
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("%d workbooks, %v", n, err)
	}
}

// manyRowShapes is n rows of the start tags a row may have (numbered,
// with more attributes, unnumbered, empty, after numbers skipped, white
// space before), long enough (1.6 MB) to cross the end of the reader's
// 256 KiB window several times: the next row's start tag is read at the
// end of each row.
func manyRowShapes(n int) string {
	var b strings.Builder
	num := 0
	for i := range n {
		num++
		cells := fmt.Sprintf(`<c r="A%d" t="inlineStr"><is><t>北站%d</t></is></c><c r="C%d"><v>%d</v></c>`, num, i, num, i)
		switch i % 6 {
		case 0:
			fmt.Fprintf(&b, `<row r="%d">%s</row>`, num, cells)
		case 1:
			fmt.Fprintf(&b, `<row r="%d" spans="1:3" ht="20" customHeight="1">%s</row>`, num, cells)
		case 2:
			fmt.Fprintf(&b, "\n  <row>%s</row>", strings.ReplaceAll(cells, fmt.Sprintf(`r="A%d" `, num), ""))
		case 3:
			fmt.Fprintf(&b, `<row r="%d"/>`, num)
		case 4:
			num += i % 5
			fmt.Fprintf(&b, `<row r="%d" >%s</row >`, num, strings.ReplaceAll(cells, fmt.Sprint(num-i%5), fmt.Sprint(num)))
		default:
			fmt.Fprintf(&b, `<row r="%d" spans="1:3"></row>`, num)
		}
	}
	return b.String()
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
		{"references of every shape", `<row r="1"><c r="A01"><v>1</v></c><c r="$C$1"><v>2</v></c><c r="AB1"><v>3</v></c><c r="XFD1"><v>4</v></c></row><row r="2"><c r="A2" t="s"><v>0</v></c><c r="AAA2"><v>5</v></c></row>`, "", true},
		{"numbers and indexes of every length", `<row r="1"><c r="A1" t="s"><v>000000001</v></c><c r="B1" t="s"><v>0000000002</v></c><c r="C1" t="s"><v>99999999999</v></c><c r="D1"><v>123456789</v></c><c r="E1"><v>1234567890</v></c><c r="F1"><v>45780.5</v></c><c r="G1" t="s"><v>3 </v></c></row>`, sst, true},
		{"a column past the last", `<row r="1"><c r="XFE1"><v>1</v></c></row>`, "", false},
		{"a row past the last", `<row r="1"><c r="A1048577"><v>1</v></c></row>`, "", false},
		{"row zero", `<row r="1"><c r="A0"><v>1</v></c></row>`, "", false},
		{"row numbers and cell types alike to the usual ones", `<row r="01"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r='2'><c r="A2" t="inlineStrX"><is><t>b</t></is></c><c r="B2" t="inlineStr" ><is><t>c</t></is></c></row><row r="3" ><c r="A3" t="inlineSt"><is><t>d</t></is></c></row><row r="000000004"><c r="A4" t="inlineStr"><is><t>e</t></is></c></row>`, "", true},
		{"shared strings naming the strict namespace in their text", `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>`,
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>http://purl.oclc.org/ooxml/spreadsheetml/main</t></si><si><t>北站</t></si></sst>`, false},
		{"shared strings whose end tag is not their start tag's", `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`,
			`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></x:sst>`, false},
		{"a row number of ten digits", `<row r="1"><c r="A1"><v>1</v></c></row><row r="0000000002"><c r="A2"><v>2</v></c></row>`, "", false},
		{"rows of every start tag, past several refills of the window", manyRowShapes(20000), "", true},
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

// readRows reads every row of the sheet 诉件 of the workbook in data the
// last time xlsx.Read calls its function.
func readRows(t *testing.T, data []byte, opt xlsx.Options) (rows [][]string, err error) {
	t.Helper()
	err = xlsx.Read(bytes.NewReader(data), int64(len(data)), "诉件", opt, func(s *xlsx.Sheet) error {
		rows = nil
		for {
			num, cells, ok := s.Next()
			if !ok {
				return s.Err()
			}
			for len(rows) < num-1 {
				rows = append(rows, nil)
			}
			rows = append(rows, append([]string(nil), cells...))
		}
	})
	return rows, err
}

const (
	sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"><sheetData>`
	threeRows = `<row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>C2</t></is></c></row>`
)

// excelize's iterator goes on past </sheetData> and takes the <xdr:row>
// of a form control's anchor for rows: both readers stop at the end of
// sheetData.
func TestFormControlRowsAfterSheetData(t *testing.T) {
	sheet := sheetHead + threeRows + `</sheetData><controls><control shapeId="1025" name="Check Box 1"><controlPr><anchor moveWithCells="1">` +
		`<from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>40</xdr:row><xdr:rowOff>0</xdr:rowOff></from>` +
		`<to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>42</xdr:row><xdr:rowOff>0</xdr:rowOff></to></anchor></controlPr></control></controls></worksheet>`
	path := filepath.Join(t.TempDir(), "诉件.xlsx")
	data := xlsxtest.Workbook(sheet, "")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// The premise: excelize alone invents rows.
	book, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	all, err := book.Rows("诉件")
	if err != nil {
		t.Fatal(err)
	}
	invented := 0
	for all.Next() {
		if _, err := all.Columns(); err != nil {
			t.Fatal(err)
		}
		invented++
	}
	if invented <= 3 {
		t.Fatalf("excelize's iterator gives %d rows: the test no longer shows what it is about", invented)
	}
	if !xlsxtest.Differential(t, path, "诉件") {
		t.Error("not read by the streaming reader")
	}
	for _, opt := range []xlsx.Options{{}, {ExcelizeOnly: true}} {
		if rows, err := readRows(t, data, opt); err != nil || len(rows) != 3 {
			t.Errorf("excelize only %v: %d rows %q, %v; want the 3 of sheetData", opt.ExcelizeOnly, len(rows), rows, err)
		}
	}
}

// Rows after sheetData that excelize's iterator reads refuse the file in
// the same words either way: cells in an element after sheetData or in a
// second sheetData, a row number it cannot read. Without them (a form
// control's anchor, above) the rows of sheetData are read.
func TestRowsAfterSheetDataRefuseTheFile(t *testing.T) {
	for name, c := range map[string]struct{ after, refusal string }{
		"cells in another element":     {`<foo><row r="5"><c r="A5"><v>5</v></c></row></foo>`, "sheetData）之外"},
		"cells in a second sheetData":  {`<sheetData><row r="5"><c r="A5" t="inlineStr"><is><t>C4</t></is></c></row></sheetData>`, "sheetData）之外"},
		"a row number past the last":   {`<foo><row r="1048577"/></foo>`, "无法读取"},
		"a row number that is not one": {`<foo><row r="x"/></foo>`, "无法读取"},
	} {
		t.Run(name, func(t *testing.T) {
			after := c.after
			data := xlsxtest.Workbook(sheetHead+threeRows+`</sheetData>`+after+`</worksheet>`, "")
			path := filepath.Join(t.TempDir(), "诉件.xlsx")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			xlsxtest.Differential(t, path, "诉件")
			for _, opt := range []xlsx.Options{{}, {ExcelizeOnly: true}} {
				if _, err := readRows(t, data, opt); err == nil || !strings.Contains(err.Error(), c.refusal) {
					t.Errorf("excelize only %v: %v, want the rows after sheetData refused (%s)", opt.ExcelizeOnly, err, c.refusal)
				}
			}
		})
	}
}

// excelize drops a character escaped as a surrogate pair from the string
// it makes of the item's text, joined from its runs with references and
// CDATA resolved and comments dropped; its path refuses such a workbook
// rather than drop it, however the escape is written. The streaming reader
// keeps the character (xlsxtest.Differential allows that one difference).
// An escape in a phonetic run is not in the string: nothing is refused.
func TestEscapedSurrogatesRefusedByExcelizesPathHoweverWritten(t *testing.T) {
	const sstHead = `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	const sharedCell = `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`
	for _, c := range []struct {
		name, sheet, sst string
		refused          bool
	}{
		{"shared, split across runs", sharedCell, sstHead + `<si><r><t>_xD80</t></r><r><t>1__xDC0</t></r><r><t>5_</t></r></si></sst>`, true},
		{"shared, written with references", sharedCell, sstHead + `<si><t>&#95;xD801_&#x5F;xDC05_</t></si></sst>`, true},
		{"shared, cut by CDATA", sharedCell, sstHead + `<si><t>_xD8<![CDATA[01_]]>_xDC<![CDATA[05_]]></t></si></sst>`, true},
		{"shared, cut by a comment", sharedCell, sstHead + `<si><t>_xD8<!---->01__xDC05_</t></si></sst>`, true},
		{"shared, in a phonetic run", sharedCell, sstHead + `<si><t>北站</t><rPh sb="0" eb="1"><t>_xD801__xDC05_</t></rPh></si></sst>`, false},
		{"inline, split across runs", `<row r="1"><c r="A1" t="inlineStr"><is><r><t>_xD80</t></r><r><t>1__xDC0</t></r><r><t>5_</t></r></is></c></row>`, "", true},
		{"inline, cut by CDATA", `<row r="1"><c r="A1" t="inlineStr"><is><t>_xD8<![CDATA[01_]]>_xDC<![CDATA[05_]]></t></is></c></row>`, "", true},
		{"inline, in a phonetic run", `<row r="1"><c r="A1" t="inlineStr"><is><t>北站</t><rPh sb="0" eb="1"><t>_xD801__xDC05_</t></rPh></is></c></row>`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := xlsxtest.Workbook(sheetHead+c.sheet+`</sheetData></worksheet>`, c.sst)
			path := filepath.Join(t.TempDir(), "诉件.xlsx")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			xlsxtest.Differential(t, path, "诉件")
			rows, err := readRows(t, data, xlsx.Options{ExcelizeOnly: true})
			if refused := err != nil && strings.Contains(err.Error(), "代理对"); refused != c.refused {
				t.Errorf("excelize's path: rows %q, %v; want refused: %v", rows, err, c.refused)
			}
		})
	}
}

// A shared-strings table at a name other than xl/sharedStrings.xml, found
// through the workbook's relationships, is read by both readers.
func TestSharedStringsAtAnotherName(t *testing.T) {
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>诉件编号</t></si><si><t>C1</t></si></sst>`
	sheet := sheetHead + `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`
	data := renameEntry(t, xlsxtest.Workbook(sheet, sst), "xl/sharedStrings.xml", "xl/strings/shared1.xml")
	path := filepath.Join(t.TempDir(), "诉件.xlsx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if !xlsxtest.Differential(t, path, "诉件") {
		t.Error("not read by the streaming reader")
	}
	for _, opt := range []xlsx.Options{{}, {ExcelizeOnly: true}} {
		rows, err := readRows(t, data, opt)
		if err != nil || len(rows) != 2 || len(rows[0]) != 1 || rows[0][0] != "诉件编号" || rows[1][0] != "C1" {
			t.Errorf("excelize only %v: rows %q, %v", opt.ExcelizeOnly, rows, err)
		}
	}
}

// renameEntry renames a part of a package and the relationship target
// that names it.
func renameEntry(t *testing.T, pkg []byte, from, to string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name
		if name == from {
			name = to
		}
		body = bytes.ReplaceAll(body, []byte(`Target="`+strings.TrimPrefix(from, "xl/")+`"`), []byte(`Target="`+strings.TrimPrefix(to, "xl/")+`"`))
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A character beyond the BMP escaped as a surrogate pair (𠮷, U+20BB7, as
// _xD842__xDFB7_) is read by the streaming reader; excelize would drop
// it, so a workbook that needs excelize and holds one is refused.
func TestSurrogatePairEscapes(t *testing.T) {
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>诉件编号</t></si><si><t>_xD842__xDFB7_野家</t></si></sst>`
	shared := sheetHead + `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`
	inline := sheetHead + `<row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>_xD842__xDFB7_野家</t></is></c></row></sheetData></worksheet>`
	for name, data := range map[string][]byte{"shared": xlsxtest.Workbook(shared, sst), "inline": xlsxtest.Workbook(inline, "")} {
		rows, err := readRows(t, data, xlsx.Options{})
		if err != nil || len(rows) != 2 || rows[1][0] != "𠮷野家" {
			t.Errorf("%s, streaming: rows %q, %v", name, rows, err)
		}
		if _, err := readRows(t, data, xlsx.Options{ExcelizeOnly: true}); err == nil || !strings.Contains(err.Error(), "代理对") {
			t.Errorf("%s, excelize only: %v, want a refusal", name, err)
		}
	}
}

// The count a shared-strings table gives of its strings (uniqueCount) only
// sizes the reader's memory: right, too small, too large or absurd, the
// strings read are the same, and the same as excelize's; a count that is
// not a number, however it is written (quoted, spaced, prefixed), is
// refused, as excelize refuses it.
func TestSharedStringsWhateverTheirCountSays(t *testing.T) {
	var sis, cells strings.Builder
	const n = 300
	for i := range n {
		switch i % 3 {
		case 0:
			fmt.Fprintf(&sis, `<si><t>诉件%d</t></si>`, i)
		case 1:
			fmt.Fprintf(&sis, `<si><t xml:space="preserve"> 北站 %d </t></si>`, i)
		default:
			fmt.Fprintf(&sis, `<si><t>a&amp;b_x0041_%d</t></si>`, i)
		}
		fmt.Fprintf(&cells, `<row r="%d"><c r="A%d" t="s"><v>%d</v></c></row>`, i+1, i+1, i)
	}
	sheet := sheetHead + cells.String() + `</sheetData></worksheet>`
	var want [][]string
	refused := map[string]bool{` uniqueCount="3x"`: true, ` uniqueCount=" "`: true, ` count="&#9;"`: true,
		` uniqueCount='x'`: true, ` uniqueCount = "x"`: true, ` xmlns:r="urn:r" r:count="x"`: true,
		"\n\tcount=\"x\"": true}
	for _, count := range []string{` count="300" uniqueCount="300"`, ` uniqueCount="300"`, ` uniqueCount="1"`,
		` uniqueCount="1000000"`, ` uniqueCount="99999999999"`, ` uniqueCount=" 300 "`, ` uniqueCount=""`, ``,
		` uniqueCount="3x"`, ` uniqueCount=" "`, ` count="&#9;"`, ` uniqueCount='x'`, ` uniqueCount = "x"`,
		` xmlns:r="urn:r" r:count="x"`, "\n\tcount=\"x\"", ` r:uniqueCount="300" xmlns:r="urn:r"`} {
		sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"` + count + `>` + sis.String() + `</sst>`
		path := filepath.Join(t.TempDir(), "诉件.xlsx")
		writeSheetXML(t, path, sheet, sst)
		garbled := refused[count]
		if streamed := xlsxtest.Differential(t, path, "诉件"); streamed == garbled {
			t.Errorf("count %q: read by the streaming reader: %v", count, streamed)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := readRows(t, data, xlsx.Options{})
		if garbled {
			if err == nil {
				t.Errorf("count %q: read", count)
			}
			continue
		}
		if err != nil || len(rows) != n {
			t.Fatalf("count %q: %d rows, %v", count, len(rows), err)
		}
		if want == nil {
			want = rows
		} else if !reflect.DeepEqual(rows, want) {
			t.Errorf("count %q: the strings differ", count)
		}
	}
}
