package ingest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"bulletin/report"
)

// Every kind of unreadable file gives exactly one FileError naming the
// file and what is wrong, and the other datasets are still read.
func TestBadFiles(t *testing.T) {
	cfg := loadConfig(t)
	good := [][]any{complaintHeader, complaintRow("C1", "北站", "2025-05-02")}
	cases := []struct {
		name, file string
		write      func(t *testing.T, path string)
		want       []string // in the reason
	}{
		{"text renamed .xlsx", "诉件.xlsx", func(t *testing.T, path string) {
			writeFile(t, path, []byte("诉件编号,诉件类型\nC1,投诉\n"))
		}, []string{"不是 Excel (.xlsx) 文件"}},
		{"empty .xlsx", "诉件.xlsx", func(t *testing.T, path string) { writeFile(t, path, nil) }, []string{"文件是空的"}},
		{"empty .csv", "诉件.csv", func(t *testing.T, path string) { writeFile(t, path, nil) }, []string{"文件是空的"}},
		{"truncated .xlsx", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", good)
			data, _ := os.ReadFile(path)
			writeFile(t, path, data[:len(data)/2])
		}, []string{"文件不完整或已损坏"}},
		{"password-protected .xlsx", "诉件.xlsx", func(t *testing.T, path string) {
			f := excelize.NewFile()
			defer f.Close()
			_ = f.SetSheetRow("Sheet1", "A1", &good[0])
			mkdir(t, path)
			if err := f.SaveAs(path, excelize.Options{Password: "secret"}); err != nil {
				t.Fatal(err)
			}
		}, []string{"密码"}},
		{"old .xls", "诉件.xls", func(t *testing.T, path string) {
			writeFile(t, path, []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1})
		}, []string{".xls"}},
		{"workbook renamed .csv", "诉件.csv", func(t *testing.T, path string) {
			writeXLSX(t, path+".xlsx", "诉件", good)
			if err := os.Rename(path+".xlsx", path); err != nil {
				t.Fatal(err)
			}
		}, []string{"扩展名却是 .csv"}},
		{"Shift-JIS .csv", "诉件.csv", func(t *testing.T, path string) {
			writeCSV(t, path, [][]string{{"案件番号", "種類", "受付日"}, {"Ａ１", "苦情です", "2025/5/3"}}, japanese.ShiftJIS, false)
		}, []string{"编码无法识别"}},
		{"UTF-16 .csv", "诉件.csv", func(t *testing.T, path string) {
			writeCSV(t, path, [][]string{{"诉件编号", "诉件类型", "受理日期", "所属中队"}}, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), false)
		}, []string{"UTF-16"}},
		{"UTF-16 .csv without BOM", "诉件.csv", func(t *testing.T, path string) {
			writeCSV(t, path, [][]string{{"诉件编号", "诉件类型", "受理日期", "所属中队"}}, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), false)
		}, []string{"二进制"}},
		{"missing required column", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", [][]any{{"静安区城管执法局诉件清单"}, {"诉件编号", "来源", "处置单位", "问题领域"}, {"C1", "投诉", "北站", "夜间施工"}})
		}, []string{"缺少必填列「受理日期」", "第2行的表头是：诉件编号、来源、处置单位、问题领域"}},
		{"no header at all", "诉件.csv", func(t *testing.T, path string) {
			writeCSV(t, path, [][]string{{"甲", "乙"}, {"1", "2"}}, nil, false)
		}, []string{"找不到表头", "「诉件编号」「诉件类型」「受理日期」「所属中队」", "甲、乙"}},
		{"zip bomb", "诉件.xlsx", func(t *testing.T, path string) {
			writeZipBomb(t, path, 400<<20, false)
		}, []string{"压缩炸弹"}},
		{"zip bomb understating its size", "诉件.xlsx", func(t *testing.T, path string) {
			writeZipBomb(t, path, 400<<20, true)
		}, []string{"已损坏"}},
		{"sheet's compressed bytes damaged", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(2000))
			rewriteParts(t, path, "xl/worksheets/", func(h *zip.FileHeader, raw []byte) []byte {
				mid := raw[len(raw)/2:]
				for i := range min(64, len(mid)) {
					mid[i] = 0xff
				}
				return raw
			})
		}, []string{"已损坏"}},
		{"sheet's checksum wrong", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(2000))
			rewriteParts(t, path, "xl/worksheets/", func(h *zip.FileHeader, raw []byte) []byte {
				h.CRC32++
				return raw
			})
		}, []string{"已损坏"}},
		{"shared strings' checksum wrong", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(2000))
			rewriteParts(t, path, "xl/sharedStrings.xml", func(h *zip.FileHeader, raw []byte) []byte {
				h.CRC32++
				return raw
			})
		}, []string{"共享字符串表已损坏"}},
		{"workbook part's checksum wrong", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(20))
			rewriteParts(t, path, "xl/workbook.xml", func(h *zip.FileHeader, raw []byte) []byte {
				h.CRC32++
				return raw
			})
		}, []string{"文件中的 xl/workbook.xml 已损坏"}},
		{"workbook relationships' checksum wrong", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(20))
			rewriteParts(t, path, "xl/_rels/workbook.xml.rels", func(h *zip.FileHeader, raw []byte) []byte {
				h.CRC32++
				return raw
			})
		}, []string{"文件中的 xl/_rels/workbook.xml.rels 已损坏"}},
		{"two sheets named alike but for case", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "Data", manyComplaints(20), func(f *excelize.File, _ string) {
				if _, err := f.NewSheet("Other"); err != nil {
					t.Fatal(err)
				}
			})
			rewriteParts(t, path, "xl/workbook.xml", func(h *zip.FileHeader, raw []byte) []byte {
				x, err := io.ReadAll(flate.NewReader(bytes.NewReader(raw)))
				if err != nil {
					t.Fatal(err)
				}
				return deflated(h, bytes.Replace(x, []byte(`name="Other"`), []byte(`name="DATA"`), 1))
			})
		}, []string{"两个名字只差大小写的工作表（「Data」和「DATA」）"}},
		{"styles' checksum wrong", "诉件.xlsx", func(t *testing.T, path string) {
			writeXLSX(t, path, "诉件", manyComplaints(20))
			rewriteParts(t, path, "xl/styles.xml", func(h *zip.FileHeader, raw []byte) []byte {
				h.CRC32++
				return raw
			})
		}, []string{"文件中的 xl/styles.xml 已损坏"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeXLSX(t, filepath.Join(root, "2025-05", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("A1", "北站", "2025-05-01", "")})
			bad := filepath.Join(root, "2025-05", tc.file)
			tc.write(t, bad)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			ds, q := read(t, cfg, root, "2025-05", "2025-05")
			runtime.ReadMemStats(&after)
			if len(q.Files) != 1 {
				t.Fatalf("file errors %+v, want exactly one", q.Files)
			}
			fe := q.Files[0]
			if fe.File != bad || fe.Dataset != report.DatasetComplaints {
				t.Errorf("file error %+v does not name %s", fe, bad)
			}
			for _, w := range tc.want {
				if !strings.Contains(fe.Reason, w) {
					t.Errorf("reason %q lacks %q", fe.Reason, w)
				}
			}
			if len(ds.Cases) != 1 || len(ds.Complaints) != 0 {
				t.Errorf("cases %+v, complaints %+v", ds.Cases, ds.Complaints)
			}
			if !contains(ds.Missing, report.DatasetComplaints) || contains(ds.Missing, report.DatasetCases) {
				t.Errorf("missing datasets %v", ds.Missing)
			}
			if len(q.Inputs) != 1 {
				t.Errorf("inputs %+v: only the readable file", q.Inputs)
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("reading allocated %d MiB", grew>>20)
			}
		})
	}
}

