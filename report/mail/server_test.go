package mail_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"bulletin/report/mail"
)

// delivery is one message a test server accepted.
type delivery struct {
	from    string
	to      []string
	data    []byte
	user    string // authenticated user, "" without AUTH
	tls     bool
	queueID string
}

// errHangUp in a script makes the server close the connection instead of
// answering, as a crashing server would.
var errHangUp = errors.New("hang up")

// recorder is the backend of a real go-smtp server on loopback. It keeps
// what arrives in memory and answers RCPT and DATA from scripts: each
// scripted error is answered once, in order, and then the server accepts.
type recorder struct {
	mu          sync.Mutex
	connections int
	rcptScript  []error
	dataScript  []error
	users       map[string]string // non-nil: AUTH PLAIN required
	accepted    []delivery
	refused     chan error // receives every scripted refusal, if set
}

func (r *recorder) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{rec: r, conn: c}, nil
}

// next pops the next scripted reply.
func (r *recorder) next(script *[]error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(*script) == 0 {
		return nil
	}
	err := (*script)[0]
	*script = (*script)[1:]
	if r.refused != nil {
		r.refused <- err
	}
	return err
}

func (r *recorder) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.accepted...)
}

func (r *recorder) connectionCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.connections
}

type session struct {
	rec  *recorder
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		want, ok := s.rec.users[user]
		if !ok || want != password {
			return smtp.ErrAuthFailed // 535 5.7.8
		}
		s.user = user
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.rec.users != nil && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := s.rec.next(&s.rec.rcptScript); err != nil {
		return err
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := s.rec.next(&s.rec.dataScript); err != nil {
		if err == errHangUp {
			s.conn.Close()
		}
		return err
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.rec.mu.Lock()
	defer s.rec.mu.Unlock()
	queueID := fmt.Sprintf("Q%04dJA", len(s.rec.accepted)+1)
	s.rec.accepted = append(s.rec.accepted, delivery{
		from: s.from, to: append([]string(nil), s.to...), data: data,
		user: s.user, tls: isTLS, queueID: queueID,
	})
	// go-smtp answers a nil error with a fixed "OK: queued"; a 250 given as
	// an SMTPError is written verbatim, so the reply can carry a queue id
	// as real servers' do.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as " + queueID}
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// countingListener counts accepted connections, which go-smtp only
// reports to the backend once the client has said EHLO.
type countingListener struct {
	net.Listener
	rec *recorder
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.rec.mu.Lock()
		l.rec.connections++
		l.rec.mu.Unlock()
	}
	return c, err
}

// serve starts rec on 127.0.0.1 in the given mode and returns its port.
// cert is needed for starttls and tls; for none the server allows AUTH
// without TLS, which go-smtp refuses otherwise.
func serve(t *testing.T, rec *recorder, mode mail.TLSMode, cert *tls.Certificate) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(rec)
	srv.Domain = "mx.test.example"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = testLogger{t}
	switch mode {
	case mail.TLSNone:
		srv.AllowInsecureAuth = true
	case mail.TLSStartTLS:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*cert}}
	case mail.TLSImplicit:
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cert}})
	}
	go srv.Serve(countingListener{ln, rec})
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().(*net.TCPAddr).Port
}

type testLogger struct{ t *testing.T }

func (l testLogger) Printf(format string, v ...any) { l.t.Logf(format, v...) }
func (l testLogger) Println(v ...any)               { l.t.Log(v...) }

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(t *testing.T) (*tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "bulletin test SMTP"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
