package compose

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"text/template"

	"bulletin/report"
)

// DefaultListLimit is how many names the squads helper prints before it
// says "等N个中队".
const DefaultListLimit = 5

// dash stands for a value that does not exist (a rate without a base).
const dash = "—"

// funcs are the helper functions of the wording templates; templates/README.md
// documents each for the clerk.
func funcs() template.FuncMap {
	return template.FuncMap{
		"pct":    pct,
		"num":    num,
		"ratio":  ratio,
		"change": change,
		"add":    add,
		"sub":    func(a, b int) int { return a - b },
		"date":   date,
		"month":  month,
		"mon":    mon,
		"months": months,
		"half":   half,
		"join":   join,
		"squads": func(list any) (string, error) { return names(DefaultListLimit, "个中队", list) },
		"squadsn": func(n int, list any) (string, error) {
			return names(n, "个中队", list)
		},
		"names":  names,
		"counts": counts,
		"count":  count,
		"top":    top,
		"last":   last,
	}
}

// pct prints a share as a percentage with one decimal, or more for a
// quota's rate near its target (report.Rate): 0.1233 is "12.3%", 0.2 is
// "20%", 11/1121 against ≥1% "0.98%"; a missing value (nil) is "—".
func pct(v any) (string, error) {
	r, ok, err := rateOf(v)
	if err != nil || !ok {
		return dash, err
	}
	return r.String(), nil
}

// num prints a number with at most two decimals, rounded half up, and no
// trailing zeros: 92.5, 90, 27.69.
func num(v any) (string, error) {
	r, ok, err := rateOf(v)
	if err != nil || !ok {
		return dash, err
	}
	return formatNum(r.Share), nil
}

// formatNum rounds half up, as the scores are: 0.125 is 0.13.
func formatNum(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return report.TrimZeros(report.RoundHalfUp(report.Decimal(f), 2).FloatString(2))
}

// ratio is a/b, or nil when b is 0 (pct then prints "—").
func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

// change words the move of a rate from before to now in percentage
// points, between the two as printed (12.1% to 6.5% is 5.6 points, though
// unrounded it is 5.55…): "提高1.2个百分点", "下降0.5个百分点", "持平"; ""
// when either is missing.
func change(now, before any) (string, error) {
	a, okA, err := rateOf(now)
	if err != nil {
		return "", err
	}
	b, okB, err := rateOf(before)
	if err != nil || !okA || !okB {
		return "", err
	}
	points := new(big.Rat).Sub(a.Printed(), b.Printed())
	words := "提高"
	if points.Sign() < 0 {
		words = "下降"
		points.Neg(points)
	}
	if points.Sign() == 0 {
		return "持平", nil
	}
	return words + report.TrimZeros(points.FloatString(max(a.Decimals(), b.Decimals()))) + "个百分点", nil
}

func add(n ...int) int {
	sum := 0
	for _, v := range n {
		sum += v
	}
	return sum
}

// date prints 2025年6月1日; it takes a report.Date or "2025-06-01".
func date(v any) (string, error) {
	switch d := v.(type) {
	case report.Date:
		if d.IsZero() {
			return dash, nil
		}
		return d.Chinese(), nil
	case string:
		var p report.Date
		if err := p.UnmarshalText([]byte(d)); err != nil {
			return "", fmt.Errorf("“%s”不是日期（应像 2025-06-01）", d)
		}
		return date(p)
	}
	return "", fmt.Errorf("date 后面要写日期数据，如 {{date .IssueDate}}")
}

func monthOf(v any) (report.Month, error) {
	switch m := v.(type) {
	case report.Month:
		return m, nil
	case string:
		return report.ParseMonth(m)
	}
	return report.Month{}, fmt.Errorf("这里要写月份数据，如 .Month、.PrevMonth")
}

// month prints 2025年5月; it takes a report.Month or "2025-05".
func month(v any) (string, error) {
	m, err := monthOf(v)
	if err != nil {
		return "", err
	}
	return m.Chinese(), nil
}

// mon prints the month without its year: 5月.
func mon(v any) (string, error) {
	m, err := monthOf(v)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d月", int(m.Month)), nil
}

// months prints a list of months without their year: 3月、5月.
func months(list []report.Month) string {
	out := make([]string, len(list))
	for i, m := range list {
		out[i] = fmt.Sprintf("%d月", int(m.Month))
	}
	return strings.Join(out, "、")
}

