package gpkg

import (
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis/crs"
)

// allGeometries holds every geometry type, as orb's own tests do.
var allGeometries = []orb.Geometry{
	orb.Point{444122.778, 2430566.951},
	orb.MultiPoint{{1, 2}, {3, 4}},
	orb.LineString{{1, 2}, {3, 4}, {5, 7}},
	orb.MultiLineString{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}},
	orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}},
	orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}},
	orb.Collection{orb.Point{1, 2}, orb.LineString{{0, 0}, {1, 1}}},
}

func TestRoundTrip(t *testing.T) {
	for _, g := range allGeometries {
		b, err := Encode(g, 9215)
		if err != nil {
			t.Fatalf("%T: %v", g, err)
		}
		if string(b[:2]) != "GP" || b[3] != 3 {
			t.Fatalf("%T: header % x", g, b[:8])
		}
		back, srs, err := Decode(b)
		if err != nil || srs != 9215 || !orb.Equal(back, g) {
			t.Fatalf("%T: got %v %d %v, want %v", g, back, srs, err, g)
		}
	}
	if b, err := Encode(nil, 4326); b != nil || err != nil {
		t.Fatalf("nil geometry: %v %v", b, err)
	}
	if _, _, err := Decode([]byte("XX")); err == nil {
		t.Fatal("bad magic accepted")
	}
}

func TestSRS(t *testing.T) {
	for _, c := range crs.Known {
		s, err := SRSOf(c)
		if err != nil || s.ID != int(c) || s.Definition == "" {
			t.Fatalf("%v: %+v %v", c, s, err)
		}
	}
	if _, err := SRSOf(32648); err == nil {
		t.Fatal("unknown CRS accepted")
	}
}
