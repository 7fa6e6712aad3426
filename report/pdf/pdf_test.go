package pdf_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/pdf"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the rendered PDFs")

// fonts are the project's default fonts, as config.toml names them.
var fonts = report.Fonts{
	Title:      "../../fonts/NotoSerifSC-Bold.ttf",
	Heading:    "../../fonts/NotoSansSC-Regular.ttf",
	Subheading: "../../fonts/gkai00mp.ttf",
	Body:       "../../fonts/gbsn00lp.ttf",
}

var squads = []string{"江宁路中队", "石门二路中队", "南京西路中队", "静安寺中队", "曹家渡中队",
	"天目西路中队", "北站中队", "宝山路中队", "芷江西路中队", "共和新路中队", "大宁路中队",
	"彭浦新村中队", "临汾路中队", "彭浦镇中队", "机动中队"}

var sections = []string{"一、本月执法监督工作概况", "二、主要任务完成情况", "三、各中队监督覆盖情况",
	"四、案卷质量", "五、发现问题及整改情况", "六、重要案（诉）件", "七、中队评价", "八、下月工作提示"}

// kinsoku is a paragraph whose 27th character, counting the two of the
// indent, is a comma: set naively, the second line would start with "，".
var kinsoku = strings.Repeat("管", 26) + "，此段用于检验标点禁则，逗号不得出现在行首。"

func paragraph(n int) report.Block {
	return report.Block{Kind: report.Paragraph, Text: fmt.Sprintf(
		"本月，区局共抽查案卷%d件，占上月办结案件的12.5%%（目标10%%），覆盖江宁路中队、石门二路中队等%d个中队；"+
			"发现问题%d个，已整改%d个，整改率为%.1f%%。各中队应对照《2025年度执法监督工作方案》，"+
			"于2025年6月5日前报送整改情况。", 30+n, 3+n%10, 5+n, 4+n, 80+float64(n)/2)}
}

