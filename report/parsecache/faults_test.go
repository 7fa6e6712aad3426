//go:build unix

package parsecache

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// TestKilledRunLeavesNoNextVersionBehind: a run killed while it writes the
// cache's next version (SIGKILL, a power cut) leaves it beside the
// outputs; the next run to open the cache removes it, and only it: not
// the next version of a run still writing, nor any other file. The runs
// write next versions because another holds the file (holdLock).
func TestKilledRunLeavesNoNextVersionBehind(t *testing.T) {
	if path := os.Getenv("PARSECACHE_TEST_DIE_WRITING"); path != "" {
		s := Open(path)
		s.Put("k2", filepath.Join(filepath.Dir(path), "诉件.xlsx"), sampleEntry("诉件.xlsx"))
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
	path, _ := oneEntryCache(t, "读取缓存-可删除.cache")
	dir := filepath.Dir(path)
	holdLock(t, path)

	child := exec.Command(os.Args[0], "-test.run=^TestKilledRunLeavesNoNextVersionBehind$", "-test.count=1")
	child.Env = append(os.Environ(), "PARSECACHE_TEST_DIE_WRITING="+path)
	out, err := child.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the child was not killed: %v\n%s", err, out)
	}
	left := nextVersions(t, dir, path)
	if len(left) != 1 {
		t.Fatalf("the killed run left %q, want its one next version", left)
	}

	// The next run removes it, and writes its own next version.
	other := filepath.Join(dir, "案件.xlsx")
	os.WriteFile(other, []byte("y"), 0o644)
	live := Open(path)
	if _, err := os.Stat(left[0]); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed run's next version is still there: %v", err)
	}
	live.Put("k3", other, sampleEntry(other))
	writing := nextVersions(t, dir, path)
	if len(writing) != 1 {
		t.Fatalf("next versions %q, want the live run's", writing)
	}

	// A run opening the cache while that one writes removes nothing of it,
	// nor files that are not a next version.
	base := filepath.Base(path)
	others := []string{"." + base + ".tmp.keep", "草稿.tmp", base + ".1.tmp", "." + base + ".tmp", "." + base + ".x.1.tmp", "." + base + ".1.tmp.keep"}
	for _, name := range others {
		os.WriteFile(filepath.Join(dir, name), []byte("mine"), 0o644)
	}
	s := Open(path)
	if _, ok := s.Get("k1", nil); !ok {
		t.Error("the cache as it was before the killed run is lost")
	}
	s.Close()
	if got := nextVersions(t, dir, path); len(got) != 1 || got[0] != writing[0] {
		t.Errorf("next versions %q after another run opened the cache, want %q", got, writing)
	}
	for _, name := range others {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if err := live.Close(); err != nil {
		t.Fatalf("the live run could not complete its cache: %v", err)
	}
	s = Open(path)
	defer s.Close()
	for _, key := range []string{"k1", "k3"} {
		if _, ok := s.Get(key, nil); !ok {
			t.Errorf("the live run's cache lacks %s", key)
		}
	}
}

// TestFullDiskWhileAppending: an appending run whose write fails part way
// (the file size limit stands in for a full disk) leaves the file as it
// was, byte for byte, says so at Close, and the next run appends again.
func TestFullDiskWhileAppending(t *testing.T) {
	if path := os.Getenv("PARSECACHE_TEST_FULL_DISK"); path != "" {
		info, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		// Room for the entry's header and part of its payload.
		limit := uint64(info.Size()) + 400
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
			t.Fatal(err)
		}
		s := Open(path)
		if !s.appending {
			t.Fatal("the run does not append")
		}
		s.Put("k2", filepath.Join(filepath.Dir(path), "诉件.xlsx"), sampleEntry("诉件.xlsx"))
		if err := s.Close(); !errors.Is(err, syscall.EFBIG) {
			t.Fatalf("Close after the failed write said %v", err)
		}
		return
	}
	path, _ := oneEntryCache(t, "读取缓存-可删除.cache")
	before, _ := os.ReadFile(path)
	child := exec.Command(os.Args[0], "-test.run=^TestFullDiskWhileAppending$", "-test.count=1")
	child.Env = append(os.Environ(), "PARSECACHE_TEST_FULL_DISK="+path)
	if out, err := child.CombinedOutput(); err != nil {
		t.Fatalf("the run on a full disk: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
		t.Errorf("the file is %d bytes, was %d: the failed write was not undone", len(after), len(before))
	}
	if left := nextVersions(t, filepath.Dir(path), path); len(left) != 0 {
		t.Errorf("%q left beside", left)
	}
	s := Open(path)
	defer s.Close()
	if _, ok := s.Get("k1", nil); !ok || !s.appending {
		t.Errorf("after the failed run: k1 %v, appending %v (%q)", ok, s.appending, s.Ignored)
	}
}

// Two runs at once: the one that locked the file appends, the other writes
// a next version. Whichever closes first, the file left is the writer's,
// whole: the appender's entry went to the file the rename replaced, which
// costs only time. (On Windows the writer's rename fails while the
// appender has the file open: the appender's file stays.)
func TestRunsAtOnceLeaveAWholeFile(t *testing.T) {
	for _, appenderFirst := range []bool{true, false} {
		path, _ := oneEntryCache(t, "cache")
		a, w := filepath.Join(filepath.Dir(path), "案件.xlsx"), filepath.Join(filepath.Dir(path), "抽查明细.xlsx")
		for _, f := range []string{a, w} {
			os.WriteFile(f, []byte("y"), 0o644)
		}
		appender, writer := Open(path), Open(path)
		if !appender.appending || writer.appending {
			t.Fatalf("appending: %v and %v, want the first run only", appender.appending, writer.appending)
		}
		appender.Put("kA", a, sampleEntry(a))
		writer.Put("kW", w, sampleEntry(w))
		first, last := appender, writer
		if !appenderFirst {
			first, last = writer, appender
		}
		if err := errors.Join(first.Close(), last.Close()); err != nil {
			t.Fatal(err)
		}
		s := Open(path)
		_, gotA := s.Get("kA", nil)
		_, gotW := s.Get("kW", nil)
		_, got1 := s.Get("k1", nil)
		if s.Ignored != "" || gotA || !gotW || !got1 {
			t.Errorf("appender first %v: kA %v, kW %v, k1 %v (%q); want the writer's file", appenderFirst, gotA, gotW, got1, s.Ignored)
		}
		s.Close()
		if left := nextVersions(t, filepath.Dir(path), path); len(left) != 0 {
			t.Errorf("appender first %v: %q left beside", appenderFirst, left)
		}
	}
}
