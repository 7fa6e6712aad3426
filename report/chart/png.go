package chart

import (
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// DPI is the resolution of the PNG at the chart's printed size; the
// bulletin asks for at least 200.
const DPI = 220

// pointPx is the radius of a line's points.
const pointPx = 3

// scale turns CSS pixels (1/96 inch) into image pixels.
const scale = DPI / 96.0

// themeName is the go-analyze theme installed for print: black text, a
// light grid, and the palette of options.go (pie slices take their colours
// from it, as go-analyze ignores a data item's itemStyle).
const themeName = "bulletin-print"

func init() {
	colours := make([]charts.Color, len(palette))
	for i, p := range palette {
		colours[i] = charts.ParseColor(p)
	}
	charts.InstallTheme(themeName, charts.ThemeOption{
		AxisStrokeColor:    charts.ColorBlack,
		AxisSplitLineColor: charts.ParseColor("#d9d9d9"),
		BackgroundColor:    charts.ColorWhite,
		TextColor:          charts.ColorBlack,
		SeriesColors:       colours,
	})
}

// Pixels is the size of c's PNG: its printed size at DPI, rounded up.
func Pixels(c report.Chart) (width, height int) {
	return int(math.Ceil(c.WidthMM / 25.4 * DPI)), int(math.Ceil(c.HeightMM / 25.4 * DPI))
}

// PNG renders c for print: the option JSON of Options, read by go-analyze,
// drawn at DPI in the TrueType font given (the body font of the document).
// A character of the chart that the font lacks is an error, never a box.
func PNG(c report.Chart, font []byte) ([]byte, error) {
	return draw(c, font, charts.ChartOutputPNG)
}

// draw renders c in go-analyze's output format: png, or svg, whose text
// elements let the tests read the layout back.
func draw(c report.Chart, font []byte, format string) ([]byte, error) {
	js, err := Options(c)
	if err != nil {
		return nil, err
	}
	family, err := install(font)
	if err != nil {
		return nil, fail(c, err)
	}
	face := charts.GetFont(family)
	if missing := missingGlyphs(func(r rune) bool { return face.Index(r) != 0 }, c); missing != "" {
		return nil, fail(c, fmt.Errorf("the font lacks the characters %q", missing))
	}
	var eo charts.EChartsOption
	if err := json.Unmarshal(js, &eo); err != nil {
		return nil, fail(c, fmt.Errorf("go-analyze cannot read the option JSON: %w", err))
	}
	eo.Width, eo.Height = Pixels(c)
	eo.FontFamily = family
	eo.Theme = themeName
	opt, err := eo.ToOption()
	if err != nil {
		return nil, fail(c, err)
	}
	forPrint(&opt, c)
	opt.OutputFormat = format
	var p *charts.Painter
	switch {
	case c.Horizontal:
		p, err = horizontalBars(opt, c)
	case c.Kind == report.LineChart:
		p, err = lineChart(opt, c)
	default:
		p, err = charts.Render(opt)
	}
	if err != nil {
		return nil, fail(c, err)
	}
	img, err := p.Bytes()
	if err != nil {
		return nil, fail(c, err)
	}
	return img, nil
}

// fontSize converts a size in CSS pixels to go-analyze's, which are points
// at 96 dpi, so that the text prints at the size the JSON asks for.
func fontSize(px float64) float64 { return px * scale * 72 / 96 }

// pixels converts CSS pixels to image pixels.
func pixels(px float64) int { return int(math.Round(px * scale)) }

// forPrint applies what go-analyze does not take from the JSON, or takes
// otherwise than ECharts: sizes at DPI (it reads no label font size, and
// its fonts are points at 96 dpi), the legend's place below the title with
// room for the labels of the highest bars, the axis steps (it reads
// splitNumber as a label count), the exact label texts and their places,
// and the pie radius (a share of the diameter, not of the radius).
func forPrint(opt *charts.ChartOption, c report.Chart) {
	opt.Padding = charts.NewBox(pixels(8), pixels(8), pixels(rightPadding(c)), pixels(8)) // left, top, right, bottom
	opt.Title.FontStyle.FontSize = fontSize(titlePx)
	opt.Title.SubtextFontStyle.FontSize = fontSize(textPx)
	opt.Legend.FontStyle.FontSize = fontSize(textPx)
	opt.Legend.Offset.Top = strconv.Itoa(pixels(titlePx * 1.6))
	// room above the plot for the labels of the highest bars or points, or
	// for the name of a target across horizontal bars
	if !c.Horizontal || c.Target != nil {
		opt.Legend.Padding = charts.Box{Bottom: pixels(labelPx(c) + 6), IsSet: true}
	}
	if c.Kind != report.LineChart && c.Target == nil {
		opt.Legend.Symbol = charts.SymbolSquare
	}
	opt.XAxis.LabelFontStyle.FontSize = fontSize(textPx)
	opt.XAxis.TitleFontStyle.FontSize = fontSize(textPx)
	opt.XAxis.LabelCount = len(c.Categories) // never skip a category
	if rotation(c) == 45 {
		// go-analyze centres a slanted label's bounding box under its slot,
		// so a long label starts far left of its bar. Padded with ideographic
		// spaces to one length, every label starts under its slot's middle.
		opt.XAxis.Labels = padded(c.Categories)
		opt.XAxis.LabelOffset.Left = pixels((widestCategory(c) - textPx) * math.Sqrt2 / 4)
	}
	top, step := valueScale(c)
	for i := range opt.YAxis {
		y := &opt.YAxis[i]
		y.LabelFontStyle.FontSize = fontSize(textPx)
		y.TitleFontStyle.FontSize = fontSize(textPx)
		y.LabelCount = int(math.Round(top/step)) + 1
		y.ValueFormatter = func(v float64) string { return tick(c, v) }
	}
	opt.LineStrokeWidth = 2 * scale
	// go-analyze gives every line the same points, a target's too: over
	// bars the target is a plain line
	opt.Symbol = charts.Symbol{Shape: charts.SymbolNone}
	if c.Kind == report.LineChart {
		opt.Symbol = charts.Symbol{Shape: charts.SymbolCircle, Size: pointPx * scale}
	}
	opt.Radius = "32%"
	for i := range opt.SeriesList {
		s := &opt.SeriesList[i]
		s.Radius = ""
		s.Label.FontStyle.FontSize = fontSize(labelPx(c))
		s.Label.Distance = pixels(3)
		s.Label.LabelFormatter = labelText(c, i)
		if s.Label.Offset.Top != 0 { // "inside" a stack: below the segment's end
			s.Label.Offset.Top = pixels(3 + labelPx(c))
		}
	}
}

// rightPadding leaves room for the labels right of horizontal bars and
// for the last slanted category label.
func rightPadding(c report.Chart) float64 {
	pad := 20.0
	if c.Horizontal && c.Kind != report.StackedBarChart {
		for i := range c.Series {
			pad = math.Max(pad, widestLabel(c, i)+6)
		}
	}
	if rotation(c) == 45 { // the last label runs right from its slot's middle
		last := c.Categories[len(c.Categories)-1]
		pad = math.Max(pad, (textWidth(last, textPx)+textPx)*math.Sqrt2/2-plotWidth(c)/float64(len(c.Categories))/2)
	}
	return pad
}

// labelText prints values as the tables do (12.3%, 37), leaves the empty
// segments of a stack unlabelled and the target line to the legend. (A
// line chart's labels are placed by placeLabels.)
func labelText(c report.Chart, series int) charts.SeriesLabelFormatter {
	return func(_ int, _ string, v float64) (string, *charts.LabelStyle) {
		switch {
		case c.Kind == report.PieChart:
			return c.Categories[series] + " " + label(c, v) + " " + share(c, series), nil
		case series >= len(c.Series): // the target line
			return "", nil
		case c.Kind == report.StackedBarChart && v == 0:
			return "", nil
		}
		return label(c, v), nil
	}
}

// share is a slice's part of the pie, to 0.1%: (41.4%).
func share(c report.Chart, slice int) string {
	total := 0.0
	for _, v := range c.Series[0].Values {
		total += v
	}
	return "(" + strconv.FormatFloat(math.Round(c.Series[0].Values[slice]/total*1000)/10, 'f', 1, 64) + "%)"
}

// horizontalBars draws horizontal bars through go-analyze's own bar chart:
// its ChartOption path drops the value axis' min and max when bars lie
// down, and ignores an inverted category axis, so the categories are
// turned here to read from the top.
func horizontalBars(opt charts.ChartOption, c report.Chart) (*charts.Painter, error) {
	top, step := valueScale(c)
	category := opt.YAxis[0]
	value := charts.ValueAxisOption{
		Title:          opt.XAxis.Title,
		TitleFontStyle: opt.XAxis.TitleFontStyle,
		LabelFontStyle: opt.XAxis.LabelFontStyle,
		Min:            charts.Ptr(0.0),
		Max:            charts.Ptr(top),
		LabelCount:     int(math.Round(top/step)) + 1,
		ValueFormatter: func(v float64) string { return tick(c, v) },
		SplitLineShow:  charts.Ptr(true),
	}
	series := make(charts.BarSeriesList, len(opt.SeriesList))
	for i, s := range opt.SeriesList {
		s.Label.Offset = charts.OffsetInt{}
		if c.Kind == report.StackedBarChart { // inside the segment, before its end
			s.Label.Offset.Left = -pixels(6 + widestLabel(c, i))
		}
		series[i] = charts.BarSeries{Name: s.Name, Values: reversed(s.Values), Label: s.Label}
	}
	bars := charts.BarChartOption{
		Theme:      opt.Theme,
		Padding:    opt.Padding,
		Horizontal: true,
		Title:      opt.Title,
		Legend:     opt.Legend,
		CategoryAxis: charts.CategoryAxisOption{
			Labels:         reversed(category.Labels),
			LabelFontStyle: category.LabelFontStyle,
		},
		ValueAxis:   []charts.ValueAxisOption{value},
		SeriesList:  series,
		StackSeries: opt.StackSeries,
	}
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: opt.OutputFormat, Width: opt.Width, Height: opt.Height, Theme: opt.Theme})
	if err := p.BarChart(bars); err != nil {
		return nil, err
	}
	if c.Target != nil {
		plot, err := plotBox(bars, opt.Width, opt.Height)
		if err != nil {
			return nil, err
		}
		x := plot.Left + int(math.Round(float64(plot.Width())*shown(c, *c.Target)/top))
		p.DashedLineStroke([]charts.Point{{X: x, Y: plot.Top}, {X: x, Y: plot.Bottom}},
			charts.ParseColor(targetColour), 2*scale, []float64{6 * scale, 4 * scale})
		text := opt.Legend.FontStyle
		text.FontSize = fontSize(labelPx(c))
		name := targetName(c)
		w := p.MeasureText(name, 0, text).Width()
		p.Text(name, min(max(x-w/2, 0), opt.Width-w), plot.Top-pixels(4), 0, text)
	}
	return p, nil
}

