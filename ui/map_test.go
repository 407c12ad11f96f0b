package ui

import (
	"context"
	"flag"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"github.com/paulmach/orb"
	orbproject "github.com/paulmach/orb/project"

	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/store"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// fakeSource is a one-plan store: a lot with a hole, an island lot inside
// the hole (not filling it), and a plain lot beside them.
type fakeSource struct{}

const ox, oy = 450000.0, 2420000.0 // EPSG:9215

func sq(x, y, s float64) orb.Ring {
	return orb.Ring{{ox + x, oy + y}, {ox + x + s, oy + y}, {ox + x + s, oy + y + s}, {ox + x, oy + y + s}, {ox + x, oy + y}}
}

func (fakeSource) Plans(context.Context) ([]store.Plan, error) {
	return []store.Plan{{Code: "thu", Name: "Thử", Level: "detailed", Scale: 500, CRS: 9215, CurrentVersion: 1}}, nil
}

func (fakeSource) Versions(context.Context, string) ([]store.Version, error) {
	return []store.Version{{Number: 1, Current: true}}, nil
}

func (fakeSource) Dossiers(context.Context, store.DossierFilter) ([]store.Dossier, error) {
	return nil, nil
}

func (fakeSource) Proposal(context.Context, int64) (*store.Snapshot, store.Dossier, error) {
	return nil, store.Dossier{}, store.ErrNotFound
}

func (fakeSource) Dossier(context.Context, int64) (store.Dossier, error) {
	return store.Dossier{}, store.ErrNotFound
}

func (fakeSource) Load(context.Context, string, int, ...string) (*store.Snapshot, error) {
	hole := sq(30, 30, 40)
	hole.Reverse()
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	lots := []gis.Feature{
		{ID: "ring", Geometry: orb.Polygon{sq(0, 0, 100), hole}, Properties: map[string]any{"maDoiTuong": "CX-01", "tenDoiTuong": "Vườn hoa Đồng Đăng", "phanLoai": "CXCC"}},
		{ID: "island", Geometry: orb.Polygon{sq(45, 45, 10)}, Properties: map[string]any{"maDoiTuong": "VH-01", "phanLoai": "VH"}},
		{ID: "plain", Geometry: orb.Polygon{sq(100, 0, 100)}, Properties: map[string]any{"maDoiTuong": "ONM-01", "phanLoai": "ONM", "matDoXayDung": 60.0}},
	}
	for i := range lots {
		lots[i].Geometry = orbproject.Geometry(lots[i].Geometry, back)
	}
	return &store.Snapshot{Plan: store.Plan{Code: "thu", Name: "Thử"}, Version: store.Version{Number: 1, Current: true},
		Layers: []gis.Layer{{Name: gis.LandUseLayer, Features: lots}}}, nil
}

func TestTapSelectsLotRespectingHoles(t *testing.T) {
	w := newWindow(t, fakeSource{})
	for _, c := range []struct {
		x, y float64
		want string
	}{
		{10, 10, "ring"},
		{35, 50, ""},       // in the hole, beside the island
		{50, 50, "island"}, // in the hole, on the island
		{150, 50, "plain"},
		{95, 95, "ring"},
		{250, 50, ""},
	} {
		pos := w.Map.PositionOf(orb.Point{ox + c.x, oy + c.y})
		test.TapAt(w.Map, pos)
		got := ""
		if sh := w.Map.Selected(); sh != nil {
			got = sh.ID
		}
		if got != c.want {
			t.Errorf("tap at %v,%v selected %q, want %q", c.x, c.y, got, c.want)
		}
		if c.want == "ring" {
			area := ""
			for _, r := range w.Inspector.Rows {
				if r[0] == "Diện tích (chính thức)" {
					area = r[1]
				}
			}
			if area != "0,84 ha (8.400,0 m², EPSG:9215)" {
				t.Errorf("inspector area %q", area)
			}
		}
	}
}

func TestHoverHighlightsLot(t *testing.T) {
	w := newWindow(t, fakeSource{})
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.Map)
	test.MoveMouse(w.Canvas(), abs.Add(w.Map.PositionOf(orb.Point{ox + 150, oy + 50})))
	if h := w.Map.Hovered(); h == nil || h.ID != "plain" {
		t.Fatalf("hovered %v", h)
	}
	if w.Status.Cursor.Text == "" {
		t.Fatal("no cursor coordinates")
	}
}

