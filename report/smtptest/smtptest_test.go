package smtptest_test

import (
	"net/smtp"
	"strconv"
	"strings"
	"testing"

	"bulletin/report/smtptest"
)

const message = "From: a@x.example\r\nTo: b@y.example\r\nSubject: =?UTF-8?B?5pyI5oql?=\r\nMessage-ID: <m-1@x.example>\r\n\r\nbody\r\n"

func send(s *smtptest.Server) error {
	return smtp.SendMail("127.0.0.1:"+strconv.Itoa(s.Port), nil, "a@x.example", []string{"b@y.example"}, []byte(message))
}

func TestServerReceivesAndDecodes(t *testing.T) {
	s := smtptest.NewServer()
	defer s.Close()
	if err := send(s); err != nil {
		t.Fatal(err)
	}
	got := s.To("b@y.example")
	if len(got) != 1 || got[0].From != "a@x.example" || got[0].QueueID == "" || s.Offered() != 1 || s.Connections() != 1 {
		t.Fatalf("received %+v, offered %d, connections %d", got, s.Offered(), s.Connections())
	}
	d, err := got[0].Decode()
	if err != nil || d.Subject != "月报" || d.Header.Get("Message-Id") != "<m-1@x.example>" || !strings.Contains(d.Body, "body") {
		t.Errorf("decoded %+v, %v", d, err)
	}
}

func TestFaultsAreUsedOnceInOrder(t *testing.T) {
	s := smtptest.NewServer()
	defer s.Close()
	s.Fail(smtptest.Fault{Stage: smtptest.Mail, Reply: smtptest.TryLater},
		smtptest.Fault{Stage: smtptest.Rcpt, Reply: smtptest.NoSuchUser},
		smtptest.Fault{Stage: smtptest.Data, Reply: smtptest.Rejected},
		smtptest.Fault{Stage: smtptest.Data, HangUp: true})
	for _, want := range []string{"451", "550", "550"} {
		if err := send(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("send: %v, want %s", err, want)
		}
	}
	if len(s.Messages()) != 0 {
		t.Fatalf("refused messages were kept: %d", len(s.Messages()))
	}
	if err := send(s); err == nil {
		t.Error("a hang-up after DATA looked like success")
	}
	if got := s.Messages(); len(got) != 1 || got[0].Fault == nil || !got[0].Fault.HangUp {
		t.Errorf("the message taken before the hang-up: %+v", got)
	}
	if err := send(s); err != nil || s.Pending() != 0 || len(s.Messages()) != 2 {
		t.Errorf("after the faults: %v, %d pending, %d messages", err, s.Pending(), len(s.Messages()))
	}
}

func TestRefuseAndAcceptAgain(t *testing.T) {
	s := smtptest.NewServer()
	defer s.Close()
	s.Refuse()
	if err := send(s); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("send to a refusing server: %v", err)
	}
	if err := s.Accept(); err != nil {
		t.Fatal(err)
	}
	if err := send(s); err != nil || len(s.Messages()) != 1 {
		t.Fatalf("after Accept: %v, %d messages", err, len(s.Messages()))
	}
}
