// Package office is the office store: one PostgreSQL + PostGIS database
// holding the same model as a quyhoach store file (plans, sealed versions,
// dossiers with their chains and documents), keyed by global ids, that
// replicas clone, pull from and push to (the sync is built on this API),
// and that publishes each plan's current version as PostGIS views.
//
// Everything that arrives is checked before it is kept (bodies against
// their sha256, version seals recomputed, dossier chains verified) and each
// write is one transaction; the database's triggers keep history
// append-only and its roles and row-level security say who may do what
// (schema/0002_roles.sql).
package office

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"quyhoach/gis/crs"
	"quyhoach/gis/gpkg"
)

//go:embed schema/*.sql
var schemaFS embed.FS

// SchemaVersion is the newest office schema this program knows.
var SchemaVersion = len(migrations())

// Office is an open office store. Its methods may be called from several
// goroutines (a pool of connections).
type Office struct {
	pool *pgxpool.Pool
	user string
	url  string
}

// lockKey is the advisory lock every write holds: writes commit one after
// another, so the change log's order is the commit order and a pull that
// asks for what came after its cursor misses nothing.
const lockKey = 0x71_7968_6f61 // "qyhoa"

// PasswordPrompt asks for the password of the login when the server wants
// one and none was given (nil: never ask). The CLI sets it to read from the
// terminal without echo.
var PasswordPrompt func(user, host string) (string, error) = TerminalPassword

// Open connects to the office store at url, a postgres:// URL or libpq
// words. The password comes from PGPASSFILE or ~/.pgpass, PGPASSWORD, or
// the prompt on a terminal, never from the address: one carrying a password
// is refused, since it would stay in the shell's history and the replica's
// file.
func Open(ctx context.Context, addr string) (*Office, error) {
	o, err := connect(ctx, addr, "")
	if err != nil {
		return nil, err
	}
	v, err := o.schemaVersion(ctx)
	if err != nil {
		o.Close()
		return nil, err
	}
	switch {
	case v == 0:
		o.Close()
		return nil, fmt.Errorf("office: %s holds no office store (quyhoach office init makes one)", o.Where())
	case v > SchemaVersion:
		o.Close()
		return nil, fmt.Errorf("office: %s was made by a newer quyhoach (office schema %d; this one knows %d): update quyhoach", o.Where(), v, SchemaVersion)
	case v < SchemaVersion:
		if err := o.upgrade(ctx); err != nil {
			o.Close()
			return nil, fmt.Errorf("office: %s holds office schema %d and this quyhoach needs %d: open it once as the office's owner to bring it up to date (%v)", o.Where(), v, SchemaVersion, err)
		}
	}
	return o, nil
}

// upgrade applies the migrations the office lacks, under its write lock
// (another program may be upgrading it at the same moment). Only the
// office's owner may: the migrations change its tables.
func (o *Office) upgrade(ctx context.Context) error {
	return o.write(ctx, "bring the office store up to date", func(tx pgx.Tx) error {
		var v int
		if err := tx.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM office_schema").Scan(&v); err != nil {
			return err
		}
		return migrate(ctx, tx, v, SchemaVersion)
	})
}

// connect opens a pool; password is the tests' (the CLI never passes one).
func connect(ctx context.Context, addr, password string) (*Office, error) {
	if err := CheckAddress(addr); err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(addr)
	if err != nil {
		return nil, fmt.Errorf("office: address %s: %v", Redact(addr), oneLine(err))
	}
	if password != "" {
		cfg.ConnConfig.Password = password
	}
	cfg.MaxConns = 4
	o := &Office{user: cfg.ConnConfig.User, url: addr}
	o.pool, err = pgxpool.NewWithConfig(ctx, cfg)
	if err == nil {
		err = o.pool.Ping(ctx)
	}
	if err != nil && needsPassword(err) && cfg.ConnConfig.Password == "" && PasswordPrompt != nil {
		o.Close()
		pw, perr := PasswordPrompt(cfg.ConnConfig.User, cfg.ConnConfig.Host)
		if perr != nil {
			return nil, fmt.Errorf("office: %s wants a password: %v (or give it in PGPASSFILE or PGPASSWORD)", o.Where(), perr)
		}
		cfg.ConnConfig.Password = pw
		o.pool, err = pgxpool.NewWithConfig(ctx, cfg)
		if err == nil {
			err = o.pool.Ping(ctx)
		}
	}
	if err != nil {
		if o.pool != nil {
			o.pool.Close()
		}
		return nil, fmt.Errorf("office: cannot connect to %s: %v", o.Where(), oneLine(err))
	}
	return o, nil
}