// manyComplaints is a complaints sheet of n rows, its XML long enough
// that its compressed part has a middle to damage.
func manyComplaints(n int) [][]any {
	rows := [][]any{complaintHeader}
	for i := range n {
		rows = append(rows, complaintRow(fmt.Sprintf("C%d", i), "北站", "2025-05-02"))
	}
	return rows
}

// rewriteParts rewrites the workbook at path with the compressed bytes and
// headers of the parts named from prefix as edit leaves them, every other
// part as it was.
func rewriteParts(t *testing.T, path, prefix string, edit func(h *zip.FileHeader, raw []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	edited := false
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, prefix) {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		r, err := f.OpenRaw()
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		h := f.FileHeader
		raw = edit(&h, raw)
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(raw)
		edited = true
	}
	if err := zw.Close(); err != nil || !edited {
		t.Fatalf("close: %v; a part named %s… edited: %v", err, prefix, edited)
	}
	writeFile(t, path, out.Bytes())
}

// writeZipBomb writes a small workbook whose sheet XML inflates to about
// size bytes. The deflate stream is built from independently compressed,
// flushed segments, so the test never holds the inflated sheet either.
// understate makes the zip directory claim a small size instead.
func writeZipBomb(t *testing.T, path string, size int, understate bool) {
	t.Helper()
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>诉件编号</t></is></c></row>`)
	chunk := bytes.Repeat([]byte(" "), 1<<20) // whitespace between rows is valid XML
	tail := []byte(`</sheetData></worksheet>`)
	segment := func(data []byte, final bool) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		_, _ = w.Write(data)
		if final {
			_ = w.Close()
		} else {
			_ = w.Flush()
		}
		return b.Bytes()
	}
	var stream bytes.Buffer
	stream.Write(segment(head, false))
	crc := crc32.ChecksumIEEE(head)
	packed := segment(chunk, false)
	reps := size / len(chunk)
	for range reps {
		stream.Write(packed)
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	stream.Write(segment(tail, true))
	crc = crc32.Update(crc, crc32.IEEETable, tail)
	inflated := uint64(len(head) + reps*len(chunk) + len(tail))
	if understate {
		inflated = 64 << 10
	}

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
			`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="诉件" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
	}
	for _, p := range parts {
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write([]byte(p.body))
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(stream.Len()), UncompressedSize64: inflated})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = w.Write(stream.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if out.Len() > 2<<20 {
		t.Fatalf("the bomb is %d bytes: not small", out.Len())
	}
	writeFile(t, path, out.Bytes())
}

// The bomb really is one: inflated in full (here, not by the reader), its
// sheet is hundreds of MB.
func TestZipBombIsRealistic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.xlsx")
	writeZipBomb(t, path, 400<<20, false)
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	for _, f := range zr.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil || n < 400<<20-(1<<20) {
			t.Errorf("inflated %d bytes, err %v", n, err)
		}
	}
}
