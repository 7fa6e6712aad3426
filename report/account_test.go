package report

import (
	"strings"
	"testing"
	"time"
)

// The console digests the figures when a leader approves them and due
// digests them again when it sends: another day, and another path to the
// same exports (the console's --data /srv/bulletin/data, cron's default
// data), digest alike; a changed number or export does not.
func TestDigestsKeepTheDataNotTheRun(t *testing.T) {
	value := 0.12
	figures := func(issued Date, data, sha string, numerator int) (*Figures, *Quality) {
		in := Input{Dataset: DatasetCases, File: data + "/2025-05/案件.xlsx", SHA256: sha, Rows: 40}
		return &Figures{Period: "2025-05", IssueDate: issued, Inputs: []Input{in},
				Quotas: []QuotaResult{{ID: "lawful.case_sample_rate", Numerator: numerator, Denominator: 40, Value: &value}}},
			&Quality{Period: "2025-05", Inputs: []Input{in}}
	}
	digests := func(f *Figures, q *Quality) (string, string) {
		t.Helper()
		figs, err := FiguresDigest(f)
		if err != nil {
			t.Fatal(err)
		}
		return figs, InputsDigest(q)
	}
	approvedFigs, approvedInputs := digests(figures(MustDate(2025, time.June, 1), "/srv/bulletin/data", "aaaa", 5))
	sentFigs, sentInputs := digests(figures(MustDate(2025, time.June, 2), "data", "aaaa", 5))
	if sentFigs != approvedFigs || sentInputs != approvedInputs {
		t.Errorf("the same data sent a day later through another path digest otherwise: figures %v, inputs %v",
			sentFigs == approvedFigs, sentInputs == approvedInputs)
	}
	if figs, _ := digests(figures(MustDate(2025, time.June, 1), "data", "aaaa", 6)); figs == approvedFigs {
		t.Error("a changed number digests alike")
	}
	if _, inputs := digests(figures(MustDate(2025, time.June, 1), "data", "bbbb", 5)); inputs == approvedInputs {
		t.Error("a changed export digests alike")
	}
	// The figures digested are left as they were.
	f, _ := figures(MustDate(2025, time.June, 1), "data", "aaaa", 5)
	digests(f, &Quality{})
	if f.Inputs[0].File != "data/2025-05/案件.xlsx" || f.IssueDate.IsZero() {
		t.Errorf("FiguresDigest changed its argument: %+v", f)
	}
}

// An approval holds for the data it was made from, read another day
// through another path, and lapses, saying why, when an export or a
// figure changed or when there is nothing to check it against.
func TestApprovalLapse(t *testing.T) {
	value := 0.12
	data := func(path, sha string, numerator int) (*Quality, *Figures) {
		in := Input{Dataset: DatasetCases, File: path + "/2025-05/案件.xlsx", SHA256: sha, Rows: 40}
		return &Quality{Period: "2025-05", Inputs: []Input{in}}, &Figures{Period: "2025-05", IssueDate: MustDate(2025, time.June, 1), Inputs: []Input{in},
			Quotas: []QuotaResult{{ID: "lawful.case_sample_rate", Numerator: numerator, Denominator: 40, Value: &value}}}
	}
	q, f := data("/srv/bulletin/data", "aaaa", 5)
	figs, err := FiguresDigest(f)
	if err != nil {
		t.Fatal(err)
	}
	words := func(paragraph string) string {
		text, err := TextDigest([]Document{{Title: "2025年5月执法监督工作情况", Blocks: []Block{{Kind: Paragraph, Text: paragraph}}}})
		if err != nil {
			t.Fatal(err)
		}
		return text
	}
	a := Approval{Period: "2025-05", Approved: true, InputsSHA256: InputsDigest(q), FiguresSHA256: figs, TextSHA256: words("本月抽查案件5件。")}
	q, f = data("data", "aaaa", 5)
	f.IssueDate = MustDate(2025, time.June, 2)
	sent := words("本月抽查案件5件。")
	if why := a.Lapse(q, f, sent); why != "" {
		t.Errorf("the data and words approved, sent a day later through another path: %q", why)
	}
	replaced, _ := data("data", "bbbb", 5)
	_, changed := data("data", "aaaa", 6)
	before := a
	before.TextSHA256 = ""
	for _, c := range []struct {
		name string
		a    Approval
		q    *Quality
		f    *Figures
		text string
		want string
	}{
		{"an export replaced", a, replaced, f, sent, "导出数据有变动"},
		{"a figure changed", a, q, changed, sent, "数字有变动"},
		{"the wording changed", a, q, f, words("本月抽查案件5件，存在严重问题。"), "文字有变动"},
		{"approved before the words were checked", before, q, f, sent, "早于对文字的核对"},
		{"no figures", a, q, nil, sent, "无法核对"},
		{"no quality report", a, nil, f, sent, "无法核对"},
		{"no text", a, q, f, "", "无法核对"},
	} {
		if why := c.a.Lapse(c.q, c.f, c.text); !strings.Contains(why, c.want) {
			t.Errorf("%s: %q, want %s", c.name, why, c.want)
		}
	}
}
