//go:build unix

package atomicfile

import (
	"os"
	"syscall"
)

// renameOpen: the temporary file is renamed while still open, so its lock
// holds until it has its final name.
const renameOpen = true

// lock takes a lock on f that lasts as long as the process keeps f open:
// the kernel drops it when the process ends, however it ends. A system
// without the lock leaves staleAfter as the rule.
func lock(f *os.File) {
	syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// held reports whether a live write holds the temporary file at path.
func held(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true // cannot tell: leave it to staleAfter
	}
	defer f.Close()
	// Ours, when we get it, goes when f is closed.
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil
}
