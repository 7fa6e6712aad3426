package ingest

import (
	"path/filepath"
	"reflect"
	"testing"
	"time"

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
	for _, in := range []string{"五月", "2025-13", "2025-H3", "25-05", "2025 Q2", "123"} {
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
