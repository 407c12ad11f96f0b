package office

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"quyhoach/store"
)

// pushOf is a push of one dossier of the store (and the versions after
// the office's current one of its plan), based on rev.
func pushOf(t testing.TB, o *Office, s *store.Store, id int64, rev int64) PushRequest {
	t.Helper()
	ctx := context.Background()
	d, err := s.Dossier(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.ReadDossierBundle(ctx, d.UID)
	if err != nil {
		t.Fatal(err)
	}
	var req PushRequest
	n, _ := o.VersionCount(ctx, b.PlanUID)
	uids, _ := s.VersionUIDs(ctx, b.PlanUID)
	for _, uid := range uids[n:] {
		v, err := s.ReadVersionBundle(ctx, uid, true)
		if err != nil {
			t.Fatal(err)
		}
		req.Versions = append(req.Versions, v)
	}
	req.Dossiers = []PushDossier{{Bundle: b, BaseRev: rev}}
	return req
}

// TestStepsFlowThroughTheRoles: the reviewer records the appraisal, the
// approver the approval with its version; each push by a role whose step
// it is not is refused as a whole, naming the user and the role; the
// published view follows the new current version.
func TestStepsFlowThroughTheRoles(t *testing.T) {
	ctx := context.Background()
	o, addr, s := loaded(t)
	for _, u := range []struct{ name, role string }{{"lan", "officer"}, {"minh", "reviewer"}, {"hoa", "approver"}} {
		if err := o.AddUser(ctx, u.name, u.role, "password-of-"+u.name); err != nil {
			t.Fatal(err)
		}
	}
	officer := as(t, addr, "lan", "password-of-lan")
	reviewer := as(t, addr, "minh", "password-of-minh")
	approver := as(t, addr, "hoa", "password-of-hoa")

	const id = 2 // the sample's dossier under appraisal (chi-ma)
	if _, err := s.Advance(ctx, id, store.Step{Action: "appraised", DocNo: "BC-01/BQL", DocDate: "2026-10-20", By: "minh"}); err != nil {
		t.Fatal(err)
	}
	req := pushOf(t, o, s, id, 1)
	before := snapshot(t, o)
	var re *RefusedError
	if _, err := officer.Push(ctx, req); !errors.As(err, &re) || re.User != "lan" || re.Role != "officer" || !strings.Contains(err.Error(), "appraising → appraised") {
		t.Fatalf("an officer records the appraisal: %v", err)
	}
	if _, err := approver.Push(ctx, req); !errors.As(err, &re) || re.Role != "approver" {
		t.Fatalf("an approver records the appraisal: %v", err)
	}
	if after := snapshot(t, o); after != before {
		t.Fatalf("refused pushes changed the office:\n%s\n%s", before, after)
	}
	res, err := reviewer.Push(ctx, req)
	if err != nil || res.Dossiers[0].Rev != 2 {
		t.Fatalf("the reviewer records the appraisal: %+v, %v", res, err)
	}

	// the approval makes version 2 of chi-ma
	if _, err := s.Advance(ctx, id, store.Step{Action: "approve", DocNo: "15/QĐ-UBND", DocDate: "2026-11-02", Agency: "UBND tỉnh Lạng Sơn", Signer: "Chủ tịch", By: "hoa"}); err != nil {
		t.Fatal(err)
	}
	req = pushOf(t, o, s, id, 2)
	if len(req.Versions) != 1 || !req.Versions[0].Delta {
		t.Fatalf("the approval's version: %+v", req.Versions)
	}
	for _, who := range []*Office{officer, reviewer} {
		if _, err := who.Push(ctx, req); !errors.As(err, &re) || !strings.Contains(err.Error(), "permission denied for table version") {
			t.Fatalf("%s makes a version: %v", who.User(), err)
		}
	}
	// a push of the dossier without its version names what is missing
	if _, err := approver.Push(ctx, PushRequest{Dossiers: req.Dossiers}); err == nil || !strings.Contains(err.Error(), "push that version with it") {
		t.Fatalf("an approval without its version: %v", err)
	}
	var view string
	_ = o.pool.QueryRow(ctx, "SELECT view FROM layer l JOIN plan p ON p.uid = l.plan WHERE p.code = 'chi-ma' AND l.name = 'ChucNangSuDungDat_A'").Scan(&view)
	var before1 int
	_ = o.pool.QueryRow(ctx, "SELECT count(*) FROM published."+view).Scan(&before1)
	res, err = approver.Push(ctx, req)
	if err != nil || !res.Versions[0].New || res.Dossiers[0].Rev != 3 {
		t.Fatalf("the approver records the approval: %+v, %v", res, err)
	}
	snap, err := s.LoadGrid(ctx, "chi-ma", 0, "ChucNangSuDungDat_A")
	if err != nil {
		t.Fatal(err)
	}
	var after1 int
	_ = o.pool.QueryRow(ctx, "SELECT count(*) FROM published."+view).Scan(&after1)
	if want := len(snap.Layer("ChucNangSuDungDat_A").Features); after1 != want || snap.Version.Number != 2 {
		t.Fatalf("the published view after the approval: %d lots (before %d), the store's version %d has %d", after1, before1, snap.Version.Number, want)
	}
	// approved: the dossier never changes again, even for an admin
	if _, err := o.pool.Exec(ctx, "UPDATE dossier SET rev = rev + 1, state = 'draft' WHERE uid = $1", req.Dossiers[0].Bundle.UID); err == nil ||
		!strings.Contains(err.Error(), "cannot change") {
		t.Fatalf("an approved dossier reopened: %v", err)
	}
	if _, err := o.pool.Exec(ctx, "DELETE FROM dossier_change WHERE dossier = $1", req.Dossiers[0].Bundle.UID); err == nil {
		t.Fatal("an approved dossier's change set was deleted")
	}
}

// TestTwoOfficersPushAtOnce: both land, each dossier with its own number,
// and the change log has both after the cursor taken before.
func TestTwoOfficersPushAtOnce(t *testing.T) {
	ctx := context.Background()
	o, addr, s := loaded(t)
	cur, _ := o.Cursor(ctx)
	plans, _ := s.Plans(ctx)
	var reqs []PushRequest
	var offices []*Office
	for i, name := range []string{"an", "binh"} {
		if err := o.AddUser(ctx, name, "officer", "password-of-"+name); err != nil {
			t.Fatal(err)
		}
		offices = append(offices, as(t, addr, name, "password-of-"+name))
		id, _ := draft(t, s, plans[i].Code)
		reqs = append(reqs, pushOf(t, o, s, id, 0))
	}
	var wg sync.WaitGroup
	results := make([]PushResult, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = offices[i].Push(ctx, reqs[i])
		}()
	}
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil || results[i].Dossiers[0].State != "new" {
			t.Fatalf("push %d: %+v, %v", i, results[i], errs[i])
		}
	}
	if results[0].Dossiers[0].Number == results[1].Dossiers[0].Number {
		t.Fatal("two dossiers got one number")
	}
	ds, err := o.Dossiers(ctx, cur)
	if err != nil || len(ds) != 2 {
		t.Fatalf("pull after both: %d, %v", len(ds), err)
	}
}

