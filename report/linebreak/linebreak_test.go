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
		{"7月1—5、8日", []string{"7", "月", "1—5", "、", "8", "日"}},
		{"1——2", []string{"1", "——", "2"}},
		{"２０２５年", []string{"２０２５", "年"}},
		{"共37件。", []string{"共", "37", "件", "。"}},
	}
	for _, tt := range tests {
		if got := Units(tt.text); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Units(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestBalanced breaks the texts of table cells: as many lines as Lines
// needs, of even widths, IDs and dates whole when they fit.
func TestBalanced(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"no single character on the last line", "执法责任制", 4, []string{"执法责", "任制"}},
		{"squad name balanced", "共和新路中队", 5, []string{"共和新", "路中队"}},
		{"one line stays one line", "共和新路中队", 6, []string{"共和新路中队"}},
		{"ID whole on its own line", "编号JC2025020006", 7, []string{"编号", "JC2025020006"}},
		{"ID with the character after it", "案件JC2025020006号", 7, []string{"案件", "JC2025020006号"}},
		{"date wider than the cell broken after a dash", "2025-13-45", 4.5, []string{"2025-", "13-45"}},
		{"path broken after slashes", "/tmp/pdfdemo/data/2025-03/案件.xlsx", 8,
			[]string{"/tmp/pdfdemo/", "data/2025-03/", "案件.xlsx"}},
		{"ID without separators split evenly", "JC2025020006", 4, []string{"JC2025", "020006"}},
		// "（诉）" is 3 wide: it cannot be broken by the 禁则, and its outer
		// brackets squeezed make it 2.
		{"brackets squeezed rather than broken", "重要案（诉）件", 2.5, []string{"重要", "案", "（诉）", "件"}},
		{"brackets whole when the cell allows", "重要案（诉）件", 4, []string{"重要案", "（诉）件"}},
		{"items of a list whole", "案件审理科、执法监督科、拆违专班", 12,
			[]string{"案件审理科、", "执法监督科、拆违专班"}},
		{"squads of a list whole", "江宁路中队、南京西路中队、静安寺中队、曹家渡中队", 13,
			[]string{"江宁路中队、南京西路中队、", "静安寺中队、曹家渡中队"}},
		{"dates of a list whole", "1月6日、1月13日、1月30日、2月5日、2月18日", 10,
			[]string{"1月6日、1月13日、", "1月30日、2月5日、", "2月18日"}},
		{"phrase after a colon", "日期不存在：2025-13-45", 8, []string{"日期不存在：", "2025-13-45"}},
		// Kept whole, the items would take six lines, not four.
		{"items broken rather than a line more", "江宁路中队、曹家渡中队、临汾路中队、宝山路中队、大宁路中队、彭浦镇中队", 10,
			[]string{"江宁路中队、曹家渡", "中队、临汾路中队、", "宝山路中队、大宁路", "中队、彭浦镇中队"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Balanced(tt.text, tt.width, cells)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Balanced(%q, %v) = %q, want %q", tt.text, tt.width, got, tt.want)
			}
		})
	}
}

// TestCellRules breaks the cell texts of the bulletin's tables at every
// width from two characters up and checks, on every line: the 禁则, the
// width (squeezed punctuation counted as Squeeze says), every piece that
// fits a line whole (a Latin word or number with the punctuation the 禁则
// glue to it), as many lines as Lines, and no character lost.
func TestCellRules(t *testing.T) {
	texts := []string{"重要案（诉）件", "案卷合格率（30分）", "异常案件（每百件）（10分）", "共和新路中队",
		"JC2025020006", "检查日期2025-05-31", "/tmp/pdfdemo/data/2025-03/案件.xlsx", "日期不存在：2025-13-45",
		"1月6日、1月10日、2月28日、3月3日、3月17日", "未知中队：外滩中队", "江宁路中队、南京西路中队、静安寺中队", "《执法监督工作方案》第3条", "整改率为12.5%，较上月"}
	for _, text := range texts {
		var pieces []string // those with a word or number
		for _, a := range atoms(Units(text)) {
			if strings.ContainsFunc(a, func(r rune) bool { return r < 0x80 }) {
				pieces = append(pieces, a)
			}
		}
		for width := 2.0; width <= 16; width += 0.25 {
			lines := Balanced(text, width, cells)
			if n := len(Lines(text, width, cells)); len(lines) != n {
				t.Errorf("%q at %v: %d balanced lines %q, Lines makes %d", text, width, len(lines), lines, n)
			}
			if strings.Join(lines, "") != text {
				t.Fatalf("%q at %v: lines %q do not join back to the text", text, width, lines)
			}
			for i, l := range lines {
				first, _ := utf8.DecodeRuneInString(l)
				last, _ := utf8.DecodeLastRuneInString(l)
				if i > 0 && strings.ContainsRune(noStart, first) {
					t.Errorf("%q at %v: line %d of %q starts with %q", text, width, i, lines, first)
				}
				if i < len(lines)-1 && strings.ContainsRune(noEnd, last) {
					t.Errorf("%q at %v: line %d of %q ends with %q", text, width, i, lines, last)
				}
				if start, end := Squeeze(l, cells); cells(l)-start-end > width {
					t.Errorf("%q at %v: line %q is %v wide, squeezed %v", text, width, l, cells(l), cells(l)-start-end)
				}
			}
			for _, p := range pieces {
				if start, end := Squeeze(p, cells); cells(p)-start-end > width {
					continue
				}
				whole := false
				for _, l := range lines {
					whole = whole || strings.Contains(l, p)
				}
				if !whole {
					t.Errorf("%q at %v: %q fits a line but is broken: %q", text, width, p, lines)
				}
			}
		}
	}
}

