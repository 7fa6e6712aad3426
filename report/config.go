package report

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Config is the organisation, read from config.toml, and the plan of each
// year, read from the plans folder beside it, by package report/config,
// which also validates them. Every number of a plan lives here, never in
// code.
type Config struct {
	Bureau       Bureau       `toml:"bureau"`
	Distribution Distribution `toml:"distribution"`
	Squads       []Squad      `toml:"squads"`
	Departments  []Department `toml:"departments"`
	Items        []Item       `toml:"items"`
	// PlansDir is the folder of the plans, one file a year (2025.toml).
	PlansDir string `toml:"plans"`
	// Plans are the yearly plans and their revisions, in the order they
	// came into force.
	Plans []Plan `toml:"-"`
	// Plan is the plan in force: the one of the month a report is computed
	// for, chosen with ForMonth (Year 0 until then).
	Plan      Plan                     `toml:"-"`
	Datasets  map[string]DatasetConfig `toml:"datasets"`
	Values    map[string]ValueAliases  `toml:"values"`
	Fonts     Fonts                    `toml:"fonts"`
	Templates string                   `toml:"templates"` // folder of the wording templates
	Delivery  Delivery                 `toml:"delivery"`
	Mail      Mail                     `toml:"mail"`
	Console   Console                  `toml:"console"`

	// Location is TimeZone loaded; set by the loader.
	Location *time.Location `toml:"-"`
	// Dir is the folder of config.toml; relative paths in it are resolved
	// against it by the loader.
	Dir string `toml:"-"`
	// File is the path config.toml was read from; set by the loader.
	File string `toml:"-"`
}

// Plan is one year's supervision plan (年度执法监督工作方案): its quotas'
// numbers and the weights of the squad evaluation. A report for a month is
// computed under the plan in force in that month: its year's plan, or a
// revision of it made during the year.
type Plan struct {
	Year int `toml:"-"` // from the file name, 2025.toml
	// From is the first month the plan is in force: January of its year,
	// or the month a revision names (2025-07.toml). A revision changes
	// only numbers (targets, minimums, due days, the evaluation's): the
	// months before it keep the figures they were issued with.
	From Month `toml:"-"`
	// Name is the plan's title as the documents cite it, without 《》:
	// 静安区城管执法系统2025年度执法监督工作方案.
	Name       string     `toml:"name"`
	Quotas     []Quota    `toml:"quotas"`
	Evaluation Evaluation `toml:"evaluation"`
	File       string     `toml:"-"` // where it was read from
}

// ForMonth returns the configuration with the plan in force in m (c
// itself when it already is): the plan of m's year, or the latest revision
// of it begun by m. A year without its plan is an error telling the clerk
// which file to add. The plan's quotas are copied: a caller may change them.
func (c *Config) ForMonth(m Month) (*Config, error) {
	var in *Plan
	for i := range c.Plans {
		if p := &c.Plans[i]; p.Year == m.Year && p.From.Compare(m) <= 0 && (in == nil || p.From.Compare(in.From) > 0) {
			in = p
		}
	}
	switch {
	case in == nil && c.Plan.Year == m.Year && len(c.Plans) == 0: // a configuration made in code, with one plan
		return c, nil
	case in == nil:
		return nil, c.noPlan(m.Year)
	case in.Year == c.Plan.Year && in.From == c.Plan.From:
		return c, nil
	}
	with := *c
	with.Plan = *in
	with.Plan.Quotas = slices.Clone(in.Quotas)
	return &with, nil
}

// FileName is the name of the plan's file in the plans folder: 2025.toml,
// or for a revision 2025-07.toml.
func (p Plan) FileName() string {
	if p.From.Month > time.January {
		return p.From.String() + ".toml"
	}
	return fmt.Sprintf("%d.toml", p.Year)
}

// noPlan is the error of a year without its plan, saying which file to add.
func (c *Config) noPlan(year int) error {
	dir := c.PlansDir
	if dir == "" {
		dir = "plans"
	}
	model := ""
	if n := len(c.Plans); n > 0 {
		model = fmt.Sprintf("（可复制 %s 改名为 %d.toml，再按%d年方案改写方案名称和指标）", c.Plans[n-1].FileName(), year, year)
	}
	return &Error{Kind: KindConfig, Where: dir,
		Err: fmt.Errorf("没有%d年的执法监督工作方案：请在方案文件夹 %s 里添加 %d.toml%s，然后运行 bulletin check --month 加有数据的最近一个月（如 %d-12）检查：列出的方案里有%d年的，就是读入了",
			year, dir, year, model, year-1, year)}
}

