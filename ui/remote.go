package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/office"
	"quyhoach/plan"
	"quyhoach/store"
)

// The office in the window (issue 15): a store cloned from the office
// shows how far it is from it in the status bar (up to date, N to push,
// M to pull, offline), and the Dossier menu pulls and pushes in the
// background with their progress, then lists what came or went. The work
// is plan's (plan/sync.go), as for the CLI's pull, push and remote.

// stateTimeout bounds the status bar's ask of the office: an office out of
// reach shows offline, it never holds anything up.
const stateTimeout = 3 * time.Second

// askEvery is how often the state is asked again while the window is
// open, so what the others pushed shows as "to pull" without a click.
const askEvery = 2 * time.Minute

// officeSync is the window's side of the office. It lives as long as the
// window (a rebuild keeps it); its widgets are made again with the window's.
type officeSync struct {
	w      *Window
	rep    plan.Replica // nil: the source cannot sync
	remote store.Remote // the office it was cloned from (URL without a password)
	has    bool         // the store has an office

	state  plan.RemoteState
	known  bool   // state holds an answer
	locked bool   // the office wants a password, not asked for in the background
	asking bool   // a state ask runs
	err    string // the last ask failed (the store itself, not the office)
	asks   runner // the state, asked in the background
	work   runner // a pull or a push
	busy   string // "pull", "replay" (a pull recording this replica's steps again) or "push" while one runs
	step   string // what it is doing, translated (UI goroutine)
	later  *time.Timer
	stop   func()

	// Dialog is the Office… dialog while shown; Result the list of the
	// last pull or push; Refusal the text of the last refused pull or push
	// (tests read them).
	Dialog  *officeDialog
	Result  *syncResult
	Refusal string

	askMu    sync.Mutex  // one password dialog at a time (askPassword)
	pwMu     sync.Mutex  // password
	password string      // typed in the window for remote.URL; in memory only
	asked    atomic.Bool // a pull or push runs: the password may be asked for
	wanted   atomic.Bool // the office wanted a password the background ask did not ask for
}

// buildOffice wires the office side into a window just built: the status
// bar's segment, and a refresh of the state after each dossier written.
// The first build reads the store's office and asks for its state.
func (w *Window) buildOffice() {
	o := w.Office
	if o == nil {
		o = &officeSync{w: w}
		o.rep, _ = w.src.(plan.Replica)
		if o.rep != nil {
			r, ok, err := o.rep.Remote(context.Background())
			o.remote, o.has = r, ok && err == nil
		}
		o.asks = runner{sync: w.opts.Sync, done: func(string, error) { o.asking = false; o.show() }}
		o.work = runner{sync: w.opts.Sync, slow: func() { w.Status.Slow() }, done: o.workDone}
		w.Office = o
		o.stop = func() {}
		if o.has {
			office.PasswordPrompt = o.askPassword // never the terminal's, from a window
			o.Refresh()
			o.stop = o.watch()
		}
	}
	w.Status.Remote.OnTapped = func() { w.ShowOffice() }
	cancel := w.Status.OnCancel
	w.Status.OnCancel = func() { // the status bar's Cancel stops a pull or push too
		o.work.Cancel()
		if cancel != nil {
			cancel()
		}
	}
	// a dossier written (a step, a document, a rebase, an edit) may be one
	// more to push
	if done := w.dossiers.steps.done; done != nil {
		w.dossiers.steps.done = func(name string, err error) {
			done(name, err)
			if err == nil {
				o.soon()
			}
		}
	}
	if w.Editor != nil {
		edited := w.Editor.OnChange
		w.Editor.OnChange = func(r *plan.Result, err error) {
			if edited != nil {
				edited(r, err)
			}
			if err == nil {
				o.soon()
			}
		}
	}
	o.show()
}

// HasOffice tells whether the store was cloned from an office.
func (o *officeSync) HasOffice() bool { return o != nil && o.has }

// CanSync tells whether Pull and Push can run: a store with an office that
// can be written, and neither running already.
func (o *officeSync) CanSync() bool { return o.HasOffice() && !o.w.readOnly() && o.busy == "" }

