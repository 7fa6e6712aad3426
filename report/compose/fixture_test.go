package compose

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"bulletin/report"
)

// The fixtures below are a plausible May 2025 and first half of 2025 for
// the fifteen squads of config.toml, built by hand so that every number a
// test looks for is visible here.

var testSquads = []string{
	"江宁路中队", "石门二路中队", "南京西路中队", "静安寺中队", "曹家渡中队",
	"天目西路中队", "北站中队", "宝山路中队", "芷江西路中队", "共和新路中队",
	"大宁路中队", "彭浦新村中队", "临汾路中队", "彭浦镇中队", "机动中队",
}

const templatesDir = "../../templates"

func testConfig() *report.Config {
	cfg := &report.Config{
		Bureau: report.Bureau{
			Name: "上海市静安区城市管理行政执法局", ShortName: "静安区城管执法局",
			BulletinName: "静安城市管理执法工作月报", TimeZone: "Asia/Shanghai", IssueNumbering: "month",
		},
		Distribution: report.Distribution{
			ReportTo: []string{"市城管执法局执法监督处"}, CopyTo: []string{"区司法局"},
			IssueTo: []string{"各科室", "各中队"}, PrintedBy: "静安区城管执法局综合科", SelfInspection: "市局执法监督处",
		},
		Items: []report.Item{
			{Name: "依法行政", Departments: []string{"案件审理科", "执法监督科", "拆违专班"}},
			{Name: "公示制度", Departments: []string{"案件审理科", "执法协调科", "执法监督科"}, SelfInspection: "行政执法公示制度"},
			{Name: "全过程记录", Departments: []string{"案件审理科", "执法协调科", "拆违专班"}, SelfInspection: "行政执法全过程记录制度"},
			{Name: "重大法核", Departments: []string{"案件审理科"}, SelfInspection: "重大行政执法决定法制审核制度"},
			{Name: "执法责任制", Departments: []string{"综合科", "案件审理科", "执法监督科", "执法协调科", "组织人事科", "拆违专班"}},
			{Name: "执法实效", Departments: []string{"执法协调科", "执法监督科"}},
			{Name: "队伍建设", Departments: []string{"组织人事科", "执法监督科", "案件审理科"}},
			{Name: "重要案（诉）件", Departments: []string{"综合科", "案件审理科", "拆违专班", "执法协调科", "执法监督科", "组织人事科"}},
			{Name: "中队常态化督察", Departments: []string{"各中队"}},
		},
	}
	for _, s := range testSquads {
		cfg.Squads = append(cfg.Squads, report.Squad{Name: s})
	}
	dept := func(item string) []string {
		for _, it := range cfg.Items {
			if it.Name == item {
				return it.Departments
			}
		}
		panic(item)
	}
	q := func(id, name, item string, target float64, window string) report.Quota {
		return report.Quota{ID: id, Name: name, Item: item, Departments: dept(item), Target: target, Window: window, Frequency: report.Monthly}
	}
	cfg.Plan = report.Plan{Year: 2025, Name: "静安区城管执法系统2025年度执法监督工作方案"}
	cfg.Plan.Quotas = []report.Quota{
		q("lawful.case_sample_rate", "案卷抽查率", "依法行政", 0.10, "month"),
		q("lawful.squad_coverage_month", "案卷抽查中队覆盖率", "依法行政", 0.20, "month"),
		q("lawful.squad_coverage_half", "案卷抽查半年覆盖全部中队", "依法行政", 1, "half"),
		q("lawful.annual_per_squad", "每个中队全年案卷抽查数", "依法行政", 1, "year"),
		q("lawful.review_meeting", "案卷质量讲评会", "依法行政", 1, "month"),
		q("lawful.centralized_review_half", "案卷集中评查", "依法行政", 1, "half"),
		q("disclosure.checked_month", "公示制度月度检查", "公示制度", 1, "month"),
		q("disclosure.squad_coverage_half", "公示制度半年覆盖全部中队", "公示制度", 1, "half"),
		q("recording.av_sample_rate", "视音频记录抽查率", "全过程记录", 0.10, "month"),
		q("recording.squad_coverage_month", "视音频抽查中队覆盖率", "全过程记录", 0.20, "month"),
		q("recording.squad_coverage_half", "全过程记录半年覆盖全部中队", "全过程记录", 1, "half"),
		q("legal_review.major_case_coverage", "重大法核案件检查覆盖率", "重大法核", 1, "month"),
		q("accountability.squad_coverage_month", "执法责任制抽查中队覆盖率", "执法责任制", 0.20, "month"),
		q("accountability.squad_coverage_half", "执法责任制半年覆盖全部中队", "执法责任制", 1, "half"),
		q("effectiveness.squad_coverage_month", "执法实效抽查中队覆盖率", "执法实效", 0.20, "month"),
		q("effectiveness.squad_coverage_half", "执法实效半年覆盖全部中队", "执法实效", 1, "half"),
		q("effectiveness.summary_on_time", "月度工作总结和计划按时报送", "执法实效", 1, "month"),
		q("team.squad_coverage_month", "队伍建设进中队检查覆盖率", "队伍建设", 0.20, "month"),
		q("team.squad_coverage_half", "队伍建设半年覆盖全部中队", "队伍建设", 1, "half"),
		q("team.dynamic_info", "强转树动态信息报送", "队伍建设", 1, "month"),
		q("complaints.sample_rate", "投诉信访件抽查率", "重要案（诉）件", 0.01, "month"),
		q("squads.weekly_records", "中队每周常态化督察记录", "中队常态化督察", 1, "month"),
	}
	for i := range cfg.Plan.Quotas {
		switch c := &cfg.Plan.Quotas[i]; c.ID {
		case "lawful.annual_per_squad":
			c.MinCount = 10
		case "disclosure.checked_month":
			c.MinCount = 1
		case "lawful.review_meeting":
			c.Matter = "案卷质量讲评会"
		case "lawful.centralized_review_half":
			c.Matter = "案卷集中评查"
		case "effectiveness.summary_on_time":
			c.Matter, c.DueDay = "月度工作总结和计划", 5
		case "team.dynamic_info":
			c.Matter = "强转树动态信息"
		}
	}
	return cfg
}

