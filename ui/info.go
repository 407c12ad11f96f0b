package ui

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/plan"
	"quyhoach/store"
)

// infoPanel is the "Information / Thông tin quy hoạch" panel: how the map
// tool asks (a point or a drawn site), lot codes or a site file to ask
// about, the answer (the lots with their class and indicators, the parts
// outside the plan or on no lot, the dossiers under way) and the request
// the information sheet records.
type infoPanel struct {
	widget.BaseWidget
	Pick      *widget.Check // the map tool on or off
	Mode      *widget.RadioGroup
	Finish    *widget.Button
	Clear     *widget.Button
	Lots      *escEntry
	Ask       *widget.Button
	Import    *widget.Button
	Summary   *widget.Label
	Table     *widget.Table
	Pending   *widget.Label
	Requester *escEntry
	Address   *escEntry
	Purpose   *escEntry
	Requested *escEntry // dd/mm/yyyy
	Signer    *escEntry
	Request   *widget.Accordion // the request form, folded until needed
	Save      *widget.Button
	SaveJSON  *widget.Button
	Message   *widget.Label
	info      *plan.Info
	// OnPick turns the map tool on or off; OnMode hears the tool's mode (pointTool, polygonTool); OnFinish asks
	// to close the site drawn; OnClear to forget the answer; OnLots asks
	// about lot codes; OnImport for a site file; OnPick shows a lot of the
	// answer; OnSave saves the sheet, OnSaveJSON the answer as JSON.
	OnTool     func(on bool)
	OnMode     func(int)
	OnFinish   func()
	OnClear    func()
	OnLots     func([]string)
	OnImport   func()
	OnPick     func(plan.LotInfo)
	OnSave     func(plan.IssueMeta)
	OnSaveJSON func()
}

// infoColumns are the columns of the answer's table.
var infoColumns = []struct {
	title string
	width float32
}{{"Lot", 70}, {"Land use", 62}, {"Lot m²", 84}, {"In site m²", 84}, {"% of site", 62}, {"Density %", 66}, {"Storeys", 58}, {"FAR", 44}, {"Setback m", 66}, {"Stage", 50}}

func newInfoPanel() *infoPanel {
	p := &infoPanel{Summary: widget.NewLabel(tr("Click a point or draw a site on the map, give lot codes, or import a site file.")),
		Pending: widget.NewLabel(""), Message: widget.NewLabel("")}
	for _, l := range []*widget.Label{p.Summary, p.Pending, p.Message} {
		l.Wrapping = fyne.TextWrapWord
	}
	p.Pick = widget.NewCheck(tr("Pick on the map"), func(on bool) {
		if p.OnTool != nil {
			p.OnTool(on)
		}
	})
	p.Mode = widget.NewRadioGroup([]string{tr("Point"), tr("Polygon")}, func(s string) {
		mode := pointTool
		if s == tr("Polygon") {
			mode = polygonTool
			p.Finish.Enable()
		} else {
			p.Finish.Disable()
		}
		if p.OnMode != nil {
			p.OnMode(mode)
		}
	})
	p.Mode.Horizontal = true
	p.Mode.Required = true
	p.Finish = widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { call(p.OnFinish) })
	p.Finish.Disable()
	p.Mode.SetSelected(tr("Point"))
	p.Clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		p.ShowInfo(nil)
		call(p.OnClear)
	})
	p.Lots = newEntry()
	p.Lots.SetPlaceHolder(tr("Lot codes, e.g. CN-01, DV-03"))
	p.Lots.OnSubmitted = func(string) { p.askLots() }
	p.Ask = widget.NewButtonWithIcon("", theme.SearchIcon(), p.askLots)
	p.Import = widget.NewButtonWithIcon(tr("Import site…"), theme.FolderOpenIcon(), func() { call(p.OnImport) })
	p.Table = widget.NewTable(func() (int, int) { return p.rows() + 1, len(infoColumns) }, cellLabel,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = id.Row == 0
			l.Alignment = fyne.TextAlignLeading
			if id.Col >= 2 && id.Col <= 8 {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(p.Cell(id.Row, id.Col))
		})
	for i, c := range infoColumns {
		p.Table.SetColumnWidth(i, c.width)
	}
	p.Table.OnSelected = func(id widget.TableCellID) {
		if id.Row > 0 && p.info != nil && id.Row <= len(p.info.Lots) && p.OnPick != nil {
			p.OnPick(p.info.Lots[id.Row-1])
		}
	}
	p.Requester, p.Address, p.Purpose, p.Requested, p.Signer = newEntry(), newEntry(), newEntry(), newEntry(), newEntry()
	p.Requested.SetPlaceHolder("dd/mm/yyyy")
	p.Save = widget.NewButtonWithIcon(tr("Sheet PDF…"), theme.DocumentSaveIcon(), p.save)
	p.Save.Importance = widget.HighImportance
	p.SaveJSON = widget.NewButtonWithIcon(tr("JSON…"), theme.DocumentSaveIcon(), func() {
		if p.info != nil {
			call(p.OnSaveJSON)
		}
	})
	p.Request = widget.NewAccordion(widget.NewAccordionItem(tr("Request"), requestForm(p.Requester, p.Address, p.Purpose, p.Requested, p.Signer)))
	p.ShowInfo(nil)
	p.ExtendBaseWidget(p)
	return p
}

