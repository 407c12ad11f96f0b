package office

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/office/pgtest"
	"quyhoach/store"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// sampleStore is a new store file with the sample plans and dossiers.
func sampleStore(t testing.TB) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	return s
}

// newOffice makes an office store in a fresh database, opened as the
// superuser; it returns the office and its database's address.
func newOffice(t testing.TB) (*Office, string) {
	t.Helper()
	ctx := context.Background()
	addr := pgtest.DB(t)
	if err := Init(ctx, addr); err != nil {
		t.Fatal(err)
	}
	o, err := Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return o, addr
}

// loaded is an office loaded from a sample store.
func loaded(t testing.TB) (*Office, string, *store.Store) {
	t.Helper()
	s := sampleStore(t)
	o, addr := newOffice(t)
	calls := 0
	if err := o.Load(context.Background(), s, func(done, total int) { calls++ }); err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Error("Load told no progress")
	}
	return o, addr, s
}

// as opens the office of addr as another login.
func as(t testing.TB, addr, user, password string) *Office {
	t.Helper()
	u, _ := url.Parse(addr)
	u.User = url.User(user)
	o, err := connect(context.Background(), u.String(), password)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return o
}

func TestLoadReadsBackTheStoresBundles(t *testing.T) {
	ctx := context.Background()
	o, _, s := loaded(t)
	want, err := s.PlanBundles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := o.Plans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || len(got) == 0 {
		t.Fatalf("%d plans, want %d", len(got), len(want))
	}
	byUID := map[string]*store.PlanBundle{}
	for _, p := range got {
		byUID[p.UID] = p
	}
	dossiers := 0
	for _, w := range want {
		g := byUID[w.UID]
		if g == nil || g.Code != w.Code || g.Name != w.Name || g.Current != w.Current || len(g.Layers) != len(w.Layers) || len(g.Agencies) != len(w.Agencies) {
			t.Fatalf("plan %s: got %+v, want %+v", w.Code, g, w)
		}
		uids, _ := s.VersionUIDs(ctx, w.UID)
		vs, err := o.Versions(ctx, w.UID, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != len(uids) {
			t.Fatalf("plan %s: %d versions, want %d", w.Code, len(vs), len(uids))
		}
		for i, v := range vs {
			sv, err := s.ReadVersionBundle(ctx, uids[i], i > 0)
			if err != nil {
				t.Fatal(err)
			}
			if v.UID != sv.UID || !bytes.Equal(v.Seal, sv.Seal) || !bytes.Equal(v.ItemsHash, sv.ItemsHash) || v.Delta != sv.Delta ||
				len(v.Put) != len(sv.Put) || len(v.Drop) != len(sv.Drop) || len(v.Bodies) != len(sv.Bodies) || len(v.Lineage) != len(sv.Lineage) {
				t.Fatalf("plan %s version %d: office %d put %d drop %d bodies, store %d/%d/%d", w.Code, v.Number, len(v.Put), len(v.Drop), len(v.Bodies), len(sv.Put), len(sv.Drop), len(sv.Bodies))
			}
			// each item as the store holds it, its place too (an import's
			// are after 2^40)
			for j, it := range v.Put {
				if s := sv.Put[j]; it.Feature != s.Feature || it.Layer != s.Layer || !bytes.Equal(it.Body, s.Body) || it.Seq != s.Seq {
					t.Fatalf("plan %s version %d item %d: office %s %s %d, store %s %s %d", w.Code, v.Number, j, it.Feature, it.Layer, it.Seq, s.Feature, s.Layer, s.Seq)
				}
			}
		}
		later, err := o.Versions(ctx, w.UID, len(uids))
		if err != nil || len(later) != 0 {
			t.Fatalf("versions after the last: %d, %v", len(later), err)
		}
		duids, _ := s.DossierUIDs(ctx, w.UID)
		dossiers += len(duids)
	}
	ds, err := o.Dossiers(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != dossiers || dossiers == 0 {
		t.Fatalf("%d dossiers, want %d", len(ds), dossiers)
	}
	for _, d := range ds {
		sb, err := s.ReadDossierBundle(ctx, d.Bundle.UID)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Bundle.Check(); err != nil {
			t.Errorf("dossier %d as the office gives it: %v", d.Number, err)
		}
		b := d.Bundle
		if b.State != sb.State || b.Due != sb.Due || !bytes.Equal(b.Head, sb.Head) || !bytes.Equal(store.ChangesDigest(b.Changes), store.ChangesDigest(sb.Changes)) ||
			len(b.Steps) != len(sb.Steps) || len(b.Links) != len(sb.Links) || len(b.Attachments) != len(sb.Attachments) || len(b.Bodies) != len(sb.Bodies) ||
			b.BaseNumber != sb.BaseNumber || !bytes.Equal(b.OpenBaseSeal, sb.OpenBaseSeal) || d.Rev != 1 || d.Number == 0 {
			t.Errorf("dossier %q: office %+v differs from the store's", b.Title, d)
		}
		for i := range b.Attachments {
			if !bytes.Equal(b.Attachments[i].Data, sb.Attachments[i].Data) {
				t.Errorf("dossier %q: document %s differs", b.Title, b.Attachments[i].Name)
			}
		}
	}
	cur, err := o.Cursor(ctx)
	if err != nil || cur == 0 {
		t.Fatalf("cursor %d, %v", cur, err)
	}
	if ds, err := o.Dossiers(ctx, cur); err != nil || len(ds) != 0 {
		t.Fatalf("dossiers after the cursor: %d, %v", len(ds), err)
	}
}

func TestInitAndOpenRefuse(t *testing.T) {
	ctx := context.Background()
	_, addr := newOffice(t)
	if err := Init(ctx, addr); err == nil || !strings.Contains(err.Error(), "already holds an office store") {
		t.Errorf("init twice: %v", err)
	}
	other := pgtest.DB(t)
	o, err := connect(ctx, other, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := o.pool.Exec(ctx, "CREATE TABLE parcels (id int)"); err != nil {
		t.Fatal(err)
	}
	o.Close()
	if err := Init(ctx, other); err == nil || !strings.Contains(err.Error(), "is not empty (public.parcels)") {
		t.Errorf("init over another database: %v", err)
	}
	if _, err := Open(ctx, other); err == nil || !strings.Contains(err.Error(), "holds no office store") {
		t.Errorf("open a database without an office: %v", err)
	}
	u, _ := url.Parse(addr)
	u.User = url.UserPassword("postgres", "secret")
	for _, a := range []string{u.String(), strings.Replace(addr, "sslmode", "password=x&sslmode", 1), "host=127.0.0.1 password=x"} {
		if _, err := Open(ctx, a); err == nil || !strings.Contains(err.Error(), "carries a password") || strings.Contains(err.Error(), "secret") {
			t.Errorf("open %s: %v", Redact(a), err)
		}
	}
	if _, err := Open(ctx, "office.db"); err == nil || strings.Count(err.Error(), "\n") > 0 {
		t.Errorf("open a file name: %v", err)
	}
}

// draft makes a new draft dossier with a document in the store and returns
// its id and uid.
func draft(t testing.TB, s *store.Store, plan string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	id, err := s.CreateDossier(ctx, store.NewDossier{Plan: plan, Kind: store.Local, Title: "Điều chỉnh lô thử", Reason: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, id, "to_trinh", "to-trinh.pdf", []byte("%PDF-1.4 tờ trình")); err != nil {
		t.Fatal(err)
	}
	d, err := s.Dossier(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return id, d.UID
}

func TestPushNewThenUpdatedThenConflictAndIdempotent(t *testing.T) {
	ctx := context.Background()
	o, _, s := loaded(t)
	plans, _ := s.Plans(ctx)
	id, uid := draft(t, s, plans[0].Code)
	b, err := s.ReadDossierBundle(ctx, uid)
	if err != nil {
		t.Fatal(err)
	}
	res, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b}}})
	if err != nil {
		t.Fatal(err)
	}
	first := res.Dossiers[0]
	if first.State != "new" || first.Number == 0 || first.Rev != 1 || res.Cursor == 0 {
		t.Fatalf("first push: %+v", res)
	}
	again, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b}}})
	if err != nil || again.Dossiers[0].State != "up to date" || again.Dossiers[0].Rev != 1 || again.Cursor != res.Cursor {
		t.Fatalf("the same push again: %+v, %v", again, err)
	}
	// a second document: the dossier moves on from rev 1
	if _, err := s.Attach(ctx, id, "thuyet_minh", "thuyet-minh.pdf", []byte("%PDF-1.4 thuyết minh")); err != nil {
		t.Fatal(err)
	}
	b2, _ := s.ReadDossierBundle(ctx, uid)
	res2, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b2, BaseRev: 1}}})
	if err != nil || res2.Dossiers[0].State != "updated" || res2.Dossiers[0].Rev != 2 || res2.Dossiers[0].Number != first.Number {
		t.Fatalf("push of a new document: %+v, %v", res2, err)
	}
	got, _ := o.Dossiers(ctx, res.Cursor)
	if len(got) != 1 || len(got[0].Bundle.Attachments) != 2 || got[0].Rev != 2 {
		t.Fatalf("pull after the update: %+v", got)
	}
	// another replica, still at rev 1, attached something else
	if _, err := s.Attach(ctx, id, "ban_ve", "ban-ve.pdf", []byte("%PDF-1.4 bản vẽ")); err != nil {
		t.Fatal(err)
	}
	b3, _ := s.ReadDossierBundle(ctx, uid)
	_, err = o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b3, BaseRev: 1}}})
	var ce *ConflictError
	if !errors.As(err, &ce) || ce.Rev != 2 || !strings.Contains(err.Error(), "changed at the office since your last pull (by postgres") ||
		!strings.Contains(err.Error(), "pull, then push again") {
		t.Fatalf("stale push: %v", err)
	}
	// a chain that is not the office's continued: a conflict too, whatever the rev
	b4 := *b3
	b4.Links = b3.Links[:len(b3.Links)-2]
	if _, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: &b4, BaseRev: 2}}}); err == nil {
		t.Fatal("a shorter chain was taken")
	}
	// retried after a cut connection: the push that landed is up to date
	if r, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b2, BaseRev: 1}}}); err != nil || r.Dossiers[0].State != "up to date" || r.Dossiers[0].Rev != 2 {
		t.Fatalf("retry: %+v, %v", r, err)
	}
}

