package ui

import (
	"image/color"
	"regexp"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/plan"
	"quyhoach/store"
)

// dossierPage is a dossier's page: what it is and where it stands (state,
// due date and the rule it comes from), the steps its state allows, and in
// tabs its timeline of steps with their seals, its documents, what it
// changes, and the lots in conflict with versions approved since its base.
type dossierPage struct {
	widget.BaseWidget
	id  int64
	cat *landuse.Catalogue
	pg  *plan.Page
	now time.Time

	Title     *widget.Label
	Facts     *widget.Label
	Badge     *stateBadge
	Deadline  *widget.Label
	Rule      *widget.Label
	Actions   *fyne.Container
	Buttons   map[string]*widget.Button // by action
	Agencies  *widget.Button
	Close     *widget.Button
	Message   *widget.Label
	Tabs      *container.AppTabs
	Timeline  *widget.Table
	Docs      *widget.Table
	AddDoc    *widget.Button
	OpenDoc   *widget.Button
	SaveDoc   *widget.Button
	Summary   *widget.Label
	Balance   *textTable
	Compare   *widget.Button
	Edit      *widget.Button // the draft on the map with the edit tools
	ApplyFile *widget.Button // a file of changed lots recorded in the draft
	Conflicts *conflictView
	docSel    int    // the document selected, -1 for none
	pending   string // what a write did, shown when the page is loaded again

	// OnAction asks for an action's form; OnClose closes the page;
	// OnAgencies edits the plan's agencies; OnAddDoc attaches a file;
	// OnOpenDoc opens a document with the system viewer, OnSaveDoc saves a
	// copy; OnCompare shows the comparison on the map; OnEdit edits the
	// change set on the map, OnApplyFile records a file of changes in it;
	// OnRebase settles the conflicts (true: the dossier's).
	OnAction    func(action string)
	OnClose     func()
	OnAgencies  func()
	OnAddDoc    func()
	OnOpenDoc   func(store.Attachment)
	OnSaveDoc   func(store.Attachment)
	OnCompare   func()
	OnEdit      func()
	OnApplyFile func()
	OnRebase    func(takeOurs map[string]bool)
}

// Page tabs.
const (
	timelineTab = iota
	docsTab
	changesTab
	conflictsTab
)

var timelineColumns = []struct {
	title string
	width float32
}{{"Step", 215}, {"Document", 200}, {"Agency", 230}, {"Note", 230}, {"Recorded", 170}, {"Seal", 120}}

var docColumns = []struct {
	title string
	width float32
}{{"Kind", 150}, {"Name", 260}, {"Size", 90}, {"SHA-256", 150}, {"Added", 140}, {"Seal", 110}}

