package ui

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
	"quyhoach/gis/scene"
	"quyhoach/plan"
	"quyhoach/store"
)

// wirePage connects a dossier's page to the window.
func (w *Window) wirePage(p *dossierPage) {
	p.OnAction = func(a string) { w.ShowStep(a) }
	p.OnClose = w.closePage
	p.OnAgencies = func() {
		if p.pg != nil {
			w.ShowAgencies(p.pg.Plan.Code)
		}
	}
	p.OnAddDoc = func() { w.chooseFile(nil, func(path string) { w.askAttach(path) }) }
	p.OnOpenDoc = w.openAttachment
	p.OnSaveDoc = w.saveAttachment
	p.OnCompare = func() {
		w.showMapTab()
		if w.shown.node.Dossier != p.id || w.shown.cmp == nil {
			w.CompareDossier(p.id)
		}
	}
	p.OnEdit = func() { w.Edit(p.id) } // the editor (ui/edit*.go)
	p.OnApplyFile = func() {
		w.chooseFile([]string{".geojson", ".json", ".gpkg", ".dxf", ".zip", ".shp"}, w.applyFile)
	}
	p.OnRebase = w.rebase
	o := scene.Options{Font: w.font}
	p.Conflicts.Theirs.SetOptions(o)
	p.Conflicts.Ours.SetOptions(o)
}

// chooseFile asks for a file (of the extensions given, or any) and hands
// its path on.
func (w *Window) chooseFile(exts []string, open func(path string)) {
	d := newFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		open(path)
	}, w.Window)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	d.Show()
}

// attachForm asks which kind of document a file is before it is attached.
type attachForm struct {
	Kind   *widget.Select
	Attach *widget.Button
	dlg    *dialog.CustomDialog
	path   string
}

// askAttach asks the kind of a file and attaches it to the dossier whose
// page is open; it returns the form (tests choose the kind and attach).
func (w *Window) askAttach(path string) *attachForm {
	dw := w.dossiers
	p := dw.page
	if p == nil || p.pg == nil || dw.st == nil {
		return nil
	}
	names := make([]string, len(store.AttachmentKinds))
	for i, k := range store.AttachmentKinds {
		names[i] = docKindName(k)
	}
	f := &attachForm{Kind: newSelect(names, nil), path: path}
	f.Kind.SetSelectedIndex(0)
	if i := guessKind(path); i >= 0 {
		f.Kind.SetSelectedIndex(i)
	}
	id := p.pg.Dossier.ID
	cancel := widget.NewButton(tr("Cancel"), func() { f.dlg.Hide() })
	f.Attach = widget.NewButton(tr("Attach"), func() {
		kind := store.AttachmentKinds[f.Kind.SelectedIndex()]
		f.dlg.Hide()
		w.Status.Busy(tr("Attaching {{.File}}…", map[string]any{"File": filepath.Base(path)}))
		dw.steps.Run("attach", func(ctx context.Context) (func(), error) {
			data, err := os.ReadFile(path)
			if err != nil {
				return func() { p.ShowError(err) }, nil
			}
			a, err := dw.st.Attach(ctx, id, kind, path, data)
			if err != nil {
				return func() { p.ShowError(err) }, nil
			}
			return func() {
				msg := tr("Attached {{.Name}} ({{.Kind}}, {{.Size}}) to dossier {{.ID}}", map[string]any{"Name": a.Name, "Kind": docKindName(a.Kind), "Size": sizeText(a.Size), "ID": id})
				w.afterWrite(msg)
				p.Tabs.SelectIndex(docsTab)
			}, nil
		})
	})
	f.Attach.Importance = widget.HighImportance
	content := container.NewVBox(widget.NewLabel(filepath.Base(path)), widget.NewForm(widget.NewFormItem(tr("Kind of document"), f.Kind)))
	f.dlg = dialog.NewCustomWithoutButtons(tr("Attach a document"), content, w.Window)
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.Attach})
	showDialog(f.dlg, w.Window)
	return f
}

// guessKind guesses a document's kind from its file name ("to-trinh-…"),
// −1 when it cannot.
func guessKind(path string) int {
	name := " " + strings.ReplaceAll(scene.Fold(filepath.Base(path)), "-", " ") + " "
	for i, k := range store.AttachmentKinds {
		if strings.Contains(name, " "+strings.ReplaceAll(k, "_", " ")+" ") {
			return i
		}
	}
	return -1
}

// openAttachment opens a document of the dossier with the system viewer:
// its bytes, checked against their sha256, in a temporary file.
func (w *Window) openAttachment(a store.Attachment) {
	dw := w.dossiers
	p := dw.page
	if p == nil || dw.st == nil {
		return
	}
	id := p.id
	dw.tasks.Run("open document", func(ctx context.Context) (func(), error) {
		_, data, err := dw.st.Extract(ctx, id, a.ID)
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		path, err := tempCopy(a.Name, data)
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		return func() {
			if err := dw.openPath(path); err != nil {
				p.ShowError(err)
				return
			}
			p.ShowMessage(tr("Opened {{.Name}} with the system viewer", map[string]any{"Name": a.Name}))
		}, nil
	})
}

// saveAttachment saves a copy of a document where the officer says.
func (w *Window) saveAttachment(a store.Attachment) {
	dw := w.dossiers
	p := dw.page
	if p == nil || dw.st == nil {
		return
	}
	id := p.id
	w.saveFile(a.Name, func(out io.Writer) error {
		_, data, err := dw.st.Extract(context.Background(), id, a.ID)
		if err == nil {
			_, err = out.Write(data)
		}
		return err
	}, func(path string, err error) {
		if err != nil {
			p.ShowError(err)
			return
		}
		w.saved(path, nil)
		p.ShowMessage(tr("Saved {{.File}}", map[string]any{"File": path}))
	})
}

// applyFile records a file of changed lots in the draft whose page is
// open, as `quyhoach dossier apply` does: a lot whose id is in the base
// is a modification, one with a new id an addition.
func (w *Window) applyFile(path string) {
	dw := w.dossiers
	p := dw.page
	if p == nil || p.pg == nil || dw.st == nil {
		return
	}
	id := p.id
	w.Status.Busy(tr("Reading {{.File}}…", map[string]any{"File": filepath.Base(path)}))
	dw.steps.Run("apply", func(ctx context.Context) (func(), error) {
		l, err := plan.ReadLayer(ctx, path, plan.ReadOptions{Layer: gis.LandUseLayer})
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		res, err := dw.st.Apply(ctx, store.ApplyRequest{Dossier: id, Layer: gis.LandUseLayer, Features: l.Features})
		if err != nil {
			return func() { p.ShowError(err) }, nil
		}
		return func() {
			msg := tr("{{.File}}: {{.Added}} added, {{.Modified}} modified, {{.Deleted}} deleted, {{.Unchanged}} unchanged",
				map[string]any{"File": filepath.Base(path), "Added": res.Added, "Modified": res.Modified, "Deleted": res.Deleted, "Unchanged": res.Unchanged})
			w.afterWrite(msg)
			p.Tabs.SelectIndex(changesTab)
		}, nil
	})
}
