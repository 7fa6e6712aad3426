package report

// Figures is the one value the metrics produce for a period; every renderer
// (PDF, workbook, charts, mail) reads only this. figures.json is this value
// marshalled; the field names and quota ids of rules.md are fixed.
type Figures struct {
	Period     string `json:"period"`      // 2025-05 or 2025-H1
	Kind       string `json:"kind"`        // monthly or halfyear
	Month      string `json:"month"`       // report month (a half's last month for halfyear)
	PrevMonth  string `json:"prev_month"`  // 上月
	Half       string `json:"half"`        // 2025-H1
	HalfMonths int    `json:"half_months"` // months of the half elapsed through Month
	IssueDate  Date   `json:"issue_date"`  // date of issue, from the clock
	Issue      int    `json:"issue"`       // 第N期
	Bureau     string `json:"bureau"`
	// Plan is the name of the year's plan the quotas are judged under.
	Plan string `json:"plan"`

	Inputs []Input `json:"inputs"`
	// Incomplete names the datasets that could not be read: figures that
	// depend on them are not to be trusted and the documents say so.
	Incomplete []string `json:"incomplete"`
	// IncompleteQuotas are the ids of the quotas computed from them.
	IncompleteQuotas []string `json:"incomplete_quotas,omitempty"`
	// MissingMonths are the month folders of the period's reading that
	// the data lacked (a run with --force): the figures counting those
	// months (上月, the year to date) are incomplete, and the documents
	// say so.
	MissingMonths []string       `json:"missing_months,omitempty"`
	Quality       QualitySummary `json:"quality"`

	Quotas      []QuotaResult       `json:"quotas"`
	Coverage    []Coverage          `json:"coverage"`
	Squads      []SquadFigures      `json:"squads"`
	Departments []DepartmentFigures `json:"departments"`

	CaseQuality     CaseQuality      `json:"case_quality"`
	Problems        Problems         `json:"problems"`
	Abnormal        Abnormal         `json:"abnormal"`
	Complaints      ComplaintFigures `json:"complaints"`
	Evaluation      Evaluated        `json:"evaluation"`
	Trend           []TrendPoint     `json:"trend"`
	Reminders       []Reminder       `json:"reminders"`
	HalfSummary     *HalfSummary     `json:"half_summary,omitempty"`     // in a half's last month and in halfyear runs
	SelfInspections []SelfInspection `json:"self_inspections,omitempty"` // halfyear runs
}

// Quota statuses as the documents print them.
const (
	StatusMet     = "完成"
	StatusNotMet  = "未完成"
	StatusOnTrack = "进行中"
	StatusBehind  = "进度滞后"
	StatusNoBase  = "无应检对象"
	StatusNotDue  = "本期不考核" // quarterly quota outside its quarter's last month
)

// QuotaResult is one quota evaluated for the period.
type QuotaResult struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Item        string   `json:"item"`
	Departments []string `json:"departments"`
	Window      string   `json:"window"` // month, half, year
	Numerator   int      `json:"numerator"`
	Denominator int      `json:"denominator"`
	// Value is numerator/denominator, nil when the denominator is 0.
	Value  *float64 `json:"value"`
	Target float64  `json:"target"`
	// MinCount is the per-squad or per-period minimum of count quotas.
	MinCount int  `json:"min_count,omitempty"`
	Due      bool `json:"due"`
	// Met is decided only when the quota is due; nil otherwise.
	Met     *bool  `json:"met"`
	OnTrack bool   `json:"on_track"`
	Note    string `json:"note"`
	Status  string `json:"status"` // one of the Status* words
	// Missing lists the squads that keep a coverage or per-squad quota from
	// being met (uncovered, or below the minimum).
	Missing []string `json:"missing,omitempty"`
}

// Coverage is the squads covered on one supervision item.
type Coverage struct {
	Item        string   `json:"item"`
	Month       []string `json:"month"`
	Half        []string `json:"half"`
	HalfMissing []string `json:"half_missing"`
}

