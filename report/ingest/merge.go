package ingest

import (
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// collector merges the files' records into the datasets in job order
// while later files are still being read: a file's records move into its
// dataset (and its per-file chunks are freed) as soon as every file before
// it is done. Ids are indexed as records arrive, so that what is left once
// the last file is read is to drop the superseded ones.
type collector struct {
	results []atomic.Pointer[fileResult]
	mu      sync.Mutex     // held while merging
	next    int            // the first result not merged yet
	stores  []datasetStore // by dataset, as datasets
}

func newCollector(jobs []fileJob) *collector {
	c := &collector{results: make([]atomic.Pointer[fileResult], len(jobs))}
	files := make([]int, len(datasets))
	for _, j := range jobs {
		files[j.kind]++
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
		if r.failure == "" {
			c.stores[r.job.kind].merge(r)
		}
	}
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
