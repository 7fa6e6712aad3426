package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

// Limits for hostile or broken workbooks, checked before either reader
// inflates anything. A legitimate export compresses its sheet XML about
// 5–30 times; a zip bomb about 1000 times. Parts above maxXMLInMemory are
// streamed by excelize from a temporary file instead of being held in
// memory; the streaming reader holds a window of the sheet (one element of
// at most maxWindowSize) and a shared-strings table of at most
// maxSharedStrings, and leaves larger ones to excelize.
const (
	maxUnzipTotal  = 2 << 30   // all parts together, as declared in the zip
	maxXMLInMemory = 16 << 20  // excelize's UnzipXMLSizeLimit
	maxOtherPart   = 256 << 20 // any part excelize always loads into memory
	maxRatio       = 200       // uncompressed : compressed, for parts above ratioFloor
	ratioFloor     = 1 << 20
	maxMerges      = 100000
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1} // Compound File: .xls or an encrypted .xlsx
)

// xlsxSource streams one sheet with excelize's row iterator, in raw mode:
// dates arrive as serial numbers and are converted by our own parser. It
// reads what the streaming reader does not (streamSheet).
type xlsxSource struct {
	book     *excelize.File
	archive  *zip.ReadCloser
	rows     *excelize.Rows
	name     string
	row      int
	ranges   []mergeRange
	date1904 bool
	e        error
}

// xlsxRows is an open sheet of a workbook.
type xlsxRows interface {
	rowSource
	close()
}

// openXLSX opens the sheet of the workbook at file named like want (folded
// comparison), else the first sheet: through the streaming reader when the
// workbook has the common shape of an export and streaming is asked for,
// else through excelize. date1904 is the workbook's date system. Every
// refusal is a *problem.
func openXLSX(file, want string, streaming bool) (src xlsxRows, date1904 bool, err error) {
	if err := checkWorkbookBytes(file); err != nil {
		return nil, false, err
	}
	archive, err := zip.OpenReader(file)
	if err != nil {
		return nil, false, problemf("文件不完整或已损坏，无法解压（%v）；请重新导出", err)
	}
	if err := checkParts(&archive.Reader); err != nil {
		archive.Close()
		return nil, false, err
	}
	if streaming {
		if s := openStream(archive, file, want); s != nil {
			return s, false, nil
		}
	}
	x := &xlsxSource{archive: archive}
	if err := x.open(file, want); err != nil {
		x.close()
		return nil, false, err
	}
	return x, x.date1904, nil
}

// openExcelize opens the sheet through excelize, for a sheet the streaming
// reader hands over.
func openExcelize(file, want string) (*xlsxSource, error) {
	archive, err := zip.OpenReader(file)
	if err != nil {
		return nil, problemf("文件不完整或已损坏，无法解压（%v）；请重新导出", err)
	}
	x := &xlsxSource{archive: archive}
	if err := x.open(file, want); err != nil {
		x.close()
		return nil, err
	}
	return x, nil
}

func (s *xlsxSource) open(file, want string) error {
	if err := checkParts(&s.archive.Reader); err != nil {
		return err
	}
	book, err := excelize.OpenFile(file, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    maxUnzipTotal,
		UnzipXMLSizeLimit: maxXMLInMemory,
	})
	if err != nil {
		return problemf("不是有效的 Excel 工作簿（%v）", err)
	}
	s.book = book
	sheets := book.GetSheetList()
	if len(sheets) == 0 {
		return problemf("工作簿里没有工作表")
	}
	s.name = chooseSheet(sheets, want)
	if props, err := book.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		s.date1904 = *props.Date1904
	}
	part, err := sheetPart(&s.archive.Reader, s.name)
	if err != nil {
		return err
	}
	// Reading the sheet part once through archive/zip also verifies its
	// checksum: excelize's iterator stops silently at damaged XML.
	if s.ranges, err = scanMerges(part); err != nil {
		return err
	}
	if s.rows, err = book.Rows(s.name); err != nil {
		return problemf("工作表「%s」无法读取（%v）", s.name, err)
	}
	return nil
}

