package console

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"bulletin/report"
)

// period is a month (2025-05) or a half (2025-H1) named in a request.
type period struct {
	Name  string
	Month report.Month // the month, or the half's last month
	Half  bool
}

func parsePeriod(s string) (period, error) {
	if m, err := report.ParseMonth(s); err == nil && m.String() == s {
		return period{Name: s, Month: m}, nil
	}
	if h, err := report.ParseHalf(s); err == nil && h.String() == s {
		return period{Name: s, Month: h.Last(), Half: true}, nil
	}
	return period{}, refuse(http.StatusBadRequest, "期次「"+s+"」不是 2025-05 这样的月份或 2025-H1 这样的半年。")
}

func (p period) Chinese() string {
	if p.Half {
		h, _ := report.ParseHalf(p.Name)
		return h.Chinese()
	}
	return p.Month.Chinese()
}

// periodLabel names a period's code (2025-05, 2025-H1) as the documents
// do (2025年5月, 2025年上半年), for the pages' tables; what is not a
// period's code (an audit event of no period) is shown as it is.
func periodLabel(code string) string {
	if p, err := parsePeriod(code); err == nil {
		return p.Chinese()
	}
	return code
}

// reportMonth is the month a clerk works on by default: the last one
// that has ended.
func (s *Server) reportMonth() report.Month {
	return report.DateOf(s.cfg.Now(), s.cfg.Plan.Location).MonthOf().Prev()
}

// monthParam is the request's ?month=, or the report month. It is read
// from the URL alone, leaving an upload's body unread.
func (s *Server) monthParam(r *http.Request) (report.Month, error) {
	v := r.URL.Query().Get("month")
	if v == "" {
		return s.reportMonth(), nil
	}
	p, err := parsePeriod(v)
	if err != nil || p.Half {
		return report.Month{}, refuse(http.StatusBadRequest, "月份「"+v+"」不是 2025-05 这样的写法。")
	}
	return p.Month, nil
}

// monthFolders lists the months that have a data folder, and the report
// month, newest first.
func (s *Server) months() []report.Month {
	seen := map[report.Month]bool{s.reportMonth(): true}
	entries, _ := os.ReadDir(s.cfg.DataDir)
	for _, e := range entries {
		if m, err := report.ParseMonth(e.Name()); err == nil && m.String() == e.Name() && e.IsDir() {
			seen[m] = true
		}
	}
	months := make([]report.Month, 0, len(seen))
	for m := range seen {
		months = append(months, m)
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Compare(months[j]) > 0 })
	return months
}

// monthStatus is one line of 月份总览.
type monthStatus struct {
	Month    report.Month
	Datasets []datasetStatus
	Rows     int
	Rejected int
	Unread   int // files that could not be read
	Latest   time.Time
	State    string
}

type datasetStatus struct {
	Name     string
	File     string
	Rows     int
	Rejected int
	Failed   string // why the file could not be read
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request, rq *request) error {
	months := s.months()
	q, err := s.cfg.Reports.Read(r.Context(), s.cfg.DataDir, months[len(months)-1], months[0])
	if err != nil {
		return err
	}
	states, err := s.states(months)
	if err != nil {
		return err
	}
	var rows []monthStatus
	for _, m := range months {
		ms := monthStatus{Month: m, State: states[m.String()]}
		dir := filepath.Join(s.cfg.DataDir, m.String())
		for _, name := range report.DatasetNames {
			ds := datasetStatus{Name: name}
			for _, in := range q.Inputs {
				if in.Dataset == name && filepath.Dir(in.File) == dir {
					ds.File, ds.Rows, ds.Rejected = filepath.Base(in.File), ds.Rows+in.Rows, ds.Rejected+in.Rejected
				}
			}
			for _, f := range q.Files {
				if f.Dataset == name && filepath.Dir(f.File) == dir {
					ds.File, ds.Failed = filepath.Base(f.File), f.Reason
					ms.Unread++
				}
			}
			ms.Rows += ds.Rows
			ms.Rejected += ds.Rejected
			ms.Datasets = append(ms.Datasets, ds)
		}
		ms.Latest = latestUpload(dir)
		rows = append(rows, ms)
	}
	s.render(w, rq, http.StatusOK, "overview", "月份总览", map[string]any{"Months": rows, "Datasets": report.DatasetNames})
	return nil
}

