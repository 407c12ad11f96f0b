package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"runtime"
	"slices"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
	"quyhoach/gis/geombin"
)

// Each body's land-use measure, stored beside it (body_measure, migration
// 0008): the text of its class property and the planar area of its grid
// geometry. A land-use balance of a whole plan reads these small rows
// instead of parsing every body. Derived from the body alone — verify
// recomputes it — and carrying a CRC-32C over body id, class and area that
// every read checks, as the grid form carries its own.

// ClassProperty is the property a lot's land-use class is read from
// (landuse.Catalogue.Of, plan.ClassOf): the one a measure keeps.
const ClassProperty = "phanLoai"

// Measure is what a land-use balance reads of a feature.
type Measure struct {
	Class string  // ClassProperty as gis.Feature.String reads it; "" when absent
	M2    float64 // gis.Area of the grid geometry (EPSG:9215), 0 without one
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// measureForm is a measure as stored (one column: a balance reads it for
// every lot): its area (float64, little-endian), the class's bytes, and a
// CRC-32C (little-endian) of body id, area and class.
func measureForm(id int64, m Measure) []byte {
	b := make([]byte, 8, 12+len(m.Class))
	binary.LittleEndian.PutUint64(b, math.Float64bits(m.M2))
	b = append(b, m.Class...)
	return binary.LittleEndian.AppendUint32(b, measureCRC(id, b))
}

// measureCRC is the checksum of body id's measure whose form, up to the
// checksum, is b.
func measureCRC(id int64, b []byte) uint32 {
	var key [8]byte
	binary.LittleEndian.PutUint64(key[:], uint64(id))
	return crc32.Update(crc32.Checksum(key[:], castagnoli), castagnoli, b)
}

// decodeMeasure reads body id's stored measure: its area and its class's
// bytes (within b); ok is false when its checksum does not match.
func decodeMeasure(id int64, b []byte) (m2 float64, class []byte, ok bool) {
	n := len(b) - 4
	if n < 8 || binary.LittleEndian.Uint32(b[n:]) != measureCRC(id, b[:n]) {
		return 0, nil, false
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:n], true
}

// bodyMeasure derives a body's measure from its text, its properties when
// at hand (nil: read from the text) and its grid form (gridForm of its
// geometry). The area is that of the grid form decoded, as LoadGrid gives
// the geometry to every balance.
func bodyMeasure(text []byte, props map[string]any, grid []byte) (Measure, error) {
	var m Measure
	switch v := props[ClassProperty].(type) {
	case nil:
		if props == nil {
			f, err := geojson.ParseProperties(text)
			if err != nil {
				return m, err
			}
			m.Class = f.String(ClassProperty)
		}
	case string:
		m.Class = v
		if !utf8.ValidString(v) { // the body holds it as written out: read it back
			f, err := geojson.ParseProperties(text)
			if err != nil {
				return m, err
			}
			m.Class = f.String(ClassProperty)
		}
	default: // a number or stranger: as the body writes it and reads back
		f, err := geojson.ParseProperties(text)
		if err != nil {
			return m, err
		}
		m.Class = f.String(ClassProperty)
	}
	if grid != nil {
		g, err := geombin.Decode(grid)
		if err != nil {
			return m, err
		}
		m.M2 = gis.Area(g)
	}
	return m, nil
}

// measureOf is bodyMeasure of a body just made, given the grid geometry
// its grid form was written from instead of the form: the form holds its
// coordinates exactly (float64), so the area is the same, bit for bit,
// without decoding what was just encoded.
func measureOf(text []byte, props map[string]any, g orb.Geometry) (Measure, error) {
	switch g.(type) {
	case orb.Ring, orb.Bound: // the form holds these as polygons: measured as read
		return bodyMeasure(text, props, geombin.Append(nil, g))
	}
	m, err := bodyMeasure(text, props, nil)
	if err == nil && g != nil {
		m.M2 = gis.Area(g)
	}
	return m, err
}

// fillMeasures derives the measure of every body already in a file
// (migration 0008), on all cores, a batch at a time: from the body's
// properties and its grid form (migration 0007 made it from the body; a
// read decodes it the same way), or from the whole body when it has none.
func fillMeasures(ctx context.Context, tx *sql.Tx, _ string) error {
	return fillDerived(ctx, tx, `SELECT b.id, b.geojson, g.geom FROM body b LEFT JOIN body_geom g ON g.body_id = b.id
		WHERE b.id > ? ORDER BY b.id LIMIT ?`, "body_measure (body_id, measure)",
		func(id int64, text, grid []byte) []byte {
			var m Measure
			var err error
			if grid == nil {
				m, err = measureOfText(text)
			} else if f, perr := geojson.ParseProperties(text); perr != nil {
				err = perr
			} else {
				m, err = bodyMeasure(text, propsOf(f), grid)
			}
			if err != nil {
				return nil // a damaged body keeps no measure; verify reports the body
			}
			return measureForm(id, m)
		})
}

// measureOfText is the measure of a stored body, from its text alone.
func measureOfText(text []byte) (Measure, error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return Measure{}, err
	}
	return bodyMeasure(text, propsOf(f), gridForm(f.Geometry))
}

