package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// Each version keeps how many features each of its layers holds
// (version_layer, migration 0012), written with its items before it is
// sealed: a version's record and a walk's start read it instead of every
// item.

// countLayers writes version verID's layer counts from its items (a scan
// of them): for writers that do not know them as they write.
func countLayers(ctx context.Context, tx *sql.Tx, verID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO version_layer (version_id, layer_id, features)
		SELECT version_id, layer_id, count(*) FROM version_item WHERE version_id = ? GROUP BY layer_id`, verID)
	return err
}

// importedLayerCounts writes the layer counts of version verID, written
// by an import over version curID (0: none): the imported layers' as
// written (layer id → features, whether their ids came in increasing
// order, and their kinds), the others' as curID has them.
func importedLayerCounts(ctx context.Context, tx *sql.Tx, verID, curID int64, imported map[int64]*layerWritten) error {
	if curID != 0 {
		args := []any{verID, curID}
		for id := range imported {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO version_layer (version_id, layer_id, features, in_key_order, schema)
			SELECT ?, layer_id, features, in_key_order, schema FROM version_layer WHERE version_id = ? AND layer_id NOT IN (`+placeholders(len(imported), 1)+`)`, args...); err != nil {
			return err
		}
	}
	for id, l := range imported {
		if l.n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO version_layer (version_id, layer_id, features, in_key_order, schema) VALUES (?, ?, ?, ?, ?)",
			verID, id, l.n, !l.mixed, l.schema.encode()); err != nil {
			return err
		}
	}
	return nil
}

// layerWritten follows the items an import writes to a layer, in their
// order (seq): how many, whether their ids ever went down, and the kinds
// of their properties and geometries.
type layerWritten struct {
	n      int
	last   string
	mixed  bool
	schema *layerSchema
}

func (l *layerWritten) add(ids []string) {
	for _, id := range ids {
		if l.n > 0 && id <= l.last {
			l.mixed = true
		}
		l.last = id
		l.n++
	}
}

// countApprovedLayers writes the layer counts of version verID, written by
// approving dossier over version curID: curID's counts less the items the
// change set replaces or deletes, plus the ones it writes — the change
// set's size, whatever the plan's. A layer stays in key order when it was
// and nothing comes into it from another layer, and what is added to it
// (numbered after every item, in id order) has ids above every id of
// curID; one that was not stays "not known to be" (read sorted: always
// right); else its order is left unknown. Each layer's kinds are
// schemas' for the layers the change set touches (approvedLayerSchemas),
// curID's for the others.
func countApprovedLayers(ctx context.Context, tx *sql.Tx, verID, curID, dossier int64, schemas map[int64]*string) error {
	cur, err := versionAt(ctx, tx, curID)
	if err != nil {
		return err
	}
	touched, err := json.Marshal(schemas) // layer id → the text or null
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO version_layer (version_id, layer_id, features, in_key_order, schema)
		SELECT ?1, x.layer_id, sum(n), CASE WHEN count(ordered) = count(*) AND min(ordered) = 1 THEN 1 WHEN min(ordered) = 0 THEN 0 END,
			CASE WHEN json_type(?4, '$."' || x.layer_id || '"') IS NULL -- untouched: curID's
			THEN (SELECT p.schema FROM version_layer p WHERE p.version_id = ?2 AND p.layer_id = x.layer_id)
			ELSE json_extract(?4, '$."' || x.layer_id || '"') END FROM (
			SELECT layer_id, features AS n, in_key_order AS ordered FROM version_layer WHERE version_id = ?2
			UNION ALL SELECT k.layer_id, -1, 1 FROM dossier_change c
				CROSS JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id WHERE c.dossier_id = ?3
			UNION ALL SELECT c.layer_id, 1, CASE
				WHEN k.layer_id = c.layer_id THEN 1
				WHEN k.layer_id IS NULL AND c.feature_id > (SELECT m.feature_id FROM item m WHERE `+cur.on("m")+` ORDER BY m.feature_id DESC LIMIT 1) THEN 1
				END
				FROM dossier_change c LEFT JOIN item k ON `+cur.on("k")+` AND k.feature_id = c.feature_id
				WHERE c.dossier_id = ?3 AND c.op <> 'delete') x
		GROUP BY x.layer_id HAVING sum(n) > 0`, verID, curID, dossier, string(touched))
	return err
}

// layerOrder reads whether each layer of version verID is in key order
// (layer id → in order); ok is false when some layer's order is not known.
func layerOrder(ctx context.Context, q querier, verID int64) (order map[int64]bool, counts map[int64]int, ok bool, err error) {
	rows, err := q.QueryContext(ctx, "SELECT layer_id, features, in_key_order FROM version_layer WHERE version_id = ?", verID)
	if err != nil {
		return nil, nil, false, err
	}
	defer rows.Close()
	order, counts, ok = map[int64]bool{}, map[int64]int{}, true
	for rows.Next() {
		var layer int64
		var n int
		var in sql.NullBool
		if err := rows.Scan(&layer, &n, &in); err != nil {
			return nil, nil, false, err
		}
		counts[layer] = n
		if in.Valid {
			order[layer] = in.Bool
		} else {
			ok = false
		}
	}
	return order, counts, ok, rows.Err()
}

// layerCounts reads version verID's layer counts by layer name.
func layerCounts(ctx context.Context, q querier, verID int64) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.name, s.features FROM version_layer s JOIN layer l ON l.id = s.layer_id WHERE s.version_id = ?`, verID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, err
		}
		out[name] = n
	}
	return out, rows.Err()
}

// layerCountsDiffer tells how a version's stored layer counts differ from
// its items' (each item's layer name), "" when they agree.
func layerCountsDiffer(stored map[string]int, layers []string) string {
	counted := map[string]int{}
	for _, l := range layers {
		counted[l]++
	}
	for _, name := range sortedKeys(counted) {
		if stored[name] != counted[name] {
			return fmt.Sprintf("layer %s: it says %d features, its items are %d", name, stored[name], counted[name])
		}
	}
	for _, name := range sortedKeys(stored) {
		if counted[name] == 0 {
			return fmt.Sprintf("layer %s: it says %d features, it has none", name, stored[name])
		}
	}
	return ""
}

// layerOutOfOrder names a layer of version verID that says its items
// come in their order read by key (in_key_order) when they do not; ""
// when none does.
func layerOutOfOrder(ctx context.Context, q querier, verID int64) (string, error) {
	rows, err := q.QueryContext(ctx, `SELECT s.layer_id, l.name FROM version_layer s JOIN layer l ON l.id = s.layer_id
		WHERE s.version_id = ? AND s.in_key_order = 1 ORDER BY l.name`, verID)
	if err != nil {
		return "", err
	}
	type layer struct {
		id   int64
		name string
	}
	var ls []layer
	for rows.Next() {
		var l layer
		if err := rows.Scan(&l.id, &l.name); err != nil {
			rows.Close()
			return "", err
		}
		ls = append(ls, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", err
	}
	for _, l := range ls {
		seqs, err := q.QueryContext(ctx, "SELECT seq FROM version_item WHERE version_id = ? AND layer_id = ? ORDER BY feature_id", verID, l.id)
		if err != nil {
			return "", err
		}
		var o seqOrder
		for seqs.Next() {
			var n int64
			if err := seqs.Scan(&n); err != nil {
				seqs.Close()
				return "", err
			}
			o.add(n)
		}
		seqs.Close()
		if err := seqs.Err(); err != nil {
			return "", err
		}
		if !o.inOrder() {
			return l.name, nil
		}
	}
	return "", nil
}
