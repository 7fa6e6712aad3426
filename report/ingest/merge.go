package ingest

import (
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"bulletin/report"
)

// collector merges the files' records into the datasets in job order
// while later files are still being read: a file's records move into its
// dataset (and its per-file chunks are freed) as soon as every file before
// it is done. Ids are indexed as records arrive, so that what is left once
// the last file is read is to drop the superseded ones.
type collector struct {
	results []atomic.Pointer[fileResult]
	mu      sync.Mutex      // held while merging
	next    int             // the first result not merged yet
	stores  []datasetStore  // by dataset, as datasets
	sampled map[string]bool // the case ids samples name, once the deep files begin
}

func newCollector(jobs []fileJob) *collector {
	c := &collector{results: make([]atomic.Pointer[fileResult], len(jobs))}
	files := make([]int, len(datasets))
	for _, j := range jobs {
		if !j.deep { // they add a few rows: the dataset is sized without them
			files[j.kind]++
		}
	}
	for i, d := range datasets {
		c.stores = append(c.stores, d.newStore(files[i]))
	}
	return c
}

// done records the result of job i and merges what can be merged, unless
// another worker is merging (it, or the final drain, merges this one).
func (c *collector) done(i int, r *fileResult) {
	c.results[i].Store(r)
	if c.mu.TryLock() {
		c.drain()
		c.mu.Unlock()
	}
}

// drain merges the results in order up to the first one not yet read;
// c.mu is held.
func (c *collector) drain() {
	for ; c.next < len(c.results); c.next++ {
		r := c.results[c.next].Load()
		if r == nil {
			return
		}
		switch {
		case r.failure != "":
		case r.job.deep:
			c.mergeDeep(r)
		default:
			c.stores[r.job.kind].merge(r)
		}
	}
}

// mergeDeep merges a 案件 export of an earlier year. Its cases are dated
// before anything the report counts, so a rule reaches them only through a
// sample that names them (its squad, a major case's file): those are kept,
// the others dropped, and so is a case that a later folder already gave.
// Every other file has been merged by now (plan puts these last).
func (c *collector) mergeDeep(r *fileResult) {
	if c.sampled == nil {
		c.sampled = map[string]bool{}
		for _, s := range c.stores {
			if samples, ok := s.(*store[report.Sample]); ok {
				for i := range samples.merged.rows {
					c.sampled[samples.merged.rows[i].CaseID] = true
				}
			}
		}
	}
	cases := c.stores[r.job.kind].(*store[report.Case])
	recs, _ := r.records.(*records[report.Case])
	if recs == nil {
		recs = &records[report.Case]{}
	}
	cases.merged.addDeep(r, recs, func(cs *report.Case) bool { return c.sampled[cs.ID] })
}

// merged is one dataset's records in job order, the files they came from,
// and, by id, the latest occurrence of each.
type merged[T any] struct {
	key        func(*T) string
	keyLate    bool // index in finish, not as files are added (after resolve)
	expected   int  // files of the dataset, to size the records
	rows       []T
	files      []*fileResult
	starts     []int // index in rows of each file's first record
	latest     map[string]int32
	superseded []int32 // rows of an id that comes again later
	deep       bool    // addDeep has begun: rows from deepStart on are earlier years'
	deepStart  int
}

func (m *merged[T]) add(r *fileResult, recs *records[T]) {
	m.files = append(m.files, r)
	m.starts = append(m.starts, len(m.rows))
	m.grow(recs.n)
	for _, chunk := range recs.chunks {
		if !m.keyLate {
			m.index(chunk, len(m.rows))
		}
		m.rows = append(m.rows, chunk...)
	}
	recs.release()
}

// addDeep adds the records of a file merged after files of later folders
// (mergeDeep): a record whose id those gave is superseded at once, one
// that keep refuses is left out, the others are added as by add.
func (m *merged[T]) addDeep(r *fileResult, recs *records[T], keep func(*T) bool) {
	if !m.deep {
		m.deep, m.deepStart = true, len(m.rows)
	}
	newer := func(rec *T) bool {
		at, seen := m.latest[m.key(rec)]
		return seen && int(at) < m.deepStart
	}
	n := 0
	for _, chunk := range recs.chunks {
		for i := range chunk {
			if !newer(&chunk[i]) && keep(&chunk[i]) {
				n++
			}
		}
	}
	m.files = append(m.files, r)
	m.starts = append(m.starts, len(m.rows))
	m.grow(n)
	for _, chunk := range recs.chunks {
		for i := range chunk {
			switch rec := &chunk[i]; {
			case newer(rec):
				r.input.Superseded++
			case keep(rec):
				m.index(chunk[i:i+1], len(m.rows))
				m.rows = append(m.rows, *rec)
			}
		}
	}
	recs.release()
}

// grow makes room for n more records, guessing the dataset's size from the
// files so far: growing by copying a million records is what this avoids.
func (m *merged[T]) grow(n int) {
	need := len(m.rows) + n
	if need <= cap(m.rows) {
		return
	}
	guess := need / len(m.files) * max(m.expected, len(m.files)) * 9 / 8
	rows := make([]T, len(m.rows), max(need, guess, cap(m.rows)*5/4))
	copy(rows, m.rows)
	m.rows = rows
	if m.latest == nil && !m.keyLate {
		m.latest = make(map[string]int32, cap(rows))
	}
}

func (m *merged[T]) index(rows []T, at int) {
	if m.latest == nil {
		m.latest = make(map[string]int32, len(rows))
	}
	for i := range rows {
		k := m.key(&rows[i])
		if prev, seen := m.latest[k]; seen {
			m.superseded = append(m.superseded, prev)
		}
		m.latest[k] = int32(at + i)
	}
}

// finish drops the superseded records, counting them in the files they
// came from, and returns the dataset.
func (m *merged[T]) finish() []T {
	if m.keyLate {
		m.index(m.rows, 0)
	}
	m.latest = nil
	slices.Sort(m.superseded)
	kept, from := 0, 0
	for _, s := range m.superseded {
		kept += copy(m.rows[kept:], m.rows[from:s])
		from = int(s) + 1
		f := sort.Search(len(m.starts), func(i int) bool { return m.starts[i] > int(s) }) - 1
		m.files[f].input.Superseded++
	}
	kept += copy(m.rows[kept:], m.rows[from:])
	clear(m.rows[kept:])
	if kept == 0 {
		return []T{}
	}
	return m.rows[:kept]
}