// Refresh asks the office for the state, in the background.
func (o *officeSync) Refresh() {
	if !o.HasOffice() {
		return
	}
	rep := o.rep
	o.asking = true
	o.asks.Run("office state", func(ctx context.Context) (func(), error) {
		o.wanted.Store(false)
		st, err := plan.StateOf(ctx, rep, stateTimeout)
		locked := st.Offline && o.wanted.Load()
		return func() {
			o.err = ""
			if err != nil {
				o.err = err.Error()
				return
			}
			o.state, o.known, o.locked = st, true, locked
		}, nil
	})
	o.show()
}

// soon asks for the state a moment after the last of a burst of writes
// (every gesture of editing is one).
func (o *officeSync) soon() {
	if !o.HasOffice() {
		return
	}
	if o.w.opts.Sync {
		o.Refresh()
		return
	}
	if o.later != nil {
		o.later.Stop()
	}
	o.later = time.AfterFunc(time.Second, func() { onUI(o.Refresh) })
}

// watch asks for the state every askEvery until the returned function is
// called (the window closed).
func (o *officeSync) watch() (stop func()) {
	if o.w.opts.Sync {
		return func() {}
	}
	t := time.NewTicker(askEvery)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				onUI(func() {
					if o.busy == "" {
						o.Refresh()
					}
				})
			case <-done:
				t.Stop()
				return
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}

// Close stops the asks and the work (the window closes).
func (o *officeSync) Close() {
	if o == nil {
		return
	}
	o.stop()
	if o.later != nil {
		o.later.Stop()
	}
	o.asks.Cancel()
	o.work.Cancel()
}

// StateText is the status bar's words for the state.
func (o *officeSync) StateText() string {
	s := o.state
	switch {
	case o.err != "":
		return tr("Office: cannot tell")
	case !o.known:
		return tr("Office: asking…")
	case o.locked:
		return tr("Office: password needed")
	case s.Offline && s.ToPush > 0:
		return tr("Office: offline · {{.N}} to push", map[string]any{"N": s.ToPush})
	case s.Offline:
		return tr("Office: offline")
	case s.UpToDate():
		return tr("Office: up to date")
	case s.ToPull == 0:
		return tr("Office: {{.N}} changes to push", map[string]any{"N": s.ToPush})
	case s.ToPush == 0:
		return tr("Office: {{.M}} to pull", map[string]any{"M": s.ToPull})
	}
	return tr("Office: {{.N}} to push · {{.M}} to pull", map[string]any{"N": s.ToPush, "M": s.ToPull})
}

// stateIcon draws the state beside its words.
func (o *officeSync) stateIcon() fyne.Resource {
	s := o.state
	switch {
	case o.locked:
		return theme.AccountIcon()
	case o.err != "" || o.known && s.Offline:
		return theme.WarningIcon()
	case !o.known:
		return theme.ViewRefreshIcon()
	case s.UpToDate():
		return theme.ConfirmIcon()
	case s.ToPull > 0:
		return theme.DownloadIcon()
	}
	return theme.UploadIcon()
}

// detail is the state in full: the Office dialog's line, with why the
// office could not be asked.
func (o *officeSync) detail() string {
	s := o.state
	switch {
	case o.err != "":
		return tr("The store could not tell what it has to push: {{.Err}}", map[string]any{"Err": o.err})
	case !o.known:
		return tr("Asking the office…")
	case o.locked:
		return tr("The office wants the password of {{.User}}: Pull or Push asks for it (or put it in the file PGPASSFILE names, or ~/.pgpass). {{.N}} changes wait to be pushed.",
			map[string]any{"User": o.user(), "N": s.ToPush})
	case s.Offline:
		return tr("Offline: the office could not be reached ({{.Why}}). {{.N}} changes wait to be pushed; work goes on here.",
			map[string]any{"Why": s.Problem, "N": s.ToPush})
	case s.UpToDate():
		return tr("Up to date: nothing to push or pull.")
	}
	return tr("{{.N}} changes to push (dossiers and versions made here), {{.M}} to pull (changed at the office since the last pull).",
		map[string]any{"N": s.ToPush, "M": s.ToPull})
}

// user is the login of the office's address.
func (o *officeSync) user() string {
	if u, err := url.Parse(o.remote.URL); err == nil && u.User != nil {
		return u.User.Username()
	}
	return "?"
}

