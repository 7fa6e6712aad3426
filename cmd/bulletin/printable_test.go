package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// check lists an unreadable export by its name, escaped: a newline or an
// ANSI escape in a file name neither breaks the output nor reaches the
// terminal.
func TestCheckEscapesFileNames(t *testing.T) {
	data := t.TempDir()
	if err := os.CopyFS(filepath.Join(data, "2025-05"), os.DirFS(filepath.Join(cliSampleData(t), "2025-05"))); err != nil {
		t.Fatal(err)
	}
	name := "诉件\n伪造\x1b[31m红.csv"
	if err := os.WriteFile(filepath.Join(data, "2025-05", name), []byte("甲,乙\n1,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// (The error, if check stops, is printed by main through
	// report.PrintableLines; runCLI hands it back raw.)
	stdout, _, _ := runCLI(t, "check", "--month", "2025-05", "--config", repoConfig, "--data", data, "--out", t.TempDir())
	if !strings.Contains(stdout, `诉件\n伪造\x1b[31m红.csv`) {
		t.Errorf("the file is not listed by its escaped name:\n%s", stdout)
	}
	if strings.Contains(stdout, "\x1b") || strings.Contains(stdout, "\n伪造") {
		t.Errorf("raw control characters printed:\n%q", stdout)
	}
}
