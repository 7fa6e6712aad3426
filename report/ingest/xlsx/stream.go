package xlsx

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"bulletin/report/ingest/memohash"

	"github.com/xuri/excelize/v2"
)

// streamSheet reads a worksheet by scanning its XML straight from the zip
// entry: no copy of the sheet in memory or in a temporary file, the
// shared-strings table in one arena, and strings made only for the cells
// the caller keeps. It yields exactly the rows excelize's row iterator
// yields, in raw mode (the differential tests hold it to that). At the
// first construct it does not read itself it ends with errFallback, and
// the workbook is read again by excelize.
type streamSheet struct {
	sheet string
	part  io.ReadCloser
	w     *window
	sst   *sharedStrings

	row     rowBuilder
	cell    cellScanner
	yielded int // rows returned, empty ones included
	last    int // number of the last <row> read
	pending int // number of a row read but not yet returned (empty rows come first)
	done    bool
	ranges  []Range
	e       error

	rootTag   []byte // the worksheet's start tag, as written
	dataTag   []byte // the qualified name of sheetData, as written
	dataEnded bool   // <sheetData/>: no end tag to read
}

// next yields rows as excelize's Rows iterator does: every row number from
// 1 to the last <row>, those without a <row> element empty.
func (s *streamSheet) next() (int, []string, bool) {
	if s.e != nil {
		return 0, nil, false
	}
	if s.pending == 0 {
		if s.done {
			return 0, nil, false
		}
		num, st := s.scanRow()
		switch st {
		case scanEnd:
			s.finish()
			return s.next()
		case scanOther:
			s.e = errFallback
			return 0, nil, false
		}
		s.pending = num
	}
	s.yielded++
	if s.yielded < s.pending {
		return s.yielded, nil, true
	}
	s.pending = 0
	if len(s.row.cells) == 0 {
		return s.yielded, nil, true // as excelize gives a row without cells
	}
	return s.yielded, s.row.cells, true
}

// scanRow reads the next <row> into s.row, refilling the window as needed.
func (s *streamSheet) scanRow() (int, scanStatus) {
	for {
		n, num, st := s.cell.parseRow(s.w.bytes(), s.last, &s.row, s.sst)
		switch st {
		case scanOK:
			s.w.pos += n
			s.last = num
			return num, scanOK
		case scanMore:
			if s.w.fill() {
				continue
			}
			return 0, scanOther // the entry ends or fails inside a row: excelize decides what that means
		}
		return 0, st
	}
}

// finish reads what follows the rows: the end of sheetData, then the rest
// of the part as the excelize path checks a whole sheet (xmlCheck), for
// the merged ranges, a well-formed end and the entry's checksum. The rest
// is decoded after the worksheet's start tag, so that its namespaces are
// known.
func (s *streamSheet) finish() {
	s.done = true
	if !s.dataEnded {
		for {
			b := s.w.bytes()
			i, end, st := nextMarkup(b, 0)
			var j int
			if st == scanOK {
				if !end {
					st = scanOther
				} else {
					j, st = scanEndTag(b, i, s.dataTag)
				}
			}
			if st == scanOK {
				s.w.pos += j
				break
			}
			if st != scanMore || !s.w.fill() {
				s.e = errFallback // anything but </sheetData>: excelize's path says what
				return
			}
		}
	}
	c := &xmlCheck{sheet: s.sheet, afterData: true}
	if c.run(io.MultiReader(bytes.NewReader(s.rootTag), s.w)) != nil || c.readAfterData {
		// Refused in excelize's path's words: that path checks other
		// things first (the shared strings, the rows' text), and refuses
		// the cells and row numbers its iterator finds after sheetData.
		s.e = errFallback
		return
	}
	s.ranges = c.ranges
}

func (s *streamSheet) err() error            { return s.e }
func (s *streamSheet) name() string          { return s.sheet }
func (s *streamSheet) date1904() bool        { return false }
func (s *streamSheet) keepColumns(pos []int) { s.row.keepColumns(pos) }

// merges are known once the rows have been read: they follow the rows in
// the sheet.
func (s *streamSheet) merges() []Range { return s.ranges }

func (s *streamSheet) close() {
	s.w.release()
	_ = s.part.Close()
}

// cellScanner parses rows and cells; it keeps its scratch space between
// rows.
type cellScanner struct {
	tag, cellTag xmlTag
	strs         stringScanner
	text         []byte // decoded cell text that was not plain
	scratch      []byte
	ahead        rowAhead
}

