package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Walking a version: its layers read a batch of features at a time inside
// one read-only transaction, so that an output of a version of any size
// (an export) holds a few batches, never the layer. Each body is checked as
// Load checks it (its sha256, the grid form's checksum: decodeBodies) and
// the batch is decoded on all cores while the previous one is used.

// WalkBatch is how many features a walk hands over at a time.
const WalkBatch = 2000

// walkCache is the page cache of a walk's connection (PRAGMA cache_size:
// negative is KiB).
const walkCache = -8192

// VersionWalk is a version open for reading its layers in batches (see
// Store.WalkVersion). It is valid only inside the function given the walk.
type VersionWalk struct {
	Plan    Plan
	Version Version
	// Layers are the layers walked: those asked for, or every layer the
	// version holds, in the order Load gives them.
	Layers []string

	tx       *sql.Tx
	verID    int64
	layers   map[string]int64 // layer name → row id
	ordered  map[int64]bool   // layer row id → its items by key are in order
	proposal *proposal        // a dossier's change set over the version, or nil
}

// WalkVersion opens version number (0: the current one) of plan code for
// fn, in one read-only transaction: what fn reads is one consistent state
// of the store, as Load's is. layers, when given, restricts the walk to
// those layers; a layer the version does not hold is refused as Load
// refuses it.
func (s *Store) WalkVersion(ctx context.Context, code string, number int, layers []string, fn func(*VersionWalk) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	defer conn.Close()
	// A walk reads each page about once: the store's page cache (sized for
	// imports) would only grow with the plan. The connection gets its own
	// size back before it returns to the pool, however the walk ends.
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", walkCache)); err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", cache))
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a consistent snapshot; no write lock
	if err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	defer tx.Rollback()
	w := &VersionWalk{tx: tx, layers: map[string]int64{}, ordered: map[int64]bool{}}
	if w.verID, err = versionHead(ctx, tx, code, number, &w.Plan, &w.Version); err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	if w.Layers, err = w.versionLayers(ctx, layers); err != nil {
		return &walkError{wrap("load "+code, err)}
	}
	return fn(w)
}

// walkError is the version failing to be read in a walk: Load's error for
// it, told apart from the errors of what the walk feeds (a file written).
type walkError struct{ err error }

func (e *walkError) Error() string { return e.err.Error() }
func (e *walkError) Unwrap() error { return e.err }

// ReadError tells whether err, returned by a walk, came from reading the
// version (then it is Load's error for it, given back as Load would give
// it) rather than from what the walk fed.
func ReadError(err error) (error, bool) {
	var we *walkError
	if errors.As(err, &we) {
		return we.err, true
	}
	return err, false
}

// WalkProposal opens dossier id's proposal for fn, as Proposal gives it:
// its base version walked as WalkVersion walks it, with the dossier's
// change set applied as the features go by — a modified feature in the
// place of the one it changes, a deleted one left out, the added ones
// after a layer's own, layers the dossier adds after the base's. The
// change set is held in memory (its size is the dossier's, not the plan's).
func (s *Store) WalkProposal(ctx context.Context, id int64, fn func(*VersionWalk, Dossier) error) error {
	d, err := s.Dossier(ctx, id)
	if err != nil {
		return &walkError{err}
	}
	return s.WalkVersion(ctx, d.Plan, d.Base, nil, func(w *VersionWalk) error {
		w.proposal = newProposal(d)
		for _, name := range w.proposal.newLayers {
			if _, ok := w.layers[name]; !ok {
				w.Layers = append(w.Layers, name)
			}
		}
		return fn(w, d)
	})
}

// proposal is a change set applied over a walk, by the rules of propose.
type proposal struct {
	d         Dossier
	changes   map[string]int   // feature id → index in d.Changes of its last change
	added     map[string][]int // layer → indexes in d.Changes of its additions
	newLayers []string         // layers of additions, in the order they come
	grid      []Change         // d.Changes in the grid, once needed
}

func newProposal(d Dossier) *proposal {
	p := &proposal{d: d, changes: map[string]int{}, added: map[string][]int{}}
	for i, c := range d.Changes {
		p.changes[c.FeatureID] = i
		if c.Op == "add" {
			if _, ok := p.added[c.Layer]; !ok {
				p.newLayers = append(p.newLayers, c.Layer)
			}
			p.added[c.Layer] = append(p.added[c.Layer], i)
		}
	}
	return p
}

