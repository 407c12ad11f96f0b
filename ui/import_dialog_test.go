package ui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/plan"
	"quyhoach/store"
)

// chiMaLots exports Chi Ma's lots as GeoJSON in the grid (EPSG:9215), as
// an office's file comes, and returns its path and its features.
func chiMaLots(t *testing.T, st *store.Store) (string, map[string]any) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "chi-ma-lots.geojson")
	if err := plan.Export(context.Background(), st, plan.ExportRequest{Plan: "chi-ma", Layers: []string{gis.LandUseLayer}, CRS: crs.TM3LangSon, Path: path}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc map[string]any
	if err := json.Unmarshal(b, &fc); err != nil {
		t.Fatal(err)
	}
	return path, fc
}

// editLots changes Chi Ma's lots as a surveyor's new delivery would: one
// lot's class, one lot gone, one lot new; it writes them to a file.
func editLots(t *testing.T, fc map[string]any) string {
	t.Helper()
	fs := fc["features"].([]any)
	props := func(i int) map[string]any { return fs[i].(map[string]any)["properties"].(map[string]any) }
	props(0)["phanLoai"] = "DV"
	props(0)["ghiChu"] = "đổi loại đất"
	added := map[string]any{"type": "Feature", "properties": map[string]any{"maDoiTuong": "MOI-01", "phanLoai": "CXCC"},
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{479700, 2404400}, {479720, 2404400}, {479720, 2404420}, {479700, 2404420}, {479700, 2404400}}}}}
	for _, f := range fs {
		delete(f.(map[string]any), "id") // an office's file knows no ids: the key keeps them
	}
	fc["features"] = append(fs[:len(fs)-1], added)
	b, _ := json.Marshal(fc)
	path := filepath.Join(t.TempDir(), "giao-nop.geojson")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func versions(t *testing.T, st *store.Store, code string) int {
	t.Helper()
	vs, err := st.Versions(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return len(vs)
}

func TestImportDialogPreviewsThenImports(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	open(t, w, "chi-ma")
	_, fc := chiMaLots(t, st)
	path := editLots(t, fc)
	d := w.ImportFile(path, "")
	if d.code() != "chi-ma" || d.Format.Text != "GeoJSON" {
		t.Fatalf("into %q, format %q", d.code(), d.Format.Text)
	}
	// a file of areas whose layer has no TT 16 name: the lots are proposed
	if d.Layer.Text != gis.LandUseLayer {
		t.Fatalf("layer proposed %q", d.Layer.Text)
	}
	d.CRS.SetText("EPSG:9215 (VN-2000 / TM-3 107-15)")
	if d.Preview == nil || d.Preview.Features() != 82 || d.Import.Disabled() {
		t.Fatalf("preview %+v, error %q", d.Preview, d.Error.Text)
	}
	if !strings.Contains(d.Summary.Text, "82 đối tượng vào ChucNangSuDungDat_A") || !strings.Contains(d.Summary.Text, "EPSG:9215") ||
		!strings.Contains(d.Summary.Text, "Không thấy lỗi nào") {
		t.Fatalf("summary %q", d.Summary.Text)
	}
	// the extent is outlined over the plan on the dialog's map
	ext := d.Marks.Extent()
	if ext == nil || d.Map.Scene() == nil || !ext.Intersects(d.Map.Scene().Extent) {
		t.Fatalf("extent %v over the plan %v", ext, d.Map.Scene())
	}
	if len(test.WidgetRenderer(d.Marks).Objects()) != 4 {
		t.Fatal("the extent is not drawn as four sides")
	}
	// the key is one of the file's fields
	if !strings.Contains(strings.Join(d.Key.Options, ","), "maDoiTuong") {
		t.Fatalf("key choices %v", d.Key.Options)
	}
	d.Key.SetSelected("maDoiTuong")
	if d.Import.Disabled() {
		t.Fatalf("import disabled with the key: %q", d.Error.Text)
	}
	n := versions(t, st, "chi-ma")
	test.Tap(d.Import)
	if d.Done == nil || d.Done.Unchanged {
		t.Fatalf("import: %q %q", d.Error.Text, d.Result.Text)
	}
	if got := d.Result.Text; !strings.Contains(got, "82 đối tượng (81 giữ mã định danh, 1 mới, 1 bị bỏ)") {
		t.Fatalf("result %q", got)
	}
	if versions(t, st, "chi-ma") != n+1 || len(w.Browser.Versions("chi-ma")) != n+1 {
		t.Fatalf("the browser lists %d versions, want %d", len(w.Browser.Versions("chi-ma")), n+1)
	}
	// the window shows the new current version
	if s := w.shown.state; s == nil || s.Plan.Code != "chi-ma" || s.Version.Number != d.Done.Version.Number {
		t.Fatalf("shown %v", w.shown.node)
	}
	d.close()
}

func TestImportDialogRefusals(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	dir := t.TempDir()
	n := versions(t, st, "huu-nghi")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(text), 0o644)
		return p
	}
	oneLine := func(what string, d *importDialog, want string) {
		t.Helper()
		if !d.Import.Disabled() || !strings.Contains(d.Error.Text, want) || strings.Contains(d.Error.Text, "\n") {
			t.Errorf("%s: import enabled %v, error %q, want one line with %q", what, !d.Import.Disabled(), d.Error.Text, want)
		}
	}
	// a broken file: the reader's problems listed with feature and path
	broken := write("broken.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.97],[106.71,21.97],[106.71,21.975],[106.7,21.97]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[106.7,21.9],[106.71,21.9],[106.71,21.91],[106.7,21.95]]]}}]}`)
	d := w.ImportFile(broken, "huu-nghi")
	d.Layer.SetText(gis.LandUseLayer)
	oneLine("a broken file", d, "1 lỗi khiến việc nhập bị từ chối")
	if len(d.problems) != 1 || !strings.Contains(problemText(d.problems[0]), "Đối tượng 1 (ChucNangSuDungDat_A): ring not closed — features[1].geometry.coordinates[0]") {
		t.Fatalf("problems %v", d.problems)
	}
	d.close()
	// a file in the grid read as WGS84, and a system that contradicts the file
	grid := write("grid.geojson", `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::9215"}},"features":[
{"type":"Feature","properties":{"maDoiTuong":"X-1"},"geometry":{"type":"Polygon","coordinates":[[[444100,2430500],[444200,2430500],[444200,2430600],[444100,2430600],[444100,2430500]]]}}]}`)
	d = w.ImportFile(grid, "huu-nghi")
	d.Layer.SetText(gis.LandUseLayer)
	if d.Import.Disabled() || d.Preview.System.Code != crs.TM3LangSon {
		t.Fatalf("a file naming its system: %q", d.Error.Text)
	}
	d.CRS.SetText("EPSG:4326")
	oneLine("a contradicting system", d, "EPSG:9215")
	d.CRS.SetText("EPSG:99999")
	oneLine("an unknown system", d, "Không rõ hệ tọa độ EPSG:99999")
	d.close()
	// an invalid polygon: refused with its feature, placed on the map
	bow := write("bow.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"maDoiTuong":"B-1"},"geometry":{"type":"Polygon","coordinates":[[[106.710,21.970],[106.711,21.971],[106.711,21.970],[106.710,21.971],[106.710,21.970]]]}}]}`)
	d = w.ImportFile(bow, "huu-nghi")
	d.Layer.SetText(gis.LandUseLayer)
	oneLine("a bow tie", d, "1 lỗi")
	if len(d.problems) != 1 || !d.problems[0].Placed || !strings.Contains(d.problems[0].Message, "invalid lot") {
		t.Fatalf("problems %+v", d.problems)
	}
	c0, _ := d.Map.Center()
	d.Problems.Select(0)
	if c1, _ := d.Map.Center(); c1 == c0 || !near(c1, d.problems[0].At, 1) {
		t.Fatalf("the map did not go to the problem: %v → %v (%v)", c0, c1, d.problems[0].At)
	}
	// repaired, it comes in
	d.Repair.SetChecked(true)
	if d.Import.Disabled() || !strings.HasPrefix(problemText(d.problems[0]), "– ") {
		t.Fatalf("with repair: %q %v", d.Error.Text, d.problems)
	}
	d.close()
	// the file changed between the preview and the import: the store refuses
	// it, names the lot and its place, and stays as it was
	good := write("good.geojson", `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"maDoiTuong":"B-1"},"geometry":{"type":"Polygon","coordinates":[[[106.710,21.970],[106.711,21.970],[106.711,21.971],[106.710,21.971],[106.710,21.970]]]}}]}`)
	d = w.ImportFile(good, "huu-nghi")
	d.Layer.SetText("Test_A")
	if d.Import.Disabled() {
		t.Fatalf("a good file: %q", d.Error.Text)
	}
	b, _ := os.ReadFile(bow)
	os.WriteFile(good, b, 0o644)
	test.Tap(d.Import)
	if d.Done != nil || !strings.HasPrefix(d.Error.Text, "Bị từ chối, kho dữ liệu giữ nguyên") || strings.Contains(d.Error.Text, "\n") {
		t.Fatalf("refused: %q", d.Error.Text)
	}
	if len(d.problems) != 1 || d.problems[0].Feature != 0 || !d.problems[0].Placed || d.problems[0].Layer != "Test_A" {
		t.Fatalf("the refusal's problem %+v", d.problems)
	}
	if versions(t, st, "huu-nghi") != n {
		t.Fatal("a refused import wrote a version")
	}
	d.close()
	// not a plan file at all
	d = w.ImportFile(write("notes.txt", "ghi chú"), "huu-nghi")
	oneLine("a text file", d, "Lỗi:")
	d.close()
	if versions(t, st, "huu-nghi") != n {
		t.Fatal("the store changed")
	}
}

func TestImportDialogDrawing(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	n := versions(t, st, "dong-banh")
	d := w.ImportFile("../gis/dxf/testdata/office-problems.dxf", "dong-banh")
	if d.Format.Text != "AutoCAD DXF" || len(d.CAD) == 0 || !d.Import.Disabled() {
		t.Fatalf("a drawing with problems: format %q, %d CAD rows, error %q", d.Format.Text, len(d.CAD), d.Error.Text)
	}
	for _, q := range d.problems {
		if q.Line == 0 || !q.Placed {
			t.Errorf("a drawing's problem without line or place: %+v", q)
		}
	}
	// the valid lots are taken; one CAD layer is mapped otherwise, and kept
	d.Partial.SetChecked(true)
	if d.Import.Disabled() {
		t.Fatalf("partial: %q", d.Error.Text)
	}
	var row *cadRow
	for _, r := range d.CAD {
		if r.Target.Text == "-" {
			row = r
		}
	}
	if row == nil {
		t.Fatalf("no ignored CAD layer among %d rows", len(d.CAD))
	}
	row.Target.SetText("CX?")
	if !d.Import.Disabled() || !strings.Contains(d.Error.Text, "CX? không phải mã loại đất") {
		t.Fatalf("an unknown class: %q", d.Error.Text)
	}
	row.Target.SetText("CXCC")
	if d.edits[row.Layer] != "CXCC" || d.Import.Disabled() {
		t.Fatalf("row %s: %q, error %q", row.Layer, d.edits[row.Layer], d.Error.Text)
	}
	d.KeepCAD.SetChecked(true)
	test.Tap(d.Import)
	if d.Done == nil || versions(t, st, "dong-banh") != n+1 {
		t.Fatalf("the drawing's import: %q %q", d.Error.Text, d.Result.Text)
	}
	t2, err := plan.StoredCADTable(context.Background(), st, w.cat)
	if err != nil || len(t2) == 0 || t2[0].Pattern != row.Layer || t2[0].Target.Class != "CXCC" {
		t.Fatalf("the store's CAD table %+v %v", t2, err)
	}
	d.close()
}

// stallingStore holds an import until it is cancelled.
type stallingStore struct {
	*store.Store
	started chan struct{}
}

func (s *stallingStore) ImportFrom(ctx context.Context, req store.ImportRequest, ls []store.LayerSource) (store.ImportResult, error) {
	close(s.started)
	<-ctx.Done()
	return s.Store.ImportFrom(ctx, req, ls)
}

func TestImportDialogStops(t *testing.T) {
	st := sampleStore(t)
	src := &stallingStore{Store: st, started: make(chan struct{})}
	a := test.NewApp()
	defer a.Quit()
	w, err := New(a, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	path, _ := chiMaLots(t, st)
	d := w.ImportFile(path, "chi-ma")
	d.Layer.SetText(gis.LandUseLayer)
	pump(t, "the preview", func() bool { return !d.Import.Disabled() })
	n := versions(t, st, "chi-ma")
	test.Tap(d.Import)
	<-src.started
	if !d.Stop.Visible() || !d.Progress.Visible() {
		t.Fatal("no progress or Stop while importing")
	}
	test.Tap(d.Stop)
	pump(t, "the import to stop", func() bool { return strings.Contains(d.Error.Text, "Đã dừng") })
	if d.Done != nil || d.Stop.Visible() || versions(t, st, "chi-ma") != n {
		t.Fatalf("stopped: done %v, versions %d, want %d", d.Done, versions(t, st, "chi-ma"), n)
	}
	d.close()
}
