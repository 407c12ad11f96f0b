package geojson

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Write writes c as a FeatureCollection, one feature per line. Each feature's
// ID becomes its "id" member (a string; none when ID is ""), property keys
// are sorted, coordinates keep full precision, and a geometry without any
// position is written as null. The legacy "crs" member is written, as GDAL
// does, only when c.CRS is neither WGS84 nor zero. Write does not repair
// geometry; a NaN or infinite number is an error.
func Write(w io.Writer, c *Collection) error {
	if c == nil {
		return NewWriter(w, 0).Close()
	}
	sw := NewWriter(w, c.CRS)
	for _, f := range c.Features {
		if err := sw.Feature(f); err != nil {
			return err
		}
	}
	return sw.Close()
}

// Canonical returns f as one deterministic, compact GeoJSON Feature, to be
// hashed as the content address of a feature body. Members come in the order
// type, id (left out when ID is ""), geometry, properties; property keys are
// sorted at every level; a geometry without positions is null and nil
// properties are {}. Coordinates are rounded to 9 decimals when geographic
// (about 0.1 mm) or else 4 (0.1 mm in metres) and written in their shortest
// form without exponent, -0 as 0. Equal features give equal bytes.
//
// Properties should hold what Read produces (string, float64, bool, nil,
// []any, map[string]any); integers and json.Number are written as the equal
// float64 would be, other values as encoding/json writes them. NaN and
// infinities, which JSON cannot hold, are written as null.
func Canonical(f gis.Feature, geographic bool) []byte {
	return AppendCanonical(nil, f, geographic)
}

// AppendCanonical appends Canonical(f, geographic) to dst and returns the
// extended slice. It does not allocate when dst has room and the properties
// hold only the types Read produces.
func AppendCanonical(dst []byte, f gis.Feature, geographic bool) []byte {
	e := encoder{scale: 1e4, decimals: 4}
	if geographic {
		e.scale, e.decimals = 1e9, 9
	}
	return e.feature(dst, f)
}

// encoder writes features; scale is 10^decimals for rounding coordinates, 0
// for full precision. The first value JSON cannot hold is kept in err.
type encoder struct {
	scale    float64 // 10^decimals
	decimals int
	depth    int
	err      error
}

var (
	errNotFinite = errors.New("number is NaN or infinite")
	errTooDeep   = errors.New("properties nested too deep (a cycle?)")
)

func (e *encoder) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

func (e *encoder) feature(b []byte, f gis.Feature) []byte {
	b = append(b, `{"type":"Feature"`...)
	if f.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, f.ID)
	}
	b = append(b, `,"geometry":`...)
	b = e.geometry(b, f.Geometry)
	b = append(b, `,"properties":`...)
	b = e.object(b, f.Properties)
	return append(b, '}')
}

