package topo

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"

	"quyhoach/gis"
)

// TestEdgeCountsIsAMap: random adds, most cancelled soon after (as edges
// of a tiling are), some keys sharing homes, the table growing: the counts
// left are a Go map's, zeros dropped.
func TestEdgeCountsIsAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		tbl, want := newEdgeCounts(round%3*100), map[ekey]int32{}
		keys := make([]ekey, 1+r.IntN(5000))
		for i := range keys {
			keys[i] = ekey{r.Uint64N(uint64(1 + round*40)), r.Uint64N(1 << 40)}
		}
		for range 20 * len(keys) {
			k := keys[r.IntN(len(keys))]
			s := int32(1)
			if r.IntN(2) == 0 {
				s = -1
			}
			tbl.add(k, s)
			if want[k] += s; want[k] == 0 {
				delete(want, k)
			}
		}
		got := map[ekey]int32{}
		tbl.each(func(k ekey, n int32) { got[k] = n })
		if !maps.Equal(got, want) || tbl.n != len(want) {
			t.Fatalf("round %d: %d counts (n %d), want %d", round, len(got), tbl.n, len(want))
		}
	}
}

// TestEdgeCountsSizedDoNotGrow: a table made for n counts takes them
// without growing (the free-edge sum is poured in its own hash order, which
// would pile up in a table still growing).
func TestEdgeCountsSizedDoNotGrow(t *testing.T) {
	for _, n := range []int{0, 1, 1000, 5000, 100_000} {
		tbl := newEdgeCounts(n)
		shift := tbl.shift
		for i := range n {
			tbl.add(ekey{uint64(i), uint64(i) * 7}, 1)
		}
		if tbl.shift != shift || tbl.n != n {
			t.Errorf("%d counts: the table grew (shift %d → %d) or holds %d", n, shift, tbl.shift, tbl.n)
		}
	}
}

// TestTilesWithoutABoundary: without a boundary the tiles spare overlap
// tests on a tiling (most edges cancel), and are not made for lots parted
// by roads (most edges free: cutting them would cost more than the tests).
func TestTilesWithoutABoundary(t *testing.T) {
	tiled, _ := tiling(20, 5, 40, 0.2, 9)
	var parted []gis.Feature
	for i := range 20 {
		for j := range 20 {
			x, y := float64(i)*50, float64(j)*50
			parted = append(parted, lotF(fmt.Sprint(i, "-", j), rect(x, y, x+40, y+40)))
		}
	}
	for _, tc := range []struct {
		name  string
		lots  []gis.Feature
		tiles bool
	}{{"tiling", tiled, true}, {"parted by roads", parted, false}} {
		l := NewLots(Options{}, len(tc.lots))
		if err := l.Add(context.Background(), tc.lots); err != nil {
			t.Fatal(err)
		}
		c := newChecker(context.Background(), l, nil)
		if err := c.prepare(); err != nil {
			t.Fatal(err)
		}
		if err := c.markTiles(); err != nil {
			t.Fatal(err)
		}
		if (c.tl != nil) != tc.tiles {
			t.Errorf("%s: tiles made %v, want %v", tc.name, c.tl != nil, tc.tiles)
		}
		if c.tl != nil && len(c.tl.tiles) == len(c.tl.need) {
			t.Errorf("%s: every tile needs a look", tc.name)
		}
	}
}
