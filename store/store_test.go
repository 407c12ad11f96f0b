package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// genLots makes n square-ish lots of about 20 vertices each on a grid near
// Đồng Đăng, in WGS84, coded L-0, L-1, …
func genLots(n int, seed uint64) []gis.Feature {
	r := rand.New(rand.NewPCG(seed, 1))
	side := 0.0005 // ≈ 50 m
	cols := 300
	out := make([]gis.Feature, n)
	classes := []string{"ONM", "CN", "CXCC", "GT", "DV"}
	for i := range out {
		x0 := 106.70 + float64(i%cols)*side
		y0 := 21.90 + float64(i/cols)*side
		ring := orb.Ring{}
		// 5 points per edge → 20 vertices, closed
		for e := 0; e < 4; e++ {
			for k := 0; k < 5; k++ {
				t := float64(k) / 5 * side
				var p orb.Point
				switch e {
				case 0:
					p = orb.Point{x0 + t, y0}
				case 1:
					p = orb.Point{x0 + side, y0 + t}
				case 2:
					p = orb.Point{x0 + side - t, y0 + side}
				case 3:
					p = orb.Point{x0, y0 + side - t}
				}
				ring = append(ring, p)
			}
		}
		ring = append(ring, ring[0])
		out[i] = gis.Feature{
			Geometry: orb.Polygon{ring},
			Properties: map[string]any{
				"maDoiTuong":   fmt.Sprintf("L-%d", i),
				"phanLoai":     classes[r.IntN(len(classes))],
				"matDoXayDung": float64(20 + r.IntN(60)),
				"tangCaoMax":   float64(1 + r.IntN(9)),
			},
		}
	}
	return out
}

func openTemp(t testing.TB) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "q.db"), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	s.Now = func() time.Time { now = now.Add(time.Minute); return now }
	return s
}

func mustPlan(t testing.TB, s *Store, code string) {
	t.Helper()
	if err := s.CreatePlan(context.Background(), Plan{Code: code, Name: "Plan " + code, Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
}

func mustImport(t testing.TB, s *Store, req ImportRequest) ImportResult {
	t.Helper()
	res, err := s.Import(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func idsByCode(t *testing.T, s *Store, plan string, number int) map[string]string {
	t.Helper()
	snap, err := s.Load(context.Background(), plan, number)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, l := range snap.Layers {
		for _, f := range l.Features {
			out[f.String("maDoiTuong")] = f.ID
		}
	}
	return out
}

func TestImportLoadRoundTrip(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(50, 1)
	res := mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "ChucNangSuDungDat_A", Features: lots}}, Message: "first"})
	if res.Version.Number != 1 || !res.Version.Current || res.Added != 50 {
		t.Fatalf("got %+v, want version 1 current with 50 added", res)
	}
	snap, err := s.Load(context.Background(), "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	l := snap.Layer("ChucNangSuDungDat_A")
	if l == nil || len(l.Features) != 50 {
		t.Fatalf("loaded %+v", snap.Layers)
	}
	for i, f := range l.Features { // file order kept
		if got, want := f.String("maDoiTuong"), fmt.Sprintf("L-%d", i); got != want {
			t.Fatalf("feature %d: got %s, want %s", i, got, want)
		}
		if len(f.ID) != 36 {
			t.Fatalf("feature %d: id %q is not a UUID", i, f.ID)
		}
		got, want := f.Geometry.(orb.Polygon)[0], lots[i].Geometry.(orb.Polygon)[0]
		for k := range want { // stored to 9 decimals: 0.1 mm
			if math.Abs(got[k][0]-want[k][0]) > 5e-10 || math.Abs(got[k][1]-want[k][1]) > 5e-10 {
				t.Fatalf("feature %d vertex %d: got %v, want %v", i, k, got[k], want[k])
			}
		}
	}
	p, err := s.Plan(context.Background(), "p")
	if err != nil || p.CurrentVersion != 1 {
		t.Fatalf("plan %+v %v", p, err)
	}
}

func TestVersionsImmutable(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "X_A", Features: genLots(5, 1)}}})
	for _, q := range []string{
		"UPDATE item SET body_id = body_id + 1",
		"UPDATE item SET seq = seq + 1",
		"UPDATE item SET since = 2",
		"UPDATE item SET until = 2", // no version 2 is being written
		"DELETE FROM item",
		"UPDATE body SET geojson = '{}'",
		"DELETE FROM body",
		"UPDATE version SET message = 'rewritten'",
		"DELETE FROM version",
		"INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq) SELECT plan_id, 'x', since, layer_id, body_id, 0 FROM item LIMIT 1",
		"INSERT INTO item (plan_id, feature_id, since, layer_id, body_id, seq) SELECT plan_id, 'x', 2, layer_id, body_id, 0 FROM item LIMIT 1",
	} {
		if _, err := s.db.Exec(q); err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: got %v, want an immutability error", q, err)
		}
	}
	if n := count(t, s, "SELECT count(*) FROM version_item"); n != 5 {
		t.Fatalf("got %d items, want 5", n)
	}
	// the version written is sealed and current: none is open to items
	if n := count(t, s, "SELECT count(*) FROM version_open"); n != 0 {
		t.Fatalf("%d versions open to items after the import", n)
	}
}

