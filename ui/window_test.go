package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis/landuse"
	"quyhoach/store"
)

func sampleStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "s.db"), store.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.InstallSamples(context.Background(), assets.Samples); err != nil {
		t.Fatal(err)
	}
	return st
}

// newWindow opens the window over src at a fixed size and waits for its
// first plan to be drawn.
func newWindow(t *testing.T, src Source) *Window {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	done := make(chan *store.Snapshot, 1)
	// the size comes from the preferences, so nothing resizes the window
	// while its first plan loads (the test driver runs fyne.Do at once)
	a.Preferences().SetFloat(prefWidth, 1200)
	a.Preferences().SetFloat(prefHeight, 800)
	w, err := New(a, src)
	if err != nil {
		t.Fatal(err)
	}
	w.Loaded = func(s *store.Snapshot) { send(done, s) }
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the first plan was not drawn")
	}
	return w
}

// waitLoaded selects a tree node and waits until its version is drawn.
func waitLoaded(t *testing.T, w *Window, node string) *store.Snapshot {
	t.Helper()
	done := make(chan *store.Snapshot, 1)
	w.Loaded = func(s *store.Snapshot) { send(done, s) }
	w.Plans.Select(node)
	select {
	case s := <-done:
		return s
	case <-time.After(10 * time.Second):
		t.Fatalf("%s was not drawn", node)
		return nil
	}
}

func TestWindowListsPlansAndDrawsVersions(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	areas := w.childUIDs("")
	if len(areas) != 4 {
		t.Fatalf("%d areas listed, want 4", len(areas))
	}
	plans := 0
	for _, a := range areas {
		plans += len(w.childUIDs(a))
	}
	if plans != 4 || w.nodeText(areas[0]) != "Xã Yên Khoái, huyện Lộc Bình, tỉnh Lạng Sơn" {
		t.Fatalf("%d plans listed, want 4; first area %q", plans, w.nodeText(areas[0]))
	}
	if got := w.childUIDs("truc-trung-tam"); len(got) != 3 || got[1] != "truc-trung-tam@2" || got[2] != "truc-trung-tam#1" {
		t.Fatalf("central axis versions and dossiers %v", got)
	}
	snap := waitLoaded(t, w, "truc-trung-tam@1")
	if snap.Version.Number != 1 || !strings.Contains(w.Status.Text, "phiên bản 1") || !strings.Contains(w.Status.Text, "459 lô") {
		t.Fatalf("status %q", w.Status.Text)
	}
	waitLoaded(t, w, "truc-trung-tam")
	if !strings.Contains(w.Status.Text, "phiên bản 2") || !strings.Contains(w.Status.Text, "1.686,95 ha") {
		t.Fatalf("status %q", w.Status.Text)
	}
	// The map shows several land-use colours of the catalogue.
	img := w.Map.Render(800, 600)
	cat, _ := landuse.Parse(assets.LandUse)
	if n := catalogueColours(img, cat); n < 8 {
		t.Fatalf("%d land-use colours drawn, want at least 8", n)
	}
	// The legend lists the classes shown; the layers panel the layers.
	if len(w.Legend.Objects) < 10 || len(w.LayerPanel.Objects) != 4 {
		t.Fatalf("legend %d rows, layers %d rows", len(w.Legend.Objects), len(w.LayerPanel.Objects))
	}
}

func TestDossierNodesShowStateAndOverdue(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	got := w.nodeText("chi-ma#2")
	if !strings.HasPrefix(got, "⚠ Hồ sơ 2:") || !strings.Contains(got, "đang thẩm định") || !strings.Contains(got, "quá hạn") {
		t.Fatalf("chi-ma dossier node %q", got)
	}
	if got := w.nodeText("truc-trung-tam#1"); !strings.Contains(got, "đã công bố") || strings.Contains(got, "⚠") {
		t.Fatalf("central axis dossier node %q", got)
	}
}

