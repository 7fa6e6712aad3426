//go:build !linux

package hugepages

// Advise does nothing here: transparent huge pages are Linux's.
func Advise[T any](s []T) {}

// AdviseHeap does nothing here, and reports that.
func AdviseHeap() bool { return false }
