package topo

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Invalid is why a lot's geometry cannot be stored, and where.
type Invalid struct {
	Reason string
	At     orb.Point // a vertex at or near the fault
}

func (e *Invalid) Error() string { return e.Reason }

// maxQuickSegments is the size of polygon checked by the sweep of segments
// here; larger ones go to simplefeatures' validation.
const maxQuickSegments = 2048

// Validate checks that g is an area a lot can be: a polygon or multipolygon
// whose rings have at least 3 distinct positions and are closed, and which
// crosses or touches itself nowhere (a bow-tie, a hole crossing its shell).
// It works in any coordinates (validity does not change under the plan's
// projection) and is cheap for lot-sized polygons, as imports need.
func Validate(g orb.Geometry) *Invalid {
	ps, why := polygonsOf(g)
	if why != "" {
		return &Invalid{Reason: why}
	}
	segs := 0
	for pi, p := range ps {
		for ri, r := range p {
			name := ringName(len(ps) > 1, pi, ri)
			if len(r) == 0 {
				return &Invalid{Reason: name + " is empty"}
			}
			for _, q := range r {
				if !finite(q[0]) || !finite(q[1]) {
					return &Invalid{name + " has a coordinate that is not a finite number", q}
				}
			}
			if r[0] != r[len(r)-1] {
				return &Invalid{name + " is not closed", r[len(r)-1]}
			}
			if n := distinct(r); n < 3 {
				return &Invalid{fmt.Sprintf("%s has %d distinct positions; a ring needs at least 3", name, n), r[0]}
			}
			segs += len(r) - 1
		}
	}
	if segs > maxQuickSegments {
		return validateLarge(ps)
	}
	if len(ps) == 1 && len(ps[0]) == 1 && convex(ps[0][0]) {
		return nil // most lots: no pair of sides to compare
	}
	if at, ok := crossing(ps); ok {
		return &Invalid{"it crosses or touches itself (a bow-tie, or rings crossing)", at}
	}
	return nil
}

// convex reports whether the closed ring r is a convex polygon
// (turnsOnce), a sufficient test, in a pass over the sides, that crossing's
// comparison of sides needs not follow. In floating point it answers only
// where rounding cannot decide: every side longer than a billionth of the
// ring's coordinates (a step computed from two positions a few ulps apart has no
// direction worth the name) and every turn either none at all or larger
// than a millionth of a radian, far above what rounding the steps can
// move it by. Anything else — a concave lot, a side or a turn too small to
// tell, a sliver traced there and back — goes to crossing.
func convex(r orb.Ring) bool {
	size := 0.0 // the ring's largest coordinates
	for _, q := range r {
		size = max(size, math.Abs(q[0])+math.Abs(q[1]))
	}
	var buf [64][2]float64
	steps := buf[:0]
	for i := 0; i+1 < len(r); i++ {
		d := [2]float64{r[i+1][0] - r[i][0], r[i+1][1] - r[i][1]}
		if d == [2]float64{} {
			continue
		}
		if len(steps) == len(buf) || math.Abs(d[0])+math.Abs(d[1]) < minSide*size {
			return false // not a lot's size, or a side too short to tell
		}
		steps = append(steps, d)
	}
	for i, d := range steps {
		next := steps[(i+1)%len(steps)]
		if c := d[0]*next[1] - d[1]*next[0]; c != 0 && c*c < minTurn*minTurn*(d[0]*d[0]+d[1]*d[1])*(next[0]*next[0]+next[1]*next[1]) {
			return false // a turn too small to tell from straight on
		}
	}
	return turnsOnce(steps)
}

// minSide and minTurn are where convex leaves a ring to crossing: a side
// shorter than minSide times the ring's coordinates, a turn other than none
// smaller than minTurn radians.
const (
	minSide = 1e-9
	minTurn = 1e-6
)

// turnsOnce reports whether the closed path of steps (none zero) turns
// the same way at every vertex, or goes straight on (never back), and goes
// round once: such a path bounds a convex polygon, which touches itself
// nowhere. Once round is told by the sign of the x-steps, which changes
// exactly twice on the way round a convex ring (each turn is less than a
// half turn), four times or more on a star's. Exact on the grid's
// integers; in floating point, see convex.
func turnsOnce[T int64 | float64](steps [][2]T) bool {
	if len(steps) < 3 {
		return false
	}
	var turn, prevX T // prevX: the x-step of the last side with one
	changes := 0
	for _, d := range steps {
		if d[0] != 0 {
			prevX = d[0]
		}
	}
	for i, d := range steps {
		next := steps[(i+1)%len(steps)]
		switch c := d[0]*next[1] - d[1]*next[0]; {
		case c == 0:
			if d[0]*next[0]+d[1]*next[1] <= 0 {
				return false // folds back
			}
		case turn == 0:
			turn = c
		case (c > 0) != (turn > 0):
			return false
		}
		if d[0] != 0 {
			if (d[0] > 0) != (prevX > 0) {
				changes++
			}
			prevX = d[0]
		}
	}
	return turn != 0 && changes == 2
}

