package parsecache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"
	"unsafe"

	"bulletin/report"
)

func sampleEntry(file string) *Entry {
	o := (&report.Source{File: file, Sheet: "诉件", Folder: report.Month{Year: 2025, Month: time.May}}).At(7)
	d := report.MustDate(2025, time.May, 3)
	return &Entry{
		Sheet: "诉件", Input: report.Input{Dataset: "诉件", File: file, SHA256: "ab12", Rows: 9, Accepted: 7, Rejected: 2, Superseded: 1},
		SquadHeader: "办案单位", SquadName: "承办中队",
		Rejected: []report.Rejection{{Dataset: "诉件", File: file, Sheet: "诉件", Row: 3, Column: "受理日期", Value: "昨天", Reason: "日期无法识别"}},
		Warnings: []report.Warning{{Kind: report.WarnSummaryRow, File: file, Count: 1, Example: "第12行"}},
		Cases: [][]report.Case{{{ID: "A-1", Squad: "北站中队", Cause: "违法建筑", Filed: d, Status: "结案", MajorReview: true,
			Abnormal: []string{"超期立案", "裁量失当"}, Origin: o}}},
		Samples: [][]report.Sample{{{ID: "S-1", Date: d, Kind: report.CaseFile, CaseID: "A-1", Squad: "北站中队", Department: "案件审理科",
			Verdict: report.Pass, Problems: []string{"文书不规范"}, Origin: o}}},
		Inspections: [][]report.Inspection{{{ID: "I-1", Date: d, Item: "公示制度", Department: "执法监督科", Squad: "北站中队", Method: "现场检查",
			Problems: 2, Description: "公示栏缺少信息", Deadline: d, Rectification: report.Rectified, RectifiedOn: d, Origin: o}}},
		Complaints: [][]report.Complaint{{{ID: "C-1", Type: "投诉", Received: d, Squad: "北站中队", Field: "夜间施工", Repeated: true,
			Sampled: true, SampledOn: d, Finding: report.DutyDone, Origin: o}, {ID: "C-2", Type: "信访", Received: d, Squad: "北站中队", Origin: o}}},
		Weekly: [][]report.WeeklyRecord{{{Squad: "北站中队", Date: d, Content: "巡查", Problems: 0, Origin: o}}},
		Ledger: [][]report.LedgerEntry{{{Matter: "案卷质量讲评会", Responsible: "案件审理科", Done: d, Period: "2025-05", Origin: o}}},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	want := sampleEntry("/data/2025-05/诉件.xlsx")
	got, err := decode(slices.Concat(encode(want)), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
	payload := slices.Concat(encode(want))
	for cut := range len(payload) {
		if _, err := decode(payload[:cut], nil); err == nil {
			t.Fatalf("a payload cut at %d of %d bytes decoded", cut, len(payload))
		}
	}
}

// An encoder used again (Store.Put keeps them) encodes each entry as a new
// one would: nothing of the entries before it leaks into its tables.
func TestEncoderUsedAgainEncodesAsNew(t *testing.T) {
	first, second := sampleEntry("/data/2025-05/诉件.xlsx"), sampleEntry("/data/2025-06/案件.xlsx")
	second.Sheet, second.Rejected = "第二张", nil
	e := newEncoder()
	for _, en := range []*Entry{first, second, first, {}, second} {
		tables, fields := e.encode(en)
		got := slices.Concat(tables, fields)
		e.reset() // as Store.release does once the entry is written
		if want := slices.Concat(encode(en)); !bytes.Equal(got, want) {
			t.Fatalf("entry of %q encoded again: %d bytes, new encoder: %d", en.Input.File, len(got), len(want))
		}
		if back, err := decode(got, nil); err != nil || !reflect.DeepEqual(back, decodeNew(t, en)) {
			t.Fatalf("entry of %q: decoded %v", en.Input.File, err)
		}
	}
}

func decodeNew(t *testing.T, en *Entry) *Entry {
	t.Helper()
	got, err := decode(slices.Concat(encode(en)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Records decode into the chunks a reader supplies, as many as they fill.
func TestDecodeIntoChunks(t *testing.T) {
	want := sampleEntry("/data/2025-05/诉件.xlsx")
	var complaints int
	got, err := decode(slices.Concat(encode(want)), &Decoding{Complaints: func() []report.Complaint {
		complaints++
		return make([]report.Complaint, 0, 1)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if complaints != 2 || len(got.Complaints) != 2 || !reflect.DeepEqual(slices.Concat(got.Complaints...), slices.Concat(want.Complaints...)) {
		t.Errorf("%d chunks asked for, decoded %+v", complaints, got.Complaints)
	}
	if got.Cases[0][0].Origin.Source() != got.Complaints[1][0].Origin.Source() {
		t.Error("the records of one file do not share its source")
	}
}

// The cases keep refuses are skipped by their length, a long one too, and
// what follows them decodes as it was.
func TestDecodeSkipsTheCasesNotKept(t *testing.T) {
	want := sampleEntry("/data/2025-05/诉件.xlsx")
	long := want.Cases[0][0]
	long.ID = "A-LONG"
	for i := range 200 { // a record of more than 127 bytes, whose length takes two
		long.Abnormal = append(long.Abnormal, fmt.Sprint("异常", i))
	}
	want.Cases[0] = append(want.Cases[0], long, report.Case{ID: "A-2", Squad: "北站中队", Origin: long.Origin})
	var asked []string
	got, err := decode(slices.Concat(encode(want)), &Decoding{KeepCases: keepEach(func(id []byte) bool {
		asked = append(asked, string(id))
		return string(id) == "A-2"
	})})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(asked, []string{"A-1", "A-LONG", "A-2"}) {
		t.Errorf("asked about %v", asked)
	}
	if len(got.Cases) != 1 || !reflect.DeepEqual(got.Cases[0], want.Cases[0][2:]) {
		t.Errorf("kept %+v", got.Cases)
	}
	if !reflect.DeepEqual(got.Samples, want.Samples) || !reflect.DeepEqual(got.Complaints, want.Complaints) || !reflect.DeepEqual(got.Ledger, want.Ledger) {
		t.Error("the records after the skipped ones differ")
	}
	if all, err := decode(slices.Concat(encode(want)), nil); err != nil || !reflect.DeepEqual(all, want) {
		t.Errorf("decoded whole: %v", err)
	}
}

// keepEach is a Decoding.KeepCases that asks keep about each case in turn.
func keepEach(keep func(id []byte) bool) func(ids [][]byte, kept []bool) {
	return func(ids [][]byte, kept []bool) {
		for i, id := range ids {
			kept[i] = keep(id)
		}
	}
}

// KeepCases is asked about every case once, in order, at most KeepBatch at
// a time, and each case is kept or skipped as its own answer says, in
// batches that end part-way through the cases and where they end.
func TestKeepCasesAnswersInBatches(t *testing.T) {
	want := sampleEntry("/data/2024-05/案件.xlsx")
	template := want.Cases[0][0]
	const n = 2*KeepBatch + 5
	var cases []report.Case
	for i := range n {
		c := template
		c.ID = fmt.Sprintf("A-%d", i)
		cases = append(cases, c)
	}
	want.Cases = [][]report.Case{cases}
	var asked []string
	var batches []int
	got, err := decode(slices.Concat(encode(want)), &Decoding{KeepCases: func(ids [][]byte, keep []bool) {
		if len(keep) != len(ids) {
			t.Fatalf("%d answers for %d ids", len(keep), len(ids))
		}
		batches = append(batches, len(ids))
		for i, id := range ids {
			asked = append(asked, string(id))
			keep[i] = (len(asked)-1)%3 == 0 || len(asked) == KeepBatch // and the last of the first batch
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(batches, []int{KeepBatch, KeepBatch, 5}) {
		t.Errorf("batches of %v", batches)
	}
	var wantAsked []string
	var wantKept []report.Case
	for i, c := range cases {
		wantAsked = append(wantAsked, c.ID)
		if i%3 == 0 || i == KeepBatch-1 {
			wantKept = append(wantKept, c)
		}
	}
	if !slices.Equal(asked, wantAsked) {
		t.Errorf("asked about %v", asked)
	}
	if len(got.Cases) != 1 || !reflect.DeepEqual(got.Cases[0], wantKept) {
		t.Errorf("kept %+v", got.Cases)
	}
	if !reflect.DeepEqual(got.Samples, want.Samples) || !reflect.DeepEqual(got.Complaints, want.Complaints) {
		t.Error("the records after the cases differ")
	}
}

// No string of a decoded entry, filtered or whole, is the payload's
// memory: the store reads the next entry into it (Store.Get). And each
// string of a filtered entry (its input, sheet, the sources of its
// records, the few cases kept of an earlier year) has memory of its own,
// not a share of a block of the whole entry's strings, which those few
// would keep alive. The entry's records here hold the same texts, which
// the entry stores once, and which a whole entry's records share.
func TestDecodedEntryKeepsNoneOfThePayload(t *testing.T) {
	file := "/data/2024-05/案件.xlsx"
	en := sampleEntry(file)
	c := &en.Cases[0][0]
	c.Squad, c.Cause, c.Status = en.Sheet, file, en.Input.SHA256
	en.Samples[0][0].Verdict = en.Rejected[0].Value
	payload := slices.Concat(encode(en))
	for _, filtered := range []bool{true, false} {
		into := &Decoding{KeepCases: keepEach(func([]byte) bool { return true })}
		if !filtered {
			into = nil
		}
		got, err := decode(payload, into)
		if err != nil || len(got.Cases) == 0 {
			t.Fatalf("%v, %d cases", err, len(got.Cases))
		}
		c, sample := got.Cases[0][0], got.Samples[0][0]
		for name, pair := range map[string][2]string{"input's file": {got.Input.File, c.Cause}, "input's hash": {got.Input.SHA256, c.Status},
			"sheet": {got.Sheet, c.Squad}, "source's file": {c.Origin.File(), c.Cause}, "rejection's value": {got.Rejected[0].Value, sample.Verdict}} {
			kept, record := pair[0], pair[1]
			if kept != record {
				t.Fatalf("the %s decoded as %q, the record's as %q", name, kept, record)
			}
			switch shared := addr(kept) == addr(record); {
			case filtered && shared:
				t.Errorf("filtered: the %s %q is the memory of the records' equal text", name, kept)
			case !filtered && !shared: // the premise: the entry stores an equal text once
				t.Errorf("whole: the %s %q is not the memory of the records' equal text", name, kept)
			}
			for _, s := range pair {
				if memoryOf(payload).holds(s) {
					t.Errorf("filtered %v: %q is the payload's memory", filtered, s)
				}
			}
		}
		if memoryOf(payload).holds(c.ID) || memoryOf(payload).holds(sample.CaseID) {
			t.Errorf("filtered %v: an id is the payload's memory", filtered)
		}
	}
}

func addr(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s))) }

// region is a range of addresses.
type region struct{ lo, hi uintptr }

// memoryOf is the region of b.
func memoryOf(b []byte) region {
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return region{lo, lo + uintptr(len(b))}
}

// holds reports whether s lies in r.
func (r region) holds(s string) bool { return len(s) > 0 && addr(s) >= r.lo && addr(s) < r.hi }

// A date is stored as yyyymmdd; one that is not on the calendar is damage.
func TestImpossibleDateIsCorrupt(t *testing.T) {
	for n, ok := range map[uint64]bool{20250503: true, 20250230: false, 20251301: false, 99991231: false} {
		d := &decoder{buf: binary.AppendUvarint(nil, n)}
		if date := d.date(); (d.err == nil) != ok {
			t.Errorf("%d decoded as %v, %v", n, date, d.err)
		}
	}
}

// The file survives a run, is rewritten only when something changed, and
// anything damaged in it is found and ignored.
func TestStore(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	source := filepath.Join(dir, "诉件.xlsx")
	os.WriteFile(source, []byte("x"), 0o644)
	s := Open(path)
	if _, ok := s.Get("k1", nil); ok || s.Ignored != "" {
		t.Fatalf("an absent file is an empty cache (ignored %q)", s.Ignored)
	}
	s.Put("k1", source, sampleEntry(source))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = Open(path)
	got, ok := s.Get("k1", nil)
	if !ok || !reflect.DeepEqual(got, sampleEntry(source)) {
		t.Fatalf("after reopening: %v %+v", ok, got)
	}
	info, _ := os.Stat(path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(path); !after.ModTime().Equal(info.ModTime()) {
		t.Error("a run that added nothing rewrote the file")
	}

	// The file changed: its new entry replaces the old one.
	s = Open(path)
	s.Put("k2", source, sampleEntry(source))
	s.Close()
	s = Open(path)
	if _, ok := s.Get("k1", nil); ok {
		t.Error("the entry of the file's old content was kept")
	}
	if _, ok := s.Get("k2", nil); !ok {
		t.Error("the new entry is missing")
	}
	s.Close()

	// A flipped byte in a payload: the entry is ignored and dropped.
	data, _ := os.ReadFile(path)
	bad := append([]byte(nil), data...)
	bad[len(bad)-10] ^= 0xff
	os.WriteFile(path, bad, 0o644)
	s = Open(path)
	if _, ok := s.Get("k2", nil); ok {
		t.Error("a damaged entry was returned")
	}
	s.Close()
	s = Open(path)
	if n := len(s.entries); n != 0 {
		t.Errorf("the damaged entry was kept: %d entries", n)
	}
	if _, ok := s.Get("k2", nil); ok {
		t.Error("the damaged entry was returned after the rewrite")
	}
	s.Close()

	// Cut short, or not a cache at all: ignored, and replaced.
	for name, content := range map[string][]byte{"cut": data[:len(data)/2], "other": []byte("PK\x03\x04 not a cache")} {
		os.WriteFile(path, content, 0o644)
		s = Open(path)
		if _, ok := s.Get("k2", nil); ok || s.Ignored == "" {
			t.Errorf("%s: entry returned or nothing said (%q)", name, s.Ignored)
		}
		s.Put("k3", source, sampleEntry(source))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = Open(path)
		if _, ok := s.Get("k3", nil); !ok || s.Ignored != "" {
			t.Errorf("%s: not replaced by a good file (%q)", name, s.Ignored)
		}
		s.Close()
	}

	// An entry of a file that no longer exists is dropped at the next rewrite.
	other := filepath.Join(dir, "案件.xlsx")
	os.WriteFile(other, []byte("y"), 0o644)
	s = Open(path)
	s.Put("k4", other, sampleEntry(other))
	s.Close()
	os.Remove(source)
	s = Open(path)
	s.Put("k5", other, sampleEntry(other))
	s.Close()
	s = Open(path)
	if _, ok := s.Get("k3", nil); ok {
		t.Error("the entry of a deleted file was kept")
	}
	s.Close()
}

// An entry Get returned is whole after the next Get, which may read into
// the memory the first was read into, filtered or not.
func TestEntryOutlivesTheNextGet(t *testing.T) {
	dir := t.TempDir()
	path, first, second := filepath.Join(dir, "cache"), filepath.Join(dir, "2024-05/案件.xlsx"), filepath.Join(dir, "2024-06/案件.xlsx")
	s := Open(path)
	s.Put("k1", first, sampleEntry(first))
	other := sampleEntry(second)
	other.Cases[0][0].ID, other.Cases[0][0].Squad = "B-7", "南站中队"
	s.Put("k2", second, other)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = Open(path)
	defer s.Close()
	for _, into := range []*Decoding{nil, {KeepCases: keepEach(func([]byte) bool { return true })}} {
		got, ok := s.Get("k1", into)
		// The buffer k1 was read into, if the pool hands it back here,
		// scribbled over: the pool need not, so that the deterministic
		// check is TestDecodedEntryKeepsNoneOfThePayload's.
		if buf, _ := readBuffers.Get().(*[]byte); buf != nil {
			for i := range *buf {
				(*buf)[i] = 0xff
			}
			readBuffers.Put(buf)
		}
		if _, ok2 := s.Get("k2", into); !ok || !ok2 {
			t.Fatal("an entry is missing")
		}
		if want := sampleEntry(first); !reflect.DeepEqual(got, want) {
			t.Errorf("after the next Get (filtered %v): %+v, want %+v", into != nil, got, want)
		}
	}
}

// oneEntryCache writes a cache named name in a directory of its own,
// holding one entry, k1, of the export 诉件.xlsx beside it.
func oneEntryCache(t *testing.T, name string) (path, source string) {
	t.Helper()
	dir := t.TempDir()
	path, source = filepath.Join(dir, name), filepath.Join(dir, "诉件.xlsx")
	os.WriteFile(source, []byte("x"), 0o644)
	s := Open(path)
	s.Put("k1", source, sampleEntry(source))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, source
}

// nextVersions lists the next versions of the cache at path in dir.
func nextVersions(t *testing.T, dir, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, e := range entries {
		if isNextVersion(path, e.Name()) {
			made = append(made, filepath.Join(dir, e.Name()))
		}
	}
	return made
}

// holdLock holds the cache file at path locked, as a run appending to it
// does, until the test ends.
func holdLock(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if locked, err := tryLock(f); !locked {
		t.Fatalf("the cache could not be locked: %v", err)
	}
}

// A write that fails during a run that writes a next version (another run
// is appending; a full disk) leaves no half-written file beside the
// outputs, and the cache as it was: the run is only slower. An appending
// run's failed write is TestFullDiskWhileAppending's.
func TestFailedWriteLeavesNothingBehind(t *testing.T) {
	path, source := oneEntryCache(t, "cache")
	dir := filepath.Dir(path)
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	holdLock(t, path)
	s := Open(path)
	if s.appending {
		t.Fatal("a run appends to a file another run holds")
	}
	s.Put("k2", source, sampleEntry(source))
	s.mu.Lock()
	s.next.Close() // the next write fails, as on a full disk
	s.mu.Unlock()
	s.Put("k3", source, sampleEntry(source))
	if err := s.Close(); err == nil {
		t.Error("Close after a failed write reported nothing")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %v; want the cache and the source only", entries)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Error("the cache changed")
	}
	s = Open(path)
	if _, ok := s.Get("k1", nil); !ok || s.Ignored != "" {
		t.Errorf("the cache before the failed run is not usable (%q)", s.Ignored)
	}
	s.Close()
}

// Whatever a cache entry holds (it passed its checksum, so this is a
// damaged program or a forged file), decoding returns an entry or an
// error; it never panics.
func FuzzDecode(f *testing.F) {
	f.Add(slices.Concat(encode(sampleEntry("/data/2025-05/诉件.xlsx"))))
	many := sampleEntry("/data/2024-05/案件.xlsx") // cases in batches and a part of one
	for i := range 2*KeepBatch + 4 {
		c := many.Cases[0][0]
		c.ID = fmt.Sprint("A-", i)
		many.Cases[0] = append(many.Cases[0], c)
	}
	f.Add(slices.Concat(encode(many)))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, payload []byte) {
		if len(payload) > 1<<16 {
			return
		}
		decode(payload, nil)
		decode(payload, &Decoding{KeepCases: keepEach(func(id []byte) bool { return len(id)%2 == 0 }),
			Complaints: func() []report.Complaint { return make([]report.Complaint, 0, 2) }})
	})
}

// A run whose very first write fails (the disk was full from the start)
// leaves no half-written file either: nothing was added, yet the next
// version had been begun.
func TestFirstWriteFailedLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	source := filepath.Join(dir, "诉件.xlsx")
	os.WriteFile(source, []byte("x"), 0o644)
	s := Open(path)
	s.mu.Lock()
	if err := s.startNext(); err != nil {
		t.Fatal(err)
	}
	s.next.Close() // the first entry's write fails, as on a full disk
	s.mu.Unlock()
	s.Put("k1", source, sampleEntry(source))
	if err := s.Close(); err == nil {
		t.Error("Close after a failed write reported nothing")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %v; want the source only", entries)
	}
}

// An entry with an id no record took is damaged too, however it is
// decoded: whole, filtered keeping every case, or keeping none.
func TestLeftoverIDIsCorrupt(t *testing.T) {
	o := (&report.Source{File: "案件.xlsx", Sheet: "案件"}).At(2)
	tables, fields := encode(&Entry{Cases: [][]report.Case{{{ID: "A-1", Origin: o}, {ID: "A-2", Origin: o}}}})
	d := &decoder{buf: tables}
	names, ids := d.lengths(), d.lengths()
	if len(ids) != 2 || d.err != nil {
		t.Fatalf("ids %v, %v", ids, d.err)
	}
	extra := binary.AppendUvarint(nil, uint64(len(names)))
	for _, l := range names {
		extra = binary.AppendUvarint(extra, uint64(l))
	}
	extra = binary.AppendUvarint(extra, uint64(len(ids)+1))
	for _, l := range append(ids, len("A-3")) {
		extra = binary.AppendUvarint(extra, uint64(l))
	}
	payload := slices.Concat(extra, d.buf, []byte("A-3"), fields)
	if en, err := decode(slices.Concat(tables, fields), &Decoding{KeepCases: keepEach(func([]byte) bool { return true })}); err != nil || len(en.Cases) != 1 || len(en.Cases[0]) != 2 {
		t.Fatalf("the entry as encoded: %v", err) // the premise: the rebuilt tables are the encoder's
	}
	for name, into := range map[string]*Decoding{"whole": nil, "keeping every case": {KeepCases: keepEach(func([]byte) bool { return true })},
		"keeping none": {KeepCases: keepEach(func([]byte) bool { return false })}} {
		if en, err := decode(payload, into); err == nil {
			t.Errorf("decoded %s, an entry with an id left over: %+v", name, en)
		}
	}
}

// An entry whose ids run out before its cases do is damaged, whether the
// cases are decoded or skipped: skipping does not make it pass.
func TestShortIDTableIsCorruptWhenSkipping(t *testing.T) {
	o := (&report.Source{File: "案件.xlsx", Sheet: "案件"}).At(2)
	tables, fields := encode(&Entry{Cases: [][]report.Case{{{ID: "A-1", Origin: o}, {ID: "A-2", Origin: o}}}})
	// The tables are the names (a count, their lengths), the ids (the
	// same), then every string's bytes: drop the ids, keep the names.
	d := &decoder{buf: tables}
	names := d.lengths()
	if ids := d.lengths(); len(ids) != 2 || d.err != nil {
		t.Fatalf("ids %v, %v", ids, d.err)
	}
	short := binary.AppendUvarint(nil, uint64(len(names)))
	size := 0
	for _, l := range names {
		short = binary.AppendUvarint(short, uint64(l))
		size += l
	}
	short = binary.AppendUvarint(short, 0)
	short = append(short, d.buf[:size]...)
	payload := slices.Concat(short, fields)
	if _, err := decode(payload, nil); err == nil {
		t.Error("decoded whole, an entry without its ids")
	}
	if en, err := decode(payload, &Decoding{KeepCases: keepEach(func([]byte) bool { return false })}); err == nil {
		t.Errorf("decoded skipping its cases, an entry without its ids: %+v", en)
	}
}

// The cache is renamed into place unsynced, so a power cut may leave it
// empty, or with blocks that read as zeros where its bytes were never
// written. Each is ignored where damaged: an entry whose bytes are zeros
// is never returned, the others are as they were, and the next version
// keeps nothing the zeros made.
func TestCacheAPowerCutLeftCostsOnlyTime(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache")
	first, second := filepath.Join(dir, "诉件.xlsx"), filepath.Join(dir, "案件.xlsx")
	for _, f := range []string{first, second} {
		os.WriteFile(f, []byte("x"), 0o644)
	}
	s := Open(path)
	s.Put("k1", first, sampleEntry(first))
	s.Put("k2", second, sampleEntry(second))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(path)
	s = Open(path)
	at := func(key string) (head, payload, end int64) { // where an entry's bytes are in good
		sl := s.entries[key]
		return sl.off - int64(len(header(key, sl.source, sl.n))), sl.off, sl.off + sl.n + 4
	}
	h1, p1, e1 := at("k1")
	h2, _, e2 := at("k2")
	s.Close()
	if h2 != e1 {
		t.Fatalf("the entries are not one after the other as put: k1 at %d–%d, k2 at %d", h1, e1, h2)
	}
	zeroed := func(from, to int64) []byte {
		b := append([]byte(nil), good...)
		clear(b[from:to])
		return b
	}
	const gone, kept, either = 0, 1, 2
	for _, c := range []struct {
		name    string
		content []byte
		k1, k2  int
	}{
		{"empty", nil, gone, gone},
		{"all zeros", make([]byte, len(good)), gone, gone},
		{"first payload zeros", zeroed(p1, e1), gone, kept},
		// Zeros read as empty entries; whether the next header is read
		// right after them depends on their length.
		{"first entry zeros", zeroed(h1, e1), gone, either},
		{"last entry zeros", zeroed(h2, e2), kept, gone},
	} {
		os.WriteFile(path, c.content, 0o644)
		s = Open(path)
		for key := range s.entries {
			if key != "k1" && key != "k2" {
				t.Errorf("%s: an entry %q the zeros made", c.name, key)
			}
		}
		for key, want := range map[string]int{"k1": c.k1, "k2": c.k2} {
			got, ok := s.Get(key, nil)
			source := map[string]string{"k1": first, "k2": second}[key]
			if want != either && ok != (want == kept) || ok && !reflect.DeepEqual(got, sampleEntry(source)) {
				t.Errorf("%s: %s returned %v, want %v", c.name, key, ok, want == kept)
			}
		}
		s.Put("k3", first, sampleEntry(first)) // the run writes the next version
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = Open(path)
		for key := range s.entries {
			if key != "k1" && key != "k2" && key != "k3" {
				t.Errorf("%s: the next version keeps an entry %q the zeros made", c.name, key)
			}
		}
		if _, ok := s.Get("k3", nil); !ok || s.Ignored != "" {
			t.Errorf("%s: the next version lacks the run's entry (%q)", c.name, s.Ignored)
		}
		s.Close()
	}
}

// A run appends its entries to the file and leaves the bytes before them
// as they were; the file is rewritten only when the entries that no longer
// count (of a file since changed) pass compactAt.
func TestRunAppendsItsEntries(t *testing.T) {
	path, small := oneEntryCache(t, "cache")
	large, third := filepath.Join(filepath.Dir(path), "案件.xlsx"), filepath.Join(filepath.Dir(path), "抽查明细.xlsx")
	for _, f := range []string{large, third} {
		os.WriteFile(f, []byte("y"), 0o644)
	}
	big := sampleEntry(large)
	for i := range 200 {
		big.Cases[0] = append(big.Cases[0], report.Case{ID: fmt.Sprintf("A-%d", i+2), Squad: "北站中队", Origin: big.Cases[0][0].Origin})
	}
	// run puts entries in a run of its own and returns the file it left,
	// whether it appended, and the file as it was before.
	run := func(put map[string]string) (after []byte, appended bool, before []byte) {
		t.Helper()
		before, _ = os.ReadFile(path)
		info, _ := os.Stat(path)
		s := Open(path)
		if !s.appending {
			t.Fatalf("the run does not append (%q)", s.Ignored)
		}
		for key, source := range put {
			en := sampleEntry(source)
			if source == large {
				en = big
			}
			s.Put(key, source, en)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		after, _ = os.ReadFile(path)
		now, _ := os.Stat(path)
		return after, os.SameFile(info, now) && bytes.HasPrefix(after, before), before
	}
	has := func(keys ...string) {
		t.Helper()
		s := Open(path)
		defer s.Close()
		if s.Ignored != "" || len(s.entries) != len(keys) {
			t.Errorf("the file holds %d entries (%q), want %v", len(s.entries), s.Ignored, keys)
		}
		for _, key := range keys {
			if _, ok := s.Get(key, nil); !ok {
				t.Errorf("%s is missing", key)
			}
		}
	}

	if after, appended, before := run(map[string]string{"k2": large, "kx": third}); !appended || len(after) <= len(before) {
		t.Error("new files' entries were not appended")
	}
	has("k1", "k2", "kx")
	// The small file changed: its old entry is a small share, kept.
	if _, appended, _ := run(map[string]string{"k3": small}); !appended {
		t.Error("the file was rewritten for a small share of entries that no longer count")
	}
	has("k1", "k2", "k3", "kx")
	// The large one changed: most of the file no longer counts.
	if _, appended, _ := run(map[string]string{"k4": large}); appended {
		t.Error("the file was not rewritten without the entries that no longer count")
	}
	has("k3", "k4", "kx")
}

// A run killed while it appended leaves its last entry cut short: the
// entries before it are used, and the next run that holds the file cuts
// the torn bytes off and appends after them.
func TestTornTailCostsOnlyTime(t *testing.T) {
	path, _ := oneEntryCache(t, "cache")
	other := filepath.Join(filepath.Dir(path), "案件.xlsx")
	os.WriteFile(other, []byte("y"), 0o644)
	s := Open(path)
	whole := s.end // k1's end
	s.Put("k2", other, sampleEntry(other))
	torn := s.end - 5
	s.Close()
	if err := os.Truncate(path, torn); err != nil {
		t.Fatal(err)
	}
	s = Open(path)
	_, ok1 := s.Get("k1", nil)
	_, ok2 := s.Get("k2", nil)
	if !ok1 || ok2 || s.Ignored == "" || !s.appending {
		t.Errorf("a torn tail: k1 %v, k2 %v, said %q, appending %v; want k1 only, said, appending", ok1, ok2, s.Ignored, s.appending)
	}
	if info, _ := os.Stat(path); info.Size() != whole {
		t.Errorf("the file is %d bytes, want the %d before the torn entry", info.Size(), whole)
	}
	s.Put("k3", other, sampleEntry(other))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = Open(path)
	defer s.Close()
	if _, ok := s.Get("k3", nil); !ok || s.Ignored != "" || !s.appending || len(s.entries) != 2 {
		t.Errorf("after: k3 %v, said %q, appending %v, %d entries", ok, s.Ignored, s.appending, len(s.entries))
	}
}

// A run that opens the file while another appends to it may find that
// run's entry half-written at the end: it uses the entries before it and
// leaves the file to that run, even when it adds entries of its own.
func TestAppendInProgressIsLeftAlone(t *testing.T) {
	path, source := oneEntryCache(t, "cache")
	appender := Open(path)
	defer appender.Close()
	half := header("k2", source, 500) // what the appender has written so far
	if _, err := appender.f.WriteAt(half, appender.end); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(path)
	s := Open(path)
	if _, ok := s.Get("k1", nil); !ok || s.appending || s.dirty {
		t.Errorf("k1 %v, appending %v, dirty %v: want k1, neither appending nor rewriting for the tail", ok, s.appending, s.dirty)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.Stat(path); !os.SameFile(before, after) || after.Size() != before.Size() {
		t.Error("the file was rewritten under the run appending to it")
	}
}

// Whatever file lies where the cache should be, opening it, asking for
// its entries, adding one and closing never panics, and leaves a file the
// next run opens without damage and finds that entry in.
func FuzzOpen(f *testing.F) {
	dir := f.TempDir()
	path, source := filepath.Join(dir, "cache"), filepath.Join(dir, "诉件.xlsx")
	os.WriteFile(source, []byte("x"), 0o644)
	s := Open(path)
	s.Put("k1", source, sampleEntry(source))
	s.Put("k2", source+"2", sampleEntry(source))
	s.Close()
	good, _ := os.ReadFile(path)
	f.Add(good)
	f.Add(good[:len(good)-3])
	f.Add(append(slices.Clone(magic), 0, 0, 0))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, content []byte) {
		if len(content) > 1<<16 {
			return
		}
		path := filepath.Join(t.TempDir(), "cache")
		os.WriteFile(path, content, 0o644)
		s := Open(path)
		for key := range s.entries {
			s.Get(key, nil)
		}
		s.Put("k3", source, sampleEntry(source))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		s = Open(path)
		defer s.Close()
		if got, ok := s.Get("k3", nil); !ok || s.Ignored != "" || !reflect.DeepEqual(got, sampleEntry(source)) {
			t.Fatalf("after a run over %q: k3 %v (%q)", content, ok, s.Ignored)
		}
	})
}

// TestValues: a value lives beside the entries of parsed files, read back
// as it was kept; one damaged in the file is not returned, and one whose
// source (a month's folder) is gone stops counting.
func TestValues(t *testing.T) {
	path, source := oneEntryCache(t, "cache")
	folder := filepath.Join(filepath.Dir(path), "2025-03")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	s := Open(path)
	s.PutValue("v1", folder, []byte(`{"month":"2025-03"}`))
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = Open(path)
	if got, ok := s.Value("v1"); !ok || string(got) != `{"month":"2025-03"}` {
		t.Fatalf("value after reopening: %v %q", ok, got)
	}
	if _, ok := s.Get("k1", nil); !ok {
		t.Fatal("the file's entry is gone beside a value")
	}
	if _, ok := s.Value("v2"); ok {
		t.Fatal("a value never kept was found")
	}
	s.Close()

	// A new cache keeps its first run's value (it is written whole anyway).
	fresh := filepath.Join(t.TempDir(), "cache")
	s = Open(fresh)
	s.PutValue("v1", folder, []byte("new"))
	s.Close()
	s = Open(fresh)
	if got, ok := s.Value("v1"); !ok || string(got) != "new" {
		t.Errorf("a new cache's value: %v %q", ok, got)
	}
	s.Close()

	// A run that cannot lock the cache (another holds it) keeps no value:
	// the file would be rewritten whole for it.
	func() {
		holder, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close() // and the lock with it, for what follows
		if locked, err := tryLock(holder); !locked {
			t.Fatalf("the cache could not be locked: %v", err)
		}
		before, _ := os.ReadFile(path)
		s := Open(path)
		s.PutValue("v3", folder, []byte("x"))
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
			t.Error("a value put by a run that does not append rewrote the cache")
		}
	}()

	// A byte of the value changed on disk: not returned, and dropped.
	data, _ := os.ReadFile(path)
	at := bytes.LastIndex(data, []byte("2025-03"))
	data[at] = '3'
	os.WriteFile(path, data, 0o644)
	s = Open(path)
	if got, ok := s.Value("v1"); ok {
		t.Fatalf("a damaged value was returned: %q", got)
	}
	s.Close()
	s = Open(path)
	if _, ok := s.Value("v1"); ok {
		t.Fatal("the damaged value was kept")
	}
	s.Close()

	// Kept again, then its folder removed: the next rewrite drops it.
	s = Open(path)
	s.PutValue("v1", folder, []byte("x"))
	s.Close()
	s = Open(path)
	if _, ok := s.Value("v1"); !ok {
		t.Fatal("the value kept again is not there")
	}
	s.Close()
	os.Remove(folder)
	os.Remove(source) // the file's entry too: the file is rewritten
	s = Open(path)
	s.Put("k3", path, sampleEntry(path))
	s.Close()
	s = Open(path)
	defer s.Close()
	if _, ok := s.Value("v1"); ok {
		t.Error("a value whose source is gone still counts")
	}
}
