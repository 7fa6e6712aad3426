package ingest

import (
	"syscall"
	"unsafe"
)

// adviseHugePages asks the kernel to back the memory of s, not yet
// touched, with huge pages. A dataset's records are hundreds of megabytes
// written once; in 4 KiB pages each is a fault on first touch, and on a
// virtual machine a fault can cost 10 µs, which made the first touch of a
// city's records as slow as reading them. Where transparent huge pages are
// off, or the advice fails, nothing changes.
func adviseHugePages[T any](s []T) {
	const huge = 2 << 20
	p := unsafe.Pointer(unsafe.SliceData(s))
	size := uintptr(cap(s)) * unsafe.Sizeof(*new(T))
	skip := (huge - uintptr(p)%huge) % huge
	if size < skip+huge {
		return
	}
	_ = syscall.Madvise(unsafe.Slice((*byte)(unsafe.Add(p, skip)), (size-skip)/huge*huge), syscall.MADV_HUGEPAGE)
}
