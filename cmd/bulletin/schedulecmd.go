package main

import (
	"context"
	"flag"
	"log/slog"

	"bulletin/report"
	"bulletin/report/schedule"
)

// runSchedule stays running and calls the same logic as "bulletin due" at
// the configured times, and once at start to catch up.
func runSchedule(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	plan, err := schedule.NewPlan(cfg.Delivery.Monthly, cfg.Delivery.HalfYear, cfg.Location)
	if err != nil {
		return report.E(report.KindConfig, "", err)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	log.Info("schedule started", "monthly", cfg.Delivery.Monthly, "halfyear", cfg.Delivery.HalfYear, "time_zone", cfg.Bureau.TimeZone)
	return plan.Run(ctx, log, func(ctx context.Context) error {
		return e.newDeliverer(cfg, e.now().In(cfg.Location)).due(ctx, false)
	})
}
