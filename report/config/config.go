// Package config reads config.toml into a report.Config and validates it,
// loudly: an unknown key, a wrong type or an impossible value stops the run
// with the key and the reason. It is the only place that parses the file.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"bulletin/report"
)

// Load reads and validates the config file at path, its mail settings
// overridden from the environment by getenv (os.LookupEnv in production,
// nil for none; see applyEnv). Relative paths inside it (fonts, templates)
// are resolved against the file's folder.
func Load(path string, getenv func(string) (string, bool)) (*report.Config, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Path: path, Op: "读取配置文件", Err: err}
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Path: path, Err: err}
	}
	cfg, err := Parse(data, abs, getenv)
	if err != nil {
		eachError(err, func(e *report.Error) {
			if e.Path == "" { // a plan's error names its own file
				e.Path = path
			}
		})
		return nil, err
	}
	cfg.File = path
	return cfg, nil
}

// ReadFile reads config.toml or a plan as its text: without the byte order
// mark that Windows Notepad writes at the start of a file saved as UTF-8
// ("UTF-8 with BOM"), which is no character of the settings and which no
// font prints.
func ReadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	return bytes.TrimPrefix(data, []byte("\ufeff")), err
}

// Parse decodes config text, overrides its mail settings from getenv and
// validates it, and reads the plans of its plans folder; dir is the folder
// relative paths are resolved against.
func Parse(data []byte, dir string, getenv func(string) (string, bool)) (*report.Config, error) {
	var cfg report.Config
	if err := decode(data, &cfg); err != nil {
		return nil, err
	}
	cfg.Dir = dir
	// The mail settings are validated as they will be used: with the
	// environment's, under the names of the variables that set them.
	env, err := applyEnv(&cfg, getenv)
	if err != nil {
		return nil, err
	}
	if err := atLine(validate(&cfg, env), data); err != nil {
		return nil, err
	}
	if err := loadPlans(&cfg); err != nil {
		return nil, err
	}
	return &cfg, nil
}

// decode reads TOML text into v, refusing typing mistakes and unknown keys.
func decode(data []byte, v any) error {
	if err := lint(data); err != nil {
		return err
	}
	md, err := toml.Decode(string(data), v)
	if err != nil {
		if e := mistyped(string(data), v); e != nil {
			return atLine(e, data)
		}
		return &report.Error{Kind: report.KindConfig, Where: tomlWhere(err),
			Err: fmt.Errorf("格式错误（文字要放在英文双引号里，多个值放在方括号里、用英文逗号隔开）：%w", err)}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return unknownKeys(string(data), undecoded, reflect.TypeOf(v))
	}
	return nil
}

// atLine adds the line of text that a validation error's key names.
func atLine(err error, text []byte) error {
	var e *report.Error
	if errors.As(err, &e) {
		if line := lineOf(string(text), e.Where); line > 0 {
			e.Where = fmt.Sprintf("%s，第%d行", e.Where, line)
		}
	}
	return err
}

// planFile is the name of a plan's file: its year, 2025.toml, or for a
// revision made during the year, the month it takes effect, 2025-07.toml.
var planFile = regexp.MustCompile(`^(20[0-9]{2})(?:-([0-9]{2}))?\.toml$`)