// plotBox finds where go-analyze put the plot of horizontal bars: it does
// not say, so the same chart is drawn as SVG, with the axis and grid in
// colours of their own, and the lines read back. The category axis' spine
// stands at 0, the last grid line at the axis' top.
func plotBox(bars charts.BarChartOption, width, height int) (charts.Box, error) {
	spine, grid := charts.ParseColor("#010203"), charts.ParseColor("#040506")
	bars.Theme = bars.Theme.WithYAxisColor(spine).WithAxisSplitLineColor(grid)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: width, Height: height, Theme: bars.Theme})
	if err := p.BarChart(bars); err != nil {
		return charts.Box{}, err
	}
	svg, err := p.Bytes()
	if err != nil {
		return charts.Box{}, err
	}
	box := charts.Box{Left: -1, Right: -1, IsSet: true}
	for _, m := range svgLine.FindAllSubmatch(svg, -1) {
		x0, y0, x1, y1 := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4])
		if x0 != x1 {
			continue
		}
		switch string(m[5]) {
		case svgColour(spine):
			box.Left, box.Top, box.Bottom = x0, min(y0, y1), max(y0, y1)
		case svgColour(grid):
			box.Right = max(box.Right, x0)
		}
	}
	if box.Left < 0 || box.Right <= box.Left {
		return charts.Box{}, fmt.Errorf("cannot find the plot of the horizontal bars to draw the target line on")
	}
	return box, nil
}

