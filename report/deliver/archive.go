package deliver

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"bulletin/report"
)

// DirArchive keeps each delivery in a folder of the period's output folder.
// The folder is filled under a temporary name and renamed when complete, so
// that an archive folder is never half written.
type DirArchive struct{}

func (DirArchive) Keep(dir, name string, files []File) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(dir, "."+name+"*.tmp")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // gone after the rename; left over only on failure
	for _, f := range files {
		if err := report.WriteFileAtomic(filepath.Join(tmp, f.Name), f.Data); err != nil {
			return "", err
		}
	}
	base := filepath.Join(dir, name)
	for n := 1; ; n++ {
		target := base
		if n > 1 {
			target = fmt.Sprintf("%s-%d", base, n) // two deliveries within a second
		}
		err := os.Rename(tmp, target)
		if err == nil {
			return target, syncDir(dir)
		}
		if !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
			return "", err
		}
	}
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