// SquadFigures is one squad's line of the bulletin.
type SquadFigures struct {
	Name             string   `json:"name"`
	CaseSamplesMonth int      `json:"case_samples_month"`
	CaseSamplesYTD   int      `json:"case_samples_ytd"`
	AVSamplesMonth   int      `json:"av_samples_month"`
	PassRateMonth    *float64 `json:"pass_rate_month"` // nil without samples
	Problems         int      `json:"problems"`
	Rectified        int      `json:"rectified"`
	Overdue          int      `json:"overdue"`
	WeeklyWeeks      int      `json:"weekly_weeks"`
	WeeksInMonth     int      `json:"weeks_in_month"`
	CasesClosedPrev  int      `json:"cases_closed_prev"`
	ComplaintsMonth  int      `json:"complaints_month"`
	Score            float64  `json:"score"`
	Rank             int      `json:"rank"`
	// ItemsMonth and ItemsHalf list the items on which the squad was
	// covered this month and this half (the squad × item matrix).
	ItemsMonth []string `json:"items_month"`
	ItemsHalf  []string `json:"items_half"`
}

// DepartmentFigures is one line of the department scorecard.
type DepartmentFigures struct {
	Name      string   `json:"name"`
	QuotasDue int      `json:"quotas_due"`
	QuotasMet int      `json:"quotas_met"`
	Unmet     []string `json:"unmet"` // ids of the due quotas not met
}

// VerdictCounts counts case-file verdicts.
type VerdictCounts struct {
	Pass        int      `json:"pass"`
	PartialPass int      `json:"partial_pass"`
	Fail        int      `json:"fail"`
	PassRate    *float64 `json:"pass_rate"` // (pass + partial) / total; nil when none
}

// CaseQuality is the case-file quality section (四、案卷质量).
type CaseQuality struct {
	Month           VerdictCounts   `json:"month"`
	YTD             VerdictCounts   `json:"ytd"`
	BySquad         []SquadVerdicts `json:"by_squad"`
	ProblemTypes    []Count         `json:"problem_types"` // ranked, month
	ProblemTypesYTD []Count         `json:"problem_types_ytd"`
}

// SquadVerdicts is one squad's case-file verdicts of the month and year.
type SquadVerdicts struct {
	Squad string        `json:"squad"`
	Month VerdictCounts `json:"month"`
	YTD   VerdictCounts `json:"ytd"`
}

// Count is a named count, for ranked lists.
type Count struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Problems is the problems-found and rectification section (五). Two
// populations: the problems found in M (Found = Rectified + InProgress +
// FoundOverdue) and the overdue ones of every inspection up to M
// (Overdue = FoundOverdue + Backlog).
type Problems struct {
	Found       int `json:"found"`       // 发现问题数 of inspections in M
	Inspections int `json:"inspections"` // inspections in M
	// Rectified, InProgress and FoundOverdue split Found by its state at
	// the end of M.
	Rectified    int `json:"rectified"`
	InProgress   int `json:"in_progress"`
	FoundOverdue int `json:"found_overdue"`
	// Overdue counts every overdue problem at the end of M, of M's
	// inspections and of earlier ones; Backlog is the earlier ones', found
	// by BacklogInspections inspections before M.
	Overdue            int             `json:"overdue"`
	Backlog            int             `json:"backlog"`
	BacklogInspections int             `json:"backlog_inspections"`
	BySquad            []SquadProblems `json:"by_squad"`
	ByItem             []Count         `json:"by_item"`
	// OverdueList names every overdue rectification (整改期限 before the end
	// of M and not 已整改), oldest deadline first; it covers every
	// inspection read, not only this month's.
	OverdueList []OverdueItem `json:"overdue_list"`
}

// SquadProblems is one squad's problems and rectification, split as in
// Problems.
type SquadProblems struct {
	Squad        string `json:"squad"`
	Found        int    `json:"found"`
	Rectified    int    `json:"rectified"`
	InProgress   int    `json:"in_progress"`
	FoundOverdue int    `json:"found_overdue"`
	Overdue      int    `json:"overdue"`
}

