package topo

import (
	"maps"
	"math/rand/v2"
	"testing"
)

// TestEdgeCountsIsAMap: random adds, most cancelled soon after (as edges
// of a tiling are), some keys sharing homes, the table growing: the counts
// left are a Go map's, zeros dropped.
func TestEdgeCountsIsAMap(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for round := range 50 {
		tbl, want := newEdgeCounts(), map[ekey]int32{}
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
