package ui

import (
	"encoding/json"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/scene"
)

// layerPrefs is how the layers of a plan are drawn, kept in Preferences.
type layerPrefs struct {
	Order   []string           `json:"order"`
	Hidden  map[string]bool    `json:"hidden"`
	Opacity map[string]float64 `json:"opacity"`
}

// layersPanel lists the shown plan's layers, top layer first, with
// visibility, opacity and order, remembered per plan in prefs.
type layersPanel struct {
	widget.BaseWidget
	Box   *fyne.Container
	prefs fyne.Preferences
	code  string // the plan whose layers are listed
	scene *scene.Scene
	p     layerPrefs
	// OnChange is called with the plan's layer settings when the user changes them.
	OnChange func(layerPrefs)
}

func newLayersPanel(prefs fyne.Preferences) *layersPanel {
	l := &layersPanel{Box: container.NewVBox(), prefs: prefs}
	l.ExtendBaseWidget(l)
	return l
}

// CreateRenderer implements fyne.Widget.
func (l *layersPanel) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVScroll(l.Box))
}

// Prefs returns a plan's remembered layer settings.
func (l *layersPanel) Prefs(code string) layerPrefs {
	var p layerPrefs
	_ = json.Unmarshal([]byte(l.prefs.String(prefLayers+code)), &p)
	if p.Hidden == nil {
		p.Hidden = map[string]bool{}
	}
	if p.Opacity == nil {
		p.Opacity = map[string]float64{}
	}
	return p
}

// SetScene lists the layers of plan code's scene.
func (l *layersPanel) SetScene(code string, sc *scene.Scene) {
	l.code, l.scene, l.p = code, sc, l.Prefs(code)
	l.fill()
}

// changed remembers the settings and reports them.
func (l *layersPanel) changed() {
	b, _ := json.Marshal(l.p)
	l.prefs.SetString(prefLayers+l.code, string(b))
	if l.OnChange != nil {
		l.OnChange(l.p)
	}
}

// order is the drawing order of the scene's layers: the remembered order,
// then layers it does not name, in the scene's order.
func (l *layersPanel) order() []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range l.p.Order {
		if l.scene.Layer(n) != nil && !seen[n] {
			out, seen[n] = append(out, n), true
		}
	}
	for _, ly := range l.scene.Layers {
		if !seen[ly.Name] {
			out, seen[ly.Name] = append(out, ly.Name), true
		}
	}
	return out
}

func (l *layersPanel) fill() {
	l.Box.RemoveAll()
	order := l.order()
	for i := len(order) - 1; i >= 0; i-- {
		l.Box.Add(l.row(order, i))
	}
	l.Box.Refresh()
}

// row is one layer's visibility check, up/down buttons and opacity slider.
func (l *layersPanel) row(order []string, i int) fyne.CanvasObject {
	name := order[i]
	vis := widget.NewCheck(name, func(on bool) {
		if on {
			delete(l.p.Hidden, name)
		} else {
			l.p.Hidden[name] = true
		}
		l.changed()
	})
	vis.SetChecked(!l.p.Hidden[name])
	op := widget.NewSlider(0, 1)
	op.Step = 0.05
	op.Value = 1
	if v, ok := l.p.Opacity[name]; ok {
		op.Value = v
	}
	op.OnChangeEnded = func(v float64) {
		l.p.Opacity[name] = math.Round(v*100) / 100
		l.changed()
	}
	move := func(d int) func() {
		return func() {
			j := i + d
			if j < 0 || j >= len(order) {
				return
			}
			order[i], order[j] = order[j], order[i]
			l.p.Order = append([]string(nil), order...)
			l.changed()
			l.fill()
		}
	}
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), move(+1))
	down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), move(-1))
	return container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(up, down), vis),
		container.NewBorder(nil, nil, widget.NewLabel(tr("Opacity")), nil, op), widget.NewSeparator())
}
