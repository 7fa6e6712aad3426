package report

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// Date is a calendar date in the bureau's time zone (Asia/Shanghai). A time of
// day in the exports is ignored, as rules.md requires, so dates never shift
// across midnight through a time-zone conversion. The zero Date means "none"
// (an open case has no closing date).
//
// A Date is 4 bytes, year<<9 | month<<5 | day: every record holds two or
// three and a city's year has millions of records. Integer order is
// calendar order, so comparing dates compares integers. The sign of ymd
// carries years before 0, which only the zero Date moved back reaches.
type Date struct{ ymd int32 }

func date(year int, month time.Month, day int) Date {
	return Date{int32(year)<<9 | int32(month)<<5 | int32(day)}
}

// NewDate returns the date, or false if it does not exist (2025-13-45,
// 2025-02-30): impossible dates are rejected, never normalised.
func NewDate(year int, month time.Month, day int) (Date, bool) {
	if year < 1900 || year > 2200 || !exists(year, month, day) {
		return Date{}, false
	}
	return date(year, month, day), true
}

// MustDate is the date of a constant or a test, known to exist; it panics
// on an impossible one. Unlike NewDate it takes any year (Excel's day 0 is
// 1899-12-30).
func MustDate(year int, month time.Month, day int) Date {
	if !exists(year, month, day) {
		panic(fmt.Sprintf("report.MustDate: %d-%d-%d does not exist", year, int(month), day))
	}
	return date(year, month, day)
}

// exists reports whether the day is on the (proleptic Gregorian) calendar,
// without a time.Date: readers check every date of millions of rows.
func exists(year int, month time.Month, day int) bool {
	if month < time.January || month > time.December || day < 1 {
		return false
	}
	if month == time.February && day == 29 {
		return year%4 == 0 && (year%100 != 0 || year%400 == 0)
	}
	return day <= daysIn[month]
}

// daysIn is the length of each month in a common year.
var daysIn = [...]int{time.January: 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// DateOf is the calendar date of t in loc.
func DateOf(t time.Time, loc *time.Location) Date { return dateOfTime(t.In(loc)) }

func dateOfTime(t time.Time) Date {
	y, m, d := t.Date()
	return date(y, m, d)
}

func (d Date) Year() int             { return int(d.ymd >> 9) }
func (d Date) Month() time.Month     { return time.Month(d.ymd >> 5 & 15) }
func (d Date) Day() int              { return int(d.ymd & 31) }
func (d Date) IsZero() bool          { return d.ymd == 0 }
func (d Date) time() time.Time       { return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC) }
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return dateOfTime(d.time().AddDate(0, 0, n)) }

// Compare returns -1, 0 or +1.
func (d Date) Compare(o Date) int { return cmp.Compare(d.ymd, o.ymd) }

func (d Date) Before(o Date) bool { return d.ymd < o.ymd }
func (d Date) After(o Date) bool  { return d.ymd > o.ymd }

// Month is the month the date falls in.
func (d Date) MonthOf() Month { return Month{d.Year(), d.Month()} }

// String is the ISO form 2025-05-03; the zero date is "".
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Year(), int(d.Month()), d.Day()
	if y < 0 || y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, day)
	}
	// By hand, not with fmt: the ledger's and the weekly reports' keys
	// format a date for each of a city's rows.
	return string([]byte{
		byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + day/10), byte('0' + day%10),
	})
}

// Chinese is the form official documents use: 2025年6月1日.
func (d Date) Chinese() string {
	return fmt.Sprintf("%d年%d月%d日", d.Year(), int(d.Month()), d.Day())
}

func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse("2006-01-02", string(b))
	if err != nil {
		return err
	}
	*d = dateOfTime(t)
	return nil
}

// Month is a calendar month, the unit of the monthly bulletin.
type Month struct {
	Year  int
	Month time.Month
}