// show puts the state in the status bar, the menu and the Office dialog.
func (o *officeSync) show() {
	seg := o.w.Status.Remote
	if !o.HasOffice() {
		seg.Hide()
		return
	}
	text := o.StateText()
	switch o.busy { // the step itself is the status bar's text, with its progress
	case "pull", "replay":
		text = tr("Office: pulling…")
	case "push":
		text = tr("Office: pushing…")
	}
	if seg.Set(text, o.stateIcon()) || !seg.Visible() {
		seg.Show()
		o.w.Status.Refresh() // the bar lays its parts out again: the segment's width follows its words
	}
	if o.Dialog != nil {
		o.Dialog.update(o)
	}
}

// ShowOffice shows the Office dialog: the office's address, the last
// pull, the state, and Pull and Push. It returns nil for a store with no
// office.
func (w *Window) ShowOffice() *officeDialog {
	o := w.Office
	if !o.HasOffice() {
		w.Status.Idle(tr("This store has no office: it was not cloned from one"))
		return nil
	}
	d := &officeDialog{
		Address:  widget.NewLabel(office.Redact(o.remote.URL)),
		LastPull: widget.NewLabel(""),
		State:    para(""),
		Step:     widget.NewLabel(""),
		Bar:      widget.NewProgressBarInfinite(),
	}
	d.Address.Selectable = true
	d.Address.Wrapping = fyne.TextWrapBreak
	d.Pull = widget.NewButtonWithIcon(tr("Pull"), theme.DownloadIcon(), w.Pull)
	d.Push = widget.NewButtonWithIcon(tr("Push"), theme.UploadIcon(), w.Push)
	d.Ask = widget.NewButtonWithIcon(tr("Ask again"), theme.ViewRefreshIcon(), o.Refresh)
	d.Cancel = widget.NewButtonWithIcon(tr("Cancel"), theme.CancelIcon(), o.work.Cancel)
	d.Pull.Importance = widget.HighImportance
	d.progress = container.NewBorder(nil, nil, nil, d.Cancel, container.NewVBox(d.Step, d.Bar))
	form := widget.NewForm(
		widget.NewFormItem(tr("Address"), d.Address),
		widget.NewFormItem(tr("Last pull"), d.LastPull),
		widget.NewFormItem(tr("State"), d.State),
	)
	content := container.NewVBox(form, d.progress, container.NewHBox(d.Pull, d.Push, d.Ask))
	d.dlg = dialog.NewCustom(tr("Office"), tr("Close"), content, w.Window)
	d.dlg.SetOnClosed(func() {
		if o.Dialog == d {
			o.Dialog = nil
		}
	})
	d.dlg.Resize(dialogSize(w.Window, 560, 0))
	o.Dialog = d
	d.update(o)
	showDialog(d.dlg, w.Window)
	if o.busy == "" {
		o.Refresh()
	}
	return d
}

// officeDialog is the Office… dialog.
type officeDialog struct {
	Address, LastPull, State, Step *widget.Label
	Bar                            *widget.ProgressBarInfinite
	Pull, Push, Ask, Cancel        *widget.Button
	progress                       *fyne.Container
	dlg                            *dialog.CustomDialog
}

