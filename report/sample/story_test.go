package sample

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The embedded data read back from its files, the way the tool will see it
// once every folder is there: duplicates resolved by the latest folder, bad
// rows rejected. The story of the package documentation is checked on it.

type caseView struct {
	squad         int
	filed, closed day
	major         bool
	open          bool
}

type sampleView struct {
	date   day
	av     bool
	caseID string
}

type inspectionView struct {
	date     day
	item     int
	squad    int
	deadline day
	state    string
}

type complaintView struct {
	received  day
	sampledOn day
}

type ledgerView struct {
	item   string
	date   day
	period string
}

type weeklyView struct {
	squad int
	date  day
}

type dataView struct {
	cases       map[string]caseView
	caseFolders map[string][]string // case id -> folders it is exported in, with its state
	samples     map[string]sampleView
	inspections map[string]inspectionView
	complaints  map[string]complaintView
	weekly      []weeklyView
	ledger      []ledgerView
	rejected    map[string]int // "folder dataset" -> rows rejected
	unknownCase map[string]int // "folder" -> samples naming an unknown case
}

func loadView(t *testing.T, fsys fs.FS) *dataView {
	t.Helper()
	v := &dataView{cases: map[string]caseView{}, caseFolders: map[string][]string{}, samples: map[string]sampleView{},
		inspections: map[string]inspectionView{}, complaints: map[string]complaintView{},
		rejected: map[string]int{}, unknownCase: map[string]int{}}
	squads := squadIndex(DefaultSquads())
	items := map[string]int{}
	for i, it := range DefaultItems() {
		for _, n := range append([]string{it.Name}, it.Aliases...) {
			items[n] = i
		}
	}
	folders := monthFolders(t, fsys)
	for _, folder := range folders {
		reject := func(ds int) { v.rejected[folder+" "+datasets[ds].name]++ }
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsCases), dsCases) {
			s, okS := squads[r["承办中队"]]
			filed, okF := parseDate(r["立案日期"])
			if !okS || !okF {
				reject(dsCases)
				continue
			}
			c := caseView{squad: s, filed: filed, major: parseBool(r["是否重大法核"]), open: r["结案日期"] == ""}
			if !c.open {
				c.closed, _ = parseDate(r["结案日期"])
			}
			v.cases[r["案件编号"]] = c
			v.caseFolders[r["案件编号"]] = append(v.caseFolders[r["案件编号"]], folder+" "+r["案件状态"])
		}
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsSamples), dsSamples) {
			d, ok := parseDate(r["抽查日期"])
			if !ok {
				reject(dsSamples)
				continue
			}
			v.samples[r["抽查编号"]] = sampleView{date: d, av: slices.Contains(typeAliases[true], r["抽查类型"]), caseID: r["案件编号"]}
		}
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsInspections), dsInspections) {
			d, okD := parseDate(r["检查日期"])
			s, okS := squads[r["被检查中队"]]
			item, okI := items[r["监督事项"]]
			problems, err := strconv.Atoi(r["发现问题数"])
			if !okD || !okS || !okI || err != nil || problems < 0 {
				reject(dsInspections)
				continue
			}
			deadline, _ := parseDate(r["整改期限"])
			v.inspections[r["记录编号"]] = inspectionView{date: d, item: item, squad: s, deadline: deadline, state: r["整改状态"]}
		}
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsComplaints), dsComplaints) {
			d, okD := parseDate(r["受理日期"])
			_, okS := squads[r["所属中队"]]
			if !okD || !okS {
				reject(dsComplaints)
				continue
			}
			c := complaintView{received: d}
			if parseBool(r["是否抽查"]) {
				c.sampledOn, _ = parseDate(r["抽查日期"])
			}
			v.complaints[r["诉件编号"]] = c
		}
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsWeekly), dsWeekly) {
			d, okD := parseDate(r["督察日期"])
			s, okS := squads[r["中队"]]
			if !okD || !okS {
				reject(dsWeekly)
				continue
			}
			v.weekly = append(v.weekly, weeklyView{s, d})
		}
		for _, r := range readRecords(t, fsys, exportFile(t, fsys, folder, dsLedger), dsLedger) {
			d, ok := parseDate(r["完成日期"])
			if !ok {
				reject(dsLedger)
				continue
			}
			v.ledger = append(v.ledger, ledgerView{r["事项"], d, r["所属期间"]})
		}
	}
	for _, s := range v.samples {
		if _, ok := v.cases[s.caseID]; !ok {
			v.unknownCase[s.date.month().String()]++
		}
	}
	return v
}

