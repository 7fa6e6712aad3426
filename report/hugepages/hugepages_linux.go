package hugepages

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// hugePage is the size of a transparent huge page on x86-64 and on arm64
// with 4 KiB pages; where it is larger, advising whole 2 MiB pages does no
// harm and the kernel uses what it can.
const hugePage = 2 << 20

// heapAdvised is how much of the heap AdviseHeap asks huge pages for: a
// run over a city's year peaks under 500 MiB.
const heapAdvised = 1 << 30

// Advise asks the kernel to back the memory of s, not yet touched, with
// huge pages: the whole 2 MiB pages inside it. Where the advice fails, or
// GODEBUG=disablethp=1 asks for small pages, nothing changes.
func Advise[T any](s []T) {
	if !smallPagesAsked() {
		advise(uintptr(unsafe.Pointer(unsafe.SliceData(s))), uintptr(cap(s))*unsafe.Sizeof(*new(T)))
	}
	runtime.KeepAlive(s)
}

// smallPagesAsked is thpDisabled for this process, read once: Advise runs
// each time a dataset's records or id index grow.
var smallPagesAsked = sync.OnceValue(func() bool { return thpDisabled(os.Getenv("GODEBUG")) })

// advise advises the whole huge pages in the size bytes at p, which the
// caller keeps alive, and reports whether the kernel took the advice.
func advise(p, size uintptr) bool {
	skip := (hugePage - p%hugePage) % hugePage
	if size < skip+hugePage {
		return false
	}
	whole := (size - skip) / hugePage * hugePage
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, p+skip, whole, syscall.MADV_HUGEPAGE)
	return errno == 0
}

// AdviseHeap asks for huge pages for the Go heap's next GiB, at the start
// of a process that reads exports and ends, and reports whether it did;
// calls after the first do nothing and report the first's answer. The Go
// runtime maps its heap as it grows and never asks for huge pages itself,
// so this maps the GiB at once (objects allocated and dropped, never
// touched: address space, not memory), advises it, and frees it for the
// allocations to come, which reuse those addresses. What the heap grows
// past it is mapped as before. Not for a resident process: the Go team
// took the same advice out of the runtime because over hours the kernel
// fills freed memory back into huge pages.
var AdviseHeap = sync.OnceValue(func() bool {
	if !applies() || !mappable(heapAdvised+heapAdvised/4) { // with room for the heap's own bookkeeping
		return false
	}
	advised := mapAndAdvise(heapAdvised)
	runtime.GC() // the objects, unreachable now, are freed for reuse
	return advised
})

// applies is heapAdviceApplies for this process and machine; not on 32
// bits, where a GiB is a quarter of the address space.
func applies() bool {
	return unsafe.Sizeof(uintptr(0)) == 8 && heapAdviceApplies(setting("/sys/kernel/mm/transparent_hugepage/enabled"),
		setting("/proc/sys/vm/overcommit_memory"), os.Getenv("GODEBUG"), debug.SetMemoryLimit(-1))
}

// mappable reports whether the kernel maps size bytes now: the runtime
// cannot fail an allocation gracefully, so a limit on the address space
// (ulimit -v) or memory the kernel would not overcommit must be found
// before the heap asks.
func mappable(size int) bool {
	m, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return false
	}
	return syscall.Munmap(m) == nil
}

// mapAndAdvise makes the heap map size bytes, in huge-page pieces held
// until all are allocated, and advises the span they lie in. The runtime
// zeroes an object placed in memory the heap used before: a piece that
// lands there costs 2 MiB of writes, where one object of a GiB would cost
// a GiB. The collector waits meanwhile: the pieces are all live.
func mapAndAdvise(size int) bool {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	pieces := make([][]byte, size/hugePage)
	lo, hi := ^uintptr(0), uintptr(0)
	for i := range pieces {
		pieces[i] = make([]byte, hugePage)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(pieces[i])))
		lo, hi = min(lo, p), max(hi, p+hugePage)
	}
	advised := advise(lo, hi-lo)
	runtime.KeepAlive(pieces)
	return advised
}

// setting is a kernel setting's file, "" if it cannot be read.
func setting(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return string(b)
}

// heapAdviceApplies reports whether AdviseHeap should advise, given the
// kernel's transparent huge page mode (the contents of
// /sys/kernel/mm/transparent_hugepage/enabled, the selected mode in
// brackets), its overcommit mode (/proc/sys/vm/overcommit_memory), the
// process's GODEBUG and its memory limit (math.MaxInt64 when none):
//   - only in mode madvise: under always the heap has huge pages already,
//     under never it gets none whatever it asks;
//   - only where memory is overcommitted (modes 0 and 1): under mode 2 the
//     GiB mapped up front would be charged in full;
//   - not when GODEBUG=disablethp=1 asks the Go runtime for small pages;
//   - not under a memory limit (GOMEMLIMIT), which the GiB, mapped and
//     live for a moment, would exceed.
func heapAdviceApplies(thp, overcommit, godebug string, memoryLimit int64) bool {
	mode := strings.TrimSpace(overcommit)
	return strings.Contains(thp, "[madvise]") && (mode == "0" || mode == "1") &&
		!thpDisabled(godebug) && memoryLimit == math.MaxInt64
}

// thpDisabled reports whether GODEBUG sets disablethp=1, the last setting
// of it counting, as the runtime reads it.
func thpDisabled(godebug string) bool {
	disabled := false
	for kv := range strings.SplitSeq(godebug, ",") {
		if value, ok := strings.CutPrefix(kv, "disablethp="); ok {
			disabled = value == "1"
		}
	}
	return disabled
}
