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
	if n < 0 || binary.LittleEndian.Uint32(data[n:]) != crc32.Checksum([]byte(style+"\x00"+string(data[:n])), castagnoli) {
		return "", nil, nil
	}
	return style, data[:n], nil
}

// PutOverview stores data as the overview of version number (0: the
// current one) of plan code drawn with style, in the place of the one the
// plan had: one per plan (a plan of a million lots: 2–4 MB), the version
// the window opened on last.
func (s *Store) PutOverview(ctx context.Context, code string, number int, style string, data []byte) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		planID, verID, err := versionID(ctx, tx, code, number)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM overview WHERE version_id IN (SELECT id FROM version WHERE plan_id = ?)`, planID); err != nil {
			return err
		}
		// the checksum covers the style too: an overview is shown only in its own
		sum := binary.LittleEndian.AppendUint32(append([]byte(nil), data...), crc32.Checksum([]byte(style+"\x00"+string(data)), castagnoli))
		_, err = tx.ExecContext(ctx, `INSERT INTO overview (version_id, style, data) VALUES (?, ?, ?)`, verID, style, sum)
		return err
	})
}
