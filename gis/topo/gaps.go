package topo

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"

	"github.com/peterstace/simplefeatures/geom"
)

// classifyLots sets each lot's status against the boundary. A lot whose box
// meets no boundary edge is wholly inside or outside (one vertex tells);
// otherwise the exact test of interiorsMeet against the outside of the
// boundary tells whether any of it sticks out.
func (c *checker) classifyLots() error {
	if c.bd == nil {
		return nil
	}
	outsideLoc := func(q ipt) int {
		switch c.bdLocate(q) {
		case locInside:
			return locOutside
		case locOutside:
			return locInside
		}
		return locBoundary
	}
	parts := chunks(len(c.lots), 64)
	return parallel(c.ctx, len(parts), func(p int) {
		var ea, eb []seg
		for k := parts[p][0]; k < parts[p][1]; k++ {
			l := c.lots[k]
			eb = c.bdEdgesMeeting(eb[:0], l.bb)
			if len(eb) == 0 {
				if c.bdParity(l.polys[0].rings[0][0]) {
					l.status = statusInside
				} else {
					l.status = statusOutside
				}
				continue
			}
			l.status = statusInside
			for pi := range l.polys {
				A := &l.polys[pi]
				ea = A.appendEdges(ea[:0], A.bb)
				eb = c.bdEdgesMeeting(eb[:0], A.bb)
				if interiorsMeet(ea, eb, A.locate, outsideLoc) {
					l.status = statusCrossing
					break
				}
			}
		}
	})
}

// freeEdges returns the pieces of lot and boundary edges that do not cancel.
// Every lot ring is taken with its interior on the left, the boundary with
// its interior on the right; on a clean tiling of the boundary every edge
// then meets its reverse and the counts cancel. Edges that do not cancel at
// first are cut at every vertex lying on them (T-junctions) and counted
// again. Wherever no free edge passes, the coverage "lots over the point
// minus boundary over it" cannot change, so a tile without free edges whose
// coverage is 0 at one point is clean: no gap, overlap or outside part.
//
// most bounds the edges the first count may leave (−1: no bound): past it
// freeEdges gives up (ok false) before cutting them.
func (c *checker) freeEdges(most int) (free []seg, ok bool) {
	// Each worker counts the edges of a run of lots, dropping a count as
	// soon as it cancels: in a tiling read in order a neighbour's reverse
	// edge comes soon, so the maps stay near the width of the layer, not
	// its size. What is left of each (edges whose reverse lies in another
	// run, the boundary's) is summed after.
	runs := chunks(len(c.lots), max(1, (len(c.lots)+runtime.GOMAXPROCS(0)-1)/runtime.GOMAXPROCS(0)))
	counts := make([]*edgeCounts, len(runs))
	parallel(c.ctx, len(runs), func(w int) {
		m := newEdgeCounts(0)
		for _, l := range c.lots[runs[w][0]:runs[w][1]] {
			for _, p := range l.polys {
				for _, r := range p.rings {
					prev := r[len(r)-1]
					for _, v := range r {
						m.add(edgeKey(prev, v, 1))
						prev = v
					}
				}
			}
		}
		counts[w] = m
	})
	// sized for all that is left, so it never grows: the tables pour out
	// in the order of the hash the sum uses, which would pile them up in
	// one run of slots of a table still growing
	n := len(c.bdEdges)
	for _, m := range counts {
		if m != nil {
			n += m.n
		}
	}
	if most >= 0 && n > most {
		return nil, false
	}
	sum := newEdgeCounts(n)
	for _, e := range c.bdEdges {
		sum.add(edgeKey(e.a, e.b, 1)) // already reversed
	}
	for _, m := range counts {
		if m != nil {
			m.each(sum.add)
		}
	}
	type pending struct {
		k ekey
		n int32
	}
	left := make([]pending, 0, sum.n)
	sum.each(func(k ekey, v int32) { left = append(left, pending{k, v}) })
	slices.SortFunc(left, func(p, q pending) int {
		return cmp.Or(cmp.Compare(p.k.a, q.k.a), cmp.Compare(p.k.b, q.k.b))
	})
	again := make(map[ekey]int32, len(left))
	add := func(a, b ipt, n int32) {
		k, s := edgeKey(a, b, n)
		again[k] += s
	}
	var cuts []ipt
	var es []seg
	for _, p := range left {
		s := p.k.seg()
		sb := s.box()
		cuts = cuts[:0]
		on := func(v ipt) {
			if sb.contains(v) && orient(s.a, s.b, v) == 0 && s.strictlyInside(v) {
				cuts = append(cuts, v)
			}
		}
		c.lotsMeeting(sb, func(k int) {
			for _, q := range c.lots[k].polys {
				if !q.bb.meets(sb) {
					continue
				}
				for _, r := range q.rings {
					for _, v := range r {
						on(v)
					}
				}
			}
		})
		if c.bd != nil {
			es = c.bdEdgesMeeting(es[:0], sb)
			for _, e := range es {
				on(e.a)
			}
		}
		prev := s.a
		for _, v := range sortAlong(s, cuts) {
			if v != prev {
				add(prev, v, p.n)
				prev = v
			}
		}
		add(prev, s.b, p.n)
	}
	for k, v := range again {
		if v != 0 {
			free = append(free, k.seg())
		}
	}
	return free, true
}

