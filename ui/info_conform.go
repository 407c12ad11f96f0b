package ui

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
	"quyhoach/plan"
	"quyhoach/store"
)

// conformPanel is "Project conformity / Phù hợp quy hoạch": a project's file
// imported, the proposal it is appraised for (from the file, or set here
// for every lot), each indicator against each plan lot it covers with its
// verdict, the flagged parts, and the report to save.
type conformPanel struct {
	widget.BaseWidget
	Import     *widget.Button
	File       *widget.Label
	Use        *widget.Select
	Density    *escEntry
	Storeys    *escEntry
	FAR        *escEntry
	Setback    *escEntry
	Population *escEntry
	Check      *widget.Button
	Verdict    *widget.Label
	Table      *widget.Table
	Flags      *widget.Label
	Requester  *escEntry
	Address    *escEntry
	Purpose    *escEntry
	Requested  *escEntry
	Signer     *escEntry
	Request    *widget.Accordion
	Proposed   *widget.Accordion
	Save       *widget.Button
	SaveJSON   *widget.Button
	SaveCSV    *widget.Button
	Message    *widget.Label
	path       string
	res        *plan.Conformity
	rows       []conformRow
	tasks      runner
	save       saver // asks for a file and writes it (tests replace it)
	// OnImport asks for a project file; OnCheck to appraise it (again);
	// OnSave saves the report, OnSaveJSON and OnSaveCSV the results.
	OnImport   func()
	OnCheck    func()
	OnSave     func(plan.IssueMeta)
	OnSaveJSON func()
	OnSaveCSV  func()
}

// conformRow is a line of the results: a check of a project lot.
type conformRow struct {
	lot string
	ch  plan.IndicatorCheck
}

var conformColumns = []struct {
	title string
	width float32
}{{"Project lot", 70}, {"Indicator", 110}, {"Plan lot", 66}, {"m²", 76}, {"Proposed", 70}, {"Allowed", 80}, {"Verdict", 100}}

func newConformPanel(cat *landuse.Catalogue) *conformPanel {
	c := &conformPanel{File: widget.NewLabel(tr("No project imported.")), Verdict: widget.NewLabel(""), Flags: widget.NewLabel(""), Message: widget.NewLabel("")}
	for _, l := range []*widget.Label{c.File, c.Flags, c.Message} {
		l.Wrapping = fyne.TextWrapWord
	}
	c.Verdict.TextStyle.Bold = true
	c.Verdict.Wrapping = fyne.TextWrapWord
	c.Import = widget.NewButtonWithIcon(tr("Import project…"), theme.FolderOpenIcon(), func() { call(c.OnImport) })
	codes := []string{tr("as in the file")}
	for _, cl := range cat.Classes() {
		codes = append(codes, cl.Code)
	}
	c.Use = newSelect(codes, nil)
	c.Use.SetSelectedIndex(0)
	c.Density, c.Storeys, c.FAR, c.Setback, c.Population = newEntry(), newEntry(), newEntry(), newEntry(), newEntry()
	c.Storeys.SetPlaceHolder("3-9")
	for _, e := range []*escEntry{c.Density, c.FAR, c.Setback, c.Population} {
		e.SetPlaceHolder(tr("as in the file"))
	}
	c.Check = widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() {
		if c.path != "" {
			call(c.OnCheck)
		}
	})
	c.Table = widget.NewTable(func() (int, int) { return len(c.rows) + 1, len(conformColumns) }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0 || id.Row > 0 && c.rows[id.Row-1].ch.Verdict == plan.NonConform
			l.Importance = widget.MediumImportance
			if id.Row > 0 && c.rows[id.Row-1].ch.Verdict == plan.NonConform {
				l.Importance = widget.DangerImportance
			}
			l.SetText(c.Cell(id.Row, id.Col))
		})
	for i, col := range conformColumns {
		c.Table.SetColumnWidth(i, col.width)
	}
	c.Requester, c.Address, c.Purpose, c.Requested, c.Signer = newEntry(), newEntry(), newEntry(), newEntry(), newEntry()
	c.Requested.SetPlaceHolder("dd/mm/yyyy")
	c.Save = widget.NewButtonWithIcon(tr("Report PDF…"), theme.DocumentSaveIcon(), func() {
		m, err := requestMeta(c.Requester, c.Address, c.Purpose, c.Requested, c.Signer)
		if err != nil {
			c.Request.Open(0)
			c.ShowError(err)
			return
		}
		if c.res != nil && c.OnSave != nil {
			c.OnSave(m)
		}
	})
	c.Save.Importance = widget.HighImportance
	c.SaveJSON = widget.NewButtonWithIcon(tr("JSON…"), theme.DocumentSaveIcon(), func() { call(c.OnSaveJSON) })
	c.SaveCSV = widget.NewButtonWithIcon(tr("CSV…"), theme.DocumentSaveIcon(), func() { call(c.OnSaveCSV) })
	c.Proposed = widget.NewAccordion(widget.NewAccordionItem(tr("Proposal for every project lot"), widget.NewForm(
		widget.NewFormItem(tr("Land use"), c.Use),
		widget.NewFormItem(tr("Density %"), c.Density),
		widget.NewFormItem(tr("Storeys"), c.Storeys),
		widget.NewFormItem(tr("FAR"), c.FAR),
		widget.NewFormItem(tr("Setback m"), c.Setback),
		widget.NewFormItem(tr("Population"), c.Population))))
	c.Request = widget.NewAccordion(widget.NewAccordionItem(tr("Request"), requestForm(c.Requester, c.Address, c.Purpose, c.Requested, c.Signer)))
	c.ShowResult(nil)
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *conformPanel) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewVBox(container.NewHBox(c.Import, c.Check), c.File, c.Proposed, c.Verdict)
	bottom := container.NewVBox(c.Request, container.NewHBox(c.Save, c.SaveJSON, c.SaveCSV), c.Message)
	split := container.NewVSplit(c.Table, container.NewVScroll(c.Flags))
	split.Offset = 0.75
	return widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, split))
}

