package dxf

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// affine is a 2D affine map: x' = a·x + b·y + e, y' = c·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

func (m affine) apply(p orb.Point) orb.Point {
	return orb.Point{m.a*p[0] + m.b*p[1] + m.e, m.c*p[0] + m.d*p[1] + m.f}
}

// then returns the map that applies m, then n.
func (m affine) then(n affine) affine {
	return affine{
		a: n.a*m.a + n.b*m.c, b: n.a*m.b + n.b*m.d,
		c: n.c*m.a + n.d*m.c, d: n.c*m.b + n.d*m.d,
		e: n.a*m.e + n.b*m.f + n.e, f: n.c*m.e + n.d*m.f + n.f,
	}
}

// stretch bounds how much m lengthens a vector (the Frobenius norm of its
// linear part, never less than the largest stretch).
func (m affine) stretch() float64 {
	return math.Sqrt(m.a*m.a + m.b*m.b + m.c*m.c + m.d*m.d)
}

func translate(x, y float64) affine { return affine{a: 1, d: 1, e: x, f: y} }
func scaling(x, y float64) affine   { return affine{a: x, d: y} }
func rotation(rad float64) affine {
	s, c := math.Sincos(rad)
	return affine{a: c, b: -s, c: s, d: c}
}

// ocs returns the map from an entity's object coordinate system, given by
// its extrusion direction, to world x, y (the arbitrary axis algorithm of
// the DXF reference), with elevation z in the OCS. The usual extrusion
// (0, 0, 1) is the identity; (0, 0, −1), a mirrored entity, negates x.
func ocs(ex [3]float64, z float64) affine {
	l := math.Sqrt(ex[0]*ex[0] + ex[1]*ex[1] + ex[2]*ex[2])
	if !(l > 0) || math.IsInf(l, 0) {
		return identity
	}
	n := [3]float64{ex[0] / l, ex[1] / l, ex[2] / l}
	if n[0] == 0 && n[1] == 0 && n[2] == 1 && z == 0 {
		return identity
	}
	var ax [3]float64
	if math.Abs(n[0]) < 1.0/64 && math.Abs(n[1]) < 1.0/64 {
		ax = cross([3]float64{0, 1, 0}, n)
	} else {
		ax = cross([3]float64{0, 0, 1}, n)
	}
	ax = unit(ax)
	ay := unit(cross(n, ax))
	return affine{a: ax[0], b: ay[0], c: ax[1], d: ay[1], e: z * n[0], f: z * n[1]}
}

func cross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

func unit(v [3]float64) [3]float64 {
	l := math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])
	return [3]float64{v[0] / l, v[1] / l, v[2] / l}
}

// segKind is what a piece of a path is.
type segKind uint8

const (
	segVertices segKind = iota // polyline vertices, each with the bulge of the arc to the next
	segArc                     // a circular arc
	segEllipse                 // an elliptical arc
	segSpline                  // a NURBS curve
)

// vertex is a polyline vertex; bulge is tan(θ/4) of the arc to the next
// vertex (0: straight, positive: counter-clockwise).
type vertex struct {
	x, y, bulge float64
}

// seg is one piece of a path, in the entity's own coordinates.
type seg struct {
	kind  segKind
	verts []vertex
	// arc and ellipse: centre; arc: radius; ellipse: major axis end
	// (relative to the centre) and minor/major ratio; both: start and end
	// angle or parameter in radians, counter-clockwise unless cw.
	cx, cy, r     float64
	mx, my, ratio float64
	t0, t1        float64
	cw            bool
	spline        *spline
}

// spline is a NURBS curve (SPLINE, HATCH spline edge).
type spline struct {
	degree  int
	knots   []float64
	ctrl    []orb.Point
	weights []float64
	fit     []orb.Point // used when there are no control points
	closed  bool
}

// flattener turns segments into points within a tolerance, counting what
// it makes against a budget.
type flattener struct {
	tol    float64 // in the segment's own units
	max    int     // points per path
	points int     // made so far for the current path
	evals  int     // spline evaluations so far
	over   bool    // the path passed max
}

func (fl *flattener) add(dst []orb.Point, p orb.Point) []orb.Point {
	if fl.points >= fl.max {
		fl.over = true
		return dst
	}
	fl.points++
	return append(dst, p)
}

// steps returns how many chords of a circle of radius r over sweep radians
// keep the sagitta within the tolerance.
func (fl *flattener) steps(r, sweep float64) int {
	sweep = math.Abs(sweep)
	if !(r > 0) || !(sweep > 0) {
		return 1
	}
	var step float64
	if fl.tol >= r {
		step = math.Pi / 2
	} else {
		step = 2 * math.Acos(1-fl.tol/r)
	}
	n := math.Ceil(sweep / step)
	if !(n < 1<<16) { // NaN or huge: a degenerate curve
		n = 1 << 16
	}
	return max(int(n), 1)
}