func (d *officeDialog) update(o *officeSync) {
	last := o.state.LastPull
	if !o.known {
		last = o.remote.LastPull
	}
	if last.IsZero() {
		d.LastPull.SetText(tr("never (cloned {{.At}})", map[string]any{"At": o.remote.Cloned.Local().Format("2006-01-02 15:04")}))
	} else {
		d.LastPull.SetText(last.Local().Format("2006-01-02 15:04"))
	}
	d.State.SetText(o.detail())
	if o.busy != "" {
		d.Step.SetText(o.step)
		d.progress.Show()
		d.Bar.Start()
	} else {
		d.Bar.Stop()
		d.progress.Hide()
	}
	for _, b := range []*widget.Button{d.Pull, d.Push} {
		if o.CanSync() {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if o.busy != "" || o.asking {
		d.Ask.Disable()
	} else {
		d.Ask.Enable()
	}
}

// Close closes the dialog.
func (d *officeDialog) Close() { d.dlg.Hide() }

// Pull brings what changed at the office, in the background; then the
// list of what came, the browser and the dossier views read again.
func (w *Window) Pull() { w.Office.run("pull") }

// Push sends the dossiers changed here and the versions approved here, in
// the background; then the list of what went, or the office's refusal.
func (w *Window) Push() { w.Office.run("push") }

func (o *officeSync) run(op string) {
	w := o.w
	switch {
	case !o.HasOffice():
		w.Status.Idle(tr("This store has no office: it was not cloned from one"))
		return
	case w.readOnly():
		w.Status.Idle(tr("This store is read-only: it cannot pull or push"))
		return
	case o.busy != "":
		return // the one running ends first
	}
	o.busy, o.Refusal = op, ""
	o.asked.Store(true)
	o.asks.Cancel() // the state comes again after
	o.progress(op, "connect", 0, 0)
	w.Status.Busy(o.step)
	rep := o.rep
	progress := func(step string, done, total int) {
		onUI(func() { o.told(op, step, done, total) })
	}
	o.show()
	o.work.Run(op, func(ctx context.Context) (func(), error) {
		if op == "pull" || op == "replay" {
			res, err := plan.PullWith(ctx, rep, plan.PullOptions{Replay: op == "replay"}, progress)
			titles := o.titles(ctx, res.Diverged)
			return func() { o.pulled(res, err, titles) }, nil
		}
		res, err := plan.Push(ctx, rep, progress)
		var local int64 // the refused dossier's number here
		var conflict *office.ConflictError
		if errors.As(err, &conflict) {
			local = o.localNumber(ctx, conflict.UID)
		}
		return func() { o.pushed(res, err, local) }, nil
	})
}

// told shows a step of the pull or push running (plan.SyncProgress, on
// the UI goroutine) in the status bar and the Office dialog; a step told
// after the end is dropped.
func (o *officeSync) told(op, step string, done, total int) {
	if o.busy != op {
		return
	}
	o.progress(op, step, done, total)
	o.w.Status.Busy(o.step)
	o.show()
}

// progress words a step of a pull or push.
func (o *officeSync) progress(op, step string, done, total int) {
	var what string
	switch step {
	case "connect":
		what = tr("connecting to the office")
	case "plans":
		what = tr("reading the plans")
	case "versions":
		what = tr("reading the versions")
	case "dossiers":
		what = tr("reading the dossiers")
	case "write":
		what = tr("writing into the store")
	case "read":
		what = tr("reading what to send")
	case "send":
		what = tr("sending")
	default:
		what = step
	}
	if total > 0 {
		what += fmt.Sprintf(" (%d/%d)", done, total)
	}
	if op == "pull" || op == "replay" {
		o.step = tr("Pulling from the office: {{.Step}}…", map[string]any{"Step": what})
	} else {
		o.step = tr("Pushing to the office: {{.Step}}…", map[string]any{"Step": what})
	}
}

// workDone ends a pull or a push: cancelled or failed, the status says so;
// either way the state is asked again.
func (o *officeSync) workDone(name string, err error) {
	o.busy, o.step = "", ""
	o.asked.Store(false)
	if err != nil {
		o.w.taskDone(name, err)
	} else if o.w.opts.OnTaskDone != nil {
		o.w.opts.OnTaskDone(name, nil)
	}
	o.Refresh()
}

// pulled shows what a pull brought and reads the window's views again.
func (o *officeSync) pulled(res plan.PullResult, err error, titles map[int64]string) {
	w := o.w
	if err != nil {
		o.refused(tr("Not pulled"), err, 0)
		return
	}
	rows := pullRows(res, titles, func() { o.run("replay") })
	if len(rows) == 0 {
		w.Status.Idle(tr("Already up to date with the office"))
		return
	}
	w.Status.Idle(tr("Pulled from the office: {{.N}} items", map[string]any{"N": len(rows)}))
	if res.Brought() {
		o.reread(res)
	}
	o.Result = showSyncResult(w, tr("What the pull brought"), rows)
}

// reread shows the store as the pull left it: the browser, the dashboard,
// the page of the dossier open, the plan shown when it has a new version,
// the dossier open for editing when it came anew.
func (o *officeSync) reread(res plan.PullResult) {
	w := o.w
	w.refreshBrowser()
	if w.Dashboard.loaded {
		w.loadDashboard()
	}
	came := map[int64]bool{}
	for _, d := range res.Dossiers {
		if d.Status != store.UnpackUpToDate {
			came[d.Dossier] = true
		}
	}
	if p := w.dossiers.page; p != nil && came[p.id] {
		w.loadPage()
	}
	if w.Editor.Editing() {
		if id := w.Editor.Session().Dossier().ID; came[id] {
			w.Edit(id) // the session holds the draft as it was
		}
		return
	}
	n := w.shown.node
	for _, v := range res.Versions {
		if v.Status != store.UnpackUpToDate && n.Plan == v.Plan && n.Version == 0 && n.Dossier == 0 && w.shown.cmp == nil {
			w.Show(n.Plan, 0)
			return
		}
	}
}

// pushed shows what a push sent (and what the pull after it brought, when
// others pushed in the meantime), or why the office refused it.
func (o *officeSync) pushed(res plan.PushResult, err error, local int64) {
	w := o.w
	if err != nil {
		o.refused(tr("Not pushed"), err, local)
		return
	}
	rows := pushRows(res)
	if len(rows) == 0 {
		w.Status.Idle(tr("Nothing to push: the office has everything made here"))
		return
	}
	w.Status.Idle(strings.SplitN(rows[len(rows)-1].Text, "\n", 2)[0])
	o.Result = showSyncResult(w, tr("What the push sent"), rows)
}

// refused says why a pull or push was refused; a push refused because the
// office changed the dossier offers to pull at once.
func (o *officeSync) refused(title string, err error, local int64) {
	w := o.w
	if strings.Contains(err.Error(), "password") {
		o.forgetPassword() // refused, or not given: asked again next time
	}
	var conflict *office.ConflictError
	pullFirst := errors.As(err, &conflict)
	text := syncErrText(err, local)
	o.Refusal = text
	w.Status.Idle(title + ": " + strings.SplitN(text, "\n", 2)[0])
	l := para(text)
	var d dialog.Dialog
	if pullFirst {
		d = dialog.NewCustomConfirm(title, tr("Pull now"), tr("Close"), l, func(yes bool) {
			if yes {
				w.Pull()
			}
		}, w.Window)
	} else {
		d = dialog.NewCustom(title, tr("Close"), l, w.Window)
	}
	d.Resize(dialogSize(w.Window, 520, 0))
	showDialog(d, w.Window)
}

// syncErrText is a refused pull or push in the chosen language, with what
// to do; local is the number here of the dossier a push was refused for.
func syncErrText(err error, local int64) string {
	var conflict *office.ConflictError
	var div *store.DivergedError
	var refused *office.RefusedError
	switch {
	case errors.As(err, &conflict):
		return tr("Dossier {{.ID}} ({{.Title}}; number {{.N}} at the office) was changed at the office by {{.By}} at {{.At}}, after your last pull. Nothing was sent: pull, then push again.",
			map[string]any{"ID": local, "N": conflict.Number, "Title": conflict.Title, "By": conflict.By, "At": conflict.At.Local().Format("2006-01-02 15:04")})
	case errors.As(err, &div) && div.Dossier == 0:
		return tr("Plan {{.Plan}} moved on both here (version {{.Here}}) and at the office (version {{.There}}) since the last pull. Nothing was taken.",
			map[string]any{"Plan": div.Plan, "Here": div.Here, "There": div.There})
	case errors.As(err, &refused):
		return tr("The office does not allow {{.User}} ({{.Role}}) to {{.What}}: {{.Why}}",
			map[string]any{"User": refused.User, "Role": refused.Role, "What": refused.What, "Why": refused.Reason})
	case errors.Is(err, plan.ErrNoRemote):
		return tr("This store has no office: it was not cloned from one")
	}
	return errText(err)
}

// localNumber is the number here of the dossier of global id uid (0 when
// it cannot be read).
func (o *officeSync) localNumber(ctx context.Context, uid string) int64 {
	ds, err := o.w.src.Dossiers(ctx, store.DossierFilter{})
	if err != nil {
		return 0
	}
	for _, d := range ds {
		if d.UID == uid {
			return d.ID
		}
	}
	return 0
}

// titles are the titles of the dossiers a pull left as they are here.
func (o *officeSync) titles(ctx context.Context, div []plan.Diverged) map[int64]string {
	if len(div) == 0 {
		return nil
	}
	out := map[int64]string{}
	ds, _ := o.w.src.Dossiers(ctx, store.DossierFilter{})
	for _, d := range ds {
		out[d.ID] = d.Title
	}
	return out
}

// syncRow is one line of what a pull brought or a push sent; Dossier,
// when set, is the dossier the row opens.
type syncRow struct {
	Title   string // the dossier's title, above the text
	Text    string
	Icon    fyne.Resource
	Dossier int64
	// Act, when set, is a button's label and Do what it does (the list
	// closes first): recording this replica's steps again after the office's.
	Act string
	Do  func()
}

// pullRows says what a pull brought, one row each: new plans, new
// versions, dossiers new or with new steps, documents or changes (and
// whether they need a rebase), and the dossiers left as they are here
// (titles: theirs, by number).
func pullRows(r plan.PullResult, titles map[int64]string, replay func()) []syncRow {
	var rows []syncRow
	for _, p := range r.Plans {
		switch p.Status {
		case store.UnpackNew:
			rows = append(rows, syncRow{Text: tr("New plan {{.Plan}}", map[string]any{"Plan": p.Plan}), Icon: theme.FolderNewIcon()})
		case store.UnpackAppended:
			rows = append(rows, syncRow{Text: tr("Plan {{.Plan}}: new layers or agencies", map[string]any{"Plan": p.Plan}), Icon: theme.FolderIcon()})
		}
	}
	for _, v := range r.Versions {
		if v.Status != store.UnpackUpToDate {
			rows = append(rows, syncRow{Text: tr("Version {{.N}} of plan {{.Plan}}", map[string]any{"N": v.Number, "Plan": v.Plan}), Icon: theme.DocumentIcon()})
		}
	}
	for _, d := range r.Dossiers {
		if d.Status != store.UnpackUpToDate {
			icon := theme.MailComposeIcon()
			if d.NeedsRebase() {
				icon = theme.WarningIcon()
			}
			text := receivedText(d)
			if d.Replayed > 0 {
				text += "\n" + tr("{{.N}} of your steps or documents recorded again after the office's: Push sends them", map[string]any{"N": d.Replayed})
			}
			rows = append(rows, syncRow{Title: d.Title, Text: text, Icon: icon, Dossier: d.Dossier})
		}
	}
	for _, d := range r.Diverged {
		if d.Dossier == 0 {
			rows = append(rows, syncRow{Text: tr("Plan {{.Plan}}: a version was approved both here and at the office; the office's was not taken and the one here cannot be pushed: the office decides which approval stands.",
				map[string]any{"Plan": d.Plan}), Icon: theme.ErrorIcon()})
			continue
		}
		row := syncRow{Title: titles[d.Dossier], Text: tr("Dossier {{.ID}} was left as it is here: it was changed both here and at the office since the last pull.",
			map[string]any{"ID": d.Dossier}), Icon: theme.ErrorIcon(), Dossier: d.Dossier}
		if d.Steps && replay != nil {
			// steps or documents on both sides: this replica's own, never
			// pushed, may be recorded again after the office's
			row.Text += "\n" + tr("Steps or documents were recorded on both sides: yours can be recorded again after the office's, each step if it may still follow.")
			row.Act, row.Do = tr("Record mine after the office's"), replay
		}
		rows = append(rows, row)
	}
	for _, d := range r.Unverified {
		rows = append(rows, syncRow{Title: d.Title, Text: tr("Not taken: number {{.N}} at the office does not verify there ({{.Reason}}); ask the office to mend it.",
			map[string]any{"N": d.Number, "Reason": d.Reason}), Icon: theme.ErrorIcon()})
	}
	return rows
}

// pushRows says what a push sent: the versions approved here, and each
// dossier with its number at the office.
func pushRows(r plan.PushResult) []syncRow {
	var rows []syncRow
	for _, v := range r.Versions {
		text := tr("Version {{.N}} sent", map[string]any{"N": v.Number})
		if !v.New {
			text = tr("Version {{.N}}: the office held it already", map[string]any{"N": v.Number})
		}
		rows = append(rows, syncRow{Text: text, Icon: theme.DocumentIcon()})
	}
	for _, d := range r.Dossiers {
		data := map[string]any{"ID": d.Dossier, "Number": d.Number, "Plan": d.Plan, "State": stateName(d.State), "Title": d.Title}
		var text string
		switch d.Status {
		case "new":
			text = tr("Sent: dossier {{.ID}} ({{.Plan}}, {{.State}}) → number {{.Number}} at the office", data)
		case "updated":
			text = tr("Sent: dossier {{.ID}} ({{.Plan}}, {{.State}}), number {{.Number}} at the office, updated", data)
		default:
			text = tr("Dossier {{.ID}} ({{.Plan}}): the office held it already as number {{.Number}}", data)
		}
		rows = append(rows, syncRow{Title: d.Title, Text: text, Icon: theme.UploadIcon(), Dossier: d.Dossier})
	}
	return rows
}

// syncResult is the list of what a pull brought or a push sent.
type syncResult struct {
	Rows []syncRow
	dlg  *dialog.CustomDialog
}

// Texts are the rows' words (tests).
func (r *syncResult) Texts() []string {
	out := make([]string, len(r.Rows))
	for i, row := range r.Rows {
		out[i] = row.Text
	}
	return out
}

// Close closes the list.
func (r *syncResult) Close() { r.dlg.Hide() }

// showSyncResult lists rows in a dialog, one row each; a dossier's row
// opens its page.
func showSyncResult(w *Window, title string, rows []syncRow) *syncResult {
	r := &syncResult{Rows: rows}
	box := container.NewVBox()
	for i, row := range rows {
		if i > 0 {
			box.Add(widget.NewSeparator())
		}
		var open fyne.CanvasObject
		openIt := func() {}
		if id := row.Dossier; id != 0 {
			openIt = func() {
				r.Close()
				w.OpenDossier(id)
			}
		}
		var segs []widget.RichTextSegment
		if row.Title != "" {
			segs = append(segs, &widget.TextSegment{Text: row.Title, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}}})
		}
		for _, line := range strings.Split(row.Text, "\n") {
			segs = append(segs, &widget.TextSegment{Text: line, Style: widget.RichTextStyle{}})
		}
		words := widget.NewRichText(segs...)
		words.Wrapping = fyne.TextWrapWord
		var body fyne.CanvasObject = words
		if row.Do != nil {
			// an action under the words, which keep the row's width
			do := row.Do
			acts := container.NewHBox(layout.NewSpacer(), widget.NewButtonWithIcon(row.Act, theme.ViewRefreshIcon(), func() {
				r.Close()
				do()
			}))
			if row.Dossier != 0 {
				acts.Add(widget.NewButtonWithIcon(tr("Open"), theme.NavigateNextIcon(), openIt))
			}
			body = container.NewVBox(words, acts)
		} else if row.Dossier != 0 {
			open = container.NewCenter(widget.NewButtonWithIcon(tr("Open"), theme.NavigateNextIcon(), openIt))
		}
		box.Add(container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(row.Icon)), open, body))
	}
	r.dlg = dialog.NewCustom(title, tr("Close"), container.NewVScroll(box), w.Window)
	// as high as the rows wrapped at the dialog's width (up to 520): laid
	// out once at that width, the words say how many lines they take
	size := dialogSize(w.Window, 640, 520)
	box.Resize(fyne.NewSize(size.Width-2*theme.Padding()-40, box.MinSize().Height))
	r.dlg.Resize(fyne.NewSize(size.Width, min(box.MinSize().Height+130, size.Height)))
	showDialog(r.dlg, w.Window)
	return r
}

