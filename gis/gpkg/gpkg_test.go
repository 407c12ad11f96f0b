package gpkg

import (
	"encoding/binary"
	"runtime"
	"strings"
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

// crafted returns a GeoPackage blob of a geometry whose counts lie: a
// polygon (or multipolygon) claiming 0x7fffffff rings or points.
func crafted(t *testing.T, g orb.Geometry, at int) []byte {
	t.Helper()
	b, err := Encode(g, 9215)
	if err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint32(b[8+32+at:], 0x7fffffff)
	return b
}

// TestLyingCountsAreRefusedBeforeAllocating: counts set to 0x7fffffff made
// the WKB decoder allocate 34 GB and die; they are refused, at once.
func TestLyingCountsAreRefusedBeforeAllocating(t *testing.T) {
	poly := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
	for name, b := range map[string][]byte{
		"rings":            crafted(t, poly, 5),
		"points of a ring": crafted(t, poly, 9),
		"polygons":         crafted(t, orb.MultiPolygon{poly}, 5),
		"points of a line": crafted(t, orb.LineString{{0, 0}, {1, 1}}, 5),
		"members":          crafted(t, orb.Collection{orb.Point{1, 2}}, 5),
	} {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		_, _, err := Decode(b)
		runtime.ReadMemStats(&m1)
		if err == nil || !strings.Contains(err.Error(), "more than the") {
			t.Errorf("%s: %v", name, err)
		}
		if grown := m1.TotalAlloc - m0.TotalAlloc; grown > 1<<20 {
			t.Errorf("%s: %d bytes allocated to refuse it", name, grown)
		}
	}
	// nesting without end, truncation and unknown types
	deep := []byte{}
	for range 100 {
		deep = append(deep, 1, 7, 0, 0, 0, 1, 0, 0, 0)
	}
	for name, wkb := range map[string][]byte{
		"deep":      deep,
		"truncated": {1, 3, 0, 0, 0, 1, 0},
		"type 99":   {1, 99, 0, 0, 0},
		"order 7":   {7, 1, 0, 0, 0},
	} {
		blob := append([]byte{'G', 'P', 0, 1, 0x0f, 0x24, 0, 0}, wkb...)
		if _, _, err := Decode(blob); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

// FuzzDecode: no GeoPackage geometry blob makes Decode panic or allocate
// far beyond its size.
func FuzzDecode(f *testing.F) {
	for _, g := range allGeometries {
		b, _ := Encode(g, 9215)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, _, err := Decode(b)
		if err == nil && g != nil {
			if _, err := Encode(g, 9215); err != nil {
				t.Fatalf("decoded %T does not encode again: %v", g, err)
			}
		}
	})
}