func TestDragPansByTheDraggedDistance(t *testing.T) {
	w := newWindow(t, fakeSource{})
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.Map)
	start := fyne.NewPos(120, 90)
	p0 := w.Map.PointAt(start)
	c0, res := w.Map.Center()
	test.Drag(w.Canvas(), abs.Add(start), 37, -21)
	c1, res1 := w.Map.Center()
	if res1 != res {
		t.Fatalf("drag zoomed: %v → %v", res, res1)
	}
	if dx, dy := c0[0]-c1[0], c1[1]-c0[1]; math.Abs(dx-37*res) > 1e-9 || math.Abs(dy-(-21*res)) > 1e-9 {
		t.Fatalf("centre moved %v, %v m; want %v, %v", dx, dy, 37*res, -21*res)
	}
	// the ground point that was under the pointer moved with it
	if p1 := w.Map.PointAt(start.AddXY(37, -21)); math.Hypot(p1[0]-p0[0], p1[1]-p0[1]) > 1e-6 {
		t.Fatalf("ground point moved from %v to %v", p0, p1)
	}
	// arrow keys pan by an eighth of the view
	w.Canvas().Focus(w.Map)
	test.Type(w.Map, "")
	w.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	c2, _ := w.Map.Center()
	if want := float64(w.Map.Size().Width/8) * res; math.Abs(c2[0]-c1[0]-want) > 1e-9 {
		t.Fatalf("right arrow moved %v m, want %v", c2[0]-c1[0], want)
	}
}

func TestScrollZoomsAboutTheCursor(t *testing.T) {
	w := newWindow(t, fakeSource{})
	cursor := fyne.NewPos(300, 140)
	p0 := w.Map.PointAt(cursor)
	_, res0 := w.Map.Center()
	w.Map.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: cursor}, Scrolled: fyne.Delta{DY: 10}})
	_, res1 := w.Map.Center()
	if res1 >= res0 {
		t.Fatalf("scrolling up did not zoom in: %v → %v", res0, res1)
	}
	if p1 := w.Map.PointAt(cursor); math.Hypot(p1[0]-p0[0], p1[1]-p0[1]) > 1e-6 {
		t.Fatalf("point under the cursor moved from %v to %v", p0, p1)
	}
	// through the test driver (its event carries the map's own origin)
	abs := fyne.CurrentApp().Driver().AbsolutePositionForObject(w.Map)
	q0 := w.Map.PointAt(fyne.Position{})
	test.Scroll(w.Canvas(), abs.Add(fyne.NewPos(w.Map.Size().Width/2, w.Map.Size().Height/2)), 0, -10)
	if _, res2 := w.Map.Center(); math.Abs(res2-res0) > 1e-9*res0 {
		t.Fatalf("scrolling back: %v, want %v", res2, res0)
	}
	if q1 := w.Map.PointAt(fyne.Position{}); math.Hypot(q1[0]-q0[0], q1[1]-q0[1]) > 1e-6 {
		t.Fatalf("corner point moved from %v to %v", q0, q1)
	}
	// + and − zoom about the centre
	c0, r0 := w.Map.Center()
	w.Map.TypedRune('+')
	if c1, r1 := w.Map.Center(); c1 != c0 || r1 != r0/2 {
		t.Fatalf("+ gave %v %v", c1, r1)
	}
}

