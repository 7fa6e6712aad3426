// Package xlsx reads one sheet of an .xlsx workbook row by row, as raw
// cell values (dates arrive as serial numbers), for package ingest.
//
// A sheet is read by a purpose-built reader of the sheet's XML straight
// from the zip entry (stream.go): the shared strings in one arena, strings
// made only for the columns the caller keeps. It yields the rows excelize's
// row iterator yields in raw mode. A workbook of a shape it does not read
// itself (another namespace or encoding, an odd row, a formula it cannot
// decode...) is read whole by excelize instead: Read then calls its
// function a second time. Options.ExcelizeOnly reads with excelize alone,
// the reference the differential tests and benchmarks compare against.
//
// Every refusal is an *Error worded for the clerk, naming the sheet, row
// and column where they are known.
package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/klauspost/compress/flate"
	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

// Options tunes Read; the zero value is what the pipeline uses.
type Options struct {
	// ExcelizeOnly reads with excelize's row iterator instead of the
	// streaming reader, which yields the same rows far faster.
	ExcelizeOnly bool
	// StreamOnly refuses a sheet the streaming reader does not read
	// (ErrNotStreamed) instead of reading the whole workbook with
	// excelize: for a look that must stay cheap.
	StreamOnly bool
	// PartsChecked says that a Read of the same bytes found every part
	// whole, so that the streaming reader need not inflate the other
	// sheets' parts again to check them: for a look at a workbook's
	// other sheets after its rows are read.
	PartsChecked bool
}

// ErrNotStreamed is Read's refusal, with Options.StreamOnly, of a sheet
// only excelize reads.
var ErrNotStreamed = errors.New("xlsx: a sheet only excelize reads")

// Range is a merged range of cells, 1-based and inclusive.
type Range struct{ Top, Left, Bottom, Right int }

// Error is a refusal worded for the clerk: what is wrong, and where in the
// workbook when that is known (Row and Col 0 when not).
type Error struct {
	Sheet    string
	Row, Col int
	Msg      string
}

func (e *Error) Error() string {
	var where strings.Builder
	if e.Sheet != "" {
		fmt.Fprintf(&where, "工作表「%s」", e.Sheet)
	}
	if e.Row > 0 {
		fmt.Fprintf(&where, "第%d行", e.Row)
	}
	if e.Col > 0 {
		name, _ := excelize.ColumnNumberToName(e.Col)
		fmt.Fprintf(&where, "%s列", name)
	}
	if where.Len() == 0 {
		return e.Msg
	}
	return where.String() + "：" + e.Msg
}

func errorf(format string, args ...any) *Error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// ErrMergesNeeded is what a Read function returns when the merged ranges
// a streamed sheet reports once its rows are read turn out to cover rows
// it has read: Read then calls it again with the sheet read by excelize,
// which knows them first.
var ErrMergesNeeded = errors.New("merged cells found after the rows")

// errFallback ends a streamed sheet at a construct the streaming reader
// leaves to excelize.
var errFallback = errors.New("a construct the streaming reader does not read")

// Sheet is the sheet being read.
type Sheet struct {
	rows sheetRows
	book *workbook
}

type sheetRows interface {
	next() (int, []string, bool)
	err() error
	name() string
	merges() []Range
	date1904() bool
	keepColumns(pos []int)
}

// Next returns the next row with its number as Excel shows it, and its
// cells (an empty row has none); ok is false at the end.
func (s *Sheet) Next() (row int, cells []string, ok bool) { return s.rows.next() }

// Err is the error that ended the rows early, if any.
func (s *Sheet) Err() error { return s.rows.err() }

// Name is the sheet's name.
func (s *Sheet) Name() string { return s.rows.name() }

// Merges lists the sheet's merged ranges. A streamed sheet knows them only
// once its rows are read (they follow the rows in the file); see
// ErrMergesNeeded.
func (s *Sheet) Merges() []Range { return s.rows.merges() }

// Streamed reports whether the streaming reader reads the sheet (else
// excelize does).
func (s *Sheet) Streamed() bool {
	_, ok := s.rows.(*streamSheet)
	return ok
}

// Worksheets lists the sheets of the sheet's workbook in their order.
func (s *Sheet) Worksheets() []Worksheet { return s.book.worksheets() }

// Date1904 reports the workbook's date system for serial numbers.
func (s *Sheet) Date1904() bool { return s.rows.date1904() }

// KeepColumns names the cell positions (0-based) whose text the caller
// reads from the next row on: the others may come back empty, except the
// first non-empty cell of each row.
func (s *Sheet) KeepColumns(pos []int) { s.rows.keepColumns(pos) }

