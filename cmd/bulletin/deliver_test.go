package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"bulletin/report/config"
	"bulletin/report/deliver"
	"bulletin/report/ledger"
	"bulletin/report/smtptest"
)

// office is one installation under test: its config, data and output
// folders, and the mail server its config points at.
type office struct {
	t              *testing.T
	cfg, data, out string
	mail           *smtptest.Server
}

// newOffice sets up an installation on the sample data with a mail server
// answering DATA from script; set changes config keys as testConfig does.
func newOffice(t *testing.T, set map[string]string, faults ...smtptest.Fault) *office {
	t.Helper()
	mb := startMailbox(t, faults...)
	return &office{t: t, cfg: testConfig(t, mb.Port, set), data: cliSampleData(t), out: t.TempDir(), mail: mb}
}

// run runs bulletin with the office's folders.
func (o *office) run(args ...string) (stdout, stderr string, code int) {
	o.t.Helper()
	return runCLI(o.t, append(args, "--config", o.cfg, "--data", o.data, "--out", o.out)...)
}

// mustRun runs bulletin and fails the test unless it exits with want.
func (o *office) mustRun(want int, args ...string) (stdout string) {
	o.t.Helper()
	stdout, stderr, code := o.run(args...)
	if code != want {
		o.t.Fatalf("bulletin %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, stdout, stderr)
	}
	return stdout
}

// bureauLetters are the accepted letters addressed to the city bureau.
func (o *office) bureauLetters() []letter {
	o.t.Helper()
	var out []letter
	for _, l := range o.mail.To(cityBureau) {
		out = append(out, decode(o.t, l))
	}
	return out
}

func (o *office) operatorLetters() []letter {
	o.t.Helper()
	var out []letter
	for _, l := range o.mail.To(operator) {
		out = append(out, decode(o.t, l))
	}
	return out
}

// pdfs reads the PDFs in dir by name.
func pdfs(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no PDF in %s (%v)", dir, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(p)] = data
	}
	return out
}

// archives lists the archive folders of a period, oldest first.
func archives(t *testing.T, out, period string) []string {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(out, period, deliver.ArchivePrefix+"*"))
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// sameFiles fails unless the letter's attachments are exactly the files.
func sameFiles(t *testing.T, what string, l letter, files map[string][]byte) {
	t.Helper()
	if len(l.Files) != len(files) {
		t.Errorf("%s: %d attachments arrived, want the %d files", what, len(l.Files), len(files))
	}
	for _, f := range l.Files {
		want, ok := files[f.Name]
		if !ok {
			t.Errorf("%s: attachment %q is not one of the files", what, f.Name)
			continue
		}
		if sha256.Sum256(f.Data) != sha256.Sum256(want) {
			t.Errorf("%s: attachment %q (%d bytes) differs from the file (%d bytes)", what, f.Name, len(f.Data), len(want))
		}
	}
}

func loadTestConfig(t *testing.T, path string) (bulletinName, shortName string) {
	t.Helper()
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Bureau.BulletinName, cfg.Bureau.ShortName
}

func TestDueSendsTheBulletinToTheCityBureau(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	o.mustRun(0, "due", "--now", "2025-06-01T09:00")

	letters := o.bureauLetters()
	if len(letters) != 1 || len(o.mail.Messages()) != 1 {
		t.Fatalf("%d letters to the city bureau, %d in all; want the May bulletin only", len(letters), len(o.mail.Messages()))
	}
	l := letters[0]
	if want := []string{cityBureau, ccAddress, bccAddress}; !slices.Equal(l.To, want) || l.From != sender {
		t.Errorf("envelope from %s to %q, want from %s to %q", l.From, l.To, sender, want)
	}
	if to := l.Header.Get("To"); !strings.Contains(to, cityBureau) {
		t.Errorf("To header %q", to)
	}
	if cc := l.Header.Get("Cc"); !strings.Contains(cc, ccAddress) {
		t.Errorf("Cc header %q", cc)
	}
	if bcc, ok := l.Header["Bcc"]; ok || strings.Contains(string(l.Raw), bccAddress) {
		t.Errorf("the Bcc recipient is revealed in the message: %q", bcc)
	}
	name, _ := loadTestConfig(t, o.cfg)
	if want := name + "（2025年5月）"; l.Subject != want {
		t.Errorf("subject decodes to %q, want %q", l.Subject, want)
	}
	if id := l.Header.Get("Message-Id"); id != "<monthly-2025-05@jingan.example>" {
		t.Errorf("Message-ID %q, want one derived from the period", id)
	}

	built := pdfs(t, filepath.Join(o.out, "2025-05"))
	sameFiles(t, "against out/2025-05", l, built)
	dirs := archives(t, o.out, "2025-05")
	if len(dirs) != 1 {
		t.Fatalf("archive folders %q, want 1", dirs)
	}
	sameFiles(t, "against the archive", l, pdfs(t, dirs[0]))
	for _, name := range []string{"figures.json", "quality.json", deliver.DeliveryRecord} {
		if _, err := os.Stat(filepath.Join(dirs[0], name)); err != nil {
			t.Errorf("archive lacks %s: %v", name, err)
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(o.out, "2025-05", ".*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %q", leftovers)
	}

	e := lastEntry(t, o.out, "monthly", "2025-05")
	if e.State != ledger.Sent || !strings.Contains(e.Reply, l.QueueID) || e.Attempts != 1 {
		t.Errorf("ledger says %s, reply %q, %d attempts; want sent with the queue id %s on the first attempt", e.State, e.Reply, e.Attempts, l.QueueID)
	}
	for _, f := range e.Files {
		if sum := sha256.Sum256(built[f.Name]); f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("ledger sha256 of %s does not match the file", f.Name)
		}
	}
	history := o.mustRun(0, "history")
	if !strings.Contains(history, "2025-05") || !strings.Contains(history, l.QueueID) || !strings.Contains(history, cityBureau) {
		t.Errorf("history does not show the delivery with its queue id:\n%s", history)
	}
}

