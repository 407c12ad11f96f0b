package render

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// faces caches the raster faces of a Canvas by size and weight.
type faces struct {
	regular, bold *opentype.Font
	cache         map[faceKey]font.Face
}

type faceKey struct {
	size float64
	bold bool
}

// SetFonts gives the canvas TrueType fonts for Text; without them text is
// not drawn and measures 0.
func (c *Canvas) SetFonts(f Fonts) error {
	reg, err := opentype.Parse(f.Regular)
	if err != nil {
		return fmt.Errorf("render: regular font: %w", err)
	}
	fs := &faces{regular: reg, bold: reg, cache: map[faceKey]font.Face{}}
	if len(f.Bold) > 0 {
		if fs.bold, err = opentype.Parse(f.Bold); err != nil {
			return fmt.Errorf("render: bold font: %w", err)
		}
	}
	c.fonts = fs
	return nil
}

func (fs *faces) face(size float64, bold bool) font.Face {
	k := faceKey{math.Round(size*4) / 4, bold}
	if f, ok := fs.cache[k]; ok {
		return f
	}
	ot := fs.regular
	if bold {
		ot = fs.bold
	}
	f, err := opentype.NewFace(ot, &opentype.FaceOptions{Size: k.size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	fs.cache[k] = f
	return f
}

// Text draws t with the canvas's fonts.
func (c *Canvas) Text(t Text) {
	if c.fonts == nil || t.S == "" || t.Size < 1 {
		return
	}
	f := c.fonts.face(t.Size, t.Bold)
	if f == nil {
		return
	}
	x := t.X
	switch t.Align {
	case Center:
		x -= c.TextWidth(t.S, t.Size, t.Bold) / 2
	case Right:
		x -= c.TextWidth(t.S, t.Size, t.Bold)
	}
	dst := c.Dst.SubImage(c.clip).(*image.RGBA)
	d := font.Drawer{Dst: dst, Src: image.NewUniform(color.NRGBA(t.Color)), Face: f,
		Dot: fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(t.Y * 64)}}
	d.DrawString(t.S)
}

// TextWidth is the advance width of s in pixels.
func (c *Canvas) TextWidth(s string, size float64, bold bool) float64 {
	if c.fonts == nil {
		return 0
	}
	f := c.fonts.face(size, bold)
	if f == nil {
		return 0
	}
	return float64(font.MeasureString(f, s)) / 64
}
