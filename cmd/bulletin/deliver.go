package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	return period{}, report.Errorf(report.KindUsage, "--period %q is neither a month like 2025-05 nor a half like 2025-H1", s)
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

// messageID is derived from the period, so that a duplicate delivery of the
// same report is recognisable as such by the receiving side.
func (p period) messageID(cfg *report.Config) string {
	domain := "bulletin.invalid"
	if _, d, ok := strings.Cut(cfg.Mail.From, "@"); ok {
		domain = strings.Trim(d, "> ")
	}
	return fmt.Sprintf("<%s-%s@%s>", p.kind, p.String(), domain)
}

// deliverer carries what one delivery command needs.
type deliverer struct {
	e      *env
	cfg    *report.Config
	now    time.Time
	ledger *ledger.Ledger
}

func (e *env) newDeliverer(cfg *report.Config, now time.Time) *deliverer {
	return &deliverer{e: e, cfg: cfg, now: now, ledger: ledger.Open(e.outDir)}
}

func runDue(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	nowFlag := clockFlag(fs)
	dryRun := fs.Bool("dry-run", false, "只列出应报送的期次，不生成、不发送")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	now, err := e.clock(cfg, *nowFlag)
	if err != nil {
		return err
	}
	return e.newDeliverer(cfg, now).due(ctx, *dryRun)
}

// due delivers every report that fell due and was not delivered, oldest
// first, under the output folder's lock so that two runs deliver once.
func (d *deliverer) due(ctx context.Context, dryRun bool) error {
	plan, err := schedule.NewPlan(d.cfg.Delivery.Monthly, d.cfg.Delivery.HalfYear, d.cfg.Location)
	if err != nil {
		return report.E(report.KindConfig, "", err)
	}
	unlock, err := ledger.Lock(d.e.outDir)
	if err != nil {
		return report.E(report.KindDelivery, "", err)
	}
	defer unlock()
	latest, err := d.ledger.Latest()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	catchUpFrom := d.now.Add(-time.Duration(d.cfg.Delivery.CatchUpDays) * 24 * time.Hour)
	var failures []error
	for _, job := range plan.Between(d.now.Add(-listBack), d.now) {
		p, _ := parsePeriod(job.Period)
		last, seen := latest[job.Key()]
		label := fmt.Sprintf("%s（%s，应于 %s 报送）", p.Chinese(), kindName(p.kind), job.Scheduled.Format("2006-01-02 15:04"))
		switch {
		case seen && last.State == ledger.Sent:
			continue
		case seen && last.State == ledger.Sending:
			fmt.Fprintf(d.e.stdout, "需要确认：%s 上次发送中断（%s），邮件可能已经发出。确认未收到后运行 bulletin send --period %s --force\n",
				label, last.At.In(d.cfg.Location).Format("2006-01-02 15:04"), p)
			if !dryRun {
				d.notifyOperator(ctx, p, "发送中断，需人工确认", fmt.Sprintf(
					"%s 在 %s 开始发送后中断，无法确定市局是否已收到。\n为避免重复报送，程序不会自动重发。\n请向市局确认；未收到时运行：bulletin send --period %s --force",
					label, last.At.In(d.cfg.Location).Format("2006-01-02 15:04"), p))
			}
		case seen && last.State == ledger.Failed && last.Permanent:
			fmt.Fprintf(d.e.stdout, "被拒收：%s：%s。修正后运行 bulletin send --period %s\n", label, last.Reason, p)
		case job.Scheduled.Before(catchUpFrom):
			fmt.Fprintf(d.e.stdout, "未报送（已超过补发期限 %d 天，不自动发送）：%s。需要时运行 bulletin send --period %s\n", d.cfg.Delivery.CatchUpDays, label, p)
		case dryRun:
			fmt.Fprintf(d.e.stdout, "待报送：%s\n", label)
		default:
			fmt.Fprintf(d.e.stdout, "报送：%s\n", label)
			if err := d.deliver(ctx, p, false); err != nil {
				failures = append(failures, err)
			}
		}
	}
	return errors.Join(failures...)
}

func kindName(kind string) string {
	if kind == schedule.Monthly {
		return "月报"
	}
	return "半年自查报告"
}

func runSend(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	periodFlag := fs.String("period", "", "要报送的期次：月份 2025-05 或半年 2025-H1")
	force := fs.Bool("force", false, "人工核对后强制报送：忽略报送前检查未通过、上次发送中断等情况")
	resend := fs.Bool("resend", false, "把已归档的文件原样重发（不用今天的数据重新生成）")
	nowFlag := clockFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *periodFlag == "" {
		return report.Errorf(report.KindUsage, "--period is required, like --period 2025-05")
	}
	p, err := parsePeriod(*periodFlag)
	if err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	now, err := e.clock(cfg, *nowFlag)
	if err != nil {
		return err
	}
	d := e.newDeliverer(cfg, now)
	unlock, err := ledger.Lock(e.outDir)
	if err != nil {
		return report.E(report.KindDelivery, "", err)
	}
	defer unlock()
	if *resend {
		return d.resend(ctx, p)
	}
	latest, err := d.ledger.Latest()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	if last, ok := latest[p.kind+" "+p.String()]; ok && !*force {
		switch last.State {
		case ledger.Sent:
			return report.Errorf(report.KindDelivery, "%s was already sent on %s; use --resend to send the archived files again",
				p, last.At.In(cfg.Location).Format("2006-01-02 15:04"))
		case ledger.Sending:
			return report.Errorf(report.KindDelivery, "%s was interrupted while sending on %s and may have arrived; check with the city bureau, then use --force",
				p, last.At.In(cfg.Location).Format("2006-01-02 15:04"))
		}
	}
	return d.deliver(ctx, p, *force)
}