// propsOf is f's properties, never nil (nil tells bodyMeasure to parse).
func propsOf(f gis.Feature) map[string]any {
	if f.Properties == nil {
		return map[string]any{}
	}
	return f.Properties
}

// MeasureError is a stored measure that does not match its checksum: what
// a balance refuses, naming the feature.
type MeasureError struct {
	Feature string // feature id
	Lot     string // its lot code, when its body tells it
}

func (e *MeasureError) Error() string {
	lot := ""
	if e.Lot != "" {
		lot = "lot " + e.Lot + " "
	}
	return fmt.Sprintf("%s(feature %s): the stored land-use measure is damaged (its checksum does not match); run quyhoach verify", lot, e.Feature)
}

// measuredItem is one feature of a layer as a balance reads it.
type measuredItem struct {
	id   string
	seq  int64
	body int64
	m    Measure
	ok   bool // m read and checked; else derived from the body
}

// Measures returns the class and area of every feature of a layer of a
// state, in the order Load gives them (a proposal's as Proposal does), read
// from the stored measures without parsing a body: what diff.BalanceOf
// computes from the loaded lots, to the bit. A layer the state lacks
// gives none.
func (s *Store) Measures(ctx context.Context, code string, ref StateRef, layer string) (Side, []Measure, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Side{}, nil, wrapState("measures of "+code, err)
	}
	defer tx.Rollback()
	st, err := resolveState(ctx, tx, code, ref)
	if err != nil {
		return Side{}, nil, wrapState("measures of "+code, err)
	}
	items, err := measuredItems(ctx, tx, s.db, st, layer)
	if err != nil {
		return st.Side, nil, wrapState("measures of "+st.Plan, err)
	}
	return st.Side, measuresOf(items), nil
}

// measuredItems reads a state's layer: a version's items in seq order, or
// a proposal's (its base's with the changes applied in place, deletions
// and additions dropped from their place, additions then appended in id
// order, as propose does).
func measuredItems(ctx context.Context, q querier, db *sql.DB, st *state, layer string) ([]measuredItem, error) {
	layerID, err := layerIDOf(ctx, q, st.planID, layer)
	if err != nil || layerID == 0 {
		return nil, err
	}
	items, err := scanMeasures(ctx, db, st.versionID, layerID, st.changes != nil)
	if err != nil {
		return nil, err
	}
	return finishMeasures(ctx, q, st, layerID, items)
}