func TestRemembersLastPlanAndLayers(t *testing.T) {
	st := sampleStore(t)
	a := test.NewApp()
	defer a.Quit()
	a.Preferences().SetString(prefLastNode, "huu-nghi@1")
	hidden, _ := json.Marshal(layerPrefs{Hidden: map[string]bool{BoundaryLayer: true}, Opacity: map[string]float64{LandUseLayer: 0.5}})
	a.Preferences().SetString(prefLayers+"huu-nghi", string(hidden))
	done := make(chan *store.Snapshot, 1)
	w, err := New(a, st)
	if err != nil {
		t.Fatal(err)
	}
	w.Loaded = func(s *store.Snapshot) { send(done, s) }
	select {
	case s := <-done:
		if s.Plan.Code != "huu-nghi" {
			t.Fatalf("opened %s, want the last plan huu-nghi", s.Plan.Code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("not drawn")
	}
	o := w.Map.Options()
	if !o.Hidden[BoundaryLayer] || o.Opacity[LandUseLayer] != 0.5 {
		t.Fatalf("layer options %v %v", o.Hidden, o.Opacity)
	}
	// the window's size is kept when it closes and used when it opens again
	w.Resize(fyne.NewSize(1000, 700))
	w.Close()
	if a.Preferences().Float(prefWidth) != 1000 || a.Preferences().Float(prefHeight) != 700 {
		t.Fatalf("size kept %v×%v", a.Preferences().Float(prefWidth), a.Preferences().Float(prefHeight))
	}
	w2, err := New(a, st)
	if err != nil {
		t.Fatal(err)
	}
	if s := w2.Canvas().Size(); s.Width != 1000 || s.Height != 700 {
		t.Fatalf("reopened at %v", s)
	}
}

func TestSearchFindsAccentFreeQueries(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	waitLoaded(t, w, "truc-trung-tam@1")
	for q, want := range map[string]string{
		"dong dang":       "Đồng Đăng",
		"DUONG TRUC":      "Đường trục",
		"lang son – dong": "Lạng Sơn – Đồng Đăng",
	} {
		test.Type(w.Search, "")
		w.Search.SetText(q)
		if len(w.Hits) == 0 {
			t.Fatalf("%q found nothing", q)
		}
		for _, h := range w.Hits {
			if name := h.Shape().Feature.String("tenDoiTuong"); !strings.Contains(name, want) {
				t.Errorf("%q found %q", q, name)
			}
		}
	}
	w.Search.SetText("cn-0")
	if len(w.Hits) == 0 || !strings.HasPrefix(w.Hits[0].Shape().Feature.String("maDoiTuong"), "CN-0") {
		t.Fatalf("code search found %d", len(w.Hits))
	}
	// choosing a result selects and inspects it
	w.Results.Select(0)
	if w.Map.Selected() != w.Hits[0].Shape() || len(w.InspectorRows) < 5 {
		t.Fatalf("result not selected/inspected")
	}
}

func catalogueColours(img image.Image, cat *landuse.Catalogue) int {
	want := map[[3]uint8]bool{}
	for _, c := range cat.Classes() {
		want[[3]uint8{c.RGB.R, c.RGB.G, c.RGB.B}] = true
	}
	seen := map[[3]uint8]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			k := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			if want[k] {
				seen[k] = true
			}
		}
	}
	return len(seen)
}

// waitDone waits for the named background task.
func waitDone(t *testing.T, w *Window, start func(), name string) {
	t.Helper()
	done := make(chan error, 1)
	w.Done = func(n string, err error) {
		if n == name {
			send(done, err)
		}
	}
	start()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("%s did not finish; status %q", name, w.Status.Text)
	}
	w.Done = nil
}

