package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/report/ingest"
	"bulletin/report/sample"
)

// A year re-issued with monthly --from --to, each export parsed once, the
// later months going on from the month before's datasets and the cache,
// the fonts read once and each month's documents written while the next
// is read, gives the same figures.json and quality.json, byte for byte,
// and the same bulletin text as each month built alone without a cache; so
// does a run over a damaged cache. The cache is a file beside the outputs.
func TestCacheChangesNothingButTime(t *testing.T) {
	data := cliSampleData(t)
	year, alone := t.TempDir(), t.TempDir()
	now := "--now=2026-01-10T08:00"
	if _, stderr, code := runCLI(t, "monthly", "--from", "2025-01", "--to", "2025-12", now, "--config", repoConfig, "--data", data, "--out", year); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cache := filepath.Join(year, ingest.CacheFile)
	if _, err := os.Stat(cache); err != nil {
		t.Fatalf("no cache beside the outputs: %v", err)
	}
	for _, month := range []string{"2025-01", "2025-06", "2025-12"} {
		out := filepath.Join(alone, month)
		if _, stderr, code := runCLI(t, "monthly", "--month", month, now, "--config", repoConfig, "--data", data, "--out", out); code != 0 {
			t.Fatalf("%s: exit %d: %s", month, code, stderr)
		}
		os.Remove(filepath.Join(out, ingest.CacheFile)) // the next runs below parse again
		for _, name := range []string{"figures.json", "quality.json"} {
			a, err := os.ReadFile(filepath.Join(year, month, name))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(out, month, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: the year's run through the cache differs from the month built alone", month, name)
			}
		}
		pdfs, _ := filepath.Glob(filepath.Join(out, month, "*.pdf"))
		if len(pdfs) != 1 {
			t.Fatalf("%s: %d PDFs built alone", month, len(pdfs))
		}
		_, a := pdfText(t, filepath.Join(year, month, filepath.Base(pdfs[0])))
		if _, b := pdfText(t, pdfs[0]); a != b {
			t.Errorf("%s: the year's bulletin reads otherwise than the month built alone", month)
		}
	}

	// A damaged cache is ignored: December again over it gives the same bytes.
	good, err := os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	bad := append([]byte(nil), good...)
	for i := len(bad) / 2; i < len(bad)/2+64; i++ {
		bad[i] ^= 0xff
	}
	again := t.TempDir()
	os.WriteFile(filepath.Join(again, ingest.CacheFile), bad, 0o644)
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-12", now, "--config", repoConfig, "--data", data, "--out", again); code != 0 {
		t.Fatalf("over a damaged cache: exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(year, "2025-12", "figures.json"))
	b, _ := os.ReadFile(filepath.Join(again, "2025-12", "figures.json"))
	if !bytes.Equal(a, b) {
		t.Error("December over a damaged cache differs")
	}
}

// A year re-issued goes on from the datasets it has read instead of
// reading their files again: January's 监督检查 (read in every folder, so
// carried to the run's end), damaged once January's bulletin is out, is not
// read again by the months after. December built alone refuses the damaged
// file, and once it is mended gives what the year's December gave. The
// year's cache of parsed exports is written once, at its end, not after
// each month.
func TestMonthlyFromToDoesNotReadAgainWhatItCarries(t *testing.T) {
	data := t.TempDir()
	if err := sample.Extract(data); err != nil {
		t.Fatal(err)
	}
	january := filepath.Join(data, "2025-01", "监督检查_2025年1月.xlsx")
	intact, err := os.ReadFile(january)
	if err != nil {
		t.Fatal(err)
	}
	year := t.TempDir()
	stdout := &onOutput{want: "2025年1月 月报已生成", then: func() {
		if err := os.WriteFile(january, []byte("已损坏"), 0o644); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(year, ingest.CacheFile)); !os.IsNotExist(err) {
			t.Errorf("the cache is written before the run ends (%v)", err)
		}
	}}
	now := "--now=2026-01-10T08:00"
	var stderr bytes.Buffer
	if err := Run(context.Background(), []string{"monthly", "--from", "2025-01", "--to", "2025-12", now,
		"--config", repoConfig, "--data", data, "--out", year}, stdout, &stderr); err != nil {
		t.Fatalf("%v: %s", err, &stderr)
	}
	if !stdout.seen {
		t.Fatalf("January's bulletin was not announced: %s", &stdout.Buffer)
	}
	if _, err := os.Stat(filepath.Join(year, ingest.CacheFile)); err != nil {
		t.Errorf("no cache after the run: %v", err)
	}
	december := []string{"monthly", "--month", "2025-12", now, "--config", repoConfig, "--data", data, "--out", t.TempDir()}
	if _, stderr, code := runCLI(t, december...); code != 1 || !strings.Contains(stderr, filepath.Base(january)) {
		t.Fatalf("December alone over the damaged file: exit %d: %s", code, stderr)
	}
	if err := os.WriteFile(january, intact, 0o644); err != nil {
		t.Fatal(err)
	}
	alone := t.TempDir()
	december[len(december)-1] = alone
	if _, stderr, code := runCLI(t, december...); code != 0 {
		t.Fatalf("December alone: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"figures.json", "quality.json"} {
		a, _ := os.ReadFile(filepath.Join(year, "2025-12", name))
		b, err := os.ReadFile(filepath.Join(alone, "2025-12", name))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("December's %s: the year's run differs from December alone (%v)", name, err)
		}
	}
}

