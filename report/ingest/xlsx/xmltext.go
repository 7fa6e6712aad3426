package xlsx

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The rules by which encoding/xml (and so excelize) reads character data,
// for the streaming sheet reader: what it decodes, and what it refuses. The
// reader must refuse exactly where encoding/xml refuses, since excelize
// silently stops reading a sheet at the first XML error; a refusal hands
// the rest of the sheet to excelize.

// appendXMLText appends the character data raw (the bytes between two tags,
// or inside an attribute's quotes when inAttr) decoded as encoding/xml
// decodes it: the five predefined entities and numeric character references
// replaced, \r\n and a lone \r turned into \n. ok is false where
// encoding/xml reports a syntax error: an unknown or malformed entity, "]]>"
// in text or "<" in an attribute, or a character outside XML's range (after
// decoding).
func appendXMLText(dst, raw []byte, inAttr bool) (_ []byte, ok bool) {
	if !inAttr && bytes.Contains(raw, []byte("]]>")) || inAttr && bytes.IndexByte(raw, '<') >= 0 {
		return dst, false
	}
	start := len(dst)
	for len(raw) > 0 {
		i := bytes.IndexAny(raw, "&\r")
		if i < 0 {
			dst = append(dst, raw...)
			break
		}
		dst = append(dst, raw[:i]...)
		if raw[i] == '\r' {
			dst = append(dst, '\n')
			raw = raw[i+1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		var n int
		if dst, n = appendEntity(dst, raw[i:]); n == 0 {
			return dst, false
		}
		raw = raw[i+n:]
	}
	return dst, validXMLChars(dst[start:])
}

// appendEntity decodes the reference at the start of s ("&amp;", "&#20013;",
// "&#x4E2D;") and returns its length, 0 if encoding/xml would refuse it.
func appendEntity(dst, s []byte) ([]byte, int) {
	end := bytes.IndexByte(s, ';')
	if end < 2 {
		return dst, 0
	}
	name := s[1:end]
	if name[0] != '#' {
		r, ok := predefinedEntities[string(name)]
		if !ok {
			return dst, 0
		}
		return append(dst, r), end + 1
	}
	digits, base := name[1:], 10
	if len(digits) > 0 && digits[0] == 'x' { // lower-case x only, as encoding/xml
		digits, base = digits[1:], 16
	}
	for _, c := range digits {
		if !('0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')) {
			return dst, 0
		}
	}
	n, err := strconv.ParseUint(string(digits), base, 64)
	if err != nil || n > unicode.MaxRune {
		return dst, 0
	}
	return utf8.AppendRune(dst, rune(n)), end + 1
}

var predefinedEntities = map[string]byte{"lt": '<', "gt": '>', "amp": '&', "apos": '\'', "quot": '"'}

// validXMLChars reports whether b is UTF-8 made only of characters XML
// allows (encoding/xml's isInCharacterRange).
func validXMLChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += size
	}
	return true
}

// plainXMLText reports whether raw decodes to itself and is valid as text
// or as an attribute value: no references, no \r, no "<" or ">" (">" is
// allowed but "]]>" is not: appendXMLText decides), only characters XML
// allows. Most cell text is plain and is then used without copying.
func plainXMLText(raw []byte) bool {
	end, plain, _ := scanPlainText(raw, 0)
	return plain && end == len(raw)
}

// scanPlainText reads the text at b[j:] up to the next '<' (end; len(b)
// when there is none) and reports whether it is plain, and whether it
// holds an underscore (which may start an _xHHHH_ escape), in one pass.
func scanPlainText(b []byte, j int) (end int, plain, underscore bool) {
	for j < len(b) {
		c := b[j]
		if c >= utf8.RuneSelf {
			if threeByteChar(b, j) { // most of the text: Chinese
				j += 3
				continue
			}
			r, size := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
				return j, false, underscore
			}
			j += size
			continue
		}
		switch {
		case c == '<':
			return j, true, underscore
		case c == '_':
			underscore = true
		case c < 0x20 && c != '\t' && c != '\n' || c == '&' || c == '>':
			return j, false, underscore
		}
		j++
	}
	return j, true, underscore
}

// threeByteChar reports a valid three-byte UTF-8 sequence at b[j] that is
// an XML character: neither a surrogate (ED A0..BF) nor U+FFFE or U+FFFF
// (EF BF BE, EF BF BF). Anything else is left to utf8.DecodeRune.
func threeByteChar(b []byte, j int) bool {
	if len(b)-j < 3 {
		return false
	}
	c0, c1, c2 := b[j], b[j+1], b[j+2]
	if c0&0xF0 != 0xE0 || c1&0xC0 != 0x80 || c2&0xC0 != 0x80 {
		return false
	}
	switch c0 {
	case 0xE0:
		return c1 >= 0xA0 // not overlong
	case 0xED:
		return c1 < 0xA0
	case 0xEF:
		return c1 != 0xBF || c2 < 0xBE
	}
	return true
}

// unescapeXstring undoes the _xHHHH_ escapes of OOXML strings as
// excelize's bstrUnmarshal does (which it applies to every shared and
// inline string): _x005F_ is "_", and an escape of a code point that is
// not a valid rune is dropped. Unlike excelize, a character beyond the
// BMP escaped as a surrogate pair (_xD801__xDC05_, 𐐅) is kept: excelize
// drops both halves. A workbook read by excelize that holds one is refused
// (xmlCheck, checkSharedStrings).
func unescapeXstring(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	cursor := 0
	matches := xstringEscape.FindAllStringIndex(s, -1)
	for i := 0; i < len(matches); i++ {
		m := matches[i]
		b.WriteString(s[cursor:m[0]])
		cursor = m[1]
		if s[m[0]:m[1]] == "_x005F_" {
			b.WriteByte('_')
			continue
		}
		r := escapedRune(s[m[0]:m[1]])
		if utf16.IsSurrogate(r) && i+1 < len(matches) && matches[i+1][0] == m[1] {
			if pair := utf16.DecodeRune(r, escapedRune(s[m[1]:matches[i+1][1]])); pair != utf8.RuneError {
				b.WriteRune(pair)
				cursor = matches[i+1][1]
				i++
				continue
			}
		}
		if utf8.ValidRune(r) {
			b.WriteRune(r)
		}
	}
	b.WriteString(s[cursor:])
	return b.String()
}

// escapedRune is the code point of an escape _xHHHH_.
func escapedRune(esc string) rune {
	n, _ := strconv.ParseUint(esc[2:6], 16, 32)
	return rune(n)
}

// hasSurrogateEscape reports whether b holds an escape of a surrogate
// (_xD800_ to _xDFFF_), which excelize drops.
func hasSurrogateEscape(b []byte) bool {
	return surrogateEscape.Match(b)
}

var surrogateEscape = regexp.MustCompile(`_x[dD][89a-fA-F][0-9a-fA-F]{2}_`)

// surrogateEscapeWidth is the length of what surrogateEscape matches.
const surrogateEscapeWidth = len("_xD801_")

var xstringEscape = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
