package plan

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/store"
)

var ctx = context.Background()

func sampleStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	return st
}

func catalogue(t testing.TB) *landuse.Catalogue {
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

var fonts = render.Fonts{Regular: assets.FontRegular, Bold: assets.FontBold}

func TestOpenProjectsOnceToTheGrid(t *testing.T) {
	st := sampleStore(t)
	s, err := Open(ctx, st, "truc-trung-tam", Ref{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Version.Number != 2 || s.Dossier != nil || s.Ref() != (Ref{Version: 2}) || len(s.Lots()) != 459 {
		t.Fatalf("current version %d, dossier %v, ref %v, %d lots", s.Version.Number, s.Dossier, s.Ref(), len(s.Lots()))
	}
	// EPSG:9215 metres, as cs2cs gives them for the corridor (E ≈ 4.4e5, N ≈ 2.42e6)
	b, ok := s.Extent()
	if !ok || b.Min[0] < 4e5 || b.Max[0] > 5e5 || b.Min[1] < 2.4e6 || b.Max[1] > 2.45e6 {
		t.Fatalf("extent %v not in the grid", b)
	}
	// the same lot loaded raw and projected by hand
	snap, _, err := Load(ctx, st, "truc-trung-tam", Ref{})
	if err != nil {
		t.Fatal(err)
	}
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	first := func(g orb.Geometry) orb.Point {
		for p := range gis.Paths(g) {
			return p.Points[0]
		}
		return orb.Point{}
	}
	want := tr(first(snap.Layer(gis.LandUseLayer).Features[0].Geometry))
	if got := first(s.Lots()[0].Geometry); gis.Area(s.Lots()[0].Geometry) < 1 || abs(got[0]-want[0]) > 1e-6 || abs(got[1]-want[1]) > 1e-6 {
		t.Fatalf("projected corner %v, want %v", got, want)
	}
	if s.Boundary() == nil || len(s.Lines()) == 0 {
		t.Fatal("no boundary or line layer")
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

func TestOpenADossierProposal(t *testing.T) {
	st := sampleStore(t)
	s, err := Open(ctx, st, "", Ref{Dossier: 2})
	if err != nil {
		t.Fatal(err)
	}
	if s.Plan.Code != "chi-ma" || s.Dossier == nil || s.Dossier.ID != 2 || s.Version.Number != 0 || s.Base() != s.Dossier.Base {
		t.Fatalf("proposal of %s, dossier %+v, version %d", s.Plan.Code, s.Dossier, s.Version.Number)
	}
	var wp *WrongPlanError
	if _, err := Open(ctx, st, "huu-nghi", Ref{Dossier: 2}); !errors.As(err, &wp) || wp.Plan != "chi-ma" {
		t.Fatalf("a dossier of another plan: %v", err)
	}
	if _, err := Open(ctx, st, "chi-ma", Ref{Version: 99}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a missing version: %v", err)
	}
}

// TestCompareOneComputationForEveryFace: the comparison of the central
// axis's two versions has the changes, lineage and balances the CLI prints.
func TestCompareOneComputationForEveryFace(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	before, err := Open(ctx, st, "truc-trung-tam", Ref{Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	after, err := Open(ctx, st, "truc-trung-tam", Ref{Version: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(before, after, cat)
	var kinds []string
	for _, r := range c.Rows {
		name := r.Code
		if r.IsLineage() {
			name = strings.Join(r.Parents, ",") + ">" + strings.Join(r.Children, ",")
		}
		kinds = append(kinds, r.Kind+" "+name)
	}
	want := "modified CSD-02|modified NN-10|modified RSX-05|modified OLX-14|modified NN-11|modified NN-19|added HTKT-05|added DV-13a|added DV-13b|removed DV-07|removed VH-05|removed DV-13|merge DV-07,VH-05>HTKT-05|split DV-13>DV-13a,DV-13b"
	if got := strings.Join(kinds, "|"); got != want {
		t.Fatalf("rows\n got %s\nwant %s", got, want)
	}
	for _, r := range c.Rows {
		if r.Bound == (orb.Bound{}) {
			t.Errorf("row %s %s has no extent to zoom to", r.Kind, r.Code)
		}
	}
	// a modified lot's fields come class first, then indicators, then the rest
	for _, r := range c.Rows {
		for i := 1; i < len(r.Fields); i++ {
			if r.Fields[i-1].Key == "ghiChu" && r.Fields[i].Key == "phanLoai" {
				t.Errorf("%s: class after the note", r.Code)
			}
		}
	}
	adj := c.Adjusted.Rounded(2)
	if adj.TotalHa != 11.84 || adj.BeforeTotalHa != 11.84 || len(adj.Rows) != 11 || !c.Whole.HasBefore {
		t.Fatalf("adjusted area %v / %v ha in %d rows", adj.TotalHa, adj.BeforeTotalHa, len(adj.Rows))
	}
	var csv bytes.Buffer
	if err := WriteBalanceCSV(&csv, c.Adjusted); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(csv.String(), "stt,code,name,before_ha,before_percent,ha,percent,change_ha\n") || !strings.Contains(csv.String(), ",Tổng,11.84,100.00,11.84,100.00,0.00") {
		t.Fatalf("balance CSV:\n%s", csv.String())
	}
	// the adjustment of version 2 is this comparison: its dossier's
	adjOf, err := Adjustment(ctx, st, after, cat)
	if err != nil || adjOf == nil || len(adjOf.Rows) != len(c.Rows) {
		t.Fatalf("adjustment of version 2: %v, %v", adjOf, err)
	}
	if a, _ := Adjustment(ctx, st, before, cat); a != nil {
		t.Fatal("version 1 was not made by a dossier")
	}
}

func TestClassOfFallsBackToPhanLoai(t *testing.T) {
	cl := ClassOf(catalogue(t))
	if c := cl(gis.Feature{Properties: map[string]any{"phanLoai": "CN"}}); c.Code != "CN" || !strings.HasPrefix(c.Name, "Đất") {
		t.Fatalf("CN: %+v", c)
	}
	if c := cl(gis.Feature{Properties: map[string]any{"phanLoai": "XYZ"}}); c != (diff.Class{Code: "XYZ", Name: "XYZ"}) {
		t.Fatalf("unknown class: %+v", c)
	}
}

func TestCheckNeedsLots(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	s, err := Open(ctx, st, "chi-ma", Ref{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Check(ctx, s, cat, 1); err != nil {
		t.Fatal(err)
	}
	s.Layers = nil
	var nl *NoLayerError
	if _, err := Check(ctx, s, cat, 1); !errors.As(err, &nl) || nl.Layer != gis.LandUseLayer {
		t.Fatalf("no lots: %v", err)
	}
}

func TestPrintRequestErrorsNameTheirOptions(t *testing.T) {
	center := orb.Point{106.7, 21.9}
	for _, tc := range []struct {
		r    PrintRequest
		want string
	}{
		{PrintRequest{Plan: "x", Paper: "B4"}, `--paper: unknown paper "B4"`},
		{PrintRequest{Plan: "x", Paper: "A3", Scale: -5}, "--scale -5: want"},
		{PrintRequest{Plan: "x", Paper: "A3", Compare: true}, "--compare needs --dossier"},
		{PrintRequest{Plan: "x", Paper: "A3", Atlas: true, Lots: []string{"A"}}, "--atlas tiles the whole plan"},
		{PrintRequest{Plan: "x", Paper: "A3", Adjusted: true, Lots: []string{"A"}, Ref: Ref{Dossier: 1}}, "--adjusted and --lots exclude each other"},
		{PrintRequest{Plan: "x", Paper: "A3", Center: &center, Adjusted: true, Ref: Ref{Dossier: 1}}, "--center and --adjusted exclude each other"},
		{PrintRequest{Plan: "x", Paper: "A3", Date: "2026-11-27"}, `--date "2026-11-27": want dd/mm/yyyy`},
	} {
		err := tc.r.Check()
		var re *RequestError
		if !errors.As(err, &re) {
			t.Errorf("%+v: %v, want a RequestError", tc.r, err)
			continue
		}
		if got := re.Text(func(o string) string { return "--" + o }); !strings.HasPrefix(got, tc.want) {
			t.Errorf("got %q, want %q", got, tc.want)
		}
	}
}

func TestSheetsOfADossier(t *testing.T) {
	st, cat := sampleStore(t), catalogue(t)
	doc, err := Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Ref: Ref{Dossier: 2}, Paper: "A3", Compare: true, Balance: true, DrawingNo: "QH-07"})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sheets) != 2 {
		t.Fatalf("%d sheets, want the base and the adjustment", len(doc.Sheets))
	}
	base, adj := doc.Sheets[0], doc.Sheets[1]
	if base.Title.DrawingNo != "QH-07a" || adj.Title.DrawingNo != "QH-07b" || adj.Title.Adjustment != "Điều chỉnh cục bộ" || base.Title.Adjustment != "" {
		t.Fatalf("title blocks %+v / %+v", base.Title, adj.Title)
	}
	if len(adj.Map.Highlight) == 0 || len(base.Map.Highlight) != len(adj.Map.Highlight) {
		t.Fatal("the adjusted area is not outlined on both pages")
	}
	if adj.Balance == nil || adj.Adjusted == nil || !adj.Balance.HasBefore {
		t.Fatal("no balance tables")
	}
	if adj.Title.AppraisingBody == "" || !strings.Contains(base.Note, "minh họa") {
		t.Fatalf("appraising body %q, note %q", adj.Title.AppraisingBody, base.Note)
	}
	// a lot that is not there is refused, named
	_, err = Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "chi-ma", Paper: "A3", Lots: []string{"KNQ-01", "XX-9"}})
	var re *RequestError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "lots: no lot XX-9") {
		t.Fatalf("missing lot: %v", err)
	}
	// an approved version's title block cites its decision
	doc, err = Sheets(ctx, st, cat, fonts, PrintRequest{Plan: "truc-trung-tam", Paper: "A1", Landscape: true})
	if err != nil {
		t.Fatal(err)
	}
	if tb := doc.Sheets[0].Title; !strings.HasPrefix(tb.DecisionNo, "Quyết định số ") || tb.DecisionDate == "" {
		t.Fatalf("decision in the title block: %+v", tb)
	}
}

func TestReadLayer(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	lots := write("lots.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"maDoiTuong":"A"},
		"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.701,21.9],[106.701,21.901],[106.7,21.9]]]}}]}`)
	l, err := ReadLayer(ctx, lots, ReadOptions{Layer: gis.LandUseLayer, RequireGeometry: true})
	if err != nil || l.Name != gis.LandUseLayer || len(l.Features) != 1 {
		t.Fatalf("%+v %v", l, err)
	}
	line := write("line.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
		"geometry":{"type":"LineString","coordinates":[[106.7,21.9],[106.701,21.9]]}}]}`)
	if _, err := ReadLayer(ctx, line, ReadOptions{Layer: gis.LandUseLayer}); err == nil || !strings.Contains(err.Error(), "holds areas, not a LineString") {
		t.Fatalf("a line in an area layer: %v", err)
	}
	if _, err := ReadLayer(ctx, line, ReadOptions{Layer: "TimDuong_L"}); err != nil {
		t.Fatalf("a line layer: %v", err)
	}
	grid := write("grid.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
		"geometry":{"type":"Polygon","coordinates":[[[444000,2430000],[444100,2430000],[444100,2430100],[444000,2430000]]]}}]}`)
	if _, err := ReadLayer(ctx, grid, ReadOptions{Layer: gis.LandUseLayer}); err == nil || !strings.Contains(err.Error(), "--crs EPSG:9215") {
		t.Fatalf("projected coordinates without a CRS: %v", err)
	}
	if l, err := ReadLayer(ctx, grid, ReadOptions{Layer: gis.LandUseLayer, CRS: crs.TM3LangSon}); err != nil || l.Features[0].Geometry.Bound().Min[0] > 180 {
		t.Fatalf("with --crs EPSG:9215: %v", err)
	}
}

// TestExportWritesWhereAsked: paths with '#', '?', spaces and Vietnamese
// letters get the file, whole, mode 0644, in both formats.
func TestExportWritesWhereAsked(t *testing.T) {
	st := sampleStore(t)
	dir := t.TempDir()
	for _, name := range []string{"dir#x/p.gpkg", "a?b/lô đất.geojson", "Đồng Đăng/chi ma.gpkg"} {
		path := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(path), 0o755)
		req := ExportRequest{Plan: "chi-ma", Path: path}
		if strings.HasSuffix(name, ".geojson") {
			req.Layers = []string{gis.LandUseLayer}
		}
		if err := Export(ctx, st, req); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		fi, err := os.Stat(path)
		if err != nil || fi.Size() < 1000 || fi.Mode().Perm() != 0o644 {
			t.Fatalf("%s: %v, %v", name, fi, err)
		}
		if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
			t.Fatalf("%s: %d files beside it", name, len(entries))
		}
		if _, err := exec.LookPath("ogrinfo"); err == nil {
			if out, err := exec.Command("ogrinfo", "-ro", "-so", "-al", path).CombinedOutput(); err != nil || !strings.Contains(string(out), "Feature Count") {
				t.Fatalf("ogrinfo %s: %v\n%s", name, err, out)
			}
		}
	}
	var ee *ExportError
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: filepath.Join(dir, "all.geojson")}); !errors.As(err, &ee) || !strings.Contains(err.Error(), "one layer") {
		t.Fatalf("several layers to GeoJSON: %v", err)
	}
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: filepath.Join(dir, "x.shp")}); !errors.As(err, &ee) {
		t.Fatalf("unknown format: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "all.geojson")); !os.IsNotExist(err) {
		t.Fatal("a refused export left a file")
	}
}
