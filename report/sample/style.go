package sample

import (
	"strconv"
	"time"
)

// How each month's exports look. The table below is the one the package
// documentation describes; tests of the readers rely on it, so change both
// together.

type fileFormat uint8

const (
	xlsx fileFormat = iota
	csvUTF8
	csvBOM
	csvGBK
)

func (f fileFormat) ext() string {
	if f == xlsx {
		return ".xlsx"
	}
	return ".csv"
}

type naming uint8

const (
	namePlain  naming = iota // 案件.xlsx
	nameMonth                // 案件_2025年5月.xlsx
	nameExport               // 案件-导出.csv
)

type sheetKind uint8

const (
	sheetNamed  sheetKind = iota // the only sheet, named after the dataset
	sheetFirst                   // the only sheet, named Sheet1
	sheetReadme                  // a 说明 sheet first, the data on the sheet named after the dataset
)

type titleKind uint8

const (
	titleNone    titleKind = iota
	titleOnly              // 静安区城管执法局案件清单
	titleAndTime           // title, then 导出时间：...
	titleMerged            // title merged across the header width, then 导出时间：...
)

type headerMark uint8

const (
	markNone      headerMark = iota
	markRequired             // required columns end in （必填）
	markStar                 // required columns end in *
	markHalfWidth            // required columns end in (必填), half-width parentheses
	markPadded               // every name padded with full-width spaces, required ones end in ＊
)

type dateForm uint8

const (
	dateCell    dateForm = iota // a real Excel date cell (number with a date format)
	dateSerial                  // a bare Excel serial number, no date format
	dateISO                     // 2025-05-03 [14:20:00]
	dateSlash                   // 2025/5/3 [14:20]
	dateDot                     // 2025.5.3 [14:20]
	dateCN                      // 2025年5月3日 [14:20]
	dateCompact                 // 20250503 [14:20:00]
)

var textDates = []dateForm{dateISO, dateSlash, dateDot, dateCN, dateCompact}

type boolForm uint8

const (
	boolYesNo     boolForm = iota // 是/否
	boolYN                        // Y/N
	bool10                        // 1/0 as text
	boolTrueFalse                 // true/false
	boolCheck                     // √/×
	boolYesEmpty                  // 是/empty
	boolCell                      // a real boolean cell (TRUE/FALSE)
	boolNumber                    // 1/0 as numeric cells
)

var textBools = []boolForm{boolYesNo, boolYN, bool10, boolTrueFalse, boolCheck, boolYesEmpty}

var boolWords = [...][2]string{
	boolYesNo:     {"否", "是"},
	boolYN:        {"N", "Y"},
	bool10:        {"0", "1"},
	boolTrueFalse: {"false", "true"},
	boolCheck:     {"×", "√"},
	boolYesEmpty:  {"", "是"},
}

// The five spellings of a squad in the contract's order; Squad.Forms holds
// them per squad.
const (
	formBare        = iota // 江宁路
	formSquad              // 江宁路中队
	formStreetSquad        // 江宁路街道中队
	formStreet             // 江宁路街道
	formBureau             // 静安区城管执法局江宁路中队
)

var allForms = []int{formBare, formSquad, formStreetSquad, formStreet, formBureau}

// monthStyle is how one calendar month's exports look (the same in every
// year). Slices with several entries are chosen from row by row.
type monthStyle struct {
	formats     [datasetCount]fileFormat
	naming      naming
	sheet       sheetKind
	title       titleKind
	headers     int // alias variant: column name = names[headers % len(names)]
	mark        headerMark
	shuffle     bool // columns in a month-specific random order
	extras      bool // columns the contract does not know
	dates       []dateForm
	withTime    bool // write the time of day where the value has one
	bools       []boolForm
	squads      []int
	aliasValues bool // 抽查类型, 诉件类型 and 监督事项 written with their aliases
	summary     [datasetCount]bool
	blankRows   bool
}

func allAs(f fileFormat) [datasetCount]fileFormat {
	var fs [datasetCount]fileFormat
	for i := range fs {
		fs[i] = f
	}
	return fs
}

var everySheet = [datasetCount]bool{true, true, true, true, true, true}

