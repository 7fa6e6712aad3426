package mail_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"mime"
	netmail "net/mail"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"bulletin/report/mail"
	"bulletin/report/smtptest"
)

var sentAt = time.Date(2025, 6, 1, 8, 0, 3, 0, time.FixedZone("CST", 8*3600))

// start serves a test SMTP server until the test ends.
func start(t *testing.T, opts ...smtptest.Option) *smtptest.Server {
	srv := smtptest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// at makes n faults of one kind at a stage.
func at(stage smtptest.Stage, n int, fault smtptest.Fault) []smtptest.Fault {
	fault.Stage = stage
	faults := make([]smtptest.Fault, n)
	for i := range faults {
		faults[i] = fault
	}
	return faults
}

func settings(port int, mode mail.TLSMode) mail.Settings {
	return mail.Settings{
		Host:     "127.0.0.1",
		Port:     port,
		TLS:      mode,
		From:     "静安区城管执法局 <bulletin@jingan.example>",
		To:       []string{"市局督察处 <duty@city.example>"},
		Cc:       []string{"office@jingan.example"},
		Bcc:      []string{"archive@jingan.example"},
		Attempts: 3,
		Backoff:  time.Millisecond,
		Timeout:  10 * time.Second,
		Now:      func() time.Time { return sentAt },
	}
}

// pseudoRandom gives incompressible bytes that stand in for a PDF.
func pseudoRandom(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func bulletin() mail.Message {
	return mail.Message{
		Subject: "静安区城市管理行政执法局督察工作月报（2025年05月）",
		Body:    "市局督察处：\n\n现报送2025年05月督察工作月报及附表，请查收。\n\n静安区城市管理行政执法局\n",
		Attachments: []mail.Attachment{
			{Name: "静安城市管理执法工作月报-2025年05月.pdf", Data: pseudoRandom(1, 300_000), ContentType: "application/pdf"},
			{Name: "静安城市管理执法工作月报-2025年05月-附表.xlsx", Data: pseudoRandom(2, 40_000)},
			{Name: "figures.json", Data: []byte(`{"period":"2025-05","cases":1234}`), ContentType: "application/json"},
		},
		MessageID: "<bulletin-monthly-2025-05@jingan.example>",
	}
}

// parse decodes a received message, which must be multipart/mixed.
func parse(t *testing.T, m smtptest.Message) smtptest.Decoded {
	t.Helper()
	msg, err := m.Decode()
	if err != nil {
		t.Fatal(err)
	}
	if ct := msg.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed") {
		t.Fatalf("Content-Type %q, want multipart/mixed", ct)
	}
	return msg
}

func addresses(t *testing.T, h netmail.Header, key string) []string {
	t.Helper()
	list, err := h.AddressList(key)
	if err != nil {
		t.Fatalf("%s header: %v", key, err)
	}
	var out []string
	for _, a := range list {
		out = append(out, strings.TrimSpace(a.Name+" <"+a.Address+">"))
	}
	return out
}

func TestMessageArrivesIntact(t *testing.T) {
	srv := start(t)
	s := settings(srv.Port, mail.TLSNone)
	m := bulletin()

	receipt, err := mail.Send(context.Background(), s, m)
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server accepted %d messages, want 1", len(got))
	}
	d := got[0]

	wantRcpt := []string{"duty@city.example", "office@jingan.example", "archive@jingan.example"}
	if d.From != "bulletin@jingan.example" || !slices.Equal(d.To, wantRcpt) {
		t.Errorf("envelope MAIL FROM %q RCPT TO %q, want bulletin@jingan.example and %q", d.From, d.To, wantRcpt)
	}
	wantReceipt := mail.Receipt{
		MessageID:  m.MessageID,
		Recipients: wantRcpt,
		Reply:      "250 2.0.0 Ok: queued as " + d.QueueID,
		Attempts:   1,
		Sent:       sentAt,
		Size:       int64(len(d.Raw)),
	}
	if fmt.Sprint(receipt) != fmt.Sprint(wantReceipt) {
		t.Errorf("receipt\n got %+v\nwant %+v", receipt, wantReceipt)
	}
	if i := bytes.IndexFunc(d.Raw, func(r rune) bool { return r > 127 }); i >= 0 {
		t.Errorf("message is not 7-bit: raw UTF-8 at byte %d: %q", i, d.Raw[max(0, i-40):i+10])
	}

	msg := parse(t, d)
	var decoder mime.WordDecoder
	if subject, err := decoder.DecodeHeader(msg.Header.Get("Subject")); err != nil || subject != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subject, err, m.Subject)
	}
	if id := msg.Header.Get("Message-Id"); id != m.MessageID {
		t.Errorf("Message-ID %q, want %q", id, m.MessageID)
	}
	if date, err := msg.Header.Date(); err != nil || !date.Equal(sentAt) {
		t.Errorf("Date %v (%v), want %v", date, err, sentAt)
	}
	for key, want := range map[string][]string{
		"From": {"静安区城管执法局 <bulletin@jingan.example>"},
		"To":   {"市局督察处 <duty@city.example>"},
		"Cc":   {"<office@jingan.example>"},
	} {
		if got := addresses(t, msg.Header, key); !slices.Equal(got, want) {
			t.Errorf("%s header %q, want %q", key, got, want)
		}
	}
	if bcc, ok := msg.Header["Bcc"]; ok {
		t.Errorf("Bcc recipients revealed in the header: %q", bcc)
	}
	if want := strings.ReplaceAll(m.Body, "\n", "\r\n"); msg.Body != want {
		t.Errorf("body %q, want %q", msg.Body, want)
	}

	if len(msg.Files) != len(m.Attachments) {
		t.Fatalf("%d attachments arrived, want %d", len(msg.Files), len(m.Attachments))
	}
	for i, sent := range m.Attachments {
		arrived := msg.Files[i]
		if arrived.Name != sent.Name {
			t.Errorf("attachment %d named %q, want %q", i+1, arrived.Name, sent.Name)
		}
		if sha256.Sum256(arrived.Data) != sha256.Sum256(sent.Data) {
			t.Errorf("attachment %q: %d bytes arrived with a different sha256 than the %d sent", sent.Name, len(arrived.Data), len(sent.Data))
		}
		want := sent.ContentType
		if want == "" {
			want = mime.TypeByExtension(".xlsx")
		}
		if arrived.ContentType != want {
			t.Errorf("attachment %q has Content-Type %q, want %q", sent.Name, arrived.ContentType, want)
		}
	}
}

