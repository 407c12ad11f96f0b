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
	ov, start := s.overviewFor(v, o)
	if ov != nil || start == nil {
		t.Fatal("an overview before one was drawn, or none wanted")
	}
	start()
	s.waitOverview() // drawn in the background
	if ov, _ := s.overviewFor(v, o); ov == nil {
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
	if ov, start := s.overviewFor(zoomed, o); ov != nil || start != nil {
		t.Error("a zoomed view used the overview")
	}
	// a whole-extent frame drawn exactly starts the overview, once drawn
	again := Plan(synthetic(4000), catalogue(t), "vi")
	again.Frame(v, o)
	again.waitOverview()
	if ov, _ := again.overviewFor(v, o); ov == nil {
		t.Error("the first whole-extent frame did not start the overview")
	}
	small := Plan(synthetic(100), catalogue(t), "vi")
	if ov, start := small.overviewFor(render.Fit(small.Extent, 300, 200, 0), o); ov != nil || start != nil {
		t.Error("a small scene keeps an overview")
	}
}
