package report

// Explanation is the records behind one quota's numerator and
// denominator in a month, for `bulletin explain` and the
// console's explanation page.
type Explanation struct {
	Month           string      `json:"month"`
	Quota           QuotaResult `json:"quota"`
	NumeratorRule   string      `json:"numerator_rule"`
	DenominatorRule string      `json:"denominator_rule"`
	// Numerator lists the records counted: for a coverage quota the
	// records that cover the squads, for a held quota the 工作台账 rows.
	Numerator []Ref `json:"numerator"`
	// Denominator lists the records or squads counted; for a 1-over-1
	// quota the rows that were considered but did not count (late).
	Denominator []Ref `json:"denominator"`
	// PerSquad is each counted squad's count, for per-squad quotas.
	PerSquad []Count `json:"per_squad,omitempty"`
	// Target, Result and Rate word the quota's figure as the documents
	// do: ≥1%, 11/1121件, 0.98%; 每月≥1次, 4次 and no rate for a count.
	// Rate is "—" for a rate without a base.
	Target string `json:"target_text"`
	Result string `json:"result_text"`
	Rate   string `json:"rate_text,omitempty"`
}

// Ref is one record behind a figure: which export, which row, and what it
// says, so that a person can find it in the spreadsheet.
type Ref struct {
	Dataset string `json:"dataset"`
	ID      string `json:"id,omitempty"`
	Date    Date   `json:"date"`
	Squad   string `json:"squad,omitempty"`
	Detail  string `json:"detail,omitempty"`
	Origin  Origin `json:"origin"`
}
