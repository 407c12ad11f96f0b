package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportDrawing: a CAD office's drawing comes in with a layer table;
// one with problems is refused with each problem and its place, the store
// unchanged, unless --partial takes the valid lots.
func TestImportDrawing(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	cadMap := filepath.Join(dir, "map.csv")
	os.WriteFile(cadMap, []byte("cad_layer,class_code\nKHO_NQ,KNQ\n"), 0o644)
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--cad-map", cadMap, "gis/dxf/testdata/office.dxf")
	if code != 0 || !strings.Contains(out, "11 ChucNangSuDungDat_A") || !strings.Contains(out, "KHUNG_TEN") || !strings.Contains(out, "version 2:") {
		t.Fatalf("import a drawing: %d\n%s\n%s", code, out, e)
	}
	before, _, _ := quyhoach(t, "", "versions", "--db", db, "--plan", "huu-nghi", "--json")
	out, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--cad-map", cadMap, "gis/dxf/testdata/office-problems.dxf")
	if code != 2 || !strings.Contains(e, "line 4251 (handle 9C) at E 444000.000 N 2430600.000: open LWPOLYLINE") ||
		!strings.Contains(e, "has no text that looks like a lot code") || !strings.Contains(e, "--partial takes the 9 lots without problems") {
		t.Fatalf("a drawing with problems: %d\n%s\n%s", code, out, e)
	}
	if after, _, _ := quyhoach(t, "", "versions", "--db", db, "--plan", "huu-nghi", "--json"); after != before {
		t.Fatal("a refused drawing changed the store")
	}
	out, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--cad-map", cadMap, "--partial", "gis/dxf/testdata/office-problems.dxf")
	if code != 0 || strings.Count(e, "left out:") != 5 || !strings.Contains(out, "9 ChucNangSuDungDat_A") {
		t.Fatalf("--partial: %d\n%s\n%s", code, out, e)
	}
	// A drawing on a local false origin, in another TM-3 zone.
	_, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--cad-map", cadMap, "--crs", "TM-3 107-30", "--offset", "0,0", "--layer", "RanhGioiQuyHoach_A", "gis/dxf/testdata/office.dxf")
	if code != 0 {
		t.Fatalf("--crs TM-3 107-30: %d %s", code, e)
	}
	for _, bad := range [][]string{{"--encoding", "ebcdic"}, {"--offset", "1;2"}, {"--units", "ft"}, {"--crs", "EPSG:3857"}, {"--cad-map", filepath.Join(dir, "none.csv")}} {
		args := append([]string{"import", "--db", db, "--plan", "huu-nghi"}, bad...)
		if _, e, code := quyhoach(t, "", append(args, "gis/dxf/testdata/office.dxf")...); code != 2 || !strings.Contains(e, bad[0]) {
			t.Errorf("%v: %d %s", bad, code, e)
		}
	}
}

// TestImportShapefileAndGDAL: Shapefiles in their encodings and a MapInfo
// table through GDAL.
func TestImportShapefileAndGDAL(t *testing.T) {
	db := sampleDB(t)
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--encoding", "tcvn3", "testdata/formats/chi-ma-tcvn3.zip")
	if code != 0 || !strings.Contains(out, "82 features") || !strings.Contains(e, "tenDoiTuon read as tenDoiTuong") {
		t.Fatalf("TCVN3 Shapefile: %d\n%s\n%s", code, out, e)
	}
	geo, _, _ := quyhoach(t, "", "export", "--db", db, "--plan", "huu-nghi", "--layer", "ChucNangSuDungDat_A", "-o", "-")
	if !strings.Contains(geo, "Đất hỗn hợp nhóm nhà ở và dịch vụ") {
		t.Errorf("the TCVN3 names were not decoded")
	}
	_, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "--crs", "EPSG:9216", "testdata/formats/chi-ma-cp1258.zip")
	if code != 2 || !strings.Contains(e, ".prj of ChucNangSuDungDat_A says EPSG:9215") {
		t.Errorf("a --crs the .prj contradicts: %d %s", code, e)
	}
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("GDAL not installed")
	}
	out, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--layer", "ChucNangSuDungDat_A", "--key", "maDoiTuong", "testdata/formats/chi-ma.tab")
	if code != 0 || !strings.Contains(e, "MapInfo writes VN-2000") {
		t.Fatalf("MapInfo TAB: %d\n%s\n%s", code, out, e)
	}
}

