package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"

	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// dossierStore is what the dossier pages, the dashboard and the yearly
// report read and write; *store.Store satisfies it. A window over a source
// that is not one shows them without their actions.
type dossierStore interface {
	plan.DossierSource
	plan.ReportSource
	Advance(ctx context.Context, id int64, st store.Step) (store.Dossier, error)
	Rebase(ctx context.Context, id int64, res store.Resolution, by string) (store.Dossier, error)
	Attach(ctx context.Context, dossier int64, kind, name string, data []byte) (store.Attachment, error)
	Extract(ctx context.Context, dossier, attachment int64) (store.Attachment, []byte, error)
	Apply(ctx context.Context, req store.ApplyRequest) (store.ApplyResult, error)
	SetAgencies(ctx context.Context, plan string, a store.Agencies, by string) (store.Agencies, error)
	AgencyHistory(ctx context.Context, plan string) ([]store.Agencies, error)
	DossierSummaries(ctx context.Context) ([]store.DossierSummary, error)
}

// dossierWork is the window's dossier side: the dashboard, the page of the
// dossier open, and the background work they ask for.
type dossierWork struct {
	st        dossierStore // nil: the source cannot record steps
	tasks     runner       // loads of the page and the dashboard
	steps     runner       // steps, rebases, documents, agencies: written one at a time
	page      *dossierPage // the page of the dossier open, or nil
	pageTab   *centerTab
	now       func() time.Time // the clock of due dates and forms
	user      string           // who records a step (the login name)
	openPath  func(path string) error
	lastDrops []string // files dropped on the window, for tests
	reopen    int64    // the dossier whose page a rebuild opens again
	restoring bool     // a node chosen again (start, rebuild): no page opens
}

// Center tabs: the map, the dashboard, then the page of the dossier open.
const (
	mapTab       = 0
	dashboardTab = 1
	pageTab      = 2
)

// buildDossiers makes the dashboard and the dossier side's wiring.
func (w *Window) buildDossiers() {
	dw := &dossierWork{now: time.Now, user: loginName()}
	dw.st, _ = w.src.(dossierStore)
	dw.tasks = runner{sync: w.opts.Sync, slow: func() { w.Status.Slow() }, done: w.taskDone}
	dw.steps = runner{sync: w.opts.Sync, slow: func() { w.Status.Slow() }, done: w.writeDone}
	dw.openPath = func(path string) error { return w.app.OpenURL(&url.URL{Scheme: "file", Path: path}) }
	if old := w.dossiers; old != nil { // a rebuild keeps the clock, the opener and the page open
		dw.now, dw.openPath, dw.lastDrops = old.now, old.openPath, old.lastDrops
		if old.page != nil {
			dw.reopen = old.page.id
		}
	}
	w.dossiers = dw
	w.Dashboard = newDashboard()
	w.Dashboard.OnOpen = w.OpenDossier
	w.Dashboard.OnReload = w.loadDashboard
	w.Dashboard.OnReport = func() { w.ShowReport() }
	w.Dashboard.OnAgencies = func(code string) { w.ShowAgencies(code) }
	w.Dashboard.OnNew = func(code string) { // the editor's form (ui/edit_window.go): made, it opens for editing
		if code == "" && w.shown.state != nil {
			code = w.shown.state.Plan.Code
		}
		if code != "" {
			w.NewDossier(code, 0)
		}
	}
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { w.dropped(uris) })
}

// writeDone ends a write: its result shows what it did, so the status
// bar changes only when it failed.
func (w *Window) writeDone(name string, err error) {
	if err != nil {
		w.taskDone(name, err)
		return
	}
	if w.opts.OnTaskDone != nil {
		w.opts.OnTaskDone(name, nil)
	}
}

// loginName is who records steps taken in the window.
func loginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

// centerTabs puts the map (with its tools) and the dashboard in the
// window's middle; a dossier's page is a third view when one is open.
func (w *Window) centerTabs(mapArea fyne.CanvasObject) *centerTabs {
	w.Center = newCenterTabs()
	w.Center.Append(tr("Map"), mapArea)
	w.Center.Append(tr("Dossiers"), w.Dashboard)
	w.Center.OnSelected = func(t *centerTab) {
		// the right-hand panels serve the map: the dossier views take their room
		if t.Content == mapArea {
			w.Right.Show()
		} else {
			w.Right.Hide()
		}
		if t.Content == w.Dashboard && !w.Dashboard.loaded {
			w.loadDashboard()
		}
	}
	if id := w.dossiers.reopen; id != 0 { // after a rebuild: the page again
		w.dossiers.reopen = 0
		w.OpenDossier(id)
	}
	return w.Center
}

// showMapTab brings the map to the front.
func (w *Window) showMapTab() {
	if w.Center != nil {
		w.Center.SelectIndex(mapTab)
	}
}

// ShowDashboard brings the dashboard to the front and loads it.
func (w *Window) ShowDashboard() {
	w.Center.SelectIndex(dashboardTab)
	w.loadDashboard()
}

// loadDashboard reads every dossier in the background and shows them.
func (w *Window) loadDashboard() {
	dw := w.dossiers
	src, ok := w.src.(interface {
		DossierSummaries(ctx context.Context) ([]store.DossierSummary, error)
	})
	if !ok {
		w.Dashboard.ShowError(errors.New(tr("This store cannot list its dossiers")))
		return
	}
	now := dw.now()
	dw.tasks.Run("dashboard", func(ctx context.Context) (func(), error) {
		sums, err := src.DossierSummaries(ctx)
		if err != nil {
			return nil, err
		}
		rows := plan.DashboardRows(sums, now)
		return func() { w.Dashboard.SetRows(rows, w.Browser.Plans()) }, nil
	})
}

