package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"

	"bulletin/report"
	"bulletin/report/chart"
	"bulletin/report/compose"
	"bulletin/report/ingest"
	"bulletin/report/ingest/xlsx"
	"bulletin/report/metrics"
	"bulletin/report/metrics/metricstest"
	"bulletin/report/pdf"
	"bulletin/report/workbook"
)

// The benchmarks time each stage of a monthly run on a generated year.
// By default the year is Jing'an's (scale 1, a few seconds in all), so
// that CI's `go test ./... -run '^$' -bench . -benchtime 1x` stays fast;
// BULLETIN_BENCH_SCALE=79 makes it a city's (a million complaint rows).
// Nothing here judges a time.

// benchMonth is the report measured: December reads the whole year.
var benchMonth = report.Month{Year: 2025, Month: 12}

var fixture struct {
	once  sync.Once
	dir   string
	roots map[Layout]string
	err   error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}

func benchScale(b *testing.B) float64 {
	s := os.Getenv("BULLETIN_BENCH_SCALE")
	if s == "" {
		return 1
	}
	scale, err := strconv.ParseFloat(s, 64)
	if err != nil || scale <= 0 {
		b.Fatalf("BULLETIN_BENCH_SCALE=%q: want a positive number", s)
	}
	return scale
}

// dataRoot is the generated year in the layout, made on first use.
func dataRoot(b *testing.B, layout Layout) string {
	scale := benchScale(b)
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "bulletin-bench-")
		fixture.roots = map[Layout]string{}
		for _, l := range []Layout{Inline, Shared} {
			if fixture.err == nil {
				fixture.roots[l] = filepath.Join(fixture.dir, string(l))
				fixture.err = Generate(fixture.roots[l], "", scale, l)
			}
		}
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.roots[layout]
}

