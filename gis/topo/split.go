package topo

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"quyhoach/gis"
)

// The planner's cuts of a lot: along a drawn line, into parts of equal or
// given areas across a chosen side, and the merge of neighbours. They work
// in the plan's grid (metres); every result is checked by the area identity
// (the parts add up to the lot within AreaTolerance) and is valid.

// AreaTolerance is how far, in m², the parts of a cut may add up from the
// whole: the sum of rounding on a 0.1 mm grid, never a sliver.
const AreaTolerance = 0.01

// ErrNoCut is a line that does not cut the lot in two or more parts.
var ErrNoCut = errors.New("the line does not cross the lot from edge to edge")

// Split cuts polygon p along line (two or more vertices): the parts it
// makes, in the order they lie left of the line, then right. The line is
// extended beyond its ends, so it need only reach the lot's edges.
func Split(p orb.Polygon, line orb.LineString) ([]orb.Polygon, error) {
	if len(line) < 2 {
		return nil, errors.New("a cut needs a line of two points or more")
	}
	o := originOf(p)
	lp := toLocal(p, o)
	ll := make(orb.LineString, len(line))
	for i, q := range line {
		ll[i] = orb.Point{q[0] - o[0], q[1] - o[1]}
	}
	left, err := leftOf(ll, lp.Bound())
	if err != nil {
		return nil, err
	}
	a, err := overlay(geom.Intersection, sfPolygon(lp).AsGeometry(), sfPolygon(left).AsGeometry())
	if err != nil {
		return nil, err
	}
	b, err := overlay(geom.Difference, sfPolygon(lp).AsGeometry(), sfPolygon(left).AsGeometry())
	if err != nil {
		return nil, err
	}
	var parts []orb.Polygon
	for _, g := range []geom.Geometry{a, b} {
		for _, sp := range polygonsSF(g) {
			parts = append(parts, fromLocal(orbPolygon(sp), o))
		}
	}
	if len(parts) < 2 {
		return nil, ErrNoCut
	}
	return parts, checkParts(p, parts)
}

// leftOf is the region left of a line through the box b (grown), the line
// extended at both ends to the grown box's edge.
func leftOf(line orb.LineString, b orb.Bound) (orb.Polygon, error) {
	pad := math.Max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1
	box := b.Pad(pad)
	start, ok1 := exitPoint(line[1], line[0], box)
	end, ok2 := exitPoint(line[len(line)-2], line[len(line)-1], box)
	if !ok1 || !ok2 {
		return nil, errors.New("the cut line has a zero-length end")
	}
	// the line, then back along the box's edge counter-clockwise from end
	// to start: the region on its left
	ring := orb.Ring{start}
	ring = append(ring, line...)
	ring = append(ring, end)
	corners := []orb.Point{{box.Max[0], box.Max[1]}, {box.Min[0], box.Max[1]}, {box.Min[0], box.Min[1]}, {box.Max[0], box.Min[1]}}
	pos := func(q orb.Point) float64 { return boxPos(q, box) }
	t := pos(end)
	for range 4 {
		next, bestD := -1, math.Inf(1)
		for i, c := range corners {
			if d := math.Mod(pos(c)-t+8, 4); d > 1e-12 && d < bestD {
				next, bestD = i, d
			}
		}
		if d := math.Mod(pos(start)-t+8, 4); d <= bestD {
			break
		}
		ring = append(ring, corners[next])
		t = pos(corners[next])
	}
	ring = append(ring, start)
	if ringSign(ring) < 0 {
		ring.Reverse()
	}
	return orb.Polygon{ring}, nil
}

// exitPoint extends the ray from a through b to the edge of box.
func exitPoint(a, b orb.Point, box orb.Bound) (orb.Point, bool) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	if dx == 0 && dy == 0 {
		return orb.Point{}, false
	}
	t := math.Inf(1)
	if dx > 0 {
		t = math.Min(t, (box.Max[0]-b[0])/dx)
	} else if dx < 0 {
		t = math.Min(t, (box.Min[0]-b[0])/dx)
	}
	if dy > 0 {
		t = math.Min(t, (box.Max[1]-b[1])/dy)
	} else if dy < 0 {
		t = math.Min(t, (box.Min[1]-b[1])/dy)
	}
	return orb.Point{b[0] + t*dx, b[1] + t*dy}, true
}

// boxPos is where q lies on the edge of box, counter-clockwise from the
// bottom-right corner: 0–1 the right edge, 1–2 the top, 2–3 the left, 3–4
// the bottom.
func boxPos(q orb.Point, box orb.Bound) float64 {
	w, h := box.Max[0]-box.Min[0], box.Max[1]-box.Min[1]
	const eps = 1e-9
	switch {
	case math.Abs(q[0]-box.Max[0]) < eps*w+eps:
		return (q[1] - box.Min[1]) / h
	case math.Abs(q[1]-box.Max[1]) < eps*h+eps:
		return 1 + (box.Max[0]-q[0])/w
	case math.Abs(q[0]-box.Min[0]) < eps*w+eps:
		return 2 + (box.Max[1]-q[1])/h
	}
	return 3 + (q[0]-box.Min[0])/w
}

