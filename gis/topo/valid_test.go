package topo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

func TestValidate(t *testing.T) {
	sq := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	hole := orb.Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		want string // "" valid; else part of the reason
		at   orb.Point
	}{
		{"square", orb.Polygon{sq}, "", orb.Point{}},
		{"with a hole", orb.Polygon{sq, hole}, "", orb.Point{}},
		{"repeated vertex", orb.Polygon{{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 0}}}, "", orb.Point{}},
		{"bow-tie", orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}, "crosses or touches itself", orb.Point{5, 5}},
		{"two distinct positions", orb.Polygon{{{0, 0}, {5, 5}, {0, 0}, {5, 5}, {0, 0}}}, "2 distinct positions", orb.Point{0, 0}},
		{"100 000 identical positions", orb.Polygon{repeat(orb.Point{3, 3}, 100000)}, "1 distinct positions", orb.Point{3, 3}},
		{"not closed", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}, "not closed", orb.Point{0, 10}},
		{"hole crossing its shell", orb.Polygon{sq, {{8, 8}, {12, 8}, {12, 12}, {8, 12}, {8, 8}}}, "crosses", orb.Point{}},
		{"spike folding back", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {10, 5}, {0, 10}, {0, 0}}}, "crosses", orb.Point{}},
		{"a line", orb.LineString{{0, 0}, {1, 1}}, "not a polygon", orb.Point{}},
		{"nan", orb.Polygon{{{0, 0}, {math.NaN(), 0}, {1, 1}, {0, 0}}}, "not a finite number", orb.Point{}},
		{"large bow-tie", orb.Polygon{bigBowTie(400)}, "crosses or touches itself", orb.Point{}},
		{"very large bow-tie", orb.Polygon{bigBowTie(3000)}, "intersects itself", orb.Point{}},
		{"large valid", orb.Polygon{circle(400)}, "", orb.Point{}},
		{"sides of several vertices", orb.Polygon{{{0, 0}, {5, 0}, {10, 0}, {10, 5}, {10, 10}, {5, 10}, {0, 10}, {0, 0}}}, "", orb.Point{}},
		{"clockwise", orb.Polygon{{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}}, "", orb.Point{}},
		{"pentagram", orb.Polygon{star(5, 2)}, "crosses", orb.Point{}},
		{"twice round", orb.Polygon{append(circle(8)[:8:8], circle(8)...)}, "crosses", orb.Point{}},
		{"straight side folding back", orb.Polygon{{{0, 0}, {10, 0}, {5, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}, "crosses", orb.Point{}},
		{"concave", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {5, 3}, {0, 10}, {0, 0}}}, "", orb.Point{}},
		// traced there and back, a few ulps apart: refused as the comparison
		// of sides refuses it, not passed as convex (R26)
		{"sliver of ulps", orb.Polygon{{{106.70403060520947, 21.009562136937408}, {106.70177900367231, 21.01181373847456},
			{106.70177900367233, 21.011813738474554}, {106.70403060520948, 21.009562136937394}, {106.70403060520947, 21.009562136937408}}},
			"crosses or touches itself", orb.Point{}},
		// almost along one line, each turn a few ulps: too small to tell
		{"turns of ulps", orb.Polygon{{{41720.016004921505, 56703.02404397177}, {-50620.436341666646, -68799.87339072872},
			{-11738.571342980826, -15954.272237679575}, {49089.27460092621, 66718.82191198315}, {41720.016004921505, 56703.02404397177}}},
			"crosses or touches itself", orb.Point{}},
	} {
		got := Validate(tc.g)
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("%s: %v", tc.name, got)
		case tc.want != "" && (got == nil || !strings.Contains(got.Reason, tc.want)):
			t.Errorf("%s: got %v, want %q", tc.name, got, tc.want)
		case tc.want != "" && tc.at != (orb.Point{}) && got.At != tc.at:
			t.Errorf("%s: at %v, want %v", tc.name, got.At, tc.at)
		}
	}
}

