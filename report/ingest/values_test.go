package ingest

import (
	"fmt"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
)

func TestParseDate(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	p := dateParser{loc: shanghai}
	good := map[string]report.Date{
		"2025-05-03": date(2025, 5, 3), "2025/5/3": date(2025, 5, 3), "2025.5.3": date(2025, 5, 3),
		"2025年5月3日": date(2025, 5, 3), "2025年05月03日 14:05": date(2025, 5, 3), "20250503": date(2025, 5, 3), "20250503 14:25:07": date(2025, 5, 3), "20250503T08:00": date(2025, 5, 3),
		" 2025-05-03 23:59:59 ": date(2025, 5, 3), "2025-05-03 23:59:59.999": date(2025, 5, 3),
		"2025-05-03T08:00:00": date(2025, 5, 3), "2025-05-02T16:30:00Z": date(2025, 5, 3), // 00:30 in Shanghai
		"2025-05-03T00:30:00+08:00": date(2025, 5, 3), "2024-02-29": date(2024, 2, 29),
		"45780": date(2025, 5, 3), "45780.999": date(2025, 5, 3), "1": date(1900, 1, 1), "59": date(1900, 2, 28),
		"61": date(1900, 3, 1), "２０２５／５／３": date(2025, 5, 3), "": {},
	}
	for in, want := range good {
		got, err := p.parse(in)
		if err != nil || got != want {
			t.Errorf("parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	bad := []string{"2025-13-45", "2025-02-29", "2025/5/32", "下周", "2025-05", "5/3/2025", "03.05.2025", "2025-05-03 25:00",
		"2025-05-03x", "2025-5/3", "2025年5月3", "0", "60", "-1", "1e5", "45780.", "99999999", "2025-05-03 8", "NaN", "20250503 25:00", "20251345 08:00"}
	for _, in := range bad {
		if got, err := p.parse(in); err == nil {
			t.Errorf("parse(%q) = %v, want an error", in, got)
		}
	}
	if got, _ := (dateParser{date1904: true, loc: shanghai}).parse("44318"); got != date(2025, 5, 3) {
		t.Errorf("1904 serial 44318 = %v, want 2025-05-03", got)
	}
}

// A workbook in the 1904 date system (old Mac Excel) stores its real date
// cells as serials counted from 1904.
func TestDate1904Workbook(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	yes := true
	writeXLSX(t, filepath.Join(root, "2025-05", "中队督察.xlsx"), "中队督察", nil, func(f *excelize.File, sheet string) {
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}); err != nil {
			t.Fatal(err)
		}
		_ = f.SetSheetRow(sheet, "A1", &[]any{"中队", "督察日期"})
		_ = f.SetSheetRow(sheet, "A2", &[]any{"北站", time.Date(2025, 5, 3, 9, 0, 0, 0, time.UTC)})
	})
	ds, q := read(t, cfg, root, "2025-05", "2025-05")
	if len(ds.Weekly) != 1 || ds.Weekly[0].Date != date(2025, 5, 3) {
		t.Errorf("weekly %+v, rejected %+v", ds.Weekly, q.Rejected)
	}
}