// svgLine matches a straight line of go-analyze's SVG: its ends and colour.
var svgLine = regexp.MustCompile(`<path d="M (\d+) (\d+)\s+L (\d+) (\d+)" style="stroke-width:[\d.]+;stroke:(rgb\(\d+,\d+,\d+\));fill:none"/>`)

func svgColour(c charts.Color) string { return fmt.Sprintf("rgb(%d,%d,%d)", c.R, c.G, c.B) }

func atoi(b []byte) int {
	n, _ := strconv.Atoi(string(b)) // the pattern admits digits only
	return n
}

// reversed returns a copy of s back to front.
func reversed[T any](s []T) []T {
	r := slices.Clone(s)
	slices.Reverse(r)
	return r
}

// padded fills labels with ideographic spaces to the widest one's width.
func padded(labels []string) []string {
	widest := 0.0
	for _, l := range labels {
		widest = math.Max(widest, textWidth(l, 1))
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = l + strings.Repeat("\u3000", int(math.Round(widest-textWidth(l, 1))))
	}
	return out
}

// widestLabel is the width in CSS pixels of a series' widest value label.
func widestLabel(c report.Chart, series int) float64 {
	w := 0.0
	for _, v := range c.Series[series].Values {
		w = math.Max(w, textWidth(label(c, shown(c, v)), labelPx(c)))
	}
	return w
}