// loadPlans reads every plan of the plans folder, one file a year and one
// for each revision. A file with another name is refused rather than
// skipped: a plan saved as 2026方案.toml would otherwise leave 2026 without
// one, silently.
func loadPlans(cfg *report.Config) error {
	if cfg.PlansDir == "" {
		cfg.PlansDir = "plans"
	}
	dir := Path(cfg, cfg.PlansDir)
	paths, err := PlanFiles(cfg)
	if err != nil {
		return &report.Error{Kind: report.KindConfig, Where: "plans", Path: dir,
			Err: fmt.Errorf("方案文件夹无法读取（%v）：每年的执法监督工作方案放在这个文件夹里，一年一个文件（年中修订另加一个，如 2025-10.toml），如 2025.toml", err)}
	}
	texts := map[string][]byte{} // by path: a revision's refusal is told at its line
	for _, path := range paths {
		from, err := planFrom(filepath.Base(path))
		if err != nil {
			return &report.Error{Kind: report.KindConfig, Path: path, Err: err}
		}
		data, err := ReadFile(path)
		if err != nil {
			return &report.Error{Kind: report.KindConfig, Path: path, Op: "读取方案文件", Err: err}
		}
		plan, err := ParsePlan(data, from.Year, cfg)
		if err != nil {
			eachError(err, func(e *report.Error) { e.Path = path })
			return err
		}
		plan.From, plan.File = from, path
		cfg.Plans = append(cfg.Plans, plan)
		texts[path] = data
	}
	if len(cfg.Plans) == 0 {
		return &report.Error{Kind: report.KindConfig, Where: "plans", Path: dir,
			Err: fmt.Errorf("方案文件夹里没有方案：至少要有当年的方案文件，如 2025.toml")}
	}
	slices.SortFunc(cfg.Plans, func(a, b report.Plan) int { return a.From.Compare(b.From) })
	for _, p := range cfg.Plans {
		if p.From.Month == time.January {
			continue
		}
		i := slices.IndexFunc(cfg.Plans, func(q report.Plan) bool { return q.From == report.Month{Year: p.Year, Month: time.January} })
		if i < 0 {
			return &report.Error{Kind: report.KindConfig, Path: p.File,
				Err: fmt.Errorf("这是%d年方案自%d月起的修订，方案文件夹里还要有 %d.toml（%d年1月起的方案）", p.Year, int(p.From.Month), p.Year, p.Year)}
		}
		if err := validateRevision(&cfg.Plans[i], &p); err != nil {
			eachError(err, func(e *report.Error) { e.Path = p.File })
			return atLine(err, texts[p.File])
		}
	}
	return nil
}

// PlanFiles lists, by name, the files of the plans folder of cfg (as Load
// read it) that the loader reads: every file but hidden ones, Office's lock
// files (~$…) and notes (.md). A process that stays up watches them for an
// edit (the console).
func PlanFiles(cfg *report.Config) ([]string, error) {
	dir := Path(cfg, cfg.PlansDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || strings.EqualFold(filepath.Ext(name), ".md") {
			continue
		}
		paths = append(paths, filepath.Join(dir, name))
	}
	return paths, nil
}

// planFrom is the first month the plan of file name is in force: January
// of the year it names, or the month a revision names.
func planFrom(name string) (report.Month, error) {
	m := planFile.FindStringSubmatch(name)
	if m == nil {
		return report.Month{}, fmt.Errorf("方案文件要以年份命名，如 2026.toml（年中修订的方案以起始月份命名，月份写两位数，如 2026-07.toml）；其他文件（如复制时产生的「2025 - 副本.toml」、记事本存成的「2026.toml.txt」）请改名或移出方案文件夹：有这样的文件时，所有命令和自动报送都会停下")
	}
	year, _ := strconv.Atoi(m[1])
	if m[2] == "" {
		return report.Month{Year: year, Month: time.January}, nil
	}
	month, _ := strconv.Atoi(m[2])
	switch {
	case month == 1:
		return report.Month{}, fmt.Errorf("1月起执行的就是全年的方案：文件名写 %d.toml", year)
	case month < 1 || month > 12:
		return report.Month{}, fmt.Errorf("%s 不是月份：年中修订的方案以起始月份命名，如 %d-07.toml（7月起执行）", m[2], year)
	}
	return report.Month{Year: year, Month: time.Month(month)}, nil
}