// Read reads the sheet named like want (folded comparison), else the first
// sheet, of the workbook r of size bytes, by calling read with it. When the
// streaming reader meets a construct it does not read, or read returns
// ErrMergesNeeded, read is called once more with the whole sheet read by
// excelize, and must start afresh. Read returns what read returns, or the
// *Error that refuses the workbook.
func Read(r io.ReaderAt, size int64, want string, opt Options, read func(*Sheet) error) error {
	if err := checkWorkbookBytes(r, size); err != nil {
		return err
	}
	zr, err := openZip(r, size)
	if err != nil {
		return err
	}
	if err := checkParts(zr); err != nil {
		return err
	}
	book := openWorkbook(zr)
	if err := book.checkSheetNames(); err != nil {
		return err
	}
	if !opt.PartsChecked {
		if err := book.checkOtherParts(); err != nil {
			return err
		}
	}
	if !opt.ExcelizeOnly {
		if s := openStream(book, want, opt.PartsChecked); s != nil {
			err := read(&Sheet{s, book})
			s.close()
			if !errors.Is(err, errFallback) && !errors.Is(err, ErrMergesNeeded) {
				return err
			}
		}
		if opt.StreamOnly {
			return ErrNotStreamed
		}
	}
	x, err := openExcelize(r, size, book, want)
	if err != nil {
		return err
	}
	defer x.close()
	return read(&Sheet{x, book})
}

// openZip opens the workbook r of size bytes as the zip package it is.
func openZip(r io.ReaderAt, size int64) (*zip.Reader, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, errorf("文件不完整或已损坏，无法解压（%v）；请重新导出", err)
	}
	zr.RegisterDecompressor(zip.Deflate, Inflater)
	return zr, nil
}

// Inflater decompresses a workbook's parts: klauspost/compress's flate,
// which inflates these exports a fifth to a third faster than the standard
// library's (bench/README.md). archive/zip still checks each part's CRC-32
// and size, so a damaged part is refused as before.
//
// A part is read through a 64 KiB buffer (flate's own reads 4 KiB at a
// time, a system call each), and the buffer and the inflater's window are
// reused from part to part, as archive/zip reuses its own inflaters.
func Inflater(r io.Reader) io.ReadCloser {
	in, _ := inflaters.Get().(*inflater)
	if in == nil {
		// A buffer of its own, never r: NewReaderSize would hand back an
		// r that is a large enough *bufio.Reader, and Close would pool it.
		in = &inflater{buf: bufio.NewReaderSize(nil, 64<<10)}
		in.buf.Reset(r)
		in.flate = flate.NewReader(in.buf)
	} else {
		in.buf.Reset(r)
		if err := in.flate.(flate.Resetter).Reset(in.buf, nil); err != nil {
			return &openInflater{err: err}
		}
	}
	return &openInflater{in: in}
}

var inflaters sync.Pool // of *inflater

type inflater struct {
	buf   *bufio.Reader
	flate io.ReadCloser
}

// openInflater is one part's use of an inflater, which Close returns to
// the pool once: a second Close must not hand it out twice.
type openInflater struct {
	in  *inflater
	err error
}

func (o *openInflater) Read(p []byte) (int, error) {
	if o.in == nil {
		return 0, cmp.Or(o.err, errClosed)
	}
	return o.in.flate.Read(p)
}

func (o *openInflater) Close() error {
	if o.in == nil {
		return cmp.Or(o.err, errClosed)
	}
	err := o.in.flate.Close()
	o.in.buf.Reset(nil)
	inflaters.Put(o.in)
	o.in, o.err = nil, errClosed
	return err
}

var errClosed = errors.New("xlsx: part already closed")

// CountRows reads every row of the sheet named like want of the workbook
// at path, every cell's text made, and counts the rows and the non-empty
// cells: the XML reader measured apart from turning rows into records
// (bench/cmd/readfloor).
func CountRows(path, want string) (rows, cells int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	err = Read(f, info.Size(), want, Options{}, func(s *Sheet) error {
		rows, cells = 0, 0
		for {
			_, row, ok := s.Next()
			if !ok {
				return s.Err()
			}
			rows++
			for _, c := range row {
				if c != "" {
					cells++
				}
			}
		}
	})
	return rows, cells, err
}

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

// IsWorkbook reports whether head, the first bytes of a file, start a zip
// package or a compound file (an .xls or an encrypted workbook).
func IsWorkbook(head []byte) bool {
	return bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, oleMagic)
}

