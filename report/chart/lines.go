package chart

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// shapes are go-analyze's point shapes for the ECharts symbols of lines.
// ECharts' "circle" is filled, go-analyze's SymbolCircle hollow.
var shapes = map[string]charts.SymbolShape{
	"emptyCircle": charts.SymbolCircle,
	"circle":      charts.SymbolDot,
	"rect":        charts.SymbolSquare,
	"diamond":     charts.SymbolDiamond,
}

// lineChart draws a line chart through go-analyze's own LineChartOption:
// its ChartOption path gives every line the first series' point shape,
// and puts each value label right of its point whatever is there. Here
// each line has its shape, the target line none, and the value labels
// are placed by placeLabels and drawn on the chart.
func lineChart(opt charts.ChartOption, c report.Chart) (*charts.Painter, error) {
	lo := lineOption(opt, c)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: opt.OutputFormat, Width: opt.Width, Height: opt.Height, Theme: opt.Theme})
	if err := p.LineChart(lo); err != nil {
		return nil, err
	}
	points, plot, err := linePoints(lo, c, opt.Width, opt.Height)
	if err != nil {
		return nil, err
	}
	style := opt.Legend.FontStyle
	style.FontSize = fontSize(labelPx(c))
	style.FontColor = charts.ColorBlack
	measure := func(text string) (int, int) {
		b := p.MeasureText(text, 0, style)
		return b.Width(), b.Height()
	}
	area := charts.Box{Left: 0, Right: opt.Width, Top: plot.Top - pixels(labelPx(c)+6), Bottom: plot.Bottom, IsSet: true}
	for _, l := range placeLabels(c, points, area, measure) {
		pad := pixels(1)
		p.FilledRect(l.box.Left-pad, l.box.Top-pad, l.box.Right+pad, l.box.Bottom+pad, charts.ColorWhite, charts.ColorWhite, 0)
		p.Text(l.text, l.box.Left, l.box.Bottom-pixels(1), 0, style)
	}
	return p, nil
}

// lineOption is the chart's LineChartOption: the series of opt with
// their point shapes and no labels of go-analyze's; the target line,
// the series after c's, with points too small to see, which still give
// it a line in the legend.
func lineOption(opt charts.ChartOption, c report.Chart) charts.LineChartOption {
	series := make(charts.LineSeriesList, len(opt.SeriesList))
	for i, s := range opt.SeriesList {
		symbol := charts.Symbol{Shape: charts.SymbolDot, Size: 0.01}
		if i < len(c.Series) {
			_, name := lineStyle(i)
			symbol = charts.Symbol{Shape: shapes[name], Size: pointPx * scale}
		}
		series[i] = charts.LineSeries{Name: s.Name, Values: s.Values, Symbol: symbol, Label: charts.SeriesLabel{Show: charts.Ptr(false)}}
	}
	return charts.LineChartOption{
		Theme: opt.Theme, Padding: opt.Padding, Title: opt.Title, Legend: opt.Legend,
		XAxis: opt.XAxis, YAxis: opt.YAxis, SeriesList: series,
		Symbol: opt.Symbol, LineStrokeWidth: opt.LineStrokeWidth,
	}
}

// linePoints finds where go-analyze put each point of each line (c's
// series, then the target), and the plot's box: it does not say, so the same chart is drawn as SVG
// with every line, the axis and the grid in colours of their own, and
// read back.
func linePoints(lo charts.LineChartOption, c report.Chart, width, height int) ([][]charts.Point, charts.Box, error) {
	spine, grid := charts.ParseColor("#010203"), charts.ParseColor("#040506")
	colours := make([]charts.Color, len(lo.SeriesList))
	byColour := map[string]int{}
	for i := range colours {
		colours[i] = charts.Color{R: 7, G: 8, B: uint8(10 + i), A: 255}
		byColour[svgColour(colours[i])] = i
	}
	lo.Theme = lo.Theme.WithXAxisColor(spine).WithAxisSplitLineColor(grid).WithSeriesColors(colours)
	lo.XAxis.Theme = nil // the axes follow the chart's theme
	lo.YAxis = slices.Clone(lo.YAxis)
	for i := range lo.YAxis {
		lo.YAxis[i].Theme = nil
	}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height, Theme: lo.Theme})
	if err := p.LineChart(lo); err != nil {
		return nil, charts.Box{}, err
	}
	svg, err := p.Bytes()
	if err != nil {
		return nil, charts.Box{}, err
	}
	points := make([][]charts.Point, len(lo.SeriesList))
	plot := charts.Box{Top: height, IsSet: true}
	for _, m := range svgPath.FindAllSubmatch(svg, -1) {
		var path []charts.Point
		for _, xy := range svgPoint.FindAllSubmatch(m[1], -1) {
			path = append(path, charts.Point{X: atoi(xy[1]), Y: atoi(xy[2])})
		}
		colour := string(m[2])
		switch i, isSeries := byColour[colour]; {
		case isSeries && i < len(points):
			points[i] = path
		case len(path) == 2 && path[0].Y == path[1].Y && colour == svgColour(spine):
			plot.Left, plot.Right, plot.Bottom = min(path[0].X, path[1].X), max(path[0].X, path[1].X), path[0].Y
		case len(path) == 2 && path[0].Y == path[1].Y && colour == svgColour(grid):
			plot.Top = min(plot.Top, path[0].Y)
		}
	}
	for i, s := range c.Series {
		if len(points[i]) != len(s.Values) {
			return nil, charts.Box{}, fmt.Errorf("cannot find the %d points of the line %q to label them (found %d)", len(s.Values), s.Name, len(points[i]))
		}
	}
	if plot.Bottom <= plot.Top {
		return nil, charts.Box{}, fmt.Errorf("cannot find the plot of the line chart to label its points")
	}
	return points, plot, nil
}

