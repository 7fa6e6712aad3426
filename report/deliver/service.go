package deliver

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
	"bulletin/report/mail"
	"bulletin/report/schedule"
)

// listBack is how far back Due looks for undelivered periods to list; only
// those inside delivery.catch_up_days are sent by themselves.
const listBack = 400 * 24 * time.Hour

// File is one file of a delivery, read once so that what is recorded,
// sent and archived is the same bytes.
type File struct {
	Name string
	Data []byte
}

// Documents is what Builder made for a period.
type Documents struct {
	Dir   string // the period's output folder; the archive goes there
	Files []File // the PDFs to send, in the order they are attached
	// Extras are kept in the archive beside Files: figures.json and
	// quality.json (with the sha256 of every input).
	Extras  []File
	Quality *report.Quality // for the pre-send checks
	// Figures and TextSHA256 (the report.TextDigest of the documents) are
	// what a leader's approval is checked against.
	Figures    *report.Figures
	TextSHA256 string
}

// Builder writes a period's documents, dated issued, and reads them back.
// It runs without the delivery lock: it may take long.
type Builder interface {
	Build(ctx context.Context, p report.Period, issued report.Date) (*Documents, error)
}

// Mailer sends one message; mail.Send is the real one.
type Mailer interface {
	Send(ctx context.Context, s mail.Settings, m mail.Message) (mail.Receipt, error)
}

// MailerFunc adapts a function, such as mail.Send, to Mailer.
type MailerFunc func(ctx context.Context, s mail.Settings, m mail.Message) (mail.Receipt, error)

func (f MailerFunc) Send(ctx context.Context, s mail.Settings, m mail.Message) (mail.Receipt, error) {
	return f(ctx, s, m)
}

// Ledger is the record of deliveries and the lock that orders them;
// *ledger.Ledger is the real one.
type Ledger interface {
	Entries() ([]ledger.Entry, *ledger.Notice, error)
	Append(ledger.Entry) (*ledger.Notice, error)
	// Repair sets a torn tail aside (under the lock).
	Repair(now time.Time) (*ledger.Notice, error)
	Lock(ctx context.Context) (unlock func() error, err error)
	// LatestRun is the latest time a run recorded with RecordRun (zero if
	// none): the clock's high-water mark.
	LatestRun() (time.Time, error)
	RecordRun(t time.Time) error
}

// Approvals are the leaders' decisions made in the web console
// (*sqlite.Store).
type Approvals interface {
	LatestApproval(period string) (report.Approval, bool, error)
}

// Archive keeps the files of one delivery; DirArchive is the real one.
type Archive interface {
	// Keep writes files into a new folder dir/name (name-2, … when taken),
	// whole or not at all, and returns its path.
	Keep(dir, name string, files []File) (string, error)
}

// Service delivers one installation's reports. Config, Out, Builder and
// Clock are required; New fills the rest with the real implementations.
type Service struct {
	Config  *report.Config
	Out     string // the output folder: period folders, ledger, lock
	Builder Builder
	Ledger  Ledger
	Mailer  Mailer
	Archive Archive
	// Clock is the time as a run goes on: it decides what is due at the
	// start of each call and stamps the ledger, the archive and the mail.
	Clock func() time.Time
	// Password is the SMTP password (never in config.toml).
	Password string
	// MailTimeout bounds one SMTP connection; 0 is the mail package's.
	MailTimeout time.Duration
	// Approvals are needed when delivery.require_approval is set.
	Approvals Approvals
}

// New is a Service with the real ledger of out, mail.Send and DirArchive.
func New(cfg *report.Config, out string, b Builder, clock func() time.Time, password string) *Service {
	return &Service{Config: cfg, Out: out, Builder: b, Clock: clock, Password: password,
		Ledger: ledger.Open(out), Mailer: MailerFunc(mail.Send), Archive: DirArchive{}}
}

