package chart

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-analyze/charts"

	"bulletin/report"
)

var squads = []string{"江宁路中队", "石门二路中队", "南京西路中队", "静安寺中队", "曹家渡中队",
	"天目西路中队", "北站中队", "宝山路中队", "芷江西路中队", "共和新路中队",
	"大宁路中队", "彭浦新村中队", "临汾路中队", "彭浦镇中队", "机动中队"}

var items = []string{"依法行政", "公示制度", "全过程记录", "重大法核", "执法责任制", "执法实效", "队伍建设"}

func ptr(v float64) *float64 { return &v }

// bulletinCharts are the six charts of a month's bulletin, with figures of
// the shapes the metrics produce.
func bulletinCharts() []report.Chart {
	return []report.Chart{
		{
			ID: "quotas", Title: "5月比例类指标完成值与目标值", Unit: "%", Kind: report.BarChart, Percent: true, Horizontal: true,
			Categories: []string{"案卷抽查率", "案卷抽查中队覆盖率", "视音频记录抽查率", "视音频抽查中队覆盖率", "重大法核案件检查覆盖率", "投诉信访件抽查率"},
			Series: []report.Series{
				{Name: "完成值", Values: []float64{0.0513, 0.2667, 0.0312, 0.2, 1, 0.0833}},
				{Name: "目标值", Values: []float64{0.05, 0.2, 0.03, 0.2, 1, 0.1}},
			},
			WidthMM: 156, HeightMM: 90,
		},
		{
			ID: "coverage", Title: "2025年上半年各监督事项中队覆盖进度", Unit: "个", Kind: report.BarChart, Horizontal: true,
			Categories: items,
			Series: []report.Series{
				{Name: "本月覆盖", Values: []float64{3, 4, 2, 1, 3, 0, 2}},
				{Name: "本半年累计覆盖", Values: []float64{10, 15, 7, 4, 12, 0, 9}},
			},
			Target: ptr(15), TargetName: "全部中队",
			WidthMM: 156, HeightMM: 80,
		},
		{
			ID: "quality", Title: "各中队案卷质量", Unit: "件", Kind: report.StackedBarChart, Horizontal: true,
			Categories: squads,
			Series: []report.Series{
				{Name: "合格", Values: []float64{3, 2, 4, 1, 0, 2, 3, 5, 2, 1, 2, 3, 2, 1, 0}},
				{Name: "基本合格", Values: []float64{1, 1, 0, 2, 1, 0, 1, 0, 1, 2, 0, 1, 1, 0, 1}},
				{Name: "不合格", Values: []float64{0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0}},
			},
			WidthMM: 156, HeightMM: 120,
		},
		{
			ID: "problems", Title: "发现问题类型分布", Unit: "件", Kind: report.PieChart,
			Categories: []string{"文书制作不规范", "证据不充分", "程序不合法", "法律适用不当", "公示不及时", "其他"},
			Series:     []report.Series{{Name: "问题数", Values: []float64{12, 7, 4, 3, 2, 1}}},
			WidthMM:    156, HeightMM: 90,
		},
		{
			ID: "rectification", Title: "发现问题整改情况", Unit: "件", Kind: report.StackedBarChart,
			Categories: items,
			Series: []report.Series{
				{Name: "已整改", Values: []float64{8, 5, 3, 1, 4, 2, 0}},
				{Name: "整改中", Values: []float64{2, 1, 2, 0, 1, 0, 1}},
				{Name: "逾期", Values: []float64{1, 0, 0, 0, 0, 1, 0}},
			},
			WidthMM: 156, HeightMM: 90,
		},
		{
			ID: "trend", Title: "主要指标月度趋势", Unit: "%", Kind: report.LineChart, Percent: true,
			Categories: []string{"1月", "2月", "3月", "4月", "5月"},
			Series: []report.Series{
				{Name: "案卷合格率", Values: []float64{0.82, 0.86, 0.9, 0.88, 0.93}},
				{Name: "整改按期完成率", Values: []float64{0.7, 0.75, 0.8, 0.85, 0.81}},
				{Name: "中队覆盖率", Values: []float64{0.2, 0.4, 0.53, 0.67, 0.8}},
			},
			Target: ptr(0.9), TargetName: "合格率目标",
			WidthMM: 156, HeightMM: 90,
		},
	}
}

