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
