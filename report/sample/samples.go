package sample

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

type sampleRec struct {
	date     day
	av       bool // 视音频 rather than 案卷
	ref      caseRef
	unknown  bool // names a case id no export has (the reader warns, the row counts)
	dept     int
	verdict  string
	problems string
	late     bool // recorded late: exported in the next month's folder
	seq      int
}

var (
	fileProblems = []string{"事实不清", "证据不足", "程序违法", "适用法律错误", "裁量失当", "文书不规范"}
	avProblems   = []string{"记录要素不全", "程序违法", "文书不规范"}
	typeAliases  = map[bool][]string{false: {"案卷", "案卷抽查", "执法案卷"}, true: {"视音频", "视音频记录", "执法记录仪", "音像"}}
)

// samples are the 抽查明细 rows dated in m: the story's share of last
// month's closed cases (案卷, the oldest first), this month's closed
// 重大法核 cases, the story's share of last month's filed cases (视音频),
// April's sample of an unknown case, and one late 视音频 sample.
func (g *generator) samples(m month) []sampleRec {
	r := g.rand(m, dsSamples, streamSamples)
	story := stories[m.calendar()]
	w := g.world
	var out []sampleRec
	add := func(ref caseRef, av bool) *sampleRec {
		out = append(out, g.newSample(r, m, ref, av))
		return &out[len(out)-1]
	}

	var majors []caseRef
	for _, ref := range w.closedDuring(m) {
		if w.get(ref).major {
			majors = append(majors, ref)
		}
	}
	majors = majors[:len(majors)-min(story.majorsUnsampled, len(majors))]
	for _, ref := range majors {
		add(ref, false)
	}

	closedPrev := w.closedDuring(m - 1)
	regular := int(math.Ceil(story.caseRate*float64(len(closedPrev)))) - len(majors)
	var eligible, lowSquad []caseRef
	for _, ref := range closedPrev {
		switch s := w.get(ref).squad; {
		case s == squadLowSamples:
			lowSquad = append(lowSquad, ref)
		case s == squadNoFilesH2 && m.secondHalf():
		default:
			eligible = append(eligible, ref)
		}
	}
	if story.lowSquadSample && len(lowSquad) > 0 && regular > 0 {
		add(lowSquad[r.IntN(len(lowSquad))], false)
		regular--
	}
	if len(eligible) > 0 && regular > 0 {
		// The longest-running case first: June's is one filed the year before.
		oldest := slices.MinFunc(eligible, func(a, b caseRef) int { return int(w.get(a).filed - w.get(b).filed) })
		add(oldest, false)
		eligible = slices.DeleteFunc(eligible, func(ref caseRef) bool { return ref == oldest })
		regular--
	}
	for _, ref := range pickDistinct(r, eligible, regular) {
		add(ref, false)
	}

	filedPrev := w.refsFiled(m - 1)
	avCount := int(math.Ceil(story.avRate * float64(len(filedPrev))))
	if story.avSquads > 0 {
		filedPrev = slices.DeleteFunc(filedPrev, func(ref caseRef) bool { return int(w.get(ref).squad) >= story.avSquads })
	}
	for _, ref := range pickDistinct(r, filedPrev, avCount) {
		add(ref, true)
	}
	// A case has several recordings: when the story narrows the squads,
	// some cases give two sampled records.
	for i := len(filedPrev); i < avCount && len(filedPrev) > 0; i++ {
		add(filedPrev[r.IntN(len(filedPrev))], true)
	}

	if m.calendar() == time.April && len(closedPrev) > 0 {
		add(closedPrev[0], false).unknown = true
	}
	if len(filedPrev) > 0 {
		s := add(filedPrev[r.IntN(len(filedPrev))], true)
		s.late, s.date = true, lastWorkday(m)
	}
	slices.SortStableFunc(out, func(a, b sampleRec) int { return int(a.date - b.date) })
	for i := range out {
		out[i].seq = i + 1
	}
	return out
}

func (g *generator) newSample(r *rand.Rand, m month, ref caseRef, av bool) sampleRec {
	c := g.world.get(ref)
	s := sampleRec{date: randomWorkday(r, m, 1), av: av, ref: ref, verdict: "合格"}
	demolition := c.cause == causeIllegalBuilding && r.Float64() < 0.6
	switch {
	case demolition:
		s.dept = deptDemolition
	case av && r.Float64() < 0.4:
		s.dept = deptCoordination
	case !av && r.Float64() < 0.3:
		s.dept = deptSupervision
	default:
		s.dept = deptCaseReview
	}
	failRate := 0.05
	if c.squad == squadPoorFiles {
		failRate = 0.18
	}
	problems := fileProblems
	if av {
		problems = avProblems
	}
	switch x := r.Float64(); {
	case x < failRate:
		s.verdict = "不合格"
	case x < failRate+0.18:
		s.verdict = "基本合格"
	default:
		return s
	}
	first := r.IntN(len(problems))
	s.problems = problems[first]
	if second := r.IntN(len(problems)); second != first && r.Float64() < 0.3 {
		s.problems = strings.Join([]string{s.problems, problems[second]}, "、")
	}
	return s
}

// pickDistinct returns n distinct elements of xs (all of them if fewer),
// leaving xs untouched.
func pickDistinct[T any](r *rand.Rand, xs []T, n int) []T {
	if n >= len(xs) {
		return xs
	}
	if n <= 0 {
		return nil
	}
	ys := slices.Clone(xs)
	for i := range n {
		j := i + r.IntN(len(ys)-i)
		ys[i], ys[j] = ys[j], ys[i]
	}
	return ys[:n]
}

func randomWorkday(r *rand.Rand, m month, fromDay int) day {
	for {
		d := m.dayN(fromDay + r.IntN(m.days()-fromDay+1))
		if d.workday() {
			return d
		}
	}
}

func lastWorkday(m month) day {
	d := m.last()
	for !d.workday() {
		d--
	}
	return d
}

// writeSamples writes m's 抽查明细 export: last month's late samples, then
// m's own. June's export leaves 承办中队 empty (the reader takes it from
// the case).
func (g *generator) writeSamples(t *table, m month) error {
	rec := make([]field, len(datasets[dsSamples].cols))
	put := func(s *sampleRec, of month) error {
		c := g.world.get(s.ref)
		rec[smpID] = ident("CC"+of.compact(), s.seq)
		rec[smpDate] = date(s.date)
		rec[smpType] = text(t.valueAlias(typeAliases[s.av]))
		rec[smpCase] = g.world.id(s.ref)
		rec[smpSquad] = squad(int(c.squad))
		if s.unknown {
			rec[smpCase] = ident(caseIDPrefix(of-1), 0) // sequence numbers start at 1
		}
		if m.calendar() == time.June {
			rec[smpSquad] = squad(-1)
		}
		rec[smpDept] = text(g.opt.Departments[s.dept])
		rec[smpVerdict] = text(s.verdict)
		rec[smpProblems] = text(s.problems)
		return t.write(rec)
	}
	prev := g.samples(m - 1)
	for i := range prev {
		if prev[i].late {
			if err := put(&prev[i], m-1); err != nil {
				return err
			}
		}
	}
	own := g.samples(m)
	for i := range own {
		if !own[i].late {
			if err := put(&own[i], m); err != nil {
				return err
			}
		}
	}
	return nil
}