// ParseMonth reads "2025-05", and the other ways a clerk writes a month
// (2025-5, 2025年5月, 202505; see periodtext.go).
func ParseMonth(s string) (Month, error) { return parseMonthText(s) }

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Chinese is 2025年5月.
func (m Month) Chinese() string { return fmt.Sprintf("%d年%d月", m.Year, int(m.Month)) }

func (m Month) IsZero() bool { return m == Month{} }

// Add moves by n months; Add(-1) of January is December of the year before.
func (m Month) Add(n int) Month {
	i := m.Year*12 + int(m.Month) - 1 + n
	return Month{i / 12, time.Month(i%12 + 1)}
}

func (m Month) Prev() Month { return m.Add(-1) }

// Index counts months from year 0; differences of indexes are month counts.
func (m Month) Index() int { return m.Year*12 + int(m.Month) - 1 }

func (m Month) First() Date { return date(m.Year, m.Month, 1) }
func (m Month) Last() Date  { return m.Add(1).First().AddDays(-1) }

func (m Month) Contains(d Date) bool { return d.Year() == m.Year && d.Month() == m.Month }

func (m Month) Compare(o Month) int {
	switch {
	case m.Index() < o.Index():
		return -1
	case m.Index() > o.Index():
		return 1
	}
	return 0
}

// Half is the half year containing m.
func (m Month) Half() Half {
	if m.Month <= 6 {
		return Half{m.Year, 1}
	}
	return Half{m.Year, 2}
}

// Quarter is 1..4.
func (m Month) Quarter() int { return (int(m.Month)-1)/3 + 1 }

func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads 2025-05; an empty text is the zero Month ("none"),
// as config.toml writes an unset month.
func (m *Month) UnmarshalText(b []byte) error {
	if len(strings.TrimSpace(string(b))) == 0 {
		*m = Month{}
		return nil
	}
	p, err := ParseMonth(string(b))
	*m = p
	return err
}

// Half is H1 (January–June) or H2 (July–December) of a year.
type Half struct {
	Year int
	N    int // 1 or 2
}

// ParseHalf reads "2025-H1" or "2025-H2", and 2025年上半年 and the like
// (see periodtext.go).
func ParseHalf(s string) (Half, error) { return parseHalfText(s) }

func (h Half) String() string { return fmt.Sprintf("%04d-H%d", h.Year, h.N) }

// Chinese is 2025年上半年 / 2025年下半年.
func (h Half) Chinese() string {
	if h.N == 1 {
		return fmt.Sprintf("%d年上半年", h.Year)
	}
	return fmt.Sprintf("%d年下半年", h.Year)
}

func (h Half) First() Month { return Month{h.Year, time.Month(6*(h.N-1) + 1)} }
func (h Half) Last() Month  { return h.First().Add(5) }

// Months lists the six months of the half.
func (h Half) Months() []Month {
	ms := make([]Month, 6)
	for i := range ms {
		ms[i] = h.First().Add(i)
	}
	return ms
}

func (h Half) Contains(m Month) bool { return m.Half() == h }

func (h Half) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// Week is a Monday-to-Sunday week. It belongs to the month containing its
// Thursday (rules.md), so a month has 4 or 5 weeks.
type Week struct{ Monday Date }

func (w Week) Sunday() Date   { return w.Monday.AddDays(6) }
func (w Week) Thursday() Date { return w.Monday.AddDays(3) }

func (w Week) Contains(d Date) bool {
	return !d.Before(w.Monday) && !d.After(w.Sunday())
}

// WeekOf is the week containing d.
func WeekOf(d Date) Week {
	back := (int(d.Weekday()) + 6) % 7 // days since Monday
	return Week{d.AddDays(-back)}
}

// Weeks lists the weeks that belong to m, in order.
func (m Month) Weeks() []Week {
	var ws []Week
	for w := WeekOf(m.First()); !w.Monday.After(m.Last()); w.Monday = w.Monday.AddDays(7) {
		if m.Contains(w.Thursday()) {
			ws = append(ws, w)
		}
	}
	return ws
}

