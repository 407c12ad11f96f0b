package sheet

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"quyhoach/gis"
)

// Touches says whether geometry g has a part inside bound b: a vertex
// inside, an edge crossing, or b inside a polygon. An atlas keeps the
// sheets whose extent some lot touches; bounding boxes alone would keep
// empty sheets beside a long diagonal lot.
func Touches(g orb.Geometry, b orb.Bound) bool {
	if g == nil || !g.Bound().Intersects(b) {
		return false
	}
	for p := range gis.Paths(g) {
		if p.Kind == gis.Points {
			for _, q := range p.Points {
				if b.Contains(q) {
					return true
				}
			}
		} else if lineTouches(p.Points, b) {
			return true
		}
	}
	c := b.Center()
	for p := range gis.Polygons(g) {
		if planar.PolygonContains(p, c) {
			return true
		}
	}
	return false
}

// lineTouches says whether a vertex of l lies in b or a segment crosses it.
func lineTouches(l []orb.Point, b orb.Bound) bool {
	for i, p := range l {
		if b.Contains(p) {
			return true
		}
		if i > 0 && segmentCrosses(l[i-1], p, b) {
			return true
		}
	}
	return false
}

// segmentCrosses is the Liang–Barsky test of segment a–c against b.
func segmentCrosses(a, c orb.Point, b orb.Bound) bool {
	dx, dy := c[0]-a[0], c[1]-a[1]
	t0, t1 := 0.0, 1.0
	for _, e := range [4][2]float64{{-dx, a[0] - b.Min[0]}, {dx, b.Max[0] - a[0]}, {-dy, a[1] - b.Min[1]}, {dy, b.Max[1] - a[1]}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return false
			}
			if t > t0 {
				t0 = t
			}
		} else {
			if t < t0 {
				return false
			}
			if t < t1 {
				t1 = t
			}
		}
	}
	return t0 <= t1
}
