package store

import (
	"context"
	"maps"
	"testing"

	"quyhoach/gis"
)

// TestImportKeepsForeignKeys: an import writes without foreign-key lookups
// (importPragmas), so every reference it writes is held to PRAGMA
// foreign_key_check here — a first import streamed in bulk, a re-import by
// key with edits, removals, additions and lineage, a second layer, and a
// refused import — and every pooled connection checks foreign keys again
// afterwards.
func TestImportKeepsForeignKeys(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(bulkMin+500, 1)
	streamed := Features(gis.Layer{Name: "L_A", Features: lots})
	streamed.Count = 0 // a file streamed: the R*Tree is rebuilt in bulk at the end
	if _, err := s.ImportFrom(ctx, ImportRequest{Plan: "p", Key: "maDoiTuong"}, []LayerSource{streamed}); err != nil {
		t.Fatal(err)
	}
	checkForeignKeys(t, s)

	next := make([]gis.Feature, 0, len(lots))
	for i, f := range lots {
		switch {
		case i%100 == 0: // removed
			continue
		case i%100 == 1: // edited
			f.Properties = maps.Clone(f.Properties)
			f.Properties["phanLoai"] = "DV"
		case i%100 == 2: // split off from the removed lot before it
			f.Properties = maps.Clone(f.Properties)
			f.Properties["parents"] = []any{lots[i-2].String("maDoiTuong")}
			f.Properties["maDoiTuong"] = f.String("maDoiTuong") + "b"
		}
		next = append(next, f)
	}
	res := mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{
		{Name: "L_A", Features: next},
		{Name: "D_P", Features: genLots(50, 2)},
	}})
	if res.Removed == 0 || res.Added == 0 || res.Kept == 0 {
		t.Fatalf("re-import: %+v", res)
	}
	if n := count(t, s, "SELECT count(*) FROM lineage l JOIN version v ON v.id = l.version_id WHERE v.uid = ?", res.Version.UID); n == 0 {
		t.Fatal("no lineage written")
	}
	checkForeignKeys(t, s)

	bad := []gis.Feature{lots[0], {Properties: map[string]any{"maDoiTuong": "no geometry"}}}
	if _, err := s.Import(ctx, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: append(bad, gis.Feature{})}}}); err == nil {
		t.Fatal("an import with a feature without its key went in")
	}
	checkForeignKeys(t, s)
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) != 0 {
		t.Fatalf("verify: %v %+v", err, v.Findings)
	}
}

// checkForeignKeys fails on any dangling reference in s, or a pooled
// connection that does not check foreign keys.
func checkForeignKeys(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	rows, err := s.db.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fk any
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Fatal(err)
		}
		t.Errorf("dangling reference: %s row %v → %s", table, rowid, parent)
	}
	rows.Close()
	var conns []interface{ Close() error }
	for range 4 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var on, cache int64
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
			t.Errorf("a pooled connection with foreign_keys = %d (%v)", on, err)
		}
		if err := c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil || cache == importCache {
			t.Errorf("a pooled connection kept the import's cache_size %d (%v)", cache, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}
