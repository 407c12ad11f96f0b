package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"quyhoach/gis"
)

// An import by a program that has the store to itself (Options.Alone, a
// command) into a store nobody else has open goes through a rollback
// journal and leaves the store in WAL; meanwhile a read-only open is
// refused (the file is half written). With a reader open (another
// process's connection) it goes through the WAL and the reader keeps its
// snapshot; without Alone (the window) always through the WAL.
func TestImportJournal(t *testing.T) {
	ctx := context.Background()
	s, path := openAlone(t)
	defer s.Close()
	journal := s.Path() + "-journal"
	importSeen := func(s *Store, plan string, seed uint64) (sawJournal bool) {
		t.Helper()
		mustImport(t, s, ImportRequest{Plan: plan, Layers: []gis.Layer{{Name: "L_A", Features: genLots(3000, seed)}},
			Progress: func(int, int) {
				if _, err := os.Stat(journal); err == nil && !sawJournal {
					sawJournal = true
					if ro, err := Open(ctx, path, Options{ReadOnly: true}); err == nil {
						ro.Close()
						t.Error("a read-only open of a store half written by an import was let through")
					} else if !errors.Is(err, ErrUnfinished) || !strings.Contains(err.Error(), "being written") {
						t.Errorf("read-only open during the import: %v", err)
					}
				}
			}})
		return sawJournal
	}
	mode := func(s *Store) string {
		var m string
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if !importSeen(s, "p", 1) {
		t.Error("an import into a store of its own did not write through a rollback journal")
	}
	if m := mode(s); m != "wal" {
		t.Errorf("journal mode after the import: %s, want wal", m)
	}

	other, err := Open(ctx, s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	read, err := other.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer read.Rollback()
	var before int
	if err := read.QueryRow("SELECT count(*) FROM version").Scan(&before); err != nil {
		t.Fatal(err)
	}
	if importSeen(s, "p", 2) {
		t.Error("an import with a reader open wrote through a rollback journal")
	}
	var during int
	if err := read.QueryRow("SELECT count(*) FROM version").Scan(&during); err != nil || during != before {
		t.Errorf("the reader's snapshot: %d versions, was %d (%v)", during, before, err)
	}
	read.Rollback()
	if m := mode(other); m != "wal" {
		t.Errorf("journal mode after the import beside a reader: %s, want wal", m)
	}
	other.Close()

	s.Close()
	window, err := Open(ctx, path, Options{}) // one connection, nobody else: still through the WAL
	if err != nil {
		t.Fatal(err)
	}
	defer window.Close()
	if importSeen(window, "p", 3) {
		t.Error("an import of a store opened without Alone wrote through a rollback journal")
	}
	if v, err := window.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify: %v %v", v.Findings, err)
	}
}

// openAlone makes a store at a new path as a command opens it (Options.
// Alone: its imports may write through their own journal) with a plan
// "p", and returns it and its path.
func openAlone(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "q.db")
	s, err := Open(context.Background(), path, Options{Create: true, Alone: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPlan(t, s, "p")
	return s, path
}
