package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/ledger"
	"bulletin/report/mail"
	"bulletin/report/schedule"
)

// listBack is how far back "bulletin due" looks for undelivered periods to
// list; only those inside delivery.catch_up_days are sent by themselves.
const listBack = 400 * 24 * time.Hour

// archivePrefix starts the name of the folder that keeps one delivery's
// files, byte for byte, inside the period's output folder.
const archivePrefix = "报送存档-"

// period is a delivery's key: a kind and a period.
type period struct {
	kind  string // schedule.Monthly or schedule.HalfYear
	month report.Month
	half  report.Half
}

func parsePeriod(s string) (period, error) {
	if m, err := report.ParseMonth(s); err == nil {
		return period{kind: schedule.Monthly, month: m}, nil
	}
	if h, err := report.ParseHalf(s); err == nil {
		return period{kind: schedule.HalfYear, half: h}, nil
	}
	return period{}, report.Errorf(report.KindUsage, "--period “%s”既不是月份也不是半年：月报写 --period 2025-05，自查报告写 --period 2025-H1", s)
}

// requiredPeriod parses a --period that must be given.
func requiredPeriod(s string) (period, error) {
	if s == "" {
		return period{}, report.Errorf(report.KindUsage, "要写明哪一期，如 --period 2025-05（月报）或 --period 2025-H1（自查报告）")
	}
	return parsePeriod(s)
}

func (p period) String() string {
	if p.kind == schedule.Monthly {
		return p.month.String()
	}
	return p.half.String()
}

func (p period) Chinese() string {
	if p.kind == schedule.Monthly {
		return p.month.Chinese()
	}
	return p.half.Chinese()
}

// key names the period like a ledger entry and a schedule job do.
func (p period) key() string { return ledger.Entry{Kind: p.kind, Period: p.String()}.Key() }

// messageID is derived from the period, so that a duplicate delivery of the
// same report (a retry after a lost reply, a forced send after an
// interruption) is recognisable as such by the receiving side. A deliberate
// second delivery of a period already sent (--resend, or --force with
// corrected data) gets its own id, with the time, so that a mail system
// that drops duplicates still delivers it.
func (p period) messageID(cfg *report.Config, resentAt time.Time) string {
	left := p.kind + "-" + p.String()
	if !resentAt.IsZero() {
		left += ".resend-" + resentAt.Format("20060102T150405")
	}
	return "<" + left + "@" + mailDomain(cfg) + ">"
}

// mailDomain is the sender's domain, the right-hand side of our Message-IDs.
func mailDomain(cfg *report.Config) string {
	if _, d, ok := strings.Cut(cfg.Mail.From, "@"); ok {
		return strings.Trim(d, "> ")
	}
	return "bulletin.invalid"
}

// deliverer carries what one delivery command needs.
type deliverer struct {
	e   *env
	cfg *report.Config
	// now is the run's moment: it decides what is due and dates the
	// documents.
	now time.Time
	// started is the real time at which now was taken, so that clock
	// advances from now also in a rehearsal with --now.
	started time.Time
	ledger  *ledger.Ledger
}

func (e *env) newDeliverer(cfg *report.Config, now time.Time) *deliverer {
	return &deliverer{e: e, cfg: cfg, now: now, started: time.Now(), ledger: ledger.Open(e.outDir)}
}

// clock is the time as the run goes on, for the ledger, the archive and the
// Date header: a build and a retried send take a while.
func (d *deliverer) clock() time.Time { return d.now.Add(time.Since(d.started)) }

func (d *deliverer) local(t time.Time) string { return t.In(d.cfg.Location).Format("2006-01-02 15:04") }

// beforeFirstPeriod reports whether p ended before delivery.first_period,
// the month the office started using the tool.
func (d *deliverer) beforeFirstPeriod(p period) bool {
	first, err := report.ParseMonth(d.cfg.Delivery.FirstPeriod)
	if err != nil { // not set
		return false
	}
	last := p.month
	if p.kind == schedule.HalfYear {
		last = p.half.Last()
	}
	return last.Compare(first) < 0
}

