// Package figschema checks figures.json against its JSON Schema
// (figures.schema.json in this directory, draft 2020-12, embedded in the
// binary; docs/figures.md explains every field in Chinese and English).
//
// The schema is the contract with whoever reads figures.json besides our
// own renderers — the city bureau's people among them — so a renamed
// field, a changed type or a quota id that drifts from rules.md fails here
// and not in their hands. Its objects are closed (additionalProperties
// false): a new field is added to the schema and to docs/figures.md in the
// same change as the code.
package figschema

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

//go:embed figures.schema.json
var schemaJSON []byte

// schemaURL is the schema's $id; the compiler finds the schema under it
// among its resources and never goes looking on disk or the network.
const schemaURL = "urn:bulletin:figures.schema.json"

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	// Draft 2020-12 treats "format" as a note by default; asserting it
	// makes "date" reject 2025-02-30, which the date pattern lets through.
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// Validate checks the bytes of a figures.json against the schema. The
// error lists every violation with its place in the document as a JSON
// pointer (/quotas/0/id), one per line.
func Validate(data []byte) error {
	sch, err := compiled()
	if err != nil {
		return fmt.Errorf("figures.schema.json does not compile: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("figures.json is not valid JSON: %w", err)
	}
	err = sch.Validate(doc)
	var invalid *jsonschema.ValidationError
	if !errors.As(err, &invalid) {
		return err
	}
	problems := violations(invalid, nil)
	slices.SortStableFunc(problems, func(a, b violation) int { return compareLocations(a.at, b.at) })
	lines := make([]string, 0, len(problems))
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	lines = slices.Compact(lines)
	return fmt.Errorf("figures.json does not match figures.schema.json (%d problem(s)):\n  %s",
		len(lines), strings.Join(lines, "\n  "))
}

// violation is one failed keyword at one place in the document.
type violation struct {
	at  []string // JSON pointer tokens
	msg string
}

func (v violation) String() string { return "at " + pointer(v.at) + ": " + v.msg }

// englishPrinter words the violations; the library's messages are English.
var englishPrinter = message.NewPrinter(language.English)

// violations flattens the error tree to its leaves, the failed keywords
// themselves: the inner nodes only say that a subschema or $ref failed.
// A failed contains is one line: below it every array item fails on its
// own, which says nothing; the first item's failure shows what was sought.
func violations(e *jsonschema.ValidationError, out []violation) []violation {
	here := violation{e.InstanceLocation, e.ErrorKind.LocalizedString(englishPrinter)}
	if _, ok := e.ErrorKind.(*kind.Contains); ok {
		if len(e.Causes) > 0 {
			if first := violations(e.Causes[0], nil); len(first) > 0 {
				here.msg += " (" + first[0].String() + ")"
			}
		}
		return append(out, here)
	}
	if len(e.Causes) == 0 {
		return append(out, here)
	}
	for _, cause := range e.Causes {
		out = violations(cause, out)
	}
	return out
}

// compareLocations orders locations as they appear in the document:
// /quotas/2 before /quotas/10.
func compareLocations(a, b []string) int {
	for i := range min(len(a), len(b)) {
		c := cmp.Compare(a[i], b[i])
		x, errX := strconv.Atoi(a[i])
		y, errY := strconv.Atoi(b[i])
		if errX == nil && errY == nil {
			c = cmp.Compare(x, y)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}

// pointer is the JSON pointer (RFC 6901) of a location in the document.
func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return "(top level)"
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}
