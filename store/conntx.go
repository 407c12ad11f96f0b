package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// txPragma is tx on a connection of its own with pragma set to value
// while fn runs (set before the transaction begins: foreign_keys, for
// one, is a no-op inside one); the connection gets its own value back
// before it returns to the pool, however fn ends, or is thrown away when
// it cannot be given back — a pooled connection never keeps another
// writer's setting.
func (s *Store) txPragma(ctx context.Context, pragma string, value int64, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return s.tx(ctx, fn) // refused, as every write is
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	var was int64
	if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&was); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA %s = %d", pragma, value)); err != nil {
		return err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("PRAGMA %s = %d", pragma, was)); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn }) // closed, not pooled
		}
	}()
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
