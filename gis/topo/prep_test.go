package topo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestFirstPoint(t *testing.T) {
	sq := orb.Ring{{1, 2}, {3, 2}, {3, 4}, {1, 2}}
	hole := orb.Ring{{5, 6}, {7, 6}, {7, 8}, {5, 6}}
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		want orb.Point
		ok   bool
	}{
		{"nil", nil, orb.Point{}, false},
		{"point", orb.Point{1, 2}, orb.Point{1, 2}, true},
		{"empty multipoint", orb.MultiPoint{}, orb.Point{}, false},
		{"multilinestring", orb.MultiLineString{{}, {{3, 4}, {5, 6}}}, orb.Point{3, 4}, true},
		{"polygon", orb.Polygon{sq, hole}, orb.Point{1, 2}, true},
		{"polygon with an empty shell", orb.Polygon{{}, hole}, orb.Point{}, false},
		{"multipolygon, first shell empty", orb.MultiPolygon{{{}, hole}, {}, {sq}}, orb.Point{1, 2}, true},
		{"bound", orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}, orb.Point{1, 2}, true},
		{"collection", orb.Collection{orb.Collection{}, orb.LineString{{9, 9}, {1, 1}}}, orb.Point{9, 9}, true},
	} {
		if got, ok := firstPoint(tc.g); got != tc.want || ok != tc.ok {
			t.Errorf("%s: got %v, %v, want %v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// TestMedianIsTheSortedMiddle: median is what sorting gives at len/2, for
// random, sorted, reversed, constant and few-valued inputs of every small
// length and some large ones.
func TestMedianIsTheSortedMiddle(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	inputs := func(n int) [][]float64 {
		rnd, few, up, down, same := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
		for i := range n {
			rnd[i], few[i], up[i], down[i], same[i] = r.NormFloat64()*1e5, float64(r.IntN(3)), float64(i), float64(n-i), 7
		}
		return [][]float64{rnd, few, up, down, same}
	}
	// the smallest value of each range at its middle, range after range (an
	// order built against a selection by the middle element)
	worst := make([]float64, 10_001)
	idx := make([]int, len(worst))
	for i := range idx {
		idx[i] = i
	}
	for lo, v := 0, 0.0; lo < len(idx); lo, v = lo+1, v+1 {
		mid := lo + (len(idx)-1-lo)/2
		worst[idx[mid]] = v
		idx[mid], idx[lo] = idx[lo], idx[mid]
	}
	s := slices.Clone(worst)
	slices.Sort(s)
	if got := median(worst); got != s[len(s)/2] {
		t.Fatalf("an order against the middle element: median %v, want %v", got, s[len(s)/2])
	}
	for _, n := range append([]int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 31, 32, 33}, 1000, 100_001) {
		for _, v := range inputs(n) {
			s := slices.Clone(v)
			slices.Sort(s)
			if got := median(v); got != s[n/2] {
				t.Fatalf("%d values: median %v, sorted middle %v", n, got, s[n/2])
			}
		}
	}
}
