// Package ui is the Fyne desktop interface: the main window, the map view and
// its panels. It shows what the application layer (package plan) loads and
// computes; it holds no data logic of its own.
package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/atomicfile"
	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// Source is what the window reads of the store; *store.Store satisfies it.
type Source interface {
	plan.Source
	Plans(ctx context.Context) ([]store.Plan, error)
	Versions(ctx context.Context, code string) ([]store.Version, error)
	Dossiers(ctx context.Context, f store.DossierFilter) ([]store.Dossier, error)
}

// Options are the window's hooks and settings, fixed at construction.
type Options struct {
	// Sync runs background work synchronously (tests): a load is shown
	// before the call that asked for it returns.
	Sync bool
	// OnShown is called (UI goroutine) after a state or comparison is shown.
	OnShown func(*plan.State)
	// OnTaskDone is called (UI goroutine) when a background task ends:
	// "load", "compare", "check", "attributes" (read behind a large plan's
	// first frame), "overview" (a large version's kept: ui/preview.go); err
	// is context.Canceled when cancelled.
	OnTaskDone func(name string, err error)
	// OnFirstFrame is called (UI goroutine) once the first frame of a plan
	// is on the map — overview true when it is the version's stored
	// overview, drawn before its lots are read (ui/preview.go) — and
	// OnLotsFrame once the first frame drawn from its lots is: for
	// measuring the cold start.
	OnFirstFrame func(overview bool)
	OnLotsFrame  func()
	// OnPreview is called (UI goroutine) when the print dialog has shown a
	// preview, or failed to (tests).
	OnPreview func(error)
	// OpenDossier, when set, opens that dossier's page once the window is
	// built (quyhoach --dossier N).
	OpenDossier int64
	// EditDossier, when set, opens that draft dossier for editing.
	EditDossier int64
	// OnTrace hears (UI goroutine) what the dossier pages show and where
	// their controls are on the canvas, one line each: for driving the
	// real window from a script (ui/trace.go).
	OnTrace func(line string)
	// Version is the program's version (main.Version), DefaultStore the
	// per-user store file: for the help and the About (ui/help.go).
	Version, DefaultStore string
	// Size, when set, is the window's size for this run instead of the
	// remembered one (quyhoach --size 1024x640: a small screen, a script).
	Size fyne.Size
}

// Preference keys.
const (
	prefLastNode = "lastNode"
	prefWidth    = "window.width"
	prefHeight   = "window.height"
	prefLanguage = "language"
	prefLayers   = "layers." // + plan code
	prefDPI      = "screen.dpi"
)

// Window is the main window. Its parts are widgets that own their state;
// the window wires them and keeps what is shown. The handles let tests
// drive the parts.
type Window struct {
	fyne.Window
	app   fyne.App
	src   Source
	cat   *landuse.Catalogue
	font  *scene.Font
	opts  Options
	tasks runner
	// attrs reads the attributes of a large version behind its first
	// frame, attrLoad how far (ui/attributes.go).
	attrs        runner
	attrLoad     *attributeLoad
	frameWaiters []func() // run after the map's next frame
	// presented is closed once the window is shown (Present): the lots
	// of a plan opening on its stored overview wait for it
	presented chan struct{}
	// early is the plan shown last, read while the window is built
	// (ui/attributes.go), till the browser asks for it.
	early *earlyLoad
	// life ends when the window closes: what it started in the
	// background and that nothing waits for (keeping an overview) stops.
	life    context.Context
	endLife context.CancelFunc

	Browser   *planBrowser
	Map       *MapView
	Twin      *MapView // the approved state beside Map in side-by-side compare
	Status    *statusBar
	Search    *searchPanel
	Inspector *inspector
	Legend    *legend
	Layers    *layersPanel
	Findings  *findingsPanel
	Compare   *comparePanel
	Settings  *settingsPanel
	Left      *container.AppTabs
	Right     *container.AppTabs
	// Site is the information tool (its panels, its layer over the map and
	// its toolbar button), Conform the project conformity panel (ui/info*.go).
	Site    *siteInfo
	Conform *conformPanel
	// Editor is the workbench of a draft dossier open for editing, and
	// EditButton the toolbar's way into it (ui/edit*.go).
	Editor     *editor
	EditButton *tip
	// Center holds the map, the dashboard of every dossier and the page of
	// the dossier open (ui/dossiers.go).
	Center    *centerTabs
	Dashboard *dashboard
	dossiers  *dossierWork
	// Office is the office a cloned store syncs with: its state in the
	// status bar, Pull and Push (ui/remote.go).
	Office    *officeSync
	lastSaved *savedNotice // where the last save went (ui/saved.go)
	// Menu is the main menu (ui/menu.go), Start the start page over the
	// map of a store with nothing to draw (ui/start.go), shell the
	// program's stores (ui/stores.go; nil for a window made alone).
	Menu       *appMenu
	Start      *startPage
	startShown string // what Start shows (startKey)
	shell      *Shell

	panels     [2]*container.Split // the side panels | the map and the right panels
	mapBox     *fyne.Container
	twinned    bool // side by side: Twin shown and kept on Map's view
	syncing    bool
	shown      view
	framed     bool // the first frame of a plan was reported
	lotsFramed bool // … and the first drawn from its lots
	// sized is the size asked for at the start, applied again once the
	// first plan is shown: till then the start page may stand over the map
	// and widen the window past it (the driver grows a window to its
	// content's minimum and never shrinks it back).
	sized fyne.Size
}

