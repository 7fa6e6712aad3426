package linebreak

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// cells measures like a monospaced CJK font: a full-width character is one
// cell, an ASCII character half a cell.
func cells(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

func TestLines(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"between any two characters", "一二三四五六七八九十", 4,
			[]string{"一二三四", "五六七八", "九十"}},
		// Without the rule the second line would start with "，": the
		// character before it is pushed down with it.
		{"comma may not start a line", "一二三四五，六七", 5,
			[]string{"一二三四", "五，六七"}},
		{"full stop and closing quote together", "一二三四五。”六", 5,
			[]string{"一二三四", "五。”六"}},
		{"opening bracket may not end a line", "一二三四（五）六", 5,
			[]string{"一二三四", "（五）六"}},
		{"title marks", "一二三《四五》", 4,
			[]string{"一二三", "《四五》"}},
		{"half-width comma", "一二三四五,六七", 5,
			[]string{"一二三四", "五,六七"}},
		{"full-width percent", "完成率达到百分之10％以上", 9,
			[]string{"完成率达到百分之", "10％以上"}},
		{"number with decimals and percent kept whole", "完成率为12.5%，较上月", 6,
			[]string{"完成率为", "12.5%，较上", "月"}},
		{"year digits kept together", "截至2025年5月底", 3,
			[]string{"截至", "2025年", "5月底"}},
		{"latin words break at spaces", "字体 Noto Sans SC 可用", 5,
			[]string{"字体 Noto", "Sans SC 可", "用"}},
		{"word wider than the line is broken", "见https://example.gov.cn/x", 4,
			[]string{"见", "https://", "example.", "gov.cn/x"}},
		{"line feed forces a break", "一二\n三四五六七", 3,
			[]string{"一二", "三四五", "六七"}},
		{"spaces at line ends dropped", "一二三 四五", 3,
			[]string{"一二三", "四五"}},
		{"date and time", "于2025-05-31 10:30前报送", 6,
			[]string{"于2025-05-31", "10:30前报送"}},
		{"empty text is one empty line", "", 5, []string{""}},
		{"narrow cell: one character a line at least", "一，二", 0.5,
			[]string{"一", "，", "二"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines(tt.text, tt.width, cells)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lines(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

func TestIndentedFirstLine(t *testing.T) {
	got := Indented("一二三四五六七八九十", 3, 5, cells)
	want := []string{"一二三", "四五六七八", "九十"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Indented = %q, want %q", got, want)
	}
}

// TestParagraphRules breaks a realistic paragraph at every width and checks
// the 禁则 and the width on every line, and that no character is lost.
func TestParagraphRules(t *testing.T) {
	text := "本月，区局共抽查案卷37件，占上月办结案件的12.5%（目标10%），覆盖江宁路中队、" +
		"石门二路中队等3个中队；发现问题5个，已整改4个。《月报》所附表格见附件。"
	// From 4 up every atom fits a line, so the rules hold without exception.
	for width := 4.0; width <= 30; width++ {
		lines := Lines(text, width, cells)
		if strings.Join(lines, "") != text {
			t.Fatalf("width %v: lines %q do not join back to the text", width, lines)
		}
		for i, l := range lines {
			first, _ := utf8.DecodeRuneInString(l)
			last, _ := utf8.DecodeLastRuneInString(l)
			if i > 0 && strings.ContainsRune(noStart, first) {
				t.Errorf("width %v: line %d %q starts with %q", width, i, l, first)
			}
			if i < len(lines)-1 && strings.ContainsRune(noEnd, last) {
				t.Errorf("width %v: line %d %q ends with %q", width, i, l, last)
			}
			if cells(l) > width {
				t.Errorf("width %v: line %d %q is %v wide", width, i, l, cells(l))
			}
		}
	}
}

func TestUnits(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"完成率12.5%", []string{"完", "成", "率", "12.5%"}},
		{"GB/T 9704", []string{"GB/T", " ", "9704"}},
		{"同比-3.2个百分点", []string{"同", "比", "-3.2", "个", "百", "分", "点"}},
		{"达10％，", []string{"达", "10％", "，"}},
		{"说明——见……", []string{"说", "明", "——", "见", "……"}},
		{"２０２５年", []string{"２０２５", "年"}},
		{"共37件。", []string{"共", "37", "件", "。"}},
	}
	for _, tt := range tests {
		if got := Units(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Units(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
