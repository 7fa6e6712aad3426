package schedule

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"bulletin/report"
)

// newPlan is the plan of a config with these [delivery] schedules, in
// Shanghai time.
func newPlan(t *testing.T, monthly, halfYear string) *Plan {
	t.Helper()
	loc := shanghai(t)
	parse := func(spec string) report.Schedule {
		s, err := cron.ParseStandard(spec)
		if err != nil {
			t.Fatal(err)
		}
		return report.Schedule{Spec: spec, Next: func(t time.Time) time.Time { return s.Next(t.In(loc)) }}
	}
	cfg := &report.Config{Location: loc}
	cfg.Delivery.Monthly, cfg.Delivery.HalfYear = parse(monthly), parse(halfYear)
	return NewPlan(cfg)
}

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestMachineOffOverTheHalfYearEnd(t *testing.T) {
	loc := shanghai(t)
	plan := newPlan(t, "0 8 1 * *", "0 8 5 1,7 *")
	// Off from 28 June to 7 July: back on at 09:00 on 7 July.
	off := time.Date(2025, 6, 28, 18, 0, 0, 0, loc)
	back := time.Date(2025, 7, 7, 9, 0, 0, 0, loc)
	jobs := plan.Between(off, back)
	want := []string{"monthly 2025-06", "halfyear 2025-H1"}
	if len(jobs) != len(want) {
		t.Fatalf("jobs = %+v, want %v", jobs, want)
	}
	for i, j := range jobs {
		if j.Period.Key() != want[i] {
			t.Errorf("job %d = %s, want %s", i, j.Period.Key(), want[i])
		}
	}
	if !jobs[0].Scheduled.Equal(time.Date(2025, 7, 1, 8, 0, 0, 0, loc)) {
		t.Errorf("June's bulletin scheduled %v", jobs[0].Scheduled)
	}
}

func TestJanuaryBuildsDecemberOfThePreviousYear(t *testing.T) {
	loc := shanghai(t)
	plan := newPlan(t, "0 8 1 * *", "0 8 5 1,7 *")
	jobs := plan.Between(time.Date(2025, 12, 31, 0, 0, 0, 0, loc), time.Date(2026, 1, 6, 0, 0, 0, 0, loc))
	if len(jobs) != 2 || jobs[0].Period.Key() != "monthly 2025-12" || jobs[1].Period.Key() != "halfyear 2025-H2" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestScheduleIsInShanghaiTime(t *testing.T) {
	plan := newPlan(t, "0 8 1 * *", "0 8 5 1,7 *")
	// 08:00 on 1 June in Shanghai is 00:00 UTC: a window ending 23:59 UTC on
	// 31 May must not contain it.
	end := time.Date(2025, 5, 31, 23, 59, 0, 0, time.UTC)
	if jobs := plan.Between(end.Add(-time.Hour), end); len(jobs) != 0 {
		t.Fatalf("jobs = %+v", jobs)
	}
	if jobs := plan.Between(end, end.Add(2*time.Minute)); len(jobs) != 1 || jobs[0].Period.String() != "2025-05" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestRunCatchesUpAtStart(t *testing.T) {
	plan := newPlan(t, "0 8 1 * *", "0 8 5 1,7 *")
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	done := make(chan error)
	go func() {
		done <- plan.Run(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), func(context.Context) error {
			calls.Add(1)
			cancel()
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil || calls.Load() != 1 {
			t.Fatalf("err = %v, calls = %d", err, calls.Load())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context ended")
	}
}

// TestScheduleFiringOftenMakesAPeriodDueOnce: a schedule that fires every
// day (or twice a month) makes each period due once, at its first firing,
// however the window is cut.
func TestScheduleFiringOftenMakesAPeriodDueOnce(t *testing.T) {
	loc := shanghai(t)
	for _, spec := range []string{"0 8 * * *", "0 8 1,2 * *", "*/5 * * * *"} {
		plan := newPlan(t, spec, "0 8 * * *")
		jobs := plan.Between(time.Date(2025, 5, 20, 0, 0, 0, 0, loc), time.Date(2025, 7, 20, 0, 0, 0, 0, loc))
		var keys []string
		for _, j := range jobs {
			keys = append(keys, j.Period.Key())
		}
		want := []string{"monthly 2025-05", "monthly 2025-06", "halfyear 2025-H1"}
		if len(keys) != len(want) {
			t.Fatalf("%s: jobs %v, want %v", spec, keys, want)
		}
		for _, j := range jobs {
			if day := j.Scheduled.In(loc).Day(); day != 1 {
				t.Errorf("%s: %s due on day %d, want its first firing on the 1st", spec, j.Period.Key(), day)
			}
		}
		// A window opening after the first firing of June's bulletin does
		// not make it due again on a later firing.
		if jobs := plan.Between(time.Date(2025, 7, 1, 12, 0, 0, 0, loc), time.Date(2025, 7, 20, 0, 0, 0, 0, loc)); len(jobs) != 0 {
			t.Errorf("%s: window after the first firing lists %+v", spec, jobs)
		}
	}
}