// Bureau names the issuing office and the bulletin.
type Bureau struct {
	Name         string `toml:"name"`          // 上海市静安区城市管理行政执法局
	ShortName    string `toml:"short_name"`    // 静安区城管执法局, used in report titles
	BulletinName string `toml:"bulletin_name"` // 静安城市管理执法工作月报
	TimeZone     string `toml:"time_zone"`     // Asia/Shanghai
	// IssueNumbering is "month" (第5期 for May) or "running": the issue
	// number counts on from FirstIssue given for FirstIssueMonth.
	IssueNumbering  string `toml:"issue_numbering"`
	FirstIssue      int    `toml:"first_issue"`
	FirstIssueMonth string `toml:"first_issue_month"`
}

// Distribution is the 版记 of the bulletin and the addressee of the
// self-inspection reports.
type Distribution struct {
	ReportTo       []string `toml:"report_to"`       // 报
	CopyTo         []string `toml:"copy_to"`         // 送
	IssueTo        []string `toml:"issue_to"`        // 发
	SelfInspection string   `toml:"self_inspection"` // 主送 of the 自查报告
	PrintedBy      string   `toml:"printed_by"`      // 印发 office in the 版记
}

// Squad is a 中队. Aliases add to the name forms derived automatically
// (江宁路, 江宁路中队, 江宁路街道中队, 江宁路街道, <bureau>江宁路中队).
type Squad struct {
	Name    string   `toml:"name"`
	Aliases []string `toml:"aliases"`
	// NotCounted excludes the squad from coverage denominators.
	NotCounted bool `toml:"not_counted"`
}

// Department is a 区局科室.
type Department struct {
	Name    string   `toml:"name"`
	Aliases []string `toml:"aliases"`
}

// Item is a supervision item (监督事项).
type Item struct {
	Name        string   `toml:"name"`
	Aliases     []string `toml:"aliases"`
	Departments []string `toml:"departments"`
	// SelfInspection is the full name used in the half-year self-inspection
	// report title (行政执法公示制度); empty when the plan asks for none.
	SelfInspection string `toml:"self_inspection"`
	// SelfInspectionMatter is the 工作台账 matter recording the report's
	// submission, e.g. 自查报告（公示制度）.
	SelfInspectionMatter string `toml:"self_inspection_matter"`
}

// Quota windows and frequencies.
const (
	WindowMonth = "month"
	WindowHalf  = "half"
	WindowYear  = "year"

	Monthly   = "monthly"
	Quarterly = "quarterly"
)

// Quota is one quota of rules.md. The formula belongs to the id (code);
// the numbers belong here.
type Quota struct {
	ID          string   `toml:"id"`
	Name        string   `toml:"name"` // how the bulletin calls it: 案卷抽查率
	Item        string   `toml:"item"`
	Departments []string `toml:"departments"`
	// Target is a share in 0..1: a rate, a coverage, or the share of squads
	// that must meet a per-squad minimum (1 = every squad).
	Target    float64 `toml:"target"`
	Window    string  `toml:"window"`    // month, half or year
	Frequency string  `toml:"frequency"` // monthly or quarterly
	// MinCount is the per-squad or per-period minimum of count quotas:
	// lawful.annual_per_squad (10 case files a squad a year),
	// disclosure.checked_month (1 inspection a month).
	MinCount int `toml:"min_count"`
	// Matter is the 工作台账 matter of held/submitted quotas.
	Matter string `toml:"matter"`
	// DueDay is the day of the month by which a submission is on time
	// (effectiveness.summary_on_time: the 5th).
	DueDay int `toml:"due_day"`
}

// Evaluation holds the weights of the squad evaluation (中队评价); they add
// up to 100.
type Evaluation struct {
	PassRate             float64 `toml:"pass_rate"`
	RectificationOnTime  float64 `toml:"rectification_on_time"`
	WeeklyRecords        float64 `toml:"weekly_records"`
	ComplaintDuty        float64 `toml:"complaint_duty"`
	AbnormalCases        float64 `toml:"abnormal_cases"`
	AbnormalZeroPointsAt float64 `toml:"abnormal_zero_points_at"` // abnormal cases per 100 cases that score 0
}

// DatasetConfig says how to find and read one export.
type DatasetConfig struct {
	// Files are the file-name prefixes of the export (案件 matches
	// 案件.xlsx, 案件_2025年5月.xlsx, 案件-导出.csv).
	Files []string `toml:"files"`
	// Sheet is the preferred sheet; else the first sheet.
	Sheet string `toml:"sheet"`
	// Columns maps each canonical column of the contract to its aliases.
	Columns map[string][]string `toml:"columns"`
}

