package config

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/BurntSushi/toml"

	"bulletin/report"
)

// unknownKeys reports each key of text that no setting takes, once, at its
// line, with the nearest known spelling. A misspelt table ([mial]) is
// reported at its header, not once for each key under it.
func unknownKeys(text string, undecoded []toml.Key, root reflect.Type) error {
	seen := map[string]bool{}
	var errs []error
	for _, k := range undecoded {
		name := k.String()
		if seen[name] || len(k) > 1 && seen[k[:len(k)-1].String()] {
			seen[name] = true
			continue
		}
		seen[name] = true
		hint := "请对照文件里的说明检查拼写"
		if near := report.Nearest(k[len(k)-1], knownKeys(root, k[:len(k)-1])); near != "" {
			hint = "是不是 " + near + "？" + hint
		}
		where := ""
		if section := k[:len(k)-1].String(); section != "" {
			where = "（在 [" + section + "] 中）"
		}
		lines := keyLines(text, k)
		if len(lines) == 0 {
			lines = []int{0}
		}
		for _, line := range lines {
			e := &report.Error{Kind: report.KindConfig, Err: fmt.Errorf("不认识的设置项 %s%s：%s", k[len(k)-1], where, hint)}
			if line > 0 {
				e.Where = fmt.Sprintf("第%d行", line)
			}
			errs = append(errs, e)
		}
	}
	return joinErrors(errs)
}

// knownKeys lists the settings a table of root (report.Config, a plan)
// takes, by their names in the file.
func knownKeys(root reflect.Type, table toml.Key) []string {
	t := root
	for _, part := range table {
		t = elem(t)
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem() // any name: a dataset, a column
		case reflect.Struct:
			f, ok := fieldOf(t, part)
			if !ok {
				return nil
			}
			t = f.Type
		default:
			return nil
		}
	}
	t = elem(t)
	if t.Kind() != reflect.Struct {
		return nil
	}
	var keys []string
	for i := range t.NumField() {
		if name := tomlName(t.Field(i)); name != "" {
			keys = append(keys, name)
		}
	}
	return keys
}

// elem looks through pointers and slices ([[quotas]] is a slice).
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

func fieldOf(t reflect.Type, name string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		if tomlName(t.Field(i)) == name {
			return t.Field(i), true
		}
	}
	return reflect.StructField{}, false
}

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	if name == "-" || !f.IsExported() {
		return ""
	}
	return name
}

// keyLines finds the lines (1-based) where key is written: as a table
// header, or as "name = value" under its table. A [[table]] key is found
// under every header of that table that has it.
func keyLines(text string, key toml.Key) []int {
	var lines []int
	var table []string
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(stripComment(raw))
		switch {
		case strings.HasPrefix(line, "[["):
			table = splitKey(strings.TrimSuffix(strings.TrimPrefix(line, "[["), "]]"))
			if equalKey(table, key) {
				lines = append(lines, i+1)
			}
		case strings.HasPrefix(line, "["):
			table = splitKey(strings.TrimSuffix(strings.TrimPrefix(line, "["), "]"))
			if equalKey(table, key) {
				lines = append(lines, i+1)
			}
		default:
			name, _, ok := strings.Cut(line, "=")
			if ok && strings.Count(name, `"`)%2 == 0 {
				full := append(append([]string{}, table...), splitKey(name)...)
				if equalKey(full, key) {
					lines = append(lines, i+1)
				}
			}
		}
	}
	return lines
}

// splitKey splits a dotted TOML key, quoted parts unquoted.
func splitKey(s string) []string {
	var parts []string
	var b strings.Builder
	quoted := false
	for _, r := range s {
		switch {
		case r == '"' || r == '\'':
			quoted = !quoted
		case r == '.' && !quoted:
			parts = append(parts, strings.TrimSpace(b.String()))
			b.Reset()
		default:
			b.WriteRune(r)
		}
	}
	return append(parts, strings.TrimSpace(b.String()))
}

func equalKey(a []string, b toml.Key) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// joinErrors is nil, the one error, or all of them joined (one a line).
func joinErrors(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// eachError calls f on every *report.Error err holds, joined ones too.
func eachError(err error, f func(*report.Error)) {
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			eachError(e, f)
		}
		return
	}
	var e *report.Error
	if errors.As(err, &e) {
		f(e)
	}
}
