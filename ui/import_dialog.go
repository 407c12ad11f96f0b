package ui

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/paulmach/orb"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/gis/cadplan"
	"quyhoach/gis/crs"
	"quyhoach/gis/landuse"
	"quyhoach/gis/scene"
	"quyhoach/gis/vntext"
	"quyhoach/plan"
	"quyhoach/store"
)

// importDialog brings a file into a plan as its new current version, the
// way `quyhoach import` does (plan.OpenImport, then Run): the format told
// by the content, the system the file's own or chosen, the plan layer, the
// key field among the file's fields, for a drawing its CAD layer → class
// table; a preview before anything is written (count, extent drawn over
// the plan on the dialog's map, the first problems, each zoomed to when it
// has a place); then the import with its progress and a Stop button, and
// what it did. Any change of a choice previews again.
type importDialog struct {
	File     *widget.Label
	Format   *widget.Label
	Plan     *widget.Select
	Table    *widget.Select      // the file's own layer, when it holds several
	Layer    *widget.SelectEntry // the plan layer; "" a drawing's every plan layer
	CRS      *widget.SelectEntry // "" the file's own system
	Encoding *widget.Select
	Key      *widget.Select
	Repair   *widget.Check
	Partial  *widget.Check // a drawing: take the valid lots
	Message  *escEntry
	CAD      []*cadRow         // a drawing's CAD layers and what each becomes
	edits    map[string]string // CAD layer → the target typed for it
	KeepCAD  *widget.Check
	Summary  *widget.Label
	Problems *widget.List
	Detail   *widget.Label // the problem chosen, whole
	Map      *MapView
	Marks    *importMarks
	Progress *widget.ProgressBar
	Import   *widget.Button
	Stop     *widget.Button // stops the import under way: the store stays as it was
	Error    *widget.Label  // one line: why it cannot be read or was refused
	Result   *widget.Label  // what the import did
	// Preview is the last preview shown (nil: none, or the file unread);
	// Done the import's result once it ran.
	Preview *plan.ImportPreview
	Done    *store.ImportResult

	w        *Window
	st       fileStore
	path     string
	plans    []store.Plan
	problems []plan.ImportProblem // listed: the preview's, or those the import's refusal names
	cadBox   *fyne.Container
	scenes   map[string]*scene.Scene // the plans' current versions on the map
	sceneOf  string
	presets  cadplan.Table
	previews runner
	imports  runner
	dlg      *dialog.CustomDialog
	building bool // the fields are being filled: no preview yet
	proposed bool // the lots' layer was proposed (proposeLayer)
	// keyProposed: maDoiTuong was proposed as the key (offerKeys)
	keyProposed bool
}

// cadRow is a drawing's CAD layer in the import dialog: its entities,
// what it becomes (a class code, a TT 16 layer name or - to ignore), and
// by which rule it did.
type cadRow struct {
	Layer  string
	Target *widget.SelectEntry
	Via    *widget.Label
}

// importLayers are the plan layers offered: TT 16 names.
var importLayers = []string{gis.LandUseLayer, gis.BoundaryLayer, "PhanOQuyHoach_A", "ChiGioiDuongDo_L", "ChiGioiXayDung_L", "TimDuongGiaoThong_L", "MocGioiQuyHoach_P"}

// importSystems are the systems offered beside the file's own.
var importSystems = []crs.Code{crs.TM3LangSon, crs.WGS84, crs.UTM48N, 9214, 9216, 5899, 32648}

// importFileExts are the files the open dialog shows first.
var importFileExts = []string{".geojson", ".json", ".gpkg", ".dxf", ".zip", ".shp", ".kml", ".kmz", ".tab", ".mif", ".gml", ".dgn", ".csv"}

// ShowImport asks for a file and opens the import dialog on it, into the
// plan shown.
func (w *Window) ShowImport() { w.showImportInto("") }

// showImportInto asks for a file to import into plan code ("": the plan shown).
func (w *Window) showImportInto(code string) {
	if _, ok := w.src.(fileStore); !ok {
		dialog.ShowError(errors.New(tr("This store cannot import files")), w.Window)
		return
	}
	w.chooseFile(importFileExts, func(path string) { w.ImportFile(path, code) })
}

