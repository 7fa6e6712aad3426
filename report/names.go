package report

import (
	"strings"
	"unicode"
)

// Fold is the form in which names and headers are compared: full-width
// letters, digits and punctuation turned half-width, the ideographic space
// and every other space removed, Latin letters lower-cased, and a trailing
// required-marker （必填） or * dropped.
func Fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\u3000' || unicode.IsSpace(r) || r == '\u00a0' || r == '\ufeff':
			continue
		case r >= '\uff01' && r <= '\uff5e':
			r -= 0xfee0
		}
		b.WriteRune(unicode.ToLower(r))
	}
	out := b.String()
	for {
		trimmed := strings.TrimSuffix(strings.TrimSuffix(out, "*"), "(必填)")
		if trimmed == out {
			return out
		}
		out = trimmed
	}
}

// Names maps every spelling of a configured name to the canonical name.
type Names struct {
	index map[string]string
}

// Lookup returns the canonical name for s, or false.
func (n *Names) Lookup(s string) (string, bool) {
	c, ok := n.index[Fold(s)]
	return c, ok
}

func (n *Names) add(alias, canonical string) {
	if n.index == nil {
		n.index = make(map[string]string)
	}
	n.index[Fold(alias)] = canonical
}

// SquadForms lists the name forms of a squad that the exports use, derived
// from its configured name: for 江宁路中队 in 上海市静安区城市管理行政执法局
// (short name 静安区城管执法局) they are 江宁路, 江宁路中队, 江宁路街道中队,
// 江宁路街道 and 静安区城管执法局江宁路中队; 机动执法中队 also gives 机动中队.
func SquadForms(name string, bureau Bureau) []string {
	base := strings.TrimSuffix(name, "中队")
	base = strings.TrimSuffix(base, "执法")
	base = strings.TrimSuffix(base, "街道")
	forms := []string{name, base, base + "中队", base + "执法中队", base + "街道中队", base + "街道"}
	for _, prefix := range []string{bureau.ShortName, bureau.Name} {
		if prefix != "" {
			forms = append(forms, prefix+base+"中队", prefix+name)
		}
	}
	return forms
}

// SquadNames indexes the configured squads with their derived forms and
// aliases.
func (c *Config) SquadNames() *Names {
	n := &Names{}
	for _, s := range c.Squads {
		for _, f := range SquadForms(s.Name, c.Bureau) {
			n.add(f, s.Name)
		}
		for _, a := range s.Aliases {
			n.add(a, s.Name)
		}
	}
	return n
}

// DepartmentNames indexes the configured departments and their aliases.
func (c *Config) DepartmentNames() *Names {
	n := &Names{}
	for _, d := range c.Departments {
		n.add(d.Name, d.Name)
		for _, a := range d.Aliases {
			n.add(a, d.Name)
		}
	}
	return n
}

// ItemNames indexes the supervision items and their aliases.
func (c *Config) ItemNames() *Names {
	n := &Names{}
	for _, it := range c.Items {
		n.add(it.Name, it.Name)
		for _, a := range it.Aliases {
			n.add(a, it.Name)
		}
	}
	return n
}

// ValueNames indexes one vocabulary of [values], e.g. ValuesSampleKind.
func (c *Config) ValueNames(key string) *Names {
	n := &Names{}
	for canonical, aliases := range c.Values[key] {
		n.add(canonical, canonical)
		for _, a := range aliases {
			n.add(a, canonical)
		}
	}
	return n
}
