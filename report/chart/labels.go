package chart

import (
	"cmp"
	"slices"

	"github.com/go-analyze/charts"

	"bulletin/report"
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
		text := label(c, t.series, t.point)
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