// half prints 2025年上半年; it takes a report.Half or "2025-H1".
func half(v any) (string, error) {
	switch h := v.(type) {
	case report.Half:
		return h.Chinese(), nil
	case string:
		p, err := report.ParseHalf(h)
		if err != nil {
			return "", err
		}
		return p.Chinese(), nil
	}
	return "", fmt.Errorf("half 后面要写半年数据，如 {{half .Half}}")
}

// join joins names with the enumeration comma: 甲、乙、丙.
func join(list any) (string, error) {
	s, err := stringsOf(list)
	return strings.Join(s, "、"), err
}

// names prints at most limit names and, when there are more, the total with
// its unit: names 2 "个中队" [甲 乙 丙] is "甲、乙等3个中队". Up to limit
// names are all printed; a limit of 0 or less prints every name.
func names(limit int, unit string, list any) (string, error) {
	s, err := stringsOf(list)
	if err != nil {
		return "", err
	}
	if limit <= 0 || len(s) <= limit {
		return strings.Join(s, "、"), nil
	}
	return fmt.Sprintf("%s等%d%s", strings.Join(s[:limit], "、"), len(s), unit), nil
}

// counts prints named counts with a unit: 文书不规范5件、证据不足3件.
func counts(list []report.Count, unit string) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = fmt.Sprintf("%s%d%s", c.Name, c.Count, unit)
	}
	return strings.Join(out, "、")
}

// count is the number of elements of a list; 0 for nil.
func count(list any) (int, error) {
	v, err := listValue("count", list)
	if err != nil || !v.IsValid() {
		return 0, err
	}
	return v.Len(), nil
}

// top is the first n elements of a list (all of them when fewer), and
// those after the nth tied with it: of four squads with the same count,
// naming three would name a squad for what another escapes.
func top(n int, list any) (any, error) {
	v, err := listValue("top", list)
	if err != nil || !v.IsValid() {
		return list, err
	}
	end := min(max(n, 0), v.Len())
	for end > 0 && end < v.Len() && tied(v.Index(end-1), v.Index(end)) {
		end++
	}
	return v.Slice(0, end).Interface(), nil
}

// last is the last n elements of a list (all of them when fewer), and
// those before tied with the first of them, as top.
func last(n int, list any) (any, error) {
	v, err := listValue("last", list)
	if err != nil || !v.IsValid() {
		return list, err
	}
	start := max(v.Len()-max(n, 0), 0)
	for start > 0 && start < v.Len() && tied(v.Index(start), v.Index(start-1)) {
		start--
	}
	return v.Slice(start, v.Len()).Interface(), nil
}

// tied tells whether two elements of a ranked list rank alike: equal
// Count fields (report.Count), or equal Score fields (a squad's score).
// Elements with neither never tie.
func tied(a, b reflect.Value) bool {
	for _, name := range []string{"Count", "Score"} {
		fa, fb := fieldOf(a, name), fieldOf(b, name)
		if fa.IsValid() && fb.IsValid() {
			return fa.Equal(fb)
		}
	}
	return false
}

// fieldOf is the field name of v, a struct or a pointer to one; the zero
// Value when there is none.
func fieldOf(v reflect.Value, name string) reflect.Value {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}
	}
	return v.FieldByName(name)
}

// listValue is the slice or array in list; the invalid Value for nil.
func listValue(fn string, list any) (reflect.Value, error) {
	v := reflect.ValueOf(list)
	if !v.IsValid() {
		return v, nil
	}
	if k := v.Kind(); k != reflect.Slice && k != reflect.Array {
		return reflect.Value{}, fmt.Errorf("%s 后面要写一个列表（如 .Squads、.Unmet），这里写的不是", fn)
	}
	return v, nil
}

func stringsOf(list any) ([]string, error) {
	switch s := list.(type) {
	case nil:
		return nil, nil
	case []string:
		return s, nil
	}
	return nil, fmt.Errorf("这里要写一个名单（如 .Squads、.Departments、.Unmet.Names），写的不是")
}

// rateOf reads a share: a quota's rate, with its target, or a plain
// number; ok is false for a nil pointer (no value).
func rateOf(v any) (r report.Rate, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return r, false, nil
	case *report.Rate:
		if x == nil {
			return r, false, nil
		}
		return *x, true, nil
	case report.Rate:
		return x, true, nil
	case *float64:
		if x == nil {
			return r, false, nil
		}
		return report.Rate{Share: *x}, true, nil
	case float64:
		return report.Rate{Share: x}, true, nil
	case int:
		return report.Rate{Share: float64(x)}, true, nil
	}
	return r, false, fmt.Errorf("这里要写一个数字（如 .Value、.Numerator），写的不是")
}
