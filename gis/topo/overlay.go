package topo

import (
	"fmt"
	"math"

	"github.com/peterstace/simplefeatures/geom"
)

// overlayOp is one of geom.Intersection, geom.Difference, geom.Union.
type overlayOp func(a, b geom.Geometry) (geom.Geometry, error)

// overlay runs op and keeps only the polygonal part of its result. When
// op fails (simplefeatures' "no rings to extract" where a side passes
// nanometres from a vertex of a thin polygon), it is tried again on both
// operands moved by whole metres: the degeneracy lies in the last bits of
// the coordinates, which a move changes. Callers check results by area.
func overlay(op overlayOp, a, b geom.Geometry) (geom.Geometry, error) {
	g, err := overlayAll(op, a, b)
	for _, d := range retryShifts {
		if err == nil {
			break
		}
		var h geom.Geometry
		if h, err = overlayAll(op, move(a, d), move(b, d)); err == nil {
			g = move(h, geom.XY{X: -d.X, Y: -d.Y})
		}
	}
	if err != nil {
		return geom.Geometry{}, err
	}
	return polygonal(g), nil
}

// retryShifts are the moves overlay tries after a failure.
var retryShifts = []geom.XY{{X: 1000, Y: 1000}, {X: -700, Y: 300}, {X: 250, Y: -1500}}

func move(g geom.Geometry, d geom.XY) geom.Geometry {
	return g.TransformXY(func(p geom.XY) geom.XY { return p.Add(d) })
}

// overlayAll runs op; a panic inside simplefeatures (it has a few for
// numerically degenerate input) becomes an error.
func overlayAll(op overlayOp, a, b geom.Geometry) (g geom.Geometry, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("overlay failed: %v", r)
		}
	}()
	return op(a, b)
}

// polygonal drops points and lines from an overlay result.
func polygonal(g geom.Geometry) geom.Geometry {
	switch g.Type() {
	case geom.TypePolygon, geom.TypeMultiPolygon:
		return g
	}
	ps := polygonsSF(g)
	switch len(ps) {
	case 0:
		return geom.Geometry{}
	case 1:
		return ps[0].AsGeometry()
	}
	return geom.NewMultiPolygon(ps).AsGeometry()
}

// polygonsSF lists the non-empty polygons of g.
func polygonsSF(g geom.Geometry) []geom.Polygon {
	var ps []geom.Polygon
	for _, d := range g.Dump() {
		if p, ok := d.AsPolygon(); ok && !p.IsEmpty() {
			ps = append(ps, p)
		}
	}
	return ps
}

// geomArea is the area of the polygons of g in m², each ring summed relative
// to its first vertex so that no precision is lost.
func geomArea(g geom.Geometry) float64 {
	a := 0.0
	for _, p := range polygonsSF(g) {
		a += polyArea(p)
	}
	return a
}

func polyArea(p geom.Polygon) float64 {
	a := 0.0
	for i, seq := range p.Coordinates() {
		r := math.Abs(seqArea(seq))
		if i == 0 {
			a += r
		} else {
			a -= r
		}
	}
	return a
}

func seqArea(seq geom.Sequence) float64 {
	n := seq.Length()
	if n < 3 {
		return 0
	}
	o := seq.GetXY(0)
	s := 0.0
	prev := geom.XY{}
	for i := 1; i < n; i++ {
		p := seq.GetXY(i).Sub(o)
		s += prev.X*p.Y - p.X*prev.Y
		prev = p
	}
	return s / 2
}

// largest returns the polygon of g with the largest area, and its area.
func largest(g geom.Geometry) (geom.Polygon, float64) {
	var best geom.Polygon
	ba := -1.0
	for _, p := range polygonsSF(g) {
		if a := polyArea(p); a > ba {
			best, ba = p, a
		}
	}
	return best, ba
}

// rectF is a rectangle in local metres.
type rectF struct{ x0, y0, x1, y1 float64 }

