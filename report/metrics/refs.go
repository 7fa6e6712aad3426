package metrics

import (
	"fmt"
	"slices"
	"strings"

	"bulletin/report"
)

// Ref is report.Ref: one record behind a figure.
type Ref = report.Ref

// squadsSource is the "dataset" of a squad counted in a denominator.
const squadsSource = "config.toml [[squads]]"

// squadRef stands for a configured squad in a denominator of squads.
func squadRef(name string) Ref { return Ref{Dataset: squadsSource, Squad: name} }

// squadRefs are the counted squads of a coverage denominator, when explaining.
func (c *calc) squadRefs() []Ref {
	if !c.explain {
		return nil
	}
	refs := make([]Ref, len(c.counted))
	for i, sq := range c.counted {
		refs[i] = squadRef(sq)
	}
	return refs
}

func sampleRef(s *report.Sample) Ref {
	detail := fmt.Sprintf("%s %s 案件%s", s.Kind, s.Verdict, s.CaseID)
	if len(s.Problems) > 0 {
		detail += " 问题：" + strings.Join(s.Problems, "、")
	}
	return Ref{Dataset: report.DatasetSamples, ID: s.ID, Date: s.Date, Squad: s.Squad, Detail: detail, Origin: s.Origin}
}

// caseRef shows a case by the date that put it in the figure (closed or filed).
func caseRef(c *report.Case, label string, d report.Date) Ref {
	detail := label
	if c.MajorReview {
		detail += " 重大法核"
	}
	if len(c.Abnormal) > 0 {
		detail += " 异常：" + strings.Join(c.Abnormal, "、")
	}
	return Ref{Dataset: report.DatasetCases, ID: c.ID, Date: d, Squad: c.Squad, Detail: detail, Origin: c.Origin}
}

func inspectionRef(in *report.Inspection) Ref {
	detail := in.Item
	if in.Method != "" {
		detail += " " + in.Method
	}
	if in.Problems > 0 {
		detail += fmt.Sprintf(" 问题%d个 %s", in.Problems, in.Rectification)
	}
	return Ref{Dataset: report.DatasetInspections, ID: in.ID, Date: in.Date, Squad: in.Squad, Detail: detail, Origin: in.Origin}
}

func complaintRef(c *report.Complaint, d report.Date) Ref {
	detail := c.Type
	if c.Sampled {
		detail += " 抽查" + c.Finding
	}
	return Ref{Dataset: report.DatasetComplaints, ID: c.ID, Date: d, Squad: c.Squad, Detail: detail, Origin: c.Origin}
}

func weeklyRef(w *report.WeeklyRecord) Ref {
	return Ref{Dataset: report.DatasetWeekly, Date: w.Date, Squad: w.Squad, Detail: w.Content, Origin: w.Origin}
}

func ledgerRef(l *report.LedgerEntry) Ref {
	return Ref{Dataset: report.DatasetLedger, ID: l.Matter, Date: l.Done, Squad: l.Responsible,
		Detail: "所属期间 " + l.Period, Origin: l.Origin}
}

// sortRefs orders records by date, then id, then place in the file.
func sortRefs(refs []Ref) {
	slices.SortStableFunc(refs, func(a, b Ref) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Origin.File(), b.Origin.File()); c != 0 {
			return c
		}
		return a.Origin.Row - b.Origin.Row
	})
}