// latestUpload is the time of the newest export in a month folder.
func latestUpload(dir string) time.Time {
	var latest time.Time
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && !e.IsDir() && info.ModTime().After(latest) {
			latest = info.ModTime()
		}
	}
	return latest
}

func (s *Server) quality(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.monthParam(r)
	if err != nil {
		return err
	}
	ed, err := s.cfg.Reports.Check(r.Context(), s.cfg.DataDir, m)
	if err != nil {
		return err
	}
	dir := filepath.Join(s.cfg.DataDir, m.String())
	rejected := slices.DeleteFunc(slices.Clone(ed.Rejected), func(rj report.Rejection) bool { return filepath.Dir(rj.File) != dir })
	for i := range rejected {
		rejected[i].File = filepath.Base(rejected[i].File)
	}
	// What asks the clerk to look at one of the month's files, or at the
	// month's folder.
	notes := slices.DeleteFunc(ed.Noted(), func(n report.Noted) bool {
		folder := n.File // an export missing names its folder
		if n.Place() != "" {
			folder = filepath.Dir(n.File)
		}
		return folder != dir
	})
	s.render(w, rq, http.StatusOK, "quality", "数据质量", map[string]any{
		"Month": m, "Months": s.months(), "Quality": ed, "Rejected": rejected, "Notes": notes,
	}, "/static/console.js")
	return nil
}

