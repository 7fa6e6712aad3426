package memohash

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// Every value lands on a slot in range, the same for its string and its
// bytes.
func TestSlotInRangeForStringsAndBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 80 {
		v := make([]byte, n)
		for i := range v {
			v[i] = byte(rng.UintN(256))
		}
		for _, b := range []uint{1, 6, 8, 16} {
			s, bs := Slot(string(v), b), Slot(v, b)
			if s != bs || s < 0 || s >= 1<<b {
				t.Fatalf("length %d, %d bits: slot %d of the string, %d of the bytes", n, b, s, bs)
			}
		}
	}
}

// The values a column repeats spread over the slots as random placing
// would, or better: a month's dates in each form the exports write, the
// serial day numbers of a year, a district's squads.
func TestSlotSpreadsAColumnsValues(t *testing.T) {
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var dashed, compact, serials []string
	for i := range 31 {
		d := day.AddDate(0, 11, i)
		dashed = append(dashed, d.Format("2006-01-02"))
		compact = append(compact, d.Format("2006/1/2 15:04"))
	}
	for i := range 365 {
		serials = append(serials, fmt.Sprint(45658+i))
	}
	squads := []string{"南京西路中队", "静安寺中队", "江宁路中队", "石门二路中队", "曹家渡中队", "天目西路中队",
		"北站中队", "宝山路中队", "芷江西路中队", "共和新路中队", "大宁路中队", "彭浦新村中队", "临汾路中队", "彭浦镇中队"}
	for _, c := range []struct {
		name   string
		values []string
		bits   uint
		want   int // distinct slots at least: about what random placing fills
	}{
		{"dates 2025-12-01", dashed, 8, 29},
		{"dates 2025/12/1 0:00", compact, 8, 29},
		{"serial days", serials, 8, 190},
		{"squads", squads, 6, 12},
		{"是/否", []string{"是", "否"}, 6, 2},
	} {
		used := map[int]bool{}
		for _, v := range c.values {
			used[Slot(v, c.bits)] = true
		}
		if len(used) < c.want {
			t.Errorf("%s: %d values on %d of %d slots, want at least %d", c.name, len(c.values), len(used), 1<<c.bits, c.want)
		}
	}
}

func BenchmarkSlot(b *testing.B) {
	values := [][]byte{[]byte("南京西路中队"), []byte("2025-12-03"), []byte("否"), []byte("45992"), []byte("SJ20251200019")}
	n := 0
	for i := range b.N {
		n += Slot(values[i%len(values)], 6)
	}
	_ = n
}
