package store

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
	"quyhoach/gis/geombin"
)

// ImportRequest is a set of layers that becomes a plan's new current version.
// Layers not named are carried over from the current version unchanged.
type ImportRequest struct {
	Plan   string
	Layers []gis.Layer // geometry in WGS84 lon/lat
	// Key names a property that identifies a feature across versions (e.g.
	// maDoiTuong): an imported feature whose key matches a current one keeps
	// that feature's id. Otherwise (and without a key) a feature keeps its
	// own id when that is a current id, else the id of a current feature
	// with an identical body; else it gets a new id (see match).
	Key          string
	Message      string
	Source       string // import (default) | sample | dossier
	DecisionNo   string
	DecisionDate string
	MaThongTinQH string
	// Progress, when set, is called from the writing goroutine every few
	// thousand features with how many of the total are written.
	Progress func(done, total int)
	// Repair makes invalid lots of area layers valid where that can be done
	// without guessing (topo.Repair), instead of refusing the import; each
	// is reported in ImportResult.Repaired.
	Repair bool
}

// ImportResult says what an import did.
type ImportResult struct {
	Version   Version  // the new current version (the old one when Unchanged)
	Unchanged bool     // the layers equal the current ones: no version written
	Kept      int      // features that kept the id of a current feature
	Added     int      // features given a new id
	Removed   int      // current features of these layers not in the import
	NewBodies int      // bodies written (the rest were shared)
	Repaired  []string // the lots Repair made valid, one line each
}

// errUnchanged rolls back an import that changes nothing.
var errUnchanged = errors.New("unchanged")

// body is one feature prepared for storage.
type body struct {
	text []byte
	hash [32]byte
	bbox orb.Bound
	geom bool   // has a geometry, so a bbox
	grid []byte // the geometry's grid form (body_geom), nil without one
	// props is the grid properties form (body_geom.props, propsForm) of a
	// body with a grid form
	props []byte
	meas  Measure // its land-use measure (body_measure)
}

// Import writes req as the plan's new current version in one transaction:
// on any error, or if the process dies, the file stays as it was. A lot of
// an area layer (_A) must be valid (topo.Validate), or req.Repair repairs
// it; with req.Key every feature needs the key. See ImportFrom to stream.
func (s *Store) Import(ctx context.Context, req ImportRequest) (ImportResult, error) {
	sources := make([]LayerSource, len(req.Layers))
	for i, l := range req.Layers {
		sources[i] = Features(l)
	}
	return s.ImportFrom(ctx, req, sources)
}

// prepareBodies encodes and hashes every feature on all cores.
func prepareBodies(layers []gis.Layer) [][]body {
	out := make([][]body, len(layers))
	type job struct{ l, lo, hi int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				for i := j.lo; i < j.hi; i++ {
					out[j.l][i] = encodeBody(layers[j.l].Features[i])
				}
			}
		}()
	}
	for l, layer := range layers {
		out[l] = make([]body, len(layer.Features))
		for lo := 0; lo < len(layer.Features); lo += 1024 {
			jobs <- job{l, lo, min(lo+1024, len(layer.Features))}
		}
	}
	close(jobs)
	wg.Wait()
	return out
}

// encodeBody is the canonical GeoJSON of f without its id and lineage: the
// id is the feature's identity, lineage is recorded beside the version, the
// body is its content.
func encodeBody(f gis.Feature) body { return encodeBodyWith(f, nil) }

// encodeBodyWith is encodeBody projecting through cache (nil: none).
func encodeBodyWith(f gis.Feature, cache *gridCache) body {
	f.ID = ""
	if _, ok := f.Properties["parents"]; ok {
		f.Properties = withoutKeys(f.Properties, "parents")
	}
	var b body
	if cache != nil { // written into the worker's buffers, then copied at their size
		cache.text = geojson.AppendCanonical(cache.text[:0], f, true)
		b.text = bytes.Clone(cache.text)
	} else {
		b.text = geojson.AppendCanonical(nil, f, true)
	}
	b.hash = sha256.Sum256(b.text)
	var g orb.Geometry // the grid form's geometry
	if f.Geometry != nil {
		b.bbox, b.geom = bound(f.Geometry), true
		if cache != nil {
			g = cache.toGridForm(f.Geometry)
			cache.grid = geombin.Append(cache.grid[:0], g)
			b.grid = bytes.Clone(cache.grid)
		} else {
			g = toGridForm(f.Geometry)
			b.grid = geombin.Append(nil, g)
		}
		b.props = propsForm(b.text)
	}
	b.meas, _ = measureOf(b.text, propsOf(f), g) // of what it just wrote: cannot fail
	return b
}

