//go:build windows

package parsecache

import (
	"errors"
	"os"

	"golang.org/x/sys/windows"
)

// tryLock takes an exclusive lock on f if no other open file holds one;
// the lock goes with the handle, a killed process's too. Windows locks
// bar reading what they cover, so the lock is on a byte far past any
// file's end: other runs still read the file.
func tryLock(f *os.File) (bool, error) {
	past := &windows.Overlapped{OffsetHigh: 1 << 30} // byte 2⁶²
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, past)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return false, nil
	}
	return err == nil, err
}

// replaceClosing closes next and old, the file at path (nil if there was
// none), then puts next in place of old: Windows renames no open file, nor
// over one. Another run that has the file open makes the rename fail,
// which costs that much time.
func replaceClosing(next, old *os.File, path string) error {
	if old != nil {
		old.Close()
	}
	if err := next.Close(); err != nil {
		return err
	}
	return os.Rename(next.Name(), path)
}
