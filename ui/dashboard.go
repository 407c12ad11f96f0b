package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/plan"
	"quyhoach/store"
)

// dashboard lists every dossier of every plan: sortable by any column
// (overdue first until one is chosen), filtered by text, plan, state or
// overdue, with a count per state. A row opens its dossier's page.
type dashboard struct {
	widget.BaseWidget
	Search   *escEntry
	Plan     *widget.Select
	State    *widget.Select
	Overdue  *widget.Check
	Counts   *widget.Label
	Message  *widget.Label
	Table    *widget.Table
	First    *widget.Button // back to overdue first
	Reload   *widget.Button
	New      *widget.Button
	Report   *widget.Button
	Agencies *widget.Button
	rows     []plan.DashboardRow // every dossier, in the order chosen
	shown    []plan.DashboardRow // those the filter keeps
	plans    []store.Plan
	sortCol  int // −1: overdue first
	desc     bool
	loaded   bool
	// OnOpen opens a dossier's page; OnReload reads the dossiers again;
	// OnReport opens the yearly report; OnAgencies edits a plan's agencies
	// ("" when no plan is chosen in the filter); OnNew starts a dossier on
	// a plan (the same).
	OnNew      func(code string)
	OnOpen     func(id int64)
	OnReload   func()
	OnReport   func()
	OnAgencies func(code string)
}

var dashboardColumns = []struct {
	title string
	width float32
}{{"Plan", 160}, {"Title", 300}, {"State", 120}, {"Due", 95}, {"Days left", 130}, {"Last step", 290}, {"Kind", 140}} // plan.Col… order

// dashboardStates are the states the filter offers, in step order.
var dashboardStates = []string{store.Draft, store.Submitted, store.Appraising, store.Appraised, store.Approved, store.Published, store.Withdrawn}

func newDashboard() *dashboard {
	d := &dashboard{sortCol: -1, Counts: widget.NewLabel(""), Message: widget.NewLabel("")}
	d.Counts.Wrapping = fyne.TextWrapWord
	d.Message.Importance = widget.DangerImportance
	d.Message.Hide()
	d.Search = newEntry()
	d.Search.SetPlaceHolder(tr("Search plan, title, code or document number"))
	d.Search.OnChanged = func(string) { d.refilter() }
	d.Plan = newSelect(nil, func(string) { d.refilter() })
	d.State = newSelect(nil, func(string) { d.refilter() })
	states := []string{tr("All states")}
	for _, s := range dashboardStates {
		states = append(states, stateName(s))
	}
	d.State.Options = states
	d.State.SetSelectedIndex(0)
	d.Overdue = widget.NewCheck(tr("Overdue only"), func(bool) { d.refilter() })
	d.Table = widget.NewTable(func() (int, int) { return len(d.shown), len(dashboardColumns) }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			if id.Row < len(d.shown) && d.shown[id.Row].Overdue && (id.Col == plan.ColDue || id.Col == plan.ColDaysLeft) {
				l.Importance = widget.DangerImportance
			}
			l.SetText(d.Cell(id.Row, id.Col))
		})
	d.Table.ShowHeaderRow = true
	d.Table.CreateHeader = func() fyne.CanvasObject { return widget.NewButton("", nil) }
	d.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		b.Importance = widget.LowImportance
		b.SetText(d.Header(id.Col))
		col := id.Col
		b.OnTapped = func() { d.SortBy(col) }
	}
	for i, c := range dashboardColumns {
		d.Table.SetColumnWidth(i, c.width)
	}
	d.Table.OnSelected = func(id widget.TableCellID) {
		d.Table.UnselectAll()
		if id.Row >= 0 && id.Row < len(d.shown) && d.OnOpen != nil {
			d.OnOpen(d.shown[id.Row].ID)
		}
	}
	d.First = widget.NewButton(tr("Overdue first"), func() { d.SortBy(-1) })
	d.Reload = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() { call(d.OnReload) })
	d.Report = widget.NewButtonWithIcon(tr("Yearly report…"), theme.DocumentIcon(), func() { call(d.OnReport) })
	d.New = widget.NewButtonWithIcon(tr("New dossier…"), theme.ContentAddIcon(), func() {
		if d.OnNew != nil {
			d.OnNew(d.planCode())
		}
	})
	d.Agencies = widget.NewButtonWithIcon(tr("Agencies of the plan…"), theme.AccountIcon(), func() {
		if d.OnAgencies != nil {
			d.OnAgencies(d.planCode())
		}
	})
	d.setPlans(nil)
	d.ExtendBaseWidget(d)
	return d
}

// CreateRenderer implements fyne.Widget.
func (d *dashboard) CreateRenderer() fyne.WidgetRenderer {
	filters := container.NewBorder(nil, nil, nil, container.NewHBox(d.Overdue, d.First, d.Reload), d.Search)
	choose := container.NewGridWithColumns(2, d.Plan, d.State)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(d.New, d.Agencies, d.Report), d.Counts), filters, choose, d.Message)
	return widget.NewSimpleRenderer(container.NewBorder(top, nil, nil, nil, d.Table))
}