func f(v float64) *float64 { return &v }
func b(v bool) *bool       { return &v }

// result evaluates a quota of cfg as metrics would: the status words
// follow from due, met and on_track.
func result(cfg *report.Config, id string, num, den int, due, onTrack bool, missing ...string) report.QuotaResult {
	c, ok := cfg.Quota(id)
	if !ok {
		panic(id)
	}
	r := report.QuotaResult{ID: id, Name: c.Name, Item: c.Item, Departments: c.Departments, Window: c.Window,
		Numerator: num, Denominator: den, Target: c.Target, MinCount: c.MinCount, Due: due, OnTrack: onTrack, Missing: missing}
	if den > 0 {
		r.Value = f(float64(num) / float64(den))
	}
	switch {
	case den == 0:
		r.Met, r.Note, r.Status = b(true), "no base", report.StatusNoBase
	case !due && onTrack:
		r.Status = report.StatusOnTrack
	case !due:
		r.Status = report.StatusBehind
	default:
		met := float64(num)/float64(den) >= c.Target-1e-9
		if c.MinCount > 0 && c.Window == report.WindowMonth {
			met = num >= c.MinCount
		}
		r.Met, r.OnTrack = b(met), met
		r.Status = map[bool]string{true: report.StatusMet, false: report.StatusNotMet}[met]
	}
	return r
}

// rotate is the squads starting at the k-th, wrapping round.
func rotate(k int) []string {
	return append(slices.Clone(testSquads[k:]), testSquads[:k]...)
}

// coverage covers the first half squads of a rotation in the half and the
// first month of them this month.
func coverage(item string, k, month, half int) report.Coverage {
	r := rotate(k)
	return report.Coverage{Item: item, Month: r[:month], Half: r[:half], HalfMissing: r[half:]}
}

