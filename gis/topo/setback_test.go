package topo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestSetback(t *testing.T) {
	// a lot on the grid, counter-clockwise, its road side the first edge
	lot := orb.Polygon{{{444000, 2430000}, {444040, 2430000}, {444040, 2430025}, {444000, 2430025}, {444000, 2430000}}}
	l, err := Setback(lot, 0, 6)
	if err != nil {
		t.Fatal(err)
	}
	want := orb.LineString{{444000, 2430006}, {444040, 2430006}}
	for i := range want {
		if math.Hypot(l[i][0]-want[i][0], l[i][1]-want[i][1]) > 1e-6 {
			t.Fatalf("setback line %v, want %v", l, want)
		}
	}
	// the same lot clockwise: still inward
	cw := orb.Polygon{{{444000, 2430000}, {444000, 2430025}, {444040, 2430025}, {444040, 2430000}, {444000, 2430000}}}
	l, err = Setback(cw, 3, 6) // the south side, east to west
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l[0][1]-2430006) > 1e-6 || l[0][0] < l[1][0] {
		t.Errorf("clockwise lot: %v (runs as its side, 6 m north of it)", l)
	}
	// a slanted side: the line stays parallel, at the distance
	tri := orb.Polygon{{{0, 0}, {30, 10}, {0, 40}, {0, 0}}}
	l, err = Setback(tri, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range l {
		if d := distToLine(q, tri[0][0], tri[0][1]); math.Abs(d-3) > 1e-6 {
			t.Errorf("point %v at %v m from the side, want 3", q, d)
		}
	}
	if _, err := Setback(lot, 0, 30); err == nil {
		t.Error("a setback deeper than the lot drew a line")
	}
	if _, err := Setback(lot, 7, 3); err == nil {
		t.Error("side 7 of a 4-sided lot accepted")
	}
	if _, err := Setback(lot, 0, -1); err == nil {
		t.Error("a negative setback accepted")
	}
	// an L-shaped lot: the line meets the notch and keeps the piece facing the side
	ell := orb.Polygon{{{0, 0}, {40, 0}, {40, 10}, {20, 10}, {20, 30}, {0, 30}, {0, 0}}}
	l, err = Setback(ell, 5, 5) // the west side, going south: 5 m east of it
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(l[0][0]-5) > 1e-6 || math.Abs(l[1][0]-5) > 1e-6 || math.Abs(math.Abs(l[0][1]-l[1][1])-30) > 1e-6 {
		t.Errorf("L lot: %v", l)
	}
}

func distToLine(p, a, b orb.Point) float64 {
	return math.Abs((b[0]-a[0])*(a[1]-p[1])-(a[0]-p[0])*(b[1]-a[1])) / math.Hypot(b[0]-a[0], b[1]-a[1])
}
