package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
	"bulletin/report/mail"
)

// ArchivePrefix starts the name of the folder that keeps one delivery's
// files, byte for byte, inside the period's output folder.
const ArchivePrefix = "报送存档-"

// DeliveryRecord is the name of the delivery's ledger entry in its archive.
const DeliveryRecord = "delivery.json"

// outgoing is one message to the city bureau and where it came from.
type outgoing struct {
	files  []File
	extras []File
	dir    string // the period's output folder, where the archive goes
	forced bool
	resend bool
	reason string // why a person asked for it, for the ledger
}

// build builds the period's documents (without the lock), checks the
// inputs, and sends them; a failed check holds the delivery and tells the
// operator instead, unless a person forced it.
func (s *Service) build(ctx context.Context, r *Report, sit Situation) error {
	p := sit.Period
	want := Decide(sit).Action
	docs, err := s.Builder.Build(ctx, p, report.DateOf(sit.Now, s.Config.Location))
	if err != nil {
		return errors.Join(err, s.hold(ctx, r, sit, want, "生成失败："+err.Error(), "生成失败，暂停报送",
			fmt.Sprintf("%s%s 未能生成，没有发送：\n%v", p.Chinese(), p.ReportName(), err)))
	}
	forced := want == SendForce
	if lapsed := approvalLapsed(sit, docs); lapsed != "" && !forced {
		reason := fmt.Sprintf("领导 %s 的批准已失效：%s，须重新批准", sit.Approval.At.In(sit.Rules.Location).Format("2006-01-02 15:04"), lapsed)
		return errors.Join(report.Errorf(report.KindDelivery, "%s 暂停报送：%s", p, reason),
			s.hold(ctx, r, sit, want, reason, "批准已失效，暂停报送", fmt.Sprintf(
				"%s%s 没有发送给市局：%s。\n请领导在网页工作台「审阅与签发」重新审阅。", p.Chinese(), p.ReportName(), reason)))
	}
	if problems := preSendChecks(s.Config, p, docs); len(problems) > 0 {
		if !forced {
			reason := strings.Join(problems, "；")
			return errors.Join(report.Errorf(report.KindDelivery, "%s 暂停报送：%s", p, reason),
				s.hold(ctx, r, sit, want, reason, "报送前检查未通过，暂停报送", fmt.Sprintf(
					"%s%s 没有发送给市局，原因：\n- %s\n\n请逐条核对上面列出的数据文件（网页工作台「数据质量」也列出了这些问题）：\n"+
						"- 数据确有缺漏：改好后重新放入数据文件夹（或在网页工作台「上传」）。每天的自动报送检查会重新生成、重新检查，通过就报送；要马上报送，请信息科运行 bulletin send --period %s\n"+
						"- 核对后数据没有问题：请信息科运行 bulletin send --period %s --force 照发。\n\n"+
						"问题解决之前，每次自动报送检查都会再检查一次、再发一封这样的邮件；报送时间过了 %d 天后不再自动报送。本次生成的文件在 %s。",
					p.Chinese(), p.ReportName(), strings.Join(problems, "\n- "), p, p, s.Config.Delivery.CatchUpDays, docs.Dir)))
		}
		r.line("报送前检查未通过，按 --force 照发：%s", strings.Join(problems, "；"))
	}
	return s.transmit(ctx, r, sit, want, outgoing{files: docs.Files, extras: docs.Extras, dir: docs.Dir, forced: forced})
}

// hold records that the period is held for reason, if the decision is
// still want under the lock, and tells the operator (subject, text).
func (s *Service) hold(ctx context.Context, r *Report, sit Situation, want Action, reason, subject, text string) error {
	p := sit.Period
	r.line("暂停报送 %s：%s", p.Chinese(), reason)
	err := s.transition(ctx, r, sit, want, func(Decision) error {
		return s.record(r, ledger.Entry{Period: p, State: ledger.Held, Reason: reason})
	})
	r.mails = append(r.mails, operatorMail{p, subject, text})
	return err
}