// path flattens segs, appending to dst. Points closer than eps to the
// previous one are dropped, so joined pieces share their ends.
func (fl *flattener) path(dst []orb.Point, segs []seg, closed bool) []orb.Point {
	for i := range segs {
		dst = fl.seg(dst, &segs[i], closed && len(segs) == 1)
	}
	return dst
}

func (fl *flattener) seg(dst []orb.Point, s *seg, closed bool) []orb.Point {
	switch s.kind {
	case segVertices:
		v := s.verts
		for i := range v {
			dst = fl.addNew(dst, orb.Point{v[i].x, v[i].y})
			last := i == len(v)-1
			if last && !closed {
				break
			}
			next := v[0]
			if !last {
				next = v[i+1]
			}
			if v[i].bulge != 0 {
				dst = fl.bulge(dst, v[i], next)
			}
		}
		if closed && len(v) > 0 {
			dst = fl.addNew(dst, orb.Point{v[0].x, v[0].y})
		}
	case segArc:
		dst = fl.arc(dst, s.cx, s.cy, s.r, s.r, 0, s.t0, s.t1-s.t0, true)
	case segEllipse:
		// An ellipse is a circle stretched along the minor axis: flatten the
		// circle of the major radius and map it, which keeps areas.
		rMajor := math.Hypot(s.mx, s.my)
		dst = fl.arc(dst, s.cx, s.cy, rMajor, rMajor*s.ratio, math.Atan2(s.my, s.mx), s.t0, s.t1-s.t0, true)
	case segSpline:
		dst = fl.spline(dst, s.spline)
	}
	return dst
}

// addNew appends p unless it repeats the last point.
func (fl *flattener) addNew(dst []orb.Point, p orb.Point) []orb.Point {
	if n := len(dst); n > 0 && math.Abs(dst[n-1][0]-p[0]) < 1e-9 && math.Abs(dst[n-1][1]-p[1]) < 1e-9 {
		return dst
	}
	return fl.add(dst, p)
}

// bulge appends the inner points of the arc from a to b (a.bulge).
func (fl *flattener) bulge(dst []orb.Point, a, b vertex) []orb.Point {
	dx, dy := b.x-a.x, b.y-a.y
	c := math.Hypot(dx, dy)
	if c == 0 || math.IsInf(a.bulge, 0) || math.IsNaN(a.bulge) {
		return dst
	}
	theta := 4 * math.Atan(a.bulge) // signed sweep
	r := c / (2 * math.Sin(math.Abs(theta)/2))
	// Centre: from the chord's midpoint along its normal, to the left for a
	// counter-clockwise arc of less than half a turn.
	mx, my := (a.x+b.x)/2, (a.y+b.y)/2
	h := r * math.Cos(theta/2) * sign(theta) // along the chord's left normal
	nx, ny := -dy/c, dx/c
	cx, cy := mx+nx*h, my+ny*h
	a0 := math.Atan2(a.y-cy, a.x-cx)
	return fl.arc(dst, cx, cy, r, r, 0, a0, theta, false)
}