// bound is g.Bound(), a polygon's in a plain pass over its shell (orb
// extends a bound point by point, checking it for emptiness and the point
// for containment: a tenth of preparing a lot). A shell with a coordinate
// of zero or NaN is left to orb, whose min and max order -0 before 0 and
// let NaN through.
func bound(g orb.Geometry) orb.Bound {
	p, ok := g.(orb.Polygon)
	if !ok || len(p) == 0 || len(p[0]) == 0 {
		return g.Bound()
	}
	lo, hi := p[0][0], p[0][0]
	for _, q := range p[0] {
		if q[0] == 0 || q[1] == 0 || q[0] != q[0] || q[1] != q[1] {
			return g.Bound()
		}
		if q[0] < lo[0] {
			lo[0] = q[0]
		} else if q[0] > hi[0] {
			hi[0] = q[0]
		}
		if q[1] < lo[1] {
			lo[1] = q[1]
		} else if q[1] > hi[1] {
			hi[1] = q[1]
		}
	}
	return orb.Bound{Min: lo, Max: hi}
}

// importLayers returns the row ids of the imported layers, creating new
// ones; a layer given twice is refused.
func importLayers(ctx context.Context, tx *sql.Tx, planID int64, layers []gis.Layer) ([]int64, error) {
	ids := make([]int64, len(layers))
	for i, l := range layers {
		var err error
		if ids[i], err = ensureLayer(ctx, tx, planID, l); err != nil {
			return nil, err
		}
		if slices.Contains(ids[:i], ids[i]) {
			return nil, fmt.Errorf("layer %s given twice", l.Name)
		}
	}
	return ids, nil
}

// incomingOf is what matching needs of features: ids, key values (when key
// is set), lineage, and body hashes when bodies is given.
func incomingOf(fs []gis.Feature, bodies []body, key string) []incoming {
	in := make([]incoming, len(fs))
	for i, f := range fs {
		in[i] = incoming{id: f.ID, parents: parentsOf(f)}
		if key != "" {
			in[i].key = f.String(key)
		}
		if bodies != nil {
			in[i].hash = bodies[i].hash
		}
	}
	return in
}

