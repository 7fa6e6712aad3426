package config

import (
	"fmt"
	"maps"
	"math"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"bulletin/report"
)

// problem is a validation failure at a config key.
func problem(key, format string, args ...any) error {
	return &report.Error{Kind: report.KindConfig, Where: key, Err: fmt.Errorf(format, args...)}
}

// validate checks cfg; env names the variable that set each key of [mail]
// the environment overrode.
func validate(cfg *report.Config, env map[string]string) error {
	checks := []func(*report.Config) error{
		validateBureau, validateOrganisation, validateItems, validateDatasets, validateValues, validateFiles,
		validateDelivery, func(cfg *report.Config) error { return validateMail(&cfg.Mail, env) }, validateConsole,
	}
	for _, check := range checks {
		if err := check(cfg); err != nil {
			return err
		}
	}
	return nil
}

func validateBureau(cfg *report.Config) error {
	b := &cfg.Bureau
	names := map[string]string{"bureau.name": b.Name, "bureau.short_name": b.ShortName, "bureau.bulletin_name": b.BulletinName}
	for _, key := range slices.Sorted(maps.Keys(names)) {
		v := names[key]
		if strings.TrimSpace(v) == "" {
			return problem(key, "不能为空")
		}
	}
	if b.TimeZone == "" {
		b.TimeZone = "Asia/Shanghai"
	}
	loc, err := time.LoadLocation(b.TimeZone)
	if err != nil {
		return problem("bureau.time_zone", "%q 不是可识别的时区（应写 Asia/Shanghai）", b.TimeZone)
	}
	cfg.Location = loc
	switch b.IssueNumbering {
	case "month", "":
		b.IssueNumbering = "month"
	case "running":
		if b.FirstIssue < 1 {
			return problem("bureau.first_issue", "issue_numbering 为 \"running\" 时，起始期号至少为 1")
		}
		if _, err := report.ParseMonth(b.FirstIssueMonth); err != nil {
			return problem("bureau.first_issue_month", "%v", err)
		}
	default:
		return problem("bureau.issue_numbering", "%q 只能是 \"month\" 或 \"running\"", b.IssueNumbering)
	}
	return nil
}

// validateOrganisation checks squads and departments: names present and
// unique, and no spelling that would map to two of them.
func validateOrganisation(cfg *report.Config) error {
	if len(cfg.Squads) == 0 {
		return problem("squads", "至少要有一个中队")
	}
	spellings := map[string]string{}
	names := map[string]bool{}
	for i, s := range cfg.Squads {
		key := fmt.Sprintf("squads[%d]", i+1)
		if strings.TrimSpace(s.Name) == "" {
			return problem(key+".name", "不能为空")
		}
		if err := spaced(key, s.Name, s.Aliases); err != nil {
			return err
		}
		if names[s.Name] {
			return problem(key+".name", "中队 %q 写了两次", s.Name)
		}
		names[s.Name] = true
		for _, form := range append(report.SquadForms(s.Name, cfg.Bureau), s.Aliases...) {
			if other, ok := spellings[report.Fold(form)]; ok && other != s.Name {
				return problem(key, "写法 %q 同时指向 %s 和 %s，请删去其中一个别称", form, other, s.Name)
			}
			spellings[report.Fold(form)] = s.Name
		}
	}
	if len(cfg.CountedSquads()) == 0 {
		return problem("squads", "所有中队都设了 not_counted，覆盖率没有分母")
	}
	if len(cfg.Departments) == 0 {
		return problem("departments", "至少要有一个科室")
	}
	return uniqueSpellings("departments", len(cfg.Departments), func(i int) (string, []string) {
		return cfg.Departments[i].Name, cfg.Departments[i].Aliases
	})
}

