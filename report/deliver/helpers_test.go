package deliver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/ledger"
	"bulletin/report/smtptest"
)

// Addresses of the test installation.
const (
	cityBureau = "duty@city.example"
	operator   = "operator@jingan.example"
)

// testConfig is a validated-looking configuration for delivery alone:
// monthly and half-year schedules as given, mail to a loopback server.
func testConfig(t testing.TB, port int, monthly, halfYear string) *report.Config {
	t.Helper()
	cfg := &report.Config{Location: shanghai}
	cfg.Bureau = report.Bureau{Name: "上海市静安区城市管理行政执法局", ShortName: "静安区城管执法局", BulletinName: "静安城市管理执法工作月报"}
	cfg.Distribution.ReportTo = []string{"市城管执法局"}
	var err error
	if cfg.Delivery.Monthly, err = config.ParseSchedule(monthly, shanghai); err != nil {
		t.Fatal(err)
	}
	if cfg.Delivery.HalfYear, err = config.ParseSchedule(halfYear, shanghai); err != nil {
		t.Fatal(err)
	}
	cfg.Delivery.CatchUpDays, cfg.Delivery.MaxRejectedShare = 40, 0.05
	cfg.Delivery.FirstPeriod = report.Month{Year: 2025, Month: time.May} // the office started with May
	cfg.Mail = report.Mail{Host: "127.0.0.1", Port: port, TLS: "none", From: "静安区城管执法局 <bulletin@jingan.example>",
		To: []string{"市局执法监督处 <" + cityBureau + ">"}, Operator: []string{operator},
		MaxBytes: 10 << 20, Attempts: 2, Backoff: report.Duration(time.Millisecond)}
	return cfg
}

// builder writes a small stand-in PDF for a period into its folder. fail,
// when set, makes a build fail (a full disk while writing the outputs).
type builder struct {
	out string

	mu     sync.Mutex
	builds int
	fail   error
}

func (b *builder) Build(_ context.Context, p report.Period, issued report.Date) (*Documents, error) {
	b.mu.Lock()
	b.builds++
	fail := b.fail
	b.mu.Unlock()
	if fail != nil {
		return nil, fail
	}
	dir := filepath.Join(b.out, p.String())
	pdf := File{Name: p.Chinese() + p.ReportName() + ".pdf", Data: []byte(fmt.Sprintf("%%PDF-1.7 %s issued %s", p, issued))}
	if err := report.WriteFileAtomic(filepath.Join(dir, pdf.Name), pdf.Data); err != nil {
		return nil, err
	}
	figures := File{Name: "figures.json", Data: []byte(fmt.Sprintf(`{"period":%q}`, p))}
	quality := File{Name: "quality.json", Data: []byte(`{"inputs":[]}`)}
	return &Documents{Dir: dir, Files: []File{pdf}, Extras: []File{figures, quality},
		Quality: &report.Quality{Inputs: []report.Input{{Rows: 100}}}}, nil
}

// faultyLedger is the real ledger whose appends can fail: the nth append
// from now (1-based) writes half its line, as a disk that fills mid-write
// does, and fails with ENOSPC.
type faultyLedger struct {
	*ledger.Ledger
	mu      sync.Mutex
	appends int
	failAt  int
}

func (l *faultyLedger) Append(e ledger.Entry) (*ledger.Notice, error) {
	l.mu.Lock()
	l.appends++
	fail := l.appends == l.failAt
	l.mu.Unlock()
	if !fail {
		return l.Ledger.Append(e)
	}
	line, _ := json.Marshal(e)
	f, err := os.OpenFile(l.Path(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	f.Write(line[:len(line)/2])
	f.Close()
	return nil, &os.PathError{Op: "write", Path: l.Path(), Err: syscall.ENOSPC}
}

// faultyArchive is DirArchive that can fail with a full disk.
type faultyArchive struct{ fail bool }

func (a *faultyArchive) Keep(dir, name string, files []File) (string, error) {
	if a.fail {
		return "", &os.PathError{Op: "write", Path: filepath.Join(dir, name), Err: syscall.ENOSPC}
	}
	return DirArchive{}.Keep(dir, name, files)
}

// office is one installation under test: its output folder, its mail
// server, and a clock the test sets.
type office struct {
	t       testing.TB
	out     string
	cfg     *report.Config
	mail    *smtptest.Server
	build   *builder
	ledger  *faultyLedger
	archive *faultyArchive

	// mailTimeout bounds an SMTP connection: a late reply never comes
	// before the server closes, so this is how long one costs.
	mailTimeout time.Duration

	mu  sync.Mutex
	now time.Time
	// asked counts the sends a person asked for by period
	// (monthly-2025-05): each may add a message at the bureau.
	asked map[string]int
}

func newOffice(t testing.TB, monthly, halfYear string) *office {
	t.Helper()
	srv := smtptest.NewServer()
	t.Cleanup(srv.Close)
	out := t.TempDir()
	return &office{t: t, out: out, cfg: testConfig(t, srv.Port, monthly, halfYear), mail: srv,
		build: &builder{out: out}, ledger: &faultyLedger{Ledger: ledger.Open(out)}, archive: &faultyArchive{}, mailTimeout: 2 * time.Second}
}

func (o *office) setClock(s string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.now = at(s)
}

// service is a Service of the office with its fault-injecting parts.
func (o *office) service() *Service {
	s := New(o.cfg, o.out, o.build, func() time.Time {
		o.mu.Lock()
		defer o.mu.Unlock()
		return o.now
	}, "")
	s.Ledger, s.Archive = o.ledger, o.archive
	s.MailTimeout = o.mailTimeout
	return s
}

func (o *office) due() (*Report, error) { return o.service().Due(context.Background(), false) }

// bureau lists the subjects of the messages the city bureau's server holds.
func (o *office) bureau() []string {
	var out []string
	for _, m := range o.mail.To(cityBureau) {
		d, err := m.Decode()
		if err != nil {
			o.t.Fatal(err)
		}
		out = append(out, d.Subject)
	}
	return out
}

// perPeriod counts the bureau's messages by the period their Message-ID
// names (monthly-2025-05), second deliveries a person asked for included.
func (o *office) perPeriod() map[string]int {
	counts := map[string]int{}
	for _, m := range o.mail.To(cityBureau) {
		d, err := m.Decode()
		if err != nil {
			o.t.Fatal(err)
		}
		id := strings.TrimPrefix(strings.Split(d.Header.Get("Message-Id"), "@")[0], "<")
		id, _, _ = strings.Cut(id, ".resend-")
		counts[id]++
	}
	return counts
}

// state is the period's last ledger state.
func (o *office) state(p report.Period) ledger.State {
	o.t.Helper()
	entries, _, err := ledger.Open(o.out).Entries()
	if err != nil {
		o.t.Fatal(err)
	}
	var last ledger.State
	for _, e := range entries {
		if e.Period == p {
			last = e.State
		}
	}
	return last
}

// decision is what Due would do now with p.
func (o *office) decision(p report.Period) Decision {
	o.t.Helper()
	r, err := o.service().Due(context.Background(), true)
	if err != nil {
		o.t.Fatal(err)
	}
	for _, it := range r.Items {
		if it.Period == p {
			return it.Decision
		}
	}
	return Decision{}
}

func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
