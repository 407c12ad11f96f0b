package scene

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"runtime"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"

	"quyhoach/gis"
	"quyhoach/gis/render"
)

// Options say how a frame is drawn.
type Options struct {
	Background color.NRGBA
	// PixelRatio is device pixels per logical pixel (2 on a HiDPI screen):
	// line widths, dashes and text scale by it. 0 means 1.
	PixelRatio float64
	Hidden     map[string]bool    // layers not drawn, by name
	Opacity    map[string]float64 // 0–1 per layer name; absent: 1
	Order      []string           // layer names bottom to top; others follow in scene order
	Font       *Font              // nil: no labels
	Bands      int                // goroutines (horizontal bands); 0: one per CPU
	// Highlight draws these shapes' outlines on top (selection, hover).
	Highlight []Highlight

	noOverview bool // drawing the overview itself: lots filled, not outlined
}

// Highlight is an outline drawn over the frame.
type Highlight struct {
	Shape  *Shape
	Stroke Stroke
	Fill   color.NRGBA
}

func (o Options) ratio() float64 {
	if o.PixelRatio <= 0 {
		return 1
	}
	return o.PixelRatio
}

// Layers returns the scene's visible layers in drawing order.
func (s *Scene) visible(o Options) []*Layer {
	var out []*Layer
	seen := map[*Layer]bool{}
	add := func(l *Layer) {
		if l == nil || seen[l] || o.Hidden[l.Name] {
			return
		}
		seen[l] = true
		out = append(out, l)
	}
	for _, n := range o.Order {
		add(s.Layer(n))
	}
	for _, l := range s.Layers {
		add(l)
	}
	return out
}

// Frame renders the scene into a new image of the view's size.
func (s *Scene) Frame(v render.View, o Options) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	s.Render(dst, v, o)
	return dst
}

// Render draws the scene in view v onto dst (of the view's size): the
// background, each visible layer culled through its R-tree and simplified to
// the pixel grid, then the labels of lots that have room for them.
func (s *Scene) Render(dst *image.RGBA, v render.View, o Options) {
	draw.Draw(dst, dst.Bounds(), image.NewUniform(o.Background), image.Point{}, draw.Src)
	if s.Empty() || v.Width <= 0 || v.Height <= 0 {
		return
	}
	if !o.noOverview {
		ov, start := s.overviewFor(v, o)
		if ov != nil {
			drawOverview(dst, v, ov)
			DrawHighlights(dst, v, o)
			return // lots smaller than a pixel have no labels
		}
		if start != nil {
			defer start() // once this frame is drawn
		}
	}
	layers := s.visible(o)
	bands := o.Bands
	if bands <= 0 {
		bands = runtime.GOMAXPROCS(0)
	}
	if v.Height < 64*bands {
		bands = 1
	}
	var wg sync.WaitGroup
	for b := 0; b < bands; b++ {
		clip := image.Rect(0, v.Height*b/bands, v.Width, v.Height*(b+1)/bands)
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &painter{dst: dst, clip: clip, v: v, ratio: o.ratio(), fillsOnly: o.noOverview}
			for _, l := range layers {
				op := 1.0
				if x, ok := o.Opacity[l.Name]; ok {
					op = math.Max(0, math.Min(1, x))
				}
				if op == 0 {
					continue
				}
				p.layer(l, op)
			}
		}()
	}
	wg.Wait()
	DrawHighlights(dst, v, o)
	if o.Font != nil {
		s.labels(dst, v, o, layers)
	}
}

// DrawHighlights draws o.Highlight (selection, hover) over a frame already
// drawn, so a highlight change does not redraw the map.
func DrawHighlights(dst *image.RGBA, v render.View, o Options) {
	p := &painter{dst: dst, clip: dst.Bounds(), v: v, ratio: o.ratio()}
	for _, h := range o.Highlight {
		if h.Shape != nil {
			p.shape(h.Shape, h.Fill, h.Stroke, 1, false)
		}
	}
}

// painter draws shapes clipped to one band of the image.
type painter struct {
	dst   *image.RGBA
	clip  image.Rectangle
	v     render.View
	ratio float64
	r     vector.Rasterizer
	src   image.Uniform
	mask  image.Alpha
	// fillsOnly draws lots without outlines (an overview: seen through it,
	// lots are too small for an outline)
	fillsOnly bool
}

