package main

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"bulletin/report/ledger"
)

// SMTP replies a test server can be scripted to give.
var (
	tryLater = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary local problem, try again later"}
	refused  = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected by policy"}
)

// mailbox is a real go-smtp server on 127.0.0.1 started by a test. It keeps
// every message it accepts and answers DATA from a script: each scripted
// error is given once, in order, and then it accepts.
type mailbox struct {
	port int

	mu       sync.Mutex
	script   []error
	users    map[string]string // non-nil: AUTH PLAIN required
	accepted []letter
	data     int // DATA commands received, refused ones included
}

// letter is a message the server accepted, decoded with the standard
// library only.
type letter struct {
	from, user string
	rcpt       []string // envelope recipients
	raw        []byte
	queueID    string
	header     netmail.Header
	subject    string
	body       string
	files      []file
}

type file struct {
	name string
	data []byte
}

// startMailbox serves a mailbox on a free loopback port until the test ends.
func startMailbox(t *testing.T, script ...error) *mailbox {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mb := &mailbox{port: ln.Addr().(*net.TCPAddr).Port, script: script}
	srv := smtp.NewServer(mb)
	srv.Domain = "mx.city.test"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return mb
}

// requireAuth makes the server demand AUTH PLAIN as user with password.
func (mb *mailbox) requireAuth(user, password string) {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	mb.users = map[string]string{user: password}
}

// closedPort is a loopback port on which nothing listens: a server that is
// down.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf(format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(v...) }

func (mb *mailbox) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{mb: mb}, nil }

// letters returns what was accepted so far, in order.
func (mb *mailbox) letters() []letter {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return slices.Clone(mb.accepted)
}

// dataCount is the number of messages offered, accepted or not.
func (mb *mailbox) dataCount() int {
	mb.mu.Lock()
	defer mb.mu.Unlock()
	return mb.data
}

// to returns the accepted letters with rcpt among their envelope recipients.
func (mb *mailbox) to(rcpt string) []letter {
	var out []letter
	for _, l := range mb.letters() {
		if slices.Contains(l.rcpt, rcpt) {
			out = append(out, l)
		}
	}
	return out
}

type smtpSession struct {
	mb   *mailbox
	user string
	from string
	rcpt []string
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		s.mb.mu.Lock()
		defer s.mb.mu.Unlock()
		if want, ok := s.mb.users[user]; !ok || want != password {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	if s.mb.users != nil && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.rcpt = append(s.rcpt, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.mb.mu.Lock()
	defer s.mb.mu.Unlock()
	s.mb.data++
	if len(s.mb.script) > 0 {
		reply := s.mb.script[0]
		s.mb.script = s.mb.script[1:]
		return reply
	}
	queueID := fmt.Sprintf("Q%04dJA", len(s.mb.accepted)+1)
	s.mb.accepted = append(s.mb.accepted, letter{from: s.from, user: s.user, rcpt: slices.Clone(s.rcpt), raw: raw, queueID: queueID})
	// A 250 given as an SMTPError is written verbatim, so that the reply
	// carries a queue id as real servers' do.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as " + queueID}
}

func (s *smtpSession) Reset()        { s.from, s.rcpt = "", nil }
func (s *smtpSession) Logout() error { return nil }

// decode parses a letter's MIME structure: headers, the decoded subject, the
// text body and the attachments with their decoded names.
func decode(t *testing.T, l letter) letter {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(l.raw))
	if err != nil {
		t.Fatalf("message does not parse: %v", err)
	}
	l.header = msg.Header
	var words mime.WordDecoder
	if l.subject, err = words.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("Subject %q: %v", msg.Header.Get("Subject"), err)
	}
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		body, err := io.ReadAll(transferDecoder(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
		if err != nil {
			t.Fatal(err)
		}
		l.body = string(body)
		return l
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return l
		}
		if err != nil {
			t.Fatalf("MIME part: %v", err)
		}
		data, err := io.ReadAll(transferDecoder(p.Header.Get("Content-Transfer-Encoding"), p))
		if err != nil {
			t.Fatalf("decoding MIME part: %v", err)
		}
		disposition, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disposition != "attachment" {
			l.body += string(data)
			continue
		}
		name, err := words.DecodeHeader(dparams["filename"])
		if err != nil {
			t.Fatalf("attachment name %q: %v", dparams["filename"], err)
		}
		l.files = append(l.files, file{name, data})
	}
}

func transferDecoder(encoding string, r io.Reader) io.Reader {
	if strings.EqualFold(encoding, "base64") {
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
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
		entry := ledger.Entry{Kind: f[0], Period: f[1], State: ledger.State(f[2]), At: at,
			Recipients: []string{cityBureau}, MessageID: fmt.Sprintf("<%s-%s@jingan.example>", f[0], f[1])}
		if err := l.Append(entry); err != nil {
			t.Fatal(err)
		}
	}
}

// lastEntry is the ledger's last entry for kind and period.
func lastEntry(t *testing.T, out, kind, period string) ledger.Entry {
	t.Helper()
	latest, err := ledger.Open(out).Latest()
	if err != nil {
		t.Fatal(err)
	}
	e, ok := latest[kind+" "+period]
	if !ok {
		t.Fatalf("the ledger has no entry for %s %s", kind, period)
	}
	return e
}