func TestRepair(t *testing.T) {
	bow := orb.Polygon{{{0, 0}, {10, 10}, {10, 0}, {0, 10}, {0, 0}}}
	g, what, err := Repair(bow)
	if err != nil {
		t.Fatal(err)
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok || len(mp) != 2 || Validate(g) != nil || math.Abs(gis.Area(g)-50) > 1e-9 || !strings.Contains(what, "2 polygon") {
		t.Fatalf("bow-tie repaired to %v (%s), area %v", g, what, gis.Area(g))
	}
	holed := orb.Polygon{{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {3, 3}, {2, 2}, {3, 3}, {2, 2}}}
	g, what, err = Repair(holed)
	if err != nil || Validate(g) != nil || len(g.(orb.Polygon)) != 1 || !strings.Contains(what, "degenerate hole dropped") {
		t.Fatalf("degenerate hole: %v %q %v", g, what, err)
	}
	g, what, err = Repair(orb.Polygon{bigBowTie(400)})
	if err != nil || Validate(g) != nil || len(g.(orb.MultiPolygon)) != 2 {
		t.Fatalf("figure-eight: %v %q %v", g, what, err)
	}
	if _, _, err := Repair(orb.Polygon{repeat(orb.Point{3, 3}, 10)}); err == nil {
		t.Fatal("a shell of one position repaired")
	}
}

// TestConvexOnlyWhenNothingCrosses: the quick test says convex only of
// rings the comparison of sides finds nothing in, and says it of every
// convex ring: random rings (most cross themselves), their convex hulls,
// and those with a vertex pushed in or out.
func TestConvexOnlyWhenNothingCrosses(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	said := 0
	// check holds convex to crossing for r and counts the rings told convex
	check := func(r orb.Ring) {
		t.Helper()
		if convex(r) {
			said++
			if at, ok := crossing([]orb.Polygon{{r}}); ok {
				t.Fatalf("%v told convex, but its sides meet at %v", r, at)
			}
		}
	}
	// nudge moves each coordinate of p by up to most ulps either way
	nudge := func(p orb.Point, most int) orb.Point {
		for k := range p {
			for range rng.IntN(most + 1) {
				p[k] = math.Nextafter(p[k], math.Inf(rng.IntN(2)*2-1))
			}
		}
		return p
	}
	for range 20000 {
		n := 3 + rng.IntN(12)
		pts := make(orb.Ring, n)
		for i := range pts {
			pts[i] = orb.Point{float64(rng.IntN(20)), float64(rng.IntN(20))}
		}
		rings := []orb.Ring{append(pts, pts[0])}
		if h := hull(pts); len(h) > 3 {
			if !convex(h) {
				t.Fatalf("a convex hull %v not told convex", h)
			}
			dent := slices.Clone(h)
			k := rng.IntN(len(dent) - 1)
			dent[k] = orb.Point{dent[k][0] + float64(rng.IntN(9)-4), dent[k][1] + float64(rng.IntN(9)-4)}
			if k == 0 {
				dent[len(dent)-1] = dent[0]
			}
			rings = append(rings, h, dent)
		}
		for _, r := range rings {
			check(r)
		}
	}
	if said < 10000 {
		t.Fatalf("only %d rings told convex", said)
	}
	// in floating point, where rounding can decide: squares and slivers at
	// lon/lat, grid and subnormal coordinates, their corners moved by a few
	// ulps, of sides from 1e-18 to 1e3 times their coordinates
	said = 0
	bases := []orb.Point{{106.123456789, 21.987654321}, {432100.5, 2412000.25}, {0, 0}}
	for range 200000 {
		base := bases[rng.IntN(len(bases))]
		side := math.Pow(10, float64(rng.IntN(21)-18)) * (1 + math.Abs(base[0]))
		corners := []orb.Point{base, {base[0] + side, base[1]}, {base[0] + side, base[1] + side}, {base[0], base[1] + side}}
		if rng.IntN(2) == 0 { // a sliver: the far side a few ulps to a tenth of a side away
			h := side * math.Pow(10, -float64(rng.IntN(17)))
			corners = []orb.Point{base, {base[0] + side, base[1]}, {base[0] + side, base[1] + h}, {base[0], base[1] + h}}
		}
		r := make(orb.Ring, 0, 6)
		for range 3 + rng.IntN(3) {
			r = append(r, nudge(corners[rng.IntN(len(corners))], 3))
		}
		check(append(r, r[0]))
	}
	if said < 5000 {
		t.Fatalf("only %d float rings told convex", said)
	}
	// positions along one line, a few ulps off it: slivers whose turns are
	// rounding's (none is convex; crossing finds most of them touching)
	for range 1_000_000 {
		base := bases[rng.IntN(2)]
		length := 2e-4 * (0.2 + rng.Float64())
		if base[0] > 1000 {
			length = 30 * (0.2 + rng.Float64())
		}
		a := rng.Float64() * 2 * math.Pi
		r := make(orb.Ring, 0, 6)
		for i := range 3 + rng.IntN(3) {
			d := rng.Float64() * length * float64(min(i, 1))
			r = append(r, nudge(orb.Point{base[0] + d*math.Cos(a), base[1] + d*math.Sin(a)}, 5))
		}
		check(append(r, r[0]))
	}
}

// hull is the convex hull of pts as a closed ring, counter-clockwise, no
// vertex on a side (Andrew's monotone chain).
func hull(pts []orb.Point) orb.Ring {
	ps := slices.Clone(pts)
	slices.SortFunc(ps, func(a, b orb.Point) int {
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		return cmp.Compare(a[1], b[1])
	})
	ps = slices.Compact(ps)
	var h orb.Ring
	for pass := 0; pass < 2; pass++ {
		start := len(h)
		for _, p := range ps {
			for len(h) >= start+2 && orient2(h[len(h)-2], h[len(h)-1], p) <= 0 {
				h = h[:len(h)-1]
			}
			h = append(h, p)
		}
		h = h[:len(h)-1]
		slices.Reverse(ps)
	}
	return append(h, h[0])
}

// star is the ring through n points of a circle taking every k-th.
func star(n, k int) orb.Ring {
	c := circle(n)
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		r = append(r, c[i*k%n])
	}
	return append(r, r[0])
}

func repeat(p orb.Point, n int) orb.Ring {
	r := make(orb.Ring, n)
	for i := range r {
		r[i] = p
	}
	return r
}

func circle(n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		r = append(r, orb.Point{100 * math.Cos(a), 100 * math.Sin(a)})
	}
	return append(r, r[0])
}

// bigBowTie is a figure-eight of n vertices: two lobes crossing at the origin.
func bigBowTie(n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		r = append(r, orb.Point{100 * math.Sin(a), 50 * math.Sin(2*a)})
	}
	return append(r, r[0])
}

func BenchmarkValidateLot(b *testing.B) {
	lot := orb.Polygon{circle(20)}
	for i := 0; i < b.N; i++ {
		if Validate(lot) != nil {
			b.Fatal("invalid")
		}
	}
}