// SplitAreas cuts p into parts of the given areas (m², in order; they must
// add up to the lot's area within AreaTolerance, the last may be 0 for
// "the rest") with straight cuts perpendicular to side, the edge of p's
// shell from vertex side to side+1, so that each part keeps frontage on it.
// Parts come in order along the side.
func SplitAreas(p orb.Polygon, side int, areas []float64) ([]orb.Polygon, error) {
	if len(p) == 0 || side < 0 || side+1 >= len(p[0]) {
		return nil, fmt.Errorf("side %d is not an edge of the lot", side)
	}
	if len(areas) < 2 {
		return nil, errors.New("a split needs two parts or more")
	}
	total := gis.Area(p)
	if areas[len(areas)-1] == 0 {
		rest := total
		for _, a := range areas[:len(areas)-1] {
			rest -= a
		}
		areas = append(slices.Clone(areas[:len(areas)-1]), rest)
	}
	sum := 0.0
	for _, a := range areas {
		if !(a > 0) {
			return nil, fmt.Errorf("part areas must be positive, not %g m²", a)
		}
		sum += a
	}
	if math.Abs(sum-total) > AreaTolerance {
		return nil, fmt.Errorf("the parts add up to %s m², the lot is %s m²", gis.FormatVN(sum, 2), gis.FormatVN(total, 2))
	}
	o := originOf(p)
	lp := toLocal(p, o)
	a, b := lp[0][side], lp[0][side+1]
	u := orb.Point{b[0] - a[0], b[1] - a[1]}
	n := math.Hypot(u[0], u[1])
	if n == 0 {
		return nil, fmt.Errorf("side %d has no length", side)
	}
	u = orb.Point{u[0] / n, u[1] / n}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range lp {
		for _, q := range r {
			t := q[0]*u[0] + q[1]*u[1]
			lo, hi = math.Min(lo, t), math.Max(hi, t)
		}
	}
	// cut k lies where the area before it is the sum of the first k parts
	cuts := []float64{lo}
	want := 0.0
	for _, part := range areas[:len(areas)-1] {
		want += part
		t := bisect(lo, hi, func(t float64) float64 { return clippedArea(lp, u, t) - want })
		cuts = append(cuts, t)
	}
	cuts = append(cuts, hi)
	var parts []orb.Polygon
	for k := 0; k+1 < len(cuts); k++ {
		slab := slabPolygon(u, cuts[k], cuts[k+1], lp.Bound())
		g, err := overlay(geom.Intersection, sfPolygon(lp).AsGeometry(), sfPolygon(slab).AsGeometry())
		if err != nil {
			return nil, err
		}
		ps := polygonsSF(g)
		if len(ps) != 1 {
			return nil, fmt.Errorf("part %d would be in %d pieces: the lot folds back across the cuts; split it by a drawn line instead", k+1, len(ps))
		}
		parts = append(parts, fromLocal(orbPolygon(ps[0]), o))
	}
	for i, part := range parts {
		if math.Abs(gis.Area(part)-areas[i]) > AreaTolerance {
			return nil, fmt.Errorf("part %d came out %s m², not %s m²", i+1, gis.FormatVN(gis.Area(part), 2), gis.FormatVN(areas[i], 2))
		}
	}
	return parts, checkParts(p, parts)
}

// SplitEqual cuts p into n parts of equal area across side (see SplitAreas).
func SplitEqual(p orb.Polygon, side, n int) ([]orb.Polygon, error) {
	if n < 2 {
		return nil, errors.New("a split needs two parts or more")
	}
	areas := make([]float64, n)
	for i := range areas {
		areas[i] = gis.Area(p) / float64(n)
	}
	return SplitAreas(p, side, areas)
}

// bisect finds t in [lo, hi] where f, increasing, crosses 0 (to 1e-7 m).
func bisect(lo, hi float64, f func(float64) float64) float64 {
	for range 80 {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-7 {
			break
		}
	}
	return (lo + hi) / 2
}

