package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html/charset"
)

// excelize's row iterator stops in silence at the first XML error of a
// sheet: a stray control character, an undefined entity, a DOCTYPE or
// entity declaration half-way down would end the rows there. xmlCheck
// reads sheet XML with encoding/xml, as excelize's decoder reads it, and
// refuses what would cut the rows short, naming the row and cell it was
// in. It also collects the merged ranges and the last row number of
// sheetData.
type xmlCheck struct {
	sheet     string
	inData    bool // inside sheetData
	afterData bool // sheetData has ended
	inRow     bool
	inCell    bool
	inString  int // depth inside inline strings (<is>)
	row, col  int // the row read last (or being read), the column of the cell
	lastRow   int // the largest row number in sheetData
	ranges    []Range
	// readAfterData: after sheetData came a <c>, or a <row> with an r
	// attribute, which excelize's row iterator reads: it yields the cells
	// and refuses a row number it cannot read.
	readAfterData bool
	text          stringText // of the inline string being read
}

// checkSheetPart reads the whole sheet part: every row the excelize path
// yields has then been read by encoding/xml without error.
func checkSheetPart(part *zip.File, sheet string) (*xmlCheck, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, &Error{Sheet: sheet, Msg: "数据已损坏（" + err.Error() + "）；请重新导出"}
	}
	defer rc.Close()
	c := &xmlCheck{sheet: sheet}
	return c, c.run(rc)
}

func (c *xmlCheck) run(r io.Reader) error {
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel // as excelize's decoder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return c.refuse(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := c.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			if c.inString > 0 {
				c.text.end()
			}
			switch t.Name.Local {
			case "sheetData":
				c.inData, c.afterData = false, true
			case "row":
				c.inRow, c.inCell = false, false
			case "c":
				c.inCell = false
			case "is":
				if c.inString--; c.inString == 0 && c.text.done() {
					return c.where(&Error{Msg: "含有以代理对转义的字符（如 _xD801__xDC05_），这种工作簿无法完整读取；请在 Excel 中打开后另存为 .xlsx 再导入"})
				}
			}
		case xml.CharData:
			if c.inString > 0 {
				c.text.charData(t)
			}
		case xml.Directive:
			return c.where(&Error{Msg: "含有 XML 文档类型或实体声明（<!" + shorten(string(t), 40) + ">），导出文件中不应有；拒绝读取，请重新导出"})
		}
	}
}

func (c *xmlCheck) start(t xml.StartElement) error {
	if c.inString > 0 || t.Name.Local == "is" {
		c.text.start(t.Name.Local)
	}
	switch t.Name.Local {
	case "sheetData":
		c.inData = !c.afterData
	case "row":
		if !c.inData {
			c.readAfterData = c.readAfterData || c.afterData && slices.ContainsFunc(t.Attr, func(a xml.Attr) bool { return a.Name.Local == "r" })
			break
		}
		// Numbered as excelize numbers it: its r attribute, else the
		// row after the one before.
		c.row++
		if r, _ := strconv.Atoi(attr(t, "r")); r != 0 {
			c.row = r
		}
		c.lastRow = max(c.lastRow, c.row)
		c.inRow, c.col = true, 0
	case "c":
		c.readAfterData = c.readAfterData || c.afterData
		if !c.inRow {
			break
		}
		c.col++
		if ref := attr(t, "r"); ref != "" {
			if col, _, err := excelize.CellNameToCoordinates(ref); err == nil {
				c.col = col
			}
		}
		c.inCell = true
	case "is":
		c.inString++
	case "mergeCell":
		from, to, ok := strings.Cut(attr(t, "ref"), ":")
		if !ok {
			break
		}
		left, top, err1 := excelize.CellNameToCoordinates(from)
		right, bottom, err2 := excelize.CellNameToCoordinates(to)
		if err1 != nil || err2 != nil {
			break
		}
		if len(c.ranges) == maxMerges {
			return &Error{Sheet: c.sheet, Msg: "合并单元格超过 " + strconv.Itoa(maxMerges) + " 处，拒绝读取"}
		}
		c.ranges = append(c.ranges, Range{Top: min(top, bottom), Left: min(left, right), Bottom: max(top, bottom), Right: max(left, right)})
	}
	return nil
}

// attr is the value of the last attribute of t with the local name, as
// excelize reads attributes.
func attr(t xml.StartElement, local string) string {
	v := ""
	for _, a := range t.Attr {
		if a.Name.Local == local {
			v = a.Value
		}
	}
	return v
}

// refuse words a decoding error for the clerk.
func (c *xmlCheck) refuse(err error) error {
	var se *xml.SyntaxError
	if !errors.As(err, &se) {
		// A damaged zip entry (checksum, truncation).
		return &Error{Sheet: c.sheet, Msg: "数据已损坏，文件可能不完整（" + err.Error() + "）；请重新导出"}
	}
	msg := se.Msg
	switch {
	case strings.HasPrefix(msg, "illegal character code"):
		msg = "含有 XML 不允许的控制字符 " + strings.TrimPrefix(msg, "illegal character code ")
	case strings.HasPrefix(msg, "invalid character entity"):
		msg = "含有未定义的实体 " + strings.TrimPrefix(msg, "invalid character entity ")
	default:
		msg = "XML 格式错误（" + msg + "）"
	}
	return c.where(&Error{Msg: msg + "，从这里起无法读取；文件可能已损坏或被改动，请重新导出"})
}

// where completes e with the place the check had reached: the cell or row
// being read, else the row after the last one read.
func (c *xmlCheck) where(e *Error) error {
	e.Sheet = c.sheet
	switch {
	case c.afterData || !c.inData && c.row == 0:
	case c.inRow:
		e.Row = c.row
		if c.inCell {
			e.Col = c.col
		}
	default:
		e.Row = c.row + 1
	}
	return e
}

func shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// stringText looks for an escaped surrogate in the text excelize makes of
// a string item (<si> of the shared strings, <is> of a cell), fed its
// elements' tokens: the character data of its <t> and of its runs' <t>
// (<r><t>), phonetic runs aside, as xlsxSI.String joins them before undoing
// _xHHHH_ escapes. An escape split across runs, written with references or
// cut by CDATA or a comment is found whole; the text is not kept.
type stringText struct {
	open    []string // the elements open inside the item, the item first
	seam    seam
	escaped bool
}

func (s *stringText) start(local string) { s.open = append(s.open, local) }
func (s *stringText) end()               { s.open = s.open[:len(s.open)-1] }

func (s *stringText) charData(b []byte) {
	if o := s.open; !s.escaped && (len(o) == 2 && o[1] == "t" || len(o) == 3 && o[1] == "r" && o[2] == "t") {
		s.escaped = s.seam.found(b, surrogateEscapeWidth, hasSurrogateEscape)
	}
}

// done reports whether the item's text holds an escaped surrogate, and
// starts the next item's.
func (s *stringText) done() bool {
	escaped := s.escaped
	*s = stringText{open: s.open[:0]}
	return escaped
}
