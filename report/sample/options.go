package sample

import (
	"errors"
	"fmt"
	"math"
)

// DefaultSeed is the seed of the embedded data set (the plan's date).
const DefaultSeed = 20250430

// Options says what Generate writes. The zero value of a field means its
// default (see DefaultOptions); Seed 0 is an ordinary seed.
type Options struct {
	// Seed makes the output reproducible: the same Options give
	// byte-identical files.
	Seed int64
	// First and Last are the first and last month folders, "YYYY-MM".
	First, Last string
	// Scale multiplies the row counts: 1 is Jing'an (about 320 cases and
	// 1,000 complaints a month); 100 is city scale.
	Scale float64
	// Squads, at least 15: the data's story names squads by position
	// (see the package documentation).
	Squads []Squad
	// Departments, exactly 6, in the roles and order of data-contract.md:
	// 综合科, 案件审理科, 执法监督科, 执法协调科, 组织人事科, 拆违专班.
	Departments []string
	// Items, exactly 8, the supervision items in the order of rules.md.
	Items []Item
	// Format overrides the month table's file formats.
	Format Format
}

// Squad is a squad and the five spellings exports use for it, in the
// contract's order: bare street (江宁路), squad (江宁路中队), street squad
// (江宁路街道中队), street (江宁路街道), bureau prefix
// (静安区城管执法局江宁路中队). Empty forms are spelled as Name.
type Squad struct {
	Name  string
	Forms [5]string
}

// Item is a supervision item (监督事项) and the aliases exports use for it.
type Item struct {
	Name    string
	Aliases []string
}

var defaultStreets = []string{"江宁路", "石门二路", "南京西路", "静安寺", "曹家渡", "天目西路", "北站", "宝山路",
	"芷江西路", "共和新路", "大宁路", "彭浦新村", "临汾路", "彭浦镇"}

// DefaultSquads returns the 15 squads of data-contract.md.
func DefaultSquads() []Squad {
	var squads []Squad
	for _, street := range defaultStreets {
		name := street + "中队"
		squads = append(squads, Squad{Name: name,
			Forms: [5]string{street, name, street + "街道中队", street + "街道", "静安区城管执法局" + name}})
	}
	// The mobile squad has no street; exports call it 机动中队 or 机动执法中队.
	return append(squads, Squad{Name: "机动中队",
		Forms: [5]string{"机动中队", "机动中队", "机动执法中队", "机动执法中队", "静安区城管执法局机动中队"}})
}

// DefaultDepartments returns the 6 departments of data-contract.md.
func DefaultDepartments() []string {
	return []string{"综合科", "案件审理科", "执法监督科", "执法协调科", "组织人事科", "拆违专班"}
}

// DefaultItems returns the 8 supervision items of rules.md with their aliases.
func DefaultItems() []Item {
	return []Item{
		{"依法行政", []string{"案卷抽查", "个案监督"}},
		{"公示制度", []string{"行政执法公示", "三项制度-公示"}},
		{"全过程记录", []string{"执法全过程记录", "视音频记录"}},
		{"重大法核", []string{"重大行政执法决定法制审核", "法制审核"}},
		{"执法责任制", []string{"行政执法责任制", "责任制"}},
		{"执法实效", []string{"执法保障", "重点领域"}},
		{"队伍建设", []string{"强转树", "规范化建设", "纪律作风", "进中队检查"}},
		{"重要案（诉）件", []string{"重要案件", "诉件", "信访投诉"}},
	}
}

// DefaultOptions is the embedded data set: Jing'an, 2024-12 to 2025-12.
func DefaultOptions() Options {
	return Options{Seed: DefaultSeed, First: "2024-12", Last: "2025-12", Scale: 1,
		Squads: DefaultSquads(), Departments: DefaultDepartments(), Items: DefaultItems()}
}

// Department roles: positions in Options.Departments.
const (
	deptGeneral = iota
	deptCaseReview
	deptSupervision
	deptCoordination
	deptPersonnel
	deptDemolition
)

// Item roles: positions in Options.Items.
const (
	itemLawful = iota
	itemDisclosure
	itemRecording
	itemLegalReview
	itemAccountability
	itemEffectiveness
	itemTeam
	itemComplaints
)

// withDefaults fills zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	def := DefaultOptions()
	if o.First == "" {
		o.First = def.First
	}
	if o.Last == "" {
		o.Last = def.Last
	}
	if o.Scale == 0 {
		o.Scale = 1
	}
	if o.Squads == nil {
		o.Squads = def.Squads
	}
	if o.Departments == nil {
		o.Departments = def.Departments
	}
	if o.Items == nil {
		o.Items = def.Items
	}
	var errs []error
	first, err1 := parseMonth(o.First)
	last, err2 := parseMonth(o.Last)
	errs = append(errs, err1, err2)
	if err1 == nil && err2 == nil && last < first {
		errs = append(errs, fmt.Errorf("last month %s is before first month %s", o.Last, o.First))
	}
	if !(o.Scale > 0) || math.IsInf(o.Scale, 0) {
		errs = append(errs, fmt.Errorf("scale %v: want a positive number", o.Scale))
	}
	if len(o.Squads) < 15 {
		errs = append(errs, fmt.Errorf("%d squads: want at least 15", len(o.Squads)))
	}
	if len(o.Departments) != 6 {
		errs = append(errs, fmt.Errorf("%d departments: want 6", len(o.Departments)))
	}
	if len(o.Items) != 8 {
		errs = append(errs, fmt.Errorf("%d supervision items: want 8", len(o.Items)))
	}
	squads := make([]Squad, len(o.Squads))
	for i, s := range o.Squads {
		if s.Name == "" {
			errs = append(errs, fmt.Errorf("squad %d has no name", i+1))
		}
		for f := range s.Forms {
			if s.Forms[f] == "" {
				s.Forms[f] = s.Name
			}
		}
		squads[i] = s
	}
	o.Squads = squads
	if err := errors.Join(errs...); err != nil {
		return o, fmt.Errorf("sample: %w", err)
	}
	return o, nil
}
