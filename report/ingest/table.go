package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"bulletin/report"
)

// rowSource streams the rows of one sheet or CSV file.
type rowSource interface {
	// next returns the next row with its 1-based number as the user sees it
	// (the Excel row number, the CSV line); ok is false at the end.
	next() (row int, cells []string, ok bool)
	// err is the error that ended the rows early, if any.
	err() error
	// sheet is the sheet read, "" for CSV.
	sheet() string
	// merges lists the merged ranges of the sheet.
	merges() []mergeRange
}

// mergeRange is a merged range, 1-based and inclusive.
type mergeRange struct{ top, left, bottom, right int }

// mergeFiller gives every cell of a merged range the value of its top-left
// cell, which is the only one that holds it in the file: a squad merged over
// three rows belongs to all three. Only ranges below the header are filled,
// and only as far right as the header reaches.
type mergeFiller struct {
	pending []mergeRange // sorted by top row
	active  []activeMerge
	width   int
}

type activeMerge struct {
	mergeRange
	value string
}

func newMergeFiller(ranges []mergeRange, h header) *mergeFiller {
	m := &mergeFiller{}
	for _, p := range h.pos {
		m.width = max(m.width, p+1)
	}
	for _, r := range ranges {
		if r.top > h.row && r.left <= m.width && (r.bottom > r.top || r.right > r.left) {
			r.right = min(r.right, m.width)
			m.pending = append(m.pending, r)
		}
	}
	sort.SliceStable(m.pending, func(i, j int) bool { return m.pending[i].top < m.pending[j].top })
	return m
}

func (m *mergeFiller) fill(row int, cells []string) []string {
	if len(m.pending) == 0 && len(m.active) == 0 {
		return cells
	}
	kept := m.active[:0]
	for _, a := range m.active {
		if a.bottom >= row {
			kept = append(kept, a)
		}
	}
	m.active = kept
	for len(m.pending) > 0 && m.pending[0].top <= row {
		r := m.pending[0]
		m.pending = m.pending[1:]
		value := ""
		if r.top == row && r.left <= len(cells) {
			value = cells[r.left-1]
		}
		if r.bottom >= row {
			m.active = append(m.active, activeMerge{r, value})
		}
	}
	for _, a := range m.active {
		for len(cells) < a.right {
			cells = append(cells, "")
		}
		for c := a.left; c <= a.right; c++ {
			if row != a.top || c != a.left {
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
	s := strings.TrimSpace(c.raw(col))
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
	s := strings.TrimSpace(c.raw(col))
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

// read returns a reason when the file cannot be used at all.
func (t *table) read(ctx context.Context, parserFor func(header) rowParser) (string, error) {
	finder := headerFinder{s: t.schema}
	var h header
	found := false
	for !found && !finder.exhausted() {
		row, cells, ok := t.src.next()
		if !ok {
			break
		}
		if isEmptyRow(cells) {
			continue
		}
		h, found = finder.offer(row, cells)
	}
	if err := t.src.err(); err != nil {
		return readFailure(err), nil
	}
	if !found {
		return finder.failure(), nil
	}
	parse := parserFor(h)
	c := new(rowCtx) // one for every row: the parser keeps none
	merges := t.src.merges()
	filler := newMergeFiller(merges, h)
	if f, ok := t.src.(columnFilter); ok {
		f.keepColumns(h.pos)
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return "", ctx.Err()
		}
		row, cells, ok := t.src.next()
		if !ok {
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
		parse(c)
		if c.failed {
			t.res.reject(row, c.where, c.value, c.reason)
		} else {
			t.res.input.Accepted++
		}
	}
	if err := t.src.err(); err != nil {
		return readFailure(err), nil
	}
	// A streaming source learns the merged ranges after the rows.
	if late := t.src.merges(); len(late) != len(merges) && len(newMergeFiller(late, h).pending) > 0 {
		return "", errLateMerges
	}
	return "", nil
}

// errLateMerges says the rows were read without merged ranges that turned
// out to cover data cells.
var errLateMerges = errors.New("merged cells found after the rows")

// columnFilter is a source that can leave out the text of the columns the
// parser does not read.
type columnFilter interface {
	// keepColumns names the cell positions read from the next row on.
	keepColumns(pos []int)
}

// isSummary reports a 合计 or 总计 row by its first non-empty cell. Fold
// cannot make either character, so a cell without one is not folded.
func isSummary(first string) bool {
	if !strings.ContainsAny(first, "合总") {
		return false
	}
	f := report.Fold(first)
	return strings.HasPrefix(f, "合计") || strings.HasPrefix(f, "总计")
}

func isEmptyRow(cells []string) bool {
	_, empty := firstNonEmpty(cells)
	return empty
}

func firstNonEmpty(cells []string) (string, bool) {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return c, false
		}
	}
	return "", true
}

// problem is a file-level error already worded for the clerk.
type problem struct{ msg string }

func (p *problem) Error() string { return p.msg }

func problemf(format string, args ...any) error { return &problem{fmt.Sprintf(format, args...)} }

// readFailure words an error met while opening or streaming a file.
func readFailure(err error) string {
	var p *problem
	if errors.As(err, &p) {
		return p.msg
	}
	return "读取中断：" + err.Error()
}
