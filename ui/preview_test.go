package ui

import (
	"context"
	"errors"
	"image"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"quyhoach/gis/scene"
	"quyhoach/store"
)

// gatedDrawing holds the reading of a drawing until the test lets it go
// (or fails it with fail), tells when the stored overview was asked for
// (after holding it back late) and when the drawing was, and counts the
// overviews written.
type gatedDrawing struct {
	*store.Store
	go_   chan struct{}
	fail  error
	late  time.Duration
	asked atomic.Bool
	drawn atomic.Bool
	puts  atomic.Int32
}

func gate(st *store.Store) *gatedDrawing { return &gatedDrawing{Store: st, go_: make(chan struct{})} }

func (g *gatedDrawing) Overview(ctx context.Context, code string, number int) (string, []byte, error) {
	defer g.asked.Store(true)
	time.Sleep(g.late)
	return g.Store.Overview(ctx, code, number)
}

func (g *gatedDrawing) PutOverview(ctx context.Context, code string, number int, style string, data []byte) error {
	g.puts.Add(1)
	return g.Store.PutOverview(ctx, code, number, style, data)
}

func (g *gatedDrawing) Drawing(ctx context.Context, code string, number int, fn func(store.DrawingBatch) error) (*store.Drawing, bool, error) {
	g.drawn.Store(true)
	if g.fail != nil {
		return nil, false, g.fail
	}
	select {
	case <-g.go_:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	return g.Store.Drawing(ctx, code, number, fn)
}

// overviewWindow opens a window over src, its background work in the
// background (as the real window's), at 1200 × 800.
func overviewWindow(t *testing.T, src Source) *Window {
	t.Helper()
	w := testWindow(t, src, Options{})
	w.Resize(fyne.NewSize(1200, 800))
	return w
}

// keptOverview opens a window over the samples (every plan large enough to
// keep an overview) and returns the store once the first plan's overview
// is kept, with that plan's code and version and the window.
func keptOverview(t *testing.T) (*store.Store, string, int, *Window) {
	t.Helper()
	prev, prevFrom := twoPhaseFrom, overviewFrom
	twoPhaseFrom, overviewFrom = 0, 0
	t.Cleanup(func() { twoPhaseFrom, overviewFrom = prev, prevFrom })
	st := sampleStore(t)
	w := overviewWindow(t, st)
	pump(t, "the first plan with its attributes", func() bool { return w.shown.state != nil && w.shown.drawing == nil })
	code, number := w.shown.state.Plan.Code, w.shown.state.Version.Number
	pump(t, "its overview kept", func() bool {
		style, err := st.OverviewStyle(context.Background(), code, number)
		if err != nil {
			t.Fatal(err)
		}
		return style != ""
	})
	return st, code, number, w
}

// TestWindowOpensOnTheStoredOverview: a large version shown with its
// attributes has its overview kept in the store; the next window opening
// on it shows that overview before the lots are read, fitted, then the
// lots in its place, the view kept; it writes no overview again. One
// drawn in another style is not shown.
func TestWindowOpensOnTheStoredOverview(t *testing.T) {
	st, code, number, w := keptOverview(t)
	style, data, err := st.Overview(context.Background(), code, number)
	if err != nil || data == nil {
		t.Fatal(err)
	}
	if _, want := w.overviewOptions(code); style != want {
		t.Fatalf("kept in style %q, the map's is %q", style, want)
	}

	gated := gate(st)
	w2 := overviewWindow(t, gated)
	pump(t, "the overview on the map", w2.Map.showsOverview)
	img := w2.Map.Render(600, 400)
	if !w2.Map.Scene().Empty() {
		t.Fatal("lots on the map before they were read")
	}
	if n := coloured(img); n < 600*400/20 {
		t.Fatalf("the overview frame has %d coloured pixels: not the plan", n)
	}
	if c, _ := w2.Map.Center(); c != w2.Map.overview.Extent.Center() {
		t.Fatalf("the overview is not fitted: centre %v, its extent's %v", c, w2.Map.overview.Extent.Center())
	}
	w2.Map.pan(30, 20) // the officer looks closer meanwhile
	center, res := w2.Map.Center()
	close(gated.go_)
	pump(t, "the lots in its place", func() bool { return w2.shown.state != nil && !w2.Map.Scene().Empty() })
	if w2.Map.showsOverview() {
		t.Fatal("the overview stays under the lots")
	}
	if c, r := w2.Map.Center(); c != center || r != res {
		t.Fatalf("the view moved when the lots came: %v %v, was %v %v", c, r, center, res)
	}
	pump(t, "the attributes", func() bool { return w2.shown.drawing == nil })
	time.Sleep(300 * time.Millisecond) // a keeping would have begun after the next frame (or a second)
	pump(t, "a while", func() bool { return true })
	if n := gated.puts.Load(); n != 0 {
		t.Fatalf("the overview kept in this style was written again (%d times)", n)
	}

	// drawn in another style: not shown
	if err := st.PutOverview(context.Background(), code, number, style+"x", data); err != nil {
		t.Fatal(err)
	}
	gated = gate(st)
	w3 := overviewWindow(t, gated)
	pump(t, "the overview asked for", gated.asked.Load)
	until := time.Now().Add(300 * time.Millisecond) // and what the reader hands over, handled
	pump(t, "a while", func() bool { return time.Now().After(until) })
	if w3.Map.showsOverview() {
		t.Fatal("an overview drawn in another style was shown")
	}
	close(gated.go_)
	pump(t, "the lots", func() bool { return w3.shown.state != nil && !w3.Map.Scene().Empty() })
}

// TestLotsWaitForTheWindowBehindTheirOverview: the lots of a version that
// opens on its stored overview are read once the window is shown, not
// while it is made (both would share the cores); the overview read by then
// is shown as the window is.
func TestLotsWaitForTheWindowBehindTheirOverview(t *testing.T) {
	st, _, _, _ := keptOverview(t)
	gated := gate(st)
	close(gated.go_)
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetFloat(prefWidth, 1200)
	a.Preferences().SetFloat(prefHeight, 800)
	w, err := New(a, gated, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// not pumped: as while the real window is made, nothing of the
	// background reaches the UI goroutine
	deadline := time.Now().Add(20 * time.Second)
	for read := false; !read; time.Sleep(2 * time.Millisecond) {
		w.early.mu.Lock()
		read = w.early.overview != nil
		w.early.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("the stored overview was not read")
		}
	}
	time.Sleep(100 * time.Millisecond)
	if gated.drawn.Load() {
		t.Fatal("the lots were read behind their overview before the window was shown")
	}
	if w.Map.showsOverview() {
		t.Fatal("the overview shown before the window")
	}
	w.Present()
	if !w.Map.showsOverview() {
		t.Fatal("the overview read before the window was shown is not shown with it")
	}
	pump(t, "the lots read once the window is up", func() bool { return w.shown.state != nil && !w.Map.Scene().Empty() })
	if !gated.drawn.Load() {
		t.Fatal("the lots came without being read")
	}
}

// TestStoredOverviewLeavesWithItsLoad: the overview goes when what it
// stands for will not come — another plan asked for, a comparison, the
// load cancelled or failed (also when it is read after the failure) —
// and is not kept for a version under overviewFrom features.
func TestStoredOverviewLeavesWithItsLoad(t *testing.T) {
	st, code, _, _ := keptOverview(t)
	plans, err := st.Plans(context.Background())
	if err != nil || len(plans) < 2 {
		t.Fatal(err)
	}
	other := plans[0].Code
	if other == code {
		other = plans[1].Code
	}
	for _, c := range []struct {
		name  string
		leave func(w *Window)
	}{
		{"another plan", func(w *Window) { w.Show(other, 0) }},
		{"a comparison", func(w *Window) { w.CompareVersions(code, 1, 1) }},
		{"cancelled", func(w *Window) {
			w.tasks.Cancel()
			pump(t, "the load ended", func() bool { return !w.Map.showsOverview() })
		}},
	} {
		gated := gate(st)
		w := overviewWindow(t, gated)
		pump(t, c.name+": the overview on the map", w.Map.showsOverview)
		c.leave(w)
		if w.Map.showsOverview() {
			t.Errorf("%s: the overview stays on the map", c.name)
		}
		close(gated.go_)
	}

	failing := gate(st)
	failing.fail, failing.late = errors.New("disk gone"), 200*time.Millisecond
	w := overviewWindow(t, failing)
	pump(t, "the overview asked for", failing.asked.Load)
	until := time.Now().Add(300 * time.Millisecond)
	pump(t, "a while", func() bool { return time.Now().After(until) })
	if w.Map.showsOverview() {
		t.Error("the overview of a version that failed to open, read after, is on the map")
	}

	// under overviewFrom: none kept
	overviewFrom = 1 << 30
	fresh := sampleStore(t)
	w = overviewWindow(t, fresh)
	pump(t, "the attributes", func() bool { return w.shown.state != nil && w.shown.drawing == nil })
	time.Sleep(300 * time.Millisecond)
	pump(t, "a while", func() bool { return true })
	if s, _ := fresh.OverviewStyle(context.Background(), w.shown.state.Plan.Code, 0); s != "" {
		t.Error("an overview kept for a version under overviewFrom features")
	}
}

// coloured counts the pixels of img that are neither the map's background
// nor white: lots.
func coloured(img *image.RGBA) int {
	n := 0
	for i := 0; i < len(img.Pix); i += 4 {
		r, g, b := img.Pix[i], img.Pix[i+1], img.Pix[i+2]
		if (r != Background.R || g != Background.G || b != Background.B) && !(r == 255 && g == 255 && b == 255) {
			n++
		}
	}
	return n
}

// TestOverviewFittedAtItsFirstPaint: an overview set on a map laid out at
// its least size (as in a window not shown yet) is fitted again at the
// size the map is first painted at, and that first paint draws it, as a
// frame drawn at that size is (no paint of paper first); once painted, a
// new size keeps the view; a view moved before the first paint is kept.
func TestOverviewFittedAtItsFirstPaint(t *testing.T) {
	w := newWindow(t, fakeSource{})
	o, _ := w.overviewOptions(w.shown.state.Plan.Code)
	data, ok := w.Map.Scene().EncodeOverview(o)
	if !ok {
		t.Fatal("no overview of the plan")
	}
	p, err := scene.DecodeOverview(data)
	if err != nil {
		t.Fatal(err)
	}
	fitted := NewMapView() // laid out at its size from the start
	fitted.Resize(fyne.NewSize(600, 500))
	fitted.ShowOverview(p)
	wantC, wantRes := fitted.Center()

	m := NewMapView()
	rendered := 0
	m.Rendered = func() { rendered++ }
	m.Resize(fyne.NewSize(200, 100)) // the least size, before the window shows
	m.ShowOverview(p)
	m.Resize(fyne.NewSize(600, 500)) // the window shown
	if c, res := m.Center(); c != wantC || res != wantRes {
		t.Fatalf("fitted at %v %v before its first paint, %v %v at its size", c, res, wantC, wantRes)
	}
	img, ok := m.draw(600, 500).(*image.RGBA)
	if !ok || coloured(img) < 600*500/20 || !samePixels(img, fitted.Render(600, 500)) {
		t.Fatal("the first paint is not the overview as drawn at the map's size")
	}
	pump(t, "the frame told", func() bool { return rendered == 1 })
	m.Resize(fyne.NewSize(800, 600))
	if c, res := m.Center(); c != wantC || res != wantRes {
		t.Fatalf("painted, then resized: the view moved to %v %v", c, res)
	}

	moved := NewMapView()
	moved.Resize(fyne.NewSize(200, 100))
	moved.ShowOverview(p)
	moved.pan(10, 5) // before the window shows: a view asked for, not a fit
	c, res := moved.Center()
	moved.Resize(fyne.NewSize(600, 500))
	if c2, res2 := moved.Center(); c2 != c || res2 != res {
		t.Fatalf("a view moved before the first paint was fitted again: %v %v, was %v %v", c2, res2, c, res)
	}
}