// onOutput is an output that calls then once, when what was written to it
// first holds want.
type onOutput struct {
	bytes.Buffer
	want string
	then func()
	seen bool
}

func (o *onOutput) Write(p []byte) (int, error) {
	n, err := o.Buffer.Write(p)
	if !o.seen && strings.Contains(o.String(), o.want) {
		o.seen = true
		o.then()
	}
	return n, err
}

func TestMonthlyFromToUsage(t *testing.T) {
	for _, args := range [][]string{
		{"--month", "2025-05", "--from", "2025-01", "--to", "2025-03"},
		{"--from", "2025-01"},
		{"--from", "2025-05", "--to", "2025-03"},
	} {
		_, stderr, code := runCLI(t, append([]string{"monthly", "--config", repoConfig, "--data", t.TempDir(), "--out", t.TempDir()}, args...)...)
		if code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want a usage error", args, code, stderr)
		}
	}
}

// Months re-issued together are made in order: a month that stops (March,
// its 诉件 missing) ends the run there, after the months before it and
// before any after it, and leaves the cache usable.
func TestMonthlyFromToStopsAtTheMonthThatFails(t *testing.T) {
	data := t.TempDir()
	if err := sample.Extract(data); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(data, "2025-03", "诉件.xlsx")); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "monthly", "--from", "2025-02", "--to", "2025-05", "--now=2026-01-10T08:00", "--config", repoConfig, "--data", data, "--out", out)
	if code != 1 || !strings.Contains(stderr, "诉件") {
		t.Fatalf("exit %d, stderr %q; want March's missing 诉件", code, stderr)
	}
	if !strings.Contains(stdout, "2025年2月") || strings.Contains(stdout, "2025年3月 月报") || strings.Contains(stdout, "2025年4月") {
		t.Errorf("made %q; want February only", stdout)
	}
	for month, want := range map[string]bool{"2025-02": true, "2025-04": false, "2025-05": false} {
		if _, err := os.Stat(filepath.Join(out, month, "figures.json")); (err == nil) != want {
			t.Errorf("%s made: %v, want %v", month, err == nil, want)
		}
	}
	if _, stderr, code := runCLI(t, "monthly", "--month", "2025-02", "--now=2026-01-10T08:00", "--config", repoConfig, "--data", data, "--out", out); code != 0 {
		t.Errorf("February again over the cache left: exit %d: %s", code, stderr)
	}
}

// The same when what fails is a month's PDF, written while the next month
// is read: no month after it writes anything, and the run names it.
func TestMonthlyFromToStopsAtTheDocumentThatFails(t *testing.T) {
	data := cliSampleData(t)
	out := t.TempDir()
	blocked := filepath.Join(out, "2025-03", "静安城市管理执法工作月报-2025年03月.pdf")
	if err := os.MkdirAll(filepath.Join(blocked, "在用"), 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runCLI(t, "monthly", "--from", "2025-02", "--to", "2025-05", "--now=2026-01-10T08:00", "--config", repoConfig, "--data", data, "--out", out)
	if code != 1 || !strings.Contains(stderr, "2025年03月") {
		t.Fatalf("exit %d, stderr %q; want March's PDF named", code, stderr)
	}
	if !strings.Contains(stdout, "2025年2月") || strings.Contains(stdout, "2025年3月 月报") || strings.Contains(stdout, "2025年4月") {
		t.Errorf("made %q; want February only", stdout)
	}
	for month, want := range map[string]bool{"2025-02": true, "2025-03": true, "2025-04": false, "2025-05": false} {
		if _, err := os.Stat(filepath.Join(out, month, "figures.json")); (err == nil) != want {
			t.Errorf("%s figures written: %v, want %v", month, err == nil, want)
		}
	}
	if pdfs, _ := filepath.Glob(filepath.Join(out, "2025-02", "*.pdf")); len(pdfs) != 1 {
		t.Errorf("February's PDFs: %v", pdfs)
	}
}
