package deliver

import (
	"fmt"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
)

// Request is what a person asked for a period; the zero Request is the
// schedule's own question ("bulletin due": is it due?).
type Request int

const (
	Scheduled     Request = iota // bulletin due
	SendAsked                    // bulletin send --period
	ForceAsked                   // bulletin send --force: a person looked and sends anyway
	ResendAsked                  // bulletin send --resend: the archived files again
	MarkSentAsked                // bulletin send --mark-sent: the bureau confirmed an interrupted send
	WithholdAsked                // bulletin withhold
)

// Rules are the parts of config.toml's [delivery] that decide.
type Rules struct {
	CatchUpDays int
	ReviewDays  int
	// FirstPeriod: periods ending before this month are none of the tool's
	// business. Zero: no limit.
	FirstPeriod report.Month
	Location    *time.Location
	// RequireApproval: a period goes out only after a leader approved it
	// (delivery.require_approval).
	RequireApproval bool
}

// RulesOf takes the rules from a validated config.
func RulesOf(cfg *report.Config) Rules {
	return Rules{CatchUpDays: cfg.Delivery.CatchUpDays, ReviewDays: cfg.Delivery.ReviewDays,
		FirstPeriod: cfg.Delivery.FirstPeriod, Location: cfg.Location, RequireApproval: cfg.Delivery.RequireApproval}
}

// Situation is everything Decide looks at for one period. It is a plain
// value so that a new condition (a leader's approval in the console) is a
// new field and a new row in the table test.
type Situation struct {
	Period report.Period
	// Due is when the schedule made the period due; zero for a period a
	// person names that the schedule does not list.
	Due time.Time
	// Now is the run's time; Seen is the latest time any run has seen,
	// never earlier than Now: a clock set back does not widen the
	// catch-up window.
	Now, Seen time.Time
	// History is the ledger's entries for the period, oldest first.
	History []ledger.Entry
	// Archived are the deliveries the period's archive folders record
	// (archivedDeliveries), whatever the ledger says.
	Archived []ledger.Entry
	Request  Request
	// Reason is why a person asked (a resend's reason), for the ledger.
	Reason string
	// SeenSent is the Message-ID of the delivery a person asking for a
	// resend saw as the period's latest; empty: not checked.
	SeenSent string
	Rules    Rules
	// Approval is a leader's latest decision on the period in the console
	// (nil: none). Whether the data are still those approved is known only
	// once the documents are built (approvalLapsed).
	Approval *report.Approval
}

// Action is what to do with a period.
type Action int

const (
	Skip      Action = iota // none of our business (before delivery.first_period)
	Wait                    // not due yet, nothing to draft
	Done                    // delivered
	Draft                   // the draft goes to the operator for review
	Send                    // build, check and send to the city bureau
	SendForce               // build and send even if the checks fail
	Resend                  // send the archived files of the last delivery again
	MarkSent                // record the interrupted send as delivered
	Withhold                // record that the operator withheld it
	Confirm                 // a send's outcome is unknown: a person must find out
	Refused                 // the server refused it: a person must correct and send
	Withheld                // withheld by the operator
	TooOld                  // due before the catch-up window: sent only by hand
	// CheckClock: too old by the latest time a run saw, not by this run's
	// clock: one of the two is wrong, and a person must say which.
	CheckClock
	Refuse        // a person's request that cannot be done; Why says why
	AwaitApproval // due, but no leader approved it (delivery.require_approval)
)

var actionNames = [...]string{"skip", "wait", "done", "draft", "send", "send-force", "resend", "mark-sent", "withhold", "confirm", "refused", "withheld", "too-old", "check-clock", "refuse", "await-approval"}

func (a Action) String() string { return actionNames[a] }

// Decision is Decide's answer: the action, why in the clerk's words, and
// the command that is the person's next step, if one is needed.
type Decision struct {
	Action Action
	Why    string
	Next   string
	// Last is the period's last ledger entry (zero if none).
	Last ledger.Entry
	// Sent is the period's last Sent entry (zero if never sent).
	Sent ledger.Entry
	// Unrecorded is a delivery an archive folder records and the ledger
	// does not, when the ledger has none: the ledger lost it (zero if none).
	Unrecorded ledger.Entry
}

