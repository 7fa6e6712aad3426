package console

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/iotest"
	"time"
	"unicode"

	"bulletin/report"
	"bulletin/report/sqlite"
)

// access is the rule every route must have here: a route added to the
// console without a line in this table fails TestEveryRouteHasAnAccessRule.
var access = map[string]permission{
	"GET /login":            public,
	"POST /login":           public,
	"POST /logout":          loggedIn,
	"GET /static/{name}":    public,
	"GET /{$}":              permView,
	"GET /upload":           permUpload,
	"POST /upload":          permUpload,
	"GET /quality":          permView,
	"GET /quality/workbook": permView,
	"GET /preview":          permView,
	"GET /explain":          permView,
	"GET /download":         permView,
	"POST /build":           permBuild,
	"GET /review":           permView,
	"POST /approve":         permApprove,
	"POST /withhold":        permWithhold,
	"GET /deliveries":       permView,
	"GET /archive":          permView,
	"POST /resend":          permResend,
	"GET /audit":            permView,
}

// fakeReports stands for the pipeline: it "reads" a file named 案件… as
// three rows with one rejected, and a file named 坏… as unreadable.
type fakeReports struct{ outDir string }

func (f *fakeReports) Read(ctx context.Context, root string, from, through report.Month) (*report.Quality, error) {
	q := &report.Quality{Period: through.String()}
	for m := from; m.Compare(through) <= 0; m = m.Add(1) {
		entries, _ := os.ReadDir(filepath.Join(root, m.String()))
		for _, e := range entries {
			path := filepath.Join(root, m.String(), e.Name())
			switch {
			case e.IsDir() || strings.HasPrefix(e.Name(), "."):
			case strings.HasPrefix(e.Name(), "案件"):
				q.Inputs = append(q.Inputs, report.Input{Dataset: "案件", File: path, SHA256: fileSHA256(path), Rows: 3, Accepted: 2, Rejected: 1})
				q.Rejected = append(q.Rejected, report.Rejection{Dataset: "案件", File: path, Row: 4, Column: "立案日期", Value: "2025-13-01", Reason: "日期无法识别"})
			case strings.HasPrefix(e.Name(), "诉件"):
				q.Inputs = append(q.Inputs, report.Input{Dataset: "诉件", File: path, SHA256: fileSHA256(path), Rows: 2, Accepted: 2})
				q.Warnings = append(q.Warnings,
					report.Warning{Kind: report.WarnSummaryRow, File: path, Count: 1, Example: "第4行：合计"},
					report.Warning{Kind: report.WarnUnreadSheet, File: path, Count: 1, Example: "工作表「诉件(2)」第1行也是诉件的表头，其下 3 行数据没有读取"},
					report.Warning{Kind: report.WarnShortRow, File: path, Count: 2, Example: "第2行只有4列，表头有6列"})
			case strings.HasPrefix(e.Name(), "坏"):
				q.Files = append(q.Files, report.FileError{Dataset: "案件", File: path, Reason: "不是有效的工作簿"})
			}
		}
	}
	return q, nil
}

func (f *fakeReports) Check(ctx context.Context, root string, m report.Month) (*report.Quality, error) {
	return f.Read(ctx, root, m, m)
}

func (f *fakeReports) Edition(ctx context.Context, period string) (*Edition, error) {
	value := 0.5
	return &Edition{Period: period, Quality: &report.Quality{}, TextSHA256: "text of " + period,
		Figures: &report.Figures{Period: period, Quotas: []report.QuotaResult{{ID: "lawful.case_sample_rate", Name: "案件抽查率", Value: &value}}},
		Documents: []report.Document{{Title: "2025年5月执法监督工作情况", Blocks: []report.Block{
			{Kind: report.Heading1, Text: "一、总体情况"},
			{Kind: report.Paragraph, Text: "本月抽查案件50件。"},
			{Kind: report.TableBlock, Table: &report.Table{Caption: "指标", Columns: []report.Column{{Title: "指标"}, {Title: "完成率"}},
				Rows: [][]report.Cell{{{Text: "案件抽查率"}, {Text: "50.0%", Explain: "lawful.case_sample_rate"}}}}},
			{Kind: report.ChartBlock, Chart: &report.Chart{ID: "c1", Title: "图1", Kind: report.BarChart, Categories: []string{"a"}, Series: []report.Series{{Name: "s", Values: []float64{1}}}}},
		}}}}, nil
}

func (f *fakeReports) Explain(ctx context.Context, m report.Month, quota string) (report.Explanation, error) {
	if quota != "lawful.case_sample_rate" {
		return report.Explanation{}, fmt.Errorf("unknown quota id %q", quota)
	}
	half := 0.5
	return report.Explanation{Month: m.String(), Quota: report.QuotaResult{ID: quota, Name: "案件抽查率", Numerator: 1, Denominator: 2, Value: &half, Target: 0.1},
		Numerator: []report.Ref{{Dataset: "抽查明细", ID: "C1", Origin: (&report.Source{File: "/data/2025-05/抽查明细.xlsx"}).At(7)}},
		Target:    "≥10%", Result: "1/2件", Rate: "50%"}, nil
}

// Build writes a stand-in PDF and the edition's figures.json, as a build
// of the data as they are does.
func (f *fakeReports) Build(ctx context.Context, period string) ([]string, error) {
	ed, err := f.Edition(ctx, period)
	if err != nil {
		return nil, err
	}
	return f.write(ed)
}

func (f *fakeReports) write(ed *Edition) ([]string, error) {
	period := ed.Period
	dir := filepath.Join(f.outDir, period)
	os.MkdirAll(dir, 0o755)
	figures, err := json.Marshal(ed.Figures)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "figures.json"), figures, 0o644); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, report.TextDigestFile), []byte(ed.TextSHA256+"\n"), 0o644); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "月报-"+period+".pdf")
	return []string{path}, os.WriteFile(path, []byte("%PDF-1.4 "+period), 0o644)
}

func (f *fakeReports) QualityWorkbook(ctx context.Context, m report.Month, dir string) (string, error) {
	path := filepath.Join(dir, "数据质量报告.xlsx")
	return path, os.WriteFile(path, []byte("xlsx"), 0o644)
}

type fakeDelivery struct {
	withheld, resent []string
	noApproval       bool     // delivery.require_approval = false
	checks           []string // what the pre-send checks find
	checksErr        error    // the data-quality report could not be read
}

