package topo

import (
	"math"
	"math/rand"
	"testing"

	"github.com/paulmach/orb"
)

// TestSimpleShellAgreesWithValidate: on random small rings on a coarse
// grid (so that vertices repeat, sides fold back, touch and cross), a
// shell simpleShell passes is one simplefeatures finds valid, and every
// shell simplefeatures finds valid simpleShell passes: convert gives the
// same verdicts without simplefeatures' validation.
func TestSimpleShellAgreesWithValidate(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	fr := frame{}
	valid, invalid := 0, 0
	for range 20000 {
		n := 3 + rng.Intn(7)
		r := make(orb.Ring, 0, n+1)
		for range n {
			r = append(r, orb.Point{float64(rng.Intn(5)), float64(rng.Intn(5))})
		}
		r = append(r, r[0])
		polys, ok := gridPolys(fr, r)
		if !ok {
			continue // convert refuses it before validation
		}
		err := sfPolygon([]orb.Ring{r}).Validate()
		fast := simpleShell(polys)
		switch {
		case fast && err != nil:
			t.Fatalf("simpleShell passes %v, which simplefeatures refuses: %v", r, err)
		case !fast && err == nil:
			t.Fatalf("simpleShell refuses %v, which simplefeatures finds valid", r)
		case err == nil:
			valid++
		default:
			invalid++
		}
	}
	if valid < 1000 || invalid < 1000 {
		t.Fatalf("%d valid and %d invalid rings: the test needs both", valid, invalid)
	}
	// lot-sized rings: stars around a centre, some with two vertices swapped
	valid, invalid = 0, 0
	for range 5000 {
		n := 10 + rng.Intn(40)
		r := make(orb.Ring, 0, n+1)
		for k := range n {
			a := 2 * math.Pi * (float64(k) + rng.Float64()*0.9) / float64(n)
			d := 20 + rng.Float64()*30
			r = append(r, orb.Point{math.Round(d*math.Cos(a)*4) / 4, math.Round(d*math.Sin(a)*4) / 4})
		}
		if rng.Intn(2) == 0 {
			i, j := rng.Intn(n), rng.Intn(n)
			r[i], r[j] = r[j], r[i]
		}
		r = append(r, r[0])
		polys, ok := gridPolys(fr, r)
		if !ok {
			continue
		}
		err := sfPolygon([]orb.Ring{r}).Validate()
		if fast := simpleShell(polys); fast != (err == nil) {
			t.Fatalf("simpleShell %v, simplefeatures %v, on %v", fast, err, r)
		}
		if err == nil {
			valid++
		} else {
			invalid++
		}
	}
	if valid < 1000 || invalid < 1000 {
		t.Fatalf("%d valid and %d invalid stars: the test needs both", valid, invalid)
	}
}

// gridPolys is the ring as convert holds it (snapped, repeats dropped);
// false when it collapses.
func gridPolys(fr frame, r orb.Ring) ([]ipoly, bool) {
	var ir iring
	for _, q := range r[:len(r)-1] {
		s, _ := fr.snap(q)
		if len(ir) == 0 || ir[len(ir)-1] != s {
			ir = append(ir, s)
		}
	}
	for len(ir) > 1 && ir[len(ir)-1] == ir[0] {
		ir = ir[:len(ir)-1]
	}
	if len(ir) < 3 {
		return nil, false
	}
	return []ipoly{{rings: []iring{ir}}}, true
}

// TestPackedPointsKeepOrder: the packed form of a grid point keeps less's
// order and comes back whole, to the edges of the grid's range.
func TestPackedPointsKeepOrder(t *testing.T) {
	vals := []int64{-maxCoord + 1, -maxCoord / 2, -1, 0, 1, 12345, maxCoord / 2, maxCoord - 1}
	var pts []ipt
	for _, x := range vals {
		for _, y := range vals {
			pts = append(pts, ipt{x, y})
		}
	}
	for _, p := range pts {
		if unpackPt(packPt(p)) != p {
			t.Fatalf("%v comes back as %v", p, unpackPt(packPt(p)))
		}
		for _, q := range pts {
			if less(p, q) != (packPt(p) < packPt(q)) {
				t.Fatalf("%v < %v is %v, packed %v", p, q, less(p, q), packPt(p) < packPt(q))
			}
		}
	}
	k, n := edgeKey(ipt{5, 1}, ipt{2, 9}, 3)
	if n != -3 || k.seg() != (seg{ipt{2, 9}, ipt{5, 1}}) {
		t.Fatalf("edge key %v %d", k.seg(), n)
	}
}

// TestSharedEdgesAndInteriors: lots whose edges lie on each other's (the
// edges whose midpoints interiorsMeet no longer locates) meet exactly when
// their interiors share ground: side by side no, a shared side cut at an
// extra vertex no, a spike across the shared side yes, one inside the
// other along a side yes, the same lot twice yes.
func TestSharedEdgesAndInteriors(t *testing.T) {
	fr := frame{}
	poly := func(xy ...float64) orb.Polygon {
		var r orb.Ring
		for i := 0; i+1 < len(xy); i += 2 {
			r = append(r, orb.Point{xy[i], xy[i+1]})
		}
		return orb.Polygon{append(r, r[0])}
	}
	a := poly(0, 0, 10, 0, 10, 10, 0, 10)
	for _, tc := range []struct {
		name string
		b    orb.Polygon
		want bool
	}{
		{"side by side", poly(10, 0, 20, 0, 20, 10, 10, 10), false},
		{"side by side, the side cut", poly(10, 0, 20, 0, 20, 10, 10, 10, 10, 5), false},
		{"a spike across the side", poly(10, 0, 20, 0, 20, 10, 10, 10, 10, 6, 8, 5, 10, 4), true},
		{"inside along a side", poly(0, 0, 5, 0, 5, 10, 0, 10), true},
		{"the same lot", a, true},
		{"a corner only", poly(10, 10, 20, 10, 20, 20, 10, 20), false},
	} {
		sa, pa := fr.convert(a)
		sb, pb := fr.convert(tc.b)
		if pa != nil || pb != nil {
			t.Fatalf("%s: %v %v", tc.name, pa, pb)
		}
		var ea, eb []seg
		c := &checker{}
		if got := c.lotsMeet(&lot{shape: sa}, &lot{shape: sb}, &ea, &eb); got != tc.want {
			t.Errorf("%s: meet %v, want %v", tc.name, got, tc.want)
		}
		if got := c.lotsMeet(&lot{shape: sb}, &lot{shape: sa}, &ea, &eb); got != tc.want {
			t.Errorf("%s, the other way: meet %v, want %v", tc.name, got, tc.want)
		}
	}
}
