package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"unsafe"
)

// sharedStrings is a workbook's shared-strings table held compactly: the
// texts one after another in a single string, and where each ends. A
// million distinct ids cost their bytes and four more each, not the ten
// times their XML size that excelize's decoded table costs.
type sharedStrings struct {
	arena []byte // the texts while the table is read
	ends  []uint32
	text  string // then: a kept cell's text is a slice of it, not a copy
	bytes []byte // text's bytes, which nothing writes: the scanner reads cells as bytes
}

func (t *sharedStrings) len() int { return len(t.ends) }

func (t *sharedStrings) at(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.bytes[start:t.ends[i]]
}

// newSharedStrings is a table to read from a part of size bytes that says
// it holds count strings (0: it does not say). The texts are shorter than
// the part: each string takes at least 16 bytes of markup besides,
// <si><t></t></si>, so that a count sizes the arena to the texts, and the
// ends to the count; a count that lies only makes them grow, or leaves
// room unused. Without a count the arena grows only past the first 64 MiB
// (a city's largest table is 6 MB), so that a part's declared size alone
// does not reserve hundreds of MB.
func newSharedStrings(size, count uint64) *sharedStrings {
	const markup = uint64(len("<si><t></t></si>"))
	texts := min(size, 64<<20)
	if count > 0 && count < size/markup {
		texts = min(texts, size-count*markup)
	} else {
		count = 0
	}
	// The ends are made for at most four million strings: a count in a
	// part whose declared size lies would otherwise reserve 100 MB of them.
	return &sharedStrings{arena: make([]byte, 0, texts), ends: make([]uint32, 0, min(count, 1<<22))}
}

// countAttr is the number the table's root element gives in its
// attribute name (count, uniqueCount), 0 when it gives none. It reads the
// value as encoding/xml does into excelize's int field (by local name, the
// last one written; empty is 0, else the trimmed number), and ok is false
// where that fails: the scanner leaves such a table to excelize, which
// refuses it.
func countAttr(attrs []xml.Attr, name string) (n uint64, ok bool) {
	value, found := "", false
	for _, a := range attrs {
		if a.Name.Local == name {
			value, found = a.Value, true
		}
	}
	if !found || len(value) == 0 {
		return 0, true
	}
	v, err := strconv.ParseInt(strings.TrimSpace(value), 10, strconv.IntSize)
	return uint64(max(v, 0)), err == nil
}

// done makes the texts read one string, and lets the arena go. An arena
// the texts (nearly) fill, sized by the table's count, is that string's
// memory, never written again; a larger one, sized for the part, is copied
// to one the texts' size.
func (t *sharedStrings) done() {
	if cap(t.arena)-len(t.arena) <= len(t.arena)/8 {
		t.text = unsafe.String(unsafe.SliceData(t.arena), len(t.arena))
	} else {
		t.text = string(t.arena)
	}
	t.arena = nil
	t.bytes = unsafe.Slice(unsafe.StringData(t.text), len(t.text))
}

// str is the text of string i, as a slice of the table's one string: a
// file's cells share the table's memory instead of each allocating its own.
func (t *sharedStrings) str(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// maxSharedStrings is the largest table part read into an arena; a larger
// one is left to excelize, which keeps it in a temporary file.
const maxSharedStrings = 512 << 20

const mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

// loadSharedStrings reads the table part. ok is false when the part holds
// anything the scanner leaves to excelize (another namespace or encoding,
// elements other than <si>, a damaged entry); the whole file is then read
// by excelize.
func loadSharedStrings(part *zip.File) (_ *sharedStrings, ok bool) {
	if part.UncompressedSize64 > maxSharedStrings {
		return nil, false
	}
	rc, err := part.Open()
	if err != nil {
		return nil, false
	}
	defer rc.Close()
	strict := &strictWatch{r: rc}
	w := newWindow(strict)
	defer w.release()
	w.fill()
	w.noRefill = true
	_, attrs, rootName, empty, ok := openRoot(w, "sst", "sst")
	rootName = bytes.Clone(rootName) // the window's bytes move on
	w.noRefill = false
	if !ok {
		return nil, false
	}
	unique, uniqueOK := countAttr(attrs, "uniqueCount")
	if _, ok := countAttr(attrs, "count"); !ok || !uniqueOK {
		return nil, false
	}
	t := newSharedStrings(part.UncompressedSize64, unique)
	if !empty && !t.scan(w, rootName) {
		return nil, false
	}
	// The rest of the part: nothing but white space, and a checksum that
	// holds (excelize reads every part whole and refuses a damaged one).
	for {
		rest := w.bytes()
		if i := skipXMLSpace(rest, 0); i < len(rest) {
			return nil, false
		}
		w.pos = w.end
		if !w.fill() {
			t.done()
			return t, w.err == nil && !strict.found
		}
	}
}

// strictWatch passes a part's bytes on and notes whether they hold
// "purl.oclc.org" anywhere: excelize then rewrites the strict namespaces'
// addresses in the whole part before reading it, in the strings' text too
// (namespaceStrictToTransitional), and its path reads them so.
type strictWatch struct {
	r     io.Reader
	seam  seam
	found bool
}

const strictMark = "purl.oclc.org"

func hasStrictMark(b []byte) bool { return bytes.Contains(b, []byte(strictMark)) }

func (s *strictWatch) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if !s.found && n > 0 {
		s.found = s.seam.found(p[:n], len(strictMark), hasStrictMark)
	}
	return n, err
}