func (d *fakeDelivery) RequireApproval() bool { return !d.noApproval }
func (d *fakeDelivery) Records() ([]Record, error) {
	return []Record{{Period: "2025-04", State: "sent", At: time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC), Recipients: []string{"city@example.gov.cn"}}}, nil
}
func (d *fakeDelivery) Checks(period string) ([]string, error) { return d.checks, d.checksErr }
func (d *fakeDelivery) Schedule(period string) (time.Time, time.Time, error) {
	due := time.Date(2025, 6, 5, 8, 0, 0, 0, time.UTC)
	return due, due.AddDate(0, 0, -3), nil
}
func (d *fakeDelivery) Withhold(ctx context.Context, period, reason string) error {
	d.withheld = append(d.withheld, period)
	return nil
}
func (d *fakeDelivery) Resend(ctx context.Context, period, reason, seen string) error {
	d.resent = append(d.resent, period)
	return nil
}

// testConsole is a console on a real store with the fakes, and a browser
// session per role.
type testConsole struct {
	t        *testing.T
	srv      *Server
	store    *sqlite.Store
	data     string
	sessions map[report.Role]*report.Session
	tokens   map[report.Role]string
	delivery *fakeDelivery
}

var testNow = time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)

func newTestConsole(t *testing.T) *testConsole {
	t.Helper()
	out, data := t.TempDir(), t.TempDir()
	store, err := sqlite.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	tc := &testConsole{t: t, store: store, data: data, sessions: map[report.Role]*report.Session{}, tokens: map[report.Role]string{}, delivery: &fakeDelivery{}}
	srv, err := New(Config{
		Plan: &report.Config{Location: time.UTC}, DataDir: data, OutDir: out, Store: store,
		Reports: &fakeReports{outDir: out}, Delivery: tc.delivery,
		Chart: func(c report.Chart, host string) (template.HTML, []string, error) {
			return template.HTML(`<div id="chart-` + c.ID + `"></div>`), []string{host + "echarts.min.js"}, nil
		},
		Assets:    map[string][]byte{"echarts.min.js": []byte("/* echarts */")},
		MaxUpload: 1 << 20,
		Now:       func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	tc.srv = srv
	for _, role := range report.Roles {
		name := string(role) + "1"
		if err := store.AddUser(name, role, "password-"+name, testNow); err != nil {
			t.Fatal(err)
		}
		tc.login(role)
	}
	return tc
}

// login gives role a fresh session.
func (tc *testConsole) login(role report.Role) {
	tc.t.Helper()
	token, err := tc.store.NewSession(string(role)+"1", "127.0.0.1", testNow, time.Hour)
	if err != nil {
		tc.t.Fatal(err)
	}
	sess, err := tc.store.Session(token, testNow)
	if err != nil {
		tc.t.Fatal(err)
	}
	tc.sessions[role], tc.tokens[role] = &sess, token
}

// do sends a request as role ("" for nobody), with the session's CSRF
// token unless csrf says otherwise ("-" for none).
func (tc *testConsole) do(role report.Role, method, target string, form url.Values, csrf string) *httptest.ResponseRecorder {
	if form == nil {
		form = url.Values{}
	}
	if sess := tc.sessions[role]; sess != nil && csrf == "" {
		csrf = sess.CSRF
	}
	if csrf != "-" && method == http.MethodPost {
		form.Set("csrf", csrf)
	}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token := tc.tokens[role]; token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
	}
	rec := httptest.NewRecorder()
	tc.srv.ServeHTTP(rec, req)
	return rec
}

// concrete turns a route pattern into a request path with sensible
// parameters.
func concrete(pattern string) string {
	switch pattern {
	case "/{$}":
		return "/"
	case "/static/{name}":
		return "/static/console.css"
	case "/preview", "/download", "/archive", "/build", "/approve", "/withhold", "/resend":
		return pattern + "?period=2025-05"
	case "/explain":
		return pattern + "?month=2025-05&quota=lawful.case_sample_rate"
	}
	return pattern + "?month=2025-05"
}

func TestEveryRouteHasAnAccessRule(t *testing.T) {
	tc := newTestConsole(t)
	seen := map[string]bool{}
	for _, rt := range tc.srv.routes() {
		key := rt.method + " " + rt.pattern
		seen[key] = true
		want, ok := access[key]
		if !ok {
			t.Errorf("route %s has no line in the test's access table: say who may use it", key)
			continue
		}
		if rt.need != want {
			t.Errorf("route %s needs %q, the access table says %q", key, rt.need, want)
		}
	}
	for key := range access {
		if !seen[key] {
			t.Errorf("the access table names %s, which the console no longer serves", key)
		}
	}
}

// TestRoutesUnderEveryRole requests every route as nobody and as each role:
// nobody is sent to the login page (or refused, for a POST), a role
// without the permission gets 403, a role with it gets past the guard.
func TestRoutesUnderEveryRole(t *testing.T) {
	tc := newTestConsole(t)
	for _, rt := range tc.srv.routes() {
		for _, role := range append([]report.Role{""}, report.Roles...) {
			name := fmt.Sprintf("%s %s as %q", rt.method, rt.pattern, role)
			t.Run(name, func(t *testing.T) {
				form := url.Values{"reason": {"测试"}}
				rec := tc.do(role, rt.method, concrete(rt.pattern), form, "")
				if rt.pattern == "/logout" && role != "" {
					defer tc.login(role)
				}
				switch {
				case rt.need == public && rt.method == "POST":
					// The login form's own token is missing: refused.
					if rec.Code != http.StatusForbidden {
						t.Errorf("POST without the login page's token: %d, want 403", rec.Code)
					}
				case rt.need == public:
					if rec.Code != http.StatusOK && rec.Code != http.StatusSeeOther {
						t.Errorf("public route answered %d", rec.Code)
					}
				case role == "" && rt.method == "GET":
					if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
						t.Errorf("without a session: %d %s, want a redirect to /login", rec.Code, rec.Header().Get("Location"))
					}
				case role == "":
					if rec.Code != http.StatusUnauthorized {
						t.Errorf("without a session: %d, want 401", rec.Code)
					}
				case !may(role, rt.need):
					if rec.Code != http.StatusForbidden {
						t.Errorf("role %s without %s: %d, want 403", role, rt.need, rec.Code)
					}
				default:
					if rec.Code == http.StatusForbidden || rec.Code == http.StatusUnauthorized || rec.Code >= 500 {
						t.Errorf("role %s with %s: %d, want it served: %s", role, rt.need, rec.Code, rec.Body.String())
					}
				}
			})
		}
	}
}

