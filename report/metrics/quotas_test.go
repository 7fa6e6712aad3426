package metrics

import (
	"fmt"
	"slices"
	"testing"

	"bulletin/report"
)

// verdict is the expected met: decided true, decided false, or not decided.
type verdict int

const (
	undecided verdict = iota
	met
	notMet
)

type want struct {
	num, den int
	due      bool
	met      verdict
	onTrack  bool
	status   string
	note     string   // checked when not empty
	missing  []string // checked when not nil
}

type quotaCase struct {
	name  string
	id    string
	month report.Month
	tweak func(t *testing.T, cfg *report.Config) // a config change, or nil
	data  *report.Dataset
	want  want
}

var s = squads // short name for the table

// metWant and notMetWant are the usual results of a due quota.
func metWant(num, den int) want {
	return want{num: num, den: den, due: true, met: met, onTrack: true, status: report.StatusMet}
}

func notMetWant(num, den int) want {
	return want{num: num, den: den, due: true, met: notMet, onTrack: false, status: report.StatusNotMet}
}

func noBase(num int) want {
	return want{num: num, den: 0, due: true, met: met, onTrack: true, status: report.StatusNoBase, note: "no base"}
}

func quarterly(t *testing.T, cfg *report.Config) {
	setQuota(t, cfg, report.QuotaAVSampleRate, func(q *report.Quota) { q.Frequency = report.Quarterly })
}

