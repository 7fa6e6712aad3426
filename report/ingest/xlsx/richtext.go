package xlsx

import (
	"encoding/xml"
	"strings"
)

// The streaming reader reads plain strings (<t>text</t>, and runs of
// <r><t>…</t></r>) itself. A string with run properties, phonetic runs or
// anything else, and a formula, are decoded with encoding/xml into copies
// of the types excelize v2.11.1 decodes them into (xlsxSI, xlsxF and what
// they hold), so that such a cell reads, or fails to read, exactly as in
// excelize. The field types matter: a typed attribute that does not parse
// is a decoding error there and here.

type richString struct {
	T          *richText     `xml:"t,omitempty"`
	R          []richRun     `xml:"r"`
	RPh        []*phonetic   `xml:"rPh"`
	PhoneticPr *phoneticProp `xml:"phoneticPr"`
}

type richText struct {
	XMLName xml.Name `xml:"t"`
	Space   xml.Attr `xml:"space,attr,omitempty"`
	Val     string   `xml:",chardata"`
}

type richRun struct {
	XMLName xml.Name  `xml:"r"`
	RPr     *runProps `xml:"rPr"`
	T       *richText `xml:"t"`
}

type runProps struct {
	RFont     *attrString `xml:"rFont"`
	Charset   *attrInt    `xml:"charset"`
	Family    *attrInt    `xml:"family"`
	B         *attrBool   `xml:"b"`
	I         *attrBool   `xml:"i"`
	Strike    *attrBool   `xml:"strike"`
	Outline   *attrBool   `xml:"outline"`
	Shadow    *attrBool   `xml:"shadow"`
	Condense  *attrBool   `xml:"condense"`
	Extend    *attrBool   `xml:"extend"`
	Color     *runColor   `xml:"color"`
	Sz        *attrFloat  `xml:"sz"`
	U         *attrString `xml:"u"`
	VertAlign *attrString `xml:"vertAlign"`
	Scheme    *attrString `xml:"scheme"`
}

type runColor struct {
	Auto    bool    `xml:"auto,attr,omitempty"`
	RGB     string  `xml:"rgb,attr,omitempty"`
	Indexed int     `xml:"indexed,attr,omitempty"`
	Theme   *int    `xml:"theme,attr"`
	Tint    float64 `xml:"tint,attr,omitempty"`
}

type (
	attrString struct {
		Val *string `xml:"val,attr"`
	}
	attrInt struct {
		Val *int `xml:"val,attr"`
	}
	attrBool struct {
		Val *bool `xml:"val,attr"`
	}
	attrFloat struct {
		Val *float64 `xml:"val,attr"`
	}
)

type phonetic struct {
	Sb uint32 `xml:"sb,attr"`
	Eb uint32 `xml:"eb,attr"`
	T  string `xml:"t"`
}

type phoneticProp struct {
	XMLName   xml.Name `xml:"phoneticPr"`
	Alignment string   `xml:"alignment,attr,omitempty"`
	FontID    *int     `xml:"fontId,attr"`
	Type      string   `xml:"type,attr,omitempty"`
}

// String is the text excelize gives the string (xlsxSI.String): the text
// element's, then every run's, with _xHHHH_ escapes undone.
func (s *richString) String() string {
	var b strings.Builder
	if s.T != nil {
		b.WriteString(s.T.Val)
	}
	for _, r := range s.R {
		if r.T != nil {
			b.WriteString(r.T.Val)
		}
	}
	return unescapeXstring(b.String())
}

// formula is excelize's xlsxF: only whether a cell has one matters, but its
// attributes must decode.
type formula struct {
	Content string `xml:",chardata"`
	T       string `xml:"t,attr,omitempty"`
	Aca     bool   `xml:"aca,attr,omitempty"`
	Ref     string `xml:"ref,attr,omitempty"`
	Dt2D    bool   `xml:"dt2D,attr,omitempty"`
	Dtr     bool   `xml:"dtr,attr,omitempty"`
	Del1    bool   `xml:"del1,attr,omitempty"`
	Del2    bool   `xml:"del2,attr,omitempty"`
	R1      string `xml:"r1,attr,omitempty"`
	R2      string `xml:"r2,attr,omitempty"`
	Ca      bool   `xml:"ca,attr,omitempty"`
	Si      *int   `xml:"si,attr"`
	Bx      bool   `xml:"bx,attr,omitempty"`
}
