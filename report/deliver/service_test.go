package deliver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"bulletin/report"
	"bulletin/report/ledger"
	"bulletin/report/smtptest"
)

const (
	monthly  = "0 8 1 * *"
	halfYear = "0 8 5 1,7 *"
)

func TestDueSendsOnceAndRecordsIt(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-06-01 08:05")
	r, err := o.due()
	if err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(r.Lines, "\n"))
	}
	if got := o.bureau(); len(got) != 1 || got[0] != "静安城市管理执法工作月报（2025年5月）" {
		t.Fatalf("the bureau holds %q", got)
	}
	if o.state(may) != ledger.Sent {
		t.Errorf("May is %s, want sent", o.state(may))
	}
	entries, _, _ := ledger.Open(o.out).Entries()
	if last := entries[len(entries)-1]; last.Archive == "" {
		t.Errorf("the sent entry names no archive: %+v", last)
	}
	o.setClock("2025-06-02 08:00")
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	if n := len(o.bureau()); n != 1 {
		t.Errorf("a second run left %d messages at the bureau, want 1", n)
	}
}

// TestSMTPFaults runs due against a server misbehaving at each stage, then
// again with the server healthy: the bureau holds at most one copy, and
// what waits names the person's next step.
func TestSMTPFaults(t *testing.T) {
	tryLater := smtptest.Fault{Reply: smtptest.TryLater}
	for _, tc := range []struct {
		name   string
		faults []smtptest.Fault
		down   bool // connections refused during the first run
		// after the first run and after the second
		first, second ledger.State
		copies        int // at the bureau after both runs
	}{
		{name: "451 at MAIL, once", faults: []smtptest.Fault{{Stage: smtptest.Mail, Reply: smtptest.TryLater}}, first: ledger.Sent, second: ledger.Sent, copies: 1},
		{name: "451 at RCPT, every attempt", faults: at2(smtptest.Rcpt, tryLater), first: ledger.Failed, second: ledger.Sent, copies: 1},
		{name: "451 at DATA, every attempt", faults: at2(smtptest.Data, tryLater), first: ledger.Failed, second: ledger.Sent, copies: 1},
		{name: "550 at MAIL", faults: []smtptest.Fault{{Stage: smtptest.Mail, Reply: smtptest.Rejected}}, first: ledger.Failed, second: ledger.Failed, copies: 0},
		{name: "550 at RCPT", faults: []smtptest.Fault{{Stage: smtptest.Rcpt, Reply: smtptest.NoSuchUser}}, first: ledger.Failed, second: ledger.Failed, copies: 0},
		{name: "550 at DATA", faults: []smtptest.Fault{{Stage: smtptest.Data, Reply: smtptest.Rejected}}, first: ledger.Failed, second: ledger.Failed, copies: 0},
		{name: "connection dropped after DATA", faults: []smtptest.Fault{{Stage: smtptest.Data, HangUp: true}}, first: ledger.Unconfirmed, second: ledger.Unconfirmed, copies: 1},
		{name: "reply after the client gave up", faults: []smtptest.Fault{{Stage: smtptest.Data, Late: true}}, first: ledger.Unconfirmed, second: ledger.Unconfirmed, copies: 1},
		{name: "connections refused", down: true, first: ledger.Failed, second: ledger.Sent, copies: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOffice(t, monthly, halfYear)
			o.mail.Fail(tc.faults...)
			if tc.down {
				o.mail.Refuse()
			}
			o.setClock("2025-06-01 08:05")
			o.due()
			if got := o.state(may); got != tc.first {
				t.Fatalf("after the first run May is %s, want %s", got, tc.first)
			}
			if err := o.mail.Accept(); err != nil {
				t.Fatal(err)
			}
			o.setClock("2025-06-02 08:00")
			o.due()
			if got := o.state(may); got != tc.second {
				t.Errorf("after the second run May is %s, want %s", got, tc.second)
			}
			if got := o.perPeriod()["monthly-2025-05"]; got != tc.copies {
				t.Errorf("the bureau holds %d copies, want %d", got, tc.copies)
			}
			if d := o.decision(may); d.Action != Done && d.Next == "" {
				t.Errorf("May waits (%v: %s) without naming the next step", d.Action, d.Why)
			}
		})
	}
}

