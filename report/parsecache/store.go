// Package parsecache keeps what reading each export gave in one disposable
// file beside the outputs, so that a file once read is not parsed again:
// a month's run reads the earlier folders' exports from here, and a year
// of bulletins parses each file once.
//
// Entries are found by a key the caller derives from everything the result
// depends on (the file's content hash, the reader's version, the settings
// reading uses), so a changed file or setting simply misses. Each entry
// carries a checksum; a damaged file, entry or version is ignored and
// rewritten, never trusted. Deleting the file changes nothing but time.
package parsecache

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// magic opens the file; its last digit is the file format's version.
var magic = []byte("bulletin parse cache 3\n")

// Store is one cache file, opened for a run. Its methods are safe for
// concurrent use.
type Store struct {
	path string
	f    *os.File // the file as it was when opened; nil if absent or unusable
	gen  uint64   // how many times the file has been rewritten

	mu      sync.Mutex
	entries map[string]*slot // by key, in f
	// next is the file's next version, written as entries are added (so
	// that they are not held in memory) and completed at Close; nil until
	// an entry is added or dropped.
	next    *os.File
	nextEnd int64
	added   map[string]*slot // by key, in next
	dirty   bool             // a damaged entry was found: rewrite without it
	hits    int
	failed  error // writing next failed: nothing more is added
	// spare holds the encoders of Puts done: one a reading worker at most.
	spare []*encoder
	// Ignored says why the file could not be used, when it could not.
	Ignored string
}

// slot is an entry of the file: where its payload is.
type slot struct {
	source   string
	lastUsed uint64
	off, n   int64 // the payload and its checksum follow at off
	used     bool
}

// Open opens the cache file at path. A missing file is an empty cache; a
// file that is not a cache of this version, or damaged, is ignored (the
// reason is in Ignored) and replaced at Close.
func Open(path string) *Store {
	removeAbandoned(path)
	s := &Store{path: path, entries: map[string]*slot{}, added: map[string]*slot{}}
	f, err := os.Open(path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.Ignored = err.Error()
		}
		return s
	}
	if err := s.scan(f); err != nil {
		s.Ignored = err.Error()
		s.dirty = true
		if len(s.entries) == 0 {
			f.Close()
			return s
		}
	}
	s.f = f
	return s
}

// removeAbandoned removes the next versions (createNext) that runs killed
// before their end left beside the file at path: those no run holds
// locked. A run that had only just created its next version, not yet
// locked (or, on Windows, had just closed it to rename it), may lose it
// here; that run then keeps the file as it was, which costs only time.
func removeAbandoned(path string) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !isNextVersion(path, name) {
			continue
		}
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		abandoned, _ := tryLock(f)
		f.Close() // before removing: Windows removes no open file
		if abandoned {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// nextPattern is the os.CreateTemp pattern of the next versions of the
// file at path: hidden, beside it.
func nextPattern(path string) string { return "." + filepath.Base(path) + ".*.tmp" }

// isNextVersion reports whether name is one os.CreateTemp makes of
// nextPattern(path): digits where the pattern has *.
func isNextVersion(path, name string) bool {
	prefix, suffix, _ := strings.Cut(nextPattern(path), "*")
	random, ok := strings.CutPrefix(name, prefix)
	random, ok2 := strings.CutSuffix(random, suffix)
	return ok && ok2 && random != "" && strings.Trim(random, "0123456789") == ""
}

// scan indexes the entries of f, reading their headers only. It stops at
// the first damaged header, keeping the entries before it.
func (s *Store) scan(f *os.File) error {
	r := bufio.NewReaderSize(f, 64<<10)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(r, head); err != nil || !bytes.Equal(head, magic) {
		return fmt.Errorf("%s is not a cache file of this version", s.path)
	}
	pos := int64(len(magic))
	gen, n, err := uvarint(r)
	if err != nil {
		return fmt.Errorf("%s: damaged header", s.path)
	}
	s.gen = gen
	pos += n
	for {
		start := pos
		key, n1, err := field(r)
		if err == io.EOF {
			return nil
		}
		source, n2, err2 := field(r)
		lastUsed, n3, err3 := uvarint(r)
		size, n4, err4 := uvarint(r)
		if err := errors.Join(err, err2, err3, err4); err != nil || size > 1<<40 {
			return fmt.Errorf("%s: damaged entry at byte %d", s.path, start)
		}
		pos += n1 + n2 + n3 + n4
		if _, err := r.Discard(int(size) + 4); err != nil {
			return fmt.Errorf("%s: cut short at byte %d", s.path, start)
		}
		s.entries[string(key)] = &slot{source: string(source), lastUsed: lastUsed, off: pos, n: int64(size)}
		pos += int64(size) + 4
	}
}

func uvarint(r *bufio.Reader) (uint64, int64, error) {
	var n int64
	v, err := binary.ReadUvarint(&countingReader{r, &n})
	return v, n, err
}

type countingReader struct {
	r *bufio.Reader
	n *int64
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		*c.n++
	}
	return b, err
}