func mayFigures() *report.Figures {
	cfg := testConfig()
	cov := []report.Coverage{
		coverage("依法行政", 0, 5, 12),
		coverage("公示制度", 2, 2, 14),
		coverage("全过程记录", 4, 4, 13),
		coverage("执法责任制", 6, 3, 11),
		coverage("执法实效", 8, 3, 13),
		coverage("队伍建设", 10, 2, 10),
	}
	fig := &report.Figures{
		Period: "2025-05", Kind: "monthly", Month: "2025-05", PrevMonth: "2025-04", Half: "2025-H1", HalfMonths: 5,
		IssueDate: report.MustDate(2025, time.June, 1), Issue: 5, Bureau: cfg.Bureau.Name, Plan: cfg.Plan.Name,
		Coverage: cov,
		Quality:  report.QualitySummary{Clean: true, Files: 6, Rows: 1325},
	}
	fig.Quotas = []report.QuotaResult{
		result(cfg, "lawful.case_sample_rate", 37, 300, true, true),
		result(cfg, "lawful.squad_coverage_month", 5, 15, true, true),
		result(cfg, "lawful.squad_coverage_half", 12, 15, false, false, cov[0].HalfMissing...),
		result(cfg, "lawful.annual_per_squad", 9, 15, false, false, testSquads[9:]...),
		result(cfg, "lawful.review_meeting", 1, 1, true, true),
		result(cfg, "lawful.centralized_review_half", 0, 1, false, true),
		result(cfg, "disclosure.checked_month", 3, 1, true, true),
		result(cfg, "disclosure.squad_coverage_half", 14, 15, false, true, cov[1].HalfMissing...),
		result(cfg, "recording.av_sample_rate", 38, 400, true, false),
		result(cfg, "recording.squad_coverage_month", 4, 15, true, true),
		result(cfg, "recording.squad_coverage_half", 13, 15, false, true, cov[2].HalfMissing...),
		result(cfg, "legal_review.major_case_coverage", 2, 3, true, false),
		result(cfg, "accountability.squad_coverage_month", 3, 15, true, true),
		result(cfg, "accountability.squad_coverage_half", 11, 15, false, false, cov[3].HalfMissing...),
		result(cfg, "effectiveness.squad_coverage_month", 3, 15, true, true),
		result(cfg, "effectiveness.squad_coverage_half", 13, 15, false, true, cov[4].HalfMissing...),
		result(cfg, "effectiveness.summary_on_time", 1, 1, true, true),
		result(cfg, "team.squad_coverage_month", 2, 15, true, false),
		result(cfg, "team.squad_coverage_half", 10, 15, false, false, cov[5].HalfMissing...),
		result(cfg, "team.dynamic_info", 1, 1, true, true),
		result(cfg, "complaints.sample_rate", 5, 250, true, true),
		result(cfg, "squads.weekly_records", 13, 15, true, false, "北站中队", "临汾路中队"),
	}

	// Case files: 37 samples in the five squads covered this month.
	samples := map[string][3]int{ // pass, partial, fail
		"江宁路中队": {7, 1, 1}, "石门二路中队": {6, 2, 0}, "南京西路中队": {5, 1, 1}, "静安寺中队": {5, 2, 0}, "曹家渡中队": {5, 1, 0},
	}
	var month, ytd report.VerdictCounts
	for i, s := range testSquads {
		v := samples[s]
		m := verdicts(v[0], v[1], v[2])
		y := verdicts(v[0]+5+i%4, v[1]+1+i%3, v[2]+i%2)
		fig.CaseQuality.BySquad = append(fig.CaseQuality.BySquad, report.SquadVerdicts{Squad: s, Month: m, YTD: y})
		month = verdicts(month.Pass+m.Pass, month.PartialPass+m.PartialPass, month.Fail+m.Fail)
		ytd = verdicts(ytd.Pass+y.Pass, ytd.PartialPass+y.PartialPass, ytd.Fail+y.Fail)
	}
	fig.CaseQuality.Month, fig.CaseQuality.YTD = month, ytd
	fig.CaseQuality.ProblemTypes = []report.Count{{Name: "文书制作不规范", Count: 9}, {Name: "证据收集不充分", Count: 6},
		{Name: "法律适用不准确", Count: 4}, {Name: "程序不规范", Count: 3}, {Name: "裁量说理不充分", Count: 2}}
	fig.CaseQuality.ProblemTypesYTD = []report.Count{{Name: "文书制作不规范", Count: 41}, {Name: "证据收集不充分", Count: 25},
		{Name: "程序不规范", Count: 17}, {Name: "法律适用不准确", Count: 12}, {Name: "送达不规范", Count: 7}, {Name: "裁量说理不充分", Count: 6}}

	fig.Problems = report.Problems{Found: 23, Inspections: 14, Rectified: 15, InProgress: 8, Overdue: 3, Backlog: 3, BacklogInspections: 3,
		ByItem: []report.Count{{Name: "公示制度", Count: 6}, {Name: "执法责任制", Count: 5}, {Name: "执法实效", Count: 7}, {Name: "队伍建设", Count: 5}}}
	for i, s := range testSquads {
		sp := report.SquadProblems{Squad: s}
		if i < 10 {
			sp.Found = 1 + i%4
			sp.Rectified = min(sp.Found, 1+i%2)
			sp.InProgress = sp.Found - sp.Rectified
		}
		fig.Problems.BySquad = append(fig.Problems.BySquad, sp)
	}
	fig.Problems.BySquad[6].Overdue, fig.Problems.BySquad[12].Overdue = 2, 1
	fig.Problems.OverdueList = []report.OverdueItem{
		{ID: "JC2025-0311", Squad: "北站中队", Item: "公示制度", Department: "执法监督科", Inspected: report.MustDate(2025, time.March, 11),
			Deadline: report.MustDate(2025, time.April, 10), DaysOverdue: 51, Description: "执法公示栏信息未及时更新", Problems: 1},
		{ID: "JC2025-0407", Squad: "北站中队", Item: "队伍建设", Department: "组织人事科", Inspected: report.MustDate(2025, time.April, 7),
			Deadline: report.MustDate(2025, time.May, 7), DaysOverdue: 24, Description: "内务管理台账缺失", Problems: 1},
		{ID: "JC2025-0415", Squad: "临汾路中队", Item: "执法责任制", Department: "综合科", Inspected: report.MustDate(2025, time.April, 15),
			Deadline: report.MustDate(2025, time.May, 15), DaysOverdue: 16, Description: "辅助人员培训记录不全", Problems: 1},
	}

	fig.Abnormal = report.Abnormal{Total: 6,
		ByType: []report.Count{{Name: "超期立案", Count: 2}, {Name: "超期结案", Count: 3}, {Name: "逾期未催缴罚款", Count: 1}},
		BySquad: []report.SquadCounts{
			{Squad: "天目西路中队", Total: 1, ByType: []report.Count{{Name: "超期立案", Count: 1}}},
			{Squad: "宝山路中队", Total: 3, ByType: []report.Count{{Name: "超期立案", Count: 1}, {Name: "超期结案", Count: 2}}},
			{Squad: "大宁路中队", Total: 2, ByType: []report.Count{{Name: "超期结案", Count: 1}, {Name: "逾期未催缴罚款", Count: 1}}},
		}}

	fig.Complaints = report.ComplaintFigures{Received: 250, Sampled: 5, Repeated: 12, DutyFailed: 1,
		ByType:       []report.Count{{Name: "投诉", Count: 210}, {Name: "信访", Count: 35}, {Name: "领导批示件", Count: 3}, {Name: "媒体曝光件", Count: 2}},
		ByField:      []report.Count{{Name: "夜间施工", Count: 60}, {Name: "违法建筑", Count: 45}, {Name: "文明施工", Count: 38}, {Name: "占绿毁绿", Count: 12}, {Name: "其他", Count: 95}},
		FailedSquads: []report.Count{{Name: "北站中队", Count: 1}}}
	for i, s := range testSquads {
		fig.Complaints.BySquad = append(fig.Complaints.BySquad, report.Count{Name: s, Count: 10 + (i*7)%12})
	}

	fig.Evaluation = evaluation(fig)
	// March had no case-file sample: no pass rate.
	fig.Trend = []report.TrendPoint{
		{Month: "2025-01", Values: map[string]*float64{"lawful.case_sample_rate": f(0.104), "recording.av_sample_rate": f(0.101), "complaints.sample_rate": f(0.012), report.TrendPassRate: f(0.95)}},
		{Month: "2025-02", Values: map[string]*float64{"lawful.case_sample_rate": f(0.112), "recording.av_sample_rate": f(0.098), "complaints.sample_rate": f(0.015), report.TrendPassRate: f(0.97)}},
		{Month: "2025-03", Values: map[string]*float64{"lawful.case_sample_rate": f(0.108), "recording.av_sample_rate": f(0.105), "complaints.sample_rate": f(0.011), report.TrendPassRate: nil}},
		{Month: "2025-04", Values: map[string]*float64{"lawful.case_sample_rate": f(0.110), "recording.av_sample_rate": f(0.102), "complaints.sample_rate": f(0.018), report.TrendPassRate: f(0.96)}},
		{Month: "2025-05", Values: map[string]*float64{"lawful.case_sample_rate": fig.Quotas[0].Value, "recording.av_sample_rate": fig.Quotas[8].Value, "complaints.sample_rate": fig.Quotas[20].Value, report.TrendPassRate: month.PassRate}},
	}
	for _, c := range cov {
		if len(c.HalfMissing) == 0 {
			continue
		}
		id := map[string]string{"依法行政": "lawful", "公示制度": "disclosure", "全过程记录": "recording",
			"执法责任制": "accountability", "执法实效": "effectiveness", "队伍建设": "team"}[c.Item] + ".squad_coverage_half"
		fig.Reminders = append(fig.Reminders, report.Reminder{Kind: report.ReminderCoverage, Item: c.Item, QuotaID: id, Half: "2025-H1",
			Squads: c.HalfMissing, MonthsLeft: 1, PerMonth: len(c.HalfMissing)})
	}
	fig.Reminders = append(fig.Reminders,
		report.Reminder{Kind: report.ReminderHeld, Item: "依法行政", QuotaID: "lawful.centralized_review_half", Half: "2025-H1", Squads: []string{}, MonthsLeft: 1},
		report.Reminder{Kind: report.ReminderPace, Item: "依法行政", QuotaID: "lawful.annual_per_squad", Half: "2025-H1", Squads: testSquads[9:], MonthsLeft: 7, PerMonth: 2})
	return fig
}

