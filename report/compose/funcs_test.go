package compose

import (
	"strings"
	"testing"
	"time"

	"bulletin/report"
)

func TestPct(t *testing.T) {
	var none *float64
	for _, tc := range []struct {
		in   any
		want string
	}{
		{nil, "—"}, {none, "—"}, {0.1233, "12.3%"}, {f(0.2), "20%"}, {1.0, "100%"}, {0.0, "0%"}, {0.0999, "10%"}, {0.01, "1%"},
	} {
		got, err := pct(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("pct(%v) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := pct("12%"); err == nil {
		t.Error("pct of a string is not an error")
	}
}

func TestSquadLists(t *testing.T) {
	three := []string{"江宁路中队", "石门二路中队", "南京西路中队"}
	if got, _ := names(2, "个中队", three); got != "江宁路中队、石门二路中队等3个中队" {
		t.Errorf("names 2 = %q", got)
	}
	if got, _ := names(3, "个中队", three); got != "江宁路中队、石门二路中队、南京西路中队" {
		t.Errorf("a list as long as the limit is printed whole: %q", got)
	}
	squads := funcs()["squads"].(func(any) (string, error))
	if got, _ := squads(testSquads); got != "江宁路中队、石门二路中队、南京西路中队、静安寺中队、曹家渡中队等15个中队" {
		t.Errorf("squads = %q", got)
	}
	if got, _ := squads(three); got != "江宁路中队、石门二路中队、南京西路中队" {
		t.Errorf("few squads = %q", got)
	}
	if got, _ := squads(nil); got != "" {
		t.Errorf("no squads = %q", got)
	}
	if got, _ := names(0, "个科室", []string{"甲", "乙"}); got != "甲、乙" {
		t.Errorf("limit 0 = %q", got)
	}
	if got, _ := join([]string{"甲", "乙", "丙"}); got != "甲、乙、丙" {
		t.Errorf("join = %q", got)
	}
	if _, err := join(42); err == nil {
		t.Error("join of a number is not an error")
	}
}

func TestDatesAndNumbers(t *testing.T) {
	if got, _ := date(report.MustDate(2025, 6, 1)); got != "2025年6月1日" {
		t.Errorf("date = %q", got)
	}
	if got, _ := date("2025-06-01"); got != "2025年6月1日" {
		t.Errorf("date of text = %q", got)
	}
	if _, err := date("2025-06-31"); err == nil {
		t.Error("an impossible date is accepted")
	}
	d := func(m, day int) report.Date { return report.MustDate(2025, time.Month(m), day) }
	days := []report.Date{d(8, 2), d(7, 13), d(7, 6), d(12, 30), d(7, 14), d(8, 3), d(8, 4), d(8, 5), d(7, 6), d(12, 31)}
	if got := chineseDates(days); got != "7月6、13、14日；8月2—5日；12月30、31日" {
		t.Errorf("chineseDates = %q", got)
	}
	if got := chineseDates(nil); got != "" {
		t.Errorf("chineseDates of none = %q", got)
	}
	if got, _ := month("2025-05"); got != "2025年5月" {
		t.Errorf("month = %q", got)
	}
	if got, _ := mon(report.Month{Year: 2025, Month: 12}); got != "12月" {
		t.Errorf("mon = %q", got)
	}
	if got := months([]report.Month{{Year: 2025, Month: 3}, {Year: 2025, Month: 5}}); got != "3月、5月" {
		t.Errorf("months = %q", got)
	}
	if got, _ := half("2025-H2"); got != "2025年下半年" {
		t.Errorf("half = %q", got)
	}
	if got, _ := num(92.5); got != "92.5" {
		t.Errorf("num = %q", got)
	}
	if got, _ := num(90.0); got != "90" {
		t.Errorf("num = %q", got)
	}
	// Half up, as a reader rounds, though 0.125 is exact in binary and
	// 1.005 a little under: an abnormal-case rate per 100 cases.
	for v, want := range map[float64]string{0.125: "0.13", 1.005: "1.01", 2.0 / 3: "0.67"} {
		if got, _ := num(v); got != want {
			t.Errorf("num(%v) = %q, want %q", v, got, want)
		}
	}
	onePercent := 0.01
	for _, tc := range []struct {
		now, before any
		want        string
	}{
		{0.1233, 0.110, "提高1.3个百分点"}, {0.095, 0.102, "下降0.7个百分点"}, {0.1, 0.1, "持平"}, {0.1, nil, ""},
		// between the rates as printed: 12.1% in July, 6.5% in August
		{25.0 / 384, 41.0 / 340, "下降5.6个百分点"},
		{0.1234, 0.1226, "持平"}, // 12.3% and 12.3%
		// 0.98% (11/1121 against ≥1%) after 1.2%
		{&report.Rate{Share: 11.0 / 1121, Target: &onePercent}, &report.Rate{Share: 0.012, Target: &onePercent}, "下降0.22个百分点"},
	} {
		if got, _ := change(tc.now, tc.before); got != tc.want {
			t.Errorf("change(%v, %v) = %q, want %q", tc.now, tc.before, got, tc.want)
		}
	}
	if r := ratio(1, 0); r != nil {
		t.Errorf("ratio over 0 = %v", *r)
	}
	if got := counts([]report.Count{{Name: "甲", Count: 3}, {Name: "乙", Count: 1}}, "件"); got != "甲3件、乙1件" {
		t.Errorf("counts = %q", got)
	}
}

func TestTopAndLast(t *testing.T) {
	list := []string{"a", "b", "c", "d"}
	if got, _ := top(2, list); strings.Join(got.([]string), "") != "ab" {
		t.Errorf("top = %v", got)
	}
	if got, _ := top(9, list); len(got.([]string)) != 4 {
		t.Errorf("top beyond the end = %v", got)
	}
	if got, _ := last(3, list); strings.Join(got.([]string), "") != "bcd" {
		t.Errorf("last = %v", got)
	}
	// Tied with the last named: all of them, whichever end.
	counted := []report.Count{{Name: "宝山路", Count: 7}, {Name: "石门二路", Count: 3}, {Name: "天目西路", Count: 3}, {Name: "机动", Count: 3}, {Name: "北站", Count: 1}}
	if got, _ := top(3, counted); counts(got.([]report.Count), "件") != "宝山路7件、石门二路3件、天目西路3件、机动3件" {
		t.Errorf("top 3 with a tie at the third = %v", got)
	}
	if got, _ := top(1, counted); len(got.([]report.Count)) != 1 {
		t.Errorf("top 1 with no tie = %v", got)
	}
	scored := []report.SquadScore{{Squad: "甲", Score: 100}, {Squad: "乙", Score: 90}, {Squad: "丙", Score: 80}, {Squad: "丁", Score: 80}}
	if got, _ := last(1, scored); len(got.([]report.SquadScore)) != 2 {
		t.Errorf("last 1 with a tie at the end = %v", got)
	}
	if n, _ := count(nil); n != 0 {
		t.Errorf("count nil = %d", n)
	}
	if _, err := count(3); err == nil {
		t.Error("count of a number is not an error")
	}
}

func TestSheetNamesAreMadeValid(t *testing.T) {
	b := newBuilder(nil)
	long := strings.Repeat("很长的工作表名称", 5)
	for _, tc := range []struct{ in, want string }{
		{"问题清单", "问题清单"},
		{"问题清单", "问题清单2"},
		{"问题清单", "问题清单3"},
		{"重要案[诉]件/类型?", "重要案-诉-件-类型-"},
		{"'引号'", "引号"},
		{long, string([]rune(long)[:31])},
		{long, string([]rune(long)[:30]) + "2"},
	} {
		got := b.sheetName(tc.in)
		if got != tc.want {
			t.Errorf("sheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if err := checkSheetName(got); err != nil {
			t.Error(err)
		}
	}
}

// Each shortfall is named once in 四: month quotas are made up month by
// month, half and year quotas in the next half, and the half's coverage
// is 一是's.
func TestShortfallsAreNamedOnce(t *testing.T) {
	all := []Shortfall{
		{Name: "公示制度月度检查", Window: report.WindowMonth},
		{Name: "公示制度半年覆盖全部中队", Window: report.WindowHalf, Missing: []string{"大宁路中队"}},
		{Name: "案卷集中评查", Window: report.WindowHalf},
		{Name: "每个中队全年案卷抽查数", Window: report.WindowYear, Missing: []string{"北站中队"}},
	}
	monthly, later := splitShortfalls(all)
	names := func(list []Shortfall) (out []string) {
		for _, sf := range list {
			out = append(out, sf.Name)
		}
		return out
	}
	if got := strings.Join(names(monthly), "、"); got != "公示制度月度检查" {
		t.Errorf("monthly: %s", got)
	}
	if got := strings.Join(names(later), "、"); got != "案卷集中评查、每个中队全年案卷抽查数" {
		t.Errorf("later: %s", got)
	}
}
