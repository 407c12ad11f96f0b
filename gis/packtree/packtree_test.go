package packtree

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// search collects what t finds for q, sorted.
func search(t *Tree, q Box) []int32 {
	var got []int32
	t.Search(q, func(i int32) bool { got = append(got, i); return true })
	slices.Sort(got)
	return got
}

// brute is what a search of q must find among boxes.
func brute(boxes []Box, q Box) []int32 {
	var want []int32
	for i, b := range boxes {
		if q.meets(b) {
			want = append(want, int32(i))
		}
	}
	return want
}

func TestSearchFindsWhatMeets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 15, 16, 17, 255, 256, 257, 4097, 20000} {
		boxes := make([]Box, n)
		for i := range boxes {
			x, y := r.Float64()*1000, r.Float64()*1000
			boxes[i] = Box{x, y, x + r.Float64()*20, y + r.Float64()*20}
		}
		tr := Build(n, func(i int) Box { return boxes[i] })
		if tr.Len() != n {
			t.Fatalf("n=%d: Len %d", n, tr.Len())
		}
		for k := range 200 {
			x, y := r.Float64()*1100-50, r.Float64()*1100-50
			s := r.Float64() * 300
			if k%50 == 0 {
				s = 5000 // all of it
			}
			q := Box{x, y, x + s, y + s}
			if k%7 == 0 { // a point, on an item's corner: edges count
				if n > 0 {
					b := boxes[r.IntN(n)]
					q = Box{b[2], b[3], b[2], b[3]}
				}
			}
			if got, want := search(tr, q), brute(boxes, q); !slices.Equal(got, want) {
				t.Fatalf("n=%d q=%v: found %d items, want %d", n, q, len(got), len(want))
			}
		}
		if b, ok := tr.Bound(); n > 0 && (!ok || !tr.Covers(b) || tr.Covers(Box{b[0] + 1, b[1], b[2], b[3]})) {
			t.Fatalf("n=%d: bound %v %v", n, b, ok)
		}
	}
}

// Items all at one point, on a line, with NaN or infinite boxes: nothing
// is lost, a NaN box meets nothing.
func TestDegenerateBoxes(t *testing.T) {
	nan := math.NaN()
	cases := map[string][]Box{
		"one point": slices.Repeat([]Box{{5, 5, 5, 5}}, 100),
		"a line": func() []Box {
			var b []Box
			for i := range 100 {
				b = append(b, Box{float64(i), 3, float64(i) + 1, 3})
			}
			return b
		}(),
		"NaN": {{0, 0, 1, 1}, {nan, nan, nan, nan}, {2, 2, 3, 3}},
		"NaN among many": func() []Box { // it must not hide its node's other items
			var b []Box
			for i := range 300 {
				b = append(b, Box{float64(i % 20), float64(i / 20), float64(i%20) + 0.5, float64(i/20) + 0.5})
			}
			b[37], b[150] = Box{nan, 1, 2, nan}, Box{nan, nan, nan, nan}
			return b
		}(),
		"infinite": {{0, 0, 1, 1}, {math.Inf(-1), 0, math.Inf(1), 1}, {2, 2, 3, 3}},
	}
	for name, boxes := range cases {
		tr := Build(len(boxes), func(i int) Box { return boxes[i] })
		for _, q := range []Box{{-10, -10, 10, 10}, {0.5, 0.5, 0.6, 0.6}, {5, 5, 5, 5}, {2.5, 2.5, 200, 200}} {
			if got, want := search(tr, q), brute(boxes, q); !slices.Equal(got, want) {
				t.Errorf("%s q=%v: %v, want %v", name, q, got, want)
			}
			if tr.Covers(q) && len(brute(boxes, q)) != len(boxes) {
				t.Errorf("%s q=%v: covers, but a search finds %d of %d", name, q, len(brute(boxes, q)), len(boxes))
			}
		}
	}
}

func TestSearchStopsWhenAsked(t *testing.T) {
	boxes := make([]Box, 1000)
	for i := range boxes {
		boxes[i] = Box{float64(i), 0, float64(i) + 1, 1}
	}
	tr := Build(len(boxes), func(i int) Box { return boxes[i] })
	n := 0
	tr.Search(Box{0, 0, 2000, 1}, func(int32) bool { n++; return n < 10 })
	if n != 10 {
		t.Fatalf("fn called %d times after asking to stop at 10", n)
	}
}

func TestSortHigh32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	keys := make([]uint64, 10000)
	for i := range keys {
		keys[i] = uint64(r.Uint32()%500)<<32 | uint64(i) // many equal: stability
	}
	want := slices.Clone(keys)
	slices.Sort(want)
	sortHigh32(keys)
	if !slices.Equal(keys, want) {
		t.Fatal("not sorted by the high bits, the low ones in order")
	}
}

func BenchmarkBuild100k(b *testing.B) { benchBuild(b, 100_000) }
func BenchmarkBuild1M(b *testing.B)   { benchBuild(b, 1_000_000) }

func benchBuild(b *testing.B, n int) {
	r := rand.New(rand.NewPCG(5, 6))
	side := math.Sqrt(float64(n)) * 30
	boxes := make([]Box, n)
	for i := range boxes {
		x, y := r.Float64()*side, r.Float64()*side
		boxes[i] = Box{x, y, x + 25, y + 25}
	}
	b.ReportAllocs()
	for b.Loop() {
		Build(n, func(i int) Box { return boxes[i] })
	}
}