// uniqueSpellings checks that names are present and that no name or alias
// belongs to two entries of a section.
func uniqueSpellings(section string, n int, entry func(int) (string, []string)) error {
	seen := map[string]string{}
	for i := range n {
		name, aliases := entry(i)
		key := fmt.Sprintf("%s[%d]", section, i+1)
		if strings.TrimSpace(name) == "" {
			return problem(key+".name", "不能为空")
		}
		if err := spaced(key, name, aliases); err != nil {
			return err
		}
		for _, a := range append([]string{name}, aliases...) {
			if other, ok := seen[report.Fold(a)]; ok && other != name {
				return problem(key, "名称 %q 同时用于 %s 和 %s", a, other, name)
			} else if ok {
				return problem(key, "%q 出现了两次", a)
			}
			seen[report.Fold(a)] = name
		}
	}
	return nil
}

// spaced refuses a name or alias of entry key written with spaces around
// it: the records' names are matched against it and the forms made from it
// (石门二路 of 石门二路中队), and with the spaces some would not match.
func spaced(key, name string, aliases []string) error {
	for i, n := range append([]string{name}, aliases...) {
		if n != strings.TrimSpace(n) {
			field := ".aliases"
			if i == 0 {
				field = ".name"
			}
			return problem(key+field, "%q 名称前后有空格：请删去引号里的空格，写成 %q", n, strings.TrimSpace(n))
		}
	}
	return nil
}

func isDepartment(cfg *report.Config, name string) bool {
	for _, d := range cfg.Departments {
		if d.Name == name {
			return true
		}
	}
	return false
}

// checkDepartments requires a non-empty list of configured departments (or
// the squads themselves, 各中队).
func checkDepartments(cfg *report.Config, key string, names []string) error {
	if len(names) == 0 {
		return problem(key, "至少要写一个责任科室")
	}
	for _, d := range names {
		if d != report.SquadsGroup && !isDepartment(cfg, d) {
			return problem(key, "%q 不是 [[departments]] 里列出的科室（也不是“%s”）", d, report.SquadsGroup)
		}
	}
	return nil
}

func validateItems(cfg *report.Config) error {
	if len(cfg.Items) == 0 {
		return problem("items", "至少要有一个监督事项")
	}
	if err := uniqueSpellings("items", len(cfg.Items), func(i int) (string, []string) {
		return cfg.Items[i].Name, cfg.Items[i].Aliases
	}); err != nil {
		return err
	}
	for i, it := range cfg.Items {
		key := fmt.Sprintf("items[%d] (%s)", i+1, it.Name)
		if err := checkDepartments(cfg, key+".departments", it.Departments); err != nil {
			return err
		}
		if (it.SelfInspection == "") != (it.SelfInspectionMatter == "") {
			return problem(key, "self_inspection 和 self_inspection_matter 要么都写，要么都不写")
		}
	}
	return nil
}

func isItem(cfg *report.Config, name string) bool {
	for _, it := range cfg.Items {
		if it.Name == name {
			return true
		}
	}
	return false
}

// quotaNeeds lists the settings beyond the common ones that each quota's
// formula (report/metrics) reads. No other quota may write them:
// report/compose words a quota by the settings it has (a matter makes it a
// meeting held, a min_count a number of checks), so a stray one would print
// a target the figure was not computed against.
var quotaNeeds = map[string]struct{ minCount, matter, dueDay bool }{
	report.QuotaAnnualPerSquad:    {minCount: true},
	report.QuotaDisclosureChecked: {minCount: true},
	report.QuotaReviewMeeting:     {matter: true},
	report.QuotaCentralizedReview: {matter: true},
	report.QuotaTeamDynamicInfo:   {matter: true},
	report.QuotaSummaryOnTime:     {matter: true, dueDay: true},
}

// fixedWindows are the windows the formulas of report/metrics state for
// their quotas (本半年至今, 本年至今): counted over another, the figure
// would contradict what explain says was counted.
var fixedWindows = map[string]string{
	report.QuotaLawfulCoverageHalf: report.WindowHalf, report.QuotaCentralizedReview: report.WindowHalf,
	report.QuotaDisclosureCoverageHalf: report.WindowHalf, report.QuotaRecordingCoverageHalf: report.WindowHalf,
	report.QuotaAccountabilityHalf: report.WindowHalf, report.QuotaEffectivenessHalf: report.WindowHalf,
	report.QuotaTeamCoverageHalf: report.WindowHalf, report.QuotaAnnualPerSquad: report.WindowYear,
}

