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
	f.width[key] = w
	return w
}

// labelBox is a placed label in pixels.
type labelBox struct{ x0, y0, x1, y1 float64 }

func (a labelBox) overlaps(b labelBox) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// maxLabels caps the labels of one frame.
const maxLabels = 4000

// labels places lot labels inside their lots, largest lots first, never
// overlapping another label; a lot too small for all lines gets fewer
// (code first), or none.
func (s *Scene) labels(dst *image.RGBA, v render.View, o Options, layers []*Layer) {
	f := o.Font
	f.mu.Lock()
	defer f.mu.Unlock()
	ratio := o.ratio()
	px := f.Size * ratio
	fc := f.face(px)
	if fc == nil {
		return
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
			if len(sh.Label) == 0 {
				return true
			}
			w := (sh.Bound.Max[0] - sh.Bound.Min[0]) / v.Scale
			h := (sh.Bound.Max[1] - sh.Bound.Min[1]) / v.Scale
			if w >= minW && h >= lh {
				cands = append(cands, cand{sh, op})
			}
			return true
		})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].sh.AreaM2 > cands[j].sh.AreaM2 })
	// placed labels in a grid of cells for overlap tests
	const cell = 64.0
	grid := map[[2]int][]labelBox{}
	free := func(b labelBox) bool {
		for cx := int(b.x0 / cell); cx <= int(b.x1/cell); cx++ {
			for cy := int(b.y0 / cell); cy <= int(b.y1/cell); cy++ {
				for _, o := range grid[[2]int{cx, cy}] {
					if o.overlaps(b) {
						return false
					}
				}
			}
		}
		return true
	}
	put := func(b labelBox) {
		for cx := int(b.x0 / cell); cx <= int(b.x1/cell); cx++ {
			for cy := int(b.y0 / cell); cy <= int(b.y1/cell); cy++ {
				grid[[2]int{cx, cy}] = append(grid[[2]int{cx, cy}], b)
			}
		}
	}
	d := &font.Drawer{Dst: dst, Face: fc}
	ascent := float64(fc.Metrics().Ascent) / 64
	placed := 0
	for _, c := range cands {
		if placed >= maxLabels {
			break
		}
		ax, ay := v.Pixel(c.sh.Anchor)
		if ax < -100 || ay < -100 || ax > float64(v.Width)+100 || ay > float64(v.Height)+100 {
			continue
		}
		for n := len(c.sh.Label); n >= 1; n-- {
			lines := c.sh.Label[:n]
			w := 0.0
			for _, s := range lines {
				w = math.Max(w, f.measure(fc, px, s))
			}
			h := float64(n) * lh
			b := labelBox{ax - w/2 - 1, ay - h/2, ax + w/2 + 1, ay + h/2}
			if b.x0 < 0 || b.y0 < 0 || b.x1 > float64(v.Width) || b.y1 > float64(v.Height) {
				continue
			}
			if !fits(c.sh.Feature.Geometry, v, b) || !free(b) {
				continue
			}
			put(b)
			placed++
			col := textColor(c.sh.Fill)
			col.A = uint8(float64(col.A) * math.Min(1, c.op))
			d.Src = image.NewUniform(col)
			for i, s := range lines {
				lw := f.measure(fc, px, s)
				d.Dot = fixed.Point26_6{
					X: fixed.Int26_6((ax - lw/2) * 64),
					Y: fixed.Int26_6((b.y0 + float64(i)*lh + (lh-px)/2 + ascent) * 64),
				}
				d.DrawString(s)
			}
			break
		}
	}
}

// fits reports whether the pixel box lies inside polygon g: its corners and
// edge midpoints are inside.
func fits(g orb.Geometry, v render.View, b labelBox) bool {
	xs := [3]float64{b.x0, (b.x0 + b.x1) / 2, b.x1}
	ys := [3]float64{b.y0, (b.y0 + b.y1) / 2, b.y1}
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
