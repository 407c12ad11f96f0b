package gis

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestSameShapeAllGeometries: every geometry is the same as a copy of
// itself and as no other, at any tolerance.
func TestSameShapeAllGeometries(t *testing.T) {
	for _, tol := range []float64{0, RoundTripTolerance} {
		for i, a := range allGeometries {
			for j, b := range allGeometries {
				bg := b.g
				if bg != nil {
					bg = orb.Clone(bg)
				}
				if got := SameShape(a.g, bg, tol); got != (i == j) {
					t.Errorf("tol %g: %s / %s: got %v, want %v", tol, a.name, b.name, got, i == j)
				}
			}
		}
	}
}

// TestSameShape: within RoundTripTolerance, as import matching uses it, and
// exact (tolerance 0), as the diff uses it.
func TestSameShape(t *testing.T) {
	sq := orb.Polygon{{{106.7, 21.9}, {106.71, 21.9}, {106.71, 21.91}, {106.7, 21.9}}}
	moved := orb.Polygon{{{106.7 + 1e-8, 21.9}, {106.71, 21.9 - 1e-8}, {106.71, 21.91}, {106.7 + 1e-8, 21.9}}}
	far := orb.Polygon{{{106.7 + 1e-7, 21.9}, {106.71, 21.9}, {106.71, 21.91}, {106.7 + 1e-7, 21.9}}}
	p := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}
	nano := orb.Clone(p).(orb.Polygon)
	nano[0][1][0] += 1e-9
	nan := orb.Point{math.NaN(), 1}
	inf := orb.LineString{{math.Inf(1), 0}, {0, math.Inf(-1)}}
	const tol = RoundTripTolerance
	for _, tc := range []struct {
		name string
		a, b orb.Geometry
		tol  float64
		want bool
	}{
		{"equal", sq, sq, tol, true},
		{"within 1 mm", sq, moved, tol, true},
		{"1 cm off", sq, far, tol, false},
		{"other type", sq, orb.MultiPolygon{sq}, tol, false},
		{"other structure", sq, orb.Polygon{sq[0], sq[0]}, tol, false},
		{"nil", nil, nil, tol, true},
		{"nil and polygon", nil, sq, tol, false},
		{"points", orb.Point{1, 2}, orb.Point{1, 2 + 1e-9}, tol, true},
		{"lines", orb.LineString{{0, 0}, {1, 1}}, orb.LineString{{0, 0}}, tol, false},
		{"exact: a vertex moved by a nanometre", p, nano, 0, false},
		{"exact: a nanometre within tolerance", p, nano, tol, true},
		{"exact: NaN equals NaN", nan, nan, 0, true},
		{"NaN within tolerance", nan, orb.Point{math.NaN(), 1}, tol, true},
		{"exact: NaN vs number", nan, orb.Point{0, 1}, 0, false},
		{"exact: infinities", inf, orb.Clone(inf), 0, true},
		{"exact: shared body", p, p, 0, true},
		{"exact: -0 and 0", orb.Point{0, 0}, orb.Point{math.Copysign(0, -1), 0}, 0, true},
		{"exact: bound moved", testBound, orb.Bound{Min: testBound.Min, Max: orb.Point{3, 4 + 1e-9}}, 0, false},
		{"bound within tolerance", testBound, orb.Bound{Min: testBound.Min, Max: orb.Point{3, 4 + 1e-9}}, tol, true},
		{"bound vs its polygon", testBound, testBound.ToPolygon(), tol, false},
		{"pointer geometry", &p, &nano, tol, false},
		{"pointer geometry, equal", &p, &p, 0, true},
		{"pointer vs value", &p, p, 0, false},
	} {
		if got := SameShape(tc.a, tc.b, tc.tol); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}
