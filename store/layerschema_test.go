package store

import (
	"context"
	"database/sql"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// recountedSchemas is, for every layer of every version that has a stored
// schema, the stored text and the one counted again from its items'
// bodies; unknown counts the layers whose schema is NULL.
func recountedSchemas(t *testing.T, s *Store) (stored, counted map[string]string, unknown int) {
	t.Helper()
	stored = map[string]string{}
	rows, err := s.db.Query(`SELECT s.version_id || ' ' || l.name, s.schema FROM version_layer s
		JOIN layer l ON l.id = s.layer_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var key string
		var text sql.NullString
		if err := rows.Scan(&key, &text); err != nil {
			t.Fatal(err)
		}
		if !text.Valid {
			unknown++
			continue
		}
		stored[key] = text.String
	}
	rows.Close()
	rows, err = s.db.Query(`SELECT i.version_id || ' ' || l.name, b.geojson FROM version_item i
		JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sums := map[string]*layerSchema{}
	for rows.Next() {
		var key string
		var text []byte
		if err := rows.Scan(&key, &text); err != nil {
			t.Fatal(err)
		}
		if sums[key] == nil {
			sums[key] = newLayerSchema()
		}
		sums[key].addBody(text, 1)
	}
	counted = map[string]string{}
	for key, sum := range sums {
		counted[key] = sum.encode()
	}
	return stored, counted, unknown
}

// TestStoredLayerSchemaIsCounted: every version an import or an approval
// writes stores, for each of its layers, the kinds its items' bodies have
// — counted again from the bodies: after an import of lots with odd
// properties and a layer of points (one without geometry, one with keys
// holding control characters), an approval
// that retypes a property, deletes the only lots with a key, makes a
// polygon a multipolygon and adds lots and a new layer, an approval that
// empties a layer, and an import of one layer with the others carried.
// verify finds nothing, and the export makes the file the whole-version
// path makes.
func TestStoredLayerSchemaIsCounted(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	points := []gis.Feature{
		{Geometry: orb.Point{106.75, 21.85}, Properties: map[string]any{"ten": "cột mốc", "so": 1.0}},
		{Properties: map[string]any{"ten": "không có hình", "so": nil}},
		{Geometry: orb.Point{106.76, 21.85}, Properties: map[string]any{"a\x01b": 1.0, "\x02x": "y"}}} // keys that read as anything but themselves
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: oddLots(300)}, {Name: "Points_P", Features: points}}})
	same := func(when string) {
		t.Helper()
		stored, counted, unknown := recountedSchemas(t, s)
		if unknown != 0 {
			t.Errorf("%s: %d layers without their kinds", when, unknown)
		}
		if !maps.Equal(stored, counted) {
			for key := range counted {
				if stored[key] != counted[key] {
					t.Errorf("%s: version layer %s stores\n%s\ncounted\n%s", when, key, stored[key], counted[key])
				}
			}
			t.Fatalf("%s: stored %d layers' kinds, counted %d", when, len(stored), len(counted))
		}
		if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) != 0 {
			t.Fatalf("%s: verify: %v %+v", when, err, v.Findings)
		}
		dir := t.TempDir()
		want, got := filepath.Join(dir, "old.gpkg"), filepath.Join(dir, "new.gpkg")
		oldGeoPackage(t, s, want, "p", 0, crs.TM3LangSon)
		if err := s.ExportGeoPackage(ctx, got, "p", 0, nil, crs.TM3LangSon); err != nil {
			t.Fatal(err)
		}
		if a, b := gpkgContent(t, want), gpkgContent(t, got); a != b {
			t.Fatalf("%s: the GeoPackage from the stored kinds differs:\n%s", when, firstDiff(a, b))
		}
	}
	same("import")

	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	var fs []gis.Feature
	for i, f := range snap.Layers[0].Features {
		p := maps.Clone(f.Properties)
		switch {
		case p["chiMotLo"] != nil: // the only lot with the key: the column goes
			p["deleted"] = true
		case p["daDuyet"] != nil && i%2 == 1:
			p["daDuyet"] = "có" // a boolean column becomes text
		case i == 7:
			poly := f.Geometry.(orb.Polygon)
			f.Geometry = orb.MultiPolygon{poly}
		default:
			continue
		}
		f.Properties = p
		fs = append(fs, f)
	}
	d := mustDossier(t, s)
	mustApply(t, s, d, fs...)
	more := genLots(3, 9) // north of the others
	for i := range more {
		more[i].Geometry = project.Geometry(more[i].Geometry, func(q orb.Point) orb.Point { return orb.Point{q[0], q[1] + 0.1} })
	}
	mustApply(t, s, d, more...)
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: d, Layer: "Moi_P", Features: []gis.Feature{
		{Geometry: orb.Point{106.7, 21.9}, Properties: map[string]any{"loai": true}}}}); err != nil {
		t.Fatal(err)
	}
	toApproved(t, s, d)
	same("first approval")
	var lots string
	if err := s.db.QueryRow(`SELECT s.schema FROM version_layer s JOIN layer l ON l.id = s.layer_id
		WHERE l.name = ? AND s.version_id = (SELECT current_version FROM plan)`, DefaultLayer).Scan(&lots); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(lots, "chiMotLo") || !strings.Contains(lots, `"daDuyet":{"BOOLEAN":`) || !strings.Contains(lots, `"MultiPolygon":`) {
		t.Fatalf("the approval's changes are not in the lots' kinds: %s", lots)
	}

	d = mustDossier(t, s)
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: d, Layer: "Points_P", Full: true, Features: []gis.Feature{}}); err != nil {
		t.Fatal(err)
	}
	toApproved(t, s, d)
	if n := count(t, s, "SELECT count(*) FROM version_layer s JOIN layer l ON l.id = s.layer_id WHERE l.name = 'Points_P' AND s.version_id = (SELECT current_version FROM plan)"); n != 0 {
		t.Fatalf("Points_P still in the version after its lots were deleted (%d)", n)
	}
	same("second approval")

	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "Points_P", Features: points[:1]}}})
	same("one layer imported, the others carried")
}