// writeVersion writes an import's version row after the current version
// curID (0: none). It returns the version's id, where its items go, and
// how many items of the layers not imported it keeps from curID (their
// rows stay live: nothing is copied).
func writeVersion(ctx context.Context, tx *sql.Tx, planID, curID int64, imported []int64, req ImportRequest, now string) (int64, itemsAt, int64, error) {
	var number int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(number), 0) + 1 FROM version WHERE plan_id = ?", planID).Scan(&number); err != nil {
		return 0, itemsAt{}, 0, err
	}
	var parent any
	if curID != 0 {
		parent = curID
	}
	r, err := tx.ExecContext(ctx, `INSERT INTO version (uid, plan_id, number, parent_id, created, source, message, decision_no, decision_date, ma_thong_tin_qh)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, newID(), planID, number, parent, now, req.Source, req.Message, req.DecisionNo, req.DecisionDate, req.MaThongTinQH)
	if err != nil {
		return 0, itemsAt{}, 0, err
	}
	verID, _ := r.LastInsertId()
	at, err := openItems(ctx, tx, planID, verID, curID)
	if err != nil || curID == 0 {
		return verID, at, 0, err
	}
	args := []any{curID}
	for _, id := range imported {
		args = append(args, id)
	}
	var carried int64
	err = tx.QueryRowContext(ctx, `SELECT coalesce(sum(features), 0) FROM version_layer WHERE version_id = ? AND layer_id NOT IN (`+placeholders(len(imported), 1)+`)`, args...).Scan(&carried)
	return verID, at, carried, err
}

// itemRow is an item to write; its body comes beside it.
type itemRow struct {
	feature string
	layer   int64
	seq     int64
}

// closeItems closes, at version at, the live rows of features ids (their
// items change or go), batchRows at a time.
func closeItems(ctx context.Context, w *bodyWriter, at itemsAt, ids []string) error {
	for lo := 0; lo < len(ids); lo += batchRows {
		chunk := ids[lo:min(lo+batchRows, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		if err := w.exec(ctx, at.closing("AND feature_id IN ("+placeholders(len(chunk), 1)+")"), args...); err != nil {
			return err
		}
	}
	return nil
}

// writtenVersion is version id as versionByID reads it, when the version
// holds exactly the features of layers (n in all, each layer some): its
// items are not counted again (two scans of them, half a second at a
// million lots).
func writtenVersion(ctx context.Context, q querier, id int64, n int, layers []string) (Version, error) {
	names := slices.Clone(layers)
	slices.Sort(names) // as versionColumns lists them: ORDER BY name, binary
	var vid int64
	return scanVersion(q.QueryRowContext(ctx, `SELECT v.id, `+versionRecordColumns+`, ?, ? FROM version v WHERE v.id = ?`,
		n, strings.Join(slices.Compact(names), "\n"), id), &vid)
}

// writeItemBatch writes one batch (at most batchRows) of items: their
// bodies when new, then their rows.
func writeItemBatch(ctx context.Context, w *bodyWriter, at itemsAt, rows []itemRow, bodies []body) error {
	if len(rows) == 0 {
		return nil
	}
	batch := make([]*body, len(bodies))
	for i := range batch {
		batch[i] = &bodies[i]
	}
	bodyIDs, err := w.putMany(ctx, batch)
	if err != nil {
		return err
	}
	args := make([]any, 0, 4*len(rows))
	for i, r := range rows {
		args = append(args, r.feature, r.layer, bodyIDs[i], r.seq)
	}
	err = w.exec(ctx, at.insert(len(rows)), args...)
	if err != nil && (strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") || strings.Contains(err.Error(), "one item in a version")) {
		return errIDTwice
	}
	return err
}

// errIDTwice is a version given one feature id twice.
var errIDTwice = errors.New("a feature id is given twice")

// writeLineage records the (feature, parent) pairs of version verID.
func writeLineage(ctx context.Context, tx *sql.Tx, verID int64, lineage [][2]string) error {
	for _, l := range lineage {
		if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO lineage (version_id, feature_id, parent_id) VALUES (?, ?, ?)", verID, l[0], l[1]); err != nil {
			return err
		}
	}
	return nil
}

// parentsOf reads the lineage property "parents": an array of feature ids (or keys).
func parentsOf(f gis.Feature) []string {
	arr, _ := f.Properties["parents"].([]any)
	var out []string
	for _, p := range arr {
		switch p := p.(type) {
		case string:
			out = append(out, p)
		case float64:
			out = append(out, gis.Text(p))
		}
	}
	return out
}

func versionByID(ctx context.Context, q querier, id int64) (Version, error) {
	var vid int64
	v, err := scanVersion(q.QueryRowContext(ctx, `SELECT v.id, `+versionColumns+` FROM version v WHERE v.id = ?`, id), &vid)
	if err == nil {
		var cur sql.NullInt64
		if err := q.QueryRowContext(ctx, "SELECT current_version FROM plan WHERE id = (SELECT plan_id FROM version WHERE id = ?)", id).Scan(&cur); err != nil {
			return v, err
		}
		v.Current = cur.Int64 == id
	}
	return v, err
}

// storedFeature is a feature of a stored version, or a draft dossier's
// addition, as matching needs it.
type storedFeature struct {
	id      string
	seq     int64 // the item's order in its version
	layerID int64
	layer   string
	bodyID  int64
	hash    [32]byte
	key     string // the key property as text, when a key is asked for
	// added marks a dossier's own addition (apply): not in the base, its key
	// yields to a base feature's, and it is never a parent.
	added bool
}

// storedFeatures loads the features of version verID (of one layer, or all
// when layerID is 0) in their order, with body hashes and, when key is set,
// the key property.
func storedFeatures(ctx context.Context, q querier, verID, layerID int64, key string) ([]storedFeature, error) {
	if verID == 0 {
		return nil, nil
	}
	body := "NULL" // the body's text, when a key is read from it (bodyKey)
	if key != "" {
		body = "b.geojson"
	}
	// Read in the key's order and sorted by seq here: SQLite sorted the rows,
	// bodies and all, before handing the first (2.5 s of a million lots').
	var n int64
	if err := q.QueryRowContext(ctx, `SELECT coalesce(sum(features), 0) FROM version_layer
		WHERE version_id = ? AND (? = 0 OR layer_id = ?)`, verID, layerID, layerID).Scan(&n); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT i.feature_id, i.seq, i.layer_id, l.name, i.body_id, b.hash, `+body+`
		FROM version_item i JOIN body b ON b.id = i.body_id JOIN layer l ON l.id = i.layer_id
		WHERE i.version_id = ? AND (? = 0 OR i.layer_id = ?) ORDER BY i.feature_id`, verID, layerID, layerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// n is a hint: a stored count is not trusted with memory
	out := make([]storedFeature, 0, min(n, 1<<20))
	names := map[int64]string{} // a layer's name, one string for all its features
	var h, name, text sql.RawBytes
	var unread []int // features whose key bodyKey could not read
	inOrder := true
	for rows.Next() {
		var f storedFeature
		if err := rows.Scan(&f.id, &f.seq, &f.layerID, &name, &f.bodyID, &h, &text); err != nil {
			return nil, err
		}
		if len(out) > 0 && f.seq < out[len(out)-1].seq {
			inOrder = false
		}
		if f.layer = names[f.layerID]; f.layer == "" {
			f.layer = string(name)
			names[f.layerID] = f.layer
		}
		copy(f.hash[:], h)
		if key != "" {
			var ok bool
			if f.key, ok = bodyKey(text, key); !ok {
				unread = append(unread, len(out))
			}
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	keyExpr, args := keyColumn(key)
	for _, i := range unread { // an escape, a decimal, an object …: rare
		var k any
		if err := q.QueryRowContext(ctx, "SELECT "+keyExpr+" FROM body b WHERE b.id = ?", append(args, out[i].bodyID)...).Scan(&k); err != nil {
			return nil, err
		}
		out[i].key = sqlText(k)
	}
	if !inOrder {
		slices.SortFunc(out, func(a, b storedFeature) int { return cmp.Compare(a.seq, b.seq) })
	}
	return out, nil
}

// keyColumn is the SQL expression (and its argument) reading a key
// property from a body b: ” when no key is asked for.
func keyColumn(key string) (string, []any) {
	if key == "" {
		return "''", nil
	}
	return "coalesce(json_extract(b.geojson, ?), '')", []any{"$.properties." + jsonPathKey(key)}
}

// sqlText writes a value read from SQLite as a property's text.
func sqlText(v any) string { return gis.Text(normaliseSQLValue(v)) }

func normaliseSQLValue(v any) any {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case []byte:
		return string(v)
	}
	return v
}

// jsonPathKey quotes a property name for SQLite's JSON path syntax.
func jsonPathKey(k string) string {
	return `"` + strings.ReplaceAll(k, `"`, `\"`) + `"`
}

// ensureLayer returns the id of a plan's layer, creating it.
func ensureLayer(ctx context.Context, tx *sql.Tx, planID int64, l gis.Layer) (int64, error) {
	if strings.TrimSpace(l.Name) == "" {
		return 0, errors.New("layer name required")
	}
	if reservedLayer(l.Name) {
		return 0, fmt.Errorf("layer name %q is reserved (GeoPackage and SQLite keep names starting gpkg_, sqlite_ and rtree_): choose another", l.Name)
	}
	var id int64
	err := tx.QueryRowContext(ctx, "SELECT id FROM layer WHERE plan_id = ? AND name = ?", planID, l.Name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	r, err := tx.ExecContext(ctx, "INSERT INTO layer (plan_id, name, kind) VALUES (?, ?, ?)", planID, l.Name, l.Kind())
	if err != nil {
		return 0, err
	}
	return r.LastInsertId()
}

// bodyWriter stores bodies once each, with their bbox in the R*Tree. It
// writes in batches of multi-row statements: per-statement overhead, not
// SQLite's B-tree work, dominates a row-at-a-time import.
type bodyWriter struct {
	tx      *sql.Tx
	nextID  int64 // body ids are assigned here: the write transaction holds the lock
	written int
	// deferred holds the boxes of new bodies when the R*Tree is rebuilt in
	// bulk at finish (see rtree.go) instead of taking them one by one.
	deferred []rtreeCell
	// hashes holds the new bodies' body_hash rows, written at finish in
	// key order when bulk (0015_body_hash.sql), with their batch otherwise.
	hashes []bodyHash
	unsure bool // how many bodies come was not known: finish decides
	bulk   bool
	stmts  map[string]*sql.Stmt // multi-row statements, prepared once per size
	// known holds body hashes → ids: those this writer wrote or looked up
	// and, when complete is set, every body of the file (loaded up front
	// when that is cheaper than looking each new body up).
	known    map[[32]byte]int64
	complete bool
}

// stmt returns the prepared statement for query, preparing it on first use.
func (w *bodyWriter) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if w.stmts == nil {
		w.stmts = map[string]*sql.Stmt{}
	}
	w.stmts[query] = st
	return st, nil
}

// exec runs a cached statement.
func (w *bodyWriter) exec(ctx context.Context, query string, args ...any) error {
	st, err := w.stmt(ctx, query)
	if err != nil {
		return err
	}
	// Not interruptible: the driver watches a context that can end with a
	// goroutine and a progress handler per statement. These statements are
	// short (a batch); the import checks its context between batches.
	_, err = st.ExecContext(context.WithoutCancel(ctx), args...)
	return err
}

// batchRows is how many rows one multi-row statement writes.
const batchRows = 200

func newBodyWriter(ctx context.Context, tx *sql.Tx) (*bodyWriter, error) {
	w := &bodyWriter{tx: tx, known: map[[32]byte]int64{}}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(id), 0) + 1 FROM body").Scan(&w.nextID); err != nil {
		return nil, err
	}
	w.complete = w.nextID == 1
	return w, nil
}

