package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"quyhoach/assets"
	"quyhoach/gis"
)

// twinStores are two store files of one history: the sample plans
// installed once, the file copied (VACUUM INTO), as an officer's laptop
// and the board's store share the plans they started from.
func twinStores(t testing.TB) (a, b *Store) {
	t.Helper()
	ctx := context.Background()
	a = openTemp(t)
	if err := a.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "b.db")
	if _, err := a.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	b.Now = func() time.Time { now = now.Add(time.Minute); return now }
	return a, b
}

// officerDossier opens a dossier on plan code in s that modifies two lots
// (one naming the other as its parent), attaches a document and submits.
func officerDossier(t testing.TB, s *Store, code string) int64 {
	t.Helper()
	ctx := context.Background()
	snap, err := s.Load(ctx, code, 0, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	lots := snap.Layer(DefaultLayer).Features
	id, err := s.CreateDossier(ctx, NewDossier{Plan: code, Kind: Local, Title: "Điều chỉnh chiều cao lô " + lots[0].String("maDoiTuong"), Reason: "thử gửi hồ sơ"})
	if err != nil {
		t.Fatal(err)
	}
	a, b := lots[0], lots[1]
	a.Properties = withoutKeys(a.Properties)
	a.Properties["tangCaoMax"] = float64(7)
	b.Properties = withoutKeys(b.Properties)
	b.Properties["tangCaoMax"] = float64(4)
	b.Properties["parents"] = []any{lots[2].ID}
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: id, Features: []gis.Feature{a, b}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Attach(ctx, id, "to_trinh", "to-trinh.pdf", []byte("%PDF-1.4 tờ trình\x00\x01")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Advance(ctx, id, Step{Action: "submit", DocNo: "7/TTr-BQL", DocDate: "2026-11-20", By: "officer", AckWarnings: true}); err != nil {
		t.Fatal(err)
	}
	return id
}

// dossierDump is everything of a dossier that travels, as stored, with
// the local numbers left out: two stores hold the same dossier when their
// dumps are equal.
func dossierDump(t testing.TB, s *Store, id int64) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	queries := []string{
		`SELECT d.uid, p.uid, d.kind, v.seal, d.title, d.reason, d.code, d.state, d.created, d.due, coalesce(av.seal, x'')
			FROM dossier d JOIN plan p ON p.id = d.plan_id JOIN version v ON v.id = d.base_version_id
			LEFT JOIN version av ON av.id = d.approved_version_id WHERE d.id = ?`,
		`SELECT c.feature_id, l.name, c.op, c.parents, coalesce(b.hash, x''), coalesce(b.geojson, ''), coalesce(g.geom, x'')
			FROM dossier_change c JOIN layer l ON l.id = c.layer_id LEFT JOIN body b ON b.id = c.body_id
			LEFT JOIN body_geom g ON g.body_id = c.body_id WHERE c.dossier_id = ? ORDER BY c.feature_id`,
		`SELECT from_state, to_state, at, by, doc_no, doc_date, note, due, agency, signer, changes, version_seal, prev_hash, hash
			FROM transition WHERE dossier_id = ? ORDER BY id`,
		`SELECT seq, kind, content, prev, hash FROM dossier_link WHERE dossier_id = ? ORDER BY seq`,
		`SELECT kind, name, size, sha256, data, added FROM attachment WHERE dossier_id = ? ORDER BY id`,
	}
	for _, q := range queries {
		rows, err := s.db.QueryContext(ctx, q, id)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%q\n", vals)
			n++
		}
		rows.Close()
		fmt.Fprintf(&b, "-- %d rows\n", n)
	}
	return b.String()
}