func TestTemporaryRefusalIsRetriedAndDeliveredOnce(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil, atData(smtptest.TryLater, smtptest.TryLater)...)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	o.mustRun(0, "due", "--now", "2025-06-01T09:00")

	if n := len(o.bureauLetters()); n != 1 || o.mail.Offered() != 3 {
		t.Errorf("%d letters accepted after %d offers, want 1 after 3 (451, 451, accepted)", n, o.mail.Offered())
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || e.Attempts != 3 {
		t.Errorf("ledger says %s after %d attempts, want sent after 3", e.State, e.Attempts)
	}
	if n := len(o.operatorLetters()); n != 0 {
		t.Errorf("the operator got %d notices about a delivery that succeeded", n)
	}
}

func TestPermanentRefusalStopsAndNotifiesTheOperator(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil, atData(smtptest.Rejected)...)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	o.mustRun(1, "due", "--now", "2025-06-01T09:00")

	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("%d letters reached the city bureau", n)
	}
	notices := o.operatorLetters()
	if len(notices) != 1 || o.mail.Offered() != 2 {
		t.Fatalf("%d notices to the operator, %d messages offered; want the refused bulletin (no retry) and 1 notice", len(notices), o.mail.Offered())
	}
	if !strings.Contains(notices[0].Subject, "2025年5月") || !strings.Contains(notices[0].Body, "550") {
		t.Errorf("notice %q does not say which period was refused and why:\n%s", notices[0].Subject, notices[0].Body)
	}
	e := lastEntry(t, o.out, "monthly", "2025-05")
	if e.State != ledger.Failed || !e.Permanent || e.Attempts != 1 || !strings.Contains(e.Reason, "550") {
		t.Errorf("ledger: %+v; want a permanent failure after 1 attempt naming 550", e)
	}

	// The next run does not try again by itself.
	stdout := o.mustRun(1, "due", "--now", "2025-06-02T09:00")
	if o.mail.Offered() != 2 || !strings.Contains(stdout, "2025-05") {
		t.Errorf("second run offered %d messages in all (want still 2) and said:\n%s", o.mail.Offered(), stdout)
	}
}