// ImportFile opens the import dialog on a file, into plan code ("": the
// plan shown, else the first), and previews it; it returns the dialog
// (tests drive it), nil when the store cannot import.
func (w *Window) ImportFile(path, code string) *importDialog {
	st, ok := w.src.(fileStore)
	if !ok {
		dialog.ShowError(errors.New(tr("This store cannot import files")), w.Window)
		return nil
	}
	d := &importDialog{w: w, st: st, path: path, plans: w.Browser.Plans(), scenes: map[string]*scene.Scene{}, edits: map[string]string{}, building: true}
	d.presets, _ = cadplan.ParseTable(bytes.NewReader(assets.CADLayers), w.cat)
	d.previews = runner{sync: w.opts.Sync, done: func(_ string, err error) {
		if err != nil && !errors.Is(err, context.Canceled) {
			d.unreadable(err)
		}
	}}
	d.imports = runner{sync: w.opts.Sync, done: func(_ string, err error) {
		if errors.Is(err, context.Canceled) {
			d.importEnded()
			d.Error.SetText(tr("Stopped: the store is as it was"))
		}
	}}
	d.build()
	if s := w.shown.state; s != nil && w.shown.cmp == nil {
		d.scenes[s.Plan.Code] = w.shown.plan
	}
	if code == "" && w.shown.state != nil {
		code = w.shown.state.Plan.Code
	}
	for i, p := range d.plans {
		if p.Code == code {
			d.Plan.SetSelectedIndex(i)
		}
	}
	if d.Plan.SelectedIndex() < 0 && len(d.plans) > 0 {
		d.Plan.SetSelectedIndex(0)
	}
	d.building = false
	showDialog(d.dlg, w.Window)
	d.Refresh()
	return d
}

