package xlsx

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// digitsAt reads the same number and stops at the same byte as reading
// one digit at a time does, for every count of digits with any byte after
// them (every byte value, the word's carries and borrows included), at the
// end of the buffer or not.
func TestDigitsAtReadsAsByteByByte(t *testing.T) {
	byteByByte := func(b []byte, i int) (n, end int) {
		for end = i; end < len(b) && end-i < 9 && b[end]-'0' < 10; end++ {
			n = n*10 + int(b[end]-'0')
		}
		return n, end
	}
	check := func(b []byte, i int) {
		t.Helper()
		n, end := digitsAt(b, i)
		if wn, wend := byteByByte(b, i); n != wn || end != wend {
			t.Fatalf("digitsAt(%q, %d) = %d, %d; want %d, %d", b, i, n, end, wn, wend)
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for digits := 0; digits <= 11; digits++ {
		for range 300 {
			number := make([]byte, digits)
			for k := range number {
				number[k] = '0' + byte(rng.UintN(10))
			}
			for after := range 256 {
				b := append([]byte("r=\""), number...)
				b = append(b, byte(after))
				for range rng.UintN(10) {
					b = append(b, byte(rng.UintN(256)))
				}
				check(b, 3)
				check(b[:3+digits], 3) // the buffer ends with the digits
			}
		}
	}
	for n := range 100000 {
		check([]byte(strconv.Itoa(n)+`"><c`), 0)
	}
}
