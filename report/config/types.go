package config

import (
	"encoding"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"bulletin/report"
)

// mistyped finds the first key of text whose value is of another kind than
// the field of v it fills (a number in quotes, a whole number written 2.5):
// the TOML library's own error names, for such a key inside [[quotas]], the
// line of a later table, and speaks English. Nil when it finds none.
func mistyped(text string, v any) *report.Error {
	var generic map[string]any
	if _, err := toml.Decode(text, &generic); err != nil {
		return nil
	}
	key, want := kindOf(generic, reflect.TypeOf(v).Elem(), "")
	if key == "" {
		return nil
	}
	return &report.Error{Kind: report.KindConfig, Where: key, Err: errors.New(want)}
}

var textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

// kindOf is the key under path, in value, of the first value not of the
// kind t takes, and what to write instead; "" when every one is.
func kindOf(value any, t reflect.Type, path string) (key, want string) {
	if reflect.PointerTo(t).Implements(textUnmarshaler) {
		if _, ok := value.(string); !ok {
			return path, "要写成文字，放在英文双引号里"
		}
		return "", ""
	}
	switch t.Kind() {
	case reflect.String:
		if _, ok := value.(string); !ok {
			return path, "要写成文字，放在英文双引号里"
		}
	case reflect.Bool:
		if _, ok := value.(bool); !ok {
			return path, "只能写 true 或 false，不加引号"
		}
	case reflect.Int, reflect.Int64:
		if _, ok := value.(int64); !ok {
			return path, "要写整数，不加引号，如 2"
		}
	case reflect.Float64:
		switch value.(type) {
		case int64, float64:
		default:
			return path, "要写数字，不加引号，如 0.10"
		}
	case reflect.Slice:
		return elementsOf(value, t.Elem(), path)
	case reflect.Map:
		table, ok := value.(map[string]any)
		if !ok {
			return path, "要写成一个表"
		}
		for _, k := range slices.Sorted(maps.Keys(table)) {
			if key, want := kindOf(table[k], t.Elem(), path+"."+k); key != "" {
				return key, want
			}
		}
	case reflect.Struct:
		table, ok := value.(map[string]any)
		if !ok {
			return path, "要写成一个表"
		}
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
			if v, ok := table[name]; ok && name != "" && name != "-" {
				if key, want := kindOf(v, f.Type, strings.TrimPrefix(path+"."+name, ".")); key != "" {
					return key, want
				}
			}
		}
	}
	return "", ""
}

// elementsOf is kindOf of each element of a list: quotas[2] (an id), as
// the validation names a quota.
func elementsOf(value any, t reflect.Type, path string) (key, want string) {
	var items []any
	switch list := value.(type) {
	case []any:
		items = list
	case []map[string]any:
		for _, m := range list {
			items = append(items, m)
		}
	default:
		return path, "多个值要放在方括号里、用英文逗号隔开"
	}
	for i, item := range items {
		at := fmt.Sprintf("%s[%d]", path, i+1)
		if table, ok := item.(map[string]any); ok {
			if id, ok := table["id"].(string); ok {
				at = fmt.Sprintf("%s (%s)", at, id)
			}
		}
		if key, want := kindOf(item, t, at); key != "" {
			return key, want
		}
	}
	return "", ""
}