// feature is change i's feature, in the grid (projected once, as
// ProposalGrid projects it) or in WGS84.
func (p *proposal) feature(i int, grid bool) gis.Feature {
	if !grid {
		f := *p.d.Changes[i].Feature
		if f.Geometry != nil { // what is handed over may be projected in place
			f.Geometry = orb.Clone(f.Geometry)
		}
		return f
	}
	if p.grid == nil {
		p.grid = inGrid(p.d).Changes
	}
	return *p.grid[i].Feature
}

// apply turns a batch of a base layer's features into the proposal's, in
// place: what propose keeps, changes or leaves out.
func (p *proposal) apply(fs []gis.Feature, grid bool) []gis.Feature {
	kept := fs[:0]
	for _, f := range fs {
		i, ok := p.changes[f.ID]
		switch {
		case !ok:
			kept = append(kept, f)
		case p.d.Changes[i].Op == "modify":
			kept = append(kept, p.feature(i, grid))
		}
	}
	return kept
}

// additions hands a layer's added features to fn a batch at a time.
func (p *proposal) additions(layer string, grid bool, fn func([]gis.Feature) error) error {
	idx := p.added[layer]
	for lo := 0; lo < len(idx); lo += WalkBatch {
		var fs []gis.Feature
		for _, i := range idx[lo:min(lo+WalkBatch, len(idx))] {
			fs = append(fs, p.feature(i, grid))
		}
		if err := fn(fs); err != nil {
			return err
		}
	}
	return nil
}

// versionLayers lists the layers the version holds features of (those of
// want, when given), by row id as Load orders them.
func (w *VersionWalk) versionLayers(ctx context.Context, want []string) ([]string, error) {
	rows, err := w.tx.QueryContext(ctx, `SELECT l.id, l.name FROM version_layer s JOIN layer l ON l.id = s.layer_id
		WHERE s.version_id = ? ORDER BY l.id`, w.verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		w.layers[name] = id
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return names, nil
	}
	for _, name := range want {
		if _, ok := w.layers[name]; !ok {
			return nil, kindErr(ErrNotFound, "version %d has no layer %s", w.Version.Number, name)
		}
	}
	var kept []string
	for _, name := range names { // Load's order, not the order asked
		for _, n := range want {
			if n == name {
				kept = append(kept, name)
				break
			}
		}
	}
	return kept, nil
}

// Features hands the features of layer to fn a batch at a time (at most
// WalkBatch), in the order Load gives them, each with its id: geometry in
// WGS84 from the body, or, with inGrid, in the plan's grid (EPSG:9215) from
// the stored grid form, as LoadGrid gives it. The batch belongs to fn until
// it returns. A damaged body or grid form stops the walk with Load's error.
func (w *VersionWalk) Features(ctx context.Context, layer string, inGrid bool, fn func([]gis.Feature) error) error {
	p := w.proposal
	if p == nil {
		return w.baseFeatures(ctx, layer, inGrid, fn)
	}
	if _, ok := w.layers[layer]; ok {
		err := w.baseFeatures(ctx, layer, inGrid, func(fs []gis.Feature) error {
			if fs = p.apply(fs, inGrid); len(fs) == 0 {
				return nil
			}
			return fn(fs)
		})
		if err != nil {
			return err
		}
	} else if _, ok := p.added[layer]; !ok {
		return &walkError{kindErr(ErrNotFound, "dossier %d proposes no layer %s", p.d.ID, layer)}
	}
	return p.additions(layer, inGrid, fn)
}

// baseFeatures is Features of the version itself.
func (w *VersionWalk) baseFeatures(ctx context.Context, layer string, inGrid bool, fn func([]gis.Feature) error) error {
	return pipeLayer(ctx, w, layer, inGrid, func(_ int, rows []loadedRow) ([]gis.Feature, error) { return decodeBodies(rows, inGrid) }, fn)
}