// scanMeasures reads the measured items of a version's layer in seq order,
// with their feature ids when withIDs (a proposal's base: its changes are
// by id; a version's items need none, and sparing 100 000 strings is a
// tenth of the read). A large layer is read in two halves of its ids at
// once, each on a connection of its own (scanConn): the read is SQLite
// stepping rows, one core's work per half.
func scanMeasures(ctx context.Context, db *sql.DB, versionID, layerID int64, withIDs bool) ([]measuredItem, error) {
	var n int // the layer's size, when known: the lists made once at their size
	if err := db.QueryRowContext(ctx, "SELECT features FROM version_layer WHERE version_id = ? AND layer_id = ?", versionID, layerID).Scan(&n); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	n = min(n, 1<<20) // a hint: a stored count is not trusted with memory
	split, err := splitKey(ctx, db, versionID, n)
	if err != nil {
		return nil, err
	}
	if split == "" {
		items, err := scanMeasureRange(ctx, db, versionID, layerID, withIDs, n, "", "")
		if err != nil {
			return nil, err
		}
		sortBySeq(items)
		return items, nil
	}
	var low []measuredItem
	var lowErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		low, lowErr = scanMeasureRange(ctx, db, versionID, layerID, withIDs, n, "", split) // room for high after it
	}()
	high, err := scanMeasureRange(ctx, db, versionID, layerID, withIDs, n/2, split, "")
	<-done
	if err = cmp.Or(lowErr, err); err != nil {
		return nil, err
	}
	items := append(low, high...)
	sortBySeq(items)
	return items, nil
}

// splitKey is a feature id about halfway through the items of version
// versionID's plan when a layer of n features is worth reading in two
// halves at once; "" when it is not (small, or one core). Any id splits
// correctly; this one splits evenly when the layer is most of the plan.
func splitKey(ctx context.Context, db *sql.DB, versionID int64, n int) (string, error) {
	if n < splitFrom || runtime.GOMAXPROCS(0) < 2 {
		return "", nil
	}
	var key string
	err := db.QueryRowContext(ctx, `SELECT feature_id FROM item WHERE plan_id = (SELECT plan_id FROM version WHERE id = ?)
		ORDER BY feature_id LIMIT 1 OFFSET ?`, versionID, n/2).Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return key, err
}

// splitFrom is the size of a layer from which its measures are read in two
// halves: below it the second connection costs more than it saves. Tests
// lower it.
var splitFrom = 20_000

// scanMeasureRange reads the measured items of a version's layer whose
// ids are in [from, to) ("": unbounded), in id order, on a connection of
// its own; size is the list's expected length.
func scanMeasureRange(ctx context.Context, db *sql.DB, versionID, layerID int64, withIDs bool, size int, from, to string) ([]measuredItem, error) {
	q, release, err := scanConn(ctx, db)
	if err != nil {
		return nil, err
	}
	defer release()
	query := `SELECT i.seq, i.body_id, m.measure`
	if withIDs {
		query += ", i.feature_id"
	}
	query += ` FROM version_item i LEFT JOIN body_measure m ON m.body_id = i.body_id WHERE i.version_id = ? AND i.layer_id = ?`
	args := []any{versionID, layerID}
	if from != "" {
		query += " AND i.feature_id >= ?"
		args = append(args, from)
	}
	if to != "" {
		query += " AND i.feature_id < ?"
		args = append(args, to)
	}
	items := make([]measuredItem, 0, size)
	// Rows straight from the driver: database/sql's Scan converting each
	// value was a fifth of the read.
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	var damaged int64 // the body whose measure does not match its checksum
	err = q.Raw(func(dc any) error {
		queryer, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("store: the SQLite driver cannot query")
		}
		rows, err := queryer.QueryContext(ctx, query, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		var dec measureDecoder
		dest := make([]driver.Value, len(rows.Columns()))
		for {
			if err := rows.Next(dest); err == io.EOF {
				return nil
			} else if err != nil {
				return err
			}
			seq, ok1 := dest[0].(int64)
			body, ok2 := dest[1].(int64)
			form, ok3 := dest[2].([]byte)
			if !ok1 || !ok2 || !ok3 && dest[2] != nil {
				return fmt.Errorf("store: an item's seq, body or measure of version %d is not what the store writes (%T, %T, %T)", versionID, dest[0], dest[1], dest[2])
			}
			it := measuredItem{seq: seq, body: body}
			if withIDs {
				if it.id, ok1 = dest[3].(string); !ok1 {
					return fmt.Errorf("store: a feature id of version %d is not text (%T)", versionID, dest[3])
				}
			}
			if !dec.decode(&it, form) {
				damaged = it.body
				return nil
			}
			items = append(items, it)
		}
	})
	if err != nil {
		return nil, err
	}
	if damaged != 0 {
		return nil, measureErr(ctx, q, versionID, damaged)
	}
	return items, nil
}

