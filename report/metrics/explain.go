package metrics

import (
	"strings"

	"bulletin/report"
)

// Explanation is report.Explanation: the records behind a quota's figure.
type Explanation = report.Explanation

// Explain lists the records behind quotaID's figure in month. An unknown
// id is a usage error that lists the valid ids.
func Explain(cfg *report.Config, ds *report.Dataset, month report.Month, quotaID string) (Explanation, error) {
	cfg, err := cfg.ForYear(month.Year)
	if err != nil {
		return Explanation{}, err
	}
	f, known := formulas[quotaID]
	q, configured := cfg.Quota(quotaID)
	if !known || !configured {
		return Explanation{}, report.Errorf(report.KindUsage, "unknown quota id %q; the ids are: %s", quotaID, strings.Join(report.QuotaIDs, ", "))
	}
	c, err := newCalc(cfg, ds, month.Year)
	if err != nil {
		return Explanation{}, err
	}
	c.explain = true
	r, m := c.evaluate(q, month)
	sortRefs(m.numRefs)
	sortRefs(m.denRefs)
	e := Explanation{Month: month.String(), Quota: r, NumeratorRule: f.num, DenominatorRule: f.den,
		Numerator: m.numRefs, Denominator: m.denRefs}
	if f.kind == perSquadKind {
		for _, sq := range c.counted {
			e.PerSquad = append(e.PerSquad, report.Count{Name: sq, Count: m.perSquad[sq]})
		}
	}
	return e, nil
}