// transmit records "sending", sends, and records the outcome, holding the
// lock throughout; on success the sent files are archived and the ledger
// says "sent" with where.
func (s *Service) transmit(ctx context.Context, r *Report, sit Situation, want Action, o outgoing) error {
	p := sit.Period
	settings := s.mailSettings(s.Config.Mail.To, s.Config.Mail.Cc, s.Config.Mail.Bcc)
	var archiveErr error
	err := s.transition(ctx, r, sit, want, func(d Decision) error {
		suffix := ""
		if d.Sent.State == ledger.Sent {
			// A person asked for a second delivery: it gets its own id, so
			// that a mail system dropping duplicates still delivers it.
			suffix = ".resend-" + s.Clock().In(s.Config.Location).Format("20060102T150405")
		}
		msg := mail.Message{Subject: s.subject(p), Body: s.body(p, o.files), MessageID: p.MessageID(suffix, s.domain())}
		entry := ledger.Entry{Period: p, MessageID: msg.MessageID, Forced: o.forced, Resend: o.resend, Reason: o.reason,
			Recipients: append(append(append([]string{}, settings.To...), settings.Cc...), settings.Bcc...)}
		for _, f := range o.files {
			msg.Attachments = append(msg.Attachments, mail.Attachment{Name: f.Name, Data: f.Data, ContentType: "application/pdf"})
			entry.Files = append(entry.Files, ledger.File{Name: f.Name, SHA256: sha(f.Data), Bytes: len(f.Data)})
		}
		entry.State = ledger.Sending
		if err := s.record(r, entry); err != nil {
			// Nothing is sent unless "sending" is on disk first.
			r.mails = append(r.mails, operatorMail{p, "报送记录写不进去，没有发送", fmt.Sprintf(
				"%s%s 没有发送：报送记录写不进去（%v）。\n多半是磁盘满了。腾出空间后运行 bulletin due，会照常发送。", p.Chinese(), p.ReportName(), err)})
			return fmt.Errorf("%s 没有发送：报送记录写不进去，腾出磁盘空间后再运行 bulletin due：%w", p, err)
		}
		receipt, err := s.Mailer.Send(ctx, settings, msg)
		if err != nil {
			return s.failed(r, entry, err)
		}
		entry.State, entry.Reply, entry.Attempts, entry.At = ledger.Sent, receipt.Reply, receipt.Attempts, receipt.Sent
		if entry.At.IsZero() {
			entry.At = s.Clock()
		}
		var where string
		if where, archiveErr = s.keep(entry, o); archiveErr == nil {
			entry.Archive, _ = filepath.Rel(s.Out, where)
			r.line("已存档：%s", where)
		} else {
			entry.Reason = joinReasons(entry.Reason, "已发送，但存档未能写入："+archiveErr.Error())
		}
		if err := s.record(r, entry); err != nil {
			return fmt.Errorf("%s 已发送，但报送记录未能写入（下次运行会显示“需要确认”，请运行 bulletin send --period %s --mark-sent）：%w", p, p, err)
		}
		r.line("已发送 %s%s 至 %s；服务器回复：%s", p.Chinese(), p.ReportName(), strings.Join(entry.Recipients, "、"), receipt.Reply)
		return nil
	})
	if err == nil && archiveErr != nil {
		text := fmt.Sprintf("%s%s 已发送给市局，但存档未能写入 %s：%v\n报送记录已记为已发送；没有存档就不能 --resend 原样重发。请腾出磁盘空间后检查 %s。",
			p.Chinese(), p.ReportName(), o.dir, archiveErr, o.dir)
		r.mails = append(r.mails, operatorMail{p, "已发送，但存档失败", text})
		return report.Errorf(report.KindDelivery, "%s 已发送，但存档未能写入：%v", p, archiveErr)
	}
	return err
}

// failed records a send that did not go through and says what happens next.
func (s *Service) failed(r *Report, entry ledger.Entry, err error) error {
	p := entry.Period
	entry.Reason = joinReasons(entry.Reason, err.Error())
	var failure *mail.Error
	if errors.As(err, &failure) {
		entry.Attempts = failure.Attempts
	}
	var next string
	switch {
	case mail.IsUnconfirmed(err):
		entry.State = ledger.Unconfirmed
		next = fmt.Sprintf("邮件已经发出但没有收到服务器的答复，可能已经到了市局，不会自动重发。向市局确认：未收到时运行 bulletin send --period %s --force，已收到时运行 bulletin send --period %s --mark-sent", p, p)
	case mail.IsTemporary(err):
		entry.State = ledger.Failed
		next = "下次运行 bulletin due 时会自动重试。"
	default:
		entry.State, entry.Permanent = ledger.Failed, true
		next = "服务器拒收，或邮件设置（服务器地址、证书）、邮件本身有误，不会自动重试；修正后运行 bulletin send --period " + p.String()
	}
	if entry.Resend {
		next = "这是一次重发；该期此前已经报送，记录仍为已发送。需要时再运行 bulletin send --period " + p.String() + " --resend"
	}
	recordErr := s.record(r, entry)
	r.line("发送失败 %s：%v\n%s", p.Chinese(), err, next)
	r.mails = append(r.mails, operatorMail{p, "发送失败", fmt.Sprintf("%s%s 发送失败：\n%v\n\n%s", p.Chinese(), p.ReportName(), err, next)})
	return errors.Join(report.E(report.KindDelivery, "send "+p.String(), err), recordErr)
}

