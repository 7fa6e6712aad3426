package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"bulletin/report"
	"bulletin/report/chart"
	"bulletin/report/compose"
	"bulletin/report/figschema"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/parsecache"
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
	// text is the documents' report.TextDigest, for checking a leader's
	// approval.
	text string
	// written, in a run of many periods, says whether the documents, made
	// while the next period is read, were written (wait).
	written chan error
	err     error
}

// wait waits until the documents are written, and says whether they were.
func (b *built) wait() error {
	if b.written != nil {
		b.err, b.written = <-b.written, nil
	}
	return b.err
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
// folders, the document fonts, and in a run of many periods (monthly
// --from/--to, the demo) the datasets read so far.
type pipeline struct {
	cfg             *report.Config
	dataDir, outDir string
	// fonts is opened once a run: the template check and the exports'
	// characters read only the fonts' glyph maps and widths, and the
	// first document reads the files whole (pdf.New).
	fonts *pdf.Renderer
	// carry, set in a run of many periods (manyPeriods), hands each
	// reading's datasets to the next, so that a month reads only the
	// folders the month before did not (ingest.Carry): the builds are one
	// after the other, each done with its dataset before the next reads.
	carry *ingest.Carry
	// cache is the cache of parsed exports, held for a build (holdCache),
	// or in a run of many periods for the whole run, opened once: each
	// month appends what it parsed, and none reads the file's entries
	// again to open it.
	cache *parsecache.Store
	// writing is the period whose documents are being written while the
	// next is read, in a run of many periods (writeMonthly).
	writing *built
	// issued, in a run of many periods, holds the months it built or
	// judged, as their own reports did (metrics.Issued), for the later
	// periods of their year to restate: a month built is not read again
	// for them. Nil otherwise: a process that stays up (the schedule)
	// builds each period from the data as it is then, and finds the
	// months the data has not changed for in the cache (judgedBefore).
	issued map[report.Month]metrics.Issued
	// hashed, while readThrough looks up the months judged before, knows
	// the exports it hashed, for the readings not to hash them again.
	hashed *ingest.Fingerprinter
	// judgedFound counts the months found judged in the cache
	// (judgedBefore).
	judgedFound int
	// building lets one delivery Build run at a time: the schedule's timers
	// may fire together (a draft's and a due time), and a build's readings
	// share the pipeline's cache, carry and fonts; two of a city's builds
	// at once would also need twice the memory.
	building sync.Mutex
}

// manyPeriods makes p a run of many periods, reading no month after last:
// each reading goes on from the one before (carry), a month's documents are
// written while the next is read (writeMonthly), and the cache of parsed
// exports is held for the run, closed by the function returned at its end.
func (p *pipeline) manyPeriods(last report.Month) (done func()) {
	p.carry = &ingest.Carry{Through: last}
	p.issued = map[report.Month]metrics.Issued{}
	release := p.holdCache()
	return func() {
		release()
		p.carry, p.issued = nil, nil
	}
}

// holdCache opens the cache of parsed exports for what follows, unless the
// run holds it already; release closes what it opened. A run holding it
// opens it once for its readings, and keeps the months it judges in it
// (keepJudged).
func (p *pipeline) holdCache() (release func()) {
	if p.cache != nil {
		return func() {}
	}
	p.cache = parsecache.Open(filepath.Join(p.outDir, ingest.CacheFile))
	return func() { p.cache.Close(); p.cache = nil }
}

// renderer is the document fonts, opened by the first call.
func (p *pipeline) renderer() (*pdf.Renderer, error) {
	if p.fonts == nil {
		r, err := pdf.New(p.cfg.Fonts)
		if err != nil {
			return nil, err
		}
		p.fonts = r
	}
	return p.fonts, nil
}

// buildMonthly runs ingest → metrics → compose → render for month m and
// writes O/<m>/: figures.json, the data-quality report, the bulletin PDF and
// its workbook. Incomplete data stops it unless force (requireComplete).
func (p *pipeline) buildMonthly(ctx context.Context, m report.Month, issued report.Date, force bool) (*built, error) {
	tmpl, err := p.loadTemplates() // a broken template stops the run before any reading
	if err != nil {
		return nil, err
	}
	if _, err := p.cfg.ForMonth(m); err != nil { // so does a year without its plan
		return nil, err
	}
	defer p.holdCache()()
	ds, q, earlier, err := p.readThrough(ctx, m)
	if err != nil {
		return nil, err
	}
	return p.writeMonthly(tmpl, ds, q, earlier, m, issued, filepath.Join(p.outDir, m.String()), force)
}

// readThrough reads what a report of m reads (readMonth), and first finds
// the months of m's year before it as issued (item 87), the months a later
// document restates: those this run built or judged, those an earlier run
// judged on the same reading (judgedBefore), and the others judged each on
// its own reading, each going on from the one before, so that the year is
// read about once. A run of one period holds the cache of parsed exports
// for its readings.
func (p *pipeline) readThrough(ctx context.Context, m report.Month) (*report.Dataset, *report.Quality, []metrics.Issued, error) {
	defer p.holdCache()()
	var earlier []metrics.Issued
	for k := (report.Month{Year: m.Year, Month: time.January}); k.Compare(m) < 0; k = k.Add(1) {
		is, ok := p.issued[k]
		if !ok {
			if p.hashed == nil {
				p.hashed = ingest.NewFingerprinter(p.cfg, p.dataDir)
				defer func() { p.hashed = nil }()
			}
			from, through := readSpan(k)
			is, ok = p.judgedBefore(p.hashed.Of(ctx, from, through), k)
		}
		if !ok {
			if p.carry == nil {
				p.carry = &ingest.Carry{Through: m}
				defer func() { p.carry = nil }()
			}
			ds, _, err := p.readExports(ctx, k)
			if err != nil {
				return nil, nil, nil, err
			}
			judged, err := metrics.Judge(p.cfg, ds, k)
			if err != nil {
				return nil, nil, nil, err
			}
			is = judged[0]
			p.keepJudged(ds.Fingerprint, is)
		}
		p.remember(is)
		earlier = append(earlier, is)
	}
	ds, q, err := p.readMonth(ctx, m)
	return ds, q, earlier, err
}

// remember keeps is for the later periods of a run of many periods.
func (p *pipeline) remember(is metrics.Issued) {
	if p.issued != nil {
		p.issued[is.Month] = is
	}
}

// writeMonthly is the part of buildMonthly after the data is read. In a
// run of many periods, it first waits for the month before's documents,
// so that a month that fails stops the run before the next writes
// anything, and leaves its own PDF and workbook to be written while the
// next month is read (see buildMonths): they are made from the composed
// document, not from the dataset, which the next reading reuses.
func (p *pipeline) writeMonthly(tmpl *compose.Templates, ds *report.Dataset, q *report.Quality, earlier []metrics.Issued, m report.Month, issued report.Date, dir string, force bool) (*built, error) {
	cfg := p.cfg
	if p.writing != nil {
		err := p.writing.wait()
		p.writing = nil
		if err != nil {
			return nil, err
		}
	}
	if err := writeQuality(dir, m.Chinese(), q); err != nil {
		return nil, err
	}
	if err := requireMonthFolder(m, q); err != nil {
		return nil, err
	}
	if err := requireComplete(m.Chinese(), ds, q, force); err != nil {
		return nil, err
	}
	fig, err := metrics.Monthly(cfg, ds, q, m, issued, earlier)
	if err != nil {
		return nil, err
	}
	is, err := metrics.IssuedOf(fig)
	if err != nil {
		return nil, err
	}
	p.remember(is)
	p.keepJudged(ds.Fingerprint, is)
	if err := withdrawTextDigest(dir); err != nil {
		return nil, err
	}
	if err := writeFigures(dir, fig); err != nil {
		return nil, err
	}
	docs, text, err := edition(cfg, fig, q, tmpl)
	if err != nil {
		return nil, err
	}
	doc := docs[0]
	r, err := p.renderer()
	if err != nil {
		return nil, err
	}
	marked := ds.Unprintable
	write := func() error {
		// The PDF and the workbook are made from the one document, side by
		// side; one that fails does not keep the other from being written,
		// and the run names each that failed.
		var wg sync.WaitGroup
		var bookErr error
		wg.Go(func() { bookErr = workbook.Write(filepath.Join(dir, compose.WorkbookName(m)), doc) })
		pdfErr := renderDocument(r, dir, doc, marked)
		wg.Wait()
		if err := errors.Join(pdfErr, bookErr); err != nil {
			return err
		}
		return writeTextDigest(dir, text)
	}
	b := &built{dir: dir, figures: fig, quality: q}
	b.pdfs, b.text = []string{pdfPath(dir, doc)}, text
	if p.carry == nil { // one period: nothing to write while the next is read
		if err := write(); err != nil {
			return nil, err
		}
		return b, nil
	}
	b.written = make(chan error, 1)
	go func() { b.written <- write() }()
	p.writing = b
	return b, nil
}

// buildMonths builds the months first..last, one after the other, and
// hands each to done once its documents are written: in a run of many
// months, a month's documents are written while the next month is read.
// A month that fails ends the run; the month before it is handed over
// first if its documents were written. (A month's writing waits for the
// month before's, so a month built means the one before was written.)
// issued is the date a month's bulletin is issued.
func (p *pipeline) buildMonths(ctx context.Context, first, last report.Month, issued func(report.Month) report.Date, force bool, done func(report.Month, *built)) error {
	var prev *built
	for m := first; m.Compare(last) <= 0; m = m.Add(1) {
		var b *built
		err := ctx.Err()
		if err == nil {
			b, err = p.buildMonthly(ctx, m, issued(m), force)
		}
		if prev != nil {
			if werr := prev.wait(); werr != nil {
				return werr
			}
			done(m.Add(-1), prev)
		}
		if err != nil {
			return err
		}
		prev = b
	}
	if prev == nil { // first after last
		return nil
	}
	if err := prev.wait(); err != nil {
		return err
	}
	done(last, prev)
	return nil
}

// edition is the documents fig is worded into (the bulletin, or a half's
// self-inspection reports) and their text digest: what a build writes and
// what the console shows a leader to approve.
func edition(cfg *report.Config, fig *report.Figures, q *report.Quality, tmpl *compose.Templates) ([]report.Document, string, error) {
	docs, err := composeDocuments(cfg, fig, q, tmpl)
	if err != nil {
		return nil, "", err
	}
	text, err := textDigest(cfg, fig, q, tmpl)
	return docs, text, err
}

// composeDocuments words fig into its documents: the bulletin, or a half's
// self-inspection reports.
func composeDocuments(cfg *report.Config, fig *report.Figures, q *report.Quality, tmpl *compose.Templates) ([]report.Document, error) {
	if fig.Kind != string(report.PeriodHalfYear) {
		doc, err := compose.Bulletin(cfg, fig, q, tmpl)
		return []report.Document{doc}, err
	}
	var docs []report.Document
	for _, si := range fig.SelfInspections {
		doc, err := compose.SelfInspection(cfg, fig, si, tmpl)
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
	return docs, nil
}

// textDigest is the report.TextDigest of the documents fig is worded into,
// composed on report.CanonicalIssue: what a leader's approval of them is
// checked against, whatever day they are built or sent.
func textDigest(cfg *report.Config, fig *report.Figures, q *report.Quality, tmpl *compose.Templates) (string, error) {
	undated := *fig
	undated.IssueDate = report.CanonicalIssue
	docs, err := composeDocuments(cfg, &undated, q, tmpl)
	if err != nil {
		return "", err
	}
	return report.TextDigest(docs)
}

// A build's text digest (report.TextDigestFile) is what the console lets a
// leader approve the files shown by: withdrawTextDigest removes it as the
// build begins and writeTextDigest writes it last, once the PDFs and the
// workbook are written, so that it never stands beside another build's
// files (a build that failed, or was killed, halfway).
func withdrawTextDigest(dir string) error {
	if err := os.Remove(filepath.Join(dir, report.TextDigestFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

func writeTextDigest(dir, text string) error {
	return report.WriteFileAtomic(filepath.Join(dir, report.TextDigestFile), []byte(text+"\n"))
}

// writeFigures writes figures.json after checking it against its schema,
// so that what the city bureau's tools read never drifts from docs/figures.md.
func writeFigures(dir string, fig *report.Figures) error {
	data, err := figuresJSON(fig)
	if err != nil {
		return err
	}
	return report.WriteFileAtomic(filepath.Join(dir, "figures.json"), append(data, '\n'))
}

// figuresJSON is fig as figures.json holds it, checked against its schema.
func figuresJSON(fig *report.Figures) ([]byte, error) {
	data, err := json.MarshalIndent(fig, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := figschema.Validate(data); err != nil {
		return nil, report.E(report.KindRender, "figures.json does not match its schema", err)
	}
	return data, nil
}

// renderDocument draws the document's charts and writes its PDF into dir
// (pdfPath) with the fonts of fonts; the marked characters
// (ds.Unprintable) print as 〓.
func renderDocument(fonts *pdf.Renderer, dir string, doc report.Document, marked map[rune]bool) error {
	font, err := fonts.BodyFont()
	if err != nil {
		return err
	}
	charts, err := renderCharts(font, doc, marked)
	if err != nil {
		return err
	}
	data, err := fonts.WithMarked(marked).Render(doc.Printed(), charts)
	if err != nil {
		return err
	}
	return report.WriteFileAtomic(pdfPath(dir, doc), data)
}

// pdfPath is where renderDocument writes doc's PDF.
func pdfPath(dir string, doc report.Document) string { return filepath.Join(dir, doc.FileName+".pdf") }

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
