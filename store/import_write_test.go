package store

import (
	"bytes"
	"math"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// TestImportMeasureOfGeometry: a body's measure, made at import from the
// grid geometry it just encoded (measureOf), is bit for bit the measure
// verify and migration 0008 derive from the stored grid form; and a body
// encoded through an import worker's cache and buffers (reused lot after
// lot) is the body encoded without them.
func TestImportMeasureOfGeometry(t *testing.T) {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	geoms := []orb.Geometry{
		nil,
		orb.Point{106.75, 21.95},
		orb.LineString{{106.75, 21.95}, {106.76, 21.96}},
		orb.Polygon{sq(106.7, 21.9, 0.001), sq(106.7002, 21.9002, 0.0003)},
		orb.MultiPolygon{{sq(106.7, 21.9, 0.001)}, {sq(106.71, 21.91, 0.00037)}},
		orb.Collection{orb.Point{106.75, 21.95}, orb.Polygon{sq(106.72, 21.92, 0.0007)}},
		sq(106.73, 21.93, 0.0004),
		orb.Bound{Min: orb.Point{106.74, 21.94}, Max: orb.Point{106.741, 21.9405}},
	}
	for _, f := range genLots(200, 3) {
		geoms = append(geoms, f.Geometry)
	}
	cache := new(gridCache)
	for i, g := range geoms {
		f := gis.Feature{Geometry: g, Properties: map[string]any{"maDoiTuong": "L", ClassProperty: "ONM"}}
		plain, cached := encodeBody(f), encodeBodyWith(f, cache)
		if !bytes.Equal(plain.text, cached.text) || !bytes.Equal(plain.grid, cached.grid) || plain.hash != cached.hash {
			t.Errorf("geometry %d: encoded through the workers' cache and buffers differs", i)
		}
		for _, b := range []body{plain, cached} {
			want, err := bodyMeasure(b.text, nil, b.grid)
			if err != nil {
				t.Fatal(err)
			}
			if b.meas.Class != want.Class || math.Float64bits(b.meas.M2) != math.Float64bits(want.M2) {
				t.Errorf("geometry %d: measure %+v, from the stored form %+v", i, b.meas, want)
			}
			if _, poly := g.(orb.Polygon); poly && b.meas.M2 <= 0 {
				t.Errorf("geometry %d: no area", i)
			}
		}
	}
}
