package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// pragma is a connection's setting: PRAGMA name = value.
type pragma struct {
	name  string
	value int64
}

// txPragmas is tx on a connection of its own set with pragmas while fn
// runs (set before the transaction begins: foreign_keys, for one, is a
// no-op inside one); the connection gets its own settings back before it
// returns to the pool, however fn ends, or is thrown away when it cannot
// be given them back — a pooled connection never keeps another writer's
// settings.
func (s *Store) txPragmas(ctx context.Context, pragmas []pragma, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return s.tx(ctx, fn) // refused, as every write is
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	for _, p := range pragmas {
		var was int64
		if err := conn.QueryRowContext(ctx, "PRAGMA "+p.name).Scan(&was); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA %s = %d", p.name, p.value)); err != nil {
			return err
		}
		defer func() {
			// Given back and read back (a pragma set inside a transaction
			// left open by a failed commit is silently ignored); else the
			// connection is closed, not pooled.
			bg := context.WithoutCancel(ctx)
			var now int64
			if _, err := conn.ExecContext(bg, fmt.Sprintf("PRAGMA %s = %d", p.name, was)); err != nil ||
				conn.QueryRowContext(bg, "PRAGMA "+p.name).Scan(&now) != nil || now != was {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
