package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Colours of the site drawn over the map.
var (
	SiteColor   = color.NRGBA{0xe0, 0x00, 0x00, 0xff} // the site asked about
	AnswerColor = color.NRGBA{0xff, 0x8c, 0x00, 0xff} // the lots of the answer
	DraftColor  = color.NRGBA{0x00, 0x5f, 0xd0, 0xff} // a site being drawn
)

// siteSketch draws over the map what the information and conformity tools
// show: the site asked about (red), the lots that answer it (orange) and a
// site being drawn (blue, with a rubber band to the pointer). It takes no
// events: taps and drags reach the map under it. Geometry is EPSG:9215,
// placed by the map's view (the map may be only part of the area the sketch
// covers, in side-by-side compare).
type siteSketch struct {
	widget.BaseWidget
	Map    *MapView
	site   []orb.Geometry
	lots   []orb.Geometry
	draft  []orb.Point
	cursor *orb.Point
}

func newSiteSketch(m *MapView) *siteSketch {
	s := &siteSketch{Map: m}
	s.ExtendBaseWidget(s)
	return s
}

// SetShapes shows a site and the lots of its answer (nil: nothing).
func (s *siteSketch) SetShapes(site, lots []orb.Geometry) {
	s.site, s.lots = site, lots
	s.Refresh()
}

// SetDraft shows the vertices of a site being drawn and where the pointer is.
func (s *siteSketch) SetDraft(pts []orb.Point, cursor *orb.Point) {
	s.draft, s.cursor = pts, cursor
	s.Refresh()
}

// Site returns the site shown.
func (s *siteSketch) Site() []orb.Geometry { return s.site }

// CreateRenderer implements fyne.Widget.
func (s *siteSketch) CreateRenderer() fyne.WidgetRenderer {
	return &sketchRenderer{s: s}
}

type sketchRenderer struct {
	s    *siteSketch
	objs []fyne.CanvasObject
}

func (r *sketchRenderer) Destroy()                     {}
func (r *sketchRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *sketchRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *sketchRenderer) Layout(fyne.Size)             { r.Refresh() }

// Refresh lays the lines out again: the view or the shapes changed.
func (r *sketchRenderer) Refresh() {
	s := r.s
	r.objs = r.objs[:0]
	off := offset(s.Map, s)
	toScreen := func(p orb.Point) fyne.Position { return s.Map.PositionOf(p).Add(off) }
	line := func(a, b orb.Point, c color.Color, w float32) {
		l := canvas.NewLine(c)
		l.StrokeWidth = w
		l.Position1, l.Position2 = toScreen(a), toScreen(b)
		r.objs = append(r.objs, l)
	}
	outline := func(g orb.Geometry, c color.Color, w float32) {
		if p, ok := g.(orb.Point); ok {
			at := toScreen(p)
			dot := canvas.NewCircle(color.Transparent)
			dot.StrokeColor, dot.StrokeWidth = c, w
			dot.Move(at.SubtractXY(7, 7))
			dot.Resize(fyne.NewSize(14, 14))
			r.objs = append(r.objs, dot)
			return
		}
		for path := range gis.Paths(g) {
			pts := path.Points
			for i := 1; i < len(pts); i++ {
				line(pts[i-1], pts[i], c, w)
			}
		}
	}
	for _, g := range s.lots {
		outline(g, AnswerColor, 2)
	}
	for _, g := range s.site {
		outline(g, SiteColor, 3)
	}
	for i, p := range s.draft {
		if i > 0 {
			line(s.draft[i-1], p, DraftColor, 2)
		}
		v := canvas.NewCircle(DraftColor)
		v.Move(toScreen(p).SubtractXY(3, 3))
		v.Resize(fyne.NewSize(6, 6))
		r.objs = append(r.objs, v)
	}
	if n := len(s.draft); n > 0 && s.cursor != nil {
		line(s.draft[n-1], *s.cursor, DraftColor, 1)
		if n > 1 {
			line(*s.cursor, s.draft[0], DraftColor, 1)
		}
	}
	canvas.Refresh(s)
}

// offset is where the map's origin lies from o's: zero when o covers the
// map exactly.
func offset(m *MapView, o fyne.CanvasObject) fyne.Position {
	d := fyne.CurrentApp().Driver()
	return d.AbsolutePositionForObject(m).Subtract(d.AbsolutePositionForObject(o))
}

// Tool modes of the site tool.
const (
	pointTool   = iota // a tap asks about the point
	polygonTool        // taps place vertices; a double tap or Enter closes the site
)

