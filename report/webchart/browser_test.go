package webchart

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bulletin/report"
)

// TestExportTextStaysTextInABrowser draws, in headless Chromium, charts
// whose words are an export's text made to look like go-echarts' mark of a
// function and like the end of a script: nothing of it runs, and the words
// are there to read.
func TestExportTextStaysTextInABrowser(t *testing.T) {
	const marked = `__f__document.title='PWNED'__f__`
	words := []string{marked, `</script><script>document.title='PWNED'</script>`, "一行\u2028两行"}
	ctx := drawnInBrowser(t, []report.Chart{
		{ID: "bar", Title: marked, Kind: report.BarChart, Unit: marked, Categories: words,
			Series: []report.Series{{Name: marked, Values: []float64{3, 2, 1}}}},
		{ID: "pie", Title: "案卷问题类型", Kind: report.PieChart, Unit: "件", Categories: words,
			Series: []report.Series{{Name: marked, Values: []float64{3, 2, 1}}}},
	})
	type shownText struct {
		Categories []string
		Names      []string
		Series     string
	}
	if title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); err != nil || title != "unchanged" {
		t.Fatalf("text from an export ran as script: the page's title became %q (%v)", title, err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[shownText](`(() => {
			const bar = echarts.getInstanceByDom(document.getElementById("chart_bar")).getOption(),
				pie = echarts.getInstanceByDom(document.getElementById("chart_pie")).getOption();
			return {Categories: bar.xAxis[0].data, Names: pie.series[0].data.map(d => d.name), Series: bar.series[0].name};
		})()`))
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range [][]string{shown.Categories, shown.Names, {shown.Series}} {
		if len(got) == 0 || !strings.Contains(got[0], "document.title='PWNED'") {
			t.Errorf("the chart does not show the export's text as words: %q", got)
		}
	}
	if len(shown.Categories) != 3 || !strings.Contains(shown.Categories[2], "一行\u2028两行") {
		t.Errorf("categories shown: %q", shown.Categories)
	}
}

// drawnInBrowser renders charts into one page titled "unchanged", opens it
// in headless Chromium and returns once every chart is drawn.
func drawnInBrowser(t *testing.T, cs []report.Chart) context.Context {
	t.Helper()
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>unchanged</title>`
	var body strings.Builder
	for i, c := range cs {
		r, err := Render(c, "/static/")
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			for _, a := range r.Assets {
				page += `<script src="` + a + `"></script>`
			}
		}
		body.WriteString(string(r.HTML))
	}
	page += "</head><body>" + body.String() + "</body></html>"
	mux := http.NewServeMux()
	mux.HandleFunc("/static/"+ScriptName, func(w http.ResponseWriter, _ *http.Request) { w.Write(Script) })
	mux.HandleFunc("/static/"+DrawName, func(w http.ResponseWriter, _ *http.Request) { w.Write(DrawScript) })
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(page)) })
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)

	ctx, cancel := context.WithTimeout(browser(t), time.Minute)
	t.Cleanup(cancel)
	// The charts' scripts have run when the page has loaded.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](fmt.Sprintf(`document.querySelectorAll("canvas").length == %d`, len(cs)), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the charts are not drawn: %v", err)
	}
	return ctx
}

// browser starts Debian's Chromium, headless, for one test.
func browser(t *testing.T) context.Context {
	t.Helper()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath("/usr/bin/chromium"), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(t.TempDir()))
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	return ctx
}

// A pie's tooltip gives a slice's share as the PDF's label does
// (report.Rate), not as ECharts works it out (two decimals, the last
// slice given what makes 100): of 201, 150 and 49 problems the first is
// 50.3%, not 50.25%, and of three equal slices none is 33.34%.
func TestPieTooltipSharesAreThePrintedOnes(t *testing.T) {
	ctx := drawnInBrowser(t, []report.Chart{
		{ID: "half", Title: "问题类型", Kind: report.PieChart, Unit: "件", Categories: []string{"证据不足", "文书不规范", "其他"},
			Series: []report.Series{{Name: "问题数", Values: []float64{201, 150, 49}}}},
		{ID: "thirds", Title: "问题类型", Kind: report.PieChart, Unit: "件", Categories: []string{"证据不足", "文书不规范", "其他"},
			Series: []report.Series{{Name: "问题数", Values: []float64{1, 1, 1}}}},
	})
	for _, tc := range []struct {
		chart string
		want  []string
	}{
		{"chart_half", []string{"证据不足：201件（50.3%）", "文书不规范：150件（37.5%）", "其他：49件（12.3%）"}},
		{"chart_thirds", []string{"证据不足：1件（33.3%）", "文书不规范：1件（33.3%）", "其他：1件（33.3%）"}},
	} {
		for i, want := range tc.want {
			// The tooltip ECharts shows on hovering the slice, as its text.
			got, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
				const el = document.getElementById(%q);
				echarts.getInstanceByDom(el).dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: %d});
				const tip = [...el.querySelectorAll("div")].find(d => d.style.zIndex == "9999999");
				return tip ? tip.innerText : "";
			})()`, tc.chart, i)))
			if err != nil {
				t.Fatal(err)
			}
			if strings.TrimSpace(got) != want {
				t.Errorf("%s, slice %d: the tooltip says %q, want %q", tc.chart, i, got, want)
			}
		}
	}
}
