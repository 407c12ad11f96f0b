package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// dossierFixture is a plan with lots L-0 … L-5 in version 1.
func dossierFixture(t *testing.T) (*Store, map[string]string) {
	t.Helper()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(6, 1)}}})
	return s, idsByCode(t, s, "p", 1)
}

func mustDossier(t *testing.T, s *Store) int64 {
	t.Helper()
	id, err := s.CreateDossier(context.Background(), NewDossier{Plan: "p", Kind: Local, Title: "Điều chỉnh cục bộ khu A"})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// lot returns a copy of base lot i with changed properties.
func lot(id string, i int, props map[string]any) gis.Feature {
	f := genLots(6, 1)[i]
	f.ID = id
	for k, v := range props {
		f.Properties[k] = v
	}
	return f
}

func mustApply(t *testing.T, s *Store, d int64, fs ...gis.Feature) ApplyResult {
	t.Helper()
	res, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Features: fs})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustStep(t *testing.T, s *Store, d int64, st Step) Dossier {
	t.Helper()
	got, err := s.Advance(context.Background(), d, st)
	if err != nil {
		t.Fatalf("%s: %v", st.Action, err)
	}
	return got
}

// toApproved walks a dossier from draft to approved.
func toApproved(t *testing.T, s *Store, d int64) Dossier {
	mustStep(t, s, d, Step{Action: "submit", DocNo: "12/TTr-BQL", DocDate: "2026-03-01", By: "officer"})
	mustStep(t, s, d, Step{Action: "appraise", By: "reviewer"})
	mustStep(t, s, d, Step{Action: "appraised", DocNo: "45/BC-SXD", By: "reviewer"})
	return mustStep(t, s, d, Step{Action: "approve", DocNo: "123/QĐ-UBND", DocDate: "2026-04-13", By: "ubnd"})
}

func TestApplyClassifiesChanges(t *testing.T) {
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	res := mustApply(t, s, d,
		lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}), // modification
		lot(ids["L-1"], 1, map[string]any{"deleted": true}),  // deletion
		lot("", 4, map[string]any{"maDoiTuong": "N-1"}),      // addition without id
		lot(ids["L-2"], 2, nil),                              // unchanged: no entry
	)
	if res.Added != 1 || res.Modified != 1 || res.Deleted != 1 || res.Unchanged != 1 {
		t.Fatalf("got %+v", res)
	}
	got, err := s.Dossier(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	ops := map[string]string{}
	for _, c := range got.Changes {
		ops[c.FeatureID] = c.Op
	}
	if ops[ids["L-0"]] != "modify" || ops[ids["L-1"]] != "delete" || ops[res.IDs[2]] != "add" || len(ops) != 3 {
		t.Fatalf("changes %v", ops)
	}
	// Applying the base body again drops the modification.
	mustApply(t, s, d, lot(ids["L-0"], 0, nil))
	got, _ = s.Dossier(context.Background(), d)
	if len(got.Changes) != 2 {
		t.Fatalf("got %d changes after reverting L-0, want 2", len(got.Changes))
	}
	// Deleting an unknown feature is an error and changes nothing.
	if _, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Features: []gis.Feature{lot("nope", 0, map[string]any{"deleted": true})}}); err == nil || !strings.Contains(err.Error(), "cannot delete nope") {
		t.Fatalf("got %v", err)
	}
}