func at2(stage smtptest.Stage, f smtptest.Fault) []smtptest.Fault {
	f.Stage = stage
	return []smtptest.Fault{f, f}
}

// TestUnconfirmedSendIsMarkedSentByAPerson: after a lost reply, a person
// confirms with the bureau and records it; nothing more is sent.
func TestUnconfirmedSendIsMarkedSentByAPerson(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.mail.Fail(smtptest.Fault{Stage: smtptest.Data, HangUp: true})
	o.setClock("2025-06-01 08:05")
	r, err := o.due()
	if err == nil || !strings.Contains(strings.Join(r.Lines, "\n"), "--mark-sent") {
		t.Fatalf("due after a lost reply: %v\n%s", err, strings.Join(r.Lines, "\n"))
	}
	if len(o.mail.To(operator)) == 0 {
		t.Error("the operator was not told")
	}
	if _, err := o.service().Send(context.Background(), may, MarkSentAsked); err != nil {
		t.Fatal(err)
	}
	if o.state(may) != ledger.Sent || len(o.bureau()) != 1 {
		t.Errorf("May is %s with %d messages at the bureau; want sent, 1", o.state(may), len(o.bureau()))
	}
}

// TestNoSpaceAtEachLedgerWrite fills the disk at each write of the ledger in
// turn during a delivery ("sending", then "sent"), leaving a torn line,
// then frees it and runs again: never two copies, never a period left
// without a next step, and the torn line set aside.
func TestNoSpaceAtEachLedgerWrite(t *testing.T) {
	for failAt := 1; failAt <= 2; failAt++ {
		t.Run("append "+string(rune('0'+failAt)), func(t *testing.T) {
			o := newOffice(t, monthly, halfYear)
			o.ledger.failAt = failAt
			o.setClock("2025-06-01 08:05")
			_, err := o.due()
			if err == nil {
				t.Error("a run whose ledger write failed succeeded")
			}
			// The first write fails before anything is sent: the run says so,
			// and what to do, to the clerk and to the operator.
			if failAt == 1 && (!strings.Contains(fmt.Sprint(err), "没有发送") || !strings.Contains(fmt.Sprint(err), "腾出磁盘空间") || len(o.mail.To(operator)) == 0) {
				t.Errorf("the run that could not record sending says %v, and the operator has %d letters", err, len(o.mail.To(operator)))
			}
			o.ledger.failAt = 0
			o.setClock("2025-06-02 08:00")
			r, _ := o.due()
			if got := o.perPeriod()["monthly-2025-05"]; got > 1 {
				t.Fatalf("the bureau holds %d copies", got)
			}
			d := o.decision(may)
			if d.Action != Done && d.Next == "" {
				t.Errorf("May waits (%v) without a next step\n%s", d.Action, strings.Join(r.Lines, "\n"))
			}
			if _, notice, err := ledger.Open(o.out).Entries(); err != nil || notice != nil {
				t.Errorf("the ledger after the second run: notice %v, err %v", notice, err)
			}
		})
	}
}

