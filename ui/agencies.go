package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/store"
)

// agenciesForm edits a plan's agencies — approving authority, appraising
// agency, proposing agency, consultant — which steps, title blocks and the
// yearly report name; the store keeps who changed them when.
type agenciesForm struct {
	Plan       *widget.Select
	Approver   *widget.SelectEntry
	Appraiser  *widget.SelectEntry
	Proposer   *widget.SelectEntry
	Consultant *widget.SelectEntry
	History    *widget.Label
	Message    *widget.Label
	Save       *widget.Button
	dlg        *dialog.CustomDialog
	plans      []store.Plan
	code       string
}

// zoneAgencies are the bodies the fields suggest (DOMAIN.md).
var zoneAgencies = []string{store.ProvinceAgency, store.DepartmentAgency, store.BoardAgency, store.PrimeMinister, store.MinistryAgency}

// ShowAgencies opens the agencies of plan code (of the plan shown when ""),
// returning the form (tests drive it), nil when the store cannot keep them.
func (w *Window) ShowAgencies(code string) *agenciesForm {
	dw := w.dossiers
	if dw.st == nil {
		dialog.ShowError(errors.New(tr("This store cannot keep a plan's agencies")), w.Window)
		return nil
	}
	if code == "" && w.shown.state != nil {
		code = w.shown.state.Plan.Code
	}
	f := &agenciesForm{plans: w.Browser.Plans(), History: widget.NewLabel(""), Message: widget.NewLabel("")}
	f.History.Wrapping, f.Message.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	f.Message.Importance = widget.DangerImportance
	names := make([]string, len(f.plans))
	for i, p := range f.plans {
		names[i] = p.Name + " (" + p.Code + ")"
	}
	field := func() *widget.SelectEntry {
		e := widget.NewSelectEntry(zoneAgencies)
		e.OnChanged = func(string) { f.validate() }
		return e
	}
	f.Approver, f.Appraiser, f.Proposer, f.Consultant = field(), field(), field(), field()
	f.Consultant.SetOptions(nil)
	f.Save = widget.NewButton(tr("Save"), func() { w.saveAgencies(f) })
	f.Save.Importance = widget.HighImportance
	f.Plan = newSelect(names, func(string) {
		if i := f.Plan.SelectedIndex(); i >= 0 {
			w.loadAgencies(f, f.plans[i].Code)
		}
	})
	form := widget.NewForm(widget.NewFormItem(tr("Plan"), f.Plan),
		widget.NewFormItem(tr("Approving authority"), f.Approver), widget.NewFormItem(tr("Appraising agency"), f.Appraiser),
		widget.NewFormItem(tr("Proposing agency"), f.Proposer), widget.NewFormItem(tr("Consultant"), f.Consultant))
	content := container.NewVBox(widget.NewLabel(tr("Dossier steps offer these agencies; title blocks and the yearly report name them.")),
		form, f.Message, f.History)
	f.dlg = dialog.NewCustomWithoutButtons(tr("Agencies of the plan"), content, w.Window)
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(tr("Close"), func() { f.dlg.Hide() }), f.Save})
	f.dlg.Resize(fyne.NewSize(640, 460))
	for i, p := range f.plans {
		if p.Code == code {
			f.Plan.SetSelectedIndex(i)
		}
	}
	if f.Plan.SelectedIndex() < 0 && len(f.plans) > 0 {
		f.Plan.SetSelectedIndex(0)
	}
	showDialog(f.dlg, w.Window)
	return f
}

// Agencies reads the form.
func (f *agenciesForm) Agencies() store.Agencies {
	return store.Agencies{Approver: strings.TrimSpace(f.Approver.Text), Appraiser: strings.TrimSpace(f.Appraiser.Text),
		Proposer: strings.TrimSpace(f.Proposer.Text), Consultant: strings.TrimSpace(f.Consultant.Text)}
}

// validate checks the form as typed by the store's rules.
func (f *agenciesForm) validate() {
	if err := f.Agencies().Check(); err != nil {
		f.Message.SetText(stepErrText(err))
		f.Save.Disable()
		return
	}
	f.Message.SetText("")
	f.Save.Enable()
}

// loadAgencies fills the form with a plan's agencies and their history.
func (w *Window) loadAgencies(f *agenciesForm, code string) {
	dw := w.dossiers
	f.code = code
	dw.tasks.Run("agencies", func(ctx context.Context) (func(), error) {
		a, err := dw.st.Agencies(ctx, code)
		if err != nil {
			return nil, err
		}
		hist, err := dw.st.AgencyHistory(ctx, code)
		if err != nil {
			return nil, err
		}
		return func() {
			if f.code != code {
				return
			}
			f.Approver.SetText(a.Approver)
			f.Appraiser.SetText(a.Appraiser)
			f.Proposer.SetText(a.Proposer)
			f.Consultant.SetText(a.Consultant)
			f.History.SetText(historyText(a, hist))
			f.validate()
		}, nil
	})
}

// historyText says who set the agencies when, and how many changes came before.
func historyText(a store.Agencies, hist []store.Agencies) string {
	if a.Default {
		return tr("The zone's defaults: nobody has set them yet.")
	}
	s := tr("Set on {{.At}} by {{.By}}.", map[string]any{"At": a.At.Local().Format("02/01/2006 15:04"), "By": dash(a.By)})
	if n := len(hist) - 1; n > 0 {
		s += " " + tr("{{.N}} earlier changes are kept.", map[string]any{"N": n})
	}
	return s
}

// saveAgencies records the form's agencies for its plan.
func (w *Window) saveAgencies(f *agenciesForm) {
	dw := w.dossiers
	a, code := f.Agencies(), f.code
	if err := a.Check(); err != nil || code == "" {
		f.validate()
		return
	}
	dw.steps.Run("agencies", func(ctx context.Context) (func(), error) {
		got, err := dw.st.SetAgencies(ctx, code, a, dw.user)
		if err != nil {
			return func() { f.Message.SetText(stepErrText(err)) }, nil
		}
		return func() {
			f.History.SetText(historyText(got, nil))
			f.dlg.Hide()
			w.afterWrite(tr("The agencies of {{.Plan}} are saved", map[string]any{"Plan": code}))
		}, nil
	})
}
