package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"bulletin/report/ingest/xlsx"
)

// sniffSize is how much of a CSV file decides its encoding; the header row
// with its Chinese column names is always within it.
const sniffSize = 64 << 10

type textEncoding int

const (
	encUTF8 textEncoding = iota
	encGB18030
)

var utf8BOM = []byte{0xef, 0xbb, 0xbf}

// detectEncoding decides between UTF-8 and GB18030 (a superset of GBK and
// GB2312, as Excel on Chinese Windows saves) from the first bytes of a file;
// atEOF says head is the whole file. bom is the length of a byte-order mark
// to skip.
func detectEncoding(head []byte, atEOF bool) (enc textEncoding, bom int, err error) {
	switch {
	case len(head) == 0 && atEOF:
		return 0, 0, problemf("文件是空的（0 字节）")
	case bytes.HasPrefix(head, utf8BOM):
		return encUTF8, len(utf8BOM), nil
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}) || bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return 0, 0, problemf("文件是 UTF-16 编码，无法读取；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")
	case xlsx.IsWorkbook(head):
		return 0, 0, problemf("这是 Excel 工作簿，扩展名却是 .csv；请改回 .xlsx 或另存为 CSV")
	case bytes.IndexByte(head, 0) >= 0:
		return 0, 0, problemf("不是文本 CSV：含有二进制数据（也可能是无 BOM 的 UTF-16 编码）")
	case utf8.Valid(withoutCutRune(head, atEOF)):
		return encUTF8, 0, nil
	case looksGB18030(head, atEOF):
		return encGB18030, 0, nil
	}
	return 0, 0, problemf("文件编码无法识别：既不是 UTF-8，也不是 GBK/GB18030 中文；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”")
}

// withoutCutRune drops a multi-byte character cut off by the end of the
// sniffed prefix.
func withoutCutRune(head []byte, atEOF bool) []byte {
	if atEOF {
		return head
	}
	for i := len(head) - 1; i >= 0 && i >= len(head)-utf8.UTFMax; i-- {
		if utf8.RuneStart(head[i]) {
			if !utf8.FullRune(head[i:]) {
				return head[:i]
			}
			break
		}
	}
	return head
}

// looksGB18030 reports whether the bytes are well-formed GB18030 and read
// like Chinese: most double-byte characters must lie in the GB2312 block
// of common characters and punctuation. Other double-byte encodings
// (Shift-JIS, whose kana and kanji have lead bytes below 0xA1) are
// well-formed GBK just as often, but fail that test.
func looksGB18030(b []byte, atEOF bool) bool {
	double, common := 0, 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		if c == 0x80 || c == 0xff {
			return false
		}
		if i+1 >= len(b) {
			if atEOF {
				return false
			}
			break
		}
		c1 := b[i+1]
		switch {
		case c1 >= 0x30 && c1 <= 0x39: // four-byte sequence
			if i+3 >= len(b) {
				if atEOF {
					return false
				}
				i = len(b)
				continue
			}
			if b[i+2] < 0x81 || b[i+2] == 0xff || b[i+3] < 0x30 || b[i+3] > 0x39 {
				return false
			}
			double++
			i += 4
		case (c1 >= 0x40 && c1 <= 0x7e) || (c1 >= 0x80 && c1 <= 0xfe):
			double++
			if c >= 0xa1 && c <= 0xf7 && c1 >= 0xa1 {
				common++
			}
			i += 2
		default:
			return false
		}
	}
	return double > 0 && common*5 >= double*4
}

// csvSource streams the records of a CSV file, decoded to UTF-8.
type csvSource struct {
	r   *csv.Reader
	enc textEncoding
	e   error
}

func openCSV(r io.Reader) (*csvSource, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return nil, problemf("无法读取文件（%v）", err)
	}
	enc, bom, err := detectEncoding(head, err == io.EOF)
	if err != nil {
		return nil, err
	}
	_, _ = br.Discard(bom)
	var text io.Reader = br
	if enc == encGB18030 {
		text = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	cr := csv.NewReader(text)
	cr.FieldsPerRecord = -1 // rows may be ragged, like Excel's own CSVs
	cr.LazyQuotes = true    // a stray quote inside a field is text, as in Excel
	cr.ReuseRecord = true
	return &csvSource{r: cr, enc: enc}, nil
}

func (s *csvSource) Next() (int, []string, bool) {
	if s.e != nil {
		return 0, nil, false
	}
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, false
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			s.e = problemf("第%d行 CSV 格式错误（%v）", pe.StartLine, pe.Err)
		} else {
			s.e = problemf("读取中断（%v）", err)
		}
		return 0, nil, false
	}
	line, _ := s.r.FieldPos(0)
	for _, field := range rec {
		if s.enc == encUTF8 && !utf8.ValidString(field) {
			s.e = problemf("第%d行不是有效的 UTF-8 文字（文件中混用了不同编码？）", line)
			return 0, nil, false
		}
		if s.enc == encGB18030 && strings.ContainsRune(field, utf8.RuneError) {
			s.e = problemf("第%d行含有无法识别的字符（不是有效的 GBK/GB18030 编码）", line)
			return 0, nil, false
		}
	}
	return line, rec, true
}

func (s *csvSource) Err() error           { return s.e }
func (s *csvSource) Name() string         { return "" }
func (s *csvSource) Merges() []xlsx.Range { return nil }