// view is what the window shows: a state of a plan, or a comparison.
type view struct {
	node  node
	state *plan.State      // the state shown; in compare mode the compared (after) one
	cmp   *plan.Comparison // compare mode, else nil
	plan  *scene.Scene     // state styled as a plan
	// compare mode: the base styled as a plan, and the changes drawn over it
	before, overlay *scene.Scene
	label           string // how the status names the state
	// drawing is the version drawn while its attributes are read (state
	// has none of its layers yet: ui/attributes.go), else nil.
	drawing *store.Drawing
}

// New builds the main window over src and opens the plan last shown.
func New(a fyne.App, src Source, o Options) (*Window, error) {
	SetLanguage(a.Preferences().StringWithFallback(prefLanguage, "vi"))
	cat, err := landuse.Parse(assets.LandUse)
	if err != nil {
		return nil, err
	}
	font, err := scene.NewFont(assets.FontRegular, 10.5)
	if err != nil {
		return nil, err
	}
	w := &Window{Window: a.NewWindow("quyhoach"), app: a, src: src, cat: cat, font: font, opts: o, presented: make(chan struct{})}
	w.tasks = runner{sync: o.Sync, slow: func() { w.Status.Slow() }, done: w.taskDone}
	w.life, w.endLife = context.WithCancel(context.Background())
	w.attrs = runner{sync: o.Sync, done: w.attributesDone}
	data, err := loadBrowserData(context.Background(), src)
	if err != nil {
		return nil, err
	}
	w.early = w.loadEarly(data, Lang())
	size := fyne.NewSize(float32(a.Preferences().FloatWithFallback(prefWidth, 1280)), float32(a.Preferences().FloatWithFallback(prefHeight, 820)))
	if o.Size.Width > 0 && o.Size.Height > 0 {
		size = o.Size
	}
	w.Resize(size) // before the parts are made: they are laid out once, at that size
	w.sized = size
	facesLoaded()
	w.build(data)
	w.Resize(size) // and with them: the window is made at least as large as they need
	w.editShortcuts()
	w.SetOnClosed(func() {
		w.endLife()
		w.tasks.Cancel()
		w.attrs.Cancel()
		w.Office.Close()
		w.savePanels()
		if s := w.Canvas().Size(); s.Width > 0 && s.Height > 0 {
			a.Preferences().SetFloat(prefWidth, float64(s.Width))
			a.Preferences().SetFloat(prefHeight, float64(s.Height))
		}
	})
	if len(data.Plans) > 0 {
		last := w.lastNode(data)
		w.dossiers.restoring = true // the last node comes back on the map, not as a page
		w.Browser.Select(parseNode(last))
		w.dossiers.restoring = false
	}
	if o.OpenDossier != 0 {
		w.OpenDossier(o.OpenDossier)
	}
	if o.EditDossier != 0 {
		w.Edit(o.EditDossier)
	} else if o.OpenDossier == 0 {
		w.resumeEditing()
	}
	return w, nil
}

