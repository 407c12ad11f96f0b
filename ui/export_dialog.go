package ui

import (
	"context"
	"errors"
	"os"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/crs"
	"quyhoach/plan"
	"quyhoach/store"
)

// exportDialog writes a plan's version, or what a dossier proposes, to a
// file — the same file as `quyhoach export`: GeoJSON, GeoPackage, DXF,
// zipped Shapefile, KML or KMZ (plan.ExportFormats), every layer or one,
// in the format's system or one chosen. A save says where it went.
type exportDialog struct {
	Plan   *widget.Select
	State  *widget.Select // the current version, a version, a dossier's proposal
	Layer  *widget.Select // every layer, or one
	Format *widget.Select
	CRS    *widget.Select // the format's own system, or one chosen
	Save   *widget.Button
	Info   *widget.Label
	// Saved is the file last written.
	Saved string

	w       *Window
	plans   []store.Plan
	refs    []plan.Ref
	layers  []string // the layers of the state chosen (nil: not read yet)
	formats []plan.ExportFormat
	systems []crs.Code // the CRS choices after the first, the format's own
	tasks   runner     // reads the state's layers, writes the file
	dlg     *dialog.CustomDialog
}

// ShowExport opens the export dialog on the state shown; it returns the
// dialog (tests drive it).
func (w *Window) ShowExport() *exportDialog {
	d := &exportDialog{w: w, plans: w.Browser.Plans(), formats: plan.ExportFormats(), systems: crs.Known}
	d.tasks = runner{sync: w.opts.Sync, done: func(_ string, err error) {
		if err != nil {
			d.failed(err)
		}
	}}
	d.Info = widget.NewLabel("")
	d.Info.Wrapping = fyne.TextWrapWord
	names := make([]string, len(d.plans))
	for i, p := range d.plans {
		names[i] = p.Name + " (" + p.Code + ")"
	}
	d.State = newSelect(nil, func(string) { d.readLayers() })
	d.Layer = newSelect(nil, func(string) { d.check() })
	var fnames []string
	for _, f := range d.formats {
		fnames = append(fnames, f.Name+" ("+f.Ext+")")
	}
	d.Format = newSelect(fnames, func(string) { d.formatChanged() })
	d.CRS = newSelect(nil, func(string) { d.check() })
	d.Plan = newSelect(names, func(string) { d.planChanged() })
	d.Save = widget.NewButton(tr("Save as…"), func() {
		if name, ok := d.fileName(); ok {
			w.askSavePath(name, d.ExportTo)
		}
	})
	d.Save.Importance = widget.HighImportance
	form := widget.NewForm(
		widget.NewFormItem(tr("Plan"), d.Plan), widget.NewFormItem(tr("What"), d.State),
		widget.NewFormItem(tr("Layer"), d.Layer), widget.NewFormItem(tr("Format"), d.Format),
		widget.NewFormItem(tr("Coordinates"), d.CRS))
	d.dlg = dialog.NewCustomWithoutButtons(tr("Export"), container.NewVBox(form, d.Info), w.Window)
	d.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton(tr("Close"), func() { d.tasks.Cancel(); d.dlg.Hide() }), d.Save})
	d.dlg.Resize(fyne.NewSize(640, 380))
	d.Format.SetSelectedIndex(0)
	code, ref := "", plan.Ref{}
	if s := w.shown.state; s != nil {
		code, ref = s.Plan.Code, w.shown.node.Ref()
	}
	for i, p := range d.plans {
		if p.Code == code {
			d.Plan.SetSelectedIndex(i)
		}
	}
	if d.Plan.SelectedIndex() < 0 && len(d.plans) > 0 {
		d.Plan.SetSelectedIndex(0)
	}
	if i := slices.Index(d.refs, ref); i >= 0 {
		d.State.SetSelectedIndex(i)
	}
	showDialog(d.dlg, w.Window)
	return d
}