func monthFolders(t *testing.T, fsys fs.FS) []string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	var folders []string
	for _, e := range entries {
		folders = append(folders, e.Name())
	}
	slices.Sort(folders)
	return folders
}

// squadsWhere lists the distinct squads of the inspections of item dated in
// months [from, to].
func (v *dataView) squadsInspected(item int, from, to month) map[int]bool {
	got := map[int]bool{}
	for _, x := range v.inspections {
		if x.item == item && x.date >= from.first() && x.date <= to.last() {
			got[x.squad] = true
		}
	}
	return got
}

func (v *dataView) fileSamples(from, to month, av bool) map[string]sampleView {
	got := map[string]sampleView{}
	for id, s := range v.samples {
		if s.av == av && s.date >= from.first() && s.date <= to.last() {
			got[id] = s
		}
	}
	return got
}

func missingSquads(covered map[int]bool) []string {
	var missing []string
	for i, s := range DefaultSquads() {
		if !covered[i] {
			missing = append(missing, s.Name)
		}
	}
	return missing
}

func (v *dataView) sampledSquads(samples map[string]sampleView) map[int]bool {
	got := map[int]bool{}
	for _, s := range samples {
		if c, ok := v.cases[s.caseID]; ok {
			got[c.squad] = true
		}
	}
	return got
}

// TestStory checks the story on the embedded set and on a set of another
// seed and scale: it is built into the generator, not luck of the seed.
func TestStory(t *testing.T) {
	other := DefaultOptions()
	other.Seed, other.Scale = 7, 1.5
	dir := t.TempDir()
	if err := Generate(dir, other); err != nil {
		t.Fatal(err)
	}
	for _, set := range []struct {
		name string
		fsys fs.FS
	}{{"embedded", FS()}, {"seed 7 scale 1.5", os.DirFS(dir)}} {
		t.Run(set.name, func(t *testing.T) {
			v := loadView(t, set.fsys)
			for _, check := range []struct {
				name string
				fn   func(*testing.T, *dataView)
			}{
				{"case files", storyCaseFiles},
				{"inspections", storyInspections},
				{"complaints", storyComplaints},
				{"weekly records", storyWeeklyRecords},
				{"ledger", storyLedger},
				{"bad rows", storyBadRows},
				{"cases exported again", storyCasesExportedAgain},
			} {
				t.Run(check.name, func(t *testing.T) { check.fn(t, v) })
			}
		})
	}
}

func year2025() []month {
	var ms []month
	for m := monthOf(2025, time.January); m <= monthOf(2025, time.December); m++ {
		ms = append(ms, m)
	}
	return ms
}

// expectMiss checks that a quota is missed exactly in the listed months.
func expectMiss(t *testing.T, quota string, missed func(m month) (bool, string), months ...time.Month) {
	t.Helper()
	for _, m := range year2025() {
		got, detail := missed(m)
		if want := slices.Contains(months, m.calendar()); got != want {
			t.Errorf("%s %s: missed = %v, the story says %v (%s)", quota, m, got, want, detail)
		}
	}
}