// Present shows the window for the first time, with the stored overview
// of the plan shown in its first paint if it is read already (the map
// fits it again at the size the shown window gives it, and draws it in
// that paint: MapView.draw); a plan's lots that wait behind their
// overview are read from then on.
func (w *Window) Present() {
	w.early.showOverview(w)
	w.Window.Show()
	w.markPresented()
}

// markPresented notes the window shown.
func (w *Window) markPresented() {
	select {
	case <-w.presented:
	default:
		close(w.presented)
	}
}

// loadBrowserData reads the plans, versions and dossiers the browser lists.
func loadBrowserData(ctx context.Context, src Source) (browserData, error) {
	d := browserData{Versions: map[string][]store.Version{}, Dossiers: map[string][]store.Dossier{}}
	var err error
	if d.Plans, err = src.Plans(ctx); err != nil {
		return d, err
	}
	for _, p := range d.Plans {
		if d.Versions[p.Code], err = src.Versions(ctx, p.Code); err != nil {
			return d, err
		}
		if d.Dossiers[p.Code], err = src.Dossiers(ctx, store.DossierFilter{Plan: p.Code}); err != nil {
			return d, err
		}
	}
	return d, nil
}

// build makes the window's parts, the browser listing data, and lays them
// out. The browser has its plans before the start page is made: that page
// shows only while no plan can be drawn.
func (w *Window) build(data browserData) {
	w.buildMaps()
	w.Status = newStatusBar()
	w.Status.OnCancel = w.tasks.Cancel
	w.Browser = newPlanBrowser()
	w.Browser.SetData(data)
	w.Browser.OnOpen = w.Open
	w.Search = newSearchPanel()
	w.Search.OnPick = w.focusShape
	w.Inspector = newInspector(w.cat)
	w.Legend = newLegend(w.cat)
	w.Layers = newLayersPanel(w.app.Preferences())
	w.Layers.OnChange = func(layerPrefs) { w.applyLayerPrefs() }
	w.Findings = newFindingsPanel()
	w.Findings.OnRun = w.check
	w.Findings.OnPick = w.showFinding
	w.Compare = newComparePanel(w.cat)
	w.Compare.OnCompareWith = func(v int) {
		if s := w.shown.state; s != nil {
			w.CompareVersions(s.Plan.Code, v, s.Version.Number)
		}
	}
	w.Compare.OnPick = w.showChange
	w.Compare.OnMode = w.showMode
	w.Compare.OnSave = func(name string, write func(io.Writer) error) { w.saveFile(name, write, w.saved) }
	w.Settings = newSettingsPanel(w.app.Preferences())
	w.Settings.OnLanguage = func(code string) {
		SetLanguage(code)
		w.rebuild()
	}
	w.Settings.OnDPI = func(d float64) {
		w.Map.SetDPI(d)
		w.Status.SetScale(w.Map.ScaleDenominator())
	}
	w.Map.SetDPI(w.Settings.DPIValue())
	w.buildInfo()
	w.buildEditor()
	w.buildDossiers()
	w.buildOffice()
	w.layout()
	w.buildMenu()
}

// buildMaps makes the map and its twin of side-by-side compare.
func (w *Window) buildMaps() {
	w.Map = NewMapView()
	w.Map.SetOptions(scene.Options{Font: w.font})
	w.Map.OnSelect = w.Inspect
	w.Map.OnCursor = func(p orb.Point) { w.Status.SetCursor(p) }
	w.Map.OnView = func() {
		w.Status.SetScale(w.Map.ScaleDenominator())
		w.syncView(w.Map, w.Twin)
		if w.Site != nil {
			w.Site.Sketch.Refresh()
		}
	}
	w.Map.Rendered = func() {
		w.frameRendered()
		if !w.framed && w.opts.OnFirstFrame != nil && !w.Map.frameEmpty() {
			w.framed = true
			w.opts.OnFirstFrame(!w.Map.frameOfLots())
		}
		if !w.lotsFramed && w.opts.OnLotsFrame != nil && w.Map.frameOfLots() {
			w.lotsFramed = true
			w.opts.OnLotsFrame()
		}
	}
	w.Twin = NewMapView()
	w.Twin.OnCursor = w.Map.OnCursor
	w.Twin.OnSelect = w.Inspect
	w.Twin.OnView = func() { w.syncView(w.Twin, w.Map) }
	w.mapBox = container.NewStack(w.Map)
	w.twinned = false
}

