package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/report"
	"bulletin/report/compose"
	"bulletin/report/config"
	"bulletin/report/console"
	"bulletin/report/deliver"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/schedule"
	"bulletin/report/sqlite"
	"bulletin/report/webchart"
	"bulletin/report/workbook"
)

func runServe(ctx context.Context, e *env, fs *flag.FlagSet, args []string) error {
	listen := fs.String("listen", "127.0.0.1:8080", "监听地址")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := e.loadConfig()
	if err != nil {
		return err
	}
	useTLS := cfg.Console.Cert != ""
	if !useTLS {
		if err := plainHTTPAllowed(*listen, cfg.Console.AllowPlainHTTP); err != nil {
			return err
		}
		if !isLoopback(*listen) {
			fmt.Fprintf(e.stderr, "警告：工作台以明文 HTTP 在 %s 上监听（console.allow_plain_http = true）：密码和数据在网络上不加密，只应在可信的内网中这样用。\n", *listen)
		}
	}
	srv, closeStore, err := e.newConsole(cfg, useTLS)
	if err != nil {
		return err
	}
	defer closeStore()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return report.E(report.KindUsage, "--listen", err)
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	fmt.Fprintf(e.stdout, "工作台已启动：%s://%s/（Ctrl+C 停止）\n", scheme, ln.Addr())
	return serveUntilDone(ctx, ln, srv, cfg.Console, useTLS)
}