// deliveryOf sets up a command that acts on one period: the period, the
// config at --now, and the delivery lock held (release it with unlock).
func (e *env) deliveryOf(periodFlag, nowFlag string) (d *deliverer, p period, unlock func() error, err error) {
	if p, err = requiredPeriod(periodFlag); err != nil {
		return nil, p, nil, err
	}
	cfg, now, err := e.configAt(nowFlag)
	if err != nil {
		return nil, p, nil, err
	}
	d = e.newDeliverer(cfg, now)
	if unlock, err = d.lock(); err != nil {
		return nil, p, nil, err
	}
	return d, p, unlock, nil
}

// lock takes the output folder's delivery lock (see ledger.Lock).
func (d *deliverer) lock() (func() error, error) {
	unlock, err := ledger.Lock(d.e.outDir)
	if err != nil {
		return nil, report.E(report.KindDelivery, "", err)
	}
	return unlock, nil
}

func runDue(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	nowFlag := clockFlag(fs)
	dryRun := fs.Bool("dry-run", false, "只列出应报送的期次，不生成、不发送")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, now, err := e.configAt(*nowFlag)
	if err != nil {
		return err
	}
	return e.newDeliverer(cfg, now).due(ctx, *dryRun)
}

// due delivers every report that fell due and was not delivered, oldest
// first, under the output folder's lock so that two runs deliver once. What
// needs a person (an interrupted send, a refusal) is reported and makes the
// run fail, but is never sent again by itself.
func (d *deliverer) due(ctx context.Context, dryRun bool) error {
	plan, err := schedule.NewPlan(d.cfg.Delivery.Monthly, d.cfg.Delivery.HalfYear, d.cfg.Location)
	if err != nil {
		return report.E(report.KindConfig, "", err)
	}
	unlock, err := d.lock()
	if err != nil {
		return err
	}
	defer unlock()
	latest, err := d.ledger.Latest()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	catchUpFrom := d.now.AddDate(0, 0, -d.cfg.Delivery.CatchUpDays)
	var problems []error
	pending := 0
	// With a review window, the jobs falling due within review_days are
	// looked at too: their drafts go to the operator now.
	for _, job := range plan.Between(d.now.Add(-listBack), d.now.AddDate(0, 0, d.cfg.Delivery.ReviewDays)) {
		p, err := parsePeriod(job.Period)
		if err != nil {
			return err // the schedule names only months and halves
		}
		if d.beforeFirstPeriod(p) {
			continue
		}
		last, seen := latest[job.Key()]
		label := fmt.Sprintf("%s（%s，应于 %s 报送）", p.Chinese(), kindName(p.kind), d.local(job.Scheduled))
		if job.Scheduled.After(d.now) {
			if seen { // drafted already, withheld, or sent by hand
				continue
			}
			pending++
			if dryRun {
				fmt.Fprintf(d.e.stdout, "待送审草稿：%s\n", label)
				continue
			}
			fmt.Fprintf(d.e.stdout, "送审草稿：%s\n", label)
			if err := d.draft(ctx, p, job.Scheduled); err != nil {
				problems = append(problems, err)
			}
			continue
		}
		switch {
		case seen && last.State == ledger.Sent:
			continue
		case seen && last.State == ledger.Withheld:
			fmt.Fprintf(d.e.stdout, "已暂缓：%s（%s：%s）。需要报送时运行 bulletin send --period %s\n", label, d.local(last.At), last.Reason, p)
		case seen && last.State == ledger.Sending:
			fmt.Fprintf(d.e.stdout, "需要确认：%s 上次发送中断（%s，Message-ID %s），邮件可能已经发出，不自动重发。"+
				"向市局确认：未收到时运行 bulletin send --period %s --force，已收到时运行 bulletin send --period %s --mark-sent\n",
				label, d.local(last.At), last.MessageID, p, p)
			if !dryRun {
				d.notifyOperator(ctx, p, "发送中断，需人工确认", fmt.Sprintf(
					"%s 在 %s 开始发送后中断，无法确定市局是否已收到（Message-ID %s）。\n为避免重复报送，程序不会自动重发。\n"+
						"请向市局确认：\n- 未收到：bulletin send --period %s --force\n- 已收到：bulletin send --period %s --mark-sent",
					label, d.local(last.At), last.MessageID, p, p))
				problems = append(problems, report.Errorf(report.KindDelivery, "%s was interrupted while sending on %s: confirm with the city bureau, then run bulletin send --period %s --force", p, d.local(last.At), p))
			}
		case seen && last.State == ledger.Failed && last.Permanent:
			fmt.Fprintf(d.e.stdout, "被拒收：%s：%s。修正后运行 bulletin send --period %s\n", label, last.Reason, p)
			if !dryRun {
				problems = append(problems, report.Errorf(report.KindDelivery, "%s was refused by the mail server: %s", p, last.Reason))
			}
		case job.Scheduled.Before(catchUpFrom):
			fmt.Fprintf(d.e.stdout, "未报送（已超过补发期限 %d 天，不自动发送）：%s。需要时运行 bulletin send --period %s\n", d.cfg.Delivery.CatchUpDays, label, p)
		case dryRun:
			fmt.Fprintf(d.e.stdout, "待报送：%s%s\n", label, lastOutcome(last, seen))
			pending++
		default:
			if err := ctx.Err(); err != nil {
				return errors.Join(append(problems, err)...)
			}
			fmt.Fprintf(d.e.stdout, "报送：%s\n", label)
			pending++
			err := d.deliver(ctx, p, false)
			if err == nil {
				continue
			}
			problems = append(problems, err)
			if mail.IsTemporary(err) {
				// The server is down or busy: the later periods would only
				// wait out the same retries. The next run takes them all.
				fmt.Fprintln(d.e.stdout, "邮件服务器暂时无法投递，其余到期报送留待下次运行。")
				return errors.Join(problems...)
			}
		}
	}
	if pending == 0 && len(problems) == 0 {
		fmt.Fprintln(d.e.stdout, "没有需要报送的月报或自查报告。")
	}
	return errors.Join(problems...)
}

