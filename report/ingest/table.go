package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"bulletin/report"
	"bulletin/report/ingest/xlsx"
)

// rowSource streams the rows of one sheet (*xlsx.Sheet) or CSV file.
type rowSource interface {
	// Next returns the next row with its 1-based number as the user sees it
	// (the Excel row number, the CSV line); ok is false at the end.
	Next() (row int, cells []string, ok bool)
	// Err is the error that ended the rows early, if any.
	Err() error
	// Name is the sheet read, "" for CSV.
	Name() string
	// Merges lists the merged ranges of the sheet.
	Merges() []xlsx.Range
}

// mergeFiller gives every cell of a merged range the value of its top-left
// cell, which is the only one that holds it in the file: a squad merged over
// three rows belongs to all three. Only ranges below the header are filled,
// and only as far right as the header reaches.
type mergeFiller struct {
	pending []xlsx.Range // sorted by top row
	active  []activeMerge
	width   int
}

type activeMerge struct {
	xlsx.Range
	value string
}

func newMergeFiller(ranges []xlsx.Range, h header) *mergeFiller {
	m := &mergeFiller{}
	for _, p := range h.pos {
		m.width = max(m.width, p+1)
	}
	for _, r := range ranges {
		if r.Top > h.last() && r.Left <= m.width && (r.Bottom > r.Top || r.Right > r.Left) {
			r.Right = min(r.Right, m.width)
			m.pending = append(m.pending, r)
		}
	}
	sort.SliceStable(m.pending, func(i, j int) bool { return m.pending[i].Top < m.pending[j].Top })
	return m
}

func (m *mergeFiller) fill(row int, cells []string) []string {
	if len(m.pending) == 0 && len(m.active) == 0 {
		return cells
	}
	kept := m.active[:0]
	for _, a := range m.active {
		if a.Bottom >= row {
			kept = append(kept, a)
		}
	}
	m.active = kept
	for len(m.pending) > 0 && m.pending[0].Top <= row {
		r := m.pending[0]
		m.pending = m.pending[1:]
		value := ""
		if r.Top == row && r.Left <= len(cells) {
			value = cells[r.Left-1]
		}
		if r.Bottom >= row {
			m.active = append(m.active, activeMerge{r, value})
		}
	}
	for _, a := range m.active {
		for len(cells) < a.Right {
			cells = append(cells, "")
		}
		for c := a.Left; c <= a.Right; c++ {
			if row != a.Top || c != a.Left {
				cells[c-1] = a.value
			}
		}
	}
	return cells
}

// rowCtx is one data row being turned into a record. Its accessors record
// the first problem met, in the order the parser reads the columns; a row
// with a problem is rejected as a whole.
type rowCtx struct {
	cells  []string
	row    int
	dates  dateParser
	failed bool
	where  column
	value  string
	reason string
}

func (c *rowCtx) raw(col column) string {
	if col.pos < 0 || col.pos >= len(c.cells) {
		return ""
	}
	return c.cells[col.pos]
}

func (c *rowCtx) fail(col column, reason string) {
	if !c.failed {
		c.failed, c.where, c.value, c.reason = true, col, strings.TrimSpace(c.raw(col)), reason
	}
}

// text is the cell as written, trimmed; required makes an empty cell a
// problem.
func (c *rowCtx) text(col column, required bool) string {
	s := trimSpace(c.raw(col))
	if s == "" && required {
		c.fail(col, emptyReason)
	}
	return s
}

// id is a required identifier.
func (c *rowCtx) id(col column) string {
	s := cleanID(c.raw(col))
	if s == "" {
		c.fail(col, emptyReason)
	}
	return s
}

func (c *rowCtx) date(col column, required bool) report.Date {
	d, err := c.dates.parse(c.raw(col))
	switch {
	case err != nil:
		c.fail(col, err.Error())
	case d.IsZero() && required:
		c.fail(col, emptyReason)
	case !d.IsZero() && d.Before(earliestDate):
		c.fail(col, fmt.Sprintf("日期早于2000年（读作 %s）：多半是数字被当成了 Excel 日期序号（如把5月20日写成 5.20），或是笔误", d))
	}
	return d
}

func (c *rowCtx) boolean(col column) bool {
	b, err := parseBool(c.raw(col))
	if err != nil {
		c.fail(col, err.Error())
	}
	return b
}

func (c *rowCtx) count(col column) int {
	n, err := parseCount(c.raw(col))
	if err != nil {
		c.fail(col, err.Error())
	}
	return n
}

// name maps a name through a vocabulary; an unknown name is a problem, an
// empty one only when required.
func (c *rowCtx) name(col column, lk *lookup, required bool) string {
	s := trimSpace(c.raw(col))
	if s == "" {
		if required {
			c.fail(col, emptyReason)
		}
		return ""
	}
	canonical, ok := lk.find(s)
	if !ok {
		c.fail(col, lk.unknown(s))
	}
	return canonical
}

