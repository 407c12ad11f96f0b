package scene

import (
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// TestWithLeavesTheOldSceneAlone: an edit makes a new scene (changed lot
// restyled, removed lot gone from picking and search, added lot drawn and
// found) and the scene a frame may be drawing from is untouched.
func TestWithLeavesTheOldSceneAlone(t *testing.T) {
	cat := catalogue(t)
	old := Plan(holed(), cat, "vi")
	changed := &gis.Feature{ID: "plain", Geometry: orb.Polygon{square(100, 0, 100)}, Properties: map[string]any{"maDoiTuong": "ONM-02", "phanLoai": "CN"}}
	added := &gis.Feature{ID: "new", Geometry: orb.Polygon{square(300, 0, 50)}, Properties: map[string]any{"maDoiTuong": "DV-09", "phanLoai": "DV"}}
	s := old.With([]Update{
		{Layer: gis.LandUseLayer, ID: "plain", Feature: changed},
		{Layer: gis.LandUseLayer, ID: "ring"},
		{Layer: gis.LandUseLayer, ID: "new", Feature: added},
		{Layer: "ChiGioiXayDung_L", ID: "line", Feature: &gis.Feature{ID: "line", Geometry: orb.LineString{{0, 0}, {10, 0}}}},
	}, cat, "vi")
	if l, i, ok := s.Pick(orb.Point{150, 50}); !ok || l.Shapes[i].Class != "CN" {
		t.Errorf("changed lot: %v", ok)
	}
	if _, _, ok := s.Pick(orb.Point{10, 10}); ok {
		t.Error("a removed lot is still picked")
	}
	if hits := s.Search("cx-01", 0); len(hits) != 0 {
		t.Errorf("a removed lot is still found: %v", hits)
	}
	if l, i, ok := s.Pick(orb.Point{310, 10}); !ok || l.Shapes[i].ID != "new" || s.Extent.Max[0] != 350 {
		t.Errorf("added lot: %v, extent %v", ok, s.Extent)
	}
	if s.Layer("ChiGioiXayDung_L") == nil {
		t.Error("a new layer was not added")
	}
	// the old scene is as it was
	if l, i, ok := old.Pick(orb.Point{150, 50}); !ok || l.Shapes[i].Class != "ONM" {
		t.Error("the old scene's lot changed")
	}
	if _, _, ok := old.Pick(orb.Point{10, 10}); !ok {
		t.Error("the old scene lost a lot")
	}
	if old.Layer("ChiGioiXayDung_L") != nil || len(old.Layers[0].Shapes) != 2 {
		t.Error("the old scene grew")
	}
}
