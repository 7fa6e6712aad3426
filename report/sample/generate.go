package sample

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

type generator struct {
	opt          Options
	first, last  month
	world        *world
	squadWeights []float64
	squadTotal   float64
}

// Generate writes a data root into dir: one folder per month from
// opt.First to opt.Last, each holding that month's six exports as the
// package documentation describes. Existing files of the same names are
// replaced; each file is written to a temp file and renamed into place.
func Generate(dir string, opt Options) error {
	o, err := opt.withDefaults()
	if err != nil {
		return err
	}
	g := &generator{opt: o}
	g.first, _ = parseMonth(o.First)
	g.last, _ = parseMonth(o.Last)
	for i := range o.Squads {
		g.squadWeights = append(g.squadWeights, squadWeight(i))
	}
	g.squadTotal = sum(g.squadWeights)
	g.buildWorld()

	type job struct {
		dir string
		m   month
		ds  int
	}
	var jobs []job
	for m := g.first; m <= g.last; m++ {
		folder := filepath.Join(dir, m.String())
		if err := os.MkdirAll(folder, 0o755); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
		for ds := range datasetCount {
			jobs = append(jobs, job{folder, m, ds})
		}
	}
	// Files are independent (each draws from its own random stream), so
	// they are written in parallel and still come out byte-identical.
	work := make(chan int)
	errs := make([]error, len(jobs))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				errs[i] = g.writeFile(jobs[i].dir, jobs[i].m, jobs[i].ds)
			}
		})
	}
	for i := range jobs {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("sample: %w", err)
		}
	}
	return nil
}

var writers = [datasetCount]func(*generator, *table, month) error{
	dsCases:       (*generator).writeCases,
	dsSamples:     (*generator).writeSamples,
	dsInspections: (*generator).writeInspections,
	dsComplaints:  (*generator).writeComplaints,
	dsWeekly:      (*generator).writeWeekly,
	dsLedger:      (*generator).writeLedger,
}

func (g *generator) writeFile(dir string, m month, ds int) error {
	t, err := g.newTable(dir, m, ds)
	if err != nil {
		return err
	}
	if err := writers[ds](g, t, m); err != nil {
		t.sink.abort()
		return err
	}
	return t.close()
}