// layout places the parts: browser tabs left, the map with its tools in
// the middle, inspector tabs right, the status bar below.
func (w *Window) layout() {
	// The pages are placed when first shown (ui/tabpage.go) but the
	// widest of each panel, made at once: it sets the panel's least
	// width, and with it how many tabs' titles are in view (as when
	// every page counted).
	w.Left = sideTabs(
		lazyTab(tr("Plans"), container.NewBorder(w.planTools(), nil, nil, nil, w.Browser)), // ui/plan_dialogs.go
		lazyTab(tr("Search"), w.Search),
		lazyTab(tr("Layers"), w.Layers),
		lazyTab(tr("Checks"), w.Findings),
		container.NewTabItem(tr("Settings"), w.Settings),
	)
	w.Right = sideTabs(
		lazyTab(tr("Inspector"), w.Inspector),
		lazyTab(tr("Compare"), w.Compare),
		lazyTab(tr("Legend"), w.Legend),
		container.NewTabItem(tr("Site info"), w.Site.Tabs),
	)
	tools := container.NewHBox(
		w.EditButton,
		widget.NewButtonWithIcon("", theme.ZoomInIcon(), w.Map.ZoomIn),
		widget.NewButtonWithIcon("", theme.ZoomOutIcon(), w.Map.ZoomOut),
		widget.NewButtonWithIcon(tr("Whole plan"), theme.ZoomFitIcon(), w.Map.ZoomToPlan),
		widget.NewButtonWithIcon(tr("Selection"), theme.VisibilityIcon(), w.Map.ZoomToSelection),
		widget.NewButtonWithIcon(tr("Print…"), theme.DocumentPrintIcon(), func() { w.ShowPrint() }),
		w.Site.Button,
	)
	mapArea := w.editArea(tools, w.mapBox, w.Site.Sketch, w.Site.Tool)
	mapArea = w.startOver(mapArea)
	inner := container.NewHSplit(w.centerTabs(mapArea), w.Right)
	split := container.NewHSplit(w.Left, inner)
	w.panels = [2]*container.Split{split, inner}
	w.restorePanels()
	// Fyne lays new content out at its least size before the window's
	// (every wrapped text wrapped narrow, then again): the parts join an
	// empty root laid out at the window's size, and are laid out once
	root := container.NewStack()
	w.SetContent(root)
	root.Add(container.NewBorder(nil, w.Status, nil, nil, split))
}

// The widths of the side panels are remembered: the splits' offsets, saved
// when the window closes (or is rebuilt), read when it is laid out.
var prefPanels = [2]string{"window.leftPanel", "window.rightPanel"}

func (w *Window) restorePanels() {
	for i, def := range [2]float64{0.25, 0.7} {
		w.panels[i].Offset = w.app.Preferences().FloatWithFallback(prefPanels[i], def)
	}
}

func (w *Window) savePanels() {
	for i, sp := range w.panels {
		if sp != nil && sp.Offset > 0.05 && sp.Offset < 0.95 {
			w.app.Preferences().SetFloat(prefPanels[i], sp.Offset)
		}
	}
}

// rebuild makes the parts again (after a change of language) and shows
// what was shown.
func (w *Window) rebuild() {
	shown := w.shown.node
	w.shown = view{}
	w.savePanels() // the new layout keeps the widths
	w.build(w.Browser.data)
	selectPage(w.Left, w.Settings) // stay in the settings
	if shown.Plan != "" {
		w.dossiers.restoring = true
		w.Browser.Select(shown)
		w.dossiers.restoring = false
	}
}

// Open shows a node of the browser: a plan's current version, a version,
// or a dossier compared with its base.
func (w *Window) Open(n node) {
	w.Editor.close()
	w.app.Preferences().SetString(prefLastNode, n.ID())
	if n.Dossier != 0 {
		w.dropEarly()
		w.CompareDossier(n.Dossier)
		if !w.dossiers.restoring {
			w.OpenDossier(n.Dossier)
		}
		return
	}
	w.Show(n.Plan, n.Version)
}

