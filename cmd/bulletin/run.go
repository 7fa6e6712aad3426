package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"bulletin/report"
	"bulletin/report/config"
)

// command is one subcommand of bulletin.
type command struct {
	name    string
	args    string // synopsis of the arguments
	summary string // one line for "bulletin help"
	// run parses its own flags (common flags already registered on fs) and
	// does the work.
	run  func(ctx context.Context, env *env, fs *flag.FlagSet, args []string) error
	heap heapPages
}

// heapPages says whether main asks for huge pages for a command's heap
// (hugepages.AdviseHeap): for a command that may read a month's exports in
// a process that then ends; not for a resident command, nor a small one.
type heapPages bool

const (
	hugePages  heapPages = true
	smallPages heapPages = false
)

func commands() []command {
	return []command{
		{"check", "--month 2025-05", "读取该月所需的全部导出文件，生成数据质量报告（不出月报）", runCheck, hugePages},
		{"monthly", "--month 2025-05 [--now T]  或  --from 2025-01 --to 2025-12", "生成该月（或从 --from 到 --to 每月）的月报（PDF）、月报数据（xlsx）、figures.json 和数据质量报告", runMonthly, hugePages},
		{"halfyear", "--half 2025-H1 [--now T]", "生成半年自查报告（每个事项一份 PDF）、附表和 figures.json", runHalfYear, hugePages},
		{"explain", "--month 2025-05 <指标编号>", "列出某项指标分子、分母背后的每一条记录", runExplain, hugePages},
		{"due", "[--dry-run] [--now T]", "报送所有到期未报送的月报和自查报告（含停机期间错过的）", runDue, hugePages},
		{"send", "--period 2025-05 [--force | --resend | --mark-sent] [--now T]", "手动报送某一期；--resend 原样重发已归档的文件", runSend, hugePages},
		{"withhold", "--period 2025-05 [--reason 文字]", "审阅草稿后暂缓报送该期：bulletin due 不再自动发送它", runWithhold, smallPages},
		{"history", "", "列出报送记录", runHistory, smallPages},
		{"schedule", "[--now T]", "常驻运行，按 config.toml 的时间自动执行 due", runSchedule, smallPages},
		{"serve", "[--listen 127.0.0.1:8080]", "启动网页工作台：上传、检查、月报和自查报告预览、审阅签发、报送记录", runServe, smallPages},
		{"user", "add 名字 --role 综合科|领导|只读 | passwd 名字 | disable 名字 | list", "管理网页工作台的账号（密码从终端或标准输入读入）", runUser, smallPages},
		{"demo", "[--out DIR]", "把内置的示例数据写到 DIR/data（默认 demo/data），并在上面跑一遍全部流程", runDemo, hugePages},
	}
}

// env is what every command shares: where to write, and the clock.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
	getenv         func(string) (string, bool)
	// flags common to every command
	configPath, dataDir, outDir string
}

// Run is the whole program: main only turns its error into an exit code, so
// tests drive the real command line.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, now: time.Now, getenv: os.LookupEnv}
	if len(args) == 0 {
		usage(stderr)
		return report.Errorf(report.KindUsage, "没有给出命令：请在 bulletin 后面写一个命令，如 bulletin check --month 2025-05")
	}
	name := args[0]
	if name == "help" || name == "-h" || name == "--help" {
		if len(args) > 1 {
			return Run(ctx, []string{args[1], "-h"}, stdout, stderr)
		}
		usage(stdout)
		return nil
	}
	c, ok := commandNamed(name)
	if !ok {
		usage(stderr)
		return report.Errorf(report.KindUsage, "没有“%s”这个命令：可用的命令见上面的列表", name)
	}
	fs := flag.NewFlagSet("bulletin "+c.name, flag.ContinueOnError)
	// The flag package's own messages are English: Run prints its own.
	fs.SetOutput(io.Discard)
	fs.StringVar(&e.configPath, "config", "config.toml", "配置文件")
	fs.StringVar(&e.dataDir, "data", "data", "数据文件夹（每月一个子文件夹，如 data/2025-05）")
	fs.StringVar(&e.outDir, "out", "out", "输出文件夹（每期一个子文件夹，如 out/2025-05）")
	fs.Usage = func() {} // -h is answered below; an error says what is wrong, not the whole usage
	err := c.run(ctx, e, fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		commandUsage(stdout, c, fs)
		return nil
	}
	return err
}

