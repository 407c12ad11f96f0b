package crs

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// TestExactInverse: a grid point taken to WGS84 by Exact projects back
// onto itself within a micrometre; the plain inverse misses by up to a
// millimetre.
func TestExactInverse(t *testing.T) {
	fwd, _ := New(WGS84, TM3LangSon)
	inv, _ := New(TM3LangSon, WGS84)
	ex := Exact(fwd, inv)
	worst, plain := 0.0, 0.0
	for i := range 20 {
		p := orb.Point{430000 + float64(i)*1234.5, 2410000 + float64(i)*2345.6}
		q := fwd(ex(p))
		worst = math.Max(worst, math.Hypot(q[0]-p[0], q[1]-p[1]))
		r := fwd(inv(p))
		plain = math.Max(plain, math.Hypot(r[0]-p[0], r[1]-p[1]))
	}
	if worst > 1e-6 {
		t.Errorf("Exact misses by %.3g m", worst)
	}
	t.Logf("round trip: plain inverse %.3g m, Exact %.3g m", plain, worst)
}
