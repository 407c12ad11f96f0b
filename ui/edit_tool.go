package ui

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"math"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/edit"
	"quyhoach/plan"
)

// editTool lies over the map while editing and turns the pointer and the
// keys into the active tool's gestures. What it does not use reaches the
// map: the wheel zooms; dragging pans where no vertex or selected feature
// is grabbed; arrows and + − pan and zoom.
type editTool struct {
	widget.BaseWidget
	e *editor

	draft   []orb.Point // vertices placed (draw, split)
	vertex  *grab       // the vertex chosen or being dragged (vertex tool)
	moving  *orb.Point  // where a move drag started (move tool)
	panning bool
	mods    fyne.KeyModifier
	// downs are where the last two presses were: Fyne calls two quick
	// clicks a double tap wherever they fall, and only the second is told
	downs [2]fyne.Position
}

// grab is a vertex of a feature taken by the pointer.
type grab struct {
	id   string
	v    edit.Vertex
	at   orb.Point // where it was
	to   orb.Point // where the drag has it
	drag bool
}

func newEditTool(e *editor) *editTool {
	t := &editTool{e: e}
	t.ExtendBaseWidget(t)
	t.Hide()
	return t
}

// CreateRenderer implements fyne.Widget: the tool itself is invisible.
func (t *editTool) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// Cursor implements desktop.Cursorable: a crosshair where points are
// placed, a pointer where features are taken.
func (t *editTool) Cursor() desktop.Cursor {
	switch t.e.tool {
	case drawTool, splitTool, sideTool:
		return desktop.CrosshairCursor
	case vertexTool, moveTool:
		return desktop.PointerCursor
	}
	return desktop.DefaultCursor
}

func (t *editTool) focus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		c.Focus(t)
	}
}

// at is the ground point under a position on the tool.
func (t *editTool) at(pos fyne.Position) orb.Point {
	return t.e.w.Map.PointAt(pos.Subtract(offset(t.e.w.Map, t)))
}

// Cancel drops what is being drawn or dragged.
func (t *editTool) Cancel() {
	t.draft = nil
	t.vertex = nil
	t.moving = nil
	t.e.Sketch.SetDraft(nil, nil, false)
	t.e.Sketch.SetPreview(nil)
	t.e.Sketch.SetSnap(nil)
}

// Draft is the vertices placed so far.
func (t *editTool) Draft() []orb.Point { return t.draft }

// addVertex places a vertex of the feature or line being drawn.
func (t *editTool) addVertex(p orb.Point) {
	if t.e.tool != drawTool && t.e.tool != splitTool {
		t.e.SetTool(drawTool)
	}
	t.draft = append(t.draft, p)
	t.e.Sketch.SetDraft(t.draft, nil, t.e.tool == drawTool && gis.KindOfName(t.e.layer()) == gis.AreaKind)
	t.e.trace(fmt.Sprintf("draft n=%d", len(t.draft)))
	if t.e.tool == drawTool && gis.KindOfName(t.e.layer()) == gis.PointKind {
		t.finish()
	}
}

// finish ends the feature or cut drawn; when the gesture is refused (an
// invalid shape) the draft stays, to be mended or dropped with Esc.
func (t *editTool) finish() {
	pts := t.draft
	ok := false
	switch t.e.tool {
	case drawTool:
		ok = t.e.finishDraw(pts)
	case splitTool:
		ok = t.e.finishSplit(orb.LineString(pts))
	}
	if ok {
		t.Cancel()
	}
}

