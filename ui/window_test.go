package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"image"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/plan"
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

// newWindow opens the window over src at a fixed size, its background
// work synchronous, with its first plan shown.
func newWindow(t *testing.T, src Source) *Window {
	t.Helper()
	w := testWindow(t, src, Options{Sync: true})
	if w.shown.state == nil {
		t.Fatalf("the first plan was not shown: %q", w.Status.Text.Text)
	}
	return w
}

// testWindow opens the window over src with options o in a test app, at
// 1200 × 800.
func testWindow(t *testing.T, src Source, o Options) *Window {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	// the size comes from the preferences, so nothing resizes the window
	// while its first plan loads
	a.Preferences().SetFloat(prefWidth, 1200)
	a.Preferences().SetFloat(prefHeight, 800)
	w, err := New(a, src, o)
	if err != nil {
		t.Fatal(err)
	}
	// as if shown: nothing waits for the window, and the map has had its
	// first paint (Fyne's test driver paints only when captured)
	w.markPresented()
	s := w.Map.Size()
	w.Map.draw(int(s.Width), int(s.Height))
	return w
}

// open chooses a browser node and returns the state it shows.
func open(t *testing.T, w *Window, id string) *plan.State {
	t.Helper()
	w.Browser.Tree.Select(id)
	if w.shown.state == nil || w.shown.node.ID() != id {
		t.Fatalf("%s was not shown (%v shown): %q", id, w.shown.node, w.Status.Text.Text)
	}
	return w.shown.state
}

func TestWindowListsPlansAndDrawsVersions(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	b := w.Browser
	areas := b.childUIDs("")
	if len(areas) != 4 {
		t.Fatalf("%d areas listed, want 4", len(areas))
	}
	plans := 0
	for _, a := range areas {
		plans += len(b.childUIDs(a))
	}
	if plans != 4 || b.Text(areas[0]) != "Xã Yên Khoái, huyện Lộc Bình, tỉnh Lạng Sơn" {
		t.Fatalf("%d plans listed, want 4; first area %q", plans, b.Text(areas[0]))
	}
	if got := b.childUIDs("truc-trung-tam"); len(got) != 3 || got[1] != "truc-trung-tam@2" || got[2] != "truc-trung-tam#1" {
		t.Fatalf("central axis versions and dossiers %v", got)
	}
	s := open(t, w, "truc-trung-tam@1")
	if st := w.Status.Text.Text; s.Version.Number != 1 || !strings.Contains(st, "phiên bản 1") || !strings.Contains(st, "459 lô") {
		t.Fatalf("status %q", st)
	}
	open(t, w, "truc-trung-tam")
	if st := w.Status.Text.Text; !strings.Contains(st, "phiên bản 2") || !strings.Contains(st, "1.686,95 ha") {
		t.Fatalf("status %q", st)
	}
	// The map shows several land-use colours of the catalogue.
	img := w.Map.Render(800, 600)
	cat, _ := landuse.Parse(assets.LandUse)
	if n := catalogueColours(img, cat); n < 8 {
		t.Fatalf("%d land-use colours drawn, want at least 8", n)
	}
	// The legend lists the classes shown; the layers panel the layers.
	if len(w.Legend.Box.Objects) < 10 || len(w.Layers.Box.Objects) != 4 {
		t.Fatalf("legend %d rows, layers %d rows", len(w.Legend.Box.Objects), len(w.Layers.Box.Objects))
	}
}

func TestDossierNodesShowStateAndOverdue(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	got := w.Browser.Text("chi-ma#2")
	if !strings.HasPrefix(got, "⚠ Hồ sơ 2:") || !strings.Contains(got, "đang thẩm định") || !strings.Contains(got, "quá hạn") {
		t.Fatalf("chi-ma dossier node %q", got)
	}
	if got := w.Browser.Text("truc-trung-tam#1"); !strings.Contains(got, "đã công bố") || strings.Contains(got, "⚠") {
		t.Fatalf("central axis dossier node %q", got)
	}
}

