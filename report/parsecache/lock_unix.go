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

// replaceClosing puts next in place of the file at path, then closes it:
// it stays locked until it is in place, where no run removes it.
func replaceClosing(next *os.File, path string) error {
	if err := os.Rename(next.Name(), path); err != nil {
		return err
	}
	return next.Close()
}
