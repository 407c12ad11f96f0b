package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/edit"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
)

// Colours of the editing marks over the map.
var (
	EditSelectColor  = color.NRGBA{0x00, 0xb8, 0xd4, 0xff} // the selected features
	EditDraftColor   = color.NRGBA{0x00, 0x5f, 0xd0, 0xff} // what is being drawn
	EditSnapColor    = color.NRGBA{0xd5, 0x00, 0xf9, 0xff} // where the pointer snaps
	EditHandleColor  = color.NRGBA{0x20, 0x20, 0x20, 0xff} // vertices of the selection
	EditChosenColor  = color.NRGBA{0xe0, 0x00, 0x00, 0xff} // the vertex chosen
	EditAreaColor    = color.NRGBA{0xff, 0x6f, 0x00, 0xff} // the dossier's adjusted area
	EditFindingColor = color.NRGBA{0xe0, 0x00, 0x00, 0xff} // problems of the last edit
	EditPreviewFill  = color.NRGBA{0x00, 0x5f, 0xd0, 0x40}
)

// editSketch draws over the map what editing shows: the adjusted area, the
// selection and its vertices, a feature or cut being drawn with its rubber
// band, the snap marker, the lots a drag is moving (filled, drawn by the
// map's own painter into an image the size of the view: only they are
// drawn while the pointer moves, never the map) and the findings of the
// last edit. It takes no events.
type editSketch struct {
	widget.BaseWidget
	Map *MapView

	area     orb.Geometry
	selected []orb.Geometry
	handles  []orb.Point
	chosen   *orb.Point
	draft    []orb.Point
	cursor   *orb.Point
	closed   bool
	snap     *edit.Snap
	preview  []orb.Geometry
	findings []topo.Finding
	moved    orb.Point // the move tool's drag, for its DragEnd
}

func newEditSketch(m *MapView) *editSketch {
	s := &editSketch{Map: m}
	s.ExtendBaseWidget(s)
	return s
}

func (s *editSketch) SetArea(g orb.Geometry)           { s.area = g; s.Refresh() }
func (s *editSketch) SetSelected(gs []orb.Geometry)    { s.selected = gs; s.Refresh() }
func (s *editSketch) SetHandles(pts []orb.Point)       { s.handles = pts; s.Refresh() }
func (s *editSketch) SetChosen(p *orb.Point)           { s.chosen = p; s.Refresh() }
func (s *editSketch) SetSnap(sn *edit.Snap)            { s.snap = sn; s.Refresh() }
func (s *editSketch) SetPreview(gs []orb.Geometry)     { s.preview = gs; s.Refresh() }
func (s *editSketch) SetFindings(fs []topo.Finding)    { s.findings = fs; s.Refresh() }
func (s *editSketch) Preview() []orb.Geometry          { return s.preview }
func (s *editSketch) SnapShown() *edit.Snap            { return s.snap }
func (s *editSketch) Findings() []topo.Finding         { return s.findings }
func (s *editSketch) Draft() ([]orb.Point, *orb.Point) { return s.draft, s.cursor }

// SetDraft shows a feature or cut being drawn (closed: an area, the band
// goes back to the first vertex).
func (s *editSketch) SetDraft(pts []orb.Point, cursor *orb.Point, closed bool) {
	s.draft, s.cursor, s.closed = pts, cursor, closed
	s.Refresh()
}

// Clear removes every mark.
func (s *editSketch) Clear() {
	s.area, s.selected, s.handles, s.chosen = nil, nil, nil, nil
	s.draft, s.cursor, s.snap, s.preview, s.findings = nil, nil, nil, nil, nil
	s.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (s *editSketch) CreateRenderer() fyne.WidgetRenderer {
	r := &editSketchRenderer{s: s}
	r.preview = canvas.NewRaster(r.drawPreview)
	return r
}

type editSketchRenderer struct {
	s       *editSketch
	preview *canvas.Raster
	objs    []fyne.CanvasObject
	inside  func(fyne.Position) bool // a mark at this place is on the map
}

func (r *editSketchRenderer) Destroy()                     {}
func (r *editSketchRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *editSketchRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *editSketchRenderer) Layout(size fyne.Size)        { r.Refresh() }

// drawPreview draws the lots being dragged, filled and outlined, with the
// map's painter at the raster's pixel size.
func (r *editSketchRenderer) drawPreview(w, h int) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := r.s
	if len(s.preview) == 0 || w <= 0 || h <= 0 {
		return img
	}
	return PaintPreview(img, s.Map, s.preview)
}

