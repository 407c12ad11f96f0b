package topo

import (
	"fmt"
	"math"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"quyhoach/gis"
)

// frame is the local coordinate frame: projected metres minus a whole-metre
// origin, snapped to a 1 mm grid and held as integers in half-millimetres.
// The grid is the projection's own (snapGlobal), the frame only moves it,
// so a lot snaps to the same points whatever the other lots and wherever
// the origin falls.
type frame struct{ ox, oy float64 }

// unitsPerMetre is the number of half-millimetres in a metre.
const unitsPerMetre = 2000

// maxGlobal bounds a coordinate on the global grid, in half-millimetres:
// 2^52, exact in a float64 and far from an int64's end. Nothing so far out
// is within 250 km of any origin a layer can have.
const maxGlobal = 1 << 52

// snapGlobal maps a projected point to the 1 mm grid of the projection
// itself, in half-millimetres; ok is false when it is not finite or past
// maxGlobal.
func snapGlobal(p orb.Point) (ipt, bool) {
	x, y := math.Round(p[0]*1000), math.Round(p[1]*1000)
	if !(math.Abs(x) < maxGlobal/2 && math.Abs(y) < maxGlobal/2) { // NaN fails too
		return ipt{}, false
	}
	return ipt{2 * int64(x), 2 * int64(y)}, true
}

// at is the frame's origin on the global grid. ox and oy are whole metres;
// one past the grid's range is clamped to it (no point of such a frame
// snaps, and global then has nothing to give back).
func (f frame) at() ipt {
	clamp := func(v float64) int64 {
		return int64(max(-maxGlobal/unitsPerMetre, min(v, maxGlobal/unitsPerMetre))) * unitsPerMetre
	}
	return ipt{clamp(f.ox), clamp(f.oy)}
}

// snap maps a projected point to the grid; ok is false when it is not
// finite or too far from the origin.
func (f frame) snap(p orb.Point) (ipt, bool) {
	q, ok := snapGlobal(p)
	if !ok {
		return ipt{}, false
	}
	return moveTo(q, f.at())
}

// moveTo is q less the origin o, and whether it is within maxCoord of it.
func moveTo(q, o ipt) (ipt, bool) {
	q = ipt{q.x - o.x, q.y - o.y}
	return q, -maxCoord < q.x && q.x < maxCoord && -maxCoord < q.y && q.y < maxCoord
}

// local converts a grid point to local metres, the frame given to simplefeatures.
func local(p ipt) geom.XY {
	return geom.XY{X: float64(p.x) / unitsPerMetre, Y: float64(p.y) / unitsPerMetre}
}

// global converts local metres back to projected metres.
func (f frame) global(xy geom.XY) orb.Point {
	return orb.Point{xy.X + f.ox, xy.Y + f.oy}
}

// globalPt converts a simplefeatures point in local metres to projected metres.
func (f frame) globalPt(p geom.Point) orb.Point {
	xy, ok := p.XY()
	if !ok {
		return orb.Point{}
	}
	return f.global(xy)
}

// shape is a polygonal geometry converted to the grid: its polygons for the
// exact predicates and, made on first use, the same geometry in local
// metres for simplefeatures (most lots of a clean layer never meet an
// overlay: a million of them would cost half a gigabyte).
type shape struct {
	polys []ipoly
	bb    ibox
	area  float64 // m², from the grid's integers
	lazy  *lazySF // shared by copies of the shape
}

// lazySF is a shape's simplefeatures geometry, made once.
type lazySF struct {
	once sync.Once
	g    geom.Geometry
}

// sf is the shape in local metres for simplefeatures; safe to call from
// several goroutines.
func (s *shape) sf() geom.Geometry {
	if s.lazy == nil {
		return sfGeometry(s.polys)
	}
	s.lazy.once.Do(func() { s.lazy.g = sfGeometry(s.polys) })
	return s.lazy.g
}

