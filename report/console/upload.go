package console

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"bulletin/report"
)

// versionsDir holds, inside a month folder, the exports a newer upload of
// the same dataset replaced. Reading skips folders and dot names, so only
// the newest export of each dataset is read; nothing uploaded is lost.
const versionsDir = ".versions"

// stagingPrefix begins the names of the folders in the data folder where
// an upload is checked before it enters a month (reading skips dot names).
// One that has stood for staleStaging is not an upload's in progress but
// one a console killed mid-upload left behind, and New removes it.
const (
	stagingPrefix = ".upload-"
	staleStaging  = time.Hour
)

// removeStaleStaging removes the staging folders a killed console left:
// each may hold an upload of up to MaxUpload, kept forever otherwise. The
// data folder is listed, not globbed: its path may hold [ or *. A link or
// a file so named is not the console's and is left alone, and so is a
// folder dated after now (the clock went back): it may be an upload's.
func (s *Server) removeStaleStaging() {
	if s.cfg.DataDir == "" {
		return
	}
	entries, err := os.ReadDir(s.cfg.DataDir)
	if err != nil {
		s.cfg.Log.Warn("the data folder could not be listed for upload staging folders left by an earlier run", "folder", s.cfg.DataDir, "error", err)
		return
	}
	for _, en := range entries {
		if !en.IsDir() || !strings.HasPrefix(en.Name(), stagingPrefix) {
			continue
		}
		info, err := en.Info()
		if err != nil || s.cfg.Now().Sub(info.ModTime()) < staleStaging {
			continue
		}
		dir := filepath.Join(s.cfg.DataDir, en.Name())
		if err := os.RemoveAll(dir); err != nil {
			s.cfg.Log.Warn("an upload's staging folder left by an earlier run could not be removed", "folder", dir, "error", err)
		}
	}
}

// Unpacked limits of an .xlsx: a zip whose parts inflate beyond these is
// refused as a zip bomb before anything reads it.
const (
	maxUnpacked      = 2 << 30 // all parts together
	maxPartRatio     = 200     // inflated / compressed, for parts over 1 MiB
	ratioCheckedFrom = 1 << 20
)

// uploadResult is what the clerk sees for one file.
type uploadResult struct {
	File     string             `json:"file"`
	OK       bool               `json:"ok"`
	Message  string             `json:"message"`
	Dataset  string             `json:"dataset,omitempty"`
	Rows     int                `json:"rows"`
	Rejected int                `json:"rejected"`
	Examples []report.Rejection `json:"examples,omitempty"`
	Notes    []string           `json:"notes,omitempty"`    // what the file holds that is not read as it may seem
	Replaced string             `json:"replaced,omitempty"` // the earlier version kept aside
}

// storedFile is one export of a month folder, current or an earlier version.
type storedFile struct {
	Name    string
	Size    int64
	ModTime time.Time
	Current bool
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.monthParam(r)
	if err != nil {
		return err
	}
	s.showUpload(w, rq, m, nil)
	return nil
}

func (s *Server) showUpload(w http.ResponseWriter, rq *request, m report.Month, results []uploadResult) {
	s.render(w, rq, http.StatusOK, "upload", "上传", map[string]any{
		"Month": m, "Months": s.months(), "Results": results, "Files": s.storedFiles(m),
		"MaxMB": s.cfg.MaxUpload >> 20, "Datasets": report.DatasetNames,
	}, "/static/console.js")
}

