package ui

import (
	"context"
	"image"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"quyhoach/store"
)

// gatedDrawing holds the reading of a drawing until the test lets it go,
// and tells when the stored overview was asked for.
type gatedDrawing struct {
	*store.Store
	go_   chan struct{}
	asked atomic.Bool
}

func (g *gatedDrawing) Overview(ctx context.Context, code string, number int) (string, []byte, error) {
	defer g.asked.Store(true)
	return g.Store.Overview(ctx, code, number)
}

func (g *gatedDrawing) Drawing(ctx context.Context, code string, number int, fn func(store.DrawingBatch) error) (*store.Drawing, bool, error) {
	select {
	case <-g.go_:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	return g.Store.Drawing(ctx, code, number, fn)
}

// TestWindowOpensOnTheStoredOverview: a large version shown with its
// attributes has its overview kept in the store; the next window opening
// on it shows that overview before the lots are read, fitted, then the
// lots in its place. One drawn in another style is not shown.
func TestWindowOpensOnTheStoredOverview(t *testing.T) {
	defer func(a, b int) { twoPhaseFrom, overviewFrom = a, b }(twoPhaseFrom, overviewFrom)
	twoPhaseFrom, overviewFrom = 0, 0
	st := sampleStore(t)
	open := func(src Source) *Window {
		a := test.NewApp()
		t.Cleanup(a.Quit)
		a.Preferences().SetFloat(prefWidth, 1200)
		a.Preferences().SetFloat(prefHeight, 800)
		w, err := New(a, src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w.Resize(fyne.NewSize(1200, 800))
		return w
	}
	w := open(st)
	pump(t, "the first plan with its attributes", func() bool { return w.shown.state != nil && w.shown.drawing == nil })
	code, number := w.shown.state.Plan.Code, w.shown.state.Version.Number
	var style string
	var data []byte
	pump(t, "its overview kept", func() bool {
		var err error
		style, data, err = st.Overview(context.Background(), code, number)
		if err != nil {
			t.Fatal(err)
		}
		return data != nil
	})
	if _, want := w.overviewOptions(code); style != want {
		t.Fatalf("kept in style %q, the map's is %q", style, want)
	}

	gated := &gatedDrawing{Store: st, go_: make(chan struct{})}
	w2 := open(gated)
	pump(t, "the overview on the map", func() bool { return w2.Map.overview != nil })
	img := w2.Map.Render(600, 400)
	if w2.Map.Scene() != nil && !w2.Map.Scene().Empty() {
		t.Fatal("lots on the map before they were read")
	}
	if n := coloured(img); n < 600*400/20 {
		t.Fatalf("the overview frame has %d coloured pixels: not the plan", n)
	}
	close(gated.go_)
	pump(t, "the lots in its place", func() bool { return w2.shown.state != nil && !w2.Map.Scene().Empty() })
	if w2.Map.overview != nil {
		t.Fatal("the overview stays under the lots")
	}

	// drawn in another style: not shown
	if err := st.PutOverview(context.Background(), code, number, style+"x", data); err != nil {
		t.Fatal(err)
	}
	gated = &gatedDrawing{Store: st, go_: make(chan struct{})}
	w3 := open(gated)
	pump(t, "the overview asked for", gated.asked.Load)
	until := time.Now().Add(300 * time.Millisecond) // and what the reader hands over, handled
	pump(t, "a while", func() bool { return time.Now().After(until) })
	if w3.Map.overview != nil {
		t.Fatal("an overview drawn in another style was shown")
	}
	close(gated.go_)
	pump(t, "the lots", func() bool { return w3.shown.state != nil && !w3.Map.Scene().Empty() })

	// another plan asked for while the overview is on the map: it goes
	if err := st.PutOverview(context.Background(), code, number, style, data); err != nil {
		t.Fatal(err)
	}
	gated = &gatedDrawing{Store: st, go_: make(chan struct{})}
	w4 := open(gated)
	pump(t, "the overview on the map", func() bool { return w4.Map.overview != nil })
	plans, err := st.Plans(context.Background())
	if err != nil || len(plans) < 2 {
		t.Fatal(err)
	}
	other := plans[0].Code
	if other == code {
		other = plans[1].Code
	}
	w4.Show(other, 0)
	if w4.Map.overview != nil {
		t.Fatal("the overview of the plan left stays on the map")
	}
	close(gated.go_)
	pump(t, "the other plan", func() bool { return w4.shown.state != nil && w4.shown.state.Plan.Code == other })
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
