package ingest

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"bulletin/report"
	"bulletin/report/ingest/memohash"
)

// The cell-value parsers below turn the text of one cell into a typed value
// or an error whose message is the Chinese reason shown to the clerk. They
// never guess: a value that fits none of the documented forms is an error.

// trimSpace is strings.TrimSpace, faster on the usual cell: one that
// begins and ends with a character that is no space, Chinese ones
// included, is returned as it is without decoding a rune. (A character
// from U+4000 on, lead byte 0xE4 or more, is never a space; U+3000, the
// ideographic space, is below.)
func trimSpace(s string) string {
	if len(s) > 0 && noSpaceLead(s[0]) && noSpaceAtEnd(s) {
		return s
	}
	return strings.TrimSpace(s)
}

// noSpaceLead: the character that c begins is printable ASCII other than
// the space, or from U+4000 on.
func noSpaceLead(c byte) bool { return c > ' ' && c < utf8.RuneSelf || c >= 0xe4 }

// noSpaceAtEnd: s's last character is no space, as noSpaceLead tells.
func noSpaceAtEnd(s string) bool {
	n := len(s)
	follows := func(i int) bool { return s[i]&0xc0 == 0x80 } // a continuation byte
	switch c := s[n-1]; {
	case c < utf8.RuneSelf:
		return noSpaceLead(c)
	case n >= 3 && s[n-3] >= 0xe4 && s[n-3] < 0xf0 && follows(n-2) && follows(n-1):
		return true
	case n >= 4 && s[n-4] >= 0xf0 && follows(n-3) && follows(n-2) && follows(n-1):
		return true
	}
	return false
}

// clean narrows full-width ASCII (２０２５／５／３ → 2025/5/3), turns the
// ideographic and no-break spaces into plain spaces and trims the result.
func clean(s string) string {
	if isPlainASCII(s) || !needsNarrowing(s) {
		return trimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		case r == '\ufeff':
			continue
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// needsNarrowing reports whether clean changes more than the outer space
// of s: it holds an ideographic, no-break or zero-width no-break space or
// a full-width ASCII character, or is not valid UTF-8 (whose bad bytes
// ranging over s turns into U+FFFD).
func needsNarrowing(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		switch c, c1 := s[i], s[i+1]; {
		case c == 0xC2 && c1 == 0xA0: // U+00A0
			return true
		case i+2 >= len(s):
		case c == 0xE3 && c1 == 0x80 && s[i+2] == 0x80, // U+3000
			c == 0xEF && c1 == 0xBB && s[i+2] == 0xBF, // U+FEFF
			c == 0xEF && c1 == 0xBC && s[i+2] >= 0x81, // U+FF01–U+FF3F
			c == 0xEF && c1 == 0xBD && s[i+2] <= 0x9E: // U+FF40–U+FF5E
			return true
		}
	}
	return !utf8.ValidString(s)
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// earliestDate is the first day an export may name: the exports record the
// bureau's work of recent years, and an earlier date is a number read as an
// Excel serial day (5.20 for May 20th, a year alone, a time without its
// day) or a typo.
var earliestDate = report.MustDate(2000, time.January, 1)

// dateParser reads the date forms of data-contract.md. date1904 is the
// workbook's date system for serial numbers; loc converts the rare
// timestamps that carry a zone offset to the bureau's calendar date.
type dateParser struct {
	date1904 bool
	loc      *time.Location
	memo     *dateMemo // optional: a file repeats the same few dates
}

// parse returns the zero Date for an empty cell.
func (p dateParser) parse(raw string) (report.Date, error) {
	if p.memo == nil {
		return p.parseText(raw)
	}
	slot := p.memo.slot(raw)
	if slot.ok && slot.raw == raw {
		return slot.date, slot.err
	}
	if d, ok := p.dayBeforeTime(raw); ok {
		return d, nil
	}
	d, err := p.parseText(raw)
	*slot = memoDate{raw: raw, date: d, err: err, ok: true}
	return d, err
}

// dayBeforeTime reads a date with a time of day (2025/2/20 8:23, as
// exported in many months) by its day, which the memo keeps: the times
// are all different, the days few. ok is false for anything else: a day
// that cleaning would change (its reading would then differ from the whole
// text's), whose reading fails, or whose form could read otherwise with a
// time after it (a serial number, a timestamp); parseText reads those.
func (p dateParser) dayBeforeTime(raw string) (report.Date, bool) {
	sp := strings.IndexByte(raw, ' ')
	if sp <= 0 || raw[0]-'0' > 9 || !isTimeOfDay(raw[sp:]) {
		return report.Date{}, false
	}
	day := raw[:sp]
	if clean(day) != day || strings.IndexByte(day, 'T') >= 0 || isDecimal(day) {
		return report.Date{}, false
	}
	slot := p.memo.slot(day)
	if !slot.ok || slot.raw != day {
		d, err := p.parseText(day)
		*slot = memoDate{raw: day, date: d, err: err, ok: true}
	}
	return slot.date, slot.err == nil && !slot.date.IsZero()
}

// dateMemoBits sizes a date memo: 256 texts.
const dateMemoBits = 8

// dateMemo remembers the dates of recent cells, and of recent serial day
// numbers (serials with a time of day are all different).
type dateMemo struct {
	texts   [1 << dateMemoBits]memoDate
	serials [64]memoSerial
}

func (m *dateMemo) slot(raw string) *memoDate {
	return &m.texts[memohash.Slot(raw, dateMemoBits)]
}

type memoSerial struct {
	days int // 0: empty
	date report.Date
}

type memoDate struct {
	raw  string
	date report.Date
	err  error
	ok   bool
}

func (p dateParser) parseText(raw string) (report.Date, error) {
	s := clean(raw)
	if s == "" {
		return report.Date{}, nil
	}
	if len(s) >= 8 && isDigits(s[:8]) && (len(s) == 8 || isTimeOfDay(s[8:])) {
		// 20250503, as text or as a number, optionally with a time of day
		return ymd(s, atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]))
	}
	if isDecimal(s) {
		return p.serial(s)
	}
	// 2025-05-03T08:00:00+08:00 (time.Parse needs the T there; checking it
	// first spares the other forms a failed parse)
	if len(s) > 10 && s[10] == 'T' {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return inRange(report.DateOf(t, p.loc), s)
		}
	}
	return parseDateText(s)
}

