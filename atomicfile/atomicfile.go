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

	"quyhoach/writeback"
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
//
// The temporary file is locked while it is written (where the system has
// file locks): a write of the same path later, in this process or another,
// removes the temporary files no live write holds — those of runs killed or
// crashed — and leaves those of writes still going on.
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
	closed := false
	defer func() {
		if !closed {
			tmp.Close()
		}
		if err != nil {
			os.Remove(name)
		}
	}()
	lock(tmp)
	if err = tmp.Chmod(Mode); err != nil {
		return err
	}
	if err = writing(tmp, write); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if renameOpen { // the lock is held until the file has its name
		if err = os.Rename(name, path); err != nil {
			return err
		}
		closed = true
		tmp.Close() // the data is on disk (Sync): nothing more to report
		return nil
	}
	closed = true
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(name, path)
}

// writing runs write(f) while the disk is asked to take the file as it
// grows (writeback), not all at the Sync; the asking stops however write
// ends, a panic included.
func writing(f *os.File, write func(f *os.File) error) error {
	defer writeback.File(f)()
	return write(f)
}

// staleAfter is how old a temporary file of a write must be to count as the
// leftover of a killed run whatever its lock says (a system without file
// locks); graceAfter how old an unlocked one must be, so that a write that
// has created its file and not yet locked it keeps it.
const (
	staleAfter = time.Hour
	graceAfter = time.Second
)

// cleanLeftovers removes what killed writes of the same file left: their
// temporary files and the journal files SQLite kept beside them.
func cleanLeftovers(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".*.tmp*"))
	live := map[string]bool{} // temporary files a write holds
	var sides []string
	for _, m := range matches {
		fi, err := os.Lstat(m)
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if !strings.HasSuffix(m, ".tmp") { // a journal beside a temporary file
			sides = append(sides, m)
			continue
		}
		age := time.Since(fi.ModTime())
		if age > staleAfter || age > graceAfter && !held(m) {
			os.Remove(m)
			continue
		}
		live[m] = true
	}
	for _, m := range sides {
		if main := m[:strings.LastIndex(m, ".tmp")+len(".tmp")]; !live[main] {
			os.Remove(m) // its temporary file is gone, or just went
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