// SetRows shows the dossiers (rows overdue first, as plan.DashboardRows
// gives them) of the plans listed.
func (d *dashboard) SetRows(rows []plan.DashboardRow, plans []store.Plan) {
	d.rows, d.loaded = rows, true
	d.setPlans(plans)
	d.Message.SetText("")
	d.Message.Hide()
	d.sort()
	d.refilter()
}

// ShowError says why the dossiers could not be listed.
func (d *dashboard) ShowError(err error) {
	d.Message.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
	d.Message.Show()
}

func (d *dashboard) setPlans(plans []store.Plan) {
	keep := d.planCode()
	d.plans = plans
	opts := []string{tr("All plans")}
	sel := 0
	for i, p := range plans {
		opts = append(opts, p.Name)
		if p.Code == keep {
			sel = i + 1
		}
	}
	d.Plan.Options = opts
	d.Plan.SetSelectedIndex(sel)
}

// planCode is the plan the filter keeps, "" for all.
func (d *dashboard) planCode() string {
	if i := d.Plan.SelectedIndex(); i > 0 && i <= len(d.plans) {
		return d.plans[i-1].Code
	}
	return ""
}

// Filter is the filter the dashboard's controls set.
func (d *dashboard) Filter() plan.DashboardFilter {
	f := plan.DashboardFilter{Text: d.Search.Text, Plan: d.planCode(), Overdue: d.Overdue.Checked}
	if i := d.State.SelectedIndex(); i > 0 {
		f.State = dashboardStates[i-1]
	}
	return f
}

// SortBy orders the rows by a column; the same column again reverses the
// order; −1 goes back to overdue first.
func (d *dashboard) SortBy(col int) {
	if col == d.sortCol && col >= 0 {
		d.desc = !d.desc
	} else {
		d.sortCol, d.desc = col, false
	}
	d.sort()
	d.refilter()
}

func (d *dashboard) sort() {
	if d.sortCol < 0 {
		plan.SortOverdueFirst(d.rows)
		return
	}
	plan.SortRows(d.rows, d.sortCol, d.desc)
}

// refilter shows the rows the filter keeps and counts them per state.
func (d *dashboard) refilter() {
	if d.Table == nil {
		return
	}
	d.shown = d.Filter().Filter(d.rows)
	counts, overdue := plan.CountByState(d.shown)
	var parts []string
	for _, c := range counts {
		if c.N > 0 {
			parts = append(parts, stateName(c.State)+" "+num(float64(c.N), 0))
		}
	}
	text := tr("{{.N}} dossiers", map[string]any{"N": num(float64(len(d.shown)), 0)})
	if len(parts) > 0 {
		text += ": " + strings.Join(parts, " · ")
	}
	if overdue > 0 {
		text += " · ⚠ " + tr("{{.N}} overdue", map[string]any{"N": num(float64(overdue), 0)})
	}
	d.Counts.SetText(text)
	d.Table.Refresh()
}

// Rows are the rows shown, in order.
func (d *dashboard) Rows() []plan.DashboardRow { return d.shown }

// Header is a column's title with the sort arrow.
func (d *dashboard) Header(col int) string {
	s := tr(dashboardColumns[col].title)
	if col == d.sortCol {
		if d.desc {
			return s + " ▼"
		}
		return s + " ▲"
	}
	return s
}

// Cell is the text of a row's column.
func (d *dashboard) Cell(row, col int) string {
	if row < 0 || row >= len(d.shown) {
		return ""
	}
	r := d.shown[row]
	switch col {
	case plan.ColPlan:
		return r.PlanName
	case plan.ColTitle:
		return tr("{{.ID}}. {{.Title}}", map[string]any{"ID": r.ID, "Title": r.Title})
	case plan.ColKind:
		return kindName(r.Kind)
	case plan.ColState:
		return stateName(r.State)
	case plan.ColDue:
		return dash(dateText(r.Due))
	case plan.ColDaysLeft:
		return daysLeftText(r)
	}
	if r.Last.ID == 0 {
		return tr("no step yet")
	}
	return actionName(store.ActionOf(r.Last)) + " · " + dateText(plan.StepDate(r.Last)) + docSuffix(r.Last.DocNo)
}

func docSuffix(no string) string {
	if no == "" {
		return ""
	}
	return " · " + no
}

// daysLeftText says how long a dossier's step has left.
func daysLeftText(r plan.DashboardRow) string {
	switch {
	case !r.HasDue():
		return "—"
	case r.Overdue:
		return "⚠ " + tr("{{.N}} days overdue", map[string]any{"N": -r.DaysLeft})
	case r.DaysLeft == 0:
		return tr("due today")
	}
	return tr("{{.N}} days left", map[string]any{"N": r.DaysLeft})
}
