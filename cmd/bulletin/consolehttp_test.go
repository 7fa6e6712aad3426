package main

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bulletin/report/ledger"
)

// consoleSession is a person logged in to the office's real console over
// HTTP, its clock at now, as a browser without scripts would be.
type consoleSession struct {
	t      *testing.T
	client *http.Client
	url    string
}

// addUser adds an account of role, as bulletin user add does.
func (o *office) addUser(name, role, password string) {
	o.t.Helper()
	stdin = strings.NewReader(password + "\n")
	o.mustRun(0, "user", "add", name, "--role", role)
	stdin = os.Stdin
}

// startConsole serves the console on the office's folders, its clock
// reading now, until the test ends, and returns its address.
func (o *office) startConsole(now func() time.Time) string {
	t := o.t
	t.Helper()
	e := &env{stdout: io.Discard, stderr: io.Discard, now: now, getenv: os.LookupEnv, configPath: o.cfg, dataDir: o.data, outDir: o.out}
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	handler, closeStore, err := e.newConsole(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { ts.Close(); closeStore() })
	return ts.URL
}

// logIn adds a user of role to the office and logs them in to a console
// started on the office's folders.
func (o *office) logIn(name, role, password string, now time.Time) *consoleSession {
	o.t.Helper()
	o.addUser(name, role, password)
	jar, _ := cookiejar.New(nil)
	c := &consoleSession{t: o.t, client: &http.Client{Jar: jar}, url: o.startConsole(func() time.Time { return now })}
	c.post("/login", url.Values{"csrf": {c.field(c.get("/login"), "csrf")}, "name": {name}, "password": {password}})
	return c
}

func (c *consoleSession) get(path string) string {
	c.t.Helper()
	res, err := c.client.Get(c.url + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

// post posts a form and returns the final status and page.
func (c *consoleSession) post(path string, form url.Values) (int, string) {
	c.t.Helper()
	res, err := c.client.PostForm(c.url+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// field is the value of the first form field called name on page, as a
// browser posts it.
func (c *consoleSession) field(page, name string) string {
	c.t.Helper()
	m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		c.t.Fatalf("no %s field:\n%.2000s", name, page)
	}
	return html.UnescapeString(m[1])
}

// approve posts the review page's 批准 form as the page shows it.
func (c *consoleSession) approve() (int, string) {
	return c.post("/approve", c.form(c.get("/review"), "/approve"))
}

// approvingOffice is an office whose periods wait for a leader's approval,
// worded by templates, with May built at 07:00 on June 1st.
func approvingOffice(t *testing.T, templates string) *office {
	t.Helper()
	o := newOffice(t, map[string]string{"require_approval": "true", "templates": `"` + filepath.ToSlash(templates) + `"`})
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-01T07:00")
	return o
}

// form is the first form posting to action on page, with its fields.
func (c *consoleSession) form(page, action string) url.Values {
	c.t.Helper()
	start := strings.Index(page, `action="`+action+`"`)
	if start < 0 {
		c.t.Fatalf("no form posting to %s:\n%.2000s", action, page)
	}
	end := strings.Index(page[start:], "</form>")
	form := url.Values{}
	for _, m := range regexp.MustCompile(`name="([^"]+)" value="([^"]*)"`).FindAllStringSubmatch(page[start:start+end], -1) {
		form.Set(m[1], html.UnescapeString(m[2]))
	}
	return form
}

// TestResendClickedTwiceSendsOnce: a leader's 重发 on 报送记录 posted twice
// at once (a double click, a second tab) through the real console, the
// real delivery and a real mail server: the city bureau gets one more copy,
// not two, the second post says why it did nothing, and the reason typed
// is in the ledger.
func TestResendClickedTwiceSendsOnce(t *testing.T) {
	o := newOffice(t, nil)
	o.mustRun(0, "due", "--now", "2025-06-01T09:00")
	before := len(o.bureauLetters())
	c := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 3, 10, 0, 0, 0, shanghai))
	form := c.form(c.get("/deliveries"), "/resend")
	form.Set("reason", "市局说没收到")
	var wg sync.WaitGroup
	var mu sync.Mutex
	var answers []string
	for range 2 {
		wg.Go(func() {
			_, page := c.post("/resend", form)
			mu.Lock()
			answers = append(answers, page)
			mu.Unlock()
		})
	}
	wg.Wait()
	if n := len(o.bureauLetters()) - before; n != 1 {
		t.Errorf("one resend asked twice at once sent %d copies, want 1", n)
	}
	if refused := strings.Join(answers, "\n"); !strings.Contains(refused, "又发过一次") {
		t.Errorf("neither answer says why the second did nothing:\n%.3000s", refused)
	}
	entries, _, err := ledger.Open(o.out).Entries()
	if err != nil {
		t.Fatal(err)
	}
	last := entries[len(entries)-1]
	if !last.Resend || last.State != ledger.Sent || !strings.Contains(last.Reason, "市局说没收到") {
		t.Errorf("the ledger's last entry %+v; want the resend, sent, with its reason", last)
	}
	// A page from before the resend names the delivery it showed: refused.
	if code, _ := c.post("/resend", form); code == http.StatusOK && len(o.bureauLetters())-before == 1 {
		t.Errorf("a resend from a page older than the last resend answered %d", code)
	}
	if n := len(o.bureauLetters()) - before; n != 1 {
		t.Errorf("%d copies after the stale page's resend, want 1", n)
	}
}

// TestApprovedWordingIsWhatIsSent: a leader approves May in the console;
// then a template's wording is changed. due does not send words the leader
// never read: it holds May, saying why, until a leader approves again.
func TestApprovedWordingIsWhatIsSent(t *testing.T) {
	templates := withTemplates(t, "月报-01-概况.tmpl", "")
	o := approvingOffice(t, templates)
	leader := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 1, 7, 30, 0, 0, shanghai))
	approve := func() {
		t.Helper()
		if code, page := leader.approve(); code != http.StatusOK || !strings.Contains(page, "已批准") {
			t.Fatalf("approve: %d\n%.3000s", code, page)
		}
	}
	approve()
	appendFile(t, filepath.Join(templates, "月报-01-概况.tmpl"), "\n本月执法监督工作存在严重问题。\n")
	stdout, _, code := o.run("due", "--now", "2025-06-01T08:05")
	if code != 1 || len(o.bureauLetters()) != 0 || !strings.Contains(stdout, "文字有变动") {
		t.Fatalf("due after the wording changed: exit %d, %d letters\n%s", code, len(o.bureauLetters()), stdout)
	}
	approve()                                        // the leader reads the new wording and approves it
	o.mustRun(0, "due", "--now", "2025-06-02T09:05") // a day later: dated the 2nd, the words the same
	letters := o.bureauLetters()
	if len(letters) != 1 {
		t.Fatalf("%d letters after the second approval, want 1", len(letters))
	}
	for _, f := range letters[0].Files {
		path := filepath.Join(t.TempDir(), "sent.pdf")
		if err := os.WriteFile(path, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		if flow, _ := pdfText(t, path); !strings.Contains(flow, "本月执法监督工作存在严重问题") {
			t.Errorf("%s does not carry the wording approved", f.Name)
		}
	}
}

