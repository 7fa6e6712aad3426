package ingest

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/ingest/xlsx/xlsxtest"
)

// The rows of a file are read to its end or the file is refused naming
// where: these tests count the rows they write and compare.

const wholeRows = 31 // data rows written below the header

// complaintSheetXML is sheet XML of a 诉件 export with a header and
// wholeRows data rows; hostile, when not empty, replaces the cell E of
// data row 16 (Excel row 17), and between, when not empty, is put between
// the rows 16 and 17.
func complaintSheetXML(hostileCell, between string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	row := func(r int, cells ...string) {
		fmt.Fprintf(&b, `<row r="%d">`, r)
		for i, c := range cells {
			ref := fmt.Sprintf("%c%d", 'A'+i, r)
			if r == 17 && i == 4 && hostileCell != "" {
				fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, hostileCell)
				continue
			}
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, c)
		}
		b.WriteString(`</row>`)
	}
	row(1, "诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域")
	for i := 1; i <= wholeRows; i++ {
		if i == 16 {
			b.WriteString(between)
		}
		row(i+1, fmt.Sprintf("C%d", i), "投诉", "2025-05-03", "北站", "夜间施工")
	}
	b.WriteString(`</sheetData></worksheet>`)
	return b.String()
}

func TestXLSXReadWholeOrRefused(t *testing.T) {
	cfg := loadConfig(t)
	cases := []struct {
		name, cell, between string
		want                []string // in the reason; nil: read whole
	}{
		{"well-formed", "", "", nil},
		{"entities and comments", "夜间&amp;施工&#x4E00;", "<!-- 注释 -->", nil},
		{"control character U+000B", "夜间\v施工", "", []string{"工作表「诉件」第17行E列", "控制字符 U+000B"}},
		{"undefined entity", "夜间&nbsp;施工", "", []string{"工作表「诉件」第17行E列", "未定义的实体 &nbsp;"}},
		{"entity declaration partway", "", `<!DOCTYPE x [<!ENTITY e "施工">]>`, []string{"工作表「诉件」第17行", "实体声明"}},
		{"entity declared and used partway", "夜间&e;", `<!ENTITY e "施工">`, []string{"工作表「诉件」第17行", "实体声明"}},
		{"mismatched end tag", "夜间</t></is></c></rows><row><c><is><t>x", "", []string{"工作表「诉件」第17行", "XML 格式错误"}},
	}
	for _, tc := range cases {
		for _, opt := range []Options{{}, {ExcelizeOnly: true}} {
			t.Run(fmt.Sprintf("%s/excelize=%v", tc.name, opt.ExcelizeOnly), func(t *testing.T) {
				root := t.TempDir()
				path := filepath.Join(root, "2025-05", "诉件.xlsx")
				writeFile(t, path, xlsxtest.Workbook(complaintSheetXML(tc.cell, tc.between), ""))
				m := month(t, "2025-05")
				ds, q, err := ReadWith(context.Background(), cfg, root, m, m, opt)
				if err != nil {
					t.Fatal(err)
				}
				if tc.want == nil {
					if len(q.Files) != 0 || len(ds.Complaints) != wholeRows || inputOf(t, q, path).Rows != wholeRows {
						t.Fatalf("file errors %+v, %d complaints: want all %d rows", q.Files, len(ds.Complaints), wholeRows)
					}
					return
				}
				if len(q.Files) != 1 || q.Files[0].File != path {
					t.Fatalf("file errors %+v, %d complaints read: want %s refused", q.Files, len(ds.Complaints), path)
				}
				for _, w := range tc.want {
					if !strings.Contains(q.Files[0].Reason, w) {
						t.Errorf("reason %q lacks %q", q.Files[0].Reason, w)
					}
				}
				if len(ds.Complaints) != 0 || !contains(ds.Missing, report.DatasetComplaints) {
					t.Errorf("%d complaints kept from a refused file, missing %v", len(ds.Complaints), ds.Missing)
				}
			})
		}
	}
}

// complaintCSV is a 诉件 export of wholeRows data rows under a title and a
// header, with lines ended by eol; field, when not empty, is the 问题领域
// of data row 16, written as is.
func complaintCSV(eol, field string) []byte {
	var b strings.Builder
	b.WriteString("静安区城管执法局诉件清单" + eol + "诉件编号,诉件类型,受理日期,所属中队,问题领域" + eol)
	for i := 1; i <= wholeRows; i++ {
		f := "夜间施工"
		if i == 16 && field != "" {
			f = field
		}
		fmt.Fprintf(&b, "C%d,投诉,2025-05-03,北站,%s%s", i, f, eol)
	}
	return []byte(b.String())
}

func TestCSVReadWholeOrRefused(t *testing.T) {
	cfg := loadConfig(t)
	cases := []struct {
		name, eol, field string
		wantField        string   // row 16's 问题领域 as read
		refused          []string // in the reason; nil: read whole
	}{
		{"LF", "\n", "", "夜间施工", nil},
		{"CRLF", "\r\n", "", "夜间施工", nil},
		{"CR only", "\r", "", "夜间施工", nil},
		{"bare quote inside a field", "\r\n", `群众反映"三乱"问题突出`, `群众反映"三乱"问题突出`, nil},
		{"typed quotes at a field's start", "\r\n", `"三乱"问题突出`, `"三乱"问题突出`, nil},
		{"quoted field", "\r\n", `"夜间施工，""三乱"""`, `夜间施工，"三乱"`, nil},
		{"quoted field over two lines", "\n", "\"夜间\r\n施工\"", "夜间\n施工", nil},
		{"quote never closed", "\r\n", `"三乱问题突出`, "", []string{"第18行", "引号不配对"}},
		{"quote over lines then typed", "\n", "\"三乱\n问题\"突出", "", []string{"第18行", "引号不配对"}},
		{"NUL byte past the encoding sniff", "\n", strings.Repeat("施", sniffSize/3) + "\x00", "", []string{"第18行", "二进制"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, "2025-05", "诉件.csv")
			writeFile(t, path, complaintCSV(tc.eol, tc.field))
			ds, q := read(t, cfg, root, "2025-05", "2025-05")
			if tc.refused != nil {
				if len(q.Files) != 1 || q.Files[0].File != path {
					t.Fatalf("file errors %+v, %d complaints read: want %s refused", q.Files, len(ds.Complaints), path)
				}
				for _, w := range tc.refused {
					if !strings.Contains(q.Files[0].Reason, w) {
						t.Errorf("reason %q lacks %q", q.Files[0].Reason, w)
					}
				}
				return
			}
			if len(q.Files) != 0 || len(q.Rejected) != 0 || len(ds.Complaints) != wholeRows || inputOf(t, q, path).Rows != wholeRows {
				t.Fatalf("file errors %+v, rejected %+v, %d complaints: want all %d rows", q.Files, q.Rejected, len(ds.Complaints), wholeRows)
			}
			c := ds.Complaints[15]
			if c.ID != "C16" || c.Field != tc.wantField || c.Origin.Row != 18 {
				t.Errorf("row 16 read as %s %q at line %d, want C16 %q at line 18", c.ID, c.Field, c.Origin.Row, tc.wantField)
			}
			if last := ds.Complaints[wholeRows-1]; last.ID != fmt.Sprintf("C%d", wholeRows) || last.Origin.Row != wholeRows+2+strings.Count(tc.field, "\n") {
				t.Errorf("last row %s at line %d", last.ID, last.Origin.Row)
			}
		})
	}
}
