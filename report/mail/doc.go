// Package mail sends a report by SMTP with github.com/wneessen/go-mail.
//
// Send builds the message once to measure it and refuses it, before any
// connection, when its encoded size exceeds Settings.MaxBytes. It then makes
// up to Settings.Attempts attempts, each on a fresh connection that carries
// the whole transaction (TLS, AUTH, MAIL, RCPT, DATA).
//
// Retry policy. An attempt that fails temporarily is retried: a 4xx reply
// (greylisting, mailbox busy, server shutting down), a connection refused,
// reset or timed out, a connection lost in the middle of the transaction.
// The first wait is Settings.Backoff and it doubles before each further
// attempt (30s, 1m, 2m with the defaults). A permanent failure stops at
// once, because repeating it would only annoy the server and delay the
// operator's notice: a 5xx reply (unknown mailbox, message refused,
// credentials refused), a certificate that does not verify, a server that
// lacks STARTTLS or AUTH when they are required, an unknown host name.
// Cancelling ctx ends the wait between attempts immediately; an attempt in
// progress is bounded by Settings.Timeout.
//
// After giving up Send returns an *Error that names the attempts made and
// the last failure with the server's reply; IsPermanent and IsTemporary
// tell the caller whether to alert the operator or to leave the period for
// the next run.
//
// One outcome is neither: the message was transmitted whole (the final dot
// went out) but no clear reply came back, because the connection dropped or
// the reply came after Settings.Timeout. The server may have taken it, so
// Send does not retry: it returns an *Error marked Unconfirmed
// (IsUnconfirmed), for a person to find out. The caller-chosen Message-ID
// lets the recipient recognise a second copy should a person send again.
package mail
