package hugepages

import (
	"os"
	"runtime"
	"strings"
	"syscall"
	"unsafe"
)

const hugePage = 2 << 20

// Advise asks the kernel to back the memory of s, not yet touched, with
// huge pages: the whole 2 MiB pages inside it. Where the advice fails,
// nothing changes.
func Advise[T any](s []T) {
	advise(unsafe.Pointer(unsafe.SliceData(s)), uintptr(cap(s))*unsafe.Sizeof(*new(T)))
}

func advise(p unsafe.Pointer, size uintptr) bool {
	skip := (hugePage - uintptr(p)%hugePage) % hugePage
	if size < skip+hugePage {
		return false
	}
	whole := (size - skip) / hugePage * hugePage
	return syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, skip)), whole), syscall.MADV_HUGEPAGE) == nil
}

// AdviseHeap asks for huge pages for the Go heap's next GiB (a run over a
// city's year peaks under 600 MiB), once, at the start of a process, and
// reports whether it did. The Go runtime maps its heap as it grows and
// never asks for huge pages itself, so this maps the GiB at once (an
// object allocated and dropped, never touched: address space, not
// memory), advises it, and frees it for the allocations to come, which
// reuse those addresses. What the heap grows past it is mapped as before.
func AdviseHeap() bool {
	// Not on 32 bits, where a GiB is a quarter of the address space.
	if unsafe.Sizeof(uintptr(0)) < 8 || !heapAdviceApplies(setting("/sys/kernel/mm/transparent_hugepage/enabled"),
		setting("/proc/sys/vm/overcommit_memory"), os.Getenv("GODEBUG")) {
		return false
	}
	advised := mapAndAdvise(1 << 30)
	runtime.GC() // the mapped object, unreachable now, is freed for reuse
	return advised
}

func mapAndAdvise(size int) bool {
	mapped := make([]byte, size)
	return advise(unsafe.Pointer(unsafe.SliceData(mapped)), uintptr(size))
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
// brackets), its overcommit mode (/proc/sys/vm/overcommit_memory) and the
// process's GODEBUG:
//   - only in mode madvise: under always the heap has huge pages already,
//     under never it gets none whatever it asks;
//   - only where memory is overcommitted (modes 0 and 1): the heap is
//     mapped up front and never touched, which costs nothing there, but
//     under mode 2 is charged in full and could make the run fail;
//   - not when GODEBUG=disablethp=1 asks the Go runtime for small pages.
func heapAdviceApplies(thp, overcommit, godebug string) bool {
	if !strings.Contains(thp, "[madvise]") {
		return false
	}
	if mode := strings.TrimSpace(overcommit); mode != "0" && mode != "1" {
		return false
	}
	for setting := range strings.SplitSeq(godebug, ",") {
		if strings.TrimSpace(setting) == "disablethp=1" {
			return false
		}
	}
	return true
}