// build makes the dialog's widgets.
func (d *importDialog) build() {
	w := d.w
	d.File = widget.NewLabel(d.path)
	d.File.Truncation = fyne.TextTruncateEllipsis
	d.Format = widget.NewLabel("")
	names := make([]string, len(d.plans))
	for i, p := range d.plans {
		names[i] = p.Name + " (" + p.Code + ")"
	}
	d.Plan = newSelect(names, func(string) { d.Refresh() })
	d.Table = newSelect(nil, func(s string) {
		if d.building {
			return
		}
		if gis.KindOfName(s) != "" {
			d.Layer.SetText(s) // a table named like a TT 16 layer becomes that layer
		}
		d.Refresh()
	})
	d.Layer = widget.NewSelectEntry(importLayers)
	d.Layer.SetPlaceHolder(tr("a drawing: every plan layer it holds"))
	d.Layer.OnChanged = func(string) { d.Refresh() }
	var systems []string
	for _, c := range importSystems {
		if s, ok := crs.Lookup(c); ok {
			systems = append(systems, s.String())
		}
	}
	d.CRS = widget.NewSelectEntry(systems)
	d.CRS.SetPlaceHolder(tr("as the file says"))
	d.CRS.OnChanged = func(string) { d.Refresh() }
	d.Encoding = newSelect(append([]string{tr("as the file says")}, vntext.Names...), func(string) { d.Refresh() })
	d.Encoding.SetSelectedIndex(0)
	d.Key = newSelect([]string{tr("(none)")}, func(string) { d.Refresh() })
	d.Key.SetSelectedIndex(0)
	d.Repair = widget.NewCheck(tr("Repair invalid lots where it needs no guess"), func(bool) { d.Refresh() })
	d.Partial = widget.NewCheck(tr("Take the valid lots of a drawing, leave the others out"), func(bool) { d.Refresh() })
	d.Message = newEntry()
	d.Message.SetPlaceHolder("import " + filepath.Base(d.path))
	d.KeepCAD = widget.NewCheck(tr("Keep these rows for every drawing import"), nil)
	d.cadBox = container.NewVBox()
	d.Summary = widget.NewLabel(tr("Reading the file…"))
	d.Summary.Wrapping = fyne.TextWrapWord
	d.Problems = widget.NewList(func() int { return len(d.problems) }, cellLabel,
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(problemText(d.problems[id]))
		})
	d.Problems.OnSelected = d.showProblem
	d.Detail = widget.NewLabel("")
	d.Detail.Wrapping = fyne.TextWrapWord
	d.Map = NewMapView()
	d.Map.SetOptions(scene.Options{Font: w.font})
	d.Marks = newImportMarks(d.Map)
	d.Map.OnView = d.Marks.Refresh
	d.Progress = widget.NewProgressBar()
	d.Progress.Hide()
	d.Error = widget.NewLabel("")
	d.Error.Importance = widget.DangerImportance
	d.Error.Truncation = fyne.TextTruncateEllipsis
	d.Result = widget.NewLabel("")
	d.Result.Importance = widget.SuccessImportance
	d.Result.Wrapping = fyne.TextWrapWord
	d.Import = widget.NewButton(tr("Import"), d.run)
	d.Import.Importance = widget.HighImportance
	d.Import.Disable()
	d.Stop = widget.NewButton(tr("Stop"), func() { d.imports.Cancel() })
	d.Stop.Hide()
	other := widget.NewButton(tr("Other file…"), func() {
		w.chooseFile(importFileExts, func(path string) {
			d.path = path
			d.File.SetText(path)
			d.Message.SetPlaceHolder("import " + filepath.Base(path))
			d.Table.SetOptions(nil)
			d.Table.ClearSelected()
			d.Refresh()
		})
	})
	form := widget.NewForm(
		widget.NewFormItem(tr("File"), container.NewBorder(nil, nil, nil, other, d.File)),
		widget.NewFormItem(tr("Format"), d.Format),
		widget.NewFormItem(tr("Into plan"), d.Plan),
		widget.NewFormItem(tr("The file's layer"), d.Table),
		widget.NewFormItem(tr("Plan layer"), d.Layer),
		widget.NewFormItem(tr("Coordinates"), d.CRS),
		widget.NewFormItem(tr("Text encoding"), d.Encoding),
		widget.NewFormItem(tr("Key field"), d.Key),
		widget.NewFormItem(tr("Version message"), d.Message),
	)
	cad := widget.NewCard("", tr("CAD layers: what each becomes (a class code, a TT 16 layer name, or - to ignore)"), container.NewVBox(d.cadBox, d.KeepCAD))
	left := container.NewVScroll(container.NewVBox(form, d.Repair, d.Partial, cad))
	mapArea := container.NewStack(d.Map, d.Marks)
	right := container.NewVSplit(mapArea, container.NewBorder(d.Summary, d.Detail, nil, nil, d.Problems))
	right.Offset = 0.5
	body := container.NewHSplit(left, right)
	body.Offset = 0.45
	bottom := container.NewVBox(d.Error, d.Result, container.NewBorder(nil, nil, nil, d.Stop, d.Progress))
	d.dlg = dialog.NewCustomWithoutButtons(tr("Import a layer"), container.NewBorder(nil, bottom, nil, nil, body), w.Window)
	d.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(tr("Close"), d.close), d.Import})
	d.dlg.Resize(fyne.NewSize(980, 600))
}

// close stops what runs (an import under way leaves the store as it was)
// and hides the dialog.
func (d *importDialog) close() {
	d.previews.Cancel()
	d.imports.Cancel()
	d.dlg.Hide()
}

// code is the plan chosen.
func (d *importDialog) code() string {
	if i := d.Plan.SelectedIndex(); i >= 0 && i < len(d.plans) {
		return d.plans[i].Code
	}
	return ""
}

// Request reads the dialog's choices as the import's request.
func (d *importDialog) Request() (plan.ImportRequest, error) {
	req := plan.ImportRequest{Plan: d.code(), File: d.path, Message: strings.TrimSpace(d.Message.Text), Repair: d.Repair.Checked}
	o := &req.Read
	o.Layer = strings.TrimSpace(d.Layer.Text)
	o.Table = d.Table.Selected
	if s := strings.TrimSpace(d.CRS.Text); s != "" {
		name, _, _ := strings.Cut(s, " (")
		sys, err := crs.ParseSystem(name)
		if err != nil {
			return req, errors.New(tr("Unknown coordinate system {{.CRS}}: give an EPSG code (EPSG:9215) or TM-3 and a meridian (TM-3 106-50)", map[string]any{"CRS": s}))
		}
		o.System = sys
	}
	if i := d.Encoding.SelectedIndex(); i > 0 {
		o.Encoding, _ = vntext.Parse(d.Encoding.Selected)
	}
	if i := d.Key.SelectedIndex(); i > 0 {
		req.Key = d.Key.Selected
	}
	o.CAD = plan.CADOptions{Catalogue: d.w.cat, Presets: d.presets, Partial: d.Partial.Checked}
	t, err := d.cadTable()
	if err != nil {
		return req, err
	}
	o.CAD.Table = t
	return req, nil
}

