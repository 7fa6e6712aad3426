package pdf

import "fmt"

// eps absorbs rounding in sums of heights.
const eps = 1e-6

// paginate distributes items on pages of the 版心's height. An item that
// does not fit begins a new page; a run of keep items moves with the item
// after it, as much of the run as a page holds; a table row that begins a
// page is preceded by its table's header row; spaces are dropped at the top
// of a page. The colophon goes to the foot of the last page, or of a page
// of its own when it does not fit.
func paginate(items, colophon []item) ([][]item, error) {
	p := &pager{}
	for i := 0; i < len(items); {
		it := items[i]
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
		if len(p.page) > 0 && p.used+h > textHeight+eps {
			p.breakPage()
		}
		for k := i; k <= j; k++ {
			if err := p.place(items[k]); err != nil {
				return nil, err
			}
		}
		i = j + 1
	}
	if len(colophon) > 0 {
		h := 0.0
		for _, c := range colophon {
			h += c.height
		}
		if p.used+linePitch/2+h > textHeight+eps {
			p.breakPage()
		}
		if fill := textHeight - p.used - h; fill > minRow {
			p.add(item{height: fill, row: spaceRow(fill), space: true})
		}
		for _, c := range colophon {
			p.add(c)
		}
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
