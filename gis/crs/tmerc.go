package crs

import "math"

// This file holds the ellipsoid and the transverse Mercator projection.
//
// The projection follows Krüger's series to order n⁶ as written by Karney
// (2011, "Transverse Mercator with an accuracy of a few nanometers") and
// Poder & Engsager, the same mathematics as PROJ's default tmerc algorithm
// ("poder_engsager"): the truncation error is far below a micrometre within a
// few thousand kilometres of the central meridian.
//
// Points travel between the steps as (τ, sin λ, cos λ) with τ = tan φ rather
// than as angles: the geocentric conversion produces and consumes exactly
// these, so the hot path needs no atan, sin or cos of the latitude at all,
// and the longitude is rotated to a zone's central meridian by a 2×2 matrix.
// The latitude series (geodetic ↔ conformal) are summed with sin 2φ and
// cos 2φ computed algebraically from τ, and tan(φ + δ) is expanded for the
// small correction δ (|δ| < 0.0034 rad on WGS84), so that step costs a few
// multiplications instead of the atanh/sinh of the closed form.

// The WGS84 ellipsoid, which VN-2000 also uses. Constant expressions are
// evaluated exactly by the compiler and rounded once.
const (
	ellA   = 6378137.0                 // semi-major axis, m
	ellF   = 1 / 298.257223563         // flattening
	ellB   = ellA * (1 - ellF)         // semi-minor axis, m
	ellE2  = ellF * (2 - ellF)         // first eccentricity squared
	ellEp2 = ellE2 / (1 - ellE2)       // second eccentricity squared
	ellN   = ellF / (2 - ellF)         // third flattening
	deg    = math.Pi / 180             // radians per degree
	arcsec = math.Pi / (180 * 60 * 60) // radians per arc second
	ppm    = 1e-6                      // parts per million
)

// Series coefficients, functions of the third flattening only, computed once.
var (
	// tmAlpha: conformal sphere → TM plane (Krüger α, Karney eq. 35).
	tmAlpha = polySeries(ellN, [6][6]float64{
		{1. / 2, -2. / 3, 5. / 16, 41. / 180, -127. / 288, 7891. / 37800},
		{13. / 48, -3. / 5, 557. / 1440, 281. / 630, -1983433. / 1935360},
		{61. / 240, -103. / 140, 15061. / 26880, 167603. / 181440},
		{49561. / 161280, -179. / 168, 6601661. / 7257600},
		{34729. / 80640, -3418889. / 1995840},
		{212378941. / 319334400},
	})
	// tmBeta: TM plane → conformal sphere, already negated (Krüger −β, Karney eq. 36).
	tmBeta = polySeries(ellN, [6][6]float64{
		{-1. / 2, 2. / 3, -37. / 96, 1. / 360, 81. / 512, -96199. / 604800},
		{-1. / 48, -1. / 15, 437. / 1440, -46. / 105, 1118711. / 3870720},
		{-17. / 480, 37. / 840, 209. / 4480, -5569. / 90720},
		{-4397. / 161280, 11. / 504, 830251. / 7257600},
		{-4583. / 161280, 108847. / 3991680},
		{-20648693. / 638668800},
	})
	// geoToConf: conformal minus geodetic latitude as a series in sin 2kφ.
	geoToConf = polySeries(ellN, [6][6]float64{
		{-2, 2. / 3, 4. / 3, -82. / 45, 32. / 45, 4642. / 4725},
		{5. / 3, -16. / 15, -13. / 9, 904. / 315, -1522. / 945},
		{-26. / 15, 34. / 21, 8. / 5, -12686. / 2835},
		{1237. / 630, -12. / 5, -24832. / 14175},
		{-734. / 315, 109598. / 31185},
		{444337. / 155925},
	})
	// confToGeo: geodetic minus conformal latitude as a series in sin 2kχ.
	confToGeo = polySeries(ellN, [6][6]float64{
		{2, -2. / 3, -2, 116. / 45, 26. / 45, -2854. / 675},
		{7. / 3, -8. / 5, -227. / 45, 2704. / 315, 2323. / 945},
		{56. / 15, -136. / 35, -1262. / 105, 73814. / 2835},
		{4279. / 630, -332. / 35, -399572. / 14175},
		{4174. / 315, -144838. / 6237},
		{601676. / 22275},
	})
	// rectA is the rectifying radius A (Karney eq. 14): the meridian arc
	// per radian of rectifying latitude.
	rectA = ellA / (1 + ellN) * (1 + ellN*ellN*(1./4+ellN*ellN*(1./64+ellN*ellN/256)))
)

// polySeries evaluates series coefficients: c[k] is the polynomial in n whose
// coefficients, from the power n^(k+1) up, are p[k] (Horner's scheme).
func polySeries(n float64, p [6][6]float64) [6]float64 {
	var c [6]float64
	for k := range c {
		var s float64
		for j := 5 - k; j >= 0; j-- {
			s = s*n + p[k][j]
		}
		c[k] = s * math.Pow(n, float64(k+1))
	}
	return c
}