// Decide says what to do with a period. It is the whole of the delivery
// rules (docs/deployment.md, "exactly once"); everything else carries its
// answer out.
func Decide(s Situation) Decision {
	var d Decision
	for _, e := range s.History {
		d.Last = e
		if e.State == ledger.Sent {
			d.Sent = e
		}
	}
	p := s.Period
	sent := d.Sent.State == ledger.Sent
	interrupted := d.Last.State == ledger.Sending || d.Last.State == ledger.Unconfirmed
	if !sent {
		for _, e := range s.Archived {
			if !recorded(e, s.History) {
				d.Unrecorded = e
				break
			}
		}
	}
	unrecorded := d.Unrecorded.State == ledger.Sent
	ended := !s.Now.Before(p.End(s.Rules.Location))
	at := func(t time.Time) string { return t.In(s.Rules.Location).Format("2006-01-02 15:04") }
	confirm := func() Decision {
		d.Action = Confirm
		d.Why = fmt.Sprintf("%s 开始发送后没有得到服务器的明确答复（%s，Message-ID %s），邮件可能已经到了市局，不自动重发", at(d.Last.At), stateNames[d.Last.State], d.Last.MessageID)
		if d.Unrecorded.MessageID != "" && d.Unrecorded.MessageID == d.Last.MessageID {
			d.Why = fmt.Sprintf("%s 开始发送的那一封（Message-ID %s），存档 %s 记着服务器已经接收（%s），但报送记录里没有写上“已发送”，多半已经到了市局，不自动重发",
				at(d.Last.At), d.Last.MessageID, d.Unrecorded.Archive, d.Unrecorded.Reply)
		}
		d.Next = fmt.Sprintf("向市局确认：未收到时运行 bulletin send --period %s --force，已收到时运行 bulletin send --period %s --mark-sent", p, p)
		return d
	}
	lost := func() Decision {
		d.Action = Confirm
		when := "时间不明"
		if !d.Unrecorded.At.IsZero() {
			when = at(d.Unrecorded.At)
		}
		d.Why = fmt.Sprintf("存档 %s 记录 %s 已经发送（Message-ID %s），报送记录 %s 里却没有这次发送：报送记录可能被截断、清空或换过，不自动发送，以免重复报送",
			d.Unrecorded.Archive, when, d.Unrecorded.MessageID, ledger.FileName)
		d.Next = fmt.Sprintf("核对 %s（有备份时恢复）；市局已收到时运行 bulletin send --period %s --mark-sent 按存档补记，确需再发时运行 bulletin send --period %s --force", ledger.FileName, p, p)
		return d
	}
	refuse := func(why, next string) Decision {
		d.Action, d.Why, d.Next = Refuse, why, next
		return d
	}
	notEnded := func() Decision {
		return refuse(fmt.Sprintf("%s 还没有结束（%s 才结束），不能报送未结束的期次", p.Chinese(), at(p.End(s.Rules.Location))), "")
	}

	switch s.Request {
	case SendAsked:
		switch {
		case !ended:
			return notEnded()
		case sent:
			return refuse(fmt.Sprintf("%s 已于 %s 报送", p.Chinese(), at(d.Sent.At)),
				fmt.Sprintf("原样重发存档的文件：bulletin send --period %s --resend；报送按现在的数据重新生成的版本：bulletin send --period %s --force", p, p))
		case interrupted:
			return refuse(confirm().Why, d.Next)
		case unrecorded:
			return refuse(lost().Why, d.Next)
		case unapproved(s):
			a := awaitApproval(d, s)
			return refuse(a.Why, a.Next)
		}
		d.Action = Send
		return d
	case ForceAsked:
		if !ended {
			return notEnded()
		}
		d.Action = SendForce
		return d
	case ResendAsked:
		if unrecorded {
			return refuse(lost().Why, fmt.Sprintf("先运行 bulletin send --period %s --mark-sent 按存档补记，再重发", p))
		}
		if !sent {
			return refuse(fmt.Sprintf("%s 还没有报送过，没有可以重发的存档", p.Chinese()), fmt.Sprintf("bulletin send --period %s", p))
		}
		if s.SeenSent != "" && d.Sent.MessageID != s.SeenSent {
			return refuse(fmt.Sprintf("%s 在您看到的那次报送之后，已于 %s 又发过一次（Message-ID %s），这次重发没有执行，以免重复发送",
				p.Chinese(), at(d.Sent.At), d.Sent.MessageID), "刷新报送记录；确实还要再发，再点一次重发")
		}
		d.Action = Resend
		return d
	case MarkSentAsked:
		if !interrupted && !unrecorded {
			return refuse(fmt.Sprintf("%s 没有发送中断、待确认的记录，无需记为已发送（bulletin history 列出报送记录）", p.Chinese()), "")
		}
		d.Action = MarkSent
		return d
	case WithholdAsked:
		if unrecorded {
			return refuse(lost().Why, "")
		}
		if sent || interrupted {
			return refuse(fmt.Sprintf("%s 不能再暂缓：%s %s", p.Chinese(), at(d.Last.At), stateNames[d.Last.State]), "")
		}
		d.Action = Withhold
		return d
	}

	// The schedule's question.
	switch {
	case !s.Rules.FirstPeriod.IsZero() && p.LastMonth().Compare(s.Rules.FirstPeriod) < 0:
		d.Action = Skip
	case sent:
		d.Action = Done
	case interrupted:
		return confirm()
	case unrecorded:
		return lost()
	case d.Last.State == ledger.Failed && d.Last.Permanent:
		d.Action, d.Why = Refused, "邮件没有发出，服务器拒收或邮件设置有误："+d.Last.Reason
		d.Next = fmt.Sprintf("修正后运行 bulletin send --period %s", p)
	case d.Last.State == ledger.Withheld && !approvedSince(s, d.Last.At):
		d.Action, d.Why = Withheld, fmt.Sprintf("%s：%s", at(d.Last.At), d.Last.Reason)
		d.Next = fmt.Sprintf("需要报送时运行 bulletin send --period %s", p)
	case s.Due.IsZero():
		d.Action = Wait
	case s.Due.After(s.Now):
		d.Action = Wait
		if s.Rules.ReviewDays > 0 && !s.Now.Before(s.Due.AddDate(0, 0, -s.Rules.ReviewDays)) && !drafted(s.History) {
			d.Action = Draft
		}
	case !ended:
		d.Action = Wait // the schedule makes a period due only after it ended
	case s.Due.Before(s.Seen.AddDate(0, 0, -s.Rules.CatchUpDays)) && !s.Due.Before(s.Now.AddDate(0, 0, -s.Rules.CatchUpDays)):
		// A clock set back must not widen the window (the period may have
		// been left unsent on purpose); nor may a clock that once ran
		// ahead narrow it in silence.
		d.Action = CheckClock
		d.Why = fmt.Sprintf("按上次运行记下的时间（%s）已超过补发期限 %d 天，按本次运行的时间（%s）还没有：时钟可能被调过，不自动发送",
			at(s.Seen), s.Rules.CatchUpDays, at(s.Now))
		d.Next = fmt.Sprintf("核对服务器的时钟。如果 %s 是错的（时钟曾被调快，或在正式的 out 上用将来的 --now 演练过），删除 out/%s 后再运行 bulletin due；要报送时也可以运行 bulletin send --period %s",
			at(s.Seen), ledger.ClockFileName, p)
	case s.Due.Before(s.Now.AddDate(0, 0, -s.Rules.CatchUpDays)):
		d.Action = TooOld
		d.Why = fmt.Sprintf("已超过补发期限 %d 天，不自动发送", s.Rules.CatchUpDays)
		d.Next = fmt.Sprintf("需要时运行 bulletin send --period %s", p)
	case unapproved(s):
		return awaitApproval(d, s)
	default:
		d.Action = Send
		if d.Last.Reason != "" {
			d.Why = "上次：" + d.Last.Reason
		}
	}
	return d
}

// unapproved tells that the rules want a leader's approval the period has
// not got. A forced send is a person's decision and needs none.
func unapproved(s Situation) bool {
	return s.Rules.RequireApproval && (s.Approval == nil || !s.Approval.Approved)
}

func awaitApproval(d Decision, s Situation) Decision {
	d.Action, d.Why = AwaitApproval, "还没有领导批准"
	if s.Approval != nil {
		d.Why = fmt.Sprintf("领导 %s 暂缓：%s", s.Approval.By, s.Approval.Reason)
	}
	d.Next = "领导在网页工作台「审阅与签发」批准后，下次 bulletin due 报送"
	return d
}

// approvedSince tells whether a leader approved the period after t: a
// later approval releases a withhold (the console's 暂缓, then 批准), as a
// later withhold stands over an approval.
func approvedSince(s Situation, t time.Time) bool {
	return s.Approval != nil && s.Approval.Approved && s.Approval.At.After(t)
}

func drafted(history []ledger.Entry) bool {
	for _, e := range history {
		if e.State == ledger.Drafted {
			return true
		}
	}
	return false
}
