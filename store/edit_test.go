package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"quyhoach/gis"
)

// changeSet is a dossier's change set as its rows hold it, byte for byte.
func changeSet(t *testing.T, s *Store, d int64) string {
	t.Helper()
	rows, err := s.db.Query(`SELECT c.feature_id, c.layer_id, c.op, coalesce(hex(b.hash), ''), c.parents
		FROM dossier_change c LEFT JOIN body b ON b.id = c.body_id WHERE c.dossier_id = ? ORDER BY c.feature_id`, d)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for rows.Next() {
		var id, op, hash, parents string
		var layer int64
		if err := rows.Scan(&id, &layer, &op, &hash, &parents); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "%s %d %s %s %s\n", id, layer, op, hash, parents)
	}
	return sb.String()
}

func applyLabelled(t *testing.T, s *Store, d int64, label string, fs ...gis.Feature) ApplyResult {
	t.Helper()
	res, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Features: fs, Label: label})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestUndoRedoEveryKindOfEdit: for each kind of gesture (attribute change on
// many lots, a geometry change, a split that deletes one lot and adds two, a
// merge, a deletion, an addition changed again), undo gives back the change
// set as it was before, byte for byte, and redo the one after.
func TestUndoRedoEveryKindOfEdit(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	moved := lot(ids["L-2"], 2, nil)
	moved.Geometry = genLots(6, 1)[3].Geometry
	split := func() []gis.Feature {
		a := lot("part-a", 4, map[string]any{"maDoiTuong": "L-4a", "parents": []any{ids["L-4"]}})
		b := lot("part-b", 5, map[string]any{"maDoiTuong": "L-4b", "parents": []any{ids["L-4"]}})
		return []gis.Feature{lot(ids["L-4"], 4, map[string]any{"deleted": true}), a, b}
	}
	gestures := []struct {
		label string
		fs    []gis.Feature
	}{
		{"class of 2 lots", []gis.Feature{lot(ids["L-0"], 0, map[string]any{"phanLoai": "TMD"}), lot(ids["L-1"], 1, map[string]any{"phanLoai": "TMD"})}},
		{"reshape L-2", []gis.Feature{moved}},
		{"split L-4", split()},
		{"class of an added part", []gis.Feature{lot("part-a", 4, map[string]any{"maDoiTuong": "L-4a", "phanLoai": "CX"})}},
		{"merge L-0 L-1", []gis.Feature{
			lot(ids["L-0"], 0, map[string]any{"deleted": true}), lot(ids["L-1"], 1, map[string]any{"deleted": true}),
			lot("merged", 0, map[string]any{"maDoiTuong": "L-01", "parents": []any{ids["L-0"], ids["L-1"]}}),
		}},
		{"class of L-0 again", []gis.Feature{lot(ids["L-3"], 3, map[string]any{"phanLoai": "CX"})}},
		{"delete the added part", []gis.Feature{lot("part-b", 5, map[string]any{"deleted": true})}},
	}
	sets := []string{changeSet(t, s, d)}
	for _, g := range gestures {
		applyLabelled(t, s, d, g.label, g.fs...)
		sets = append(sets, changeSet(t, s, d))
	}
	edits, err := s.Edits(ctx, d)
	if err != nil || len(edits) != len(gestures) {
		t.Fatalf("edits: %d (%v), want %d", len(edits), err, len(gestures))
	}
	for i, e := range edits {
		if e.Label != gestures[i].label || e.Undone || e.Features == 0 {
			t.Errorf("edit %d: %+v", i, e)
		}
	}
	for i := len(gestures); i > 0; i-- {
		e, err := s.Undo(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if e.Label != gestures[i-1].label {
			t.Errorf("undo %d undid %q", i, e.Label)
		}
		if got := changeSet(t, s, d); got != sets[i-1] {
			t.Fatalf("undo of %q: change set\n%s\nwant\n%s", e.Label, got, sets[i-1])
		}
	}
	if _, err := s.Undo(ctx, d); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("undo past the start: %v", err)
	}
	// the history outlives the store being closed
	path := s.Path()
	s.Close()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 1; i <= len(gestures); i++ {
		e, err := s.Redo(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if got := changeSet(t, s, d); got != sets[i] {
			t.Fatalf("redo of %q: change set\n%s\nwant\n%s", e.Label, got, sets[i])
		}
	}
	if _, err := s.Redo(ctx, d); !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("redo past the end: %v", err)
	}
	if _, err := s.Verify(ctx, VerifyOptions{}); err != nil {
		t.Error(err)
	}
}

// TestNewEditDropsRedo: after undo, a new edit makes the undone one
// impossible to redo; an apply that changes nothing is no edit and leaves
// the redo stack.
func TestNewEditDropsRedo(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	applyLabelled(t, s, d, "one", lot(ids["L-0"], 0, map[string]any{"phanLoai": "TMD"}))
	applyLabelled(t, s, d, "two", lot(ids["L-1"], 1, map[string]any{"phanLoai": "TMD"}))
	if _, err := s.Undo(ctx, d); err != nil {
		t.Fatal(err)
	}
	applyLabelled(t, s, d, "nothing", lot(ids["L-0"], 0, map[string]any{"phanLoai": "TMD"}))
	if edits, _ := s.Edits(ctx, d); len(edits) != 2 || !edits[1].Undone {
		t.Fatalf("a no-op apply touched the history: %+v", edits)
	}
	applyLabelled(t, s, d, "three", lot(ids["L-2"], 2, map[string]any{"phanLoai": "TMD"}))
	edits, _ := s.Edits(ctx, d)
	if len(edits) != 2 || edits[0].Label != "one" || edits[1].Label != "three" {
		t.Fatalf("history after a new edit: %+v", edits)
	}
	if _, err := s.Redo(ctx, d); !errors.Is(err, ErrNothingToRedo) {
		t.Errorf("redo after a new edit: %v", err)
	}
}

// TestHistoryOnlyInDraft: a submitted dossier is not undone; a rebase, which
// rewrites the change set outside the history, drops the history.
func TestHistoryOnlyInDraftAndDroppedByRebase(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	a, b := mustDossier(t, s), mustDossier(t, s)
	applyLabelled(t, s, b, "b edits L-0", lot(ids["L-0"], 0, map[string]any{"phanLoai": "YT"}))
	mustStep(t, s, b, Step{Action: "submit", DocNo: "12/TTr-BQL", DocDate: "2026-03-01", By: "officer"})
	var se *StepError
	if _, err := s.Undo(ctx, b); !errors.As(err, &se) {
		t.Errorf("undo in a submitted dossier: %v", err)
	}
	mustStep(t, s, b, Step{Action: "return", Note: "sửa lại", By: "reviewer"})
	applyLabelled(t, s, a, "a edits L-0", lot(ids["L-0"], 0, map[string]any{"phanLoai": "GD"}))
	toApproved(t, s, a)
	if _, err := s.Rebase(ctx, b, Resolution{Take: map[string]string{ids["L-0"]: "theirs"}}, "t"); err != nil {
		t.Fatal(err)
	}
	if edits, _ := s.Edits(ctx, b); len(edits) != 0 {
		t.Errorf("history kept across a rebase that rewrote the change set: %+v", edits)
	}
}

// TestKilledEditLeavesNoOpenEdit: an edit refused half-way (an invalid lot)
// leaves neither an entry nor an open edit behind.
func TestRefusedEditLeavesNoHistory(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	before := changeSet(t, s, d)
	_, err := s.Apply(ctx, ApplyRequest{Dossier: d, Label: "bad", Features: []gis.Feature{
		lot(ids["L-0"], 0, map[string]any{"phanLoai": "TMD"}),
		lot("x", 1, map[string]any{"deleted": true}),
	}})
	if err == nil {
		t.Fatal("deleting an unknown feature applied")
	}
	if got := changeSet(t, s, d); got != before {
		t.Errorf("refused edit changed the change set")
	}
	if n := count(t, s, "SELECT count(*) FROM dossier_edit"); n != 0 {
		t.Errorf("%d edits after a refused apply", n)
	}
	if n := count(t, s, "SELECT count(*) FROM dossier_edit_open"); n != 0 {
		t.Errorf("an edit left open")
	}
}

// TestProposalFeatures reads features of a proposal by id: changed, added,
// deleted, untouched and unknown, and what an undo touched.
func TestProposalFeatures(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	applyLabelled(t, s, d, "split L-4",
		lot(ids["L-4"], 4, map[string]any{"deleted": true}),
		lot("part-a", 4, map[string]any{"maDoiTuong": "L-4a", "parents": []any{ids["L-4"]}}),
		lot(ids["L-0"], 0, map[string]any{"phanLoai": "TMD"}))
	got, err := s.ProposalFeatures(ctx, d, []string{ids["L-4"], "part-a", ids["L-0"], ids["L-1"], "nope"})
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case got[0].Feature != nil || got[0].Layer != "":
		t.Errorf("deleted lot: %+v", got[0])
	case got[1].Feature == nil || got[1].Feature.String("maDoiTuong") != "L-4a" || len(got[1].Parents) != 1 || got[1].Parents[0] != ids["L-4"]:
		t.Errorf("added part: %+v", got[1])
	case got[2].Feature == nil || got[2].Feature.String("phanLoai") != "TMD" || got[2].Layer != DefaultLayer:
		t.Errorf("modified lot: %+v", got[2])
	case got[3].Feature == nil || got[3].Feature.String("maDoiTuong") != "L-1":
		t.Errorf("untouched lot: %+v", got[3])
	case got[4].Feature != nil:
		t.Errorf("unknown id: %+v", got[4])
	}
	e, err := s.Undo(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.IDs) != 3 {
		t.Errorf("undo touched %v, want the 3 features of the split", e.IDs)
	}
	got, _ = s.ProposalFeatures(ctx, d, []string{ids["L-4"], "part-a"})
	if got[0].Feature == nil || got[1].Feature != nil {
		t.Errorf("after undo: %+v", got)
	}
}
