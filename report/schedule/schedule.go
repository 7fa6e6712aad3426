// Package schedule knows when reports fall due: it turns the firing times
// of config.toml's [delivery] schedules into report periods. It never reads
// the wall clock; callers pass "now".
//
// Delivery is keyed by period: a schedule that fires several times for the
// same period (every day, say) makes the period due once, at its first
// firing.
package schedule

import (
	"context"
	"log/slog"
	"sort"
	"time"

	"github.com/robfig/cron/v3"

	"bulletin/report"
)

// Job is one period that fell due at a scheduled time.
type Job struct {
	Period    report.Period
	Scheduled time.Time // when it fell due: the first firing for the period
}

// Plan is the pair of schedules of config.toml's [delivery].
type Plan struct {
	monthly, halfYear report.Schedule
	loc               *time.Location
}

// NewPlan is the plan of cfg's [delivery], parsed when config.toml was read.
func NewPlan(cfg *report.Config) *Plan {
	return &Plan{monthly: cfg.Delivery.Monthly, halfYear: cfg.Delivery.HalfYear, loc: cfg.Location}
}

// Between lists the periods whose first firing falls in (from, to], oldest
// first. The monthly bulletin that falls due in a month is the previous
// month's; the half-year reports falling due in January–June are the
// previous half's (H2 of the year before), in July–December H1's.
func (p *Plan) Between(from, to time.Time) []Job {
	var jobs []Job
	for _, s := range []struct {
		kind     report.PeriodKind
		schedule report.Schedule
	}{{report.PeriodMonthly, p.monthly}, {report.PeriodHalfYear, p.halfYear}} {
		seen := map[report.Period]bool{}
		// Start from the firing that makes from's period due, so that a
		// window starting inside a period's run of firings does not take a
		// later firing for the period's first.
		for t := s.schedule.Next(p.periodStart(s.kind, from)); !t.IsZero() && !t.After(to); t = s.schedule.Next(t) {
			period := p.periodDue(s.kind, t)
			if seen[period] {
				continue
			}
			seen[period] = true
			if t.After(from) {
				jobs = append(jobs, Job{Period: period, Scheduled: t})
			}
		}
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].Scheduled.Before(jobs[j].Scheduled) })
	return jobs
}

// periodStart is the start of the month (monthly) or half (half-year) that
// contains t: the earliest a firing can make a period due whose firings
// may run on past t.
func (p *Plan) periodStart(kind report.PeriodKind, t time.Time) time.Time {
	m := report.DateOf(t, p.loc).MonthOf()
	if kind == report.PeriodHalfYear {
		m = m.Half().First()
	}
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, p.loc).Add(-time.Nanosecond)
}

// periodDue is the period whose report falls due at t.
func (p *Plan) periodDue(kind report.PeriodKind, t time.Time) report.Period {
	m := report.DateOf(t, p.loc).MonthOf()
	if kind == report.PeriodMonthly {
		return report.MonthPeriod(m.Prev())
	}
	return report.HalfPeriod(m.Half().Prev())
}

// cronSchedule lets robfig/cron fire a report.Schedule.
type cronSchedule struct{ report.Schedule }

func (s cronSchedule) Next(t time.Time) time.Time { return s.Schedule.Next(t) }

// Run calls due at every scheduled time until ctx ends, and once at start so
// that what was missed while the process was down is caught up. Both paths
// go through the same function: the schedule never has its own copy of the
// delivery logic.
func (p *Plan) Run(ctx context.Context, log *slog.Logger, due func(context.Context) error) error {
	c := cron.New(cron.WithLocation(p.loc))
	run := func(why string) {
		log.Info("running due reports", "why", why)
		if err := due(ctx); err != nil {
			log.Error("due reports failed", "err", err)
		}
	}
	c.Schedule(cronSchedule{p.monthly}, cron.FuncJob(func() { run("monthly schedule") }))
	c.Schedule(cronSchedule{p.halfYear}, cron.FuncJob(func() { run("half-year schedule") }))
	run("start-up catch-up")
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