// scan reads the strings up to the end tag of the root, named rootName as
// written.
func (t *sharedStrings) scan(w *window, rootName []byte) bool {
	var sc stringScanner
	for {
		b := w.bytes()
		i, end, st := nextMarkup(b, 0)
		var local []byte
		if st == scanOK {
			_, local, _, st = scanName(b, i+1+btoi(end))
		}
		var next int
		switch {
		case st != scanOK:
		case end && string(local) != "sst", !end && string(local) != "si":
			return false
		case end:
			if next, st = scanEndTag(b, i, rootName); st == scanOK {
				w.pos += next
				return true
			}
		default:
			if next, ok := t.fastString(b, i); ok {
				w.pos += next
				continue
			}
			if t.arena, next, st = sc.scan(b, i, t.arena); st == scanOK {
				t.ends = append(t.ends, uint32(len(t.arena)))
				w.pos += next
				continue
			}
		}
		if st != scanMore || !w.fill() {
			return false
		}
	}
}

// fastString adds the string at b[i] when it has the shape spreadsheet
// programs write, <si><t>text</t></si> with plain text and no _xHHHH_
// escape, as the string scanner would read it, only faster; ok is false
// for anything else, the scanner's to read.
func (t *sharedStrings) fastString(b []byte, i int) (next int, ok bool) {
	const open, closing = "<si><t>", "</t></si>"
	j := i + len(open)
	if len(b) < j || string(b[i:j]) != open {
		return 0, false
	}
	end, plain, underscore := scanPlainText(b, j)
	if !plain || len(b)-end < len(closing) || string(b[end:end+len(closing)]) != closing {
		return 0, false
	}
	text := b[j:end]
	if underscore && bytes.Contains(text, []byte("_x")) {
		return 0, false
	}
	t.arena = append(t.arena, text...)
	t.ends = append(t.ends, uint32(len(t.arena)))
	return end + len(closing), true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// openRoot reads the start of a part with encoding/xml up to the start tag
// of the element named local (the table's root, a sheet's sheetData) in a
// document whose root element is root, leaving w just after it. It
// returns the root's start tag and its attributes, and the qualified name
// of the element as written; empty reports <local/>. ok is false for a
// part the scanner leaves to excelize: a root element outside the
// transitional SpreadsheetML namespace (strict OOXML), an encoding other
// than UTF-8, a DOCTYPE, an XML error, an element before it that
// excelize's row iterator would take for a row, the element not a child
// of the root, or a start longer than the window.
func openRoot(w *window, root, local string) (rootTag []byte, rootAttrs []xml.Attr, name []byte, empty, ok bool) {
	d := xml.NewDecoder(w)
	first := true
	depth := 0 // elements open before the token
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, nil, nil, false, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if first && (t.Name.Space != mainNamespace || t.Name.Local != root) {
				return nil, nil, nil, false, false
			}
			// The tag as written: no '<' can come inside it, and the window
			// does not move while noRefill is set.
			raw := w.buf[max(0, bytes.LastIndexByte(w.buf[:w.pos], '<')):w.pos]
			if first {
				rootTag, rootAttrs = raw, t.Attr
			}
			isRoot := first
			first = false
			switch t.Name.Local {
			case local:
				end := bytes.IndexAny(raw, " \t\r\n/>")
				// Only the root or a child of it: the rest of the part is
				// checked as what follows it inside the root alone.
				if len(raw) < 2 || raw[0] != '<' || end < 0 || !isRoot && depth != 1 {
					return nil, nil, nil, false, false
				}
				return rootTag, rootAttrs, raw[1:end], raw[len(raw)-2] == '/', true
			case "row", "c":
				return nil, nil, nil, false, false
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.Directive:
			return nil, nil, nil, false, false
		}
	}
}
