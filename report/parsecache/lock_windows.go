//go:build windows

package parsecache

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes an exclusive lock on the first byte of f if no other open
// file holds one; the lock goes with the handle, a killed process's too.
func tryLock(f *os.File) (bool, error) {
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	return err == nil, err
}

// replaceClosing closes next, then puts it in place of the file at path:
// Windows renames no open file.
func replaceClosing(next *os.File, path string) error {
	if err := next.Close(); err != nil {
		return err
	}
	return os.Rename(next.Name(), path)
}