func (w *bodyWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
}

// expect prepares the writer for about n bodies. When that is many compared
// with what the file holds, it rebuilds the R*Tree at finish instead of
// inserting box by box, and reads every stored hash once instead of looking
// each body up.
//
// n < 0 is a count not known (a file streamed): the boxes are kept back
// as for a rebuild, and finish decides by how many came.
func (w *bodyWriter) expect(ctx context.Context, n int) error {
	if n < 0 {
		w.bulk, w.unsure = true, true
		return nil
	}
	if n < bulkMin || w.complete {
		w.bulk = n >= bulkMin
		return nil
	}
	have := w.nextID - 1 // ids are dense: bodies are never deleted
	if int64(n) < have/2 {
		return nil
	}
	w.bulk = int64(n) >= have
	rows, err := w.tx.QueryContext(ctx, "SELECT hash, body_id FROM body_hash")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var h []byte
		var id int64
		if err := rows.Scan(&h, &id); err != nil {
			return err
		}
		w.known[[32]byte(h)] = id
	}
	w.complete = true
	return rows.Err()
}

// finish completes the bodies' indexes: hashes and boxes held back. A
// rebuilt R*Tree is packed on another core while the hashes are written
// (at a million lots the two computations took 0.55 s, the writes 1.1 s,
// one after the other).
func (w *bodyWriter) finish(ctx context.Context) error {
	var packed chan packedRTree
	if w.bulk && len(w.deferred) > 0 {
		if have := w.nextID - 1 - int64(len(w.deferred)); w.unsure && (len(w.deferred) < bulkMin || int64(len(w.deferred)) < have) {
			if err := w.insertBoxes(ctx, w.deferred); err != nil { // too few for a rebuild to pay
				return err
			}
		} else {
			cells, nodeSize, err := rtreeCells(ctx, w.tx, w.deferred)
			if err != nil {
				return err
			}
			packed = make(chan packedRTree, 1)
			go func() { packed <- packRTree(cells, nodeSize) }()
		}
	}
	if err := w.insertHashes(ctx); err != nil {
		return err
	}
	if packed == nil {
		return nil
	}
	return writeRTree(ctx, w.tx, <-packed)
}

