package store

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestRebaseOfAnAppraisedDossierGoesBackToAppraisal: the rebase and the
// return to appraisal are two steps of the chain, the due date is the
// appraisal's again, verify is clean and every seal holds.
func TestRebaseOfAnAppraisedDossierGoesBackToAppraisal(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	a, b := mustDossier(t, s), mustDossier(t, s)
	mustApply(t, s, a, lot(ids["L-2"], 2, map[string]any{"phanLoai": "GD"}))
	mustApply(t, s, b, lot(ids["L-2"], 2, map[string]any{"phanLoai": "YT"}), lot(ids["L-3"], 3, map[string]any{"phanLoai": "YT"}))
	mustStep(t, s, b, Step{Action: "submit", DocNo: "1/TTr"})
	mustStep(t, s, b, Step{Action: "appraise"})
	mustStep(t, s, b, Step{Action: "appraised", DocNo: "2/BC", Agency: "Sở Xây dựng tỉnh Lạng Sơn"})
	toApproved(t, s, a) // version 2 changes L-2 too
	cs, err := s.Conflicts(ctx, b)
	if err != nil || len(cs) != 1 || cs[0].Feature != ids["L-2"] || cs[0].Code != "L-2" {
		t.Fatalf("conflicts %v %v", cs, err)
	}
	d, err := s.Rebase(ctx, b, Resolution{Take: map[string]string{ids["L-2"]: "ours"}}, "officer")
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.Transitions)
	rebase, back := d.Transitions[n-2], d.Transitions[n-1]
	if rebase.From != Appraised || rebase.To != Appraised || !strings.HasPrefix(rebase.Note, "rebased from version 1 onto version 2") {
		t.Fatalf("rebase step %+v", rebase)
	}
	if back.From != Appraised || back.To != Appraising || back.Note != "rebased on version 2, re-appraisal needed" {
		t.Fatalf("re-appraisal step %+v", back)
	}
	days, _ := s.Setting(ctx, SettingAppraisalDays)
	if want := back.At.Local().AddDate(0, 0, atoi(days)).Format(time.DateOnly); d.State != Appraising || d.Due != want || back.Due != want {
		t.Fatalf("state %s due %s (step %s), want appraising due %s", d.State, d.Due, back.Due, want)
	}
	if cs, _ := s.Conflicts(ctx, b); len(cs) != 0 {
		t.Fatalf("conflicts after the rebase: %v", cs)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings:\n%s", findingLines(f))
	}
	seals, err := s.DossierSeals(ctx, b)
	if err != nil || !seals.Verified() || len(seals.Steps) != n {
		t.Fatalf("seals %+v %v", seals, err)
	}
	// approval needs a new appraisal first
	if _, err := s.Advance(ctx, b, Step{Action: "approve", DocNo: "3", DocDate: "2026-05-05"}); err == nil || !strings.Contains(err.Error(), "is appraising") {
		t.Fatalf("approve right after the rebase: %v", err)
	}
	mustStep(t, s, b, Step{Action: "appraised", DocNo: "3/BC"})
	if got := mustStep(t, s, b, Step{Action: "approve", DocNo: "4/QĐ", DocDate: "2026-05-05"}); got.Approved != 3 {
		t.Fatalf("approved as %d", got.Approved)
	}
	// a draft rebased stays a draft: one step
	s2, ids2 := dossierFixture(t)
	x, y := mustDossier(t, s2), mustDossier(t, s2)
	mustApply(t, s2, x, lot(ids2["L-1"], 1, map[string]any{"phanLoai": "GD"}))
	mustApply(t, s2, y, lot(ids2["L-1"], 1, map[string]any{"phanLoai": "YT"}))
	toApproved(t, s2, x)
	if d, err := s2.Rebase(ctx, y, Resolution{Default: "theirs"}, "o"); err != nil || d.State != Draft || len(d.Transitions) != 1 || len(d.Changes) != 0 {
		t.Fatalf("draft rebased: %v %+v", err, d)
	}
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// TestStepAgencyAndSignerAreSealed: a step's agency and signer are in its
// link: changing one is found by verify, and the page's per-step seal of
// that step (only) fails.
func TestStepAgencyAndSignerAreSealed(t *testing.T) {
	ctx := context.Background()
	s, ids := dossierFixture(t)
	d := mustDossier(t, s)
	mustApply(t, s, d, lot(ids["L-0"], 0, map[string]any{"phanLoai": "DL"}))
	mustStep(t, s, d, Step{Action: "submit", DocNo: "1/TTr", DocDate: "2026-03-01", Agency: BoardAgency, By: "an"})
	mustStep(t, s, d, Step{Action: "appraise", Agency: DepartmentAgency})
	mustStep(t, s, d, Step{Action: "appraised", DocNo: "2/BC", Agency: DepartmentAgency})
	got := mustStep(t, s, d, Step{Action: "approve", DocNo: "3/QĐ-UBND", DocDate: "2026-04-01", Agency: ProvinceAgency, Signer: "Nguyễn Văn A"})
	last := got.Transitions[len(got.Transitions)-1]
	if last.Agency != ProvinceAgency || last.Signer != "Nguyễn Văn A" || got.Transitions[0].Agency != BoardAgency {
		t.Fatalf("transitions %+v", got.Transitions)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings:\n%s", findingLines(f))
	}
	tamper(t, s, "DROP TRIGGER transition_no_update", "UPDATE transition SET agency = 'Bộ Xây dựng' WHERE id = "+itoa(got.Transitions[2].ID))
	found := verifyFindings(t, s, "")
	if !slices.ContainsFunc(found, func(f Finding) bool {
		return matches(f, Finding{Check: "dossier", Dossier: d, Problem: "step appraising → appraised"}) && strings.Contains(f.Problem, "was altered")
	}) {
		t.Fatalf("findings:\n%s", findingLines(found))
	}
	seals, err := s.DossierSeals(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range got.Transitions {
		if ok := seals.Steps[tr.ID].OK; ok != (i != 2) {
			t.Errorf("step %d (%s → %s): sealed %v", i, tr.From, tr.To, ok)
		}
	}
	if seals.Verified() || !strings.Contains(seals.Steps[got.Transitions[2].ID].Problem, "altered") {
		t.Fatalf("seals %+v", seals.Steps[got.Transitions[2].ID])
	}
}

// TestSealsOfABrokenChain: a link rewritten breaks every link from it on;
// the links before it still hold.
func TestSealsOfABrokenChain(t *testing.T) {
	s := sampleCopy(t)
	ctx := context.Background()
	tamper(t, s, "DROP TRIGGER dossier_link_no_update", "UPDATE dossier_link SET hash = zeroblob(32) WHERE dossier_id = 1 AND seq = 3")
	seals, err := s.DossierSeals(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range seals.Links {
		if l.OK != (l.Seq < 3) {
			t.Errorf("link %d (%s): ok %v %s", l.Seq, l.Kind, l.OK, l.Problem)
		}
	}
	if other, _ := s.DossierSeals(ctx, 2); !other.Verified() {
		t.Fatalf("dossier 2: %+v", other)
	}
	if _, err := s.DossierSeals(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no dossier 99: %v", err)
	}
}

func TestAgencies(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	a, err := s.Agencies(ctx, "chi-ma")
	if err != nil || !a.Default || a.Approver != ProvinceAgency || a.Appraiser != DepartmentAgency || a.Proposer != BoardAgency {
		t.Fatalf("defaults %+v %v", a, err)
	}
	if g := DefaultAgencies("general"); g.Approver != PrimeMinister || g.Appraiser != MinistryAgency {
		t.Fatalf("a general plan's defaults %+v", g)
	}
	before, _ := s.Plan(ctx, "chi-ma")
	set := Agencies{Approver: ProvinceAgency, Appraiser: " " + MinistryAgency + " ", Proposer: BoardAgency, Consultant: "Viện Quy hoạch xây dựng Lạng Sơn"}
	got, err := s.SetAgencies(ctx, "chi-ma", set, "lan")
	if err != nil || got.Appraiser != MinistryAgency || got.By != "lan" || got.At.IsZero() || got.Default {
		t.Fatalf("set %+v %v", got, err)
	}
	if again, _ := s.SetAgencies(ctx, "chi-ma", set, "other"); again.By != "lan" {
		t.Fatalf("setting the same agencies again recorded %+v", again)
	}
	set.Consultant = "Công ty CP Tư vấn Xây dựng Lạng Sơn"
	s.SetAgencies(ctx, "chi-ma", set, "minh")
	hist, err := s.AgencyHistory(ctx, "chi-ma")
	if err != nil || len(hist) != 2 || hist[0].By != "minh" || hist[1].Consultant != "Viện Quy hoạch xây dựng Lạng Sơn" {
		t.Fatalf("history %+v %v", hist, err)
	}
	if now, _ := s.Agencies(ctx, "chi-ma"); now.Consultant != set.Consultant || now.Default {
		t.Fatalf("now %+v", now)
	}
	for _, bad := range []struct {
		a    Agencies
		want string
	}{
		{Agencies{Approver: "", Appraiser: "x", Proposer: "y"}, "the approving authority is required"},
		{Agencies{Approver: "x", Appraiser: "x", Proposer: "y\nz"}, "the proposing agency must be one line"},
		{Agencies{Approver: "x", Appraiser: strings.Repeat("ơ", 201), Proposer: "y"}, "longer than 200 characters"},
	} {
		_, err := s.SetAgencies(ctx, "chi-ma", bad.a, "x")
		var se *StepError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%+v: got %v, want %q", bad.a, err, bad.want)
		}
	}
	if _, err := s.SetAgencies(ctx, "nope", set, "x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no plan: %v", err)
	}
	// the plan's sealed record did not change, and the store verifies
	after, _ := s.Plan(ctx, "chi-ma")
	if after.Name != before.Name || after.Code != before.Code {
		t.Fatalf("plan record %+v", after)
	}
	if f := verifyFindings(t, s, ""); len(f) > 0 {
		t.Fatalf("findings:\n%s", findingLines(f))
	}
	if _, err := s.db.Exec("UPDATE plan_agencies SET by = 'x'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("history rewritten: %v", err)
	}
}

