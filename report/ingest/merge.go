package ingest

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"bulletin/report"
	"bulletin/report/hugepages"
)

// collector merges the files' records into the datasets in job order
// while later files are still being read: a file's records move into its
// dataset (and its per-file chunks are freed) as soon as every file before
// it is done. Ids are indexed as records arrive, so that what is left once
// the last file is read is to drop the superseded ones.
type collector struct {
	results []atomic.Pointer[fileResult]
	mu      sync.Mutex     // held while merging
	next    atomic.Int64   // the first result not merged yet; written under mu
	stores  []datasetStore // by dataset, as datasets

	// The 案件 exports of earlier years (deep jobs) come last. Their
	// filter needs the 案件 and 抽查明细 files before them only, the jobs
	// before deepAfter: deepReady is closed once those are merged, while
	// the files after them (the last month's 诉件, say) may still be read.
	// sampled then holds the case ids the samples name, and givenLater,
	// by their number, whether a file of the report's months gave each.
	// They are not written again, and they are all keepsDeep reads: a read
	// abandoned at its time limit may still be filtering when the datasets
	// are done.
	deepAfter  int // -1 when there are no deep jobs
	deepReady  chan struct{}
	sampled    *idSet
	givenLater []bool
}

// newCollector merges the results of jobs, going on from carry; ahead
// tells how many months of files of a dataset later Reads of the run add
// to what this one gives them (Carry.monthsAfter), nil when none.
func newCollector(jobs []fileJob, carry []carried, ahead func(dataset string) int) *collector {
	c := &collector{results: make([]atomic.Pointer[fileResult], len(jobs)), deepReady: make(chan struct{}), deepAfter: -1}
	files := make([]int, len(datasets))
	deep, needed := false, 0
	for i, j := range jobs {
		if j.deep { // they add fewer rows, sized for in beginDeep
			deep = true
			continue
		}
		files[j.kind]++
		if name := datasets[j.kind].datasetName(); name == report.DatasetCases || name == report.DatasetSamples {
			needed = i + 1
		}
	}
	if deep {
		c.deepAfter = needed
	}
	for i, d := range datasets {
		if files[i] > 0 && ahead != nil {
			files[i] += ahead(d.datasetName()) // a file a month
		}
	}
	for i, d := range datasets {
		if i >= len(carry) || carry[i].store == nil {
			c.stores = append(c.stores, d.newStore(files[i]))
			continue
		}
		carry[i].store.resume(files[i])
		c.stores = append(c.stores, carry[i].store)
		results := carry[i].results
		for j, job := range jobs {
			if job.kind == i && !job.deep && len(results) > 0 {
				c.results[j].Store(results[0])
				results = results[1:]
			}
		}
	}
	if c.deepAfter == 0 {
		c.beginDeep()
	}
	c.drain() // past the carried results
	return c
}

// abandoned reports that a file was abandoned at its time limit.
func (c *collector) abandoned() bool {
	for i := range c.results {
		if r := c.results[i].Load(); r != nil && r.abandoned {
			return true
		}
	}
	return false
}

// done records the result of job i and merges what can be merged, unless
// another worker is merging. That worker sees the result, or finds it
// after it unlocked and merges again: a worker waiting to read a deep file
// (readFile) needs every result before deepAfter merged without a final
// drain.
func (c *collector) done(i int, r *fileResult) {
	c.results[i].Store(r)
	for c.mu.TryLock() {
		c.drain()
		c.mu.Unlock()
		if next := c.next.Load(); next == int64(len(c.results)) || c.results[next].Load() == nil {
			return
		}
	}
}

// drain merges the results in order up to the first one not yet read;
// c.mu is held.
func (c *collector) drain() {
	for next := int(c.next.Load()); next < len(c.results); next++ {
		if next == c.deepAfter && c.sampled == nil {
			c.beginDeep()
		}
		r := c.results[next].Load()
		if r == nil {
			return
		}
		c.next.Store(int64(next + 1))
		switch {
		case r.failure != "", r.carried:
		case r.job.deep:
			c.mergeDeep(r)
		default:
			c.stores[r.job.kind].merge(r)
		}
	}
}

