package gpkg

import (
	"encoding/binary"
	"math"

	"github.com/paulmach/orb"
)

// appendWKB appends the little-endian WKB of g, byte for byte what go-geom's
// encoder writes of its conversion (toGeom), without building go-geom
// geometries: a GeoPackage of a million lots spends its time here
// otherwise. ok is false for a collection, which goes through go-geom.
func appendWKB(b []byte, g orb.Geometry) (_ []byte, ok bool) {
	switch g := g.(type) {
	case orb.Point:
		return appendPoint(wkbHead(b, 1), g), true
	case orb.MultiPoint:
		b = count(wkbHead(b, 4), len(g))
		for _, p := range g {
			b = appendPoint(wkbHead(b, 1), p)
		}
		return b, true
	case orb.LineString:
		return appendPoints(wkbHead(b, 2), g), true
	case orb.MultiLineString:
		b = count(wkbHead(b, 5), len(g))
		for _, l := range g {
			b = appendPoints(wkbHead(b, 2), l)
		}
		return b, true
	case orb.Ring:
		return appendPoints(count(wkbHead(b, 3), 1), g), true
	case orb.Polygon:
		return appendPolygon(b, g), true
	case orb.MultiPolygon:
		b = count(wkbHead(b, 6), len(g))
		for _, p := range g {
			b = appendPolygon(b, p)
		}
		return b, true
	case orb.Bound:
		return appendPolygon(b, g.ToPolygon()), true
	}
	return b, false
}

// wkbHead is a geometry's byte order (little-endian) and 2D type.
func wkbHead(b []byte, typ uint32) []byte {
	return binary.LittleEndian.AppendUint32(append(b, 1), typ)
}

func count(b []byte, n int) []byte { return binary.LittleEndian.AppendUint32(b, uint32(n)) }

func appendPoint(b []byte, p orb.Point) []byte {
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
}

func appendPoints(b []byte, ps []orb.Point) []byte {
	b = count(b, len(ps))
	for _, p := range ps {
		b = appendPoint(b, p)
	}
	return b
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = count(wkbHead(b, 3), len(p))
	for _, r := range p {
		b = appendPoints(b, r)
	}
	return b
}

// wkbSize is about the size of g's WKB, to size the buffer once.
func wkbSize(g orb.Geometry) int {
	n := 0
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			n += 4 + 16*len(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			n += 9
			for _, r := range p {
				n += 4 + 16*len(r)
			}
		}
	case orb.LineString:
		n = 16 * len(g)
	case orb.MultiLineString:
		for _, l := range g {
			n += 13 + 16*len(l)
		}
	case orb.MultiPoint:
		n = 21 * len(g)
	}
	return 9 + n
}

// EnvelopeOf reads back the envelope Encode writes (xy, little-endian):
// the geometry's Bound, bit for bit; ok is false for a blob without one.
func EnvelopeOf(data []byte) (b orb.Bound, ok bool) {
	if len(data) < 8+32 || data[0] != 'G' || data[1] != 'P' || data[3] != 1<<1|1 {
		return b, false
	}
	v := func(i int) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(data[8+8*i:])) }
	return orb.Bound{Min: orb.Point{v(0), v(2)}, Max: orb.Point{v(1), v(3)}}, true
}