func TestTemporaryFailureIsRetriedUntilAccepted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []smtptest.Fault
	}{
		{"451 to MAIL", at(smtptest.Mail, 2, smtptest.Fault{Reply: smtptest.TryLater})},
		{"451 to RCPT", at(smtptest.Rcpt, 2, smtptest.Fault{Reply: smtptest.TryLater})},
		{"451 to DATA", at(smtptest.Data, 2, smtptest.Fault{Reply: smtptest.TryLater})},
		{"connection dropped at RCPT", at(smtptest.Rcpt, 2, smtptest.Fault{HangUp: true})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t)
			srv.Fail(tc.faults...)
			s := settings(srv.Port, mail.TLSNone)
			s.Cc, s.Bcc = nil, nil // one RCPT per attempt

			receipt, err := mail.Send(context.Background(), s, bulletin())
			if err != nil {
				t.Fatal(err)
			}
			if receipt.Attempts != 3 {
				t.Errorf("receipt says %d attempts, want 3", receipt.Attempts)
			}
			if n := srv.Connections(); n != 3 {
				t.Errorf("server saw %d connections, want 3", n)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("server accepted %d copies, want exactly 1", n)
			}
		})
	}
}

// TestLostReplyAfterDataIsUnconfirmedNotRetried: the server took the whole
// message and the connection dropped before its reply. Whether it was
// delivered is unknown, so Send does not try again (which used to leave
// several copies at the city bureau).
func TestLostReplyAfterDataIsUnconfirmedNotRetried(t *testing.T) {
	for name, fault := range map[string]smtptest.Fault{
		"connection dropped": {Stage: smtptest.Data, HangUp: true},
		"reply too late":     {Stage: smtptest.Data, Late: true},
	} {
		t.Run(name, func(t *testing.T) {
			srv := start(t)
			srv.Fail(fault, fault)
			s := settings(srv.Port, mail.TLSNone)
			s.Cc, s.Bcc = nil, nil
			if fault.Late {
				// The late reply never comes before the server closes: the
				// wait is this timeout. A short message, so that sending it
				// never takes as long.
				s.Timeout = 3 * time.Second
			}
			m := bulletin()
			m.Attachments = m.Attachments[2:]
			_, err := mail.Send(context.Background(), s, m)
			if !mail.IsUnconfirmed(err) || mail.IsTemporary(err) || mail.IsPermanent(err) {
				t.Fatalf("err = %v: IsUnconfirmed %v, IsTemporary %v, IsPermanent %v; want true, false, false",
					err, mail.IsUnconfirmed(err), mail.IsTemporary(err), mail.IsPermanent(err))
			}
			if n := srv.Connections(); n != 1 {
				t.Errorf("server saw %d connections, want 1: an unconfirmed send is never retried", n)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("server holds %d copies, want 1", n)
			}
		})
	}
}