// lastOutcome says why a pending period is still pending, for --dry-run.
func lastOutcome(last ledger.Entry, seen bool) string {
	if !seen || last.Reason == "" {
		return ""
	}
	return "；上次：" + last.Reason
}

func kindName(kind string) string {
	if kind == schedule.Monthly {
		return "月报"
	}
	return "半年自查报告"
}

func runSend(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	periodFlag := fs.String("period", "", "要报送的期次：月份 2025-05 或半年 2025-H1")
	force := fs.Bool("force", false, "人工核对后强制报送：忽略报送前检查未通过、上次发送中断、已经发送过等情况")
	resend := fs.Bool("resend", false, "把最近一次报送时归档的文件原样重发（不用今天的数据重新生成）")
	markSent := fs.Bool("mark-sent", false, "市局确认已收到上次中断的那封邮件：只在报送记录中记为已发送，不再发送")
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if n := countTrue(*force, *resend, *markSent); n > 1 {
		return report.Errorf(report.KindUsage, "--force, --resend and --mark-sent exclude each other: choose one")
	}
	d, p, unlock, err := e.deliveryOf(*periodFlag, *nowFlag)
	if err != nil {
		return err
	}
	defer unlock()
	if *resend {
		return d.resend(ctx, p)
	}
	latest, err := d.ledger.Latest()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	last, seen := latest[p.key()]
	if *markSent {
		if !seen || last.State != ledger.Sending {
			return report.Errorf(report.KindDelivery, "%s has no interrupted send to mark as sent (history shows its deliveries)", p)
		}
		return d.markSent(last)
	}
	if seen && !*force {
		switch last.State {
		case ledger.Sent:
			return report.Errorf(report.KindDelivery, "%s was already sent on %s; use --resend to send the archived files again, or --force to send a rebuild",
				p, d.local(last.At))
		case ledger.Sending:
			return report.Errorf(report.KindDelivery, "%s was interrupted while sending on %s and may have arrived; check with the city bureau, then use --force",
				p, d.local(last.At))
		}
	}
	return d.deliver(ctx, p, *force)
}

func countTrue(flags ...bool) int {
	n := 0
	for _, f := range flags {
		if f {
			n++
		}
	}
	return n
}