func TestCheckStep(t *testing.T) {
	for _, c := range []struct {
		st          Step
		kind, level string
		field, want string // want "" passes
	}{
		{Step{Action: "submit", DocNo: "45/TTr-BQL", DocDate: "2026-11-20"}, Local, "detailed", "", ""},
		{Step{Action: "submit", DocNo: "  "}, Local, "detailed", "doc_no", "cover letter (tờ trình) number required"},
		{Step{Action: "submit", DocNo: "1", DocDate: "20/11/2026"}, Local, "detailed", "doc_date", `document date "20/11/2026" is not YYYY-MM-DD`},
		{Step{Action: "submit", DocNo: "1\n2"}, Local, "detailed", "doc_no", "the document number must be one line"},
		{Step{Action: "appraise", Agency: strings.Repeat("a", 201)}, Local, "detailed", "agency", "longer than 200 characters"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "202632212345"}, Local, "detailed", "", ""},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "20263221234"}, Local, "detailed", "ma", "must be 12 digits"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "212632212345"}, Local, "detailed", "ma", "must start with 20"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "202532212345"}, Local, "detailed", "ma", "year digits 25, the decision's year is 26"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "202622212345"}, Local, "detailed", "ma", "level digit 2, the plan's level is 3"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "202632112345"}, Local, "detailed", "ma", "adjustment digit 1, the dossier's kind is 2"},
		{Step{Action: "approve", DocNo: "1", DocDate: "2026-12-01", MaThongTinQH: "202639212345"}, Local, "detailed", "ma", "type digit 9"},
		{Step{Action: "approve", DocNo: "1"}, Local, "detailed", "doc_date", "decision date required"},
		{Step{Action: "withdraw"}, Local, "detailed", "note", "reason for withdrawing required"},
		{Step{Action: "return", Note: "thiếu thuyết minh"}, Local, "detailed", "", ""},
		{Step{Action: "jump"}, Local, "detailed", "", "unknown step"},
	} {
		err := CheckStep(c.st, c.kind, c.level)
		if c.want == "" {
			if err != nil {
				t.Errorf("%+v: %v", c.st, err)
			}
			continue
		}
		var se *StepError
		if !errors.As(err, &se) || !strings.Contains(err.Error(), c.want) || se.Field != c.field {
			t.Errorf("%+v: got %v (field %q), want %q in field %q", c.st, err, fieldOf(se), c.want, c.field)
			continue
		}
		if se.Key != "" && fillTemplate(se.Key, se.Data) != se.Reason {
			t.Errorf("%+v: template %q does not give %q", c.st, se.Key, se.Reason)
		}
	}
	// the generated code passes its own check
	for _, kind := range []string{Local, Overall} {
		for _, level := range Levels {
			if ma := MaThongTinQH(level, kind, "2026-12-01"); CheckMaThongTinQH(ma, level, kind, "2026-12-01") != nil {
				t.Errorf("%s %s: generated %s fails its check", level, kind, ma)
			}
		}
	}
}

