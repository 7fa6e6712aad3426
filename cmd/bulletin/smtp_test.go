package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"bulletin/report"
	"bulletin/report/ledger"
	"bulletin/report/smtptest"
)

// letter is a message the test server received, decoded.
type letter struct {
	smtptest.Message
	smtptest.Decoded
}

// startMailbox serves a test SMTP server until the test ends.
func startMailbox(t *testing.T, faults ...smtptest.Fault) *smtptest.Server {
	t.Helper()
	srv := smtptest.NewServer()
	srv.Fail(faults...)
	t.Cleanup(srv.Close)
	return srv
}

// atData is each reply given once, in order, to DATA.
func atData(replies ...*smtp.SMTPError) []smtptest.Fault {
	var faults []smtptest.Fault
	for _, r := range replies {
		faults = append(faults, smtptest.Fault{Stage: smtptest.Data, Reply: r})
	}
	return faults
}

// decode decodes a received message.
func decode(t *testing.T, m smtptest.Message) letter {
	t.Helper()
	d, err := m.Decode()
	if err != nil {
		t.Fatal(err)
	}
	return letter{m, d}
}

// Addresses of the test configuration.
const (
	cityBureau = "duty@city.example"
	ccAddress  = "office@jingan.example"
	bccAddress = "archive@jingan.example"
	operator   = "operator@jingan.example"
	sender     = "bulletin@jingan.example"
)

// testConfig writes the repository's config.toml into a temporary folder
// with absolute fonts and templates, [mail] pointed at a loopback server on
// port (plain SMTP, 3 attempts, 5 ms backoff) and the test addresses. set
// changes further keys: set["max_rejected_share"] = "0".
func testConfig(t *testing.T, port int, set map[string]string) string {
	t.Helper()
	text, err := os.ReadFile(repoConfig)
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.ReplaceAll(string(text), `"fonts/`, `"`+filepath.ToSlash(filepath.Join(root, "fonts"))+"/")
	cfg = strings.Replace(cfg, `templates = "templates"`, fmt.Sprintf("templates = %q", filepath.Join(root, "templates")), 1)
	cfg = strings.Replace(cfg, `plans = "plans"`, fmt.Sprintf("plans = %q", filepath.Join(root, "plans")), 1)
	keys := map[string]string{
		"host": `"127.0.0.1"`, "port": fmt.Sprint(port), "tls": `"none"`, "attempts": "3", "backoff": `"5ms"`,
		"from": fmt.Sprintf("%q", "静安区城管执法局 <"+sender+">"),
		"to":   fmt.Sprintf("[%q]", "市局执法监督处 <"+cityBureau+">"), "cc": fmt.Sprintf("[%q]", ccAddress),
		"bcc": fmt.Sprintf("[%q]", bccAddress), "operator": fmt.Sprintf("[%q]", operator),
	}
	for k, v := range set {
		keys[k] = v
	}
	for key, value := range keys {
		line := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + ` = .*$`)
		if n := len(line.FindAllString(cfg, -1)); n != 1 {
			t.Fatalf("config.toml has %d lines setting %s, want 1", n, key)
		}
		cfg = line.ReplaceAllLiteralString(cfg, key+" = "+value)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// shanghai is the bureau's time zone, for ledger entries written by tests.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// recorded appends ledger entries to the output folder out, as earlier runs
// would have: "monthly 2025-04 sent 2025-05-01T08:00".
func recorded(t *testing.T, out string, entries ...string) {
	t.Helper()
	l := ledger.Open(out)
	for _, e := range entries {
		f := strings.Fields(e)
		if len(f) != 4 {
			t.Fatalf("ledger entry %q is not \"kind period state time\"", e)
		}
		at, err := time.ParseInLocation("2006-01-02T15:04", f[3], shanghai)
		if err != nil {
			t.Fatal(err)
		}
		p, err := report.ParsePeriod(f[1])
		if err != nil || string(p.Kind) != f[0] {
			t.Fatalf("ledger entry %q: period %v, %v", e, p, err)
		}
		entry := ledger.Entry{Period: p, State: ledger.State(f[2]), At: at,
			Recipients: []string{cityBureau}, MessageID: fmt.Sprintf("<%s-%s@jingan.example>", f[0], f[1])}
		if _, err := l.Append(entry); err != nil {
			t.Fatal(err)
		}
	}
}

// lastEntry is the ledger's last entry for kind and period.
func lastEntry(t *testing.T, out, kind, period string) ledger.Entry {
	t.Helper()
	entries, _, err := ledger.Open(out).Entries()
	if err != nil {
		t.Fatal(err)
	}
	var last *ledger.Entry
	for i, e := range entries {
		if e.Key() == kind+" "+period {
			last = &entries[i]
		}
	}
	if last == nil {
		t.Fatalf("the ledger has no entry for %s %s", kind, period)
	}
	return *last
}
