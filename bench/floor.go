package bench

import (
	"archive/zip"
	"io"
	"strings"
	"sync"
	"sync/atomic"
)

// InflateFloor inflates the worksheet and shared-strings parts of the
// .xlsx files among files with archive/zip and inflate, and discards the
// bytes, on workers goroutines (one file each at a time, as ingest reads
// them). With the inflater ingest uses (xlsx.Inflater), no reader of those
// files can take less time than this: the floor reading is measured
// against. It returns the bytes of XML inflated.
func InflateFloor(files []string, workers int, inflate zip.Decompressor) (int64, error) {
	var (
		total atomic.Int64
		next  = make(chan string)
		errs  = make(chan error, workers)
		wg    sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			buf := make([]byte, 256<<10)
			for f := range next {
				n, err := inflateSheets(f, buf, inflate)
				total.Add(n)
				if err != nil {
					errs <- err
					for range next { // let the feeder finish
					}
					return
				}
			}
		})
	}
	for _, f := range files {
		if strings.HasSuffix(f, ".xlsx") {
			next <- f
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	return total.Load(), <-errs
}

func inflateSheets(file string, buf []byte, inflate zip.Decompressor) (int64, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return 0, err
	}
	defer zr.Close()
	zr.RegisterDecompressor(zip.Deflate, inflate)
	var total int64
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		sheet := strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml")
		if !sheet && name != "xl/sharedstrings.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return total, err
		}
		n, err := io.CopyBuffer(io.Discard, rc, buf)
		rc.Close()
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
