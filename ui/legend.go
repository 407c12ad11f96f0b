package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
)

// legend lists the land-use classes the map shows, in catalogue order, the
// fixed symbols, and in compare mode the symbols of the changes.
type legend struct {
	widget.BaseWidget
	Box *fyne.Container
	cat *landuse.Catalogue
}

func newLegend(cat *landuse.Catalogue) *legend {
	l := &legend{Box: container.NewVBox(), cat: cat}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer implements fyne.Widget.
func (l *legend) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVScroll(l.Box))
}

// swatch is a small filled square with an outline.
func swatch(fill, stroke color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(fill)
	r.StrokeColor = stroke
	r.StrokeWidth = 1
	r.SetMinSize(fyne.NewSize(22, 14))
	return container.NewCenter(r)
}

// SetScene lists the classes of sc; compared adds the symbols of the changes.
func (l *legend) SetScene(sc *scene.Scene, compared bool) {
	l.Box.RemoveAll()
	shown := map[string]bool{}
	for _, ly := range sc.Layers {
		for i := range ly.Shapes {
			if c := ly.Shapes[i].Class; c != "" {
				shown[c] = true
			}
		}
	}
	heading := func(text string) {
		l.Box.Add(widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	}
	row := func(sw fyne.CanvasObject, text string) {
		label := widget.NewLabel(text)
		label.Wrapping = fyne.TextWrapWord // a long class name wraps in a narrow panel
		l.Box.Add(container.NewBorder(nil, nil, sw, nil, label))
	}
	line := func(c color.NRGBA, text string) { row(swatch(color.Transparent, c), text) }
	heading(tr("Land use"))
	for _, c := range l.cat.Classes() {
		if shown[c.Code] {
			row(swatch(c.RGB, scene.OutlineColor), c.Code+"  "+className(c))
		}
	}
	l.Box.Add(widget.NewSeparator())
	line(scene.BoundaryColor, tr("Plan boundary"))
	line(color.NRGBA{0x80, 0x80, 0x80, 0xff}, tr("Road centre line"))
	if compared {
		l.Box.Add(widget.NewSeparator())
		heading(tr("Changes"))
		line(scene.AddedColor, tr("Added lot"))
		line(scene.RemovedColor, tr("Removed lot"))
		line(scene.OldColor, tr("Modified: old outline"))
		line(scene.NewColor, tr("Modified: new outline"))
		line(scene.LineageColor, tr("Split / merge lineage"))
	}
	l.Box.Refresh()
}