// Proposal reads the proposal set here: a land use ("" as in the file)
// and the indicators given.
func (c *conformPanel) Proposal() (string, plan.Indicators, error) {
	var in plan.Indicators
	use := ""
	if c.Use.SelectedIndex() > 0 {
		use = c.Use.Selected
	}
	parse := func(e *escEntry, name string) (*float64, error) {
		s := strings.TrimSpace(e.Text)
		if s == "" {
			return nil, nil
		}
		v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
		if err != nil || v < 0 {
			return nil, errors.New(tr("{{.Field}}: want a number", map[string]any{"Field": name}))
		}
		return &v, nil
	}
	var err error
	for _, f := range []struct {
		e    *escEntry
		name string
		dst  **float64
	}{{c.Density, tr("Density %"), &in.Density}, {c.FAR, tr("FAR"), &in.FAR}, {c.Setback, tr("Setback m"), &in.Setback}, {c.Population, tr("Population"), &in.Population}} {
		if *f.dst, err = parse(f.e, f.name); err != nil {
			return use, in, err
		}
	}
	if s := strings.TrimSpace(c.Storeys.Text); s != "" {
		lo, hi, ranged := strings.Cut(strings.ReplaceAll(s, "–", "-"), "-")
		a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
		b := a
		var err2 error
		if ranged {
			b, err2 = strconv.ParseFloat(strings.TrimSpace(hi), 64)
		}
		if err1 != nil || err2 != nil || a < 0 || b < a {
			return use, in, errors.New(tr("Storeys: want N or MIN-MAX"))
		}
		in.StoreysMin, in.StoreysMax = &a, &b
	}
	return use, in, nil
}

// Result is the appraisal shown, or nil.
func (c *conformPanel) Result() *plan.Conformity { return c.res }

