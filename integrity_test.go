package main

import (
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// sqliteExec changes a store as someone with sqlite3 would.
func sqliteExec(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestCraftedGeoPackageIsRefused: a GeoPackage whose WKB claims 0x7fffffff
// rings killed the program with 34 GB asked of the allocator; import and
// apply now refuse it in one line and the store is unchanged.
func TestCraftedGeoPackageIsRefused(t *testing.T) {
	db := sampleDB(t)
	gp := filepath.Join(t.TempDir(), "crafted.gpkg")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "-o", gp); code != 0 {
		t.Fatal(e)
	}
	// the first polygon's ring count (after the 8-byte header, the 32-byte
	// envelope and the WKB's byte order and type) set to 0x7fffffff
	g, err := sql.Open("sqlite", "file:"+gp)
	if err != nil {
		t.Fatal(err)
	}
	var blob []byte
	var fid int64
	if err := g.QueryRow(`SELECT fid, geom FROM "ChucNangSuDungDat_A" ORDER BY fid LIMIT 1`).Scan(&fid, &blob); err != nil {
		t.Fatal(err)
	}
	binary.LittleEndian.PutUint32(blob[8+32+5:], 0x7fffffff)
	if _, err := g.Exec(`UPDATE "ChucNangSuDungDat_A" SET geom = ? WHERE fid = ?`, blob, fid); err != nil {
		t.Fatal(err)
	}
	g.Close()
	before, _, _ := quyhoach(t, "", "versions", "--db", db, "--plan", "chi-ma", "--json")
	for _, args := range [][]string{
		{"import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", gp},
		{"dossier", "apply", "--db", db, "--dossier", "2", gp},
	} {
		_, e, code := quyhoach(t, "", args...)
		if code != 2 || strings.Count(strings.TrimSpace(e), "\n") != 0 || !strings.Contains(e, "more than the") {
			t.Errorf("%s: exit %d, %q", args[0], code, e)
		}
	}
	if after, _, _ := quyhoach(t, "", "versions", "--db", db, "--plan", "chi-ma", "--json"); after != before {
		t.Fatal("the store changed")
	}
}

// TestDamagedBodyStopsOfficialOutputs: one altered lot — its body and its
// grid properties, which print reads instead of the body — is reported by
// verify, and export, area, balance, diff and print stop, naming the lot.
// The lot is one dossier 2 changes: diff and balance read the bodies of
// what differs only (a balance reads the other lots' stored measures).
func TestDamagedBodyStopsOfficialOutputs(t *testing.T) {
	db := sampleDB(t)
	sqliteExec(t, db, "DROP TRIGGER body_no_update", "DROP TRIGGER body_geom_no_update",
		`CREATE TEMP TABLE damaged AS SELECT b.id FROM body b
			JOIN version_item i ON i.body_id = b.id JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id
			WHERE p.code = 'chi-ma' AND v.number = 1 AND instr(b.geojson, 'maDoiTuong') > 0
			AND i.feature_id IN (SELECT feature_id FROM dossier_change WHERE dossier_id = 2) LIMIT 1`,
		`UPDATE body SET geojson = replace(geojson, '"properties":{', '"properties":{"x":1,') WHERE id = (SELECT id FROM damaged)`,
		`UPDATE body_geom SET props = CAST(replace(CAST(props AS TEXT), '{', '{"x":1,') AS BLOB) WHERE body_id = (SELECT id FROM damaged)`)
	out, _, code := quyhoach(t, "", "verify", "--db", db, "--json")
	var v struct {
		Findings []struct{ Check, Plan, Lot, Feature, Problem string }
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 1 {
		t.Fatalf("verify --json: %d %v\n%s", code, err, out)
	}
	lot := ""
	for _, f := range v.Findings {
		if f.Check == "body" && f.Plan == "chi-ma" && f.Lot != "" {
			lot = f.Lot
		}
	}
	if lot == "" {
		t.Fatalf("no finding names the damaged lot: %s", out)
	}
	pdf := filepath.Join(t.TempDir(), "x.pdf")
	for _, args := range [][]string{
		{"export", "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "-o", filepath.Join(t.TempDir(), "x.geojson")},
		{"area", "--plan", "chi-ma"},
		{"balance", "--plan", "chi-ma", "--dossier", "2"},
		{"diff", "--plan", "chi-ma", "1", "dossier:2"},
		{"print", "--plan", "chi-ma", "-o", pdf},
	} {
		_, e, code := quyhoach(t, "", append(args, "--db", db)...)
		if code == 0 || !strings.Contains(e, "lot "+lot) || !strings.Contains(e, "damaged") {
			t.Errorf("%s: exit %d, %q", args[0], code, e)
		}
	}
	if _, err := os.Stat(pdf); !os.IsNotExist(err) {
		t.Error("print left a file")
	}
}

// TestSheetSealAnchorsTheHistory: the seal printed in a sheet's title block
// is the anchor verify checks the history against.
func TestSheetSealAnchorsTheHistory(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("no pdftotext")
	}
	db := sampleDB(t)
	pdf := filepath.Join(t.TempDir(), "s.pdf")
	if _, e, code := quyhoach(t, "", "print", "--db", db, "--plan", "chi-ma", "-o", pdf); code != 0 {
		t.Fatal(e)
	}
	text, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\b([0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4})\b`).FindStringSubmatch(string(text))
	if m == nil {
		t.Fatalf("no seal in the sheet:\n%s", text)
	}
	out, e, code := quyhoach(t, "", "verify", "--db", db, "--anchor", m[1])
	if code != 0 || !strings.Contains(out, "found in plan chi-ma") {
		t.Fatalf("verify --anchor %q: %d %q %q", m[1], code, out, e)
	}
	// a step taken since keeps the anchor in the history
	if _, e, code := quyhoach(t, "", "dossier", "attach", "--db", db, "--dossier", "2", "--kind", "y_kien", pdf); code != 0 {
		t.Fatal(e)
	}
	if _, _, code := quyhoach(t, "", "verify", "--db", db, "--anchor", m[1]); code != 0 {
		t.Fatal("a later step lost the anchor")
	}
	if out, _, code := quyhoach(t, "", "verify", "--db", db, "--anchor", "0123 4567 89ab cdef"); code != 1 || !strings.Contains(out, "not in the history of any plan") {
		t.Fatalf("a foreign anchor: %d %q", code, out)
	}
}

// TestOneLineErrors: errors read as one line of words naming the thing.
func TestOneLineErrors(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	long := strings.Repeat("x", 65)
	u16 := filepath.Join(dir, "u16.geojson")
	os.WriteFile(u16, []byte{0xff, 0xfe, '{', 0}, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"plan", "create", "--db", db, "--code", long, "--name", "x", "--level", "zoning", "--scale", "2000"}, "plan code too long (65 > 64 characters)"},
		{[]string{"plans", "--db", dir}, "is a directory"},
		{[]string{"import", "--db", db, "--plan", "chi-ma", "--layer", "X_A", u16}, "UTF-16 file: save it as UTF-8"},
		{[]string{"import", "--db", db, "--plan", "chi-ma", "--layer", "gpkg_contents", "--crs", "EPSG:4326", filepath.Join("testdata", "real", "kenton-landuse-gdal.geojson")}, "is reserved"},
	} {
		_, e, code := quyhoach(t, "", tc.args...)
		if code == 0 || !strings.Contains(e, tc.want) || strings.Count(strings.TrimSpace(e), "\n") > 0 {
			t.Errorf("%v: exit %d, %q; want one line with %q", tc.args[:2], code, e, tc.want)
		}
	}
}

// TestKeyMissingInSomeFeatures: --key naming a field some features lack is
// refused with the count, before anything is written.
func TestKeyMissingInSomeFeatures(t *testing.T) {
	db := sampleDB(t)
	f := filepath.Join(t.TempDir(), "k.geojson")
	os.WriteFile(f, []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"maDoiTuong":"A"},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.701,21.9],[106.701,21.901],[106.7,21.9]]]}},
		{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.71,21.9],[106.711,21.9],[106.711,21.901],[106.71,21.9]]]}}]}`), 0o644)
	_, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "Test_A", "--key", "maDoiTuong", f)
	if code != 2 || !strings.Contains(e, "1 of 2 features have no maDoiTuong (the first is feature 1)") {
		t.Fatalf("%d %q", code, e)
	}
}

