package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/geombin"
)

// sampleTemplate is a store with the sample plans, made once and copied
// for each test that alters it.
var sampleTemplate = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "quyhoach-template")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "samples.db")
	s, err := Open(context.Background(), path, Options{Create: true})
	if err != nil {
		return "", err
	}
	defer s.Close()
	return path, s.InstallSamples(context.Background(), assets.Samples)
})

// sampleCopy opens a fresh copy of the sample store.
func sampleCopy(t *testing.T) *Store {
	t.Helper()
	tpl, err := sampleTemplate()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "s.db")
	copyFile(t, tpl, path)
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// tamper changes the file as someone with sqlite3 would: triggers that stand
// in the way are dropped first.
func tamper(t *testing.T, s *Store, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func verifyFindings(t *testing.T, s *Store, anchor string) []Finding {
	t.Helper()
	v, err := s.Verify(context.Background(), VerifyOptions{Anchor: anchor})
	if err != nil {
		t.Fatal(err)
	}
	return v.Findings
}

func TestSampleStoreVerifiesClean(t *testing.T) {
	s := sampleCopy(t)
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings on a fresh store: %v", f)
	}
	plans, _ := s.Plans(context.Background())
	for _, p := range plans {
		if len(p.Seal) != 64 || len(p.UID) != 36 {
			t.Fatalf("plan %s: uid %q seal %q", p.Code, p.UID, p.Seal)
		}
	}
}