// field reads a length-prefixed string of at most 64 KiB.
func field(r *bufio.Reader) ([]byte, int64, error) {
	l, n, err := uvarint(r)
	if err != nil {
		return nil, n, err
	}
	if l > 64<<10 {
		return nil, n, errCorrupt
	}
	b := make([]byte, l)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, n, io.ErrUnexpectedEOF
	}
	return b, n + int64(l), nil
}

// Get returns the entry of key, decoded as into says (nil: into new
// slices, every record), or false when there is none or it is damaged
// (then it is dropped at Close).
func (s *Store) Get(key string, into *Decoding) (*Entry, bool) {
	s.mu.Lock()
	f := s.f
	sl, ok := s.entries[key]
	if a, in := s.added[key]; in {
		f, sl, ok = s.next, a, true
	}
	s.mu.Unlock()
	if !ok || f == nil {
		return nil, false
	}
	pooled := readBuffer(int(sl.n + 4))
	defer readBuffers.Put(pooled)
	buf := *pooled
	if _, err := f.ReadAt(buf, sl.off); err != nil {
		s.drop(key)
		return nil, false
	}
	payload := buf[:sl.n]
	if binary.LittleEndian.Uint32(buf[sl.n:]) != checksum(key, payload) {
		s.drop(key)
		return nil, false
	}
	en, err := decode(payload, into)
	if err != nil {
		s.drop(key)
		return nil, false
	}
	s.mu.Lock()
	sl.used = true
	s.hits++
	s.mu.Unlock()
	return en, true
}

// readBuffers holds the memory entries were read into, decoded and done
// with (*[]byte): most entries of a run are a few MB, and reading each into
// fresh memory cost a page fault every 4 KiB of it.
var readBuffers sync.Pool

// readBuffer is n bytes from readBuffers, or new ones.
func readBuffer(n int) *[]byte {
	buf, _ := readBuffers.Get().(*[]byte)
	if buf == nil || cap(*buf) < n {
		b := make([]byte, n)
		buf = &b
	}
	*buf = (*buf)[:n]
	return buf
}

// Hits is how many entries Get has returned.
func (s *Store) Hits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits
}

func (s *Store) drop(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.entries, key)
	s.dirty = true
}

func checksum(key string, payload []byte) uint32 {
	c := crc32.ChecksumIEEE([]byte(key))
	return crc32.Update(c, crc32.IEEETable, payload)
}

// Put adds what reading source (a file's path) gave under key. An entry of
// the same source with another key (the file changed, or the settings) is
// dropped at Close. A cache that cannot be written is only slower: the
// error is kept for Close.
func (s *Store) Put(key, source string, en *Entry) {
	e := s.encoder()
	defer s.release(e) // after the write, once s.mu is unlocked
	tables, fields := e.encode(en)
	n := int64(len(tables) + len(fields))
	sum := crc32.Update(checksum(key, tables), crc32.IEEETable, fields)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.startNext(); err != nil {
		return
	}
	head := appendHeader(nil, key, source, s.gen+1, n)
	at := s.nextEnd
	for _, part := range [][]byte{head, tables, fields, binary.LittleEndian.AppendUint32(nil, sum)} {
		if _, err := s.next.WriteAt(part, at); err != nil {
			s.failed = err
			return
		}
		at += int64(len(part))
	}
	s.added[key] = &slot{source: source, off: s.nextEnd + int64(len(head)), n: n, used: true}
	s.nextEnd = at
}

// encoder is an encoder whose memory an earlier Put used, if one is free.
func (s *Store) encoder() *encoder {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.spare); n > 0 {
		e := s.spare[n-1]
		s.spare = s.spare[:n-1]
		return e
	}
	return newEncoder()
}

