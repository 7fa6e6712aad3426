package workbook

import (
	"errors"
	"fmt"
	"strconv"

	"bulletin/report"

	"github.com/xuri/excelize/v2"
)

// WriteQuality writes the data-quality report q to an .xlsx at path,
// atomically: a "说明" sheet with the verdict and the counts, then 输入文件,
// 无法读取的文件, 被拒绝的行 (every one), 警告 and 缺少的月份. A sheet with
// nothing to report keeps its header, so every report has the same sheets.
func WriteQuality(path string, q *report.Quality) error {
	if q == nil {
		return &report.Error{Kind: report.KindRender, Op: "write data-quality workbook", Path: path,
			Err: errors.New("no data-quality report given")}
	}
	period := periodChinese(q.Period)
	verdict := "数据完整：所有文件均可读取，没有被拒绝的行。"
	if !q.Clean() {
		verdict = "数据不完整：有无法读取的文件或被拒绝的行，详见各表。"
	}
	ab := about{
		title:     period + "数据质量报告",
		noteTitle: "条数",
		facts: [][2]string{
			{"期间", q.Period},
			{"结论", verdict},
			{"说明", "被拒绝的行未计入任何指标；警告不影响计算，供核对数据时参考。"},
		},
	}
	tables := qualityTables(q, period)
	placed := make([]placedTable, len(tables))
	for i := range tables {
		placed[i] = placedTable{&tables[i], integer(len(tables[i].Rows))}
	}
	props := &excelize.DocProperties{Title: ab.title, Subject: "数据质量报告 " + q.Period, Creator: "bulletin"}
	return write(path, props, ab, placed)
}

// periodChinese is 2025年5月 or 2025年上半年 for a period key, or the key.
func periodChinese(p string) string {
	if m, err := report.ParseMonth(p); err == nil {
		return m.Chinese()
	}
	if h, err := report.ParseHalf(p); err == nil {
		return h.Chinese()
	}
	return p
}

func qualityTables(q *report.Quality, period string) []report.Table {
	left := func(title string) report.Column { return report.Column{Title: title, Align: report.AlignLeft} }
	right := func(title string) report.Column { return report.Column{Title: title, Align: report.AlignRight} }

	inputs := report.Table{
		Sheet:   "输入文件",
		Caption: fmt.Sprintf("%s读取的输入文件（%d个）", period, len(q.Inputs)),
		Columns: []report.Column{left("数据集"), left("文件"), left("SHA-256"),
			right("读取行数"), right("采用"), right("拒绝"), right("被取代")},
	}
	var sum report.Input
	for _, in := range q.Inputs {
		inputs.Rows = append(inputs.Rows, []report.Cell{text(in.Dataset), text(in.File), text(in.SHA256),
			integer(in.Rows), integer(in.Accepted), integer(in.Rejected), integer(in.Superseded)})
		sum.Rows += in.Rows
		sum.Accepted += in.Accepted
		sum.Rejected += in.Rejected
		sum.Superseded += in.Superseded
	}
	if len(q.Inputs) > 0 {
		inputs.Total = []report.Cell{text("合计"), {}, {},
			integer(sum.Rows), integer(sum.Accepted), integer(sum.Rejected), integer(sum.Superseded)}
	}

	unreadable := report.Table{
		Sheet:   "无法读取的文件",
		Caption: fmt.Sprintf("%s无法读取的文件（%d个）", period, len(q.Files)),
		Columns: []report.Column{left("数据集"), left("文件"), left("原因")},
	}
	for _, fe := range q.Files {
		unreadable.Rows = append(unreadable.Rows, []report.Cell{text(fe.Dataset), text(fe.File), text(fe.Reason)})
	}

	rejected := report.Table{
		Sheet:   "被拒绝的行",
		Caption: fmt.Sprintf("%s被拒绝的行（%d行）", period, len(q.Rejected)),
		Columns: []report.Column{left("数据集"), left("文件"), left("工作表"), right("行号"),
			left("列"), left("值"), left("原因")},
	}
	for _, r := range q.Rejected {
		row := text("") // a row number 0 means the file as a whole
		if r.Row > 0 {
			row = integer(r.Row)
		}
		rejected.Rows = append(rejected.Rows, []report.Cell{text(r.Dataset), text(r.File), text(r.Sheet),
			row, text(r.Column), text(r.Value), text(r.Reason)})
	}

	warnings := report.Table{
		Sheet:   "警告",
		Caption: fmt.Sprintf("%s警告（%d类）", period, len(q.Warnings)),
		Columns: []report.Column{left("类型"), left("代码"), left("文件"), right("次数"), left("示例")},
	}
	count := 0
	for _, w := range q.Warnings {
		warnings.Rows = append(warnings.Rows, []report.Cell{text(report.WarningName(w.Kind)), text(w.Kind), text(w.File),
			integer(w.Count), text(w.Example)})
		count += w.Count
	}
	if len(q.Warnings) > 0 {
		warnings.Total = []report.Cell{text("合计"), {}, {}, integer(count)}
	}

	missing := report.Table{
		Sheet:   "缺少的月份",
		Caption: fmt.Sprintf("%s缺少的月份文件夹（%d个）", period, len(q.Missing)),
		Columns: []report.Column{left("月份"), left("文件夹")},
	}
	for _, m := range q.Missing {
		missing.Rows = append(missing.Rows, []report.Cell{text(m.Month), text(m.Path)})
	}
	return []report.Table{inputs, unreadable, rejected, warnings, missing}
}

func text(s string) report.Cell { return report.Cell{Text: s} }

func integer(n int) report.Cell {
	return report.Cell{Text: strconv.Itoa(n), Number: float64(n), Format: report.CellInt}
}
