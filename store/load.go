package store

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"quyhoach/gis"
	"quyhoach/gis/geojson"
)

// Load reads a version of a plan into memory: number 0 is the current one;
// layers, when given, restricts it to those layers.
func (s *Store) Load(ctx context.Context, code string, number int, layers ...string) (*Snapshot, error) {
	snap, err := s.load(ctx, code, number, layers)
	if err != nil {
		return nil, wrap("load "+code, err)
	}
	return snap, nil
}

type loadedRow struct {
	id, layer string
	text      []byte
}

func (s *Store) load(ctx context.Context, code string, number int, layers []string) (*Snapshot, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // a consistent snapshot; no write lock
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	_, verID, err := versionID(ctx, tx, code, number)
	if err != nil {
		return nil, err
	}
	snap := &Snapshot{Lineage: map[string][]string{}}
	if snap.Plan, err = planByCode(ctx, tx, code); err != nil {
		return nil, err
	}
	if snap.Version, err = versionByID(ctx, tx, verID); err != nil {
		return nil, err
	}
	q := `SELECT i.feature_id, l.name, b.geojson FROM version_item i
		JOIN layer l ON l.id = i.layer_id JOIN body b ON b.id = i.body_id WHERE i.version_id = ?`
	args := []any{verID}
	if len(layers) > 0 {
		q += " AND l.name IN (" + strings.TrimSuffix(strings.Repeat("?,", len(layers)), ",") + ")"
		for _, l := range layers {
			args = append(args, l)
		}
	}
	rows, err := tx.QueryContext(ctx, q+" ORDER BY l.id, i.seq", args...)
	if err != nil {
		return nil, err
	}
	var all []loadedRow
	for rows.Next() {
		var r loadedRow
		if err := rows.Scan(&r.id, &r.layer, &r.text); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	features, err := decodeBodies(all)
	if err != nil {
		return nil, err
	}
	for i, r := range all {
		if n := len(snap.Layers); n == 0 || snap.Layers[n-1].Name != r.layer {
			snap.Layers = append(snap.Layers, gis.Layer{Name: r.layer})
		}
		l := &snap.Layers[len(snap.Layers)-1]
		l.Features = append(l.Features, features[i])
	}
	for _, name := range layers {
		if snap.Layer(name) == nil {
			return nil, kindErr(ErrNotFound, "version %d has no layer %s", snap.Version.Number, name)
		}
	}
	lin, err := tx.QueryContext(ctx, "SELECT feature_id, parent_id FROM lineage WHERE version_id = ? ORDER BY feature_id, parent_id", verID)
	if err != nil {
		return nil, err
	}
	defer lin.Close()
	for lin.Next() {
		var f, p string
		if err := lin.Scan(&f, &p); err != nil {
			return nil, err
		}
		snap.Lineage[f] = append(snap.Lineage[f], p)
	}
	return snap, lin.Err()
}

// decodeBodies parses stored GeoJSON bodies on all cores.
func decodeBodies(rows []loadedRow) ([]gis.Feature, error) {
	out := make([]gis.Feature, len(rows))
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	chunk := (len(rows) + workers - 1) / workers
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, len(rows))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f, err := parseBody(rows[i].id, rows[i].text)
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = f
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// parseBody decodes a stored body as feature id.
func parseBody(id string, text []byte) (gis.Feature, error) {
	f, err := geojson.ParseFeature(text)
	if err != nil {
		return f, fmt.Errorf("feature %s: stored body unreadable: %w", id, err)
	}
	f.ID = id
	return f, nil
}
