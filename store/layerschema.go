package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"maps"
	"strings"

	"quyhoach/gis"
)

// layerSchema counts, over a layer's features, each property's values by
// kind ("" for null, REAL, BOOLEAN or TEXT, as columnKinds names them) and
// the geometries by GeoJSON type: what a GeoPackage table of the layer
// needs (tableKinds), stored with the version's layer counts
// (version_layer.schema, migration 0016). Counted rather than the kinds
// alone so that an approval can take away what its changes replace.
type layerSchema struct {
	Props map[string]map[string]int `json:"p"`
	Geoms map[string]int            `json:"g"`
}

func newLayerSchema() *layerSchema {
	return &layerSchema{Props: map[string]map[string]int{}, Geoms: map[string]int{}}
}

// addBody counts a stored body's kinds n times (-1 takes them away).
func (s *layerSchema) addBody(text []byte, n int) { bodySchema(text, schemaCount{s, n}) }

// schemaCount is a kindSink counting into a layerSchema n at a time.
type schemaCount struct {
	s *layerSchema
	n int
}

func (c schemaCount) addKind(key, kind string) {
	byKind := c.s.Props[key]
	if byKind == nil {
		byKind = map[string]int{}
		c.s.Props[key] = byKind
	}
	if byKind[kind] += c.n; byKind[kind] == 0 {
		delete(byKind, kind)
		if len(byKind) == 0 {
			delete(c.s.Props, key)
		}
	}
}

func (c schemaCount) addType(typ string) {
	if c.s.Geoms[typ] += c.n; c.s.Geoms[typ] == 0 {
		delete(c.s.Geoms, typ)
	}
}

// merge counts o into s.
func (s *layerSchema) merge(o *layerSchema) {
	for key, byKind := range o.Props {
		for kind, n := range byKind {
			schemaCount{s, n}.addKind(key, kind)
		}
	}
	for typ, n := range o.Geoms {
		schemaCount{s, n}.addType(typ)
	}
}

func (s *layerSchema) clone() *layerSchema {
	c := &layerSchema{Props: make(map[string]map[string]int, len(s.Props)), Geoms: maps.Clone(s.Geoms)}
	for key, byKind := range s.Props {
		c.Props[key] = maps.Clone(byKind)
	}
	return c
}

// sound tells whether every count is above zero: one that is not comes
// of a stored schema that is not its layer's (verify says which).
func (s *layerSchema) sound() bool {
	for _, byKind := range s.Props {
		for _, n := range byKind {
			if n <= 0 {
				return false
			}
		}
	}
	for _, n := range s.Geoms {
		if n <= 0 {
			return false
		}
	}
	return true
}

// tableKinds are the kinds a GeoPackage table of the layer takes: the
// ones a pass over its features gives (neither depends on their order).
func (s *layerSchema) tableKinds() tableKinds {
	t := tableKinds{cols: columnKinds{}}
	for key, byKind := range s.Props {
		for _, kind := range sortedKeys(byKind) {
			t.cols.addKind(key, kind)
		}
	}
	for _, typ := range sortedKeys(s.Geoms) {
		t.geom.addType(typ)
	}
	return t
}

// encode is the stored text: JSON, keys sorted, so equal schemas are equal
// texts.
func (s *layerSchema) encode() string {
	b, _ := json.Marshal(s) // maps of strings and ints: cannot fail
	return string(b)
}

// decodeLayerSchema reads a stored schema; ok is false for NULL, or for a
// text that is not a sound one (the export then counts the bodies itself).
func decodeLayerSchema(text sql.NullString) (*layerSchema, bool) {
	if !text.Valid {
		return nil, false
	}
	s := newLayerSchema()
	d := json.NewDecoder(strings.NewReader(text.String))
	d.DisallowUnknownFields()
	if err := d.Decode(s); err != nil || s.Props == nil || s.Geoms == nil || !s.sound() {
		return nil, false
	}
	return s, true
}

