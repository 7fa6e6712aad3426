package ingest

import "testing"

// Ids whose hashes collide are told apart, whichever comes first, and the
// latest row of each is found, also after the table has grown.
func TestIDIndexTellsCollidingIDsApart(t *testing.T) {
	for _, hash := range []func(string) uint64{
		func(string) uint64 { return 7 }, // every id collides
		newIDIndex(0).hash,
	} {
		ix := &idIndex{hash: hash, slots: make([]uint64, tableSize(0))} // 8 slots: it grows
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
		}{{"A", 0, false}, {"B", 0, false}, {"A", 0, true}, {"B", 1, true}, {"C", 0, false}, {"B", 3, true},
			{"D", 0, false}, {"E", 0, false}, {"F", 0, false}, {"G", 0, false}, {"A", 2, true}} {
			if prev, replaced := add(step.id); prev != step.prev || replaced != step.replaced {
				t.Errorf("step %d (%s): replaced row %d, %v; want %d, %v", i, step.id, prev, replaced, step.prev, step.replaced)
			}
		}
		if len(ix.slots) != 16 {
			t.Errorf("%d slots for 7 ids", len(ix.slots))
		}
		for id, want := range map[string]int32{"A": 10, "B": 5, "C": 4, "G": 9} {
			if at, ok := find(ix, rows, key, id); !ok || at != want {
				t.Errorf("%s found at %d, %v; want %d", id, at, ok, want)
			}
		}
		if _, ok := find(ix, rows, key, "H"); ok {
			t.Error("an id never added was found")
		}
	}
}
