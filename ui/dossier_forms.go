package ui

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/plan"
	"quyhoach/store"
)

// stepForm is the form of one approval step: the fields the step needs,
// checked as they are typed by the store's rules (plan.Page.Check), then
// a confirmation that says what will happen; a refusal of the store is
// shown in the form, in the chosen language.
type stepForm struct {
	action  string
	page    *plan.Page
	DocNo   *escEntry
	DocDate *escEntry // dd/mm/yyyy
	Agency  *widget.SelectEntry
	Signer  *escEntry
	Ma      *escEntry // maThongTinQH, proposed
	Propose *widget.Button
	Note    *escEntry
	// Ack acknowledges the warnings the store found in the change set
	// (shown when a submission was refused for them alone).
	Ack     *widget.Check
	Message *widget.Label
	Confirm *widget.Label // what will happen
	Next    *widget.Button
	Back    *widget.Button
	Do      *widget.Button
	Cancel  *widget.Button
	form    fyne.CanvasObject
	sure    fyne.CanvasObject
	box     *fyne.Container // the form and the confirmation, one shown
	dlg     *dialog.CustomDialog
	closed  bool
	// OnDo records the step; it reports back through Failed or Done.
	OnDo func(store.Step)
	// OnStage hears the form show its fields ("form"), its confirmation
	// ("confirm") or a refusal ("refused").
	OnStage func(stage string)
}

// newStepForm builds the form of action for a dossier's page, its fields
// filled with what the step starts with (plan.Page.Defaults).
func newStepForm(action string, pg *plan.Page, now time.Time, parent fyne.Window) *stepForm {
	f := &stepForm{action: action, page: pg}
	def := pg.Defaults(action, now)
	f.DocNo, f.DocDate, f.Signer, f.Ma = newEntry(), newEntry(), newEntry(), newEntry()
	f.DocDate.SetPlaceHolder("dd/mm/yyyy")
	f.DocDate.SetText(dateText(def.DocDate))
	f.Agency = widget.NewSelectEntry(pg.Agencies.List())
	f.Agency.SetText(def.Agency)
	f.Ma.SetText(def.MaThongTinQH)
	f.Propose = widget.NewButton(tr("Propose"), func() {
		if d, err := parseDate(f.DocDate.Text); err == nil {
			f.Ma.SetText(pg.ProposeMa(d))
		}
	})
	f.Note = newMultiLineEntry()
	f.Note.SetMinRowsVisible(2)
	f.Note.Wrapping = fyne.TextWrapWord
	f.Ack = widget.NewCheck(tr("I have looked at these warnings: submit anyway"), func(bool) { f.validate() })
	f.Ack.Hide()
	f.Message, f.Confirm = widget.NewLabel(""), widget.NewLabel("")
	f.Message.Wrapping, f.Confirm.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	f.Message.Importance = widget.DangerImportance
	f.Next = widget.NewButton(tr("Continue…"), f.next)
	f.Next.Importance = widget.HighImportance
	f.Back = widget.NewButton(tr("Back"), f.back)
	f.Do = widget.NewButton(actionName(action), f.do)
	f.Do.Importance = widget.HighImportance
	if action == "return" || action == "withdraw" {
		f.Do.Importance = widget.DangerImportance
	}
	f.Cancel = widget.NewButton(tr("Cancel"), f.Close)
	items := []*widget.FormItem{widget.NewFormItem(docLabel(action), f.DocNo), widget.NewFormItem(dateLabel(action), f.DocDate),
		widget.NewFormItem(tr("Agency"), f.Agency)}
	if action == "approve" {
		items = append(items, widget.NewFormItem(tr("Signed by"), f.Signer),
			widget.NewFormItem("maThongTinQH", container.NewBorder(nil, nil, nil, f.Propose, f.Ma)))
	}
	items = append(items, widget.NewFormItem(noteLabel(action), f.Note))
	for _, e := range []*widget.Entry{&f.DocNo.Entry, &f.DocDate.Entry, &f.Signer.Entry, &f.Ma.Entry, &f.Note.Entry, &f.Agency.Entry} {
		e.OnChanged = func(string) { f.validate() }
	}
	for field, e := range map[string]*escEntry{"doc_no": f.DocNo, "doc_date": f.DocDate, "signer": f.Signer, "ma": f.Ma, "note": f.Note} {
		field := field
		e.Validator = func(string) error { return f.fieldErr(field) }
	}
	// the refusal is shown with the fields (back at them): one place each,
	// a long list of findings scrolls
	f.form = container.NewVScroll(container.NewVBox(widget.NewLabel(f.intro()), widget.NewForm(items...), f.Message, f.Ack))
	f.sure = container.NewVBox(f.Confirm)
	f.box = container.NewStack(f.form, f.sure)
	f.dlg = dialog.NewCustomWithoutButtons(actionName(action), f.box, parent)
	f.dlg.Resize(fyne.NewSize(620, 420))
	f.showForm()
	f.validate()
	return f
}

