package scene

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// An index edited as update.go edits it — shapes moved, gone, added, on a
// copy while the original stays — finds what a search of the shapes'
// current bounds finds, in index order.
func TestIndexAfterEdits(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	rect := func() orb.Bound {
		x, y := r.Float64()*1000, r.Float64()*1000
		return orb.Bound{Min: orb.Point{x, y}, Max: orb.Point{x + r.Float64()*30, y + r.Float64()*30}}
	}
	bounds := make([]orb.Bound, 3000)
	live := make([]bool, len(bounds))
	shapes := make([]Shape, len(bounds))
	for i := range bounds {
		bounds[i], live[i] = rect(), true
		shapes[i].Bound = bounds[i]
	}
	var x index
	x.build(shapes)
	check := func(x *index, bounds []orb.Bound, live []bool, step int) {
		t.Helper()
		for k := range 40 {
			q := rect()
			q.Max = orb.Point{q.Min[0] + r.Float64()*200, q.Min[1] + r.Float64()*200}
			if k == 0 {
				q = orb.Bound{Min: orb.Point{-1e9, -1e9}, Max: orb.Point{1e9, 1e9}} // the whole view
			}
			var got, want []int
			x.search(q, func(i int) bool { got = append(got, i); return true })
			for i, b := range bounds {
				if live[i] && b.Intersects(q) {
					want = append(want, i)
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("step %d, query %v: %d shapes found, want %d (in index order)", step, q, len(got), len(want))
			}
		}
	}
	check(&x, bounds, live, 0)
	before := slices.Clone(bounds)
	beforeLive := slices.Clone(live)
	y := x.copy()
	for step := 1; step <= 600; step++ {
		switch i := r.IntN(len(bounds)); {
		case step%5 == 0: // added
			bounds = append(bounds, rect())
			live = append(live, true)
			y.insert(bounds[len(bounds)-1], int32(len(bounds)-1))
		case !live[i]:
			continue
		case step%3 == 0: // gone
			y.delete(bounds[i], int32(i))
			live[i] = false
		default: // moved, maybe more than once
			y.delete(bounds[i], int32(i))
			bounds[i] = rect()
			y.insert(bounds[i], int32(i))
		}
		if step%50 == 0 {
			check(&y, bounds, live, step)
		}
	}
	check(&x, before, beforeLive, -1) // the original, untouched by the copy's edits
}
