package metrics

import (
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/config"
)

// The 15 squads of config.toml, in configured order; TestSquadsAsConfigured
// checks that the file still lists them so.
var squads = []string{
	"江宁路中队", "石门二路中队", "南京西路中队", "静安寺中队", "曹家渡中队",
	"天目西路中队", "北站中队", "宝山路中队", "芷江西路中队", "共和新路中队",
	"大宁路中队", "彭浦新村中队", "临汾路中队", "彭浦镇中队", "机动中队",
}

// Supervision items of config.toml.
const (
	itemLawful         = "依法行政"
	itemDisclosure     = "公示制度"
	itemRecording      = "全过程记录"
	itemMajor          = "重大法核"
	itemAccountability = "执法责任制"
	itemEffectiveness  = "执法实效"
	itemTeam           = "队伍建设"
)

// repoRoot is the module root (two folders above this package).
func repoRoot(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// loadConfig loads the project's config.toml with its 2025 plan in force;
// each call returns a fresh value that a test may change.
func loadConfig(t testing.TB) *report.Config {
	t.Helper()
	cfg, err := config.Load(filepath.Join(repoRoot(t), "config.toml"), nil)
	if err != nil {
		t.Fatalf("load config.toml: %v", err)
	}
	if cfg, err = cfg.ForMonth(report.Month{Year: 2025, Month: time.January}); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func setQuota(t *testing.T, cfg *report.Config, id string, change func(*report.Quota)) {
	t.Helper()
	for i := range cfg.Plan.Quotas {
		if cfg.Plan.Quotas[i].ID == id {
			change(&cfg.Plan.Quotas[i])
			return
		}
	}
	t.Fatalf("quota %s not configured", id)
}

func day(y, m, d int) report.Date { return report.MustDate(y, time.Month(m), d) }

func month(y, m int) report.Month { return report.Month{Year: y, Month: time.Month(m)} }

func origin(folder report.Month, file string, row int) report.Origin {
	return (&report.Source{File: file, Sheet: "Sheet1", Folder: folder}).At(row)
}

// closedCases makes n cases of squad filed and closed on the given dates.
func closedCases(prefix, squad string, n int, filed, closed report.Date) []report.Case {
	out := make([]report.Case, n)
	for i := range out {
		out[i] = report.Case{ID: fmt.Sprintf("%s-%03d", prefix, i+1), Squad: squad, Filed: filed, Closed: closed,
			Status: "结案", Origin: origin(closed.MonthOf(), "案件.xlsx", i+3)}
	}
	return out
}

func caseFile(id string, d report.Date, caseID, squad, verdict string, problems ...string) report.Sample {
	return report.Sample{ID: id, Date: d, Kind: report.CaseFile, CaseID: caseID, Squad: squad,
		Department: "案件审理科", Verdict: verdict, Problems: problems, Origin: origin(d.MonthOf(), "抽查明细.xlsx", 2)}
}

func avSample(id string, d report.Date, caseID, squad string) report.Sample {
	return report.Sample{ID: id, Date: d, Kind: report.AudioVideo, CaseID: caseID, Squad: squad,
		Department: "执法协调科", Verdict: report.Pass, Origin: origin(d.MonthOf(), "抽查明细.xlsx", 2)}
}

// caseFiles makes one 合格 case-file sample a day from start, one per squad given.
func caseFiles(prefix string, start report.Date, squads ...string) []report.Sample {
	out := make([]report.Sample, len(squads))
	for i, sq := range squads {
		out[i] = caseFile(fmt.Sprintf("%s-%02d", prefix, i+1), start, "C-"+prefix, sq, report.Pass)
	}
	return out
}

func inspection(id string, d report.Date, item, squad string) report.Inspection {
	return report.Inspection{ID: id, Date: d, Item: item, Department: "执法监督科", Squad: squad,
		Method: "现场检查", Origin: origin(d.MonthOf(), "监督检查.xlsx", 2)}
}

// inspections makes one inspection on item for each squad given, all on d.
func inspections(prefix string, d report.Date, item string, squads ...string) []report.Inspection {
	out := make([]report.Inspection, len(squads))
	for i, sq := range squads {
		out[i] = inspection(fmt.Sprintf("%s-%02d", prefix, i+1), d, item, sq)
	}
	return out
}

// withProblems gives an inspection n problems with a deadline, a state and
// a completion date (zero when not rectified).
func withProblems(in report.Inspection, n int, deadline report.Date, state string, done report.Date) report.Inspection {
	in.Problems, in.Deadline, in.Rectification, in.RectifiedOn = n, deadline, state, done
	in.Description = "公示栏信息未更新"
	return in
}

func complaint(id string, received report.Date, squad string) report.Complaint {
	return report.Complaint{ID: id, Type: "投诉", Received: received, Squad: squad, Field: "夜间施工",
		Origin: origin(received.MonthOf(), "诉件.xlsx", 2)}
}

func sampled(c report.Complaint, on report.Date, finding string) report.Complaint {
	c.Sampled, c.SampledOn, c.Finding = true, on, finding
	return c
}

// complaints makes n complaints received on d.
func complaints(prefix string, n int, d report.Date, squad string) []report.Complaint {
	out := make([]report.Complaint, n)
	for i := range out {
		out[i] = complaint(fmt.Sprintf("%s-%03d", prefix, i+1), d, squad)
	}
	return out
}

func weekly(squad string, dates ...report.Date) []report.WeeklyRecord {
	out := make([]report.WeeklyRecord, len(dates))
	for i, d := range dates {
		out[i] = report.WeeklyRecord{Squad: squad, Date: d, Content: "常态化督察", Origin: origin(d.MonthOf(), "中队督察.xlsx", i+2)}
	}
	return out
}

func ledger(matter, period string, done report.Date) report.LedgerEntry {
	return report.LedgerEntry{Matter: matter, Responsible: "案件审理科", Done: done, Period: period,
		Origin: origin(done.MonthOf(), "工作台账.xlsx", 2)}
}

func quotaOf(t *testing.T, f *report.Figures, id string) report.QuotaResult {
	t.Helper()
	for _, q := range f.Quotas {
		if q.ID == id {
			return q
		}
	}
	t.Fatalf("quota %s not in figures", id)
	return report.QuotaResult{}
}

func squadOf(t *testing.T, f *report.Figures, name string) report.SquadFigures {
	t.Helper()
	for _, s := range f.Squads {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("squad %s not in figures", name)
	return report.SquadFigures{}
}

// before is the months of at's year before at judged on ds: as issued, for
// the tests' datasets that hold no late record. (Other packages' tests use
// metricstest.JudgeBefore, which imports this package.)
func before(t testing.TB, cfg *report.Config, ds *report.Dataset, at report.Month) []Issued {
	t.Helper()
	var months []report.Month
	for m := (report.Month{Year: at.Year, Month: time.January}); m.Compare(at) < 0; m = m.Add(1) {
		months = append(months, m)
	}
	earlier, err := Judge(cfg, ds, months...)
	if err != nil {
		t.Fatal(err)
	}
	return earlier
}

func monthly(t *testing.T, cfg *report.Config, ds *report.Dataset, m report.Month) *report.Figures {
	t.Helper()
	f, err := Monthly(cfg, ds, nil, m, m.Add(1).First(), before(t, cfg, ds, m))
	if err != nil {
		t.Fatalf("Monthly %s: %v", m, err)
	}
	return f
}

// except lists the squads other than the given ones, in configured order.
func except(out ...string) []string {
	var rest []string
	for _, s := range squads {
		if !slices.Contains(out, s) {
			rest = append(rest, s)
		}
	}
	return rest
}