// cadTable is the rows of the CAD layer table typed in the dialog.
func (d *importDialog) cadTable() (cadplan.Table, error) {
	var t cadplan.Table
	for _, r := range d.CAD {
		text, ok := d.edits[r.Layer]
		if !ok {
			continue
		}
		tg, err := cadplan.ParseTarget(text, d.w.cat)
		if err != nil {
			return nil, errors.New(tr("CAD layer {{.Layer}}: {{.Target}} is neither a class code, a TT 16 layer name nor -", map[string]any{"Layer": r.Layer, "Target": text}))
		}
		t = append(t, cadplan.Rule{Pattern: r.Layer, Target: tg})
	}
	return t, nil
}

// Refresh previews the file as the choices say, in the background.
func (d *importDialog) Refresh() {
	if d.building {
		return
	}
	d.Import.Disable()
	d.Result.SetText("")
	req, err := d.Request()
	if err != nil {
		d.previews.Cancel()
		d.unreadable(err)
		return
	}
	d.Error.SetText("")
	d.Summary.SetText(tr("Reading the file…"))
	code, have := req.Plan, d.scenes[req.Plan] != nil
	src, lang := d.w.src, Lang()
	st := d.st
	d.previews.Run("preview", func(ctx context.Context) (func(), error) {
		p, err := plan.PreviewImport(ctx, st, req)
		if err != nil {
			return nil, err
		}
		var sc *scene.Scene
		if !have && code != "" {
			// the plan's current version under the outline; a plan without
			// one shows the outline alone
			if s, err := plan.Open(ctx, src, code, plan.Ref{}); err == nil {
				sc = scene.Plan(s.Layers, d.w.cat, lang)
			}
		}
		return func() {
			if sc != nil {
				d.scenes[code] = sc
			}
			d.show(p, code)
		}, nil
	})
}

// unreadable says why the file cannot be read (or the choices are wrong),
// on one line, and clears the preview.
func (d *importDialog) unreadable(err error) {
	d.Preview = nil
	d.problems = nil
	d.Problems.Refresh()
	d.Marks.Set(nil, nil)
	d.Summary.SetText(tr("Nothing to import: the file cannot be read as chosen."))
	d.Error.SetText(tr("Error: {{.Err}}", map[string]any{"Err": fileErrText(err)}))
	d.Import.Disable()
}

// show puts a preview in the dialog: the summary, the problems, the
// outline over the plan, the key's and the CAD table's choices.
func (d *importDialog) show(p *plan.ImportPreview, code string) {
	d.Preview = p
	d.Format.SetText(p.Format.Name)
	if len(p.Tables) > 0 {
		d.showTables(p.Tables)
		return
	}
	if len(d.Table.Options) == 0 {
		d.Table.PlaceHolder = tr("(the file holds one layer)")
		d.Table.Disable()
	}
	if d.proposeLayer(p) {
		return // previewed again with it
	}
	d.problems = p.Problems
	d.Detail.SetText("")
	d.Problems.UnselectAll()
	d.Problems.Refresh()
	if d.offerKeys(p) {
		return // previewed again with the key
	}
	d.showCAD(p)
	if code != d.sceneOf || d.Map.Scene() == nil {
		d.sceneOf = code
		d.Map.SetScene(d.scenes[code], false)
	}
	var places []orb.Point
	for _, q := range p.Problems {
		if q.Placed {
			places = append(places, q.At)
		}
	}
	ext, ok := p.Extent()
	if ok {
		d.Marks.Set(&ext, places)
		d.Map.ZoomTo(ext.Pad(max(ext.Max[0]-ext.Min[0], ext.Max[1]-ext.Min[1])*0.15 + 20))
	} else {
		d.Marks.Set(nil, places)
	}
	d.Summary.SetText(previewText(p, ext, ok))
	switch req, _ := d.Request(); {
	case p.Features() == 0:
		d.Error.SetText(tr("The file holds no feature to import"))
	case p.Blocking():
		d.Error.SetText(tr("{{.N}} problems refuse the import: correct the file, or choose otherwise", map[string]any{"N": p.Refusing}))
	case p.Format.Format != plan.DXF && req.Read.Layer == "" && gis.KindOfName(p.Layers[0].Name) == "":
		d.Error.SetText(tr("Choose the plan layer the features become"))
	case req.Plan == "":
		d.Error.SetText(tr("Choose the plan to import into"))
	default:
		d.Error.SetText("")
		d.Import.Enable()
	}
}

