// Package ui is the Fyne desktop interface: the main window, the map view and
// its panels. It calls store and gis; it holds no data logic of its own.
package ui

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"
	orbproject "github.com/paulmach/orb/project"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/crs"
	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
	"quyhoach/store"
)

// Source is what the window needs of the store; *store.Store satisfies it.
type Source interface {
	Plans(ctx context.Context) ([]store.Plan, error)
	Versions(ctx context.Context, code string) ([]store.Version, error)
	Load(ctx context.Context, code string, number int, layers ...string) (*store.Snapshot, error)
	Dossiers(ctx context.Context, f store.DossierFilter) ([]store.Dossier, error)
	Proposal(ctx context.Context, id int64) (*store.Snapshot, store.Dossier, error)
}

// Layer names the window knows how to style.
const (
	LandUseLayer  = gis.LandUseLayer
	BoundaryLayer = gis.BoundaryLayer
)

// Preference keys.
const (
	prefLastNode = "lastNode"
	prefWidth    = "window.width"
	prefHeight   = "window.height"
	prefLanguage = "language"
	prefLayers   = "layers." // + plan code
	prefDPI      = "screen.dpi"
)

// Window is the main window with handles to its interactive parts, so tests
// can drive them.
type Window struct {
	fyne.Window
	app  fyne.App
	src  Source
	cat  *landuse.Catalogue
	font *scene.Font

	Plans    *widget.Tree
	Map      *MapView
	Twin     *MapView // the approved state beside Map in side-by-side compare
	mapBox   *fyne.Container
	twinned  bool // side by side: Twin shown and kept on Map's view
	syncing  bool
	Status   *widget.Label // what is shown: plan, version, lots, area
	Cursor   *widget.Label // X (N), Y (E), lat/lon under the mouse
	Scale    *widget.Label // 1:N
	Progress *widget.ProgressBarInfinite
	Cancel   *widget.Button
	progress *fyne.Container

	Search  *widget.Entry
	Results *widget.List
	Hits    []scene.Hit

	Inspector     *widget.Table
	InspectorRows [][2]string
	Legend        *fyne.Container
	LayerPanel    *fyne.Container
	Findings      *findingsPanel
	Compare       *comparePanel
	Language      *widget.Select
	DPI           *widget.Entry // the screen's real resolution, for a true 1:N
	Left, Right   *container.AppTabs

	plans    []store.Plan
	version  map[string][]store.Version // by plan code
	dossiers map[string][]store.Dossier // by plan code

	// what is shown
	node     string
	snap     *store.Snapshot
	layers   []gis.Layer // projected
	plan     string
	compared bool
	shown    string // how the status names a compared state

	// Loaded is called (on the UI goroutine) after a version is shown; tests wait on it.
	Loaded func(*store.Snapshot)
	// Done is called (UI goroutine) when a background task ends; tests wait on it.
	Done  func(name string, err error)
	loads int // tasks started; a load finishing after a newer one is dropped

	firstFrame func()

	// Printer builds map sheets for the print dialog; nil hides printing.
	Printer Printer
}

// OnFirstFrame calls fn (UI goroutine) once the first frame of a plan is
// ready on the map: for measuring the cold start.
func (w *Window) OnFirstFrame(fn func()) { w.firstFrame = fn }

// New builds the main window over src.
func New(a fyne.App, src Source) (*Window, error) {
	SetLanguage(a.Preferences().StringWithFallback(prefLanguage, "vi"))
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		return nil, err
	}
	font, err := scene.NewFont(assets.FontRegular, 10.5)
	if err != nil {
		return nil, err
	}
	w := &Window{Window: a.NewWindow("quyhoach"), app: a, src: src, cat: cat, font: font,
		version: map[string][]store.Version{}, dossiers: map[string][]store.Dossier{}}
	if err := w.reload(); err != nil {
		return nil, err
	}
	w.build()
	width := a.Preferences().FloatWithFallback(prefWidth, 1280)
	height := a.Preferences().FloatWithFallback(prefHeight, 820)
	w.Resize(fyne.NewSize(float32(width), float32(height)))
	w.SetOnClosed(func() {
		if s := w.Canvas().Size(); s.Width > 0 && s.Height > 0 {
			a.Preferences().SetFloat(prefWidth, float64(s.Width))
			a.Preferences().SetFloat(prefHeight, float64(s.Height))
		}
	})
	if len(w.plans) > 0 {
		node := a.Preferences().StringWithFallback(prefLastNode, w.plans[0].Code)
		if !w.nodeExists(node) {
			node = w.plans[0].Code
		}
		code, _, _ := cutNode(node)
		w.openTo(code)
		w.Plans.Select(node)
	}
	return w, nil
}

