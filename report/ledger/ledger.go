// Package ledger records every delivery of a report: what was sent, to whom,
// when, and what the mail server answered. It is an append-only JSON-lines
// file in the output folder, so that a crash never loses what was already
// recorded and "bulletin history" can always say what the city bureau got.
//
// The ledger is written before and after each SMTP transaction: a period
// found in the Sending state was interrupted mid-send and must not be sent
// again without a person confirming (the mail may have gone out).
package ledger

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// FileName is the ledger's name inside the output folder.
const FileName = "ledger.jsonl"

// State is where a period's delivery stands.
type State string

const (
	Held    State = "held"    // the pre-send checks failed; the operator was told
	Sending State = "sending" // the SMTP transaction started and did not finish
	Sent    State = "sent"    // the server accepted the message
	Failed  State = "failed"  // the server refused or could not be reached
	Drafted State = "drafted" // the draft went to the operator for review
	// Withheld is a period the operator stopped after reviewing its draft:
	// "bulletin due" leaves it alone, "bulletin send" still sends it.
	Withheld State = "withheld"
)

// Entry is one line of the ledger.
type Entry struct {
	Kind       string    `json:"kind"`   // monthly or halfyear
	Period     string    `json:"period"` // 2025-05 or 2025-H1
	State      State     `json:"state"`
	At         time.Time `json:"at"`
	Recipients []string  `json:"recipients,omitempty"`
	MessageID  string    `json:"message_id,omitempty"`
	Reply      string    `json:"reply,omitempty"` // the server's answer, with its queue id
	Attempts   int       `json:"attempts,omitempty"`
	Files      []File    `json:"files,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	// Permanent marks a failure the server called permanent (5xx): it is
	// not retried automatically.
	Permanent bool `json:"permanent,omitempty"`
	Forced    bool `json:"forced,omitempty"`
	Resend    bool `json:"resend,omitempty"`
}

// File is an attachment as sent.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int    `json:"bytes"`
}

// Key names a delivery: kind and period.
func (e Entry) Key() string { return e.Kind + " " + e.Period }

// Ledger is the ledger file of one output folder.
type Ledger struct{ path string }

// Open returns the ledger of the output folder dir; the file is created on
// the first Append.
func Open(dir string) *Ledger { return &Ledger{path: filepath.Join(dir, FileName)} }

// Path is the ledger file.
func (l *Ledger) Path() string { return l.path }

// Append writes e as one line and syncs it to disk before returning, so that
// a "sending" record exists before any byte goes to the mail server.
func (l *Ledger) Append(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Entries reads the whole ledger in order. A torn last line (a crash in the
// middle of Append) is skipped; a damaged line elsewhere is an error naming
// its line number.
func (l *Ledger) Entries() ([]Entry, error) {
	data, err := os.ReadFile(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var entries []Entry
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var e Entry
		if err := json.Unmarshal(line, &e); err != nil {
			if !bytes.HasSuffix(data, []byte("\n")) && bytes.HasSuffix(bytes.TrimSpace(data), line) {
				break // the torn last line of an interrupted append
			}
			return nil, fmt.Errorf("%s line %d: %v", l.path, n, err)
		}
		entries = append(entries, e)
	}
	return entries, sc.Err()
}

// Latest returns the last entry of each kind and period.
func (l *Ledger) Latest() (map[string]Entry, error) {
	entries, err := l.Entries()
	if err != nil {
		return nil, err
	}
	latest := make(map[string]Entry, len(entries))
	for _, e := range entries {
		latest[e.Key()] = e
	}
	return latest, nil
}

// Lock takes the output folder's delivery lock, waiting for another process
// that holds it, so two "bulletin due" runs never deliver the same period
// twice. The returned function releases it.
func Lock(dir string) (unlock func() error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, ".delivery.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return func() error {
		unlockFile(f)
		return f.Close()
	}, nil
}
