package chart

import (
	"cmp"
	"slices"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

// placedLabel is a value label and the box it is drawn in, in image pixels.
// A clear label covers no line nor text, so it may stand on a white box
// over the grid; one that is not (a shortfall with no such place) must not,
// or the box would blank out what it covers.
type placedLabel struct {
	series, point int
	text          string
	box           charts.Box
	clear         bool
}

// placeLabels places the value labels of a line chart's points (points
// holds every line's, c's series first, then the target's) in area, the
// plot and the room above it: above, below, right or left of its point,
// or diagonally off it, the top line's labels trying above first and the
// others below; only where it overlaps no other label, no point, none of
// obstacles (the axis' ticks, the legend), covers no line, and has no
// line between it and its point. A value under the target is what a
// reader looks for, so those are placed first, and always: failing such a
// place, where the least of that is broken (first the target between,
// then a line covered, then anything but the area). A label that meets
// its target is left out when no place is clear (the workbook has every
// value).
func placeLabels(c report.Chart, points [][]charts.Point, area charts.Box, obstacles []charts.Box, measure func(string) (w, h int)) []placedLabel {
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
	lineReach := pixels(lineWidthPx)/2 + 1 // a line's ink either side of its centre
	taken := slices.Clone(obstacles)
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
		aboveRight, aboveLeft := at(pt.X+r, pt.Y-r-gap-h), at(pt.X-r-w, pt.Y-r-gap-h)
		belowRight, belowLeft := at(pt.X+r, pt.Y+r+gap), at(pt.X-r-w, pt.Y+r+gap)
		order := []charts.Box{below, right, above, left, belowRight, belowLeft, aboveRight, aboveLeft}
		if topmost(c, t.series, t.point) {
			order = []charts.Box{above, right, below, left, aboveRight, aboveLeft, belowRight, belowLeft}
		}
		free := func(b charts.Box) bool {
			return inside(b, area) && !slices.ContainsFunc(taken, func(o charts.Box) bool { return overlap(b, o) })
		}
		// Nor is another line to pass between a label and its point: the
		// label would be read as that line's. Nor the target, which would
		// put the value on the wrong side of it, unless a shortfall has no
		// other place.
		beside := func(b charts.Box, lines [][]charts.Point) bool {
			mid := charts.Point{X: (b.Left + b.Right) / 2, Y: (b.Top + b.Bottom) / 2}
			for k, line := range lines {
				for j := 1; k != t.series && j < len(line); j++ {
					if segmentsCross(pt, mid, line[j-1], line[j]) {
						return false
					}
				}
			}
			return true
		}
		covers := func(b charts.Box) bool { return crossesLine(grow(b, lineReach), points) }
		clear := func(b charts.Box) bool { return free(b) && !covers(b) && beside(b, points) }
		k := slices.IndexFunc(order, clear)
		if k < 0 && t.below { // never left out
			series := points[:len(c.Series)]
			for _, fits := range []func(charts.Box) bool{
				func(b charts.Box) bool { return free(b) && !covers(b) && beside(b, series) },
				func(b charts.Box) bool { return free(b) && beside(b, series) },
				free,
				func(b charts.Box) bool { return inside(b, area) },
			} {
				if k = slices.IndexFunc(order, fits); k >= 0 {
					break
				}
			}
			k = max(k, 0)
		}
		if k < 0 {
			continue
		}
		b := order[k]
		taken = append(taken, b)
		out = append(out, placedLabel{series: t.series, point: t.point, text: text, box: b, clear: free(b) && !covers(b)})
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

// segmentsCross reports whether the segments p1–p2 and q1–q2 cross each
// other properly: a line that only touches one's end (another line's
// point drawn on this one's) does not part a label from its point.
func segmentsCross(p1, p2, q1, q2 charts.Point) bool {
	side := func(a, b, c charts.Point) int { // the sign of the turn a→b→c
		return cmp.Compare((b.X-a.X)*(c.Y-a.Y)-(b.Y-a.Y)*(c.X-a.X), 0)
	}
	return side(q1, q2, p1)*side(q1, q2, p2) < 0 && side(p1, p2, q1)*side(p1, p2, q2) < 0
}

// grow is b with d more pixels on every side.
func grow(b charts.Box, d int) charts.Box {
	return charts.Box{Left: b.Left - d, Top: b.Top - d, Right: b.Right + d, Bottom: b.Bottom + d, IsSet: b.IsSet}
}

func inside(b, area charts.Box) bool {
	return b.Left >= area.Left && b.Right <= area.Right && b.Top >= area.Top && b.Bottom <= area.Bottom
}

func overlap(a, b charts.Box) bool {
	return a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom
}