// chartPNG draws a bar chart of w×h pixels with a band of noise where the
// labels would be, so that it weighs at least what a real chart weighs.
func chartPNG(w, h, bars int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.White)
		}
	}
	for i := 0; i < bars; i++ {
		top := h/8 + (i*37)%(h/2)
		for y := top; y < h-h/10; y++ {
			for x := w/12 + i*(w*10/12)/bars + 4; x < w/12+(i+1)*(w*10/12)/bars-4; x++ {
				shade := uint8(40 + 25*(i%4))
				if (x+y)%7 == 0 { // hatching, for black-and-white printers
					shade = 255
				}
				img.Set(x, y, color.RGBA{shade, shade, shade, 255})
			}
		}
	}
	noise := uint32(1)
	for y := h - h/12; y < h; y++ {
		for x := 0; x < w; x++ {
			noise = noise*1664525 + 1013904223
			g := uint8(noise >> 24)
			img.Set(x, y, color.RGBA{g, g, g, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// bulletin builds a monthly bulletin with every kind of block; rows is the
// length of the long annex table, charts the number of charts.
func bulletin(rows, charts int) (report.Document, map[string][]byte) {
	images := map[string][]byte{}
	quota := &report.Table{Sheet: "任务完成情况", Caption: "表1 主要任务完成情况",
		Columns: []report.Column{{Title: "序号", Width: 1, Align: report.AlignCenter},
			{Title: "指标", Width: 5}, {Title: "目标", Width: 1.5, Align: report.AlignRight},
			{Title: "实际", Width: 1.5, Align: report.AlignRight}, {Title: "状态", Width: 1.5, Align: report.AlignCenter},
			{Title: "责任科室", Width: 3}}}
	for i := 1; i <= 22; i++ {
		quota.Rows = append(quota.Rows, []report.Cell{{Text: strconv.Itoa(i)},
			{Text: fmt.Sprintf("指标%02d：案卷抽查中队覆盖率（月度）", i)}, {Text: "20%"},
			{Text: fmt.Sprintf("%.1f%%", 10+float64(i)*3.7)}, {Text: "未完成", Emphasis: i%5 == 0},
			{Text: "案件审理科、执法监督科、拆违专班"}})
	}
	matrix := &report.Table{Sheet: "中队覆盖", Caption: "表2 各中队监督覆盖情况（本月/上半年）",
		Columns: []report.Column{{Title: "中队", Width: 2.2}}}
	for _, item := range []string{"依法行政", "公示制度", "全过程记录", "重大法核", "执法责任制", "执法实效", "队伍建设"} {
		matrix.Columns = append(matrix.Columns, report.Column{Title: item, Width: 1, Align: report.AlignCenter})
	}
	for i, s := range squads {
		cells := []report.Cell{{Text: s}}
		for j := 1; j < len(matrix.Columns); j++ {
			cells = append(cells, report.Cell{Text: []string{"√/√", "—/√", "√/—"}[(i+j)%3]})
		}
		matrix.Rows = append(matrix.Rows, cells)
	}
	long := &report.Table{Sheet: "评价指标", Caption: "中队评价指标及得分",
		Columns: []report.Column{{Title: "中队", Width: 2}, {Title: "评价指标", Width: 4},
			{Title: "得分", Width: 1, Align: report.AlignRight}},
		Total: []report.Cell{{Text: "合计"}, {Text: ""}, {Text: "1234.5"}}}
	for i := 1; i <= rows; i++ {
		long.Rows = append(long.Rows, []report.Cell{{Text: squads[i%len(squads)]},
			{Text: fmt.Sprintf("评价行%03d 案卷合格率、问题按期整改率", i)}, {Text: fmt.Sprintf("%.1f", float64(i)*1.5)}})
	}

	var blocks []report.Block
	chart := 0
	addChart := func() {
		if chart >= charts {
			return
		}
		chart++
		id := fmt.Sprintf("chart%d", chart)
		images[id] = chartPNG(1228, 630, 8)
		blocks = append(blocks, report.Block{Kind: report.ChartBlock, Chart: &report.Chart{
			ID: id, Title: "图" + strconv.Itoa(chart), Unit: "%", Kind: report.BarChart, WidthMM: 156, HeightMM: 80}})
	}
	for i, s := range sections {
		blocks = append(blocks, report.Block{Kind: report.Heading1, Text: s})
		switch i {
		case 0:
			blocks = append(blocks, paragraph(i), report.Block{Kind: report.Paragraph, Text: kinsoku})
			addChart()
		case 1:
			blocks = append(blocks, report.Block{Kind: report.TableBlock, Table: quota},
				report.Block{Kind: report.Note, Text: "注：加粗者为未完成的指标；“—”表示本月无须考核。"})
			addChart()
		case 2:
			blocks = append(blocks, report.Block{Kind: report.TableBlock, Table: matrix})
			addChart()
		default:
			blocks = append(blocks, report.Block{Kind: report.Heading2, Text: "（一）总体情况"}, paragraph(i),
				report.Block{Kind: report.Heading2, Text: "（二）存在问题"}, paragraph(i+10))
			addChart()
		}
	}
	doc := report.Document{
		FileName: "静安城市管理执法工作月报-2025年05月",
		Kind:     "bulletin",
		Masthead: &report.Masthead{Name: "静安城市管理执法工作月报", Issue: "第5期",
			Office: "上海市静安区城市管理行政执法局 编", Date: "2025年6月1日"},
		Title:  "2025年5月执法监督工作情况",
		Blocks: blocks,
		Annexes: []report.Annex{{Label: "附件1", Title: "中队评价指标及得分",
			Blocks: []report.Block{{Kind: report.TableBlock, Table: long}}}},
		Colophon: &report.Colophon{Lines: []report.ColophonLine{{Label: "报", Text: "市城管执法局执法监督处"},
			{Label: "送", Text: "区司法局"}, {Label: "发", Text: "各科室、各中队"}},
			PrintedBy: "静安区城管执法局综合科", Date: "2025年6月1日"},
	}
	return doc, images
}

// tool returns the path of a poppler tool; without it the test is skipped,
// or fails on CI.
func tool(t testing.TB, name string) string {
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required on CI (poppler-utils): %v", name, err)
		}
		t.Skipf("%s not installed (poppler-utils)", name)
	}
	return path
}

func run(t testing.TB, name string, args ...string) string {
	out, err := exec.Command(tool(t, name), args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

func renderFile(t testing.TB, doc report.Document, images map[string][]byte) string {
	t.Helper()
	out, err := pdf.Render(doc, fonts, images)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	dir := t.TempDir()
	// PDF_KEEP=/some/dir keeps the PDFs for a look: pdftoppm -r 70 -png F.pdf page
	if keep := os.Getenv("PDF_KEEP"); keep != "" {
		dir = keep
	}
	path := filepath.Join(dir, doc.FileName+".pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// pages returns the text of each page, as pdftotext -layout lays it out.
func pages(t testing.TB, path string) []string {
	ps := strings.Split(run(t, "pdftotext", "-layout", path, "-"), "\f")
	return ps[:len(ps)-1] // the text ends with a form feed
}

// squeeze drops the spaces pdftotext puts between spaced-out characters.
func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }

func TestBulletin(t *testing.T) {
	doc, images := bulletin(60, 3)
	path := renderFile(t, doc, images)
	ps := pages(t, path)
	if len(ps) < 9 || len(ps) > 12 {
		t.Errorf("%d pages, want 9 to 12", len(ps))
	}

	t.Run("masthead on page 1", func(t *testing.T) {
		first := squeeze(ps[0])
		for _, s := range []string{"静安城市管理执法工作月报", "第5期", "上海市静安区城市管理行政执法局编2025年6月1日", "2025年5月执法监督工作情况"} {
			if !strings.Contains(first, s) {
				t.Errorf("page 1 lacks %q:\n%s", s, ps[0])
			}
		}
	})

	t.Run("headings in order", func(t *testing.T) {
		all := squeeze(strings.Join(ps, ""))
		at := 0
		for _, s := range sections {
			i := strings.Index(all[at:], s)
			if i < 0 {
				t.Fatalf("heading %q missing or out of order", s)
			}
			at += i
		}
	})

	t.Run("table header on every page of a long table", func(t *testing.T) {
		var reached []int
		seen := map[string]int{}
		for n, p := range ps {
			rows := regexp.MustCompile(`评价行\d{3}`).FindAllString(p, -1)
			for _, r := range rows {
				seen[r]++
			}
			if len(rows) == 0 {
				continue
			}
			reached = append(reached, n+1)
			if !strings.Contains(squeeze(p), "中队评价指标得分") {
				t.Errorf("page %d has rows of the long table but no header:\n%s", n+1, p)
			}
		}
		if len(reached) < 2 {
			t.Errorf("long table on pages %v, want it to cross a page", reached)
		}
		for i := 1; i <= 60; i++ {
			if r := fmt.Sprintf("评价行%03d", i); seen[r] != 1 {
				t.Errorf("%s printed %d times, want once", r, seen[r])
			}
		}
	})

	t.Run("no line starts with closing punctuation", func(t *testing.T) {
		for n, p := range ps {
			for _, l := range strings.Split(p, "\n") {
				if l = strings.TrimSpace(l); l != "" && strings.ContainsRune("，。、；：？！）》」』％", []rune(l)[0]) {
					t.Errorf("page %d: line starts with punctuation: %q", n+1, l)
				}
			}
		}
		// The comma after the 26th 管 went to the second line with the
		// character before it: 25 on the first line, "管，" opening the second.
		text := squeeze(ps[0])
		if !strings.Contains(ps[0], strings.Repeat("管", 25)+"\n") && !strings.Contains(text, strings.Repeat("管", 25)+"管，此段") {
			t.Errorf("kinsoku paragraph not found on page 1:\n%s", ps[0])
		}
		for _, l := range strings.Split(ps[0], "\n") {
			if strings.Contains(l, "此段用于检验") && !strings.HasPrefix(strings.TrimSpace(l), "管，此段") {
				t.Errorf("second line of the kinsoku paragraph is %q, want it to start with 管，", l)
			}
		}
	})

	t.Run("page numbers odd right, even left", func(t *testing.T) {
		for n, pos := range folios(t, path) {
			if pos.text != fmt.Sprintf("—%d—", n+1) {
				t.Errorf("page %d: page number %q", n+1, pos.text)
				continue
			}
			// The 版心 runs from 28 to 184 mm; a 14 pt character is 4.9 mm.
			left, right := 28+4.9, 184-4.9
			if (n+1)%2 == 1 && !near(pos.xMax, right) {
				t.Errorf("page %d (odd): page number ends at %.1f mm, want %.1f", n+1, pos.xMax, right)
			}
			if (n+1)%2 == 0 && !near(pos.xMin, left) {
				t.Errorf("page %d (even): page number starts at %.1f mm, want %.1f", n+1, pos.xMin, left)
			}
			// Its top 7 mm below the 版心, which ends 262 mm from the top.
			if pos.yMin < 262+5 || pos.yMin > 262+9 {
				t.Errorf("page %d: page number top at %.1f mm, want about 269", n+1, pos.yMin)
			}
		}
	})

	t.Run("colophon at the foot of the last page", func(t *testing.T) {
		last := squeeze(ps[len(ps)-1])
		for _, s := range []string{"报：市城管执法局执法监督处", "送：区司法局", "发：各科室、各中队", "静安区城管执法局综合科2025年6月1日印发"} {
			if !strings.Contains(last, s) {
				t.Errorf("last page lacks %q", s)
			}
		}
		var lines []string
		for _, l := range strings.Split(ps[len(ps)-1], "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if !strings.Contains(lines[len(lines)-2], "印发") {
			t.Errorf("印发 line is not the last before the page number: %q", lines[len(lines)-2:])
		}
	})

	t.Run("fonts embedded", func(t *testing.T) {
		out := run(t, "pdffonts", path)
		lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
		if len(lines) != 4 {
			t.Errorf("%d fonts, want the 4 roles:\n%s", len(lines), out)
		}
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) < 5 || f[len(f)-5] != "yes" {
				t.Errorf("font not embedded: %s", l)
			}
		}
	})

	t.Run("no heading at the foot of a page", func(t *testing.T) {
		for n, p := range ps {
			var lines []string
			for _, l := range strings.Split(p, "\n") {
				if strings.TrimSpace(l) != "" {
					lines = append(lines, strings.TrimSpace(l))
				}
			}
			if len(lines) < 2 {
				continue
			}
			last := lines[len(lines)-2] // the line above the page number
			for _, h := range append(sections, "（一）总体情况", "（二）存在问题") {
				if last == h {
					t.Errorf("page %d ends with heading %q", n+1, h)
				}
			}
		}
	})

	t.Run("each chart once, whole", func(t *testing.T) {
		// pdfimages -list: two header lines, then one line per image.
		list := strings.Split(strings.TrimSpace(run(t, "pdfimages", "-list", path)), "\n")[2:]
		if len(list) != len(images) {
			t.Errorf("%d images in the PDF, want the %d charts:\n%s", len(list), len(images), strings.Join(list, "\n"))
		}
	})

	t.Run("golden text", func(t *testing.T) {
		golden(t, "bulletin", run(t, "pdftotext", "-layout", path, "-"))
	})
}

func golden(t *testing.T, name, got string) {
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("text differs from %s at line %d:\n got %q\nwant %q\n(go test -update rewrites it after a deliberate change)", path, i+1, g, w)
			}
		}
	}
}