// withTemplates is a copy of the repository's templates, with add appended
// to the file name, for an office to word its documents with.
func withTemplates(t *testing.T, name, add string) string {
	t.Helper()
	templates := t.TempDir()
	if err := os.CopyFS(templates, os.DirFS("../../templates")); err != nil {
		t.Fatal(err)
	}
	appendFile(t, filepath.Join(templates, name), add)
	return templates
}

// appendFile adds text at the end of the file path.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestApprovalIsOfTheWordsOfTheFilesShown: the wording changes after May
// was built and before the leader, reading the files built, approves. The
// approval is refused, saying the files are not worded as now; once 综合科
// builds again, the leader approves what is sent.
func TestApprovalIsOfTheWordsOfTheFilesShown(t *testing.T) {
	templates := withTemplates(t, "月报-01-概况.tmpl", "")
	o := approvingOffice(t, templates)
	appendFile(t, filepath.Join(templates, "月报-01-概况.tmpl"), "\n本月执法监督工作存在严重问题。\n")
	leader := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 1, 7, 30, 0, 0, shanghai))
	if code, page := leader.approve(); code != http.StatusConflict || !strings.Contains(page, "文字改过") {
		t.Fatalf("approving files worded before the change: %d\n%.3000s", code, page)
	}
	if stdout := o.mustRun(0, "due", "--now", "2025-06-01T08:05"); len(o.bureauLetters()) != 0 || !strings.Contains(stdout, "待批准") {
		t.Fatalf("due without an approval: %d letters\n%s", len(o.bureauLetters()), stdout)
	}
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-01T08:30")
	if code, page := leader.approve(); code != http.StatusOK || !strings.Contains(page, "已批准") {
		t.Fatalf("approving the files as rebuilt: %d\n%.3000s", code, page)
	}
	o.mustRun(0, "due", "--now", "2025-06-01T09:05")
	if n := len(o.bureauLetters()); n != 1 {
		t.Fatalf("%d letters, want 1", n)
	}
}