// ValueAliases maps canonical values to the other spellings met in the
// exports, e.g. [values.sample_kind] 视音频 = ["执法记录仪", "音像"].
type ValueAliases map[string][]string

// Keys of Config.Values.
const (
	ValuesSampleKind    = "sample_kind"
	ValuesComplaintType = "complaint_type"
	ValuesVerdict       = "verdict"
	ValuesRectification = "rectification"
	ValuesFinding       = "finding"
	ValuesMethod        = "method"
)

// Fonts maps the four type roles of documents.md to .ttf files.
type Fonts struct {
	Title      string `toml:"title"`      // 小标宋-style
	Heading    string `toml:"heading"`    // 黑体-style
	Subheading string `toml:"subheading"` // 楷体-style
	Body       string `toml:"body"`       // 仿宋-style
}

// Delivery is the schedule and the checks before anything is sent.
type Delivery struct {
	Monthly          Schedule `toml:"monthly"`            // 0 8 1 * *
	HalfYear         Schedule `toml:"halfyear"`           // 0 8 5 1,7 *
	CatchUpDays      int      `toml:"catch_up_days"`      // 40
	ReviewDays       int      `toml:"review_days"`        // 0 = no review window
	MaxRejectedShare float64  `toml:"max_rejected_share"` // 0.05
	// FirstPeriod is the first month the tool reports on (2025-01): "due"
	// neither lists nor sends periods that ended before it. Zero: no limit.
	FirstPeriod Month `toml:"first_period"`
	// RequireApproval: "due" sends a period only after a leader approved
	// it in the web console (bulletin serve), and only while the data are
	// those approved.
	RequireApproval bool `toml:"require_approval"`
}

// Schedule is a cron expression of config.toml ("0 8 1 * *": minute, hour,
// day of month, month, weekday) in the bureau's time zone. report/config
// parses it when config.toml is read and sets Next.
type Schedule struct {
	Spec string
	// Next is the first firing strictly after t; nil until parsed.
	Next func(t time.Time) time.Time
}

func (s Schedule) String() string { return s.Spec }

func (s Schedule) MarshalText() ([]byte, error) { return []byte(s.Spec), nil }

// UnmarshalText keeps the expression; report/config parses it.
func (s *Schedule) UnmarshalText(b []byte) error {
	*s = Schedule{Spec: string(b)}
	return nil
}

// Duration is a length of time written as Go writes it: 30s, 1m, 1h30m.
type Duration time.Duration

func (d Duration) String() string { return time.Duration(d).String() }

func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(strings.TrimSpace(string(b)))
	if err != nil {
		return fmt.Errorf("%q 不是时长，应写成 30s（30秒）或 1m（1分钟）", b)
	}
	*d = Duration(v)
	return nil
}

// Console is the web console of `bulletin serve`.
type Console struct {
	// Cert and Key are a TLS certificate and its key (PEM files): with
	// them the console speaks HTTPS only.
	Cert string `toml:"cert"`
	Key  string `toml:"key"`
	// AllowPlainHTTP lets the console listen without TLS on an address
	// other than loopback, with a warning: only inside a trusted network.
	AllowPlainHTTP bool `toml:"allow_plain_http"`
	// MaxUploadMB is the largest export accepted, in MB (default 100).
	MaxUploadMB int `toml:"max_upload_mb"`
}

// Mail is the SMTP account and the recipients. The password is never here:
// it comes from PasswordEnv or PasswordFile.
type Mail struct {
	Host         string   `toml:"host"`
	Port         int      `toml:"port"`
	User         string   `toml:"user"`
	TLS          string   `toml:"tls"` // none, starttls or tls
	PasswordEnv  string   `toml:"password_env"`
	PasswordFile string   `toml:"password_file"`
	From         string   `toml:"from"`
	To           []string `toml:"to"`
	Cc           []string `toml:"cc"`
	Bcc          []string `toml:"bcc"`
	Operator     []string `toml:"operator"`
	MaxBytes     int64    `toml:"max_bytes"`
	Attempts     int      `toml:"attempts"` // 1..10
	Backoff      Duration `toml:"backoff"`  // 30s: the first wait before a retry
}

// Quota returns the configured quota with id, or false.
func (c *Config) Quota(id string) (Quota, bool) {
	for _, q := range c.Plan.Quotas {
		if q.ID == id {
			return q, true
		}
	}
	return Quota{}, false
}

// CountedSquads lists the squads counted in coverage denominators, in
// configured order.
func (c *Config) CountedSquads() []string {
	var names []string
	for _, s := range c.Squads {
		if !s.NotCounted {
			names = append(names, s.Name)
		}
	}
	return names
}