// moreCharts try what the bulletin's six do not: vertical bars with long
// slanted names, fifteen squads on vertical bars with a target line, and
// shares across horizontal bars.
func moreCharts() []report.Chart {
	quotas := bulletinCharts()[0]
	quotas.ID, quotas.Horizontal = "quotas-vertical", false
	coverage := report.Chart{
		ID: "coverage-share", Title: "上半年各监督事项中队覆盖率", Unit: "%", Kind: report.BarChart, Percent: true, Horizontal: true,
		Categories: items,
		Series:     []report.Series{{Name: "已覆盖中队占比", Values: []float64{10.0 / 15, 1, 7.0 / 15, 4.0 / 15, 12.0 / 15, 0, 9.0 / 15}}},
		Target:     ptr(0.8), TargetName: "目标",
		WidthMM: 156, HeightMM: 80,
	}
	return []report.Chart{quotas, squadTarget(), coverage}
}

// squadTarget has fifteen Chinese categories on vertical bars and a target.
func squadTarget() report.Chart {
	return report.Chart{
		ID: "squad-pass", Title: "各中队案卷合格率", Unit: "%", Kind: report.BarChart, Percent: true,
		Categories: squads,
		Series:     []report.Series{{Name: "合格率", Values: []float64{1, 0.75, 1, 0.667, 0.5, 1, 1, 0.833, 1, 1, 1, 1, 0.75, 1, 1}}},
		Target:     ptr(0.9), TargetName: "目标",
		WidthMM: 156, HeightMM: 90,
	}
}

// bodyFont is a real CJK TrueType font: Debian's AR PL SungtiL GB, or the
// project's copy. Without one the PNG tests are skipped, except in CI.
// bodyFont is the project's copy of AR PL SungtiL GB, a CJK TrueType font.
func bodyFont(tb testing.TB) []byte {
	font, err := os.ReadFile("../../fonts/gbsn00lp.ttf")
	if err != nil {
		tb.Fatal(err)
	}
	return font
}

func repeat(v float64, n int) []float64 {
	r := make([]float64, n)
	for i := range r {
		r[i] = v
	}
	return r
}

func allCharts() []report.Chart {
	return append(bulletinCharts(), append(moreCharts(), sampleRates(), zeroChart())...)
}

func lay(t *testing.T, c report.Chart) *Figure {
	t.Helper()
	f, err := Lay(c, bodyFont(t))
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	return f
}

func TestPNGPrintsAtResolution(t *testing.T) {
	font := bodyFont(t)
	for _, c := range allCharts() {
		t.Run(c.ID, func(t *testing.T) { render(t, c, font) })
	}
}

// render draws c and checks the image: at least 200 dpi at the printed size
// and not blank. Set CHART_PNG_DIR to keep the images for a look.
func render(t *testing.T, c report.Chart, font []byte) image.Image {
	t.Helper()
	b, err := PNG(c, font)
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("CHART_PNG_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, c.ID+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	size := img.Bounds().Size()
	if dpi := float64(size.X) / (c.WidthMM / 25.4); dpi < 200 {
		t.Errorf("%d px across %g mm is %.0f dpi, want at least 200", size.X, c.WidthMM, dpi)
	}
	if dpi := float64(size.Y) / (c.HeightMM / 25.4); dpi < 200 {
		t.Errorf("%d px down %g mm is %.0f dpi, want at least 200", size.Y, c.HeightMM, dpi)
	}
	if sd := lightnessSpread(img); sd < 0.05 {
		t.Errorf("lightness varies by %.3f only: a blank chart", sd)
	}
	return img
}

// lightnessSpread is the standard deviation of the pixels' lightness (0..1).
func lightnessSpread(img image.Image) float64 {
	b := img.Bounds()
	var sum, sumSq float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			l := (0.2126*float64(r) + 0.7152*float64(g) + 0.0722*float64(bl)) / 0xffff
			sum += l
			sumSq += l * l
		}
	}
	n := float64(b.Dx() * b.Dy())
	mean := sum / n
	return math.Sqrt(sumSq/n - mean*mean)
}

