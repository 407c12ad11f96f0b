package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"quyhoach/gis"
)

// itemsOf is version id's items: feature id → "layer body seq".
func itemsOf(t *testing.T, s *Store, version int64) map[string]string {
	t.Helper()
	rows, err := s.db.Query("SELECT feature_id, layer_id, body_id, seq FROM version_item WHERE version_id = ?", version)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		var id string
		var layer, body, seq int64
		if err := rows.Scan(&id, &layer, &body, &seq); err != nil {
			t.Fatal(err)
		}
		got[id] = fmt.Sprint(layer, body, seq)
	}
	return got
}

// TestApproveCarriesExactlyTheUnchanged: the approved version holds every
// item of the one before that the change set leaves alone (without a row
// written for them) — with changes
// at the first and last feature ids, next to each other and in between —
// and the changed ones' new bodies; the approval ran without foreign-key
// checks, yet the file has no dangling reference and no pooled connection
// keeps the checks off.
func TestApproveCarriesExactlyTheUnchanged(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(40, 1)}}})
	before := itemsOf(t, s, 1)
	ids := slices.Sorted(maps.Keys(before))
	byID := map[string]gis.Feature{}
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range snap.Layers[0].Features {
		byID[f.ID] = f
	}
	d := mustDossier(t, s)
	changed := map[string]bool{ids[0]: true, ids[1]: true, ids[17]: true, ids[len(ids)-1]: true}
	var fs []gis.Feature
	for id := range changed {
		f := byID[id]
		props := maps.Clone(f.Properties)
		props["ghiChu"] = "điều chỉnh"
		f.Properties = props
		fs = append(fs, f)
	}
	gone := byID[ids[30]]
	gone.Properties = maps.Clone(gone.Properties)
	gone.Properties["deleted"] = true
	fs = append(fs, gone)
	mustApply(t, s, d, fs...)
	if got := toApproved(t, s, d); got.Approved != 2 {
		t.Fatalf("approved %+v", got)
	}
	var v2 int64
	if err := s.db.QueryRow("SELECT current_version FROM plan WHERE code = 'p'").Scan(&v2); err != nil {
		t.Fatal(err)
	}
	after := itemsOf(t, s, v2)
	if len(after) != len(before)-1 {
		t.Fatalf("%d items after, want %d", len(after), len(before)-1)
	}
	for _, id := range ids {
		switch {
		case id == ids[30]:
			if _, ok := after[id]; ok {
				t.Errorf("deleted %s carried", id)
			}
		case changed[id]:
			if after[id] == before[id] {
				t.Errorf("changed %s kept its old body", id)
			}
		case after[id] != before[id]:
			t.Errorf("unchanged %s: %q, was %q", id, after[id], before[id])
		}
	}
	// the approval wrote rows for the four changed lots and closed theirs
	// and the deleted one's; the unchanged lots' rows are version 1's
	if n := count(t, s, "SELECT count(*) FROM item WHERE since = 2"); n != 4 {
		t.Errorf("the approval added %d rows, want 4", n)
	}
	if n := count(t, s, "SELECT count(*) FROM item WHERE until = 2"); n != 5 {
		t.Errorf("the approval closed %d rows, want 5", n)
	}
	rows, err := s.db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	if rows.Next() {
		t.Error("a dangling reference after the approval")
	}
	rows.Close()
	// every connection the pool holds checks foreign keys again
	conns := make([]interface{ Close() error }, 0, 4)
	for range 4 {
		c, err := s.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		var on int
		if err := c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&on); err != nil || on != 1 {
			t.Errorf("a pooled connection with foreign_keys = %d (%v)", on, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) != 0 {
		t.Fatalf("verify: %v %+v", err, v.Findings)
	}
}

// TestApproveRefusesAChangeOfNoBody: a change row whose body is missing
// (written behind the store's back) stops the approval, named, and the
// plan stays where it was — the check the foreign keys would have made.
func TestApproveRefusesAChangeOfNoBody(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	mustApply(t, s, d, lot(ids["L-3"], 3, map[string]any{"phanLoai": "DL"}))
	mustStep(t, s, d, Step{Action: "submit", DocNo: "1"})
	mustStep(t, s, d, Step{Action: "appraise"})
	mustStep(t, s, d, Step{Action: "appraised", DocNo: "2"})
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF")
	if _, err := conn.ExecContext(ctx, "UPDATE dossier_change SET body_id = 999999 WHERE dossier_id = ?", d); err != nil {
		t.Fatal(err)
	}
	conn.ExecContext(ctx, "PRAGMA foreign_keys = ON")
	conn.Close()
	_, err = s.Advance(ctx, d, Step{Action: "approve", DocNo: "3", DocDate: "2026-12-01"})
	if err == nil || !strings.Contains(err.Error(), "feature "+ids["L-3"]) || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("approve of a change of no body: %v", err)
	}
	p, err := s.Plan(ctx, "p")
	if err != nil || p.CurrentVersion != 1 {
		t.Fatalf("plan after a refused approval: %+v %v", p, err)
	}
}
