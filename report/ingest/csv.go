package ingest

import (
	"bufio"
	"bytes"
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

// csvSource streams the records of a CSV file, decoded to UTF-8, read as
// spreadsheet programs read CSV rather than by RFC 4180's strict rules: a
// line ends at LF, CRLF or a lone CR (old Mac files); a quote inside a
// field that does not start with one is text (群众反映"三乱"问题); and a
// field that starts with a quote whose closing quote is followed by more
// text ("三乱"问题突出) was typed, not quoted by a program, and is read as
// written. What cannot be read that way is refused, naming the line: a
// quoted field that runs to the end of the file, a typed quote inside a
// field that spans lines, a NUL byte.
type csvSource struct {
	r    *bufio.Reader
	enc  textEncoding
	line int // physical lines read
	e    error
	// cut: the last line read ended the input without a line end.
	cut bool

	lineBuf []byte
	text    []byte // the record's fields, one after another
	ends    []int  // where each field ends in text
	fields  []string
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
	text := br
	if enc == encGB18030 {
		text = bufio.NewReaderSize(transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), sniffSize)
	}
	return &csvSource{r: text, enc: enc}, nil
}

// readLine returns the next physical line without its end (LF, CRLF or
// CR), valid until the next call; ok is false at the end of the input.
func (s *csvSource) readLine() (line []byte, ok bool, err error) {
	s.lineBuf = s.lineBuf[:0]
	for {
		if s.r.Buffered() == 0 {
			if _, err := s.r.Peek(1); err == io.EOF {
				if len(s.lineBuf) == 0 {
					return nil, false, nil
				}
				s.line++
				s.cut = true
				return s.lineBuf, true, nil
			} else if err != nil {
				return nil, false, err
			}
		}
		b, _ := s.r.Peek(s.r.Buffered())
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			s.lineBuf = append(s.lineBuf, b...)
			_, _ = s.r.Discard(len(b))
			continue
		}
		s.lineBuf = append(s.lineBuf, b[:i]...)
		_, _ = s.r.Discard(i + 1)
		if b[i] == '\r' {
			if next, err := s.r.Peek(1); err == nil && next[0] == '\n' {
				_, _ = s.r.Discard(1)
			}
		}
		s.line++
		return s.lineBuf, true, nil
	}
}

func (s *csvSource) Next() (int, []string, bool) {
	if s.e != nil {
		return 0, nil, false
	}
	line, ok, err := s.readLine()
	if err != nil {
		s.e = problemf("读取中断（%v）", err)
	}
	if !ok {
		return 0, nil, false
	}
	start := s.line
	s.text, s.ends = s.text[:0], s.ends[:0]
	for i := 0; ; {
		if i < len(line) && line[i] == '"' {
			var ok bool
			if line, i, ok = s.quoted(line, i, start); !ok {
				return 0, nil, false
			}
		} else {
			end := bytes.IndexByte(line[i:], ',')
			if end < 0 {
				end = len(line) - i
			}
			s.text = append(s.text, line[i:i+end]...)
			i += end
		}
		s.ends = append(s.ends, len(s.text))
		if i >= len(line) {
			break
		}
		i++ // the comma
	}
	if bytes.IndexByte(s.text, 0) >= 0 {
		s.e = problemf("第%d行含有二进制数据（NUL 字节），不是文本 CSV", start)
		return 0, nil, false
	}
	all := string(s.text)
	if s.enc == encGB18030 && strings.ContainsRune(all, utf8.RuneError) {
		s.e = problemf("第%d行含有无法识别的字符（不是有效的 GBK/GB18030 编码）", start)
		return 0, nil, false
	}
	s.fields = s.fields[:0]
	from := 0
	for _, end := range s.ends {
		field := all[from:end]
		// Each field on its own: the bytes of a character cut by a comma
		// would pass as valid in the record as a whole.
		if s.enc == encUTF8 && !utf8.ValidString(field) {
			s.e = problemf("第%d行不是有效的 UTF-8 文字（文件中混用了不同编码？）", start)
			return 0, nil, false
		}
		s.fields = append(s.fields, excelText(field))
		from = end
	}
	return start, s.fields, true
}

// quoted reads the field starting with a quote at line[i] into s.text; the
// field may go on over the lines that follow. It returns the line it ends
// on and the position after it; ok is false when the field is refused.
func (s *csvSource) quoted(line []byte, i, start int) (_ []byte, next int, ok bool) {
	fieldStart, textStart := i, len(s.text)
	multiline := false
	for j := i + 1; ; {
		q := bytes.IndexByte(line[j:], '"')
		if q < 0 {
			// The field goes on over the next line.
			s.text = append(append(s.text, line[j:]...), '\n')
			var err error
			if line, ok, err = s.readLine(); err != nil || !ok {
				s.e = problemf("第%d行：引号不配对，从这里开始的带引号的单元格直到文件末尾都没有结束；请检查该行的引号", start)
				return nil, 0, false
			}
			j, multiline = 0, true
			continue
		}
		s.text = append(s.text, line[j:j+q]...)
		j += q + 1
		switch {
		case j < len(line) && line[j] == '"': // a doubled quote
			s.text = append(s.text, '"')
			j++
		case j == len(line) || line[j] == ',':
			return line, j, true
		case multiline:
			s.e = problemf("第%d行：引号不配对，带引号的单元格跨行后又有多余的引号（第%d行）；请检查这几行的引号", start, s.line)
			return nil, 0, false
		default:
			// "三乱"问题突出: typed, not quoted. Read as written.
			end := bytes.IndexByte(line[j:], ',')
			if end < 0 {
				end = len(line) - j
			}
			s.text = append(s.text[:textStart], line[fieldStart:j+end]...)
			return line, j + end, true
		}
	}
}

func (s *csvSource) Err() error           { return s.e }
func (s *csvSource) unterminated() bool   { return s.cut }
func (s *csvSource) Name() string         { return "" }
func (s *csvSource) Merges() []xlsx.Range { return nil }

// excelText is the text a field shows in Excel: a field written as a
// formula of one string, ="0012" (how exports keep an id's leading zeros
// or a long number's digits as text), is the string; any other field is
// itself.
func excelText(field string) string {
	if len(field) < 3 || field[0] != '=' || field[1] != '"' || field[len(field)-1] != '"' {
		return field
	}
	inner := field[2 : len(field)-1]
	if strings.Count(inner, `"`) != 2*strings.Count(inner, `""`) {
		return field // a quote not doubled: not one string
	}
	return strings.ReplaceAll(inner, `""`, `"`)
}
