package ui

import (
	"context"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/store"
)

// startState is what the start page knows: the store open (none in the
// start window) and its plans, and the recent stores.
type startState struct {
	Store    string // "" when no store is open
	ReadOnly bool
	Plans    []store.Plan
	Recent   []string
}

// startPage says what to do next where there is nothing to show: no store
// open (the start window), or a store without a plan to draw (over the
// map). Its buttons call the On… hooks; a button without one is not shown.
type startPage struct {
	widget.BaseWidget
	Title, Detail, Message *widget.Label
	NewPlan, Import        *widget.Button
	Samples                *widget.Button
	OpenStore, NewStore    *widget.Button
	Recent                 []*widget.Button // one per recent store
	OnNewPlan, OnImport    func()
	OnSamples              func()
	OnOpenStore            func()
	OnNewStore             func()
	OnRecent               func(path string)

	state startState
	body  *fyne.Container
}

func newStartPage() *startPage {
	p := &startPage{Title: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Detail: para(""), Message: para(""), body: container.NewVBox()}
	p.Title.SizeName = theme.SizeNameSubHeadingText
	p.Message.Importance = widget.WarningImportance
	call := func(fn *func()) func() {
		return func() {
			if *fn != nil {
				(*fn)()
			}
		}
	}
	p.NewPlan = widget.NewButtonWithIcon(tr("New plan…"), theme.ContentAddIcon(), call(&p.OnNewPlan))
	p.NewPlan.Importance = widget.HighImportance
	p.Import = widget.NewButtonWithIcon(tr("Import a layer…"), theme.DownloadIcon(), call(&p.OnImport))
	p.Samples = widget.NewButtonWithIcon(tr("Add the sample plans"), theme.StorageIcon(), call(&p.OnSamples))
	p.OpenStore = widget.NewButtonWithIcon(tr("Open store…"), theme.FolderOpenIcon(), call(&p.OnOpenStore))
	p.NewStore = widget.NewButtonWithIcon(tr("New store…"), theme.FileIcon(), call(&p.OnNewStore))
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer implements fyne.Widget: the page on the window's
// background (it covers the empty map), a column of readable width.
func (p *startPage) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	col := container.New(&columnLayout{width: 620}, container.NewVBox(p.Title, p.Detail, p.body, p.Message))
	return widget.NewSimpleRenderer(container.NewStack(bg, container.NewVScroll(container.NewPadded(col))))
}

