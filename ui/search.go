package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/scene"
)

// searchPanel finds lots of the shown plan by code or name, accents
// ignored ("dong dang" finds "Đồng Đăng").
type searchPanel struct {
	widget.BaseWidget
	Entry   *escEntry
	Results *widget.List
	Hits    []scene.Hit
	scene   *scene.Scene
	// OnPick is called with the lot chosen from the results.
	OnPick func(*scene.Shape)
}

func newSearchPanel() *searchPanel {
	p := &searchPanel{Entry: newEntry()}
	p.Entry.SetPlaceHolder(tr("Find a lot by code or name"))
	p.Entry.OnChanged = func(string) { p.search() }
	p.Entry.OnSubmitted = func(string) {
		if len(p.Hits) > 0 {
			p.Results.Select(0)
		}
	}
	p.Results = widget.NewList(func() int { return len(p.Hits) },
		cellLabel,
		func(i widget.ListItemID, o fyne.CanvasObject) {
			f := p.Hits[i].Shape().Feature
			o.(*widget.Label).SetText(f.String("maDoiTuong") + " — " + f.String("tenDoiTuong"))
		})
	p.Results.OnSelected = func(i widget.ListItemID) {
		if p.OnPick != nil {
			p.OnPick(p.Hits[i].Shape())
		}
	}
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *searchPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(p.Entry, nil, nil, nil, p.Results))
}

// SetScene searches sc from now on, and again for the query typed.
func (p *searchPanel) SetScene(sc *scene.Scene) {
	p.scene = sc
	p.search()
}

func (p *searchPanel) search() {
	p.Hits = nil
	if q := p.Entry.Text; p.scene != nil && strings.TrimSpace(q) != "" {
		p.Hits = p.scene.Search(q, 200)
	}
	p.Results.UnselectAll()
	p.Results.Refresh()
}