// TestNoSpaceForTheArchive: the mail went, the archive could not be
// written. The run fails, the operator is told, the period stays sent.
func TestNoSpaceForTheArchive(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.archive.fail = true
	o.setClock("2025-06-01 08:05")
	_, err := o.due()
	if err == nil || !strings.Contains(err.Error(), "存档") {
		t.Fatalf("err = %v, want the archive failure", err)
	}
	if o.state(may) != ledger.Sent || len(o.bureau()) != 1 {
		t.Errorf("May is %s with %d messages; want sent, 1", o.state(may), len(o.bureau()))
	}
	notices := o.mail.To(operator)
	if len(notices) != 1 {
		t.Fatalf("%d notices to the operator, want 1", len(notices))
	}
	if d, _ := notices[0].Decode(); !strings.Contains(d.Subject, "存档失败") {
		t.Errorf("notice %q", d.Subject)
	}
	// --resend has nothing to send; it says so.
	if _, err := o.service().Send(context.Background(), may, ResendAsked); err == nil || !strings.Contains(err.Error(), "存档") {
		t.Errorf("resend without an archive: %v", err)
	}
}

// TestNoSpaceForTheOutputs: the documents cannot be written; nothing is
// sent, the period is held, and the next run sends it.
func TestNoSpaceForTheOutputs(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.build.fail = &os.PathError{Op: "write", Path: "out/2025-05/月报.pdf", Err: os.ErrInvalid}
	o.setClock("2025-06-01 08:05")
	if _, err := o.due(); err == nil {
		t.Fatal("a failed build succeeded")
	}
	if o.state(may) != ledger.Held || len(o.bureau()) != 0 {
		t.Fatalf("May is %s with %d messages; want held, 0", o.state(may), len(o.bureau()))
	}
	o.build.fail = nil
	o.setClock("2025-06-02 08:00")
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	if o.state(may) != ledger.Sent || len(o.bureau()) != 1 {
		t.Errorf("May is %s with %d messages; want sent, 1", o.state(may), len(o.bureau()))
	}
}

// TestFailedResendLeavesThePeriodSent: a resend that fails is recorded, and
// due does not send a rebuilt version by itself afterwards.
func TestFailedResendLeavesThePeriodSent(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-06-01 08:05")
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	o.mail.Fail(at2(smtptest.Data, smtptest.Fault{Reply: smtptest.TryLater})...)
	o.setClock("2025-06-10 09:00")
	if _, err := o.service().Send(context.Background(), may, ResendAsked); err == nil {
		t.Fatal("a failed resend succeeded")
	}
	if o.state(may) != ledger.Failed {
		t.Fatalf("May's last entry is %s, want the failed resend", o.state(may))
	}
	o.setClock("2025-06-11 08:00")
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	if n := len(o.bureau()); n != 1 {
		t.Errorf("the bureau holds %d messages, want the first delivery only", n)
	}
	if d := o.decision(may); d.Action != Done {
		t.Errorf("May is %v, want done", d.Action)
	}
}

// TestSendRefusesAPeriodNotEnded: July on 6 July, and the half it is in.
func TestSendRefusesAPeriodNotEnded(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-07-06 10:00")
	for _, p := range []string{"2025-07", "2025-08", "2025-12", "2025-H2"} {
		period, _ := report.ParsePeriod(p)
		for _, req := range []Request{SendAsked, ForceAsked} {
			_, err := o.service().Send(context.Background(), period, req)
			if err == nil || !strings.Contains(err.Error(), "还没有结束") {
				t.Errorf("send %s (%d): %v, want a refusal saying it has not ended", p, req, err)
			}
		}
	}
	if n := len(o.mail.Messages()); n != 0 {
		t.Errorf("%d messages went out", n)
	}
}

