package store

import (
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// writeback starts the disk writing the pages a write through the store's
// own rollback journal (ownJournal) puts into the file at path, while the
// write goes on, and returns how to stop it. The commit's fsync then
// waits for little: an import of 100 000 lots writes 110 MB, and its
// commit, nothing else left to do, waited 0.3 s for the disk to take
// them all (0.07–0.16 s with this).
//
// Every writebackEvery, the file is asked to be written out but its last
// writebackMargin: the pages SQLite appends to and may write again soon
// (a page written again is written out again; nothing waits, the disk
// does not ask for pages to stay unchanged while written: checked at
// stable_pages_required). sync_file_range only starts the writing; the
// fsync of the commit remains what makes the write durable.
//
// The file is reached through a descriptor SQLite has open on it, found
// in /proc/self/fd: opening one of our own and closing it would drop the
// POSIX locks SQLite holds on the file (fcntl locks belong to the
// process, and any close of the file releases them all).
func writeback(path string) (stop func()) {
	var want unix.Stat_t
	if unix.Stat(path, &want) != nil {
		return func() {}
	}
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(writebackEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if fd, size, ok := openOn(want); ok && size > writebackMargin {
				unix.SyncFileRange(fd, 0, size-writebackMargin, unix.SYNC_FILE_RANGE_WRITE)
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

const (
	writebackEvery  = 50 * time.Millisecond
	writebackMargin = 1 << 20 // the pages last appended to, likely written again
)

// openOn returns a descriptor of this process open on the file want
// names (by device and inode), and the file's size. It is looked for at
// every use: the connection holding it may close it meanwhile (a
// descriptor of another file by then is told apart by its inode).
func openOn(want unix.Stat_t) (fd int, size int64, ok bool) {
	dir, err := os.Open("/proc/self/fd")
	if err != nil {
		return 0, 0, false
	}
	defer dir.Close()
	names, err := dir.Readdirnames(-1)
	if err != nil {
		return 0, 0, false
	}
	for _, name := range names {
		n, err := strconv.Atoi(name)
		if err != nil {
			continue
		}
		var st unix.Stat_t
		if unix.Fstat(n, &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			return n, st.Size, true
		}
	}
	return 0, 0, false
}
