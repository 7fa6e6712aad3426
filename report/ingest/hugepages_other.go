//go:build !linux

package ingest

func adviseHugePages[T any](s []T) {}