func TestParseBoolCountPeriodList(t *testing.T) {
	for in, want := range map[string]bool{"是": true, "否": false, "Y": true, "n": false, "1": true, "0": false,
		"TRUE": true, "false": false, "√": true, "×": false, "": false, " 是 ": true, "Ｙ": true} {
		if got, err := parseBool(in); err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"有", "yes?", "2", "✓"} {
		if _, err := parseBool(in); err == nil {
			t.Errorf("parseBool(%q) accepted", in)
		}
	}
	for in, want := range map[string]int{"": 0, "0": 0, "3": 3, "3.0": 3, "１２": 12} {
		if got, err := parseCount(in); err != nil || got != want {
			t.Errorf("parseCount(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"-1", "2.5", "两个", "Inf", "1e300"} {
		if _, err := parseCount(in); err == nil {
			t.Errorf("parseCount(%q) accepted", in)
		}
	}
	p := dateParser{loc: time.UTC}
	for in, want := range map[string]string{"2025-05": "2025-05", "2025-5": "2025-05", "2025/05": "2025-05",
		"2025年5月": "2025-05", "2025年05月": "2025-05", "2025-H1": "2025-H1", "2025h2": "2025-H2",
		"2025年上半年": "2025-H1", "2025年下半年": "2025-H2", "2025": "2025", "2025年": "2025", "2025年度": "2025",
		"45778": "2025-05", "2025-05-01": "2025-05"} {
		if got, err := parsePeriod(in, p); err != nil || got != want {
			t.Errorf("parsePeriod(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"五月", "2025-13", "2025-H3", "25-05", "2025 Q2", "123", "5.20", "1999-12-31"} {
		if got, err := parsePeriod(in, p); err == nil {
			t.Errorf("parsePeriod(%q) = %q, want an error", in, got)
		}
	}
	if got := splitList(" 事实不清、证据不足；程序违法;文书不规范，裁量失当,超期/违规终止 记录要素不全　证据不足 "); !reflect.DeepEqual(got,
		[]string{"事实不清", "证据不足", "程序违法", "文书不规范", "裁量失当", "超期", "违规终止", "记录要素不全"}) {
		t.Errorf("splitList = %q", got)
	}
	for in, want := range map[string]string{" A-1 ": "A-1", "2.0250501E+7": "20250501", "静城管罚〔2025〕１号": "静城管罚〔2025〕１号"} {
		if got := cleanID(in); got != want {
			t.Errorf("cleanID(%q) = %q, want %q", in, got, want)
		}
	}
}

// The date parser's fast paths (whole days read without floating point,
// time of day without splitting, the memo) give what the plain reading
// gives: referenceDate is that reading, as the parser first had it.
func FuzzDateFastPaths(f *testing.F) {
	for _, s := range []string{"45780", "45780.5493865740", "45780.99999999999", "45780.999999999999999", "2958465", "2958465.5", "0.5",
		"60", "59.9", "61", "20250503 14:20:00", "2025年5月3日 14:20", "2025-05-03T08:30:00", "2025-05-03 8:30:00.5", "2025-05-03 08:30:", "1:2:3:4",
		"45780 8:30", "2025-05-03T08:00:00+08:00 8:30", "2025.5.3 8:30", "2025/5/3  8:30:01 ", "2025-02-30 8:30", "20250503 25:00", "2025年5月3号 8:30",
		"2025-05-03\t 8:30", "2025-05-03\n 8:30", "2025-05-03\u0085 8:30", "2025-05-03\u2003 8:30", "2025-05-03\u30008:30 9:00",
		"2025/5/3\u00a08:30 9:00", "4５780 8:30", "45780\u3000 8:30", "45780\ufeff 8:30", "2025-05-03Ｔ08:00:00+08:00 8:30", "2025-05-03 8:30\u3000"} {
		f.Add(s, false)
	}
	loc := time.FixedZone("CST", 8*3600)
	f.Fuzz(func(t *testing.T, s string, date1904 bool) {
		p := dateParser{loc: loc, date1904: date1904, memo: new(dateMemo)}
		if day, _, ok := strings.Cut(s, " "); ok {
			p.parse(day) // a day the memo knows, as a timestamp of it comes
		}
		for range 2 { // the second time from the memo
			d, err := p.parse(s)
			rd, rerr := referenceDate(s, date1904, loc)
			if d != rd || (err == nil) != (rerr == nil) || err != nil && err.Error() != rerr.Error() {
				t.Fatalf("%q: %v %v, want %v %v", s, d, err, rd, rerr)
			}
		}
	})
}

func referenceDate(raw string, date1904 bool, loc *time.Location) (report.Date, error) {
	s := clean(raw)
	if s == "" {
		return report.Date{}, nil
	}
	if len(s) >= 8 && isDigits(s[:8]) && (len(s) == 8 || referenceTimeOfDay(s[8:])) {
		return ymd(s, atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]))
	}
	if isDecimal(s) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v > 2958465 {
			return report.Date{}, fmt.Errorf("日期无法识别：%s", s)
		}
		return dateParser{date1904: date1904}.serialDay(int(math.Floor(v)), s)
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return inRange(report.DateOf(t, loc), s)
	}
	return referenceDateText(s)
}

func referenceDateText(s string) (report.Date, error) {
	unknown := fmt.Errorf("日期无法识别：%s", s)
	year, rest, ok := leadingDigits(s, 4, 4)
	if !ok {
		return report.Date{}, unknown
	}
	sep, size := firstRune(rest)
	var monthEnd, dayEnd string
	switch sep {
	case '-', '/', '.':
		monthEnd, dayEnd = string(sep), ""
	case '年':
		monthEnd, dayEnd = "月", "日"
	default:
		return report.Date{}, unknown
	}
	month, rest, ok := leadingDigits(rest[size:], 1, 2)
	if !ok || !strings.HasPrefix(rest, monthEnd) {
		return report.Date{}, unknown
	}
	day, rest, ok := leadingDigits(rest[len(monthEnd):], 1, 2)
	if !ok {
		return report.Date{}, unknown
	}
	if dayEnd != "" {
		if tail, ok := cutAnyPrefix(rest, dayEnd, "号"); ok {
			rest = tail
		} else {
			return report.Date{}, unknown
		}
	}
	if !referenceTimeOfDay(rest) {
		return report.Date{}, unknown
	}
	return ymd(s, year, month, day)
}

func referenceTimeOfDay(s string) bool {
	if s == "" {
		return true
	}
	if s[0] != ' ' && s[0] != 'T' {
		return false
	}
	s = strings.TrimSpace(s[1:])
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	last := len(parts) - 1
	if sec, frac, ok := strings.Cut(parts[last], "."); ok {
		if !isDigits(frac) {
			return false
		}
		parts[last] = sec
	}
	limits := []int{23, 59, 59}
	for i, p := range parts {
		if len(p) < 1 || len(p) > 2 || !isDigits(p) || atoi(p) > limits[i] {
			return false
		}
	}
	return true
}

// clean leaves alone the strings it need not rebuild, and gives what
// rebuilding gives.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"是", " 北站\u3000", "２０２５／５／３", "a\u00a0b", "\ufeffx", "\xff否", "ｚ", "｀", "ｿ", "\xef\xbc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b strings.Builder
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
		if got, want := clean(s), strings.TrimSpace(b.String()); got != want {
			t.Fatalf("clean(%q) = %q, want %q", s, got, want)
		}
	})
}