// sortBySeq puts items in their version's order.
func sortBySeq(items []measuredItem) {
	bySeq := func(a, b measuredItem) int { return cmp.Compare(a.seq, b.seq) }
	if !slices.IsSortedFunc(items, bySeq) { // ids in import order often are
		slices.SortStableFunc(items, bySeq)
	}
}

// measureDecoder decodes stored measures, keeping one string per class.
type measureDecoder struct{ classes map[string]string }

// decode gives it the measure of its body stored as form (nil: none
// stored, left to deriveMissing); false when its checksum does not match.
func (d *measureDecoder) decode(it *measuredItem, form []byte) bool {
	if form == nil {
		return true
	}
	m2, class, ok := decodeMeasure(it.body, form)
	if !ok {
		return false
	}
	c, seen := d.classes[string(class)]
	if !seen {
		if d.classes == nil {
			d.classes = map[string]string{}
		}
		c = string(class)
		d.classes[c] = c
	}
	it.m, it.ok = Measure{c, m2}, true
	return true
}

// finishMeasures turns a state's version's items of a layer into the
// state's: a proposal's changes applied; measures missing derived.
func finishMeasures(ctx context.Context, q querier, st *state, layerID int64, items []measuredItem) ([]measuredItem, error) {
	if st.changes != nil {
		var err error
		if items, err = proposeItems(ctx, q, st, layerID, items); err != nil {
			return nil, err
		}
	}
	return items, deriveMissing(ctx, q, st.versionID, items)
}

// measuresOf is the measures of items.
func measuresOf(items []measuredItem) []Measure {
	out := make([]Measure, len(items))
	for i, it := range items {
		out[i] = it.m
	}
	return out
}

// measureErr names the feature of a version whose body's measure is damaged.
func measureErr(ctx context.Context, q querier, versionID, body int64) error {
	e := &MeasureError{Feature: fmt.Sprintf("(body %d)", body)}
	var id string
	var text []byte
	if q.QueryRowContext(ctx, `SELECT i.feature_id, b.geojson FROM version_item i JOIN body b ON b.id = i.body_id
		WHERE i.version_id = ? AND i.body_id = ? LIMIT 1`, versionID, body).Scan(&id, &text) == nil {
		e.Feature = id
		if f, err := geojson.ParseProperties(text); err == nil {
			e.Lot = f.String("maDoiTuong")
		}
	}
	return e
}

// proposeItems applies a dossier's changes to its base's items of a layer
// (in place: base is not kept).
func proposeItems(ctx context.Context, q querier, st *state, layerID int64, base []measuredItem) ([]measuredItem, error) {
	out := base[:0]
	var bodies []int64
	for _, it := range base {
		c, ok := st.changes[it.id]
		switch {
		case !ok:
			out = append(out, it)
		case c.op == "modify":
			out = append(out, measuredItem{id: it.id, body: c.body})
			bodies = append(bodies, c.body)
		}
	}
	for _, id := range st.order { // additions, in id order
		if c := st.changes[id]; c.op == "add" && c.layer == layerID {
			out = append(out, measuredItem{id: id, body: c.body})
			bodies = append(bodies, c.body)
		}
	}
	stored, err := storedMeasures(ctx, q, bodies)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if m, ok := stored[out[i].body]; !out[i].ok && ok {
			out[i].m, out[i].ok = m, true
		}
	}
	return out, nil
}

