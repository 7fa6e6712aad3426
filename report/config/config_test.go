package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"bulletin/report"
)

const repoConfig = "../../config.toml"

func readRepoConfig(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(repoConfig)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// parseEdited loads the repository's config.toml with one textual edit, from
// the repository folder so that fonts and templates resolve.
func parseEdited(t *testing.T, old, new string) (*report.Config, error) {
	t.Helper()
	text := readRepoConfig(t)
	if !strings.Contains(text, old) {
		t.Fatalf("config.toml no longer contains %q: update the test", old)
	}
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return Parse([]byte(strings.Replace(text, old, new, 1)), dir, nil)
}

func TestLoadRepositoryConfig(t *testing.T) {
	cfg, err := Load(repoConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(cfg.CountedSquads()); got != 15 {
		t.Errorf("counted squads = %d, want 15", got)
	}
	if got := len(cfg.Departments); got != 6 {
		t.Errorf("departments = %d, want 6", got)
	}
	if len(cfg.Plans) != 1 || cfg.Plans[0].Year != 2025 || cfg.Plans[0].Name != "静安区城管执法系统2025年度执法监督工作方案" {
		t.Fatalf("plans %+v, want the 2025 plan by its name", cfg.Plans)
	}
	if cfg, err = cfg.ForMonth(report.Month{Year: 2025, Month: time.January}); err != nil {
		t.Fatal(err)
	}
	for _, id := range report.QuotaIDs {
		if _, ok := cfg.Quota(id); !ok {
			t.Errorf("quota %s missing", id)
		}
	}
	if cfg.Location.String() != "Asia/Shanghai" {
		t.Errorf("location = %v", cfg.Location)
	}
	if !filepath.IsAbs(cfg.Fonts.Body) || !filepath.IsAbs(cfg.Templates) {
		t.Errorf("paths not resolved: %q %q", cfg.Fonts.Body, cfg.Templates)
	}
	q, _ := cfg.Quota(report.QuotaCaseSampleRate)
	if q.Target != 0.10 || q.Window != report.WindowMonth {
		t.Errorf("case sample rate quota = %+v", q)
	}
}

func TestSquadNamesInAllForms(t *testing.T) {
	cfg, err := Load(repoConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := cfg.SquadNames()
	for _, form := range []string{"江宁路", "江宁路中队", "江宁路街道中队", "江宁路街道", "静安区城管执法局江宁路中队", " 江宁路中队 ", "机动执法中队", "机动中队"} {
		if _, ok := names.Lookup(form); !ok {
			t.Errorf("%q not recognised", form)
		}
	}
	if got, _ := names.Lookup("机动执法中队"); got != "机动中队" {
		t.Errorf("机动执法中队 → %q", got)
	}
	if _, ok := names.Lookup("外滩中队"); ok {
		t.Error("外滩中队 is not a Jing'an squad")
	}
}

func TestBadValuesStopWithKeyAndReason(t *testing.T) {
	tests := []struct {
		name, old, new string
		wantKey        string
		wantReason     string
	}{
		{"unknown key", "short_name = ", "shortname = ", "第", "不认识的设置项 shortname（在 [bureau] 中）：是不是 short_name？"},
		{"wrong type", `port = 465`, `port = "465"`, "mail.port，第", "要写整数，不加引号"},
		{"a number in quotes", "catch_up_days = 40", `catch_up_days = "40"`, "delivery.catch_up_days，第", "要写整数，不加引号"},
		{"a list without brackets", "[[squads]]\nname = \"江宁路中队\"", "[[squads]]\nname = \"江宁路中队\"\naliases = \"江宁\"", "squads[1].aliases，第", "方括号"},
		{"yes or no in quotes", "[[squads]]\nname = \"江宁路中队\"", "[[squads]]\nname = \"江宁路中队\"\nnot_counted = \"true\"", "squads[1].not_counted，第", "只能写 true 或 false"},
		{"item without department", "departments = [\"执法协调科\", \"执法监督科\"]\n\n[[items]]", "departments = []\n\n[[items]]", "执法实效", "至少要写一个责任科室"},
		{"unknown department", `departments = ["案件审理科"]
self_inspection = "重大行政执法决定法制审核制度"`, `departments = ["审计科"]
self_inspection = "重大行政执法决定法制审核制度"`, "重大法核", "审计科"},
		{"time zone", `time_zone = "Asia/Shanghai"`, `time_zone = "Asia/Shenzhen"`, "bureau.time_zone", "时区"},
		{"cron", `monthly = "0 8 1 * *"`, `monthly = "every first"`, "delivery.monthly", "时间表"},
		{"font type", `body = "fonts/gbsn00lp.ttf"`, `body = "fonts/simsun.ttc"`, "fonts.body", ".ttf"},
		{"missing font", `body = "fonts/gbsn00lp.ttf"`, `body = "fonts/fangsong.ttf"`, "fonts.body", "无法读取"},
		{"tls", `tls = "tls"`, `tls = "ssl"`, "mail.tls", "none、starttls 或 tls"},
		{"address", `from = "zhk@jingan-cg.example.gov.cn"`, `from = "综合科"`, "mail.from", "电子邮件地址"},
		{"backoff", `backoff = "1m"`, `backoff = "一分钟"`, "mail.backoff", "时长"},
		{"unknown column", `"案由" = ["违法行为", "案件类型"]`, `"案件名称" = ["违法行为"]`, "datasets.案件.columns", "不是数据约定里"},
		{"ambiguous squad alias", `aliases = ["机动执法中队", "机动"]`, `aliases = ["机动执法中队", "江宁路"]`, "squads[15]", "江宁路"},
		{"share", "max_rejected_share = 0.05", "max_rejected_share = 5", "delivery.max_rejected_share", "5% 写 0.05"},
		{"attempts above 10", "attempts = 5", "attempts = 11", "mail.attempts", "1～10"},
		{"backoff of hours", `backoff = "1m"`, `backoff = "3h"`, "mail.backoff", "不超过 10m"},
		{"review window of years", "review_days = 0", "review_days = 100000", "delivery.review_days", "短于一个月"},
		{"review window of a month", "review_days = 0", "review_days = 28", "delivery.review_days", "0～27"},
		{"catch-up of decades", "catch_up_days = 40", "catch_up_days = 10000", "delivery.catch_up_days", "0～366"},
		{"schedule that never fires", `monthly = "0 8 1 * *"`, `monthly = "0 8 30 2 *"`, "delivery.monthly", "永远不会到期"},
		{"schedule skipping months", `monthly = "0 8 1 * *"`, `monthly = "0 8 31 * *"`, "delivery.monthly，第", `"0 8 31 * *" 在2月、4月、6月、9月、11月不会到期`},
		{"schedule skipping February of most years", `monthly = "0 8 1 * *"`, `monthly = "0 8 29 * *"`, "delivery.monthly，第", "在2月（有的年份）不会到期"},
		{"schedule of the first half only", `halfyear = "0 8 5 1,7 *"`, `halfyear = "0 8 5 1 *"`, "delivery.halfyear，第", "在下半年（7～12月）不会到期"},
		{"schedule of a 31st in the second half only", `halfyear = "0 8 5 1,7 *"`, `halfyear = "0 8 31 4,6,7 *"`, "delivery.halfyear，第", "在上半年（1～6月）不会到期"},
		{"first period", `first_period = "2025-01"`, `first_period = "2025-13"`, "", "2025-13"},
		{"certificate without its key", `cert = ""`, `cert = "config.toml"`, "console.cert", "要一起写"},
		{"certificate and key missing", "cert = \"\"                     # TLS 证书（PEM），如 \"/etc/bulletin/console.crt\"\nkey = \"\"",
			"cert = \"console.crt\"\nkey = \"console.key\"", "console.cert", "console.crt 无法读取"},
		{"new verdict", "\"基本合格\" = []", "\"基本合格\" = []\n\"较好\" = []", "values.verdict，第", `"较好" 要写成其中一个的别称，如 "合格" = ["较好"]`},
		{"new sample kind", "\"视音频\" = [", "\"执法记录仪\" = []\n\"视音频\" = [", "values.sample_kind，第", "标准取值只有 案卷、视音频"},
		{"new rectification", "\"整改中\" = [\"正在整改\"]", "\"整改中\" = [\"正在整改\"]\n\"部分整改\" = []", "values.rectification", "\"部分整改\" 不是标准取值"},
		{"new finding", "\"履职到位\" = [\"到位\"]", "\"履职到位\" = []\n\"基本到位\" = []", "values.finding", "\"基本到位\" 不是标准取值"},
		{"upload limit", "max_upload_mb = 100", "max_upload_mb = 4096", "console.max_upload_mb", "0～2048"},
	}
	tests = append(tests, []struct {
		name, old, new string
		wantKey        string
		wantReason     string
	}{
		{"squad twice", `name = "石门二路中队"`, `name = "江宁路中队"`, "squads[2].name，第", "写了两次"},
		{"squad name with a space", `name = "石门二路中队"`, `name = "石门二路中队 "`, "squads[2].name，第", "名称前后有空格：请删去引号里的空格，写成 \"石门二路中队\""},
		{"squad alias with a space", `aliases = ["机动执法中队", "机动"]`, `aliases = ["机动执法中队", " 机动"]`, "squads[15].aliases，第", "名称前后有空格"},
		{"department with a space", `name = "拆违专班"`, `name = "拆违专班　"`, "departments[6].name，第", "名称前后有空格"},
		{"item alias with a space", `aliases = ["执法保障", "重点领域"]`, `aliases = ["执法保障 ", "重点领域"]`, "items[6].aliases，第", "名称前后有空格"},
		{"full-width quotes", `name = "天目西路中队"`, `name = “天目西路中队”`, "第", "英文半角"},
		{"full-width comma", `aliases = ["机动执法中队", "机动"]`, `aliases = ["机动执法中队"， "机动"]`, "第", "英文半角"},
	}...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseEdited(t, tt.old, tt.new)
			checkProblem(t, err, tt.wantKey, tt.wantReason)
		})
	}
}

// A new kind of complaint is counted as its own kind, unlike a new verdict.
func TestNewComplaintTypeAccepted(t *testing.T) {
	if _, err := parseEdited(t, "\"环保督察件\" = [\"环保督察\"]", "\"环保督察件\" = [\"环保督察\"]\n\"人大代表建议\" = []"); err != nil {
		t.Fatal(err)
	}
}

// Of two mistakes, the same one is named on every run, not the one a Go
// map happens to yield first.
func TestFirstMistakeNamedTheSameEveryRun(t *testing.T) {
	fonts := "title = \"fonts/NotoSerifSC-Bold.ttf\"       # 标题（小标宋体）\nheading = \"fonts/NotoSansSC-Regular.ttf\""
	for range 20 {
		_, err := parseEdited(t, fonts, "title = \"fonts/no-title.ttf\"\nheading = \"fonts/no-heading.ttf\"")
		checkProblem(t, err, "fonts.heading", "no-heading.ttf")
	}
}

func checkProblem(t *testing.T, err error, wantKey, wantReason string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted a bad config")
	}
	if report.KindOf(err) != report.KindConfig {
		t.Errorf("kind = %v, want configuration error", report.KindOf(err))
	}
	var e *report.Error
	if !errors.As(err, &e) {
		t.Fatalf("not a *report.Error: %v", err)
	}
	if !strings.Contains(e.Where, wantKey) {
		t.Errorf("error %q does not name key %q", err, wantKey)
	}
	if !strings.Contains(err.Error(), wantReason) {
		t.Errorf("error %q does not say %q", err, wantReason)
	}
}

