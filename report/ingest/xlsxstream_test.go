package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bulletin/report"
)

// The streaming reader must yield exactly what excelize's row iterator
// yields. sameAsExcelize holds it to that for one workbook; it runs on
// every workbook the tests of this package write (writeXLSX registers it),
// on the embedded sample data and on the fuzz corpus.

// sameAsExcelize reads the sheet named like want through both readers and
// fails t at the first difference: the refusal, the sheet, each row's
// number and cells, the merged ranges, the error that ended the rows. It
// reports whether the streaming reader read the whole sheet itself.
func sameAsExcelize(t testing.TB, path, want string) (streamed bool) {
	t.Helper()
	ref, refDate, refErr := openXLSX(path, want, false)
	got, gotDate, gotErr := openXLSX(path, want, true)
	if refErr != nil || gotErr != nil {
		if refErr == nil || gotErr == nil || readFailure(refErr) != readFailure(gotErr) {
			t.Fatalf("%s: opening: excelize %v, streaming %v", path, refErr, gotErr)
		}
		return false
	}
	defer ref.close()
	defer got.close()
	if ref.sheet() != got.sheet() || refDate != gotDate {
		t.Fatalf("%s: sheet %q (1904: %v) by excelize, %q (1904: %v) streaming", path, ref.sheet(), refDate, got.sheet(), gotDate)
	}
	for {
		r1, c1, ok1 := ref.next()
		r2, c2, ok2 := got.next()
		if ok1 != ok2 || r1 != r2 || !reflect.DeepEqual(c1, c2) {
			t.Fatalf("%s: excelize gave row %d %q (%v), streaming row %d %q (%v)", path, r1, c1, ok1, r2, c2, ok2)
		}
		if !ok1 {
			break
		}
	}
	e1, e2 := ref.err(), got.err()
	if (e1 == nil) != (e2 == nil) || e1 != nil && readFailure(e1) != readFailure(e2) {
		t.Fatalf("%s: excelize ended with %v, streaming with %v", path, e1, e2)
	}
	if m1, m2 := ref.merges(), got.merges(); !reflect.DeepEqual(m1, m2) {
		t.Fatalf("%s: merges %v by excelize, %v streaming", path, m1, m2)
	}
	s, ok := got.(*streamSheet)
	return ok && s.excelize == nil
}

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
	err := filepath.WalkDir("../sample/data", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(path) != ".xlsx" {
			return err
		}
		n++
		if !sameAsExcelize(t, path, wantSheet(path)) {
			t.Errorf("%s: not read by the streaming reader", path)
		}
		return nil
	})
	if err != nil || n < 40 {
		t.Fatalf("%d workbooks, %v", n, err)
	}
}

// Read gives the same dataset and quality report with either reader over
// the whole sample year, merged ledger cells included.
func TestStreamingReadSameDataset(t *testing.T) {
	cfg := loadConfig(t)
	from, through := month(t, "2024-12"), month(t, "2025-12")
	ref, refQ, err1 := ReadWith(context.Background(), cfg, "../sample/data", from, through, Options{ExcelizeOnly: true})
	got, gotQ, err2 := Read(context.Background(), cfg, "../sample/data", from, through)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !reflect.DeepEqual(ref, got) {
		t.Error("the datasets differ")
	}
	if !reflect.DeepEqual(refQ, gotQ) {
		t.Errorf("the quality reports differ:\n%+v\n%+v", refQ, gotQ)
	}
	if len(got.Complaints) < 10000 || len(got.Cases) < 3000 {
		t.Errorf("%d complaints, %d cases: not the sample year", len(got.Complaints), len(got.Cases))
	}
}

// writeSheetXML writes a workbook whose sheet 诉件 is the given XML and
// whose shared-strings part, when sst is not empty, is sst.
func writeSheetXML(t testing.TB, path, sheet, sst string) {
	t.Helper()
	mkdir(t, path)
	if err := os.WriteFile(path, buildWorkbook(sheet, sst), 0o644); err != nil {
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
			if streamed := sameAsExcelize(t, path, "诉件"); streamed != tc.streamed {
				t.Errorf("read by the streaming reader to the end: %v, want %v", streamed, tc.streamed)
			}
		})
	}
}

// buildWorkbook is a minimal workbook as Excel lays it out, with the given
// sheet XML as its only sheet 诉件 and, when sst is not empty, that
// shared-strings part.
func buildWorkbook(sheet, sst string) []byte {
	const rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	sstType, sstRel := "", ""
	if sst != "" {
		sstType = `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		sstRel = `<Relationship Id="rId2" Type="` + rels + `/sharedStrings" Target="sharedStrings.xml"/>`
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` + sstType +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rels + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="` + rels + `">` +
			`<sheets><sheet name="诉件" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rels + `/worksheet" Target="worksheets/sheet1.xml"/>` + sstRel +
			`<Relationship Id="rId3" Type="` + rels + `/styles" Target="styles.xml"/></Relationships>`},
		{"xl/styles.xml", `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
			`<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>` +
			`<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
			`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>`},
		{"xl/worksheets/sheet1.xml", sheet},
	}
	if sst != "" {
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml", sst})
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return out.Bytes()
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
		sameAsExcelize(t, path, "诉件")
	})
}
