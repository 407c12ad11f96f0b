package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"
	"testing"

	"quyhoach/gis"
)

// TestVersionLayerCounts: every way a version is written — an import, an
// import of one layer carrying the other, an approval that empties a
// layer and adds to another — leaves layer counts that are its items'
// (what Versions tells and a walk starts from); they cannot be changed,
// and verify names counts made wrong behind the store's back.
func TestVersionLayerCounts(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	notes := []gis.Feature{{Properties: map[string]any{"ghiChu": "một"}}, {Properties: map[string]any{"ghiChu": "hai"}}}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(12, 1)}, {Name: "GhiChu", Features: notes}}})
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(9, 2)}}})
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDossier(t, s)
	var fs []gis.Feature
	for _, l := range snap.Layers {
		if l.Name != "GhiChu" {
			continue
		}
		for _, f := range l.Features { // the notes layer emptied
			f.Properties = maps.Clone(f.Properties)
			f.Properties["deleted"] = true
			fs = append(fs, f)
		}
	}
	added := lot("", 4, map[string]any{"maDoiTuong": "N-1"}) // and a lot added, clear of the others
	added.Geometry = rectLonLat(106.71, 21.90, 106.7105, 21.9005)
	fs = append(fs, added)
	mustApply(t, s, d, fs...)
	toApproved(t, s, d)
	vs, err := s.Versions(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]string{1: DefaultLayer + "=12 GhiChu=2", 2: DefaultLayer + "=9 GhiChu=2", 3: DefaultLayer + "=10"}
	for _, v := range vs {
		var got []string
		total := 0
		for _, name := range v.LayerNames {
			n := count(t, s, `SELECT count(*) FROM version_item i JOIN version v ON v.id = i.version_id JOIN layer l ON l.id = i.layer_id
				WHERE v.number = ? AND l.name = ?`, v.Number, name)
			got = append(got, name+"="+itoa(int64(n)))
			total += n
		}
		if g := strings.Join(slices.Sorted(slices.Values(got)), " "); g != want[v.Number] || total != v.Features {
			t.Errorf("version %d: layers %q, %d features; want %q", v.Number, g, v.Features, want[v.Number])
		}
	}
	if err := s.WalkVersion(ctx, "p", 3, nil, func(w *VersionWalk) error {
		if !slices.Equal(w.Layers, []string{DefaultLayer}) {
			t.Errorf("walk of version 3: layers %v", w.Layers)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("UPDATE version_layer SET features = features + 1"); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("layer counts changed: %v", err)
	}
	if found := forgedVersionLayer(t, s, "features = features + 1"); len(found) != 1 ||
		!strings.HasPrefix(found[0], "3: its layer counts are not its items': layer "+DefaultLayer+": it says 11 features, its items are 10") {
		t.Errorf("verify: %q", found)
	}
}

// TestSealNeedsLayerCounts: a version written without its layer counts
// cannot be sealed (a writer that forgot them fails, loudly).
func TestSealNeedsLayerCounts(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(3, 1)}}})
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	steps := []string{
		`INSERT INTO version (uid, plan_id, number, parent_id, created, source, message) VALUES ('u2', 1, 2, 1, '2026-01-01T00:00:00Z', 'import', '')`,
		`UPDATE item SET until = 2 WHERE plan_id = 1`,
		`INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq) SELECT 1, feature_id, 2, layer_id, body_id, seq FROM item WHERE plan_id = 1`,
	}
	for _, q := range steps {
		if _, err := tx.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tx.Exec("UPDATE version SET items_hash = x'00', seal = x'00' WHERE id = 2"); err == nil || !strings.Contains(err.Error(), "layer counts") {
		t.Fatalf("sealed without layer counts: %v", err)
	}
}

// TestLayerOrderKnownAndTrue: what a version says of its layers' order
// (items read by id come in their order) is true whenever it says it — an
// import, an approval that adds a lot, a re-import that matches the lots
// in reverse, an approval over that — an import's is known, and verify
// names a layer made to say it falsely.
func TestLayerOrderKnownAndTrue(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(30, 1)
	addLot := func(code string, x float64) {
		d := mustDossier(t, s)
		added := lot("", 4, map[string]any{"maDoiTuong": code})
		added.Geometry = rectLonLat(x, 21.90, x+0.0005, 21.9005)
		mustApply(t, s, d, added)
		toApproved(t, s, d)
	}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}}})
	addLot("N-1", 106.73)
	rev := slices.Clone(lots)
	slices.Reverse(rev)
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: DefaultLayer, Features: rev}}})
	addLot("N-2", 106.74)
	type row struct {
		version, layer int64
		known, says    bool
	}
	var rows []row
	r, err := s.db.Query("SELECT version_id, layer_id, in_key_order FROM version_layer ORDER BY version_id, layer_id")
	if err != nil {
		t.Fatal(err)
	}
	for r.Next() {
		var x row
		var in sql.NullBool
		if err := r.Scan(&x.version, &x.layer, &in); err != nil {
			t.Fatal(err)
		}
		x.known, x.says = in.Valid, in.Bool
		rows = append(rows, x)
	}
	r.Close()
	got := map[int64]string{}
	for _, x := range rows {
		seqs := []int64{}
		q, err := s.db.Query("SELECT seq FROM version_item WHERE version_id = ? AND layer_id = ? ORDER BY feature_id", x.version, x.layer)
		if err != nil {
			t.Fatal(err)
		}
		for q.Next() {
			var n int64
			q.Scan(&n)
			seqs = append(seqs, n)
		}
		q.Close()
		truth := slices.IsSorted(seqs)
		if x.known && x.says && !truth {
			t.Errorf("version %d layer %d says it is in order; it is not", x.version, x.layer)
		}
		state := "unknown"
		if x.known {
			state = map[bool]string{true: "in order", false: "not in order"}[x.says]
		}
		got[x.version] += state
	}
	want := map[int64]string{1: "in order", 2: "in order", 3: "not in order", 4: "not in order"}
	for v, w := range want {
		if got[v] != w {
			t.Errorf("version %d: %q, want %q", v, got[v], w)
		}
	}
	if found := forgedVersionLayer(t, s, "in_key_order = 1"); len(found) != 1 ||
		!strings.Contains(found[0], "3: its layer "+DefaultLayer+" says its items come in their order by id") {
		t.Errorf("verify: %q", found)
	}
}

// forgedVersionLayer sets version 3's layer rows (SQL set, behind the
// immutability trigger) and returns what verify finds of versions
// ("N: problem").
func forgedVersionLayer(t *testing.T, s *Store, set string) []string {
	t.Helper()
	if _, err := s.db.Exec("DROP TRIGGER version_layer_no_update; UPDATE version_layer SET " + set + " WHERE version_id = 3"); err != nil {
		t.Fatal(err)
	}
	v, err := s.Verify(context.Background(), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, f := range v.Findings {
		if f.Check == "version" {
			found = append(found, itoa(int64(f.Version))+": "+f.Problem)
		}
	}
	return found
}