func TestPermanentRefusalIsNotRetried(t *testing.T) {
	for _, stage := range []smtptest.Stage{smtptest.Mail, smtptest.Rcpt, smtptest.Data} {
		t.Run(string(stage), func(t *testing.T) {
			srv := start(t)
			srv.Fail(smtptest.Fault{Stage: stage, Reply: smtptest.Rejected})
			s := settings(srv.Port, mail.TLSNone)
			s.Cc, s.Bcc = nil, nil

			_, err := mail.Send(context.Background(), s, bulletin())
			var failure *mail.Error
			if !errors.As(err, &failure) {
				t.Fatalf("error %v is not a *mail.Error", err)
			}
			if !mail.IsPermanent(err) || mail.IsTemporary(err) {
				t.Errorf("IsPermanent %v, IsTemporary %v; want true, false", mail.IsPermanent(err), mail.IsTemporary(err))
			}
			if failure.Attempts != 1 || failure.Code != 550 {
				t.Errorf("attempts %d, code %d; want 1, 550", failure.Attempts, failure.Code)
			}
			if n := srv.Connections(); n != 1 {
				t.Errorf("server saw %d connections, want 1", n)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d copies, want 0", n)
			}
			for _, want := range []string{"已发送1次", "邮件服务器拒收", "请检查邮件设置", "550", smtptest.Rejected.Message} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
		})
	}
}