// askPassword is office.PasswordPrompt in the window: a pull or push the
// user asked for asks for the password in a dialog, kept in memory for
// the session (never in the store or the preferences); the status bar's
// ask never prompts (the office then shows offline, wanting a password).
//
// One dialog at a time (askMu, held while it waits); the password itself
// is under pwMu, never held while a dialog waits, so the UI goroutine
// (forgetPassword after a refusal) never waits on a dialog it must draw.
func (o *officeSync) askPassword(user, host string) (string, error) {
	o.askMu.Lock()
	defer o.askMu.Unlock()
	o.pwMu.Lock()
	pw := o.password
	o.pwMu.Unlock()
	if pw != "" {
		return pw, nil
	}
	if o.w.opts.Sync || !o.asked.Load() {
		o.wanted.Store(true)
		return "", errors.New("not asked for in the background")
	}
	answer := make(chan string, 1)
	onUI(func() {
		e := widget.NewPasswordEntry()
		var d *dialog.FormDialog
		d = dialog.NewForm(tr("Password"), tr("Connect"), tr("Cancel"),
			[]*widget.FormItem{widget.NewFormItem(tr("Password of {{.User}} at {{.Host}}", map[string]any{"User": user, "Host": host}), e)},
			func(ok bool) {
				if ok {
					answer <- e.Text
				} else {
					answer <- ""
				}
			}, o.w.Window)
		e.OnSubmitted = func(string) { d.Submit() }
		d.Resize(dialogSize(o.w.Window, 480, 0))
		showDialog(d, o.w.Window)
		o.w.Canvas().Focus(e)
	})
	if pw = <-answer; pw == "" {
		o.asked.Store(false) // a state asked for meanwhile does not ask again
		return "", errors.New("no password given")
	}
	o.pwMu.Lock()
	o.password = pw
	o.pwMu.Unlock()
	return pw, nil
}