var windowWords = map[string]string{report.WindowHalf: "半年（本半年至今）", report.WindowYear: "全年（本年至今）"}

// validatePlan checks one year's plan against the organisation of cfg;
// written are the keys each of its quotas writes, in order.
func validatePlan(cfg *report.Config, p *report.Plan, written []map[string]any) error {
	switch name := strings.TrimSpace(p.Name); {
	case name == "":
		return problem("name", "不能为空：写方案的全称，如 静安区城管执法系统%d年度执法监督工作方案（不加书名号）", p.Year)
	case !strings.Contains(name, strconv.Itoa(p.Year)):
		return problem("name", "%q 里没有 %d：这是 %d 年的方案文件，名称要写当年方案的全称", name, p.Year, p.Year)
	}
	if err := validateQuotas(cfg, p.Quotas, written); err != nil {
		return err
	}
	return validateEvaluation(p.Evaluation)
}

func validateQuotas(cfg *report.Config, quotas []report.Quota, written []map[string]any) error {
	known := map[string]bool{}
	for _, id := range report.QuotaIDs {
		known[id] = true
	}
	seen := map[string]bool{}
	for i, q := range quotas {
		key := fmt.Sprintf("quotas[%d] (%s)", i+1, q.ID)
		switch {
		case !known[q.ID]:
			return problem(key+".id", "%q 不是方案里的指标编号（编号不要改）；可用的编号：%s", q.ID, strings.Join(report.QuotaIDs, ", "))
		case seen[q.ID]:
			return problem(key+".id", "%q 写了两次", q.ID)
		case strings.TrimSpace(q.Name) == "":
			return problem(key+".name", "不能为空：这是月报里对该指标的称呼")
		case !isItem(cfg, q.Item):
			return problem(key+".item", "%q 不是 [[items]] 里列出的监督事项", q.Item)
		case written[i]["target"] == nil: // left out, it would decode as 0: always met
			return problem(key+".target", "缺少目标比例：请在这一段写上，如 target = 1.0（全部）或 target = 0.10（10%%）")
		case math.IsNaN(q.Target) || q.Target < 0 || q.Target > 1:
			return problem(key+".target", "%v 超出 0～1：比例要写成小数，10%% 写 0.10，100%% 写 1.0", q.Target)
		case q.Target == 0:
			return problem(key+".target", "要大于 0：目标为 0 的指标永远算完成；比例要写成小数，如 target = 1.0（全部）或 target = 0.10（10%%）")
		case q.Window != report.WindowMonth && q.Window != report.WindowHalf && q.Window != report.WindowYear:
			return problem(key+".window", "%q 只能是 month（当月）、half（半年）或 year（全年）", q.Window)
		case fixedWindows[q.ID] != "" && q.Window != fixedWindows[q.ID]:
			return problem(key+".window", "这个指标按%s计算，window 只能写 %q", windowWords[fixedWindows[q.ID]], fixedWindows[q.ID])
		case q.Frequency != report.Monthly && q.Frequency != report.Quarterly:
			return problem(key+".frequency", "%q 只能是 monthly（每月）或 quarterly（每季度）", q.Frequency)
		case q.Frequency == report.Quarterly && q.Window != report.WindowMonth:
			return problem(key+".frequency", "只有 window = \"month\" 的指标才能按季度考核")
		case q.MinCount < 0:
			return problem(key+".min_count", "不能是负数")
		}
		if err := checkDepartments(cfg, key+".departments", q.Departments); err != nil {
			return err
		}
		needs := quotaNeeds[q.ID]
		for _, f := range []struct {
			key  string
			used bool
		}{{"min_count", needs.minCount}, {"matter", needs.matter}, {"due_day", needs.dueDay}} {
			if !f.used && written[i][f.key] != nil {
				return problem(key+"."+f.key, "这个指标不用 %s，请删去这一行：它不计入这个指标的计算，写了只会让月报对这个指标的说法与数字不符", f.key)
			}
		}
		switch {
		case needs.minCount && q.MinCount < 1:
			return problem(key+".min_count", "这个指标需要 min_count（数量下限），至少为 1")
		case needs.matter && strings.TrimSpace(q.Matter) == "":
			return problem(key+".matter", "这个指标需要 matter：工作台账里对应的“事项”名称")
		case needs.dueDay && (q.DueDay < 1 || q.DueDay > 28):
			return problem(key+".due_day", "%d 应是 1 到 28 之间的日期", q.DueDay)
		}
		seen[q.ID] = true
	}
	for _, id := range report.QuotaIDs {
		if !seen[id] {
			return problem("quotas", "缺少指标 %q：方案里的每个指标都要配置", id)
		}
	}
	return nil
}

