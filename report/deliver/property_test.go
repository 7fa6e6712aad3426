package deliver

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"bulletin/report/schedule"
	"bulletin/report/smtptest"
)

// TestRandomRunsFaultsAndClocks is a property test: long random sequences
// of due runs, SMTP faults, full disks, failed builds, clock jumps forward
// and back, and a person answering what waits for them. Afterwards the
// server holds at most one message per period, leaving out the resends a
// person asked for, and every period that fell due is delivered or waits in
// a state that names the person's next step. The seeds are fixed: a failure
// is reproducible, and the test names its seed and its log.
func TestRandomRunsFaultsAndClocks(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			randomRuns(t, seed, 50)
		})
	}
}

func randomRuns(t *testing.T, seed uint64, steps int) {
	rng := rand.New(rand.NewPCG(seed, 2025))
	o := newOffice(t, monthly, halfYear)
	// A schedule firing every day for half-year reports, so that periods
	// fall due often and in bunches.
	o.cfg = testConfig(t, o.mail.Port, monthly, "0 8 * 1,7 *")
	// Late replies cost this much each. Should a loaded machine make a
	// healthy reply later still, the send is merely unconfirmed, which the
	// property allows as well.
	o.mailTimeout = 500 * time.Millisecond
	now := at("2025-05-25 08:00")
	var log []string
	say := func(format string, args ...any) { log = append(log, fmt.Sprintf(format, args...)) }
	defer func() {
		if t.Failed() {
			t.Logf("seed %d:\n%s", seed, strings.Join(log, "\n"))
		}
	}()
	faults := []smtptest.Fault{
		{Stage: smtptest.Mail, Reply: smtptest.TryLater},
		{Stage: smtptest.Rcpt, Reply: smtptest.TryLater},
		{Stage: smtptest.Data, Reply: smtptest.TryLater},
		{Stage: smtptest.Rcpt, Reply: smtptest.NoSuchUser},
		{Stage: smtptest.Data, Reply: smtptest.Rejected},
		{Stage: smtptest.Data, HangUp: true},
		{Stage: smtptest.Rcpt, HangUp: true},
		{Stage: smtptest.Data, Late: true},
	}
	ctx := context.Background()
	for i := range steps {
		switch r := rng.IntN(100); {
		case r < 12:
			back := time.Duration(rng.IntN(30*24)) * time.Hour
			now = now.Add(-back)
			say("%d: clock back %v to %s", i, back, now.Format(time.DateTime))
		default:
			forward := time.Duration(1+rng.IntN(20*24)) * time.Hour
			now = now.Add(forward)
		}
		if now.Before(at("2025-05-01 00:00")) {
			now = at("2025-05-01 00:00")
		}
		o.mu.Lock()
		o.now = now
		o.mu.Unlock()
		// Faults for this run.
		if rng.IntN(100) < 35 {
			f := faults[rng.IntN(len(faults))]
			o.mail.Fail(f)
			say("%d: fault %s %v hangup=%v late=%v", i, f.Stage, f.Reply, f.HangUp, f.Late)
		}
		down := rng.IntN(100) < 8
		if down {
			o.mail.Refuse()
			say("%d: server down", i)
		}
		if rng.IntN(100) < 8 {
			o.ledger.failAt = o.ledger.appends + 1 + rng.IntN(3)
			say("%d: disk full at ledger append %d", i, o.ledger.failAt)
		}
		o.archive.fail = rng.IntN(100) < 5
		if rng.IntN(100) < 5 {
			o.build.fail = os.ErrInvalid
			say("%d: builds fail", i)
		}
		r, err := o.service().Due(ctx, false)
		say("%d: due at %s: %v\n    %s", i, now.Format(time.DateTime), err, strings.Join(r.Lines, "\n    "))
		o.build.fail, o.archive.fail = nil, false
		if down {
			if err := o.mail.Accept(); err != nil {
				t.Fatal(err)
			}
		}
		// A person answers some of what waits for them, as the next step
		// says: asking the city bureau (the test server) first.
		if rng.IntN(100) < 40 {
			personActs(t, o, rng, say)
		}
		o.checkAtMostOncePerPeriod(t)
	}
	// Heal everything and let due finish what it can.
	o.ledger.failAt = -1
	o.mail.Heal()
	for range 2 {
		r, err := o.service().Due(ctx, false)
		say("final due: %v\n    %s", err, strings.Join(r.Lines, "\n    "))
	}
	o.checkAtMostOncePerPeriod(t)
	// Every period that fell due is delivered or names the next step.
	s := o.service()
	for _, job := range schedule.NewPlan(o.cfg).Between(at("2025-05-01 00:00"), now) {
		d := o.decision(job.Period)
		if d.Action == Skip {
			continue
		}
		if d.Action != Done && d.Next == "" {
			t.Errorf("%s (due %s) is %v without a next step: %s", job.Period, s.local(job.Scheduled), d.Action, d.Why)
		}
	}
}

// personActs answers one period that waits for a person, as its next step
// says: after an unclear send, asks the bureau (looks at the server) and
// marks it sent or forces a send; after a refusal, sends again; sometimes
// resends a delivered period, as the bureau may ask.
func personActs(t *testing.T, o *office, rng *rand.Rand, say func(string, ...any)) {
	r, err := o.service().Due(context.Background(), true)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range r.Items {
		var req Request
		switch it.Decision.Action {
		case Confirm:
			req = ForceAsked
			if o.perPeriod()[strings.ReplaceAll(it.Period.Key(), " ", "-")] > 0 {
				req = MarkSentAsked // the bureau has it
			}
		case Refused, TooOld, CheckClock, Withheld:
			req = SendAsked
		case Done:
			if rng.IntN(100) >= 10 {
				continue
			}
			req = ResendAsked
		default:
			continue
		}
		if req == ResendAsked || req == ForceAsked {
			if o.asked == nil {
				o.asked = map[string]int{}
			}
			o.asked[strings.ReplaceAll(it.Period.Key(), " ", "-")]++
		}
		_, err := o.service().Send(context.Background(), it.Period, req)
		say("    person: %s %d: %v", it.Period, req, err)
		return
	}
}

// checkAtMostOncePerPeriod fails if a period arrived more often than once
// and the times a person asked again.
func (o *office) checkAtMostOncePerPeriod(t *testing.T) {
	t.Helper()
	for period, n := range o.perPeriod() {
		if n > 1+o.asked[period] {
			t.Fatalf("%s arrived %d times; a person asked %d times", period, n, o.asked[period])
		}
	}
}