func TestServerDownIsTemporaryAfterAllAttempts(t *testing.T) {
	s := settings(smtptest.ClosedPort(), mail.TLSNone)

	_, err := mail.Send(context.Background(), s, bulletin())
	var failure *mail.Error
	if !errors.As(err, &failure) {
		t.Fatalf("error %v is not a *mail.Error", err)
	}
	if !mail.IsTemporary(err) || mail.IsPermanent(err) {
		t.Errorf("IsTemporary %v, IsPermanent %v; want true, false", mail.IsTemporary(err), mail.IsPermanent(err))
	}
	if failure.Attempts != s.Attempts || failure.Code != 0 {
		t.Errorf("attempts %d, code %d; want %d, 0", failure.Attempts, failure.Code, s.Attempts)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v does not wrap ECONNREFUSED", err)
	}
	if want := fmt.Sprintf("发送%d次都没有成功", s.Attempts); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestSizeLimitIsCheckedBeforeConnecting(t *testing.T) {
	srv := start(t)
	s := settings(srv.Port, mail.TLSNone)
	s.MaxBytes = 100_000 // the PDF alone is 300 kB

	_, err := mail.Send(context.Background(), s, bulletin())
	var tooLarge *mail.TooLargeError
	if !errors.As(err, &tooLarge) {
		t.Fatalf("error %v is not a *mail.TooLargeError", err)
	}
	if !mail.IsPermanent(err) {
		t.Error("an oversized message is not reported as permanent")
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("server saw %d connections for a refused message, want 0", n)
	}
	for _, want := range []string{fmt.Sprint(tooLarge.Size), fmt.Sprint(s.MaxBytes)} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}

	// The measured size is the size on the wire: one byte less is refused,
	// exactly that much goes through and arrives with that length.
	s.MaxBytes = tooLarge.Size - 1
	if _, err := mail.Send(context.Background(), s, bulletin()); !errors.As(err, &tooLarge) {
		t.Fatalf("limit one byte below the size: error %v, want *mail.TooLargeError", err)
	}
	s.MaxBytes = tooLarge.Size
	receipt, err := mail.Send(context.Background(), s, bulletin())
	if err != nil {
		t.Fatalf("limit equal to the size: %v", err)
	}
	if got := srv.Messages(); len(got) != 1 || int64(len(got[0].Raw)) != tooLarge.Size || receipt.Size != tooLarge.Size {
		t.Errorf("measured %d bytes, receipt says %d, server received %d messages", tooLarge.Size, receipt.Size, len(got))
	}
}

func TestAuthPlain(t *testing.T) {
	const user, password = "jingan-bulletin", "s3cret-口令"
	for _, tc := range []struct {
		name, user, password string
		code                 int // 0: delivered
	}{
		{"right password", user, password, 0},
		{"wrong password", user, "guess", 535},
		{"no credentials", "", "", 502}, // go-smtp's "5.7.0 Please authenticate first"
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t)
			srv.RequireAuth(user, password)
			s := settings(srv.Port, mail.TLSNone)
			s.User, s.Password = tc.user, tc.password

			_, err := mail.Send(context.Background(), s, bulletin())
			if tc.code == 0 {
				if err != nil {
					t.Fatal(err)
				}
				got := srv.Messages()
				if len(got) != 1 {
					t.Fatalf("server accepted %d messages, want 1", len(got))
				}
				if got[0].User != user {
					t.Errorf("authenticated as %q, want %q", got[0].User, user)
				}
				return
			}
			var failure *mail.Error
			if !errors.As(err, &failure) || failure.Code != tc.code || !failure.Permanent || failure.Attempts != 1 {
				t.Fatalf("error %v; want a permanent *mail.Error with code %d after 1 attempt", err, tc.code)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d messages, want 0", n)
			}
		})
	}
}

func TestTLS(t *testing.T) {
	cert, trusted := smtptest.SelfSigned()
	withTLS := map[mail.TLSMode]smtptest.Option{mail.TLSStartTLS: smtptest.StartTLS(cert), mail.TLSImplicit: smtptest.ImplicitTLS(cert)}
	for _, mode := range []mail.TLSMode{mail.TLSStartTLS, mail.TLSImplicit} {
		t.Run(string(mode), func(t *testing.T) {
			srv := start(t, withTLS[mode])
			srv.RequireAuth("bulletin", "pw")
			s := settings(srv.Port, mode)
			s.User, s.Password, s.RootCAs = "bulletin", "pw", trusted

			if _, err := mail.Send(context.Background(), s, bulletin()); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 || !got[0].TLS || got[0].User != "bulletin" {
				t.Fatalf("deliveries %+v; want one, over TLS, authenticated", got)
			}
		})
		t.Run(string(mode)+" untrusted certificate", func(t *testing.T) {
			srv := start(t, withTLS[mode])
			s := settings(srv.Port, mode) // RootCAs nil: system roots

			_, err := mail.Send(context.Background(), s, bulletin())
			var unknownCA x509.UnknownAuthorityError
			if !errors.As(err, &unknownCA) || !mail.IsPermanent(err) {
				t.Fatalf("error %v; want a permanent unknown-authority failure", err)
			}
			if n := srv.Connections(); n != 1 {
				t.Errorf("server saw %d connections, want 1: a bad certificate is not retried", n)
			}
		})
	}
	t.Run("starttls not offered", func(t *testing.T) {
		srv := start(t)
		s := settings(srv.Port, mail.TLSStartTLS)
		s.RootCAs = trusted

		_, err := mail.Send(context.Background(), s, bulletin())
		if !mail.IsPermanent(err) || !strings.Contains(err.Error(), "STARTTLS") {
			t.Fatalf("error %v; want a permanent failure naming STARTTLS", err)
		}
		if n := len(srv.Messages()); n != 0 {
			t.Errorf("message went out in clear text (%d deliveries)", n)
		}
	})
}