// TestControlCharactersPrintEscaped: a document named with a newline and
// terminal escape codes cannot forge a row of `dossier show`.
func TestControlCharactersPrintEscaped(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	name := filepath.Join(dir, "a\nattachment 99  fake\x1b[31m.pdf")
	if err := os.WriteFile(name, []byte("%PDF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, e, code := quyhoach(t, "", "dossier", "attach", "--db", db, "--dossier", "2", "--kind", "y_kien", name); code != 0 {
		t.Fatal(e)
	}
	out, _, _ := quyhoach(t, "", "dossier", "show", "--db", db, "--dossier", "2")
	if strings.Contains(out, "\x1b") || strings.Contains(out, "\nattachment 99") || !strings.Contains(out, `a\u000aattachment 99`) {
		t.Fatalf("dossier show:\n%s", out)
	}
}

// TestGridReadsOfADamagedBody: a body altered while its grid forms stay
// sound is refused by what reads the body (an export to GeoJSON in WGS84)
// and reported by verify; area and print, which read the plan in its grid
// from the grid forms alone (each checked by its own CRC-32C), are made
// from them.
func TestGridReadsOfADamagedBody(t *testing.T) {
	db := sampleDB(t)
	sqliteExec(t, db, "DROP TRIGGER body_no_update",
		`UPDATE body SET geojson = replace(geojson, '"properties":{', '"properties":{"x":1,') WHERE id = (SELECT b.id FROM body b
			JOIN body_geom g ON g.body_id = b.id JOIN version_item i ON i.body_id = b.id JOIN version v ON v.id = i.version_id
			JOIN plan p ON p.id = v.plan_id WHERE p.code = 'chi-ma' AND g.props IS NOT NULL
			AND v.number = (SELECT max(number) FROM version WHERE plan_id = p.id) LIMIT 1)`)
	if _, _, code := quyhoach(t, "", "verify", "--db", db); code != 1 {
		t.Fatalf("verify: exit %d", code)
	}
	if _, e, code := quyhoach(t, "", "export", "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "-o", filepath.Join(t.TempDir(), "x.geojson"), "--db", db); code == 0 || !strings.Contains(e, "damaged") {
		t.Errorf("export: exit %d, %q", code, e)
	}
	if _, e, code := quyhoach(t, "", "area", "--plan", "chi-ma", "--db", db); code != 0 {
		t.Errorf("area from the grid forms: exit %d, %q", code, e)
	}
	pdf := filepath.Join(t.TempDir(), "x.pdf")
	if _, e, code := quyhoach(t, "", "print", "--plan", "chi-ma", "-o", pdf, "--db", db); code != 0 {
		t.Fatalf("print from the grid forms: exit %d, %q", code, e)
	}
	if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
}