// TestTamperIsFound: each rewrite of the history through SQL that leaves
// the records inconsistent with the chains is found and named.
func TestTamperIsFound(t *testing.T) {
	for _, tc := range []struct {
		name  string
		stmts func(s *Store) []string
		want  Finding // the fields set must match a finding; Problem is a substring
	}{
		{"current version set back", func(*Store) []string {
			return []string{"UPDATE plan SET current_version = (SELECT id FROM version WHERE number = 1 AND plan_id = plan.id) WHERE code = 'truc-trung-tam'"}
		}, Finding{Check: "plan", Plan: "truc-trung-tam", Problem: "its current version is version 1"}},
		{"dossier state changed without a step", func(*Store) []string {
			return []string{"UPDATE dossier SET state = 'approved' WHERE id = 2"}
		}, Finding{Check: "dossier", Plan: "chi-ma", Dossier: 2, Problem: "its state is approved"}},
		{"item of an approved version deleted", func(*Store) []string {
			return []string{"DROP TRIGGER item_no_delete",
				"DELETE FROM item WHERE since = 2 AND plan_id = (SELECT plan_id FROM version WHERE id = 2) AND feature_id = (SELECT feature_id FROM dossier_change WHERE dossier_id = 1 AND op = 'add' ORDER BY feature_id LIMIT 1)"}
		}, Finding{Check: "version", Plan: "truc-trung-tam", Version: 2, Problem: "an approved lot is missing from the version"}},
		{"items of an approved version swapped", func(*Store) []string {
			// the two first rows version 2 (the approval of dossier 1) wrote
			const v2 = "plan_id = (SELECT plan_id FROM version WHERE id = 2) AND since = 2"
			return []string{"DROP TRIGGER item_fixed",
				`UPDATE item SET body_id = CASE WHEN seq = (SELECT min(seq) FROM item WHERE ` + v2 + `) THEN (SELECT body_id FROM item WHERE ` + v2 + ` ORDER BY seq LIMIT 1 OFFSET 1)
					ELSE (SELECT body_id FROM item WHERE ` + v2 + ` ORDER BY seq LIMIT 1) END
				WHERE ` + v2 + ` AND seq IN (SELECT seq FROM item WHERE ` + v2 + ` ORDER BY seq LIMIT 2)`}
		}, Finding{Check: "version", Plan: "truc-trung-tam", Version: 2, Problem: "the lot's body is not the approved one"}},
		{"decision number changed", func(*Store) []string {
			return []string{"DROP TRIGGER version_record_fixed", "UPDATE version SET decision_no = '999/QĐ-UBND' WHERE id = 2"}
		}, Finding{Check: "version", Plan: "truc-trung-tam", Version: 2, Problem: "its record (number, parent, date, decision"}},
		{"layer renamed", func(*Store) []string {
			return []string{"UPDATE layer SET name = 'ChucNang_A' WHERE name = 'ChucNangSuDungDat_A' AND plan_id = (SELECT id FROM plan WHERE code = 'chi-ma')"}
		}, Finding{Check: "version", Plan: "chi-ma", Version: 1, Problem: "its items are not the ones it was sealed with"}},
		{"plan scale changed", func(*Store) []string {
			return []string{"DROP TRIGGER plan_record_fixed", "UPDATE plan SET scale = 1000 WHERE code = 'huu-nghi'"}
		}, Finding{Check: "plan", Plan: "huu-nghi", Problem: "its record (code, name, level, scale"}},
		{"plan name changed", func(*Store) []string {
			return []string{"DROP TRIGGER plan_record_fixed", "UPDATE plan SET name = 'Khác' WHERE code = 'huu-nghi'"}
		}, Finding{Check: "plan", Plan: "huu-nghi", Problem: "its record"}},
		{"last transition deleted", func(*Store) []string {
			return []string{"DROP TRIGGER transition_no_delete", "DELETE FROM transition WHERE id = (SELECT max(id) FROM transition WHERE dossier_id = 1)"}
		}, Finding{Check: "dossier", Plan: "truc-trung-tam", Dossier: 1, Problem: "seals a step that is gone"}},
		{"transition appended with its hash recomputed", func(s *Store) []string {
			var prev []byte
			s.db.QueryRow("SELECT hash FROM dossier_link WHERE dossier_id = 2 ORDER BY seq DESC LIMIT 1").Scan(&prev)
			tr := Transition{From: Appraising, To: Appraised, By: "Sở Xây dựng", DocNo: "1/BC"}
			at := "2026-11-01T09:00:00Z"
			changes, _ := changesDigest(context.Background(), s.db, 2)
			h := linkHash(prev, "step", stepDigest(tr, at, changes, nil), "")
			return []string{"INSERT INTO transition (dossier_id, from_state, to_state, at, by, doc_no, changes, version_seal, prev_hash, hash) VALUES (2, 'appraising', 'appraised', '" + at +
				"', 'Sở Xây dựng', '1/BC', x'" + hexOf(changes) + "', x'', x'" + hexOf(prev) + "', x'" + hexOf(h) + "')",
				"UPDATE dossier SET state = 'appraised' WHERE id = 2"}
		}, Finding{Check: "dossier", Plan: "chi-ma", Dossier: 2, Problem: "is not in its chain"}},
		{"body changed with its sha256", func(s *Store) []string {
			var id int64
			var text string
			s.db.QueryRow(`SELECT b.id, b.geojson FROM body b JOIN version_item i ON i.body_id = b.id WHERE i.version_id = 3 LIMIT 1`).Scan(&id, &text)
			text = strings.Replace(text, `"properties":{`, `"properties":{"x":1,`, 1)
			sum := sha256.Sum256([]byte(text))
			return []string{"DROP TRIGGER body_no_update", "UPDATE body SET geojson = '" + strings.ReplaceAll(text, "'", "''") + "', hash = x'" + hexOf(sum[:]) + "' WHERE id = " + itoa(id)}
		}, Finding{Check: "version", Plan: "huu-nghi", Version: 1, Problem: "its items are not the ones it was sealed with"}},
		{"attachment changed with its sha256", func(*Store) []string {
			return []string{"DROP TRIGGER attachment_no_update",
				"UPDATE attachment SET data = x'00', size = 1, sha256 = x'" + hexOf(sha(0)) + "' WHERE id = (SELECT min(id) FROM attachment WHERE dossier_id = 1)"}
		}, Finding{Check: "dossier", Plan: "truc-trung-tam", Dossier: 1, Problem: "is not the document its chain sealed"}},
		{"body no longer found by its hash", func(*Store) []string {
			return []string{"DROP TRIGGER body_hash_no_delete", "DELETE FROM body_hash WHERE body_id = (SELECT min(id) FROM body)"}
		}, Finding{Check: "body", Problem: "the body is not found by its hash"}},
		{"hash row pointed at another body", func(*Store) []string {
			return []string{"DROP TRIGGER body_hash_no_update", "UPDATE body_hash SET body_id = (SELECT max(id) FROM body) WHERE body_id = (SELECT min(id) FROM body)"}
		}, Finding{Check: "body", Problem: "a row finds a body of another hash"}},
		{"body stored twice", func(*Store) []string {
			return []string{"INSERT INTO body (id, hash, geojson) SELECT (SELECT max(id) + 1 FROM body), hash, geojson FROM body WHERE id = (SELECT min(id) FROM body)"}
		}, Finding{Check: "body", Problem: "the body is not found by its hash"}},
		{"stale bounding box", func(*Store) []string {
			return []string{"UPDATE body_bbox SET min_lon = min_lon + 0.001 WHERE id = (SELECT min(id) FROM body_bbox)"}
		}, Finding{Check: "bbox", Problem: "is stale"}},
		{"trigger merely dropped", func(*Store) []string {
			return []string{"DROP TRIGGER body_no_delete"}
		}, Finding{Check: "schema", Problem: "trigger body_no_delete is missing"}},
		{"version removed from the tail", func(*Store) []string {
			const p = "plan_id = (SELECT plan_id FROM version WHERE id = 2)"
			return []string{"DROP TRIGGER item_no_delete", "DROP TRIGGER item_closed_by_newest", "DROP TRIGGER lineage_no_delete", "DROP TRIGGER version_no_delete",
				"UPDATE plan SET current_version = 1 WHERE code = 'truc-trung-tam'",
				"PRAGMA foreign_keys = OFF", "DELETE FROM lineage WHERE version_id = 2", "DELETE FROM item WHERE since = 2 AND " + p,
				"UPDATE item SET until = NULL WHERE until = 2 AND " + p, "DELETE FROM version WHERE id = 2"}
		}, Finding{Check: "plan", Plan: "truc-trung-tam", Problem: "the newest version is not the last one its journal holds"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := sampleCopy(t)
			s.db.SetMaxOpenConns(1) // PRAGMA foreign_keys applies to the connection used
			tamper(t, s, tc.stmts(s)...)
			found := verifyFindings(t, s, "")
			for _, f := range found {
				if matches(f, tc.want) {
					return
				}
			}
			t.Fatalf("no finding like %+v among:\n%s", tc.want, findingLines(found))
		})
	}
}

