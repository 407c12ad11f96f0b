package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// TestDrawingThenAttributesIsLoadGrid: the two phases give what LoadGrid
// gives — every plan of the samples (versions edited by dossiers, so
// layers whose items are not in key order) and a layer with a feature
// without geometry — and the drawing's measures are the stored ones.
func TestDrawingThenAttributesIsLoadGrid(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(50, 2)}, {Name: "P_P", Features: []gis.Feature{
		{Geometry: orb.Point{106.71234567891, 21.9087654321}, Properties: map[string]any{"n": 1.0}}, {Properties: map[string]any{"n": 2.0}}}}}})
	plans, err := s.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		vs, err := s.Versions(ctx, p.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vs {
			want, err := s.LoadGrid(ctx, p.Code, v.Number)
			if err != nil {
				t.Fatal(err)
			}
			d, ok, err := s.Drawing(ctx, p.Code, v.Number, nil)
			if err != nil || !ok {
				t.Fatalf("%s v%d: drawing %v %v", p.Code, v.Number, ok, err)
			}
			if d.Len() != countFeatures(want) || !reflect.DeepEqual(d.Version, want.Version) || !reflect.DeepEqual(d.Plan, want.Plan) {
				t.Fatalf("%s v%d: drawing of %d features, want %d", p.Code, v.Number, d.Len(), countFeatures(want))
			}
			for li, l := range d.Layers {
				for i, f := range l.Features {
					g := want.Layers[li].Features[i]
					if f.ID != g.ID || f.Properties != nil || !reflect.DeepEqual(f.Geometry, g.Geometry) {
						t.Fatalf("%s v%d: drawn %s differs from %s", p.Code, v.Number, f.ID, g.ID)
					}
					if m := l.Measures[i]; m.Class != g.String(ClassProperty) || m.M2 != gis.Area(g.Geometry) {
						t.Fatalf("%s v%d: measure of %s is %+v", p.Code, v.Number, f.ID, m)
					}
				}
			}
			calls := 0
			got, err := s.Attributes(ctx, d, func(n int) { calls++ })
			if err != nil {
				t.Fatal(err)
			}
			if calls == 0 || !reflect.DeepEqual(got.Layers, want.Layers) || !reflect.DeepEqual(got.Lineage, want.Lineage) || !reflect.DeepEqual(got.Version, want.Version) {
				t.Fatalf("%s v%d: attributes differ from LoadGrid", p.Code, v.Number)
			}
		}
	}
}

func countFeatures(s *Snapshot) int {
	n := 0
	for _, l := range s.Layers {
		n += len(l.Features)
	}
	return n
}

// TestDrawingRefusesDamage: a damaged grid form or measure stops the
// drawing with the feature named; a damaged body stops the attributes as
// Load stops; a body without its measure is no drawing (the caller loads).
func TestDrawingRefusesDamage(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: genLots(30, 1)}}})
	d, ok, err := s.Drawing(ctx, "p", 0, nil)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	exec := func(q string) {
		t.Helper()
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	exec("DROP TRIGGER body_no_update")
	exec("UPDATE body SET geojson = geojson || ' ' WHERE id = 7")
	var damaged *DamagedError
	if _, err := s.Attributes(ctx, d, nil); !errors.As(err, &damaged) {
		t.Fatalf("damaged body: %v", err)
	}
	exec("DROP TRIGGER body_measure_no_update")
	exec("UPDATE body_measure SET measure = zeroblob(14) WHERE body_id = 3")
	if _, _, err := s.Drawing(ctx, "p", 0, nil); err == nil || !strings.Contains(err.Error(), "measure is damaged") {
		t.Fatalf("damaged measure: %v", err)
	}
	exec("DROP TRIGGER body_measure_no_delete")
	exec("DELETE FROM body_measure WHERE body_id = 3")
	if _, ok, err := s.Drawing(ctx, "p", 0, nil); ok || err != nil {
		t.Fatalf("missing measure: %v %v", ok, err)
	}
	exec("INSERT INTO body_measure SELECT 3, measure FROM body_measure WHERE body_id = 5") // checked with its own body id: damaged here
	exec("DROP TRIGGER body_geom_no_update")
	exec("UPDATE body_geom SET geom = zeroblob(40) WHERE body_id = 4")
	var ge *GeometryError
	if _, _, err := s.Drawing(ctx, "p", 0, nil); !errors.As(err, &ge) && !strings.Contains(err.Error(), "measure is damaged") {
		t.Fatalf("damaged grid form: %v", err)
	}
}
