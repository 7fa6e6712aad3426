package xlsx

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendXMLText decodes and refuses character data exactly as encoding/xml
// does, in text and in attribute values; plainXMLText never calls text
// plain that decodes to something else.
func FuzzXMLText(f *testing.F) {
	for _, s := range []string{"北站", "A&amp;B", "&#20013;&#x6587;", "a\r\nb\rc", "]]>", "&nbsp;", "&#xD800;", "&#0;", "\xff", "\uFFFE", "x>y", "&#X41;", "&#;", "&amp", "_x0041_", "\xed\xa0\x80", "\xef\xbf\xbe", "\xef\xbf\xbd", "\xe0\x80\x80", "\xe0\xa0\x80", "中\xe4\xb8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.Contains(s, "<") {
			return // text ends at '<'
		}
		want, wantOK := decodeWithXML("<t>" + s + "</t>")
		got, ok := appendXMLText(nil, []byte(s), false)
		if ok != wantOK || ok && string(got) != want {
			t.Fatalf("text %q: %q %v, encoding/xml %q %v", s, got, ok, want, wantOK)
		}
		if plainXMLText([]byte(s)) && (!wantOK || want != s) {
			t.Fatalf("text %q called plain, encoding/xml reads %q %v", s, want, wantOK)
		}
		if strings.Contains(s, `"`) {
			return
		}
		wantAttr, wantOK := decodeAttrWithXML(`<t a="` + s + `"/>`)
		gotAttr, ok := appendXMLText(nil, []byte(s), true)
		if ok != wantOK || ok && string(gotAttr) != wantAttr {
			t.Fatalf("attribute %q: %q %v, encoding/xml %q %v", s, gotAttr, ok, wantAttr, wantOK)
		}
	})
}

func decodeWithXML(doc string) (string, bool) {
	d := xml.NewDecoder(strings.NewReader(doc))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return text.String(), errors.Is(err, io.EOF)
		}
		if cd, ok := tok.(xml.CharData); ok {
			text.Write(cd)
		}
	}
}

func decodeAttrWithXML(doc string) (string, bool) {
	tok, err := xml.NewDecoder(strings.NewReader(doc)).Token()
	if err != nil {
		return "", false
	}
	return tok.(xml.StartElement).Attr[0].Value, true
}

// threeByteChar, the fast path for Chinese text, takes exactly the three
// byte sequences that utf8.DecodeRune reads as one XML character.
func TestThreeByteCharAgreesWithDecodeRune(t *testing.T) {
	b := make([]byte, 3)
	for c0 := range 256 {
		for c1 := range 256 {
			for c2 := range 256 {
				b[0], b[1], b[2] = byte(c0), byte(c1), byte(c2)
				r, size := utf8.DecodeRune(b)
				want := size == 3 && r != 0xFFFE && r != 0xFFFF
				if got := threeByteChar(b, 0); got != want {
					t.Fatalf("% x: threeByteChar %v, DecodeRune %U size %d", b, got, r, size)
				}
			}
		}
	}
	if threeByteChar([]byte("中")[:2], 0) {
		t.Fatal("a cut sequence taken as a character")
	}
}
