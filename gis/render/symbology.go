package render

import (
	"image/color"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// Colours of the drawing model shared by screen and paper.
var (
	OutlineColor   = color.NRGBA{0x26, 0x26, 0x26, 0xff} // lot outlines
	UnknownFill    = color.NRGBA{0xc0, 0xc0, 0xc0, 0xff} // a lot whose class is not in the catalogue
	BoundaryColor  = color.NRGBA{0x9c, 0x12, 0x12, 0xff} // the plan boundary
	HighlightColor = color.NRGBA{0xff, 0x00, 0x00, 0xff} // the adjusted area
	LineColor      = color.NRGBA{0x55, 0x55, 0x55, 0xff} // centre lines and other line layers
)

// Pens of the fixed symbols, widths and dashes in mm on paper.
var (
	BoundaryPen  = Pen{BoundaryColor, 0.5, []float64{6, 1.5, 1, 1.5}}
	HighlightPen = Pen{HighlightColor, 0.8, []float64{4, 1.5}}
	LinePen      = Pen{LineColor, 0.18, []float64{6, 1, 1, 1}}
)

// Symbology styles plan features from the land-use catalogue.
type Symbology struct {
	Catalogue *landuse.Catalogue
}

// LotStyle is how a lot is drawn: fill, outline (mm on paper), its class.
type LotStyle struct {
	Fill    color.NRGBA
	Outline Pen
	Class   landuse.Class
	Known   bool // the class is in the catalogue
	Stage   string
}

// Lot returns the style of a land-use lot: the class colour, and the
// outline of its stage (giaiDoan).
func (s Symbology) Lot(f gis.Feature) LotStyle {
	st := LotStyle{Fill: UnknownFill, Stage: landuse.Stage(f.String("giaiDoan"))}
	out := landuse.Stroke{WidthMM: 0.25}
	if s.Catalogue != nil {
		if c, ok := s.Catalogue.Of(f); ok {
			st.Fill, st.Class, st.Known = c.RGB, c, true
			out = c.Outline(st.Stage)
		}
	}
	st.Outline = Pen{Color: OutlineColor, Width: out.WidthMM, Dash: out.Dash}
	return st
}

// scaled returns pen with its widths in mm multiplied by k surface units per mm.
func (p Pen) scaled(k float64) Pen {
	q := Pen{Color: p.Color, Width: p.Width * k}
	if len(p.Dash) > 0 {
		q.Dash = make([]float64, len(p.Dash))
		for i, d := range p.Dash {
			q.Dash[i] = d * k
		}
	}
	return q
}

// Label returns the two lines of a lot's label: its code and its official
// area the Vietnamese way ("1,25 ha"); area is in m².
func Label(f gis.Feature, area float64) (code, ha string) {
	return f.String("maDoiTuong"), gis.FormatVN(area/10000, 2) + " ha"
}
