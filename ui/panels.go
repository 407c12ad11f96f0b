package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
)

// swatch is a small filled square with an outline.
func swatch(fill, stroke color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(fill)
	r.StrokeColor = stroke
	r.StrokeWidth = 1
	r.SetMinSize(fyne.NewSize(22, 14))
	return container.NewCenter(r)
}

// fillLegend lists the land-use classes the scene shows, in catalogue order,
// and the compare-mode symbols when comparing.
func (w *Window) fillLegend(sc *scene.Scene) {
	w.Legend.RemoveAll()
	shown := map[string]bool{}
	for _, l := range sc.Layers {
		for i := range l.Shapes {
			if c := l.Shapes[i].Class; c != "" {
				shown[c] = true
			}
		}
	}
	w.Legend.Add(widget.NewLabelWithStyle(tr("Land use"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for _, c := range w.cat.Classes() {
		if !shown[c.Code] {
			continue
		}
		name := c.NameVI
		if Lang() == "en" {
			name = c.NameEN
		}
		w.Legend.Add(container.NewBorder(nil, nil, swatch(c.RGB, scene.OutlineColor), nil, widget.NewLabel(c.Code+"  "+name)))
	}
	w.Legend.Add(widget.NewSeparator())
	line := func(c color.NRGBA, text string) {
		w.Legend.Add(container.NewBorder(nil, nil, swatch(color.Transparent, c), nil, widget.NewLabel(text)))
	}
	line(scene.BoundaryColor, tr("Plan boundary"))
	line(color.NRGBA{0x80, 0x80, 0x80, 0xff}, tr("Road centre line"))
	if w.compared {
		w.Legend.Add(widget.NewSeparator())
		w.Legend.Add(widget.NewLabelWithStyle(tr("Changes"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		line(scene.AddedColor, tr("Added lot"))
		line(scene.RemovedColor, tr("Removed lot"))
		line(scene.OldColor, tr("Modified: old outline"))
		line(scene.NewColor, tr("Modified: new outline"))
		line(scene.LineageColor, tr("Split / merge lineage"))
	}
	w.Legend.Refresh()
}

// layerPrefs is how the layers of a plan are drawn, kept in Preferences.
type layerPrefs struct {
	Order   []string           `json:"order"`
	Hidden  map[string]bool    `json:"hidden"`
	Opacity map[string]float64 `json:"opacity"`
}

func (w *Window) loadLayerPrefs(code string) layerPrefs {
	var p layerPrefs
	_ = json.Unmarshal([]byte(w.app.Preferences().String(prefLayers+code)), &p)
	if p.Hidden == nil {
		p.Hidden = map[string]bool{}
	}
	if p.Opacity == nil {
		p.Opacity = map[string]float64{}
	}
	return p
}

func (w *Window) saveLayerPrefs(code string, p layerPrefs) {
	b, _ := json.Marshal(p)
	w.app.Preferences().SetString(prefLayers+code, string(b))
}

// applyLayerPrefs sets the map's options from the plan's remembered layers.
func (w *Window) applyLayerPrefs(sc *scene.Scene) {
	p := w.loadLayerPrefs(w.plan)
	o := w.Map.Options()
	o.Order, o.Hidden, o.Opacity, o.Font = p.Order, p.Hidden, p.Opacity, w.font
	w.Map.SetOptions(o)
}

// layerOrder is the drawing order of the scene's layers under prefs p.
func layerOrder(sc *scene.Scene, p layerPrefs) []string {
	var out []string
	seen := map[string]bool{}
	for _, n := range p.Order {
		if sc.Layer(n) != nil && !seen[n] {
			out, seen[n] = append(out, n), true
		}
	}
	for _, l := range sc.Layers {
		if !seen[l.Name] {
			out, seen[l.Name] = append(out, l.Name), true
		}
	}
	return out
}

// fillLayers builds the layers panel: top layer first, with visibility,
// opacity and order, remembered per plan.
func (w *Window) fillLayers(sc *scene.Scene) {
	w.LayerPanel.RemoveAll()
	code := w.plan
	p := w.loadLayerPrefs(code)
	order := layerOrder(sc, p)
	apply := func() {
		w.saveLayerPrefs(code, p)
		w.applyLayerPrefs(sc)
	}
	for i := len(order) - 1; i >= 0; i-- {
		name := order[i]
		idx := i
		vis := widget.NewCheck(name, func(on bool) {
			p.Hidden[name] = !on
			if on {
				delete(p.Hidden, name)
			}
			apply()
		})
		vis.SetChecked(!p.Hidden[name])
		op := widget.NewSlider(0, 1)
		op.Step = 0.05
		op.Value = 1
		if v, ok := p.Opacity[name]; ok {
			op.Value = v
		}
		op.OnChangeEnded = func(v float64) {
			p.Opacity[name] = math.Round(v*100) / 100
			apply()
		}
		move := func(d int) func() {
			return func() {
				j := idx + d
				if j < 0 || j >= len(order) {
					return
				}
				order[idx], order[j] = order[j], order[idx]
				p.Order = append([]string(nil), order...)
				apply()
				w.fillLayers(sc)
			}
		}
		up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), move(+1))
		down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), move(-1))
		w.LayerPanel.Add(container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(up, down), vis),
			container.NewBorder(nil, nil, widget.NewLabel(tr("Opacity")), nil, op), widget.NewSeparator()))
	}
	w.LayerPanel.Refresh()
}