// Prev is the half before h: H1's is H2 of the year before.
func (h Half) Prev() Half {
	if h.N == 2 {
		return Half{h.Year, 1}
	}
	return Half{h.Year - 1, 2}
}

// PeriodKind says which report a period is delivered as.
type PeriodKind string

const (
	// PeriodMonthly is a calendar month, reported in the monthly bulletin.
	PeriodMonthly PeriodKind = "monthly"
	// PeriodHalfYear is a half year, reported in the self-inspection reports.
	PeriodHalfYear PeriodKind = "halfyear"
)

// Period is what one delivery is about: a month (the bulletin) or a half
// year (the self-inspection reports). It is the one name of a period for
// the schedule, the ledger, the figures and delivery. The zero Period is
// "none".
type Period struct {
	Kind  PeriodKind
	Month Month // set when Kind is PeriodMonthly
	Half  Half  // set when Kind is PeriodHalfYear
}

// MonthPeriod is the period of month m's bulletin.
func MonthPeriod(m Month) Period { return Period{Kind: PeriodMonthly, Month: m} }

// HalfPeriod is the period of half h's self-inspection reports.
func HalfPeriod(h Half) Period { return Period{Kind: PeriodHalfYear, Half: h} }

// ParsePeriod reads a period as the clerk writes it: a month (2025-05) or a
// half year (2025-H1). Every command that takes a period parses it here.
func ParsePeriod(s string) (Period, error) {
	if m, err := ParseMonth(s); err == nil {
		return MonthPeriod(m), nil
	}
	if h, err := ParseHalf(s); err == nil {
		return HalfPeriod(h), nil
	}
	return Period{}, fmt.Errorf("%q 既不是 2025-05 这样的月份，也不是 2025-H1 这样的半年", strings.TrimSpace(s))
}

func (p Period) IsZero() bool { return p == Period{} }

// String is 2025-05 or 2025-H1, the name of the period's output folder.
func (p Period) String() string {
	switch p.Kind {
	case PeriodMonthly:
		return p.Month.String()
	case PeriodHalfYear:
		return p.Half.String()
	}
	return ""
}

// Chinese is 2025年5月 or 2025年上半年.
func (p Period) Chinese() string {
	if p.Kind == PeriodHalfYear {
		return p.Half.Chinese()
	}
	return p.Month.Chinese()
}

// ReportName is what the period's delivery is called: 月报 or 半年自查报告.
func (p Period) ReportName() string {
	if p.Kind == PeriodHalfYear {
		return "半年自查报告"
	}
	return "月报"
}

// Key names the period uniquely across kinds: "monthly 2025-05".
func (p Period) Key() string { return string(p.Kind) + " " + p.String() }

// MessageID is the Message-ID of the period's delivery to the city bureau,
// <monthly-2025-05@domain>: derived from the period alone, so that a second
// copy of the same delivery is recognisable as such by the receiving side.
// suffix, when not empty, marks another message about the period (".draft",
// ".resend-20250621T100000").
func (p Period) MessageID(suffix, domain string) string {
	return "<" + string(p.Kind) + "-" + p.String() + suffix + "@" + domain + ">"
}

// Months lists the months the period covers.
func (p Period) Months() []Month {
	if p.Kind == PeriodHalfYear {
		return p.Half.Months()
	}
	return []Month{p.Month}
}

// LastMonth is the period's last month.
func (p Period) LastMonth() Month {
	if p.Kind == PeriodHalfYear {
		return p.Half.Last()
	}
	return p.Month
}

// End is the first moment after the period in loc: midnight starting the
// month after its last. A report on the period is complete from then on.
func (p Period) End(loc *time.Location) time.Time {
	next := p.LastMonth().Add(1)
	return time.Date(next.Year, next.Month, 1, 0, 0, 0, 0, loc)
}

func (p Period) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

func (p *Period) UnmarshalText(b []byte) error {
	q, err := ParsePeriod(string(b))
	*p = q
	return err
}

func (h *Half) UnmarshalText(b []byte) error {
	p, err := ParseHalf(string(b))
	*h = p
	return err
}