var monthStyles = [13]monthStyle{
	time.January: {formats: allAs(xlsx), naming: nameMonth, title: titleAndTime, headers: 1,
		dates: []dateForm{dateSerial}, withTime: true, bools: []boolForm{boolYN}, squads: []int{formBare}},
	time.February: {formats: allAs(csvBOM), naming: nameExport, title: titleAndTime, headers: 2, shuffle: true,
		dates: []dateForm{dateSlash}, withTime: true, bools: []boolForm{bool10}, squads: []int{formStreetSquad},
		summary: [datasetCount]bool{dsCases: true, dsComplaints: true}},
	time.March: {formats: allAs(xlsx), title: titleMerged, headers: 3, mark: markRequired, extras: true,
		dates: []dateForm{dateDot}, bools: []boolForm{boolTrueFalse, boolCell}, squads: allForms},
	time.April: {formats: [datasetCount]fileFormat{dsComplaints: csvGBK, dsWeekly: csvGBK, dsLedger: csvGBK},
		naming: nameMonth, title: titleOnly, mark: markStar,
		dates: []dateForm{dateCN}, withTime: true, bools: []boolForm{boolCheck}, squads: []int{formBureau}},
	time.May: {formats: allAs(xlsx), sheet: sheetReadme, headers: 1,
		dates: []dateForm{dateCompact}, withTime: true, bools: []boolForm{boolYesEmpty}, squads: []int{formStreet},
		blankRows: true},
	time.June: {formats: allAs(xlsx), naming: nameExport, sheet: sheetFirst, headers: 2, mark: markHalfWidth, shuffle: true,
		dates: []dateForm{dateCell}, withTime: true, bools: []boolForm{boolYN, boolNumber}, squads: []int{formBare, formSquad},
		summary: everySheet},
	time.July: {formats: allAs(csvUTF8), title: titleOnly, extras: true,
		dates: textDates, withTime: true, bools: textBools, squads: allForms},
	time.August: {formats: allAs(xlsx), naming: nameMonth, title: titleAndTime, headers: 3, mark: markPadded,
		dates: []dateForm{dateSerial}, bools: []boolForm{boolCheck}, squads: []int{formStreetSquad}, aliasValues: true},
	time.September: {formats: [datasetCount]fileFormat{dsSamples: csvBOM, dsComplaints: csvGBK, dsLedger: csvBOM},
		naming: nameExport, headers: 1,
		dates: []dateForm{dateISO}, withTime: true, bools: []boolForm{boolTrueFalse}, squads: []int{formBureau, formStreetSquad}},
	time.October: {formats: allAs(xlsx), title: titleMerged, headers: 2, shuffle: true, extras: true,
		dates: []dateForm{dateCell}, bools: []boolForm{boolYesNo}, squads: allForms,
		summary: everySheet, blankRows: true},
	time.November: {formats: allAs(csvGBK), naming: nameMonth, title: titleAndTime, headers: 3, mark: markStar,
		dates: []dateForm{dateCN}, bools: []boolForm{boolCheck}, squads: []int{formStreet}},
	time.December: {formats: allAs(xlsx),
		dates: []dateForm{dateCell}, bools: []boolForm{boolYesNo}, squads: []int{formSquad}},
}

// Format lets a caller (the city-scale benchmark) override the file formats
// of the month table; every other quirk stays.
type Format uint8

const (
	FormatAsPlanned Format = iota // the mix of .xlsx and .csv of the month table
	FormatXLSX                    // every export .xlsx
	FormatCSV                     // every export UTF-8 .csv
)

// fileStyle is the resolved look of one file.
type fileStyle struct {
	monthStyle
	format fileFormat
}

func styleFor(m month, ds int, override Format) fileStyle {
	st := fileStyle{monthStyle: monthStyles[m.calendar()], format: monthStyles[m.calendar()].formats[ds]}
	switch override {
	case FormatXLSX:
		st.format = xlsx
	case FormatCSV:
		st.format = csvUTF8
	}
	if ds == dsLedger {
		// The ledger is kept by hand: every month mixes the date forms.
		st.dates = append(append([]dateForm(nil), st.dates...), textDates...)
	}
	if st.format != xlsx {
		// A bare serial in a CSV would be indistinguishable from a count;
		// such months write ISO text there instead.
		st.dates = serialsAsISO(st.dates)
	}
	return st
}

func serialsAsISO(forms []dateForm) []dateForm {
	out := make([]dateForm, len(forms))
	for i, f := range forms {
		out[i] = f
		if f == dateSerial {
			out[i] = dateISO
		}
	}
	return out
}

func (st *fileStyle) fileName(ds int, m month) string {
	name := datasets[ds].name
	switch st.naming {
	case nameMonth:
		name += "_" + m.chinese()
	case nameExport:
		name += "-导出"
	}
	return name + st.format.ext()
}

// headerName is the name column c is exported under.
func (st *fileStyle) headerName(c column) string {
	name := c.names[st.headers%len(c.names)]
	switch {
	case st.mark == markPadded && c.required:
		return "\u3000" + name + "＊\u3000"
	case st.mark == markPadded:
		return " " + name + "\u3000"
	case !c.required:
		return name
	case st.mark == markRequired:
		return name + "（必填）"
	case st.mark == markStar:
		return name + "*"
	case st.mark == markHalfWidth:
		return name + "(必填)"
	}
	return name
}

// appendDate writes d (and the time of day, secs >= 0) in one of the text
// forms of the contract.
func appendDate(b []byte, form dateForm, d day, secs int32) []byte {
	y, m, dd := d.time().Date()
	pad := func(b []byte, n int) []byte {
		if n < 10 {
			b = append(b, '0')
		}
		return strconv.AppendInt(b, int64(n), 10)
	}
	switch form {
	case dateSlash, dateDot:
		sep := byte('/')
		if form == dateDot {
			sep = '.'
		}
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, sep)
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, sep)
		b = strconv.AppendInt(b, int64(dd), 10)
	case dateCN:
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, "年"...)
		b = strconv.AppendInt(b, int64(m), 10)
		b = append(b, "月"...)
		b = strconv.AppendInt(b, int64(dd), 10)
		b = append(b, "日"...)
	case dateCompact:
		b = strconv.AppendInt(b, int64(y), 10)
		b = pad(b, int(m))
		b = pad(b, dd)
	default:
		b = strconv.AppendInt(b, int64(y), 10)
		b = append(b, '-')
		b = pad(b, int(m))
		b = append(b, '-')
		b = pad(b, dd)
	}
	if secs < 0 {
		return b
	}
	b = append(b, ' ')
	h, mi, s := int(secs/3600), int(secs/60%60), int(secs%60)
	if form == dateISO || form == dateCompact {
		b = pad(b, h)
		b = append(b, ':')
		b = pad(b, mi)
		b = append(b, ':')
		return pad(b, s)
	}
	// The short forms carry hours and minutes, as Excel displays them.
	b = strconv.AppendInt(b, int64(h), 10)
	b = append(b, ':')
	return pad(b, mi)
}
