package sample

import (
	"math/rand/v2"
	"slices"
	"time"
)

type itemSpec struct {
	perMonth float64 // inspections a month at Scale 1
	coverage bool    // visits squads on a schedule that covers all of them each half
	depts    []int
	methods  []string
	problems []string
}

var itemSpecs = [8]itemSpec{
	itemLawful: {2, false, []int{deptCaseReview, deptSupervision, deptDemolition}, []string{"个案监督", "网上抽查"},
		[]string{"调查取证不充分", "超期办案未说明理由", "处罚决定书送达不及时"}},
	itemDisclosure: {4, true, []int{deptCaseReview, deptCoordination, deptSupervision}, []string{"现场检查", "网上抽查"},
		[]string{"执法公示栏信息未及时更新", "未按规定佩戴执法标识", "处罚决定未在规定时限内公示", "双随机抽查结果未公示"}},
	itemRecording: {3, true, []int{deptCaseReview, deptCoordination, deptDemolition}, []string{"网上抽查", "现场检查"},
		[]string{"执法记录仪未全程开启", "音像记录未按时上传", "案卷未按规定立卷归档"}},
	itemLegalReview: {1, false, []int{deptCaseReview}, []string{"个案监督"},
		[]string{"法制审核意见未入卷", "未经法制审核即作出决定"}},
	itemAccountability: {4, true, []int{deptGeneral, deptCaseReview, deptSupervision, deptCoordination, deptPersonnel}, []string{"进中队检查", "现场检查"},
		[]string{"岗位责任未落实到人", "执法责任追究台账不全"}},
	itemEffectiveness: {4, true, []int{deptCoordination, deptSupervision}, []string{"现场检查", "集中评查"},
		[]string{"重点区域违法行为反弹", "整治措施未落实", "专项行动台账不全"}},
	itemTeam: {4, true, []int{deptPersonnel, deptSupervision, deptCaseReview}, []string{"进中队检查"},
		[]string{"着装不规范", "值班备勤不到位", "学习台账不全"}},
	itemComplaints: {2, false, []int{deptGeneral, deptCaseReview, deptDemolition, deptCoordination, deptSupervision, deptPersonnel}, []string{"个案监督", "网上抽查"},
		[]string{"诉件回复不规范", "未按时办结", "现场核查不到位"}},
}

type inspection struct {
	date     day
	item     int
	dept     int
	squad    int
	method   string
	problems int
	desc     string
	deadline day
	done     day  // 0: never rectified (overdue for good)
	blank    bool // 未整改 left empty in the export (the contract's default)
	late     bool // recorded late: exported in the next month's folder
	seq      int
}

// state is the inspection's 整改状态 and 整改完成日期 at the end of day t.
func (x *inspection) state(t day) (string, day) {
	switch {
	case x.problems == 0:
		return "", 0
	case x.done != 0 && x.done <= t:
		return "已整改", x.done
	case t-x.date >= 5:
		return "整改中", 0
	case x.blank:
		return "", 0
	}
	return "未整改", 0
}

// inspections are the 监督检查 rows dated in m, sorted by date.
func (g *generator) inspections(m month) []inspection {
	r := g.rand(m, dsInspections, streamInspections)
	var out []inspection
	for item, spec := range itemSpecs {
		rule := coverageFor(item, m)
		if rule.none {
			continue
		}
		n := max(1, int(g.opt.Scale*spec.perMonth+0.5))
		var squads []int
		if spec.coverage {
			squads = g.coverageSquads(item, m, rule)
		}
		for i := range max(n, len(squads)) {
			var s int
			switch {
			case i < len(squads):
				s = squads[i]
			case rule.cap > 0:
				s = choose(r, squads)
			default:
				s = g.randomSquad(r, rule.banned)
			}
			out = append(out, newInspection(r, m, item, s))
		}
	}
	// Recorded late, with no problem found: it changes no quota.
	out = append(out, inspection{date: lastWorkday(m), item: itemTeam, squad: g.randomSquad(r, -1),
		dept: deptPersonnel, method: "进中队检查", late: true})
	slices.SortStableFunc(out, func(a, b inspection) int { return int(a.date - b.date) })
	for i := range out {
		out[i].seq = i + 1
	}
	return out
}

func (g *generator) randomSquad(r *rand.Rand, banned int) int {
	for {
		if s := r.IntN(len(g.opt.Squads)); s != banned {
			return s
		}
	}
}