var (
	fontSeed  = maphash.MakeSeed()
	installed sync.Map // hash of the font bytes → family name
	installMu sync.Mutex
)

// install registers the font with go-analyze once per distinct file and
// returns its family name.
func install(font []byte) (string, error) {
	if len(font) == 0 {
		return "", fmt.Errorf("no font given: the chart needs the body font's TrueType file")
	}
	key := maphash.Bytes(fontSeed, font)
	if family, ok := installed.Load(key); ok {
		return family.(string), nil
	}
	installMu.Lock()
	defer installMu.Unlock()
	if family, ok := installed.Load(key); ok {
		return family.(string), nil
	}
	family := "bulletin-" + strconv.FormatUint(key, 16)
	if err := charts.InstallFont(family, font); err != nil {
		return "", fmt.Errorf("reading the font: %w", err)
	}
	installed.Store(key, family)
	return family, nil
}

// missingGlyphs lists the characters of the chart's texts that the font
// has no glyph for.
func missingGlyphs(has func(rune) bool, c report.Chart) string {
	// digits and signs of the labels, the ideographic space of padded
	texts := append([]string{c.Title, unitName(c), "0123456789.%()\u3000"}, c.Categories...)
	for _, s := range c.Series {
		texts = append(texts, s.Name)
	}
	if c.Target != nil {
		texts = append(texts, targetName(c))
	}
	var missing strings.Builder
	seen := map[rune]bool{}
	for _, t := range texts {
		for _, r := range t {
			if r == ' ' || seen[r] {
				continue
			}
			seen[r] = true
			if !has(r) {
				missing.WriteRune(r)
			}
		}
	}
	return missing.String()
}