// quotaCases are worked out by hand: each expectation's arithmetic is in
// the comment above it.
func quotaCases() []quotaCase {
	cases := []quotaCase{
		// ── lawful.case_sample_rate: 案卷 samples in M ÷ cases closed in M-1 ──
		{
			name: "May: 2 samples over 20 cases closed in April", id: report.QuotaCaseSampleRate, month: month(2025, 5),
			data: &report.Dataset{
				Cases: slices.Concat(
					closedCases("APR", s[0], 20, day(2025, 3, 1), day(2025, 4, 15)), // the base: 20
					closedCases("MAY", s[0], 7, day(2025, 4, 1), day(2025, 5, 2)),   // closed in May: not the base
					closedCases("MAR", s[0], 4, day(2025, 2, 1), day(2025, 3, 30))), // closed in March: not the base
				Samples: slices.Concat(
					caseFiles("S", day(2025, 5, 10), s[0], s[1]),                      // 2 case files in May
					caseFiles("OLD", day(2025, 4, 30), s[2]),                          // April: not counted
					[]report.Sample{avSample("AV", day(2025, 5, 3), "APR-001", s[3])}, // audio/video: not counted
				),
			},
			// 2/20 = 10%; at least ceil(0.10 × 20) = 2 needed: met
			want: metWant(2, 20),
		},
		{
			name: "May: 1 sample over 20 cases closed in April", id: report.QuotaCaseSampleRate, month: month(2025, 5),
			data: &report.Dataset{
				Cases:   closedCases("APR", s[0], 20, day(2025, 3, 1), day(2025, 4, 15)),
				Samples: caseFiles("S", day(2025, 5, 10), s[0]),
			},
			// 1/20 = 5% < 10%: not met
			want: notMetWant(1, 20),
		},
		{
			name: "January: 上月 is December of the year before", id: report.QuotaCaseSampleRate, month: month(2025, 1),
			data: &report.Dataset{
				Cases: slices.Concat(
					closedCases("DEC", s[0], 10, day(2024, 11, 1), day(2024, 12, 20)), // the base: 10
					closedCases("JAN", s[0], 5, day(2024, 12, 1), day(2025, 1, 8))),   // closed in January: not the base
				Samples: caseFiles("S", day(2025, 1, 15), s[0]),
			},
			// 1/10 = 10%: met
			want: metWant(1, 10),
		},
		{
			name: "a late record: a case closed in April read from the May folder counts for April", id: report.QuotaCaseSampleRate, month: month(2025, 5),
			data: &report.Dataset{
				Cases: slices.Concat(
					closedCases("APR", s[0], 9, day(2025, 3, 1), day(2025, 4, 15)),
					[]report.Case{{ID: "LATE", Squad: s[1], Filed: day(2025, 3, 3), Closed: day(2025, 4, 28),
						Origin: origin(month(2025, 5), "data/2025-05/案件.xlsx", 40)}}),
				Samples: caseFiles("S", day(2025, 5, 10), s[0]),
			},
			// base: 9 + the late one = 10; 1/10 = 10%: met
			want: metWant(1, 10),
		},
		{
			name: "denominator zero: no case closed in April", id: report.QuotaCaseSampleRate, month: month(2025, 5),
			data: &report.Dataset{
				Cases:   closedCases("MAY", s[0], 3, day(2025, 4, 1), day(2025, 5, 2)),
				Samples: caseFiles("S", day(2025, 5, 10), s[0]),
			},
			// 1/0: no base, met
			want: noBase(1),
		},

		// ── lawful.squad_coverage_month: squads among May's 案卷 samples ÷ 15 ──
		{
			name: "3 squads sampled in May", id: report.QuotaLawfulCoverageMonth, month: month(2025, 5),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("S", day(2025, 5, 10), s[0], s[0], s[1], s[2]), // 3 distinct squads
				caseFiles("OLD", day(2025, 4, 10), s[3]),                 // April: not counted
			)},
			// 3/15; at least ceil(0.20 × 15) = 3 needed: met
			want: want{num: 3, den: 15, due: true, met: met, onTrack: true, status: report.StatusMet, missing: except(s[0], s[1], s[2])},
		},
		{
			name: "2 squads sampled in May", id: report.QuotaLawfulCoverageMonth, month: month(2025, 5),
			data: &report.Dataset{Samples: caseFiles("S", day(2025, 5, 10), s[0], s[1], s[1])},
			// 2/15 < 3 needed: not met
			want: notMetWant(2, 15),
		},

		// ── lawful.squad_coverage_half: squads with 案卷 samples in H to date ÷ 15 ──
		{
			name: "April: 10 squads is on the straight line", id: report.QuotaLawfulCoverageHalf, month: month(2025, 4),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("JAN", day(2025, 1, 10), s[0:5]...),
				caseFiles("APR", day(2025, 4, 10), s[5:10]...))},
			// 10/15, not due; line: ceil(15 × 4/6) = 10 ≤ 10: on track
			want: want{num: 10, den: 15, due: false, met: undecided, onTrack: true, status: report.StatusOnTrack,
				note: "按进度本月末应覆盖10个中队", missing: s[10:]},
		},
		{
			name: "April: 9 squads is behind", id: report.QuotaLawfulCoverageHalf, month: month(2025, 4),
			data: &report.Dataset{Samples: caseFiles("JAN", day(2025, 1, 10), s[0:9]...)},
			// 9 < ceil(15 × 4/6) = 10: behind
			want: want{num: 9, den: 15, due: false, met: undecided, onTrack: false, status: report.StatusBehind},
		},
		{
			name: "June, the half's last month: every squad covered", id: report.QuotaLawfulCoverageHalf, month: month(2025, 6),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("JAN", day(2025, 1, 10), s[0:8]...),
				caseFiles("JUN", day(2025, 6, 30), s[8:]...))},
			// 8 + 7 = 15/15, due: met
			want: metWant(15, 15),
		},
		{
			name: "June: one squad never sampled in the half", id: report.QuotaLawfulCoverageHalf, month: month(2025, 6),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("H1", day(2025, 3, 10), s[0:14]...),
				caseFiles("H2", day(2025, 7, 1), s[14]),      // July: another half
				caseFiles("OLD", day(2024, 12, 31), s[14]))}, // last year's H2
			// 14/15: not met, the 15th named
			want: want{num: 14, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: []string{s[14]}},
		},
		{
			name: "July starts a new half", id: report.QuotaLawfulCoverageHalf, month: month(2025, 7),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("H1", day(2025, 6, 10), s...),
				caseFiles("JUL", day(2025, 7, 10), s[0]))},
			// H2 to date = July: 1/15; line ceil(15 × 1/6) = 3 > 1: behind
			want: want{num: 1, den: 15, due: false, met: undecided, onTrack: false, status: report.StatusBehind},
		},

		// ── lawful.annual_per_squad: squads with ≥ 10 案卷 samples in the year ÷ 15 ──
		{
			name: "March: one squad below the pace", id: report.QuotaAnnualPerSquad, month: month(2025, 3),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("JAN", day(2025, 1, 10), s...),
				caseFiles("FEB", day(2025, 2, 10), s...),
				caseFiles("MAR", day(2025, 3, 10), s[:14]...))},
			// none has 10 yet: 0/15; pace ceil(10 × 3/12) = 3: 14 squads have 3, the 15th has 2: behind
			want: want{num: 0, den: 15, due: false, met: undecided, onTrack: false, status: report.StatusBehind,
				note: "按进度每个中队本月末应达到3", missing: s},
		},
		{
			name: "March: every squad at the pace", id: report.QuotaAnnualPerSquad, month: month(2025, 3),
			data: &report.Dataset{Samples: slices.Concat(
				caseFiles("JAN", day(2025, 1, 10), s...),
				caseFiles("FEB", day(2025, 2, 10), s...),
				caseFiles("MAR", day(2025, 3, 10), s...))},
			// every squad has 3 ≥ 3: on track
			want: want{num: 0, den: 15, due: false, met: undecided, onTrack: true, status: report.StatusOnTrack},
		},
		{
			name: "December: one squad ends the year with 9", id: report.QuotaAnnualPerSquad, month: month(2025, 12),
			data: &report.Dataset{Samples: slices.Concat(
				monthlyCaseFiles(1, 9, s...),                 // months 1..9: 9 each
				monthlyCaseFiles(10, 10, except(s[2])...),    // October: all but the 3rd
				caseFiles("LAST", day(2024, 12, 10), s[2]))}, // last year: not counted
			// 14 squads have 10, the 3rd has 9: 14/15 not met
			want: want{num: 14, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: []string{s[2]}},
		},
		{
			name: "December: every squad has 10", id: report.QuotaAnnualPerSquad, month: month(2025, 12),
			data: &report.Dataset{Samples: monthlyCaseFiles(3, 12, s...)},
			// months 3..12: 10 each: 15/15 met
			want: metWant(15, 15),
		},

		// ── lawful.review_meeting: 案卷质量讲评会 in M ──
		{
			name: "held in May", id: report.QuotaReviewMeeting, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷质量讲评会", "2025-05", day(2025, 5, 20))}},
			want: metWant(1, 1),
		},
		{
			name: "held for April only", id: report.QuotaReviewMeeting, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{
				ledger("案卷质量讲评会", "2025-04", day(2025, 5, 2)), // belongs to April by its 所属期间
				ledger("案卷集中评查", "2025-05", day(2025, 5, 9)),  // another matter
			}},
			want: notMetWant(0, 1),
		},
		{
			name: "a half-period row counts for every month of the half", id: report.QuotaReviewMeeting, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷质量讲评会", "2025-H1", day(2025, 1, 20))}},
			want: metWant(1, 1),
		},
		{
			name: "a year-period row counts for the month it was held: not May", id: report.QuotaReviewMeeting, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷质量讲评会", "2025", day(2025, 3, 10))}},
			want: notMetWant(0, 1),
		},
		{
			name: "a year-period row counts for the month it was held: March", id: report.QuotaReviewMeeting, month: month(2025, 3),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷质量讲评会", "2025", day(2025, 3, 10))}},
			want: metWant(1, 1),
		},

		// ── lawful.centralized_review_half: 案卷集中评查 in H to date ──
		{
			name: "April, not held yet: time remains", id: report.QuotaCentralizedReview, month: month(2025, 4),
			data: &report.Dataset{},
			want: want{num: 0, den: 1, due: false, met: undecided, onTrack: true, status: report.StatusOnTrack},
		},
		{
			name: "June, never held", id: report.QuotaCentralizedReview, month: month(2025, 6),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷集中评查", "2024-H2", day(2024, 12, 5))}},
			want: notMetWant(0, 1),
		},
		{
			name: "June, held in March", id: report.QuotaCentralizedReview, month: month(2025, 6),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷集中评查", "2025-03", day(2025, 3, 28))}},
			want: metWant(1, 1),
		},
		{
			name: "December: an H1 row does not count for H2", id: report.QuotaCentralizedReview, month: month(2025, 12),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷集中评查", "2025-H1", day(2025, 6, 20))}},
			want: notMetWant(0, 1),
		},
		{
			name: "December: a year row held in September counts for H2", id: report.QuotaCentralizedReview, month: month(2025, 12),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷集中评查", "2025", day(2025, 9, 10))}},
			want: metWant(1, 1),
		},
		{
			name: "June: a year row held in September does not count for H1", id: report.QuotaCentralizedReview, month: month(2025, 6),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("案卷集中评查", "2025", day(2025, 9, 10))}},
			want: notMetWant(0, 1),
		},

		// ── disclosure.checked_month: 公示制度 inspections in M over 1, at least min_count ──
		{
			name: "two checks in May", id: report.QuotaDisclosureChecked, month: month(2025, 5),
			data: &report.Dataset{Inspections: slices.Concat(
				inspections("P", day(2025, 5, 6), itemDisclosure, s[0], s[1]),
				inspections("A", day(2025, 4, 28), itemDisclosure, s[2]),   // April
				inspections("E", day(2025, 5, 7), itemEffectiveness, s[3]), // another item
			)},
			// 2 ≥ min_count 1: met
			want: metWant(2, 1),
		},
		{
			name: "no check in May", id: report.QuotaDisclosureChecked, month: month(2025, 5),
			data: &report.Dataset{Inspections: inspections("A", day(2025, 4, 28), itemDisclosure, s[2])},
			want: notMetWant(0, 1),
		},

		// ── recording.av_sample_rate: 视音频 samples in M ÷ cases filed in M-1 ──
		{
			name: "May: 3 audio/video samples over 30 cases filed in April", id: report.QuotaAVSampleRate, month: month(2025, 5),
			data: &report.Dataset{
				Cases: slices.Concat(
					closedCases("APR", s[0], 30, day(2025, 4, 3), report.Date{}),   // filed in April, open: the base
					closedCases("MAR", s[1], 5, day(2025, 3, 3), day(2025, 4, 9))), // closed in April but filed in March
				Samples: slices.Concat(
					[]report.Sample{avSample("V1", day(2025, 5, 2), "APR-001", s[0]), avSample("V2", day(2025, 5, 9), "APR-002", s[0]),
						avSample("V3", day(2025, 5, 31), "APR-003", s[1])},
					caseFiles("CF", day(2025, 5, 10), s[0], s[1])), // case files: not counted
			},
			// 3/30 = 10%: met
			want: metWant(3, 30),
		},
		{
			name: "January: cases filed last December", id: report.QuotaAVSampleRate, month: month(2025, 1),
			data: &report.Dataset{
				Cases: slices.Concat(
					closedCases("DEC", s[0], 10, day(2024, 12, 3), report.Date{}),
					closedCases("JAN", s[0], 5, day(2025, 1, 3), report.Date{})),
				Samples: []report.Sample{avSample("V1", day(2025, 1, 20), "DEC-001", s[0])},
			},
			// 1/10: met
			want: metWant(1, 10),
		},
		{
			name: "quarterly: April is not a month of evaluation", id: report.QuotaAVSampleRate, month: month(2025, 4), tweak: quarterly,
			data: quarterData(),
			// quarter to date = April: 1 sample over 10 filed in March; not due
			want: want{num: 1, den: 10, due: false, met: undecided, onTrack: true, status: report.StatusNotDue,
				note: "按季度考核，6月考核；以上为本季度累计至本月"},
		},
		{
			name: "quarterly: June evaluates April–June over cases filed March–May", id: report.QuotaAVSampleRate, month: month(2025, 6), tweak: quarterly,
			data: quarterData(),
			// samples Apr+May+Jun = 3 over filed Mar+Apr+May = 10+10+10 = 30: 10%, met
			want: want{num: 3, den: 30, due: true, met: met, onTrack: true, status: report.StatusMet, note: "按季度考核，统计4月至6月"},
		},
		{
			name: "denominator zero: no case filed in April", id: report.QuotaAVSampleRate, month: month(2025, 5),
			data: &report.Dataset{Samples: []report.Sample{avSample("V1", day(2025, 5, 2), "X", s[0])}},
			want: noBase(1),
		},

		// ── recording.squad_coverage_month: squads among M's 视音频 samples ÷ 15 ──
		{
			name: "3 squads' audio/video sampled", id: report.QuotaRecordingCoverageMonth, month: month(2025, 5),
			data: &report.Dataset{
				Samples: []report.Sample{avSample("V1", day(2025, 5, 2), "X", s[0]), avSample("V2", day(2025, 5, 3), "X", s[1]),
					avSample("V3", day(2025, 5, 4), "X", s[2]), caseFile("C1", day(2025, 5, 4), "X", s[4], report.Pass)},
				Inspections: inspections("R", day(2025, 5, 6), itemRecording, s[3]), // an inspection: not for this quota
			},
			// 3/15 ≥ 3: met
			want: metWant(3, 15),
		},
		{
			name: "2 squads' audio/video sampled", id: report.QuotaRecordingCoverageMonth, month: month(2025, 5),
			data: &report.Dataset{
				Samples:     []report.Sample{avSample("V1", day(2025, 5, 2), "X", s[0]), avSample("V2", day(2025, 5, 3), "X", s[1])},
				Inspections: inspections("R", day(2025, 5, 6), itemRecording, s[2]),
			},
			want: notMetWant(2, 15),
		},

		// ── recording.squad_coverage_half: 视音频 samples or 全过程记录 inspections in H ÷ 15 ──
		{
			name: "June: samples and inspections together cover every squad", id: report.QuotaRecordingCoverageHalf, month: month(2025, 6),
			data: &report.Dataset{
				Samples:     avSamples("V", day(2025, 1, 10), s[0:10]...),
				Inspections: inspections("R", day(2025, 3, 6), itemRecording, s[10:]...),
			},
			// 10 + 5 = 15/15: met
			want: metWant(15, 15),
		},
		{
			name: "June: a squad with only a case-file sample is not covered", id: report.QuotaRecordingCoverageHalf, month: month(2025, 6),
			data: &report.Dataset{
				Samples:     slices.Concat(avSamples("V", day(2025, 1, 10), s[0:10]...), caseFiles("C", day(2025, 2, 2), s[14])),
				Inspections: inspections("R", day(2025, 3, 6), itemRecording, s[10:14]...),
			},
			// 10 + 4 = 14/15: not met
			want: want{num: 14, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: []string{s[14]}},
		},

		// ── legal_review.major_case_coverage ──
		{
			name: "May: one of three major cases has a case-file sample by the end of May", id: report.QuotaMajorCaseCoverage, month: month(2025, 5),
			data: majorData(false),
			// base: M1, M2, M3 (major, closed in May); M1 sampled in March counts, M2's June sample is after May,
			// M3 has only an audio/video sample: 1/3, not met
			want: notMetWant(1, 3),
		},
		{
			name: "May: every major case sampled", id: report.QuotaMajorCaseCoverage, month: month(2025, 5),
			data: majorData(true),
			// M1 (March), M2 (May 28), M3 (May 30): 3/3 met
			want: metWant(3, 3),
		},
		{
			name: "May: no major case closed", id: report.QuotaMajorCaseCoverage, month: month(2025, 5),
			data: &report.Dataset{Cases: []report.Case{{ID: "M0", Squad: s[0], Filed: day(2025, 1, 2), Closed: day(2025, 4, 20), MajorReview: true}}},
			want: noBase(0),
		},

		// ── effectiveness.summary_on_time: the summary for M-1 by the due_day of M ──
		{
			name: "April's summary on 5 May", id: report.QuotaSummaryOnTime, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("月度工作总结和计划", "2025-04", day(2025, 5, 5))}},
			want: metWant(1, 1),
		},
		{
			name: "April's summary on 6 May is late", id: report.QuotaSummaryOnTime, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("月度工作总结和计划", "2025-04", day(2025, 5, 6))}},
			want: notMetWant(0, 1),
		},
		{
			name: "with due_day 7 the same summary is on time", id: report.QuotaSummaryOnTime, month: month(2025, 5),
			tweak: func(t *testing.T, cfg *report.Config) {
				setQuota(t, cfg, report.QuotaSummaryOnTime, func(q *report.Quota) { q.DueDay = 7 })
			},
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("月度工作总结和计划", "2025-04", day(2025, 5, 6))}},
			want: metWant(1, 1),
		},
		{
			name: "May's own summary is not April's", id: report.QuotaSummaryOnTime, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("月度工作总结和计划", "2025-05", day(2025, 5, 3))}},
			want: notMetWant(0, 1),
		},
		{
			name: "January: December's summary", id: report.QuotaSummaryOnTime, month: month(2025, 1),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("月度工作总结和计划", "2024-12", day(2025, 1, 4))}},
			want: metWant(1, 1),
		},

		// ── team.dynamic_info: 强转树动态信息 for M ──
		{
			name: "submitted for May", id: report.QuotaTeamDynamicInfo, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("强转树动态信息", "2025-05", day(2025, 5, 28))}},
			want: metWant(1, 1),
		},
		{
			name: "not submitted for May", id: report.QuotaTeamDynamicInfo, month: month(2025, 5),
			data: &report.Dataset{Ledger: []report.LedgerEntry{ledger("强转树动态信息", "2025-04", day(2025, 4, 28))}},
			want: notMetWant(0, 1),
		},

		// ── complaints.sample_rate: sampled in M ÷ received in M ──
		{
			name: "2 sampled in May over 200 received", id: report.QuotaComplaintSampleRate, month: month(2025, 5),
			data: &report.Dataset{Complaints: complaintData(true)},
			// sampled in May: C1 (received May) and C3 (received April) = 2; received in May: 198 + C1 + C2 = 200;
			// at least ceil(0.01 × 200) = 2: met
			want: metWant(2, 200),
		},
		{
			name: "1 sampled in May over 200 received", id: report.QuotaComplaintSampleRate, month: month(2025, 5),
			data: &report.Dataset{Complaints: complaintData(false)},
			// C1 only: 1/200 < 2 needed: not met
			want: notMetWant(1, 200),
		},
		{
			name: "nothing received in May", id: report.QuotaComplaintSampleRate, month: month(2025, 5),
			data: &report.Dataset{Complaints: []report.Complaint{sampled(complaint("C3", day(2025, 4, 20), s[0]), day(2025, 5, 3), report.DutyDone)}},
			want: noBase(1),
		},

		// ── squads.weekly_records: squads with a record in every week of M ÷ 15 ──
		{
			name: "May has 5 weeks; a Sunday of June closes May's last week", id: report.QuotaWeeklyRecords, month: month(2025, 5),
			data: &report.Dataset{Weekly: slices.Concat(
				// weeks of May (Thursdays May 1, 8, 15, 22, 29): Mondays Apr 28, May 5, 12, 19, 26
				weekly(s[0], day(2025, 4, 29), day(2025, 5, 6), day(2025, 5, 13), day(2025, 5, 20), day(2025, 6, 1)),  // 5/5
				weekly(s[1], day(2025, 5, 6), day(2025, 5, 13), day(2025, 5, 20), day(2025, 5, 27), day(2025, 5, 30)), // 4/5: no Apr 28 week
			)},
			// 1/15: not met; every squad but the first is missing
			want: want{num: 1, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: except(s[0])},
		},
		{
			name: "June has 4 weeks; 30 June belongs to July's week", id: report.QuotaWeeklyRecords, month: month(2025, 6),
			data: &report.Dataset{Weekly: slices.Concat(
				// weeks of June: Mondays Jun 2, 9, 16, 23 (Jun 30's Thursday is 3 July)
				weekly(s[0], day(2025, 6, 3), day(2025, 6, 10), day(2025, 6, 17), day(2025, 6, 30)), // 3/4
				weekly(s[1], day(2025, 6, 3), day(2025, 6, 10), day(2025, 6, 17), day(2025, 6, 24)), // 4/4
			)},
			want: want{num: 1, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: except(s[1])},
		},
		{
			name: "every squad every week of June", id: report.QuotaWeeklyRecords, month: month(2025, 6),
			data: &report.Dataset{Weekly: everySquadWeekly(day(2025, 6, 2), day(2025, 6, 9), day(2025, 6, 16), day(2025, 6, 23))},
			want: metWant(15, 15),
		},
	}
	// The four items covered by inspections alone share the same arithmetic.
	for _, ids := range []struct{ monthID, halfID, item string }{
		{report.QuotaAccountabilityMonth, report.QuotaAccountabilityHalf, itemAccountability},
		{report.QuotaEffectivenessMonth, report.QuotaEffectivenessHalf, itemEffectiveness},
		{report.QuotaTeamCoverageMonth, report.QuotaTeamCoverageHalf, itemTeam},
		{"", report.QuotaDisclosureCoverageHalf, itemDisclosure},
	} {
		other := itemAccountability
		if ids.item == itemAccountability {
			other = itemEffectiveness
		}
		if ids.monthID != "" {
			cases = append(cases,
				quotaCase{
					name: "3 squads inspected in May", id: ids.monthID, month: month(2025, 5),
					data: &report.Dataset{Inspections: slices.Concat(
						inspections("I", day(2025, 5, 6), ids.item, s[0], s[1], s[1], s[2]),
						inspections("O", day(2025, 5, 6), other, s[3]),       // another item
						inspections("A", day(2025, 4, 30), ids.item, s[4]))}, // April
					// 3/15 ≥ ceil(0.20 × 15) = 3: met
					want: metWant(3, 15),
				},
				quotaCase{
					name: "2 squads inspected in May", id: ids.monthID, month: month(2025, 5),
					data: &report.Dataset{Inspections: inspections("I", day(2025, 5, 6), ids.item, s[0], s[1], s[0])},
					want: notMetWant(2, 15),
				})
		}
		cases = append(cases,
			quotaCase{
				name: "June: every squad inspected in the half", id: ids.halfID, month: month(2025, 6),
				data: &report.Dataset{Inspections: slices.Concat(
					inspections("F", day(2025, 2, 6), ids.item, s[:7]...),
					inspections("J", day(2025, 6, 26), ids.item, s[7:]...))},
				want: metWant(15, 15),
			},
			quotaCase{
				name: "June: one squad inspected only on another item and in July", id: ids.halfID, month: month(2025, 6),
				data: &report.Dataset{Inspections: slices.Concat(
					inspections("F", day(2025, 2, 6), ids.item, s[:14]...),
					inspections("O", day(2025, 3, 6), other, s[14]),
					inspections("L", day(2025, 7, 1), ids.item, s[14]))},
				// 14/15: not met, the 15th named
				want: want{num: 14, den: 15, due: true, met: notMet, status: report.StatusNotMet, missing: []string{s[14]}},
			})
	}
	return cases
}