// markSent records an interrupted send as delivered after the city bureau
// confirmed it arrived. The files go to the archive if the period's folder
// still holds what was being sent.
func (d *deliverer) markSent(interrupted ledger.Entry) error {
	entry := interrupted
	entry.State, entry.Reason = ledger.Sent, "市局确认已收到中断的那次发送（人工确认，未重发）"
	dir := filepath.Join(d.e.outDir, entry.Period)
	files := make([]attachment, 0, len(entry.Files))
	for _, f := range entry.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil || sha(data) != f.SHA256 {
			files = nil
			break
		}
		files = append(files, attachment{f.Name, data})
	}
	if files == nil {
		fmt.Fprintf(d.e.stderr, "warning: %s no longer holds the files that were being sent: nothing archived, so --resend will not be possible\n", dir)
	} else if where, err := d.archive(entry, outgoing{files: files, dir: dir, extras: dir}); err != nil {
		fmt.Fprintf(d.e.stderr, "warning: the archive of %s could not be written: %v\n", entry.Period, err)
	} else {
		fmt.Fprintf(d.e.stdout, "已存档：%s\n", where)
	}
	if err := d.record(entry); err != nil {
		return err
	}
	fmt.Fprintf(d.e.stdout, "已记为发送：%s（%s 开始发送的那一封，Message-ID %s）\n", entry.Period, d.local(entry.At), entry.MessageID)
	return nil
}

// build writes the period's documents, dated issued.
func (d *deliverer) build(ctx context.Context, p period, issued time.Time) (*built, error) {
	date := report.DateOf(issued, d.cfg.Location)
	if p.kind == schedule.Monthly {
		return buildMonthly(ctx, d.cfg, d.e.dataDir, d.e.outDir, p.month, date)
	}
	return buildHalfYear(ctx, d.cfg, d.e.dataDir, d.e.outDir, p.half, date)
}

// deliver builds the period's documents, checks the inputs, and sends them
// to the city bureau; a failed check holds the delivery and tells the
// operator instead, unless force says a person has looked.
func (d *deliverer) deliver(ctx context.Context, p period, force bool) error {
	b, err := d.build(ctx, p, d.now)
	if err != nil {
		reason := "生成失败：" + err.Error()
		fmt.Fprintf(d.e.stdout, "暂停报送 %s：%s\n", p.Chinese(), reason)
		d.record(ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Held, Reason: reason})
		d.notifyOperator(ctx, p, "生成失败，暂停报送", fmt.Sprintf("%s%s 未能生成，没有发送：\n%v", p.Chinese(), kindName(p.kind), err))
		return err
	}
	if problems := preSendChecks(d.cfg, p, b); len(problems) > 0 {
		if !force {
			reason := strings.Join(problems, "；")
			fmt.Fprintf(d.e.stdout, "暂停报送 %s：%s\n", p.Chinese(), reason)
			if err := d.record(ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Held, Reason: reason}); err != nil {
				return err
			}
			d.notifyOperator(ctx, p, "报送前检查未通过，暂停报送", fmt.Sprintf(
				"%s%s 没有发送给市局，原因：\n- %s\n\n文件已生成在 %s，请核对。\n核对无误需要照发时运行：bulletin send --period %s --force",
				p.Chinese(), kindName(p.kind), strings.Join(problems, "\n- "), b.dir, p))
			return report.Errorf(report.KindDelivery, "%s held: %s", p, reason)
		}
		fmt.Fprintf(d.e.stdout, "报送前检查未通过，按 --force 照发：%s\n", strings.Join(problems, "；"))
	}
	files, err := readAttachments(b.pdfs)
	if err != nil {
		return err
	}
	return d.send(ctx, p, outgoing{files: files, dir: b.dir, extras: b.dir, forced: force})
}

