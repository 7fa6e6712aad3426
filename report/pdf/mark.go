package pdf

import "golang.org/x/image/font/sfnt"

// SubstituteMark is GB/T 15834's 〓 (U+3013 GETA MARK), which stands in
// print for a character that cannot be set: a name in an export written
// with 𠮷 or an emoji prints as 〓, and the data-quality report says which.
const SubstituteMark = '〓'

// CanPrint reports whether every font of the document can print c, itself
// or through a stand-in. Text from the exports is checked with it before
// anything is laid out (see Renderer.WithMarked).
func (r *Renderer) CanPrint(c rune) bool {
	var buf sfnt.Buffer
	for _, f := range r.faces {
		if !f.canPrint(&buf, c) {
			return false
		}
	}
	return true
}

func (f *face) canPrint(buf *sfnt.Buffer, c rune) bool {
	if _, ok := f.advance(buf, c); ok || c == '\n' {
		return true
	}
	for _, s := range substitutes[c] {
		if _, ok := f.advance(buf, s); ok {
			return true
		}
	}
	return false
}