// code is the plan chosen.
func (d *exportDialog) code() string {
	if i := d.Plan.SelectedIndex(); i >= 0 && i < len(d.plans) {
		return d.plans[i].Code
	}
	return ""
}

// planChanged lists the plan's states: its current version, each version,
// each dossier's proposal.
func (d *exportDialog) planChanged() {
	code := d.code()
	d.refs = []plan.Ref{{}}
	opts := []string{tr("The current version")}
	vs := d.w.Browser.Versions(code)
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		d.refs = append(d.refs, plan.Ref{Version: v.Number})
		text := tr("Version {{.N}}", map[string]any{"N": v.Number})
		if v.DecisionNo != "" {
			text += " — " + v.DecisionNo
		}
		opts = append(opts, text)
	}
	for _, ds := range d.w.Browser.data.Dossiers[code] {
		d.refs = append(d.refs, plan.Ref{Dossier: ds.ID})
		opts = append(opts, tr("What dossier {{.ID}} proposes: {{.Title}} ({{.State}})", map[string]any{"ID": ds.ID, "Title": ds.Title, "State": stateName(ds.State)}))
	}
	d.State.SetOptions(opts)
	d.State.SetSelectedIndex(0)
}

// ref is the state chosen.
func (d *exportDialog) ref() plan.Ref {
	if i := d.State.SelectedIndex(); i >= 0 && i < len(d.refs) {
		return d.refs[i]
	}
	return plan.Ref{}
}

// readLayers reads which layers the state chosen holds.
func (d *exportDialog) readLayers() {
	code, ref, src := d.code(), d.ref(), d.w.src
	d.layers = nil
	d.Layer.SetOptions(nil)
	d.check()
	if code == "" {
		return
	}
	if s := d.w.shown.state; s != nil && s.Plan.Code == code && d.w.shown.node.Ref() == ref {
		var names []string
		for _, l := range s.Layers {
			names = append(names, l.Name)
		}
		d.setLayers(names)
		return
	}
	d.Info.SetText(tr("Reading the plan…"))
	d.tasks.Run("layers", func(ctx context.Context) (func(), error) {
		var snap *store.Snapshot
		var err error
		if ref.Dossier != 0 {
			snap, _, err = src.Proposal(ctx, ref.Dossier)
		} else {
			snap, err = src.Load(ctx, code, ref.Version)
		}
		if err != nil {
			return nil, err
		}
		var names []string
		for _, l := range snap.Layers {
			names = append(names, l.Name)
		}
		return func() { d.setLayers(names) }, nil
	})
}

// setLayers offers the layers read, every one first; a file of one layer
// takes the lots.
func (d *exportDialog) setLayers(names []string) {
	d.layers = names
	d.Layer.SetOptions(append([]string{tr("Every layer")}, names...))
	d.Info.SetText("")
	d.formatChanged()
}

// format is the format chosen.
func (d *exportDialog) format() plan.ExportFormat {
	if i := d.Format.SelectedIndex(); i >= 0 {
		return d.formats[i]
	}
	return d.formats[0]
}

// formatChanged offers the systems the format can be written in and, for
// a file of one layer, takes the lots when every layer was chosen.
func (d *exportDialog) formatChanged() {
	f := d.format()
	opts := []string{tr("The format's own: {{.CRS}}", map[string]any{"CRS": systemName(f.CRS)})}
	if !f.FixedCRS {
		for _, c := range d.systems {
			opts = append(opts, systemName(c))
		}
	}
	d.CRS.SetOptions(opts)
	d.CRS.SetSelectedIndex(0)
	if f.FixedCRS {
		d.CRS.Disable()
	} else {
		d.CRS.Enable()
	}
	if f.OneLayer && d.Layer.SelectedIndex() <= 0 && len(d.layers) > 1 {
		if i := slices.Index(d.layers, "ChucNangSuDungDat_A"); i >= 0 {
			d.Layer.SetSelectedIndex(i + 1)
		}
	} else if d.Layer.SelectedIndex() < 0 && len(d.layers) > 0 {
		d.Layer.SetSelectedIndex(0)
	}
	d.check()
}

