package mail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/textproto"
	"strings"
	"syscall"

	gomail "github.com/wneessen/go-mail"
)

// Error is returned by Send when the message was not delivered.
type Error struct {
	Attempts  int  // attempts made; 0 when ctx was done before the first
	Permanent bool // retrying the same message cannot succeed
	// Code is the SMTP reply code of the last failure, 0 when the server
	// never answered (connection refused, timed out, dropped).
	Code int
	// Err is the last attempt's failure; its text carries the server's
	// reply. Nil only when ctx was done before the first attempt.
	Err error
	// Interrupted is ctx.Err() when the caller cancelled while Send was
	// waiting or sending; the failure is then not permanent.
	Interrupted error
	// Unconfirmed means the whole message went to the server but no clear
	// reply came back (the connection dropped, the reply came too late):
	// the server may have taken it. Send never retries such an attempt,
	// which would deliver a second copy; a person has to find out.
	Unconfirmed bool
}

func newError(attempt int, err error) *Error {
	code, temporary := classify(err)
	return &Error{Attempts: attempt, Permanent: !temporary, Code: code, Err: err, Unconfirmed: unconfirmed(code, err)}
}

// unconfirmed tells whether err came after the message's final dot with no
// reply code: whether the server took it is unknown.
func unconfirmed(code int, err error) bool {
	var sendErr *gomail.SendError
	return code == 0 && errors.As(err, &sendErr) && sendErr.Reason == gomail.ErrSMTPDataClose
}

// Error says, for the clerk or the operator who reads it, what happened
// and what to do; the server's own words follow as the detail.
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Unconfirmed:
		fmt.Fprintf(&b, "邮件已全部发给邮件服务器，但没有等到回复（第%d次发送），不知道是否送达，程序不会重发：请向收件方确认是否收到", e.Attempts)
	case e.Interrupted != nil:
		fmt.Fprintf(&b, "发送被中断（%v），已发送%d次，没有发出", e.Interrupted, e.Attempts)
	case e.Permanent:
		fmt.Fprintf(&b, "邮件服务器拒收，重发也不会成功（已发送%d次）：请检查邮件设置（收件地址、账号、密码、加密方式），或请信息科查看", e.Attempts)
	default:
		fmt.Fprintf(&b, "发送%d次都没有成功，邮件服务器暂时连不上或暂时拒收：稍后会自动再试，也可以稍后运行 bulletin due", e.Attempts)
	}
	if e.Err == nil {
		return b.String()
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, "（服务器最后的回复代码 %d；详细信息：%v）", e.Code, e.Err)
	} else {
		fmt.Fprintf(&b, "（服务器没有回复；详细信息：%v）", e.Err)
	}
	return b.String()
}

// Unwrap exposes the last failure and the cancellation, for errors.Is.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.Err, e.Interrupted} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// IsPermanent reports whether err, as returned by Send, means that sending
// the same message again cannot succeed: a 5xx reply, a refused
// certificate, a message over the size limit, invalid settings. The operator
// has to act.
func IsPermanent(err error) bool {
	var failure *Error
	if errors.As(err, &failure) {
		return failure.Permanent
	}
	var tooLarge *TooLargeError
	return errors.As(err, &tooLarge) || errors.Is(err, ErrInvalid)
}

// IsTemporary reports whether err, as returned by Send, left the message
// undelivered for a reason that may pass: a 4xx reply, a server down or
// unreachable, a cancelled run. A later run may try again.
func IsTemporary(err error) bool {
	var failure *Error
	return errors.As(err, &failure) && !failure.Permanent && !failure.Unconfirmed
}

// IsUnconfirmed reports whether err, as returned by Send, leaves it unknown
// whether the server took the message: it was transmitted whole and no
// clear reply came. Sending it again could deliver it twice.
func IsUnconfirmed(err error) bool {
	var failure *Error
	return errors.As(err, &failure) && failure.Unconfirmed
}

// classify finds the SMTP reply code in a go-mail error (0 if there is none)
// and decides whether another attempt may succeed.
func classify(err error) (code int, temporary bool) {
	var reply *textproto.Error // greeting, EHLO, STARTTLS, AUTH
	var sendErr *gomail.SendError
	switch {
	case errors.As(err, &reply):
		code = reply.Code
	case errors.As(err, &sendErr): // MAIL, RCPT, DATA; it hides the reply
		code = sendErr.ErrorCode()
	}
	if code >= 400 && code <= 599 {
		return code, code < 500
	}
	if sendErr != nil {
		return 0, lostConnection(sendErr.Reason)
	}
	return 0, transientNetwork(err)
}

// lostConnection tells whether a SendError without reply code happened on
// the wire (connection gone mid-transaction) rather than in the message.
func lostConnection(reason gomail.SendErrReason) bool {
	switch reason {
	case gomail.ErrConnCheck, gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData,
		gomail.ErrWriteContent, gomail.ErrSMTPDataClose, gomail.ErrSMTPReset:
		return true
	}
	return false
}

// transientNetwork separates network trouble that may pass (refused, reset,
// timed out, closed early) from configuration that will fail again
// (certificate, unknown host, TLS against a plain port, missing STARTTLS).
func transientNetwork(err error) bool {
	var (
		certErr      *tls.CertificateVerificationError
		unknownCA    x509.UnknownAuthorityError
		wrongHost    x509.HostnameError
		invalidCert  x509.CertificateInvalidError
		notTLS       tls.RecordHeaderError
		dnsErr       *net.DNSError
		networkError net.Error
	)
	switch {
	case errors.As(err, &certErr), errors.As(err, &unknownCA), errors.As(err, &wrongHost),
		errors.As(err, &invalidCert), errors.As(err, &notTLS):
		return false
	case errors.As(err, &dnsErr):
		return !dnsErr.IsNotFound
	}
	return errors.As(err, &networkError) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}
