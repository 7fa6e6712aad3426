package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"bulletin/report"
)

// Sizes in CSS pixels of the chart at its printed size (1 px = 1/96 inch,
// so 13 px prints at 9.75 pt and 16 px at 12 pt). PNG scales every pixel
// quantity by DPI/96.
const (
	titlePx    = 16
	textPx     = 13 // axis labels, legend, value labels
	minLabelPx = 10 // value labels shrink to this (7.5 pt) on crowded bars
	// plotMarginPx is what the value axis, its labels and the paddings take
	// from the chart's width: an estimate for fitting the category labels.
	plotMarginPx = 80
)

// palette holds the series fills: tones of one blue-grey, dark and light
// in turn, so that neighbouring series differ in lightness by at least a
// quarter and stay apart on a black-and-white printer. A label inside a
// dark (even) fill prints white.
var palette = []string{"#1f3b5c", "#9fb0c4", "#55759a", "#dfe5ec", "#0a0a0a", "#7a8a9c"}

// lines holds what tells the lines of a line chart apart on paper: a
// dark tone each (a light one vanishes on white), and a point shape each,
// named as ECharts names it (png.go draws the same shapes).
var lines = []struct{ colour, symbol string }{
	{"#1f3b5c", "emptyCircle"}, // navy, hollow circle
	{"#000000", "rect"},        // black, square
	{"#5a4632", "diamond"},     // dark brown, diamond
	{"#4d5f73", "circle"},      // slate, dot
}

func lineStyle(series int) (colour, symbol string) {
	l := lines[series%len(lines)]
	return l.colour, l.symbol
}

// targetColour draws the target line: red on screen, dark grey on paper,
// and always named in the legend with its value.
const targetColour = "#c00000"

const black = "#000000"

// Options builds the go-echarts chart for c and returns its ECharts option
// JSON. Shares (c.Percent) are carried in percent rounded to 0.1, so that
// the JSON reads like the printed labels.
func Options(c report.Chart) ([]byte, error) {
	if err := check(c); err != nil {
		return nil, err
	}
	var chart interface {
		Validate()
		JSON() map[string]any
	}
	switch c.Kind {
	case report.PieChart:
		chart = pie(c)
	case report.LineChart:
		chart = line(c)
	default:
		chart = bar(c)
	}
	// Validate moves the categories into the axes; without it the JSON has
	// no axis data.
	chart.Validate()
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(chart.JSON()); err != nil {
		return nil, fail(c, err)
	}
	return bytes.TrimSpace(out.Bytes()), nil
}

func bar(c report.Chart) *charts.Bar {
	b := charts.NewBar()
	category, value := axes(c)
	if c.Horizontal {
		// first category on top, as in the tables
		b.SetGlobalOptions(
			charts.WithXAxisOpts(opts.XAxis{Type: value.Type, Name: value.Name, Min: value.Min, Max: value.Max,
				SplitNumber: value.SplitNumber, MinInterval: value.MinInterval, MaxInterval: value.MaxInterval,
				AxisLabel: value.AxisLabel, SplitLine: value.SplitLine}),
			charts.WithYAxisOpts(opts.YAxis{Type: category.Type, Inverse: opts.Bool(true), AxisLabel: category.AxisLabel}))
		b.XYReversal()
	} else {
		b.SetGlobalOptions(charts.WithXAxisOpts(category), charts.WithYAxisOpts(value))
	}
	b.SetGlobalOptions(title(c), legend(c), charts.WithColorsOpts(palette))
	b.SetXAxis(c.Categories)
	position := "top"
	if c.Horizontal {
		position = "right"
	}
	var stack string
	if c.Kind == report.StackedBarChart {
		stack, position = "total", "inside"
	}
	for i, s := range c.Series {
		data := make([]opts.BarData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.BarData{Value: shown(c, v)}
		}
		options := []charts.SeriesOpts{
			charts.WithBarChartOpts(opts.BarChart{Stack: stack}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour(i)}),
			charts.WithLabelOpts(valueLabel(c, position, i)),
		}
		if i == 0 && c.Target != nil && c.Horizontal {
			options = append(options, targetMark(c)...)
		}
		b.AddSeries(s.Name, data, options...)
	}
	if c.Target != nil && !c.Horizontal {
		b.Overlap(targetLine(c))
	}
	return b
}