// parsePlanEdited parses the repository's 2025 plan with one textual edit.
func parsePlanEdited(t *testing.T, old, new string) (report.Plan, error) {
	t.Helper()
	cfg, err := Load(repoConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := readRepoPlan(t)
	if !strings.Contains(text, old) {
		t.Fatalf("plans/2025.toml no longer contains %q: update the test", old)
	}
	return ParsePlan([]byte(strings.Replace(text, old, new, 1)), 2025, cfg)
}

func readRepoPlan(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../plans/2025.toml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// halfCoverageTarget is the target line of lawful.squad_coverage_half in
// plans/2025.toml, with what follows it to the next quota's id.
const halfCoverageTarget = "target = 1.0\nwindow = \"half\"\nfrequency = \"monthly\"\n\n[[quotas]]\nid = \"lawful.annual_per_squad\""

func TestBadPlanStopsWithKeyAndReason(t *testing.T) {
	plan := readRepoPlan(t)
	targetLine := 1 + strings.Count(plan[:strings.Index(plan, "target = 0.10\nwindow")], "\n") // the case sample rate's
	tests := []struct {
		name, old, new string
		wantKey        string
		wantReason     string
	}{
		{"target above 1", "target = 0.10\nwindow = \"month\"\nfrequency = \"monthly\"\n\n[[quotas]]\nid = \"lawful.squad_coverage_month\"",
			"target = 10\nwindow = \"month\"\nfrequency = \"monthly\"\n\n[[quotas]]\nid = \"lawful.squad_coverage_month\"", "lawful.case_sample_rate", "10% 写 0.10"},
		{"unknown quota id", `id = "team.dynamic_info"`, `id = "team.dynamic_inf"`, "quotas[", "不是方案里的指标编号"},
		{"bad window", "window = \"half\"", "window = \"halfyear\"", "window", "只能是 month"},
		{"weights", "pass_rate = 30", "pass_rate = 35", "evaluation", "合计 105"},
		{"percent sign", "target = 0.10\nwindow", "target = 10%\nwindow", "第", "10% 写 0.10"},
		{"quoted percent", "target = 0.10\nwindow", "target = \"10%\"\nwindow", "第", "不要写百分号"},
		{"line of a semantic error", `id = "team.dynamic_info"`, `id = "team.dynamic_inf"`, "，第", "指标编号"},
		{"unknown key", "min_count = 10", "mincount = 10", "第", "不认识的设置项 mincount（在 [quotas] 中）：是不是 min_count？"},
		{"no name", `name = "静安区城管执法系统2025年度执法监督工作方案"`, `name = ""`, "name", "不能为空"},
		{"last year's name", `name = "静安区城管执法系统2025年度执法监督工作方案"`, `name = "静安区城管执法系统2024年度执法监督工作方案"`, "name，第", "里没有 2025"},
		{"target missing", halfCoverageTarget, strings.Replace(halfCoverageTarget, "target = 1.0\n", "", 1),
			"quotas[3] (lawful.squad_coverage_half).target，第", "如 target = 1.0"},
		{"stray min_count", "target = 0.10\nwindow", "target = 0.10\nmin_count = 50\nwindow",
			"quotas[1] (lawful.case_sample_rate).min_count，第", "不用 min_count，请删去这一行"},
		{"stray matter", "target = 0.01\nwindow", "target = 0.01\nmatter = \"投诉信访件抽查\"\nwindow",
			"(complaints.sample_rate).matter，第", "不用 matter，请删去这一行"},
		{"stray due_day", "matter = \"案卷质量讲评会\"\n", "matter = \"案卷质量讲评会\"\ndue_day = 10\n",
			"(lawful.review_meeting).due_day，第", "不用 due_day，请删去这一行"},
		{"window the formula contradicts", halfCoverageTarget, strings.Replace(halfCoverageTarget, `window = "half"`, `window = "month"`, 1),
			"quotas[3] (lawful.squad_coverage_half).window，第", `按半年（本半年至今）计算，window 只能写 "half"`},
		{"target in quotes", "target = 0.10\nwindow", "target = \"0.10\"\nwindow",
			fmt.Sprintf("quotas[1] (lawful.case_sample_rate).target，第%d行", targetLine), "要写数字，不加引号"},
		{"a fractional count", "min_count = 10", "min_count = 2.5", ".min_count，第", "要写整数"},
		{"target of 0", halfCoverageTarget, strings.Replace(halfCoverageTarget, "target = 1.0", "target = 0", 1),
			"quotas[3] (lawful.squad_coverage_half).target，第", "要大于 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parsePlanEdited(t, tt.old, tt.new)
			checkProblem(t, err, tt.wantKey, tt.wantReason)
		})
	}
}

// A misspelt key is reported once for each place it is written, at its
// line, with the spelling meant; a misspelt table once, at its header.
func TestUnknownKeysNamedOnceAtTheirLines(t *testing.T) {
	text := readRepoConfig(t)
	text = strings.Replace(text, "aliases = [\"办公室\"]", "alias = [\"办公室\"]", 1)
	text = strings.Replace(text, "aliases = [\"审理科\"", "alias = [\"审理科\"", 1)
	text = strings.Replace(text, "[mail]\n", "[mial]\n", 1)
	lines := strings.Split(text, "\n")
	var want []string
	for i, l := range lines {
		if strings.HasPrefix(l, "alias = ") || l == "[mial]" {
			want = append(want, fmt.Sprintf("config.toml (第%d行)", i+1))
		}
	}
	if len(want) != 3 {
		t.Fatalf("the edits did not take: %v", want)
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	if err == nil {
		t.Fatal("accepted unknown keys")
	}
	msg := strings.ReplaceAll(err.Error(), filepath.Dir(path)+string(filepath.Separator), "")
	got := strings.Split(msg, "\n")
	if len(got) != 3 {
		t.Fatalf("want one line per misspelling, got:\n%s", msg)
	}
	for i, line := range got {
		if !strings.HasPrefix(line, want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i, line, want[i])
		}
	}
	if !strings.Contains(got[0], "不认识的设置项 alias（在 [departments] 中）：是不是 aliases？") ||
		!strings.Contains(got[2], "不认识的设置项 mial：是不是 mail？") || strings.Contains(got[2], "host") {
		t.Errorf("messages:\n%s", msg)
	}
	if strings.Count(msg, "alias") != 4 { // alias, aliases twice
		t.Errorf("a misspelling is named more than once a place:\n%s", msg)
	}
}

func TestMissingQuotaIsAnError(t *testing.T) {
	text := readRepoPlan(t)
	start := strings.Index(text, "[[quotas]]\nid = \"team.dynamic_info\"")
	end := strings.Index(text[start:], "\n\n") + start
	_, err := parsePlanEdited(t, text[start:end], "")
	if err == nil || !strings.Contains(err.Error(), "team.dynamic_info") {
		t.Fatalf("err = %v, want the missing quota named", err)
	}
}

func TestLoadNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte("[bureau]\nname = \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path, nil)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want the file and line named", err)
	}
}