// requestForm lays out who asked, where, why, when, and who answers.
func requestForm(requester, address, purpose, requested, signer *escEntry) *widget.Form {
	return widget.NewForm(
		widget.NewFormItem(tr("Requested by"), requester),
		widget.NewFormItem(tr("Address"), address),
		widget.NewFormItem(tr("Purpose"), purpose),
		widget.NewFormItem(tr("Request date"), requested),
		widget.NewFormItem(tr("Answered by"), signer))
}

func call(fn func()) {
	if fn != nil {
		fn()
	}
}

// CreateRenderer implements fyne.Widget.
func (p *infoPanel) CreateRenderer() fyne.WidgetRenderer {
	top := container.NewVBox(p.Pick,
		container.NewHBox(p.Mode, p.Finish, p.Clear),
		container.NewBorder(nil, nil, nil, p.Ask, p.Lots),
		container.NewHBox(p.Import),
		p.Summary)
	bottom := container.NewVBox(p.Request, container.NewHBox(p.Save, p.SaveJSON), p.Message)
	split := container.NewVSplit(p.Table, container.NewVScroll(p.Pending))
	split.Offset = 0.7
	return widget.NewSimpleRenderer(container.NewBorder(top, bottom, nil, nil, split))
}

func (p *infoPanel) askLots() {
	var codes []string
	for _, c := range strings.Split(p.Lots.Text, ",") {
		if c = strings.TrimSpace(c); c != "" {
			codes = append(codes, c)
		}
	}
	if len(codes) == 0 {
		p.ShowError(errors.New(tr("Give lot codes, e.g. CN-01, DV-03")))
		return
	}
	if p.OnLots != nil {
		p.OnLots(codes)
	}
}

// Info is the answer shown, or nil.
func (p *infoPanel) Info() *plan.Info { return p.info }

func (p *infoPanel) rows() int {
	if p.info == nil {
		return 0
	}
	return len(p.info.Lots)
}

