package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The store's CAD layer table: which land-use class (or TT 16 layer) each
// CAD layer of the office's drawings is, kept with the plans so every
// import of a drawing reads it the same way. The store keeps it as the CSV
// text the program writes (cadplan.Table); plan parses and checks it.

// cadLayersKey is its key among the settings.
const cadLayersKey = "cad.layers"

// MaxCADLayers caps the table's text.
const MaxCADLayers = 1 << 20

// CADLayers returns the store's CAD layer table as CSV, "" when it has none.
func (s *Store) CADLayers(ctx context.Context) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM setting WHERE key = ?", cadLayersKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", wrap("cad layers", err)
	}
	return v, nil
}

// SetCADLayers replaces the store's CAD layer table ("" removes it).
func (s *Store) SetCADLayers(ctx context.Context, csv string) error {
	if len(csv) > MaxCADLayers {
		return &StepError{Action: "cad layers", Reason: fmt.Sprintf("the table is %d bytes, more than %d", len(csv), MaxCADLayers)}
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if csv == "" {
			_, err := tx.ExecContext(ctx, "DELETE FROM setting WHERE key = ?", cadLayersKey)
			return err
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", cadLayersKey, csv)
		return err
	})
}
