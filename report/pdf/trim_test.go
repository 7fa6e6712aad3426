package pdf

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// onePage is a PDF of one A4 page that sets a line of text.
func onePage() []byte {
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (laid out) Tj ET\nendstream",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// TestTrailingBlankPageIsTrimmed: maroto ends a document whose last page
// is filled to its foot with one blank page more; it is removed, and the
// page laid out kept. (Trimming once failed with "page not found", and
// such a document was not written at all.)
func TestTrailingBlankPageIsTrimmed(t *testing.T) {
	conf := model.NewDefaultConfiguration()
	var withBlank bytes.Buffer
	if err := api.InsertPages(bytes.NewReader(onePage()), &withBlank, []string{"1"}, false, conf); err != nil {
		t.Fatal(err)
	}
	if n, err := api.PageCount(bytes.NewReader(withBlank.Bytes()), conf); err != nil || n != 2 {
		t.Fatalf("the test's PDF has %d pages (%v), want the page and a blank one", n, err)
	}
	trimmed, err := trimTrailingPages(withBlank.Bytes(), 1)
	if err != nil {
		t.Fatalf("trimming the blank page: %v", err)
	}
	if n, err := api.PageCount(bytes.NewReader(trimmed), conf); err != nil || n != 1 {
		t.Errorf("after trimming: %d pages (%v), want 1", n, err)
	}
	// A page beyond the layout that holds text is refused, not dropped.
	if _, err := trimTrailingPages(withBlank.Bytes(), 0); err == nil {
		t.Error("a page with text beyond the layout was dropped in silence")
	}
}