// datasetRoot is a data root holding only the dataset's exports of the
// layout's year (hard links), so that reading it reads that dataset alone.
func datasetRoot(b *testing.B, layout Layout, dataset string) string {
	root := dataRoot(b, layout)
	dir := filepath.Join(fixture.dir, string(layout)+"-"+dataset)
	if _, err := os.Stat(dir); err == nil {
		return dir
	}
	files, err := filepath.Glob(filepath.Join(root, "*", dataset+"*"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no %s exports in %s (%v)", dataset, root, err)
	}
	for _, f := range files {
		link := filepath.Join(dir, filepath.Base(filepath.Dir(f)), filepath.Base(f))
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.Link(f, link); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

func xmlBytes(b *testing.B, root string) int64 {
	files, err := MonthFiles(root, benchMonth)
	if err != nil {
		b.Fatal(err)
	}
	n, err := InflateFloor(files, 1, xlsx.Inflater)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// BenchmarkInflateFloor inflates the sheets of every file a December
// report reads, on as many goroutines as ingest uses, and does nothing
// else with them.
func BenchmarkInflateFloor(b *testing.B) {
	for _, layout := range []Layout{Inline, Shared} {
		b.Run(string(layout), func(b *testing.B) {
			files, err := MonthFiles(dataRoot(b, layout), benchMonth)
			if err != nil {
				b.Fatal(err)
			}
			var n int64
			for b.Loop() {
				if n, err = InflateFloor(files, runtime.GOMAXPROCS(0), xlsx.Inflater); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/(1<<20)*float64(b.N)/b.Elapsed().Seconds(), "xml-MiB/s")
		})
	}
}

// BenchmarkRead reads what a December report reads, one dataset at a time
// and all together, with the streaming reader, and all together with
// excelize's row iterator for reference.
func BenchmarkRead(b *testing.B) {
	cfg := loadConfig(b)
	for _, layout := range []Layout{Inline, Shared} {
		for _, dataset := range append([]string{"all", "all-excelize"}, report.DatasetNames...) {
			b.Run(fmt.Sprintf("%s/%s", layout, dataset), func(b *testing.B) {
				root := dataRoot(b, layout)
				opt := ingest.Options{ExcelizeOnly: dataset == "all-excelize"}
				if dataset != "all" && dataset != "all-excelize" {
					root = datasetRoot(b, layout, dataset)
				}
				size := xmlBytes(b, root)
				var q *report.Quality
				b.ResetTimer()
				for b.Loop() {
					_, q = readMonth(b, cfg, root, benchMonth, opt)
				}
				rows := 0
				for _, in := range q.Inputs {
					rows += in.Rows
				}
				if rows == 0 || len(q.Files) > 0 {
					b.Fatalf("%d rows, unreadable files %+v", rows, q.Files)
				}
				b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
				b.ReportMetric(float64(size)/(1<<20)*float64(b.N)/b.Elapsed().Seconds(), "xml-MiB/s")
			})
		}
	}
}

// read is the December dataset of the inline layout, read once.
func read(b *testing.B) (*report.Config, *report.Dataset, *report.Quality) {
	cfg := loadConfig(b)
	ds, q := readMonth(b, cfg, dataRoot(b, Inline), benchMonth, ingest.Options{})
	return cfg, ds, q
}

var issued = report.MustDate(2026, 1, 1)

// earlier is the months before December judged on its records: a run
// judges each on its own reading (metrics.BenchmarkJudge).
func earlier(b *testing.B, cfg *report.Config, ds *report.Dataset) []metrics.Issued {
	e, err := metricstest.JudgeBefore(cfg, ds, benchMonth)
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkFigures computes December's figures from the year's records,
// the months before as issued.
func BenchmarkFigures(b *testing.B) {
	cfg, ds, q := read(b)
	e := earlier(b, cfg, ds)
	b.ResetTimer()
	for b.Loop() {
		if _, err := metrics.Monthly(cfg, ds, q, benchMonth, issued, e); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(ds.Complaints)+len(ds.Cases)+len(ds.Samples)+len(ds.Inspections)), "records")
}

// bulletin is December's bulletin, composed.
func bulletin(b *testing.B) (*report.Config, report.Document) {
	cfg, ds, q := read(b)
	fig, err := metrics.Monthly(cfg, ds, q, benchMonth, issued, earlier(b, cfg, ds))
	if err != nil {
		b.Fatal(err)
	}
	tmpl, err := compose.LoadTemplates(cfg.Templates)
	if err != nil {
		b.Fatal(err)
	}
	doc, err := compose.Bulletin(cfg, fig, q, tmpl)
	if err != nil {
		b.Fatal(err)
	}
	return cfg, doc
}

// BenchmarkPDF draws the bulletin's charts and renders its PDF.
func BenchmarkPDF(b *testing.B) {
	cfg, doc := bulletin(b)
	font, err := os.ReadFile(cfg.Fonts.Body)
	if err != nil {
		b.Fatal(err)
	}
	var charts []report.Chart
	for _, blocks := range append([][]report.Block{doc.Blocks}, annexBlocks(doc)...) {
		for _, block := range blocks {
			if block.Kind == report.ChartBlock && block.Chart != nil {
				charts = append(charts, *block.Chart)
			}
		}
	}
	var size int
	b.ResetTimer()
	for b.Loop() {
		images := make(map[string][]byte)
		for _, c := range charts {
			png, err := chart.PNG(c, font)
			if err != nil {
				b.Fatal(err)
			}
			images[c.ID] = png
		}
		data, err := pdf.Render(doc, cfg.Fonts, images)
		if err != nil {
			b.Fatal(err)
		}
		size = len(data)
	}
	b.ReportMetric(float64(len(charts)), "charts")
	b.ReportMetric(float64(size), "pdf-bytes")
}

func annexBlocks(doc report.Document) [][]report.Block {
	var blocks [][]report.Block
	for _, a := range doc.Annexes {
		blocks = append(blocks, a.Blocks)
	}
	return blocks
}

// BenchmarkWorkbook writes the bulletin's workbook.
func BenchmarkWorkbook(b *testing.B) {
	_, doc := bulletin(b)
	path := filepath.Join(b.TempDir(), "月报数据.xlsx")
	b.ResetTimer()
	for b.Loop() {
		if err := workbook.Write(path, doc); err != nil {
			b.Fatal(err)
		}
	}
}
