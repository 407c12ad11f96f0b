package render

import (
	"image/color"
	"math"
	"sort"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
)

// Frame places a map on a surface: the projection to surface units, how
// many surface units make one millimetre of paper (1 on a PDF page,
// dpi/25.4 on a raster) and the projected extent to draw (features outside
// are skipped).
type Frame struct {
	To     Affine
	MM     float64
	Extent orb.Bound
	Avoid  []Box // surface areas labels keep clear of (a north arrow, a scale bar)
}

// Box is an axis-aligned rectangle on a surface.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Map is what DrawMap draws, projected to EPSG:9215 metres.
type Map struct {
	Lots []gis.Feature // land-use lots: fills, stage outlines, labels
	// LotWalk, when set, gives the lots instead of Lots, a batch at a time
	// (a plan too large to hold): a Layered surface takes them in one walk,
	// fills and outlines on two layers; another surface walks them twice.
	LotWalk   Walk
	Lines     []gis.Feature // line layers (road centre lines)
	Boundary  []gis.Feature // the plan boundary
	Highlight []gis.Feature // the adjusted area, outlined over everything
	Labels    bool          // label lots with code and area
	// Lang is the language of the labels (LotLabel): "" or "vi" on
	// official sheets, "en" on request.
	Lang string
}

// Walk hands features to fn a batch at a time, all of them in one order,
// on each call; fn's batch is its own only until it returns.
type Walk func(fn func([]gis.Feature) error) error

// Drawn reports what DrawMap put on the surface, for the legend.
type Drawn struct {
	Err     error           // the walk of the lots failed: the map is incomplete
	Classes []landuse.Class // classes of the lots drawn, in catalogue order
	Stages  map[string]bool // stages of the lots drawn
	Unknown bool            // some lot has a class outside the catalogue
	Lots    int
	Labels  int
}

// Label sizes tried, largest first: em size in mm on paper.
var labelSizes = []float64{3.5, 3.0, 2.5, 2.0, 1.6, 1.25}

// DrawMap draws m onto s through fr: lot fills, stage outlines, line
// layers, the plan boundary, the adjusted area and, when asked, lot labels
// placed inside their lots without overlapping one another.
func DrawMap(s Surface, fr Frame, sym Symbology, m Map) Drawn {
	d := Drawn{Stages: map[string]bool{}}
	seen := map[string]bool{}
	var labelled []lotLabel // the lots with room for a label
	ls, layered := s.(Layered)
	layered = layered && m.LotWalk != nil
	// draw fills and/or outlines a batch of lots; the fill pass notes
	// what the legend and the labels need.
	draw := func(fs []gis.Feature, fills, outlines bool) {
		for i := range fs {
			f := &fs[i]
			if f.Geometry == nil || !f.Geometry.Bound().Intersects(fr.Extent) {
				continue
			}
			p := PathOf(f.Geometry, fr.To)
			if !p.Closed {
				continue
			}
			st := sym.Lot(*f)
			if fills {
				if layered {
					ls.Layer(0)
				}
				s.Fill(p, st.Fill)
				if m.Labels && holdsLabel(p, fr.MM) {
					area := gis.Area(f.Geometry)
					labelled = append(labelled, lotLabel{p, LotLabel(*f, area, m.Lang), st.Fill, area})
				}
				if st.Known {
					seen[st.Class.Code] = true
				} else {
					d.Unknown = true
				}
				d.Stages[st.Stage] = true
				d.Lots++
			}
			if outlines {
				if layered {
					ls.Layer(1)
				}
				s.Stroke(p, fitPen(st.Outline.scaled(fr.MM), p, fr.MM))
			}
		}
	}
	switch {
	case layered:
		ls.BeginLayers(2)
		d.Err = m.LotWalk(func(fs []gis.Feature) error { draw(fs, true, true); return nil })
	case m.LotWalk != nil:
		d.Err = m.LotWalk(func(fs []gis.Feature) error { draw(fs, true, false); return nil })
		if d.Err == nil {
			d.Err = m.LotWalk(func(fs []gis.Feature) error { draw(fs, false, true); return nil })
		}
	default:
		// All fills, then all outlines: a lot's fill never covers its
		// neighbour's outline. A path is made again for its outline rather
		// than kept (a million lots' paths would be most of the memory).
		draw(m.Lots, true, false)
		draw(m.Lots, false, true)
	}
	stroke := func(fs []gis.Feature, pen Pen) {
		pen = pen.scaled(fr.MM)
		for _, f := range fs {
			if f.Geometry != nil && f.Geometry.Bound().Intersects(fr.Extent) {
				s.Stroke(PathOf(f.Geometry, fr.To), pen)
			}
		}
	}
	if layered {
		ls.Layer(1) // over every fill
	}
	stroke(m.Lines, LinePen)
	stroke(m.Boundary, BoundaryPen)
	stroke(m.Highlight, HighlightPen)
	if layered {
		ls.EndLayers()
	}
	if sym.Catalogue != nil {
		for _, c := range sym.Catalogue.Classes() {
			if seen[c.Code] {
				d.Classes = append(d.Classes, c)
			}
		}
	}
	if !m.Labels || d.Err != nil {
		return d
	}
	// Labels: the largest lots choose first.
	sort.SliceStable(labelled, func(i, j int) bool { return labelled[i].area > labelled[j].area })
	pl := newPlacer(fr.MM * 20)
	// Labels stay whole inside the frame: a lot cut by the frame's edge is
	// labelled on its visible part or not at all.
	lo, hi := fr.To.Apply(fr.Extent.Min), fr.To.Apply(fr.Extent.Max)
	pl.within = box{math.Min(lo.X, hi.X), math.Min(lo.Y, hi.Y), math.Max(lo.X, hi.X), math.Max(lo.Y, hi.Y)}
	for _, b := range fr.Avoid {
		pl.add(box{b.X0, b.Y0, b.X1, b.Y1})
	}
	for _, l := range labelled {
		if placeLabel(s, pl, fr.MM, l.path, l.lines, l.fill) {
			d.Labels++
		}
	}
	return d
}

