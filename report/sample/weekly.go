package sample

import "slices"

var weeklyContents = []string{"着装风纪检查", "执法记录仪使用情况", "案卷自查", "值班备勤检查", "勤务到岗情况", "文明执法用语抽查"}

type weeklyRec struct {
	date     day
	squad    int
	content  string
	problems int
}

// weeklyRecords are the 中队督察 records of the weeks belonging to m (a
// week belongs to the month of its Thursday), whatever month each record
// is dated in. Each squad keeps one to three records a week (times Scale),
// except the story's gaps; the first falls in m itself.
func (g *generator) weeklyRecords(m month) []weeklyRec {
	r := g.rand(m, dsWeekly, streamWeekly)
	var out []weeklyRec
	for week, monday := range weeksOf(m) {
		for s := range g.opt.Squads {
			n := max(1, int(g.opt.Scale*float64(1+r.IntN(3))+0.5))
			if weekGap(s, m, week) {
				continue
			}
			for i := range n {
				on := monday + day(r.IntN(5))
				for i == 0 && !m.contains(on) {
					// The week's first record is dated in the week's own
					// month, so the month's folder alone shows the week kept.
					on = monday + day(r.IntN(5))
				}
				problems := 0
				if r.Float64() < 0.3 {
					problems = 1 + r.IntN(3)
				}
				out = append(out, weeklyRec{on, s, choose(r, weeklyContents), problems})
			}
		}
	}
	return out
}

// writeWeekly writes m's 中队督察 export: the records dated in m, which
// include records of weeks that belong to the months before and after when
// a week straddles the month's end.
func (g *generator) writeWeekly(t *table, m month) error {
	var recs []weeklyRec
	for _, of := range []month{m - 1, m, m + 1} {
		for _, w := range g.weeklyRecords(of) {
			if m.contains(w.date) {
				recs = append(recs, w)
			}
		}
	}
	slices.SortStableFunc(recs, func(a, b weeklyRec) int {
		if a.date != b.date {
			return int(a.date - b.date)
		}
		return a.squad - b.squad
	})
	rec := make([]field, len(datasets[dsWeekly].cols))
	for _, w := range recs {
		rec[wkSquad] = squad(w.squad)
		rec[wkDate] = date(w.date)
		rec[wkContent] = text(w.content)
		rec[wkProblems] = number(w.problems)
		if err := t.write(rec); err != nil {
			return err
		}
	}
	return nil
}
