package figschema_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"bulletin/report"
	"bulletin/report/config"
	"bulletin/report/figschema"
	"bulletin/report/ingest"
	"bulletin/report/metrics"
	"bulletin/report/metrics/metricstest"
	"bulletin/report/sample"
)

// pipeline is the real config and the embedded sample data extracted to disk.
type pipeline struct {
	cfg  *report.Config
	data string
}

func newPipeline(t *testing.T) pipeline {
	t.Helper()
	cfg, err := config.Load("../../config.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if err := sample.Extract(data); err != nil {
		t.Fatal(err)
	}
	return pipeline{cfg, data}
}

// read reads what a report of month m reads: January through m, and the
// previous December in January for 上月.
func (p pipeline) read(t *testing.T, m report.Month) (*report.Dataset, *report.Quality) {
	t.Helper()
	from := report.Month{Year: m.Year, Month: 1}
	if m.Month == 1 {
		from = m.Prev()
	}
	ds, q, err := ingest.Read(context.Background(), p.cfg, p.data, from, m)
	if err != nil {
		t.Fatal(err)
	}
	return ds, q
}

// issued is the day a report on month m is issued: the 2nd of the next month.
func issued(m report.Month) report.Date { return m.Add(1).First().AddDays(1) }

func marshal(t *testing.T, f *report.Figures) []byte {
	t.Helper()
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// The acceptance: the monthly figures of every month of 2025 and
// the half-year figures of both halves, computed on the sample data, are
// valid figures.json.
func TestSampleYearValidates(t *testing.T) {
	p := newPipeline(t)
	var earlier []metrics.Issued // the months before, as issued
	for month := 1; month <= 12; month++ {
		m := report.Month{Year: 2025, Month: time.Month(month)}
		t.Run(m.String(), func(t *testing.T) {
			ds, q := p.read(t, m)
			f, err := metrics.Monthly(p.cfg, ds, q, m, issued(m), earlier)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				is, err := metrics.IssuedOf(f)
				if err != nil {
					t.Fatal(err)
				}
				earlier = append(earlier, is)
			}()
			if err := figschema.Validate(marshal(t, f)); err != nil {
				t.Error(err)
			}
			if m != m.Half().Last() {
				return
			}
			h, err := metrics.HalfYear(p.cfg, ds, q, m.Half(), issued(m), earlier)
			if err != nil {
				t.Fatal(err)
			}
			if err := figschema.Validate(marshal(t, h)); err != nil {
				t.Errorf("%s: %v", m.Half(), err)
			}
		})
	}
}

// document is decoded figures.json that a test can break in one place;
// numbers stay json.Number so that what is not broken re-encodes as it was.
type document = map[string]any