// draft sends the period's documents, dated as they will be sent, to the
// operator for review before they fall due, with what the pre-send checks
// found. At due time the period is rebuilt from the data as it then is and
// sent, unless withheld. A draft that could not be mailed is not recorded,
// so the next run tries again.
func (d *deliverer) draft(ctx context.Context, p period, due time.Time) error {
	if len(d.cfg.Mail.Operator) == 0 {
		return report.Errorf(report.KindConfig, "delivery.review_days is %d but mail.operator is empty: there is nobody to review the draft of %s", d.cfg.Delivery.ReviewDays, p)
	}
	b, err := d.build(ctx, p, due)
	if err != nil {
		d.notifyOperator(ctx, p, "草稿生成失败", fmt.Sprintf("%s%s 的审阅稿未能生成：\n%v\n\n到期（%s）时会再试。", p.Chinese(), kindName(p.kind), err, d.local(due)))
		return err
	}
	files, err := readAttachments(b.pdfs)
	if err != nil {
		return err
	}
	settings, err := d.mailSettings(d.cfg.Mail.Operator, nil, nil)
	if err != nil {
		return err
	}
	var body strings.Builder
	fmt.Fprintf(&body, "以下%s%s将于 %s 自动报送给 %s。\n\n", p.Chinese(), kindName(p.kind), d.local(due), strings.Join(d.cfg.Mail.To, "、"))
	if problems := preSendChecks(d.cfg, p, b); len(problems) > 0 {
		fmt.Fprintf(&body, "报送前检查发现以下问题，不处理的话到期时会暂停报送：\n- %s\n\n", strings.Join(problems, "\n- "))
	}
	fmt.Fprintf(&body, "到期时按当时的数据重新生成、检查后发送，审阅期间改正的数据会体现在报送稿中。\n需要暂缓报送时运行：bulletin withhold --period %s\n", p)
	msg := mail.Message{
		Subject:   "【草稿，请审阅】" + d.subject(p),
		Body:      body.String(),
		MessageID: "<" + p.kind + "-" + p.String() + ".draft@" + mailDomain(d.cfg) + ">",
	}
	entry := ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Drafted, MessageID: msg.MessageID, Recipients: settings.To}
	for _, f := range files {
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: f.name, Data: f.data, ContentType: "application/pdf"})
		entry.Files = append(entry.Files, ledger.File{Name: f.name, SHA256: sha(f.data), Bytes: len(f.data)})
	}
	receipt, err := mail.Send(ctx, settings, msg)
	if err != nil {
		fmt.Fprintf(d.e.stdout, "审阅稿未能发给操作员，下次运行时再试：%v\n", err)
		return report.E(report.KindDelivery, "draft "+p.String(), err)
	}
	entry.Reply, entry.Attempts, entry.At = receipt.Reply, receipt.Attempts, receipt.Sent
	if err := d.record(entry); err != nil {
		return err
	}
	fmt.Fprintf(d.e.stdout, "审阅稿已发给 %s；将于 %s 报送，暂缓请运行 bulletin withhold --period %s\n", strings.Join(settings.To, "、"), d.local(due), p)
	return nil
}

func runWithhold(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	periodFlag := fs.String("period", "", "要暂缓报送的期次：月份 2025-05 或半年 2025-H1")
	reason := fs.String("reason", "", "暂缓的原因，记入报送记录")
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	d, p, unlock, err := e.deliveryOf(*periodFlag, *nowFlag)
	if err != nil {
		return err
	}
	defer unlock()
	latest, err := d.ledger.Latest()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	if last, ok := latest[p.key()]; ok && (last.State == ledger.Sent || last.State == ledger.Sending) {
		return report.Errorf(report.KindDelivery, "%s is past withholding: it was %s on %s", p, last.State, d.local(last.At))
	}
	why := "操作员暂缓报送"
	if *reason != "" {
		why += "：" + *reason
	}
	if err := d.record(ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Withheld, Reason: why}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已暂缓 %s%s：bulletin due 不会发送它。需要报送时运行 bulletin send --period %s\n", p.Chinese(), kindName(p.kind), p)
	return nil
}

// attachment is a file to send, read once so that what is recorded and
// archived is what is sent.
type attachment struct {
	name string
	data []byte
}

func readAttachments(paths []string) ([]attachment, error) {
	files := make([]attachment, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, report.E(report.KindDelivery, "read attachment", err)
		}
		files[i] = attachment{filepath.Base(p), data}
	}
	return files, nil
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// sentBefore tells whether the ledger records a delivery of p.
func (d *deliverer) sentBefore(p period) (bool, error) {
	entries, err := d.ledger.Entries()
	if err != nil {
		return false, report.E(report.KindDelivery, "read ledger", err)
	}
	for _, e := range entries {
		if e.Key() == p.key() && e.State == ledger.Sent {
			return true, nil
		}
	}
	return false, nil
}

// outgoing is one message to the city bureau and where it came from.
type outgoing struct {
	files []attachment
	dir   string // the period's output folder, where the archive goes
	// extras is the folder whose figures.json and quality.json (with the
	// sha256 of every input) belong with files in the archive.
	extras string
	forced bool
	resend bool
}