func TestHiDPIRendersAtDevicePixels(t *testing.T) {
	w := newWindow(t, fakeSource{})
	s := w.Map.Size()
	v1 := w.Map.View(int(s.Width), int(s.Height))
	v2 := w.Map.View(int(s.Width)*2, int(s.Height)*2)
	if math.Abs(v1.Scale/v2.Scale-2) > 1e-9 {
		t.Fatalf("scales %v, %v", v1.Scale, v2.Scale)
	}
	img := w.Map.Render(int(s.Width)*2, int(s.Height)*2)
	if img.Bounds().Dx() != int(s.Width)*2 {
		t.Fatalf("frame %v", img.Bounds())
	}
}

// golden compares img with testdata/name.png; -update rewrites it and a
// mismatch is written to testdata/failed/.
func golden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	write := func(p string) {
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
	}
	if *update {
		write(path)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if diff := pixelDiff(want, img); diff > 0 {
		failed := filepath.Join("testdata", "failed", name+".png")
		write(failed)
		t.Fatalf("%s: %d pixels differ; got %s", name, diff, failed)
	}
}

// pixelDiff counts pixels differing by more than 2 levels in a channel.
func pixelDiff(a image.Image, b *image.RGBA) int {
	if a.Bounds() != b.Bounds() {
		return a.Bounds().Dx()*a.Bounds().Dy() + 1
	}
	n := 0
	for y := b.Rect.Min.Y; y < b.Rect.Max.Y; y++ {
		for x := b.Rect.Min.X; x < b.Rect.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			for _, d := range [4][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
				if d0 := int(d[0]>>8) - int(d[1]>>8); d0 > 2 || d0 < -2 {
					n++
					break
				}
			}
		}
	}
	return n
}

func frame(w *Window) *image.RGBA {
	w.Map.Resize(fyne.NewSize(900, 600))
	w.Map.ZoomToPlan()
	return w.Map.Render(900, 600)
}

func TestGoldenSamplePlans(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	for _, node := range []string{"chi-ma@1", "huu-nghi@1", "dong-banh@1", "truc-trung-tam@2"} {
		open(t, w, node)
		golden(t, "plan-"+node[:len(node)-2], frame(w))
	}
	// compare mode: Chi Ma's open dossier zoomed to its changes, and the central axis v1 → v2
	open(t, w, "chi-ma#2")
	img := frame(w)
	golden(t, "compare-chi-ma-dossier", img)
	b := w.Compare.Rows[0].Bound
	for _, r := range w.Compare.Rows {
		b = b.Union(r.Bound)
	}
	w.Map.ZoomTo(b.Pad(40))
	golden(t, "compare-chi-ma-dossier-zoom", w.Map.Render(900, 600))
	w.CompareVersions("truc-trung-tam", 1, 2)
	golden(t, "compare-truc-trung-tam-v1-v2", frame(w))
	// the swipe: version 1 left of the divider, version 2 right of it, over the merged lots
	w.Compare.Swipe.SetChecked(true)
	w.Compare.SwipeAt.SetValue(0.5)
	for _, r := range w.Compare.Rows {
		if r.Kind == "merge" {
			w.Map.ZoomTo(r.Bound.Pad(60))
		}
	}
	golden(t, "compare-truc-trung-tam-swipe", w.Map.Render(900, 600))
	w.Compare.Swipe.SetChecked(false)
}