// sfGeometry is polygons on the grid in local metres.
func sfGeometry(polys []ipoly) geom.Geometry {
	ps := make([]geom.Polygon, len(polys))
	for i, p := range polys {
		rings := make([]geom.LineString, len(p.rings))
		for k, r := range p.rings {
			coords := make([]float64, 0, 2*len(r)+2)
			for _, q := range r {
				xy := local(q)
				coords = append(coords, xy.X, xy.Y)
			}
			coords = append(coords, coords[0], coords[1])
			rings[k] = geom.NewLineString(geom.NewSequence(coords, geom.DimXY))
		}
		ps[i] = geom.NewPolygon(rings)
	}
	if len(ps) == 1 {
		return ps[0].AsGeometry()
	}
	return geom.NewMultiPolygon(ps).AsGeometry()
}

// problem is why a geometry is invalid, with a place to show.
type problem struct {
	reason string
	at     orb.Point
	hasAt  bool
	sliver float64 // a lot, or a part, under MinLotArea: its area
}

// polygonsOf lists the polygons of a polygonal orb geometry, or says why it
// is not one.
func polygonsOf(g orb.Geometry) ([]orb.Polygon, string) {
	switch g := g.(type) {
	case nil:
		return nil, "it has no geometry"
	case orb.Polygon:
		if len(g) == 0 {
			return nil, "its polygon is empty"
		}
		return []orb.Polygon{g}, ""
	case orb.MultiPolygon:
		if len(g) == 0 {
			return nil, "its multipolygon is empty"
		}
		for _, p := range g {
			if len(p) == 0 {
				return nil, "its multipolygon has an empty part"
			}
		}
		return g, ""
	case orb.Bound:
		return []orb.Polygon{g.ToPolygon()}, ""
	case orb.Ring:
		return []orb.Polygon{{g}}, ""
	default:
		return nil, fmt.Sprintf("its geometry is a %s, not a polygon", g.GeoJSONType())
	}
}

// convert snaps g to the grid and validates it. A nil problem means the
// shape is valid and ready for overlay work.
func (f frame) convert(g orb.Geometry) (shape, *problem) {
	s, pr := snapShape(g)
	if pr != nil {
		return shape{}, pr
	}
	return f.place(s)
}

// snapped is a geometry on the global grid (snapGlobal), not yet in a
// frame: the half of convert that needs no origin, so that lots are
// snapped as they are read, before all of them (and so their median)
// are known.
type snapped struct {
	shape
	// proven: the grid alone showed it one simple ring (simpleShell), and
	// it is oriented and measured; place then only moves it. tried: the
	// grid was asked and could not tell (simplefeatures must).
	proven, tried bool
}

// snapShape snaps g's rings to the global grid, drops repeated points
// and says why g is not a polygon at all.
func snapShape(g orb.Geometry) (snapped, *problem) {
	ps, why := polygonsOf(g)
	if why != "" {
		return snapped{}, &problem{reason: why}
	}
	sh := shape{bb: emptyBox(), polys: make([]ipoly, 0, len(ps))}
	for pi, p := range ps {
		ip := ipoly{bb: emptyBox(), rings: make([]iring, 0, len(p))}
		for ri, r := range p {
			// why the ring is refused, shown at its first point or at
			at := func(why string, at ...orb.Point) *problem {
				pr := &problem{reason: ringName(len(ps) > 1, pi, ri) + why, hasAt: len(r) > 0}
				if len(at) > 0 {
					pr.at = at[0]
				} else if len(r) > 0 {
					pr.at = r[0]
				}
				return pr
			}
			if len(r) < 4 {
				return snapped{}, at(fmt.Sprintf(" has %d points, a ring needs at least 4", len(r)))
			}
			if r[0] != r[len(r)-1] {
				return snapped{}, at(" is not closed", r[len(r)-1])
			}
			ir := make(iring, 0, len(r)-1)
			for _, q := range r[:len(r)-1] {
				s, ok := snapGlobal(q)
				if !ok {
					return snapped{}, at(" "+farReason, q)
				}
				if len(ir) == 0 || ir[len(ir)-1] != s {
					ir = append(ir, s)
				}
			}
			for len(ir) > 1 && ir[len(ir)-1] == ir[0] {
				ir = ir[:len(ir)-1]
			}
			if len(ir) < 3 {
				return snapped{}, at(" collapses to fewer than 3 points on a 1 mm grid")
			}
			for _, q := range ir {
				ip.bb.add(q)
			}
			ip.rings = append(ip.rings, ir)
		}
		sh.polys = append(sh.polys, ip)
		sh.bb = sh.bb.union(ip.bb)
	}
	// the exact predicates take differences below maxCoord
	small := sh.bb.maxX-sh.bb.minX < maxCoord && sh.bb.maxY-sh.bb.minY < maxCoord
	s := snapped{shape: sh, proven: small && simpleShell(sh.polys), tried: small}
	if s.proven {
		s.orient()
	}
	return s, nil
}

