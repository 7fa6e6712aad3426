package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"bulletin/report"
	"bulletin/report/metrics"
	"bulletin/report/workbook"
)

// buildHalfYear writes O/<half>/: one self-inspection report per item the
// plan requires one for, their annex workbook, figures.json and the
// data-quality report.
func (p *pipeline) buildHalfYear(ctx context.Context, h report.Half, issued report.Date, force bool) (*built, error) {
	cfg := p.cfg
	tmpl, err := p.loadTemplates()
	if err != nil {
		return nil, err
	}
	if _, err := cfg.ForMonth(h.Last()); err != nil { // a year without its plan stops the run before any reading
		return nil, err
	}
	ds, q, earlier, err := p.readThrough(ctx, h.Last())
	if err != nil {
		return nil, err
	}
	q.Period = h.String()
	dir := filepath.Join(p.outDir, h.String())
	if err := writeQuality(dir, h.Chinese(), q); err != nil {
		return nil, err
	}
	// Every month of the half is reported on: a month without its folder
	// would count as a month with nothing done.
	for _, m := range h.Months() {
		if err := requireMonthFolder(m, q); err != nil {
			return nil, err
		}
	}
	if err := requireComplete(h.Chinese(), ds, q, force); err != nil {
		return nil, err
	}
	fig, err := metrics.HalfYear(cfg, ds, q, h, issued, earlier)
	if err != nil {
		return nil, err
	}
	if err := withdrawTextDigest(dir); err != nil {
		return nil, err
	}
	if err := writeFigures(dir, fig); err != nil {
		return nil, err
	}
	b := &built{dir: dir, figures: fig, quality: q}
	docs, text, err := edition(cfg, fig, q, tmpl)
	if err != nil {
		return nil, err
	}
	b.text = text
	marked := ds.Unprintable
	fonts, err := p.renderer()
	if err != nil {
		return nil, err
	}
	var annexes []report.Document // the reports with their annexes only, for the annex workbook
	// A report that cannot be rendered does not keep the others from being
	// written; the run still fails, naming it.
	var failed []error
	for _, doc := range docs {
		annexOnly := doc
		annexOnly.Blocks, annexOnly.Details = nil, nil
		annexes = append(annexes, annexOnly)
		if err := renderDocument(fonts, dir, doc, marked); err != nil {
			failed = append(failed, err)
			continue
		}
		b.pdfs = append(b.pdfs, pdfPath(dir, doc))
	}
	title := fmt.Sprintf("%s%s自查报告附表", cfg.Bureau.ShortName, h.Chinese())
	if err := workbook.WriteSet(filepath.Join(dir, fmt.Sprintf("自查报告附表-%s.xlsx", h.Chinese())), title, annexes); err != nil {
		failed = append(failed, err)
	}
	if len(failed) > 0 {
		return nil, errors.Join(failed...)
	}
	if err := writeTextDigest(dir, b.text); err != nil {
		return nil, err
	}
	return b, nil
}

func runHalfYear(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	halfFlag := fs.String("half", "", "半年，如 2025-H1（上半年）或 2025-H2（下半年）")
	nowFlag := clockFlag(fs)
	force := forceFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *halfFlag == "" {
		return report.Errorf(report.KindUsage, "要写明哪个半年，如 --half 2025-H1（上半年）或 --half 2025-H2（下半年）")
	}
	h, err := report.ParseHalf(*halfFlag)
	if err != nil {
		return report.E(report.KindUsage, "--half", err)
	}
	cfg, now, err := e.configAt(*nowFlag)
	if err != nil {
		return err
	}
	b, err := e.pipeline(cfg).buildHalfYear(ctx, h, report.DateOf(now, cfg.Location), *force)
	if err != nil {
		return err
	}
	b.print(e.stdout, h.Chinese()+" 自查报告")
	return nil
}
