package topo

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
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

// TestLotsInBatchesAreOneCall: lots added a batch at a time (as a store
// reads them) are checked exactly as the same lots given at once, for
// batches of every size: overlaps, gaps, lots outside, invalid lots (a
// bow-tie, an unclosed ring, a point, a lot 300 km away), lots without an
// id ("#n" counts across batches) and attributes at fault.
func TestLotsInBatchesAreOneCall(t *testing.T) {
	lots, bnd := tiling(12, 5, 40, 0.2, 3)
	lots[5].Geometry = scaled(lots[5].Geometry.(orb.Polygon), 1.05)
	lots[17].Geometry = scaled(lots[17].Geometry.(orb.Polygon), 1.1)
	lots[30].Geometry = orb.Polygon{ring(0, 0, 10, 10, 10, 0, 0, 10, 0, 0)}
	lots[31].Geometry = orb.Polygon{ring(0, 0, 10, 0, 10, 10)}
	lots[32].Geometry = orb.Point{baseE, baseN}
	lots[33].Geometry = orb.Polygon{ring(300_000, 0, 300_010, 0, 300_010, 10, 300_000, 0)}
	lots = slices.Delete(lots, 60, 61) // a gap
	for _, k := range []int{3, 40, 99} {
		lots[k].ID = ""
	}
	lots[7].Properties = map[string]any{"maDoiTuong": "X", "phanLoai": "??", "matDoXayDung": 140.0}
	opt := Options{KnownClass: func(c string) bool { return c != "??" }}
	for _, b := range []orb.Geometry{bnd, nil} {
		want := check(t, lots, b, opt)
		kinds := []string{KindOverlap, KindInvalid, KindClass, KindIndicator}
		if b != nil {
			kinds = append(kinds, KindGap, KindOutside)
		}
		for _, k := range kinds {
			if len(ofKind(want, k)) == 0 {
				t.Fatalf("no %s among %v", k, want)
			}
		}
		if n := len(ofKind(want, KindInvalid)); n != 4 {
			t.Fatalf("%d invalid lots, want 4: %v", n, want)
		}
		every := opt
		every.everyTile = true // no tile pruned: every pair of lots tested
		if all := check(t, lots, b, every); !reflect.DeepEqual(all, want) {
			t.Fatalf("boundary %v: pruned by tiles %v, every tile %v", b != nil, want, all)
		}
		for _, size := range []int{1, 2, 7, 50, len(lots)} {
			l := NewLots(opt, 3)
			for lo := 0; lo < len(lots); lo += size {
				if err := l.Add(context.Background(), lots[lo:min(lo+size, len(lots))]); err != nil {
					t.Fatal(err)
				}
			}
			if l.Len() != len(lots) {
				t.Fatalf("Len %d, want %d", l.Len(), len(lots))
			}
			got, err := l.Check(context.Background(), b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("boundary %v, batches of %d: findings differ\n got %v\nwant %v", b != nil, size, got, want)
			}
		}
	}
}

// TestTheGridIsTheProjections: a frame only moves the projection's own
// 1 mm grid, so a point snaps to the same place whatever the origin, and
// a shape converted in two frames differs by the frames' distance alone.
func TestTheGridIsTheProjections(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	for range 20_000 {
		p := orb.Point{baseE + r.NormFloat64()*2e4, baseN + r.NormFloat64()*2e4}
		if r.IntN(4) == 0 { // on a half millimetre, where rounding is decided
			p[0] = math.Round(p[0]*1000)/1000 + 0.0005
		}
		g, ok := snapGlobal(p)
		if !ok {
			t.Fatalf("%v did not snap", p)
		}
		for _, o := range [][2]float64{{math.Floor(baseE), math.Floor(baseN)}, {math.Floor(p[0]), math.Floor(p[1])}, {baseE - 5e4, baseN + 3e4}} {
			f := frame{o[0], o[1]}
			q, ok := f.snap(p)
			if !ok {
				t.Fatalf("%v did not snap in frame %v", p, o)
			}
			if at := f.at(); q.x+at.x != g.x || q.y+at.y != g.y {
				t.Fatalf("%v in frame %v: %v, global %v", p, o, q, g)
			}
		}
	}
	for _, p := range []orb.Point{{math.NaN(), 0}, {math.Inf(1), 0}, {0, 1e13}} {
		if _, ok := snapGlobal(p); ok {
			t.Errorf("%v snapped", p)
		}
	}
	if _, ok := (frame{baseE, baseN}).snap(orb.Point{baseE + 250_001, baseN}); ok {
		t.Error("a point 250 km away snapped")
	}
	lot := orb.Polygon{ring(0.0004, 0, 10.0006, 0.3, 10, 10.0005, 0, 10), ring(2, 2, 3, 2, 3, 3, 2, 2)}
	lot[0] = append(lot[0], lot[0][0])
	a, pa := frame{baseE, baseN}.convert(lot)
	b, pb := frame{baseE - 777, baseN + 1234}.convert(lot)
	if pa != nil || pb != nil {
		t.Fatal(pa, pb)
	}
	d := ipt{777 * unitsPerMetre, -1234 * unitsPerMetre}
	for i, r := range a.polys[0].rings {
		for k, q := range r {
			if w := b.polys[0].rings[i][k]; w.x != q.x+d.x || w.y != q.y+d.y {
				t.Fatalf("ring %d point %d: %v and %v", i, k, q, w)
			}
		}
	}
	if a.area != b.area {
		t.Errorf("areas %v and %v", a.area, b.area)
	}
}

// TestAreaOnTheGrid: a shape's area, summed from the grid's integers, is
// simplefeatures' area of the same rings, for random polygons with holes
// and multipolygons.
func TestAreaOnTheGrid(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 11))
	for range 2_000 {
		var mp orb.MultiPolygon
		for k := range 1 + r.IntN(3) {
			x, y := float64(k)*500+r.Float64()*50, r.Float64()*50
			w, h := 20+r.Float64()*300, 20+r.Float64()*300
			p := orb.Polygon{ring(x, y, x+w, y, x+w, y+h, x, y+h, x, y)}
			if r.IntN(2) == 0 {
				p = append(p, ring(x+5, y+5, x+10, y+5, x+8, y+7+r.Float64()*8, x+5, y+5))
			}
			mp = append(mp, p)
		}
		sh, pr := frame{math.Floor(baseE), math.Floor(baseN)}.convert(mp)
		if pr != nil {
			t.Fatal(pr.reason)
		}
		if want := geomArea(sfGeometry(sh.polys)); math.Abs(sh.area-want) > 1e-9*want {
			t.Fatalf("area %v, simplefeatures %v", sh.area, want)
		}
	}
}
