//go:build unix

// Command readfloor measures, in one process, the floor of reading the
// exports a monthly report reads (inflating their sheets with archive/zip
// and ingest's inflater, discarding the bytes, see bench.InflateFloor; the
// standard library's inflater is shown beside it) and ingest's reading of
// them into records, and prints both with their ratio. Each is run -runs
// times; the fastest run counts, and ingest's first run is shown too: it
// touches fresh memory, as a run of bulletin does. The collector and the
// heap's huge pages are set as bulletin sets them (GOGC=40 unless GOGC is
// set, hugepages.AdviseHeap).
//
//	go run ./bench/cmd/readfloor -data /tmp/city/inline -month 2025-12
package main

import (
	"compress/flate"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync"
	"syscall"
	"time"

	"bulletin/bench"
	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/hugepages"
	"bulletin/report/ingest"
	"bulletin/report/ingest/xlsx"
)

func main() {
	data := flag.String("data", "/tmp/city/inline", "data root")
	monthFlag := flag.String("month", "2025-12", "the report's month")
	cfgPath := flag.String("config", "config.toml", "config.toml")
	runs := flag.Int("runs", 3, "runs of each measurement")
	excelizeOnly := flag.Bool("excelize", false, "read with excelize's row iterator instead of the streaming reader")
	prof := flag.String("cpuprofile", "", "write a CPU profile of ingest.Read")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(40)
	}
	hugepages.AdviseHeap() // first, while the heap is fresh: see the package
	m, err := report.ParseMonth(*monthFlag)
	check(err)
	cfg, err := config.Load(*cfgPath, nil)
	check(err)
	files, err := bench.MonthFiles(*data, m)
	check(err)
	from := report.Month{Year: m.Year, Month: 1}
	if prev := m.Prev(); prev.Compare(from) < 0 {
		from = prev
	}

	var xml int64
	workers := runtime.GOMAXPROCS(0)
	floor := fastest(*runs, func() {
		xml, err = bench.InflateFloor(files, workers, xlsx.Inflater)
		check(err)
	})
	floor1 := fastest(*runs, func() {
		_, err = bench.InflateFloor(files, 1, xlsx.Inflater)
		check(err)
	})
	floorStd := fastest(*runs, func() {
		_, err = bench.InflateFloor(files, workers, flate.NewReader)
		check(err)
	})
	var sheetRows, sheetCells int
	scan := fastest(*runs, func() {
		sheetRows, sheetCells, err = countRows(files, workers)
		check(err)
	})
	if *prof != "" {
		f, err := os.Create(*prof)
		check(err)
		check(pprof.StartCPUProfile(f))
	}
	rows := 0
	read, first := fastestAndFirst(*runs, func() {
		_, q, err := ingest.ReadWith(context.Background(), cfg, *data, from, m, ingest.Options{ExcelizeOnly: *excelizeOnly})
		check(err)
		rows = 0
		for _, in := range q.Inputs {
			rows += in.Rows
		}
		runtime.GC() // the next run starts from the same heap
	})
	if *prof != "" {
		pprof.StopCPUProfile()
	}
	fmt.Printf("%d files, %.0f MiB of sheet XML, %d sheet rows (%d data rows), %d non-empty cells; %d workers\n",
		len(files), float64(xml)/(1<<20), sheetRows, rows, sheetCells, workers)
	fmt.Printf("%-48s %6s %6s %9s\n", "", "wall", "CPU", "÷ floor")
	line := func(name string, t timing) {
		fmt.Printf("%-48s %5.2fs %5.2fs %8.1f×\n", name, t.wall.Seconds(), t.cpu.Seconds(), t.wall.Seconds()/floor.wall.Seconds())
	}
	line(fmt.Sprintf("inflate only (the floor), %d workers", workers), floor)
	line("inflate only, 1 worker", floor1)
	line(fmt.Sprintf("inflate only, Go's compress/flate, %d workers", workers), floorStd)
	line("XML reader: every row and cell", scan)
	line("ingest.Read: records, checked and deduplicated", read)
	line("ingest.Read, its first run (fresh memory)", first)
}

// countRows reads every sheet as ingest does, on workers goroutines.
func countRows(files []string, workers int) (rows, cells int, err error) {
	var mu sync.Mutex
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for f := range next {
				r, c, e := xlsx.CountRows(f, datasetOf(f))
				mu.Lock()
				rows, cells = rows+r, cells+c
				if err == nil {
					err = e
				}
				mu.Unlock()
			}
		})
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	return rows, cells, err
}

// datasetOf names the sheet ingest reads in a file of the generated data:
// the dataset the file is named after.
func datasetOf(file string) string {
	for _, name := range report.DatasetNames {
		if strings.HasPrefix(filepath.Base(file), name) {
			return name
		}
	}
	return ""
}

type timing struct{ wall, cpu time.Duration }

// fastest runs f n times and returns the fastest run's wall and CPU time.
func fastest(n int, f func()) timing {
	best, _ := fastestAndFirst(n, f)
	return best
}

func fastestAndFirst(n int, f func()) (best, first timing) {
	for i := range n {
		cpu0, start := cpuTime(), time.Now()
		f()
		t := timing{time.Since(start), cpuTime() - cpu0}
		if i == 0 {
			first = t
		}
		if i == 0 || t.wall < best.wall {
			best = t
		}
	}
	return best, first
}

func cpuTime() time.Duration {
	var u syscall.Rusage
	check(syscall.Getrusage(syscall.RUSAGE_SELF, &u))
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "readfloor:", err)
		os.Exit(1)
	}
}
