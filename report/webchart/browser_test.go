package webchart

import (
	"context"
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
	page := `<!DOCTYPE html><html><head><meta charset="utf-8"><title>unchanged</title>`
	var body strings.Builder
	for _, c := range []report.Chart{
		{ID: "bar", Title: marked, Kind: report.BarChart, Unit: marked, Categories: words,
			Series: []report.Series{{Name: marked, Values: []float64{3, 2, 1}}}},
		{ID: "pie", Title: "案卷问题类型", Kind: report.PieChart, Unit: "件", Categories: words,
			Series: []report.Series{{Name: marked, Values: []float64{3, 2, 1}}}},
	} {
		r, err := Render(c, "/static/")
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == "bar" {
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
	defer ts.Close()

	ctx, cancel := context.WithTimeout(browser(t), time.Minute)
	defer cancel()
	type shownText struct {
		Categories []string
		Names      []string
		Series     string
	}
	// The charts' scripts have run when the page has loaded.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL)); err != nil {
		t.Fatal(err)
	}
	if title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`)); err != nil || title != "unchanged" {
		t.Fatalf("text from an export ran as script: the page's title became %q (%v)", title, err)
	}
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](`document.querySelectorAll("canvas").length == 2`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the charts are not drawn: %v", err)
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