// ekey is an undirected edge as a map key: its two ends packed (packPt),
// the lesser first.
type ekey struct{ a, b uint64 }

// edgeKey is the key of the edge a→b and the count n it adds: n as
// given, or −n when the key runs the other way (b→a).
func edgeKey(a, b ipt, n int32) (ekey, int32) {
	pa, pb := packPt(a), packPt(b)
	if pb < pa {
		return ekey{pb, pa}, -n
	}
	return ekey{pa, pb}, n
}

func (k ekey) seg() seg { return seg{unpackPt(k.a), unpackPt(k.b)} }

// packPt packs a grid point into 64 bits, keeping the order of less: x and
// y (|v| < maxCoord < 2^30) offset by 2^30 into the high and low 32 bits.
func packPt(p ipt) uint64 { return uint64(p.x+1<<30)<<32 | uint64(p.y+1<<30) }

func unpackPt(u uint64) ipt { return ipt{int64(u>>32) - 1<<30, int64(u&0xffffffff) - 1<<30} }

// grid is the tiling of the plan's extent used for the gap overlay.
type grid struct {
	x0, y0, ts int64 // origin and tile size in half-millimetres (whole metres)
	nx, ny     int
}

// lotsPerTile sets the tile size: small enough that an overlay stays cheap,
// large enough that few gaps are cut by tile lines.
const lotsPerTile = 16