func (e *encoder) geometry(b []byte, g orb.Geometry) []byte {
	if isEmpty(g) {
		return append(b, "null"...)
	}
	switch g := g.(type) {
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = e.point(b, g)
	case orb.MultiPoint:
		b = append(b, `{"type":"MultiPoint","coordinates":`...)
		b = e.points(b, g)
	case orb.LineString:
		b = append(b, `{"type":"LineString","coordinates":`...)
		b = e.points(b, g)
	case orb.Ring:
		b = append(b, `{"type":"Polygon","coordinates":[`...)
		b = e.points(b, g)
		b = append(b, ']')
	case orb.Bound:
		b = append(b, `{"type":"Polygon","coordinates":[`...)
		b = e.points(b, g.ToRing())
		b = append(b, ']')
	case orb.MultiLineString:
		b = append(b, `{"type":"MultiLineString","coordinates":[`...)
		for i, l := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.points(b, l)
		}
		b = append(b, ']')
	case orb.Polygon:
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = e.polygon(b, g)
	case orb.MultiPolygon:
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, poly := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.polygon(b, poly)
		}
		b = append(b, ']')
	case orb.Collection:
		b = append(b, `{"type":"GeometryCollection","geometries":[`...)
		first := true
		for _, m := range g {
			if isEmpty(m) {
				continue
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = e.geometry(b, m)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// isEmpty reports whether g has no position at all.
func isEmpty(g orb.Geometry) bool {
	switch g := g.(type) {
	case nil:
		return true
	case orb.MultiPoint:
		return len(g) == 0
	case orb.LineString:
		return len(g) == 0
	case orb.Ring:
		return len(g) == 0
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 {
				return false
			}
		}
		return true
	case orb.Polygon:
		for _, r := range g {
			if len(r) > 0 {
				return false
			}
		}
		return true
	case orb.MultiPolygon:
		for _, poly := range g {
			for _, r := range poly {
				if len(r) > 0 {
					return false
				}
			}
		}
		return true
	case orb.Collection:
		for _, m := range g {
			if !isEmpty(m) {
				return false
			}
		}
		return true
	}
	return false
}

func (e *encoder) polygon(b []byte, poly orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range poly {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.points(b, r)
	}
	return append(b, ']')
}

func (e *encoder) points(b []byte, pts []orb.Point) []byte {
	b = append(b, '[')
	for i, pt := range pts {
		if i > 0 {
			b = append(b, ',')
		}
		b = e.point(b, pt)
	}
	return append(b, ']')
}

func (e *encoder) point(b []byte, pt orb.Point) []byte {
	b = append(b, '[')
	b = e.coord(b, pt[0])
	b = append(b, ',')
	b = e.coord(b, pt[1])
	return append(b, ']')
}

// coord writes one coordinate, rounded when e.scale is set, without exponent.
func (e *encoder) coord(b []byte, v float64) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.fail(errNotFinite)
		return append(b, "null"...)
	}
	if e.scale != 0 {
		if r := math.Round(v * e.scale); math.Abs(r) < 1e15 {
			return appendFixed(b, int64(r), e.decimals)
		} else if math.Abs(r) < 1<<52 {
			v = r / e.scale
		}
	} else if r := math.Round(v * 1e9); math.Abs(r) < 1e15 && r/1e9 == v {
		// A whole number of 1e-9 (a coordinate read from a stored body):
		// its shortest form is that decimal (see appendFixed), made faster.
		return appendFixed(b, int64(r), 9)
	}
	if v == 0 {
		v = 0 // no -0
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// appendFixed writes k / 10^decimals with trailing zeros dropped. For
// |k| < 10^15 this is exactly what strconv.AppendFloat(b, float64(k)/10^decimals,
// 'f', -1, 64) writes, since a decimal of at most 15 significant digits is
// the shortest one naming its nearest double; it is just faster.
func appendFixed(b []byte, k int64, decimals int) []byte {
	if k < 0 {
		b = append(b, '-')
		k = -k
	}
	// every digit of k, two a division (an import writes millions of
	// coordinates), at least one before the point; then the point placed
	// and the trailing zeros dropped
	var d [24]byte
	i, u := len(d), uint64(k)
	for ; u >= 100; u /= 100 {
		r := 2 * (u % 100)
		i -= 2
		d[i], d[i+1] = twoDigits[r], twoDigits[r+1]
	}
	if u >= 10 {
		i -= 2
		d[i], d[i+1] = twoDigits[2*u], twoDigits[2*u+1]
	} else {
		i--
		d[i] = byte('0' + u)
	}
	point := len(d) - decimals
	for i > point-1 {
		i--
		d[i] = '0'
	}
	b = append(b, d[i:point]...)
	end := len(d)
	for end > point && d[end-1] == '0' {
		end--
	}
	if end == point {
		return b
	}
	b = append(b, '.')
	return append(b, d[point:end]...)
}

// twoDigits holds "00" to "99", one pair for each number below 100.
const twoDigits = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

var pow10i = [...]uint64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// float writes a property number as encoding/json does (exponent only for
// very small or large values), -0 as 0.
func (e *encoder) float(b []byte, v float64, bits int) []byte {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		e.fail(errNotFinite)
		return append(b, "null"...)
	}
	if v == 0 {
		return append(b, '0')
	}
	format := byte('f')
	if abs := math.Abs(v); bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
		bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, v, format, -1, bits)
	if format == 'e' { // e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// keyPool holds scratch slices for sorting property keys.
var keyPool = sync.Pool{New: func() any { s := make([]string, 0, 32); return &s }}

func (e *encoder) object(b []byte, m map[string]any) []byte {
	if len(m) == 0 {
		return append(b, "{}"...)
	}
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > maxDepth {
		e.fail(errTooDeep)
		return append(b, "null"...)
	}
	kp := keyPool.Get().(*[]string)
	keys := (*kp)[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = e.value(b, m[k])
	}
	clear(keys)
	*kp = keys[:0]
	keyPool.Put(kp)
	return append(b, '}')
}

func (e *encoder) value(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendString(b, v)
	case float64:
		return e.float(b, v, 64)
	case bool:
		return strconv.AppendBool(b, v)
	case map[string]any:
		return e.object(b, v)
	case []any:
		e.depth++
		defer func() { e.depth-- }()
		if e.depth > maxDepth {
			e.fail(errTooDeep)
			return append(b, "null"...)
		}
		b = append(b, '[')
		for i, x := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = e.value(b, x)
		}
		return append(b, ']')
	case float32:
		return e.float(b, float64(v), 32)
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			e.fail(fmt.Errorf("json.Number %q: %w", string(v), err))
			return append(b, "null"...)
		}
		return e.float(b, f, 64)
	}
	if f, ok := gis.Number(v); ok { // any other Go integer type
		return e.float(b, f, 64)
	}
	j, err := json.Marshal(v)
	if err != nil {
		e.fail(err)
		return append(b, "null"...)
	}
	return append(b, j...)
}

// appendString writes s as a JSON string: quotes, backslashes and control
// characters escaped, U+2028 and U+2029 escaped, invalid UTF-8 as U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// StoredCoord is the value a geographic coordinate has once written in a
// canonical body (AppendCanonical, geographic) and read back: rounded to
// 1e-9° and parsed as the reader parses it. Whoever derives something from
// a body's geometry without reading the body (the store's binary geometry)
// starts from these values, so that it equals what reading the body gives.
func StoredCoord(v float64) float64 {
	r := math.Round(v * 1e9)
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(r) >= 1e15 {
		return v // written as it is (never for a lon/lat)
	}
	f := math.Abs(r) / 1e9 // one IEEE division of exact operands: as the reader rounds
	if r < 0 {
		f = -f
	}
	return f
}
