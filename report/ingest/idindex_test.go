package ingest

import "testing"

// Ids whose hashes collide are told apart, whichever comes first, and the
// latest row of each is found.
func TestIDIndexTellsCollidingIDsApart(t *testing.T) {
	for _, hash := range []func(string) uint64{
		func(string) uint64 { return 7 }, // every id collides
		newIDIndex(0).hash,
	} {
		ix := &idIndex{hash: hash, byHash: map[uint64]int32{}}
		var rows []string
		key := func(s *string) string { return *s }
		add := func(id string) (int32, bool) {
			rows = append(rows, id)
			return set(ix, rows, key, id, int32(len(rows)-1))
		}
		for i, step := range []struct {
			id       string
			prev     int32
			replaced bool
		}{{"A", 0, false}, {"B", 0, false}, {"A", 0, true}, {"B", 1, true}, {"C", 0, false}, {"B", 3, true}} {
			if prev, replaced := add(step.id); prev != step.prev || replaced != step.replaced {
				t.Errorf("step %d (%s): replaced row %d, %v; want %d, %v", i, step.id, prev, replaced, step.prev, step.replaced)
			}
		}
		for id, want := range map[string]int32{"A": 2, "B": 5, "C": 4} {
			if at, ok := find(ix, rows, key, id); !ok || at != want {
				t.Errorf("%s found at %d, %v; want %d", id, at, ok, want)
			}
		}
		if _, ok := find(ix, rows, key, "D"); ok {
			t.Error("an id never added was found")
		}
	}
}