func TestTransitionsLegalAndIllegal(t *testing.T) {
	ctx := context.Background()
	// From each state, every action: legal ones succeed, others are refused
	// with a message naming the state.
	reach := map[string][]Step{
		Draft:      nil,
		Submitted:  {{Action: "submit", DocNo: "1/TTr"}},
		Appraising: {{Action: "submit", DocNo: "1/TTr"}, {Action: "appraise"}},
		Appraised:  {{Action: "submit", DocNo: "1/TTr"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2/BC"}},
		Approved:   {{Action: "submit", DocNo: "1/TTr"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2/BC"}, {Action: "approve", DocNo: "3/QĐ", DocDate: "2026-01-02"}},
		Published:  {{Action: "submit", DocNo: "1/TTr"}, {Action: "appraise"}, {Action: "appraised", DocNo: "2/BC"}, {Action: "approve", DocNo: "3/QĐ", DocDate: "2026-01-02"}, {Action: "publish"}},
		Withdrawn:  {{Action: "withdraw", Note: "the board withdrew it"}},
	}
	full := Step{DocNo: "9/X", DocDate: "2026-02-02", Note: "thiếu hồ sơ", By: "t"}
	for from, path := range reach {
		for _, action := range Actions {
			t.Run(from+"/"+action, func(t *testing.T) {
				s, ids := dossierFixture(t)
				d := mustDossier(t, s)
				mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
				for _, st := range path {
					mustStep(t, s, d, st)
				}
				st := full
				st.Action = action
				got, err := s.Advance(ctx, d, st)
				legal := false
				for _, f := range steps[action].from {
					legal = legal || f == from
				}
				if legal {
					if err != nil || got.State != steps[action].to {
						t.Fatalf("got %v %v, want %s", got.State, err, steps[action].to)
					}
					return
				}
				var se *StepError
				if !errors.As(err, &se) {
					t.Fatalf("got %v, want a refusal", err)
				}
				want := "dossier 1 is " + from
				if !strings.HasPrefix(err.Error(), action+": "+want) {
					t.Fatalf("got %q, want it to start %q", err, action+": "+want)
				}
				if (from == Withdrawn || from == Published) && !strings.Contains(err.Error(), "nothing more can happen") {
					t.Fatalf("got %q", err)
				}
			})
		}
	}
}

func TestGuards(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	check := func(st Step, want string) {
		t.Helper()
		if _, err := s.Advance(ctx, d, st); err == nil || err.Error() != want {
			t.Errorf("%s: got %v, want %q", st.Action, err, want)
		}
	}
	check(Step{Action: "submit", DocNo: "1/TTr"}, "submit: the change set is empty; apply at least one change first")
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	check(Step{Action: "submit"}, "submit: cover letter (tờ trình) number required")
	check(Step{Action: "submit", DocNo: "1", DocDate: "13/4/2021"}, `submit: document date "13/4/2021" is not YYYY-MM-DD`)
	mustStep(t, s, d, Step{Action: "submit", DocNo: "1/TTr"})
	check(Step{Action: "return"}, "return: reason required (--note)")
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: d, Features: []gis.Feature{lot(ids["L-1"], 1, nil)}}); err == nil || !strings.Contains(err.Error(), "only a draft can be edited") {
		t.Errorf("edit after submit: %v", err)
	}
	mustStep(t, s, d, Step{Action: "appraise"})
	check(Step{Action: "appraised"}, "appraised: appraisal report (báo cáo thẩm định) number required")
	mustStep(t, s, d, Step{Action: "appraised", DocNo: "2/BC"})
	check(Step{Action: "approve", DocDate: "2026-01-01"}, "approve: decision number required")
	check(Step{Action: "approve", DocNo: "3/QĐ"}, "approve: decision date required")
	check(Step{Action: "frobnicate"}, "frobnicate: unknown step (one of submit, appraise, appraised, approve, publish, return, withdraw)")
	// Returned dossiers go back to draft and can be edited again.
	s2, ids2 := dossierFixture(t)
	d2 := mustDossier(t, s2)
	mustApply(t, s2, d2, lot(ids2["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	mustStep(t, s2, d2, Step{Action: "submit", DocNo: "1/TTr"})
	if got := mustStep(t, s2, d2, Step{Action: "return", Note: "bổ sung thuyết minh"}); got.State != Draft {
		t.Fatalf("returned to %s", got.State)
	}
	mustApply(t, s2, d2, lot(ids2["L-1"], 1, map[string]any{"phanLoai": "CXHC"}))
}

func TestDeadlinesAndOverdue(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	day0 := s.Now()
	got := mustStep(t, s, d, Step{Action: "submit", DocNo: "1/TTr"})
	if want := day0.AddDate(0, 0, 15).Format(time.DateOnly); got.Due != want {
		t.Fatalf("due after submit %s, want %s", got.Due, want)
	}
	if err := s.SetSettings(ctx, map[string]string{SettingAppraisalDays: "30"}); err != nil {
		t.Fatal(err)
	}
	got = mustStep(t, s, d, Step{Action: "appraise"})
	if want := day0.AddDate(0, 0, 30).Format(time.DateOnly); got.Due != want || got.Overdue {
		t.Fatalf("due after appraise %s overdue %v, want %s", got.Due, got.Overdue, want)
	}
	if list, _ := s.Dossiers(ctx, DossierFilter{Overdue: true}); len(list) != 0 {
		t.Fatalf("overdue too early: %v", list)
	}
	later := day0.AddDate(0, 0, 31)
	s.Now = func() time.Time { return later }
	list, err := s.Dossiers(ctx, DossierFilter{Plan: "p", Overdue: true})
	if err != nil || len(list) != 1 || !list[0].Overdue {
		t.Fatalf("overdue list %+v %v", list, err)
	}
}

func TestAuditChain(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	toApproved(t, s, d)
	if v, err := s.Verify(ctx, VerifyOptions{}); err != nil || len(v.Findings) != 0 {
		t.Fatalf("fresh chain: %v (%v)", v.Findings, err)
	}
	for _, q := range []string{"UPDATE transition SET note = 'x'", "DELETE FROM transition WHERE id = 2",
		"UPDATE dossier_link SET content = x'00'", "DELETE FROM plan_link"} {
		if _, err := s.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// Tampering from outside the program: the finding names the dossier and the step.
	if _, err := s.db.Exec("DROP TRIGGER transition_no_update; UPDATE transition SET doc_no = '999/QĐ' WHERE id = 3"); err != nil {
		t.Fatal(err)
	}
	v, _ := s.Verify(ctx, VerifyOptions{})
	var found bool
	for _, f := range v.Findings {
		found = found || f.Check == "dossier" && f.Dossier == d && strings.Contains(f.Problem, "was altered after it was sealed")
	}
	if !found {
		t.Fatalf("verify: %v", v.Findings)
	}
}

func TestApproveMakesVersionWithLineage(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	// Lot L-0 is split into A1 and A2; L-1 and L-2 merge into M.
	// (genLots' lots are squares of 0.0005° in a row from 106.70, 21.90)
	a1 := lot("", 0, map[string]any{"maDoiTuong": "A1", "parents": []any{ids["L-0"]}})
	a1.Geometry = rectLonLat(106.70, 21.90, 106.70025, 21.9005)
	a2 := lot("", 0, map[string]any{"maDoiTuong": "A2", "parents": []any{ids["L-0"]}})
	a2.Geometry = rectLonLat(106.70025, 21.90, 106.7005, 21.9005)
	m := lot("", 1, map[string]any{"maDoiTuong": "M", "parents": []any{ids["L-1"], ids["L-2"]}})
	m.Geometry = rectLonLat(106.7005, 21.90, 106.7015, 21.9005)
	mustApply(t, s, d, a1, a2, m,
		lot(ids["L-0"], 0, map[string]any{"deleted": true}),
		lot(ids["L-1"], 1, map[string]any{"deleted": true}),
		lot(ids["L-2"], 2, map[string]any{"deleted": true}))
	got := toApproved(t, s, d)
	if got.State != Approved || got.Approved != 2 {
		t.Fatalf("approved %+v", got)
	}
	snap, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	v := snap.Version
	if v.Number != 2 || v.Source != "dossier" || v.Dossier != d || v.DecisionNo != "123/QĐ-UBND" || v.DecisionDate != "2026-04-13" {
		t.Fatalf("version %+v", v)
	}
	if len(v.MaThongTinQH) != 12 || !strings.HasPrefix(v.MaThongTinQH, "2026332") {
		t.Fatalf("maThongTinQH %q: want 20 26 3 (detailed) 3 2 (local) + 5 digits", v.MaThongTinQH)
	}
	codes := idsByCode(t, s, "p", 2)
	if len(codes) != 6 || codes["L-0"] != "" || codes["A1"] == "" {
		t.Fatalf("v2 lots %v", codes)
	}
	if p := snap.Lineage[codes["A1"]]; len(p) != 1 || p[0] != ids["L-0"] {
		t.Errorf("A1 parents %v, want [%s]", p, ids["L-0"])
	}
	if p := snap.Lineage[codes["M"]]; len(p) != 2 {
		t.Errorf("M parents %v", p)
	}
	// The approved dossier and its change set are frozen.
	if _, err := s.db.Exec("DELETE FROM dossier_change WHERE dossier_id = ?", d); err == nil {
		t.Error("the change set of an approved dossier could be deleted")
	}
	if _, err := s.db.Exec("UPDATE dossier SET title = 'x' WHERE id = ?", d); err == nil {
		t.Error("an approved dossier could be edited")
	}
	if got := mustStep(t, s, d, Step{Action: "publish"}); got.State != Published {
		t.Fatal(got.State)
	}
}

func TestApproveMergesAndConflicts(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	first, second := mustDossier(t, s), mustDossier(t, s)
	mustApply(t, s, first, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	mustApply(t, s, second, lot(ids["L-1"], 1, map[string]any{"phanLoai": "CXHC"}))
	toApproved(t, s, first) // version 2
	// No common feature: the second merges onto version 2.
	got := toApproved(t, s, second)
	if got.Approved != 3 {
		t.Fatalf("second approved as %d", got.Approved)
	}
	snap, _ := s.Load(ctx, "p", 3)
	classes := map[string]string{}
	for _, f := range snap.Layers[0].Features {
		classes[f.String("maDoiTuong")] = f.String("phanLoai")
	}
	if classes["L-0"] != "DL" || classes["L-1"] != "CXHC" {
		t.Fatalf("merged version lacks a side: %v", classes)
	}

	// A true conflict: both change L-2.
	third, fourth := mustDossier(t, s), mustDossier(t, s)
	mustApply(t, s, third, lot(ids["L-2"], 2, map[string]any{"phanLoai": "GD"}))
	mustApply(t, s, fourth, lot(ids["L-2"], 2, map[string]any{"phanLoai": "YT"}), lot(ids["L-3"], 3, map[string]any{"phanLoai": "YT"}))
	toApproved(t, s, third) // version 4
	mustStep(t, s, fourth, Step{Action: "submit", DocNo: "1"})
	mustStep(t, s, fourth, Step{Action: "appraise"})
	mustStep(t, s, fourth, Step{Action: "appraised", DocNo: "2"})
	_, err := s.Advance(ctx, fourth, Step{Action: "approve", DocNo: "3", DocDate: "2026-05-05"})
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || len(ce.Features) != 1 || ce.Features[0] != ids["L-2"] {
		t.Fatalf("got %v, want a conflict on %s", err, ids["L-2"])
	}
	if d, _ := s.Dossier(ctx, fourth); d.State != Appraised {
		t.Fatalf("a refused approval moved the dossier to %s", d.State)
	}
	if _, err := s.Rebase(ctx, fourth, Resolution{}, "t"); !errors.As(err, &ce) || !strings.Contains(err.Error(), "--take") {
		t.Fatalf("rebase without --take: %v", err)
	}
	for _, take := range []string{"ours", "theirs"} {
		t.Run(take, func(t *testing.T) {
			// Each resolution on its own copy of the situation.
			s, ids := dossierFixture(t)
			a, b := mustDossier(t, s), mustDossier(t, s)
			mustApply(t, s, a, lot(ids["L-2"], 2, map[string]any{"phanLoai": "GD"}))
			mustApply(t, s, b, lot(ids["L-2"], 2, map[string]any{"phanLoai": "YT"}), lot(ids["L-3"], 3, map[string]any{"phanLoai": "YT"}))
			toApproved(t, s, a)
			d, err := s.Rebase(ctx, b, Resolution{Take: map[string]string{ids["L-2"]: take}}, "officer")
			if err != nil {
				t.Fatal(err)
			}
			if d.Base != 2 {
				t.Fatalf("rebased onto %d", d.Base)
			}
			toApproved(t, s, b)
			snap, _ := s.Load(ctx, "p", 0)
			got := map[string]string{}
			for _, f := range snap.Layers[0].Features {
				got[f.String("maDoiTuong")] = f.String("phanLoai")
			}
			want := map[string]string{"ours": "YT", "theirs": "GD"}[take]
			if got["L-2"] != want || got["L-3"] != "YT" {
				t.Fatalf("L-2 %s L-3 %s, want %s YT", got["L-2"], got["L-3"], want)
			}
		})
	}
}

func TestAttachments(t *testing.T) {
	ctx := context.Background()
	s, _ := dossierFixture(t)
	d := mustDossier(t, s)
	data := []byte("%PDF-1.4 tờ trình\x00\x01\x02")
	a, err := s.Attach(ctx, d, "to_trinh", "/tmp/To trinh 12.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "To trinh 12.pdf" || a.Size != int64(len(data)) || len(a.SHA256) != 64 {
		t.Fatalf("attachment %+v", a)
	}
	_, back, err := s.Extract(ctx, d, a.ID)
	if err != nil || string(back) != string(data) {
		t.Fatalf("extract: %q %v", back, err)
	}
	if _, err := s.Attach(ctx, d, "memo", "x.pdf", data); err == nil || !strings.Contains(err.Error(), `kind "memo" is not one of to_trinh`) {
		t.Fatalf("bad kind: %v", err)
	}
	s.SetSettings(ctx, map[string]string{SettingAttachmentMax: "10"})
	if _, err := s.Attach(ctx, d, "ban_ve", "big.png", data); err == nil || !strings.Contains(err.Error(), "the limit is 10 bytes") {
		t.Fatalf("limit: %v", err)
	}
	if _, err := s.db.Exec("UPDATE attachment SET data = x'00'"); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Fatalf("attachment update: %v", err)
	}
	if _, _, err := s.Extract(ctx, d, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing: %v", err)
	}
	got, _ := s.Dossier(ctx, d)
	if len(got.Attachments) != 1 {
		t.Fatalf("attachments %v", got.Attachments)
	}
}

func TestApplyByKeyFullLayer(t *testing.T) {
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	// The whole layer edited elsewhere: L-5 gone, L-4 split into L-4a/b, L-0 reclassified.
	lots := genLots(6, 1)[:4]
	lots[0].Properties["phanLoai"] = "DL"
	a := genLots(8, 3)[6]
	a.ID = "L-4a" // a foreign id: key mode gives a UUID instead
	a.Properties["maDoiTuong"], a.Properties["parents"] = "L-4a", []any{"L-4"}
	b := genLots(8, 3)[7]
	b.Properties["maDoiTuong"], b.Properties["parents"] = "L-4b", []any{"L-4"}
	res, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Key: "maDoiTuong", Full: true, Features: append(lots, a, b)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Modified != 1 || res.Deleted != 2 || res.Unchanged != 3 {
		t.Fatalf("got %+v", res)
	}
	got, _ := s.Dossier(context.Background(), d)
	// Applying the same layer again finds the additions by key: nothing doubles.
	if _, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Key: "maDoiTuong", Full: true, Features: append(lots, a, b)}); err != nil {
		t.Fatal(err)
	}
	// And a layer without L-4b drops that addition.
	if _, err := s.Apply(context.Background(), ApplyRequest{Dossier: d, Key: "maDoiTuong", Full: true, Features: append(lots, a)}); err != nil {
		t.Fatal(err)
	}
	again, _ := s.Dossier(context.Background(), d)
	if len(again.Changes) != len(got.Changes)-1 {
		t.Fatalf("%d changes after re-applying, want %d", len(again.Changes), len(got.Changes)-1)
	}
	for _, c := range got.Changes {
		if c.Op == "add" && (len(c.Parents) != 1 || c.Parents[0] != ids["L-4"]) {
			t.Errorf("%s parents %v", c.FeatureID, c.Parents)
		}
		if c.Op == "add" && len(c.FeatureID) != 36 {
			t.Errorf("added lot got id %q, want a new UUID", c.FeatureID)
		}
	}
}

// TestRebasePerFeature settles two conflicts in opposite ways in one rebase.
func TestRebasePerFeature(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	a, b := mustDossier(t, s), mustDossier(t, s)
	mustApply(t, s, a, lot(ids["L-0"], 0, map[string]any{"phanLoai": "GD"}), lot(ids["L-1"], 1, map[string]any{"phanLoai": "GD"}))
	mustApply(t, s, b, lot(ids["L-0"], 0, map[string]any{"phanLoai": "YT"}), lot(ids["L-1"], 1, map[string]any{"phanLoai": "YT"}))
	toApproved(t, s, a)
	_, err := s.Rebase(ctx, b, Resolution{Take: map[string]string{ids["L-0"]: "ours"}}, "t")
	var ce *ConflictError
	if !errors.As(err, &ce) || len(ce.Features) != 1 || ce.Features[0] != ids["L-1"] || !strings.Contains(err.Error(), "(L-1)") {
		t.Fatalf("half a resolution: got %v, want L-1 still open", err)
	}
	if _, err := s.Rebase(ctx, b, Resolution{Take: map[string]string{ids["L-0"]: "ours", ids["L-1"]: "theirs"}}, "t"); err != nil {
		t.Fatal(err)
	}
	toApproved(t, s, b)
	got := idsByCode(t, s, "p", 3)
	snap, _ := s.Load(ctx, "p", 3)
	classes := map[string]string{}
	for _, f := range snap.Layers[0].Features {
		classes[f.ID] = f.String("phanLoai")
	}
	if classes[got["L-0"]] != "YT" || classes[got["L-1"]] != "GD" {
		t.Fatalf("L-0 %s (want YT, ours), L-1 %s (want GD, theirs)", classes[got["L-0"]], classes[got["L-1"]])
	}
}

// TestApplyRoundTripThroughGridIsNoChange: lots exported in EPSG:9215 and
// applied back (vertices moved by ~1 mm) change nothing; a real edit among
// them is a modification, on the stored vertices.
func TestApplyRoundTripThroughGridIsNoChange(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	to, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	lots := genLots(6, 1)
	for i := range lots {
		lots[i].ID = ids[lots[i].String("maDoiTuong")]
		lots[i].Geometry = project.Geometry(project.Geometry(lots[i].Geometry, to), back)
	}
	if res := mustApply(t, s, d, lots...); res.Unchanged != 6 {
		t.Fatalf("a round trip through EPSG:9215: got %+v, want 6 unchanged", res)
	}
	lots[3].Properties["phanLoai"] = "CXCC"
	if res := mustApply(t, s, d, lots...); res.Unchanged != 5 || res.Modified != 1 {
		t.Fatalf("one real edit: got %+v, want 5 unchanged, 1 modified", res)
	}
	got, err := s.Dossier(ctx, d)
	if err != nil || len(got.Changes) != 1 {
		t.Fatalf("changes %+v %v", got.Changes, err)
	}
	base, err := s.Load(ctx, "p", 1)
	if err != nil {
		t.Fatal(err)
	}
	if want := base.Layers[0].Features[3].Geometry; !orb.Equal(got.Changes[0].Feature.Geometry, want) {
		t.Errorf("the modified lot's vertices moved: got %v, want the stored %v", got.Changes[0].Feature.Geometry, want)
	}
}

// rectLonLat is a counter-clockwise rectangle in degrees.
func rectLonLat(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}
