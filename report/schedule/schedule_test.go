package schedule

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestMachineOffOverTheHalfYearEnd(t *testing.T) {
	loc := shanghai(t)
	plan, err := NewPlan("0 8 1 * *", "0 8 5 1,7 *", loc)
	if err != nil {
		t.Fatal(err)
	}
	// Off from 28 June to 7 July: back on at 09:00 on 7 July.
	off := time.Date(2025, 6, 28, 18, 0, 0, 0, loc)
	back := time.Date(2025, 7, 7, 9, 0, 0, 0, loc)
	jobs := plan.Between(off, back)
	want := []string{"monthly 2025-06", "halfyear 2025-H1"}
	if len(jobs) != len(want) {
		t.Fatalf("jobs = %+v, want %v", jobs, want)
	}
	for i, j := range jobs {
		if j.Key() != want[i] {
			t.Errorf("job %d = %s, want %s", i, j.Key(), want[i])
		}
	}
	if !jobs[0].Scheduled.Equal(time.Date(2025, 7, 1, 8, 0, 0, 0, loc)) {
		t.Errorf("June's bulletin scheduled %v", jobs[0].Scheduled)
	}
}

func TestJanuaryBuildsDecemberOfThePreviousYear(t *testing.T) {
	loc := shanghai(t)
	plan, _ := NewPlan("0 8 1 * *", "0 8 5 1,7 *", loc)
	jobs := plan.Between(time.Date(2025, 12, 31, 0, 0, 0, 0, loc), time.Date(2026, 1, 6, 0, 0, 0, 0, loc))
	if len(jobs) != 2 || jobs[0].Key() != "monthly 2025-12" || jobs[1].Key() != "halfyear 2025-H2" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestScheduleIsInShanghaiTime(t *testing.T) {
	loc := shanghai(t)
	plan, _ := NewPlan("0 8 1 * *", "0 8 5 1,7 *", loc)
	// 08:00 on 1 June in Shanghai is 00:00 UTC: a window ending 23:59 UTC on
	// 31 May must not contain it.
	end := time.Date(2025, 5, 31, 23, 59, 0, 0, time.UTC)
	if jobs := plan.Between(end.Add(-time.Hour), end); len(jobs) != 0 {
		t.Fatalf("jobs = %+v", jobs)
	}
	if jobs := plan.Between(end, end.Add(2*time.Minute)); len(jobs) != 1 || jobs[0].Period != "2025-05" {
		t.Fatalf("jobs = %+v", jobs)
	}
}

func TestRunCatchesUpAtStart(t *testing.T) {
	plan, _ := NewPlan("0 8 1 * *", "0 8 5 1,7 *", shanghai(t))
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
