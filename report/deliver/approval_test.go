package deliver

import (
	"context"
	"strings"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/ledger"
)

func TestDecideWithApprovalRequired(t *testing.T) {
	rules := Rules{CatchUpDays: 40, Location: shanghai, RequireApproval: true}
	approved := &report.Approval{Period: "2025-05", Approved: true, By: "zhao"}
	withheld := &report.Approval{Period: "2025-05", By: "zhao", Reason: "江宁路中队数据待核"}
	tests := []struct {
		name     string
		req      Request
		approval *report.Approval
		history  []ledger.Entry
		want     Action
		whyHas   string
	}{
		{"due, nobody approved", Scheduled, nil, nil, AwaitApproval, "还没有领导批准"},
		{"due, approved", Scheduled, approved, nil, Send, ""},
		{"due, a leader withheld it", Scheduled, withheld, nil, AwaitApproval, "江宁路中队数据待核"},
		{"held after an approval lapsed, not approved again", Scheduled, approved, entries(may, "held"), Send, ""},
		{"sent stays sent", Scheduled, nil, entries(may, "sending", "sent"), Done, ""},
		{"send by hand, nobody approved", SendAsked, nil, nil, Refuse, "还没有领导批准"},
		{"send by hand, approved", SendAsked, approved, nil, Send, ""},
		{"forced: a person decided", ForceAsked, nil, nil, SendForce, ""},
		{"withheld, then approved", Scheduled, approvedAt("2025-06-01 09:00"), entries(may, "withheld"), Send, ""},
		{"approved, then withheld", Scheduled, approvedAt("2025-06-01 07:00"), entries(may, "withheld"), Withheld, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(Situation{Period: may, Due: at("2025-06-01 08:00"), Now: at("2025-06-02 08:00"), Request: tt.req,
				History: tt.history, Rules: rules, Approval: tt.approval})
			if d.Action != tt.want || !strings.Contains(d.Why, tt.whyHas) {
				t.Errorf("Decide = %v (%s), want %v with %q", d.Action, d.Why, tt.want, tt.whyHas)
			}
		})
	}
	// Without the rule, no approval is asked for.
	if d := Decide(Situation{Period: may, Due: at("2025-06-01 08:00"), Now: at("2025-06-02 08:00"), Rules: Rules{CatchUpDays: 40, Location: shanghai}}); d.Action != Send {
		t.Errorf("without require_approval: %v", d.Action)
	}
}

// approvedAt is zhao's approval of May at a time in Shanghai.
func approvedAt(when string) *report.Approval {
	return &report.Approval{Period: "2025-05", Approved: true, By: "zhao", At: at(when)}
}

// TestApprovalAfterAWithholdReleasesIt: a leader's 暂缓 in the console
// withholds the period in the ledger; the same leader's later 批准 lets due
// send it, whether or not the rules ask for approval.
func TestApprovalAfterAWithholdReleasesIt(t *testing.T) {
	for _, required := range []bool{true, false} {
		o := newOffice(t, monthly, halfYear)
		o.cfg.Delivery.RequireApproval = required
		given := approvals{"2025-05": {Period: "2025-05", By: "zhao", At: at("2025-05-30 10:00"), Reason: "数字待核"}}
		service := func() *Service {
			s := o.service()
			s.Builder, s.Approvals = figuresBuilder{o.build, "aaaa"}, given
			return s
		}
		o.setClock("2025-05-30 10:00")
		if _, err := service().Withhold(context.Background(), may, "数字待核（zhao）"); err != nil {
			t.Fatal(err)
		}
		given["2025-05"] = approvalOf(t, "aaaa") // approved on 1 June at 07:00
		o.setClock("2025-06-01 08:05")
		r, err := service().Due(context.Background(), false)
		if err != nil || len(o.bureau()) != 1 {
			t.Errorf("require_approval %v: May approved after its withhold: %v, the bureau holds %q\n%s", required, err, o.bureau(), strings.Join(r.Lines, "\n"))
		}
	}
}

// approvals are leaders' decisions by period, as the console's store keeps
// them.
type approvals map[string]report.Approval

func (a approvals) LatestApproval(period string) (report.Approval, bool, error) {
	x, ok := a[period]
	return x, ok, nil
}

// figuresBuilder is builder with figures and an input's hash, which an
// approval is checked against.
type figuresBuilder struct {
	*builder
	inputSHA string
}

