package ingest

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"testing"
)

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

// setRows sets rows as set does one by one: ids repeated within a batch
// and across batches, with the table growing between them, from a start
// past rows already indexed.
func TestSetRowsIsSetInOrder(t *testing.T) {
	var rows []string
	for i := range 1000 {
		rows = append(rows, fmt.Sprint(i*i%337)) // repeats near and far
	}
	key := func(s *string) string { return *s }
	one := newIDIndex(0)
	var want []int32
	for at := range rows {
		if prev, seen := set(one, rows, key, rows[at], int32(at)); seen {
			want = append(want, prev)
		}
	}
	batched := newIDIndex(0)
	got := setRows(batched, rows[:5], key, 0, nil)
	got = setRows(batched, rows, key, 5, got)
	if !slices.Equal(got, want) {
		t.Fatalf("superseded %v, want %v", got, want)
	}
	for _, id := range rows {
		a, _ := find(one, rows, key, id)
		b, _ := find(batched, rows, key, id)
		if a != b {
			t.Fatalf("%s at %d, want %d", id, b, a)
		}
	}
}

// An id set numbers each member in the order added, once, and answers
// with that number for it, as a string and as bytes; and for no other id,
// of which the filter rules out most before the table is asked.
func TestIDSetAnswersForItsMembersOnly(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 100_000} {
		s := newIDSet(n / 8) // grown as ids come
		for i := range n {
			id := fmt.Sprintf("AJ%08d", i)
			if got, added := s.add(id); got != i || !added {
				t.Fatalf("%d ids: %s added as %d, %v", n, id, got, added)
			}
			if got, added := s.add(id); got != i || added {
				t.Fatalf("%d ids: %s added again as %d, %v", n, id, got, added)
			}
		}
		s.seal()
		var ids []string
		for i := range n {
			ids = append(ids, fmt.Sprintf("AJ%08d", i))
		}
		numbers, members := membersInBatches(s, ids)
		for i, id := range ids {
			if got, ok := memberOf(s, id); got != i || !ok || numbers[i] != i || !members[i] {
				t.Fatalf("%d ids: %s is %d %v, as bytes in a batch %d %v", n, id, got, ok, numbers[i], members[i])
			}
		}
		passed := 0
		for i := range 10_000 {
			other := fmt.Sprintf("XX%08d", i)
			if _, ok := memberOf(s, other); ok {
				t.Fatalf("%d ids: %s, no member, answered as one", n, other)
			}
			if h := maphash.String(s.seed, other) & s.mask; s.bits[h/64]&(1<<(h%64)) != 0 {
				passed++
			}
		}
		if passed > 1000 { // 21 to 43 bits an id: 2–5% pass, never 10%
			t.Errorf("%d ids: the filter let %d of 10000 others through", n, passed)
		}
	}
	// Members of any length, the empty id and ids that begin others among
	// them, each its own; and none of the ids they begin or end.
	s := newIDSet(0)
	varied := []string{"A", "", "AB", "ABC", "案件", "案件1", "B"}
	for i, id := range varied {
		s.add(id)
		if got, added := s.add(id); got != i || added {
			t.Fatalf("%q added again as %d, %v", id, got, added)
		}
	}
	s.seal()
	others := []string{"AC", "BC", "案", "ABCD", "件1", " "}
	numbers, members := membersInBatches(s, slices.Concat(varied, others))
	for i, id := range varied {
		if got, ok := memberOf(s, id); got != i || !ok || numbers[i] != i || !members[i] {
			t.Errorf("%q is %d %v, in a batch %d %v; want %d", id, got, ok, numbers[i], members[i], i)
		}
	}
	for i, other := range others {
		if _, ok := memberOf(s, other); ok || members[len(varied)+i] {
			t.Errorf("%q, no member, answered as one", other)
		}
	}
	// A member added once sealed would be missing from the filter.
	defer func() {
		if recover() == nil {
			t.Error("an id was added to a sealed set")
		}
	}()
	s = newIDSet(0)
	s.seal()
	s.add("AJ1")
}

// membersInBatches asks membersOf about ids, as bytes, in batches of every
// size up to idBatch.
func membersInBatches(s *idSet, ids []string) (numbers []int, members []bool) {
	numbers, members = make([]int, len(ids)), make([]bool, len(ids))
	for from, size := 0, 1; from < len(ids); from, size = from+size, size%idBatch+1 {
		to := min(from+size, len(ids))
		var batch [][]byte
		for _, id := range ids[from:to] {
			batch = append(batch, []byte(id))
		}
		membersOf(s, batch, numbers[from:to], members[from:to])
	}
	return numbers, members
}

// findAll finds in batches what find finds one by one: the latest row of
// ids given again, and no row for ids never given, in a table that grew.
func TestFindAllIsFind(t *testing.T) {
	var rows []string
	for i := range 1000 {
		rows = append(rows, fmt.Sprint(i*i%337))
	}
	key := func(s *string) string { return *s }
	ix := newIDIndex(0)
	setRows(ix, rows, key, 0, nil)
	var ids []string
	for i := range 405 { // 25 batches and a part of one
		ids = append(ids, fmt.Sprint(i)) // some squares mod 337, some not, 337..404 never
	}
	found := make([]bool, len(ids))
	findAll(ix, rows, key, ids, found)
	some := 0
	for i, id := range ids {
		if _, want := find(ix, rows, key, id); found[i] != want {
			t.Errorf("%s found %v, want %v", id, found[i], want)
		}
		if found[i] {
			some++
		}
	}
	if some == 0 || some == len(ids) {
		t.Errorf("%d of %d found: the test asks about no ids of one kind", some, len(ids))
	}

	// An empty slot has tag 0, as has a hash whose top half is 0: it must
	// not be taken for a row's (the row before the first).
	low := &idIndex{hash: func(string) uint64 { return 3 }, slots: make([]uint64, tableSize(0))}
	findAll(low, rows[:0], key, []string{"A"}, found[:1])
	if found[0] {
		t.Error("an id found in an empty table")
	}
}

// BenchmarkIndexRows indexes a city's year of complaint ids, each new, in
// a table sized for them, as merging a dataset does.
func BenchmarkIndexRows(b *testing.B) {
	type row struct {
		id string
		_  [96]byte // the rest of a complaint: ids lie a record apart
	}
	rows := make([]row, 1_000_000)
	for i := range rows {
		rows[i].id = fmt.Sprintf("TS2025%02d%08d", i%12+1, i)
	}
	key := func(r *row) string { return r.id }
	ix := newIDIndex(len(rows))
	for b.Loop() {
		clear(ix.slots) // the same memory each time: the probes measured, not first touches
		ix.used = 0
		if superseded := setRows(ix, rows, key, 0, nil); len(superseded) != 0 {
			b.Fatal(superseded)
		}
	}
}

// droppedBefore counts, for every row up to n, the dropped rows before it,
// across word boundaries, with none dropped and every one dropped.
func TestDroppedBeforeCountsTheRowsBefore(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 63, 64, 65, 1000} {
		for _, share := range []float64{0, 0.3, 1} {
			var dropped []int32
			for row := range int32(n) {
				if rng.Float64() < share {
					dropped = append(dropped, row)
				}
			}
			before := droppedBefore(dropped, n)
			for row := range int32(n + 1) {
				want, _ := slices.BinarySearch(dropped, row)
				if got := before(row); got != int32(want) {
					t.Fatalf("n %d, share %v: %d dropped before row %d, want %d", n, share, got, row, want)
				}
			}
		}
	}
}
