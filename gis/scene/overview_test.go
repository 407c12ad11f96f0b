package scene

import (
	"image/color"
	"math"
	"testing"

	"quyhoach/gis/render"
)

// TestOverviewDrawsWhatTheShapesDraw: a large scene seen whole is drawn
// from its overview, within a few levels of the exact frame on average; a
// view finer than the overview draws the shapes; the overview is drawn once
// per options.
func TestOverviewDrawsWhatTheShapesDraw(t *testing.T) {
	defer func(n int) { overviewMin = n }(overviewMin)
	overviewMin = 1000
	s := Plan(synthetic(4000), catalogue(t), "vi")
	o := Options{Background: color.NRGBA{0xf7, 0xf7, 0xf2, 0xff}}
	v := render.Fit(s.Extent, 300, 200, 0) // each lot about 4 px: coarser than the overview
	if s.overviewFor(v, o) != nil {
		t.Fatal("an overview before one was drawn")
	}
	s.waitOverview() // drawn in the background
	if s.overviewFor(v, o) == nil {
		t.Fatal("no overview for a whole-extent view of a large scene")
	}
	first := s.ov.ov
	fast := s.Frame(v, o)
	exact := o
	exact.noOverview = true
	want := s.Frame(v, exact)
	sum := 0.0
	for i := range fast.Pix {
		sum += math.Abs(float64(fast.Pix[i]) - float64(want.Pix[i]))
	}
	if mean := sum / float64(len(fast.Pix)); mean > 12 {
		t.Errorf("the overview frame differs from the exact one by %.1f levels on average", mean)
	}
	if s.Frame(v, o); s.ov.ov != first {
		t.Error("the overview was drawn again for the same options")
	}
	zoomed := v
	zoomed.Scale /= 40
	if s.overviewFor(zoomed, o) != nil {
		t.Error("a zoomed view used the overview")
	}
	small := Plan(synthetic(100), catalogue(t), "vi")
	if small.overviewFor(render.Fit(small.Extent, 300, 200, 0), o) != nil {
		t.Error("a small scene keeps an overview")
	}
}
