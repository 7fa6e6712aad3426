// Command touchmem touches memory and frees it, and prints what the first
// and second touch of each page cost. Run just before a measured run
// (bench/history.sh with WARM_MIB set), it leaves the run memory the host
// already backs. The development VMs give the memory a process frees back
// to their host a couple of seconds after (the kernel's free page
// reporting); a page touched after that costs the host's fault as well as
// the kernel's zeroing: 0.3–2.2 s a GiB in huge pages, where memory freed
// a moment before costs 0.07 s. A run's time then depends on how long ago
// the runs before it freed how much memory, and not only on its own work.
//
//	go run ./bench/cmd/touchmem -mib 1024
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"bulletin/report/hugepages"
)

func main() {
	mib := flag.Int("mib", 1024, "MiB to touch")
	flag.Parse()
	if *mib <= 0 || *mib > math.MaxInt>>20 {
		fmt.Fprintf(os.Stderr, "touchmem: -mib is between 1 and %d\n", math.MaxInt>>20)
		os.Exit(2)
	}
	b := make([]byte, *mib<<20)
	hugepages.Advise(b) // as the runs' heaps are
	first := touch(b, 1)
	second := touch(b, 2)
	fmt.Printf("%d MiB: first touch %v (%.2f s a GiB), second %v\n", *mib, first.Round(time.Millisecond),
		first.Seconds()*1024/float64(*mib), second.Round(time.Millisecond))
}

// touch writes v into every 4 KiB page of b and returns how long it took.
func touch(b []byte, v byte) time.Duration {
	start := time.Now()
	for i := 0; i < len(b); i += 4096 {
		b[i] = v
	}
	return time.Since(start)
}