// clippedArea is the area of p on the side u·x ≤ t (Sutherland–Hodgman on
// each ring: exact for any simple ring against one half-plane).
func clippedArea(p orb.Polygon, u orb.Point, t float64) float64 {
	a := 0.0
	for i, r := range p {
		var out orb.Ring
		for k := 0; k+1 < len(r); k++ {
			c, d := r[k], r[k+1]
			dc, dd := c[0]*u[0]+c[1]*u[1]-t, d[0]*u[0]+d[1]*u[1]-t
			if dc <= 0 {
				out = append(out, c)
			}
			if (dc < 0) != (dd < 0) && dc != dd {
				s := dc / (dc - dd)
				out = append(out, orb.Point{c[0] + s*(d[0]-c[0]), c[1] + s*(d[1]-c[1])})
			}
		}
		if len(out) < 3 {
			continue
		}
		out = append(out, out[0])
		ra := math.Abs(gis.Area(out))
		if i == 0 {
			a += ra
		} else {
			a -= ra
		}
	}
	return a
}

// slabPolygon is the band t0 ≤ u·x ≤ t1 over box b (grown).
func slabPolygon(u orb.Point, t0, t1 float64, b orb.Bound) orb.Polygon {
	pad := math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) + 1
	v := orb.Point{-u[1], u[0]}
	c := b.Center()
	cv := c[0]*v[0] + c[1]*v[1]
	pt := func(t, s float64) orb.Point { return orb.Point{t*u[0] + s*v[0], t*u[1] + s*v[1]} }
	ring := orb.Ring{pt(t0, cv-pad), pt(t1, cv-pad), pt(t1, cv+pad), pt(t0, cv+pad), pt(t0, cv-pad)}
	if ringSign(ring) < 0 {
		ring.Reverse()
	}
	return orb.Polygon{ring}
}

// Merge joins neighbouring lots into one: they must share edges so that
// their union is a single polygon.
func Merge(ps []orb.Polygon) (orb.Polygon, error) {
	if len(ps) < 2 {
		return nil, errors.New("a merge needs two lots or more")
	}
	o := originOf(ps[0])
	gs := make([]geom.Geometry, len(ps))
	total := 0.0
	for i, p := range ps {
		gs[i] = sfPolygon(toLocal(p, o)).AsGeometry()
		total += gis.Area(p)
	}
	u, err := func() (g geom.Geometry, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("overlay failed: %v", r)
			}
		}()
		return geom.UnionMany(gs)
	}()
	if err != nil {
		return nil, err
	}
	parts := polygonsSF(u)
	if len(parts) != 1 {
		return nil, fmt.Errorf("the lots are not neighbours: their union is %d separate areas", len(parts))
	}
	m := fromLocal(orbPolygon(parts[0]), o)
	if math.Abs(gis.Area(m)-total) > AreaTolerance {
		return nil, fmt.Errorf("the lots overlap (%s m² counted twice): fix the overlap before merging", gis.FormatVN(total-gis.Area(m), 2))
	}
	return m, nil
}

// checkParts holds the parts of a cut to the area identity and validity.
func checkParts(p orb.Polygon, parts []orb.Polygon) error {
	sum := 0.0
	for i, part := range parts {
		if inv := Validate(part); inv != nil {
			return fmt.Errorf("part %d is not a valid lot: %s", i+1, inv.Reason)
		}
		sum += gis.Area(part)
	}
	if d := math.Abs(sum - gis.Area(p)); d > AreaTolerance {
		return fmt.Errorf("the parts add up to %s m² less or more than the lot (%s m²)", gis.FormatVN(d, 3), gis.FormatVN(gis.Area(p), 2))
	}
	return nil
}

// originOf is a whole metre below a polygon's first vertex: overlays run in
// coordinates relative to it, where grid values (E ≈ 4e5, N ≈ 2.4e6) lose no
// precision.
func originOf(p orb.Polygon) orb.Point {
	if len(p) == 0 || len(p[0]) == 0 {
		return orb.Point{}
	}
	return orb.Point{math.Floor(p[0][0][0]), math.Floor(p[0][0][1])}
}

func toLocal(p orb.Polygon, o orb.Point) orb.Polygon {
	out := make(orb.Polygon, len(p))
	for i, r := range p {
		out[i] = make(orb.Ring, len(r))
		for k, q := range r {
			out[i][k] = orb.Point{q[0] - o[0], q[1] - o[1]}
		}
	}
	return out
}

func fromLocal(p orb.Polygon, o orb.Point) orb.Polygon {
	for _, r := range p {
		for k := range r {
			r[k] = orb.Point{r[k][0] + o[0], r[k][1] + o[1]}
		}
	}
	return p
}

// orbPolygon converts a simplefeatures polygon, shell counter-clockwise
// and holes clockwise.
func orbPolygon(sp geom.Polygon) orb.Polygon {
	var out orb.Polygon
	for i, seq := range sp.Coordinates() {
		r := make(orb.Ring, seq.Length())
		for k := range r {
			xy := seq.GetXY(k)
			r[k] = orb.Point{xy.X, xy.Y}
		}
		if (ringSign(r) < 0) == (i == 0) {
			r.Reverse()
		}
		out = append(out, r)
	}
	return out
}
