package chart

import (
	"math"
	"slices"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// Figure is a chart laid out: every mark it prints and where, in image
// pixels. Lay computes it from the report.Chart alone; draw paints it with
// go-analyze; the tests read it.
type Figure struct {
	Width, Height int
	Plot          charts.Box // the plot's frame; unset for a pie
	Texts         []Text
	Rects         []Rect
	Lines         []Line
	Points        []Point
	Wedges        []Wedge
}

// Role says what a mark is for.
type Role string

const (
	RoleTitle    Role = "title"
	RoleLegend   Role = "legend"   // a legend entry's name, or its swatch or line sample
	RoleUnit     Role = "unit"     // 单位：件
	RoleTick     Role = "tick"     // a value axis label, or a grid line
	RoleAxis     Role = "axis"     // the category axis' line
	RoleCategory Role = "category" // a category's name
	RoleValue    Role = "value"    // a value printed on or by its bar, point or slice
	RoleBar      Role = "bar"      // a bar or a stack's segment
	RoleSeries   Role = "series"   // a line of a line chart
	RoleTarget   Role = "target"   // the target line
	RoleLeader   Role = "leader"   // a pie label's leader line
)

// Text is a text printed in a box; Series and Index name the value it
// prints (-1 when it prints none).
type Text struct {
	Role          Role
	Series, Index int
	Text          string
	Box           charts.Box
	Px            float64 // type size in CSS pixels
	White         bool    // white on a dark fill
	Backdrop      bool    // on a white box, over hatching or grid lines, never over a line of data or the target
}

// Rect is a filled box: a bar, a stack's segment, a legend swatch.
type Rect struct {
	Role          Role
	Series, Index int
	Box           charts.Box
	Fill          Fill
}

// Line is a polyline: an axis, a grid line, a series, the target.
type Line struct {
	Role   Role
	Series int
	Points []charts.Point
	Colour charts.Color
	Width  float64 // image pixels
	Dashed bool
}

// Point is a line chart's point.
type Point struct {
	Series, Index int
	At            charts.Point
	Shape         Shape
	Colour        charts.Color
}

// Wedge is a pie's slice: from and to are angles clockwise from 12 o'clock.
type Wedge struct {
	Index    int
	Centre   charts.Point
	Radius   int
	From, To float64
	Fill     Fill
}

// measurer gives a text's width and height in image pixels at size px.
type measurer func(text string, px float64) (w, h int)

// layout lays c out. c has passed check.
func layout(c report.Chart, m measurer) *Figure {
	w, h := Pixels(c)
	f := &Figure{Width: w, Height: h}
	pad, gap := pixels(padPx), pixels(gapPx)
	area := charts.Box{Left: pad, Top: pad, Right: w - pad, Bottom: h - pad, IsSet: true}
	size := float64(titlePx)
	if tw, _ := m(c.Title, titlePx); tw > area.Width() {
		size = math.Floor(titlePx * float64(area.Width()) / float64(tw))
	}
	tb := f.text(RoleTitle, -1, -1, c.Title, size, m)
	f.place(len(f.Texts)-1, (w-tb.Width())/2, area.Top)
	area.Top += tb.Height() + gap
	if c.Kind == report.PieChart {
		f.pie(c, m, area)
		return f
	}
	area.Top = f.legend(c, m, area) + gap
	if c.Horizontal {
		f.horizontal(c, m, area)
	} else {
		f.vertical(c, m, area)
	}
	return f
}

// text adds a text with its size measured, at the origin; place moves it.
func (f *Figure) text(role Role, series, index int, s string, px float64, m measurer) charts.Box {
	tw, th := m(s, px)
	b := charts.Box{Right: tw, Bottom: th, IsSet: true}
	f.Texts = append(f.Texts, Text{Role: role, Series: series, Index: index, Text: s, Box: b, Px: px})
	return b
}

// place moves text i to have its top left corner at x, y.
func (f *Figure) place(i, x, y int) {
	b := &f.Texts[i].Box
	w, h := b.Width(), b.Height()
	*b = charts.Box{Left: x, Top: y, Right: x + w, Bottom: y + h, IsSet: true}
}

// addText adds a text with its top left corner at x, y and returns its
// index.
func (f *Figure) addText(role Role, series, index int, s string, px float64, m measurer, x, y int) int {
	f.text(role, series, index, s, px, m)
	f.place(len(f.Texts)-1, x, y)
	return len(f.Texts) - 1
}

// legend lays out one entry per series, and one for the target, centred
// in rows under the title, and returns the bottom of the last row. A
// single series without a target needs none: the title names it.
func (f *Figure) legend(c report.Chart, m measurer, area charts.Box) int {
	type entry struct {
		name   string
		series int // -1 for the target
	}
	var entries []entry
	if len(c.Series) > 1 || c.Target != nil {
		for i, s := range c.Series {
			entries = append(entries, entry{s.Name, i})
		}
	}
	if c.Target != nil {
		entries = append(entries, entry{targetName(c), -1})
	}
	if len(entries) == 0 {
		return area.Top
	}
	sample, between, spacing := pixels(22), pixels(4), pixels(16)
	_, th := m("中", textPx)
	widths := make([]int, len(entries))
	for i, e := range entries {
		tw, _ := m(e.name, textPx)
		widths[i] = sample + between + tw
	}
	top := area.Top
	for first := 0; first < len(entries); {
		last, width := first, widths[first]
		for last+1 < len(entries) && width+spacing+widths[last+1] <= area.Width() {
			last++
			width += spacing + widths[last]
		}
		x := area.Left + (area.Width()-width)/2
		mid := top + th/2
		for i := first; i <= last; i++ {
			e := entries[i]
			switch {
			case e.series < 0:
				f.Lines = append(f.Lines, Line{Role: RoleLegend, Series: -1, Colour: targetColour, Width: float64(pixels(lineWidthPx)), Dashed: true,
					Points: []charts.Point{{X: x, Y: mid}, {X: x + sample, Y: mid}}})
			case c.Kind == report.LineChart:
				style := lineStyles[e.series%len(lineStyles)]
				f.Lines = append(f.Lines, Line{Role: RoleLegend, Series: e.series, Colour: style.Colour, Width: float64(pixels(lineWidthPx)),
					Points: []charts.Point{{X: x, Y: mid}, {X: x + sample, Y: mid}}})
				f.Points = append(f.Points, Point{Series: e.series, Index: -1, At: charts.Point{X: x + sample/2, Y: mid}, Shape: style.Shape, Colour: style.Colour})
			default:
				s := pixels(textPx * 0.8)
				f.Rects = append(f.Rects, Rect{Role: RoleLegend, Series: e.series, Index: -1, Fill: fill(e.series),
					Box: charts.Box{Left: x + (sample-2*s)/2, Top: mid - s/2, Right: x + (sample+2*s)/2, Bottom: mid + s/2, IsSet: true}})
			}
			f.addText(RoleLegend, e.series, -1, e.name, textPx, m, x+sample+between, top)
			x += widths[i] + spacing
		}
		top += th + pixels(4)
		first = last + 1
	}
	return top
}

// valueAxis is the value axis' scale: its top in shown units and its ticks.
type valueAxis struct {
	top   float64
	ticks []float64
}

func newValueAxis(c report.Chart) valueAxis {
	top, step := valueScale(c)
	a := valueAxis{top: top}
	for k := 0; float64(k)*step <= top+step/1e6; k++ {
		a.ticks = append(a.ticks, float64(k)*step)
	}
	return a
}

// at is where value v (unshown) falls, as a share of the axis' length.
func (a valueAxis) at(c report.Chart, v float64) float64 { return scaled(c, v) / a.top }

// labelPx is the value labels' size: textPx, smaller down to minLabelPx
// when the widest does not fit the room each has.
func labelPx(c report.Chart, m measurer, room int) float64 {
	widest := 0
	for s, series := range c.Series {
		for i := range series.Values {
			w, _ := m(label(c, s, i), textPx)
			widest = max(widest, w)
		}
	}
	if widest <= room {
		return textPx
	}
	return math.Max(minLabelPx, math.Floor(textPx*float64(room)/float64(widest)))
}

// vertical lays out bars standing on, or lines over, categories along the
// bottom, the value axis at the left.
func (f *Figure) vertical(c report.Chart, m measurer, area charts.Box) {
	gap := pixels(gapPx)
	axis := newValueAxis(c)
	_, lh := m("0", textPx)
	tickWidth := 0
	for _, v := range axis.ticks {
		tw, _ := m(tick(c, v), textPx)
		tickWidth = max(tickWidth, tw)
	}
	if u := unitName(c); u != "" {
		f.addText(RoleUnit, -1, -1, u, textPx, m, area.Left, area.Top)
	}
	n := len(c.Categories)
	plot := charts.Box{Left: area.Left + tickWidth + gap, Right: area.Right - pixels(12), IsSet: true}
	slot := float64(plot.Width()) / float64(n)
	// a category name too wide for its slot is set in as few lines as fit
	split := func(name string, lines int) []string {
		r := []rune(name)
		per := (len(r) + lines - 1) / lines
		var parts []string
		for len(r) > 0 {
			k := min(per, len(r))
			parts, r = append(parts, string(r[:k])), r[k:]
		}
		return parts
	}
	lines := 1
	for _, name := range c.Categories {
		for lines < 4 && widest(split(name, lines), m) > int(0.9*slot) {
			lines++
		}
	}
	// the unit above the axis, the tick at the axis' top centred on it,
	// and room for the labels of the highest bars
	plot.Top = area.Top + 2*lh + gap
	plot.Bottom = area.Bottom - lines*lh - gap
	f.Plot = plot
	y := func(v float64) int { return plot.Bottom - int(math.Round(axis.at(c, v)*float64(plot.Height()))) }
	for _, v := range axis.ticks {
		at := plot.Bottom - int(math.Round(v/axis.top*float64(plot.Height())))
		if v > 0 {
			f.Lines = append(f.Lines, Line{Role: RoleTick, Series: -1, Colour: gridColour, Width: float64(pixels(0.8)),
				Points: []charts.Point{{X: plot.Left, Y: at}, {X: plot.Right, Y: at}}})
		}
		i := len(f.Texts)
		b := f.text(RoleTick, -1, -1, tick(c, v), textPx, m)
		f.place(i, plot.Left-gap-b.Width(), at-b.Height()/2)
	}
	f.Lines = append(f.Lines, Line{Role: RoleAxis, Series: -1, Colour: ink, Width: float64(pixels(1)),
		Points: []charts.Point{{X: plot.Left, Y: plot.Bottom}, {X: plot.Right, Y: plot.Bottom}}})
	centre := func(i int) int { return plot.Left + int(math.Round((float64(i)+0.5)*slot)) }
	for i, name := range c.Categories {
		parts := []string{name}
		for k := 2; k <= lines && widest(parts, m) > int(0.9*slot); k++ {
			parts = split(name, k)
		}
		for k, p := range parts {
			b := f.text(RoleCategory, -1, i, p, textPx, m)
			f.place(len(f.Texts)-1, centre(i)-b.Width()/2, plot.Bottom+gap+k*lh)
		}
	}
	var target *Line
	if c.Target != nil {
		at := y(*c.Target)
		target = &Line{Role: RoleTarget, Series: -1, Colour: targetColour, Width: float64(pixels(lineWidthPx)), Dashed: true,
			Points: []charts.Point{{X: plot.Left, Y: at}, {X: plot.Right, Y: at}}}
	}
	switch c.Kind {
	case report.LineChart:
		f.lineSeries(c, m, plot, area, centre, y, target)
	default:
		bars := len(c.Series)
		width := 0.7 * slot
		if c.Kind == report.StackedBarChart {
			bars, width = 1, 0.5*slot
		}
		bw := width / float64(bars)
		px := labelPx(c, m, int(bw))
		for i := range c.Categories {
			base := plot.Bottom
			for s, series := range c.Series {
				v := series.Values[i]
				left := int(math.Round(float64(centre(i)) - width/2 + float64(s)*bw))
				if c.Kind == report.StackedBarChart {
					left = int(math.Round(float64(centre(i)) - width/2))
				}
				right := left + int(math.Round(bw))
				bar := charts.Box{Left: left, Right: right, Bottom: base, Top: base - (plot.Bottom - y(v)), IsSet: true}
				if v > 0 {
					f.Rects = append(f.Rects, Rect{Role: RoleBar, Series: s, Index: i, Box: bar, Fill: fill(s)})
				}
				if c.Kind == report.StackedBarChart {
					base = bar.Top
					f.insideLabel(c, m, s, i, bar, px)
					continue
				}
				b := f.text(RoleValue, s, i, label(c, s, i), px, m)
				f.place(len(f.Texts)-1, (left+right-b.Width())/2, bar.Top-pixels(3)-b.Height())
			}
		}
	}
	if target != nil {
		f.Lines = append(f.Lines, *target)
	}
}

// insideLabel prints a stack segment's value inside it when it fits; a
// segment too small for its number is left to the table.
func (f *Figure) insideLabel(c report.Chart, m measurer, series, index int, seg charts.Box, px float64) {
	v := c.Series[series].Values[index]
	if v == 0 {
		return
	}
	tw, th := m(label(c, series, index), px)
	if tw+pixels(4) > seg.Width() || th > seg.Height() {
		return
	}
	i := f.addText(RoleValue, series, index, label(c, series, index), px, m, (seg.Left+seg.Right-tw)/2, (seg.Top+seg.Bottom-th)/2)
	fl := fill(series)
	f.Texts[i].White, f.Texts[i].Backdrop = fl.dark(), fl.Hatch
}

// lineSeries lays out the lines of a line chart, their points and their
// value labels (placed by placeLabels).
func (f *Figure) lineSeries(c report.Chart, m measurer, plot, area charts.Box, centre func(int) int, y func(float64) int, target *Line) {
	points := make([][]charts.Point, len(c.Series))
	for s, series := range c.Series {
		style := lineStyles[s%len(lineStyles)]
		for i, v := range series.Values {
			points[s] = append(points[s], charts.Point{X: centre(i), Y: y(v)})
			f.Points = append(f.Points, Point{Series: s, Index: i, At: points[s][i], Shape: style.Shape, Colour: style.Colour})
		}
		f.Lines = append(f.Lines, Line{Role: RoleSeries, Series: s, Points: points[s], Colour: style.Colour, Width: float64(pixels(lineWidthPx))})
	}
	avoid := points
	if target != nil {
		avoid = append(slices.Clone(points), target.Points)
	}
	// Ticks, legend and category names laid out so far are not to be covered.
	obstacles := make([]charts.Box, len(f.Texts))
	for i, t := range f.Texts {
		obstacles[i] = t.Box
	}
	room := charts.Box{Left: area.Left, Right: area.Right, Top: plot.Top - pixels(textPx+gapPx), Bottom: plot.Bottom, IsSet: true}
	pad := pixels(backdropPx)
	measure := func(s string) (int, int) { w, h := m(s, textPx); return w + 2*pad, h } // the white box, not the text alone
	for _, l := range placeLabels(c, avoid, room, obstacles, measure) {
		i := f.addText(RoleValue, l.series, l.point, l.text, textPx, m, l.box.Left+pad, l.box.Top)
		f.Texts[i].Backdrop = l.clear
	}
}

// horizontal lays out bars lying along the value axis at the bottom, the
// categories down the left, the first on top as in the tables.
func (f *Figure) horizontal(c report.Chart, m measurer, area charts.Box) {
	gap := pixels(gapPx)
	axis := newValueAxis(c)
	_, lh := m("0", textPx)
	catWidth := 0
	for _, name := range c.Categories {
		w, _ := m(name, textPx)
		catWidth = max(catWidth, w)
	}
	right := pixels(12)
	if c.Kind != report.StackedBarChart {
		for s, series := range c.Series {
			for i := range series.Values {
				w, _ := m(label(c, s, i), textPx)
				right = max(right, w+2*gap)
			}
		}
	}
	bottom := lh + gap
	if unitName(c) != "" {
		bottom += lh + gap/2
	}
	plot := charts.Box{Left: area.Left + catWidth + gap, Right: area.Right - right, Top: area.Top, Bottom: area.Bottom - bottom, IsSet: true}
	f.Plot = plot
	x := func(v float64) int { return plot.Left + int(math.Round(axis.at(c, v)*float64(plot.Width()))) }
	lastTick := charts.Box{}
	for _, v := range axis.ticks {
		at := plot.Left + int(math.Round(v/axis.top*float64(plot.Width())))
		if v > 0 {
			f.Lines = append(f.Lines, Line{Role: RoleTick, Series: -1, Colour: gridColour, Width: float64(pixels(0.8)),
				Points: []charts.Point{{X: at, Y: plot.Top}, {X: at, Y: plot.Bottom}}})
		}
		b := f.text(RoleTick, -1, -1, tick(c, v), textPx, m)
		f.place(len(f.Texts)-1, at-b.Width()/2, plot.Bottom+gap)
		lastTick = f.Texts[len(f.Texts)-1].Box
	}
	if u := unitName(c); u != "" {
		w, _ := m(u, textPx)
		f.addText(RoleUnit, -1, -1, u, textPx, m, min(area.Right, lastTick.Right)-w, lastTick.Bottom+gap/2)
	}
	f.Lines = append(f.Lines, Line{Role: RoleAxis, Series: -1, Colour: ink, Width: float64(pixels(1)),
		Points: []charts.Point{{X: plot.Left, Y: plot.Top}, {X: plot.Left, Y: plot.Bottom}}})
	n := len(c.Categories)
	slot := float64(plot.Height()) / float64(n)
	centre := func(i int) int { return plot.Top + int(math.Round((float64(i)+0.5)*slot)) }
	for i, name := range c.Categories {
		b := f.text(RoleCategory, -1, i, name, textPx, m)
		f.place(len(f.Texts)-1, plot.Left-gap-b.Width(), centre(i)-b.Height()/2)
	}
	bars := len(c.Series)
	thick := math.Min(0.85, 0.5+0.15*float64(bars)) * slot
	if c.Kind == report.StackedBarChart {
		bars, thick = 1, 0.6*slot
	}
	bh := thick / float64(bars)
	px := float64(textPx)
	if _, th := m("0", textPx); float64(th) > bh {
		px = math.Max(minLabelPx, math.Floor(textPx*bh/float64(th)))
	}
	for i := range c.Categories {
		base := plot.Left
		for s, series := range c.Series {
			v := series.Values[i]
			top := int(math.Round(float64(centre(i)) - thick/2 + float64(s)*bh))
			if c.Kind == report.StackedBarChart {
				top = int(math.Round(float64(centre(i)) - thick/2))
			}
			bar := charts.Box{Left: base, Right: base + x(v) - plot.Left, Top: top, Bottom: top + int(math.Round(bh)), IsSet: true}
			if v > 0 {
				f.Rects = append(f.Rects, Rect{Role: RoleBar, Series: s, Index: i, Box: bar, Fill: fill(s)})
			}
			if c.Kind == report.StackedBarChart {
				base = bar.Right
				f.insideLabel(c, m, s, i, bar, px)
				continue
			}
			b := f.text(RoleValue, s, i, label(c, s, i), px, m)
			f.place(len(f.Texts)-1, bar.Right+pixels(3), (bar.Top+bar.Bottom-b.Height())/2)
		}
	}
	if c.Target != nil {
		at := x(*c.Target)
		f.Lines = append(f.Lines, Line{Role: RoleTarget, Series: -1, Colour: targetColour, Width: float64(pixels(lineWidthPx)), Dashed: true,
			Points: []charts.Point{{X: at, Y: plot.Top}, {X: at, Y: plot.Bottom}}})
	}
}

// pie lays out the slices clockwise from 12 o'clock, each labelled
// outside with its name, value and share, on a leader line.
func (f *Figure) pie(c report.Chart, m measurer, area charts.Box) {
	gap := pixels(gapPx)
	values := c.Series[0].Values
	texts := make([]string, len(values))
	widest, lh := 0, 0
	for i := range values {
		texts[i] = c.Categories[i] + " " + label(c, 0, i) + "（" + c.Share(i).String() + "）"
		w, h := m(texts[i], textPx)
		widest, lh = max(widest, w), h
	}
	radius := min(area.Height()/2-lh, (area.Width()-2*widest)/2-3*gap)
	radius = max(radius, pixels(20))
	centre := charts.Point{X: (area.Left + area.Right) / 2, Y: (area.Top + area.Bottom) / 2}
	total := 0.0
	for _, v := range values {
		total += v
	}
	var left, right []int
	angle := 0.0
	mids := make([]float64, len(values))
	for i, v := range values {
		to := angle + 2*math.Pi*v/total
		if v > 0 {
			f.Wedges = append(f.Wedges, Wedge{Index: i, Centre: centre, Radius: radius, From: angle, To: to, Fill: pieFill(i, len(values))})
		}
		mids[i] = (angle + to) / 2
		if math.Sin(mids[i]) >= 0 {
			right = append(right, i)
		} else {
			left = append(left, i)
		}
		angle = to
	}
	at := func(a, r float64) charts.Point {
		return charts.Point{X: centre.X + int(math.Round(r*math.Sin(a))), Y: centre.Y - int(math.Round(r*math.Cos(a)))}
	}
	for _, group := range [][]int{right, left} {
		slices.SortFunc(group, func(a, b int) int { return at(mids[a], 1000).Y - at(mids[b], 1000).Y })
		next := area.Top
		for _, i := range group {
			edge, elbow := at(mids[i], float64(radius)), at(mids[i], float64(radius)+float64(gap)*2)
			top := max(elbow.Y-lh/2, next)
			top = min(top, area.Bottom-lh)
			next = top + lh + pixels(2)
			y := top + lh/2
			w, _ := m(texts[i], textPx)
			end, x := charts.Point{X: elbow.X + gap, Y: y}, elbow.X+gap+pixels(2)
			if math.Sin(mids[i]) < 0 {
				end, x = charts.Point{X: elbow.X - gap, Y: y}, elbow.X-gap-pixels(2)-w
			}
			f.Lines = append(f.Lines, Line{Role: RoleLeader, Series: -1, Colour: ink, Width: float64(pixels(0.8)),
				Points: []charts.Point{edge, {X: elbow.X, Y: y}, end}})
			f.addText(RoleValue, 0, i, texts[i], textPx, m, x, top)
		}
	}
}

// pieFill is slice i's of n: the plain tones of fills in turn, so that
// neighbouring slices stay apart by lightness (the last, next to the
// first, never in the first's tone); each slice is named by its label.
func pieFill(i, n int) Fill {
	var plain []Fill
	for _, fl := range fills {
		if !fl.Hatch {
			plain = append(plain, fl)
		}
	}
	k := i % len(plain)
	if i == n-1 && k == 0 && i > 0 {
		k = 2
	}
	return plain[k]
}

// widest is the width of the widest of texts at textPx.
func widest(texts []string, m measurer) int {
	w := 0
	for _, t := range texts {
		tw, _ := m(t, textPx)
		w = max(w, tw)
	}
	return w
}
