package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"quyhoach/gis"
	"quyhoach/writeback"
)

// TestWritebackFindsTheFile: during an import the descriptor SQLite holds
// on the store's file is found (by inode: the file is never opened a
// second time, whose close would drop SQLite's locks), the one writeback
// asks to be written (ownJournal), and no longer once the store is closed.
func TestWritebackFindsTheFile(t *testing.T) {
	s, path := openAlone(t)
	var want unix.Stat_t
	if err := unix.Stat(path, &want); err != nil {
		t.Fatal(err)
	}
	found := false
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3000, 1)}},
		Progress: func(int, int) {
			fd, ok := writeback.Held(path)
			var st unix.Stat_t
			if ok && (unix.Fstat(fd, &st) != nil || st.Ino != want.Ino) {
				t.Errorf("descriptor %d is not the store's file", fd)
			}
			found = found || ok
		}})
	if !found {
		t.Error("the store's file not found among the descriptors during the import")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fd, ok := writeback.Held(path); ok {
		t.Errorf("descriptor %d still on the closed store's file", fd)
	}
}

// TestWritebackKeepsSQLitesLocks: while an import writes through its own
// journal and the disk is asked to write it (writeback.Path, a few times
// over), SQLite's POSIX locks on the store stay held: a descriptor opened
// and closed on the file by this process would drop them all (R26 found
// nothing else would tell).
func TestWritebackKeepsSQLitesLocks(t *testing.T) {
	s, path := openAlone(t)
	defer s.Close()
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	pid, inode := fmt.Sprintf(" %d ", os.Getpid()), fmt.Sprintf(":%d ", st.Ino)
	checked, held := false, false
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3000, 1)}},
		Progress: func(int, int) {
			if _, err := os.Stat(path + "-journal"); checked || err != nil {
				return // not yet through its own journal
			}
			checked = true
			time.Sleep(3 * writeback.Every)
			locks, err := os.ReadFile("/proc/locks")
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range strings.Split(string(locks), "\n") {
				if (strings.Contains(l, "POSIX") || strings.Contains(l, "OFDLCK")) && strings.Contains(l, pid) && strings.Contains(l, inode) {
					held = true
				}
			}
		}})
	if !checked {
		t.Fatal("the import never wrote through its own journal")
	}
	if !held {
		t.Error("SQLite's lock on the store is gone while the import writes")
	}
}
