package deliver

import (
	"strings"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Shanghai: "2025-06-01 08:00".
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

var (
	may = report.MonthPeriod(report.Month{Year: 2025, Month: time.May})
	h1  = report.HalfPeriod(report.Half{Year: 2025, N: 1})
)

// entries builds a period's history: "sent", "sending", "failed!" (a
// permanent failure), "failed", "held", "drafted", "withheld",
// "unconfirmed", "resend-failed".
func entries(p report.Period, states ...string) []ledger.Entry {
	var out []ledger.Entry
	for i, s := range states {
		e := ledger.Entry{Period: p, At: at("2025-06-01 08:00").Add(time.Duration(i) * time.Minute), MessageID: "<id>"}
		switch s {
		case "failed!":
			e.State, e.Permanent, e.Reason = ledger.Failed, true, "550 no such mailbox"
		case "resend-failed":
			e.State, e.Resend, e.Reason = ledger.Failed, true, "451 try later"
		default:
			e.State = ledger.State(s)
		}
		out = append(out, e)
	}
	return out
}

// archivedMay is what May's archive folder records of its delivery: the
// sent entry of entries(may, "sending", "sent").
var archivedMay = []ledger.Entry{func() ledger.Entry {
	e := entries(may, "sending", "sent")[1]
	e.Archive = "2025-05/报送存档-20250601-080100"
	return e
}()}

func TestDecide(t *testing.T) {
	rules := Rules{CatchUpDays: 40, ReviewDays: 3, FirstPeriod: report.Month{Year: 2025, Month: time.January}, Location: shanghai}
	due := at("2025-06-01 08:00")
	tests := []struct {
		name    string
		sit     Situation
		want    Action
		whyHas  string // in Why
		nextHas string // in Next
	}{
		// The schedule's question.
		{name: "due and never tried", sit: Situation{Now: at("2025-06-01 08:05")}, want: Send},
		{name: "not due, outside the review window", sit: Situation{Now: at("2025-05-20 08:00")}, want: Wait},
		{name: "review window open, no draft yet", sit: Situation{Now: at("2025-05-29 09:00")}, want: Draft},
		{name: "review window, drafted already", sit: Situation{Now: at("2025-05-30 09:00"), History: entries(may, "drafted")}, want: Wait},
		{name: "due after its draft", sit: Situation{Now: at("2025-06-01 08:05"), History: entries(may, "drafted")}, want: Send},
		{name: "withheld in the review window", sit: Situation{Now: at("2025-05-30 09:00"), History: entries(may, "drafted", "withheld")}, want: Withheld, nextHas: "bulletin send --period 2025-05"},
		{name: "withheld at due time", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "withheld")}, want: Withheld, nextHas: "bulletin send --period 2025-05"},
		{name: "sent", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "sent")}, want: Done},
		{name: "sent, then a resend failed", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "sent", "sending", "resend-failed")}, want: Done},
		{name: "sent, then a forced send interrupted", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "sent", "sending")}, want: Done},
		{name: "killed mid-send", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending")}, want: Confirm, nextHas: "--mark-sent"},
		{name: "reply lost after DATA", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "unconfirmed")}, want: Confirm, nextHas: "--force"},
		{name: "temporary failure is retried", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "failed")}, want: Send},
		{name: "a server name that does not resolve waits, not called the server's refusal", sit: Situation{Now: at("2025-06-02 08:00"), History: []ledger.Entry{{Period: may, State: ledger.Failed, Permanent: true, At: at("2025-06-01 08:00"), Reason: "dial tcp: lookup smtp.jingan.invalid: no such host"}}}, want: Refused, whyHas: "设置有误"},
		{name: "permanent failure waits", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "failed!")}, want: Refused, whyHas: "550", nextHas: "bulletin send --period 2025-05"},
		{name: "held is checked again", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "held")}, want: Send},
		{name: "inside the catch-up window", sit: Situation{Now: at("2025-07-10 08:00")}, want: Send},
		{name: "beyond the catch-up window", sit: Situation{Now: at("2025-07-12 08:00")}, want: TooOld, nextHas: "bulletin send --period 2025-05"},
		{name: "clock set back does not widen the window", sit: Situation{Now: at("2025-07-01 08:00"), Seen: at("2025-08-01 08:00")}, want: CheckClock, whyHas: "2025-08-01 08:00", nextHas: ".delivery-clock"},
		{name: "clock set back, too old by both", sit: Situation{Now: at("2025-07-20 08:00"), Seen: at("2025-08-01 08:00")}, want: TooOld},
		{name: "clock once ran ahead", sit: Situation{Now: at("2025-06-02 08:00"), Seen: at("2026-03-02 08:05")}, want: CheckClock, nextHas: "bulletin send --period 2025-05"},
		{name: "clock set back inside the window", sit: Situation{Now: at("2025-06-05 08:00"), Seen: at("2025-06-20 08:00")}, want: Send},
		{name: "archived, the ledger empty", sit: Situation{Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: Confirm, whyHas: "报送存档-20250601-080100", nextHas: "--mark-sent"},
		{name: "archived, the ledger shows a failure after it", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "failed"), Archived: archivedMay}, want: Confirm, nextHas: "--mark-sent"},
		{name: "archived and recorded", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending", "sent"), Archived: archivedMay}, want: Done},
		{name: "archived, the ledger's sent line lost", sit: Situation{Now: at("2025-06-02 08:00"), History: entries(may, "sending"), Archived: archivedMay}, want: Confirm, whyHas: "服务器已经接收", nextHas: "--mark-sent"},
		{name: "archive unreadable", sit: Situation{Now: at("2025-06-02 08:00"), Archived: []ledger.Entry{{State: ledger.Sent, Archive: "2025-05/报送存档-x"}}}, want: Confirm, whyHas: "时间不明"},
		{name: "before first_period", sit: Situation{Period: report.MonthPeriod(report.Month{Year: 2024, Month: time.December}), Due: at("2025-01-01 08:00"), Now: at("2025-01-02 08:00")}, want: Skip},
		{name: "not scheduled", sit: Situation{Due: time.Time{}, Now: at("2025-06-02 08:00")}, want: Wait},

		// A person's requests.
		{name: "send by hand", sit: Situation{Request: SendAsked, Now: at("2025-06-01 07:00")}, want: Send},
		{name: "send a month not ended", sit: Situation{Request: SendAsked, Now: at("2025-05-31 23:59")}, want: Refuse, whyHas: "还没有结束"},
		{name: "force a month not ended", sit: Situation{Request: ForceAsked, Now: at("2025-05-20 08:00")}, want: Refuse, whyHas: "还没有结束"},
		{name: "send a half not ended", sit: Situation{Period: h1, Request: SendAsked, Now: at("2025-06-30 12:00")}, want: Refuse, whyHas: "2025年上半年 还没有结束"},
		{name: "send a half that ended", sit: Situation{Period: h1, Request: SendAsked, Now: at("2025-07-01 00:00")}, want: Send},
		{name: "send what was sent", sit: Situation{Request: SendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending", "sent")}, want: Refuse, whyHas: "已于", nextHas: "--resend"},
		{name: "send what was interrupted", sit: Situation{Request: SendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending")}, want: Refuse, nextHas: "--mark-sent"},
		{name: "send what was withheld", sit: Situation{Request: SendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "withheld")}, want: Send},
		{name: "send what was refused", sit: Situation{Request: SendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "failed!")}, want: Send},
		{name: "send beyond the catch-up window", sit: Situation{Request: SendAsked, Now: at("2025-12-02 08:00")}, want: Send},
		{name: "force what was interrupted", sit: Situation{Request: ForceAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending")}, want: SendForce},
		{name: "force what was sent", sit: Situation{Request: ForceAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sent")}, want: SendForce},
		{name: "resend what was sent", sit: Situation{Request: ResendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sent", "resend-failed")}, want: Resend},
		{name: "resend what the person saw last", sit: Situation{Request: ResendAsked, SeenSent: "<id>", Now: at("2025-06-02 08:00"), History: entries(may, "sent")}, want: Resend},
		{name: "resend clicked again after the first went", sit: Situation{Request: ResendAsked, SeenSent: "<first>", Now: at("2025-06-02 08:00"), History: entries(may, "sent")}, want: Refuse, whyHas: "又发过一次"},
		{name: "resend what was never sent", sit: Situation{Request: ResendAsked, Now: at("2025-06-02 08:00"), History: entries(may, "failed")}, want: Refuse, whyHas: "还没有报送过"},
		{name: "mark an interrupted send", sit: Situation{Request: MarkSentAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending")}, want: MarkSent},
		{name: "mark an unconfirmed send", sit: Situation{Request: MarkSentAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending", "unconfirmed")}, want: MarkSent},
		{name: "mark a send that failed", sit: Situation{Request: MarkSentAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending", "failed")}, want: Refuse},
		{name: "send what only the archive records", sit: Situation{Request: SendAsked, Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: Refuse, nextHas: "--mark-sent"},
		{name: "resend what only the archive records", sit: Situation{Request: ResendAsked, Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: Refuse, nextHas: "--mark-sent"},
		{name: "mark what only the archive records", sit: Situation{Request: MarkSentAsked, Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: MarkSent},
		{name: "withhold what only the archive records", sit: Situation{Request: WithholdAsked, Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: Refuse},
		{name: "force what only the archive records", sit: Situation{Request: ForceAsked, Now: at("2025-06-02 08:00"), Archived: archivedMay}, want: SendForce},
		{name: "withhold a draft", sit: Situation{Request: WithholdAsked, Now: at("2025-05-30 08:00"), History: entries(may, "drafted")}, want: Withhold},
		{name: "withhold what was sent", sit: Situation{Request: WithholdAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sent")}, want: Refuse},
		{name: "withhold what was interrupted", sit: Situation{Request: WithholdAsked, Now: at("2025-06-02 08:00"), History: entries(may, "sending")}, want: Refuse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.sit
			if s.Period.IsZero() {
				s.Period, s.Due = may, due
			}
			if s.Period == h1 && s.Due.IsZero() {
				s.Due = at("2025-07-05 08:00")
			}
			if tt.name == "not scheduled" {
				s.Due = time.Time{}
			}
			s.Rules = rules
			d := Decide(s)
			if d.Action != tt.want {
				t.Fatalf("Decide = %v (%s), want %v", d.Action, d.Why, tt.want)
			}
			if !strings.Contains(d.Why, tt.whyHas) || !strings.Contains(d.Next, tt.nextHas) {
				t.Errorf("why %q, next %q; want them to contain %q, %q", d.Why, d.Next, tt.whyHas, tt.nextHas)
			}
		})
	}
}
