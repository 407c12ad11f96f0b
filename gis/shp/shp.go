// Package shp reads and writes ESRI Shapefiles: the .shp geometry (every
// shape type; Z and M values dropped), the .dbf attributes (package dbf),
// the .prj coordinate system text and the .cpg code page, loose on disk or
// in a .zip. Rings of a polygon are organised by containment, as GIS
// readers do, so a file with wrongly turned rings still reads right.
// Record lengths and counts are checked against the bytes present before
// anything is allocated.
package shp

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/dbf"
	"quyhoach/gis/vntext"
)

// Type is a shape type of the Shapefile specification.
type Type int32

// Shape types.
const (
	Null        Type = 0
	Point       Type = 1
	PolyLine    Type = 3
	Polygon     Type = 5
	MultiPoint  Type = 8
	PointZ      Type = 11
	PolyLineZ   Type = 13
	PolygonZ    Type = 15
	MultiPointZ Type = 18
	PointM      Type = 21
	PolyLineM   Type = 23
	PolygonM    Type = 25
	MultiPointM Type = 28
	MultiPatch  Type = 31
)

// base returns the 2D type of a Z or M type.
func (t Type) base() Type {
	switch t {
	case PointZ, PointM:
		return Point
	case PolyLineZ, PolyLineM:
		return PolyLine
	case PolygonZ, PolygonM:
		return Polygon
	case MultiPointZ, MultiPointM:
		return MultiPoint
	}
	return t
}

func (t Type) String() string {
	names := map[Type]string{Null: "null", Point: "Point", PolyLine: "PolyLine", Polygon: "Polygon", MultiPoint: "MultiPoint",
		PointZ: "PointZ", PolyLineZ: "PolyLineZ", PolygonZ: "PolygonZ", MultiPointZ: "MultiPointZ",
		PointM: "PointM", PolyLineM: "PolyLineM", PolygonM: "PolygonM", MultiPointM: "MultiPointM", MultiPatch: "MultiPatch"}
	if n, ok := names[t]; ok {
		return n
	}
	return fmt.Sprintf("type %d", int32(t))
}

// Source is the files of one Shapefile.
type Source struct {
	Name    string    // its base name, e.g. ChucNangSuDungDat_A
	SHP     io.Reader // the .shp
	SHPSize int64     // its size in bytes; -1 when unknown
	DBF     io.Reader // the .dbf; nil when absent
	DBFSize int64
	PRJ     string // the .prj text; "" when absent
	CPG     string // the .cpg text; "" when absent
	// Names maps DBF field names to the full names they stand for, from
	// the field-name table Write puts beside the files (NAME_fieldnames.csv).
	Names map[string]string
}

// Options tune Read.
type Options struct {
	// Encoding decodes the DBF's text instead of its .cpg or
	// language-driver byte: TCVN3 and VNI for old Vietnamese tables.
	Encoding vntext.Encoding
}

// Layer is a Shapefile read: features in the file's coordinates.
type Layer struct {
	Name     string
	Type     Type
	Features []gis.Feature
	Fields   []dbf.Field
	Encoding vntext.Encoding // how its text was decoded
	PRJ      string
	Notes    []string // what was dropped or assumed
}

// Error is a Shapefile that cannot be read, with its record (1-based; 0
// for the header).
type Error struct {
	File   string // "shp" or "dbf"
	Record int
	Msg    string
}

