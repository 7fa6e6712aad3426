package ingest

import "hash/maphash"

// idIndex finds the row of each id among rows a merged dataset holds. It
// keys by a 64-bit hash of the id, not the id itself: a city's year has a
// million complaint ids, and a map of strings would take twice the memory
// and be scanned by the collector at every cycle. The row found is checked
// against the id; the rare id whose hash another id has is kept apart, by
// its text.
type idIndex struct {
	hash     func(id string) uint64
	byHash   map[uint64]int32
	collided map[string]int32
}

func newIDIndex(size int) *idIndex {
	seed := maphash.MakeSeed()
	return &idIndex{hash: func(id string) uint64 { return maphash.String(seed, id) }, byHash: make(map[uint64]int32, size)}
}

// find returns the row of id; rows and key are the rows indexed so far and
// the id of a row.
func find[T any](ix *idIndex, rows []T, key func(*T) string, id string) (int32, bool) {
	if at, ok := ix.collided[id]; ok {
		return at, true
	}
	at, ok := ix.byHash[ix.hash(id)]
	if !ok || key(&rows[at]) != id {
		return 0, false
	}
	return at, true
}

// set makes row at the row of id, returning the one it was, if any.
func set[T any](ix *idIndex, rows []T, key func(*T) string, id string, at int32) (prev int32, seen bool) {
	if prev, ok := ix.collided[id]; ok {
		ix.collided[id] = at
		return prev, true
	}
	h := ix.hash(id)
	prev, ok := ix.byHash[h]
	switch {
	case !ok:
		ix.byHash[h] = at
		return 0, false
	case key(&rows[prev]) == id:
		ix.byHash[h] = at
		return prev, true
	}
	if ix.collided == nil {
		ix.collided = map[string]int32{}
	}
	ix.collided[id] = at
	return 0, false
}
