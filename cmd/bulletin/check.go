package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/deliver"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/workbook"
)

func runCheck(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	month := fs.String("month", "", "报告月份，如 2025-05")
	force := forceFlag(fs)
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
	if err := printPlans(e.stdout, cfg, m); err != nil {
		return err
	}
	p := e.pipeline(cfg)
	tmpl, err := p.loadTemplates()
	if err != nil {
		return err
	}
	ds, q, earlier, err := p.readThrough(ctx, m)
	if err != nil {
		return err
	}
	if err := writeQuality(filepath.Join(e.outDir, m.String()), m.Chinese(), q); err != nil {
		return err
	}
	q.WriteSummary(e.stdout)
	fmt.Fprintf(e.stdout, "详细清单：%s\n", report.Printable(qualityWorkbook(filepath.Join(e.outDir, m.String()), m.Chinese())))
	if err := requireMonthFolder(m, q); err != nil {
		return err
	}
	if err := requireComplete(m.Chinese(), ds, q, *force); err != nil {
		return err
	}
	// What would hold the month's delivery, told while there is time to
	// mend the data; after what stops check itself, not to say it twice.
	if holds := deliver.QualityChecks(cfg, report.Period{Kind: report.PeriodMonthly, Month: m}, q); len(holds) > 0 {
		fmt.Fprintln(e.stdout, "报送前检查没有通过，到了报送时间这一期会暂停，不发给市局：")
		for _, h := range holds {
			fmt.Fprintf(e.stdout, "- %s\n", report.Printable(h))
		}
	}
	// Fill in the wording templates too, without writing a PDF: an edited
	// template that names a missing field is found here, not on the 1st.
	fig, err := metrics.Monthly(cfg, ds, q, m, m.Add(1).First(), earlier)
	if err != nil {
		return err
	}
	if _, err := figuresJSON(fig); err != nil { // as monthly will write it
		return err
	}
	if _, err := compose.Bulletin(cfg, fig, q, tmpl); err != nil {
		return err
	}
	// and the self-inspection templates, with the half to date: m as its
	// figures have it, the months after it, not reported yet, judged on
	// what is read
	own, err := metrics.IssuedOf(fig)
	if err != nil {
		return err
	}
	var later []report.Month
	for k := m.Add(1); k.Compare(m.Half().Last()) < 0; k = k.Add(1) {
		later = append(later, k)
	}
	after, err := metrics.Judge(cfg, ds, later...)
	if err != nil {
		return err
	}
	// The months before the half's last: in June and December, m is its last.
	year := append(append(earlier, own), after...)[:m.Half().Last().Month-1]
	half, err := metrics.HalfYear(cfg, ds, q, m.Half(), m.Add(1).First(), year)
	if err != nil {
		return err
	}
	for _, si := range half.SelfInspections {
		if _, err := compose.SelfInspection(cfg, half, si, tmpl); err != nil {
			return err
		}
	}
	fmt.Fprintln(e.stdout, "配置和文字模板检查通过。")
	return nil
}

// printPlans tells the clerk which plan judges which months, and m's: a
// month of a year without a plan stops here, saying which file to add.
func printPlans(w io.Writer, cfg *report.Config, m report.Month) error {
	for i, p := range cfg.Plans {
		last := report.Month{Year: p.Year, Month: time.December}
		if i+1 < len(cfg.Plans) && cfg.Plans[i+1].Year == p.Year {
			last = cfg.Plans[i+1].From.Prev()
		}
		months := fmt.Sprintf("%d年各月", p.Year)
		switch {
		case p.From == last:
			months = p.From.Chinese()
		case p.From.Month > time.January || last.Month < time.December:
			months = fmt.Sprintf("%d年%d—%d月", p.Year, int(p.From.Month), int(last.Month))
		}
		fmt.Fprintf(w, "方案：%s按《%s》（%s）考核。\n", months, p.Name, p.File)
	}
	in, err := cfg.ForMonth(m)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s按《%s》考核", m.Chinese(), in.Plan.Name)
	if prev := m.Prev(); prev.Year != m.Year {
		fmt.Fprintf(w, "；上月（%s）的数字只作对比", prev.Chinese())
	}
	fmt.Fprintln(w, "。")
	return nil
}

// readMonth reads what a report of month m needs: the month folders of the
// year to date, and the previous December in January for 上月; the exports
// a rule reaches without limit (report.ReachesAllHistory) in every folder
// up to m.
//
// What was parsed is kept in the cache of parsed exports in outDir (see
// ingest.CacheFile), so that the next report does not parse the earlier
// folders again. The cache is only ever time: one that cannot be written
// is left as it is. In a run of many periods, a month also goes on from
// the datasets of the month before (pipeline.carry): its dataset is
// reused by the next reading.
//
// The characters of the exports the document fonts cannot print are
// marked (markUnprintable), for the documents and their quality report.
func (p *pipeline) readMonth(ctx context.Context, m report.Month) (*report.Dataset, *report.Quality, error) {
	ds, q, err := p.readExports(ctx, m)
	if err != nil {
		return nil, nil, err
	}
	fonts, err := p.renderer()
	if err != nil {
		return nil, nil, err
	}
	markUnprintable(fonts, ds, q)
	return ds, q, nil
}

