package crs

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// domainPoints are the reference points of docs/DOMAIN.md, computed with
// PROJ 9.1: WGS84 lon, lat and their VN-2000 / TM-3 107-15 E, N.
var domainPoints = []struct {
	name   string
	lonLat orb.Point
	en     orb.Point
}{
	{"Hữu Nghị gate", orb.Point{106.71083, 21.97111}, orb.Point{444122.778, 2430566.951}},
	{"Tân Thanh gate", orb.Point{106.68389, 22.00306}, orb.Point{441353.615, 2434114.577}},
	{"Đồng Đăng", orb.Point{106.698, 21.9508}, orb.Point{442789.648, 2428322.909}},
	{"Lạng Sơn city", orb.Point{106.75778, 21.84778}, orb.Point{448927.783, 2416895.459}},
}

func mustNew(t testing.TB, from, to Code) orb.Projection {
	t.Helper()
	p, err := New(from, to)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDomainPoints checks the table of DOMAIN.md (PROJ's WGS84 → TM-3
// results rounded to the millimetre) digit for digit. The other direction
// of these points is in the reference table.
func TestDomainPoints(t *testing.T) {
	fwd := mustNew(t, WGS84, TM3LangSon)
	for _, p := range domainPoints {
		got := fwd(p.lonLat)
		if g, w := fmt.Sprintf("%.3f %.3f", got[0], got[1]), fmt.Sprintf("%.3f %.3f", p.en[0], p.en[1]); g != w {
			t.Errorf("%s: got %s, want %s", p.name, g, w)
		}
	}
}

// TestRoundTrip maps points there and back. Between the grids the only
// error is rounding. Through WGS84, the 2D datum shift drops a height in
// each direction (see New), so the round trip misses by PROJ's own 0.7 to
// 0.95 mm; TestRoundTrip3D shows the chain is exact once heights are kept,
// and TestAgainstPROJ that PROJ's round trip misses by the same amount.
func TestRoundTrip(t *testing.T) {
	ps := randomPoints(rand.New(rand.NewPCG(1, 2)), 10000)
	tests := []struct {
		a, b Code
		tol  float64 // metres
	}{
		{TM3LangSon, UTM48N, 1e-4},
		{UTM48N, TM3LangSon, 1e-4},
		{WGS84, TM3LangSon, tolerance},
		{WGS84, UTM48N, tolerance},
		{TM3LangSon, WGS84, tolerance},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d-%d", tt.a, tt.b), func(t *testing.T) {
			there, back := mustNew(t, tt.a, tt.b), mustNew(t, tt.b, tt.a)
			var worst float64
			for _, p := range inputsFor(t, tt.a, ps) {
				got := back(there(p))
				e := groundError(tt.a, got, p)
				worst = max(worst, e)
				if !(e < tt.tol) {
					t.Fatalf("%v → %v → %v: %v gives %v, off by %.4f mm, want < %g mm", tt.a, tt.b, tt.a, p, got, e*1000, tt.tol*1000)
				}
			}
			t.Logf("max round-trip error %.2g mm", worst*1000)
		})
	}
}

// heightOf returns the ellipsoidal height of geocentric (x, y, z) whose
// latitude is atan(tau).
func heightOf(x, y, z, tau float64) float64 {
	c := 1 / math.Sqrt(1+tau*tau)
	s := tau * c
	return math.Hypot(x, y)*c + z*s - ellA*math.Sqrt(1-ellE2*s*s)
}

// TestRoundTrip3D runs WGS84 → VN-2000 grid → WGS84 through the package's
// steps, carrying the ellipsoidal height that the 2D transformation drops:
// then the round trip is exact, so what TestRoundTrip sees is the 2D
// convention, not an inaccurate step.
func TestRoundTrip3D(t *testing.T) {
	sh := vn2000ToWGS84.prepare()
	tm, _ := grid(TM3LangSon)
	var worst, maxH float64
	for _, p := range randomPoints(rand.New(rand.NewPCG(7, 8)), 10000) {
		x, y, z := sh.inv(geocentricDeg(p[0], p[1]))
		tau, sl, cl := geodetic(x, y, z)
		h := heightOf(x, y, z, tau)
		maxH = max(maxH, math.Abs(h))
		e, n := tm.forward(tau, sl, cl)

		tau, sl, cl = tm.inverse(e, n)
		c := 1 / math.Sqrt(1+tau*tau)
		x, y, z = geocentricTau(tau, sl, cl)
		x, y, z = sh.fwd(x+h*c*cl, y+h*c*sl, z+h*c*tau)
		tau, _, _ = geodetic(x, y, z)
		got := orb.Point{math.Atan2(y, x) / deg, math.Atan(tau) / deg}
		worst = max(worst, groundError(WGS84, got, p))
	}
	t.Logf("VN-2000 heights of WGS84 height 0: up to %.1f m; max round-trip error %.2g mm", maxH, worst*1000)
	if worst > 1e-6 {
		t.Errorf("3D round trip: error %.2g mm, want < 0.001 mm", worst*1000)
	}
}