// inRange refuses a timestamp's date outside the calendar report.Date
// knows (0000-01-01T00:00:00Z parses).
func inRange(d report.Date, s string) (report.Date, error) {
	if _, ok := report.NewDate(d.Year(), d.Month(), d.Day()); !ok {
		return report.Date{}, fmt.Errorf("日期超出范围：%s", s)
	}
	return d, nil
}

// serial converts an Excel serial day number; its fraction is the time of
// day, which rules.md ignores.
func (p dateParser) serial(s string) (report.Date, error) {
	days, ok := serialDays(s)
	if !ok {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v > 2958465 { // 2958465 is 9999-12-31
			return report.Date{}, unknownDate(s)
		}
		days = int(math.Floor(v))
	}
	if p.memo != nil {
		slot := &p.memo.serials[days%len(p.memo.serials)]
		if slot.days == days {
			return slot.date, nil
		}
		d, err := p.serialDay(days, s)
		if err == nil {
			*slot = memoSerial{days: days, date: d}
		}
		return d, err
	}
	return p.serialDay(days, s)
}

// serialDays is the whole days of a decimal serial number in range, read
// without floating point: floor(ParseFloat(s)) is the whole part unless the
// fraction is within a float's precision of 1 (eight 9s), and the range
// check needs floats only at its ends. ok is false for those cases.
func serialDays(s string) (int, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) > 7 || strings.HasPrefix(frac, "99999999") {
		return 0, false
	}
	days := atoi(whole)
	return days, days >= 1 && days < 2958465
}