// ParsePlan decodes and validates the text of the plan of year against the
// organisation of cfg (items, departments).
func ParsePlan(data []byte, year int, cfg *report.Config) (report.Plan, error) {
	plan := report.Plan{Year: year}
	if err := decode(data, &plan); err != nil {
		return plan, err
	}
	// The keys each quota writes: a target left out decodes as 0, which
	// would make the quota always met.
	var written struct {
		Quotas []map[string]any `toml:"quotas"`
	}
	if _, err := toml.Decode(string(data), &written); err != nil {
		return plan, err // decoded once already: not reached
	}
	return plan, atLine(validatePlan(cfg, &plan, written.Quotas), data)
}

func tomlWhere(err error) string {
	var pe toml.ParseError
	if errors.As(err, &pe) && pe.LastKey != "" {
		return fmt.Sprintf("%s，第%d行", pe.LastKey, pe.Position.Line)
	}
	if errors.As(err, &pe) {
		return fmt.Sprintf("第%d行", pe.Position.Line)
	}
	return ""
}

// Path resolves a path of the config against its folder.
func Path(cfg *report.Config, p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(cfg.Dir, p)
}

// applyEnv overrides the mail settings from the environment, as a systemd
// EnvironmentFile would set them: BULLETIN_SMTP_HOST, _PORT, _USER, _TLS,
// BULLETIN_MAIL_TO and BULLETIN_OPERATOR (comma-separated lists). An empty
// BULLETIN_SMTP_USER that is set means no authentication. It returns the
// variable that set each key of [mail] it overrode.
func applyEnv(cfg *report.Config, getenv func(string) (string, bool)) (map[string]string, error) {
	set := map[string]string{}
	if getenv == nil {
		return set, nil
	}
	m := &cfg.Mail
	for _, o := range []struct {
		variable, key string
		apply         func(string)
	}{
		{"BULLETIN_SMTP_HOST", "mail.host", func(v string) { m.Host = strings.TrimSpace(v) }},
		{"BULLETIN_SMTP_USER", "mail.user", func(v string) { m.User = strings.TrimSpace(v) }},
		{"BULLETIN_SMTP_TLS", "mail.tls", func(v string) { m.TLS = strings.TrimSpace(v) }},
		{"BULLETIN_MAIL_TO", "mail.to", func(v string) { m.To = splitList(v) }},
		{"BULLETIN_OPERATOR", "mail.operator", func(v string) { m.Operator = splitList(v) }},
	} {
		if v, ok := getenv(o.variable); ok {
			o.apply(v)
			set[o.key] = o.variable
		}
	}
	if v, ok := getenv("BULLETIN_SMTP_PORT"); ok {
		port, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return nil, &report.Error{Kind: report.KindConfig, Where: envWhere("BULLETIN_SMTP_PORT", "mail.port"), Err: fmt.Errorf("%q 不是端口号（1～65535）", v)}
		}
		m.Port, set["mail.port"] = port, "BULLETIN_SMTP_PORT"
	}
	return set, nil
}

// envWhere names a setting of key that the environment's variable set:
// the error is corrected there, not in config.toml.
func envWhere(variable, key string) string {
	return fmt.Sprintf("环境变量 %s，覆盖了 %s", variable, key)
}

// Password returns the SMTP password from the environment variable named by
// mail.password_env (BULLETIN_SMTP_PASSWORD by default) or from
// mail.password_file; never from config.toml itself.
func Password(cfg *report.Config, getenv func(string) (string, bool)) (string, error) {
	env := cfg.Mail.PasswordEnv
	if env == "" {
		env = "BULLETIN_SMTP_PASSWORD"
	}
	if v, ok := getenv(env); ok {
		return v, nil
	}
	if cfg.Mail.PasswordFile != "" {
		b, err := os.ReadFile(Path(cfg, cfg.Mail.PasswordFile))
		if err != nil {
			return "", &report.Error{Kind: report.KindConfig, Where: "mail.password_file", Err: err}
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return "", nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func checkTLS(mode string) error {
	switch mode {
	case "none", "starttls", "tls":
		return nil
	}
	return fmt.Errorf("%q 只能是 none、starttls 或 tls", mode)
}
