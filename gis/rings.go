package gis

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Nest builds polygons from loose rings by containment, as GIS readers
// organise the rings of a Shapefile record or a CAD hatch: a ring inside
// no other is a shell, a ring inside a shell is its hole, a ring inside a
// hole is the shell of an island, and so on. Shells come out
// counter-clockwise and holes clockwise (RFC 7946); rings of fewer than
// four positions or no area are dropped. A ring is inside another when a
// point of its interior side is: rings may touch but not cross. It does
// not modify rings.
func Nest(rings []orb.Ring) []orb.Polygon {
	type entry struct {
		ring   orb.Ring
		area   float64
		bound  orb.Bound
		parent int // index into placed, -1 for none
		depth  int
		poly   int // the polygon it is the shell of, or belongs to as a hole
	}
	es := make([]entry, 0, len(rings))
	for _, r := range rings {
		if len(r) < 4 {
			continue
		}
		a := ringArea(r)
		if a == 0 || math.IsNaN(a) {
			continue
		}
		es = append(es, entry{ring: r, area: math.Abs(a), bound: r.Bound(), parent: -1})
	}
	if len(es) == 1 { // the common case: one shell
		return []orb.Polygon{{oriented(es[0].ring, true)}}
	}
	// Largest first, so that a ring's container is placed before it.
	slices.SortStableFunc(es, func(a, b entry) int {
		switch {
		case a.area > b.area:
			return -1
		case a.area < b.area:
			return 1
		}
		return 0
	})
	var out []orb.Polygon
	for i := range es {
		probe := innerPoint(es[i].ring)
		// The smallest ring placed before that holds it.
		for j := i - 1; j >= 0; j-- {
			if !es[j].bound.Contains(probe) || !planar.RingContains(es[j].ring, probe) {
				continue
			}
			es[i].parent, es[i].depth = j, es[j].depth+1
			break
		}
		if es[i].depth%2 == 0 {
			es[i].poly = len(out)
			out = append(out, orb.Polygon{oriented(es[i].ring, true)})
		} else {
			p := es[es[i].parent].poly
			es[i].poly = p
			out[p] = append(out[p], oriented(es[i].ring, false))
		}
	}
	return out
}

// oriented returns r counter-clockwise (ccw) or clockwise, reversed in a
// copy when it is not.
func oriented(r orb.Ring, ccw bool) orb.Ring {
	if (ringArea(r) > 0) == ccw {
		return r
	}
	c := slices.Clone(r)
	slices.Reverse(c)
	return c
}

// innerPoint is a point just inside r, beside the middle of its longest
// edge, on the side its area lies: a ring that only touches another at
// vertices or along some edges is still placed by it.
func innerPoint(r orb.Ring) orb.Point {
	best, bi := -1.0, 0
	for i := 0; i+1 < len(r); i++ {
		if d := math.Hypot(r[i+1][0]-r[i][0], r[i+1][1]-r[i][1]); d > best {
			best, bi = d, i
		}
	}
	a, b := r[bi], r[bi+1]
	m := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
	if best <= 0 {
		return m
	}
	// Left normal for a counter-clockwise ring, right for a clockwise one.
	nx, ny := -(b[1]-a[1])/best, (b[0]-a[0])/best
	if ringArea(r) < 0 {
		nx, ny = -nx, -ny
	}
	// A step small against the edge, but not lost in the coordinates.
	step := math.Max(best*1e-6, 1e-9*math.Max(math.Abs(m[0]), math.Abs(m[1])))
	return orb.Point{m[0] + nx*step, m[1] + ny*step}
}

// InteriorPoint returns a point inside polygon p where a label or a
// marker can go: the middle of the widest horizontal run of its interior
// through the middle of its height (holes respected), or its first vertex
// for a degenerate polygon.
func InteriorPoint(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	b := p[0].Bound()
	best, at := -1.0, p[0][0]
	// Scan a few heights around the middle: the middle one may graze a vertex.
	for _, f := range []float64{0.5, 0.5 + 1e-7, 0.4, 0.6, 0.3, 0.7} {
		y := b.Min[1] + f*(b.Max[1]-b.Min[1])
		var xs []float64
		for _, r := range p {
			for i := 0; i+1 < len(r); i++ {
				a, c := r[i], r[i+1]
				if (a[1] > y) != (c[1] > y) {
					xs = append(xs, a[0]+(y-a[1])*(c[0]-a[0])/(c[1]-a[1]))
				}
			}
		}
		slices.Sort(xs)
		for i := 0; i+1 < len(xs); i += 2 {
			if w := xs[i+1] - xs[i]; w > best {
				best, at = w, orb.Point{(xs[i] + xs[i+1]) / 2, y}
			}
		}
		if best > 0 && f == 0.5+1e-7 {
			break
		}
	}
	return at
}

// SignedArea returns the shoelace area of r, positive when it turns
// counter-clockwise (the ring orientation rule of formats: RFC 7946 shells
// counter-clockwise, Shapefile shells clockwise).
func SignedArea(r orb.Ring) float64 { return ringArea(r) }