// texts counts a figure's texts of a role.
func texts(f *Figure, role Role) map[string]int {
	n := map[string]int{}
	for _, t := range f.Texts {
		if t.Role == role {
			n[t.Text]++
		}
	}
	return n
}

// Every text a reader needs is laid out, inside the image, none over
// another: the title, every category, every series in the legend when
// there are several, the value axis from 0 to its top, and the unit only
// where the ticks do not already say it.
func TestEveryTextIsLaidOut(t *testing.T) {
	for _, c := range allCharts() {
		t.Run(c.ID, func(t *testing.T) {
			f := lay(t, c)
			if texts(f, RoleTitle)[c.Title] != 1 {
				t.Errorf("title %q not laid out", c.Title)
			}
			cats := map[int]bool{}
			for _, tx := range f.Texts {
				if tx.Role == RoleCategory {
					cats[tx.Index] = true
				}
				if tx.Box.Left < 0 || tx.Box.Top < 0 || tx.Box.Right > f.Width || tx.Box.Bottom > f.Height {
					t.Errorf("%s %q outside the image: %+v", tx.Role, tx.Text, tx.Box)
				}
			}
			units := texts(f, RoleUnit)
			if c.Kind == report.PieChart {
				if len(units) != 0 {
					t.Errorf("a pie with a unit label: %v", units)
				}
				return
			}
			if len(cats) != len(c.Categories) {
				t.Errorf("%d of %d categories named", len(cats), len(c.Categories))
			}
			legend := texts(f, RoleLegend)
			if len(c.Series) > 1 {
				for _, s := range c.Series {
					if legend[s.Name] != 1 {
						t.Errorf("series %q not in the legend %v", s.Name, legend)
					}
				}
			}
			if c.Target != nil && legend[targetName(c)] != 1 {
				t.Errorf("target %q not in the legend %v", targetName(c), legend)
			}
			ticks := texts(f, RoleTick)
			top, _ := valueScale(c)
			if ticks[tick(c, 0)] != 1 || ticks[tick(c, top)] != 1 {
				t.Errorf("value axis %v does not run from %s to %s", ticks, tick(c, 0), tick(c, top))
			}
			switch {
			case c.Percent && len(units) > 0:
				t.Errorf("unit %v beside ticks already in %%", units)
			case !c.Percent && units["单位："+c.Unit] != 1:
				t.Errorf("count axis without its unit: %v", units)
			}
			for i, a := range f.Texts {
				for _, b := range f.Texts[:i] {
					if overlap(a.Box, b.Box) {
						t.Errorf("%s %q %+v overlaps %s %q %+v", a.Role, a.Text, a.Box, b.Role, b.Text, b.Box)
					}
				}
			}
		})
	}
}

// Every bar of a bar chart carries its value, every stack segment that
// has room for it, and bars start at 0.
func TestBarsCarryTheirValues(t *testing.T) {
	for _, c := range allCharts() {
		if c.Kind != report.BarChart && c.Kind != report.StackedBarChart {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			f := lay(t, c)
			values := map[[2]int]string{}
			for _, tx := range f.Texts {
				if tx.Role == RoleValue {
					values[[2]int{tx.Series, tx.Index}] = tx.Text
				}
			}
			for s, series := range c.Series {
				for i := range series.Values {
					got, ok := values[[2]int{s, i}]
					if c.Kind == report.BarChart && !ok {
						t.Errorf("%s of %s: no value label", series.Name, c.Categories[i])
					}
					if ok && got != label(c, s, i) {
						t.Errorf("%s of %s: label %q, want %q", series.Name, c.Categories[i], got, label(c, s, i))
					}
				}
			}
			for _, r := range f.Rects {
				if r.Role != RoleBar || r.Series != 0 {
					continue
				}
				if c.Horizontal && r.Box.Left != f.Plot.Left || !c.Horizontal && r.Box.Bottom != f.Plot.Bottom {
					t.Errorf("bar %d of %s does not start at 0: %+v in plot %+v", r.Index, c.ID, r.Box, f.Plot)
				}
			}
		})
	}
}