func rectOf(b ibox) rectF {
	return rectF{
		float64(b.minX) / unitsPerMetre, float64(b.minY) / unitsPerMetre,
		float64(b.maxX) / unitsPerMetre, float64(b.maxY) / unitsPerMetre,
	}
}

func (r rectF) geometry() geom.Geometry {
	return geom.NewEnvelope(geom.XY{X: r.x0, Y: r.y0}, geom.XY{X: r.x1, Y: r.y1}).AsGeometry()
}

func (r rectF) area() float64 { return (r.x1 - r.x0) * (r.y1 - r.y0) }

// clipper computes areas of polygons clipped to a rectangle with the
// Sutherland-Hodgman algorithm. Its output rings can be degenerate along the
// rectangle, but their signed area is exactly the area inside it, which is
// all the area identities need. It is independent of simplefeatures, so it
// can check simplefeatures' results.
type clipper struct {
	r        rectF
	buf, out [][2]float64
}

// ring returns the signed area of the closed ring pts (no repeated closing
// vertex) inside the rectangle; coordinates are taken relative to the
// rectangle's corner.
func (c *clipper) ring(pts [][2]float64) float64 {
	w, h := c.r.x1-c.r.x0, c.r.y1-c.r.y0
	in, out := c.buf[:0], c.out
	for _, p := range pts {
		in = append(in, [2]float64{p[0] - c.r.x0, p[1] - c.r.y0})
	}
	for _, st := range [4]struct {
		axis int
		v    float64
		keep float64 // +1: keep ≥ v, -1: keep ≤ v
	}{{0, 0, 1}, {0, w, -1}, {1, 0, 1}, {1, h, -1}} {
		out = out[:0]
		if len(in) == 0 {
			break
		}
		prev := in[len(in)-1]
		pin := (prev[st.axis]-st.v)*st.keep >= 0
		for _, cur := range in {
			cin := (cur[st.axis]-st.v)*st.keep >= 0
			if cin != pin {
				t := (st.v - prev[st.axis]) / (cur[st.axis] - prev[st.axis])
				var q [2]float64
				q[st.axis] = st.v
				o := 1 - st.axis
				q[o] = prev[o] + t*(cur[o]-prev[o])
				out = append(out, q)
			}
			if cin {
				out = append(out, cur)
			}
			prev, pin = cur, cin
		}
		in, out = out, in
	}
	c.buf, c.out = in, out
	if len(in) == 0 {
		return 0
	}
	s := 0.0
	prev := in[len(in)-1]
	for _, p := range in {
		s += prev[0]*p[1] - p[0]*prev[1]
		prev = p
	}
	return s / 2
}

// shape returns the area of sh inside the rectangle, in m².
func (c *clipper) shape(sh *shape) float64 {
	b := rectOf(sh.bb)
	if b.x0 >= c.r.x0 && b.x1 <= c.r.x1 && b.y0 >= c.r.y0 && b.y1 <= c.r.y1 {
		return sh.area
	}
	if b.x0 >= c.r.x1 || b.x1 <= c.r.x0 || b.y0 >= c.r.y1 || b.y1 <= c.r.y0 {
		return 0
	}
	a := 0.0
	var pts [][2]float64
	for _, p := range sh.polys {
		for _, r := range p.rings {
			pts = pts[:0]
			for _, q := range r {
				xy := local(q)
				pts = append(pts, [2]float64{xy.X, xy.Y})
			}
			a += c.ring(pts) // rings are oriented: holes subtract
		}
	}
	return a
}

// geometry returns the polygonal area of g inside the rectangle, in m².
func (c *clipper) geometry(g geom.Geometry) float64 {
	a := 0.0
	var pts [][2]float64
	for _, p := range polygonsSF(g) {
		for i, seq := range p.Coordinates() {
			pts = pts[:0]
			for k := 0; k+1 < seq.Length(); k++ {
				xy := seq.GetXY(k)
				pts = append(pts, [2]float64{xy.X, xy.Y})
			}
			r := math.Abs(c.ring(pts))
			if i == 0 {
				a += r
			} else {
				a -= r
			}
		}
	}
	return a
}
