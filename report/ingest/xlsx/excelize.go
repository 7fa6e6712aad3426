package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"
)

// excelizeSheet reads a sheet with excelize's row iterator, in raw mode:
// dates arrive as serial numbers and are converted by the caller. It reads
// the workbooks the streaming reader does not (streamSheet).
type excelizeSheet struct {
	book   *excelize.File
	rows   *excelize.Rows
	sheet  string
	row    int
	ranges []Range
	// lastRow is the last row of sheetData. excelize's iterator goes on
	// past its end and takes the <xdr:row> of a form control's anchor for
	// more (empty) rows; they are dropped.
	lastRow int
	is1904  bool
	e       error
}

// openExcelize opens the sheet named like want of the workbook r, whose
// parts zr lists, through excelize.
func openExcelize(r io.ReaderAt, size int64, book *workbook, want string) (*excelizeSheet, error) {
	zr := book.zr
	pkg := io.Reader(io.NewSectionReader(r, 0, size))
	if sst := book.sharedStringsPart(); sst != nil {
		found, err := surrogateEscapes(sst)
		if err != nil {
			return nil, errorf("共享字符串表已损坏（%v）；请重新导出", err)
		}
		if found {
			return nil, errorf("共享字符串表含有以代理对转义的字符（如 _xD801__xDC05_），这种工作簿无法完整读取；请在 Excel 中打开后另存为 .xlsx 再导入")
		}
		if !strings.EqualFold(sst.Name, standardSharedStrings) {
			// excelize reads shared strings from one name only.
			renamed, err := renamePart(zr, sst, standardSharedStrings)
			if err != nil {
				return nil, errorf("文件不完整或已损坏（%v）；请重新导出", err)
			}
			pkg = renamed
		}
	}
	file, err := excelize.OpenReader(pkg, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzipTotal,
		UnzipXMLSizeLimit: maxXMLInMemory,
	})
	if err != nil {
		return nil, errorf("不是有效的 Excel 工作簿（%v）", err)
	}
	x := &excelizeSheet{book: file}
	if err := x.open(book, want); err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

func (x *excelizeSheet) open(book *workbook, want string) error {
	sheets := x.book.GetSheetList()
	if len(sheets) == 0 {
		return errorf("工作簿里没有工作表")
	}
	x.sheet = chooseSheet(sheets, want)
	if props, err := x.book.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.is1904 = *props.Date1904
	}
	part, err := book.sheetPart(x.sheet)
	if err != nil {
		return err
	}
	// excelize's iterator stops in silence at damaged XML: the part is
	// read once by encoding/xml first, which also verifies its checksum.
	check, err := checkSheetPart(part, x.sheet)
	if err != nil {
		return err
	}
	x.ranges, x.lastRow = check.ranges, check.lastRow
	if x.rows, err = x.book.Rows(x.sheet); err != nil {
		return &Error{Sheet: x.sheet, Msg: "无法读取（" + err.Error() + "）"}
	}
	return nil
}

func (x *excelizeSheet) next() (int, []string, bool) {
	for x.e == nil && x.rows.Next() {
		// Next yields every row number in turn, empty ones included, so
		// counting calls gives the row number Excel shows.
		x.row++
		cells, err := x.rows.Columns()
		if err != nil {
			x.e = &Error{Sheet: x.sheet, Row: x.row, Msg: "无法读取（" + err.Error() + "）"}
			break
		}
		if x.row <= x.lastRow {
			return x.row, cells, true
		}
		if len(cells) > 0 {
			x.e = &Error{Sheet: x.sheet, Row: x.row, Msg: "在表格数据（sheetData）之外，无法确定是否属于表格；拒绝读取"}
		}
	}
	return 0, nil, false
}

func (x *excelizeSheet) err() error {
	if x.e != nil {
		return x.e
	}
	if err := x.rows.Error(); err != nil {
		return &Error{Sheet: x.sheet, Msg: "无法读取（" + err.Error() + "）"}
	}
	return nil
}

func (x *excelizeSheet) name() string        { return x.sheet }
func (x *excelizeSheet) merges() []Range     { return x.ranges }
func (x *excelizeSheet) date1904() bool      { return x.is1904 }
func (x *excelizeSheet) keepColumns(_ []int) {}

func (x *excelizeSheet) close() {
	if x.rows != nil {
		_ = x.rows.Close()
	}
	_ = x.book.Close() // removes excelize's temporary files
}

// renamePart is a copy of the package in which part is named name, and no
// other part is; entries are copied compressed.
func renamePart(zr *zip.Reader, part *zip.File, name string) (io.Reader, error) {
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f != part && strings.EqualFold(f.Name, name) {
			continue
		}
		header := f.FileHeader
		if f == part {
			header.Name = name
		}
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		w, err := zw.CreateRaw(&header)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &out, nil
}

// surrogateEscapes reports whether a string of the shared-strings part
// holds an escaped surrogate, which excelize drops from the string. A part
// that is not well-formed is excelize's to refuse in its own words: err is
// for a damaged entry only.
func surrogateEscapes(part *zip.File) (bool, error) {
	rc, err := part.Open()
	if err != nil {
		return false, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	d.CharsetReader = charset.NewReaderLabel // as excelize's decoder
	var text stringText
	depth := 0
	for {
		tok, err := d.Token()
		var syntax *xml.SyntaxError
		switch {
		case err == io.EOF || errors.As(err, &syntax):
			return false, nil
		case err != nil:
			return false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth >= 2 { // inside the root: an <si> and what it holds
				text.start(t.Name.Local)
			}
		case xml.EndElement:
			if depth >= 2 {
				text.end()
			}
			if depth--; depth == 1 && text.done() {
				return true, nil
			}
		case xml.CharData:
			text.charData(t)
		}
	}
}
