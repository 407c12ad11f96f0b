package store

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"quyhoach/gis"
)

// An import into a store nobody else has open goes through a rollback
// journal and leaves the store in WAL; with a reader open (another
// process's or the window's connection) it goes through the WAL and the
// reader keeps its snapshot.
func TestImportJournal(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	journal := s.Path() + "-journal"
	importSeen := func(seed uint64) (sawJournal bool) {
		t.Helper()
		mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3000, seed)}},
			Progress: func(int, int) {
				if _, err := os.Stat(journal); err == nil {
					sawJournal = true
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
	if !importSeen(1) {
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
	if importSeen(2) {
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
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify: %v %v", v.Findings, err)
	}
}
