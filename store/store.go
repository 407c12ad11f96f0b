// Package store keeps plans, their immutable versions and adjustment dossiers
// in one SQLite file.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// ApplicationID stamps a quyhoach file ("QYHC"), so a foreign SQLite file is
// refused instead of being migrated.
const ApplicationID = 0x51594843

//go:embed migrations/*.sql
var embedded embed.FS

// migrations holds the schema migrations, NNNN_name.sql applied in order;
// tests replace it to migrate an old file.
var migrations fs.FS = embedded

// Store is an open quyhoach file. Its methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	path     string
	readOnly bool
	alone    bool // Options.Alone
	// Now is the clock; tests replace it to control dates and deadlines.
	Now func() time.Time
}

// Options tune Open.
type Options struct {
	// Create makes the file when it does not exist; otherwise a missing file is ErrNoFile.
	Create bool
	// ReadOnly opens the store for reading only, as Open does by itself for
	// a file or folder that cannot be written.
	ReadOnly bool
	// Alone is a program that has the store to itself while it runs, a
	// command: an import may then write through a rollback journal when no
	// other connection has the file open (ownJournal, store/conntx.go). The
	// window leaves it off: its own reads must never wait for its import.
	Alone bool
}

// ReadOnly reports whether the store was opened for reading only.
func (s *Store) ReadOnly() bool { return s.readOnly }

// Open opens (and migrates) the store at path. A file that is not a
// quyhoach store is refused before anything is written to it.
func Open(ctx context.Context, path string, opt Options) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("store: open %s: %w", path, err)
		}
		if !opt.Create {
			return nil, kindErr(ErrNoFile, "no such file %s (create it with: quyhoach init --db %s)", path, path)
		}
	} else if fi, _ := os.Stat(path); fi.IsDir() {
		return nil, fmt.Errorf("store: open %s: is a directory, not a store file", path)
	} else if err := checkOurs(ctx, path); err != nil {
		return nil, err
	} else if !opt.ReadOnly && !writable(path) {
		opt.ReadOnly = true // a file or folder that cannot be written: read it as it is
	}
	if opt.ReadOnly {
		if err := settledFile(path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", dsn(path, opt.ReadOnly))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &Store{db: db, path: path, readOnly: opt.ReadOnly, alone: opt.Alone, Now: time.Now}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, wrap("open "+path, err)
	}
	return s, nil
}

// dsn is the data source of a store: pragmas per connection, and for
// reading only an immutable file, so that no -wal, -shm or lock is made
// beside it (a store on a CD, in a read-only folder or owned by another).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	pragmas := []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(10000)", "cache_size(-262144)", "temp_store(MEMORY)"}
	if readOnly {
		pragmas = []string{"foreign_keys(1)", "cache_size(-262144)", "temp_store(MEMORY)"}
		q.Set("mode", "ro")
		q.Set("immutable", "1")
	} else {
		q.Set("_txlock", "immediate")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	return fileURI(path) + "?" + q.Encode()
}

// settledFile refuses to read a store immutably while its -wal file holds
// changes not yet in the store (they would be missed), or while a
// -journal beside it holds what undoes a write in progress or cut short
// (an import writing through its own journal, ownJournal): the file is
// half written, and only a connection that can write rolls it back.
func settledFile(path string) error {
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return kindErr(ErrReadOnly, "%s cannot be written here and its changes are still in %s-wal: open it once where it can be written (or copy both files there)", path, path)
	}
	return Unfinished(path)
}

// Unfinished refuses a store file beside which a -journal holds what
// undoes a write in progress, or one cut short: read as it is (immutably,
// or copied), the file is half written.
func Unfinished(path string) error {
	if fi, err := os.Stat(path + "-journal"); err == nil && fi.Size() > 0 {
		return kindErr(ErrUnfinished, "%s is being written by another program, or one was stopped while writing it (%s-journal): wait for it to end, or open it once where it can be written", path, path)
	}
	return nil
}

// fileURI makes an SQLite URI of a file path, for the caller to append
// "?" and parameters to. The path is taken literally: what URIs give
// meaning to ('#', '?', '%') and what they cannot hold (spaces, non-ASCII
// letters) is percent-escaped, so "lô #3?.gpkg" opens lô #3?.gpkg. An
// absolute path gets an empty authority ("file:///…"), so that one starting
// with "//" stays a path, and a Windows drive reads "file:///C:/…".
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	p = (&url.URL{Path: p}).EscapedPath()
	if strings.HasPrefix(p, "/") {
		return "file://" + p
	}
	return "file:" + p
}

// checkOurs reads an existing file's stamp without changing it (read-only,
// immutable, no pragmas): opening must not turn a foreign file to WAL mode,
// nor leave a -shm file beside one.
func checkOurs(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&immutable=1")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer db.Close()
	var appID, tables int
	err = db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables)
	}
	if err != nil {
		if strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "file is not a database") {
			return kindErr(ErrForeign, "%s is not an SQLite file", path)
		}
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	if appID != ApplicationID && (appID != 0 || tables > 0) {
		return kindErr(ErrForeign, "%s belongs to another program (SQLite application_id %#x; a quyhoach store has %#x)", path, appID, ApplicationID)
	}
	return nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// migrate applies the embedded migrations the file lacks, each in its own
// transaction, after checking the file is ours.
func (s *Store) migrate(ctx context.Context) error {
	var appID, userVersion, tables int
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		if strings.Contains(err.Error(), "not a database") {
			return ErrForeign
		}
		return err
	}
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&userVersion); err != nil {
		return err
	}
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema").Scan(&tables); err != nil {
		return err
	}
	if appID != ApplicationID && (appID != 0 || tables > 0) {
		return kindErr(ErrForeign, "%s belongs to another program (SQLite application_id %#x; a quyhoach store has %#x)", s.path, appID, ApplicationID)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	if userVersion > len(files) {
		return kindErr(ErrTooNew, "%s was written by a newer quyhoach (schema %d; this program knows %d)", s.path, userVersion, len(files))
	}
	if s.readOnly && userVersion < len(files) {
		return kindErr(ErrReadOnly, "%s is read-only and was written by an older quyhoach (schema %d; this program needs %d): open it once where it can be written", s.path, userVersion, len(files))
	}
	for i := userVersion; i < len(files); i++ {
		n, err := strconv.Atoi(strings.SplitN(path.Base(files[i]), "_", 2)[0])
		if err != nil || n != i+1 {
			return fmt.Errorf("migration %s out of sequence", files[i])
		}
		text, err := fs.ReadFile(migrations, files[i])
		if err != nil {
			return err
		}
		// Foreign keys off, as SQLite's way of changing a table wants it
		// (0015 replaces body, which other tables refer to by name); a
		// migration may rewrite whole tables, and Open has not handed the
		// store to anyone yet: through its own journal when it can.
		err = s.txOn(ctx, []pragma{{"foreign_keys", 0}}, true, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(text)); err != nil {
				return fmt.Errorf("migration %s: %w", files[i], err)
			}
			if step := migrationSteps[i+1]; step != nil {
				if err := step(ctx, tx, timeText(s.Now())); err != nil {
					return fmt.Errorf("migration %s: %w", files[i], err)
				}
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d; PRAGMA user_version = %d", ApplicationID, i+1)); err != nil {
				return err
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion returns the file's migration count (PRAGMA user_version).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// tx runs fn in one write transaction: all of it lands, or none.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if s.readOnly {
		return kindErr(ErrReadOnly, "the store %s is read-only", s.path)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// timeText formats times as stored: RFC 3339 in UTC.
func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}