func TestServerDownLeavesThePeriodForTheNextRun(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	live := o.cfg
	o.cfg = testConfig(t, smtptest.ClosedPort(), nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	o.mustRun(1, "due", "--now", "2025-06-01T09:00")
	e := lastEntry(t, o.out, "monthly", "2025-05")
	if e.State != ledger.Failed || e.Permanent || e.Attempts != 3 {
		t.Fatalf("ledger: %+v; want a temporary failure after 3 attempts", e)
	}

	o.cfg = live
	o.mustRun(0, "due", "--now", "2025-06-01T10:00")
	if n := len(o.bureauLetters()); n != 1 {
		t.Fatalf("%d letters after the server came back, want 1", n)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent {
		t.Errorf("ledger says %s, want sent", e.State)
	}
}

func TestMachineOffCatchesUpOnceWhenBack(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	// Up to 28 June the machine ran and sent May's bulletin on 1 June.
	recorded(t, o.out, "monthly 2025-05 sent 2025-06-01T08:00")

	o.mustRun(0, "due", "--now", "2025-07-07T09:00")

	letters := o.bureauLetters()
	if len(letters) != 2 {
		t.Fatalf("%d letters, want June's bulletin and the H1 reports", len(letters))
	}
	name, short := loadTestConfig(t, o.cfg)
	if want := name + "（2025年6月）"; letters[0].Subject != want {
		t.Errorf("first letter %q, want %q", letters[0].Subject, want)
	}
	if !strings.HasPrefix(letters[1].Subject, short+"2025年上半年") {
		t.Errorf("second letter %q, want the 2025 H1 self-inspection reports", letters[1].Subject)
	}
	sameFiles(t, "H1", letters[1], pdfs(t, filepath.Join(o.out, "2025-H1")))
	for _, key := range [][2]string{{"monthly", "2025-06"}, {"halfyear", "2025-H1"}} {
		if e := lastEntry(t, o.out, key[0], key[1]); e.State != ledger.Sent {
			t.Errorf("%s %s: %s", key[0], key[1], e.State)
		}
	}

	stdout := o.mustRun(0, "due", "--now", "2025-07-07T09:30")
	if n := len(o.mail.Messages()); n != 2 {
		t.Errorf("the second run sent %d more messages:\n%s", n-2, stdout)
	}
}

func TestJanuaryRunBuildsDecemberOfThePreviousYear(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-11 sent 2025-12-01T08:00")

	o.mustRun(0, "due", "--now", "2026-01-01T08:30")

	letters := o.bureauLetters()
	if len(letters) != 1 || !strings.Contains(letters[0].Subject, "2025年12月") {
		t.Fatalf("letters %d, first %q; want December 2025's bulletin", len(letters), subjects(letters))
	}
	sameFiles(t, "December", letters[0], pdfs(t, filepath.Join(o.out, "2025-12")))
	if e := lastEntry(t, o.out, "monthly", "2025-12"); e.State != ledger.Sent {
		t.Errorf("ledger says %s for 2025-12", e.State)
	}
	figures, err := os.ReadFile(filepath.Join(o.out, "2025-12", "figures.json"))
	if err != nil || !bytes.Contains(figures, []byte(`"month": "2025-12"`)) || !bytes.Contains(figures, []byte(`"issue_date": "2026-01-01"`)) {
		t.Errorf("figures.json does not describe December 2025 issued on 1 January 2026 (%v)", err)
	}
}

func subjects(letters []letter) []string {
	var out []string
	for _, l := range letters {
		out = append(out, l.Subject)
	}
	return out
}

func TestConcurrentDueRunsDeliverOnce(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	var wg sync.WaitGroup
	codes := make([]int, 2)
	outputs := make([]string, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outputs[i], _, codes[i] = o.run("due", "--now", "2025-06-01T09:00")
		}()
	}
	wg.Wait()

	if codes[0] != 0 || codes[1] != 0 {
		t.Errorf("exit codes %v\n%s\n%s", codes, outputs[0], outputs[1])
	}
	if n := len(o.mail.Messages()); n != 1 {
		t.Errorf("%d messages arrived from two concurrent runs, want 1", n)
	}
	entries, _, err := ledger.Open(o.out).Entries()
	if err != nil {
		t.Fatal(err)
	}
	sent := 0
	for _, e := range entries {
		if e.Period.String() == "2025-05" && e.State == ledger.Sent {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("the ledger records %d deliveries of 2025-05, want 1", sent)
	}
}

func TestPeriodsBeyondTheCatchUpWindowWaitForAnExplicitSend(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sent 2025-06-01T08:00")

	listed := o.mustRun(0, "due", "--dry-run", "--now", "2025-06-01T09:00")
	if !strings.Contains(listed, "bulletin send --period 2025-03") {
		t.Errorf("dry run does not list March 2025, due 61 days ago:\n%s", listed)
	}
	o.mustRun(0, "due", "--now", "2025-06-01T09:00")
	if n := o.mail.Offered(); n != 0 {
		t.Fatalf("due sent %d messages for periods beyond the catch-up window", n)
	}

	o.mustRun(0, "send", "--period", "2025-03", "--now", "2025-06-01T09:10")
	letters := o.bureauLetters()
	if len(letters) != 1 || !strings.Contains(letters[0].Subject, "2025年3月") {
		t.Fatalf("send --period 2025-03 delivered %q", subjects(letters))
	}
}

// TestPeriodsBeforeTheFirstPeriodAreNotListed: on a first install the
// months before delivery.first_period are neither listed nor sent.
func TestPeriodsBeforeTheFirstPeriodAreNotListed(t *testing.T) {
	t.Parallel()
	o := newOffice(t, map[string]string{"first_period": `"2025-04"`})
	listed := o.mustRun(0, "due", "--dry-run", "--now", "2025-06-01T09:00")
	if strings.Contains(listed, "2025年3月") || !strings.Contains(listed, "2025年4月") {
		t.Errorf("with first_period 2025-04 the dry run lists:\n%s", listed)
	}
}

func TestInterruptedSendIsReportedNotRepeated(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	// A run was killed in the middle of the SMTP transaction of May.
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sending 2025-06-01T08:00")

	stdout := o.mustRun(1, "due", "--now", "2025-06-01T09:00")
	if !strings.Contains(stdout, "2025年5月") || !strings.Contains(stdout, "bulletin send --period 2025-05 --force") {
		t.Errorf("due does not ask to confirm May:\n%s", stdout)
	}
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("%d letters re-sent to the city bureau by themselves", n)
	}
	notices := o.operatorLetters()
	if len(notices) != 1 || !strings.Contains(notices[0].Body, "--force") {
		t.Fatalf("operator notices %q; want one asking to confirm", subjects(notices))
	}
	if _, err := os.Stat(filepath.Join(o.out, "2025-05")); err == nil {
		t.Errorf("due rebuilt May although it will not send it")
	}
	if history := o.mustRun(0, "history"); !strings.Contains(history, "发送中断") {
		t.Errorf("history does not show May as interrupted:\n%s", history)
	}

	o.mustRun(1, "send", "--period", "2025-05", "--now", "2025-06-01T09:10")
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatal("send without --force delivered an interrupted period")
	}
	o.mustRun(0, "send", "--period", "2025-05", "--force", "--now", "2025-06-01T09:20")
	letters := o.bureauLetters()
	if len(letters) != 1 {
		t.Fatalf("%d letters after send --force, want 1", len(letters))
	}
	want := lastEntry(t, o.out, "monthly", "2025-05").MessageID
	if id := letters[0].Header.Get("Message-Id"); id != want || !strings.Contains(id, "2025-05") {
		t.Errorf("Message-ID %q, want %q derived from the period", id, want)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || !e.Forced {
		t.Errorf("ledger: %+v; want sent, forced", e)
	}
}

func TestConfirmedInterruptedSendIsMarkedNotSentAgain(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sending 2025-06-01T08:00")

	o.mustRun(1, "send", "--period", "2025-04", "--mark-sent", "--now", "2025-06-01T09:00")
	o.mustRun(0, "send", "--period", "2025-05", "--mark-sent", "--now", "2025-06-01T09:00")
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || e.MessageID != "<monthly-2025-05@jingan.example>" {
		t.Errorf("ledger: %+v; want sent, with the interrupted message's id", e)
	}
	o.mustRun(0, "due", "--now", "2025-06-02T09:00")
	if n := o.mail.Offered(); n != 0 {
		t.Errorf("%d messages sent for a period the city bureau confirmed", n)
	}
}

func TestResendSendsTheArchivedFilesByteForByte(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
	o.mustRun(0, "due", "--now", "2025-06-01T09:00")
	dirs := archives(t, o.out, "2025-05")
	if len(dirs) != 1 {
		t.Fatalf("archive folders %q", dirs)
	}
	archived := pdfs(t, dirs[0])

	// Rebuilt later, the bulletin carries another date.
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-20T10:00")
	rebuilt := pdfs(t, filepath.Join(o.out, "2025-05"))
	for name, data := range rebuilt {
		if bytes.Equal(data, archived[name]) {
			t.Fatalf("the rebuild of %s equals the archived file: the test cannot tell them apart", name)
		}
	}

	o.mustRun(0, "send", "--period", "2025-05", "--resend", "--now", "2025-06-21T10:00")
	letters := o.bureauLetters()
	if len(letters) != 2 {
		t.Fatalf("%d letters, want the delivery and the resend", len(letters))
	}
	sameFiles(t, "resend against the archive", letters[1], archived)
	first, second := letters[0].Header.Get("Message-Id"), letters[1].Header.Get("Message-Id")
	if first == second || !strings.Contains(second, "2025-05") {
		t.Errorf("resend Message-ID %q; want one of its own naming the period (first %q)", second, first)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || !e.Resend {
		t.Errorf("ledger: %+v; want sent, resend", e)
	}
	if n := len(archives(t, o.out, "2025-05")); n != 2 {
		t.Errorf("%d archive folders, want one per delivery", n)
	}

	// A forced send after corrections is a rebuild, with an id of its own.
	o.mustRun(0, "send", "--period", "2025-05", "--force", "--now", "2025-06-22T10:00")
	letters = o.bureauLetters()
	if len(letters) != 3 {
		t.Fatalf("%d letters, want a third one", len(letters))
	}
	sameFiles(t, "forced rebuild against out/2025-05", letters[2], pdfs(t, filepath.Join(o.out, "2025-05")))
	if third := letters[2].Header.Get("Message-Id"); third == first || third == second {
		t.Errorf("the forced send reuses Message-ID %q", third)
	}
}

func TestFailedChecksHoldTheDeliveryAndTellTheOperator(t *testing.T) {
	t.Parallel()
	t.Run("unreadable export", func(t *testing.T) {
		t.Parallel()
		o := newOffice(t, nil)
		if err := os.Remove(o.mayExport(t, "诉件")); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(o.data, "2025-05", "诉件.xlsx"), []byte("这不是表格"), 0o644)
		recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

		o.mustRun(1, "due", "--now", "2025-06-01T09:00")
		assertHeld(t, o, "诉件.xlsx")

		o.mustRun(0, "send", "--period", "2025-05", "--force", "--now", "2025-06-01T10:00")
		if n := len(o.bureauLetters()); n != 1 {
			t.Fatalf("%d letters after send --force, want 1", n)
		}
		if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || !e.Forced {
			t.Errorf("ledger: %+v; want sent, forced", e)
		}
	})
	t.Run("an export split over two sheets", func(t *testing.T) {
		t.Parallel()
		o := newOffice(t, nil)
		// the rest of the rows, as an export past a sheet's size writes them
		splitSheet(t, o.mayExport(t, "诉件"), "诉件", "诉件(2)")
		// check tells the clerk first, while there is time to mend it.
		if out := o.mustRun(0, "check", "--month", "2025-05"); !strings.Contains(out, "报送前检查没有通过，到了报送时间这一期会暂停") || !strings.Contains(out, "工作簿里另有工作表可能也有这份导出的数据") {
			t.Errorf("check does not say May will be held:\n%s", out)
		}
		recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
		o.mustRun(1, "due", "--now", "2025-06-01T09:00")
		assertHeld(t, o, "工作簿里另有工作表可能也有这份导出的数据")
	})
	t.Run("a squad left out of the month's cases", func(t *testing.T) {
		t.Parallel()
		o := newOffice(t, nil)
		dropSquad(t, o.mayExport(t, "案件"), "江宁路中队")
		if out := o.mustRun(0, "check", "--month", "2025-05"); !strings.Contains(out, "报送前检查没有通过") || !strings.Contains(out, "没有以下中队的案件：江宁路中队") {
			t.Errorf("check does not say May will be held for 江宁路中队:\n%s", out)
		}
		recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
		o.mustRun(1, "due", "--now", "2025-06-01T09:00")
		assertHeld(t, o, "没有以下中队的案件：江宁路中队")
	})
	t.Run("rejected rows", func(t *testing.T) {
		t.Parallel()
		o := newOffice(t, map[string]string{"max_rejected_share": "0"})
		recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
		o.mustRun(1, "due", "--now", "2025-06-01T09:00")
		assertHeld(t, o, "被拒绝的数据行")
	})
}

// mayExport gives o data of its own, a copy of the sample's, and returns
// the path of its May export of dataset, for a test to spoil.
func (o *office) mayExport(t *testing.T, dataset string) string {
	t.Helper()
	o.data = t.TempDir()
	if err := os.CopyFS(o.data, os.DirFS(cliSampleData(t))); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(filepath.Join(o.data, "2025-05", dataset+"*"))
	if len(matches) != 1 {
		t.Fatalf("%s exports of May: %q", dataset, matches)
	}
	return matches[0]
}

// dropSquad removes from the 案件 export at path every row of the squad,
// as an export that left the squad out would be. The sample's exports
// name the squads as 中队 or by their 街道, under one of two headers.
func dropSquad(t *testing.T, path, squad string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("案件")
	if err != nil {
		t.Fatal(err)
	}
	header := slices.IndexFunc(rows, func(r []string) bool { return len(r) >= 5 })
	if header < 0 {
		t.Fatalf("%s: no header row", path)
	}
	column := slices.IndexFunc(rows[header], func(c string) bool { return c == "承办中队" || c == "办案单位" })
	if column < 0 {
		t.Fatalf("%s: no squad column in %q", path, rows[header])
	}
	base, dropped := strings.TrimSuffix(squad, "中队"), 0
	for i := len(rows) - 1; i > header; i-- { // from the bottom: a row removed moves those below it
		if column < len(rows[i]) && strings.HasPrefix(rows[i][column], base) {
			if err := f.RemoveRow("案件", i+1); err != nil {
				t.Fatal(err)
			}
			dropped++
		}
	}
	if dropped == 0 {
		t.Fatalf("%s: no row of %s", path, squad)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// assertHeld checks that May went to the operator with why, not to the city
// bureau, and that the ledger holds it.
func assertHeld(t *testing.T, o *office, why string) {
	t.Helper()
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("%d letters reached the city bureau despite the failed check", n)
	}
	notices := o.operatorLetters()
	if len(notices) != 1 || !strings.Contains(notices[0].Body, why) || !strings.Contains(notices[0].Body, "--force") {
		t.Fatalf("operator notices %q; want one saying %q and how to override", subjects(notices), why)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Held || !strings.Contains(e.Reason, why) {
		t.Errorf("ledger: %+v; want held for %q", e, why)
	}
}

func TestOversizedMessageIsNotSent(t *testing.T) {
	t.Parallel()
	o := newOffice(t, map[string]string{"max_bytes": "50000"})
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	o.mustRun(1, "due", "--now", "2025-06-01T09:00")
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("%d letters over the size limit were sent", n)
	}
	if notices := o.operatorLetters(); len(notices) != 1 || !strings.Contains(notices[0].Body, "50000") {
		t.Errorf("operator notices %q; want one naming the limit", subjects(notices))
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Failed || !e.Permanent {
		t.Errorf("ledger: %+v; want a permanent failure", e)
	}
}

// TestEnvironmentOverridesMailSettings sets the variables a systemd
// EnvironmentFile would; config.toml points elsewhere, so nothing arrives
// unless every override takes effect.
func TestEnvironmentOverridesMailSettings(t *testing.T) {
	o := newOffice(t, map[string]string{"host": `"smtp.invalid"`, "port": "2", "tls": `"tls"`, "user": `""`})
	o.mail.RequireAuth("jingan-bulletin", "s3cret")
	overrides := map[string]string{
		"BULLETIN_SMTP_HOST":     "127.0.0.1",
		"BULLETIN_SMTP_PORT":     strconv.Itoa(o.mail.Port),
		"BULLETIN_SMTP_USER":     "jingan-bulletin",
		"BULLETIN_SMTP_PASSWORD": "s3cret",
		"BULLETIN_SMTP_TLS":      "none",
		"BULLETIN_MAIL_TO":       "a@city.example, b@city.example",
		"BULLETIN_OPERATOR":      "night-duty@jingan.example",
	}
	for k, v := range overrides {
		t.Setenv(k, v)
	}
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sending 2025-06-01T08:00")

	o.mustRun(1, "due", "--now", "2025-06-01T09:00")
	notices := o.mail.To("night-duty@jingan.example")
	if len(notices) != 1 || notices[0].User != "jingan-bulletin" || len(o.mail.To(operator)) != 0 {
		t.Fatalf("notices to BULLETIN_OPERATOR: %d (authenticated as %q); to config's operator: %d",
			len(notices), userOf(notices), len(o.mail.To(operator)))
	}

	o.mustRun(0, "send", "--period", "2025-05", "--force", "--now", "2025-06-01T09:10")
	letters := o.mail.To("a@city.example")
	if len(letters) != 1 {
		t.Fatalf("%d letters to BULLETIN_MAIL_TO", len(letters))
	}
	if want := []string{"a@city.example", "b@city.example", ccAddress, bccAddress}; !slices.Equal(letters[0].To, want) {
		t.Errorf("recipients %q, want %q", letters[0].To, want)
	}
	if len(o.mail.To(cityBureau)) != 0 {
		t.Error("config.toml's recipient got the bulletin despite BULLETIN_MAIL_TO")
	}
}

func userOf(letters []smtptest.Message) []string {
	var out []string
	for _, l := range letters {
		out = append(out, l.User)
	}
	return out
}

// syncBuffer is written by the schedule's goroutines and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitForLetter waits until the office's mail server accepted a message,
// failing if the schedule running in the background returns first.
func waitForLetter(t *testing.T, o *office, done <-chan error, stdout, stderr *syncBuffer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for len(o.mail.Messages()) == 0 {
		select {
		case err := <-done:
			t.Fatalf("schedule returned before sending anything: %v\n%s\n%s", err, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing sent within a minute\n%s\n%s", stdout.String(), stderr.String())
		}
	}
}

func TestScheduleCatchesUpAtStartAndStopsWithItsContext(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, []string{"schedule", "--now", "2025-06-01T09:00", "--config", o.cfg, "--data", o.data, "--out", o.out}, &stdout, &stderr)
	}()

	waitForLetter(t, o, done, &stdout, &stderr)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("schedule stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("schedule did not stop when its context was cancelled")
	}
	if letters := o.bureauLetters(); len(letters) != 1 || !strings.Contains(letters[0].Subject, "2025年5月") {
		t.Errorf("catch-up delivered %q, want May's bulletin", subjects(letters))
	}
	for _, want := range []string{"schedule started", "start-up catch-up", "schedule stopped"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, stderr.String())
		}
	}
}