// farReason ends the problem of a ring with a point out of the frame.
const farReason = "has a coordinate that is not finite or lies more than 250 km from the plan boundary or the other lots"

// orient turns shells counter-clockwise and holes clockwise, and measures
// the shape (both the same on the global grid and in any frame).
func (s *shape) orient() {
	s.area = 0
	for i := range s.polys {
		for k, r := range s.polys[i].rings {
			orientRing(r, k == 0)
		}
		s.area += s.polys[i].area()
	}
}

// place moves a snapped shape into the frame (its rings are moved in
// place) and validates it: with simplefeatures, in local metres, when the
// grid alone could not.
func (f frame) place(s snapped) (shape, *problem) {
	sh := s.shape
	o := f.at()
	for pi := range sh.polys {
		p := &sh.polys[pi]
		for ri, r := range p.rings {
			for k, q := range r {
				m, ok := moveTo(q, o)
				if !ok {
					return shape{}, &problem{reason: ringName(len(sh.polys) > 1, pi, ri) + " " + farReason,
						at: orb.Point{float64(q.x) / unitsPerMetre, float64(q.y) / unitsPerMetre}, hasAt: true}
				}
				r[k] = m
			}
		}
		p.bb = p.bb.moved(o)
	}
	sh.bb = sh.bb.moved(o)
	sh.lazy = &lazySF{}
	if s.proven {
		return sh, nil
	}
	if s.tried || !simpleShell(sh.polys) {
		// simplefeatures' validation, on the rings as drawn
		g := sfGeometry(sh.polys)
		if err := g.Validate(); err != nil {
			pr := &problem{reason: invalidReason(err)}
			if xy, ok := selfCrossing(sh.polys); ok {
				pr.at, pr.hasAt = f.global(xy), true
			} else if xy, ok := errorLocation(err); ok {
				pr.at, pr.hasAt = f.global(xy), true
			} else {
				pr.at, pr.hasAt = f.global(local(sh.polys[0].rings[0][0])), true
			}
			return shape{}, pr
		}
		sh.lazy.once.Do(func() { sh.lazy.g = g })
	}
	sh.orient()
	return sh, nil
}

// maxSimpleShell is the largest shell simpleShell decides; larger ones
// go to simplefeatures' validation.
const maxSimpleShell = 256

// simpleShell tells, exactly on the grid, that ps is one polygon of one
// ring (at least 3 distinct points, none repeated in a row) that touches
// or crosses itself nowhere: then the polygon is valid, and simplefeatures'
// validation (which would also say so, at four times the cost) is not
// needed. Anything else is left to it, for its reason.
func simpleShell(ps []ipoly) bool {
	if len(ps) != 1 || len(ps[0].rings) != 1 || len(ps[0].rings[0]) > maxSimpleShell {
		return false
	}
	r := ps[0].rings[0]
	if n := len(r); n <= smallShell { // most lots: scratch of their size (zeroed on every call)
		var steps [smallShell][2]int64
		var minX [smallShell]int64
		var order [smallShell]int16
		return simpleRing(r, steps[:n], minX[:n], order[:n])
	}
	var steps [maxSimpleShell][2]int64
	var minX [maxSimpleShell]int64
	var order [maxSimpleShell]int16
	n := len(r)
	return simpleRing(r, steps[:n], minX[:n], order[:n])
}

