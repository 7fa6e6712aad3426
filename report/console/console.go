// Package console is the web console of the 综合科 and its leaders: a thin
// HTTP layer over the packages the command line uses. Handlers parse the
// request, call a service (Reports for reading and documents, Store for
// accounts and the audit log, Delivery for what was sent) and render a
// page; the decisions live in those services.
//
// Every route is in one table (routes) with the permission it needs, so that
// a route cannot be added without saying who may use it; the tests walk
// that table under every role. State-changing requests carry the session's
// CSRF token; sessions live server-side in the Store, named by an HttpOnly,
// SameSite=Strict cookie.
package console

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"bulletin/report"
)

// Store keeps accounts, sessions, the audit log and approvals
// (report/sqlite).
type Store interface {
	Authenticate(name, password string) (report.User, error)
	NewSession(user, address string, now time.Time, ttl time.Duration) (token string, err error)
	Session(token string, now time.Time) (report.Session, error)
	EndSession(token string) error
	Audit(e report.AuditEvent) error
	AuditLog(limit int) ([]report.AuditEvent, error)
	AddApproval(a report.Approval) error
	LatestApproval(period string) (report.Approval, bool, error)
}

// Edition is a period's documents composed from the data as it is now,
// with the figures and the data-quality findings they come from.
type Edition struct {
	Period    string
	Figures   *report.Figures
	Quality   *report.Quality
	Documents []report.Document
	// TextSHA256 is the report.TextDigest of the documents, composed on
	// report.CanonicalIssue: what an approval of them records.
	TextSHA256 string
}

// Reports reads exports and makes documents, as the command line does.
type Reports interface {
	// Read reads the month folders of root from from through through and
	// reports what it found, writing nothing.
	Read(ctx context.Context, root string, from, through report.Month) (*report.Quality, error)
	// Check reads month m's folder of root as `bulletin check` does: what
	// Read finds, and the characters of the exports the fonts lack (〓).
	Check(ctx context.Context, root string, m report.Month) (*report.Quality, error)
	// Edition composes a period's documents (a month like 2025-05 or a
	// half like 2025-H1), writing nothing.
	Edition(ctx context.Context, period string) (*Edition, error)
	// Explain lists the records behind a quota's figure in month m.
	Explain(ctx context.Context, m report.Month, quota string) (report.Explanation, error)
	// Build writes a period's documents into the output folder and returns
	// the files written.
	Build(ctx context.Context, period string) ([]string, error)
	// QualityWorkbook writes month m's data-quality workbook into dir and
	// returns its path.
	QualityWorkbook(ctx context.Context, m report.Month, dir string) (string, error)
}

// ChartFunc draws a chart for the HTML edition: its HTML, and the scripts
// (under assetsHost) the page must load first.
type ChartFunc func(c report.Chart, assetsHost string) (template.HTML, []string, error)

// Config is what the console needs.
type Config struct {
	Plan     *report.Config
	DataDir  string
	OutDir   string
	Store    Store
	Reports  Reports
	Delivery Delivery // nil: the delivery pages say delivery is not set up
	Chart    ChartFunc
	// Assets are served under /static/ (the ECharts script, by name).
	Assets map[string][]byte
	// Secure marks cookies Secure: the console runs under TLS.
	Secure bool
	// MaxUpload is the largest export accepted, in bytes.
	MaxUpload int64
	Now       func() time.Time
	Log       *slog.Logger
}

// Server is the console.
type Server struct {
	cfg      Config
	pages    map[string]*template.Template
	throttle *throttle
	mux      *http.ServeMux
	// uploads serialises changes to the data folder.
	uploads sync.Mutex
	lapsed  lapses
}

//go:embed templates/*.html static/*
var files embed.FS

// sessionTTL is how long a login lasts: a working day.
const sessionTTL = 10 * time.Hour

// assetsHost is where go-echarts is told the ECharts script lives.
const assetsHost = "/static/"

// DefaultMaxUpload is the size limit of one export: far above a district's
// largest export (a city's year of complaints is about 60 MB).
const DefaultMaxUpload = 100 << 20

// New builds the console.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxUpload <= 0 {
		cfg.MaxUpload = DefaultMaxUpload
	}
	s := &Server{cfg: cfg, throttle: newThrottle(), mux: http.NewServeMux(), lapsed: lapses{byName: map[string]string{}}}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	for _, rt := range s.routes() {
		s.mux.Handle(rt.method+" "+rt.pattern, s.guard(rt))
	}
	s.removeStaleStaging()
	return s, nil
}

// ServeHTTP serves the console, with headers that keep its pages from being
// framed, sniffed or cached by the browser.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'")
	if s.cfg.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	s.mux.ServeHTTP(w, r)
}

// permission is what a route asks of the user.
type permission string

const (
	public       permission = "public"   // anyone, logged in or not
	loggedIn     permission = "loggedIn" // any account
	permView     permission = "view"
	permUpload   permission = "upload"
	permBuild    permission = "build"
	permApprove  permission = "approve"
	permWithhold permission = "withhold"
	permResend   permission = "resend"
)