// monthlyCaseFiles makes one case-file sample per squad on the 10th of each
// month from first to last of 2025.
func monthlyCaseFiles(first, last int, sq ...string) []report.Sample {
	var out []report.Sample
	for m := first; m <= last; m++ {
		out = append(out, caseFiles(fmt.Sprintf("M%02d", m), day(2025, m, 10), sq...)...)
	}
	return out
}

func avSamples(prefix string, d report.Date, sq ...string) []report.Sample {
	out := make([]report.Sample, len(sq))
	for i, name := range sq {
		out[i] = avSample(fmt.Sprintf("%s-%02d", prefix, i+1), d, "X", name)
	}
	return out
}

func everySquadWeekly(dates ...report.Date) []report.WeeklyRecord {
	var out []report.WeeklyRecord
	for _, sq := range squads {
		out = append(out, weekly(sq, dates...)...)
	}
	return out
}

// quarterData: cases filed 5 in February and 10 in each of March, April,
// May and June; one audio/video sample on the 1st of March to June.
func quarterData() *report.Dataset {
	return &report.Dataset{
		Cases: slices.Concat(
			closedCases("FEB", s[0], 5, day(2025, 2, 5), report.Date{}),
			closedCases("MAR", s[0], 10, day(2025, 3, 10), report.Date{}),
			closedCases("APR", s[0], 10, day(2025, 4, 10), report.Date{}),
			closedCases("MAY", s[0], 10, day(2025, 5, 10), report.Date{}),
			closedCases("JUN", s[0], 10, day(2025, 6, 5), report.Date{})),
		Samples: []report.Sample{
			avSample("V3", day(2025, 3, 1), "FEB-001", s[0]), avSample("V4", day(2025, 4, 1), "MAR-001", s[0]),
			avSample("V5", day(2025, 5, 1), "APR-001", s[0]), avSample("V6", day(2025, 6, 1), "MAY-001", s[0])},
	}
}

