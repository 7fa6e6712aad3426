package mail

import (
	"crypto/x509"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"
)

// TLSMode says how the connection to the SMTP server is protected.
type TLSMode string

const (
	// TLSNone is plain SMTP. go-mail then sends credentials only to a
	// loopback server, so use it with a user only for a local relay.
	TLSNone TLSMode = "none"
	// TLSStartTLS upgrades the connection with STARTTLS and refuses to
	// continue when the server does not offer it (no silent downgrade).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS, usually port 465).
	TLSImplicit TLSMode = "tls"
)

// ParseTLSMode accepts none, starttls or tls, ignoring case and surrounding
// blanks as an environment variable may carry them.
func ParseTLSMode(s string) (TLSMode, error) {
	mode := TLSMode(strings.ToLower(strings.TrimSpace(s)))
	switch mode {
	case TLSNone, TLSStartTLS, TLSImplicit:
		return mode, nil
	}
	return "", fmt.Errorf("TLS mode %q is not one of none, starttls, tls", s)
}

// defaultPort is the registered port of each mode (RFC 8314 for 465).
func (m TLSMode) defaultPort() int {
	switch m {
	case TLSStartTLS:
		return 587
	case TLSImplicit:
		return 465
	}
	return 25
}

// Defaults applied to zero fields of Settings.
const (
	DefaultAttempts = 4
	DefaultBackoff  = 30 * time.Second
	// DefaultTimeout is generous because it bounds the whole DATA transfer,
	// and a bulletin with its PDFs may take a minute on a slow uplink.
	DefaultTimeout = 2 * time.Minute
	// maxAttempts keeps the doubling backoff within hours, not days.
	maxAttempts = 10
)

// Settings is the SMTP account, the envelope and the retry policy of Send.
type Settings struct {
	Host string
	Port int // 0: 25, 587 or 465 according to TLS
	// User and Password authenticate with PLAIN if the server offers it,
	// else LOGIN, else what go-mail discovers (SCRAM, CRAM-MD5, NTLM).
	// An empty User means no authentication.
	User     string
	Password string
	TLS      TLSMode
	// RootCAs verifies the server certificate; nil means the system roots.
	// Tests put their self-signed certificate here; verification is never
	// switched off.
	RootCAs *x509.CertPool

	// From, To, Cc and Bcc are RFC 5322 addresses, display names allowed
	// in any script: "静安区城管执法局 <bulletin@jingan.example>".
	From        string
	To, Cc, Bcc []string

	MaxBytes int64         // limit of the encoded message; 0 means no limit
	Attempts int           // attempts in all, 1..10; 0 means DefaultAttempts
	Backoff  time.Duration // wait after the first failure, doubled each time; 0 means DefaultBackoff
	Timeout  time.Duration // per connection, including DATA; 0 means DefaultTimeout
	// Now stamps the Date header and Receipt.Sent; nil means time.Now.
	Now func() time.Time
}

// ErrInvalid marks settings or a message that cannot be sent as given.
// Such errors are permanent; nothing was sent.
var ErrInvalid = errors.New("mail: invalid settings or message")

// envelope holds the parsed addresses.
type envelope struct {
	from        *netmail.Address
	to, cc, bcc []*netmail.Address
}

// recipients lists the envelope recipients (RCPT TO) in order.
func (e envelope) recipients() []string {
	var all []string
	for _, list := range [][]*netmail.Address{e.to, e.cc, e.bcc} {
		for _, a := range list {
			all = append(all, a.Address)
		}
	}
	return all
}

// prepare fills defaults and parses the addresses, reporting every problem
// at once so that one look at config.toml fixes them all.
func (s Settings) prepare() (Settings, envelope, error) {
	var problems []string
	var env envelope
	addr := func(field, value string) *netmail.Address {
		a, err := netmail.ParseAddress(value)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s address %q: %v", field, value, err))
		}
		return a
	}
	list := func(field string, values []string) []*netmail.Address {
		var out []*netmail.Address
		for _, v := range values {
			if a := addr(field, v); a != nil {
				out = append(out, a)
			}
		}
		return out
	}

	if strings.TrimSpace(s.Host) == "" {
		problems = append(problems, "SMTP host is empty")
	}
	if mode, err := ParseTLSMode(string(s.TLS)); err != nil {
		problems = append(problems, err.Error())
	} else {
		s.TLS = mode
	}
	if s.Port == 0 {
		s.Port = s.TLS.defaultPort()
	}
	if s.Port < 1 || s.Port > 65535 {
		problems = append(problems, fmt.Sprintf("SMTP port %d is outside 1..65535", s.Port))
	}
	if s.From == "" {
		problems = append(problems, "sender (From) is empty")
	} else {
		env.from = addr("From", s.From)
	}
	env.to, env.cc, env.bcc = list("To", s.To), list("Cc", s.Cc), list("Bcc", s.Bcc)
	if len(s.To)+len(s.Cc)+len(s.Bcc) == 0 {
		problems = append(problems, "no recipients (To, Cc and Bcc are empty)")
	}
	seen := map[string]bool{}
	for _, r := range env.recipients() {
		// A repeated address would receive the report twice.
		if key := strings.ToLower(r); seen[key] {
			problems = append(problems, fmt.Sprintf("recipient %s is listed twice", r))
		} else {
			seen[key] = true
		}
	}

	if s.Attempts == 0 {
		s.Attempts = DefaultAttempts
	}
	if s.Attempts < 1 || s.Attempts > maxAttempts {
		problems = append(problems, fmt.Sprintf("attempts %d is outside 1..%d", s.Attempts, maxAttempts))
	}
	if s.Backoff == 0 {
		s.Backoff = DefaultBackoff
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if s.Backoff < 0 || s.Timeout < 0 || s.MaxBytes < 0 {
		problems = append(problems, "backoff, timeout and size limit must not be negative")
	}
	if s.Now == nil {
		s.Now = time.Now
	}

	if len(problems) > 0 {
		return s, env, fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return s, env, nil
}
