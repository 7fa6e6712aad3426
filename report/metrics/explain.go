package metrics

import (
	"fmt"
	"strings"

	"bulletin/report"
)

// Explanation is report.Explanation: the records behind a quota's figure.
type Explanation = report.Explanation

// CheckQuotaID returns a usage error, in words a clerk reads, when quotaID
// is not a configured quota that can be explained: it suggests the nearest
// spelling and lists the ids with their names.
func CheckQuotaID(cfg *report.Config, quotaID string) error {
	_, known := formulas[quotaID]
	if _, configured := cfg.Quota(quotaID); known && configured {
		return nil
	}
	var ids []string
	var list strings.Builder
	for _, q := range cfg.Plan.Quotas {
		if _, ok := formulas[q.ID]; ok {
			ids = append(ids, q.ID)
			fmt.Fprintf(&list, "\n  %s  %s", q.ID, q.Name)
		}
	}
	hint := ""
	if near := report.Nearest(quotaID, ids); near != "" {
		hint = "（是不是 " + near + "？）"
	}
	return report.Errorf(report.KindUsage, "没有“%s”这个指标编号%s。可用的指标编号：%s", quotaID, hint, list.String())
}

// Explain lists the records behind quotaID's figure in month. An unknown
// id is a usage error that lists the valid ids (CheckQuotaID).
func Explain(cfg *report.Config, ds *report.Dataset, month report.Month, quotaID string) (Explanation, error) {
	cfg, err := cfg.ForMonth(month)
	if err != nil {
		return Explanation{}, err
	}
	if err := CheckQuotaID(cfg, quotaID); err != nil {
		return Explanation{}, err
	}
	f := formulas[quotaID]
	q, _ := cfg.Quota(quotaID)
	c, err := newCalc(cfg, ds, month)
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
