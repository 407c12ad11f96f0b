// Package writeback has the disk write a large file while it is being
// written, so that the fsync that makes it durable at its end waits for
// little: an import's commit, an export's last step, with nothing else
// left to do, waited for the disk to take the whole file (0.3 s for an
// import of 100 000 lots, 0.14 s for their GeoPackage).
//
// Every Every, the file is asked to be written out but its last Margin:
// the pages last appended to, likely written again (a page written again
// is written out again). Where the disk lets a page change while it is
// being written (stable_pages_required 0, as here) nothing waits; where
// it does not (some virtual and compressed disks, btrfs), a page written
// again while under way waits for it: speed, not correctness, is what
// that costs. sync_file_range only starts the writing; the caller's fsync
// remains what makes the file durable.
package writeback

import (
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// Every is how often the file is asked to be written; Margin how much of
// its end is left to the fsync.
const (
	Every  = 50 * time.Millisecond
	Margin = 1 << 20
)

// File starts the writing of f while it grows and returns how to stop it.
func File(f *os.File) (stop func()) {
	fd := int(f.Fd())
	return start(func() (int, int64, bool) {
		var st unix.Stat_t
		if unix.Fstat(fd, &st) != nil {
			return 0, 0, false
		}
		return fd, st.Size, true
	})
}

// Path is File for the file at path written through a descriptor someone
// else in this process holds (SQLite's), found in /proc/self/fd (and
// checked by its inode at every use, looked for again once gone): opening one of our own and closing it would drop the POSIX locks
// SQLite holds on the file (fcntl locks belong to the process, and any
// close of the file releases them all).
func Path(path string) (stop func()) {
	var want unix.Stat_t
	if unix.Stat(path, &want) != nil {
		return func() {}
	}
	fd := -1 // the descriptor found last, looked at again before the others
	return start(func() (int, int64, bool) {
		var st unix.Stat_t
		if fd >= 0 && unix.Fstat(fd, &st) == nil && st.Dev == want.Dev && st.Ino == want.Ino {
			return fd, st.Size, true
		}
		var size int64
		var ok bool
		if fd, size, ok = held(want); !ok {
			fd = -1
		}
		return fd, size, ok
	})
}

// Held returns a descriptor this process holds on the file at path.
func Held(path string) (fd int, ok bool) {
	var want unix.Stat_t
	if unix.Stat(path, &want) != nil {
		return 0, false
	}
	fd, _, ok = held(want)
	return fd, ok
}

// syncRange is sync_file_range(2); tests watch the calls.
var syncRange = unix.SyncFileRange

// start asks every Every for the file open finds (a descriptor and the
// file's size) to be written out, until stop.
func start(open func() (fd int, size int64, ok bool)) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(Every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if fd, size, ok := open(); ok && size > Margin {
				syncRange(fd, 0, size-Margin, unix.SYNC_FILE_RANGE_WRITE)
			}
		}
	}()
	return func() {
		close(done)
		<-exited
	}
}

// held returns a descriptor of this process open on the file want names
// (by device and inode), and the file's size. The connection holding it
// may close it at any time, even between this look and the request that
// uses the number, which may then name another file by then: the request
// starts that file's writing, or fails, harmlessly either way (nothing
// waits on it and its error is not needed).
func held(want unix.Stat_t) (fd int, size int64, ok bool) {
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
