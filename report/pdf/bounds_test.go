package pdf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/report"
	"bulletin/report/pdf"
)

// TestMarkedCharactersPrintAsGetaMarks: characters the caller marks (an
// export's) print as 〓 where a font lacks them; one it does not mark still
// fails the render, and so do the marked ones with the renderer the marks
// were added to, which another document may be using.
func TestMarkedCharactersPrintAsGetaMarks(t *testing.T) {
	unmarked, err := pdf.New(fonts)
	if err != nil {
		t.Fatal(err)
	}
	r := unmarked
	for _, c := range []rune{'𠮷', '😀'} {
		if r.CanPrint(c) {
			t.Errorf("CanPrint(%q) = true", c)
		}
	}
	if !r.CanPrint('江') || !r.CanPrint('•') { // • through its stand-in ·
		t.Error("CanPrint refuses characters the fonts print")
	}
	r = r.WithMarked(map[rune]bool{'𠮷': true, '😀': true})
	doc := report.Document{FileName: "代字", Title: "标题", Blocks: []report.Block{
		{Kind: report.Paragraph, Text: "执法人员𠮷田未亮证😀"},
		{Kind: report.TableBlock, Table: &report.Table{Sheet: "表", Columns: []report.Column{{Title: "问题描述", Width: 1}},
			Rows: [][]report.Cell{{{Text: "𠮷野家门前占道😀"}}}}},
	}}
	data, err := r.Render(doc, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "代字.pdf")
	os.WriteFile(path, data, 0o644)
	text := squeeze(strings.Join(pages(t, path), ""))
	for _, want := range []string{"执法人员〓田未亮证〓", "〓野家门前占道〓"} {
		if !strings.Contains(text, want) {
			t.Errorf("text %q lacks %q", text, want)
		}
	}
	if _, err := unmarked.Render(doc, nil); err == nil || !strings.Contains(err.Error(), "U+20BB7") {
		t.Errorf("the renderer the marks were added to gave %v, want 𠮷 named", err)
	}
	doc.Blocks = append(doc.Blocks, report.Block{Kind: report.Paragraph, Text: "模板里的🏢"})
	if _, err := r.Render(doc, nil); err == nil || !strings.Contains(err.Error(), "U+1F3E2") {
		t.Errorf("an unmarked missing character gave %v, want it named", err)
	}
}

// TestPageBound: a document past MaxPages fails, naming the section in
// which it passed the bound, instead of printing hundreds of pages.
func TestPageBound(t *testing.T) {
	doc := report.Document{FileName: "超长", Title: "标题", Blocks: []report.Block{
		{Kind: report.Heading1, Text: "一、本月执法监督工作概况"}, paragraph(1),
		{Kind: report.Heading1, Text: "五、发现问题及整改情况"},
	}}
	// about 22 lines a page, a paragraph of three lines each
	for i := range pdf.MaxPages * 8 {
		doc.Blocks = append(doc.Blocks, paragraph(i))
	}
	_, err := pdf.Render(doc, fonts, nil)
	if err == nil {
		t.Fatal("a document of more than MaxPages pages was rendered")
	}
	for _, want := range []string{"超过了 500 页的上限", "在“五、发现问题及整改情况”一节超出"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}