// systemName names a system for people: "EPSG:9215 (VN-2000 / TM-3 107-15)".
func systemName(c crs.Code) string {
	if s, ok := crs.Lookup(c); ok {
		return s.String()
	}
	return c.String()
}

// Request reads the dialog's choices as the export's request.
func (d *exportDialog) Request() (plan.ExportRequest, error) {
	f, ref := d.format(), d.ref()
	req := plan.ExportRequest{Plan: d.code(), Version: ref.Version, Dossier: ref.Dossier, Format: f.Format, Catalogue: d.w.cat}
	if i := d.Layer.SelectedIndex(); i > 0 && i <= len(d.layers) {
		req.Layers = []string{d.layers[i-1]}
	}
	if i := d.CRS.SelectedIndex(); i > 0 && i <= len(d.systems) {
		req.CRS = d.systems[i-1]
	}
	switch {
	case req.Plan == "":
		return req, errors.New(tr("Choose a plan"))
	case d.layers == nil:
		return req, errors.New(tr("Reading the plan…"))
	case f.OneLayer && len(req.Layers) == 0 && len(d.layers) > 1:
		return req, errors.New(tr("A {{.Format}} file holds one layer: choose one, or export a GeoPackage for all of them", map[string]any{"Format": f.Name}))
	}
	return req, nil
}

// check enables Save when the choices make a file.
func (d *exportDialog) check() {
	if _, err := d.Request(); err != nil {
		d.Save.Disable()
		if d.layers != nil {
			d.Info.SetText(err.Error())
		}
		return
	}
	d.Info.SetText("")
	d.Save.Enable()
}

// fileName proposes the file's name: the plan's code, the version or
// dossier, the layer.
func (d *exportDialog) fileName() (string, bool) {
	req, err := d.Request()
	if err != nil {
		d.Info.SetText(err.Error())
		return "", false
	}
	name := req.Plan
	switch {
	case req.Dossier != 0:
		name += "-hs" + strconv.FormatInt(req.Dossier, 10)
	case req.Version != 0:
		name += "-v" + strconv.Itoa(req.Version)
	}
	if len(req.Layers) == 1 {
		name += "-" + req.Layers[0]
	}
	return name + d.format().Ext, true
}

// ExportTo writes the file the dialog says to path (off the UI
// goroutine), whole or not at all, and says where it went.
func (d *exportDialog) ExportTo(path string) {
	req, err := d.Request()
	if err != nil {
		d.Info.SetText(err.Error())
		return
	}
	req.Path = path
	src := d.w.src
	d.Save.Disable()
	d.Info.SetText(tr("Writing {{.File}}…", map[string]any{"File": path}))
	d.tasks.Run("export", func(ctx context.Context) (func(), error) {
		if err := plan.Export(ctx, src, req); err != nil {
			return nil, err
		}
		return func() {
			d.Saved = path
			d.Save.Enable()
			d.Info.SetText(tr("Saved {{.File}}", map[string]any{"File": path}))
			d.w.saved(path, nil)
		}, nil
	})
}

// failed says why the layers could not be read or the file written.
func (d *exportDialog) failed(err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	var ee *plan.ExportError
	msg := fileErrText(err)
	if errors.As(err, &ee) {
		msg = ee.Msg
	}
	d.Info.SetText(tr("Error: {{.Err}}", map[string]any{"Err": msg}))
	if _, err := d.Request(); err == nil {
		d.Save.Enable()
	}
}

// askSavePath asks where to save a file called name and hands the path on.
// Fyne's dialog makes the file, empty: it is removed, so that a refused
// export leaves nothing behind (the export writes the file whole).
func (w *Window) askSavePath(name string, save func(path string)) {
	dlg := dialog.NewFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		if st, err := os.Stat(path); err == nil && st.Size() == 0 {
			os.Remove(path)
		}
		save(path)
	}, w.Window)
	dlg.SetFileName(name)
	dlg.Show()
}