func storyCaseFiles(t *testing.T, v *dataView) {
	expectMiss(t, "lawful.case_sample_rate", func(m month) (bool, string) {
		closed := 0
		for _, c := range v.cases {
			if !c.open && (m - 1).contains(c.closed) {
				closed++
			}
		}
		n := len(v.fileSamples(m, m, false))
		return float64(n) < 0.10*float64(closed), fmt.Sprintf("%d samples, %d closed", n, closed)
	}, time.March, time.August)

	expectMiss(t, "lawful.squad_coverage_month", func(m month) (bool, string) {
		n := len(v.sampledSquads(v.fileSamples(m, m, false)))
		return n < 3, fmt.Sprint(n, " squads")
	})

	expectMiss(t, "recording.av_sample_rate", func(m month) (bool, string) {
		filed := 0
		for _, c := range v.cases {
			if (m - 1).contains(c.filed) {
				filed++
			}
		}
		n := len(v.fileSamples(m, m, true))
		return float64(n) < 0.10*float64(filed), fmt.Sprintf("%d samples, %d filed", n, filed)
	}, time.April)

	expectMiss(t, "recording.squad_coverage_month", func(m month) (bool, string) {
		n := len(v.sampledSquads(v.fileSamples(m, m, true)))
		return n < 3, fmt.Sprint(n, " squads")
	}, time.October)

	expectMiss(t, "legal_review.major_case_coverage", func(m month) (bool, string) {
		sampled := map[string]bool{}
		for _, s := range v.fileSamples(monthOf(2024, time.December), m, false) {
			sampled[s.caseID] = true
		}
		unsampled := 0
		for id, c := range v.cases {
			if c.major && !c.open && m.contains(c.closed) && !sampled[id] {
				unsampled++
			}
		}
		if want := stories[m.calendar()].majorsUnsampled; unsampled != want {
			t.Errorf("%s: %d 重大法核 cases closed without a sample, the story says %d", m, unsampled, want)
		}
		return unsampled > 0, fmt.Sprint(unsampled, " unsampled")
	}, time.May, time.September)

	jan, jun, jul, dec := monthOf(2025, time.January), monthOf(2025, time.June), monthOf(2025, time.July), monthOf(2025, time.December)
	if missing := missingSquads(v.sampledSquads(v.fileSamples(jan, jun, false))); len(missing) != 0 {
		t.Errorf("H1: squads without a 案卷 sample %v, want none", missing)
	}
	if missing := missingSquads(v.sampledSquads(v.fileSamples(jul, dec, false))); !slices.Equal(missing, []string{"彭浦镇中队"}) {
		t.Errorf("H2: squads without a 案卷 sample %v, want [彭浦镇中队]", missing)
	}
	perSquad := map[int]int{}
	for _, s := range v.fileSamples(jan, dec, false) {
		if c, ok := v.cases[s.caseID]; ok {
			perSquad[c.squad]++
		}
	}
	for i, s := range DefaultSquads() {
		switch i {
		case squadLowSamples:
			if perSquad[i] != 4 {
				t.Errorf("%s: %d 案卷 samples in 2025, the story says 4", s.Name, perSquad[i])
			}
		case squadNoFilesH2:
		default:
			if perSquad[i] < 10 {
				t.Errorf("%s: %d 案卷 samples in 2025, want ≥ 10", s.Name, perSquad[i])
			}
		}
	}

	// June samples a case filed in 2024; its squad must come from the case.
	found := false
	for _, s := range v.fileSamples(jun, jun, false) {
		if c, ok := v.cases[s.caseID]; ok && c.filed.month().year() == 2024 {
			found = true
		}
	}
	if !found {
		t.Error("no 案卷 sample in June of a case filed in 2024")
	}
}

