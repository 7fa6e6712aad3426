package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/metrics"
	"bulletin/report/metrics/metricstest"
	"bulletin/report/pdf"
	"bulletin/report/sample"
)

// cityScale is the month at city scale the layout test sets: eight times
// Jing'an's rows, what a test can afford; the long lists grow with it.
const cityScale = 8

// TestLayoutOfEveryDocument lays out every document of the sample year —
// the twelve bulletins and the six self-inspection reports — and June at
// city scale, as the PDF renderer does, and checks every page as an
// office's typesetter would (pdf.Audit: no widows or orphans, no last line
// of one or two characters, no stretched line, no page but a part's last
// more than a quarter empty, tables broken with 续表 and three rows each
// side, titles broken between words, the 版记 on the last page and not
// alone).
func TestLayoutOfEveryDocument(t *testing.T) {
	cfg := loadRepoConfig(t)
	r, err := pdf.New(cfg.Fonts)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := compose.LoadTemplates(cfg.Templates)
	if err != nil {
		t.Fatal(err)
	}
	audit := func(name string, doc report.Document) []pdf.Page {
		pages, err := r.Layout(doc, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range pdf.Audit(pages) {
			t.Errorf("%s: %s", name, f)
		}
		if d := os.Getenv("DUMP"); d != "" && strings.Contains(name, d) {
			for i, p := range pages {
				fmt.Printf("=== page %d used %.0f\n", i+1, p.Used())
				for _, b := range p.Bands {
					fmt.Printf("  %-9s %5.1f t%d r%d/%d l%d/%d %.40s\n", b.Kind, b.Height, b.Table, b.Row, b.Rows, b.Line, b.Lines, b.Text)
				}
			}
		}
		return pages
	}
	// bulletins lays out the months' bulletins; at Jing'an's scale
	// (jingan) a leader reads one in ten minutes: its main text (一…八)
	// in at most 8 pages and the whole in at most 12 (issue 13, item 2).
	bulletins := func(data string, jingan bool, months ...report.Month) {
		for _, m := range months {
			ds, q, err := (&pipeline{cfg: cfg, dataDir: data, outDir: t.TempDir()}).readMonth(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			earlier, err := metricstest.JudgeBefore(cfg, ds, m) // the layout, not the earlier months' values, is tested
			if err != nil {
				t.Fatal(err)
			}
			fig, err := metrics.Monthly(cfg, ds, q, m, m.Add(1).First(), earlier)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := compose.Bulletin(cfg, fig, q, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			pages := audit(doc.FileName, doc)
			body := 0
			for _, p := range pages {
				if p.Bands[0].Section == 0 {
					body++
				}
			}
			t.Logf("%s: %d pages, %d of main text", doc.FileName, len(pages), body)
			if jingan && (body > 8 || len(pages) > 12) {
				t.Errorf("%s: %d pages, %d of main text; want at most 12 and 8", doc.FileName, len(pages), body)
			}
		}
	}
	data := cliSampleData(t)
	var year []report.Month
	for m := (report.Month{Year: 2025, Month: 1}); m.Year == 2025; m = m.Add(1) {
		year = append(year, m)
	}
	bulletins(data, true, year...)
	for _, h := range []report.Half{{Year: 2025, N: 1}, {Year: 2025, N: 2}} {
		ds, q, err := (&pipeline{cfg: cfg, dataDir: data, outDir: t.TempDir()}).readMonth(context.Background(), h.Last())
		if err != nil {
			t.Fatal(err)
		}
		earlier, err := metricstest.JudgeBefore(cfg, ds, h.Last())
		if err != nil {
			t.Fatal(err)
		}
		fig, err := metrics.HalfYear(cfg, ds, q, h, h.Last().Add(1).First().AddDays(4), earlier)
		if err != nil {
			t.Fatal(err)
		}
		for _, si := range fig.SelfInspections {
			doc, err := compose.SelfInspection(cfg, fig, si, tmpl)
			if err != nil {
				t.Fatal(err)
			}
			pages := audit(doc.FileName, doc)
			t.Logf("%s: %d pages", doc.FileName, len(pages))
		}
	}
	city := t.TempDir()
	opt := sample.DefaultOptions()
	opt.Scale, opt.First, opt.Last = cityScale, "2024-12", "2025-06"
	if err := sample.Generate(city, opt); err != nil {
		t.Fatal(err)
	}
	bulletins(city, false, report.Month{Year: 2025, Month: 6})
}
