package xlsx

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
)

// appendXMLText decodes and refuses character data exactly as encoding/xml
// does, in text and in attribute values; plainXMLText never calls text
// plain that decodes to something else.
func FuzzXMLText(f *testing.F) {
	for _, s := range []string{"北站", "A&amp;B", "&#20013;&#x6587;", "a\r\nb\rc", "]]>", "&nbsp;", "&#xD800;", "&#0;", "\xff", "\uFFFE", "x>y", "&#X41;", "&#;", "&amp", "_x0041_"} {
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