func storyInspections(t *testing.T, v *dataView) {
	expectMiss(t, "disclosure.checked_month", func(m month) (bool, string) {
		n := 0
		for _, x := range v.inspections {
			if x.item == itemDisclosure && m.contains(x.date) {
				n++
			}
		}
		return n == 0, fmt.Sprint(n, " inspections")
	}, time.February)
	monthly := map[int][]time.Month{itemAccountability: {time.October}, itemEffectiveness: {time.January}, itemTeam: nil}
	for item, months := range monthly {
		expectMiss(t, DefaultItems()[item].Name+" squad_coverage_month", func(m month) (bool, string) {
			n := len(v.squadsInspected(item, m, m))
			return n < 3, fmt.Sprint(n, " squads")
		}, months...)
	}
	jan, jun, jul, dec := monthOf(2025, time.January), monthOf(2025, time.June), monthOf(2025, time.July), monthOf(2025, time.December)
	halves := []struct {
		item   int
		from   month
		to     month
		follow []string
	}{
		{itemDisclosure, jan, jun, []string{"大宁路中队"}},
		{itemDisclosure, jul, dec, nil},
		{itemAccountability, jan, jun, nil},
		{itemAccountability, jul, dec, nil},
		{itemEffectiveness, jan, jun, nil},
		{itemEffectiveness, jul, dec, []string{"共和新路中队"}},
		{itemTeam, jan, jun, nil},
		{itemTeam, jul, dec, nil},
	}
	for _, h := range halves {
		if missing := missingSquads(v.squadsInspected(h.item, h.from, h.to)); !slices.Equal(missing, h.follow) {
			t.Errorf("%s %s..%s: squads never inspected %v, the story says %v", DefaultItems()[h.item].Name, h.from, h.to, missing, h.follow)
		}
	}
	overdue := 0
	for _, x := range v.inspections {
		if x.deadline != 0 && x.deadline < dec.last() && x.state != "已整改" {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("no overdue rectification at the end of 2025")
	}
}

func storyComplaints(t *testing.T, v *dataView) {
	expectMiss(t, "complaints.sample_rate", func(m month) (bool, string) {
		received, sampled := 0, 0
		for _, c := range v.complaints {
			if m.contains(c.received) {
				received++
			}
			if c.sampledOn != 0 && m.contains(c.sampledOn) {
				sampled++
			}
		}
		return float64(sampled) < 0.01*float64(received), fmt.Sprintf("%d of %d", sampled, received)
	}, time.February, time.November)
}

func storyWeeklyRecords(t *testing.T, v *dataView) {
	kept := map[[2]int]bool{} // squad, Monday
	for _, w := range v.weekly {
		kept[[2]int{w.squad, int(w.date.monday())}] = true
	}
	for _, m := range year2025() {
		for week, monday := range weeksOf(m) {
			for s, sq := range DefaultSquads() {
				if got, want := kept[[2]int{s, int(monday)}], !weekGap(s, m, week); got != want {
					t.Errorf("%s week of %s: %s has records %v, the story says %v", m, monday.time().Format("01-02"), sq.Name, got, want)
				}
			}
		}
	}
}

var halfPeriod = regexp.MustCompile(`^(\d{4})(?:-H([12])|年([上下])半年)$`)

// ledgerPeriods says which month, half or year a 工作台账 row belongs to.
func ledgerPeriod(l ledgerView) string {
	switch m := halfPeriod.FindStringSubmatch(l.period); {
	case m != nil && (m[2] == "1" || m[3] == "上"):
		return m[1] + "-H1"
	case m != nil:
		return m[1] + "-H2"
	case l.period == "":
		return l.date.month().String()
	}
	if d, ok := parseDate(strings.NewReplacer("年", "-", "月", "").Replace(l.period) + "-1"); ok {
		return d.month().String()
	}
	return l.period
}

func storyLedger(t *testing.T, v *dataView) {
	held := map[string][]ledgerView{} // item + period
	for _, l := range v.ledger {
		key := l.item + " " + ledgerPeriod(l)
		held[key] = append(held[key], l)
	}
	expectMiss(t, "lawful.review_meeting", func(m month) (bool, string) {
		return len(held["案卷质量讲评会 "+m.String()]) == 0, ""
	}, time.July)
	expectMiss(t, "effectiveness.summary_on_time", func(m month) (bool, string) {
		rows := held["月度工作总结和计划 "+(m-1).String()]
		return len(rows) != 1 || rows[0].date > m.dayN(5), fmt.Sprint(rows)
	}, time.April)
	expectMiss(t, "team.dynamic_info", func(m month) (bool, string) {
		return len(held["强转树动态信息 "+m.String()]) == 0, ""
	}, time.September)
	// Held once each; November's 案卷集中评查 has no 所属期间, so it
	// belongs to its month, which lies in H2.
	for _, key := range []string{"案卷集中评查 2025-H1", "案卷集中评查 2025-11", "自查报告（公示制度） 2025-H1", "自查报告（重大法核） 2025-H1",
		"自查报告（全过程记录） 2025-H2", "强转树年度总结 2025"} {
		if len(held[key]) != 1 {
			t.Errorf("工作台账: %d rows of %s, want 1 (periods seen: %v)", len(held[key]), key, slices.Sorted(maps.Keys(held)))
		}
	}
}

func storyBadRows(t *testing.T, v *dataView) {
	want := map[string]int{"2025-03 案件": 1, "2025-05 监督检查": 1, "2025-06 诉件": 1, "2025-07 监督检查": 1, "2025-09 诉件": 1}
	if !maps.Equal(v.rejected, want) {
		t.Errorf("rejected rows by folder: %v, want %v", v.rejected, want)
	}
	// The first folder's samples are of cases closed the month before,
	// which no folder holds; after it, only April's bad row.
	later := maps.Clone(v.unknownCase)
	maps.DeleteFunc(later, func(m string, _ int) bool { return m < "2025-01" })
	if want := map[string]int{"2025-04": 1}; v.unknownCase["2024-12"] == 0 || !maps.Equal(later, want) {
		t.Errorf("samples of unknown cases by month: %v, want some in 2024-12 and, from 2025, %v", v.unknownCase, want)
	}
}

func storyCasesExportedAgain(t *testing.T, v *dataView) {
	reexported := 0
	for _, folders := range v.caseFolders {
		if len(folders) == 2 && !strings.HasSuffix(folders[0], "结案") && strings.HasSuffix(folders[1], "结案") {
			reexported++
		}
	}
	// Most cases close within two months of filing: hundreds per year.
	if reexported < 1000 {
		t.Errorf("%d cases exported open and then closed in a later folder, want ≥ 1000", reexported)
	}
}