func verdicts(pass, partial, fail int) report.VerdictCounts {
	v := report.VerdictCounts{Pass: pass, PartialPass: partial, Fail: fail}
	v.PassRate = ratio(pass+partial, pass+partial+fail)
	return v
}

// evaluation scores the squads as the default weights of config.toml say;
// a squad without case files this month gets the pass-rate points in full.
func evaluation(fig *report.Figures) report.Evaluated {
	ev := report.Evaluated{Indicators: []report.IndicatorDef{
		{Key: "pass_rate", Name: "案卷合格率", Weight: 30, Rule: "得分＝30×合格率；本月无抽查案卷的按满分计。"},
		{Key: "rectification_on_time", Name: "问题按期整改率", Weight: 25, Rule: "得分＝25×按期整改率。"},
		{Key: "weekly_records", Name: "每周督察记录完整率", Weight: 20, Rule: "得分＝20×有记录周数÷本月周数。"},
		{Key: "complaint_duty", Name: "诉件履职到位率", Weight: 15, Rule: "得分＝15×履职到位率。"},
		{Key: "abnormal_cases", Name: "每百件案件异常数", Weight: 10, Rule: "每百件案件异常数达到10件得0分，其间按比例扣分。"},
	}}
	for i, s := range testSquads {
		cq := fig.CaseQuality.BySquad[i].Month
		pass := indicatorPoints("pass_rate", cq.PassRate, 30)
		rect := 1.0
		if p := fig.Problems.BySquad[i]; p.Found > 0 {
			rect = float64(p.Rectified) / float64(p.Found)
		}
		weekly := 1.0
		if s == "北站中队" || s == "临汾路中队" {
			weekly = 0.75
		}
		duty := 1.0
		if s == "北站中队" {
			duty = 0.5
		}
		abnormal := 0.0
		for _, a := range fig.Abnormal.BySquad {
			if a.Squad == s {
				abnormal = float64(a.Total) * 100 / 40
			}
		}
		inds := []report.IndicatorScore{pass,
			indicatorPoints("rectification_on_time", f(rect), 25),
			indicatorPoints("weekly_records", f(weekly), 20),
			indicatorPoints("complaint_duty", f(duty), 15),
			{Key: "abnormal_cases", Measured: true, Value: f(abnormal), Points: f(round2(10 * math.Max(0, 1-abnormal/10)))},
		}
		sc := report.SquadScore{Squad: s, Indicators: inds}
		points := 0.0
		for j, in := range inds {
			if in.Measured {
				points += *in.Points
				sc.Measured++
				sc.WeightMeasured += ev.Indicators[j].Weight
			}
		}
		sc.Score = round2(points / sc.WeightMeasured * 100)
		ev.Squads = append(ev.Squads, sc)
	}
	slices.SortStableFunc(ev.Squads, func(a, b report.SquadScore) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return 0
	})
	for i := range ev.Squads {
		ev.Squads[i].Rank = i + 1
	}
	return ev
}

