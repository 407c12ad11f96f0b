//go:build unix

package store

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// writable reports whether this process can write the store at path and
// the -wal and -shm files WAL mode keeps beside it (a read-only
// filesystem, a file or folder of another owner are not).
func writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil && unix.Access(filepath.Dir(path), unix.W_OK|unix.X_OK) == nil
}