// smallShell is the size of simpleShell's scratch for most lots.
const smallShell = 32

// simpleRing is simpleShell of one ring r, with scratch of its length.
func simpleRing(r iring, steps [][2]int64, minX []int64, order []int16) bool {
	n := len(r)
	for i, q := range r { // no two positions in a row are the same
		next := r[(i+1)%n]
		steps[i] = [2]int64{next.x - q.x, next.y - q.y}
		minX[i] = min(q.x, next.x)
	}
	if turnsOnce(steps) {
		return true // convex: no pair of sides to compare
	}
	// selfCrossing's test of every pair of sides, on the pairs a sweep by x
	// brings together (sides whose x ranges overlap), sorted in place
	for i := range order {
		order[i] = int16(i)
	}
	side := func(i int16) seg { return seg{r[i], r[(int(i)+1)%n]} }
	for i := 1; i < n; i++ { // insertion sort: a lot has a few dozen sides
		o, x := order[i], minX[order[i]]
		j := i
		for ; j > 0 && minX[order[j-1]] > x; j-- {
			order[j] = order[j-1]
		}
		order[j] = o
	}
	for oi, i := range order {
		a := side(i)
		maxX := max(a.a.x, a.b.x)
		for _, j := range order[oi+1:] {
			if minX[j] > maxX {
				break
			}
			lo, hi := min(i, j), max(i, j)
			a, b := side(lo), side(hi)
			switch {
			case hi == lo+1 || lo == 0 && int(hi) == n-1:
				v, o, w := a.a, a.b, b.b // the shared vertex o = a.b = b.a
				if hi != lo+1 {
					v, o, w = b.a, a.a, a.b // o = a.a = b.b
				}
				if orient(v, o, w) == 0 && (o.x-v.x)*(w.x-o.x)+(o.y-v.y)*(w.y-o.y) < 0 {
					return false // folds back over its neighbour
				}
			default:
				if _, ok := touch(a, b); ok {
					return false
				}
			}
		}
	}
	return true
}

func ringName(multi bool, pi, ri int) string {
	kind := "shell"
	if ri > 0 {
		kind = fmt.Sprintf("hole %d", ri)
	}
	if multi {
		return fmt.Sprintf("part %d %s", pi+1, kind)
	}
	return "its " + kind
}

// invalidReason turns a simplefeatures validation error into plain words.
func invalidReason(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "ring not simple"):
		return "a ring intersects itself (bow-tie or self-intersection)"
	case strings.Contains(s, "interior ring outside of exterior ring"):
		return "a hole lies outside its shell"
	case strings.Contains(s, "nested rings"):
		return "a hole overlaps or lies inside another hole"
	case strings.Contains(s, "rings intersect at multiple points"):
		return "rings overlap or share an edge (holes overlapping, or a hole crossing its shell)"
	case strings.Contains(s, "disconnected interior"):
		return "holes cut the polygon into pieces"
	case strings.Contains(s, "child polygons touch at multiple points"):
		return "parts of the multipolygon overlap or share an edge"
	case strings.Contains(s, "one distinct XY"):
		return "a ring has only one distinct point"
	}
	return s
}

// errorLocation reads the "(at or near {x y})" that simplefeatures v0.50.0
// appends to validation errors; it is a best effort, for the zoom point only.
var locRE = regexp.MustCompile(`at or near \{(\S+) (\S+)\}`)

func errorLocation(err error) (geom.XY, bool) {
	m := locRE.FindStringSubmatch(err.Error())
	if m == nil {
		return geom.XY{}, false
	}
	x, err1 := strconv.ParseFloat(m[1], 64)
	y, err2 := strconv.ParseFloat(m[2], 64)
	return geom.XY{X: x, Y: y}, err1 == nil && err2 == nil
}

