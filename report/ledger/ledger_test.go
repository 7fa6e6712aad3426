package ledger

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestAppendAndLatest(t *testing.T) {
	l := Open(t.TempDir())
	at := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	for _, e := range []Entry{
		{Kind: "monthly", Period: "2025-05", State: Sending, At: at},
		{Kind: "monthly", Period: "2025-05", State: Sent, At: at.Add(time.Second), Reply: "250 2.0.0 queued as ABC"},
		{Kind: "halfyear", Period: "2025-H1", State: Held, At: at, Reason: "诉件 unreadable"},
	} {
		if err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	latest, err := l.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if got := latest["monthly 2025-05"]; got.State != Sent || got.Reply != "250 2.0.0 queued as ABC" {
		t.Errorf("latest monthly = %+v", got)
	}
	if got := latest["halfyear 2025-H1"]; got.State != Held {
		t.Errorf("latest halfyear = %+v", got)
	}
}

func TestTornLastLineIsSkipped(t *testing.T) {
	dir := t.TempDir()
	l := Open(dir)
	if err := l.Append(Entry{Kind: "monthly", Period: "2025-05", State: Sending}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(l.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"kind":"monthly","period":"2025-05","sta`)
	f.Close()
	entries, err := l.Entries()
	if err != nil || len(entries) != 1 || entries[0].State != Sending {
		t.Fatalf("entries = %+v, %v", entries, err)
	}
}

func TestDamagedMiddleLineIsAnError(t *testing.T) {
	l := Open(t.TempDir())
	os.WriteFile(l.Path(), []byte("{\"kind\":\"monthly\"}\nnot json\n{\"kind\":\"monthly\"}\n"), 0o644)
	if _, err := l.Entries(); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want line 2 named", err)
	}
}

// TestLockExcludesAnotherProcess holds the lock in this process and checks
// that a second process (flock(1) from util-linux) cannot take it.
func TestLockExcludesAnotherProcess(t *testing.T) {
	flock, err := exec.LookPath("flock")
	if err != nil {
		t.Skip("flock(1) not installed")
	}
	dir := t.TempDir()
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	lockFile := dir + "/.delivery.lock"
	if err := exec.Command(flock, "--nonblock", lockFile, "true").Run(); err == nil {
		t.Fatal("a second process took the lock while it was held")
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(flock, "--nonblock", lockFile, "true").CombinedOutput(); err != nil {
		t.Fatalf("lock not released: %v %s", err, out)
	}
}