// Report is what one call did, for a person to read: the command line
// prints Lines to standard output and Notices to standard error; the
// console shows them.
type Report struct {
	Lines   []string // what happened, in order
	Notices []string // side remarks: a repaired ledger, an operator not reachable
	Items   []Item   // each period looked at
	// Entries is the ledger, for History.
	Entries []ledger.Entry

	mails []operatorMail // to the operator, sent once the lock is released
}

// Item is one period a call looked at.
type Item struct {
	Period   report.Period
	Due      time.Time
	Decision Decision
}

func (r *Report) line(format string, args ...any) {
	r.Lines = append(r.Lines, fmt.Sprintf(format, args...))
}

func (r *Report) notice(format string, args ...any) {
	r.Notices = append(r.Notices, fmt.Sprintf(format, args...))
}

// operatorMail is a notice to the operator.
type operatorMail struct {
	period     report.Period
	what, text string
}

func (s *Service) rules() Rules { return RulesOf(s.Config) }

func (s *Service) local(t time.Time) string {
	return t.In(s.Config.Location).Format("2006-01-02 15:04")
}

func (s *Service) label(p report.Period, due time.Time) string {
	if due.IsZero() {
		return p.Chinese() + p.ReportName()
	}
	return fmt.Sprintf("%s（%s，应于 %s 报送）", p.Chinese(), p.ReportName(), s.local(due))
}

