package workbook

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// sheetName turns a table's Sheet into a name Excel accepts. Characters Excel
// forbids (: / \ ? * [ ]) become their full-width twins, which read the same
// to a Chinese reader; control characters go; surrounding spaces and
// apostrophes go; a name longer than 31 units is cut. What cannot be mended
// (an empty name, Excel's reserved "History") is an error.
func sheetName(raw string) (string, error) {
	name := strings.Map(func(r rune) rune {
		switch {
		case strings.ContainsRune(`:/\?*[]`, r):
			return r + 0xfee0 // the full-width form: ： ／ ＼ ？ ＊ ［ ］
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, raw)
	name = strings.Trim(name, " \u3000'")
	if name == "" {
		return "", fmt.Errorf("sheet name %q is empty", raw)
	}
	if strings.EqualFold(name, "History") {
		return "", fmt.Errorf("sheet name %q is reserved by Excel", raw)
	}
	name = cutUTF16(name, maxSheetName)
	// Cutting can expose a trailing space or apostrophe again.
	return strings.TrimRight(name, " \u3000'"), nil
}

// cutUTF16 keeps the longest prefix of s that fits in n UTF-16 units without
// splitting a character.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		units += utf16.RuneLen(r)
		if units > n {
			return s[:i]
		}
	}
	return s
}

// sheetNames hands out sheet names and refuses a second sheet of the same
// name: Excel compares names without regard to case, and two tables that
// end up with one name mean the document was built wrong, which a silent
// "(2)" would hide.
type sheetNames struct {
	used map[string]string // folded name → the raw name that took it
}

func (n *sheetNames) take(raw string) (string, error) {
	name, err := sheetName(raw)
	if err != nil {
		return "", err
	}
	key := strings.ToLower(name)
	if first, ok := n.used[key]; ok {
		return "", fmt.Errorf("sheet name %q (from %q) is already used by %q", name, raw, first)
	}
	if n.used == nil {
		n.used = map[string]string{}
	}
	n.used[key] = raw
	return name, nil
}