// distinct counts the distinct positions of a ring, up to 3 (the closing
// position excluded).
func distinct(r orb.Ring) int {
	var seen [3]orb.Point
	n := 0
next:
	for _, q := range r[:len(r)-1] {
		for _, p := range seen[:n] {
			if p == q {
				continue next
			}
		}
		seen[n] = q
		if n++; n == 3 {
			break
		}
	}
	return n
}

// crossing looks for two segments of the polygons' rings that meet other
// than at the vertex joining consecutive segments of one ring, or at a
// vertex two rings share, and returns where. Segments are swept by x, so only those whose x ranges overlap are
// compared.
func crossing(ps []orb.Polygon) (orb.Point, bool) {
	type segment struct {
		a, b         orb.Point
		x0, x1       float64
		ring, i, len int
	}
	n := 0
	for _, p := range ps {
		for _, r := range p {
			n += len(r)
		}
	}
	// a lot's sides fit on the stack: an import validates every lot
	var segBuf [64]segment
	var orderBuf [64]int32
	segs := segBuf[:0]
	if n > len(segBuf) {
		segs = make([]segment, 0, n)
	}
	ring := 0
	for _, p := range ps {
		for _, r := range p {
			first := len(segs)
			for i := 0; i+1 < len(r); i++ {
				if r[i] != r[i+1] { // a repeated position makes no segment
					x0, x1 := r[i][0], r[i+1][0]
					if x1 < x0 {
						x0, x1 = x1, x0
					}
					segs = append(segs, segment{a: r[i], b: r[i+1], x0: x0, x1: x1, ring: ring, i: len(segs) - first})
				}
			}
			for k := first; k < len(segs); k++ {
				segs[k].len = len(segs) - first
			}
			ring++
		}
	}
	order := orderBuf[:0]
	if len(segs) > len(orderBuf) {
		order = make([]int32, 0, len(segs))
	}
	for i := range segs {
		order = append(order, int32(i))
	}
	if len(order) <= len(orderBuf) {
		for i := 1; i < len(order); i++ { // insertion sort: no call per comparison
			o := order[i]
			j := i
			for ; j > 0 && segs[order[j-1]].x0 > segs[o].x0; j-- {
				order[j] = order[j-1]
			}
			order[j] = o
		}
	} else {
		slices.SortFunc(order, func(i, j int32) int { return cmp.Compare(segs[i].x0, segs[j].x0) })
	}
	for oi, i := range order {
		s := &segs[i]
		for _, j := range order[oi+1:] {
			t := &segs[j]
			if t.x0 > s.x1 {
				break
			}
			lo, hi := s, t
			if lo.ring == hi.ring && lo.i > hi.i {
				lo, hi = hi, lo
			}
			adjacent := lo.ring == hi.ring && (hi.i == lo.i+1 || lo.i == 0 && hi.i == lo.len-1)
			at, ok := segmentsMeet(lo.a, lo.b, hi.a, hi.b, adjacent)
			if ok && lo.ring != hi.ring && (at == lo.a || at == lo.b) && (at == hi.a || at == hi.b) {
				ok = false // two rings may touch at a vertex they share
			}
			if ok {
				return at, true
			}
		}
	}
	return orb.Point{}, false
}

// dedupe drops repeated consecutive positions (a closed ring stays closed).
func dedupe(r orb.Ring) []orb.Point {
	out := make([]orb.Point, 0, len(r))
	for _, q := range r {
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	return out
}

// segmentsMeet reports where segments ab and cd meet. Adjacent segments
// (cd follows ab in its ring) may share their joint: they meet wrongly only
// when one folds back over the other.
func segmentsMeet(a, b, c, d orb.Point, adjacent bool) (orb.Point, bool) {
	if max(a[0], b[0]) < min(c[0], d[0]) || max(c[0], d[0]) < min(a[0], b[0]) ||
		max(a[1], b[1]) < min(c[1], d[1]) || max(c[1], d[1]) < min(a[1], b[1]) {
		return orb.Point{}, false
	}
	o1, o2 := orient2(a, b, c), orient2(a, b, d)
	o3, o4 := orient2(c, d, a), orient2(c, d, b)
	if adjacent {
		// the joint: b == c (ab then cd) or a == d (the ring's last and first)
		j, p, q := b, a, d
		if a == d {
			j, p, q = a, b, c
		}
		if orient2(p, j, q) == 0 && (j[0]-p[0])*(q[0]-j[0])+(j[1]-p[1])*(q[1]-j[1]) < 0 {
			return j, true // folds back over itself
		}
		return orb.Point{}, false
	}
	switch {
	case o1*o2 < 0 && o3*o4 < 0:
		t := o3 / (o3 - o4) // where cd cuts ab: a + t·(b−a) solves orient(c, d, ·) = 0
		return orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}, true
	case o1 == 0 && onSegment(a, b, c):
		return c, true
	case o2 == 0 && onSegment(a, b, d):
		return d, true
	case o3 == 0 && onSegment(c, d, a):
		return a, true
	case o4 == 0 && onSegment(c, d, b):
		return b, true
	}
	return orb.Point{}, false
}

