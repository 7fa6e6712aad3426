// Package schedule knows when reports fall due: it reads the cron
// expressions of config.toml and turns their firing times into report
// periods. It never reads the wall clock; callers pass "now".
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"time"

	"github.com/robfig/cron/v3"

	"bulletin/report"
)

// Report kinds.
const (
	Monthly  = "monthly"
	HalfYear = "halfyear"
)

// Job is one report that fell due at a scheduled time.
type Job struct {
	Kind      string    // Monthly or HalfYear
	Period    string    // 2025-05 or 2025-H1
	Scheduled time.Time // when it fell due
}

// Key names the job like a ledger entry does.
func (j Job) Key() string { return j.Kind + " " + j.Period }

var parser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// Plan is the pair of schedules of config.toml's [delivery].
type Plan struct {
	monthly, halfYear cron.Schedule
	loc               *time.Location
}

// NewPlan parses the two cron expressions, evaluated in loc.
func NewPlan(monthly, halfYear string, loc *time.Location) (*Plan, error) {
	m, err := parser.Parse(monthly)
	if err != nil {
		return nil, fmt.Errorf("delivery.monthly %q: %w", monthly, err)
	}
	h, err := parser.Parse(halfYear)
	if err != nil {
		return nil, fmt.Errorf("delivery.halfyear %q: %w", halfYear, err)
	}
	return &Plan{monthly: m, halfYear: h, loc: loc}, nil
}

// Between lists the jobs scheduled in (from, to], oldest first. The monthly
// bulletin that falls due in a month is the previous month's; the half-year
// reports falling due in January–June are the previous half's (H2 of the
// year before), in July–December H1's.
func (p *Plan) Between(from, to time.Time) []Job {
	var jobs []Job
	for _, s := range []struct {
		kind     string
		schedule cron.Schedule
	}{{Monthly, p.monthly}, {HalfYear, p.halfYear}} {
		for t := s.schedule.Next(from.In(p.loc)); !t.After(to); t = s.schedule.Next(t) {
			jobs = append(jobs, Job{Kind: s.kind, Period: periodDue(s.kind, t, p.loc), Scheduled: t})
		}
	}
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].Scheduled.Before(jobs[j].Scheduled) })
	return jobs
}

// periodDue is the period whose report falls due at t.
func periodDue(kind string, t time.Time, loc *time.Location) string {
	m := report.DateOf(t, loc).MonthOf()
	if kind == Monthly {
		return m.Prev().String()
	}
	return m.Half().Prev().String()
}

// Run calls due at every scheduled time until ctx ends, and once at start so
// that what was missed while the process was down is caught up. Both paths
// go through the same function: the schedule never has its own copy of the
// delivery logic.
func (p *Plan) Run(ctx context.Context, log *slog.Logger, due func(context.Context) error) error {
	c := cron.New(cron.WithLocation(p.loc), cron.WithParser(parser))
	run := func(why string) {
		log.Info("running due reports", "why", why)
		if err := due(ctx); err != nil {
			log.Error("due reports failed", "err", err)
		}
	}
	c.Schedule(p.monthly, cron.FuncJob(func() { run("monthly schedule") }))
	c.Schedule(p.halfYear, cron.FuncJob(func() { run("half-year schedule") }))
	run("start-up catch-up")
	c.Start()
	<-ctx.Done()
	<-c.Stop().Done()
	return nil
}
