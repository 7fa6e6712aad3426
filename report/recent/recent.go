// Package recent remembers a value for each of a few strings met lately,
// each in a slot chosen by where the string's bytes are. A reader makes
// each repeated value of an export once per file (a squad, a type, 是),
// so the same string comes again and again: its slot is found without
// reading its text, and confirming it is one comparison of pointers.
package recent

import "unsafe"

// Memo holds 2^bits slots, each the value of the last string put there.
type Memo[V any] struct {
	slots []slot[V]
	shift uint
}

type slot[V any] struct {
	s string
	v V
}

// New is a memo of 2^bits slots.
func New[V any](bits int) *Memo[V] {
	return &Memo[V]{slots: make([]slot[V], 1<<bits), shift: uint(64 - bits)}
}

// Get returns the value put for a string equal to s, if its slot still
// holds it. The address only chooses the slot: an equal string elsewhere
// finds the value when it shares the slot, and an empty string never does.
func (m *Memo[V]) Get(s string) (V, bool) {
	if sl := m.slot(s); sl.s == s && s != "" {
		return sl.v, true
	}
	var none V
	return none, false
}

// Put remembers v for s, in place of what its slot held.
func (m *Memo[V]) Put(s string, v V) { *m.slot(s) = slot[V]{s, v} }

func (m *Memo[V]) slot(s string) *slot[V] {
	p := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s))))
	return &m.slots[(p*0x9E3779B97F4A7C15)>>m.shift] // Fibonacci hashing
}
