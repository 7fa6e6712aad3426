package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// TestConsoleInABrowser walks the console in a real headless Chromium: the
// clerk logs in, uploads May's exports, sees the rejected row, opens the
// HTML edition with its ECharts charts and one explanation, and builds the
// documents; `due` waits for a leader (delivery.require_approval); the
// leader approves; `due` sends to a loopback SMTP server;
// the delivery shows on 报送记录. Every page is photographed (kept in
// $BULLETIN_SCREENSHOTS when set, for a person to look at).
func TestConsoleInABrowser(t *testing.T) {
	o := newOffice(t, map[string]string{"require_approval": "true"})
	// The office has every month but May; May arrives through the browser.
	o.data = t.TempDir()
	if err := os.CopyFS(o.data, os.DirFS(cliSampleData(t))); err != nil {
		t.Fatal(err)
	}
	may := filepath.Join(o.data, "2025-05")
	exports := t.TempDir()
	entries, err := os.ReadDir(may)
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, en := range entries {
		files = append(files, filepath.Join(exports, en.Name()))
		if err := os.Rename(filepath.Join(may, en.Name()), files[len(files)-1]); err != nil {
			t.Fatal(err)
		}
	}
	os.Remove(may)
	// May's 诉件 came split over two sheets: the second is not read; and its
	// 案件 left 江宁路中队 out. The upload says so of each.
	splitSheet(t, filepath.Join(exports, "诉件.xlsx"), "诉件", "诉件(2)")
	dropSquad(t, filepath.Join(exports, "案件.xlsx"), "江宁路中队")

	o.addUser("wang", "综合科", "clerk-password-1")
	o.addUser("zhao", "领导", "leader-password-1")
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, shanghai)
	console := o.startConsole(func() time.Time { return now })

	b := newBrowser(t)
	shots := screenshotDir(t)
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(b, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		ctx, cancel := context.WithTimeout(b, 2*time.Minute) // a step that cannot happen fails, never hangs
		defer cancel()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(b, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	login := func(name, password string) {
		t.Helper()
		do("log in as "+name,
			chromedp.Navigate(console+"/login"),
			chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
			chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
			chromedp.Click(chromedp.CSS(`form.login button`)),
			chromedp.WaitVisible(chromedp.CSS(`form.who`)),
		)
	}

	do("open the login page", chromedp.Navigate(console+"/"), chromedp.WaitVisible(chromedp.CSS(`form.login`)))
	shoot("0-login")
	login("wang", "clerk-password-1")
	shoot("1-overview")
	if got := text("main"); !strings.Contains(got, "2025年5月") || !strings.Contains(got, "缺") {
		t.Fatalf("the overview does not show May's missing exports:\n%s", got)
	}
	// The newest month's name, last upload (a date and a time) and state
	// keep one line each, as 报送记录's do.
	newest := `(() => { const t = document.querySelector("table.grid"), heads = [...t.tHead.rows[0].cells].map(h => h.textContent);
		return ["月份", "最近上传", "月报"].map(h => t.tBodies[0].rows[0].cells[heads.indexOf(h)]) })()`
	if got, err := chromedp.Run(b, chromedp.Evaluate[[]string](newest+`.map(e => e.textContent)`)); err != nil || len(got) != 3 || !strings.Contains(got[1], ":") {
		t.Fatalf("the overview's newest month shows %q (%v), want its month, a time of upload and a state", got, err)
	}
	if got, err := chromedp.Run(b, chromedp.Evaluate[[]int](newest+lineCounts)); err != nil || len(got) != 3 || slices.Max(got) != 1 {
		t.Errorf("the overview's month, last upload and state take %v lines (%v), want one each", got, err)
	}
	// A dataset's count of rows not taken, （未采用 19）, may go below its
	// rows but is never cut from its number.
	if got, err := chromedp.Run(b, chromedp.Evaluate[[]int](`[...document.querySelectorAll("table.grid tbody td span")]`+lineCounts)); err != nil || len(got) == 0 || slices.Max(got) != 1 {
		t.Errorf("the overview's counts of rows not taken take %v lines (%v), want one each", got, err)
	}

	do("upload May's exports",
		chromedp.Navigate(console+"/upload?month=2025-05"),
		chromedp.SetUploadFiles(chromedp.CSS(`#upload input[type=file]`), files),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("#results > li.ok, #results > li.bad").length == `+strconv.Itoa(len(files)), waitLong),
	)
	shoot("2-upload")
	results := text("#results")
	if strings.Count(results, "已收到") != len(files) || !strings.Contains(results, "未采用 1") {
		t.Fatalf("upload results:\n%s", results)
	}
	if notes := text("#results ul.notes"); !strings.Contains(notes, "请注意：未读取的工作表：工作表「诉件(2)」第1行也是诉件的表头，其下 1 行数据没有读取") {
		t.Errorf("the upload does not say that 诉件(2) is not read:\n%s", results)
	}
	if !regexp.MustCompile(`案件\.xlsx：已收到：.*\n请注意：缺少的中队：2025年5月的案件导出中没有以下中队的案件：江宁路中队`).MatchString(results) {
		t.Errorf("the upload does not say that 案件 lacks 江宁路中队:\n%s", results)
	}

	do("open the data quality page", chromedp.Navigate(console+"/quality?month=2025-05"), chromedp.WaitVisible(chromedp.CSS(`#rejected`)))
	shoot("3-quality")
	rejected := text("#rejected tbody")
	if !strings.Contains(rejected, ".xlsx") || strings.Contains(rejected, "没有。") {
		t.Fatalf("the rejected row is not shown:\n%s", rejected)
	}
	if notes := text("#notes"); !strings.Contains(notes, "未读取的工作表：诉件.xlsx 工作表「诉件(2)」第1行也是诉件的表头") {
		t.Errorf("the quality page does not say that 诉件(2) is not read:\n%s", notes)
	}

	do("open the preview",
		chromedp.Navigate(console+"/preview?period=2025-05"),
		chromedp.WaitVisible(chromedp.CSS(`article.document`)),
		// ECharts, served by the console itself, has drawn the charts.
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("figure.doc-chart canvas").length > 0 && document.querySelectorAll("figure.doc-chart canvas").length == document.querySelectorAll("figure.doc-chart").length`, waitLong),
	)
	shoot("4-preview")
	for i, sel := range []string{"figure.doc-chart", "a.fig"} {
		do("scroll to "+sel, chromedp.ScrollIntoView(chromedp.CSS(sel)))
		shoot("4-preview-" + strconv.Itoa(i+1))
	}
	if doc := text("article.document"); !strings.Contains(doc, "静安城市管理执法工作月报") {
		t.Fatalf("the preview lacks the masthead:\n%.500s", doc)
	}

	do("open an explanation", chromedp.Click(chromedp.CSS(`a.fig`)), chromedp.WaitVisible(chromedp.CSS(`p.figure`)))
	shoot("5-explain")
	if ex := text("main"); !strings.Contains(ex, "分子") || !strings.Contains(ex, ".xlsx") {
		t.Fatalf("the explanation names no records:\n%.800s", ex)
	}

	do("build the documents",
		chromedp.Navigate(console+"/preview?period=2025-05"),
		chromedp.Click(chromedp.CSS(`#build button`)),
		chromedp.WaitVisible(chromedp.CSS(`a.button[href*='download']`)),
	)

	do("log out", chromedp.Click(chromedp.CSS(`form.who button`)), chromedp.WaitVisible(chromedp.CSS(`form.login`)))
	recorded(t, o.out, "monthly 2025-04 sent 2025-05-01T08:00") // April went out on time
	// Built, but no leader has approved it: due waits.
	if out := o.mustRun(0, "due", "--now", "2025-06-03T10:01"); !strings.Contains(out, "待批准") || len(o.bureauLetters()) != 0 {
		t.Fatalf("due before the approval:\n%s\nletters: %d", out, len(o.bureauLetters()))
	}
	login("zhao", "leader-password-1")
	// The leader is told, before approving, that May will be held.
	do("open the review", chromedp.Navigate(console+"/review"), chromedp.WaitVisible(chromedp.CSS(`section.card`)))
	if got := text("section.card"); !strings.Contains(got, "报送前检查没有通过") || !strings.Contains(got, "工作簿里另有工作表可能也有这份导出的数据") || !strings.Contains(got, "案件导出里可能少了中队") || !strings.Contains(got, "没有以下中队的案件：江宁路中队") {
		t.Errorf("the review page does not say May will be held:\n%s", got)
	}
	do("approve May",
		chromedp.Click(chromedp.CSS(`form[action="/approve"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`section.card p.ok`)),
	)
	shoot("6-review")
	if got := text("section.card"); !strings.Contains(got, "已由 zhao") {
		t.Fatalf("the approval is not shown:\n%s", got)
	}

	// Approved, May still waits: a row of its 诉件 was not read (the second
	// sheet), and a person sends it once they have looked.
	if out := o.mustRun(1, "due", "--now", "2025-06-03T10:05"); !strings.Contains(out, "工作簿里另有工作表可能也有这份导出的数据") || len(o.bureauLetters()) != 0 {
		t.Fatalf("due with a sheet not read:\n%s\nletters: %d", out, len(o.bureauLetters()))
	}
	o.mustRun(0, "send", "--period", "2025-05", "--force", "--now", "2025-06-03T10:06")
	if n := len(o.bureauLetters()); n != 1 {
		t.Fatalf("the city bureau got %d letters, want 1", n)
	}

	do("open the delivery record", chromedp.Navigate(console+"/deliveries"), chromedp.WaitVisible(chromedp.CSS(`table.grid`)))
	shoot("7-deliveries")
	if got := text("table.grid tbody"); !strings.Contains(got, "2025年5月") || !strings.Contains(got, "已发送") || !strings.Contains(got, cityBureau) {
		t.Fatalf("报送记录 does not show the delivery:\n%s", got)
	}
	// A hold's reason names a file by its whole path: it wraps in its cell,
	// and the table stays within the page.
	if fits, err := chromedp.Run(b, chromedp.Evaluate[bool](`document.documentElement.scrollWidth <= window.innerWidth`)); err != nil || !fits {
		t.Errorf("the delivery record is wider than the page (%v)", err)
	}
	// Its narrow columns keep a period, a state and the resend button's
	// word on one line each, as a reader scans them.
	lines := `[...document.querySelectorAll("table.grid tbody tr:first-child td:nth-child(-n+3), table.grid tbody tr:first-child button")]` + lineCounts
	if got, err := chromedp.Run(b, chromedp.Evaluate[[]int](lines)); err != nil || len(got) != 4 || slices.Max(got) != 1 {
		t.Errorf("the delivery record's time, period, state and resend button take %v lines (%v), want one each", got, err)
	}
	// Through the period's selector: its script, as every script of the
	// console, comes from the console's own files (the CSP runs no other).
	do("open May's preview", chromedp.Navigate(console+"/preview?period=2025-05"))
	choose, cancel := context.WithTimeout(b, 2*time.Minute)
	_, err = chromedp.RunResponse(choose, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.querySelector("select[name=period]"); s.value = "2025-H1"; s.dispatchEvent(new Event("change")); })()`))
	cancel()
	if err != nil {
		t.Fatalf("choose the half year in the period selector: the page did not change (%v)", err)
	}
	do("open the half-year reports", chromedp.Poll[chromedp.Void](`location.search.includes("2025-H1") && document.querySelectorAll("article.document").length >= 3`, waitLong))
	shoot("9-halfyear")
	if got := text("article.document"); !strings.Contains(got, "自查报告") {
		t.Fatalf("the half-year preview:\n%.500s", got)
	}
	if got := text("main h1"); got != "自查报告预览" {
		t.Errorf("the half-year preview is headed %q", got)
	}
	if got, err := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector("select[name=period]").selectedOptions[0].textContent`)); err != nil || got != "2025年上半年" {
		t.Errorf("the period selector shows the half as %q (%v)", got, err)
	}
	do("open the audit log", chromedp.Navigate(console+"/audit"), chromedp.WaitVisible(chromedp.CSS(`table.grid`)))
	shoot("8-audit")
	log := text("table.grid tbody")
	for _, want := range []string{"上传", "生成", "批准", "wang", "zhao"} {
		if !strings.Contains(log, want) {
			t.Errorf("the audit log lacks %q", want)
		}
	}
}

// lineCounts, after a script's array of elements, maps each to the lines
// its text takes as drawn: the distinct tops of the text's boxes.
const lineCounts = `.map(e => { const r = document.createRange(); r.selectNodeContents(e); return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size })`

// waitLong bounds a wait on the page: reading and building a month take
// seconds; a minute means it will not happen.
var waitLong = chromedp.WithPollingTimeout(time.Minute)

// newBrowser starts Debian's Chromium, headless, for one test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath("/usr/bin/chromium"),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now, on a context without a deadline.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("BULLETIN_SCREENSHOTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// splitSheet adds to the workbook at path a sheet named to, holding the
// header and first data row of its sheet named from: an export split over
// two sheets.
func splitSheet(t *testing.T, path, from, to string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(from)
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows of %s: %v (%d)", from, err, len(rows))
	}
	if _, err := f.NewSheet(to); err != nil {
		t.Fatal(err)
	}
	for i, row := range rows[:2] {
		cells := make([]any, len(row))
		for j, c := range row {
			cells[j] = c
		}
		if err := f.SetSheetRow(to, "A"+strconv.Itoa(i+1), &cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}