// deliver builds the period's documents, checks the inputs, and sends them
// to the city bureau; a failed check holds the delivery and tells the
// operator instead.
func (d *deliverer) deliver(ctx context.Context, p period, force bool) error {
	issued := report.DateOf(d.now, d.cfg.Location)
	var b *built
	var err error
	if p.kind == schedule.Monthly {
		b, err = buildMonthly(ctx, d.cfg, d.e.dataDir, d.e.outDir, p.month, issued)
	} else {
		b, err = buildHalfYear(ctx, d.cfg, d.e.dataDir, d.e.outDir, p.half, issued)
	}
	if err != nil {
		reason := "生成失败：" + err.Error()
		d.record(ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Held, Reason: reason})
		d.notifyOperator(ctx, p, "生成失败，暂停报送", reason)
		return err
	}
	if problems := preSendChecks(d.cfg, p, b); len(problems) > 0 && !force {
		reason := strings.Join(problems, "；")
		fmt.Fprintf(d.e.stdout, "暂停报送 %s：%s\n", p.Chinese(), reason)
		d.record(ledger.Entry{Kind: p.kind, Period: p.String(), State: ledger.Held, Reason: reason})
		d.notifyOperator(ctx, p, "报送前检查未通过，暂停报送", fmt.Sprintf(
			"%s%s 未发送，原因：\n%s\n\n文件已生成在 %s，请核对。\n核对无误需要照发时运行：bulletin send --period %s --force",
			p.Chinese(), kindName(p.kind), "- "+strings.Join(problems, "\n- "), b.dir, p))
		return report.Errorf(report.KindDelivery, "%s held: %s", p, reason)
	}
	files, err := readAttachments(b.pdfs)
	if err != nil {
		return err
	}
	return d.send(ctx, p, b.dir, files, force, false)
}

// attachment is a file to send, read once so that what is recorded is what
// is sent.
type attachment struct {
	path string
	data []byte
}

func readAttachments(paths []string) ([]attachment, error) {
	files := make([]attachment, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, report.E(report.KindDelivery, "read attachment", err)
		}
		files[i] = attachment{p, data}
	}
	return files, nil
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// send records "sending", sends, and records the outcome; on success the
// sent files are archived under dir/报送存档-<time>/ with a delivery record.
func (d *deliverer) send(ctx context.Context, p period, dir string, files []attachment, forced, resend bool) error {
	settings, err := d.mailSettings(d.cfg.Mail.To, d.cfg.Mail.Cc, d.cfg.Mail.Bcc)
	if err != nil {
		return err
	}
	msg := mail.Message{
		Subject:   d.subject(p),
		Body:      d.body(p, files),
		MessageID: p.messageID(d.cfg),
	}
	entry := ledger.Entry{Kind: p.kind, Period: p.String(), MessageID: msg.MessageID, Forced: forced, Resend: resend,
		Recipients: append(append(append([]string{}, settings.To...), settings.Cc...), settings.Bcc...)}
	for _, f := range files {
		name := filepath.Base(f.path)
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: name, Data: f.data, ContentType: "application/pdf"})
		entry.Files = append(entry.Files, ledger.File{Name: name, SHA256: sha(f.data), Bytes: len(f.data)})
	}
	entry.State = ledger.Sending
	if err := d.record(entry); err != nil {
		return err // nothing is sent unless "sending" is on disk first
	}
	receipt, err := mail.Send(ctx, settings, msg)
	if err != nil {
		entry.State, entry.Reason, entry.Permanent = ledger.Failed, err.Error(), mail.IsPermanent(err)
		var me *mail.Error
		if errors.As(err, &me) {
			entry.Attempts = me.Attempts
		}
		d.record(entry)
		d.notifyOperator(ctx, p, "发送失败", fmt.Sprintf("%s%s 发送失败：%v\n%s", p.Chinese(), kindName(p.kind), err,
			map[bool]string{true: "服务器拒收，不会自动重试；修正后运行 bulletin send --period " + p.String(),
				false: "下次运行 bulletin due 时会自动重试。"}[entry.Permanent]))
		return report.E(report.KindDelivery, "send "+p.String(), err)
	}
	entry.State, entry.Reply, entry.Attempts = ledger.Sent, receipt.Reply, receipt.Attempts
	entry.At = receipt.Sent
	if err := d.archive(dir, entry, files); err != nil {
		fmt.Fprintf(d.e.stderr, "warning: %s was sent but its archive could not be written: %v\n", p, err)
	}
	if err := d.record(entry); err != nil {
		return err
	}
	fmt.Fprintf(d.e.stdout, "已发送 %s 至 %s；服务器回复：%s\n", p.Chinese(), strings.Join(entry.Recipients, "、"), receipt.Reply)
	return nil
}

