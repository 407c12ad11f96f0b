package scene

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/math/f64"

	"quyhoach/gis/render"
)

// Overviews: a plan of a million lots seen whole is a million shapes each
// smaller than a pixel. Instead of walking them for every frame, such a
// view is resampled from a coarse image of the whole scene (all its
// visible layers, without labels), drawn once, the first time a view wants
// it, at a resolution where the scene's extent is OverviewPixels across.
// A view as fine as the overview or finer draws the shapes themselves.

// OverviewMin is the number of shapes from which a scene keeps an
// overview: below it, whole-extent frames are quick enough drawn exactly.
const OverviewMin = 200_000

var overviewMin = OverviewMin // tests lower it

// OverviewPixels is the long side of an overview image.
const OverviewPixels = 4096

type overview struct {
	key    string
	levels []*image.RGBA // the image drawn, then halved again and again
	v      render.View   // the view the first level was drawn at
}

// overviewCache holds a scene's overview for the options it was drawn with.
type overviewCache struct {
	mu sync.Mutex
	ov *overview
}

// shapes counts the scene's shapes in visible layers.
func (s *Scene) shapes(o Options) int {
	n := 0
	for _, l := range s.visible(o) {
		n += len(l.Shapes)
	}
	return n
}

// optionsKey identifies what an overview depends on.
func optionsKey(o Options) string {
	return fmt.Sprint(o.Background, o.ratio(), o.Hidden, o.Opacity, o.Order)
}

// overviewFor returns the overview to draw view v from, or nil when v is
// finer than an overview would be, or the scene too small to need one.
func (s *Scene) overviewFor(v render.View, o Options) *overview {
	if s.Empty() || s.shapes(o) < overviewMin {
		return nil
	}
	w, h := s.Extent.Max[0]-s.Extent.Min[0], s.Extent.Max[1]-s.Extent.Min[1]
	res := math.Max(w, h) / OverviewPixels
	if v.Scale < res {
		return nil
	}
	key := optionsKey(o)
	s.ov.mu.Lock()
	defer s.ov.mu.Unlock()
	if ov := s.ov.ov; ov != nil && ov.key == key {
		return ov
	}
	ov := &overview{key: key, v: render.View{Center: s.Extent.Center(), Scale: res,
		Width: int(math.Ceil(w/res)) + 2, Height: int(math.Ceil(h/res)) + 2}}
	img := image.NewRGBA(image.Rect(0, 0, ov.v.Width, ov.v.Height))
	bare := o
	bare.Font, bare.Highlight, bare.noOverview = nil, nil, true
	s.Render(img, ov.v, bare)
	ov.levels = []*image.RGBA{img}
	for b := img.Bounds(); b.Dx() > 64 && b.Dy() > 64; b = ov.levels[len(ov.levels)-1].Bounds() {
		ov.levels = append(ov.levels, halve(ov.levels[len(ov.levels)-1]))
	}
	s.ov.ov = ov
	return ov
}

// halve averages each 2×2 block of src: a pyramid level.
func halve(src *image.RGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := 0; y < dst.Rect.Dy(); y++ {
		r0, r1 := src.Pix[(2*y)*src.Stride:], src.Pix[(2*y+1)*src.Stride:]
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < dst.Rect.Dx(); x++ {
			for c := 0; c < 4; c++ {
				i := 8*x + c
				out[4*x+c] = uint8((int(r0[i]) + int(r0[i+4]) + int(r1[i]) + int(r1[i+4]) + 2) / 4)
			}
		}
	}
	return dst
}

// drawOverview resamples the overview into dst for view v, from the
// coarsest level still at least as fine as v (so the last step shrinks by
// less than two: bilinear is then clean).
func drawOverview(dst *image.RGBA, v render.View, ov *overview) {
	level, scale := 0, ov.v.Scale
	for level+1 < len(ov.levels) && scale*2 <= v.Scale {
		level, scale = level+1, scale*2
	}
	img := ov.levels[level]
	// the dst rectangle the level covers, in dst pixels
	lv := ov.v
	lv.Scale, lv.Width, lv.Height = scale, img.Rect.Dx(), img.Rect.Dy()
	x0, y0 := v.Pixel(lv.Point(0, 0))
	k := scale / v.Scale // dst pixels per level pixel
	m := f64.Aff3{k, 0, x0, 0, k, y0}
	// on all cores, a band of rows each
	bands := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for i := range bands {
		band := image.Rect(0, dst.Rect.Dy()*i/bands, dst.Rect.Dx(), dst.Rect.Dy()*(i+1)/bands)
		wg.Add(1)
		go func() {
			defer wg.Done()
			xdraw.ApproxBiLinear.Transform(dst.SubImage(band).(*image.RGBA), m, img, img.Bounds(), xdraw.Over, nil)
		}()
	}
	wg.Wait()
}
