package store

import (
	"context"
	"database/sql"
)

// MarkBundleSynced records that the office holds dossier b as b holds it
// (its chain head and change set), at revision rev with its short number
// there. A push marks what it sent, not what the store holds by then: an
// edit made while the push ran stays to push.
func (s *Store) MarkBundleSynced(ctx context.Context, b *DossierBundle, rev, number int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		id, err := dossierByUID(ctx, tx, b.UID)
		if err != nil {
			return err
		}
		return markDossier(ctx, tx, id, rev, number, b.Head, b.changesDigest())
	})
	return wrapNil("mark dossier "+b.UID+" synced", err)
}
