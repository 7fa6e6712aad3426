package webchart

import (
	"math"
	"strings"
	"testing"

	"bulletin/report"
)

func TestRenderNamesTheEmbeddedScriptAndDrawsEachKind(t *testing.T) {
	target := 0.1
	for _, c := range []report.Chart{
		{ID: "quota-rates", Title: "比例类指标", Kind: report.BarChart, Percent: true, Horizontal: true, Categories: []string{"案卷抽查率", "视音频记录抽查率"},
			Series: []report.Series{{Name: "完成值", Values: []float64{0.121, 0.933}}, {Name: "目标值", Values: []float64{0.1, 0.2}}}},
		{ID: "trend", Title: "逐月", Kind: report.LineChart, Percent: true, Target: &target, TargetName: "目标值", Categories: []string{"1月", "2月", "3月"},
			Series: []report.Series{{Name: "案卷抽查率", Values: []float64{0.12, math.NaN(), 0.067}}}},
		{ID: "stack", Title: "整改", Kind: report.StackedBarChart, Unit: "个", Categories: []string{"江宁路中队"},
			Series: []report.Series{{Name: "已整改", Values: []float64{3}}, {Name: "逾期", Values: []float64{1}}}},
		{ID: "pie", Title: "问题类型", Kind: report.PieChart, Unit: "件", Categories: []string{"证据不足", "文书不规范", "其他"},
			Series: []report.Series{{Name: "问题", Values: []float64{4, 2, 1}}}},
	} {
		r, err := Render(c, "/static/")
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if len(r.Assets) != 2 || r.Assets[0] != "/static/"+ScriptName || r.Assets[1] != "/static/"+DrawName {
			t.Errorf("%s: assets %v, want only the embedded ECharts and %s under /static/", c.ID, r.Assets, DrawName)
		}
		html := string(r.HTML)
		id := "chart_" + strings.ReplaceAll(c.ID, "-", "_")
		for _, want := range []string{`id="` + id + `"`, c.Title, c.Categories[0], `<script type="application/json" data-echarts-for="` + id + `">`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s: the chart lacks %q:\n%s", c.ID, want, html)
			}
		}
		if strings.Contains(html, "http") {
			t.Errorf("%s: the chart names something outside the console:\n%s", c.ID, html)
		}
	}
	if !strings.Contains(string(Script[:2000]), "echarts") || len(Script) < 500_000 {
		t.Error("the embedded script is not ECharts")
	}
}

func TestRenderShowsSharesInPercentAndGapsAsGaps(t *testing.T) {
	r, err := Render(report.Chart{ID: "t", Kind: report.LineChart, Percent: true, Categories: []string{"1月", "2月"},
		Series: []report.Series{{Name: "s", Values: []float64{0.1234, math.NaN()}}}}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	if html := string(r.HTML); !strings.Contains(html, `"value":12.3`) || !strings.Contains(html, `"value":"-"`) || !strings.Contains(html, `{value}%`) {
		t.Errorf("want 12.3 (percent), a gap for the missing month and a percent axis:\n%s", html)
	}
}

func TestRenderKeepsExportTextOutOfTheScript(t *testing.T) {
	r, err := Render(report.Chart{ID: "x", Kind: report.BarChart, Categories: []string{`</script><script>alert(1)</script>`},
		Series: []report.Series{{Name: "<b>", Values: []float64{1}}}}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	if html := string(r.HTML); strings.Count(html, "</script>") != 1 || strings.Contains(html, "<b>") {
		t.Errorf("text from an export can end the chart's script:\n%s", html)
	}
}

func TestRenderRefusesSeriesOfTheWrongLength(t *testing.T) {
	if _, err := Render(report.Chart{ID: "x", Kind: report.BarChart, Categories: []string{"a", "b"}, Series: []report.Series{{Name: "s", Values: []float64{1}}}}, "/static/"); err == nil {
		t.Error("a series shorter than its categories was drawn")
	}
}

// The screen shows a rate near its target on its side, as the PDF does:
// 11/1121 against 1% is 0.98, not 1.
func TestRenderShowsARateNearItsTargetOnItsSide(t *testing.T) {
	target := 0.01
	r, err := Render(report.Chart{ID: "t", Kind: report.LineChart, Percent: true, Target: &target, Categories: []string{"4月", "5月"},
		Series: []report.Series{{Name: "s", Values: []float64{0.015, 11.0 / 1121}}}}, "/static/")
	if err != nil {
		t.Fatal(err)
	}
	if html := string(r.HTML); !strings.Contains(html, `"value":0.98`) || !strings.Contains(html, `"value":1.5`) {
		t.Errorf("want 0.98 for 11/1121 under a 1%% target:\n%s", html)
	}
}