// bodyHash is a row of body_hash.
type bodyHash struct {
	hash [32]byte
	id   int64
}

// insertHashes writes the body_hash rows held in w.hashes in key order: a
// bulk import's all at its end, page after page, instead of each at a
// random place of the index.
func (w *bodyWriter) insertHashes(ctx context.Context) error {
	slices.SortFunc(w.hashes, func(a, b bodyHash) int { return bytes.Compare(a.hash[:], b.hash[:]) })
	for hs := w.hashes; len(hs) > 0; {
		n := min(len(hs), 4*batchRows) // two values a row
		args := make([]any, 0, 2*n)
		for i := range hs[:n] {
			args = append(args, hs[i].hash[:], hs[i].id)
		}
		if err := w.exec(ctx, "INSERT INTO body_hash (hash, body_id) VALUES "+placeholders(n, 2), args...); err != nil {
			return err
		}
		hs = hs[n:]
	}
	w.hashes = w.hashes[:0]
	return nil
}

// insertBoxes writes boxes into the R*Tree a batch at a time.
func (w *bodyWriter) insertBoxes(ctx context.Context, cells []rtreeCell) error {
	for len(cells) > 0 {
		n := min(len(cells), batchRows)
		args := make([]any, 0, 5*n)
		for _, c := range cells[:n] {
			args = append(args, c.id, c.minX, c.maxX, c.minY, c.maxY)
		}
		if err := w.exec(ctx, "INSERT INTO body_bbox (id, min_lon, max_lon, min_lat, max_lat) VALUES "+placeholders(n, 5), args...); err != nil {
			return err
		}
		cells = cells[n:]
	}
	return nil
}

