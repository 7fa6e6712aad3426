package bench

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// ToSharedStrings rewrites a workbook written by excelize's StreamWriter
// (every text cell <c t="inlineStr"><is><t>…</t></is></c>) in the layout
// Excel and WPS save: text cells <c t="s"><v>index</v></c> into one
// xl/sharedStrings.xml for the workbook, each distinct text once, and each
// sheet's <dimension> its real range. Everything else is copied as it is.
// The file is replaced atomically.
func ToSharedStrings(path string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer zr.Close()
	table := &stringTable{index: make(map[string]int)}
	var existing *zip.File // a table excelize wrote for a sheet written cell by cell
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			existing = f
			if err := table.load(f); err != nil {
				return err
			}
		}
	}
	sheets := make(map[*zip.File][]byte)
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") && strings.HasSuffix(f.Name, ".xml") {
			xml, err := readPart(f)
			if err != nil {
				return err
			}
			if sheets[f], err = table.convert(xml); err != nil {
				return fmt.Errorf("%s: %w", f.Name, err)
			}
		}
	}

	tmp, err := os.CreateTemp(filepath.Dir(path), ".shared-*.xlsx")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	zw := zip.NewWriter(tmp)
	for _, f := range zr.File {
		var body []byte
		switch {
		case sheets[f] != nil:
			body = sheets[f]
		case f == existing:
			continue // written below, with the new texts
		case existing != nil && (f.Name == "[Content_Types].xml" || f.Name == "xl/_rels/workbook.xml.rels"):
			err = zw.Copy(f)
			if err != nil {
				return err
			}
			continue
		case f.Name == "[Content_Types].xml":
			body, err = insertBefore(f, "</Types>", `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"></Override>`)
		case f.Name == "xl/_rels/workbook.xml.rels":
			body, err = insertBefore(f, "</Relationships>", `<Relationship Id="rIdSharedStrings" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"></Relationship>`)
		default:
			err = zw.Copy(f)
			if err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		if err := writePart(zw, f.Name, body); err != nil {
			return err
		}
	}
	if err := writePart(zw, "xl/sharedStrings.xml", table.xml()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// stringTable collects the distinct texts of a workbook, as written
// (escaped) in the sheets, after the entries of a table the workbook
// already had.
type stringTable struct {
	index    map[string]int
	existing []byte // the <si> elements of the table the workbook had
	old      int    // how many
	texts    []string
	refs     int
}

func (t *stringTable) load(f *zip.File) error {
	body, err := readPart(f)
	if err != nil {
		return err
	}
	start, end := bytes.Index(body, []byte("<si>")), bytes.LastIndex(body, []byte("</sst>"))
	if start < 0 || end < start {
		return fmt.Errorf("%s: an empty or unexpected shared-strings table", f.Name)
	}
	t.existing = body[start:end]
	t.old = bytes.Count(t.existing, []byte("<si>"))
	return nil
}

var (
	inlineCell = []byte(` t="inlineStr"><is><t`)
	inlineEnd  = []byte(`</t></is></c>`)
)

// convert rewrites one sheet's inline strings as references.
func (t *stringTable) convert(sheet []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(sheet))
	lastRow, lastCol := 0, 0
	rest := sheet
	for {
		i := bytes.Index(rest, inlineCell)
		if i < 0 {
			break
		}
		// The cell reference, for the dimension: <c r="B7" ...
		if start := bytes.LastIndex(rest[:i], []byte(`<c r="`)); start >= 0 {
			ref := rest[start+len(`<c r="`):]
			if col, row, err := excelize.CellNameToCoordinates(string(ref[:bytes.IndexByte(ref, '"')])); err == nil {
				lastRow, lastCol = max(lastRow, row), max(lastCol, col)
			}
		}
		out.Write(rest[:i])
		body := rest[i+len(inlineCell):]
		open := bytes.IndexByte(body, '>')
		end := bytes.Index(body, inlineEnd)
		if open < 0 || end < open {
			return nil, fmt.Errorf("an inline string cell of an unexpected shape")
		}
		attrs, text := body[:open], string(body[open+1:end])
		if len(attrs) > 0 {
			text = "\x00" + text // keeps xml:space="preserve" apart from the same text without
		}
		n, ok := t.index[text]
		if !ok {
			n = t.old + len(t.texts)
			t.index[text] = n
			t.texts = append(t.texts, text)
		}
		t.refs++
		out.WriteString(` t="s"><v>`)
		out.WriteString(strconv.Itoa(n))
		out.WriteString(`</v></c>`)
		rest = body[end+len(inlineEnd):]
	}
	out.Write(rest)
	converted := out.Bytes()
	if lastRow > 0 {
		last, _ := excelize.CoordinatesToCellName(lastCol, lastRow)
		for _, dim := range []string{`<dimension ref="A1"></dimension>`, `<dimension ref="A1"/>`} {
			converted = bytes.Replace(converted, []byte(dim), []byte(`<dimension ref="A1:`+last+`"></dimension>`), 1)
		}
	}
	return converted, nil
}

func (t *stringTable) xml() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, t.old+t.refs, t.old+len(t.texts))
	b.Write(t.existing)
	for _, text := range t.texts {
		if preserved, ok := strings.CutPrefix(text, "\x00"); ok {
			b.WriteString(`<si><t xml:space="preserve">` + preserved + `</t></si>`)
		} else {
			b.WriteString(`<si><t>` + text + `</t></si>`)
		}
	}
	b.WriteString(`</sst>`)
	return b.Bytes()
}

func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func insertBefore(f *zip.File, end, insert string) ([]byte, error) {
	body, err := readPart(f)
	if err != nil {
		return nil, err
	}
	i := bytes.LastIndex(body, []byte(end))
	if i < 0 {
		return nil, fmt.Errorf("%s has no %s", f.Name, end)
	}
	return append(body[:i:i], append([]byte(insert), body[i:]...)...), nil
}

func writePart(zw *zip.Writer, name string, body []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
	if err != nil {
		return err
	}
	_, err = w.Write(body)
	return err
}