// majorData: major cases M1, M2, M3 closed in May, M0 closed in April, a
// non-major case N1 closed in May. M1 has a case-file sample of March; with
// all, M2 and M3 get case-file samples in May, else M2 one in June and M3
// only an audio/video sample.
func majorData(all bool) *report.Dataset {
	major := func(id string, closed report.Date, major bool) report.Case {
		return report.Case{ID: id, Squad: s[0], Filed: day(2025, 1, 5), Closed: closed, MajorReview: major}
	}
	ds := &report.Dataset{
		Cases: []report.Case{major("M1", day(2025, 5, 5), true), major("M2", day(2025, 5, 20), true),
			major("M3", day(2025, 5, 25), true), major("M0", day(2025, 4, 20), true), major("N1", day(2025, 5, 10), false)},
		Samples: []report.Sample{
			caseFile("S1", day(2025, 3, 3), "M1", s[0], report.Pass),
			caseFile("S0", day(2025, 5, 2), "M0", s[0], report.Pass),
			caseFile("SN", day(2025, 5, 12), "N1", s[0], report.Pass),
		},
	}
	if all {
		ds.Samples = append(ds.Samples, caseFile("S2", day(2025, 5, 28), "M2", s[0], report.Pass), caseFile("S3", day(2025, 5, 30), "M3", s[0], report.Pass))
	} else {
		ds.Samples = append(ds.Samples, caseFile("S2", day(2025, 6, 2), "M2", s[0], report.Pass), avSample("S3", day(2025, 5, 26), "M3", s[0]))
	}
	return ds
}

