package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"bulletin/report"
)

const (
	sessionCookie = "bulletin_session"
	// loginCookie carries the login form's CSRF token before there is a
	// session (double submit), so that no other site can log a browser in.
	loginCookie = "bulletin_login"
)

// Login throttling: after this many failures within throttleWindow, an
// account (or an address) waits until the oldest failure leaves the window.
const (
	maxFailuresPerAccount = 5
	maxFailuresPerAddress = 20
	throttleWindow        = 15 * time.Minute
)

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	if rq.session != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	s.showLogin(w, r, rq, http.StatusOK, "")
	return nil
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, rq *request, status int, message string) {
	token := randomToken()
	http.SetCookie(w, s.cookie(loginCookie, token, 0))
	s.render(w, rq, status, "login", "登录", map[string]any{
		"CSRF": token, "Next": safeNext(r.FormValue("next")), "Message": message,
	})
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, rq *request) error {
	c, err := r.Cookie(loginCookie)
	if err != nil || !equalTokens(c.Value, r.PostFormValue("csrf")) {
		s.showLogin(w, r, rq, http.StatusForbidden, "登录页面已过期，请重新输入。")
		return nil
	}
	name, password := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	now := s.cfg.Now()
	keys := []string{"account:" + name, "address:" + rq.address}
	if wait := s.throttle.begin(now, keys...); wait > 0 {
		// Not audited: the failures that locked the account are, and the
		// append-only log must not grow with every request anyone sends.
		s.showLogin(w, r, rq, http.StatusTooManyRequests, fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试。", int(wait.Minutes())+1))
		return nil
	}
	user, err := s.cfg.Store.Authenticate(name, password)
	if err != nil {
		locked := s.throttle.fail(now, keys...)
		s.audit(rq, report.AuditEvent{User: name, Action: "login-failed"})
		if locked {
			s.audit(rq, report.AuditEvent{User: name, Action: "login-throttled", Detail: "登录尝试过多"})
		}
		s.showLogin(w, r, rq, http.StatusUnauthorized, "账号或密码不对。")
		return nil
	}
	s.throttle.succeed(keys...)
	s.throttle.clear("account:" + name)
	token, err := s.cfg.Store.NewSession(user.Name, rq.address, now, sessionTTL)
	if err != nil {
		return err
	}
	http.SetCookie(w, s.cookie(sessionCookie, token, sessionTTL))
	http.SetCookie(w, s.cookie(loginCookie, "", -1))
	rq.session = &report.Session{User: user}
	s.audit(rq, report.AuditEvent{Action: "login"})
	if user.Role == report.RoleLeader {
		s.recheckApprovals(r.Context(), rq) // what changed since, the banner tells
	}
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, rq *request) error {
	if err := s.cfg.Store.EndSession(rq.token); err != nil {
		return err
	}
	s.audit(rq, report.AuditEvent{Action: "logout"})
	http.SetCookie(w, s.cookie(sessionCookie, "", -1))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// cookie is one of the console's cookies: HttpOnly, SameSite=Strict,
// Secure under TLS. A negative maxAge deletes it; zero lasts the browser
// session.
func (s *Server) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.cfg.Secure}
	switch {
	case maxAge < 0:
		c.MaxAge = -1
	case maxAge > 0:
		c.MaxAge = int(maxAge.Seconds())
	}
	return c
}

// validCSRF checks the token of a state-changing request: a field of the
// form's body, or the X-CSRF-Token header of a script's request; never the
// address, which links carry and logs keep.
func validCSRF(r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf") // parses the form; multipart bodies send the header
	}
	return equalTokens(got, want)
}

func equalTokens(got, want string) bool {
	return got != "" && want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// safeNext keeps a post-login redirect on this site: a path of its own,
// "/…" but not "//host" nor "/\host" (a browser reads it as "//host"),
// which also rules out a scheme or a host. url.Parse refuses control
// characters, which a browser would drop from the Location header
// ("/\t/evil.example" is "//evil.example" to it).
func safeNext(next string) string {
	if _, err := url.Parse(next); err != nil || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}

// clientAddress is the peer's IP address. The console is reached directly
// on the intranet; forwarded headers are not trusted.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// throttle counts recent login failures by key (account or address), and
// the attempts whose password is being checked.
type throttle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	checking map[string]int
}

func newThrottle() *throttle {
	return &throttle{failures: map[string][]time.Time{}, checking: map[string]int{}}
}

func limitOf(key string) int {
	if strings.HasPrefix(key, "address:") {
		return maxFailuresPerAddress
	}
	return maxFailuresPerAccount
}

// begin reserves an attempt against keys before its password is checked,
// or, reserving nothing, tells how long the longest-waiting of keys must
// still wait. An attempt counts as a failure from now until it ends (fail
// or succeed): checking a password takes a while, and guesses sent
// together must not all pass the limit before any of them is counted.
func (t *throttle) begin(now time.Time, keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		recent := t.recent(now, k)
		n, limit := len(recent)+t.checking[k], limitOf(k)
		if n < limit {
			continue
		}
		oldest := now // the attempts being checked, should they fail
		if n-limit < len(recent) {
			oldest = recent[n-limit]
		}
		longest = max(longest, oldest.Add(throttleWindow).Sub(now))
	}
	if longest > 0 {
		return longest
	}
	for _, k := range keys {
		t.checking[k]++
	}
	return 0
}

// fail ends an attempt begun against keys as a failure and tells whether it
// locked one of them: the failure that reached its limit.
func (t *throttle) fail(now time.Time, keys ...string) (locked bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.end(keys)
	for _, k := range keys {
		t.failures[k] = append(t.recent(now, k), now)
		locked = locked || len(t.failures[k]) == limitOf(k)
	}
	return locked
}

// succeed ends an attempt begun against keys that logged in.
func (t *throttle) succeed(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.end(keys)
}

// end takes back an attempt's reservation; the caller holds mu.
func (t *throttle) end(keys []string) {
	for _, k := range keys {
		if t.checking[k]--; t.checking[k] <= 0 {
			delete(t.checking, k)
		}
	}
}

func (t *throttle) clear(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, key)
}

// recent drops key's failures older than the window; the caller holds mu.
func (t *throttle) recent(now time.Time, key string) []time.Time {
	list := t.failures[key]
	i := 0
	for i < len(list) && now.Sub(list[i]) >= throttleWindow {
		i++
	}
	list = list[i:]
	if len(list) == 0 {
		delete(t.failures, key)
	}
	return list
}

// audit appends to the audit log; a log that cannot be written is logged,
// since the action it records has already happened.
func (s *Server) audit(rq *request, e report.AuditEvent) {
	e.At = s.cfg.Now()
	e.Address = rq.address
	if e.User == "" {
		e.User = rq.user()
	}
	if err := s.cfg.Store.Audit(e); err != nil {
		s.cfg.Log.Error("audit log", "err", err, "action", e.Action)
	}
}