func TestFramesRenderInTheBackgroundAndShiftWhileDragging(t *testing.T) {
	w := newWindow(t, fakeSource{})
	m := w.Map
	rendered := 0
	m.Rendered = func() { rendered++ }
	s := m.Size()
	pw, ph := int(s.Width), int(s.Height)
	wait := func() *image.RGBA {
		t.Helper()
		for i := 0; i < 50; i++ {
			img := m.draw(pw, ph)
			m.mu.Lock()
			done := img == image.Image(m.frame)
			m.mu.Unlock()
			if done {
				return img.(*image.RGBA)
			}
			n := rendered
			pump(t, "a frame rendered", func() bool { return rendered > n })
		}
		t.Fatal("the finished frame is never shown")
		return nil
	}
	frame := wait()
	// a drag shows the last frame shifted by the dragged pixels until the new one is ready
	m.Dragged(&fyne.DragEvent{Dragged: fyne.Delta{DX: 10, DY: 6}})
	preview := m.draw(pw, ph).(*image.RGBA)
	if preview == frame {
		t.Fatal("the old frame is shown unshifted")
	}
	for _, p := range [][2]int{{100, 100}, {200, 150}, {pw / 2, ph / 2}} {
		if got, want := preview.RGBAAt(p[0]+10, p[1]+6), frame.RGBAAt(p[0], p[1]); got != want {
			t.Fatalf("preview at %v = %v, want the old frame's %v", p, got, want)
		}
	}
	next := wait()
	if next == frame {
		t.Fatal("no new frame after the drag")
	}
	// a hover is drawn over a copy of the map kept without highlights: no redraw
	m.mu.Lock()
	base := m.base
	m.mu.Unlock()
	m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: m.PositionOf(orb.Point{ox + 150, oy + 50})}})
	hovered := wait()
	m.mu.Lock()
	same := m.base == base
	m.mu.Unlock()
	if !same || hovered == next {
		t.Fatalf("hover redrew the map (base kept %v) or drew nothing", same)
	}
	x, y := m.View(pw, ph).Pixel(orb.Point{ox + 100, oy + 50}) // the hovered lot's left edge
	hx, hy := int(x), int(y)
	found := false
	for dx := -2; dx <= 2; dx++ {
		if c := hovered.RGBAAt(hx+dx, hy); c.R == 0xff && c.G == 0xff && c.B == 0 {
			found = true
		}
	}
	if !found {
		t.Fatal("no hover outline on the lot's edge")
	}
}

func TestScaleIsTrueToTheScreen(t *testing.T) {
	w := newWindow(t, fakeSource{})
	// 1:2000 at the nominal 96 dpi: a unit (1/96 in) shows 2000/96 in of ground
	w.Map.SetCenter(orb.Point{ox, oy}, 2000*0.0254/96)
	if n := w.Map.ScaleDenominator(); math.Abs(n-2000) > 1e-6 {
		t.Fatalf("1:%v, want 1:2000", n)
	}
	if !strings.Contains(w.Status.Scale.Text, "1:2.000") {
		t.Fatalf("scale label %q", w.Status.Scale.Text)
	}
	// a 192-dpi screen with 2 device pixels per unit is still 1:2000 ...
	w.Map.mu.Lock()
	w.Map.ratio = 2
	w.Map.mu.Unlock()
	w.Settings.DPI.SetText("192")
	if n := w.Map.ScaleDenominator(); math.Abs(n-2000) > 1e-6 {
		t.Fatalf("1:%v at 192 dpi, want 1:2000", n)
	}
	// ... and a 144-dpi one (units larger than nominal) shows more detail
	w.Settings.DPI.SetText("144")
	if n := w.Map.ScaleDenominator(); math.Abs(n-1500) > 1e-6 || w.app.Preferences().Float(prefDPI) != 144 {
		t.Fatalf("1:%v at 144 dpi, want 1:1500", n)
	}
}

// TestCursorOnlyOverAPlan: the status bar hears the ground under the mouse
// only when a plan is drawn (an empty store's start page shows no
// coordinates of nowhere).
func TestCursorOnlyOverAPlan(t *testing.T) {
	heard := 0
	move := func(m *MapView) {
		m.OnCursor = func(orb.Point) { heard++ }
		m.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(150, 100)}})
	}
	m := NewMapView()
	m.Resize(fyne.NewSize(300, 200))
	move(m)
	if heard != 0 {
		t.Fatalf("the cursor reported %d times over no plan", heard)
	}
	w := newWindow(t, fakeSource{}) // a plan shown
	move(w.Map)
	if heard != 1 {
		t.Fatalf("the cursor reported %d times over a plan, want 1", heard)
	}
}
