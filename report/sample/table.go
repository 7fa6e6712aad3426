package sample

import (
	"math/rand/v2"
	"path/filepath"
	"strconv"
)

// table writes one export file: title rows, the header, records formatted in
// the month's style, and the summary row.
type table struct {
	ds     *dataset
	dsID   int
	st     fileStyle
	order  []int // output column -> schema column; len(ds.cols)+k is extra k
	sink   sink
	pick   *rand.Rand // per-row choices of spelling; never touches the data
	squads []Squad
	buf    []byte
	rows   int // data rows written

	mergeCol int // output position merged down over equal values, -1 none
	runValue string
	runStart int
}

// Data rows after which a style with blankRows leaves an empty row.
var blankAfter = [...]int{3, 40}

func (g *generator) newTable(dir string, m month, ds int) (*table, error) {
	st := styleFor(m, ds, g.opt.Format)
	d := &datasets[ds]
	path := filepath.Join(dir, st.fileName(ds, m))
	var (
		s   sink
		err error
	)
	switch st.format {
	case xlsx:
		book := xlsxBook{sheet: d.name, title: d.title, exported: m.exportTime()}
		switch st.sheet {
		case sheetFirst:
			book.sheet = "Sheet1"
		case sheetReadme:
			book.readme = "本表由综合指挥监管平台导出，数据见“" + d.name + "”工作表。"
		}
		s, err = newXLSXSink(path, book)
	case csvBOM:
		s, err = newCSVSink(path, utf8BOM)
	case csvGBK:
		s, err = newCSVSink(path, gbk)
	default:
		s, err = newCSVSink(path, utf8Plain)
	}
	if err != nil {
		return nil, err
	}
	t := &table{ds: d, dsID: ds, st: st, sink: s, pick: g.rand(m, ds, streamStyle), squads: g.opt.Squads, mergeCol: -1}
	width := len(d.cols)
	if st.extras {
		width += len(d.extras)
	}
	t.order = make([]int, width)
	for i := range t.order {
		t.order[i] = i
	}
	if st.shuffle {
		g.rand(m, ds, streamColumns).Shuffle(width, func(i, j int) { t.order[i], t.order[j] = t.order[j], t.order[i] })
	}
	if err := t.head(m); err != nil {
		s.abort()
		return nil, err
	}
	return t, nil
}

func (t *table) head(m month) error {
	if t.st.title != titleNone {
		if t.st.title == titleMerged {
			if err := t.sink.merge(t.sink.nextRow(), 1, t.sink.nextRow(), len(t.order)); err != nil {
				return err
			}
		}
		t.sink.text(t.ds.title)
		if err := t.sink.endRow(); err != nil {
			return err
		}
		if t.st.title != titleOnly {
			t.sink.text("导出时间：" + m.exportTime().Format("2006-01-02 15:04:05"))
			if err := t.sink.endRow(); err != nil {
				return err
			}
		}
	}
	for _, c := range t.order {
		if c < len(t.ds.cols) {
			t.sink.text(t.st.headerName(t.ds.cols[c]))
		} else {
			t.sink.text(t.ds.extras[c-len(t.ds.cols)].name)
		}
	}
	return t.sink.endRow()
}

// mergeDown merges the cells of schema column col over runs of equal
// values, as people do in hand-kept ledgers (the value then sits only in
// the run's first cell).
func (t *table) mergeDown(col int) {
	for pos, c := range t.order {
		if c == col {
			t.mergeCol = pos
		}
	}
}

func (t *table) write(rec []field) error {
	if err := t.trackMerge(rec); err != nil {
		return err
	}
	for pos, c := range t.order {
		switch {
		case pos == t.mergeCol && t.sink.nextRow() != t.runStart:
			t.sink.text("")
		case c < len(t.ds.cols):
			t.cell(t.ds.cols[c], rec[c])
		default:
			t.extra(t.ds.extras[c-len(t.ds.cols)])
		}
	}
	if err := t.sink.endRow(); err != nil {
		return err
	}
	t.rows++
	if t.st.blankRows {
		for _, n := range blankAfter {
			if t.rows == n {
				t.sink.skipRow()
			}
		}
	}
	return nil
}

func (t *table) trackMerge(rec []field) error {
	if t.mergeCol < 0 {
		return nil
	}
	v := rec[t.order[t.mergeCol]].s
	if t.runStart > 0 && v == t.runValue {
		return nil
	}
	if err := t.closeRun(); err != nil {
		return err
	}
	t.runValue, t.runStart = v, t.sink.nextRow()
	return nil
}

func (t *table) closeRun() error {
	if t.runStart == 0 || t.sink.nextRow()-1 <= t.runStart {
		return nil
	}
	col := t.mergeCol + 1
	return t.sink.merge(t.runStart, col, t.sink.nextRow()-1, col)
}

func choose[T any](r *rand.Rand, xs []T) T {
	if len(xs) == 1 {
		return xs[0]
	}
	return xs[r.IntN(len(xs))]
}

func (t *table) cell(c column, f field) {
	s := t.sink
	switch c.kind {
	case kText:
		s.text(f.s)
	case kID:
		t.buf = appendPadded(append(t.buf[:0], f.s...), f.n, c.width)
		s.textBytes(t.buf)
	case kDate:
		switch {
		case f.s != "":
			s.text(f.s)
		case f.d == 0:
			s.text("")
		default:
			secs := f.t
			if !t.st.withTime {
				secs = -1
			}
			switch form := choose(t.pick, t.st.dates); form {
			case dateCell:
				s.dateCell(excelSerial(f.d, secs), secs >= 0)
			case dateSerial:
				s.number(excelSerial(f.d, secs))
			default:
				t.buf = appendDate(t.buf[:0], form, f.d, secs)
				s.textBytes(t.buf)
			}
		}
	case kBool:
		switch form := choose(t.pick, t.st.bools); form {
		case boolCell:
			s.boolCell(f.n == 1)
		case boolNumber:
			s.number(float64(f.n))
		default:
			s.text(boolWords[form][f.n])
		}
	case kInt:
		s.number(float64(f.n))
	case kSquad:
		switch {
		case f.s != "":
			s.text(f.s)
		case f.n < 0:
			s.text("")
		default:
			s.text(t.squads[f.n].Forms[choose(t.pick, t.st.squads)])
		}
	}
}

// appendPadded appends n with leading zeros up to width digits.
func appendPadded(b []byte, n, width int) []byte {
	digits := 1
	for v := n; v >= 10; v /= 10 {
		digits++
	}
	for ; digits < width; digits++ {
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// valueAlias returns names[0], or in months that write values under their
// aliases any of names.
func (t *table) valueAlias(names []string) string {
	if !t.st.aliasValues {
		return names[0]
	}
	return choose(t.pick, names)
}

func (t *table) extra(e extra) {
	if e.values == nil {
		t.sink.number(float64(t.rows + 1))
		return
	}
	t.sink.text(choose(t.pick, e.values))
}

// close writes the summary row the month's style asks for and the file.
func (t *table) close() error {
	err := t.closeRun()
	if err == nil && t.st.summary[t.dsID] {
		t.sink.text("合计")
		t.sink.text("共" + strconv.Itoa(t.rows) + "条")
		err = t.sink.endRow()
	}
	if err != nil {
		t.sink.abort()
		return err
	}
	return t.sink.close()
}
