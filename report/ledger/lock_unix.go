//go:build unix

package ledger

import (
	"os"
	"syscall"
)

// lockFile waits for an exclusive flock on f.
func lockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_EX) }

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }
