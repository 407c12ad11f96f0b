package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	// Two of its polygons cross themselves (GEOS agrees: "Ring
	// Self-intersection"): refused with the place, or repaired on request.
	_, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse_A", src)
	if code != 2 || !strings.Contains(e, "feature 171 at -84.55153") || !strings.Contains(e, "--repair") {
		t.Fatalf("invalid lots: %d %q", code, e)
	}
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse_A", "--repair", src)
	if code != 0 || !strings.Contains(out, "220 features") || strings.Count(out, "repaired: ") != 2 {
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
	if out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse2_A", "--repair", legacy); code != 0 || !strings.Contains(out, "220 features") {
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
	// GEOS (through GDAL's SQLite dialect) finds every exported lot valid
	if bad, err := exec.Command("ogrinfo", "-ro", "-dialect", "sqlite", "-sql", "SELECT count(*) n FROM out WHERE NOT ST_IsValid(geometry)", exp).CombinedOutput(); err == nil && !strings.Contains(string(bad), "n (Integer) = 0") {
		t.Fatalf("invalid lots after repair:\n%s", bad)
	}
	// The same layer as a GeoPackage that GDAL wrote (WGS84: Kentucky is
	// outside the VN-2000 grids) imports alike.
	if _, err := exec.LookPath("ogr2ogr"); err == nil {
		gp := filepath.Join(t.TempDir(), "kenton.gpkg")
		if o, err := exec.Command("ogr2ogr", "-f", "GPKG", gp, src).CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr: %v %s", err, o)
		}
		if out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "kenton", "--layer", "LandUse3_A", "--repair", gp); code != 0 || !strings.Contains(out, "220 features") {
			t.Fatalf("import of GDAL's GeoPackage: %d %q %q", code, out, e)
		}
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
		{"export", "--db", db, "--plan", "chi-ma", "--format", "dwg", "-o", "x"},
		{"export", "--db", db, "--plan", "chi-ma", "--crs", "EPSG:32648", "-o", "x"},
		{"plan", "create", "--db", db, "--code", "x", "--name", "x", "--level", "bogus", "--scale", "1"},
	} {
		if _, e, code := quyhoach(t, "", args...); code != 2 || !strings.HasPrefix(e, "quyhoach: ") && !strings.Contains(e, "usage") {
			t.Errorf("%v: got %d %q", args, code, e)
		}
	}
}

