package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
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
	is1904 bool
	e      error
}

// openExcelize opens the sheet named like want of the workbook r, whose
// parts zr lists, through excelize.
func openExcelize(r io.ReaderAt, size int64, zr *zip.Reader, want string) (*excelizeSheet, error) {
	book, err := excelize.OpenReader(io.NewSectionReader(r, 0, size), excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzipTotal,
		UnzipXMLSizeLimit: maxXMLInMemory,
	})
	if err != nil {
		return nil, errorf("不是有效的 Excel 工作簿（%v）", err)
	}
	x := &excelizeSheet{book: book}
	if err := x.open(zr, want); err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

func (x *excelizeSheet) open(zr *zip.Reader, want string) error {
	sheets := x.book.GetSheetList()
	if len(sheets) == 0 {
		return errorf("工作簿里没有工作表")
	}
	x.sheet = chooseSheet(sheets, want)
	if props, err := x.book.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		x.is1904 = *props.Date1904
	}
	part, err := sheetPart(zr, x.sheet)
	if err != nil {
		return err
	}
	// Reading the sheet part once through archive/zip also verifies its
	// checksum: excelize's iterator stops silently at damaged XML.
	if x.ranges, err = scanMerges(part); err != nil {
		return err
	}
	if x.rows, err = x.book.Rows(x.sheet); err != nil {
		return &Error{Sheet: x.sheet, Msg: "无法读取（" + err.Error() + "）"}
	}
	return nil
}

func (x *excelizeSheet) next() (int, []string, bool) {
	if x.e != nil || !x.rows.Next() {
		return 0, nil, false
	}
	// Next yields every row number in turn, empty ones included, so
	// counting calls gives the row number Excel shows.
	x.row++
	cells, err := x.rows.Columns()
	if err != nil {
		x.e = &Error{Sheet: x.sheet, Row: x.row, Msg: "无法读取（" + err.Error() + "）"}
		return 0, nil, false
	}
	return x.row, cells, true
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

// scanMerges inflates the sheet part and collects its <mergeCell ref="…"/>
// elements by a byte search, which costs little more than the inflate.
func scanMerges(part *zip.File) ([]Range, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, errorf("工作表数据已损坏（%v）", err)
	}
	defer rc.Close()
	ranges, err := findMerges(rc)
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, errorf("工作表数据已损坏，文件可能不完整（%v）；请重新导出", err)
	}
	return ranges, err
}

func findMerges(r io.Reader) ([]Range, error) {
	const (
		lookback = 64   // room for the element's namespace prefix before the match
		maxTag   = 4096 // an element longer than this is not a mergeCell
	)
	tag := []byte("mergeCell")
	var (
		ranges []Range
		buf    []byte
		pos    int // where the search for the next match starts
	)
	chunk := make([]byte, 256<<10)
	for {
		n, err := io.ReadFull(r, chunk)
		buf = append(buf, chunk[:n]...)
		done := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !done {
			return nil, err
		}
		partial := -1
		for {
			i := bytes.Index(buf[pos:], tag)
			if i < 0 {
				pos = max(pos, len(buf)-len(tag)+1)
				break
			}
			i += pos
			end := bytes.IndexByte(buf[i:], '>')
			if end < 0 {
				if !done && len(buf)-i < maxTag {
					partial = i
				}
				pos = len(buf)
				break
			}
			if m, ok := mergeElement(buf, i, i+end); ok {
				if len(ranges) == maxMerges {
					return nil, errorf("合并单元格超过 %d 处，拒绝读取", maxMerges)
				}
				ranges = append(ranges, m)
			}
			pos = i + len(tag)
		}
		if done {
			return ranges, nil
		}
		if partial >= 0 {
			pos = partial
		}
		keep := max(0, pos-lookback)
		buf = append(buf[:0], buf[keep:]...)
		pos -= keep
	}
}

// mergeElement parses the element around buf[at:end] if it is a
// <mergeCell> start tag (with or without a namespace prefix).
func mergeElement(buf []byte, at, end int) (Range, bool) {
	j := at - 1
	if j >= 0 && buf[j] == ':' {
		for j--; j >= 0 && isNameByte(buf[j]); j-- {
		}
	}
	if j < 0 || buf[j] != '<' {
		return Range{}, false
	}
	rest := buf[at+len("mergeCell") : end]
	if len(rest) == 0 || !(rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
		return Range{}, false
	}
	k := bytes.Index(rest, []byte("ref="))
	if k < 1 || k+5 > len(rest) {
		return Range{}, false
	}
	quote := rest[k+4]
	value := rest[k+5:]
	q := bytes.IndexByte(value, quote)
	if (quote != '"' && quote != '\'') || q < 0 {
		return Range{}, false
	}
	from, to, ok := strings.Cut(string(value[:q]), ":")
	if !ok {
		return Range{}, false
	}
	left, top, err1 := excelize.CellNameToCoordinates(from)
	right, bottom, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return Range{}, false
	}
	return Range{Top: min(top, bottom), Left: min(left, right), Bottom: max(top, bottom), Right: max(left, right)}, true
}

func isNameByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}