// lotLabel is a lot that may be labelled: its path on the surface, its
// label's lines, its fill (the text's contrast) and its area.
type lotLabel struct {
	path  Path
	lines []string
	fill  color.NRGBA
	area  float64
}

// fitPen thins an outline pen to a quarter of the lot's size (its box's
// longer side): on a sheet of a whole province a lot is a fraction of a
// millimetre each way, and its stage outline (0.25 mm and more) would
// cover its colour. The width is cut to hundredths of a millimetre, so
// that lots of a size share one pen. A lot a few millimetres long (a road
// too) keeps its pen.
func fitPen(pen Pen, p Path, mm float64) Pen {
	x0, y0, x1, y1 := bounds(p.Subpaths)
	if w := math.Max(x1-x0, y1-y0) / 4; pen.Width > w {
		pen.Width = math.Max(math.Floor(w/mm*100)/100, 0.01) * mm
	}
	return pen
}

// holdsLabel tells whether the box around p has room for one line of the
// smallest label size with its padding (placeLabel's measure): a lot
// without it is never labelled, so its label is not even written.
func holdsLabel(p Path, mm float64) bool {
	x0, y0, x1, y1 := bounds(p.Subpaths)
	em := labelSizes[len(labelSizes)-1] * mm
	pad := 0.3 * mm
	// one line of any width > 0: the narrowest code is a single letter
	return x1-x0 > 2*pad && y1-y0 >= em*1.15+2*pad-1e-9
}

// box is an axis-aligned rectangle on the surface.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool { return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1 }

// placer remembers the label boxes placed, in a grid of cells.
type placer struct {
	cell   float64
	cells  map[[2]int][]box
	within box // labels must lie inside it
}

func newPlacer(cell float64) *placer { return &placer{cell: cell, cells: map[[2]int][]box{}} }

func (p *placer) span(b box) (i0, j0, i1, j1 int) {
	return int(math.Floor(b.x0 / p.cell)), int(math.Floor(b.y0 / p.cell)), int(math.Floor(b.x1 / p.cell)), int(math.Floor(b.y1 / p.cell))
}

func (p *placer) free(b box) bool {
	if b.x0 < p.within.x0 || b.y0 < p.within.y0 || b.x1 > p.within.x1 || b.y1 > p.within.y1 {
		return false
	}
	i0, j0, i1, j1 := p.span(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			for _, o := range p.cells[[2]int{i, j}] {
				if o.overlaps(b) {
					return false
				}
			}
		}
	}
	return true
}

func (p *placer) add(b box) {
	i0, j0, i1, j1 := p.span(b)
	for i := i0; i <= i1; i++ {
		for j := j0; j <= j1; j++ {
			k := [2]int{i, j}
			p.cells[k] = append(p.cells[k], b)
		}
	}
}

