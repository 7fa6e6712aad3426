package main

import (
	"context"
	"flag"
	"time"

	"bulletin/report"
)

// clockFlag registers --now: the time to act as if it were, for rehearsals
// and tests; empty means the real clock.
func clockFlag(fs *flag.FlagSet) *string {
	return fs.String("now", "", "假定当前时间（北京时间），如 2025-07-02T08:00；默认取系统时间")
}

// configAt loads the configuration and resolves --now in its time zone.
func (e *env) configAt(nowFlag string) (*report.Config, time.Time, error) {
	cfg, err := e.loadConfig()
	if err != nil {
		return nil, time.Time{}, err
	}
	now, err := e.clock(cfg, nowFlag)
	return cfg, now, err
}

// clock resolves --now in the bureau's time zone.
func (e *env) clock(cfg *report.Config, value string) (time.Time, error) {
	if value == "" {
		return e.now().In(cfg.Location), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, value, cfg.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, report.Errorf(report.KindUsage, "--now “%s”不是时间：请写成 2025-07-02T08:00（北京时间）或 2025-07-02", value)
}

func runMonthly(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	month := fs.String("month", "", "报告月份，如 2025-05")
	nowFlag := clockFlag(fs)
	force := forceFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := monthFlag(*month)
	if err != nil {
		return err
	}
	cfg, now, err := e.configAt(*nowFlag)
	if err != nil {
		return err
	}
	b, err := buildMonthly(ctx, cfg, e.dataDir, e.outDir, m, report.DateOf(now, cfg.Location), *force)
	if err != nil {
		return err
	}
	b.print(e.stdout, m.Chinese()+" 月报")
	return nil
}