// proposeLayer proposes the lots' layer for a file of areas whose own
// layer has no TT 16 name, once (the preview says so; any other layer can
// be chosen). It reports whether it did.
func (d *importDialog) proposeLayer(p *plan.ImportPreview) bool {
	if d.proposed || p.Format.Format == plan.DXF || strings.TrimSpace(d.Layer.Text) != "" || len(p.Layers) != 1 ||
		gis.KindOfName(p.Layers[0].Name) != "" || p.Layers[0].Kind != gis.AreaKind {
		return false
	}
	d.proposed = true
	d.Layer.SetText(gis.LandUseLayer)
	return true
}

// showTables asks which of the file's layers to import.
func (d *importDialog) showTables(ls []plan.LayerInfo) {
	var opts []string
	for _, l := range ls {
		opts = append(opts, l.Name)
	}
	d.Table.SetOptions(opts)
	d.Table.Enable()
	d.problems = nil
	d.Problems.Refresh()
	var parts []string
	for _, l := range ls {
		parts = append(parts, tr("{{.Name}}: {{.N}} features", map[string]any{"Name": l.Name, "N": l.Features}))
	}
	d.Summary.SetText(tr("The file holds several layers; choose the one to import.") + "\n" + strings.Join(parts, "\n"))
	d.Error.SetText(tr("Choose the file's layer to import"))
}

// offerKeys lists the file's fields as key choices, keeping the one
// chosen; it reports whether it proposed maDoiTuong (and previewed again).
func (d *importDialog) offerKeys(p *plan.ImportPreview) bool {
	opts := []string{tr("(none)")}
	for _, l := range p.Layers {
		for _, f := range l.Fields {
			if !slices.Contains(opts, f.Name) {
				opts = append(opts, f.Name)
			}
		}
	}
	if slices.Equal(opts, d.Key.Options) {
		return false
	}
	cur := d.Key.Selected
	d.building = true
	d.Key.SetOptions(opts)
	switch {
	case slices.Contains(opts, cur):
		d.Key.SetSelected(cur)
	default:
		d.Key.SetSelectedIndex(0)
	}
	d.building = false
	// TT 16's lot code keeps a lot's id from version to version: proposed
	// once, for a file of one layer that has it (the preview then checks
	// every feature has one; the key holds for every layer imported)
	if !d.keyProposed && d.Key.SelectedIndex() == 0 && len(p.Layers) == 1 && slices.Contains(opts, "maDoiTuong") {
		d.keyProposed = true
		d.Key.SetSelected("maDoiTuong")
		return true
	}
	return false
}

