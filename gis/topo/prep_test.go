package topo

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestFirstPoint(t *testing.T) {
	sq := orb.Ring{{1, 2}, {3, 2}, {3, 4}, {1, 2}}
	hole := orb.Ring{{5, 6}, {7, 6}, {7, 8}, {5, 6}}
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		want orb.Point
		ok   bool
	}{
		{"nil", nil, orb.Point{}, false},
		{"point", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"empty multipoint", orb.MultiPoint{}, orb.Point{}, false},
		{"multilinestring", orb.MultiLineString{{}, {{3, 4}, {5, 6}}}, orb.Point{3, 4}, true},
		{"polygon", orb.Polygon{sq, hole}, orb.Point{1, 2}, true},
		{"polygon with an empty shell", orb.Polygon{{}, hole}, orb.Point{}, false},
		{"multipolygon, first shell empty", orb.MultiPolygon{{{}, hole}, {}, {sq}}, orb.Point{1, 2}, true},
		{"bound", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}, orb.Point{1, 2}, true},
		{"collection", orb.Collection{orb.Collection{}, orb.LineString{{9, 9}, {1, 1}}}, orb.Point{9, 9}, true},
	} {
		if got, ok := firstPoint(tc.g); got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %v, %v, want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}
