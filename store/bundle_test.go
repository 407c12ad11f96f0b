package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"quyhoach/gis"
)

// readBatch reads every bundle of s, as a clone or a pull would: plans,
// each plan's versions (delta from their parents, or whole), dossiers.
func readBatch(t testing.TB, s *Store, delta bool) Batch {
	t.Helper()
	ctx := context.Background()
	var b Batch
	plans, err := s.PlanBundles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b.Plans = plans
	for _, p := range plans {
		vs, err := s.VersionUIDs(ctx, p.UID)
		if err != nil {
			t.Fatal(err)
		}
		for i, uid := range vs {
			v, err := s.ReadVersionBundle(ctx, uid, delta && i > 0)
			if err != nil {
				t.Fatal(err)
			}
			b.Versions = append(b.Versions, v)
		}
		ds, err := s.DossierUIDs(ctx, p.UID)
		if err != nil {
			t.Fatal(err)
		}
		for _, uid := range ds {
			d, err := s.ReadDossierBundle(ctx, uid)
			if err != nil {
				t.Fatal(err)
			}
			b.Dossiers = append(b.Dossiers, d)
		}
	}
	return b
}

// approvedDossier opens a dossier on plan code in s changing one lot and
// takes it through to approval: the plan gets a new version.
func approvedDossier(t testing.TB, s *Store, code, note string) int64 {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Load(ctx, code, 0, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.CreateDossier(ctx, NewDossier{Plan: code, Kind: Local, Title: "Điều chỉnh " + note})
	if err != nil {
		t.Fatal(err)
	}
	f := snap.Layer(DefaultLayer).Features[3]
	f.Properties = withoutKeys(f.Properties)
	f.Properties["ghiChu"] = note
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: id, Features: []gis.Feature{f}}); err != nil {
		t.Fatal(err)
	}
	for _, st := range []Step{{Action: "submit", DocNo: "1/TTr", By: "officer", AckWarnings: true}, {Action: "appraise", By: "reviewer"},
		{Action: "appraised", DocNo: "2/BC", By: "reviewer"}, {Action: "approve", DocNo: "3/QĐ", DocDate: "2026-12-01", By: "approver"}} {
		if _, err := s.Advance(ctx, id, st); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

func contentHash(t testing.TB, s *Store) string {
	t.Helper()
	h, err := s.ContentHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", h)
}

// versionDump is a plan's current version as stored: record and seal,
// every item with its body, geometry and measure.
func versionDump(t testing.TB, s *Store, code string) string {
	t.Helper()
	var b strings.Builder
	rows, err := s.db.Query(`SELECT v.uid, v.number, v.seal, v.items_hash, i.feature_id, l.name, i.seq, bd.hash, bd.geojson, coalesce(g.geom, x''), m.measure
		FROM plan p JOIN version v ON v.id = p.current_version JOIN version_item i ON i.version_id = v.id JOIN layer l ON l.id = i.layer_id
		JOIN body bd ON bd.id = i.body_id LEFT JOIN body_geom g ON g.body_id = bd.id JOIN body_measure m ON m.body_id = bd.id
		WHERE p.code = ? ORDER BY i.feature_id`, code)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid, fid, layer string
		var number, seq int
		var seal, items, hash, text, geom, meas []byte
		if err := rows.Scan(&uid, &number, &seal, &items, &fid, &layer, &seq, &hash, &text, &geom, &meas); err != nil {
			t.Fatal(err)
		}
		// the measure's checksum covers the body's row id, which differs between stores
		fmt.Fprintf(&b, "%s %d %x %x %s %s %d %x %s %x %x\n", uid, number, seal, items, fid, layer, seq, hash, text, geom, meas[:len(meas)-4])
	}
	return b.String()
}

