package ingest

import (
	"fmt"
	"io"
	"strings"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// warnOtherSheets tells what a workbook holds besides the rows read, which
// the contract's rule (the sheet named after the dataset, else the first)
// would otherwise leave unsaid: that the sheet read is one Excel hides,
// and that another sheet has the dataset's header and rows under it (an
// export split over two sheets), which are not read. A sheet without the
// header (说明, a blank Sheet2, a chart) is no one's rows and goes
// unmentioned.
func (rd *reader) warnOtherSheets(res *fileResult, r io.ReaderAt, size int64) {
	sheets, err := xlsx.Worksheets(r, size)
	if err != nil {
		res.warn(report.WarnUnreadSheet, "无法列出工作簿的工作表，未能检查其他工作表中是否有"+res.schema.dataset+"的数据（"+readFailure(err)+"）")
		return
	}
	var notes []string
	for _, sh := range sheets {
		if sh.Name == res.sheet {
			if sh.Hidden {
				res.warn(report.WarnHiddenSheet, fmt.Sprintf("读取的工作表「%s」在 Excel 中是隐藏的（右键工作表标签→取消隐藏可查看）；请确认它就是要报送的数据", sh.Name))
			}
			continue
		}
		switch on := rd.datasetOn(res.schema, r, size, sh.Name); {
		case on.err != nil:
			notes = append(notes, fmt.Sprintf("工作表「%s」无法读取，不知其中是否有%s的数据（%s）", sh.Name, res.schema.dataset, readFailure(on.err)))
		case on.found:
			notes = append(notes, fmt.Sprintf("工作表「%s」第%d行也是%s的表头，其下 %d 行数据没有读取（只读取工作表「%s」）；如需计入，请把这些行移到「%s」中",
				sh.Name, on.header, res.schema.dataset, on.rows, res.sheet, res.sheet))
		}
	}
	if len(notes) > 0 {
		res.warn(report.WarnUnreadSheet, strings.Join(notes, "。"))
	}
}

// otherSheetWithHeader is what to add to the refusal of a workbook whose
// sheet read has no header of the dataset when another sheet has one: its
// name, and the sheet the rule reads (want, else the first); "" when no
// other sheet has the header.
func (rd *reader) otherSheetWithHeader(res *fileResult, r io.ReaderAt, size int64, want string) string {
	sheets, err := xlsx.Worksheets(r, size)
	if err != nil {
		return ""
	}
	for _, sh := range sheets {
		if sh.Name == res.sheet {
			continue
		}
		if on := rd.datasetOn(res.schema, r, size, sh.Name); on.found {
			return fmt.Sprintf("。另有工作表「%s」第%d行是%s的表头，但只读取名为「%s」的工作表（没有时读取第一个）：请把数据放在名为「%s」的工作表中",
				sh.Name, on.header, res.schema.dataset, want, want)
		}
	}
	return ""
}

// sheetHolding is what a sheet holds of a dataset: whether it has its
// header, on which row, and how many rows follow it; err when the sheet
// could not be read to tell.
type sheetHolding struct {
	found        bool
	header, rows int
	err          error
}

// datasetOn reads the named sheet for what it holds of the dataset of s.
func (rd *reader) datasetOn(s *schema, r io.ReaderAt, size int64, sheet string) sheetHolding {
	var on sheetHolding
	err := xlsx.Read(r, size, sheet, rd.opt.xlsx(), func(src *xlsx.Sheet) error {
		on = sheetHolding{}
		h, _, err := findHeader(src, s)
		if err != nil {
			return err
		}
		on.found, on.header = true, h.row
		src.KeepColumns(nil) // only whether a row holds anything
		for {
			_, cells, ok := src.Next()
			if !ok {
				return src.Err()
			}
			if first, empty := firstNonEmpty(cells); !empty && !isSummary(first) {
				on.rows++
			}
		}
	})
	if err != nil && !isNoHeader(err) {
		on = sheetHolding{err: err}
	}
	return on
}