// typedPoint reads a typed position: "X Y" in VN-2000 grid metres (north
// first, as surveyors write); "distance bearing" from the last vertex,
// bearing in degrees from grid north (12.5 or 12°30′ or 12 30 00); a single
// length continuing the previous side.
func (t *editTool) typedPoint(s string) (orb.Point, error) {
	s = strings.TrimSpace(s)
	fields := strings.Fields(s)
	if len(fields) != 1 {
		if p, err := edit.ParseXY(s); err == nil {
			return p, nil
		}
	}
	n := len(t.draft)
	if n == 0 {
		return orb.Point{}, errors.New(tr("place the first vertex, or type its X Y"))
	}
	last := t.draft[n-1]
	if len(fields) == 1 {
		d, err := edit.Number(fields[0])
		if err != nil {
			return orb.Point{}, fmt.Errorf("%q: %s", s, tr("type X Y, distance and bearing (25,37 123°45′06″), or a length"))
		}
		if n < 2 {
			return orb.Point{}, errors.New(tr("a length continues the previous side: place two vertices first"))
		}
		return edit.Polar(last, d, edit.BearingOf(t.draft[n-2], last)), nil
	}
	d, err := edit.Number(fields[0])
	if err != nil {
		return orb.Point{}, fmt.Errorf("%q: %s", s, tr("type X Y, distance and bearing (25,37 123°45′06″), or a length"))
	}
	b, err := edit.ParseBearing(strings.Join(fields[1:], " "))
	if err != nil {
		return orb.Point{}, err
	}
	return edit.Polar(last, d, b), nil
}

// Tapped places a vertex, selects, or chooses a side.
func (t *editTool) Tapped(e *fyne.PointEvent) {
	t.focus()
	ed := t.e
	if ed.sess == nil {
		return
	}
	p := t.at(e.Position)
	switch ed.tool {
	case selectTool, moveTool:
		ed.pick(p, t.mods&(fyne.KeyModifierShift|fyne.KeyModifierControl|fyne.KeyModifierSuper) != 0)
	case drawTool, splitTool:
		t.addVertex(ed.snap(p).Point)
	case vertexTool:
		if id, v, at, ok := ed.sess.VertexNearIn(ed.layer(), p, ed.pickTolerance(), ed.isSelected); ok {
			t.vertex = &grab{id: id, v: v, at: at, to: at}
			ed.Sketch.SetChosen(&at)
			return
		}
		t.vertex = nil
		ed.Sketch.SetChosen(nil)
		ed.pick(p, false)
	case sideTool:
		if len(ed.selected) != 1 {
			return
		}
		f, ok := ed.sess.Feature(gis.LandUseLayer, ed.selected[0])
		if !ok {
			return
		}
		path, after, _, d := edit.NearestEdge(f.Geometry, p)
		if path != 0 || d > 3*ed.pickTolerance() {
			ed.w.Status.Idle(tr("Tap a side of the lot's outline"))
			return
		}
		ed.sideChosen(after)
	}
}

// TappedSecondary opens the context menu of the lot under the pointer.
func (t *editTool) TappedSecondary(e *fyne.PointEvent) {
	if t.e.sess == nil {
		return
	}
	t.e.contextMenu(t.at(e.Position), e.AbsolutePosition)
}

// DoubleTapped ends a feature or cut, or adds a vertex on a side.
func (t *editTool) DoubleTapped(e *fyne.PointEvent) {
	ed := t.e
	if ed.sess == nil {
		return
	}
	p := t.at(e.Position)
	if first := t.downs[0]; t.downs[1] == e.Position && first != (fyne.Position{}) {
		if d := e.Position.Subtract(first); d.X*d.X+d.Y*d.Y > 36 {
			// two quick clicks apart (a fast officer): two taps, not an end
			t.Tapped(&fyne.PointEvent{Position: first})
			t.Tapped(e)
			return
		}
	}
	switch ed.tool {
	case drawTool, splitTool:
		// the double tap ends on the vertex it points at: a new one unless
		// it is (within picking distance) the last placed
		q := ed.snap(p).Point
		if n := len(t.draft); n == 0 || !near(t.draft[n-1], q, ed.pickTolerance()) {
			t.addVertex(q)
		}
		t.finish()
	case vertexTool:
		if len(ed.selected) != 1 {
			return
		}
		id, layer := ed.selected[0], ed.layer()
		f, ok := ed.sess.Feature(layer, id)
		if !ok {
			return
		}
		if _, _, at, d := edit.NearestEdge(f.Geometry, p); d <= ed.pickTolerance() {
			ed.run(func(ctx context.Context) (*plan.Result, error) { return ed.sess.InsertVertex(ctx, layer, id, at) })
		}
	default:
		t.Tapped(e)
	}
}

