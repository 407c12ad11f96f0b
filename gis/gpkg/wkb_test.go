package gpkg

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom/encoding/wkb"
)

// TestWKBIsGoGeoms: the WKB written directly is go-geom's of the same
// geometry, for every kind, empty parts included.
func TestWKBIsGoGeoms(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pts := func(n int) []orb.Point {
		out := make([]orb.Point, n)
		for i := range out {
			out[i] = orb.Point{500000 + r.NormFloat64()*1e5, 2.4e6 + r.NormFloat64()*1e5}
		}
		return out
	}
	ring := func() orb.Ring { p := pts(3 + r.IntN(20)); return append(orb.Ring(p), p[0]) }
	poly := func() orb.Polygon {
		p := orb.Polygon{ring()}
		for range r.IntN(3) {
			p = append(p, ring())
		}
		return p
	}
	var gs []orb.Geometry
	for range 300 {
		mp := orb.MultiPolygon{poly(), poly()}
		mls := orb.MultiLineString{orb.LineString(pts(2 + r.IntN(9))), orb.LineString(pts(2))}
		gs = append(gs, orb.Point(pts(1)[0]), orb.MultiPoint(pts(1+r.IntN(5))), orb.LineString(pts(2+r.IntN(30))), mls,
			ring(), poly(), mp, orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 5}})
	}
	gs = append(gs, orb.MultiPolygon{}, orb.MultiPolygon{{}}, orb.Polygon{}, orb.Polygon{{}}, orb.MultiPoint{}, orb.LineString{}, orb.MultiLineString{{}})
	for _, g := range gs {
		got, ok := appendWKB(nil, g)
		if !ok {
			t.Fatalf("%T not encoded", g)
		}
		gg, err := toGeom(g)
		if err != nil {
			t.Fatal(err)
		}
		want, err := wkb.Marshal(gg, binary.LittleEndian)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%T %v:\n got %x\nwant %x", g, g, got, want)
		}
		full, _ := Encode(g, 9215)
		if b, ok := EnvelopeOf(full); !ok || b != g.Bound() {
			t.Fatalf("%T: envelope %v, bound %v", g, b, g.Bound())
		}
		if back, srs, err := Decode(full); err != nil || srs != 9215 || back == nil && len(got) > 9+4 {
			t.Fatalf("%T: read back %v %d %v", g, back, srs, err)
		}
	}
	if _, ok := appendWKB(nil, orb.Collection{orb.Point{1, 2}}); ok {
		t.Fatal("a collection is left to go-geom")
	}
}
