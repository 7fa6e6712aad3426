package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"bulletin/report"
)

// The clerk edits config.toml in Notepad with a Chinese input method: the
// mistakes checked here are the ones that make the TOML parser's English
// message useless to that reader, so they are found first and worded in
// Chinese with the line number.

// percentValue is a share written as a percentage: target = 10%.
var percentValue = regexp.MustCompile(`=\s*"?\s*[0-9]+(\.[0-9]+)?\s*[%％]`)

// lint reports the first typing mistake of text, or nil.
func lint(text []byte) error {
	if !utf8.Valid(text) {
		line := 1 + strings.Count(string(text[:firstInvalid(text)]), "\n")
		return &report.Error{Kind: report.KindConfig, Where: fmt.Sprintf("第%d行", line),
			Err: fmt.Errorf("文件不是 UTF-8 编码：请用记事本打开，“另存为”时编码选 UTF-8")}
	}
	for i, line := range strings.Split(string(text), "\n") {
		code := stripComment(line)
		where := fmt.Sprintf("第%d行", i+1)
		switch {
		case percentValue.MatchString(code):
			return &report.Error{Kind: report.KindConfig, Where: where,
				Err: fmt.Errorf("比例不要写百分号：10%% 写 0.10，100%% 写 1.0（%s）", strings.TrimSpace(line))}
		case strings.ContainsAny(outsideQuotes(code), "“”＂＝［］，"):
			return &report.Error{Kind: report.KindConfig, Where: where,
				Err: fmt.Errorf("引号、等号、方括号、逗号要用英文半角符号（关掉中文输入法再输入）：%s", strings.TrimSpace(line))}
		}
	}
	return nil
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// stripComment drops a # comment that is not inside a string.
func stripComment(line string) string {
	inString := false
	for i, r := range line {
		switch {
		case r == '"':
			inString = !inString
		case r == '#' && !inString:
			return line[:i]
		}
	}
	return line
}

// outsideQuotes keeps the parts of a line that are not in "…" strings.
func outsideQuotes(line string) string {
	var b strings.Builder
	inString := false
	for _, r := range line {
		if r == '"' {
			inString = !inString
			continue
		}
		if !inString {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// keyPath matches the places validate names: quotas[3] (id).target,
// bureau.time_zone, datasets.案件.columns.
var keyPath = regexp.MustCompile(`^([a-z_]+)(?:\[([0-9]+)\])?(?: \([^)]*\))?(?:\.(.+))?$`)

// lineOf finds the line of config text that a validation key names, or 0.
func lineOf(text, key string) int {
	m := keyPath.FindStringSubmatch(key)
	if m == nil {
		return 0
	}
	section, rest := m[1], m[3]
	lines := strings.Split(text, "\n")
	start := -1
	if m[2] != "" {
		n, _ := strconv.Atoi(m[2])
		for i, l := range lines {
			if strings.TrimSpace(stripComment(l)) == "[["+section+"]]" {
				if n--; n == 0 {
					start = i
					break
				}
			}
		}
	} else {
		// the deepest [table] header that the key starts with
		for i, l := range lines {
			h := strings.TrimSpace(stripComment(l))
			if !strings.HasPrefix(h, "[") || strings.HasPrefix(h, "[[") {
				continue
			}
			table := strings.NewReplacer("[", "", "]", "", `"`, "", " ", "").Replace(h)
			if table == section || strings.HasPrefix(section+"."+rest, table) {
				start = i
				if table == section+"."+rest {
					return i + 1
				}
			}
		}
		if start >= 0 && rest != "" {
			rest = rest[strings.LastIndex(rest, ".")+1:]
		}
	}
	if start < 0 && m[2] == "" && rest == "" {
		return topLevelLine(lines, section)
	}
	if start < 0 {
		return 0
	}
	if rest == "" {
		return start + 1
	}
	field := rest[strings.LastIndex(rest, ".")+1:]
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimSpace(stripComment(lines[i]))
		if strings.HasPrefix(l, "[") {
			break
		}
		if k, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == field {
			return i + 1
		}
	}
	return start + 1
}

// topLevelLine finds key = … before the first table, or 0.
func topLevelLine(lines []string, key string) int {
	for i, l := range lines {
		l = strings.TrimSpace(stripComment(l))
		if strings.HasPrefix(l, "[") {
			break
		}
		if k, _, ok := strings.Cut(l, "="); ok && strings.TrimSpace(k) == key {
			return i + 1
		}
	}
	return 0
}