// The series of a bar chart and the slices of a pie tell apart without
// colour: any two series differ in lightness by a quarter or one is
// hatched and the other not; the lines of a line chart have each its
// point shape, all dark enough to print.
func TestSeriesDifferWithoutColour(t *testing.T) {
	for _, c := range allCharts() {
		t.Run(c.ID, func(t *testing.T) {
			f := lay(t, c)
			bySeries := map[int]Fill{}
			for _, r := range f.Rects {
				bySeries[r.Series] = r.Fill
			}
			for k, w := range f.Wedges { // a pie's slices differ from their neighbours
				next := f.Wedges[(k+1)%len(f.Wedges)]
				if lightness(w.Fill.Colour)-lightness(next.Fill.Colour) < 0.25 && lightness(next.Fill.Colour)-lightness(w.Fill.Colour) < 0.25 {
					t.Errorf("slices %d and %d: fills %+v and %+v too alike", w.Index, next.Index, w.Fill, next.Fill)
				}
			}
			for a, fa := range bySeries {
				for b, fb := range bySeries {
					if a < b && fa.Hatch == fb.Hatch && math.Abs(lightness(fa.Colour)-lightness(fb.Colour)) < 0.25 {
						t.Errorf("series %d and %d: fills %+v and %+v differ by hue only", a, b, fa, fb)
					}
				}
			}
			shapes := map[int]Shape{}
			for _, p := range f.Points {
				if l := lightness(p.Colour); l > 0.45 {
					t.Errorf("line %d drawn in lightness %.2f: too light to print", p.Series, l)
				}
				shapes[p.Series] = p.Shape
			}
			seen := map[Shape]int{}
			for s, shape := range shapes {
				if o, dup := seen[shape]; dup {
					t.Errorf("lines %d and %d share their point shape", o, s)
				}
				seen[shape] = s
			}
		})
	}
}

// The quality chart's three verdicts: 不合格 stands apart from 合格 by
// hatching, not by a neighbouring blue.
func TestFailureIsHatched(t *testing.T) {
	f := lay(t, bulletinCharts()[2])
	for _, r := range f.Rects {
		if r.Role == RoleBar && (r.Series == 2) != r.Fill.Hatch {
			t.Fatalf("series %d hatched %v", r.Series, r.Fill.Hatch)
		}
	}
}

// A target is a dashed line across the plot at its value, named with its
// value in the legend.
func TestTargetLine(t *testing.T) {
	for _, c := range allCharts() {
		if c.Target == nil {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			f := lay(t, c)
			top, _ := valueScale(c)
			share := shown(c, *c.Target) / top
			var found bool
			for _, l := range f.Lines {
				if l.Role != RoleTarget {
					continue
				}
				found = true
				if !l.Dashed {
					t.Error("target line not dashed")
				}
				want := f.Plot.Bottom - int(math.Round(share*float64(f.Plot.Height())))
				got := l.Points[0].Y
				if c.Horizontal {
					want, got = f.Plot.Left+int(math.Round(share*float64(f.Plot.Width()))), l.Points[0].X
				}
				if got != want {
					t.Errorf("target line at %d, want %d", got, want)
				}
			}
			if !found {
				t.Error("no target line")
			}
		})
	}
}

func zeroChart() report.Chart {
	return report.Chart{
		ID: "zero", Title: "本月发现问题数", Unit: "件", Kind: report.BarChart,
		Categories: squads[:5],
		Series:     []report.Series{{Name: "问题数", Values: make([]float64, 5)}},
		WidthMM:    156, HeightMM: 70,
	}
}

func TestZeroSeriesStillDrawsAxisFromZero(t *testing.T) {
	f := lay(t, zeroChart())
	if ticks := texts(f, RoleTick); ticks["0"] != 1 || ticks["5"] != 1 {
		t.Errorf("ticks %v, want 0 to 5", ticks)
	}
	if v := texts(f, RoleValue); v["0"] != 5 {
		t.Errorf("value labels %v, want five 0s", v)
	}
}

