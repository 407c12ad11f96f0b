package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"quyhoach/gis"
)

// asSchema13 turns a store's item history back into schema 13's
// version_item table, every version's items written out, as a store
// written before migration 0014 holds them.
func asSchema13(t *testing.T, s *Store) {
	t.Helper()
	s.db.SetMaxOpenConns(1) // the temporary table lives on one connection
	asSchema14(t, s)
	tamper(t, s,
		"CREATE TEMP TABLE items13 AS SELECT version_id, feature_id, layer_id, body_id, seq FROM version_item",
		"DROP VIEW version_item",
		"DROP TABLE item",
		`CREATE TABLE version_item (
			version_id INTEGER NOT NULL REFERENCES version (id),
			feature_id TEXT NOT NULL,
			layer_id   INTEGER NOT NULL REFERENCES layer (id),
			body_id    INTEGER NOT NULL REFERENCES body (id),
			seq        INTEGER NOT NULL,
			PRIMARY KEY (version_id, feature_id)
		) WITHOUT ROWID`,
		"INSERT INTO version_item SELECT * FROM temp.items13",
		"DROP TABLE temp.items13",
		"CREATE TRIGGER version_item_no_update BEFORE UPDATE ON version_item BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END",
		"CREATE TRIGGER version_item_no_delete BEFORE DELETE ON version_item BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END",
		`CREATE TRIGGER version_item_only_newest BEFORE INSERT ON version_item
			WHEN NOT EXISTS (SELECT 1 FROM version_open WHERE version_id = NEW.version_id)
			BEGIN SELECT RAISE(ABORT, 'versions are immutable'); END`,
		"PRAGMA user_version = 13")
}

// asSchema16 turns a store back into schema 16: item rows not indexed by
// the versions they begin and end at (0017).
func asSchema16(t *testing.T, s *Store) {
	t.Helper()
	asSchema17(t, s)
	tamper(t, s, "DROP INDEX item_since", "DROP INDEX item_until", "PRAGMA user_version = 16")
}

// asSchema18 turns a store back into schema 18: no overviews kept (0019).
func asSchema18(t *testing.T, s *Store) {
	t.Helper()
	tamper(t, s, "DROP TABLE overview", "PRAGMA user_version = 18")
}

// asSchema17 turns a store back into schema 17: no grid properties (0018).
func asSchema17(t *testing.T, s *Store) {
	t.Helper()
	asSchema18(t, s)
	tamper(t, s, "DROP TRIGGER body_geom_no_update", "ALTER TABLE body_geom DROP COLUMN props",
		"CREATE TRIGGER body_geom_no_update BEFORE UPDATE ON body_geom BEGIN SELECT RAISE(ABORT, 'derived geometry is immutable'); END",
		"PRAGMA user_version = 17")
}

// asSchema15 turns a store back into schema 15: no layer kinds (0016).
func asSchema15(t *testing.T, s *Store) {
	t.Helper()
	asSchema16(t, s)
	tamper(t, s, "ALTER TABLE version_layer DROP COLUMN schema", "PRAGMA user_version = 15")
}

// asSchema14 turns a store back into schema 14: body's hash UNIQUE again,
// no body_hash (0015). The caller holds the store to one connection.
func asSchema14(t *testing.T, s *Store) {
	t.Helper()
	asSchema15(t, s)
	tamper(t, s,
		"PRAGMA foreign_keys = OFF",
		"DROP TABLE body_hash",
		"CREATE TABLE body14 (id INTEGER PRIMARY KEY, hash BLOB NOT NULL UNIQUE, geojson TEXT NOT NULL)",
		"INSERT INTO body14 SELECT id, hash, geojson FROM body",
		"DROP TABLE body",
		"ALTER TABLE body14 RENAME TO body",
		"CREATE TRIGGER body_no_update BEFORE UPDATE ON body BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END",
		"CREATE TRIGGER body_no_delete BEFORE DELETE ON body BEGIN SELECT RAISE(ABORT, 'feature bodies are immutable'); END",
		"PRAGMA foreign_keys = ON",
		"PRAGMA user_version = 14")
}

