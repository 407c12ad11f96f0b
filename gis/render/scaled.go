package render

import "image/color"

// Scaled is a Surface drawing onto S with every coordinate and size
// multiplied by K: a page drawn in millimetres lands on a raster at
// K = dpi/25.4 pixels per millimetre.
type Scaled struct {
	S Surface
	K float64
}

func (s Scaled) path(p Path) Path {
	q := Path{Subpaths: make([][]Vec, len(p.Subpaths)), Closed: p.Closed}
	for i, sub := range p.Subpaths {
		q.Subpaths[i] = make([]Vec, len(sub))
		for j, v := range sub {
			q.Subpaths[i][j] = Vec{v.X * s.K, v.Y * s.K}
		}
	}
	return q
}

// Fill fills p scaled.
func (s Scaled) Fill(p Path, c color.NRGBA) { s.S.Fill(s.path(p), c) }

// Stroke strokes p scaled, the pen's width and dashes too.
func (s Scaled) Stroke(p Path, pen Pen) { s.S.Stroke(s.path(p), pen.scaled(s.K)) }

// Text writes t scaled.
func (s Scaled) Text(t Text) {
	t.X, t.Y, t.Size = t.X*s.K, t.Y*s.K, t.Size*s.K
	s.S.Text(t)
}

// TextWidth measures on S and scales back.
func (s Scaled) TextWidth(str string, size float64, bold bool) float64 {
	return s.S.TextWidth(str, size*s.K, bold) / s.K
}

// Clip clips S to the scaled rectangle.
func (s Scaled) Clip(x, y, w, h float64) { s.S.Clip(x*s.K, y*s.K, w*s.K, h*s.K) }

// Unclip ends the clip.
func (s Scaled) Unclip() { s.S.Unclip() }