// OverdueItem is one overdue rectification, named.
type OverdueItem struct {
	ID          string `json:"id"`
	Squad       string `json:"squad"`
	Item        string `json:"item"`
	Department  string `json:"department"`
	Inspected   Date   `json:"inspected"`
	Deadline    Date   `json:"deadline"`
	DaysOverdue int    `json:"days_overdue"` // at the end of M
	Description string `json:"description"`
	Problems    int    `json:"problems"`
}

// Abnormal is the abnormal-cases section (city bureau's list).
type Abnormal struct {
	Total   int           `json:"total"` // cases flagged, filed or closed in M
	ByType  []Count       `json:"by_type"`
	BySquad []SquadCounts `json:"by_squad"`
}

// SquadCounts is a squad's counts by type.
type SquadCounts struct {
	Squad  string  `json:"squad"`
	Total  int     `json:"total"`
	ByType []Count `json:"by_type"`
}

// ComplaintFigures is the important cases and complaints section (六).
type ComplaintFigures struct {
	Received     int     `json:"received"`
	Sampled      int     `json:"sampled"`
	Repeated     int     `json:"repeated"`
	DutyFailed   int     `json:"duty_failed"` // 履职不到位 among the sampled
	ByType       []Count `json:"by_type"`
	ByField      []Count `json:"by_field"`
	BySquad      []Count `json:"by_squad"`
	FailedSquads []Count `json:"failed_squads"` // squads with 履职不到位 findings
}

// Evaluated is the squad evaluation (七、中队评价) with every indicator.
type Evaluated struct {
	Indicators []IndicatorDef `json:"indicators"`
	Squads     []SquadScore   `json:"squads"` // ranked, best first
}

// IndicatorDef describes one indicator and its weight (points).
type IndicatorDef struct {
	Key    string  `json:"key"`
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
	Rule   string  `json:"rule"` // how the points follow from the value, in words
}

// SquadScore is one squad's score, explained.
type SquadScore struct {
	Squad string `json:"squad"`
	// Score is the points of the indicators measured over their weights,
	// on a 100-point scale (rules-interpretation 60).
	Score float64 `json:"score"`
	Rank  int     `json:"rank"`
	// Measured is how many indicators were measured for the squad, and
	// WeightMeasured their weights added up: a squad scored on fewer
	// indicators than defined is marked in the ranking.
	Measured       int              `json:"measured"`
	WeightMeasured float64          `json:"weight_measured"`
	Indicators     []IndicatorScore `json:"indicators"`
}

// IndicatorScore is one indicator's value and points for a squad. When the
// squad had nothing to measure (no case file sampled, no problem due),
// Measured is false, Value and Points are nil, and Note is the mark the
// documents print (未抽查): the indicator is left out of the score.
type IndicatorScore struct {
	Key      string   `json:"key"`
	Measured bool     `json:"measured"`
	Value    *float64 `json:"value"`
	Points   *float64 `json:"points"`
	Note     string   `json:"note,omitempty"`
}

// TrendPoint is the headline rates of one month of the year so far.
type TrendPoint struct {
	Month  string              `json:"month"`
	Values map[string]*float64 `json:"values"` // by quota id
}

// Reminder kinds: what a line of 八、下月工作提示 asks for.
const (
	// ReminderCoverage: squads still to be covered in the current half.
	ReminderCoverage = "coverage"
	// ReminderNextHalf: the half ends with this month; the next half's
	// coverage starts from none.
	ReminderNextHalf = "next_half"
	// ReminderHeld: a once-a-half task not yet held.
	ReminderHeld = "held"
	// ReminderPace: squads behind the straight line of a per-squad year quota.
	ReminderPace = "pace"
)

// Reminder is one line of 八、下月工作提示.
type Reminder struct {
	Kind string `json:"kind"` // one of the Reminder* kinds
	Item string `json:"item"`
	// QuotaID is the quota behind the reminder.
	QuotaID string `json:"quota_id"`
	// Half is the half the reminder is about: the current one, or for
	// ReminderNextHalf the next.
	Half string `json:"half"`
	// Squads are the squads still to cover in Half, or behind pace.
	Squads []string `json:"squads"`
	// Carried, in a ReminderNextHalf, are the squads the ending half left
	// uncovered: to be inspected first.
	Carried []string `json:"carried,omitempty"`
	// PerMonth is how many squads must be covered in each remaining month
	// of Half to finish on time (for ReminderPace, the samples a month the
	// furthest-behind squad needs).
	PerMonth   int    `json:"per_month"`
	MonthsLeft int    `json:"months_left"`
	Text       string `json:"text,omitempty"`
}

