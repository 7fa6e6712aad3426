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
	fromFlag := fs.String("from", "", "重新生成多期月报时的第一个月，如 2025-01（与 --to 一起用，代替 --month）")
	toFlag := fs.String("to", "", "重新生成多期月报时的最后一个月，如 2025-12")
	nowFlag := clockFlag(fs)
	force := forceFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	first, last, err := monthRange(*month, *fromFlag, *toFlag)
	if err != nil {
		return err
	}
	cfg, now, err := e.configAt(*nowFlag)
	if err != nil {
		return err
	}
	p := e.pipeline(cfg)
	if first != last {
		defer p.manyPeriods(last)()
	}
	issued := func(report.Month) report.Date { return report.DateOf(now, cfg.Location) }
	return p.buildMonths(ctx, first, last, issued, *force, func(m report.Month, b *built) {
		b.print(e.stdout, m.Chinese()+" 月报")
	})
}

// monthRange is the months a monthly run makes: --month, or --from to --to
// (re-issuing a year: each export is read once, each month going on from
// the datasets of the month before; see pipeline.carry).
func monthRange(month, from, to string) (first, last report.Month, err error) {
	switch {
	case month != "" && (from != "" || to != ""):
		return first, last, report.Errorf(report.KindUsage, "--month 与 --from/--to 只能用一种：一期写 --month 2025-05，多期写 --from 2025-01 --to 2025-12")
	case month != "":
		m, err := monthFlag(month)
		return m, m, err
	case from == "" && to == "":
		_, err := monthFlag("")
		return first, last, err
	case from == "" || to == "":
		return first, last, report.Errorf(report.KindUsage, "--from 和 --to 要一起写，如 --from 2025-01 --to 2025-12")
	}
	if first, err = report.ParseMonth(from); err != nil {
		return first, last, report.E(report.KindUsage, "--from", err)
	}
	if last, err = report.ParseMonth(to); err != nil {
		return first, last, report.E(report.KindUsage, "--to", err)
	}
	if first.Compare(last) > 0 {
		return first, last, report.Errorf(report.KindUsage, "--from %s 在 --to %s 之后：第一个月要写在前面", first, last)
	}
	return first, last, nil
}