// Cell is the text of the answer's table: a header row, then a row a lot.
func (p *infoPanel) Cell(row, col int) string {
	if row == 0 {
		return tr(infoColumns[col].title)
	}
	l := p.info.Lots[row-1]
	opt := func(v *float64) string {
		if v == nil {
			return "–"
		}
		return num(*v, 2)
	}
	point := p.info.Site.Kind() == "point"
	switch col {
	case 0:
		return l.Code
	case 1:
		return l.Class
	case 2:
		return num(l.LotM2, 2)
	case 3:
		if point {
			if l.OnEdge {
				return tr("on its edge")
			}
			return tr("point")
		}
		return num(l.OverlapM2, 2)
	case 4:
		return num(l.SiteShare, 2)
	case 5:
		return opt(l.Density)
	case 6:
		if l.StoreysMin == nil && l.StoreysMax == nil {
			return "–"
		}
		return storeysText(l.StoreysMin, l.StoreysMax)
	case 7:
		return opt(l.FAR)
	case 8:
		return opt(l.Setback)
	}
	return l.Stage
}

// storeysText writes a storeys range for the screen: "3–7", "≤ 7", "≥ 3".
func storeysText(lo, hi *float64) string {
	switch {
	case lo != nil && hi != nil && *lo != *hi:
		return num(*lo, 0) + "–" + num(*hi, 0)
	case hi != nil:
		return "≤ " + num(*hi, 0)
	}
	return "≥ " + num(*lo, 0)
}

// ShowInfo shows an answer (nil: none).
func (p *infoPanel) ShowInfo(info *plan.Info) {
	p.info = info
	p.Message.SetText("")
	p.Table.UnselectAll()
	p.Table.Refresh()
	if info == nil {
		p.Summary.SetText(tr("Click a point or draw a site on the map, give lot codes, or import a site file."))
		p.Pending.SetText("")
		p.Save.Disable()
		p.SaveJSON.Disable()
		return
	}
	p.Save.Enable()
	p.SaveJSON.Enable()
	p.Summary.SetText(infoSummary(info))
	var pend []string
	for _, d := range info.Pending {
		var ch []string
		for _, c := range d.Changes {
			ch = append(ch, tr(c.Op)+" "+c.Code)
		}
		line := tr("Dossier {{.ID}}: {{.Title}} — {{.State}}", map[string]any{"ID": d.ID, "Title": d.Title, "State": stateName(d.State)})
		if d.Overdue {
			line = "⚠ " + line + " (" + tr("overdue since {{.Due}}", map[string]any{"Due": dateText(d.Due)}) + ")"
		}
		pend = append(pend, line+": "+strings.Join(ch, ", "))
	}
	if len(pend) == 0 {
		p.Pending.SetText(tr("No dossier under way changes these lots."))
	} else {
		p.Pending.SetText(tr("Dossiers under way that would change these lots:") + "\n" + strings.Join(pend, "\n"))
	}
}

// infoSummary says which plan answered, the site's area and its parts
// outside the plan and on no lot.
func infoSummary(info *plan.Info) string {
	v := info.Version
	s := tr("{{.Plan}}, version {{.N}}", map[string]any{"Plan": info.Plan.Name, "N": v.Number})
	if v.DecisionNo != "" {
		s += " — " + plan.DecisionTextIn(v.DecisionNo, Lang())
		if v.DecisionDate != "" {
			s += " " + plan.VNDate(v.DecisionDate)
		}
	}
	if info.MaThongTinQH != "" {
		s += " — " + info.MaThongTinQH
	}
	switch info.Site.Kind() {
	case "point":
		pt := *info.Site.Point
		s += "\n" + tr("Point X (N) {{.X}}, Y (E) {{.Y}}", map[string]any{"X": num(pt[1], 3), "Y": num(pt[0], 3)})
	default:
		s += "\n" + tr("Site {{.M2}} m² ({{.Ha}} ha) on {{.N}} lots", map[string]any{"M2": num(info.SiteM2, 2), "Ha": num(info.SiteM2/1e4, 2), "N": len(info.Lots)})
	}
	switch {
	case info.PointOutside:
		s += "\n⚠ " + tr("Outside the plan boundary")
	case info.OutsideM2 >= plan.Sliver:
		s += "\n⚠ " + tr("Outside the plan boundary: {{.M2}} m²", map[string]any{"M2": num(info.OutsideM2, 2)})
	}
	if info.UncoveredM2 >= plan.Sliver {
		s += "\n⚠ " + tr("On no lot: {{.M2}} m²", map[string]any{"M2": num(info.UncoveredM2, 2)})
	}
	if len(info.Lots) == 0 {
		s += "\n" + tr("No lot of the plan here.")
	}
	return s
}