func TestIdentity(t *testing.T) {
	for _, c := range Known {
		p := orb.Point{106.7, 21.9}
		if got := mustNew(t, c, c)(p); got != p {
			t.Errorf("%v → %v: got %v, want %v", c, c, got, p)
		}
	}
}

func TestNewUnsupported(t *testing.T) {
	for _, tt := range []struct{ from, to Code }{
		{WGS84, 32648}, {32648, WGS84}, {0, 0}, {3857, 3857},
	} {
		if _, err := New(tt.from, tt.to); err == nil {
			t.Errorf("New(%v, %v): got no error", tt.from, tt.to)
		}
	}
}

// TestSignConvention shows that the reference test catches the classic
// mistakes: PROJ's +towgs84 rotations (position vector) used as coordinate
// frame ones, or no datum shift at all.
func TestSignConvention(t *testing.T) {
	rows := readReference(t)
	variant := func(h helmert) func(from, to Code) (orb.Projection, error) {
		return func(from, to Code) (orb.Projection, error) { return newProjection(from, to, h) }
	}

	flipped := vn2000ToWGS84
	flipped.rx, flipped.ry, flipped.rz = -flipped.rx, -flipped.ry, -flipped.rz
	worst, _ := referenceError(t, rows, variant(flipped))
	t.Logf("rotations with the wrong sign: off by up to %.0f mm", worst*1000)
	if worst <= tolerance {
		t.Errorf("flipped rotations: max error %.3f mm, want > 1 mm", worst*1000)
	}

	worst, _ = referenceError(t, rows, variant(helmert{}))
	t.Logf("no datum shift: off by up to %.1f m", worst)
	if worst <= tolerance {
		t.Errorf("no datum shift: max error %.3f mm, want > 1 mm", worst*1000)
	}

	// The right parameters pass, through the same code path.
	if worst, at := referenceError(t, rows, variant(vn2000ToWGS84)); worst > tolerance {
		t.Errorf("EPSG:6960 through newProjection: %.3f mm at %v", worst*1000, at.In)
	}
}

// TestNoShiftOffset checks DOMAIN.md's rule of thumb that leaving the
// datum shift out puts points about 195 m east and 110 m north off. The
// directions, as measured: grid coordinates computed from WGS84 without the
// shift come out 195 m east and 110 m south of the right ones; grid
// coordinates read back without it land 195 m west and 110 m north.
func TestNoShiftOffset(t *testing.T) {
	right, rightInv := mustNew(t, WGS84, TM3LangSon), mustNew(t, TM3LangSon, WGS84)
	wrong, err := newProjection(WGS84, TM3LangSon, helmert{})
	if err != nil {
		t.Fatal(err)
	}
	wrongInv, err := newProjection(TM3LangSon, WGS84, helmert{})
	if err != nil {
		t.Fatal(err)
	}
	near := func(v, want float64) bool { return math.Abs(v-want) < 5 }
	for _, p := range domainPoints {
		r, w := right(p.lonLat), wrong(p.lonLat)
		de, dn := w[0]-r[0], w[1]-r[1]
		t.Logf("%s: WGS84 → grid without the shift: %+.1f m E, %+.1f m N", p.name, de, dn)
		if !near(de, 195) || !near(dn, -110) {
			t.Errorf("%s: WGS84 → grid without the shift off by %+.1f m E, %+.1f m N, want about +195, -110", p.name, de, dn)
		}
		// Back: the offset in metres on the ground, in the same grid.
		ri, wi := right(rightInv(p.en)), right(wrongInv(p.en))
		de, dn = wi[0]-ri[0], wi[1]-ri[1]
		if !near(de, -195) || !near(dn, 110) {
			t.Errorf("%s: grid → WGS84 without the shift off by %+.1f m E, %+.1f m N, want about -195, +110", p.name, de, dn)
		}
	}
}