// Due delivers every report that fell due and was not delivered, oldest
// first; drafts go to the operator when a review window opens. What needs
// a person (an unclear send, a refusal) is reported and makes the error,
// but is never sent again by itself. dryRun only lists.
func (s *Service) Due(ctx context.Context, dryRun bool) (*Report, error) {
	r := &Report{}
	defer s.sendNotices(ctx, r)
	now := s.Clock()
	plan := schedule.NewPlan(s.Config)
	jobs := plan.Between(now.Add(-listBack), now.AddDate(0, 0, s.Config.Delivery.ReviewDays))

	var history, archived map[report.Period][]ledger.Entry
	var seen time.Time
	err := s.withLock(ctx, func() error {
		var err error
		if history, err = s.history(r, !dryRun); err != nil {
			return err
		}
		// Under the lock with the ledger: a run sending now archives
		// before it records, both under the lock.
		archived = map[report.Period][]ledger.Entry{}
		for _, job := range jobs {
			if archived[job.Period], err = s.archived(job.Period); err != nil {
				return err
			}
		}
		if seen, err = s.Ledger.LatestRun(); err != nil {
			r.notice("读不出上次运行的时间（%v），按本次时间计算补发期限", err)
		}
		if !dryRun && now.After(seen) {
			if err := s.Ledger.RecordRun(now); err != nil {
				r.notice("未能记下本次运行的时间：%v", err)
			}
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	if now.Before(seen) {
		r.notice("时钟比上次运行（%s）早：补发期限仍从上次运行的时间算起。如果那个时间是演练时写错的 --now，删除 %s 即可",
			s.local(seen), filepath.Join(s.Out, ledger.ClockFileName))
	}

	var problems []error
	pending, tooOld := 0, 0
	for _, job := range jobs {
		sit := Situation{Period: job.Period, Due: job.Scheduled, Now: now, Seen: seen, History: history[job.Period],
			Archived: archived[job.Period], Rules: s.rules()}
		if sit.Approval, err = s.approval(job.Period); err != nil {
			return r, err
		}
		d := Decide(sit)
		p, label := job.Period, s.label(job.Period, job.Scheduled)
		r.Items = append(r.Items, Item{Period: p, Due: job.Scheduled, Decision: d})
		switch d.Action {
		case Withheld:
			r.line("已暂缓：%s（%s）。%s", label, d.Why, d.Next)
		case AwaitApproval:
			pending++ // due, waiting for a leader: not "nothing to deliver"
			r.line("待批准：%s（%s）。%s", label, d.Why, d.Next)
		case TooOld:
			tooOld++
			r.line("未报送（%s）：%s。%s", d.Why, label, d.Next)
		case CheckClock:
			r.line("需要核对时钟：%s %s。%s", label, d.Why, d.Next)
			if !dryRun {
				r.mails = append(r.mails, operatorMail{p, "时钟前后不一致，没有报送", fmt.Sprintf("%s：%s。\n%s", label, d.Why, d.Next)})
				problems = append(problems, report.Errorf(report.KindDelivery, "%s 没有报送：%s。%s", p, d.Why, d.Next))
			}
		case Refused:
			r.line("没有发出：%s：%s。%s", label, d.Why, d.Next)
			if !dryRun {
				problems = append(problems, report.Errorf(report.KindDelivery, "%s 没有发出（服务器拒收或邮件设置有误）：%s", p, d.Last.Reason))
			}
		case Confirm:
			r.line("需要确认：%s %s。%s", label, d.Why, d.Next)
			if !dryRun {
				r.mails = append(r.mails, operatorMail{p, "发送结果不明，需人工确认", fmt.Sprintf(
					"%s：%s。\n为避免重复报送，程序不会自动重发。\n%s", label, d.Why, d.Next)})
				problems = append(problems, report.Errorf(report.KindDelivery, "%s 需要确认：%s。%s", p, d.Why, d.Next))
			}
		case Draft:
			pending++
			if dryRun {
				r.line("待送审草稿：%s", label)
				continue
			}
			r.line("送审草稿：%s", label)
			if err := s.draft(ctx, r, sit); err != nil {
				problems = append(problems, err)
			}
		case Send:
			pending++
			if dryRun {
				why := d.Why
				if why != "" {
					why = "；" + why
				}
				r.line("待报送：%s%s", label, why)
				continue
			}
			if err := ctx.Err(); err != nil {
				return r, errors.Join(append(problems, err)...)
			}
			r.line("报送：%s", label)
			err := s.build(ctx, r, sit)
			if err == nil {
				continue
			}
			problems = append(problems, err)
			if mail.IsTemporary(err) {
				// The server is down or busy: the later periods would only
				// wait out the same retries. The next run takes them all.
				r.line("邮件服务器暂时无法投递，其余到期报送留待下次运行。")
				return r, errors.Join(problems...)
			}
		}
	}
	switch {
	case pending > 0 || len(problems) > 0:
	case tooOld > 0:
		r.line("没有需要自动报送的月报或自查报告；上面超过补发期限的 %d 期不会自动发送，需要时按提示手动报送。", tooOld)
	default:
		r.line("没有需要报送的月报或自查报告。")
	}
	return r, errors.Join(problems...)
}

// Send carries out a person's request for period p: SendAsked (send it if
// it was never sent), ForceAsked (build and send even if the checks fail or
// it was sent), ResendAsked (the archived files of its last delivery, byte
// for byte) or MarkSentAsked (record an interrupted send the city bureau
// confirmed, sending nothing).
func (s *Service) Send(ctx context.Context, p report.Period, req Request) (*Report, error) {
	return s.ask(ctx, Situation{Period: p, Request: req})
}

// Resend sends p's archived files again for a person who gave reason (kept
// in the ledger), having seen the delivery whose Message-ID is seen as p's
// latest: if another went out since (the same click sent twice, a second
// tab), nothing is sent. An empty seen is not checked.
func (s *Service) Resend(ctx context.Context, p report.Period, reason, seen string) (*Report, error) {
	return s.ask(ctx, Situation{Period: p, Request: ResendAsked, Reason: reason, SeenSent: seen})
}

// ask carries out the request of asked, a Situation with its period,
// request and what the person said filled in.
func (s *Service) ask(ctx context.Context, asked Situation) (*Report, error) {
	r := &Report{}
	defer s.sendNotices(ctx, r)
	p := asked.Period
	switch asked.Request {
	case SendAsked, ForceAsked, ResendAsked, MarkSentAsked:
	default:
		return r, fmt.Errorf("deliver: Send does not take request %d", asked.Request)
	}
	sit, d, err := s.decideNow(ctx, r, asked)
	if err != nil {
		return r, err
	}
	switch d.Action {
	case Refuse:
		return r, refusal(p, d)
	case Send, SendForce:
		return r, s.build(ctx, r, sit)
	case Resend:
		return r, s.resend(ctx, r, sit, d.Sent)
	case MarkSent:
		return r, s.markSent(ctx, r, sit, d)
	}
	return r, fmt.Errorf("deliver: unexpected decision %v for %s", d.Action, p)
}

// Withhold records that the operator stopped period p after reviewing its
// draft: Due leaves it alone; Send still sends it.
func (s *Service) Withhold(ctx context.Context, p report.Period, reason string) (*Report, error) {
	r := &Report{}
	sit, d, err := s.decideNow(ctx, r, Situation{Period: p, Request: WithholdAsked})
	if err != nil {
		return r, err
	}
	if d.Action == Refuse {
		return r, refusal(p, d)
	}
	why := "操作员暂缓报送"
	if reason != "" {
		why += "：" + reason
	}
	err = s.transition(ctx, r, sit, Withhold, func(Decision) error {
		return s.record(r, ledger.Entry{Period: p, State: ledger.Withheld, Reason: why})
	})
	if err == nil {
		r.line("已暂缓 %s%s：bulletin due 不会发送它。需要报送时运行 bulletin send --period %s", p.Chinese(), p.ReportName(), p)
	}
	return r, err
}

// History is the ledger, oldest first, with a line for each entry.
func (s *Service) History(ctx context.Context) (*Report, error) {
	r := &Report{}
	entries, notice, damaged := s.Ledger.Entries()
	if damaged != nil {
		if entries == nil {
			return r, report.E(report.KindDelivery, "读取报送记录", damaged)
		}
		// The lines that read are listed, for the person who repairs it;
		// the damage is the error (not also a notice: it was printed twice).
		damaged = report.E(report.KindDelivery, "读取报送记录", damaged)
	}
	if notice != nil {
		r.notice("%s", notice)
	}
	r.Entries = entries
	if len(entries) == 0 {
		r.line("还没有报送记录。")
		return r, nil
	}
	last := map[report.Period]int{}
	for i, e := range entries {
		last[e.Period] = i
	}
	for i, e := range entries {
		state := stateNames[e.State]
		if e.State == ledger.Sending && last[e.Period] == i {
			state = "发送中断，待确认" // nothing recorded after it: the run died mid-send
		}
		line := fmt.Sprintf("%s  %-8s %-8s %s", e.At.In(s.Config.Location).Format("2006-01-02 15:04:05"), e.Kind, e.Period, state)
		switch {
		case e.State == ledger.Sent && e.Reply != "":
			line += fmt.Sprintf("  收件人 %s  回复 %s", strings.Join(e.Recipients, ","), e.Reply)
			if e.Reason != "" {
				line += "  " + e.Reason
			}
		case e.Reason != "":
			line += "  " + e.Reason
		}
		if e.Resend {
			line += "  （重发）"
		}
		if e.Forced {
			line += "  （照发）"
		}
		r.Lines = append(r.Lines, line)
	}
	return r, damaged
}

var stateNames = map[ledger.State]string{
	ledger.Sent: "已发送", ledger.Sending: "开始发送", ledger.Failed: "发送失败", ledger.Held: "暂停",
	ledger.Drafted: "草稿已送审", ledger.Withheld: "暂缓报送", ledger.Unconfirmed: "发送结果不明，待确认",
}

func refusal(p report.Period, d Decision) error {
	msg := d.Why
	if d.Next != "" {
		msg += "。" + d.Next
	}
	return report.Errorf(report.KindDelivery, "%s", msg)
}

// decideNow decides for what a person asked (sit: the period, the request
// and what the person said), on the ledger as it is.
func (s *Service) decideNow(ctx context.Context, r *Report, sit Situation) (Situation, Decision, error) {
	p := sit.Period
	sit.Now, sit.Rules = s.Clock(), s.rules()
	var d Decision
	var err error
	if sit.Approval, err = s.approval(p); err != nil {
		return sit, d, err
	}
	err = s.withLock(ctx, func() error {
		history, err := s.history(r, true)
		if err != nil {
			return err
		}
		if sit.Archived, err = s.archived(p); err != nil {
			return err
		}
		if sit.Seen, err = s.Ledger.LatestRun(); err != nil {
			sit.Seen = time.Time{}
		}
		sit.History = history[p]
		d = Decide(sit)
		return nil
	})
	r.Items = append(r.Items, Item{Period: p, Decision: d})
	return sit, d, err
}

// approval is a leader's latest decision on p. It is read even when the
// rules do not ask for one: a leader's approval after a withhold releases
// the period (Decide).
func (s *Service) approval(p report.Period) (*report.Approval, error) {
	if s.Approvals == nil {
		if s.Config.Delivery.RequireApproval {
			return nil, report.Errorf(report.KindConfig, "delivery.require_approval 已设置，但没有领导批准的记录可查（网页工作台的数据库）")
		}
		return nil, nil
	}
	a, ok, err := s.Approvals.LatestApproval(p.String())
	if err != nil || !ok {
		return nil, err
	}
	return &a, nil
}

// archived are the deliveries p's archive folders record.
func (s *Service) archived(p report.Period) ([]ledger.Entry, error) {
	found, err := archivedDeliveries(s.Out, filepath.Join(s.Out, p.String()))
	if err != nil {
		return nil, report.E(report.KindDelivery, "读取报送存档", err)
	}
	return found, nil
}

// withLock runs fn holding the delivery lock.
func (s *Service) withLock(ctx context.Context, fn func() error) error {
	unlock, err := s.Ledger.Lock(ctx)
	if err != nil {
		return report.E(report.KindDelivery, "报送锁", err)
	}
	defer unlock()
	return fn()
}

// transition decides again for sit on the ledger as it is under the lock,
// and runs fn only if the decision is still want: another run may have
// acted on the period since the first look.
func (s *Service) transition(ctx context.Context, r *Report, sit Situation, want Action, fn func(Decision) error) error {
	return s.withLock(ctx, func() error {
		history, err := s.history(r, true)
		if err != nil {
			return err
		}
		sit.History = history[sit.Period]
		if sit.Archived, err = s.archived(sit.Period); err != nil {
			return err
		}
		d := Decide(sit)
		switch {
		case d.Action == want:
			return fn(d)
		case d.Action == Refuse:
			return refusal(sit.Period, d)
		}
		r.line("%s 已由同时运行的另一次报送处理（现在：%s），本次不再处理", sit.Period.Chinese(), stateNames[d.Last.State])
		return nil
	})
}

// history reads the ledger by period, under the lock; a torn tail is set
// aside with a notice when repair is set (a dry run changes nothing).
func (s *Service) history(r *Report, repair bool) (map[report.Period][]ledger.Entry, error) {
	entries, notice, err := s.Ledger.Entries()
	if err != nil {
		return nil, report.E(report.KindDelivery, "读取报送记录", err)
	}
	switch {
	case notice == nil:
	case !repair:
		r.notice("%s", notice)
	default:
		if repaired, err := s.Ledger.Repair(s.Clock()); err != nil {
			r.notice("%s；未能移走：%v", notice, err)
		} else if repaired != nil {
			r.notice("%s", repaired)
		}
	}
	byPeriod := map[report.Period][]ledger.Entry{}
	for _, e := range entries {
		byPeriod[e.Period] = append(byPeriod[e.Period], e)
	}
	return byPeriod, nil
}

// record appends to the ledger, stamping the time.
func (s *Service) record(r *Report, e ledger.Entry) error {
	if e.At.IsZero() {
		e.At = s.Clock()
	}
	notice, err := s.Ledger.Append(e)
	if notice != nil {
		r.notice("%s", notice)
	}
	if err != nil {
		return report.E(report.KindDelivery, "写入报送记录", err)
	}
	return nil
}