func TestKeyMatchingKeepsIDs(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(4, 1) // L-0 … L-3
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	v1 := idsByCode(t, s, "p", 1)

	next := genLots(4, 1)
	next[1].Properties["phanLoai"] = "CN-changed"                                // attribute change
	next[2].Geometry.(orb.Polygon)[0][0][0] += 0.00001                           // geometry change
	next[2].Geometry.(orb.Polygon)[0][20] = next[2].Geometry.(orb.Polygon)[0][0] // stays closed
	next = next[:3]                                                              // L-3 removed
	extra := genLots(5, 9)[4]
	extra.Properties["maDoiTuong"] = "NEW-1"
	next = append(next, extra)
	res := mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: next}}})
	if res.Kept != 3 || res.Added != 1 || res.Removed != 1 {
		t.Fatalf("got kept %d added %d removed %d, want 3 1 1", res.Kept, res.Added, res.Removed)
	}
	v2 := idsByCode(t, s, "p", 2)
	for _, code := range []string{"L-0", "L-1", "L-2"} {
		if v1[code] != v2[code] {
			t.Errorf("%s: id changed from %s to %s", code, v1[code], v2[code])
		}
	}
	if _, ok := v2["L-3"]; ok {
		t.Error("L-3 should be gone")
	}
	if v2["NEW-1"] == "" || v2["NEW-1"] == v1["L-3"] {
		t.Errorf("NEW-1 got id %q", v2["NEW-1"])
	}
	// Without a key, a changed feature gets a new id, unchanged ones keep theirs.
	res = mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3, 1)}}})
	v3 := idsByCode(t, s, "p", 3)
	if v3["L-0"] != v1["L-0"] || v3["L-1"] == v1["L-1"] {
		t.Errorf("without key: L-0 %s→%s (want same), L-1 %s→%s (want new)", v1["L-0"], v3["L-0"], v1["L-1"], v3["L-1"])
	}
}

func TestDuplicateKeyRefused(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(3, 1)
	lots[2].Properties["maDoiTuong"] = "L-0"
	_, err := s.Import(context.Background(), ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	if err == nil || !strings.Contains(err.Error(), `feature 2: maDoiTuong "L-0" repeats feature 0's`) {
		t.Fatalf("got %v", err)
	}
	if n := count(t, s, "SELECT count(*) FROM version"); n != 0 {
		t.Fatalf("a refused import left %d versions", n)
	}
}

func TestContentAddressingSharesBodies(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(100, 1)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	lots[7].Properties["phanLoai"] = "DV-2"
	boundary := gis.Feature{Geometry: orb.Polygon{{{106.6, 21.8}, {106.9, 21.8}, {106.9, 22}, {106.6, 22}, {106.6, 21.8}}}}
	res := mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	if res.NewBodies != 1 {
		t.Fatalf("got %d new bodies, want 1", res.NewBodies)
	}
	// A second layer: the land-use layer is carried over, sharing every body.
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "B_A", Features: []gis.Feature{boundary}}}})
	if got := count(t, s, "SELECT count(*) FROM body"); got != 102 {
		t.Errorf("got %d bodies, want 102 (100 + 1 changed + 1 boundary)", got)
	}
	if got := count(t, s, "SELECT count(*) FROM body_bbox"); got != 102 {
		t.Errorf("got %d bboxes, want 102", got)
	}
	if got := count(t, s, "SELECT count(*) FROM version_item"); got != 100+100+101 {
		t.Errorf("got %d version items, want 301", got)
	}
	vs, err := s.Versions(context.Background(), "p")
	if err != nil || len(vs) != 3 || !vs[2].Current || vs[0].Current || vs[2].Features != 101 {
		t.Fatalf("versions %+v %v", vs, err)
	}
	// Re-importing the same content writes nothing.
	res = mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "B_A", Features: []gis.Feature{boundary}}}})
	if !res.Unchanged || res.Version.Number != 3 {
		t.Fatalf("got %+v, want unchanged at version 3", res)
	}
}

