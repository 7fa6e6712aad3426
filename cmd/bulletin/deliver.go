package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/deliver"
)

// The delivery commands parse their flags, call package deliver and print
// what it returns; every decision is there.

// Build builds a period's documents for package deliver with the same
// pipeline as "bulletin monthly" and "bulletin halfyear", one at a time
// (pipeline.building).
func (b *pipeline) Build(ctx context.Context, p report.Period, issued report.Date) (*deliver.Documents, error) {
	b.building.Lock()
	defer b.building.Unlock()
	var made *built
	var err error
	// built whatever the data: the pre-send checks hold an incomplete period for a person
	if p.Kind == report.PeriodHalfYear {
		made, err = b.buildHalfYear(ctx, p.Half, issued, true)
	} else {
		made, err = b.buildMonthly(ctx, p.Month, issued, true)
	}
	if err != nil {
		return nil, err
	}
	docs := &deliver.Documents{Dir: made.dir, Quality: made.quality, Figures: made.figures, TextSHA256: made.text}
	read := func(path string) (deliver.File, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return deliver.File{}, report.E(report.KindDelivery, "read "+filepath.Base(path), err)
		}
		return deliver.File{Name: filepath.Base(path), Data: data}, nil
	}
	for _, path := range made.pdfs {
		f, err := read(path)
		if err != nil {
			return nil, err
		}
		docs.Files = append(docs.Files, f)
	}
	for _, name := range []string{"figures.json", "quality.json"} {
		f, err := read(filepath.Join(made.dir, name))
		if err != nil {
			return nil, err
		}
		docs.Extras = append(docs.Extras, f)
	}
	return docs, nil
}

// delivery sets up package deliver for a command: the config at --now, and
// a clock that advances from --now as real time passes.
func (e *env) delivery(nowFlag string) (*deliver.Service, error) {
	cfg, now, err := e.configAt(nowFlag)
	if err != nil {
		return nil, err
	}
	return e.deliveryAt(cfg, now)
}

func (e *env) deliveryAt(cfg *report.Config, now time.Time) (*deliver.Service, error) {
	password, err := config.Password(cfg, e.getenv)
	if err != nil {
		return nil, err
	}
	offset := now.Sub(e.now())
	clock := func() time.Time { return e.now().Add(offset).In(cfg.Location) }
	s := deliver.New(cfg, e.outDir, e.pipeline(cfg), clock, password)
	s.Approvals = consoleApprovals{e.outDir}
	return s, nil
}

// show prints a delivery report: lines to stdout, notices to stderr.
func (e *env) show(r *deliver.Report, err error) error {
	if r != nil {
		for _, l := range r.Lines {
			fmt.Fprintln(e.stdout, report.PrintableLines(l))
		}
		for _, n := range r.Notices {
			fmt.Fprintln(e.stderr, report.PrintableLines(n))
		}
	}
	return err
}

// periodFlag parses a required --period.
func periodFlag(value string) (report.Period, error) {
	if value == "" {
		return report.Period{}, report.Errorf(report.KindUsage, "要写明哪一期，如 --period 2025-05（月报）或 --period 2025-H1（自查报告）")
	}
	p, err := report.ParsePeriod(value)
	if err != nil {
		return p, report.Errorf(report.KindUsage, "--period “%s”既不是月份也不是半年：月报写 --period 2025-05，自查报告写 --period 2025-H1", value)
	}
	return p, nil
}

func runDue(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	nowFlag := clockFlag(fs)
	dryRun := fs.Bool("dry-run", false, "只列出应报送的期次，不生成、不发送")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.delivery(*nowFlag)
	if err != nil {
		return err
	}
	return e.show(s.Due(ctx, *dryRun))
}

func runSend(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	value := fs.String("period", "", "要报送的期次：月份 2025-05 或半年 2025-H1")
	force := fs.Bool("force", false, "人工核对后强制报送：忽略报送前检查未通过、上次发送中断、已经发送过等情况")
	resend := fs.Bool("resend", false, "把最近一次报送时归档的文件原样重发（不用今天的数据重新生成）")
	markSent := fs.Bool("mark-sent", false, "市局确认已收到上次中断的那封邮件：只在报送记录中记为已发送，不再发送")
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	req := deliver.SendAsked
	n := 0
	for set, r := range map[*bool]deliver.Request{force: deliver.ForceAsked, resend: deliver.ResendAsked, markSent: deliver.MarkSentAsked} {
		if *set {
			req = r
			n++
		}
	}
	if n > 1 {
		return report.Errorf(report.KindUsage, "--force、--resend、--mark-sent 只能选一个")
	}
	p, err := periodFlag(*value)
	if err != nil {
		return err
	}
	s, err := e.delivery(*nowFlag)
	if err != nil {
		return err
	}
	return e.show(s.Send(ctx, p, req))
}

func runWithhold(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	value := fs.String("period", "", "要暂缓报送的期次：月份 2025-05 或半年 2025-H1")
	reason := fs.String("reason", "", "暂缓的原因，记入报送记录")
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := periodFlag(*value)
	if err != nil {
		return err
	}
	s, err := e.delivery(*nowFlag)
	if err != nil {
		return err
	}
	return e.show(s.Withhold(ctx, p, *reason))
}

func runHistory(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	s, err := e.delivery("")
	if err != nil {
		return err
	}
	return e.show(s.History(ctx))
}
