package store

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// walkIsTheBodies fails t unless walking every layer of code's current
// version in the grid gives what reading the bodies in the grid gives
// (loadTx, which parses each body and never reads grid properties).
func walkIsTheBodies(t *testing.T, s *Store, code string) {
	t.Helper()
	want, err := loadTx(context.Background(), s.db, code, 0, nil, true)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := walkAll(t, s, code, 0, true)
	if err != nil {
		t.Fatalf("%s: %v", code, err)
	}
	if !reflect.DeepEqual(got, want.Layers) {
		t.Fatalf("%s: the walk in the grid differs from the bodies", code)
	}
}

// propsFindings are verify's findings of grid properties that differ
// (the tests dropped triggers verify also reports).
func propsFindings(t *testing.T, s *Store) []Finding {
	t.Helper()
	var out []Finding
	for _, f := range verifyFindings(t, s, "") {
		if strings.Contains(f.Problem, "grid properties differ") {
			out = append(out, f)
		}
	}
	return out
}

// storedProps is every grid properties form by body id, with the form
// its body gives.
func storedProps(t *testing.T, s *Store) (stored, derived map[int64][]byte) {
	t.Helper()
	rows, err := s.db.Query("SELECT g.body_id, g.props, b.geojson FROM body_geom g JOIN body b ON b.id = g.body_id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	stored, derived = map[int64][]byte{}, map[int64][]byte{}
	for rows.Next() {
		var id int64
		var p, text []byte
		if err := rows.Scan(&id, &p, &text); err != nil {
			t.Fatal(err)
		}
		stored[id], derived[id] = p, propsForm(text)
	}
	return stored, derived
}

// TestGridPropsOfAnOldStore: migration 0018 gives every grid geometry of
// a schema-17 file its body's properties, but a body already damaged,
// which keeps none and is refused by reads as before; the file verifies
// as before, its walks in the grid read the properties and give what the
// bodies give, and once written they cannot be changed.
func TestGridPropsOfAnOldStore(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	s.db.SetMaxOpenConns(1)
	asSchema17(t, s)
	var damaged int64
	var code string
	var number int
	if err := s.db.QueryRow(`SELECT g.body_id, p.code, v.number FROM body_geom g JOIN version_item i ON i.body_id = g.body_id
		JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id ORDER BY v.id DESC LIMIT 1`).Scan(&damaged, &code, &number); err != nil {
		t.Fatal(err)
	}
	tamper(t, s, "DROP TRIGGER body_no_update", "UPDATE body SET geojson = replace(geojson, '\"properties\":{', '\"properties\":{\"x\":1,') WHERE id = "+itoa(damaged))
	s = reopen(t, s)
	stored, derived := storedProps(t, s)
	if len(stored) < 2 {
		t.Fatal("no grid geometry in the sample")
	}
	for id, p := range stored {
		if id == damaged {
			if p != nil {
				t.Fatalf("the damaged body %d got grid properties %q", id, p)
			}
			continue
		}
		if p == nil || !reflect.DeepEqual(p, derived[id]) {
			t.Fatalf("body %d: grid properties %q, its body gives %q", id, p, derived[id])
		}
	}
	for _, f := range verifyFindings(t, s, "") {
		if f.Check == "body" && !strings.Contains(f.Problem, "altered") || strings.Contains(f.Problem, "grid properties") {
			t.Fatalf("after the migration: %v", f)
		}
	}
	plans, err := s.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if p.Code != code {
			walkIsTheBodies(t, s, p.Code)
		}
	}
	if len(plans) < 2 {
		t.Fatal("the sample should have several plans")
	}
	var de *DamagedError
	if _, _, err := walkAll(t, s, code, number, true); !errors.As(err, &de) {
		t.Fatalf("a walk in the grid over a body damaged before the migration: %v", err)
	}
	if _, err := s.db.Exec("UPDATE body_geom SET props = x'00' WHERE body_id = (SELECT min(body_id) FROM body_geom WHERE props IS NOT NULL)"); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("grid properties changed: %v", err)
	}
}