// sinSeries returns Σ c[k]·sin(2(k+1)θ) by Clenshaw's recurrence, given
// sin 2θ and cos 2θ.
func sinSeries(c *[6]float64, sin2, cos2 float64) float64 {
	x := 2 * cos2
	var b1, b2 float64
	for k := 5; k >= 0; k-- {
		b1, b2 = c[k]+x*b1-b2, b1
	}
	return sin2 * b1
}

// sinSeriesComplex is sinSeries for a complex angle ζ = ξ + iη, given the
// sines, cosines and hyperbolic functions of 2ξ and 2η; it returns the real
// and imaginary parts of Σ c[k]·sin(2(k+1)ζ).
func sinSeriesComplex(c *[6]float64, sin2, cos2, sinh2, cosh2 float64) (re, im float64) {
	x := complex(2*cos2*cosh2, -2*sin2*sinh2) // 2 cos 2ζ
	var b1, b2 complex128
	for k := 5; k >= 0; k-- {
		b1, b2 = complex(c[k], 0)+x*b1-b2, b1
	}
	s := complex(sin2*cosh2, cos2*sinh2) * b1 // sin 2ζ · b1
	return real(s), imag(s)
}

// shiftTan returns tan(φ + δ) for τ = tan φ, where δ is the latitude change
// given by series c (|δ| < 0.0034 rad for WGS84).
func shiftTan(c *[6]float64, tau float64) float64 {
	d := 1 / (1 + tau*tau)
	delta := sinSeries(c, 2*tau*d, (1-tau*tau)*d)
	// tan δ to δ⁷: the next term is below 1e-21 rad.
	d2 := delta * delta
	td := delta * (1 + d2*(1./3+d2*(2./15+d2*17./315)))
	return (tau + td) / (1 - tau*td)
}

// tmerc is one transverse Mercator grid on the WGS84 ellipsoid.
type tmerc struct {
	sinLon0, cosLon0 float64 // central meridian
	k0A              float64 // scale factor times rectifying radius, m
	fe, fn           float64 // false easting and northing, m
}

func newTmerc(lon0Deg, k0, fe, fn float64) tmerc {
	s, c := math.Sincos(lon0Deg * deg)
	return tmerc{sinLon0: s, cosLon0: c, k0A: k0 * rectA, fe: fe, fn: fn}
}

// forward projects the point at latitude atan(tau) and longitude λ, given by
// sin λ and cos λ, to easting and northing.
func (t *tmerc) forward(tau, sinLam, cosLam float64) (e, n float64) {
	// Longitude from the central meridian.
	sl := sinLam*t.cosLon0 - cosLam*t.sinLon0
	cl := cosLam*t.cosLon0 + sinLam*t.sinLon0
	// Conformal latitude, then the Gauss–Schreiber (spherical TM) ξ', η'.
	taup := shiftTan(&geoToConf, tau)
	d2 := taup*taup + cl*cl
	xip := math.Atan2(taup, cl)
	etap := math.Asinh(sl / math.Sqrt(d2))
	// sin, cos 2ξ' and sinh, cosh 2η' from the same quantities, no trig.
	inv := 1 / d2
	sin2 := 2 * taup * cl * inv
	cos2 := (cl*cl - taup*taup) * inv
	sinh2 := 2 * sl * math.Sqrt(d2+sl*sl) * inv
	cosh2 := 1 + 2*sl*sl*inv
	dxi, deta := sinSeriesComplex(&tmAlpha, sin2, cos2, sinh2, cosh2)
	return t.fe + t.k0A*(etap+deta), t.fn + t.k0A*(xip+dxi)
}

// inverse is the inverse of forward.
func (t *tmerc) inverse(e, n float64) (tau, sinLam, cosLam float64) {
	xi := (n - t.fn) / t.k0A
	eta := (e - t.fe) / t.k0A
	sin2, cos2 := math.Sincos(2 * xi)
	em1 := math.Expm1(2 * eta) // e^2η − 1, exact near the central meridian
	ex := em1 + 1
	sinh2 := 0.5 * (em1 + em1/ex)
	cosh2 := 0.5 * (ex + 1/ex)
	dxi, deta := sinSeriesComplex(&tmBeta, sin2, cos2, sinh2, cosh2)
	sxp, cxp := math.Sincos(xi + dxi)
	shp := math.Sinh(eta + deta)
	r := math.Sqrt(shp*shp + cxp*cxp)
	taup := sxp / r
	sl, cl := shp/r, cxp/r // longitude from the central meridian
	return shiftTan(&confToGeo, taup),
		sl*t.cosLon0 + cl*t.sinLon0,
		cl*t.cosLon0 - sl*t.sinLon0
}
