// Package packed is a static R-tree: boxes given once, sorted along a
// Hilbert curve and packed into full nodes level by level (the layout of
// the flatbush library), then searched by box. It is built in a sort
// rather than an insertion per box — a million lots' boxes in a fraction
// of what a dynamic tree takes — and its nodes are full and contiguous,
// so a search touches fewer of them. For what never changes once built:
// the checker's lots (gis/topo).
package packed

import (
	"math"
)

// nodeSize is the number of children of a node.
const nodeSize = 16

// Tree holds n boxes. A Tree is read-only once built: any number of
// goroutines may search it at once.
type Tree struct {
	n     int
	boxes [][4]float64 // leaves first (in Hilbert order), then each level up to the root
	index []int32      // a leaf's item; a node's first child's position
	ends  []int        // position after each level's last node
	full  int          // boxes that are not empty (nor NaN)
}

// New builds the tree of n boxes, box(i) giving the i-th one's minX,
// minY, maxX, maxY. A box whose min is above its max (or NaN) meets
// nothing.
func New(n int, box func(i int) [4]float64) *Tree {
	t := &Tree{n: n}
	if n == 0 {
		return t
	}
	leaves := make([][4]float64, n)
	all := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := range n {
		b := box(i)
		leaves[i] = b
		if b[0] <= b[2] && b[1] <= b[3] {
			all = union(all, b)
		}
	}
	// Each box's centre on a 65 536 × 65 536 grid over all of them, in
	// Hilbert order: neighbours on the ground are neighbours in the tree.
	// A key is the curve's position above the box's number; sorted by the
	// position a byte at a time (a comparison sort took twice as long: 0.36
	// s for a million boxes, the window's first frame waiting on it), the
	// numbers stay in order among equals.
	order := make([]uint64, n)
	w, h := all[2]-all[0], all[3]-all[1]
	for i, b := range leaves {
		var x, y uint32
		if w > 0 {
			x = uint32(math.Max(0, math.Min(65535, math.Floor(65535*((b[0]+b[2])/2-all[0])/w))))
		}
		if h > 0 {
			y = uint32(math.Max(0, math.Min(65535, math.Floor(65535*((b[1]+b[3])/2-all[1])/h))))
		}
		if !(b[0] <= b[2] && b[1] <= b[3]) {
			x, y = 0, 0 // an empty box: anywhere, it meets nothing
		} else {
			t.full++
		}
		order[i] = uint64(hilbert(x, y))<<32 | uint64(i)
	}
	sortHigh32(order)
	size := n
	for m := n; m > 1; {
		m = (m + nodeSize - 1) / nodeSize
		size += m
	}
	if size > math.MaxInt32 { // positions are int32: two billion boxes
		panic("packed: too many boxes")
	}
	t.boxes = make([][4]float64, 0, size)
	t.index = make([]int32, 0, size)
	for _, k := range order {
		i := int32(uint32(k))
		t.boxes = append(t.boxes, leaves[i])
		t.index = append(t.index, i)
	}
	t.ends = append(t.ends, n)
	for start, end := 0, n; end-start > 1; {
		for pos := start; pos < end; pos += nodeSize {
			b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
			for _, c := range t.boxes[pos:min(pos+nodeSize, end)] {
				if c[0] <= c[2] && c[1] <= c[3] {
					b = union(b, c)
				}
			}
			t.boxes = append(t.boxes, b)
			t.index = append(t.index, int32(pos))
		}
		start, end = end, len(t.boxes)
		t.ends = append(t.ends, end)
	}
	return t
}

// sortHigh32 sorts keys by their high 32 bits, a byte at a time, least
// significant first (stable: equal ones keep their order).
func sortHigh32(keys []uint64) {
	tmp := make([]uint64, len(keys))
	src, dst := keys, tmp
	for shift := 32; shift < 64; shift += 8 {
		var count [257]int
		for _, k := range src {
			count[(k>>shift)&0xFF+1]++
		}
		for i := 1; i < 257; i++ {
			count[i] += count[i-1]
		}
		for _, k := range src {
			b := (k >> shift) & 0xFF
			dst[count[b]] = k
			count[b]++
		}
		src, dst = dst, src
	}
	// an even number of passes: the sorted keys are back in keys
}