// orient2 is twice the signed area of triangle abc, with coordinates taken
// relative to a so large grid values lose no precision.
func orient2(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func onSegment(a, b, p orb.Point) bool {
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) && min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}

// validateLarge validates a large polygon with simplefeatures.
func validateLarge(ps []orb.Polygon) *Invalid {
	mp := make([]geom.Polygon, 0, len(ps))
	for _, p := range ps {
		rings := make([]geom.LineString, 0, len(p))
		for _, r := range p {
			coords := make([]float64, 0, 2*len(r))
			for _, q := range dedupe(r) {
				coords = append(coords, q[0], q[1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(coords, geom.DimXY)))
		}
		mp = append(mp, geom.NewPolygon(rings))
	}
	var err error
	if len(mp) == 1 {
		err = mp[0].Validate()
	} else {
		err = geom.NewMultiPolygon(mp).Validate()
	}
	if err == nil {
		return nil
	}
	inv := &Invalid{Reason: invalidReason(err), At: ps[0][0][0]}
	if xy, ok := errorLocation(err); ok {
		inv.At = orb.Point{xy.X, xy.Y}
	}
	return inv
}

// Repair makes an invalid lot valid where it can be done without guessing:
// repeated positions dropped, holes of fewer than 3 distinct positions
// dropped, and a polygon that crosses itself re-noded into the areas it
// encloses (a bow-tie becomes its two triangles). It says what it did, so
// the import can report it for its author to check.
func Repair(g orb.Geometry) (orb.Geometry, string, error) {
	ps, why := polygonsOf(g)
	if why != "" {
		return nil, "", fmt.Errorf("%s", why)
	}
	var out orb.MultiPolygon
	var did []string
	for _, p := range ps {
		var q orb.Polygon
		for ri, r := range p {
			d := orb.Ring(dedupe(r))
			if len(d) > 0 && d[0] != d[len(d)-1] {
				d = append(d, d[0])
			}
			if len(d) < len(r) {
				did = append(did, "repeated positions dropped")
			}
			if len(d) < 4 || distinct(d) < 3 {
				if ri == 0 {
					return nil, "", fmt.Errorf("its shell has fewer than 3 distinct positions: nothing to repair")
				}
				did = append(did, "a degenerate hole dropped")
				continue
			}
			q = append(q, d)
		}
		out = append(out, q)
	}
	var fixed orb.Geometry = out
	if len(out) == 1 {
		fixed = out[0]
	}
	if Validate(fixed) == nil {
		return fixed, join(did), nil
	}
	return renode(out, did)
}

// renode resolves self-intersections: each shell is cut at the points where
// it crosses itself into the simple loops it is made of (a bow-tie into its
// two triangles), each hole goes to the loop that holds it, and loops that
// overlap are unioned.
func renode(mp orb.MultiPolygon, did []string) (orb.Geometry, string, error) {
	var polys []geom.Polygon
	for _, p := range mp {
		loops := splitLoops(p[0])
		for _, loop := range loops {
			rings := []orb.Ring{loop}
			for _, h := range p[1:] {
				if len(h) > 0 && pointInRing(h[0], loop) {
					rings = append(rings, h)
				}
			}
			polys = append(polys, sfPolygon(rings))
		}
	}
	u, err := geom.UnionMany(asGeometries(polys))
	if err != nil {
		return nil, "", fmt.Errorf("it crosses itself and could not be re-noded: %v", err)
	}
	fixed, err := fromSF(u)
	if err != nil {
		return nil, "", err
	}
	if inv := Validate(fixed); inv != nil {
		return nil, "", fmt.Errorf("it crosses itself and re-noding left it invalid: %s", inv.Reason)
	}
	n := 1
	if m, ok := fixed.(orb.MultiPolygon); ok {
		n = len(m)
	}
	return fixed, join(append(did, fmt.Sprintf("self-intersection re-noded into %d polygon(s)", n))), nil
}

// splitLoops cuts a ring at the points where its segments cross into the
// simple loops it traces, each of at least 3 distinct positions.
func splitLoops(r orb.Ring) []orb.Ring {
	pts := dedupe(r)
	n := len(pts) - 1 // segments
	cuts := make([][]struct {
		t float64
		p orb.Point
	}, n)
	for i := 0; i < n; i++ {
		for j := i + 2; j < n; j++ {
			if i == 0 && j == n-1 {
				continue
			}
			a, b, c, d := pts[i], pts[i+1], pts[j], pts[j+1]
			if p, ok := segmentsMeet(a, b, c, d, false); ok {
				cuts[i] = append(cuts[i], struct {
					t float64
					p orb.Point
				}{param(a, b, p), p})
				cuts[j] = append(cuts[j], struct {
					t float64
					p orb.Point
				}{param(c, d, p), p})
			}
		}
	}
	var walk []orb.Point
	for i := 0; i < n; i++ {
		walk = append(walk, pts[i])
		slices.SortFunc(cuts[i], func(x, y struct {
			t float64
			p orb.Point
		}) int {
			return cmp.Compare(x.t, y.t)
		})
		for _, c := range cuts[i] {
			if c.p != walk[len(walk)-1] {
				walk = append(walk, c.p)
			}
		}
	}
	var loops []orb.Ring
	emit := func(loop []orb.Point) {
		ring := append(append(orb.Ring(nil), loop...), loop[0])
		if len(ring) >= 4 && distinct(ring) >= 3 {
			if ringSign(ring) < 0 {
				ring.Reverse()
			}
			loops = append(loops, ring)
		}
	}
	var stack []orb.Point
	at := map[orb.Point]int{}
	for _, v := range walk {
		if k, ok := at[v]; ok {
			emit(stack[k:])
			for _, q := range stack[k+1:] {
				delete(at, q)
			}
			stack = stack[:k+1]
			continue
		}
		at[v] = len(stack)
		stack = append(stack, v)
	}
	if len(stack) >= 3 {
		emit(stack)
	}
	return loops
}

// param is where p lies along segment ab, 0 at a and 1 at b.
func param(a, b, p orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	if math.Abs(dx) >= math.Abs(dy) {
		return (p[0] - a[0]) / dx
	}
	return (p[1] - a[1]) / dy
}

// ringSign is the sign of a ring's shoelace area: + counter-clockwise.
func ringSign(r orb.Ring) float64 {
	s := 0.0
	for i := 0; i+1 < len(r); i++ {
		s += orient2(r[0], r[i], r[i+1])
	}
	return s
}

// pointInRing reports whether p lies inside ring r (even-odd rule).
func pointInRing(p orb.Point, r orb.Ring) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < a[0]+(p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]) {
			in = !in
		}
	}
	return in
}

