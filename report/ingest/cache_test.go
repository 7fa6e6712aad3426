package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"bulletin/report"
	"bulletin/report/parsecache"
	"bulletin/report/sample"
)

// readCached reads the months through a cache file at path, opened and
// closed as a run does.
func readCached(t *testing.T, cfg *report.Config, root, path, from, through string) (*report.Dataset, *report.Quality) {
	ds, q, _ := readCachedHits(t, cfg, root, path, from, through)
	return ds, q
}

// readCachedHits is readCached that also says how many files came from
// the cache.
func readCachedHits(t *testing.T, cfg *report.Config, root, path, from, through string) (*report.Dataset, *report.Quality, int) {
	t.Helper()
	cache := parsecache.Open(path)
	ds, q, err := ReadWith(context.Background(), cfg, root, month(t, from), month(t, through), Options{Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if err := cache.Close(); err != nil {
		t.Fatal(err)
	}
	return ds, q, cache.Hits()
}

// The sample year read through the cache, empty, filled by earlier
// months, full, damaged or left by other settings, is what parsing gives.
func TestCacheGivesWhatParsingGives(t *testing.T) {
	cfg := loadConfig(t)
	root := t.TempDir()
	if err := sample.Extract(root); err != nil {
		t.Fatal(err)
	}
	want, wantQ := read(t, cfg, root, "2025-01", "2025-12")
	path := filepath.Join(t.TempDir(), CacheFile)
	same := func(what string, ds *report.Dataset, q *report.Quality) {
		t.Helper()
		if !reflect.DeepEqual(ds, want) {
			t.Errorf("%s: the dataset differs from parsing", what)
		}
		if !reflect.DeepEqual(q, wantQ) {
			t.Errorf("%s: the quality report differs from parsing", what)
		}
	}
	if _, _, hits := readCachedHits(t, cfg, root, path, "2025-01", "2025-06"); hits != 0 {
		t.Errorf("%d files from an empty cache", hits)
	}
	ds, q, hits := readCachedHits(t, cfg, root, path, "2025-01", "2025-12")
	same("half cached", ds, q)
	if hits != 3+6*6 { // 2024-12's 案件, 抽查明细 and 监督检查, and January to June's six exports
		t.Errorf("%d files from the cache of the first half, want 39", hits)
	}
	ds, q, hits = readCachedHits(t, cfg, root, path, "2025-01", "2025-12")
	same("all cached", ds, q)
	if hits != len(q.Inputs) {
		t.Errorf("%d of %d files from a full cache", hits, len(q.Inputs))
	}

	// Every byte after the header damaged in turn is found, whatever it hits.
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{40, len(good) / 3, len(good) / 2, len(good) - 1} {
		bad := append([]byte(nil), good...)
		bad[at] ^= 0x5a
		os.WriteFile(path, bad, 0o644)
		ds, q = readCached(t, cfg, root, path, "2025-01", "2025-12")
		same("damaged cache", ds, q)
	}
	os.WriteFile(path, good[:len(good)/2], 0o644)
	ds, q = readCached(t, cfg, root, path, "2025-01", "2025-12")
	same("cut cache", ds, q)

	// Another squad alias is another reading: the cached results are not
	// used (and the data read with it agrees with parsing with it).
	other := loadConfig(t)
	other.Squads[0].Aliases = append(other.Squads[0].Aliases, "江宁")
	wantOther, _ := read(t, other, root, "2025-01", "2025-12")
	ds, _ = readCached(t, other, root, path, "2025-01", "2025-12")
	if !reflect.DeepEqual(ds, wantOther) {
		t.Error("a cached result was used under other settings")
	}

	// A file changed since it was cached is parsed again.
	edited := filepath.Join(root, "2025-03", "诉件.xlsx")
	writeXLSX(t, edited, "诉件", [][]any{complaintHeader, complaintRow("C-NEW", "北站", "2025-03-02")})
	want, wantQ = read(t, cfg, root, "2025-01", "2025-12")
	ds, q = readCached(t, cfg, root, path, "2025-01", "2025-12")
	same("a file changed", ds, q)
}
