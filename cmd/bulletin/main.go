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

// defaultMemoryLimit is the heap size above which the collector works
// harder rather than let the heap double: a city's year of exports keeps
// about 400 MiB of records live, and without a limit a run peaks near
// 1 GiB. It is a soft limit: a run that needs more still gets it.
// GOMEMLIMIT in the environment overrides it.
const defaultMemoryLimit = 768 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err))
}