// CheckAddress refuses an address that carries a password.
func CheckAddress(addr string) error {
	if strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://") {
		u, err := url.Parse(addr)
		if err != nil {
			return fmt.Errorf("office: not a postgres:// address: %v", oneLine(err))
		}
		if _, set := u.User.Password(); set || u.Query().Has("password") {
			return errors.New("office: the address carries a password; give it in PGPASSFILE, PGPASSWORD or at the prompt, never in the address")
		}
		return nil
	}
	for _, w := range strings.Fields(addr) {
		if strings.HasPrefix(strings.ToLower(w), "password=") {
			return errors.New("office: the address carries a password; give it in PGPASSFILE, PGPASSWORD or at the prompt, never in the address")
		}
	}
	if !strings.Contains(addr, "=") {
		return fmt.Errorf("office: %q is not an office address (postgres://USER@HOST:PORT/DATABASE)", addr)
	}
	return nil
}

// Redact is an address as it may be shown: without its password.
func Redact(addr string) string {
	if u, err := url.Parse(addr); err == nil && u.User != nil {
		if _, set := u.User.Password(); set {
			u.User = url.User(u.User.Username())
			return u.String()
		}
	}
	return addr
}

func needsPassword(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "28P01" || pe.Code == "28000") {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "password authentication failed") || strings.Contains(s, "no password")
}

// Close closes the connections.
func (o *Office) Close() {
	if o != nil && o.pool != nil {
		o.pool.Close()
	}
}

// User is the login the office store was opened as.
func (o *Office) User() string { return o.user }

// Where names the office as messages do: user@host:port/database.
func (o *Office) Where() string {
	if o.pool == nil {
		return Redact(o.url)
	}
	c := o.pool.Config().ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

func (o *Office) schemaVersion(ctx context.Context) (int, error) {
	var has bool
	if err := o.pool.QueryRow(ctx, "SELECT to_regclass('public.office_schema') IS NOT NULL").Scan(&has); err != nil {
		return 0, o.fail("read the schema", err)
	}
	if !has {
		return 0, nil
	}
	var v int
	if err := o.pool.QueryRow(ctx, "SELECT coalesce(max(version), 0) FROM office_schema").Scan(&v); err != nil {
		return 0, o.fail("read the schema", err)
	}
	return v, nil
}

// Init makes the office store in the empty database at addr: the schema,
// EPSG:9215, the group roles, the publishing schema. A database that holds
// an office store, or any other table, is refused. The login must be able
// to create the postgis extension (a superuser, or postgis created before)
// and roles.
func Init(ctx context.Context, addr string) error {
	o, err := connect(ctx, addr, "")
	if err != nil {
		return err
	}
	defer o.Close()
	return o.init(ctx)
}

func (o *Office) init(ctx context.Context) error {
	v, err := o.schemaVersion(ctx)
	if err != nil {
		return err
	}
	if v > 0 {
		return fmt.Errorf("office: %s already holds an office store (schema %d)", o.Where(), v)
	}
	var tables []string
	rows, err := o.pool.Query(ctx, `SELECT schemaname || '.' || tablename FROM pg_tables
		WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND NOT (schemaname = 'public' AND tablename = 'spatial_ref_sys')
		ORDER BY 1`)
	if err == nil {
		tables, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil {
		return o.fail("look at the database", err)
	}
	if len(tables) > 0 {
		more := ""
		if len(tables) > 3 {
			more = fmt.Sprintf(" and %d more", len(tables)-3)
			tables = tables[:3]
		}
		return fmt.Errorf("office: %s is not empty (%s%s): give an empty database (createdb …)", o.Where(), strings.Join(tables, ", "), more)
	}
	return o.write(ctx, "make the office store", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "CREATE TABLE office_schema (version integer PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"); err != nil {
			return err
		}
		if err := migrate(ctx, tx, 0, SchemaVersion); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "INSERT INTO office_info (key, value) VALUES ('uid', $1)", newUID())
		return err
	})
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() []migration {
	names, _ := fs.Glob(schemaFS, "schema/*.sql")
	sort.Strings(names)
	var out []migration
	for i, n := range names {
		b, _ := schemaFS.ReadFile(n)
		out = append(out, migration{i + 1, n, string(b)})
	}
	return out
}