// reopen closes s and opens its file again (migrating it).
func reopen(t *testing.T, s *Store) *Store {
	t.Helper()
	s.Close()
	s, err := Open(context.Background(), s.Path(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// firstPlan is the store's first plan and its current version.
func firstPlan(t *testing.T, s *Store) (Plan, *Snapshot) {
	t.Helper()
	plans, err := s.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.Load(context.Background(), plans[0].Code, 0)
	if err != nil {
		t.Fatal(err)
	}
	return plans[0], cur
}

// allItems is every version's items, as text, in order.
func allItems(t *testing.T, s *Store) string {
	t.Helper()
	rows, err := s.db.Query("SELECT version_id, feature_id, layer_id, body_id, seq FROM version_item ORDER BY version_id, feature_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var v, l, body, seq int64
		var f string
		if err := rows.Scan(&v, &f, &l, &body, &seq); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, v, f, l, body, seq)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestItemHistoryOfAnOldStore: a store whose versions each hold a copy of
// their items (schema 13) is opened; migration 0014 keeps each version's
// items exactly, as far fewer rows, and the store verifies clean and goes
// on: an approval and an import after it.
func TestItemHistoryOfAnOldStore(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	want := allItems(t, s)
	asSchema13(t, s)
	copies := count(t, s, "SELECT count(*) FROM version_item")
	s = reopen(t, s)
	if got := allItems(t, s); got != want {
		t.Fatalf("the versions' items changed in the migration:\n%s\nwant\n%s", got, want)
	}
	rows := count(t, s, "SELECT count(*) FROM item")
	if rows >= copies {
		t.Errorf("%d item rows for %d version items", rows, copies)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after the migration: %v", f)
	}
	p, cur := firstPlan(t, s)
	lots := cur.Layers[0]
	lots.Features = lots.Features[1:]
	if _, err := s.Import(ctx, ImportRequest{Plan: p.Code, Layers: []gis.Layer{lots}}); err != nil {
		t.Fatal(err)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after an import: %v", f)
	}
}

// TestReimportKeepsUnchangedRows: an import over a plan adds rows only for
// what changed and closes only what changed or went; the layers not
// imported keep their rows; every version reads as it was written.
func TestReimportKeepsUnchangedRows(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots, notes := genLots(50, 1), genLots(5, 2)
	for i := range notes {
		notes[i].ID = fmt.Sprintf("note-%d", i)
	}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}, {Name: "N_A", Features: notes}}})
	before := allItems(t, s)
	if n := count(t, s, "SELECT count(*) FROM item"); n != 55 {
		t.Fatalf("%d rows after the first import", n)
	}
	// the same file again: nothing written
	if r := mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}}); !r.Unchanged {
		t.Fatalf("the same lots again made version %d", r.Version.Number)
	}
	// three changed, one gone, one new
	next := append([]gis.Feature(nil), lots[:49]...)
	for _, i := range []int{0, 10, 48} {
		next[i].Properties = map[string]any{"phanLoai": "CX", "maDoiTuong": next[i].Properties["maDoiTuong"]}
	}
	added := genLots(51, 3)[50]
	added.ID = "new-lot"
	next = append(next, added)
	v2 := mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: next}}})
	if n := count(t, s, "SELECT count(*) FROM item"); n != 55+4 {
		t.Errorf("%d rows after the second import, want 59 (3 changed and 1 new)", n)
	}
	if n := count(t, s, "SELECT count(*) FROM item WHERE until = 2"); n != 4 {
		t.Errorf("%d rows closed by the second import, want 4 (3 changed and 1 gone)", n)
	}
	if !strings.HasPrefix(allItems(t, s), before) {
		t.Error("version 1 reads otherwise after version 2")
	}
	if n := count(t, s, "SELECT count(*) FROM version_item i JOIN version v ON v.id = i.version_id WHERE v.number = ?", v2.Version.Number); n != 55 {
		t.Errorf("version 2 holds %d items, want 50 lots and 5 notes", n)
	}
	got, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Layers) != 2 || len(got.Layers[0].Features) != 50 || len(got.Layers[1].Features) != 5 {
		t.Fatalf("version 2 loads %v", got.Layers)
	}
	// the notes alone, one changed: the other notes keep their rows (their
	// places do not depend on the layers imported with them)
	notes[2].Properties = map[string]any{"ghiChu": "sửa"}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "N_A", Features: notes}}})
	if n := count(t, s, "SELECT count(*) FROM item WHERE since = 3"); n != 1 {
		t.Errorf("the notes' import added %d rows, want 1", n)
	}
	if n := count(t, s, "SELECT count(*) FROM item WHERE until = 3"); n != 1 {
		t.Errorf("the notes' import closed %d rows, want 1", n)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings: %v", f)
	}
}