// TestDossierCLI walks a dossier through the CLI: create prints the id alone,
// refused steps exit 2 with the reason, conflicts list the feature ids.
func TestDossierCLI(t *testing.T) {
	db := sampleDB(t)
	must := func(args ...string) string {
		t.Helper()
		out, e, code := quyhoach(t, "", append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, e)
		}
		return out
	}
	refused := func(want string, args ...string) {
		t.Helper()
		_, e, code := quyhoach(t, "", append(args, "--db", db)...)
		if code != 2 || !strings.Contains(e, want) {
			t.Fatalf("%v: got %d %q, want exit 2 with %q", args, code, e, want)
		}
	}
	id := strings.TrimSpace(must("dossier", "create", "--plan", "huu-nghi", "--kind", "local", "--title", "Điều chỉnh thử"))
	if _, err := strconv.Atoi(id); err != nil {
		t.Fatalf("create printed %q, want the id alone", id)
	}
	// One lot of the current version, reclassified, and one new lot.
	exp := filepath.Join(t.TempDir(), "lots.geojson")
	must("export", "--plan", "huu-nghi", "--layer", "ChucNangSuDungDat_A", "-o", exp)
	raw, _ := os.ReadFile(exp)
	var fc struct {
		Features []map[string]any `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		t.Fatal(err)
	}
	lot := fc.Features[0]
	lot["properties"].(map[string]any)["phanLoai"] = "BTX"
	added := map[string]any{"type": "Feature", "geometry": fc.Features[1]["geometry"], "properties": map[string]any{"maDoiTuong": "MOI-01", "phanLoai": "CXCC", "parents": []any{fc.Features[1]["id"]}}}
	gone := map[string]any{"type": "Feature", "id": fc.Features[1]["id"], "geometry": nil, "properties": map[string]any{"deleted": true}}
	changes, _ := json.Marshal(map[string]any{"type": "FeatureCollection", "features": []any{lot, added, gone}})
	cf := filepath.Join(t.TempDir(), "changes.geojson")
	os.WriteFile(cf, changes, 0o644)
	if out := must("dossier", "apply", "--dossier", id, cf); !strings.Contains(out, "1 added, 1 modified, 1 deleted") {
		t.Fatalf("apply: %s", out)
	}
	refused("quyhoach: submit: cover letter (tờ trình) number required", "dossier", "submit", "--dossier", id)
	refused("quyhoach: approve: dossier "+id+" is draft", "dossier", "approve", "--dossier", id, "--doc", "1", "--date", "2026-01-01")
	must("dossier", "submit", "--dossier", id, "--doc", "45/TTr-BQL", "--date", "2026-11-20")
	must("dossier", "appraise", "--dossier", id, "--by", "Sở Xây dựng")
	must("dossier", "appraised", "--dossier", id, "--doc", "12/BC-SXD")
	refused("quyhoach: approve: decision number required", "dossier", "approve", "--dossier", id)
	// The dossier's proposal is what diff and check see.
	out := must("diff", "--plan", "huu-nghi", "1", "dossier:"+id, "--json")
	var d struct {
		Added, Removed []string
		Modified       []map[string]any
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || len(d.Added) != 1 || len(d.Removed) != 1 || len(d.Modified) != 1 {
		t.Fatalf("diff: %v %s", err, out)
	}
	must("check", "--plan", "huu-nghi", "--dossier", id)
	pdf := filepath.Join(t.TempDir(), "tt.pdf")
	os.WriteFile(pdf, []byte("%PDF-1.4 tờ trình"), 0o644)
	var att int
	if _, err := fmt.Sscanf(must("dossier", "attach", "--dossier", id, "--kind", "to_trinh", pdf), "attachment %d:", &att); err != nil {
		t.Fatal(err)
	}
	back := filepath.Join(t.TempDir(), "back.pdf")
	must("dossier", "extract", "--dossier", id, "--attachment", strconv.Itoa(att), "-o", back)
	if got, _ := os.ReadFile(back); string(got) != "%PDF-1.4 tờ trình" {
		t.Fatalf("extracted %q", got)
	}
	out = must("dossier", "approve", "--dossier", id, "--doc", "123/QĐ-UBND", "--date", "2026-12-01")
	if !strings.Contains(out, "version 2 is now current") {
		t.Fatalf("approve: %s", out)
	}
	var show map[string]any
	if err := json.Unmarshal([]byte(must("dossier", "show", "--dossier", id, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	if show["state"] != "approved" || len(show["transitions"].([]any)) != 4 || len(show["attachments"].([]any)) != 1 {
		t.Fatalf("show: %v", show)
	}
	refused("quyhoach: apply: dossier "+id+" is approved; only a draft can be edited", "dossier", "apply", "--dossier", id, cf)
	must("dossier", "publish", "--dossier", id)
	refused("nothing more can happen to it", "dossier", "withdraw", "--dossier", id)
	if out := must("verify"); !strings.HasPrefix(out, "ok") {
		t.Fatal(out)
	}
	var list []map[string]any
	json.Unmarshal([]byte(must("dossier", "list", "--plan", "huu-nghi", "--json")), &list)
	if len(list) == 0 || list[0]["state"] != "published" {
		t.Fatalf("list: %v", list)
	}
}

// TestSamplePlansAreClean: every sample plan passes the topology check.
func TestSamplePlansAreClean(t *testing.T) {
	db := sampleDB(t)
	for _, p := range []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"} {
		out, e, code := quyhoach(t, "", "check", "--db", db, "--plan", p, "--json")
		if code != 0 || !strings.Contains(out, `"findings": []`) {
			t.Errorf("%s: exit %d %s %s", p, code, out, e)
		}
	}
	out, _, _ := quyhoach(t, "", "check", "--db", db, "--plan", "truc-trung-tam", "--version", "1")
	if !strings.Contains(out, "0 findings") {
		t.Errorf("version 1: %s", out)
	}
}

// TestBalanceAndAreas: balance rows sum to the total, which equals the sum of
// official areas, which equals GDAL's planar area in EPSG:9215 to 0.01 %.
func TestBalanceAndAreas(t *testing.T) {
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "balance", "--db", db, "--plan", "truc-trung-tam", "--version", "2", "--against", "1", "--json")
	if code != 0 {
		t.Fatal(e)
	}
	var b struct {
		Classes []struct {
			Code                   string
			Ha, BeforeHa, ChangeHa float64 `json:"-"`
			RawHa                  float64 `json:"ha"`
			RawBefore              float64 `json:"before_ha"`
			RawChange              float64 `json:"change_ha"`
		}
		TotalHa  float64 `json:"total_ha"`
		Adjusted struct {
			TotalHa float64 `json:"total_ha"`
		} `json:"adjusted_area"`
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	sum, change := 0.0, 0.0
	for _, c := range b.Classes {
		sum += c.RawHa
		change += c.RawChange
		if math.Abs(c.RawHa-c.RawBefore-c.RawChange) > 1e-3 {
			t.Errorf("%s: %v − %v ≠ %v", c.Code, c.RawHa, c.RawBefore, c.RawChange)
		}
	}
	if math.Abs(sum-b.TotalHa) > 1e-3 || math.Abs(change) > 1e-3 {
		t.Errorf("rows sum to %v (total %v), changes to %v", sum, b.TotalHa, change)
	}
	if b.Adjusted.TotalHa < 10 || b.Adjusted.TotalHa > 20 {
		t.Errorf("adjusted area %v ha, want the ~12 ha of the two adjusted areas", b.Adjusted.TotalHa)
	}
	out, _, _ = quyhoach(t, "", "area", "--db", db, "--plan", "truc-trung-tam", "--json")
	var a struct {
		TotalM2 float64 `json:"total_m2"`
		TotalHa float64 `json:"total_ha"`
	}
	json.Unmarshal([]byte(out), &a)
	if math.Abs(a.TotalHa-b.TotalHa) > 0.01 {
		t.Errorf("area total %v ha, balance total %v ha", a.TotalHa, b.TotalHa)
	}
	for _, tool := range []string{"ogr2ogr", "ogrinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip(tool + " not installed")
		}
	}
	for _, plan := range []string{"truc-trung-tam", "huu-nghi", "chi-ma", "dong-banh"} {
		gdal, ours := gdalArea(t, db, plan), officialArea(t, db, plan)
		if math.Abs(gdal-ours)/gdal > 1e-4 {
			t.Errorf("%s: GDAL %f m², quyhoach %f m²", plan, gdal, ours)
		}
	}
}

// officialArea is quyhoach's total of a plan's lots, m².
func officialArea(t *testing.T, db, plan string) float64 {
	t.Helper()
	out, e, code := quyhoach(t, "", "area", "--db", db, "--plan", plan, "--json")
	if code != 0 {
		t.Fatal(e)
	}
	var a struct {
		TotalM2 float64 `json:"total_m2"`
	}
	json.Unmarshal([]byte(out), &a)
	return a.TotalM2
}

// gdalArea exports a plan's lots, has ogr2ogr project them to EPSG:9215 and
// ogrinfo sum their planar areas.
func gdalArea(t *testing.T, db, plan string) float64 {
	t.Helper()
	dir := t.TempDir()
	exp := filepath.Join(dir, "lots.geojson")
	quyhoach(t, "", "export", "--db", db, "--plan", plan, "--layer", "ChucNangSuDungDat_A", "-o", exp)
	proj := filepath.Join(dir, "lots9215.gpkg")
	if o, err := exec.Command("ogr2ogr", "-t_srs", "EPSG:9215", "-nln", "lots", proj, exp).CombinedOutput(); err != nil {
		t.Fatalf("ogr2ogr: %v %s", err, o)
	}
	o, err := exec.Command("ogrinfo", "-ro", "-q", "-dialect", "OGRSQL", "-sql", "SELECT SUM(OGR_GEOM_AREA) AS a FROM lots", proj).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v %s", err, o)
	}
	for _, line := range strings.Split(string(o), "\n") {
		if _, v, ok := strings.Cut(line, "a (Real) = "); ok {
			a, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return a
		}
	}
	t.Fatalf("no area from ogrinfo:\n%s", o)
	return 0
}

func TestCRSCommand(t *testing.T) {
	out, e, code := quyhoach(t, "106.71083 21.97111\n106.698 21.9508\n", "crs", "--from", "EPSG:4326", "--to", "EPSG:9215")
	if code != 0 || out != "444122.778 2430566.951\n442789.648 2428322.909\n" {
		t.Fatalf("got %d %q %q", code, out, e)
	}
	_, e, code = quyhoach(t, "106.7 21.9\nabc\n", "crs", "--from", "EPSG:4326", "--to", "EPSG:9215")
	if code != 2 || !strings.Contains(e, "line 2") {
		t.Fatalf("got %d %q", code, e)
	}
}

// TestExportGeoPackage writes the central axis as a GeoPackage in VN-2000 /
// TM-3 107-15, one table per layer, and has GDAL read it back.
func TestExportGeoPackage(t *testing.T) {
	db := sampleDB(t)
	out := filepath.Join(t.TempDir(), "truc.gpkg")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "truc-trung-tam", "-o", out); code != 0 {
		t.Fatal(e)
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo not installed")
	}
	info, err := exec.Command("ogrinfo", "-ro", "-so", out, "ChucNangSuDungDat_A").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	for _, want := range []string{"Feature Count: 459", "VN-2000 / TM-3 107-15", "maDoiTuong: String", "matDoXayDung: Real", "feature_id: String"} {
		if !strings.Contains(string(info), want) {
			t.Errorf("ogrinfo lacks %q:\n%s", want, info)
		}
	}
	o, err := exec.Command("ogrinfo", "-ro", "-q", "-dialect", "OGRSQL", "-sql", "SELECT SUM(OGR_GEOM_AREA) AS a FROM ChucNangSuDungDat_A", out).CombinedOutput()
	if err != nil || !strings.Contains(string(o), "a (Real) = 168694") {
		t.Fatalf("area of the lots in the GeoPackage (want 16 869 4xx m²): %v\n%s", err, o)
	}
	layers, _ := exec.Command("ogrinfo", "-ro", "-q", out).CombinedOutput()
	for _, l := range []string{"RanhGioiQuyHoach_A", "TimDuongGiaoThong_L", "KhuVucDieuChinh_A"} {
		if !strings.Contains(string(layers), l) {
			t.Errorf("layer %s missing:\n%s", l, layers)
		}
	}
}

func TestSettingsAndDiffGeoJSON(t *testing.T) {
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "settings", "--db", db, "--set", "deadline.appraisal_days=30")
	if code != 0 || !strings.Contains(out, "deadline.appraisal_days=30") || !strings.Contains(out, "deadline.publication_days=15") {
		t.Fatalf("settings: %d %q %q", code, out, e)
	}
	if _, e, code := quyhoach(t, "", "settings", "--db", db, "--set", "deadline.appraisal_days=soon"); code != 2 || !strings.Contains(e, "not a positive whole number") {
		t.Fatalf("bad setting: %d %q", code, e)
	}
	out, e, code = quyhoach(t, "", "diff", "--db", db, "--plan", "truc-trung-tam", "1", "2", "--geojson")
	if code != 0 {
		t.Fatal(e)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, f := range fc.Features {
		kinds[f.Properties["change"].(string)]++
	}
	if kinds["added"] != 3 || kinds["removed"] != 3 || kinds["modified-old"] != 6 || kinds["modified-new"] != 6 {
		t.Fatalf("change marks %v", kinds)
	}
}

// TestExportImportRefusals: what a user easily gets wrong is refused with
// a message that says what to do.
func TestExportImportRefusals(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--plan", "chi-ma", "-o", filepath.Join(dir, "all.geojson")}, "a GeoJSON file holds one layer: choose one with --layer"},
		{[]string{"export", "--plan", "chi-ma", "-o", filepath.Join(dir, "x.shp")}, `a Shapefile is several files: it is written as a .zip`},
		{[]string{"export", "--plan", "chi-ma", "-o", filepath.Join(dir, "x.pdf")}, `cannot tell the format of`},
	} {
		if _, e, code := quyhoach(t, "", append(tc.args, "--db", db)...); code != 2 || !strings.Contains(e, tc.want) {
			t.Errorf("%v: got %d %q, want %q", tc.args, code, e, tc.want)
		}
	}
	gpkg := filepath.Join(dir, "chi-ma.gpkg")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "-o", gpkg); code != 0 {
		t.Fatal(e)
	}
	// Our own GeoPackage comes back as no change: ids from feature_id,
	// EPSG:9215 back to WGS84 within the round-trip tolerance.
	if out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", gpkg); code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("gpkg re-import: %d %q %q", code, out, e)
	}
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "Lots_A", gpkg); code != 2 || !strings.Contains(e, "choose a feature table with --table (ChucNangSuDungDat_A, RanhGioiQuyHoach_A, TimDuongGiaoThong_L)") {
		t.Errorf("gpkg without a table: %d %q", code, e)
	}
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "Lots_A", "--table", "TimDuongGiaoThong_L", gpkg); code != 2 || !strings.Contains(e, "holds areas, not a LineString") {
		t.Errorf("gpkg lines into areas: %d %q", code, e)
	}
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "--crs", "EPSG:4326", gpkg); code != 2 || !strings.Contains(e, "is in EPSG:9215 but --crs says EPSG:4326") {
		t.Errorf("gpkg with a contradicting --crs: %d %q", code, e)
	}
	roads := filepath.Join(dir, "roads.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "--layer", "TimDuongGiaoThong_L", "-o", roads); code != 0 {
		t.Fatal(e)
	}
	if _, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", roads); code != 2 || !strings.Contains(e, "holds areas, not a LineString") {
		t.Errorf("lines into lots: %d %q", code, e)
	}
	// The lots exported in the official grid come back as no change.
	grid := filepath.Join(dir, "lots9215.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "--crs", "EPSG:9215", "-o", grid); code != 0 {
		t.Fatal(e)
	}
	if out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "--key", "maDoiTuong", grid); code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("round trip through EPSG:9215: %d %q %q", code, out, e)
	}
}

// TestHouseLayers: the arrows of DESIGN.md point one way. gis depends on
// no other package of ours and imports no SQL and no Fyne; store depends on
// no Fyne, no ui and no application layer; plan (the application layer) on
// no Fyne and no ui.
func TestHouseLayers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	// list returns, for each package of pattern, what it depends on (deps)
	// or what it imports itself.
	list := func(pattern string, deps bool) []string {
		args := []string{"list", "-f", `{{join .Imports "\n"}}`, pattern}
		if deps {
			args = []string{"list", "-deps", pattern}
		}
		out, err := exec.Command("go", args...).Output()
		if err != nil {
			t.Fatalf("go %v: %v", args, err)
		}
		return strings.Fields(string(out))
	}
	for _, rule := range []struct {
		pattern string
		deps    bool // the rule is on every dependency, not only direct imports
		banned  []string
	}{
		{"./gis/...", true, []string{"quyhoach/store", "quyhoach/ui", "quyhoach/plan", "quyhoach/atomicfile", "fyne.io/fyne/v2"}},
		{"./gis/...", false, []string{"database/sql"}},
		{"./store/...", true, []string{"quyhoach/ui", "quyhoach/plan", "fyne.io/fyne/v2"}},
		{"./plan/...", true, []string{"quyhoach/ui", "fyne.io/fyne/v2"}},
	} {
		for _, d := range list(rule.pattern, rule.deps) {
			for _, b := range rule.banned {
				if d == b || strings.HasPrefix(d, b+"/") {
					t.Errorf("%s depends on %s", rule.pattern, d)
				}
			}
		}
	}
}
