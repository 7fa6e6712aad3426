package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// openStream opens the sheet through the streaming reader, or returns nil
// when the workbook is not of the shape it reads (the caller then uses
// excelize). 1904-dated workbooks are left to excelize, which knows their
// date system. partsChecked: Options.PartsChecked.
func openStream(book *workbook, want string, partsChecked bool) *streamSheet {
	zr := book.zr
	lay, ok := excelizeLayout(book, want)
	if !ok || lay.date1904 {
		return nil
	}
	// The excelize path reads merged ranges from the part sheetPart finds;
	// both must be the same part.
	if part, err := book.sheetPart(lay.sheet); err != nil || part != lay.part {
		return nil
	}
	var sst *sharedStrings
	for _, f := range zr.File {
		switch {
		case f == lay.part:
		case f == lay.sharedStrings:
			if sst, ok = loadSharedStrings(f); !ok {
				return nil
			}
		case lay.stubbed[f] && !partsChecked:
			// excelize inflates every part when it opens a workbook; one
			// whose stubbed parts do not inflate whole is left to it, so
			// that both paths read it alike.
			if !inflates(f) {
				return nil
			}
		}
	}
	rc, err := lay.part.Open()
	if err != nil {
		return nil
	}
	w := newWindow(rc)
	w.fill()
	w.noRefill = true
	rootTag, _, dataTag, empty, ok := openRoot(w, "worksheet", "sheetData")
	w.noRefill = false
	// Merged ranges are found by a byte search over the whole part in the
	// excelize path; here only after the rows, so none may come before.
	if !ok || bytes.Contains(w.buf[:w.pos], []byte("mergeCell")) {
		w.release()
		rc.Close()
		return nil
	}
	// Copies: the window's bytes move on.
	s := &streamSheet{sheet: lay.sheet, part: rc, w: w, sst: sst,
		rootTag: bytes.Clone(rootTag), dataTag: bytes.Clone(dataTag), dataEnded: empty}
	s.row.sst = sst
	if empty {
		s.finish()
	}
	return s
}

// layout is what excelize makes of a workbook's structure (but for the
// shared strings, found through the relationships: see openExcelize).
type layout struct {
	sheet         string    // the sheet read, as excelize names it
	date1904      bool      // the workbook's date system
	part          *zip.File // the entry excelize reads that sheet from
	sharedStrings *zip.File // the shared-strings entry, or nil
	stubbed       map[*zip.File]bool
}

// excelizeLayout asks excelize which sheet it would read, from which part,
// and in which date system, without inflating any worksheet: excelize
// opens a copy of the package in which every worksheet part is a stub
// holding its own index, and the shared strings are empty. The copy takes
// the other parts as they are (copied compressed), so excelize accepts or
// refuses the structure exactly as it would the whole file. ok is false
// when excelize does not open the copy or the sheet is not among the stubs.
func excelizeLayout(book *workbook, want string) (lay layout, ok bool) {
	zr := book.zr
	lay.stubbed = make(map[*zip.File]bool)
	lay.sharedStrings = book.sharedStringsPart()
	standard := 0
	var pkg bytes.Buffer
	zw := zip.NewWriter(&pkg)
	for i, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		var stub string
		switch {
		case f == lay.sharedStrings || name == "xl/sharedstrings.xml":
			if name == "xl/sharedstrings.xml" {
				if standard++; standard > 1 {
					return lay, false // excelize would take the last of several
				}
			}
			stub = `<sst xmlns="` + mainNamespace + `"/>`
		case strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml"):
			stub = fmt.Sprintf(`<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>%s%d</t></is></c></row></sheetData></worksheet>`, mainNamespace, stubMarker, i)
		default:
			if zw.Copy(f) != nil {
				return lay, false
			}
			continue
		}
		lay.stubbed[f] = true
		// Stored, not deflated: a compressor per stub cost more than the
		// stubs' few bytes could ever save.
		if w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store}); err != nil || writeString(w, stub) != nil {
			return lay, false
		}
	}
	if zw.Close() != nil {
		return lay, false
	}
	stubs, err := excelize.OpenReader(&pkg, excelize.Options{RawCellValue: true, UnzipSizeLimit: maxUnzipTotal, UnzipXMLSizeLimit: maxXMLInMemory})
	if err != nil {
		return lay, false
	}
	defer stubs.Close()
	sheets := stubs.GetSheetList()
	if len(sheets) == 0 {
		return lay, false
	}
	lay.sheet = chooseSheet(sheets, want) // Read refused names alike but for case
	if props, err := stubs.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		lay.date1904 = *props.Date1904
	}
	rows, err := stubs.Rows(lay.sheet)
	if err != nil {
		return lay, false
	}
	defer rows.Close()
	if !rows.Next() {
		return lay, false
	}
	cells, err := rows.Columns()
	if err != nil || len(cells) != 1 {
		return lay, false
	}
	index, isStub := strings.CutPrefix(cells[0], stubMarker)
	i, err := strconv.Atoi(index)
	if !isStub || err != nil || i < 0 || i >= len(zr.File) || !lay.stubbed[zr.File[i]] || zr.File[i] == lay.sharedStrings {
		return lay, false
	}
	lay.part = zr.File[i]
	return lay, true
}

// stubMarker starts the text of every stub: no real cell holds it.
var stubMarker = fmt.Sprintf("bulletin-stub-%x-", rand.Uint64())

func writeString(w io.Writer, s string) error {
	_, err := io.WriteString(w, s)
	return err
}

// inflates reports whether the entry inflates whole with a valid checksum.
func inflates(f *zip.File) bool {
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	_, err = io.Copy(io.Discard, rc)
	return err == nil
}
