package ui

import (
	"image"
	"image/color"
	"math"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	xdraw "golang.org/x/image/draw"

	"quyhoach/gis/render"
	"quyhoach/gis/scene"
)

// Background is the paper colour of the map.
var Background = color.NRGBA{0xf7, 0xf7, 0xf2, 0xff}

// Highlight strokes of the map.
var (
	SelectStroke = scene.Stroke{Color: color.NRGBA{0x00, 0xe5, 0xff, 0xff}, Width: 3}
	HoverStroke  = scene.Stroke{Color: color.NRGBA{0xff, 0xff, 0x00, 0xff}, Width: 2}
)

// MapView is the interactive map: one canvas.Raster showing the last frame
// rendered off the UI goroutine. Drag or arrow keys pan, the wheel zooms
// about the cursor, + and − zoom about the centre, a tap selects the lot
// under the cursor.
type MapView struct {
	widget.BaseWidget
	raster *canvas.Raster

	// OnSelect is called (UI goroutine) when a tap selects a lot, or nil.
	OnSelect func(*scene.Shape)
	// OnCursor is called with the projected point under the mouse.
	OnCursor func(orb.Point)
	// OnView is called after the view changed (pan, zoom, resize).
	OnView func()
	// Rendered is called (UI goroutine) when a new frame is ready; for tests.
	Rendered func()

	mu       sync.Mutex
	scene    *scene.Scene
	overview *scene.Preview // shown while scene is empty: a large version's stored overview
	opts     scene.Options
	gen      int       // bumped when the scene, options or highlights change
	center   orb.Point // projected point at the widget's centre
	res      float64   // metres per Fyne unit; 0 until fitted
	pending  *orb.Bound
	// fitTo is the extent fitted before the map was first painted
	// (painted): made again at each size the map is given until then, as
	// the window lays it out at its least size before it is shown
	fitTo    *orb.Bound
	painted  bool
	size     fyne.Size
	ratio    float64 // device pixels per Fyne unit, from the raster
	dpi      float64 // the screen's device pixels per inch; 0: nominal
	frame    *image.RGBA
	frameV   render.View
	frameGen int
	frameHi  int
	hgen     int // bumped when the highlights (selection, hover) change
	// base is the last frame without highlights: a hover or selection is
	// drawn over a copy of it instead of redrawing the map.
	base     *image.RGBA
	baseV    render.View
	baseGen  int
	want     *job
	busy     bool
	selected *scene.Shape
	hover    *scene.Shape
	// swipe: left of the divider the before scene, right the after scene
	swipeL, swipeR *scene.Scene
	swipeAt        float64 // divider as a fraction of the width; 0: off
	// images are recycled: one the raster no longer shows (Fyne uploads
	// what draw returns before it calls draw again) and that is not the
	// last frame can be drawn into again, so panning does not churn memory.
	shown image.Image
	pool  []*image.RGBA
}