func (c *checker) makeGrid() grid {
	ext := emptyBox()
	if c.bd != nil {
		ext = c.bd.bb
	}
	for _, l := range c.lots {
		ext = ext.union(l.bb)
	}
	w := float64(ext.maxX-ext.minX) / unitsPerMetre
	h := float64(ext.maxY-ext.minY) / unitsPerMetre
	per := lotsPerTile
	if c.opt.lotsPerTile > 0 {
		per = c.opt.lotsPerTile
	}
	tm := math.Max(1, math.Round(math.Sqrt(w*h*float64(per)/float64(max(1, len(c.lots))))))
	for (w/tm+1)*(h/tm+1) > 1<<16 {
		tm *= 2
	}
	g := grid{ts: int64(tm) * unitsPerMetre}
	g.x0 = floorDiv(ext.minX, unitsPerMetre) * unitsPerMetre
	g.y0 = floorDiv(ext.minY, unitsPerMetre) * unitsPerMetre
	g.nx = int(max(1, ceilDiv(ext.maxX-g.x0, g.ts)))
	g.ny = int(max(1, ceilDiv(ext.maxY-g.y0, g.ts)))
	return g
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

func (g grid) box(t int) ibox {
	tx, ty := int64(t%g.nx), int64(t/g.nx)
	x, y := g.x0+tx*g.ts, g.y0+ty*g.ts
	return ibox{x, y, x + g.ts, y + g.ts}
}

// mark sets need for every tile whose closed box meets b.
func (g grid) mark(need []bool, b ibox) {
	for t := range g.meeting(b) {
		need[t] = true
	}
}

// meeting yields the tiles whose closed box meets b.
func (g grid) meeting(b ibox) iter.Seq[int] {
	return func(yield func(int) bool) {
		x0, x1 := g.first(b.minX, g.x0), g.last(b.maxX, g.x0, g.nx)
		for ty := g.first(b.minY, g.y0); ty <= g.last(b.maxY, g.y0, g.ny); ty++ {
			for tx := x0; tx <= x1; tx++ {
				if !yield(ty*g.nx + tx) {
					return
				}
			}
		}
	}
}

// Tile k spans [o + k·ts, o + (k+1)·ts] and meets [lo, hi] iff
// (lo−o)/ts − 1 ≤ k ≤ (hi−o)/ts: first and last are the tiles meeting a
// range along one axis (origin o, n tiles).
func (g grid) first(lo, o int64) int { return int(max(0, ceilDiv(lo-o, g.ts)-1)) }

func (g grid) last(hi, o int64, n int) int { return int(min(int64(n-1), floorDiv(hi-o, g.ts))) }

// tileNeeds is a tiling of the plan and the tiles that need a closer look
// (need; tiles lists them): those a free edge meets, and those whose
// coverage is wrong at their centre — with a boundary, "lots over a point
// minus boundary over it" not 0 (a gap, an overlap or a lot outside);
// without one, two lots or more over it. Coverage changes only across a
// free edge, so in every other tile no two lots share ground, and with a
// boundary there is neither gap nor outside part.
type tileNeeds struct {
	g     grid
	need  []bool
	tiles []int
}

// markTiles finds the tiles that need a closer look, before the overlaps
// are looked for: two lots can share ground only in such a tile, and with
// a boundary only there can gaps and outside parts be.
func (c *checker) markTiles() error {
	if c.bd == nil && len(c.lots) == 0 {
		return nil // nothing to tile
	}
	most := -1
	if c.bd == nil {
		// Without a boundary the tiles only spare overlap tests: lots that
		// share few edges (parted by roads) leave most edges free, and
		// cutting them would cost more than the tests it spares.
		most = c.edgeCount() / 4
	}
	free, ok := c.freeEdges(most)
	if !ok {
		return nil
	}
	g := c.makeGrid()
	need := make([]bool, g.nx*g.ny)
	for _, e := range free {
		g.mark(need, e.box())
	}
	if err := c.ctx.Err(); err != nil {
		return err
	}
	var tiles []int
	for t := range need {
		if !need[t] && !c.opt.everyTile {
			b := g.box(t)
			q := ipt{(b.minX + b.maxX) / 2, (b.minY + b.maxY) / 2}
			m := 0
			c.lotsMeeting(ibox{q.x, q.y, q.x, q.y}, func(k int) {
				for i := range c.lots[k].polys {
					if c.lots[k].polys[i].parity(q) {
						m++
					}
				}
			})
			if c.bd == nil {
				need[t] = m > 1
			} else {
				if c.bdParity(q) {
					m--
				}
				need[t] = m != 0
			}
		}
		need[t] = need[t] || c.opt.everyTile
		if need[t] {
			tiles = append(tiles, t)
		}
	}
	c.tl = &tileNeeds{g, need, tiles}
	return nil
}

// edgeCount is the number of the lots' edges.
func (c *checker) edgeCount() int {
	n := 0
	for _, l := range c.lots {
		for _, p := range l.polys {
			for _, r := range p.rings {
				n += len(r)
			}
		}
	}
	return n
}

// mayShare tells whether ground in box b may be shared by lots: only where
// b meets a tile that needs a closer look.
func (c *checker) mayShare(b ibox) bool {
	return c.tl == nil || c.tl.g.meetsAny(c.tl.need, b)
}

// meetsAny tells whether the closed box b meets a tile set in need.
func (g grid) meetsAny(need []bool, b ibox) bool {
	for t := range g.meeting(b) {
		if need[t] {
			return true
		}
	}
	return false
}

// findGaps finds gaps and outside parts tile by tile, in the tiles that need
// an overlay, then joins gap pieces cut by tile lines.
func (c *checker) findGaps() error {
	if c.bd == nil || c.tl == nil {
		return nil
	}
	g, tiles := c.tl.g, c.tl.tiles
	outs := make([]tileResult, len(tiles))
	err := parallel(c.ctx, len(tiles), func(i int) {
		outs[i] = c.tile(g, tiles[i])
	})
	if err != nil {
		return err
	}
	for _, o := range outs {
		if o.err != nil {
			return o.err
		}
	}
	c.reportGaps(g, tiles, outs)
	c.reportOutside(outs)
	return nil
}

// piece is a polygon of a tile's gap overlay.
type piece struct {
	area  float64
	at    geom.XY
	sides [4][][2]float64 // intervals on the tile's left, right, bottom and top lines
	nbrs  []int           // lots touching it
}

// outPiece is a polygon of a lot outside the boundary, within one tile.
type outPiece struct {
	lot  int
	area float64
	at   geom.XY
}

type tileResult struct {
	pieces []piece
	outs   []outPiece
	err    error
}

// tile computes, inside one tile T: the boundary part B = boundary ∩ T, the
// gaps B − ∪lots, and for lots crossing the boundary their parts in T outside
// it. It checks the gap area against the identity
//
//	area(gaps) = area(B) − Σ area(lot ∩ B) + Σ area(overlap ∩ B) − Σ area(triple ∩ B)
//
// whose terms come from per-lot clipping and the pairwise overlaps, not from
// the union: a union that silently dropped a polygon breaks it. Then it
// retries subtracting the lots one by one, and fails if that breaks it too.
func (c *checker) tile(g grid, t int) (res tileResult) {
	ib := g.box(t)
	rf := rectOf(ib)
	rectG := rf.geometry()
	clip := &clipper{r: rf}
	tx, ty := t%g.nx, t/g.nx
	fail := func(format string, args ...any) tileResult {
		return tileResult{err: fmt.Errorf("topo: gaps in tile %d,%d at E %.0f N %.0f: %s", tx, ty,
			rf.x0+c.fr.ox, rf.y0+c.fr.oy, fmt.Sprintf(format, args...))}
	}

	// The boundary's part of the tile.
	var bnd geom.Geometry
	bndArea := 0.0
	if len(c.bdEdgesMeeting(nil, ib)) > 0 {
		want := clip.shape(c.bd)
		var err error
		for _, ab := range [2][2]geom.Geometry{{c.bd.sf(), rectG}, {rectG, c.bd.sf()}} {
			if bnd, err = overlay(geom.Intersection, ab[0], ab[1]); err != nil {
				continue
			}
			bnd = snapMicro(bnd)
			if bndArea = geomArea(bnd); math.Abs(bndArea-want) > eps(want) {
				err = fmt.Errorf("the boundary clipped to the tile has %.4f m², expected %.4f m²", bndArea, want)
				continue
			}
			break
		}
		if err != nil {
			return fail("clipping the boundary: %v", err)
		}
	} else if c.bdParity(ipt{(ib.minX + ib.maxX) / 2, (ib.minY + ib.maxY) / 2}) {
		bnd, bndArea = rectG, rf.area()
	}

	// Lots and their areas within the boundary's part.
	var ks []int
	c.lotsMeeting(ib, func(k int) {
		if c.lots[k].bb.overlaps(ib) {
			ks = append(ks, k)
		}
	})
	slices.Sort(ks)
	var gs []geom.Geometry
	sum := 0.0 // area of the union of the lots within bnd
	inUnion := func(k int) *cluster {
		if c.clusterOf == nil || c.clusterOf[k] < 0 {
			return nil
		}
		if cl := c.clusters[c.clusterOf[k]]; cl.union {
			return cl
		}
		return nil
	}
	// The lots' areas in the tile inside and outside bnd bound the terms
	// an overlay could not give (see within).
	parts := make(map[int]lotPart, len(ks))
	for _, k := range ks {
		switch a := clip.shape(&c.lots[k].shape); c.lots[k].status {
		case statusInside:
			parts[k] = lotPart{in: a}
		case statusOutside:
			parts[k] = lotPart{out: a}
		}
	}
	unc := 0.0 // how far the terms bounded rather than measured may be off
	seen := map[*cluster]bool{}
	var unions []*cluster
	for _, k := range ks {
		l := c.lots[k]
		cl := inUnion(k)
		if cl != nil && !seen[cl] {
			// The cluster's union stands for its lots, in the identity and
			// in the overlay; its area within bnd once every lot is split.
			seen[cl] = true
			unions = append(unions, cl)
			gs = append(gs, cl.g)
		}
		switch l.status {
		case statusOutside:
			continue
		case statusInside:
			if cl == nil {
				sum += parts[k].in
			}
		case statusCrossing:
			in, out, err := c.split(l, bnd, rf, clip.shape(&l.shape))
			if err != nil {
				return fail("lot %s against the boundary: %v", c.feats[l.feat].name, err)
			}
			ai := geomArea(in)
			if cl == nil {
				sum += ai
			}
			ao := 0.0
			for _, p := range polygonsSF(out) {
				res.outs = append(res.outs, outPiece{lot: k, area: polyArea(p), at: xyOf(p.PointOnSurface())})
				ao += polyArea(p)
			}
			parts[k] = lotPart{ai, ao}
		}
		if cl == nil {
			gs = append(gs, l.sf())
		}
	}
	if bnd.IsEmpty() {
		return res
	}
	for _, cl := range unions {
		a, u, err := c.within(clip, cl.g, bnd, parts, true, cl.lots...)
		if err != nil {
			return fail("overlapping lots within the boundary: %v", err)
		}
		sum, unc = sum+a, unc+u
	}

	// Inclusion–exclusion over the clusters that were not replaced by their union.
	for _, o := range c.overlaps {
		if o.bb.overlaps(ib) && inUnion(o.i) == nil && !c.anyOutside(o.i, o.j) {
			a, u, err := c.within(clip, o.g, bnd, parts, false, o.i, o.j)
			if err != nil {
				return fail("overlap of lots %s and %s within the boundary: %v",
					c.feats[c.lots[o.i].feat].name, c.feats[c.lots[o.j].feat].name, err)
			}
			sum, unc = sum-a, unc+u
		}
	}
	for _, o := range c.triples {
		if o.bb.overlaps(ib) && !c.anyOutside(o.k[:]...) {
			a, u, err := c.within(clip, o.g, bnd, parts, false, o.k[:]...)
			if err != nil {
				return fail("triple overlap within the boundary: %v", err)
			}
			sum, unc = sum+a, unc+u
		}
	}
	want := bndArea - sum
	slack := eps(bndArea) + unc
	ok := func(a float64) bool { return math.Abs(a-want) <= slack }

	// The gaps: boundary part minus the union of the lots, at once; then,
	// if the identity fails, lot by lot.
	gaps, err := c.subtractAll(bnd, gs)
	gotArea := geomArea(gaps)
	if err != nil || !ok(gotArea) {
		gaps, err = c.subtractEach(bnd, gs)
		if err != nil {
			return fail("%v", err)
		}
		if a := geomArea(gaps); !ok(a) {
			return fail("gaps of %.4f m² found, the area identity expects %.4f m²", a, want)
		}
	}
	for _, p := range polygonsSF(gaps) {
		pc := piece{area: polyArea(p), at: xyOf(p.PointOnSurface())}
		pc.sides = sides(p, rf)
		pc.nbrs = c.neighbours(p, ks)
		res.pieces = append(res.pieces, pc)
	}
	return res
}

// split cuts lot l's part in the tile r into its parts inside and outside
// the boundary's part bnd, checking that their areas add up to want, the
// lot's area in the tile. It tries two formulations: l − (bnd ∪ frame) in
// one overlay, then (l ∩ tile) − bnd.
func (c *checker) split(l *lot, bnd geom.Geometry, r rectF, want float64) (in, out geom.Geometry, err error) {
	rectG := r.geometry()
	if bnd.IsEmpty() {
		out, err = overlay(geom.Intersection, l.sf(), rectG)
		if err == nil && math.Abs(geomArea(out)-want) > eps(want) {
			err = fmt.Errorf("its part in the tile has %.4f m², expected %.4f m²", geomArea(out), want)
		}
		return geom.Geometry{}, out, err
	}
	if in, err = overlay(geom.Intersection, l.sf(), bnd); err != nil {
		return in, out, err
	}
	ai := geomArea(in)
	tries := []func() (geom.Geometry, error){
		func() (geom.Geometry, error) {
			hide := geom.NewGeometryCollection([]geom.Geometry{bnd, frameAround(r, l.bb)}).AsGeometry()
			return overlay(geom.Difference, l.sf(), hide)
		},
		func() (geom.Geometry, error) {
			part, err := overlay(geom.Intersection, l.sf(), rectG)
			if err != nil {
				return part, err
			}
			return overlay(geom.Difference, part, bnd)
		},
	}
	for _, try := range tries {
		if out, err = try(); err != nil {
			continue
		}
		if ao := geomArea(out); math.Abs(ai+ao-want) > eps(want) {
			err = fmt.Errorf("%.4f m² inside + %.4f m² outside the boundary ≠ %.4f m² in the tile", ai, ao, want)
			continue
		}
		return in, out, nil
	}
	return in, out, err
}

// snapMicro snaps an overlay result to a 1 µm grid, which puts points that
// simplefeatures computed on a tile line (whole metres) back exactly on it;
// left as is if snapping would make it invalid.
func snapMicro(g geom.Geometry) geom.Geometry {
	s := g.SnapToGrid(6)
	if s.Validate() != nil {
		return g
	}
	return s
}

// lotPart is a lot's area in a tile inside and outside the boundary's part
// of the tile.
type lotPart struct{ in, out float64 }

// maxUncertain, in m², is how far a term of a tile's area identity may be
// off when bounds stand in for an overlay that failed its check (see
// within): the size of the identity's own slack.
const maxUncertain = 1e-3

// within is the area of g inside the boundary's part bnd of the tile, and
// how far it may be off. g is the union of the lots ks (union) or their
// common ground. It is clipped to the tile when all those lots lie inside
// the boundary, 0 when all lie outside, else an overlay checked by
// area(g ∩ bnd) + area(g − bnd) = area(g) and area(g ∩ bnd) ≤ the area of
// g in the tile, on moved operands again if need be (see overlay).
//
// That overlay is not robust where a boundary side passes nanometres from
// a vertex of a thin g, such as the sliver two lots share when one is drawn
// with only its corners on the other's sides (sides the projection bends
// by micrometres): simplefeatures returned the whole of bnd. Then the lots'
// own parts inside and outside bnd (parts) bound the area: common ground
// lies in each lot, so its part inside bnd is at most each lot's part
// inside, and its part outside at most each lot's part outside (a union:
// at most their sums). Bounds within maxUncertain of each other stand for
// the area by their middle, off by at most half their distance; wider
// ones leave the overlay's error.
func (c *checker) within(clip *clipper, g, bnd geom.Geometry, parts map[int]lotPart, union bool, ks ...int) (float64, float64, error) {
	var in, out int
	for _, k := range ks {
		switch c.lots[k].status {
		case statusInside:
			in++
		case statusOutside:
			out++
		}
	}
	switch {
	case in == len(ks):
		return clip.geometry(g), 0, nil
	case out == len(ks):
		return 0, 0, nil
	}
	inTile := clip.geometry(g)
	x, y := g, bnd
	if c.opt.hook != nil {
		gs := c.opt.hook("within", []geom.Geometry{g, bnd})
		x, y = gs[0], gs[1]
	}
	a, err := checkedWithin(x, y, inTile)
	for _, d := range retryShifts {
		if err == nil {
			return a, 0, nil
		}
		a, err = checkedWithin(move(x, d), move(y, d), inTile)
	}
	if err == nil {
		return a, 0, nil
	}
	lo, hi := 0.0, inTile
	if union {
		var sin, sout float64
		for _, k := range ks {
			p, ok := parts[k]
			if !ok {
				return 0, 0, err
			}
			sin, sout = sin+p.in, sout+p.out
		}
		lo, hi = max(lo, inTile-sout), min(hi, sin)
	} else {
		for _, k := range ks {
			p, ok := parts[k]
			if !ok {
				return 0, 0, err
			}
			lo, hi = max(lo, inTile-p.out), min(hi, p.in)
		}
	}
	if hi < lo-eps(inTile) || hi-lo > maxUncertain {
		return 0, 0, err
	}
	return (lo + hi) / 2, max(0, hi-lo) / 2, nil
}

// checkedWithin is area(g ∩ bnd), from either order of the operands, after
// checking it against area(g − bnd) and the area inTile of g in the tile.
func checkedWithin(g, bnd geom.Geometry, inTile float64) (float64, error) {
	out, err := overlay(geom.Difference, g, bnd)
	if err != nil {
		return 0, err
	}
	ag, ao := geomArea(g), geomArea(out)
	for _, ab := range [2][2]geom.Geometry{{g, bnd}, {bnd, g}} {
		var x geom.Geometry
		if x, err = overlay(geom.Intersection, ab[0], ab[1]); err != nil {
			continue
		}
		ai := geomArea(x)
		if math.Abs(ai+ao-ag) > eps(ag) || ai > inTile+eps(inTile) {
			err = fmt.Errorf("areas do not add up: %.4f m² inside + %.4f m² outside the boundary ≠ %.4f m²", ai, ao, ag)
			continue
		}
		return ai, nil
	}
	return 0, err
}

// anyOutside reports whether one of the lots ks lies wholly outside the
// boundary, and so does their common ground.
func (c *checker) anyOutside(ks ...int) bool {
	for _, k := range ks {
		if c.lots[k].status == statusOutside {
			return true
		}
	}
	return false
}

func xyOf(p geom.Point) geom.XY {
	xy, _ := p.XY()
	return xy
}

// frameAround is a rectangle with the tile r as its hole, large enough to
// hold the box b of a lot: subtracting it and the boundary's part of the tile
// from the lot leaves the lot's part in the tile outside the boundary.
func frameAround(r rectF, b ibox) geom.Geometry {
	lb := rectOf(b)
	x0, y0 := math.Min(r.x0, lb.x0)-1, math.Min(r.y0, lb.y0)-1
	x1, y1 := math.Max(r.x1, lb.x1)+1, math.Max(r.y1, lb.y1)+1
	ring := func(c ...float64) geom.LineString {
		return geom.NewLineString(geom.NewSequence(c, geom.DimXY))
	}
	return geom.NewPolygon([]geom.LineString{
		ring(x0, y0, x1, y0, x1, y1, x0, y1, x0, y0),
		ring(r.x0, r.y0, r.x0, r.y1, r.x1, r.y1, r.x1, r.y0, r.x0, r.y0),
	}).AsGeometry()
}

// subtractAll is bnd minus the union of gs in one overlay.
func (c *checker) subtractAll(bnd geom.Geometry, gs []geom.Geometry) (geom.Geometry, error) {
	if c.opt.hook != nil {
		gs = c.opt.hook("union", gs)
	}
	if len(gs) == 0 {
		return bnd, nil
	}
	return overlay(geom.Difference, bnd, geom.NewGeometryCollection(gs).AsGeometry())
}

// subtractEach is bnd minus each of gs in turn.
func (c *checker) subtractEach(bnd geom.Geometry, gs []geom.Geometry) (geom.Geometry, error) {
	if c.opt.hook != nil {
		gs = c.opt.hook("each", gs)
	}
	rest := bnd
	for _, g := range gs {
		if rest.IsEmpty() {
			break
		}
		if err := c.ctx.Err(); err != nil {
			return rest, err
		}
		if !rest.Envelope().Intersects(g.Envelope()) {
			continue
		}
		var err error
		if rest, err = overlay(geom.Difference, rest, g); err != nil {
			return rest, err
		}
	}
	return rest, nil
}

// sides lists where p runs along the four lines of the tile r.
func sides(p geom.Polygon, r rectF) [4][][2]float64 {
	const onLine = 1e-6 // m; tile lines are whole metres, overlay points land within ulps
	var out [4][][2]float64
	lines := [4]struct {
		axis int
		v    float64
	}{{0, r.x0}, {0, r.x1}, {1, r.y0}, {1, r.y1}}
	for _, seq := range p.Coordinates() {
		for k := 0; k+1 < seq.Length(); k++ {
			a, b := seq.GetXY(k), seq.GetXY(k+1)
			for s, l := range lines {
				av, bv, aw, bw := a.X, b.X, a.Y, b.Y
				if l.axis == 1 {
					av, bv, aw, bw = a.Y, b.Y, a.X, b.X
				}
				if math.Abs(av-l.v) <= onLine && math.Abs(bv-l.v) <= onLine && aw != bw {
					out[s] = append(out[s], [2]float64{math.Min(aw, bw), math.Max(aw, bw)})
				}
			}
		}
	}
	return out
}

// neighbours lists the lots among ks that share a stretch of boundary with
// p: the midpoint of an edge of p lies within 1 mm of one of their edges.
// Lots touching p at a corner only are not neighbours.
func (c *checker) neighbours(p geom.Polygon, ks []int) []int {
	pb := boxOf(p.AsGeometry())
	var out []int
	for _, k := range ks {
		l := c.lots[k]
		if l.bb.meets(pb) && sharesEdge(p, &l.shape, 2) {
			out = append(out, k)
		}
	}
	return out
}

// sharesEdge reports whether the midpoint of an edge of p lies within d
// half-millimetres of an edge of sh.
func sharesEdge(p geom.Polygon, sh *shape, d float64) bool {
	for _, seq := range p.Coordinates() {
		for k := 0; k+1 < seq.Length(); k++ {
			a, b := seq.GetXY(k), seq.GetXY(k+1)
			x, y := (a.X+b.X)/2*unitsPerMetre, (a.Y+b.Y)/2*unitsPerMetre
			for _, q := range sh.polys {
				if x < float64(q.bb.minX)-d || x > float64(q.bb.maxX)+d || y < float64(q.bb.minY)-d || y > float64(q.bb.maxY)+d {
					continue
				}
				for _, r := range q.rings {
					prev := r[len(r)-1]
					for _, v := range r {
						if segDist2(x, y, prev, v) <= d*d {
							return true
						}
						prev = v
					}
				}
			}
		}
	}
	return false
}

func segDist2(x, y float64, a, b ipt) float64 {
	ax, ay, bx, by := float64(a.x), float64(a.y), float64(b.x), float64(b.y)
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((x-ax)*dx+(y-ay)*dy)/l))
	}
	ex, ey := ax+t*dx-x, ay+t*dy-y
	return ex*ex + ey*ey
}

