package plan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/vntext"
	"quyhoach/store"
)

func cadOptions(t testing.TB) CADOptions {
	t.Helper()
	cat := catalogue(t)
	pre, err := cadplan.ParseTable(bytes.NewReader(assets.CADLayers), cat)
	if err != nil {
		t.Fatal(err)
	}
	return CADOptions{Catalogue: cat, Presets: pre}
}

// sampleLots is Chi Ma's lots by code, in the grid.
func sampleLots(t testing.TB, st *store.Store) map[string]gis.Feature {
	t.Helper()
	s, err := Open(ctx, st, "chi-ma", Ref{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]gis.Feature{}
	for _, f := range s.Lots() {
		out[f.String("maDoiTuong")] = f
	}
	return out
}

func needGDAL(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("GDAL (gdal-bin) not installed")
	}
}

// TestReadEveryFormat reads the fixtures ogr2ogr made of Chi Ma's lots —
// DXF, Shapefiles (CP1258, TCVN3, a TM-3 grid of no EPSG code), KML,
// MapInfo TAB — and finds each lot where the sample has it (to 1 mm; the
// TAB to MapInfo's 1 cm grid), with its area within 0.01 %, its code and
// its class, and for the formats that carry them its Vietnamese name.
func TestReadEveryFormat(t *testing.T) {
	st := sampleStore(t)
	want := sampleLots(t, st)
	grid, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	for _, c := range []struct {
		file     string
		enc      vntext.Encoding
		gdal     bool
		tol      float64 // m
		names    bool
		fixNames func(string) string
	}{
		{file: "chi-ma.dxf", tol: 0.001},
		{file: "chi-ma-cp1258.zip", tol: 0.001, names: true},
		{file: "chi-ma-tcvn3.zip", enc: vntext.TCVN3, tol: 0.001, names: true, fixNames: func(s string) string { return strings.ReplaceAll(s, "–", "-") }},
		{file: "chi-ma-tm3-106-50.zip", tol: 0.001, names: true},
		{file: "chi-ma.kml", gdal: true, tol: 0.001, names: true},
		{file: "chi-ma.tab", gdal: true, tol: 0.01, names: true},
	} {
		t.Run(c.file, func(t *testing.T) {
			if c.gdal {
				needGDAL(t)
			}
			r, err := Read(ctx, filepath.Join("..", "testdata", "formats", c.file), ReadOptions{Layer: gis.LandUseLayer, Encoding: c.enc, CAD: cadOptions(t)})
			if err != nil {
				t.Fatal(err)
			}
			lots := gis.Project(r.Layers, grid)[0].Features
			if len(lots) != len(want) {
				t.Fatalf("%d lots, want %d", len(lots), len(want))
			}
			for _, f := range lots {
				code := f.String("maDoiTuong")
				w, ok := want[code]
				if !ok {
					t.Fatalf("lot %q is not in the sample", code)
				}
				if a, wa := gis.Area(f.Geometry), gis.Area(w.Geometry); math.Abs(a-wa) > 1e-4*wa {
					t.Errorf("%s: area %.3f, want %.3f", code, a, wa)
				}
				p, q := f.Geometry.(orb.Polygon)[0][0], w.Geometry.(orb.Polygon)
				if d := nearestVertex(p, q); d > c.tol {
					t.Errorf("%s: a vertex %.4f m from the sample's", code, d)
				}
				if f.String("phanLoai") != w.String("phanLoai") {
					t.Errorf("%s: class %q, want %q", code, f.String("phanLoai"), w.String("phanLoai"))
				}
				if c.names {
					wn := w.String("tenDoiTuong")
					if c.fixNames != nil {
						wn = c.fixNames(wn)
					}
					if f.String("tenDoiTuong") != wn {
						t.Errorf("%s: name %q, want %q", code, f.String("tenDoiTuong"), wn)
					}
					if v, _ := f.Number("tangCaoMax"); v != must(w.Number("tangCaoMax")) {
						t.Errorf("%s: tangCaoMax %v, want %v", code, f.Properties["tangCaoMax"], w.Properties["tangCaoMax"])
					}
				}
			}
		})
	}
}

func must(v float64, _ bool) float64 { return v }

func nearestVertex(p orb.Point, poly orb.Polygon) float64 {
	best := math.Inf(1)
	for _, q := range poly[0] {
		best = min(best, math.Hypot(p[0]-q[0], p[1]-q[1]))
	}
	return best
}

