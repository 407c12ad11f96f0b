package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"quyhoach/gis"
	"quyhoach/gis/scene"
	"quyhoach/plan"
	"quyhoach/store"
)

// gatedAttributes holds each reading of a drawing's attributes until the
// test lets one go (release), then reads them, or fails with fail.
type gatedAttributes struct {
	*store.Store
	released atomic.Int32
	fail     error
}

func (g *gatedAttributes) release() { g.released.Add(1) }

func (g *gatedAttributes) Attributes(ctx context.Context, d *store.Drawing, progress func(int)) (*store.Snapshot, error) {
	for {
		if n := g.released.Load(); n > 0 && g.released.CompareAndSwap(n, n-1) {
			break
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond):
		}
	}
	if g.fail != nil {
		return nil, g.fail
	}
	return g.Store.Attributes(ctx, d, progress)
}

// twoPhaseWindow opens the window over the samples, every plan opened in
// two phases and the attributes held by the source till the test lets
// them go; it returns when the first plan is drawn.
func twoPhaseWindow(t *testing.T, fail error) (*Window, *gatedAttributes, *[]string) {
	t.Helper()
	old := twoPhaseFrom
	twoPhaseFrom = 0
	t.Cleanup(func() { twoPhaseFrom = old })
	src := &gatedAttributes{Store: sampleStore(t), fail: fail}
	ended := &[]string{}
	w := testWindow(t, src, Options{OnTaskDone: func(name string, err error) {
		if err != nil {
			name += ": " + err.Error()
		}
		*ended = append(*ended, name)
	}})
	w.Resize(fyne.NewSize(1200, 800))
	pump(t, "the first plan drawn", func() bool { return w.shown.state != nil })
	if w.shown.drawing == nil || len(w.shown.state.Layers) != 0 {
		t.Fatal("the plan was not shown before its attributes")
	}
	return w, src, ended
}

// TestAttributesComeBehindTheFirstFrame: a plan is on the map before its
// attributes; the status bar says they are being read; inspecting and
// checking wait for them and then run; the view and the selection the
// user made meanwhile stay when they land, and the labels come.
func TestAttributesComeBehindTheFirstFrame(t *testing.T) {
	w, src, ended := twoPhaseWindow(t, nil)
	if !strings.Contains(w.Status.Text.Text, "đang tải thuộc tính") {
		t.Fatalf("status while the attributes are read: %q", w.Status.Text.Text)
	}
	lots := w.Map.Scene().Layer(gis.LandUseLayer)
	if lots == nil || len(lots.Shapes) == 0 || lots.Shapes[0].Label() != nil {
		t.Fatal("no lots drawn, or labelled before their attributes")
	}
	w.Map.ZoomIn()
	w.Map.pan(40, -25)
	center, res := w.Map.Center()
	sh := &lots.Shapes[3]
	w.Map.Select(sh)
	w.Inspect(sh) // waits
	if len(w.Inspector.Rows) != 0 {
		t.Fatal("inspected before the attributes")
	}
	w.Search.Entry.SetText(sh.ID)
	if len(w.Search.Hits) != 0 {
		t.Fatal("search answered from a drawing")
	}
	src.release()
	pump(t, "the attributes", func() bool { return w.shown.drawing == nil })
	if c, r := w.Map.Center(); c != center || r != res {
		t.Fatalf("view moved: %v %v, was %v %v", c, r, center, res)
	}
	if w.Map.Selected() != sh || w.Map.Scene() != w.shown.plan {
		t.Fatal("selection lost")
	}
	code := sh.Feature.String("maDoiTuong")
	if code == "" || len(w.Inspector.Rows) < 5 || !strings.Contains(rowsOf(w.Inspector.Rows), code) {
		t.Fatalf("the waiting inspection did not run: %v", w.Inspector.Rows)
	}
	if l := sh.Label(); len(l) == 0 || l[0] != code {
		t.Fatalf("label after the attributes: %q", l)
	}
	want, err := plan.Open(context.Background(), src.Store, w.shown.state.Plan.Code, plan.Ref{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(w.shown.state.Lots()); n != len(want.Lots()) || n == 0 {
		t.Fatalf("state of %d lots, want %d", n, len(want.Lots()))
	}
	if strings.Contains(w.Status.Text.Text, "thuộc tính") {
		t.Fatalf("status after: %q", w.Status.Text.Text)
	}
	// a check asked while they are read runs when they land
	w.Show(w.shown.state.Plan.Code, 0)
	pump(t, "drawn again", func() bool { return w.shown.drawing != nil && w.attrLoad != nil })
	w.check()
	if len(w.Findings.Items) != 0 || slicesContain(*ended, "check") {
		t.Fatal("checked before the attributes")
	}
	src.release()
	pump(t, "the waiting check", func() bool { return slicesContain(*ended, "check") })
}

func rowsOf(rows [][2]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r[0] + "=" + r[1] + "\n")
	}
	return b.String()
}