// ShowResult shows an appraisal (nil: none).
func (c *conformPanel) ShowResult(res *plan.Conformity) {
	c.res, c.rows = res, nil
	c.Message.SetText("")
	if res == nil {
		c.Verdict.SetText("")
		c.Flags.SetText("")
		for _, b := range []*widget.Button{c.Save, c.SaveJSON, c.SaveCSV} {
			b.Disable()
		}
		c.Table.Refresh()
		return
	}
	for _, b := range []*widget.Button{c.Save, c.SaveJSON, c.SaveCSV} {
		b.Enable()
	}
	var flags []string
	for _, r := range res.Results {
		for _, ch := range r.Checks {
			c.rows = append(c.rows, conformRow{r.Lot.Code, ch})
		}
		for _, f := range r.Flags {
			mark := ""
			if f.NonConform {
				mark = "⚠ "
			}
			flags = append(flags, mark+r.Lot.Code+": "+flagText(f))
		}
		flags = append(flags, tr("Project lot {{.Lot}} ({{.M2}} m²): {{.Verdict}}", map[string]any{"Lot": r.Lot.Code, "M2": num(r.AreaM2, 2), "Verdict": verdictName(r.Verdict)}))
	}
	c.Verdict.SetText(tr("Verdict: the project is {{.Verdict}} with {{.Plan}}, version {{.N}} ({{.Count}} non-conform)",
		map[string]any{"Verdict": verdictName(res.Verdict), "Plan": res.Plan.Name, "N": res.Version.Number, "Count": res.NonConform}))
	c.Verdict.Importance = widget.SuccessImportance
	if res.Verdict == plan.NonConform {
		c.Verdict.Importance = widget.DangerImportance
	}
	c.Verdict.Refresh()
	c.Flags.SetText(strings.Join(flags, "\n"))
	c.Table.Refresh()
}

// Cell is the text of the results table.
func (c *conformPanel) Cell(row, col int) string {
	if row == 0 {
		return tr(conformColumns[col].title)
	}
	r := c.rows[row-1]
	ch := r.ch
	switch col {
	case 0:
		return r.lot
	case 1:
		return indicatorName(ch.Indicator)
	case 2:
		if ch.PlanLot == "" {
			return tr("all")
		}
		return ch.PlanLot
	case 3:
		if ch.PlanLot == "" {
			return ""
		}
		return num(ch.OverlapM2, 2)
	case 4:
		if ch.Indicator == plan.UseCheck {
			return codeOf(ch.ProposedText)
		}
		return rangeText(ch.Proposed)
	case 5:
		if ch.Indicator == plan.UseCheck {
			return codeOf(ch.AllowedText)
		}
		return rangeText(ch.Allowed)
	}
	return verdictName(ch.Verdict)
}

// codeOf is the class code of "CN – Đất công nghiệp, kho tàng".
func codeOf(s string) string {
	code, _, _ := strings.Cut(s, " – ")
	return code
}

// rangeText writes a figure or range for the screen: "9–12", "≤ 45", "≥ 6".
func rangeText(r plan.Range) string {
	dec := func(v float64) int {
		if v == float64(int64(v)) {
			return 0
		}
		return 2
	}
	switch {
	case r.Min != nil && r.Max != nil && *r.Min == *r.Max:
		return num(*r.Min, dec(*r.Min))
	case r.Min != nil && r.Max != nil:
		return num(*r.Min, dec(*r.Min)) + "–" + num(*r.Max, dec(*r.Max))
	case r.Max != nil:
		return "≤ " + num(*r.Max, dec(*r.Max))
	case r.Min != nil:
		return "≥ " + num(*r.Min, dec(*r.Min))
	}
	return "–"
}

// verdictName is a verdict in the chosen language.
func verdictName(v string) string {
	switch v {
	case plan.Conform:
		return tr("conform")
	case plan.NonConform:
		return tr("non-conform")
	}
	return tr("not assessed")
}

// indicatorNames are the indicators' names, translated by indicatorName
// (the proposal form's labels: the same words).
var indicatorNames = map[string]string{plan.UseCheck: "Land use", plan.DensityCheck: "Density %", plan.StoreysCheck: "Storeys",
	plan.FARCheck: "FAR", plan.SetbackCheck: "Setback m", plan.PopulationCheck: "Population"}

// indicatorName is an indicator in the chosen language.
func indicatorName(ind string) string { return tr(indicatorNames[ind]) }

// flagText says what a flagged part is, with its area.
func flagText(f plan.Flag) string {
	data := map[string]any{"M2": num(f.AreaM2, 2), "Lots": strings.Join(f.PlanLots, ", ")}
	switch f.Kind {
	case plan.OutsideFlag:
		return tr("outside the plan boundary: {{.M2}} m²", data)
	case plan.RoadFlag:
		return tr("on road lots {{.Lots}}: {{.M2}} m²", data)
	case plan.GreenFlag:
		return tr("on green-space lots {{.Lots}}: {{.M2}} m²", data)
	case plan.UncoveredFlag:
		return tr("inside the plan on no lot: {{.M2}} m²", data)
	}
	return tr("plan lots with invalid geometry, not assessed: {{.Lots}}", data)
}

