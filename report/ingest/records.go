package ingest

// records holds one file's records in fixed-size chunks: a file of a
// hundred thousand rows never copies its records to grow, and the chunks
// are freed once the collector has moved them into the dataset.
type records[T any] struct {
	chunks [][]T
	n      int
}

const chunkRecords = 4096

func (r *records[T]) add(rec T) {
	if r.n%chunkRecords == 0 {
		r.chunks = append(r.chunks, make([]T, 0, chunkRecords))
	}
	last := &r.chunks[len(r.chunks)-1]
	*last = append(*last, rec)
	r.n++
}