// TestConsistentRewriteIsCaughtByAnAnchor: a rewrite that recomputes every
// hash from the altered link on (and puts the triggers back) passes verify
// alone; the plan's seal kept from before the rewrite finds it.
func TestConsistentRewriteIsCaughtByAnAnchor(t *testing.T) {
	s := sampleCopy(t)
	ctx := context.Background()
	p, err := s.Plan(ctx, "truc-trung-tam")
	if err != nil {
		t.Fatal(err)
	}
	anchor := p.Seal[:16]
	if f := verifyFindings(t, s, anchor); len(f) > 0 {
		t.Fatalf("the anchor of an intact store: %v", f)
	}
	// the decision number of the approval, rewritten, every chain recomputed
	tamper(t, s, "DROP TRIGGER transition_no_update", "DROP TRIGGER dossier_link_no_update", "DROP TRIGGER plan_link_no_update",
		"UPDATE transition SET doc_no = '9999/QĐ-UBND' WHERE dossier_id = 1 AND to_state = 'approved' AND from_state = 'appraised'")
	rechain(t, s)
	tamper(t, s, triggerSQL(t, "transition_no_update"), triggerSQL(t, "dossier_link_no_update"), triggerSQL(t, "plan_link_no_update"))
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("a consistent rewrite is not found by hashing alone, yet verify found: %v", f)
	}
	after, _ := s.Plan(ctx, "truc-trung-tam")
	if after.Seal == p.Seal {
		t.Fatalf("the rewrite left the seal as it was: %s", p.Seal)
	}
	found := verifyFindings(t, s, anchor)
	if len(found) != 1 || found[0].Check != "anchor" || !strings.Contains(found[0].Problem, "is not in the history of any plan") {
		t.Fatalf("with the anchor: %v", found)
	}
}

// rechain recomputes every dossier chain and plan journal from the rows,
// as a careful forger would.
func rechain(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	heads := map[string][]byte{} // old link hash → new
	dossiers, _ := queryIDs(ctx, s.db, "SELECT id FROM dossier")
	for _, d := range dossiers {
		var links []link
		rows, _ := s.db.Query("SELECT seq, kind, coalesce(ref, 0), content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq", d)
		for rows.Next() {
			var l link
			rows.Scan(&l.seq, &l.kind, &l.ref, &l.content, &l.prev, &l.hash)
			links = append(links, l)
		}
		rows.Close()
		prev := zeroHash
		for _, l := range links {
			content := l.content
			if l.kind == "step" {
				var tr Transition
				var at string
				var changes, made []byte
				s.db.QueryRow("SELECT from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal FROM transition WHERE id = ?", l.ref).
					Scan(&tr.From, &tr.To, &at, &tr.By, &tr.DocNo, &tr.DocDate, &tr.Note, &tr.Due, &tr.Agency, &tr.Signer, &changes, &made)
				content = stepDigest(tr, at, changes, made)
			}
			h := linkHash(prev, l.kind, content, "")
			tamper(t, s, "UPDATE dossier_link SET content = x'"+hexOf(content)+"', prev = x'"+hexOf(prev)+"', hash = x'"+hexOf(h)+"' WHERE dossier_id = "+itoa(d)+" AND seq = "+itoa(int64(l.seq)))
			if l.kind == "step" {
				tamper(t, s, "UPDATE transition SET prev_hash = x'"+hexOf(prev)+"', hash = x'"+hexOf(h)+"' WHERE id = "+itoa(l.ref))
			}
			heads[string(l.hash)] = h
			prev = h
		}
	}
	plans, _ := queryIDs(ctx, s.db, "SELECT id FROM plan")
	for _, p := range plans {
		var links []link
		rows, _ := s.db.Query("SELECT seq, kind, content, at FROM plan_link WHERE plan_id = ? ORDER BY seq", p)
		for rows.Next() {
			var l link
			rows.Scan(&l.seq, &l.kind, &l.content, &l.at)
			links = append(links, l)
		}
		rows.Close()
		prev := zeroHash
		for _, l := range links {
			content := l.content
			if n, ok := heads[string(l.content)]; ok && l.kind == "dossier" {
				content = n
			}
			h := linkHash(prev, l.kind, content, l.at)
			tamper(t, s, "UPDATE plan_link SET content = x'"+hexOf(content)+"', prev = x'"+hexOf(prev)+"', hash = x'"+hexOf(h)+"' WHERE plan_id = "+itoa(p)+" AND seq = "+itoa(int64(l.seq)))
			prev = h
		}
	}
}