func (s *Server) qualityWorkbook(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.monthParam(r)
	if err != nil {
		return err
	}
	// A folder of its own, removed once sent: looking at the data, as anyone
	// may, leaves the month's output folder as it was built.
	dir, err := os.MkdirTemp("", "bulletin-quality-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path, err := s.cfg.Reports.QualityWorkbook(r.Context(), m, dir)
	if err != nil {
		return err
	}
	attachment(w, r, path)
	return nil
}

// previewData is what 月报预览, or 自查报告预览 for a half, shows.
type previewData struct {
	Period    period
	Periods   []period // the selector's: its value the code (2025-H1), its label the documents' name (2025年上半年)
	Documents []docView
	Quotas    []report.QuotaResult
	Files     []string // the built documents in the output folder
}

func (s *Server) preview(w http.ResponseWriter, r *http.Request, rq *request) error {
	name := r.FormValue("period")
	if name == "" {
		name = s.reportMonth().String()
	}
	p, err := parsePeriod(name)
	if err != nil {
		return err
	}
	ed, err := s.cfg.Reports.Edition(r.Context(), p.Name)
	if err != nil {
		return refuse(http.StatusUnprocessableEntity, p.Chinese()+"的文件还不能生成："+err.Error())
	}
	scripts := []string{"/static/console.js"} // the period's selector
	data := previewData{Period: p, Quotas: ed.Figures.Quotas, Files: s.builtFiles(p.Name)}
	for _, name := range s.periods() {
		if q, err := parsePeriod(name); err == nil {
			data.Periods = append(data.Periods, q)
		}
	}
	for i, doc := range ed.Documents {
		v, err := s.documentView(doc, i, p.Month.String(), &scripts)
		if err != nil {
			return err
		}
		data.Documents = append(data.Documents, v)
	}
	title := "月报预览"
	if p.Half {
		title = "自查报告预览"
	}
	s.renderUnder(w, rq, http.StatusOK, "preview", title, navPreview, data, scripts...)
	return nil
}

// periods lists the months and halves the preview offers, newest first.
func (s *Server) periods() []string {
	var out []string
	halves := map[report.Half]bool{}
	for _, m := range s.months() {
		out = append(out, m.String())
		if h := m.Half(); h.Last() == m && !halves[h] {
			halves[h] = true
			out = append(out, h.String())
		}
	}
	return out
}

// builtFiles lists the documents the output folder holds for a period.
func (s *Server) builtFiles(periodName string) []string {
	entries, _ := os.ReadDir(filepath.Join(s.cfg.OutDir, periodName))
	var out []string
	for _, e := range entries {
		ext := strings.ToLower(filepath.Ext(e.Name()))
		if !e.IsDir() && (ext == ".pdf" || ext == ".xlsx" || ext == ".json") && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	return out
}

func (s *Server) explain(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.monthParam(r)
	if err != nil {
		return err
	}
	ex, err := s.cfg.Reports.Explain(r.Context(), m, r.FormValue("quota"))
	if err != nil {
		return refuse(http.StatusNotFound, err.Error())
	}
	// Name each file by its month folder and name, as the clerk finds it.
	for _, refs := range [][]report.Ref{ex.Numerator, ex.Denominator} {
		for i := range refs {
			if o := &refs[i].Origin; o.File() != "" {
				src := *o.Source() // a copy: the source is every record's of its file
				src.File = report.ExportName(src.File)
				*o = src.At(o.Row)
			}
		}
	}
	s.renderUnder(w, rq, http.StatusOK, "explain", "指标依据", navPreview, map[string]any{"Month": m, "Ex": ex}, "/static/console.js")
	return nil
}

// download sends a document of a period's output folder, named by its
// file name alone.
func (s *Server) download(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	name := r.FormValue("file")
	if !slices.Contains(s.builtFiles(p.Name), name) {
		return refuse(http.StatusNotFound, "没有这个文件："+name)
	}
	attachment(w, r, filepath.Join(s.cfg.OutDir, p.Name, name))
	return nil
}

// build writes a period's documents, as `bulletin monthly` or `bulletin
// halfyear` do, and logs them with their hashes.
func (s *Server) build(w http.ResponseWriter, r *http.Request, rq *request) error {
	p, err := parsePeriod(r.FormValue("period"))
	if err != nil {
		return err
	}
	written, err := s.cfg.Reports.Build(r.Context(), p.Name)
	if err != nil {
		s.audit(rq, report.AuditEvent{Action: "build-failed", Period: p.Name, Detail: err.Error()})
		return refuse(http.StatusUnprocessableEntity, p.Chinese()+"未能生成："+err.Error())
	}
	s.audit(rq, report.AuditEvent{Action: "build", Period: p.Name, Files: hashFiles(written)})
	http.Redirect(w, r, "/preview?period="+p.Name, http.StatusSeeOther)
	return nil
}

// hashFiles names each file with its sha256, for the audit log.
func hashFiles(paths []string) []report.FileHash {
	out := make([]report.FileHash, 0, len(paths))
	for _, p := range paths {
		out = append(out, report.FileHash{Name: filepath.Base(p), SHA256: fileSHA256(p)})
	}
	return out
}

// built tells whether a period's documents were made: a PDF in its output
// folder (a data-quality report alone is not a document).
func (s *Server) built(periodName string) bool {
	for _, f := range s.builtFiles(periodName) {
		if strings.EqualFold(filepath.Ext(f), ".pdf") {
			return true
		}
	}
	return false
}

// builtDigests digest a period's files as built: their figures
// (report.FiguresDigest of figures.json) and their text (the build's
// report.TextDigestFile); each empty when there is none to read.
func (s *Server) builtDigests(periodName string) (figures, text string) {
	dir := filepath.Join(s.cfg.OutDir, periodName)
	if data, err := os.ReadFile(filepath.Join(dir, report.TextDigestFile)); err == nil {
		text = strings.TrimSpace(string(data))
	}
	data, err := os.ReadFile(filepath.Join(dir, "figures.json"))
	if err != nil {
		return "", text
	}
	var f report.Figures
	if err := json.Unmarshal(data, &f); err != nil {
		return "", text
	}
	figures, _ = report.FiguresDigest(&f)
	return figures, text
}

func fileSHA256(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, rq *request) error {
	events, err := s.cfg.Store.AuditLog(500)
	if err != nil {
		return err
	}
	s.render(w, rq, http.StatusOK, "audit", "操作日志", map[string]any{"Events": events}, "/static/console.js")
	return nil
}
