package crs

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// helmert is a 7-parameter similarity transformation of geocentric
// coordinates, its rotations written in EPSG's coordinate-frame convention
// (EPSG method 1032). PROJ's +towgs84 and EPSG's position-vector methods
// (1033) write the same transformation with the three rotation signs flipped;
// TestSignConvention shows what mixing them up costs.
type helmert struct {
	tx, ty, tz float64 // translations, m
	rx, ry, rz float64 // rotations, arc seconds, coordinate frame
	ds         float64 // scale difference, ppm
}

// vn2000ToWGS84 is EPSG:6960 "VN-2000 to WGS 84 (2)", the transformation
// PROJ chooses between VN-2000 and WGS84 for the whole of Vietnam.
var vn2000ToWGS84 = helmert{
	tx: -191.90441429, ty: -39.30318279, tz: -111.45032835,
	rx: -0.00928836, ry: 0.01975479, rz: -0.00427372,
	ds: 0.252906278,
}

// shift is a helmert ready to apply: fwd maps VN-2000 to WGS84,
// X' = t + m·X, and inv maps back, X = minv·(X' − t).
type shift struct {
	t    [3]float64
	m    [3][3]float64
	minv [3][3]float64
}

// prepare computes the matrices of h. Like EPSG's formula and PROJ's default
// (no +exact), the rotation matrix is the small-angle one; the rotations
// here are 1e-7 rad, so the neglected second-order terms are below 1e-7 m.
// The inverse is the transpose divided by the scale, exact to the same order.
func (h helmert) prepare() shift {
	rx, ry, rz := h.rx*arcsec, h.ry*arcsec, h.rz*arcsec
	r := [3][3]float64{
		{1, rz, -ry},
		{-rz, 1, rx},
		{ry, -rx, 1},
	}
	k := 1 + h.ds*ppm
	s := shift{t: [3]float64{h.tx, h.ty, h.tz}}
	for i := range 3 {
		for j := range 3 {
			s.m[i][j] = k * r[i][j]
			s.minv[i][j] = r[j][i] / k
		}
	}
	return s
}

// fwd maps VN-2000 geocentric coordinates to WGS84.
func (s *shift) fwd(x, y, z float64) (float64, float64, float64) {
	return s.t[0] + s.m[0][0]*x + s.m[0][1]*y + s.m[0][2]*z,
		s.t[1] + s.m[1][0]*x + s.m[1][1]*y + s.m[1][2]*z,
		s.t[2] + s.m[2][0]*x + s.m[2][1]*y + s.m[2][2]*z
}

// inv maps WGS84 geocentric coordinates to VN-2000.
func (s *shift) inv(x, y, z float64) (float64, float64, float64) {
	x, y, z = x-s.t[0], y-s.t[1], z-s.t[2]
	return s.minv[0][0]*x + s.minv[0][1]*y + s.minv[0][2]*z,
		s.minv[1][0]*x + s.minv[1][1]*y + s.minv[1][2]*z,
		s.minv[2][0]*x + s.minv[2][1]*y + s.minv[2][2]*z
}

// geocentricDeg returns the geocentric coordinates of a point on the
// ellipsoid (height 0) given in degrees.
func geocentricDeg(lon, lat float64) (x, y, z float64) {
	sp, cp := math.Sincos(lat * deg)
	sl, cl := math.Sincos(lon * deg)
	n := ellA / math.Sqrt(1-ellE2*sp*sp) // prime-vertical radius
	return n * cp * cl, n * cp * sl, n * (1 - ellE2) * sp
}

// geocentricTau is geocentricDeg for the point at latitude atan(tau) and
// longitude λ given by its sine and cosine.
func geocentricTau(tau, sinLam, cosLam float64) (x, y, z float64) {
	nc := ellA / math.Sqrt(1+(1-ellE2)*tau*tau) // N·cos φ
	return nc * cosLam, nc * sinLam, nc * (1 - ellE2) * tau
}

// bowringIter is how many times geodetic iterates Bowring's formula. One
// pass (PROJ's choice) is good to a micrometre up to 9 km of height; the
// second makes it exact to rounding, a few nanometres (TestGeodeticConverges).
const bowringIter = 2

