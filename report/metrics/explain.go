package metrics

import (
	"fmt"
	"strings"

	"bulletin/report"
)

// Explanation is the records behind one quota's numerator and
// denominator in a month, for `bulletin explain`.
type Explanation struct {
	Month           string             `json:"month"`
	Quota           report.QuotaResult `json:"quota"`
	NumeratorRule   string             `json:"numerator_rule"`
	DenominatorRule string             `json:"denominator_rule"`
	// Numerator lists the records counted: for a coverage quota the
	// records that cover the squads, for a held quota the 工作台账 rows.
	Numerator []Ref `json:"numerator"`
	// Denominator lists the records or squads counted; for a 1-over-1
	// quota the rows that were considered but did not count (late).
	Denominator []Ref `json:"denominator"`
	// PerSquad is each counted squad's count, for per-squad quotas.
	PerSquad []report.Count `json:"per_squad,omitempty"`
}

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
	cfg, err := cfg.ForYear(month.Year)
	if err != nil {
		return Explanation{}, err
	}
	if err := CheckQuotaID(cfg, quotaID); err != nil {
		return Explanation{}, err
	}
	f := formulas[quotaID]
	q, _ := cfg.Quota(quotaID)
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
