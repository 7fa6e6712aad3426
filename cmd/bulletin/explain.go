package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/metrics"
)

// runExplain prints the records behind a quota's numerator and denominator,
// so that a person can see why a number is what it is.
func runExplain(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	month := fs.String("month", "", "报告月份，如 2025-05")
	asJSON := fs.Bool("json", false, "以 JSON 输出")
	rest, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return report.Errorf(report.KindUsage, "要写一个指标编号，如 bulletin explain --month 2025-05 lawful.case_sample_rate（指标编号见 plans/ 里当年方案文件的 [[quotas]]）")
	}
	m, err := monthFlag(*month)
	if err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	plan, err := cfg.ForMonth(m)
	if err != nil {
		return err
	}
	if err := metrics.CheckQuotaID(plan, rest[0]); err != nil {
		return err // before the data is read: a typo is told at once
	}
	ds, _, err := e.pipeline(cfg).readExports(ctx, m) // the records as read: explain prints no document
	if err != nil {
		return err
	}
	ex, err := explain(cfg, ds, m, rest[0])
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	}
	printExplanation(e.stdout, ex)
	return nil
}

// explain is metrics.Explain with the figure worded as the documents word
// it (compose.Word), for the command and the console alike.
func explain(cfg *report.Config, ds *report.Dataset, m report.Month, quota string) (report.Explanation, error) {
	ex, err := metrics.Explain(cfg, ds, m, quota)
	if err != nil {
		return ex, err
	}
	plan, err := cfg.ForMonth(m)
	if err != nil {
		return ex, err
	}
	compose.Word(plan, &ex)
	return ex, nil
}

func printExplanation(w io.Writer, ex metrics.Explanation) {
	q := ex.Quota
	fmt.Fprintf(w, "%s  %s（%s）  %s\n", ex.Month, q.Name, q.ID, q.Status)
	if ex.Rate != "" { // a rate: its numerator and denominator, as the records below list them
		fmt.Fprintf(w, "分子 %d / 分母 %d", q.Numerator, q.Denominator)
		if q.Value != nil {
			fmt.Fprintf(w, " = %s", ex.Rate)
		}
	} else {
		fmt.Fprintf(w, "完成情况 %s", ex.Result)
	}
	fmt.Fprintf(w, "，目标 %s", ex.Target)
	if q.Note != "" {
		fmt.Fprintf(w, "（%s）", q.Note)
	}
	fmt.Fprintln(w)
	printRefs(w, "分子："+ex.NumeratorRule, ex.Numerator)
	printRefs(w, "分母："+ex.DenominatorRule, ex.Denominator)
	if len(ex.PerSquad) > 0 {
		fmt.Fprintln(w, "\n各中队：")
		for _, c := range ex.PerSquad {
			fmt.Fprintf(w, "  %s\t%d\n", c.Name, c.Count)
		}
	}
}

func printRefs(w io.Writer, title string, refs []metrics.Ref) {
	fmt.Fprintf(w, "\n%s（%d 条）\n", title, len(refs))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, r := range refs {
		where := ""
		if r.Origin.File() != "" {
			where = fmt.Sprintf("%s 第%d行", report.Printable(r.Origin.File()), r.Origin.Row)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", r.Dataset, report.Printable(r.ID), r.Date, r.Squad, report.Printable(r.Detail), where)
	}
	tw.Flush()
}