func TestEnvironmentOverridesMail(t *testing.T) {
	env := map[string]string{
		"BULLETIN_SMTP_HOST": "127.0.0.1", "BULLETIN_SMTP_PORT": "2525", "BULLETIN_SMTP_USER": "",
		"BULLETIN_SMTP_TLS": "none", "BULLETIN_MAIL_TO": "a@x.cn, b@x.cn", "BULLETIN_OPERATOR": "op@x.cn",
		"BULLETIN_SMTP_PASSWORD": "s3cret",
	}
	getenv := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	cfg, err := Load(repoConfig, getenv)
	if err != nil {
		t.Fatal(err)
	}
	m := cfg.Mail
	if m.Host != "127.0.0.1" || m.Port != 2525 || m.User != "" || m.TLS != "none" ||
		strings.Join(m.To, "|") != "a@x.cn|b@x.cn" || strings.Join(m.Operator, "|") != "op@x.cn" {
		t.Errorf("mail after env = %+v", m)
	}
	if pw, _ := Password(cfg, getenv); pw != "s3cret" {
		t.Errorf("password = %q", pw)
	}
}

// The mail settings are validated after the environment's overrides, and
// a bad one is named by its variable.
func TestEnvironmentIsValidated(t *testing.T) {
	tests := []struct{ variable, value, reason string }{
		{"BULLETIN_MAIL_TO", "", "至少要写一个收件人"},
		{"BULLETIN_MAIL_TO", "a@x.cn；b@x.cn", "不是电子邮件地址（多个地址要分开写，用英文逗号隔开）"},
		{"BULLETIN_OPERATOR", "综合科", "\"综合科\" 不是电子邮件地址"},
		{"BULLETIN_SMTP_HOST", "", "不能为空"},
		{"BULLETIN_SMTP_PORT", "http", "不是端口号"},
		{"BULLETIN_SMTP_PORT", "0", "不是端口号"},
		{"BULLETIN_SMTP_TLS", "ssl", "none、starttls 或 tls"},
	}
	for _, tt := range tests {
		t.Run(tt.variable+"="+tt.value, func(t *testing.T) {
			_, err := Load(repoConfig, func(k string) (string, bool) { return tt.value, k == tt.variable })
			checkProblem(t, err, tt.variable, tt.reason)
		})
	}
}