func near(a, b float64) bool { return a > b-0.8 && a < b+0.8 }

type box struct {
	text                   string
	xMin, xMax, yMin, yMax float64 // mm
}

// folios returns the page number of each page with its position, read from
// pdftotext -bbox: the words on the last line of the page.
func folios(t *testing.T, path string) []box {
	out := run(t, "pdftotext", "-bbox", path, "-")
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var res []box
	for _, pg := range strings.Split(out, "<page ")[1:] {
		var last box
		for _, m := range word.FindAllStringSubmatch(pg, -1) {
			v := make([]float64, 4)
			for i := range v {
				v[i], _ = strconv.ParseFloat(m[i+1], 64)
				v[i] *= 25.4 / 72
			}
			w := box{text: m[5], xMin: v[0], yMin: v[1], xMax: v[2], yMax: v[3]}
			switch {
			case w.yMin > last.yMin+1: // a lower line starts
				last = w
			case w.yMin > last.yMin-1: // the same line continues
				last.text += w.text
				last.xMin, last.xMax = min(last.xMin, w.xMin), max(last.xMax, w.xMax)
			}
		}
		res = append(res, last)
	}
	return res
}

func TestReport(t *testing.T) {
	long := &report.Table{Sheet: "检查情况", Columns: []report.Column{{Title: "中队", Width: 2},
		{Title: "检查次数", Width: 1, Align: report.AlignRight}, {Title: "发现问题", Width: 1, Align: report.AlignRight}}}
	for _, s := range squads {
		long.Rows = append(long.Rows, []report.Cell{{Text: s}, {Text: "3"}, {Text: "1"}})
	}
	doc := report.Document{
		FileName:      "自查报告",
		Kind:          "selfinspection",
		Title:         "静安区城管执法局2025年上半年行政执法公示制度执行情况自查报告",
		MainRecipient: "市局执法监督处",
		Blocks: []report.Block{{Kind: report.Heading1, Text: "一、基本情况"}, paragraph(1),
			{Kind: report.Heading1, Text: "二、发现的主要问题"}, paragraph(2)},
		Signature: &report.Signature{Office: "上海市静安区城市管理行政执法局", Date: "2025年7月5日"},
		Annexes:   []report.Annex{{Label: "附件1", Title: "各中队检查情况", Landscape: true, Blocks: []report.Block{{Kind: report.TableBlock, Table: long}}}},
	}
	path := renderFile(t, doc, nil)
	ps := pages(t, path)
	if len(ps) != 2 {
		t.Fatalf("%d pages, want 2 (the report, then the annex on a page of its own)", len(ps))
	}
	lines := strings.Split(ps[0], "\n")
	for i, l := range lines {
		if strings.Contains(l, "市局执法监督处") {
			if !strings.HasPrefix(l, "市局执法监督处：") {
				t.Errorf("主送 line %q is not flush left with a colon", l)
			}
			if i == 0 || !strings.Contains(squeeze(strings.Join(lines[:i], "")), "自查报告") {
				t.Errorf("主送 line is not under the title")
			}
		}
	}
	text := squeeze(ps[0])
	if !strings.HasSuffix(text, "上海市静安区城市管理行政执法局2025年7月5日—1—") {
		t.Errorf("page 1 does not end with the signature and date:\n%s", ps[0])
	}
	if !strings.HasPrefix(squeeze(ps[1]), "附件1各中队检查情况") {
		t.Errorf("annex page does not start with its label and title:\n%s", ps[1])
	}
}

