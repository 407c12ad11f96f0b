package store

import (
	"context"
	"database/sql"
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
// written (layer id → features), the others' as curID has them.
func importedLayerCounts(ctx context.Context, tx *sql.Tx, verID, curID int64, imported map[int64]int) error {
	if curID != 0 {
		args := []any{verID, curID}
		for id := range imported {
			args = append(args, id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO version_layer (version_id, layer_id, features)
			SELECT ?, layer_id, features FROM version_layer WHERE version_id = ? AND layer_id NOT IN (`+placeholders(len(imported), 1)+`)`, args...); err != nil {
			return err
		}
	}
	for id, n := range imported {
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO version_layer (version_id, layer_id, features) VALUES (?, ?, ?)", verID, id, n); err != nil {
			return err
		}
	}
	return nil
}

// countApprovedLayers writes the layer counts of version verID, written by
// approving dossier over version curID: curID's counts less the items the
// change set replaces or deletes, plus the ones it writes — the change
// set's size, whatever the plan's.
func countApprovedLayers(ctx context.Context, tx *sql.Tx, verID, curID, dossier int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO version_layer (version_id, layer_id, features)
		SELECT ?, layer_id, sum(n) FROM (
			SELECT layer_id, features AS n FROM version_layer WHERE version_id = ?
			UNION ALL SELECT k.layer_id, -1 FROM dossier_change c
				JOIN version_item k ON k.version_id = ? AND k.feature_id = c.feature_id WHERE c.dossier_id = ?
			UNION ALL SELECT layer_id, 1 FROM dossier_change WHERE dossier_id = ? AND op <> 'delete')
		GROUP BY layer_id HAVING sum(n) > 0`, verID, curID, curID, dossier, dossier)
	return err
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
