package console

import (
	"context"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"bulletin/report"
)

// Delivery is what the console asks of the delivery of reports.
type Delivery interface {
	// RequireApproval tells whether a period is sent only after a leader
	// approved it (delivery.require_approval).
	RequireApproval() bool
	// Records lists the ledger, oldest first.
	Records() ([]Record, error)
	// Checks lists what the pre-send checks find in a built period's
	// data-quality report: each holds it when due, approved or not.
	Checks(period string) ([]string, error)
	// Schedule says when a period falls due and when its review window
	// opens (equal without a window).
	Schedule(period string) (due, reviewFrom time.Time, err error)
	// Withhold stops a period from being sent by itself.
	Withhold(ctx context.Context, period, reason string) error
	// Resend sends a delivered period's archived files again, for a person
	// who gave reason and saw the delivery with Message-ID seen as the
	// period's latest: it refuses if another went out since.
	Resend(ctx context.Context, period, reason, seen string) error
}

// Record is one line of the delivery ledger, as 报送记录 shows it.
type Record struct {
	Period     string
	State      string // sent, sending, failed, held, drafted, withheld
	At         time.Time
	Recipients []string
	MessageID  string
	Reply      string
	Reason     string
	Files      []report.FileHash
	Archive    string // the archive folder's name inside out/<period>, if any
	Resend     bool
	Forced     bool
	// Latest marks the period's latest Sent record: the one a resend
	// sends again, and the only one with the resend form.
	Latest bool
}

// stateNames are the ledger's states as 报送记录 says them.
var stateNames = map[string]string{"sent": "已发送", "sending": "开始发送", "failed": "发送失败", "held": "暂停",
	"drafted": "草稿已送审", "withheld": "暂缓报送"}

// StateName is the state as 报送记录 says it.
func (r Record) StateName() string {
	if n, ok := stateNames[r.State]; ok {
		return n
	}
	return r.State
}

// reviewItem is one period on 审阅与签发.
type reviewItem struct {
	Period period
	Built  []string
	// BuiltFigures and BuiltText digest the figures and the text of the
	// files built (builtDigests): the approve form carries them, so that
	// an approval is of the files the page showed.
	BuiltFigures, BuiltText string
	Approval                *report.Approval
	Lapsed                  string // why the approval no longer holds
	// Checks are what the pre-send checks find in the data-quality report
	// as built, each of which holds the period when it falls due;
	// ChecksUnknown, that the report could not be read.
	Checks        []string
	ChecksUnknown bool
	State         string
	Due           time.Time
	ReviewFrom    time.Time
}

// lapses remembers approvals found lapsed, for the leaders' banner.
type lapses struct {
	mu     sync.Mutex
	byName map[string]string
}

// lapsedNotices is the leaders' banner: each lapsed approval, named as
// the pages name periods (2025年5月, 2025年上半年).
func (s *Server) lapsedNotices() []string {
	s.lapsed.mu.Lock()
	defer s.lapsed.mu.Unlock()
	var out []string
	for _, name := range slices.Sorted(maps.Keys(s.lapsed.byName)) { // the same order on every page
		label := name
		if p, err := parsePeriod(name); err == nil {
			label = p.Chinese()
		}
		out = append(out, label+"的批准已失效："+s.lapsed.byName[name]+"。请到「审阅与签发」重新审阅。")
	}
	return out
}

// hasLapsed tells whether period's approval was last found lapsed.
func (s *Server) hasLapsed(period string) bool {
	s.lapsed.mu.Lock()
	defer s.lapsed.mu.Unlock()
	_, ok := s.lapsed.byName[period]
	return ok
}

// checkApproval tells whether a period's approval still holds for the data
// as it is now: the exports, the figures and the text must be those
// approved.
func (s *Server) checkApproval(ctx context.Context, rq *request, a report.Approval) (lapsed string, err error) {
	if !a.Approved {
		return "", nil
	}
	ed, err := s.cfg.Reports.Edition(ctx, a.Period)
	if err != nil {
		return "", err
	}
	lapsed = a.Lapse(ed.Quality, ed.Figures, ed.TextSHA256) // as due judges it
	s.lapsed.mu.Lock()
	_, known := s.lapsed.byName[a.Period]
	if lapsed == "" {
		delete(s.lapsed.byName, a.Period)
	} else {
		s.lapsed.byName[a.Period] = lapsed
	}
	s.lapsed.mu.Unlock()
	if lapsed != "" && !known {
		s.audit(rq, report.AuditEvent{Action: "approval-lapsed", Period: a.Period, Detail: lapsed})
	}
	return lapsed, nil
}

