// Package ledger records every delivery of a report: what was sent, to whom,
// when, and what the mail server answered. It is an append-only JSON-lines
// file in the output folder, each line synced to disk before Append
// returns, so that a crash never loses what was already recorded and
// "bulletin history" can always say what the city bureau got.
//
// The ledger is written before and after each SMTP transaction: a period
// whose last entry is Sending was interrupted mid-send and must not be sent
// again without a person confirming (the mail may have gone out).
//
// A crash or a full disk in the middle of an append leaves a torn last
// line. Reading skips it with a Notice; the next Append (under the delivery
// lock) moves it to TornFileName and cuts it off, so that it never blocks a
// later run and is never lost either.
package ledger

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"bulletin/report"
)

// FileName is the ledger's name inside the output folder.
const FileName = "ledger.jsonl"

// TornFileName keeps the torn or damaged tails cut off the ledger, for a
// person to look at.
const TornFileName = "ledger.torn.txt"

// State is where a period's delivery stands.
type State string

const (
	Held    State = "held"    // the pre-send checks failed; the operator was told
	Sending State = "sending" // the SMTP transaction started and did not finish
	Sent    State = "sent"    // the server accepted the message
	Failed  State = "failed"  // the server refused or could not be reached
	// Unconfirmed is a send whose outcome is unknown: the message went
	// over the wire but no clear reply came (connection dropped, reply too
	// late). Like an interrupted Sending, it waits for a person.
	Unconfirmed State = "unconfirmed"
	Drafted     State = "drafted" // the draft went to the operator for review
	// Withheld is a period the operator stopped after reviewing its draft:
	// "bulletin due" leaves it alone, "bulletin send" still sends it.
	Withheld State = "withheld"
)

// Entry is one line of the ledger.
type Entry struct {
	Kind       report.PeriodKind `json:"kind"`   // set from Period by Append
	Period     report.Period     `json:"period"` // 2025-05 or 2025-H1
	State      State             `json:"state"`
	At         time.Time         `json:"at"`
	Recipients []string          `json:"recipients,omitempty"`
	MessageID  string            `json:"message_id,omitempty"`
	Reply      string            `json:"reply,omitempty"` // the server's answer, with its queue id
	Attempts   int               `json:"attempts,omitempty"`
	Files      []File            `json:"files,omitempty"`
	Reason     string            `json:"reason,omitempty"`
	// Archive is the folder keeping the sent files, relative to the output
	// folder; empty when it could not be written.
	Archive string `json:"archive,omitempty"`
	// Permanent marks a failure the server called permanent (5xx): it is
	// not retried automatically.
	Permanent bool `json:"permanent,omitempty"`
	Forced    bool `json:"forced,omitempty"`
	Resend    bool `json:"resend,omitempty"`
	// MarkedSent is a Sent entry a person recorded after the city bureau
	// confirmed an interrupted send arrived: nothing was sent.
	MarkedSent bool `json:"marked_sent,omitempty"`
}

// File is an attachment as sent.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Key names the period of the entry: "monthly 2025-05".
func (e Entry) Key() string { return e.Period.Key() }

// Ledger is the ledger file of one output folder.
type Ledger struct{ dir string }

// Open returns the ledger of the output folder dir; the file is created on
// the first Append.
func Open(dir string) *Ledger { return &Ledger{dir: dir} }

// Path is the ledger file.
func (l *Ledger) Path() string { return filepath.Join(l.dir, FileName) }

// Notice says that the ledger's tail was torn or damaged and skipped.
type Notice struct {
	Line  int    // line number of the torn tail
	Bytes int    // its length
	Moved string // where it was kept, once Append has cut it off
}

func (n Notice) String() string {
	s := fmt.Sprintf("报送记录 %s 第%d行不完整（%d 字节，多半是写入时断电、进程被终止或磁盘已满），已跳过", FileName, n.Line, n.Bytes)
	if n.Moved != "" {
		s += "，原文移到 " + n.Moved
	}
	return s
}

// Entries reads the whole ledger in order. A torn or damaged last line is
// skipped and described by the Notice; a damaged line before the last is
// an error naming its line number, because an entry lost there might be a
// delivery. With that error come the entries of the other lines, for a
// person to see (bulletin history); nothing may be delivered on them.
func (l *Ledger) Entries() ([]Entry, *Notice, error) {
	data, err := os.ReadFile(l.Path())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	entries, _, notice, err := parse(data)
	if err != nil {
		return entries, nil, fmt.Errorf("报送记录 %s %w", l.Path(), err)
	}
	return entries, notice, nil
}

// parse reads the ledger's bytes: the entries, the length of the prefix
// made of whole valid lines, and a Notice when a tail follows it. A
// damaged line with whole lines after it is an error, returned with the
// entries of every line that reads.
func parse(data []byte) (entries []Entry, good int, notice *Notice, err error) {
	n := 0
	var damaged []string
	for rest := data; len(rest) > 0; {
		n++
		line, after, complete := bytes.Cut(rest, []byte("\n"))
		if len(bytes.TrimSpace(line)) == 0 && complete {
			good += len(line) + 1
			rest = after
			continue
		}
		e, lineErr := decode(line)
		switch {
		case lineErr == nil && complete:
			entries = append(entries, e)
			good += len(line) + 1
		case len(bytes.TrimSpace(after)) > 0:
			damaged = append(damaged, fmt.Sprintf("第%d行（%v）", n, lineErr))
		case len(damaged) == 0:
			return entries, good, &Notice{Line: n, Bytes: len(rest)}, nil
		}
		rest = after
	}
	if len(damaged) > 0 {
		return entries, 0, nil, fmt.Errorf("%s已损坏，后面还有完好的行：多半有人改过这个文件，丢失的可能是一次报送。"+
			"为避免重复报送，报送暂停。请对照各期存档文件夹里的 delivery.json 和 %s 修复这一行（或从备份恢复），见 docs/deployment.md 第8节",
			strings.Join(damaged, "、"), TornFileName)
	}
	return entries, good, nil, nil
}

