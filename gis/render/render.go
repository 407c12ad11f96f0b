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

// Style says how a feature is drawn. A zero colour is not drawn.
type Style struct {
	Fill        color.NRGBA
	Stroke      color.NRGBA
	StrokeWidth float64   // pixels
	Dash        []float64 // pixels on, off, …; nil for solid
}

// Item is a projected geometry with its style.
type Item struct {
	Geometry orb.Geometry
	Style    Style
}

// Canvas draws items onto an RGBA image, reusing its rasterizer.
type Canvas struct {
	Dst  *image.RGBA
	View View
	r    vector.Rasterizer
}

// NewCanvas returns a canvas of the view's size filled with bg.
func NewCanvas(v View, bg color.Color) *Canvas {
	dst := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	return &Canvas{Dst: dst, View: v}
}

// Draw draws items in order, skipping those outside the view.
func (c *Canvas) Draw(items []Item) {
	vb := c.View.Bound()
	for _, it := range items {
		if it.Geometry == nil || !it.Geometry.Bound().Intersects(vb) {
			continue
		}
		if it.Style.Fill.A > 0 {
			c.fill(it.Geometry, it.Style.Fill)
		}
		if it.Style.Stroke.A > 0 && it.Style.StrokeWidth > 0 {
			c.stroke(it.Geometry, it.Style)
		}
	}
}

// fill rasterises the polygons of g; holes wind the other way and cancel.
func (c *Canvas) fill(g orb.Geometry, col color.NRGBA) {
	var rings []orb.Ring
	switch g := g.(type) {
	case orb.Polygon:
		rings = g
	case orb.MultiPolygon:
		for _, p := range g {
			rings = append(rings, p...)
		}
	case orb.Collection:
		for _, sub := range g {
			c.fill(sub, col)
		}
		return
	default:
		return
	}
	box, ok := c.pixelBox(g.Bound())
	if !ok {
		return
	}
	// The rasterizer is reset to the polygon's box, never the whole image.
	c.r.Reset(box.Dx(), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, ring := range rings {
		if len(ring) < 3 {
			continue
		}
		for i, p := range ring {
			x, y := c.View.Pixel(p)
			if i == 0 {
				c.r.MoveTo(float32(x)-ox, float32(y)-oy)
			} else {
				c.r.LineTo(float32(x)-ox, float32(y)-oy)
			}
		}
		c.r.ClosePath()
	}
	c.r.Draw(c.Dst, box, image.NewUniform(col), image.Point{})
}

// pixelBox is the pixel rectangle covering projected bound b, clipped to the image.
func (c *Canvas) pixelBox(b orb.Bound) (image.Rectangle, bool) {
	x0, y0 := c.View.Pixel(orb.Point{b.Min[0], b.Max[1]})
	x1, y1 := c.View.Pixel(orb.Point{b.Max[0], b.Min[1]})
	r := image.Rect(int(math.Floor(x0))-1, int(math.Floor(y0))-1, int(math.Ceil(x1))+1, int(math.Ceil(y1))+1)
	r = r.Intersect(c.Dst.Bounds())
	return r, !r.Empty()
}

// stroke draws the outlines and lines of g as thin quads per segment.
func (c *Canvas) stroke(g orb.Geometry, st Style) {
	var lines []orb.LineString
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			lines = append(lines, orb.LineString(r))
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				lines = append(lines, orb.LineString(r))
			}
		}
	case orb.LineString:
		lines = append(lines, g)
	case orb.MultiLineString:
		lines = append(lines, g...)
	case orb.Ring:
		lines = append(lines, orb.LineString(g))
	case orb.Collection:
		for _, sub := range g {
			c.stroke(sub, st)
		}
		return
	default:
		return
	}
	box, ok := c.pixelBox(g.Bound().Pad(st.StrokeWidth * c.View.Scale))
	if !ok {
		return
	}
	c.r.Reset(box.Dx(), box.Dy())
	ox, oy := float64(box.Min.X), float64(box.Min.Y)
	hw := st.StrokeWidth / 2
	for _, ls := range lines {
		dashPos, dashIdx, on := 0.0, 0, true
		for i := 0; i+1 < len(ls); i++ {
			ax, ay := c.View.Pixel(ls[i])
			bx, by := c.View.Pixel(ls[i+1])
			ax, ay, bx, by = ax-ox, ay-oy, bx-ox, by-oy
			seg := math.Hypot(bx-ax, by-ay)
			if seg == 0 {
				continue
			}
			if len(st.Dash) == 0 {
				c.quad(ax, ay, bx, by, hw)
				continue
			}
			// Walk the segment through the dash pattern.
			t := 0.0
			for t < seg {
				step := math.Min(st.Dash[dashIdx]-dashPos, seg-t)
				if on {
					f0, f1 := t/seg, (t+step)/seg
					c.quad(ax+(bx-ax)*f0, ay+(by-ay)*f0, ax+(bx-ax)*f1, ay+(by-ay)*f1, hw)
				}
				t += step
				dashPos += step
				if dashPos >= st.Dash[dashIdx] {
					dashPos, dashIdx, on = 0, (dashIdx+1)%len(st.Dash), !on
				}
			}
		}
	}
	c.r.Draw(c.Dst, box, image.NewUniform(st.Stroke), image.Point{})
}

// quad adds the rectangle of half-width hw around segment a–b, always wound
// the same way so overlapping quads do not cancel.
func (c *Canvas) quad(ax, ay, bx, by, hw float64) {
	dx, dy := bx-ax, by-ay
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*hw, dx/l*hw
	// extend along the segment by hw so joins are closed
	ex, ey := dx/l*hw, dy/l*hw
	c.r.MoveTo(float32(ax+nx-ex), float32(ay+ny-ey))
	c.r.LineTo(float32(bx+nx+ex), float32(by+ny+ey))
	c.r.LineTo(float32(bx-nx+ex), float32(by-ny+ey))
	c.r.LineTo(float32(ax-nx-ex), float32(ay-ny-ey))
	c.r.ClosePath()
}