// triggerSQL is a trigger's definition as the migrations make it.
func triggerSQL(t *testing.T, name string) string {
	t.Helper()
	want, err := expectedSchema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return want["trigger "+name]
}

func matches(f, want Finding) bool {
	return f.Check == want.Check && (want.Plan == "" || f.Plan == want.Plan) && (want.Version == 0 || f.Version == want.Version) &&
		(want.Dossier == 0 || f.Dossier == want.Dossier) && strings.Contains(f.Problem, want.Problem)
}

func findingLines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func sha(b byte) []byte {
	s := sha256.Sum256([]byte{b})
	return s[:]
}

// TestSchema1StoreIsSealedWithoutLoss opens a store written by the program
// before seals (the sample store, schema 1): every plan, version and
// dossier gets a global id, the history is sealed, nothing is lost, and
// the store verifies clean and goes on working.
func TestSchema1StoreIsSealedWithoutLoss(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, filepath.Join("testdata", "schema1-sample.db"), path)
	before := snapshotRows(t, path)
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after sealing:\n%s", findingLines(f))
	}
	for _, table := range []string{"plan", "version", "dossier"} {
		if n := count(t, s, "SELECT count(*) FROM "+table+" WHERE uid IS NULL OR length(uid) <> 36"); n != 0 {
			t.Fatalf("%d %s rows without a global id", n, table)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM version WHERE length(seal) <> 32"); n != 0 {
		t.Fatalf("%d versions unsealed", n)
	}
	s.Close()
	if after := snapshotRows(t, path); after != before {
		t.Fatalf("history changed by sealing:\nbefore %s\nafter  %s", before, after)
	}
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// and the sealed store goes on: the draft dossier is applied to and submitted
	s.Now = func() time.Time { return time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) }
	d, err := s.Dossier(ctx, 3)
	if err != nil || d.State != Draft {
		t.Fatalf("dossier 3: %v %v", d.State, err)
	}
	if _, err := s.Advance(ctx, 3, Step{Action: "submit", DocNo: "1/TTr", DocDate: "2026-11-30", By: "Ban Quản lý"}); err != nil {
		t.Fatal(err)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings after a step:\n%s", findingLines(f))
	}
}

// snapshotRows is the content of an old store's history, as text.
func snapshotRows(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	for _, q := range []string{
		"SELECT code, name, level, scale, area, created, coalesce(current_version, 0) FROM plan ORDER BY id",
		"SELECT plan_id, number, coalesce(parent_id, 0), created, source, message, coalesce(dossier_id, 0), decision_no, decision_date, ma_thong_tin_qh FROM version ORDER BY id",
		"SELECT version_id, feature_id, layer_id, body_id, seq FROM version_item ORDER BY version_id, feature_id",
		"SELECT id, hex(hash) FROM body ORDER BY id",
		"SELECT id, state, base_version_id, due, coalesce(approved_version_id, 0), title FROM dossier ORDER BY id",
		"SELECT dossier_id, feature_id, op, coalesce(body_id, 0), parents FROM dossier_change ORDER BY dossier_id, feature_id",
		"SELECT id, dossier_id, from_state, to_state, at, by, doc_no, doc_date, note, due FROM transition ORDER BY id",
		"SELECT id, dossier_id, kind, name, hex(sha256) FROM attachment ORDER BY id",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		for i := range vals {
			vals[i] = new(any)
		}
		for rows.Next() {
			rows.Scan(vals...)
			for _, v := range vals {
				b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmt.Sprint(*(v.(*any))), "\n", " ")) + "|")
			}
			b.WriteString("\n")
		}
		rows.Close()
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hexOf(sum[:]) + " (" + itoa(int64(strings.Count(b.String(), "\n"))) + " rows)"
}