// chooseSheet is the sheet named like want, else the first.
func chooseSheet(sheets []string, want string) string {
	for _, name := range sheets {
		if report.Fold(name) == report.Fold(want) {
			return name
		}
	}
	return sheets[0]
}

func (s *xlsxSource) next() (int, []string, bool) {
	if s.e != nil || !s.rows.Next() {
		return 0, nil, false
	}
	// Next yields every row number in turn, empty ones included, so
	// counting calls gives the row number Excel shows.
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		s.e = problemf("工作表「%s」第%d行无法读取（%v）", s.name, s.row, err)
		return 0, nil, false
	}
	return s.row, cells, true
}

func (s *xlsxSource) err() error {
	if s.e != nil {
		return s.e
	}
	if err := s.rows.Error(); err != nil {
		return problemf("工作表「%s」无法读取（%v）", s.name, err)
	}
	return nil
}

func (s *xlsxSource) sheet() string        { return s.name }
func (s *xlsxSource) merges() []mergeRange { return s.ranges }

func (s *xlsxSource) close() {
	if s.rows != nil {
		_ = s.rows.Close()
	}
	if s.book != nil {
		_ = s.book.Close() // removes excelize's temporary files
	}
	_ = s.archive.Close()
}

// checkWorkbookBytes tells the usual wrong files apart before any parsing:
// an empty file, a password-protected workbook or an old .xls (both OLE
// compound files), and anything that is not a zip at all.
func checkWorkbookBytes(file string) error {
	f, err := os.Open(file)
	if err != nil {
		return problemf("无法打开文件（%v）", err)
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case n == 0:
		return problemf("文件是空的（0 字节）")
	case bytes.HasPrefix(head, oleMagic):
		// The directory of a compound file names its streams in UTF-16;
		// encrypted OOXML has an EncryptionInfo stream.
		data, _ := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(head), f), 64<<20))
		if bytes.Contains(data, utf16LE("EncryptionInfo")) {
			return problemf("文件设有打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后重新保存")
		}
		return problemf("这是旧版 Excel 97-2003 (.xls) 文件或其他 Office 文件，不是 .xlsx；请在 Excel 中另存为 .xlsx")
	case !bytes.HasPrefix(head, zipMagic):
		return problemf("不是 Excel (.xlsx) 文件：内容不是工作簿（可能是改了扩展名的文本或其他文件）")
	}
	return nil
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// checkParts refuses archives whose declared sizes or compression ratios
// are those of a zip bomb, before anything is inflated. (Sizes cannot be
// understated: archive/zip stops at the declared size.)
func checkParts(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		size, packed := f.UncompressedSize64, f.CompressedSize64
		total += size
		if total > maxUnzipTotal {
			return problemf("解压后超过 %d MiB，拒绝读取（可能是恶意构造的压缩炸弹）", maxUnzipTotal>>20)
		}
		if size > ratioFloor && (packed == 0 || size/packed > maxRatio) {
			return problemf("压缩比异常（%s 解压后 %d MiB，压缩时只有 %d KiB），拒绝读取（可能是恶意构造的压缩炸弹）",
				f.Name, size>>20, packed>>10)
		}
		name := strings.ToLower(f.Name)
		streamed := strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
		if !streamed && size > maxOtherPart {
			return problemf("%s 解压后 %d MiB，超过 %d MiB 的上限，拒绝读取", f.Name, size>>20, maxOtherPart>>20)
		}
	}
	return nil
}