func validateEvaluation(e report.Evaluation) error {
	weights := map[string]float64{
		"evaluation.pass_rate": e.PassRate, "evaluation.rectification_on_time": e.RectificationOnTime,
		"evaluation.weekly_records": e.WeeklyRecords, "evaluation.complaint_duty": e.ComplaintDuty,
		"evaluation.abnormal_cases": e.AbnormalCases,
	}
	sum := 0.0
	for _, key := range slices.Sorted(maps.Keys(weights)) {
		w := weights[key]
		if w < 0 || math.IsNaN(w) {
			return problem(key, "权重不能是负数")
		}
		sum += w
	}
	if math.Abs(sum-100) > 1e-9 {
		return problem("evaluation", "五项权重合计 %g，应当合计 100", sum)
	}
	if !(e.AbnormalZeroPointsAt > 0) {
		return problem("evaluation.abnormal_zero_points_at", "必须大于 0")
	}
	return nil
}

func validateDatasets(cfg *report.Config) error {
	for _, name := range slices.Sorted(maps.Keys(cfg.Datasets)) {
		if _, ok := report.Columns[name]; !ok {
			return problem("datasets."+name, "%q 不是数据约定里的数据集（%s）", name, strings.Join(report.DatasetNames, ", "))
		}
	}
	for _, name := range report.DatasetNames {
		ds, ok := cfg.Datasets[name]
		key := "datasets." + name
		if !ok {
			return problem(key, "缺少这一节：每个导出数据集都要有自己的一节")
		}
		if len(ds.Files) == 0 {
			return problem(key+".files", "至少要写一个文件名开头")
		}
		canonical := map[string]bool{}
		for _, c := range report.Columns[name] {
			canonical[c.Name] = true
		}
		spelled := map[string]string{}
		for _, col := range slices.Sorted(maps.Keys(ds.Columns)) {
			aliases := ds.Columns[col]
			if !canonical[col] {
				return problem(key+".columns", "%q 不是数据约定里 %s 的列（左边必须是标准列名，其他叫法写在右边的方括号里）", col, name)
			}
			for _, a := range append([]string{col}, aliases...) {
				if other, ok := spelled[report.Fold(a)]; ok && other != col {
					return problem(key+".columns", "列名 %q 同时指向 %s 和 %s", a, other, col)
				}
				spelled[report.Fold(a)] = col
			}
		}
	}
	return nil
}

// requiredValues are the canonical values the code relies on. They are
// the only ones of their table but for complaint_type, whose every type
// is counted as written: a new verdict (良好) would count in no figure.
var requiredValues = map[string][]string{
	report.ValuesSampleKind:    {string(report.CaseFile), string(report.AudioVideo)},
	report.ValuesVerdict:       {report.Pass, report.PartialPass, report.Fail},
	report.ValuesRectification: {report.Rectified, report.InProgress, report.NotRectified},
	report.ValuesFinding:       {report.DutyDone, report.DutyFailed},
	report.ValuesComplaintType: {"投诉", "信访", "领导批示件", "媒体曝光件", "环保督察件"},
}

