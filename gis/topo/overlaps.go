package topo

import (
	"fmt"
	"math"
	"slices"

	"github.com/peterstace/simplefeatures/geom"
)

// overlapRec is the ground shared by two lots, whatever its size: the small
// ones are not reported but still count in the gap area identity.
type overlapRec struct {
	i, j int // lots, i < j
	g    geom.Geometry
	area float64
	bb   ibox
}

// tripleRec is the ground shared by three lots.
type tripleRec struct {
	k    [3]int
	g    geom.Geometry
	area float64
	bb   ibox
}

// findOverlaps finds the pairs of lots whose boxes overlap (R-tree), keeps
// those whose interiors meet (exact test, so lots that merely share edges
// cost no overlay), and measures each overlap with simplefeatures.
func (c *checker) findOverlaps() error {
	parts := chunks(len(c.lots), 64)
	found := make([][][2]int, len(parts))
	err := parallel(c.ctx, len(parts), func(p int) {
		var ea, eb []seg
		var near []int
		for i := parts[p][0]; i < parts[p][1]; i++ {
			a := c.lots[i]
			if !c.mayShare(a.bb) {
				continue // every tile it meets is clean
			}
			near = near[:0]
			c.lotsMeeting(a.bb, func(j int) {
				if b := c.lots[j].bb; j > i && a.bb.overlaps(b) && c.mayShare(a.bb.intersect(b)) {
					near = append(near, j)
				}
			})
			slices.Sort(near) // pairs in lot order, whatever the tree's
			for _, j := range near {
				if c.lotsMeet(a, c.lots[j], &ea, &eb) {
					found[p] = append(found[p], [2]int{i, j})
				}
			}
		}
	})
	if err != nil {
		return err
	}
	var pairs [][2]int
	for _, f := range found {
		pairs = append(pairs, f...)
	}
	recs := make([]*overlapRec, len(pairs))
	errs := make([]error, len(pairs))
	err = parallel(c.ctx, len(pairs), func(k int) {
		recs[k], errs[k] = c.measureOverlap(pairs[k][0], pairs[k][1])
	})
	if err != nil {
		return err
	}
	for k, r := range recs {
		if errs[k] != nil {
			return errs[k]
		}
		c.overlaps = append(c.overlaps, r)
		if r.area < c.tol {
			continue
		}
		a, b := c.feats[c.lots[r.i].feat], c.feats[c.lots[r.j].feat]
		p, _ := largest(r.g)
		c.add(Finding{Kind: KindOverlap, IDs: []string{a.id, b.id}, AreaM2: r.area,
			At:      c.fr.globalPt(p.PointOnSurface()),
			Message: fmt.Sprintf("lots %s and %s overlap by %s", a.name, b.name, fmtArea(r.area))})
	}
	return nil
}

// lotsMeet reports whether the interiors of two lots share ground.
func (c *checker) lotsMeet(a, b *lot, ea, eb *[]seg) bool {
	for pa := range a.polys {
		A := &a.polys[pa]
		for pb := range b.polys {
			B := &b.polys[pb]
			if !A.bb.overlaps(B.bb) {
				continue
			}
			w := A.bb.intersect(B.bb)
			*ea = A.appendEdges((*ea)[:0], w)
			*eb = B.appendEdges((*eb)[:0], w)
			if interiorsMeet(*ea, *eb, A.locate, B.locate) {
				return true
			}
		}
	}
	return false
}

// measureOverlap intersects two lots and checks area(A∩B) + area(A−B) =
// area(A), trying the other way round before giving up.
func (c *checker) measureOverlap(i, j int) (*overlapRec, error) {
	a, b := c.lots[i], c.lots[j]
	g, area, err := checkedIntersection(a.sf(), a.area, b.sf())
	if err != nil {
		var err2 error
		g, area, err2 = checkedIntersection(b.sf(), b.area, a.sf())
		if err2 != nil {
			return nil, fmt.Errorf("topo: overlap of lots %s and %s: %w", c.feats[a.feat].name, c.feats[b.feat].name, err)
		}
	}
	return &overlapRec{i: i, j: j, g: g, area: area, bb: boxOf(g)}, nil
}

// checkedIntersection returns a∩b and its area after checking that
// area(a∩b) + area(a−b) = area(a). Failing that, it tries again on both
// operands moved (see overlay).
func checkedIntersection(a geom.Geometry, areaA float64, b geom.Geometry) (geom.Geometry, float64, error) {
	in, ai, err := checkedIntersectionOnce(a, areaA, b)
	for _, d := range retryShifts {
		if err == nil {
			break
		}
		if in, ai, err = checkedIntersectionOnce(move(a, d), areaA, move(b, d)); err == nil {
			in = move(in, geom.XY{X: -d.X, Y: -d.Y})
		}
	}
	return in, ai, err
}

func checkedIntersectionOnce(a geom.Geometry, areaA float64, b geom.Geometry) (geom.Geometry, float64, error) {
	in, err := overlay(geom.Intersection, a, b)
	if err != nil {
		return in, 0, err
	}
	out, err := overlay(geom.Difference, a, b)
	if err != nil {
		return in, 0, err
	}
	ai, ao := geomArea(in), geomArea(out)
	if math.Abs(ai+ao-areaA) > eps(areaA) {
		return in, 0, fmt.Errorf("areas do not add up: %.4f m² inside + %.4f m² outside ≠ %.4f m²", ai, ao, areaA)
	}
	return in, ai, nil
}