// TestGrid checks the body grid of GB/T 9704: a page of plain text holds
// 22 lines of 28 characters.
func TestGrid(t *testing.T) {
	doc := report.Document{FileName: "版心", Title: "标题", Blocks: []report.Block{
		{Kind: report.Paragraph, Text: strings.Repeat("城市管理综合执法监督检查工作", 100)}}}
	ps := pages(t, renderFile(t, doc, nil))
	if len(ps) < 3 {
		t.Fatalf("%d pages, want at least 3", len(ps))
	}
	var lines []string
	for _, l := range strings.Split(ps[1], "\n") {
		if l = squeeze(l); l != "" && !strings.HasPrefix(l, "—") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 22 {
		t.Errorf("page 2 has %d lines, want 22:\n%s", len(lines), ps[1])
	}
	for i, l := range lines {
		if n := len([]rune(l)); n != 28 {
			t.Errorf("page 2 line %d has %d characters, want 28: %s", i+1, n, l)
		}
	}
}

func TestMissingGlyphs(t *testing.T) {
	doc := report.Document{FileName: "缺字", Title: "标题",
		Blocks: []report.Block{
			{Kind: report.Heading1, Text: "一、扩展B区𠀀字"},
			// 㐀 (U+3400) is in Noto Sans SC, the heading font, not in the
			// body's gbsn00lp: only the body reports it.
			{Kind: report.Heading1, Text: "二、㐀"},
			{Kind: report.Paragraph, Text: "表情😀与扩展A区㐀"},
		}}
	_, err := pdf.Render(doc, fonts, nil)
	if report.KindOf(err) != report.KindRender {
		t.Fatalf("Render error %v, want a render error", err)
	}
	var missing *pdf.MissingGlyphsError
	if !errors.As(err, &missing) {
		t.Fatalf("error %v is not a *MissingGlyphsError", err)
	}
	want := map[string]string{"NotoSansSC-Regular.ttf": "𠀀", "gbsn00lp.ttf": "😀㐀"}
	if len(missing.Fonts) != len(want) {
		t.Errorf("fonts with missing characters: %+v, want %v", missing.Fonts, want)
	}
	for _, m := range missing.Fonts {
		if string(m.Chars) != want[filepath.Base(m.Path)] {
			t.Errorf("%s misses %q, want %q", m.Path, string(m.Chars), want[filepath.Base(m.Path)])
		}
	}
	for _, s := range []string{"gbsn00lp.ttf", "fonts.body", "U+1F600", "U+3400", "U+20000", "fonts.heading"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
}

// TestStandIn prints a bullet and a check mark the body font lacks as the
// middle dot and the radical sign it has.
func TestStandIn(t *testing.T) {
	doc := report.Document{FileName: "代用", Title: "标题",
		Blocks: []report.Block{{Kind: report.Paragraph, Text: "甲•乙✓"}}}
	path := renderFile(t, doc, nil)
	if text := squeeze(strings.Join(pages(t, path), "")); !strings.Contains(text, "甲·乙√") {
		t.Errorf("text %q, want 甲·乙√", text)
	}
}

func TestFontErrors(t *testing.T) {
	dir := t.TempDir()
	cff := filepath.Join(dir, "cff.otf")
	ttc := filepath.Join(dir, "simsun.ttc")
	if err := os.WriteFile(cff, append([]byte("OTTO"), make([]byte, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ttc, append([]byte("ttcf"), make([]byte, 64)...), 0o644); err != nil {
		t.Fatal(err)
	}
	// A real font's table directory, and nothing of the tables it lists.
	body, err := os.ReadFile(fonts.Body)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.ttf")
	if err := os.WriteFile(cut, body[:12+16*(int(body[4])<<8|int(body[5]))], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing file", filepath.Join(dir, "none.ttf"), "找不到这个字体文件"},
		{"CFF outlines", cff, "CFF"},
		{"collection", ttc, ".ttc"},
		{"tables cut off", cut, "不是可用的 TrueType 字体"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fonts
			f.Subheading = tc.path
			_, err := pdf.New(f)
			if report.KindOf(err) != report.KindConfig {
				t.Fatalf("New: %v, want a configuration error", err)
			}
			for _, s := range []string{tc.path, "fonts.subheading", tc.want} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
		})
	}
}

// A font file that goes, or changes, between New and the document that
// embeds it stops the document with the file and its config key named,
// as at New: the font whose glyph map and widths were checked is the one
// printed.
func TestFontGoneBeforeRender(t *testing.T) {
	doc := report.Document{FileName: "字体", Title: "标题", Blocks: []report.Block{paragraph(1)}}
	for _, tc := range []struct {
		name   string
		change func(path string) error
		want   string
	}{
		{"removed", os.Remove, "被移走或改动"},
		{"cut short", func(path string) error { return os.Truncate(path, 1000) }, "被移走或改动"},
		{"replaced by a file of the same size", func(path string) error {
			other, err := os.ReadFile(fonts.Subheading)
			if err != nil {
				return err
			}
			info, err := os.Stat(path)
			if err != nil {
				return err
			}
			other = append(other, make([]byte, max(0, int(info.Size())-len(other)))...)
			return os.WriteFile(path, other[:info.Size()], 0o644)
		}, "被移走或改动"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := os.ReadFile(fonts.Body)
			if err != nil {
				t.Fatal(err)
			}
			f := fonts
			f.Body = filepath.Join(t.TempDir(), "body.ttf")
			if err := os.WriteFile(f.Body, data, 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := pdf.New(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := tc.change(f.Body); err != nil {
				t.Fatal(err)
			}
			_, err = r.Render(doc, nil)
			if report.KindOf(err) != report.KindConfig {
				t.Fatalf("Render: %v, want a configuration error", err)
			}
			for _, s := range []string{f.Body, "fonts.body", tc.want} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if _, err := r.BodyFont(); report.KindOf(err) != report.KindConfig {
				t.Errorf("BodyFont: %v, want a configuration error", err)
			}
		})
	}
}

// TestSharedFontFile embeds a font file named by two roles once.
func TestSharedFontFile(t *testing.T) {
	f := fonts
	f.Body = f.Subheading
	doc := report.Document{FileName: "共用字体", Title: "标题", Blocks: []report.Block{
		{Kind: report.Heading1, Text: "一、概况"}, {Kind: report.Heading2, Text: "（一）总体"}, paragraph(1)}}
	out, err := pdf.Render(doc, f, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "shared.pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	list := strings.Split(strings.TrimSpace(run(t, "pdffonts", path)), "\n")[2:]
	if len(list) != 3 {
		t.Errorf("%d fonts embedded, want 3 (title, heading, and the Kai shared by subheading and body):\n%s",
			len(list), strings.Join(list, "\n"))
	}
}

func TestChartErrors(t *testing.T) {
	r, err := pdf.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	deep := image.NewRGBA64(image.Rect(0, 0, 4, 4))
	deep.Set(1, 1, color.RGBA64{R: 0x1234, A: 0xffff})
	var b bytes.Buffer
	if err := png.Encode(&b, deep); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		images map[string][]byte
		want   string
	}{
		{"no image", nil, `no image for chart "c1"`},
		{"not a PNG", map[string][]byte{"c1": []byte("GIF89a.......................")}, "not a PNG"},
		{"16-bit PNG", map[string][]byte{"c1": b.Bytes()}, "16-bit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := report.Document{FileName: "图", Title: "标题", Blocks: []report.Block{
				{Kind: report.ChartBlock, Chart: &report.Chart{ID: "c1", Title: "图1"}}}}
			_, err := r.Render(doc, tc.images)
			if report.KindOf(err) != report.KindRender || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Render: %v, want a render error saying %q", err, tc.want)
			}
		})
	}
}