// ShowError says why a question or a save failed.
func (p *infoPanel) ShowError(err error) {
	p.Message.SetText(tr("Error: {{.Err}}", map[string]any{"Err": errText(err)}))
}

// ShowIssued says which number a sheet was recorded under and where it went.
func (p *infoPanel) ShowIssued(is store.Issue, path string) { p.Message.SetText(issuedText(is, path)) }

// issuedText says which number a document was recorded under and where it went.
func issuedText(is store.Issue, path string) string {
	return tr("Recorded as number {{.N}}/{{.Y}}, saved to {{.File}}", map[string]any{"N": is.Number, "Y": is.Year, "File": path})
}

// Meta reads the request the sheet records.
func (p *infoPanel) Meta() (plan.IssueMeta, error) {
	return requestMeta(p.Requester, p.Address, p.Purpose, p.Requested, p.Signer)
}

// requestMeta reads a request form: who asked is required; a date is
// dd/mm/yyyy (or yyyy-mm-dd).
func requestMeta(requester, address, purpose, requested, signer *escEntry) (plan.IssueMeta, error) {
	m := plan.IssueMeta{Requester: strings.TrimSpace(requester.Text), Address: strings.TrimSpace(address.Text),
		Purpose: strings.TrimSpace(purpose.Text), By: strings.TrimSpace(signer.Text)}
	if m.Requester == "" {
		return m, errors.New(tr("Who asked is required: it is recorded with the sheet"))
	}
	if d := strings.TrimSpace(requested.Text); d != "" {
		t, err := time.Parse("2/1/2006", d)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, d); err != nil {
				return m, errors.New(tr("Request date {{.D}}: want dd/mm/yyyy", map[string]any{"D": d}))
			}
		}
		m.Requested = t.Format(time.DateOnly)
	}
	return m, nil
}

func (p *infoPanel) save() {
	if p.info == nil {
		return
	}
	m, err := p.Meta()
	if err != nil {
		p.Request.Open(0)
		p.ShowError(err)
		return
	}
	if p.OnSave != nil {
		p.OnSave(m)
	}
}

// errText is an error for people: a request error with its options named.
func errText(err error) string {
	var re *plan.RequestError
	if errors.As(err, &re) {
		return re.Text(func(o string) string { return o })
	}
	return err.Error()
}

// siteInfo is the window's information tool: its panel, its layer over
// the map, and its background work on the current version of the plan
// shown, whose site index is built once and kept.
type siteInfo struct {
	Tabs   *container.AppTabs // the information panel and the conformity panel
	Button *widget.Button     // the toolbar's switch of the map tool
	Panel  *infoPanel
	Tool   *siteTool
	Sketch *siteSketch
	tasks  runner
	save   saver      // asks for a file and writes it (the window's saveFile; tests replace it)
	mu     sync.Mutex // the index is built and read by background work
	code   string
	ix     *plan.SiteIndex
}

// indexFor returns the site index of the current version of the plan of s:
// s itself when it is the current version, else that version loaded. It
// runs off the UI goroutine.
func (si *siteInfo) indexFor(ctx context.Context, src plan.Source, s *plan.State) (*plan.SiteIndex, error) {
	si.mu.Lock()
	defer si.mu.Unlock()
	if si.ix != nil && si.code == s.Plan.Code {
		return si.ix, nil
	}
	cur := s
	if s.Dossier != nil || !s.Version.Current {
		var err error
		if cur, err = plan.Open(ctx, src, s.Plan.Code, plan.Ref{}); err != nil {
			return nil, err
		}
	}
	si.code, si.ix = s.Plan.Code, plan.NewSiteIndex(cur)
	return si.ix, nil
}

