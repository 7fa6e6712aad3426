// Command citygen writes a city-scale year of exports for the benchmarks:
// the sample data set's story and quirks at a large scale, every export an
// .xlsx, in one or both layouts (see bench.Layout).
//
//	go run ./bench/cmd/citygen -out /tmp/city            # /tmp/city/inline and /tmp/city/shared
//	go run ./bench/cmd/citygen -out /tmp/city -layout shared -scale 10
//	go run ./bench/cmd/citygen -out /tmp/five -layout shared -first 2020-12   # five years, ids of their own
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"bulletin/bench"
)

func main() {
	out := flag.String("out", "/tmp/city", "folder to write the data roots into (one per layout); never inside the repository")
	scale := flag.Float64("scale", bench.CityScale, "row counts as a multiple of Jing'an's (79: about 1,000,000 complaint rows)")
	layout := flag.String("layout", "both", "inline, shared or both")
	first := flag.String("first", "", "the first month folder, YYYY-MM (default 2024-12: a year and the December before it)")
	flag.Parse()
	layouts := []bench.Layout{bench.Inline, bench.Shared}
	switch *layout {
	case "both":
	case string(bench.Inline), string(bench.Shared):
		layouts = []bench.Layout{bench.Layout(*layout)}
	default:
		fmt.Fprintf(os.Stderr, "citygen: -layout %q: want inline, shared or both\n", *layout)
		os.Exit(2)
	}
	for _, l := range layouts {
		dir := filepath.Join(*out, string(l))
		start := time.Now()
		if err := os.RemoveAll(dir); err != nil {
			fail(err)
		}
		if err := bench.Generate(dir, *first, *scale, l); err != nil {
			fail(err)
		}
		fmt.Printf("%s: %s written in %.1fs\n", l, dir, time.Since(start).Seconds())
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "citygen:", err)
	os.Exit(1)
}