// rowAhead is the start tag of the next row, read at the end of the row
// before (parseRow), so that it is not read twice. Its places count from
// that row's end, where the next parseRow's bytes begin.
type rowAhead struct {
	at, tagEnd, nameEnd int
	num                 int
	empty, ok           bool
}

// parseRow parses the <row> element at the start of b (white space
// before it allowed) into row. last is the number of the row before.
// scanEnd reports any end tag instead: </sheetData> or an XML error, both
// of which end excelize's iteration.
func (c *cellScanner) parseRow(b []byte, last int, row *rowBuilder, sst *sharedStrings) (n, num int, st scanStatus) {
	var j int
	var name []byte
	var empty bool
	if a := c.ahead; a.ok {
		j, name, empty, num = a.tagEnd, b[a.at+1:a.nameEnd], a.empty, a.num
	} else {
		i, end, st := nextMarkup(b, 0)
		if st != scanOK {
			return 0, 0, st
		}
		if end {
			return 0, 0, scanEnd
		}
		if j, st = scanStartTag(b, i, &c.tag, &c.scratch); st != scanOK {
			return 0, 0, st
		}
		if num, st = c.rowNumber(last); st != scanOK {
			return 0, 0, st
		}
		name, empty = c.tag.name, c.tag.empty
	}
	c.ahead.ok = false
	row.reset()
	if !empty {
		col := 0
		for {
			k, end, st := nextMarkup(b, j)
			if st != scanOK {
				return 0, 0, st
			}
			if end {
				if j, st = scanEndTag(b, k, name); st != scanOK {
					return 0, 0, st
				}
				break
			}
			if next, cellCol, ok := fastCell(b, k, col, row, sst); ok {
				j, col = next, cellCol
				continue
			}
			if j, col, st = c.parseCell(b, k, col, row, sst); st != scanOK {
				return 0, 0, st
			}
		}
	}
	// excelize takes everything up to the next row numbered after this one
	// as part of this one: only a row so numbered, or an end tag, may
	// follow.
	k, end, st := nextMarkup(b, j)
	if st == scanOK && !end {
		if tagEnd, next, ok := plainRowTag(b, k, num); ok {
			c.ahead = rowAhead{at: k - j, tagEnd: tagEnd - j, nameEnd: k + len("<row") - j, num: next, ok: true}
			return j, num, scanOK
		}
		var tagEnd, next int
		if tagEnd, st = scanStartTag(b, k, &c.tag, &c.scratch); st == scanOK {
			if next, st = c.rowNumber(num); st == scanOK {
				c.ahead = rowAhead{at: k - j, tagEnd: tagEnd - j, nameEnd: k + 1 + len(c.tag.name) - j,
					num: next, empty: c.tag.empty, ok: true}
			}
		}
	}
	if st != scanOK {
		return 0, 0, st
	}
	return j, num, scanOK
}

// plainRowTag reads the start tag at b[i] when it is exactly <row r="N">,
// as spreadsheet programs write it, numbered after last: where it ends and
// N. ok is false for anything else, scanStartTag's and rowNumber's to read
// (which read such a tag the same way).
func plainRowTag(b []byte, i, last int) (tagEnd, num int, ok bool) {
	const open = `<row r="`
	j := i + len(open)
	if j >= len(b) || string(b[i:j]) != open {
		return 0, 0, false
	}
	num, end := digitsAt(b, j)
	if end == j || end+1 >= len(b) || b[end] != '"' || b[end+1] != '>' || num <= last || num > excelize.TotalRows {
		return 0, 0, false
	}
	return end + 2, num, true
}

// rowNumber is the number of the row whose start tag is in c.tag, the row
// before being last: its r attribute, else last+1. Rows are read only when
// numbered in increasing order; anything else excelize numbers in its own
// way.
func (c *cellScanner) rowNumber(last int) (int, scanStatus) {
	if !c.tag.is("row") {
		return 0, scanOther
	}
	num := last + 1
	for _, a := range c.tag.attrs {
		if string(a.local) != "r" {
			continue
		}
		r, ok := smallUint(a.value)
		if a.prefixed || !ok || r <= last || r > excelize.TotalRows {
			return 0, scanOther
		}
		num = r
	}
	return num, scanOK
}

