package mail

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Attachment is one file of the message. ContentType may be empty; it is
// then guessed from the extension of Name.
type Attachment struct {
	Name        string
	Data        []byte
	ContentType string
}

// Message is what is sent. Body is plain UTF-8 text. MessageID is set as
// the Message-ID header exactly as given, angle brackets included, e.g.
// "<bulletin-monthly-2025-05@jingan.example>"; the caller derives it from
// the report period so that a duplicate is recognisable.
type Message struct {
	Subject     string
	Body        string
	Attachments []Attachment
	MessageID   string
}

func (m Message) validate() error {
	var problems []string
	if !validMessageID(m.MessageID) {
		problems = append(problems, fmt.Sprintf("Message-ID %q is not of the form <left@right> in printable ASCII", m.MessageID))
	}
	for i, a := range m.Attachments {
		if strings.TrimSpace(a.Name) == "" {
			problems = append(problems, fmt.Sprintf("attachment %d has no file name", i+1))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// validMessageID checks the shape of RFC 5322 msg-id: "<" id-left "@"
// id-right ">" without blanks or control characters.
func validMessageID(id string) bool {
	inner, ok := strings.CutPrefix(id, "<")
	if !ok {
		return false
	}
	if inner, ok = strings.CutSuffix(inner, ">"); !ok {
		return false
	}
	left, right, ok := strings.Cut(inner, "@")
	if !ok || left == "" || right == "" || strings.ContainsAny(inner, "<>") {
		return false
	}
	for _, r := range inner {
		if r <= ' ' || r > '~' {
			return false
		}
	}
	return true
}

// compose builds a fresh go-mail message. Each attempt gets its own, because
// go-mail does not rewind an attachment whose transfer broke off midway.
func compose(env envelope, m Message, date time.Time) *gomail.Msg {
	// Base64 for body and headers: Chinese text grows by a third instead of
	// tripling as it would in quoted-printable.
	msg := gomail.NewMsg(gomail.WithEncoding(gomail.EncodingB64))
	// Parsed addresses, because go-mail's string setters would encode a
	// Chinese display name together with the address and then fail to parse.
	msg.FromMailAddress(env.from)
	if len(env.to) > 0 {
		msg.ToMailAddress(env.to...)
	}
	if len(env.cc) > 0 {
		msg.CcMailAddress(env.cc...)
	}
	if len(env.bcc) > 0 {
		msg.BccMailAddress(env.bcc...) // envelope only: go-mail writes no Bcc header
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderMessageID, m.MessageID)
	msg.SetDateWithValue(date)
	msg.SetBodyString(gomail.TypeTextPlain, canonicalLineBreaks(m.Body))
	for _, a := range m.Attachments {
		var opts []gomail.FileOption
		if a.ContentType != "" {
			opts = append(opts, gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
		}
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), opts...)
	}
	return msg
}

// canonicalLineBreaks turns LF into CRLF: base64 keeps line breaks as they
// are, and text in MIME's canonical form has CRLF (RFC 2046, 4.1.1).
func canonicalLineBreaks(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

// encodedSize is the number of bytes the message occupies on the wire,
// attachments base64-encoded, before SMTP dot-stuffing.
func encodedSize(msg *gomail.Msg) (int64, error) {
	var n byteCounter
	if _, err := msg.WriteTo(&n); err != nil {
		return 0, fmt.Errorf("mail: encoding the message: %w", err)
	}
	return int64(n), nil
}

type byteCounter int64

func (c *byteCounter) Write(p []byte) (int, error) {
	*c += byteCounter(len(p))
	return len(p), nil
}

// TooLargeError refuses a message whose encoded size exceeds
// Settings.MaxBytes. It is permanent; nothing was sent.
type TooLargeError struct {
	Size  int64 // encoded size in bytes
	Limit int64 // Settings.MaxBytes
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("mail: message is %d bytes (%s) once encoded, over the limit of %d bytes (%s); nothing was sent",
		e.Size, readable(e.Size), e.Limit, readable(e.Limit))
}

// readable shows a size as a clerk reads it next to the limit of a mailbox.
func readable(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