func decode(t *testing.T, data []byte) document {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// at follows a path of keys and indexes to an object in doc.
func at(doc document, path ...any) document {
	var v any = doc
	for _, step := range path {
		switch s := step.(type) {
		case string:
			v = v.(document)[s]
		case int:
			v = v.([]any)[s]
		}
	}
	return v.(document)
}

// quotaIndex is the position of quota id in doc's quotas.
func quotaIndex(t *testing.T, doc document, id string) int {
	t.Helper()
	for i, q := range doc["quotas"].([]any) {
		if q.(document)["id"] == id {
			return i
		}
	}
	t.Fatalf("quota %s not in the figures", id)
	return -1
}

// Each way of breaking a real figures.json is caught, and the error names
// the place: a consumer must be told where, not only that.
func TestBrokenFiguresAreRejected(t *testing.T) {
	p := newPipeline(t)
	june := report.Month{Year: 2025, Month: time.June}
	ds, q := p.read(t, june)
	earlier, err := metricstest.JudgeBefore(p.cfg, ds, june)
	if err != nil {
		t.Fatal(err)
	}
	f, err := metrics.Monthly(p.cfg, ds, q, june, issued(june), earlier)
	if err != nil {
		t.Fatal(err)
	}
	valid := marshal(t, f)
	if err := figschema.Validate(valid); err != nil {
		t.Fatalf("the unbroken figures must validate, else the cases below prove nothing: %v", err)
	}
	annual := quotaIndex(t, decode(t, valid), report.QuotaAnnualPerSquad) // not due in June
	cases := []struct {
		name    string
		breakIt func(doc document)
		where   string // the JSON pointer the error must name
		what    string // and a word of what is wrong there
	}{
		{"quota id renamed", func(d document) { at(d, "quotas", 0)["id"] = "lawful.case_sampling_rate" },
			"/quotas/0/id", "lawful.case_sample_rate"},
		{"value as a string", func(d document) { at(d, "quotas", 0)["value"] = "0.12" },
			"/quotas/0/value", "string"},
		{"required field missing", func(d document) { delete(at(d, "quotas", 1), "denominator") },
			"/quotas/1", "denominator"},
		{"nullable field missing, not null", func(d document) { delete(at(d, "quotas", annual), "met") },
			"/quotas/" + strconv.Itoa(annual), "met"},
		{"unknown top-level field", func(d document) { d["generated_by"] = "bulletin" },
			"(top level)", "generated_by"},
		{"field renamed in a squad line", func(d document) {
			s := at(d, "squads", 0)
			s["weekly_week"] = s["weekly_weeks"]
			delete(s, "weekly_weeks")
		}, "/squads/0", "weekly_week"},
		{"top-level field missing", func(d document) { delete(d, "period") }, "(top level)", "period"},
		{"date with slashes", func(d document) { d["issue_date"] = "2025/07/02" }, "/issue_date", "2025/07/02"},
		{"date that does not exist", func(d document) { d["issue_date"] = "2025-02-30" }, "/issue_date", "date"},
		{"period without leading zero", func(d document) { d["period"] = "2025-6" }, "/period", "2025-6"},
		{"count as a fraction", func(d document) { at(d, "squads", 0)["rank"] = json.Number("1.5") },
			"/squads/0/rank", "integer"},
		{"met decided before the quota is due", func(d document) { at(d, "quotas", annual)["met"] = true },
			"/quotas/" + strconv.Itoa(annual) + "/met", "null"},
		{"a quota left out", func(d document) { d["quotas"] = d["quotas"].([]any)[1:] }, "/quotas", "22"},
		{"a half's last month without its half summary", func(d document) { delete(d, "half_summary") },
			"(top level)", "half_summary"},
		{"trend keyed by an unknown rate", func(d document) {
			at(d, "trend", 0, "values")["lawful.case_rate"] = json.Number("0.1")
		}, "/trend/0/values", "lawful.case_rate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := decode(t, valid)
			c.breakIt(doc)
			broken, err := json.Marshal(doc)
			if err != nil {
				t.Fatal(err)
			}
			err = figschema.Validate(broken)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), "at "+c.where+":") || !strings.Contains(err.Error(), c.what) {
				t.Errorf("the error should name %s and %q:\n%v", c.where, c.what, err)
			}
		})
	}
}

func TestNotJSONIsRejected(t *testing.T) {
	err := figschema.Validate([]byte(`{"period": "2025-05",`))
	if err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("got %v", err)
	}
}

// The schema's fixed vocabularies are the code's: a quota id, dataset or
// evaluation indicator added to the code needs its place in the schema
// (and in docs/figures.md).
func TestSchemaListsTheCodesVocabulary(t *testing.T) {
	data, err := os.ReadFile("figures.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Enum       []string `json:"enum"`
			Properties map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	indicators := []string{metrics.IndicatorPassRate, metrics.IndicatorRectification, metrics.IndicatorWeekly,
		metrics.IndicatorComplaintDuty, metrics.IndicatorAbnormal}
	for def, want := range map[string][]string{
		"quotaId":      report.QuotaIDs,
		"dataset":      report.DatasetNames,
		"indicatorKey": indicators,
	} {
		if got := schema.Defs[def].Enum; !slices.Equal(got, want) {
			t.Errorf("$defs.%s.enum = %q, the code has %q", def, got, want)
		}
	}
	trendKeys := slices.Sorted(maps.Keys(schema.Defs["trendPoint"].Properties["values"].Properties))
	want := slices.Sorted(slices.Values(append(slices.Clone(report.QuotaIDs), report.TrendPassRate)))
	if !slices.Equal(trendKeys, want) {
		t.Errorf("the trend values' keys in the schema are %q, the code's %q", trendKeys, want)
	}
}
