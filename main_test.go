package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// quyhoach runs one CLI invocation in-process.
func quyhoach(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &o, &e)
	return o.String(), e.String(), code
}

// sampleDB makes a store with the sample plans.
func sampleDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "q.db")
	if _, e, code := quyhoach(t, "", "init", "--db", db, "--sample"); code != 0 {
		t.Fatalf("init: %d %s", code, e)
	}
	return db
}

func TestPlansAndVersionsJSON(t *testing.T) {
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "plans", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("plans: %d %s", code, e)
	}
	var plans []map[string]any
	if err := json.Unmarshal([]byte(out), &plans); err != nil {
		t.Fatalf("plans --json: %v\n%s", err, out)
	}
	codes := map[string]map[string]any{}
	for _, p := range plans {
		for _, k := range []string{"code", "name", "level", "scale", "current_version"} {
			if _, ok := p[k]; !ok {
				t.Errorf("plan %v lacks %s", p["code"], k)
			}
		}
		codes[p["code"].(string)] = p
	}
	for _, c := range []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"} {
		if codes[c] == nil {
			t.Errorf("sample plan %s missing", c)
		}
	}
	if v := codes["truc-trung-tam"]["current_version"]; v != float64(2) {
		t.Errorf("central axis current version %v, want 2", v)
	}
	out, e, code = quyhoach(t, "", "versions", "--plan", "truc-trung-tam", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("versions: %d %s", code, e)
	}
	var vs []map[string]any
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 || vs[0]["number"] != float64(1) || vs[0]["current"] != false || vs[1]["current"] != true {
		t.Fatalf("versions: %s", out)
	}
	for _, k := range []string{"number", "current", "created", "source", "message"} {
		if _, ok := vs[1][k]; !ok {
			t.Errorf("version lacks %s", k)
		}
	}
}

func TestMissingDBIsAnError(t *testing.T) {
	_, e, code := quyhoach(t, "", "plans", "--db", filepath.Join(t.TempDir(), "nope.db"))
	if code != 2 || !strings.Contains(e, "no such file") {
		t.Fatalf("got %d %q", code, e)
	}
}

func TestImportBrokenFileLeavesStore(t *testing.T) {
	db := sampleDB(t)
	before, _, _ := quyhoach(t, "", "versions", "--plan", "chi-ma", "--db", db, "--json")
	bad := filepath.Join(t.TempDir(), "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.91],[106.7,21.9]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.95]]]}}]}`), 0o644)
	_, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", bad)
	if code != 2 || !strings.Contains(e, "quyhoach: import:") || !strings.Contains(e, "feature 1") || !strings.Contains(e, "not closed") {
		t.Fatalf("got %d %q", code, e)
	}
	after, _, _ := quyhoach(t, "", "versions", "--plan", "chi-ma", "--db", db, "--json")
	if before != after {
		t.Fatalf("a broken import changed the store:\n%s\n%s", before, after)
	}
}

func TestImportCRSDisagreement(t *testing.T) {
	db := sampleDB(t)
	f := filepath.Join(t.TempDir(), "vn2000.geojson")
	os.WriteFile(f, []byte(`{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[
{"type":"Feature","properties":{"maDoiTuong":"X-1"},"geometry":{"type":"Polygon","coordinates":[[[444100,2430500],[444200,2430500],[444200,2430600],[444100,2430600],[444100,2430500]]]}}]}`), 0o644)
	_, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--layer", "Test_A", "--crs", "EPSG:4326", f)
	if code != 2 || !strings.Contains(e, "EPSG:9215") {
		t.Fatalf("got %d %q", code, e)
	}
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--layer", "Test_A", f)
	if code != 0 || !strings.Contains(out, "1 new") {
		t.Fatalf("got %d %q %q", code, out, e)
	}
	// The same coordinates read as WGS84 are out of range: a clear error.
	os.WriteFile(f, []byte(`{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[444100,2430500]}}`), 0o644)
	_, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--layer", "Test_P", f)
	if code != 2 || !strings.Contains(e, "feature 0") {
		t.Fatalf("got %d %q", code, e)
	}
}

// TestRealWorldFile imports the Kenton, Kentucky land-use layer as GDAL wrote
// it (legacy crs member), exports it, and has ogrinfo count the export.
func TestRealWorldFile(t *testing.T) {
	db := sampleDB(t)
	if _, e, code := quyhoach(t, "", "plan", "create", "--db", db, "--code", "kenton", "--name", "Kenton land use", "--level", "zoning", "--scale", "5000"); code != 0 {
		t.Fatal(e)
	}
	src := filepath.Join("testdata", "real", "kenton-landuse-gdal.geojson")
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse_A", src)
	if code != 0 || !strings.Contains(out, "220 features") {
		t.Fatalf("import: %d %q %q", code, out, e)
	}
	// The same file with the legacy crs member GDAL writes for CRS84.
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	legacy := filepath.Join(t.TempDir(), "legacy.geojson")
	os.WriteFile(legacy, bytes.Replace(raw, []byte(`"type": "FeatureCollection",`),
		[]byte(`"type": "FeatureCollection", "crs": { "type": "name", "properties": { "name": "urn:ogc:def:crs:OGC:1.3:CRS84" } },`), 1), 0o644)
	if out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse2_A", legacy); code != 0 || !strings.Contains(out, "220 features") {
		t.Fatalf("import with crs member: %d %q %q", code, out, e)
	}
	exp := filepath.Join(t.TempDir(), "out.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "kenton", "--layer", "LandUse_A", "-o", exp); code != 0 {
		t.Fatal(e)
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed")
	}
	info, err := exec.Command("ogrinfo", "-ro", "-so", "-al", exp).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	if !strings.Contains(string(info), "Feature Count: 220") {
		t.Fatalf("ogrinfo:\n%s", info)
	}
	// Ids survive the round trip: re-importing the export changes nothing.
	out, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse_A", exp)
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Fatalf("re-import: %d %q %q", code, out, e)
	}
}

func TestVerifyCommand(t *testing.T) {
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "verify", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "ok") {
		t.Fatalf("verify: %d %q %q", code, out, e)
	}
}

func TestUsageErrors(t *testing.T) {
	db := sampleDB(t)
	for _, args := range [][]string{
		{"frobnicate"},
		{"import", "--db", db, "--plan", "chi-ma"},
		{"import", "--db", db, "--plan", "nope", "--layer", "X_A", "f.geojson"},
		{"export", "--db", db, "--plan", "chi-ma", "--format", "dxf", "-o", "x"},
		{"plan", "create", "--db", db, "--code", "x", "--name", "x", "--level", "bogus", "--scale", "1"},
	} {
		if _, e, code := quyhoach(t, "", args...); code != 2 || !strings.HasPrefix(e, "quyhoach: ") && !strings.Contains(e, "usage") {
			t.Errorf("%v: got %d %q", args, code, e)
		}
	}
}