// PaintPreview draws shapes being dragged into img, as the map draws at its
// view (img covers the map).
func PaintPreview(img *image.RGBA, m *MapView, gs []orb.Geometry) *image.RGBA {
	b := img.Bounds()
	v := m.View(b.Dx(), b.Dy())
	var hs []scene.Highlight
	for _, g := range gs {
		f := &gis.Feature{Geometry: g}
		sh := &scene.Shape{Feature: f, Bound: g.Bound()}
		hs = append(hs, scene.Highlight{Shape: sh, Stroke: scene.Stroke{Color: EditDraftColor, Width: 2}, Fill: EditPreviewFill})
	}
	scene.DrawHighlights(img, v, scene.Options{Highlight: hs})
	return img
}

// Refresh lays the marks out again: the view or the marks changed.
func (r *editSketchRenderer) Refresh() {
	s := r.s
	r.objs = r.objs[:0]
	if len(s.preview) > 0 {
		r.preview.Resize(s.Size())
		r.objs = append(r.objs, r.preview)
		r.preview.Refresh()
	}
	off := offset(s.Map, s)
	pos := func(p orb.Point) fyne.Position { return s.Map.PositionOf(p).Add(off) }
	size := s.Size()
	// marks stay on the map: lines are cut to it, marks outside it dropped
	line := func(a, b orb.Point, c color.Color, w float32) {
		pa, pb := pos(a), pos(b)
		x0, y0, x1, y1, ok := scene.ClipSegment(float64(pa.X), float64(pa.Y), float64(pb.X), float64(pb.Y), 0, 0, float64(size.Width), float64(size.Height))
		if !ok {
			return
		}
		l := canvas.NewLine(c)
		l.StrokeWidth = w
		l.Position1, l.Position2 = fyne.NewPos(float32(x0), float32(y0)), fyne.NewPos(float32(x1), float32(y1))
		r.objs = append(r.objs, l)
	}
	r.inside = func(p fyne.Position) bool { return p.X >= 0 && p.Y >= 0 && p.X <= size.Width && p.Y <= size.Height }
	outline := func(g orb.Geometry, c color.Color, w float32) {
		for path := range gis.Paths(g) {
			for i := 1; i < len(path.Points); i++ {
				line(path.Points[i-1], path.Points[i], c, w)
			}
			if path.Kind == gis.Points {
				for _, p := range path.Points {
					r.square(pos(p), 8, c, false)
				}
			}
		}
	}
	if s.area != nil {
		outline(s.area, EditAreaColor, 2)
	}
	for _, g := range s.selected {
		outline(g, EditSelectColor, 3)
	}
	for _, p := range s.handles {
		r.square(pos(p), 7, EditHandleColor, false)
	}
	if s.chosen != nil {
		r.square(pos(*s.chosen), 11, EditChosenColor, true)
	}
	for i, p := range s.draft {
		if i > 0 {
			line(s.draft[i-1], p, EditDraftColor, 2)
		}
		r.square(pos(p), 6, EditDraftColor, true)
	}
	if n := len(s.draft); n > 0 && s.cursor != nil {
		line(s.draft[n-1], *s.cursor, EditDraftColor, 1)
		if s.closed && n > 1 {
			line(*s.cursor, s.draft[0], EditDraftColor, 1)
		}
	}
	for _, f := range s.findings {
		at := pos(f.At)
		if !r.inside(at) {
			continue
		}
		c := canvas.NewCircle(color.Transparent)
		c.StrokeColor, c.StrokeWidth = EditFindingColor, 2
		c.Move(at.SubtractXY(9, 9))
		c.Resize(fyne.NewSize(18, 18))
		r.objs = append(r.objs, c)
	}
	if sn := s.snap; sn != nil && sn.Kind != edit.NoSnap && r.inside(pos(sn.Point)) {
		at := pos(sn.Point)
		if sn.Kind == edit.ToVertex {
			r.square(at, 12, EditSnapColor, false)
		} else {
			c := canvas.NewCircle(color.Transparent)
			c.StrokeColor, c.StrokeWidth = EditSnapColor, 2
			c.Move(at.SubtractXY(6, 6))
			c.Resize(fyne.NewSize(12, 12))
			r.objs = append(r.objs, c)
		}
	}
	canvas.Refresh(s)
}

// square adds a square mark of side d centred at p.
func (r *editSketchRenderer) square(p fyne.Position, d float32, c color.Color, filled bool) {
	if !r.inside(p) {
		return
	}
	q := canvas.NewRectangle(color.Transparent)
	if filled {
		q.FillColor = c
	}
	q.StrokeColor, q.StrokeWidth = c, 2
	q.Move(p.SubtractXY(d/2, d/2))
	q.Resize(fyne.NewSize(d, d))
	r.objs = append(r.objs, q)
}
