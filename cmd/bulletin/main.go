// Command bulletin builds the supervision bulletin of the Jing'an urban
// management law enforcement bureau from the month's exports, and delivers it.
// Run "bulletin help" for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"bulletin/report/hugepages"
)

// gcPercent lets the heap grow by 40% of what is live before the next
// collection, not by the default 100%: a run holds its records until it
// ends (a city's year keeps about 330 MiB live), so doubling that costs
// memory. A city's year peaks under 500 MiB; with the default, since the
// heap has huge pages, it often runs faster (by up to a sixth) but peaks
// over 512 MiB (bench/README.md). GOGC in the environment overrides it.
const gcPercent = 40

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if hugeHeap(os.Args[1:]) {
		hugepages.AdviseHeap() // first, while the heap is fresh: see the package
	}
	stopProfile := startCPUProfile(os.Getenv("BULLETIN_CPUPROFILE"))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	stopProfile()
	os.Exit(exitCode(err))
}

// startCPUProfile writes a CPU profile of the run to path, if not empty:
// bench/pgo.sh makes the profile the build optimizes for (default.pgo)
// from runs on a city's year. It returns what ends the profile.
func startCPUProfile(path string) (stop func()) {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "BULLETIN_CPUPROFILE:", err)
		os.Exit(1)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "BULLETIN_CPUPROFILE:", err)
		}
	}
}
