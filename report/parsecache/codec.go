package parsecache

import (
	"encoding/binary"
	"errors"
	"iter"
	"math"
	"slices"
	"time"
	"unsafe"

	"bulletin/report"
)

// Entry is what reading one export gave, as package ingest hands it over:
// the file's input line, its rejections and warnings, or why it could not
// be read, and the records of its dataset (one of the slices), in chunks
// as ingest keeps them; a decoded entry has one chunk.
type Entry struct {
	Sheet   string
	Failure string
	Input   report.Input
	// SquadHeader and SquadName are 抽查明细's 承办中队 column as written and
	// as the contract names it, for the rejections made after reading.
	SquadHeader, SquadName string
	Rejected               []report.Rejection
	Warnings               []report.Warning

	Cases       [][]report.Case
	Samples     [][]report.Sample
	Inspections [][]report.Inspection
	Complaints  [][]report.Complaint
	Weekly      [][]report.WeeklyRecord
	Ledger      [][]report.LedgerEntry
}

// An entry's payload is two string tables and then the fields in a fixed
// order: names as indexes into the first table (every distinct name once),
// ids as the next string of the second (an id is nearly always new, so it
// is stored in order of use with no index and no lookup), numbers as
// varints, dates as yyyymmdd, an origin as its source (defined where first
// used) and its row. Decoding makes one string of each table's bytes and
// slices it, so a file of a hundred thousand records costs a handful of
// allocations.

type encoder struct {
	buf     []byte
	tables  []byte
	strings map[stringRef]uint64
	recent  [256]recentString // in front of strings: most names repeat
	table   []string
	ids     []string
	sources map[*report.Source]uint64
	// the source of the last origin written: a file's records share one
	lastSource      *report.Source
	lastSourceIndex int
}

type recentString struct {
	ref stringRef
	i   uint64
}

// stringRef is a string by where its bytes are: the names ingest makes are
// interned (one squad name, one file path for every record), so telling
// them by address finds the repeats without hashing every id's bytes. Two
// equal strings at two addresses are merely stored twice.
type stringRef struct {
	p *byte
	n int
}

func (e *encoder) str(s string) {
	ref := stringRef{unsafe.StringData(s), len(s)}
	recent := &e.recent[uintptr(unsafe.Pointer(ref.p))>>4%uintptr(len(e.recent))]
	if recent.ref != ref {
		i, ok := e.strings[ref]
		if !ok {
			i = uint64(len(e.table))
			e.strings[ref] = i
			e.table = append(e.table, s)
		}
		*recent = recentString{ref, i}
	}
	e.buf = binary.AppendUvarint(e.buf, recent.i)
}

// id stores a string that is seldom repeated.
func (e *encoder) id(s string) { e.ids = append(e.ids, s) }

func (e *encoder) int(n int)   { e.buf = binary.AppendVarint(e.buf, int64(n)) }
func (e *encoder) uint(n int)  { e.buf = binary.AppendUvarint(e.buf, uint64(n)) }
func (e *encoder) bool(b bool) { e.buf = append(e.buf, boolByte(b)) }

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func (e *encoder) date(d report.Date) {
	if d.IsZero() {
		e.uint(0)
		return
	}
	e.uint(d.Year()*10000 + int(d.Month())*100 + d.Day())
}

func (e *encoder) strs(ss []string) {
	e.uint(len(ss))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) origin(o report.Origin) {
	if src := o.Source(); src != e.lastSource {
		e.lastSource, e.lastSourceIndex = src, int(e.sources[src])
	}
	e.uint(e.lastSourceIndex)
	e.int(o.Row)
}

