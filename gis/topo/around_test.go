package topo

import (
	"context"
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// lotGrid is n×n lots of 20 m tiling a boundary, at grid coordinates.
func lotGrid(n int) ([]gis.Feature, orb.Geometry) {
	const s = 20.0
	o := orb.Point{444000, 2430000}
	var lots []gis.Feature
	for i := range n {
		for j := range n {
			x, y := o[0]+float64(i)*s, o[1]+float64(j)*s
			lots = append(lots, gis.Feature{
				ID:         fmt.Sprintf("L%d-%d", i, j),
				Geometry:   orb.Polygon{{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}},
				Properties: map[string]any{"phanLoai": "ONM", "maDoiTuong": fmt.Sprintf("L%d-%d", i, j)},
			})
		}
	}
	e := float64(n) * s
	return lots, orb.Polygon{{o, {o[0] + e, o[1]}, {o[0] + e, o[1] + e}, {o[0], o[1] + e}, o}}
}

func withLot(lots []gis.Feature, id string, f func(*gis.Feature)) []gis.Feature {
	out := make([]gis.Feature, 0, len(lots))
	for _, l := range lots {
		if l.ID == id {
			if f == nil {
				continue
			}
			c := l
			c.Properties = map[string]any{}
			for k, v := range l.Properties {
				c.Properties[k] = v
			}
			f(&c)
			l = c
		}
		out = append(out, l)
	}
	return out
}

func known(p string) bool { return p == "ONM" || p == "CX" }

func TestCheckEdit(t *testing.T) {
	ctx := context.Background()
	lots, bd := lotGrid(8)
	corner := orb.Point{444060, 2430060} // shared by L2-2, L3-2, L2-3, L3-3
	moveCorner := func(ids ...string) []gis.Feature {
		out := lots
		for _, id := range ids {
			out = withLot(out, id, func(f *gis.Feature) {
				p := f.Geometry.(orb.Polygon)
				r := append(orb.Ring(nil), p[0]...)
				for k := range r {
					if r[k] == corner {
						r[k] = orb.Point{corner[0] + 3, corner[1] + 2}
					}
				}
				f.Geometry = orb.Polygon{r}
			})
		}
		return out
	}
	opt := Options{KnownClass: known}
	cases := []struct {
		name   string
		after  []gis.Feature
		edited []string
		kinds  []string // kinds introduced
	}{
		{"shared corner moved in one lot", moveCorner("L2-2"), []string{"L2-2"}, []string{KindOverlap, KindOverlap, KindOverlap}}, // it bulges into its three neighbours,
		{"shared corner moved in all four", moveCorner("L2-2", "L3-2", "L2-3", "L3-3"), []string{"L2-2", "L3-2", "L2-3", "L3-3"}, nil},
		{"lot deleted", withLot(lots, "L4-4", nil), []string{"L4-4"}, []string{KindGap}},
		{"unknown class", withLot(lots, "L1-1", func(f *gis.Feature) { f.Properties["phanLoai"] = "ZZ" }), []string{"L1-1"}, []string{KindClass}},
		{"implausible density", withLot(lots, "L1-1", func(f *gis.Feature) { f.Properties["matDoXayDung"] = 180.0 }), []string{"L1-1"}, []string{KindIndicator}},
		{"lot pushed out of the plan", withLot(lots, "L0-0", func(f *gis.Feature) {
			f.Geometry = orb.Polygon{{{443990, 2430000}, {444020, 2430000}, {444020, 2430020}, {443990, 2430020}, {443990, 2430000}}}
		}), []string{"L0-0"}, []string{KindOutside}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CheckEdit(ctx, lots, c.after, bd, bd, c.edited, opt)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []string
			for _, f := range got.Introduced {
				kinds = append(kinds, f.Kind)
			}
			if fmt.Sprint(kinds) != fmt.Sprint(c.kinds) {
				t.Errorf("introduced %v, want %v: %+v", kinds, c.kinds, got.Introduced)
			}
			for _, f := range got.Findings {
				if f.Kind == KindOutside && f.IDs[0] != "L0-0" {
					t.Errorf("a lot crossing the neighbourhood's edge reported outside: %+v", f)
				}
			}
		})
	}
	// a gap that was there before the edit is no finding of the edit
	holed := withLot(lots, "L5-5", nil)
	got, err := CheckEdit(ctx, holed, withLot(holed, "L5-4", func(f *gis.Feature) { f.Properties["phanLoai"] = "CX" }), bd, bd, []string{"L5-4"}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Introduced) != 0 || len(got.Findings) != 1 || got.Findings[0].Kind != KindGap {
		t.Errorf("old gap: introduced %+v, findings %+v", got.Introduced, got.Findings)
	}
	if e, w := got.Errors(), got.Warnings(); len(e)+len(w) != 0 {
		t.Errorf("errors %v warnings %v", e, w)
	}
}