// send records "sending", sends, and records the outcome; on success the
// sent files are archived with a delivery record before the ledger says
// "sent".
func (d *deliverer) send(ctx context.Context, p period, o outgoing) error {
	settings, err := d.mailSettings(d.cfg.Mail.To, d.cfg.Mail.Cc, d.cfg.Mail.Bcc)
	if err != nil {
		return err
	}
	sentBefore, err := d.sentBefore(p)
	if err != nil {
		return err
	}
	var resentAt time.Time
	if sentBefore {
		resentAt = d.clock().In(d.cfg.Location)
	}
	msg := mail.Message{
		Subject:   d.subject(p),
		Body:      d.body(p, o.files),
		MessageID: p.messageID(d.cfg, resentAt),
	}
	entry := ledger.Entry{Kind: p.kind, Period: p.String(), MessageID: msg.MessageID, Forced: o.forced, Resend: o.resend,
		Recipients: append(append(append([]string{}, settings.To...), settings.Cc...), settings.Bcc...)}
	for _, f := range o.files {
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: f.name, Data: f.data, ContentType: "application/pdf"})
		entry.Files = append(entry.Files, ledger.File{Name: f.name, SHA256: sha(f.data), Bytes: len(f.data)})
	}
	entry.State = ledger.Sending
	if err := d.record(entry); err != nil {
		return err // nothing is sent unless "sending" is on disk first
	}
	receipt, err := mail.Send(ctx, settings, msg)
	if err != nil {
		entry.State, entry.Reason, entry.Permanent = ledger.Failed, err.Error(), mail.IsPermanent(err)
		var failure *mail.Error
		if errors.As(err, &failure) {
			entry.Attempts = failure.Attempts
		}
		recordErr := d.record(entry)
		next := "下次运行 bulletin due 时会自动重试。"
		if entry.Permanent {
			next = "服务器拒收或邮件不符合要求，不会自动重试；修正后运行 bulletin send --period " + p.String()
		}
		fmt.Fprintf(d.e.stdout, "发送失败 %s：%v\n%s\n", p.Chinese(), err, next)
		d.notifyOperator(ctx, p, "发送失败", fmt.Sprintf("%s%s 发送失败：\n%v\n\n%s", p.Chinese(), kindName(p.kind), err, next))
		return errors.Join(report.E(report.KindDelivery, "send "+p.String(), err), recordErr)
	}
	entry.State, entry.Reply, entry.Attempts, entry.At = ledger.Sent, receipt.Reply, receipt.Attempts, receipt.Sent
	if where, err := d.archive(entry, o); err != nil {
		fmt.Fprintf(d.e.stderr, "warning: %s was sent but its archive could not be written: %v\n", p, err)
	} else {
		fmt.Fprintf(d.e.stdout, "已存档：%s\n", where)
	}
	if err := d.record(entry); err != nil {
		return err
	}
	fmt.Fprintf(d.e.stdout, "已发送 %s%s 至 %s；服务器回复：%s\n", p.Chinese(), kindName(p.kind), strings.Join(entry.Recipients, "、"), receipt.Reply)
	return nil
}

// deliveryRecord is the name of the delivery's ledger entry in its archive.
const deliveryRecord = "delivery.json"

// archive writes the sent files, figures.json, quality.json and the
// delivery record into a new folder named after the time sent. The folder
// is filled under a temporary name and renamed when complete, so that an
// archive folder is never half written.
func (d *deliverer) archive(entry ledger.Entry, o outgoing) (string, error) {
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(o.dir, "."+archivePrefix+"*.tmp")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp) // gone after the rename; left over only on failure
	for _, f := range o.files {
		if err := report.WriteFileAtomic(filepath.Join(tmp, f.name), f.data); err != nil {
			return "", err
		}
	}
	for _, name := range []string{"figures.json", "quality.json"} {
		data, err := os.ReadFile(filepath.Join(o.extras, name))
		if err != nil {
			return "", err
		}
		if err := report.WriteFileAtomic(filepath.Join(tmp, name), data); err != nil {
			return "", err
		}
	}
	record, err := json.MarshalIndent(entry, "", "  ")
	if err != nil {
		return "", err
	}
	if err := report.WriteFileAtomic(filepath.Join(tmp, deliveryRecord), append(record, '\n')); err != nil {
		return "", err
	}
	base := filepath.Join(o.dir, archivePrefix+entry.At.In(d.cfg.Location).Format("20060102-150405"))
	for n := 1; ; n++ {
		target := base
		if n > 1 {
			target = fmt.Sprintf("%s-%d", base, n) // two deliveries within a second
		}
		err := os.Rename(tmp, target)
		if err == nil {
			return target, nil
		}
		if !errors.Is(err, fs.ErrExist) && !errors.Is(err, syscall.ENOTEMPTY) {
			return "", err
		}
	}
}