// beginDeep notes the case ids the samples name, and which of them a file
// of the report's months gave, once every 案件 and 抽查明细 file but the
// deep ones is merged, and lets the deep files be read; c.mu is held (or c
// is new).
func (c *collector) beginDeep() {
	var cases *merged[report.Case]
	var samples *merged[report.Sample]
	for _, s := range c.stores {
		switch s := s.(type) {
		case *store[report.Case]:
			cases = &s.merged
		case *store[report.Sample]:
			samples = &s.merged
		}
	}
	sampled, _ := samples.numberNames()
	sampled.seal()
	c.sampled, c.givenLater = sampled, make([]bool, len(sampled.ids))
	if cases.latest != nil {
		findAll(cases.latest, cases.rows, cases.key, sampled.ids, c.givenLater)
	}
	mayKeep := 0
	for _, given := range c.givenLater {
		if !given {
			mayKeep++
		}
	}
	cases.reserveDeep(mayKeep)
	close(c.deepReady)
}

// keepsDeep says whether to keep a deep file's case (see mergeDeep), once
// deepReady is closed, given its number among the case ids the samples
// name, if it is one (sampled): those are kept, unless a later folder gave
// them (then they are counted superseded in r). A case no sample names is
// not read at all, so not counted superseded either. It may be called on
// any goroutine.
func (c *collector) keepsDeep(r *fileResult, number int, sampled bool) bool {
	if !sampled {
		return false
	}
	if c.givenLater[number] {
		r.input.Superseded++
		return false
	}
	return true
}

// deepFilter is keepsDeep for a cache entry's cases, asked about in
// batches in the entry's memory (parsecache.Decoding.KeepCases).
func deepFilter(c *collector, r *fileResult) func(ids [][]byte, kept []bool) {
	var loaded uint64 // see membersOf
	return func(ids [][]byte, kept []bool) {
		var numbers [idBatch]int
		var sampled [idBatch]bool
		loaded += membersOf(c.sampled, ids, numbers[:], sampled[:])
		for i := range ids {
			kept[i] = c.keepsDeep(r, numbers[i], sampled[i])
		}
	}
}

// keepSampled drops from a 案件 export of an earlier year, parsed, the
// cases no rule reaches, on the worker that read it. Those cases are dated
// before anything the report counts, so a rule reaches them only through a
// sample that names them (its squad, a major case's file): those are kept,
// with strings of their own (ownCase), the others dropped, and so is a case
// that a later folder already gave (keepsDeep). Any other result is
// returned as it is; a cache entry's cases are filtered as they are
// decoded instead (readOpened).
func (c *collector) keepSampled(r *fileResult) *fileResult {
	recs, ok := r.records.(*records[report.Case])
	if !r.job.deep || r.failure != "" || !ok {
		return r
	}
	recs.n = 0
	for i, chunk := range recs.chunks {
		kept := chunk[:0]
		for j := range chunk {
			if number, sampled := memberOf(c.sampled, chunk[j].ID); c.keepsDeep(r, number, sampled) {
				kept = append(kept, chunk[j])
				ownCase(&kept[len(kept)-1])
			}
		}
		clear(chunk[len(kept):]) // the pool keeps the chunk, not the cases dropped
		recs.chunks[i] = kept
		recs.n += len(kept)
	}
	return r
}

// mergeDeep merges a 案件 export of an earlier year, its cases those a
// rule reaches (keepSampled). Every other file has been merged by now
// (plan puts these last).
func (c *collector) mergeDeep(r *fileResult) {
	cases := c.stores[r.job.kind].(*store[report.Case])
	recs, ok := r.records.(*records[report.Case])
	if !ok { // a file that failed gave none
		recs = &records[report.Case]{}
	}
	cases.merged.addDeep(r, recs)
}

// ownCase gives a kept case of an earlier year strings of its own. Its
// file keeps a few of its cases, whose strings are slices of memory the
// file's other rows shared (a sheet's shared strings or text blocks; a
// cache entry's cases are copied as they are decoded): held by those few,
// all of it would stay alive, file after file of the years before.
func ownCase(c *report.Case) {
	c.ID, c.Squad, c.Cause, c.Status = strings.Clone(c.ID), strings.Clone(c.Squad), strings.Clone(c.Cause), strings.Clone(c.Status)
	if c.Abnormal != nil {
		abnormal := make([]string, len(c.Abnormal))
		for i, a := range c.Abnormal {
			abnormal[i] = strings.Clone(a)
		}
		c.Abnormal = abnormal
	}
}