func TestStateChangesNeedTheSessionsCSRFToken(t *testing.T) {
	tc := newTestConsole(t)
	for _, rt := range tc.srv.routes() {
		if rt.method != http.MethodPost || rt.need == public {
			continue
		}
		role := report.RoleReader
		for _, r := range report.Roles {
			if may(r, rt.need) {
				role = r
				break
			}
		}
		other := tc.sessions[report.RoleReader].CSRF
		if role == report.RoleReader {
			other = tc.sessions[report.RoleClerk].CSRF
		}
		for _, csrf := range []string{"-", "wrong-token", other} {
			rec := tc.do(role, http.MethodPost, concrete(rt.pattern), url.Values{"reason": {"x"}}, csrf)
			if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "CSRF") {
				t.Errorf("%s as %s with CSRF %q: %d, want 403 naming CSRF", rt.pattern, role, csrf, rec.Code)
			}
		}
		// The right token, but in the address, where a link could put it
		// and logs keep it.
		target, _ := url.Parse(concrete(rt.pattern))
		query := target.Query()
		query.Set("csrf", tc.sessions[role].CSRF)
		target.RawQuery = query.Encode()
		if rec := tc.do(role, http.MethodPost, target.String(), url.Values{"reason": {"x"}}, "-"); rec.Code != http.StatusForbidden {
			t.Errorf("%s as %s with the token in the address: %d, want 403", rt.pattern, role, rec.Code)
		}
	}
	if len(tc.delivery.withheld)+len(tc.delivery.resent) > 0 {
		t.Errorf("a request without a valid token acted: withheld %v, resent %v", tc.delivery.withheld, tc.delivery.resent)
	}
}