// ShowError says why an appraisal or a save failed.
func (c *conformPanel) ShowError(err error) {
	c.Message.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
}

// wireConform connects the conformity panel to the window.
func (w *Window) wireConform() {
	c := w.Conform
	c.tasks = runner{sync: w.opts.Sync, slow: func() { w.Status.Slow() }, done: w.taskDone}
	c.save = w.saveFile
	c.OnImport = func() { w.openFile(w.CheckProject) }
	c.OnCheck = func() { w.CheckProject(c.path) }
	c.OnSave = w.saveConformReport
	save := func(ext string, write func(*plan.Conformity, io.Writer) error) func() {
		return func() {
			res := c.Result()
			if res == nil {
				return
			}
			c.save("phu-hop-quy-hoach-"+res.Plan.Code+ext, func(out io.Writer) error { return write(res, out) }, w.saved)
		}
	}
	c.OnSaveJSON = save(".json", func(res *plan.Conformity, out io.Writer) error {
		b, err := res.JSON()
		if err == nil {
			_, err = out.Write(append(b, '\n'))
		}
		return err
	})
	c.OnSaveCSV = save(".csv", func(res *plan.Conformity, out io.Writer) error { return res.WriteCSV(out) })
}

// CheckProject reads a project's file and appraises it against the current
// version of the plan shown, in the background, with the proposal set in
// the panel; the results go to the panel and the project's lots on the map.
func (w *Window) CheckProject(path string) {
	if w.awaitAttributes(func() { w.CheckProject(path) }) { // (ui/attributes.go)
		return
	}
	c := w.Conform
	s := w.shown.state
	if s == nil {
		c.ShowError(errors.New(tr("Choose a plan")))
		return
	}
	use, in, err := c.Proposal()
	if err != nil {
		c.ShowError(err)
		return
	}
	c.path = path
	c.File.SetText(tr("Project: {{.File}}", map[string]any{"File": path}))
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	w.Status.Busy(tr("Checking the project…"))
	c.tasks.Run("conform", func(ctx context.Context) (func(), error) {
		l, err := plan.ReadProjected(ctx, path, plan.ReadOptions{Layer: "DuAn_A"})
		var p plan.Project
		if err == nil {
			p, err = plan.ProjectFromLayer(name, filepath.Base(path), l)
		}
		if err != nil {
			return func() { c.ShowResult(nil); c.ShowError(err) }, nil
		}
		p.Propose(use, in)
		ix, err := w.Site.indexFor(ctx, w.src, s)
		if err != nil {
			return nil, err
		}
		res, err := plan.Appraise(ctx, ix, p, w.cat, topo.DefaultTolerance)
		if err != nil {
			return func() { c.ShowResult(nil); c.ShowError(err) }, nil
		}
		return func() {
			c.ShowResult(res)
			var site, lots []orb.Geometry
			for _, r := range res.Results {
				site = append(site, r.Lot.Geometry)
				for _, l := range r.Parts {
					if l.Feature != nil {
						lots = append(lots, l.Feature.Geometry)
					}
				}
			}
			w.Site.Sketch.SetShapes(site, lots)
			w.showSiteTab(1)
		}, nil
	})
}

// saveConformReport numbers and records the conformity report shown and
// saves it where the officer says.
func (w *Window) saveConformReport(meta plan.IssueMeta) {
	c := w.Conform
	res := c.Result()
	if res == nil {
		return
	}
	w.saveIssued(c.save, "phu-hop-quy-hoach-"+res.Plan.Code+".pdf",
		func(ctx context.Context, rec plan.Recorder) (store.Issue, []byte, error) {
			return plan.IssueConformity(ctx, rec, res, meta, fonts, w.cat)
		},
		func(is store.Issue, path string, err error) {
			if err != nil {
				c.ShowError(err)
			} else {
				c.Message.SetText(issuedText(is, path))
			}
		})
}