// sheetPart finds the zip entry of the named sheet through the package
// relationships: _rels/.rels → workbook → its relationships → the sheet.
func sheetPart(zr *zip.Reader, sheet string) (*zip.File, error) {
	entries := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		entries[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	broken := func(what string) error { return problemf("工作簿结构不完整（%s）", what) }
	var rels relationships
	workbook := "xl/workbook.xml"
	if err := decodePart(entries, "_rels/.rels", &rels); err == nil {
		for _, r := range rels.List {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = resolvePart("", r.Target)
			}
		}
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := decodePart(entries, workbook, &wb); err != nil {
		return nil, broken(err.Error())
	}
	dir, base := path.Split(workbook)
	var wbRels relationships
	if err := decodePart(entries, dir+"_rels/"+base+".rels", &wbRels); err != nil {
		return nil, broken(err.Error())
	}
	for _, sh := range wb.Sheets {
		if !strings.EqualFold(sh.Name, sheet) {
			continue
		}
		for _, r := range wbRels.List {
			if r.ID == sh.ID {
				if f, ok := entries[strings.ToLower(resolvePart(dir, r.Target))]; ok {
					return f, nil
				}
			}
		}
	}
	return nil, broken("找不到工作表「" + sheet + "」的数据")
}

type relationships struct {
	List []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

func decodePart(entries map[string]*zip.File, name string, v any) error {
	f, ok := entries[strings.ToLower(name)]
	if !ok {
		return fmt.Errorf("缺少 %s", name)
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	if err := xml.NewDecoder(rc).Decode(v); err != nil {
		return fmt.Errorf("%s: %v", name, err)
	}
	return nil
}

// resolvePart resolves a relationship target against the folder of the
// part that names it; a leading slash means the package root.
func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return path.Clean(dir + target)
}

// scanMerges inflates the sheet part and collects its <mergeCell ref="…"/>
// elements by a byte search, which costs little more than the inflate.
func scanMerges(part *zip.File) ([]mergeRange, error) {
	rc, err := part.Open()
	if err != nil {
		return nil, problemf("工作表数据已损坏（%v）", err)
	}
	defer rc.Close()
	ranges, err := findMerges(rc)
	if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, problemf("工作表数据已损坏，文件可能不完整（%v）；请重新导出", err)
	}
	return ranges, err
}

func findMerges(r io.Reader) ([]mergeRange, error) {
	const (
		lookback = 64   // room for the element's namespace prefix before the match
		maxTag   = 4096 // an element longer than this is not a mergeCell
	)
	tag := []byte("mergeCell")
	var (
		ranges []mergeRange
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
					return nil, problemf("合并单元格超过 %d 处，拒绝读取", maxMerges)
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
func mergeElement(buf []byte, at, end int) (mergeRange, bool) {
	j := at - 1
	if j >= 0 && buf[j] == ':' {
		for j--; j >= 0 && isNameByte(buf[j]); j-- {
		}
	}
	if j < 0 || buf[j] != '<' {
		return mergeRange{}, false
	}
	rest := buf[at+len("mergeCell") : end]
	if len(rest) == 0 || !(rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r') {
		return mergeRange{}, false
	}
	k := bytes.Index(rest, []byte("ref="))
	if k < 1 || k+5 > len(rest) {
		return mergeRange{}, false
	}
	quote := rest[k+4]
	value := rest[k+5:]
	q := bytes.IndexByte(value, quote)
	if (quote != '"' && quote != '\'') || q < 0 {
		return mergeRange{}, false
	}
	from, to, ok := strings.Cut(string(value[:q]), ":")
	if !ok {
		return mergeRange{}, false
	}
	left, top, err1 := excelize.CellNameToCoordinates(from)
	right, bottom, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return mergeRange{}, false
	}
	return mergeRange{top: min(top, bottom), left: min(left, right), bottom: max(top, bottom), right: max(left, right)}, true
}

func isNameByte(b byte) bool {
	return b == '_' || b == '-' || b == '.' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
}

// CountRows reads every row of the sheet named like want of the .xlsx
// file as Read reads its sheets, every cell's text made, and counts the
// rows and the non-empty cells: the XML reader measured apart from turning
// rows into records (bench/cmd/readfloor).
func CountRows(file, want string) (rows, cells int, err error) {
	src, _, err := openXLSX(file, want, true)
	if err != nil {
		return 0, 0, err
	}
	defer src.close()
	for {
		_, row, ok := src.next()
		if !ok {
			return rows, cells, src.err()
		}
		rows++
		for _, c := range row {
			if c != "" {
				cells++
			}
		}
	}
}