// complaintData: 198 complaints received in May; C1 received in May and
// sampled 20 May; C2 received in May, sampled 2 June; with april, C3
// received in April and sampled 3 May.
func complaintData(april bool) []report.Complaint {
	out := complaints("P", 198, day(2025, 5, 8), s[0])
	out = append(out,
		sampled(complaint("C1", day(2025, 5, 9), s[1]), day(2025, 5, 20), report.DutyDone),
		sampled(complaint("C2", day(2025, 5, 30), s[2]), day(2025, 6, 2), report.DutyFailed))
	if april {
		out = append(out, sampled(complaint("C3", day(2025, 4, 20), s[3]), day(2025, 5, 3), report.DutyFailed))
	}
	return out
}

func TestQuotaTable(t *testing.T) {
	for _, tc := range quotaCases() {
		t.Run(tc.id+"/"+tc.name, func(t *testing.T) {
			cfg := loadConfig(t)
			if tc.tweak != nil {
				tc.tweak(t, cfg)
			}
			q := quotaOf(t, monthly(t, cfg, tc.data, tc.month), tc.id)
			checkQuota(t, q, tc.want)
		})
	}
}

func checkQuota(t *testing.T, q report.QuotaResult, w want) {
	t.Helper()
	if q.Numerator != w.num || q.Denominator != w.den {
		t.Errorf("%s = %d/%d, want %d/%d", q.ID, q.Numerator, q.Denominator, w.num, w.den)
	}
	switch {
	case w.den == 0 && q.Value != nil:
		t.Errorf("value = %v, want null without a base", *q.Value)
	case w.den > 0 && (q.Value == nil || *q.Value != float64(w.num)/float64(w.den)):
		t.Errorf("value = %v, want %d/%d", q.Value, w.num, w.den)
	}
	if q.Due != w.due {
		t.Errorf("due = %v, want %v", q.Due, w.due)
	}
	switch w.met {
	case undecided:
		if q.Met != nil {
			t.Errorf("met = %v, want undecided (null)", *q.Met)
		}
	default:
		if q.Met == nil || *q.Met != (w.met == met) {
			t.Errorf("met = %v, want %v", q.Met, w.met == met)
		}
	}
	if q.OnTrack != w.onTrack {
		t.Errorf("on_track = %v, want %v", q.OnTrack, w.onTrack)
	}
	if q.Status != w.status {
		t.Errorf("status = %s, want %s", q.Status, w.status)
	}
	if w.note != "" && q.Note != w.note {
		t.Errorf("note = %q, want %q", q.Note, w.note)
	}
	if w.missing != nil && !slices.Equal(q.Missing, w.missing) {
		t.Errorf("missing = %v, want %v", q.Missing, w.missing)
	}
}

// TestQuotaTableCoversEveryID fails when a quota id of the rules has no
// hand-worked case.
func TestQuotaTableCoversEveryID(t *testing.T) {
	covered := map[string]int{}
	for _, tc := range quotaCases() {
		covered[tc.id]++
	}
	for _, id := range report.QuotaIDs {
		if covered[id] == 0 {
			t.Errorf("quota %s has no case in the table", id)
		}
	}
}

func TestSquadsAsConfigured(t *testing.T) {
	if got := loadConfig(t).CountedSquads(); !slices.Equal(got, squads) {
		t.Fatalf("config.toml squads = %v; the tests are worked out for %v", got, squads)
	}
}
