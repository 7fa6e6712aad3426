package metrics

import (
	"slices"

	"bulletin/report"
)

// byMonth lists a dataset's records by the month of one of their dates,
// in the dataset's order within a month. The trend asks every monthly
// quota of each month of the year: scanning a city's year of records for
// each of them took longer than all the other figures.
type byMonth map[int][]int32

func indexByMonth[T any](records []T, date func(*T) report.Date) byMonth {
	// Counted first, the lists are cut from one array to their sizes: a
	// city's complaints, appended to lists that grow, were copied twice.
	sizes := map[int]int{}
	total := 0
	for i := range records {
		if d := date(&records[i]); !d.IsZero() {
			sizes[d.MonthOf().Index()]++
			total++
		}
	}
	all := make([]int32, total)
	ix := make(byMonth, len(sizes))
	for m, n := range sizes {
		ix[m], all = all[:0:n], all[n:]
	}
	for i := range records {
		if d := date(&records[i]); !d.IsZero() {
			m := d.MonthOf().Index()
			ix[m] = append(ix[m], int32(i))
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
	ix := indexes{
		samples:     indexByMonth(ds.Samples, func(s *report.Sample) report.Date { return s.Date }),
		casesClosed: indexByMonth(ds.Cases, func(c *report.Case) report.Date { return c.Closed }),
		casesFiled:  indexByMonth(ds.Cases, func(c *report.Case) report.Date { return c.Filed }),
		received:    indexByMonth(ds.Complaints, func(c *report.Complaint) report.Date { return c.Received }),
		sampled: indexByMonth(ds.Complaints, func(c *report.Complaint) report.Date {
			if !c.Sampled {
				return report.Date{}
			}
			return c.SampledOn
		}),
		weekly:         indexByMonth(ds.Weekly, func(w *report.WeeklyRecord) report.Date { return w.Date }),
		caseFileSample: map[string][]*report.Sample{},
	}
	for i := range ds.Samples {
		if s := &ds.Samples[i]; s.Kind == report.CaseFile {
			ix.caseFileSample[s.CaseID] = append(ix.caseFileSample[s.CaseID], s)
		}
	}
	return ix
}
