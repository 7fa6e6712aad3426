// Command gen re-makes the embedded sample data set (report/sample/data)
// from the default seed; `go generate ./report/sample` runs it.
package main

import (
	"log"
	"os"

	"bulletin/report/sample"
)

func main() {
	// Write next to the old set and swap, so a failure leaves it intact.
	const dir, next = "data", "data.new"
	if err := os.RemoveAll(next); err != nil {
		log.Fatal(err)
	}
	if err := sample.Generate(next, sample.DefaultOptions()); err != nil {
		log.Fatal(err)
	}
	if err := os.RemoveAll(dir); err != nil {
		log.Fatal(err)
	}
	if err := os.Rename(next, dir); err != nil {
		log.Fatal(err)
	}
}