func mustPack(t testing.TB, s *Store, id int64, path string) PackResult {
	t.Helper()
	res, err := s.PackDossier(context.Background(), id, path, PackOptions{Author: "Nguyễn Văn Cán bộ"})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustUnpack(t testing.TB, s *Store, path string) UnpackResult {
	t.Helper()
	res, err := s.UnpackDossier(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustVerify(t testing.TB, s *Store) {
	t.Helper()
	v, err := s.Verify(context.Background(), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range v.Findings {
		t.Errorf("verify: %s", f)
	}
}

func uidOf(t testing.TB, s *Store, id int64) string {
	t.Helper()
	d, err := s.Dossier(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d.UID
}

func localID(t testing.TB, s *Store, uid string) int64 {
	t.Helper()
	var id int64
	if err := s.db.QueryRow("SELECT id FROM dossier WHERE uid = ?", uid).Scan(&id); err != nil {
		t.Fatalf("dossier %s: %v", uid, err)
	}
	return id
}

// TestPackUnpack: a dossier packed in one store and unpacked in another is
// the same dossier there — record, change set with lineage and bodies,
// timeline with its chain, documents — byte for byte; the same package
// again changes nothing; a later package appends its new steps.
func TestPackUnpack(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	// a dossier the two stores already share is up to date
	shared := filepath.Join(t.TempDir(), "shared.gpkg")
	mustPack(t, a, 2, shared)
	if res := mustUnpack(t, b, shared); res.Status != UnpackUpToDate || res.Dossier != 2 {
		t.Fatalf("shared dossier: %+v", res)
	}
	// a number taken in b first: local numbers differ, the uid matches
	if _, err := b.CreateDossier(ctx, NewDossier{Plan: "chi-ma", Kind: Local, Title: "hồ sơ của bên nhận"}); err != nil {
		t.Fatal(err)
	}
	id := officerDossier(t, a, "huu-nghi")
	dir := t.TempDir()
	p1 := filepath.Join(dir, "hồ sơ #1.gpkg")
	pr := mustPack(t, a, id, p1)
	if pr.Changes != 2 || pr.Steps != 1 || pr.Attachments != 1 || len(pr.Layers) != 1 {
		t.Fatalf("packed %+v", pr)
	}
	res := mustUnpack(t, b, p1)
	if res.Status != UnpackNew || res.Steps != 1 || res.Attachments != 1 || res.Changes != 2 || res.State != Submitted || res.Author != "Nguyễn Văn Cán bộ" {
		t.Fatalf("unpacked %+v", res)
	}
	if res.Dossier == id || res.NeedsRebase() {
		t.Fatalf("unpacked as %d (sent as %d), needs rebase %v", res.Dossier, id, res.NeedsRebase())
	}
	if got, want := dossierDump(t, b, res.Dossier), dossierDump(t, a, id); got != want {
		t.Fatalf("the dossier differs between the stores:\n%s\nwant\n%s", got, want)
	}
	mustVerify(t, b)
	// the same package again: nothing changes
	before := dossierDump(t, b, res.Dossier)
	var journal int
	b.db.QueryRow("SELECT count(*) FROM plan_link").Scan(&journal)
	if again := mustUnpack(t, b, p1); again.Status != UnpackUpToDate || again.Dossier != res.Dossier {
		t.Fatalf("again: %+v", again)
	}
	var journal2 int
	b.db.QueryRow("SELECT count(*) FROM plan_link").Scan(&journal2)
	if dossierDump(t, b, res.Dossier) != before || journal2 != journal {
		t.Fatal("unpacking the same package again changed the store")
	}
	// more steps and a document in a: the later package appends them
	if _, err := a.Advance(ctx, id, Step{Action: "appraise", By: "Sở Xây dựng"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Attach(ctx, id, "y_kien", "y-kien.pdf", []byte("ý kiến")); err != nil {
		t.Fatal(err)
	}
	p2 := filepath.Join(dir, "p2.gpkg")
	mustPack(t, a, id, p2)
	res2 := mustUnpack(t, b, p2)
	if res2.Status != UnpackAppended || res2.Steps != 1 || res2.Attachments != 1 || res2.State != Appraising || res2.Dossier != res.Dossier {
		t.Fatalf("appended %+v", res2)
	}
	if got, want := dossierDump(t, b, res.Dossier), dossierDump(t, a, id); got != want {
		t.Fatalf("after appending, the dossier differs:\n%s\nwant\n%s", got, want)
	}
	mustVerify(t, b)
	// the older package after the newer: up to date, b is ahead
	if old := mustUnpack(t, b, p1); old.Status != UnpackUpToDate || old.Ahead != 2 {
		t.Fatalf("older package: %+v", old)
	}
	// b records a step, a records another: the chains part, refused
	if _, err := b.Advance(ctx, res.Dossier, Step{Action: "appraised", DocNo: "9/BC-SXD", By: "reviewer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Advance(ctx, id, Step{Action: "return", Note: "bổ sung hồ sơ", By: "reviewer"}); err != nil {
		t.Fatal(err)
	}
	p3 := filepath.Join(dir, "p3.gpkg")
	mustPack(t, a, id, p3)
	before = dossierDump(t, b, res.Dossier)
	_, err := b.UnpackDossier(ctx, p3)
	var pe *PackageError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "recorded on both sides") {
		t.Fatalf("diverged chains: %v", err)
	}
	if dossierDump(t, b, res.Dossier) != before {
		t.Fatal("a refused package changed the store")
	}
	// the package unpacked where it was made is up to date
	if own := mustUnpack(t, a, p3); own.Status != UnpackUpToDate || own.Dossier != id {
		t.Fatalf("own package: %+v", own)
	}
}

// TestUnpackDraftUpdates: a draft sent again after more editing brings
// its new change set (a draft's changes are not sealed by a step).
func TestUnpackDraftUpdates(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	dir := t.TempDir()
	// the sample's Đồng Bành draft, edited in a
	snap, err := a.Load(ctx, "dong-banh", 0, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	f := snap.Layer(DefaultLayer).Features[0]
	f.Properties = withoutKeys(f.Properties)
	f.Properties["tenDoiTuong"] = "lô sửa trên máy cán bộ"
	if _, err := a.Apply(ctx, ApplyRequest{Dossier: 3, Features: []gis.Feature{f}}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "draft.gpkg")
	mustPack(t, a, 3, p)
	res := mustUnpack(t, b, p)
	if res.Status != UnpackUpdated || res.State != Draft {
		t.Fatalf("draft: %+v", res)
	}
	if got, want := dossierDump(t, b, 3), dossierDump(t, a, 3); got != want {
		t.Fatalf("the draft differs:\n%s\nwant\n%s", got, want)
	}
	if again := mustUnpack(t, b, p); again.Status != UnpackUpToDate {
		t.Fatalf("again: %+v", again)
	}
	mustVerify(t, b)
}

// TestUnpackRefusals: a file that is not a package, a package whose plan
// or base is not here, a body, a step, a link or a change set altered:
// each refused with its reason, the store as it was.
func TestUnpackRefusals(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	dir := t.TempDir()
	id := officerDossier(t, a, "huu-nghi")
	good := filepath.Join(dir, "good.gpkg")
	mustPack(t, a, id, good)
	fingerprint := func() string {
		var n, l, c int
		b.db.QueryRow("SELECT count(*) FROM dossier").Scan(&n)
		b.db.QueryRow("SELECT count(*) FROM plan_link").Scan(&l)
		b.db.QueryRow("SELECT count(*) FROM body").Scan(&c)
		return fmt.Sprint(n, l, c)
	}
	start := fingerprint()
	altered := func(name, stmt string) string {
		p := filepath.Join(dir, name+".gpkg")
		data, err := os.ReadFile(good)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(stmt); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("không phải hồ sơ\n"), 0o644)
	plain := filepath.Join(dir, "plain.gpkg")
	snap, err := a.LoadGrid(ctx, "huu-nghi", 0, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteGeoPackage(ctx, plain, snap.Layers, 9215); err != nil {
		t.Fatal(err)
	}
	// a's Chi Ma moves on (b does not see it): a dossier on a's new version
	if _, err := a.Advance(ctx, 2, Step{Action: "appraised", DocNo: "5/BC-SXD", By: "reviewer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Advance(ctx, 2, Step{Action: "approve", DocNo: "88/QĐ-UBND", DocDate: "2026-11-25", By: "ubnd"}); err != nil {
		t.Fatal(err)
	}
	onNew := officerDossier(t, a, "chi-ma")
	unknownBase := filepath.Join(dir, "unknown-base.gpkg")
	mustPack(t, a, onNew, unknownBase)
	approved := filepath.Join(dir, "approved.gpkg")
	mustPack(t, a, 2, approved)
	for _, c := range []struct{ name, path, want string }{
		{"missing", filepath.Join(dir, "none.gpkg"), "none.gpkg: no such file"},
		{"text", text, "notes.txt: not a dossier package (not a GeoPackage)"},
		{"plain geopackage", plain, "plain.gpkg: not a dossier package (a GeoPackage without a quyhoach dossier in it)"},
		{"unknown base", unknownBase, "its base, version 2 of plan chi-ma"},
		{"approved elsewhere", approved, "approved in another store"},
		{"tampered body", altered("body", `UPDATE quyhoach_body SET geojson = replace(geojson, '"tangCaoMax":7', '"tangCaoMax":70')`), "does not match its sha256: the package was altered"},
		{"tampered step", altered("step", `UPDATE quyhoach_step SET doc_no = '8/TTr-BQL'`), "was altered after it was sealed"},
		{"tampered link", altered("link", `UPDATE quyhoach_link SET hash = '00' || substr(hash, 3) WHERE seq = 2`), "the dossier's chain does not verify at link 2 of 3"},
		{"tampered document", altered("doc", `UPDATE quyhoach_attachment SET data = x'00'`), "document to-trinh.pdf does not match its sha256"},
		{"tampered record", altered("record", `UPDATE quyhoach_package SET value = 'tiêu đề khác' WHERE key = 'title'`), "is not the one its chain opened with"},
		{"tampered change set", altered("changes", `UPDATE quyhoach_change SET parents = '[]'`), "its change set is not the one sealed at its last step"},
	} {
		_, err := b.UnpackDossier(ctx, c.path)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: got %v, want …%s…", c.name, err, c.want)
		}
		if got := fingerprint(); got != start {
			t.Errorf("%s: the store changed (%s → %s)", c.name, start, got)
		}
	}
	mustVerify(t, b)
	// a store of other plans (the samples installed anew: new global ids)
	c := openTemp(t)
	if err := c.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UnpackDossier(ctx, good); err == nil || !strings.Contains(err.Error(), "good.gpkg: its plan huu-nghi (") || !strings.Contains(err.Error(), ") is not in this store") {
		t.Errorf("unknown plan: %v", err)
	}
	// a good package still goes in after all that
	if res := mustUnpack(t, b, good); res.Status != UnpackNew {
		t.Fatalf("good: %+v", res)
	}
}

// TestUnpackNeedsRebase: a dossier whose plan moved on here arrives marked
// as needing a rebase, with the lots both sides changed; the store's own
// rebase settles it.
func TestUnpackNeedsRebase(t *testing.T) {
	ctx := context.Background()
	a, b := twinStores(t)
	// b approves the Chi Ma dossier, which changes DV-08 among others
	if _, err := b.Advance(ctx, 2, Step{Action: "appraised", DocNo: "5/BC-SXD", By: "reviewer"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Advance(ctx, 2, Step{Action: "approve", DocNo: "88/QĐ-UBND", DocDate: "2026-11-25", By: "ubnd"}); err != nil {
		t.Fatal(err)
	}
	// a's officer changes DV-08 too, on version 1
	snap, err := a.Load(ctx, "chi-ma", 1, DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	var dv gis.Feature
	for _, f := range snap.Layer(DefaultLayer).Features {
		if f.String("maDoiTuong") == "DV-08" {
			dv = f
		}
	}
	id, err := a.CreateDossier(ctx, NewDossier{Plan: "chi-ma", Base: 1, Kind: Local, Title: "Điều chỉnh DV-08"})
	if err != nil {
		t.Fatal(err)
	}
	dv.Properties = withoutKeys(dv.Properties)
	dv.Properties["tangCaoMax"] = float64(3)
	if _, err := a.Apply(ctx, ApplyRequest{Dossier: id, Features: []gis.Feature{dv}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Advance(ctx, id, Step{Action: "submit", DocNo: "3/TTr-BQL", DocDate: "2026-11-26", By: "officer", AckWarnings: true}); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "dv08.gpkg")
	mustPack(t, a, id, p)
	res := mustUnpack(t, b, p)
	if !res.NeedsRebase() || res.Base != 1 || res.Current != 2 || len(res.Conflicts) != 1 || res.Conflicts[0].Code != "DV-08" {
		t.Fatalf("unpacked %+v", res)
	}
	cs, err := b.Conflicts(ctx, res.Dossier)
	if err != nil || len(cs) != 1 {
		t.Fatalf("conflicts %v %v", cs, err)
	}
	mustVerify(t, b)
	d, err := b.Rebase(ctx, res.Dossier, Resolution{Default: "ours"}, "reviewer")
	if err != nil || d.Base != 2 {
		t.Fatalf("rebase: %+v %v", d, err)
	}
	mustVerify(t, b)
	// sent back, the rebased dossier appends its rebase step in a (whose
	// Chi Ma lacks version 2: refused there with the reason)
	back := filepath.Join(t.TempDir(), "back.gpkg")
	mustPack(t, b, res.Dossier, back)
	if _, err := a.UnpackDossier(ctx, back); err == nil || !strings.Contains(err.Error(), "is not in this store") {
		t.Fatalf("back to a: %v", err)
	}
}

// TestPackageOpensInGDAL: ogrinfo lists the package's lots layer with one
// feature per change, and the quyhoach tables as attribute tables.
func TestPackageOpensInGDAL(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed (gdal-bin)")
	}
	a, _ := twinStores(t)
	p := filepath.Join(t.TempDir(), "chi-ma.gpkg")
	mustPack(t, a, 2, p) // 2 added, 1 deleted, 2 modified
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", p).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	s := string(out)
	layers := map[string]string{}
	for _, block := range strings.Split(s, "Layer name: ")[1:] {
		name, rest, _ := strings.Cut(block, "\n")
		layers[name] = rest
	}
	for name, want := range map[string][]string{
		"ChucNangSuDungDat_A": {"Geometry: Polygon\nFeature Count: 5\n", "change_kind: String", "change_parents: String", "maDoiTuong: String", "VN-2000"},
		"quyhoach_package":    {"Geometry: None\n"},
		"quyhoach_body":       {"Geometry: None\nFeature Count: 4\n"},
		"quyhoach_change":     {"Geometry: None\nFeature Count: 5\n"},
		"quyhoach_step":       {"Geometry: None\nFeature Count: 2\n"},
		"quyhoach_link":       {"Geometry: None\nFeature Count: 4\n"},
		"quyhoach_attachment": {"Geometry: None\nFeature Count: 1\n", "data: Binary"},
	} {
		for _, w := range want {
			if !strings.Contains(layers[name], w) {
				t.Errorf("ogrinfo: layer %s lacks %q:\n%s", name, w, layers[name])
			}
		}
	}
	if strings.Contains(s, "Warning") || strings.Contains(s, "ERROR") {
		t.Errorf("ogrinfo complains:\n%s", s)
	}
	kinds, err := exec.Command("ogrinfo", "-ro", "-q", p, "-sql", "SELECT change_kind, count(*) AS n FROM ChucNangSuDungDat_A GROUP BY change_kind ORDER BY change_kind").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -sql: %v\n%s", err, kinds)
	}
	for _, want := range []string{"change_kind (String) = add\n  n (Integer) = 2", "change_kind (String) = delete\n  n (Integer) = 1", "change_kind (String) = modify\n  n (Integer) = 2"} {
		if !strings.Contains(string(kinds), want) {
			t.Errorf("change kinds lack %q:\n%s", want, kinds)
		}
	}
}
