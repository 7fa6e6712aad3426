package sample

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/width"
)

// A small independent reader of the generated files, enough to check what
// they say (not the project's reader: that one lives elsewhere and is
// tested against its own files).

// exportFile finds the export of dataset ds in a month folder of fsys.
func exportFile(t *testing.T, fsys fs.FS, folder string, ds int) string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, folder)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), datasets[ds].name) {
			found = append(found, path.Join(folder, e.Name()))
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: want one %s export, found %v", folder, datasets[ds].name, found)
	}
	return found[0]
}

// readRows returns a file's rows as text: an .xlsx's data sheet with raw
// cell values, a CSV decoded from UTF-8 (BOM or not) or GBK.
func readRows(t *testing.T, fsys fs.FS, name string) [][]string {
	t.Helper()
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(name, ".xlsx") {
		f, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer f.Close()
		// Raw values: date cells come as serial numbers (which parseDate
		// reads) and rendering date formats is most of excelize's time.
		rows, err := f.GetRows(dataSheet(f, name), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows
	}
	text := decodeCSV(t, name, raw)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return rows
}

func dataSheet(f *excelize.File, name string) string {
	for _, sh := range f.GetSheetList() {
		if strings.HasPrefix(path.Base(name), sh) {
			return sh
		}
	}
	return f.GetSheetName(0)
}

func decodeCSV(t *testing.T, name string, raw []byte) string {
	t.Helper()
	if rest, ok := bytes.CutPrefix(raw, []byte("\ufeff")); ok {
		return string(rest)
	}
	if utf8.Valid(raw) {
		return string(raw)
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatalf("%s: neither UTF-8 nor GBK: %v", name, err)
	}
	return string(dec)
}

var requiredMark = regexp.MustCompile(`(\(必填\)|\*)$`)

// foldHeader applies the contract's header matching rules.
func foldHeader(s string) string {
	s = strings.TrimSpace(width.Narrow.String(s))
	return strings.TrimSpace(requiredMark.ReplaceAllString(s, ""))
}

// record maps a row's cells by the canonical column name.
type record map[string]string

// readRecords reads a dataset's export: the header is the first row that
// holds every required column; empty rows and the 合计 row are skipped.
func readRecords(t *testing.T, fsys fs.FS, name string, ds int) []record {
	t.Helper()
	rows := readRows(t, fsys, name)
	d := &datasets[ds]
	for h, row := range rows {
		cols := map[string]int{}
		for i, cell := range row {
			for _, c := range d.cols {
				for _, n := range c.names {
					if foldHeader(cell) == n {
						cols[c.names[0]] = i
					}
				}
			}
		}
		complete := true
		for _, c := range d.cols {
			if _, ok := cols[c.names[0]]; c.required && !ok {
				complete = false
			}
		}
		if !complete {
			continue
		}
		var recs []record
		for _, row := range rows[h+1:] {
			if len(row) == 0 || strings.Join(row, "") == "" || row[0] == "合计" {
				continue
			}
			rec := record{}
			for n, i := range cols {
				if i < len(row) {
					rec[n] = row[i]
				}
			}
			recs = append(recs, rec)
		}
		return recs
	}
	t.Fatalf("%s: no header row with every required column of %s", name, d.name)
	return nil
}

var (
	dateText = regexp.MustCompile(`^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?: \d{1,2}:\d{2}(?::\d{2})?)?$`)
	serial   = regexp.MustCompile(`^\d{5}(\.\d+)?$`)
)

// parseDate reads every date form of the contract; ok is false for
// anything else, including impossible dates.
func parseDate(s string) (day, bool) {
	if serial.MatchString(s) {
		f, _ := strconv.ParseFloat(s, 64)
		return day(int(f) - 25569), true
	}
	m := dateText.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	mo, d := m[2], m[3]
	if mo == "" {
		mo, d = m[4], m[5]
	}
	y, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(mo)
	di, _ := strconv.Atoi(d)
	if mi < 1 || mi > 12 || di < 1 || di > 31 {
		return 0, false
	}
	return dayOf(y, time.Month(mi), di), true
}

func parseBool(s string) bool {
	switch strings.ToLower(s) {
	case "是", "y", "1", "true", "√":
		return true
	}
	return false
}

// squadIndex maps any spelling the generator uses to the squad's position.
func squadIndex(squads []Squad) map[string]int {
	idx := map[string]int{}
	for i, s := range squads {
		for _, f := range s.Forms {
			idx[f] = i
		}
	}
	return idx
}