func (e *Error) Error() string {
	if e.Record > 0 {
		return fmt.Sprintf("%s record %d: %s", e.File, e.Record, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// IDField is the DBF field that carries quyhoach's feature ids.
const IDField = "feature_id"

// Read reads a Shapefile: every record's geometry and attributes.
func Read(src *Source, o Options) (*Layer, error) {
	l := &Layer{Name: src.Name, PRJ: src.PRJ}
	enc := o.Encoding
	if enc == vntext.Auto && strings.TrimSpace(src.CPG) != "" {
		e, err := dbf.EncodingOfCPG(src.CPG)
		if err != nil {
			l.Notes = append(l.Notes, fmt.Sprintf("the .cpg names code page %q, which quyhoach does not know: text read as UTF-8 where valid, else Windows-1252", strings.TrimSpace(src.CPG)))
		} else {
			enc = e
		}
	}
	var tab *dbf.Table
	var values []any
	if src.DBF != nil {
		var err error
		if tab, err = dbf.Open(src.DBF, src.DBFSize, enc); err != nil {
			return nil, err
		}
		l.Fields, l.Encoding = tab.Fields, tab.Encoding
		values = make([]any, len(tab.Fields))
	}
	sr := &shpReader{r: bufio.NewReaderSize(src.SHP, 1<<16), size: src.SHPSize}
	if err := sr.header(); err != nil {
		return nil, err
	}
	l.Type = sr.typ
	if sr.typ == MultiPatch {
		return nil, &Error{"shp", 0, "MultiPatch (3D surfaces) is not plan data"}
	}
	if sr.typ.base() != sr.typ {
		l.Notes = append(l.Notes, fmt.Sprintf("%s: Z and M values dropped", sr.typ))
	}
	for n := 1; ; n++ {
		g, err := sr.record(n)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		f := gis.Feature{Geometry: g, Properties: map[string]any{}}
		if tab != nil {
			deleted, err := tab.Next(values)
			if errors.Is(err, dbf.ErrDone) {
				return nil, &Error{"dbf", n, fmt.Sprintf("the .dbf has %d records, the .shp more", tab.Records)}
			}
			if err != nil {
				return nil, err
			}
			if deleted {
				continue
			}
			for i, fd := range tab.Fields {
				name := fd.Name
				if full, ok := src.Names[name]; ok {
					name = full
				}
				switch v := values[i]; {
				case v == nil:
				case name == IDField:
					f.ID, _ = v.(string)
				default:
					f.Properties[name] = v
				}
			}
		}
		l.Features = append(l.Features, f)
	}
	if sr.unclosed > 0 {
		l.Notes = append(l.Notes, fmt.Sprintf("%d rings were not closed: closed", sr.unclosed))
	}
	if tab != nil && tab.Records > sr.records {
		l.Notes = append(l.Notes, fmt.Sprintf("the .dbf has %d records for %d shapes: the extra ones left out", tab.Records, sr.records))
	}
	return l, nil
}

type shpReader struct {
	r        *bufio.Reader
	size     int64 // bytes of the file, -1 when unknown
	pos      int64
	typ      Type
	buf      []byte
	records  int
	unclosed int
}

func (sr *shpReader) header() error {
	var h [100]byte
	if _, err := io.ReadFull(sr.r, h[:]); err != nil {
		return &Error{"shp", 0, "shorter than its 100-byte header"}
	}
	sr.pos = 100
	if binary.BigEndian.Uint32(h[0:]) != 9994 {
		return &Error{"shp", 0, "not a Shapefile (file code is not 9994)"}
	}
	if v := binary.LittleEndian.Uint32(h[28:]); v != 1000 {
		return &Error{"shp", 0, fmt.Sprintf("version %d, want 1000", v)}
	}
	declared := int64(binary.BigEndian.Uint32(h[24:])) * 2
	if sr.size < 0 || declared < sr.size {
		// The header's length bounds the records when the true size is not
		// known (or the file has trailing bytes).
		sr.size = declared
	}
	sr.typ = Type(int32(binary.LittleEndian.Uint32(h[32:])))
	return nil
}

// record reads record n: io.EOF at the end of the file.
func (sr *shpReader) record(n int) (orb.Geometry, error) {
	if sr.pos >= sr.size {
		return nil, io.EOF
	}
	var rh [8]byte
	if _, err := io.ReadFull(sr.r, rh[:]); err != nil {
		if sr.pos+8 > sr.size || errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, &Error{"shp", n, "the file ends in its header (truncated?)"}
	}
	sr.pos += 8
	length := int64(binary.BigEndian.Uint32(rh[4:])) * 2
	if length < 4 || length > sr.size-sr.pos {
		return nil, &Error{"shp", n, fmt.Sprintf("content length %d bytes, but %d bytes remain in the file", length, max(sr.size-sr.pos, 0))}
	}
	if cap(sr.buf) < int(length) {
		sr.buf = make([]byte, length)
	}
	b := sr.buf[:length]
	if _, err := io.ReadFull(sr.r, b); err != nil {
		return nil, &Error{"shp", n, "the file ends inside it (truncated?)"}
	}
	sr.pos += length
	sr.records++
	t := Type(int32(binary.LittleEndian.Uint32(b)))
	if t == Null {
		return nil, nil
	}
	if t != sr.typ {
		return nil, &Error{"shp", n, fmt.Sprintf("a %s in a file of %s", t, sr.typ)}
	}
	return sr.shape(n, t.base(), b[4:])
}

func (sr *shpReader) shape(n int, t Type, b []byte) (orb.Geometry, error) {
	short := func(what string) error {
		return &Error{"shp", n, fmt.Sprintf("%d bytes are too few for %s", len(b)+4, what)}
	}
	pt := func(b []byte) orb.Point {
		return orb.Point{math.Float64frombits(binary.LittleEndian.Uint64(b)), math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))}
	}
	finite := func(ps []orb.Point) error {
		for _, p := range ps {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
				return &Error{"shp", n, "a coordinate is not a number"}
			}
		}
		return nil
	}
	switch t {
	case Point:
		if len(b) < 16 {
			return nil, short("a point")
		}
		p := pt(b)
		if err := finite([]orb.Point{p}); err != nil {
			return nil, err
		}
		return p, nil
	case MultiPoint:
		if len(b) < 36 {
			return nil, short("a multipoint")
		}
		np := int(binary.LittleEndian.Uint32(b[32:]))
		if np < 0 || int64(np)*16 > int64(len(b)-36) {
			return nil, &Error{"shp", n, fmt.Sprintf("%d points in %d bytes", np, len(b)+4)}
		}
		mp := make(orb.MultiPoint, np)
		for i := range mp {
			mp[i] = pt(b[36+16*i:])
		}
		return mp, finite(mp)
	case PolyLine, Polygon:
		if len(b) < 40 {
			return nil, short("a " + t.String())
		}
		nParts := int64(binary.LittleEndian.Uint32(b[32:]))
		nPts := int64(binary.LittleEndian.Uint32(b[36:]))
		if nParts < 1 || nPts < 1 || 40+4*nParts+16*nPts > int64(len(b)) {
			return nil, &Error{"shp", n, fmt.Sprintf("%d parts of %d points in %d bytes", nParts, nPts, len(b)+4)}
		}
		parts := make([]int, nParts+1)
		for i := range nParts {
			parts[i] = int(binary.LittleEndian.Uint32(b[40+4*i:]))
			if parts[i] < 0 || int64(parts[i]) >= nPts || i > 0 && parts[i] < parts[i-1] {
				return nil, &Error{"shp", n, fmt.Sprintf("part %d starts at point %d of %d", i, parts[i], nPts)}
			}
		}
		parts[nParts] = int(nPts)
		pts := make([]orb.Point, nPts)
		base := 40 + 4*nParts
		for i := range pts {
			pts[i] = pt(b[base+16*int64(i):])
		}
		if err := finite(pts); err != nil {
			return nil, err
		}
		if t == PolyLine {
			var ml orb.MultiLineString
			for i := range nParts {
				if ls := orb.LineString(pts[parts[i]:parts[i+1]]); len(ls) >= 2 {
					ml = append(ml, ls)
				}
			}
			switch len(ml) {
			case 0:
				return nil, &Error{"shp", n, "a line of fewer than 2 points"}
			case 1:
				return ml[0], nil
			}
			return ml, nil
		}
		rings := make([]orb.Ring, 0, nParts)
		for i := range nParts {
			r := orb.Ring(pts[parts[i]:parts[i+1]])
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(r[:len(r):len(r)], r[0])
				sr.unclosed++
			}
			rings = append(rings, r)
		}
		polys := gis.Nest(rings)
		switch len(polys) {
		case 0:
			return nil, &Error{"shp", n, "a polygon without area"}
		case 1:
			return polys[0], nil
		}
		return orb.MultiPolygon(polys), nil
	}
	return nil, &Error{"shp", n, fmt.Sprintf("shape type %s is not read", t)}
}
