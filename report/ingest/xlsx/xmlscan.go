package xlsx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"strings"
)

// A byte-level tokenizer for the few XML shapes of a worksheet's rows and a
// shared-strings table. It works on a byte slice holding part of the
// document and answers, for each construct, that it was read, that the
// slice ends inside it (scanMore: read more and try again), or that it is
// something the streaming reader leaves to excelize (scanOther). It never
// guesses: anything outside the shapes it knows is scanOther.

type scanStatus uint8

const (
	scanOK    scanStatus = iota
	scanMore             // the construct continues past the end of the slice
	scanOther            // not a shape this scanner reads
	scanEnd              // an end tag where a row or string was expected
)

// xmlTag is a start tag as written.
type xmlTag struct {
	name  []byte // qualified name, to match the end tag
	local []byte // name without its prefix
	attrs []xmlAttr
	empty bool // <x/>
}

// xmlAttr is an attribute of a start tag: its local name and its raw value.
type xmlAttr struct {
	local, value []byte
	prefixed     bool
}

func (t *xmlTag) is(local string) bool { return string(t.local) == local }

func isXMLSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

func skipXMLSpace(b []byte, i int) int {
	for i < len(b) && isXMLSpace(b[i]) {
		i++
	}
	return i
}

// scanName reads an ASCII XML name at b[i]: a letter or _, then letters,
// digits, _ - . and at most one colon between a prefix and a local part.
// Names encoding/xml accepts but this does not (non-ASCII, odd colons) are
// scanOther.
func scanName(b []byte, i int) (end int, local []byte, prefixed bool, st scanStatus) {
	if i >= len(b) {
		return i, nil, false, scanMore
	}
	if c := b[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return i, nil, false, scanOther
	}
	colon := -1
	j := i + 1
	for ; j < len(b); j++ {
		c := b[j]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' {
			continue
		}
		if c == ':' {
			if colon >= 0 {
				return i, nil, false, scanOther
			}
			colon = j
			continue
		}
		if c >= 0x80 {
			return i, nil, false, scanOther
		}
		break
	}
	if j == len(b) {
		return i, nil, false, scanMore
	}
	if colon < 0 {
		return j, b[i:j], false, scanOK
	}
	if colon == j-1 {
		return i, nil, false, scanOther
	}
	if c := b[colon+1]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
		return i, nil, false, scanOther
	}
	return j, b[colon+1 : j], true, scanOK
}

// scanStartTag reads the start tag at b[i] == '<' into tag, checking every
// attribute value as encoding/xml would.
func scanStartTag(b []byte, i int, tag *xmlTag, scratch *[]byte) (int, scanStatus) {
	end, local, _, st := scanName(b, i+1)
	if st != scanOK {
		return i, st
	}
	tag.name, tag.local, tag.attrs, tag.empty = b[i+1:end], local, tag.attrs[:0], false
	j := end
	for {
		k := skipXMLSpace(b, j)
		if k >= len(b) {
			return i, scanMore
		}
		switch b[k] {
		case '>':
			return k + 1, scanOK
		case '/':
			if k+1 >= len(b) {
				return i, scanMore
			}
			if b[k+1] != '>' {
				return i, scanOther
			}
			tag.empty = true
			return k + 2, scanOK
		}
		// encoding/xml does not insist on space between attributes.
		nameEnd, local, prefixed, st := scanName(b, k)
		if st != scanOK {
			return i, st
		}
		k = skipXMLSpace(b, nameEnd)
		if k >= len(b) {
			return i, scanMore
		}
		if b[k] != '=' {
			return i, scanOther
		}
		k = skipXMLSpace(b, k+1)
		if k >= len(b) {
			return i, scanMore
		}
		quote := b[k]
		if quote != '"' && quote != '\'' {
			return i, scanOther
		}
		q := bytes.IndexByte(b[k+1:], quote)
		if q < 0 {
			return i, scanMore
		}
		value := b[k+1 : k+1+q]
		if !plainXMLText(value) {
			var ok bool
			if *scratch, ok = appendXMLText((*scratch)[:0], value, true); !ok {
				return i, scanOther
			}
		}
		tag.attrs = append(tag.attrs, xmlAttr{local: local, value: value, prefixed: prefixed})
		j = k + 1 + q + 1
	}
}

// scanEndTag reads the end tag </name> at b[i]; a different name is
// scanOther.
func scanEndTag(b []byte, i int, name []byte) (int, scanStatus) {
	j := i + 2
	if len(b)-j < len(name) {
		return i, scanMore
	}
	if !bytes.Equal(b[j:j+len(name)], name) {
		return i, scanOther
	}
	j = skipXMLSpace(b, j+len(name))
	if j >= len(b) {
		return i, scanMore
	}
	if b[j] != '>' {
		return i, scanOther
	}
	return j + 1, scanOK
}

// nextMarkup skips the character data at b[i] up to the next '<', which
// must be white space only (as between the elements of a row or a cell);
// it returns the position of '<' and whether an end tag starts there.
func nextMarkup(b []byte, i int) (int, bool, scanStatus) {
	i = skipXMLSpace(b, i)
	if i+1 >= len(b) {
		return i, false, scanMore
	}
	switch {
	case b[i] != '<':
		return i, false, scanOther
	case b[i+1] == '/':
		return i, true, scanOK
	case b[i+1] == '!' || b[i+1] == '?': // comments, CDATA, processing instructions
		return i, false, scanOther
	}
	return i, false, scanOK
}

