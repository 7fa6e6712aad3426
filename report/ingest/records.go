package ingest

import (
	"sync"
)

// records holds one file's records in fixed-size chunks: a file of a
// hundred thousand rows never copies its records to grow, and once the
// collector has moved them into the dataset the chunks go back to their
// pool for the files still being read.
type records[T any] struct {
	chunks [][]T
	n      int
	pool   *chunkPool[T] // nil: chunks are allocated and left to the collector
}

const chunkRecords = 4096

func (r *records[T]) add(rec T) {
	if r.n%chunkRecords == 0 {
		r.chunks = append(r.chunks, r.pool.get())
	}
	last := &r.chunks[len(r.chunks)-1]
	*last = append(*last, rec)
	r.n++
}

// release empties r, returning its chunks to the pool.
func (r *records[T]) release() {
	r.pool.put(r.chunks)
	*r = records[T]{pool: r.pool}
}

// chunkPool recycles chunks, so that reading a year allocates the chunks
// of the files in flight, not of every file.
type chunkPool[T any] struct {
	mu   sync.Mutex
	free [][]T
}

func (p *chunkPool[T]) get() []T {
	if p != nil {
		p.mu.Lock()
		defer p.mu.Unlock()
		if n := len(p.free); n > 0 {
			c := p.free[n-1]
			p.free = p.free[:n-1]
			return c
		}
	}
	return make([]T, 0, chunkRecords)
}

func (p *chunkPool[T]) put(chunks [][]T) {
	if p == nil {
		return
	}
	for i := range chunks {
		clear(chunks[i]) // the dataset holds the records now
		chunks[i] = chunks[i][:0]
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.free = append(p.free, chunks...)
}