// archiveDir is where one delivery's files are kept, byte for byte.
func archiveDir(dir string, at time.Time) string {
	return filepath.Join(dir, "报送存档-"+at.Format("20060102-150405"))
}

// archive copies the sent files, figures.json, quality.json and a delivery
// record (recipients, time, reply, input checksums) into the archive folder.
func (d *deliverer) archive(dir string, entry ledger.Entry, files []attachment) error {
	target := archiveDir(dir, entry.At.In(d.cfg.Location))
	for _, f := range files {
		if err := report.WriteFileAtomic(filepath.Join(target, filepath.Base(f.path)), f.data); err != nil {
			return err
		}
	}
	for _, name := range []string{"figures.json", "quality.json"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			if err := report.WriteFileAtomic(filepath.Join(target, name), data); err != nil {
				return err
			}
		}
	}
	record, err := json.MarshalIndent(entry, "", "  ")
	if err != nil {
		return err
	}
	return report.WriteFileAtomic(filepath.Join(target, "delivery.json"), append(record, '\n'))
}

// resend sends the files archived at the period's last delivery again, byte
// for byte, after checking them against the ledger's checksums.
func (d *deliverer) resend(ctx context.Context, p period) error {
	entries, err := d.ledger.Entries()
	if err != nil {
		return report.E(report.KindDelivery, "read ledger", err)
	}
	var last *ledger.Entry
	for i := range entries {
		if entries[i].Kind == p.kind && entries[i].Period == p.String() && entries[i].State == ledger.Sent {
			last = &entries[i]
		}
	}
	if last == nil {
		return report.Errorf(report.KindDelivery, "%s has never been sent: there is nothing archived to resend", p)
	}
	dir := filepath.Join(d.e.outDir, p.String())
	archived := archiveDir(dir, last.At.In(d.cfg.Location))
	var files []attachment
	for _, f := range last.Files {
		path := filepath.Join(archived, f.Name)
		data, err := os.ReadFile(path)
		if err != nil {
			return report.E(report.KindDelivery, "read archived file", err)
		}
		if sha(data) != f.SHA256 {
			return report.Errorf(report.KindDelivery, "%s differs from what was sent (sha256 changed): refusing to resend it", path)
		}
		files = append(files, attachment{path, data})
	}
	return d.send(ctx, p, dir, files, false, true)
}

// record appends to the ledger, stamping the time.
func (d *deliverer) record(e ledger.Entry) error {
	if e.At.IsZero() {
		e.At = d.now
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
		Backoff: config.BackoffDuration(d.cfg), Now: func() time.Time { return d.now },
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
		fmt.Fprintf(&b, "%d. %s\n", i+1, filepath.Base(f.path))
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", d.cfg.Bureau.Name, report.DateOf(d.now, d.cfg.Location).Chinese())
	return b.String()
}

// notifyOperator mails the operator; a failure to do so is printed, since
// there is no one else to tell.
func (d *deliverer) notifyOperator(ctx context.Context, p period, what, text string) {
	fmt.Fprintf(d.e.stderr, "通知操作员：%s %s：%s\n", p.Chinese(), what, text)
	if len(d.cfg.Mail.Operator) == 0 {
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
		MessageID: fmt.Sprintf("<notice-%s-%s-%d@bulletin.invalid>", p.kind, p, d.now.UnixNano()),
	}
	if _, err := mail.Send(ctx, settings, msg); err != nil {
		fmt.Fprintf(d.e.stderr, "cannot notify the operator: %v\n", err)
	}
}

// preSendChecks lists what keeps a period from going to the city bureau
// unreviewed: missing or unreadable exports, too many rejected rows, a
// squad absent from the case export.
func preSendChecks(cfg *report.Config, p period, b *built) []string {
	var problems []string
	last := p.month
	if p.kind == schedule.HalfYear {
		last = p.half.Last()
	}
	for _, m := range b.quality.Missing {
		problems = append(problems, "缺少月份文件夹 "+m.Path)
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
	states := map[ledger.State]string{ledger.Sent: "已发送", ledger.Sending: "发送中断", ledger.Failed: "发送失败", ledger.Held: "暂停", ledger.Drafted: "草稿已送审"}
	for _, en := range entries {
		line := fmt.Sprintf("%s  %-8s %-8s %-6s", en.At.In(cfg.Location).Format("2006-01-02 15:04:05"), en.Kind, en.Period, states[en.State])
		switch {
		case en.State == ledger.Sent:
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
