package sample

import (
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// The layouts are drawn in a local frame: u runs along the plan's axis road,
// v across it (positive on the left). A frame maps (u, v) to EPSG:9215 metres
// through "ribs": at each vertex of the axis polyline a line along the
// bisector, scaled so that v stays the distance from the axis. Between two
// ribs the map is bilinear, so an edge of constant u or constant v is straight
// in metres as long as it does not cross a rib; edges that do get a vertex on
// the rib (see finish).
type frame struct {
	us []float64   // arc length of each axis vertex
	cs []orb.Point // axis vertices, metres
	bs []orb.Point // rib direction per vertex: a step of v = 1
}

// newFrame builds the frame of an axis polyline given in EPSG:9215 metres.
func newFrame(axis ...orb.Point) *frame {
	f := &frame{cs: axis}
	n := len(axis)
	normals := make([]orb.Point, n-1)
	u := 0.0
	for i := range n {
		if i > 0 {
			d := sub(axis[i], axis[i-1])
			l := math.Hypot(d[0], d[1])
			u += l
			normals[i-1] = orb.Point{-d[1] / l, d[0] / l}
		}
		f.us = append(f.us, u)
	}
	for i := range n {
		switch i {
		case 0:
			f.bs = append(f.bs, normals[0])
		case n - 1:
			f.bs = append(f.bs, normals[n-2])
		default:
			a, b := normals[i-1], normals[i]
			m := orb.Point{a[0] + b[0], a[1] + b[1]}
			l := math.Hypot(m[0], m[1])
			m = orb.Point{m[0] / l, m[1] / l}
			k := 1 / (m[0]*a[0] + m[1]*a[1]) // 1/cos of half the bend
			f.bs = append(f.bs, orb.Point{m[0] * k, m[1] * k})
		}
	}
	return f
}

// length is the arc length of the axis.
func (f *frame) length() float64 { return f.us[len(f.us)-1] }

// at maps a local point to metres.
func (f *frame) at(p orb.Point) orb.Point {
	u, v := p[0], p[1]
	k := sort.SearchFloat64s(f.us, u) // first rib with us[k] >= u
	if k < len(f.us) && f.us[k] == u {
		c, b := f.cs[k], f.bs[k]
		return orb.Point{c[0] + v*b[0], c[1] + v*b[1]}
	}
	switch {
	case k == 0:
		k = 1
	case k == len(f.us):
		k = len(f.us) - 1
	}
	i := k - 1
	t := (u - f.us[i]) / (f.us[k] - f.us[i])
	a := orb.Point{f.cs[i][0] + v*f.bs[i][0], f.cs[i][1] + v*f.bs[i][1]}
	b := orb.Point{f.cs[k][0] + v*f.bs[k][0], f.cs[k][1] + v*f.bs[k][1]}
	return orb.Point{(1-t)*a[0] + t*b[0], (1-t)*a[1] + t*b[1]}
}

// ribs returns the interior rib positions.
func (f *frame) ribs() []float64 { return f.us[1 : len(f.us)-1] }

// densify returns the ring with a vertex wherever an edge crosses a rib.
func (f *frame) densify(r []orb.Point) []orb.Point {
	var out []orb.Point
	for i, a := range r {
		b := r[(i+1)%len(r)]
		out = append(out, a)
		out = append(out, f.crossings(a, b)...)
	}
	return out
}

// crossings returns the points where segment ab crosses interior ribs, in
// order from a to b, computed from the endpoints in a canonical order so that
// both lots sharing the edge get the same points.
func (f *frame) crossings(a, b orb.Point) []orb.Point {
	lo, hi := a, b
	if less(hi, lo) {
		lo, hi = hi, lo
	}
	var out []orb.Point
	for _, r := range f.ribs() {
		if (lo[0] < r && r < hi[0]) || (hi[0] < r && r < lo[0]) {
			t := (r - lo[0]) / (hi[0] - lo[0])
			out = append(out, orb.Point{r, lo[1] + t*(hi[1]-lo[1])})
		}
	}
	if a[0] > b[0] {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// area is the area in m² of a local ring once mapped.
func (f *frame) area(r []orb.Point) float64 {
	d := f.densify(r)
	m := make([]orb.Point, len(d))
	for i, p := range d {
		m[i] = f.at(p)
	}
	return math.Abs(signedArea(m))
}

func sub(a, b orb.Point) orb.Point { return orb.Point{a[0] - b[0], a[1] - b[1]} }

func less(a, b orb.Point) bool { return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) }

// signedArea is the shoelace area, positive counter-clockwise, taken relative
// to the first vertex so that large coordinates lose no precision.
func signedArea(r []orb.Point) float64 {
	if len(r) < 3 {
		return 0
	}
	x0, y0 := r[0][0], r[0][1]
	s := 0.0
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		s += (a[0]-x0)*(b[1]-y0) - (b[0]-x0)*(a[1]-y0)
	}
	return s / 2
}

// line is a piecewise-linear function v(u) given by vertices in increasing u,
// constant beyond its ends.
type line []orb.Point

// flat is the line v = c.
func flat(c float64) line { return line{{-1e7, c}, {1e7, c}} }

func (l line) at(u float64) float64 {
	if u <= l[0][0] {
		return l[0][1]
	}
	for i := 1; i < len(l); i++ {
		if u == l[i][0] {
			return l[i][1]
		}
		if u < l[i][0] {
			a, b := l[i-1], l[i]
			return a[1] + (b[1]-a[1])*(u-a[0])/(b[0]-a[0])
		}
	}
	return l[len(l)-1][1]
}

// between returns the vertices with a < u < b, in increasing u.
func (l line) between(a, b float64) []orb.Point {
	var out []orb.Point
	for _, p := range l {
		if a < p[0] && p[0] < b {
			out = append(out, p)
		}
	}
	return out
}

// shift returns the line moved by d across.
func (l line) shift(d float64) line {
	out := make(line, len(l))
	for i, p := range l {
		out[i] = orb.Point{p[0], p[1] + d}
	}
	return out
}

// cut is a dividing line of a block from its bottom edge to its top edge.
type cut struct {
	b, t float64     // u at the bottom and at the top
	mid  []orb.Point // interior points, bottom to top
}

// block is the region u0 ≤ u ≤ u1 between two lines, bot below top.
type block struct {
	u0, u1   float64
	bot, top line
}

func (bl *block) left() cut  { return cut{b: bl.u0, t: bl.u0} }
func (bl *block) right() cut { return cut{b: bl.u1, t: bl.u1} }

// ring is the counter-clockwise outline of the part of the block between cuts.
func (bl *block) ring(c0, c1 cut) []orb.Point {
	r := []orb.Point{{c0.b, bl.bot.at(c0.b)}}
	r = append(r, bl.bot.between(c0.b, c1.b)...)
	r = append(r, orb.Point{c1.b, bl.bot.at(c1.b)})
	r = append(r, c1.mid...)
	r = append(r, orb.Point{c1.t, bl.top.at(c1.t)})
	top := bl.top.between(c0.t, c1.t)
	for i := len(top) - 1; i >= 0; i-- {
		r = append(r, top[i])
	}
	r = append(r, orb.Point{c0.t, bl.top.at(c0.t)})
	for i := len(c0.mid) - 1; i >= 0; i-- {
		r = append(r, c0.mid[i])
	}
	return r
}

// mirror returns the ring reflected across the axis (v → −v), reversed so it
// stays counter-clockwise.
func mirror(r []orb.Point) []orb.Point {
	out := make([]orb.Point, len(r))
	for i, p := range r {
		out[len(r)-1-i] = orb.Point{p[0], -p[1]}
	}
	return out
}

// ccw returns r counter-clockwise.
func ccw(r []orb.Point) []orb.Point {
	if signedArea(r) >= 0 {
		return r
	}
	out := make([]orb.Point, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}

// Tolerances of the vertex pool, in local metres.
const (
	mergeTol = 1e-4 // points closer than this are one vertex
	onTol    = 1e-3 // a vertex this close to an edge is put on it
)

// pool is the set of vertices shared by every lot of every version of a plan.
type pool struct {
	cell  float64
	grid  map[[2]int64][]orb.Point
	index map[orb.Point]orb.Point // any added point → its canonical vertex
}

func newPool() *pool {
	return &pool{cell: 50, grid: map[[2]int64][]orb.Point{}, index: map[orb.Point]orb.Point{}}
}

func (p *pool) key(q orb.Point) [2]int64 {
	return [2]int64{int64(math.Floor(q[0] / p.cell)), int64(math.Floor(q[1] / p.cell))}
}

// add puts q in the pool, merged with a vertex within mergeTol.
func (p *pool) add(q orb.Point) {
	if _, ok := p.index[q]; ok {
		return
	}
	k := p.key(q)
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			for _, c := range p.grid[[2]int64{k[0] + dx, k[1] + dy}] {
				if math.Hypot(c[0]-q[0], c[1]-q[1]) < mergeTol {
					p.index[q] = c
					return
				}
			}
		}
	}
	p.grid[k] = append(p.grid[k], q)
	p.index[q] = q
}