// reportGaps joins gap pieces that continue across a tile line and reports
// each gap of at least the tolerance.
func (c *checker) reportGaps(g grid, tiles []int, outs []tileResult) {
	at := map[int]int{} // tile → index in tiles
	base := make([]int, len(tiles)+1)
	for i, t := range tiles {
		at[t] = i
		base[i+1] = base[i] + len(outs[i].pieces)
	}
	parent := make([]int, base[len(tiles)])
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	join := func(i, side, j, other int) {
		for a, pa := range outs[i].pieces {
			for b, pb := range outs[j].pieces {
				if shareInterval(pa.sides[side], pb.sides[other]) {
					parent[find(base[i]+a)] = find(base[j] + b)
				}
			}
		}
	}
	for i, t := range tiles {
		if t%g.nx+1 < g.nx {
			if j, ok := at[t+1]; ok {
				join(i, 1, j, 0)
			}
		}
		if j, ok := at[t+g.nx]; ok {
			join(i, 3, j, 2)
		}
	}
	type gap struct {
		area, best float64
		at         geom.XY
		nbrs       map[int]bool
	}
	gaps := map[int]*gap{}
	var roots []int
	for i := range tiles {
		for a, p := range outs[i].pieces {
			r := find(base[i] + a)
			gp := gaps[r]
			if gp == nil {
				gp = &gap{best: -1, nbrs: map[int]bool{}}
				gaps[r] = gp
				roots = append(roots, r)
			}
			gp.area += p.area
			if p.area > gp.best {
				gp.best, gp.at = p.area, p.at
			}
			for _, k := range p.nbrs {
				gp.nbrs[k] = true
			}
		}
	}
	for _, r := range roots {
		gp := gaps[r]
		if gp.area < c.tol {
			continue
		}
		var ks []int
		for k := range gp.nbrs {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		var ids, names []string
		for _, k := range ks {
			ft := c.feats[c.lots[k].feat]
			ids, names = append(ids, ft.id), append(names, ft.name)
		}
		slices.Sort(names)
		msg := fmt.Sprintf("gap of %s inside the plan boundary", fmtArea(gp.area))
		switch len(names) {
		case 0:
		case 1:
			msg = fmt.Sprintf("gap of %s next to lot %s", fmtArea(gp.area), names[0])
		default:
			msg = fmt.Sprintf("gap of %s between lots %s", fmtArea(gp.area), nameList(names))
		}
		c.add(Finding{Kind: KindGap, IDs: ids, AreaM2: gp.area, At: c.fr.global(gp.at), Message: msg})
	}
}

func shareInterval(a, b [][2]float64) bool {
	for _, x := range a {
		for _, y := range b {
			if math.Min(x[1], y[1])-math.Max(x[0], y[0]) > 1e-6 {
				return true
			}
		}
	}
	return false
}

// reportOutside reports lots wholly outside the boundary and the parts of
// crossing lots found outside it, tile by tile.
func (c *checker) reportOutside(outs []tileResult) {
	type part struct {
		area, best float64
		at         geom.XY
	}
	parts := map[int]*part{}
	for _, o := range outs {
		for _, p := range o.outs {
			pt := parts[p.lot]
			if pt == nil {
				pt = &part{best: -1}
				parts[p.lot] = pt
			}
			pt.area += p.area
			if p.area > pt.best {
				pt.best, pt.at = p.area, p.at
			}
		}
	}
	for k, l := range c.lots {
		ft := c.feats[l.feat]
		switch l.status {
		case statusOutside:
			if l.area >= c.tol {
				c.add(Finding{Kind: KindOutside, IDs: []string{ft.id}, AreaM2: l.area, At: c.lotPoint(k),
					Message: fmt.Sprintf("lot %s lies outside the plan boundary (%s)", ft.name, fmtArea(l.area))})
			}
		case statusCrossing:
			pt := parts[k]
			if pt == nil || pt.area < c.tol {
				continue
			}
			msg := fmt.Sprintf("lot %s extends %s outside the plan boundary", ft.name, fmtArea(pt.area))
			if pt.area >= l.area-eps(l.area) {
				msg = fmt.Sprintf("lot %s lies outside the plan boundary (%s)", ft.name, fmtArea(pt.area))
			}
			c.add(Finding{Kind: KindOutside, IDs: []string{ft.id}, AreaM2: pt.area, At: c.fr.global(pt.at), Message: msg})
		}
	}
}
