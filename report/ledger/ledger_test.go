package ledger

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"bulletin/report"
)

var (
	may = report.MonthPeriod(report.Month{Year: 2025, Month: time.May})
	h1  = report.HalfPeriod(report.Half{Year: 2025, N: 1})
	at  = time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
)

func mustAppend(t *testing.T, l *Ledger, entries ...Entry) {
	t.Helper()
	for _, e := range entries {
		if notice, err := l.Append(e); err != nil || notice != nil {
			t.Fatalf("Append(%+v) = %v, %v", e, notice, err)
		}
	}
}

func TestAppendAndRead(t *testing.T) {
	l := Open(t.TempDir())
	mustAppend(t, l,
		Entry{Period: may, State: Sending, At: at},
		Entry{Period: may, State: Sent, At: at.Add(time.Second), Reply: "250 2.0.0 queued as ABC"},
		Entry{Period: h1, State: Held, At: at, Reason: "诉件 unreadable"},
	)
	entries, notice, err := l.Entries()
	if err != nil || notice != nil || len(entries) != 3 {
		t.Fatalf("Entries = %+v, %v, %v", entries, notice, err)
	}
	if e := entries[1]; e.Period != may || e.Kind != report.PeriodMonthly || e.State != Sent || e.Reply != "250 2.0.0 queued as ABC" {
		t.Errorf("entry 2 = %+v", e)
	}
	if e := entries[2]; e.Key() != "halfyear 2025-H1" || e.Kind != report.PeriodHalfYear {
		t.Errorf("entry 3 = %+v", e)
	}
	data, _ := os.ReadFile(l.Path())
	if !strings.Contains(string(data), `"kind":"monthly","period":"2025-05"`) {
		t.Errorf("ledger line format changed: %s", data)
	}
}

// TestTornTailIsSetAsideAndNeverBlocks: a crash or a full disk in the
// middle of an append leaves a torn last line. Reading skips it with a
// notice; the next append moves it aside, so the ledger reads clean again
// and the new entry is not glued to the torn one.
func TestTornTailIsSetAsideAndNeverBlocks(t *testing.T) {
	for name, tail := range map[string]string{
		"torn line":               `{"kind":"monthly","period":"2025-05","sta`,
		"torn line with newline":  "{\"kind\":\"monthly\",\"per\n",
		"zeros of a lost block":   "\x00\x00\x00\x00",
		"line without a period":   "{\"state\":\"sent\"}\n",
		"kind and period at odds": "{\"kind\":\"halfyear\",\"period\":\"2025-05\",\"state\":\"sent\"}\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			l := Open(dir)
			mustAppend(t, l, Entry{Period: may, State: Sending, At: at})
			f, _ := os.OpenFile(l.Path(), os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(tail)
			f.Close()

			entries, notice, err := l.Entries()
			if err != nil || len(entries) != 1 || entries[0].State != Sending {
				t.Fatalf("entries = %+v, %v", entries, err)
			}
			if notice == nil || notice.Line != 2 || !strings.Contains(notice.String(), "第2行不完整") {
				t.Fatalf("notice = %v, want line 2 named", notice)
			}

			notice, err = l.Append(Entry{Period: may, State: Failed, At: at, Reason: "x"})
			if err != nil || notice == nil || notice.Moved == "" {
				t.Fatalf("Append after a torn tail: notice %v, err %v", notice, err)
			}
			kept, err := os.ReadFile(notice.Moved)
			if err != nil || !strings.Contains(string(kept), tail) {
				t.Errorf("the torn tail was not kept in %s: %q, %v", notice.Moved, kept, err)
			}
			entries, notice, err = l.Entries()
			if err != nil || notice != nil || len(entries) != 2 || entries[1].State != Failed {
				t.Fatalf("after the repair: %+v, %v, %v", entries, notice, err)
			}
		})
	}
}

func TestDamagedMiddleLineIsAnError(t *testing.T) {
	l := Open(t.TempDir())
	good := `{"kind":"monthly","period":"2025-05","state":"sent","at":"2025-06-01T08:00:00Z"}`
	os.WriteFile(l.Path(), []byte(good+"\nnot json\n"+good+"\n"), 0o644)
	entries, _, err := l.Entries()
	if err == nil || !strings.Contains(err.Error(), "第2行") || !strings.Contains(err.Error(), "delivery.json") {
		t.Fatalf("err = %v, want line 2 named and what to repair it from", err)
	}
	if len(entries) != 2 {
		t.Errorf("the lines that read: %+v, want both", entries)
	}
	if _, err := l.Append(Entry{Period: may, State: Sent}); err == nil {
		t.Fatal("Append went on past a damaged middle line")
	}
}

// TestLockExcludesAnotherProcess holds the lock in this process and checks
// that a second process (flock(1) from util-linux) cannot take it.
func TestLockExcludesAnotherProcess(t *testing.T) {
	flock, err := exec.LookPath("flock")
	if err != nil {
		t.Fatal("flock(1) not installed (util-linux)")
	}
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	lockFile := dir + "/.delivery.lock"
	if err := exec.Command(flock, "--nonblock", lockFile, "true").Run(); err == nil {
		t.Fatal("a second process took the lock while it was held")
	}
	// A second taker in this process waits, and gives up with its context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Lock(ctx, dir); err != context.Canceled {
		t.Fatalf("Lock with a cancelled context = %v", err)
	}
	if err := unlock(); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(flock, "--nonblock", lockFile, "true").CombinedOutput(); err != nil {
		t.Fatalf("lock not released: %v %s", err, out)
	}
}