// put returns the id of b's body, writing it when it is new.
func (w *bodyWriter) put(ctx context.Context, b *body) (int64, error) {
	ids, err := w.putMany(ctx, []*body{b})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// putMany returns the body id of each of bs (at most batchRows), writing the
// bodies not stored yet.
func (w *bodyWriter) putMany(ctx context.Context, bs []*body) ([]int64, error) {
	ids := make([]int64, len(bs))
	var args []any
	for _, b := range bs {
		if _, ok := w.known[b.hash]; !ok && !w.complete {
			args = append(args, b.hash[:])
		}
	}
	if len(args) > 0 {
		find, err := w.stmt(ctx, "SELECT hash, body_id FROM body_hash WHERE hash IN ("+placeholders(len(args), 1)+")")
		if err != nil {
			return nil, err
		}
		rows, err := find.QueryContext(ctx, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h []byte
			var id int64
			if err := rows.Scan(&h, &id); err != nil {
				rows.Close()
				return nil, err
			}
			w.known[[32]byte(h)] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	bodyArgs, gridArgs, measArgs := make([]any, 0, 3*len(bs)), make([]any, 0, 3*len(bs)), make([]any, 0, 2*len(bs))
	var boxArgs []any
	for i, b := range bs {
		if id, ok := w.known[b.hash]; ok {
			ids[i] = id
			continue
		}
		id := w.nextID
		w.nextID++
		w.known[b.hash] = id
		ids[i] = id
		bodyArgs = append(bodyArgs, id, b.hash[:], b.text)
		w.hashes = append(w.hashes, bodyHash{b.hash, id})
		if b.grid != nil {
			gridArgs = append(gridArgs, id, b.grid, b.props)
		}
		measArgs = append(measArgs, id, measureForm(id, b.meas))
		if b.geom && w.bulk {
			w.deferred = append(w.deferred, rtreeCell{id, float32Down(b.bbox.Min[0]), float32Up(b.bbox.Max[0]), float32Down(b.bbox.Min[1]), float32Up(b.bbox.Max[1])})
		} else if b.geom {
			boxArgs = append(boxArgs, id, b.bbox.Min[0], b.bbox.Max[0], b.bbox.Min[1], b.bbox.Max[1])
		}
	}
	if n := len(bodyArgs) / 3; n > 0 {
		if err := w.exec(ctx, "INSERT INTO body (id, hash, geojson) VALUES "+placeholders(n, 3), bodyArgs...); err != nil {
			return nil, err
		}
		w.written += n
	}
	if !w.bulk { // else at finish
		if err := w.insertHashes(ctx); err != nil {
			return nil, err
		}
	}
	if n := len(gridArgs) / 3; n > 0 {
		if err := w.exec(ctx, "INSERT INTO body_geom (body_id, geom, props) VALUES "+placeholders(n, 3), gridArgs...); err != nil {
			return nil, err
		}
	}
	if n := len(measArgs) / 2; n > 0 {
		if err := w.exec(ctx, "INSERT INTO body_measure (body_id, measure) VALUES "+placeholders(n, 2), measArgs...); err != nil {
			return nil, err
		}
	}
	if n := len(boxArgs) / 5; n > 0 {
		if err := w.exec(ctx, "INSERT INTO body_bbox (id, min_lon, max_lon, min_lat, max_lat) VALUES "+placeholders(n, 5), boxArgs...); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// placeholders returns n groups of k "?" for a multi-row statement:
// "(?,?),(?,?)" for n=2, k=2; with k=1 a plain list "?,?".
func placeholders(n, k int) string {
	group := strings.TrimSuffix(strings.Repeat("?,", k), ",")
	if k > 1 {
		group = "(" + group + ")"
	}
	return strings.TrimSuffix(strings.Repeat(group+",", n), ",")
}

// newID returns a version 7 UUID: random, but time-ordered, so the ids of
// one import are written in key order.
func newID() string {
	var u [16]byte
	idMu.Lock()
	if idRandom.Len() < len(u) { // crypto/rand read for 256 ids at once, not once per id
		var b [4096]byte
		rand.Read(b[:])
		idRandom.Reset()
		idRandom.Write(b[:])
	}
	idRandom.Read(u[:])
	ms := uint64(time.Now().UnixMilli())
	if ms <= lastMS { // keep ids of one process strictly increasing
		ms = lastMS
		if seqID++; seqID > 0x0fff {
			lastMS++
			ms, seqID = lastMS, 0
		}
	} else {
		lastMS, seqID = ms, 0
	}
	idMu.Unlock()
	binary.BigEndian.PutUint64(u[0:8], ms<<16|uint64(seqID&0x0fff))
	u[6] = u[6]&0x0f | 0x70
	u[8] = u[8]&0x3f | 0x80
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

var (
	idMu     sync.Mutex
	lastMS   uint64
	seqID    uint64
	idRandom bytes.Buffer // random bytes not yet used by newID
)

// editedFeature is an incoming feature matched to a stored one whose body
// differs: feature of layer, and the stored body and its hash.
type editedFeature struct {
	layer, feature int
	bodyID         int64
	hash           [32]byte
}

// storedShapes reads the geometry of the stored bodies of edited features.
func storedShapes(ctx context.Context, q querier, edited []editedFeature) (map[int64]orb.Geometry, error) {
	out := make(map[int64]orb.Geometry, len(edited))
	for lo := 0; lo < len(edited); lo += batchRows {
		batch := edited[lo:min(lo+batchRows, len(edited))]
		args := make([]any, len(batch))
		for i, e := range batch {
			args[i] = e.bodyID
		}
		rows, err := q.QueryContext(ctx, "SELECT id, geojson FROM body WHERE id IN ("+placeholders(len(args), 1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var text []byte
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return nil, err
			}
			f, err := parseBody("", text)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = f.Geometry
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// keepStoredShapes puts each edited feature whose geometry is its stored
// body's up to the round-trip tolerance (it only came back from a trip
// through a grid) back on the stored vertices: bodies[layer][feature] is
// re-encoded from layers' feature with the stored geometry. The stored
// shapes are read in one batch of queries, not one each.
func keepStoredShapes(ctx context.Context, q querier, layers []gis.Layer, bodies [][]body, edited []editedFeature) error {
	stored, err := storedShapes(ctx, q, edited)
	if err != nil {
		return err
	}
	for _, e := range edited {
		f := layers[e.layer].Features[e.feature]
		if g := stored[e.bodyID]; g != nil && gis.SameShape(g, f.Geometry, gis.RoundTripTolerance) {
			f.Geometry = g
			bodies[e.layer][e.feature] = encodeBody(f)
		}
	}
	return nil
}

// gridCache remembers the grid positions of the stored positions projected
// last (direct-mapped, by the position's bits): neighbouring lots share
// their corners and sides, and a file lists neighbours near each other, so
// about half the vertices of a tiling read in order were projected for a
// lot before (the projection is most of the CPU a lot costs an import).
// The positions given are toGridForm's, bit for bit. One per goroutine.
type gridCache struct {
	// a slot's key and value side by side, one memory read a lookup (as
	// three arrays, keys, values and a used flag, the misses were a third
	// of the cache's time); the key is stored inverted so that an unused
	// slot, all zero, matches no finite position
	slots [gridCacheSize]gridSlot
	// the worker's buffers for a body's text and grid form, and for the
	// grid geometry of a polygon
	text, grid []byte
	pts        []orb.Point
	rings      []orb.Ring
	missed     []gridMiss
}

const gridCacheBits = 14
const gridCacheSize = 1 << gridCacheBits

// toGridForm is toGridForm (geom.go) through the cache. A polygon, what
// nearly every lot is, is projected into the worker's buffers: the result
// is read (encoded, measured) before the worker's next lot.
func (c *gridCache) toGridForm(g orb.Geometry) orb.Geometry {
	if poly, ok := g.(orb.Polygon); ok {
		n := 0
		for _, r := range poly {
			n += len(r)
		}
		if cap(c.pts) < n {
			c.pts = make([]orb.Point, 0, 2*n)
		}
		pts, rings := c.pts[:0], c.rings[:0]
		for _, r := range poly {
			lo := len(pts)
			pts = append(pts, r...)
			rings = append(rings, orb.Ring(pts[lo:len(pts):len(pts)]))
		}
		c.pts, c.rings = pts, rings
		c.project(pts)
		return orb.Polygon(rings)
	}
	return project.Geometry(orb.Clone(g), c.point)
}

// project replaces stored positions by their grid positions, in two
// passes: the first looks every position up, memory reads that need not
// wait for one another (the cache is larger than the processor's: a
// lookup is a miss more often than not), where a projection between two
// lookups held the second back; the second pass projects those not found
// (a position seen twice, as a ring's first and last, is projected once).
func (c *gridCache) project(pts []orb.Point) {
	if cap(c.missed) < len(pts) {
		c.missed = make([]gridMiss, 0, 2*len(pts))
	}
	missed := c.missed[:0]
	for i, q := range pts {
		q, k := gridKey(q)
		slot := gridSlotOf(k)
		if c.slots[slot].key == k && k[0] != 0 && k[1] != 0 {
			pts[i] = c.slots[slot].val
		} else {
			missed = append(missed, gridMiss{i: int32(i), slot: slot, key: k, at: q})
		}
	}
	for _, m := range missed {
		pts[m.i] = c.found(m.slot, m.key, m.at)
	}
	c.missed = missed
}

// point is the grid position of a stored position q, from the cache or
// projected (and remembered).
func (c *gridCache) point(q orb.Point) orb.Point {
	q, k := gridKey(q)
	return c.found(gridSlotOf(k), k, q)
}

// gridKey is the stored value of position q (what reading its body gives)
// and the cache's key for it: the value's bits, inverted.
func gridKey(q orb.Point) (orb.Point, [2]uint64) {
	q = orb.Point{geojson.StoredCoord(q[0]), geojson.StoredCoord(q[1])}
	return q, [2]uint64{^math.Float64bits(q[0]), ^math.Float64bits(q[1])}
}

// found is the grid position of stored position q, whose key k belongs
// in slot: the cache's, or projected and remembered.
func (c *gridCache) found(slot uint32, k [2]uint64, q orb.Point) orb.Point {
	if k[0] == 0 || k[1] == 0 { // a NaN with every bit set: not cached
		return grid()(q)
	}
	if c.slots[slot].key == k {
		return c.slots[slot].val
	}
	v := grid()(q)
	c.slots[slot] = gridSlot{k, v}
	return v
}

// gridSlotOf is the slot of the cache for key k.
func gridSlotOf(k [2]uint64) uint32 {
	return uint32((k[0]*0x9E3779B97F4A7C15 ^ k[1]) * 0xBF58476D1CE4E5B9 >> (64 - gridCacheBits))
}

// gridMiss is a position project did not find in the cache: its index, its
// slot and key, and its stored value.
type gridMiss struct {
	i    int32
	slot uint32
	key  [2]uint64
	at   orb.Point
}

// gridSlot is a position of the cache: the bits of a stored position,
// inverted, and its grid position.
type gridSlot struct {
	key [2]uint64
	val orb.Point
}
