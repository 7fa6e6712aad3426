package sample

import (
	"math"
	"math/rand/v2"
	"time"
)

// Complaints received per month at Scale 1, by calendar month.
var complaintsPerMonth = [13]float64{0, 950, 780, 980, 1020, 1100, 1180, 1260, 1230, 1080, 1000, 960, 920}

var (
	complaintTypes  = newWeightedSet("投诉", 850, "信访", 70, "领导批示件", 30, "媒体曝光件", 25, "环保督察件", 25)
	complaintFields = newWeightedSet("违法建筑", 14, "夜间施工", 12, "文明施工", 9, "占绿毁绿", 3, "损坏房屋承重结构", 3,
		"街面秩序", 16, "跨门营业", 12, "乱设摊", 11, "噪声扰民", 8, "建筑垃圾", 5, "户外广告", 4, "其他", 3)
	// The 12345 hotline's complaints are 投诉; some months say so.
	complaintAliases = []string{"投诉", "12345"}
)

const fieldNightWork = 1

// complaintMonth is what a folder needs to know about one month's
// complaints without holding them: every row is a pure function of the
// month and its row number, so a million rows stream from a few numbers.
type complaintMonth struct {
	m       month
	n       int   // received in m and exported in m's folder
	late    int   // received on m's last day, exported only in the next folder
	own     int   // sampled in m among its first 90% (the rest is the tail)
	carried int   // sampled in m among the previous month's tail
	picks   []int // rows < tail() sampled in m, ascending
	key     uint64
}

func (c *complaintMonth) tail() int { return c.n * 9 / 10 }

func (g *generator) complaintMonth(m month) complaintMonth {
	c := complaintMonth{m: m, n: g.count(m, dsComplaints, complaintsPerMonth[m.calendar()]), key: g.key(m, dsComplaints, streamComplaints)}
	c.late = max(1, int(0.003*float64(c.n)+0.5))
	sampled := int(math.Ceil(stories[m.calendar()].complaintRate * float64(c.n)))
	c.carried = sampled / 4
	c.own = sampled - c.carried
	c.picks = pickSorted(g.rand(m, dsComplaints, streamComplaintPicks), 0, c.tail(), c.own)
	return c
}

// pickSorted picks n distinct numbers of [from, to) in ascending order
// (Knuth's selection sampling: one draw per candidate, no set to hold).
func pickSorted(r *rand.Rand, from, to, n int) []int {
	picks := make([]int, 0, max(n, 0))
	for i := from; i < to && len(picks) < n; i++ {
		if r.IntN(to-i) < n-len(picks) {
			picks = append(picks, i)
		}
	}
	return picks
}

// complaintRow formats complaints into one reused record; its generator
// is re-seeded per row, so row k comes out the same in whichever folder
// and order it is written.
type complaintRow struct {
	g   *generator
	pcg rand.PCG
	r   *rand.Rand
	rec []field
}

func (g *generator) newComplaintRow() *complaintRow {
	row := &complaintRow{g: g, rec: make([]field, len(datasets[dsComplaints].cols))}
	row.r = rand.New(&row.pcg)
	return row
}

// fill sets the record to complaint k of c as the export of month in shows
// it: sampled or not (sampled in in, a few days after it was received or
// after in began).
func (row *complaintRow) fill(t *table, c *complaintMonth, prefix string, k int, sampled bool, in month) []field {
	r := row.r
	row.pcg.Seed(c.key, splitmix(uint64(k)))
	received := c.m.last()
	if k < c.n {
		received = c.m.first() + day((float64(k)+r.Float64())*float64(c.m.days())/float64(c.n))
	}
	at := int32(7*3600 + r.IntN(15*3600))
	kind := complaintTypes.pick(r)
	s := weighted(r, row.g.squadWeights, row.g.squadTotal)
	f := complaintFields.pick(r)
	if f != fieldNightWork && summer(c.m) && r.Float64() < 0.12 {
		f = fieldNightWork
	}
	repeated := r.Float64() < 0.08
	delay := day(r.IntN(6))
	poorRate := 0.08
	if s == squadPoorComplaints {
		poorRate = 0.25
	}
	verdict := "履职到位"
	if r.Float64() < poorRate {
		verdict = "履职不到位"
	}

	rec := row.rec
	rec[cmpID] = ident(prefix, k+1)
	rec[cmpType] = text(complaintTypes.names[kind])
	if kind == 0 {
		rec[cmpType] = text(t.valueAlias(complaintAliases))
	}
	rec[cmpReceived] = dateTime(received, at)
	rec[cmpSquad] = squad(s)
	rec[cmpField] = text(complaintFields.names[f])
	rec[cmpRepeated] = boolean(repeated)
	rec[cmpSampled] = boolean(sampled)
	rec[cmpSampleDate], rec[cmpVerdict] = field{}, field{}
	if sampled {
		start := in.first()
		if c.m == in {
			start = received + 1
		}
		rec[cmpSampleDate] = date(min(start+delay, in.last()))
		rec[cmpVerdict] = text(verdict)
	}
	return rec
}

func summer(m month) bool { c := m.calendar(); return c >= time.June && c <= time.August }

// writeComplaints writes m's 诉件 export: the previous month's tail rows
// that were sampled early in m (exported again, now sampled) and its late
// rows, then m's own rows. June adds a row of 外滩中队, September one
// received on 2025-13-45.
func (g *generator) writeComplaints(t *table, m month) error {
	cur, prev := g.complaintMonth(m), g.complaintMonth(m-1)
	row := g.newComplaintRow()
	prevPrefix, prefix := "SJ"+prev.m.compact(), "SJ"+m.compact()

	carried := pickSorted(g.rand(m, dsComplaints, streamComplaintPicks<<4), prev.tail(), prev.n, cur.carried)
	for k := prev.tail(); k < prev.n+prev.late; k++ {
		switch {
		case len(carried) > 0 && carried[0] == k:
			carried = carried[1:]
			if err := t.write(row.fill(t, &prev, prevPrefix, k, true, m)); err != nil {
				return err
			}
		case k >= prev.n:
			if err := t.write(row.fill(t, &prev, prevPrefix, k, false, m)); err != nil {
				return err
			}
		}
	}
	picks := cur.picks
	for k := range cur.n {
		sampled := len(picks) > 0 && picks[0] == k
		if sampled {
			picks = picks[1:]
		}
		rec := row.fill(t, &cur, prefix, k, sampled, m)
		if err := t.write(rec); err != nil {
			return err
		}
		if k == cur.n/2 {
			if err := badComplaint(t, rec, m); err != nil {
				return err
			}
		}
	}
	return nil
}

func badComplaint(t *table, rec []field, m month) error {
	rec[cmpID] = ident("SJ"+m.compact()+"-X", 1)
	switch m.calendar() {
	case time.June:
		rec[cmpSquad] = text(unknownSquad)
	case time.September:
		rec[cmpReceived] = text(impossibleDate(m))
	default:
		return nil
	}
	return t.write(rec)
}
