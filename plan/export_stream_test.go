package plan

import (
	"bytes"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

// wholeSource is a store seen only through Source: exports through it take
// the whole-version path, loading the version into memory.
type wholeSource struct{ Source }

// TestStreamedExportIsWholeExport: a version exported a batch at a time is
// byte for byte the GeoJSON the whole-version path writes (to a file and
// to a writer; in WGS84, in the plan's grid, and in another CRS) and row
// for row its GeoPackage, for every layer of every version of the sample
// plans and for a generated layer of several batches, in key order and
// out of it.
func TestStreamedExportIsWholeExport(t *testing.T) {
	st := sampleStore(t)
	dir := t.TempDir()
	same := func(req ExportRequest) {
		t.Helper()
		name := fmt.Sprintf("%s-%d-%d-%s-%d", req.Plan, req.Version, req.Dossier, strings.Join(req.Layers, "+"), req.CRS)
		want, got := req, req
		want.Path, got.Path = filepath.Join(dir, name+".old."+req.Format), filepath.Join(dir, name+"."+req.Format)
		if err := Export(ctx, wholeSource{st}, want); err != nil {
			t.Fatal(err)
		}
		if err := Export(ctx, st, got); err != nil {
			t.Fatal(err)
		}
		if req.Format == GeoPackage {
			if a, b := gpkgDump(t, want.Path), gpkgDump(t, got.Path); a != b {
				t.Fatalf("%s: the streamed GeoPackage differs", name)
			}
			return
		}
		a, _ := os.ReadFile(want.Path)
		b, _ := os.ReadFile(got.Path)
		if len(a) < 100 || !bytes.Equal(a, b) {
			t.Fatalf("%s: the streamed GeoJSON differs (%d bytes, want %d)", name, len(b), len(a))
		}
		var out bytes.Buffer
		got.Path, got.Out = "", &out
		if err := Export(ctx, st, got); err != nil || !bytes.Equal(out.Bytes(), a) {
			t.Fatalf("%s to a writer: %v", name, err)
		}
	}
	plans, _ := st.Plans(ctx)
	for _, p := range plans {
		vs, _ := st.Versions(ctx, p.Code)
		for _, v := range vs {
			snap, err := st.Load(ctx, p.Code, v.Number)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range snap.Layers {
				for _, c := range []crs.Code{0, crs.TM3LangSon} {
					same(ExportRequest{Plan: p.Code, Version: v.Number, Layers: []string{l.Name}, Format: GeoJSON, CRS: c})
				}
			}
			same(ExportRequest{Plan: p.Code, Version: v.Number, Format: GeoPackage})
		}
	}
	same(ExportRequest{Plan: "chi-ma", Layers: []string{gis.LandUseLayer}, Format: GeoJSON, CRS: crs.Code(3405)})
	same(ExportRequest{Plan: "chi-ma", Format: GeoPackage, CRS: crs.WGS84})

	if err := st.CreatePlan(ctx, store.Plan{Code: "lots", Name: "Lots", Level: "detailed", Scale: 500}); err != nil {
		t.Fatal(err)
	}
	lots := manyLots(2*store.WalkBatch + 3)
	for _, order := range []string{"by key", "reversed"} {
		if order == "reversed" {
			slices.Reverse(lots)
		}
		if _, err := st.Import(ctx, store.ImportRequest{Plan: "lots", Key: "maDoiTuong", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: lots}}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []crs.Code{0, crs.TM3LangSon} {
			same(ExportRequest{Plan: "lots", Layers: []string{gis.LandUseLayer}, Format: GeoJSON, CRS: c})
		}
		same(ExportRequest{Plan: "lots", Format: GeoPackage})
	}

	// dossiers: the samples' (a published one, one under appraisal, a
	// draft) and one that modifies, deletes, adds and adds a layer
	ds, err := st.Dossiers(ctx, store.DossierFilter{})
	if err != nil || len(ds) < 3 {
		t.Fatalf("sample dossiers %v %v", ds, err)
	}
	snap, err := st.Load(ctx, "lots", 0)
	if err != nil {
		t.Fatal(err)
	}
	base := snap.Layers[0].Features
	id, err := st.CreateDossier(ctx, store.NewDossier{Plan: "lots", Kind: store.Local, Title: "Điều chỉnh", Reason: "thử"})
	if err != nil {
		t.Fatal(err)
	}
	mod := base[store.WalkBatch+3]
	mod.Properties = map[string]any{"maDoiTuong": mod.Properties["maDoiTuong"], "phanLoai": "DV", "moi": true}
	added := manyLots(2)
	for i := range added {
		added[i].Properties["maDoiTuong"] = fmt.Sprintf("N-%d", i)
		added[i].Geometry = orb.Polygon{{{106.6, 21.8 + float64(i)/1000}, {106.6003, 21.8 + float64(i)/1000}, {106.6, 21.8003 + float64(i)/1000}, {106.6, 21.8 + float64(i)/1000}}}
	}
	marker := gis.Feature{Geometry: orb.Point{106.61, 21.81}, Properties: map[string]any{"ten": "mốc M1"}}
	res, err := st.Apply(ctx, store.ApplyRequest{Dossier: id, Features: []gis.Feature{mod, {ID: base[10].ID, Properties: map[string]any{"deleted": true}}, added[0], added[1], marker},
		Layers: []string{"", "", "", "", "MocGioi_P"}})
	if err != nil || res.Modified != 1 || res.Deleted != 1 || res.Added != 3 {
		t.Fatalf("the dossier: %+v %v", res, err)
	}
	ds = append(ds, store.Dossier{ID: id})
	for _, d := range ds {
		for _, c := range []crs.Code{0, crs.TM3LangSon} {
			same(ExportRequest{Dossier: d.ID, Layers: []string{gis.LandUseLayer}, Format: GeoJSON, CRS: c})
		}
		same(ExportRequest{Dossier: d.ID, Format: GeoPackage})
	}
	same(ExportRequest{Plan: "lots", Dossier: id, Layers: []string{"MocGioi_P"}, Format: GeoJSON, CRS: crs.TM3LangSon})
	same(ExportRequest{Dossier: id, Layers: []string{"MocGioi_P", gis.LandUseLayer}, Format: GeoPackage, CRS: crs.WGS84})
}

// manyLots are n small lots with a few kinds of properties.
func manyLots(n int) []gis.Feature {
	out := make([]gis.Feature, n)
	for i := range out {
		x, y := 106.70+float64(i%200)*0.0004, 21.90+float64(i/200)*0.0004
		out[i] = gis.Feature{Geometry: orb.Polygon{{{x, y}, {x + 0.0003, y}, {x + 0.0003, y + 0.00031}, {x, y + 0.0003}, {x, y}}},
			Properties: map[string]any{"maDoiTuong": fmt.Sprintf("L-%05d", i), "phanLoai": []string{"ONM", "CN", "DV"}[i%3],
				"tangCaoMax": float64(1 + i%9), "ghiChu": map[bool]any{true: "góc", false: nil}[i%4 == 0]}}
	}
	return out
}

// gpkgDump is a GeoPackage's schema and rows as text, without the time
// gpkg_contents records.
func gpkgDump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var b strings.Builder
	var tables []string
	rows, err := db.Query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name, q string
		rows.Scan(&name, &q)
		b.WriteString(q + "\n")
		tables = append(tables, name)
	}
	rows.Close()
	for _, tbl := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tbl + `" ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			for i, v := range vals {
				if cols[i] != "last_change" {
					fmt.Fprintf(&b, "%T(%v) ", v, v)
				}
			}
			b.WriteByte('\n')
		}
		rows.Close()
	}
	return b.String()
}

// TestStreamedExportRefusesAsBefore: what the whole-version path refuses
// is refused with the same message, and nothing is left where the file
// was asked for: several layers to GeoJSON, a layer or version the plan
// lacks, a damaged body (the file the user had stays as it was). A
// GeoPackage in the grid reads the grid forms (geometry and properties,
// each checked by its own checksum), not the body: it is made from them,
// and verify reports the body.
func TestStreamedExportRefusesAsBefore(t *testing.T) {
	st := sampleStore(t)
	dir := t.TempDir()
	for _, req := range []ExportRequest{
		{Plan: "chi-ma", Path: filepath.Join(dir, "all.geojson")},
		{Plan: "chi-ma", Layers: []string{"Nope_A"}, Path: filepath.Join(dir, "nope.geojson")},
		{Plan: "chi-ma", Layers: []string{"Nope_A"}, Path: filepath.Join(dir, "nope.gpkg")},
		{Plan: "chi-ma", Version: 7, Path: filepath.Join(dir, "v7.gpkg")},
		{Plan: "khong-co", Path: filepath.Join(dir, "none.gpkg")},
		{Plan: "huu-nghi", Dossier: 2, Path: filepath.Join(dir, "d2.gpkg")},
		{Dossier: 2, Layers: []string{"Nope_A"}, Path: filepath.Join(dir, "d2.geojson")},
		{Dossier: 99, Path: filepath.Join(dir, "d99.gpkg")},
	} {
		want := Export(ctx, wholeSource{st}, req)
		got := Export(ctx, st, req)
		var ee *ExportError
		if want == nil || got == nil || got.Error() != want.Error() || errors.As(want, &ee) != errors.As(got, &ee) {
			t.Fatalf("%s: streamed %v, whole %v", filepath.Base(req.Path), got, want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("refused exports left %d files", len(entries))
	}

	db, err := sql.Open("sqlite", "file:"+st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"DROP TRIGGER body_no_update", `UPDATE body SET geojson = replace(geojson, '"properties":{', '"properties":{"x":1,')
		WHERE id = (SELECT max(i.body_id) FROM version_item i JOIN version v ON v.id = i.version_id JOIN plan p ON p.id = v.plan_id
		JOIN layer l ON l.id = i.layer_id WHERE p.code = 'chi-ma' AND l.name = 'ChucNangSuDungDat_A')`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "lots.geojson")
	os.WriteFile(path, []byte("the officer's earlier file"), 0o644)
	req := ExportRequest{Plan: "chi-ma", Path: path, Layers: []string{gis.LandUseLayer}}
	want := Export(ctx, wholeSource{st}, req)
	got := Export(ctx, st, req)
	var de *store.DamagedError
	if !errors.As(got, &de) || want == nil || got.Error() != want.Error() {
		t.Fatalf("GeoJSON from a damaged store: streamed %v, whole %v", got, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "the officer's earlier file" {
		t.Fatal("the earlier file changed")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files after a failed export, want the earlier one", len(entries))
	}
	if err := Export(ctx, st, ExportRequest{Plan: "chi-ma", Path: filepath.Join(dir, "plan.gpkg")}); err != nil {
		t.Fatalf("a GeoPackage in the grid read the damaged body: %v", err)
	}
	v, err := st.Verify(ctx, store.VerifyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Findings) == 0 {
		t.Fatal("verify found nothing of the damaged body")
	}
}

// BenchmarkExportGeoJSON100k streams a 100 000-lot version to GeoJSON in
// WGS84 (bodies parsed and written again) and in the grid (properties
// parsed, geometry from the grid form); MB-heap is the peak heap in use.
func BenchmarkExportGeoJSON100k(b *testing.B) {
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if err := st.CreatePlan(ctx, store.Plan{Code: "lots", Name: "Lots", Level: "detailed", Scale: 500}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.Import(ctx, store.ImportRequest{Plan: "lots", Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: manyLots(100000)}}}); err != nil {
		b.Fatal(err)
	}
	for _, c := range []crs.Code{crs.WGS84, crs.TM3LangSon} {
		b.Run(fmt.Sprint(c), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "lots.geojson")
			runtime.GC()
			var peak uint64
			for b.Loop() {
				done, top := make(chan struct{}), make(chan uint64)
				go func() {
					var most uint64
					var ms runtime.MemStats
					for {
						runtime.ReadMemStats(&ms)
						most = max(most, ms.HeapInuse)
						select {
						case <-done:
							top <- most
							return
						case <-time.After(5 * time.Millisecond):
						}
					}
				}()
				if err := Export(ctx, st, ExportRequest{Plan: "lots", Layers: []string{gis.LandUseLayer}, CRS: c, Path: path}); err != nil {
					b.Fatal(err)
				}
				close(done)
				peak = max(peak, <-top)
			}
			b.ReportMetric(float64(peak)/(1<<20), "MB-heap")
		})
	}
}
