package main

import (
	"strings"
	"testing"

	"quyhoach/office/pgtest"
)

// TestOfficeCommands: init --from, user add (password from the
// environment only), info; bad input is one line and exit 2.
func TestOfficeCommands(t *testing.T) {
	url := pgtest.DB(t)
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "office", "init", url, "--from", db)
	if code != 0 || !strings.Contains(out, "made the office store") || !strings.Contains(out, "chi-ma") || !strings.Contains(out, "dossiers: ") {
		t.Fatalf("office init --from: exit %d\n%s\n%s", code, out, e)
	}
	if _, e, code := quyhoach(t, "", "office", "init", url); code == 0 || !strings.Contains(e, "already holds an office store") || strings.Count(strings.TrimSpace(e), "\n") > 0 {
		t.Errorf("init twice: exit %d: %s", code, e)
	}
	t.Setenv("QUYHOACH_NEW_PASSWORD", "officer-password")
	if out, e, code := quyhoach(t, "", "office", "user", "add", url, "--name", "lan", "--role", "officer"); code != 0 || !strings.Contains(out, "added lan (officer)") {
		t.Fatalf("user add: exit %d: %s %s", code, out, e)
	}
	if _, e, code := quyhoach(t, "", "office", "user", "add", url, "--name", "lan2", "--role", "chief"); code != 2 || !strings.Contains(e, `role "chief"`) {
		t.Errorf("a bad role: exit %d: %s", code, e)
	}
	if out, e, code := quyhoach(t, "", "office", "info", url); code != 0 || !strings.Contains(out, "lan (officer)") || !strings.Contains(out, "truc-trung-tam") {
		t.Errorf("info: exit %d: %s %s", code, out, e)
	}
	withPassword := strings.Replace(url, "postgres@", "postgres:secret@", 1)
	if _, e, code := quyhoach(t, "", "office", "info", withPassword); code != 2 || !strings.Contains(e, "carries a password") || strings.Contains(e, "secret") {
		t.Errorf("a password in the address: exit %d: %s", code, e)
	}
	if _, e, code := quyhoach(t, "", "office", "init"); code != 2 || !strings.Contains(e, "address") {
		t.Errorf("no address: exit %d: %s", code, e)
	}
}