// resend sends the files archived at the period's last delivery again, byte
// for byte, after checking them against the ledger's checksums. It never
// rebuilds: the city bureau gets what it got before.
func (d *deliverer) resend(ctx context.Context, p period) error {
	entries, err := d.ledger.Entries()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	var last *ledger.Entry
	for i := range entries {
		if entries[i].Key() == p.key() && entries[i].State == ledger.Sent {
			last = &entries[i]
		}
	}
	if last == nil {
		return report.Errorf(report.KindDelivery, "%s has never been sent: there is nothing archived to resend", p)
	}
	dir := filepath.Join(d.e.outDir, p.String())
	archived, err := findArchive(dir, *last)
	if err != nil {
		return err
	}
	var files []attachment
	for _, f := range last.Files {
		path := filepath.Join(archived, f.Name)
		data, err := os.ReadFile(path)
		if err != nil {
			return report.E(report.KindDelivery, "read archived file", err)
		}
		if sha(data) != f.SHA256 {
			return report.Errorf(report.KindDelivery, "%s differs from what was sent on %s (sha256 changed): refusing to resend it", path, d.local(last.At))
		}
		files = append(files, attachment{f.Name, data})
	}
	fmt.Fprintf(d.e.stdout, "重发 %s 于 %s 报送的存档：%s\n", p.Chinese(), d.local(last.At), archived)
	return d.send(ctx, p, outgoing{files: files, dir: dir, extras: archived, resend: true})
}

// findArchive finds the archive folder whose delivery record is the ledger
// entry sent.
func findArchive(dir string, sent ledger.Entry) (string, error) {
	candidates, err := filepath.Glob(filepath.Join(dir, archivePrefix+"*"))
	if err != nil {
		return "", err
	}
	for _, c := range candidates {
		data, err := os.ReadFile(filepath.Join(c, deliveryRecord))
		if err != nil {
			continue // not an archive folder
		}
		var e ledger.Entry
		if json.Unmarshal(data, &e) == nil && e.At.Equal(sent.At) && e.MessageID == sent.MessageID {
			return c, nil
		}
	}
	return "", report.Errorf(report.KindDelivery, "no archive of the delivery of %s at %s in %s (looked for %s* with a matching %s)",
		sent.Period, sent.At.Format(time.RFC3339), dir, archivePrefix, deliveryRecord)
}

// record appends to the ledger, stamping the time.
func (d *deliverer) record(e ledger.Entry) error {
	if e.At.IsZero() {
		e.At = d.clock()
	}
	if err := d.ledger.Append(e); err != nil {
		return report.E(report.KindDelivery, "write ledger", err)
	}
	return nil
}

func (d *deliverer) mailSettings(to, cc, bcc []string) (mail.Settings, error) {
	password, err := config.Password(d.cfg, d.e.getenv)
	if err != nil {
		return mail.Settings{}, err
	}
	m := d.cfg.Mail
	return mail.Settings{
		Host: m.Host, Port: m.Port, User: m.User, Password: password, TLS: mail.TLSMode(m.TLS),
		From: m.From, To: to, Cc: cc, Bcc: bcc, MaxBytes: m.MaxBytes, Attempts: m.Attempts,
		Backoff: config.BackoffDuration(d.cfg), Now: d.clock,
	}, nil
}

func (d *deliverer) subject(p period) string {
	if p.kind == schedule.Monthly {
		return fmt.Sprintf("%s（%s）", d.cfg.Bureau.BulletinName, p.month.Chinese())
	}
	return fmt.Sprintf("%s%s执法监督自查报告", d.cfg.Bureau.ShortName, p.half.Chinese())
}

