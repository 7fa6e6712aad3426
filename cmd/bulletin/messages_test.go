package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
	"bulletin/report/config"
)

// englishSentence is three English words in a row: a message a clerk
// cannot read (command names and option values are single words).
var englishSentence = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}`)

// clerkReadable fails t unless msg is in Chinese.
func clerkReadable(t *testing.T, what, msg string) {
	t.Helper()
	han := strings.IndexFunc(msg, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
	if !han || englishSentence.MatchString(msg) {
		t.Errorf("%s: the message is not in Chinese:\n%s", what, msg)
	}
}

// TestMonthsAsAClerkWritesThem: every form of a month the issue lists is
// accepted by the commands, options after the quota id included.
func TestMonthsAsAClerkWritesThem(t *testing.T) {
	for _, month := range []string{"2025-5", "2025年5月", "202505"} {
		stdout, stderr, code := runCLI(t, "explain", "lawful.case_sample_rate", "--month", month,
			"--config", repoConfig, "--data", cliSampleData(t), "--out", t.TempDir())
		if code != 0 || !strings.HasPrefix(stdout, "2025-05  案卷抽查率") {
			t.Errorf("explain QUOTA --month %s: exit %d\n%s%s", month, code, stdout, stderr)
		}
	}
}

// TestUsageErrorsSayWhatToDoInChinese: each mistake at the terminal is
// answered in Chinese, and says what to type instead.
func TestUsageErrorsSayWhatToDoInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "bulletin check --month 2025-05"},
		{[]string{"frobnicate"}, "没有“frobnicate”这个命令"},
		{[]string{"check"}, "--month 2025-05"},
		{[]string{"check", "2025-05"}, "要写成 --month 2025-05"},
		{[]string{"check", "--month", "2025-13", "--config", repoConfig}, "请写成 2025-05"},
		{[]string{"check", "--month", "2025-05", "--bogus"}, "没有 --bogus 这个选项"},
		{[]string{"check", "--month"}, "选项 --month 后面要写值"},
		{[]string{"halfyear", "--config", repoConfig}, "--half 2025-H1"},
		{[]string{"halfyear", "--half", "2025年第三季度", "--config", repoConfig}, "2025年上半年"},
		{[]string{"send", "--config", repoConfig}, "--period 2025-05"},
		{[]string{"send", "--period", "五月", "--config", repoConfig}, "--period 2025-05"},
		{[]string{"explain", "--month", "2025-05", "--config", repoConfig}, "要写一个指标编号"},
		{[]string{"explain", "lawful.case_sampl_rate", "--month", "2025-05", "--config", repoConfig}, "是不是 lawful.case_sample_rate？"},
		{[]string{"monthly", "--month", "2025-05", "--now", "yesterday", "--config", repoConfig}, "2025-07-02T08:00"},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, tt.args...)
		what := "bulletin " + strings.Join(tt.args, " ")
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", what, code)
		}
		if !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: %q does not say %q", what, stderr, tt.want)
		}
		clerkReadable(t, what, stderr[strings.LastIndex(stderr, "\n")+1:])
	}
}

// sampleWithout copies the sample year up to month and removes the files of
// month's folder whose names start with prefix.
func sampleWithout(t *testing.T, month, prefix string) string {
	t.Helper()
	data := sampleUpTo(t, month)
	gone, _ := filepath.Glob(filepath.Join(data, month, prefix+"*"))
	if len(gone) != 1 {
		t.Fatalf("%s exports in %s: %v", prefix, month, gone)
	}
	os.Remove(gone[0])
	return data
}

// sampleUpTo copies the month folders of the sample year up to month.
func sampleUpTo(t *testing.T, month string) string {
	t.Helper()
	data := t.TempDir()
	entries, err := os.ReadDir(cliSampleData(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() > month {
			continue
		}
		if err := os.CopyFS(filepath.Join(data, e.Name()), os.DirFS(filepath.Join(cliSampleData(t), e.Name()))); err != nil {
			t.Fatal(err)
		}
	}
	return data
}

// TestMissingExportStopsEveryCommandUnlessForced: without May's 诉件
// export, check and monthly stop, naming the export and --force, and write
// no bulletin, and due holds the period for the operator; with --force the
// bulletin is written and its page 1 says in one sentence which figures
// are incomplete.
func TestMissingExportStopsEveryCommandUnlessForced(t *testing.T) {
	data := sampleWithout(t, "2025-05", "诉件")
	o := newOffice(t, nil)
	o.data = data
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00")
	o.mustRun(1, "due", "--now", "2025-06-01T09:00")
	assertHeld(t, o, "诉件")

	stopsUnlessForced(t, data, "「诉件」：本月文件夹中没有文件名以“诉件”开头的导出文件",
		"特别提示：本月诉件数据未能读取，投诉信访件抽查率以及其他依据上述数据统计的数字均不完整，仅供参考，待数据补齐后另行更正。")
}

// TestMissingMonthFolderStopsEveryCommandUnlessForced: without April's
// folder, May's 上月 has no closed cases and the year to date lacks April,
// so check and monthly stop, naming the folder, and write no bulletin;
// with --force the bulletin is written, figures.json names the month, and
// page 1 says the figures counting it are incomplete. (Before, check
// passed with a hint and the bulletin said 上月无办结案件.)
func TestMissingMonthFolderStopsEveryCommandUnlessForced(t *testing.T) {
	data := sampleUpTo(t, "2025-05")
	if err := os.RemoveAll(filepath.Join(data, "2025-04")); err != nil {
		t.Fatal(err)
	}
	out := stopsUnlessForced(t, data, "缺少2025年4月的数据文件夹 "+filepath.Join(data, "2025-04"),
		"特别提示：缺少2025年4月的数据，上月办结案件、本年累计等依据这些月份数据统计的数字均不完整，仅供参考，待数据补齐后另行更正。")
	if fig := readFigures(t, filepath.Join(out, "2025-05")); !slices.Equal(fig.MissingMonths, []string{"2025-04"}) {
		t.Errorf("figures.json missing_months %q, want April", fig.MissingMonths)
	}
}

// stopsUnlessForced checks that May's check and monthly on data stop,
// saying why and naming --force, and write no bulletin; and that forced,
// both go on and page 1 of the bulletin says tip. It returns the out
// folder of the forced run.
func stopsUnlessForced(t *testing.T, data, why, tip string) (out string) {
	t.Helper()
	out = t.TempDir()
	for _, cmd := range []string{"check", "monthly"} {
		_, stderr, code := runCLI(t, cmd, "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", out)
		if code != 1 || !strings.Contains(stderr, why) || !strings.Contains(stderr, "--force") {
			t.Errorf("%s: exit %d, stderr %q", cmd, code, stderr)
		}
		clerkReadable(t, cmd, stderr)
	}
	pdf := filepath.Join(out, "2025-05", "静安城市管理执法工作月报-2025年05月.pdf")
	if _, err := os.Stat(pdf); err == nil {
		t.Fatal("monthly wrote the bulletin of incomplete data")
	}
	for _, cmd := range []string{"check", "monthly"} {
		if _, stderr, code := runCLI(t, cmd, "--month", "2025-05", "--force", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
			t.Fatalf("%s --force: exit %d: %s", cmd, code, stderr)
		}
	}
	page1 := strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-l", "1", pdf, "-")), "")
	if !strings.Contains(page1, tip) {
		t.Errorf("page 1 does not say which figures are incomplete:\n%s", page1)
	}
	return out
}

// configWithOwnTemplates copies the repository's config and templates
// into a folder of their own, the config pointing at the copy, for a test
// that edits a template as a clerk would; it returns the config's path and
// the templates' folder.
func configWithOwnTemplates(t *testing.T) (cfgPath, templates string) {
	t.Helper()
	dir := t.TempDir()
	templates = filepath.Join(dir, "templates")
	if err := os.CopyFS(templates, os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	cfgPath = copyConfig(t, dir, nil)
	cfgText, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, []byte(regexp.MustCompile(`(?m)^templates = .*$`).ReplaceAllLiteralString(string(cfgText), `templates = "templates"`)), 0o644)
	return cfgPath, templates
}

// writeExport saves rows as the first sheet of a new workbook at path.
func writeExport(t *testing.T, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// TestUnprintableCharactersInAnExportPrintAsGetaMarks: an overdue
// inspection's 问题描述 names a person with 𠮷 (beyond what the PDF's fonts
// encode) and holds an emoji. The bulletin is written with 〓 in their
// place, and check, quality.json and the data-quality workbook name the
// file, row and column of each.
func TestUnprintableCharactersInAnExportPrintAsGetaMarks(t *testing.T) {
	data := sampleUpTo(t, "2025-05")
	export := filepath.Join(data, "2025-05", "监督检查-补录.xlsx")
	writeExport(t, export, [][]any{
		{"记录编号", "检查日期", "监督事项", "检查科室", "被检查中队", "发现问题数", "问题描述", "整改期限", "整改状态"},
		{"JC-补录-1", "2025-05-06", "公示制度", "执法监督科", "江宁路中队", 1, "执法人员𠮷田未亮证\U0001F600", "2025-05-20", "未整改"},
	})
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", out)
	if code != 0 {
		t.Fatalf("check: exit %d: %s", code, stderr)
	}
	for _, want := range []string{export, "第2行「问题描述」列", "“𠮷”（U+20BB7）", "“\U0001F600”（U+1F600）", "印作〓"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check does not say %q:\n%s", want, stdout)
		}
	}
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Fatalf("monthly: exit %d: %s", code, stderr)
	}
	pdf := filepath.Join(out, "2025-05", "静安城市管理执法工作月报-2025年05月.pdf")
	text := strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-raw", pdf, "-")), "")
	if !strings.Contains(text, "执法人员〓田未亮证〓") {
		t.Errorf("the PDF does not print the description with 〓:\n%s", text)
	}
	quality, err := os.ReadFile(filepath.Join(out, "2025-05", "quality.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(quality), report.WarnUnprintable) || !strings.Contains(string(quality), "第2行「问题描述」列") {
		t.Errorf("quality.json does not list the character:\n%s", quality)
	}
	wb, err := excelize.OpenFile(filepath.Join(out, "2025-05", "数据质量报告-2025年5月.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	found := false
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		for _, r := range rows {
			found = found || strings.Contains(strings.Join(r, "|"), "U+20BB7")
		}
	}
	if !found {
		t.Error("the data-quality workbook does not list 𠮷")
	}
}

// TestUnprintableCharactersTheClerkWroteAreRefused: an emoji typed into a
// template and into config.toml is not printed as 〓 but refused, at its
// file and line, before anything is read or written; the console's preview
// refuses it too.
func TestUnprintableCharactersTheClerkWroteAreRefused(t *testing.T) {
	cfgPath, templates := configWithOwnTemplates(t)
	overview := filepath.Join(templates, "月报-01-概况.tmpl")
	text, _ := os.ReadFile(overview)
	lines := strings.Split(string(text), "\n")
	tmplLine := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "本月，") {
			lines[i], tmplLine = "本月\U0001F600，"+strings.TrimPrefix(l, "本月，"), i+1
			break
		}
	}
	if tmplLine < 0 {
		t.Fatal("the overview template no longer has a line starting 本月，")
	}
	os.WriteFile(overview, []byte(strings.Join(lines, "\n")), 0o644)
	cfgText, _ := os.ReadFile(cfgPath)
	cfgLines := strings.Split(string(cfgText), "\n")
	cfgLine := -1
	for i, l := range cfgLines {
		if strings.HasPrefix(l, "short_name = ") {
			cfgLines[i], cfgLine = `short_name = "静安区城管执法局\U0001F3E2"`, i+1
		}
	}
	os.WriteFile(cfgPath, []byte(strings.Join(cfgLines, "\n")), 0o644)

	out := t.TempDir()
	_, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--config", cfgPath, "--data", cliSampleData(t), "--out", out)
	for _, want := range []string{
		fmt.Sprintf("月报-01-概况.tmpl (第%d行第3个字): “\U0001F600”（U+1F600）公文字体里没有", tmplLine),
		fmt.Sprintf("config.toml (第%d行): “\U0001F3E2”（U+1F3E2）公文字体里没有", cfgLine),
	} {
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("exit %d, stderr does not say %q:\n%s", code, want, stderr)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) > 0 {
		t.Errorf("something was written: %v", entries)
	}

	cfg, err := config.Load(cfgPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	console := &consoleReports{e: &env{now: time.Now, dataDir: cliSampleData(t), outDir: t.TempDir()}, cfg: cfg}
	if _, err := console.Edition(context.Background(), "2025-05"); err == nil || !strings.Contains(err.Error(), "U+1F600") {
		t.Errorf("the console previews what the build refuses: %v", err)
	}
}

// TestNotepadSavedSettingsAreRead: config.toml and the plan saved by
// Windows Notepad, "UTF-8 with BOM" and CRLF line ends, are read as saved.
func TestNotepadSavedSettingsAreRead(t *testing.T) {
	cfgPath := copyConfig(t, t.TempDir(), map[string]string{"2025.toml": repoPlan(t)})
	for _, path := range []string{cfgPath, filepath.Join(filepath.Dir(cfgPath), "plans", "2025.toml")} {
		text, _ := os.ReadFile(path)
		os.WriteFile(path, []byte("\ufeff"+strings.ReplaceAll(string(text), "\n", "\r\n")), 0o644)
	}
	_, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", cfgPath, "--data", cliSampleData(t), "--out", t.TempDir())
	if code != 0 {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

// TestLongCellTextIsCutInPrintOnly: a 问题描述 of 100,000 characters (a
// paste gone wrong) is printed cut, with a note under its table, in a
// bulletin of ordinary length; the workbook keeps what a cell can hold.
func TestLongCellTextIsCutInPrintOnly(t *testing.T) {
	data := sampleUpTo(t, "2025-05")
	long := "占道经营" + strings.Repeat("执法人员未按规定着装", 10000)
	// a CSV: an .xlsx cell cannot hold more than 32,767 characters
	csv := "记录编号,检查日期,监督事项,检查科室,被检查中队,发现问题数,问题描述,整改期限,整改状态\n" +
		"JC-补录-1,2025-05-06,公示制度,执法监督科,江宁路中队,1," + long + ",2025-05-20,未整改\n"
	if err := os.WriteFile(filepath.Join(data, "2025-05", "监督检查-补录.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Fatalf("monthly: exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "2025-05")
	pdf := filepath.Join(dir, "静安城市管理执法工作月报-2025年05月.pdf")
	info := pdfTool(t, "pdfinfo", pdf)
	pagesLine := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(info)
	if pagesLine == nil || len(pagesLine[1]) > 2 {
		t.Errorf("the bulletin runs to %v pages", pagesLine)
	}
	text := strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-raw", pdf, "-")), "")
	if !strings.Contains(text, "注：表中1处文字超过500字，只印前500字，全文见同期数据表的“逾期未整改问题”工作表。") {
		t.Errorf("no note under the table:\n%s", text)
	}
	if strings.Count(text, "执法人员未按规定着装") > 60 {
		t.Error("the description is printed whole")
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "月报数据-2025年05月.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	// An Excel cell holds 32,767 characters: the workbook keeps that
	// much, and says the rest was left out.
	longest := ""
	for _, sheet := range wb.GetSheetList() {
		rows, _ := wb.GetRows(sheet)
		for _, r := range rows {
			for _, c := range r {
				if strings.HasPrefix(c, "占道经营执法人员") && len(c) > len(longest) {
					longest = c
				}
			}
		}
	}
	if n := len([]rune(longest)); n < 32000 || n > 32767 || !strings.HasSuffix(longest, "……（原文100004字，超过Excel单元格的上限，以下从略）") {
		t.Errorf("the workbook keeps %d characters of the description, ending %q", n, string([]rune(longest)[max(0, n-40):]))
	}
}

// TestFilesThatAreNoExportAreNamed: May's case export saved as
// 5月案件.xlsx, a note and last month's bulletin in the folder. check
// names each file it did not read, with the naming rule, and the export it
// found missing; and stops, as the case export is missing.
func TestFilesThatAreNoExportAreNamed(t *testing.T) {
	data := sampleUpTo(t, "2025-05")
	may := filepath.Join(data, "2025-05")
	cases, _ := filepath.Glob(filepath.Join(may, "案件*"))
	if err := os.Rename(cases[0], filepath.Join(may, "5月案件.xlsx")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(may, "说明.txt"), []byte("五月数据"), 0o644)
	os.WriteFile(filepath.Join(may, "月报.pdf"), []byte("%PDF-1.4"), 0o644)
	stdout, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "「案件」") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
	for _, want := range []string{
		"没有读取：" + filepath.Join(may, "5月案件.xlsx") + " “5月案件.xlsx”文件名不以任何数据集的名称开头，没有读取；如果它是「案件」导出，请改名为以“案件”开头，如“案件.xlsx”",
		"没有读取：" + filepath.Join(may, "说明.txt") + " “说明.txt”不是导出文件（只读 .xlsx 和 .csv），没有读取。导出文件的名字要以数据集名称开头：案件、抽查明细、监督检查、诉件、中队督察、工作台账",
		"没有读取：" + filepath.Join(may, "月报.pdf"),
		"缺少导出：2025-05 文件夹中没有「案件」导出：文件名要以“案件”开头，如“案件.xlsx”“案件_2025年5月.csv”",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("check does not say %q:\n%s", want, stdout)
		}
	}
}

// check passes in every month of the sample year: the half's reports it
// words in each are given the months before the half's last, June and
// December (a half's last month) included.
func TestCheckPassesEveryMonth(t *testing.T) {
	for m := (report.Month{Year: 2025, Month: 1}); m.Year == 2025; m = m.Add(1) {
		if _, stderr, code := runCLI(t, "check", "--month", m.String(), "--config", repoConfig, "--data", cliSampleData(t), "--out", t.TempDir()); code != 0 {
			t.Errorf("check %s: exit %d: %s", m, code, stderr)
		}
	}
}

// TestCheckFillsTheSelfInspectionTemplatesToo: a field misspelt in a
// self-inspection template is found by check in May, not in July when the
// half-year reports are due.
func TestCheckFillsTheSelfInspectionTemplatesToo(t *testing.T) {
	cfgPath, templates := configWithOwnTemplates(t)
	basic := filepath.Join(templates, "自查-01-基本情况.tmpl")
	text, err := os.ReadFile(basic)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), ".S.Inspections}}次、") {
		t.Fatal("自查-01-基本情况.tmpl no longer prints .S.Inspections")
	}
	writeFileAll(t, basic, strings.Replace(string(text), ".S.Inspections}}次、", ".S.Inspection}}次、", 1))
	_, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", cfgPath, "--data", cliSampleData(t), "--out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "自查-01-基本情况.tmpl") || !strings.Contains(stderr, "没有“Inspection”这项数据（是不是 Inspections？）") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// The console checks as check does: a character the fonts lack is a note
// of the data-quality page and of an upload, as it is of check's summary.
func TestConsoleCheckMarksUnprintable(t *testing.T) {
	data := sampleUpTo(t, "2025-05")
	csv := "诉件编号,诉件类型,受理日期,所属中队,问题领域\nC-补录-1,投诉,2025-05-06,江宁路,噪声\U0001F600\n"
	path := filepath.Join(data, "2025-05", "诉件-补录.csv")
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(repoConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	console := &consoleReports{e: &env{now: time.Now, dataDir: data, outDir: t.TempDir()}, cfg: cfg}
	q, err := console.Check(context.Background(), data, report.Month{Year: 2025, Month: 5})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range q.Noted() {
		if n.Kind == report.WarnUnprintable && n.File == path {
			got = append(got, n.Example)
		}
	}
	if want := "第2行「问题领域」列“噪声\U0001F600”中的“\U0001F600”（U+1F600），字体里没有，印作〓"; len(got) != 1 || got[0] != want {
		t.Errorf("the console's notes of 〓 %q, want %q", got, want)
	}
}
