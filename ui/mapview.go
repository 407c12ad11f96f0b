package ui

import (
	"image"
	"image/color"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis/render"
)

// MapView draws projected map items in one raster, fitted to their extent.
type MapView struct {
	widget.BaseWidget
	raster *canvas.Raster

	mu     sync.Mutex
	items  []render.Item
	extent orb.Bound
	view   render.View // the view of the last frame drawn
}

// NewMapView returns an empty map.
func NewMapView() *MapView {
	m := &MapView{}
	m.raster = canvas.NewRaster(m.draw)
	m.ExtendBaseWidget(m)
	return m
}

// SetItems replaces what the map shows and fits the view to it.
func (m *MapView) SetItems(items []render.Item, extent orb.Bound) {
	m.mu.Lock()
	m.items, m.extent = items, extent
	m.mu.Unlock()
	m.raster.Refresh()
}

// View returns the view of the last frame drawn.
func (m *MapView) View() render.View {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.view
}

// draw renders a frame of w×h pixels (the screen's real pixels, so HiDPI is crisp).
func (m *MapView) draw(w, h int) image.Image {
	m.mu.Lock()
	items, extent := m.items, m.extent
	m.mu.Unlock()
	if w <= 0 || h <= 0 {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	v := render.Fit(extent, w, h, 16)
	c := render.NewCanvas(v, color.NRGBA{0xf7, 0xf7, 0xf2, 0xff})
	c.Draw(items)
	m.mu.Lock()
	m.view = v
	m.mu.Unlock()
	return c.Dst
}

// CreateRenderer implements fyne.Widget.
func (m *MapView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(m.raster)
}

// MinSize keeps the map usable when the window is small.
func (m *MapView) MinSize() fyne.Size { return fyne.NewSize(320, 240) }