func validateValues(cfg *report.Config) error {
	for _, key := range slices.Sorted(maps.Keys(cfg.Values)) {
		if _, ok := requiredValues[key]; !ok && key != report.ValuesMethod {
			return problem("values."+key, "不认识的取值表；可用：sample_kind、complaint_type、verdict、rectification、finding、method")
		}
	}
	for _, key := range slices.Sorted(maps.Keys(requiredValues)) {
		values := requiredValues[key]
		for _, canonical := range slices.Sorted(maps.Keys(cfg.Values[key])) {
			if key != report.ValuesComplaintType && !slices.Contains(values, canonical) {
				return problem("values."+key, "%q 不是标准取值：标准取值只有 %s，数字只按这几个计算；%q 要写成其中一个的别称，如 %q = [%q]",
					canonical, strings.Join(values, "、"), canonical, values[0], canonical)
			}
		}
		if cfg.Values == nil {
			cfg.Values = map[string]report.ValueAliases{}
		}
		if cfg.Values[key] == nil {
			cfg.Values[key] = report.ValueAliases{}
		}
		for _, v := range values {
			if _, ok := cfg.Values[key][v]; !ok {
				cfg.Values[key][v] = nil // the canonical spelling alone
			}
		}
		seen := map[string]string{}
		for _, canonical := range slices.Sorted(maps.Keys(cfg.Values[key])) {
			aliases := cfg.Values[key][canonical]
			for _, a := range append([]string{canonical}, aliases...) {
				if other, ok := seen[report.Fold(a)]; ok && other != canonical {
					return problem("values."+key, "%q 同时指向 %s 和 %s", a, other, canonical)
				}
				seen[report.Fold(a)] = canonical
			}
		}
	}
	return nil
}

// validateFiles resolves the font and template paths and checks they exist,
// so a typo stops the run before hours of work, not at the last step.
func validateFiles(cfg *report.Config) error {
	fonts := map[string]*string{
		"fonts.title": &cfg.Fonts.Title, "fonts.heading": &cfg.Fonts.Heading,
		"fonts.subheading": &cfg.Fonts.Subheading, "fonts.body": &cfg.Fonts.Body,
	}
	for _, key := range slices.Sorted(maps.Keys(fonts)) {
		p := fonts[key]
		if *p == "" {
			return problem(key, "要写一个 .ttf 字体文件")
		}
		if ext := strings.ToLower(filepath.Ext(*p)); ext != ".ttf" {
			return problem(key, "%q：只能用 TrueType .ttf 文件（不能用 .ttc 或 .otf）", *p)
		}
		*p = Path(cfg, *p)
		if _, err := os.Stat(*p); err != nil {
			return problem(key, "字体文件 %s 无法读取：%v", *p, err)
		}
	}
	if cfg.Templates == "" {
		cfg.Templates = "templates"
	}
	cfg.Templates = Path(cfg, cfg.Templates)
	if fi, err := os.Stat(cfg.Templates); err != nil || !fi.IsDir() {
		return problem("templates", "%s 不是模板文件夹", cfg.Templates)
	}
	return nil
}

// Limits of [delivery] and [mail] (see docs/deployment.md).
const (
	// maxCatchUpDays: a machine off for more than a year needs a person.
	maxCatchUpDays = 366
	// shortestPeriodDays is the shortest month: a review window must end
	// before the next period's opens.
	shortestPeriodDays = 28
	// maxAttempts keeps the doubling backoff within hours, not days.
	maxAttempts = 10
	maxBackoff  = 10 * time.Minute
)

// cronParser reads the five-field expressions of [delivery].
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)

// ParseSchedule parses a cron expression of [delivery] into a Schedule that
// fires in loc. It refuses an expression that never fires (30 February).
func ParseSchedule(spec string, loc *time.Location) (report.Schedule, error) {
	parsed, err := cronParser.Parse(spec)
	if err != nil {
		return report.Schedule{}, fmt.Errorf("%q 不是有效的时间表，应写成 \"0 8 1 * *\"（分 时 日 月 星期）：%v", spec, err)
	}
	s := report.Schedule{Spec: spec, Next: func(t time.Time) time.Time { return parsed.Next(t.In(loc)) }}
	if s.Next(time.Date(2000, 1, 1, 0, 0, 0, 0, loc)).IsZero() {
		return report.Schedule{}, fmt.Errorf("%q 永远不会到期（没有这样的日期）", spec)
	}
	return s, nil
}

