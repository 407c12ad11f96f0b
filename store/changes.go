package store

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"quyhoach/gis"
)

// What differs between two states of a plan, found in the items without
// reading a body: bodies are content-addressed, so a feature whose item
// keeps its layer and body is the same feature, and a version's items
// re-use the bodies of the features it did not change. Only the features
// whose items differ (and the parents their lineage names) are read.

// StateRef names a state of a plan: version Version (0: the current one),
// or, when Dossier is set, that dossier's proposal (its base version with
// its change set applied).
type StateRef struct {
	Version int
	Dossier int64
}

// Side is a state as the store found it.
type Side struct {
	Plan    string // the plan's code (a dossier's own plan)
	Version int    // the version's number; for a proposal, its base's
	Dossier int64  // the proposing dossier; 0 for a version
}

// LayerChanges is where a layer of two states may differ: Old and New hold
// the features whose items (layer or body) differ, on each side where they
// are in the layer, and the features To's lineage names as parents of
// those, on both sides. diff.Layers(Old, New, Lineage) is therefore the
// diff of the two whole layers: a feature left out is the same on both
// sides, and every parent a link needs is there.
type LayerChanges struct {
	From, To Side
	Old, New []gis.Feature // sorted by id
	// Lineage is To's, for the features of New.
	Lineage map[string][]string
}

// state is a resolved StateRef.
type state struct {
	Side
	planID, versionID int64
	changes           map[string]changeItem // a proposal's change set, by feature id; nil for a version
	order             []string              // the change set's feature ids, sorted
}

// changeItem is one entry of a dossier's change set.
type changeItem struct {
	op      string
	layer   int64
	body    int64 // 0 for a deletion
	parents []string
}

// sideItem is a feature's item on one side: its layer and body, or none
// (layer 0).
type sideItem struct{ layer, body int64 }

// resolveState finds a state of plan code and, for a proposal, reads its
// change set (without bodies). A dossier must be code's, unless code is ""
// (then it is its own plan's).
func resolveState(ctx context.Context, q querier, code string, ref StateRef) (*state, error) {
	st := &state{}
	if ref.Dossier == 0 {
		planID, verID, err := versionID(ctx, q, code, ref.Version)
		if err != nil {
			return nil, err
		}
		st.planID, st.versionID, st.Plan = planID, verID, code
		return st, q.QueryRowContext(ctx, "SELECT number FROM version WHERE id = ?", verID).Scan(&st.Version)
	}
	st.Dossier = ref.Dossier
	err := q.QueryRowContext(ctx, `SELECT p.code, d.plan_id, d.base_version_id, v.number FROM dossier d
		JOIN plan p ON p.id = d.plan_id JOIN version v ON v.id = d.base_version_id WHERE d.id = ?`, ref.Dossier).
		Scan(&st.Plan, &st.planID, &st.versionID, &st.Version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, kindErr(ErrNotFound, "no dossier %d", ref.Dossier)
	}
	if err != nil {
		return nil, err
	}
	if code != "" && st.Plan != code {
		return nil, &ForeignDossierError{ref.Dossier, st.Plan, code}
	}
	rows, err := q.QueryContext(ctx, `SELECT feature_id, op, layer_id, coalesce(body_id, 0), parents FROM dossier_change
		WHERE dossier_id = ? ORDER BY feature_id`, ref.Dossier)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st.changes = map[string]changeItem{}
	for rows.Next() {
		var id, parents string
		var c changeItem
		if err := rows.Scan(&id, &c.op, &c.layer, &c.body, &parents); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(parents), &c.parents)
		st.changes[id] = c
		st.order = append(st.order, id)
	}
	return st, rows.Err()
}

// ForeignDossierError is a dossier asked for as a state of another plan.
type ForeignDossierError struct {
	Dossier     int64
	Plan, Asked string
}

func (e *ForeignDossierError) Error() string {
	return fmt.Sprintf("dossier %d belongs to plan %s, not %s", e.Dossier, e.Plan, e.Asked)
}