// OpenDossier shows the page of a dossier (loading it in the background).
func (w *Window) OpenDossier(id int64) {
	dw := w.dossiers
	if dw.page == nil || dw.page.id != id {
		dw.page = newDossierPage(id, w.cat)
		w.wirePage(dw.page)
	}
	p := dw.page
	title := tr("Dossier {{.ID}}", map[string]any{"ID": id})
	if dw.pageTab == nil || !w.Center.Has(dw.pageTab) {
		dw.pageTab = w.Center.Append(title, p)
	}
	w.Center.SetContent(dw.pageTab, title, p)
	w.Center.Select(dw.pageTab)
	w.loadPage()
}

// closePage closes the page of the dossier open.
func (w *Window) closePage() {
	dw := w.dossiers
	if dw.pageTab != nil {
		w.Center.Remove(dw.pageTab)
	}
	dw.page, dw.pageTab = nil, nil
	w.Center.SelectIndex(dashboardTab)
}

// loadPage reads what the page of the dossier open shows.
func (w *Window) loadPage() {
	dw := w.dossiers
	p := dw.page
	if p == nil {
		return
	}
	src, ok := w.src.(plan.DossierSource)
	if !ok {
		p.ShowError(errors.New(tr("This store cannot show a dossier's history")))
		return
	}
	id := p.id
	w.Status.Busy(tr("Loading dossier {{.ID}}…", map[string]any{"ID": id}))
	dw.tasks.Run("page", func(ctx context.Context) (func(), error) {
		pg, err := plan.OpenPage(ctx, src, id, w.cat)
		if err != nil {
			return nil, err
		}
		return func() {
			if dw.page == p {
				p.Display(pg, dw.now(), dw.st != nil)
				w.tracePage(p)
			}
		}, nil
	})
}

// tracePage tells a script the page shown and where its controls are.
func (w *Window) tracePage(p *dossierPage) {
	if w.opts.OnTrace == nil {
		return
	}
	controls := map[string]fyne.CanvasObject{"badge": p.Badge, "close": p.Close}
	for _, a := range p.pg.Actions {
		controls[a] = p.Buttons[a]
	}
	for i, t := range w.Center.Items {
		controls[[]string{"map", "dashboard", "pagetab"}[min(i, 2)]] = t.Button
	}
	w.trace(fmt.Sprintf("page %d %s", p.pg.Dossier.ID, p.pg.Dossier.State), controls)
}

// afterWrite shows what a step, a rebase, a document or new agencies
// changed: the page again, the browser's nodes and the dashboard.
func (w *Window) afterWrite(status string) {
	if p := w.dossiers.page; p != nil {
		p.pending = status
	}
	if data, err := loadBrowserData(context.Background(), w.src); err == nil {
		w.Browser.SetData(data)
	}
	w.Site.forget() // a new version may be current
	w.loadPage()
	if w.Dashboard.loaded {
		w.loadDashboard()
	}
	w.Status.Idle(status)
}

// dropped attaches files dropped on the window to the dossier whose page
// is shown.
func (w *Window) dropped(uris []fyne.URI) {
	dw := w.dossiers
	var paths []string
	for _, u := range uris {
		if u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	dw.lastDrops = paths
	if len(paths) == 0 {
		return
	}
	if dw.page == nil || w.Center.Selected() != dw.pageTab {
		dialog.ShowInformation(tr("Attach a document"), tr("Open a dossier's page to attach the files dropped on it"), w.Window)
		return
	}
	for _, path := range paths {
		w.askAttach(path)
	}
}

// stepErrText says why the store refused something, in the chosen language.
func stepErrText(err error) string {
	var se *store.StepError
	var ce *store.ConflictError
	var fe *store.FindingsError
	switch {
	case errors.As(err, &ce):
		var lots []string
		for i, id := range ce.Features {
			if i < len(ce.Labels) {
				id = ce.Labels[i]
			}
			lots = append(lots, id)
		}
		return tr("{{.N}} lots were changed both by this dossier and by a version approved since its base: {{.Lots}}. Settle each in the Conflicts tab, then approve.",
			map[string]any{"N": len(ce.Features), "Lots": strings.Join(lots, ", ")})
	case errors.As(err, &fe):
		var list []string
		for _, x := range append(append([]topo.Finding(nil), fe.Errors...), fe.Warnings...) {
			list = append(list, findingText(x))
		}
		if len(fe.Errors) > 0 {
			return tr("The changes introduce {{.N}} errors into the plan: {{.List}}. Correct them, then submit.", map[string]any{"N": len(fe.Errors), "List": strings.Join(list, "; ")})
		}
		return tr("The changes introduce {{.N}} warnings: {{.List}}. Look at them, then submit acknowledging them.", map[string]any{"N": len(fe.Warnings), "List": strings.Join(list, "; ")})
	case errors.As(err, &se) && se.Key != "":
		data := map[string]any{}
		for k, v := range se.Data {
			switch k {
			case "State", "From", "To":
				v = stateName(v.(string))
			case "Action":
				v = actionName(v.(string))
			case "Need":
				var names []string
				for _, s := range v.([]string) {
					names = append(names, stateName(s))
				}
				v = strings.Join(names, tr(" or "))
			case "Name":
				v = tr(v.(string))
			}
			data[k] = v
		}
		return tr(se.Key, data)
	}
	return errText(err)
}

// tempCopy writes an attachment's bytes to a new temporary folder under
// its own name, for the system viewer.
func tempCopy(name string, data []byte) (string, error) {
	dir, err := os.MkdirTemp("", "quyhoach-doc-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, filepath.Base(name))
	return path, os.WriteFile(path, data, 0o600)
}