// trimSpace is strings.TrimSpace: for every character at either end, and
// for every two bytes, UTF-8 or not, before and after other text.
func TestTrimSpaceIsStringsTrimSpace(t *testing.T) {
	check := func(s string) {
		if got, want := trimSpace(s), strings.TrimSpace(s); got != want {
			t.Fatalf("trimSpace(%q) = %q, want %q", s, got, want)
		}
	}
	for r := rune(0); r <= utf8.MaxRune; r++ {
		c := string(r)
		check(c)
		check(c + "北站")
		check("北站" + c)
		check(c + "a" + c)
	}
	for i := range 1 << 16 {
		b := string([]byte{byte(i >> 8), byte(i)})
		check(b)
		check("中队" + b)
		check(b + "中队")
		check("\xe4" + b)
		check("\xf0\x9f" + b)
		check(b + "\x80\x80")
	}
}

// A lookup answers from the values it met before by where their bytes are;
// the answer must still be the resolver's for every value, when values
// share a slot and when equal texts sit at different places.
func TestLookupAnswersEachValueAsItsResolver(t *testing.T) {
	resolve := func(s string) (string, bool) { return "名" + s, len(s)%3 != 0 }
	lk := &lookup{resolvers: []func(string) (string, bool){resolve}}
	// Prefixes of one string share its bytes' address: only their lengths
	// tell them apart.
	backing := strings.Repeat("静安", 8)
	values := []string{"", backing[:3], backing[:6], backing, ""}
	for i := range 256 {
		values = append(values, strconv.Itoa(i), strings.Clone(strconv.Itoa(i%7)), backing[:3*(i%16)])
	}
	for round := range 3 {
		for _, s := range values {
			want, wantOK := resolve(s)
			if got, ok := lk.find(s); got != want || ok != wantOK {
				t.Fatalf("round %d: find(%q) = %q, %v; want %q, %v", round, s, got, ok, want, wantOK)
			}
		}
	}
}
