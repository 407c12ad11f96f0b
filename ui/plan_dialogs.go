package ui

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/plan"
	"quyhoach/store"
)

// fileStore is what the window's plan and file dialogs write: new plans
// with their agencies, imports, the CAD layer table; *store.Store
// satisfies it. A window over a source that is not one offers no import.
type fileStore interface {
	plan.ImportStore
	plan.PlanStore
}

// planTools are the buttons over the plan browser — a new plan, a layer
// imported, a plan exported (the File menu has them too) — with short
// labels, so the panel still fits small screens.
func (w *Window) planTools() fyne.CanvasObject {
	return container.NewHBox(
		widget.NewButtonWithIcon(tr("New…"), theme.ContentAddIcon(), func() { w.ShowNewPlan() }),
		widget.NewButtonWithIcon(tr("Import…"), theme.DownloadIcon(), func() { w.ShowImport() }),
		widget.NewButtonWithIcon(tr("Export…"), theme.UploadIcon(), func() { w.ShowExport() }))
}

// newPlanForm asks for a new plan: code, name, level, scale, area and its
// agencies, which follow the zone's defaults for the level until edited —
// the same plan as `quyhoach plan create`.
type newPlanForm struct {
	Code       *escEntry
	Name       *escEntry
	Level      *widget.Select
	Scale      *widget.SelectEntry
	Area       *widget.SelectEntry
	Approver   *widget.SelectEntry
	Appraiser  *widget.SelectEntry
	Proposer   *widget.SelectEntry
	Consultant *widget.SelectEntry
	Message    *widget.Label
	Create     *widget.Button
	dlg        *dialog.CustomDialog
	edited     bool // the agencies were typed: a change of level keeps them
	filling    bool
}

// levelName is a plan level in the chosen language.
func levelName(l string) string {
	switch l {
	case "general":
		return tr("general plan (1/5000–1/25000)")
	case "zoning":
		return tr("zoning plan (1/2000 or 1/5000)")
	case "detailed":
		return tr("detailed plan (1/500)")
	}
	return l
}

// ShowNewPlan opens the form of a new plan; it returns the form (tests
// fill it), nil when the store cannot make plans.
func (w *Window) ShowNewPlan() *newPlanForm {
	st, ok := w.src.(fileStore)
	if !ok {
		dialog.ShowError(errors.New(tr("This store cannot make plans")), w.Window)
		return nil
	}
	f := &newPlanForm{Code: newEntry(), Name: newEntry(), Message: widget.NewLabel("")}
	f.Message.Wrapping = fyne.TextWrapWord
	f.Message.Importance = widget.DangerImportance
	f.Code.SetPlaceHolder("kcn-dong-banh-2")
	f.Name.SetPlaceHolder(tr("Detailed plan 1/500 of …"))
	names := make([]string, len(store.Levels))
	for i, l := range store.Levels {
		names[i] = levelName(l)
	}
	f.Level = newSelect(names, func(string) { f.levelChanged() })
	f.Scale = widget.NewSelectEntry([]string{"500", "1000", "2000", "5000", "10000"})
	f.Scale.SetPlaceHolder("2000")
	var areas []string
	for _, p := range w.Browser.Plans() {
		if p.Area != "" && !slices.Contains(areas, p.Area) {
			areas = append(areas, p.Area)
		}
	}
	f.Area = widget.NewSelectEntry(areas)
	agency := func() *widget.SelectEntry {
		e := widget.NewSelectEntry(zoneAgencies)
		e.OnChanged = func(string) {
			if !f.filling {
				f.edited = true
			}
			f.validate()
		}
		return e
	}
	f.Approver, f.Appraiser, f.Proposer, f.Consultant = agency(), agency(), agency(), agency()
	f.Consultant.SetOptions(nil)
	for _, e := range []*escEntry{f.Code, f.Name} {
		e.OnChanged = func(string) { f.validate() }
	}
	f.Scale.OnChanged = func(string) { f.validate() }
	f.Create = widget.NewButton(tr("Create"), func() { w.createPlan(st, f) })
	f.Create.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(tr("Code"), f.Code), widget.NewFormItem(tr("Name"), f.Name),
		widget.NewFormItem(tr("Level"), f.Level), widget.NewFormItem(tr("Scale 1/"), f.Scale),
		widget.NewFormItem(tr("Area"), f.Area),
		widget.NewFormItem(tr("Approving authority"), f.Approver), widget.NewFormItem(tr("Appraising agency"), f.Appraiser),
		widget.NewFormItem(tr("Proposing agency"), f.Proposer), widget.NewFormItem(tr("Consultant"), f.Consultant))
	hint := widget.NewLabel(tr("The code names the plan in commands and files: letters, digits and dashes."))
	hint.Wrapping = fyne.TextWrapWord
	f.dlg = dialog.NewCustomWithoutButtons(tr("New plan"), container.NewVBox(hint, form, f.Message), w.Window)
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(tr("Cancel"), func() { f.dlg.Hide() }), f.Create})
	f.dlg.Resize(fyne.NewSize(680, 540))
	f.Level.SetSelectedIndex(slices.Index(store.Levels, "detailed"))
	f.validate()
	showDialog(f.dlg, w.Window)
	return f
}

