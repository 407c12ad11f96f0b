package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"quyhoach/gis"
	"quyhoach/store"
	"quyhoach/ui"
)

// The window's import and export dialogs go the CLI's way (plan.OpenImport
// and Run, plan.Export): these tests hold them to `quyhoach import` and
// `quyhoach export` of the same files.

// copyDB copies a closed store file.
func copyDB(t *testing.T, db string) string {
	t.Helper()
	b, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(out, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// window opens the window over a store file, its work synchronous.
func window(t *testing.T, db string) (*ui.Window, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := test.NewApp()
	t.Cleanup(a.Quit)
	w, err := ui.New(a, st, ui.Options{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	return w, st
}

// stored is a plan's current version as the store holds it: per layer,
// each feature's body by its id, and the version's record.
type stored struct {
	version store.Version
	bodies  map[string]map[string]string // layer → id → canonical body
}

func storedPlan(t *testing.T, db, code string) stored {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	snap, err := st.Load(ctx, code, 0)
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := st.Versions(ctx, code)
	out := stored{version: vs[len(vs)-1], bodies: map[string]map[string]string{}}
	for _, l := range snap.Layers {
		m := map[string]string{}
		for _, f := range l.Features {
			id := f.ID
			f.ID = ""
			b, _ := json.Marshal(f)
			m[id] = string(b)
		}
		out.bodies[l.Name] = m
	}
	return out
}

// sameStored compares two stores' versions of a plan: the same ids with
// the same bodies, but for the features both gave new ids, whose bodies
// must pair one to one.
func sameStored(t *testing.T, a, b stored, before map[string]bool) {
	t.Helper()
	if a.version.Number != b.version.Number || a.version.Message != b.version.Message || a.version.Features != b.version.Features {
		t.Errorf("versions %+v and %+v", a.version, b.version)
	}
	if !slices.Equal(slices.Sorted(maps.Keys(a.bodies)), slices.Sorted(maps.Keys(b.bodies))) {
		t.Fatalf("layers %v and %v", slices.Sorted(maps.Keys(a.bodies)), slices.Sorted(maps.Keys(b.bodies)))
	}
	for layer, ma := range a.bodies {
		mb := b.bodies[layer]
		var newA, newB []string
		for id, body := range ma {
			if !before[id] {
				newA = append(newA, body)
				continue
			}
			if mb[id] != body {
				t.Errorf("%s: feature %s differs:\n%s\n%s", layer, id, body, mb[id])
			}
		}
		for id, body := range mb {
			if !before[id] {
				newB = append(newB, body)
			} else if _, ok := ma[id]; !ok {
				t.Errorf("%s: feature %s only through the window", layer, id)
			}
		}
		slices.Sort(newA)
		slices.Sort(newB)
		if !slices.Equal(newA, newB) {
			t.Errorf("%s: the new features differ:\n%v\n%v", layer, newA, newB)
		}
	}
}

// ids are every feature id of a plan's current version.
func ids(s stored) map[string]bool {
	out := map[string]bool{}
	for _, m := range s.bodies {
		for id := range m {
			out[id] = true
		}
	}
	return out
}

func TestImportDialogEqualsImportCommand(t *testing.T) {
	db1 := sampleDB(t)
	db2 := copyDB(t, db1)
	dir := t.TempDir()
	// an office's delivery of Chi Ma's lots in the grid, without ids: one
	// lot reclassified, one gone, one new
	lots := filepath.Join(dir, "lots.geojson")
	if _, e, code := quyhoach(t, "", "export", "--db", db1, "--plan", "chi-ma", "--layer", gis.LandUseLayer, "--crs", "EPSG:9215", "-o", lots); code != 0 {
		t.Fatal(e)
	}
	b, _ := os.ReadFile(lots)
	var fc map[string]any
	json.Unmarshal(b, &fc)
	fs := fc["features"].([]any)
	for _, f := range fs {
		delete(f.(map[string]any), "id")
	}
	fs[3].(map[string]any)["properties"].(map[string]any)["phanLoai"] = "DV"
	fs = append(fs[:5], fs[6:]...)
	fs = append(fs, map[string]any{"type": "Feature", "properties": map[string]any{"maDoiTuong": "MOI-01", "phanLoai": "CXCC"},
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{{479700, 2404400}, {479720, 2404400}, {479720, 2404420}, {479700, 2404420}, {479700, 2404400}}}}})
	fc["features"] = fs
	b, _ = json.Marshal(fc)
	os.WriteFile(lots, b, 0o644)
	before := ids(storedPlan(t, db1, "chi-ma"))

	out, e, code := quyhoach(t, "", "import", "--db", db1, "--plan", "chi-ma", "--layer", gis.LandUseLayer, "--crs", "EPSG:9215", "--key", "maDoiTuong", lots)
	if code != 0 || !strings.Contains(out, "1 new, 1 removed") {
		t.Fatalf("import: %d %q %q", code, out, e)
	}
	w, _ := window(t, db2)
	d := w.ImportFile(lots, "chi-ma")
	d.Layer.SetText(gis.LandUseLayer)
	d.CRS.SetText("EPSG:9215")
	d.Key.SetSelected("maDoiTuong")
	test.Tap(d.Import)
	if d.Done == nil || !strings.Contains(d.Result.Text, "1 mới, 1 bị bỏ") {
		t.Fatalf("the dialog's import: %q %q", d.Error.Text, d.Result.Text)
	}
	sameStored(t, storedPlan(t, db1, "chi-ma"), storedPlan(t, db2, "chi-ma"), before)

	// a drawing, every plan layer of it, into Đồng Bành
	dwg := filepath.Join("testdata", "formats", "chi-ma.dxf")
	before = ids(storedPlan(t, db1, "dong-banh"))
	if out, e, code := quyhoach(t, "", "import", "--db", db1, "--plan", "dong-banh", dwg); code != 0 {
		t.Fatalf("import of the drawing: %d %q %q", code, out, e)
	}
	d = w.ImportFile(dwg, "dong-banh")
	d.Key.SetSelectedIndex(0) // the dialog proposes maDoiTuong; the command above has no --key
	test.Tap(d.Import)
	if d.Done == nil {
		t.Fatalf("the dialog's import of the drawing: %q", d.Error.Text)
	}
	sameStored(t, storedPlan(t, db1, "dong-banh"), storedPlan(t, db2, "dong-banh"), before)
}

func TestExportDialogEqualsExportCommand(t *testing.T) {
	db := sampleDB(t)
	dir := t.TempDir()
	w, _ := window(t, db)
	for _, tc := range []struct {
		file   string
		args   []string
		format string // the dialog's format
		layer  string // "" every layer
		state  string // the dialog's "what": "" the current version, "v1", "hs2"
		crs    string // "" the format's own
	}{
		{"lots.geojson", []string{"--layer", gis.LandUseLayer}, "geojson", gis.LandUseLayer, "", ""},
		{"lots-9215.geojson", []string{"--layer", gis.LandUseLayer, "--crs", "EPSG:9215"}, "geojson", gis.LandUseLayer, "", "EPSG:9215"},
		{"v1.gpkg", []string{"--version", "1"}, "gpkg", "", "v1", ""},
		{"hs2.dxf", []string{"--dossier", "2"}, "dxf", "", "hs2", ""},
		{"all.zip", nil, "shp", "", "", ""},
		{"all.kml", nil, "kml", "", "", ""},
	} {
		cli := filepath.Join(dir, "cli-"+tc.file)
		args := append([]string{"export", "--db", db, "--plan", "chi-ma", "-o", cli}, tc.args...)
		if _, e, code := quyhoach(t, "", args...); code != 0 {
			t.Fatalf("%s: %s", tc.file, e)
		}
		d := w.ShowExport()
		for i, o := range d.Plan.Options {
			if strings.HasSuffix(o, "(chi-ma)") {
				d.Plan.SetSelectedIndex(i)
			}
		}
		for i, o := range d.State.Options {
			if tc.state == "v1" && strings.Contains(o, "1") && !strings.Contains(o, "hồ sơ") ||
				tc.state == "hs2" && strings.Contains(o, "hồ sơ 2") {
				d.State.SetSelectedIndex(i)
			}
		}
		ext := map[string]string{"geojson": ".geojson", "gpkg": ".gpkg", "dxf": ".dxf", "shp": ".zip", "kml": ".kml"}[tc.format]
		for i, o := range d.Format.Options {
			if strings.HasSuffix(o, "("+ext+")") {
				d.Format.SetSelectedIndex(i)
			}
		}
		if tc.layer == "" {
			d.Layer.SetSelectedIndex(0)
		} else {
			d.Layer.SetSelected(tc.layer)
		}
		if tc.crs != "" {
			for i, o := range d.CRS.Options {
				if strings.HasPrefix(o, tc.crs+" ") {
					d.CRS.SetSelectedIndex(i)
				}
			}
		}
		got := filepath.Join(dir, "dialog-"+tc.file)
		d.ExportTo(got)
		if d.Saved != got {
			t.Fatalf("%s: the dialog saved nothing: %q", tc.file, d.Info.Text)
		}
		sameExport(t, cli, got)
	}
}

// sameExport compares two exports: byte for byte, a zip member by member
// (the members' times are the time of writing), a GeoPackage by its rows.
func sameExport(t *testing.T, a, b string) {
	t.Helper()
	x, _ := os.ReadFile(a)
	y, _ := os.ReadFile(b)
	switch filepath.Ext(a) {
	case ".zip":
		if ma, mb := zipMembers(t, a), zipMembers(t, b); !reflect.DeepEqual(ma, mb) {
			t.Errorf("%s and %s hold different files", a, b)
		}
	case ".gpkg":
		ctx := context.Background()
		ta, _ := store.GeoPackageTables(ctx, a)
		tb, _ := store.GeoPackageTables(ctx, b)
		if !slices.Equal(ta, tb) || len(ta) == 0 {
			t.Fatalf("tables %v and %v", ta, tb)
		}
		for _, name := range ta {
			la, ca, _ := store.ReadGeoPackage(ctx, a, name)
			lb, cb, _ := store.ReadGeoPackage(ctx, b, name)
			ja, _ := json.Marshal(la)
			jb, _ := json.Marshal(lb)
			if ca != cb || !bytes.Equal(ja, jb) {
				t.Errorf("%s: table %s differs", a, name)
			}
		}
	default:
		if !bytes.Equal(x, y) {
			t.Errorf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
		}
	}
}

func zipMembers(t *testing.T, path string) map[string]string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		out[f.Name] = string(b)
	}
	return out
}
