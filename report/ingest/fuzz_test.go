package ingest

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// FuzzCSV feeds arbitrary bytes to the CSV decoding and the header search.
// Whatever the bytes, nothing panics, a refusal is a worded problem, rows
// come out as valid UTF-8 with increasing line numbers, and text that is
// valid UTF-8 is never refused for its encoding.
func FuzzCSV(f *testing.F) {
	cfg := loadConfig(f)
	sch := newSchema(report.DatasetComplaints, cfg.Datasets[report.DatasetComplaints].Columns)
	utf8Text := "静安区城管执法局诉件清单\n诉件编号,诉件类型,受理日期,所属中队\nC1,12345,2025/5/3,北站\n\"C2\",\"信访\",\"2025年5月4日\",\"彭浦新村\"\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(utf8Text)
	sjis, _ := japanese.ShiftJIS.NewEncoder().String("案件番号,種類\nＡ１,苦情です\n")
	for _, seed := range []string{utf8Text, "\ufeff" + utf8Text, gbk, sjis, "", "\xff\xfea\x00", "a,\"b\nc", "\"\"\"", "PK\x03\x04",
		"x\r\n\r\n,,,\n", strings.Repeat("诉", 30000) + "\xd6\xd0"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := openCSV(bytes.NewReader(data))
		if err != nil {
			var p *problem
			if !errors.As(err, &p) || p.msg == "" {
				t.Fatalf("refusal %v is not a worded problem", err)
			}
			if utf8.Valid(data) && len(data) > 0 && !bytes.ContainsRune(data, 0) && !xlsx.IsWorkbook(data) {
				t.Fatalf("valid UTF-8 refused: %v", err)
			}
			return
		}
		finder := headerFinder{s: sch}
		found := false // the reader stops looking once the header is found
		last := 0
		for {
			row, cells, ok := src.Next()
			if !ok {
				break
			}
			if row <= last {
				t.Fatalf("line %d after line %d", row, last)
			}
			last = row
			for _, c := range cells {
				if !utf8.ValidString(c) {
					t.Fatalf("line %d: invalid UTF-8 cell %q", row, c)
				}
			}
			if !isEmptyRow(cells) && !finder.exhausted() && !found {
				_, found = finder.offer(row, cells)
			}
		}
		if err := src.Err(); err != nil {
			if readFailure(err) == "" {
				t.Fatal("an unworded read error")
			}
		} else if lines := physicalLines(data); src.line != lines {
			// No silent partial read: without an error, every line was read.
			t.Fatalf("read %d lines of %d, no error", src.line, lines)
		}
		if finder.seen > 0 && !found && finder.failure() == "" {
			t.Fatal("an unexplained header failure")
		}
	})
}

// physicalLines counts the lines of a CSV file as ended by LF, CRLF or a
// lone CR (bytes that GB18030 never uses inside a character).
func physicalLines(data []byte) int {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	n := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
			}
			n++
		case '\n':
			n++
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' && data[len(data)-1] != '\r' {
		n++ // a last line without its end
	}
	return n
}

// FuzzHeader matches arbitrary header rows. Every column found sits at a
// cell whose text is one of that column's spellings; a row holding every
// canonical name, wherever and however decorated, is always a header.
func FuzzHeader(f *testing.F) {
	cfg := loadConfig(f)
	sch := newSchema(report.DatasetCases, cfg.Datasets[report.DatasetCases].Columns)
	f.Add("案件编号\t承办中队\t立案日期", "案号", "（必填）")
	f.Add("案号\t办案单位\t立案时间\t案号", "＊", " ")
	f.Add("\t\t", "", "")
	f.Add("案件编号*\t承办中队（必填）\t立　案　日　期", "状态", "*")
	f.Fuzz(func(t *testing.T, row, extra, decoration string) {
		cells := append(strings.Split(row, "\t"), extra)
		h := sch.match(1, cells)
		for i, p := range h.pos {
			if p < 0 {
				continue
			}
			if p >= len(cells) {
				t.Fatalf("column %s at cell %d of %d", sch.columns[i].Name, p, len(cells))
			}
			if got := sch.byHeader[report.Fold(cells[p])]; got != i {
				t.Fatalf("cell %q taken for %s", cells[p], sch.columns[i].Name)
			}
		}
		if report.Fold(decoration) != "" {
			return // the decoration is text of its own, not a marker
		}
		// Prepend the required canonical names, decorated: the header
		// must be found whatever else the row holds.
		var full []string
		for _, c := range sch.columns {
			if c.Required {
				full = append(full, c.Name+decoration)
			}
		}
		full = append(full, cells...)
		finder := headerFinder{s: sch}
		if _, ok := finder.offer(1, full); !ok {
			t.Fatalf("header %q not recognised: %s", full, finder.failure())
		}
	})
}

// FuzzDate: parsing any text either fails or yields a real date that reads
// back as itself from its ISO form.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2025-05-03", "2025年5月3日 08:00", "45780.5", "20250229", "2025-13-45", "下周", "2025-05-02T16:00:00Z", "60"} {
		f.Add(s)
	}
	p := dateParser{loc: time.UTC}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := p.parse(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("%q: error %v with date %v", s, err, d)
			}
			return
		}
		if d.IsZero() != (clean(s) == "") {
			t.Fatalf("%q gave %v", s, d)
		}
		if d.IsZero() {
			return
		}
		if _, ok := report.NewDate(d.Year(), d.Month(), d.Day()); !ok {
			t.Fatalf("%q gave the impossible %v", s, d)
		}
		if back, err := p.parse(d.String()); err != nil || back != d {
			t.Fatalf("%q gave %v, which reads back as %v, %v", s, d, back, err)
		}
	})
}
