package sample

import (
	"fmt"
	"time"
)

// month counts months from year 0: year*12 + (month-1). It keeps month
// arithmetic (M-1, half starts) plain integer arithmetic.
type month int

func monthOf(year int, m time.Month) month { return month(year*12 + int(m) - 1) }

func parseMonth(s string) (month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return 0, fmt.Errorf("month %q: want YYYY-MM", s)
	}
	return monthOf(t.Year(), t.Month()), nil
}

func (m month) year() int            { return int(m) / 12 }
func (m month) calendar() time.Month { return time.Month(int(m)%12 + 1) }
func (m month) String() string       { return fmt.Sprintf("%04d-%02d", m.year(), int(m.calendar())) }
func (m month) first() day           { return dayOf(m.year(), m.calendar(), 1) }
func (m month) last() day            { return (m + 1).first() - 1 }
func (m month) days() int            { return int((m + 1).first() - m.first()) }
func (m month) secondHalf() bool     { return m.calendar() > time.June }
func (m month) chinese() string      { return fmt.Sprintf("%d年%d月", m.year(), int(m.calendar())) }
func (m month) compact() string      { return fmt.Sprintf("%04d%02d", m.year(), int(m.calendar())) }
func (m month) halfStart() month     { return m - month(int(m.calendar()-1)%6) }
func (m month) contains(d day) bool  { return d >= m.first() && d <= m.last() }
func (m month) dayN(n int) day       { return m.first() + day(n-1) }
func (m month) exportTime() time.Time {
	return (m + 1).first().time().Add(8*time.Hour + 30*time.Minute + 15*time.Second)
}

// day is a calendar date counted in days from 1970-01-01 (Asia/Shanghai
// calendar dates; the generator never needs a time zone).
type day int32

func dayOf(year int, m time.Month, d int) day {
	return day(time.Date(year, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func (d day) time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }
func (d day) month() month    { y, m, _ := d.time().Date(); return monthOf(y, m) }

// weekday: 1970-01-01 was a Thursday.
func (d day) weekday() time.Weekday { return time.Weekday((int(d)%7 + 7 + 4) % 7) }
func (d day) workday() bool         { wd := d.weekday(); return wd != time.Saturday && wd != time.Sunday }

// monday is the Monday of d's week (weeks run Monday to Sunday).
func (d day) monday() day { return d - day((int(d.weekday())+6)%7) }

// weeksOf lists the Mondays of the weeks that belong to m: a week belongs to
// the month that contains its Thursday (rules.md).
func weeksOf(m month) []day {
	var mondays []day
	for mon := (m.first() + 3).monday(); m.contains(mon + 3); mon += 7 {
		mondays = append(mondays, mon)
	}
	return mondays
}

// excelSerial is the Excel serial number of d (days since 1899-12-30) plus
// the fraction of the day given in seconds (secs < 0: no time).
func excelSerial(d day, secs int32) float64 {
	s := float64(d) + 25569
	if secs > 0 {
		s += float64(secs) / 86400
	}
	return s
}
