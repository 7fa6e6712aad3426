// Package config reads config.toml into a report.Config and validates it,
// loudly: an unknown key, a wrong type or an impossible value stops the run
// with the key and the reason. It is the only place that parses the file.
package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"bulletin/report"
)

// Load reads and validates the config file at path. Relative paths inside it
// (fonts, templates) are resolved against the file's folder.
func Load(path string) (*report.Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Path: path, Op: "读取配置文件", Err: err}
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Path: path, Err: err}
	}
	cfg, err := Parse(data, abs)
	if err != nil {
		eachError(err, func(e *report.Error) { e.Path = path })
		return nil, err
	}
	return cfg, nil
}

// Parse decodes and validates config text; dir is the folder relative paths
// are resolved against.
func Parse(data []byte, dir string) (*report.Config, error) {
	if err := lint(data); err != nil {
		return nil, err
	}
	var cfg report.Config
	md, err := toml.Decode(string(data), &cfg)
	if err != nil {
		return nil, &report.Error{Kind: report.KindConfig, Where: tomlWhere(err),
			Err: fmt.Errorf("格式错误（文字要放在英文双引号里，多个值放在方括号里、用英文逗号隔开）：%w", err)}
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		return nil, unknownKeys(string(data), undecoded)
	}
	cfg.Dir = dir
	if err := validate(&cfg); err != nil {
		var e *report.Error
		if errors.As(err, &e) {
			if line := lineOf(string(data), e.Where); line > 0 {
				e.Where = fmt.Sprintf("%s，第%d行", e.Where, line)
			}
		}
		return nil, err
	}
	return &cfg, nil
}

func tomlWhere(err error) string {
	var pe toml.ParseError
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

// ApplyEnv overrides the mail settings from the environment, as a systemd
// EnvironmentFile would set them: BULLETIN_SMTP_HOST, _PORT, _USER, _TLS,
// BULLETIN_MAIL_TO and BULLETIN_OPERATOR (comma-separated lists). An empty
// BULLETIN_SMTP_USER that is set means no authentication. getenv is
// os.LookupEnv in production.
func ApplyEnv(cfg *report.Config, getenv func(string) (string, bool)) error {
	m := &cfg.Mail
	if v, ok := getenv("BULLETIN_SMTP_HOST"); ok {
		m.Host = strings.TrimSpace(v)
	}
	if v, ok := getenv("BULLETIN_SMTP_PORT"); ok {
		port, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || port < 1 || port > 65535 {
			return &report.Error{Kind: report.KindConfig, Where: "BULLETIN_SMTP_PORT", Err: fmt.Errorf("%q 不是端口号（1～65535）", v)}
		}
		m.Port = port
	}
	if v, ok := getenv("BULLETIN_SMTP_USER"); ok {
		m.User = strings.TrimSpace(v)
	}
	if v, ok := getenv("BULLETIN_SMTP_TLS"); ok {
		m.TLS = strings.TrimSpace(v)
		if err := checkTLS(m.TLS); err != nil {
			return &report.Error{Kind: report.KindConfig, Where: "BULLETIN_SMTP_TLS", Err: err}
		}
	}
	if v, ok := getenv("BULLETIN_MAIL_TO"); ok {
		m.To = splitList(v)
	}
	if v, ok := getenv("BULLETIN_OPERATOR"); ok {
		m.Operator = splitList(v)
	}
	return nil
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

// BackoffDuration is mail.backoff parsed (validated at load).
func BackoffDuration(cfg *report.Config) time.Duration {
	d, _ := time.ParseDuration(cfg.Mail.Backoff)
	return d
}