// origin picks the local origin: the whole metre below the boundary's box,
// or below the median first point of the lots when there is no boundary, so
// one stray lot (say in lon/lat) cannot push the others out of range.
func origin(boundary orb.Geometry, lots []feature) (float64, float64) {
	if _, ok := firstPoint(boundary); ok {
		b := boundary.Bound()
		if finite(b.Min[0]) && finite(b.Min[1]) {
			return math.Floor(b.Min[0]), math.Floor(b.Min[1])
		}
	}
	xs, ys := make([]float64, 0, len(lots)), make([]float64, 0, len(lots))
	for _, ft := range lots {
		if p := ft.at; ft.first && finite(p[0]) && finite(p[1]) {
			xs, ys = append(xs, p[0]), append(ys, p[1])
		}
	}
	if len(xs) == 0 {
		return 0, 0
	}
	return math.Floor(median(xs)), math.Floor(median(ys))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// median is the element a sort would put at len(v)/2, found by selection
// (Hoare's partitions around the middle element): no full sort of a
// million lots' coordinates. An order made to defeat the middle element
// (a file built to stall the check) gets a sort after 2 log₂ n rounds.
// v holds no NaN.
func median(v []float64) float64 {
	s := slices.Clone(v)
	k := len(s) / 2
	lo, hi := 0, len(s)-1
	for rounds := 0; lo < hi; rounds++ {
		if rounds > 2*bits.Len(uint(len(s))) {
			slices.Sort(s[lo : hi+1])
			break
		}
		p := s[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i, j = i+1, j-1
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return s[k] // between the parts: equal to the pivot
		}
	}
	return s[k]
}

// firstPoint returns the first position of g's points, lines or shells (the
// holes of a polygon whose shell is empty do not count).
func firstPoint(g orb.Geometry) (orb.Point, bool) {
	for p := range gis.Paths(g) {
		if p.Kind != gis.Hole {
			return p.Points[0], true
		}
	}
	return orb.Point{}, false
}

// selfCrossing finds where a ring of ps touches or crosses itself, for the
// zoom point of a bow-tie (simplefeatures reports the ring's first vertex).
// Rings of more than 2000 vertices are not searched.
func selfCrossing(ps []ipoly) (geom.XY, bool) {
	for _, p := range ps {
		for _, r := range p.rings {
			n := len(r)
			if n > 2000 {
				continue
			}
			for i := 0; i < n; i++ {
				a := seg{r[i], r[(i+1)%n]}
				for j := i + 1; j < n; j++ {
					b := seg{r[j], r[(j+1)%n]}
					if j == i+1 || i == 0 && j == n-1 {
						// Adjacent edges meet at their shared vertex; they are
						// wrong only when one folds back over the other.
						v, o, w := a.a, a.b, b.b // shared vertex o = a.b = b.a
						if j != i+1 {
							v, o, w = b.a, a.a, a.b // shared vertex o = a.a = b.b
						}
						if orient(v, o, w) == 0 && (o.x-v.x)*(w.x-o.x)+(o.y-v.y)*(w.y-o.y) < 0 {
							return local(o), true
						}
						continue
					}
					if xy, ok := touch(a, b); ok {
						return xy, true
					}
				}
			}
		}
	}
	return geom.XY{}, false
}

// touch returns a point shared by two segments, if any.
func touch(a, b seg) (geom.XY, bool) {
	if !a.box().meets(b.box()) {
		return geom.XY{}, false
	}
	o1, o2 := orient(a.a, a.b, b.a), orient(a.a, a.b, b.b)
	o3, o4 := orient(b.a, b.b, a.a), orient(b.a, b.b, a.b)
	switch {
	case sgn(o1)*sgn(o2) < 0 && sgn(o3)*sgn(o4) < 0:
		t := float64(o3) / float64(o3-o4)
		pa, pb := local(a.a), local(a.b)
		return geom.XY{X: pa.X + t*(pb.X-pa.X), Y: pa.Y + t*(pb.Y-pa.Y)}, true
	case o1 == 0 && onSeg(a.a, a.b, b.a):
		return local(b.a), true
	case o2 == 0 && onSeg(a.a, a.b, b.b):
		return local(b.b), true
	case o3 == 0 && onSeg(b.a, b.b, a.a):
		return local(a.a), true
	case o4 == 0 && onSeg(b.a, b.b, a.b):
		return local(a.b), true
	}
	return geom.XY{}, false
}
