package ingest

import (
	"fmt"
	"slices"
	"strings"

	"bulletin/report"
)

// headerSearchRows is how many non-empty rows at the top of a sheet may be
// titles, export times and notes before the header row.
const headerSearchRows = 20

// schema knows the columns of one dataset and every header spelling that
// names them (the canonical name and config.toml's aliases, folded).
type schema struct {
	dataset  string
	columns  []report.ColumnSpec
	byHeader map[string]int // folded header → index in columns
	exact    map[string]int // folded canonical name → index in columns
}

func newSchema(dataset string, aliases map[string][]string) *schema {
	s := &schema{dataset: dataset, columns: report.Columns[dataset],
		byHeader: make(map[string]int), exact: make(map[string]int)}
	for i, c := range s.columns {
		s.exact[report.Fold(c.Name)] = i
	}
	// Canonical names first, then aliases in contract order, so that a
	// spelling claimed twice (config validation forbids it) still resolves
	// the same way on every run.
	for i, c := range s.columns {
		s.byHeader[report.Fold(c.Name)] = i
	}
	for i, c := range s.columns {
		for _, a := range aliases[c.Name] {
			if _, taken := s.byHeader[report.Fold(a)]; !taken {
				s.byHeader[report.Fold(a)] = i
			}
		}
	}
	return s
}

// header is a matched header row: for each column of the schema, the cell
// position holding it (-1 when absent) and the header text as written;
// and the row of sub-headers under it that named some of them, if any.
type header struct {
	row    int
	subRow int // 0: none
	pos    []int
	text   []string
	subAt  []bool // named in the row of sub-headers; nil when there is none
}

// last is the header's last row.
func (h header) last() int { return max(h.row, h.subRow) }

// withSubHeaders is h with the columns a row of sub-headers under it names
// (抽查情况 over 是否抽查, 抽查日期, 抽查结论), when every non-empty cell of
// the row names a column h lacks: a row of data is never only column
// names. ok is false when the row is not such a row.
func (s *schema) withSubHeaders(h header, row int, cells []string) (_ header, ok bool) {
	sub := s.match(row, cells)
	named := 0
	for i, p := range sub.pos {
		if p >= 0 {
			if h.pos[i] >= 0 {
				return h, false
			}
			named++
		}
	}
	if named == 0 || named != len(nonEmpty(cells)) {
		return h, false
	}
	h.subRow = row
	h.pos, h.text, h.subAt = slices.Clone(h.pos), slices.Clone(h.text), make([]bool, len(h.pos))
	for i, p := range sub.pos {
		if p >= 0 {
			h.pos[i], h.text[i], h.subAt[i] = p, sub.text[i], true
		}
	}
	return h, true
}

// match reads one row as a header. When two cells name the same column, the
// canonical name beats an alias and otherwise the leftmost wins.
func (s *schema) match(row int, cells []string) header {
	h := header{row: row, pos: make([]int, len(s.columns)), text: make([]string, len(s.columns))}
	for i := range h.pos {
		h.pos[i] = -1
	}
	exact := make([]bool, len(s.columns))
	for p, cell := range cells {
		folded := report.Fold(cell)
		col, ok := s.byHeader[folded]
		if !ok {
			continue
		}
		_, isExact := s.exact[folded]
		isExact = isExact && s.exact[folded] == col
		if h.pos[col] >= 0 && (exact[col] || !isExact) {
			continue
		}
		// A copy: the header is kept with the file's result (its squad
		// column, its rejections), the cell is a slice of the file's text.
		h.pos[col], h.text[col], exact[col] = p, strings.Clone(strings.TrimSpace(cell)), isExact
	}
	return h
}

// missing lists the required columns the header lacks.
func (s *schema) missing(h header) []string {
	var names []string
	for i, c := range s.columns {
		if c.Required && h.pos[i] < 0 {
			names = append(names, c.Name)
		}
	}
	return names
}

// absent lists the optional columns the header lacks.
func (s *schema) absent(h header) []string {
	var names []string
	for i, c := range s.columns {
		if !c.Required && h.pos[i] < 0 {
			names = append(names, c.Name)
		}
	}
	return names
}

// subHeaders lists the columns the header's row of sub-headers names, as
// written there.
func (h header) subHeaders() []string {
	var names []string
	for i, sub := range h.subAt { // set only where the column was found
		if sub {
			names = append(names, h.text[i])
		}
	}
	return names
}

// found counts the columns the header has.
func (h header) found() int {
	n := 0
	for _, p := range h.pos {
		if p >= 0 {
			n++
		}
	}
	return n
}

// column is a resolved column of a file: its cell position and its header
// as written there (what a rejection names).
type column struct {
	pos    int
	header string
	name   string
}

func (s *schema) column(h header, name string) column {
	for i, c := range s.columns {
		if c.Name == name {
			return column{pos: h.pos[i], header: h.text[i], name: name}
		}
	}
	panic(fmt.Sprintf("ingest: %s has no column %s", s.dataset, name))
}

// headerFinder looks for the header among the first rows of a sheet and,
// when none qualifies, remembers the best candidate to explain why.
type headerFinder struct {
	s        *schema
	seen     int
	best     header
	bestRaw  []string
	bestMiss int
}

// offer returns the header when the row contains every required column.
func (f *headerFinder) offer(row int, cells []string) (header, bool) {
	f.seen++
	h := f.s.match(row, cells)
	miss := len(f.s.missing(h))
	if miss == 0 {
		return h, true
	}
	if f.bestRaw == nil || miss < f.bestMiss || (miss == f.bestMiss && h.found() > f.best.found()) {
		f.best, f.bestMiss = h, miss
		f.bestRaw = nonEmpty(cells)
	}
	return header{}, false
}

func (f *headerFinder) exhausted() bool { return f.seen >= headerSearchRows }

// failure explains a missing header: which required columns no row has, and
// what the most header-like row held instead.
func (f *headerFinder) failure() string {
	if f.seen == 0 {
		return "表格是空的：没有任何数据"
	}
	missing := f.s.missing(f.best)
	if f.best.found() == 0 {
		return fmt.Sprintf("找不到表头：前%d行中没有一行含有必填列%s（第一行是：%s）",
			headerSearchRows, quoteList(missing), strings.Join(truncateList(f.bestRaw, 12), "、"))
	}
	return fmt.Sprintf("缺少必填列%s（第%d行的表头是：%s）",
		quoteList(missing), f.best.row, strings.Join(truncateList(f.bestRaw, 30), "、"))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "「" + n + "」"
	}
	return strings.Join(q, "")
}

func truncateList(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(append([]string{}, list[:n]...), "…")
}

func nonEmpty(cells []string) []string {
	out := []string{}
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, c)
		}
	}
	return out
}
