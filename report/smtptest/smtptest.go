// Package smtptest provides a real SMTP server on a loopback port for tests,
// in the manner of net/http/httptest: start one, point the code under test
// at its port, look at what arrived. It is github.com/emersion/go-smtp
// with faults a test can inject:
//
//   - a 4xx or 5xx reply at MAIL, RCPT or DATA;
//   - the connection dropped after the whole message arrived, before the
//     reply (the message counts as received: a real server may have
//     queued it);
//   - a reply that comes late, after the client gave up (held until the
//     server is closed; the message counts as received);
//   - connections refused, as when the server is down.
//
// Faults are queued with Fail and used once each, in order, at their
// stage; then the server accepts.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Stage is the SMTP command a fault answers.
type Stage string

const (
	Mail Stage = "MAIL"
	Rcpt Stage = "RCPT"
	Data Stage = "DATA"
)

// Fault is one scripted misbehaviour.
type Fault struct {
	Stage Stage
	// Reply is the answer instead of success, e.g. TryLater or Rejected.
	Reply *smtp.SMTPError
	// HangUp closes the connection instead of answering. At Data the
	// message has arrived whole and counts as received.
	HangUp bool
	// Late, at Data only, takes the message and holds the "250" until the
	// server is closed: the client times out waiting. The message counts
	// as received.
	Late bool
}

// Replies a fault can give.
var (
	TryLater   = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary local problem, try again later"}
	Rejected   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected by policy"}
	NoSuchUser = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
)

// Message is a message the server received.
type Message struct {
	From    string
	To      []string // envelope recipients
	User    string   // the authenticated user, "" without AUTH
	TLS     bool
	QueueID string // in the reply, "Ok: queued as <QueueID>"
	Raw     []byte
	// Fault is the fault that answered the message's DATA (HangUp or Late),
	// or nil when it was accepted normally.
	Fault *Fault
}

// Server is a running test server.
type Server struct {
	Addr string // 127.0.0.1:port
	Port int

	srv     *smtp.Server
	wrap    func(net.Listener) net.Listener
	closing chan struct{}

	mu          sync.Mutex
	ln          net.Listener
	faults      []Fault
	users       map[string]string
	received    []Message
	offered     int // DATA commands, refused ones included
	connections int
	faulted     chan Fault
}

// Option configures NewServer.
type Option func(*Server)

// StartTLS offers STARTTLS with cert.
func StartTLS(cert tls.Certificate) Option {
	return func(s *Server) { s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}} }
}

// ImplicitTLS speaks TLS from the first byte (SMTPS) with cert.
func ImplicitTLS(cert tls.Certificate) Option {
	return func(s *Server) {
		config := &tls.Config{Certificates: []tls.Certificate{cert}}
		s.wrap = func(l net.Listener) net.Listener { return tls.NewListener(l, config) }
	}
}

// NewServer starts a server on a free loopback port. Without a TLS option
// it allows AUTH over plain text, which go-smtp refuses otherwise. Close it
// when done (t.Cleanup(s.Close)).
func NewServer(opts ...Option) *Server {
	s := &Server{closing: make(chan struct{}), faulted: make(chan Fault, 1000), wrap: func(l net.Listener) net.Listener { return l }}
	s.srv = smtp.NewServer(backend{s})
	s.srv.Domain = "mx.test.example"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 30*time.Second, 30*time.Second
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	for _, o := range opts {
		o(s)
	}
	s.srv.AllowInsecureAuth = s.srv.TLSConfig == nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("smtptest: listen: %v", err))
	}
	s.Addr, s.Port = ln.Addr().String(), ln.Addr().(*net.TCPAddr).Port
	s.serve(ln)
	return s
}

func (s *Server) serve(ln net.Listener) {
	s.ln = counting{ln, s}
	go s.srv.Serve(s.wrap(s.ln))
}

// Close stops the server, releasing late replies.
func (s *Server) Close() {
	s.mu.Lock()
	select {
	case <-s.closing:
		s.mu.Unlock()
		return
	default:
		close(s.closing)
	}
	s.mu.Unlock()
	s.srv.Close()
}

// Refuse stops listening: connections are refused until Accept.
func (s *Server) Refuse() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		s.ln.Close()
		s.ln = nil
	}
}

// Accept listens again on the same port after Refuse.
func (s *Server) Accept() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", s.Addr)
	if err != nil {
		return err
	}
	s.serve(ln)
	return nil
}

// Fail queues faults; each is used once, in order, at its stage.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Heal drops the queued faults not used yet.
func (s *Server) Heal() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Pending is the number of queued faults not used yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// Faulted receives each fault as the server applies it.
func (s *Server) Faulted() <-chan Fault { return s.faulted }

// RequireAuth makes the server demand AUTH PLAIN as user with password.
func (s *Server) RequireAuth(user, password string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = map[string]string{user: password}
}

// Messages returns what the server received so far, in order: the
// accepted messages and those that arrived before a HangUp or Late fault.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.received)
}

// To returns the received messages with rcpt among their envelope
// recipients.
func (s *Server) To(rcpt string) []Message {
	var out []Message
	for _, m := range s.Messages() {
		if slices.Contains(m.To, rcpt) {
			out = append(out, m)
		}
	}
	return out
}

