// Package pgtest runs a throw-away PostgreSQL + PostGIS cluster for the
// tests of a test binary: initdb in a temporary folder (as the unprivileged
// user nobody when the tests run as root, since PostgreSQL refuses root),
// listening on a free port of 127.0.0.1 only, its unix socket in the same
// folder; stopped (immediate) and removed when the binary ends. Each test
// gets a database of its own.
//
// Authentication: the superuser postgres logs in without a password (trust,
// from 127.0.0.1 and the socket only), every other role with its password
// (scram-sha-256), so the office's role tests log in as officers, reviewers
// and approvers for real.
//
// Without the binaries the tests are skipped, except in CI (env CI or
// QUYHOACH_CI set), where a missing PostgreSQL fails them: the office tests
// are never silently skipped there.
package pgtest

import (
	"bytes"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Bin is where Debian's postgresql-15 puts its programs.
var Bin = "/usr/lib/postgresql/15/bin"

// postgisControl is the file postgresql-15-postgis-3 installs.
const postgisControl = "/usr/share/postgresql/15/extension/postgis.control"

// Cluster is the running cluster.
type Cluster struct {
	Dir  string // data folder; the socket and the log are in it too
	Port int
	as   []string // the command prefix that runs a program as the cluster's owner
}

var (
	mu      sync.Mutex
	running *Cluster
	failed  error
	dbs     atomic.Int64
)

// InCI reports whether the tests run in CI, where nothing is skipped.
func InCI() bool { return os.Getenv("CI") != "" || os.Getenv("QUYHOACH_CI") != "" }

// Available says why a cluster cannot run here ("" when it can).
func Available() string {
	for _, p := range []string{"initdb", "pg_ctl", "postgres"} {
		if _, err := os.Stat(filepath.Join(Bin, p)); err != nil {
			return "PostgreSQL 15 is not installed (" + filepath.Join(Bin, p) + "; apt-get install postgresql-15 postgresql-15-postgis-3)"
		}
	}
	if _, err := os.Stat(postgisControl); err != nil {
		return "PostGIS 3 is not installed (apt-get install postgresql-15-postgis-3)"
	}
	return ""
}

// Start returns the cluster, starting it on first use; it skips the test
// when PostgreSQL is missing (fails it in CI).
func Start(tb testing.TB) *Cluster {
	tb.Helper()
	if why := Available(); why != "" {
		if InCI() {
			tb.Fatalf("office tests need PostgreSQL in CI: %s", why)
		}
		tb.Skip(why)
	}
	mu.Lock()
	defer mu.Unlock()
	if running == nil && failed == nil {
		running, failed = start()
	}
	if failed != nil {
		tb.Fatalf("throw-away cluster: %v", failed)
	}
	return running
}

// Main runs a package's tests and stops the cluster after them:
// func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }.
func Main(m *testing.M) int {
	code := m.Run()
	Stop()
	return code
}

// Stop stops and removes the cluster, if one runs.
func Stop() {
	mu.Lock()
	defer mu.Unlock()
	if running == nil {
		return
	}
	c := running
	running = nil
	_ = c.run(filepath.Join(Bin, "pg_ctl"), "-D", c.Dir, "-m", "immediate", "-w", "stop")
	_ = os.RemoveAll(filepath.Dir(c.Dir))
}

// DB creates a fresh database for one test and returns the superuser's URL
// to it (user postgres, no password). The database is dropped at the test's
// end, with the login roles the test made (roles are the cluster's, not the
// database's: a test run again, -count=2, would find its users there).
func DB(tb testing.TB) string {
	tb.Helper()
	c := Start(tb)
	name := fmt.Sprintf("t%d_%d", os.Getpid(), dbs.Add(1))
	if out, err := c.psql("postgres", "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database: %v: %s", err, out)
	}
	tb.Cleanup(func() {
		if out, err := c.psql("postgres", "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Logf("drop database %s: %v: %s", name, err, out)
		}
		if out, err := c.psql("postgres", dropLogins); err != nil {
			tb.Logf("drop the test's roles: %v: %s", err, out)
		}
	})
	return c.URL(name, "postgres")
}