// merged is one dataset's records in job order, the files they came from,
// and, by id, the latest occurrence of each.
type merged[T any] struct {
	key        func(*T) string
	keyLate    bool // index in finish, not as files are added (after resolve)
	expected   int  // files of the dataset, to size the records
	resumed    bool // carried from an earlier Read: more months are to come
	rows       []T
	files      []*fileResult
	starts     []int    // index in rows of each file's first record
	latest     *idIndex // of the rows before the earlier years'
	superseded []int32  // rows of an id that comes again later
	deepLatest *idIndex // of the earlier years' rows (addDeep)

	// With names (see descriptor), the ids the rows name, numbered once
	// (numberNames) for what needs them first: the earlier years' cases
	// are filtered by the samples' (beginDeep), and the samples resolved
	// by them (resolveSamples).
	names  func(*T) string
	named  *idSet
	nameOf []int32

	conflict func(superseded, latest *T) string // see descriptor
}

func (m *merged[T]) add(r *fileResult, recs *records[T]) {
	m.files = append(m.files, r)
	m.starts = append(m.starts, len(m.rows))
	m.grow(recs.n)
	start := len(m.rows)
	for _, chunk := range recs.chunks {
		m.rows = append(m.rows, chunk...)
	}
	recs.release()
	if !m.keyLate {
		m.index(start)
	}
}

// numberNames numbers the ids the rows name (names), once every file of
// the dataset is added: named holds them, nameOf, of each row, its id's
// number. beginDeep numbers them when there are earlier years' cases, and
// resolveSamples reuses that: no row comes in between (deepAfter). One
// that did would be missing from the earlier years' filter already, so it
// stops the run rather than be numbered quietly.
func (m *merged[T]) numberNames() (named *idSet, nameOf []int32) {
	if m.named != nil {
		if len(m.nameOf) != len(m.rows) {
			panic("numberNames: rows added after their names were numbered")
		}
		return m.named, m.nameOf
	}
	m.named = newIDSet(len(m.rows) / 4) // grown as it must: rows often name an id again
	m.nameOf = make([]int32, len(m.rows))
	for i := range m.rows {
		n, _ := m.named.add(m.names(&m.rows[i]))
		m.nameOf[i] = int32(n)
	}
	return m.named, m.nameOf
}

// addDeep adds the records of a file merged after files of later folders
// (mergeDeep); among these files too, the latest occurrence of an id wins.
func (m *merged[T]) addDeep(r *fileResult, recs *records[T]) {
	m.files = append(m.files, r)
	m.starts = append(m.starts, len(m.rows))
	m.grow(recs.n)
	for _, chunk := range recs.chunks {
		for i := range chunk {
			m.rows = append(m.rows, chunk[i])
			at := int32(len(m.rows) - 1)
			if prev, seen := set(m.deepLatest, m.rows, m.key, m.key(&chunk[i]), at); seen {
				m.superseded = append(m.superseded, prev)
			}
		}
	}
	recs.release()
}

// reserveDeep makes room for the n records the earlier years' files may
// keep (addDeep), as many as the ids that samples name and no file of the
// report's months gave: five years of history with ids of their own keep
// half a million of them, and growing a million records by a quarter at a
// time copied them twice over.
// The room is on top of what the report's months are expected to need
// (grow's guess, which the months ahead of a run of many periods count
// in), not a part of it: n has nothing to do with their number of files.
func (m *merged[T]) reserveDeep(n int) {
	if need := len(m.rows) + n; need > cap(m.rows) {
		m.resize(max(need, m.expectedRows(len(m.rows))+n))
	}
	m.deepLatest = newIDIndex(n)
}

// grow makes room for n more records, guessing the dataset's size from the
// files so far: growing by copying a million records is what this avoids.
func (m *merged[T]) grow(n int) {
	need := len(m.rows) + n
	if need <= cap(m.rows) {
		return
	}
	guess := m.expectedRows(need)
	if m.resumed { // room for the months after this one: copied once, not each month
		guess = max(guess, 2*cap(m.rows))
	}
	m.resize(max(need, guess, cap(m.rows)*5/4))
}

// expectedRows is how many records the dataset's expected files may give,
// n of them from the files so far.
func (m *merged[T]) expectedRows(n int) int {
	return n / max(len(m.files), 1) * max(m.expected, len(m.files)) * 9 / 8
}

