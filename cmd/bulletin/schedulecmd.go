package main

import (
	"context"
	"flag"
	"log/slog"
	"sync"
	"time"

	"bulletin/report/schedule"
)

// runSchedule stays running and calls the same logic as "bulletin due" at
// the configured times, and once at start to catch up. It stops cleanly
// when ctx ends (SIGINT, SIGTERM).
func runSchedule(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, start, err := e.configAt(*nowFlag)
	if err != nil {
		return err
	}
	plan := schedule.NewPlan(cfg)
	// A rehearsal with --now keeps its distance from the real clock, so
	// that every run sees the time advance as it would.
	s, err := e.deliveryAt(cfg, start)
	if err != nil {
		return err
	}
	clock := s.Clock
	due := func(ctx context.Context) error { return e.show(s.Due(ctx, false)) }

	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	log.Info("schedule started", "monthly", cfg.Delivery.Monthly, "halfyear", cfg.Delivery.HalfYear,
		"review_days", cfg.Delivery.ReviewDays, "time_zone", cfg.Bureau.TimeZone, "now", start.Format(time.RFC3339))
	var drafts sync.WaitGroup
	if days := cfg.Delivery.ReviewDays; days > 0 {
		drafts.Go(func() { wakeForDrafts(ctx, log, plan, days, clock, due) })
	}
	err = plan.Run(ctx, log, due)
	drafts.Wait()
	log.Info("schedule stopped")
	return err
}

// wakeForDrafts runs due when a report enters its review window, days
// before it falls due: the plan's own timer fires only at the due times.
func wakeForDrafts(ctx context.Context, log *slog.Logger, plan *schedule.Plan, days int, clock func() time.Time, due func(context.Context) error) {
	for {
		now := clock()
		// The next job whose draft time, days before it, is after now.
		horizon := now.AddDate(0, 0, days)
		jobs := plan.Between(horizon, horizon.AddDate(1, 0, 0))
		if len(jobs) == 0 {
			log.Warn("no scheduled report ahead: no draft to wait for")
			return
		}
		next := jobs[0]
		timer := time.NewTimer(next.Scheduled.AddDate(0, 0, -days).Sub(now))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		log.Info("running due reports", "why", "review window of "+next.Period.Key())
		if err := due(ctx); err != nil {
			log.Error("due reports failed", "err", err)
		}
	}
}
