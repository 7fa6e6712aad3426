package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"bulletin/report"
	"bulletin/report/compose"
)

// pdfTool reads a PDF back with poppler; without it the test fails.
func pdfTool(t testing.TB, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed (poppler-utils; bash .ci/run installs it)", name)
	}
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// TestMonthlyBulletinOfTheSampleJune builds June 2025 of the sample data
// through the command line and reads the documents back as a reader would.
func TestMonthlyBulletinOfTheSampleJune(t *testing.T) {
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "monthly", "--month", "2025-06", "--now", "2025-07-01T08:00",
		"--config", repoConfig, "--data", cliSampleData(t), "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "2025-06")
	pdf := filepath.Join(dir, "静安城市管理执法工作月报-2025年06月.pdf")
	if !strings.Contains(stdout, pdf) {
		t.Errorf("stdout does not name the PDF: %s", stdout)
	}
	info, err := os.Stat(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 3<<20 {
		t.Errorf("PDF is %d bytes, over 3 MB", info.Size())
	}
	// -raw keeps each table cell's text together, in reading order.
	text := strings.Join(strings.Fields(pdfTool(t, "pdftotext", "-raw", pdf, "-")), "")
	for _, want := range []string{"静安城市管理执法工作月报", "第6期", "上海市静安区城市管理行政执法局编", "2025年7月1日",
		"2025年6月执法监督工作情况", "上半年任务完成情况", "报：市城管执法局执法监督处"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	at := 0
	for _, h := range []string{"一、本月执法监督工作概况", "二、主要任务完成情况", "三、各中队监督覆盖情况", "四、案卷质量",
		"五、发现问题及整改情况", "六、重要案（诉）件", "七、中队评价", "八、下月工作提示"} {
		i := strings.Index(text[at:], h)
		if i < 0 {
			t.Fatalf("heading %q missing or out of order", h)
		}
		at += i + len(h)
	}
	cfg := loadRepoConfig(t)
	for _, q := range cfg.Plans[0].Quotas {
		if !strings.Contains(text, q.Name) {
			t.Errorf("the quota table lacks %s (%s)", q.Name, q.ID)
		}
	}
	for _, s := range cfg.Squads {
		if !strings.Contains(text, s.Name) {
			t.Errorf("the bulletin never names %s", s.Name)
		}
	}
	fonts := pdfTool(t, "pdffonts", pdf)
	lines := strings.Split(strings.TrimSpace(fonts), "\n")[2:]
	if len(lines) < 4 {
		t.Errorf("pdffonts lists %d fonts:\n%s", len(lines), fonts)
	}
	for _, l := range lines {
		if f := strings.Fields(l); len(f) < 5 || f[len(f)-5] != "yes" {
			t.Errorf("font not embedded: %s", l)
		}
	}
	pages := strings.Count(pdfTool(t, "pdftotext", pdf, "-"), "\f")
	if pages < 8 || pages > 30 {
		t.Errorf("%d pages: a monthly bulletin should take 8 to 30", pages)
	}

	wb, err := excelize.OpenFile(filepath.Join(dir, "月报数据-2025年06月.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if n := len(wb.GetSheetList()); n < 10 {
		t.Errorf("the workbook has %d sheets; every table of the PDF should be one", n)
	}
	for _, name := range []string{"figures.json", "quality.json", "数据质量报告-2025年6月.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
}

// TestMonthlyWritesTheDocumentsItCan: the PDF and the workbook are written
// side by side, so one that cannot be written (a folder in its place) does
// not keep the other from being written, and the run fails naming each
// that was not.
func TestMonthlyWritesTheDocumentsItCan(t *testing.T) {
	const pdfName, bookName = "静安城市管理执法工作月报-2025年06月.pdf", "月报数据-2025年06月.xlsx"
	for _, blocked := range [][]string{{pdfName}, {bookName}, {pdfName, bookName}} {
		t.Run(strings.Join(blocked, "+"), func(t *testing.T) {
			out := t.TempDir()
			dir := filepath.Join(out, "2025-06")
			for _, name := range blocked {
				if err := os.MkdirAll(filepath.Join(dir, name, "在用"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			_, stderr, code := runCLI(t, "monthly", "--month", "2025-06", "--now", "2025-07-01T08:00",
				"--config", repoConfig, "--data", cliSampleData(t), "--out", out)
			if code != 1 {
				t.Fatalf("exit %d, want 1: %s", code, stderr)
			}
			for _, name := range []string{pdfName, bookName} {
				wasBlocked := slices.Contains(blocked, name)
				if named := strings.Contains(stderr, name); named != wasBlocked {
					t.Errorf("stderr names %s: %v, want %v: %s", name, named, wasBlocked, stderr)
				}
				info, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if written := info.Mode().IsRegular() && info.Size() > 0; written == wasBlocked {
					t.Errorf("%s written: %v, want %v", name, written, !wasBlocked)
				}
			}
		})
	}
}

// BenchmarkBulletinAfterRead measures what the issue bounds: computing,
// composing and rendering one month's bulletin and workbook once the
// exports are read.
func BenchmarkBulletinAfterRead(b *testing.B) {
	cfg := loadRepoConfig(b)
	tmpl, err := compose.LoadTemplates(cfg.Templates)
	if err != nil {
		b.Fatal(err)
	}
	m := report.Month{Year: 2025, Month: 6}
	p := &pipeline{cfg: cfg, dataDir: cliSampleData(b), outDir: b.TempDir()}
	ds, q, earlier, err := p.readThrough(context.Background(), m)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		if _, err := p.writeMonthly(tmpl, ds, q, earlier, m, report.MustDate(2025, 7, 1), dir, false); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHalfYearWritesTheReportsItCan: 5,000 inspections of 公示制度, each
// with its own 问题描述, would make that report run past pdf.MaxPages. The
// run fails naming that report and the section that overflowed, and the
// other reports and the annex workbook are still written.
func TestHalfYearWritesTheReportsItCan(t *testing.T) {
	data := t.TempDir()
	if err := os.CopyFS(data, os.DirFS(cliSampleData(t))); err != nil {
		t.Fatal(err)
	}
	f := excelize.NewFile()
	rows := [][]any{{"记录编号", "检查日期", "监督事项", "检查科室", "被检查中队", "发现问题数", "问题描述"}}
	for i := range 5000 {
		rows = append(rows, []any{fmt.Sprintf("JC-补录-%d", i), "2025-03-15", "公示制度", "执法监督科", "江宁路中队", 1,
			fmt.Sprintf("公示栏第%d项执法人员信息未及时更新，与在岗人员不符", i)})
	}
	w, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := w.SetRow(cell, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(data, "2025-03", "监督检查-补录.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// An earlier build's text digest, which a leader's approval would be
	// checked against, goes: the files beside it are not all this build's.
	digest := filepath.Join(out, "2025-H1", report.TextDigestFile)
	writeFileAll(t, digest, "an earlier build's\n")
	_, stderr, code := runCLI(t, "halfyear", "--half", "2025-H1", "--config", repoConfig, "--data", data, "--out", out)
	if code != 1 || !strings.Contains(stderr, "公示制度执行情况自查报告》没有生成") || !strings.Contains(stderr, "超过了 500 页的上限，在“二、发现的主要问题”一节超出") {
		t.Fatalf("exit %d, want 1 naming the 公示制度 report and its section; stderr:\n%s", code, stderr)
	}
	dir := filepath.Join(out, "2025-H1")
	for _, name := range []string{
		"静安区城管执法局2025年上半年行政执法全过程记录制度执行情况自查报告.pdf",
		"静安区城管执法局2025年上半年重大行政执法决定法制审核制度执行情况自查报告.pdf",
		"自查报告附表-2025年上半年.xlsx",
	} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("not written: %v", err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "静安区城管执法局2025年上半年行政执法公示制度执行情况自查报告.pdf")); err == nil {
		t.Error("the 公示制度 report was written although it could not be printed")
	}
	if _, err := os.Stat(digest); err == nil {
		t.Error("a text digest stands beside a build that failed: a leader could approve files not all written")
	}
}

// writeFileAll writes text at path, its folders made.
func writeFileAll(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHalfYearAnnexWorkbookSaysWhereEachTableIs reads the half-year annex
// workbook back: its 说明 sheet names the three reports' PDFs as written,
// and each sheet's row says what the sheet holds (its caption) and in
// which PDF's 附件 it is printed, which pdftotext confirms. It names no
// kind of sheet the workbook does not have.
func TestHalfYearAnnexWorkbookSaysWhereEachTableIs(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := runCLI(t, "halfyear", "--half", "2025-H1", "--now", "2025-07-05T08:00",
		"--config", repoConfig, "--data", cliSampleData(t), "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	dir := filepath.Join(out, "2025-H1")
	pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(pdfs) != 3 {
		t.Fatalf("%d PDFs written, want the 3 self-inspection reports", len(pdfs))
	}
	wb, err := excelize.OpenFile(filepath.Join(dir, "自查报告附表-2025年上半年.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	rows, err := wb.GetRows("说明")
	if err != nil {
		t.Fatal(err)
	}
	about := fmt.Sprint(rows)
	for _, p := range pdfs {
		if !strings.Contains(about, filepath.Base(p)) {
			t.Errorf("说明 does not name %s", filepath.Base(p))
		}
	}
	for _, absent := range []string{" .pdf", "图表数据", "明细", "正文"} {
		if strings.Contains(about, absent) {
			t.Errorf("说明 mentions %q, which the workbook does not have:\n%s", absent, about)
		}
	}
	listed := 0
	for _, row := range rows {
		if len(row) == 0 || !slices.Contains(wb.GetSheetList()[1:], row[0]) {
			continue
		}
		sheet := row[0]
		listed++
		if len(row) < 3 || row[1] == "" {
			t.Errorf("sheet %s: 内容 is empty: %q", sheet, row)
			continue
		}
		caption, _ := wb.GetCellValue(sheet, "A1")
		if row[1] != caption {
			t.Errorf("sheet %s: 内容 %q, but the sheet is headed %q", sheet, row[1], caption)
		}
		file, part, _ := strings.Cut(row[2], ".pdf ")
		if part != "附件" || !slices.Contains(pdfs, filepath.Join(dir, file+".pdf")) {
			t.Errorf("sheet %s: 所在部分 %q names no 附件 of a written PDF", sheet, row[2])
			continue
		}
		text := strings.Join(strings.Fields(pdfTool(t, "pdftotext", filepath.Join(dir, file+".pdf"), "-")), "")
		if !strings.Contains(text, "附件"+caption) { // the annex's page, not the 附件： line after the body
			t.Errorf("sheet %s: %s.pdf has no 附件 titled %q", sheet, file, caption)
		}
	}
	if listed != 3 {
		t.Errorf("说明 lists %d sheets, want 3", listed)
	}
}

// A meeting or report not held reads 未落实 where a rate reads 完成37/300件:
// April of the sample year lacks its 月度工作总结和计划, and the sentence
// listing the quotas not met never says 完成未落实.
func TestUnmetReportReadsAsNotDone(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-04", "--now", "2025-05-01T08:00",
		"--config", repoConfig, "--data", cliSampleData(t), "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	flow, _ := pdfText(t, filepath.Join(out, "2025-04", "静安城市管理执法工作月报-2025年04月.pdf"))
	for _, want := range []string{"视音频记录抽查率（完成20/318件，目标≥10%", "月度工作总结和计划按时报送（未落实，目标每月5日前报送"} {
		if !strings.Contains(flow, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if strings.Contains(flow, "完成未落实") || strings.Contains(flow, "完成已落实") {
		t.Error("the PDF says 完成未落实")
	}
}

// The month-over-month change is the difference of the rates printed: the
// sample year's July prints 12.1% and August 6.5%, so August says 下降5.6个
// 百分点, as a reader subtracting finds (unrounded, 5.55).
func TestChangeAgreesWithThePrintedRates(t *testing.T) {
	out := t.TempDir()
	if _, stderr, code := runCLI(t, "monthly", "--from", "2025-07", "--to", "2025-08", "--now", "2025-09-01T08:00",
		"--config", repoConfig, "--data", cliSampleData(t), "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for m, want := range map[string]string{
		"07": "占上月办结案件340件的12.1%",
		"08": "占上月办结案件384件的6.5%，未完成不少于10%的任务要求，抽查比例较上月下降5.6个百分点",
	} {
		flow, _ := pdfText(t, filepath.Join(out, "2025-"+m, "静安城市管理执法工作月报-2025年"+m+"月.pdf"))
		if !strings.Contains(flow, want) {
			t.Errorf("2025-%s: the PDF lacks %q", m, want)
		}
	}
}
