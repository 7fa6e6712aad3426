package deliver

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"

	"bulletin/report"
)

// mayBeIncomplete names the warnings of rows that may be missing, though
// their file was read: rows not read, or a squad's not exported. A person
// decides whether the figures stand (docs/rules-interpretation.md item
// 104). A reused id is not among them: the record that counts was read,
// and a correction exported again (a sample's case fixed) would hold every
// later month.
var mayBeIncomplete = map[string]string{
	report.WarnUnreadSheet: "工作簿里另有工作表可能也有这份导出的数据，没有读取",
	report.WarnMaybeCut:    "文件可能被截断",
	report.WarnSquadAbsent: "案件导出里可能少了中队，或这些中队的名称没有认出（见未采用的行）",
}

// inFolderOf reports that file is in the month folder of one of p's
// months: the exports the period adds. An earlier folder's file was held
// for when its own month was delivered; its rows count for that month, and
// holding every later one for it would teach the office to force them all.
func inFolderOf(p report.Period, file string) bool {
	folder, err := report.ParseMonth(filepath.Base(filepath.Dir(file)))
	return err == nil && slices.Contains(p.Months(), folder)
}

// preSendChecks lists what keeps a period from going to the city bureau
// unreviewed: what QualityChecks finds in the data-quality report of its
// build.
func preSendChecks(cfg *report.Config, p report.Period, docs *Documents) []string {
	if docs.Quality == nil {
		return []string{"生成时没有留下数据质量报告，无法检查"}
	}
	return QualityChecks(cfg, p, docs.Quality)
}

// QualityChecks is what the pre-send checks find in a period's data-quality
// report: missing folders or exports, files that could not be read, rows
// that may not have been read (mayBeIncomplete), a squad without a case in
// the last month's 案件 export, too many rejected rows. The same list
// holds a delivery, ends "bulletin check", and shows a leader before an
// approval what it will not send.
func QualityChecks(cfg *report.Config, p report.Period, q *report.Quality) []string {
	var problems []string
	for _, m := range q.Missing {
		problems = append(problems, "缺少月份文件夹："+m.Path)
	}
	for _, w := range q.Warnings {
		switch {
		case w.Kind == report.WarnMissingFile:
			problems = append(problems, "缺少导出文件："+w.Example)
		case mayBeIncomplete[w.Kind] != "" && inFolderOf(p, w.File):
			problems = append(problems, fmt.Sprintf("%s：%s —— %s", mayBeIncomplete[w.Kind], w.File, w.Described()))
		}
	}
	for _, f := range q.Files {
		problems = append(problems, fmt.Sprintf("文件无法读取：%s（%s）", f.File, f.Reason))
	}
	rows, rejected := 0, 0
	for _, in := range q.Inputs {
		rows += in.Rows
		rejected += in.Rejected
	}
	if rows > 0 && float64(rejected)/float64(rows) > cfg.Delivery.MaxRejectedShare {
		// The setting as written (0.0025 is 0.25%), not rounded to a
		// report's one decimal: 0.2% would not be what the clerk set.
		allowed := strconv.FormatFloat(math.Round(cfg.Delivery.MaxRejectedShare*1e6)/1e4, 'f', -1, 64)
		problems = append(problems, fmt.Sprintf("被拒绝的数据行 %d/%d，超过允许的 %s%%", rejected, rows, allowed))
	}
	return problems
}
