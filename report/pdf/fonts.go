package pdf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"bulletin/report"
)

// role is one of the four type roles of documents.md.
type role int

const (
	roleTitle      role = iota // 小标宋-style
	roleHeading                // 黑体-style
	roleSubheading             // 楷体-style
	roleBody                   // 仿宋-style
	roleCount
)

// configKey names the role as config.toml does, for error messages.
func (r role) configKey() string {
	return [...]string{"fonts.title", "fonts.heading", "fonts.subheading", "fonts.body"}[r]
}

func rolePaths(f report.Fonts) [roleCount]string {
	return [roleCount]string{f.Title, f.Heading, f.Subheading, f.Body}
}

// face is a font file, opened once and shared by the roles that name it.
type face struct {
	path   string
	family string // the font's name inside the PDF
	roles  []role
	file   *fontFile
	font   *sfnt.Font // reads file as it needs
	upem   fixed.Int26_6
}

// loadFace opens a font file and checks that gofpdf can embed it: a single
// TrueType-outline font (glyf table), not a collection and not CFF. It
// reads the file's table directory and what measuring text needs; the rest
// is read when a document embeds the font (fontFile).
func loadFace(path string, r role) (*face, error) {
	fail := func(err error) error {
		return &report.Error{Kind: report.KindConfig, Op: "读取字体", Path: path, Where: r.configKey(), Err: err}
	}
	file, err := openFontFile(path)
	if err != nil {
		return nil, fail(err)
	}
	tables, err := checkTrueType(file)
	if err != nil {
		return nil, fail(err)
	}
	f, err := sfnt.ParseReaderAt(file)
	if err != nil {
		return nil, fail(fmt.Errorf("不是可用的 TrueType 字体（%w）", err))
	}
	// What measuring text reads, read now: the glyph map and the widths.
	// Later, the file may have gone; a glyph looked up then must not seem
	// missing for it.
	for _, tag := range []string{"cmap", "hmtx"} {
		t := tables[tag]
		if t.offset+t.length > file.size {
			return nil, fail(fmt.Errorf("不是可用的 TrueType 字体：%s 表超出了文件末尾", tag))
		}
		if _, err := file.ReadAt(make([]byte, t.length), t.offset); err != nil {
			return nil, fail(fmt.Errorf("不是可用的 TrueType 字体：%s 表读不出（%w）", tag, err))
		}
	}
	// The PDF names the font after the first role that uses it.
	family := strings.TrimPrefix(r.configKey(), "fonts.")
	return &face{path: path, family: family, roles: []role{r}, file: file, font: f,
		upem: fixed.Int26_6(f.UnitsPerEm()) << 6}, nil
}

// whole is the font file, read whole, or the error naming it and the
// config key of r, one of its roles.
func (f *face) whole(r role) ([]byte, error) {
	data, err := f.file.bytes()
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Op: "读取字体", Path: f.path, Where: r.configKey(), Err: err}
	}
	return data, nil
}

// fontFile is a font file read as it is asked for. Checking and measuring
// text reads the table directory, the glyph map and the widths: a few
// hundred KB of a Chinese font's 5 to 15 MB. The whole file is read once,
// when a document embeds the font (bytes): a run that checks the fonts
// before reading the exports does not hold 35 MB through the reading, nor
// read the files twice.
type fontFile struct {
	path string
	size int64

	mu     sync.Mutex
	blocks map[int64][]byte // by offset / fontBlock: the parts read so far
	whole  []byte           // the file, once bytes has read it
}

const fontBlock = 64 << 10

func openFontFile(path string) (*fontFile, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, missingFont(err)
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("不是普通文件")
	}
	return &fontFile{path: path, size: info.Size(), blocks: map[int64][]byte{}}, nil
}