// serveUntilDone serves until ctx ends, then lets requests under way finish.
func serveUntilDone(ctx context.Context, ln net.Listener, h http.Handler, c report.Console, useTLS bool) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	if useTLS {
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	errc := make(chan error, 1)
	go func() {
		if useTLS {
			errc <- hs.ServeTLS(ln, c.Cert, c.Key)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return hs.Shutdown(shutdown)
	}
}

// plainHTTPAllowed refuses plain HTTP off loopback unless the config says so.
func plainHTTPAllowed(listen string, allowed bool) error {
	if isLoopback(listen) || allowed {
		return nil
	}
	return report.Errorf(report.KindConfig, "工作台没有 TLS 证书，不能在 %s 上以明文 HTTP 监听：在 config.toml 的 [console] 写上 cert 和 key，"+
		"或只在本机监听（--listen 127.0.0.1:8080），或确认内网可信后设 allow_plain_http = true", listen)
}

func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newConsole wires the console to the packages the command line uses.
func (e *env) newConsole(cfg *report.Config, secure bool) (http.Handler, func() error, error) {
	// A new installation starts with empty folders: the clerk uploads into
	// data, the console keeps its database in out.
	for _, dir := range []string{e.dataDir, e.outDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
	}
	store, err := sqlite.Open(e.outDir)
	if err != nil {
		return nil, nil, err
	}
	srv, err := console.New(console.Config{
		Plan:      cfg,
		DataDir:   e.dataDir,
		OutDir:    e.outDir,
		Store:     store,
		Reports:   &consoleReports{e: e, cfg: cfg, started: settingsDigest(cfg)},
		Delivery:  &consoleDelivery{e: e, cfg: cfg},
		Chart:     drawWebChart,
		Assets:    map[string][]byte{webchart.ScriptName: webchart.Script, webchart.DrawName: webchart.DrawScript},
		Secure:    secure,
		MaxUpload: int64(cfg.Console.MaxUploadMB) << 20,
		Now:       e.now,
		Log:       slog.New(slog.NewTextHandler(e.stderr, nil)),
	})
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return srv, store.Close, nil
}

func drawWebChart(c report.Chart, assetsHost string) (template.HTML, []string, error) {
	r, err := webchart.Render(c, assetsHost)
	return r.HTML, r.Assets, err
}

// consoleReports reads and builds as the commands check, monthly, halfyear
// and explain do.
type consoleReports struct {
	e   *env
	cfg *report.Config
	// started digests the settings the console started with
	// (settingsDigest); empty: not watched.
	started string
}

// settingsDigest digests config.toml and the plans' files as they are on
// disk now; empty if they cannot be read.
func settingsDigest(cfg *report.Config) string {
	files, err := config.PlanFiles(cfg)
	if err != nil || cfg.File == "" {
		return ""
	}
	h := sha256.New()
	for _, path := range append([]string{cfg.File}, files...) {
		data, err := os.ReadFile(path)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s %d\n", path, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// unchanged refuses to compose or build when config.toml or a plan changed
// since the console started: it would word and count by the settings it
// read then, and a leader's approval would not be of what due sends.
func (r *consoleReports) unchanged() error {
	if r.started != "" && settingsDigest(r.cfg) != r.started {
		return report.Errorf(report.KindConfig, "config.toml 或 plans 文件夹里的方案在网页工作台启动之后改过，工作台还在按原来的设置计算：请重启工作台（systemctl restart bulletin-console，见 docs/deployment.md）后再生成、预览或批准")
	}
	return nil
}

func (r *consoleReports) Read(ctx context.Context, root string, from, through report.Month) (*report.Quality, error) {
	_, q, err := ingest.Read(ctx, r.cfg, root, from, through)
	return q, err
}

// Check marks the characters the fonts lack (〓) as check does; fonts that
// cannot be read leave them unmarked here, and stop a build.
func (r *consoleReports) Check(ctx context.Context, root string, m report.Month) (*report.Quality, error) {
	ds, q, err := ingest.Read(ctx, r.cfg, root, m, m)
	if err != nil {
		return nil, err
	}
	if fonts, err := r.e.pipeline(r.cfg).renderer(); err == nil {
		markUnprintable(fonts, ds, q)
	}
	return q, nil
}

func (r *consoleReports) today() report.Date { return report.DateOf(r.e.now(), r.cfg.Location) }

func (r *consoleReports) Edition(ctx context.Context, periodName string) (*console.Edition, error) {
	if err := r.unchanged(); err != nil {
		return nil, err
	}
	p := r.e.pipeline(r.cfg)
	tmpl, err := p.loadTemplates() // what a build refuses is not previewed either
	if err != nil {
		return nil, err
	}
	if m, err := report.ParseMonth(periodName); err == nil {
		if _, err := r.cfg.ForMonth(m); err != nil {
			return nil, err
		}
		ds, q, earlier, err := p.readThrough(ctx, m)
		if err != nil {
			return nil, err
		}
		if err := requireMonthFolder(m, q); err != nil {
			return nil, err
		}
		fig, err := metrics.Monthly(r.cfg, ds, q, m, r.today(), earlier)
		if err != nil {
			return nil, err
		}
		return consoleEdition(r.cfg, periodName, fig, q, tmpl)
	}
	h, err := report.ParseHalf(periodName)
	if err != nil {
		return nil, err
	}
	if _, err := r.cfg.ForMonth(h.Last()); err != nil {
		return nil, err
	}
	ds, q, earlier, err := p.readThrough(ctx, h.Last())
	if err != nil {
		return nil, err
	}
	q.Period = h.String()
	for _, m := range h.Months() {
		if err := requireMonthFolder(m, q); err != nil {
			return nil, err
		}
	}
	fig, err := metrics.HalfYear(r.cfg, ds, q, h, r.today(), earlier)
	if err != nil {
		return nil, err
	}
	return consoleEdition(r.cfg, periodName, fig, q, tmpl)
}

// consoleEdition is the edition of a period as a build writes it, for the
// console to show.
func consoleEdition(cfg *report.Config, period string, fig *report.Figures, q *report.Quality, tmpl *compose.Templates) (*console.Edition, error) {
	docs, text, err := edition(cfg, fig, q, tmpl)
	if err != nil {
		return nil, err
	}
	return &console.Edition{Period: period, Figures: fig, Quality: q, Documents: docs, TextSHA256: text}, nil
}

func (r *consoleReports) Explain(ctx context.Context, m report.Month, quota string) (report.Explanation, error) {
	if _, err := r.cfg.ForMonth(m); err != nil {
		return report.Explanation{}, err
	}
	ds, _, err := r.e.pipeline(r.cfg).readMonth(ctx, m)
	if err != nil {
		return report.Explanation{}, err
	}
	return explain(r.cfg, ds, m, quota)
}

func (r *consoleReports) Build(ctx context.Context, periodName string) ([]string, error) {
	if err := r.unchanged(); err != nil {
		return nil, err
	}
	var b *built
	var err error
	if m, perr := report.ParseMonth(periodName); perr == nil {
		b, err = r.e.pipeline(r.cfg).buildMonthly(ctx, m, r.today(), false)
	} else if h, perr := report.ParseHalf(periodName); perr == nil {
		b, err = r.e.pipeline(r.cfg).buildHalfYear(ctx, h, r.today(), false)
	} else {
		return nil, perr
	}
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(b.dir)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, en := range entries {
		if !en.IsDir() && !strings.HasPrefix(en.Name(), ".") && en.Name() != report.TextDigestFile {
			written = append(written, filepath.Join(b.dir, en.Name()))
		}
	}
	return written, nil
}

func (r *consoleReports) QualityWorkbook(ctx context.Context, m report.Month, dir string) (string, error) {
	_, q, err := r.e.pipeline(r.cfg).readMonth(ctx, m)
	if err != nil {
		return "", err
	}
	path := qualityWorkbook(dir, m.Chinese())
	return path, workbook.WriteQuality(path, q)
}

// consoleDelivery is package deliver as the console sees it.
type consoleDelivery struct {
	e   *env
	cfg *report.Config
}

func (d *consoleDelivery) RequireApproval() bool { return d.cfg.Delivery.RequireApproval }

func (d *consoleDelivery) service() (*deliver.Service, error) {
	return d.e.deliveryAt(d.cfg, d.e.now())
}

func (d *consoleDelivery) Records() ([]console.Record, error) {
	s, err := d.service()
	if err != nil {
		return nil, err
	}
	r, err := s.History(context.Background())
	if err != nil {
		return nil, err
	}
	records := make([]console.Record, len(r.Entries))
	for i, en := range r.Entries {
		rec := console.Record{Period: en.Period.String(), State: string(en.State), At: en.At, Recipients: en.Recipients,
			MessageID: en.MessageID, Reply: en.Reply, Reason: en.Reason, Resend: en.Resend, Forced: en.Forced}
		for _, f := range en.Files {
			rec.Files = append(rec.Files, report.FileHash{Name: f.Name, SHA256: f.SHA256})
		}
		if en.Archive != "" && filepath.Dir(en.Archive) == en.Period.String() {
			rec.Archive = filepath.Base(en.Archive)
		}
		records[i] = rec
	}
	return records, nil
}

// Checks is what the pre-send checks find in the period's data-quality
// report as built (deliver.QualityChecks).
func (d *consoleDelivery) Checks(periodName string) ([]string, error) {
	p, err := report.ParsePeriod(periodName)
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(d.e.outDir, p.String(), "quality.json")) // the folder's own spelling of the period
	if err != nil {
		return nil, err
	}
	var q report.Quality
	if err := json.Unmarshal(data, &q); err != nil {
		return nil, err
	}
	return deliver.QualityChecks(d.cfg, p, &q), nil
}

func (d *consoleDelivery) Schedule(periodName string) (due, reviewFrom time.Time, err error) {
	p, err := report.ParsePeriod(periodName)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	end := p.End(d.cfg.Location)
	for _, job := range schedule.NewPlan(d.cfg).Between(end.Add(-time.Second), end.AddDate(1, 0, 0)) {
		if job.Period == p {
			return job.Scheduled, job.Scheduled.AddDate(0, 0, -d.cfg.Delivery.ReviewDays), nil
		}
	}
	return time.Time{}, time.Time{}, fmt.Errorf("%s is not on the delivery schedule", periodName)
}

func (d *consoleDelivery) Withhold(ctx context.Context, periodName, reason string) error {
	return d.act(ctx, periodName, func(s *deliver.Service, p report.Period) (*deliver.Report, error) {
		return s.Withhold(ctx, p, reason)
	})
}

func (d *consoleDelivery) Resend(ctx context.Context, periodName, reason, seen string) error {
	return d.act(ctx, periodName, func(s *deliver.Service, p report.Period) (*deliver.Report, error) {
		return s.Resend(ctx, p, reason, seen)
	})
}

func (d *consoleDelivery) act(ctx context.Context, periodName string, fn func(*deliver.Service, report.Period) (*deliver.Report, error)) error {
	p, err := report.ParsePeriod(periodName)
	if err != nil {
		return err
	}
	s, err := d.service()
	if err != nil {
		return err
	}
	_, err = fn(s, p)
	return err
}

// consoleApprovals reads the leaders' approvals from the console's
// database for package deliver.
type consoleApprovals struct{ out string }

func (a consoleApprovals) LatestApproval(period string) (report.Approval, bool, error) {
	if _, err := os.Stat(filepath.Join(a.out, sqlite.FileName)); errors.Is(err, os.ErrNotExist) {
		return report.Approval{}, false, nil // no console, no leader's decision: and none is created by asking
	}
	store, err := sqlite.Open(a.out)
	if err != nil {
		return report.Approval{}, false, err
	}
	defer store.Close()
	return store.LatestApproval(period)
}