func TestDetectByContent(t *testing.T) {
	dir := t.TempDir()
	copyTo := func(src, name string) string {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	for name, want := range map[string]string{
		copyTo("../testdata/formats/chi-ma-cp1258.zip", "lots.dat"):              Shapefile,
		copyTo("../testdata/formats/chi-ma.dxf", "drawing.txt"):                  DXF,
		copyTo("../testdata/formats/chi-ma.kml", "earth.xml"):                    GDAL,
		copyTo("../testdata/formats/chi-ma.tab", "table.tab"):                    GDAL,
		copyTo("../assets/sample/chi-ma/v1/RanhGioiQuyHoach_A.geojson", "b.bin"): GeoJSON,
	} {
		ff, err := Detect(name)
		if err != nil || ff.Format != want {
			t.Errorf("%s: %+v %v, want %s", filepath.Base(name), ff, err, want)
		}
	}
	dwg := filepath.Join(dir, "plan.dwg")
	os.WriteFile(dwg, []byte("AC1032\x00\x00\x00\x00"), 0o644)
	if _, err := Read(ctx, dwg, ReadOptions{}); err == nil || !strings.Contains(err.Error(), "save it as DXF") {
		t.Errorf("DWG: %v", err)
	}
	bin := filepath.Join(dir, "b.dxf")
	os.WriteFile(bin, []byte("AutoCAD Binary DXF\r\n\x1a\x00"), 0o644)
	if _, err := Read(ctx, bin, ReadOptions{}); err == nil || !strings.Contains(err.Error(), "ASCII DXF") {
		t.Errorf("binary DXF: %v", err)
	}
}

// TestGDALMissing: a format only GDAL reads names the package to install
// when ogr2ogr is not there.
func TestGDALMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := Read(ctx, "../testdata/formats/chi-ma.tab", ReadOptions{Layer: gis.LandUseLayer})
	var ng *ErrNeedGDAL
	if !errors.As(err, &ng) || ng.Format != "MapInfo TAB" || !strings.Contains(err.Error(), "gdal-bin") {
		t.Fatalf("got %v", err)
	}
}

// TestExportImportIsNoChange: a version exported as DXF or as a zipped
// Shapefile and imported again is the same version.
func TestExportImportIsNoChange(t *testing.T) {
	st := sampleStore(t)
	dir := t.TempDir()
	cat := catalogue(t)
	for _, name := range []string{"chi-ma.dxf", "chi-ma.zip"} {
		path := filepath.Join(dir, name)
		if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: path, Catalogue: cat}); err != nil {
			t.Fatal(err)
		}
		var layers []gis.Layer
		if strings.HasSuffix(name, ".dxf") {
			r, err := Read(ctx, path, ReadOptions{CAD: cadOptions(t), RequireGeometry: true})
			if err != nil {
				t.Fatal(err)
			}
			layers = r.Layers
		} else {
			for _, l := range []string{gis.LandUseLayer, gis.BoundaryLayer, "TimDuongGiaoThong_L"} {
				r, err := Read(ctx, path, ReadOptions{Layer: l, Table: l, RequireGeometry: true})
				if err != nil {
					t.Fatal(err)
				}
				layers = append(layers, r.Layers...)
			}
		}
		res, err := st.Import(ctx, store.ImportRequest{Plan: "chi-ma", Layers: layers, Message: "round trip"})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !res.Unchanged {
			t.Errorf("%s: export → import made version %d (%d kept, %d new, %d removed), want no change", name, res.Version.Number, res.Kept, res.Added, res.Removed)
		}
	}
}

// TestExportFormatsReadByGDAL: GDAL reads our DXF, Shapefile and KML with
// the count of features, and the Shapefile's and KML's fields.
func TestExportFormatsReadByGDAL(t *testing.T) {
	needGDAL(t)
	st := sampleStore(t)
	dir := t.TempDir()
	cat := catalogue(t)
	for _, c := range []struct {
		name, open string
		want       []string
	}{
		{"p.zip", "/vsizip/{}/ChucNangSuDungDat_A.shp", []string{"Feature Count: 82", "maDoiTuong: String", "matDoXayDu: Integer64", "heSoSuDung: Real", "feature_id: String"}},
		{"p.kml", "{}", []string{"Layer name: ChucNangSuDungDat_A", "Feature Count: 82", "maDoiTuong: String", "Layer name: RanhGioiQuyHoach_A"}},
		{"p.kmz", "{}", []string{"Feature Count: 82"}},
		{"p.dxf", "{}", nil}, // every entity: below
	} {
		path := filepath.Join(dir, c.name)
		if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: path, Catalogue: cat}); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", strings.ReplaceAll(c.open, "{}", path)).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, out)
		}
		if c.name == "p.dxf" {
			snap, _ := st.Load(ctx, "chi-ma", 0)
			c.want = []string{fmt.Sprintf("Feature Count: %d\n", len(Drawing(snap.Layers, cat).Entities))}
		}
		for _, w := range c.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s: ogrinfo does not say %q:\n%s", c.name, w, out)
			}
		}
	}
}

