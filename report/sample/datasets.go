package sample

// The six exports of data-contract.md: column names and aliases exactly as
// there (the readers match them, so a typo here is a reader test that lies).

type colKind uint8

const (
	kText  colKind = iota // field.s
	kID                   // field.s followed by field.n zero-padded to column.width
	kDate                 // field.d (0 = empty), field.t seconds of the day (<0 = no time)
	kBool                 // field.n 0 or 1
	kInt                  // field.n
	kSquad                // field.n squad index, -1 = empty
)

type column struct {
	names    []string // canonical name first, then the contract's aliases
	kind     colKind
	required bool
	width    int // digits of a kID
}

// extra is a column the contract does not know; readers must ignore it.
type extra struct {
	name   string
	values []string // nil: the row number (序号)
}

type dataset struct {
	name   string // 案件 ...: the start of the file name and the sheet name
	title  string // the platform's title row
	cols   []column
	extras []extra
}

const (
	dsCases = iota
	dsSamples
	dsInspections
	dsComplaints
	dsWeekly
	dsLedger
	datasetCount
)

// Column positions inside each dataset's record, in contract order.
const (
	caseID = iota
	caseSquad
	caseCause
	caseFiled
	caseClosed
	caseState
	caseMajor
	caseAbnormal
)

const (
	smpID = iota
	smpDate
	smpType
	smpCase
	smpSquad
	smpDept
	smpVerdict
	smpProblems
)

const (
	insID = iota
	insDate
	insItem
	insDept
	insSquad
	insMethod
	insProblems
	insDescription
	insDeadline
	insState
	insDone
)

const (
	cmpID = iota
	cmpType
	cmpReceived
	cmpSquad
	cmpField
	cmpRepeated
	cmpSampled
	cmpSampleDate
	cmpVerdict
)

const (
	wkSquad = iota
	wkDate
	wkContent
	wkProblems
)

const (
	ldItem = iota
	ldDept
	ldDate
	ldPeriod
)

func required(kind colKind, names ...string) column {
	return column{names: names, kind: kind, required: true}
}
func optional(kind colKind, names ...string) column { return column{names: names, kind: kind} }

func idCol(width int, names ...string) column {
	return column{names: names, kind: kID, required: true, width: width}
}

