package store

import (
	"context"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"quyhoach/gis"
	"quyhoach/writeback"
)

// TestWritebackFindsTheFile: during an import the descriptor SQLite holds
// on the store's file is found (by inode: the file is never opened a
// second time, whose close would drop SQLite's locks), the one writeback
// asks to be written (ownJournal), and no longer once the store is closed.
func TestWritebackFindsTheFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "q.db")
	s, err := Open(ctx, path, Options{Create: true, Alone: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPlan(t, s, "p")
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