// TestTT16Dossier: the electronic dossier's folders, a GeoPackage whose
// every layer GDAL lists with the six common fields filled, the sheet as
// PDF, the drawing, the approving dossier's documents and a manifest.
func TestTT16Dossier(t *testing.T) {
	st := sampleStore(t)
	dir := filepath.Join(t.TempDir(), "hoso")
	files, err := ExportTT16(ctx, st, TT16Request{Plan: "truc-trung-tam", Dir: dir, Catalogue: catalogue(t), Fonts: fonts})
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, f := range files {
		have[f.Path] = true
		if fi, err := os.Stat(filepath.Join(dir, f.Path)); err != nil || fi.Size() != f.Size || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: %v %v", f.Path, fi, err)
		}
	}
	for _, p := range []string{"HoSoGIS/QuyHoach/truc-trung-tam.gpkg", "HoSoScan/truc-trung-tam_BanDoQuyHoach.pdf", "HoSoBASIC/truc-trung-tam.dxf", "DanhMuc.csv"} {
		if !have[p] {
			t.Errorf("no %s in %v", p, files)
		}
	}
	for _, d := range tt16Folders {
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("folder %s: %v", d, err)
		}
	}
	scans := 0
	for p := range have {
		if strings.HasPrefix(p, "HoSoScan/") {
			scans++
		}
	}
	if scans < 2 {
		t.Errorf("HoSoScan holds %d files: the sheet and the approving dossier's documents expected", scans)
	}
	m, _ := os.ReadFile(filepath.Join(dir, "DanhMuc.csv"))
	rows, err := csv.NewReader(bytes.NewReader(m)).ReadAll()
	if err != nil || len(rows) < len(files) || rows[0][0] != "tep" {
		t.Fatalf("manifest: %v %v", rows, err)
	}
	listed := map[string]string{}
	for _, r := range rows[1:] {
		listed[r[0]] = r[3]
	}
	for _, f := range files {
		if f.Path != "DanhMuc.csv" && listed[f.Path] != f.SHA256 {
			t.Errorf("manifest: %s listed with %q, its SHA-256 is %s", f.Path, listed[f.Path], f.SHA256)
		}
	}
	if _, ok := listed["HoSoGIS/HienTrang/"]; !ok {
		t.Errorf("the manifest does not say HienTrang holds nothing: %v", listed)
	}
	if _, err := ExportTT16(ctx, st, TT16Request{Plan: "truc-trung-tam", Dir: dir, Catalogue: catalogue(t), Fonts: fonts}); err == nil {
		t.Error("a second dossier into the same folder was written")
	}
	gpkg := filepath.Join(dir, "HoSoGIS/QuyHoach/truc-trung-tam.gpkg")
	l, c, err := store.ReadGeoPackage(ctx, gpkg, gis.LandUseLayer)
	if err != nil || c != crs.TM3LangSon {
		t.Fatalf("%v %v", c, err)
	}
	for _, f := range l.Features {
		for _, k := range []string{"maThongTinQH", "maHoSoQH", "maDoiTuong", "tenDoiTuong", "phanLoai", "ghiChu"} {
			if _, ok := f.Properties[k].(string); !ok {
				t.Fatalf("%s: %s not filled: %v", f.ID, k, f.Properties)
			}
		}
		if f.String("maThongTinQH") == "" {
			t.Fatalf("%s: no maThongTinQH", f.ID)
		}
	}
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		return
	}
	out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", gpkg).CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	layers := strings.Count(string(out), "Layer name: ")
	if layers < 3 || strings.Count(string(out), "tenDoiTuong: String") != layers || strings.Count(string(out), "maThongTinQH: String") != layers {
		t.Errorf("ogrinfo of the dossier's GeoPackage:\n%s", out)
	}
}

