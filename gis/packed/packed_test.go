package packed

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSearchIsEveryBoxThatMeets: a search finds exactly the boxes that
// meet the query (touching included), each once, for trees of 0 to
// 5 000 boxes — random, on a grid sharing edges and corners, points,
// all one box, empty and NaN ones — and queries of every size, points
// and boxes beyond all of them; and stops when told.
func TestSearchIsEveryBoxThatMeets(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	meets := func(b, q [4]float64) bool {
		return b[0] <= b[2] && b[1] <= b[3] && b[0] <= q[2] && b[1] <= q[3] && b[2] >= q[0] && b[3] >= q[1]
	}
	layouts := map[string]func(n int) [][4]float64{
		"random": func(n int) [][4]float64 {
			out := make([][4]float64, n)
			for i := range out {
				x, y := r.Float64()*1000, r.Float64()*1000
				out[i] = [4]float64{x, y, x + r.Float64()*50, y + r.Float64()*50}
			}
			return out
		},
		"grid": func(n int) [][4]float64 {
			out := make([][4]float64, n)
			for i := range out {
				x, y := float64(i%70)*10, float64(i/70)*10
				out[i] = [4]float64{x, y, x + 10, y + 10}
			}
			return out
		},
		"points and odd ones": func(n int) [][4]float64 {
			out := make([][4]float64, n)
			for i := range out {
				x, y := math.Round(r.Float64()*100), math.Round(r.Float64()*100)
				switch i % 9 {
				case 0:
					out[i] = [4]float64{x, y, x - 1, y} // empty
				case 1:
					out[i] = [4]float64{math.NaN(), y, x, y}
				case 2:
					out[i] = [4]float64{5, 5, 6, 6} // the same box many times
				default:
					out[i] = [4]float64{x, y, x, y}
				}
			}
			return out
		},
	}
	for name, layout := range layouts {
		for _, n := range []int{0, 1, 2, 15, 16, 17, 255, 256, 257, 5000} {
			boxes := layout(n)
			tree := New(n, func(i int) [4]float64 { return boxes[i] })
			for range 300 {
				x, y := r.Float64()*1100-50, r.Float64()*1100-50
				s := []float64{0, 1, 10, 100, 2000}[r.IntN(5)]
				q := [4]float64{x, y, x + s*r.Float64(), y + s*r.Float64()}
				var got, want []int
				tree.Search(q, func(i int) bool { got = append(got, i); return true })
				for i, b := range boxes {
					if meets(b, q) {
						want = append(want, i)
					}
				}
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Fatalf("%s, %d boxes, query %v: found %v, want %v", name, n, q, got, want)
				}
				nan := q
				nan[r.IntN(4)] = math.NaN()
				tree.Search(nan, func(i int) bool { t.Fatalf("%s: a NaN query %v found %d", name, nan, i); return false })
				if len(want) > 1 {
					calls := 0
					tree.Search(q, func(int) bool { calls++; return false })
					if calls != 1 {
						t.Fatalf("%s: %d calls after the first said stop", name, calls)
					}
				}
			}
		}
	}
}

// BenchmarkBuildAndSearch1M: a million lot-sized boxes on a grid, built,
// then each box's neighbours found.
func BenchmarkBuildAndSearch1M(b *testing.B) {
	const n = 1_000_000
	boxes := make([][4]float64, n)
	for i := range boxes {
		x, y := float64(i%300)*50, float64(i/300)*50
		boxes[i] = [4]float64{x, y, x + 50, y + 50}
	}
	for b.Loop() {
		tree := New(n, func(i int) [4]float64 { return boxes[i] })
		found := 0
		for _, q := range boxes {
			tree.Search(q, func(int) bool { found++; return true })
		}
	}
}

// BenchmarkBuild100k and 1M: the window's lots indexed as a scene is
// made (gis/scene's index), random lot-sized boxes.
func BenchmarkBuild100k(b *testing.B) { benchBuild(b, 100_000) }
func BenchmarkBuild1M(b *testing.B)   { benchBuild(b, 1_000_000) }

func benchBuild(b *testing.B, n int) {
	r := rand.New(rand.NewPCG(5, 6))
	side := math.Sqrt(float64(n)) * 30
	boxes := make([][4]float64, n)
	for i := range boxes {
		x, y := r.Float64()*side, r.Float64()*side
		boxes[i] = [4]float64{x, y, x + 25, y + 25}
	}
	b.ReportAllocs()
	for b.Loop() {
		New(n, func(i int) [4]float64 { return boxes[i] })
	}
}

// Covers says a search finds every box: only then, and always for a query
// that holds them all, none empty.
func TestCovers(t *testing.T) {
	grid := make([][4]float64, 300)
	for i := range grid {
		x, y := float64(i%20), float64(i/20)
		grid[i] = [4]float64{x, y, x + 0.5, y + 0.5}
	}
	withEmpty := slices.Clone(grid)
	withEmpty[37] = [4]float64{3, 3, 2, 3}
	for name, boxes := range map[string][][4]float64{"grid": grid, "one empty": withEmpty, "none": nil} {
		tree := New(len(boxes), func(i int) [4]float64 { return boxes[i] })
		if tree.Len() != len(boxes) {
			t.Fatalf("%s: Len %d", name, tree.Len())
		}
		for _, q := range [][4]float64{{-1, -1, 100, 100}, {0, 0, 19.5, 14.5}, {0.1, 0, 19.5, 14.5}, {0, 0, 5, 5}} {
			found := 0
			tree.Search(q, func(int) bool { found++; return true })
			holds := q[0] <= 0 && q[1] <= 0 && q[2] >= 19.5 && q[3] >= 14.5
			covers := tree.Covers(q)
			if covers && found != len(boxes) || holds && name == "grid" && !covers {
				t.Errorf("%s, %v: Covers %v, a search finds %d of %d", name, q, covers, found, len(boxes))
			}
		}
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
