package office

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"quyhoach/lthash"
	"quyhoach/store"
)

// VersionResult is what happened to one version of a push or a load.
type VersionResult struct {
	UID    string
	Number int
	New    bool // false: the office held it already
}

// putVersion takes one version: its items rebuilt (whole, or the parent's
// with the delta), its seal recomputed and compared, and it becomes its
// plan's current version. Its parent must be the plan's current version
// (mustFollow: a push; a load goes in order anyway). A version held already
// is left as it is when its seal is the same.
func putVersion(ctx context.Context, tx pgx.Tx, v *store.VersionBundle) (VersionResult, error) {
	res := VersionResult{UID: v.UID, Number: v.Number}
	var heldSeal []byte
	err := tx.QueryRow(ctx, "SELECT seal FROM version WHERE uid = $1", v.UID).Scan(&heldSeal)
	if err == nil {
		if !bytes.Equal(heldSeal, v.Seal) {
			return res, refuse("version %d (%s) is at the office with another seal: refused", v.Number, v.UID)
		}
		return res, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return res, err
	}
	var code string
	var current *string
	if err := tx.QueryRow(ctx, "SELECT code, current FROM plan WHERE uid = $1", v.PlanUID).Scan(&code, &current); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return res, refuse("version %d names plan %s, which the office does not hold", v.Number, v.PlanUID)
		}
		return res, err
	}
	cur := ""
	if current != nil {
		cur = *current
	}
	if v.Parent != cur {
		var n int
		_ = tx.QueryRow(ctx, "SELECT number FROM version WHERE uid = $1", cur).Scan(&n)
		return res, refuse("version %d of plan %s does not follow the office's current version %d: pull first, then push again", v.Number, code, n)
	}
	layers, err := planLayers(ctx, tx, v.PlanUID)
	if err != nil {
		return res, err
	}
	// the items: whole, or the parent's with the delta
	items := v.Put
	state := new(lthash.Hash)
	var parentSeal []byte
	if v.Parent != "" {
		var parentState []byte
		var parentNumber int
		if err := tx.QueryRow(ctx, "SELECT seal, items_hash, number FROM version WHERE uid = $1", v.Parent).Scan(&parentSeal, &parentState, &parentNumber); err != nil {
			return res, err
		}
		if v.Number != parentNumber+1 {
			return res, refuse("version %d of plan %s follows version %d: refused", v.Number, code, parentNumber)
		}
		if v.Delta {
			parent, err := readItems(ctx, tx, v.Parent)
			if err != nil {
				return res, err
			}
			put := make(map[string]bool, len(v.Put))
			for _, it := range v.Put {
				put[it.Feature] = true
			}
			drop := make(map[string]bool, len(v.Drop))
			for _, f := range v.Drop {
				drop[f] = true
			}
			if state, err = lthash.Parse(parentState); err != nil {
				return res, fmt.Errorf("version %d: stored items state: %w", parentNumber, err)
			}
			var gone []store.VersionItem
			items = make([]store.VersionItem, 0, len(parent)+len(v.Put))
			for _, it := range parent {
				if put[it.Feature] || drop[it.Feature] {
					gone = append(gone, it)
					delete(drop, it.Feature)
					continue
				}
				items = append(items, it)
			}
			if len(drop) > 0 {
				return res, refuse("version %d of plan %s drops features its parent does not have: refused", v.Number, code)
			}
			store.AddVersionItems(state, gone, true)
			store.AddVersionItems(state, v.Put, false)
			items = append(items, v.Put...)
		} else {
			store.AddVersionItems(state, items, false)
		}
	} else {
		if v.Delta || v.Number != 1 {
			return res, refuse("version %d of plan %s has no parent: refused", v.Number, code)
		}
		store.AddVersionItems(state, items, false)
	}
	seen := make(map[string]bool, len(items))
	for _, it := range items {
		if seen[it.Feature] {
			return res, refuse("version %d of plan %s holds feature %s twice: refused", v.Number, code, it.Feature)
		}
		seen[it.Feature] = true
		if !layers[it.Layer] {
			return res, refuse("version %d of plan %s puts feature %s on layer %s, which the plan does not have", v.Number, code, it.Feature, it.Layer)
		}
	}
	sum := state.Sum()
	seal := store.VersionSeal(v, parentSeal, sum[:], store.LineageDigest(v.Lineage))
	if !bytes.Equal(seal, v.Seal) || (len(v.ItemsHash) > 0 && !bytes.Equal(state.Bytes(), v.ItemsHash)) {
		return res, refuse("version %d of plan %s does not match its seal: refused", v.Number, code)
	}
	if err := putBodies(ctx, tx, v.Bodies); err != nil {
		return res, err
	}
	// every item's body is at the office now (the foreign key says so too)
	if _, err := tx.Exec(ctx, `INSERT INTO version (uid, plan, number, parent, created, source, message, dossier, decision_no, decision_date, ma_thong_tin_qh, items_hash, seal)
		VALUES ($1, $2, $3, nullif($4, ''), $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
		v.UID, v.PlanUID, v.Number, v.Parent, v.Created, v.Source, v.Message, v.Dossier, v.DecisionNo, v.DecisionDate, v.MaThongTinQH,
		state.Bytes(), seal); err != nil {
		return res, during(fmt.Sprintf("make version %d of plan %s", v.Number, code), err)
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"version_item"}, []string{"version", "feature", "layer", "body", "seq"},
		pgx.CopyFromSlice(len(items), func(i int) ([]any, error) {
			return []any{v.UID, items[i].Feature, items[i].Layer, items[i].Body, int64(items[i].Seq)}, nil
		})); err != nil {
		return res, during(fmt.Sprintf("make version %d of plan %s", v.Number, code), err)
	}
	if len(v.Lineage) > 0 {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"lineage"}, []string{"version", "feature", "parent"},
			pgx.CopyFromSlice(len(v.Lineage), func(i int) ([]any, error) {
				return []any{v.UID, v.Lineage[i].Feature, v.Lineage[i].Parent}, nil
			})); err != nil {
			return res, err
		}
	}
	if _, err := tx.Exec(ctx, "UPDATE plan SET current = $1 WHERE uid = $2", v.UID, v.PlanUID); err != nil {
		return res, during(fmt.Sprintf("make version %d of plan %s current", v.Number, code), err)
	}
	if err := logChange(ctx, tx, "version", v.UID); err != nil {
		return res, err
	}
	res.New = true
	return res, nil
}

func planLayers(ctx context.Context, q querier, plan string) (map[string]bool, error) {
	rows, err := q.Query(ctx, "SELECT name FROM layer WHERE plan = $1", plan)
	if err != nil {
		return nil, err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	out := map[string]bool{}
	for _, n := range names {
		out[n] = true
	}
	return out, err
}

// readItems reads a version's items in file order.
func readItems(ctx context.Context, q querier, version string) ([]store.VersionItem, error) {
	rows, err := q.Query(ctx, "SELECT feature, layer, body, seq FROM version_item WHERE version = $1 ORDER BY seq, feature", version)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, scanItem)
}

// scanItem reads an item's row (feature, layer, body, seq).
func scanItem(r pgx.CollectableRow) (store.VersionItem, error) {
	var it store.VersionItem
	var seq int64
	err := r.Scan(&it.Feature, &it.Layer, &it.Body, &seq)
	it.Seq = int(seq)
	return it, err
}

// logChange appends to the change log (the write lock is held).
func logChange(ctx context.Context, tx pgx.Tx, kind, uid string) error {
	// through the database's own function (schema 0003): the log cannot be
	// written around it; it reads a dossier's revision from its row
	_, err := tx.Exec(ctx, "SELECT office_log($1, $2)", kind, uid)
	return err
}

// Versions reads the versions of a plan after number afterNumber, in
// order: the first whole when afterNumber is 0 (the receiver holds none),
// the others as deltas from their parent.
func (o *Office) Versions(ctx context.Context, planUID string, afterNumber int) ([]*store.VersionBundle, error) {
	tx, err := o.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return nil, o.fail("read versions", err)
	}
	defer tx.Rollback(ctx)
	rows, err := tx.Query(ctx, `SELECT v.uid, v.plan, v.number, coalesce(v.parent, ''), v.created, v.source, v.message, v.dossier,
		v.decision_no, v.decision_date, v.ma_thong_tin_qh, v.items_hash, v.seal
		FROM version v WHERE v.plan = $1 AND v.number > $2 ORDER BY v.number`, planUID, afterNumber)
	if err != nil {
		return nil, o.fail("read versions", err)
	}
	vs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (*store.VersionBundle, error) {
		v := &store.VersionBundle{}
		err := r.Scan(&v.UID, &v.PlanUID, &v.Number, &v.Parent, &v.Created, &v.Source, &v.Message, &v.Dossier,
			&v.DecisionNo, &v.DecisionDate, &v.MaThongTinQH, &v.ItemsHash, &v.Seal)
		return v, err
	})
	if err != nil {
		return nil, o.fail("read versions", err)
	}
	for i, v := range vs {
		v.Delta = v.Parent != "" && (i > 0 || afterNumber > 0)
		if err := readVersionContent(ctx, tx, v); err != nil {
			return nil, o.fail(fmt.Sprintf("read version %d", v.Number), err)
		}
	}
	return vs, nil
}

// readVersionContent fills a version's items (whole or delta), lineage and
// the bodies its Put names.
func readVersionContent(ctx context.Context, tx pgx.Tx, v *store.VersionBundle) error {
	var err error
	if !v.Delta {
		if v.Put, err = readItems(ctx, tx, v.UID); err != nil {
			return err
		}
	} else {
		rows, err := tx.Query(ctx, `SELECT i.feature, i.layer, i.body, i.seq FROM version_item i
			LEFT JOIN version_item o ON o.version = $2 AND o.feature = i.feature
			WHERE i.version = $1 AND (o.feature IS NULL OR o.body <> i.body OR o.layer <> i.layer OR o.seq <> i.seq)
			ORDER BY i.seq, i.feature`, v.UID, v.Parent)
		if err != nil {
			return err
		}
		if v.Put, err = pgx.CollectRows(rows, scanItem); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT o.feature FROM version_item o WHERE o.version = $2
			AND NOT EXISTS (SELECT 1 FROM version_item i WHERE i.version = $1 AND i.feature = o.feature) ORDER BY o.feature`, v.UID, v.Parent)
		if err != nil {
			return err
		}
		if v.Drop, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
	}
	rows, err := tx.Query(ctx, "SELECT feature, parent FROM lineage WHERE version = $1 ORDER BY feature, parent", v.UID)
	if err != nil {
		return err
	}
	if v.Lineage, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.LineageBundle, error) {
		var l store.LineageBundle
		return l, r.Scan(&l.Feature, &l.Parent)
	}); err != nil {
		return err
	}
	seen := map[string]bool{}
	var hashes [][]byte
	for _, it := range v.Put {
		if !seen[string(it.Body)] {
			seen[string(it.Body)] = true
			hashes = append(hashes, it.Body)
		}
	}
	v.Bodies, err = readBodies(ctx, tx, hashes)
	return err
}
