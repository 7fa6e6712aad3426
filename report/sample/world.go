package sample

import (
	"math/rand/v2"
	"strings"
)

// The world: every case filed from a year before the first folder to the
// last, each with its whole life (filed, closed). A month's 案件 export is a
// view of it at the month's end, which is what makes a case filed in April
// appear open in April's folder and closed in May's.

// weightedSet is a list of names drawn with the given weights.
type weightedSet struct {
	names   []string
	weights []float64
	total   float64
}

func newWeightedSet(pairs ...any) weightedSet {
	var s weightedSet
	for i := 0; i < len(pairs); i += 2 {
		s.names = append(s.names, pairs[i].(string))
		s.weights = append(s.weights, float64(pairs[i+1].(int)))
	}
	s.total = sum(s.weights)
	return s
}

func (s *weightedSet) pick(r *rand.Rand) int { return weighted(r, s.weights, s.total) }

var causes = newWeightedSet(
	"违法建筑", 18, "跨门营业", 14, "夜间施工", 12, "乱设摊", 12, "文明施工", 10, "建筑垃圾", 8,
	"违规设置户外广告", 7, "乱张贴", 5, "占绿毁绿", 4, "违规排放", 4, "损坏房屋承重结构", 3, "其他", 3)

const (
	causeIllegalBuilding = 0
	causeStructure       = 10
)

var abnormalTypes = []string{"超期立案", "超期办案", "超期结案", "违规终止", "裁量失当"}

// Several abnormal types in one cell come separated in any of these ways.
var abnormalSeparators = []string{"、", "；", ",", "/"}

// Cases filed per month at Scale 1, by calendar month (Spring Festival in
// February, night construction in summer).
var casesPerMonth = [13]float64{0, 300, 240, 330, 340, 360, 370, 390, 380, 350, 320, 330, 310}

type caseRec struct {
	filed, closed day // closed: the day it is closed or terminated
	filedAt       int32
	seq           int32
	squad         int16
	cause         uint8
	abnormal      uint8 // bit i: abnormalTypes[i]
	major         bool
	terminated    bool
}

type caseRef struct{ month, index int32 }

type world struct {
	start    month
	prefixes []string    // case id prefix by month - start
	filed    [][]caseRec // by month - start
	closedIn [][]caseRef // by closing month - start, up to the last folder
}

// worldLead is how far before the first folder cases begin. A case runs
// at most 330 days (caseDuration), and the first folder looks back two
// months (its late sample is of the month before, drawn from cases closed
// the month before that), so cases filed 13 months earlier can appear in
// it; with one month to spare, a folder is the same whatever range it is
// generated in.
const worldLead = 14

func (g *generator) buildWorld() {
	w := &world{start: g.first - worldLead}
	months := int(g.last-w.start) + 1
	w.filed = make([][]caseRec, months)
	w.closedIn = make([][]caseRef, months)
	for i := range months {
		m := w.start + month(i)
		w.prefixes = append(w.prefixes, caseIDPrefix(m))
		w.filed[i] = g.casesFiled(m)
		for j, c := range w.filed[i] {
			if cm := c.closed.month(); cm <= g.last {
				w.closedIn[cm-w.start] = append(w.closedIn[cm-w.start], caseRef{int32(i), int32(j)})
			}
		}
	}
	g.world = w
}

func (w *world) get(r caseRef) *caseRec { return &w.filed[r.month][r.index] }

// id is the case's 案件编号, e.g. JA2025050123.
func (w *world) id(r caseRef) field { return ident(w.prefixes[r.month], int(w.get(r).seq)) }

// refsFiled lists the cases filed in m.
func (w *world) refsFiled(m month) []caseRef {
	if m < w.start {
		return nil
	}
	refs := make([]caseRef, len(w.filed[m-w.start]))
	for i := range refs {
		refs[i] = caseRef{int32(m - w.start), int32(i)}
	}
	return refs
}

func (w *world) closedDuring(m month) []caseRef {
	if m < w.start {
		return nil
	}
	return w.closedIn[m-w.start]
}

func (g *generator) casesFiled(m month) []caseRec {
	n := g.count(m, dsCases, casesPerMonth[m.calendar()])
	r := g.rand(m, dsCases, streamCases)
	cases := make([]caseRec, n)
	for i := range cases {
		c := &cases[i]
		c.seq = int32(i + 1)
		// Spread over the month in filing order, so ids follow dates.
		c.filed = m.first() + day((float64(i)+r.Float64())*float64(m.days())/float64(n))
		c.filedAt = int32(8*3600 + r.IntN(10*3600))
		c.squad = int16(weighted(r, g.squadWeights, g.squadTotal))
		c.cause = uint8(causes.pick(r))
		c.closed = c.filed + day(caseDuration(r, c.cause))
		c.terminated = r.Float64() < 0.03
		// 重大法核 cases: the heavy causes. The two squads whose 案卷
		// sample counts the story keeps low have none, or the
		// 重大法核 samples would lift them.
		majorRate := 0.01
		if c.cause == causeIllegalBuilding || c.cause == causeStructure {
			majorRate = 0.07
		}
		c.major = c.squad != squadLowSamples && c.squad != squadNoFilesH2 && r.Float64() < majorRate
		if r.Float64() < 0.04 {
			c.abnormal = abnormalFor(r, c)
		}
	}
	return cases
}

func caseDuration(r *rand.Rand, cause uint8) int {
	x := r.Float64()
	switch {
	case cause == causeIllegalBuilding && x < 0.4:
		return 90 + r.IntN(240) // demolition cases run for months
	case x < 0.6:
		return 7 + r.IntN(33)
	case x < 0.85:
		return 40 + r.IntN(50)
	case x < 0.97:
		return 90 + r.IntN(60)
	}
	return 150 + r.IntN(150)
}

func abnormalFor(r *rand.Rand, c *caseRec) uint8 {
	var bits uint8
	for range 1 + r.IntN(2) {
		t := r.IntN(len(abnormalTypes))
		if t == 3 && !c.terminated {
			t = 4 // 违规终止 only for terminated cases
		}
		bits |= 1 << t
	}
	return bits
}

func (c *caseRec) abnormalText(r *rand.Rand) string {
	if c.abnormal == 0 {
		return ""
	}
	var parts []string
	for i, name := range abnormalTypes {
		if c.abnormal&(1<<i) != 0 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, choose(r, abnormalSeparators))
}

// stateAt is the case's 案件状态 at the end of day t.
func (c *caseRec) stateAt(t day) string {
	if c.closed <= t {
		if c.terminated {
			return "终止"
		}
		return "结案"
	}
	progress := float64(t-c.filed) / float64(c.closed-c.filed)
	switch {
	case progress < 0.15:
		return "立案"
	case progress < 0.5:
		return "调查"
	case progress < 0.7:
		return "审核"
	case progress < 0.85:
		return "决定"
	}
	return "执行"
}

func caseIDPrefix(m month) string { return "JA" + m.compact() }

// squadWeight gives squads different sizes without a table per squad list.
func squadWeight(i int) float64 {
	const golden = 0.6180339887
	x := float64(i+1) * golden
	return 0.6 + 0.8*(x-float64(int(x)))
}
