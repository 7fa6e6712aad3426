package xlsx

import (
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

// The strings textBlocks makes stay what they were made from while later
// ones fill the block and start new ones, and share a block (one
// allocation for many cells) until it is full.
func TestTextBlocksKeepEveryString(t *testing.T) {
	var blocks textBlocks
	var made, want []string
	for i := range 20000 {
		value := fmt.Sprintf("%d-静安-%s", i, strings.Repeat("x", i%50))
		switch i % 997 {
		case 0:
			value = strings.Repeat("x", textBlockSize/8) // the longest a block takes
		case 1:
			value = strings.Repeat("x", textBlockSize/8+1) // its own string
		}
		made = append(made, blocks.str([]byte(value)))
		want = append(want, value)
	}
	for i := range made {
		if made[i] != want[i] {
			t.Fatalf("string %d is %q, made from %q", i, made[i], want[i])
		}
	}
	if end := unsafe.Add(unsafe.Pointer(unsafe.StringData(made[3])), len(made[3])); unsafe.Pointer(unsafe.StringData(made[4])) != end {
		t.Error("two short strings made one after the other are not in one block")
	}
}

// The intern cache's slots are hashBytes modulo 64: values that differ in
// any one byte, wherever it is in its eight-byte word, spread over them
// (a date's month is its sixth and seventh bytes).
func TestHashBytesSpreadsEveryByte(t *testing.T) {
	for _, form := range []string{"2025-%02d-03", "2025/%d/3 8:30", "%d号", "静安区城管执法局%03d中队"} {
		slots := map[uint]bool{}
		for i := 1; i <= 12; i++ {
			slots[hashBytes([]byte(fmt.Sprintf(form, i)))%64] = true
		}
		if len(slots) < 8 {
			t.Errorf("%q: twelve values in %d slots of 64", form, len(slots))
		}
	}
}