func (w *Window) build() {
	w.Map = NewMapView()
	w.Map.SetOptions(scene.Options{Font: w.font})
	w.Map.OnSelect = w.inspect
	w.Map.OnCursor = w.showCursor
	w.Map.OnView = func() {
		w.showScale()
		w.syncView(w.Map, w.Twin)
	}
	w.Twin = NewMapView()
	w.Twin.OnCursor = w.showCursor
	w.Twin.OnSelect = w.inspect
	w.Twin.OnView = func() { w.syncView(w.Twin, w.Map) }
	w.Map.Rendered = func() {
		if f := w.firstFrame; f != nil && !w.Map.frameEmpty() {
			w.firstFrame = nil
			f()
		}
	}

	w.Status = widget.NewLabel(tr("Choose a plan"))
	w.Status.Truncation = fyne.TextTruncateEllipsis
	w.Cursor = widget.NewLabel("")
	w.Scale = widget.NewLabel("")
	w.Progress = widget.NewProgressBarInfinite()
	w.Progress.Stop()
	w.Cancel = widget.NewButtonWithIcon(tr("Cancel"), theme.CancelIcon(), nil)
	w.progress = container.NewHBox(w.Progress, w.Cancel)
	w.progress.Hide()
	status := container.NewBorder(nil, nil, nil, container.NewHBox(w.Cursor, widget.NewSeparator(), w.Scale, w.progress), w.Status)

	w.Plans = widget.NewTree(w.childUIDs, w.isBranch, w.createNode, w.updateNode)
	w.Plans.OnSelected = w.selected

	w.Search = widget.NewEntry()
	w.Search.SetPlaceHolder(tr("Find a lot by code or name"))
	w.Search.OnChanged = w.search
	w.Search.OnSubmitted = func(string) {
		if len(w.Hits) > 0 {
			w.Results.Select(0)
		}
	}
	w.Results = widget.NewList(func() int { return len(w.Hits) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			sh := w.Hits[i].Shape()
			o.(*widget.Label).SetText(sh.Feature.String("maDoiTuong") + " — " + sh.Feature.String("tenDoiTuong"))
		})
	w.Results.OnSelected = func(i widget.ListItemID) { w.focusShape(w.Hits[i].Shape()) }

	w.Inspector = widget.NewTable(
		func() (int, int) { return len(w.InspectorRows), 2 },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Col == 0
			l.SetText(w.InspectorRows[id.Row][id.Col])
		})
	w.Inspector.SetColumnWidth(0, 165)
	w.Inspector.SetColumnWidth(1, 260)

	w.Legend = container.NewVBox()
	w.LayerPanel = container.NewVBox()
	w.Findings = newFindingsPanel(w)
	w.Compare = newComparePanel(w)

	w.Language = widget.NewSelect([]string{"Tiếng Việt", "English"}, nil)
	if w.app.Preferences().StringWithFallback(prefLanguage, "vi") == "en" {
		w.Language.SetSelectedIndex(1)
	} else {
		w.Language.SetSelectedIndex(0)
	}
	w.Language.OnChanged = func(string) {
		code := "vi"
		if w.Language.SelectedIndex() == 1 {
			code = "en"
		}
		if code != w.app.Preferences().StringWithFallback(prefLanguage, "vi") {
			w.app.Preferences().SetString(prefLanguage, code)
			SetLanguage(code)
			w.rebuild()
		}
	}

	w.DPI = widget.NewEntry()
	w.DPI.SetPlaceHolder(tr("automatic (96 dpi × Fyne scale)"))
	if d := w.app.Preferences().Float(prefDPI); d > 0 {
		w.DPI.SetText(strconv.FormatFloat(d, 'f', -1, 64))
		w.Map.SetDPI(d)
	}
	w.DPI.OnChanged = func(s string) {
		d, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", "."), 64)
		if err != nil || d < 30 || d > 1200 {
			d = 0
		}
		w.app.Preferences().SetFloat(prefDPI, d)
		w.Map.SetDPI(d)
		w.showScale()
	}

	browser := container.NewBorder(nil, nil, nil, nil, w.Plans)
	searchBox := container.NewBorder(w.Search, nil, nil, nil, w.Results)
	settings := container.NewVBox(widget.NewLabelWithStyle(tr("Language"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w.Language,
		widget.NewLabelWithStyle(tr("Screen resolution (dpi), for the scale 1:N"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), w.DPI)
	w.Left = container.NewAppTabs(
		container.NewTabItem(tr("Plans"), browser),
		container.NewTabItem(tr("Search"), searchBox),
		container.NewTabItem(tr("Layers"), container.NewVScroll(w.LayerPanel)),
		container.NewTabItem(tr("Checks"), w.Findings.box),
		container.NewTabItem(tr("Settings"), settings),
	)
	w.Right = container.NewAppTabs(
		container.NewTabItem(tr("Inspector"), w.Inspector),
		container.NewTabItem(tr("Compare"), w.Compare.box),
		container.NewTabItem(tr("Legend"), container.NewVScroll(w.Legend)),
	)
	tools := container.NewHBox(
		widget.NewButtonWithIcon("", theme.ZoomInIcon(), w.Map.ZoomIn),
		widget.NewButtonWithIcon("", theme.ZoomOutIcon(), w.Map.ZoomOut),
		widget.NewButtonWithIcon(tr("Whole plan"), theme.ZoomFitIcon(), w.Map.ZoomToPlan),
		widget.NewButtonWithIcon(tr("Selection"), theme.VisibilityIcon(), w.Map.ZoomToSelection),
		widget.NewButtonWithIcon(tr("Print…"), theme.DocumentPrintIcon(), func() { w.ShowPrint() }),
	)
	w.mapBox = container.NewStack(w.Map)
	w.twinned = false
	mapArea := container.NewBorder(tools, nil, nil, nil, w.mapBox)
	inner := container.NewHSplit(mapArea, w.Right)
	inner.Offset = 0.7
	split := container.NewHSplit(w.Left, inner)
	split.Offset = 0.25
	w.SetContent(container.NewBorder(nil, status, nil, nil, split))
}

// syncView keeps the other map of a side-by-side pair on the same view.
func (w *Window) syncView(from, to *MapView) {
	if !w.twinned || w.syncing || from == nil || to == nil {
		return
	}
	w.syncing = true
	c, r := from.Center()
	to.SetCenter(c, r)
	w.syncing = false
}

// SideBySide shows before (the approved state) left of the map, on the same
// view, or (before nil) the map alone again.
func (w *Window) SideBySide(before *scene.Scene) {
	if before == nil {
		if w.twinned {
			w.twinned = false
			w.mapBox.Objects = []fyne.CanvasObject{w.Map}
			w.mapBox.Refresh()
		}
		return
	}
	w.Twin.SetOptions(w.Map.Options())
	w.Twin.SetScene(before, false)
	if !w.twinned {
		// keep the ground the map showed in view, now in half the width
		sz := w.Map.Size()
		seen := orb.Bound{Min: w.Map.PointAt(fyne.NewPos(0, sz.Height)), Max: w.Map.PointAt(fyne.NewPos(sz.Width, 0))}
		split := container.NewHSplit(w.Twin, w.Map)
		w.mapBox.Objects = []fyne.CanvasObject{split}
		w.mapBox.Refresh()
		w.twinned = true
		if sc := w.Map.Scene(); sz.Width > 0 && sz.Height > 0 && sc != nil && sc.Extent.Intersects(seen) {
			e := sc.Extent // the part of the plan that was in view
			w.Map.ZoomTo(orb.Bound{
				Min: orb.Point{max(seen.Min[0], e.Min[0]), max(seen.Min[1], e.Min[1])},
				Max: orb.Point{min(seen.Max[0], e.Max[0]), min(seen.Max[1], e.Max[1])}})
		}
	}
	w.syncView(w.Map, w.Twin)
}

// rebuild makes the window's widgets again (after a change of language)
// and shows what was shown.
func (w *Window) rebuild() {
	node := w.node
	w.plan = ""
	w.build()
	w.Left.SelectIndex(4) // stay in the settings
	if node != "" {
		code, _, _ := cutNode(node)
		w.openTo(code)
		w.Plans.Select(node)
	}
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
		ds, err := w.src.Dossiers(ctx, store.DossierFilter{Plan: p.Code})
		if err != nil {
			return err
		}
		w.dossiers[p.Code] = ds
	}
	return nil
}

// Tree node ids: "" root, "CODE" a plan, "CODE@N" version N, "CODE#D" dossier D.
func cutNode(id string) (code string, version int, dossier int64) {
	if c, d, ok := strings.Cut(id, "#"); ok {
		n, _ := strconv.ParseInt(d, 10, 64)
		return c, 0, n
	}
	c, v, _ := strings.Cut(id, "@")
	n, _ := strconv.Atoi(v)
	return c, n, 0
}

func (w *Window) nodeExists(id string) bool {
	if strings.HasPrefix(id, areaPrefix) {
		return false
	}
	code, _, _ := cutNode(id)
	if id == code {
		for _, p := range w.plans {
			if p.Code == code {
				return true
			}
		}
		return false
	}
	for _, c := range w.childUIDs(code) {
		if c == id {
			return true
		}
	}
	return false
}

// areaPrefix starts the tree id of an area node: plans are grouped by area.
const areaPrefix = "area:"

func (w *Window) childUIDs(id widget.TreeNodeID) []widget.TreeNodeID {
	if id == "" {
		var out []string
		seen := map[string]bool{}
		for _, p := range w.plans {
			if !seen[p.Area] {
				seen[p.Area] = true
				out = append(out, areaPrefix+p.Area)
			}
		}
		return out
	}
	if area, ok := strings.CutPrefix(id, areaPrefix); ok {
		var out []string
		for _, p := range w.plans {
			if p.Area == area {
				out = append(out, p.Code)
			}
		}
		return out
	}
	var out []string
	for _, v := range w.version[id] {
		out = append(out, id+"@"+strconv.Itoa(v.Number))
	}
	for _, d := range w.dossiers[id] {
		out = append(out, id+"#"+strconv.FormatInt(d.ID, 10))
	}
	return out
}

func (w *Window) isBranch(id widget.TreeNodeID) bool {
	return strings.HasPrefix(id, areaPrefix) || !strings.ContainsAny(id, "@#")
}

func (w *Window) createNode(bool) fyne.CanvasObject { return widget.NewLabel("") }

func (w *Window) updateNode(id widget.TreeNodeID, _ bool, o fyne.CanvasObject) {
	o.(*widget.Label).SetText(w.nodeText(id))
}

func (w *Window) nodeText(id string) string {
	if area, ok := strings.CutPrefix(id, areaPrefix); ok {
		if area == "" {
			return tr("Other plans")
		}
		return area
	}
	code, num, dossier := cutNode(id)
	switch {
	case dossier != 0:
		for _, d := range w.dossiers[code] {
			if d.ID == dossier {
				text := tr("Dossier {{.ID}}: {{.Title}} — {{.State}}", map[string]any{"ID": d.ID, "Title": d.Title, "State": stateName(d.State)})
				if d.Overdue {
					text = "⚠ " + text + " (" + tr("overdue since {{.Due}}", map[string]any{"Due": d.Due}) + ")"
				}
				return text
			}
		}
	case id == code:
		for _, p := range w.plans {
			if p.Code == code {
				return fmt.Sprintf("%s (1/%d)", p.Name, p.Scale)
			}
		}
	default:
		for _, v := range w.version[code] {
			if v.Number == num {
				text := tr("Version {{.N}}", map[string]any{"N": num})
				if v.Current {
					text += " (" + tr("current") + ")"
				}
				if v.DecisionNo != "" {
					text += " — " + v.DecisionNo
				}
				return text
			}
		}
	}
	return id
}

// stateName is the translated name of a dossier state.
func stateName(s string) string {
	switch s {
	case store.Draft:
		return tr("draft")
	case store.Submitted:
		return tr("submitted")
	case store.Appraising:
		return tr("under appraisal")
	case store.Appraised:
		return tr("appraised")
	case store.Approved:
		return tr("approved")
	case store.Published:
		return tr("published")
	case store.Withdrawn:
		return tr("withdrawn")
	}
	return s
}

// openTo opens the tree down to a plan's node.
func (w *Window) openTo(code string) {
	for _, p := range w.plans {
		if p.Code == code {
			w.Plans.OpenBranch(areaPrefix + p.Area)
		}
	}
	w.Plans.OpenBranch(code)
}

func (w *Window) selected(id widget.TreeNodeID) {
	if strings.HasPrefix(id, areaPrefix) {
		w.Plans.OpenBranch(id)
		return
	}
	w.node = id
	w.app.Preferences().SetString(prefLastNode, id)
	code, num, dossier := cutNode(id)
	if dossier != 0 {
		w.CompareDossier(dossier)
		return
	}
	w.Show(code, num)
}

// Show loads version num of plan code (0: the current one) and draws it.
func (w *Window) Show(code string, num int) {
	w.run(tr("Loading {{.Plan}}…", map[string]any{"Plan": code}), "load", func(ctx context.Context) (func(), error) {
		snap, err := w.src.Load(ctx, code, num)
		if err != nil {
			return nil, err
		}
		layers := project(snap.Layers)
		snap.Layers = nil // now projected: held once, in layers
		sc := scene.Plan(layers, w.cat)
		return func() {
			w.show(snap, layers, sc, sc, false)
			w.Compare.clear(snap)
		}, nil
	})
}

// project transforms a loaded snapshot's layers to EPSG:9215 metres in
// place (orb's project mutates point slices) and returns them: the window
// keeps one copy of the geometry, not a WGS84 one beside it.
func project(layers []gis.Layer) []gis.Layer {
	tr, _ := crs.New(crs.WGS84, crs.TM3LangSon)
	for li := range layers {
		fs := layers[li].Features
		for i := range fs {
			if fs[i].Geometry != nil {
				fs[i].Geometry = orbproject.Geometry(fs[i].Geometry, tr)
			}
		}
	}
	return layers
}

// show puts a loaded scene on the map (UI goroutine).
// counted is the scene whose lots the status counts: sc itself, or in
// compare mode the compared state styled as a plan.
func (w *Window) show(snap *store.Snapshot, layers []gis.Layer, sc, counted *scene.Scene, compared bool) {
	fit := snap.Plan.Code != w.plan
	w.snap, w.layers, w.compared = snap, layers, compared
	if fit {
		w.plan = snap.Plan.Code
	}
	w.applyLayerPrefs(sc)
	w.Map.SetScene(sc, fit)
	w.SetTitle("quyhoach — " + snap.Plan.Name)
	lots, area := 0, 0.0
	if l := counted.Layer(LandUseLayer); l != nil {
		for i := range l.Shapes {
			if l.Shapes[i].Kind == scene.Lot {
				lots++
				area += l.Shapes[i].AreaM2
			}
		}
	}
	state := tr("version {{.N}}", map[string]any{"N": snap.Version.Number})
	if w.shown != "" {
		state, w.shown = w.shown, ""
	}
	w.Status.SetText(tr("{{.Plan}} · {{.State}} · {{.Lots}} lots · {{.Area}} ha · VN-2000 / TM-3 107°15′ (EPSG:9215)",
		map[string]any{"Plan": snap.Plan.Code, "State": state, "Lots": lots, "Area": gis.FormatVN(area/10000, 2)}))
	w.InspectorRows = nil
	w.Inspector.Refresh()
	w.search(w.Search.Text)
	w.Findings.clear()
	w.fillLegend(sc)
	w.fillLayers(sc)
	w.showScale()
	if w.Loaded != nil {
		w.Loaded(snap)
	}
}

// run does work off the UI goroutine; a task lasting over half a second
// shows the progress bar with its Cancel button. The function it returns
// is applied on the UI goroutine unless a newer task was started or the
// task was cancelled.
func (w *Window) run(msg, name string, work func(ctx context.Context) (func(), error)) {
	w.loads++
	id := w.loads
	ctx, cancel := context.WithCancel(context.Background())
	w.Status.SetText(msg)
	w.Cancel.OnTapped = func() {
		cancel()
		w.Status.SetText(tr("Cancelled"))
		w.hideProgress()
	}
	timer := time.AfterFunc(500*time.Millisecond, func() {
		fyne.Do(func() {
			if id == w.loads && ctx.Err() == nil {
				w.progress.Show()
				w.Progress.Start()
			}
		})
	})
	go func() {
		apply, err := work(ctx)
		timer.Stop()
		fyne.Do(func() {
			defer cancel()
			if id != w.loads {
				return // the user has asked for something else meanwhile
			}
			w.hideProgress()
			if ctx.Err() != nil {
				err = ctx.Err()
			}
			switch {
			case errors.Is(err, context.Canceled):
				w.Status.SetText(tr("Cancelled"))
			case err != nil:
				w.Status.SetText(tr("Error: {{.Err}}", map[string]any{"Err": err.Error()}))
			default:
				apply()
			}
			if w.Done != nil {
				w.Done(name, err)
			}
		})
	}()
}

func (w *Window) hideProgress() {
	w.Progress.Stop()
	w.progress.Hide()
}

// propLabels names the TT 16/2025 fields for people (translated).
var propLabels = map[string]string{
	"maDoiTuong": "Lot code", "tenDoiTuong": "Name", "phanLoai": "Land-use class", "ghiChu": "Note",
	"matDoXayDung": "Building density (%)", "tangCaoMin": "Storeys (min)", "tangCaoMax": "Storeys (max)",
	"heSoSuDungDat": "Floor-area ratio", "khoangLui": "Setback (m)", "danSo": "Population",
	"giaiDoan": "Stage", "maThongTinQH": "Plan information code", "maHoSoQH": "Dossier code",
}

// inspect shows a shape's attributes and official area.
func (w *Window) inspect(sh *scene.Shape) {
	w.InspectorRows = nil
	if sh != nil {
		f := sh.Feature
		w.InspectorRows = append(w.InspectorRows, [2]string{tr("Feature id"), sh.ID})
		if c, ok := w.cat.Of(*f); ok {
			name := c.NameVI
			if Lang() == "en" {
				name = c.NameEN
			}
			w.InspectorRows = append(w.InspectorRows, [2]string{tr("Land use"), c.Code + " — " + name})
		}
		if a := gis.Area(f.Geometry); a > 0 {
			w.InspectorRows = append(w.InspectorRows, [2]string{tr("Official area"),
				gis.FormatVN(a/10000, 2) + " ha (" + gis.FormatVN(a, 1) + " m², EPSG:9215)"})
		}
		keys := make([]string, 0, len(f.Properties))
		for k := range f.Properties {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			label := k
			if l, ok := propLabels[k]; ok {
				label = tr(l) + " (" + k + ")"
			}
			w.InspectorRows = append(w.InspectorRows, [2]string{label, propText(f.Properties[k])})
		}
		w.Right.SelectIndex(0)
	}
	w.Inspector.Refresh()
}

func propText(v any) string {
	switch v := v.(type) {
	case nil:
		return "—"
	case string:
		return v
	case float64:
		if v == float64(int64(v)) {
			return gis.FormatVN(v, 0)
		}
		return gis.FormatVN(v, 2)
	}
	return fmt.Sprint(v)
}

// focusShape selects a shape, zooms to it and inspects it.
func (w *Window) focusShape(sh *scene.Shape) {
	w.Map.Select(sh)
	w.Map.ZoomToSelection()
	w.inspect(sh)
}

// search lists the lots whose code or name matches, accent-insensitive.
func (w *Window) search(q string) {
	w.Hits = nil
	if sc := w.Map.Scene(); sc != nil && strings.TrimSpace(q) != "" {
		w.Hits = sc.Search(q, 200)
	}
	w.Results.UnselectAll()
	w.Results.Refresh()
}

// showCursor writes the cursor position in VN-2000 (X north, Y east) and WGS84.
func (w *Window) showCursor(p orb.Point) {
	back, _ := crs.New(crs.TM3LangSon, crs.WGS84)
	ll := back(p)
	w.Cursor.SetText(fmt.Sprintf("X (N) %s  Y (E) %s  ·  %s° N %s° E",
		gis.FormatVN(p[1], 2), gis.FormatVN(p[0], 2), gis.FormatVN(ll[1], 6), gis.FormatVN(ll[0], 6)))
}

// showScale writes the scale of the screen, 1:N.
func (w *Window) showScale() {
	if w.Scale == nil {
		return
	}
	n := w.Map.ScaleDenominator()
	if n <= 0 || n > 1e9 {
		w.Scale.SetText("")
		return
	}
	w.Scale.SetText(tr("Scale") + " 1:" + gis.FormatVN(roundScale(n), 0))
}

// roundScale rounds a scale denominator to three significant digits.
func roundScale(n float64) float64 {
	p := 1.0
	for n/p >= 1000 {
		p *= 10
	}
	return float64(int64(n/p+0.5)) * p
}

// diffOf compares two states' land-use layers.
func diffOf(from, to []gis.Layer, lineage map[string][]string) diff.Result {
	get := func(ls []gis.Layer) []gis.Feature {
		for _, l := range ls {
			if l.Name == LandUseLayer {
				return l.Features
			}
		}
		return nil
	}
	return diff.Layers(get(from), get(to), diff.Lineage(lineage))
}
