// Package atomicfile writes files that appear whole or not at all: every
// export of the program goes through it, so a failed or killed export never
// leaves half a file where the user asked for one.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Mode is the mode of a written file: a document to share, like any file the
// user writes (umask still applies to nothing: the mode is set explicitly).
const Mode os.FileMode = 0o644

// Write writes the file at path through a temporary file in the same folder,
// renamed into place once write has returned nil and the data is on disk.
// write may write to f, or open f.Name() itself (SQLite does); it must not
// close f. The path is taken literally: '#', '?', spaces and Vietnamese
// letters are part of the name, never URI syntax. On error the folder is as
// it was, apart from an existing file at path being kept unchanged.
func Write(path string, write func(f *os.File) error) (err error) {
	dir, base := filepath.Split(path)
	if base == "" {
		return fmt.Errorf("%s: a file name is needed, not a folder", path)
	}
	if dir == "" {
		dir = "."
	}
	cleanLeftovers(dir, base)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(name)
		}
	}()
	if err = tmp.Chmod(Mode); err != nil {
		return err
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}

// staleAfter is how old a temporary file of a write must be to count as the
// leftover of a killed run rather than a write still going on.
const staleAfter = time.Hour

// cleanLeftovers removes what killed writes of the same file left: their
// temporary files and the journal files SQLite kept beside them.
func cleanLeftovers(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".*.tmp*"))
	for _, m := range matches {
		if fi, err := os.Lstat(m); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > staleAfter {
			os.Remove(m)
		}
	}
}

// globEscape quotes the characters filepath.Match gives meaning to.
func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteRune('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
