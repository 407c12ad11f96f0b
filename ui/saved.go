package ui

import (
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// savedNotice tells where a file was saved: its full path (selectable, to
// copy), and a button that opens its folder in the system's file manager.
type savedNotice struct {
	dlg        *dialog.ConfirmDialog
	Path       *widget.Label
	OpenFolder func() // what the "Open folder" button does
}

// showSaved tells where every save of the window went (CSV of changes or
// balance, print PDF, information sheets, reports, documents).
func (w *Window) showSaved(path string) {
	w.lastSaved = newSavedNotice(w.Window, path, func(dir string) error {
		return w.app.OpenURL(&url.URL{Scheme: "file", Path: dir})
	})
	showDialog(w.lastSaved.dlg, w.Window)
}

func newSavedNotice(parent fyne.Window, path string, open func(dir string) error) *savedNotice {
	n := &savedNotice{Path: widget.NewLabel(path)}
	n.Path.Wrapping = fyne.TextWrapBreak
	n.Path.Selectable = true
	dir := filepath.Dir(path)
	n.OpenFolder = func() {
		if err := open(dir); err != nil {
			dialog.ShowError(err, parent)
		}
	}
	content := container.NewVBox(widget.NewLabel(tr("The file was saved as:")), n.Path)
	n.dlg = dialog.NewCustomConfirm(tr("Saved"), tr("Open folder"), tr("Close"), content, func(open bool) {
		if open {
			n.OpenFolder()
		}
	}, parent)
	n.dlg.Resize(fyne.NewSize(520, 0))
	return n
}
