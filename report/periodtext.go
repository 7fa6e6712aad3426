package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A clerk types a month as the calendar on the wall writes it: 2025-05,
// 2025-5, 2025/5, 2025.5, 2025年5月, 202505, with a full-width input
// method's digits and dashes as often as not. Every command reads periods
// through ParseMonth and ParseHalf, so they all accept the same forms.

var (
	monthForms = []*regexp.Regexp{
		regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`),
		regexp.MustCompile(`^(\d{4})(\d{2})$`),
	}
	halfForms = []*regexp.Regexp{
		regexp.MustCompile(`^(\d{4})\s*-?\s*H([12])$`),
		regexp.MustCompile(`^(\d{4})\s*年?\s*([上下])\s*半年(度)?$`),
	}
)

// halfWidth turns full-width digits, letters and punctuation half-width
// and trims the text.
func halfWidth(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		switch {
		case r >= '\uff01' && r <= '\uff5e':
			return r - 0xfee0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s))
}

// parseMonthText reads a month in any of the forms above.
func parseMonthText(s string) (Month, error) {
	text := halfWidth(s)
	for _, form := range monthForms {
		m := form.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		year, _ := strconv.Atoi(m[1])
		month, _ := strconv.Atoi(m[2])
		if year >= 1900 && year <= 2200 && month >= 1 && month <= 12 {
			return Month{year, time.Month(month)}, nil
		}
	}
	return Month{}, fmt.Errorf("“%s”不是月份：请写成 2025-05（也可以写 2025-5、2025年5月 或 202505）", s)
}

// parseHalfText reads a half year in any of the forms above.
func parseHalfText(s string) (Half, error) {
	text := strings.ToUpper(halfWidth(s))
	for _, form := range halfForms {
		m := form.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		year, _ := strconv.Atoi(m[1])
		n := 1
		if m[2] == "2" || m[2] == "下" {
			n = 2
		}
		if year >= 1900 && year <= 2200 {
			return Half{year, n}, nil
		}
	}
	return Half{}, fmt.Errorf("“%s”不是半年：请写成 2025-H1 或 2025-H2（也可以写 2025年上半年、2025年下半年）", s)
}