// recheckApprovals checks every approval of a period not yet sent against
// the data as they are, after the data changed or when a leader logs in,
// so that a lapse is shown to the leaders without waiting for 审阅与签发.
func (s *Server) recheckApprovals(ctx context.Context, rq *request) {
	var sent map[string]Record
	if s.cfg.Delivery != nil {
		if records, err := s.cfg.Delivery.Records(); err == nil {
			sent = latestRecords(records)
		}
	}
	for _, name := range s.periods() {
		if rec, ok := sent[name]; ok && rec.State == "sent" {
			continue
		}
		a, ok, err := s.cfg.Store.LatestApproval(name)
		if err != nil || !ok || !a.Approved {
			continue
		}
		if _, err := s.checkApproval(ctx, rq, a); err != nil {
			s.cfg.Log.Error("check approval", "period", name, "err", err)
		}
	}
}

// latestRecords is each period's last ledger line.
func latestRecords(records []Record) map[string]Record {
	out := map[string]Record{}
	for _, r := range records {
		out[r.Period] = r
	}
	return out
}

// states names each month's bulletin state: 待生成 (draft), 待审阅 (in
// review), 已批准, 批准已失效, 已发送, 暂停/暂缓 (held).
func (s *Server) states(months []report.Month) (map[string]string, error) {
	out := map[string]string{}
	var last map[string]Record
	if s.cfg.Delivery != nil {
		records, err := s.cfg.Delivery.Records()
		if err != nil {
			return nil, err
		}
		last = latestRecords(records)
	}
	for _, m := range months {
		name := m.String()
		a, approved, err := s.cfg.Store.LatestApproval(name)
		if err != nil {
			return nil, err
		}
		rec, delivered := last[name]
		switch {
		case delivered && rec.State == "sent":
			out[name] = "已发送"
		case delivered && (rec.State == "held" || rec.State == "withheld" || rec.State == "failed"):
			out[name] = rec.StateName()
		case approved && !a.Approved:
			out[name] = "暂缓（领导）"
		case approved && s.hasLapsed(name): // as the banner above says
			out[name] = "批准已失效"
		case approved:
			out[name] = "已批准"
		case s.built(name):
			out[name] = "待审阅"
		default:
			out[name] = "草稿（未生成）"
		}
	}
	return out, nil
}

func (s *Server) review(w http.ResponseWriter, r *http.Request, rq *request) error {
	var records map[string]Record
	if s.cfg.Delivery != nil {
		list, err := s.cfg.Delivery.Records()
		if err != nil {
			return err
		}
		records = latestRecords(list)
	}
	var items []reviewItem
	for _, name := range s.periods() {
		p, _ := parsePeriod(name)
		if !s.built(name) {
			continue
		}
		it := reviewItem{Period: p, Built: s.builtFiles(name), State: "待审阅"}
		it.BuiltFigures, it.BuiltText = s.builtDigests(name)
		if rec, ok := records[name]; ok {
			it.State = rec.StateName()
			if rec.State == "sent" {
				continue // 报送记录 shows it
			}
		}
		a, ok, err := s.cfg.Store.LatestApproval(name)
		if err != nil {
			return err
		}
		if ok {
			it.Approval = &a
			if it.Lapsed, err = s.checkApproval(r.Context(), rq, a); err != nil {
				it.Lapsed = "无法核对：" + err.Error()
			}
			switch {
			case it.Lapsed != "":
				it.State = "批准已失效"
			case a.Approved:
				it.State = "已批准"
			default:
				it.State = "暂缓（领导）"
			}
		}
		if s.cfg.Delivery != nil {
			it.Due, it.ReviewFrom, _ = s.cfg.Delivery.Schedule(name)
			if it.Checks, err = s.cfg.Delivery.Checks(name); err != nil {
				// Not a hold: the delivery builds and checks afresh.
				it.Checks, it.ChecksUnknown = nil, true
			}
		}
		items = append(items, it)
	}
	require := s.cfg.Delivery != nil && s.cfg.Delivery.RequireApproval()
	s.render(w, rq, http.StatusOK, "review", "审阅与签发", map[string]any{"Items": items, "RequireApproval": require})
	return nil
}