// showCAD lists a drawing's CAD layers with what each becomes; a row
// typed keeps what was typed.
func (d *importDialog) showCAD(p *plan.ImportPreview) {
	d.CAD = d.CAD[:0]
	d.cadBox.Objects = nil
	targets := append(d.w.cat.Codes(), importLayers[1:]...)
	targets = append(targets, "-")
	for _, m := range p.Mapping {
		found := "-"
		switch {
		case m.Via == "" || m.Target.Ignore:
		case m.Target.Layer == gis.LandUseLayer:
			found = m.Target.Class
		default:
			found = m.Target.Layer
		}
		r := &cadRow{Layer: m.Layer, Target: widget.NewSelectEntry(targets), Via: widget.NewLabel(viaText(m.Via))}
		r.Target.SetText(cmp.Or(d.edits[m.Layer], found))
		r.Target.OnChanged = func(s string) {
			s = strings.TrimSpace(s)
			d.edits[r.Layer] = s
			if _, err := d.cadTable(); err != nil {
				d.Import.Disable()
				d.Error.SetText(err.Error())
				return
			}
			d.Refresh()
		}
		name := widget.NewLabel(fmt.Sprintf("%s (%d/%d)", m.Layer, m.Used, m.Entities))
		name.Truncation = fyne.TextTruncateEllipsis
		d.CAD = append(d.CAD, r)
		d.cadBox.Add(container.NewGridWithColumns(3, name, r.Target, r.Via))
	}
	if len(p.Mapping) == 0 {
		d.cadBox.Add(widget.NewLabel(tr("(not a drawing)")))
		d.KeepCAD.Disable()
	} else {
		d.KeepCAD.Enable()
	}
	d.cadBox.Refresh()
}

// viaText names the rule a CAD layer was mapped by.
func viaText(via string) string {
	switch via {
	case "table":
		return tr("by the table")
	case "catalogue":
		return tr("by its name (catalogue)")
	case "tt16":
		return tr("by its TT 16 name")
	case "preset":
		return tr("by the common names")
	}
	return tr("ignored")
}

// previewText sums a preview up for people.
func previewText(p *plan.ImportPreview, ext orb.Bound, ok bool) string {
	var layers []string
	for _, l := range p.Layers {
		name := l.Name
		if name == "" {
			name = tr("(no name)")
		}
		layers = append(layers, tr("{{.N}} features in {{.Layer}}", map[string]any{"N": num(float64(l.Features), 0), "Layer": name}))
	}
	lines := []string{strings.Join(layers, ", ")}
	if p.System.Name != "" {
		lines = append(lines, tr("Read in {{.System}}", map[string]any{"System": p.System.String()}))
	}
	if ok {
		lines = append(lines, tr("Extent X (N) {{.X0}} – {{.X1}}, Y (E) {{.Y0}} – {{.Y1}} (VN-2000 / TM-3 107°15′)",
			map[string]any{"X0": num(ext.Min[1], 0), "X1": num(ext.Max[1], 0), "Y0": num(ext.Min[0], 0), "Y1": num(ext.Max[0], 0)}))
	}
	if p.LooksProjected {
		lines = append(lines, tr("The coordinates look like metres: choose the file's system (EPSG:9215 for VN-2000 / TM-3 107-15)"))
	}
	lines = append(lines, p.Notes...)
	switch n := len(p.Problems) + p.Omitted; {
	case n == 0:
		lines = append(lines, tr("No problems found."))
	case p.Omitted > 0:
		lines = append(lines, tr("{{.N}} problems; the first {{.Shown}} are listed:", map[string]any{"N": n, "Shown": len(p.Problems)}))
	default:
		lines = append(lines, tr("{{.N}} problems:", map[string]any{"N": n}))
	}
	return strings.Join(lines, "\n")
}

// problemText writes a problem on one line: ✗ when it refuses the import,
// – when the feature is left out or repaired.
func problemText(q plan.ImportProblem) string {
	mark := "– "
	if q.Blocking {
		mark = "✗ "
	}
	where := ""
	switch {
	case q.Feature >= 0:
		where = tr("Feature {{.N}}", map[string]any{"N": q.Feature})
	case q.Line > 0:
		where = tr("Line {{.N}}", map[string]any{"N": q.Line})
	}
	if q.Layer != "" {
		where = strings.TrimSpace(where + " (" + q.Layer + ")")
	}
	s := mark + where + ": " + gis.OneLine(q.Message)
	if q.Path != "" {
		s += " — " + q.Path
	}
	if q.Placed {
		s += " 📍"
	}
	return s
}

// showProblem zooms the dialog's map to a problem that has a place.
func (d *importDialog) showProblem(id widget.ListItemID) {
	if id < 0 || id >= len(d.problems) {
		return
	}
	d.Detail.SetText(problemText(d.problems[id]))
	if !d.problems[id].Placed {
		return
	}
	at := d.problems[id].At
	d.Map.ZoomTo(orb.Bound{Min: at, Max: at}.Pad(40))
	d.Marks.Choose(at)
}