// commandNamed is the command of that name, if there is one.
func commandNamed(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// hugeHeap reports whether the command args name asks for huge pages for
// its heap (command.heap).
func hugeHeap(args []string) bool {
	if len(args) == 0 {
		return false
	}
	c, ok := commandNamed(args[0])
	return ok && c.heap == hugePages
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "bulletin —— 静安城市管理执法工作月报生成与报送工具")
	fmt.Fprintln(w, "\n用法：bulletin <命令> [选项]\n\n命令：")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\n每个命令都接受 --config（默认 config.toml）、--data（默认 data）、--out（默认 out）。")
	fmt.Fprintln(w, "查看某个命令的说明：bulletin <命令> -h")
}

// commandUsage is "bulletin <命令> -h": the synopsis and every option, in
// Chinese (flag.PrintDefaults writes "string" and "(default ...)").
func commandUsage(w io.Writer, c command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "用法：bulletin %s %s\n\n%s\n\n选项（可以写在其他参数之前或之后）：\n", c.name, c.args, c.summary)
	fs.VisitAll(func(f *flag.Flag) {
		value := " 值"
		if isBool(f) {
			value = ""
		}
		fmt.Fprintf(w, "  --%s%s\n        %s", f.Name, value, f.Usage)
		if f.DefValue != "" && !isBool(f) {
			fmt.Fprintf(w, "（默认 %s）", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// parseFlags parses a command's flags and rejects stray arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	rest, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return strayArgument(fs, rest[0])
	}
	return nil
}

// strayArgument explains an argument a command does not take; a month or a
// half year typed without its option is the usual one.
func strayArgument(fs *flag.FlagSet, arg string) error {
	hint := "；运行 " + fs.Name() + " -h 查看这个命令的写法"
	for _, opt := range []string{"month", "period", "half"} {
		if fs.Lookup(opt) == nil {
			continue
		}
		_, notMonth := report.ParseMonth(arg)
		_, notHalf := report.ParseHalf(arg)
		if notMonth == nil || notHalf == nil {
			hint = fmt.Sprintf("：要写成 --%s %s", opt, arg)
			break
		}
	}
	return report.Errorf(report.KindUsage, "多余的参数“%s”%s", arg, hint)
}

// parseWithArgs parses a command's flags wherever they stand, before or
// after its arguments (bulletin explain QUOTA --month 2025-05), and returns
// the arguments. After "--" everything is an argument.
func parseWithArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, flagError(fs, err)
		}
		left := fs.Args()
		if len(left) == 0 {
			return rest, nil
		}
		if parsed := len(args) - len(left); parsed > 0 && args[parsed-1] == "--" {
			return append(rest, left...), nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// flagError words the flag package's errors for a clerk.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	name := msg[strings.LastIndex(msg, "-")+1:]
	help := "；运行 " + fs.Name() + " -h 查看这个命令的选项"
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined"):
		return report.Errorf(report.KindUsage, "没有 --%s 这个选项%s", name, help)
	case strings.HasPrefix(msg, "flag needs an argument"):
		if f := fs.Lookup(name); f != nil {
			return report.Errorf(report.KindUsage, "选项 --%s 后面要写值（%s）", name, f.Usage)
		}
	case strings.HasPrefix(msg, "invalid"):
		if _, after, ok := strings.Cut(msg, " for flag -"); ok {
			name, _, _ = strings.Cut(after, ":")
		}
		if f := fs.Lookup(name); f != nil {
			return report.Errorf(report.KindUsage, "选项 --%s 的值写得不对（%s）", name, f.Usage)
		}
	}
	return report.Errorf(report.KindUsage, "选项写得不对（%s）%s", msg, help)
}

// monthFlag parses a required --month value.
func monthFlag(value string) (report.Month, error) {
	if value == "" {
		return report.Month{}, report.Errorf(report.KindUsage, "要写明报告月份，如 --month 2025-05")
	}
	m, err := report.ParseMonth(value)
	if err != nil {
		return report.Month{}, report.E(report.KindUsage, "--month", err)
	}
	return m, nil
}

// pipeline builds and reads one period at a time from the folders of the
// command line.
func (e *env) pipeline(cfg *report.Config) *pipeline {
	return &pipeline{cfg: cfg, dataDir: e.dataDir, outDir: e.outDir}
}

func (e *env) loadConfig() (*report.Config, error) {
	return config.Load(e.configPath, e.getenv)
}

// exitCode maps an error to the process exit status: 2 for usage errors,
// 1 for every other failure.
func exitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case report.KindOf(err) == report.KindUsage:
		fmt.Fprintln(os.Stderr, "bulletin:", report.PrintableLines(err.Error()))
		return 2
	default:
		fmt.Fprintln(os.Stderr, "bulletin:", report.PrintableLines(err.Error()))
		return 1
	}
}