func decode(line []byte) (Entry, error) {
	var e Entry
	if err := json.Unmarshal(line, &e); err != nil {
		return Entry{}, err
	}
	switch {
	case e.Period.IsZero():
		return Entry{}, errors.New("no period")
	case e.Kind != e.Period.Kind:
		return Entry{}, fmt.Errorf("kind %q does not match period %s", e.Kind, e.Period)
	case e.State == "":
		return Entry{}, errors.New("no state")
	}
	return e, nil
}

// Append writes e as one line and syncs it to disk before returning, so that
// a "sending" record exists before any byte goes to the mail server. A torn
// tail left by an earlier crash is first moved to TornFileName, noted as
// moved at e.At, and cut off; the Notice says so. Call it under the
// delivery lock.
func (l *Ledger) Append(e Entry) (*Notice, error) {
	if e.Period.IsZero() || e.State == "" {
		return nil, fmt.Errorf("ledger: entry without period or state: %+v", e)
	}
	e.Kind = e.Period.Kind
	line, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(l.dir, 0o755); err != nil {
		return nil, err
	}
	_, statErr := os.Stat(l.Path())
	f, err := os.OpenFile(l.Path(), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if errors.Is(statErr, os.ErrNotExist) {
		// A new file's name must reach the disk as well as its lines.
		if err := syncDir(l.dir); err != nil {
			return nil, err
		}
	}
	notice, err := l.cutTornTail(f, e.At)
	if err != nil {
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return notice, err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return notice, err
	}
	if err := f.Sync(); err != nil {
		return notice, err
	}
	return notice, f.Close()
}

// Repair moves a torn tail to TornFileName, noting it moved at now, and
// cuts it off, as the next Append would; nil when there is none. Call it
// under the delivery lock.
func (l *Ledger) Repair(now time.Time) (*Notice, error) {
	f, err := os.OpenFile(l.Path(), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	notice, err := l.cutTornTail(f, now)
	if err != nil {
		return nil, err
	}
	return notice, f.Close()
}

// cutTornTail moves a torn tail of f to TornFileName, noting that it was
// moved at now, and truncates f to its whole lines.
func (l *Ledger) cutTornTail(f *os.File, now time.Time) (*Notice, error) {
	data, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	_, good, notice, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s %w", l.Path(), err)
	}
	if notice == nil {
		return nil, nil
	}
	keep, err := os.OpenFile(filepath.Join(l.dir, TornFileName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	record := fmt.Sprintf("# %s 第%d行，%s 从报送记录中移出：\n%s\n", FileName, notice.Line, now.Format(time.RFC3339), data[good:])
	if _, err := keep.WriteString(record); err != nil {
		keep.Close()
		return nil, err
	}
	if err := keep.Sync(); err != nil {
		keep.Close()
		return nil, err
	}
	if err := keep.Close(); err != nil {
		return nil, err
	}
	if err := f.Truncate(int64(good)); err != nil {
		return nil, err
	}
	notice.Moved = keep.Name()
	return notice, f.Sync()
}

// Lock takes the output folder's delivery lock, waiting for another process
// that holds it, so two "bulletin due" runs never deliver the same period
// twice. The returned function releases it. When ctx ends first, Lock gives
// up with ctx's error.
func Lock(ctx context.Context, dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, ".delivery.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	locked := make(chan error, 1)
	go func() { locked <- lockFile(f) }()
	select {
	case err := <-locked:
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
		}
	case <-ctx.Done():
		// flock cannot be interrupted: it goes on waiting in the
		// background and lets go of the lock as soon as it has it.
		go func() {
			if <-locked == nil {
				unlockFile(f)
			}
			f.Close()
		}()
		return nil, ctx.Err()
	}
	return func() error {
		unlockFile(f)
		return f.Close()
	}, nil
}

// Lock takes the delivery lock of the ledger's folder (see Lock).
func (l *Ledger) Lock(ctx context.Context) (func() error, error) { return Lock(ctx, l.dir) }

// ClockFileName keeps the latest time a "due" run saw, so that a clock set
// back does not widen the catch-up window.
const ClockFileName = ".delivery-clock"

// LatestRun is the latest time recorded by RecordRun; zero if none.
func (l *Ledger) LatestRun() (time.Time, error) {
	data, err := os.ReadFile(filepath.Join(l.dir, ClockFileName))
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Parse(time.RFC3339Nano, string(bytes.TrimSpace(data)))
}

// RecordRun records t as the latest time a run saw.
func (l *Ledger) RecordRun(t time.Time) error {
	return report.WriteFileAtomic(filepath.Join(l.dir, ClockFileName), []byte(t.Format(time.RFC3339Nano)+"\n"))
}

// syncDir makes the creation of a file in dir durable. Windows cannot sync
// a folder (and needs not).
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