func newDossierPage(id int64, cat *landuse.Catalogue) *dossierPage {
	p := &dossierPage{id: id, cat: cat, docSel: -1, Buttons: map[string]*widget.Button{}}
	p.Title = widget.NewLabelWithStyle(tr("Dossier {{.ID}}", map[string]any{"ID": id}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Title.Wrapping = fyne.TextWrapWord
	p.Facts, p.Deadline, p.Rule, p.Message = widget.NewLabel(tr("Loading…")), widget.NewLabel(""), widget.NewLabel(""), widget.NewLabel("")
	for _, l := range []*widget.Label{p.Facts, p.Rule, p.Message} {
		l.Wrapping = fyne.TextWrapWord
	}
	p.Deadline.TextStyle.Bold = true
	p.Message.Importance = widget.DangerImportance
	p.Badge = newStateBadge()
	p.Actions = container.NewHBox()
	for _, a := range store.Actions {
		a := a
		b := widget.NewButton(actionName(a)+"…", func() {
			if p.OnAction != nil {
				p.OnAction(a)
			}
		})
		if a == "return" || a == "withdraw" {
			b.Importance = widget.WarningImportance
		} else {
			b.Importance = widget.HighImportance
		}
		p.Buttons[a] = b
	}
	p.Agencies = widget.NewButtonWithIcon(tr("Agencies of the plan…"), theme.AccountIcon(), func() { call(p.OnAgencies) })
	p.Close = widget.NewButtonWithIcon("", theme.CancelIcon(), func() { call(p.OnClose) })
	p.Timeline = widget.NewTable(func() (int, int) { return p.timelineRows() + 1, len(timelineColumns) }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0
			l.Importance = widget.MediumImportance
			text := p.TimelineCell(id.Row, id.Col)
			if id.Col == 5 && strings.HasPrefix(text, "✗") {
				l.Importance = widget.DangerImportance
			}
			l.SetText(text)
		})
	for i, c := range timelineColumns {
		p.Timeline.SetColumnWidth(i, c.width)
	}
	p.Docs = widget.NewTable(func() (int, int) { return p.docRows() + 1, len(docColumns) }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0
			l.Alignment = fyne.TextAlignLeading
			if id.Col == 2 && id.Row > 0 {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(p.DocCell(id.Row, id.Col))
		})
	for i, c := range docColumns {
		p.Docs.SetColumnWidth(i, c.width)
	}
	p.Docs.OnSelected = func(id widget.TableCellID) { p.SelectDoc(id.Row - 1) }
	p.AddDoc = widget.NewButtonWithIcon(tr("Add a document…"), theme.ContentAddIcon(), func() { call(p.OnAddDoc) })
	p.OpenDoc = widget.NewButtonWithIcon(tr("Open"), theme.FileIcon(), func() {
		if a, ok := p.selectedDoc(); ok && p.OnOpenDoc != nil {
			p.OnOpenDoc(a)
		}
	})
	p.SaveDoc = widget.NewButtonWithIcon(tr("Save a copy…"), theme.DocumentSaveIcon(), func() {
		if a, ok := p.selectedDoc(); ok && p.OnSaveDoc != nil {
			p.OnSaveDoc(a)
		}
	})
	p.Summary = widget.NewLabel("")
	p.Summary.Wrapping = fyne.TextWrapWord
	// the balance fits its text as the compare panel's does (ui/fit.go)
	p.Balance = newTextTable([]textColumn{{}, {Wrap: true}, {Right: true}, {Right: true}, {Right: true}}, true,
		func() int { r, _ := balanceSize(p.adjusted()); return r },
		func(row, col int) string { return balanceCell(p.adjusted(), p.cat, row, col) })
	p.Balance.bold = func(row, _ int) bool { r, _ := balanceSize(p.adjusted()); return row == 0 || row == r-1 }
	p.Compare = widget.NewButtonWithIcon(tr("Compare on the map"), theme.VisibilityIcon(), func() { call(p.OnCompare) })
	p.Edit = widget.NewButtonWithIcon(tr("Edit on the map"), theme.DocumentCreateIcon(), func() { call(p.OnEdit) })
	p.ApplyFile = widget.NewButtonWithIcon(tr("Apply a file of changes…"), theme.UploadIcon(), func() { call(p.OnApplyFile) })
	p.Conflicts = newConflictView(cat)
	p.Conflicts.OnRebase = func(take map[string]bool) {
		if p.OnRebase != nil {
			p.OnRebase(take)
		}
	}
	docBar := container.NewHBox(p.AddDoc, p.OpenDoc, p.SaveDoc)
	dropHint := widget.NewLabel(tr("Add a document with the button, or drop files on the window while this page is shown."))
	dropHint.Wrapping = fyne.TextWrapWord
	changes := container.NewBorder(container.NewVBox(p.Summary, widget.NewLabel(tr("Land-use balance of the adjusted area"))),
		container.NewHBox(p.Compare, p.Edit, p.ApplyFile), nil, nil, p.Balance)
	p.Tabs = container.NewAppTabs(
		container.NewTabItem(tr("Timeline"), p.Timeline),
		container.NewTabItem(tr("Documents"), container.NewBorder(dropHint, docBar, nil, nil, p.Docs)),
		container.NewTabItem(tr("Changes"), changes),
		container.NewTabItem(tr("Conflicts"), p.Conflicts),
	)
	p.enable(false)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *dossierPage) CreateRenderer() fyne.WidgetRenderer {
	head := container.NewBorder(nil, nil, nil, container.NewHBox(p.Badge, p.Close), p.Title)
	top := container.NewVBox(head, container.NewBorder(nil, nil, nil, container.NewVBox(p.Agencies), p.Facts), p.Deadline, p.Rule,
		container.NewHScroll(p.Actions), p.Message)
	// The page scrolls as a whole when the window is too low for its head
	// and the tallest tab (the conflicts' form): it never makes the window
	// grow past a 1024×640 screen.
	return widget.NewSimpleRenderer(container.NewVScroll(container.NewBorder(top, nil, nil, nil, p.Tabs)))
}

// Page is what the page shows, nil while it loads.
func (p *dossierPage) Page() *plan.Page { return p.pg }

// Display puts a dossier's page on screen on the day of now; writable says
// whether its store can record its steps.
func (p *dossierPage) Display(pg *plan.Page, now time.Time, writable bool) {
	p.pg, p.now = pg, now
	d := pg.Dossier
	p.Title.SetText(tr("Dossier {{.ID}}: {{.Title}}", map[string]any{"ID": d.ID, "Title": d.Title}))
	facts := tr("{{.Kind}} · plan {{.Plan}} ({{.Code}}) · on version {{.Base}} · code {{.Dossier}}",
		map[string]any{"Kind": kindName(d.Kind), "Plan": pg.Plan.Name, "Code": pg.Plan.Code, "Base": d.Base, "Dossier": d.Code})
	if d.Approved != 0 {
		facts += " · " + tr("approved as version {{.N}}", map[string]any{"N": d.Approved})
	}
	if pg.Returned() {
		facts += " · " + tr("returned for completion")
	}
	p.Facts.SetText(facts)
	p.Badge.Set(d.State)
	p.showDeadline()
	p.Actions.Objects = nil
	for _, a := range pg.Actions {
		p.Actions.Objects = append(p.Actions.Objects, p.Buttons[a])
	}
	if len(pg.Actions) == 0 {
		p.Actions.Objects = []fyne.CanvasObject{widget.NewLabel(tr("No more steps: the dossier is {{.State}}.", map[string]any{"State": stateName(d.State)}))}
	}
	p.Actions.Refresh()
	p.setMessage(p.pending, false) // what the write that reloaded the page did
	p.pending = ""
	p.enable(writable)
	p.Timeline.Refresh()
	p.docSel = -1
	p.Docs.UnselectAll()
	p.Docs.Refresh()
	p.Summary.SetText(p.summaryText())
	p.Balance.Update()
	p.Conflicts.SetLots(pg.Conflicts, pg.Plan.CurrentVersion)
	if len(pg.Conflicts) > 0 {
		p.Tabs.Items[conflictsTab].Text = tr("Conflicts") + " ⚠ " + num(float64(len(pg.Conflicts)), 0)
		p.setMessage(strings.TrimSpace(p.Message.Text+"\n"+tr("{{.N}} lots of this dossier were also changed by a version approved since its base: settle them in the Conflicts tab before approving.",
			map[string]any{"N": len(pg.Conflicts)})), true)
	} else {
		p.Tabs.Items[conflictsTab].Text = tr("Conflicts")
	}
	p.Tabs.Refresh()
}

// enable turns the page's writing buttons on or off.
func (p *dossierPage) enable(on bool) {
	writable := on && p.pg != nil
	for _, b := range p.Buttons {
		setEnabled(b, writable)
	}
	final := p.pg != nil && (p.pg.Dossier.State == store.Withdrawn || p.pg.Dossier.State == store.Published)
	setEnabled(p.Agencies, writable)
	setEnabled(p.AddDoc, writable && !final)
	setEnabled(p.Edit, writable && p.pg.Editable())
	setEnabled(p.ApplyFile, writable && p.pg.Editable())
	setEnabled(p.Compare, p.pg != nil)
	p.SelectDoc(p.docSel)
}

func setEnabled(w fyne.Disableable, on bool) {
	if on {
		w.Enable()
	} else {
		w.Disable()
	}
}

// ShowError says why something failed.
func (p *dossierPage) ShowError(err error) {
	p.setMessage(tr("Error: {{.Err}}", map[string]any{"Err": stepErrText(err)}), true)
}

// ShowMessage says what happened.
func (p *dossierPage) ShowMessage(s string) { p.setMessage(s, false) }

// setMessage shows a message (in red when it warns), or hides the line.
func (p *dossierPage) setMessage(s string, warn bool) {
	p.Message.Importance = widget.SuccessImportance
	if warn {
		p.Message.Importance = widget.DangerImportance
	}
	p.Message.SetText(s)
	p.Message.Hidden = s == ""
	p.Message.Refresh()
}

// showDeadline writes the due date, the days left or overdue, and the
// rule it comes from.
func (p *dossierPage) showDeadline() {
	dl := p.pg.Deadline
	if dl == nil {
		p.Deadline.SetText(tr("No step is due"))
		p.Deadline.Importance = widget.MediumImportance
		p.Rule.SetText("")
		p.Rule.Hide()
		p.Deadline.Refresh()
		return
	}
	n := dl.DaysLeft(p.now)
	due := dateText(dl.Due)
	switch {
	case n < 0:
		p.Deadline.SetText("⚠ " + tr("Due {{.Due}}: {{.N}} days overdue", map[string]any{"Due": due, "N": -n}))
		p.Deadline.Importance = widget.DangerImportance
	case n == 0:
		p.Deadline.SetText(tr("Due today, {{.Due}}", map[string]any{"Due": due}))
		p.Deadline.Importance = widget.WarningImportance
	default:
		p.Deadline.SetText(tr("Due {{.Due}}: {{.N}} days left", map[string]any{"Due": due, "N": n}))
		p.Deadline.Importance = widget.MediumImportance
	}
	p.Deadline.Refresh()
	p.Rule.SetText(ruleText(*dl))
	p.Rule.Show()
}

// ruleText says where a due date comes from: the step, the law, the days
// and the date they run from.
func ruleText(dl store.Deadline) string {
	law := dl.Rule.Law
	if law == "" {
		law = tr("the province's rule")
	}
	data := map[string]any{"Step": deadlineName(dl.Rule.State), "Days": dl.Days, "Law": law, "Setting": dl.Rule.Setting,
		"From": dateText(dl.From), "Action": actionName(store.ActionOf(dl.Step)), "Doc": dl.Step.DocNo}
	if dl.FromDoc && dl.Step.DocNo != "" {
		return tr("Rule: {{.Step}}, {{.Days}} days ({{.Law}}; setting {{.Setting}}) from {{.From}}, the date of document {{.Doc}} ({{.Action}})", data)
	}
	if dl.FromDoc {
		return tr("Rule: {{.Step}}, {{.Days}} days ({{.Law}}; setting {{.Setting}}) from {{.From}}, the date given for the step {{.Action}}", data)
	}
	return tr("Rule: {{.Step}}, {{.Days}} days ({{.Law}}; setting {{.Setting}}) from {{.From}}, the day the step {{.Action}} was recorded (it names no document)", data)
}

// deadlineName names the deadline a state's step runs.
func deadlineName(state string) string {
	switch state {
	case store.Submitted:
		return tr("comments of the agencies consulted")
	case store.Appraising:
		return tr("appraisal")
	case store.Approved:
		return tr("publication after approval")
	}
	return state
}

func (p *dossierPage) timelineRows() int {
	if p.pg == nil {
		return 0
	}
	return len(p.pg.Dossier.Transitions)
}

// TimelineCell is the text of the timeline: a header row, then a row a
// step: step | document | agency | note | recorded | seal.
func (p *dossierPage) TimelineCell(row, col int) string {
	if row == 0 {
		return tr(timelineColumns[col].title)
	}
	t := p.pg.Dossier.Transitions[row-1]
	switch col {
	case 0:
		return actionName(store.ActionOf(t))
	case 1:
		return docText(t.DocNo, t.DocDate)
	case 2:
		return dash(t.Agency)
	case 3:
		return dash(noteText(t))
	case 4:
		s := t.At.Local().Format("02/01/2006 15:04")
		if t.By != "" {
			s += " · " + t.By
		}
		return s
	}
	return sealText(p.pg.Seals.Steps[t.ID])
}

// sealText is a link's check: ✓, or ✗ with what is wrong.
func sealText(l store.LinkCheck) string {
	if l.OK {
		return "✓ " + tr("sealed")
	}
	if l.Problem == "" {
		return "✗ " + tr("not sealed")
	}
	return "✗ " + l.Problem
}

// docText writes a document number and date: "45/TTr-BQL · 21/09/2026".
func docText(no, date string) string {
	var parts []string
	if no != "" {
		parts = append(parts, no)
	}
	if date != "" {
		parts = append(parts, dateText(date))
	}
	return dash(strings.Join(parts, " · "))
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

// dateText writes YYYY-MM-DD as dd/mm/yyyy, as Vietnamese documents do.
func dateText(iso string) string { return plan.DayText(iso) }

var (
	rebaseNote     = regexp.MustCompile(`^rebased from version (\d+) onto version (\d+)(; conflicts: (.*))?$`)
	reappraiseNote = regexp.MustCompile(`^` + store.ReappraisalNote + ` (\d+), re-appraisal needed$`)
)

// noteText is a step's note; the notes the store writes itself (a rebase,
// the return to appraisal it makes) in the chosen language.
func noteText(t store.Transition) string {
	if m := rebaseNote.FindStringSubmatch(t.Note); m != nil && t.From == t.To {
		s := tr("Rebased from version {{.A}} onto version {{.B}}", map[string]any{"A": m[1], "B": m[2]})
		if m[4] != "" {
			s += "; " + tr("conflicts: {{.C}}", map[string]any{"C": strings.NewReplacer("=ours", "="+tr("ours"), "=theirs", "="+tr("theirs")).Replace(m[4])})
		}
		return s
	}
	if m := reappraiseNote.FindStringSubmatch(t.Note); m != nil {
		return tr("Rebased on version {{.N}}: re-appraisal needed", map[string]any{"N": m[1]})
	}
	return t.Note
}

func (p *dossierPage) docRows() int {
	if p.pg == nil {
		return 0
	}
	return len(p.pg.Dossier.Attachments)
}

// DocCell is the text of the documents' table: kind | name | size | sha256 | added | seal.
func (p *dossierPage) DocCell(row, col int) string {
	if row == 0 {
		return tr(docColumns[col].title)
	}
	a := p.pg.Dossier.Attachments[row-1]
	switch col {
	case 0:
		return docKindName(a.Kind)
	case 1:
		return a.Name
	case 2:
		return sizeText(a.Size)
	case 3:
		return a.SHA256[:16]
	case 4:
		return a.Added.Local().Format("02/01/2006 15:04")
	}
	return sealText(p.pg.Seals.Attachments[a.ID])
}

// SelectDoc selects document i (−1: none) for Open and Save a copy.
func (p *dossierPage) SelectDoc(i int) {
	p.docSel = i
	_, ok := p.selectedDoc()
	setEnabled(p.OpenDoc, ok)
	setEnabled(p.SaveDoc, ok)
}

func (p *dossierPage) selectedDoc() (store.Attachment, bool) {
	if p.pg == nil || p.docSel < 0 || p.docSel >= len(p.pg.Dossier.Attachments) {
		return store.Attachment{}, false
	}
	return p.pg.Dossier.Attachments[p.docSel], true
}

// sizeText writes a size in bytes, kB or MB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return num(float64(n)/(1<<20), 1) + " MB"
	case n >= 1<<10:
		return num(float64(n)/(1<<10), 1) + " kB"
	}
	return num(float64(n), 0) + " B"
}