// run imports the file as previewed, its progress on the bar; Stop or
// Close cancels it and the store stays as it was.
func (d *importDialog) run() {
	req, err := d.Request()
	if err != nil || d.Preview == nil || d.Preview.Blocking() {
		return
	}
	st, keep := d.st, d.KeepCAD.Checked && len(req.Read.CAD.Table) > 0
	total := d.Preview.Features()
	sys, layer := d.Preview.System, req.Read.Layer
	req.Progress = func(done, n int) {
		onUI(func() { d.Progress.SetValue(float64(done) / float64(max(n, total, 1))) })
	}
	d.Import.Disable()
	d.Progress.SetValue(0)
	d.Progress.Show()
	d.Stop.Show()
	d.Error.SetText("")
	d.imports.Run("import", func(ctx context.Context) (func(), error) {
		if keep {
			if err := keepCADRows(ctx, st, req.Read.CAD.Table, req.Read.CAD.Catalogue); err != nil {
				return func() { d.refused(err, sys, layer) }, nil
			}
		}
		im, err := plan.OpenImport(ctx, st, req)
		if err != nil {
			return func() { d.refused(err, sys, layer) }, nil
		}
		res, err := im.Run(ctx, st)
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		if err != nil {
			return func() { d.refused(err, sys, layer) }, nil
		}
		return func() { d.imported(req.Plan, res) }, nil
	})
}

// keepCADRows puts rows into the store's CAD layer table, in place of
// its rows of the same CAD layers.
func keepCADRows(ctx context.Context, st plan.CADLayerStore, rows cadplan.Table, cat *landuse.Catalogue) error {
	old, err := plan.StoredCADTable(ctx, st, cat)
	if err != nil {
		return err
	}
	t := slices.Clone(rows)
	for _, r := range old {
		if !slices.ContainsFunc(rows, func(n cadplan.Rule) bool { return strings.EqualFold(n.Pattern, r.Pattern) }) {
			t = append(t, r)
		}
	}
	return plan.SetStoredCADTable(ctx, st, t)
}

// importEnded hides the progress of an import that ended.
func (d *importDialog) importEnded() {
	d.Progress.Hide()
	d.Stop.Hide()
}

// refused lists why the import was refused: one line, and the problems
// the refusal names (zoomable when placed).
func (d *importDialog) refused(err error, sys crs.System, layer string) {
	d.importEnded()
	d.Error.SetText(tr("Refused, the store is as it was: {{.Err}}", map[string]any{"Err": fileErrText(err)}))
	if ps := plan.ProblemsOf(err, sys, layer); len(ps) > 0 {
		d.problems = ps
		d.Detail.SetText("")
		d.Problems.UnselectAll()
		d.Problems.Refresh()
		var places []orb.Point
		for _, q := range ps {
			if q.Placed {
				places = append(places, q.At)
			}
		}
		ext, ok := d.Preview.Extent()
		if ok {
			d.Marks.Set(&ext, places)
		} else {
			d.Marks.Set(nil, places)
		}
	}
	d.Import.Enable()
}

// imported shows what the import did and the plan's new version.
func (d *importDialog) imported(code string, res store.ImportResult) {
	d.importEnded()
	d.Progress.SetValue(1)
	d.Done = &res
	text := tr("No changes: version {{.N}} stays current", map[string]any{"N": res.Version.Number})
	if !res.Unchanged {
		text = tr("Version {{.N}} of {{.Plan}}: {{.Total}} features ({{.Kept}} kept their id, {{.Added}} new, {{.Removed}} removed)",
			map[string]any{"N": res.Version.Number, "Plan": code, "Total": res.Kept + res.Added, "Kept": res.Kept, "Added": res.Added, "Removed": res.Removed})
	}
	for _, r := range res.Repaired {
		text += "\n" + tr("Repaired: {{.What}}", map[string]any{"What": r})
	}
	d.Result.SetText(text)
	w := d.w
	w.refreshBrowser()
	w.Site.forget() // a new version is current
	delete(d.scenes, code)
	if !res.Unchanged && !w.Editor.Editing() { // the workbench keeps its dossier
		w.Open(node{Plan: code})
	}
	w.Status.Idle(text)
}