// placeLabel tries the label lines of one lot at decreasing sizes, then
// with fewer lines (the indicators go first, the code last), at candidate
// points inside the lot.
func placeLabel(s Surface, pl *placer, mm float64, p Path, label []string, fill color.NRGBA) bool {
	x0, y0, x1, y1 := bounds(p.Subpaths)
	if math.IsInf(x0, 0) {
		return false
	}
	cands := labelPoints(p, x0, y0, x1, y1, pl.within)
	for n := len(label); n >= 1; n-- {
		lines := label[:n]
		for _, size := range labelSizes {
			em := size * mm
			lh := em * 1.15
			w := 0.0
			for i, line := range lines {
				w = math.Max(w, s.TextWidth(line, em, i == 0))
			}
			h := lh * float64(len(lines))
			pad := 0.3 * mm
			if w+2*pad > x1-x0 || h+2*pad > y1-y0 {
				continue
			}
			for _, c := range cands {
				b := box{c.X - w/2 - pad, c.Y - h/2 - pad, c.X + w/2 + pad, c.Y + h/2 + pad}
				if !pl.free(b) || !boxInside(p, b) {
					continue
				}
				pl.add(b)
				col := Contrast(fill)
				for i, line := range lines {
					// baseline: the line's box bottom less the descent (~0.25 em)
					y := b.y0 + pad + lh*float64(i+1) - 0.3*em
					s.Text(Text{X: c.X, Y: y, S: line, Size: em, Bold: i == 0, Color: col, Align: Center})
				}
				return true
			}
		}
	}
	return false
}

// labelPoints are candidate label centres inside a polygon: the centroid
// of its vertices, then the middles of the widest inside spans of a few
// horizontal lines.
func labelPoints(p Path, x0, y0, x1, y1 float64, within box) []Vec {
	var out []Vec
	if len(p.Subpaths) > 0 {
		var cx, cy, a float64
		r := p.Subpaths[0]
		for i := range r {
			j := (i + 1) % len(r)
			cross := (r[i].X-x0)*(r[j].Y-y0) - (r[j].X-x0)*(r[i].Y-y0)
			a += cross
			cx += (r[i].X - x0 + r[j].X - x0) * cross
			cy += (r[i].Y - y0 + r[j].Y - y0) * cross
		}
		if a != 0 {
			out = append(out, Vec{x0 + cx/(3*a), y0 + cy/(3*a)})
		}
	}
	// Scan lines over the part of the lot inside the frame.
	ya, yb := math.Max(y0, within.y0), math.Min(y1, within.y1)
	for _, f := range []float64{0.5, 0.35, 0.65, 0.2, 0.8} {
		y := ya + (yb-ya)*f
		if v, ok := widestSpan(p, y, within.x0, within.x1); ok {
			out = append(out, v)
		}
	}
	return out
}

// widestSpan returns the middle of the widest inside span of line y,
// spans cut to xmin…xmax.
func widestSpan(p Path, y, xmin, xmax float64) (Vec, bool) {
	var xs []float64
	for _, r := range p.Subpaths {
		for i := range r {
			a, b := r[i], r[(i+1)%len(r)]
			if (a.Y > y) != (b.Y > y) {
				xs = append(xs, a.X+(y-a.Y)*(b.X-a.X)/(b.Y-a.Y))
			}
		}
	}
	sort.Float64s(xs)
	best, bx := -1.0, 0.0
	for i := 0; i+1 < len(xs); i += 2 {
		a, b := math.Max(xs[i], xmin), math.Min(xs[i+1], xmax)
		if w := b - a; w > best {
			best, bx = w, (a+b)/2
		}
	}
	return Vec{bx, y}, best > 0
}

// boxInside says whether b lies inside the polygon p: its centre inside and
// no edge of p crossing it.
func boxInside(p Path, b box) bool {
	if !pointIn(p, Vec{(b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2}) {
		return false
	}
	for _, r := range p.Subpaths {
		for i := range r {
			if segmentHitsBox(r[i], r[(i+1)%len(r)], b) {
				return false
			}
		}
	}
	return true
}

// pointIn is the even-odd test of v against the rings of p.
func pointIn(p Path, v Vec) bool {
	in := false
	for _, r := range p.Subpaths {
		for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
			a, c := r[i], r[j]
			if (a.Y > v.Y) != (c.Y > v.Y) && v.X < (c.X-a.X)*(v.Y-a.Y)/(c.Y-a.Y)+a.X {
				in = !in
			}
		}
	}
	return in
}

// segmentHitsBox says whether segment a–c meets box b (Liang–Barsky).
func segmentHitsBox(a, c Vec, b box) bool {
	if math.Max(a.X, c.X) < b.x0 || math.Min(a.X, c.X) > b.x1 || math.Max(a.Y, c.Y) < b.y0 || math.Min(a.Y, c.Y) > b.y1 {
		return false
	}
	dx, dy := c.X-a.X, c.Y-a.Y
	t0, t1 := 0.0, 1.0
	for _, e := range [4][2]float64{{-dx, a.X - b.x0}, {dx, b.x1 - a.X}, {-dy, a.Y - b.y0}, {dy, b.y1 - a.Y}} {
		pp, q := e[0], e[1]
		if pp == 0 {
			if q < 0 {
				return false
			}
			continue
		}
		t := q / pp
		if pp < 0 {
			if t > t1 {
				return false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return false
			}
			t1 = math.Min(t1, t)
		}
	}
	return t0 <= t1
}