// TestInspect lists a file's layers and fields for the import dialog.
func TestInspect(t *testing.T) {
	st := sampleStore(t)
	path := filepath.Join(t.TempDir(), "p.zip")
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: path, Catalogue: catalogue(t)}); err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(ctx, path, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if info.Format.Format != Shapefile || len(info.Layers) != 3 || info.Layers[0].Name != gis.LandUseLayer || info.Layers[0].Features != 82 || info.Layers[0].Kind != gis.AreaKind {
		t.Fatalf("%+v", info)
	}
	fields := map[string]string{}
	for _, f := range info.Layers[0].Fields {
		fields[f.Name] = f.Type
	}
	if fields["tenDoiTuong"] != "String" || fields["matDoXayDung"] != "Real" {
		t.Errorf("fields %v", fields)
	}
	d, err := Inspect(ctx, "../gis/dxf/testdata/office-problems.dxf", ReadOptions{CAD: cadOptions(t)})
	if err != nil {
		t.Fatal(err)
	}
	if d.Reading == nil || len(d.Reading.Problems) == 0 || len(d.Reading.Mapping) == 0 {
		t.Errorf("a drawing's problems and mapping: %+v", d.Reading)
	}
}

// TestExportedFilesAgainstGDALAndEzdxf: ezdxf's audit finds nothing to fix
// in our drawing, and GDAL reads the same lots back from the drawing (its
// hatches), the Shapefile and the KML, with the official areas (the KML's
// transformed to EPSG:9215 by GDAL); our KMZ reads back through GDAL too.
func TestExportedFilesAgainstGDALAndEzdxf(t *testing.T) {
	needGDAL(t)
	st := sampleStore(t)
	dir := t.TempDir()
	cat := catalogue(t)
	total := 0.0
	for _, f := range sampleLots(t, st) {
		total += gis.Area(f.Geometry)
	}
	for _, c := range []struct{ name, open, sql string }{
		{"p.dxf", "{}", "SELECT COUNT(*) AS n, SUM(ST_Area(geometry)) AS a FROM entities WHERE SubClasses LIKE '%Hatch%'"},
		{"p.zip", "/vsizip/{}/ChucNangSuDungDat_A.shp", "SELECT COUNT(*) AS n, SUM(ST_Area(geometry)) AS a FROM ChucNangSuDungDat_A"},
		{"p.kml", "{}", "SELECT COUNT(*) AS n, SUM(ST_Area(ST_Transform(geometry, 9215))) AS a FROM ChucNangSuDungDat_A"},
	} {
		path := filepath.Join(dir, c.name)
		if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: path, Catalogue: cat}); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ogrinfo", "-ro", "-q", strings.ReplaceAll(c.open, "{}", path), "-dialect", "SQLite", "-sql", c.sql).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.name, err, out)
		}
		var n int
		var a float64
		for _, l := range strings.Split(string(out), "\n") {
			l = strings.TrimSpace(l)
			if v, ok := strings.CutPrefix(l, "n (Integer) = "); ok {
				fmt.Sscan(v, &n)
			}
			if v, ok := strings.CutPrefix(l, "a (Real) = "); ok {
				fmt.Sscan(v, &a)
			}
		}
		if n != 82 || math.Abs(a-total) > 1e-4*total {
			t.Errorf("%s: GDAL reads %d lots of %.2f m², want 82 of %.2f\n%s", c.name, n, a, total, out)
		}
		if c.name == "p.dxf" {
			auditEzdxf(t, path)
		}
	}
	kmz := filepath.Join(dir, "p.kmz")
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: kmz, Catalogue: cat}); err != nil {
		t.Fatal(err)
	}
	r, err := Read(ctx, kmz, ReadOptions{Layer: gis.LandUseLayer, Table: gis.LandUseLayer})
	if err != nil {
		t.Fatal(err)
	}
	if l := r.Layers[0]; len(l.Features) != 82 || l.Features[0].ID == "" || l.Features[0].String("maDoiTuong") == "" || l.Features[0].Properties["visibility"] != nil {
		t.Errorf("our KMZ through GDAL: %d lots, first %+v", len(l.Features), l.Features[0].Properties)
	}
}

// auditEzdxf runs ezdxf's audit, the reference for what AutoCAD accepts.
func auditEzdxf(t *testing.T, path string) {
	t.Helper()
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import ezdxf").Run(); err != nil {
		t.Skip("python3-ezdxf not installed (.ci/setup installs it)")
	}
	cmd := exec.Command(py, "-c", `
import sys, ezdxf
doc = ezdxf.readfile(sys.argv[1])
a = doc.audit()
for e in a.errors: print("error", e.code, e.message)
for f in a.fixes: print("fix", f.code, f.message)
`, path)
	cmd.Env = append(os.Environ(), "QT_QPA_PLATFORM=offscreen")
	if out, err := cmd.CombinedOutput(); err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ezdxf audit of %s: %v\n%s", path, err, out)
	}
}