func sfPolygon(rings []orb.Ring) geom.Polygon {
	var ls []geom.LineString
	for _, r := range rings {
		coords := make([]float64, 0, 2*len(r))
		for _, q := range r {
			coords = append(coords, q[0], q[1])
		}
		ls = append(ls, geom.NewLineString(geom.NewSequence(coords, geom.DimXY)))
	}
	return geom.NewPolygon(ls)
}

func asGeometries(ps []geom.Polygon) []geom.Geometry {
	out := make([]geom.Geometry, len(ps))
	for i, p := range ps {
		out[i] = p.AsGeometry()
	}
	return out
}

func join(parts []string) string {
	seen := map[string]bool{}
	s := ""
	for _, p := range parts {
		if !seen[p] {
			seen[p] = true
			if s != "" {
				s += "; "
			}
			s += p
		}
	}
	return s
}

// fromSF converts a simplefeatures areal geometry back to orb.
func fromSF(g geom.Geometry) (orb.Geometry, error) {
	var out orb.MultiPolygon
	add := func(p geom.Polygon) {
		var op orb.Polygon
		for i := 0; i < p.NumRings(); i++ {
			var r geom.LineString
			if i == 0 {
				r = p.ExteriorRing()
			} else {
				r = p.InteriorRingN(i - 1)
			}
			seq := r.Coordinates()
			ring := make(orb.Ring, seq.Length())
			for k := range ring {
				xy := seq.GetXY(k)
				ring[k] = orb.Point{xy.X, xy.Y}
			}
			op = append(op, ring)
		}
		out = append(out, op)
	}
	switch g.Type() {
	case geom.TypePolygon:
		add(g.MustAsPolygon())
	case geom.TypeMultiPolygon:
		mp := g.MustAsMultiPolygon()
		for i := 0; i < mp.NumPolygons(); i++ {
			add(mp.PolygonN(i))
		}
	default:
		return nil, fmt.Errorf("it crosses itself and re-noding gave a %s, not an area", g.Type())
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}
