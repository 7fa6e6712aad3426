package report

// The fixed parts of the data contract and the rules: the canonical columns
// of each export and the quota ids. Aliases, targets and windows are
// configuration; these names are what the code computes with.

// ColumnSpec is one canonical column of an export.
type ColumnSpec struct {
	Name     string
	Required bool
}

// Columns lists each dataset's canonical columns (data-contract.md), required
// ones marked.
var Columns = map[string][]ColumnSpec{
	DatasetCases: {
		{"案件编号", true}, {"承办中队", true}, {"案由", false}, {"立案日期", true},
		{"结案日期", false}, {"案件状态", false}, {"是否重大法核", false}, {"异常类型", false},
	},
	DatasetSamples: {
		{"抽查编号", true}, {"抽查日期", true}, {"抽查类型", true}, {"案件编号", true},
		{"承办中队", false}, {"抽查科室", true}, {"结论", true}, {"问题类型", false},
	},
	DatasetInspections: {
		{"记录编号", true}, {"检查日期", true}, {"监督事项", true}, {"检查科室", true},
		{"被检查中队", true}, {"检查方式", false}, {"发现问题数", false}, {"问题描述", false},
		{"整改期限", false}, {"整改状态", false}, {"整改完成日期", false},
	},
	DatasetComplaints: {
		{"诉件编号", true}, {"诉件类型", true}, {"受理日期", true}, {"所属中队", true},
		{"问题领域", false}, {"是否重复", false}, {"是否抽查", false}, {"抽查日期", false},
		{"抽查结论", false},
	},
	DatasetWeekly: {
		{"中队", true}, {"督察日期", true}, {"督察内容", false}, {"发现问题数", false},
	},
	DatasetLedger: {
		{"事项", true}, {"责任科室", false}, {"完成日期", true}, {"所属期间", false},
	},
}

// Quota ids of rules.md. The formula of each is code (package metrics); its
// target, window and frequency are configuration.
const (
	QuotaCaseSampleRate         = "lawful.case_sample_rate"
	QuotaLawfulCoverageMonth    = "lawful.squad_coverage_month"
	QuotaLawfulCoverageHalf     = "lawful.squad_coverage_half"
	QuotaAnnualPerSquad         = "lawful.annual_per_squad"
	QuotaReviewMeeting          = "lawful.review_meeting"
	QuotaCentralizedReview      = "lawful.centralized_review_half"
	QuotaDisclosureChecked      = "disclosure.checked_month"
	QuotaDisclosureCoverageHalf = "disclosure.squad_coverage_half"
	QuotaAVSampleRate           = "recording.av_sample_rate"
	QuotaRecordingCoverageMonth = "recording.squad_coverage_month"
	QuotaRecordingCoverageHalf  = "recording.squad_coverage_half"
	QuotaMajorCaseCoverage      = "legal_review.major_case_coverage"
	QuotaAccountabilityMonth    = "accountability.squad_coverage_month"
	QuotaAccountabilityHalf     = "accountability.squad_coverage_half"
	QuotaEffectivenessMonth     = "effectiveness.squad_coverage_month"
	QuotaEffectivenessHalf      = "effectiveness.squad_coverage_half"
	QuotaSummaryOnTime          = "effectiveness.summary_on_time"
	QuotaTeamCoverageMonth      = "team.squad_coverage_month"
	QuotaTeamCoverageHalf       = "team.squad_coverage_half"
	QuotaTeamDynamicInfo        = "team.dynamic_info"
	QuotaComplaintSampleRate    = "complaints.sample_rate"
	QuotaWeeklyRecords          = "squads.weekly_records"
)

// ReachesAllHistory names the exports a rule reaches back into without
// limit, so that a report for month M reads them in every folder up to M:
// 案件 is a reference table (a case sampled now may have been filed years
// ago), a 重大法核 case's 案卷 sample may be dated any time up to the end of
// M (抽查明细), and the overdue list names every inspection up to M
// (监督检查). The rules reach the other exports only in the months the
// report covers (and 上月), and a folder holds no row dated after its month,
// so earlier folders cannot hold a row they count.
var ReachesAllHistory = map[string]bool{DatasetCases: true, DatasetSamples: true, DatasetInspections: true}

// QuotaIDs lists every quota id in the order of rules.md.
var QuotaIDs = []string{
	QuotaCaseSampleRate, QuotaLawfulCoverageMonth, QuotaLawfulCoverageHalf, QuotaAnnualPerSquad,
	QuotaReviewMeeting, QuotaCentralizedReview, QuotaDisclosureChecked, QuotaDisclosureCoverageHalf,
	QuotaAVSampleRate, QuotaRecordingCoverageMonth, QuotaRecordingCoverageHalf, QuotaMajorCaseCoverage,
	QuotaAccountabilityMonth, QuotaAccountabilityHalf, QuotaEffectivenessMonth, QuotaEffectivenessHalf,
	QuotaSummaryOnTime, QuotaTeamCoverageMonth, QuotaTeamCoverageHalf, QuotaTeamDynamicInfo,
	QuotaComplaintSampleRate, QuotaWeeklyRecords,
}

// SquadsGroup is the responsible party "各中队" of quotas the squads
// themselves must meet; it is not a department.
const SquadsGroup = "各中队"

// TrendPassRate is the key of the case-file pass rate in the trend points,
// beside the quota ids.
const TrendPassRate = "case_quality.pass_rate"

// TrendHeadlines are the rates the trend chart follows month by month: the
// three sample rates of the plan and the case-file pass rate.
var TrendHeadlines = []string{QuotaCaseSampleRate, QuotaAVSampleRate, QuotaComplaintSampleRate, TrendPassRate}