// storedSchemas reads version verID's stored schemas by layer id; a layer
// whose schema is not known maps to nil.
func storedSchemas(ctx context.Context, q querier, verID int64) (map[int64]*layerSchema, error) {
	rows, err := q.QueryContext(ctx, "SELECT layer_id, schema FROM version_layer WHERE version_id = ?", verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*layerSchema{}
	for rows.Next() {
		var layer int64
		var text sql.NullString
		if err := rows.Scan(&layer, &text); err != nil {
			return nil, err
		}
		out[layer], _ = decodeLayerSchema(text)
	}
	return out, rows.Err()
}

// approvedLayerSchemas are the schemas of the layers a dossier's change
// set touches, for the version its approval makes over version curID (by
// layer id; nil when not known): curID's, less the bodies the change set
// replaces or deletes there, plus the ones it writes there — the change
// set's size, whatever the plan's. A layer curID does not know the schema
// of stays unknown; one the change set brings starts from nothing. The
// layers it leaves alone keep curID's (countApprovedLayers).
func approvedLayerSchemas(ctx context.Context, tx *sql.Tx, curID, dossier int64) (map[int64]*string, error) {
	cur, err := versionAt(ctx, tx, curID)
	if err != nil {
		return nil, err
	}
	parent, err := storedSchemas(ctx, tx, curID)
	if err != nil {
		return nil, err
	}
	touched := map[int64]*layerSchema{}
	known := map[int64]bool{}
	schemaOf := func(layer int64) *layerSchema {
		if s, ok := touched[layer]; ok {
			return s
		}
		p, had := parent[layer]
		switch {
		case !had:
			touched[layer], known[layer] = newLayerSchema(), true
		case p != nil:
			touched[layer], known[layer] = p.clone(), true
		default:
			touched[layer] = newLayerSchema() // counted, not written
		}
		return touched[layer]
	}
	rows, err := tx.QueryContext(ctx, `SELECT k.layer_id, o.geojson, c.layer_id, n.geojson FROM dossier_change c
		LEFT JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id LEFT JOIN body o ON o.id = k.body_id
		LEFT JOIN body n ON n.id = c.body_id WHERE c.dossier_id = ?`, dossier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var oldLayer sql.NullInt64
		var oldText, newText []byte
		var layer int64
		if err := rows.Scan(&oldLayer, &oldText, &layer, &newText); err != nil {
			return nil, err
		}
		if oldLayer.Valid {
			schemaOf(oldLayer.Int64).addBody(oldText, -1)
		}
		if newText != nil {
			schemaOf(layer).addBody(newText, 1)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[int64]*string, len(touched))
	for layer, s := range touched {
		out[layer] = nil
		if known[layer] && s.sound() {
			text := s.encode()
			out[layer] = &text
		}
	}
	return out, nil
}

// bodyKindList is a body's kinds in one string, each entry length-
// prefixed so that any key reads back as it was: 'k', the key's length
// (uvarint), the key, the kind's length, the kind; or 'g', the geometry
// type's length, the type.
type bodyKindList struct{ b []byte }

func (l *bodyKindList) addKind(key, kind string) {
	l.b = append(binary.AppendUvarint(append(l.b, 'k'), uint64(len(key))), key...)
	l.b = append(binary.AppendUvarint(l.b, uint64(len(kind))), kind...)
}

func (l *bodyKindList) addType(typ string) {
	l.b = append(binary.AppendUvarint(append(l.b, 'g'), uint64(len(typ))), typ...)
}

// sortedKinds is f's kinds as a bodyKindList, properties in key order: the
// same kinds, the same list.
func sortedKinds(f gis.Feature) []byte {
	var l bodyKindList
	for _, k := range sortedKeys(f.Properties) {
		l.addKind(k, valueKind(f.Properties[k]))
	}
	if f.Geometry != nil {
		l.addType(f.Geometry.GeoJSONType())
	}
	return l.b
}

// addList counts a bodyKindList's entries n times.
func (s *layerSchema) addList(list string, n int) {
	c := schemaCount{s, n}
	next := func() string { // a length (uvarint) and that many bytes
		size, shift := 0, 0
		for list[0] >= 0x80 {
			size |= int(list[0]&0x7f) << shift
			list, shift = list[1:], shift+7
		}
		size |= int(list[0]) << shift
		v := list[1 : 1+size]
		list = list[1+size:]
		return v
	}
	for len(list) > 0 {
		tag := list[0]
		list = list[1:]
		if tag == 'g' {
			c.addType(next())
			continue
		}
		key := next()
		c.addKind(key, next())
	}
}

// kindRuns counts bodies' kinds into a schema a run at a time: the bodies
// of a layer mostly have the kinds of the one before, and a run of them
// is counted once.
type kindRuns struct {
	s         *layerSchema
	prev, cur bodyKindList
	n         int
}

func (r *kindRuns) add(text []byte) {
	r.cur.b = r.cur.b[:0]
	bodySchema(text, &r.cur)
	if r.n > 0 && string(r.cur.b) == string(r.prev.b) {
		r.n++
		return
	}
	r.flush()
	r.prev, r.cur, r.n = r.cur, r.prev, 1
}

// flush counts the run under way.
func (r *kindRuns) flush() {
	if r.n > 0 {
		r.s.addList(string(r.prev.b), r.n)
		r.n = 0
	}
}