// TestSealingNotesAnEarlierAlteration: a schema-1 store whose transition
// chain was altered before sealing keeps saying so after it.
func TestSealingNotesAnEarlierAlteration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	copyFile(t, filepath.Join("testdata", "schema1-sample.db"), path)
	db, err := sql.Open("sqlite", fileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DROP TRIGGER transition_no_update; UPDATE transition SET doc_no = '1/XX' WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	found := verifyFindings(t, s, "")
	if len(found) == 0 || !matches(found[0], Finding{Check: "note", Problem: "did not verify from transition 3 on"}) {
		t.Fatalf("findings:\n%s", findingLines(found))
	}
}

// TestOutputsRefuseDamagedBodies: a body that no longer matches its sha256
// stops every read that an output makes, naming the lot.
func TestOutputsRefuseDamagedBodies(t *testing.T) {
	s := sampleCopy(t)
	ctx := context.Background()
	var id int64
	var code string
	s.db.QueryRow(`SELECT b.id, json_extract(b.geojson, '$.properties.maDoiTuong') FROM body b JOIN version_item i ON i.body_id = b.id
		JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id WHERE p.code = 'chi-ma' LIMIT 1`).Scan(&id, &code)
	tamper(t, s, "DROP TRIGGER body_no_update", "UPDATE body SET geojson = replace(geojson, '\"properties\":{', '\"properties\":{\"x\":1,') WHERE id = "+itoa(id))
	var de *DamagedError
	if _, err := s.Load(ctx, "chi-ma", 0); !errors.As(err, &de) || de.Lot != code || !strings.Contains(err.Error(), "lot "+code) {
		t.Fatalf("load: %v", err)
	}
	if _, _, err := s.Proposal(ctx, 2); !errors.As(err, &de) {
		t.Fatalf("a dossier's proposal on the damaged base: %v", err)
	}
	if _, err := s.Load(ctx, "huu-nghi", 0); err != nil {
		t.Fatalf("another plan: %v", err)
	}
}

// TestVerifyFindsAlteredGridGeometry: a grid geometry rewritten (its
// checksum made right), one deleted, and one of no body are each reported,
// naming the feature; a read of the version refuses the damaged one.
func TestVerifyFindsAlteredGridGeometry(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3, 1)}}})
	if n := count(t, s, "SELECT count(*) FROM body_geom"); n != 3 {
		t.Fatalf("%d grid geometries for 3 bodies", n)
	}
	s.db.SetMaxOpenConns(1)
	if _, err := s.db.Exec("DROP TRIGGER body_geom_no_update; DROP TRIGGER body_geom_no_delete"); err != nil {
		t.Fatal(err)
	}
	// move the first body's grid geometry by a metre, with a right checksum
	var id int64
	var g []byte
	s.db.QueryRow("SELECT body_id, geom FROM body_geom ORDER BY body_id LIMIT 1").Scan(&id, &g)
	geom, err := geombin.Decode(g)
	if err != nil {
		t.Fatal(err)
	}
	moved := geombin.Append(nil, orb.Polygon{append(orb.Ring(nil), geom.(orb.Polygon)[0]...)})
	poly, _ := geombin.Decode(moved)
	for i := range poly.(orb.Polygon)[0] {
		poly.(orb.Polygon)[0][i][0]++
	}
	if _, err := s.db.Exec("UPDATE body_geom SET geom = ? WHERE body_id = ?", geombin.Append(nil, poly), id); err != nil {
		t.Fatal(err)
	}
	s.db.Exec("DELETE FROM body_geom WHERE body_id = (SELECT max(body_id) FROM body_geom)")
	s.db.Exec("PRAGMA foreign_keys = OFF")
	if _, err := s.db.Exec("INSERT INTO body_geom (body_id, geom) VALUES (999, ?)", g); err != nil {
		t.Fatal(err)
	}
	v, err := s.Verify(ctx, VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range v.Findings {
		if f.Check == "geometry" {
			got = append(got, f.Problem)
		}
	}
	if len(got) != 3 {
		t.Fatalf("geometry findings %v (all: %+v)", got, v.Findings)
	}
}
