package render

import (
	"image/color"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Vec is a position on a drawing surface: millimetres on a PDF page,
// pixels on a raster, x to the right and y down.
type Vec struct{ X, Y float64 }

// Path is a set of subpaths. Filled, each subpath is a ring (holes wind the
// other way); stroked, a subpath is closed when Closed is set.
type Path struct {
	Subpaths [][]Vec
	Closed   bool
}

// Pen is a stroke: colour, width and dash pattern in surface units.
type Pen struct {
	Color color.NRGBA
	Width float64
	Dash  []float64 // on, off, …; nil for solid
}

// Align places text horizontally around its anchor.
type Align int

// Horizontal alignments of Text.
const (
	Left Align = iota
	Center
	Right
)

// Text is a line of text whose baseline starts, centres or ends at X, Y.
type Text struct {
	X, Y  float64
	S     string
	Size  float64 // em size, surface units
	Bold  bool
	Color color.NRGBA
	Align Align
}

// Surface is what the drawing model draws on: a raster (Canvas) or a PDF
// page (PDF). Coordinates and sizes are in the surface's units.
type Surface interface {
	Fill(p Path, c color.NRGBA)
	Stroke(p Path, pen Pen)
	Text(t Text)
	// TextWidth is the advance width of s at em size size.
	TextWidth(s string, size float64, bold bool) float64
	// Clip limits drawing to a rectangle until Unclip.
	Clip(x, y, w, h float64)
	Unclip()
}

// Fonts are TrueType faces for text: Noto Sans covers Vietnamese.
type Fonts struct {
	Regular, Bold []byte
}

// Affine maps projected metres (y up) onto a surface (y down): the ground
// point Origin falls at At, and one metre is K surface units.
type Affine struct {
	Origin orb.Point
	At     Vec
	K      float64
}

// Apply returns the surface position of projected point p.
func (a Affine) Apply(p orb.Point) Vec {
	return Vec{a.At.X + (p[0]-a.Origin[0])*a.K, a.At.Y - (p[1]-a.Origin[1])*a.K}
}

// Affine returns the view's mapping of projected metres to pixels.
func (v View) Affine() Affine {
	return Affine{Origin: v.Center, At: Vec{float64(v.Width) / 2, float64(v.Height) / 2}, K: 1 / v.Scale}
}

// PathOf returns the outline of g through a: polygon rings (closed) or
// lines (open); points have no path.
func PathOf(g orb.Geometry, a Affine) Path {
	var p Path
	for q := range gis.Paths(g) {
		if q.Kind == gis.Points {
			continue
		}
		p.Closed = p.Closed || q.Kind.Closed()
		if len(q.Points) < 2 {
			continue
		}
		s := make([]Vec, len(q.Points))
		for i, v := range q.Points {
			s[i] = a.Apply(v)
		}
		p.Subpaths = append(p.Subpaths, s)
	}
	return p
}

// Rect returns the closed path of a rectangle.
func Rect(x, y, w, h float64) Path {
	return Path{Subpaths: [][]Vec{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}, Closed: true}
}

// Line returns the open path through points given as x, y pairs.
func Line(xy ...float64) Path {
	s := make([]Vec, 0, len(xy)/2)
	for i := 0; i+1 < len(xy); i += 2 {
		s = append(s, Vec{xy[i], xy[i+1]})
	}
	return Path{Subpaths: [][]Vec{s}}
}

// luminance is the relative brightness of c, 0–1.
func luminance(c color.NRGBA) float64 {
	return (0.2126*float64(c.R) + 0.7152*float64(c.G) + 0.0722*float64(c.B)) / 255
}

// Contrast returns black or white, whichever reads better on c.
func Contrast(c color.NRGBA) color.NRGBA {
	if luminance(c) < 0.45 {
		return color.NRGBA{0xff, 0xff, 0xff, 0xff}
	}
	return color.NRGBA{0, 0, 0, 0xff}
}