// SetState shows what to do next in st.
func (p *startPage) SetState(st startState) {
	p.state = st
	var steps []fyne.CanvasObject
	step := func(text string, buttons ...*widget.Button) {
		row := container.NewHBox()
		for _, b := range buttons {
			if b != nil {
				row.Add(b)
			}
		}
		steps = append(steps, para(text))
		if len(row.Objects) > 0 {
			steps = append(steps, row)
		}
	}
	have := func(b *widget.Button, fn func()) *widget.Button {
		if fn == nil {
			return nil
		}
		if st.ReadOnly {
			b.Disable()
		} else {
			b.Enable()
		}
		return b
	}
	switch {
	case st.Store == "":
		p.Title.SetText(tr("No store is open"))
		p.Detail.SetText(tr("A store is one file that holds the plans, their versions, the adjustment dossiers with their steps and documents. Open one, or make a new one (with the sample plans to learn on)."))
		step(tr("Open a store file, or make a new one:"), p.OpenStore, p.NewStore)
	case len(st.Plans) == 0:
		p.Title.SetText(tr("This store holds no plan yet"))
		p.Detail.SetText(storeLine(st))
		step(tr("1. Create a plan: its code, name, level, scale and agencies."), have(p.NewPlan, p.OnNewPlan))
		step(tr("2. Import its layers: GeoJSON, GeoPackage, Shapefile, DXF and what GDAL reads; the format and the coordinate system are found in the file."), have(p.Import, p.OnImport))
		step(tr("Or learn on the four sample plans of the zone (invented lots along the real corridor)."), have(p.Samples, p.OnSamples))
		step(tr("Or work in another store:"), p.OpenStore, p.NewStore)
	default:
		codes := make([]string, len(st.Plans))
		for i, pl := range st.Plans {
			codes[i] = pl.Code
		}
		p.Title.SetText(tr("No plan has layers yet"))
		p.Detail.SetText(storeLine(st) + " " + tr("Plans without layers: {{.Plans}}.", map[string]any{"Plans": strings.Join(codes, ", ")}))
		step(tr("Import a plan's layers: GeoJSON, GeoPackage, Shapefile, DXF and what GDAL reads."), have(p.Import, p.OnImport))
		step(tr("Or create another plan."), have(p.NewPlan, p.OnNewPlan))
		step(tr("Or work in another store:"), p.OpenStore, p.NewStore)
	}
	if st.ReadOnly && st.Store != "" {
		steps = append(steps, para(tr("The store is read-only: nothing can be added to it here.")))
	}
	p.Recent = nil
	var recent []fyne.CanvasObject
	for _, r := range st.Recent {
		if st.Store != "" && samePath(r, st.Store) {
			continue
		}
		b := widget.NewButtonWithIcon(filepath.Base(r), theme.StorageIcon(), func() {
			if p.OnRecent != nil {
				p.OnRecent(r)
			}
		})
		b.Alignment = widget.ButtonAlignLeading
		p.Recent = append(p.Recent, b)
		dir := widget.NewLabel(filepath.Dir(r))
		dir.Truncation = fyne.TextTruncateEllipsis
		recent = append(recent, container.NewBorder(nil, nil, b, nil, dir))
	}
	if len(recent) > 0 {
		steps = append(steps, widget.NewSeparator(), widget.NewLabelWithStyle(tr("Recent stores"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		steps = append(steps, recent...)
	}
	p.body.Objects = steps
	p.body.Refresh()
	p.Refresh()
}

// storeLine names the store open.
func storeLine(st startState) string {
	if st.ReadOnly {
		return tr("Store: {{.File}} (read-only).", map[string]any{"File": st.Store})
	}
	return tr("Store: {{.File}}.", map[string]any{"File": st.Store})
}

// columnLayout centres one object in a column at most width wide.
type columnLayout struct{ width float32 }

func (l *columnLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		m := o.MinSize()
		s = s.Max(fyne.NewSize(min(m.Width, l.width), m.Height))
	}
	return s
}

func (l *columnLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	w := min(size.Width, l.width)
	for _, o := range objs {
		o.Resize(fyne.NewSize(w, o.MinSize().Height))
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
	}
}

// startOver puts the start page over the map area; it shows while the
// store has no plan with a version to draw (refreshStart).
func (w *Window) startOver(mapArea fyne.CanvasObject) fyne.CanvasObject {
	p := newStartPage()
	w.Start = p
	p.OnOpenStore = func() { w.stores().ChooseStore() }
	p.OnNewStore = func() { w.stores().NewStore() }
	p.OnRecent = func(path string) { w.stores().Open(path) }
	if _, ok := w.src.(sampleInstaller); ok {
		p.OnSamples = w.AddSamples
	}
	w.wirePlanDialogs(p)
	w.refreshStart()
	return container.NewStack(mapArea, p)
}

// wirePlanDialogs gives the start page the plan dialogs of the window
// (ui/plan_dialogs.go) when the store can take plans.
func (w *Window) wirePlanDialogs(p *startPage) {
	if _, ok := w.src.(fileStore); !ok {
		return
	}
	p.OnNewPlan = func() { w.ShowNewPlan() }
	p.OnImport = w.ShowImport
}

// startKey is what the start page shows: nothing ("") while a plan can be
// drawn, else the plans without layers.
func (w *Window) startKey() string {
	if w.shown.state != nil {
		return ""
	}
	var b strings.Builder
	for _, pl := range w.Browser.Plans() {
		if pl.CurrentVersion > 0 {
			return ""
		}
		b.WriteString(pl.Code + ",")
	}
	return "start:" + b.String()
}

// syncStart shows the start page again when the plans changed under it (a
// plan created, a layer imported: each dialog reloads the browser).
func (w *Window) syncStart() {
	if w.Start != nil && w.startKey() != w.startShown {
		w.refreshStart()
	}
}

// refreshStart shows the start page while no plan of the store has a
// version to draw and nothing is shown, and hides it otherwise.
func (w *Window) refreshStart() {
	p := w.Start
	if p == nil {
		return
	}
	plans := w.Browser.Plans()
	w.startShown = w.startKey()
	if w.startShown == "" {
		p.Hide()
		return
	}
	st := startState{Plans: plans, ReadOnly: w.readOnly()}
	if s, ok := w.src.(interface{ Path() string }); ok {
		st.Store = s.Path()
	}
	st.Recent = w.app.Preferences().StringList(prefRecent)
	p.SetState(st)
	p.Show()
	w.trace("start plans="+strconv.Itoa(len(plans)), map[string]fyne.CanvasObject{
		"page": p, "new-plan": visibleIn(p.NewPlan, p.body), "import": visibleIn(p.Import, p.body),
		"samples": visibleIn(p.Samples, p.body), "open-store": visibleIn(p.OpenStore, p.body), "new-store": visibleIn(p.NewStore, p.body)})
}

// visibleIn is b when the page shows it, else nil (not traced).
func visibleIn(b *widget.Button, body *fyne.Container) fyne.CanvasObject {
	var found bool
	var walk func(objs []fyne.CanvasObject)
	walk = func(objs []fyne.CanvasObject) {
		for _, o := range objs {
			if o == b {
				found = true
			}
			if c, ok := o.(*fyne.Container); ok {
				walk(c.Objects)
			}
		}
	}
	walk(body.Objects)
	if !found {
		return nil
	}
	return b
}

// sampleInstaller is a store that takes the sample plans.
type sampleInstaller interface {
	InstallSamples(ctx context.Context, fsys fs.FS) error
}

// AddSamples installs the four sample plans into the store and shows the
// first.
func (w *Window) AddSamples() {
	inst, ok := w.src.(sampleInstaller)
	if !ok || w.readOnly() {
		return
	}
	w.Status.Busy(tr("Adding the sample plans…"))
	w.tasks.Run("samples", func(ctx context.Context) (func(), error) {
		if err := inst.InstallSamples(ctx, assets.Samples); err != nil {
			return nil, err
		}
		data, err := loadBrowserData(ctx, w.src)
		if err != nil {
			return nil, err
		}
		return func() {
			w.Browser.SetData(data)
			w.refreshStart()
			if len(data.Plans) > 0 {
				w.Browser.Select(node{Plan: data.Plans[0].Code})
			}
		}, nil
	})
}
