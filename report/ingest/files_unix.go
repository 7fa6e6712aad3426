//go:build unix

package ingest

import (
	"os"
	"syscall"
)

// openNonBlocking opens path without waiting for a writer should it be a
// FIFO after all.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