// TestStoredLayerSchemaIsChecked: a stored schema that is not its layer's
// is a verify finding; an export made from one that lacks a property, or
// types it otherwise, stops with a line that says so and leaves no file.
// One that is NULL, or not a schema at all, is counted from the bodies
// again: the export is the whole-version path's file.
func TestStoredLayerSchemaIsChecked(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: oddLots(200)}}})
	var good string
	if err := s.db.QueryRow("SELECT schema FROM version_layer").Scan(&good); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	want := filepath.Join(dir, "old.gpkg")
	oldGeoPackage(t, s, want, "p", 0, crs.TM3LangSon)
	var trigger string // version_layer_no_update, put back after each change
	if err := s.db.QueryRow("SELECT sql FROM sqlite_master WHERE name = 'version_layer_no_update'").Scan(&trigger); err != nil {
		t.Fatal(err)
	}
	stored := func(text any) {
		t.Helper()
		tamper(t, s, "DROP TRIGGER version_layer_no_update")
		if _, err := s.db.Exec("UPDATE version_layer SET schema = ?", text); err != nil {
			t.Fatal(err)
		}
		tamper(t, s, trigger)
	}
	noSchema := strings.Replace(good, `"ghiChu":{`, `"ghiChuX":{`, 1)
	retyped := strings.Replace(good, `"matDoXayDung":{"REAL"`, `"matDoXayDung":{"BOOLEAN"`, 1)
	if noSchema == good || retyped == good || !strings.Contains(good, `"MultiPolygon":1,`) {
		t.Fatalf("the lots' kinds are not what the test changes: %s", good)
	}
	for _, bad := range []struct{ name, text, says string }{
		{"a property missing", noSchema, `property "ghiChu" has no column`},
		{"a property retyped", retyped, `property "matDoXayDung" is REAL, its column BOOLEAN`},
		{"a property added", strings.Replace(good, `"p":{`, `"p":{"aaa":{"TEXT":1},`, 1), `column "aaa" has no property`},
		{"a geometry type missing", strings.Replace(good, `"MultiPolygon":1,`, ``, 1), "the geometries are GEOMETRY, the column POLYGON"},
	} {
		stored(bad.text)
		v, err := s.Verify(ctx, VerifyOptions{})
		if err != nil || len(v.Findings) != 1 || !strings.Contains(v.Findings[0].Problem, "stored kinds of properties and geometries are not its items'") {
			t.Errorf("%s: verify: %v %+v", bad.name, err, v.Findings)
		}
		out := filepath.Join(dir, "bad.gpkg")
		err = s.ExportGeoPackage(ctx, out, "p", 0, nil, crs.TM3LangSon)
		if err == nil || !strings.Contains(err.Error(), bad.says) || !strings.Contains(err.Error(), "run quyhoach verify") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: export: %v", bad.name, err)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: a file left behind: %v", bad.name, err)
		}
	}
	for _, unknown := range []any{nil, "not a schema", `{"p":{"x":{"TEXT":0}},"g":{}}`} {
		stored(unknown)
		got := filepath.Join(dir, "counted.gpkg")
		os.Remove(got)
		if err := s.ExportGeoPackage(ctx, got, "p", 0, nil, crs.TM3LangSon); err != nil {
			t.Fatalf("%v: %v", unknown, err)
		}
		if a, b := gpkgContent(t, want), gpkgContent(t, got); a != b {
			t.Fatalf("%v: the GeoPackage differs:\n%s", unknown, firstDiff(a, b))
		}
		v, err := s.Verify(ctx, VerifyOptions{})
		if wantFindings := map[bool]int{true: 0, false: 1}[unknown == nil]; err != nil || len(v.Findings) != wantFindings {
			t.Errorf("%v: verify: %v %+v", unknown, err, v.Findings)
		}
	}
}