// TestScreenOnlyChartIsNotPrinted: a chart for the HTML edition only
// needs no image and takes no room on the page.
func TestScreenOnlyChartIsNotPrinted(t *testing.T) {
	r, err := pdf.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	doc := report.Document{FileName: "图", Title: "标题", Blocks: []report.Block{
		{Kind: report.Paragraph, Text: "正文。"},
		{Kind: report.ChartBlock, Chart: &report.Chart{ID: "c1", Title: "图1", HeightMM: 90}, ScreenOnly: true}}}
	pages, err := r.Layout(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		for _, b := range p.Bands {
			if b.Kind == pdf.BandChart {
				t.Errorf("a screen-only chart laid out on the page: %+v", b)
			}
		}
	}
	if _, err := r.Render(doc, nil); err != nil {
		t.Errorf("Render without the screen-only chart's image: %v", err)
	}
}

// BenchmarkRender renders a bulletin of about ten pages with six charts and
// reports the PDF's size.
func BenchmarkRender(b *testing.B) {
	doc, images := bulletin(20, 6)
	r, err := pdf.New(fonts)
	if err != nil {
		b.Fatal(err)
	}
	var out []byte
	for b.Loop() {
		if out, err = r.Render(doc, images); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(out)), "pdf-bytes")
	path := filepath.Join(b.TempDir(), "bench.pdf")
	if err := os.WriteFile(path, out, 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(pages(b, path))), "pages")
}

// TestNoBlankTrailingPage renders the demo's March 2025 bulletin, which
// maroto, left alone, closed with an empty page after the 版记: every page
// printed must carry its page number, the last one the 版记.
func TestNoBlankTrailingPage(t *testing.T) {
	doc, images := marchBulletin(t)
	ps := pages(t, renderFile(t, doc, images))
	for i, p := range ps {
		if !strings.Contains(p, fmt.Sprintf("— %d —", i+1)) {
			t.Errorf("page %d of %d has no page number: %.200q", i+1, len(ps), squeeze(p))
		}
	}
	if last := squeeze(ps[len(ps)-1]); !strings.Contains(last, "印发") {
		t.Errorf("the last page does not end with the 版记: %.200q", last)
	}
}

// TestTableKeep sets a table with a note below a paragraph of 10 to 21
// lines, so that the page's foot falls at every height of the table, and
// checks how the table breaks: its caption and header on the page of its
// first three rows, its last row never alone at the head of a page, the
// lines of the note on the page of the last row.
func TestTableKeep(t *testing.T) {
	type section struct {
		name string
		rows int
	}
	var sections []section
	var blocks []report.Block
	for lines := 10; lines <= 21; lines++ {
		for _, rows := range []int{6, 7} {
			s := section{fmt.Sprintf("S%02d%d", lines, rows), rows}
			sections = append(sections, s)
			tb := &report.Table{Sheet: s.name, Caption: "表" + s.name,
				Columns: []report.Column{{Title: "行", Width: 1}, {Title: "内容", Width: 3}}}
			for r := 1; r <= rows; r++ {
				tb.Rows = append(tb.Rows, []report.Cell{{Text: fmt.Sprintf("%sR%d", s.name, r)}, {Text: "检查情况"}})
			}
			// A paragraph of lines full lines: 28 characters each, the
			// first indented by two.
			blocks = append(blocks, report.Block{Kind: report.Paragraph, Text: strings.Repeat("管", 28*lines-2)},
				report.Block{Kind: report.TableBlock, Table: tb},
				report.Block{Kind: report.Note, Text: "注：1." + s.name + "的说明。\n2." + s.name + "的补充。"},
				report.Block{Kind: report.PageBreak})
		}
	}
	doc := report.Document{FileName: "表格不分离", Blocks: blocks}
	ps := pages(t, renderFile(t, doc, nil))
	// pageOf returns the indexes in ps of the pages that show s.
	pageOf := func(s string) []int {
		var on []int
		for n, p := range ps {
			if strings.Contains(p, s) {
				on = append(on, n)
			}
		}
		return on
	}
	moved, split := 0, 0
	for _, s := range sections {
		caption := pageOf("表" + s.name)
		if len(caption) != 1 {
			t.Fatalf("caption of %s on pages %v, want one", s.name, caption)
		}
		filler := caption[0]
		for n := caption[0]; n >= 0 && !strings.Contains(ps[n], "管"); n-- {
			filler = n - 1
		}
		if filler != caption[0] {
			moved++
		}
		for r := 1; r <= min(headRows, s.rows); r++ {
			if on := pageOf(fmt.Sprintf("%sR%d", s.name, r)); len(on) != 1 || on[0] != caption[0] {
				t.Errorf("%s: row %d on page index %v, the caption and header on %d:\n%s", s.name, r, on, caption[0], ps[caption[0]])
			}
		}
		last := pageOf(fmt.Sprintf("%sR%d", s.name, s.rows))
		before := pageOf(fmt.Sprintf("%sR%d", s.name, s.rows-1))
		if len(last) != 1 || len(before) != 1 {
			t.Fatalf("%s: last row on page index %v, the row before on %v, want each once", s.name, last, before)
		}
		if last[0] != before[0] {
			t.Errorf("%s: last row alone on page index %d:\n%s", s.name, last[0], ps[last[0]])
		}
		for _, n := range []string{"的说明", "的补充"} {
			if note := pageOf(s.name + n); len(note) != 1 || note[0] != last[0] {
				t.Errorf("%s: note line %s on page index %v, the last row on %d", s.name, n, note, last[0])
			}
		}
		if last[0] != caption[0] {
			split++
			if !strings.Contains(squeeze(ps[last[0]]), "行内容") {
				t.Errorf("%s: the page of the last rows has no header:\n%s", s.name, ps[last[0]])
			}
		}
	}
	// The sweep must have met both cases: a table that went whole to the
	// next page, and one broken across two.
	if moved == 0 || split == 0 {
		t.Errorf("%d tables moved to the next page, %d broken across pages; want some of each", moved, split)
	}
}

