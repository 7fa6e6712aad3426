// Package webchart draws the charts of the HTML edition of a document:
// interactive ECharts charts built with go-echarts from the same
// report.Chart that the PDF draws. The ECharts script itself is embedded
// (Script), so that a page needs nothing from outside the bureau's intranet:
// every chart names its script under the assets host the caller gives.
package webchart

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"strings"
	"unicode"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"bulletin/report"
)

// Script is ECharts 5.6.0's dist/echarts.min.js from its npm package
// (`npm pack echarts@5`; Apache-2.0, assets/LICENSE-echarts.txt).
//
//go:embed assets/echarts.min.js
var Script []byte

// ScriptName is the file name under the assets host that go-echarts asks
// for.
const ScriptName = opts.EchartsJS

// DrawScript draws a page's charts from their options, which Render puts in
// the page as data; DrawName is its file name under the assets host.
//
//go:embed assets/charts.js
var DrawScript []byte

const DrawName = "charts.js"

// Rendered is one chart ready for a page: the element and its options (as
// JSON data, not script) to place where the chart goes, and the scripts
// (under the assets host) the page must load, ECharts and DrawScript.
type Rendered struct {
	HTML   template.HTML
	Assets []string
}

// palette is the screen's: the print palette's navy leads, then colours that
// tell series apart at a glance.
var palette = opts.Colors{"#1f3b5c", "#6f8fb3", "#d48a2c", "#5a9a6e", "#8c5a9e", "#a0a0a0"}

const targetColour = "#c00000"

// Render builds c as an interactive chart whose scripts are named under
// assetsHost (such as /static/): a bar, stacked bar, line or pie chart
// with tooltips and a legend, shares shown in percent, the target as a red
// line.
func Render(c report.Chart, assetsHost string) (Rendered, error) {
	if len(c.Series) == 0 {
		return Rendered{}, fmt.Errorf("chart %q has no series", c.Title)
	}
	for _, s := range c.Series {
		if c.Kind != report.PieChart && len(s.Values) != len(c.Categories) {
			return Rendered{}, fmt.Errorf("chart %q: series %q has %d values for %d categories", c.Title, s.Name, len(s.Values), len(c.Categories))
		}
	}
	init := opts.Initialization{
		ChartID:    chartID(c.ID),
		Width:      "100%",
		Height:     fmt.Sprintf("%dpx", heightPx(c)),
		AssetsHost: assetsHost,
	}
	global := []charts.GlobalOpts{
		charts.WithInitializationOpts(init),
		charts.WithTitleOpts(opts.Title{Title: c.Title, Left: "center"}),
		charts.WithColorsOpts(palette),
		// Room for the axis labels (squad names, quota names) and the legend.
		charts.WithGridOpts(opts.Grid{ContainLabel: opts.Bool(true), Left: "2%", Right: "8%", Top: "50", Bottom: "40"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(c.Series) > 1 || c.Target != nil), Top: "bottom"}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: "保存图片"},
		}}),
	}
	var (
		chart  interface{ JSON() map[string]any }
		assets []string
	)
	switch c.Kind {
	case report.PieChart:
		pie := charts.NewPie()
		pie.SetGlobalOptions(append(global, charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}))...)
		s := c.Series[0]
		data := make([]opts.PieData, 0, len(s.Values))
		for i := range s.Values {
			if i < len(c.Categories) {
				// The share as the PDF's label prints it, not ECharts' {d}
				// (two decimals, the slices' remainders made to add to 100).
				tip := &opts.Tooltip{Formatter: types.FuncStr("{b}：{c}" + c.Unit + "（" + c.Share(i).String() + "）")}
				data = append(data, opts.PieData{Name: c.Categories[i], Value: value(c, 0, i), Tooltip: tip})
			}
		}
		pie.AddSeries(s.Name, data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"30%", "65%"}}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}：{c}"}))
		pie.Validate()
		chart, assets = pie, pie.JSAssets.Values
	case report.LineChart:
		line := charts.NewLine()
		line.SetGlobalOptions(append(global, axisTooltip(), valueAxis(c, false))...)
		line.SetXAxis(c.Categories)
		for i, s := range c.Series {
			data := make([]opts.LineData, len(s.Values))
			for j := range s.Values {
				data[j] = opts.LineData{Value: value(c, i, j), Symbol: "emptyCircle", SymbolSize: 7}
			}
			line.AddSeries(s.Name, data, withTarget(c, i, false)...)
		}
		line.Validate()
		chart, assets = line, line.JSAssets.Values
	default:
		bar := charts.NewBar()
		bar.SetGlobalOptions(append(global, axisTooltip(), valueAxis(c, c.Horizontal))...)
		bar.SetXAxis(c.Categories)
		for i, s := range c.Series {
			data := make([]opts.BarData, len(s.Values))
			for j := range s.Values {
				data[j] = opts.BarData{Value: value(c, i, j)}
			}
			options := withTarget(c, i, c.Horizontal)
			if c.Kind == report.StackedBarChart {
				options = append(options, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			bar.AddSeries(s.Name, data, options...)
		}
		if c.Horizontal {
			bar.XYReversal()
			// Categories read top to bottom in the order given, as in print.
			bar.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}))
		}
		bar.Validate()
		chart, assets = bar, bar.JSAssets.Values
	}
	// The options go into the page as data for DrawScript, not into a
	// script as go-echarts' own snippet puts them: no text of a chart is ever
	// read as code, and the page needs no inline script. json.Marshal escapes
	// <, > and &, so nothing ends the data's element.
	option, err := json.Marshal(chart.JSON())
	if err != nil {
		return Rendered{}, fmt.Errorf("chart %q: %w", c.Title, err)
	}
	html := fmt.Sprintf(`<div class="container"><div class="item" id="%s" style="width:%s;height:%s;"></div></div>`+
		`<script type="application/json" data-echarts-for="%[1]s">%[4]s</script>`, init.ChartID, init.Width, init.Height, option)
	// go-echarts has put the assets host before each script's name.
	return Rendered{HTML: template.HTML(html), Assets: append(assets, assetsHost+DrawName)}, nil
}

