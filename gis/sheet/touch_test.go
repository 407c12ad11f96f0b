package sheet

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestTouches(t *testing.T) {
	b := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{10, 10}}
	// A long diagonal strip whose bounding box covers b without touching it.
	strip := orb.Polygon{{{20, 0}, {22, 0}, {2, 40}, {0, 40}, {20, 0}}}
	big := orb.Polygon{{{-5, -5}, {15, -5}, {15, 15}, {-5, 15}, {-5, -5}}}
	cross := orb.LineString{{-5, 5}, {15, 5}}
	withHole := orb.Polygon{big[0], {{-1, -1}, {11, -1}, {11, 11}, {-1, 11}, {-1, -1}}}
	cases := []struct {
		name string
		g    orb.Geometry
		want bool
	}{
		{"nil", nil, false},
		{"point in", orb.Point{5, 5}, true},
		{"point out", orb.Point{50, 5}, false},
		{"multipoint", orb.MultiPoint{{50, 5}, {1, 1}}, true},
		{"diagonal strip beside", strip, false},
		{"polygon around", big, true},
		{"hole around", withHole, false},
		{"line across", cross, true},
		{"multilinestring", orb.MultiLineString{{{20, 20}, {30, 30}}, cross}, true},
		{"ring", orb.Ring(big[0]), true},
		{"multipolygon", orb.MultiPolygon{strip, big}, true},
		{"collection", orb.Collection{orb.Point{50, 50}, orb.Point{3, 3}}, true},
		{"empty polygon", orb.Polygon{}, false},
		{"empty collection", orb.Collection{}, false},
		{"bound around", orb.Bound{Min: orb.Point{-5, -5}, Max: orb.Point{15, 15}}, true},
		{"bound across a corner", orb.Bound{Min: orb.Point{8, -5}, Max: orb.Point{15, 2}}, true},
		{"bound beside", orb.Bound{Min: orb.Point{11, 0}, Max: orb.Point{15, 15}}, false},
	}
	for _, tc := range cases {
		if got := Touches(tc.g, b); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