// ReadAt reads from the blocks read so far, reading the file for the
// others; it is safe for concurrent use, as a Renderer's fonts are.
func (f *fontFile) ReadAt(p []byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	if f.whole != nil {
		return readAtBytes(f.whole, p, off)
	}
	var file *os.File
	defer func() {
		if file != nil {
			file.Close()
		}
	}()
	n := 0
	for n < len(p) && off+int64(n) < f.size {
		at := off + int64(n)
		block, ok := f.blocks[at/fontBlock]
		if !ok {
			if file == nil {
				var err error
				if file, err = os.Open(f.path); err != nil {
					return n, f.gone(err)
				}
			}
			block = make([]byte, min(fontBlock, f.size-at/fontBlock*fontBlock))
			if _, err := file.ReadAt(block, at/fontBlock*fontBlock); err != nil {
				if errors.Is(err, io.EOF) {
					err = errChanged
				}
				return n, err
			}
			f.blocks[at/fontBlock] = block
		}
		n += copy(p[n:], block[at%fontBlock:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func readAtBytes(b, p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, io.EOF
	}
	n := copy(p, b[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// missingFont says in the clerk's words that a font file is not there.
func missingFont(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("找不到这个字体文件：请检查 config.toml 的 [fonts] 写的路径")
	}
	return err
}

// errChanged is a font file that is not what New checked: removed, cut
// short or replaced while the run goes on.
var errChanged = errors.New("字体文件在这次运行中被移走或改动了：请等运行结束再换字体，然后重新运行")

// gone is err of reading the file after New found it: its absence is a
// change during the run, not a wrong path in config.toml.
func (f *fontFile) gone(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errChanged
	}
	return err
}

// bytes is the whole file, read once: the file New checked, else
// errChanged (its size, or any part of it read so far, differs).
func (f *fontFile) bytes() ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.whole != nil {
		return f.whole, nil
	}
	data, err := os.ReadFile(f.path)
	if err != nil {
		return nil, f.gone(err)
	}
	if int64(len(data)) != f.size {
		return nil, errChanged
	}
	for i, block := range f.blocks {
		if !bytes.Equal(block, data[i*fontBlock:][:len(block)]) {
			return nil, errChanged
		}
	}
	f.whole, f.blocks = data, nil
	return data, nil
}

// checkTrueType reads the font's table directory: gofpdf embeds only fonts
// whose glyphs are TrueType outlines.
// It returns where each table is.
func checkTrueType(file io.ReaderAt) (map[string]fontTable, error) {
	data := make([]byte, 12)
	if _, err := file.ReadAt(data, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("不是字体文件（太短）")
		}
		return nil, err
	}
	switch string(data[:4]) {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return nil, errors.New("是 CFF 轮廓的 OpenType 字体，PDF 库只能嵌入 TrueType 轮廓的 .ttf 字体：请换用 .ttf 字体")
	case "ttcf":
		return nil, errors.New("是字体集（.ttc）：请从中取出要用的一种字体，存为 .ttf 文件")
	default:
		return nil, errors.New("不是 TrueType 字体文件")
	}
	count := int(binary.BigEndian.Uint16(data[4:6]))
	data = make([]byte, 12+16*count)
	if _, err := file.ReadAt(data, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("不是 TrueType 字体文件（表目录不完整）")
		}
		return nil, err
	}
	tables := map[string]fontTable{}
	for i := 0; i < count; i++ {
		record := data[12+16*i : 28+16*i] // tag, checksum, offset, length
		tables[string(record[:4])] = fontTable{offset: int64(binary.BigEndian.Uint32(record[8:])),
			length: int64(binary.BigEndian.Uint32(record[12:]))}
	}
	for _, t := range []string{"glyf", "loca", "cmap", "hmtx"} {
		if _, ok := tables[t]; !ok {
			return nil, fmt.Errorf("没有 %s 表，PDF 库只能嵌入 TrueType 轮廓的 .ttf 字体：请换用 .ttf 字体", t)
		}
	}
	return tables, nil
}

// fontTable is where a table of a font file is.
type fontTable struct{ offset, length int64 }

// advance returns the width of r in thousandths of an em, rounded as the
// PDF library rounds it, and false when the font cannot print r: no glyph,
// or r beyond U+FFFF, which the PDF library does not encode.
func (f *face) advance(buf *sfnt.Buffer, r rune) (int, bool) {
	if r > 0xFFFF {
		return 0, false
	}
	gi, err := f.font.GlyphIndex(buf, r)
	if err != nil || gi == 0 {
		return 0, false
	}
	adv, err := f.font.GlyphAdvance(buf, gi, f.upem, font.HintingNone)
	if err != nil {
		return 0, false
	}
	return int(math.Round(float64(adv) * 1000 / float64(f.upem))), true
}

// substitutes are the stand-ins used when a font lacks a character, in
// order of preference. They change the look of a sign, never its meaning;
// a character with no stand-in in the font is reported missing.
var substitutes = map[rune][]rune{
	'％':      {'%'},
	'%':      {'％'},
	'•':      {'·'},
	'–':      {'-'}, // en dash
	'−':      {'-'}, // minus sign
	'～':      {'~'},
	'~':      {'～'},
	'✓':      {'√'},
	'✔':      {'√'},
	'✗':      {'×'},
	'✘':      {'×'},
	'\u00a0': {' '}, // no-break space
	'\u3000': {' '}, // ideographic space
}

// MissingGlyphsError says which characters of a document its fonts cannot
// print. Render returns it (inside a *report.Error of KindRender) instead
// of printing boxes.
type MissingGlyphsError struct {
	Fonts []MissingGlyphs
}

// MissingGlyphs lists the characters one font file lacks.
type MissingGlyphs struct {
	Path  string   // the font file
	Roles []string // its config.toml keys: fonts.body, ...
	Chars []rune   // in order of first appearance
}

func (e *MissingGlyphsError) Error() string {
	var parts []string
	for _, m := range e.Fonts {
		var cs []string
		for _, c := range m.Chars {
			cs = append(cs, fmt.Sprintf("“%c”（%U）", c, c))
		}
		parts = append(parts, fmt.Sprintf("字体 %s（%s）里没有 %s",
			m.Path, strings.Join(m.Roles, "、"), strings.Join(cs, "、")))
	}
	return strings.Join(parts, "；") +
		"：这些字会印成方框，没有生成 PDF。请改掉这些字，或在 config.toml 的 [fonts] 里换用有这些字的字体"
}

// metrics measures text in the document's faces and collects the
// characters they lack. It belongs to one Render call.
type metrics struct {
	marked  map[rune]bool // print as SubstituteMark where a font lacks them
	buf     sfnt.Buffer
	widths  map[*face]map[rune]int
	missing map[*face][]rune
	order   []*face // faces with missing characters, in order of discovery
	// cells memoizes the lines of table cells: a bulletin's tables repeat
	// their names and statuses in every row.
	cells map[cellKey][]string
}

// cellKey is what a table cell's lines depend on.
type cellKey struct {
	face        *face
	size, width float64
	text        string
}

func newMetrics(marked map[rune]bool) *metrics {
	return &metrics{marked: marked, widths: map[*face]map[rune]int{}, missing: map[*face][]rune{},
		cells: map[cellKey][]string{}}
}

// width of r in f, in thousandths of an em; -1 when f cannot print r.
func (m *metrics) width(f *face, r rune) int {
	ws := m.widths[f]
	if ws == nil {
		ws = map[rune]int{}
		m.widths[f] = ws
	}
	if w, ok := ws[r]; ok {
		return w
	}
	w, ok := f.advance(&m.buf, r)
	if !ok {
		w = -1
	}
	ws[r] = w
	return w
}

// prepare returns s as f will print it: control characters become spaces,
// a character f lacks becomes its stand-in if f has one, else it is
// recorded as missing.
func (m *metrics) prepare(f *face, s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
			continue
		case unicode.IsControl(r):
			r = ' '
		}
		if m.width(f, r) < 0 {
			r = m.standIn(f, r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

func (m *metrics) standIn(f *face, r rune) rune {
	for _, s := range substitutes[r] {
		if m.width(f, s) >= 0 {
			return s
		}
	}
	if m.marked[r] && m.width(f, SubstituteMark) >= 0 {
		return SubstituteMark
	}
	if _, seen := m.missing[f]; !seen {
		m.order = append(m.order, f)
	}
	for _, c := range m.missing[f] {
		if c == r {
			return r
		}
	}
	m.missing[f] = append(m.missing[f], r)
	return r
}

// measure returns the printed width of s in f at size points, in mm.
// Characters f lacks count as nothing: they are reported, never printed.
func (m *metrics) measure(f *face, size float64, s string) float64 {
	units := 0
	for _, r := range s {
		if w := m.width(f, r); w > 0 {
			units += w
		}
	}
	return float64(units) * pt(size) / 1000
}

// err returns the missing characters as an error, or nil.
func (m *metrics) err() error {
	if len(m.order) == 0 {
		return nil
	}
	e := &MissingGlyphsError{}
	for _, f := range m.order {
		var roles []string
		for _, r := range f.roles {
			roles = append(roles, r.configKey())
		}
		e.Fonts = append(e.Fonts, MissingGlyphs{Path: f.path, Roles: roles, Chars: m.missing[f]})
	}
	return e
}