func (p *painter) layer(l *Layer, op float64) {
	vb := bandBound(p.v, p.clip, 2*p.ratio*p.v.Scale*4)
	l.Search(vb, func(i int) bool {
		sh := &l.Shapes[i]
		p.shape(sh, sh.Fill, l.stroke(i), op, true)
		return true
	})
}

// bandBound is the projected bound of pixel rectangle r, padded by pad metres.
func bandBound(v render.View, r image.Rectangle, pad float64) orb.Bound {
	a := v.Point(float64(r.Min.X), float64(r.Max.Y))
	b := v.Point(float64(r.Max.X), float64(r.Min.Y))
	return orb.Bound{Min: a, Max: b}.Pad(pad)
}

func fade(c color.NRGBA, op float64) color.NRGBA {
	if op < 1 {
		c.A = uint8(float64(c.A)*op + 0.5)
	}
	return c
}

// shape draws one shape: tiny ones as a dot (level of detail), others
// filled and outlined; lots too small to show their outline get none.
func (p *painter) shape(sh *Shape, fill color.NRGBA, st Stroke, op float64, lod bool) {
	g := sh.Feature.Geometry
	x0, y0 := p.v.Pixel(orb.Point{sh.Bound.Min[0], sh.Bound.Max[1]})
	x1, y1 := p.v.Pixel(orb.Point{sh.Bound.Max[0], sh.Bound.Min[1]})
	w, h := x1-x0, y1-y0
	fill, st.Color = fade(fill, op), fade(st.Color, op)
	if lod && w < 1.5 && h < 1.5 {
		c := fill
		if c.A == 0 {
			c = st.Color
		}
		cov := math.Max(0.35, math.Min(1, w*h*1.5))
		p.blend(int(math.Floor((x0+x1)/2)), int(math.Floor((y0+y1)/2)), c, cov)
		return
	}
	if fill.A > 0 {
		p.fill(g, fill, x0, y0, x1, y1)
	}
	if st.Color.A > 0 && st.Width > 0 {
		if lod && sh.Kind == Lot && (math.Max(w, h) < 5 || p.fillsOnly) {
			return
		}
		p.stroke(g, st)
	}
}

// box is the pixel rectangle around x0..x1, y0..y1 (padded), within the clip.
func (p *painter) box(x0, y0, x1, y1, pad float64) (image.Rectangle, bool) {
	r := image.Rect(int(math.Floor(x0-pad)), int(math.Floor(y0-pad)), int(math.Ceil(x1+pad)), int(math.Ceil(y1+pad)))
	r = r.Intersect(p.clip)
	return r, !r.Empty()
}

// fill rasterises polygonal g; holes wind the other way and cancel. The
// rasterizer is reset to the polygon's box, never the whole image.
func (p *painter) fill(g orb.Geometry, c color.NRGBA, x0, y0, x1, y1 float64) {
	box, ok := p.box(x0, y0, x1, y1, 1)
	if !ok {
		return
	}
	p.r.Reset(box.Dx(), box.Dy())
	n := p.rings(g, box.Min)
	if n == 0 {
		return
	}
	p.paint(box, c)
}

// paint composes colour c through the rasterizer's coverage over box: the
// coverage goes to an alpha mask (the rasterizer's SIMD path), then covered
// pixels are written, fully covered ones without blending.
func (p *painter) paint(box image.Rectangle, c color.NRGBA) {
	w, h := box.Dx(), box.Dy()
	if cap(p.mask.Pix) < w*h {
		p.mask.Pix = make([]uint8, w*h)
	}
	p.mask.Pix, p.mask.Stride, p.mask.Rect = p.mask.Pix[:w*h], w, image.Rect(0, 0, w, h)
	p.r.DrawOp = draw.Src
	p.r.Draw(&p.mask, p.mask.Rect, image.Opaque, image.Point{})
	ca := uint32(c.A) * 257
	for y := 0; y < h; y++ {
		row := p.mask.Pix[y*w : y*w+w]
		i := p.dst.PixOffset(box.Min.X, box.Min.Y+y)
		for x, m := range row {
			if m == 0 {
				continue
			}
			px := p.dst.Pix[i+4*x : i+4*x+4 : i+4*x+4]
			if m == 0xff && c.A == 0xff {
				px[0], px[1], px[2], px[3] = c.R, c.G, c.B, 0xff
				continue
			}
			a := ca * uint32(m) / 255 // 0–65535
			na := 65535 - a
			px[0] = uint8((uint32(c.R)*a + uint32(px[0])*na + 32767) / 65535)
			px[1] = uint8((uint32(c.G)*a + uint32(px[1])*na + 32767) / 65535)
			px[2] = uint8((uint32(c.B)*a + uint32(px[2])*na + 32767) / 65535)
			px[3] = uint8((255*a + uint32(px[3])*na + 32767) / 65535)
		}
	}
}

