package ingest

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// warnOtherSheets tells what a workbook holds besides the rows read, which
// the contract's rule (the sheet named after the dataset, else the first)
// would otherwise leave unsaid: that the sheet read is one Excel hides,
// and that another worksheet has the dataset's header and rows under it
// (an export split over two sheets), which are not read. A sheet without
// the header (说明, a blank Sheet2) is no one's rows and goes unmentioned.
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
		if note := rd.rowsOnSheet(res.schema, r, size, sh.Name, res.sheet); note != "" {
			notes = append(notes, note)
		}
	}
	if len(notes) > 0 {
		res.warn(report.WarnUnreadSheet, strings.Join(notes, "。"))
	}
}

// rowsOnSheet says what the named sheet holds of the dataset, the sheet
// read being read: "" when it has no header of the schema, else where its
// header is and how many rows under it are not read, or that it could not
// be read.
func (rd *reader) rowsOnSheet(s *schema, r io.ReaderAt, size int64, sheet, read string) string {
	var h header
	rows := 0
	err := xlsx.Read(r, size, sheet, rd.opt.xlsx(), func(src *xlsx.Sheet) error {
		var err error
		if h, _, err = findHeader(src, s); err != nil {
			return err
		}
		src.KeepColumns(nil) // only whether a row holds anything
		for rows = 0; ; {
			_, cells, ok := src.Next()
			if !ok {
				return src.Err()
			}
			if first, empty := firstNonEmpty(cells); !empty && !isSummary(first) {
				rows++
			}
		}
	})
	var noHeader *problem
	switch {
	case errors.As(err, &noHeader):
		return ""
	case err != nil:
		return fmt.Sprintf("工作表「%s」无法读取，不知其中是否有%s的数据（%s）", sheet, s.dataset, readFailure(err))
	}
	return fmt.Sprintf("工作表「%s」第%d行也是%s的表头，其下 %d 行数据没有读取（只读取工作表「%s」）；如需计入，请把这些行移到「%s」中",
		sheet, h.row, s.dataset, rows, read, read)
}
