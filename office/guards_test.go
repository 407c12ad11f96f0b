package office

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"

	"quyhoach/store"
)

// TestGuardsHoldAgainstPlainSQL: what a login writes with plain SQL, around
// the office's Go checks, is held by the database itself (schema 0003): a
// body must be what its hash says, the change log is the office's to
// write, a chain's links follow one another, a dossier's state and change
// set follow its chain.
func TestGuardsHoldAgainstPlainSQL(t *testing.T) {
	ctx := context.Background()
	o, addr, s := loaded(t)
	for _, u := range []struct{ name, role string }{{"gofficer", "officer"}, {"greviewer", "reviewer"}} {
		if err := o.AddUser(ctx, u.name, u.role, "pw-"+u.name+"-long"); err != nil && !strings.Contains(err.Error(), "exists already") {
			t.Fatal(err)
		}
	}
	officer := as(t, addr, "gofficer", "pw-gofficer-long")
	reviewer := as(t, addr, "greviewer", "pw-greviewer-long")
	plans, _ := s.Plans(ctx)
	id, uid := draft(t, s, plans[0].Code)
	b, _ := s.ReadDossierBundle(ctx, uid)
	if _, err := officer.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b}}}); err != nil {
		t.Fatal(err)
	}
	refused := func(who *Office, what, want, sql string, args ...any) {
		t.Helper()
		tx, err := who.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		_, err = tx.Exec(ctx, sql, args...)
		if err == nil {
			err = tx.Commit(ctx) // the deferred guards speak at commit
		} else {
			tx.Rollback(ctx)
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %s: %v, want %q", who.user, what, err, want)
		}
	}
	cursor := func() int64 {
		n, err := o.Cursor(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := cursor()

	// 1. a body whose hash is another text's, or whose shape is not its text's
	real := `{"type":"Feature","geometry":{"type":"Point","coordinates":[106.75,21.98]},"properties":{"maDoiTuong":"THAT"}}`
	fake := `{"type":"Feature","geometry":{"type":"Point","coordinates":[106.75,21.98]},"properties":{"maDoiTuong":"GIA"}}`
	sum := sha256.Sum256([]byte(real))
	refused(officer, "a body under another text's hash", "does not hash to it",
		"INSERT INTO body (hash, geojson, props) VALUES ($1, $2, '{}')", sum[:], fake)
	refused(officer, "a body with a shape not its text's", "geometry is not its text",
		"INSERT INTO body (hash, geojson, geom) VALUES ($1, $2, ST_SetSRID(ST_MakePoint(0, 0), 9215))", sum[:], real)
	// its properties are its text's, whatever is given
	geom, _, err := gridEWKB([]byte(real))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := officer.pool.Exec(ctx, "INSERT INTO body (hash, geojson, props, geom) VALUES ($1, $2, '{\"maDoiTuong\": \"GIA\"}', ST_GeomFromEWKB($3))", sum[:], real, geom); err != nil {
		t.Fatalf("a true body refused: %v", err)
	}
	var code string
	o.pool.QueryRow(ctx, "SELECT props->>'maDoiTuong' FROM body WHERE hash = $1", sum[:]).Scan(&code)
	if code != "THAT" {
		t.Errorf("a body's properties came from the insert, not its text: %q", code)
	}

	// 2. the change log
	refused(officer, "write the change log", "permission denied", "INSERT INTO change_log (seq, kind, uid) VALUES (100000, 'dossier', $1)", uid)
	refused(officer, "log a dossier that does not exist", "nothing to log", "SELECT office_log('dossier', 'x')")
	if cursor() != before {
		t.Fatal("the refused writes moved the change log")
	}

	// 3. a junk link on one's own dossier
	refused(officer, "append a link that does not follow", "does not follow its chain",
		"INSERT INTO dossier_link (dossier, seq, kind, content, prev, hash) VALUES ($1, 99, 'attach', 'x', 'y', 'z')", uid)
	var n int
	o.pool.QueryRow(ctx, "SELECT count(*) FROM dossier_link WHERE dossier = $1", uid).Scan(&n)
	refused(officer, "append a link with a wrong hash", "does not follow its chain",
		"INSERT INTO dossier_link (dossier, seq, kind, content, prev, hash) SELECT dossier, seq + 1, 'attach', 'x', hash, 'z' FROM dossier_link WHERE dossier = $1 AND seq = $2", uid, n)

	// 4. a state no step left it in; a change set changed outside a draft with no step
	refused(reviewer, "withdraw a dossier with no step", "not where its last step left it", "UPDATE dossier SET state = 'withdrawn', rev = rev + 1 WHERE uid = $1", uid)
	var submitted string
	o.pool.QueryRow(ctx, "SELECT uid FROM dossier WHERE state NOT IN ('draft', 'approved', 'published', 'withdrawn') LIMIT 1").Scan(&submitted)
	if submitted == "" {
		t.Fatal("the sample office has no dossier under way")
	}
	refused(reviewer, "empty the change set of a dossier under way", "changed with no step", "DELETE FROM dossier_change WHERE dossier = $1", submitted)

	// the office's own path still passes every guard: a new document, pushed
	if _, err := s.Attach(ctx, id, "y_kien", "y-kien.pdf", []byte("%PDF ý kiến")); err != nil {
		t.Fatal(err)
	}
	var rev int64
	o.pool.QueryRow(ctx, "SELECT rev FROM dossier WHERE uid = $1", uid).Scan(&rev)
	b, _ = s.ReadDossierBundle(ctx, uid)
	res, err := officer.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b, BaseRev: rev}}})
	if err != nil || res.Dossiers[0].State != "updated" {
		t.Fatalf("a true push after the refusals: %+v %v", res, err)
	}
	if cursor() != before+1 {
		t.Errorf("the push logged %d entries, want 1", cursor()-before)
	}
	var who string
	o.pool.QueryRow(ctx, "SELECT who FROM change_log ORDER BY seq DESC LIMIT 1").Scan(&who)
	if who != "gofficer" {
		t.Errorf("the change log says %q pushed, want gofficer", who)
	}
	_ = store.Draft
}
