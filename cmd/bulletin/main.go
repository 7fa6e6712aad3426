// Command bulletin builds the supervision bulletin of the Jing'an urban
// management law enforcement bureau from the month's exports, and delivers it.
// Run "bulletin help" for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// gcPercent lets the heap grow by 40% of what is live before the next
// collection, not by the default 100%: a run holds its records until it
// ends (a city's year keeps about 330 MiB live), so doubling that would
// only cost memory, and touching fresh memory is itself slow on a virtual
// machine. A city's year peaks under 480 MiB and costs no more time than
// with the default (bench/README.md). GOGC in the environment overrides it.
const gcPercent = 40

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}