// forget drops the index kept: another plan is shown, or it may have a
// new version.
func (si *siteInfo) forget() {
	si.mu.Lock()
	si.code, si.ix = "", nil
	si.mu.Unlock()
}

// indexed is the plan whose index is kept, "" for none.
func (si *siteInfo) indexed() string {
	si.mu.Lock()
	defer si.mu.Unlock()
	return si.code
}

// buildInfo makes the information tool and the conformity panel and wires
// them to the window.
func (w *Window) buildInfo() {
	sk := newSiteSketch(w.Map)
	si := &siteInfo{Panel: newInfoPanel(), Sketch: sk, Tool: newSiteTool(w.Map, sk), save: w.saveFile}
	si.tasks = runner{sync: w.opts.Sync, slow: func() { w.Status.Slow() }, done: w.taskDone}
	w.Site = si
	p := si.Panel
	si.Tool.OnPoint = func(pt orb.Point) { w.AskInfo(plan.Site{Point: &pt}) }
	// a site's label goes on the official sheet: Vietnamese whatever the screen's language
	si.Tool.OnPolygon = func(pg orb.Polygon) { w.AskInfo(plan.Site{Area: pg, Label: "vẽ trên bản đồ"}) }
	p.OnTool = w.SetInfoTool
	si.Button = widget.NewButtonWithIcon("", theme.InfoIcon(), func() { w.SetInfoTool(!si.Tool.Visible()) })
	p.OnMode = si.Tool.SetMode
	p.OnFinish = si.Tool.Finish
	p.OnClear = func() {
		si.Tool.Cancel()
		sk.SetShapes(nil, nil)
	}
	p.OnLots = func(codes []string) { w.AskInfo(plan.Site{Lots: codes}) }
	p.OnImport = func() { w.openFile(func(path string) { w.askSiteFile(path) }) }
	p.OnPick = func(l plan.LotInfo) {
		if l.Feature != nil && l.Feature.Geometry != nil {
			b := l.Feature.Geometry.Bound()
			w.Map.ZoomTo(b.Pad(max(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]) * 0.5))
		}
	}
	p.OnSave = w.saveInfoSheet
	p.OnSaveJSON = func() {
		info := p.Info()
		si.save("thong-tin-quy-hoach-"+info.Plan.Code+".json", func(out io.Writer) error {
			b, err := info.JSON()
			if err == nil {
				_, err = out.Write(append(b, '\n'))
			}
			return err
		}, w.saved)
	}
	w.Conform = newConformPanel(w.cat)
	w.wireConform()
	si.Tabs = container.NewAppTabs(container.NewTabItem(tr("Planning information"), p), container.NewTabItem(tr("Project conformity"), w.Conform))
}

// SetInfoTool turns the map's information tool on or off; on, it shows
// the information panel.
func (w *Window) SetInfoTool(on bool) {
	si := w.Site
	if on == si.Tool.Visible() {
		return
	}
	if on {
		si.Tool.Show()
		si.Button.Importance = widget.HighImportance
		w.showSiteTab(0)
		si.Tool.focus()
	} else {
		si.Tool.Cancel()
		si.Tool.Hide()
		si.Button.Importance = widget.MediumImportance
	}
	si.Button.Refresh()
	si.Panel.Pick.SetChecked(on)
}

// showSiteTab shows the information panel (0) or the conformity panel (1).
func (w *Window) showSiteTab(i int) {
	selectPage(w.Right, w.Site.Tabs)
	w.Site.Tabs.SelectIndex(i)
}