// firings marks the months of the years 2024–2027, a leap year and three
// others, in which s fires.
func firings(s report.Schedule, loc *time.Location) [4][12]bool {
	const first = 2024
	var fired [4][12]bool
	end := time.Date(first+len(fired), 1, 1, 0, 0, 0, 0, loc)
	// From each firing on to the next month: a schedule of every minute
	// is not walked minute by minute.
	for t := s.Next(time.Date(first, 1, 1, 0, 0, 0, 0, loc).Add(-time.Second)); !t.IsZero() && t.Before(end); {
		fired[t.Year()-first][t.Month()-1] = true
		t = s.Next(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, loc).Add(-time.Second))
	}
	return fired
}

func validateDelivery(cfg *report.Config) error {
	d := &cfg.Delivery
	// Delivery is keyed by period, so a schedule may fire more than once in
	// a period (every day, say): only its first firing makes it due.
	schedules := map[string]*report.Schedule{"delivery.monthly": &d.Monthly, "delivery.halfyear": &d.HalfYear}
	for _, key := range slices.Sorted(maps.Keys(schedules)) {
		s := schedules[key]
		parsed, err := ParseSchedule(s.Spec, cfg.Location)
		if err != nil {
			return problem(key, "%v", err)
		}
		*s = parsed
	}
	// A period in which no firing falls is never due: it is neither
	// delivered nor reported missed.
	fired := firings(d.Monthly, cfg.Location)
	var months []string
	for m := range 12 {
		missed := 0
		for _, year := range fired {
			if !year[m] {
				missed++
			}
		}
		switch {
		case missed == len(fired):
			months = append(months, fmt.Sprintf("%d月", m+1))
		case missed > 0:
			months = append(months, fmt.Sprintf("%d月（有的年份）", m+1))
		}
	}
	if len(months) > 0 {
		return problem("delivery.monthly", "%q 在%s不会到期：这些月份的月报不会报送，也不会提示错过；应写成每个月都有的日子，如 \"0 8 1 * *\"（每月1日8:00）",
			d.Monthly.Spec, strings.Join(months, "、"))
	}
	fired = firings(d.HalfYear, cfg.Location)
	for _, year := range fired {
		for h, half := range []string{"上半年（1～6月）", "下半年（7～12月）"} {
			if !slices.Contains(year[6*h:6*h+6], true) {
				return problem("delivery.halfyear", "%q 在%s不会到期：那半年到期的自查报告不会报送，也不会提示错过；上半年、下半年要各有一天，如 \"0 8 5 1,7 *\"（1月5日、7月5日8:00）",
					d.HalfYear.Spec, half)
			}
		}
	}
	switch {
	case d.CatchUpDays < 0 || d.CatchUpDays > maxCatchUpDays:
		return problem("delivery.catch_up_days", "%d 超出 0～%d 天：停机超过一年错过的报送，请人工逐期报送", d.CatchUpDays, maxCatchUpDays)
	case d.ReviewDays < 0 || d.ReviewDays >= shortestPeriodDays:
		return problem("delivery.review_days", "%d 超出 0～%d 天：审阅期要短于一个月，否则上一期还没报送，下一期的审阅稿就来了", d.ReviewDays, shortestPeriodDays-1)
	case math.IsNaN(d.MaxRejectedShare) || d.MaxRejectedShare < 0 || d.MaxRejectedShare > 1:
		return problem("delivery.max_rejected_share", "%v 超出 0～1：比例要写成小数，5%% 写 0.05", d.MaxRejectedShare)
	}
	return nil
}

func validateConsole(cfg *report.Config) error {
	c := &cfg.Console
	if (c.Cert == "") != (c.Key == "") {
		return problem("console.cert", "证书（cert）和私钥（key）要一起写，或都不写")
	}
	for _, f := range []struct {
		key  string
		path *string
	}{{"console.cert", &c.Cert}, {"console.key", &c.Key}} {
		if *f.path == "" {
			continue
		}
		*f.path = Path(cfg, *f.path)
		if _, err := os.Stat(*f.path); err != nil {
			return problem(f.key, "文件 %s 无法读取：%v", *f.path, err)
		}
	}
	if c.MaxUploadMB < 0 || c.MaxUploadMB > 2048 {
		return problem("console.max_upload_mb", "%d 超出 0～2048（MB；0 表示默认的 100）", c.MaxUploadMB)
	}
	return nil
}

