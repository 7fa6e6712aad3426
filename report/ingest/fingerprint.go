package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"bulletin/report"
)

// A reading's fingerprint is a digest of everything it reads: the reader
// and every setting reading depends on (cachePrefix), its months, and each
// export's path and content in the order read. Two readings with one
// fingerprint give the same dataset, so what is worked out from a dataset
// alone can be kept under it (the months a run judges, in the cache of
// parsed exports) and found again without reading. A reading of which a
// folder or a file could not be read has none: what it gave is not to be
// kept, the failure may be the disk's.

// fingerprint is the fingerprint of a reading of jobs from from to
// through, sum(i) being the content hash of jobs[i] ("" unread).
func fingerprint(settings []byte, from, through report.Month, jobs []fileJob, sum func(i int) string) string {
	h := sha256.New()
	h.Write(settings)
	fmt.Fprintf(h, "\x00%s\x00%s", from, through)
	for i, job := range jobs {
		s := sum(i)
		if s == "" {
			return ""
		}
		fmt.Fprintf(h, "\x00%s\x00%s\x00%t\x00%s", job.dataset, job.path, job.deep, s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Fingerprinter tells the fingerprints of readings without reading them,
// for what a run of one month looks up before it reads: each export's
// content is hashed once, however many readings list it, and a reading
// given it (Options.Hashed) does not hash again a file unchanged since.
// Of is for one goroutine, and not while such a reading runs.
type Fingerprinter struct {
	rd      *reader
	folders map[report.Month]string
	sums    map[string]hashed // by path
}

// hashed is an export's content hash, "" when it cannot be read, and the
// file it was taken of.
type hashed struct {
	sum  string
	file os.FileInfo
}

// NewFingerprinter is a Fingerprinter of the readings of root under cfg.
func NewFingerprinter(cfg *report.Config, root string) *Fingerprinter {
	f := &Fingerprinter{rd: newReader(cfg, Options{}), sums: map[string]hashed{}}
	var err error
	if f.rd.realRoot, err = realPath(root); err == nil {
		f.folders, _ = monthFolders(root)
	}
	return f
}

// Of is the fingerprint of ReadWith(ctx, cfg, root, from, through)
// (Dataset.Fingerprint), or "" when a folder or file cannot be read, or
// ctx is done.
func (f *Fingerprinter) Of(ctx context.Context, from, through report.Month) string {
	if f.folders == nil {
		return ""
	}
	q := &report.Quality{}
	jobs := f.rd.plan(f.folders, from, through, q)
	if len(q.Files) > 0 {
		return ""
	}
	f.hashAll(ctx, jobs)
	return fingerprint(f.rd.settings, from, through, jobs, func(i int) string { return f.sums[jobs[i].path].sum })
}

// hashAll hashes the exports of jobs not hashed yet, on every core (a
// city's five years are 170 MB).
func (f *Fingerprinter) hashAll(ctx context.Context, jobs []fileJob) {
	var todo []fileJob
	for _, job := range jobs {
		if _, ok := f.sums[job.path]; !ok {
			f.sums[job.path] = hashed{}
			todo = append(todo, job)
		}
	}
	sums := make([]hashed, len(todo))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(todo)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(todo) || ctx.Err() != nil {
					return
				}
				sums[i] = f.hash(todo[i])
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return // those not hashed stay "": the fingerprint is none
	}
	for i, job := range todo {
		f.sums[job.path] = sums[i]
	}
}

// hash hashes the export of job; its sum is "" when ReadWith could not
// read it.
func (f *Fingerprinter) hash(job fileJob) hashed {
	if job.ext == ".xls" {
		return hashed{}
	}
	file, size, err := openExport(f.rd.realRoot, job.path)
	if err != nil {
		return hashed{}
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		return hashed{}
	}
	sum, err := hashOf(file, size)
	if err != nil {
		return hashed{}
	}
	return hashed{sum, info}
}

// sumOf is the content hash f took of the export at path, if file (open,
// size bytes) is the file it took it of, unchanged since: the same file,
// size and time of its last change.
func (f *Fingerprinter) sumOf(path string, file *os.File, size int64) (string, bool) {
	if f == nil {
		return "", false
	}
	h := f.sums[path]
	if h.sum == "" {
		return "", false
	}
	info, err := file.Stat()
	if err != nil || !os.SameFile(info, h.file) || info.Size() != size || h.file.Size() != size || !info.ModTime().Equal(h.file.ModTime()) {
		return "", false
	}
	return h.sum, true
}
