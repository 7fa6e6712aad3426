package metrics

import (
	"math"
	"slices"
	"sync"

	"bulletin/report"
)

// byMonth lists a dataset's records by the month of one of their dates,
// in the dataset's order within a month. The trend asks every monthly
// quota of each month of the year: scanning a city's year of records for
// each of them took longer than all the other figures.
type byMonth map[int][]int32

func indexByMonth[T any](records []T, date func(*T) report.Date) byMonth {
	// Each record's month is found once and counted in an array, and the
	// lists are cut from one array to their sizes: a city's complaints,
	// appended to lists that grow, were copied twice, and counted in a map
	// they were hashed a million times.
	const undated = -1
	months := make([]int32, len(records))
	first, last := int32(math.MaxInt32), int32(undated)
	for i := range records {
		months[i] = undated
		if d := date(&records[i]); !d.IsZero() {
			m := int32(d.MonthOf().Index())
			months[i], first, last = m, min(first, m), max(last, m)
		}
	}
	if last == undated {
		return byMonth{}
	}
	sizes := make([]int32, last-first+1)
	dated := 0
	for _, m := range months {
		if m != undated {
			sizes[m-first]++
			dated++
		}
	}
	all := make([]int32, dated)
	ix := byMonth{}
	for k, n := range sizes {
		if n > 0 {
			ix[int(first)+k], all = all[:0:n], all[n:]
		}
	}
	for i, m := range months {
		if m != undated {
			ix[int(m)] = append(ix[int(m)], int32(i))
		}
	}
	return ix
}

// in lists the records dated in s, in the dataset's order. A single
// month's list is the index's own: callers only read it.
func (ix byMonth) in(s span) []int32 {
	if s.from == s.to {
		return ix[s.from.Index()]
	}
	var out []int32
	for m := s.from.Index(); m <= s.to.Index(); m++ {
		out = append(out, ix[m]...)
	}
	slices.Sort(out)
	return out
}

// indexes are the datasets' records by the dates the formulas select on.
type indexes struct {
	samples        byMonth                     // 抽查日期
	casesClosed    byMonth                     // 结案日期
	casesFiled     byMonth                     // 立案日期
	received       byMonth                     // 诉件受理日期
	sampled        byMonth                     // 诉件抽查日期, sampled complaints only
	weekly         byMonth                     // 中队督察日期
	caseFileSample map[string][]*report.Sample // case-file samples by case id, in the dataset's order
}

func newIndexes(ds *report.Dataset) indexes {
	// The indexes are built side by side: each walks a city's year of one
	// dataset's records.
	var ix indexes
	var wg sync.WaitGroup
	wg.Go(func() { ix.samples = indexByMonth(ds.Samples, func(s *report.Sample) report.Date { return s.Date }) })
	wg.Go(func() { ix.casesClosed = indexByMonth(ds.Cases, func(c *report.Case) report.Date { return c.Closed }) })
	wg.Go(func() { ix.casesFiled = indexByMonth(ds.Cases, func(c *report.Case) report.Date { return c.Filed }) })
	wg.Go(func() {
		ix.received = indexByMonth(ds.Complaints, func(c *report.Complaint) report.Date { return c.Received })
	})
	wg.Go(func() {
		ix.sampled = indexByMonth(ds.Complaints, func(c *report.Complaint) report.Date {
			if !c.Sampled {
				return report.Date{}
			}
			return c.SampledOn
		})
	})
	wg.Go(func() {
		ix.weekly = indexByMonth(ds.Weekly, func(w *report.WeeklyRecord) report.Date { return w.Date })
	})
	ix.caseFileSample = map[string][]*report.Sample{}
	for i := range ds.Samples {
		if s := &ds.Samples[i]; s.Kind == report.CaseFile {
			ix.caseFileSample[s.CaseID] = append(ix.caseFileSample[s.CaseID], s)
		}
	}
	wg.Wait()
	return ix
}
