package ingest

import (
	"bytes"
	"slices"
	"time"

	"bulletin/report"
)

// Carry is what a run of many months (a year of bulletins re-issued) hands
// from one Read to the next: the datasets as merged so far. When a Read's
// files of a dataset begin with the files the earlier Read merged, as month
// m's begin with month m−1's, it merges only the files that follow, rather
// than reading the earlier folders again (from the cache of parsed exports)
// and merging them again. Its datasets and quality report are what a Read
// without it gives (TestCarryGivesWhatReadingGives).
//
// So a run reads most files once: a file carried is not read again, even
// if it changed while the run went on (docs/rules-interpretation.md item
// 85). The records a Read returns are reused by the next Read with the
// same Carry: finish with them, and do not change them, before reading
// the next month. The zero value is ready to use; a Carry is for one
// goroutine.
type Carry struct {
	// Through is the last month the run reads, if known: the datasets are
	// then sized for it from the first Read on, instead of growing (a
	// copy of a million records) as the months come.
	Through report.Month

	settings []byte // the reader and its settings (cachePrefix)
	root     string
	kinds    []carried // by dataset, as datasets
}

// carried is one dataset as an earlier Read finished it.
type carried struct {
	store   datasetStore  // nil: nothing carried
	jobs    []fileJob     // its files, the earlier years' cases aside
	results []*fileResult // as jobs
}

// monthsAfter is how many months of files the run's later Reads add to
// what this Read, of the months up to through, gives dataset to go on
// from. The exports read in every folder (抽查明细, 监督检查) go on to the
// run's last month. The others start again each February, when the
// months read no longer begin with the December before: a January Read's
// are not gone on from, and a later one's go on to December.
func (k *Carry) monthsAfter(through report.Month, dataset string) int {
	if k == nil || k.Through.Compare(through) <= 0 {
		return 0
	}
	last := k.Through
	if !report.ReachesAllHistory[dataset] || dataset == report.DatasetCases {
		if through.Month == time.January {
			return 0
		}
		if december := (report.Month{Year: through.Year, Month: time.December}); december.Compare(last) < 0 {
			last = december
		}
	}
	return last.Index() - through.Index()
}

// take returns what this Read resumes from, by dataset: the datasets whose
// files, the earlier years' cases aside, begin with the carried ones, read
// from the same folder with the same settings. Nothing is left in k, so
// that a Read that fails leaves nothing to resume from.
func (k *Carry) take(settings []byte, root string, jobs []fileJob) []carried {
	if k == nil {
		return nil
	}
	kinds := k.kinds
	k.kinds = nil
	if !bytes.Equal(k.settings, settings) || k.root != root {
		return nil
	}
	for i := range kinds {
		if !startsWith(datasetJobs(jobs, i), kinds[i].jobs) {
			kinds[i] = carried{}
		}
	}
	return kinds
}

// keep notes the datasets of a finished Read (assemble with carry) for
// the next: each but those whose finishing changes their files' results
// (the samples, which take squads from the cases), and those of which a
// file could not be read: the next Read tries it again, as a month read
// alone would (the failure may have been the disk's).
func (k *Carry) keep(settings []byte, root string, c *collector, jobs []fileJob) {
	k.settings, k.root = settings, root
	k.kinds = make([]carried, len(datasets))
	for i, s := range c.stores {
		if s.dependent() {
			continue
		}
		kind := carried{store: s}
		for j, job := range jobs {
			if job.kind == i && !job.deep {
				kind.jobs = append(kind.jobs, job)
				kind.results = append(kind.results, c.results[j].Load())
			}
		}
		if slices.ContainsFunc(kind.results, func(r *fileResult) bool { return r.failure != "" }) {
			continue
		}
		for _, r := range kind.results {
			r.carried = true
		}
		k.kinds[i] = kind
	}
}

// datasetJobs is the jobs of one dataset, the earlier years' cases aside
// (they are read again by each Read, against its samples).
func datasetJobs(jobs []fileJob, kind int) []fileJob {
	var of []fileJob
	for _, j := range jobs {
		if j.kind == kind && !j.deep {
			of = append(of, j)
		}
	}
	return of
}

// startsWith reports that jobs begins with prefix, a prefix with jobs
// being something to carry.
func startsWith(jobs, prefix []fileJob) bool {
	return len(prefix) > 0 && len(prefix) <= len(jobs) && slices.Equal(jobs[:len(prefix)], prefix)
}
