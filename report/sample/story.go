package sample

import (
	"math/rand/v2"
	"time"
)

// The story the numbers tell: which quotas of rules.md the data meets and
// misses in which calendar month (the same every year). The package
// documentation lists it; tests and the bulletin's golden files rely on it.

type monthStory struct {
	caseRate        float64 // 案卷 samples per case closed last month (quota ≥ 10%)
	avRate          float64 // 视音频 samples per case filed last month (quota ≥ 10%)
	avSquads        int     // 视音频 samples drawn from only this many squads (0: all)
	complaintRate   float64 // complaints sampled per complaint received (quota ≥ 1%)
	majorsUnsampled int     // 重大法核 cases closed this month that get no 案卷 sample
	lowSquadSample  bool    // squadLowSamples gets its 案卷 sample this month
}

const (
	met          = 0.12
	missed       = 0.065
	complaintMet = 0.013
	complaintLow = 0.005
)

var stories = [13]monthStory{
	time.January:   {caseRate: met, avRate: met, complaintRate: complaintMet},
	time.February:  {caseRate: met, avRate: met, complaintRate: complaintLow, lowSquadSample: true},
	time.March:     {caseRate: missed, avRate: met, complaintRate: complaintMet},
	time.April:     {caseRate: met, avRate: 0.06, complaintRate: complaintMet},
	time.May:       {caseRate: met, avRate: met, complaintRate: complaintMet, majorsUnsampled: 2, lowSquadSample: true},
	time.June:      {caseRate: met, avRate: met, complaintRate: complaintMet},
	time.July:      {caseRate: met, avRate: met, complaintRate: complaintMet},
	time.August:    {caseRate: missed, avRate: met, complaintRate: complaintMet},
	time.September: {caseRate: met, avRate: met, complaintRate: complaintMet, majorsUnsampled: 1, lowSquadSample: true},
	time.October:   {caseRate: met, avRate: met, avSquads: 2, complaintRate: complaintMet},
	time.November:  {caseRate: met, avRate: met, complaintRate: complaintLow, lowSquadSample: true},
	time.December:  {caseRate: met, avRate: met, complaintRate: complaintMet},
}

// Squads with a part in the story, by position in Options.Squads (the
// default names in the comments).
const (
	squadPoorFiles      = 3  // 静安寺中队: more 不合格 case files
	squadPoorComplaints = 5  // 天目西路中队: more 履职不到位 complaints
	squadWeekGapMarch   = 6  // 北站中队: no weekly record in March's 2nd week
	squadWeekGaps       = 8  // 芷江西路中队: no weekly record in July's 1st and October's 3rd week
	squadNoEffectH2     = 9  // 共和新路中队: never inspected on 执法实效 in H2
	squadNoDisclosureH1 = 10 // 大宁路中队: never inspected on 公示制度 in H1
	squadLateYearPlan   = 11 // 彭浦新村中队: 中队年度监督计划 submitted in February
	squadLowSamples     = 12 // 临汾路中队: one 案卷 sample in each of 4 months, below 10 a year
	squadNoFilesH2      = 13 // 彭浦镇中队: no 案卷 sample in H2
)

// weekGap says whether squad s keeps no record in the week-th week
// (0-based) belonging to month m.
func weekGap(s int, m month, week int) bool {
	switch m.calendar() {
	case time.March:
		return s == squadWeekGapMarch && week == 1
	case time.July:
		return s == squadWeekGaps && week == 0
	case time.October:
		return s == squadWeekGaps && week == 2
	}
	return false
}

// coverageRule shapes which squads an item's inspections visit in a month.
type coverageRule struct {
	banned int // squad never visited in this half, -1 none
	cap    int // at most this many distinct squads this month, 0 no cap
	none   bool
}

func coverageFor(item int, m month) coverageRule {
	r := coverageRule{banned: -1}
	switch item {
	case itemDisclosure:
		if !m.secondHalf() {
			r.banned = squadNoDisclosureH1
		}
		r.none = m.calendar() == time.February // Spring Festival: no 公示制度 check
	case itemAccountability:
		if m.calendar() == time.October {
			r.cap = 2
		}
	case itemEffectiveness:
		if m.secondHalf() {
			r.banned = squadNoEffectH2
		}
		if m.calendar() == time.January {
			r.cap = 2
		}
	}
	return r
}

// Random numbers: every file draws from its own stream, keyed by seed,
// month, dataset and purpose, so files never depend on the order they are
// written in and a month folder comes out the same whatever range it is
// generated in.
const (
	streamStyle = iota + 1
	streamColumns
	streamCount
	streamCases
	streamSamples
	streamInspections
	streamSchedule
	streamComplaints
	streamComplaintPicks
	streamWeekly
	streamLedger
)

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (g *generator) key(m month, ds, stream int) uint64 {
	return splitmix(splitmix(splitmix(uint64(g.opt.Seed))^uint64(m)) ^ uint64(ds<<8|stream))
}

func (g *generator) rand(m month, ds, stream int) *rand.Rand {
	k := g.key(m, ds, stream)
	return rand.New(rand.NewPCG(k, splitmix(k)))
}

// count scales a monthly base count by Scale with ±6% noise.
func (g *generator) count(m month, ds int, base float64) int {
	r := g.rand(m, ds, streamCount)
	return int(g.opt.Scale*base*(0.94+0.12*r.Float64()) + 0.5)
}

// weighted picks an index with probability proportional to its weight.
func weighted(r *rand.Rand, weights []float64, total float64) int {
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
