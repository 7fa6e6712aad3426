// Package metricstest holds what tests of several packages need of
// package metrics, kept out of the program.
package metricstest

import (
	"time"

	"bulletin/report"
	"bulletin/report/metrics"
)

// JudgeBefore is metrics.Judge of the months of at's year before at: as
// issued only when ds holds no late record of them, as a test's dataset
// may be made.
func JudgeBefore(cfg *report.Config, ds *report.Dataset, at report.Month) ([]metrics.Issued, error) {
	return metrics.Judge(cfg, ds, monthsBefore(at)...)
}

func monthsBefore(at report.Month) []report.Month {
	var months []report.Month
	for m := (report.Month{Year: at.Year, Month: time.January}); m.Compare(at) < 0; m = m.Add(1) {
		months = append(months, m)
	}
	return months
}