// snapshot is what the office holds, counted.
func snapshot(t testing.TB, o *Office) string {
	t.Helper()
	var out []string
	for _, tbl := range []string{"plan", "version", "version_item", "body", "dossier", "dossier_change", "transition", "attachment", "dossier_link", "change_log"} {
		var n int64
		if err := o.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+tbl).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, tbl+"="+strconv.FormatInt(n, 10))
	}
	var revs string
	_ = o.pool.QueryRow(context.Background(), "SELECT coalesce(string_agg(uid || ':' || rev || ':' || state, ',' ORDER BY uid), '') FROM dossier").Scan(&revs)
	return strings.Join(out, " ") + " " + revs
}

func TestPushRefusedMidwayLeavesTheOfficeAsBefore(t *testing.T) {
	ctx := context.Background()
	o, _, s := loaded(t)
	plans, _ := s.Plans(ctx)
	_, uid := draft(t, s, plans[0].Code)
	good, _ := s.ReadDossierBundle(ctx, uid)
	before := snapshot(t, o)
	// a good new dossier, then one whose document was altered
	_, uid2 := draft(t, s, plans[1].Code)
	bad, _ := s.ReadDossierBundle(ctx, uid2)
	bad.Attachments[0].Data = []byte("altered")
	_, err := o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: good}, {Bundle: bad}}})
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("altered document: %v", err)
	}
	if after := snapshot(t, o); after != before {
		t.Fatalf("a refused push changed the office:\n%s\n%s", before, after)
	}
	// a version whose seal does not come out, after the good dossier
	vs, _ := o.Versions(ctx, plans[0].UID, 0)
	v := *vs[len(vs)-1]
	v.UID, v.Number, v.Parent, v.Delta, v.Put, v.Drop = "0000-fake", v.Number+1, v.UID, true, nil, nil
	_, err = o.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: good}}, Versions: []*store.VersionBundle{&v}})
	if err == nil || !strings.Contains(err.Error(), "does not match its seal") {
		t.Fatalf("a version with a wrong seal: %v", err)
	}
	if after := snapshot(t, o); after != before {
		t.Fatalf("a refused push changed the office:\n%s\n%s", before, after)
	}
	// a version that does not follow the current one
	v2 := *vs[0]
	v2.UID = "0000-stale"
	if _, err := o.Push(ctx, PushRequest{Versions: []*store.VersionBundle{&v2}}); err == nil {
		t.Fatal("a version beside the current one was taken")
	}
}

