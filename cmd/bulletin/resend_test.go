package main

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"bulletin/report/ledger"
)

// TestResendClickedTwiceSendsOnce: a leader's 重发 on 报送记录 posted twice
// at once (a double click, a second tab) through the real console, the
// real delivery and a real mail server: the city bureau gets one more copy,
// not two, the second post says why it did nothing, and the reason typed
// is in the ledger.
func TestResendClickedTwiceSendsOnce(t *testing.T) {
	o := newOffice(t, nil)
	o.mustRun(0, "due", "--now", "2025-06-01T09:00")
	before := len(o.bureauLetters())
	stdin = strings.NewReader("leader-password-1\n")
	o.mustRun(0, "user", "add", "zhao", "--role", "领导")
	stdin = os.Stdin
	now := time.Date(2025, 6, 3, 10, 0, 0, 0, shanghai)
	e := &env{stdout: io.Discard, stderr: io.Discard, now: func() time.Time { return now }, getenv: os.LookupEnv,
		configPath: o.cfg, dataDir: o.data, outDir: o.out}
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	handler, closeStore, err := e.newConsole(cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	ts := httptest.NewServer(handler)
	defer ts.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	get := func(path string) string {
		res, err := c.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	field := func(page, name string) string {
		m := regexp.MustCompile(`name="` + name + `" value="([^"]*)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s field:\n%.2000s", name, page)
		}
		return html.UnescapeString(m[1]) // as a browser posts it
	}
	res, err := c.PostForm(ts.URL+"/login", url.Values{"csrf": {field(get("/login"), "csrf")}, "name": {"zhao"}, "password": {"leader-password-1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	page := get("/deliveries")
	form := url.Values{"csrf": {field(page, "csrf")}, "period": {field(page, "period")}, "seen": {field(page, "seen")}, "reason": {"市局说没收到"}}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var answers []string
	for range 2 {
		wg.Go(func() {
			res, err := c.PostForm(ts.URL+"/resend", form)
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			mu.Lock()
			answers = append(answers, string(body))
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
	// A page from before the resend asks for the delivery it showed: refused.
	if res, err := c.PostForm(ts.URL+"/resend", form); err != nil || res.StatusCode == http.StatusSeeOther {
		t.Errorf("a resend from a page older than the last resend: %v %v", res.Status, err)
	}
	if n := len(o.bureauLetters()) - before; n != 1 {
		t.Errorf("%d copies after the stale page's resend, want 1", n)
	}
}