// readExports is readMonth without the fonts: for what prints no document
// (explain), which need not read them.
func (p *pipeline) readExports(ctx context.Context, m report.Month) (*report.Dataset, *report.Quality, error) {
	from, through := readSpan(m)
	defer p.holdCache()()
	ds, q, err := ingest.ReadWith(ctx, p.cfg, p.dataDir, from, through, ingest.Options{Cache: p.cache, Carry: p.carry, Hashed: p.hashed})
	if err != nil {
		return nil, nil, err
	}
	q.Period = m.String()
	return ds, q, nil
}

// readSpan is the first and last month folders whose every export a
// report of m reads: its year's to date, and the December before in
// January for 上月.
func readSpan(m report.Month) (from, through report.Month) {
	from = report.Month{Year: m.Year, Month: time.January}
	if prev := m.Prev(); prev.Compare(from) < 0 {
		from = prev
	}
	return from, m
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
	return workbook.WriteQuality(qualityWorkbook(dir, periodName), q)
}

func qualityWorkbook(dir, periodName string) string {
	return filepath.Join(dir, "数据质量报告-"+periodName+".xlsx")
}

// requireMonthFolder stops a report on a month that has no folder: its
// figures would all read 0. A folder named in another way (2025年5月,
// 202505) is pointed out, since that is the usual cause.
func requireMonthFolder(m report.Month, q *report.Quality) error {
	want := ""
	for _, d := range q.Missing {
		if d.Month == m.String() {
			want = d.Path
		}
	}
	if want == "" {
		return nil
	}
	dataDir := filepath.Dir(want)
	var hint string
	entries, _ := os.ReadDir(dataDir)
	year, month := strconv.Itoa(m.Year), strconv.Itoa(int(m.Month))
	for _, en := range entries {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return ' '
		}, en.Name())
		f := strings.Fields(digits)
		if en.IsDir() && (len(f) >= 2 && f[0] == year && strings.TrimLeft(f[1], "0") == month ||
			len(f) == 1 && f[0] == m.String()[:4]+m.String()[5:]) {
			hint = fmt.Sprintf("；发现文件夹 %s，应改名为 %s", filepath.Join(dataDir, en.Name()), m.String())
		}
	}
	return report.Errorf(report.KindData, "没有 %s 的数据文件夹 %s，不能生成该月报告%s", m.Chinese(), want, hint)
}

// forceFlag registers --force: go on with a period whose data is
// incomplete, as check, monthly and halfyear allow and send --force does.
func forceFlag(fs *flag.FlagSet) *bool {
	return fs.Bool("force", false, "数据不完整（缺少或无法读取某个导出文件，或缺少往月的数据文件夹）时仍然继续；月报第1页会写明哪些数字不完整")
}

// requireComplete stops a run whose figures would be incomplete: an export
// of the period that is missing, a file that could not be read, or a month
// folder of the reading missing (上月 and the year to date count it). check,
// monthly, halfyear and due (preSendChecks) stop on the same things; with
// force the run goes on and the document says what is incomplete.
func requireComplete(period string, ds *report.Dataset, q *report.Quality, force bool) error {
	incomplete := report.IncompleteDatasets(ds, q)
	if len(incomplete) == 0 && len(q.Missing) == 0 || force {
		return nil
	}
	var why []string
	for _, m := range q.Missing {
		month, _ := report.ParseMonth(m.Month)
		why = append(why, fmt.Sprintf("缺少%s的数据文件夹 %s：上月办结案件、本年累计等数字要用到当年1月起每个月的数据（1月还要用上年12月的），不要删除往月的文件夹", month.Chinese(), report.Printable(m.Path)))
	}
	for _, d := range incomplete {
		reason := fmt.Sprintf("「%s」：本月文件夹中没有文件名以“%s”开头的导出文件", d, d)
		for _, fe := range q.Files {
			if fe.Dataset == d {
				reason = fmt.Sprintf("「%s」：%s 无法读取（%s）", d, report.Printable(fe.File), report.Printable(fe.Reason))
				break
			}
		}
		why = append(why, reason)
	}
	return report.Errorf(report.KindData, "%s的数据不完整，没有生成报告：\n  %s\n请补齐或更正这些文件后重新运行；确需先出一版时加 --force，月报第1页会写明哪些数字不完整",
		period, strings.Join(why, "\n  "))
}
