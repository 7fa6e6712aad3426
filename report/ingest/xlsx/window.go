package xlsx

import (
	"errors"
	"io"
	"sync"
)

// window holds the part of an inflating zip entry being scanned: bytes
// buf[pos:end] are read and not yet consumed. It grows only for a single
// element larger than itself, up to max.
type window struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error // a read error other than the end of the entry
	max      int
	noRefill bool // ReadByte stops at the end of buf instead of refilling
}

const (
	windowSize    = 256 << 10
	maxWindowSize = 64 << 20 // a single row or string larger than this is left to excelize
)

// windowBuffers recycles the windows' buffers from part to part: a year's
// reading opens a few hundred parts, and each fresh buffer is memory the
// kernel has to fault in.
var windowBuffers = sync.Pool{New: func() any { return new([windowSize]byte) }}

func newWindow(r io.Reader) *window {
	return &window{r: r, buf: windowBuffers.Get().(*[windowSize]byte)[:], max: maxWindowSize}
}

// release gives the buffer back to the pool, unless it grew; the window
// and any slice of its bytes are not used after.
func (w *window) release() {
	if len(w.buf) == windowSize {
		windowBuffers.Put((*[windowSize]byte)(w.buf))
	}
	w.buf, w.pos, w.end = nil, 0, 0
}

func (w *window) bytes() []byte { return w.buf[w.pos:w.end] }

// fill makes room and reads more; it returns false when nothing more can
// be had: the entry has ended, a read failed, or the window is at its
// largest and full.
func (w *window) fill() bool {
	if w.eof || w.err != nil {
		return false
	}
	if w.pos > 0 {
		w.end = copy(w.buf, w.buf[w.pos:w.end])
		w.pos = 0
	}
	if w.end == len(w.buf) {
		if len(w.buf) >= w.max {
			return false
		}
		grown := make([]byte, min(2*len(w.buf), w.max))
		copy(grown, w.buf[:w.end])
		w.buf = grown
	}
	n, err := io.ReadFull(w.r, w.buf[w.end:])
	w.end += n
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		w.eof = true
	case err != nil:
		w.err = err
	}
	return n > 0
}

var errWindowFull = errors.New("the XML before the sheet data is longer than the reader's window")

// ReadByte lets encoding/xml read the start of a part through the window,
// so that scanning can go on exactly where it stopped.
func (w *window) ReadByte() (byte, error) {
	if w.pos == w.end {
		if w.noRefill && !w.eof {
			return 0, errWindowFull
		}
		if !w.fill() {
			if w.err != nil {
				return 0, w.err
			}
			return 0, io.EOF
		}
	}
	c := w.buf[w.pos]
	w.pos++
	return c, nil
}

// Read makes the window an io.Reader of the rest of the entry.
func (w *window) Read(p []byte) (int, error) {
	if w.pos == w.end && !w.fill() {
		if w.err != nil {
			return 0, w.err
		}
		return 0, io.EOF
	}
	n := copy(p, w.buf[w.pos:w.end])
	w.pos += n
	return n, nil
}