// release keeps e for the next Put, without the strings of its entry.
func (s *Store) release(e *encoder) {
	e.reset()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.spare = append(s.spare, e)
}

// startNext creates the file's next version beside it; s.mu is held.
func (s *Store) startNext() error {
	if s.next != nil || s.failed != nil {
		return s.failed
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		s.failed = err
		return err
	}
	f, err := s.createNext()
	if err != nil {
		s.failed = err
		return err
	}
	head := binary.AppendUvarint(append([]byte(nil), magic...), s.gen+1)
	if _, err := f.Write(head); err != nil {
		f.Close()
		os.Remove(f.Name())
		s.failed = err
		return err
	}
	s.next, s.nextEnd = f, int64(len(head))
	return nil
}

// createNext creates the file for the next version, locked while this run
// writes it: a run killed before its end leaves it unlocked, and the next
// run to open the cache removes it (removeAbandoned). One that such a run
// locked in the instant before this one could is being removed: another
// is made. Where files cannot be locked at all (some network file
// systems), it is written unlocked, and no run removes it.
func (s *Store) createNext() (*os.File, error) {
	for range 3 {
		f, err := os.CreateTemp(filepath.Dir(s.path), nextPattern(s.path))
		if err != nil {
			return nil, err
		}
		if locked, err := tryLock(f); locked || err != nil {
			return f, nil
		}
		f.Close()
		os.Remove(f.Name())
	}
	return nil, fmt.Errorf("%s: another run kept removing the cache's next version", s.path)
}

// Close completes the file's next version when this run added or dropped
// entries — the entries of this run, and the others but for those of a
// source that has a newer one or no longer exists — and puts it in place
// of the file atomically. Otherwise the file is left as it is.
func (s *Store) Close() (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		defer s.f.Close()
	}
	// The next version is completed, or removed: one that a write failed
	// in (a full disk) is not left beside the outputs, even when that
	// write was the run's first.
	defer func() {
		if err != nil && s.next != nil {
			s.next.Close()
			os.Remove(s.next.Name())
		}
	}()
	if len(s.added) == 0 && !s.dirty {
		return s.failed
	}
	if err := s.startNext(); err != nil {
		return err
	}
	current := map[string]string{} // source → its key in force
	for key, a := range s.added {
		current[a.source] = key
	}
	for key, sl := range s.entries {
		if _, ok := s.added[key]; ok {
			continue
		}
		if k, ok := current[sl.source]; ok && s.isNewer(k, key) {
			continue
		}
		if _, err := os.Stat(sl.source); err != nil {
			continue
		}
		current[sl.source] = key
	}
	w := bufio.NewWriterSize(io.NewOffsetWriter(s.next, s.nextEnd), 256<<10)
	for _, key := range current {
		sl, old := s.entries[key]
		if !old {
			continue // added: already in next
		}
		last := sl.lastUsed
		if sl.used {
			last = s.gen + 1
		}
		w.Write(appendHeader(nil, key, sl.source, last, sl.n))
		if _, err := io.Copy(w, io.NewSectionReader(s.f, sl.off, sl.n+4)); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	// Entries added for a source that another entry of this run replaced
	// stay in next as dead bytes until the next rewrite drops them: rare.
	if err := s.next.Chmod(0o644); err != nil {
		return err
	}
	// Not synced: the file is only time. Its next version replaces it by a
	// rename, so a run never sees it half-written; one a power cut leaves
	// empty or torn is refused by its header or its entries' checksums, and
	// read again from the exports. Syncing a city's five years (140 MB)
	// took 0.1 s of each month's run.
	return replaceClosing(s.next, s.path)
}

// isNewer reports whether key a should win over key b for one source: an
// entry added or used in this run over one that was not, else the one used
// last.
func (s *Store) isNewer(a, b string) bool {
	rank := func(key string) uint64 {
		if _, ok := s.added[key]; ok {
			return 1 << 62
		}
		sl := s.entries[key]
		if sl.used {
			return 1 << 61
		}
		return sl.lastUsed
	}
	return rank(a) >= rank(b)
}

func appendHeader(b []byte, key, source string, lastUsed uint64, size int64) []byte {
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(source)))
	b = append(b, source...)
	b = binary.AppendUvarint(b, lastUsed)
	return binary.AppendUvarint(b, uint64(size))
}