// QualitySummary is the data-quality headline carried into the figures.
type QualitySummary struct {
	Clean      bool `json:"clean"`
	Files      int  `json:"files"`
	Rows       int  `json:"rows"`
	Rejected   int  `json:"rejected"`
	Warnings   int  `json:"warnings"`
	FileErrors int  `json:"file_errors"`
}

// HalfSummary is the half's quotas now due (the half-year page of June's
// and December's bulletin).
type HalfSummary struct {
	Half   string        `json:"half"`
	Quotas []QuotaResult `json:"quotas"`
}

// SelfInspection is the data of one half-year self-inspection report.
type SelfInspection struct {
	Item  string `json:"item"`
	Title string `json:"title"`
	// Checks is Inspections (监督检查 rows) plus Samples (抽查明细 rows),
	// each counted and named apart in the report.
	Checks      int `json:"checks"`
	Inspections int `json:"inspections"`
	Samples     int `json:"samples"`
	// Problems is ProblemsTracked, found by inspections and followed up to
	// a rectification deadline, plus ProblemsSampled, the 问题类型 of the
	// samples, which have no deadline: every problem the report states is
	// one of the two.
	Problems        int      `json:"problems"`
	ProblemsTracked int      `json:"problems_tracked"`
	ProblemsSampled int      `json:"problems_sampled"`
	Covered         []string `json:"covered"`
	NotCovered      []string `json:"not_covered"`
	// Monthly is the item's quotas month by month.
	Monthly       []MonthQuotas        `json:"monthly"`
	ProblemTypes  []ProblemGroup       `json:"problem_types"`
	Rectification []SquadRectification `json:"rectification"`
	BySquad       []SquadChecks        `json:"by_squad"` // the annex table
	// HasSamples tells whether the item is checked by sampling (抽查明细)
	// as well as by inspection: only then has the annex a samples column.
	HasSamples bool `json:"has_samples"`
	// CheckedLate, for 重大法核, are the cases of the half's months whose
	// file was not sampled by the end of the month they closed in (so not
	// in the quota's numerator) but later in the half: the summed quota
	// is not what was checked by the half's end.
	CheckedLate []LateCheck `json:"checked_late"`
	Note        string      `json:"note,omitempty"` // e.g. no 重大法核 case in the half
}

// LateCheck is a major case whose file was first sampled after the month
// it closed in.
type LateCheck struct {
	Case    string `json:"case"`
	Squad   string `json:"squad"`
	Closed  Date   `json:"closed"`
	Sample  string `json:"sample"`
	Sampled Date   `json:"sampled"`
}

// MonthQuotas is an item's quota results in one month.
type MonthQuotas struct {
	Month  string        `json:"month"`
	Quotas []QuotaResult `json:"quotas"`
}

// ProblemGroup is a problem type with its count and the squads concerned.
type ProblemGroup struct {
	Type   string   `json:"type"`
	Count  int      `json:"count"`
	Squads []string `json:"squads"`
}

// SquadRectification is a squad's rectification state in a half.
type SquadRectification struct {
	Squad         string `json:"squad"`
	Rectified     int    `json:"rectified"`
	RectifiedLate int    `json:"rectified_late"` // rectified after the deadline
	InProgress    int    `json:"in_progress"`
	Overdue       int    `json:"overdue"`
}

// SquadChecks is one row of a self-inspection annex.
type SquadChecks struct {
	Squad     string `json:"squad"`
	Checks    int    `json:"checks"`
	Samples   int    `json:"samples"`
	Problems  int    `json:"problems"`
	Rectified int    `json:"rectified"`
	Covered   bool   `json:"covered"`
	Dates     []Date `json:"dates"`
}
