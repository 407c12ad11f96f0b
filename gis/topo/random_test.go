package topo

import (
	"fmt"
	"math"
	"math/rand"
	"slices"
	"sort"
	"strings"
	"testing"

	"quyhoach/gis"
)

// TestRandomRectangles checks Check against an exact oracle: lots and the
// boundary are rectangles on a 10 m grid, so coverage counted cell by cell
// gives every overlap, outside part and gap (a 4-connected set of uncovered
// cells) exactly.
func TestRandomRectangles(t *testing.T) {
	const cell, n = 10.0, 40 // a 400 m square of 10 m cells
	for seed := int64(1); seed <= 40; seed++ {
		rng := rand.New(rand.NewSource(seed))
		count := 5 + rng.Intn(20)
		if seed%4 == 0 {
			count = 150 // several tiles
		}
		type box struct{ x0, y0, x1, y1 int }
		rnd := func(maxSide int) box {
			w, h := 1+rng.Intn(maxSide), 1+rng.Intn(maxSide)
			x, y := rng.Intn(n-w+1), rng.Intn(n-h+1)
			return box{x, y, x + w, y + h}
		}
		bb := box{2 + rng.Intn(5), 2 + rng.Intn(5), n - 2 - rng.Intn(5), n - 2 - rng.Intn(5)}
		var boxes []box
		var lots []gis.Feature
		for i := 0; i < count; i++ {
			b := rnd(12)
			boxes = append(boxes, b)
			lots = append(lots, lotF(fmt.Sprint("R", i),
				rect(float64(b.x0)*cell, float64(b.y0)*cell, float64(b.x1)*cell, float64(b.y1)*cell)))
		}
		bnd := rect(float64(bb.x0)*cell, float64(bb.y0)*cell, float64(bb.x1)*cell, float64(bb.y1)*cell)

		// The oracle.
		in := func(b box, x, y int) bool { return x >= b.x0 && x < b.x1 && y >= b.y0 && y < b.y1 }
		want := map[string]float64{}
		for i := range boxes {
			for j := i + 1; j < len(boxes); j++ {
				w := min(boxes[i].x1, boxes[j].x1) - max(boxes[i].x0, boxes[j].x0)
				h := min(boxes[i].y1, boxes[j].y1) - max(boxes[i].y0, boxes[j].y0)
				if w > 0 && h > 0 {
					ids := []string{lots[i].ID, lots[j].ID}
					slices.Sort(ids)
					want["overlap "+joinIDs(ids)] = float64(w*h) * cell * cell
				}
			}
			out := 0
			for x := boxes[i].x0; x < boxes[i].x1; x++ {
				for y := boxes[i].y0; y < boxes[i].y1; y++ {
					if !in(bb, x, y) {
						out++
					}
				}
			}
			if out > 0 {
				want["outside "+lots[i].ID] = float64(out) * cell * cell
			}
		}
		seen := map[[2]int]bool{}
		var gaps []float64
		for x := bb.x0; x < bb.x1; x++ {
			for y := bb.y0; y < bb.y1; y++ {
				if seen[[2]int{x, y}] || slices.ContainsFunc(boxes, func(b box) bool { return in(b, x, y) }) {
					continue
				}
				cells, stack := 0, [][2]int{{x, y}}
				seen[[2]int{x, y}] = true
				for len(stack) > 0 {
					c := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					cells++
					for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
						q := [2]int{c[0] + d[0], c[1] + d[1]}
						if seen[q] || !in(bb, q[0], q[1]) || slices.ContainsFunc(boxes, func(b box) bool { return in(b, q[0], q[1]) }) {
							continue
						}
						seen[q] = true
						stack = append(stack, q)
					}
				}
				gaps = append(gaps, float64(cells)*cell*cell)
			}
		}
		sort.Float64s(gaps)

		// without the boundary: the same overlaps (the tiles pruned by
		// coverage over lots alone)
		for _, opt := range []Options{{Tolerance: 1e-6}, {Tolerance: 1e-6, lotsPerTile: 3}} {
			got := map[string]float64{}
			for _, f := range check(t, lots, nil, opt) {
				got[f.Kind+" "+joinIDs(f.IDs)] = f.AreaM2
			}
			for k, w := range want {
				if g, ok := got[k]; strings.HasPrefix(k, "overlap ") && (!ok || math.Abs(g-w) > 1e-6) {
					t.Errorf("seed %d, no boundary, %d lots a tile: %s = %v (found %v), want %v", seed, opt.lotsPerTile, k, g, ok, w)
				}
				delete(got, k)
			}
			if len(got) > 0 {
				t.Errorf("seed %d, no boundary: findings not expected: %v", seed, got)
			}
		}
		for _, opt := range []Options{{}, {everyTile: true}, {lotsPerTile: 3}} {
			opt.Tolerance = 1e-6
			every := fmt.Sprintf("%v/%d", opt.everyTile, opt.lotsPerTile)
			fs := check(t, lots, bnd, opt)
			got := map[string]float64{}
			var gotGaps []float64
			for _, f := range fs {
				switch f.Kind {
				case KindGap:
					gotGaps = append(gotGaps, f.AreaM2)
					if !inside(bnd, f.At) {
						t.Errorf("seed %d: gap At %v outside the boundary", seed, f.At)
					}
				case KindOverlap, KindOutside:
					got[f.Kind+" "+joinIDs(f.IDs)] = f.AreaM2
				default:
					t.Errorf("seed %d: unexpected %s: %s", seed, f.Kind, f.Message)
				}
			}
			sort.Float64s(gotGaps)
			if len(got) != len(want) {
				t.Errorf("seed %d tiles=%s: got %d overlaps/outside, want %d", seed, every, len(got), len(want))
			}
			for k, w := range want {
				if g, ok := got[k]; !ok || math.Abs(g-w) > 1e-6 {
					t.Errorf("seed %d tiles=%s: %s = %v (found %v), want %v", seed, every, k, g, ok, w)
				}
			}
			if len(gotGaps) != len(gaps) {
				t.Errorf("seed %d tiles=%s: got gaps %v, want %v", seed, every, gotGaps, gaps)
				continue
			}
			for i := range gaps {
				if math.Abs(gotGaps[i]-gaps[i]) > 1e-6 {
					t.Errorf("seed %d tiles=%s: got gaps %v, want %v", seed, every, gotGaps, gaps)
					break
				}
			}
		}
	}
}

