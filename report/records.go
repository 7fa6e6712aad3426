package report

import "encoding/json"

// The records below are what the readers make of the six exports of
// data-contract.md, after header matching, name mapping and date parsing.
// Squad, Department and Item fields hold the canonical configured names.

// Origin says where a record was read: its file (with the sheet and the
// month folder, shared by every record of the file) and its 1-based row.
// The file's part is a pointer so that a record carries 16 bytes of where it
// came from, not 56: a city's year holds two million records. The zero
// Origin is "nowhere" (a configured squad counted in a denominator).
type Origin struct {
	src *Source
	Row int
}

// Source is a file records were read from: the file, its sheet ("" for CSV),
// and the month folder it lies in (the latest folder wins for duplicate ids).
type Source struct {
	File   string
	Sheet  string
	Folder Month
}

// At is the origin of row of the source.
func (s *Source) At(row int) Origin { return Origin{src: s, Row: row} }

// Source is where the origin's file is; nil for the zero Origin.
func (o Origin) Source() *Source { return o.src }

func (o Origin) File() string  { return o.source().File }
func (o Origin) Sheet() string { return o.source().Sheet }
func (o Origin) Folder() Month { return o.source().Folder }

func (o Origin) source() *Source {
	if o.src == nil {
		return &nowhere
	}
	return o.src
}

var nowhere Source

// MarshalJSON writes the origin as it always was: file, sheet, row, folder.
func (o Origin) MarshalJSON() ([]byte, error) {
	s := o.source()
	return json.Marshal(struct {
		File   string `json:"file"`
		Sheet  string `json:"sheet,omitempty"`
		Row    int    `json:"row"`
		Folder Month  `json:"folder"`
	}{s.File, s.Sheet, o.Row, s.Folder})
}

// Case is one row of 案件 (网上办案).
type Case struct {
	ID          string
	Squad       string
	Cause       string // 案由
	Filed       Date   // 立案日期
	Closed      Date   // 结案日期; zero while open
	Status      string // 立案/调查/审核/决定/执行/结案/终止
	MajorReview bool   // 是否重大法核
	Abnormal    []string
	Origin      Origin
}

// SampleKind is the type of a sampled object in 抽查明细.
type SampleKind string

const (
	CaseFile   SampleKind = "案卷"
	AudioVideo SampleKind = "视音频"
)

// Verdicts of a case-file check.
const (
	Pass        = "合格"
	PartialPass = "基本合格"
	Fail        = "不合格"
)

// Sample is one row of 抽查明细: one sampled case file or audio/video record.
type Sample struct {
	ID         string
	Date       Date
	Kind       SampleKind
	CaseID     string
	Squad      string // from the row, else from the case
	Department string
	Verdict    string // Pass, PartialPass or Fail
	Problems   []string
	Origin     Origin
}

// Rectification states of a problem found in an inspection.
const (
	Rectified    = "已整改"
	InProgress   = "整改中"
	NotRectified = "未整改"
)

// Inspection is one row of 监督检查: one inspection of one squad on one item.
type Inspection struct {
	ID            string
	Date          Date
	Item          string
	Department    string
	Squad         string
	Method        string
	Problems      int
	Description   string
	Deadline      Date
	Rectification string // Rectified, InProgress or NotRectified; empty when no problem
	RectifiedOn   Date
	Origin        Origin
}

// Complaint is one row of 诉件.
type Complaint struct {
	ID        string
	Type      string // 投诉/信访/领导批示件/媒体曝光件/环保督察件
	Received  Date
	Squad     string
	Field     string
	Repeated  bool
	Sampled   bool
	SampledOn Date
	Finding   string // 履职到位 / 履职不到位
	Origin    Origin
}

// Complaint findings.
const (
	DutyDone   = "履职到位"
	DutyFailed = "履职不到位"
)

// WeeklyRecord is one row of 中队督察, a squad's routine supervision record.
type WeeklyRecord struct {
	Squad    string
	Date     Date
	Content  string
	Problems int
	Origin   Origin
}

// LedgerEntry is one row of 工作台账: a meeting held or a material submitted.
// Period is the canonical period it belongs to: "2025-05", "2025-H1" or
// "2025" (from 所属期间, else the month of Done).
type LedgerEntry struct {
	Matter      string
	Responsible string
	Done        Date
	Period      string
	Origin      Origin
}

// Dataset is everything read for one run, deduplicated by id. Cases hold
// every case of every month folder up to the report period (a reference
// table); the other slices hold the rows of the folders read.
type Dataset struct {
	Cases       []Case
	Samples     []Sample
	Inspections []Inspection
	Complaints  []Complaint
	Weekly      []WeeklyRecord
	Ledger      []LedgerEntry
	// Missing names the datasets that could not be read at all, so the
	// figures that depend on them are marked incomplete.
	Missing []string
	// Unprintable are characters of the exports' text that no document
	// font has: the documents print them as 〓, and the data-quality
	// report lists where each was found.
	Unprintable map[rune]bool
	// Fingerprint is a digest of everything the reading read: the reader,
	// its settings and each export's content (ingest.Fingerprinter); two
	// readings with one fingerprint give the same records, so what is
	// worked out from the records alone can be kept under it. Empty when a
	// folder or file could not be read.
	Fingerprint string
}

// Dataset names of data-contract.md, the keys of config.toml's [datasets].
const (
	DatasetCases       = "案件"
	DatasetSamples     = "抽查明细"
	DatasetInspections = "监督检查"
	DatasetComplaints  = "诉件"
	DatasetWeekly      = "中队督察"
	DatasetLedger      = "工作台账"
)

// DatasetNames lists the six datasets in the order of the data contract.
var DatasetNames = []string{DatasetCases, DatasetSamples, DatasetInspections, DatasetComplaints, DatasetWeekly, DatasetLedger}