// upload takes one or more exports for a month (multipart "files"), checks
// each at once, and answers for each: JSON to the page's script, the page
// itself to a plain form. The page's script sends the CSRF token in a
// header, so that the body streams to disk file by file.
func (s *Server) upload(w http.ResponseWriter, r *http.Request, rq *request) error {
	m, err := s.monthParam(r)
	if err != nil {
		return err
	}
	var results []uploadResult
	if r.MultipartForm != nil {
		// A plain form: checking its CSRF field has read the body already.
		for _, fh := range r.MultipartForm.File["files"] {
			f, err := fh.Open()
			if err != nil {
				return err
			}
			results = append(results, s.receive(r, rq, m, fh.Filename, f))
			f.Close()
		}
	} else {
		mr, err := r.MultipartReader()
		if err != nil {
			return refuse(http.StatusBadRequest, "请选择要上传的文件。")
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return refuse(http.StatusBadRequest, "上传中断，请重新上传。（"+err.Error()+"）")
			}
			if part.FormName() == "files" {
				results = append(results, s.receive(r, rq, m, rawFileName(part), part))
			}
		}
	}
	if len(results) == 0 {
		return refuse(http.StatusBadRequest, "请选择要上传的文件。")
	}
	for _, res := range results {
		if res.OK { // the data changed: an approval may have lapsed
			s.recheckApprovals(r.Context(), rq)
			break
		}
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, results)
		return nil
	}
	s.showUpload(w, rq, m, results)
	return nil
}

// receive checks one uploaded file and, when it is a readable export, puts
// it into the month folder.
func (s *Server) receive(r *http.Request, rq *request, m report.Month, name string, content io.Reader) uploadResult {
	res := uploadResult{File: shownName(name)}
	refused := func(msg string) uploadResult {
		res.Message = msg
		s.audit(rq, report.AuditEvent{Action: "upload-refused", Period: m.String(), Detail: res.File + "：" + msg})
		return res
	}
	if msg := checkFileName(name); msg != "" {
		return refused(msg)
	}
	s.uploads.Lock()
	defer s.uploads.Unlock()
	// The file is staged in a folder of the data root that reading skips
	// (a dot name), checked there with the real reader, then moved in.
	stage, err := os.MkdirTemp(s.cfg.DataDir, stagingPrefix+"*")
	if err != nil {
		return refused(notSaved(err).Error())
	}
	defer os.RemoveAll(stage)
	staged := filepath.Join(stage, m.String(), name)
	if err := os.Mkdir(filepath.Dir(staged), 0o755); err != nil {
		return refused(notSaved(err).Error())
	}
	size, err := saveLimited(staged, content, s.cfg.MaxUpload)
	if err != nil {
		return refused(err.Error())
	}
	if size == 0 {
		return refused("文件是空的。")
	}
	if msg := sniff(staged); msg != "" {
		return refused(msg)
	}
	q, err := s.cfg.Reports.Check(r.Context(), stage, m)
	if err != nil {
		return refused("读取失败：" + err.Error())
	}
	if len(q.Files) > 0 {
		return refused("无法读取：" + q.Files[0].Reason)
	}
	if len(q.Inputs) == 0 {
		return refused("文件名要以数据集名称开头（" + strings.Join(report.DatasetNames, "、") + "），例如「案件_2025年5月.xlsx」。")
	}
	in := q.Inputs[0]
	res.Dataset, res.Rows, res.Rejected = in.Dataset, in.Rows, in.Rejected
	for i, rj := range q.Rejected {
		if i == 5 {
			break
		}
		rj.File = name
		res.Examples = append(res.Examples, rj)
	}
	replaced, err := s.store(r, m, staged, in.Dataset)
	if err != nil {
		return refused(notSaved(err).Error())
	}
	res.OK, res.Replaced = true, replaced
	for _, n := range q.Noted() {
		if n.OfTheFileAlone() { // as the 数据质量 page and check list it
			res.Notes = append(res.Notes, n.Heading+"："+n.Described())
		}
	}
	res.Message = fmt.Sprintf("已收到：%s，数据行 %d，采用 %d，未采用 %d。", in.Dataset, in.Rows, in.Accepted, in.Rejected)
	if replaced != "" {
		res.Message += "原有的 " + replaced + " 已作为旧版本保留。"
	}
	detail := fmt.Sprintf("%s 数据行 %d 未采用 %d", in.Dataset, in.Rows, in.Rejected)
	if replaced != "" {
		detail += "；旧版本 " + replaced + " 移入 " + versionsDir
	}
	s.audit(rq, report.AuditEvent{Action: "upload", Period: m.String(), Detail: detail,
		Files: []report.FileHash{{Name: name, SHA256: in.SHA256}}})
	return res
}

