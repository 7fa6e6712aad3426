package ingest

import (
	"fmt"
	"sort"
	"strings"

	"bulletin/report"
	"bulletin/report/recent"
)

// lookup maps the spellings met in one file to canonical names. The same
// few squad names repeat on every row, so answers are memoised per file
// (a lookup is never shared between goroutines).
type lookup struct {
	resolvers []func(string) (string, bool)
	unknownf  string // fmt format of the rejection reason, %s = the value
	memo      map[string]hit
	recent    *recent.Memo[hit] // in front of memo: most cells without hashing their text
}

type hit struct {
	canonical string
	ok        bool
}

func (l *lookup) find(s string) (string, bool) {
	if l.recent == nil {
		l.recent, l.memo = recent.New[hit](6), make(map[string]hit)
	}
	if h, met := l.recent.Get(s); met {
		return h.canonical, h.ok
	}
	if h, seen := l.memo[s]; seen {
		l.recent.Put(s, h)
		return h.canonical, h.ok
	}
	var h hit
	for _, resolve := range l.resolvers {
		if h.canonical, h.ok = resolve(s); h.ok {
			break
		}
	}
	l.memo[s] = h
	l.recent.Put(s, h)
	return h.canonical, h.ok
}

func (l *lookup) unknown(s string) string { return fmt.Sprintf(l.unknownf, s) }

// vocabulary holds the configured names, shared read-only by all files.
type vocabulary struct {
	squads, departments, items *report.Names
	values                     map[string]*report.Names
	valueHints                 map[string]string
	matters                    map[string]string // folded 工作台账 matter → canonical
}

func newVocabulary(cfg *report.Config) *vocabulary {
	v := &vocabulary{
		squads:      cfg.SquadNames(),
		departments: cfg.DepartmentNames(),
		items:       cfg.ItemNames(),
		values:      make(map[string]*report.Names),
		valueHints:  make(map[string]string),
		matters:     make(map[string]string),
	}
	for _, key := range []string{report.ValuesSampleKind, report.ValuesVerdict, report.ValuesRectification,
		report.ValuesComplaintType, report.ValuesFinding, report.ValuesMethod} {
		v.values[key] = cfg.ValueNames(key)
		var canon []string
		for c := range cfg.Values[key] {
			canon = append(canon, c)
		}
		sort.Strings(canon)
		v.valueHints[key] = strings.Join(canon, "、")
	}
	for _, p := range cfg.Plans { // reading does not depend on the year's plan
		for _, q := range p.Quotas {
			if q.Matter != "" {
				v.matters[report.Fold(q.Matter)] = q.Matter
			}
		}
	}
	for _, it := range cfg.Items {
		if it.SelfInspectionMatter != "" {
			v.matters[report.Fold(it.SelfInspectionMatter)] = it.SelfInspectionMatter
		}
	}
	return v
}

// vocab is the per-file set of lookups.
type vocab struct {
	squads, departments, items, responsible           *lookup
	sampleKind, verdict, rectification, complaintType *lookup
	finding, method                                   *lookup
	matters                                           map[string]string
}

func (v *vocabulary) forFile() *vocab {
	value := func(key, label string) *lookup {
		return &lookup{resolvers: []func(string) (string, bool){v.values[key].Lookup},
			unknownf: label + "无法识别：%s（应为 " + strings.ReplaceAll(v.valueHints[key], "%", "%%") + "）"}
	}
	return &vocab{
		squads:      &lookup{resolvers: []func(string) (string, bool){v.squads.Lookup}, unknownf: "未知中队：%s"},
		departments: &lookup{resolvers: []func(string) (string, bool){v.departments.Lookup}, unknownf: "未知科室：%s"},
		items:       &lookup{resolvers: []func(string) (string, bool){v.items.Lookup}, unknownf: "未知监督事项：%s"},
		responsible: &lookup{resolvers: []func(string) (string, bool){v.departments.Lookup, v.squads.Lookup, squadsGroup},
			unknownf: "未知科室或中队：%s"},
		sampleKind:    value(report.ValuesSampleKind, "抽查类型"),
		verdict:       value(report.ValuesVerdict, "结论"),
		rectification: value(report.ValuesRectification, "整改状态"),
		complaintType: value(report.ValuesComplaintType, "诉件类型"),
		finding:       value(report.ValuesFinding, "抽查结论"),
		method:        value(report.ValuesMethod, "检查方式"),
		matters:       v.matters,
	}
}

// squadsGroup accepts 各中队, the responsible party of quotas every squad
// must meet itself.
func squadsGroup(s string) (string, bool) {
	return report.SquadsGroup, report.Fold(s) == report.Fold(report.SquadsGroup)
}

// matter is the configured spelling of a 工作台账 matter the quotas look
// for, or the text as written for any other matter.
func (v *vocab) matter(s string) string {
	if canonical, ok := v.matters[report.Fold(s)]; ok {
		return canonical
	}
	return s
}