// forgetPassword drops the password typed (the office refused it).
func (o *officeSync) forgetPassword() {
	o.pwMu.Lock()
	o.password = ""
	o.pwMu.Unlock()
}

// officeSegment is the status bar's office state: an icon and its words,
// like the bar's other parts; a tap opens the Office dialog.
type officeSegment struct {
	widget.BaseWidget
	Icon  *widget.Icon
	Label *widget.Label
	text  string // the words, before any cut
	// OnTapped is called when the segment is tapped.
	OnTapped func()
}

// segmentMax is the widest the segment grows: the status bar's minimum
// is the window's, which the driver never shrinks back.
const segmentMax = 300

func newOfficeSegment() *officeSegment {
	s := &officeSegment{Icon: widget.NewIcon(nil), Label: widget.NewLabel("")}
	s.ExtendBaseWidget(s)
	s.Hide() // shown for a store with an office
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *officeSegment) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(segmentLayout{s}, s.Icon, s.Label))
}

// segmentLayout puts the icon left of the words.
type segmentLayout struct{ s *officeSegment }

func (l segmentLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	text := l.s.Label.MinSize()
	icon := theme.IconInlineSize()
	return fyne.NewSize(icon+theme.Padding()+text.Width, max(icon, text.Height))
}

func (l segmentLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	icon := theme.IconInlineSize()
	l.s.Icon.Resize(fyne.NewSquareSize(icon))
	l.s.Icon.Move(fyne.NewPos(0, (size.Height-icon)/2))
	x := icon + theme.Padding()
	l.s.Label.Resize(fyne.NewSize(size.Width-x, size.Height))
	l.s.Label.Move(fyne.NewPos(x, 0))
}

// Set shows text with icon; it reports whether the words changed.
func (s *officeSegment) Set(text string, icon fyne.Resource) bool {
	if s.Icon.Resource != icon {
		s.Icon.SetResource(icon)
	}
	if s.text == text {
		return false
	}
	s.text = text
	// cut to segmentMax with an ellipsis (a label cut by Fyne also cuts
	// by height, which the bar does not always give in full)
	wide := func(t string) bool {
		return fyne.MeasureText(t, theme.TextSize(), s.Label.TextStyle).Width+2*theme.InnerPadding() > segmentMax
	}
	shown := text
	for r := []rune(text); len(r) > 1 && wide(shown); r = r[:len(r)-1] {
		shown = strings.TrimSpace(string(r[:len(r)-1])) + "…"
	}
	s.Label.SetText(shown)
	return true
}

// Text is the words, uncut.
func (s *officeSegment) Text() string { return s.text }

// Tapped implements fyne.Tappable.
func (s *officeSegment) Tapped(*fyne.PointEvent) {
	if s.OnTapped != nil {
		s.OnTapped()
	}
}

// Cursor shows the segment can be tapped.
func (s *officeSegment) Cursor() desktop.Cursor { return desktop.PointerCursor }