// Len is the number of boxes the tree was built with.
func (t *Tree) Len() int { return t.n }

// Covers reports whether a search of q finds every box: none is empty
// (or NaN) and q holds them all.
func (t *Tree) Covers(q [4]float64) bool {
	if t.n == 0 || t.full < t.n {
		return false
	}
	b := t.boxes[len(t.boxes)-1] // the root's
	return q[0] <= b[0] && q[1] <= b[1] && q[2] >= b[2] && q[3] >= b[3]
}

func union(a, b [4]float64) [4]float64 {
	return [4]float64{min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])}
}

// Search calls fn with every box that meets q (minX, minY, maxX, maxY;
// touching counts), in no particular order, until fn returns false. A
// query holding NaN meets nothing.
func (t *Tree) Search(q [4]float64, fn func(i int) bool) {
	if t.n == 0 || q[0] != q[0] || q[1] != q[1] || q[2] != q[2] || q[3] != q[3] {
		return
	}
	var stack [64]int // positions of nodes whose children are to be looked at
	todo := append(stack[:0], len(t.boxes)-1)
	for len(todo) > 0 {
		node := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		first, end := node, node+1 // the root alone, then a node's children
		if node >= t.n {
			first = int(t.index[node])
			end = min(first+nodeSize, t.levelEnd(first))
		}
		for pos := first; pos < end; pos++ {
			b := &t.boxes[pos]
			if b[0] > q[2] || b[1] > q[3] || b[2] < q[0] || b[3] < q[1] {
				continue
			}
			if pos < t.n {
				if !(b[0] <= b[2] && b[1] <= b[3]) {
					continue // empty, or NaN
				}
				if !fn(int(t.index[pos])) {
					return
				}
				continue
			}
			todo = append(todo, pos)
		}
	}
}

// levelEnd is the position after the last node of pos's level.
func (t *Tree) levelEnd(pos int) int {
	for _, e := range t.ends {
		if pos < e {
			return e
		}
	}
	return len(t.boxes)
}

// hilbert is the position of (x, y) along the Hilbert curve over a
// 65 536 × 65 536 grid (Rawlins' bit-parallel form, as flatbush has it).
func hilbert(x, y uint32) uint32 {
	a := x ^ y
	b := 0xFFFF ^ a
	c := 0xFFFF ^ (x | y)
	d := x & (y ^ 0xFFFF)

	A := a | (b >> 1)
	B := (a >> 1) ^ a
	C := ((c >> 1) ^ (b & (d >> 1))) ^ c
	D := ((a & (c >> 1)) ^ (d >> 1)) ^ d

	a, b, c, d = A, B, C, D
	A = (a & (a >> 2)) ^ (b & (b >> 2))
	B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2))
	C ^= (a & (c >> 2)) ^ (b & (d >> 2))
	D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2))

	a, b, c, d = A, B, C, D
	A = (a & (a >> 4)) ^ (b & (b >> 4))
	B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4))
	C ^= (a & (c >> 4)) ^ (b & (d >> 4))
	D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4))

	a, b, c, d = A, B, C, D
	C ^= (a & (c >> 8)) ^ (b & (d >> 8))
	D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8))

	a = C ^ (C >> 1)
	b = D ^ (D >> 1)

	i0 := x ^ y
	i1 := b | (0xFFFF ^ (i0 | a))

	i0 = (i0 | (i0 << 8)) & 0x00FF00FF
	i0 = (i0 | (i0 << 4)) & 0x0F0F0F0F
	i0 = (i0 | (i0 << 2)) & 0x33333333
	i0 = (i0 | (i0 << 1)) & 0x55555555

	i1 = (i1 | (i1 << 8)) & 0x00FF00FF
	i1 = (i1 | (i1 << 4)) & 0x0F0F0F0F
	i1 = (i1 | (i1 << 2)) & 0x33333333
	i1 = (i1 | (i1 << 1)) & 0x55555555

	return (i1 << 1) | i0
}
