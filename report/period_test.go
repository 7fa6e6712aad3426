package report

import (
	"cmp"
	"fmt"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestMonthArithmetic(t *testing.T) {
	jan := Month{2025, time.January}
	if got := jan.Prev(); got != (Month{2024, time.December}) {
		t.Errorf("上月 of 2025-01 = %v", got)
	}
	if got := (Month{2025, time.December}).Add(1); got != (Month{2026, time.January}) {
		t.Errorf("2025-12 + 1 = %v", got)
	}
	if got := (Month{2025, time.February}).Last(); got != MustDate(2025, time.February, 28) {
		t.Errorf("last of Feb 2025 = %v", got)
	}
	if h := (Month{2025, time.July}).Half(); h != (Half{2025, 2}) || h.First() != (Month{2025, time.July}) || h.Last() != (Month{2025, time.December}) {
		t.Errorf("half of July = %v", h)
	}
}

func TestNewDateRefusesImpossibleDates(t *testing.T) {
	for _, d := range [][3]int{{2025, 13, 45}, {2025, 2, 29}, {1900, 2, 29}, {2025, 4, 31}, {2025, 0, 1}, {2025, 1, 0}, {2025, 12, 32}} {
		if _, ok := NewDate(d[0], time.Month(d[1]), d[2]); ok {
			t.Errorf("%v accepted", d)
		}
	}
	for _, d := range [][3]int{{2024, 2, 29}, {2000, 2, 29}, {2025, 1, 31}, {2025, 12, 31}} {
		if _, ok := NewDate(d[0], time.Month(d[1]), d[2]); !ok {
			t.Errorf("%v refused", d)
		}
	}
}

// Every record holds two or three dates and a city's year has 1.9 million
// records: at 4 bytes they cost ~20 MB where three ints cost ~100 MB of
// the 512 MiB a run may use.
func TestDateIsFourBytes(t *testing.T) {
	if size := unsafe.Sizeof(Date{}); size != 4 {
		t.Errorf("a Date is %d bytes, want 4", size)
	}
}

func TestDateOrderIsCalendarOrder(t *testing.T) {
	ascending := []Date{{}, MustDate(1899, time.December, 30), MustDate(2024, time.February, 29), MustDate(2024, time.December, 31),
		MustDate(2025, time.January, 1), MustDate(2025, time.January, 31), MustDate(2025, time.February, 1), MustDate(2025, time.December, 31)}
	for i, d := range ascending {
		for j, o := range ascending {
			if got, want := d.Compare(o), cmp.Compare(i, j); got != want || d.Before(o) != (want < 0) || d.After(o) != (want > 0) || (d == o) != (want == 0) {
				t.Errorf("%v compared with %v: %d, want %d", d, o, got, want)
			}
		}
		if i > 0 && (d.IsZero() || d != MustDate(d.Year(), d.Month(), d.Day())) {
			t.Errorf("%v does not round-trip through its year, month and day", d)
		}
	}
	if !(Date{}).IsZero() || (Date{}).String() != "" {
		t.Error("the zero Date is not none")
	}
}

// String is written by hand for speed; it must say what the format it
// replaced said, for every date, the years outside four digits included.
func TestDateStringIsTheISOFormat(t *testing.T) {
	for year := -2; year <= 10001; year++ {
		for month := time.January; month <= time.December; month++ {
			for _, day := range []int{1, 9, 10, 19, 28, 31} {
				if !exists(year, month, day) {
					continue
				}
				d := MustDate(year, month, day)
				want := fmt.Sprintf("%04d-%02d-%02d", d.Year(), int(d.Month()), d.Day())
				if got := d.String(); got != want {
					t.Fatalf("%s written %q", want, got)
				}
			}
		}
	}
}

func TestDateArithmeticAndText(t *testing.T) {
	d := MustDate(2024, time.February, 28)
	if got := d.AddDays(1); got != MustDate(2024, time.February, 29) {
		t.Errorf("2024-02-28 + 1 = %v", got)
	}
	if got := d.AddDays(-59); got != MustDate(2023, time.December, 31) {
		t.Errorf("2024-02-28 - 59 = %v", got)
	}
	if d.Weekday() != time.Wednesday || d.MonthOf() != (Month{2024, time.February}) {
		t.Errorf("2024-02-28 is a %v of %v", d.Weekday(), d.MonthOf())
	}
	if d.String() != "2024-02-28" || d.Chinese() != "2024年2月28日" {
		t.Errorf("2024-02-28 written %s, %s", d, d.Chinese())
	}
	for _, d := range []Date{d, {}} {
		text, _ := d.MarshalText()
		var back Date
		if err := back.UnmarshalText(text); err != nil || back != d {
			t.Errorf("%q read back as %v, %v", text, back, err)
		}
	}
}

func TestWeeksBelongToTheMonthOfTheirThursday(t *testing.T) {
	tests := []struct {
		month       Month
		weeks       int
		firstMonday Date
	}{
		// 2025-05-01 is a Thursday: the week of Mon 28 April belongs to May.
		{Month{2025, time.May}, 5, MustDate(2025, time.April, 28)},
		// 2025-06-01 is a Sunday: its week (Thursday 29 May) is May's; June starts Mon 2 June.
		{Month{2025, time.June}, 4, MustDate(2025, time.June, 2)},
		// 2025-07-31 is a Thursday: the week of Mon 28 July is July's, July has 5 weeks.
		{Month{2025, time.July}, 5, MustDate(2025, time.June, 30)},
		// 2025-01-01 is a Wednesday: its week's Thursday is 2 January, so it is January's.
		{Month{2025, time.January}, 5, MustDate(2024, time.December, 30)},
	}
	for _, tt := range tests {
		ws := tt.month.Weeks()
		if len(ws) != tt.weeks || ws[0].Monday != tt.firstMonday {
			t.Errorf("%v: %d weeks from %v, want %d from %v", tt.month, len(ws), ws[0].Monday, tt.weeks, tt.firstMonday)
		}
	}
	// The week of Mon 26 May 2025 has its Thursday on 29 May: May's, so the
	// Sunday 1 June belongs to May's last week.
	if w := WeekOf(MustDate(2025, time.June, 1)); w.Monday != MustDate(2025, time.May, 26) {
		t.Errorf("week of 2025-06-01 starts %v", w.Monday)
	}
}

func TestParsePeriods(t *testing.T) {
	if _, err := ParseMonth("2025-13"); err == nil {
		t.Error("2025-13 accepted")
	}
	h, err := ParseHalf("2025-h2")
	if err != nil || h != (Half{2025, 2}) || h.String() != "2025-H2" || h.Chinese() != "2025年下半年" {
		t.Errorf("ParseHalf = %v, %v", h, err)
	}
	if _, err := ParseHalf("2025-H3"); err == nil {
		t.Error("2025-H3 accepted")
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"案件编号（必填）":    "案件编号",
		" 案件编号* ":     "案件编号",
		"ＡＢＣ１２３":      "abc123",
		"江宁路\u3000中队": "江宁路中队",
		"案件编号(必填)*":   "案件编号",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPeriodParseFormatKey(t *testing.T) {
	tests := []struct {
		in, str, chinese, key, id string
		last                      Month
		end                       string
	}{
		{"2025-05", "2025-05", "2025年5月", "monthly 2025-05", "<monthly-2025-05@x.example>", Month{2025, time.May}, "2025-06-01T00:00:00+08:00"},
		{" 2025-12 ", "2025-12", "2025年12月", "monthly 2025-12", "<monthly-2025-12@x.example>", Month{2025, time.December}, "2026-01-01T00:00:00+08:00"},
		{"2025-h1", "2025-H1", "2025年上半年", "halfyear 2025-H1", "<halfyear-2025-H1@x.example>", Month{2025, time.June}, "2025-07-01T00:00:00+08:00"},
		{"2025-H2", "2025-H2", "2025年下半年", "halfyear 2025-H2", "<halfyear-2025-H2@x.example>", Month{2025, time.December}, "2026-01-01T00:00:00+08:00"},
	}
	loc := time.FixedZone("CST", 8*3600)
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in)
		if err != nil {
			t.Fatalf("ParsePeriod(%q): %v", tt.in, err)
		}
		if p.String() != tt.str || p.Chinese() != tt.chinese || p.Key() != tt.key || p.MessageID("", "x.example") != tt.id ||
			p.LastMonth() != tt.last || p.End(loc).Format(time.RFC3339) != tt.end {
			t.Errorf("%q: %s %s %s %s %v %v", tt.in, p, p.Chinese(), p.Key(), p.MessageID("", "x.example"), p.LastMonth(), p.End(loc))
		}
		var back Period
		text, _ := p.MarshalText()
		if err := back.UnmarshalText(text); err != nil || back != p {
			t.Errorf("%q: text round trip gave %+v, %v", tt.in, back, err)
		}
	}
	for _, bad := range []string{"", "2025", "2025-13", "2025-H3", "May"} {
		if p, err := ParsePeriod(bad); err == nil {
			t.Errorf("ParsePeriod(%q) = %v, want an error", bad, p)
		}
	}
	if got := HalfPeriod(Half{2025, 1}).Months(); len(got) != 6 || got[5] != (Month{2025, time.June}) {
		t.Errorf("H1 months = %v", got)
	}
}

func TestParseMonthAcceptsHowAClerkWritesIt(t *testing.T) {
	may := Month{2025, time.May}
	for _, s := range []string{"2025-05", "2025-5", "2025年5月", "2025年05月", "202505", " 2025/5 ", "2025.05", "２０２５－０５", "2025 年 5 月"} {
		if m, err := ParseMonth(s); err != nil || m != may {
			t.Errorf("ParseMonth(%q) = %v, %v; want 2025-05", s, m, err)
		}
	}
	for _, s := range []string{"2025-13", "2025", "20255", "2025-H1", "May 2025", "2025-05-03", "", "2025年13月"} {
		if m, err := ParseMonth(s); err == nil {
			t.Errorf("ParseMonth(%q) = %v, want an error", s, m)
		} else if !strings.Contains(err.Error(), "请写成 2025-05") {
			t.Errorf("ParseMonth(%q): %v does not say how to write a month", s, err)
		}
	}
}

func TestParseHalfAcceptsHowAClerkWritesIt(t *testing.T) {
	for s, want := range map[string]Half{
		"2025-H1": {2025, 1}, "2025-h2": {2025, 2}, "2025H1": {2025, 1},
		"2025年上半年": {2025, 1}, "2025年下半年": {2025, 2}, "２０２５年上半年": {2025, 1}, "2025上半年": {2025, 1},
	} {
		if h, err := ParseHalf(s); err != nil || h != want {
			t.Errorf("ParseHalf(%q) = %v, %v; want %v", s, h, err, want)
		}
	}
	for _, s := range []string{"2025-H3", "2025", "2025-05", "上半年", ""} {
		if h, err := ParseHalf(s); err == nil {
			t.Errorf("ParseHalf(%q) = %v, want an error", s, h)
		} else if !strings.Contains(err.Error(), "请写成 2025-H1") {
			t.Errorf("ParseHalf(%q): %v does not say how to write a half", s, err)
		}
	}
}
