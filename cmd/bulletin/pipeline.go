package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sync"

	"bulletin/report"
	"bulletin/report/chart"
	"bulletin/report/compose"
	"bulletin/report/figschema"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/pdf"
	"bulletin/report/workbook"
)

// built is what one run wrote for a period: the documents to send, and
// everything beside them.
type built struct {
	dir     string
	pdfs    []string // in the order they are attached
	figures *report.Figures
	quality *report.Quality
	dataset *report.Dataset
}

// print tells the clerk what a run made: the data-quality summary, where
// the documents of what (2025年5月 月报) are, and each PDF.
func (b *built) print(w io.Writer, what string) {
	b.quality.WriteSummary(w)
	fmt.Fprintf(w, "%s已生成：%s\n", what, report.Printable(b.dir))
	for _, p := range b.pdfs {
		fmt.Fprintln(w, "  ", report.Printable(p))
	}
}

// pipeline is what the builds of one run share: the configuration, the
// folders, and in a run of many periods (monthly --from/--to, the demo)
// the document fonts and the datasets read so far.
type pipeline struct {
	cfg             *report.Config
	dataDir, outDir string
	// many keeps the fonts once read. A run of one period reads them (35
	// MB) to check the templates and lets them go, and keeps them once its
	// reading is done: held through the reading, they would raise the
	// peak of its memory.
	many  bool
	fonts *pdf.Renderer
	// carry, in a run of many periods, hands each reading's datasets to
	// the next, so that a month reads only the folders the month before
	// did not (ingest.Carry): the builds are one after the other, each
	// done with its dataset before the next reads.
	carry *ingest.Carry
}

// renderer is the document fonts, read now unless kept.
func (p *pipeline) renderer() (*pdf.Renderer, error) {
	if p.fonts != nil {
		return p.fonts, nil
	}
	r, err := pdf.New(p.cfg.Fonts)
	if err == nil && p.many {
		p.fonts = r
	}
	return r, err
}

// buildMonthly runs ingest → metrics → compose → render for month m and
// writes O/<m>/: figures.json, the data-quality report, the bulletin PDF and
// its workbook. Incomplete data stops it unless force (requireComplete).
func (p *pipeline) buildMonthly(ctx context.Context, m report.Month, issued report.Date, force bool) (*built, error) {
	tmpl, err := p.loadTemplates() // a broken template stops the run before any reading
	if err != nil {
		return nil, err
	}
	if _, err := p.cfg.ForYear(m.Year); err != nil { // so does a year without its plan
		return nil, err
	}
	ds, q, err := p.readMonth(ctx, m)
	if err != nil {
		return nil, err
	}
	return p.writeMonthly(tmpl, ds, q, m, issued, filepath.Join(p.outDir, m.String()), force)
}

// writeMonthly is the part of buildMonthly after the data is read.
func (p *pipeline) writeMonthly(tmpl *compose.Templates, ds *report.Dataset, q *report.Quality, m report.Month, issued report.Date, dir string, force bool) (*built, error) {
	cfg := p.cfg
	if err := writeQuality(dir, m.Chinese(), q); err != nil {
		return nil, err
	}
	if err := requireMonthFolder(m, q); err != nil {
		return nil, err
	}
	if err := requireComplete(m.Chinese(), ds, q, force); err != nil {
		return nil, err
	}
	fig, err := metrics.Monthly(cfg, ds, q, m, issued)
	if err != nil {
		return nil, err
	}
	if err := writeFigures(dir, fig); err != nil {
		return nil, err
	}
	doc, err := compose.Bulletin(cfg, fig, q, tmpl)
	if err != nil {
		return nil, err
	}
	r, err := p.renderer()
	if err != nil {
		return nil, err
	}
	pdfPath, err := renderDocument(r, dir, doc, ds.Unprintable)
	if err != nil {
		return nil, err
	}
	if err := workbook.Write(filepath.Join(dir, compose.WorkbookName(m)), doc); err != nil {
		return nil, err
	}
	return &built{dir: dir, pdfs: []string{pdfPath}, figures: fig, quality: q, dataset: ds}, nil
}

// writeFigures writes figures.json after checking it against its schema,
// so that what the city bureau's tools read never drifts from docs/figures.md.
func writeFigures(dir string, fig *report.Figures) error {
	data, err := json.MarshalIndent(fig, "", "  ")
	if err != nil {
		return err
	}
	if err := figschema.Validate(data); err != nil {
		return report.E(report.KindRender, "figures.json does not match its schema", err)
	}
	return report.WriteFileAtomic(filepath.Join(dir, "figures.json"), append(data, '\n'))
}

// renderDocument draws the document's charts and writes its PDF into dir
// with the fonts of fonts; the marked characters (ds.Unprintable) print as
// 〓.
func renderDocument(fonts *pdf.Renderer, dir string, doc report.Document, marked map[rune]bool) (string, error) {
	charts, err := renderCharts(fonts.BodyFont(), doc, marked)
	if err != nil {
		return "", err
	}
	data, err := fonts.WithMarked(marked).Render(doc.Printed(), charts)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, doc.FileName+".pdf")
	if err := report.WriteFileAtomic(path, data); err != nil {
		return "", err
	}
	return path, nil
}

// renderCharts renders every chart of the document to PNG, concurrently,
// its labels in font.
func renderCharts(font []byte, doc report.Document, marked map[rune]bool) (map[string][]byte, error) {
	var charts []report.Chart
	collect := func(blocks []report.Block) {
		for _, b := range blocks {
			if b.Kind == report.ChartBlock && b.Chart != nil && !b.ScreenOnly {
				charts = append(charts, markChart(*b.Chart, marked))
			}
		}
	}
	collect(doc.Blocks)
	for _, a := range doc.Annexes {
		collect(a.Blocks)
	}
	images := make([][]byte, len(charts))
	errs := make([]error, len(charts))
	var wg sync.WaitGroup
	for i, c := range charts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			images[i], errs[i] = chart.PNG(c, font)
		}()
	}
	wg.Wait()
	out := make(map[string][]byte, len(charts))
	for i, c := range charts {
		if errs[i] != nil {
			return nil, report.E(report.KindRender, "chart "+c.Title, errs[i])
		}
		out[c.ID] = images[i]
	}
	return out, nil
}