// TestApprovalHoldsWhateverTheTemplatesPrintOfTheDay: a template prints the
// date of issue in a paragraph; May approved on the 1st goes out on the
// 2nd, dated the 2nd.
func TestApprovalHoldsWhateverTheTemplatesPrintOfTheDay(t *testing.T) {
	templates := withTemplates(t, "月报-01-概况.tmpl", "\n本通报数字截至{{date .IssueDate}}。\n")
	o := approvingOffice(t, templates)
	leader := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 1, 7, 30, 0, 0, shanghai))
	if code, page := leader.approve(); code != http.StatusOK || !strings.Contains(page, "已批准") {
		t.Fatalf("approve: %d\n%.3000s", code, page)
	}
	stdout, _, code := o.run("due", "--now", "2025-06-02T09:00") // the machine was off on the 1st
	if code != 0 || len(o.bureauLetters()) != 1 {
		t.Fatalf("approved on the 1st, due on the 2nd: exit %d, %d letters\n%s", code, len(o.bureauLetters()), stdout)
	}
	path := filepath.Join(t.TempDir(), "sent.pdf")
	if err := os.WriteFile(path, o.bureauLetters()[0].Files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	if flow, _ := pdfText(t, path); !strings.Contains(flow, "本通报数字截至2025年6月2日") {
		t.Error("the letter is not dated the day it was sent")
	}
}

// TestConsoleStopsWhenItsSettingsChange: config.toml changes while the
// console runs. It would word and count by the settings it read at its
// start, so it builds, previews and approves nothing until restarted, and
// says so.
func TestConsoleStopsWhenItsSettingsChange(t *testing.T) {
	o := newOffice(t, map[string]string{"require_approval": "true"})
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-01T07:00")
	leader := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 1, 7, 30, 0, 0, shanghai))
	form := leader.form(leader.get("/review"), "/approve")
	text, err := os.ReadFile(o.cfg)
	if err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(text), `issue_to = ["各科室", "各中队"]`, `issue_to = ["各科室", "各中队", "局领导"]`, 1)
	if changed == string(text) {
		t.Fatal("config.toml has no issue_to line to change")
	}
	if err := os.WriteFile(o.cfg, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, page := leader.post("/approve", form); code == http.StatusOK || !strings.Contains(page, "请重启工作台") {
		t.Errorf("approving after config.toml changed: %d\n%.3000s", code, page)
	}
	if page := leader.get("/preview?period=2025-05"); !strings.Contains(page, "请重启工作台") {
		t.Errorf("the preview after config.toml changed does not ask for a restart:\n%.3000s", page)
	}
	// Restarted, the console approves what due will send.
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-01T07:40")
	leader = o.logIn("li", "领导", "leader-password-2", time.Date(2025, 6, 1, 7, 45, 0, 0, shanghai))
	if code, page := leader.approve(); code != http.StatusOK || !strings.Contains(page, "已批准") {
		t.Fatalf("approve after the restart: %d\n%.3000s", code, page)
	}
	o.mustRun(0, "due", "--now", "2025-06-01T08:05")
	if n := len(o.bureauLetters()); n != 1 {
		t.Fatalf("%d letters, want 1", n)
	}
}

// A file the loader reads appears in the plans folder while the console
// runs, under a name no glob of *.toml would see (Notepad's 2026.toml.txt):
// every later command stops on it, and the console, which read the folder
// before, asks for the restart that will say so too.
func TestConsoleStopsWhenAPlanFileAppears(t *testing.T) {
	plans := filepath.Join(t.TempDir(), "plans") // its own, to add a file to
	if err := os.CopyFS(plans, os.DirFS("../../plans")); err != nil {
		t.Fatal(err)
	}
	o := newOffice(t, map[string]string{"require_approval": "true", "plans": fmt.Sprintf("%q", plans)})
	o.mustRun(0, "monthly", "--month", "2025-05", "--now", "2025-06-01T07:00")
	leader := o.logIn("zhao", "领导", "leader-password-1", time.Date(2025, 6, 1, 7, 30, 0, 0, shanghai))
	form := leader.form(leader.get("/review"), "/approve")
	if err := os.WriteFile(filepath.Join(plans, "2026.toml.txt"), []byte(repoPlan(t)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, page := leader.post("/approve", form); code == http.StatusOK || !strings.Contains(page, "请重启工作台") {
		t.Errorf("approving after a file appeared in plans/: %d\n%.3000s", code, page)
	}
	if _, stderr, code := runCLI(t, "check", "--month", "2025-05", "--config", o.cfg, "--data", o.data, "--out", t.TempDir()); code != 1 || !strings.Contains(stderr, "2026.toml.txt") {
		t.Errorf("check with 2026.toml.txt in plans/: exit %d, %s", code, stderr)
	}
}