// levelChanged proposes the level's usual scale and, until they are
// edited, the zone's agencies for the level.
func (f *newPlanForm) levelChanged() {
	l := f.level()
	if f.Scale.Text == "" || slices.Contains([]string{"500", "2000", "10000"}, f.Scale.Text) {
		f.Scale.SetText(map[string]string{"general": "10000", "zoning": "2000", "detailed": "500"}[l])
	}
	if !f.edited {
		d := store.DefaultAgencies(l)
		f.filling = true
		f.Approver.SetText(d.Approver)
		f.Appraiser.SetText(d.Appraiser)
		f.Proposer.SetText(d.Proposer)
		f.filling = false
	}
	f.validate()
}

func (f *newPlanForm) level() string {
	if i := f.Level.SelectedIndex(); i >= 0 {
		return store.Levels[i]
	}
	return ""
}

// Plan reads the form's plan; the scale must be a whole denominator.
func (f *newPlanForm) Plan() (store.Plan, error) {
	p := store.Plan{Code: strings.TrimSpace(f.Code.Text), Name: strings.TrimSpace(f.Name.Text), Level: f.level(),
		Area: strings.TrimSpace(f.Area.Text)}
	s := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f.Scale.Text), "1/"))
	n, err := strconv.Atoi(strings.NewReplacer(".", "", ",", "", " ", "").Replace(s))
	if err != nil || n <= 0 {
		return p, errors.New(tr("The scale is a whole denominator: 500 for 1/500"))
	}
	p.Scale = n
	return p, nil
}

// Agencies reads the form's agencies.
func (f *newPlanForm) Agencies() store.Agencies {
	return store.Agencies{Approver: strings.TrimSpace(f.Approver.Text), Appraiser: strings.TrimSpace(f.Appraiser.Text),
		Proposer: strings.TrimSpace(f.Proposer.Text), Consultant: strings.TrimSpace(f.Consultant.Text)}
}

// validate enables Create once code, name and a scale are given and the
// agencies pass the store's rules; the store checks the rest on Create.
func (f *newPlanForm) validate() {
	msg := ""
	filled := strings.TrimSpace(f.Code.Text) != "" && strings.TrimSpace(f.Name.Text) != ""
	if _, err := f.Plan(); err != nil && filled {
		msg = err.Error()
	} else if err := f.Agencies().Check(); err != nil {
		msg = stepErrText(err)
	}
	f.Message.SetText(msg)
	if msg == "" && filled {
		f.Create.Enable()
	} else {
		f.Create.Disable()
	}
}

// createPlan makes the plan the form says, lists it, and offers to import
// its first layer.
func (w *Window) createPlan(st fileStore, f *newPlanForm) {
	p, err := f.Plan()
	if err != nil {
		f.Message.SetText(err.Error())
		return
	}
	a := f.Agencies()
	by := w.dossiers.user
	w.dossiers.steps.Run("plan", func(ctx context.Context) (func(), error) {
		if err := plan.CreatePlan(ctx, st, p, &a, by); err != nil {
			return func() { f.Message.SetText(fileErrText(err)) }, nil
		}
		return func() {
			f.dlg.Hide()
			w.refreshBrowser()
			w.Status.Idle(tr("Plan {{.Plan}} is created", map[string]any{"Plan": p.Code}))
			dialog.ShowConfirm(tr("New plan"), tr("Plan {{.Plan}} has no layers yet. Import one now?", map[string]any{"Plan": p.Code}),
				func(yes bool) {
					if yes {
						w.showImportInto(p.Code)
					}
				}, w.Window)
		}, nil
	})
}

// refreshBrowser reads the plans, versions and dossiers again.
func (w *Window) refreshBrowser() {
	if data, err := loadBrowserData(context.Background(), w.src); err == nil {
		w.Browser.SetData(data)
	}
}

// fileErrText says why a plan, an import or an export was refused, on
// one line, in the chosen language where the refusal is one of ours.
func fileErrText(err error) string {
	var le *plan.LayerNameError
	var ne *plan.ErrNeedGDAL
	var ce *plan.LayerChoiceError
	var se *store.StepError
	switch {
	case errors.As(err, &le):
		return tr("The file's layer {{.Layer}} has no TT 16 name: choose the plan layer it becomes", map[string]any{"Layer": dash(le.Layer)})
	case errors.As(err, &ne):
		return tr("Reading {{.Format}} needs GDAL, which is not installed (Debian: apt install gdal-bin)", map[string]any{"Format": ne.Format})
	case errors.As(err, &ce) && ce.Asked == "":
		return tr("The file holds several layers: choose one ({{.Layers}})", map[string]any{"Layers": strings.Join(ce.Layers, ", ")})
	case errors.Is(err, context.Canceled):
		return tr("Cancelled")
	case errors.As(err, &se):
		return stepErrText(err)
	}
	first, _, _ := strings.Cut(strings.TrimPrefix(errText(err), "store: "), "\n")
	return first
}
