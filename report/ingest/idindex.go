package ingest

import (
	"hash/maphash"
	"unsafe"

	"bulletin/report/hugepages"
	"bulletin/report/parsecache"
)

// idIndex finds the row of each id among the rows of a merged dataset. It
// is a table of row numbers, probed by a hash of the id (open addressing)
// and confirmed against the row's id, so that it takes 8 bytes a slot and
// holds no pointers for the collector to scan: a city's year has a million
// complaint ids, and a map of strings took five times the memory.
type idIndex struct {
	hash  func(id string) uint64
	slots []uint64 // 0: empty; else the hash's top 32 bits, then row+1
	used  int
	// loaded keeps the early loads of setRows and findAll from being
	// optimized away; its value means nothing.
	loaded uint64
}

func newIDIndex(size int) *idIndex { return seededIDIndex(maphash.MakeSeed(), size) }

// seededIDIndex is newIDIndex hashing with seed.
func seededIDIndex(seed maphash.Seed, size int) *idIndex {
	ix := &idIndex{hash: func(id string) uint64 { return maphash.String(seed, id) }}
	ix.slots = make([]uint64, tableSize(size))
	hugepages.Advise(ix.slots)
	return ix
}

// tableSize is the power of two that holds n ids at most three quarters full.
func tableSize(n int) int {
	size := 8
	for size*3/4 < n {
		size *= 2
	}
	return size
}

// slot returns where id, whose hash is h, is, or the empty slot where it
// would go.
func slot[T any](ix *idIndex, rows []T, key func(*T) string, id string, h uint64) (i int, found bool) {
	tag := h >> 32
	mask := len(ix.slots) - 1
	for i = int(h) & mask; ; i = (i + 1) & mask {
		s := ix.slots[i]
		if s == 0 {
			return i, false
		}
		if s>>32 == tag && key(&rows[uint32(s)-1]) == id {
			return i, true
		}
	}
}

// rowAt is the row that slot i, not empty, holds.
func (ix *idIndex) rowAt(i int) int32 { return int32(uint32(ix.slots[i]) - 1) }

// find returns the row of id; rows and key are the rows indexed so far and
// the id of a row.
func find[T any](ix *idIndex, rows []T, key func(*T) string, id string) (int32, bool) {
	i, found := slot(ix, rows, key, id, ix.hash(id))
	if !found {
		return 0, false
	}
	return ix.rowAt(i), true
}

// set makes row at the row of id, returning the one it was, if any.
func set[T any](ix *idIndex, rows []T, key func(*T) string, id string, at int32) (prev int32, seen bool) {
	return setHashed(ix, rows, key, id, ix.hash(id), at)
}

// setRows sets each row from start on at its id, in order, and appends the
// rows they replace to superseded. It hashes a batch of rows and loads
// their slots before setting them: a city's table is tens of megabytes,
// each probe a cache miss, and misses issued together overlap instead of
// waiting one after the other.
func setRows[T any](ix *idIndex, rows []T, key func(*T) string, start int, superseded []int32) []int32 {
	var hashes [idBatch]uint64
	var keys [idBatch]string // a key may be built (the weekly reports'): once a row
	for from := start; from < len(rows); from += idBatch {
		n := min(idBatch, len(rows)-from)
		mask := len(ix.slots) - 1
		for i := range n {
			keys[i] = key(&rows[from+i])
			hashes[i] = ix.hash(keys[i])
		}
		var loaded uint64 // in a loop of their own, the loads are in flight together
		for _, h := range hashes[:n] {
			loaded += ix.slots[int(h)&mask]
		}
		ix.loaded = loaded
		for i := range n {
			at := from + i
			if prev, seen := setHashed(ix, rows, key, keys[i], hashes[i], int32(at)); seen {
				superseded = append(superseded, prev)
			}
		}
	}
	return superseded
}

// setHashed is set for an id whose hash is h.
func setHashed[T any](ix *idIndex, rows []T, key func(*T) string, id string, h uint64, at int32) (prev int32, seen bool) {
	i, found := slot(ix, rows, key, id, h)
	if found {
		prev = ix.rowAt(i)
	} else if ix.used+1 > len(ix.slots)*3/4 {
		ix.grow(func(row uint32) string { return key(&rows[row]) })
		i, _ = slot(ix, rows, key, id, h)
	}
	if !found {
		ix.used++
	}
	ix.slots[i] = h>>32<<32 | uint64(uint32(at)+1)
	return prev, found
}

// grow doubles the table; idOf is the id of a row.
func (ix *idIndex) grow(idOf func(row uint32) string) {
	old := ix.slots
	ix.slots = make([]uint64, 2*len(old))
	hugepages.Advise(ix.slots)
	mask := len(ix.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(ix.hash(idOf(uint32(s)-1))) & mask
		for ix.slots[i] != 0 {
			i = (i + 1) & mask
		}
		ix.slots[i] = s
	}
}

// renumber moves every row the index holds to row(it): the rows were
// moved, their ids not changed.
func (ix *idIndex) renumber(row func(int32) int32) {
	for i, s := range ix.slots {
		if s != 0 {
			ix.slots[i] = s>>32<<32 | uint64(uint32(row(int32(uint32(s)-1)))+1)
		}
	}
}

// idSet numbers a set of ids (add) and answers whether an id is one of
// them (memberOf), for sets asked about by many more ids than they hold:
// the case ids the samples name, asked by every case of the earlier
// years' 案件 (millions over five years, most of them no sample's) and by
// every case of the report's. One hash of an id serves a filter that rules
// most non-members out, a bit per hash and 21 to 43 bits a member (a
// megabyte of cache for hundreds of thousands of members), and a table of
// the members (idIndex) that answers for the rest: a map of strings hashed
// each id again and probed groups sized for every sample row.
type idSet struct {
	seed  maphash.Seed
	bits  []uint64 // the filter, made by seal
	mask  uint64   // the number of bits, a power of two, less one
	index *idIndex // of ids
	ids   []string // the members, numbered in the order added
}