// reviewed is an office whose monthly bulletin falls due on the 5th and
// goes to the operator for review 3 days before.
func reviewed(t *testing.T) *office {
	t.Helper()
	o := newOffice(t, map[string]string{"monthly": `"0 8 5 * *"`, "review_days": "3"})
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-05T08:00")
	return o
}

// draftArrives runs due in May's review window and checks that the draft
// went to the operator only, once.
func draftArrives(t *testing.T, o *office) {
	t.Helper()
	o.mustRun(0, "due", "--now", "2025-06-02T09:00")
	o.mustRun(0, "due", "--now", "2025-06-03T09:00")
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("%d letters reached the city bureau before the due time", n)
	}
	drafts := o.operatorLetters()
	if len(drafts) != 1 || !strings.Contains(drafts[0].Subject, "2025年5月") || !strings.Contains(drafts[0].Body, "bulletin withhold --period 2025-05") {
		t.Fatalf("operator letters %q; want one draft of May saying how to withhold it", subjects(drafts))
	}
	sameFiles(t, "draft", drafts[0], pdfs(t, filepath.Join(o.out, "2025-05")))
	// The rejected rows the bulletin no longer tells the city bureau are told the operator.
	if body := drafts[0].Body; !strings.Contains(body, "数据质量（2025-05）：读取文件") || !strings.Contains(body, "数据质量报告") {
		t.Errorf("the draft does not give the data quality:\n%s", body)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Drafted {
		t.Errorf("ledger says %s, want drafted", e.State)
	}
}