// sourcesOf writes the table of the records' sources, so that a record
// the decoder skips defines none.
func (e *encoder) sourcesOf(en *Entry) {
	var origins []report.Origin // the first of each source
	var last *report.Source     // a file's records share one: most are the last one's
	add := func(o report.Origin) {
		if o.Source() == last && origins != nil {
			return
		}
		last = o.Source()
		if _, seen := e.sources[o.Source()]; !seen {
			e.sources[o.Source()] = uint64(len(origins))
			origins = append(origins, o)
		}
	}
	for _, c := range all(en.Cases) {
		add(c.Origin)
	}
	for _, s := range all(en.Samples) {
		add(s.Origin)
	}
	for _, in := range all(en.Inspections) {
		add(in.Origin)
	}
	for _, c := range all(en.Complaints) {
		add(c.Origin)
	}
	for _, w := range all(en.Weekly) {
		add(w.Origin)
	}
	for _, l := range all(en.Ledger) {
		add(l.Origin)
	}
	e.uint(len(origins))
	for _, o := range origins {
		e.str(o.File())
		e.str(o.Sheet())
		e.int(o.Folder().Year)
		e.int(int(o.Folder().Month))
	}
}

// begin starts a record, which end prefixes with its length in bytes (so
// that a decoder can skip it).
func (e *encoder) begin() int {
	e.buf = append(e.buf, 0)
	return len(e.buf)
}

func (e *encoder) end(start int) {
	n := len(e.buf) - start
	if n < 0x80 {
		e.buf[start-1] = byte(n)
		return
	}
	length := binary.AppendUvarint(nil, uint64(n))
	e.buf = slices.Insert(e.buf, start, length[1:]...)
	copy(e.buf[start-1:], length)
}

// encode returns the payload of an entry, in two parts (written one after
// the other, so that the larger is not copied).
func encode(en *Entry) (tables, fields []byte) { return newEncoder().encode(en) }

func newEncoder() *encoder {
	e := new(encoder)
	e.reset()
	return e
}

// encode is encode in the memory of e, new or reset, which e uses again
// for the next entry once reset: tables and fields are valid until then.
// A city's year is hundreds of MB of encoding, which fresh memory for
// every entry made page faults.
func (e *encoder) encode(en *Entry) (tables, fields []byte) {
	ids := total(en.Cases) + 2*total(en.Samples) + total(en.Inspections) + total(en.Complaints)
	e.ids = room(e.ids, ids)
	e.buf = room(e.buf, 64+24*(ids+total(en.Weekly)+total(en.Ledger))) // about what a record takes
	e.str(en.Sheet)
	e.str(en.Failure)
	in := en.Input
	e.str(in.Dataset)
	e.str(in.File)
	e.str(in.SHA256)
	e.int(in.Rows)
	e.int(in.Accepted)
	e.int(in.Rejected)
	e.int(in.Superseded)
	e.str(en.SquadHeader)
	e.str(en.SquadName)
	e.uint(len(en.Rejected))
	for _, r := range en.Rejected {
		e.str(r.Dataset)
		e.str(r.File)
		e.str(r.Sheet)
		e.int(r.Row)
		e.str(r.Column)
		e.str(r.Value)
		e.str(r.Reason)
	}
	e.uint(len(en.Warnings))
	for _, w := range en.Warnings {
		e.str(w.Kind)
		e.str(w.File)
		e.int(w.Count)
		e.str(w.Example)
	}
	e.sourcesOf(en)
	e.uint(total(en.Cases))
	for _, c := range all(en.Cases) {
		start := e.begin()
		e.id(c.ID)
		e.str(c.Squad)
		e.str(c.Cause)
		e.date(c.Filed)
		e.date(c.Closed)
		e.str(c.Status)
		e.bool(c.MajorReview)
		e.strs(c.Abnormal)
		e.origin(c.Origin)
		e.end(start)
	}
	e.uint(total(en.Samples))
	for _, s := range all(en.Samples) {
		start := e.begin()
		e.id(s.ID)
		e.date(s.Date)
		e.str(string(s.Kind))
		e.id(s.CaseID)
		e.str(s.Squad)
		e.str(s.Department)
		e.str(s.Verdict)
		e.strs(s.Problems)
		e.origin(s.Origin)
		e.end(start)
	}
	e.uint(total(en.Inspections))
	for _, in := range all(en.Inspections) {
		start := e.begin()
		e.id(in.ID)
		e.date(in.Date)
		e.str(in.Item)
		e.str(in.Department)
		e.str(in.Squad)
		e.str(in.Method)
		e.int(in.Problems)
		e.str(in.Description)
		e.date(in.Deadline)
		e.str(in.Rectification)
		e.date(in.RectifiedOn)
		e.origin(in.Origin)
		e.end(start)
	}
	e.uint(total(en.Complaints))
	for _, c := range all(en.Complaints) {
		start := e.begin()
		e.id(c.ID)
		e.str(c.Type)
		e.date(c.Received)
		e.str(c.Squad)
		e.str(c.Field)
		e.bool(c.Repeated)
		e.bool(c.Sampled)
		e.date(c.SampledOn)
		e.str(c.Finding)
		e.origin(c.Origin)
		e.end(start)
	}
	e.uint(total(en.Weekly))
	for _, w := range all(en.Weekly) {
		start := e.begin()
		e.str(w.Squad)
		e.date(w.Date)
		e.str(w.Content)
		e.int(w.Problems)
		e.origin(w.Origin)
		e.end(start)
	}
	e.uint(total(en.Ledger))
	for _, l := range all(en.Ledger) {
		start := e.begin()
		e.str(l.Matter)
		e.str(l.Responsible)
		e.date(l.Done)
		e.str(l.Period)
		e.origin(l.Origin)
		e.end(start)
	}
	// The tables go first, so that decoding has them before the fields:
	// the lengths, then the bytes.
	stringTables := [][]string{e.table, e.ids}
	size := 0
	for _, table := range stringTables {
		size += binary.MaxVarintLen64 * (1 + len(table))
		for _, s := range table {
			size += len(s)
		}
	}
	out := room(e.tables, size)
	for _, table := range stringTables {
		out = binary.AppendUvarint(out, uint64(len(table)))
		for _, s := range table {
			out = binary.AppendUvarint(out, uint64(len(s)))
		}
	}
	for _, table := range stringTables {
		for _, s := range table {
			out = append(out, s...)
		}
	}
	e.tables = out
	return out, e.buf
}

