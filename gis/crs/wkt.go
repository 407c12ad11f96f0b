package crs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FromWKT reads the coordinate system a WKT text describes — OGC WKT 1 (a
// GeoPackage's srs definition), Esri's WKT 1 (a Shapefile's .prj), or WKT 2
// as GDAL prints it — and recognises it by its parameters, not its name:
// geographic WGS84 or VN-2000, or a transverse Mercator grid in metres on
// either datum, any central meridian (the provinces' own TM-3 grids
// included). A datum is VN-2000 when its name says so or its TOWGS84 is
// EPSG's VN-2000 shift; the shift applied is always EPSG:6960's.
//
// MapInfo has no VN-2000 datum, so its files (and GDAL's WKT of them) put
// VN-2000 TM-3 grids on the WGS 84 datum: a TM-3 grid (scale 0.9999) with
// a meridian in Vietnam on WGS 84 is taken as VN-2000, and note says so.
// Anything else — another ellipsoid or datum, another projection, units
// other than metres and degrees — is an error naming what the text says.
func FromWKT(wkt string) (sys System, note string, err error) {
	root, err := parseWKT(wkt)
	if err != nil {
		return System{}, "", fmt.Errorf("crs: WKT: %w", err)
	}
	w := describe(root)
	if w.err != "" {
		return System{}, "", fmt.Errorf("crs: %s: %s", w.summary(), w.err)
	}
	d, ok := w.datum()
	if !ok {
		return System{}, "", fmt.Errorf("crs: %s: datum %q is neither VN-2000 nor WGS 84 (quyhoach reads VN-2000 and WGS 84 coordinates)", w.summary(), w.datumName)
	}
	if !w.projected {
		if d == WGS84Datum {
			sys, _ = Lookup(WGS84)
		} else {
			sys, _ = Lookup(4756)
		}
		return sys, "", nil
	}
	if w.method != "transversemercator" {
		return System{}, "", fmt.Errorf("crs: %s: projection %q is not transverse Mercator (quyhoach reads the VN-2000 TM-3 and UTM grids)", w.summary(), w.methodName)
	}
	if w.lat0 != 0 {
		return System{}, "", fmt.Errorf("crs: %s: latitude of origin %g, want 0", w.summary(), w.lat0)
	}
	if d == WGS84Datum && w.k0 == 0.9999 && w.lon0 >= 102 && w.lon0 <= 110 {
		d = VN2000Datum
		note = fmt.Sprintf("the file puts a TM-3 grid (central meridian %s) on the WGS 84 datum, as MapInfo writes VN-2000: taken as VN-2000", dm(w.lon0))
	}
	return Grid(d, w.lon0, w.k0, w.fe, w.fn), note, nil
}

// wktNode is KEYWORD[args…]: each arg is a string, a number (kept as
// text) or a node.
type wktNode struct {
	key  string
	args []any
}

// maxWKT caps the text FromWKT reads (a .prj is a few hundred bytes).
const maxWKT = 64 << 10

func parseWKT(s string) (*wktNode, error) {
	if len(s) > maxWKT {
		return nil, fmt.Errorf("%d bytes, more than %d", len(s), maxWKT)
	}
	p := &wktParser{s: strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))}
	n, err := p.node(0)
	if err != nil {
		return nil, err
	}
	if p.skip(); p.i != len(p.s) {
		return nil, fmt.Errorf("text after the definition at byte %d", p.i)
	}
	return n, nil
}

type wktParser struct {
	s string
	i int
}