// layerIDOf is the id of a plan's layer, 0 when the plan has none so named.
func layerIDOf(ctx context.Context, q querier, planID int64, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, "SELECT id FROM layer WHERE plan_id = ? AND name = ?", planID, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// LayerChanges reads where a layer of two states of plan code may differ
// (see LayerChanges): in the grid (EPSG:9215, as LoadGrid) when grid is
// set, else in WGS84 as stored (as Load). Every body read is checked
// against its sha256, every grid form against its checksum.
func (s *Store) LayerChanges(ctx context.Context, code string, from, to StateRef, layer string, grid bool) (*LayerChanges, error) {
	out, err := s.compareLayer(ctx, code, from, to, layer, grid, false)
	if err != nil {
		return nil, err
	}
	return &out.LayerChanges, nil
}

// LayerComparison is what a balance of one state against another reads:
// where the layer may differ (in the grid) and each state's measures of
// the layer in its order, as Measures gives them.
type LayerComparison struct {
	LayerChanges
	Before, After []Measure
}

// CompareLayer is LayerChanges in the grid with both states' measures,
// read in the same walk of their items (a proposal and its base share one).
func (s *Store) CompareLayer(ctx context.Context, code string, from, to StateRef, layer string) (*LayerComparison, error) {
	return s.compareLayer(ctx, code, from, to, layer, true, true)
}

func (s *Store) compareLayer(ctx context.Context, code string, from, to StateRef, layer string, grid, measure bool) (*LayerComparison, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // one consistent snapshot
	if err != nil {
		return nil, wrap("changes of "+code, err)
	}
	defer tx.Rollback()
	out, err := compareLayer(ctx, tx, s.db, code, from, to, layer, grid, measure)
	if err != nil {
		return nil, wrapState("changes of "+code, err)
	}
	return out, nil
}

// ResolveState finds a state of plan code (see StateRef) without reading
// it: a version's number, a proposal's dossier and base.
func (s *Store) ResolveState(ctx context.Context, code string, ref StateRef) (Side, error) {
	st := Side{Plan: code, Version: ref.Version, Dossier: ref.Dossier}
	var err error
	if ref.Dossier != 0 {
		err = s.db.QueryRowContext(ctx, `SELECT p.code, v.number FROM dossier d JOIN plan p ON p.id = d.plan_id
			JOIN version v ON v.id = d.base_version_id WHERE d.id = ?`, ref.Dossier).Scan(&st.Plan, &st.Version)
		if errors.Is(err, sql.ErrNoRows) {
			return st, kindErr(ErrNotFound, "no dossier %d", ref.Dossier)
		}
		if err == nil && code != "" && st.Plan != code {
			return st, &ForeignDossierError{ref.Dossier, st.Plan, code}
		}
	} else {
		var verID int64
		if _, verID, err = versionID(ctx, s.db, code, ref.Version); err == nil {
			err = s.db.QueryRowContext(ctx, "SELECT number FROM version WHERE id = ?", verID).Scan(&st.Version)
		}
	}
	if err != nil {
		return st, wrapState("state of "+code, err)
	}
	return st, nil
}

// wrapState is wrap that leaves a foreign dossier's message alone.
func wrapState(op string, err error) error {
	if fe := (*ForeignDossierError)(nil); errors.As(err, &fe) {
		return err
	}
	return wrap(op, err)
}

// newComparing resolves two states of plan code and the layer in each.
func newComparing(ctx context.Context, q querier, db *sql.DB, code string, from, to StateRef, layer string, measure bool) (*comparing, error) {
	resolve := func(ref StateRef) (*state, error) { return resolveState(ctx, q, code, ref) }
	c := &comparing{q: q, db: db, items: map[string][2]sideItem{}, measure: measure}
	var err error
	if measure { // both missing, a balance names its own state (to), a diff its from
		if c.b, err = resolve(to); err == nil {
			c.a, err = resolve(from)
		}
	} else if c.a, err = resolve(from); err == nil {
		c.b, err = resolve(to)
	}
	if err != nil {
		return nil, err
	}
	if c.la, err = layerIDOf(ctx, q, c.a.planID, layer); err != nil {
		return nil, err
	}
	if c.lb, err = layerIDOf(ctx, q, c.b.planID, layer); err != nil {
		return nil, err
	}
	return c, nil
}

func compareLayer(ctx context.Context, q querier, db *sql.DB, code string, from, to StateRef, layer string, grid, measure bool) (*LayerComparison, error) {
	c, err := newComparing(ctx, q, db, code, from, to, layer, measure)
	if err != nil {
		return nil, err
	}
	a, b, la, lb := c.a, c.b, c.la, c.lb
	if measure && a.versionID == b.versionID && la != 0 { // one walk for both: a proposal and its base, say
		list, err := scanMeasures(ctx, db, a.versionID, la, a.changes != nil || b.changes != nil)
		if err != nil {
			return nil, err
		}
		c.lists = [2][]measuredItem{list, slices.Clone(list)}
	}
	if err := c.candidates(ctx); err != nil {
		return nil, err
	}
	out := &LayerComparison{LayerChanges: LayerChanges{From: a.Side, To: b.Side}}
	if out.Lineage, err = lineageOf(ctx, q, b); err != nil {
		return nil, err
	}
	// The parents named by the features of To that may have changed: a
	// link counts when its parent is in From, so From's must be read (and
	// To's, for the parent to be found unchanged).
	var parents []string
	for id, it := range c.items {
		if it[1].layer == lb && lb != 0 {
			for _, p := range out.Lineage[id] {
				if _, ok := c.items[p]; !ok {
					parents = append(parents, p)
				}
			}
		}
	}
	for _, p := range parents {
		if err := c.add(ctx, p); err != nil {
			return nil, err
		}
	}
	// Bodies stored never hold a "parents" property (encodeBody takes it
	// out), so the lineage above is all diff.Layers can find.
	if out.Old, out.New, err = c.read(ctx, grid); err != nil {
		return nil, err
	}
	for id := range out.Lineage {
		if _, ok := c.items[id]; !ok {
			delete(out.Lineage, id)
		}
	}
	if measure {
		for k, side := range []struct {
			st    *state
			layer int64
			out   *[]Measure
		}{{a, la, &out.Before}, {b, lb, &out.After}} {
			if side.layer == 0 {
				continue
			}
			items, err := finishMeasures(ctx, q, side.st, side.layer, c.lists[k])
			if err != nil {
				return nil, err
			}
			*side.out = measuresOf(items)
		}
	}
	return out, nil
}

// comparing gathers the feature ids whose items may differ between two
// states a and b, and their items on each side; measuring, the measured
// items of each side's version too.
type comparing struct {
	q       querier
	db      *sql.DB // the versions' items are walked on connections of their own
	a, b    *state
	la, lb  int64                         // the layer's id in each side's plan, 0: none
	items   map[string][2]sideItem        // feature id → its item on a and on b
	lookup  map[int64]map[string]sideItem // version id → feature id → item, looked up one by one
	measure bool
	lists   [2][]measuredItem // measuring: each side's version's items of the layer, by seq
}

// candidates finds the ids whose items differ between the two versions
// read (in the layer, on either side) and the ids of the change sets.
func (c *comparing) candidates(ctx context.Context) error {
	if c.a.versionID != c.b.versionID && (c.la != 0 || c.lb != 0) {
		merge := c.mergeVersions
		if c.a.planID == c.b.planID && !c.measure {
			merge = c.changedItems
		}
		if err := merge(ctx); err != nil {
			return err
		}
	}
	// The items found so far are the versions'; a change set overrides them.
	if c.a.changes != nil || c.b.changes != nil {
		for id, it := range c.items {
			it[0], it[1] = c.a.override(it[0], id), c.b.override(it[1], id)
			c.items[id] = it
		}
	}
	for _, st := range []*state{c.a, c.b} {
		for _, id := range st.order {
			if err := c.add(ctx, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// mergeVersions walks the items of the two versions side by side in id
// order and keeps those in the layer on either side whose layer or body
// differ, or that one side lacks. Each version is read sequentially on a
// connection of its own, both at once: a committed version's items never
// change, so they are the items the transaction sees.
func (c *comparing) mergeVersions(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a, b := streamItems(ctx, c.db, c.a.versionID, c.measure), streamItems(ctx, c.db, c.b.versionID, c.measure)
	okA, okB := a.next(), b.next()
	for okA || okB {
		var order int
		switch {
		case !okB:
			order = -1
		case !okA:
			order = 1
		default:
			order = bytes.Compare(a.id(), b.id())
		}
		if order <= 0 {
			c.collect(0, a)
		}
		if order >= 0 {
			c.collect(1, b)
		}
		switch {
		case order < 0: // on a only
			c.keepIfChanged(a.id(), [2]sideItem{a.item(), {}})
			okA = a.next()
		case order > 0: // on b only
			c.keepIfChanged(b.id(), [2]sideItem{{}, b.item()})
			okB = b.next()
		default:
			c.keepIfChanged(a.id(), [2]sideItem{a.item(), b.item()})
			okA, okB = a.next(), b.next()
		}
	}
	// A cancelled read ends its stream early: that is no answer.
	if err := cmp.Or(a.err, b.err, ctx.Err()); err != nil {
		return err
	}
	sortBySeq(c.lists[0])
	sortBySeq(c.lists[1])
	return nil
}

// changedItems keeps what mergeVersions keeps, for two versions of one
// plan, from the item rows that begin or end between them (the indexes
// of migration 0017): a row live in the newer that began after the older,
// a row live in the older that ended by the newer. Whatever the plan's
// size, it reads what changed. (A measuring comparison needs every item:
// mergeVersions.)
func (c *comparing) changedItems(ctx context.Context) error {
	older, newer := 0, 1
	lo, hi := c.a.Version, c.b.Version
	if lo > hi {
		older, newer, lo, hi = 1, 0, hi, lo
	}
	rows, err := c.q.QueryContext(ctx, changedItemsQuery(c.a.planID, lo, hi))
	if err != nil && strings.Contains(err.Error(), "no such index") {
		return c.mergeVersions(ctx) // dropped behind the store's back (verify says so): the long way
	}
	if err != nil {
		return err
	}
	defer rows.Close()
	found := map[string][2]sideItem{}
	for rows.Next() {
		var id string
		var it sideItem
		var inNewer bool
		if err := rows.Scan(&id, &it.layer, &it.body, &inNewer); err != nil {
			return err
		}
		both := found[id]
		if inNewer {
			both[newer] = it
		} else {
			both[older] = it
		}
		found[id] = both
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for id, it := range found {
		c.keepIfChanged([]byte(id), it)
	}
	return nil
}

// keepIfChanged keeps a feature's items on both sides (none: layer 0) when
// it is in the layer on either side and its items differ.
func (c *comparing) keepIfChanged(id []byte, it [2]sideItem) {
	if ((it[0].layer == c.la && c.la != 0) || (it[1].layer == c.lb && c.lb != 0)) && it[0] != it[1] {
		c.items[string(id)] = it
	}
}

// changedItemsQuery reads the item rows of plan that begin after version
// lo and are live in hi (last column 1), and those live in lo that end
// by hi (0). The numbers are written into the text: SQLite uses a
// partial index only for a query whose terms imply its WHERE, and each
// half names its index (without statistics it would scan the plan's rows
// by key).
func changedItemsQuery(plan int64, lo, hi int) string {
	return fmt.Sprintf(`SELECT feature_id, layer_id, body_id, 1 FROM item INDEXED BY item_since
		WHERE plan_id = %[1]d AND since > 1 AND since > %[2]d AND since <= %[3]d AND (until IS NULL OR until > %[3]d)
		UNION ALL SELECT feature_id, layer_id, body_id, 0 FROM item INDEXED BY item_until
		WHERE plan_id = %[1]d AND until > %[2]d AND until <= %[3]d AND since <= %[2]d`, plan, lo, hi)
}

// collect keeps, measuring, side k's current item when it is in the layer.
func (c *comparing) collect(k int, cur *itemCursor) {
	st, layer := c.a, c.la
	if k == 1 {
		st, layer = c.b, c.lb
	}
	if !c.measure || layer == 0 || cur.item().layer != layer {
		return
	}
	it := cur.b.measured[cur.i]
	if st.changes != nil { // a proposal's base: its changes go by id
		it.id = string(cur.id())
	}
	c.lists[k] = append(c.lists[k], it)
}

// scanConn is a connection of its own for reading a version's items once
// through: a committed version's items never change, so it reads what the
// transaction would. It gets a walk's small page cache (the store's,
// sized for imports, would only grow with the plan) and its own size back
// before it returns to the pool.
func scanConn(ctx context.Context, db *sql.DB) (*sql.Conn, func(), error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	var cache int64
	if err := conn.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&cache); err != nil {
		conn.Close()
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", walkCache)); err != nil {
		conn.Close()
		return nil, nil, err
	}
	return conn, func() {
		conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA cache_size = %d", cache))
		conn.Close()
	}, nil
}

// itemBatch is a run of a version's items in id order.
type itemBatch struct {
	ids      []byte // the ids one after the other
	ends     []int  // where each id ends in ids
	items    []sideItem
	measured []measuredItem // measuring: each item's seq, body and measure
	err      error
}

const itemBatchSize = 4096

// itemCursor walks the batches a reader sends.
type itemCursor struct {
	ch  <-chan *itemBatch
	b   *itemBatch
	i   int
	err error
}

// streamItems reads a version's items in id order on another goroutine,
// with their seq and measure when measuring.
func streamItems(ctx context.Context, db *sql.DB, versionID int64, measure bool) *itemCursor {
	ch := make(chan *itemBatch, 4)
	go func() {
		defer close(ch)
		send := func(b *itemBatch) bool {
			select {
			case ch <- b:
				return true
			case <-ctx.Done():
				return false
			}
		}
		query := "SELECT i.feature_id, i.layer_id, i.body_id FROM version_item i WHERE i.version_id = ? ORDER BY i.feature_id"
		if measure {
			query = `SELECT i.feature_id, i.layer_id, i.body_id, i.seq, m.measure FROM version_item i
				LEFT JOIN body_measure m ON m.body_id = i.body_id WHERE i.version_id = ? ORDER BY i.feature_id`
		}
		conn, release, err := scanConn(ctx, db)
		if err != nil {
			send(&itemBatch{err: err})
			return
		}
		defer release()
		rows, err := conn.QueryContext(ctx, query, versionID)
		if err != nil {
			send(&itemBatch{err: err})
			return
		}
		defer rows.Close()
		b := &itemBatch{}
		var id, form sql.RawBytes
		var it sideItem
		var m measuredItem
		var dec measureDecoder
		dest := []any{&id, &it.layer, &it.body}
		if measure {
			dest = append(dest, &m.seq, &form)
		}
		for rows.Next() {
			m = measuredItem{}
			if err := rows.Scan(dest...); err != nil {
				send(&itemBatch{err: err})
				return
			}
			b.ids = append(b.ids, id...)
			b.ends, b.items = append(b.ends, len(b.ids)), append(b.items, it)
			if measure {
				m.body = it.body
				if !dec.decode(&m, form) {
					send(&itemBatch{err: measureErr(ctx, db, versionID, it.body)})
					return
				}
				b.measured = append(b.measured, m)
			}
			if len(b.items) == itemBatchSize {
				if !send(b) {
					return
				}
				b = &itemBatch{ids: make([]byte, 0, cap(b.ids)), ends: make([]int, 0, itemBatchSize), items: make([]sideItem, 0, itemBatchSize)}
			}
		}
		if len(b.items) > 0 && !send(b) {
			return
		}
		if err := rows.Err(); err != nil {
			send(&itemBatch{err: err})
		}
	}()
	return &itemCursor{ch: ch, i: -1}
}

// next moves to the next item: false at the end or on an error (err).
func (c *itemCursor) next() bool {
	c.i++
	for c.b == nil || c.i >= len(c.b.items) {
		b, ok := <-c.ch
		if !ok {
			return false
		}
		if b.err != nil {
			c.err = b.err
			return false
		}
		c.b, c.i = b, 0
	}
	return true
}

// id is the current item's feature id, valid until next.
func (c *itemCursor) id() []byte {
	lo := 0
	if c.i > 0 {
		lo = c.b.ends[c.i-1]
	}
	return c.b.ids[lo:c.b.ends[c.i]]
}

func (c *itemCursor) item() sideItem { return c.b.items[c.i] }

// add takes feature id in with its items on both sides, unless it is in.
func (c *comparing) add(ctx context.Context, id string) error {
	if _, ok := c.items[id]; ok {
		return nil
	}
	var it [2]sideItem
	for k, st := range []*state{c.a, c.b} {
		v, err := c.versionItem(ctx, st.versionID, id)
		if err != nil {
			return err
		}
		it[k] = st.override(v, id)
	}
	c.items[id] = it
	return nil
}

// override is a feature's item in a state given its item in the state's
// version: a proposal's change replaces it as propose does (a modification
// keeps the feature in its layer; an addition puts it in its own; a
// deletion, or a modification of a feature the base lacks, leaves none).
func (st *state) override(v sideItem, id string) sideItem {
	ch, ok := st.changes[id]
	switch {
	case !ok:
		return v
	case ch.op == "add":
		return sideItem{ch.layer, ch.body}
	case ch.op == "modify" && v.layer != 0:
		return sideItem{v.layer, ch.body}
	}
	return sideItem{}
}

// versionItem is a feature's item in a version, layer 0 when absent.
func (c *comparing) versionItem(ctx context.Context, versionID int64, id string) (sideItem, error) {
	if c.lookup == nil {
		c.lookup = map[int64]map[string]sideItem{}
	}
	if v, ok := c.lookup[versionID][id]; ok {
		return v, nil
	}
	var v sideItem
	err := c.q.QueryRowContext(ctx, "SELECT layer_id, body_id FROM version_item WHERE version_id = ? AND feature_id = ?", versionID, id).Scan(&v.layer, &v.body)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return v, err
	}
	if c.lookup[versionID] == nil {
		c.lookup[versionID] = map[string]sideItem{}
	}
	c.lookup[versionID][id] = v
	return v, nil
}

// read reads the features in the layer on each side, sorted by id; a body
// both sides share is read once.
func (c *comparing) read(ctx context.Context, grid bool) (old, nu []gis.Feature, err error) {
	type want struct {
		id   string
		body int64
		side int
	}
	var wants []want
	var bodyIDs []int64
	for _, id := range slices.Sorted(maps.Keys(c.items)) {
		it := c.items[id]
		for k, l := range [2]int64{c.la, c.lb} {
			if l != 0 && it[k].layer == l {
				wants = append(wants, want{id, it[k].body, k})
				bodyIDs = append(bodyIDs, it[k].body)
			}
		}
	}
	bodies, err := readBodies(ctx, c.q, bodyIDs)
	if err != nil {
		return nil, nil, err
	}
	rows := make([]loadedRow, len(wants))
	for i, w := range wants {
		b, ok := bodies[w.body]
		if !ok {
			return nil, nil, fmt.Errorf("feature %s: body %d missing", w.id, w.body)
		}
		rows[i] = loadedRow{id: w.id, text: b.text, grid: b.grid}
		copy(rows[i].hash[:], b.hash)
	}
	features, err := decodeBodies(rows, grid)
	if err != nil {
		return nil, nil, err
	}
	for i, w := range wants {
		if w.side == 0 {
			old = append(old, features[i])
		} else {
			nu = append(nu, features[i])
		}
	}
	return old, nu, nil
}

// storedBody is a body as read: text, its stored sha256, its grid form.
type storedBody struct{ text, hash, grid []byte }

// readBodies reads bodies by id, with their grid forms.
func readBodies(ctx context.Context, q querier, ids []int64) (map[int64]storedBody, error) {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	out := make(map[int64]storedBody, len(ids))
	for chunk := range slices.Chunk(ids, batchRows) {
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		rows, err := q.QueryContext(ctx, `SELECT b.id, b.geojson, b.hash, g.geom FROM body b LEFT JOIN body_geom g ON g.body_id = b.id
			WHERE b.id IN (`+placeholders(len(chunk), 1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var b storedBody
			if err := rows.Scan(&id, &b.text, &b.hash, &b.grid); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = b
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lineageOf is a state's lineage: a version's as recorded, a proposal's
// from its change set's parents (as propose gives it).
func lineageOf(ctx context.Context, q querier, st *state) (map[string][]string, error) {
	out := map[string][]string{}
	if st.changes != nil {
		for _, id := range st.order {
			if ps := st.changes[id].parents; len(ps) > 0 {
				out[id] = ps
			}
		}
		return out, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT feature_id, parent_id FROM lineage WHERE version_id = ? ORDER BY feature_id, parent_id", st.versionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f, p string
		if err := rows.Scan(&f, &p); err != nil {
			return nil, err
		}
		out[f] = append(out[f], p)
	}
	return out, rows.Err()
}

// ChangedIDs lists the ids of the features whose items differ between two
// states in a layer, sorted: the query LayerChanges starts from, without
// the lineage's parents and without reading a body.
func (s *Store) ChangedIDs(ctx context.Context, code string, from, to StateRef, layer string) ([]string, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, wrapState("changes of "+code, err)
	}
	defer tx.Rollback()
	c, err := newComparing(ctx, tx, s.db, code, from, to, layer, false)
	if err == nil {
		err = c.candidates(ctx)
	}
	if err != nil {
		return nil, wrapState("changes of "+code, err)
	}
	var out []string
	for id, it := range c.items {
		inA, inB := c.la != 0 && it[0].layer == c.la, c.lb != 0 && it[1].layer == c.lb
		if (inA || inB) && !(inA && inB && it[0].body == it[1].body) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out, nil
}