// intro says which dossier the step is for.
func (f *stepForm) intro() string {
	d := f.page.Dossier
	return tr("Dossier {{.ID}}: {{.Title}} — {{.State}}", map[string]any{"ID": d.ID, "Title": d.Title, "State": stateName(d.State)})
}

// Step reads the form; an error says what is missing or wrong.
func (f *stepForm) Step() (store.Step, error) {
	st := store.Step{Action: f.action, DocNo: strings.TrimSpace(f.DocNo.Text), Agency: strings.TrimSpace(f.Agency.Text),
		Note: strings.TrimSpace(f.Note.Text)}
	if f.action == "approve" {
		st.Signer, st.MaThongTinQH = strings.TrimSpace(f.Signer.Text), strings.TrimSpace(f.Ma.Text)
	}
	st.AckWarnings = f.Ack.Visible() && f.Ack.Checked
	d, err := parseDate(f.DocDate.Text)
	if err != nil {
		return st, &store.StepError{Action: f.action, Field: "doc_date", Reason: err.Error()}
	}
	st.DocDate = d
	return st, f.page.Check(st)
}

// parseDate reads dd/mm/yyyy (or YYYY-MM-DD) as YYYY-MM-DD; "" is no date.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2/1/2006", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), nil
		}
	}
	return "", errors.New(tr("Date {{.D}}: want dd/mm/yyyy", map[string]any{"D": s}))
}

// fieldErr is the form's error when it is about field, else nil.
func (f *stepForm) fieldErr(field string) error {
	_, err := f.Step()
	var se *store.StepError
	if errors.As(err, &se) && se.Field == field {
		return errors.New(formErrText(err))
	}
	return nil
}

// formErrText is a form's error for people: a date's own message, or the
// store's reason in the chosen language.
func formErrText(err error) string {
	var se *store.StepError
	if errors.As(err, &se) && se.Key == "" && se.Field == "doc_date" {
		return se.Reason
	}
	return stepErrText(err)
}

// validate checks the form as it stands: the reason it cannot go on, or
// nothing, and Continue enabled only when it can.
func (f *stepForm) validate() {
	_, err := f.Step()
	if err != nil {
		f.Message.SetText(formErrText(err))
		f.Next.Disable()
		return
	}
	f.Message.SetText("")
	f.Next.Enable()
}

// Valid reports whether the form can go on to its confirmation.
func (f *stepForm) Valid() bool { return !f.Next.Disabled() }

func (f *stepForm) showForm() {
	f.dlg.SetButtons([]fyne.CanvasObject{f.Cancel, f.Next})
	f.setContent(f.form)
}

// setContent shows the form's fields or its confirmation.
func (f *stepForm) setContent(c fyne.CanvasObject) {
	f.form.Hide()
	f.sure.Hide()
	c.Show()
	f.box.Refresh()
}

// next checks the form and asks for confirmation, saying what will happen.
func (f *stepForm) next() {
	st, err := f.Step()
	if err != nil {
		f.validate()
		return
	}
	f.Confirm.SetText(confirmText(f.page, st))
	f.Message.SetText("")
	f.dlg.SetButtons([]fyne.CanvasObject{f.Back, f.Do})
	f.setContent(f.sure)
	f.stage("confirm")
}

func (f *stepForm) stage(s string) {
	if f.OnStage != nil {
		f.OnStage(s)
	}
}

func (f *stepForm) back() {
	f.showForm()
	f.validate()
}

// Confirming reports whether the form shows its confirmation.
func (f *stepForm) Confirming() bool { return f.sure.Visible() }

func (f *stepForm) do() {
	st, err := f.Step()
	if err != nil {
		f.back()
		return
	}
	f.Do.Disable()
	if f.OnDo != nil {
		f.OnDo(st)
	}
}

// Failed shows the store's refusal in the form, back at its fields; a
// submission refused for warnings alone can then acknowledge them.
func (f *stepForm) Failed(err error) {
	f.Do.Enable()
	f.back()
	var fe *store.FindingsError
	if errors.As(err, &fe) && len(fe.Errors) == 0 && len(fe.Warnings) > 0 {
		f.Ack.SetChecked(false)
		f.Ack.Show()
	}
	f.Message.SetText(stepErrText(err))
	f.stage("refused")
}

// Done closes the form: the step is recorded.
func (f *stepForm) Done() { f.Close() }

// Close closes the form.
func (f *stepForm) Close() {
	f.closed = true
	f.dlg.Hide()
}

// Open reports whether the form is still open.
func (f *stepForm) Open() bool { return !f.closed }