func TestLineageRecorded(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(2, 1)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	v1 := idsByCode(t, s, "p", 1)
	a1, a2 := genLots(4, 5)[2], genLots(4, 5)[3]
	a1.Properties["maDoiTuong"], a1.Properties["parents"] = "L-0a", []any{"L-0"}
	a2.Properties["maDoiTuong"], a2.Properties["parents"] = "L-0b", []any{"L-0"}
	mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: []gis.Feature{lots[1], a1, a2}}}})
	snap, err := s.Load(context.Background(), "p", 2)
	if err != nil {
		t.Fatal(err)
	}
	v2 := idsByCode(t, s, "p", 2)
	if _, err := s.db.Exec("UPDATE lineage SET parent_id = 'x'"); err == nil || !strings.Contains(err.Error(), "immutable") {
		t.Errorf("lineage update: got %v", err)
	}
	for _, c := range []string{"L-0a", "L-0b"} {
		if got := snap.Lineage[v2[c]]; len(got) != 1 || got[0] != v1["L-0"] {
			t.Errorf("%s: parents %v, want [%s]", c, got, v1["L-0"])
		}
	}
	bad := genLots(1, 1)
	bad[0].Properties["parents"] = []any{"nowhere"}
	if _, err := s.Import(context.Background(), ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: bad}}}); err == nil || !strings.Contains(err.Error(), `parent "nowhere"`) {
		t.Fatalf("got %v", err)
	}
}

func TestOpenRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, err := Open(ctx, filepath.Join(dir, "none.db"), Options{}); !errors.Is(err, ErrNoFile) {
		t.Errorf("missing file: got %v, want ErrNoFile", err)
	}
	// Another program's SQLite file.
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE t (x); PRAGMA application_id = 42"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, other, Options{}); !errors.Is(err, ErrForeign) {
		t.Errorf("foreign sqlite: got %v, want ErrForeign", err)
	}
	// Not SQLite at all.
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 100)), 0o644)
	if _, err := Open(ctx, text, Options{}); !errors.Is(err, ErrForeign) {
		t.Errorf("text file: got %v, want ErrForeign", err)
	}
	if b, _ := os.ReadFile(text); !strings.HasPrefix(string(b), "not a database") {
		t.Error("the foreign file was changed")
	}
}

func TestMigrationsRunOnOldFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := Open(ctx, path, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3, 1)}}})
	s.Close()

	// A later program with one more migration opens the old file.
	files, _ := fs.Glob(embedded, "migrations/*.sql")
	later := fstest.MapFS{}
	for _, f := range files {
		data, _ := embedded.ReadFile(f)
		later[f] = &fstest.MapFile{Data: data}
	}
	n := len(files) + 1
	later[fmt.Sprintf("migrations/%04d_extra.sql", n)] = &fstest.MapFile{Data: []byte("ALTER TABLE plan ADD COLUMN consultant TEXT NOT NULL DEFAULT 'none';")}
	saved := migrations
	migrations = later
	defer func() { migrations = saved }()
	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, _ := s.SchemaVersion(ctx); v != n {
		t.Fatalf("schema version %d, want %d", v, n)
	}
	if got := count(t, s, "SELECT count(*) FROM plan WHERE consultant = 'none'"); got != 1 {
		t.Fatalf("migrated plan rows: %d", got)
	}
	if got := count(t, s, "SELECT count(*) FROM version_item"); got != 3 {
		t.Fatalf("data lost in migration: %d items", got)
	}
	// And the older program refuses the newer file.
	migrations = saved
	if _, err := Open(ctx, path, Options{}); !errors.Is(err, ErrTooNew) {
		t.Fatalf("got %v, want ErrTooNew", err)
	}
}