func TestCompareListsDossierChanges(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	// Chi Ma's open dossier (under appraisal): KNQ-04 split in two, two lots changed.
	waitDone(t, w, func() { w.Plans.Select("chi-ma#2") }, "compare")
	got := rowsText(w.Compare.Rows)
	want := "modified CXCC-02|modified DV-08|added KNQ-04a|added KNQ-04b|removed KNQ-04|split KNQ-04 → KNQ-04a, KNQ-04b"
	if got != want {
		t.Fatalf("chi-ma dossier changes\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(w.Compare.Title.Text, "Hồ sơ 2") || !strings.Contains(w.Status.Text, "chi-ma · hồ sơ 2 (đang thẩm định) · 83 lô") {
		t.Fatalf("title %q, status %q", w.Compare.Title.Text, w.Status.Text)
	}
	var buf bytes.Buffer
	if err := w.Compare.WriteChangesCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 7 || !strings.Contains(buf.String(), "added,") {
		t.Fatalf("changes CSV:\n%s", buf.String())
	}
	// choosing a change zooms to it and selects it
	before, _ := w.Map.Center()
	w.Compare.List.Select(2)
	if sel := w.Map.Selected(); sel == nil || sel.Feature.String("maDoiTuong") != "KNQ-04a" {
		t.Fatalf("change not selected: %v", sel)
	}
	if after, _ := w.Map.Center(); after == before {
		t.Fatal("the map did not move to the change")
	}

	// The central axis v1 → v2: the approved local adjustment.
	waitDone(t, w, func() { w.CompareVersions("truc-trung-tam", 1, 2) }, "compare")
	got = rowsText(w.Compare.Rows)
	want = "modified CSD-02|modified NN-10|modified RSX-05|modified OLX-14|modified NN-11|modified NN-19|added HTKT-05|added DV-13a|added DV-13b|removed DV-07|removed VH-05|removed DV-13|merge DV-07, VH-05 → HTKT-05|split DV-13 → DV-13a, DV-13b"
	if got != want {
		t.Fatalf("central axis changes\n got %s\nwant %s", got, want)
	}
	buf.Reset()
	if err := w.Compare.WriteBalanceCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "HTKT,") || !strings.HasPrefix(buf.String(), "stt,code,name,before_ha") {
		t.Fatalf("balance CSV:\n%s", buf.String())
	}
	if w.Compare.cell(0, 4) != "± ha" || len(w.Compare.Balance.Rows) == 0 {
		t.Fatal("balance table empty")
	}
	whole := w.Compare.Balance
	if whole.TotalHa < 1686 || whole.TotalHa > 1688 {
		t.Fatalf("whole-plan balance total %v ha", whole.TotalHa)
	}
	// the adjusted area alone: the lots changed, before and after
	w.Compare.Scope.SetSelected("Khu vực điều chỉnh")
	adj := w.Compare.Balance
	// as `quyhoach balance --plan truc-trung-tam --version 2 --against 1` prints it
	if r := adj.Rounded(2); r.TotalHa != 11.84 || r.BeforeTotalHa != 11.84 || len(r.Rows) != 11 {
		t.Fatalf("adjusted-area balance %v / %v ha, %d rows", r.TotalHa, r.BeforeTotalHa, len(r.Rows))
	}
	if got := w.Compare.cell(6, 4); got != "+8,55" || w.Compare.cell(6, 0) != "HTKT" {
		t.Fatalf("HTKT row: %q %q", w.Compare.cell(6, 0), got)
	}
	if got := w.Compare.cell(len(adj.Rows)+1, 4); got != signed(adj.TotalHa-adj.BeforeTotalHa) {
		t.Fatalf("total change cell %q", got)
	}
}

func rowsText(rows []ChangeRow) string {
	var out []string
	for _, r := range rows {
		if r.Code != "" {
			out = append(out, r.Kind+" "+r.Code)
		} else {
			out = append(out, r.Kind+" "+r.Detail)
		}
	}
	return strings.Join(out, "|")
}

func TestFindingsListAndZoom(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	waitLoaded(t, w, "truc-trung-tam@1")
	waitDone(t, w, w.Findings.Run.OnTapped, "check")
	if !strings.Contains(w.Findings.label.Text, "vấn đề") {
		t.Fatalf("findings label %q", w.Findings.label.Text)
	}
	if len(w.Findings.Items) > 0 {
		c0, _ := w.Map.Center()
		w.Findings.List.Select(0)
		if c1, _ := w.Map.Center(); c1 == c0 {
			t.Fatal("no zoom to the finding")
		}
	}
}

func TestTranslationsComplete(t *testing.T) {
	read := func(name string) map[string]string {
		b, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	vi, en := read("vi.json"), read("en.json")
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range trCall.FindAllStringSubmatch(string(src), -1) {
			if vi[m[1]] == "" || en[m[1]] == "" {
				t.Errorf("%s: %q lacks a translation (vi %q, en %q)", f, m[1], vi[m[1]], en[m[1]])
			}
		}
	}
}

var trCall = regexp.MustCompile(`tr\("([^"]*)"`)

// send delivers v unless the channel is full: hooks must never block the UI goroutine.
func send[T any](c chan T, v T) {
	select {
	case c <- v:
	default:
	}
}