// coverageSquads are the distinct squads item visits in m: the squads of
// the half dealt out over its months (so every squad not banned is visited
// by the half's end), topped up to the 20% monthly quota unless the month is
// capped by the story.
func (g *generator) coverageSquads(item int, m month, rule coverageRule) []int {
	start := m.halfStart()
	r := g.rand(start, dsInspections, streamSchedule<<4|item)
	var order []int
	for s := range g.opt.Squads {
		if s != rule.banned {
			order = append(order, s)
		}
	}
	r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	var dealt [6][]int
	open := func(i int) bool {
		rl := coverageFor(item, start+month(i))
		return !rl.none && (rl.cap == 0 || len(dealt[i]) < rl.cap)
	}
	next := 0
	for _, s := range order {
		for range 6 {
			if open(next) {
				break
			}
			next = (next + 1) % 6
		}
		dealt[next] = append(dealt[next], s)
		next = (next + 1) % 6
	}
	squads := dealt[m-start]
	minimum := (len(g.opt.Squads)*20 + 99) / 100
	top := g.rand(m, dsInspections, streamSchedule<<4|item)
	for rule.cap == 0 && len(squads) < minimum && len(squads) < len(order) {
		if s := g.randomSquad(top, rule.banned); !slices.Contains(squads, s) {
			squads = append(squads, s)
		}
	}
	return squads
}

func newInspection(r *rand.Rand, m month, item, squad int) inspection {
	spec := &itemSpecs[item]
	x := inspection{date: randomWorkday(r, m, 1), item: item, squad: squad,
		dept: choose(r, spec.depts), method: choose(r, spec.methods)}
	if r.Float64() < 0.45 {
		return x
	}
	x.problems = 1 + r.IntN(3)
	if r.IntN(4) == 0 {
		x.problems += r.IntN(4)
	}
	x.desc = choose(r, spec.problems)
	x.deadline = x.date + 15
	if r.Float64() < 0.3 {
		x.deadline = x.date + 30
	}
	switch v := r.Float64(); {
	case v < 0.78:
		x.done = x.date + 2 + day(r.IntN(int(x.deadline-x.date)-1))
	case v < 0.92:
		x.done = x.deadline + 3 + day(r.IntN(38))
	}
	x.blank = r.Float64() < 0.3
	return x
}

// writeInspections writes m's 监督检查 export: last month's late record,
// the inspections of the two months before whose rectification moved on
// during m (exported again with the newer state), then m's own. May adds a
// row dated 2025-13-45, July one with 发现问题数 -2.
func (g *generator) writeInspections(t *table, m month) error {
	rec := make([]field, len(datasets[dsInspections].cols))
	put := func(x *inspection, of month, at day) error {
		item := g.opt.Items[x.item]
		rec[insID] = ident("JC"+of.compact(), x.seq)
		rec[insDate] = date(x.date)
		rec[insItem] = text(t.valueAlias(append([]string{item.Name}, item.Aliases...)))
		rec[insDept] = text(g.opt.Departments[x.dept])
		rec[insSquad] = squad(x.squad)
		rec[insMethod] = text(x.method)
		rec[insProblems] = number(x.problems)
		rec[insDescription] = text(x.desc)
		rec[insDeadline] = date(x.deadline)
		state, done := x.state(at)
		rec[insState] = text(state)
		rec[insDone] = date(done)
		return t.write(rec)
	}
	before, prev := g.inspections(m-2), g.inspections(m-1)
	for i := range prev {
		if prev[i].late {
			if err := put(&prev[i], m-1, m.last()); err != nil {
				return err
			}
		}
	}
	for back, xs := range [][]inspection{before, prev} {
		of := m - 2 + month(back)
		for i := range xs {
			now, _ := xs[i].state(m.last())
			then, _ := xs[i].state((m - 1).last())
			if now != then && !xs[i].late {
				if err := put(&xs[i], of, m.last()); err != nil {
					return err
				}
			}
		}
	}
	own := g.inspections(m)
	for i := range own {
		if own[i].late {
			continue
		}
		if err := put(&own[i], m, m.last()); err != nil {
			return err
		}
		if i == len(own)/2 {
			if err := g.badInspection(t, rec, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// badInspection writes, in May and July, a copy of the last row written
// with a fresh id and one impossible value.
func (g *generator) badInspection(t *table, rec []field, m month) error {
	rec[insID] = ident("JC"+m.compact()+"-X", 1)
	switch m.calendar() {
	case time.May:
		rec[insDate] = text(impossibleDate(m))
	case time.July:
		rec[insProblems] = number(-2)
	default:
		return nil
	}
	return t.write(rec)
}