// settled is the store file's bytes with its write-ahead log folded in.
func settled(t testing.TB, s *Store) []byte {
	t.Helper()
	if _, err := s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestTakeBatchBetweenTwins: what one store made since two stores parted
// — a submitted dossier, an approval and its version, new agencies, a new
// plan — read as bundles (versions as deltas) and taken into the other
// gives the same history: equal content hashes, clean verify, the same
// dossiers byte for byte, the same current versions with geometry and
// measures. The same batch again is up to date and changes nothing.
func TestTakeBatchBetweenTwins(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	sent := officerDossier(t, a, "huu-nghi")
	approved := approvedDossier(t, a, "chi-ma", "lô đổi tên")
	if _, err := a.SetAgencies(ctx, "chi-ma", Agencies{Approver: "UBND tỉnh Lạng Sơn", Appraiser: "Sở Xây dựng", Proposer: "BQL KKT", Consultant: "Viện QH"}, "admin"); err != nil {
		t.Fatal(err)
	}
	mustPlan(t, a, "moi")
	mustImport(t, a, ImportRequest{Plan: "moi", Layers: []gis.Layer{{Name: DefaultLayer, Features: genLots(40, 7)}}})
	if contentHash(t, a) == contentHash(t, b) {
		t.Fatal("the stores differ but their content hashes are equal")
	}
	batch := readBatch(t, a, true)
	for _, v := range batch.Versions {
		if v.Dossier != "" && strings.Contains(v.Message, "lô đổi tên") && (!v.Delta || len(v.Put) != 1 || len(v.Bodies) != 1 || len(v.Drop) != 0) {
			t.Fatalf("version %d: delta %v of %d items, %d bodies, %d dropped", v.Number, v.Delta, len(v.Put), len(v.Bodies), len(v.Drop))
		}
	}
	res, err := b.TakeBatch(ctx, batch, TakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var news []string
	for _, p := range res.Plans {
		if p.Status != UnpackUpToDate {
			news = append(news, p.Plan+" "+p.Status)
		}
	}
	for _, v := range res.Versions {
		if v.Status != UnpackUpToDate {
			news = append(news, fmt.Sprintf("%s v%d %s", v.Plan, v.Number, v.Status))
		}
	}
	for _, d := range res.Dossiers {
		if d.Status != UnpackUpToDate {
			news = append(news, fmt.Sprintf("%s %s %s", d.Plan, d.Title, d.Status))
		}
	}
	slices.Sort(news)
	cur, err := a.Plan(ctx, "chi-ma")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"chi-ma appended", fmt.Sprintf("chi-ma v%d new", cur.CurrentVersion), "chi-ma Điều chỉnh lô đổi tên new", "huu-nghi Điều chỉnh chiều cao lô GT-01 new", "moi new", "moi v1 new"}
	if fmt.Sprint(news) != fmt.Sprint(want) {
		t.Fatalf("the batch did\n%q\nwant\n%q", news, want)
	}
	if contentHash(t, a) != contentHash(t, b) {
		t.Fatal("content hashes differ after the take")
	}
	mustVerify(t, b)
	for _, id := range []int64{sent, approved} {
		uid := uidOf(t, a, id)
		if got, want := dossierDump(t, b, localID(t, b, uid)), dossierDump(t, a, id); got != want {
			t.Fatalf("dossier %d differs:\n%s\nwant\n%s", id, got, want)
		}
	}
	for _, code := range []string{"chi-ma", "huu-nghi", "moi", "dong-banh"} {
		if got, want := versionDump(t, b, code), versionDump(t, a, code); got != want || got == "" {
			t.Fatalf("plan %s: the current versions differ", code)
		}
	}
	if ha, hb := agencyHistory(t, a, "chi-ma"), agencyHistory(t, b, "chi-ma"); ha != hb {
		t.Fatalf("agency histories differ:\n%s\n%s", ha, hb)
	}
	// the same batch again: up to date, the file unchanged
	before := settled(t, b)
	again, err := b.TakeBatch(ctx, batch, TakeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Changed() {
		t.Fatalf("the same batch again: %+v", again)
	}
	if !bytes.Equal(settled(t, b), before) {
		t.Fatal("taking the same batch again changed the file")
	}
	// and back: a holds everything b has
	if res, err := a.TakeBatch(ctx, readBatch(t, b, true), TakeOptions{}); err != nil || res.Changed() {
		t.Fatalf("back: %+v %v", res, err)
	}
}

func agencyHistory(t testing.TB, s *Store, code string) string {
	t.Helper()
	h, err := s.AgencyHistory(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(h)
}

// TestTakeBatchClone: every bundle of a store, versions whole, taken into
// an empty store as a clone (Synced) is the same history; it has nothing
// to push until it works; its remote never holds a password.
func TestTakeBatchClone(t *testing.T) {
	ctx := context.Background()
	a, _ := twinStores(t)
	approvedDossier(t, a, "chi-ma", "trước khi nhân bản")
	c := openTemp(t)
	if _, ok, err := c.Remote(ctx); ok || err != nil {
		t.Fatalf("a new store has a remote: %v %v", ok, err)
	}
	batch := readBatch(t, a, false)
	for i := range batch.Dossiers {
		batch.Dossiers[i].Rev = int64(10 + i)
		batch.Dossiers[i].Number = int64(100 + i)
	}
	if _, err := c.TakeBatch(ctx, batch, TakeOptions{Synced: true}); err != nil {
		t.Fatal(err)
	}
	if contentHash(t, a) != contentHash(t, c) {
		t.Fatal("the clone's content hash differs")
	}
	mustVerify(t, c)
	pending, err := c.Pending(ctx)
	if err != nil || !pending.Empty() {
		t.Fatalf("a fresh clone has work to push: %+v %v", pending, err)
	}
	ds, err := c.Dossiers(ctx, DossierFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.OfficeNumber < 100 {
			t.Fatalf("dossier %d: office number %d", d.ID, d.OfficeNumber)
		}
	}
	// the remote
	if err := c.SetRemote(ctx, Remote{URL: "postgres://officer:secret@office.local/quyhoach"}); err == nil || !strings.Contains(err.Error(), "password") || strings.Contains(err.Error(), "secret") {
		t.Fatalf("a URL with a password: %v", err)
	}
	if err := c.SetRemote(ctx, Remote{URL: "host=office.local dbname=quyhoach password=secret"}); err == nil {
		t.Fatal("a connection string with a password was kept")
	}
	if err := c.SetPullCursor(ctx, 5); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a pull cursor without a remote: %v", err)
	}
	if err := c.SetRemote(ctx, Remote{URL: "postgres://officer@office.local/quyhoach", OfficeUID: "office-1", Cloned: c.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := c.SetPullCursor(ctx, 42); err != nil {
		t.Fatal(err)
	}
	r, ok, err := c.Remote(ctx)
	if err != nil || !ok || r.URL != "postgres://officer@office.local/quyhoach" || r.PullCursor != 42 || r.OfficeUID != "office-1" || r.Cloned.IsZero() || r.LastPull.IsZero() {
		t.Fatalf("remote %+v %v %v", r, ok, err)
	}
	// work offline: a new dossier, a document on a held one, an approval
	id := officerDossier(t, c, "huu-nghi")
	if _, err := c.Attach(ctx, 2, "y_kien", "y-kien.pdf", []byte("ý kiến")); err != nil {
		t.Fatal(err)
	}
	approved := approvedDossier(t, c, "dong-banh", "ngoại tuyến")
	pending, err = c.Pending(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range pending.Dossiers {
		got = append(got, fmt.Sprintf("%d new=%v rev=%d", d.ID, d.New, d.Rev))
	}
	slices.Sort(got)
	want := []string{fmt.Sprintf("%d new=true rev=0", approved), fmt.Sprintf("%d new=true rev=0", id), "2 new=false rev=" + fmt.Sprint(revOf(batch, uidOf(t, a, 2)))}
	slices.Sort(want)
	if fmt.Sprint(got) != fmt.Sprint(want) || len(pending.Versions) != 1 {
		t.Fatalf("pending %q %v, want %q and one version", got, pending.Versions, want)
	}
	// pushed: nothing pending (one marked by the bundle sent, the others as they stand)
	for i, d := range pending.Dossiers {
		if i == 0 {
			sent, err := c.ReadDossierBundle(ctx, d.UID)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.MarkBundleSynced(ctx, sent, d.Rev+1, 200+d.ID); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := c.MarkDossierSynced(ctx, d.UID, d.Rev+1, 200+d.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.MarkVersionsSynced(ctx, pending.Versions); err != nil {
		t.Fatal(err)
	}
	if err := c.MarkVersionsSynced(ctx, []string{"no-such-version"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("an unknown version marked: %v", err)
	}
	if pending, err = c.Pending(ctx); err != nil || !pending.Empty() {
		t.Fatalf("after the push: %+v %v", pending, err)
	}
	if d, _ := c.Dossier(ctx, id); d.OfficeNumber != 200+id {
		t.Fatalf("office number %d", d.OfficeNumber)
	}
	// an edit of a draft's change set is work to push again
	snap, err := c.Load(ctx, "chi-ma", 0, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	draft, err := c.CreateDossier(ctx, NewDossier{Plan: "chi-ma", Kind: Local, Title: "nháp"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.MarkDossierSynced(ctx, uidOf(t, c, draft), 1, 0); err != nil {
		t.Fatal(err)
	}
	f := snap.Layer(DefaultLayer).Features[0]
	f.Properties = withoutKeys(f.Properties)
	f.Properties["ghiChu"] = "sửa"
	if _, err := c.Apply(ctx, ApplyRequest{Dossier: draft, Features: []gis.Feature{f}}); err != nil {
		t.Fatal(err)
	}
	if pending, _ = c.Pending(ctx); len(pending.Dossiers) != 1 || pending.Dossiers[0].ID != draft || pending.Dossiers[0].Rev != 1 {
		t.Fatalf("an edited draft: %+v", pending)
	}
}

func revOf(b Batch, uid string) int64 {
	for _, d := range b.Dossiers {
		if d.UID == uid {
			return d.Rev
		}
	}
	return -1
}

// TestTakeBatchRefusals: a batch with a body, a step, a seal, a link or an
// item altered, a plan that moved on both sides, a dossier with steps
// recorded on both sides: each refused with its reason, the receiving
// store byte for byte as it was.
func TestTakeBatchRefusals(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	officerDossier(t, a, "huu-nghi")
	approvedDossier(t, a, "chi-ma", "sửa trên máy A")
	before := settled(t, b)
	refused := func(name string, batch Batch, want string) error {
		t.Helper()
		_, err := b.TakeBatch(ctx, batch, TakeOptions{})
		if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("%s: got %v, want %q", name, err, want)
		}
		if !bytes.Equal(settled(t, b), before) {
			t.Fatalf("%s: a refused batch changed the store", name)
		}
		return err
	}
	fresh := func() Batch { return readBatch(t, a, true) }
	newVersion := func(bt Batch) *VersionBundle {
		for _, v := range bt.Versions {
			if strings.Contains(v.Message, "sửa trên máy A") {
				return v
			}
		}
		t.Fatal("no new version in the batch")
		return nil
	}
	dossier := func(bt Batch, state string) *DossierBundle {
		for _, d := range bt.Dossiers {
			if d.State == state && len(d.Steps) > 0 {
				return d
			}
		}
		t.Fatal("no dossier " + state)
		return nil
	}
	bt := fresh()
	v := newVersion(bt)
	v.Bodies[0].GeoJSON = bytes.Replace(v.Bodies[0].GeoJSON, []byte("sửa trên máy A"), []byte("sửa trên máy B"), 1)
	refused("a body altered", bt, "damaged")

	bt = fresh()
	v = newVersion(bt)
	v.Seal[0] ^= 1
	refused("a seal altered", bt, "does not match its seal")

	bt = fresh()
	v = newVersion(bt)
	v.DecisionNo = "99/QĐ"
	refused("a decision altered", bt, "does not match its seal")

	bt = fresh()
	v = newVersion(bt)
	v.Put[0].Layer = "KhacLoai_A"
	refused("an item moved to another layer", bt, "its items are not the ones it was sealed with")

	bt = fresh()
	d := dossier(bt, Submitted)
	d.Steps[0].DocNo = "8/TTr"
	refused("a step altered", bt, "altered after it was sealed")

	bt = fresh()
	d = dossier(bt, Submitted)
	d.Links[1].Hash[0] ^= 1
	refused("a link altered", bt, "does not verify at link")

	bt = fresh()
	d = dossier(bt, Approved)
	bt.Dossiers = slices.DeleteFunc(bt.Dossiers, func(x *DossierBundle) bool { return x == d })
	refused("a version without the dossier that made it", bt, "neither in this store nor in the batch")

	bt = fresh()
	d = dossier(bt, Approved) // as it was before its approval: a chain one link shorter
	d.Links = d.Links[:len(d.Links)-1]
	d.Steps = d.Steps[:len(d.Steps)-1]
	d.Head = d.Links[len(d.Links)-1].Hash
	refused("a version without the approval that made it", bt, "approval the batch does not carry")

	// b approves on chi-ma as well: the plan moved on both sides
	approvedDossier(t, b, "chi-ma", "sửa trên máy B")
	before = settled(t, b)
	n := newVersion(fresh()).Number
	err := refused("a diverged plan", fresh(), fmt.Sprintf("moved on both here (version %d) and at the other store (version %d)", n, n))
	var de *DivergedError
	if !errors.As(err, &de) || de.Plan != "chi-ma" || de.Here != n || de.There != n || de.Dossier != 0 {
		t.Fatalf("diverged plan: %#v", err)
	}

	// both record a step on the shared sample dossier: its chains part
	c, e := twinStores(t)
	if _, err := c.Advance(ctx, 2, Step{Action: "withdraw", Note: "rút", By: "officer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Attach(ctx, 2, "y_kien", "y-kien.pdf", []byte("ý kiến")); err != nil {
		t.Fatal(err)
	}
	before2 := settled(t, e)
	_, err = e.TakeBatch(ctx, readBatch(t, c, true), TakeOptions{})
	if !errors.As(err, &de) || de.Dossier != 2 || de.Seq == 0 || !strings.Contains(err.Error(), "recorded on both sides") {
		t.Fatalf("diverged dossier: %v", err)
	}
	if !bytes.Equal(settled(t, e), before2) {
		t.Fatal("a diverged dossier changed the store")
	}
}

// TestContentHashOrderIndependent: two stores taking the same dossiers in
// opposite orders, in separate batches, hold the same content.
func TestContentHashOrderIndependent(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	path := filepath.Join(t.TempDir(), "c.db")
	if _, err := b.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	c, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	officerDossier(t, a, "huu-nghi")
	officerDossier(t, a, "chi-ma")
	if _, err := a.Attach(ctx, 2, "y_kien", "y-kien.pdf", []byte("ý kiến")); err != nil {
		t.Fatal(err)
	}
	all := readBatch(t, a, true)
	for _, d := range all.Dossiers {
		if _, err := b.TakeBatch(ctx, Batch{Dossiers: []*DossierBundle{d}}, TakeOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range slices.Backward(all.Dossiers) {
		if _, err := c.TakeBatch(ctx, Batch{Dossiers: []*DossierBundle{d}}, TakeOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if ha, hb, hc := contentHash(t, a), contentHash(t, b), contentHash(t, c); ha != hb || hb != hc {
		t.Fatalf("content hashes %s %s %s", ha, hb, hc)
	}
	mustVerify(t, b)
	mustVerify(t, c)
}

// TestPullKeepsLocalEdits: a pull (Synced) does not overwrite a draft
// edited here since the office last had it, and refuses one edited on
// both sides.
func TestPullKeepsLocalEdits(t *testing.T) {
	ctx := context.Background()
	office, laptop := twinStores(t)
	path := filepath.Join(t.TempDir(), "other.db")
	if _, err := office.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	other, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	draft := int64(3) // the sample's Đồng Bành draft
	uid := uidOf(t, office, draft)
	if _, err := laptop.TakeBatch(ctx, readBatch(t, office, true), TakeOptions{Synced: true}); err != nil {
		t.Fatal(err)
	}
	edit := func(s *Store, note string) {
		t.Helper()
		snap, err := s.Load(ctx, "dong-banh", 0, DefaultLayer)
		if err != nil {
			t.Fatal(err)
		}
		f := snap.Layer(DefaultLayer).Features[1]
		f.Properties = withoutKeys(f.Properties)
		f.Properties["ghiChu"] = note
		if _, err := s.Apply(ctx, ApplyRequest{Dossier: draft, Features: []gis.Feature{f}}); err != nil {
			t.Fatal(err)
		}
	}
	edit(laptop, "sửa trên máy cán bộ")
	mine := dossierDump(t, laptop, localID(t, laptop, uid))
	res, err := laptop.TakeBatch(ctx, readBatch(t, office, true), TakeOptions{Synced: true})
	if err != nil || res.Changed() {
		t.Fatalf("a pull with nothing new: %+v %v", res, err)
	}
	if dossierDump(t, laptop, localID(t, laptop, uid)) != mine {
		t.Fatal("the pull overwrote the officer's edits")
	}
	edit(office, "sửa ở văn phòng")
	_, err = laptop.TakeBatch(ctx, readBatch(t, office, true), TakeOptions{Synced: true})
	var de *DivergedError
	if !errors.As(err, &de) || de.Dossier != draft || de.Seq != 0 || !strings.Contains(err.Error(), "edited both here and at the other store") {
		t.Fatalf("edited on both sides: %v", err)
	}
	// a store of the same history that never synced cannot tell whose edit
	// it is: neither side's is taken over the other
	before := dossierDump(t, other, draft)
	_, err = other.TakeBatch(ctx, readBatch(t, office, true), TakeOptions{Synced: true})
	if !errors.As(err, &de) || de.Dossier != draft {
		t.Fatalf("a never-synced store's draft against the office's: %v", err)
	}
	if dossierDump(t, other, draft) != before {
		t.Fatal("a refused pull changed the draft")
	}
}