// table reads one rowSource: it finds the header, skips empty and summary
// rows, fills merged cells and hands every data row to the dataset's
// parser.
type table struct {
	src    rowSource
	schema *schema
	res    *fileResult
	dates  dateParser
}

// rowParser turns a row into a record of the file's result, or leaves the
// rowCtx failed.
type rowParser func(c *rowCtx)

// read reads the rows into the result; an error says the file cannot be
// used at all (a *problem, an error of the source, a cancelled ctx, or
// xlsx.ErrMergesNeeded).
func (t *table) read(ctx context.Context, parserFor func(header) rowParser) error {
	hr, err := findHeader(t.src, t.schema)
	if err != nil {
		return err
	}
	h, width := hr.header, hr.width
	if absent := t.schema.absent(h); len(absent) > 0 {
		// Its values read as empty: 否, no date, no squad. A column named
		// otherwise than config.toml knows (是否被抽查) is one of these.
		t.res.warn(report.WarnNoColumn, fmt.Sprintf("第%d行的表头没有：%s", h.row, strings.Join(absent, "、")))
	}
	if h.subRow > 0 {
		t.res.warn(report.WarnSubHeaders, fmt.Sprintf("第%d行是第%d行表头下的子表头：%s", h.subRow, h.row, strings.Join(h.subHeaders(), "、")))
	}
	parse := parserFor(h)
	c := new(rowCtx) // one for every row: the parser keeps none
	merges := t.src.Merges()
	filler := newMergeFiller(merges, h)
	if f, ok := t.src.(columnFilter); ok {
		f.KeepColumns(h.pos)
	}
	fields, inOrder := t.src.(fieldsInOrder)
	short := shortRows{width: width}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		row, cells, ok := hr.nextRowNo, hr.next, hr.next != nil
		if ok {
			hr.next = nil
		} else if row, cells, ok = t.src.Next(); !ok {
			break
		}
		cells = filler.fill(row, cells)
		first, empty := firstNonEmpty(cells)
		if empty {
			continue
		}
		if isSummary(first) {
			t.res.warn(report.WarnSummaryRow, fmt.Sprintf("第%d行：%s", row, strings.TrimSpace(first)))
			continue
		}
		t.res.input.Rows++
		*c = rowCtx{cells: cells, row: row, dates: t.dates}
		if inOrder {
			if extra := lastNonEmpty(cells); extra >= width {
				// Read as it is, the row would give its fields to the
				// wrong columns.
				c.fail(column{pos: extra, name: fmt.Sprintf("第%d列", extra+1)}, fmt.Sprintf("表头只有%d列，这一行却有第%d列：多半是某个值里有未加引号的逗号，整行错位", width, extra+1))
			} else if len(cells) < width {
				if err := short.judge(t.res, row, cells, fields.unterminated()); err != nil {
					return err
				}
			}
		}
		if !c.failed {
			parse(c)
		}
		if c.failed {
			t.res.reject(row, c.where, c.value, c.reason)
		} else {
			t.res.input.Accepted++
		}
	}
	if err := t.src.Err(); err != nil {
		return err
	}
	// A streamed sheet learns the merged ranges after the rows.
	if late := t.src.Merges(); len(late) != len(merges) && len(newMergeFiller(late, h).pending) > 0 {
		return xlsx.ErrMergesNeeded
	}
	return nil
}

// headerRead is a sheet's header as findHeader reads it: the header, its
// width (up to its last named cell), and the first non-empty row under it
// when that was read to see whether it is a row of sub-headers and is not
// (the caller's to use before reading on; valid until then).
type headerRead struct {
	header
	width     int
	next      []string // nil: no row was read past the header
	nextRowNo int
}

// findHeader reads src up to the end of its header: the header row, and a
// row of sub-headers right under it (schema.withSubHeaders). The error is
// the source's, or a *problem when none of the top rows holds every
// required column.
func findHeader(src rowSource, s *schema) (headerRead, error) {
	finder := headerFinder{s: s}
	for !finder.exhausted() {
		row, cells, ok := src.Next()
		if !ok {
			break
		}
		if isEmptyRow(cells) {
			continue
		}
		if h, found := finder.offer(row, cells); found {
			return underHeader(src, s, headerRead{header: h, width: lastNonEmpty(cells) + 1})
		}
	}
	if err := src.Err(); err != nil {
		return headerRead{}, err
	}
	return headerRead{}, &problem{msg: finder.failure(), noHeader: true}
}

