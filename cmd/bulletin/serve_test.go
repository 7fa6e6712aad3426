package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/report/smtptest"
)

func TestUserCommands(t *testing.T) {
	out := t.TempDir()
	run := func(password string, args ...string) (string, string, int) {
		t.Helper()
		stdin = strings.NewReader(password + "\n")
		defer func() { stdin = os.Stdin }()
		return runCLI(t, append(args, "--out", out)...)
	}
	if _, _, code := run("long-enough-1", "user", "add", "wang", "--role", "综合科"); code != 0 {
		t.Fatal("user add failed")
	}
	if _, stderr, code := run("long-enough-2", "user", "add", "wang", "--role", "领导"); code == 0 || !strings.Contains(stderr, "已存在") {
		t.Errorf("a second wang: exit %d, %s", code, stderr)
	}
	if _, stderr, code := run("short", "user", "add", "li", "--role", "leader"); code != 2 || !strings.Contains(stderr, "密码太短") {
		t.Errorf("a short password: exit %d, %s", code, stderr)
	}
	if _, stderr, code := run("long-enough-3", "user", "add", "li", "--role", "boss"); code != 2 || !strings.Contains(stderr, "role") {
		t.Errorf("an unknown role: exit %d, %s", code, stderr)
	}
	if _, _, code := run("long-enough-4", "user", "passwd", "wang"); code != 0 {
		t.Error("user passwd failed")
	}
	if _, _, code := run("", "user", "disable", "wang"); code != 0 {
		t.Error("user disable failed")
	}
	stdout, _, code := run("", "user", "list")
	if code != 0 || !strings.Contains(stdout, "wang") || !strings.Contains(stdout, "综合科") || !strings.Contains(stdout, "已停用") {
		t.Errorf("user list: exit %d\n%s", code, stdout)
	}
}

func TestPlainHTTPOnlyOnLoopback(t *testing.T) {
	for _, c := range []struct {
		listen  string
		allowed bool
		ok      bool
	}{
		{"127.0.0.1:8080", false, true},
		{"[::1]:8080", false, true},
		{"localhost:8080", false, true},
		{"0.0.0.0:8080", false, false},
		{":8080", false, false},
		{"10.1.2.3:8080", false, false},
		{"10.1.2.3:8080", true, true},
	} {
		if err := plainHTTPAllowed(c.listen, c.allowed); (err == nil) != c.ok {
			t.Errorf("plain HTTP on %s (allowed %v): %v", c.listen, c.allowed, err)
		}
	}
	// The command refuses before listening.
	o := newOffice(t, nil)
	_, stderr, code := o.run("serve", "--listen", "0.0.0.0:0")
	if code != 1 || !strings.Contains(stderr, "allow_plain_http") {
		t.Errorf("serve on all addresses without TLS: exit %d\n%s", code, stderr)
	}
}

// TestConsoleUnderTLS serves the console with a certificate: HTTPS, and
// the session's cookies marked Secure.
func TestConsoleUnderTLS(t *testing.T) {
	o := newOffice(t, nil)
	dir := t.TempDir()
	certFile, keyFile, trusted := certFiles(t, dir)
	e := &env{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, getenv: os.LookupEnv, configPath: o.cfg, dataDir: o.data, outDir: o.out}
	cfg, err := e.loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Console.Cert, cfg.Console.Key = certFile, keyFile
	handler, closeStore, err := e.newConsole(cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serveUntilDone(ctx, ln, handler, cfg.Console, true) }()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: trusted}}}
	resp, err := client.Get("https://" + ln.Addr().String() + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.TLS == nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /login over TLS: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	for _, c := range resp.Cookies() {
		if !c.Secure || !c.HttpOnly {
			t.Errorf("cookie %s: Secure %v HttpOnly %v", c.Name, c.Secure, c.HttpOnly)
		}
	}
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age") {
		t.Error("no HSTS header under TLS")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

// certFiles writes smtptest's certificate for 127.0.0.1 and its key as the
// PEM files [console] cert and key name, and returns a pool that trusts it.
func certFiles(t *testing.T, dir string) (certFile, keyFile string, trusted *x509.CertPool) {
	t.Helper()
	cert, trusted := smtptest.SelfSigned()
	keyDER, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "console.crt"), filepath.Join(dir, "console.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, trusted
}

// TestQualityDownloadChangesNoOutputFolder downloads 数据质量报告 as a
// read-only user, for a month built and for one not yet: the workbook
// comes, and the output folders stay as they were, byte for byte.
func TestQualityDownloadChangesNoOutputFolder(t *testing.T) {
	o := newOffice(t, nil)
	o.mustRun(0, "check", "--month", "2025-05")
	reader := o.logIn("li", "只读", "reader-password-1", time.Now())

	// What the output folder holds of the months, byte for byte and when
	// written (the store beside them records the session).
	folders := func() map[string]string {
		files := map[string]string{}
		months, _ := filepath.Glob(filepath.Join(o.out, "20*"))
		for _, m := range months {
			filepath.WalkDir(m, func(path string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					b, _ := os.ReadFile(path)
					info, _ := d.Info()
					files[path] = info.ModTime().String() + string(b) // a file written again, alike or not
				}
				return err
			})
			files[m] = "folder"
		}
		return files
	}
	before := folders()
	if len(before) < 3 {
		t.Fatalf("check wrote %d files", len(before))
	}

	for _, month := range []string{"2025-05", "2026-11"} {
		resp, err := reader.client.Get(reader.url + "/quality/workbook?month=" + month)
		if err != nil {
			t.Fatal(err)
		}
		xlsx, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if month == "2025-05" && (resp.StatusCode != http.StatusOK || !bytes.HasPrefix(xlsx, []byte("PK")) ||
			!strings.Contains(resp.Header.Get("Content-Disposition"), "xlsx")) {
			t.Errorf("download of %s: %d %q, want the workbook", month, resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	}
	after := folders()
	for path := range after {
		if _, ok := before[path]; !ok {
			t.Errorf("the download made %s", path)
		}
	}
	for path, b := range before {
		if after[path] != b {
			t.Errorf("the download changed %s", path)
		}
	}
}