func TestPasswordFromFile(t *testing.T) {
	cfg, err := Load(repoConfig, nil)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(file, []byte("from-file\n"), 0o600)
	cfg.Mail.PasswordFile = file
	none := func(string) (string, bool) { return "", false }
	if pw, err := Password(cfg, none); err != nil || pw != "from-file" {
		t.Errorf("password = %q, %v", pw, err)
	}
}

func TestConfigSavedAsGBKIsNamed(t *testing.T) {
	text := readRepoConfig(t)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse([]byte(gbk), t.TempDir(), nil)
	if err == nil || !strings.Contains(err.Error(), "UTF-8") {
		t.Fatalf("err = %v, want the encoding named", err)
	}
}

func TestSemanticErrorNamesTheLine(t *testing.T) {
	text := readRepoPlan(t)
	bad := strings.Replace(text, "window = \"half\"", "window = \"halfyear\"", 1)
	_, err := parsePlanEdited(t, "window = \"half\"", "window = \"halfyear\"")
	want := 1 + strings.Count(bad[:strings.Index(bad, "window = \"halfyear\"")], "\n")
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("第%d行", want)) {
		t.Fatalf("err = %v, want line %d", err, want)
	}
}

// parseWithPlans parses the repository's config.toml as if it were in dir,
// with a plans folder holding files (none: no folder).
func parseWithPlans(t *testing.T, dir string, files map[string]string) (*report.Config, error) {
	t.Helper()
	text := readRepoConfig(t)
	root, _ := filepath.Abs("../..")
	text = strings.ReplaceAll(text, `"fonts/`, `"`+filepath.ToSlash(filepath.Join(root, "fonts"))+"/")
	text = strings.Replace(text, `templates = "templates"`, `templates = "`+filepath.ToSlash(filepath.Join(root, "templates"))+`"`, 1)
	if files != nil {
		os.Mkdir(filepath.Join(dir, "plans"), 0o755)
	}
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, "plans", name), []byte(body), 0o644)
	}
	return Parse([]byte(text), dir, nil)
}