// underHeader reads the first non-empty row under the header hr: taken
// into the header when it is a row of sub-headers, else kept as hr.next.
func underHeader(src rowSource, s *schema, hr headerRead) (headerRead, error) {
	for {
		row, cells, ok := src.Next()
		if !ok {
			return hr, src.Err()
		}
		if isEmptyRow(cells) {
			continue
		}
		if h, ok := s.withSubHeaders(hr.header, row, cells); ok {
			hr.header, hr.width = h, max(hr.width, lastNonEmpty(cells)+1)
			return hr, nil
		}
		hr.next, hr.nextRowNo = cells, row
		return hr, nil
	}
}

// shortRows judges a CSV file's rows with fewer fields than its header
// of width fields.
type shortRows struct {
	width int
	seen  bool // a short row came before: the writer leaves out empty fields at rows' ends
}

// judge warns of a short row, or refuses the file when the row is its last
// without a line end and so was cut short, and rows may have followed: no
// row before was short (the writer writes whole rows), or the row ends in
// an empty field (a writer that leaves out empty fields leaves that out
// too). A short last row of a writer that leaves out empty fields may be
// cut short as well, or not: it is warned about as such.
func (s *shortRows) judge(res *fileResult, row int, cells []string, last bool) error {
	switch {
	case last && (!s.seen || strings.TrimSpace(cells[len(cells)-1]) == ""):
		return problemf("最后一行（第%d行）只有%d列，表头有%d列，且没有以换行结束：文件多半在导出或复制时被截断；请重新导出", row, len(cells), s.width)
	case last:
		res.warn(report.WarnMaybeCut, fmt.Sprintf("最后一行（第%d行）只有%d列，表头有%d列，且没有以换行结束：文件可能被截断，请核对最后一行和导出的行数", row, len(cells), s.width))
	default:
		example := "" // only the first is kept: a writer that omits trailing fields makes every row short
		if !s.seen {
			example = fmt.Sprintf("第%d行只有%d列，表头有%d列", row, len(cells), s.width)
		}
		s.seen = true
		res.warn(report.WarnShortRow, example)
	}
	return nil
}

// fieldsInOrder is a source whose rows are fields in order, not cells at
// their columns (CSV): a row with a field past its header's last has had
// its fields shifted, by a comma in a value that was not quoted; a row
// with fewer fields than its header was written short, or cut short.
type fieldsInOrder interface {
	// unterminated reports whether the row just read ends the file
	// without a line end.
	unterminated() bool
}

// lastNonEmpty is the position of the row's last non-empty cell, -1 for
// none.
func lastNonEmpty(cells []string) int {
	for i := len(cells) - 1; i >= 0; i-- {
		if trimSpace(cells[i]) != "" {
			return i
		}
	}
	return -1
}

// columnFilter is a source that can leave out the text of the columns the
// parser does not read.
type columnFilter interface {
	// KeepColumns names the cell positions read from the next row on.
	KeepColumns(pos []int)
}

// isSummary reports a 合计 or 总计 row by its first non-empty cell. Fold
// cannot make either character, so a cell without one is not folded.
func isSummary(first string) bool {
	// Contains finds each character's bytes at memory speed; ContainsAny
	// with characters past ASCII decodes every rune of the cell.
	if !strings.Contains(first, "合") && !strings.Contains(first, "总") {
		return false
	}
	f := report.Fold(first)
	rest, ok := strings.CutPrefix(f, "合计")
	if !ok {
		rest, ok = strings.CutPrefix(f, "总计")
	}
	// 合计, 合计：12件, 总计(3): the word alone; 总计划执行情况 is text.
	next, _ := utf8.DecodeRuneInString(rest)
	return ok && !unicode.Is(unicode.Han, next)
}

func isEmptyRow(cells []string) bool {
	_, empty := firstNonEmpty(cells)
	return empty
}

func firstNonEmpty(cells []string) (string, bool) {
	for _, c := range cells {
		if trimSpace(c) != "" {
			return c, false
		}
	}
	return "", true
}

// problem is a file-level error already worded for the clerk.
type problem struct {
	msg      string
	noHeader bool // none of the top rows holds every required column
}

func (p *problem) Error() string { return p.msg }

func problemf(format string, args ...any) error { return &problem{msg: fmt.Sprintf(format, args...)} }

// isNoHeader reports whether err says a sheet has no header of the dataset.
func isNoHeader(err error) bool {
	var p *problem
	return errors.As(err, &p) && p.noHeader
}

// readFailure words an error met while opening or streaming a file.
func readFailure(err error) string {
	var p *problem
	var x *xlsx.Error
	switch {
	case errors.As(err, &p):
		return p.msg
	case errors.As(err, &x):
		return x.Error()
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return "读取被取消"
	}
	return "读取中断：" + err.Error()
}
