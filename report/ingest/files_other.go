//go:build !unix

package ingest

import "os"

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
