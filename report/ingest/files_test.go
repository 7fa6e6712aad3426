//go:build unix

package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"bulletin/report"
)

// Only regular files inside the data folder are read: a link out of it, a
// FIFO or a device named like an export is refused by name, and what it
// holds is never read.
func TestOnlyRegularFilesInsideTheDataFolder(t *testing.T) {
	cfg := loadConfig(t)
	good := [][]string{{"诉件编号", "诉件类型", "受理日期", "所属中队"}, {"C1", "投诉", "2025-05-02", "北站"}}
	cases := []struct {
		name, file string
		make       func(t *testing.T, root, path string)
		reason     string
	}{
		{"link to a secrets file outside", "诉件.csv", func(t *testing.T, root, path string) {
			secret := filepath.Join(t.TempDir(), "secrets.csv")
			writeCSV(t, secret, [][]string{{"SECRET-LINE-诉件编号", "诉件类型", "受理日期", "所属中队"}}, nil, false)
			symlink(t, secret, path)
		}, "是指向数据文件夹之外"},
		{"/dev/zero named .xlsx", "诉件.xlsx", func(t *testing.T, root, path string) { symlink(t, "/dev/zero", path) }, "是指向数据文件夹之外（/dev/zero）"},
		{"FIFO", "诉件.csv", func(t *testing.T, root, path string) {
			mkdir(t, path)
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "是命名管道（FIFO）"},
		{"link to a FIFO inside", "诉件.csv", func(t *testing.T, root, path string) {
			fifo := filepath.Join(root, "pipe")
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			symlink(t, fifo, path)
		}, "是命名管道（FIFO）"},
		{"link to a folder", "诉件.xlsx", func(t *testing.T, root, path string) { symlink(t, root, path) }, "是文件夹"},
		{"dangling link", "诉件.csv", func(t *testing.T, root, path string) { symlink(t, filepath.Join(root, "gone.csv"), path) }, "无法读取文件"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			writeXLSX(t, filepath.Join(root, "2025-05", "案件.xlsx"), "案件", [][]any{caseHeader, caseRow("A1", "北站", "2025-05-01", "")})
			path := filepath.Join(root, "2025-05", tc.file)
			tc.make(t, root, path)
			ds, q := read(t, cfg, root, "2025-05", "2025-05")
			if len(q.Files) != 1 || q.Files[0].File != path || !strings.Contains(q.Files[0].Reason, tc.reason) {
				t.Fatalf("file errors %+v: want %s refused with %q", q.Files, path, tc.reason)
			}
			if len(ds.Cases) != 1 || len(ds.Complaints) != 0 || !contains(ds.Missing, report.DatasetComplaints) {
				t.Errorf("cases %d, complaints %d, missing %v", len(ds.Cases), len(ds.Complaints), ds.Missing)
			}
			for _, w := range q.Warnings {
				if strings.Contains(w.Example, "SECRET") {
					t.Errorf("the linked file was read: %+v", w)
				}
			}
		})
	}

	// A link to an export inside the data folder is read.
	root := t.TempDir()
	writeCSV(t, filepath.Join(root, "exports", "诉件 May.csv"), good, nil, false)
	symlink(t, filepath.Join(root, "exports", "诉件 May.csv"), filepath.Join(root, "2025-05", "诉件.csv"))
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || len(q.Files) != 0 {
		t.Errorf("a link inside the data folder: complaints %+v, file errors %+v", ds.Complaints, q.Files)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	mkdir(t, link)
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// A read that waits too long is abandoned with a message: a FIFO whose
// writer never writes stands for a file on a network drive that stopped
// answering. (openExport refuses FIFOs; here one is handed to the reading
// step directly.)
func TestSlowReadAbandoned(t *testing.T) {
	cfg := loadConfig(t)
	path := filepath.Join(t.TempDir(), "诉件.csv")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	writer, err := os.OpenFile(path, os.O_RDWR, 0) // a writer that never writes
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	f, err := openNonBlocking(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := newReader(cfg, Options{FileTimeout: 50 * time.Millisecond})
	job := fileJob{kind: datasetOfName(report.DatasetComplaints), dataset: report.DatasetComplaints, path: path, ext: ".csv"}
	c := newCollector([]fileJob{job}, nil, nil)
	res := rd.readWithin(context.Background(), c, job, f, 0)
	if !strings.Contains(res.failure, "读取超过 50ms 仍未完成，已放弃") {
		t.Errorf("failure %q", res.failure)
	}
}

// A data folder given as a relative path, holding a link by absolute path
// to an export inside it, reads the export.
func TestRelativeDataFolder(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	writeCSV(t, filepath.Join(root, "exports", "诉件.csv"), [][]string{{"诉件编号", "诉件类型", "受理日期", "所属中队"}, {"C1", "投诉", "2025-05-02", "北站"}}, nil, false)
	symlink(t, filepath.Join(root, "exports", "诉件.csv"), filepath.Join(root, "2025-05", "诉件.csv"))
	t.Chdir(filepath.Dir(root))
	ds, q := read(t, cfg, filepath.Base(root), "2025-05", "2025-05")
	if len(ds.Complaints) != 1 || len(q.Files) != 0 {
		t.Errorf("complaints %+v, file errors %+v", ds.Complaints, q.Files)
	}
}

// changedSince tells a file written while it was read (an export still
// being saved), which readOpened then refuses: the same size with a new
// time of change, or another size.
func TestChangedSince(t *testing.T) {
	path := filepath.Join(t.TempDir(), "诉件.xlsx")
	writeFile(t, path, []byte("first version"))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	before, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if changedSince(f, before) {
		t.Fatal("an untouched file reads as changed")
	}
	writeFile(t, path, []byte("other version"))
	later := before.ModTime().Add(time.Second)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if !changedSince(f, before) {
		t.Error("rewritten in place, the same size: not told")
	}
	writeFile(t, path, []byte("short"))
	if err := os.Chtimes(path, before.ModTime(), before.ModTime()); err != nil {
		t.Fatal(err)
	}
	if !changedSince(f, before) {
		t.Error("cut short, its time of change given back: not told")
	}
}