// approve records a leader's approval of a period's documents as built,
// with the hashes of the exports, the figures, the text and the files. It
// approves only the files the page showed (rebuilt since: refused), and
// only files built from the data as they are now (an export changed since
// the build: refused), so that what is approved is what was read.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	if !s.built(p.Name) {
		return refuse(http.StatusConflict, p.Chinese()+"的文件还没有生成，不能批准。")
	}
	built, builtText := s.builtDigests(p.Name)
	switch {
	case built == "" || builtText == "":
		return refuse(http.StatusConflict, p.Chinese()+"的文件不完整，请综合科重新生成。")
	case r.FormValue("built") != built || r.FormValue("text") != builtText:
		return refuse(http.StatusConflict, p.Chinese()+"的文件在您打开这个页面之后重新生成过：请刷新页面，看过新的文件后再批准。")
	}
	ed, err := s.cfg.Reports.Edition(r.Context(), p.Name)
	if err != nil {
		return refuse(http.StatusUnprocessableEntity, "无法核对"+p.Chinese()+"的数字："+err.Error())
	}
	figs, err := report.FiguresDigest(ed.Figures)
	if err != nil {
		return err
	}
	switch {
	case figs != built:
		return refuse(http.StatusConflict, p.Chinese()+"的文件生成之后导出数据有变动，文件里的数字已不是现在的数字：请综合科重新生成，看过新的文件后再批准。")
	case ed.TextSHA256 != builtText:
		return refuse(http.StatusConflict, p.Chinese()+"的文件生成之后模板或配置里的文字改过，文件里的文字已不是现在的文字：请综合科重新生成，看过新的文件后再批准。")
	}
	a := report.Approval{Period: p.Name, Approved: true, By: rq.user(), At: s.cfg.Now(),
		InputsSHA256: report.InputsDigest(ed.Quality), FiguresSHA256: figs, TextSHA256: builtText}
	for _, f := range s.builtFiles(p.Name) {
		if strings.EqualFold(filepath.Ext(f), ".pdf") || strings.EqualFold(filepath.Ext(f), ".xlsx") {
			a.Documents = append(a.Documents, report.FileHash{Name: f, SHA256: fileSHA256(filepath.Join(s.cfg.OutDir, p.Name, f))})
		}
	}
	if err := s.cfg.Store.AddApproval(a); err != nil {
		return err
	}
	s.lapsed.mu.Lock()
	delete(s.lapsed.byName, p.Name)
	s.lapsed.mu.Unlock()
	s.audit(rq, report.AuditEvent{Action: "approve", Period: p.Name,
		Detail: "数据 " + shortHash(a.InputsSHA256) + " 数字 " + shortHash(figs) + " 文字 " + shortHash(builtText), Files: a.Documents})
	http.Redirect(w, r, "/review", http.StatusSeeOther)
	return nil
}

// withhold stops a period: the leader's decision is kept with the
// approvals, and the delivery ledger marks it withheld so that `due` leaves
// it alone.
func (s *Server) withhold(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.FormValue("reason"))
	if reason == "" {
		return refuse(http.StatusBadRequest, "请写明暂缓的原因。")
	}
	if s.cfg.Delivery != nil {
		if err := s.cfg.Delivery.Withhold(r.Context(), p.Name, reason+"（"+rq.user()+"）"); err != nil {
			return refuse(http.StatusConflict, "不能暂缓："+err.Error())
		}
	}
	if err := s.cfg.Store.AddApproval(report.Approval{Period: p.Name, By: rq.user(), At: s.cfg.Now(), Reason: reason}); err != nil {
		return err
	}
	s.audit(rq, report.AuditEvent{Action: "withhold", Period: p.Name, Detail: reason})
	http.Redirect(w, r, "/review", http.StatusSeeOther)
	return nil
}

func (s *Server) deliveries(w http.ResponseWriter, r *http.Request, rq *request) error {
	var records []Record
	if s.cfg.Delivery != nil {
		var err error
		if records, err = s.cfg.Delivery.Records(); err != nil {
			return err
		}
	}
	latest := map[string]int{}
	for i, rec := range records {
		if rec.State == "sent" {
			latest[rec.Period] = i
		}
	}
	for _, i := range latest {
		records[i].Latest = true
	}
	slices.Reverse(records) // newest first
	s.render(w, rq, http.StatusOK, "deliveries", "报送记录", map[string]any{"Records": records, "Configured": s.cfg.Delivery != nil}, "/static/console.js")
	return nil
}

// archiveFile sends a file of a delivery's archive folder.
func (s *Server) archiveFile(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	dir, file := r.FormValue("dir"), r.FormValue("file")
	for _, part := range []string{dir, file} {
		if part == "" || strings.ContainsAny(part, `/\`) || strings.Contains(part, "..") || strings.HasPrefix(part, ".") {
			return refuse(http.StatusBadRequest, "文件名不对。")
		}
	}
	path := filepath.Join(s.cfg.OutDir, p.Name, dir, file)
	if info, err := os.Stat(path); err != nil || info.IsDir() {
		return refuse(http.StatusNotFound, "存档里没有这个文件。")
	}
	attachment(w, r, path)
	return nil
}

func (s *Server) resend(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	reason := strings.TrimSpace(r.FormValue("reason"))
	if reason == "" {
		return refuse(http.StatusBadRequest, "请写明重发的原因。")
	}
	if s.cfg.Delivery == nil {
		return refuse(http.StatusConflict, "报送没有设置。")
	}
	seen := r.FormValue("seen")
	if seen == "" {
		return refuse(http.StatusBadRequest, "这个页面已经过期，请刷新报送记录后再重发。")
	}
	if err := s.cfg.Delivery.Resend(r.Context(), p.Name, reason, seen); err != nil {
		s.audit(rq, report.AuditEvent{Action: "resend-failed", Period: p.Name, Detail: reason + "：" + err.Error()})
		return refuse(http.StatusBadGateway, "重发失败："+err.Error())
	}
	s.audit(rq, report.AuditEvent{Action: "resend", Period: p.Name, Detail: reason})
	http.Redirect(w, r, "/deliveries", http.StatusSeeOther)
	return nil
}