// rings adds the rings of g to the rasterizer relative to origin, dropping
// vertices closer than half a pixel to the previous one.
func (p *painter) rings(g orb.Geometry, o image.Point) int {
	n := 0
	ring := func(r orb.Ring) {
		if len(r) < 3 {
			return
		}
		ox, oy := float64(o.X), float64(o.Y)
		px, py := math.Inf(1), 0.0
		k := 0
		for i, pt := range r {
			x, y := p.v.Pixel(pt)
			x, y = x-ox, y-oy
			if i > 0 && i < len(r)-1 && math.Abs(x-px) < 0.5 && math.Abs(y-py) < 0.5 {
				continue // level of detail: below half a pixel
			}
			if k == 0 {
				p.r.MoveTo(float32(x), float32(y))
			} else {
				p.r.LineTo(float32(x), float32(y))
			}
			px, py = x, y
			k++
		}
		p.r.ClosePath()
		n++
	}
	for poly := range gis.Polygons(g) {
		for _, r := range poly {
			ring(r)
		}
	}
	return n
}

// stroke draws g's lines: thin ones (≤ 1.6 device pixels) with an
// anti-aliased line walker, wider ones as quads through the rasterizer.
func (p *painter) stroke(g orb.Geometry, st Stroke) {
	if g.Dimensions() == 0 {
		return // points have no outline (and gis.Paths would copy each one)
	}
	width := st.Width * p.ratio
	thin := width <= 1.6
	var box image.Rectangle
	if !thin {
		b := g.Bound()
		x0, y0 := p.v.Pixel(orb.Point{b.Min[0], b.Max[1]})
		x1, y1 := p.v.Pixel(orb.Point{b.Max[0], b.Min[1]})
		var ok bool
		if box, ok = p.box(x0, y0, x1, y1, width+1); !ok {
			return
		}
		p.r.Reset(box.Dx(), box.Dy())
	}
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	hw := width / 2
	segment := func(ax, ay, bx, by float64) {
		if thin {
			p.line(ax, ay, bx, by, st.Color, width)
		} else {
			render.Quad(&p.r, ax-ox, ay-oy, bx-ox, by-oy, hw)
		}
	}
	var dash []float64
	for _, d := range st.Dash {
		dash = append(dash, d*p.ratio)
	}
	for path := range gis.Paths(g) {
		if path.Kind == gis.Points {
			continue
		}
		ls := path.Points
		dashPos, dashIdx, on := 0.0, 0, true
		var ax, ay float64
		for i, pt := range ls {
			bx, by := p.v.Pixel(pt)
			if i == 0 {
				ax, ay = bx, by
				continue
			}
			seg := math.Hypot(bx-ax, by-ay)
			if seg < 0.5 && i < len(ls)-1 {
				continue // level of detail
			}
			if !p.segVisible(ax, ay, bx, by, width) {
				// keep the dash phase moving
				if len(dash) > 0 {
					dashPos += seg
					for dashPos >= dash[dashIdx] {
						dashPos -= dash[dashIdx]
						dashIdx, on = (dashIdx+1)%len(dash), !on
					}
				}
				ax, ay = bx, by
				continue
			}
			if len(dash) == 0 {
				segment(ax, ay, bx, by)
			} else {
				t := 0.0
				for t < seg {
					step := math.Min(dash[dashIdx]-dashPos, seg-t)
					if on {
						f0, f1 := t/seg, (t+step)/seg
						segment(ax+(bx-ax)*f0, ay+(by-ay)*f0, ax+(bx-ax)*f1, ay+(by-ay)*f1)
					}
					t += step
					dashPos += step
					if dashPos >= dash[dashIdx] {
						dashPos, dashIdx, on = 0, (dashIdx+1)%len(dash), !on
					}
				}
			}
			ax, ay = bx, by
		}
	}
	if !thin {
		p.paint(box, st.Color)
	}
}

