// Package bench measures the pipeline on city-scale data: it generates a
// year of exports for all of a city's districts in the two layouts .xlsx
// files come in, lists the files a monthly run reads, and measures the
// floor of reading them (inflating their sheets and nothing else). The
// benchmarks in bench_test.go time each stage; compare.sh runs the whole
// monthly pipeline beside a pandas + openpyxl script. See README.md.
package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/report"
	"bulletin/report/sample"
)

// Layout is how the .xlsx exports store their text.
type Layout string

const (
	// Inline is what excelize's StreamWriter and many platform exports
	// write: every text cell an inline string, <dimension ref="A1">.
	Inline Layout = "inline"
	// Shared is what Excel and WPS write when they save: text cells refer
	// to a shared-strings table, and the dimension is the real one.
	Shared Layout = "shared"
)

// CityScale is the sample.Options.Scale of a city's year: about 1,000,000
// 诉件 rows, 630,000 案件 rows (400,000 distinct cases, most exported when
// filed and again when closed), 72,000 抽查明细, 28,000 监督检查 and
// 120,000 中队督察 rows.
const CityScale = 79

// Generate writes a year of exports (folders 2024-12 to 2025-12, the
// sample data set's story and quirks at the given scale) into dir, every
// export an .xlsx in the given layout; from the folder first instead, if
// given ("2020-12": five years of history, each with ids of its own).
func Generate(dir, first string, scale float64, layout Layout) error {
	opt := sample.DefaultOptions()
	opt.Scale, opt.Format = scale, sample.FormatXLSX
	if first != "" {
		opt.First = first
	}
	if err := sample.Generate(dir, opt); err != nil {
		return err
	}
	if layout == Inline {
		return nil
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.xlsx"))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := ToSharedStrings(f); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
	}
	return nil
}

// reachesAllHistory reports whether a file belongs to an export read in
// every folder up to the report's month (report.ReachesAllHistory).
func reachesAllHistory(file string) bool {
	for dataset := range report.ReachesAllHistory {
		if strings.HasPrefix(file, dataset) {
			return true
		}
	}
	return false
}

// MonthFiles lists the exports a report on month m reads from root, as
// cmd/bulletin's readMonth asks ingest for them: every file of the folders
// from January (or the month before, in January) to m, and the 案件,
// 抽查明细 and 监督检查 files of every earlier folder.
func MonthFiles(root string, m report.Month) ([]string, error) {
	from := report.Month{Year: m.Year, Month: 1}
	if prev := m.Prev(); prev.Compare(from) < 0 {
		from = prev
	}
	folders, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, d := range folders {
		folder, err := report.ParseMonth(d.Name())
		if err != nil || !d.IsDir() || folder.Compare(m) > 0 {
			continue
		}
		names, err := os.ReadDir(filepath.Join(root, d.Name()))
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if folder.Compare(from) < 0 && !reachesAllHistory(n.Name()) {
				continue
			}
			files = append(files, filepath.Join(root, d.Name(), n.Name()))
		}
	}
	slices.Sort(files)
	return files, nil
}