// headRows is how many body rows a table's caption and header keep with.
const headRows = 3

// TestNumbersStayWholeInNarrowColumns: the evaluation annex's fourteen
// columns share the 版心 by their weights, which leave a column of
// weight 1 narrower than "62.5%" or "15.63"; the column is widened to its
// number, at the cost of the columns wider than their text, and no
// number is broken across two lines.
func TestNumbersStayWholeInNarrowColumns(t *testing.T) {
	cols := []report.Column{{Title: "排名", Width: 0.6}, {Title: "中队", Width: 2.2}}
	for _, n := range []string{"案卷合格率", "问题按期整改率", "每周督察记录完整率", "诉件抽查履职到位率", "异常案件（每百件）"} {
		cols = append(cols, report.Column{Title: n, Width: 1, Align: report.AlignRight}, report.Column{Title: "得分（25分）", Width: 1, Align: report.AlignRight})
	}
	cols = append(cols, report.Column{Title: "综合得分", Width: 1}, report.Column{Title: "计分指标数", Width: 0.8})
	tb := &report.Table{Sheet: "评价", Caption: "中队评价指标及得分", Columns: cols}
	for i, s := range squads[:5] {
		tb.Rows = append(tb.Rows, []report.Cell{{Text: fmt.Sprint(i + 1)}, {Text: s}, {Text: "100%"}, {Text: "30"}, {Text: "62.5%"}, {Text: "15.63"},
			{Text: "100%"}, {Text: "20"}, {Text: "66.7%"}, {Text: "10"}, {Text: "5.17"}, {Text: "4.83"}, {Text: "89.8"}, {Text: "5"}})
	}
	doc := report.Document{FileName: "评价", Title: "标题", Blocks: []report.Block{{Kind: report.TableBlock, Table: tb}}}
	text := strings.Join(pages(t, renderFile(t, doc, nil)), "")
	for _, n := range []string{"62.5%", "15.63", "66.7%"} {
		if got := strings.Count(text, n); got != len(tb.Rows) {
			t.Errorf("%q printed whole %d times, want %d:\n%s", n, got, len(tb.Rows), text)
		}
	}
}

// TestMarksStayWholeInNarrowColumns: in the evaluation annex a measure
// with nothing to measure is marked in its value column (未抽查, 无到期问题)
// and its points column has "—"; the marks stand for numbers and are kept
// whole like them, on one line, and the squads' names still take no more
// than two lines (石门二 / 路中队, not 石门 / 二路 / 中队).
func TestMarksStayWholeInNarrowColumns(t *testing.T) {
	cols := []report.Column{{Title: "排名", Width: 0.6, Align: report.AlignCenter}, {Title: "中队", Width: 2.2}}
	for _, n := range []string{"案卷合格率", "问题按期整改率", "每周督察记录完整率", "诉件抽查履职到位率", "异常案件（每百件）"} {
		cols = append(cols, report.Column{Title: n, Width: 1, Align: report.AlignRight}, report.Column{Title: "得分（25分）", Width: 1, Align: report.AlignRight})
	}
	cols = append(cols, report.Column{Title: "综合得分", Width: 1, Align: report.AlignRight}, report.Column{Title: "计分指标数", Width: 0.8, Align: report.AlignRight})
	tb := &report.Table{Sheet: "评价", Caption: "中队评价指标及得分", Columns: cols}
	mark := func(s string) report.Cell { return report.Cell{Text: s, Format: report.CellPercent, Empty: true} }
	dash := report.Cell{Text: "—", Format: report.CellDecimal, Empty: true}
	six := []string{"石门二路中队", "南京西路中队", "天目西路中队", "芷江西路中队", "共和新路中队", "彭浦新村中队"}
	for i, s := range six {
		tb.Rows = append(tb.Rows, []report.Cell{{Text: fmt.Sprint(i + 1)}, {Text: s}, mark("未抽查"), dash, mark("无到期问题"), dash,
			{Text: "83.3%"}, {Text: "16.67"}, mark("未抽查"), dash, {Text: "8.62"}, {Text: "1.38"}, {Text: "82.8"}, {Text: "3", Emphasis: true}})
	}
	doc := report.Document{FileName: "评价标记", Title: "标题", Blocks: []report.Block{{Kind: report.TableBlock, Table: tb}}}
	text := strings.Join(pages(t, renderFile(t, doc, nil)), "")
	for w, n := range map[string]int{"未抽查": 2 * len(six), "无到期问题": len(six), "16.67": len(six), "83.3%": len(six)} {
		if got := strings.Count(text, w); got != n {
			t.Errorf("%q printed whole %d times, want %d:\n%s", w, got, n, text)
		}
	}
	for _, s := range six {
		for _, half := range []string{s[:len(s)/2], s[len(s)/2:]} {
			if !strings.Contains(text, half) {
				t.Errorf("%s is not set in two lines of three (no %q):\n%s", s, half, text)
			}
		}
	}
}

