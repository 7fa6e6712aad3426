package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Receipt records a delivery for the archive.
type Receipt struct {
	MessageID  string
	Recipients []string // envelope recipients: To, then Cc, then Bcc
	// Reply is the server's final reply to DATA, which usually names the
	// queue id, e.g. "250 2.0.0 Ok: queued as 4YQ2kX0Vz1z".
	Reply    string
	Attempts int
	Sent     time.Time // Settings.Now when the server accepted the message
	Size     int64     // encoded size in bytes
}

// Send delivers m with the account and recipients in s, retrying temporary
// failures as the package documentation describes. On failure the error is
// an *Error (delivery failed), a *TooLargeError or wraps ErrInvalid (nothing
// was attempted); see IsPermanent and IsTemporary.
func Send(ctx context.Context, s Settings, m Message) (Receipt, error) {
	s, env, err := s.prepare()
	if err != nil {
		return Receipt{}, err
	}
	if err := m.validate(); err != nil {
		return Receipt{}, err
	}
	date := s.Now()
	size, err := encodedSize(compose(env, m, date))
	if err != nil {
		return Receipt{}, err
	}
	if s.MaxBytes > 0 && size > s.MaxBytes {
		return Receipt{}, &TooLargeError{Size: size, Limit: s.MaxBytes}
	}
	client, err := newClient(s)
	if err != nil {
		return Receipt{}, err
	}

	if err := ctx.Err(); err != nil {
		return Receipt{}, &Error{Interrupted: err}
	}
	wait := s.Backoff
	for attempt := 1; ; attempt++ {
		reply, err := deliver(ctx, client, compose(env, m, date))
		if err == nil {
			return Receipt{
				MessageID:  m.MessageID,
				Recipients: env.recipients(),
				Reply:      reply,
				Attempts:   attempt,
				Sent:       s.Now(),
				Size:       size,
			}, nil
		}
		failure := newError(attempt, err)
		if ctxErr := ctx.Err(); ctxErr != nil {
			failure.Interrupted, failure.Permanent = ctxErr, false
			return Receipt{}, failure
		}
		if failure.Permanent || failure.Unconfirmed || attempt == s.Attempts {
			return Receipt{}, failure
		}
		if err := sleep(ctx, wait); err != nil {
			failure.Interrupted = err
			return Receipt{}, failure
		}
		wait *= 2
	}
}

// deliver runs one SMTP transaction on a new connection and returns the
// server's reply to DATA.
func deliver(ctx context.Context, client *gomail.Client, msg *gomail.Msg) (string, error) {
	err := client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The server has taken the message. A failure after that (RSET,
		// QUIT) must not turn into a retry, which would send a second copy.
		// go-mail keeps the reply text only; it accepted nothing but 250.
		return "250 " + msg.ServerResponse(), nil
	}
	return "", err
}

func newClient(s Settings) (*gomail.Client, error) {
	opts := []gomail.Option{
		gomail.WithPort(s.Port),
		gomail.WithTimeout(s.Timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.Host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}),
	}
	switch s.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if s.User != "" {
		// PLAIN or LOGIN is what office mail servers offer; go-mail's own
		// discovery would prefer NTLM, which needs a Windows domain.
		opts = append(opts,
			gomail.WithUsername(s.User), gomail.WithPassword(s.Password),
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin))
	}
	client, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	return client, nil
}

// sleep waits d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