// keep archives the sent files, the extras and the delivery record.
func (s *Service) keep(entry ledger.Entry, o outgoing) (string, error) {
	record, err := json.MarshalIndent(entry, "", "  ")
	if err != nil {
		return "", err
	}
	files := append(append(append([]File{}, o.files...), o.extras...), File{DeliveryRecord, append(record, '\n')})
	return s.Archive.Keep(o.dir, ArchivePrefix+entry.At.In(s.Config.Location).Format("20060102-150405"), files)
}

// resend sends the files archived at the period's last delivery again, byte
// for byte, after checking them against the ledger's checksums. It never
// rebuilds: the city bureau gets what it got before.
func (s *Service) resend(ctx context.Context, r *Report, sit Situation, last ledger.Entry) error {
	p := sit.Period
	dir := filepath.Join(s.Out, p.String())
	archived, err := s.findArchive(dir, last)
	if err != nil {
		return err
	}
	var files []File
	for _, f := range last.Files {
		path := filepath.Join(archived, f.Name)
		data, err := os.ReadFile(path)
		if err != nil {
			return report.E(report.KindDelivery, "读取存档文件", err)
		}
		if sha(data) != f.SHA256 {
			return report.Errorf(report.KindDelivery, "%s 与 %s 报送的文件不同（sha256 已变），拒绝重发", path, s.local(last.At))
		}
		files = append(files, File{f.Name, data})
	}
	var extras []File
	for _, name := range []string{"figures.json", "quality.json"} {
		if data, err := os.ReadFile(filepath.Join(archived, name)); err == nil {
			extras = append(extras, File{name, data})
		}
	}
	r.line("重发 %s 于 %s 报送的存档：%s", p.Chinese(), s.local(last.At), archived)
	return s.transmit(ctx, r, sit, Resend, outgoing{files: files, extras: extras, dir: dir, resend: true, reason: sit.Reason})
}

// findArchive finds the archive folder of the delivery sent: the one the
// ledger names, or (for entries written before it named them) the one
// whose delivery record is that entry.
func (s *Service) findArchive(dir string, sent ledger.Entry) (string, error) {
	if sent.Archive != "" {
		return filepath.Join(s.Out, sent.Archive), nil
	}
	archived, err := archivedDeliveries(s.Out, dir)
	if err != nil {
		return "", err
	}
	for _, e := range archived {
		if recorded(e, []ledger.Entry{sent}) {
			return filepath.Join(s.Out, e.Archive), nil
		}
	}
	return "", report.Errorf(report.KindDelivery, "%s 里没有 %s 那次报送的存档（找的是 %s* 且 %s 相符的文件夹），无法原样重发；需要时用 --force 报送重新生成的版本",
		dir, s.local(sent.At), ArchivePrefix, DeliveryRecord)
}