// parseCell parses the <c> element at b[i] and adds its value to row as
// excelize's rowXMLHandler does; col is the column of the cell before.
func (c *cellScanner) parseCell(b []byte, i, col int, row *rowBuilder, sst *sharedStrings) (int, int, scanStatus) {
	j, st := scanStartTag(b, i, &c.cellTag, &c.scratch)
	if st != scanOK {
		return i, col, st
	}
	if !c.cellTag.is("c") {
		return i, col, scanOther
	}
	var ref, typ []byte
	hasRef := false
	for _, a := range c.cellTag.attrs {
		switch string(a.local) {
		case "r", "s", "t":
			// Only plain values of attributes written without a prefix: an
			// s that does not parse stops excelize's handler half-way.
			if a.prefixed || !plainXMLText(a.value) {
				return i, col, scanOther
			}
		}
		switch string(a.local) {
		case "r":
			ref, hasRef = a.value, true
		case "s":
			if _, ok := smallUint(a.value); !ok {
				if _, err := strconv.ParseInt(string(a.value), 10, 64); err != nil {
					return i, col, scanOther
				}
			}
		case "t":
			typ = a.value
		}
	}
	col++
	if hasRef {
		var ok bool
		if col, ok = refColumn(ref); !ok {
			return i, col, scanOther
		}
	}
	var v, is []byte
	hasV, hasIS, hasF := false, false, false
	c.text = c.text[:0]
	if !c.cellTag.empty {
		name := c.cellTag.name
		for {
			k, end, st := nextMarkup(b, j)
			if st != scanOK {
				return i, col, st
			}
			if end {
				if j, st = scanEndTag(b, k, name); st != scanOK {
					return i, col, st
				}
				break
			}
			if j, st = scanStartTag(b, k, &c.tag, &c.scratch); st != scanOK {
				return i, col, st
			}
			switch {
			case c.tag.is("v") && !hasV:
				var raw []byte
				if raw, j, st = scanTextElement(b, j, &c.tag); st != scanOK {
					return i, col, st
				}
				if v, st = textOf(raw, &c.text); st != scanOK {
					return i, col, st
				}
				hasV = true
			case c.tag.is("is") && !hasIS:
				start := len(c.text)
				if c.text, j, st = c.strs.scan(b, k, c.text); st != scanOK {
					return i, col, st
				}
				is, hasIS = c.text[start:], true
			case c.tag.is("f") && !hasF:
				var f formula
				var n int
				if n, st = decodeFragment(b[k:], &f); st != scanOK {
					return i, col, st
				}
				j, hasF = k+n, true
			default:
				return i, col, scanOther
			}
		}
	}
	value, sstIndex := v, -1
	switch string(typ) {
	case "s":
		if len(v) > 0 {
			value = nil
			if n := sharedIndex(v); sst != nil && n >= 0 && n < sst.len() {
				value, sstIndex = sst.at(n), n
			}
		}
	case "inlineStr":
		if hasIS {
			value = is
		}
	}
	if len(value) > 0 || hasF {
		row.add(col, value, sstIndex)
	}
	return j, col, scanOK
}