func TestReviewWindowSendsTheDraftToTheOperatorThenTheBureau(t *testing.T) {
	t.Parallel()
	o := reviewed(t)
	draftArrives(t, o)

	o.mustRun(0, "due", "--now", "2025-06-05T08:30")
	if letters := o.bureauLetters(); len(letters) != 1 || !strings.Contains(letters[0].Subject, "2025年5月") {
		t.Fatalf("at due time the city bureau got %q, want May's bulletin", subjects(letters))
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent {
		t.Errorf("ledger says %s, want sent", e.State)
	}
}

func TestWithheldDraftIsNotSentUntilSentByHand(t *testing.T) {
	t.Parallel()
	if !slices.ContainsFunc(commands(), func(c command) bool { return c.name == "withhold" }) {
		t.Skip(`"withhold" is not yet in commands() (run.go): add {"withhold", "--period 2025-05 [--reason 文字]", …, runWithhold}`)
	}
	o := reviewed(t)
	draftArrives(t, o)

	o.mustRun(0, "withhold", "--period", "2025-05", "--reason", "数据待核", "--now", "2025-06-04T10:00")
	stdout := o.mustRun(0, "due", "--now", "2025-06-05T08:30")
	if n := len(o.bureauLetters()); n != 0 {
		t.Fatalf("a withheld period was sent (%d letters)", n)
	}
	if !strings.Contains(stdout, "已暂缓") || !strings.Contains(stdout, "数据待核") {
		t.Errorf("due does not say May is withheld and why:\n%s", stdout)
	}
	o.mustRun(0, "send", "--period", "2025-05", "--now", "2025-06-05T09:00")
	if n := len(o.bureauLetters()); n != 1 {
		t.Errorf("%d letters after send, want 1", n)
	}
}

func TestScheduleSendsTheDraftWhenTheReviewWindowOpens(t *testing.T) {
	t.Parallel()
	o := reviewed(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		// Two seconds before May's review window opens at 2 June 08:00.
		done <- Run(ctx, []string{"schedule", "--now", "2025-06-02T07:59:58", "--config", o.cfg, "--data", o.data, "--out", o.out}, &stdout, &stderr)
	}()
	waitForLetter(t, o, done, &stdout, &stderr)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("schedule stopped with %v", err)
	}
	if drafts := o.operatorLetters(); len(drafts) != 1 || !strings.HasPrefix(drafts[0].Subject, "【草稿") {
		t.Errorf("operator letters %q, want May's draft", subjects(drafts))
	}
	if !strings.Contains(stderr.String(), "review window of monthly 2025-05") {
		t.Errorf("log does not say the review window woke it:\n%s", stderr.String())
	}
}

