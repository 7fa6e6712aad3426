package sample

import (
	"fmt"
	"time"
)

// writeCases writes m's 案件 export: the cases closed in m that were filed
// before it (in their final state), then the cases filed in m as they stand
// at its end.
func (g *generator) writeCases(t *table, m month) error {
	w := g.world
	rec := make([]field, len(datasets[dsCases].cols))
	end := m.last()
	put := func(ref caseRef) error {
		c := w.get(ref)
		rec[caseID] = w.id(ref)
		rec[caseSquad] = squad(int(c.squad))
		rec[caseCause] = text(causes.names[c.cause])
		rec[caseFiled] = dateTime(c.filed, c.filedAt)
		rec[caseClosed] = field{}
		if c.closed <= end {
			rec[caseClosed] = date(c.closed)
		}
		rec[caseState] = text(c.stateAt(end))
		rec[caseMajor] = boolean(c.major)
		rec[caseAbnormal] = text(c.abnormalText(t.pick))
		return t.write(rec)
	}
	for _, ref := range w.closedDuring(m) {
		if w.get(ref).filed < m.first() {
			if err := put(ref); err != nil {
				return err
			}
		}
	}
	filed := w.refsFiled(m)
	for i, ref := range filed {
		if err := put(ref); err != nil {
			return err
		}
		if i == len(filed)/2 && m.calendar() == time.March {
			if err := t.write(badCase(m)); err != nil {
				return err
			}
		}
	}
	return nil
}

// badCase is March's case of a squad no configuration knows.
func badCase(m month) []field {
	rec := make([]field, len(datasets[dsCases].cols))
	rec[caseID] = ident(caseIDPrefix(m)+"-X", 1)
	rec[caseSquad] = text(unknownSquad)
	rec[caseCause] = text("跨门营业")
	rec[caseFiled] = date(m.dayN(12))
	rec[caseState] = text("调查")
	return rec
}

// unknownSquad is a squad of another district: rows naming it are rejected.
const unknownSquad = "外滩中队"

// impossibleDate is a date no reader may guess at.
func impossibleDate(m month) string { return fmt.Sprintf("%d-13-45", m.year()) }