// storedMeasures reads the measures of some bodies, checked; a body
// without one is left out.
func storedMeasures(ctx context.Context, q querier, bodies []int64) (map[int64]Measure, error) {
	out := map[int64]Measure{}
	for chunk := range slices.Chunk(bodies, batchRows) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, "SELECT body_id, measure FROM body_measure WHERE body_id IN ("+placeholders(len(chunk), 1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var form []byte
			if err := rows.Scan(&id, &form); err != nil {
				rows.Close()
				return nil, err
			}
			m2, class, ok := decodeMeasure(id, form)
			if !ok {
				rows.Close()
				return nil, &MeasureError{Feature: fmt.Sprintf("(body %d)", id)}
			}
			out[id] = Measure{string(class), m2}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// deriveMissing gives the items whose body has no stored measure (verify
// reports those) the measure of the body itself, read and checked.
func deriveMissing(ctx context.Context, q querier, versionID int64, items []measuredItem) error {
	var missing []int
	for i := range items {
		if !items[i].ok {
			missing = append(missing, i)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	ids := make([]int64, len(missing))
	for k, i := range missing {
		ids[k] = items[i].body
	}
	bodies, err := readBodies(ctx, q, ids)
	if err != nil {
		return err
	}
	for _, i := range missing {
		if items[i].id == "" { // a version's item, read without its id
			if err := q.QueryRowContext(ctx, "SELECT feature_id FROM version_item WHERE version_id = ? AND body_id = ? LIMIT 1",
				versionID, items[i].body).Scan(&items[i].id); err != nil {
				return err
			}
		}
		b := bodies[items[i].body]
		if err := checkBody(items[i].id, b.text, b.hash); err != nil {
			return err
		}
		f, err := decodeGrid(items[i].id, b.text, b.grid)
		if err != nil {
			return err
		}
		if items[i].m, err = bodyMeasure(b.text, propsOf(f), b.grid); err != nil {
			return fmt.Errorf("feature %s: stored body: %w", items[i].id, err)
		}
		if b.grid == nil && f.Geometry != nil { // no grid form: the body projected
			items[i].m.M2 = gis.Area(f.Geometry)
		}
	}
	return nil
}

// measureRows are the stored measures verify checks: body id → form.
type measureRows map[int64][]byte

// measures reads every stored measure and reports those of no body.
func (v *verifier) measures() (measureRows, error) {
	out := measureRows{}
	err := v.rows("SELECT body_id, measure FROM body_measure", func(r *sql.Rows) error {
		var id int64
		var form []byte
		if err := r.Scan(&id, &form); err != nil {
			return err
		}
		out[id] = form
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, v.rows("SELECT body_id FROM body_measure WHERE body_id NOT IN (SELECT id FROM body) ORDER BY body_id", func(r *sql.Rows) error {
		var id int64
		if err := r.Scan(&id); err != nil {
			return err
		}
		v.add(Finding{Check: "measure", Feature: fmt.Sprintf("(body %d, which does not exist)", id), Problem: "a land-use measure without its body"})
		return nil
	})
}

// problem is what is wrong with the stored measure of body id, whose text
// is sound, f its parsed feature and grid its (checked) grid form; "" when
// nothing is.
func (rows measureRows) problem(id int64, text []byte, f gis.Feature, grid []byte) string {
	form, ok := rows[id]
	if !ok {
		return "the body has no land-use measure"
	}
	want, err := bodyMeasure(text, propsOf(f), grid)
	if err != nil {
		return "the land-use measure cannot be derived: " + err.Error()
	}
	if bytes.Equal(form, measureForm(id, want)) {
		return ""
	}
	m2, class, ok := decodeMeasure(id, form)
	if !ok {
		return "the stored land-use measure does not match its checksum"
	}
	return fmt.Sprintf("the stored land-use measure (%q, %g m²) differs from the body's (%q, %g m²)", class, m2, want.Class, want.M2)
}
