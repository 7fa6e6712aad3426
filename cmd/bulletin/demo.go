package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"bulletin/report"
	"bulletin/report/sample"
)

// The demo builds every bulletin of the sample year and both halves'
// self-inspection reports, each dated as if issued on schedule, so that the
// output is the same on every machine and every day.
var (
	demoFirst = report.Month{Year: 2025, Month: 1}
	demoLast  = report.Month{Year: 2025, Month: 12}
)

// demoMark marks a folder the demo wrote, which the demo may write again:
// it writes only there or into a new or empty folder, never over a real
// out's bulletins, ledger and archives.
const demoMark = "示例说明.txt"

func runDemo(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	out := fs.Lookup("out")
	out.DefValue, out.Usage = "demo", "示例的输出文件夹：只写入新的或空的文件夹，或以前的示例文件夹"
	e.outDir = "demo"
	data := fs.Lookup("data")
	data.DefValue, data.Usage = "", "demo 不用：示例数据写在 --out 文件夹的 data 里"
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var dataGiven bool
	fs.Visit(func(f *flag.Flag) { dataGiven = dataGiven || f.Name == "data" })
	if dataGiven {
		return report.Errorf(report.KindUsage, "demo 不读 --data：示例数据写在 --out 文件夹的 data 里（现在是 %s）", report.Printable(filepath.Join(e.outDir, "data")))
	}
	if err := claimDemoFolder(e.outDir); err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	dataDir := filepath.Join(e.outDir, "data")
	if err := sample.Extract(dataDir); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "示例数据已写入 %s\n", report.Printable(dataDir))
	p := &pipeline{cfg: cfg, dataDir: dataDir, outDir: e.outDir}
	defer p.manyPeriods(demoLast)() // the half years read through December too
	issued := func(m report.Month) report.Date { return m.Add(1).First() }
	err = p.buildMonths(ctx, demoFirst, demoLast, issued, false, func(m report.Month, b *built) {
		fmt.Fprintf(e.stdout, "%s 月报：%s\n", m.Chinese(), report.Printable(b.pdfs[0]))
	})
	if err != nil {
		return err
	}
	for _, h := range []report.Half{{Year: 2025, N: 1}, {Year: 2025, N: 2}} {
		issued := h.Last().Add(1).First().AddDays(4) // the 5th, as scheduled
		b, err := p.buildHalfYear(ctx, h, issued, false)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "%s 自查报告：\n", h.Chinese())
		for _, p := range b.pdfs {
			fmt.Fprintln(e.stdout, "  ", report.Printable(p))
		}
	}
	fmt.Fprintf(e.stdout, "完成。打开 %s 查看各期月报；数据质量报告在每期文件夹的“数据质量报告”中。\n", report.Printable(e.outDir))
	return nil
}

// claimDemoFolder makes dir the demo's, refusing a folder that holds
// anything but an earlier demo (demoMark).
func claimDemoFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &report.Error{Kind: report.KindData, Op: "示例的输出文件夹无法读取", Path: dir, Err: err}
	}
	if len(entries) > 0 {
		if _, err := os.Stat(filepath.Join(dir, demoMark)); err != nil {
			return report.Errorf(report.KindUsage, "%s 里已有不是示例的文件（也许是真实的月报和报送记录），示例没有写入；请用 --out 指定一个新文件夹，如 --out demo", report.Printable(dir))
		}
	}
	err = os.MkdirAll(dir, 0o755)
	if err == nil {
		err = report.WriteFileAtomic(filepath.Join(dir, demoMark), []byte("本文件夹由 bulletin demo 用内置的示例数据生成，只是示例，与真实的月报和报送无关，可以整个删除。\n"))
	}
	if err != nil {
		return &report.Error{Kind: report.KindData, Op: "示例的输出文件夹无法写入", Path: dir, Err: err}
	}
	return nil
}
