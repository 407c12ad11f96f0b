package shp

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/dbf"
)

// WriteZip writes features as the Shapefile name into a zip archive:
// NAME.shp, .shx, a UTF-8 .dbf with its .cpg, the .prj given (WKT of the
// coordinates' system), and NAME_fieldnames.csv when some property names
// are longer than the 10 bytes a DBF field name holds. Each feature's id
// goes in the feature_id field. A Shapefile holds one kind of geometry:
// features that mix areas, lines and points are an error, as are texts
// longer than a DBF field (254 bytes). Polygons are written as the
// specification asks, outer rings clockwise.
func WriteZip(zw *zip.Writer, name string, fs []gis.Feature, prj string, now time.Time) error {
	t, err := typeOf(fs)
	if err != nil {
		return fmt.Errorf("shp: %s: %w", name, err)
	}
	var shpBuf, shxBuf bytes.Buffer
	if err := writeShapes(&shpBuf, &shxBuf, t, fs); err != nil {
		return fmt.Errorf("shp: %s: %w", name, err)
	}
	fields, keys, names, err := fieldsOf(fs)
	if err != nil {
		return fmt.Errorf("shp: %s: %w", name, err)
	}
	rows := make([][]any, len(fs))
	for i, f := range fs {
		row := make([]any, len(fields))
		for j, k := range keys {
			if k == IDField {
				if f.ID != "" {
					row[j] = f.ID
				}
				continue
			}
			row[j] = cell(f.Properties[k], fields[j].Type)
		}
		rows[i] = row
	}
	var dbfBuf bytes.Buffer
	if err := dbf.Write(&dbfBuf, fields, rows, now); err != nil {
		return fmt.Errorf("shp: %s: %w", name, err)
	}
	members := []struct {
		ext  string
		data []byte
	}{{".shp", shpBuf.Bytes()}, {".shx", shxBuf.Bytes()}, {".dbf", dbfBuf.Bytes()}, {".cpg", []byte("UTF-8")}, {".prj", []byte(prj)}}
	if len(names) > 0 {
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		cw.Write([]string{"dbf_field", "name"})
		for _, n := range names {
			cw.Write(n[:])
		}
		cw.Flush()
		members = append(members, struct {
			ext  string
			data []byte
		}{NamesSuffix, b.Bytes()})
	}
	for _, m := range members {
		if m.ext == ".prj" && prj == "" {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name + m.ext, Method: zip.Deflate, Modified: now})
		if err != nil {
			return err
		}
		if _, err := w.Write(m.data); err != nil {
			return err
		}
	}
	return nil
}

// typeOf is the one shape type of the features' geometries.
func typeOf(fs []gis.Feature) (Type, error) {
	t := Null
	for i, f := range fs {
		var k Type
		switch f.Geometry.(type) {
		case nil:
			continue
		case orb.Polygon, orb.MultiPolygon:
			k = Polygon
		case orb.LineString, orb.MultiLineString:
			k = PolyLine
		case orb.Point:
			k = Point
		case orb.MultiPoint:
			k = MultiPoint
		default:
			return 0, fmt.Errorf("feature %d: a %s has no Shapefile type", i, f.Geometry.GeoJSONType())
		}
		if t != Null && k != t {
			return 0, fmt.Errorf("a Shapefile holds one kind of geometry, and this layer mixes %s and %s (feature %d)", t, k, i)
		}
		t = k
	}
	if t == Null {
		t = Polygon // an empty layer: a polygon file of no records, as GDAL writes
	}
	return t, nil
}

func writeShapes(shpW, shxW *bytes.Buffer, t Type, fs []gis.Feature) error {
	var bound orb.Bound
	first := true
	var recs [][]byte
	for _, f := range fs {
		var b []byte
		le := binary.LittleEndian
		put32 := func(v int) { b = le.AppendUint32(b, uint32(v)) }
		putF := func(v float64) { b = le.AppendUint64(b, math.Float64bits(v)) }
		putBox := func(bb orb.Bound) { putF(bb.Min[0]); putF(bb.Min[1]); putF(bb.Max[0]); putF(bb.Max[1]) }
		if f.Geometry == nil {
			put32(int(Null))
			recs = append(recs, b)
			continue
		}
		gb := f.Geometry.Bound()
		if first {
			bound, first = gb, false
		} else {
			bound = bound.Union(gb)
		}
		put32(int(t))
		switch g := f.Geometry.(type) {
		case orb.Point:
			putF(g[0])
			putF(g[1])
		case orb.MultiPoint:
			putBox(gb)
			put32(len(g))
			for _, p := range g {
				putF(p[0])
				putF(p[1])
			}
		default:
			var parts [][]orb.Point
			switch g := g.(type) {
			case orb.LineString:
				parts = [][]orb.Point{g}
			case orb.MultiLineString:
				for _, l := range g {
					parts = append(parts, l)
				}
			default:
				for p := range gis.Polygons(g) {
					for i, r := range p {
						parts = append(parts, clockwise(r, i == 0))
					}
				}
			}
			n := 0
			for _, p := range parts {
				n += len(p)
			}
			putBox(gb)
			put32(len(parts))
			put32(n)
			at := 0
			for _, p := range parts {
				put32(at)
				at += len(p)
			}
			for _, p := range parts {
				for _, q := range p {
					putF(q[0])
					putF(q[1])
				}
			}
		}
		recs = append(recs, b)
	}
	// Headers: file length in 16-bit words.
	shpLen := 100
	for _, r := range recs {
		shpLen += 8 + len(r)
	}
	header := func(w *bytes.Buffer, words int) {
		var h [100]byte
		binary.BigEndian.PutUint32(h[0:], 9994)
		binary.BigEndian.PutUint32(h[24:], uint32(words))
		binary.LittleEndian.PutUint32(h[28:], 1000)
		binary.LittleEndian.PutUint32(h[32:], uint32(t))
		for i, v := range []float64{bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1]} {
			binary.LittleEndian.PutUint64(h[36+8*i:], math.Float64bits(v))
		}
		w.Write(h[:])
	}
	if shpLen/2 > math.MaxInt32 {
		return fmt.Errorf("more than 4 GB of shapes")
	}
	header(shpW, shpLen/2)
	header(shxW, (100+8*len(recs))/2)
	off := 100
	for i, r := range recs {
		var rh [8]byte
		binary.BigEndian.PutUint32(rh[0:], uint32(i+1))
		binary.BigEndian.PutUint32(rh[4:], uint32(len(r)/2))
		shpW.Write(rh[:])
		shpW.Write(r)
		var ix [8]byte
		binary.BigEndian.PutUint32(ix[0:], uint32(off/2))
		binary.BigEndian.PutUint32(ix[4:], uint32(len(r)/2))
		shxW.Write(ix[:])
		off += 8 + len(r)
	}
	return nil
}