// AskInfo asks what the current version of the plan shown says about a
// site, in the background, and shows the answer in the panel and on the map.
func (w *Window) AskInfo(site plan.Site) {
	if w.awaitAttributes(func() { w.AskInfo(site) }) { // (ui/attributes.go)
		return
	}
	s := w.shown.state
	p := w.Site.Panel
	if s == nil {
		p.ShowError(errors.New(tr("Choose a plan")))
		return
	}
	w.Status.Busy(tr("Looking up the plan…"))
	w.Site.tasks.Run("info", func(ctx context.Context) (func(), error) {
		ix, err := w.Site.indexFor(ctx, w.src, s)
		if err != nil {
			return nil, err
		}
		info, err := plan.SiteInfo(ctx, w.src, ix, site, w.cat)
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		return func() { w.showInfo(info) }, nil
	})
}

// showInfo puts an answer in the panel and on the map (UI goroutine).
func (w *Window) showInfo(info *plan.Info) {
	w.Site.Panel.ShowInfo(info)
	var lots []orb.Geometry
	for _, l := range info.Lots {
		if l.Feature != nil {
			lots = append(lots, l.Feature.Geometry)
		}
	}
	w.Site.Sketch.SetShapes(info.Geometry, lots)
	w.showSiteTab(0)
}

// askSiteFile reads a site file in the background and asks about it.
func (w *Window) askSiteFile(path string) {
	p := w.Site.Panel
	w.Site.tasks.Run("site file", func(ctx context.Context) (func(), error) {
		l, err := plan.ReadProjected(ctx, path, plan.ReadOptions{Layer: "KhuDat_A"})
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		g, err := plan.SiteArea(path, l)
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		return func() {
			w.AskInfo(plan.Site{Area: g, Label: "theo tệp " + baseName(path)})
		}, nil
	})
}

func baseName(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[i+1:]
	}
	return path
}

// openFile asks for a site or project file and hands its path on.
func (w *Window) openFile(open func(path string)) {
	w.chooseFile([]string{".geojson", ".json", ".gpkg", ".shp", ".dxf"}, open)
}

// saveInfoSheet numbers and records the information sheet of the answer
// shown, and saves it where the officer says.
func (w *Window) saveInfoSheet(meta plan.IssueMeta) {
	p := w.Site.Panel
	info := p.Info()
	if info == nil {
		return
	}
	w.saveIssued(w.Site.save, "thong-tin-quy-hoach-"+info.Plan.Code+".pdf",
		func(ctx context.Context, rec plan.Recorder) (store.Issue, []byte, error) {
			return plan.IssueInfo(ctx, rec, info, meta, fonts, w.cat)
		},
		func(is store.Issue, path string, err error) {
			if err != nil {
				p.ShowError(err)
			} else {
				p.ShowIssued(is, path)
			}
		})
}

// saveIssued numbers, records and saves a document: issue makes it under
// the number the store gives; report hears the record and where the file
// went (UI goroutine), or why it did not.
func (w *Window) saveIssued(save saver, name string, issue func(context.Context, plan.Recorder) (store.Issue, []byte, error),
	report func(store.Issue, string, error)) {
	rec, ok := w.src.(plan.Recorder)
	if !ok {
		report(store.Issue{}, "", errors.New(tr("This store cannot record issued documents")))
		return
	}
	var issued store.Issue
	save(name, func(out io.Writer) error {
		is, doc, err := issue(context.Background(), rec)
		if err != nil {
			return err
		}
		issued = is
		_, err = out.Write(doc)
		return err
	}, func(path string, err error) {
		report(issued, path, err)
		if err == nil {
			w.saved(path, nil)
		}
	})
}

// siteShown is called when a state is shown: the answers kept belong to
// the plan shown before.
func (w *Window) siteShown(s *plan.State) {
	if c := w.Site.indexed(); c != "" && c == s.Plan.Code && s.Dossier == nil && s.Version.Current {
		return
	}
	w.Site.forget()
	w.Site.Tool.Cancel()
	w.Site.Sketch.SetShapes(nil, nil)
	w.Site.Panel.ShowInfo(nil)
	w.Conform.ShowResult(nil)
}
