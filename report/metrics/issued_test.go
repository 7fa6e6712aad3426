package metrics

import (
	"fmt"
	"testing"

	"bulletin/report"
)

// A late 视音频 sample of April, exported in May's folder, counts for April
// by its date; but May's trend and the half-year figures state April as
// April's bulletin did (item 87), and sum the half from those months.
func TestEarlierMonthsStayAsIssued(t *testing.T) {
	cfg := loadConfig(t)
	aprilReading := &report.Dataset{
		Cases:   closedCases("C", squads[0], 10, day(2025, 3, 3), day(2025, 3, 20)),
		Samples: []report.Sample{avSample("AV-1", day(2025, 4, 8), "C-001", squads[0])},
	}
	late := avSample("AV-LATE", day(2025, 4, 25), "C-002", squads[1])
	late.Origin = origin(month(2025, 5), "抽查明细.xlsx", 2)
	juneReading := &report.Dataset{Cases: aprilReading.Cases, Samples: append([]report.Sample{late}, aprilReading.Samples...)}

	av := func(results []report.QuotaResult) report.QuotaResult {
		for _, r := range results {
			if r.ID == report.QuotaAVSampleRate {
				return r
			}
		}
		t.Fatal("no audio/video quota")
		return report.QuotaResult{}
	}
	asIssued := before(t, cfg, aprilReading, month(2025, 5))
	if r := av(asIssued[3].Quotas); r.Numerator != 1 || r.Denominator != 10 {
		t.Fatalf("April as issued: %d/%d, want 1/10", r.Numerator, r.Denominator)
	}
	if r := av(before(t, cfg, juneReading, month(2025, 5))[3].Quotas); r.Numerator != 2 {
		t.Fatalf("April on June's reading: %d, want 2 (the late sample counts by its date)", r.Numerator)
	}

	may, err := Monthly(cfg, juneReading, nil, month(2025, 5), day(2025, 6, 1), asIssued)
	if err != nil {
		t.Fatal(err)
	}
	if v := may.Trend[3].Values[report.QuotaAVSampleRate]; may.Trend[3].Month != "2025-04" || v == nil || *v != 0.1 {
		t.Errorf("May's trend, %s: %v, want 0.1 as April's bulletin showed", may.Trend[3].Month, ptrText(v))
	}

	mayIssued, err := IssuedOf(may)
	if err != nil {
		t.Fatal(err)
	}
	h1, err := HalfYear(cfg, juneReading, nil, report.Half{Year: 2025, N: 1}, day(2025, 7, 5), append(asIssued, mayIssued))
	if err != nil {
		t.Fatal(err)
	}
	rows := selfInspectionOf(t, h1, itemRecording).Monthly
	if r := av(rows[3].Quotas); rows[3].Month != "2025-04" || r.Numerator != 1 {
		t.Errorf("H1 report, April row: %s %d/%d, want 1/10", rows[3].Month, r.Numerator, r.Denominator)
	}
	// The half sums the months as issued: April's 1, none in May and June.
	if r := quotaOf(t, h1, report.QuotaAVSampleRate); r.Numerator != 1 || r.Denominator != 10 {
		t.Errorf("H1 sum: %d/%d, want 1/10", r.Numerator, r.Denominator)
	}

	if _, err := Monthly(cfg, juneReading, nil, month(2025, 5), day(2025, 6, 1), asIssued[:3]); err == nil {
		t.Error("May without April as issued: no error")
	}
}

func ptrText(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}