// chartID makes c.ID an element id the page's script can find the chart
// by.
func chartID(id string) string {
	return "chart_" + strings.Map(func(r rune) rune {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return '_'
	}, id)
}

// heightPx is the chart's height on screen: its printed proportions at a
// screen width of about 720 px, never so low that labels collide.
func heightPx(c report.Chart) int {
	h := 400
	if c.WidthMM > 0 && c.HeightMM > 0 {
		h = int(720 * c.HeightMM / c.WidthMM)
	}
	if c.Horizontal {
		h = max(h, 60+28*len(c.Categories))
	}
	return max(h, 320)
}

// value is what a chart shows for the i-th value of a series.
func value(c report.Chart, series, i int) any { return shown(c, c.Rate(series, i)) }

// shown is what a chart shows for r: a share in percent as the documents
// print it (0.1 rounded, or finer near its target: report.Rate), a missing
// value (NaN, a month not measured) as ECharts' gap.
func shown(c report.Chart, r report.Rate) any {
	if math.IsNaN(r.Share) || math.IsInf(r.Share, 0) {
		return "-"
	}
	if c.Percent {
		return r.Shown()
	}
	return r.Share
}

func axisTooltip() charts.GlobalOpts {
	return charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"})
}

// valueAxis labels the value axis with the unit; horizontal bars carry it
// on the x axis.
func valueAxis(c report.Chart, horizontal bool) charts.GlobalOpts {
	label := &opts.AxisLabel{Formatter: types.FuncStr("{value}" + strings.TrimSpace(c.Unit))}
	if c.Percent {
		label.Formatter = "{value}%"
	}
	if horizontal {
		return charts.WithXAxisOpts(opts.XAxis{Type: "value", AxisLabel: label})
	}
	return charts.WithYAxisOpts(opts.YAxis{Type: "value", AxisLabel: label})
}

// withTarget puts the target line on the first series, named with its
// value in the legend's words.
func withTarget(c report.Chart, series int, horizontal bool) []charts.SeriesOpts {
	if c.Target == nil || series != 0 {
		return nil
	}
	name := c.TargetName
	if name == "" {
		name = "目标"
	}
	v := shown(c, report.Rate{Share: *c.Target})
	style := charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
		Symbol:    []string{"none", "none"},
		LineStyle: &opts.LineStyle{Color: targetColour, Type: "dashed", Width: 2},
		Label:     &opts.Label{Show: opts.Bool(true), Formatter: fmt.Sprintf("%s %v%s", name, v, unitOf(c))},
	})
	if horizontal {
		return []charts.SeriesOpts{charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: name, XAxis: v}), style}
	}
	return []charts.SeriesOpts{charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: name, YAxis: v}), style}
}

func unitOf(c report.Chart) string {
	if c.Percent {
		return "%"
	}
	return c.Unit
}
