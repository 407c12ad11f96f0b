package scene

import (
	"fmt"
	"image"
	"math"
	"runtime"
	"sync"

	"quyhoach/gis/render"
)

// Overviews: a plan of a million lots seen whole is a million shapes each
// smaller than a pixel. Instead of walking them for every frame, such a
// view is resampled from a coarse image of the whole scene (all its
// visible layers, without labels) at a resolution where the scene's extent
// is OverviewPixels across. The first view that wants it is drawn exactly
// and then starts drawing it in the background (the first frame of a plan
// neither waits for the overview, which costs several exact frames, nor
// shares the cores with it: 1 000 000 lots, 245 → 135 ms); the views after
// it are resampled. A view as fine as the overview or finer
// draws the shapes themselves.

// OverviewMin is the number of shapes from which a scene keeps an
// overview: below it, whole-extent frames are quick enough drawn exactly
// (100 000 lots: 35 ms exactly, a few ms from the overview).
const OverviewMin = 50_000

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
	mu       sync.Mutex
	ov       *overview
	drawing  string         // the key of the overview being drawn, or ""
	inFlight sync.WaitGroup // the drawings under way (tests wait for them)
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
// finer than an overview would be, the scene too small to need one, or the
// overview not drawn yet: then start, when not nil, starts drawing it (in
// the background; Render calls it once v is drawn exactly).
func (s *Scene) overviewFor(v render.View, o Options) (ov *overview, start func()) {
	if s.Empty() || s.shapes(o) < overviewMin {
		return nil, nil
	}
	w, h := s.Extent.Max[0]-s.Extent.Min[0], s.Extent.Max[1]-s.Extent.Min[1]
	res := math.Max(w, h) / OverviewPixels
	if v.Scale < res {
		return nil, nil
	}
	key := optionsKey(o)
	s.ov.mu.Lock()
	defer s.ov.mu.Unlock()
	if ov := s.ov.ov; ov != nil && ov.key == key {
		return ov, nil
	}
	return nil, func() { s.startOverview(key, o, res, w, h) }
}

// startOverview draws the overview for options o (keyed key) in the
// background, unless it is being drawn already.
func (s *Scene) startOverview(key string, o Options, res, w, h float64) {
	s.ov.mu.Lock()
	defer s.ov.mu.Unlock()
	if s.ov.drawing == key || (s.ov.ov != nil && s.ov.ov.key == key) {
		return
	}
	s.ov.drawing = key
	s.ov.inFlight.Add(1)
	go func() {
		defer s.ov.inFlight.Done()
		ov := s.drawOverview(key, o, res, w, h)
		s.ov.mu.Lock()
		if s.ov.drawing == key { // not overtaken by other options
			s.ov.ov, s.ov.drawing = ov, ""
		}
		s.ov.mu.Unlock()
	}()
}

// drawOverview draws the overview of the scene for options o (keyed key)
// at res metres a pixel, the extent w × h metres, with its pyramid.
func (s *Scene) drawOverview(key string, o Options, res, w, h float64) *overview {
	v, img := s.drawWhole(o, res, w, h)
	return &overview{key: key, v: v, levels: pyramid(img)}
}

// drawWhole draws the whole scene, its extent w × h metres, at res metres
// a pixel for options o as an overview has it — lots filled, no lines,
// labels or highlights — and returns the image with its view.
func (s *Scene) drawWhole(o Options, res, w, h float64) (render.View, *image.RGBA) {
	v := render.View{Center: s.Extent.Center(), Scale: res, Width: int(math.Ceil(w/res)) + 2, Height: int(math.Ceil(h/res)) + 2}
	img := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	bare := o
	bare.Font, bare.Highlight, bare.noOverview = nil, nil, true
	s.Render(img, v, bare)
	return v, img
}

// pyramid is img, then img halved again and again down to 64 pixels.
func pyramid(img *image.RGBA) []*image.RGBA {
	levels := []*image.RGBA{img}
	for b := img.Bounds(); b.Dx() > 64 && b.Dy() > 64; b = levels[len(levels)-1].Bounds() {
		levels = append(levels, halve(levels[len(levels)-1]))
	}
	return levels
}

// waitOverview waits for the overviews being drawn (tests, benchmarks).
func (s *Scene) waitOverview() { s.ov.inFlight.Wait() }

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
	// on all cores, a band of rows each
	bands := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for i := range bands {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bilinear(dst, dst.Rect.Dy()*i/bands, dst.Rect.Dy()*(i+1)/bands, img, x0, y0, k)
		}()
	}
	wg.Wait()
}

// bilinear draws rows [y0, y1) of dst from src placed with its origin at
// dst pixel (ox, oy) and k dst pixels a src pixel, sampling src bilinearly
// at each dst pixel's centre; dst pixels off src are left as they are. In
// 8-bit fixed point: a whole-extent frame of 1920 × 1080 is a few ms
// (x/image/draw's generic transform took tens).
func bilinear(dst *image.RGBA, y0, y1 int, src *image.RGBA, ox, oy, k float64) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	// the dst columns on src, and for each its two src columns and weight
	xa := max(0, int(math.Ceil(ox-0.5)))
	xb := min(dst.Rect.Dx(), int(math.Floor(ox+float64(sw)*k+0.5)))
	if xa >= xb {
		return
	}
	cols := make([]int32, xb-xa)
	wx := make([]uint32, xb-xa)
	for x := xa; x < xb; x++ {
		sx := (float64(x)+0.5-ox)/k - 0.5
		sx = math.Max(0, math.Min(float64(sw-1), sx))
		c := int(sx)
		if c >= sw-1 {
			c = max(0, sw-2)
		}
		cols[x-xa] = int32(c)
		wx[x-xa] = uint32(math.Round((sx - float64(c)) * 256))
	}
	next := 4 // the right neighbour in bytes
	if sw == 1 {
		next = 0
	}
	for y := max(y0, 0); y < y1; y++ {
		sy := (float64(y)+0.5-oy)/k - 0.5
		if sy < -0.5 || sy > float64(sh)-0.5 {
			continue
		}
		sy = math.Max(0, math.Min(float64(sh-1), sy))
		r := int(sy)
		if r >= sh-1 {
			r = max(0, sh-2)
		}
		wy := uint32(math.Round((sy - float64(r)) * 256))
		r0 := src.Pix[r*src.Stride:]
		r1 := r0
		if sh > 1 {
			r1 = src.Pix[(r+1)*src.Stride:]
		}
		out := dst.Pix[y*dst.Stride:]
		for i, c := range cols {
			a, b := int(c)*4, int(c)*4+next
			fx := wx[i]
			o := (xa + i) * 4
			for ch := 0; ch < 4; ch++ {
				top := uint32(r0[a+ch])*(256-fx) + uint32(r0[b+ch])*fx
				bot := uint32(r1[a+ch])*(256-fx) + uint32(r1[b+ch])*fx
				out[o+ch] = uint8((top*(256-wy) + bot*wy + 1<<15) >> 16)
			}
		}
	}
}