// TestGridPropsAreWhatIsRead: an import writes each body's grid properties
// (odd keys and values, escapes, nesting; none for a feature without
// geometry); a walk in the grid reads them instead of the body and gives
// what LoadGrid gives. A form that fails its checksum stops the walk
// naming the feature, and verify reports it; a form missing (a body that
// is not canonical) is read from the body, as before, and verify reports
// it missing where the body is canonical; an altered body no longer
// reaches a walk in the grid, but the WGS84 walk and verify refuse it.
func TestGridPropsAreWhatIsRead(t *testing.T) {
	s := openTemp(t)
	s.db.SetMaxOpenConns(1)
	mustPlan(t, s, "p")
	lots := genLots(WalkBatch+5, 3)
	lots[3].Properties["ghiChu"] = "quote \" backslash \\ tab \t Đồng Đăng \u2028"
	lots[4].Properties["nested"] = map[string]any{"a": []any{1.5, nil, true, "x"}, "b": map[string]any{}}
	lots[5].Properties["n"] = 1e300
	lots[6].Properties["k\"ey"] = nil
	lots = append(lots, gis.Feature{ID: "no-geometry", Properties: map[string]any{"maDoiTuong": "NG"}})
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: lots}, {Name: "B_P", Features: []gis.Feature{{ID: "pt", Geometry: orb.Point{106.7, 21.9}}}}}})
	stored, derived := storedProps(t, s)
	if len(stored) != len(lots) { // every lot with geometry, and the point
		t.Fatalf("%d grid forms for %d features with geometry", len(stored), len(lots))
	}
	for id, p := range stored {
		if p == nil || !reflect.DeepEqual(p, derived[id]) {
			t.Fatalf("body %d: grid properties %q, its body gives %q", id, p, derived[id])
		}
	}
	walkIsTheBodies(t, s, "p")

	var id int64
	var form []byte
	var feature string
	if err := s.db.QueryRow(`SELECT g.body_id, g.props, i.feature_id FROM body_geom g JOIN item i ON i.body_id = g.body_id
		WHERE instr(g.props, 'nested') > 0`).Scan(&id, &form, &feature); err != nil {
		t.Fatal(err)
	}
	tamper(t, s, "DROP TRIGGER body_geom_no_update")
	// a form missing: read from the body; verify says it is missing
	if _, err := s.db.Exec("UPDATE body_geom SET props = NULL WHERE body_id = ?", id); err != nil {
		t.Fatal(err)
	}
	walkIsTheBodies(t, s, "p")
	if f := verifyFindings(t, s, ""); !slices.ContainsFunc(f, func(f Finding) bool {
		return strings.Contains(f.Feature, feature) && strings.Contains(f.Problem, "has no grid properties")
	}) {
		t.Fatalf("verify of a missing form: %v", f)
	}
	// a form altered: the walk stops at it, verify reports it
	altered := append([]byte(nil), form...)
	altered[len(altered)-1] ^= 1 // the checksum: the lot is still told
	if _, err := s.db.Exec("UPDATE body_geom SET props = ? WHERE body_id = ?", altered, id); err != nil {
		t.Fatal(err)
	}
	_, _, err := walkAll(t, s, "p", 0, true)
	var ge *GeometryError
	if !errors.As(err, &ge) || ge.Feature != feature || !errors.Is(err, errPropsDamaged) || !strings.Contains(err.Error(), "lot L-4 (feature "+feature+"): the stored grid properties are damaged") {
		t.Fatalf("a walk over altered grid properties: %v", err)
	}
	if f := propsFindings(t, s); len(f) != 1 || !strings.Contains(f[0].Feature, feature) {
		t.Fatalf("verify of an altered form: %v", f)
	}
	// an empty form (the driver reads it as nil): damaged, not a lost body
	if _, err := s.db.Exec("UPDATE body_geom SET props = x'' WHERE body_id = ?", id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := walkAll(t, s, "p", 0, true); !errors.Is(err, errPropsDamaged) {
		t.Fatalf("a walk over empty grid properties: %v", err)
	}
	// put back; then an altered body
	if _, err := s.db.Exec("UPDATE body_geom SET props = ? WHERE body_id = ?", form, id); err != nil {
		t.Fatal(err)
	}
	walkIsTheBodies(t, s, "p")
	tamper(t, s, "DROP TRIGGER body_no_update")
	if _, err := s.db.Exec("UPDATE body SET geojson = replace(geojson, 'L-', 'X-') WHERE id = ?", id); err != nil {
		t.Fatal(err)
	}
	if _, _, err := walkAll(t, s, "p", 0, true); err != nil {
		t.Fatalf("a walk in the grid reads the body: %v", err)
	}
	var de *DamagedError
	if _, _, err := walkAll(t, s, "p", 0, false); !errors.As(err, &de) {
		t.Fatalf("the WGS84 walk of an altered body: %v", err)
	}
	if f := verifyFindings(t, s, ""); len(f) == 0 {
		t.Fatal("verify found nothing of an altered body")
	}
}
