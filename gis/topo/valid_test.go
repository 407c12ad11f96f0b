package topo

import (
	"math"
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
