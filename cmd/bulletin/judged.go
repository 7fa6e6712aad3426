package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"

	"bulletin/report"
	"bulletin/report/metrics"
)

// A month judged as issued (metrics.Issued) is kept in the cache of parsed
// exports, under the fingerprint of the reading it was judged on and every
// setting judging reads: the next month's run finds the year's earlier
// months there and reads none of them again. Like the rest of the cache it
// is only time: a month not found, or found damaged, is read and judged.

// judgedKey is the cache key of month k judged under cfg on a reading of
// fingerprint fp; "" when there is none to key it by. The program is in
// the fingerprint (ingest's reader version).
func judgedKey(cfg *report.Config, fp string, k report.Month) string {
	in, err := cfg.ForMonth(k)
	if fp == "" || err != nil {
		return ""
	}
	settings, err := json.Marshal(struct {
		Bureau      report.Bureau
		Squads      []report.Squad
		Departments []report.Department
		Items       []report.Item
		Plan        report.Plan
	}{in.Bureau, in.Squads, in.Departments, in.Items, in.Plan})
	if err != nil {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(fp + "\x00" + k.String() + "\x00"))
	h.Write(settings)
	return "judged " + hex.EncodeToString(h.Sum(nil))
}

// judgedBefore is month k as an earlier run judged it on the reading of
// fingerprint fp, if the cache holds it.
func (p *pipeline) judgedBefore(fp string, k report.Month) (metrics.Issued, bool) {
	key := judgedKey(p.cfg, fp, k)
	if key == "" {
		return metrics.Issued{}, false
	}
	value, ok := p.cache.Value(key)
	if !ok {
		return metrics.Issued{}, false
	}
	var is metrics.Issued
	if json.Unmarshal(value, &is) != nil || is.Month != k { // judged again, and kept in its place
		return metrics.Issued{}, false
	}
	p.judgedFound++
	return is, true
}

// keepJudged keeps is, judged on the reading of fingerprint fp, for the
// runs after this one, in the cache the run holds (holdCache), under its
// month's folder: the value counts as long as the folder is there.
func (p *pipeline) keepJudged(fp string, is metrics.Issued) {
	key := judgedKey(p.cfg, fp, is.Month)
	if key == "" || p.cache == nil {
		return
	}
	value, err := json.Marshal(is)
	if err != nil {
		return
	}
	if kept, ok := p.cache.Value(key); ok && bytes.Equal(kept, value) { // a re-run: not appended again
		return
	}
	p.cache.PutValue(key, filepath.Join(p.dataDir, is.Month.String()), value)
}
