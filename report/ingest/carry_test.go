package ingest

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/parsecache"
	"bulletin/report/sample"
)

// carryData is the sample year with what a carried Read must get right
// besides: cases of earlier years, some sampled in 2025 and one given
// again by a 2025 folder, and in February a workbook that cannot be read.
func carryData(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	if err := sample.Extract(root); err != nil {
		t.Fatal(err)
	}
	writeXLSX(t, filepath.Join(root, "2023-05", "案件.xlsx"), "案件", [][]any{caseHeader,
		caseRow("OLD-SAMPLED", "曹家渡", "2023-05-02", "2023-05-20"), caseRow("OLD-UNSAMPLED", "北站", "2023-05-03", ""),
		caseRow("OLD-AGAIN", "北站", "2023-05-04", "")})
	writeXLSX(t, filepath.Join(root, "2025-04", "案件-补充.xlsx"), "案件", [][]any{caseHeader,
		caseRow("OLD-AGAIN", "北站", "2023-05-04", "2025-04-03")})
	writeXLSX(t, filepath.Join(root, "2025-06", "抽查明细-补充.xlsx"), "抽查明细", [][]any{
		{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"},
		{"S-OLD-1", "2025-06-05", "案卷", "OLD-SAMPLED", "", "审理科", "合格"},
		{"S-OLD-2", "2025-06-05", "案卷", "OLD-AGAIN", "", "审理科", "合格"}})
	writeFile(t, filepath.Join(root, "2025-02", "诉件-补充.xlsx"), []byte("not a workbook"))
	return root
}

// fromOf is the first month a report of m reads (as the command asks):
// January of its year, or the December before for January.
func fromOf(m report.Month) report.Month {
	if m.Month == 1 {
		return m.Prev()
	}
	return report.Month{Year: m.Year, Month: 1}
}

// A run of many months that carries its datasets from one Read to the
// next gets, for each month, what a Read of that month alone gets: the
// same records in the same order and the same quality report, whether the
// files come parsed or from the cache, the months in order or not.
func TestCarryGivesWhatReadingGives(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	var months []report.Month
	for m := month(t, "2025-01"); m.Compare(month(t, "2025-12")) <= 0; m = m.Add(1) {
		months = append(months, m)
	}
	months = append(months, month(t, "2025-06"), month(t, "2025-12")) // back, then forth: a half year after the months
	if _, q := readAt(t, cfg, root, month(t, "2025-12"), Options{}); len(q.Files) != 1 {
		t.Fatalf("%d unreadable files, want February's", len(q.Files))
	}
	checkCarried(t, cfg, root, months)
}

// readAt reads what a report of month m reads, with opt.
func readAt(t *testing.T, cfg *report.Config, root string, m report.Month, opt Options) (*report.Dataset, *report.Quality) {
	t.Helper()
	ds, q, err := ReadWith(context.Background(), cfg, root, fromOf(m), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return ds, q
}

// checkCarried reads months one after the other with a Carry, each
// month's files parsed, then again from one cache as the pipeline keeps
// it (opened and closed for each month), and checks that each month gets
// what reading it alone gets.
func checkCarried(t *testing.T, cfg *report.Config, root string, months []report.Month) {
	t.Helper()
	type result struct {
		ds *report.Dataset
		q  *report.Quality
	}
	alone := map[report.Month]result{}
	for _, m := range months {
		ds, q := readAt(t, cfg, root, m, Options{})
		alone[m] = result{ds, q}
	}
	for _, cached := range []bool{false, true} {
		carry := &Carry{}
		if cached { // and knowing its last month
			carry.Through = slices.MaxFunc(months, report.Month.Compare)
		}
		opt := Options{Carry: carry}
		cache := filepath.Join(t.TempDir(), CacheFile)
		for i, m := range months {
			if cached {
				opt.Cache = parsecache.Open(cache)
			}
			ds, q := readAt(t, cfg, root, m, opt)
			if cached {
				if err := opt.Cache.Close(); err != nil {
					t.Fatal(err)
				}
				// Every month after the first reads some files again: from the cache.
				if i > 0 && opt.Cache.Hits() == 0 {
					t.Errorf("%s (read %d of the run): nothing came from the cache", m, i+1)
				}
			}
			want := alone[m]
			if !reflect.DeepEqual(ds, want.ds) {
				t.Errorf("cached %v, %s (read %d of the run): the dataset differs from reading the month alone", cached, m, i+1)
			}
			if !reflect.DeepEqual(q, want.q) {
				t.Errorf("cached %v, %s (read %d of the run): the quality report differs from reading the month alone:\n%+v\nwant\n%+v", cached, m, i+1, q.Inputs, want.q.Inputs)
			}
		}
	}
}

// A run that names its last month has its datasets sized for it at the
// first Read: as the months come, the records are not copied to grow.
// (Not the complaints or samples: here they are read anew each month.)
func TestCarrySizedForTheRun(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	for _, through := range []report.Month{{}, month(t, "2025-12")} {
		carry := &Carry{Through: through}
		var first *report.Inspection
		moved := 0
		for m := month(t, "2025-01"); m.Compare(month(t, "2025-12")) <= 0; m = m.Add(1) {
			ds, _ := readAt(t, cfg, root, m, Options{Carry: carry})
			if first == nil {
				first = &ds.Inspections[0]
			} else if &ds.Inspections[0] != first {
				moved++
				first = &ds.Inspections[0]
			}
		}
		if (moved == 0) != !through.IsZero() {
			t.Errorf("through %v: the inspections were moved %d times", through, moved)
		}
	}
}

// A run reads a file once: a file changed after a month of the run read
// it is used as that month read it.
func TestCarryReadsEachFileOnce(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	december := month(t, "2025-12")
	want, wantQ := readAt(t, cfg, root, december, Options{})
	carry := &Carry{}
	for m := month(t, "2025-03"); m.Compare(december) <= 0; m = m.Add(1) {
		ds, q := readAt(t, cfg, root, m, Options{Carry: carry})
		if m.Month == 3 {
			for _, f := range []string{"2025-03/监督检查.xlsx", "2025-03/案件.xlsx"} {
				writeFile(t, filepath.Join(root, f), []byte("damaged after March read it"))
			}
		}
		if m == december && (!reflect.DeepEqual(ds, want) || !reflect.DeepEqual(q, wantQ)) {
			t.Errorf("December differs from a reading before March's files were damaged: %+v", q.Files)
		}
	}
	// The earlier years' cases are read again by each month, against its
	// samples: a damaged one is found.
	writeFile(t, filepath.Join(root, "2023-05", "案件.xlsx"), []byte("damaged after December read it"))
	ds, q := readAt(t, cfg, root, december, Options{Carry: carry})
	if len(q.Files) != 2 || reflect.DeepEqual(ds.Cases, want.Cases) {
		t.Errorf("unreadable files %+v: want February's and 2023-05's 案件", q.Files)
	}
}

// A dataset with a file that could not be read is not carried: the next
// month tries the file again, as a month read alone does (the failure may
// have been the disk's), and reads it once it can.
func TestCarryRetriesUnreadableFiles(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	carry := &Carry{}
	for _, m := range []string{"2025-03", "2025-04"} {
		if _, q := readAt(t, cfg, root, month(t, m), Options{Carry: carry}); len(q.Files) != 1 {
			t.Fatalf("%s: unreadable %+v; want February's 诉件-补充.xlsx", m, q.Files)
		}
	}
	writeXLSX(t, filepath.Join(root, "2025-02", "诉件-补充.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C-MENDED", "北站", "2025-02-03")})
	may := month(t, "2025-05")
	want, wantQ := readAt(t, cfg, root, may, Options{})
	ds, q := readAt(t, cfg, root, may, Options{Carry: carry})
	if len(q.Files) != 0 || !reflect.DeepEqual(ds, want) || !reflect.DeepEqual(q, wantQ) {
		t.Errorf("May after February's file was mended: unreadable %+v, want what May read alone gives", q.Files)
	}
}

// A Read that abandoned a file at its time limit hands nothing on: the
// abandoned read may still be writing into its dataset. The next Read
// reads everything again.
func TestCarryNotAfterAnAbandonedRead(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	november, december := month(t, "2025-11"), month(t, "2025-12")
	carry := &Carry{}
	_, q := readAt(t, cfg, root, november, Options{Carry: carry, FileTimeout: time.Nanosecond})
	if len(q.Inputs) != 0 || carry.kinds != nil {
		t.Fatalf("%d files read in a nanosecond each, %d datasets carried; want none", len(q.Inputs), len(carry.kinds))
	}
	want, wantQ := readAt(t, cfg, root, december, Options{})
	ds, q := readAt(t, cfg, root, december, Options{Carry: carry})
	if !reflect.DeepEqual(ds, want) || !reflect.DeepEqual(q, wantQ) {
		t.Error("December after an abandoned November differs from December read alone")
	}
}

// What a Read resumes from: a dataset whose files begin with those carried.
func TestCarryStartsWith(t *testing.T) {
	job := func(folder, name string) fileJob {
		m, _ := report.ParseMonth(folder)
		return fileJob{kind: 3, dataset: report.DatasetComplaints, folder: m, path: filepath.Join(folder, name), ext: ".xlsx"}
	}
	jan, feb, mar := job("2025-01", "诉件.xlsx"), job("2025-02", "诉件.xlsx"), job("2025-03", "诉件.xlsx")
	dec := job("2024-12", "诉件.xlsx")
	febMore := job("2025-02", "诉件-补充.xlsx")
	csv := feb
	csv.path, csv.ext = "2025-02/诉件.csv", ".csv"
	for _, c := range []struct {
		name          string
		jobs, carried []fileJob
		want          bool
	}{
		{"the next month", []fileJob{jan, feb, mar}, []fileJob{jan, feb}, true},
		{"the same month again", []fileJob{jan, feb}, []fileJob{jan, feb}, true},
		{"nothing carried", []fileJob{jan, feb}, nil, false},
		{"an earlier month", []fileJob{jan}, []fileJob{jan, feb}, false},
		{"February after January: the December before is no longer read", []fileJob{jan, feb}, []fileJob{dec, jan}, false},
		{"a file added to a carried folder", []fileJob{jan, feb, febMore, mar}, []fileJob{jan, feb, mar}, false},
		{"a file added to the last carried folder", []fileJob{jan, feb, febMore}, []fileJob{jan, feb}, true},
		{"a file of the same name in another form", []fileJob{jan, csv, mar}, []fileJob{jan, feb}, false},
	} {
		if got := startsWith(c.jobs, c.carried); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The settings and the folder are part of what is carried.
func TestCarryOnlyUnderTheSameSettings(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	december := month(t, "2025-12")
	carry := &Carry{}
	readAt(t, cfg, root, december.Prev(), Options{Carry: carry})
	other := loadConfig(t)
	other.Squads[0].Aliases = append(other.Squads[0].Aliases, "江宁")
	want, _ := readAt(t, other, root, december, Options{})
	ds, _ := readAt(t, other, root, december, Options{Carry: carry})
	if !reflect.DeepEqual(ds, want) {
		t.Error("records read under other settings were carried")
	}
	if carry.kinds == nil {
		t.Error("nothing carried after a Read under the new settings")
	}
	elsewhere := t.TempDir()
	if err := os.CopyFS(elsewhere, os.DirFS(root)); err != nil {
		t.Fatal(err)
	}
	if got := carry.take(carry.settings, elsewhere, nil); got != nil {
		t.Errorf("carried into a Read of another data folder: %v", got)
	}
}

// The edges of carrying, on a few exports: files without records, a month
// without a dataset's file and a month without its folder, duplicates in
// one folder and across folders (a file all of whose rows a later month
// supersedes, then the row that superseded them), an earlier year's case
// given again, months skipped, repeated and gone back to.
func TestCarryAtTheEdges(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	csv := func(path string, rows ...[]any) {
		var text [][]string
		for _, row := range rows {
			var cells []string
			for _, c := range row {
				cells = append(cells, fmt.Sprint(c))
			}
			text = append(text, cells)
		}
		writeCSV(t, filepath.Join(root, path), text, nil, false)
	}
	csv("2023-05/案件.csv", caseHeader, caseRow("OLD-1", "北站", "2023-05-02", ""), caseRow("OLD-2", "北站", "2023-05-03", ""))
	csv("2025-01/诉件.csv", complaintHeader, complaintRow("C1", "北站", "2025-01-03"), complaintRow("C2", "北站", "2025-01-04"),
		complaintRow("C3", "北站", "2025-01-05"))
	csv("2025-01/诉件-补充.csv", complaintHeader, complaintRow("C2", "江宁路", "2025-01-04"))
	csv("2025-02/诉件.csv", complaintHeader)
	csv("2025-02/案件.csv", caseHeader, caseRow("A1", "北站", "2025-02-02", ""), caseRow("OLD-2", "北站", "2023-05-03", "2025-02-20"))
	csv("2025-03/案件.csv", caseHeader)
	csv("2025-03/抽查明细.csv", []any{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"},
		[]any{"S1", "2025-03-05", "案卷", "OLD-1", "", "审理科", "合格"}, []any{"S2", "2025-03-06", "案卷", "OLD-2", "", "审理科", "合格"},
		[]any{"S3", "2025-03-07", "案卷", "A1", "", "审理科", "合格"})
	// no 2025-04 folder
	csv("2025-05/诉件.csv", complaintHeader, complaintRow("C1", "北站", "2025-01-03"), complaintRow("C3", "北站", "2025-05-05"))
	csv("2025-05/案件.csv", caseHeader, caseRow("A1", "江宁路", "2025-02-02", "2025-05-20"))
	writeXLSX(t, filepath.Join(root, "2025-06", "诉件.xlsx"), "诉件", [][]any{complaintHeader, complaintRow("C2", "北站", "2025-01-04")})

	var months []report.Month
	for _, m := range []string{"2025-01", "2025-02", "2025-03", "2025-06", "2025-03", "2025-05", "2025-06", "2025-06"} {
		months = append(months, month(t, m))
	}
	checkCarried(t, cfg, root, months)
}

// How far ahead a Read sizes each dataset for, by the run's last month.
func TestMonthsAfter(t *testing.T) {
	m := func(s string) report.Month { return month(t, s) }
	for _, tc := range []struct {
		through, last report.Month
		dataset       string
		want          int
	}{
		{m("2025-03"), report.Month{}, report.DatasetComplaints, 0}, // the run's last month not known
		{m("2025-03"), m("2025-03"), report.DatasetComplaints, 0},   // the last Read
		{m("2025-03"), m("2025-12"), report.DatasetComplaints, 9},   // to December
		{m("2025-03"), m("2025-06"), report.DatasetComplaints, 3},   // to the run's end
		{m("2025-03"), m("2027-06"), report.DatasetComplaints, 9},   // a new store each February
		{m("2025-01"), m("2025-12"), report.DatasetComplaints, 0},   // not gone on from in February
		{m("2025-01"), m("2025-12"), report.DatasetCases, 0},        // nor are January's cases
		{m("2025-03"), m("2027-06"), report.DatasetCases, 9},        //
		{m("2025-01"), m("2025-12"), report.DatasetInspections, 11}, // every folder: on to the end
		{m("2025-03"), m("2027-06"), report.DatasetInspections, 27}, // across the years
		{m("2025-03"), m("2027-06"), report.DatasetSamples, 27},     //
		{m("2025-12"), m("2026-03"), report.DatasetWeekly, 0},       // December's window ends with it
	} {
		k := &Carry{Through: tc.last}
		if got := k.monthsAfter(tc.through, tc.dataset); got != tc.want {
			t.Errorf("through %s, run to %s, %s: %d months ahead, want %d", tc.through, tc.last, tc.dataset, got, tc.want)
		}
	}
	if got := (*Carry)(nil).monthsAfter(m("2025-03"), report.DatasetInspections); got != 0 {
		t.Errorf("no carry: %d months ahead", got)
	}
}

// A Fingerprinter tells, without reading, the fingerprint a reading's
// dataset gets: for every month of the year and January's December
// before, parsed, from the cache or carried; a file changed changes the
// fingerprints of the readings that read it and no others; a reading of
// a file that cannot be read, or cancelled, has none.
func TestFingerprintWithoutReading(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	os.Remove(filepath.Join(root, "2025-02", "诉件-补充.xlsx")) // read below
	var months []report.Month
	for m := month(t, "2025-01"); m.Compare(month(t, "2025-12")) <= 0; m = m.Add(1) {
		months = append(months, m)
	}
	fp := NewFingerprinter(cfg, root)
	before := map[report.Month]string{}
	for _, m := range months {
		before[m] = fp.Of(context.Background(), fromOf(m), m)
		if before[m] == "" {
			t.Fatalf("%s: no fingerprint", m)
		}
	}
	if len(slices.Compact(slices.Sorted(maps.Values(before)))) != len(months) {
		t.Error("two months' readings have one fingerprint")
	}
	carry := &Carry{}
	cache := parsecache.Open(filepath.Join(t.TempDir(), CacheFile))
	defer cache.Close()
	for _, opt := range []Options{{}, {Cache: cache}, {Carry: carry}} {
		for _, m := range months {
			if ds, _ := readAt(t, cfg, root, m, opt); ds.Fingerprint != before[m] {
				t.Errorf("%s read with %+v: fingerprint %q, the Fingerprinter told %q", m, opt, ds.Fingerprint, before[m])
			}
		}
	}

	// May's complaints changed by a byte: May's reading and the later ones
	// change (they read May's folder), not April's.
	complaints := filepath.Join(root, "2025-05", "诉件.xlsx")
	data, err := os.ReadFile(complaints)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2]++
	writeFile(t, complaints, data)
	fp = NewFingerprinter(cfg, root)
	for _, m := range months {
		changed := fp.Of(context.Background(), fromOf(m), m) != before[m]
		if want := m.Compare(month(t, "2025-05")) >= 0; changed != want {
			t.Errorf("%s: fingerprint changed %v, want %v", m, changed, want)
		}
	}

	// Cancelled, nothing hashed: no fingerprint.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if got := NewFingerprinter(cfg, root).Of(cancelled, fromOf(month(t, "2025-04")), month(t, "2025-04")); got != "" {
		t.Errorf("cancelled, fingerprint %q", got)
	}

	// A workbook that cannot be read: no fingerprint, either way.
	writeFile(t, filepath.Join(root, "2025-03", "诉件-补充.xls"), []byte("old Excel"))
	fp = NewFingerprinter(cfg, root)
	if got := fp.Of(context.Background(), fromOf(month(t, "2025-04")), month(t, "2025-04")); got != "" {
		t.Errorf("with an unreadable file, fingerprint %q", got)
	}
	if ds, _ := readAt(t, cfg, root, month(t, "2025-04"), Options{}); ds.Fingerprint != "" {
		t.Errorf("read with an unreadable file, fingerprint %q", ds.Fingerprint)
	}
}

// A reading given the run's Fingerprinter takes the hashes it took of
// files unchanged since, and gives what a reading without it gives; a
// file changed since is hashed again. One changed in place and given back
// its time of change, which the Fingerprinter cannot tell, is read as it
// is now, and what it gave is not kept in the cache under its earlier
// content's hash: a later reading of that content does not get it.
func TestReadingTakesTheFingerprintersHashes(t *testing.T) {
	cfg := loadConfig(t)
	root := carryData(t)
	os.Remove(filepath.Join(root, "2025-02", "诉件-补充.xlsx"))
	late := filepath.Join(root, "2025-06", "抽查明细-补充.xlsx")
	sample := func(id string) [][]any {
		return [][]any{{"抽查编号", "抽查日期", "抽查类型", "案件编号", "承办中队", "抽查科室", "结论"},
			{id, "2025-06-05", "案卷", "OLD-SAMPLED", "", "审理科", "合格"}}
	}
	writeXLSX(t, late, "抽查明细", sample("S-LATE-1"))
	june := month(t, "2025-06")
	cache := filepath.Join(t.TempDir(), CacheFile)
	read := func(opt Options) *report.Dataset {
		t.Helper()
		opt.Cache = parsecache.Open(cache)
		defer opt.Cache.Close()
		ds, _ := readAt(t, cfg, root, june, opt)
		return ds
	}
	has := func(ds *report.Dataset, id string) bool {
		return slices.ContainsFunc(ds.Samples, func(s report.Sample) bool { return s.ID == id })
	}

	want, _ := readAt(t, cfg, root, june, Options{})
	hashed := NewFingerprinter(cfg, root)
	if fp := hashed.Of(context.Background(), fromOf(june), june); fp != want.Fingerprint {
		t.Fatalf("fingerprint %q, the reading's %q", fp, want.Fingerprint)
	}
	for range 2 { // parsed, then from the cache
		if got := read(Options{Hashed: hashed}); !reflect.DeepEqual(got, want) {
			t.Fatal("read with the Fingerprinter's hashes, the dataset differs")
		}
	}

	// Changed in place, the same size, its time of change given back.
	info, err := os.Stat(late)
	if err != nil {
		t.Fatal(err)
	}
	writeXLSX(t, late, "抽查明细", sample("S-LATE-2"))
	if now, _ := os.Stat(late); now.Size() != info.Size() || !os.SameFile(now, info) {
		t.Fatalf("the workbook rewritten is %d bytes (was %d), same file %v: the test needs it alike", now.Size(), info.Size(), os.SameFile(now, info))
	}
	if err := os.Chtimes(late, info.ModTime(), info.ModTime()); err != nil {
		t.Fatal(err)
	}
	os.Remove(cache) // the new content is parsed, not found
	if got := read(Options{Hashed: hashed}); !has(got, "S-LATE-2") || has(got, "S-LATE-1") {
		t.Fatal("the workbook changed in place was not read as it is now")
	}
	writeXLSX(t, late, "抽查明细", sample("S-LATE-1"))
	if got := read(Options{}); !has(got, "S-LATE-1") || has(got, "S-LATE-2") {
		t.Error("the workbook's first content read from the cache gives what its changed content gave")
	}

	// Changed, with a new time of change: hashed again.
	writeXLSX(t, late, "抽查明细", sample("S-LATE-3"))
	if got := read(Options{Hashed: hashed}); !has(got, "S-LATE-3") {
		t.Error("a workbook changed since the Fingerprinter hashed it was read as it was")
	}
}