func TestMissingGlyphsAreAnError(t *testing.T) {
	latin, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	c := bulletinCharts()[0]
	_, err = PNG(c, latin)
	if err == nil {
		t.Fatal("a Latin-only font drew Chinese labels")
	}
	for _, want := range []string{c.Title, "lacks", "案"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestRejectsWhatCannotBeDrawn(t *testing.T) {
	short := bulletinCharts()[0]
	short.Series[1].Values = short.Series[1].Values[:3]
	noUnit := bulletinCharts()[3]
	noUnit.Unit = ""
	lyingLine := bulletinCharts()[5]
	lyingLine.Horizontal = true
	twoSlices := bulletinCharts()[3]
	twoSlices.Categories = []string{"已整改", "整改中"}
	twoSlices.Series = []report.Series{{Name: "问题数", Values: []float64{19, 1}}}
	for _, tc := range []struct {
		c    report.Chart
		want string
	}{
		{short, `"目标值" has 3 values for 6 categories`},
		{noUnit, "no unit"},
		{lyingLine, "only bars lie horizontal"},
		{twoSlices, "a pie of 2 slices"},
	} {
		_, err := PNG(tc.c, bodyFont(t))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.c.ID) {
			t.Errorf("%s: error %v, want one naming the chart and %q", tc.c.ID, err, tc.want)
		}
		var e *report.Error
		if !errors.As(err, &e) || e.Kind != report.KindRender {
			t.Errorf("%s: error %v is not a render error", tc.c.ID, err)
		}
	}
}

func BenchmarkBulletinCharts(b *testing.B) {
	font := bodyFont(b)
	cs := bulletinCharts()
	for b.Loop() {
		for _, c := range cs {
			if _, err := PNG(c, font); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(cs)), "ms/chart")
}

// sampleRates is a year of two sample rates against their 10% target,
// so close that their labels collide every month; the lower one falls
// short in every other month.
func sampleRates() report.Chart {
	months := []string{"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"}
	var cases, av []float64
	for i := range months {
		cases = append(cases, 0.104+0.002*float64(i%3))
		av = append(av, 0.101-0.004*float64(i%2)) // 10.1% met, 9.7% short
	}
	return report.Chart{
		ID: "sample-rates", Title: "2025年案卷抽查率、视音频记录抽查率逐月情况", Unit: "%", Kind: report.LineChart, Percent: true,
		Categories: months,
		Series:     []report.Series{{Name: "案卷抽查率", Values: cases}, {Name: "视音频记录抽查率", Values: av}},
		Target:     ptr(0.10), TargetName: "目标值",
		WidthMM: 156, HeightMM: 80,
	}
}

// A value under its target is what the reader looks for: when labels
// collide, the one left out is one that meets its target, never the
// shortfall.
func TestShortfallsAreAlwaysLabelled(t *testing.T) {
	c := sampleRates()
	if n := texts(lay(t, c), RoleValue)["9.7%"]; n != 6 {
		t.Errorf("the six months at 9.7%% below the 10%% target are labelled %d times", n)
	}
	c.Series[0].Values = repeat(0.096, 12)
	c.Series[1].Values = repeat(0.095, 12)
	if v := texts(lay(t, c), RoleValue); v["9.6%"] != 12 || v["9.5%"] != 12 {
		t.Errorf("two short lines: 9.6%% labelled %d times, 9.5%% %d times, want 12 each", v["9.6%"], v["9.5%"])
	}
}

// placeLabels never lets a label overlap another, except a shortfall's
// that has nowhere else to go; every shortfall is placed.
func TestPlacedLabelsDoNotOverlap(t *testing.T) {
	c := sampleRates()
	area := charts.Box{Left: 0, Top: 0, Right: 1000, Bottom: 400}
	points := make([][]charts.Point, len(c.Series)+1)
	for i, s := range c.Series {
		for j := range s.Values {
			points[i] = append(points[i], charts.Point{X: 40 + 80*j, Y: 200 + 3*i}) // the lines three pixels apart
		}
	}
	measure := func(text string) (int, int) { return 60, 24 }
	placed := placeLabels(c, points, area, nil, measure)
	short := 0
	for _, s := range c.Series {
		for _, v := range s.Values {
			if belowTarget(c, v) {
				short++
			}
		}
	}
	got := 0
	for i, a := range placed {
		if belowTarget(c, c.Series[a.series].Values[a.point]) {
			got++
		}
		if !inside(a.box, area) {
			t.Errorf("label %q of point %d outside the area: %+v", a.text, a.point, a.box)
		}
		for _, b := range placed[:i] {
			if overlap(a.box, b.box) {
				t.Errorf("labels %q (series %d, point %d) and %q (series %d, point %d) overlap", a.text, a.series, a.point, b.text, b.series, b.point)
			}
		}
	}
	if got != short {
		t.Errorf("%d of the %d shortfalls placed", got, short)
	}
}

// yearOfSampleRates is the demo's December trend of the two sample rates:
// the lines a few tenths apart at about 12%, two points short of the 10%
// target each, so that the labels of the lower line have no room between
// it and the target.
func yearOfSampleRates() report.Chart {
	c := sampleRates()
	c.ID = "sample-rates-demo"
	c.Series[0].Values = []float64{0.1204, 0.1224, 0.0672, 0.1264, 0.1214, 0.122, 0.1206, 0.0651, 0.1226, 0.1218, 0.1226, 0.1201}
	c.Series[1].Values = []float64{0.125, 0.1246, 0.1266, 0.066, 0.1239, 0.1246, 0.124, 0.1235, 0.1232, 0.125, 0.1257, 0.1216}
	c.HeightMM = 62
	return c
}

// Value labels hide nothing: a label on a white box covers no line, the
// target's included, nor has one between it and its point, and no label
// overlaps a tick, the legend or a category name. The PNG shows the red
// target line in every month's slot.
func TestValueLabelsHideNothing(t *testing.T) {
	font := bodyFont(t)
	early := yearOfSampleRates() // February's: the lower line's label would go above the upper line
	early.ID, early.Categories = "sample-rates-february", early.Categories[:2]
	for i := range early.Series {
		early.Series[i].Values = early.Series[i].Values[:2]
	}
	for _, c := range []report.Chart{yearOfSampleRates(), early, sampleRates(), bulletinCharts()[5]} {
		t.Run(c.ID, func(t *testing.T) {
			f := lay(t, c)
			reach := pixels(lineWidthPx)/2 + 1
			var target []charts.Point
			for _, v := range f.Texts {
				if v.Role != RoleValue {
					continue
				}
				for _, o := range f.Texts {
					if o.Role != RoleValue && overlap(v.Box, o.Box) {
						t.Errorf("label %q (series %d, point %d) overlaps the %s %q", v.Text, v.Series, v.Index, o.Role, o.Text)
					}
				}
				if !v.Backdrop {
					continue
				}
				// nor does a clear label stand across another line from its point
				mid := charts.Point{X: (v.Box.Left + v.Box.Right) / 2, Y: (v.Box.Top + v.Box.Bottom) / 2}
				for _, p := range f.Points {
					if p.Series != v.Series || p.Index != v.Index {
						continue
					}
					for _, l := range f.Lines {
						for k := 1; (l.Role == RoleSeries && l.Series != v.Series || l.Role == RoleTarget) && k < len(l.Points); k++ {
							if segmentsCross(p.At, mid, l.Points[k-1], l.Points[k]) {
								t.Errorf("the %s line %d runs between label %q and its point (series %d, point %d)", l.Role, l.Series, v.Text, v.Series, v.Index)
							}
						}
					}
				}
				box := v.Box
				box.Left, box.Right = box.Left-pixels(backdropPx), box.Right+pixels(backdropPx)
				for _, l := range f.Lines {
					if (l.Role == RoleSeries || l.Role == RoleTarget) && crossesLine(grow(box, reach), [][]charts.Point{l.Points}) {
						t.Errorf("the white box of label %q (series %d, point %d) covers the %s line %d", v.Text, v.Series, v.Index, l.Role, l.Series)
					}
				}
			}
			for _, l := range f.Lines {
				if l.Role == RoleTarget {
					target = l.Points
				}
			}
			img := render(t, c, font)
			slot := float64(f.Plot.Width()) / float64(len(c.Categories))
			for i, name := range c.Categories {
				red := 0
				for x := f.Plot.Left + int(float64(i)*slot); x < f.Plot.Left+int(float64(i+1)*slot); x++ {
					r, g, b, _ := img.At(x, target[0].Y).RGBA()
					if r>>8 > 150 && g>>8 < 80 && b>>8 < 80 {
						red++
					}
				}
				if red < int(slot/4) {
					t.Errorf("%s: the target line shows %d red pixels of %.0f", name, red, slot)
				}
			}
		})
	}
}

// A value label near the target line stands on the side of it that the
// value does: 11/1121 under a 1% target is 0.98%, not 1.0%, and a bar
// judged against its own target alike (rules-interpretation 27).
func TestLabelsNearTheTargetKeepTheirSide(t *testing.T) {
	target := 0.01
	line := report.Chart{ID: "near", Title: "投诉信访件抽查率逐月情况", Kind: report.LineChart, Percent: true, Unit: "%",
		Target: &target, TargetName: "目标值", Categories: []string{"4月", "5月"}, WidthMM: 156, HeightMM: 62,
		Series: []report.Series{{Name: "投诉信访件抽查率", Values: []float64{15.0 / 1000, 11.0 / 1121}}}}
	bars := report.Chart{ID: "near-bars", Title: "比例类指标完成值与目标值", Kind: report.BarChart, Percent: true, Unit: "%", Horizontal: true,
		Categories: []string{"投诉信访件抽查率", "案卷抽查率"}, WidthMM: 156, HeightMM: 50,
		Series: []report.Series{{Name: "完成值", Values: []float64{11.0 / 1121, 0.121}, Targets: []float64{0.01, 0.1}},
			{Name: "目标值", Values: []float64{0.01, 0.1}}}}
	// The point is drawn where its value is: under the target's line.
	f := lay(t, line)
	for _, l := range f.Lines {
		for _, p := range f.Points {
			if l.Role == RoleTarget && p.Index == 1 && p.At.Y <= l.Points[0].Y {
				t.Errorf("0.98%% is drawn at y %d, on or over the 1%% target's line at y %d", p.At.Y, l.Points[0].Y)
			}
		}
	}
	for _, c := range []report.Chart{line, bars} {
		var labels []string
		for _, tx := range lay(t, c).Texts {
			if tx.Role == RoleValue {
				labels = append(labels, tx.Text)
			}
		}
		if !slices.Contains(labels, "0.98%") || slices.Contains(labels, "1.0%") {
			t.Errorf("%s: labels %q, want 0.98%% for 11/1121", c.ID, labels)
		}
	}
}

// A pie's shares and a target's legend entry print as every share in the
// documents does (report.Rate: half up, trailing zeros cut): 201 of 400
// problems is 50.3% and 100 of 400 is 25%, where rounding 201/400×1000 in
// floating point made 50.2% and the labels had 25.0%; a target of 50.25%
// is 50.3%, as the quota table prints it.
func TestSharesPrintAsTheDocumentsDo(t *testing.T) {
	pie := report.Chart{ID: "pie", Title: "案卷问题类型", Unit: "件", Kind: report.PieChart, Categories: []string{"证据不足", "文书不规范", "其他"},
		Series: []report.Series{{Name: "问题数", Values: []float64{201, 100, 99}}}, WidthMM: 156, HeightMM: 70}
	labels := texts(lay(t, pie), RoleValue)
	for _, want := range []string{"证据不足 201（50.3%）", "文书不规范 100（25%）", "其他 99（24.8%）"} {
		if labels[want] != 1 {
			t.Errorf("pie labels %v, want %q", labels, want)
		}
	}
	line := report.Chart{ID: "target", Title: "案卷抽查率逐月情况", Unit: "%", Kind: report.LineChart, Percent: true,
		Categories: []string{"4月", "5月"}, Series: []report.Series{{Name: "案卷抽查率", Values: []float64{0.6, 0.7}}},
		Target: ptr(0.5025), TargetName: "目标值", WidthMM: 156, HeightMM: 62}
	if legend := texts(lay(t, line), RoleLegend); legend["目标值 50.3%"] != 1 {
		t.Errorf("legend %v, want 目标值 50.3%%", legend)
	}
}