func (p dateParser) serialDay(days int, s string) (report.Date, error) {
	var base report.Date
	switch {
	case p.date1904:
		base = report.MustDate(1904, time.January, 1)
	case days == 60: // Excel's fictitious 1900-02-29
		return report.Date{}, fmt.Errorf("日期不存在：%s（1900年2月29日）", s)
	case days < 60:
		base = report.MustDate(1899, time.December, 31)
	default:
		base = report.MustDate(1899, time.December, 30)
	}
	d := base.AddDays(days)
	if _, ok := report.NewDate(d.Year(), d.Month(), d.Day()); !ok {
		return report.Date{}, fmt.Errorf("日期超出范围：%s", s)
	}
	return d, nil
}

// parseDateText reads 2025-05-03, 2025/5/3, 2025.5.3 and 2025年5月3日,
// each optionally followed by a time of day.
func parseDateText(s string) (report.Date, error) {
	year, rest, ok := leadingDigits(s, 4, 4)
	if !ok {
		return report.Date{}, unknownDate(s)
	}
	sep, size := firstRune(rest)
	var monthEnd, dayEnd string
	switch sep {
	case '-', '/', '.':
		monthEnd, dayEnd = string(sep), ""
	case '年':
		monthEnd, dayEnd = "月", "日"
	default:
		return report.Date{}, unknownDate(s)
	}
	month, rest, ok := leadingDigits(rest[size:], 1, 2)
	if !ok || !strings.HasPrefix(rest, monthEnd) {
		return report.Date{}, unknownDate(s)
	}
	day, rest, ok := leadingDigits(rest[len(monthEnd):], 1, 2)
	if !ok {
		return report.Date{}, unknownDate(s)
	}
	if dayEnd != "" { // 2025年5月3日, or 3号 as people also write
		if tail, ok := cutAnyPrefix(rest, dayEnd, "号"); ok {
			rest = tail
		} else {
			return report.Date{}, unknownDate(s)
		}
	}
	if !isTimeOfDay(rest) {
		return report.Date{}, unknownDate(s)
	}
	return ymd(s, year, month, day)
}

func unknownDate(s string) error { return fmt.Errorf("日期无法识别：%s", s) }

func cutAnyPrefix(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if tail, ok := strings.CutPrefix(s, p); ok {
			return tail, true
		}
	}
	return s, false
}

func ymd(s string, year, month, day int) (report.Date, error) {
	d, ok := report.NewDate(year, time.Month(month), day)
	if !ok {
		return report.Date{}, fmt.Errorf("日期不存在：%s", s)
	}
	return d, nil
}

// isTimeOfDay accepts what may follow a date: nothing, or a space or T and
// a time like 8:30, 08:30:00 or 08:30:00.000.
func isTimeOfDay(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimSpace(s[1:])
	limits := [3]int{23, 59, 59}
	for n := 0; ; n++ {
		part, rest, more := strings.Cut(s, ":")
		if more && n == 2 {
			return false // more than hours, minutes and seconds
		}
		if !more {
			if sec, frac, ok := strings.Cut(part, "."); ok {
				if !isDigits(frac) {
					return false
				}
				part = sec
			}
		}
		if len(part) < 1 || len(part) > 2 || !isDigits(part) || atoi(part) > limits[n] {
			return false
		}
		if !more {
			return n >= 1
		}
		s = rest
	}
}

// leadingDigits splits off min..max leading ASCII digits.
func leadingDigits(s string, min, max int) (int, string, bool) {
	n := 0
	for n < len(s) && n < max+1 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n < min || n > max {
		return 0, s, false
	}
	return atoi(s[:n]), s[n:], true
}

func firstRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDecimal reports digits with at most one decimal point: a raw numeric
// cell such as 45780 or 45780.375.
func isDecimal(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return isDigits(whole) && (frac == "" || isDigits(frac)) && !strings.HasSuffix(s, ".")
}

// atoi is for strings already checked to be short runs of digits.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// parseBool reads 是/否, Y/N, 1/0, true/false and √/×; empty is 否.
func parseBool(raw string) (bool, error) {
	b, ok := spelledBool(raw) // most cells, without cleaning
	if !ok {
		b, ok = spelledBool(strings.ToLower(clean(raw)))
	}
	if !ok {
		return false, fmt.Errorf("应为 是/否：%s", strings.TrimSpace(raw))
	}
	return b, nil
}