// targetMark is the target across horizontal bars, as ECharts draws it: a
// markLine at the value. go-analyze cannot draw it (see targetLine), so PNG
// draws it itself.
func targetMark(c report.Chart) []charts.SeriesOpts {
	return []charts.SeriesOpts{
		charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: targetName(c), XAxis: shown(c, *c.Target)}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			LineStyle: &opts.LineStyle{Color: targetColour, Width: 2, Type: "dashed"},
			Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", FontSize: textPx, Color: black},
		}),
	}
}

func line(c report.Chart) *charts.Line {
	l := charts.NewLine()
	category, value := axes(c)
	l.SetGlobalOptions(title(c), legend(c),
		charts.WithXAxisOpts(category), charts.WithYAxisOpts(value))
	l.SetXAxis(c.Categories)
	for i, s := range c.Series {
		data := make([]opts.LineData, len(s.Values))
		for j, v := range s.Values {
			data[j] = opts.LineData{Value: shown(c, v)}
		}
		colour, symbol := lineStyle(i)
		l.AddSeries(s.Name, data,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour}),
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2}),
			charts.WithLineChartOpts(opts.LineChart{Symbol: symbol, SymbolSize: 2 * pointPx}),
			charts.WithLabelOpts(valueLabel(c, "top", i)))
	}
	if c.Target != nil {
		l.Overlap(targetLine(c))
	}
	return l
}

// targetLine is the target over vertical bars and lines as a flat line
// series: go-analyze ignores a markLine at a fixed value (it knows only
// min, max, average and median), and draws one with no type as the
// average.
func targetLine(c report.Chart) *charts.Line {
	t := charts.NewLine()
	data := make([]opts.LineData, len(c.Categories))
	for i := range data {
		data[i] = opts.LineData{Value: shown(c, *c.Target)}
	}
	t.AddSeries(targetName(c), data,
		charts.WithItemStyleOpts(opts.ItemStyle{Color: targetColour}),
		charts.WithLineStyleOpts(opts.LineStyle{Width: 2, Type: "dashed"}),
		charts.WithLineChartOpts(opts.LineChart{Symbol: "none"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}))
	return t
}

func pie(c report.Chart) *charts.Pie {
	p := charts.NewPie()
	p.SetGlobalOptions(title(c),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}), // every slice is labelled with its name
		charts.WithColorsOpts(palette))
	s := c.Series[0]
	data := make([]opts.PieData, len(s.Values))
	for i, v := range s.Values {
		data[i] = opts.PieData{Name: c.Categories[i], Value: shown(c, v), ItemStyle: &opts.ItemStyle{Color: colour(i)}}
	}
	p.AddSeries(s.Name, data,
		charts.WithPieChartOpts(opts.PieChart{Radius: "60%"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b} " + labelFormatter(c) + " ({d}%)", FontSize: textPx, Color: black}))
	return p
}

// check rejects a chart that cannot be drawn honestly and says why.
func check(c report.Chart) error {
	switch {
	case c.Title == "":
		return fail(c, fmt.Errorf("no title"))
	case c.Unit == "":
		return fail(c, fmt.Errorf("no unit"))
	case len(c.Categories) == 0:
		return fail(c, fmt.Errorf("no categories"))
	case len(c.Series) == 0:
		return fail(c, fmt.Errorf("no series"))
	case c.WidthMM <= 0 || c.HeightMM <= 0:
		return fail(c, fmt.Errorf("printed size %g × %g mm is not positive", c.WidthMM, c.HeightMM))
	}
	switch c.Kind {
	case report.BarChart, report.StackedBarChart:
	case report.LineChart, report.PieChart:
		if c.Horizontal {
			return fail(c, fmt.Errorf("only bars lie horizontal, not a %s chart", c.Kind))
		}
		if c.Kind == report.PieChart && len(c.Series) != 1 {
			return fail(c, fmt.Errorf("a pie has one series, got %d", len(c.Series)))
		}
	default:
		return fail(c, fmt.Errorf("unknown kind %q", c.Kind))
	}
	if c.Target != nil {
		// go-analyze draws a target as a line series, and it mixes a line
		// neither with a stack nor with a pie; PNG draws a target across
		// horizontal bars itself.
		if c.Kind == report.PieChart || c.Kind == report.StackedBarChart && !c.Horizontal {
			return fail(c, fmt.Errorf("a target line needs bars side by side, horizontal bars or lines, not a %s chart", c.Kind))
		}
		if err := checkNumber(*c.Target); err != nil {
			return fail(c, fmt.Errorf("target: %w", err))
		}
	}
	total := 0.0
	for _, s := range c.Series {
		if len(s.Values) != len(c.Categories) {
			return fail(c, fmt.Errorf("series %q has %d values for %d categories", s.Name, len(s.Values), len(c.Categories)))
		}
		for i, v := range s.Values {
			if err := checkNumber(v); err != nil {
				return fail(c, fmt.Errorf("series %q, %s: %w", s.Name, c.Categories[i], err))
			}
			if v < 0 {
				return fail(c, fmt.Errorf("series %q, %s: negative value %g: the charts start at 0", s.Name, c.Categories[i], v))
			}
			total += v
		}
	}
	if c.Kind == report.PieChart && total == 0 {
		return fail(c, fmt.Errorf("a pie of nothing: every value is 0"))
	}
	return nil
}

func checkNumber(v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("value %g is not a number", v)
	}
	return nil
}