// swapFirstQuotas is plan with its first two [[quotas]] tables swapped.
func swapFirstQuotas(t *testing.T, plan string) string {
	t.Helper()
	const table = "\n[[quotas]]\n"
	first := strings.Index(plan, table)
	second := first + 1 + strings.Index(plan[first+1:], table)
	third := second + 1 + strings.Index(plan[second+1:], table)
	if first < 0 || second <= first || third <= second {
		t.Fatal("the plan has fewer than three quotas")
	}
	return plan[:first] + plan[second:third] + plan[first:second] + plan[third:]
}

// A revision made during a year (2025-07.toml) is in force from its month
// on; the months before it stay under the year's plan.
func TestRevisionInForceFromItsMonth(t *testing.T) {
	plan := readRepoPlan(t)
	revised := func(name, target string) string {
		p := strings.Replace(plan, `name = "静安区城管执法系统2025年度执法监督工作方案"`, `name = "`+name+`"`, 1)
		return strings.Replace(p, "target = 0.10", target, 1)
	}
	cfg, err := parseWithPlans(t, t.TempDir(), map[string]string{"2025.toml": plan, "2025-10.toml": revised("2025年方案（10月修订）", "target = 0.125"),
		"2025-07.toml": revised("2025年方案（7月修订）", "target = 0.12"), "2026.toml": strings.ReplaceAll(plan, "2025", "2026")})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		month  report.Month
		name   string
		target float64
	}{
		{report.Month{Year: 2025, Month: time.January}, "静安区城管执法系统2025年度执法监督工作方案", 0.10},
		{report.Month{Year: 2025, Month: time.June}, "静安区城管执法系统2025年度执法监督工作方案", 0.10},
		{report.Month{Year: 2025, Month: time.July}, "2025年方案（7月修订）", 0.12},
		{report.Month{Year: 2025, Month: time.September}, "2025年方案（7月修订）", 0.12},
		{report.Month{Year: 2025, Month: time.October}, "2025年方案（10月修订）", 0.125},
		{report.Month{Year: 2025, Month: time.December}, "2025年方案（10月修订）", 0.125},
		{report.Month{Year: 2026, Month: time.January}, "静安区城管执法系统2026年度执法监督工作方案", 0.10},
		{report.Month{Year: 2026, Month: time.December}, "静安区城管执法系统2026年度执法监督工作方案", 0.10},
	} {
		in, err := cfg.ForMonth(tt.month)
		if err != nil {
			t.Fatal(err)
		}
		if in.Plan.Name != tt.name || in.Plan.Quotas[0].Target != tt.target {
			t.Errorf("%s: plan %q, target %v; want %q, %v", tt.month, in.Plan.Name, in.Plan.Quotas[0].Target, tt.name, tt.target)
		}
		if again, _ := in.ForMonth(tt.month); again != in {
			t.Errorf("%s: the plan in force is looked up again", tt.month)
		}
	}
	if _, err := cfg.ForMonth(report.Month{Year: 2027, Month: time.March}); err == nil || !strings.Contains(err.Error(), "可复制 2026.toml 改名为 2027.toml") {
		t.Errorf("2027: err = %v, want the latest plan's file as the model", err)
	}
}