// indicatorPoints is a share's points: the weight times the share; not
// measured, 未抽查, without a value.
func indicatorPoints(key string, v *float64, weight float64) report.IndicatorScore {
	if v == nil {
		return report.IndicatorScore{Key: key, Note: "未抽查"}
	}
	return report.IndicatorScore{Key: key, Measured: true, Value: v, Points: f(round2(weight * *v))}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// juneFigures is the last month of the half: the half's quotas are due.
func juneFigures() *report.Figures {
	cfg := testConfig()
	fig := mayFigures()
	fig.Period, fig.Month, fig.PrevMonth, fig.HalfMonths, fig.Issue = "2025-06", "2025-06", "2025-05", 6, 6
	fig.IssueDate = report.MustDate(2025, time.July, 1)
	fig.HalfSummary = &report.HalfSummary{Half: "2025-H1", Quotas: []report.QuotaResult{
		result(cfg, "lawful.squad_coverage_half", 15, 15, true, true),
		result(cfg, "lawful.centralized_review_half", 1, 1, true, true),
		result(cfg, "disclosure.squad_coverage_half", 15, 15, true, true),
		result(cfg, "recording.squad_coverage_half", 15, 15, true, true),
		result(cfg, "accountability.squad_coverage_half", 13, 15, true, false, "彭浦镇中队", "机动中队"),
		result(cfg, "effectiveness.squad_coverage_half", 15, 15, true, true),
		result(cfg, "team.squad_coverage_half", 12, 15, true, false, "江宁路中队", "石门二路中队", "南京西路中队"),
	}}
	for i, q := range fig.Quotas {
		for _, h := range fig.HalfSummary.Quotas {
			if h.ID == q.ID {
				fig.Quotas[i] = h
			}
		}
	}
	// One of June's problems is overdue by the month's end already.
	p := &fig.Problems
	sp := &p.BySquad[2]
	sp.InProgress, sp.FoundOverdue, sp.Overdue = sp.InProgress-1, 1, 1
	p.InProgress, p.FoundOverdue, p.Overdue = p.InProgress-1, 1, p.Overdue+1
	p.OverdueList = append(p.OverdueList, report.OverdueItem{ID: "JC2025-0603", Squad: sp.Squad, Item: "执法实效", Department: "执法协调科",
		Inspected: report.MustDate(2025, time.June, 3), Deadline: report.MustDate(2025, time.June, 20),
		DaysOverdue: 11, Description: "重点区域巡查记录缺失", Problems: 1})
	fig.Reminders = nextHalfReminders(fig, "2025-H2")
	fig.Reminders = append(fig.Reminders, report.Reminder{Kind: report.ReminderPace, Item: "依法行政", QuotaID: "lawful.annual_per_squad",
		Half: "2025-H1", Squads: testSquads[9:], MonthsLeft: 6, PerMonth: 2})
	return fig
}

// nextHalfReminders are the reminders of a half's last month, as metrics
// makes them: each half coverage quota over the next half, all fifteen
// squads from none, three a month, the squads the half missed first.
func nextHalfReminders(fig *report.Figures, next string) []report.Reminder {
	var out []report.Reminder
	for _, q := range fig.HalfSummary.Quotas {
		if strings.HasSuffix(q.ID, ".squad_coverage_half") {
			out = append(out, report.Reminder{Kind: report.ReminderNextHalf, Item: q.Item, QuotaID: q.ID, Half: next,
				Squads: testSquads, Carried: q.Missing, MonthsLeft: 6, PerMonth: 3})
		}
	}
	return out
}

// decemberFigures is the year's last month: the second half's quotas and
// the year's are due, and the reminders look to the first half of 2026.
func decemberFigures() *report.Figures {
	cfg := testConfig()
	fig := juneFigures()
	fig.Period, fig.Month, fig.PrevMonth, fig.Half, fig.Issue = "2025-12", "2025-12", "2025-11", "2025-H2", 12
	fig.IssueDate = report.MustDate(2026, time.January, 1)
	fig.HalfSummary.Half = "2025-H2"
	annual := result(cfg, "lawful.annual_per_squad", 14, 15, true, false, "临汾路中队")
	fig.HalfSummary.Quotas = append(fig.HalfSummary.Quotas, annual)
	for i, q := range fig.Quotas {
		if q.ID == annual.ID {
			fig.Quotas[i] = annual
		}
	}
	var trend []report.TrendPoint
	for m := 1; m <= 12; m++ {
		p := fig.Trend[(m-1)%len(fig.Trend)]
		trend = append(trend, report.TrendPoint{Month: fmt.Sprintf("2025-%02d", m), Values: p.Values})
	}
	fig.Trend = trend
	fig.Reminders = nextHalfReminders(fig, "2026-H1")
	return fig
}

// dirtyQuality has more rejected rows than the PDF lists.
func dirtyQuality() *report.Quality {
	q := &report.Quality{Period: "2025-05",
		Inputs: []report.Input{
			{Dataset: "案件", File: "data/2025-05/案件.xlsx", Rows: 412, Accepted: 400, Rejected: 12},
			{Dataset: "抽查明细", File: "data/2025-05/抽查明细.xlsx", Rows: 90, Accepted: 30, Rejected: 60},
			{Dataset: "监督检查", File: "data/2025-05/监督检查.csv", Rows: 14, Accepted: 14},
		},
		Files:    []report.FileError{{Dataset: "诉件", File: "data/2025-05/诉件.xlsx", Reason: "文件已损坏，无法打开"}},
		Warnings: []report.Warning{{Kind: report.WarnSummaryRow, File: "data/2025-05/案件.xlsx", Count: 1, Example: "第413行 合计"}},
	}
	for i := range 72 {
		file, dataset := "data/2025-05/抽查明细.xlsx", "抽查明细"
		if i >= 60 {
			file, dataset = "data/2025-05/案件.xlsx", "案件"
		}
		q.Rejected = append(q.Rejected, report.Rejection{Dataset: dataset, File: file, Sheet: dataset, Row: i + 2,
			Column: "抽查日期", Value: fmt.Sprintf("2025-05-%02d", 32+i%3), Reason: "日期不存在"})
	}
	return q
}

// halfFigures is a half-year run with the three self-inspections; the
// half had no 重大法核 case at all.
func halfFigures() *report.Figures {
	cfg := testConfig()
	fig := &report.Figures{Period: "2025-H1", Kind: "halfyear", Month: "2025-06", Half: "2025-H1", HalfMonths: 6,
		IssueDate: report.MustDate(2025, time.July, 5), Bureau: cfg.Bureau.Name, Plan: cfg.Plan.Name}
	months := []string{"2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"}

	disclosure := report.SelfInspection{Item: "公示制度", Checks: 20, Inspections: 20, Problems: 10, ProblemsTracked: 10,
		Covered: rotate(2)[:14], NotCovered: rotate(2)[14:],
		ProblemTypes: []report.ProblemGroup{
			{Type: "事中公示不到位", Count: 6, Squads: []string{"北站中队", "宝山路中队", "大宁路中队"}},
			{Type: "事前公示不全面", Count: 3, Squads: []string{"静安寺中队", "曹家渡中队"}},
			{Type: "事后公示不透明", Count: 1, Squads: []string{"共和新路中队"}},
		},
		Rectification: []report.SquadRectification{
			{Squad: "静安寺中队", Rectified: 1}, {Squad: "曹家渡中队", Rectified: 2},
			{Squad: "北站中队", Rectified: 1, RectifiedLate: 1, Overdue: 1}, {Squad: "宝山路中队", Rectified: 1, InProgress: 1},
			{Squad: "大宁路中队", Rectified: 1}, {Squad: "共和新路中队", RectifiedLate: 1},
		}}
	for i, m := range months {
		checks := 3
		if m == "2025-02" {
			checks = 0
		}
		disclosure.Monthly = append(disclosure.Monthly, report.MonthQuotas{Month: m, Quotas: []report.QuotaResult{
			result(cfg, "disclosure.checked_month", checks, 1, true, checks > 0),
			result(cfg, "disclosure.squad_coverage_half", min(2*(i+1)+2, 14), 15, m == "2025-06", true, rotate(2)[min(2*(i+1)+2, 14):]...),
		}})
	}
	for i, s := range testSquads {
		sc := report.SquadChecks{Squad: s, Covered: slices.Contains(disclosure.Covered, s)}
		if sc.Covered {
			sc.Checks = 1 + i%2
			sc.Dates = []report.Date{report.MustDate(2025, time.Month(1+i%6), 10+i)}
			if sc.Checks == 2 {
				sc.Dates = append(sc.Dates, report.MustDate(2025, time.Month(1+(i+3)%6), 3+i))
			}
		}
		for _, r := range disclosure.Rectification {
			if r.Squad == s {
				sc.Problems = r.Rectified + r.RectifiedLate + r.InProgress + r.Overdue
				sc.Rectified = r.Rectified + r.RectifiedLate
			}
		}
		disclosure.BySquad = append(disclosure.BySquad, sc)
	}

	// 4 problems found by inspections, with their rectification; 2 by samples, without
	recording := report.SelfInspection{Item: "全过程记录", Checks: 240, Inspections: 15, Samples: 225, Problems: 6, ProblemsTracked: 4, ProblemsSampled: 2, HasSamples: true,
		Covered: testSquads, ProblemTypes: []report.ProblemGroup{
			{Type: "视音频记录要素不全", Count: 4, Squads: []string{"江宁路中队", "北站中队"}},
			{Type: "文书不规范", Count: 2, Squads: []string{"南京西路中队"}}},
		Rectification: []report.SquadRectification{{Squad: "江宁路中队", Rectified: 2}, {Squad: "北站中队", Rectified: 1, InProgress: 1}}}
	for _, m := range months {
		recording.Monthly = append(recording.Monthly, report.MonthQuotas{Month: m, Quotas: []report.QuotaResult{
			result(cfg, "recording.av_sample_rate", 40, 380, true, true),
			result(cfg, "recording.squad_coverage_month", 4, 15, true, true),
		}})
	}
	for _, s := range testSquads {
		recording.BySquad = append(recording.BySquad, report.SquadChecks{Squad: s, Checks: 1, Samples: 15, Covered: true})
	}

	legal := report.SelfInspection{Item: "重大法核", NotCovered: testSquads, HasSamples: true,
		Note: "2025年上半年，全局未办结重大法核案件，本项无检查对象。"}
	for _, m := range months {
		legal.Monthly = append(legal.Monthly, report.MonthQuotas{Month: m, Quotas: []report.QuotaResult{
			result(cfg, "legal_review.major_case_coverage", 0, 0, true, true),
		}})
	}
	for _, s := range testSquads {
		legal.BySquad = append(legal.BySquad, report.SquadChecks{Squad: s})
	}
	fig.SelfInspections = []report.SelfInspection{disclosure, recording, legal}
	return fig
}
