package plan

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

// writeFile writes a fixture into the test's folder.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// three lots near Hữu Nghị: the second a bow tie (its ring crosses itself
// at 106.7105, 21.9705), the third without a code.
const lotsWithProblems = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"maDoiTuong":"A-1","phanLoai":"DV","matDoXayDung":40},"geometry":{"type":"Polygon","coordinates":[[[106.700,21.970],[106.701,21.970],[106.701,21.971],[106.700,21.971],[106.700,21.970]]]}},
{"type":"Feature","properties":{"maDoiTuong":"A-2","phanLoai":"DV"},"geometry":{"type":"Polygon","coordinates":[[[106.710,21.970],[106.711,21.971],[106.711,21.970],[106.710,21.971],[106.710,21.970]]]}},
{"type":"Feature","properties":{"phanLoai":"CX"},"geometry":{"type":"Polygon","coordinates":[[[106.720,21.970],[106.721,21.970],[106.721,21.971],[106.720,21.971],[106.720,21.970]]]}}]}`

func TestPreviewListsWhatTheImportWouldRefuse(t *testing.T) {
	path := writeFile(t, "lots.geojson", lotsWithProblems)
	p, err := PreviewImport(ctx, nil, ImportRequest{File: path, Read: ReadOptions{Layer: gis.LandUseLayer}, Key: "maDoiTuong"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Format.Format != GeoJSON || p.System.Code != crs.WGS84 || len(p.Layers) != 1 || p.Features() != 3 {
		t.Fatalf("preview %+v", p)
	}
	l := p.Layers[0]
	if l.Name != gis.LandUseLayer || l.Kind != gis.AreaKind || len(l.Fields) != 3 || l.Fields[0].Name != "maDoiTuong" || l.Fields[1] != (FieldInfo{"matDoXayDung", "Real"}) {
		t.Fatalf("layer %+v", l)
	}
	// the extent, in the grid, holds the first lot's corner and the third's
	grid, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	for _, c := range []orb.Point{{106.700, 21.970}, {106.721, 21.971}} {
		q := grid(c)
		if !l.Extent.Pad(0.001).Contains(q) {
			t.Errorf("extent %v misses %v", l.Extent, q)
		}
	}
	if w := l.Extent.Max[0] - l.Extent.Min[0]; w < 2160 || w > 2190 { // 0.021° of longitude at 22° N
		t.Errorf("extent %v m wide", w)
	}
	if len(p.Problems) != 2 || !p.Blocking() || p.Refusing != 2 {
		t.Fatalf("problems %v", p.Problems)
	}
	bow, nokey := p.Problems[0], p.Problems[1]
	if bow.Feature != 1 || !bow.Placed || !bow.Blocking || !strings.Contains(bow.Message, "invalid lot") {
		t.Errorf("bow tie %+v", bow)
	}
	if at := grid(orb.Point{106.7105, 21.9705}); !near(bow.At, at, 80) {
		t.Errorf("bow tie placed at %v, want near %v", bow.At, at)
	}
	if nokey.Feature != 2 || !strings.Contains(nokey.Message, "1 of 3 features have no maDoiTuong") {
		t.Errorf("missing key %+v", nokey)
	}
	// with repair, the bow tie is repaired, not refused
	p, err = PreviewImport(ctx, nil, ImportRequest{File: path, Read: ReadOptions{Layer: gis.LandUseLayer}, Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 1 || p.Blocking() || !strings.HasPrefix(p.Problems[0].Message, "will be repaired") {
		t.Fatalf("with repair: %v", p.Problems)
	}
}

func TestPreviewOfBrokenAndProjectedFiles(t *testing.T) {
	// a ring not closed: the reader's problem, with its feature and path
	broken := writeFile(t, "bad.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"maDoiTuong":"K"},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.91],[106.7,21.9]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.95]]]}}]}`)
	p, err := PreviewImport(ctx, nil, ImportRequest{File: broken, Read: ReadOptions{Layer: gis.LandUseLayer}})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Problems) != 1 || p.Problems[0].Feature != 1 || p.Problems[0].Path != "features[1].geometry.coordinates[0]" || !p.Blocking() {
		t.Fatalf("problems %+v", p.Problems)
	}
	if got := p.Problems[0].String(); got != "feature 1: ring not closed (features[1].geometry.coordinates[0])" {
		t.Errorf("one line %q", got)
	}
	// VN-2000 metres in a file that names no system
	grid := writeFile(t, "grid.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[444100,2430500],[444200,2430500],[444200,2430600],[444100,2430600],[444100,2430500]]]}}]}`)
	if p, err = PreviewImport(ctx, nil, ImportRequest{File: grid, Read: ReadOptions{Layer: gis.LandUseLayer}}); err != nil {
		t.Fatal(err)
	}
	if !p.LooksProjected || !p.Blocking() {
		t.Fatalf("projected coordinates read as degrees: %+v", p)
	}
	// read as EPSG:9215, the same file is a 100 m square where it says
	p, err = PreviewImport(ctx, nil, ImportRequest{File: grid, Read: ReadOptions{Layer: gis.LandUseLayer, CRS: crs.TM3LangSon}})
	if err != nil {
		t.Fatal(err)
	}
	if e := p.Layers[0].Extent; p.Blocking() || p.System.Code != crs.TM3LangSon || !near(e.Min, orb.Point{444100, 2430500}, 1) || !near(e.Max, orb.Point{444200, 2430600}, 1) {
		t.Fatalf("read in the grid: extent %v, problems %v", e, p.Problems)
	}
	// a file that names its system refuses another
	named := writeFile(t, "named.geojson", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[444100,2430500],[444200,2430500],[444200,2430600],[444100,2430600],[444100,2430500]]]}}]}`)
	_, err = PreviewImport(ctx, nil, ImportRequest{File: named, Read: ReadOptions{Layer: gis.LandUseLayer, CRS: crs.WGS84}})
	if err == nil || !strings.Contains(err.Error(), "EPSG:9215") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("a contradicting system: %v", err)
	}
	// not a plan file at all
	if _, err := PreviewImport(ctx, nil, ImportRequest{File: writeFile(t, "x.geojson", "")}); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Fatalf("an empty file: %v", err)
	}
}

func TestPreviewOfADrawingPlacesItsProblems(t *testing.T) {
	st := sampleStore(t)
	req := ImportRequest{File: "../gis/dxf/testdata/office-problems.dxf", Read: ReadOptions{CAD: cadOptions(t)}}
	p, err := PreviewImport(ctx, st, req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format.Format != DXF || len(p.Mapping) == 0 || len(p.Layers) == 0 || len(p.Problems) == 0 || !p.Blocking() {
		t.Fatalf("preview %+v", p)
	}
	for _, q := range p.Problems {
		if q.Line == 0 || !q.Placed || q.At[0] < 100000 || q.At[1] < 1000000 {
			t.Errorf("a drawing's problem without its line or place in the grid: %+v", q)
		}
	}
	// taking the valid lots: the same problems, none refusing
	req.Read.CAD.Partial = true
	if p, err = PreviewImport(ctx, st, req); err != nil {
		t.Fatal(err)
	}
	if p.Blocking() || len(p.Problems) == 0 {
		t.Fatalf("partial: %+v", p.Problems)
	}
}

func TestOpenImportRunsAsTheCLI(t *testing.T) {
	st := sampleStore(t)
	path := filepath.Join(t.TempDir(), "lots.geojson")
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Layers: []string{gis.LandUseLayer}, CRS: crs.TM3LangSon, Path: path}); err != nil {
		t.Fatal(err)
	}
	before, _ := st.Versions(ctx, "chi-ma")
	var progress int
	im, err := OpenImport(ctx, st, ImportRequest{Plan: "chi-ma", File: path, Read: ReadOptions{Layer: gis.LandUseLayer}, Key: "maDoiTuong",
		Progress: func(done, total int) { progress = done }})
	if err != nil {
		t.Fatal(err)
	}
	res, err := im.Run(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := st.Versions(ctx, "chi-ma")
	if !res.Unchanged || len(after) != len(before) {
		t.Fatalf("a round trip through the grid: %+v (progress %d)", res, progress)
	}
	// a file of a layer with no TT 16 name, imported without naming one
	if _, err := OpenImport(ctx, st, ImportRequest{Plan: "chi-ma", File: path}); !errors.As(err, new(*LayerNameError)) {
		t.Fatalf("no layer name: %v", err)
	}
	// an invalid lot: refused with its feature and place, the store unchanged
	bad := writeFile(t, "bad.geojson", lotsWithProblems)
	im, err = OpenImport(ctx, st, ImportRequest{Plan: "chi-ma", File: bad, Read: ReadOptions{Layer: gis.LandUseLayer}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = im.Run(ctx, st)
	probs := ProblemsOf(err, crs.System{}, gis.LandUseLayer)
	if err == nil || len(probs) != 1 || probs[0].Feature != 1 || !probs[0].Placed || probs[0].Layer != gis.LandUseLayer {
		t.Fatalf("an invalid lot: %v %+v", err, probs)
	}
	if v, _ := st.Versions(ctx, "chi-ma"); len(v) != len(before) {
		t.Fatal("a refused import wrote a version")
	}
	if _, err := OpenImport(ctx, st, ImportRequest{Plan: "nope", File: bad}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no such plan: %v", err)
	}
}

func TestCreatePlanWithAgencies(t *testing.T) {
	st := sampleStore(t)
	p := store.Plan{Code: "kcn-moi", Name: "KCN mới", Level: "zoning", Scale: 2000, Area: "Đồng Đăng"}
	bad := store.Agencies{Approver: "UBND\ntỉnh", Appraiser: "Sở Xây dựng", Proposer: "BQL"}
	if err := CreatePlan(ctx, st, p, &bad, "test"); err == nil {
		t.Fatal("agencies on two lines were taken")
	}
	if _, err := st.Plan(ctx, "kcn-moi"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a refused plan was made: %v", err)
	}
	a := store.DefaultAgencies("zoning")
	a.Consultant = "Viện Quy hoạch Xây dựng Lạng Sơn"
	if err := CreatePlan(ctx, st, p, &a, "test"); err != nil {
		t.Fatal(err)
	}
	got, err := st.Agencies(ctx, "kcn-moi")
	if err != nil || got.Default || got.Consultant != a.Consultant || got.By != "test" {
		t.Fatalf("agencies %+v %v", got, err)
	}
	// the zone's defaults are not recorded: the plan takes them for its level
	p.Code = "kcn-2"
	d := store.DefaultAgencies("detailed")
	if err := CreatePlan(ctx, st, store.Plan{Code: "kcn-2", Name: "KCN 2", Level: "detailed", Scale: 500}, &d, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Agencies(ctx, "kcn-2"); !got.Default {
		t.Fatalf("defaults recorded: %+v", got)
	}
	if err := CreatePlan(ctx, st, store.Plan{Code: "kcn-2", Name: "again", Level: "detailed", Scale: 500}, nil, ""); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("a second plan of the same code: %v", err)
	}
}

func TestExportFormatsAndTheirSystems(t *testing.T) {
	want := map[string]crs.Code{GeoJSON: crs.WGS84, GeoPackage: crs.TM3LangSon, DXF: crs.TM3LangSon, Shapefile: crs.TM3LangSon, KML: crs.WGS84, KMZ: crs.WGS84}
	fs := ExportFormats()
	if len(fs) != len(want) || fs[0].Format != GeoJSON || !fs[0].OneLayer {
		t.Fatalf("%+v", fs)
	}
	for _, f := range fs {
		if f.CRS != want[f.Format] {
			t.Errorf("%s: %s, want %s", f.Format, f.CRS, want[f.Format])
		}
		if got, err := FormatOf("x" + f.Ext); err != nil || got != f.Format {
			t.Errorf("%s: the extension %s is read as %q %v", f.Format, f.Ext, got, err)
		}
	}
}