// siteTool is the map tool of planning information: laid over the map
// while active, it turns a tap into a point asked about, or taps into the
// vertices of a site (double tap or Enter closes it, Backspace takes the
// last vertex back, Escape drops it). Dragging and the wheel still pan and
// zoom the map under it; the pointer still reaches the map's status.
type siteTool struct {
	widget.BaseWidget
	Mode   int
	Map    *MapView
	Sketch *siteSketch
	draft  []orb.Point
	// OnPoint and OnPolygon hear a site asked about (EPSG:9215).
	OnPoint   func(orb.Point)
	OnPolygon func(orb.Polygon)
}

func newSiteTool(m *MapView, sk *siteSketch) *siteTool {
	t := &siteTool{Map: m, Sketch: sk}
	t.ExtendBaseWidget(t)
	t.Hide()
	return t
}

// CreateRenderer implements fyne.Widget: the tool is invisible.
func (t *siteTool) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// SetMode chooses what a tap does and drops a site being drawn.
func (t *siteTool) SetMode(mode int) {
	t.Mode = mode
	t.Cancel()
}

// Draft returns the vertices placed so far.
func (t *siteTool) Draft() []orb.Point { return t.draft }

// Cancel drops the site being drawn.
func (t *siteTool) Cancel() {
	t.draft = nil
	t.Sketch.SetDraft(nil, nil)
}

func (t *siteTool) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		c.Focus(t)
	}
}

// at is the ground point under a position on the tool.
func (t *siteTool) at(pos fyne.Position) orb.Point {
	return t.Map.PointAt(pos.Subtract(offset(t.Map, t)))
}

// Tapped asks about the point, or places a vertex.
func (t *siteTool) Tapped(e *fyne.PointEvent) {
	t.focus()
	p := t.at(e.Position)
	if t.Mode == pointTool {
		if t.OnPoint != nil {
			t.OnPoint(p)
		}
		return
	}
	t.draft = append(t.draft, p)
	t.Sketch.SetDraft(t.draft, nil)
}

// DoubleTapped places the last vertex and closes the site.
func (t *siteTool) DoubleTapped(e *fyne.PointEvent) {
	if t.Mode == pointTool {
		t.Tapped(e)
		return
	}
	if p := t.at(e.Position); len(t.draft) == 0 || t.draft[len(t.draft)-1] != p {
		t.draft = append(t.draft, p)
	}
	t.Finish()
}

// Finish closes the site drawn, if it has three vertices or more.
func (t *siteTool) Finish() {
	if len(t.draft) < 3 {
		return
	}
	ring := append(orb.Ring(nil), t.draft...)
	ring = append(ring, ring[0])
	t.Cancel()
	if t.OnPolygon != nil {
		t.OnPolygon(orb.Polygon{ring})
	}
}

// MouseIn implements desktop.Hoverable.
func (t *siteTool) MouseIn(e *desktop.MouseEvent) { t.MouseMoved(e) }

// MouseMoved passes the pointer to the map and pulls the rubber band.
func (t *siteTool) MouseMoved(e *desktop.MouseEvent) {
	on := *e
	on.Position = e.Position.Subtract(offset(t.Map, t))
	t.Map.MouseMoved(&on)
	if len(t.draft) > 0 {
		p := t.at(e.Position)
		t.Sketch.SetDraft(t.draft, &p)
	}
}

// MouseOut implements desktop.Hoverable.
func (t *siteTool) MouseOut() {
	t.Map.MouseOut()
	if len(t.draft) > 0 {
		t.Sketch.SetDraft(t.draft, nil)
	}
}

// FocusGained implements fyne.Focusable.
func (t *siteTool) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (t *siteTool) FocusLost() {}

// TypedRune passes + and − to the map.
func (t *siteTool) TypedRune(r rune) { t.Map.TypedRune(r) }

// TypedKey closes, shortens or drops the site being drawn; other keys pan
// and zoom the map.
func (t *siteTool) TypedKey(e *fyne.KeyEvent) {
	if keyBehindDialog(t, e) {
		return
	}
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		t.Finish()
	case fyne.KeyEscape:
		t.Cancel()
	case fyne.KeyBackspace:
		if n := len(t.draft); n > 0 {
			t.draft = t.draft[:n-1]
			t.Sketch.SetDraft(t.draft, nil)
		}
	default:
		t.Map.TypedKey(e)
	}
}