// spelledBool reads the spellings parseBool knows: each cleaned and in
// lower case, and some as spreadsheets also write them, which are then
// found without cleaning.
func spelledBool(s string) (b, ok bool) {
	switch s {
	case "否", "", "n", "0", "false", "×", "N", "FALSE", "False":
		return false, true
	case "是", "y", "1", "true", "√", "Y", "TRUE", "True":
		return true, true
	}
	return false, false
}

// parseCount reads a whole number ≥ 0; empty is 0. A raw numeric cell may
// hold 3 as "3" or "3.0".
func parseCount(raw string) (int, error) {
	s := clean(raw)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v, ferr := strconv.ParseFloat(s, 64)
		if ferr != nil || v != math.Trunc(v) || math.Abs(v) > math.MaxInt32 {
			return 0, fmt.Errorf("不是整数：%s", s)
		}
		n = int(v)
	}
	if n < 0 {
		return 0, fmt.Errorf("不能为负数：%s", s)
	}
	return n, nil
}

// parsePeriod reads 所属期间 into its canonical form: a month "2025-05"
// (2025-05, 2025-5, 2025/05, 2025年5月, 2025年05月), a half "2025-H1"
// (2025-H1, 2025H2, 2025年上半年, 2025年下半年) or a year "2025" (2025,
// 2025年, 2025年度). Excel turns a typed 2025-05 into a date cell, which
// arrives as a serial number; its month is meant, as for a full date.
func parsePeriod(raw string, dates dateParser) (string, error) {
	s := strings.ReplaceAll(clean(raw), " ", "")
	unknown := fmt.Errorf("所属期间无法识别：%s（应为 2025-05、2025-H1 或 2025 这样的写法）", s)
	year, rest, ok := leadingDigits(s, 4, 4)
	if !ok || year < 1900 || year > 2200 {
		// A date cell: a five-digit serial (1927–2173), never a small
		// number that would be some day of 1900.
		if whole, _, _ := strings.Cut(s, "."); isDecimal(s) && len(whole) == 5 {
			return periodFromDate(s, dates, unknown)
		}
		return "", unknown
	}
	rest = strings.TrimPrefix(rest, "年")
	switch strings.ToUpper(strings.TrimLeft(rest, "-")) {
	case "", "度":
		return fmt.Sprintf("%04d", year), nil
	case "H1", "上半年":
		return fmt.Sprintf("%04d-H1", year), nil
	case "H2", "下半年":
		return fmt.Sprintf("%04d-H2", year), nil
	}
	if sep, size := firstRune(rest); sep == '-' || sep == '/' || sep == '.' {
		rest = rest[size:]
	}
	month, tail, ok := leadingDigits(rest, 1, 2)
	if ok && month >= 1 && month <= 12 && (tail == "" || tail == "月") {
		return report.Month{Year: year, Month: time.Month(month)}.String(), nil
	}
	return periodFromDate(s, dates, unknown)
}

func periodFromDate(s string, dates dateParser, unknown error) (string, error) {
	d, err := dates.parse(s)
	if err != nil || d.IsZero() || d.Before(earliestDate) {
		return "", unknown
	}
	return d.MonthOf().String(), nil
}

// splitList splits 问题类型 / 异常类型 on 、；;，,/ (full or half width)
// and spaces, dropping empty and repeated entries.
func splitList(raw string) []string {
	fields := strings.FieldsFunc(raw, func(r rune) bool {
		return strings.ContainsRune("、；;，,/／", r) || unicode.IsSpace(r)
	})
	var out []string
	for _, f := range fields {
		if !contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// cleanID trims an id. A long numeric id typed into Excel as a number
// arrives in raw form as 2.0250501E+7; it is written out in full.
func cleanID(raw string) string {
	s := trimSpace(raw)
	if strings.IndexByte(s, 'e') >= 0 || strings.IndexByte(s, 'E') >= 0 { // 1.2E+15 written by a spreadsheet
		if v, err := strconv.ParseFloat(s, 64); err == nil && v == math.Trunc(v) && math.Abs(v) < 1e21 {
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return s
}

// emptyReason rejects a row whose required cell is empty.
const emptyReason = "必填项为空"