func TestLanguageSwitchesAndIsRemembered(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	defer SetLanguage("vi")
	waitLoaded(t, w, "truc-trung-tam@2")
	done := make(chan *store.Snapshot, 1)
	w.Loaded = func(s *store.Snapshot) { send(done, s) }
	w.Language.SetSelectedIndex(1)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("not redrawn after the language change")
	}
	if !strings.Contains(w.Status.Text, "version 2 · 459 lots") || w.Left.Items[0].Text != "Plans" {
		t.Fatalf("English status %q, tab %q", w.Status.Text, w.Left.Items[0].Text)
	}
	if got := w.app.Preferences().String(prefLanguage); got != "en" {
		t.Fatalf("language preference %q", got)
	}
	if got := w.nodeText("chi-ma#2"); !strings.Contains(got, "under appraisal") {
		t.Fatalf("English dossier node %q", got)
	}
}

func TestLayersPanelHidesReordersAndRemembers(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	waitLoaded(t, w, "chi-ma@1")
	// rows, top layer first: TimDuongGiaoThong_L, RanhGioiQuyHoach_A, ChucNangSuDungDat_A
	row := func(i int) (*widget.Check, *widget.Button, *widget.Slider) {
		box := w.LayerPanel.Objects[i].(*fyne.Container)
		top := box.Objects[0].(*fyne.Container)
		var check *widget.Check
		var up *widget.Button
		for _, o := range top.Objects {
			switch o := o.(type) {
			case *widget.Check:
				check = o
			case *fyne.Container:
				up = o.Objects[0].(*widget.Button)
			}
		}
		var slider *widget.Slider
		for _, o := range box.Objects[1].(*fyne.Container).Objects {
			if s, ok := o.(*widget.Slider); ok {
				slider = s
			}
		}
		return check, up, slider
	}
	check, _, slider := row(2)
	if check.Text != LandUseLayer {
		t.Fatalf("bottom row %q", check.Text)
	}
	test.Tap(check)
	if !w.Map.Options().Hidden[LandUseLayer] {
		t.Fatal("land use not hidden")
	}
	img := w.Map.Render(400, 300)
	cat, _ := landuse.Parse(assets.LandUse)
	if n := catalogueColours(img, cat); n != 0 {
		t.Fatalf("%d land-use colours with the layer hidden", n)
	}
	slider.SetValue(0.4)
	slider.OnChangeEnded(0.4)
	if w.Map.Options().Opacity[LandUseLayer] != 0.4 {
		t.Fatalf("opacity %v", w.Map.Options().Opacity)
	}
	// move land use to the top
	_, up, _ := row(2)
	test.Tap(up)
	_, up, _ = row(1)
	test.Tap(up)
	if c, _, _ := row(0); c.Text != LandUseLayer {
		t.Fatalf("top row %q after moving land use up", c.Text)
	}
	p := w.loadLayerPrefs("chi-ma")
	if !p.Hidden[LandUseLayer] || p.Opacity[LandUseLayer] != 0.4 || p.Order[len(p.Order)-1] != LandUseLayer {
		t.Fatalf("remembered %+v", p)
	}
	// another plan keeps its own layers
	waitLoaded(t, w, "huu-nghi@1")
	if w.Map.Options().Hidden[LandUseLayer] {
		t.Fatal("huu-nghi inherited chi-ma's hidden layer")
	}
}

func TestCompareSideBySideFollowsTheView(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	waitDone(t, w, func() { w.Plans.Select("chi-ma#2") }, "compare")
	overlay := w.Map.Scene()
	w.Compare.Side.SetChecked(true)
	if !w.twinned || w.Twin.Scene() != w.Compare.before || w.Map.Scene() != w.Compare.after {
		t.Fatal("side by side not shown")
	}
	w.Map.Resize(fyne.NewSize(500, 600))
	w.Twin.Resize(fyne.NewSize(500, 600))
	w.Map.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 40, DY: -25}})
	w.Map.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(100, 100)}, Scrolled: fyne.Delta{DY: 25}})
	c1, r1 := w.Map.Center()
	c2, r2 := w.Twin.Center()
	if c1 != c2 || r1 != r2 {
		t.Fatalf("twin at %v %v, map at %v %v", c2, r2, c1, r1)
	}
	// panning the approved side moves the adjusted one too
	w.Twin.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: -10}})
	if c3, _ := w.Map.Center(); c3 == c1 {
		t.Fatal("the map did not follow the twin")
	}
	// the swipe replaces it; off again, the changes are drawn over the base
	w.Compare.Swipe.SetChecked(true)
	if w.twinned || w.Compare.Side.Checked || w.Map.Scene() != overlay {
		t.Fatal("swipe did not replace side by side")
	}
	w.Compare.Swipe.SetChecked(false)
	if w.Map.Scene() != overlay {
		t.Fatal("overlay not back")
	}
}
