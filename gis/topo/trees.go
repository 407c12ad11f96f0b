package topo

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/tidwall/rtree"

	"quyhoach/gis/packed"
)

// trees are the bbox indexes: lots (packed once all are known: at a
// million lots a tenth of the inserting's time), and edges of the
// boundary.
type trees struct {
	lotTree *packed.Tree
	bdTree  rtree.RTreeGN[float64, int32]
	bdMaxX  int64
}

func (c *checker) buildTrees() {
	c.lotTree = packed.New(len(c.lots), func(k int) [4]float64 { return c.lots[k].bb.box4() })
	if c.bd != nil {
		c.bdMaxX = c.bd.bb.maxX + 2
		for k, e := range c.bdEdges {
			b := e.box()
			c.bdTree.Insert(b.lo(), b.hi(), int32(k))
		}
	}
}

// lotsMeeting calls fn for every lot whose box meets b, in no particular
// order.
func (c *checker) lotsMeeting(b ibox, fn func(k int)) {
	c.lotTree.Search(b.box4(), func(k int) bool {
		fn(k)
		return true
	})
}

// bdEdgesMeeting appends the boundary edges whose box meets b.
func (c *checker) bdEdgesMeeting(dst []seg, b ibox) []seg {
	c.bdTree.Search(b.lo(), b.hi(), func(_, _ [2]float64, k int32) bool {
		dst = append(dst, c.bdEdges[k])
		return true
	})
	return dst
}

// bdLocate locates q against the boundary region.
func (c *checker) bdLocate(q ipt) int {
	if !c.bd.bb.contains(q) {
		return locOutside
	}
	in, on := false, false
	ray := ibox{q.x, q.y, c.bdMaxX, q.y}
	c.bdTree.Search(ray.lo(), ray.hi(), func(_, _ [2]float64, k int32) bool {
		e := c.bdEdges[k]
		if onSeg(e.a, e.b, q) {
			on = true
			return false
		}
		if crossesRay(e.a, e.b, q) {
			in = !in
		}
		return true
	})
	switch {
	case on:
		return locBoundary
	case in:
		return locInside
	}
	return locOutside
}

// bdParity is the crossing parity of q against the boundary (see crossesRay).
func (c *checker) bdParity(q ipt) bool {
	if !c.bd.bb.contains(q) {
		return false
	}
	in := false
	ray := ibox{q.x, q.y, c.bdMaxX, q.y}
	c.bdTree.Search(ray.lo(), ray.hi(), func(_, _ [2]float64, k int32) bool {
		e := c.bdEdges[k]
		if crossesRay(e.a, e.b, q) {
			in = !in
		}
		return true
	})
	return in
}

// parallel runs fn(0..n-1) on all cores and returns ctx's error if it is
// cancelled on the way. fn must not fail.
func parallel(ctx context.Context, n int, fn func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// chunks splits 0..n-1 into about per-sized ranges for parallel.
func chunks(n, per int) [][2]int {
	var out [][2]int
	for i := 0; i < n; i += per {
		out = append(out, [2]int{i, min(i+per, n)})
	}
	return out
}