func (p *dossierPage) adjusted() (b diff.Balance) {
	if p.pg == nil || p.pg.Changes == nil {
		return b
	}
	return p.pg.Changes.Adjusted
}

// summaryText counts the changes by kind and gives the adjusted area.
func (p *dossierPage) summaryText() string {
	reason := ""
	if r := p.pg.Dossier.Reason; r != "" {
		reason = tr("Reason: {{.R}}", map[string]any{"R": r}) + "\n"
	}
	if p.pg.Changes == nil || len(p.pg.Counts) == 0 {
		return reason + tr("The dossier changes nothing yet.")
	}
	var parts []string
	for _, k := range p.pg.Counts {
		parts = append(parts, tr(k.Kind)+" "+num(float64(k.N), 0))
	}
	b := p.pg.Changes.Adjusted
	return reason + tr("Changes: {{.List}}. Adjusted area {{.Before}} ha approved, {{.After}} ha proposed ({{.Change}} ha).",
		map[string]any{"List": strings.Join(parts, " · "), "Before": num(b.BeforeTotalHa, 2), "After": num(b.TotalHa, 2), "Change": signed(b.TotalHa - b.BeforeTotalHa)})
}

// stateBadge shows a dossier's state as a coloured badge.
type stateBadge struct {
	widget.BaseWidget
	bg    *canvas.Rectangle
	Label *canvas.Text
}