func (p *wktParser) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *wktParser) node(depth int) (*wktNode, error) {
	if depth > 32 {
		return nil, errors.New("nested more than 32 deep")
	}
	p.skip()
	start := p.i
	for p.i < len(p.s) && (isLetter(p.s[p.i]) || p.s[p.i] == '_' || p.s[p.i] >= '0' && p.s[p.i] <= '9' && p.i > start) {
		p.i++
	}
	if p.i == start {
		return nil, fmt.Errorf("keyword expected at byte %d", p.i)
	}
	n := &wktNode{key: strings.ToUpper(p.s[start:p.i])}
	p.skip()
	if p.i >= len(p.s) || p.s[p.i] != '[' && p.s[p.i] != '(' {
		return n, nil // a bare keyword: AXIS["E",EAST]'s EAST
	}
	closer := byte(']')
	if p.s[p.i] == '(' {
		closer = ')'
	}
	p.i++
	for {
		p.skip()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("%s: unterminated", n.key)
		}
		switch c := p.s[p.i]; {
		case c == '"':
			p.i++
			var b strings.Builder
			for {
				j := strings.IndexByte(p.s[p.i:], '"')
				if j < 0 {
					return nil, fmt.Errorf("%s: unterminated string", n.key)
				}
				b.WriteString(p.s[p.i : p.i+j])
				p.i += j + 1
				if p.i < len(p.s) && p.s[p.i] == '"' { // "" is a quote
					b.WriteByte('"')
					p.i++
					continue
				}
				break
			}
			n.args = append(n.args, b.String())
		case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
			j := p.i + 1
			for j < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[j]) >= 0 {
				j++
			}
			n.args = append(n.args, wktNumber(p.s[p.i:j]))
			p.i = j
		default:
			sub, err := p.node(depth + 1)
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, sub)
		}
		p.skip()
		if p.i >= len(p.s) {
			return nil, fmt.Errorf("%s: unterminated", n.key)
		}
		if p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.s[p.i] == closer {
			p.i++
			return n, nil
		}
		return nil, fmt.Errorf("%s: unexpected %q at byte %d", n.key, p.s[p.i], p.i)
	}
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

type wktNumber string

func (n *wktNode) child(keys ...string) *wktNode {
	for _, a := range n.args {
		if c, ok := a.(*wktNode); ok {
			for _, k := range keys {
				if c.key == k {
					return c
				}
			}
		}
	}
	return nil
}

func (n *wktNode) children(key string) []*wktNode {
	var out []*wktNode
	for _, a := range n.args {
		if c, ok := a.(*wktNode); ok && c.key == key {
			out = append(out, c)
		}
	}
	return out
}

func (n *wktNode) str(i int) string {
	if n == nil || i >= len(n.args) {
		return ""
	}
	s, _ := n.args[i].(string)
	return s
}

func (n *wktNode) num(i int) (float64, bool) {
	if n == nil || i >= len(n.args) {
		return 0, false
	}
	s, ok := n.args[i].(wktNumber)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(s), 64)
	return v, err == nil && isFinite(v)
}

// wktSystem is what a WKT says, in the terms FromWKT checks.
type wktSystem struct {
	name, datumName, ellName, methodName string
	projected                            bool
	towgs84                              []float64
	a, invF                              float64
	method                               string // normalised
	lon0, lat0, k0, fe, fn               float64
	err                                  string
}

func (w *wktSystem) summary() string {
	s := fmt.Sprintf("%q (datum %q, ellipsoid %q", w.name, w.datumName, w.ellName)
	if w.projected {
		s += fmt.Sprintf(", %s, central meridian %g, scale %g, false easting %g", w.methodName, w.lon0, w.k0, w.fe)
	}
	return s + ")"
}

// normal lowers a name and drops what separates words.
func normal(s string) string {
	return strings.NewReplacer("_", "", " ", "", "-", "", ".", "").Replace(strings.ToLower(s))
}