// pipeLayer reads a layer of w's version in three stages, each a batch
// ahead of the next: reading from SQLite (one goroutine: the
// transaction's connection), decode (rows[k] is the layer's feature at+k;
// it may use every core), and fn on the caller's goroutine, in order.
func pipeLayer[T any](ctx context.Context, w *VersionWalk, layer string, inGrid bool,
	decode func(at int, rows []loadedRow) (T, error), fn func(T) error) error {
	layerID, ok := w.layers[layer]
	if !ok {
		return &walkError{kindErr(ErrNotFound, "version %d has no layer %s", w.Version.Number, layer)}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type batch struct {
		at   int
		rows []loadedRow
	}
	raw := make(chan batch, 1)
	decoded := make(chan T, 1)
	var readErr, decodeErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(raw)
		at := 0
		readErr = w.readLayer(ctx, layerID, inGrid, func(rows []loadedRow) bool {
			select {
			case raw <- batch{at, rows}:
				at += len(rows)
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	go func() {
		defer wg.Done()
		defer close(decoded)
		for b := range raw {
			if decodeErr != nil {
				continue // drain: the reader stops at the cancel
			}
			out, err := decode(b.at, b.rows)
			if err != nil {
				decodeErr = err
				cancel()
				continue
			}
			select {
			case decoded <- out:
			case <-ctx.Done():
			}
		}
	}()
	var fnErr error
	for out := range decoded {
		if fnErr == nil {
			if fnErr = fn(out); fnErr != nil {
				cancel()
			}
		}
	}
	wg.Wait()
	switch {
	case fnErr != nil:
		return fnErr
	case decodeErr != nil:
		return &walkError{wrap("load "+w.Plan.Code, decodeErr)}
	case readErr != nil && ctx.Err() == nil:
		// once the walk is cancelled, database/sql closes its rows from
		// another goroutine: a Scan between Next and the close reads "Rows
		// are closed", the cancel's consequence, not a read error
		return &walkError{wrap("load "+w.Plan.Code, readErr)}
	}
	return ctx.Err()
}

// readLayer reads a layer's features in order, a batch at a time, and
// hands each batch to send, which says whether to go on.
func (w *VersionWalk) readLayer(ctx context.Context, layerID int64, inGrid bool, send func([]loadedRow) bool) error {
	inOrder, err := w.inSeqOrder(ctx, layerID)
	if err != nil {
		return err
	}
	if inOrder {
		return w.readJoined(ctx, layerID, inGrid, send)
	}
	return w.readSorted(ctx, layerID, inGrid, send)
}

// inSeqOrder tells whether a layer's items, read by feature id (the
// table's key), come in their order (seq), as the items of an import do:
// then no sorting is needed at all.
func (w *VersionWalk) inSeqOrder(ctx context.Context, layerID int64) (bool, error) {
	if known, ok := w.ordered[layerID]; ok {
		return known, nil
	}
	var stored sql.NullBool // written with the version's layer counts (migration 0013)
	err := w.tx.QueryRowContext(ctx, "SELECT in_key_order FROM version_layer WHERE version_id = ? AND layer_id = ?", w.verID, layerID).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if stored.Valid {
		w.ordered[layerID] = stored.Bool
		return stored.Bool, nil
	}
	rows, err := w.tx.QueryContext(ctx, `SELECT seq FROM version_item WHERE version_id = ? AND layer_id = ? ORDER BY feature_id`, w.verID, layerID)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var seq seqOrder
	for rows.Next() {
		var q int64
		if err := rows.Scan(&q); err != nil {
			return false, err
		}
		seq.add(q)
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	w.ordered[layerID] = seq.inOrder()
	return seq.inOrder(), nil
}

// seqOrder follows item seqs read by feature id.
type seqOrder struct {
	last  int64
	some  bool
	mixed bool
}

func (o *seqOrder) add(seq int64) {
	if o.some && seq <= o.last {
		o.mixed = true
	}
	o.last, o.some = seq, true
}

func (o *seqOrder) inOrder() bool { return !o.mixed }

// readJoined reads a layer whose items are in order by key with their
// bodies, in one query that SQLite answers without sorting.
func (w *VersionWalk) readJoined(ctx context.Context, layerID int64, inGrid bool, send func([]loadedRow) bool) error {
	q := `SELECT i.feature_id, i.body_id, b.geojson, b.hash, NULL, NULL, 0 FROM version_item i LEFT JOIN body b ON b.id = i.body_id
		WHERE i.version_id = ? AND i.layer_id = ? ORDER BY i.feature_id`
	if inGrid { // the body only for a feature without grid properties
		q = `SELECT i.feature_id, i.body_id, ` + bodyUnlessProps("i.body_id") + `, g.geom, g.props, g.props IS NOT NULL FROM version_item i
		LEFT JOIN body_geom g ON g.body_id = i.body_id WHERE i.version_id = ? AND i.layer_id = ? ORDER BY i.feature_id`
	}
	rows, err := w.tx.QueryContext(ctx, q, w.verID, layerID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var b batchBuilder
	var text, hash, grid, props sql.RawBytes
	for rows.Next() {
		var id string
		var body int64
		var hasProps bool
		if err := rows.Scan(&id, &body, &text, &hash, &grid, &props, &hasProps); err != nil {
			return err
		}
		props = presentProps(props, hasProps)
		if hash == nil && props == nil { // with props the body is not read: verify finds a lost one
			return missingBody(id, body)
		}
		b.add(id, text, hash, grid, props)
		if b.len() == WalkBatch && !send(b.take()) {
			return ctx.Err()
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if b.len() > 0 && !send(b.take()) {
		return ctx.Err()
	}
	return nil
}

// bodyUnlessProps selects the text and hash of the body whose id is the
// column body, or NULLs when its grid properties (g.props) are there: the
// subqueries run only for the rows that need them.
func bodyUnlessProps(body string) string {
	return `CASE WHEN g.props IS NULL THEN (SELECT geojson FROM body WHERE id = ` + body + `) END,
		CASE WHEN g.props IS NULL THEN (SELECT hash FROM body WHERE id = ` + body + `) END`
}

// presentProps is a grid properties column as read: the driver gives an
// empty blob as nil, which must stay present (and fail its checksum).
func presentProps(props []byte, present bool) []byte {
	if present && props == nil {
		return []byte{}
	}
	return props
}

// readSorted reads a layer whose items must be sorted: the items alone are
// sorted (SQLite sorts ids, not bodies), and each batch's bodies looked up
// by key in one query.
func (w *VersionWalk) readSorted(ctx context.Context, layerID int64, inGrid bool, send func([]loadedRow) bool) error {
	items, err := w.tx.QueryContext(ctx, `SELECT feature_id, body_id FROM version_item
		WHERE version_id = ? AND layer_id = ? ORDER BY seq`, w.verID, layerID)
	if err != nil {
		return err
	}
	defer items.Close()
	f := &bodyFetcher{tx: w.tx, inGrid: inGrid}
	defer f.close()
	ids := make([]string, 0, WalkBatch)
	bodies := make([]int64, 0, WalkBatch)
	for {
		more := items.Next()
		if more {
			var id string
			var body int64
			if err := items.Scan(&id, &body); err != nil {
				return err
			}
			ids, bodies = append(ids, id), append(bodies, body)
		}
		if len(ids) == WalkBatch || !more && len(ids) > 0 {
			rows, err := f.fetch(ctx, ids, bodies)
			if err != nil {
				return err
			}
			if !send(rows) {
				return ctx.Err()
			}
			ids, bodies = ids[:0], bodies[:0]
		}
		if !more {
			return items.Err()
		}
	}
}

func missingBody(id string, body int64) error {
	// the foreign key holds in a sound file; verify says more
	return kindErr(ErrNotFound, "feature %s: its body %d is missing; run quyhoach verify", id, body)
}

// batchBuilder gathers a batch's rows with their bytes in one arena, sized
// from the batch before: no allocation per body.
type batchBuilder struct {
	ids   []string
	spans []span
	arena []byte
	hint  int
}

type span struct {
	text, grid, props [2]int
	hasGrid, hasProps bool
	hash              [32]byte
}

// add copies a row out of SQLite's buffers.
func (b *batchBuilder) add(id string, text, hash, grid, props []byte) {
	if b.arena == nil {
		b.arena = make([]byte, 0, max(b.hint, 64<<10))
	}
	s := span{text: [2]int{len(b.arena), len(b.arena) + len(text)}}
	b.arena = append(b.arena, text...)
	if grid != nil {
		s.hasGrid = true
		s.grid = [2]int{len(b.arena), len(b.arena) + len(grid)}
		b.arena = append(b.arena, grid...)
	}
	if props != nil {
		s.hasProps = true
		s.props = [2]int{len(b.arena), len(b.arena) + len(props)}
		b.arena = append(b.arena, props...)
	}
	copy(s.hash[:], hash)
	b.ids, b.spans = append(b.ids, id), append(b.spans, s)
}

func (b *batchBuilder) len() int { return len(b.spans) }

// row is the i-th row added.
func (b *batchBuilder) row(i int, id string) loadedRow {
	s := &b.spans[i]
	r := loadedRow{id: id, text: b.arena[s.text[0]:s.text[1]:s.text[1]], hash: s.hash}
	if s.hasGrid {
		r.grid = b.arena[s.grid[0]:s.grid[1]:s.grid[1]]
		if r.grid == nil {
			r.grid = []byte{} // present but empty: damaged, as Load finds it
		}
	}
	if s.hasProps {
		r.props = b.arena[s.props[0]:s.props[1]:s.props[1]]
		if r.props == nil {
			r.props = []byte{} // present but empty: damaged
		}
	}
	return r
}

// take returns the rows added, in order, and starts a new batch.
func (b *batchBuilder) take() []loadedRow {
	out := make([]loadedRow, len(b.spans))
	for i, id := range b.ids {
		out[i] = b.row(i, id)
	}
	b.reset()
	return out
}

func (b *batchBuilder) reset() {
	b.hint = max(b.hint, len(b.arena)+len(b.arena)/8)
	b.ids, b.spans, b.arena = b.ids[:0], b.spans[:0], nil
}

// bodyFetcher reads the bodies of a batch of items in one query.
type bodyFetcher struct {
	tx     *sql.Tx
	inGrid bool
	stmt   *sql.Stmt // for a whole batch
	b      batchBuilder
	at     map[int64]int // body id → row of b
}

func (f *bodyFetcher) close() {
	if f.stmt != nil {
		f.stmt.Close()
	}
}

// fetch returns the rows of items ids (with bodies bodies), in that order.
func (f *bodyFetcher) fetch(ctx context.Context, ids []string, bodies []int64) ([]loadedRow, error) {
	q := `SELECT b.id, b.geojson, b.hash, NULL, NULL, 0 FROM body b WHERE b.id IN (` + placeholders(len(bodies), 1) + `)`
	if f.inGrid { // the body's text only for a feature without grid properties
		q = `SELECT b.id, CASE WHEN g.props IS NULL THEN b.geojson END, CASE WHEN g.props IS NULL THEN b.hash END,
			g.geom, g.props, g.props IS NOT NULL FROM body b LEFT JOIN body_geom g ON g.body_id = b.id
			WHERE b.id IN (` + placeholders(len(bodies), 1) + `)`
	}
	args := make([]any, len(bodies))
	for i, b := range bodies {
		args[i] = b
	}
	var rows *sql.Rows
	var err error
	if len(bodies) == WalkBatch {
		if f.stmt == nil {
			if f.stmt, err = f.tx.PrepareContext(ctx, q); err != nil {
				return nil, err
			}
		}
		rows, err = f.stmt.QueryContext(ctx, args...)
	} else {
		rows, err = f.tx.QueryContext(ctx, q, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if f.at == nil {
		f.at = make(map[int64]int, WalkBatch)
	}
	clear(f.at)
	var text, hash, grid, props sql.RawBytes
	for rows.Next() {
		var id int64
		var hasProps bool
		if err := rows.Scan(&id, &text, &hash, &grid, &props, &hasProps); err != nil {
			return nil, err
		}
		f.at[id] = f.b.len()
		f.b.add("", text, hash, grid, presentProps(props, hasProps))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]loadedRow, len(ids))
	for i, body := range bodies {
		k, ok := f.at[body]
		if !ok {
			return nil, missingBody(ids[i], body)
		}
		out[i] = f.b.row(k, ids[i])
	}
	f.b.reset()
	return out, nil
}