// confirmText says what a step will do: "Approve: makes version 3 of Chi Ma …".
func confirmText(pg *plan.Page, st store.Step) string {
	d := pg.Dossier
	data := map[string]any{"ID": d.ID, "Title": d.Title, "Plan": pg.Plan.Name, "Doc": dash(st.DocNo), "Date": dash(dateText(st.DocDate)),
		"Agency": dash(st.Agency), "Version": pg.NextVersion(), "Ma": st.MaThongTinQH, "Base": d.Base}
	switch st.Action {
	case "submit":
		return tr("Submit dossier {{.ID}} ({{.Title}}) with cover letter {{.Doc}} of {{.Date}} from {{.Agency}}. Its changes can no longer be edited unless it is returned.", data)
	case "appraise":
		return tr("Record that {{.Agency}} started the appraisal of dossier {{.ID}} on {{.Date}}; the appraisal's deadline starts.", data)
	case "appraised":
		return tr("Record appraisal report {{.Doc}} of {{.Date}} by {{.Agency}} for dossier {{.ID}}; it can then be approved.", data)
	case "approve":
		if st.MaThongTinQH == "" {
			data["Ma"] = tr("generated")
		}
		return tr("Approval makes version {{.Version}} of {{.Plan}} (decision {{.Doc}} of {{.Date}}, {{.Agency}}, maThongTinQH {{.Ma}}): the dossier's changes become the plan's current version. This cannot be undone.", data)
	case "publish":
		return tr("Record the publication of dossier {{.ID}} on {{.Date}}. The dossier is then closed.", data)
	case "return":
		return tr("Return dossier {{.ID}} to draft for completion: it can be edited and submitted again.", data)
	case "withdraw":
		return tr("Withdraw dossier {{.ID}}: it is closed and can take no more steps. This cannot be undone.", data)
	}
	return actionName(st.Action)
}

// docLabel, dateLabel and noteLabel name a step's fields.
func docLabel(action string) string {
	switch action {
	case "submit":
		return tr("Cover letter no.")
	case "appraised":
		return tr("Appraisal report no.")
	case "approve":
		return tr("Decision no.")
	}
	return tr("Document no. (if any)")
}

func dateLabel(action string) string {
	switch action {
	case "submit":
		return tr("Cover letter date")
	case "appraised":
		return tr("Report date")
	case "approve":
		return tr("Decision date")
	case "publish":
		return tr("Date of publication")
	}
	return tr("Date")
}

func noteLabel(action string) string {
	switch action {
	case "publish":
		return tr("Where it was published")
	case "return":
		return tr("Reason for returning")
	case "withdraw":
		return tr("Reason for withdrawing")
	}
	return tr("Note")
}

// ShowStep opens the form of an action for the dossier whose page is
// open; it returns the form (tests drive it), nil when there is none.
func (w *Window) ShowStep(action string) *stepForm {
	dw := w.dossiers
	if dw.page == nil || dw.page.pg == nil || dw.st == nil {
		return nil
	}
	p := dw.page
	f := newStepForm(action, p.pg, dw.now(), w.Window)
	id := p.pg.Dossier.ID
	f.OnDo = func(st store.Step) {
		st.By = dw.user
		w.Status.Busy(tr("Recording: {{.Step}}…", map[string]any{"Step": actionName(st.Action)}))
		dw.steps.Run("step", func(ctx context.Context) (func(), error) {
			d, err := dw.st.Advance(ctx, id, st)
			if err != nil {
				var ce *store.ConflictError
				return func() {
					f.Failed(err)
					w.Status.Idle(tr("Not done: {{.Err}}", map[string]any{"Err": actionName(st.Action)}))
					if errors.As(err, &ce) {
						w.loadPage() // the conflicts appear in their tab
						p.Tabs.SelectIndex(conflictsTab)
					}
				}, nil
			}
			return func() {
				f.Done()
				msg := tr("Dossier {{.ID}}: {{.Step}} recorded; it is now {{.State}}", map[string]any{"ID": id, "Step": actionName(st.Action), "State": stateName(d.State)})
				if st.Action == "approve" {
					msg += " · " + tr("version {{.N}} of {{.Plan}} is current", map[string]any{"N": d.Approved, "Plan": p.pg.Plan.Name})
				}
				w.afterWrite(msg)
			}, nil
		})
	}
	f.OnStage = func(stage string) {
		switch stage {
		case "confirm":
			w.trace("confirm "+action, map[string]fyne.CanvasObject{"do": f.Do, "back": f.Back})
		case "refused":
			w.trace("refused "+action+" "+strings.ReplaceAll(f.Message.Text, "\n", " "), nil)
		}
	}
	showDialog(f.dlg, w.Window)
	w.trace("form "+action, map[string]fyne.CanvasObject{"doc": f.DocNo, "date": f.DocDate, "agency": f.Agency, "signer": f.Signer,
		"ma": f.Ma, "note": f.Note, "next": f.Next, "cancel": f.Cancel})
	return f
}