// TestItemsNameWhatTheOfficeHolds: the statement-level checks that stand
// in for foreign keys on version items, and a current version is closed.
func TestItemsNameWhatTheOfficeHolds(t *testing.T) {
	ctx := context.Background()
	o, _, s := loaded(t)
	plans, _ := s.PlanBundles(ctx)
	for _, c := range []struct{ sql, want string }{
		{"INSERT INTO version_item VALUES ('no-such-version', 'f', 'l', '\\x00', 1)", "names a version the office does not hold"},
		{"INSERT INTO version_item VALUES ($1, 'f-new', 'l', '\\x00', 1)", "versions are immutable"},
		{"INSERT INTO lineage VALUES ($1, 'f-new', 'f')", "versions are immutable"},
	} {
		args := []any{}
		if strings.Contains(c.sql, "$1") {
			args = append(args, plans[0].Current)
		}
		if _, err := o.pool.Exec(ctx, c.sql, args...); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.sql, err)
		}
	}
	// a version being written (not yet current) takes items, but only of bodies held
	if _, err := o.pool.Exec(ctx, `INSERT INTO version (uid, plan, number, parent, created, source, items_hash, seal) VALUES ('v-open', $1, 99, NULL, '', 'import', '', '');
		`, plans[0].UID); err != nil {
		t.Fatal(err)
	}
	if _, err := o.pool.Exec(ctx, "INSERT INTO version_item VALUES ('v-open', 'f', 'l', '\\x00', 1)"); err == nil || !strings.Contains(err.Error(), "names a body the office does not hold") {
		t.Errorf("an item of an unknown body: %v", err)
	}
}
