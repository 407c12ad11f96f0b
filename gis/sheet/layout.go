// Package sheet lays out and draws printed map sheets: ISO paper, margins,
// a map frame at an exact scale, and the content of a Vietnamese planning
// drawing (title block, legend, grid, scale bar, inset).
package sheet

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// Paper is an ISO sheet, portrait, in millimetres.
type Paper struct {
	Name string
	W, H float64
}

// Papers lists the sheets a plan is printed on.
var Papers = []Paper{
	{"A0", 841, 1189},
	{"A1", 594, 841},
	{"A2", 420, 594},
	{"A3", 297, 420},
	{"A4", 210, 297},
}

// PaperByName returns the paper named (case-insensitive) "A0" … "A4".
func PaperByName(name string) (Paper, error) {
	for _, p := range Papers {
		if strings.EqualFold(strings.TrimSpace(name), p.Name) {
			return p, nil
		}
	}
	return Paper{}, fmt.Errorf("sheet: unknown paper %q (want A0, A1, A2, A3 or A4)", name)
}

// Margins of a sheet, mm: the left one is for binding.
const (
	MarginLeft = 20.0
	Margin     = 10.0
)

// StandardScales are the denominators of the plans' usual scales, largest
// scale first; Fit picks the first that shows the extent whole.
var StandardScales = []float64{500, 1000, 2000, 5000, 10000}

// MaxAtlasSheets caps the sheets of one atlas.
const MaxAtlasSheets = 500

// Errors of the layout.
var (
	ErrScale = errors.New("sheet: scale must be a denominator greater than 0 (1/N)")
	ErrEmpty = errors.New("sheet: nothing to fit (empty extent)")
)

// TooManySheetsError is an atlas that would need more than MaxAtlasSheets sheets.
type TooManySheetsError struct {
	Sheets, Max int
	Scale       float64
}

func (e *TooManySheetsError) Error() string {
	return fmt.Sprintf("sheet: the atlas would need %d sheets at 1/%s, more than %d (print at a larger N of 1/N or on larger paper)",
		e.Sheets, formatScale(e.Scale), e.Max)
}

// Rect is a rectangle on the page, mm from the page's top-left corner.
type Rect struct{ X, Y, W, H float64 }

// Right is the rectangle's right edge.
func (r Rect) Right() float64 { return r.X + r.W }

// Bottom is the rectangle's bottom edge.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Options choose the paper and scale of a sheet.
type Options struct {
	Paper     string  // A0 … A4; "" is A3
	Landscape bool    // the long side across
	Scale     float64 // denominator N of 1/N; 0 lets Fit choose
}

// Layout is one sheet: the page, the frame inside the margins, the map
// frame and the side panel (legend, inset, title block), and the ground
// the map frame shows at exactly 1/Scale.
type Layout struct {
	Paper         Paper
	Landscape     bool
	Width, Height float64   // page, mm
	Border        Rect      // inside the margins
	Map           Rect      // the map frame
	Panel         Rect      // the right-hand column
	Scale         float64   // denominator N of 1/N
	Center        orb.Point // projected point (EPSG:9215 metres) at the map frame's centre
}

// New returns the layout of a sheet at o.Scale centred on a projected point.
func New(o Options, center orb.Point) (Layout, error) {
	l, err := frame(o)
	if err != nil {
		return l, err
	}
	if !(o.Scale > 0) || math.IsInf(o.Scale, 0) {
		return l, ErrScale
	}
	l.Scale, l.Center = o.Scale, center
	return l, nil
}

// frame lays out the page of o without a scale.
func frame(o Options) (Layout, error) {
	name := o.Paper
	if name == "" {
		name = "A3"
	}
	p, err := PaperByName(name)
	if err != nil {
		return Layout{}, err
	}
	if o.Scale < 0 || math.IsNaN(o.Scale) {
		return Layout{}, ErrScale
	}
	l := Layout{Paper: p, Landscape: o.Landscape, Width: p.W, Height: p.H}
	if o.Landscape {
		l.Width, l.Height = p.H, p.W
	}
	l.Border = Rect{MarginLeft, Margin, l.Width - MarginLeft - Margin, l.Height - 2*Margin}
	pw := math.Max(70, math.Min(180, 0.22*l.Border.W))
	l.Map = Rect{l.Border.X, l.Border.Y, l.Border.W - pw, l.Border.H}
	l.Panel = Rect{l.Map.Right(), l.Border.Y, pw, l.Border.H}
	return l, nil
}

// fitPad is the paper kept free around a fitted extent, mm.
const fitPad = 8.0