// Offered is the number of DATA commands received, refused ones included.
func (s *Server) Offered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.offered
}

// Connections is the number of connections accepted.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connections
}

// next pops the first queued fault for stage, if any.
func (s *Server) next(stage Stage) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Stage == stage {
			s.faults = slices.Delete(s.faults, i, i+1)
			select {
			case s.faulted <- f:
			default:
			}
			return &f
		}
	}
	return nil
}

// counting counts accepted connections, which go-smtp reports to the
// backend only once the client has said EHLO.
type counting struct {
	net.Listener
	s *Server
}

func (l counting) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.s.mu.Lock()
		l.s.connections++
		l.s.mu.Unlock()
	}
	return c, err
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &session{s: b.s, conn: c}, nil
}

type session struct {
	s    *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		ss.s.mu.Lock()
		defer ss.s.mu.Unlock()
		if want, ok := ss.s.users[user]; !ok || want != password {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

// answer applies a fault at a stage before the message.
func (ss *session) answer(f *Fault) error {
	if f.HangUp {
		ss.conn.Close()
		return errors.New("smtptest: hung up")
	}
	return f.Reply
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	ss.s.mu.Lock()
	authRequired := ss.s.users != nil && ss.user == ""
	ss.s.mu.Unlock()
	if authRequired {
		return smtp.ErrAuthRequired
	}
	if f := ss.s.next(Mail); f != nil {
		return ss.answer(f)
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if f := ss.s.next(Rcpt); f != nil {
		return ss.answer(f)
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	f := ss.s.next(Data)
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.offered++
	var queueID string
	if f == nil || f.HangUp || f.Late {
		queueID = fmt.Sprintf("Q%04dJA", len(ss.s.received)+1)
		ss.s.received = append(ss.s.received, Message{From: ss.from, To: slices.Clone(ss.to), User: ss.user, TLS: isTLS, QueueID: queueID, Raw: raw, Fault: f})
	}
	ss.s.mu.Unlock()
	switch {
	case f == nil:
	case f.HangUp:
		ss.conn.Close()
		return errors.New("smtptest: hung up after DATA")
	case f.Late:
		<-ss.s.closing
	default:
		return f.Reply
	}
	// go-smtp answers a nil error with a fixed "OK: queued"; a 250 given
	// as an SMTPError is written verbatim, so that the reply carries a
	// queue id as real servers' do.
	return &smtp.SMTPError{Code: 250, EnhancedCode: smtp.EnhancedCode{2, 0, 0}, Message: "Ok: queued as " + queueID}
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// ClosedPort is a loopback port on which nothing listens: a server that is
// down.
func ClosedPort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("smtptest: listen: %v", err))
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

// SelfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func SelfSigned() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "bulletin test SMTP"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// Decoded is a received message decoded with the standard library only.
type Decoded struct {
	Header  netmail.Header
	Subject string
	Body    string // the text parts, transfer-decoded
	Files   []File
}

// File is a decoded attachment.
type File struct {
	Name        string
	ContentType string
	Data        []byte
}

// Decode parses the message's MIME structure: headers, the decoded
// subject, the text body and the attachments with their decoded names.
func (m Message) Decode() (Decoded, error) {
	var d Decoded
	msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
	if err != nil {
		return d, fmt.Errorf("message does not parse: %w", err)
	}
	d.Header = msg.Header
	var words mime.WordDecoder
	if d.Subject, err = words.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return d, fmt.Errorf("Subject %q: %w", msg.Header.Get("Subject"), err)
	}
	contentType := msg.Header.Get("Content-Type")
	if contentType == "" {
		contentType = "text/plain" // RFC 2045's default
	}
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return d, fmt.Errorf("Content-Type %q: %w", msg.Header.Get("Content-Type"), err)
	}
	if !strings.HasPrefix(mediaType, "multipart/") {
		body, err := io.ReadAll(transferDecoder(msg.Header.Get("Content-Transfer-Encoding"), msg.Body))
		d.Body = string(body)
		return d, err
	}
	return d, d.readParts(multipart.NewReader(msg.Body, params["boundary"]))
}

func (d *Decoded) readParts(parts *multipart.Reader) error {
	var words mime.WordDecoder
	for {
		p, err := parts.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("MIME part: %w", err)
		}
		contentType, params, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if strings.HasPrefix(contentType, "multipart/") {
			if err := d.readParts(multipart.NewReader(p, params["boundary"])); err != nil {
				return err
			}
			continue
		}
		data, err := io.ReadAll(transferDecoder(p.Header.Get("Content-Transfer-Encoding"), p))
		if err != nil {
			return fmt.Errorf("decoding MIME part: %w", err)
		}
		disposition, dparams, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		if disposition != "attachment" {
			d.Body += string(data)
			continue
		}
		name, err := words.DecodeHeader(dparams["filename"])
		if err != nil {
			return fmt.Errorf("attachment name %q: %w", dparams["filename"], err)
		}
		d.Files = append(d.Files, File{Name: name, ContentType: contentType, Data: data})
	}
}

func transferDecoder(encoding string, r io.Reader) io.Reader {
	if strings.EqualFold(encoding, "base64") {
		return base64.NewDecoder(base64.StdEncoding, r)
	}
	return r
}