// on returns the pool vertices strictly inside segment ab (within onTol of
// it), ordered from a to b.
func (p *pool) on(a, b orb.Point) []orb.Point {
	d := sub(b, a)
	l2 := d[0]*d[0] + d[1]*d[1]
	if l2 == 0 {
		return nil
	}
	l := math.Sqrt(l2)
	lo := p.key(orb.Point{math.Min(a[0], b[0]) - onTol, math.Min(a[1], b[1]) - onTol})
	hi := p.key(orb.Point{math.Max(a[0], b[0]) + onTol, math.Max(a[1], b[1]) + onTol})
	type hit struct {
		t float64
		q orb.Point
	}
	var hits []hit
	for x := lo[0]; x <= hi[0]; x++ {
		for y := lo[1]; y <= hi[1]; y++ {
			for _, q := range p.grid[[2]int64{x, y}] {
				w := sub(q, a)
				t := (w[0]*d[0] + w[1]*d[1]) / l2
				if t*l <= mergeTol || (1-t)*l <= mergeTol {
					continue
				}
				if math.Abs(w[0]*d[1]-w[1]*d[0])/l > onTol {
					continue
				}
				hits = append(hits, hit{t, q})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].t < hits[j].t })
	out := make([]orb.Point, len(hits))
	for i, h := range hits {
		out[i] = h.q
	}
	return out
}