// validateMail checks the mail settings; a setting the environment
// overrode is named by its variable (env).
func validateMail(m *report.Mail, env map[string]string) error {
	key := func(k string) string {
		if v, ok := env[k]; ok {
			return envWhere(v, k)
		}
		return k
	}
	if strings.TrimSpace(m.Host) == "" {
		return problem(key("mail.host"), "不能为空：写发信服务器的地址，如 smtp.example.gov.cn")
	}
	if err := checkTLS(m.TLS); err != nil {
		return problem(key("mail.tls"), "%v", err)
	}
	if m.Port < 1 || m.Port > 65535 {
		return problem(key("mail.port"), "%d 不是端口号（1～65535）", m.Port)
	}
	if len(m.To) == 0 {
		return problem(key("mail.to"), "至少要写一个收件人的电子邮件地址，多个用英文逗号隔开")
	}
	if m.Attempts < 1 || m.Attempts > maxAttempts {
		return problem("mail.attempts", "%d 超出 1～%d 次", m.Attempts, maxAttempts)
	}
	if m.MaxBytes < 1 {
		return problem("mail.max_bytes", "必须大于 0")
	}
	if m.Backoff <= 0 || time.Duration(m.Backoff) > maxBackoff {
		return problem("mail.backoff", "%v 不合适：第一次重试前等待的时长要大于 0、不超过 %v，应写成 30s（30秒）或 1m（1分钟）", m.Backoff, maxBackoff)
	}
	for _, f := range []struct {
		key  string
		list []string
	}{{"mail.from", []string{m.From}}, {"mail.to", m.To}, {"mail.cc", m.Cc}, {"mail.bcc", m.Bcc}, {"mail.operator", m.Operator}} {
		for _, a := range f.list {
			if _, err := mail.ParseAddress(a); err != nil {
				return problem(key(f.key), "%q 不是电子邮件地址（多个地址要分开写，用英文逗号隔开）", a)
			}
		}
	}
	return nil
}

// validateRevision checks that rev, a revision of base made during its
// year, has a name of its own and changes only numbers: the quotas'
// targets, minimums and due days, and the evaluation's. The months of a
// year are judged each under the plan in force then, and restated, summed
// over a half and compared quota by quota: a quota added, dropped or
// measured otherwise halfway through would not add up. Such a change waits
// for the next year's plan.
func validateRevision(base, rev *report.Plan) error {
	if strings.TrimSpace(rev.Name) == strings.TrimSpace(base.Name) {
		return problem("name", "与 %s 的方案名称相同：修订后的方案要写自己的全称，如 %s（%d月修订），月报和自查报告引用时才分得清", base.FileName(), base.Name, int(rev.From.Month))
	}
	fixed := "年中修订只能改指标的目标比例 target、数量下限 min_count、按时报送日 due_day 和 [evaluation] 里的数字。这一项请改回与 " + base.FileName() + " 相同："
	for i, q := range rev.Quotas { // both list every quota once (validateQuotas)
		b := base.Quotas[i]
		key := fmt.Sprintf("quotas[%d] (%s)", i+1, q.ID)
		for _, f := range []struct {
			key     string
			was, is any
		}{
			{"id", b.ID, q.ID}, {"name", b.Name, q.Name}, {"item", b.Item, q.Item}, {"departments", b.Departments, q.Departments},
			{"window", b.Window, q.Window}, {"frequency", b.Frequency, q.Frequency}, {"matter", b.Matter, q.Matter},
		} {
			if !reflect.DeepEqual(f.was, f.is) {
				was := fmt.Sprint(f.was)
				if list, ok := f.was.([]string); ok {
					was = strings.Join(list, "、")
				}
				return problem(key+"."+f.key, "%s“%s”；确需改动的，留到下一年的方案（各段 [[quotas]] 的先后顺序也不要调整）", fixed, was)
			}
		}
	}
	return nil
}