func TestLoginNeedsItsFormTokenAndIsThrottled(t *testing.T) {
	tc := newTestConsole(t)
	ts := httptest.NewServer(tc.srv)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// Without the token of the login page: refused, even with the password.
	resp, err := client.PostForm(ts.URL+"/login", url.Values{"name": {"clerk1"}, "password": {"password-clerk1"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without the form's token: %d, want 403", resp.StatusCode)
	}
	login := func(password string) int {
		return postLogin(t, client, ts.URL, url.Values{"name": {"clerk1"}, "password": {password}}).StatusCode
	}
	for i := 0; i < maxFailuresPerAccount; i++ {
		if code := login("wrong password"); code != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d: %d, want 401", i+1, code)
		}
	}
	for range 50 {
		if code := login("password-clerk1"); code != http.StatusTooManyRequests {
			t.Fatalf("right password after %d failures: %d, want 429 (throttled)", maxFailuresPerAccount, code)
		}
	}
	// The log says when the account was locked, once, not at every
	// attempt refused: anyone may send those, and the log is append-only.
	events, _ := tc.store.AuditLog(100)
	count := map[string]int{}
	for _, e := range events {
		count[e.Action]++
	}
	if count["login-failed"] != maxFailuresPerAccount || count["login-throttled"] != 1 {
		t.Errorf("audit log after %d failures and 50 refused attempts: %v", maxFailuresPerAccount, count)
	}
	// The window passes: the account may log in again.
	testNow = testNow.Add(throttleWindow)
	defer func() { testNow = testNow.Add(-throttleWindow) }()
	if code := login("password-clerk1"); code != http.StatusSeeOther {
		t.Fatalf("login after the window: %d, want 303", code)
	}
	u, _ := url.Parse(ts.URL)
	for _, c := range jar.Cookies(u) {
		if c.Name == sessionCookie && c.Value != "" {
			return
		}
	}
	t.Fatal("no session cookie after logging in")
}

// slowStore checks passwords as slowly as argon2 does on a busy server, and
// counts the checks.
type slowStore struct {
	*sqlite.Store
	checks atomic.Int32
}

func (s *slowStore) Authenticate(name, password string) (report.User, error) {
	s.checks.Add(1)
	time.Sleep(200 * time.Millisecond)
	return s.Store.Authenticate(name, password)
}

// TestConcurrentGuessesAreThrottled sends 40 wrong passwords for one account
// at once: no more are checked than the limit allows, and afterwards the
// right password is refused too.
func TestConcurrentGuessesAreThrottled(t *testing.T) {
	tc := newTestConsole(t)
	store := &slowStore{Store: tc.store}
	tc.srv.cfg.Store = store
	ts := httptest.NewServer(tc.srv)
	defer ts.Close()
	page, err := http.Get(ts.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	token := between(string(body), `name="csrf" value="`, `"`)
	login := func(password string) int {
		form := url.Values{"csrf": {token}, "name": {"clerk1"}, "password": {password}}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: loginCookie, Value: token})
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	codes := make(chan int, 40)
	var wg sync.WaitGroup
	for range cap(codes) {
		wg.Add(1)
		go func() { defer wg.Done(); codes <- login("wrong password") }()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	if n := store.checks.Load(); n > maxFailuresPerAccount || count[http.StatusUnauthorized] != int(n) || count[http.StatusTooManyRequests] != cap(codes)-int(n) {
		t.Errorf("40 guesses at once: %d passwords checked, answers %v; want at most %d checked, the rest 429", n, count, maxFailuresPerAccount)
	}
	if code := login("password-clerk1"); code != http.StatusTooManyRequests {
		t.Errorf("right password after the guesses: %d, want 429 (throttled)", code)
	}
}

// countingReader counts what the server read of a request body.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestLoginReadsNoLargeBody posts a 50 MB multipart body to the login form
// with the form's valid token, as anyone may: the server reads a few
// kilobytes of it, not the whole body into memory or onto disk.
func TestLoginReadsNoLargeBody(t *testing.T) {
	tc := newTestConsole(t)
	page := tc.do("", http.MethodGet, "/login", nil, "")
	token := between(page.Body.String(), `name="csrf" value="`, `"`)
	const boundary = "b0undary"
	head := "--" + boundary + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + token +
		"\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"; filename=\"x\"\r\n\r\n"
	tail := "\r\n--" + boundary + "--\r\n"
	body := &countingReader{r: io.MultiReader(strings.NewReader(head), io.LimitReader(zeros{}, 50<<20), strings.NewReader(tail))}
	req := httptest.NewRequest(http.MethodPost, "/login", body)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	req.AddCookie(&http.Cookie{Name: loginCookie, Value: token})
	rec := httptest.NewRecorder()
	tc.srv.ServeHTTP(rec, req)
	if rec.Code == http.StatusSeeOther {
		t.Errorf("the login succeeded")
	}
	if body.n > 1<<20 {
		t.Errorf("the server read %d MB of an anonymous request's body", body.n>>20)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestPagesRunOnlyTheConsolesScripts: text from an export that got into a
// page as markup could not run there, inline or in an attribute.
func TestPagesRunOnlyTheConsolesScripts(t *testing.T) {
	tc := newTestConsole(t)
	csp := tc.do("", http.MethodGet, "/login", nil, "").Header().Get("Content-Security-Policy")
	for _, directive := range strings.Split(csp, ";") {
		if f := strings.Fields(directive); len(f) > 0 && f[0] == "script-src" && !slices.Equal(f[1:], []string{"'self'"}) {
			t.Errorf("the CSP allows scripts from %v, want only the console's own ('self')", f[1:])
		}
	}
	if !strings.Contains(csp, "script-src") {
		t.Errorf("the CSP names no script-src: %q", csp)
	}
}

func TestSessionCookieIsHttpOnlyAndStrict(t *testing.T) {
	tc := newTestConsole(t)
	rec := tc.do("", http.MethodGet, "/login", nil, "")
	for _, c := range rec.Result().Cookies() {
		if !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
	tc.srv.cfg.Secure = true
	rec = tc.do("", http.MethodGet, "/login", nil, "")
	for _, c := range rec.Result().Cookies() {
		if !c.Secure {
			t.Errorf("cookie %s is not Secure under TLS", c.Name)
		}
	}
}

// postLogin submits the login form of the console at base with form, as
// a browser does: with the token of the login page it fetched first. The
// answer's body is closed.
func postLogin(t *testing.T, client *http.Client, base string, form url.Values) *http.Response {
	t.Helper()
	page, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	form.Set("csrf", between(string(body), `name="csrf" value="`, `"`))
	resp, err := client.PostForm(base+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}

// upload posts one file as the clerk's script does and returns the result.
func (tc *testConsole) upload(name string, content []byte) (int, string) {
	return tc.uploadFor(name, content, "application/json")
}

// uploadFor posts one file, asking for the answer in the accepted type.
func (tc *testConsole) uploadFor(name string, content []byte, accept string) (int, string) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	// The name is written raw, as a hostile client would send it.
	h.Set("Content-Disposition", `form-data; name="files"; filename="`+name+`"`)
	w, _ := mw.CreatePart(h)
	w.Write(content)
	mw.Close()
	req := httptest.NewRequest(http.MethodPost, "/upload?month=2025-05", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", accept)
	req.Header.Set("X-CSRF-Token", tc.sessions[report.RoleClerk].CSRF)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tc.tokens[report.RoleClerk]})
	rec := httptest.NewRecorder()
	tc.srv.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func xlsxLike(t *testing.T, parts map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, data := range parts {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	return buf.Bytes()
}

func TestHostileUploadsAreRefused(t *testing.T) {
	tc := newTestConsole(t)
	workbook := xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook/>")})
	bomb := xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook/>"), "xl/worksheets/sheet1.xml": bytes.Repeat([]byte{'0'}, 50<<20)})
	for _, c := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"../案件.xlsx", workbook, "路径"},
		{"..\\案件.xlsx", workbook, "路径"},
		{"2025-04/案件.xlsx", workbook, "路径"},
		{"/etc/案件.xlsx", workbook, "路径"},
		{"案件..xlsx", workbook, "路径"},
		{".案件.xlsx", workbook, "隐藏"},
		{"案件.exe", []byte("MZ"), "电子表格"},
		{"案件.xls", []byte{0xd0, 0xcf, 0x11, 0xe0}, "另存为"},
		{"案件.xlsx", []byte("just some text, not a zip"), "不是 .xlsx"},
		{"案件.xlsx", xlsxLike(t, map[string][]byte{"readme.txt": []byte("hi")}), "没有工作簿"},
		{"案件.csv", append([]byte("PK\x03\x04"), workbook...), "Excel 文件"},
		{"案件.csv", []byte("a,b\x00\x01\x02"), "不是文本"},
		{"案件.xlsx", bomb, "压缩炸弹"},
		{"案件.xlsx", append(workbook, bytes.Repeat([]byte{0}, 2<<20)...), "上限"},
		{"案件.xlsx", nil, "空"},
		{"坏案件.xlsx", workbook, "无法读取"},
		{"其他.xlsx", workbook, "数据集名称"},
		// Shown as 案件xslx.lscx, were the character not written out.
		{"案件\u202excsl.xlsx", workbook, "案件[U+202E]xcsl.xlsx"},
		{"\u2067案件.xlsx", workbook, "改变文字方向"},
	} {
		code, body := tc.upload(c.name, c.content)
		if code != http.StatusOK || !strings.Contains(body, `"ok":false`) || !strings.Contains(body, c.want) {
			t.Errorf("upload %q: %d %s, want refused with %q", c.name, code, body, c.want)
		}
	}
	var left []string
	filepath.WalkDir(tc.data, func(path string, d os.DirEntry, err error) error {
		if !d.IsDir() {
			left = append(left, path)
		}
		return nil
	})
	if len(left) > 0 {
		t.Errorf("refused uploads left files behind: %v", left)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(tc.data), "案件.xlsx")); err == nil {
		t.Error("an upload escaped the data folder")
	}
}

func TestUploadKeepsEarlierVersions(t *testing.T) {
	tc := newTestConsole(t)
	defer func(start time.Time) { testNow = start }(testNow) // the clock moves a second an upload
	first := xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook>1</workbook>")})
	second := xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook>2</workbook>")})
	for i, c := range []struct {
		name    string
		content []byte
	}{{"案件.xlsx", first}, {"案件_补.xlsx", second}, {"案件.xlsx", second}} {
		code, body := tc.upload(c.name, c.content)
		if code != http.StatusOK || !strings.Contains(body, `"ok":true`) || !strings.Contains(body, "未采用 1") {
			t.Fatalf("upload #%d: %d %s", i+1, code, body)
		}
		testNow = testNow.Add(time.Second)
	}
	dir := filepath.Join(tc.data, "2025-05")
	current, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	versions, _ := filepath.Glob(filepath.Join(dir, versionsDir, "*"))
	if len(current) != 1 || filepath.Base(current[0]) != "案件.xlsx" || len(versions) != 2 {
		t.Fatalf("current %v, versions %v: want the newest 案件 in use and the two earlier kept", current, versions)
	}
	page := tc.do(report.RoleClerk, http.MethodGet, "/upload?month=2025-05", nil, "").Body.String()
	if strings.Count(page, "旧版本") < 2 || !strings.Contains(page, "使用中") {
		t.Errorf("the upload page does not list every version:\n%s", page)
	}
	events, _ := tc.store.AuditLog(10)
	if len(events) != 3 || events[0].Action != "upload" || len(events[0].Files) != 1 || len(events[0].Files[0].SHA256) != 64 {
		t.Errorf("audit log: %+v", events)
	}
}

// An upload tells what its file holds that is not read as it may seem (a
// sheet not read, short rows), on the page and to its script; not the 合计
// row every export ends with.
func TestUploadTellsWhatTheFileHoldsUnread(t *testing.T) {
	tc := newTestConsole(t)
	workbook := xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook/>")})
	code, body := tc.upload("诉件.xlsx", workbook)
	var results []uploadResult
	if err := json.Unmarshal([]byte(body), &results); code != http.StatusOK || err != nil || len(results) != 1 {
		t.Fatalf("upload: %d %s (%v)", code, body, err)
	}
	want := []string{"未读取的工作表：工作表「诉件(2)」第1行也是诉件的表头，其下 3 行数据没有读取",
		"列数不足的行：第2行只有4列，表头有6列（共 2 处）"}
	if !results[0].OK || !slices.Equal(results[0].Notes, want) {
		t.Errorf("the upload's notes %q (ok %v), want %q", results[0].Notes, results[0].OK, want)
	}
	code, page := tc.uploadFor("诉件.xlsx", workbook, "text/html")
	if code != http.StatusOK || !strings.Contains(page, `<ul class="notes"><li>请注意：`+want[0]+`</li><li>请注意：`+want[1]+`</li></ul>`) {
		t.Errorf("the page without its script does not list the notes: %d\n%s", code, page)
	}
	// The month's 数据质量 page says the same, file by file.
	quality := tc.do(report.RoleClerk, http.MethodGet, "/quality?month=2025-05", nil, "").Body.String()
	notes := between(quality, `<ul class="results notes" id="notes">`, "</ul>")
	wantNotes := `<li>未读取的工作表：<b>诉件.xlsx</b> 工作表「诉件(2)」第1行也是诉件的表头，其下 3 行数据没有读取</li>` +
		`<li>列数不足的行：<b>诉件.xlsx</b> 第2行只有4列，表头有6列（共 2 处）</li>`
	if !strings.Contains(quality, "<h2>请注意（2）</h2>") || notes != wantNotes {
		t.Errorf("the quality page's notes %q, want %q", notes, wantNotes)
	}
}

func TestApprovalRecordsHashesAndLapsesWhenDataChange(t *testing.T) {
	tc := newTestConsole(t)
	tc.srv.cfg.Reports = &dataReports{fakeReports: tc.srv.cfg.Reports.(*fakeReports), data: tc.data}
	if rec := tc.do(report.RoleLeader, http.MethodPost, "/approve?period=2025-05", nil, ""); rec.Code != http.StatusConflict {
		t.Fatalf("approving before anything was built: %d, want 409", rec.Code)
	}
	if rec := tc.do(report.RoleClerk, http.MethodPost, "/build?period=2025-05", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("build: %d %s", rec.Code, rec.Body.String())
	}
	if rec := tc.do(report.RoleLeader, http.MethodPost, "/approve?period=2025-05", tc.approveForm("2025-05"), ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", rec.Code, rec.Body.String())
	}
	a, ok, err := tc.store.LatestApproval("2025-05")
	if err != nil || !ok || !a.Approved || a.By != "leader1" || len(a.InputsSHA256) != 64 || len(a.FiguresSHA256) != 64 || a.TextSHA256 != "text of 2025-05" || len(a.Documents) != 1 {
		t.Fatalf("approval %+v %v %v", a, ok, err)
	}
	if page := tc.do(report.RoleLeader, http.MethodGet, "/review", nil, "").Body.String(); strings.Contains(page, "已失效") {
		t.Fatal("the approval lapsed though nothing changed")
	}
	// An export arrives after the approval: the leaders are told at once.
	if code, body := tc.upload("案件.xlsx", xlsxLike(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook/>")})); code != http.StatusOK || !strings.Contains(body, `"ok":true`) {
		t.Fatalf("upload: %d %s", code, body)
	}
	// The banner names the period as the pages do, and the overview's
	// state under it agrees.
	if other := tc.do(report.RoleLeader, http.MethodGet, "/", nil, "").Body.String(); !strings.Contains(other, "2025年5月的批准已失效") {
		t.Errorf("the leader is not told on the other pages:\n%s", other)
	} else if state := between(other, `<a href="/preview?period=2025-05">`, "</tr>"); !strings.Contains(state, `<td class="nowrap">批准已失效</td>`) {
		t.Errorf("the overview's row of May under the banner: %s", state)
	}
	page := tc.do(report.RoleLeader, http.MethodGet, "/review", nil, "").Body.String()
	if !strings.Contains(page, "批准已失效") {
		t.Fatalf("the review page does not say the approval lapsed:\n%s", page)
	}
	if rec := tc.do(report.RoleLeader, http.MethodPost, "/withhold?period=2025-05", url.Values{"reason": {"江宁路中队数据待核"}}, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("withhold: %d", rec.Code)
	}
	if len(tc.delivery.withheld) != 1 {
		t.Errorf("withhold did not reach the delivery: %v", tc.delivery.withheld)
	}
	events, _ := tc.store.AuditLog(20)
	var actions []string
	for _, e := range events {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"build", "approve", "approval-lapsed", "withhold"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log %v lacks %s", actions, want)
		}
	}
}

// approveForm is what the review page's approve form for period carries
// of the files built: their figures' and their text's digests.
func (tc *testConsole) approveForm(period string) url.Values {
	tc.t.Helper()
	page := tc.do(report.RoleLeader, http.MethodGet, "/review", nil, "").Body.String()
	form := between(page, `<input type="hidden" name="period" value="`+period+`">`, "</form>")
	built := regexp.MustCompile(`name="built" value="([0-9a-f]{64})"`).FindStringSubmatch(form)
	text := regexp.MustCompile(`name="text" value="([^"]+)"`).FindStringSubmatch(form)
	if built == nil || text == nil {
		tc.t.Fatalf("the review page has no approve form for %s carrying the files' digests:\n%s", period, page)
	}
	return url.Values{"built": {built[1]}, "text": {text[1]}}
}

// TestApprovalIsOfTheFilesThePageShowed: a leader approves only the files
// the review page showed, built from the data as they are: files rebuilt
// since the page was opened, or built before an export changed, are
// refused, saying what to do, and nothing is recorded.
func TestApprovalIsOfTheFilesThePageShowed(t *testing.T) {
	tc := newTestConsole(t)
	reports := &dataReports{fakeReports: tc.srv.cfg.Reports.(*fakeReports), data: tc.data}
	tc.srv.cfg.Reports = reports
	if rec := tc.do(report.RoleClerk, http.MethodPost, "/build?period=2025-05", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("build: %d %s", rec.Code, rec.Body.String())
	}
	shown := tc.approveForm("2025-05")
	approve := func(form url.Values) *httptest.ResponseRecorder {
		return tc.do(report.RoleLeader, http.MethodPost, "/approve?period=2025-05", form, "")
	}
	// Rebuilt from other figures after the page was opened.
	value := 0.9
	reports.figures = &report.Figures{Period: "2025-05", Quotas: []report.QuotaResult{{ID: "lawful.case_sample_rate", Value: &value}}}
	if rec := tc.do(report.RoleClerk, http.MethodPost, "/build?period=2025-05", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("build: %d %s", rec.Code, rec.Body.String())
	}
	if rec := approve(shown); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "重新生成过") {
		t.Errorf("approving the files the page showed after a rebuild: %d\n%s", rec.Code, rec.Body.String())
	}
	// The data change after the build: the files on disk are stale.
	shown = tc.approveForm("2025-05")
	value = 0.1
	if rec := approve(shown); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "请综合科重新生成") {
		t.Errorf("approving files built before the data changed: %d\n%s", rec.Code, rec.Body.String())
	}
	// A template's wording changes after the build: the files do not say
	// what would be sent.
	value = 0.9
	reports.text = "text of the new wording"
	if rec := approve(tc.approveForm("2025-05")); rec.Code != http.StatusConflict || !strings.Contains(rec.Body.String(), "文字改过") {
		t.Errorf("approving files built before the wording changed: %d\n%s", rec.Code, rec.Body.String())
	}
	if _, ok, _ := tc.store.LatestApproval("2025-05"); ok {
		t.Fatal("a refused approval was recorded")
	}
	if rec := tc.do(report.RoleClerk, http.MethodPost, "/build?period=2025-05", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("build: %d %s", rec.Code, rec.Body.String())
	}
	if rec := approve(tc.approveForm("2025-05")); rec.Code != http.StatusSeeOther {
		t.Errorf("approving the files as rebuilt: %d\n%s", rec.Code, rec.Body.String())
	}
}

// dataReports reads the data folder for editions, so that an export
// added after an approval changes its inputs.
type dataReports struct {
	*fakeReports
	data    string
	figures *report.Figures // when set, the figures of every edition
	text    string          // when set, the text's digest of every edition
}

func (d *dataReports) Edition(ctx context.Context, period string) (*Edition, error) {
	ed, err := d.fakeReports.Edition(ctx, period)
	if err != nil {
		return nil, err
	}
	if d.figures != nil {
		f := *d.figures
		ed.Figures = &f
	}
	if d.text != "" {
		ed.TextSHA256 = d.text
	}
	m, _ := report.ParseMonth(period)
	ed.Quality, err = d.Read(ctx, d.data, m, m)
	return ed, err
}

func (d *dataReports) Build(ctx context.Context, period string) ([]string, error) {
	ed, err := d.Edition(ctx, period)
	if err != nil {
		return nil, err
	}
	return d.write(ed)
}

func TestDownloadsStayInTheOutputFolder(t *testing.T) {
	tc := newTestConsole(t)
	archive := filepath.Join(tc.srv.cfg.OutDir, "2025-05", "报送存档-20250601-080012")
	os.MkdirAll(archive, 0o755)
	os.WriteFile(filepath.Join(archive, "月报.pdf"), []byte("%PDF sent"), 0o644)
	os.WriteFile(filepath.Join(tc.srv.cfg.OutDir, "console.sqlite.secret"), []byte("secret"), 0o644)
	ok := tc.do(report.RoleReader, http.MethodGet, "/archive?"+url.Values{"period": {"2025-05"}, "dir": {"报送存档-20250601-080012"}, "file": {"月报.pdf"}}.Encode(), nil, "")
	if ok.Code != http.StatusOK || ok.Body.String() != "%PDF sent" || !strings.Contains(ok.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("archived file: %d %q %q", ok.Code, ok.Body.String(), ok.Header().Get("Content-Disposition"))
	}
	for _, q := range []url.Values{
		{"period": {"2025-05"}, "dir": {".."}, "file": {"console.sqlite.secret"}},
		{"period": {"2025-05"}, "dir": {"报送存档-20250601-080012"}, "file": {"../../console.sqlite.secret"}},
		{"period": {"../2025-05"}, "dir": {"x"}, "file": {"y"}},
	} {
		if rec := tc.do(report.RoleReader, http.MethodGet, "/archive?"+q.Encode(), nil, ""); rec.Code == http.StatusOK {
			t.Errorf("/archive?%s served %q", q.Encode(), rec.Body.String())
		}
	}
	for _, file := range []string{"../console.sqlite.secret", "console.sqlite.secret", "/etc/passwd"} {
		if rec := tc.do(report.RoleReader, http.MethodGet, "/download?"+url.Values{"period": {"2025-05"}, "file": {file}}.Encode(), nil, ""); rec.Code == http.StatusOK {
			t.Errorf("/download of %s served %q", file, rec.Body.String())
		}
	}
}

// The leaders' banner lists the lapsed approvals in order of period, the
// same on every page (the lapses are kept in a map).
func TestLapsedNoticesKeepTheirOrder(t *testing.T) {
	tc := newTestConsole(t)
	for _, p := range []string{"2025-05", "2025-H1", "2025-03", "2025-04"} {
		tc.srv.lapsed.byName[p] = "批准后数字有变动"
	}
	want := []string{"2025年3月", "2025年4月", "2025年5月", "2025年上半年"}
	for range 20 {
		got := tc.srv.lapsedNotices()
		var periods []string
		for _, n := range got {
			period, _, _ := strings.Cut(n, "的批准已失效")
			periods = append(periods, period)
		}
		if !slices.Equal(periods, want) {
			t.Fatalf("notices not in order of period: %q", got)
		}
	}
}

// TestLoginRedirectsOnlyWithinTheConsole: after logging in, the browser
// goes back to the page it came from, never to another site: the login
// form's next, as the Location header of the login's answer.
func TestLoginRedirectsOnlyWithinTheConsole(t *testing.T) {
	tc := newTestConsole(t)
	ts := httptest.NewServer(tc.srv)
	defer ts.Close()
	loginTo := func(next string) string {
		t.Helper()
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp := postLogin(t, client, ts.URL, url.Values{"name": {"clerk1"}, "password": {"password-clerk1"}, "next": {next}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d", resp.StatusCode)
		}
		return resp.Header.Get("Location")
	}
	for next, want := range map[string]string{
		"/preview?period=2025-05": "/preview?period=2025-05",
		"":                        "/",
		"https://evil.example/":   "/",
		"//evil.example/":         "/",
		"/\\evil.example/":        "/",
		"/\t/evil.example/":       "/", // a browser drops the tab: //evil.example
		"/\n/evil.example/":       "/",
		"/\r/evil.example/":       "/",
		"/\x7f/evil.example/":     "/",
		"https:evil.example":      "/",
		"\\\\evil.example":        "/",
		"evil.example":            "/",
		// escaped, a slash is a path on this site (http.Redirect and
		// browsers keep it escaped)
		"/%2F/evil.example/": "/%2F/evil.example/",
		"/..//evil.example/": "/evil.example/", // cleaned by http.Redirect
	} {
		if got := loginTo(next); got != want {
			t.Errorf("login with next=%q went to %q, want %q", next, got, want)
		}
	}
}

// TestHalfYearPreviewSaysWhichMonthItExplains: the half's preview lists the
// half's results, and its links explain one month, its last: the page says
// so, lest a leader take June's figures for the half's.
func TestHalfYearPreviewSaysWhichMonthItExplains(t *testing.T) {
	tc := newTestConsole(t)
	page := tc.do(report.RoleReader, http.MethodGet, "/preview?period=2025-H1", nil, "").Body.String()
	if !strings.Contains(page, "这里是2025年上半年的结果；点一项查看其中2025年6月这一个月的") || !strings.Contains(page, "/explain?month=2025-06&amp;quota=") {
		t.Errorf("the half-year preview does not say which month its explanations are of:\n%s", page)
	}
	page = tc.do(report.RoleReader, http.MethodGet, "/preview?period=2025-05", nil, "").Body.String()
	if strings.Contains(page, "半年") || !strings.Contains(page, "/explain?month=2025-05&amp;quota=") {
		t.Errorf("the month's preview:\n%s", page)
	}
}

// TestPreviewIsHeadedByItsReport: a half's preview is of its
// self-inspection reports and says so (自查报告预览), a month's of its
// bulletin (月报预览); both, and an explanation opened from them, are
// under the nav's 预览.
func TestPreviewIsHeadedByItsReport(t *testing.T) {
	tc := newTestConsole(t)
	for path, title := range map[string]string{
		"/preview?period=2025-H1":                              "自查报告预览",
		"/preview?period=2025-05":                              "月报预览",
		"/explain?month=2025-05&quota=lawful.case_sample_rate": "指标依据",
	} {
		page := tc.do(report.RoleReader, http.MethodGet, path, nil, "").Body.String()
		if !strings.Contains(page, "<title>"+title+" · ") || !strings.Contains(page, "<h1>"+title+"</h1>") {
			t.Errorf("%s is not titled %s:\n%s", path, title, page)
		}
		if !strings.Contains(page, `<a href="/preview" class="active">预览</a>`) {
			t.Errorf("%s is not under the nav's 预览:\n%s", path, between(page, "<nav>", "</nav>"))
		}
	}
}

// TestPeriodsAreNamedAsTheDocumentsNameThem: the preview's selector, 报送记录
// and 操作日志 name a period 2025年5月 or 2025年上半年, never by its code
// (2025-H1), which stays what the forms and links send.
func TestPeriodsAreNamedAsTheDocumentsNameThem(t *testing.T) {
	tc := newTestConsole(t)
	if err := os.Mkdir(filepath.Join(tc.data, "2025-06"), 0o755); err != nil { // June closes the first half
		t.Fatal(err)
	}
	page := tc.do(report.RoleReader, http.MethodGet, "/preview?period=2025-05", nil, "").Body.String()
	selector := between(page, `<select name="period"`, "</select>")
	for _, want := range []string{`<option value="2025-06">2025年6月</option>`, `<option value="2025-H1">2025年上半年</option>`,
		`<option value="2025-05" selected>2025年5月</option>`} {
		if !strings.Contains(selector, want) {
			t.Errorf("the period selector lacks %s:\n%s", want, selector)
		}
	}
	if strings.Contains(selector, ">2025-") {
		t.Errorf("the period selector shows a code:\n%s", selector)
	}
	page = tc.do(report.RoleLeader, http.MethodGet, "/deliveries", nil, "").Body.String()
	if !strings.Contains(page, `<td class="nowrap">2025年4月</td>`) || strings.Contains(page, ">2025-04</td>") ||
		!strings.Contains(page, `name="period" value="2025-04"`) {
		t.Errorf("报送记录 does not name April as the documents do, or its resend form lost the code:\n%s", page)
	}
	if rec := tc.do(report.RoleLeader, http.MethodPost, "/withhold?period=2025-H1", url.Values{"reason": {"待核"}}, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("withhold: %d", rec.Code)
	}
	page = tc.do(report.RoleReader, http.MethodGet, "/audit", nil, "").Body.String()
	if !strings.Contains(page, "<td>2025年上半年</td>") || strings.Contains(page, "<td>2025-H1</td>") {
		t.Errorf("操作日志 does not name the half as the documents do:\n%s", page)
	}
}

// TestHintsSpeakPlainChinese: what the pages tell the clerk and the leaders
// is said in plain Chinese; a setting or a command, for whoever keeps the
// server, is named only at the end, in a parenthesis.
func TestHintsSpeakPlainChinese(t *testing.T) {
	tc := newTestConsole(t)
	for _, c := range []struct {
		name, method, path, class string
		role                      report.Role
		noApproval                bool
		want, setting             string
	}{
		{"review, approval required", http.MethodGet, "/review", "hint", report.RoleLeader, false,
			"已启用领导签发：每一期须经领导在这里批准后，才会在报送时间发给市局。批准后数据、数字或文字有变动，批准即失效，需重新审阅。", `<span class="setting">（config.toml 中的 [delivery] require_approval = true）</span>`},
		{"review, no approval required", http.MethodGet, "/review", "hint", report.RoleLeader, true,
			"没有启用领导签发：到了报送时间，会自动发给市局；领导仍可在这里批准或暂缓。", `<span class="setting">（config.toml 中的 [delivery] require_approval = false）</span>`},
		{"login", http.MethodGet, "/login", "hint", "", false,
			"没有账号请找信息科开通。", `<span class="setting">（命令 bulletin user add）</span>`},
		{"a form without its token", http.MethodPost, "/withhold?period=2025-05", "error", report.RoleLeader, false,
			"页面已过期或请求来源不明，请刷新页面后重试。", "（CSRF 校验失败）"},
	} {
		tc.delivery.noApproval = c.noApproval
		csrf := ""
		if c.method == http.MethodPost {
			csrf = "-"
		}
		page := tc.do(c.role, c.method, c.path, url.Values{"reason": {"待核"}}, csrf).Body.String()
		text := between(page, `<p class="`+c.class+`">`, "</p>")
		sentence, _, _ := strings.Cut(text, "（")
		if sentence != c.want && sentence != c.want+`<span class="setting">` {
			t.Errorf("%s: the sentence is %q, want %q", c.name, sentence, c.want)
		}
		if strings.ContainsFunc(strings.TrimSuffix(sentence, `<span class="setting">`), func(r rune) bool { return r < 0x80 && unicode.IsLetter(r) }) {
			t.Errorf("%s: the sentence %q names a setting or a command", c.name, sentence)
		}
		if !strings.HasSuffix(text, c.setting) {
			t.Errorf("%s: %q does not end with %q", c.name, text, c.setting)
		}
	}
}

// A console killed mid-upload leaves its staging folder in the data
// folder; the next console removes it, and nothing else: not an upload in
// progress (a fresh staging folder), not one dated after now (the clock
// went back), not a month, not a file or a link so named, nor what the
// link points to. The data folder's own name may hold glob characters.
func TestStartRemovesStagingAKilledConsoleLeft(t *testing.T) {
	data := filepath.Join(t.TempDir(), "数据[2025]")
	elsewhere := t.TempDir()
	left, fresh, future, month := filepath.Join(data, ".upload-1"), filepath.Join(data, ".upload-2"), filepath.Join(data, ".upload-4"), filepath.Join(data, "2025-05")
	file, link := filepath.Join(data, ".upload-3"), filepath.Join(data, ".upload-5")
	for _, dir := range []string{left, fresh, future, month, elsewhere} {
		if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "sub", "诉件.xlsx"), []byte("x"), 0o644)
	}
	os.WriteFile(file, []byte("x"), 0o644)
	if err := os.Symlink(elsewhere, link); err != nil {
		t.Fatal(err)
	}
	old := testNow.Add(-2 * time.Hour)
	for _, p := range []string{left, month, file, elsewhere} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	for p, at := range map[string]time.Time{fresh: testNow.Add(-time.Minute), future: testNow.Add(24 * time.Hour)} {
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := New(Config{Plan: &report.Config{Location: time.UTC}, DataDir: data, Now: func() time.Time { return testNow }}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(left); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the staging folder a killed console left is still there (%v)", err)
	}
	for _, p := range []string{fresh, future, month, file, link, filepath.Join(elsewhere, "sub", "诉件.xlsx")} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s was removed", p)
		}
	}
}

