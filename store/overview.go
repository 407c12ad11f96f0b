package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// Overview is the stored overview of version number (0: the current one)
// of plan code and the style it was drawn in (migration 0019: a cache of
// the window's, encoded by gis/scene), or nil: none stored, or damaged
// (its checksum does not match: it is drawn again).
func (s *Store) Overview(ctx context.Context, code string, number int) (style string, data []byte, err error) {
	_, verID, err := versionID(ctx, s.db, code, number)
	if err != nil {
		return "", nil, wrap("overview of "+code, err)
	}
	err = s.db.QueryRowContext(ctx, `SELECT style, data FROM overview WHERE version_id = ?`, verID).Scan(&style, &data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil, nil
	case err != nil:
		return "", nil, wrap("overview of "+code, err)
	}
	n := len(data) - 4
	if n < 0 || binary.LittleEndian.Uint32(data[n:]) != overviewSum(style, data[:n]) {
		return "", nil, nil
	}
	return style, data[:n], nil
}

// OverviewStyle is the style the stored overview of version number (0:
// the current one) of plan code was drawn in, "" when it has none: whether
// to draw it again, without reading it.
func (s *Store) OverviewStyle(ctx context.Context, code string, number int) (string, error) {
	_, verID, err := versionID(ctx, s.db, code, number)
	if err != nil {
		return "", wrap("overview of "+code, err)
	}
	var style string
	err = s.db.QueryRowContext(ctx, `SELECT style FROM overview WHERE version_id = ?`, verID).Scan(&style)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", nil
	case err != nil:
		return "", wrap("overview of "+code, err)
	}
	return style, nil
}

// overviewSum is the checksum of a stored overview: of its style too, so
// that one is shown only in its own.
func overviewSum(style string, data []byte) uint32 {
	sum := crc32.Update(0, castagnoli, []byte(style))
	sum = crc32.Update(sum, castagnoli, []byte{0})
	return crc32.Update(sum, castagnoli, data)
}

// PutOverview stores data as the overview of version number (0: the
// current one) of plan code drawn with style, in the place of the one the
// plan had: one per plan (a plan of a million lots: 2–4 MB), the version
// the window opened on last.
func (s *Store) PutOverview(ctx context.Context, code string, number int, style string, data []byte) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		planID, verID, err := versionID(ctx, tx, code, number)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM overview WHERE version_id IN (SELECT id FROM version WHERE plan_id = ?)`, planID); err != nil {
			return err
		}
		row := binary.LittleEndian.AppendUint32(append(make([]byte, 0, len(data)+4), data...), overviewSum(style, data))
		_, err = tx.ExecContext(ctx, `INSERT INTO overview (version_id, style, data) VALUES (?, ?, ?)`, verID, style, row)
		return err
	})
	if err != nil {
		return wrap("keep the overview of "+code, err)
	}
	return nil
}