// migrate applies the migrations after version from, up to version to.
func migrate(ctx context.Context, tx pgx.Tx, from, to int) error {
	srs, err := gpkg.SRSOf(crs.TM3LangSon)
	if err != nil {
		return err
	}
	for _, m := range migrations() {
		if m.version <= from || m.version > to {
			continue
		}
		text := strings.ReplaceAll(m.sql, "{{SRTEXT}}", quoteLiteral(srs.Definition))
		if _, err := tx.Exec(ctx, text); err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		if _, err := tx.Exec(ctx, "INSERT INTO office_schema (version) VALUES ($1)", m.version); err != nil {
			return err
		}
	}
	return nil
}

func quoteLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// write runs fn in one transaction holding the office's write lock.
func (o *Office) write(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	tx, err := o.pool.BeginTx(ctx, pgx.TxOptions{})
	if err != nil {
		return o.fail(what, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(lockKey)); err != nil {
		return o.fail(what, err)
	}
	if err := fn(tx); err != nil {
		return o.fail(what, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return o.fail(what, err)
	}
	return nil
}

// RefusedError is a write the office's rules refused: a role that may not
// do it, or history that may not change.
type RefusedError struct {
	User, Role, What, Reason string
}

func (e *RefusedError) Error() string {
	role := e.Role
	if role == "" {
		role = "no office role"
	}
	return fmt.Sprintf("office: %s (%s) may not %s: %s", e.User, role, e.What, e.Reason)
}

// fail words an error of a step as one line: what was being done, and the
// server's reason (a refusal by a rule as a *RefusedError).
func (o *Office) fail(what string, err error) error {
	var ce *ConflictError
	var re *RefusedError
	var ue *userError
	if errors.As(err, &ce) || errors.As(err, &re) || errors.As(err, &ue) {
		return err
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "42501" || strings.Contains(pe.Message, "row-level security")) {
		if w := whatOf(err); w != "" {
			what = w
		}
		role, _ := o.role(context.Background())
		return &RefusedError{User: o.user, Role: role, What: what, Reason: pe.Message}
	}
	return fmt.Errorf("office: %s: %v", what, oneLine(err))
}

// userError is a refusal worded for the user already (bad input, a check
// that failed): passed through as it is.
type userError struct{ msg string }

func (e *userError) Error() string { return e.msg }

func refuse(format string, args ...any) error {
	return &userError{"office: " + fmt.Sprintf(format, args...)}
}

// doing names what a step of a write was doing, for its refusal.
type doing struct {
	what string
	err  error
}

func (d *doing) Error() string { return d.what + ": " + d.err.Error() }
func (d *doing) Unwrap() error { return d.err }

func whatOf(err error) string {
	var d *doing
	if errors.As(err, &d) {
		return d.what
	}
	return ""
}

func during(what string, err error) error {
	if err == nil {
		return nil
	}
	return &doing{what, err}
}

func (o *Office) role(ctx context.Context) (string, error) {
	var r string
	err := o.pool.QueryRow(ctx, "SELECT office_role()").Scan(&r)
	return r, err
}

// oneLine is an error's text on one line.
func oneLine(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		s := pe.Message
		if pe.Detail != "" {
			s += " (" + pe.Detail + ")"
		}
		return strings.Join(strings.Fields(s), " ")
	}
	// a connection that could not be made: the network's own reason
	// ("connection refused", "no such host", "i/o timeout") says it all;
	// the caller has named the server
	var ne *net.OpError
	if errors.As(err, &ne) && ne.Err != nil {
		return strings.Join(strings.Fields(ne.Err.Error()), " ")
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// newUID is a random id (UUID version 4 form).
func newUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// UID is the office's own global id (made by Init).
func (o *Office) UID(ctx context.Context) (string, error) {
	var s string
	if err := o.pool.QueryRow(ctx, "SELECT value FROM office_info WHERE key = 'uid'").Scan(&s); err != nil {
		return "", o.fail("read the office's id", err)
	}
	return s, nil
}