// The explanation names each record's file as the clerk finds it, by its
// month folder and name, not by the path the console read it through.
func TestExplainNamesFilesByMonthFolder(t *testing.T) {
	tc := newTestConsole(t)
	page := tc.do(report.RoleReader, http.MethodGet, "/explain?month=2025-05&quota=lawful.case_sample_rate", nil, "").Body.String()
	if !strings.Contains(page, "<td>2025-05/抽查明细.xlsx</td>") || strings.Contains(page, "/data/") {
		t.Errorf("the explanation's files:\n%s", page)
	}
}

// The explanation page prints the figure in the words the explanation
// gives it (≥10%, not 0.1), not its own: compose.Word makes those words,
// tested in cmd/bulletin's TestExplainWordsTheFigureAsTheDocuments.
func TestExplainPagePrintsTheWordsItIsGiven(t *testing.T) {
	tc := newTestConsole(t)
	page := tc.do(report.RoleReader, http.MethodGet, "/explain?month=2025-05&quota=lawful.case_sample_rate", nil, "").Body.String()
	if want := "分子 <b>1</b> / 分母 <b>2</b> = 50%，目标 ≥10%"; !strings.Contains(page, want) {
		t.Errorf("the explanation lacks %q:\n%s", want, page)
	}
}

// An upload that stops says why in the clerk's words: cut off on the way
// (upload again), not written on the server (a full disk: tell 信息科, as
// uploading again would not help), or too large.
func TestUploadThatStopsSaysWhy(t *testing.T) {
	cutOff := io.MultiReader(strings.NewReader("PK\x03\x04 part of a workbook"), iotest.ErrReader(io.ErrUnexpectedEOF))
	for _, c := range []struct {
		name string
		w    io.Writer
		r    io.Reader
		want string
	}{
		{"cut off", io.Discard, cutOff, "上传中断，请重新上传。"},
		{"disk full", fullDisk{}, strings.NewReader("a workbook"), "无法保存到服务器，请告诉信息科。"},
		{"too large", io.Discard, strings.NewReader(strings.Repeat("x", 2<<20+1)), "文件超过 2 MB 的上限。"},
	} {
		_, err := copyLimited(c.w, c.r, 2<<20)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	if n, err := copyLimited(io.Discard, strings.NewReader("a workbook"), 2<<20); err != nil || n != 10 {
		t.Errorf("a whole upload: %d bytes, %v", n, err)
	}
}

// fullDisk is a disk with no room left.
type fullDisk struct{}

func (fullDisk) Write([]byte) (int, error) { return 0, syscall.ENOSPC }

// The review page lists what the pre-send checks find before a leader
// approves; a data-quality report it cannot read is no hold, and is said
// as what it is.
func TestReviewTellsWhatWillHoldAPeriod(t *testing.T) {
	tc := newTestConsole(t)
	if rec := tc.do(report.RoleClerk, http.MethodPost, "/build?period=2025-05", nil, ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("build: %d %s", rec.Code, rec.Body.String())
	}
	tc.delivery.checks = []string{"文件可能被截断：data/2025-05/案件.csv —— 例"}
	page := tc.do(report.RoleLeader, http.MethodGet, "/review", nil, "").Body.String()
	if !strings.Contains(page, "报送前检查没有通过") || !strings.Contains(page, "文件可能被截断：data/2025-05/案件.csv") {
		t.Errorf("the review page does not list the hold:\n%s", page)
	}
	tc.delivery.checks, tc.delivery.checksErr = nil, errors.New("open out/2025-05/quality.json: no such file or directory")
	page = tc.do(report.RoleLeader, http.MethodGet, "/review", nil, "").Body.String()
	if strings.Contains(page, "报送前检查没有通过") || strings.Contains(page, "no such file") || !strings.Contains(page, "数据质量报告读不到") {
		t.Errorf("a report that cannot be read is shown as a hold, or in English:\n%s", page)
	}
}