func describe(root *wktNode) *wktSystem {
	w := &wktSystem{name: root.str(0), k0: 1}
	geog := root
	switch root.key {
	case "PROJCS", "PROJCRS", "PROJECTEDCRS":
		w.projected = true
		geog = root.child("GEOGCS", "BASEGEOGCRS", "BASEGEODCRS", "GEOGCRS", "GEODCRS")
		if geog == nil {
			w.err = "no geographic system in the projected one"
			return w
		}
	case "GEOGCS", "GEOGCRS", "GEODCRS", "GEOGRAPHICCRS":
	default:
		w.err = fmt.Sprintf("%s is not a coordinate system quyhoach reads", root.key)
		return w
	}
	datum := geog.child("DATUM", "GEODETICDATUM", "TRF", "ENSEMBLE") // WKT 2: WGS 84 is a datum ensemble
	w.datumName = datum.str(0)
	if datum != nil {
		if t := datum.child("TOWGS84"); t != nil {
			for i := range t.args {
				v, _ := t.num(i)
				w.towgs84 = append(w.towgs84, v)
			}
		}
		ell := datum.child("SPHEROID", "ELLIPSOID")
		w.ellName = ell.str(0)
		w.a, _ = ell.num(1)
		w.invF, _ = ell.num(2)
	}
	if math.Abs(w.a-ellA) > 1e-3 || math.Abs(w.invF-1/ellF) > 1e-6 {
		w.err = fmt.Sprintf("ellipsoid %q (a = %g m, 1/f = %g) is not WGS 84's, which VN-2000 uses", w.ellName, w.a, w.invF)
		return w
	}
	if u := geog.child("UNIT", "ANGLEUNIT"); u != nil {
		if v, ok := u.num(1); ok && math.Abs(v-deg) > 1e-12 {
			w.err = fmt.Sprintf("angular unit %q, not degrees", u.str(0))
			return w
		}
	}
	if !w.projected {
		return w
	}
	params := map[string]float64{}
	conv := root
	if c := root.child("CONVERSION"); c != nil {
		conv = c
		m := c.child("METHOD", "PROJECTION")
		w.methodName = m.str(0)
	} else {
		w.methodName = root.child("PROJECTION").str(0)
	}
	w.method = normal(w.methodName)
	for _, p := range conv.children("PARAMETER") {
		if v, ok := p.num(1); ok {
			params[normal(p.str(0))] = v
		}
	}
	get := func(def float64, names ...string) float64 {
		for _, n := range names {
			if v, ok := params[n]; ok {
				return v
			}
		}
		return def
	}
	w.lon0 = get(math.NaN(), "centralmeridian", "longitudeofnaturalorigin", "longitudeoforigin", "longitudeofcenter")
	w.lat0 = get(0, "latitudeoforigin", "latitudeofnaturalorigin")
	w.k0 = get(1, "scalefactor", "scalefactoratnaturalorigin")
	w.fe = get(0, "falseeasting")
	w.fn = get(0, "falsenorthing")
	if math.IsNaN(w.lon0) {
		w.err = "no central meridian"
		return w
	}
	unit := root.child("UNIT", "LENGTHUNIT")
	if ax := root.child("AXIS"); unit == nil && ax != nil { // WKT 2 may give it per axis
		unit = ax.child("LENGTHUNIT")
	}
	if unit != nil {
		if v, ok := unit.num(1); ok && v != 1 {
			w.err = fmt.Sprintf("unit %q (%g m), not metres", unit.str(0), v)
		}
	}
	return w
}

// datum tells VN-2000 from WGS84 by name or by TOWGS84.
func (w *wktSystem) datum() (Datum, bool) {
	n := normal(w.datumName)
	if strings.Contains(n, "vn2000") || strings.Contains(n, "vietnam2000") || strings.Contains(n, "vietnam") && strings.Contains(n, "2000") {
		return VN2000Datum, true
	}
	if len(w.towgs84) >= 3 {
		t := w.towgs84
		zero := true
		for _, v := range t {
			zero = zero && v == 0
		}
		switch {
		case zero:
			return WGS84Datum, true
		case math.Abs(t[0]+191.904) < 0.01 && math.Abs(t[1]+39.303) < 0.01 && math.Abs(t[2]+111.450) < 0.01,
			math.Abs(t[0]+192.873) < 0.01 && math.Abs(t[1]+39.382) < 0.01 && math.Abs(t[2]+111.202) < 0.01:
			return VN2000Datum, true
		}
		return 0, false
	}
	switch {
	case strings.Contains(n, "wgs84") || strings.Contains(n, "wgs1984") || strings.Contains(n, "worldgeodeticsystem1984"):
		return WGS84Datum, true
	}
	return 0, false
}
