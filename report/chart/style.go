package chart

import (
	"fmt"
	"math"
	"strconv"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// Sizes in CSS pixels of the chart at its printed size (1 px = 1/96 inch,
// so 13 px prints at 9.75 pt and 16 px at 12 pt); scale turns them into
// image pixels.
const (
	titlePx     = 16
	textPx      = 13 // axis labels, legend, value labels
	minLabelPx  = 10 // value labels shrink to this (7.5 pt) on crowded bars
	padPx       = 8  // around the chart
	gapPx       = 6  // between a label and what it labels
	pointPx     = 3  // a line's points' radius
	lineWidthPx = 2  // a line's, the target's
	backdropPx  = 3  // a label's white box beyond its text, left and right
)

// DPI is the resolution of the PNG at the chart's printed size; the
// bulletin asks for at least 200.
const DPI = 220

const scale = DPI / 96.0

// pixels converts CSS pixels to image pixels.
func pixels(px float64) int { return int(math.Round(px * scale)) }

// Pixels is the size of c's PNG: its printed size at DPI, rounded up.
func Pixels(c report.Chart) (width, height int) {
	return int(math.Ceil(c.WidthMM / 25.4 * DPI)), int(math.Ceil(c.HeightMM / 25.4 * DPI))
}

// Fill is how an area is painted: a tone, and for a pattern, diagonal
// hatching over it. Every fill is outlined in ink, so a white one shows.
type Fill struct {
	Colour charts.Color
	Hatch  bool
}

// fills tell a chart's series (or a pie's slices) apart on a
// black-and-white printer by lightness and pattern: a dark tone, a light
// one, white hatched in ink, a middle tone, then white. Neighbours differ in
// lightness by at least a third, or by the hatching.
var fills = []Fill{
	{Colour: charts.ParseColor("#22334a")},              // lightness 0.19
	{Colour: charts.ParseColor("#b8c3d0")},              // 0.76
	{Colour: charts.ColorWhite, Hatch: true},            // white, hatched
	{Colour: charts.ParseColor("#6d7f94")},              // 0.49
	{Colour: charts.ColorWhite},                         // 1.0
	{Colour: charts.ParseColor("#dfe5ec"), Hatch: true}, // light, hatched
}

func fill(series int) Fill { return fills[series%len(fills)] }

// dark reports whether text on f must be white to be read.
func (f Fill) dark() bool { return !f.Hatch && lightness(f.Colour) < 0.5 }

// lightness is a colour's relative luminance, 0 (black) to 1 (white).
func lightness(c charts.Color) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// lineStyles tell the lines of a line chart apart on paper: a dark tone
// each (a light one vanishes on white) and a point shape each.
var lineStyles = []struct {
	Colour charts.Color
	Shape  Shape
}{
	{charts.ParseColor("#1f3b5c"), HollowCircle},
	{charts.ColorBlack, Square},
	{charts.ParseColor("#5a4632"), Diamond},
	{charts.ParseColor("#4d5f73"), Dot},
}

// Shape is a line point's form.
type Shape int

const (
	HollowCircle Shape = iota
	Square
	Diamond
	Dot
)

var (
	ink          = charts.ColorBlack
	gridColour   = charts.ParseColor("#d0d0d0")
	targetColour = charts.ParseColor("#c00000") // red on screen, dark grey in print, dashed
)

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
	case report.LineChart:
		if c.Horizontal {
			return fail(c, fmt.Errorf("only bars lie horizontal, not a %s chart", c.Kind))
		}
	case report.PieChart:
		switch {
		case c.Horizontal:
			return fail(c, fmt.Errorf("only bars lie horizontal, not a %s chart", c.Kind))
		case len(c.Series) != 1:
			return fail(c, fmt.Errorf("a pie has one series, got %d", len(c.Series)))
		case len(c.Categories) < 3:
			// 19 against 1 is a sentence, not a picture
			return fail(c, fmt.Errorf("a pie of %d slices: say it in a sentence or draw bars", len(c.Categories)))
		case c.Target != nil:
			return fail(c, fmt.Errorf("a pie has no target line"))
		}
	default:
		return fail(c, fmt.Errorf("unknown kind %q", c.Kind))
	}
	if c.Target != nil {
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

// shown is a value as the chart prints it on its axis: a share in percent
// as the documents print it (report.Rate), a count as it is.
func shown(c report.Chart, v float64) float64 {
	if c.Percent {
		return report.Rate{Share: v}.Shown()
	}
	return v
}

// scaled is a value in the axis's unit, unrounded: where a point is drawn,
// so that 0.98% against a target of 1% lies under the target's line, as
// its label says.
func scaled(c report.Chart, v float64) float64 {
	if c.Percent {
		return v * 100
	}
	return v
}

// label prints the i-th value of a series as the tables do: 12.3%, 37, and
// a rate near its target on the target's side (0.98%, not 1%).
func label(c report.Chart, series, i int) string {
	if c.Percent {
		return c.Rate(series, i).String()
	}
	return strconv.FormatFloat(c.Series[series].Values[i], 'f', -1, 64)
}

// tick prints a value axis label in shown units: 20%, 2.5%, 12.
func tick(c report.Chart, shownValue float64) string {
	s := strconv.FormatFloat(shownValue, 'f', -1, 64)
	if c.Percent {
		s += "%"
	}
	return s
}

// targetName is the target's legend entry, with its value: 目标值 90%.
func targetName(c report.Chart) string {
	name := c.TargetName
	if name == "" {
		name = "目标值"
	}
	return name + " " + tick(c, shown(c, *c.Target))
}

// unitName names the unit of a count axis as Chinese charts do: 单位：件. A
// share axis has none: its ticks say %.
func unitName(c report.Chart) string {
	if c.Percent {
		return ""
	}
	return "单位：" + c.Unit
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
	return math.Ceil(m/step-1e-9) * step, step
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

// belowTarget reports whether v falls short of the chart's target.
func belowTarget(c report.Chart, v float64) bool {
	return c.Target != nil && v < *c.Target-1e-9
}
