package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/paulmach/orb/project"

	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/geojson"
	"quyhoach/gis/gpkg"
)

// ExportGeoPackage writes layers (nil: every layer) of version number (0:
// the current one) of plan code as a GeoPackage in c: VersionWalk.GeoPackage
// over a walk of the version. Errors are those of the whole-version path,
// but that in the grid the checked grid forms are read instead of bodies
// (store/gridprops.go).
func (s *Store) ExportGeoPackage(ctx context.Context, path, code string, number int, layers []string, c crs.Code) error {
	err := s.WalkVersion(ctx, code, number, layers, func(w *VersionWalk) error {
		return w.GeoPackage(ctx, path, w.Layers, c)
	})
	err, _ = ReadError(err)
	return err
}

// GeoPackage writes layers of the walked version (or proposal) as a
// GeoPackage in c, the same file WriteGeoPackage makes of them loaded and
// projected, but read a batch at a time: memory follows the batch, not the
// plan. In the plan's grid (EPSG:9215, TT 16's delivery CRS) the geometry
// is the stored grid form, neither parsed nor projected. Each table's
// columns and geometry type come from the kinds the version's layer has
// stored, else from a first pass over the layer's bodies that reads only
// their properties' kinds and geometry type (gpkgSchema). An error in
// reading the version is a walk's (ReadError).
func (w *VersionWalk) GeoPackage(ctx context.Context, path string, layers []string, c crs.Code) error {
	p, err := crs.New(crs.WGS84, c) // refused in the order the whole-version path refuses
	if err != nil {
		return err
	}
	srs, err := gpkg.SRSOf(c)
	if err != nil {
		return err
	}
	var tr func(gis.Feature) gis.Feature // from WGS84 into c, when c is neither
	if c != crs.WGS84 && c != crs.TM3LangSon {
		tr = func(f gis.Feature) gis.Feature {
			if f.Geometry != nil {
				f.Geometry = project.Geometry(f.Geometry, p)
			}
			return f
		}
	}
	err = atomicfile.Write(path, func(f *os.File) error {
		return fillGPKG(ctx, f.Name(), srs, func(g *gpkgFile) error {
			for _, name := range layers {
				kinds, err := w.gpkgSchema(ctx, name)
				if err != nil {
					return err
				}
				err = g.layer(ctx, name, kinds, func(t *gpkgTable) error {
					return w.Features(ctx, name, c == crs.TM3LangSon, func(fs []gis.Feature) error {
						if tr != nil {
							for i := range fs {
								fs[i] = tr(fs[i])
							}
						}
						return t.add(ctx, fs)
					})
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
	if _, read := ReadError(err); err == nil || read {
		return err
	}
	return fmt.Errorf("store: geopackage %s: %w", path, err)
}

// gpkgSchema reads what a layer's table needs before its rows: the kinds
// of every property and the geometry types. A version's layer has them
// stored (version_layer.schema) when its writer counted them; else, and
// for a proposal, they are counted from the stored bodies (in any order:
// neither depends on it), each checked against its sha256 as every body
// read is (stricter, in the grid, than the rows' pass, which reads the grid
// forms); the rows' kinds are held to the table's at the end of the layer
// (gpkgFile.layer).
func (w *VersionWalk) gpkgSchema(ctx context.Context, layer string) (tableKinds, error) {
	t := tableKinds{cols: columnKinds{}}
	p := w.proposal
	layerID, ok := w.layers[layer]
	if ok && p == nil {
		var text sql.NullString
		err := w.tx.QueryRowContext(ctx, "SELECT schema FROM version_layer WHERE version_id = ? AND layer_id = ?", w.verID, layerID).Scan(&text)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return t, &walkError{wrap("load "+w.Plan.Code, err)}
		}
		if s, ok := decodeLayerSchema(text); ok {
			return s.tableKinds(), nil
		}
	}
	if ok {
		// By key, to learn on the way whether the rows' pass needs a sort.
		rows, err := w.tx.QueryContext(ctx, `SELECT i.feature_id, i.seq, b.geojson, b.hash FROM version_item i JOIN body b ON b.id = i.body_id
			WHERE i.version_id = ? AND i.layer_id = ? ORDER BY i.feature_id`, w.verID, layerID)
		if err != nil {
			return t, &walkError{wrap("load "+w.Plan.Code, err)}
		}
		defer rows.Close()
		var seq seqOrder
		var id, text, hash sql.RawBytes
		for rows.Next() {
			var q int64
			if err := rows.Scan(&id, &q, &text, &hash); err != nil {
				return t, &walkError{wrap("load "+w.Plan.Code, err)}
			}
			seq.add(q)
			if p != nil {
				if i, changed := p.changes[string(id)]; changed {
					if c := p.d.Changes[i]; c.Op == "modify" {
						t.addFeature(*c.Feature)
					}
					continue
				}
			}
			if err := checkBody(string(id), text, hash); err != nil {
				return t, &walkError{wrap("load "+w.Plan.Code, err)}
			}
			bodySchema(text, &t)
		}
		if err := rows.Err(); err != nil {
			return t, &walkError{wrap("load "+w.Plan.Code, err)}
		}
		w.ordered[layerID] = seq.inOrder()
	}
	if p != nil {
		for _, i := range p.added[layer] {
			t.addFeature(*p.d.Changes[i].Feature)
		}
	}
	return t, nil
}

// bodySchema counts a stored body's property kinds and geometry type into
// sink. A canonical body (geojson.AppendCanonical: members type,
// geometry, properties; no space; keys sorted) is read as text: the first
// byte of a value tells its kind as the reader would decode it. Anything
// else is parsed; an unreadable body counts nothing (its row is refused).
func bodySchema(text []byte, sink kindSink) {
	if typ, props, ok := canonicalParts(text); ok && scanKinds(props, sink) {
		if typ != "" {
			sink.addType(typ)
		}
		return
	}
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return
	}
	addKinds(sink, f)
}

var (
	bodyStart    = []byte(`{"type":"Feature","geometry":`)
	geometryType = []byte(`{"type":"`)
	propsMember  = []byte(`,"properties":`)
	// coordinatesMember follows a canonical geometry's type when it has coordinates
	coordinatesMember = []byte(`,"coordinates":`)
)

// canonicalParts finds a canonical body's geometry type ("" for null) and
// its properties object; ok is false for any other text.
func canonicalParts(text []byte) (typ string, props []byte, ok bool) {
	rest, found := bytes.CutPrefix(text, bodyStart)
	if !found {
		return "", nil, false
	}
	switch {
	case bytes.HasPrefix(rest, []byte("null,")):
	case bytes.HasPrefix(rest, geometryType):
		name := rest[len(geometryType):]
		end := bytes.IndexByte(name, '"')
		if end <= 0 {
			return "", nil, false
		}
		typ = string(name[:end])
	default:
		return "", nil, false
	}
	// A geometry holds type names and numbers only: the first
	// "properties": is the member. (Looked for from its quote, which a
	// geometry has few of; its commas are everywhere. One with
	// coordinates has none after them: the next quote is the member's.)
	at := -1
	if coords := len(geometryType) + len(typ) + 1; typ != "" && bytes.HasPrefix(rest[coords:], coordinatesMember) {
		q := bytes.IndexByte(rest[coords+len(coordinatesMember):], '"')
		if q < 0 || !bytes.HasPrefix(rest[coords+len(coordinatesMember)+q:], propsMember[1:]) {
			return "", nil, false
		}
		at = coords + len(coordinatesMember) + q
	} else {
		at = bytes.Index(rest, propsMember[1:])
	}
	if at < 1 || rest[at-1] != ',' || !bytes.HasSuffix(rest, []byte("}")) {
		return "", nil, false
	}
	return typ, rest[at+len(propsMember)-1 : len(rest)-1], true
}

// scanKinds counts the kinds of the members of a canonical properties
// object; false (nothing counted) when it is not one, or a key has an
// escape: the caller parses the body instead.
func scanKinds(obj []byte, sink kindSink) bool {
	type member struct{ key, kind string }
	var found [32]member
	ms := found[:0]
	if len(obj) < 2 || obj[0] != '{' {
		return false
	}
	i := 1
	if obj[i] == '}' {
		return i == len(obj)-1
	}
	for {
		if i >= len(obj) || obj[i] != '"' {
			return false
		}
		end := bytes.IndexByte(obj[i+1:], '"')
		if end < 0 {
			return false
		}
		key := obj[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 {
			return false
		}
		i += end + 2
		if i >= len(obj) || obj[i] != ':' {
			return false
		}
		i++
		if i >= len(obj) {
			return false
		}
		var kind string
		switch c := obj[i]; {
		case c == '"' || c == '{' || c == '[':
			kind = "TEXT"
		case c == 't' || c == 'f':
			kind = "BOOLEAN"
		case c == 'n':
		case c == '-' || c >= '0' && c <= '9':
			kind = "REAL"
		default:
			return false
		}
		next := skipValue(obj, i)
		if next < 0 || next >= len(obj) {
			return false
		}
		ms = append(ms, member{string(key), kind})
		i = next
		if obj[i] == '}' {
			if i != len(obj)-1 {
				return false
			}
			break
		}
		if obj[i] != ',' {
			return false
		}
		i++
	}
	for _, m := range ms {
		sink.addKind(m.key, m.kind)
	}
	return true
}

// skipValue returns the index just past the JSON value at obj[i] (a
// canonical one: no space), or -1.
func skipValue(obj []byte, i int) int {
	depth := 0
	for i < len(obj) {
		switch c := obj[i]; c {
		case '"':
			i++
			for i < len(obj) && obj[i] != '"' {
				if obj[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(obj) {
				return -1
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(obj) && (obj[i] == ',' || obj[i] == '}') {
			return i
		}
	}
	return -1
}
