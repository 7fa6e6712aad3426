package chart

import (
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// PNG draws c for print at DPI, in the TrueType font given (the
// document's body font). A character of the chart that the font lacks is
// an error, never a box.
func PNG(c report.Chart, font []byte) ([]byte, error) {
	p, err := paint(c, font, charts.ChartOutputPNG)
	if err != nil {
		return nil, err
	}
	img, err := p.Bytes()
	if err != nil {
		return nil, fail(c, err)
	}
	return img, nil
}

// Lay lays c out in the font given, as PNG draws it.
func Lay(c report.Chart, font []byte) (*Figure, error) {
	if err := check(c); err != nil {
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
	w, h := Pixels(c)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputPNG, Width: w, Height: h, Font: face})
	return layout(c, measureWith(p)), nil
}

func measureWith(p *charts.Painter) measurer {
	return func(s string, px float64) (int, int) {
		b := p.MeasureText(s, 0, charts.FontStyle{FontSize: fontSize(px), FontColor: ink})
		return b.Width(), b.Height()
	}
}

// paint lays c out and draws it on a new go-analyze painter.
func paint(c report.Chart, font []byte, format string) (*charts.Painter, error) {
	f, err := Lay(c, font)
	if err != nil {
		return nil, err
	}
	family, _ := install(font) // installed by Lay
	face := charts.GetFont(family)
	p := charts.NewPainter(charts.PainterOptions{OutputFormat: format, Width: f.Width, Height: f.Height, Font: face})
	p.FilledRect(0, 0, f.Width, f.Height, charts.ColorWhite, charts.ColorWhite, 0)
	for _, l := range f.Lines {
		if l.Role == RoleTick || l.Role == RoleAxis {
			drawLine(p, l)
		}
	}
	for _, r := range f.Rects {
		drawRect(p, r.Box, r.Fill)
	}
	for _, w := range f.Wedges {
		drawWedge(p, w)
	}
	for _, l := range f.Lines {
		if l.Role != RoleTick && l.Role != RoleAxis {
			drawLine(p, l)
		}
	}
	for _, pt := range f.Points {
		drawPoint(p, pt)
	}
	for _, t := range f.Texts {
		style := charts.FontStyle{Font: face, FontSize: fontSize(t.Px), FontColor: ink}
		if t.White {
			style.FontColor = charts.ColorWhite
		}
		if t.Backdrop {
			pad := pixels(backdropPx)
			p.FilledRect(t.Box.Left-pad, t.Box.Top, t.Box.Right+pad, t.Box.Bottom, charts.ColorWhite, charts.ColorWhite, 0)
		}
		// the baseline of CJK type stands 0.88 em below its top
		p.Text(t.Text, t.Box.Left, t.Box.Top+int(math.Round(0.86*float64(t.Box.Height()))), 0, style)
	}
	return p, nil
}

// fontSize converts a size in CSS pixels to go-analyze's, which are points
// at 96 dpi, so that the text prints at that size at DPI.
func fontSize(px float64) float64 { return px * scale * 72 / 96 }

func drawLine(p *charts.Painter, l Line) {
	if l.Dashed {
		p.DashedLineStroke(l.Points, l.Colour, l.Width, []float64{3 * l.Width, 2 * l.Width})
		return
	}
	p.LineStroke(l.Points, l.Colour, l.Width)
}

// drawRect fills a box, hatches it if its fill says so, and outlines it.
func drawRect(p *charts.Painter, b charts.Box, fl Fill) {
	p.FilledRect(b.Left, b.Top, b.Right, b.Bottom, fl.Colour, fl.Colour, 0)
	if fl.Hatch {
		for _, seg := range hatch(b, pixels(4)) {
			p.LineStroke(seg[:], ink, float64(pixels(0.8)))
		}
	}
	p.LineStroke([]charts.Point{{X: b.Left, Y: b.Top}, {X: b.Right, Y: b.Top}, {X: b.Right, Y: b.Bottom},
		{X: b.Left, Y: b.Bottom}, {X: b.Left, Y: b.Top}}, ink, float64(pixels(0.6)))
}

// hatch is the diagonal lines, rising to the right every spacing pixels,
// that cross box b.
func hatch(b charts.Box, spacing int) [][2]charts.Point {
	var out [][2]charts.Point
	// the lines x + y = d
	for d := b.Left + b.Top + spacing; d < b.Right+b.Bottom; d += spacing {
		x0, x1 := max(b.Left, d-b.Bottom), min(b.Right, d-b.Top)
		if x0 < x1 {
			out = append(out, [2]charts.Point{{X: x0, Y: d - x0}, {X: x1, Y: d - x1}})
		}
	}
	return out
}

func drawWedge(p *charts.Painter, w Wedge) {
	path := []charts.Point{w.Centre}
	steps := max(2, int(math.Ceil((w.To-w.From)/(math.Pi/90))))
	for k := 0; k <= steps; k++ {
		a := w.From + (w.To-w.From)*float64(k)/float64(steps)
		path = append(path, charts.Point{X: w.Centre.X + int(math.Round(float64(w.Radius)*math.Sin(a))),
			Y: w.Centre.Y - int(math.Round(float64(w.Radius)*math.Cos(a)))})
	}
	path = append(path, w.Centre)
	p.FillArea(path, w.Fill.Colour)
	p.LineStroke(path, ink, float64(pixels(0.6)))
}

func drawPoint(p *charts.Painter, pt Point) {
	r := pixels(pointPx)
	stroke := float64(pixels(1.2))
	x, y := pt.At.X, pt.At.Y
	switch pt.Shape {
	case HollowCircle:
		p.Circle(float64(r), x, y, charts.ColorWhite, pt.Colour, stroke)
	case Square:
		p.FilledRect(x-r, y-r, x+r, y+r, pt.Colour, pt.Colour, 0)
	case Diamond:
		p.FilledDiamond(x, y, 3*r, 3*r, pt.Colour, pt.Colour, 0)
	case Dot:
		p.Circle(float64(r), x, y, pt.Colour, pt.Colour, 0)
	}
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
	texts := append([]string{c.Title, unitName(c), "0123456789.%（）："}, c.Categories...)
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
