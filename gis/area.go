package gis

import (
	"math"

	"github.com/paulmach/orb"
)

// Area returns the planar area of g in the square units of its coordinates:
// polygon shells minus their holes, multipolygons and collections summed,
// whatever the ring orientation. Official areas are Area of the geometry
// projected to EPSG:9215, in m². Points and lines have no area.
func Area(g orb.Geometry) float64 {
	if p, ok := g.(orb.Polygon); ok {
		return polygonArea(p) // a lot: no iterator, ~5 % of Area100k
	}
	a := 0.0
	for p := range Polygons(g) {
		a += polygonArea(p)
	}
	return a
}

// polygonArea is the area of p's shell less its holes.
func polygonArea(p orb.Polygon) float64 {
	a := 0.0
	for i, r := range p {
		if i == 0 {
			a += math.Abs(ringArea(r))
		} else {
			a -= math.Abs(ringArea(r))
		}
	}
	return a
}

// ringArea is the signed shoelace area, positive for counter-clockwise rings.
// Coordinates are taken relative to the first vertex so that large projected
// values (E≈4e5, N≈2.4e6) lose no precision.
func ringArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	x0, y0 := r[0][0], r[0][1]
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	last := len(r) - 1
	if r[last] != r[0] {
		s += (r[last][0]-x0)*(r[0][1]-y0) - (r[0][0]-x0)*(r[last][1]-y0)
	}
	return s / 2
}