// geocentricH is the textbook geodetic → geocentric conversion at height h.
func geocentricH(lon, lat, h float64) (x, y, z float64) {
	sp, cp := math.Sincos(lat * deg)
	sl, cl := math.Sincos(lon * deg)
	n := ellA / math.Sqrt(1-ellE2*sp*sp)
	return (n + h) * cp * cl, (n + h) * cp * sl, (n*(1-ellE2) + h) * sp
}

// TestGeodeticConverges checks that geodetic recovers the latitude exactly
// at heights well beyond what the datum shift produces (a few hundred m).
func TestGeodeticConverges(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var worst float64
	for range 100000 {
		lon := -180 + 360*rng.Float64()
		lat := -85 + 170*rng.Float64()
		h := -1000 + 10000*rng.Float64()
		tau, sl, cl := geodetic(geocentricH(lon, lat, h))
		// Error along the meridian and the parallel, in metres.
		e := ellA * math.Hypot(math.Atan(tau)-lat*deg, math.Remainder(math.Atan2(sl, cl)-lon*deg, 2*math.Pi))
		worst = max(worst, e)
	}
	t.Logf("max error %.2g m", worst)
	if worst > 1e-8 {
		t.Errorf("geodetic: error %.2g m, want < 1e-8 m (0.01 µm)", worst)
	}
}

// TestLatitudeSeries compares the series for the conformal latitude with
// the closed form (Karney 2011, eq. 7–9), both ways.
func TestLatitudeSeries(t *testing.T) {
	e := math.Sqrt(ellE2)
	for lat := -89.0; lat <= 89; lat += 0.25 {
		tau := math.Tan(lat * deg)
		sigma := math.Sinh(e * math.Atanh(e*tau/math.Hypot(1, tau)))
		want := tau*math.Hypot(1, sigma) - sigma*math.Hypot(1, tau)
		got := shiftTan(&geoToConf, tau)
		if d := math.Abs(math.Atan(got) - math.Atan(want)); d > 1e-15 {
			t.Errorf("conformal latitude at %g°: off by %.2g rad", lat, d)
		}
		back := shiftTan(&confToGeo, want)
		if d := math.Abs(math.Atan(back) - lat*deg); d > 1e-15 {
			t.Errorf("geodetic latitude at %g°: off by %.2g rad", lat, d)
		}
	}
}

// TestTmercRoundTrip checks forward and inverse agree over a whole 3° zone
// and beyond, from the equator to 70° N.
func TestTmercRoundTrip(t *testing.T) {
	tm, _ := grid(TM3LangSon)
	rng := rand.New(rand.NewPCG(5, 6))
	var worst float64
	for range 100000 {
		lon := 107.25 - 6 + 12*rng.Float64()
		lat := 70 * rng.Float64()
		sl, cl := math.Sincos(lon * deg)
		tau := math.Tan(lat * deg)
		e, n := tm.forward(tau, sl, cl)
		tau2, sl2, cl2 := tm.inverse(e, n)
		d := ellA * math.Hypot(math.Atan(tau2)-lat*deg, math.Atan2(sl2, cl2)-lon*deg)
		worst = max(worst, d)
	}
	t.Logf("max error %.2g m", worst)
	if worst > 1e-8 {
		t.Errorf("tmerc round trip: error %.2g m, want < 1e-8 m", worst)
	}
}

// BenchmarkTransform transforms a million seeded random points of the
// province per iteration: ns/op is the time per million points.
func BenchmarkTransform(b *testing.B) {
	const n = 1_000_000
	ps := randomPoints(rand.New(rand.NewPCG(42, 42)), n)
	out := make([]orb.Point, n)
	for _, pair := range [][2]Code{
		{WGS84, TM3LangSon},
		{TM3LangSon, WGS84},
		{WGS84, UTM48N},
		{TM3LangSon, UTM48N},
	} {
		b.Run(fmt.Sprintf("%d-%d", pair[0], pair[1]), func(b *testing.B) {
			in := inputsFor(b, pair[0], ps)
			proj := mustNew(b, pair[0], pair[1])
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				for i, p := range in {
					out[i] = proj(p)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/point")
		})
	}
}
