package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"runtime/debug"
	"sync"

	"bulletin/report"
	"bulletin/report/parsecache"
)

// CacheFile is the name of the cache of parsed exports beside the
// outputs: deleting it costs time only.
const CacheFile = "读取缓存-可删除.cache"

// readerVersion names what a cached result depends on in this program: it
// changes whenever the reader changes. A build from a clean checkout is
// known by its revision; any other build by the hash of its executable, so
// that a rebuilt reader never trusts what an older one wrote.
var readerVersion = sync.OnceValue(func() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		var revision string
		modified := true
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if revision != "" && !modified {
			return "rev " + revision
		}
	}
	h := sha256.New()
	if exe, err := os.Executable(); err == nil {
		if f, err := os.Open(exe); err == nil {
			io.Copy(h, f)
			f.Close()
		}
	}
	return "exe " + hex.EncodeToString(h.Sum(nil))
})

// readingSettings is every setting reading a file depends on: the
// organisation's names (squad forms use the bureau's), the exports' file
// and column names, the values' spellings, the time zone and the ledger's
// matters of every plan.
func readingSettings(cfg *report.Config, opt Options) []byte {
	var matters []string
	for _, p := range cfg.Plans {
		for _, q := range p.Quotas {
			matters = append(matters, q.Matter)
		}
	}
	b, _ := json.Marshal(struct {
		Bureau       report.Bureau
		Squads       []report.Squad
		Departments  []report.Department
		Items        []report.Item
		Datasets     map[string]report.DatasetConfig
		Values       map[string]report.ValueAliases
		Location     string
		Matters      []string
		ExcelizeOnly bool
	}{cfg.Bureau, cfg.Squads, cfg.Departments, cfg.Items, cfg.Datasets, cfg.Values, cfg.Location.String(), matters, opt.ExcelizeOnly})
	return b
}

// cacheKey is the key of a file's cached result: the reader, the settings,
// the file's place (its path and folder are in the records) and content.
func cacheKey(prefix []byte, job fileJob, sum string) string {
	h := sha256.New()
	h.Write(prefix)
	for _, s := range []string{job.dataset, job.path, sum} {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cachePrefix is what every key of one Read shares.
func cachePrefix(cfg *report.Config, opt Options) []byte {
	h := sha256.New()
	h.Write([]byte(readerVersion()))
	h.Write([]byte{0})
	h.Write(readingSettings(cfg, opt))
	return h.Sum(nil)
}

// entry is what the cache keeps of a file read: everything but the
// schema and vocabulary, which the settings in the key determine.
func (r *fileResult) entry(store datasetStore) *parsecache.Entry {
	en := &parsecache.Entry{Sheet: r.sheet, Input: r.input, SquadHeader: r.squadColumn.header,
		SquadName: r.squadColumn.name, Rejected: r.rejected, Warnings: r.warnings}
	store.toEntry(r, en)
	return en
}

// fromEntry completes r, a new result, with a file read from the cache.
// (r's Superseded may count cases skipped as they were decoded.)
func (rd *reader) fromEntry(r *fileResult, store datasetStore, en *parsecache.Entry) *fileResult {
	superseded := r.input.Superseded
	r.sheet, r.input, r.rejected, r.warnings = en.Sheet, en.Input, en.Rejected, en.Warnings
	r.input.Superseded += superseded
	r.squadColumn = column{header: en.SquadHeader, name: en.SquadName}
	store.fromEntry(r, en)
	return r
}
