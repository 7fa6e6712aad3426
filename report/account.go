package report

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
)

// Role is what a console account may do.
type Role string

const (
	RoleClerk  Role = "clerk"  // 综合科: upload, build, view
	RoleLeader Role = "leader" // 领导: approve, withhold, resend, view
	RoleReader Role = "reader" // 只读: view
)

// Roles lists the roles in the order the console shows them.
var Roles = []Role{RoleClerk, RoleLeader, RoleReader}

// Chinese is the role as the office calls it.
func (r Role) Chinese() string {
	switch r {
	case RoleClerk:
		return "综合科"
	case RoleLeader:
		return "领导"
	case RoleReader:
		return "只读"
	}
	return string(r)
}

// ParseRole accepts a role by its name or its Chinese name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if s == string(r) || s == r.Chinese() {
			return r, nil
		}
	}
	return "", Errorf(KindUsage, "role %q is none of clerk (综合科), leader (领导), reader (只读)", s)
}

// User is a console account. The password hash never leaves the store.
type User struct {
	Name     string // the login name
	Role     Role
	Disabled bool
	Created  time.Time
}

// AuditEvent is one line of the console's append-only audit log: who did
// what, when, from where, and the files involved with their sha256.
type AuditEvent struct {
	At      time.Time
	User    string // empty for an anonymous attempt
	Address string // the client's address
	Action  string // login, upload, build, approve, ...
	Period  string // 2025-05, when the action concerns one
	Detail  string
	Files   []FileHash
}

// FileHash names a file and its content.
type FileHash struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Approval is a leader's decision on a period's documents before they are
// sent: approved, with the hashes of what was approved, or withheld with
// a reason.
type Approval struct {
	Period   string
	Approved bool // false: withheld
	By       string
	At       time.Time
	Reason   string // why withheld
	// InputsSHA256 digests the sha256 of every export read, FiguresSHA256
	// the figures apart from their date of issue: the approval lapses
	// when either differs from what would be sent.
	InputsSHA256  string
	FiguresSHA256 string
	// TextSHA256 digests what the documents say, composed on
	// CanonicalIssue (TextDigest): wording changed after the approval (a
	// template, the plan's name, the config's prose) lapses it too.
	TextSHA256 string
	Documents  []FileHash
}

func (a Approval) String() string {
	if a.Approved {
		return fmt.Sprintf("%s approved by %s on %s", a.Period, a.By, a.At.Format(time.DateTime))
	}
	return fmt.Sprintf("%s withheld by %s on %s: %s", a.Period, a.By, a.At.Format(time.DateTime), a.Reason)
}

// Lapse says why the approval no longer covers the exports read (q), the
// figures made from them (f) and the text of the documents composed from
// those (text, their TextDigest): they differ from those approved, or are
// missing and cannot be checked. Empty when it holds. The console (its
// banner, 审阅与签发) and due judge an approval by this one rule.
func (a Approval) Lapse(q *Quality, f *Figures, text string) string {
	if q == nil || f == nil || text == "" {
		return "没有数据质量报告、数字或文字，无法核对"
	}
	if InputsDigest(q) != a.InputsSHA256 {
		return "批准后导出数据有变动"
	}
	if figs, err := FiguresDigest(f); err != nil || figs != a.FiguresSHA256 {
		return "批准后数字有变动"
	}
	if a.TextSHA256 == "" {
		return "这次批准早于对文字的核对，无法确认报送稿的文字就是批准的文字"
	}
	if text != a.TextSHA256 {
		return "批准后文字有变动（模板、方案名称或配置里的文字改过）"
	}
	return ""
}

// TextDigestFile, in a period's output folder, holds the TextDigest of the
// documents built there.
const TextDigestFile = "text.sha256"

// CanonicalIssue is the date of issue documents are composed with for
// their TextDigest: what a leader approved is the same text sent on
// another day, whatever the templates print of the day.
var CanonicalIssue = MustDate(2000, time.January, 1)

// TextDigest digests what documents say, in order. Compose them with the
// figures' IssueDate set to CanonicalIssue, so that the digest does not
// depend on the day.
func TextDigest(docs []Document) (string, error) {
	data, err := json.Marshal(docs)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

// Session is a logged-in browser: whose it is, the token its forms must
// carry (CSRF), and when it ends.
type Session struct {
	User    User
	CSRF    string
	Expires time.Time
}

// InputsDigest digests the exports a period was read from: the sha256 of
// each input, in order of file name. Any changed, added or removed export
// changes it.
func InputsDigest(q *Quality) string {
	lines := make([]string, 0, len(q.Inputs))
	for _, in := range q.Inputs {
		lines = append(lines, ExportName(in.File)+" "+in.SHA256)
	}
	sort.Strings(lines)
	sum := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(sum[:])
}

// ExportName is an export as the clerk finds it, by its month folder and
// name (2025-05/案件.xlsx): the pages show it so, and the digests see it
// so, that the same exports read through another path digest alike (the
// console started with --data /srv/bulletin/data, cron's due with the
// default data).
func ExportName(file string) string {
	return filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file)
}

// FiguresDigest digests the figures apart from their date of issue, which
// is the day of sending, and the path the exports were read through: what
// a leader approved is the same figures sent on another day by another
// run.
func FiguresDigest(f *Figures) (string, error) {
	undated := *f
	undated.IssueDate = Date{}
	undated.Inputs = slices.Clone(f.Inputs)
	for i := range undated.Inputs {
		undated.Inputs[i].File = ExportName(undated.Inputs[i].File)
	}
	data, err := json.Marshal(undated)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}
