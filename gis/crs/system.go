package crs

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// Datum is the geodetic datum of a coordinate system. Both use the WGS84
// ellipsoid; VN-2000 is shifted from WGS84 by EPSG:6960.
type Datum uint8

// The datums.
const (
	VN2000Datum Datum = iota
	WGS84Datum
)

func (d Datum) String() string {
	if d == WGS84Datum {
		return "WGS 84"
	}
	return "VN-2000"
}

// System is a coordinate system the program can transform: geographic
// WGS84 or VN-2000, or a transverse Mercator grid on either — the VN-2000
// TM-3 grids of the provinces (any central meridian), VN-2000 UTM, WGS84
// UTM. Files name their system by EPSG code or describe it (a .prj's WKT);
// a grid EPSG does not list has Code 0.
type System struct {
	Code      Code   // EPSG code; 0 for a grid EPSG does not list
	Name      string // e.g. "VN-2000 / TM-3 107-15"
	Datum     Datum
	Projected bool
	// The transverse Mercator grid of a projected system: central
	// meridian (degrees), scale factor, false easting and northing (m).
	Lon0, K0, FE, FN float64
}

// String returns "EPSG:N (name)", or the name of an unlisted grid.
func (s System) String() string {
	if s.Code == 0 {
		return s.Name
	}
	return s.Code.String() + " (" + s.Name + ")"
}

// Geographic reports whether coordinates are degrees (lon, lat).
func (s System) Geographic() bool { return !s.Projected }

func tmSystem(code Code, name string, d Datum, lon0, k0 float64) System {
	return System{Code: code, Name: name, Datum: d, Projected: true, Lon0: lon0, K0: k0, FE: 500000}
}

// listed are the systems of Vietnam's plan data that EPSG lists: the
// VN-2000 TM-3 grids of the provinces' central meridians, VN-2000 and WGS84
// UTM zones 48 and 49, and the two geographic systems.
var listed = func() []System {
	out := []System{
		{Code: WGS84, Name: "WGS 84", Datum: WGS84Datum},
		{Code: 4756, Name: "VN-2000", Datum: VN2000Datum},
		tmSystem(UTM48N, "VN-2000 / UTM zone 48N", VN2000Datum, 105, 0.9996),
		tmSystem(3406, "VN-2000 / UTM zone 49N", VN2000Datum, 111, 0.9996),
		tmSystem(32648, "WGS 84 / UTM zone 48N", WGS84Datum, 105, 0.9996),
		tmSystem(32649, "WGS 84 / UTM zone 49N", WGS84Datum, 111, 0.9996),
		tmSystem(5896, "VN-2000 / TM-3 zone 481", VN2000Datum, 102, 0.9999),
		tmSystem(5897, "VN-2000 / TM-3 zone 482", VN2000Datum, 105, 0.9999),
		tmSystem(5898, "VN-2000 / TM-3 zone 491", VN2000Datum, 108, 0.9999),
		tmSystem(5899, "VN-2000 / TM-3 107-45", VN2000Datum, 107.75, 0.9999),
	}
	// EPSG:9205–9218, VN-2000 / TM-3 103-00 … 108-30.
	for i, lon0 := range []float64{103, 104, 104.5, 104.75, 105.5, 105.75, 106, 106.25, 106.5, 107, 107.25, 107.5, 108.25, 108.5} {
		out = append(out, tmSystem(Code(9205+i), "VN-2000 / TM-3 "+dm(lon0), VN2000Datum, lon0, 0.9999))
	}
	return out
}()

// dm writes a meridian as TM-3 grids are named: 107.25 → "107-15".
func dm(lon float64) string {
	d := math.Floor(lon)
	m := math.Round((lon - d) * 60)
	if m == 60 {
		d, m = d+1, 0
	}
	s := fmt.Sprintf("%.0f-%02.0f", d, m)
	if r := (lon - d) * 60; math.Abs(r-math.Round(r)) > 1e-6 {
		s = strconv.FormatFloat(lon, 'f', -1, 64) + "°"
	}
	return s
}

// System returns the system of a code the program knows or EPSG lists
// among Vietnam's grids (see Lookup).
func (c Code) System() (System, bool) { return Lookup(c) }

// Lookup returns a system by EPSG code: WGS84 (4326), VN-2000 (4756), the
// VN-2000 TM-3 grids (9205–9218, 5896–5899), VN-2000 UTM 48N/49N (3405,
// 3406) and WGS84 UTM 48N/49N (32648, 32649).
func Lookup(c Code) (System, bool) {
	for _, s := range listed {
		if s.Code == c {
			return s, true
		}
	}
	return System{}, false
}