// TestClockBackwardsDoesNotWidenTheCatchUpWindow: a run on 20 August judged
// May beyond the 40-day window; a run whose clock says 2 June does not send
// it, and says out loud that the two clocks disagree: the earlier run's
// clock may have been the wrong one (TestClockThatRanAheadIsCheckedByAPerson).
func TestClockBackwardsDoesNotWidenTheCatchUpWindow(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.build.fail = os.ErrInvalid // nothing can be sent, nothing should be tried
	o.setClock("2025-08-20 09:00")
	o.due()
	o.build.fail = nil
	o.setClock("2025-06-02 09:00")
	r, err := o.due()
	if err == nil {
		t.Errorf("due with the clocks disagreeing succeeded:\n%s", strings.Join(r.Lines, "\n"))
	}
	if n := len(o.bureau()); n != 0 {
		t.Fatalf("the run with the clock set back sent %d messages", n)
	}
	if !strings.Contains(strings.Join(r.Notices, "\n"), "时钟比上次运行") {
		t.Errorf("no notice of the clock: %q", r.Notices)
	}
	if d := o.decision(may); d.Action != CheckClock || !strings.Contains(d.Next, "bulletin send --period 2025-05") {
		t.Errorf("May is %v (%s), want check-clock with the command to send it by hand", d.Action, d.Next)
	}
}

// TestClockThatRanAheadIsCheckedByAPerson: one run's clock a year ahead
// (a wrong clock, or a rehearsal's --now on the real output folder), then
// the right time: the periods that fell due since are not sent, and not
// passed over in silence either. The run fails, the operator is told what
// to remove, and once it is removed they go out.
func TestClockThatRanAheadIsCheckedByAPerson(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-06-01 08:05")
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	o.build.fail = os.ErrInvalid
	o.setClock("2026-06-20 08:05")
	o.due()
	o.build.fail = nil
	o.setClock("2025-07-01 08:05")
	r, err := o.due()
	if err == nil {
		t.Errorf("due after the clock ran ahead succeeded:\n%s", strings.Join(r.Lines, "\n"))
	}
	out := strings.Join(r.Lines, "\n")
	if strings.Contains(out, "没有需要报送") || !strings.Contains(out, "需要核对时钟") || !strings.Contains(out, ledger.ClockFileName) {
		t.Errorf("due says:\n%s", out)
	}
	if len(o.mail.To(operator)) == 0 {
		t.Error("the operator was not told")
	}
	if n := o.perPeriod()["monthly-2025-06"]; n != 0 {
		t.Fatalf("June went out %d times with the clocks disagreeing", n)
	}
	if err := os.Remove(filepath.Join(o.out, ledger.ClockFileName)); err != nil {
		t.Fatal(err)
	}
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	if n := o.perPeriod()["monthly-2025-06"]; n != 1 {
		t.Errorf("June went out %d times once the clock file was removed, want 1", n)
	}
}

// TestPeriodsTooOldAreNotCalledNothing: periods beyond the catch-up window
// are listed, and the run does not then say there is nothing to deliver.
func TestPeriodsTooOldAreNotCalledNothing(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-08-02 09:00") // sends June, H1 and July; May is beyond the window
	if _, err := o.due(); err != nil {
		t.Fatal(err)
	}
	r, err := o.service().Due(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(r.Lines, "\n")
	if !strings.Contains(out, "未报送（已超过补发期限") || strings.Contains(out, "没有需要报送的月报") || !strings.Contains(out, "手动报送") {
		t.Errorf("due --dry-run says:\n%s", out)
	}
}

// TestScheduleFiringOftenSendsEachPeriodOnce: a monthly schedule firing
// every day and one firing on the 1st and 2nd, with due run at every
// firing for two months.
func TestScheduleFiringOftenSendsEachPeriodOnce(t *testing.T) {
	for _, spec := range []string{"0 8 * * *", "0 8 1,2 * *"} {
		t.Run(spec, func(t *testing.T) {
			o := newOffice(t, spec, "0 8 * * *")
			s := o.service()
			next := s.Config.Delivery.Monthly.Next
			for now := next(at("2025-05-31 00:00")); now.Before(at("2025-07-31 00:00")); now = next(now) {
				o.mu.Lock()
				o.now = now.Add(5 * 60 * 1e9)
				o.mu.Unlock()
				if _, err := o.due(); err != nil {
					t.Fatal(err)
				}
			}
			for period, n := range o.perPeriod() {
				if n != 1 {
					t.Errorf("%s arrived %d times", period, n)
				}
			}
			if n := len(o.bureau()); n != 3 { // May, June, 2025-H1
				t.Errorf("the bureau holds %d messages, want May, June and H1: %q", n, o.bureau())
			}
		})
	}
}

// TestConcurrentRunsDeliverOnce: runs started together (timer, cron and a
// person) send each period once.
func TestConcurrentRunsDeliverOnce(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.setClock("2025-07-06 09:00")
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() { o.due() })
	}
	wg.Wait()
	counts := o.perPeriod()
	if counts["monthly-2025-05"] != 1 || counts["monthly-2025-06"] != 1 || counts["halfyear-2025-H1"] != 1 || len(counts) != 3 {
		t.Errorf("the bureau holds %v, want May, June and H1 once each", counts)
	}
}