func TestVerifyFindsAlteredBody(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(3, 1)}}})
	if v, err := s.Verify(context.Background(), VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("fresh file: %v %v", v.Findings, err)
	}
	// Simulate tampering done outside the program (the trigger stops it inside).
	if _, err := s.db.Exec("DROP TRIGGER body_no_update; UPDATE body SET geojson = geojson || ' ' WHERE id = 2"); err != nil {
		t.Fatal(err)
	}
	v, err := s.Verify(context.Background(), VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// the body's finding names the plan, the version, the lot and its id
	var body *Finding
	for i, f := range v.Findings {
		if f.Check == "body" {
			body = &v.Findings[i]
		}
	}
	if body == nil || body.Plan != "p" || body.Version != 1 || body.Feature == "" || body.Lot == "" || !strings.Contains(body.String(), "content does not match its sha256") {
		t.Fatalf("findings %v", v.Findings)
	}
}

func TestPlanValidation(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for _, tc := range []struct {
		p    Plan
		want string
	}{
		{Plan{Code: "", Name: "x", Level: "zoning", Scale: 2000}, "must be non-empty"},
		{Plan{Code: "a b", Name: "x", Level: "zoning", Scale: 2000}, "without spaces"},
		{Plan{Code: "a", Name: "", Level: "zoning", Scale: 2000}, "name required"},
		{Plan{Code: "a", Name: "x", Level: "regional", Scale: 2000}, `level "regional" is not one of`},
		{Plan{Code: "a", Name: "x", Level: "zoning", Scale: 0}, "scale must be a positive"},
	} {
		if err := s.CreatePlan(ctx, tc.p); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.p, err, tc.want)
		}
	}
	mustPlan(t, s, "a")
	if err := s.CreatePlan(ctx, Plan{Code: "a", Name: "x", Level: "zoning", Scale: 2000}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate code: got %v", err)
	}
	if _, err := s.Load(ctx, "a", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("load of a plan without versions: %v", err)
	}
}

// TestRTreeBulkLoad imports enough lots for the packed R*Tree build, then a
// few more the ordinary way: SQLite's rtreecheck finds both sound and
// queries find exactly the boxes they should.
func TestRTreeBulkLoad(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	lots := genLots(bulkMin+1234, 3)
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	check := func(n int) {
		t.Helper()
		var msg string
		if err := s.db.QueryRow("SELECT rtreecheck('body_bbox')").Scan(&msg); err != nil || msg != "ok" {
			t.Fatalf("rtreecheck: %q %v", msg, err)
		}
		if got := count(t, s, "SELECT count(*) FROM body_bbox"); got != n {
			t.Fatalf("%d boxes, want %d", got, n)
		}
		// Every lot's own centre finds its body (boxes are never too small).
		for _, i := range []int{0, 1, 777, len(lots) - 1} {
			c := lots[i].Geometry.Bound().Center()
			if got := count(t, s, "SELECT count(*) FROM body_bbox WHERE min_lon <= ? AND max_lon >= ? AND min_lat <= ? AND max_lat >= ?", c[0], c[0], c[1], c[1]); got < 1 {
				t.Fatalf("lot %d not found at its centre", i)
			}
		}
	}
	check(len(lots))
	extra := genLots(10, 99)
	for i := range extra {
		extra[i].Properties["maDoiTuong"] = fmt.Sprintf("X-%d", i)
	}
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: append(lots, extra...)}}, Key: "maDoiTuong"})
	check(len(lots) + 10)
	// streamed (how many is not known): a few boxes go in one by one, a
	// large new layer rebuilds the tree; both hold it right
	streamed := func(name string, fs []gis.Feature) LayerSource {
		src := Features(gis.Layer{Name: name, Features: fs})
		src.Count = 0
		return src
	}
	more := genLots(50, 7)
	if _, err := s.ImportFrom(context.Background(), ImportRequest{Plan: "p"}, []LayerSource{streamed("M_A", more)}); err != nil {
		t.Fatal(err)
	}
	bodies := func() int { return count(t, s, "SELECT count(*) FROM body") } // every body has a box here
	check(bodies())
	big := genLots(2*bulkMin+100, 8)
	if _, err := s.ImportFrom(context.Background(), ImportRequest{Plan: "p"}, []LayerSource{streamed("B_A", big)}); err != nil {
		t.Fatal(err)
	}
	check(bodies())
	if v, err := s.Verify(context.Background(), VerifyOptions{}); err != nil || len(v.Findings) > 0 {
		t.Fatalf("verify %v %v", v.Findings, err)
	}
}