// svgPath matches a stroked path of go-analyze's SVG: its points and
// colour; svgPoint one point of it.
var (
	svgPath  = regexp.MustCompile(`<path d="(M \d+ \d+(?:\s+L \d+ \d+)*)" style="stroke-width:[\d.]+;stroke:(rgb\(\d+,\d+,\d+\));fill:none"/>`)
	svgPoint = regexp.MustCompile(`[ML] (\d+) (\d+)`)
)

// placedLabel is a value label and the box it is drawn in, in image pixels.
type placedLabel struct {
	series, point int
	text          string
	box           charts.Box
}

// placeLabels places the value labels of a line chart's points (points
// holds every line's, c's series first) in area, the plot and the room
// above it: above, below, right or left of its point, the top line's
// labels trying above first and the others below; where it overlaps no
// other label, no point and no line, or failing that where it only
// covers a stretch of line. A value under the target is what a reader
// looks for, so those are placed first, and always (at the first place
// inside the area if no place is free); a label that meets its target is
// left out when no place is free (the workbook has every value).
func placeLabels(c report.Chart, points [][]charts.Point, area charts.Box, measure func(string) (w, h int)) []placedLabel {
	type candidate struct {
		series, point int
		below         bool // under the target
	}
	var todo []candidate
	for i, s := range c.Series {
		for j, v := range s.Values {
			todo = append(todo, candidate{i, j, belowTarget(c, v)})
		}
	}
	slices.SortStableFunc(todo, func(a, b candidate) int {
		if a.below != b.below {
			if a.below {
				return -1
			}
			return 1
		}
		return cmp.Compare(c.Series[b.series].Values[b.point], c.Series[a.series].Values[a.point])
	})
	r := pixels(pointPx) + 1 // a point's reach from its centre
	gap := pixels(3)
	var taken []charts.Box
	for _, line := range points[:len(c.Series)] { // the target line has no points to see
		for _, pt := range line {
			taken = append(taken, charts.Box{Left: pt.X - r, Right: pt.X + r, Top: pt.Y - r, Bottom: pt.Y + r})
		}
	}
	var out []placedLabel
	for _, t := range todo {
		pt := points[t.series][t.point]
		text := label(c, shown(c, c.Series[t.series].Values[t.point]))
		w, h := measure(text)
		at := func(left, top int) charts.Box {
			return charts.Box{Left: left, Top: top, Right: left + w, Bottom: top + h}
		}
		above, below := at(pt.X-w/2, pt.Y-r-gap-h), at(pt.X-w/2, pt.Y+r+gap)
		right, left := at(pt.X+r+gap, pt.Y-h/2), at(pt.X-r-gap-w, pt.Y-h/2)
		order := []charts.Box{below, right, above, left}
		if topmost(c, t.series, t.point) {
			order = []charts.Box{above, right, below, left}
		}
		free := func(b charts.Box) bool {
			return inside(b, area) && !slices.ContainsFunc(taken, func(o charts.Box) bool { return overlap(b, o) })
		}
		clear := func(b charts.Box) bool { return free(b) && !crossesLine(b, points) }
		var place *charts.Box
		for _, fits := range []func(charts.Box) bool{clear, free} {
			if k := slices.IndexFunc(order, fits); k >= 0 && place == nil {
				place = &order[k]
			}
		}
		if place == nil && t.below { // never left out: at the first place that is inside
			b := order[0]
			if k := slices.IndexFunc(order, func(b charts.Box) bool { return inside(b, area) }); k >= 0 {
				b = order[k]
			}
			place = &b
		}
		if place == nil {
			continue
		}
		taken = append(taken, *place)
		out = append(out, placedLabel{series: t.series, point: t.point, text: text, box: *place})
	}
	return out
}

// belowTarget reports whether v falls short of the chart's target.
func belowTarget(c report.Chart, v float64) bool {
	return c.Target != nil && v < *c.Target-1e-9
}

// topmost reports whether the series' point is the highest of its category.
func topmost(c report.Chart, series, point int) bool {
	for _, s := range c.Series {
		if s.Values[point] > c.Series[series].Values[point] {
			return false
		}
	}
	return true
}

// crossesLine reports whether box b covers a stretch of any line.
func crossesLine(b charts.Box, lines [][]charts.Point) bool {
	for _, line := range lines {
		for k := 1; k < len(line); k++ {
			if segmentMeets(b, line[k-1], line[k]) {
				return true
			}
		}
	}
	return false
}

// segmentMeets reports whether the segment from p to q meets box b
// (Liang–Barsky clipping).
func segmentMeets(b charts.Box, p, q charts.Point) bool {
	t0, t1 := 0.0, 1.0
	dx, dy := float64(q.X-p.X), float64(q.Y-p.Y)
	for _, edge := range [4][2]float64{
		{-dx, float64(p.X - b.Left)}, {dx, float64(b.Right - p.X)},
		{-dy, float64(p.Y - b.Top)}, {dy, float64(b.Bottom - p.Y)},
	} {
		num, den := edge[1], edge[0]
		switch {
		case den == 0:
			if num < 0 {
				return false
			}
		case den < 0:
			t0 = max(t0, num/den)
		default:
			t1 = min(t1, num/den)
		}
	}
	return t0 <= t1
}

func inside(b, area charts.Box) bool {
	return b.Left >= area.Left && b.Right <= area.Right && b.Top >= area.Top && b.Bottom <= area.Bottom
}

func overlap(a, b charts.Box) bool {
	return a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom
}
