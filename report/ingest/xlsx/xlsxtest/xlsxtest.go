// Package xlsxtest helps the tests of the packages that read workbooks:
// a minimal workbook around given sheet XML, and the differential check
// that the streaming reader reads a workbook as excelize does.
package xlsxtest

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// Differential reads the sheet named like want of the workbook at path
// with both readers and fails t at the first difference: the refusal, the
// sheet, each row's number and cells, the merged ranges, the error that
// ended the rows. It reports whether the streaming reader read the sheet
// itself.
func Differential(t testing.TB, path, want string) (streamed bool) {
	t.Helper()
	ref := readAll(path, want, xlsx.Options{ExcelizeOnly: true})
	got := readAll(path, want, xlsx.Options{})
	if got.err == nil && ref.err != nil && strings.Contains(ref.err.Error(), "代理对") {
		// excelize would drop a character escaped as a surrogate pair,
		// so its path refuses the workbook; the streaming reader reads it.
		return got.streamed
	}
	if (ref.err == nil) != (got.err == nil) || ref.err != nil && ref.err.Error() != got.err.Error() {
		t.Fatalf("%s: excelize ended with %v, streaming with %v", path, ref.err, got.err)
	}
	if ref.err != nil {
		return false
	}
	if ref.name != got.name || ref.date1904 != got.date1904 {
		t.Fatalf("%s: sheet %q (1904: %v) by excelize, %q (1904: %v) streaming", path, ref.name, ref.date1904, got.name, got.date1904)
	}
	for i := range max(len(ref.rows), len(got.rows)) {
		var r1, r2 row
		if i < len(ref.rows) {
			r1 = ref.rows[i]
		}
		if i < len(got.rows) {
			r2 = got.rows[i]
		}
		if !reflect.DeepEqual(r1, r2) {
			t.Fatalf("%s: excelize gave row %d %q, streaming row %d %q", path, r1.num, r1.cells, r2.num, r2.cells)
		}
	}
	if !reflect.DeepEqual(ref.merges, got.merges) {
		t.Fatalf("%s: merges %v by excelize, %v streaming", path, ref.merges, got.merges)
	}
	return got.streamed
}

// DatasetSheet is the sheet package ingest asks for in a file named like
// an export of the repository's config: the dataset its name starts with.
func DatasetSheet(path string) string {
	base := filepath.Base(path)
	for _, name := range report.DatasetNames {
		if strings.HasPrefix(base, name) {
			return name
		}
	}
	return ""
}

type row struct {
	num   int
	cells []string
}

type sheetRead struct {
	name     string
	date1904 bool
	rows     []row
	merges   []xlsx.Range
	streamed bool
	err      error
}

// readAll reads every row as xlsx.Read gives them the last time it calls
// its function.
func readAll(path, want string, opt xlsx.Options) sheetRead {
	var out sheetRead
	data, err := os.ReadFile(path)
	if err != nil {
		out.err = err
		return out
	}
	out.err = xlsx.Read(bytes.NewReader(data), int64(len(data)), want, opt, func(s *xlsx.Sheet) error {
		out = sheetRead{name: s.Name(), date1904: s.Date1904(), streamed: s.Streamed()}
		for {
			num, cells, ok := s.Next()
			if !ok {
				break
			}
			out.rows = append(out.rows, row{num, append([]string(nil), cells...)})
		}
		out.merges = s.Merges()
		return s.Err()
	})
	return out
}

// Workbook is a minimal workbook as Excel lays it out, with the given
// sheet XML as its only sheet 诉件 and, when sst is not empty, that
// shared-strings part.
func Workbook(sheet, sst string) []byte {
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