// room returns s emptied, with room for n elements. Unlike slices.Grow,
// it does not copy what s held, which the encoder no longer needs: the
// encoder's buffers grow to a city's largest exports, and copying each
// old buffer into the new one cost more than filling it.
func room[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// reset empties e for the next entry, keeping its memory but nothing the
// last entry's strings could be kept alive by.
func (e *encoder) reset() {
	clear(e.table)
	clear(e.ids)
	clear(e.strings)
	clear(e.sources)
	e.recent = [len(e.recent)]recentString{}
	e.lastSource, e.lastSourceIndex = nil, 0
	if e.strings == nil {
		e.strings, e.sources = map[stringRef]uint64{}, map[*report.Source]uint64{}
	}
	// "" is the table's first string, so that a recent slot's zero value
	// (an empty string, index 0) is right.
	e.strings[stringRef{}] = 0
	e.table, e.ids, e.buf = append(e.table[:0], ""), e.ids[:0], e.buf[:0]
}

var errCorrupt = errors.New("corrupt cache entry")

type decoder struct {
	buf     []byte
	table   []string
	ids     idStream[string]
	sources []*report.Source
	err     error
	// A filtered decode (Decoding.KeepCases) keeps few records of many: it
	// reads the ids and strings in place in the payload, and copies out
	// only those it decodes, one by one. (A decode of every record copies
	// all the entry's strings at once, into one block the records share.)
	filtered bool
	inPlace  idStream[[]byte]
	texts    []byte // the table's strings, end to end
	ends     []int  // where each of them ends in texts
}

func (d *decoder) uvarint() uint64 {
	n, size := binary.Uvarint(d.buf)
	if size <= 0 {
		d.fail()
		return 0
	}
	d.buf = d.buf[size:]
	return n
}

func (d *decoder) fail() {
	d.err = errCorrupt
	d.buf = nil
}

// count reads a length and bounds it by the bytes left (each element takes
// at least one), so that a corrupt length cannot allocate gigabytes.
func (d *decoder) count() int {
	n := d.uvarint()
	if n > uint64(len(d.buf)) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	i := d.uvarint()
	if d.filtered {
		if i >= uint64(len(d.ends)) {
			d.fail()
			return ""
		}
		start := 0
		if i > 0 {
			start = d.ends[i-1]
		}
		return string(d.texts[start:d.ends[i]])
	}
	if i >= uint64(len(d.table)) {
		d.fail()
		return ""
	}
	return d.table[i]
}

func (d *decoder) id() string {
	var id string
	var ok bool
	if d.filtered {
		var b []byte
		b, ok = d.inPlace.next()
		id = string(b)
	} else {
		id, ok = d.ids.next()
	}
	if !ok {
		d.fail()
	}
	return id
}

// idStream yields the ids table's strings in order, reading each length as
// it goes: an entry of a hundred thousand ids makes no slice of them, and
// the ids of the records skipped are never made.
type idStream[S string | []byte] struct {
	lens  []byte // the varint lengths of the ids left
	block S      // their bytes
	left  int
}

func (s *idStream[S]) peek() (id S, size int) {
	if s.left == 0 {
		return id, 0
	}
	l, size := binary.Uvarint(s.lens)
	if size <= 0 || l > uint64(len(s.block)) {
		return id, 0
	}
	return s.block[:l], size
}

func (s *idStream[S]) next() (S, bool) {
	id, size := s.peek()
	if size == 0 {
		return id, false
	}
	s.lens, s.block, s.left = s.lens[size:], s.block[len(id):], s.left-1
	return id, true
}

func (d *decoder) int() int {
	n, size := binary.Varint(d.buf)
	if size <= 0 || n > math.MaxInt32 || n < math.MinInt32 {
		d.fail()
		return 0
	}
	d.buf = d.buf[size:]
	return int(n)
}

func (d *decoder) bool() bool {
	if len(d.buf) == 0 || d.buf[0] > 1 {
		d.fail()
		return false
	}
	b := d.buf[0] == 1
	d.buf = d.buf[1:]
	return b
}

func (d *decoder) date() report.Date {
	n := d.uvarint()
	if n == 0 {
		return report.Date{}
	}
	date, ok := report.NewDate(int(n/10000), time.Month(n/100%100), int(n%100))
	if !ok {
		d.fail()
	}
	return date
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (d *decoder) origin() report.Origin {
	i := d.uvarint()
	if i >= uint64(len(d.sources)) {
		d.fail()
		return report.Origin{}
	}
	return d.sources[i].At(d.int())
}

// sourceTable decodes the entry's sources.
func (d *decoder) sourceTable() {
	d.sources = make([]*report.Source, d.count())
	for i := range d.sources {
		d.sources[i] = &report.Source{File: d.str(), Sheet: d.str(), Folder: report.Month{Year: d.int(), Month: time.Month(d.int())}}
	}
}

// decode reads a payload made by encode, its records into chunks.
func decode(payload []byte, into *Decoding) (*Entry, error) {
	if into == nil {
		into = &Decoding{}
	}
	d := &decoder{buf: payload}
	names := d.lengths()
	textSize := 0
	for _, l := range names {
		textSize += l
	}
	size := textSize
	ids := d.count()
	lens := d.buf
	for range ids {
		size += d.count()
	}
	lens = lens[:len(lens)-len(d.buf)]
	if d.err != nil || size > len(d.buf) {
		return nil, errCorrupt
	}
	// No string decoded is the payload's memory: the payload is the
	// reader's, to read the next entry into (Store.Get). Decoded whole, the
	// entry's strings are copied in one allocation. Filtered, what a file's
	// result keeps of the entry (its input, sheet, rejections and its
	// records' sources) is copied string by string like the few cases kept:
	// a block of the whole entry's strings would be copied to be dropped,
	// or kept alive as long as the run by those few.
	if d.filtered = into.KeepCases != nil; d.filtered {
		for i := 1; i < len(names); i++ {
			names[i] += names[i-1]
		}
		d.texts, d.ends = d.buf[:textSize], names
		d.inPlace = idStream[[]byte]{lens: lens, block: d.buf[textSize:size], left: ids}
	} else {
		d.table, d.ids.block = cut(string(d.buf[:size]), names)
		d.ids.lens, d.ids.left = lens, ids
	}
	d.buf = d.buf[size:]
	en := &Entry{Sheet: d.str(), Failure: d.str()}
	en.Input = report.Input{Dataset: d.str(), File: d.str(), SHA256: d.str(),
		Rows: d.int(), Accepted: d.int(), Rejected: d.int(), Superseded: d.int()}
	en.SquadHeader, en.SquadName = d.str(), d.str()
	if n := d.count(); n > 0 {
		en.Rejected = make([]report.Rejection, n)
		for i := range en.Rejected {
			en.Rejected[i] = report.Rejection{Dataset: d.str(), File: d.str(), Sheet: d.str(), Row: d.int(),
				Column: d.str(), Value: d.str(), Reason: d.str()}
		}
	}
	if n := d.count(); n > 0 {
		en.Warnings = make([]report.Warning, n)
		for i := range en.Warnings {
			en.Warnings[i] = report.Warning{Kind: d.str(), File: d.str(), Count: d.int(), Example: d.str()}
		}
	}
	d.sourceTable()
	en.Cases = decodeAll(d, into.Cases, into.KeepCases, func(c *report.Case) {
		*c = report.Case{ID: d.id(), Squad: d.str(), Cause: d.str(), Filed: d.date(), Closed: d.date(),
			Status: d.str(), MajorReview: d.bool(), Abnormal: d.strs(), Origin: d.origin()}
	})
	en.Samples = decodeAll(d, into.Samples, nil, func(s *report.Sample) {
		*s = report.Sample{ID: d.id(), Date: d.date(), Kind: report.SampleKind(d.str()), CaseID: d.id(),
			Squad: d.str(), Department: d.str(), Verdict: d.str(), Problems: d.strs(), Origin: d.origin()}
	})
	en.Inspections = decodeAll(d, into.Inspections, nil, func(in *report.Inspection) {
		*in = report.Inspection{ID: d.id(), Date: d.date(), Item: d.str(), Department: d.str(), Squad: d.str(),
			Method: d.str(), Problems: d.int(), Description: d.str(), Deadline: d.date(), Rectification: d.str(),
			RectifiedOn: d.date(), Origin: d.origin()}
	})
	en.Complaints = decodeAll(d, into.Complaints, nil, func(c *report.Complaint) {
		*c = report.Complaint{ID: d.id(), Type: d.str(), Received: d.date(), Squad: d.str(), Field: d.str(),
			Repeated: d.bool(), Sampled: d.bool(), SampledOn: d.date(), Finding: d.str(), Origin: d.origin()}
	})
	en.Weekly = decodeAll(d, into.Weekly, nil, func(w *report.WeeklyRecord) {
		*w = report.WeeklyRecord{Squad: d.str(), Date: d.date(), Content: d.str(), Problems: d.int(), Origin: d.origin()}
	})
	en.Ledger = decodeAll(d, into.Ledger, nil, func(l *report.LedgerEntry) {
		*l = report.LedgerEntry{Matter: d.str(), Responsible: d.str(), Done: d.date(), Period: d.str(), Origin: d.origin()}
	})
	if d.err != nil || len(d.buf) != 0 || d.ids.left != 0 || d.inPlace.left != 0 {
		return nil, errCorrupt
	}
	return en, nil
}

// lengths reads a string table's lengths.
func (d *decoder) lengths() []int {
	lens := make([]int, d.count())
	for i := range lens {
		lens[i] = d.count()
	}
	return lens
}

// cut slices the strings of lens off the front of block.
func cut(block string, lens []int) (strs []string, rest string) {
	strs = make([]string, len(lens))
	for i, l := range lens {
		strs[i], block = block[:l], block[l:]
	}
	return strs, block
}

// decodeAll decodes a section of records into slices from chunk (empty,
// with room for at least one record), or into one new slice when chunk is
// nil. keep, when set, says by their ids (a record's first field, and its
// only id) which records to keep, KeepBatch at a time: the others are
// skipped by their length.
func decodeAll[T any](d *decoder, chunk func() []T, keep func(ids [][]byte, kept []bool), one func(*T)) [][]T {
	n := d.count()
	if n == 0 {
		return nil
	}
	if chunk == nil {
		chunk = func() []T { return make([]T, 0, n) }
	}
	var chunks [][]T
	var last []T
	slot := func() *T {
		if len(last) == cap(last) {
			if last != nil {
				chunks = append(chunks, last)
			}
			last = chunk()
		}
		last = last[:len(last)+1]
		return &last[len(last)-1]
	}
	var ids [KeepBatch][]byte
	var kept [KeepBatch]bool
	asked, answered := 0, 0 // of the batch
	for r := range n {
		size := d.count()
		if d.err != nil {
			return nil
		}
		if keep != nil {
			if answered == asked {
				if !d.peekIDs(ids[:min(KeepBatch, n-r)]) { // no ids left: as damaged as when decoded
					d.fail()
					return nil
				}
				asked, answered = min(KeepBatch, n-r), 0
				keep(ids[:asked], kept[:asked])
			}
			answered++
			if !kept[answered-1] {
				d.buf = d.buf[size:]
				d.inPlace.next()
				continue
			}
		}
		left := len(d.buf)
		one(slot())
		if left-len(d.buf) != size {
			d.fail()
		}
	}
	if len(last) == 0 {
		return chunks
	}
	return append(chunks, last)
}

// peekIDs reads the next ids of a filtered decode into ids, leaving them
// to be read again, and reports whether there were as many.
func (d *decoder) peekIDs(ids [][]byte) bool {
	ahead := d.inPlace
	for i := range ids {
		id, ok := ahead.next()
		if !ok {
			return false
		}
		ids[i] = id
	}
	return true
}

// KeepBatch is how many cases' ids Decoding.KeepCases is asked about at
// most at a time.
const KeepBatch = 16

// Decoding says where a decoded entry's records go: into slices from its
// functions, empty with room for some records each, so that a reader can
// recycle them; and which cases to keep (the others are skipped, not
// built). A nil field, or a nil *Decoding, allocates and keeps every case.
// With KeepCases, the cases kept are few: each string decoded is a copy of
// its own. KeepCases is asked about the cases in order, up to KeepBatch of
// them at a time, so that it can look them up together: it answers in
// kept, for each of ids, which are the entry's memory, to be read during
// the call only. An entry found damaged after some answers is refused
// whole: what the answers counted is to be dropped with it.
type Decoding struct {
	Cases       func() []report.Case
	Samples     func() []report.Sample
	Inspections func() []report.Inspection
	Complaints  func() []report.Complaint
	Weekly      func() []report.WeeklyRecord
	Ledger      func() []report.LedgerEntry
	KeepCases   func(ids [][]byte, kept []bool)
}

func total[T any](chunks [][]T) int {
	n := 0
	for _, c := range chunks {
		n += len(c)
	}
	return n
}

// all yields the records of every chunk, in order.
func all[T any](chunks [][]T) iter.Seq2[int, T] {
	return func(yield func(int, T) bool) {
		i := 0
		for _, c := range chunks {
			for _, r := range c {
				if !yield(i, r) {
					return
				}
				i++
			}
		}
	}
}
