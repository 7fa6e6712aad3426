//go:build unix

package deliver

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
	"bulletin/report/mail"
)

// A delivery's steps at which TestKilledAtEachStep kills the process, and
// what the next run must find: the period sent once, or waiting for a
// person to confirm (never sent again by itself).
var killSteps = []struct {
	step   string
	after  Action // the next run's decision once it is done
	copies int    // at the bureau in the end
}{
	{"locked", Done, 1},              // before anything: the next run sends
	{"built", Done, 1},               // documents written, nothing recorded
	{"recorded sending", Confirm, 0}, // the mail may or may not have gone: a person finds out
	{"accepted", Confirm, 1},         // the server took it; the reply never got recorded
	{"archived", Confirm, 1},         // archived, "sent" not recorded
	{"recorded sent", Done, 1},       // all done but the lock
}

// TestKilledAtEachStep runs due in a child process (this test binary again)
// that kills itself with SIGKILL at one step of a delivery, then runs due
// in this process on the same output folder and mail server.
func TestKilledAtEachStep(t *testing.T) {
	if step := os.Getenv("DELIVER_TEST_KILL_AT"); step != "" {
		dieDelivering(t, step)
		return
	}
	for _, tc := range killSteps {
		t.Run(tc.step, func(t *testing.T) {
			o := newOffice(t, monthly, halfYear)
			child := exec.Command(os.Args[0], "-test.run=^TestKilledAtEachStep$", "-test.count=1")
			child.Env = append(os.Environ(), "DELIVER_TEST_KILL_AT="+tc.step, "DELIVER_TEST_OUT="+o.out, "DELIVER_TEST_PORT="+strconv.Itoa(o.mail.Port))
			out, err := child.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed at %q: %v\n%s", tc.step, err, out)
			}
			o.setClock("2025-06-01 09:00")
			r, _ := o.due()
			d := o.decision(may)
			if d.Action != tc.after {
				t.Errorf("after a kill at %q May is %v (%s), want %v\n%q", tc.step, d.Action, d.Why, tc.after, r.Lines)
			}
			if d.Action != Done && d.Next == "" {
				t.Errorf("May waits without naming the next step")
			}
			if got := o.perPeriod()["monthly-2025-05"]; got != tc.copies {
				t.Errorf("the bureau holds %d copies, want %d", got, tc.copies)
			}
		})
	}
}

// dieDelivering is the child: due on the parent's folder and server, with
// every part killing the process at its step.
func dieDelivering(t *testing.T, step string) {
	port, err := strconv.Atoi(os.Getenv("DELIVER_TEST_PORT"))
	if err != nil {
		t.Fatal(err)
	}
	out := os.Getenv("DELIVER_TEST_OUT")
	k := killer(step)
	s := New(testConfig(t, port, monthly, halfYear), out, killingBuilder{&builder{out: out}, k},
		func() time.Time { return at("2025-06-01 08:05") }, "")
	s.Ledger = killingLedger{ledger.Open(out), k}
	s.Mailer = MailerFunc(func(ctx context.Context, st mail.Settings, m mail.Message) (mail.Receipt, error) {
		r, err := mail.Send(ctx, st, m)
		if err == nil {
			k.at("accepted")
		}
		return r, err
	})
	s.Archive = killingArchive{k}
	s.Due(context.Background(), false)
	t.Fatalf("the child was not killed at %q", step)
}

type killer string

// at kills the process if it reached the step to die at.
func (k killer) at(step string) {
	if string(k) == step {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {} // the signal is on its way
	}
}

type killingLedger struct {
	*ledger.Ledger
	k killer
}

func (l killingLedger) Lock(ctx context.Context) (func() error, error) {
	unlock, err := l.Ledger.Lock(ctx)
	if err == nil {
		l.k.at("locked")
	}
	return unlock, err
}

func (l killingLedger) Append(e ledger.Entry) (*ledger.Notice, error) {
	n, err := l.Ledger.Append(e)
	l.k.at("recorded " + string(e.State))
	return n, err
}

type killingBuilder struct {
	b *builder
	k killer
}

func (b killingBuilder) Build(ctx context.Context, p report.Period, issued report.Date) (*Documents, error) {
	docs, err := b.b.Build(ctx, p, issued)
	b.k.at("built")
	return docs, err
}

type killingArchive struct{ k killer }

func (a killingArchive) Keep(dir, name string, files []File) (string, error) {
	where, err := DirArchive{}.Keep(dir, name, files)
	a.k.at("archived")
	return where, err
}

// TestConcurrentProcessesDeliverOnce starts four processes running due on
// the same output folder at once (a timer, cron and a person): each period
// arrives once.
func TestConcurrentProcessesDeliverOnce(t *testing.T) {
	if out := os.Getenv("DELIVER_TEST_CONCURRENT_OUT"); out != "" {
		port, err := strconv.Atoi(os.Getenv("DELIVER_TEST_PORT"))
		if err != nil {
			t.Fatal(err)
		}
		s := New(testConfig(t, port, monthly, halfYear), out, &builder{out: out}, func() time.Time { return at("2025-07-06 09:00") }, "")
		if r, err := s.Due(context.Background(), false); err != nil {
			t.Fatalf("%v\n%q", err, r.Lines)
		}
		return
	}
	o := newOffice(t, monthly, halfYear)
	var children []*exec.Cmd
	var outputs []*strings.Builder
	for range 4 {
		child := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcessesDeliverOnce$", "-test.count=1")
		child.Env = append(os.Environ(), "DELIVER_TEST_CONCURRENT_OUT="+o.out, "DELIVER_TEST_PORT="+strconv.Itoa(o.mail.Port))
		var output strings.Builder
		child.Stdout, child.Stderr = &output, &output
		if err := child.Start(); err != nil {
			t.Fatal(err)
		}
		children, outputs = append(children, child), append(outputs, &output)
	}
	for i, child := range children {
		if err := child.Wait(); err != nil {
			t.Errorf("process %d: %v\n%s", i+1, err, outputs[i])
		}
	}
	counts := o.perPeriod()
	if counts["monthly-2025-05"] != 1 || counts["monthly-2025-06"] != 1 || counts["halfyear-2025-H1"] != 1 || len(counts) != 3 {
		t.Errorf("the bureau holds %v, want May, June and H1 once each", counts)
	}
}
