package metrics

import "bulletin/report"

// quotaItem is the item a quota id belongs to in the configuration.
func (c *calc) quotaItem(id string) string {
	q, _ := c.cfg.Quota(id)
	return q.Item
}

// collected returns the records under key, collecting them on first use.
func (c *calc) collected(key string, collect func() []Ref) []Ref {
	refs, ok := c.coverRecords[key]
	if !ok {
		refs = collect()
		c.coverRecords[key] = refs
	}
	return refs
}

// coverList collects the records that cover squads. Coverage asks a
// record only its squad and date: unless explaining, a record is kept as
// those two, once per squad and day, where a city's year has hundreds of
// thousands of samples and inspections on a few thousand squad-days (and
// a whole record's detail is a formatted string).
type coverList struct {
	explain bool
	refs    []Ref
	seen    map[squadDay]bool
}

type squadDay struct {
	squad string
	date  report.Date
}

func (l *coverList) add(squad string, d report.Date, full func() Ref) {
	if l.explain {
		l.refs = append(l.refs, full())
		return
	}
	if l.seen == nil {
		l.seen = map[squadDay]bool{}
	}
	if k := (squadDay{squad, d}); !l.seen[k] {
		l.seen[k] = true
		l.refs = append(l.refs, Ref{Squad: squad, Date: d})
	}
}

// sampleRefs lists the samples of kind, of any date.
func (c *calc) sampleRefs(kind report.SampleKind) []Ref {
	return c.collected("抽查明细 "+string(kind), func() []Ref {
		list := coverList{explain: c.explain}
		for i := range c.ds.Samples {
			if s := &c.ds.Samples[i]; s.Kind == kind {
				list.add(s.Squad, s.Date, func() Ref { return sampleRef(s) })
			}
		}
		return list.refs
	})
}

// sources says which records cover a squad on a supervision item.
type sources struct {
	inspections bool                      // 监督检查 rows of the item
	samples     func(*report.Sample) bool // 抽查明细 rows that count; nil for none
	complaints  bool                      // sampled 诉件, on their 抽查日期
	weekly      bool                      // the squads' own 中队督察 records
}

// sources of an item: 依法行政 (the item of its coverage quotas) is
// covered by case-file samples only, as those quotas count; every other
// item by its 监督检查 inspections, and also
//   - 全过程记录 (the recording quotas' item) by audio/video samples,
//   - 重大法核 (the major-case quota's item) by case-file samples of 重大法核 cases,
//   - 重要案（诉）件 (the complaint quota's item) by sampled complaints,
//   - 中队常态化督察 (the weekly quota's item) by 中队督察 records.
func (c *calc) sources(item string) sources {
	kind := func(k report.SampleKind) func(*report.Sample) bool {
		return func(s *report.Sample) bool { return s.Kind == k }
	}
	switch item {
	case c.quotaItem(report.QuotaLawfulCoverageHalf):
		return sources{samples: kind(report.CaseFile)}
	case c.quotaItem(report.QuotaRecordingCoverageHalf):
		return sources{inspections: true, samples: kind(report.AudioVideo)}
	case c.quotaItem(report.QuotaMajorCaseCoverage):
		return sources{inspections: true, samples: func(s *report.Sample) bool {
			cs := c.sampled[s.CaseID]
			return s.Kind == report.CaseFile && cs != nil && cs.MajorReview
		}}
	case c.quotaItem(report.QuotaComplaintSampleRate):
		return sources{inspections: true, complaints: true}
	case c.quotaItem(report.QuotaWeeklyRecords):
		return sources{inspections: true, weekly: true}
	}
	return sources{inspections: true}
}

// itemRecords lists every record, of any date, that covers a squad on item.
func (c *calc) itemRecords(item string) []Ref {
	return c.collected("事项 "+item, func() []Ref { return c.collectItemRecords(item) })
}

func (c *calc) collectItemRecords(item string) []Ref {
	src := c.sources(item)
	list := coverList{explain: c.explain}
	if src.inspections {
		for i := range c.ds.Inspections {
			if in := &c.ds.Inspections[i]; in.Item == item {
				list.add(in.Squad, in.Date, func() Ref { return inspectionRef(in) })
			}
		}
	}
	if src.samples != nil {
		for i := range c.ds.Samples {
			if s := &c.ds.Samples[i]; src.samples(s) {
				list.add(s.Squad, s.Date, func() Ref { return sampleRef(s) })
			}
		}
	}
	if src.complaints {
		for i := range c.ds.Complaints {
			if cp := &c.ds.Complaints[i]; cp.Sampled {
				list.add(cp.Squad, cp.SampledOn, func() Ref { return complaintRef(cp, cp.SampledOn) })
			}
		}
	}
	if src.weekly {
		for i := range c.ds.Weekly {
			w := &c.ds.Weekly[i]
			list.add(w.Squad, w.Date, func() Ref { return weeklyRef(w) })
		}
	}
	return list.refs
}

// coveredSquads is the set of squads among records dated in s.
func coveredSquads(records []Ref, s span) map[string]bool {
	set := map[string]bool{}
	for _, r := range records {
		if r.Squad != "" && s.contains(r.Date) {
			set[r.Squad] = true
		}
	}
	return set
}

// coverageSection lists, per item, the squads covered in the report span
// and in the half to date, and the counted squads the half still misses.
func (c *calc) coverageSection(s span) []report.Coverage {
	half := halfToDate(s.to)
	out := make([]report.Coverage, 0, len(c.cfg.Items))
	for _, it := range c.cfg.Items {
		records := c.itemRecords(it.Name)
		inHalf := coveredSquads(records, half)
		cov := report.Coverage{
			Item:        it.Name,
			Month:       c.sortedSquads(coveredSquads(records, s)),
			Half:        c.sortedSquads(inHalf),
			HalfMissing: []string{},
		}
		for _, sq := range c.counted {
			if !inHalf[sq] {
				cov.HalfMissing = append(cov.HalfMissing, sq)
			}
		}
		out = append(out, cov)
	}
	return out
}
