package sample

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:generate go run ./gen

//go:embed data
var embedded embed.FS

// FS is the embedded sample data set: month folders at its root.
func FS() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder
	}
	return sub
}

// Extract writes the embedded sample data set into dir (the data root:
// dir/2024-12/..., dir/2025-12/...). A file already there with the same
// content is left alone; if any file there differs, Extract writes nothing
// and says which: it never overwrites a user's data.
func Extract(dir string) error {
	data := FS()
	var todo, clashes []string
	err := fs.WalkDir(data, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		want, err := fs.ReadFile(data, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(path))
		have, err := os.ReadFile(target)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			todo = append(todo, path)
		case err != nil:
			return err
		case !bytes.Equal(have, want):
			clashes = append(clashes, target)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sample: %w", err)
	}
	if len(clashes) > 0 {
		return fmt.Errorf("sample: not extracting into %s: %d file(s) exist and differ from the sample data, first %s; remove them or choose another folder",
			dir, len(clashes), clashes[0])
	}
	for _, path := range todo {
		if err := extractFile(data, path, filepath.Join(dir, filepath.FromSlash(path))); err != nil {
			return fmt.Errorf("sample: %w", err)
		}
	}
	return nil
}

func extractFile(data fs.FS, path, target string) error {
	content, err := fs.ReadFile(data, path)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	out, err := createAtomic(target)
	if err != nil {
		return err
	}
	if _, err := out.Write(content); err != nil {
		out.abort()
		return fmt.Errorf("%s: %w", target, err)
	}
	return out.commit()
}
