package pgtest

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// TestCluster: the cluster answers on 127.0.0.1, has PostGIS, and a role
// logs in only with its password.
func TestCluster(t *testing.T) {
	c := Start(t)
	u, err := url.Parse(DB(t))
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	sql := func(user, pass, q string) (string, error) {
		cmd := exec.Command(filepath.Join(Bin, "psql"), "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", strconv.Itoa(c.Port), "-U", user, "-d", name, "-c", q)
		cmd.Env = append(os.Environ(), "PGPASSWORD="+pass)
		out, err := cmd.CombinedOutput()
		return strings.TrimSpace(string(out)), err
	}
	if out, err := sql("postgres", "", "CREATE EXTENSION postgis; SELECT postgis_lib_version()"); err != nil || !strings.HasPrefix(out, "3.") {
		t.Fatalf("postgis: %v %s", err, out)
	}
	if out, err := sql("postgres", "", "CREATE ROLE alice LOGIN PASSWORD 'secret'"); err != nil {
		t.Fatal(err, out)
	}
	if out, err := sql("alice", "wrong", "SELECT 1"); err == nil || !strings.Contains(out, "password authentication failed") {
		t.Fatalf("a wrong password logged in: %v %s", err, out)
	}
	if out, err := sql("alice", "secret", "SELECT current_user"); err != nil || out != "alice" {
		t.Fatalf("alice: %v %s", err, out)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(c.Dir), ".s.PGSQL."+strconv.Itoa(c.Port))); err != nil {
		t.Errorf("the unix socket is not in the cluster's folder: %v", err)
	}
}

// TestRolesGoWithTheDatabase: the login roles a test made are dropped
// with its database, so the test can run again on the same cluster.
func TestRolesGoWithTheDatabase(t *testing.T) {
	c := Start(t)
	roles := func() string {
		out, err := c.psql("postgres", "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname IN ('bob', 'quyhoach_officer')")
		if err != nil {
			t.Fatal(err, string(out))
		}
		return string(out)
	}
	for run := 0; run < 2; run++ {
		t.Run("run", func(t *testing.T) {
			u, _ := url.Parse(DB(t))
			name := strings.TrimPrefix(u.Path, "/")
			if out, err := c.psql(name, "CREATE ROLE quyhoach_officer NOLOGIN"); err != nil && !strings.Contains(string(out), "already exists") {
				t.Fatal(err, string(out))
			}
			if out, err := c.psql(name, "CREATE ROLE bob LOGIN IN ROLE quyhoach_officer"); err != nil { // the second run too
				t.Fatal(err, string(out))
			}
		})
	}
	if got := roles(); strings.Contains(got, "bob") || !strings.Contains(got, "quyhoach_officer") {
		t.Fatalf("roles after the tests: %s", got)
	}
}