func (b figuresBuilder) Build(ctx context.Context, p report.Period, issued report.Date) (*Documents, error) {
	d, err := b.builder.Build(ctx, p, issued)
	if err != nil {
		return nil, err
	}
	d.Quality.Inputs[0].File, d.Quality.Inputs[0].SHA256 = "/data/2025-05/案件.xlsx", b.inputSHA
	d.Figures = &report.Figures{Period: p.String(), IssueDate: issued}
	d.TextSHA256 = "text of " + p.String()
	return d, nil
}

// approvalOf is what the console records when a leader approves the
// documents built from an export with sha inputSHA.
func approvalOf(t *testing.T, inputSHA string) report.Approval {
	docs, err := figuresBuilder{&builder{out: t.TempDir()}, inputSHA}.Build(context.Background(), may, report.MustDate(2025, time.June, 1))
	if err != nil {
		t.Fatal(err)
	}
	figs, err := report.FiguresDigest(docs.Figures)
	if err != nil {
		t.Fatal(err)
	}
	return report.Approval{Period: "2025-05", Approved: true, By: "zhao", At: at("2025-06-01 07:00"),
		InputsSHA256: report.InputsDigest(docs.Quality), FiguresSHA256: figs, TextSHA256: docs.TextSHA256}
}

func TestDueWaitsForALeadersApprovalAndSendsWhatWasApproved(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.cfg.Delivery.RequireApproval = true
	given := approvals{}
	service := func() *Service {
		s := o.service()
		s.Builder, s.Approvals = figuresBuilder{o.build, "aaaa"}, given
		return s
	}
	o.setClock("2025-06-01 08:05")
	r, err := service().Due(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Join(r.Lines, "\n"); len(o.bureau()) != 0 || !strings.Contains(lines, "待批准") || strings.Contains(lines, "没有需要报送") {
		t.Fatalf("sent before a leader approved; lines:\n%s", strings.Join(r.Lines, "\n"))
	}
	// Approved on the console the day before; sent on the day after: the
	// date of issue differs, the data do not.
	given["2025-05"] = approvalOf(t, "aaaa")
	o.setClock("2025-06-02 08:00")
	if r, err := service().Due(context.Background(), false); err != nil {
		t.Fatalf("%v\n%s", err, strings.Join(r.Lines, "\n"))
	}
	if got := o.bureau(); len(got) != 1 {
		t.Fatalf("after the approval the bureau holds %q, want May", got)
	}
}

func TestAnApprovalLapsesWhenTheDataChange(t *testing.T) {
	o := newOffice(t, monthly, halfYear)
	o.cfg.Delivery.RequireApproval = true
	given := approvals{"2025-05": approvalOf(t, "aaaa")}
	s := o.service()
	s.Builder, s.Approvals = figuresBuilder{o.build, "bbbb"}, given // an export replaced after the approval
	o.setClock("2025-06-01 08:05")
	r, err := s.Due(context.Background(), false)
	if err == nil || !strings.Contains(err.Error(), "批准已失效") {
		t.Fatalf("due = %v, want the approval lapsed\n%s", err, strings.Join(r.Lines, "\n"))
	}
	if len(o.bureau()) != 0 || o.state(may) != ledger.Held {
		t.Fatalf("bureau %q, May %s: want nothing sent and May held", o.bureau(), o.state(may))
	}
	if got := o.mail.To(operator); len(got) != 1 {
		t.Fatalf("the operator got %d messages, want the notice of the lapse", len(got))
	}
}

// Documents built without their quality report or figures cannot be
// checked against an approval: the period is held, not sent (nor a panic).
func TestAnApprovalCannotBeCheckedWithoutQualityOrFigures(t *testing.T) {
	sit := Situation{Period: may, Rules: Rules{RequireApproval: true, Location: shanghai}}
	a := approvalOf(t, "aaaa")
	sit.Approval = &a
	for _, docs := range []*Documents{{Figures: &report.Figures{}}, {Quality: &report.Quality{}}} {
		if why := approvalLapsed(sit, docs); !strings.Contains(why, "无法核对") {
			t.Errorf("approvalLapsed(quality %v, figures %v) = %q, want 无法核对", docs.Quality != nil, docs.Figures != nil, why)
		}
	}
}