func TestRemembersLastPlanAndLayers(t *testing.T) {
	st := sampleStore(t)
	a := test.NewApp()
	defer a.Quit()
	a.Preferences().SetString(prefLastNode, "huu-nghi@1")
	hidden, _ := json.Marshal(layerPrefs{Hidden: map[string]bool{gis.BoundaryLayer: true}, Opacity: map[string]float64{gis.LandUseLayer: 0.5}})
	a.Preferences().SetString(prefLayers+"huu-nghi", string(hidden))
	var shown []string
	w, err := New(a, st, Options{Sync: true, OnShown: func(s *plan.State) { shown = append(shown, s.Plan.Code) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(shown) != 1 || shown[0] != "huu-nghi" {
		t.Fatalf("opened %v, want the last plan huu-nghi", shown)
	}
	o := w.Map.Options()
	if !o.Hidden[gis.BoundaryLayer] || o.Opacity[gis.LandUseLayer] != 0.5 {
		t.Fatalf("layer options %v %v", o.Hidden, o.Opacity)
	}
	// the window's size is kept when it closes and used when it opens again
	w.Resize(fyne.NewSize(1000, 700))
	w.Close()
	if a.Preferences().Float(prefWidth) != 1000 || a.Preferences().Float(prefHeight) != 700 {
		t.Fatalf("size kept %v×%v", a.Preferences().Float(prefWidth), a.Preferences().Float(prefHeight))
	}
	w2, err := New(a, st, Options{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	if s := w2.Canvas().Size(); s.Width != 1000 || s.Height != 700 {
		t.Fatalf("reopened at %v", s)
	}
}

func TestSearchFindsAccentFreeQueries(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "truc-trung-tam@1")
	s := w.Search
	for q, want := range map[string]string{
		"dong dang":       "Đồng Đăng",
		"DUONG TRUC":      "Đường trục",
		"lang son – dong": "Lạng Sơn – Đồng Đăng",
	} {
		test.Type(s.Entry, "")
		s.Entry.SetText(q)
		if len(s.Hits) == 0 {
			t.Fatalf("%q found nothing", q)
		}
		for _, h := range s.Hits {
			if name := h.Shape().Feature.String("tenDoiTuong"); !strings.Contains(name, want) {
				t.Errorf("%q found %q", q, name)
			}
		}
	}
	s.Entry.SetText("cn-0")
	if len(s.Hits) == 0 || !strings.HasPrefix(s.Hits[0].Shape().Feature.String("maDoiTuong"), "CN-0") {
		t.Fatalf("code search found %d", len(s.Hits))
	}
	// choosing a result selects and inspects it
	s.Results.Select(0)
	if w.Map.Selected() != s.Hits[0].Shape() || len(w.Inspector.Rows) < 5 {
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

func TestCompareListsDossierChanges(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	c := w.Compare
	// Chi Ma's open dossier (under appraisal): KNQ-04 split in two, two lots changed.
	open(t, w, "chi-ma#2")
	got := rowsText(c.Rows)
	want := "modified CXCC-02|modified DV-08|added KNQ-04a|added KNQ-04b|removed KNQ-04|split KNQ-04 → KNQ-04a, KNQ-04b"
	if got != want {
		t.Fatalf("chi-ma dossier changes\n got %s\nwant %s", got, want)
	}
	if !strings.Contains(c.Title.Text, "Hồ sơ 2") || !strings.Contains(w.Status.Text.Text, "chi-ma · hồ sơ 2 (đang thẩm định) · 83 lô") {
		t.Fatalf("title %q, status %q", c.Title.Text, w.Status.Text.Text)
	}
	var buf bytes.Buffer
	if err := c.WriteChangesCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(buf.String(), "\n"); lines != 7 || !strings.Contains(buf.String(), "added,") {
		t.Fatalf("changes CSV:\n%s", buf.String())
	}
	// choosing a change zooms to it and selects it
	before, _ := w.Map.Center()
	c.List.Select(2)
	if sel := w.Map.Selected(); sel == nil || sel.Feature.String("maDoiTuong") != "KNQ-04a" {
		t.Fatalf("change not selected: %v", sel)
	}
	if after, _ := w.Map.Center(); after == before {
		t.Fatal("the map did not move to the change")
	}

	// The central axis v1 → v2: the approved local adjustment.
	w.CompareVersions("truc-trung-tam", 1, 2)
	got = rowsText(c.Rows)
	want = "modified CSD-02|modified NN-10|modified RSX-05|modified OLX-14|modified NN-11|modified NN-19|added HTKT-05|added DV-13a|added DV-13b|removed DV-07|removed VH-05|removed DV-13|merge DV-07, VH-05 → HTKT-05|split DV-13 → DV-13a, DV-13b"
	if got != want {
		t.Fatalf("central axis changes\n got %s\nwant %s", got, want)
	}
	buf.Reset()
	if err := c.WriteBalanceCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "HTKT,") || !strings.HasPrefix(buf.String(), "stt,code,name,before_ha") {
		t.Fatalf("balance CSV:\n%s", buf.String())
	}
	if c.cell(0, 4) != "± ha" || len(c.Balance().Rows) == 0 {
		t.Fatal("balance table empty")
	}
	if whole := c.Balance(); whole.TotalHa < 1686 || whole.TotalHa > 1688 {
		t.Fatalf("whole-plan balance total %v ha", whole.TotalHa)
	}
	// the adjusted area alone: the lots changed, before and after
	c.Scope.SetSelected("Khu vực điều chỉnh")
	adj := c.Balance()
	// as `quyhoach balance --plan truc-trung-tam --version 2 --against 1` prints it
	if r := adj.Rounded(2); r.TotalHa != 11.84 || r.BeforeTotalHa != 11.84 || len(r.Rows) != 11 {
		t.Fatalf("adjusted-area balance %v / %v ha, %d rows", r.TotalHa, r.BeforeTotalHa, len(r.Rows))
	}
	if got := c.cell(6, 4); got != "+8,55" || c.cell(6, 0) != "HTKT" {
		t.Fatalf("HTKT row: %q %q", c.cell(6, 0), got)
	}
	if got := c.cell(len(adj.Rows)+1, 4); got != signed(adj.TotalHa-adj.BeforeTotalHa) {
		t.Fatalf("total change cell %q", got)
	}
}

func rowsText(rows []plan.ChangeRow) string {
	var out []string
	for _, r := range rows {
		if r.Code != "" {
			out = append(out, r.Kind+" "+r.Code)
		} else {
			out = append(out, r.Kind+" "+rowDetail(r))
		}
	}
	return strings.Join(out, "|")
}

func TestFindingsListAndZoom(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "truc-trung-tam@1")
	test.Tap(w.Findings.Run)
	if !strings.Contains(w.Findings.Label.Text, "vấn đề") {
		t.Fatalf("findings label %q", w.Findings.Label.Text)
	}
	if !strings.Contains(w.Status.Text.Text, "phiên bản 1") {
		t.Fatalf("status after the check %q", w.Status.Text.Text)
	}
	if len(w.Findings.Items) > 0 {
		c0, _ := w.Map.Center()
		w.Findings.List.Select(0)
		if c1, _ := w.Map.Center(); c1 == c0 {
			t.Fatal("no zoom to the finding")
		}
	}
}

// TestSliverFindingText: a lot of almost no area is named a sliver, with
// its area, in Vietnamese; another invalid lot keeps the geometry's reason.
func TestSliverFindingText(t *testing.T) {
	SetLanguage("vi")
	f := topo.Finding{Kind: topo.KindInvalid, Names: []string{"S-9"}, AreaM2: 0.000257, Message: "lot S-9 is invalid: it has almost no area"}
	if got := findingText(f); got != "lô S-9 gần như không có diện tích (0,000257 m²): mảnh vụn khi vẽ; hãy xóa hoặc vẽ lại" {
		t.Errorf("sliver: %q", got)
	}
	f.AreaM2, f.Message = 0, "lot S-9 is invalid: it crosses itself"
	if got := findingText(f); got != "lô S-9 không phải đa giác hợp lệ (lot S-9 is invalid: it crosses itself)" {
		t.Errorf("invalid: %q", got)
	}
}

// TestTranslationsComplete is in i18n_test.go.

func TestLanguageSwitchesAndIsRemembered(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	defer SetLanguage("vi")
	open(t, w, "truc-trung-tam@2")
	w.Settings.Language.SetSelectedIndex(1)
	if !strings.Contains(w.Status.Text.Text, "version 2 · 459 lots · 1,686.95 ha") || w.Left.Items[0].Text != "Plans" {
		t.Fatalf("English status %q, tab %q", w.Status.Text.Text, w.Left.Items[0].Text)
	}
	if got := w.app.Preferences().String(prefLanguage); got != "en" {
		t.Fatalf("language preference %q", got)
	}
	if got := w.Browser.Text("chi-ma#2"); !strings.Contains(got, "under appraisal") {
		t.Fatalf("English dossier node %q", got)
	}
	// lot labels follow the language on screen
	if l := w.shown.plan.Layer(gis.LandUseLayer); l == nil || !strings.Contains(strings.Join(l.Shapes[0].Label(), "|"), ".") {
		t.Fatalf("English lot label %v", l.Shapes[0].Label())
	}
}

func TestLayersPanelHidesReordersAndRemembers(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma@1")
	// rows, top layer first: TimDuongGiaoThong_L, RanhGioiQuyHoach_A, ChucNangSuDungDat_A
	row := func(i int) (*widget.Check, *widget.Button, *widget.Slider) {
		box := w.Layers.Box.Objects[i].(*fyne.Container)
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
	if check.Text != gis.LandUseLayer {
		t.Fatalf("bottom row %q", check.Text)
	}
	test.Tap(check)
	if !w.Map.Options().Hidden[gis.LandUseLayer] {
		t.Fatal("land use not hidden")
	}
	img := w.Map.Render(400, 300)
	cat, _ := landuse.Parse(assets.LandUse)
	if n := catalogueColours(img, cat); n != 0 {
		t.Fatalf("%d land-use colours with the layer hidden", n)
	}
	slider.SetValue(0.4)
	slider.OnChangeEnded(0.4)
	if w.Map.Options().Opacity[gis.LandUseLayer] != 0.4 {
		t.Fatalf("opacity %v", w.Map.Options().Opacity)
	}
	// move land use to the top
	_, up, _ := row(2)
	test.Tap(up)
	_, up, _ = row(1)
	test.Tap(up)
	if c, _, _ := row(0); c.Text != gis.LandUseLayer {
		t.Fatalf("top row %q after moving land use up", c.Text)
	}
	p := w.Layers.Prefs("chi-ma")
	if !p.Hidden[gis.LandUseLayer] || p.Opacity[gis.LandUseLayer] != 0.4 || p.Order[len(p.Order)-1] != gis.LandUseLayer {
		t.Fatalf("remembered %+v", p)
	}
	// another plan keeps its own layers
	open(t, w, "huu-nghi@1")
	if w.Map.Options().Hidden[gis.LandUseLayer] {
		t.Fatal("huu-nghi inherited chi-ma's hidden layer")
	}
}

func TestCompareSideBySideFollowsTheView(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma#2")
	overlay := w.Map.Scene()
	w.Compare.Side.SetChecked(true)
	if !w.twinned || w.Twin.Scene() != w.shown.before || w.Map.Scene() != w.shown.plan {
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

// slowSource blocks loads until they are cancelled.
type slowSource struct{ fakeSource }

func (slowSource) Load(ctx context.Context, code string, n int, layers ...string) (*store.Snapshot, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func TestLongWorkShowsProgressWithCancel(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	var ended []error
	w, err := New(a, slowSource{}, Options{OnTaskDone: func(_ string, err error) { ended = append(ended, err) }})
	if err != nil {
		t.Fatal(err)
	}
	if w.Status.ShowsProgress() {
		t.Fatal("progress shown at once")
	}
	pump(t, "the progress bar after half a second", w.Status.ShowsProgress)
	test.Tap(w.Status.Cancel)
	pump(t, "the cancelled task to end", func() bool { return len(ended) > 0 })
	if !errors.Is(ended[0], context.Canceled) {
		t.Fatalf("task ended with %v", ended[0])
	}
	if w.Status.ShowsProgress() || w.Status.Text.Text != "Đã hủy" {
		t.Fatalf("after cancel: progress %v, status %q", w.Status.ShowsProgress(), w.Status.Text.Text)
	}
}

// TestANewTaskCancelsTheOneItReplaces: choosing another plan while one loads
// cancels that load, and only the newest result is shown.
func TestANewTaskCancelsTheOneItReplaces(t *testing.T) {
	a := test.NewApp()
	defer a.Quit()
	src := &gatedSource{Source: sampleStore(t), gate: make(chan struct{})}
	var ended []string
	w, err := New(a, src, Options{OnTaskDone: func(name string, err error) {
		if err != nil {
			name += ": " + err.Error()
		}
		ended = append(ended, name)
	}})
	if err != nil {
		t.Fatal(err)
	}
	w.Show("chi-ma", 1) // replaces the first plan's load, still waiting
	w.Show("huu-nghi", 1)
	close(src.gate)
	pump(t, "the newest load", func() bool { return w.shown.state != nil })
	if got := w.shown.state.Plan.Code; got != "huu-nghi" {
		t.Fatalf("shown %s, want the plan asked for last", got)
	}
	if len(ended) != 1 || ended[0] != "load" {
		t.Fatalf("tasks ended %q: the replaced loads must end silently", ended)
	}
	if n := src.cancelled.Load(); n != 2 {
		t.Fatalf("%d loads saw their context cancelled, want the 2 replaced", n)
	}
}

// gatedSource holds every load until gate closes, and counts the loads
// that saw their context cancelled.
type gatedSource struct {
	Source
	gate      chan struct{}
	cancelled atomic.Int32
}

func (g *gatedSource) Load(ctx context.Context, code string, n int, layers ...string) (*store.Snapshot, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
	}
	if err := ctx.Err(); err != nil {
		g.cancelled.Add(1)
		return nil, err
	}
	return g.Source.Load(ctx, code, n, layers...)
}

// TestWindowRemembersPanelsAndFitsSmallScreens: the side panels' widths
// come back in a new window; the window can be made as small as 1024×640
// (its content's minimum fits), on a plan and editing a dossier.
func TestWindowRemembersPanelsAndFitsSmallScreens(t *testing.T) {
	st := sampleStore(t)
	w := newWindow(t, st)
	fits := func(what string) {
		t.Helper()
		if m := w.Canvas().Content().MinSize(); m.Width > 1024 || m.Height > 640 {
			t.Errorf("%s: the window needs at least %.0f×%.0f, more than 1024×640", what, m.Width, m.Height)
		}
	}
	fits("a plan")
	w.OpenDossier(2)
	fits("a dossier's page")
	w.Edit(3)
	fits("editing a dossier")
	w.panels[0].Offset, w.panels[1].Offset = 0.31, 0.62
	w.savePanels()
	w2, err := New(w.app, st, Options{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	if w2.panels[0].Offset != 0.31 || w2.panels[1].Offset != 0.62 {
		t.Errorf("panel widths %v %v, want 0.31 0.62", w2.panels[0].Offset, w2.panels[1].Offset)
	}
}