func TestRolesAreRefusedWhatTheyMayNotDo(t *testing.T) {
	ctx := context.Background()
	o, addr, s := loaded(t)
	for _, u := range []struct{ name, role string }{{"officer1", "officer"}, {"officer2", "officer"}, {"reviewer1", "reviewer"}, {"approver1", "approver"}} {
		if err := o.AddUser(ctx, u.name, u.role, "pw-"+u.name+"-long"); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.AddUser(ctx, "officer1", "officer", "another-long"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("user twice: %v", err)
	}
	if err := o.AddUser(ctx, "x", "boss", "long-enough"); err == nil || !strings.Contains(err.Error(), "role \"boss\"") {
		t.Errorf("unknown role: %v", err)
	}
	if err := o.AddUser(ctx, "y", "officer", "short"); err == nil {
		t.Error("a short password was taken")
	}
	users, _ := o.Users(ctx) // roles are the server's: other tests' logins are there too
	found := map[User]bool{}
	for _, u := range users {
		found[u] = true
	}
	if !found[User{"officer1", "officer"}] || !found[User{"reviewer1", "reviewer"}] || !found[User{"approver1", "approver"}] {
		t.Errorf("users %+v", users)
	}
	u, _ := url.Parse(addr)
	u.User = url.User("officer1")
	if _, err := connect(ctx, u.String(), "wrong-password"); err == nil || !strings.Contains(err.Error(), "password authentication failed") {
		t.Errorf("a wrong password: %v", err)
	}
	officer := as(t, addr, "officer1", "pw-officer1-long")
	officer2 := as(t, addr, "officer2", "pw-officer2-long")
	reviewer := as(t, addr, "reviewer1", "pw-reviewer1-long")
	approver := as(t, addr, "approver1", "pw-approver1-long")

	plans, _ := s.Plans(ctx)
	mine, uid := draft(t, s, plans[0].Code)
	b, _ := s.ReadDossierBundle(ctx, uid)
	res, err := officer.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b}}})
	if err != nil {
		t.Fatalf("an officer pushes a draft: %v", err)
	}
	var owner string
	_ = o.pool.QueryRow(ctx, "SELECT owner FROM dossier WHERE uid = $1", uid).Scan(&owner)
	if owner != "officer1" {
		t.Errorf("owner %q", owner)
	}
	refused := func(who *Office, what, sql string, args ...any) {
		t.Helper()
		_, err := who.pool.Exec(ctx, sql, args...)
		if err == nil {
			t.Errorf("%s: %s was allowed", who.user, what)
		} else if !strings.Contains(err.Error(), "permission denied") && !strings.Contains(err.Error(), "row-level security") &&
			!strings.Contains(err.Error(), "immutable") && !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %s refused for another reason: %v", who.user, what, err)
		}
	}
	insertStep := `INSERT INTO transition (dossier, from_state, to_state, at, changes, version_seal, prev_hash, hash) VALUES ($1, $2, $3, '2026-01-01', '', '', '', '')`
	refused(officer, "record an appraisal", insertStep, uid, "submitted", "appraising")
	refused(officer, "record an approval", insertStep, uid, "appraised", "approved")
	refused(officer2, "submit another's dossier", insertStep, uid, "draft", "submitted")
	refused(reviewer, "record an approval", insertStep, uid, "appraised", "approved")
	refused(reviewer, "publish", insertStep, uid, "approved", "published")
	refused(approver, "record an appraisal", insertStep, uid, "submitted", "appraising")
	refused(officer, "make a version", "INSERT INTO version (uid, plan, number, created, source, items_hash, seal) VALUES ('x', $1, 99, '', 'import', '', '')", plans[0].UID)
	refused(reviewer, "move a plan's current version", "UPDATE plan SET current = NULL WHERE uid = $1", plans[0].UID)
	refused(officer, "add a plan", "INSERT INTO plan (uid, code, name, level, scale, created) VALUES ('p', 'p', 'p', 'zoning', 500, '')")
	for _, who := range []*Office{officer, reviewer, approver, o} {
		refused(who, "rewrite a step", "UPDATE transition SET note = 'x'")
		refused(who, "delete a step", "DELETE FROM transition")
		refused(who, "alter a body", "UPDATE body SET geojson = '{}'")
		refused(who, "delete a version's items", "DELETE FROM version_item")
		refused(who, "alter a document", "UPDATE attachment SET data = 'x'")
		refused(who, "rewrite the chain", "DELETE FROM dossier_link")
	}
	// another officer cannot touch officer1's dossier: the row is not theirs
	if tag, err := officer2.pool.Exec(ctx, "UPDATE dossier SET rev = rev + 1, state = 'withdrawn' WHERE uid = $1", uid); err == nil && tag.RowsAffected() != 0 {
		t.Error("officer2 changed officer1's dossier")
	}
	// and Push says who may not do what, on one line
	vs, _ := o.Versions(ctx, plans[0].UID, 0)
	_, err = officer.Push(ctx, PushRequest{Versions: []*store.VersionBundle{{UID: "v-x", PlanUID: plans[0].UID, Number: len(vs) + 1, Parent: vs[len(vs)-1].UID}}})
	if err == nil {
		t.Fatal("an officer made a version")
	}
	// officer2 sends a document for officer1's dossier: refused, nothing kept
	if _, err := s.Attach(ctx, mine, "y_kien", "y-kien.pdf", []byte("%PDF-1.4 ý kiến")); err != nil {
		t.Fatal(err)
	}
	b, _ = s.ReadDossierBundle(ctx, uid)
	before := snapshot(t, o)
	var re *RefusedError
	if _, err := officer2.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b, BaseRev: res.Dossiers[0].Rev}}}); !errors.As(err, &re) || re.User != "officer2" {
		t.Errorf("officer2 pushed over officer1's dossier: %v", err)
	}
	if snapshot(t, o) != before {
		t.Error("a refused push changed the office")
	}
	if _, err := officer.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b, BaseRev: res.Dossiers[0].Rev}}}); err != nil {
		t.Errorf("officer1 pushes a document for their dossier: %v", err)
	}
	// reviewers and approvers do not open dossiers
	_, uid2 := draft(t, s, plans[1].Code)
	b2, _ := s.ReadDossierBundle(ctx, uid2)
	for _, who := range []*Office{reviewer, approver} {
		if _, err := who.Push(ctx, PushRequest{Dossiers: []PushDossier{{Bundle: b2}}}); !errors.As(err, &re) || !strings.Contains(err.Error(), "row-level security") {
			t.Errorf("%s opened a dossier: %v", who.User(), err)
		}
	}
}