// Show loads version num of plan code (0: the current one) and shows it.
func (w *Window) Show(code string, num int) {
	w.Status.Busy(tr("Loading {{.Plan}}…", map[string]any{"Plan": code}))
	// The attributes of the version shown go on being read until another
	// lands (show cancels them then): a version that fails to open leaves
	// the one shown, and its tools, as they were.
	n, lang := node{Plan: code, Version: num}, Lang()
	work := w.loadVersion(n, lang)
	if e := w.early; e != nil && !e.taken && e.n == n && e.lang == lang {
		e.taken = true
		work = e.wait
	} else {
		w.dropEarly() // not asked for, or replaced (its task would notice later)
	}
	w.tasks.Run("load", work)
}

// CompareVersions shows version b of a plan against version a.
func (w *Window) CompareVersions(code string, a, b int) {
	w.compare(node{Plan: code, Version: b}, func(ctx context.Context) (before, after *plan.State, err error) {
		if before, err = plan.Open(ctx, w.src, code, plan.Ref{Version: a}); err != nil {
			return nil, nil, err
		}
		after, err = plan.Open(ctx, w.src, code, plan.Ref{Version: b})
		return before, after, err
	})
}

// CompareDossier shows a dossier's proposal against its base version.
func (w *Window) CompareDossier(id int64) {
	w.compare(node{Dossier: id}, func(ctx context.Context) (before, after *plan.State, err error) {
		if after, err = plan.Open(ctx, w.src, "", plan.Ref{Dossier: id}); err != nil {
			return nil, nil, err
		}
		before, err = plan.Open(ctx, w.src, after.Plan.Code, plan.Ref{Version: after.Dossier.Base})
		return before, after, err
	})
}

// compare loads two states in the background, compares them and shows the
// comparison with its scenes.
func (w *Window) compare(n node, load func(ctx context.Context) (before, after *plan.State, err error)) {
	lang := Lang()
	w.Status.Busy(tr("Comparing…"))
	w.Map.dropOverview() // of a plan whose load this replaces
	w.tasks.Run("compare", func(ctx context.Context) (func(), error) {
		before, after, err := load(ctx)
		if err != nil {
			return nil, err
		}
		cmp := plan.Compare(before, after, w.cat)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n.Plan = after.Plan.Code
		v := view{node: n, state: after, cmp: cmp, plan: scene.Plan(after.Layers, w.cat, lang),
			before: scene.Plan(before.Layers, w.cat, lang), overlay: scene.Compare(before.Layers, after.Layers, cmp.Diff, w.cat, lang)}
		return func() { w.show(v) }, nil
	})
}

// show puts a loaded view on the map and in every panel (UI goroutine).
func (w *Window) show(v view) {
	// a new plan is fitted, unless its stored overview was: the view the
	// user made of it meanwhile stays (ui/preview.go)
	fit := (w.shown.state == nil || w.shown.state.Plan.Code != v.state.Plan.Code) && !w.Map.showsOverview()
	w.attrs.Cancel()
	w.attrLoad = nil
	w.shown = v
	w.shown.label = w.stateLabel()
	onMap := v.plan
	if v.cmp != nil {
		onMap = v.overlay
	}
	w.siteShown(v.state)
	w.Layers.SetScene(v.state.Plan.Code, onMap)
	w.applyLayerPrefs()
	w.Map.SetScene(onMap, fit)
	w.SetTitle(w.title(v.state.Plan.Name))
	w.refreshStart()
	w.Inspector.SetShape(nil)
	if v.drawing == nil {
		w.Search.SetScene(v.plan)
	} else {
		w.Search.SetScene(nil) // nothing to find before the attributes
	}
	w.Findings.Clear()
	w.Legend.SetScene(onMap, v.cmp != nil)
	w.Status.SetScale(w.Map.ScaleDenominator())
	if v.cmp != nil {
		w.Compare.ShowComparison(v.cmp, w.compareTitle())
		w.showMode(w.Compare.Mode(), w.Compare.SwipeAt.Value)
		selectPage(w.Right, w.Compare)
	} else {
		w.Compare.ShowState(v.state, w.Browser.Versions(v.state.Plan.Code))
		w.SideBySide(nil)
	}
	if w.sized != (fyne.Size{}) {
		if w.Canvas().Size() != w.sized {
			w.Resize(w.sized)
		}
		w.sized = fyne.Size{}
	}
	if w.opts.OnShown != nil {
		w.opts.OnShown(v.state)
	}
}