// Fit returns the layout showing b whole: at o.Scale when given (centred on
// b), otherwise at the largest standard scale that fits, or, when none of
// them does, the largest of 1, 2, 2.5 and 5 × 10ⁿ that does.
func Fit(o Options, b orb.Bound) (Layout, error) {
	l, err := frame(o)
	if err != nil {
		return l, err
	}
	if b == (orb.Bound{}) || b.Max[0] < b.Min[0] || b.Max[1] < b.Min[1] {
		return l, ErrEmpty
	}
	l.Center = b.Center()
	if o.Scale > 0 {
		l.Scale = o.Scale
		return l, nil
	}
	fits := func(n float64) bool {
		return (b.Max[0]-b.Min[0])*1000/n <= l.Map.W-2*fitPad && (b.Max[1]-b.Min[1])*1000/n <= l.Map.H-2*fitPad
	}
	for _, n := range StandardScales {
		if fits(n) {
			l.Scale = n
			return l, nil
		}
	}
	for e := 4.0; e <= 7; e++ {
		for _, m := range []float64{1, 2, 2.5, 5} {
			if n := m * math.Pow(10, e); n > StandardScales[len(StandardScales)-1] && fits(n) {
				l.Scale = n
				return l, nil
			}
		}
	}
	return l, fmt.Errorf("sheet: the extent (%.0f × %.0f m) does not fit a sheet at any scale up to 1/10.000.000", b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
}

// maxAtlasGrid caps the tiles an atlas looks at before keep chooses.
const maxAtlasGrid = 1_000_000

// Atlas tiles b with sheets at o.Scale (1/500 when 0), row by row from the
// north-west, the tiles' block centred on b. keep, when not nil, says which
// tiles to print (those with something on them). It refuses more than
// MaxAtlasSheets sheets.
func Atlas(o Options, b orb.Bound, keep func(orb.Bound) bool) ([]Layout, error) {
	if o.Scale == 0 {
		o.Scale = 500
	}
	l, err := frame(o)
	if err != nil {
		return nil, err
	}
	if !(o.Scale > 0) || math.IsInf(o.Scale, 0) {
		return nil, ErrScale
	}
	if b == (orb.Bound{}) || b.Max[0] < b.Min[0] || b.Max[1] < b.Min[1] {
		return nil, ErrEmpty
	}
	l.Scale = o.Scale
	tw, th := l.Map.W*o.Scale/1000, l.Map.H*o.Scale/1000
	cols := max(1, math.Ceil((b.Max[0]-b.Min[0])/tw))
	rows := max(1, math.Ceil((b.Max[1]-b.Min[1])/th))
	if n := cols * rows; n > maxAtlasGrid || (keep == nil && n > MaxAtlasSheets) {
		c := int(math.Min(n, math.MaxInt32))
		return nil, &TooManySheetsError{Sheets: c, Max: MaxAtlasSheets, Scale: o.Scale}
	}
	c := b.Center()
	x0, y0 := c[0]-cols*tw/2, c[1]+rows*th/2
	var out []Layout
	n := 0
	for r := 0.0; r < rows; r++ {
		for k := 0.0; k < cols; k++ {
			t := l
			t.Center = orb.Point{x0 + (k+0.5)*tw, y0 - (r+0.5)*th}
			if keep != nil && !keep(t.Extent()) {
				continue
			}
			if n++; n <= MaxAtlasSheets {
				out = append(out, t)
			}
		}
	}
	if n > MaxAtlasSheets {
		return nil, &TooManySheetsError{Sheets: n, Max: MaxAtlasSheets, Scale: o.Scale}
	}
	return out, nil
}

// Extent is the ground the map frame shows, projected metres.
func (l Layout) Extent() orb.Bound {
	hw, hh := l.Map.W*l.Scale/2000, l.Map.H*l.Scale/2000
	return orb.Bound{Min: orb.Point{l.Center[0] - hw, l.Center[1] - hh}, Max: orb.Point{l.Center[0] + hw, l.Center[1] + hh}}
}

// Page returns where projected point p falls on the page, mm from the
// top-left corner: 1 m on the ground is 1000/Scale mm on paper.
func (l Layout) Page(p orb.Point) (x, y float64) {
	k := 1000 / l.Scale
	return l.Map.X + l.Map.W/2 + (p[0]-l.Center[0])*k, l.Map.Y + l.Map.H/2 - (p[1]-l.Center[1])*k
}

// Ground returns the projected point under page position (x, y) mm.
func (l Layout) Ground(x, y float64) orb.Point {
	k := l.Scale / 1000
	return orb.Point{l.Center[0] + (x-l.Map.X-l.Map.W/2)*k, l.Center[1] - (y-l.Map.Y-l.Map.H/2)*k}
}

// ScaleText is the numeric scale as printed: "TỶ LỆ 1/2000".
func (l Layout) ScaleText() string { return "TỶ LỆ 1/" + formatScale(l.Scale) }

// formatScale writes a denominator without grouping, as drawings do (1/2000),
// with a decimal comma when it is not whole.
func formatScale(n float64) string {
	if n == math.Trunc(n) && math.Abs(n) < 1e15 {
		return fmt.Sprintf("%.0f", n)
	}
	return strings.Replace(fmt.Sprintf("%g", n), ".", ",", 1)
}