func (d *deliverer) body(p period, files []attachment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：\n\n", strings.Join(d.cfg.Distribution.ReportTo, "、"))
	fmt.Fprintf(&b, "现报送%s%s，请查收。\n\n附件：\n", p.Chinese(), kindName(p.kind))
	for i, f := range files {
		fmt.Fprintf(&b, "%d. %s\n", i+1, f.name)
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", d.cfg.Bureau.Name, report.DateOf(d.now, d.cfg.Location).Chinese())
	return b.String()
}

// notifyOperator mails the operator, once (a notice is not worth a long
// retry); a failure to do so is printed, since there is no one else to tell.
func (d *deliverer) notifyOperator(ctx context.Context, p period, what, text string) {
	fmt.Fprintf(d.e.stderr, "通知操作员：%s %s\n", p.Chinese(), what)
	if len(d.cfg.Mail.Operator) == 0 {
		fmt.Fprintln(d.e.stderr, "mail.operator is empty: nobody to notify by mail")
		return
	}
	settings, err := d.mailSettings(d.cfg.Mail.Operator, nil, nil)
	if err != nil {
		fmt.Fprintf(d.e.stderr, "cannot notify the operator: %v\n", err)
		return
	}
	settings.Attempts = 1
	msg := mail.Message{
		Subject:   fmt.Sprintf("【%s】%s%s", what, p.Chinese(), kindName(p.kind)),
		Body:      text + "\n",
		MessageID: fmt.Sprintf("<notice-%s-%s-%d@%s>", p.kind, p, d.clock().UnixNano(), mailDomain(d.cfg)),
	}
	if _, err := mail.Send(ctx, settings, msg); err != nil {
		fmt.Fprintf(d.e.stderr, "cannot notify the operator: %v\n", err)
	}
}

// preSendChecks lists what keeps a period from going to the city bureau
// unreviewed: missing or unreadable exports, too many rejected rows, a
// squad absent from the case export of the period's last month.
func preSendChecks(cfg *report.Config, p period, b *built) []string {
	var problems []string
	last := p.month
	if p.kind == schedule.HalfYear {
		last = p.half.Last()
	}
	for _, m := range b.quality.Missing {
		problems = append(problems, "缺少月份文件夹 "+m.Path)
	}
	for _, w := range b.quality.Warnings {
		if w.Kind == report.WarnMissingFile {
			problems = append(problems, "缺少导出文件："+w.Example)
		}
	}
	for _, f := range b.quality.Files {
		problems = append(problems, fmt.Sprintf("文件无法读取：%s（%s）", f.File, f.Reason))
	}
	if len(b.dataset.Missing) > 0 {
		problems = append(problems, "缺少必需的导出："+strings.Join(b.dataset.Missing, "、"))
	}
	rows, rejected := 0, 0
	for _, in := range b.quality.Inputs {
		rows += in.Rows
		rejected += in.Rejected
	}
	if rows > 0 && float64(rejected)/float64(rows) > cfg.Delivery.MaxRejectedShare {
		problems = append(problems, fmt.Sprintf("被拒绝的数据行 %d/%d，超过允许的 %.1f%%", rejected, rows, cfg.Delivery.MaxRejectedShare*100))
	}
	present := map[string]bool{}
	for _, c := range b.dataset.Cases {
		if c.Origin.Folder == last {
			present[c.Squad] = true
		}
	}
	var absent []string
	for _, s := range cfg.CountedSquads() {
		if !present[s] {
			absent = append(absent, s)
		}
	}
	if len(absent) > 0 {
		problems = append(problems, fmt.Sprintf("%s 案件导出中没有以下中队：%s", last, strings.Join(absent, "、")))
	}
	return problems
}

func runHistory(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	entries, err := ledger.Open(e.outDir).Entries()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	if len(entries) == 0 {
		fmt.Fprintln(e.stdout, "还没有报送记录。")
		return nil
	}
	states := map[ledger.State]string{ledger.Sent: "已发送", ledger.Sending: "开始发送", ledger.Failed: "发送失败", ledger.Held: "暂停", ledger.Drafted: "草稿已送审", ledger.Withheld: "暂缓报送"}
	latest := map[string]int{}
	for i, en := range entries {
		latest[en.Key()] = i
	}
	for i, en := range entries {
		state := states[en.State]
		if en.State == ledger.Sending && latest[en.Key()] == i {
			state = "发送中断，待确认" // nothing recorded after it: the run died mid-send
		}
		line := fmt.Sprintf("%s  %-8s %-8s %s", en.At.In(cfg.Location).Format("2006-01-02 15:04:05"), en.Kind, en.Period, state)
		switch {
		case en.State == ledger.Sent && en.Reply != "":
			line += fmt.Sprintf("  收件人 %s  回复 %s", strings.Join(en.Recipients, ","), en.Reply)
		case en.Reason != "":
			line += "  " + en.Reason
		}
		if en.Resend {
			line += "  （重发）"
		}
		if en.Forced {
			line += "  （强制）"
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}