// TestLedgerThatLostDeliveriesSendsNothingAgain: a ledger cut short in the
// middle of a line (more than a torn last line lost), emptied, or deleted,
// while the archives of what was sent are there. No period the archives
// record goes out again by itself; each waits for a person, who records it
// from its archive with --mark-sent, after which it is done.
func TestLedgerThatLostDeliveriesSendsNothingAgain(t *testing.T) {
	june := report.MonthPeriod(report.Month{Year: 2025, Month: 6})
	damage := map[string]func(path string, data []byte) error{
		"cut inside June's first line": func(path string, data []byte) error {
			lines := strings.SplitAfter(string(data), "\n")
			cut := len(lines[0]) + len(lines[1]) + len(lines[2])/2 // May's two lines and half of June's first
			return os.WriteFile(path, data[:cut], 0o644)
		},
		"emptied": func(path string, _ []byte) error { return os.WriteFile(path, nil, 0o644) },
		"deleted": func(path string, _ []byte) error { return os.Remove(path) },
	}
	for name, damage := range damage {
		t.Run(name, func(t *testing.T) {
			o := newOffice(t, monthly, halfYear)
			o.setClock("2025-06-01 08:05")
			if _, err := o.due(); err != nil {
				t.Fatal(err)
			}
			o.setClock("2025-07-01 08:05")
			if _, err := o.due(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(o.out, ledger.FileName)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := damage(path, data); err != nil {
				t.Fatal(err)
			}
			o.setClock("2025-07-06 08:05")
			r, err := o.due()
			if err == nil {
				t.Errorf("due after the ledger lost deliveries succeeded:\n%s", strings.Join(r.Lines, "\n"))
			}
			for id, n := range o.perPeriod() {
				if n != 1 {
					t.Errorf("%s is at the bureau %d times", id, n)
				}
			}
			lost := []report.Period{june}
			if name != "cut inside June's first line" {
				lost = append(lost, may)
			}
			for _, p := range lost {
				d := o.decision(p)
				if d.Action != Confirm || !strings.Contains(d.Why, ArchivePrefix) || !strings.Contains(d.Next, "--mark-sent") {
					t.Errorf("%s: %v (%s; %s), want confirm naming the archive and --mark-sent", p, d.Action, d.Why, d.Next)
				}
				if _, err := o.service().Send(context.Background(), p, SendAsked); err == nil {
					t.Errorf("%s: a plain send was not refused", p)
				}
				if _, err := o.service().Send(context.Background(), p, MarkSentAsked); err != nil {
					t.Fatalf("%s: --mark-sent: %v", p, err)
				}
				if d := o.decision(p); d.Action != Done {
					t.Errorf("%s after --mark-sent: %v (%s), want done", p, d.Action, d.Why)
				}
			}
			if _, err := o.due(); err != nil {
				t.Errorf("due after the deliveries were recorded again: %v", err)
			}
			for id, n := range o.perPeriod() {
				if n != 1 {
					t.Errorf("after --mark-sent %s is at the bureau %d times", id, n)
				}
			}
		})
	}
}
