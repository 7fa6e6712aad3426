package main

import (
	"context"
	"flag"
	"fmt"
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

func runDemo(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
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