func TestCancelDuringBackoff(t *testing.T) {
	srv := start(t)
	srv.Fail(at(smtptest.Data, 3, smtptest.Fault{Reply: smtptest.TryLater})...)
	s := settings(srv.Port, mail.TLSNone)
	s.Backoff = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-srv.Faulted()
		cancel()
	}()

	done := make(chan error, 1)
	go func() {
		_, err := mail.Send(ctx, s, bulletin())
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(time.Minute): // a liveness guard; the backoff is an hour
		t.Fatal("Send still waiting a minute after ctx was cancelled")
	}
	var failure *mail.Error
	if !errors.As(err, &failure) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v; want a *mail.Error wrapping context.Canceled", err)
	}
	if failure.Attempts != 1 || failure.Code != 451 || !mail.IsTemporary(err) {
		t.Errorf("attempts %d, code %d, temporary %v; want 1, 451, true", failure.Attempts, failure.Code, mail.IsTemporary(err))
	}
	if n := srv.Connections(); n != 1 {
		t.Errorf("server saw %d connections, want 1", n)
	}
}

func TestInvalidInputIsRefusedWithoutConnecting(t *testing.T) {
	srv := start(t)
	port := srv.Port
	for _, tc := range []struct {
		name   string
		change func(*mail.Settings, *mail.Message)
		want   string
	}{
		{"no recipients", func(s *mail.Settings, _ *mail.Message) { s.To, s.Cc, s.Bcc = nil, nil, nil }, "no recipients"},
		{"bad address", func(s *mail.Settings, _ *mail.Message) { s.Cc = []string{"市局 duty"} }, `Cc address "市局 duty"`},
		{"recipient twice", func(s *mail.Settings, _ *mail.Message) { s.Bcc = []string{"Duty@City.example"} }, "listed twice"},
		{"TLS mode", func(s *mail.Settings, _ *mail.Message) { s.TLS = "ssl" }, `TLS mode "ssl"`},
		{"Message-ID without brackets", func(_ *mail.Settings, m *mail.Message) { m.MessageID = "bulletin-2025-05@jingan.example" }, "Message-ID"},
		{"attachment without name", func(_ *mail.Settings, m *mail.Message) { m.Attachments[0].Name = " " }, "attachment 1 has no file name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, m := settings(port, mail.TLSNone), bulletin()
			tc.change(&s, &m)
			_, err := mail.Send(context.Background(), s, m)
			if !errors.Is(err, mail.ErrInvalid) || !mail.IsPermanent(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want ErrInvalid mentioning %q", err, tc.want)
			}
		})
	}
	if n := srv.Connections(); n != 0 {
		t.Errorf("server saw %d connections for invalid input, want 0", n)
	}
}

func TestParseTLSMode(t *testing.T) {
	for in, want := range map[string]mail.TLSMode{"none": mail.TLSNone, " STARTTLS ": mail.TLSStartTLS, "tls": mail.TLSImplicit} {
		if got, err := mail.ParseTLSMode(in); err != nil || got != want {
			t.Errorf("ParseTLSMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ssl", "starttls-optional"} {
		if _, err := mail.ParseTLSMode(in); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%q", in)) {
			t.Errorf("ParseTLSMode(%q) error %v; want one naming the value", in, err)
		}
	}
}