func slicesContain(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// TestAttributesFailingLeaveAViewer: when the attributes cannot be read
// the map stays (drawn, pannable), the status bar says why in one line,
// and what needs them says so instead of waiting.
func TestAttributesFailingLeaveAViewer(t *testing.T) {
	w, src, ended := twoPhaseWindow(t, errors.New("the disk went away"))
	src.release()
	pump(t, "the attributes failing", func() bool {
		return slicesContain(*ended, "attributes: the disk went away")
	})
	if w.shown.drawing == nil || w.Map.Scene().Empty() {
		t.Fatal("the drawing is gone")
	}
	line := w.Status.Text.Text
	if !strings.Contains(line, "the disk went away") || strings.Contains(line, "\n") {
		t.Fatalf("status: %q", line)
	}
	sh := &w.Map.Scene().Layer(gis.LandUseLayer).Shapes[0]
	w.Inspect(sh)
	w.check()
	if len(w.Inspector.Rows) != 0 || w.attrLoad.pending != nil || !strings.Contains(w.Status.Text.Text, "the disk went away") {
		t.Fatal("a tool waits for attributes that will not come")
	}
	w.Map.ZoomIn()
	if img := w.Map.Render(300, 200); catalogueColours(img, w.cat) == 0 {
		t.Fatal("the viewer draws nothing")
	}
}

// TestAFailedOpenLeavesTheAttributesComing: opening a plan that is not
// there while the shown one's attributes are read leaves them coming: the
// inspector asked meanwhile fills when they land.
func TestAFailedOpenLeavesTheAttributesComing(t *testing.T) {
	w, src, ended := twoPhaseWindow(t, nil)
	w.frameRendered()
	pump(t, "the attributes being read", func() bool { return w.attrs.cancel != nil })
	w.Show("NO-SUCH-PLAN", 0)
	pump(t, "the open failing", func() bool {
		for _, e := range *ended {
			if strings.HasPrefix(e, "load: ") {
				return true
			}
		}
		return false
	})
	src.release()
	sh := &w.Map.Scene().Layer(gis.LandUseLayer).Shapes[0]
	w.Map.Select(sh)
	w.Inspect(sh)
	pump(t, "the attributes of the plan still shown", func() bool { return w.shown.drawing == nil && len(w.Inspector.Rows) > 0 })
}

// TestFirstFrameIsTheFullStatesFrame: the first frame of a sample plan,
// drawn from its drawing alone, is the frame of the full state drawn as
// it always was (scene.Plan) without labels, every lot outlined as a
// first-phase lot — the stage is an attribute; once the attributes are
// read, the frame is the full state's, labels and outlines, pixel for
// pixel.
func TestFirstFrameIsTheFullStatesFrame(t *testing.T) {
	w, src, _ := twoPhaseWindow(t, nil)
	for _, code := range []string{"truc-trung-tam", "chi-ma"} {
		w.Show(code, 0)
		pump(t, "drawn", func() bool { return w.shown.drawing != nil && w.shown.state.Plan.Code == code })
		w.Map.ZoomIn()
		first := w.Map.Render(1000, 700)
		full, err := plan.Open(context.Background(), src.Store, code, plan.Ref{})
		if err != nil {
			t.Fatal(err)
		}
		firstPhase := make([]gis.Layer, len(full.Layers))
		for i, l := range full.Layers {
			firstPhase[i] = gis.Layer{Name: l.Name, Features: make([]gis.Feature, len(l.Features))}
			for k, f := range l.Features {
				props := map[string]any{}
				for key, v := range f.Properties {
					if key != "giaiDoan" {
						props[key] = v
					}
				}
				f.Properties = props
				firstPhase[i].Features[k] = f
			}
		}
		o := w.Map.Options()
		o.Font = nil
		if !samePixels(first, frameOf(w, scene.Plan(firstPhase, w.cat, Lang()), o)) {
			t.Fatalf("%s: the first frame is not the full state's without labels", code)
		}
		src.release()
		pump(t, "the attributes", func() bool { return w.shown.drawing == nil })
		after := w.Map.Render(1000, 700)
		if !samePixels(after, frameOf(w, scene.Plan(full.Layers, w.cat, Lang()), w.Map.Options())) {
			t.Fatalf("%s: the frame after the attributes is not the full state's", code)
		}
		if samePixels(first, after) {
			t.Fatalf("%s: no labels came", code)
		}
	}
}

// frameOf draws sc with options o at w's map view.
func frameOf(w *Window, sc *scene.Scene, o scene.Options) *image.RGBA {
	m := NewMapView()
	m.Resize(w.Map.Size())
	m.SetOptions(o)
	m.SetScene(sc, false)
	c, r := w.Map.Center()
	m.SetCenter(c, r)
	return m.Render(1000, 700)
}

func samePixels(a, b *image.RGBA) bool {
	return a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
}

// countedDrawings records the drawings read from a store.
type countedDrawings struct {
	*store.Store
	mu    sync.Mutex
	calls []string
}

func (c *countedDrawings) Drawing(ctx context.Context, code string, number int, fn func(store.DrawingBatch) error) (*store.Drawing, bool, error) {
	c.mu.Lock()
	c.calls = append(c.calls, fmt.Sprintf("%s@%d", code, number))
	c.mu.Unlock()
	return c.Store.Drawing(ctx, code, number, fn)
}

// TestTheLastPlanIsReadAsTheWindowIsBuilt: the plan shown last is read
// while the window is built, once, and shown; a last node the browser no
// longer has is dropped for the first plan; a dossier shown last (compared
// with its base) is not read early.
func TestTheLastPlanIsReadAsTheWindowIsBuilt(t *testing.T) {
	st := sampleStore(t)
	plans, err := st.Plans(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		last  string
		opts  Options
		shown string
		reads []string
	}{
		{last: "huu-nghi@1", shown: "huu-nghi", reads: []string{"huu-nghi@1"}},
		{last: "huu-nghi", shown: "huu-nghi", reads: []string{"huu-nghi@0"}},
		{last: "no-such-plan@3", shown: plans[0].Code, reads: []string{plans[0].Code + "@0"}}, // another store's: this one's first plan, read early
		{last: "truc-trung-tam#1", shown: "truc-trung-tam", reads: nil},
		{last: "huu-nghi@1", opts: Options{OpenDossier: 1}, shown: "huu-nghi", reads: []string{"huu-nghi@1"}}, // the dossier's page over it
	} {
		src := &countedDrawings{Store: st}
		a := test.NewApp()
		a.Preferences().SetString(prefLastNode, c.last)
		var shown []string
		c.opts.Sync = true
		c.opts.OnShown = func(s *plan.State) { shown = append(shown, s.Plan.Code) }
		w, err := New(a, src, c.opts)
		if err != nil {
			t.Fatal(err)
		}
		if w.early != nil && w.early.apply != nil {
			t.Errorf("last %s: the window keeps the early load's view", c.last)
		}
		if len(shown) == 0 || shown[0] != c.shown || (w.early != nil && !w.early.taken) {
			t.Errorf("last %s: shown %v, want %s first (an early load left unused: %v)", c.last, shown, c.shown, w.early != nil)
		}
		if c.last == "no-such-plan@3" && (w.early == nil || !w.early.taken) {
			t.Errorf("last %s: the store's first plan was not read as the window was built", c.last)
		}
		src.mu.Lock()
		if !slices.Equal(src.calls, c.reads) {
			t.Errorf("last %s: drawings read %v, want %v", c.last, src.calls, c.reads)
		}
		src.mu.Unlock()
		a.Quit()
	}
}