// stateLabel names the shown state for the status bar.
func (w *Window) stateLabel() string {
	s := w.shown.state
	if d := s.Dossier; d != nil {
		return tr("dossier {{.ID}} ({{.State}})", map[string]any{"ID": d.ID, "State": stateName(d.State)})
	}
	return tr("version {{.N}}", map[string]any{"N": s.Version.Number})
}

// compareTitle heads the compare panel.
func (w *Window) compareTitle() string {
	c := w.shown.cmp
	if d := c.After.Dossier; d != nil {
		return tr("Dossier {{.ID}} ({{.State}}) against its base, version {{.Base}}",
			map[string]any{"ID": d.ID, "State": stateName(d.State), "Base": d.Base})
	}
	return tr("Version {{.B}} against version {{.A}}", map[string]any{"A": c.Before.Version.Number, "B": c.After.Version.Number})
}

// statusText describes what is shown: plan, state, lots and their area.
func (w *Window) statusText() string {
	v := w.shown
	if v.state == nil {
		return tr("Choose a plan")
	}
	if w.Editor.Editing() {
		return w.Editor.statusLine()
	}
	lots, area := 0, 0.0
	if l := v.plan.Layer(gis.LandUseLayer); l != nil {
		for i := range l.Shapes {
			if l.Shapes[i].Kind == scene.Lot {
				lots++
				area += l.Shapes[i].AreaM2
			}
		}
	}
	text := tr("{{.Plan}} · {{.State}} · {{.Lots}} lots · {{.Area}} ha · VN-2000 / TM-3 107°15′ (EPSG:9215)",
		map[string]any{"Plan": v.state.Plan.Code, "State": v.label, "Lots": lots, "Area": num(area/10000, 2)})
	if v.drawing != nil && w.attrLoad != nil && w.attrLoad.err == nil {
		text = w.attributesNote() + " · " + text
	}
	return text
}

// taskDone ends a background task in the status bar.
func (w *Window) taskDone(name string, err error) {
	switch {
	case errors.Is(err, context.Canceled):
		w.Status.Idle(tr("Cancelled"))
	case err != nil:
		w.Status.Idle(tr("Error: {{.Err}}", map[string]any{"Err": err.Error()}))
	default:
		w.Status.Idle(w.statusText())
	}
	if name == "load" && err != nil {
		w.Map.dropOverview() // of a version not read (failed or cancelled)
	}
	if w.opts.OnTaskDone != nil {
		w.opts.OnTaskDone(name, err)
	}
}

// applyLayerPrefs draws the map's layers as the layers panel says.
func (w *Window) applyLayerPrefs() {
	if w.shown.state == nil {
		return
	}
	w.Map.SetOptions(w.planOptions(w.shown.state.Plan.Code))
}

// planOptions are the map's options for plan code: its layers as the
// layers panel has them for it.
func (w *Window) planOptions(code string) scene.Options {
	p := w.Layers.Prefs(code)
	o := w.Map.Options()
	o.Order, o.Hidden, o.Opacity, o.Font = p.Order, p.Hidden, p.Opacity, w.font
	return o
}

