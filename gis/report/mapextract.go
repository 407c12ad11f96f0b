package report

import (
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// MapExtract is a map at true scale across the text block: the plan
// around a site, the site outlined in red (a point marked), in a frame
// Height mm high with VN-2000 grid crosses and labels, a north arrow, the
// numeric and graphic scale, and a legend of what it shows below it. One
// metre on the ground is 1000/Scale mm on the page.
type MapExtract struct {
	Map    render.Map // projected, EPSG:9215 metres
	Center orb.Point  // the ground point at the frame's centre
	Scale  float64    // denominator of 1/N
	Height float64    // of the frame, mm
	// MinHeight, when set, lets the frame shrink down to it to end a page
	// rather than leave it half empty; the site must fit it at Scale.
	MinHeight float64
	// Site is outlined in red: polygons as outlines, points as a marker.
	Site      []orb.Geometry
	SiteLabel string // its legend entry, e.g. "Ranh giới khu đất"
}

// Fit returns the first of scales (denominators, largest scale first) at
// which b with a margin of 10 % (at least 5 mm on paper) fits a frame of
// w × h mm, and whether one does.
func Fit(b orb.Bound, w, h float64, scales []float64) (float64, bool) {
	dx, dy := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	for _, s := range scales {
		k := 1000 / s // mm per metre
		if dx*k*1.2+10 <= w && dy*k*1.2+10 <= h {
			return s, true
		}
	}
	return 0, false
}

// extent is the ground the frame shows when it is w mm wide.
func (m MapExtract) extent(w float64) orb.Bound {
	hw, hh := w*m.Scale/2000, m.Height*m.Scale/2000
	return orb.Bound{Min: orb.Point{m.Center[0] - hw, m.Center[1] - hh}, Max: orb.Point{m.Center[0] + hw, m.Center[1] + hh}}
}

// Affine is the mapping of ground metres onto the page when the frame's
// top-left corner is at x, y and it is w mm wide.
func (m MapExtract) Affine(x, y, w float64) render.Affine {
	return render.Affine{Origin: m.Center, At: render.Vec{X: x + w/2, Y: y + m.Height/2}, K: 1000 / m.Scale}
}

// legendEntry is one entry of the legend under the map.
type legendEntry struct {
	label string
	draw  func(dst render.Surface, x, y float64) // a 9 × 4 mm symbol at x, y
}

func (m MapExtract) legend(w float64, cat *landuse.Catalogue) []legendEntry {
	ext := m.extent(w)
	sym := render.Symbology{Catalogue: cat}
	seen := map[string]bool{}
	unknown := false
	for _, f := range m.Map.Lots {
		if f.Geometry == nil || !f.Geometry.Bound().Intersects(ext) {
			continue
		}
		if st := sym.Lot(f); st.Known {
			seen[st.Class.Code] = true
		} else {
			unknown = true
		}
	}
	var out []legendEntry
	swatch := func(c landuse.Class) func(render.Surface, float64, float64) {
		return func(dst render.Surface, x, y float64) {
			r := render.Rect(x, y, 9, 4)
			dst.Fill(r, c.RGB)
			dst.Stroke(r, render.Pen{Color: render.OutlineColor, Width: 0.15})
			dst.Text(render.Text{X: x + 4.5, Y: y + 3, S: c.Code, Size: 2.1, Bold: true, Color: render.Contrast(c.RGB), Align: render.Center})
		}
	}
	if cat != nil {
		for _, c := range cat.Classes() {
			if seen[c.Code] {
				out = append(out, legendEntry{c.NameVI, swatch(c)})
			}
		}
	}
	if unknown {
		out = append(out, legendEntry{"Loại đất chưa có trong danh mục", func(dst render.Surface, x, y float64) {
			dst.Fill(render.Rect(x, y, 9, 4), render.UnknownFill)
		}})
	}
	line := func(pen render.Pen) func(render.Surface, float64, float64) {
		return func(dst render.Surface, x, y float64) { dst.Stroke(render.Line(x, y+2, x+9, y+2), pen) }
	}
	if len(m.Site) > 0 && m.SiteLabel != "" {
		out = append(out, legendEntry{m.SiteLabel, func(dst render.Surface, x, y float64) {
			dst.Fill(render.Rect(x, y, 9, 4), shade)
			line(haloPen)(dst, x, y)
			line(sitePen)(dst, x, y)
		}})
	}
	if len(m.Map.Boundary) > 0 {
		out = append(out, legendEntry{"Ranh giới quy hoạch", line(render.BoundaryPen)})
	}
	return out
}

// sitePen outlines the site over a white halo, so it reads on red lots too.
var (
	sitePen = render.Pen{Color: red, Width: 0.7}
	haloPen = render.Pen{Color: white, Width: 1.5}
)

// legend rows, mm
const (
	legendRow  = 4.6
	legendSize = 8 * pt
)

func (m MapExtract) items(dst render.Surface, w float64, cat *landuse.Catalogue) []item {
	leg := m.legend(w, cat)
	cols := 2
	if len(leg) > 6 {
		cols = 3
	}
	rows := (len(leg) + cols - 1) / cols
	under := stripH + float64(rows)*legendRow + 2
	var shrink func(float64) (item, bool)
	if m.MinHeight > 0 && m.MinHeight < m.Height {
		shrink = func(h float64) (item, bool) {
			if h-under < m.MinHeight {
				return item{}, false
			}
			small := m
			small.Height, small.MinHeight = h-under, 0
			return small.items(dst, w, cat)[0], true
		}
	}
	return []item{{h: m.Height + under, shrink: shrink, draw: func(dst render.Surface, x, y float64) {
		m.drawMap(dst, x, y, w, cat)
		// under the frame, so they never hide the site: the scale left, north right
		m.drawScaleBar(dst, x, y+m.Height)
		m.drawNorth(dst, x+w-6, y+m.Height)
		ly := y + m.Height + stripH
		colW := w / float64(cols)
		for i, e := range leg {
			ex, ey := x+float64(i%cols)*colW, ly+float64(i/cols)*legendRow
			e.draw(dst, ex, ey)
			dst.Text(render.Text{X: ex + 11, Y: ey + 3.2, S: fitText(dst, e.label, legendSize, false, colW-13), Size: legendSize, Color: black})
		}
	}}}
}

// drawMap draws the frame and what is in it with its top-left corner at x, y.
func (m MapExtract) drawMap(dst render.Surface, x, y, w float64, cat *landuse.Catalogue) {
	h := m.Height
	a := m.Affine(x, y, w)
	fr := render.Frame{To: a, MM: 1, Extent: m.extent(w)}
	dst.Clip(x, y, w, h)
	render.DrawMap(dst, fr, render.Symbology{Catalogue: cat}, m.Map)
	for _, g := range m.Site {
		if p, ok := g.(orb.Point); ok {
			v := a.Apply(p)
			var ring []render.Vec
			for i := 0; i <= 24; i++ {
				t := 2 * math.Pi * float64(i) / 24
				ring = append(ring, render.Vec{X: v.X + 2.2*math.Cos(t), Y: v.Y + 2.2*math.Sin(t)})
			}
			dst.Stroke(render.Path{Subpaths: [][]render.Vec{ring}, Closed: true}, sitePen)
			dst.Stroke(render.Line(v.X-3.5, v.Y, v.X+3.5, v.Y), render.Pen{Color: red, Width: 0.35})
			dst.Stroke(render.Line(v.X, v.Y-3.5, v.X, v.Y+3.5), render.Pen{Color: red, Width: 0.35})
			continue
		}
		pa := render.PathOf(g, a)
		dst.Stroke(pa, haloPen)
		dst.Stroke(pa, sitePen)
	}
	m.drawGrid(dst, x, y, w)
	dst.Unclip()
	dst.Stroke(render.Rect(x, y, w, h), render.Pen{Color: black, Width: 0.4})
}

// niceStep is the smallest 1, 2 or 5 × 10ⁿ not below v.
func niceStep(v float64) float64 {
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, k := range []float64{1, 2, 5, 10} {
		if k*e >= v*(1-1e-9) {
			return k * e
		}
	}
	return 10 * e
}

// drawGrid draws VN-2000 grid crosses at least 30 mm apart, labelled X
// (northing) along the left edge and Y (easting) along the top.
func (m MapExtract) drawGrid(dst render.Surface, x, y, w float64) {
	step := niceStep(30 * m.Scale / 1000)
	ext := m.extent(w)
	a := m.Affine(x, y, w)
	pen := render.Pen{Color: gridC, Width: 0.15}
	size := 7 * pt
	for e := math.Ceil(ext.Min[0]/step) * step; e <= ext.Max[0]; e += step {
		for n := math.Ceil(ext.Min[1]/step) * step; n <= ext.Max[1]; n += step {
			v := a.Apply(orb.Point{e, n})
			dst.Stroke(render.Line(v.X-2, v.Y, v.X+2, v.Y), pen)
			dst.Stroke(render.Line(v.X, v.Y-2, v.X, v.Y+2), pen)
		}
	}
	label := func(t render.Text) {
		tw := dst.TextWidth(t.S, t.Size, false)
		dst.Fill(render.Rect(t.X-0.4, t.Y-t.Size*0.85, tw+0.8, t.Size*1.1), white)
		dst.Text(t)
	}
	for e := math.Ceil(ext.Min[0]/step) * step; e <= ext.Max[0]; e += step {
		v := a.Apply(orb.Point{e, 0})
		if v.X > x+8 && v.X < x+w-18 {
			dst.Stroke(render.Line(v.X, y, v.X, y+2.5), pen)
			label(render.Text{X: v.X + 0.6, Y: y + 2.5 + size, S: "Y " + gis.FormatVN(e, 0), Size: size, Color: gridC})
		}
	}
	for n := math.Ceil(ext.Min[1]/step) * step; n <= ext.Max[1]; n += step {
		v := a.Apply(orb.Point{0, n})
		if v.Y > y+8 && v.Y < y+m.Height-3 {
			dst.Stroke(render.Line(x, v.Y, x+2.5, v.Y), pen)
			label(render.Text{X: x + 0.8, Y: v.Y - 0.8, S: "X " + gis.FormatVN(n, 0), Size: size, Color: gridC})
		}
	}
}

// stripH is the height of the strip under the frame holding the scale
// and the north arrow, mm.
const stripH = 13.0

// drawNorth draws the north arrow centred at x under the frame's top y.
func (m MapExtract) drawNorth(dst render.Surface, cx, y float64) {
	top, h, hw := y+5, 7.5, 2.2
	half := func(sx float64) render.Path {
		return render.Path{Subpaths: [][]render.Vec{{{X: cx, Y: top}, {X: cx + sx*hw, Y: top + h}, {X: cx, Y: top + h*0.7}}}, Closed: true}
	}
	dst.Fill(half(-1), black)
	dst.Stroke(half(-1), render.Pen{Color: black, Width: 0.2})
	dst.Stroke(half(1), render.Pen{Color: black, Width: 0.2})
	dst.Text(render.Text{X: cx, Y: top - 0.8, S: "B", Size: 3.2, Bold: true, Color: black, Align: render.Center})
}

// scaleBar returns the metres per segment and the segment length on
// paper: the smallest 1, 2, 5 × 10ⁿ m at least 12 mm long.
func (m MapExtract) scaleBar() (seg, segMM float64) {
	seg = niceStep(12 * m.Scale / 1000)
	return seg, seg * 1000 / m.Scale
}

// drawScaleBar draws "TỶ LỆ 1/N" beside four segments of the graphic
// scale, under the frame whose bottom-left corner is x, y.
func (m MapExtract) drawScaleBar(dst render.Surface, x, y float64) {
	seg, segMM := m.scaleBar()
	label := "TỶ LỆ 1/" + strconv.FormatFloat(m.Scale, 'f', -1, 64)
	dst.Text(render.Text{X: x, Y: y + 6.5, S: label, Size: 9 * pt, Bold: true, Color: black})
	x0, y0 := x+dst.TextWidth(label, 9*pt, true)+6, y+4
	for i := 0; i < 4; i++ {
		r := render.Rect(x0+float64(i)*segMM, y0, segMM, 1.6)
		if i%2 == 0 {
			dst.Fill(r, black)
		}
		dst.Stroke(r, render.Pen{Color: black, Width: 0.15})
	}
	for i := 0; i <= 4; i++ {
		t := gis.FormatVN(float64(i)*seg, 0)
		if i == 4 {
			t += " m"
		}
		dst.Text(render.Text{X: x0 + float64(i)*segMM, Y: y0 + 4.6, S: t, Size: 6.5 * pt, Color: black, Align: render.Center})
	}
}
