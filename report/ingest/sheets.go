package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// Bounds on looking through a workbook's other sheets, which a hostile
// workbook has by the thousand: at most maxSheetsLooked are read for the
// dataset's header, of which at most maxSheetsByExcelize by excelize
// (each such read parses the whole workbook: the others are not
// checked), and at most maxSheetsSeen are looked at at all (whether
// blank, a small read each). The rest are counted as not checked.
const (
	maxSheetsLooked     = 8
	maxSheetsByExcelize = 2
	maxSheetsSeen       = 256
)

// warnOtherSheets tells what a workbook of sheets holds besides the rows
// read, which the contract's rule (the sheet named after the dataset, else
// the first) would otherwise leave unsaid: that the sheet read is one
// Excel hides, and that another sheet has the dataset's header and rows
// under it (an export split over two sheets), which are not read. A sheet
// without the header (说明, a blank Sheet2, a chart) is no one's rows and
// goes unmentioned.
func (rd *reader) warnOtherSheets(ctx context.Context, res *fileResult, r io.ReaderAt, size int64, sheets []xlsx.Worksheet) {
	for _, sh := range sheets {
		if sh.Name == res.sheet && sh.Hidden {
			res.warn(report.WarnHiddenSheet, fmt.Sprintf("读取的工作表「%s」在 Excel 中是隐藏的（右键工作表标签→取消隐藏可查看）；请确认它就是要报送的数据", sh.Name))
		}
	}
	var notes []string
	unlooked := rd.otherSheets(ctx, res, r, size, sheets, func(name string, on sheetHolding) bool {
		switch {
		case errors.Is(on.err, xlsx.ErrNotStreamed):
			notes = append(notes, fmt.Sprintf("%s写法少见，读它要解析整个工作簿，没有检查其中是否有%s的数据", name, res.schema.dataset))
		case on.err != nil:
			notes = append(notes, fmt.Sprintf("%s无法读取，不知其中是否有%s的数据（%s）", name, res.schema.dataset, readFailure(on.err)))
		case on.found:
			notes = append(notes, fmt.Sprintf("%s第%d行也是%s的表头，其下 %d 行数据没有读取（只读取工作表「%s」）；如需计入，请把这些行移到「%s」中",
				name, on.header, res.schema.dataset, on.rows, res.sheet, res.sheet))
		}
		return true
	})
	if unlooked > 0 {
		notes = append(notes, notLooked(unlooked, res.schema.dataset))
	}
	if len(notes) > 0 {
		res.warn(report.WarnUnreadSheet, strings.Join(notes, "。"))
	}
}

// otherSheetWithHeader is what to add to the refusal of a workbook whose
// sheet read has no header of the dataset: another sheet that has one and
// the sheet the rule reads (want, else the first); else a sheet that
// could not be read to tell, and how many sheets were not looked at; ""
// when there is nothing to add.
func (rd *reader) otherSheetWithHeader(ctx context.Context, res *fileResult, r io.ReaderAt, size int64, sheets []xlsx.Worksheet, want string) string {
	hint, unreadable := "", ""
	unlooked := rd.otherSheets(ctx, res, r, size, sheets, func(name string, on sheetHolding) bool {
		switch {
		case on.found:
			hint = fmt.Sprintf("。另有%s第%d行是%s的表头，但只读取名为「%s」的工作表（没有时读取第一个）：请把数据放在名为「%s」的工作表中",
				name, on.header, res.schema.dataset, want, want)
		case on.err != nil && unreadable == "":
			unreadable = fmt.Sprintf("。另有%s无法读取，不知其中是否有%s的表头", name, res.schema.dataset)
		}
		return !on.found
	})
	if hint == "" {
		hint = unreadable
		if unlooked > 0 {
			hint += "。" + notLooked(unlooked, res.schema.dataset)
		}
	}
	return hint
}

func notLooked(sheets int, dataset string) string {
	return fmt.Sprintf("另有 %d 个工作表没有检查是否有%s的数据", sheets, dataset)
}

// otherSheets calls look with what each sheet but the one read holds of
// the dataset, named for the clerk, while look returns true; blank sheets
// are left out. It returns how many sheets it left unlooked at, for the
// bounds or a cancelled run, before look stopped it.
func (rd *reader) otherSheets(ctx context.Context, res *fileResult, r io.ReaderAt, size int64, sheets []xlsx.Worksheet, look func(name string, on sheetHolding) bool) (unlooked int) {
	seen, looked, byExcelize := 0, 0, 0
	for _, sh := range sheets {
		if sh.Name == res.sheet {
			continue
		}
		if seen == maxSheetsSeen || looked == maxSheetsLooked || ctx.Err() != nil {
			unlooked++
			continue
		}
		if seen++; sh.Blank() {
			continue
		}
		looked++
		name := "工作表「" + sh.Name + "」"
		if sh.Hidden {
			name += "（隐藏）"
		}
		opt := rd.opt.xlsx()
		opt.StreamOnly = byExcelize == maxSheetsByExcelize
		opt.PartsChecked = true // the rows read were read from the same bytes
		on := rd.datasetOn(ctx, res.schema, r, size, sh.Name, opt)
		if on.byExcelize {
			byExcelize++
		}
		if !look(name, on) {
			break
		}
	}
	return unlooked
}

// sheetHolding is what a sheet holds of a dataset: whether it has its
// header, on which row, and how many rows follow it; err when the sheet
// could not be read to tell.
type sheetHolding struct {
	found        bool
	header, rows int
	err          error
	byExcelize   bool // read by excelize, the whole workbook parsed
}

// datasetOn reads the named sheet for what it holds of the dataset of s.
// Whatever happens here, the rows already read stand: even a panic is
// only a sheet that could not be read.
func (rd *reader) datasetOn(ctx context.Context, s *schema, r io.ReaderAt, size int64, sheet string, opt xlsx.Options) (on sheetHolding) {
	defer func() {
		if p := recover(); p != nil {
			on = sheetHolding{err: problemf("读取时出现内部错误（%v）", p)}
		}
	}()
	err := xlsx.Read(r, size, sheet, opt, func(src *xlsx.Sheet) error {
		on = sheetHolding{byExcelize: !src.Streamed()} // Read may call this again, with excelize's rows
		hr, err := findHeader(src, s)
		if err != nil {
			return err
		}
		on.found, on.header = true, hr.row
		count := func(cells []string) {
			if first, empty := firstNonEmpty(cells); !empty && !isSummary(first) {
				on.rows++
			}
		}
		if hr.next != nil {
			count(hr.next)
		}
		src.KeepColumns(nil) // only whether a row holds anything
		for n := 0; ; n++ {
			if n%4096 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			_, cells, ok := src.Next()
			if !ok {
				return src.Err()
			}
			count(cells)
		}
	})
	if err != nil && !isNoHeader(err) {
		on = sheetHolding{err: err, byExcelize: on.byExcelize}
	}
	return on
}