func newStateBadge() *stateBadge {
	b := &stateBadge{bg: canvas.NewRectangle(color.NRGBA{0x80, 0x80, 0x80, 0xff}), Label: canvas.NewText("", color.White)}
	b.bg.CornerRadius = 6
	b.Label.TextStyle.Bold = true
	b.ExtendBaseWidget(b)
	return b
}

// stateColors colour the badge of each state.
var stateColors = map[string]color.NRGBA{
	store.Draft: {0x75, 0x75, 0x75, 0xff}, store.Submitted: {0x1f, 0x4e, 0x8c, 0xff}, store.Appraising: {0xc7, 0x7c, 0x02, 0xff},
	store.Appraised: {0x2a, 0x9d, 0x8f, 0xff}, store.Approved: {0x2e, 0x7d, 0x32, 0xff}, store.Published: {0x1b, 0x5e, 0x20, 0xff},
	store.Withdrawn: {0x9e, 0x2a, 0x2b, 0xff},
}

// Set shows a state.
func (b *stateBadge) Set(state string) {
	b.Label.Text = stateName(state)
	b.bg.FillColor = stateColors[state]
	b.Refresh()
}

// CreateRenderer implements fyne.Widget.
func (b *stateBadge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(b.bg, container.NewPadded(container.NewCenter(b.Label))))
}

