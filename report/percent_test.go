package report

import (
	"math"
	"testing"
)

// A rate judged against a target prints on the target's side its value is
// on, with as many decimals as that takes; one decimal otherwise, rounded
// half up (rules-interpretation 27).
func TestRatePrintsOnItsSideOfTheTarget(t *testing.T) {
	pct := func(v float64) *float64 { return &v }
	for _, c := range []struct {
		rate Rate
		want string
	}{
		{Rate{Share: 11.0 / 1121, Target: pct(0.01)}, "0.98%"},
		{Rate{Share: 11.0 / 1121}, "1%"}, // not judged: as before
		{Rate{Share: 249.0 / 2500, Target: pct(0.1)}, "9.96%"},
		{Rate{Share: 1999.0 / 20000, Target: pct(0.1)}, "9.995%"},
		{Rate{Share: 11.0 / 1100, Target: pct(0.01)}, "1%"}, // at the target is met
		{Rate{Share: 12.0 / 1121, Target: pct(0.01)}, "1.1%"},
		{Rate{Share: 14.0 / 15, Target: pct(1)}, "93.3%"},
		{Rate{Share: 2999.0 / 3000, Target: pct(1)}, "99.97%"},
		{Rate{Share: 1.0 / 16}, "6.3%"},     // 6.25 half up, not to even
		{Rate{Share: 157.0 / 160}, "98.1%"}, // 98.125
		{Rate{Share: 0.2}, "20%"},
		{Rate{Share: 0}, "0%"},
	} {
		if got := c.rate.String(); got != c.want {
			t.Errorf("%v against %v: %s, want %s", c.rate.Share, c.rate.Target, got, c.want)
		}
	}
}

// A met rate never prints under its target, whatever the denominator.
func TestMetRateNeverPrintsUnderItsTarget(t *testing.T) {
	for _, target := range []float64{0.01, 0.1, 0.2, 0.125, 1} {
		for d := 1; d <= 3000; d++ {
			for _, n := range []int{int(target*float64(d)) - 1, int(target * float64(d)), int(target*float64(d)) + 1} {
				if n < 0 || n > d {
					continue
				}
				r := Rate{Share: float64(n) / float64(d), Target: &target}
				met := Decimal(r.Share).Cmp(Decimal(target)) >= 0
				if printed := r.Printed().Cmp(percentOf(Decimal(target))) >= 0; printed != met {
					t.Fatalf("%d/%d against %v: printed %s, met %v", n, d, target, r, met)
				}
			}
		}
	}
}

// A share that is not a number (a month not measured, a pie of nothing)
// prints as "—" and is a gap in a chart, where it once panicked.
func TestRateOfNoNumber(t *testing.T) {
	pie := Chart{Series: []Series{{Values: []float64{0, 0}}}}
	for _, r := range []Rate{{Share: math.NaN()}, {Share: math.Inf(1)}, pie.Share(0)} {
		if s := r.String(); s != "—" {
			t.Errorf("%v prints %q, want —", r.Share, s)
		}
		if f := r.Shown(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			t.Errorf("%v is shown as %v, want no number", r.Share, f)
		}
	}
}
