package scene

import (
	"maps"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"

	"quyhoach/gis/packed"
)

// index is a layer's spatial index of its shapes' bounds: the packed tree
// the layer was built with (gis/packed: built at once, 0.23 s for a
// million lots where inserting them one by one took 1.2 s on the first
// frame's way) and, beside it, what edits changed since — a shape moved or
// gone is stale in the packed tree, a shape moved or added is in a dynamic
// R-tree.
type index struct {
	tree  *packed.Tree        // never changed: the layer's copies share it
	stale map[int32]bool      // packed shapes no longer where it has them
	extra rtree.RTreeG[int32] // shapes placed since the build
}

// build indexes shapes afresh.
func (x *index) build(shapes []Shape) {
	x.tree = packed.New(len(shapes), func(i int) [4]float64 { return box(shapes[i].Bound) })
	x.stale, x.extra = nil, rtree.RTreeG[int32]{}
}

// box is b as the trees take it.
func box(b orb.Bound) [4]float64 { return [4]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} }

// packedLen is the number of shapes the packed tree holds.
func (x *index) packedLen() int {
	if x.tree == nil {
		return 0
	}
	return x.tree.Len()
}

// insert indexes shape i at b.
func (x *index) insert(b orb.Bound, i int32) {
	x.extra.Insert(b.Min, b.Max, i)
}

// delete drops shape i, indexed at b.
func (x *index) delete(b orb.Bound, i int32) {
	if int(i) < x.packedLen() && !x.stale[i] {
		if x.stale == nil {
			x.stale = map[int32]bool{}
		}
		x.stale[i] = true
		return
	}
	x.extra.Delete(b.Min, b.Max, i)
}

// copy is an index the caller may change without changing x.
func (x *index) copy() index {
	return index{tree: x.tree, stale: maps.Clone(x.stale), extra: *x.extra.Copy()}
}

// search calls fn with each shape whose bound meets b, in index order,
// until fn returns false.
func (x *index) search(b orb.Bound, fn func(i int) bool) {
	q := box(b)
	if x.tree != nil && x.tree.Covers(q) && len(x.stale) == 0 && x.extra.Len() == 0 {
		// all of them, nothing to search or sort: labels of a whole plan,
		// a frame of one band (each band of a frame searches its own strip)
		for i := range x.tree.Len() {
			if !fn(i) {
				return
			}
		}
		return
	}
	var hits []int32
	if x.tree != nil {
		x.tree.Search(q, func(i int) bool {
			if !x.stale[int32(i)] {
				hits = append(hits, int32(i))
			}
			return true
		})
	}
	x.extra.Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
		hits = append(hits, i)
		return true
	})
	slices.Sort(hits)
	for _, i := range hits {
		if !fn(int(i)) {
			return
		}
	}
}