// TestCellKinsoku sets headers too wide for their columns, two characters a
// line: "（诉）" can be broken nowhere by the 禁则 and is set whole, its
// brackets squeezed, never "（诉" over "）件".
func TestCellKinsoku(t *testing.T) {
	tb := &report.Table{Sheet: "窄列"}
	var row []report.Cell
	for range 6 {
		tb.Columns = append(tb.Columns, report.Column{Title: "重要案（诉）件", Width: 1, Align: report.AlignCenter},
			report.Column{Title: "共和新路中队", Width: 1})
		row = append(row, report.Cell{Text: "是"}, report.Cell{Text: "（一）"})
	}
	tb.Rows = [][]report.Cell{row}
	doc := report.Document{FileName: "窄列", Blocks: []report.Block{{Kind: report.TableBlock, Table: tb}}}
	text := pages(t, renderFile(t, doc, nil))[0]
	count := map[string]int{}
	for _, w := range strings.Fields(text) {
		count[w]++
		if strings.HasPrefix(w, "）") || strings.HasSuffix(w, "（") {
			t.Errorf("a cell line %q begins with a closing or ends with an opening bracket:\n%s", w, text)
		}
	}
	// Each pair of columns prints its lines: the bracketed pieces whole,
	// the squad name in lines of whole characters.
	for _, w := range []string{"（诉）", "（一）"} {
		if count[w] != 6 {
			t.Errorf("%q printed %d times, want 6:\n%s", w, count[w], text)
		}
	}
	if a, b := strings.Count(text, "共和"), strings.Count(text, "中队"); a != 6 || b != 6 {
		t.Errorf("the squad's first and last characters printed %d and %d times, want 6:\n%s", a, b, text)
	}
}

// TestTallTableAfterTitle sets an annex whose table's first three rows are
// together taller than a page: the label, title, caption, header and first
// rows share the annex's first page, as much as it holds, rather than each
// beginning a page of its own.
func TestTallTableAfterTitle(t *testing.T) {
	tb := &report.Table{Sheet: "检查日期", Caption: "各中队检查情况",
		Columns: []report.Column{{Title: "中队", Width: 1}, {Title: "检查日期", Width: 2}}}
	for _, s := range squads[:4] {
		var dates []string
		for d := 1; d <= 16; d++ {
			dates = append(dates, fmt.Sprintf("%d月%d日", d%6+7, d))
		}
		tb.Rows = append(tb.Rows, []report.Cell{{Text: s}, {Text: strings.Join(dates, "\n")}})
	}
	doc := report.Document{FileName: "高行", Title: "标题", Blocks: []report.Block{paragraph(1)},
		Annexes: []report.Annex{{Label: "附件", Title: "2025年下半年各中队全过程记录检查情况表",
			Blocks: []report.Block{{Kind: report.TableBlock, Table: tb}}}}}
	ps := pages(t, renderFile(t, doc, nil))
	if len(ps) < 3 {
		t.Fatalf("%d pages, want the report and at least two of annex", len(ps))
	}
	annex := squeeze(ps[1])
	for _, s := range []string{"附件", "2025年下半年各中队全过程记录检查情况表", "各中队检查情况", "中队检查日期", squads[0]} {
		if !strings.Contains(annex, s) {
			t.Errorf("the annex's first page lacks %q:\n%s", s, ps[1])
		}
	}
}

// TestRowTallerThanAPage: a cell holding a page and a half of text (a
// 问题描述 typed at length) runs on over the next page, under the repeated
// header, every character printed, and the rows after it follow.
func TestRowTallerThanAPage(t *testing.T) {
	long := "开头" + strings.Repeat("公示栏缺少执法人员信息，", 200) + "结尾"
	tb := &report.Table{Sheet: "问题", Caption: "发现的主要问题",
		Columns: []report.Column{{Title: "中队", Width: 1}, {Title: "问题描述", Width: 2}},
		Rows:    [][]report.Cell{{{Text: squads[0]}, {Text: long}}, {{Text: squads[1]}, {Text: "内务管理台账缺失"}}}}
	doc := report.Document{FileName: "长行", Title: "标题", Blocks: []report.Block{{Kind: report.TableBlock, Table: tb}}}
	ps := pages(t, renderFile(t, doc, nil))
	if len(ps) < 2 {
		t.Fatalf("%d pages, want the row to run over at least two", len(ps))
	}
	// The text in reading order, without the repeated header and the
	// folios that stand between a page's last line and the next's first.
	all := ""
	for i, p := range ps {
		text, found := strings.CutPrefix(squeeze(p), "续表中队问题描述")
		if !found && i > 0 {
			t.Errorf("page %d does not begin with 续表 and the table's header:\n%s", i+1, p)
		}
		if i == 0 {
			text = strings.Replace(text, "发现的主要问题中队问题描述", "", 1)
		}
		all += regexp.MustCompile(`—\d+—`).ReplaceAllString(text, "")
	}
	if got, want := strings.Count(all, "公示栏缺少执法人员信息"), 200; got != want {
		t.Errorf("the long cell's sentence printed %d times, want %d", got, want)
	}
	for _, s := range []string{"开头", "结尾", squads[1], "内务管理台账缺失"} {
		if !strings.Contains(all, s) {
			t.Errorf("%q not printed", s)
		}
	}
}

