//go:build unix

package parsecache

import (
	"errors"
	"os"
	"syscall"
)

// tryLock takes an exclusive lock on f if no other open file holds one;
// the lock goes with the last descriptor of f, a killed process's too.
func tryLock(f *os.File) (bool, error) {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

// replaceClosing puts next in place of old, the file at path, then closes
// next: it stays locked until it is in place, where no run removes it. Old
// (nil if there was none) stays locked too, so that no run appends to it
// once it is replaced; its owner closes it.
func replaceClosing(next, old *os.File, path string) error {
	if err := os.Rename(next.Name(), path); err != nil {
		return err
	}
	return next.Close()
}