// boxOf is the grid box of a geometry in local metres, rounded outwards.
func boxOf(g geom.Geometry) ibox {
	lo, hi, ok := g.Envelope().MinMaxXYs()
	if !ok {
		return emptyBox()
	}
	return ibox{
		int64(math.Floor(lo.X*unitsPerMetre)) - 1, int64(math.Floor(lo.Y*unitsPerMetre)) - 1,
		int64(math.Ceil(hi.X*unitsPerMetre)) + 1, int64(math.Ceil(hi.Y*unitsPerMetre)) + 1,
	}
}

// cluster is a connected group of overlapping lots. Where four of them can
// share ground (a 4-clique of the overlap graph) inclusion–exclusion to
// triples is no longer exact, so the group is replaced by its union, built
// pair by pair in a tree, each step checked by area(A∪B) = area(A) +
// area(B) − area(A∩B). Elsewhere ground is covered at most three times and
// the pairwise and triple overlaps give the union's area exactly.
type cluster struct {
	lots  []int
	union bool          // replaced by its union g
	g     geom.Geometry // the union, when union
	area  float64
	bb    ibox
}

// findClusters groups overlapping lots and measures what the gap area
// identity needs: the triple overlaps, or the union of the group.
func (c *checker) findClusters() error {
	if len(c.overlaps) == 0 || c.bd == nil {
		return nil
	}
	adj := map[int][]int{}
	linked := map[[2]int]*overlapRec{}
	parent := map[int]int{}
	var find func(int) int
	find = func(i int) int {
		p, ok := parent[i]
		if !ok || p == i {
			return i
		}
		r := find(p)
		parent[i] = r
		return r
	}
	for _, o := range c.overlaps {
		adj[o.i] = append(adj[o.i], o.j)
		adj[o.j] = append(adj[o.j], o.i)
		linked[[2]int{o.i, o.j}] = o
		parent[find(o.i)] = find(o.j)
	}
	link := func(a, b int) *overlapRec { return linked[[2]int{min(a, b), max(a, b)}] }
	groups := map[int][]int{}
	for k := range adj {
		r := find(k)
		groups[r] = append(groups[r], k)
	}
	var roots []int
	for r := range groups {
		roots = append(roots, r)
	}
	slices.Sort(roots)
	c.clusterOf = make([]int, len(c.lots))
	for i := range c.clusterOf {
		c.clusterOf[i] = -1
	}
	for _, r := range roots {
		if err := c.ctx.Err(); err != nil {
			return err
		}
		cl := &cluster{lots: groups[r], bb: emptyBox()}
		slices.Sort(cl.lots)
		for _, k := range cl.lots {
			c.clusterOf[k] = len(c.clusters)
			cl.bb = cl.bb.union(c.lots[k].bb)
		}
		type triple struct{ i, j, k int }
		var triangles []triple
	scan:
		for _, i := range cl.lots {
			for _, j := range adj[i] {
				if j <= i {
					continue
				}
				for _, k := range adj[j] {
					if k <= j || link(i, k) == nil {
						continue
					}
					for _, m := range adj[k] {
						if m != i && m != j && link(i, m) != nil && link(j, m) != nil {
							cl.union = true
							break scan
						}
					}
					triangles = append(triangles, triple{i, j, k})
				}
			}
		}
		if cl.union {
			g, area, err := c.unionOf(cl.lots)
			if err != nil {
				return err
			}
			cl.g, cl.area = g, area
		} else {
			for _, t := range triangles {
				o, l := link(t.i, t.j), c.lots[t.k]
				g, area, err := checkedIntersection(o.g, o.area, l.sf())
				if err != nil {
					return fmt.Errorf("topo: overlap of three lots at %s: %w", c.feats[l.feat].name, err)
				}
				c.triples = append(c.triples, &tripleRec{k: [3]int{t.i, t.j, t.k}, g: g, area: area, bb: boxOf(g)})
			}
		}
		c.clusters = append(c.clusters, cl)
	}
	return nil
}

// unionOf is the union of the lots ks, built as a balanced tree of checked
// pairwise unions.
func (c *checker) unionOf(ks []int) (geom.Geometry, float64, error) {
	type part struct {
		g    geom.Geometry
		area float64
	}
	parts := make([]part, len(ks))
	for i, k := range ks {
		parts[i] = part{c.lots[k].sf(), c.lots[k].area}
	}
	for len(parts) > 1 {
		if err := c.ctx.Err(); err != nil {
			return geom.Geometry{}, 0, err
		}
		var next []part
		for i := 0; i+1 < len(parts); i += 2 {
			a, b := parts[i], parts[i+1]
			g, area, err := checkedUnion(a.g, a.area, b.g, b.area)
			if err != nil {
				if g, area, err = checkedUnion(b.g, b.area, a.g, a.area); err != nil {
					return geom.Geometry{}, 0, fmt.Errorf("topo: union of overlapping lots at %s: %w",
						c.feats[c.lots[ks[0]].feat].name, err)
				}
			}
			next = append(next, part{g, area})
		}
		if len(parts)%2 == 1 {
			next = append(next, parts[len(parts)-1])
		}
		parts = next
	}
	return parts[0].g, parts[0].area, nil
}

// checkedUnion returns a∪b and its area after checking that area(a∪b) =
// area(a) + area(b) − area(a∩b).
func checkedUnion(a geom.Geometry, areaA float64, b geom.Geometry, areaB float64) (geom.Geometry, float64, error) {
	u, err := overlay(geom.Union, a, b)
	if err != nil {
		return u, 0, err
	}
	in, err := overlay(geom.Intersection, a, b)
	if err != nil {
		return u, 0, err
	}
	au, want := geomArea(u), areaA+areaB-geomArea(in)
	if math.Abs(au-want) > eps(want) {
		return u, 0, fmt.Errorf("areas do not add up: union of %.4f m², expected %.4f m²", au, want)
	}
	return u, au, nil
}
