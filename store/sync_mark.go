package store

import (
	"context"
	"database/sql"
	"errors"
)

// MarkBundleSynced records that the office holds dossier b as b holds it
// (its chain head and change set), at revision rev with its short number
// there. A push marks what it sent, not what the store holds by then: an
// edit made while the push ran stays to push.
func (s *Store) MarkBundleSynced(ctx context.Context, b *DossierBundle, rev, number int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM dossier WHERE uid = ?", b.UID).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return kindErr(ErrNotFound, "no dossier of id %s", b.UID)
		}
		if err != nil {
			return err
		}
		return markDossier(ctx, tx, id, rev, number, b.Head, b.changesDigest())
	})
	return wrapNil("mark dossier "+b.UID+" synced", err)
}
