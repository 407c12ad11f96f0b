package scene

import (
	"image"
	"image/color"
	"math"
	"sort"
	"sync"

	"github.com/paulmach/orb"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"quyhoach/gis/render"
)

// Font is a TrueType face for labels at Size logical pixels; safe for
// concurrent use.
type Font struct {
	Size  float64
	mu    sync.Mutex
	sfnt  *sfnt.Font
	faces map[float64]font.Face
	width map[string]float64 // by size|text
}

// NewFont parses a TrueType font (Noto Sans covers Vietnamese).
func NewFont(ttf []byte, size float64) (*Font, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return &Font{Size: size, sfnt: f, faces: map[float64]font.Face{}, width: map[string]float64{}}, nil
}

func (f *Font) face(px float64) font.Face {
	if fc, ok := f.faces[px]; ok {
		return fc
	}
	fc, err := opentype.NewFace(f.sfnt, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil
	}
	f.faces[px] = fc
	return fc
}

func (f *Font) measure(fc font.Face, px float64, s string) float64 {
	key := string(rune(int(px*4))) + s
	if w, ok := f.width[key]; ok {
		return w
	}
	w := float64(font.MeasureString(fc, s)) / 64
	if len(f.width) > 1<<18 {
		clear(f.width) // bounded: a session zooming over many plans
	}
	f.width[key] = w
	return w
}

// Label is a lot label placed on a frame: its lines and pixel box.
type Label struct {
	Shape          *Shape
	Lines          []string
	X0, Y0, X1, Y1 float64 // pixel box
	opacity        float64
}

func (a Label) overlaps(b Label) bool {
	return a.X0 < b.X1 && b.X0 < a.X1 && a.Y0 < b.Y1 && b.Y0 < a.Y1
}

// maxLabels caps the labels of one frame.
const maxLabels = 4000

// PlaceLabels places lot labels inside their lots, largest lots first, never
// overlapping another label; a lot too small for all its lines gets fewer
// (code first), or none. o.Font must be set.
func (s *Scene) PlaceLabels(v render.View, o Options) []Label {
	if o.Font == nil || s.Empty() {
		return nil
	}
	f := o.Font
	f.mu.Lock()
	defer f.mu.Unlock()
	return s.place(v, o, s.visible(o))
}

func (s *Scene) place(v render.View, o Options, layers []*Layer) []Label {
	f := o.Font
	px := f.Size * o.ratio()
	fc := f.face(px)
	if fc == nil {
		return nil
	}
	lh := px * 1.2
	minW := px * 2.5
	type cand struct {
		sh *Shape
		op float64
	}
	var cands []cand
	vb := v.Bound()
	for _, l := range layers {
		op := 1.0
		if x, ok := o.Opacity[l.Name]; ok {
			op = x
		}
		if op < 0.3 {
			continue
		}
		l.Search(vb, func(i int) bool {
			sh := &l.Shapes[i]
			w := (sh.Bound.Max[0] - sh.Bound.Min[0]) / v.Scale
			h := (sh.Bound.Max[1] - sh.Bound.Min[1]) / v.Scale
			if w >= minW && h >= lh && len(sh.Label()) > 0 { // a label made only for a lot with room
				cands = append(cands, cand{sh, op})
			}
			return true
		})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].sh.AreaM2 > cands[j].sh.AreaM2 })
	// placed labels in a grid of cells for overlap tests
	const cell = 64.0
	grid := map[[2]int][]int{}
	var out []Label
	cells := func(b Label, fn func(k [2]int)) {
		for cx := int(b.X0 / cell); cx <= int(b.X1/cell); cx++ {
			for cy := int(b.Y0 / cell); cy <= int(b.Y1/cell); cy++ {
				fn([2]int{cx, cy})
			}
		}
	}
	free := func(b Label) bool {
		ok := true
		cells(b, func(k [2]int) {
			for _, i := range grid[k] {
				if out[i].overlaps(b) {
					ok = false
				}
			}
		})
		return ok
	}
	for _, c := range cands {
		if len(out) >= maxLabels {
			break
		}
		ax, ay := v.Pixel(c.sh.Anchor())
		if ax < -100 || ay < -100 || ax > float64(v.Width)+100 || ay > float64(v.Height)+100 {
			continue
		}
		label := c.sh.Label()
		for n := len(label); n >= 1; n-- {
			lines := label[:n]
			w := 0.0
			for _, s := range lines {
				w = math.Max(w, f.measure(fc, px, s))
			}
			h := float64(n) * lh
			b := Label{Shape: c.sh, Lines: lines, X0: ax - w/2 - 1, Y0: ay - h/2, X1: ax + w/2 + 1, Y1: ay + h/2, opacity: c.op}
			if b.X0 < 0 || b.Y0 < 0 || b.X1 > float64(v.Width) || b.Y1 > float64(v.Height) {
				continue
			}
			if !fits(c.sh.Feature.Geometry, v, b) || !free(b) {
				continue
			}
			cells(b, func(k [2]int) { grid[k] = append(grid[k], len(out)) })
			out = append(out, b)
			break
		}
	}
	return out
}

// labels draws the placed labels.
func (s *Scene) labels(dst *image.RGBA, v render.View, o Options, layers []*Layer) {
	f := o.Font
	f.mu.Lock()
	defer f.mu.Unlock()
	px := f.Size * o.ratio()
	fc := f.face(px)
	if fc == nil {
		return
	}
	lh := px * 1.2
	d := &font.Drawer{Dst: dst, Face: fc}
	ascent := float64(fc.Metrics().Ascent) / 64
	for _, b := range s.place(v, o, layers) {
		col := textColor(b.Shape.Fill)
		col.A = uint8(float64(col.A) * math.Min(1, b.opacity))
		d.Src = image.NewUniform(col)
		ax := (b.X0 + b.X1) / 2
		for i, s := range b.Lines {
			lw := f.measure(fc, px, s)
			d.Dot = fixed.Point26_6{
				X: fixed.Int26_6((ax - lw/2) * 64),
				Y: fixed.Int26_6((b.Y0 + float64(i)*lh + (lh-px)/2 + ascent) * 64),
			}
			d.DrawString(s)
		}
	}
}

// fits reports whether the pixel box lies inside polygon g: its corners and
// edge midpoints are inside.
func fits(g orb.Geometry, v render.View, b Label) bool {
	xs := [3]float64{b.X0, (b.X0 + b.X1) / 2, b.X1}
	ys := [3]float64{b.Y0, (b.Y0 + b.Y1) / 2, b.Y1}
	for _, x := range xs {
		for _, y := range ys {
			if !Contains(g, v.Point(x, y)) {
				return false
			}
		}
	}
	return true
}

// textColor is black on light fills, white on dark ones.
func textColor(c color.NRGBA) color.NRGBA {
	l := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
	if c.A > 0 && l < 110 {
		return color.NRGBA{0xff, 0xff, 0xff, 0xff}
	}
	return color.NRGBA{0x10, 0x10, 0x10, 0xff}
}
