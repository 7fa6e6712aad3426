package report

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable is s as the terminal shows it: a character that is not
// graphic (a newline or tab in a file name, the ESC that starts an ANSI
// sequence, a bidi override, a byte that is not UTF-8) is written as an
// escape such as \n or \x1b, so that a name can neither break a line of
// output nor drive the terminal. Every name or text from the data that
// the command line prints goes through it.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsGraphic(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case unicode.IsGraphic(r) && r != utf8.RuneError:
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}

// PrintableLines is a message of several lines with each line Printable.
func PrintableLines(msg string) string {
	lines := strings.Split(msg, "\n")
	for i, l := range lines {
		lines[i] = Printable(l)
	}
	return strings.Join(lines, "\n")
}