// newIDSet makes a set whose table starts with room for size ids.
func newIDSet(size int) *idSet {
	seed := maphash.MakeSeed()
	return &idSet{seed: seed, index: seededIDIndex(seed, size)}
}

func idOfString(s *string) string { return *s }

// add makes id a member, unless it is one, and returns its number. The
// set must not be sealed yet: the filter would not know the new member.
func (s *idSet) add(id string) (i int, added bool) {
	if s.bits != nil {
		panic("idSet.add after seal")
	}
	h := maphash.String(s.seed, id)
	if at, found := slot(s.index, s.ids, idOfString, id, h); found {
		return int(s.index.rowAt(at)), false
	}
	s.ids = append(s.ids, id)
	setHashed(s.index, s.ids, idOfString, id, h, int32(len(s.ids)-1))
	return len(s.ids) - 1, true
}

// seal makes the filter of the members, once they are all added. Sealed
// again, it does nothing: a set the earlier years' cases are filtered by
// (beginDeep) is still read by any read abandoned at its time limit when
// the samples are resolved with it.
func (s *idSet) seal() {
	if s.bits != nil {
		return
	}
	n := max(64, tableSize(16*len(s.ids)))
	s.bits, s.mask = make([]uint64, n/64), uint64(n-1)
	for _, id := range s.ids {
		i := maphash.String(s.seed, id) & s.mask
		s.bits[i/64] |= 1 << (i % 64)
	}
}

// mayHave reports whether the filter lets an id whose hash is h through.
func (s *idSet) mayHave(h uint64) bool {
	bit := h & s.mask
	return s.bits[bit/64]&(1<<(bit%64)) != 0
}

// memberOf returns the number of id in s, once sealed, if it is a member.
func memberOf(s *idSet, id string) (i int, ok bool) {
	return s.member(id, maphash.String(s.seed, id))
}

// member is memberOf for an id whose hash is h.
func (s *idSet) member(id string, h uint64) (i int, ok bool) {
	if !s.mayHave(h) {
		return 0, false
	}
	return s.lookUp(id, h)
}

// lookUp is member for an id the filter let through.
func (s *idSet) lookUp(id string, h uint64) (i int, ok bool) {
	at, found := slot(s.index, s.ids, idOfString, id, h)
	if !found {
		return 0, false
	}
	return int(s.index.rowAt(at)), true
}

// idBatch is how many ids setRows, membersOf and findAll look up together:
// a cache entry's decoder asks about that many cases at once.
const idBatch = parsecache.KeepBatch

// membersOf is memberOf for each of ids, at most idBatch of them, in their
// own memory (a cache entry's, compared in place): it answers in numbers
// and members. The ids the filter passes are looked up together, and
// loaded is for the caller to keep, as prefetch's.
func membersOf(s *idSet, ids [][]byte, numbers []int, members []bool) (loaded uint64) {
	var hashes, passed [idBatch]uint64
	var through [idBatch]bool // the filter let it through
	n := 0
	for i, id := range ids {
		hashes[i] = maphash.Bytes(s.seed, id)
		if through[i] = s.mayHave(hashes[i]); through[i] {
			passed[n] = hashes[i]
			n++
		}
	}
	loaded = prefetch(s.index, s.ids, idOfString, passed[:n])
	for i, id := range ids {
		numbers[i], members[i] = 0, false
		if through[i] {
			numbers[i], members[i] = s.lookUp(unsafe.String(unsafe.SliceData(id), len(id)), hashes[i]) // compared, not kept
		}
	}
	return loaded
}

// findAll is find for each of ids, in batches looked up together
// (prefetch): found[i] says whether ids[i] is a row's.
func findAll[T any](ix *idIndex, rows []T, key func(*T) string, ids []string, found []bool) {
	var hashes [idBatch]uint64
	for from := 0; from < len(ids); from += idBatch {
		batch := ids[from:min(from+idBatch, len(ids))]
		for i, id := range batch {
			hashes[i] = ix.hash(id)
		}
		ix.loaded += prefetch(ix, rows, key, hashes[:len(batch)])
		for i, id := range batch {
			_, found[from+i] = slot(ix, rows, key, id, hashes[i])
		}
	}
}

// prefetch loads what looking up the ids of hashes (at most idBatch) reads
// first: each one's slot and, where the slot's tag is the hash's, the row
// there and its id's text. In a table of megabytes each is a miss to
// memory, three in a row for an id found; issued for a batch of ids
// together, the misses overlap instead of waiting one after the other.
// (setRows loads the slots only: the ids it sets are mostly new, and this
// second pass made indexing a million new ids 5–10% slower in
// BenchmarkIndexRows.) It returns the sum of what it loaded, which means
// nothing: the caller keeps it where the compiler cannot drop it, and so
// the loads.
func prefetch[T any](ix *idIndex, rows []T, key func(*T) string, hashes []uint64) (loaded uint64) {
	var slots [idBatch]uint64
	mask := len(ix.slots) - 1
	for i, h := range hashes {
		slots[i] = ix.slots[int(h)&mask]
	}
	for i, s := range slots[:len(hashes)] {
		if s != 0 && s>>32 == hashes[i]>>32 {
			id := key(&rows[uint32(s)-1])
			loaded += uint64(len(id))
			if id != "" {
				loaded += uint64(id[0])
			}
		}
	}
	return loaded
}