func TestSqueeze(t *testing.T) {
	tests := []struct {
		line       string
		start, end float64
	}{
		{"（诉）", 0.5, 0.5},
		{"诉）", 0, 0.5},
		{"《月报", 0.5, 0},
		{"件。", 0, 0.5},
		{"诉件", 0, 0},
		{"“引”", 0, 0}, // shared with Latin fonts, which draw them narrow
		{"(a)", 0, 0},
		{"", 0, 0},
	}
	for _, tt := range tests {
		if start, end := Squeeze(tt.line, cells); start != tt.start || end != tt.end {
			t.Errorf("Squeeze(%q) = %v, %v, want %v, %v", tt.line, start, end, tt.start, tt.end)
		}
	}
}

func TestParagraph(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		first, rest float64
		want        []string
	}{
		// Lines pushes "五，" down and leaves a gap; squeezed, the comma
		// gives the half a character the line lacks.
		{"squeezed rather than pushed", "一二三四五，六七八九十一", 5.5, 6,
			[]string{"一二三四五，", "六七八九十一"}},
		// "十。" alone is too short a last line: squeezed into the line
		// before, its full stop and comma give the room.
		{"short last line squeezed up", "一二三，五六七八九十。", 10, 10,
			[]string{"一二三，五六七八九十。"}},
		// No punctuation to squeeze: characters are taken down instead.
		{"short last line filled from above", "一二三四五六七八九十一二", 5, 5,
			[]string{"一二三四五", "六七八九", "十一二"}},
		{"indented first line of two", "一二三四五六七", 4, 6,
			[]string{"一二三四", "五六七"}},
		{"a last line of three stays", "一二三四五六七八", 5, 5,
			[]string{"一二三四五", "六七八"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Paragraph(tt.text, tt.first, tt.rest, cells)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Paragraph(%q) = %q, want %q", tt.text, got, tt.want)
			}
			for i, l := range got {
				width := tt.rest
				if i == 0 {
					width = tt.first
				}
				if over := cells(l) - Squeezable(l, cells) - width; over > 1e-9 {
					t.Errorf("line %q is %.2f wider than its measure, squeezed", l, over)
				}
			}
		})
	}
}

func TestTitleKeepsWordsWhole(t *testing.T) {
	title := "静安区城管执法局2025年上半年行政执法全过程记录制度执行情况自查报告"
	words := []string{"静安区", "城管执法局", "上半年", "行政执法", "全过程记录", "制度", "执行情况", "自查报告"}
	for _, width := range []float64{14, 16, 18, 20} {
		lines := Title(title, words, width, cells)
		if strings.Join(lines, "") != title {
			t.Fatalf("width %v: lines %q lose text", width, lines)
		}
		at := 0
		for _, l := range lines[:len(lines)-1] {
			at += len(l)
			for _, w := range words {
				for k := strings.Index(title, w); k >= 0; k = -1 {
					if k < at && at < k+len(w) {
						t.Errorf("width %v: %q broken inside %q: %q", width, title, w, lines)
					}
				}
			}
		}
		if len(lines) != len(Balanced(title, width, cells)) {
			t.Errorf("width %v: whole words took more lines: %q", width, lines)
		}
	}
}
