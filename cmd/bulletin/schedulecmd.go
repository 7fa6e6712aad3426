package main

import (
	"context"
	"flag"
	"log/slog"
	"time"

	"bulletin/report"
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
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	start, err := e.clock(cfg, *nowFlag)
	if err != nil {
		return err
	}
	plan, err := schedule.NewPlan(cfg.Delivery.Monthly, cfg.Delivery.HalfYear, cfg.Location)
	if err != nil {
		return report.E(report.KindConfig, "", err)
	}
	// A rehearsal with --now keeps its distance from the real clock, so
	// that every run sees the time advance as it would.
	offset := start.Sub(e.now())
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	log.Info("schedule started", "monthly", cfg.Delivery.Monthly, "halfyear", cfg.Delivery.HalfYear,
		"time_zone", cfg.Bureau.TimeZone, "now", start.Format(time.RFC3339))
	err = plan.Run(ctx, log, func(ctx context.Context) error {
		return e.newDeliverer(cfg, e.now().Add(offset).In(cfg.Location)).due(ctx, false)
	})
	log.Info("schedule stopped")
	return err
}
