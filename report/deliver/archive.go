package deliver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"bulletin/report"
	"bulletin/report/ledger"
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

// archivedDeliveries are the deliveries recorded in the archive folders of
// a period's output folder dir, each with its folder in Archive (relative
// to out): evidence of what was sent that lives apart from the ledger, so
// that a ledger cut short, emptied or replaced does not read as "never
// sent". A folder whose record cannot be read still counts, as a delivery
// of unknown time: archives are written whole (DirArchive), so such a
// folder was changed by hand, and a person must look.
func archivedDeliveries(out, dir string) ([]ledger.Entry, error) {
	folders, err := filepath.Glob(filepath.Join(dir, ArchivePrefix+"*"))
	if err != nil {
		return nil, err
	}
	var found []ledger.Entry
	for _, folder := range folders {
		if info, err := os.Stat(folder); err != nil || !info.IsDir() {
			continue
		}
		var e ledger.Entry
		data, err := os.ReadFile(filepath.Join(folder, DeliveryRecord))
		if err == nil {
			err = json.Unmarshal(data, &e)
		}
		if err != nil || e.State != ledger.Sent {
			e = ledger.Entry{State: ledger.Sent, Reason: "存档里的 " + DeliveryRecord + " 读不出"}
		}
		e.Archive, _ = filepath.Rel(out, folder)
		found = append(found, e)
	}
	return found, nil
}

// recorded tells whether the ledger's history holds the archived delivery
// e: a Sent entry with its Message-ID and time.
func recorded(e ledger.Entry, history []ledger.Entry) bool {
	for _, h := range history {
		if h.State == ledger.Sent && h.MessageID == e.MessageID && h.At.Equal(e.At) {
			return true
		}
	}
	return false
}
