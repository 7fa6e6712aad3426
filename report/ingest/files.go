package ingest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// openExport opens an export for reading, refusing anything but a regular
// file inside the data folder realRoot (links resolved): a link that leads
// out of it (to a secrets file, to /dev/zero), a FIFO, a device. The file
// opened is checked to be the one examined, so that a FIFO put in its
// place in between is refused too, without blocking on it.
func openExport(realRoot, path string) (*os.File, int64, error) {
	target, err := realPath(path)
	if err != nil {
		return nil, 0, problemf("无法读取文件（%v）", err)
	}
	if !within(realRoot, target) {
		return nil, 0, problemf("是指向数据文件夹之外（%s）的链接，不予读取；请把导出文件本身放进数据文件夹", target)
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, 0, problemf("无法读取文件（%v）", err)
	}
	if !info.Mode().IsRegular() {
		return nil, 0, problemf("%s，不是普通文件，不予读取", kindOfFile(info.Mode()))
	}
	f, err := openNonBlocking(target)
	if err != nil {
		return nil, 0, problemf("无法打开文件（%v）", err)
	}
	opened, err := f.Stat()
	if err != nil || !os.SameFile(info, opened) || !opened.Mode().IsRegular() {
		f.Close()
		return nil, 0, problemf("文件在读取时被替换了，不予读取；请重新运行")
	}
	return f, opened.Size(), nil
}

// realPath is the absolute path of path with every link resolved.
func realPath(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// within reports whether path lies inside the folder root (both real
// paths).
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func kindOfFile(mode fs.FileMode) string {
	switch {
	case mode.IsDir():
		return "是文件夹"
	case mode&fs.ModeNamedPipe != 0:
		return "是命名管道（FIFO）"
	case mode&fs.ModeDevice != 0:
		return "是设备文件"
	case mode&fs.ModeSocket != 0:
		return "是套接字"
	}
	return "是特殊文件"
}
