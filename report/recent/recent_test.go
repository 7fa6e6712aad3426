package recent

import (
	"strconv"
	"strings"
	"testing"
)

// A memo answers for a string only what was put for an equal one: never
// for another text in the same slot, nor for a prefix that shares its
// address, nor for the empty string; and it finds again the very string
// it was given, the slot's other strings put after it aside.
func TestMemoAnswersOnlyForEqualText(t *testing.T) {
	m := New[int](2) // four slots: every slot is shared
	backing := strings.Repeat("静安", 8)
	texts := []string{"", backing[:3], backing[:6], backing}
	for i := range 64 {
		texts = append(texts, strconv.Itoa(i), strings.Clone(strconv.Itoa(i%7)))
	}
	for i, s := range texts {
		m.Put(s, i)
		if v, ok := m.Get(s); ok != (s != "") || ok && texts[v] != s {
			t.Fatalf("Get(%q) just after Put = %d, %v", s, v, ok)
		}
		for _, other := range texts {
			if v, ok := m.Get(other); ok && texts[v] != other {
				t.Fatalf("after Put(%q): Get(%q) = the value of %q", s, other, texts[v])
			}
		}
	}
}
