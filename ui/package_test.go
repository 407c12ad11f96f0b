package ui

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/store"
)

// twinSampleStores are two store files of one history (the sample plans
// installed once, the file copied): an officer's and the board's.
func twinSampleStores(t *testing.T) (a, b *store.Store) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	pa, pb := filepath.Join(dir, "officer.db"), filepath.Join(dir, "board.db")
	st, err := store.Open(ctx, pa, store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.InstallSamples(ctx, assets.Samples); err != nil {
		t.Fatal(err)
	}
	st.Close() // settled: the file alone holds it
	data, err := os.ReadFile(pa)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pb, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		path string
		s    **store.Store
	}{{pa, &a}, {pb, &b}} {
		s, err := store.Open(ctx, p.path, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		*p.s = s
	}
	return a, b
}

// TestSendAndReceiveDossier: "Gửi hồ sơ…" writes the package of the
// dossier whose page is shown where the officer says; "Nhận hồ sơ…" in
// the other store's window takes it in and opens the dossier's page; a
// file that is not a package is refused with the reason in Vietnamese.
func TestSendAndReceiveDossier(t *testing.T) {
	SetLanguage("vi")
	t.Setenv("HOME", t.TempDir())
	ctx := context.Background()
	a, b := twinSampleStores(t)
	// the officer's dossier: a lot's storeys changed, submitted
	snap, err := a.Load(ctx, "huu-nghi", 0, store.DefaultLayer)
	if err != nil {
		t.Fatal(err)
	}
	lot := snap.Layer(store.DefaultLayer).Features[0]
	lot.Properties["tangCaoMax"] = float64(6)
	id, err := a.CreateDossier(ctx, store.NewDossier{Plan: "huu-nghi", Kind: store.Local, Title: "Điều chỉnh tầng cao"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Apply(ctx, store.ApplyRequest{Dossier: id, Features: []gis.Feature{lot}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Advance(ctx, id, store.Step{Action: "submit", DocNo: "5/TTr-BQL", DocDate: "2026-11-25", AckWarnings: true}); err != nil {
		t.Fatal(err)
	}

	w := newWindow(t, a)
	w.dossiers.user = "cán bộ A"
	w.updateMenu()
	send, receive := menuItem(t, w, "dossier.send"), menuItem(t, w, "dossier.receive")
	if send.Label != "Gửi hồ sơ…" || receive.Label != "Nhận hồ sơ…" {
		t.Fatalf("labels %q %q", send.Label, receive.Label)
	}
	if !send.Disabled || receive.Disabled {
		t.Fatalf("with no dossier shown: send disabled %v, receive disabled %v", send.Disabled, receive.Disabled)
	}
	openPage(t, w, id)
	w.updateMenu()
	if send.Disabled {
		t.Fatal("send is disabled on a dossier's page")
	}
	send.Action() // the menu opens the save dialog on the dossier shown
	if texts := topDialogTexts(w.Window); !slices.Contains(texts, "Gửi hồ sơ 4") {
		t.Fatalf("the send dialog shows %q", texts)
	}
	fd := w.ShowSendDossier()
	if fd.Name.Text != "HS2026-000004-huu-nghi.gpkg" {
		t.Errorf("proposed name %q", fd.Name.Text)
	}
	path := filepath.Join(t.TempDir(), "gửi ban quản lý")
	fd.Name.SetText(path)
	test.Tap(fd.Accept)
	path += ".gpkg"
	info, err := store.ReadPackageInfo(ctx, path)
	if err != nil || info["author"] != "cán bộ A" || info["state"] != store.Submitted {
		t.Fatalf("package %s: %v %v", path, info, err)
	}
	if texts := strings.Join(topDialogTexts(w.Window), " "); !strings.Contains(texts, "Hồ sơ 4 (đã trình) đã được đóng gói") {
		t.Errorf("after sending: %q", texts)
	}

	// the board's window takes it in
	w2 := newWindow(t, b)
	w2.updateMenu()
	if menuItem(t, w2, "dossier.receive").Disabled {
		t.Fatal("receive is disabled")
	}
	menuItem(t, w2, "dossier.receive").Action()
	if texts := topDialogTexts(w2.Window); !slices.Contains(texts, "Nhận hồ sơ") {
		t.Fatalf("the receive dialog shows %q", texts)
	}
	// not a package first: refused, nothing taken in
	notes := filepath.Join(t.TempDir(), "ghi-chu.gpkg")
	os.WriteFile(notes, []byte("không phải hồ sơ"), 0o644)
	fd = w2.ShowReceiveDossier()
	fd.Name.SetText(notes)
	test.Tap(fd.Accept)
	if !strings.Contains(w2.Status.Text.Text, "ghi-chu.gpkg: không phải gói hồ sơ (không phải GeoPackage)") {
		t.Errorf("refusal: %q", w2.Status.Text.Text)
	}
	if ds, _ := b.Dossiers(ctx, store.DossierFilter{}); len(ds) != 3 {
		t.Fatalf("a refused file changed the store: %d dossiers", len(ds))
	}
	fd = w2.ShowReceiveDossier()
	fd.Name.SetText(path)
	test.Tap(fd.Accept)
	p := w2.dossiers.page
	if p == nil || p.pg == nil || p.pg.Dossier.UID != info["dossier_uid"] || p.pg.Dossier.State != store.Submitted {
		t.Fatalf("the received dossier's page is not shown: %q", w2.Status.Text.Text)
	}
	if texts := strings.Join(topDialogTexts(w2.Window), " "); !strings.Contains(texts, "Đã nhận hồ sơ 4 (huu-nghi, đã trình): 1 thay đổi, 1 bước, 0 tài liệu.") ||
		!strings.Contains(texts, "Người gửi: cán bộ A.") {
		t.Errorf("after receiving: %q", texts)
	}
	for _, s := range p.pg.Seals.Steps {
		if !s.OK {
			t.Errorf("a received step's seal does not hold: %+v", s)
		}
	}
	// again: up to date
	w2.receiveDossier(path)
	if !strings.Contains(w2.Status.Text.Text, "Hồ sơ 4 đã được cập nhật đầy đủ") {
		t.Errorf("again: %q", w2.Status.Text.Text)
	}
}

// TestPackageRefusalsTranslated: every reason the store gives for a
// refused package has both translations (they are not tr literals, so
// TestTranslationsComplete cannot see them).
func TestPackageRefusalsTranslated(t *testing.T) {
	var src []byte // the package's reasons, and the bundle code they share (store/bundle*.go)
	for _, f := range []string{"../store/package.go", "../store/bundle.go", "../store/bundle_read.go", "../store/bundle_take.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b...)
	}
	vi, en := translations(t, "vi"), translations(t, "en")
	keys := regexp.MustCompile(`(?:packageErr\([^,]*,|altered\()\s*"([^"]+)"`).FindAllStringSubmatch(string(src), -1)
	whys := regexp.MustCompile(`notPackage\("([^"]+)"\)`).FindAllStringSubmatch(string(src), -1)
	if len(keys) < 15 || len(whys) < 3 {
		t.Fatalf("found %d reasons and %d whys", len(keys), len(whys))
	}
	for _, m := range append(keys, whys...) {
		if vi[m[1]] == "" || en[m[1]] == "" {
			t.Errorf("%q lacks a translation (vi %q, en %q)", m[1], vi[m[1]], en[m[1]])
		}
	}
}