// TestPublishedViewsWithOgrinfo: GDAL reads each plan's published lots with
// the plan's feature count, and areas equal to the store's official areas.
func TestPublishedViewsWithOgrinfo(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		if pgtest.InCI() {
			t.Fatal("ogrinfo is missing (gdal-bin)")
		}
		t.Skip("no ogrinfo")
	}
	ctx := context.Background()
	o, addr, s := loaded(t)
	c := pgtest.Start(t)
	u, _ := url.Parse(addr)
	db := strings.TrimPrefix(u.Path, "/")
	plans, _ := s.Plans(ctx)
	for _, p := range plans {
		snap, err := s.LoadGrid(ctx, p.Code, 0, "ChucNangSuDungDat_A")
		if err != nil {
			t.Fatal(err)
		}
		lots := snap.Layer("ChucNangSuDungDat_A")
		if lots == nil {
			continue
		}
		var view string
		if err := o.pool.QueryRow(ctx, "SELECT view FROM layer l JOIN plan p ON p.uid = l.plan WHERE p.code = $1 AND l.name = 'ChucNangSuDungDat_A'", p.Code).Scan(&view); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ogrinfo", "-ro", "-so", "PG:"+c.Params(db, "postgres"), "published."+view).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v: %s", err, out)
		}
		m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(out)
		if m == nil || string(m[1]) != strconv.Itoa(len(lots.Features)) {
			t.Fatalf("plan %s: ogrinfo says %q, the store has %d lots:\n%s", p.Code, m, len(lots.Features), out)
		}
		if !bytes.Contains(out, []byte("9215")) || !bytes.Contains(out, []byte("maDoiTuong: String")) || !bytes.Contains(out, []byte("area_m2: Real")) {
			t.Errorf("ogrinfo's schema:\n%s", out)
		}
		rows, err := o.pool.Query(ctx, "SELECT feature_id, area_m2 FROM published."+view)
		if err != nil {
			t.Fatal(err)
		}
		areas := map[string]float64{}
		for rows.Next() {
			var id string
			var a float64
			if err := rows.Scan(&id, &a); err != nil {
				t.Fatal(err)
			}
			areas[id] = a
		}
		rows.Close()
		for _, f := range lots.Features {
			want := gis.Area(f.Geometry)
			if got, ok := areas[f.ID]; !ok || got-want > 0.01 || want-got > 0.01 {
				t.Fatalf("plan %s lot %s: area %.4f at the office, %.4f in the store", p.Code, f.ID, got, want)
			}
		}
	}
}
