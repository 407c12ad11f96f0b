package topo

import (
	"math"
	"slices"
)

// Exact predicates on the snapped geometry. Coordinates are integers in
// half-millimetres of the local frame (a 1 mm grid times two, so the midpoint
// of two vertices is again an integer). With |coordinate| < maxCoord every
// orientation and dot product below fits in an int64 without overflow, so
// these predicates never round.

// ipt is a point in half-millimetres of the local frame.
type ipt struct{ x, y int64 }

// maxCoord bounds |x| and |y| of an ipt: 250 km in half-millimetres, so that
// differences stay below 2^30 and their products below 2^60.
const maxCoord = 250_000 * 2000

func less(a, b ipt) bool { return a.x < b.x || a.x == b.x && a.y < b.y }

// orient is twice the signed area of the triangle abc: positive when c lies
// to the left of a→b.
func orient(a, b, c ipt) int64 {
	return (b.x-a.x)*(c.y-a.y) - (b.y-a.y)*(c.x-a.x)
}

func sgn(v int64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// ibox is a closed bounding box in half-millimetres.
type ibox struct{ minX, minY, maxX, maxY int64 }

func emptyBox() ibox {
	return ibox{maxGlobal * 4, maxGlobal * 4, -maxGlobal * 4, -maxGlobal * 4}
}

func (b *ibox) add(p ipt) {
	b.minX, b.maxX = min(b.minX, p.x), max(b.maxX, p.x)
	b.minY, b.maxY = min(b.minY, p.y), max(b.maxY, p.y)
}

func (b ibox) union(o ibox) ibox {
	return ibox{min(b.minX, o.minX), min(b.minY, o.minY), max(b.maxX, o.maxX), max(b.maxY, o.maxY)}
}

func (b ibox) empty() bool { return b.minX > b.maxX }

// meets reports whether the closed boxes share a point.
func (b ibox) meets(o ibox) bool {
	return b.minX <= o.maxX && o.minX <= b.maxX && b.minY <= o.maxY && o.minY <= b.maxY
}

// overlaps reports whether the boxes share a region of positive area.
func (b ibox) overlaps(o ibox) bool {
	return b.minX < o.maxX && o.minX < b.maxX && b.minY < o.maxY && o.minY < b.maxY
}

// moved is the box less o (a frame's origin); the empty box stays empty.
func (b ibox) moved(o ipt) ibox {
	if b.minX > b.maxX {
		return b
	}
	return ibox{b.minX - o.x, b.minY - o.y, b.maxX - o.x, b.maxY - o.y}
}

func (b ibox) intersect(o ibox) ibox {
	return ibox{max(b.minX, o.minX), max(b.minY, o.minY), min(b.maxX, o.maxX), min(b.maxY, o.maxY)}
}

func (b ibox) contains(p ipt) bool {
	return b.minX <= p.x && p.x <= b.maxX && b.minY <= p.y && p.y <= b.maxY
}

func (b ibox) lo() [2]float64 { return [2]float64{float64(b.minX), float64(b.minY)} }
func (b ibox) hi() [2]float64 { return [2]float64{float64(b.maxX), float64(b.maxY)} }

// box4 is b as gis/packed takes a box.
func (b ibox) box4() [4]float64 {
	return [4]float64{float64(b.minX), float64(b.minY), float64(b.maxX), float64(b.maxY)}
}

// seg is a directed edge; the region it bounds lies on its left.
type seg struct{ a, b ipt }

func (s seg) box() ibox {
	return ibox{min(s.a.x, s.b.x), min(s.a.y, s.b.y), max(s.a.x, s.b.x), max(s.a.y, s.b.y)}
}

// strictlyInside reports whether p, known to be collinear with s, lies on s
// but is not one of its endpoints.
func (s seg) strictlyInside(p ipt) bool {
	return p != s.a && p != s.b && s.box().contains(p)
}

// onSeg reports whether p lies on the closed segment ab.
func onSeg(a, b, p ipt) bool {
	if p.x < min(a.x, b.x) || p.x > max(a.x, b.x) || p.y < min(a.y, b.y) || p.y > max(a.y, b.y) {
		return false
	}
	return orient(a, b, p) == 0
}

// crossesRay reports whether the edge ab toggles the crossing parity of p
// for a ray towards +x. The rule is half-open in y and uses the edge in a
// canonical direction, so a point on an edge shared by two regions is
// counted in exactly one of them and parities of tilings stay consistent.
func crossesRay(a, b, p ipt) bool {
	if a.y > b.y {
		a, b = b, a
	}
	if p.y < a.y || p.y >= b.y {
		return false
	}
	return orient(a, b, p) > 0
}

// Locations of a point relative to a region.
const (
	locOutside = iota
	locBoundary
	locInside
)

// iring is a ring without its closing vertex; its region lies on the left
// of every edge (shells counter-clockwise, holes clockwise).
type iring []ipt

// ipoly is one polygon (shell and holes) on the snapped grid.
type ipoly struct {
	rings []iring
	bb    ibox
}

// area is the polygon's area in m²: its shell's less its holes'. Each
// ring is summed relative to its first vertex; every cross product is an
// exact integer (below 2^61: maxCoord), rounded only where it passes 2^53
// (sides of kilometres) and in the sum. The same on the global grid for a
// shape less than maxCoord across (snapShape).
func (p *ipoly) area() float64 {
	a := 0.0
	for i, r := range p.rings {
		o := r[0]
		s := 0.0
		for k := 1; k+1 < len(r); k++ {
			u, v := r[k], r[k+1]
			s += float64((u.x-o.x)*(v.y-o.y) - (v.x-o.x)*(u.y-o.y))
		}
		s = math.Abs(s) / (2 * unitsPerMetre * unitsPerMetre)
		if i == 0 {
			a += s
		} else {
			a -= s
		}
	}
	return a
}

func (p *ipoly) locate(q ipt) int {
	if !p.bb.contains(q) {
		return locOutside
	}
	in := false
	for _, r := range p.rings {
		prev := r[len(r)-1]
		for _, v := range r {
			if onSeg(prev, v, q) {
				return locBoundary
			}
			if crossesRay(prev, v, q) {
				in = !in
			}
			prev = v
		}
	}
	if in {
		return locInside
	}
	return locOutside
}

// parity is the crossing parity of q (true: inside), with points on edges
// assigned consistently (see crossesRay).
func (p *ipoly) parity(q ipt) bool {
	if !p.bb.contains(q) {
		return false
	}
	in := false
	for _, r := range p.rings {
		prev := r[len(r)-1]
		for _, v := range r {
			if crossesRay(prev, v, q) {
				in = !in
			}
			prev = v
		}
	}
	return in
}

// appendEdges appends the edges of p whose box meets w.
func (p *ipoly) appendEdges(dst []seg, w ibox) []seg {
	for _, r := range p.rings {
		prev := r[len(r)-1]
		for _, v := range r {
			s := seg{prev, v}
			if s.box().meets(w) {
				dst = append(dst, s)
			}
			prev = v
		}
	}
	return dst
}

// orientRing makes r counter-clockwise when ccw, clockwise otherwise. A valid
// ring is simple, so its orientation is that of the corner at its lowest
// (then leftmost) vertex, which is exact.
func orientRing(r iring, ccw bool) {
	k := 0
	for i, p := range r {
		if p.y < r[k].y || p.y == r[k].y && p.x < r[k].x {
			k = i
		}
	}
	n := len(r)
	o := orient(r[(k+n-1)%n], r[k], r[(k+1)%n])
	if (o > 0) != ccw {
		slices.Reverse(r)
	}
}

// interiorsMeet reports whether the interiors of two regions A and B share a
// region of positive area. ea and eb hold every edge of A and B that meets
// the window where both can be (their boxes' intersection); locA and locB
// locate a point anywhere. Each region must be one polygon (a connected
// interior) on the left of its edges, or the complement of one.
//
// The test is exact: the interiors meet iff (1) two edges cross properly, or
// (2) a collinear pair runs in the same direction over a positive length
// (both regions on the same side), or (3) a piece of one boundary, cut at the
// other's vertices, lies strictly inside the other region. Without (1)-(3)
// each interior is either inside the other or disjoint from it, and the first
// case forces shared edges running the same way, which is (2).
func interiorsMeet(ea, eb []seg, locA, locB func(ipt) int) bool {
	var cutA, cutB [][]ipt
	// onA, onB: edges (the first 64) lying wholly on an edge of the other
	// region, so on its boundary: none of their pieces is inside it (the
	// shared edges of two neighbours, which need no point located)
	var onA, onB uint64
	for i, a := range ea {
		abox := a.box()
		for j, b := range eb {
			bbox := b.box()
			if !abox.meets(bbox) {
				continue
			}
			o1, o2 := sgn(orient(a.a, a.b, b.a)), sgn(orient(a.a, a.b, b.b))
			o3, o4 := sgn(orient(b.a, b.b, a.a)), sgn(orient(b.a, b.b, a.b))
			if o1*o2 < 0 && o3*o4 < 0 {
				return true
			}
			if o1 == 0 && o2 == 0 {
				if sameDirOverlap(a, b) {
					return true
				}
				// collinear: a box holding both ends holds the segment
				if i < 64 && bbox.contains(a.a) && bbox.contains(a.b) {
					onA |= 1 << i
				}
				if j < 64 && abox.contains(b.a) && abox.contains(b.b) {
					onB |= 1 << j
				}
			}
			if o1 == 0 && a.strictlyInside(b.a) {
				cutA = addCut(cutA, len(ea), i, b.a)
			}
			if o2 == 0 && a.strictlyInside(b.b) {
				cutA = addCut(cutA, len(ea), i, b.b)
			}
			if o3 == 0 && b.strictlyInside(a.a) {
				cutB = addCut(cutB, len(eb), j, a.a)
			}
			if o4 == 0 && b.strictlyInside(a.b) {
				cutB = addCut(cutB, len(eb), j, a.b)
			}
		}
	}
	for i, a := range ea {
		if i < 64 && onA&(1<<i) != 0 {
			continue
		}
		var cuts []ipt
		if cutA != nil {
			cuts = cutA[i]
		}
		if anyPieceInside(a, cuts, locB) {
			return true
		}
	}
	for j, b := range eb {
		if j < 64 && onB&(1<<j) != 0 {
			continue
		}
		var cuts []ipt
		if cutB != nil {
			cuts = cutB[j]
		}
		if anyPieceInside(b, cuts, locA) {
			return true
		}
	}
	return false
}

func addCut(cuts [][]ipt, n, i int, p ipt) [][]ipt {
	if cuts == nil {
		cuts = make([][]ipt, n)
	}
	cuts[i] = append(cuts[i], p)
	return cuts
}

// sameDirOverlap reports whether collinear edges a and b overlap over a
// positive length and run the same way.
func sameDirOverlap(a, b seg) bool {
	dx, dy := a.b.x-a.a.x, a.b.y-a.a.y
	if dx*(b.b.x-b.a.x)+dy*(b.b.y-b.a.y) <= 0 {
		return false
	}
	if abs(dx) >= abs(dy) {
		return min(max(a.a.x, a.b.x), max(b.a.x, b.b.x)) > max(min(a.a.x, a.b.x), min(b.a.x, b.b.x))
	}
	return min(max(a.a.y, a.b.y), max(b.a.y, b.b.y)) > max(min(a.a.y, a.b.y), min(b.a.y, b.b.y))
}

func abs(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// anyPieceInside cuts s at cuts and reports whether the midpoint of any
// piece lies strictly inside the other region. Each piece is wholly inside,
// outside or on the other boundary, so its midpoint speaks for it.
func anyPieceInside(s seg, cuts []ipt, loc func(ipt) int) bool {
	if len(cuts) == 0 {
		return loc(mid(s.a, s.b)) == locInside
	}
	pts := sortAlong(s, cuts)
	prev := s.a
	for _, p := range pts {
		if p != prev {
			if loc(mid(prev, p)) == locInside {
				return true
			}
			prev = p
		}
	}
	return prev != s.b && loc(mid(prev, s.b)) == locInside
}

// sortAlong sorts points lying on s from s.a towards s.b (in place).
func sortAlong(s seg, pts []ipt) []ipt {
	dx, dy := s.b.x-s.a.x, s.b.y-s.a.y
	slices.SortFunc(pts, func(p, q ipt) int {
		tp := (p.x-s.a.x)*dx + (p.y-s.a.y)*dy
		tq := (q.x-s.a.x)*dx + (q.y-s.a.y)*dy
		return sgn(tp - tq)
	})
	return pts
}

// mid is the midpoint of two vertices; vertices have even coordinates, so it
// is exact.
func mid(a, b ipt) ipt { return ipt{(a.x + b.x) / 2, (a.y + b.y) / 2} }