func joinIDs(ids []string) string {
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += " "
		}
		s += id
	}
	return s
}

// TestRandomHolesInATiling removes random lots from an irregular tiling:
// each gap must be a 4-connected group of removed lots, with their area.
func TestRandomHolesInATiling(t *testing.T) {
	const n = 30
	lots, bnd := tiling(n, 5, 40, 0.2, 11)
	for seed := int64(1); seed <= 6; seed++ {
		rng := rand.New(rand.NewSource(seed))
		gone := map[int]bool{}
		for len(gone) < 60 {
			gone[rng.Intn(n*n)] = true
		}
		var kept []gis.Feature
		for k, l := range lots {
			if !gone[k] {
				kept = append(kept, l)
			}
		}
		var want []float64
		seen := map[int]bool{}
		for k := range n * n {
			if !gone[k] || seen[k] {
				continue
			}
			area, stack := 0.0, []int{k}
			seen[k] = true
			for len(stack) > 0 {
				q := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				area += gis.Area(lots[q].Geometry)
				i, j := q/n, q%n
				for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					ii, jj := i+d[0], j+d[1]
					if r := ii*n + jj; ii >= 0 && ii < n && jj >= 0 && jj < n && gone[r] && !seen[r] {
						seen[r] = true
						stack = append(stack, r)
					}
				}
			}
			want = append(want, area)
		}
		sort.Float64s(want)
		for _, opt := range []Options{{}, {everyTile: true}, {lotsPerTile: 3}} {
			fs := check(t, kept, bnd, opt)
			var got []float64
			for _, f := range fs {
				if f.Kind != KindGap {
					t.Fatalf("seed %d: unexpected %s", seed, f.Message)
				}
				got = append(got, f.AreaM2)
			}
			sort.Float64s(got)
			if len(got) != len(want) {
				t.Fatalf("seed %d %+v: got %d gaps %v, want %d %v", seed, opt, len(got), got, len(want), want)
			}
			for i := range want {
				if math.Abs(got[i]-want[i]) > 1e-4 {
					t.Fatalf("seed %d %+v: got gaps %v, want %v", seed, opt, got, want)
				}
			}
		}
	}
}