// markSent records an interrupted send as delivered after the city bureau
// confirmed it arrived. The files go to the archive if the period's folder
// still holds what was being sent.
func (s *Service) markSent(ctx context.Context, r *Report, sit Situation, d Decision) error {
	if d.Unrecorded.State == ledger.Sent {
		return s.restore(ctx, r, sit, d.Unrecorded)
	}
	interrupted := d.Last
	entry := interrupted
	entry.State, entry.MarkedSent, entry.Reason = ledger.Sent, true, "市局确认已收到中断的那次发送（人工确认，未重发）"
	entry.At = time.Time{}
	dir := filepath.Join(s.Out, entry.Period.String())
	files := make([]File, 0, len(entry.Files))
	for _, f := range entry.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil || sha(data) != f.SHA256 {
			files = nil
			break
		}
		files = append(files, File{f.Name, data})
	}
	var extras []File
	for _, name := range []string{"figures.json", "quality.json"} {
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			extras = append(extras, File{name, data})
		}
	}
	return s.transition(ctx, r, sit, MarkSent, func(Decision) error {
		entry.At = s.Clock()
		if files == nil {
			r.notice("%s 里已经不是当时发送的文件：没有存档，以后不能 --resend", dir)
		} else if where, err := s.keep(entry, outgoing{files: files, extras: extras, dir: dir}); err != nil {
			r.notice("%s 的存档未能写入：%v", entry.Period, err)
		} else {
			entry.Archive, _ = filepath.Rel(s.Out, where)
			r.line("已存档：%s", where)
		}
		if err := s.record(r, entry); err != nil {
			return err
		}
		r.line("已记为发送：%s（%s 开始发送的那一封，Message-ID %s）", entry.Period, s.local(interrupted.At), entry.MessageID)
		return nil
	})
}

// restore records a delivery the ledger lost as its archive records it,
// after a person confirmed that the city bureau has it: its Message-ID and
// time, so that the archive and the ledger agree again.
func (s *Service) restore(ctx context.Context, r *Report, sit Situation, archived ledger.Entry) error {
	entry := archived
	entry.Period, entry.State, entry.MarkedSent = sit.Period, ledger.Sent, true
	entry.Reason = "报送记录里缺少这次发送，按存档补记（人工确认，未重发）"
	return s.transition(ctx, r, sit, MarkSent, func(Decision) error {
		if err := s.record(r, entry); err != nil {
			return err
		}
		r.line("已按存档 %s 补记为已发送：%s（Message-ID %s）", entry.Archive, entry.Period, entry.MessageID)
		return nil
	})
}

// draft sends the period's documents, dated as they will be sent, to the
// operator for review before they fall due, with what the pre-send checks
// found. At due time the period is rebuilt from the data as it then is and
// sent, unless withheld. A draft that could not be mailed is not recorded,
// so the next run tries again.
func (s *Service) draft(ctx context.Context, r *Report, sit Situation) error {
	p := sit.Period
	if len(s.Config.Mail.Operator) == 0 {
		return report.Errorf(report.KindConfig, "delivery.review_days 为 %d，但 mail.operator 为空：%s 的审阅稿没有人审阅", s.Config.Delivery.ReviewDays, p)
	}
	docs, err := s.Builder.Build(ctx, p, report.DateOf(sit.Due, s.Config.Location))
	if err != nil {
		r.mails = append(r.mails, operatorMail{p, "草稿生成失败", fmt.Sprintf("%s%s 的审阅稿未能生成：\n%v\n\n到期（%s）时会再试。", p.Chinese(), p.ReportName(), err, s.local(sit.Due))})
		return err
	}
	settings := s.mailSettings(s.Config.Mail.Operator, nil, nil)
	var body strings.Builder
	fmt.Fprintf(&body, "以下%s%s将于 %s 自动报送给 %s。\n\n", p.Chinese(), p.ReportName(), s.local(sit.Due), strings.Join(s.Config.Mail.To, "、"))
	if problems := preSendChecks(s.Config, p, docs); len(problems) > 0 {
		fmt.Fprintf(&body, "报送前检查发现以下问题，不处理的话到期时会暂停报送：\n- %s\n\n", strings.Join(problems, "\n- "))
	}
	// The bulletin does not speak of rejected rows (it goes to the city
	// bureau): the operator reads them here and in the data-quality report.
	if docs.Quality != nil {
		docs.Quality.WriteSummary(&body)
		fmt.Fprintf(&body, "数据质量的详细清单见 %s 中的数据质量报告。\n\n", docs.Dir)
	}
	fmt.Fprintf(&body, "到期时按当时的数据重新生成、检查后发送，审阅期间改正的数据会体现在报送稿中。\n需要暂缓报送时运行：bulletin withhold --period %s\n", p)
	msg := mail.Message{Subject: "【草稿，请审阅】" + s.subject(p), Body: body.String(), MessageID: p.MessageID(".draft", s.domain())}
	entry := ledger.Entry{Period: p, State: ledger.Drafted, MessageID: msg.MessageID, Recipients: settings.To}
	for _, f := range docs.Files {
		msg.Attachments = append(msg.Attachments, mail.Attachment{Name: f.Name, Data: f.Data, ContentType: "application/pdf"})
		entry.Files = append(entry.Files, ledger.File{Name: f.Name, SHA256: sha(f.Data), Bytes: len(f.Data)})
	}
	return s.transition(ctx, r, sit, Draft, func(Decision) error {
		receipt, err := s.Mailer.Send(ctx, settings, msg)
		if err != nil {
			r.line("审阅稿未能发给操作员，下次运行时再试：%v", err)
			return report.E(report.KindDelivery, "draft "+p.String(), err)
		}
		entry.Reply, entry.Attempts, entry.At = receipt.Reply, receipt.Attempts, receipt.Sent
		if err := s.record(r, entry); err != nil {
			return err
		}
		r.line("审阅稿已发给 %s；将于 %s 报送，暂缓请运行 bulletin withhold --period %s", strings.Join(settings.To, "、"), s.local(sit.Due), p)
		return nil
	})
}

