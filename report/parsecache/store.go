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
var magic = []byte("bulletin parse cache 4\n")

// Store is one cache file, opened for a run. Its methods are safe for
// concurrent use.
//
// A run that can lock the file appends its entries to it: a month's run
// adds a few files to a cache of years, and rewriting all of it each time
// cost a city's five years 0.2 s. The file is rewritten (compacted) only
// when it holds damage, or entries that no longer count (of a file since
// changed or removed) take more than a fifth of it (compactAt); a run that
// cannot lock it (another run holds it) writes a whole next version, as
// a compaction does, and renames it into place.
type Store struct {
	path string
	// f is the file: read, and appended to when this run holds it locked
	// (appending); nil if absent or unusable.
	f         *os.File
	appending bool
	end       int64 // where f's last whole entry ends

	mu      sync.Mutex
	entries map[string]*slot // by key, in f or in next
	// next is the file's next version, written as entries are added by a
	// run that does not append (so that they are not held in memory), or
	// at Close to compact the file; nil until then.
	next    *os.File
	nextEnd int64
	added   int  // entries Put by this run
	dirty   bool // the file is not a cache, or an entry is damaged: rewrite it
	hits    int
	failed  error // writing failed: nothing more is added
	// spare holds the encoders of Puts done: one a reading worker at most.
	spare []*encoder
	// Ignored says why the file, or its end, could not be used.
	Ignored string
}

// slot is an entry: where its payload is.
type slot struct {
	source string
	file   *os.File // f, or next
	off, n int64    // the payload and its checksum follow at off
	added  bool     // Put by this run
	used   bool     // Put or returned by Get in this run
}

// compactAt is the share of entries no longer counting (in bytes, of the
// file's) past which Close rewrites the file without them.
const compactAt = 0.2

// Open opens the cache file at path. A missing file is an empty cache; a
// file that is not a cache of this version is ignored (the reason is in
// Ignored) and replaced at Close. A file whose end is cut short or damaged
// is used up to there: a run that holds it cuts that end off (a run killed
// while appending left it) and appends; one that does not leaves it to the
// run appending there.
func Open(path string) *Store {
	removeAbandoned(path)
	s := &Store{path: path, entries: map[string]*slot{}}
	f, locked, err := openFile(path)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.Ignored = err.Error()
		}
		return s
	}
	end, err := s.scan(f)
	if err != nil {
		s.Ignored = err.Error()
	}
	switch {
	case err == nil:
	case end == 0: // not a cache of this version
		s.dirty = true
		f.Close()
		return s
	case locked:
		if f.Truncate(end) != nil {
			locked, s.dirty = false, true
		}
	}
	s.f, s.appending, s.end = f, locked, end
	return s
}

// openFile opens the cache file at path, locked and for writing if no
// other run holds it, else for reading. The lock comes before the file is
// read, so that no run appends to it meanwhile; and once locked, the file
// is checked to be still the one at path: another run may have renamed its
// next version into place in between.
func openFile(path string) (f *os.File, locked bool, err error) {
	for range 3 {
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if errors.Is(err, os.ErrNotExist) {
			return nil, false, err
		}
		if err != nil {
			f, err := os.Open(path) // a file this run may only read is still used
			return f, false, err
		}
		if locked, _ := tryLock(f); !locked {
			return f, false, nil
		}
		if isAt(f, path) {
			return f, true, nil
		}
		f.Close()
	}
	f, err = os.Open(path)
	return f, false, err
}