// grants is the roles of issue 14: 综合科 upload, build and view; 领导
// approve, withhold, resend and view; 只读 view.
var grants = map[report.Role][]permission{
	report.RoleClerk:  {permView, permUpload, permBuild},
	report.RoleLeader: {permView, permApprove, permWithhold, permResend},
	report.RoleReader: {permView},
}

func may(role report.Role, p permission) bool {
	if p == public || p == loggedIn {
		return true
	}
	for _, g := range grants[role] {
		if g == p {
			return true
		}
	}
	return false
}

// route is one entry of the console's table of routes.
type route struct {
	method, pattern string
	need            permission
	handle          func(w http.ResponseWriter, r *http.Request, rq *request) error
}

func (s *Server) routes() []route {
	return []route{
		{"GET", "/login", public, s.loginPage},
		{"POST", "/login", public, s.login},
		{"POST", "/logout", loggedIn, s.logout},
		{"GET", "/static/{name}", public, s.static},
		{"GET", "/{$}", permView, s.overview},
		{"GET", "/upload", permUpload, s.uploadPage},
		{"POST", "/upload", permUpload, s.upload},
		{"GET", "/quality", permView, s.quality},
		{"GET", "/quality/workbook", permView, s.qualityWorkbook},
		{"GET", "/preview", permView, s.preview},
		{"GET", "/explain", permView, s.explain},
		{"GET", "/download", permView, s.download},
		{"POST", "/build", permBuild, s.build},
		{"GET", "/review", permView, s.review},
		{"POST", "/approve", permApprove, s.approve},
		{"POST", "/withhold", permWithhold, s.withhold},
		{"GET", "/deliveries", permView, s.deliveries},
		{"GET", "/archive", permView, s.archiveFile},
		{"POST", "/resend", permResend, s.resend},
		{"GET", "/audit", permView, s.auditLog},
	}
}

// request is what a handler knows of who is asking.
type request struct {
	session *report.Session // nil when not logged in
	token   string
	address string
}

func (rq *request) user() string {
	if rq.session == nil {
		return ""
	}
	return rq.session.User.Name
}

// guard wraps a route in its access rule: a session where one is needed
// (else the login page), the route's permission (else 403), and the CSRF
// token on every POST (else 403).
func (s *Server) guard(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rq := &request{address: clientAddress(r)}
		if c, err := r.Cookie(sessionCookie); err == nil {
			if sess, err := s.cfg.Store.Session(c.Value, s.cfg.Now()); err == nil {
				rq.session, rq.token = &sess, c.Value
			}
		}
		if r.Method != http.MethodGet {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody(rt.need, s.cfg.MaxUpload))
		}
		if rt.need != public {
			if rq.session == nil {
				if r.Method == http.MethodGet {
					http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.fail(w, r, rq, http.StatusUnauthorized, "请先登录。")
				return
			}
			if !may(rq.session.User.Role, rt.need) {
				s.fail(w, r, rq, http.StatusForbidden, "您的账号（"+rq.session.User.Role.Chinese()+"）没有这项权限。")
				return
			}
			if r.Method != http.MethodGet && !validCSRF(r, rq.session.CSRF) {
				s.fail(w, r, rq, http.StatusForbidden, "页面已过期或请求来源不明，请刷新页面后重试。（CSRF 校验失败）")
				return
			}
		}
		if err := rt.handle(w, r, rq); err != nil {
			s.handleError(w, r, rq, err)
		}
	})
}

// maxBody bounds a request's body: an upload of several exports at most,
// and for a public route (the login form) a few fields, so that nobody who
// has not logged in can make the server spool a large body to memory or
// disk.
func maxBody(need permission, maxUpload int64) int64 {
	if need == public {
		return 64 << 10
	}
	return 20 * maxUpload
}

// userError is a refusal the user can act on, shown with its status.
type userError struct {
	status  int
	message string
}

func (e *userError) Error() string { return e.message }

func refuse(status int, message string) error { return &userError{status, message} }

func (s *Server) handleError(w http.ResponseWriter, r *http.Request, rq *request, err error) {
	var ue *userError
	if errors.As(err, &ue) {
		s.fail(w, r, rq, ue.status, ue.message)
		return
	}
	s.cfg.Log.Error("console", "path", r.URL.Path, "user", rq.user(), "err", err)
	s.fail(w, r, rq, http.StatusInternalServerError, "处理失败："+err.Error())
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, rq *request, status int, message string) {
	if wantsJSON(r) {
		writeJSON(w, status, map[string]string{"error": message})
		return
	}
	s.render(w, rq, status, "error", "出错了", map[string]any{"Message": message, "Status": status})
}

func (s *Server) static(w http.ResponseWriter, r *http.Request, rq *request) error {
	name := r.PathValue("name")
	if data, ok := s.cfg.Assets[name]; ok {
		w.Header().Set("Content-Type", contentType(name))
		w.Header().Set("Cache-Control", "max-age=86400")
		w.Write(data)
		return nil
	}
	data, err := fs.ReadFile(files, "static/"+name)
	if err != nil {
		return refuse(http.StatusNotFound, "没有这个文件。")
	}
	w.Header().Set("Content-Type", contentType(name))
	w.Write(data)
	return nil
}
