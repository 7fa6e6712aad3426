package compose

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/report"
)

// Keys of the evaluation indicators that compose words apart:
// abnormalIndicator's value is a number of abnormal cases per 100 cases
// (every other indicator's is a share); rectificationIndicator counts the
// overdue backlog as not on time (rules-interpretation 15).
const (
	abnormalIndicator      = "abnormal_cases"
	rectificationIndicator = "rectification_on_time"
)

// scoresAnnex is 附件1: every indicator's value and points for every squad,
// so that each score can be checked by hand.
func (b *builder) scoresAnnex(d *MonthData) report.Annex {
	ev := d.F.Evaluation
	a := report.Annex{Title: d.Month.Chinese() + "中队评价指标及得分明细", Landscape: true}
	b.prose(&a.Blocks, tmplAnnexScores, d)
	cols := []report.Column{col("排名", 0.6, report.AlignCenter), nameCol("中队")}
	for _, ind := range ev.Indicators {
		cols = append(cols, numCol(ind.Name), numCol(fmt.Sprintf("得分（%s分）", formatNum(ind.Weight))))
	}
	cols = append(cols, numCol("综合得分"))
	t := b.table("中队评价指标明细", d.Month.Chinese()+"中队评价指标及得分", cols...)
	for _, s := range ev.Squads {
		row := []report.Cell{intCell(s.Rank), textCell(s.Squad)}
		for _, ind := range ev.Indicators {
			is := indicatorOf(s, ind.Key)
			row = append(row, indicatorValue(ind.Key, is), pointsCell(is))
		}
		t.Rows = append(t.Rows, append(row, decimalCell(s.Score)))
	}
	a.Blocks = append(a.Blocks, tableBlock(t))
	if len(d.PartlyScored) > 0 {
		a.Blocks = append(a.Blocks, note(fmt.Sprintf("注：%s本期有指标无可计量的对象（表中注“未抽查”等），该项不计分，综合得分为已计分指标的得分之和除以这些指标的分值之和，折算为百分制。",
			joinNames(d.PartlyScored))))
	}
	return a
}

// indicatorValue is an indicator's measured value, or its mark (未抽查).
func indicatorValue(key string, is report.IndicatorScore) report.Cell {
	switch {
	case !is.Measured || is.Value == nil:
		return report.Cell{Text: is.Note, Format: report.CellPercent, Empty: true}
	case key == abnormalIndicator:
		return decimalCell(*is.Value)
	}
	return pctCell(is.Value)
}

// qualityAnnex is 附件2, the data-quality page: the files read, the files
// that could not be read, the rejected rows (the first maxRejectedListed;
// the data-quality workbook has all) and the warnings.
func (b *builder) qualityAnnex(d *MonthData) report.Annex {
	q := d.Quality
	a := report.Annex{Title: "数据质量情况", Landscape: true}
	shown := dataPaths(q)
	b.prose(&a.Blocks, tmplAnnexQuality, d)

	// Only the files with rejected rows: the full list of inputs, with
	// their checksums, is in the data-quality workbook.
	in := b.table("数据文件", "有未采用数据行的文件", col("数据集", 1.2, report.AlignLeft), col("文件", 4, report.AlignLeft),
		numCol("数据行"), numCol("采用"), numCol("未采用"), numCol("被替代"))
	for _, i := range q.Inputs {
		if i.Rejected > 0 {
			in.Rows = append(in.Rows, []report.Cell{textCell(i.Dataset), textCell(shown(i.File)), intCell(i.Rows),
				intCell(i.Accepted), alertCell(i.Rejected), intCell(i.Superseded)})
		}
	}
	if len(in.Rows) > 0 {
		a.Blocks = append(a.Blocks, tableBlock(in))
	}

	if len(q.Files) > 0 {
		t := b.table("无法读取的文件", "无法读取的文件", col("数据集", 1.2, report.AlignLeft), col("文件", 3, report.AlignLeft), col("原因", 4, report.AlignLeft))
		for _, f := range q.Files {
			t.Rows = append(t.Rows, []report.Cell{textCell(f.Dataset), textCell(shown(f.File)), textCell(f.Reason)})
		}
		a.Blocks = append(a.Blocks, tableBlock(t))
	}

	if len(q.Rejected) > 0 {
		t := b.table("未采用的数据行", "未采用的数据行",
			seqCol(), col("数据集", 1, report.AlignLeft), col("文件", 2.6, report.AlignLeft), col("工作表", 1, report.AlignLeft),
			col("行号", 0.8, report.AlignRight), col("列", 1.3, report.AlignLeft), col("值", 1.9, report.AlignLeft), col("原因", 2.4, report.AlignLeft))
		for i, r := range q.Rejected[:d.RejectedShown] {
			t.Rows = append(t.Rows, []report.Cell{seq(i), textCell(r.Dataset), textCell(shown(r.File)), textCell(r.Sheet),
				intCell(r.Row), textCell(r.Column), textCell(r.Value), textCell(r.Reason)})
		}
		a.Blocks = append(a.Blocks, tableBlock(t))
	}

	if len(q.Warnings) > 0 {
		// One line per kind of warning; the workbook lists them per file.
		t := b.table("数据提示", "数据提示", col("类型", 2, report.AlignLeft), numCol("文件数"),
			numCol("次数"), col("示例", 4, report.AlignLeft))
		index := map[string]int{}
		for _, w := range q.Warnings {
			i, seen := index[w.Kind]
			if !seen {
				i = len(t.Rows)
				index[w.Kind] = i
				t.Rows = append(t.Rows, []report.Cell{textCell(report.WarningName(w.Kind)), intCell(0), intCell(0), textCell(w.Example)})
			}
			t.Rows[i][1] = intCell(int(t.Rows[i][1].Number) + 1)
			t.Rows[i][2] = intCell(int(t.Rows[i][2].Number) + w.Count)
		}
		a.Blocks = append(a.Blocks, tableBlock(t))
	}
	return a
}

// dataPaths returns how the data-quality page shows a file: relative to
// the data folder, as 2025-05/案件.xlsx, for a reader at the city bureau
// who has no use for the paths of our server. The data folder is the
// files' common folder, or its parent when that would leave the month
// folder out (every file of one folder).
func dataPaths(q *report.Quality) func(string) string {
	var files []string
	for _, i := range q.Inputs {
		files = append(files, i.File)
	}
	for _, f := range q.Files {
		files = append(files, f.File)
	}
	for _, r := range q.Rejected {
		files = append(files, r.File)
	}
	if len(files) == 0 {
		return filepath.ToSlash
	}
	root := filepath.Dir(files[0])
	for _, f := range files[1:] {
		for !within(root, f) {
			parent := filepath.Dir(root)
			if parent == root { // nothing in common (a relative and an absolute path)
				return filepath.ToSlash
			}
			root = parent
		}
	}
	if !slices.ContainsFunc(files, func(f string) bool { return filepath.Dir(f) != root }) {
		root = filepath.Dir(root)
	}
	return func(file string) string {
		if rel, err := filepath.Rel(root, file); err == nil && within(root, file) {
			return filepath.ToSlash(rel)
		}
		return filepath.ToSlash(file)
	}
}

// within reports whether path lies inside folder dir.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