// dropLogins drops the roles a test made: every one but the superuser,
// PostgreSQL's own and the office's group roles (quyhoach_*, made by each
// office's Init and shared by the cluster's databases). Tests of a package
// run one at a time, so none is in use.
const dropLogins = `DO $$DECLARE r name; BEGIN
	FOR r IN SELECT rolname FROM pg_roles WHERE NOT rolsuper AND rolname !~ '^(pg_|quyhoach_)' LOOP
		EXECUTE format('DROP ROLE %I', r);
	END LOOP;
END$$`

// URL is the address of database db as user (no password in it).
func (c *Cluster) URL(db, user string) string {
	u := url.URL{Scheme: "postgres", User: url.User(user), Host: "127.0.0.1:" + strconv.Itoa(c.Port), Path: "/" + db,
		RawQuery: "sslmode=disable"}
	return u.String()
}

// Params are the same address as libpq key=value words (for ogrinfo's PG:…).
func (c *Cluster) Params(db, user string) string {
	return fmt.Sprintf("host=127.0.0.1 port=%d dbname=%s user=%s sslmode=disable", c.Port, db, user)
}

// psql runs one statement as the superuser on database db.
func (c *Cluster) psql(db, sql string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(Bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1",
		"-p", strconv.Itoa(c.Port), "-U", "postgres", "-d", db, "-c", sql)
	cmd.Env = append(os.Environ(), "PGPASSWORD=", "PGCONNECT_TIMEOUT=10")
	return cmd.CombinedOutput()
}

func (c *Cluster) run(name string, args ...string) error {
	cmd := exec.Command(c.as[0], append(append(c.as[1:], name), args...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %v: %s", filepath.Base(name), err, strings.TrimSpace(out.String()))
	}
	return nil
}

// start runs initdb and pg_ctl start in a new temporary folder.
func start() (*Cluster, error) {
	root, err := os.MkdirTemp("", "quyhoach-pg-")
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: filepath.Join(root, "data"), as: []string{"env", "LC_ALL=C.UTF-8"}}
	if os.Geteuid() == 0 {
		// PostgreSQL will not run as root: the cluster belongs to nobody
		u, err := user.Lookup("nobody")
		if err != nil {
			return nil, fmt.Errorf("no user nobody to run PostgreSQL as: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(root, uid, gid); err != nil {
			return nil, err
		}
		if err := os.Chmod(root, 0o700); err != nil {
			return nil, err
		}
		c.as = []string{"runuser", "-u", "nobody", "--", "env", "LC_ALL=C.UTF-8"}
	}
	fail := func(err error) (*Cluster, error) {
		_ = os.RemoveAll(root)
		return nil, err
	}
	if err := c.run(filepath.Join(Bin, "initdb"), "--encoding=UTF8", "--no-sync", "-D", c.Dir, "-U", "postgres", "-A", "trust"); err != nil {
		return fail(err)
	}
	hba := "local all postgres trust\nhost all postgres 127.0.0.1/32 trust\n" +
		"local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n"
	if err := os.WriteFile(filepath.Join(c.Dir, "pg_hba.conf"), []byte(hba), 0o600); err != nil {
		return fail(err)
	}
	if os.Geteuid() == 0 {
		u, _ := user.Lookup("nobody") // the server reads its pg_hba.conf as nobody
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		_ = os.Chown(filepath.Join(c.Dir, "pg_hba.conf"), uid, gid)
	}
	var last error
	for range 5 { // a port found free may be taken before postgres binds it: try another
		if c.Port, err = freePort(); err != nil {
			return fail(err)
		}
		opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off "+
			"-c max_connections=60 -c shared_buffers=128MB -c password_encryption=scram-sha-256", c.Port, root)
		if last = c.run(filepath.Join(Bin, "pg_ctl"), "-D", c.Dir, "-l", filepath.Join(root, "log"), "-o", opts, "-w", "-t", "60", "start"); last == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if last != nil {
		log, _ := os.ReadFile(filepath.Join(root, "log"))
		return fail(fmt.Errorf("%v; log: %s", last, tail(string(log), 600)))
	}
	return c, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