// geodetic returns tan φ, sin λ and cos λ of the geocentric point (x, y, z),
// solving for the latitude by Bowring's iteration (Bowring 1976), whose
// fixed point is the exact geodetic latitude at any height. The height is
// dropped, as PROJ does for these 2D transformations. The poles, where the
// longitude is undefined, give NaN: they are outside every grid here.
func geodetic(x, y, z float64) (tau, sinLam, cosLam float64) {
	p := math.Sqrt(x*x + y*y)
	t := z / ((1 - ellF) * p) // tan of the parametric latitude β
	for range bowringIter {
		cb := 1 / math.Sqrt(1+t*t)
		sb := t * cb
		tau = (z + ellEp2*ellB*sb*sb*sb) / (p - ellE2*ellA*cb*cb*cb)
		t = (1 - ellF) * tau
	}
	return tau, y / p, x / p
}

// transform holds what one projection needs, computed once by New.
type transform struct {
	src, dst tmerc // grids at the projected ends
	shift    shift // VN-2000 ↔ WGS84
}

// geoToGrid maps WGS84 lon, lat to a VN-2000 grid.
func (t *transform) geoToGrid(p orb.Point) orb.Point {
	x, y, z := t.shift.inv(geocentricDeg(p[0], p[1]))
	e, n := t.dst.forward(geodetic(x, y, z))
	return orb.Point{e, n}
}

// gridToGeo maps a VN-2000 grid to WGS84 lon, lat.
func (t *transform) gridToGeo(p orb.Point) orb.Point {
	x, y, z := t.shift.fwd(geocentricTau(t.src.inverse(p[0], p[1])))
	tau, _, _ := geodetic(x, y, z)
	return orb.Point{math.Atan2(y, x) / deg, math.Atan(tau) / deg}
}

// gridToGrid maps between two VN-2000 grids: same datum, no shift.
func (t *transform) gridToGrid(p orb.Point) orb.Point {
	e, n := t.dst.forward(t.src.inverse(p[0], p[1]))
	return orb.Point{e, n}
}

// grid returns the projection of a projected code.
func grid(c Code) (tmerc, bool) {
	switch c {
	case TM3LangSon: // EPSG:9215 VN-2000 / TM-3 107-15
		return newTmerc(107.25, 0.9999, 500000, 0), true
	case UTM48N: // EPSG:3405 VN-2000 / UTM zone 48N
		return newTmerc(105, 0.9996, 500000, 0), true
	}
	return tmerc{}, false
}

// New returns the projection that maps points from one coordinate system to
// another: WGS84 (x = lon, y = lat, degrees) and the VN-2000 grids
// TM-3 107-15 and UTM 48N (x = E, y = N, metres), in any direction. Between
// WGS84 and VN-2000 it applies EPSG:6960, as PROJ does; between the two
// grids, which share the VN-2000 datum, no datum shift. It agrees with PROJ
// to well under a millimetre anywhere in Lạng Sơn province; far from the
// grids' central meridians (thousands of kilometres) the results are
// meaningless. The returned function is safe for concurrent use and does
// not allocate.
//
// Like PROJ's 2D transformations, the datum shift puts the source point at
// height 0 on its own datum's ellipsoid and drops the height it lands at
// (about −27 m here). Because the ellipsoid normals of the two datums differ
// by the shift, WGS84 → grid → WGS84 therefore misses by PROJ's own 0.7 to
// 0.95 mm in Lạng Sơn; each direction agrees with PROJ to better than a micrometre,
// which keeps results rounded to the millimetre identical to those of
// cs2cs, QGIS or GDAL. Grid → grid round trips are exact.
func New(from, to Code) (orb.Projection, error) {
	return newProjection(from, to, vn2000ToWGS84)
}

// newProjection is New with the datum shift as a parameter, so tests can
// show what a wrong one does.
func newProjection(from, to Code, h helmert) (orb.Projection, error) {
	for _, c := range []Code{from, to} {
		if _, ok := grid(c); !ok && !c.Geographic() {
			return nil, fmt.Errorf("crs: no transform from %v to %v: unsupported coordinate system %v", from, to, c)
		}
	}
	if from == to {
		return func(p orb.Point) orb.Point { return p }, nil
	}
	t := &transform{shift: h.prepare()}
	t.src, _ = grid(from)
	t.dst, _ = grid(to)
	switch {
	case from.Geographic():
		return t.geoToGrid, nil
	case to.Geographic():
		return t.gridToGeo, nil
	}
	return t.gridToGrid, nil
}