// Grid returns the system of a transverse Mercator grid: the EPSG system
// with the same datum and parameters (to 1e-9° and 1 mm) when there is
// one, else an unlisted one named for its meridian ("VN-2000 / TM-3
// 106-50", "VN-2000 / TM 106-50 k=0.9996").
func Grid(d Datum, lon0, k0, fe, fn float64) System {
	for _, s := range listed {
		if s.Projected && s.Datum == d && math.Abs(s.Lon0-lon0) < 1e-9 && math.Abs(s.K0-k0) < 1e-12 &&
			math.Abs(s.FE-fe) < 1e-3 && math.Abs(s.FN-fn) < 1e-3 {
			return s
		}
	}
	name := d.String() + " / TM " + dm(lon0) + " k=" + strconv.FormatFloat(k0, 'f', -1, 64)
	if k0 == 0.9999 && fe == 500000 && fn == 0 {
		name = d.String() + " / TM-3 " + dm(lon0)
	} else if fe != 500000 || fn != 0 {
		name += fmt.Sprintf(" FE=%g FN=%g", fe, fn)
	}
	return System{Name: name, Datum: d, Projected: true, Lon0: lon0, K0: k0, FE: fe, FN: fn}
}

// ParseSystem reads a coordinate system as a user names it: an EPSG code
// Lookup knows, in any form Parse reads ("EPSG:9216", "9216"), or a VN-2000
// TM-3 grid by its central meridian: "TM-3 106-50", "TM3:106.8333",
// "VN-2000 TM-3 106-50" (scale factor 0.9999, false easting 500 000 m).
func ParseSystem(s string) (System, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(t, "VN-2000"), "VN2000"))
	t = strings.TrimLeft(t, " /")
	if rest, ok := cutAny(t, "TM-3:", "TM3:", "TM-3 ", "TM3 "); ok {
		lon, err := parseMeridian(strings.TrimSpace(rest))
		if err != nil {
			return System{}, fmt.Errorf("crs: %q: %w", s, err)
		}
		return Grid(VN2000Datum, lon, 0.9999, 500000, 0), nil
	}
	if c, err := Parse(s); err == nil {
		sys, _ := Lookup(c)
		return sys, nil
	}
	num := t
	if i := strings.LastIndexAny(t, ":/"); i >= 0 {
		num = t[i+1:]
	}
	if n, err := strconv.Atoi(num); err == nil {
		if sys, ok := Lookup(Code(n)); ok {
			return sys, nil
		}
	}
	return System{}, fmt.Errorf("crs: unknown coordinate system %q (give an EPSG code of a VN-2000 grid, e.g. EPSG:9215, or TM-3 with a central meridian, e.g. \"TM-3 106-50\")", s)
}

func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return "", false
}

// parseMeridian reads "106-50" (degrees-minutes) or "106.8333" (degrees).
func parseMeridian(s string) (float64, error) {
	bad := fmt.Errorf("central meridian %q: want degrees-minutes (106-50) or degrees (106.8333) between 100 and 112", s)
	var lon float64
	if d, m, ok := strings.Cut(s, "-"); ok {
		dv, err1 := strconv.Atoi(d)
		mv, err2 := strconv.Atoi(m)
		if err1 != nil || err2 != nil || mv < 0 || mv >= 60 {
			return 0, bad
		}
		lon = float64(dv) + float64(mv)/60
	} else {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, bad
		}
		lon = v
	}
	if !(lon >= 100 && lon <= 112) {
		return 0, bad
	}
	return lon, nil
}

// Between returns the projection from one system to another, in any
// direction: a datum shift (EPSG:6960, as New applies it) when the datums
// differ, the grids' transverse Mercator at either end. It is New for
// systems that files describe; for the program's own codes both give the
// same results.
func Between(from, to System) (orb.Projection, error) {
	for _, s := range []System{from, to} {
		if s.Projected && !(s.K0 > 0 && isFinite(s.Lon0) && isFinite(s.FE) && isFinite(s.FN)) {
			return nil, fmt.Errorf("crs: %s is not a usable transverse Mercator grid", s)
		}
	}
	same := from.Datum == to.Datum
	if same && from.Projected == to.Projected && (!from.Projected || from.Lon0 == to.Lon0 && from.K0 == to.K0 && from.FE == to.FE && from.FN == to.FN) {
		return func(p orb.Point) orb.Point { return p }, nil
	}
	var src, dst tmerc
	if from.Projected {
		src = newTmerc(from.Lon0, from.K0, from.FE, from.FN)
	}
	if to.Projected {
		dst = newTmerc(to.Lon0, to.K0, to.FE, to.FN)
	}
	sh := vn2000ToWGS84.prepare()
	fwd := from.Datum == VN2000Datum // the shift's direction, when the datums differ
	return func(p orb.Point) orb.Point {
		// To latitude (as tan φ) and longitude (as sin, cos) on from's datum.
		var tau, sl, cl float64
		if from.Projected {
			tau, sl, cl = src.inverse(p[0], p[1])
		} else {
			tau = math.Tan(p[1] * deg)
			sl, cl = math.Sincos(p[0] * deg)
		}
		if !same {
			x, y, z := geocentricTau(tau, sl, cl)
			if fwd {
				x, y, z = sh.fwd(x, y, z)
			} else {
				x, y, z = sh.inv(x, y, z)
			}
			tau, sl, cl = geodetic(x, y, z)
		}
		if to.Projected {
			e, n := dst.forward(tau, sl, cl)
			return orb.Point{e, n}
		}
		return orb.Point{math.Atan2(sl, cl) / deg, math.Atan(tau) / deg}
	}, nil
}