// fastCell reads the cell at b[i] when it has exactly the shape spreadsheet
// programs write: <c r="B2" s="1" t="s"> (any of the three attributes,
// values of letters and digits) holding <v>text</v> or
// <is><t>text</t></is>, with plain text. It reads such a cell as parseCell
// does, only faster; ok is false for anything else, parseCell's to read.
func fastCell(b []byte, i, col int, row *rowBuilder, sst *sharedStrings) (next, cellCol int, ok bool) {
	j := i + 2
	if j >= len(b) || b[i+1] != 'c' || b[j] != ' ' && b[j] != '>' {
		return 0, 0, false
	}
	var typ []byte
	var seen [3]bool // r, s, t
	refCol := 0      // the column the cell's reference names, if it has one
	for b[j] == ' ' {
		if j+4 >= len(b) || b[j+2] != '=' || b[j+3] != '"' {
			return 0, 0, false
		}
		name := b[j+1]
		var end, k int
		switch {
		case name == 'r':
			if end, refCol = plainRef(b, j+4); refCol == 0 {
				return 0, 0, false
			}
		case name == 't' && len(b)-j > 14 && string(b[j+4:j+14]) == `inlineStr"`: // most text cells of an export
			end = j + 13
		default:
			for end = j + 4; end < len(b) && isRefByte(b[end]); end++ {
			}
		}
		if end+1 >= len(b) || b[end] != '"' {
			return 0, 0, false
		}
		value := b[j+4 : end]
		switch name {
		case 'r':
			k = 0
		case 's':
			if _, isNum := smallUint(value); !isNum {
				return 0, 0, false
			}
			k = 1
		case 't':
			typ, k = value, 2
		default:
			return 0, 0, false
		}
		if seen[k] {
			return 0, 0, false
		}
		seen[k] = true
		j = end + 1
	}
	if b[j] != '>' {
		return 0, 0, false
	}
	j++
	var text []byte
	isInline := false
	// Comparisons with constant strings: the compiler makes them a few
	// loads, where bytes.HasPrefix calls memequal.
	rest := len(b) - j
	switch {
	case rest >= 3 && string(b[j:j+3]) == "<v>":
		j += 3
	case rest >= 7 && string(b[j:j+7]) == "<is><t>":
		j += 7
		isInline = true
	case rest >= 28 && string(b[j:j+28]) == `<is><t xml:space="preserve">`:
		j += 28
		isInline = true
	default:
		return 0, 0, false
	}
	// Most values are a number or a shared string's index: digits, read
	// once as the number they are.
	number, end := digitsAt(b, j)
	digits := end > j && end < len(b) && b[end] == '<'
	underscore := false
	if !digits {
		var plain bool
		if end, plain, underscore = scanPlainText(b, j); !plain || end == len(b) {
			return 0, 0, false
		}
	}
	text, j, rest = b[j:end], end, len(b)-end
	switch {
	case !isInline && rest >= 8 && string(b[j:j+8]) == "</v></c>":
		j += 8
	case isInline && rest >= 13 && string(b[j:j+13]) == "</t></is></c>":
		j += 13
	default:
		return 0, 0, false
	}
	col++
	if refCol > 0 {
		col = refCol
	}
	var value []byte
	sstIndex := -1
	switch {
	case isInline:
		// An inline string is the value of an inlineStr cell only (the
		// cell has no <v>).
		if string(typ) == "inlineStr" {
			if underscore && bytes.Contains(text, []byte("_x")) {
				return 0, 0, false // escapes: parseCell undoes them
			}
			value = text
		}
	case string(typ) == "s":
		if !digits {
			number = sharedIndex(text)
		}
		if n := number; len(text) > 0 && sst != nil && n >= 0 && n < sst.len() {
			value, sstIndex = sst.at(n), n
		}
	default:
		value = text
	}
	if len(value) > 0 {
		row.add(col, value, sstIndex)
	}
	return j, col, true
}

// plainRef reads the cell reference at b[i] when it has the shape
// spreadsheet programs write, capital letters then digits (B2), and names
// a cell excelize accepts; it returns where the reference ends and its
// column, or column 0 for anything else (parseCell reads those).
func plainRef(b []byte, i int) (end, col int) {
	j := i
	for ; j < len(b) && j-i < 3 && b[j]-'A' < 26; j++ {
		col = col*26 + int(b[j]-'A'+1)
	}
	letters := j
	row, j := digitsAt(b, letters)
	if j == letters || letters == i || row == 0 || row > excelize.TotalRows || col > excelize.MaxColumns {
		return j, 0
	}
	return j, col
}

func isRefByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '$'
}

// textOf is raw decoded: raw itself when it is plain, else a copy in buf.
func textOf(raw []byte, buf *[]byte) ([]byte, scanStatus) {
	if plainXMLText(raw) {
		return raw, scanOK
	}
	start := len(*buf)
	var st scanStatus
	if *buf, st = appendText(*buf, raw); st != scanOK {
		return nil, st
	}
	return (*buf)[start:], scanOK
}

// smallUint parses 1 to 9 ASCII digits.
func smallUint(b []byte) (int, bool) {
	n, end := digitsAt(b, 0)
	return n, end > 0 && end == len(b)
}

// digitsAt reads the ASCII digits at b[i], at most nine, as a number; end
// is where they stop.
func digitsAt(b []byte, i int) (n, end int) {
	for end = i; end < len(b) && end-i < 9 && b[end]-'0' < 10; end++ {
		n = n*10 + int(b[end]-'0')
	}
	return n, end
}