// TestSendRefusesAPeriodNotEnded: on 6 July a person cannot send July,
// August or the second half, with or without --force; nothing is built or
// sent, and the refusal says why in Chinese.
func TestSendRefusesAPeriodNotEnded(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	for _, p := range []string{"2025-07", "2025-08", "2025-H2"} {
		for _, force := range []bool{false, true} {
			args := []string{"send", "--period", p, "--now", "2025-07-06T10:00"}
			if force {
				args = append(args, "--force")
			}
			_, stderr, code := o.run(args...)
			if code != 1 || !strings.Contains(stderr, "还没有结束") {
				t.Errorf("bulletin %s: exit %d, stderr %q; want 1 and a refusal saying it has not ended", strings.Join(args, " "), code, stderr)
			}
		}
	}
	if n := o.mail.Offered(); n != 0 {
		t.Errorf("%d messages offered", n)
	}
	if _, err := os.Stat(filepath.Join(o.out, "2025-07")); !os.IsNotExist(err) {
		t.Errorf("July was built for a refused send (%v)", err)
	}
}

// TestTornLedgerLineNeverBlocks: a crash or a full disk left half a line at
// the end of the ledger. history and due go on, saying so; due moves the
// half line aside.
func TestTornLedgerLineNeverBlocks(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sent 2025-06-01T08:00")
	f, err := os.OpenFile(filepath.Join(o.out, ledger.FileName), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"kind":"monthly","period":"2025-06","state":"send`)
	f.Close()
	stdout, stderr, code := o.run("history")
	if code != 0 || !strings.Contains(stdout, "2025-05") || !strings.Contains(stderr, "第3行不完整") {
		t.Fatalf("history: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// A dry run says so and changes nothing.
	before, _ := os.ReadFile(filepath.Join(o.out, ledger.FileName))
	if _, stderr, code := o.run("due", "--dry-run", "--now", "2025-06-10T09:00"); code != 0 || !strings.Contains(stderr, "第3行不完整") {
		t.Fatalf("due --dry-run: exit %d, stderr %q", code, stderr)
	}
	if after, _ := os.ReadFile(filepath.Join(o.out, ledger.FileName)); string(after) != string(before) {
		t.Error("due --dry-run changed the ledger")
	}
	if _, err := os.Stat(filepath.Join(o.out, ledger.TornFileName)); err == nil {
		t.Error("due --dry-run moved the torn line")
	}
	_, stderr, code = o.run("due", "--now", "2025-06-10T09:00")
	if code != 0 || !strings.Contains(stderr, ledger.TornFileName) {
		t.Fatalf("due: exit %d, stderr %q; want 0 and the torn line moved aside", code, stderr)
	}
	if kept, err := os.ReadFile(filepath.Join(o.out, ledger.TornFileName)); err != nil || !strings.Contains(string(kept), `"period":"2025-06"`) {
		t.Errorf("the torn line was not kept: %q, %v", kept, err)
	} else if !strings.Contains(string(kept), "2025-06-10T09:00:00") {
		t.Errorf("the torn line's note does not say when it was moved, by the run's clock (--now): %q", kept)
	}
	if _, stderr, _ := o.run("history"); strings.Contains(stderr, "不完整") {
		t.Errorf("history still finds a torn line: %s", stderr)
	}
}

// TestDamagedLedgerLineStopsDeliveryAndSaysWhatToDo: a line in the middle
// of the ledger changed by hand. due stops, in Chinese, saying which line
// and what to repair it from; history still lists the lines that read, for
// the person who repairs it, and fails too.
func TestDamagedLedgerLineStopsDeliveryAndSaysWhatToDo(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil)
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00", "monthly 2025-05 sent 2025-06-01T08:00")
	path := filepath.Join(o.out, ledger.FileName)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), `"state":"sent"`, `"state":"snet`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := o.run("due", "--now", "2025-06-10T09:00")
	if code != 1 || !strings.Contains(stderr, "第1行") || !strings.Contains(stderr, "delivery.json") || len(o.bureauLetters()) != 0 {
		t.Errorf("due over a damaged line: exit %d, %d letters\n%s", code, len(o.bureauLetters()), stderr)
	}
	stdout, stderr, code := o.run("history")
	if code != 1 || !strings.Contains(stdout, "2025-05") || strings.Count(stderr, "第1行") != 1 {
		t.Errorf("history over a damaged line: exit %d, want the lines that read and the damage said once\n%s\n%s", code, stdout, stderr)
	}
}

// TestOutputThatCannotBeWrittenHoldsTheDelivery makes each output of May's
// bulletin impossible to write in turn (a folder stands where the file
// goes, as good as a full disk for the rename): nothing goes to the city
// bureau, the period is held and the operator told; once the output can be
// written, the next run sends it once.
func TestOutputThatCannotBeWrittenHoldsTheDelivery(t *testing.T) {
	t.Parallel()
	for i, name := range []string{"quality.json", "数据质量报告-2025年5月.xlsx", "figures.json", "静安城市管理执法工作月报-2025年05月.pdf", "月报数据-2025年05月.xlsx"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			o := newOffice(t, nil)
			recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
			blocker := filepath.Join(o.out, "2025-05", name)
			if err := os.MkdirAll(filepath.Join(blocker, "keep"), 0o755); err != nil {
				t.Fatal(err)
			}
			o.mustRun(1, "due", "--now", "2025-06-01T08:05")
			if n := len(o.bureauLetters()); n != 0 {
				t.Fatalf("%d letters reached the bureau", n)
			}
			if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Held {
				t.Errorf("ledger: %+v; want held", e)
			}
			if len(o.operatorLetters()) != 1 {
				t.Errorf("the operator got %d notices, want 1", len(o.operatorLetters()))
			}
			if i > 0 { // the healing run once is enough
				return
			}
			os.RemoveAll(blocker)
			o.mustRun(0, "due", "--now", "2025-06-02T08:00")
			if n := len(o.bureauLetters()); n != 1 {
				t.Errorf("%d letters after the output could be written, want 1", n)
			}
		})
	}
}