// checkWorkbookBytes tells the usual wrong files apart before any parsing:
// an empty file, a password-protected workbook or an old .xls (both OLE
// compound files), and anything that is not a zip at all.
func checkWorkbookBytes(r io.ReaderAt, size int64) error {
	head := make([]byte, 8)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return errorf("无法读取文件（%v）", err)
	}
	head = head[:n]
	switch {
	case n == 0:
		return errorf("文件是空的（0 字节）")
	case bytes.HasPrefix(head, oleMagic):
		// The directory of a compound file names its streams in UTF-16;
		// encrypted OOXML has an EncryptionInfo stream.
		data, _ := io.ReadAll(io.NewSectionReader(r, 0, min(size, 64<<20)))
		if bytes.Contains(data, utf16LE("EncryptionInfo")) {
			return errorf("文件设有打开密码，无法读取；请在 Excel 中取消密码（文件→信息→保护工作簿）后重新保存")
		}
		return errorf("这是旧版 Excel 97-2003 (.xls) 文件或其他 Office 文件，不是 .xlsx；请在 Excel 中另存为 .xlsx")
	case !bytes.HasPrefix(head, zipMagic):
		return errorf("不是 Excel (.xlsx) 文件：内容不是工作簿（可能是改了扩展名的文本或其他文件）")
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
			return errorf("解压后超过 %d MiB，拒绝读取（可能是恶意构造的压缩炸弹）", maxUnzipTotal>>20)
		}
		if size > ratioFloor && (packed == 0 || size/packed > maxRatio) {
			return errorf("压缩比异常（%s 解压后 %d MiB，压缩时只有 %d KiB），拒绝读取（可能是恶意构造的压缩炸弹）",
				f.Name, size>>20, packed>>10)
		}
		name := strings.ToLower(f.Name)
		streamed := strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
		if !streamed && size > maxOtherPart {
			return errorf("%s 解压后 %d MiB，超过 %d MiB 的上限，拒绝读取", f.Name, size>>20, maxOtherPart>>20)
		}
	}
	return nil
}

// chooseSheet is the sheet named want, else the sheet named like want
// (folded comparison), else the first.
func chooseSheet(sheets []string, want string) string {
	if slices.Contains(sheets, want) {
		return want
	}
	for _, name := range sheets {
		if report.Fold(name) == report.Fold(want) {
			return name
		}
	}
	return sheets[0]
}

// workbookParts is what the package relationships say of a workbook: its
// entries by lower-case name, and the workbook part's folder and
// relationships (_rels/.rels → workbook → its relationships).
type workbookParts struct {
	entries map[string]*zip.File
	dir     string // of the workbook part
	sheets  []sheetEntry
	rels    relationships
}

type sheetEntry struct {
	Name  string `xml:"name,attr"`
	ID    string `xml:"id,attr"`
	State string `xml:"state,attr"` // hidden, veryHidden; empty or visible: shown
}

// Worksheet is a sheet of a workbook, as Excel lists its tabs.
type Worksheet struct {
	Name   string
	Hidden bool      // not among the tabs Excel shows (hidden or very hidden)
	part   *zip.File // nil: none found
}

// workbook is a workbook's package as Read opens it: its entries, and
// what its relationships say (parts; partsErr when they cannot be read).
type workbook struct {
	zr       *zip.Reader
	parts    *workbookParts
	partsErr error
}

func openWorkbook(zr *zip.Reader) *workbook {
	p, err := readWorkbookParts(zr)
	return &workbook{zr: zr, parts: p, partsErr: err}
}

// checkSheetNames refuses a workbook with two sheets whose names differ in
// case alone, which Excel does not allow: excelize reads either of them,
// one run one and the next the other.
func (b *workbook) checkSheetNames() error {
	if b.partsErr != nil {
		return nil // refused where the sheet is looked for, in the reader's words
	}
	for i, sh := range b.parts.sheets {
		for _, other := range b.parts.sheets[:i] {
			if strings.EqualFold(sh.Name, other.Name) {
				return errorf("工作簿里有两个名字只差大小写的工作表（「%s」和「%s」），Excel 不允许这样命名，文件可能被改动过；请在 Excel 中改名后重新保存", other.Name, sh.Name)
			}
		}
	}
	return nil
}

// checkOtherParts inflates every part but the worksheets and the shared
// strings, whose readers check them, and refuses the workbook when one is
// damaged: excelize reads such a part as far as it goes, in silence, and
// a damaged file is refused whole, whatever part the damage is in. They
// are small (styles, theme, properties).
func (b *workbook) checkOtherParts() error {
	sst := b.sharedStringsPart()
	for _, f := range b.zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		if f == sst || strings.HasPrefix(name, "xl/worksheets/") || strings.HasSuffix(name, "/") {
			continue
		}
		if !inflates(f) {
			return errorf("文件中的 %s 已损坏；请重新导出", f.Name)
		}
	}
	return nil
}