// round rounds to the millimetre.
func round(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1000) / 1000, math.Round(p[1]*1000) / 1000}
}

// finish turns the local rings of all versions of a plan into EPSG:9215 rings
// in which neighbours share identical vertices: every vertex of any ring (and
// every rib crossing) that lies on another ring's edge is inserted there, then
// everything is mapped and rounded to 1 mm. rings[v][i] is lot i of version v;
// the result has the same shape.
func finish(f *frame, rings [][][]orb.Point) ([][]orb.Ring, error) {
	p := newPool()
	for _, vs := range rings {
		for _, r := range vs {
			for i, a := range r {
				p.add(a)
				for _, c := range f.crossings(a, r[(i+1)%len(r)]) {
					p.add(c)
				}
			}
		}
	}
	out := make([][]orb.Ring, len(rings))
	for v, vs := range rings {
		out[v] = make([]orb.Ring, len(vs))
		for i, r := range vs {
			var local []orb.Point
			for j := range r {
				a, b := p.index[r[j]], p.index[r[(j+1)%len(r)]]
				local = append(local, a)
				local = append(local, p.on(a, b)...)
			}
			var m orb.Ring
			for _, q := range local {
				q = round(f.at(q))
				if len(m) == 0 || m[len(m)-1] != q {
					m = append(m, q)
				}
			}
			for len(m) > 1 && m[len(m)-1] == m[0] {
				m = m[:len(m)-1]
			}
			if len(m) < 3 {
				return nil, fmt.Errorf("sample: lot %d of version %d collapses", i, v+1)
			}
			if signedArea(m) < 0 {
				return nil, fmt.Errorf("sample: lot %d of version %d is clockwise", i, v+1)
			}
			m = append(m, m[0])
			out[v][i] = m
		}
	}
	return out, nil
}

// outline returns the outer ring of a set of closed counter-clockwise rings
// that share vertices: the edges with no reverse twin, chained from the
// lowest vertex. The set must form one region without holes.
func outline(rings []orb.Ring) (orb.Ring, error) {
	type edge struct{ a, b orb.Point }
	count := map[edge]int{}
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			count[edge{r[i], r[i+1]}]++
		}
	}
	next := map[orb.Point]orb.Point{}
	var start orb.Point
	first := true
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			e := edge{r[i], r[i+1]}
			if count[e] > 1 {
				return nil, fmt.Errorf("sample: edge %v–%v used twice in one direction", e.a, e.b)
			}
			if count[edge{e.b, e.a}] > 0 {
				continue
			}
			if _, dup := next[e.a]; dup {
				return nil, fmt.Errorf("sample: outline touches itself at %v", e.a)
			}
			next[e.a] = e.b
			if first || less(e.a, start) {
				start, first = e.a, false
			}
		}
	}
	if first {
		return nil, errors.New("sample: no outline")
	}
	ring := orb.Ring{start}
	for q := next[start]; q != start; q = next[q] {
		ring = append(ring, q)
		if len(ring) > len(next) {
			return nil, errors.New("sample: outline does not close")
		}
	}
	if len(ring) != len(next) {
		return nil, fmt.Errorf("sample: outline has %d edges in more than one ring", len(next))
	}
	return append(ring, start), nil
}