// isAt reports whether f is the file at path.
func isAt(f *os.File, path string) bool {
	fi, err := f.Stat()
	pi, err2 := os.Stat(path)
	return err == nil && err2 == nil && os.SameFile(fi, pi)
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

// scan indexes the entries of f, reading their headers only (the payloads
// are read when asked for: five years' cache is 140 MB), and returns where
// the last whole one ends. It stops at the first damaged header, keeping
// the entries before it. An empty key or source is damage too: zeros where
// a power cut left a block unwritten read as such entries.
func (s *Store) scan(f *os.File) (int64, error) {
	notCache := fmt.Errorf("%s is not a cache file of this version", s.path)
	info, err := f.Stat()
	if err != nil {
		return 0, notCache
	}
	end := info.Size()
	head := make([]byte, len(magic))
	if _, err := f.ReadAt(head, 0); err != nil || !bytes.Equal(head, magic) {
		return 0, notCache
	}
	r := bufio.NewReaderSize(nil, 4<<10)
	for pos := int64(len(magic)); ; {
		if pos == end {
			return pos, nil
		}
		r.Reset(io.NewSectionReader(f, pos, end-pos))
		key, n1, err := field(r)
		source, n2, err2 := field(r)
		size, n3, err3 := uvarint(r)
		if err := errors.Join(err, err2, err3); err != nil || size > 1<<40 || len(key) == 0 || len(source) == 0 {
			return pos, fmt.Errorf("%s: damaged entry at byte %d", s.path, pos)
		}
		off := pos + n1 + n2 + n3
		if off+int64(size)+4 > end {
			return pos, fmt.Errorf("%s: cut short at byte %d", s.path, pos)
		}
		s.entries[string(key)] = &slot{source: string(source), file: f, off: off, n: int64(size)}
		pos = off + int64(size) + 4
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
	var en *Entry
	ok := s.read(key, func(payload []byte) (err error) {
		en, err = decode(payload, into)
		return err
	})
	if ok {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
	}
	return en, ok
}

// Value returns the value PutValue kept under key, or false when there is
// none or it is damaged (then it is dropped at Close).
func (s *Store) Value(key string) ([]byte, bool) {
	var value []byte
	ok := s.read(key, func(payload []byte) error {
		value = bytes.Clone(payload)
		return nil
	})
	return value, ok
}

// read hands the payload of key, its checksum checked, to use, which must
// not keep it; an entry unreadable, damaged or refused by use is dropped.
func (s *Store) read(key string, use func(payload []byte) error) bool {
	s.mu.Lock()
	sl, ok := s.entries[key]
	s.mu.Unlock()
	if !ok {
		return false
	}
	pooled := readBuffer(int(sl.n + 4))
	defer readBuffers.Put(pooled)
	buf := *pooled
	if _, err := sl.file.ReadAt(buf, sl.off); err != nil {
		s.drop(key)
		return false
	}
	payload := buf[:sl.n]
	if binary.LittleEndian.Uint32(buf[sl.n:]) != checksum(key, payload) || use(payload) != nil {
		s.drop(key)
		return false
	}
	s.mu.Lock()
	sl.used = true
	s.mu.Unlock()
	return true
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
// the same source with another key (the file changed, or the settings)
// stops counting; Close drops it when it compacts the file. A cache that
// cannot be written is only slower: the error is kept for Close.
func (s *Store) Put(key, source string, en *Entry) {
	e := s.encoder()
	defer s.release(e) // after the write, once s.mu is unlocked
	tables, fields := e.encode(en)
	s.write(key, source, tables, fields)
}

// PutValue keeps value, something small worked out from what source (a
// file or folder) holds, under key: as Put, one value a source counts,
// and it stops counting when the source is gone. The key must tell it
// from every entry's. A run that finds the file held by another keeps
// none: the value would cost a rewrite of the whole file, far more than
// working it out again. (A new or damaged file is written whole anyway.)
func (s *Store) PutValue(key, source string, value []byte) {
	s.mu.Lock()
	heldByAnother := s.f != nil && !s.appending && !s.dirty
	s.mu.Unlock()
	if !heldByAnother {
		s.write(key, source, value, nil)
	}
}

// write adds the payload tables + fields under key.
func (s *Store) write(key, source string, tables, fields []byte) {
	n := int64(len(tables) + len(fields))
	sum := crc32.Update(checksum(key, tables), crc32.IEEETable, fields)
	s.mu.Lock()
	defer s.mu.Unlock()
	f, start := s.f, s.end
	if !s.appending {
		if err := s.startNext(); err != nil {
			return
		}
		f, start = s.next, s.nextEnd
	} else if s.failed != nil {
		return
	}
	head := header(key, source, n)
	at := start
	for _, part := range [][]byte{head, tables, fields, binary.LittleEndian.AppendUint32(nil, sum)} {
		if _, err := f.WriteAt(part, at); err != nil {
			s.failed = err
			if s.appending {
				f.Truncate(start) // the file as it was: a full disk frees what it took
			}
			return
		}
		at += int64(len(part))
	}
	s.entries[key] = &slot{source: source, file: f, off: start + int64(len(head)), n: n, added: true, used: true}
	s.added++
	if s.appending {
		s.end = at
	} else {
		s.nextEnd = at
	}
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
	head := magic
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

// Close rewrites the file when this run added or dropped entries and it
// must: it did not append them, or the file holds damage, or entries that
// no longer count (compactAt). The next version holds the entries of this
// run, and the others but for those of a source that has a newer one or
// no longer exists, and is put in place of the file atomically. Otherwise
// the file is left as it is, with what this run appended.
func (s *Store) Close() (err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer func() {
		if s.f != nil {
			s.f.Close() // and with it the lock
		}
	}()
	// The next version is completed, or removed: one that a write failed
	// in (a full disk) is not left beside the outputs, even when that
	// write was the run's first.
	defer func() {
		if err != nil && s.next != nil {
			s.next.Close()
			os.Remove(s.next.Name())
		}
	}()
	if s.added == 0 && !s.dirty {
		return s.failed
	}
	live, liveBytes, allBytes := s.counting()
	if s.appending && !s.dirty && float64(allBytes-liveBytes) <= compactAt*float64(allBytes) {
		return s.failed
	}
	if err := s.startNext(); err != nil {
		return err
	}
	w := bufio.NewWriterSize(io.NewOffsetWriter(s.next, s.nextEnd), 256<<10)
	for _, key := range live {
		sl := s.entries[key]
		if sl.file == s.next {
			continue // already there
		}
		w.Write(header(key, sl.source, sl.n))
		if _, err := io.Copy(w, io.NewSectionReader(sl.file, sl.off, sl.n+4)); err != nil {
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
	// rename, so a run never sees a rewrite half-written; one a power cut
	// leaves empty or torn is refused by its header or its entries'
	// checksums, and read again from the exports. Syncing a city's five
	// years (140 MB) took 0.1 s of each month's run.
	return replaceClosing(s.next, s.f, s.path)
}

// counting returns the keys of the entries that still count, one a
// source: the newest of each source that still exists (isNewer); and the
// bytes of those, and of all entries.
func (s *Store) counting() (live []string, liveBytes, allBytes int64) {
	current := map[string]string{} // source → its key in force
	for key, sl := range s.entries {
		allBytes += sl.n
		if k, ok := current[sl.source]; ok && isNewer(s.entries[k], sl) {
			continue
		}
		current[sl.source] = key
	}
	for source, key := range current {
		if _, err := os.Stat(source); err != nil {
			continue
		}
		live = append(live, key)
		liveBytes += s.entries[key].n
	}
	return live, liveBytes, allBytes
}

// isNewer reports whether entry a should win over b, of one source: an
// entry added in this run over one used in it, and either over one that
// was not; else the one later in its file (put after it).
func isNewer(a, b *slot) bool {
	rank := func(sl *slot) int64 {
		switch {
		case sl.added:
			return 1<<62 + sl.off
		case sl.used:
			return 1<<61 + sl.off
		}
		return sl.off
	}
	return rank(a) >= rank(b)
}

// header is what comes before an entry's payload.
func header(key, source string, size int64) []byte {
	b := binary.AppendUvarint(nil, uint64(len(key)))
	b = append(b, key...)
	b = binary.AppendUvarint(b, uint64(len(source)))
	b = append(b, source...)
	return binary.AppendUvarint(b, uint64(size))
}