// Dragged drags a vertex or the selection, else pans the map.
func (t *editTool) Dragged(e *fyne.DragEvent) {
	ed := t.e
	if ed.sess == nil {
		return
	}
	p := t.at(e.Position)
	start := t.at(e.Position.SubtractXY(e.Dragged.DX, e.Dragged.DY))
	switch {
	case t.panning:
	case ed.tool == vertexTool && t.vertex != nil && t.vertex.drag:
		t.dragVertex(p)
		return
	case ed.tool == vertexTool && !t.panning:
		if id, v, at, ok := ed.sess.VertexNearIn(ed.layer(), start, ed.pickTolerance(), ed.isSelected); ok {
			t.vertex = &grab{id: id, v: v, at: at, to: at, drag: true}
			t.dragVertex(p)
			return
		}
	case ed.tool == moveTool && t.moving != nil:
		t.dragMove(p)
		return
	case ed.tool == moveTool:
		if f, ok := ed.sess.FeatureAt(ed.layer(), start, ed.pickTolerance()); ok && contains(ed.selected, f.ID) {
			t.moving = &start
			t.dragMove(p)
			return
		}
	}
	t.panning = true
	ed.w.Map.Dragged(e)
}

// dragVertex shows the lots sharing the dragged corner with it at p
// (snapped), without saving: the edit is made when the drag ends.
func (t *editTool) dragVertex(p orb.Point) {
	ed := t.e
	s := ed.sess.Snap(p, ed.tolerance(), ed.snapLayers(), nil)
	if s.Kind != edit.NoSnap && s.Point == t.vertex.at {
		s = edit.Snap{Point: p} // not onto itself
	}
	t.vertex.to = s.Point
	ed.Sketch.SetSnap(&s)
	ed.Sketch.SetPreview(ed.dragPreview(t.vertex.at, t.vertex.to))
	// the official area of the lot grabbed, as it changes
	if f, ok := ed.sess.Feature(ed.layer(), t.vertex.id); ok && gis.KindOfName(ed.layer()) == gis.AreaKind {
		a := gis.Area(edit.MoveVertex(f.Geometry, t.vertex.v, t.vertex.to))
		ed.w.Status.Idle(ed.statusLine() + " · " + tr("{{.Code}}: {{.A}} m² while dragged", map[string]any{"Code": f.String("maDoiTuong"), "A": num(a, 2)}))
	}
}

// dragMove shows the selection moved from where the drag started to p.
func (t *editTool) dragMove(p orb.Point) {
	ed := t.e
	dx, dy := p[0]-(*t.moving)[0], p[1]-(*t.moving)[1]
	var gs []orb.Geometry
	for _, id := range ed.selected {
		if f, ok := ed.sess.Feature(ed.layer(), id); ok {
			gs = append(gs, edit.Translate(f.Geometry, dx, dy))
		}
	}
	ed.Sketch.SetPreview(gs)
	ed.Sketch.moved = orb.Point{dx, dy}
}

// DragEnd saves a vertex moved or a selection moved as one edit.
func (t *editTool) DragEnd() {
	ed := t.e
	t.panning = false
	switch {
	case t.vertex != nil && t.vertex.drag:
		g := *t.vertex
		t.vertex = nil
		ed.Sketch.SetPreview(nil)
		ed.Sketch.SetSnap(nil)
		if g.to != g.at {
			layer := ed.layer()
			ed.run(func(ctx context.Context) (*plan.Result, error) {
				return ed.sess.MoveVertex(ctx, layer, g.id, g.v, g.to)
			})
		}
	case t.moving != nil:
		d := ed.Sketch.moved
		t.moving = nil
		ed.Sketch.SetPreview(nil)
		ids := append([]string(nil), ed.selected...)
		layer := ed.layer()
		if d != (orb.Point{}) {
			ed.run(func(ctx context.Context) (*plan.Result, error) { return ed.sess.Move(ctx, layer, ids, d[0], d[1]) })
		}
	}
}

// MouseIn implements desktop.Hoverable.
func (t *editTool) MouseIn(e *desktop.MouseEvent) { t.MouseMoved(e) }

