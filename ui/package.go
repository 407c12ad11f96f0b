package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"quyhoach/plan"
	"quyhoach/store"
)

// Dossier packages in the window: "Gửi hồ sơ… / Send dossier…" writes the
// dossier shown as one file for another store, "Nhận hồ sơ… / Receive
// dossier…" takes one in and opens its page. The work is plan's
// (plan/package.go), as for the CLI's dossier pack and unpack.

// packer is the source as plan.Packer, nil when it cannot pack.
func (w *Window) packer() plan.Packer {
	p, _ := w.src.(plan.Packer)
	return p
}

// packTarget is the dossier a package is made of: the one whose page is
// shown, else the one chosen in the browser (0: none).
func (w *Window) packTarget() int64 {
	if dw := w.dossiers; dw != nil && dw.page != nil && dw.pageTab != nil && w.Center.Selected() == dw.pageTab {
		return dw.page.id
	}
	return w.shown.node.Dossier
}

// ShowSendDossier asks where to save the package of the dossier shown,
// then writes it (in the background). It returns the file dialog, nil
// when there is no dossier to send.
func (w *Window) ShowSendDossier() *fileDialog {
	p, id := w.packer(), w.packTarget()
	if p == nil || id == 0 {
		w.Status.Idle(tr("Choose a dossier to send"))
		return nil
	}
	d, err := p.Dossier(context.Background(), id)
	if err != nil {
		dialog.ShowError(errors.New(packageErrText(err)), w.Window)
		return nil
	}
	fd := newFileSave(func(uc fyne.URIWriteCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close() // the dialog made the file; the package is written anew, whole
		w.sendDossier(id, path)
	}, w.Window)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{plan.PackageExt}))
	fd.SetFileName(plan.PackageName(d))
	fd.SetTitleText(tr("Send dossier {{.ID}}", map[string]any{"ID": id}))
	fd.Show()
	return fd
}

// sendDossier writes dossier id's package at path and says what it holds.
func (w *Window) sendDossier(id int64, path string) {
	p := w.packer()
	w.dossiers.steps.Run("send dossier", func(ctx context.Context) (func(), error) {
		res, path, err := plan.SendDossier(ctx, p, id, path, w.dossiers.user)
		return func() {
			if err != nil {
				if fi, e := os.Stat(path); e == nil && fi.Size() == 0 {
					os.Remove(path) // the empty file the dialog made
				}
				w.Status.Idle(tr("Not sent: {{.Err}}", map[string]any{"Err": packageErrText(err)}))
				dialog.ShowError(errors.New(packageErrText(err)), w.Window)
				return
			}
			w.Status.Idle(tr("Dossier {{.ID}} saved as {{.File}}", map[string]any{"ID": id, "File": filepath.Base(path)}))
			dialog.ShowInformation(tr("Send dossier"), sentText(res, path), w.Window)
		}, nil
	})
}

// sentText says what a package holds and what to do with it.
func sentText(r store.PackResult, path string) string {
	return tr("Dossier {{.ID}} ({{.State}}) is in {{.File}}: {{.Changes}} changes, {{.Steps}} steps, {{.Docs}} documents, and its hash chain. Hand the file to the other store (Receive dossier…); QGIS opens it too, showing the lots it proposes.",
		map[string]any{"ID": r.Dossier, "State": stateName(r.State), "File": path, "Changes": r.Changes, "Steps": r.Steps, "Docs": r.Attachments})
}

// ShowReceiveDossier asks for a package and takes it in (in the
// background); the dossier's page opens. It returns the file dialog, nil
// when the store cannot take a dossier in.
func (w *Window) ShowReceiveDossier() *fileDialog {
	if w.packer() == nil || w.readOnly() {
		w.Status.Idle(tr("This store cannot take a dossier in"))
		return nil
	}
	fd := newFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil || uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		w.receiveDossier(path)
	}, w.Window)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{plan.PackageExt}))
	fd.SetTitleText(tr("Receive dossier"))
	fd.Show()
	return fd
}

// receiveDossier takes the package at path in, then shows the dossier's
// page and what came with it; a refused package shows why.
func (w *Window) receiveDossier(path string) {
	p := w.packer()
	w.dossiers.steps.Run("receive dossier", func(ctx context.Context) (func(), error) {
		res, err := plan.ReceiveDossier(ctx, p, path)
		return func() {
			if err != nil {
				w.Status.Idle(tr("Not received: {{.Err}}", map[string]any{"Err": packageErrText(err)}))
				dialog.ShowError(errors.New(packageErrText(err)), w.Window)
				return
			}
			w.refreshBrowser()
			w.OpenDossier(res.Dossier)
			if w.Dashboard.loaded {
				w.loadDashboard()
			}
			text := receivedText(res)
			w.Status.Idle(strings.SplitN(text, "\n", 2)[0])
			dialog.ShowInformation(tr("Receive dossier"), text, w.Window)
		}, nil
	})
}

// receivedText says what a package brought, and when the plan moved on
// since the dossier's base, that it needs a rebase (the Conflicts tab).
func receivedText(r store.UnpackResult) string {
	data := map[string]any{"ID": r.Dossier, "State": stateName(r.State), "Plan": r.Plan, "Author": r.Author,
		"Changes": r.Changes, "Steps": r.Steps, "Docs": r.Attachments}
	var text string
	switch r.Status {
	case store.UnpackNew:
		text = tr("Dossier {{.ID}} received ({{.Plan}}, {{.State}}): {{.Changes}} changes, {{.Steps}} steps, {{.Docs}} documents.", data)
		if r.Author != "" {
			text += " " + tr("Sent by {{.Author}}.", data)
		}
	case store.UnpackAppended:
		text = tr("Dossier {{.ID}}: {{.Steps}} new steps and {{.Docs}} new documents; it is now {{.State}}.", data)
	case store.UnpackUpdated:
		text = tr("Dossier {{.ID}}: its draft's changes were updated ({{.Changes}} changes).", data)
	default:
		text = tr("Dossier {{.ID}} is already up to date.", data)
	}
	if r.NeedsRebase() {
		d := map[string]any{"Base": r.Base, "Current": r.Current, "N": len(r.Conflicts)}
		text += "\n" + tr("Needs rebase: it is based on version {{.Base}}, the plan is at version {{.Current}}.", d)
		if len(r.Conflicts) > 0 {
			text += " " + tr("{{.N}} lots were changed on both sides: settle them in the Conflicts tab.", d)
		}
	}
	return text
}

// packageErrText is a refused package or send in the chosen language.
func packageErrText(err error) string {
	var pe *store.PackageError
	if errors.As(err, &pe) && pe.Key != "" {
		data := map[string]any{}
		for k, v := range pe.Data {
			switch k {
			case "State":
				v = stateName(fmt.Sprint(v))
			case "Why":
				v = tr(fmt.Sprint(v))
			}
			data[k] = v
		}
		text := tr(pe.Key, data)
		if pe.File != "" {
			text = pe.File + ": " + text
		}
		return text
	}
	return errText(err)
}
