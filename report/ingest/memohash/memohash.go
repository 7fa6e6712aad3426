// Package memohash places short values in the slots of the reader's small
// memos: the last strings of a column, the dates of recent cells. A slot
// holds one value and is compared whole, so a poor spread costs only a
// miss; what counts is that placing a value is a few instructions, where
// hash/maphash is a call and a loop for every cell of a city's year.
package memohash

import "math/bits"

// Slot places v among 1<<b slots (b at most 16) by its length and its
// first and last eight bytes, which tell a column's repeated values apart
// (squads, types, dates, 是/否). Values alike at both ends share a slot.
func Slot[T string | []byte](v T, b uint) int {
	n := len(v)
	h := uint64(n)
	switch {
	case n >= 8:
		h ^= le64(v) ^ bits.RotateLeft64(le64(v[n-8:]), 29)
	case n >= 4:
		h ^= uint64(le32(v)) | uint64(le32(v[n-4:]))<<32
	case n > 0:
		h ^= uint64(v[0])<<8 | uint64(v[n/2])<<16 | uint64(v[n-1])<<24
	}
	return int((h * 0x9E3779B97F4A7C15) >> (64 - b))
}

func le64[T string | []byte](v T) uint64 {
	_ = v[7]
	return uint64(v[0]) | uint64(v[1])<<8 | uint64(v[2])<<16 | uint64(v[3])<<24 |
		uint64(v[4])<<32 | uint64(v[5])<<40 | uint64(v[6])<<48 | uint64(v[7])<<56
}

func le32[T string | []byte](v T) uint32 {
	_ = v[3]
	return uint32(v[0]) | uint32(v[1])<<8 | uint32(v[2])<<16 | uint32(v[3])<<24
}