// rawFileName is the file name the browser sent, as sent: Part.FileName
// would strip a path and hide it from checkFileName.
func rawFileName(part *multipart.Part) string {
	_, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
	if err != nil {
		return ""
	}
	return params["filename"]
}

// checkFileName refuses names that are not a plain export's name.
func checkFileName(name string) string {
	switch {
	case name == "":
		return "没有文件名。"
	case strings.ContainsAny(name, `/\`) || strings.Contains(name, ".."):
		return "文件名里不能有路径（/、\\ 或 ..）：请只上传文件本身。"
	case strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$"):
		return "这是隐藏文件或 Excel 的临时文件，不是导出文件。"
	case len(name) > 200 || strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "文件名太长或含有控制字符。"
	case strings.IndexFunc(name, isBidiControl) >= 0:
		return "文件名里有改变文字方向的隐藏字符（上面以 [U+…] 标出），显示的名字与实际的不同：请在电脑上把文件重新命名后再上传。"
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xlsx", ".csv":
		return ""
	case ".xls":
		return "这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 后再上传。"
	}
	return "只接受电子表格：.xlsx 或 .csv。"
}

// isBidiControl tells the invisible characters that reorder the text
// around them ("案件\u202excsl.xlsx" shows as "案件xslx.lscx"); they are
// formats, not controls, to unicode.IsControl.
func isBidiControl(r rune) bool {
	return r == '\u061c' || r == '\u200e' || r == '\u200f' || '\u202a' <= r && r <= '\u202e' || '\u2066' <= r && r <= '\u2069'
}

// shownName is an uploaded file's name as the pages and the audit log show
// it: each bidi control written out as its code point, where it stands.
func shownName(name string) string {
	if strings.IndexFunc(name, isBidiControl) < 0 {
		return name
	}
	var b strings.Builder
	for _, r := range name {
		if isBidiControl(r) {
			fmt.Fprintf(&b, "[U+%04X]", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// saveLimited writes at most limit bytes of r to path; more is refused.
func saveLimited(path string, r io.Reader, limit int64) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, notSaved(err)
	}
	n, err := copyLimited(f, r, limit)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = notSaved(cerr)
	}
	return n, err
}

// copyLimited copies at most limit bytes of r to w, and says in the
// clerk's words what stopped it: a file too large, an upload cut off (the
// browser's side: upload again), or a write that failed (the server's
// side, a full disk: upload again would not help).
func copyLimited(w io.Writer, r io.Reader, limit int64) (int64, error) {
	src := &readFailure{r: io.LimitReader(r, limit+1)}
	n, err := io.Copy(w, src)
	var tooBig *http.MaxBytesError
	switch {
	case n > limit || errors.As(err, &tooBig):
		return n, fmt.Errorf("文件超过 %d MB 的上限。", limit>>20)
	case err != nil && src.err != nil:
		return n, fmt.Errorf("上传中断，请重新上传。（%v）", err)
	case err != nil:
		return n, notSaved(err)
	}
	return n, nil
}

// readFailure notes the error its reader gave, apart from the writer's.
type readFailure struct {
	r   io.Reader
	err error
}

func (f *readFailure) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		f.err = err
	}
	return n, err
}

// notSaved is a failure to write an upload on the server's disk.
func notSaved(err error) error {
	return fmt.Errorf("无法保存到服务器，请告诉信息科。（%v）", err)
}

// sniff looks inside a file before the reader does: an .xlsx must be a zip
// holding a workbook whose parts do not inflate absurdly; a .csv must be
// text.
func sniff(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		f, err := os.Open(path)
		if err != nil {
			return err.Error()
		}
		defer f.Close()
		head := make([]byte, 64<<10)
		n, _ := io.ReadFull(f, head)
		head = head[:n]
		if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte{0xd0, 0xcf, 0x11, 0xe0}) {
			return "这是 Excel 文件，却以 .csv 结尾：请改回 .xlsx 再上传。"
		}
		if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xff, 0xfe}) && !bytes.HasPrefix(head, []byte{0xfe, 0xff}) {
			return "这不是文本格式的 .csv 文件。"
		}
		return ""
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "这不是 .xlsx 文件（无法作为 Excel 工作簿打开）。"
	}
	defer zr.Close()
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > ratioCheckedFrom && f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > maxPartRatio {
			return fmt.Sprintf("文件内的 %s 解压后异常膨胀（%d 倍），疑似压缩炸弹，已拒收。", f.Name, f.UncompressedSize64/f.CompressedSize64)
		}
		if f.Name == "xl/workbook.xml" {
			workbook = true
		}
	}
	if total > maxUnpacked {
		return fmt.Sprintf("文件解压后超过 %d MB，疑似压缩炸弹，已拒收。", maxUnpacked>>20)
	}
	if !workbook {
		return "这不是 Excel 工作簿（.xlsx 里没有工作簿）。"
	}
	return ""
}

// store moves a checked export into the month folder. The current export
// of the same dataset is kept aside in versionsDir, never overwritten.
func (s *Server) store(r *http.Request, m report.Month, staged, dataset string) (replaced string, err error) {
	dir := filepath.Join(s.cfg.DataDir, m.String())
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	q, err := s.cfg.Reports.Read(r.Context(), s.cfg.DataDir, m, m)
	if err != nil {
		return "", err
	}
	var current []string
	for _, in := range q.Inputs {
		if in.Dataset == dataset && filepath.Dir(in.File) == dir {
			current = append(current, in.File)
		}
	}
	for _, f := range q.Files {
		if f.Dataset == dataset && filepath.Dir(f.File) == dir {
			current = append(current, f.File)
		}
	}
	name := filepath.Base(staged)
	if _, err := os.Stat(filepath.Join(dir, name)); err == nil && !slices.Contains(current, filepath.Join(dir, name)) {
		current = append(current, filepath.Join(dir, name))
	}
	stamp := s.cfg.Now().In(s.cfg.Plan.Location).Format("20060102-150405")
	for _, old := range current {
		if err := os.MkdirAll(filepath.Join(dir, versionsDir), 0o755); err != nil {
			return "", err
		}
		target, err := freeName(filepath.Join(dir, versionsDir, stamp+"-"+filepath.Base(old)))
		if err != nil {
			return "", err
		}
		if err := os.Rename(old, target); err != nil {
			return "", err
		}
		replaced = filepath.Base(old)
	}
	target := filepath.Join(dir, name)
	if _, err := os.Lstat(target); err == nil {
		return "", fmt.Errorf("%s 已存在", target) // never overwrite
	}
	return replaced, os.Rename(staged, target)
}

// freeName is path, or path with -2, -3 … before the extension, whichever
// does not exist yet.
func freeName(path string) (string, error) {
	ext := filepath.Ext(path)
	base := strings.TrimSuffix(path, ext)
	for n := 1; n < 1000; n++ {
		candidate := path
		if n > 1 {
			candidate = fmt.Sprintf("%s-%d%s", base, n, ext)
		}
		if _, err := os.Lstat(candidate); errors.Is(err, os.ErrNotExist) {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("%s 的旧版本已有 999 个", path)
}

// storedFiles lists a month's exports: the current ones, then the earlier
// versions, newest first.
func (s *Server) storedFiles(m report.Month) []storedFile {
	dir := filepath.Join(s.cfg.DataDir, m.String())
	var out []storedFile
	list := func(d string, current bool) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			info, err := e.Info()
			if err != nil || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			out = append(out, storedFile{Name: e.Name(), Size: info.Size(), ModTime: info.ModTime(), Current: current})
		}
	}
	list(dir, true)
	n := len(out)
	list(filepath.Join(dir, versionsDir), false)
	older := out[n:]
	sort.Slice(older, func(i, j int) bool { return older[i].Name > older[j].Name })
	return out
}