// showMode shows the comparison as the compare panel asks: the changes
// over the base, the before/after swipe, or the two side by side.
func (w *Window) showMode(m compareMode, at float64) {
	v := w.shown
	if v.cmp == nil {
		return
	}
	switch m {
	case sideMode:
		if w.Map.Scene() != v.plan {
			w.Map.SetScene(v.plan, false)
		}
		w.SideBySide(v.before)
	case swipeMode:
		w.SideBySide(nil)
		if w.Map.Scene() != v.overlay {
			w.Map.SetScene(v.overlay, false)
		}
		w.Map.SetSwipe(v.before, v.plan, at)
	default:
		w.SideBySide(nil)
		if w.Map.Scene() != v.overlay {
			w.Map.SetScene(v.overlay, false)
		}
		w.Map.SetSwipe(nil, nil, 0)
	}
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
		w.mapBox.Objects = []fyne.CanvasObject{container.NewHSplit(paneTitled(w.Twin, w.Compare.BeforePane), paneTitled(w.Map, w.Compare.AfterPane))}
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

// Inspect shows a shape's attributes in the inspector (nil: none).
func (w *Window) Inspect(sh *scene.Shape) {
	if sh != nil && w.awaitAttributes(func() { w.Inspect(w.Map.Selected()) }) {
		return
	}
	w.Inspector.SetShape(sh)
	if sh != nil {
		selectPage(w.Right, w.Inspector)
	}
}

// focusShape selects a shape, zooms to it and inspects it.
func (w *Window) focusShape(sh *scene.Shape) {
	w.Map.Select(sh)
	w.Map.ZoomToSelection()
	w.Inspect(sh)
}

// showChange zooms to a change of the compare list and selects its lot.
func (w *Window) showChange(r plan.ChangeRow) {
	if r.Bound == (orb.Bound{}) {
		return
	}
	w.showMapTab()
	b := r.Bound
	w.Map.ZoomTo(b.Pad(max(0.3*max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]), 20)))
	if l := w.Map.Scene().Layer(scene.ChangesLayer); l != nil {
		for i := range l.Shapes {
			if l.Shapes[i].ID == r.ID {
				w.Map.Select(&l.Shapes[i])
				w.Inspector.SetShape(&l.Shapes[i])
				return
			}
		}
	}
}

// check runs the topology and attribute checks on the shown state.
func (w *Window) check() {
	s := w.shown.state
	if s == nil || w.awaitAttributes(w.check) {
		return
	}
	w.Status.Busy(tr("Checking…"))
	w.tasks.Run("check", func(ctx context.Context) (func(), error) {
		res, err := plan.Check(ctx, s, w.cat, topo.DefaultTolerance)
		if err != nil {
			return nil, err
		}
		cov := plan.CheckCoverage(s, w.cat)
		return func() {
			w.Findings.SetFindings(res)
			w.Findings.SetCoverage(cov)
			selectPage(w.Left, w.Findings)
		}, nil
	})
}

// showFinding shows a finding: its lots when they are on the map, else its point.
func (w *Window) showFinding(it topo.Finding) {
	var b orb.Bound
	var first *scene.Shape
	if l := w.Map.Scene().Layer(gis.LandUseLayer); l != nil {
		for i := range l.Shapes {
			if !slices.Contains(it.IDs, l.Shapes[i].ID) {
				continue
			}
			if first == nil {
				b, first = l.Shapes[i].Bound, &l.Shapes[i]
			} else {
				b = b.Union(l.Shapes[i].Bound)
			}
		}
	}
	if first == nil || it.Kind == topo.KindGap || it.Kind == topo.KindOverlap {
		b = orb.Bound{Min: it.At, Max: it.At}.Pad(60)
	}
	w.Map.ZoomTo(b)
	w.Map.Select(first)
	w.Inspector.SetShape(first)
}

// ShowPrint opens the print dialog for the state shown.
func (w *Window) ShowPrint() *printDialog {
	s := w.shown.state
	if s == nil {
		dialog.ShowInformation(tr("Print"), tr("Choose a plan"), w.Window)
		return nil
	}
	p := newPrintDialog(w.Window, w.src, w.cat, s.Plan.Code, w.shown.node.Ref(), w.opts.Sync, w.saveFile, w.opts.OnPreview,
		w.app.Preferences(), w.showSaved)
	showDialog(p.dlg, w.Window)
	p.Refresh()
	return p
}

// saveFile asks where to save a file called name and writes it there whole
// (through atomicfile, off the UI goroutine); done hears where it went or
// why it did not.
func (w *Window) saveFile(name string, write func(io.Writer) error, done func(path string, err error)) {
	d := newFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			if err != nil {
				done("", err)
			}
			return
		}
		path := uc.URI().Path()
		uc.Close() // the dialog made the file; it is written anew, whole
		go func() {
			err := atomicfile.Write(path, func(f *os.File) error { return write(f) })
			onUI(func() { done(path, err) })
		}()
	}, w.Window)
	d.SetFileName(name)
	d.Show()
}

// saved tells where a file went.
func (w *Window) saved(path string, err error) {
	if err != nil {
		dialog.ShowError(err, w.Window)
		return
	}
	w.Status.Idle(tr("Saved {{.File}}", map[string]any{"File": path}))
	w.showSaved(path)
}