// TestExportFormatsAndBack: DXF and zipped Shapefile exports import back
// as no change; KML and KMZ are written; the TT 16 dossier is made.
func TestExportFormatsAndBack(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	for _, name := range []string{"chi.dxf", "chi.zip", "chi.kml", "chi.kmz"} {
		p := filepath.Join(dir, name)
		if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "-o", p); code != 0 {
			t.Fatalf("export %s: %d %s", name, code, e)
		}
		if fi, err := os.Stat(p); err != nil || fi.Size() < 1000 {
			t.Fatalf("%s: %v", name, err)
		}
	}
	out, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", filepath.Join(dir, "chi.dxf"))
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("DXF back: %d\n%s\n%s", code, out, e)
	}
	out, e, code = quyhoach(t, "", "import", "--db", db, "--plan", "chi-ma", "--table", "ChucNangSuDungDat_A", filepath.Join(dir, "chi.zip"))
	if code != 0 || !strings.Contains(out, "no changes") {
		t.Errorf("Shapefile back: %d\n%s\n%s", code, out, e)
	}
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "-o", filepath.Join(dir, "x.shp")); code != 2 || !strings.Contains(e, ".zip") {
		t.Errorf("a .shp name: %d %s", code, e)
	}
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "--format", "kml", "--crs", "EPSG:9215", "-o", filepath.Join(dir, "y.kml")); code != 2 || !strings.Contains(e, "WGS84") {
		t.Errorf("KML in the grid: %d %s", code, e)
	}
	out, e, code = quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "--tt16", filepath.Join(dir, "hoso"))
	if code != 0 || !strings.Contains(out, "HoSoGIS/QuyHoach/chi-ma.gpkg") || !strings.Contains(out, "HoSoBASIC/chi-ma.dxf") {
		t.Errorf("--tt16: %d\n%s\n%s", code, out, e)
	}
}

func TestFormatsCommand(t *testing.T) {
	out, _, code := quyhoach(t, "", "formats")
	for _, w := range []string{"AutoCAD DXF", "ESRI Shapefile", "KML / KMZ", "MapInfo TAB", "TT 16 electronic dossier", "AutoCAD DWG"} {
		if code != 0 || !strings.Contains(out, w) {
			t.Errorf("formats lacks %q:\n%s", w, out)
		}
	}
	out, _, _ = quyhoach(t, "", "formats", "--json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) < 10 {
		t.Errorf("formats --json: %v\n%s", err, out)
	}
}

// TestDossierApplyDrawing: a drawing's lots as a dossier's proposal.
func TestDossierApplyDrawing(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	p := filepath.Join(dir, "chi.dxf")
	if _, e, code := quyhoach(t, "", "export", "--db", db, "--plan", "chi-ma", "-o", p); code != 0 {
		t.Fatal(e)
	}
	id, e, code := quyhoach(t, "", "dossier", "create", "--db", db, "--plan", "chi-ma", "--kind", "local", "--title", "Bản vẽ")
	if code != 0 {
		t.Fatal(e)
	}
	out, e, code := quyhoach(t, "", "dossier", "apply", "--db", db, "--dossier", strings.TrimSpace(id), "--layer", "ChucNangSuDungDat_A", p)
	if code != 0 || !strings.Contains(out, "0 added, 0 modified, 0 deleted, 82 unchanged") {
		t.Errorf("apply the plan's own drawing: %d\n%s\n%s", code, out, e)
	}
}

// TestStoredCADLayerTable: a layer table kept in the store is used by every
// drawing import without --cad-map, shown as it was set, and cleared.
func TestStoredCADLayerTable(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	cadMap := filepath.Join(dir, "map.csv")
	os.WriteFile(cadMap, []byte("cad_layer,class_code\nKHO_NQ,KNQ\n"), 0o644)
	// without a table the lots of KHO_NQ have no class: the import says so
	out1, _, _ := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "gis/dxf/testdata/office.dxf")
	if out, e, code := quyhoach(t, "", "cad-layers", "--db", db, "--set", cadMap); code != 0 || !strings.Contains(out, "1 row") {
		t.Fatalf("cad-layers --set: %d %s %s", code, out, e)
	}
	if out, _, _ := quyhoach(t, "", "cad-layers", "--db", db); !strings.Contains(out, "KHO_NQ,KNQ") {
		t.Fatalf("cad-layers shows %q", out)
	}
	out2, e, code := quyhoach(t, "", "import", "--db", db, "--plan", "huu-nghi", "gis/dxf/testdata/office.dxf")
	if code != 0 || !strings.Contains(out2, "11 ChucNangSuDungDat_A") {
		t.Fatalf("import with the stored table: %d\n%s\n%s", code, out2, e)
	}
	if out1 == out2 {
		t.Error("the stored table changed nothing")
	}
	if _, e, code := quyhoach(t, "", "cad-layers", "--db", db, "--clear"); code != 0 {
		t.Fatal(e)
	}
	if out, _, _ := quyhoach(t, "", "cad-layers", "--db", db); strings.Contains(out, "KHO_NQ") {
		t.Errorf("cleared table shows %q", out)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("KHO_NQ,NOT-A-CLASS\n"), 0o644)
	if _, e, code := quyhoach(t, "", "cad-layers", "--db", db, "--set", bad); code != 2 || !strings.Contains(e, "NOT-A-CLASS") {
		t.Errorf("a bad table: %d %s", code, e)
	}
}