// sharedIndex reads a shared-string reference as excelize does:
// strconv.Atoi of the trimmed text, 0 when that fails.
func sharedIndex(v []byte) int {
	if n, ok := smallUint(v); ok {
		return n
	}
	n, _ := strconv.Atoi(string(bytes.TrimSpace(v)))
	return n
}

// refColumn is the column of a cell reference (A1, $B$7); ok is false
// where excelize.CellNameToCoordinates fails.
func refColumn(ref []byte) (int, bool) {
	col, i := 0, 0
	for i < len(ref) && i < 3 && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	if row, ok := smallUint(ref[i:]); ok && i > 0 && row > 0 && row <= excelize.TotalRows && col <= excelize.MaxColumns {
		return col, true
	}
	col, _, err := excelize.CellNameToCoordinates(string(ref))
	return col, err == nil
}

// rowBuilder assembles a row's cells as excelize's row iterator does: a
// cell lands after the cells before it, padded with empty ones up to its
// column. Once the header is known, only the columns the parser reads get
// their text, plus the first non-empty cell of the row (which tells empty
// and summary rows apart); the others stay empty strings at their place.
type rowBuilder struct {
	cells   []string
	keep    []bool // by position; nil keeps every cell
	first   bool   // a non-empty cell has been kept
	interns []internCache
	text    textBlocks
	sst     *sharedStrings
}

func (r *rowBuilder) reset() { r.cells, r.first = r.cells[:0], false }

func (r *rowBuilder) keepColumns(pos []int) {
	r.keep = nil
	for _, p := range pos {
		if p >= 0 {
			for len(r.keep) <= p {
				r.keep = append(r.keep, false)
			}
			r.keep[p] = true
		}
	}
}

func (r *rowBuilder) add(col int, value []byte, sstIndex int) {
	for len(r.cells) < col-1 {
		r.cells = append(r.cells, "")
	}
	pos := len(r.cells)
	kept := r.keep == nil || pos < len(r.keep) && r.keep[pos]
	if !r.first {
		r.first = !isBlank(value)
		kept = kept || r.first
	}
	if !kept {
		r.cells = append(r.cells, "")
		return
	}
	r.cells = append(r.cells, r.str(pos, value, sstIndex))
}

// isBlank reports a value that strings.TrimSpace empties.
func isBlank(value []byte) bool {
	if len(value) == 0 {
		return true
	}
	if c := value[0]; c > ' ' && c < utf8.RuneSelf {
		return false
	}
	return len(bytes.TrimSpace(value)) == 0
}

// str makes the string of a kept cell. Most cells repeat a few values (a
// squad, a type, 是/否, a date): those are made once per file.
func (r *rowBuilder) str(pos int, value []byte, sstIndex int) string {
	if sstIndex >= 0 {
		return r.sst.str(sstIndex)
	}
	for len(r.interns) <= pos {
		r.interns = append(r.interns, internCache{})
	}
	return r.interns[pos].str(value, &r.text)
}

// internCache remembers the recent strings of one column, and stops trying
// for a column whose values are mostly new (an id).
type internCache struct {
	slots           [1 << internBits]string
	lookups, misses int
	off             bool
}

func (c *internCache) str(value []byte, text *textBlocks) string {
	if c.off || len(value) > 64 {
		return text.str(value)
	}
	slot := &c.slots[memohash.Slot(value, internBits)]
	c.lookups++
	if *slot == string(value) {
		return *slot
	}
	c.misses++
	if c.lookups == 1024 && c.misses > 768 {
		c.off = true
	}
	*slot = text.str(value)
	return *slot
}

// internBits sizes an intern cache: 64 slots.
const internBits = 6

// textBlocks makes the strings of a file's kept cells as slices of a few
// large strings, as the shared-strings layout has them from its table
// (sharedStrings.str): a city's month is millions of kept cells, and
// millions of small strings were both their allocation and the collector's
// work on every cycle after the reading. A block lives as long as any
// string of it.
type textBlocks struct {
	b strings.Builder
}

const textBlockSize = 64 << 10

func (t *textBlocks) str(value []byte) string {
	if len(value) > textBlockSize/8 {
		return string(value)
	}
	if t.b.Cap()-t.b.Len() < len(value) {
		// A new block: the strings made so far keep the old one, whose
		// bytes a Builder never changes once written.
		t.b = strings.Builder{}
		t.b.Grow(textBlockSize)
	}
	start := t.b.Len()
	t.b.Write(value)
	return t.b.String()[start:]
}