// resize moves the records into room for size of them.
func (m *merged[T]) resize(size int) {
	rows := make([]T, len(m.rows), size)
	hugepages.Advise(rows)
	copy(rows, m.rows)
	m.rows = rows
	if m.latest == nil && !m.keyLate {
		m.latest = newIDIndex(cap(rows))
	}
}

// index indexes the rows from start on.
func (m *merged[T]) index(start int) {
	if m.latest == nil {
		m.latest = newIDIndex(len(m.rows))
	}
	m.superseded = setRows(m.latest, m.rows, m.key, start, m.superseded)
}

// finish drops the superseded records, counting them in the files they
// came from, and returns the dataset. With carry, the index of ids and
// the files' starts are kept, moved to the rows' new places, for the next
// Read of the run (Carry): the records returned are then its to reuse.
func (m *merged[T]) finish(carry bool) []T {
	if m.keyLate {
		m.index(0)
	}
	if m.conflict != nil {
		m.warnConflicts()
	}
	m.deepLatest = nil
	if !carry {
		m.latest = nil
	}
	slices.Sort(m.superseded)
	kept, from := 0, 0
	for _, s := range m.superseded {
		kept += copy(m.rows[kept:], m.rows[from:s])
		from = int(s) + 1
		m.files[m.fileOf(s)].input.Superseded++
	}
	kept += copy(m.rows[kept:], m.rows[from:])
	clear(m.rows[kept:])
	m.rows = m.rows[:kept]
	if carry {
		m.moved()
	}
	m.superseded = m.superseded[:0]
	if kept == 0 {
		return []T{}
	}
	return m.rows
}

// warnConflicts warns, in its file, of each superseded record that the
// latest of its id is not the same record exported again (conflict). The
// records are those of the report's months: a dataset with a conflict
// has no earlier years' records (addDeep), which another index holds.
func (m *merged[T]) warnConflicts() {
	for _, s := range m.superseded {
		latest, ok := find(m.latest, m.rows, m.key, m.key(&m.rows[s]))
		if !ok {
			continue
		}
		if msg := m.conflict(&m.rows[s], &m.rows[latest]); msg != "" {
			m.files[m.fileOf(s)].warn(report.WarnReusedID, msg)
		}
	}
}

// fileOf is the index in files of the file row came from.
func (m *merged[T]) fileOf(row int32) int {
	return sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > int(row) }) - 1
}

// moved points the index and the files' starts at the rows' places once
// the superseded rows are dropped: each moves back by the number dropped
// before it. The index holds no superseded row: a later occurrence took
// its slot.
func (m *merged[T]) moved() {
	before := droppedBefore(m.superseded, len(m.rows)+len(m.superseded))
	for f, start := range m.starts {
		m.starts[f] = start - int(before(int32(start)))
	}
	if m.latest != nil { // nil when no file gave a record
		m.latest.renumber(func(row int32) int32 { return row - before(row) })
	}
}

// droppedBefore returns how many of the rows dropped (sorted, each once,
// of n rows) come before a row, for a row up to n: a bit a row and a count
// every 64, so that each of the index's million slots costs a word or two
// where a binary search of the dropped rows cost 0.26 s of a year of
// bulletins.
func droppedBefore(dropped []int32, n int) func(row int32) int32 {
	words := make([]uint64, n/64+1)
	for _, row := range dropped {
		words[row/64] |= 1 << (row % 64)
	}
	counts := make([]int32, len(words)) // of the dropped rows before each word's
	total := int32(0)
	for i, w := range words {
		counts[i] = total
		total += int32(bits.OnesCount64(w))
	}
	return func(row int32) int32 {
		w := row / 64
		return counts[w] + int32(bits.OnesCount64(words[w]&(1<<(row%64)-1)))
	}
}

// resume makes the records finished by an earlier Read (finish with
// carry) the start of this one's, of which the files of the dataset are
// expected: the earlier years' cases (addDeep) are dropped, to be read
// again against this Read's samples.
func (m *merged[T]) resume(expected int) {
	deep := slices.IndexFunc(m.files, isDeep)
	if deep >= 0 {
		clear(m.rows[m.starts[deep]:])
		m.rows, m.files, m.starts = m.rows[:m.starts[deep]], m.files[:deep], m.starts[:deep]
	}
	m.expected, m.resumed = expected, true
}

func isDeep(r *fileResult) bool { return r.job.deep }
