package deliver

import (
	"slices"
	"testing"

	"bulletin/report"
)

// The share of rejected rows a delivery allows is said as config.toml sets
// it: 0.0025 is 0.25%, not a report's one decimal (0.2%), and 0.05 is 5%.
func TestRejectedRowsNamedAtTheShareSet(t *testing.T) {
	p := report.Period{Kind: report.PeriodMonthly, Month: report.Month{Year: 2025, Month: 5}}
	docs := &Documents{Dataset: &report.Dataset{},
		Quality: &report.Quality{Inputs: []report.Input{{Rows: 400, Rejected: 30}}}}
	for share, want := range map[float64]string{0.0025: "被拒绝的数据行 30/400，超过允许的 0.25%", 0.05: "被拒绝的数据行 30/400，超过允许的 5%", 0.07: "被拒绝的数据行 30/400，超过允许的 7%"} {
		cfg := testConfig(t, 25, "0 8 5 * *", "0 8 5 1,7 *")
		cfg.Delivery.MaxRejectedShare = share
		if got := preSendChecks(cfg, p, docs); !slices.Contains(got, want) {
			t.Errorf("max_rejected_share = %v: %q, want %q", share, got, want)
		}
	}
}
