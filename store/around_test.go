package store

import (
	"context"
	"maps"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
)

// wholePlanCheck is CheckProposal as it was before it read only the lots
// around a change set: both sides loaded whole.
func wholePlanCheck(t *testing.T, s *Store, dossier int64) topo.EditCheck {
	t.Helper()
	ctx := context.Background()
	d, err := s.Dossier(ctx, dossier)
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.LoadGrid(ctx, d.Plan, d.Base)
	if err != nil {
		t.Fatal(err)
	}
	prop, _, err := s.ProposalGrid(ctx, dossier)
	if err != nil {
		t.Fatal(err)
	}
	cat, _ := landuse.Parse(assets.LandUse)
	var edited []string
	for _, c := range d.Changes {
		edited = append(edited, c.FeatureID)
	}
	c, err := topo.CheckEdit(ctx, layerOf(before.Layers, gis.LandUseLayer), layerOf(prop.Layers, gis.LandUseLayer),
		gis.Boundary(layerOf(before.Layers, gis.BoundaryLayer)), gis.Boundary(layerOf(prop.Layers, gis.BoundaryLayer)), edited,
		topo.Options{KnownClass: func(p string) bool { _, ok := cat.Lookup(p); return ok }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestProposalCheckReadsOnlyAround: the check of a change set from the
// lots around it finds exactly what the check of the whole plan finds —
// overlaps, gaps, a lot moved from one end of the plan to the other, a
// lot deleted, one added outside the boundary, an unknown class — and
// reads far fewer lots than the plan holds.
func TestProposalCheckReadsOnlyAround(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(900, 3) // three rows of 300 lots, 50 m each
	boundary := gis.Feature{Properties: map[string]any{"maDoiTuong": "RG-1"},
		Geometry: rectLonLat(106.70, 21.90, 106.70+300*0.0005, 21.90+3*0.0005)}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: lots}, {Name: gis.BoundaryLayer, Features: []gis.Feature{boundary}}}})
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	stored := layerOf(snap.Layers, gis.LandUseLayer)
	at := func(i int, props map[string]any) gis.Feature {
		f := stored[i]
		f.Properties = maps.Clone(f.Properties)
		maps.Copy(f.Properties, props)
		return f
	}
	moved := func(i int, g orb.Geometry) gis.Feature { f := at(i, nil); f.Geometry = g; return f }
	cases := map[string][]gis.Feature{
		"overlap":       {moved(10, rectLonLat(106.705, 21.90, 106.7058, 21.9005))},
		"gap":           {moved(20, rectLonLat(106.71, 21.90, 106.7103, 21.9005))},
		"far apart":     {moved(0, rectLonLat(106.70+299*0.0005+0.0001, 21.90+2*0.0005+0.0001, 106.70+300*0.0005-0.0001, 21.90+3*0.0005-0.0001)), at(450, map[string]any{"ghiChu": "x"})},
		"far, crossing": {moved(0, rectLonLat(106.70+298*0.0005+0.0002, 21.90+1*0.0005+0.0002, 106.70+299*0.0005+0.0002, 21.90+2*0.0005+0.0002)), at(450, map[string]any{"ghiChu": "x"})},
		"deleted":       {at(301, map[string]any{"deleted": true})},
		"outside":       {{Properties: map[string]any{"maDoiTuong": "N-1", "phanLoai": "ONM"}, Geometry: rectLonLat(106.60, 21.80, 106.6005, 21.8005)}},
		"class":         {at(605, map[string]any{"phanLoai": "KHONGCO"})},
		"indicator":     {at(606, map[string]any{"matDoXayDung": 180.0})},
		"many, spread":  {at(5, map[string]any{"ghiChu": "a"}), at(355, map[string]any{"ghiChu": "b"}), moved(899, rectLonLat(106.70+299*0.0005, 21.90+2*0.0005, 106.70+300*0.0005+0.0002, 21.90+3*0.0005))},
		// lot 0 drawn in lot 899's cell, on its top, right and bottom sides (collinear, not vertex for vertex)
		"inside, along the boundary": {moved(0, rectLonLat(106.70+299*0.0005+0.0001, 21.90+2*0.0005, 106.70+300*0.0005, 21.90+3*0.0005))},
	}
	for name, changes := range cases {
		t.Run(name, func(t *testing.T) {
			d, err := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: name})
			if err != nil {
				t.Fatal(err)
			}
			mustApply(t, s, d, changes...)
			want := wholePlanCheck(t, s, d)
			got, err := s.CheckProposal(ctx, d)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("around the changes:\n%+v\nthe whole plan:\n%+v", got, want)
			}
			if len(want.Introduced) == 0 && name != "many, spread" {
				t.Errorf("case %s introduced nothing: it tests nothing", name)
			}
			// what was read: the lots meeting the padded box, not the plan
			dd, _ := s.Dossier(ctx, d)
			_, baseID, _ := versionID(ctx, s.db, "p", dd.Base)
			near, _, err := aroundChanges(ctx, s.db, baseID, inGrid(dd))
			if err != nil {
				t.Fatal(err)
			}
			if name == "overlap" && len(near) > 20 {
				t.Errorf("%d lots read around one changed lot", len(near))
			}
		})
	}
}
