package gis

import (
	"math"
	"reflect"

	"github.com/paulmach/orb"
)

// RoundTripTolerance is how far (in degrees, about 2 mm here) a re-imported
// vertex may sit from the stored one and still be the same vertex: a trip
// through a projected CRS and back moves points by up to ~1 mm, in PROJ and
// GDAL as in this program, and must not make every lot "modified".
const RoundTripTolerance = 2e-8

// SameShape reports whether a and b are the same geometry up to tol in each
// coordinate: same type, same structure, every vertex within tol. With tol 0
// it is exact equality. A coordinate always matches itself, NaN and
// infinities included, so a geometry is always the same as itself. nil is
// the same only as nil; an empty geometry as an empty one of its type.
// Geometries of types orb does not define (pointers to orb types, other
// implementations of orb.Geometry) are compared exactly, by reflect.DeepEqual.
func SameShape(a, b orb.Geometry, tol float64) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case orb.Point:
		b, ok := b.(orb.Point)
		return ok && near(a, b, tol)
	case orb.MultiPoint:
		b, ok := b.(orb.MultiPoint)
		return ok && samePoints(a, b, tol)
	case orb.LineString:
		b, ok := b.(orb.LineString)
		return ok && samePoints(a, b, tol)
	case orb.Ring:
		b, ok := b.(orb.Ring)
		return ok && samePoints(a, b, tol)
	case orb.MultiLineString:
		b, ok := b.(orb.MultiLineString)
		return ok && sameEach(a, b, func(x, y orb.LineString) bool { return samePoints(x, y, tol) })
	case orb.Polygon:
		b, ok := b.(orb.Polygon)
		return ok && samePolygon(a, b, tol)
	case orb.MultiPolygon:
		b, ok := b.(orb.MultiPolygon)
		return ok && sameEach(a, b, func(x, y orb.Polygon) bool { return samePolygon(x, y, tol) })
	case orb.Collection:
		b, ok := b.(orb.Collection)
		return ok && sameEach(a, b, func(x, y orb.Geometry) bool { return SameShape(x, y, tol) })
	case orb.Bound:
		b, ok := b.(orb.Bound)
		return ok && near(a.Min, b.Min, tol) && near(a.Max, b.Max, tol)
	}
	return reflect.DeepEqual(a, b)
}

// sameEach reports whether a and b have the same length and same holds for
// each pair of elements.
func sameEach[E any](a, b []E, same func(E, E) bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !same(a[i], b[i]) {
			return false
		}
	}
	return true
}

func near(a, b orb.Point, tol float64) bool {
	return nearly(a[0], b[0], tol) && nearly(a[1], b[1], tol)
}

func samePolygon(a, b orb.Polygon, tol float64) bool {
	return sameEach(a, b, func(x, y orb.Ring) bool { return samePoints(x, y, tol) })
}

// nearly reports whether coordinates x and y are within tol, or equal, or
// both NaN.
func nearly(x, y, tol float64) bool {
	return x == y || math.Abs(x-y) <= tol || x != x && y != y
}

// samePoints compares point sequences (the hot loop of a diff: a plain loop,
// and sequences sharing their backing array, a body decoded once and used
// twice, are the same without a look at the points).
func samePoints(a, b []orb.Point, tol float64) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] && !near(a[i], b[i], tol) {
			return false
		}
	}
	return true
}
