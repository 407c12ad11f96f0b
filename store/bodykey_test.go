package store

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

// TestBodyKeyIsJSONExtract: a key read from a canonical body's text is
// the one SQLite's json_extract gives (sqlText), for every kind of value;
// where bodyKey cannot tell, storedFeatures asks SQLite, so a version's
// keys are the same either way.
func TestBodyKeyIsJSONExtract(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	values := []any{"LS-001", "Đồng Đăng 2", "", `say "hi"`, `a\b`, "tab\there", 0.0, 7.0, 123456789012345.0,
		1234567890123456.0, 12.5, -3.0, 1e21, 0.1, true, false, nil, map[string]any{"a": 1.0}, []any{"x", 2.0}}
	var lots []gis.Feature
	read := 0
	for i, v := range values {
		f := gis.Feature{Geometry: orb.Point{106.7 + float64(i)*0.001, 21.9}, Properties: map[string]any{"a": 1.0, "ma": v, "z": "last"}}
		lots = append(lots, f)
		for _, key := range []string{"ma", "a", "z", "missing", "m"} {
			body := geojson.Canonical(f, true)
			var k any
			if err := s.db.QueryRow("SELECT json_extract(?, ?)", string(body), "$.properties."+jsonPathKey(key)).Scan(&k); err != nil {
				t.Fatal(err)
			}
			want := sqlText(k)
			got, ok := bodyKey(body, key)
			if ok && got != want {
				t.Errorf("%v, key %s: bodyKey %q, json_extract %q", v, key, got, want)
			}
			if ok {
				read++
			}
		}
	}
	if read < 3*len(values) { // the common values, and the other keys
		t.Errorf("bodyKey read only %d of %d", read, 5*len(values))
	}
	// not canonical: left to SQLite
	if _, ok := bodyKey([]byte(`{"properties":{"ma":"x"},"type":"Feature","geometry":null}`), "ma"); ok {
		t.Error("a body not in canonical order was read")
	}
	// the version's keys, as storedFeatures reads them, are json_extract's
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "P_P", Features: lots}}})
	var verID int64
	if err := s.db.QueryRow("SELECT current_version FROM plan WHERE code = 'p'").Scan(&verID); err != nil {
		t.Fatal(err)
	}
	// the items' order the reverse of their ids' (as a layer moved in from
	// another can make it): storedFeatures gives them in their order
	tamper(t, s, "DROP TRIGGER item_fixed", "UPDATE item SET seq = -seq")
	got, err := storedFeatures(ctx, s.db, verID, 0, "ma")
	if err != nil || len(got) != len(values) {
		t.Fatalf("stored features: %d, %v", len(got), err)
	}
	for i, f := range got {
		var k any
		if err := s.db.QueryRow(`SELECT json_extract(geojson, '$.properties.ma') FROM body WHERE id = ?`, f.bodyID).Scan(&k); err != nil {
			t.Fatal(err)
		}
		if f.key != sqlText(k) {
			t.Errorf("feature %d (%v): key %q, json_extract %q", i, values[i], f.key, sqlText(k))
		}
		if i > 0 && (f.seq <= got[i-1].seq || f.id >= got[i-1].id) {
			t.Errorf("feature %d (%s, %d): out of its version's order", i, f.id, f.seq)
		}
	}
}