// clockwise returns an outer ring clockwise and a hole counter-clockwise,
// as Shapefiles turn them.
func clockwise(r orb.Ring, outer bool) []orb.Point {
	if (gis.SignedArea(r) < 0) == outer {
		return r
	}
	c := slices.Clone(r)
	slices.Reverse(c)
	return c
}

// fieldsOf chooses a DBF field per property key, in sorted order after
// feature_id: N when every value is a number (decimals as the values
// need, up to 15), L for booleans, C otherwise (arrays and objects as
// JSON). Names longer than 10 bytes are cut and made unique; names pairs
// them with the full names.
func fieldsOf(fs []gis.Feature) (fields []dbf.Field, keys []string, names [][2]string, err error) {
	type col struct {
		kind     byte
		length   int
		decimals int
		intLen   int
	}
	cols := map[string]*col{}
	idLen := 0
	for _, f := range fs {
		idLen = max(idLen, len(f.ID))
		for k, v := range f.Properties {
			c := cols[k]
			if c == nil {
				c = &col{}
				cols[k] = c
			}
			var kind byte
			switch x := v.(type) {
			case nil:
				continue
			case float64:
				kind = 'N'
				s := strconv.FormatFloat(x, 'f', -1, 64)
				ip, frac, _ := strings.Cut(s, ".")
				c.intLen = max(c.intLen, len(ip))
				c.decimals = min(max(c.decimals, len(frac)), 15)
			case bool:
				kind = 'L'
			default:
				kind = 'C'
			}
			c.length = max(c.length, len(text(v)))
			if c.kind != 0 && c.kind != kind {
				kind = 'C'
			}
			c.kind = kind
		}
	}
	keys = make([]string, 0, len(cols)+1)
	for k := range cols {
		if k != IDField {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	keys = append([]string{IDField}, keys...)
	used := map[string]bool{}
	for _, k := range keys {
		f := dbf.Field{Name: k}
		if len(k) > dbf.MaxNameLength || used[strings.ToUpper(k)] {
			f.Name = shortName(k, used)
			names = append(names, [2]string{f.Name, k})
		}
		used[strings.ToUpper(f.Name)] = true
		if k == IDField {
			f.Type, f.Length = 'C', max(idLen, 1)
			fields = append(fields, f)
			continue
		}
		c := cols[k]
		switch c.kind {
		case 'N':
			f.Type, f.Decimals = 'N', c.decimals
			f.Length = min(max(c.intLen+1+c.decimals+1, 10), 32)
			if c.decimals == 0 {
				f.Length = min(max(c.intLen+1, 10), 32)
			}
		case 'L':
			f.Type, f.Length = 'L', 1
		default:
			f.Type, f.Length = 'C', max(c.length, 1)
			if c.length > 254 {
				return nil, nil, nil, fmt.Errorf("property %s holds %d bytes of text, more than a DBF field's 254", k, c.length)
			}
		}
		fields = append(fields, f)
	}
	return fields, keys, names, nil
}

// shortName cuts a name to 10 bytes (on a character boundary), numbered
// when the cut is taken.
func shortName(k string, used map[string]bool) string {
	cut := func(s string, n int) string {
		for len(s) > n {
			s = s[:len(s)-1]
			for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
				s = s[:len(s)-1]
			}
		}
		return s
	}
	name := cut(k, dbf.MaxNameLength)
	for i := 1; used[strings.ToUpper(name)]; i++ {
		suffix := "_" + strconv.Itoa(i)
		name = cut(k, dbf.MaxNameLength-len(suffix)) + suffix
	}
	return name
}

// text is a property value as a DBF character field holds it.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func cell(v any, kind byte) any {
	if v == nil {
		return nil
	}
	switch kind {
	case 'N', 'L':
		return v
	}
	return text(v)
}
