package edit

import (
	"math"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// SnapKind says what a pointer snapped to.
type SnapKind uint8

// Kinds of snap.
const (
	NoSnap   SnapKind = iota
	ToVertex          // a vertex of a feature
	ToEdge            // the nearest point of an edge
)

// Snap is where a pointer lands after snapping.
type Snap struct {
	Point   orb.Point
	Kind    SnapKind
	Feature string // the feature snapped to
}

// Candidate is a feature near the pointer that it may snap to.
type Candidate struct {
	ID       string
	Geometry orb.Geometry
}

// SnapTo snaps p to the nearest vertex of the candidates within tol (metres),
// else to the nearest point of their edges within tol, else leaves it. A
// vertex wins over a nearer edge: corners are what neighbours share.
func SnapTo(p orb.Point, tol float64, candidates []Candidate) Snap {
	best := Snap{Point: p}
	bestD := math.Inf(1)
	for _, c := range candidates {
		for path := range gis.Paths(c.Geometry) {
			for _, q := range path.Points {
				if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d <= tol && d < bestD {
					best, bestD = Snap{q, ToVertex, c.ID}, d
				}
			}
		}
	}
	if best.Kind == ToVertex {
		return best
	}
	for _, c := range candidates {
		for path := range gis.Paths(c.Geometry) {
			if path.Kind == gis.Points {
				continue
			}
			pts := path.Points
			for i := 0; i+1 < len(pts); i++ {
				q := nearestOnSegment(pts[i], pts[i+1], p)
				if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d <= tol && d < bestD {
					best, bestD = Snap{q, ToEdge, c.ID}, d
				}
			}
		}
	}
	return best
}

// nearestOnSegment is the point of segment ab nearest to p.
func nearestOnSegment(a, b, p orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l := dx*dx + dy*dy
	if l == 0 {
		return a
	}
	t := math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l))
	return orb.Point{a[0] + t*dx, a[1] + t*dy}
}

// NearestEdge finds the edge of g nearest to p: its path and the index of
// its first vertex, the point on it, and the distance.
func NearestEdge(g orb.Geometry, p orb.Point) (path, after int, at orb.Point, dist float64) {
	dist = math.Inf(1)
	i := 0
	for pa := range gis.Paths(g) {
		pts := pa.Points
		for k := 0; k+1 < len(pts); k++ {
			q := nearestOnSegment(pts[k], pts[k+1], p)
			if d := math.Hypot(q[0]-p[0], q[1]-p[1]); d < dist {
				path, after, at, dist = i, k, q, d
			}
		}
		i++
	}
	return path, after, at, dist
}
