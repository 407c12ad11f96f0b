// Package geombin is the binary form of a stored geometry: what the store
// keeps beside each body, in the plan's grid (EPSG:9215), so that loads,
// outputs and the window read geometry without parsing JSON or projecting.
//
// The form is a type byte, counts as unsigned varints, coordinates as
// little-endian float64 (exact: the same bits as projecting the body), and
// a CRC-32C of everything before it. Decode checks the checksum and bounds
// every count by the bytes present before it allocates.
package geombin

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"

	"github.com/paulmach/orb"
)

// Geometry types.
const (
	tNull byte = iota
	tPoint
	tMultiPoint
	tLineString
	tMultiLineString
	tPolygon
	tMultiPolygon
	tCollection
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// maxDepth bounds nested collections.
const maxDepth = 16

// Append appends g's binary form to dst (nil g: a null geometry).
func Append(dst []byte, g orb.Geometry) []byte {
	start := len(dst)
	dst = appendGeom(dst, g)
	return binary.LittleEndian.AppendUint32(dst, crc32.Checksum(dst[start:], castagnoli))
}

func appendGeom(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case nil:
		return append(b, tNull)
	case orb.Point:
		return appendPt(append(b, tPoint), g)
	case orb.MultiPoint:
		return appendPts(append(b, tMultiPoint), g)
	case orb.LineString:
		return appendPts(append(b, tLineString), g)
	case orb.MultiLineString:
		b = binary.AppendUvarint(append(b, tMultiLineString), uint64(len(g)))
		for _, l := range g {
			b = appendPts(b, l)
		}
		return b
	case orb.Ring:
		return appendPoly(append(b, tPolygon), orb.Polygon{g})
	case orb.Polygon:
		return appendPoly(append(b, tPolygon), g)
	case orb.MultiPolygon:
		b = binary.AppendUvarint(append(b, tMultiPolygon), uint64(len(g)))
		for _, p := range g {
			b = appendPoly(b, p)
		}
		return b
	case orb.Collection:
		b = binary.AppendUvarint(append(b, tCollection), uint64(len(g)))
		for _, x := range g {
			b = appendGeom(b, x)
		}
		return b
	case orb.Bound:
		return appendPoly(append(b, tPolygon), g.ToPolygon())
	}
	panic(fmt.Sprintf("geombin: %T", g))
}

func appendPt(b []byte, p orb.Point) []byte {
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
}

func appendPts(b []byte, pts []orb.Point) []byte {
	b = binary.AppendUvarint(b, uint64(len(pts)))
	for _, p := range pts {
		b = appendPt(b, p)
	}
	return b
}

func appendPoly(b []byte, p orb.Polygon) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	for _, r := range p {
		b = appendPts(b, r)
	}
	return b
}

// ErrDamaged is a binary form whose checksum does not match.
var ErrDamaged = errors.New("geombin: damaged (checksum)")

// Decode reads a binary form written by Append.
func Decode(b []byte) (orb.Geometry, error) {
	if len(b) < 5 {
		return nil, errors.New("geombin: too short")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, ErrDamaged
	}
	d := decoder{b: body}
	g := d.geom(0)
	if d.err == nil && d.pos != len(d.b) {
		d.err = fmt.Errorf("geombin: %d bytes after the geometry", len(d.b)-d.pos)
	}
	return g, d.err
}

type decoder struct {
	b   []byte
	pos int
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("geombin: "+format, args...)
	}
}

func (d *decoder) byte() byte {
	if d.err != nil || d.pos >= len(d.b) {
		d.fail("truncated")
		return 0
	}
	d.pos++
	return d.b[d.pos-1]
}

// count reads a count of items of at least min bytes each, refusing one
// the bytes left cannot hold.
func (d *decoder) count(min int) int {
	if d.err != nil {
		return 0
	}
	n, k := binary.Uvarint(d.b[d.pos:])
	if k <= 0 {
		d.fail("bad count")
		return 0
	}
	d.pos += k
	if n > uint64(len(d.b)-d.pos)/uint64(min) {
		d.fail("count %d beyond the %d bytes left", n, len(d.b)-d.pos)
		return 0
	}
	return int(n)
}

func (d *decoder) pt() orb.Point {
	if d.err != nil || len(d.b)-d.pos < 16 {
		d.fail("truncated")
		return orb.Point{}
	}
	x := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.pos:]))
	y := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.pos+8:]))
	d.pos += 16
	return orb.Point{x, y}
}

func (d *decoder) pts() []orb.Point {
	n := d.count(16)
	out := make([]orb.Point, n)
	for i := range out {
		out[i] = d.pt()
	}
	return out
}

func (d *decoder) poly() orb.Polygon {
	n := d.count(1)
	out := make(orb.Polygon, n)
	for i := range out {
		out[i] = d.pts()
	}
	return out
}

func (d *decoder) geom(depth int) orb.Geometry {
	switch t := d.byte(); t {
	case tNull:
		return nil
	case tPoint:
		return d.pt()
	case tMultiPoint:
		return orb.MultiPoint(d.pts())
	case tLineString:
		return orb.LineString(d.pts())
	case tMultiLineString:
		n := d.count(1)
		out := make(orb.MultiLineString, n)
		for i := range out {
			out[i] = d.pts()
		}
		return out
	case tPolygon:
		return d.poly()
	case tMultiPolygon:
		n := d.count(1)
		out := make(orb.MultiPolygon, n)
		for i := range out {
			out[i] = d.poly()
		}
		return out
	case tCollection:
		if depth >= maxDepth {
			d.fail("collections nested more than %d deep", maxDepth)
			return nil
		}
		n := d.count(1)
		out := make(orb.Collection, n)
		for i := range out {
			out[i] = d.geom(depth + 1)
		}
		return out
	default:
		if d.err == nil {
			d.fail("unknown type %d", t)
		}
		return nil
	}
}
