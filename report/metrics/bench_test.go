package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"bulletin/report"
)

// largeDataset is a year of a busy district: 20 000 cases, 3 000 samples,
// 3 000 inspections, 60 000 complaints and every squad's weekly records.
func largeDataset() *report.Dataset {
	r := rand.New(rand.NewPCG(1, 2))
	ds := randomDataset()
	first := day(2025, 1, 1)
	for i := range 20000 {
		ds.Cases = append(ds.Cases, report.Case{ID: fmt.Sprintf("L%05d", i), Squad: squads[r.IntN(15)], Filed: first.AddDays(r.IntN(365)), Closed: first.AddDays(r.IntN(365))})
	}
	for i := range 3000 {
		ds.Samples = append(ds.Samples, caseFile(fmt.Sprintf("LS%04d", i), first.AddDays(r.IntN(365)), fmt.Sprintf("L%05d", r.IntN(20000)), squads[r.IntN(15)], report.Pass, "文书不规范"))
		ds.Inspections = append(ds.Inspections, inspection(fmt.Sprintf("LI%04d", i), first.AddDays(r.IntN(365)), itemDisclosure, squads[r.IntN(15)]))
	}
	for i := range 60000 {
		ds.Complaints = append(ds.Complaints, complaint(fmt.Sprintf("LK%05d", i), first.AddDays(r.IntN(365)), squads[r.IntN(15)]))
	}
	return ds
}

// The months before come as issued: a run judges each on its own reading
// (BenchmarkJudge times one).
func BenchmarkMonthlyDecember(b *testing.B) {
	cfg, ds := loadConfig(b), largeDataset()
	earlier := before(b, cfg, ds, month(2025, 12))
	for b.Loop() {
		if _, err := Monthly(cfg, ds, nil, month(2025, 12), day(2026, 1, 1), earlier); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHalfYear(b *testing.B) {
	cfg, ds := loadConfig(b), largeDataset()
	earlier := before(b, cfg, ds, month(2025, 12))
	for b.Loop() {
		if _, err := HalfYear(cfg, ds, nil, report.Half{Year: 2025, N: 2}, day(2026, 1, 5), earlier); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJudge judges November, what a run adds for each month before
// the one reported that it did not build (besides reading it).
func BenchmarkJudge(b *testing.B) {
	cfg, ds := loadConfig(b), largeDataset()
	for b.Loop() {
		if _, err := Judge(cfg, ds, month(2025, 11)); err != nil {
			b.Fatal(err)
		}
	}
}