// The plans folder holds one file a year, named by the year; anything else
// there, or no plan at all, stops the run naming the file or the folder.
func TestPlansFolder(t *testing.T) {
	plan := readRepoPlan(t)
	revised := strings.Replace(plan, `name = "静安区城管执法系统2025年度执法监督工作方案"`, `name = "静安区城管执法系统2025年度执法监督工作方案（7月修订）"`, 1)
	tests := []struct {
		name   string
		files  map[string]string
		reason string
	}{
		{"no folder", nil, "方案文件夹无法读取"},
		{"empty folder", map[string]string{"README.md": "说明"}, "方案文件夹里没有方案"},
		{"misnamed", map[string]string{"2025.toml": plan, "2026方案.toml": plan}, "方案文件要以年份命名"},
		{"last year's copy", map[string]string{"2025.toml": plan, "2026.toml": plan}, "里没有 2026"},
		{"revision from January", map[string]string{"2025.toml": plan, "2025-01.toml": plan}, "1月起执行的就是全年的方案：文件名写 2025.toml"},
		{"revision of no month", map[string]string{"2025.toml": plan, "2025-13.toml": plan}, "13 不是月份"},
		{"revision without its year", map[string]string{"2025-07.toml": plan}, "还要有 2025.toml"},
		{"revision adds a quota", map[string]string{"2025.toml": plan, "2025-07.toml": revised + "\n[[quotas]]\nid = \"lawful.case_sample_rate\"\n"}, "写了两次"},
		{"revision reorders the quotas", map[string]string{"2025.toml": plan, "2025-07.toml": swapFirstQuotas(t, revised)},
			"quotas[1] (lawful.squad_coverage_month).id，第"},
		{"revision changes a window", map[string]string{"2025.toml": plan,
			"2025-07.toml": strings.Replace(revised, "window = \"month\"\nfrequency = \"monthly\"", "window = \"month\"\nfrequency = \"quarterly\"", 1)},
			"quotas[1] (lawful.case_sample_rate).frequency，第"},
		{"revision moves a quota to another department", map[string]string{"2025.toml": plan,
			"2025-07.toml": strings.Replace(revised, `departments = ["案件审理科", "执法监督科", "拆违专班"]`, `departments = ["案件审理科"]`, 1)},
			"年中修订只能改指标的目标比例 target、数量下限 min_count、按时报送日 due_day 和 [evaluation] 里的数字。这一项请改回与 2025.toml 相同：“案件审理科、执法监督科、拆违专班”；确需改动的，留到下一年的方案"},
		{"revision under the year's name", map[string]string{"2025.toml": plan, "2025-07.toml": plan},
			"与 2025.toml 的方案名称相同：修订后的方案要写自己的全称，如 静安区城管执法系统2025年度执法监督工作方案（7月修订）"},
		{"revision's month in one digit", map[string]string{"2025.toml": plan, "2025-7.toml": revised}, "月份写两位数，如 2026-07.toml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			_, err := parseWithPlans(t, dir, tt.files)
			if err == nil || !strings.Contains(err.Error(), tt.reason) || !strings.Contains(err.Error(), filepath.Join(dir, "plans")) {
				t.Errorf("err = %v, want %q naming the folder or file", err, tt.reason)
			}
		})
	}
	cfg, err := parseWithPlans(t, t.TempDir(), map[string]string{"2025.toml": plan})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cfg.ForMonth(report.Month{Year: 2026, Month: time.March})
	if err == nil || !strings.Contains(err.Error(), "没有2026年的执法监督工作方案") || !strings.Contains(err.Error(), "可复制 2025.toml 改名为 2026.toml") {
		t.Errorf("err = %v, want the file to add and how", err)
	}
}
