// Package ui is the Fyne desktop interface: the main window, the map view and
// its panels. It calls store and gis; it holds no data logic of its own.
package ui

import (
	"context"
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/project"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
	"quyhoach/store"
)

// Source is what the window needs of the store.
type Source interface {
	Plans(ctx context.Context) ([]store.Plan, error)
	Versions(ctx context.Context, code string) ([]store.Version, error)
	Load(ctx context.Context, code string, number int, layers ...string) (*store.Snapshot, error)
}

// Window is the main window with handles to its interactive parts, so tests
// can drive them.
type Window struct {
	fyne.Window
	src     Source
	cat     *landuse.Catalogue
	Plans   *widget.Tree
	Map     *MapView
	Status  *widget.Label
	plans   []store.Plan
	version map[string][]store.Version // by plan code
	// Loaded is called (on the UI goroutine) after a version is shown; tests wait on it.
	Loaded func(*store.Snapshot)
	loads  int // selections made; a load finishing after a newer selection is dropped
}

// New builds the main window over src.
func New(a fyne.App, src Source) (*Window, error) {
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		return nil, err
	}
	w := &Window{Window: a.NewWindow("quyhoach"), src: src, cat: cat, version: map[string][]store.Version{}}
	if err := w.reload(); err != nil {
		return nil, err
	}
	w.Map = NewMapView()
	w.Status = widget.NewLabel("Chọn một quy hoạch")
	w.Plans = widget.NewTree(w.childUIDs, w.isBranch, w.createNode, w.updateNode)
	w.Plans.OnSelected = w.selected
	split := container.NewHSplit(container.NewBorder(widget.NewLabelWithStyle("Quy hoạch", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, w.Plans), w.Map)
	split.Offset = 0.28
	w.SetContent(container.NewBorder(nil, w.Status, nil, nil, split))
	w.Resize(fyne.NewSize(1200, 800))
	if len(w.plans) > 0 {
		w.Plans.OpenBranch(w.plans[0].Code)
		w.Plans.Select(w.plans[0].Code)
	}
	return w, nil
}

func (w *Window) reload() error {
	ctx := context.Background()
	plans, err := w.src.Plans(ctx)
	if err != nil {
		return err
	}
	w.plans = plans
	for _, p := range plans {
		vs, err := w.src.Versions(ctx, p.Code)
		if err != nil {
			return err
		}
		w.version[p.Code] = vs
	}
	return nil
}

// Tree node ids: "" root, "CODE" a plan, "CODE@N" version N of a plan.
func (w *Window) childUIDs(id widget.TreeNodeID) []widget.TreeNodeID {
	if id == "" {
		out := make([]string, len(w.plans))
		for i, p := range w.plans {
			out[i] = p.Code
		}
		return out
	}
	var out []string
	for _, v := range w.version[id] {
		out = append(out, id+"@"+strconv.Itoa(v.Number))
	}
	return out
}

func (w *Window) isBranch(id widget.TreeNodeID) bool { return !strings.Contains(id, "@") }

func (w *Window) createNode(bool) fyne.CanvasObject { return widget.NewLabel("") }

func (w *Window) updateNode(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	code, num, isVersion := strings.Cut(id, "@")
	label := o.(*widget.Label)
	if !isVersion {
		for _, p := range w.plans {
			if p.Code == code {
				label.SetText(fmt.Sprintf("%s (1/%d)", p.Name, p.Scale))
			}
		}
		return
	}
	for _, v := range w.version[code] {
		if strconv.Itoa(v.Number) == num {
			text := "Phiên bản " + num
			if v.Current {
				text += " (hiện hành)"
			}
			if v.DecisionNo != "" {
				text += " — " + v.DecisionNo
			}
			label.SetText(text)
		}
	}
}

func (w *Window) selected(id widget.TreeNodeID) {
	code, num, _ := strings.Cut(id, "@")
	n, _ := strconv.Atoi(num)
	w.Status.SetText("Đang tải " + code + "…")
	w.loads++
	load := w.loads
	go func() {
		snap, err := w.src.Load(context.Background(), code, n)
		if err != nil {
			fyne.Do(func() { w.Status.SetText("Lỗi: " + err.Error()) })
			return
		}
		items, extent, areaHa, lots := w.symbolise(snap)
		fyne.Do(func() {
			if load != w.loads {
				return // the user has chosen something else meanwhile
			}
			w.Map.SetItems(items, extent)
			w.SetTitle("quyhoach — " + snap.Plan.Name)
			w.Status.SetText(fmt.Sprintf("%s · phiên bản %d · %d lô · %s ha · VN-2000 / TM-3 107°15′ (EPSG:9215)",
				snap.Plan.Code, snap.Version.Number, lots, gis.FormatVN(areaHa, 2)))
			if w.Loaded != nil {
				w.Loaded(snap)
			}
		})
	}()
}

// Layer names the window knows how to style.
const (
	LandUseLayer  = "ChucNangSuDungDat_A"
	BoundaryLayer = "RanhGioiQuyHoach_A"
)

// symbolise projects a snapshot to EPSG:9215 and styles it: lots by land-use
// class, the boundary dashed red, lines grey.
func (w *Window) symbolise(snap *store.Snapshot) (items []render.Item, extent orb.Bound, areaHa float64, lots int) {
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	first := true
	var boundary, lines []render.Item
	for _, l := range snap.Layers {
		for _, f := range l.Features {
			if f.Geometry == nil {
				continue
			}
			g := project.Geometry(f.Geometry, tr)
			if first {
				extent, first = g.Bound(), false
			} else {
				extent = extent.Union(g.Bound())
			}
			switch {
			case l.Name == BoundaryLayer:
				boundary = append(boundary, render.Item{Geometry: g, Style: render.Style{
					Stroke: color.NRGBA{0xd0, 0x10, 0x10, 0xff}, StrokeWidth: 2.5, Dash: []float64{12, 6}}})
			case l.Name == LandUseLayer:
				st := render.Style{Fill: color.NRGBA{0xc0, 0xc0, 0xc0, 0xff}, Stroke: color.NRGBA{0x40, 0x40, 0x40, 0xff}, StrokeWidth: 0.8}
				if c, ok := w.cat.Of(f); ok {
					st.Fill = c.RGB
				}
				items = append(items, render.Item{Geometry: g, Style: st})
				areaHa += gis.Area(g) / 10000
				lots++
			default:
				lines = append(lines, render.Item{Geometry: g, Style: render.Style{
					Stroke: color.NRGBA{0x55, 0x55, 0x55, 0xc0}, StrokeWidth: 1}})
			}
		}
	}
	items = append(append(items, lines...), boundary...)
	return items, extent, areaHa, lots
}