func (s *Service) mailSettings(to, cc, bcc []string) mail.Settings {
	m := s.Config.Mail
	return mail.Settings{
		Host: m.Host, Port: m.Port, User: m.User, Password: s.Password, TLS: mail.TLSMode(m.TLS),
		From: m.From, To: to, Cc: cc, Bcc: bcc, MaxBytes: m.MaxBytes, Attempts: m.Attempts,
		Backoff: time.Duration(m.Backoff), Timeout: s.MailTimeout, Now: s.Clock,
	}
}

// domain is the sender's domain, the right-hand side of our Message-IDs.
func (s *Service) domain() string {
	if _, d, ok := strings.Cut(s.Config.Mail.From, "@"); ok {
		return strings.Trim(d, "> ")
	}
	return "bulletin.invalid"
}

func (s *Service) subject(p report.Period) string {
	if p.Kind == report.PeriodMonthly {
		return fmt.Sprintf("%s（%s）", s.Config.Bureau.BulletinName, p.Month.Chinese())
	}
	return fmt.Sprintf("%s%s执法监督自查报告", s.Config.Bureau.ShortName, p.Half.Chinese())
}

func (s *Service) body(p report.Period, files []File) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：\n\n", strings.Join(s.Config.Distribution.ReportTo, "、"))
	fmt.Fprintf(&b, "现报送%s%s，请查收。\n\n附件：\n", p.Chinese(), p.ReportName())
	for i, f := range files {
		fmt.Fprintf(&b, "%d. %s\n", i+1, f.Name)
	}
	fmt.Fprintf(&b, "\n%s\n%s\n", s.Config.Bureau.Name, report.DateOf(s.Clock(), s.Config.Location).Chinese())
	return b.String()
}

// sendNotices mails the operator what r collected, each once (a notice is
// not worth a long retry), after the lock is released; a failure to do so
// is a notice on r, since there is no one else to tell.
func (s *Service) sendNotices(ctx context.Context, r *Report) {
	for _, n := range r.mails {
		r.notice("通知操作员：%s %s", n.period.Chinese(), n.what)
		if len(s.Config.Mail.Operator) == 0 {
			r.notice("mail.operator 为空：没有人可以通知")
			continue
		}
		settings := s.mailSettings(s.Config.Mail.Operator, nil, nil)
		settings.Attempts = 1
		msg := mail.Message{
			Subject:   fmt.Sprintf("【%s】%s%s", n.what, n.period.Chinese(), n.period.ReportName()),
			Body:      n.text + "\n",
			MessageID: n.period.MessageID(fmt.Sprintf(".notice-%d", s.Clock().UnixNano()), s.domain()),
		}
		if _, err := s.Mailer.Send(ctx, settings, msg); err != nil {
			r.notice("无法通知操作员：%v", err)
		}
	}
	r.mails = nil
}

// joinReasons joins the reasons of a ledger entry, the empty left out.
func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "；" + b
}

func sha(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// approvalLapsed says why a leader's approval no longer covers the
// documents just built (report.Approval.Lapse). Empty when it holds, or
// when none is needed.
func approvalLapsed(sit Situation, docs *Documents) string {
	a := sit.Approval
	if !sit.Rules.RequireApproval || a == nil || !a.Approved {
		return ""
	}
	return a.Lapse(docs.Quality, docs.Figures, docs.TextSHA256)
}
