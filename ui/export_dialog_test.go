package ui

import (
	"bytes"
	"context"
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

func TestNewPlanDialog(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	f := w.ShowNewPlan()
	if !f.Create.Disabled() || f.Scale.Text != "500" || f.Approver.Text != store.ProvinceAgency {
		t.Fatalf("a new form: create enabled %v, scale %q, approver %q", !f.Create.Disabled(), f.Scale.Text, f.Approver.Text)
	}
	// a general plan: its scale and the Prime Minister, until typed
	f.Level.SetSelectedIndex(0)
	if f.Scale.Text != "10000" || f.Approver.Text != store.PrimeMinister {
		t.Fatalf("general: %q %q", f.Scale.Text, f.Approver.Text)
	}
	f.Level.SetSelectedIndex(1)
	f.Consultant.SetText("Viện Quy hoạch Xây dựng Lạng Sơn")
	f.Code.SetText("kcn moi")
	f.Name.SetText("KCN mới Đồng Đăng")
	f.Area.SetText("Đồng Đăng")
	f.Scale.SetText("1/2.000")
	if f.Create.Disabled() {
		t.Fatalf("create disabled: %q", f.Message.Text)
	}
	// the store's rules refuse a code with a space, on one line, and keep nothing
	test.Tap(f.Create)
	if !strings.Contains(f.Message.Text, "without spaces") || strings.Contains(f.Message.Text, "\n") {
		t.Fatalf("a code with a space: %q", f.Message.Text)
	}
	if _, err := st.Plan(context.Background(), "kcn moi"); err == nil {
		t.Fatal("a refused plan was made")
	}
	f.Scale.SetText("hai nghìn")
	if !f.Create.Disabled() || !strings.Contains(f.Message.Text, "mẫu số nguyên") {
		t.Fatalf("a scale in words: %q", f.Message.Text)
	}
	f.Scale.SetText("2000")
	f.Approver.SetText("UBND\ntỉnh")
	if !f.Create.Disabled() {
		t.Fatal("an agency on two lines is taken")
	}
	f.Approver.SetText(store.ProvinceAgency)
	f.Code.SetText("kcn-moi")
	test.Tap(f.Create)
	p, err := st.Plan(context.Background(), "kcn-moi")
	if err != nil || p.Scale != 2000 || p.Level != "zoning" || p.Area != "Đồng Đăng" || p.Name != "KCN mới Đồng Đăng" {
		t.Fatalf("plan %+v %v (form %q)", p, err, f.Message.Text)
	}
	if a, _ := st.Agencies(context.Background(), "kcn-moi"); a.Consultant != "Viện Quy hoạch Xây dựng Lạng Sơn" || a.Default {
		t.Fatalf("agencies %+v", a)
	}
	if !w.Browser.Has("kcn-moi") || !strings.Contains(w.Status.Text.Text, "kcn-moi") {
		t.Fatalf("the browser does not list the new plan (status %q)", w.Status.Text.Text)
	}
	// the same code again is refused
	f = w.ShowNewPlan()
	f.Code.SetText("kcn-moi")
	f.Name.SetText("again")
	test.Tap(f.Create)
	if !strings.Contains(f.Message.Text, "already exists") {
		t.Fatalf("a second kcn-moi: %q", f.Message.Text)
	}
}

func TestExportDialogWritesWhatExportWrites(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	open(t, w, "chi-ma")
	dir := t.TempDir()
	d := w.ShowExport()
	if d.code() != "chi-ma" || d.format().Format != plan.GeoJSON || d.Layer.Selected != gis.LandUseLayer {
		t.Fatalf("proposed: %s %s %q", d.code(), d.format().Format, d.Layer.Selected)
	}
	if name, _ := d.fileName(); name != "chi-ma-ChucNangSuDungDat_A.geojson" {
		t.Fatalf("file name %q", name)
	}
	// a GeoJSON file of every layer is refused before anything is written
	d.Layer.SetSelectedIndex(0)
	if !d.Save.Disabled() || !strings.Contains(d.Info.Text, "chỉ chứa một lớp") {
		t.Fatalf("every layer in GeoJSON: %q", d.Info.Text)
	}
	d.Layer.SetSelected(gis.LandUseLayer)
	d.CRS.SetSelected(systemName(crs.TM3LangSon))
	path := filepath.Join(dir, "lots.geojson")
	d.ExportTo(path)
	if d.Saved != path || !strings.Contains(d.Info.Text, path) || !strings.Contains(w.Status.Text.Text, path) {
		t.Fatalf("saved %q: %q / %q", d.Saved, d.Info.Text, w.Status.Text.Text)
	}
	want := filepath.Join(dir, "want.geojson")
	if err := plan.Export(context.Background(), st, plan.ExportRequest{Plan: "chi-ma", Layers: []string{gis.LandUseLayer}, CRS: crs.TM3LangSon, Path: want}); err != nil {
		t.Fatal(err)
	}
	sameFile(t, path, want)
	// what a dossier proposes, every layer, as a GeoPackage and a drawing
	var dossier int
	for i, r := range d.refs {
		if r.Dossier == 2 {
			dossier = i
		}
	}
	d.State.SetSelectedIndex(dossier)
	for _, f := range []string{plan.GeoPackage, plan.DXF, plan.Shapefile, plan.KMZ} {
		for i, ef := range d.formats {
			if ef.Format == f {
				d.Format.SetSelectedIndex(i)
			}
		}
		d.Layer.SetSelectedIndex(0)
		name, ok := d.fileName()
		if !ok || !strings.HasPrefix(name, "chi-ma-hs2") {
			t.Fatalf("%s: name %q (%q)", f, name, d.Info.Text)
		}
		path := filepath.Join(dir, name)
		d.ExportTo(path)
		if d.Saved != path {
			t.Fatalf("%s: %q", f, d.Info.Text)
		}
		if f == plan.DXF || f == plan.KMZ {
			continue // written with the time: compared by the CLI test
		}
		want := filepath.Join(dir, "want-"+name)
		if err := plan.Export(context.Background(), st, plan.ExportRequest{Dossier: 2, Path: want, Catalogue: w.cat}); err != nil {
			t.Fatal(err)
		}
		if f == plan.GeoPackage {
			sameLayers(t, path, want)
		}
	}
	// a KML knows one system only
	for i, ef := range d.formats {
		if ef.Format == plan.KML {
			d.Format.SetSelectedIndex(i)
		}
	}
	if !d.CRS.Disabled() {
		t.Fatal("a KML offers systems")
	}
	// a folder that does not exist: the error, on one line, nothing written
	bad := filepath.Join(dir, "nope", "x.kml")
	d.ExportTo(bad)
	if d.Saved == bad || !strings.HasPrefix(d.Info.Text, "Lỗi:") || strings.Contains(d.Info.Text, "\n") {
		t.Fatalf("into a missing folder: %q", d.Info.Text)
	}
}

func sameFile(t *testing.T, a, b string) {
	t.Helper()
	x, err1 := os.ReadFile(a)
	y, err2 := os.ReadFile(b)
	if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
		t.Fatalf("%s and %s differ (%d and %d bytes) %v %v", a, b, len(x), len(y), err1, err2)
	}
}

// sameLayers compares two GeoPackages table by table.
func sameLayers(t *testing.T, a, b string) {
	t.Helper()
	ctx := context.Background()
	ta, err := store.GeoPackageTables(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	tb, _ := store.GeoPackageTables(ctx, b)
	if strings.Join(ta, ",") != strings.Join(tb, ",") {
		t.Fatalf("tables %v and %v", ta, tb)
	}
	for _, name := range ta {
		la, ca, err1 := store.ReadGeoPackage(ctx, a, name)
		lb, cb, err2 := store.ReadGeoPackage(ctx, b, name)
		if err1 != nil || err2 != nil || ca != cb || len(la.Features) != len(lb.Features) {
			t.Fatalf("%s: %v %v %v %v", name, err1, err2, ca, cb)
		}
		for i := range la.Features {
			if la.Features[i].ID != lb.Features[i].ID || !gis.SameShape(la.Features[i].Geometry, lb.Features[i].Geometry, 0) {
				t.Fatalf("%s: feature %d differs", name, i)
			}
		}
	}
}
