package store

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"

	"quyhoach/gis"
)

// TestBodyHashOfAnOldStore: a store whose bodies are found by body's own
// UNIQUE hash (schema 14) is opened; migration 0015 keeps every body as it
// was, finds each by its hash in body_hash, and verifies clean; what comes
// again is found and not stored twice, whether the bodies came in bulk
// (their rows written at the import's end) or a few at a time.
func TestBodyHashOfAnOldStore(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	bodies := func() [32]byte { // every body, its id, hash and text
		h := sha256.New()
		rows, err := s.db.Query("SELECT id, hash, geojson FROM body ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var hash, text []byte
			if err := rows.Scan(&id, &hash, &text); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%d %x %d %s\n", id, hash, len(text), text)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return [32]byte(h.Sum(nil))
	}
	want, n := bodies(), count(t, s, "SELECT count(*) FROM body")
	s.db.SetMaxOpenConns(1)
	asSchema14(t, s)
	s = reopen(t, s)
	if got := bodies(); got != want {
		t.Fatal("the bodies changed in the migration")
	}
	if found := count(t, s, "SELECT count(*) FROM body b JOIN body_hash h ON h.hash = b.hash AND h.body_id = b.id"); found != n || count(t, s, "SELECT count(*) FROM body_hash") != n {
		t.Fatalf("body_hash finds %d of %d bodies", found, n)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after the migration: %v", f)
	}

	_, cur := firstPlan(t, s)
	mustPlan(t, s, "again")
	if res := mustImport(t, s, ImportRequest{Plan: "again", Layers: cur.Layers}); res.NewBodies != 0 {
		t.Errorf("a stored plan imported again wrote %d bodies", res.NewBodies)
	}
	lots := genLots(3000, 4)
	mustPlan(t, s, "bulk")
	src := Features(gis.Layer{Name: "L_A", Features: lots})
	src.Count = 0 // streamed, as a file is: the writer holds the hashes back to its end
	if res, err := s.ImportFrom(ctx, ImportRequest{Plan: "bulk"}, []LayerSource{src}); err != nil || res.NewBodies != len(lots) {
		t.Fatalf("%d new bodies for %d new lots (%v)", res.NewBodies, len(lots), err)
	}
	mustPlan(t, s, "bulk2")
	lots[7].Properties["phanLoai"] = "CX" // one body new, written with its batch
	if res := mustImport(t, s, ImportRequest{Plan: "bulk2", Layers: []gis.Layer{{Name: "L_A", Features: lots[:100]}}}); res.NewBodies != 1 {
		t.Errorf("%d new bodies for 100 lots, one of them changed", res.NewBodies)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after the imports: %v", f)
	}
}