func fieldOf(e *StepError) string {
	if e == nil {
		return ""
	}
	return e.Field
}

// TestDeadlineOfTheSampleDossier: the Chi Ma dossier under appraisal is due
// the appraisal's days after its appraisal step (which has no document:
// the day it was recorded), and overdue by the days since.
func TestDeadlineOfTheSampleDossier(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	d, err := s.Dossier(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	dl, ok := DeadlineOf(d)
	if !ok || dl.Rule.Setting != SettingAppraisalDays || dl.Rule.Law == "" || dl.FromDoc || dl.Step.To != Appraising {
		t.Fatalf("deadline %+v %v", dl, ok)
	}
	days, _ := s.Setting(ctx, SettingAppraisalDays)
	if dl.From != "2026-09-28" || dl.Days != atoi(days) || dl.Due != "2026-10-18" || d.Due != dl.Due {
		t.Fatalf("from %s, %d days, due %s", dl.From, dl.Days, dl.Due)
	}
	if n := dl.DaysLeft(time.Date(2026, 11, 30, 15, 0, 0, 0, time.Local)); n != -43 {
		t.Fatalf("days left %d, want -43", n)
	}
	if n := dl.DaysLeft(time.Date(2026, 10, 18, 8, 0, 0, 0, time.Local)); n != 0 {
		t.Fatalf("on the due date: %d", n)
	}
	if _, ok := DeadlineOf(Dossier{}); ok {
		t.Fatal("a deadline without a due date")
	}
	// the central axis dossier's submission ran from its cover letter's date
	d1, _ := s.Dossier(ctx, 1)
	d1.Transitions, d1.Due = d1.Transitions[:1], d1.Transitions[0].Due
	if dl, ok := DeadlineOf(d1); !ok || !dl.FromDoc || dl.From != "2024-07-15" || dl.Days != 15 || dl.Due != "2024-07-30" {
		t.Fatalf("submission deadline %+v", dl)
	}
}

func TestSummariesHistoriesAndApprovalDelta(t *testing.T) {
	ctx := context.Background()
	s := sampleCopy(t)
	sums, err := s.DossierSummaries(ctx)
	if err != nil || len(sums) != 3 {
		t.Fatalf("summaries %d %v", len(sums), err)
	}
	if sums[0].Last.To != Published || sums[0].PlanName == "" || sums[1].Last.To != Appraising || sums[2].Last.ID != 0 {
		t.Fatalf("last steps %+v / %+v / %+v", sums[0].Last, sums[1].Last, sums[2].Last)
	}
	hist, err := s.DossierHistories(ctx)
	if err != nil || len(hist) != 3 || len(hist[0].Transitions) != 5 || len(hist[2].Transitions) != 0 {
		t.Fatalf("histories %v", err)
	}
	delta, err := s.ApprovalDelta(ctx, 1)
	if err != nil || delta.Version != 2 || delta.Parent != 1 || len(delta.After) == 0 {
		t.Fatalf("delta %+v %v", delta, err)
	}
	d1, _ := s.Dossier(ctx, 1)
	n := 0
	for _, l := range delta.After {
		n += len(l.Features)
	}
	adds := 0
	for _, c := range d1.Changes {
		if c.Op != "delete" {
			adds++
		}
	}
	if n != adds {
		t.Fatalf("%d features after, want the %d changes that are not deletions", n, adds)
	}
	if _, err := s.ApprovalDelta(ctx, 2); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unapproved dossier's delta: %v", err)
	}
}