// TestOverlappingItemsAreFound: verify finds two rows of a feature that a
// version would both hold, and a row no version holds.
func TestOverlappingItemsAreFound(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(5, 1)}}})
	tamper(t, s, "DROP TRIGGER item_only_newest", "DROP TRIGGER item_one_per_version",
		"INSERT INTO item (plan_id, feature_id, since, until, layer_id, body_id, seq) SELECT plan_id, feature_id, 7, NULL, layer_id, body_id, seq FROM item WHERE since = 1 LIMIT 1",
		"INSERT INTO item (plan_id, feature_id, since, until, layer_id, body_id, seq) SELECT plan_id, 'ghost', 4, 6, layer_id, body_id, seq FROM item WHERE since = 1 LIMIT 1")
	found := findingLines(verifyFindings(t, s, ""))
	for _, want := range []string{"two items of the feature from this version on", "no version of the plan holds"} {
		if !strings.Contains(found, want) {
			t.Errorf("no finding %q among:\n%s", want, found)
		}
	}
}

// TestOneItemPerVersion: while a version is written, a feature gains a row
// only once its live row is closed, as schema 13's key (version, feature)
// held; closing and adding are refused at any other version's number.
func TestOneItemPerVersion(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(5, 1)}}})
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	const add = "INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq) SELECT plan_id, feature_id, %d, layer_id, body_id, seq + 1 FROM item WHERE since = 1 ORDER BY feature_id LIMIT 1"
	const closeAt = "UPDATE item SET until = %d WHERE feature_id = (SELECT min(feature_id) FROM item)"
	for _, step := range []struct {
		q    string
		want string // "" when it must pass
	}{
		{"INSERT INTO version (uid, plan_id, number, parent_id, created, source, message) VALUES ('u2', 1, 2, 1, '2026-01-01T00:00:00Z', 'import', '')", ""},
		{fmt.Sprintf(add, 2), "one item in a version"},
		{fmt.Sprintf(closeAt, 3), "immutable"},
		{fmt.Sprintf(closeAt, 2), ""},
		{fmt.Sprintf(add, 3), "immutable"},
		{fmt.Sprintf(add, 2), ""},
	} {
		_, err := tx.Exec(step.q)
		if step.want == "" && err != nil || step.want != "" && (err == nil || !strings.Contains(err.Error(), step.want)) {
			t.Fatalf("%s: %v, want %q", step.q, err, step.want)
		}
	}
}

// TestReplicaReimportKeepsRows: a replica numbers its layers otherwise
// than the store it took the plan from; the same file with one lot changed,
// imported at both, writes one row at each, and the replica's next
// version travels as a delta of that one lot.
func TestReplicaReimportKeepsRows(t *testing.T) {
	ctx := context.Background()
	a := openTemp(t)
	mustPlan(t, a, "other") // its layers come first in the origin
	mustImport(t, a, ImportRequest{Plan: "other", Layers: []gis.Layer{{Name: "X_A", Features: genLots(3, 9)}, {Name: "Y_A", Features: genLots(3, 8)}}})
	mustPlan(t, a, "p")
	r := mustImport(t, a, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(100, 1)}}})
	var planUID string
	if err := a.db.QueryRow("SELECT uid FROM plan WHERE code = 'p'").Scan(&planUID); err != nil {
		t.Fatal(err)
	}
	pb, err := a.ReadPlanBundle(ctx, planUID)
	if err != nil {
		t.Fatal(err)
	}
	vb, err := a.ReadVersionBundle(ctx, r.Version.UID, false)
	if err != nil {
		t.Fatal(err)
	}
	b := openTemp(t)
	if _, err := b.TakeBatch(ctx, Batch{Plans: []*PlanBundle{pb}, Versions: []*VersionBundle{vb}}, TakeOptions{Synced: true}); err != nil {
		t.Fatal(err)
	}
	if count(t, a, "SELECT id FROM layer WHERE name = 'L_A'") == count(t, b, "SELECT id FROM layer WHERE name = 'L_A'") {
		t.Fatal("the replica numbers the layer as the origin does: the test proves nothing")
	}
	cur, err := b.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	next := cur.Layers[0].Features
	next[5].Properties = map[string]any{"phanLoai": "CX", "maDoiTuong": next[5].Properties["maDoiTuong"]}
	mustImport(t, a, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: next}}})
	rb := mustImport(t, b, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: next}}})
	for name, s := range map[string]*Store{"origin": a, "replica": b} {
		if n := count(t, s, "SELECT count(*) FROM item i JOIN plan p ON p.id = i.plan_id WHERE p.code = 'p' AND i.since = 2"); n != 1 {
			t.Errorf("%s: %d rows written for one changed lot", name, n)
		}
	}
	d, err := b.ReadVersionBundle(ctx, rb.Version.UID, true)
	if err != nil || len(d.Put) != 1 || len(d.Drop) != 0 {
		t.Fatalf("the replica's version as a delta: %v, %v", d, err)
	}
}