// TestLostReplyAfterDataIsNeverResent: the server takes May's bulletin and
// the connection drops before its reply. due says the outcome is unknown
// and exits 1; later runs send nothing more; history says so; the
// operator's confirmation is recorded without sending.
func TestLostReplyAfterDataIsNeverResent(t *testing.T) {
	t.Parallel()
	o := newOffice(t, nil, smtptest.Fault{Stage: smtptest.Data, HangUp: true})
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
	stdout := o.mustRun(1, "due", "--now", "2025-06-01T08:05")
	if !strings.Contains(stdout, "可能已经到了市局") || !strings.Contains(stdout, "--mark-sent") {
		t.Errorf("due did not say the outcome is unknown and what to do:\n%s", stdout)
	}
	for _, day := range []string{"2025-06-02T08:00", "2025-06-03T08:00"} {
		o.mustRun(1, "due", "--now", day)
	}
	if n := len(o.bureauLetters()); n != 1 {
		t.Fatalf("the bureau's server holds %d copies, want the one it took", n)
	}
	if history := o.mustRun(0, "history"); !strings.Contains(history, "发送结果不明") {
		t.Errorf("history does not show the unknown outcome:\n%s", history)
	}
	o.mustRun(0, "send", "--period", "2025-05", "--mark-sent", "--now", "2025-06-03T10:00")
	o.mustRun(0, "due", "--now", "2025-06-04T08:00")
	if n := len(o.bureauLetters()); n != 1 {
		t.Errorf("%d copies after the confirmation, want 1", n)
	}
	if e := lastEntry(t, o.out, "monthly", "2025-05"); e.State != ledger.Sent || !e.MarkedSent {
		t.Errorf("ledger: %+v; want sent, marked by a person", e)
	}
}