// TestAuditFindsFaults shows the layout checks at work on pages made by
// hand: each fault the typesetter avoids is caught when present.
func TestAuditFindsFaults(t *testing.T) {
	line := func(para, i, n int, text string) pdf.Band {
		return pdf.Band{Kind: pdf.BandLine, Height: 225.0 / 22, Para: para, Line: i, Lines: n, Text: text}
	}
	// full fills a page with lines of another paragraph after bands, the
	// 版记 kept last
	full := func(bands ...pdf.Band) pdf.Page {
		var tail []pdf.Band
		if n := len(bands); n > 0 && bands[n-1].Kind == pdf.BandColophon {
			bands, tail = bands[:n-1], bands[n-1:]
		}
		for len(bands) < 22 {
			bands = append(bands, line(99, 1, 3, "管管管"))
		}
		return pdf.Page{Bands: append(bands, tail...)}
	}
	row := func(table, r, n int) pdf.Band {
		return pdf.Band{Kind: pdf.BandRow, Height: 225.0 / 22, Table: table, Row: r, Rows: n}
	}
	colophon := pdf.Band{Kind: pdf.BandColophon, Height: 8.5}
	for _, tc := range []struct {
		name  string
		pages []pdf.Page
		want  string
	}{
		{"widow", []pdf.Page{{Bands: []pdf.Band{line(1, 0, 3, "一"), line(1, 1, 3, "二")}}, full(line(1, 2, 3, "三三三"), colophon)}, "widow"},
		{"orphan", []pdf.Page{{Bands: append(full().Bands[1:], line(1, 0, 3, "一"))}, full(line(1, 1, 3, "二"), line(1, 2, 3, "三三三"), colophon)}, "orphan"},
		{"short last line", []pdf.Page{full(line(1, 0, 2, "一"), line(1, 1, 2, "查。"), colophon)}, "line of 2 characters"},
		{"stretched", []pdf.Page{full(pdf.Band{Kind: pdf.BandLine, Height: 10, Lines: 1, Stretch: 0.3, Text: "松"}, colophon)}, "stretched"},
		{"empty page", []pdf.Page{{Bands: []pdf.Band{line(1, 0, 1, "一二三")}}, full(), full(colophon)}, "% empty"},
		{"table without 续表", []pdf.Page{{Bands: append(full().Bands[4:], row(1, 0, 8), row(1, 1, 8), row(1, 2, 8), row(1, 3, 8))},
			full(pdf.Band{Kind: pdf.BandHeader, Table: 1}, row(1, 4, 8), row(1, 5, 8), row(1, 6, 8), row(1, 7, 8), colophon)}, "without 续表"},
		{"two rows carried", []pdf.Page{{Bands: append(full().Bands[6:], row(1, 0, 8), row(1, 1, 8), row(1, 2, 8), row(1, 3, 8), row(1, 4, 8), row(1, 5, 8))},
			full(pdf.Band{Kind: pdf.BandContinued}, pdf.Band{Kind: pdf.BandHeader, Table: 1}, row(1, 6, 8), row(1, 7, 8), colophon)}, "6 rows before, 2 after"},
		{"title split", []pdf.Page{full(pdf.Band{Kind: pdf.BandTitle, Text: "公示制度执行情"}, pdf.Band{Kind: pdf.BandTitle, Text: "况自查报告"}, colophon)}, "title broken inside"},
		{"版记 alone", []pdf.Page{full(), {Bands: []pdf.Band{colophon}}}, "alone"},
	} {
		faults := strings.Join(pdf.Audit(tc.pages), "\n")
		if !strings.Contains(faults, tc.want) {
			t.Errorf("%s: faults %q, want one saying %q", tc.name, faults, tc.want)
		}
	}
	// An empty foot that a table's caption, header and first three rows
	// do not fit is the rule for tables at work.
	tall := pdf.Band{Kind: pdf.BandRow, Height: 40, Table: 1, Rows: 6}
	third := tall
	third.Row = 2
	pages := []pdf.Page{{Bands: full().Bands[:14]},
		full(pdf.Band{Kind: pdf.BandCaption, Height: 8}, pdf.Band{Kind: pdf.BandHeader, Height: 8, Table: 1}, tall, tall, third), full(colophon)}
	if faults := pdf.Audit(pages); len(faults) > 0 {
		t.Errorf("a page before a table whose head cannot begin there: faults %q", faults)
	}
}

// TestLayoutPassesAudit lays out paragraphs of every length from one line
// to a page and a half, each followed by a seven-row table and a chart,
// so that every break of a page falls somewhere in each kind of band, and
// ends with a 版记: the layout has none of Audit's faults.
func TestLayoutPassesAudit(t *testing.T) {
	r, err := pdf.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []report.Block
	for n := 1; n <= 33; n += 2 {
		blocks = append(blocks, report.Block{Kind: report.Heading2, Text: fmt.Sprintf("（%d）段落", n)},
			report.Block{Kind: report.Paragraph, Text: strings.Repeat("管", 28*n-3) + "查。"})
		tb := &report.Table{Sheet: fmt.Sprint(n), Caption: fmt.Sprintf("表%d", n), Columns: []report.Column{{Title: "行", Width: 1}, {Title: "内容", Width: 3}}}
		for k := range 7 {
			tb.Rows = append(tb.Rows, []report.Cell{{Text: fmt.Sprint(k)}, {Text: "检查情况"}})
		}
		blocks = append(blocks, report.Block{Kind: report.TableBlock, Table: tb},
			report.Block{Kind: report.ChartBlock, Chart: &report.Chart{ID: fmt.Sprint(n), Title: "图", WidthMM: 156, HeightMM: 80}},
			report.Block{Kind: report.Note, Text: "注：图注。"})
	}
	doc := report.Document{FileName: "审校", Title: "静安区城管执法局2025年上半年行政执法全过程记录制度执行情况自查报告", Blocks: blocks,
		Colophon: &report.Colophon{Lines: []report.ColophonLine{{Label: "报", Text: "市城管执法局执法监督处"}}, PrintedBy: "综合科", Date: "2025年7月1日"}}
	pages, err := r.Layout(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range pdf.Audit(pages) {
		t.Error(f)
	}
	if len(pages) < 10 {
		t.Errorf("%d pages: the sweep did not run over many page breaks", len(pages))
	}
}

// TestTitleLines: a title breaks between words in balanced lines; a line
// feed in it is taken where it costs no line, and dropped where it would
// make three lines of two.
func TestTitleLines(t *testing.T) {
	r, err := pdf.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		title string
		want  []string
	}{
		{"静安区城管执法局2025年上半年\n行政执法全过程记录制度执行情况自查报告",
			[]string{"静安区城管执法局2025年上半年行政", "执法全过程记录制度执行情况自查报告"}},
		{"静安区城管执法局2025年上半年\n行政执法公示制度执行情况自查报告",
			[]string{"静安区城管执法局2025年上半年", "行政执法公示制度执行情况自查报告"}},
	} {
		pages, err := r.Layout(report.Document{FileName: "标题", Title: tc.title, Blocks: []report.Block{paragraph(1)}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range pages[0].Bands {
			if b.Kind == pdf.BandTitle {
				got = append(got, b.Text)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("title %q set as %q, want %q", tc.title, got, tc.want)
		}
	}
}

// marchBulletin is the demo's March 2025 bulletin as compose made it, with
// a stand-in image for each chart.
func marchBulletin(t *testing.T) (report.Document, map[string][]byte) {
	t.Helper()
	data, err := os.ReadFile("testdata/bulletin-2025-03.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc report.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	images := map[string][]byte{}
	for _, b := range doc.Blocks {
		if b.Chart != nil {
			images[b.Chart.ID] = chartPNG(1352, 693, len(b.Chart.Categories))
		}
	}
	return doc, images
}