// importMarks draws over the import dialog's map the extent of what the
// file holds (a blue box), the places of its problems (red rings) and the
// problem chosen (a larger ring). It takes no events.
type importMarks struct {
	widget.BaseWidget
	Map    *MapView
	extent *orb.Bound
	places []orb.Point
	chosen *orb.Point
}

func newImportMarks(m *MapView) *importMarks {
	k := &importMarks{Map: m}
	k.ExtendBaseWidget(k)
	return k
}

// Set shows an extent (nil: none) and the problems' places.
func (k *importMarks) Set(extent *orb.Bound, places []orb.Point) {
	k.extent, k.places, k.chosen = extent, places, nil
	k.Refresh()
}

// Choose marks one place as the problem chosen.
func (k *importMarks) Choose(p orb.Point) {
	k.chosen = &p
	k.Refresh()
}

// Extent returns the extent shown, nil for none.
func (k *importMarks) Extent() *orb.Bound { return k.extent }

// CreateRenderer implements fyne.Widget.
func (k *importMarks) CreateRenderer() fyne.WidgetRenderer { return &marksRenderer{k: k} }

type marksRenderer struct {
	k    *importMarks
	objs []fyne.CanvasObject
}

// Colours of the import's marks: a blue box, rings of black and yellow
// that show on any land-use colour.
var (
	extentColor = color.NRGBA{0x00, 0x5f, 0xd0, 0xff}
	ringOuter   = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	ringInner   = color.NRGBA{0xff, 0xd4, 0x00, 0xff}
)

func (r *marksRenderer) Destroy()                     {}
func (r *marksRenderer) MinSize() fyne.Size           { return fyne.Size{} }
func (r *marksRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *marksRenderer) Layout(fyne.Size)             { r.Refresh() }

// Refresh places the marks by the map's view, inside the map: what lies
// outside it is not drawn (Fyne does not clip).
func (r *marksRenderer) Refresh() {
	k := r.k
	r.objs = r.objs[:0]
	size := k.Map.Size()
	at := func(p orb.Point) fyne.Position { return k.Map.PositionOf(p) }
	inside := func(p fyne.Position, margin float32) bool {
		return p.X >= margin && p.Y >= margin && p.X <= size.Width-margin && p.Y <= size.Height-margin
	}
	if e := k.extent; e != nil {
		// the box's sides, each cut to the map
		a, b := at(orb.Point{e.Min[0], e.Max[1]}), at(orb.Point{e.Max[0], e.Min[1]}) // top left, bottom right
		x0, y0 := max(a.X, 0), max(a.Y, 0)
		x1, y1 := min(b.X, size.Width), min(b.Y, size.Height)
		side := func(p, q fyne.Position, show bool) {
			if !show || x0 > x1 || y0 > y1 {
				return
			}
			l := canvas.NewLine(extentColor)
			l.StrokeWidth = 2
			l.Position1, l.Position2 = p, q
			r.objs = append(r.objs, l)
		}
		side(fyne.NewPos(x0, y0), fyne.NewPos(x1, y0), a.Y >= 0)
		side(fyne.NewPos(x0, y1), fyne.NewPos(x1, y1), b.Y <= size.Height)
		side(fyne.NewPos(x0, y0), fyne.NewPos(x0, y1), a.X >= 0)
		side(fyne.NewPos(x1, y0), fyne.NewPos(x1, y1), b.X <= size.Width)
	}
	ring := func(p orb.Point, d float32) {
		pos := at(p)
		if !inside(pos, d/2) {
			return
		}
		for _, c := range []struct {
			col color.Color
			w   float32
		}{{ringOuter, 4}, {ringInner, 2}} {
			o := canvas.NewCircle(color.Transparent)
			o.StrokeColor, o.StrokeWidth = c.col, c.w
			o.Move(pos.SubtractXY(d/2, d/2))
			o.Resize(fyne.NewSize(d, d))
			r.objs = append(r.objs, o)
		}
	}
	for _, p := range k.places {
		ring(p, 14)
	}
	if k.chosen != nil {
		ring(*k.chosen, 30)
	}
	canvas.Refresh(k)
}