// scanTextElement reads <name attrs>text</name> or <name/> at b[i] (a start
// tag already read into tag, ending at j) and returns the raw text; text
// followed by anything but the end tag (a child, a comment, CDATA) is
// scanOther.
func scanTextElement(b []byte, j int, tag *xmlTag) (raw []byte, next int, st scanStatus) {
	if tag.empty {
		return nil, j, scanOK
	}
	k := bytes.IndexByte(b[j:], '<')
	if k < 0 {
		return nil, j, scanMore
	}
	if k+1 >= len(b)-j {
		return nil, j, scanMore
	}
	if b[j+k+1] != '/' {
		return nil, j, scanOther
	}
	next, st = scanEndTag(b, j+k, tag.name)
	return b[j : j+k], next, st
}

// decodeFragment decodes the element at b[0] with encoding/xml into v and
// returns its length: the way to read the rare constructs (rich-text runs
// with their properties, formulas) exactly as excelize reads them, since
// it decodes them into the same types. An element cut off by the end of b
// is scanMore; any other error scanOther.
func decodeFragment(b []byte, v any) (int, scanStatus) {
	d := xml.NewDecoder(bytes.NewReader(b))
	if err := d.Decode(v); err != nil {
		if se := (*xml.SyntaxError)(nil); errors.As(err, &se) && strings.HasPrefix(se.Msg, "unexpected EOF") {
			return 0, scanMore
		}
		return 0, scanOther
	}
	return int(d.InputOffset()), scanOK
}

// appendText appends raw decoded, or reports scanOther where encoding/xml
// would fail.
func appendText(dst, raw []byte) ([]byte, scanStatus) {
	if plainXMLText(raw) {
		return append(dst, raw...), scanOK
	}
	dst, ok := appendXMLText(dst, raw, false)
	if !ok {
		return dst, scanOther
	}
	return dst, scanOK
}

// stringScanner reads shared strings (<si>) and inline strings (<is>).
type stringScanner struct {
	tag          xmlTag
	direct, runs []byte
	scratch      []byte
}

// scan reads the string element at b[i] and appends its text, as excelize's
// xlsxSI.String gives it, to dst.
func (r *stringScanner) scan(b []byte, i int, dst []byte) ([]byte, int, scanStatus) {
	j, st := scanStartTag(b, i, &r.tag, &r.scratch)
	if st != scanOK {
		return dst, i, st
	}
	if r.tag.empty {
		return dst, j, scanOK
	}
	if j, st = r.scanPlain(b, j, r.tag.name); st == scanOther {
		return r.scanRich(b, i, dst)
	}
	if st != scanOK {
		return dst, i, st
	}
	start := len(dst)
	dst = append(append(dst, r.direct...), r.runs...)
	if bytes.Contains(dst[start:], []byte("_x")) {
		dst = append(dst[:start], unescapeXstring(string(dst[start:]))...)
	}
	return dst, j, scanOK
}

// scanPlain reads the content of a string made of <t> and plain runs
// <r><t>…</t></r> into r.direct and r.runs, up to its end tag. As in
// excelize's decoding, the last <t> of the string, and of each run, counts.
func (r *stringScanner) scanPlain(b []byte, j int, name []byte) (int, scanStatus) {
	r.direct, r.runs = r.direct[:0], r.runs[:0]
	for {
		k, end, st := nextMarkup(b, j)
		if st != scanOK {
			return j, st
		}
		if end {
			return scanEndTag(b, k, name)
		}
		if j, st = scanStartTag(b, k, &r.tag, &r.scratch); st != scanOK {
			return j, st
		}
		switch {
		case r.tag.is("t"):
			var raw []byte
			if raw, j, st = scanTextElement(b, j, &r.tag); st != scanOK {
				return j, st
			}
			if r.direct, st = appendText(r.direct[:0], raw); st != scanOK {
				return j, st
			}
		case r.tag.is("r"):
			if r.tag.empty {
				continue
			}
			if j, st = r.scanRun(b, j, r.tag.name); st != scanOK {
				return j, st
			}
		default:
			return j, scanOther
		}
	}
}

func (r *stringScanner) scanRun(b []byte, j int, name []byte) (int, scanStatus) {
	start := len(r.runs)
	for {
		k, end, st := nextMarkup(b, j)
		if st != scanOK {
			return j, st
		}
		if end {
			return scanEndTag(b, k, name)
		}
		if j, st = scanStartTag(b, k, &r.tag, &r.scratch); st != scanOK {
			return j, st
		}
		if !r.tag.is("t") {
			return j, scanOther // run properties: decoded by scanRich
		}
		var raw []byte
		if raw, j, st = scanTextElement(b, j, &r.tag); st != scanOK {
			return j, st
		}
		if r.runs, st = appendText(r.runs[:start], raw); st != scanOK {
			return j, st
		}
	}
}

func (r *stringScanner) scanRich(b []byte, i int, dst []byte) ([]byte, int, scanStatus) {
	var s richString
	n, st := decodeFragment(b[i:], &s)
	if st != scanOK {
		return dst, i, st
	}
	return append(dst, s.String()...), i + n, scanOK
}
