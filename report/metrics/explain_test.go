package metrics

import (
	"slices"
	"strings"
	"testing"

	"bulletin/report"
)

func TestExplainListsTheRecords(t *testing.T) {
	ds := &report.Dataset{
		Cases: slices.Concat(
			closedCases("APR", s[0], 3, day(2025, 3, 1), day(2025, 4, 15)),
			closedCases("MAY", s[0], 2, day(2025, 4, 1), day(2025, 5, 15))),
		Samples: []report.Sample{
			caseFile("S2", day(2025, 5, 12), "APR-001", s[1], report.Fail, "程序违法"),
			caseFile("S1", day(2025, 5, 3), "APR-002", s[0], report.Pass),
			caseFile("S0", day(2025, 4, 3), "APR-003", s[0], report.Pass), // April
		},
	}
	e, err := Explain(loadConfig(t), ds, month(2025, 5), report.QuotaCaseSampleRate)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(refs []Ref) []string {
		var out []string
		for _, r := range refs {
			out = append(out, r.ID)
		}
		return out
	}
	// May's samples by date: S1 (3 May), S2 (12 May); the cases closed in April
	if got := ids(e.Numerator); !slices.Equal(got, []string{"S1", "S2"}) {
		t.Errorf("numerator = %v, want [S1 S2]", got)
	}
	if got := ids(e.Denominator); !slices.Equal(got, []string{"APR-001", "APR-002", "APR-003"}) {
		t.Errorf("denominator = %v", got)
	}
	if e.Quota.Numerator != 2 || e.Quota.Denominator != 3 || e.NumeratorRule == "" || e.DenominatorRule == "" {
		t.Errorf("explanation = %+v", e)
	}
	den := e.Denominator[0]
	if den.Dataset != report.DatasetCases || den.Origin.File() != "案件.xlsx" || den.Origin.Row != 3 || den.Date != day(2025, 4, 15) {
		t.Errorf("a case of the denominator = %+v", den)
	}
	if num := e.Numerator[1]; num.Squad != s[1] || !strings.Contains(num.Detail, "程序违法") || num.Origin.File() != "抽查明细.xlsx" {
		t.Errorf("a sample of the numerator = %+v", num)
	}
}

func TestExplainPerSquadQuota(t *testing.T) {
	ds := &report.Dataset{Samples: caseFiles("S", day(2025, 2, 3), s[0], s[0], s[4])}
	e, err := Explain(loadConfig(t), ds, month(2025, 3), report.QuotaAnnualPerSquad)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.PerSquad) != 15 || e.PerSquad[0] != (report.Count{Name: s[0], Count: 2}) || e.PerSquad[4].Count != 1 || e.PerSquad[1].Count != 0 {
		t.Errorf("per squad = %v", e.PerSquad)
	}
	if len(e.Denominator) != 15 || e.Denominator[0].Squad != s[0] || len(e.Numerator) != 3 {
		t.Errorf("numerator %d records, denominator %d squads", len(e.Numerator), len(e.Denominator))
	}
}

func TestExplainUnknownID(t *testing.T) {
	_, err := Explain(loadConfig(t), &report.Dataset{}, month(2025, 5), "lawful.case_rate")
	if err == nil {
		t.Fatal("no error for an unknown quota id")
	}
	if report.KindOf(err) != report.KindUsage || !strings.Contains(err.Error(), "lawful.case_rate") || !strings.Contains(err.Error(), report.QuotaWeeklyRecords) {
		t.Errorf("error = %v (kind %v); want a usage error naming the id and listing the valid ones", err, report.KindOf(err))
	}
}
