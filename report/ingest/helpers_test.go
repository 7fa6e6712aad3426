package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/ingest/xlsx/xlsxtest"
)

// The tests read real files written here with excelize and os.WriteFile,
// through the repository's own config.toml.

func loadConfig(t testing.TB) *report.Config {
	t.Helper()
	cfg, err := config.Load("../../config.toml", nil)
	if err != nil {
		t.Fatalf("config.toml: %v", err)
	}
	return cfg
}

func month(t testing.TB, s string) report.Month {
	t.Helper()
	m, err := report.ParseMonth(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func date(y, m, d int) report.Date {
	return report.MustDate(y, time.Month(m), d)
}

// writeXLSX writes rows into the named sheet of a new workbook at path
// (folders created). A nil cell stays empty; time.Time values become real
// date cells with a date number format.
func writeXLSX(t testing.TB, path, sheet string, rows [][]any, edit ...func(f *excelize.File, sheet string)) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range edit {
		e(f, sheet)
	}
	mkdir(t, path)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	// Whatever a test does with the workbook, both readers read it alike.
	t.Cleanup(func() { xlsxtest.Differential(t, path, xlsxtest.DatasetSheet(path)) })
}

// writeCSV writes rows as CSV text in the given encoding (nil = UTF-8),
// optionally after a UTF-8 byte-order mark.
func writeCSV(t testing.TB, path string, rows [][]string, enc encoding.Encoding, bom bool) {
	t.Helper()
	var b strings.Builder
	if bom {
		b.WriteString("\ufeff")
	}
	for _, row := range rows {
		for i, c := range row {
			if i > 0 {
				b.WriteByte(',')
			}
			if strings.ContainsAny(c, ",\"\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			b.WriteString(c)
		}
		b.WriteString("\r\n")
	}
	data := []byte(b.String())
	if enc != nil {
		var err error
		if data, err = enc.NewEncoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	writeFile(t, path, data)
}

func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	mkdir(t, path)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mkdir(t testing.TB, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
}

func read(t testing.TB, cfg *report.Config, root, from, through string) (*report.Dataset, *report.Quality) {
	t.Helper()
	ds, q, err := Read(context.Background(), cfg, root, month(t, from), month(t, through))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return ds, q
}

func inputOf(t testing.TB, q *report.Quality, file string) report.Input {
	t.Helper()
	for _, in := range q.Inputs {
		if in.File == file {
			return in
		}
	}
	t.Fatalf("no input %s among %+v (file errors %+v)", file, q.Inputs, q.Files)
	return report.Input{}
}

// warningsOf are the examples of the warnings of kind about file.
func warningsOf(q *report.Quality, kind, file string) []string {
	var got []string
	for _, w := range q.Warnings {
		if w.Kind == kind && w.File == file {
			got = append(got, w.Example)
		}
	}
	return got
}

func warningCount(q *report.Quality, kind string) int {
	n := 0
	for _, w := range q.Warnings {
		if w.Kind == kind {
			n += w.Count
		}
	}
	return n
}

// Canonical headers and one valid row of every export, used where a test
// needs a well-formed file around the thing it checks.
var caseHeader = []any{"案件编号", "承办中队", "案由", "立案日期", "结案日期", "案件状态", "是否重大法核", "异常类型"}

func caseRow(id, squad, filed, closed string) []any {
	return []any{id, squad, "违法建筑", filed, closed, "结案", "否", ""}
}

var complaintHeader = []any{"诉件编号", "诉件类型", "受理日期", "所属中队", "问题领域", "是否重复", "是否抽查", "抽查日期", "抽查结论"}

func complaintRow(id, squad, received string) []any {
	return []any{id, "投诉", received, squad, "夜间施工", "否", "否", "", ""}
}
