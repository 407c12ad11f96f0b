package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/scene"
	"quyhoach/plan"
	"quyhoach/store"
)

// The window's side of editing: the Edit button, opening a draft dossier
// for editing, and starting a dossier from an approved version.

// buildEditor makes the editor and its Edit button (in build).
func (w *Window) buildEditor() {
	old := w.Editor
	w.Editor = newEditor(w)
	w.Settings.OnSnap = func(px float64) { w.Editor.Snap = px }
	w.EditButton = newTip(tr("Edit"), theme.DocumentCreateIcon(),
		tr("Edit the plan shown: a draft dossier opens for editing; an approved version offers to start an adjustment dossier from it"), w.EditShown)
	if old != nil && old.sess != nil { // a rebuild (language) keeps the dossier open
		s := old.sess
		onUI(func() { w.startEditing(s) })
	}
}

// editArea is the map with its toolbar, the edit toolbar and the editing
// overlays.
func (w *Window) editArea(tools fyne.CanvasObject, layers ...fyne.CanvasObject) fyne.CanvasObject {
	e := w.Editor
	input := container.NewBorder(nil, nil, widget.NewLabel(tr("Type:")), nil, e.Input)
	e.Row = container.NewBorder(nil, nil, container.NewHBox(widget.NewLabel(tr("Layer:")), e.Layer), nil, input)
	e.Strip = container.NewVScroll(e.Bar)
	if !e.Editing() {
		e.Row.Hide()
		e.Strip.Hide()
	}
	top := container.NewVBox(container.NewHScroll(tools), e.Row)
	stack := container.NewStack(append(layers, e.Sketch, e.Tool)...)
	return container.NewBorder(top, nil, e.Strip, nil, stack)
}

// resumeEditing opens again the draft dossier that was open for editing
// when the window last closed (New).
func (w *Window) resumeEditing() {
	id := int64(w.app.Preferences().Int(prefEditing))
	if id == 0 || w.editSource() == nil {
		return
	}
	if d, err := w.src.Dossier(context.Background(), id); err != nil || d.State != store.Draft {
		w.app.Preferences().SetInt(prefEditing, 0)
		return
	}
	w.Edit(id)
}

// editSource is the store as editing needs it, or nil (read-only).
func (w *Window) editSource() EditSource {
	s, _ := w.src.(EditSource)
	return s
}

// EditShown edits what the map shows: a draft dossier opens for editing;
// an approved version, or a dossier past its draft, is read-only and the
// window offers to start an adjustment dossier from the version.
func (w *Window) EditShown() {
	s := w.shown.state
	if s == nil || w.editSource() == nil {
		return
	}
	if d := s.Dossier; d != nil && d.State == store.Draft {
		w.Edit(d.ID)
		return
	}
	w.offerDossier(s)
}

// offerDossier explains that s is read-only and offers a new dossier on
// its version (a dossier's: its base).
func (w *Window) offerDossier(s *plan.State) {
	base := s.Version.Number
	msg := tr("Version {{.N}} of {{.Plan}} is approved: it is read-only. Start an adjustment dossier from it to change it?",
		map[string]any{"N": base, "Plan": s.Plan.Code})
	if d := s.Dossier; d != nil {
		base = d.Base
		msg = tr("Dossier {{.ID}} is {{.State}}: it is read-only. Start another adjustment dossier from version {{.N}}?",
			map[string]any{"ID": d.ID, "State": stateName(d.State), "N": base})
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	w.Editor.Offer = dialog.NewCustomConfirm(tr("Read-only"), tr("Start a dossier…"), tr("Cancel"), l, func(ok bool) {
		if ok {
			w.NewDossier(s.Plan.Code, base)
		}
	}, w.Window)
	w.Editor.Offer.Resize(fyne.NewSize(480, 200))
	showDialog(w.Editor.Offer, w.Window)
}

// NewDossier asks for a new dossier's kind, title and reason, creates it
// on version base of plan code and opens it for editing.
func (w *Window) NewDossier(code string, base int) *dialog.FormDialog {
	kind := widget.NewRadioGroup([]string{tr("local adjustment"), tr("overall adjustment")}, nil)
	kind.SetSelected(tr("local adjustment"))
	kind.Required = true
	title := newEntry()
	title.Validator = func(s string) error {
		if len(s) == 0 {
			return errors.New(tr("a title is required"))
		}
		return nil
	}
	reason := newMultiLineEntry()
	reason.SetMinRowsVisible(3)
	d := dialog.NewForm(tr("New adjustment dossier"), tr("Create and edit"), tr("Cancel"), []*widget.FormItem{
		widget.NewFormItem(tr("Kind"), kind),
		widget.NewFormItem(tr("Title"), title),
		widget.NewFormItem(tr("Reason"), reason),
	}, func(ok bool) {
		if !ok {
			return
		}
		k := store.Local
		if kind.Selected == tr("overall adjustment") {
			k = store.Overall
		}
		id, err := w.editSource().CreateDossier(context.Background(), store.NewDossier{Plan: code, Base: base, Kind: k, Title: title.Text, Reason: reason.Text})
		if err != nil {
			w.Status.Idle(tr("Not done: {{.Err}}", map[string]any{"Err": err.Error()}))
			return
		}
		if data, err := loadBrowserData(context.Background(), w.src); err == nil {
			w.Browser.SetData(data)
		}
		w.Edit(id)
	}, w.Window)
	d.Resize(fyne.NewSize(520, 320))
	w.Editor.Create = d
	w.Editor.CreateFields = [3]fyne.CanvasObject{kind, title, reason}
	showDialog(d, w.Window)
	return d
}

// Edit opens dossier id for editing (loaded in the background).
func (w *Window) Edit(id int64) {
	src := w.editSource()
	if src == nil {
		return
	}
	w.Editor.close()
	w.dropEarly()
	w.Status.Busy(tr("Opening dossier {{.ID}} for editing…", map[string]any{"ID": id}))
	w.tasks.Run("edit", func(ctx context.Context) (func(), error) {
		s, err := plan.OpenSession(ctx, src, w.cat, id)
		var ne *plan.NotEditableError
		if errors.As(err, &ne) {
			st, err2 := plan.Open(ctx, w.src, "", plan.Ref{Dossier: id})
			if err2 != nil {
				return nil, err
			}
			return func() { w.offerDossier(st) }, nil
		}
		if err != nil {
			return nil, err
		}
		return func() { w.startEditing(s) }, nil
	})
}

// startEditing shows a session's proposal on the map with the edit tools.
func (w *Window) startEditing(s *plan.Session) {
	st := s.Snapshot()
	d := s.Dossier()
	n := node{Plan: st.Plan.Code, Dossier: d.ID}
	w.show(view{node: n, state: st, plan: scene.Plan(st.Layers, w.cat, Lang())})
	w.showMapTab()
	w.Editor.Start(s)
}
