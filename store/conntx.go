package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"

	"quyhoach/writeback"
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
	return s.txOn(ctx, pragmas, false, fn)
}

// bulkTx is txPragmas for one large write, an import: in a program that
// has the store to itself (Options.Alone) it writes through a rollback
// journal when no other connection has the file open (ownJournal).
func (s *Store) bulkTx(ctx context.Context, pragmas []pragma, fn func(*sql.Tx) error) error {
	return s.txOn(ctx, pragmas, s.alone, fn)
}

// txOn is txPragmas, through a rollback journal when ownFile allows it.
func (s *Store) txOn(ctx context.Context, pragmas []pragma, ownFile bool, fn func(*sql.Tx) error) error {
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
	if ownFile {
		defer ownJournal(ctx, conn, s.path)()
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

// ownJournal switches conn to a rollback journal for one large write when
// no other connection has the file open, and returns how to switch back
// to WAL. Nearly all of an import is new pages: through a rollback journal
// they go to the file once, where WAL writes them twice, to the log and
// then into the file at the commit's checkpoint (4.3 s of an import's
// 23 s at a million lots, 0.3 of 2.1 s at 100 000). When another
// connection has the file open the switch is refused (SQLITE_BUSY) and the
// write goes through the WAL as every other one does. All or nothing holds
// either way: a killed write leaves a hot journal that the next writable
// open rolls back before it reads; read-only opens and the window's copies
// refuse the half-written file meanwhile (Unfinished).
// synchronous is FULL meanwhile, the setting under which a rollback
// journal survives a power cut (NORMAL is enough for WAL only); the disk
// writes the new pages while the write goes on (writeback), not all at
// its commit.
func ownJournal(ctx context.Context, conn *sql.Conn, path string) (back func()) {
	// asked without waiting: a reader's lock is not given up in time
	var wait int64
	if conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&wait) != nil {
		return func() {}
	}
	var mode string
	if _, err := conn.ExecContext(ctx, "PRAGMA busy_timeout = 0"); err != nil {
		return func() {}
	}
	switched := conn.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode) == nil && mode == "delete"
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", wait)); err != nil {
		conn.Raw(func(any) error { return driver.ErrBadConn })
	}
	if !switched {
		return func() {}
	}
	sync := int64(1) // NORMAL, as Open sets it
	conn.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync)
	_, err := conn.ExecContext(ctx, "PRAGMA synchronous = FULL")
	stop := writeback.Path(path)
	return func() {
		stop()
		bg := context.WithoutCancel(ctx)
		if err == nil {
			_, err = conn.ExecContext(bg, fmt.Sprintf("PRAGMA synchronous = %d", sync))
		}
		if err != nil || conn.QueryRowContext(bg, "PRAGMA journal_mode = WAL").Scan(&mode) != nil || mode != "wal" {
			// another process opened the file meanwhile: it stays in
			// rollback mode until the next Open sets WAL again; this
			// connection is not pooled
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
}
