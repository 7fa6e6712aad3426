// Package pdf prints a report.Document as a PDF in the layout of GB/T
// 9704-2012 (党政机关公文格式) with maroto v2: A4, 版心 156 × 225 mm, body
// type 16 pt on a grid of 22 lines of 28 characters, the 简报 masthead, page
// numbers "— N —" odd-right/even-left, tables whose header row repeats on
// every page they cross, charts never split, and the 版记 at the foot of the
// last page.
//
// The package lays out pages itself: it breaks lines with package
// linebreak, measures text with the fonts' own metrics, and hands maroto
// pages whose rows are known to fit. maroto draws; it never decides where a
// line or a page breaks. The layout is typeset as an office would have it:
// no widows or orphans, no paragraph ending in a line of one or two
// characters, punctuation squeezed rather than lines stretched, titles
// broken between words, tables broken with 续表 and three rows each side,
// charts shrunk or floated rather than leave a page's foot empty, the 版记
// never alone. Renderer.Layout returns the page model and Audit checks it
// for each of these.
//
// maroto fixes one page orientation per document, so an annex marked
// Landscape is set portrait like the rest, its tables in the smaller type
// of wide tables.
//
// Every character is checked against the font of its role before anything
// is drawn: a character a font lacks makes Render fail with a
// *MissingGlyphsError naming the characters and the font file, instead of
// printing boxes.
package pdf

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"

	"github.com/johnfercher/maroto/v2"
	"github.com/johnfercher/maroto/v2/pkg/components/page"
	"github.com/johnfercher/maroto/v2/pkg/config"
	"github.com/johnfercher/maroto/v2/pkg/consts/fontstyle"
	"github.com/johnfercher/maroto/v2/pkg/consts/pagesize"
	"github.com/johnfercher/maroto/v2/pkg/core"
	"github.com/johnfercher/maroto/v2/pkg/core/entity"
	"github.com/johnfercher/maroto/v2/pkg/props"

	"bulletin/report"
)

// Renderer prints documents with one set of fonts. The font files are
// checked by New, and read whole once, by the first document; a Renderer is
// safe for concurrent use.
type Renderer struct {
	marked map[rune]bool // see WithMarked

	faces [roleCount]*face
	files []*face // one per distinct font file, as maroto embeds them
}

// New opens the four role fonts. A font file that cannot be read or is not
// a TrueType-outline .ttf is a *report.Error of KindConfig naming the file
// and its config.toml key; so is, at Render, one that has since gone.
func New(fonts report.Fonts) (*Renderer, error) {
	r := &Renderer{}
	byPath := map[string]*face{}
	for ro, path := range rolePaths(fonts) {
		if path == "" {
			return nil, &report.Error{Kind: report.KindConfig, Op: "读取字体", Where: role(ro).configKey(),
				Err: errors.New("没有配置字体文件")}
		}
		if f, ok := byPath[path]; ok {
			f.roles = append(f.roles, role(ro))
			r.faces[ro] = f
			continue
		}
		f, err := loadFace(path, role(ro))
		if err != nil {
			return nil, err
		}
		byPath[path] = f
		r.faces[ro] = f
		r.files = append(r.files, f)
	}
	return r, nil
}

// WithMarked returns a renderer of the same fonts that prints the marked
// characters as SubstituteMark where a font lacks them: those of exported
// data, which the caller has listed as warnings. Any other character a
// font lacks fails Render.
func (r *Renderer) WithMarked(marked map[rune]bool) *Renderer {
	c := *r
	c.marked = marked
	return &c
}

// BodyFont is the body role's font file as read: what charts drawn for
// the document set their labels in.
func (r *Renderer) BodyFont() ([]byte, error) { return r.faces[roleBody].whole(roleBody) }

// customFonts is what maroto embeds: each font file, read whole.
func (r *Renderer) customFonts() ([]*entity.CustomFont, error) {
	var custom []*entity.CustomFont
	for _, f := range r.files {
		data, err := f.whole(f.roles[0])
		if err != nil {
			return nil, err
		}
		custom = append(custom, &entity.CustomFont{Family: f.family, Style: fontstyle.Normal, Bytes: data})
	}
	return custom, nil
}

// Render prints doc with fonts; charts holds the PNG image of every chart
// of the document by report.Chart.ID. For more than one document, New and
// Renderer.Render read the fonts once.
func Render(doc report.Document, fonts report.Fonts, charts map[string][]byte) ([]byte, error) {
	r, err := New(fonts)
	if err != nil {
		return nil, err
	}
	return r.Render(doc, charts)
}