// kindName names a dossier's kind.
func kindName(kind string) string {
	switch kind {
	case store.Local:
		return tr("Local adjustment")
	case store.Overall:
		return tr("Overall adjustment")
	}
	return kind
}

// actionName names a step.
func actionName(a string) string {
	switch a {
	case "submit":
		return tr("Submit")
	case "appraise":
		return tr("Start appraisal")
	case "appraised":
		return tr("Record the appraisal report")
	case "approve":
		return tr("Approve")
	case "publish":
		return tr("Publish")
	case "return":
		return tr("Return")
	case "withdraw":
		return tr("Withdraw")
	case store.RebaseStep:
		return tr("Rebase")
	case store.ReappraiseStep:
		return tr("Back to appraisal")
	}
	return a
}

// docKindName names a kind of document.
func docKindName(k string) string {
	switch k {
	case "to_trinh":
		return tr("Cover letter")
	case "thuyet_minh":
		return tr("Explanatory report")
	case "ban_ve":
		return tr("Drawings")
	case "du_thao_quyet_dinh":
		return tr("Draft decision")
	case "quy_dinh_quan_ly":
		return tr("Management rules")
	case "y_kien":
		return tr("Comments received")
	case "bao_cao_tham_dinh":
		return tr("Appraisal report")
	case "quyet_dinh":
		return tr("Decision")
	}
	return k
}
