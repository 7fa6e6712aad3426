package report

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Quality is the data-quality report of a run: what was read from where, what
// was rejected and why, and what looked odd. quality.json is this value.
type Quality struct {
	Period   string       `json:"period"`
	Inputs   []Input      `json:"inputs"`
	Files    []FileError  `json:"file_errors"`
	Rejected []Rejection  `json:"rejected"`
	Warnings []Warning    `json:"warnings"`
	Missing  []MissingDir `json:"missing_folders,omitempty"`
}

// Input is one file read, with the field names of figures.json's inputs.
type Input struct {
	Dataset    string `json:"dataset"`
	File       string `json:"file"`
	SHA256     string `json:"sha256"`
	Rows       int    `json:"rows"`
	Accepted   int    `json:"accepted"`
	Rejected   int    `json:"rejected"`
	Superseded int    `json:"superseded"`
}

// FileError is a file that could not be read at all.
type FileError struct {
	Dataset string `json:"dataset"`
	File    string `json:"file"`
	Reason  string `json:"reason"`
}

// Rejection is one row that could not be used.
type Rejection struct {
	Dataset string `json:"dataset"`
	File    string `json:"file"`
	Sheet   string `json:"sheet,omitempty"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Reason  string `json:"reason"`
}

// Warning kinds, counted in the report.
const (
	WarnSummaryRow   = "summary_row_skipped"    // a 合计/总计 row
	WarnUnknownCase  = "unknown_case_id"        // a sample of a case not in 案件
	WarnMissingMonth = "missing_month_folder"   // a month folder the window needs
	WarnMissingFile  = "missing_export"         // a dataset without a file in a folder
	WarnLateRecord   = "record_in_later_folder" // a row dated before its folder's month
	WarnUnprintable  = "unprintable_character"  // a character no document font has: printed as 〓
	WarnUnmatched    = "file_not_read"          // a file of a month folder that is no dataset's export
	WarnNoColumn     = "optional_column_absent" // a file without an optional column: its values read as empty
	WarnUnreadSheet  = "sheet_not_read"         // another worksheet with the dataset's header and rows
	WarnHiddenSheet  = "hidden_sheet_read"      // the worksheet read is hidden in Excel
	WarnReusedID     = "id_reused"              // an id superseded by another record, not the same one again
	WarnShortRow     = "csv_row_short"          // a CSV row with fewer fields than its header: the rest read as empty
	WarnMaybeCut     = "csv_may_be_cut"         // a CSV file whose last row is short and has no line end
	WarnSubHeaders   = "header_sub_row"         // a row of sub-headers under the header row, read as column names
	WarnSquadAbsent  = "squad_absent"           // a counted squad without a case in the 案件 export of the report's month
	WarnOther        = "other"
)

// WarningName is a warning kind as a clerk reads it; an unknown kind is
// returned as it is.
func WarningName(kind string) string {
	names := map[string]string{
		WarnSummaryRow:   "跳过的合计行",
		WarnUnknownCase:  "抽查的案件编号不在案件表中",
		WarnMissingMonth: "缺少月份文件夹",
		WarnMissingFile:  "文件夹中缺少导出文件",
		WarnLateRecord:   "记录出现在较晚月份的文件夹中",
		WarnUnprintable:  "字体里没有的字符（印作〓）",
		WarnUnmatched:    "文件夹中没有读取的文件",
		WarnNoColumn:     "文件缺少的非必填列（按空读）",
		WarnUnreadSheet:  "另有数据的工作表（未读取）",
		WarnHiddenSheet:  "读取的工作表在 Excel 中隐藏",
		WarnReusedID:     "编号相同而内容不同的记录（只计最后导出的一条）",
		WarnShortRow:     "列数少于表头的 CSV 行（缺的列按空读）",
		WarnMaybeCut:     "可能被截断的 CSV 文件",
		WarnSubHeaders:   "两行表头（下一行按列名读取）",
		WarnSquadAbsent:  "案件导出中没有案件的中队",
		WarnOther:        "其他",
	}
	if name, ok := names[kind]; ok {
		return name
	}
	return kind
}

// Warning is one odd but usable thing; Count aggregates identical kinds per
// file, Example shows one occurrence.
type Warning struct {
	Kind    string `json:"kind"`
	File    string `json:"file,omitempty"`
	Count   int    `json:"count"`
	Example string `json:"example,omitempty"`
}

// Described is the warning's example, and how many there are of its kind
// in its file when there are more (a squad absent names them all).
func (w Warning) Described() string {
	if w.Count > 1 && w.Kind != WarnSquadAbsent {
		return fmt.Sprintf("%s（共 %d 处）", w.Example, w.Count)
	}
	return w.Example
}

// OfTheFileAlone reports whether the warning asks the clerk to look at its
// file for what the file holds, whatever else the month's folder holds:
// what a file checked on its own (an upload) can tell the person who gave
// it. Those about the folder (an export missing, a file not read) are left
// out, as are those that ask nothing (a 合计 row skipped; rows dated
// before their folder's month, which an upload checked alone would find
// in every export of records that run on from earlier months).
func (w Warning) OfTheFileAlone() bool {
	if w.Kind == WarnMissingFile || w.Kind == WarnUnmatched {
		return false
	}
	return slices.ContainsFunc(listedWarnings, func(l listedKind) bool { return l.kind == w.Kind })
}

// MissingDir is a month folder that the period needs but the data root lacks.
type MissingDir struct {
	Month string `json:"month"`
	Path  string `json:"path"`
}

// IncompleteDatasets lists, in the data contract's order, the datasets
// whose figures are incomplete: none of their files could be read in the
// report's month folder (ds.Missing), or one of their files could not be
// read at all. A run with any stops unless a person says to go on (--force).
func IncompleteDatasets(ds *Dataset, q *Quality) []string {
	incomplete := map[string]bool{}
	for _, d := range ds.Missing {
		incomplete[d] = true
	}
	if q != nil {
		for _, fe := range q.Files {
			incomplete[fe.Dataset] = true
		}
	}
	out := []string{}
	for _, d := range DatasetNames {
		if incomplete[d] {
			out = append(out, d)
		}
	}
	return out
}

// Clean reports whether nothing was rejected and every file was readable.
func (q *Quality) Clean() bool { return len(q.Files) == 0 && len(q.Rejected) == 0 }

// WriteSummary writes, escaped (Printable), the few lines a person reads after a run: the clerk
// at the terminal, the operator in a review draft.
func (q *Quality) WriteSummary(w io.Writer) {
	rows, accepted, rejected := 0, 0, 0
	for _, in := range q.Inputs {
		rows += in.Rows
		accepted += in.Accepted
		rejected += in.Rejected
	}
	fmt.Fprintf(w, "数据质量（%s）：读取文件 %d 个，数据行 %d，采用 %d，拒绝 %d。\n", q.Period, len(q.Inputs), rows, accepted, rejected)
	for _, f := range q.Files {
		fmt.Fprintf(w, "  无法读取：%s（%s）：%s\n", Printable(f.File), f.Dataset, Printable(f.Reason))
	}
	reasons := map[string]int{}
	for _, r := range q.Rejected {
		kind, _, _ := strings.Cut(r.Reason, "：")
		reasons[fmt.Sprintf("%s「%s」列：%s", r.Dataset, r.Column, kind)]++
	}
	keys := slices.Sorted(maps.Keys(reasons))
	slices.SortStableFunc(keys, func(a, b string) int { return reasons[b] - reasons[a] })
	for i, k := range keys {
		if i == 5 {
			fmt.Fprintf(w, "  ……另有 %d 类原因，见详细清单\n", len(keys)-5)
			break
		}
		fmt.Fprintf(w, "  未采用 %d 行：%s\n", reasons[k], Printable(k))
	}
	warnings := map[string]int{}
	for _, wn := range q.Warnings {
		warnings[wn.Kind] += wn.Count
	}
	for _, kind := range slices.Sorted(maps.Keys(warnings)) {
		fmt.Fprintf(w, "  提示 %s：%d\n", WarningName(kind), warnings[kind])
	}
	q.writeDetails(w)
	for _, d := range q.Missing {
		fmt.Fprintf(w, "  缺少月份文件夹：%s\n", Printable(d.Path))
	}
}

// listedWarnings are the warnings the quality summary lists one by one,
// since each asks the clerk to look at a file: with their headings.
var listedWarnings = []listedKind{
	{WarnMissingFile, "缺少导出"},
	{WarnUnmatched, "没有读取"},
	{WarnUnprintable, "印作〓"},
	{WarnUnreadSheet, "未读取的工作表"},
	{WarnHiddenSheet, "隐藏的工作表"},
	{WarnNoColumn, "缺少的列"},
	{WarnShortRow, "列数不足的行"},
	{WarnMaybeCut, "可能被截断"},
	{WarnReusedID, "编号重复"},
	{WarnSquadAbsent, "缺少的中队"},
}

type listedKind struct{ kind, heading string }

// writeDetails lists, after the quality summary, each warning that asks
// the clerk to look at a file (Noted), up to ten of a kind.
func (q *Quality) writeDetails(w io.Writer) {
	const shown = 10
	notes := q.Noted()
	for i := 0; i < len(notes); {
		heading, n := notes[i].Heading, 0
		for ; i < len(notes) && notes[i].Heading == heading; i++ {
			if n++; n <= shown {
				fmt.Fprintf(w, "  %s：%s\n", heading, Printable(strings.TrimSpace(notes[i].Place()+" "+notes[i].Described())))
			}
		}
		if n > shown {
			fmt.Fprintf(w, "  ……另有 %d 条“%s”，见详细清单\n", n-shown, heading)
		}
	}
}

// Noted is a warning that asks the clerk to look at a file, with the
// heading it is listed under.
type Noted struct {
	Heading string
	Warning
}

// Noted lists the warnings that ask the clerk to look at a file (or, for
// an export missing, a folder), kind by kind.
func (q *Quality) Noted() []Noted {
	var notes []Noted
	for _, l := range listedWarnings {
		for _, w := range q.Warnings {
			if w.Kind == l.kind {
				notes = append(notes, Noted{l.heading, w})
			}
		}
	}
	return notes
}

// Place is the file the warning is about; "" when it is about a folder,
// which its example names (an export missing).
func (w Warning) Place() string {
	if w.Kind == WarnMissingFile {
		return ""
	}
	return w.File
}