// bufferLocked returns a w×h image to draw on, recycled when possible.
func (m *MapView) bufferLocked(w, h int) *image.RGBA {
	for i, b := range m.pool {
		if b.Rect.Dx() == w && b.Rect.Dy() == h {
			m.pool = append(m.pool[:i], m.pool[i+1:]...)
			return b
		}
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// recycleLocked keeps b for reuse unless it is shown or is the last frame.
func (m *MapView) recycleLocked(b image.Image) {
	img, ok := b.(*image.RGBA)
	if !ok || img == nil || img == m.frame || img == m.base || b == m.shown {
		return
	}
	if len(m.pool) < 3 {
		m.pool = append(m.pool, img)
	}
}

type job struct {
	v       render.View
	gen, hi int
}

// NewMapView returns an empty map.
func NewMapView() *MapView {
	m := &MapView{ratio: 1}
	m.raster = canvas.NewRaster(m.draw)
	m.ExtendBaseWidget(m)
	return m
}

// CreateRenderer implements fyne.Widget.
func (m *MapView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

// MinSize keeps the map usable when the window is small.
func (m *MapView) MinSize() fyne.Size { return fyne.NewSize(160, 120) }

// Resize keeps the centre and scale; a pending fit is applied once sized,
// a fit made before the first paint again. (A window resized later keeps
// the view the officer has, fitted or not.)
func (m *MapView) Resize(s fyne.Size) {
	m.mu.Lock()
	m.size = s
	switch {
	case m.pending != nil && s.Width > 0 && s.Height > 0:
		m.fitLocked(*m.pending)
		m.pending = nil
	case m.fitTo != nil && !m.painted:
		m.fitLocked(*m.fitTo)
	}
	m.mu.Unlock()
	m.BaseWidget.Resize(s)
	m.changed()
}

// SetScene replaces what the map shows. With fit, the view is fitted to the
// scene's extent; otherwise it stays (to flip between versions of a plan).
func (m *MapView) SetScene(s *scene.Scene, fit bool) {
	m.mu.Lock()
	m.scene, m.overview = s, nil
	m.selected, m.hover = nil, nil
	m.swipeL, m.swipeR, m.swipeAt = nil, nil, 0
	m.gen++
	if (fit || m.res == 0) && s != nil && !s.Empty() {
		m.fitLocked(s.Extent)
	}
	m.startLocked()
	m.mu.Unlock()
	m.changed()
}

// ShowOverview shows p, fitted, until a scene is set: a large version's
// stored overview while its lots are read (ui/preview.go).
func (m *MapView) ShowOverview(p *scene.Preview) {
	m.mu.Lock()
	m.overview = p
	m.gen++
	m.fitLocked(p.Extent)
	m.startLocked()
	m.mu.Unlock()
	m.changed()
}

// startLocked starts drawing the view at the map's size (in device pixels
// as last painted) without waiting for the next paint to ask for it. A
// paint at another size or view asks again; before the first paint the
// size is not the map's yet.
func (m *MapView) startLocked() {
	if !m.painted || m.size.Width <= 0 || m.size.Height <= 0 || m.res == 0 {
		return
	}
	w, h := int(math.Round(float64(m.size.Width)*m.ratio)), int(math.Round(float64(m.size.Height)*m.ratio))
	m.want = &job{v: m.viewLocked(w, h), gen: m.gen, hi: m.hgen}
	if !m.busy {
		m.busy = true
		go m.worker()
	}
}

// showsOverview reports whether a stored overview is on the map.
func (m *MapView) showsOverview() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.overview != nil
}

// dropOverview takes the stored overview shown, if any, off the map.
func (m *MapView) dropOverview() {
	m.mu.Lock()
	had := m.overview != nil
	if had {
		m.overview = nil
		m.gen++
	}
	m.mu.Unlock()
	if had {
		m.changed()
	}
}

// Redraw draws the scene shown again: it was completed in place
// (scene.Scene.Complete), so the frames made before are stale.
func (m *MapView) Redraw() {
	m.mu.Lock()
	m.gen++
	m.mu.Unlock()
	m.changed()
}

// Scene returns the scene shown.
func (m *MapView) Scene() *scene.Scene {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.scene
}

// SetOptions sets how layers are drawn (visibility, opacity, order, font).
func (m *MapView) SetOptions(o scene.Options) {
	m.mu.Lock()
	m.opts = o
	m.gen++
	m.mu.Unlock()
	m.changed()
}

// Options returns the drawing options.
func (m *MapView) Options() scene.Options {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.opts
}

// fitLocked fits b into the widget with a margin of 16 units; without a size
// yet, the fit waits for the first Resize.
func (m *MapView) fitLocked(b orb.Bound) {
	w, h := float64(m.size.Width)-32, float64(m.size.Height)-32
	if w <= 0 || h <= 0 {
		m.pending = &b
		m.center = b.Center()
		if m.res == 0 {
			m.res = 1
		}
		return
	}
	m.center = b.Center()
	m.res = math.Max((b.Max[0]-b.Min[0])/w, (b.Max[1]-b.Min[1])/h)
	if m.res <= 0 {
		m.res = 0.05 // a point: 5 cm per unit
	}
	if !m.painted {
		m.fitTo = &b
	}
}

// ZoomTo fits the projected bound b in the view.
func (m *MapView) ZoomTo(b orb.Bound) {
	m.mu.Lock()
	m.fitLocked(b)
	m.mu.Unlock()
	m.changed()
}

// ZoomToPlan fits the whole scene.
func (m *MapView) ZoomToPlan() {
	if s := m.Scene(); s != nil && !s.Empty() {
		m.ZoomTo(s.Extent)
	}
}

// ZoomToSelection fits the selected lot, if any.
func (m *MapView) ZoomToSelection() {
	if sh := m.Selected(); sh != nil {
		m.ZoomTo(sh.Bound.Pad(math.Max(sh.Bound.Max[0]-sh.Bound.Min[0], sh.Bound.Max[1]-sh.Bound.Min[1]) * 0.5))
	}
}

// Center returns the projected point at the centre and the resolution in
// metres per Fyne unit.
func (m *MapView) Center() (orb.Point, float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.center, m.res
}

// SetCenter moves the view.
func (m *MapView) SetCenter(c orb.Point, res float64) {
	m.mu.Lock()
	m.center, m.fitTo = c, nil // a view asked for: no longer a fit
	if res > 0 {
		m.res = res
	}
	m.mu.Unlock()
	m.changed()
}

// PointAt returns the projected point under position pos of the widget.
func (m *MapView) PointAt(pos fyne.Position) orb.Point {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pointLocked(pos)
}

func (m *MapView) pointLocked(pos fyne.Position) orb.Point {
	return orb.Point{
		m.center[0] + (float64(pos.X)-float64(m.size.Width)/2)*m.res,
		m.center[1] - (float64(pos.Y)-float64(m.size.Height)/2)*m.res,
	}
}

// PositionOf returns the widget position of projected point p.
func (m *MapView) PositionOf(p orb.Point) fyne.Position {
	m.mu.Lock()
	defer m.mu.Unlock()
	return fyne.NewPos(float32(float64(m.size.Width)/2+(p[0]-m.center[0])/m.res),
		float32(float64(m.size.Height)/2-(p[1]-m.center[1])/m.res))
}

// SetDPI sets the screen's real resolution in device pixels per inch for
// ScaleDenominator; 0 means Fyne's nominal 96 dpi per unit.
func (m *MapView) SetDPI(dpi float64) {
	m.mu.Lock()
	m.dpi = dpi
	m.mu.Unlock()
}

// ScaleDenominator is N of the scale 1:N on screen. With the screen's DPI
// set, a device pixel is 1/DPI inch; otherwise a Fyne unit is taken as
// 1/96 inch (Fyne scales units to the monitor's DPI).
func (m *MapView) ScaleDenominator() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dpi > 0 && m.ratio > 0 {
		return m.res / m.ratio / (0.0254 / m.dpi)
	}
	return m.res / (0.0254 / 96)
}

// View returns the pixel view for a raster of w×h device pixels.
func (m *MapView) View(w, h int) render.View {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.viewLocked(w, h)
}

func (m *MapView) viewLocked(w, h int) render.View {
	scale := m.res
	if m.size.Width > 0 {
		scale = m.res * float64(m.size.Width) / float64(w)
	}
	return render.View{Center: m.center, Scale: scale, Width: w, Height: h}
}

// pan moves the view by dx, dy Fyne units (content follows the pointer).
func (m *MapView) pan(dx, dy float32) {
	m.mu.Lock()
	m.center = orb.Point{m.center[0] - float64(dx)*m.res, m.center[1] + float64(dy)*m.res}
	m.fitTo = nil
	m.mu.Unlock()
	m.changed()
}

// zoom multiplies the resolution by k (k < 1 zooms in) keeping the point
// under pos fixed.
func (m *MapView) zoom(k float64, pos fyne.Position) {
	m.mu.Lock()
	if m.res == 0 {
		m.mu.Unlock()
		return
	}
	p := m.pointLocked(pos)
	m.res = math.Min(math.Max(m.res*k, 0.001), 1e5)
	q := m.pointLocked(pos)
	m.center = orb.Point{m.center[0] + p[0] - q[0], m.center[1] + p[1] - q[1]}
	m.fitTo = nil
	m.mu.Unlock()
	m.changed()
}

// ZoomIn and ZoomOut zoom about the centre by a factor of 2.
func (m *MapView) ZoomIn()  { m.zoom(0.5, m.mid()) }
func (m *MapView) ZoomOut() { m.zoom(2, m.mid()) }

func (m *MapView) mid() fyne.Position {
	s := m.Size()
	return fyne.NewPos(s.Width/2, s.Height/2)
}

func (m *MapView) changed() {
	m.raster.Refresh()
	if m.OnView != nil {
		m.OnView()
	}
}

// Dragged pans by exactly the dragged distance.
func (m *MapView) Dragged(e *fyne.DragEvent) { m.pan(e.Dragged.DX, e.Dragged.DY) }

// DragEnd implements fyne.Draggable.
func (m *MapView) DragEnd() {}

// Scrolled zooms about the cursor: a wheel notch (25 units from Fyne's
// desktop driver) zooms by √2, trackpads (finer deltas) smoothly.
func (m *MapView) Scrolled(e *fyne.ScrollEvent) {
	if e.Scrolled.DY == 0 {
		return
	}
	m.zoom(math.Pow(2, -float64(e.Scrolled.DY)/50), e.Position)
}

// Tapped selects the lot under the pointer (or none) and takes the focus
// for the keyboard.
func (m *MapView) Tapped(e *fyne.PointEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(m); c != nil {
		c.Focus(m)
	}
	p := m.PointAt(e.Position)
	var sh *scene.Shape
	if s := m.Scene(); s != nil {
		if l, i, ok := s.Pick(p); ok {
			sh = &l.Shapes[i]
		}
	}
	m.Select(sh)
	if m.OnSelect != nil {
		m.OnSelect(sh)
	}
}

// Select highlights a shape (nil: none).
func (m *MapView) Select(sh *scene.Shape) {
	m.mu.Lock()
	m.selected = sh
	m.hgen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// Selected returns the selected shape, or nil.
func (m *MapView) Selected() *scene.Shape {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.selected
}

// Hovered returns the shape under the mouse, or nil.
func (m *MapView) Hovered() *scene.Shape {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hover
}

// MouseIn implements desktop.Hoverable.
func (m *MapView) MouseIn(e *desktop.MouseEvent) { m.MouseMoved(e) }

// MouseMoved reports the cursor and highlights the lot under it.
func (m *MapView) MouseMoved(e *desktop.MouseEvent) {
	p := m.PointAt(e.Position)
	if m.OnCursor != nil && m.Scene() != nil { // no plan drawn: no ground under the mouse
		m.OnCursor(p)
	}
	var sh *scene.Shape
	if s := m.Scene(); s != nil {
		if l, i, ok := s.Pick(p); ok {
			sh = &l.Shapes[i]
		}
	}
	m.mu.Lock()
	if sh == m.hover {
		m.mu.Unlock()
		return
	}
	m.hover = sh
	m.hgen++
	m.mu.Unlock()
	m.raster.Refresh()
}

// MouseOut implements desktop.Hoverable.
func (m *MapView) MouseOut() {
	m.mu.Lock()
	changed := m.hover != nil
	m.hover = nil
	if changed {
		m.hgen++
	}
	m.mu.Unlock()
	if changed {
		m.raster.Refresh()
	}
}

// FocusGained implements fyne.Focusable.
func (m *MapView) FocusGained() {}

// FocusLost implements fyne.Focusable.
func (m *MapView) FocusLost() {}

// TypedRune zooms with + and −.
func (m *MapView) TypedRune(r rune) {
	switch r {
	case '+', '=':
		m.ZoomIn()
	case '-', '−', '_':
		m.ZoomOut()
	}
}

// TypedKey pans with the arrow keys by an eighth of the view.
func (m *MapView) TypedKey(e *fyne.KeyEvent) {
	if keyBehindDialog(m, e) {
		return
	}
	s := m.Size()
	dx, dy := s.Width/8, s.Height/8
	switch e.Name {
	case fyne.KeyLeft:
		m.pan(dx, 0)
	case fyne.KeyRight:
		m.pan(-dx, 0)
	case fyne.KeyUp:
		m.pan(0, dy)
	case fyne.KeyDown:
		m.pan(0, -dy)
	case fyne.KeyPlus, fyne.KeyEqual:
		m.ZoomIn()
	case fyne.KeyMinus:
		m.ZoomOut()
	case fyne.KeyHome:
		m.ZoomToPlan()
	}
}

// Render draws a frame of w×h device pixels synchronously (what the
// background renderer does; used by tests and exports).
func (m *MapView) Render(w, h int) *image.RGBA {
	m.mu.Lock()
	v := m.viewLocked(w, h)
	m.mu.Unlock()
	img, _, _ := m.renderView(v)
	return img
}

// renderView draws the scene (or the swipe pair) in view v with the
// highlights, and returns the generations it drew. The map without
// highlights is kept as the base of the next frame of the same view.
func (m *MapView) renderView(v render.View) (*image.RGBA, int, int) {
	m.mu.Lock()
	gen, hi := m.gen, m.hgen
	o := m.optionsLocked(float64(v.Width) / math.Max(1, float64(m.size.Width)))
	img := m.bufferLocked(v.Width, v.Height)
	if m.base != nil && m.baseV == v && m.baseGen == gen {
		copy(img.Pix, m.base.Pix)
		m.mu.Unlock()
		scene.DrawHighlights(img, v, o)
		return img, gen, hi
	}
	s, ov := m.scene, m.overview
	left, right, at := m.swipeL, m.swipeR, m.swipeAt
	b := m.bufferLocked(v.Width, v.Height)
	m.mu.Unlock()
	bo := o
	bo.Highlight = nil
	if at > 0 && left != nil && right != nil {
		right.Render(b, v, bo)
		m.mu.Lock()
		under := m.bufferLocked(v.Width, v.Height)
		m.mu.Unlock()
		left.Render(under, v, bo)
		x := int(math.Round(at * float64(v.Width)))
		xdraw.Draw(b, image.Rect(0, 0, x, v.Height), under, image.Point{}, xdraw.Src)
		xdraw.Draw(b, image.Rect(x-1, 0, x+1, v.Height), image.NewUniform(color.NRGBA{0x20, 0x20, 0x20, 0xff}), image.Point{}, xdraw.Src)
		m.mu.Lock()
		m.recycleLocked(under)
		m.mu.Unlock()
	} else if ov != nil && s.Empty() {
		ov.Render(b, v, bo)
	} else {
		if s == nil {
			s = scene.New()
		}
		s.Render(b, v, bo)
	}
	m.mu.Lock()
	old := m.base
	m.base, m.baseV, m.baseGen = b, v, gen
	m.recycleLocked(old)
	copy(img.Pix, b.Pix)
	m.mu.Unlock()
	scene.DrawHighlights(img, v, o)
	return img, gen, hi
}

// SetSwipe shows before left of the divider and after right of it, the
// divider at fraction at of the width; at ≤ 0 turns the swipe off.
func (m *MapView) SetSwipe(before, after *scene.Scene, at float64) {
	m.mu.Lock()
	m.swipeL, m.swipeR, m.swipeAt = before, after, at
	m.gen++
	m.mu.Unlock()
	m.raster.Refresh()
}

func (m *MapView) optionsLocked(ratio float64) scene.Options {
	o := m.opts
	o.Background = Background
	if ratio > 0 {
		o.PixelRatio = ratio
	}
	o.Highlight = nil
	if m.hover != nil && m.hover != m.selected {
		o.Highlight = append(o.Highlight, scene.Highlight{Shape: m.hover, Stroke: HoverStroke})
	}
	if m.selected != nil {
		o.Highlight = append(o.Highlight, scene.Highlight{Shape: m.selected, Stroke: SelectStroke})
	}
	return o
}

// draw is the raster's callback: the last finished frame, shifted and
// scaled to the current view while a new one renders in the background.
// It draws map content itself only for the first paint of a stored
// overview.
func (m *MapView) draw(w, h int) image.Image {
	if w <= 0 || h <= 0 {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.size.Width > 0 {
		m.ratio = float64(w) / float64(m.size.Width)
	}
	if m.pending != nil {
		m.fitLocked(*m.pending)
		m.pending = nil
	}
	v := m.viewLocked(w, h)
	first := !m.painted
	m.painted, m.fitTo = true, nil
	var out image.Image
	switch {
	case m.frame != nil && m.frameV == v && m.frameGen == m.gen && m.frameHi == m.hgen:
		out = m.frame
	case first && m.overview != nil && m.scene.Empty() && m.swipeAt == 0:
		// The window's first paint of a stored overview draws it here:
		// a resampling of a small image (tens of milliseconds, once), and
		// the window opens on the plan rather than on paper.
		img := m.bufferLocked(v.Width, v.Height)
		m.overview.Render(img, v, m.optionsLocked(float64(w)/math.Max(1, float64(m.size.Width))))
		old := m.frame
		m.frame, m.frameV, m.frameGen, m.frameHi = img, v, m.gen, m.hgen
		m.recycleLocked(old)
		out = img
		go onUI(func() { // from another goroutine: queued, never run inside this paint
			if m.Rendered != nil {
				m.Rendered()
			}
		})
	default:
		m.want = &job{v: v, gen: m.gen, hi: m.hgen}
		if !m.busy {
			m.busy = true
			go m.worker()
		}
		out = m.preview(v)
	}
	old := m.shown
	m.shown = out
	if old != out {
		m.recycleLocked(old)
	}
	return out
}

// preview returns the last frame moved and scaled to view v.
func (m *MapView) preview(v render.View) image.Image {
	dst := m.bufferLocked(v.Width, v.Height)
	xdraw.Draw(dst, dst.Bounds(), image.NewUniform(Background), image.Point{}, xdraw.Src)
	f := m.frame
	if f == nil {
		return dst
	}
	// where the old frame's corners fall in the new view
	x0, y0 := v.Pixel(m.frameV.Point(0, 0))
	x1, y1 := v.Pixel(m.frameV.Point(float64(m.frameV.Width), float64(m.frameV.Height)))
	r := image.Rect(int(math.Round(x0)), int(math.Round(y0)), int(math.Round(x1)), int(math.Round(y1)))
	if r.Dx() == f.Bounds().Dx() && r.Dy() == f.Bounds().Dy() {
		xdraw.Draw(dst, r, f, image.Point{}, xdraw.Src)
	} else if r.Dx() > 0 && r.Dy() > 0 && r.Dx() < 16*v.Width {
		xdraw.NearestNeighbor.Scale(dst, r, f, f.Bounds(), xdraw.Src, nil)
	}
	return dst
}

// worker renders the wanted frames one after another off the UI goroutine.
func (m *MapView) worker() {
	for {
		m.mu.Lock()
		j := m.want
		m.want = nil
		if j == nil {
			m.busy = false
			m.mu.Unlock()
			return
		}
		m.mu.Unlock()
		img, gen, hi := m.renderView(j.v)
		m.mu.Lock()
		old := m.frame
		m.frame, m.frameV, m.frameGen, m.frameHi = img, j.v, gen, hi
		m.recycleLocked(old)
		m.mu.Unlock()
		onUI(func() {
			m.raster.Refresh()
			if m.Rendered != nil {
				m.Rendered()
			}
		})
	}
}

// frameEmpty reports whether the last finished frame showed no scene (nor
// a stored overview).
func (m *MapView) frameEmpty() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.frame == nil || m.frameGen != m.gen || m.scene.Empty() && m.overview == nil
}

// frameOfLots reports whether the last finished frame drew the scene's
// lots (not a stored overview in their place).
func (m *MapView) frameOfLots() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.frame != nil && m.frameGen == m.gen && !m.scene.Empty()
}