func (p *painter) segVisible(ax, ay, bx, by, w float64) bool {
	c := p.clip
	return !(math.Max(ax, bx) < float64(c.Min.X)-w || math.Min(ax, bx) > float64(c.Max.X)+w ||
		math.Max(ay, by) < float64(c.Min.Y)-w || math.Min(ay, by) > float64(c.Max.Y)+w)
}

// line draws an anti-aliased thin line (Xiaolin Wu), coverage scaled by width.
func (p *painter) line(x0, y0, x1, y1 float64, c color.NRGBA, width float64) {
	// clip the segment to the band (Liang–Barsky) so long lines cost nothing off-screen
	cl := p.clip
	var ok bool
	if x0, y0, x1, y1, ok = ClipSegment(x0, y0, x1, y1, float64(cl.Min.X)-1, float64(cl.Min.Y)-1, float64(cl.Max.X)+1, float64(cl.Max.Y)+1); !ok {
		return
	}
	k := math.Min(1, width)
	steep := math.Abs(y1-y0) > math.Abs(x1-x0)
	if steep {
		x0, y0, x1, y1 = y0, x0, y1, x1
	}
	if x0 > x1 {
		x0, x1, y0, y1 = x1, x0, y1, y0
	}
	dx, dy := x1-x0, y1-y0
	grad := 1.0
	if dx > 0 {
		grad = dy / dx
	}
	// lines are drawn along pixel centres
	x0, x1, y0 = x0-0.5, x1-0.5, y0-0.5
	xs, xe := int(math.Round(x0)), int(math.Round(x1))
	y := y0 + grad*(float64(xs)-x0)
	for x := xs; x <= xe; x++ {
		fy := math.Floor(y)
		f := y - fy
		iy := int(fy)
		if steep {
			p.blend(iy, x, c, (1-f)*k)
			p.blend(iy+1, x, c, f*k)
		} else {
			p.blend(x, iy, c, (1-f)*k)
			p.blend(x, iy+1, c, f*k)
		}
		y += grad
	}
}

// ClipSegment cuts the segment (x0, y0)–(x1, y1) to the rectangle
// [minX, maxX] × [minY, maxY] (Liang–Barsky); false when none of it is in.
func ClipSegment(x0, y0, x1, y1, minX, minY, maxX, maxY float64) (float64, float64, float64, float64, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := x1-x0, y1-y0
	for _, e := range [4][2]float64{{-dx, x0 - minX}, {dx, maxX - x0}, {-dy, y0 - minY}, {dy, maxY - y0}} {
		pp, q := e[0], e[1]
		if pp == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		r := q / pp
		if pp < 0 {
			if r > t1 {
				return 0, 0, 0, 0, false
			}
			t0 = math.Max(t0, r)
		} else {
			if r < t0 {
				return 0, 0, 0, 0, false
			}
			t1 = math.Min(t1, r)
		}
	}
	return x0 + t0*dx, y0 + t0*dy, x0 + t1*dx, y0 + t1*dy, true
}

// blend composes colour c with coverage cov over pixel (x, y) inside the clip.
func (p *painter) blend(x, y int, c color.NRGBA, cov float64) {
	if x < p.clip.Min.X || y < p.clip.Min.Y || x >= p.clip.Max.X || y >= p.clip.Max.Y || cov <= 0 {
		return
	}
	if cov > 1 {
		cov = 1
	}
	a := uint32(float64(c.A)*cov*257 + 0.5) // 0–65535
	if a == 0 {
		return
	}
	na := 65535 - a
	i := (y-p.dst.Rect.Min.Y)*p.dst.Stride + (x-p.dst.Rect.Min.X)*4
	px := p.dst.Pix[i : i+4 : i+4]
	px[0] = uint8((uint32(c.R)*a + uint32(px[0])*na + 32767) / 65535)
	px[1] = uint8((uint32(c.G)*a + uint32(px[1])*na + 32767) / 65535)
	px[2] = uint8((uint32(c.B)*a + uint32(px[2])*na + 32767) / 65535)
	px[3] = uint8((255*a + uint32(px[3])*na + 32767) / 65535)
}