// TestLayerSchemaOfAnOldStore: a store from before the layer kinds
// (schema 15) opens with every layer's kinds unknown, verifies clean and
// exports the file it did; what it writes next has its kinds.
func TestLayerSchemaOfAnOldStore(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	s.db.SetMaxOpenConns(1)
	asSchema15(t, s)
	s = reopen(t, s)
	stored, _, unknown := recountedSchemas(t, s)
	if len(stored) != 0 || unknown == 0 {
		t.Fatalf("after the migration %d layers have kinds, %d not", len(stored), unknown)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after the migration: %v", f)
	}
	p, cur := firstPlan(t, s)
	dir := t.TempDir()
	want, got := filepath.Join(dir, "old.gpkg"), filepath.Join(dir, "new.gpkg")
	oldGeoPackage(t, s, want, p.Code, 0, crs.TM3LangSon)
	if err := s.ExportGeoPackage(ctx, got, p.Code, 0, nil, crs.TM3LangSon); err != nil {
		t.Fatal(err)
	}
	if a, b := gpkgContent(t, want), gpkgContent(t, got); a != b {
		t.Fatalf("the GeoPackage differs:\n%s", firstDiff(a, b))
	}
	mustPlan(t, s, "again")
	mustImport(t, s, ImportRequest{Plan: "again", Layers: cur.Layers})
	if stored, counted, _ := recountedSchemas(t, s); len(stored) == 0 || !maps.Equal(stored, mapsFilter(counted, stored)) {
		t.Fatalf("the import after the migration stored %v", stored)
	}
}

// mapsFilter is m's entries whose keys keep has.
func mapsFilter(m, keep map[string]string) map[string]string {
	out := map[string]string{}
	for k := range keep {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// TestVerifyOfALostBodyWithKinds: an item whose body's hash is not one
// (altered to a byte) in a layer with stored kinds is a finding, and
// verify goes on to the end.
func TestVerifyOfALostBodyWithKinds(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(20, 1)}}})
	tamper(t, s, "DROP TRIGGER body_no_update", "UPDATE body SET hash = x'00' WHERE id = (SELECT min(id) FROM body)")
	if f := verifyFindings(t, s, ""); len(f) == 0 {
		t.Fatal("no finding for a body whose hash is a byte")
	}
}