// worksheets lists the workbook's sheets in their order; none when its
// relationships cannot be read (no sheet is then read either).
func (b *workbook) worksheets() []Worksheet {
	if b.partsErr != nil {
		return nil
	}
	sheets := make([]Worksheet, len(b.parts.sheets))
	for i, sh := range b.parts.sheets {
		sheets[i] = Worksheet{Name: sh.Name, Hidden: sh.State == "hidden" || sh.State == "veryHidden"}
		for _, r := range b.parts.rels.List {
			if r.ID == sh.ID {
				sheets[i].part = b.parts.target(r.Target)
			}
		}
	}
	return sheets
}

// Blank reports whether the sheet's part is small, UTF-8, and holds no
// element a cell's value is written in (v or is, under any prefix), so
// that reading it would give no row: a Sheet2 never typed in. A part it
// cannot tell of is not blank.
func (w Worksheet) Blank() bool {
	if w.part == nil || w.part.UncompressedSize64 > maxBlankPart {
		return false
	}
	rc, err := w.part.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxBlankPart+1))
	if err != nil || len(data) > maxBlankPart || !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 { // NUL: UTF-16
		return false
	}
	for rest := data; ; {
		i := bytes.IndexByte(rest, '<')
		if i < 0 {
			return true
		}
		rest = rest[i+1:]
		name := rest
		if end := bytes.IndexAny(rest, " \t\r\n/><"); end >= 0 {
			name = rest[:end] // an element's name ends at XML's whitespace, / or >
		}
		if j := bytes.LastIndexByte(name, ':'); j >= 0 {
			name = name[j+1:]
		}
		if string(name) == "v" || string(name) == "is" {
			return false
		}
	}
}

// maxBlankPart bounds the parts Blank reads: a blank sheet's part is a
// kilobyte or two of views and margins.
const maxBlankPart = 64 << 10

func readWorkbookParts(zr *zip.Reader) (*workbookParts, error) {
	p := &workbookParts{entries: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		p.entries[strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))] = f
	}
	broken := func(what string) error { return errorf("工作簿结构不完整（%s）", what) }
	var rels relationships
	workbook := "xl/workbook.xml"
	if err := decodePart(p.entries, "_rels/.rels", &rels); err == nil {
		for _, r := range rels.List {
			if strings.HasSuffix(r.Type, "/officeDocument") {
				workbook = resolvePart("", r.Target)
			}
		}
	}
	var wb struct {
		Sheets []sheetEntry `xml:"sheets>sheet"`
	}
	if err := decodePart(p.entries, workbook, &wb); err != nil {
		return nil, broken(err.Error())
	}
	p.sheets = wb.Sheets
	dir, base := path.Split(workbook)
	p.dir = dir
	if err := decodePart(p.entries, dir+"_rels/"+base+".rels", &p.rels); err != nil {
		return nil, broken(err.Error())
	}
	return p, nil
}

// target is the entry a relationship of the workbook points to, or nil.
func (p *workbookParts) target(target string) *zip.File {
	return p.entries[strings.ToLower(resolvePart(p.dir, target))]
}

// sheetPart finds the zip entry of the named sheet through the package
// relationships.
func (b *workbook) sheetPart(sheet string) (*zip.File, error) {
	if b.partsErr != nil {
		return nil, b.partsErr
	}
	p := b.parts
	for _, sh := range p.sheets {
		if !strings.EqualFold(sh.Name, sheet) {
			continue
		}
		for _, r := range p.rels.List {
			if r.ID == sh.ID {
				if f := p.target(r.Target); f != nil {
					return f, nil
				}
			}
		}
	}
	return nil, errorf("工作簿结构不完整（%s）", "找不到工作表「"+sheet+"」的数据")
}

// sharedStringsPart finds the shared-strings table through the workbook's
// relationships, which may put it under any name; without such a
// relationship, the part excelize reads, xl/sharedStrings.xml. nil: there
// is none.
func (b *workbook) sharedStringsPart() *zip.File {
	if b.partsErr == nil {
		for _, r := range b.parts.rels.List {
			if strings.HasSuffix(r.Type, "/sharedStrings") {
				if f := b.parts.target(r.Target); f != nil {
					return f
				}
			}
		}
	}
	for _, f := range b.zr.File {
		if strings.EqualFold(strings.ReplaceAll(f.Name, "\\", "/"), standardSharedStrings) {
			return f
		}
	}
	return nil
}

// standardSharedStrings is the one name excelize reads shared strings from.
const standardSharedStrings = "xl/sharedStrings.xml"

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
