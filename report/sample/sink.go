package sample

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// sink receives one sheet cell by cell, row by row. The xlsx sink streams
// through excelize's StreamWriter; the csv sink appends bytes to a reused
// buffer, so a million-row CSV costs no allocation per row.
type sink interface {
	text(s string)
	textBytes(b []byte)
	number(f float64)
	dateCell(serial float64, withTime bool)
	boolCell(b bool)
	endRow() error
	skipRow()
	// merge joins a rectangle of cells given by 1-based row and column
	// numbers; formats without merged cells ignore it.
	merge(row1, col1, row2, col2 int) error
	// nextRow is the 1-based row number the next endRow writes.
	nextRow() int
	close() error
	abort()
}

// atomicFile writes path through a temp file in the same folder, renamed
// into place only when everything was written.
type atomicFile struct {
	*os.File
	path string
}

func createAtomic(path string) (*atomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	// CreateTemp makes the file private; exports are ordinary files.
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &atomicFile{File: f, path: path}, nil
}

func (a *atomicFile) commit() error {
	if err := a.File.Close(); err != nil {
		os.Remove(a.Name())
		return err
	}
	if err := os.Rename(a.Name(), a.path); err != nil {
		os.Remove(a.Name())
		return err
	}
	return nil
}

func (a *atomicFile) abort() {
	a.File.Close()
	os.Remove(a.Name())
}

// xlsxSink ---------------------------------------------------------------

type xlsxSink struct {
	path      string
	file      *excelize.File
	sw        *excelize.StreamWriter
	row       []any
	rowNum    int
	dateStyle int
	timeStyle int
}

// xlsxBook describes the workbook around the data sheet.
type xlsxBook struct {
	sheet    string    // name of the data sheet
	readme   string    // when set, a first sheet 说明 holding this text
	title    string    // document title property
	exported time.Time // the export's time; fixed document times keep output reproducible
}

func newXLSXSink(path string, book xlsxBook) (*xlsxSink, error) {
	f := excelize.NewFile()
	fail := func(err error) (*xlsxSink, error) {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	first := book.sheet
	if book.readme != "" {
		first = "说明"
	}
	if err := f.SetSheetName("Sheet1", first); err != nil {
		return fail(err)
	}
	if book.readme != "" {
		if err := f.SetCellStr(first, "A1", book.readme); err != nil {
			return fail(err)
		}
		if _, err := f.NewSheet(book.sheet); err != nil {
			return fail(err)
		}
	}
	stamp := book.exported.Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:        "综合指挥监管平台",
		LastModifiedBy: "综合指挥监管平台",
		Title:          book.title,
		Created:        stamp,
		Modified:       stamp,
	}); err != nil {
		return fail(err)
	}
	dateFmt, timeFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return fail(err)
	}
	timeStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &timeFmt})
	if err != nil {
		return fail(err)
	}
	sw, err := f.NewStreamWriter(book.sheet)
	if err != nil {
		return fail(err)
	}
	return &xlsxSink{path: path, file: f, sw: sw, rowNum: 1, dateStyle: dateStyle, timeStyle: timeStyle}, nil
}

// An empty string leaves the cell out, as spreadsheet programs do.
func (s *xlsxSink) text(v string) {
	if v == "" {
		s.row = append(s.row, nil)
		return
	}
	s.row = append(s.row, v)
}

func (s *xlsxSink) textBytes(b []byte) { s.row = append(s.row, string(b)) }
func (s *xlsxSink) number(f float64)   { s.row = append(s.row, f) }
func (s *xlsxSink) boolCell(b bool)    { s.row = append(s.row, b) }
func (s *xlsxSink) skipRow()           { s.rowNum++ }
func (s *xlsxSink) nextRow() int       { return s.rowNum }

func (s *xlsxSink) dateCell(serial float64, withTime bool) {
	style := s.dateStyle
	if withTime {
		style = s.timeStyle
	}
	s.row = append(s.row, excelize.Cell{StyleID: style, Value: serial})
}

func (s *xlsxSink) endRow() error {
	ref, err := excelize.CoordinatesToCellName(1, s.rowNum)
	if err == nil {
		err = s.sw.SetRow(ref, s.row)
	}
	if err != nil {
		return fmt.Errorf("%s: row %d: %w", s.path, s.rowNum, err)
	}
	clear(s.row)
	s.row = s.row[:0]
	s.rowNum++
	return nil
}