// findingsPanel runs topo.Check on the shown state and lists its findings.
type findingsPanel struct {
	w     *Window
	box   fyne.CanvasObject
	Run   *widget.Button
	List  *widget.List
	Items []topo.Finding
	label *widget.Label
}

func newFindingsPanel(w *Window) *findingsPanel {
	f := &findingsPanel{w: w}
	f.Run = widget.NewButtonWithIcon(tr("Check topology and attributes"), theme.SearchIcon(), f.check)
	f.label = widget.NewLabel("")
	f.List = widget.NewList(func() int { return len(f.Items) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			it := f.Items[i]
			text := it.Kind
			if it.AreaM2 > 0 {
				text += fmt.Sprintf(" · %s m²", gis.FormatVN(it.AreaM2, 2))
			}
			l := o.(*widget.Label)
			l.Truncation = fyne.TextTruncateEllipsis
			l.SetText(text + " · " + it.Message)
		})
	f.List.OnSelected = func(i widget.ListItemID) { f.zoom(f.Items[i]) }
	f.box = container.NewBorder(container.NewVBox(f.Run, f.label), nil, nil, nil, f.List)
	return f
}

func (f *findingsPanel) clear() {
	f.Items = nil
	f.label.SetText("")
	f.List.UnselectAll()
	f.List.Refresh()
}

// check runs the topology and rules check in the background.
func (f *findingsPanel) check() {
	w := f.w
	if w.snap == nil {
		return
	}
	var lots []gis.Feature
	var boundary orb.MultiPolygon
	for _, l := range w.layers {
		switch l.Name {
		case LandUseLayer:
			lots = l.Features
		case BoundaryLayer:
			for _, ft := range l.Features {
				switch g := ft.Geometry.(type) {
				case orb.Polygon:
					boundary = append(boundary, g)
				case orb.MultiPolygon:
					boundary = append(boundary, g...)
				}
			}
		}
	}
	var bnd orb.Geometry
	if len(boundary) > 0 {
		bnd = boundary
	}
	status := w.Status.Text
	w.run(tr("Checking…"), "check", func(ctx context.Context) (func(), error) {
		res, err := topo.Check(ctx, lots, bnd, topo.Options{
			Tolerance:  topo.DefaultTolerance,
			KnownClass: func(p string) bool { _, ok := w.cat.Lookup(p); return ok },
		})
		if err != nil {
			return nil, err
		}
		return func() {
			w.Status.SetText(status)
			f.Items = res
			f.label.SetText(tr("{{.N}} findings", map[string]any{"N": len(res)}))
			f.List.UnselectAll()
			f.List.Refresh()
			w.Left.SelectIndex(3)
		}, nil
	})
}

// zoom shows a finding: its lots when they are on the map, else its point.
func (f *findingsPanel) zoom(it topo.Finding) {
	w := f.w
	sc := w.Map.Scene()
	var b orb.Bound
	found := false
	var first *scene.Shape
	if l := sc.Layer(LandUseLayer); l != nil {
		ids := map[string]bool{}
		for _, id := range it.IDs {
			ids[id] = true
		}
		for i := range l.Shapes {
			if ids[l.Shapes[i].ID] {
				if !found {
					b, found, first = l.Shapes[i].Bound, true, &l.Shapes[i]
				} else {
					b = b.Union(l.Shapes[i].Bound)
				}
			}
		}
	}
	if !found || it.Kind == topo.KindGap || it.Kind == topo.KindOverlap {
		b = orb.Bound{Min: it.At, Max: it.At}.Pad(60)
	}
	w.Map.ZoomTo(b)
	w.Map.Select(first)
	w.inspect(first)
}