func fail(c report.Chart, err error) error {
	return &report.Error{Kind: report.KindRender, Op: "chart", Where: c.ID + " 《" + c.Title + "》", Err: err}
}

// shown is a value as the chart carries it: a share in percent rounded to
// 0.1, a count as it is.
func shown(c report.Chart, v float64) float64 {
	if c.Percent {
		return math.Round(v*1000) / 10
	}
	return v
}

// label prints a shown value as the tables do: 12.3%, 37.
func label(c report.Chart, shown float64) string {
	if c.Percent {
		return strconv.FormatFloat(shown, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(shown, 'f', -1, 64)
}

// tick prints a value axis label: 20%, 2.5%, 12.
func tick(c report.Chart, shown float64) string {
	s := strconv.FormatFloat(shown, 'f', -1, 64)
	if c.Percent {
		s += "%"
	}
	return s
}

// targetName is the target series' legend entry, with its value: 目标值 90%.
func targetName(c report.Chart) string {
	name := c.TargetName
	if name == "" {
		name = "目标值"
	}
	return name + " " + tick(c, shown(c, *c.Target))
}

// unitName names the unit as Chinese charts do: 单位：件.
func unitName(c report.Chart) string {
	return "单位：" + c.Unit
}

// labelFormatter is the ECharts template of a value label. go-analyze
// understands {b}, {c} and {d} but prints up to two decimals; PNG replaces
// it with the exact printed form of label.
func labelFormatter(c report.Chart) string {
	if c.Percent {
		return "{c}%"
	}
	return "{c}"
}

func valueLabel(c report.Chart, position string, series int) opts.Label {
	l := opts.Label{Show: opts.Bool(true), Position: position, Formatter: labelFormatter(c), FontSize: float32(labelPx(c)), Color: black}
	if position == "inside" && series%len(palette)%2 == 0 {
		l.Color = "#ffffff"
	}
	return l
}

func colour(series int) string { return palette[series%len(palette)] }

// title carries the unit in a pie's subtitle: a pie has no axis to name it.
func title(c report.Chart) charts.GlobalOpts {
	t := opts.Title{Title: c.Title, Left: "center", TitleStyle: &opts.TextStyle{FontSize: titlePx, Color: black}}
	if c.Kind == report.PieChart {
		t.Subtitle = unitName(c)
		t.SubtitleStyle = &opts.TextStyle{FontSize: textPx, Color: black}
	}
	return charts.WithTitleOpts(t)
}

// legend names every series, and the target line with its value.
func legend(c report.Chart) charts.GlobalOpts {
	var names []string
	for _, s := range c.Series {
		names = append(names, s.Name)
	}
	if c.Target != nil && !c.Horizontal { // a markLine is named on the line
		names = append(names, targetName(c))
	}
	return charts.WithLegendOpts(opts.Legend{
		Show:      opts.Bool(true),
		Data:      names,
		Left:      "center",
		Top:       "top", // below the title: go-analyze moves it, PNG places it
		TextStyle: &opts.TextStyle{FontSize: textPx, Color: black},
	})
}

// axes returns the category and the value axis as for vertical bars. The
// value axis starts at zero, carries the unit in its name and steps in
// round numbers.
func axes(c report.Chart) (opts.XAxis, opts.YAxis) {
	category := opts.XAxis{
		Type:      "category",
		AxisLabel: &opts.AxisLabel{FontSize: textPx, Color: black, Rotate: rotation(c)},
	}
	top, step := valueScale(c)
	value := opts.YAxis{
		Type:        "value",
		Name:        unitName(c),
		Min:         0,
		Max:         top,
		SplitNumber: int(math.Round(top / step)),
		MinInterval: step,
		MaxInterval: step,
		AxisLabel:   &opts.AxisLabel{FontSize: textPx, Color: black},
		SplitLine:   &opts.SplitLine{Show: opts.Bool(true)},
	}
	if c.Percent {
		value.AxisLabel.Formatter = "{value}%"
	}
	return category, value
}

// valueScale is the value axis' top and step, in shown units: round steps
// of 1, 2, 2.5 or 5 times a power of ten (whole steps for counts), about
// five or six of them; a share axis whose values pass 50% runs to 100%.
func valueScale(c report.Chart) (top, step float64) {
	m := shown(c, maxValue(c))
	if c.Percent && m > 50 && m <= 100 {
		return 100, 20
	}
	if m == 0 {
		if c.Percent {
			return 100, 20
		}
		return 5, 1
	}
	raw := m / 6
	power := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		step = f * power
		if step >= raw && (c.Percent || f != 2.5) {
			break
		}
	}
	if !c.Percent {
		step = math.Max(1, step)
	}
	return math.Ceil(m/step) * step, step
}

// maxValue is the largest value drawn: the highest bar, stack or point,
// or the target.
func maxValue(c report.Chart) float64 {
	m := 0.0
	if c.Target != nil {
		m = *c.Target
	}
	for i := range c.Categories {
		stack := 0.0
		for _, s := range c.Series {
			m = math.Max(m, s.Values[i])
			stack += s.Values[i]
		}
		if c.Kind == report.StackedBarChart {
			m = math.Max(m, stack)
		}
	}
	return m
}

// plotWidth estimates the width in CSS pixels left to the categories of
// a vertical chart.
func plotWidth(c report.Chart) float64 { return c.WidthMM/25.4*96 - plotMarginPx }

// plotHeight estimates the height in CSS pixels left to the values of a
// vertical chart: less the title, the legend and the category labels.
func plotHeight(c report.Chart) float64 {
	return c.HeightMM/25.4*96 - 1.6*titlePx - 2*textPx - labelPx(c) - 16
}

// rotation turns the category labels of vertical bars and lines by 45°
// when the widest one does not fit its slot, and by 90° when even slanted
// labels would touch: Chinese names like 石门二路中队 are wide.
func rotation(c report.Chart) float64 {
	if c.Horizontal || c.Kind == report.PieChart {
		return 0
	}
	slot := plotWidth(c) / float64(len(c.Categories))
	widest := widestCategory(c)
	switch {
	case widest <= 0.9*slot:
		return 0
	case slot*math.Sin(math.Pi/4) >= 1.3*textPx:
		return 45
	default:
		return 90
	}
}

// labelPx is the value labels' size: textPx, or smaller down to minLabelPx
// when the widest label is wider than its bar's slot.
func labelPx(c report.Chart) float64 {
	if c.Horizontal || c.Kind == report.PieChart {
		return textPx
	}
	bars := len(c.Categories)
	if c.Kind == report.BarChart {
		bars *= len(c.Series)
	}
	slot := plotWidth(c) / float64(bars)
	widest := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			widest = math.Max(widest, textWidth(label(c, shown(c, v)), textPx))
		}
	}
	if widest <= 0.95*slot {
		return textPx
	}
	return math.Max(minLabelPx, math.Floor(textPx*0.95*slot/widest))
}

// widestCategory is the width in CSS pixels of the widest category label.
func widestCategory(c report.Chart) float64 {
	w := 0.0
	for _, name := range c.Categories {
		w = math.Max(w, textWidth(name, textPx))
	}
	return w
}

// textWidth estimates a text's width in CSS pixels at size px: a Chinese
// character is one em, a Latin letter or digit about half.
func textWidth(s string, px float64) float64 {
	w := 0.0
	for _, r := range s {
		if utf8.RuneLen(r) > 1 {
			w += px
		} else {
			w += 0.55 * px
		}
	}
	return w
}
