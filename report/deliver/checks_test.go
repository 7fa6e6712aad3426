package deliver

import (
	"slices"
	"testing"

	"bulletin/report"
)

// The share of rejected rows a delivery allows is said as config.toml sets
// it: 0.0025 is 0.25%, not a report's one decimal (0.2%), and 0.05 is 5%.
func TestRejectedRowsNamedAtTheShareSet(t *testing.T) {
	p := report.Period{Kind: report.PeriodMonthly, Month: report.Month{Year: 2025, Month: 5}}
	docs := &Documents{Quality: &report.Quality{Inputs: []report.Input{{Rows: 400, Rejected: 30}}}}
	for share, want := range map[float64]string{0.0025: "被拒绝的数据行 30/400，超过允许的 0.25%", 0.05: "被拒绝的数据行 30/400，超过允许的 5%", 0.07: "被拒绝的数据行 30/400，超过允许的 7%"} {
		cfg := testConfig(t, 25, "0 8 5 * *", "0 8 5 1,7 *")
		cfg.Delivery.MaxRejectedShare = share
		if got := preSendChecks(cfg, p, docs); !slices.Contains(got, want) {
			t.Errorf("max_rejected_share = %v: %q, want %q", share, got, want)
		}
	}
}

// A warning of rows that may not have been read, though their file was,
// holds the delivery for a person when the file is one the period adds,
// naming it; a warning of what was read as the contract says (a late
// record, a reused id) does not, nor one of an earlier month's file.
func TestRowsThatMayNotBeReadHoldTheDelivery(t *testing.T) {
	p := report.Period{Kind: report.PeriodMonthly, Month: report.Month{Year: 2025, Month: 5}}
	cfg := testConfig(t, 25, "0 8 5 * *", "0 8 5 1,7 *")
	warn := func(kind, file string) report.Warning {
		return report.Warning{Kind: kind, File: file, Count: 1, Example: "例"}
	}
	docs := &Documents{Quality: &report.Quality{Warnings: []report.Warning{
		warn(report.WarnUnreadSheet, "data/2025-05/诉件.xlsx"), warn(report.WarnMaybeCut, "data/2025-05/案件.csv"),
		warn(report.WarnReusedID, "data/2025-05/抽查明细.xlsx"), warn(report.WarnLateRecord, "data/2025-05/监督检查.xlsx"),
		warn(report.WarnUnreadSheet, "data/2025-03/诉件.xlsx")}}} // March's was held for when March was delivered
	got := preSendChecks(cfg, p, docs)
	for _, want := range []string{"工作簿里另有工作表可能也有这份导出的数据，没有读取：data/2025-05/诉件.xlsx —— 例", "文件可能被截断：data/2025-05/案件.csv —— 例"} {
		if !slices.Contains(got, want) {
			t.Errorf("checks %q do not hold for %q", got, want)
		}
	}
	if len(got) != 2 {
		t.Errorf("checks %q: want the two warnings of rows maybe not read, and only those", got)
	}
}

// A squad without a case in the 案件 export of the period's last month
// holds it, naming the export and every squad (its count of squads adds
// no "共 N 处", which would count places in the file), for a monthly
// bulletin and a half's reports alike; an earlier folder's (its own
// month's concern) does not.
func TestASquadAbsentFromTheCasesHoldsTheDelivery(t *testing.T) {
	cfg := testConfig(t, 25, "0 8 5 * *", "0 8 5 1,7 *")
	absent := func(file string) report.Warning {
		return report.Warning{Kind: report.WarnSquadAbsent, File: file, Count: 2, Example: "没有以下中队的案件：北站中队、临汾路中队"}
	}
	may := report.Period{Kind: report.PeriodMonthly, Month: report.Month{Year: 2025, Month: 5}}
	h1 := report.Period{Kind: report.PeriodHalfYear, Half: report.Half{Year: 2025, N: 1}}
	for _, tc := range []struct {
		p    report.Period
		file string
		held bool
	}{
		{may, "data/2025-05/案件.xlsx", true},
		{may, "data/2025-04/案件.xlsx", false},
		{h1, "data/2025-06/案件.xlsx", true},
	} {
		got := preSendChecks(cfg, tc.p, &Documents{Quality: &report.Quality{Warnings: []report.Warning{absent(tc.file)}}})
		want := []string{"案件导出里可能少了中队，或这些中队的名称没有认出（见未采用的行）：" + tc.file + " —— 没有以下中队的案件：北站中队、临汾路中队"}
		if !tc.held {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s, %s: checks %q, want %q", tc.p, tc.file, got, want)
		}
	}
}