var datasets = [datasetCount]dataset{
	dsCases: {
		name:  "案件",
		title: "静安区城管执法局案件清单",
		cols: []column{
			caseID:       idCol(4, "案件编号", "案号", "案件号"),
			caseSquad:    required(kSquad, "承办中队", "办案单位", "承办单位", "所属中队"),
			caseCause:    optional(kText, "案由", "违法行为", "案件类型"),
			caseFiled:    required(kDate, "立案日期", "立案时间"),
			caseClosed:   optional(kDate, "结案日期", "结案时间", "办结日期"),
			caseState:    optional(kText, "案件状态", "状态"),
			caseMajor:    optional(kBool, "是否重大法核", "重大法核", "重大执法决定"),
			caseAbnormal: optional(kText, "异常类型", "异常标记", "不规范类型"),
		},
		extras: []extra{{name: "序号"}, {name: "当事人类型", values: []string{"个人", "单位", "个体工商户"}}, {name: "办案人员", values: []string{"王军", "李敏", "张伟", "陈洁", "周磊", "吴静"}}},
	},
	dsSamples: {
		name:  "抽查明细",
		title: "静安区城管执法局案卷及视音频抽查明细",
		cols: []column{
			smpID:       idCol(4, "抽查编号", "序号", "记录编号"),
			smpDate:     required(kDate, "抽查日期", "检查日期"),
			smpType:     required(kText, "抽查类型", "类型"),
			smpCase:     idCol(4, "案件编号", "案号"),
			smpSquad:    optional(kSquad, "承办中队", "办案单位"),
			smpDept:     required(kText, "抽查科室", "检查科室", "抽查单位"),
			smpVerdict:  required(kText, "结论", "检查结论", "评查结论"),
			smpProblems: optional(kText, "问题类型", "存在问题"),
		},
		// No 序号 here: it is an alias of 抽查编号.
		extras: []extra{{name: "抽查人", values: []string{"赵磊", "钱芳", "孙浩", "刘洋"}}, {name: "备注", values: []string{"", "", "", "已反馈中队", "复查"}}},
	},
	dsInspections: {
		name:  "监督检查",
		title: "静安区城管执法局执法监督检查记录",
		cols: []column{
			insID:          idCol(4, "记录编号"),
			insDate:        required(kDate, "检查日期"),
			insItem:        required(kText, "监督事项", "检查事项", "监督类别"),
			insDept:        required(kText, "检查科室", "检查单位"),
			insSquad:       required(kSquad, "被检查中队", "检查对象"),
			insMethod:      optional(kText, "检查方式"),
			insProblems:    optional(kInt, "发现问题数", "问题数"),
			insDescription: optional(kText, "问题描述"),
			insDeadline:    optional(kDate, "整改期限"),
			insState:       optional(kText, "整改状态"),
			insDone:        optional(kDate, "整改完成日期"),
		},
		extras: []extra{{name: "序号"}, {name: "检查人员", values: []string{"赵磊、钱芳", "孙浩、刘洋", "周磊、吴静"}}},
	},
	dsComplaints: {
		name:  "诉件",
		title: "静安区城管执法局诉件清单",
		cols: []column{
			cmpID:         idCol(5, "诉件编号", "工单编号", "编号"),
			cmpType:       required(kText, "诉件类型", "来源", "类型"),
			cmpReceived:   required(kDate, "受理日期", "登记日期", "受理时间"),
			cmpSquad:      required(kSquad, "所属中队", "处置单位", "承办中队"),
			cmpField:      optional(kText, "问题领域", "诉求类别"),
			cmpRepeated:   optional(kBool, "是否重复", "重复投诉"),
			cmpSampled:    optional(kBool, "是否抽查"),
			cmpSampleDate: optional(kDate, "抽查日期"),
			cmpVerdict:    optional(kText, "抽查结论"),
		},
		extras: []extra{{name: "序号"}, {name: "办理状态", values: []string{"已办结", "已办结", "已办结", "办理中"}}},
	},
	dsWeekly: {
		name:  "中队督察",
		title: "静安区城管执法局中队常态化督察记录",
		cols: []column{
			wkSquad:    required(kSquad, "中队", "督察中队"),
			wkDate:     required(kDate, "督察日期", "日期"),
			wkContent:  optional(kText, "督察内容"),
			wkProblems: optional(kInt, "发现问题数"),
		},
		extras: []extra{{name: "序号"}, {name: "督察人", values: []string{"中队长", "副中队长", "法制员"}}},
	},
	dsLedger: {
		name:  "工作台账",
		title: "静安区城管执法局执法监督工作台账",
		cols: []column{
			ldItem:   required(kText, "事项", "工作事项", "材料名称"),
			ldDept:   optional(kText, "责任科室", "责任部门", "报送单位"),
			ldDate:   required(kDate, "完成日期", "日期", "报送日期", "召开日期"),
			ldPeriod: optional(kText, "所属期间", "期间"),
		},
		extras: []extra{{name: "序号"}, {name: "备注", values: []string{"", "", "会议纪要见OA", "已归档", "已报市局"}}},
	},
}

// field is one cell of a record before formatting; the column's kind says
// which members count. A non-empty s on a kDate or kSquad column is written
// verbatim: that is how the deliberately bad rows carry "2025-13-45" or
// "外滩中队".
type field struct {
	s string
	d day
	t int32
	n int
}

func text(s string) field              { return field{s: s} }
func date(d day) field                 { return field{d: d, t: -1} }
func dateTime(d day, t int32) field    { return field{d: d, t: t} }
func number(n int) field               { return field{n: n} }
func squad(i int) field                { return field{n: i} }
func ident(prefix string, n int) field { return field{s: prefix, n: n} }

func boolean(b bool) field {
	if b {
		return field{n: 1}
	}
	return field{}
}
