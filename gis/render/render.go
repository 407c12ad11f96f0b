// Package render draws projected map features onto images: the drawing model
// shared by the map view and exports.
package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/paulmach/orb"
	"golang.org/x/image/vector"
)

// View maps projected coordinates (metres, y up) to pixels (y down).
type View struct {
	Center        orb.Point // projected point at the image centre
	Scale         float64   // metres per pixel
	Width, Height int       // pixels
}

// Fit returns the view that shows b whole in a w×h image, with margin pixels around it.
func Fit(b orb.Bound, w, h int, margin float64) View {
	v := View{Center: b.Center(), Width: w, Height: h, Scale: 1}
	aw, ah := float64(w)-2*margin, float64(h)-2*margin
	if aw < 1 {
		aw = 1
	}
	if ah < 1 {
		ah = 1
	}
	sx, sy := (b.Max[0]-b.Min[0])/aw, (b.Max[1]-b.Min[1])/ah
	if s := math.Max(sx, sy); s > 0 {
		v.Scale = s
	}
	return v
}

// Pixel returns the pixel position of projected point p.
func (v View) Pixel(p orb.Point) (x, y float64) {
	return float64(v.Width)/2 + (p[0]-v.Center[0])/v.Scale,
		float64(v.Height)/2 - (p[1]-v.Center[1])/v.Scale
}

// Point returns the projected point under pixel (x, y).
func (v View) Point(x, y float64) orb.Point {
	return orb.Point{v.Center[0] + (x-float64(v.Width)/2)*v.Scale, v.Center[1] - (y-float64(v.Height)/2)*v.Scale}
}

// Bound is the projected extent the view shows.
func (v View) Bound() orb.Bound {
	return orb.Bound{Min: v.Point(0, float64(v.Height)), Max: v.Point(float64(v.Width), 0)}
}

// Canvas is the raster Surface: it draws paths and text onto an RGBA image,
// coordinates in pixels, reusing its rasterizer.
type Canvas struct {
	Dst   *image.RGBA
	r     vector.Rasterizer
	clip  image.Rectangle
	fonts *faces
}

// NewCanvas returns a canvas of the view's size filled with bg.
func NewCanvas(v View, bg color.Color) *Canvas {
	dst := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &Canvas{Dst: dst, clip: dst.Bounds()}
}

// Fill fills the rings of p with col; holes wind the other way and cancel.
func (c *Canvas) Fill(p Path, col color.NRGBA) {
	if col.A > 0 {
		c.fillRings(p.Subpaths, col)
	}
}

// Stroke draws p with pen (width and dashes in pixels).
func (c *Canvas) Stroke(p Path, pen Pen) {
	if pen.Color.A > 0 && pen.Width > 0 {
		c.strokeLines(p.Subpaths, p.Closed, pen)
	}
}

// Clip limits drawing to a pixel rectangle until Unclip.
func (c *Canvas) Clip(x, y, w, h float64) {
	c.clip = image.Rect(int(math.Floor(x)), int(math.Floor(y)), int(math.Ceil(x+w)), int(math.Ceil(y+h))).Intersect(c.Dst.Bounds())
}

// Unclip ends the clip.
func (c *Canvas) Unclip() { c.clip = c.Dst.Bounds() }

func bounds(rings [][]Vec) (x0, y0, x1, y1 float64) {
	x0, y0, x1, y1 = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, r := range rings {
		for _, v := range r {
			x0, y0, x1, y1 = math.Min(x0, v.X), math.Min(y0, v.Y), math.Max(x1, v.X), math.Max(y1, v.Y)
		}
	}
	return
}

// box is the pixel rectangle covering x0…x1, y0…y1 padded by pad, clipped.
func (c *Canvas) box(x0, y0, x1, y1, pad float64) (image.Rectangle, bool) {
	if math.IsInf(x0, 0) {
		return image.Rectangle{}, false
	}
	r := image.Rect(int(math.Floor(x0-pad))-1, int(math.Floor(y0-pad))-1, int(math.Ceil(x1+pad))+1, int(math.Ceil(y1+pad))+1)
	r = r.Intersect(c.clip)
	return r, !r.Empty()
}

// fillRings rasterises pixel rings; the rasterizer is reset to their box,
// never the whole image.
func (c *Canvas) fillRings(rings [][]Vec, col color.NRGBA) {
	x0, y0, x1, y1 := bounds(rings)
	box, ok := c.box(x0, y0, x1, y1, 0)
	if !ok {
		return
	}
	c.r.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, ring := range rings {
		if len(ring) < 3 {
			continue
		}
		for i, p := range ring {
			if i == 0 {
				c.r.MoveTo(float32(p.X)-ox, float32(p.Y)-oy)
			} else {
				c.r.LineTo(float32(p.X)-ox, float32(p.Y)-oy)
			}
		}
		c.r.ClosePath()
	}
	c.r.Draw(c.Dst, box, image.NewUniform(col), box.Min)
}

// strokeLines draws pixel lines as thin quads per segment.
func (c *Canvas) strokeLines(lines [][]Vec, closed bool, pen Pen) {
	x0, y0, x1, y1 := bounds(lines)
	box, ok := c.box(x0, y0, x1, y1, pen.Width)
	if !ok {
		return
	}
	c.r.Reset(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	hw := pen.Width / 2
	dashOK := len(pen.Dash) > 0
	for _, d := range pen.Dash {
		if d <= 0 {
			dashOK = false
		}
	}
	for _, ls := range lines {
		dashPos, dashIdx, on := 0.0, 0, true
		n := len(ls)
		segs := n - 1
		if closed && n > 2 && ls[0] != ls[n-1] {
			segs = n
		}
		for i := 0; i < segs; i++ {
			a, b := ls[i], ls[(i+1)%n]
			ax, ay, bx, by := a.X-ox, a.Y-oy, b.X-ox, b.Y-oy
			seg := math.Hypot(bx-ax, by-ay)
			if seg == 0 {
				continue
			}
			if !dashOK {
				Quad(&c.r, ax, ay, bx, by, hw)
				continue
			}
			// Walk the segment through the dash pattern.
			t := 0.0
			for t < seg {
				step := math.Min(pen.Dash[dashIdx]-dashPos, seg-t)
				if on {
					f0, f1 := t/seg, (t+step)/seg
					Quad(&c.r, ax+(bx-ax)*f0, ay+(by-ay)*f0, ax+(bx-ax)*f1, ay+(by-ay)*f1, hw)
				}
				t += step
				dashPos += step
				if dashPos >= pen.Dash[dashIdx] {
					dashPos, dashIdx, on = 0, (dashIdx+1)%len(pen.Dash), !on
				}
			}
		}
	}
	c.r.Draw(c.Dst, box, image.NewUniform(pen.Color), box.Min)
}

// Quad adds to r the rectangle of half-width hw around segment a–b, always
// wound the same way so overlapping quads do not cancel, and extended by hw
// along the segment so joins close: one stroke segment for a rasterizer.
func Quad(r *vector.Rasterizer, ax, ay, bx, by, hw float64) {
	dx, dy := bx-ax, by-ay
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*hw, dx/l*hw
	ex, ey := dx/l*hw, dy/l*hw
	r.MoveTo(float32(ax+nx-ex), float32(ay+ny-ey))
	r.LineTo(float32(bx+nx+ex), float32(by+ny+ey))
	r.LineTo(float32(bx-nx+ex), float32(by-ny+ey))
	r.LineTo(float32(ax-nx-ex), float32(ay-ny-ey))
	r.ClosePath()
}
