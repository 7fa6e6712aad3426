package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/workbook"
)

func runCheck(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	month := fs.String("month", "", "报告月份，如 2025-05")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	m, err := monthFlag(*month)
	if err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	tmpl, err := compose.LoadTemplates(cfg.Templates)
	if err != nil {
		return err
	}
	ds, q, err := readMonth(ctx, cfg, e.dataDir, m)
	if err != nil {
		return err
	}
	if err := writeQuality(filepath.Join(e.outDir, m.String()), m.Chinese(), q); err != nil {
		return err
	}
	summarizeQuality(e.stdout, q)
	if len(ds.Missing) > 0 {
		return report.Errorf(report.KindData, "%s: required export(s) unreadable: %s", m, strings.Join(ds.Missing, "、"))
	}
	// Fill in the wording templates too, without writing a PDF: an edited
	// template that names a missing field is found here, not on the 1st.
	fig, err := metrics.Monthly(cfg, ds, q, m, m.Add(1).First())
	if err != nil {
		return err
	}
	if _, err := compose.Bulletin(cfg, fig, q, tmpl); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "配置和文字模板检查通过。")
	return nil
}

// readMonth reads what a report of month m needs: the month folders of the
// year to date, and the previous December in January for 上月.
func readMonth(ctx context.Context, cfg *report.Config, dataDir string, m report.Month) (*report.Dataset, *report.Quality, error) {
	from := report.Month{Year: m.Year, Month: 1}
	if prev := m.Prev(); prev.Compare(from) < 0 {
		from = prev
	}
	ds, q, err := ingest.Read(ctx, cfg, dataDir, from, m)
	if err != nil {
		return nil, nil, err
	}
	q.Period = m.String()
	return ds, q, nil
}

// writeQuality writes quality.json and the data-quality workbook into dir.
func writeQuality(dir, periodName string, q *report.Quality) error {
	data, err := json.MarshalIndent(q, "", "  ")
	if err != nil {
		return err
	}
	if err := report.WriteFileAtomic(filepath.Join(dir, "quality.json"), append(data, '\n')); err != nil {
		return err
	}
	return workbook.WriteQuality(filepath.Join(dir, "数据质量报告-"+periodName+".xlsx"), q)
}

// summarizeQuality prints the few lines a clerk reads after a run.
func summarizeQuality(w io.Writer, q *report.Quality) {
	rows, accepted, rejected := 0, 0, 0
	for _, in := range q.Inputs {
		rows += in.Rows
		accepted += in.Accepted
		rejected += in.Rejected
	}
	fmt.Fprintf(w, "数据质量（%s）：读取文件 %d 个，数据行 %d，采用 %d，拒绝 %d。\n", q.Period, len(q.Inputs), rows, accepted, rejected)
	for _, f := range q.Files {
		fmt.Fprintf(w, "  无法读取：%s（%s）：%s\n", f.File, f.Dataset, f.Reason)
	}
	warnings := map[string]int{}
	for _, wn := range q.Warnings {
		warnings[wn.Kind] += wn.Count
	}
	for _, kind := range sortedKeys(warnings) {
		fmt.Fprintf(w, "  提示 %s：%d\n", report.WarningName(kind), warnings[kind])
	}
	for _, d := range q.Missing {
		fmt.Fprintf(w, "  缺少月份文件夹：%s\n", d.Path)
	}
}