// MouseMoved passes the pointer to the map, pulls the rubber band and shows
// what the pointer would snap to.
func (t *editTool) MouseMoved(e *desktop.MouseEvent) {
	t.mods = e.Modifier
	on := *e
	on.Position = e.Position.Subtract(offset(t.e.w.Map, t))
	t.e.w.Map.MouseMoved(&on)
	ed := t.e
	if ed.sess == nil || (ed.tool != drawTool && ed.tool != splitTool) {
		return
	}
	s := ed.snap(t.at(e.Position))
	ed.Sketch.SetSnap(&s)
	if len(t.draft) > 0 {
		ed.Sketch.SetDraft(t.draft, &s.Point, ed.tool == drawTool && gis.KindOfName(ed.layer()) == gis.AreaKind)
	}
}

// MouseDown and MouseUp keep the modifiers (Shift or Ctrl adds to the
// selection).
func (t *editTool) MouseDown(e *desktop.MouseEvent) {
	t.mods = e.Modifier
	t.downs = [2]fyne.Position{t.downs[1], e.Position}
}
func (t *editTool) MouseUp(e *desktop.MouseEvent) { t.mods = e.Modifier }

// MouseOut implements desktop.Hoverable.
func (t *editTool) MouseOut() {
	t.e.w.Map.MouseOut()
	t.e.Sketch.SetSnap(nil)
}

// FocusGained implements fyne.Focusable.
func (t *editTool) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (t *editTool) FocusLost() {}

// TypedRune chooses tools by letter, passes + and − to the map; digits
// start typed input.
func (t *editTool) TypedRune(r rune) {
	ed := t.e
	switch r {
	case 's', 'S':
		ed.SetTool(selectTool)
	case 'd', 'D':
		ed.SetTool(drawTool)
	case 'v', 'V':
		ed.SetTool(vertexTool)
	case 'm', 'M':
		ed.SetTool(moveTool)
	case 'x', 'X':
		ed.SetTool(splitTool)
	case '?':
		ed.help()
	default:
		if (ed.tool == drawTool || ed.tool == splitTool) && (r >= '0' && r <= '9') {
			ed.Input.SetText(string(r))
			ed.Input.CursorColumn = 1
			if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
				c.Focus(ed.Input)
			}
			return
		}
		ed.w.Map.TypedRune(r)
	}
}

// TypedKey ends, shortens or drops what is drawn, deletes, or pans.
func (t *editTool) TypedKey(e *fyne.KeyEvent) {
	if keyBehindDialog(t, e) {
		return
	}
	ed := t.e
	switch e.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		t.finish()
	case fyne.KeyEscape:
		t.Cancel()
		ed.Sketch.SetChosen(nil)
	case fyne.KeyBackspace:
		if n := len(t.draft); n > 0 {
			t.draft = t.draft[:n-1]
			ed.Sketch.SetDraft(t.draft, nil, ed.tool == drawTool && gis.KindOfName(ed.layer()) == gis.AreaKind)
		}
	case fyne.KeyDelete:
		if ed.tool == vertexTool && t.vertex != nil {
			g := *t.vertex
			t.vertex = nil
			ed.Sketch.SetChosen(nil)
			layer := ed.layer()
			ed.run(func(ctx context.Context) (*plan.Result, error) { return ed.sess.DeleteVertex(ctx, layer, g.id, g.v) })
			return
		}
		ed.deleteSelected()
	case fyne.KeyF1:
		ed.help()
	default:
		ed.w.Map.TypedKey(e)
	}
}

// dragPreview is the geometry of every lot sharing the corner at from with
// it moved to to: what the drag will save.
func (e *editor) dragPreview(from, to orb.Point) []orb.Geometry {
	var out []orb.Geometry
	layer := e.layer()
	box := orb.Bound{Min: from, Max: from}.Pad(plan.SharedTolerance)
	for _, f := range e.sess.Near(layer, box) {
		g := f.Geometry
		vs := edit.VerticesAt(g, from, plan.SharedTolerance)
		if len(vs) == 0 {
			continue
		}
		for _, v := range vs {
			g = edit.MoveVertex(g, v, to)
		}
		out = append(out, g)
	}
	return out
}

// near tells whether two ground points are within d metres.
func near(a, b orb.Point, d float64) bool { return math.Hypot(a[0]-b[0], a[1]-b[1]) <= d }