func (s *xlsxSink) merge(row1, col1, row2, col2 int) error {
	from, err := excelize.CoordinatesToCellName(col1, row1)
	if err != nil {
		return err
	}
	to, err := excelize.CoordinatesToCellName(col2, row2)
	if err != nil {
		return err
	}
	return s.sw.MergeCell(from, to)
}

func (s *xlsxSink) close() error {
	defer s.file.Close()
	if err := s.sw.Flush(); err != nil {
		return fmt.Errorf("%s: %w", s.path, err)
	}
	out, err := createAtomic(s.path)
	if err != nil {
		return err
	}
	if _, err := s.file.WriteTo(out); err != nil {
		out.abort()
		return fmt.Errorf("%s: %w", s.path, err)
	}
	return out.commit()
}

func (s *xlsxSink) abort() { s.file.Close() }

// csvSink ----------------------------------------------------------------

type csvSink struct {
	out    *atomicFile
	w      *bufio.Writer
	enc    io.WriteCloser // GBK transformer between w and out, or nil
	line   []byte
	cells  int
	rowNum int
}

type csvEncoding uint8

const (
	utf8Plain csvEncoding = iota
	utf8BOM
	gbk
)

func newCSVSink(path string, enc csvEncoding) (*csvSink, error) {
	out, err := createAtomic(path)
	if err != nil {
		return nil, err
	}
	s := &csvSink{out: out, rowNum: 1}
	switch enc {
	case gbk:
		// Excel on Chinese Windows saves CSV as GBK (code page 936).
		s.enc = transform.NewWriter(out, simplifiedchinese.GBK.NewEncoder())
		s.w = bufio.NewWriterSize(s.enc, 64<<10)
	case utf8BOM:
		s.w = bufio.NewWriterSize(out, 64<<10)
		s.w.WriteString("\ufeff")
	default:
		s.w = bufio.NewWriterSize(out, 64<<10)
	}
	return s, nil
}

func (s *csvSink) sep() {
	if s.cells > 0 {
		s.line = append(s.line, ',')
	}
	s.cells++
}

func (s *csvSink) text(v string) {
	s.sep()
	s.line = appendCSVField(s.line, v)
}

func (s *csvSink) textBytes(b []byte) {
	s.sep()
	s.line = appendCSVField(s.line, b)
}

func (s *csvSink) number(f float64) {
	s.sep()
	s.line = strconv.AppendFloat(s.line, f, 'f', -1, 64)
}

// CSV has no typed cells: a date cell is written as ISO text, a boolean as
// true/false (what Excel itself writes when it saves such a sheet as CSV).
func (s *csvSink) dateCell(serial float64, withTime bool) {
	d := day(serial) - 25569
	secs := int32(-1)
	if withTime {
		secs = int32((serial-float64(int(serial)))*86400 + 0.5)
	}
	s.sep()
	s.line = appendDate(s.line, dateISO, d, secs)
}

func (s *csvSink) boolCell(b bool) {
	s.sep()
	s.line = strconv.AppendBool(s.line, b)
}

func (s *csvSink) endRow() error {
	s.line = append(s.line, '\r', '\n')
	_, err := s.w.Write(s.line)
	s.line, s.cells = s.line[:0], 0
	s.rowNum++
	if err != nil {
		return fmt.Errorf("%s: row %d: %w", s.out.path, s.rowNum-1, err)
	}
	return nil
}

// skipRow writes an empty line, which is what an empty row of a sheet
// becomes when it is saved as CSV.
func (s *csvSink) skipRow() {
	s.w.WriteString("\r\n")
	s.rowNum++
}

func (s *csvSink) merge(int, int, int, int) error { return nil }
func (s *csvSink) nextRow() int                   { return s.rowNum }

func (s *csvSink) close() error {
	err := s.w.Flush()
	if s.enc != nil && err == nil {
		err = s.enc.Close()
	}
	if err != nil {
		s.out.abort()
		return fmt.Errorf("%s: %w", s.out.path, err)
	}
	return s.out.commit()
}

func (s *csvSink) abort() { s.out.abort() }

// appendCSVField quotes a field the way encoding/csv does (RFC 4180).
func appendCSVField[T string | []byte](dst []byte, v T) []byte {
	quote := false
	for i := 0; i < len(v); i++ {
		if c := v[i]; c == ',' || c == '"' || c == '\n' || c == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(v); i++ {
		if v[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, v[i])
	}
	return append(dst, '"')
}