// arc appends the flattened arc of the ellipse with semi-axes rx, ry (a
// circle when equal), the rx axis at angle rot, from parameter t0 over
// sweep; with ends, its first and last points too (else only those
// between). The chords are as many as keep the sagitta within the
// tolerance, and the points between the ends sit slightly outside the
// curve so that the polygon keeps the curve's area exactly (an inscribed
// polygon loses area: 0.03 % of a 35 m circle at 1 cm, more than an
// official area may), the distance to the curve staying within the
// tolerance.
func (fl *flattener) arc(dst []orb.Point, cx, cy, rx, ry, rot, t0, sweep float64, ends bool) []orb.Point {
	n := fl.steps(max(math.Abs(rx), math.Abs(ry)), sweep)
	if fl.points+n > fl.max { // past the budget: stop here rather than compute what cannot be kept
		fl.over = true
		return dst
	}
	phi := sweep / float64(n)
	// The radius factor k of the inner points that gives the sector's area
	// sweep/2 (unit circle): the two end triangles ½·k·sin φ and the n−2
	// inner ones ½·k²·sin φ.
	k := 1.0
	if sp := math.Sin(math.Abs(phi)); n == 2 && sp > 0 {
		k = math.Abs(sweep) / (2 * sp)
	} else if n > 2 && sp > 0 {
		a, b := float64(n-2)*sp, 2*sp
		k = (-b + math.Sqrt(b*b+4*a*math.Abs(sweep))) / (2 * a)
	}
	sr, cr := math.Sincos(rot)
	at := func(t, f float64) orb.Point {
		sn, cs := math.Sincos(t)
		x, y := f*rx*cs, f*ry*sn
		return orb.Point{cx + x*cr - y*sr, cy + x*sr + y*cr}
	}
	if ends {
		dst = fl.addNew(dst, at(t0, 1))
	}
	for i := 1; i < n; i++ {
		dst = fl.add(dst, at(t0+phi*float64(i), k))
	}
	if ends {
		dst = fl.addNew(dst, at(t0+sweep, 1))
	}
	return dst
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// spline appends the curve, subdividing each knot span until the curve is
// within a quarter of the tolerance of its chords: the chords of a spline
// are inscribed, and the finer tolerance keeps the area lost below
// 0.01 % for the curved lots of a plan.
func (fl *flattener) spline(dst []orb.Point, sp *spline) []orb.Point {
	p := sp.degree
	n := len(sp.ctrl)
	if n == 0 {
		for _, q := range sp.fit {
			dst = fl.addNew(dst, q)
		}
		return dst
	}
	if p < 1 || n < p+1 || len(sp.knots) != n+p+1 {
		// Not a valid NURBS: its control polygon is the best there is.
		for _, q := range sp.ctrl {
			dst = fl.addNew(dst, q)
		}
		return dst
	}
	lo, hi := sp.knots[p], sp.knots[n]
	if !(hi > lo) {
		return dst
	}
	dst = fl.addNew(dst, sp.at(lo))
	for i := p; i < n; i++ {
		a, b := sp.knots[i], sp.knots[i+1]
		if !(b > a) {
			continue
		}
		dst = fl.splineSpan(dst, sp, a, b, sp.at(a), sp.at(b), 0)
		dst = fl.addNew(dst, sp.at(b))
	}
	return dst
}

func (fl *flattener) splineSpan(dst []orb.Point, sp *spline, a, b float64, pa, pb orb.Point, depth int) []orb.Point {
	// Evaluations are budgeted too: a curve of NaNs or a knot vector of
	// thousands of spans must not cost more than the points it may make.
	if fl.over || fl.evals > 8*fl.max {
		fl.over = true
		return dst
	}
	fl.evals += 3
	m := (a + b) / 2
	pm := sp.at(m)
	// Also test the quarter points: a span can be S-shaped.
	q1, q3 := sp.at((a+m)/2), sp.at((m+b)/2)
	tol := fl.tol / 4
	d1, d2, d3 := planar.DistanceFromSegment(pa, pb, pm), planar.DistanceFromSegment(pa, pb, q1), planar.DistanceFromSegment(pa, pb, q3)
	if depth >= 12 || d1 <= tol && d2 <= tol && d3 <= tol || math.IsNaN(d1+d2+d3) {
		return dst
	}
	dst = fl.splineSpan(dst, sp, a, m, pa, pm, depth+1)
	dst = fl.addNew(dst, pm)
	return fl.splineSpan(dst, sp, m, b, pm, pb, depth+1)
}

// at evaluates the curve at parameter u by de Boor's algorithm on
// homogeneous coordinates.
func (sp *spline) at(u float64) orb.Point {
	p, n, k := sp.degree, len(sp.ctrl), sp.knots
	// The span: k[s] ≤ u < k[s+1], p ≤ s < n.
	s := p
	for s < n-1 && u >= k[s+1] {
		s++
	}
	var d [16][3]float64
	if p >= len(d) {
		p = len(d) - 1
	}
	for j := 0; j <= p; j++ {
		i := s - p + j
		w := 1.0
		if len(sp.weights) == n && sp.weights[i] > 0 {
			w = sp.weights[i]
		}
		d[j] = [3]float64{sp.ctrl[i][0] * w, sp.ctrl[i][1] * w, w}
	}
	for r := 1; r <= p; r++ {
		for j := p; j >= r; j-- {
			i := s - p + j
			den := k[i+p-r+1] - k[i]
			alpha := 0.0
			if den != 0 {
				alpha = (u - k[i]) / den
			}
			for c := range 3 {
				d[j][c] = (1-alpha)*d[j-1][c] + alpha*d[j][c]
			}
		}
	}
	if d[p][2] == 0 {
		return orb.Point{d[p][0], d[p][1]}
	}
	return orb.Point{d[p][0] / d[p][2], d[p][1] / d[p][2]}
}
