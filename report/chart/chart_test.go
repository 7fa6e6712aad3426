package chart

import (
	"bytes"
	"encoding/json"
	"errors"
	"html"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
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
func bodyFont(tb testing.TB) []byte {
	for _, path := range []string{"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", "../../fonts/gbsn00lp.ttf"} {
		if font, err := os.ReadFile(path); err == nil {
			return font
		}
	}
	if os.Getenv("CI") != "" {
		tb.Fatal("no CJK font: install fonts-arphic-gbsn00lp or add fonts/gbsn00lp.ttf")
	}
	tb.Skip("no CJK font (fonts-arphic-gbsn00lp) on this machine")
	return nil
}

// option is the JSON of Options, parsed.
type option struct {
	Title struct {
		Text    string `json:"text"`
		Subtext string `json:"subtext"`
	} `json:"title"`
	XAxis  []axis `json:"xAxis"`
	YAxis  []axis `json:"yAxis"`
	Series []struct {
		Name     string `json:"name"`
		Type     string `json:"type"`
		Stack    string `json:"stack"`
		MarkLine struct {
			Data []struct {
				Name  string  `json:"name"`
				XAxis float64 `json:"xAxis"`
			} `json:"data"`
		} `json:"markLine"`
		Data []struct {
			Name  string  `json:"name"`
			Value float64 `json:"value"`
		} `json:"data"`
	} `json:"series"`
}

type axis struct {
	Type string   `json:"type"`
	Name string   `json:"name"`
	Data []string `json:"data"`
	Min  *float64 `json:"min"`
	Max  *float64 `json:"max"`
}

func parse(t *testing.T, c report.Chart) option {
	t.Helper()
	js, err := Options(c)
	if err != nil {
		t.Fatalf("%s: %v", c.ID, err)
	}
	var o option
	if err := json.Unmarshal(js, &o); err != nil {
		t.Fatalf("%s: the option JSON does not parse: %v\n%s", c.ID, err, js)
	}
	return o
}

func TestOptionsCarryTheData(t *testing.T) {
	for _, c := range append(bulletinCharts(), moreCharts()...) {
		t.Run(c.ID, func(t *testing.T) {
			o := parse(t, c)
			if o.Title.Text != c.Title {
				t.Errorf("title %q, want %q", o.Title.Text, c.Title)
			}
			want := c.Series
			if c.Target != nil && !c.Horizontal {
				want = append(want, report.Series{Name: targetName(c), Values: repeat(*c.Target, len(c.Categories))})
			}
			if c.Target != nil && c.Horizontal {
				marks := o.Series[0].MarkLine.Data
				if len(marks) != 1 || marks[0].Name != targetName(c) || marks[0].XAxis != shown(c, *c.Target) {
					t.Errorf("target markLine %+v, want %q at %g", marks, targetName(c), shown(c, *c.Target))
				}
			}
			if len(o.Series) != len(want) {
				t.Fatalf("%d series, want %d", len(o.Series), len(want))
			}
			for i, s := range want {
				got := o.Series[i]
				if c.Kind != report.PieChart && got.Name != s.Name {
					t.Errorf("series %d is %q, want %q", i, got.Name, s.Name)
				}
				kind := map[report.ChartKind]string{report.BarChart: "bar", report.StackedBarChart: "bar", report.LineChart: "line", report.PieChart: "pie"}[c.Kind]
				if i == len(c.Series) { // the target
					kind = "line"
				}
				if got.Type != kind {
					t.Errorf("series %q is a %q, want %q", s.Name, got.Type, kind)
				}
				if len(got.Data) != len(s.Values) {
					t.Fatalf("series %q has %d values, want %d", s.Name, len(got.Data), len(s.Values))
				}
				for j, v := range s.Values {
					if math.Abs(got.Data[j].Value-shown(c, v)) > 1e-9 {
						t.Errorf("series %q, %s: %g, want %g", s.Name, c.Categories[j], got.Data[j].Value, shown(c, v))
					}
					if c.Kind == report.PieChart && got.Data[j].Name != c.Categories[j] {
						t.Errorf("slice %d is %q, want %q", j, got.Data[j].Name, c.Categories[j])
					}
				}
				if c.Kind == report.StackedBarChart && got.Stack == "" {
					t.Errorf("series %q of a stacked chart has no stack", s.Name)
				}
			}
			if c.Kind == report.PieChart {
				if !strings.Contains(o.Title.Subtext, c.Unit) {
					t.Errorf("pie subtitle %q does not carry the unit %q", o.Title.Subtext, c.Unit)
				}
				return
			}
			category, value := o.XAxis, o.YAxis
			if c.Horizontal {
				category, value = o.YAxis, o.XAxis
			}
			if len(category) != 1 || category[0].Type != "category" || strings.Join(category[0].Data, ",") != strings.Join(c.Categories, ",") {
				t.Errorf("category axis %+v, want the categories %v", category, c.Categories)
			}
			if len(value) != 1 || value[0].Type != "value" || value[0].Min == nil || *value[0].Min != 0 {
				t.Fatalf("value axis %+v does not start at 0", value)
			}
			if !strings.Contains(value[0].Name, c.Unit) {
				t.Errorf("value axis name %q does not carry the unit %q", value[0].Name, c.Unit)
			}
		})
	}
}

func repeat(v float64, n int) []float64 {
	r := make([]float64, n)
	for i := range r {
		r[i] = v
	}
	return r
}

// TestPNGPrintsAtResolution renders every chart with a CJK font and reads
// the image back.
func TestPNGPrintsAtResolution(t *testing.T) {
	font := bodyFont(t)
	for _, c := range append(bulletinCharts(), append(moreCharts(), sampleRates())...) {
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
	// a white page has no spread; the emptiest real chart (all zeros) has
	// its title, axes and labels: a standard deviation of about 0.1
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

// TestEveryTextIsDrawn reads the layout back from go-analyze's SVG output
// of the same chart: the title, the unit, every category (none skipped for
// lack of room), every series in the legend, every value label, and a
// value axis from 0 to the top of valueScale.
func TestEveryTextIsDrawn(t *testing.T) {
	font := bodyFont(t)
	for _, c := range append(bulletinCharts(), append(moreCharts(), zeroChart())...) {
		t.Run(c.ID, func(t *testing.T) {
			svg, err := draw(c, font, charts.ChartOutputSVG)
			if err != nil {
				t.Fatal(err)
			}
			drawn := map[string]int{}
			for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(string(svg), -1) {
				drawn[strings.TrimRight(html.UnescapeString(m[1]), "\u3000")]++
			}
			want := map[string]int{c.Title: 1, unitName(c): 1}
			if c.Kind != report.PieChart {
				top, _ := valueScale(c)
				want[tick(c, 0)]++
				want[tick(c, top)]++
			}
			for _, name := range c.Categories {
				if c.Kind != report.PieChart {
					want[name]++
				}
			}
			for _, s := range c.Series {
				if c.Kind != report.PieChart {
					want[s.Name]++
				}
				for j, v := range s.Values {
					switch {
					case c.Kind == report.PieChart:
						want[c.Categories[j]+" "+label(c, shown(c, v))+" "+share(c, j)]++
					case c.Kind == report.StackedBarChart && v == 0:
					case c.Kind == report.LineChart && !belowTarget(c, v): // may be left out for room
					default:
						want[label(c, shown(c, v))]++
					}
				}
			}
			if c.Target != nil {
				want[targetName(c)]++
			}
			for text, n := range want {
				if drawn[text] < n {
					t.Errorf("%q drawn %d times, want %d", text, drawn[text], n)
				}
			}
		})
	}
}

// TestTargetAcrossHorizontalBars finds the target line PNG draws itself
// where go-analyze's bars say the value lies: 80% of the way from where the
// bars start to the end of the 100% bar.
func TestTargetAcrossHorizontalBars(t *testing.T) {
	c := moreCharts()[2]
	img := render(t, c, bodyFont(t))
	bar, target := charts.ParseColor(palette[0]), charts.ParseColor(targetColour)
	b := img.Bounds()
	barStart, barEnd, line, lineRun := b.Max.X, 0, -1, 0
	for x := b.Min.X; x < b.Max.X; x++ {
		run := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			switch px := (charts.Color{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(bl >> 8), A: 255}); px {
			case bar:
				barStart, barEnd = min(barStart, x), max(barEnd, x)
			case target:
				run++
			}
		}
		if run > lineRun {
			line, lineRun = x, run
		}
	}
	if lineRun < b.Dy()/4 {
		t.Fatalf("no target line: at most %d pixels of it in a column", lineRun)
	}
	want := float64(barStart) + 0.8*float64(barEnd-barStart)
	if math.Abs(float64(line)-want) > 4 {
		t.Errorf("target line at x=%d, want %.0f (bars from %d to %d)", line, want, barStart, barEnd)
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
	c := zeroChart()
	o := parse(t, c)
	if m := o.YAxis[0].Min; m == nil || *m != 0 {
		t.Fatalf("value axis min %v, want 0", m)
	}
	// what go-analyze makes of the JSON: a value axis from 0
	js, _ := Options(c)
	var eo charts.EChartsOption
	if err := json.Unmarshal(js, &eo); err != nil {
		t.Fatal(err)
	}
	opt, err := eo.ToOption()
	if err != nil {
		t.Fatal(err)
	}
	if len(opt.YAxis) != 1 || opt.YAxis[0].Min == nil || *opt.YAxis[0].Min != 0 {
		t.Fatalf("go-analyze value axis %+v, want min 0", opt.YAxis)
	}
	render(t, c, bodyFont(t))
}

func TestMissingGlyphsAreAnError(t *testing.T) {
	latin, err := os.ReadFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
	if err != nil {
		t.Skip("no DejaVu Sans to stand for a font without Chinese")
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
	stackTarget := bulletinCharts()[4]
	stackTarget.Target = ptr(5)
	short := bulletinCharts()[0]
	short.Series[1].Values = short.Series[1].Values[:3]
	noUnit := bulletinCharts()[3]
	noUnit.Unit = ""
	lyingLine := bulletinCharts()[5]
	lyingLine.Horizontal = true
	for _, tc := range []struct {
		c    report.Chart
		want string
	}{
		{stackTarget, "target line"},
		{short, `"目标值" has 3 values for 6 categories`},
		{noUnit, "no unit"},
		{lyingLine, "only bars lie horizontal"},
	} {
		_, err := Options(tc.c)
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

// svgTexts counts the texts of an SVG.
func svgTexts(svg []byte) map[string]int {
	drawn := map[string]int{}
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(string(svg), -1) {
		drawn[html.UnescapeString(m[1])]++
	}
	return drawn
}

// A value under its target is what the reader looks for: when labels
// collide, the one left out is one that meets its target, never the
// shortfall (before, the lower of two labels was left out).
func TestShortfallsAreAlwaysLabelled(t *testing.T) {
	c := sampleRates()
	svg, err := draw(c, bodyFont(t), charts.ChartOutputSVG)
	if err != nil {
		t.Fatal(err)
	}
	drawn := svgTexts(svg)
	if drawn["9.7%"] != 6 {
		t.Errorf("the six months at 9.7%% below the 10%% target are labelled %d times", drawn["9.7%"])
	}
	// Both lines short and touching: both labelled.
	c.Series[0].Values = repeat(0.096, 12)
	c.Series[1].Values = repeat(0.095, 12)
	svg, err = draw(c, bodyFont(t), charts.ChartOutputSVG)
	if err != nil {
		t.Fatal(err)
	}
	if drawn := svgTexts(svg); drawn["9.6%"] != 12 || drawn["9.5%"] != 12 {
		t.Errorf("two short lines: 9.6%% labelled %d times, 9.5%% %d times, want 12 each", drawn["9.6%"], drawn["9.5%"])
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
	placed := placeLabels(c, points, area, measure)
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

// The lines of a chart differ in tone, all dark enough to print, and in
// the shape of their points, so that they tell apart on paper.
func TestLinesDifferWithoutColour(t *testing.T) {
	c := sampleRates()
	c.Series = append(c.Series, report.Series{Name: "投诉信访件抽查率", Values: repeat(0.05, 12)})
	js, err := Options(c)
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Series []struct {
			Name      string `json:"name"`
			Symbol    string `json:"symbol"`
			ItemStyle struct {
				Color string `json:"color"`
			} `json:"itemStyle"`
		} `json:"series"`
	}
	if err := json.Unmarshal(js, &o); err != nil {
		t.Fatal(err)
	}
	symbols, colours := map[string]bool{}, map[string]bool{}
	for _, s := range o.Series[:len(c.Series)] {
		col := charts.ParseColor(s.ItemStyle.Color)
		if l := (0.2126*float64(col.R) + 0.7152*float64(col.G) + 0.0722*float64(col.B)) / 255; l > 0.45 {
			t.Errorf("line %q is drawn in %s, lightness %.2f: too light to print", s.Name, s.ItemStyle.Color, l)
		}
		if s.Symbol == "" || symbols[s.Symbol] || colours[s.ItemStyle.Color] {
			t.Errorf("line %q: symbol %q colour %s repeats another line's", s.Name, s.Symbol, s.ItemStyle.Color)
		}
		symbols[s.Symbol], colours[s.ItemStyle.Color] = true, true
	}
	// What go-analyze draws: hollow circles for the first line only; the
	// second's points are squares.
	svg, err := draw(c, bodyFont(t), charts.ChartOutputSVG)
	if err != nil {
		t.Fatal(err)
	}
	circles := func(colour string) int {
		c := charts.ParseColor(colour)
		named := map[charts.Color]string{charts.ColorBlack: "black"}[c] // go-analyze's SVG names black
		return len(regexp.MustCompile(`<circle[^>]*stroke:(?:`+regexp.QuoteMeta(svgColour(c))+`|`+named+`);`).FindAll(svg, -1))
	}
	first, second := o.Series[0].ItemStyle.Color, o.Series[1].ItemStyle.Color
	if circles(first) < 12 {
		t.Errorf("the first line has %d circles, want its 12 points", circles(first))
	}
	if circles(second) > 1 { // its legend icon may be one
		t.Errorf("the second line has %d circles, want squares", circles(second))
	}
}