// TestRoundTripThroughGridIsNoChange: a layer exported in EPSG:9215 and
// imported back (vertices moved by the transform's ~1 mm) changes nothing;
// a real edit among them is still seen, on the stored vertices otherwise.
func TestRoundTripThroughGridIsNoChange(t *testing.T) {
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(20, 1)}}})
	to, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	trip := func() []gis.Feature {
		lots := genLots(20, 1)
		for i := range lots {
			lots[i].Geometry = project.Geometry(project.Geometry(lots[i].Geometry, to), back)
		}
		return lots
	}
	res := mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: trip()}}})
	if !res.Unchanged {
		t.Fatalf("a round trip through EPSG:9215 made version %d", res.Version.Number)
	}
	lots := trip()
	lots[3].Properties["phanLoai"] = "CXCC"
	res = mustImport(t, s, ImportRequest{Plan: "p", Key: "maDoiTuong", Layers: []gis.Layer{{Name: "L_A", Features: lots}}})
	if res.Unchanged || res.NewBodies != 1 {
		t.Fatalf("one real edit: got %+v, want one new body", res)
	}
}

// TestLoadGridIsLoadProjected: a version and a proposal read in the grid
// are, bit for bit, what reading them in WGS84 and projecting gives.
func TestLoadGridIsLoadProjected(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	mustPlan(t, s, "p")
	mustImport(t, s, ImportRequest{Plan: "p", Layers: []gis.Layer{{Name: "L_A", Features: genLots(50, 2)}, {Name: "P_P", Features: []gis.Feature{
		{Geometry: orb.Point{106.71234567891, 21.9087654321}, Properties: map[string]any{"n": 1.0}}, {Properties: map[string]any{"n": 2.0}}}}}})
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	same := func(what string, a, b *Snapshot) {
		t.Helper()
		gis.Project(a.Layers, tr)
		for li := range a.Layers {
			for i, f := range a.Layers[li].Features {
				g := b.Layers[li].Features[i]
				if f.ID != g.ID || !reflect.DeepEqual(f.Properties, g.Properties) || f.Geometry == nil != (g.Geometry == nil) ||
					f.Geometry != nil && !gis.SameShape(f.Geometry, g.Geometry, 0) {
					t.Fatalf("%s: %s differs: %v / %v", what, f.ID, f.Geometry, g.Geometry)
				}
			}
		}
	}
	a, err := s.Load(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.LoadGrid(ctx, "p", 0)
	if err != nil {
		t.Fatal(err)
	}
	same("version", a, b)
	id, _ := s.CreateDossier(ctx, NewDossier{Plan: "p", Kind: Local, Title: "t"})
	f := a.Layers[0].Features[3]
	mod := genLots(50, 2)[3]
	mod.ID = f.ID
	mod.Properties["phanLoai"] = "DV"
	if _, err := s.Apply(ctx, ApplyRequest{Dossier: id, Layer: "L_A", Features: []gis.Feature{mod}}); err != nil {
		t.Fatal(err)
	}
	pa, _, err := s.Proposal(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	pb, _, err := s.ProposalGrid(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	same("proposal", pa, pb)
}
