package pdf_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPdfcpuLeavesTheHomeDirectoryAlone: pdfcpu, which trims the PDF,
// creates a config folder under the user's home on first use and calls
// os.Exit when it cannot, which would end "bulletin schedule" on a server
// whose service user has no writable home. A child process renders with a
// HOME that cannot be created (it lies under a regular file, which stops
// root too).
func TestPdfcpuLeavesTheHomeDirectoryAlone(t *testing.T) {
	if os.Getenv("BULLETIN_TEST_UNWRITABLE_HOME") == "1" {
		doc, images := marchBulletin(t)
		renderFile(t, doc, images)
		return
	}
	file := filepath.Join(t.TempDir(), "not-a-folder")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(file, "home")
	child := exec.Command(os.Args[0], "-test.run=^TestPdfcpuLeavesTheHomeDirectoryAlone$", "-test.count=1", "-test.v")
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			child.Env = append(child.Env, kv)
		}
	}
	child.Env = append(child.Env, "HOME="+home, "BULLETIN_TEST_UNWRITABLE_HOME=1")
	out, err := child.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: TestPdfcpuLeavesTheHomeDirectoryAlone") {
		t.Fatalf("rendering with HOME=%s failed: %v\n%s", home, err, out)
	}
}
