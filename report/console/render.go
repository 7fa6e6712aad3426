package console

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"path/filepath"
	"strings"
	"time"

	"bulletin/report"
)

// page is what the layout template gets.
type page struct {
	Title   string
	User    *report.User
	CSRF    string
	Nav     []navItem
	Active  string
	Scripts []string // loaded in the head; a page has no inline script (the CSP allows none)
	Notice  []string // banners for the user (an approval that lapsed)
	Data    any
}

type navItem struct {
	Name, Href string
}

// navPreview is the preview's item in the nav: the page previews a month's
// bulletin (月报预览) or a half's self-inspection reports (自查报告预览).
const navPreview = "预览"

// nav lists the pages the role may open.
func nav(role report.Role) []navItem {
	items := []struct {
		navItem
		need permission
	}{
		{navItem{"月份总览", "/"}, permView},
		{navItem{"上传", "/upload"}, permUpload},
		{navItem{"数据质量", "/quality"}, permView},
		{navItem{navPreview, "/preview"}, permView},
		{navItem{"审阅与签发", "/review"}, permView},
		{navItem{"报送记录", "/deliveries"}, permView},
		{navItem{"操作日志", "/audit"}, permView},
	}
	var out []navItem
	for _, it := range items {
		if may(role, it.need) {
			out = append(out, it.navItem)
		}
	}
	return out
}

// funcs are the templates' functions; times are shown in the bureau's zone.
func funcs(loc *time.Location) template.FuncMap {
	return template.FuncMap{
		"role":     func(r report.Role) string { return r.Chinese() },
		"can":      func(role report.Role, p string) bool { return may(role, permission(p)) },
		"datetime": func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") },
		"base":     filepath.Base,
		"action":   actionName,
		"period":   periodLabel,
		"bytes": func(n int64) string {
			switch {
			case n >= 1<<20:
				return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
			case n >= 1<<10:
				return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
			}
			return fmt.Sprintf("%d 字节", n)
		},
		"short": shortHash,
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
}

func shortHash(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

func (s *Server) parseTemplates() error {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	s.pages = map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" || name == "document" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs(s.cfg.Plan.Location)).ParseFS(files, "templates/layout.html", "templates/document.html", n)
		if err != nil {
			return err
		}
		s.pages[name] = t
	}
	return nil
}

// render writes a page inside the layout, titled as its item in the nav.
func (s *Server) render(w http.ResponseWriter, rq *request, status int, name, title string, data any, scripts ...string) {
	s.renderUnder(w, rq, status, name, title, title, data, scripts...)
}

// renderUnder writes a page titled title under the nav's item active.
func (s *Server) renderUnder(w http.ResponseWriter, rq *request, status int, name, title, active string, data any, scripts ...string) {
	p := page{Title: title, Active: active, Data: data, Scripts: scripts}
	if rq.session != nil {
		p.User, p.CSRF, p.Nav = &rq.session.User, rq.session.CSRF, nav(rq.session.User.Role)
		if rq.session.User.Role == report.RoleLeader {
			p.Notice = s.lapsedNotices()
		}
	}
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, p); err != nil {
		s.cfg.Log.Error("render", "page", name, "err", err)
		http.Error(w, "页面生成失败："+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

func contentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".pdf":
		return "application/pdf"
	case ".json":
		return "application/json"
	}
	if t := mime.TypeByExtension(filepath.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// attachment sends a file as a download under its own (Chinese) name.
func attachment(w http.ResponseWriter, r *http.Request, file string) {
	w.Header().Set("Content-Type", contentType(file))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filepath.Base(file)}))
	http.ServeFile(w, r, file)
}

// actionNames are the audit log's actions as the office says them.
var actionNames = map[string]string{
	"login": "登录", "login-failed": "登录失败", "login-throttled": "登录受限", "logout": "退出",
	"upload": "上传", "upload-refused": "拒收上传", "build": "生成", "build-failed": "生成失败",
	"approve": "批准", "approval-lapsed": "批准失效", "withhold": "暂缓", "resend": "重发", "resend-failed": "重发失败",
}

// actionName is an audit log action as the office says it.
func actionName(action string) string {
	if n, ok := actionNames[action]; ok {
		return n
	}
	return action
}
