package report

import (
	"testing"
	"time"
)

// The console digests the figures when a leader approves them and due
// digests them again when it sends: another day, and another path to the
// same exports (the console's --data /srv/bulletin/data, cron's default
// data), digest alike; a changed number or export does not.
func TestDigestsKeepTheDataNotTheRun(t *testing.T) {
	value := 0.12
	figures := func(issued Date, data, sha string, numerator int) (*Figures, *Quality) {
		in := Input{Dataset: DatasetCases, File: data + "/2025-05/案件.xlsx", SHA256: sha, Rows: 40}
		return &Figures{Period: "2025-05", IssueDate: issued, Inputs: []Input{in},
				Quotas: []QuotaResult{{ID: "lawful.case_sample_rate", Numerator: numerator, Denominator: 40, Value: &value}}},
			&Quality{Period: "2025-05", Inputs: []Input{in}}
	}
	digests := func(f *Figures, q *Quality) (string, string) {
		t.Helper()
		figs, err := FiguresDigest(f)
		if err != nil {
			t.Fatal(err)
		}
		return figs, InputsDigest(q)
	}
	approvedFigs, approvedInputs := digests(figures(MustDate(2025, time.June, 1), "/srv/bulletin/data", "aaaa", 5))
	sentFigs, sentInputs := digests(figures(MustDate(2025, time.June, 2), "data", "aaaa", 5))
	if sentFigs != approvedFigs || sentInputs != approvedInputs {
		t.Errorf("the same data sent a day later through another path digest otherwise: figures %v, inputs %v",
			sentFigs == approvedFigs, sentInputs == approvedInputs)
	}
	if figs, _ := digests(figures(MustDate(2025, time.June, 1), "data", "aaaa", 6)); figs == approvedFigs {
		t.Error("a changed number digests alike")
	}
	if _, inputs := digests(figures(MustDate(2025, time.June, 1), "data", "bbbb", 5)); inputs == approvedInputs {
		t.Error("a changed export digests alike")
	}
	// The figures digested are left as they were.
	f, _ := figures(MustDate(2025, time.June, 1), "data", "aaaa", 5)
	digests(f, &Quality{})
	if f.Inputs[0].File != "data/2025-05/案件.xlsx" || f.IssueDate.IsZero() {
		t.Errorf("FiguresDigest changed its argument: %+v", f)
	}
}
