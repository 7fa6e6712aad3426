package pdf

import (
	"fmt"
	"slices"
)

// eps absorbs rounding in sums of heights.
const eps = 1e-6

// paginate distributes items on pages of the 版心's height. An item that
// does not fit begins a new page; a run of keep items moves with the item
// after it, as much of the run as a page holds; a table row that begins a
// page is preceded by its table's 续表 and header row; spaces are dropped
// at the top of a page. A run that begins with a float item (a chart) and
// does not fit is shrunk to fit if it may be, or else waits for the next
// page while the text after it fills the page, and lands where the text
// leaves room for it, at the latest at the next page's head; it never waits
// past a stop item (a 一、 heading) or a page break. The colophon goes to the
// foot of the last page; when it does not fit there, the last lines of
// text go over with it, so that it never stands alone.
func paginate(items, colophon []item) ([][]item, error) {
	p := &pager{}
	var waiting [][]item // floats, for the room the text leaves, or the next page's head
	land := func() error {
		for _, run := range waiting {
			if shrunk, ok := p.shrunk(run); ok {
				run = shrunk
			}
			if err := p.placeRun(run); err != nil {
				return err
			}
		}
		waiting = nil
		return nil
	}
	for i := 0; i < len(items); {
		it := items[i]
		if it.newPage || it.stop {
			if err := land(); err != nil {
				return nil, err
			}
		}
		if it.newPage {
			p.breakPage()
			i++
			continue
		}
		if it.space {
			p.place(it)
			i++
			continue
		}
		j, h := i, 0.0
		for {
			h += items[j].height
			if (!items[j].keep && !items[j].space) || j+1 == len(items) || items[j+1].newPage {
				break
			}
			j++
		}
		// A run taller than a page keeps together what fits on one (a
		// heading with a table's first rows); the rest flows on.
		for h > textHeight+eps && j > i {
			h -= items[j].height
			j--
		}
		run := items[i : j+1]
		if tight, ok := tightened(run, textHeight-p.used); ok && len(p.page) > 0 {
			run = tight
			h = textHeight - p.used
		}
		if len(p.page) > 0 && p.used+h > textHeight+eps {
			if run[0].float {
				if shrunk, ok := p.shrunk(run); ok {
					run = shrunk
				} else {
					waiting = append(waiting, run)
					i = j + 1
					continue
				}
			} else if run[0].header == nil {
				// a table's rows go on under their header; floats
				// land after the table
				if err := land(); err != nil {
					return nil, err
				}
			}
		}
		if err := p.placeRun(run); err != nil {
			return nil, err
		}
		i = j + 1
	}
	if err := land(); err != nil {
		return nil, err
	}
	if len(colophon) > 0 {
		p.colophon(colophon)
	}
	p.breakPage()
	if len(p.pages) == 0 {
		p.pages = [][]item{nil}
	}
	return p.pages, nil
}

type pager struct {
	pages [][]item
	page  []item
	used  float64
}

func (p *pager) add(it item) {
	p.page = append(p.page, it)
	p.used += it.height
}

// breakPage ends the current page; it never makes a blank one.
func (p *pager) breakPage() {
	if n := len(p.page); n > 0 && p.page[n-1].footRow != nil {
		p.page[n-1].row = p.page[n-1].footRow
	}
	if len(p.page) > 0 {
		p.pages = append(p.pages, p.page)
	}
	p.page, p.used = nil, 0
}

// tightened returns run with its spaces (the line between a report's text
// and its signature) closed up by as much as it lacks to fit room, when
// that is half of them at most.
func tightened(run []item, room float64) ([]item, bool) {
	h, spaces := 0.0, 0.0
	for _, it := range run {
		h += it.height
		if it.space {
			spaces += it.height
		}
	}
	need := h - room
	if need <= eps || need > spaces/2 {
		return nil, false
	}
	out := slices.Clone(run)
	for k, it := range out {
		if it.space {
			it.height *= (spaces - need) / spaces
			it.row = spaceRow(it.height)
			it.band.Height = it.height
			out[k] = it
		}
	}
	return out, true
}

// shrunk returns run with its first item shrunk to fit the room left on
// the page, if it may be shrunk that far.
func (p *pager) shrunk(run []item) ([]item, bool) {
	f := run[0]
	rest := 0.0
	for _, it := range run[1:] {
		rest += it.height
	}
	room := textHeight - p.used - rest
	if f.resize == nil || len(p.page) == 0 || room >= f.height || room < f.minHeight-eps {
		return nil, false
	}
	f.height, f.row = room, f.resize(room)
	f.band.Height = room
	return append([]item{f}, run[1:]...), true
}

// placeRun places a run of items, on a new page if it does not fit.
func (p *pager) placeRun(run []item) error {
	h := 0.0
	for _, it := range run {
		h += it.height
	}
	if len(p.page) > 0 && p.used+h > textHeight+eps {
		p.breakPage()
	}
	for _, it := range run {
		if err := p.place(it); err != nil {
			return err
		}
	}
	return nil
}

func (p *pager) place(it item) error {
	if it.space {
		if len(p.page) > 0 && p.used+it.height <= textHeight+eps {
			p.add(it)
		}
		return nil
	}
	if len(p.page) > 0 && p.used+it.height > textHeight+eps {
		p.breakPage()
	}
	if len(p.page) == 0 {
		for _, h := range it.header {
			p.add(h)
		}
	}
	if p.used+it.height > textHeight+eps {
		return fmt.Errorf("%s does not fit on a page: %.0f mm high (with any repeated header row), a page holds %.0f mm",
			it.what, p.used+it.height, textHeight)
	}
	p.add(it)
	return nil
}

// colophon sets the 版记 at the foot of the page, half a line below the
// text at least. Where that leaves no room, the page's last two lines or
// rows (with what keeps with them) go over with it.
func (p *pager) colophon(colophon []item) {
	h := 0.0
	for _, c := range colophon {
		h += c.height
	}
	if p.used+linePitch/2+h > textHeight+eps {
		var carried []item
		for lines := 0; len(p.page) > 0; {
			last := p.page[len(p.page)-1]
			p.page = p.page[:len(p.page)-1]
			p.used -= last.height
			if last.space {
				continue
			}
			carried = append([]item{last}, carried...)
			lines++
			// stop where what stays does not keep with what goes
			if n := len(p.page); lines >= 2 && (n == 0 || !p.page[n-1].keep) {
				break
			}
		}
		p.breakPage()
		for _, it := range carried {
			if len(p.page) == 0 {
				for _, hd := range it.header {
					p.add(hd)
				}
			}
			p.add(it)
		}
	}
	if fill := textHeight - p.used - h; fill > minRow {
		p.add(item{height: fill, row: spaceRow(fill), space: true, band: Band{Kind: BandSpace, Height: fill}})
	}
	for _, c := range colophon {
		p.add(c)
	}
}