// Render prints doc. Errors are *report.Error of KindRender: a character
// no font of its role has (wrapping a *MissingGlyphsError), a chart without
// a usable PNG, a table row taller than a page; or of KindConfig, a font
// file gone or changed since New.
func (r *Renderer) Render(doc report.Document, charts map[string][]byte) ([]byte, error) {
	name := doc.FileName
	if name == "" {
		name = doc.Title
	}
	fail := func(err error) error {
		return &report.Error{Kind: report.KindRender, Op: "《" + name + "》没有生成", Err: err}
	}
	// maroto reads and parses the fonts (a fifth of a second for a
	// bulletin) while the document is typeset.
	type built struct {
		m   core.Maroto
		err error
	}
	ready := make(chan built, 1)
	go func() {
		custom, err := r.customFonts()
		if err != nil {
			ready <- built{err: err}
			return
		}
		ready <- built{m: maroto.New(r.config(name, custom))}
	}()
	t := &typesetter{faces: r.faces, m: newMetrics(r.marked), charts: charts}
	if err := t.document(doc); err != nil {
		return nil, fail(err)
	}
	pages, err := paginate(t.items, t.colophon)
	if err != nil {
		return nil, fail(err)
	}
	if len(pages) > MaxPages {
		return nil, fail(tooManyPages(pages))
	}
	folios := make([]core.Row, len(pages))
	for i := range pages {
		folios[i] = t.folio(i + 1)
	}
	// Every string, page numbers included, has been measured: now we know
	// whether the fonts can print them all.
	if err := t.m.err(); err != nil {
		return nil, fail(err)
	}

	b := <-ready
	if b.err != nil {
		return nil, b.err
	}
	m := b.m
	for i, items := range pages {
		p := page.New()
		used := 0.0
		for _, it := range items {
			if it.row != nil {
				p.Add(it.row())
				used += it.height
			}
		}
		if fill := textHeight - used; fill > minRow {
			p.Add(spaceRow(fill)())
		}
		p.Add(folios[i])
		// Fill maroto's page but for a hair: maroto pushes a page to its
		// foot with a spacer row and leaves the next page to gofpdf's
		// automatic page break, so a spacer of a millimetre, drawn a
		// rounding error past the foot, would begin the next page and push
		// its last row over (a note, the page number) onto a page of its
		// own. A spacer of a hair moves the next page by a hair.
		p.Add(spaceRow(pageSlack - hair)())
		m.AddPages(p)
	}
	out, err := m.Generate()
	if err != nil {
		return nil, fail(err)
	}
	data, err := trimTrailingPages(out.GetBytes(), len(pages))
	if err != nil {
		return nil, fail(err)
	}
	return data, nil
}

// MaxPages bounds a document: a bulletin runs to a few dozen pages, and a
// document of hundreds comes from data gone wrong (a table of a hundred
// thousand rows), which no reader would read and which would fill the disk
// and the mailbox.
const MaxPages = 500

// tooManyPages names the section in which the document passed MaxPages
// and how many pages it runs to.
func tooManyPages(pages [][]item) error {
	section := "开头"
	for _, it := range pages[MaxPages] {
		if it.heading != "" {
			section = "“" + it.heading + "”"
			break
		}
	}
	return fmt.Errorf("文档有 %d 页，超过了 %d 页的上限，在%s一节超出：请检查这一节所依据的导出数据是否有误（如重复导出、行数异常）", len(pages), MaxPages, section)
}

// pdfcpu would otherwise create a config folder under the user's home on
// first use, and call os.Exit when it cannot (a service user without a
// writable home). Its built-in defaults are all we use.
func init() { api.DisableConfigDir() }

// pageSlack is maroto's page area beyond the 版心 and the page-number band,
// filled on every page but for a hair.
const (
	pageSlack = 1.0
	hair      = 1e-6
)

// trimTrailingPages removes pages beyond the ones we laid out. maroto
// draws each row as a gofpdf cell with automatic page breaks on, and a last
// page filled to its foot can end, by a rounding of the summed heights, in
// one empty page more. Our own pagination is the truth.
func trimTrailingPages(data []byte, want int) ([]byte, error) {
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	got, err := api.PageCount(bytes.NewReader(data), conf)
	if err != nil || got <= want {
		return data, err
	}
	// Only blank pages go: text beyond the layout would be lost.
	ctx, err := api.ReadContext(bytes.NewReader(data), conf)
	if err != nil {
		return nil, err
	}
	// A context only read knows no pages until counted: PageDict found
	// none, and a document ending at a page's foot was not written at all.
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, err
	}
	for n := want + 1; n <= got; n++ {
		d, _, _, err := ctx.PageDict(n, false)
		if err != nil {
			return nil, err
		}
		content, err := ctx.PageContent(d)
		if err != nil && !errors.Is(err, model.ErrNoContent) {
			return nil, err
		}
		if bytes.Contains(content, []byte("Tj")) || bytes.Contains(content, []byte("TJ")) {
			return nil, fmt.Errorf("maroto set text on page %d, beyond the %d pages laid out", n, want)
		}
	}
	var out bytes.Buffer
	extra := fmt.Sprintf("%d-%d", want+1, got)
	if err := api.RemovePages(bytes.NewReader(data), &out, []string{extra}, conf); err != nil {
		return nil, fmt.Errorf("remove the empty page(s) %s maroto added: %w", extra, err)
	}
	return out.Bytes(), nil
}

func (r *Renderer) config(title string, custom []*entity.CustomFont) *entity.Config {
	return config.NewBuilder().
		WithPageSize(pagesize.A4).
		WithTopMargin(marginTop).
		WithLeftMargin(marginLeft).
		WithRightMargin(marginRight).
		// maroto's page area holds the 版心 and the page-number band below
		// it, plus a millimetre of slack so that rounding never makes
		// maroto push a row to a page of its own.
		WithBottomMargin(pageHeight-marginTop-textHeight-folioHeight-pageSlack).
		WithMaxGridSize(gridUnits).
		WithCustomFonts(custom).
		WithDefaultFont(&props.Font{Family: r.faces[roleBody].family, Size: bodySize}).
		WithCompression(true).
		WithTitle(title, true).
		WithCreator("bulletin", false).
		Build()
}
