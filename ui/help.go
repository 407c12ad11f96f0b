package ui

import (
	"context"
	"image/color"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/store"
)

// The help panel (the window's parts drawn small, the map and edit tools
// with their own icons, a dossier's steps as its badges, every shortcut
// as the menu holds it, where the data lives) and the About.

// helpPanel is the help dialog; its handles let tests read it.
type helpPanel struct {
	Tabs *container.AppTabs
	// Shortcuts lists the keyboard shortcuts, read from the main menu.
	Shortcuts [][2]string
	// Data says where the data lives.
	Data *widget.Label
	dlg  *dialog.CustomDialog
}

// The help's tabs.
const (
	helpWindowTab = iota
	helpMapTab
	helpEditTab
	helpDossierTab
	helpShortcutsTab
	helpDataTab
)

// dataInfo is where the data lives, for the help and the About.
type dataInfo struct {
	Store    string // the store open; "" when none
	CopyOf   string // the file a read-only copy was made of
	ReadOnly bool
	Schema   int    // the store's schema version (PRAGMA user_version)
	Default  string // the per-user store, used without --db
	Prefs    string // the preferences file
}

// dataInfo is where the window's data lives.
func (w *Window) dataInfo() dataInfo {
	d := dataInfo{Default: w.opts.DefaultStore, Prefs: prefsFile(w.app), ReadOnly: w.readOnly()}
	if p, ok := w.src.(interface{ Path() string }); ok {
		d.Store = p.Path()
	}
	if sv, ok := w.src.(interface {
		SchemaVersion(context.Context) (int, error)
	}); ok {
		d.Schema, _ = sv.SchemaVersion(context.Background())
	}
	d.CopyOf, _ = w.shellCopy()
	return d
}

// dataInfo is where the data lives while no store is open.
func (s *Shell) dataInfo() dataInfo {
	return dataInfo{Default: s.opts.DefaultStore, Prefs: prefsFile(s.app)}
}

// prefsFile is the file Fyne keeps the preferences in.
func prefsFile(a fyne.App) string {
	if u := a.Storage().RootURI(); u != nil && u.Scheme() == "file" {
		return filepath.Join(u.Path(), "preferences.json")
	}
	return ""
}

// ShowHelp opens the help.
func (w *Window) ShowHelp() *helpPanel {
	return showHelp(w.Window, w.app, w.Menu.Main, w.dataInfo(), w.Editor.help)
}

// ShowAbout says which program this is and which store is open.
func (w *Window) ShowAbout() *aboutDialog {
	return showAbout(w.Window, w.opts.Version, w.dataInfo())
}

func showHelp(parent fyne.Window, a fyne.App, menu *fyne.MainMenu, info dataInfo, editorHelp func()) *helpPanel {
	h := &helpPanel{Shortcuts: menuShortcuts(menu)}
	h.Data = para(dataText(info))
	h.Data.Selectable = true
	h.Tabs = container.NewAppTabs(
		container.NewTabItem(tr("The window"), scrolled(windowSketch(), para(tr("Left, the panels of the store: the plans (each with its versions and dossiers), search, layers, checks and settings. In the middle the map, the list of every dossier and the page of the dossier open. Right, what the map shows: a lot's attributes, the comparison with another version, the legend and the planning information of a site. Below, the status bar: what is shown, the cursor in VN-2000 and latitude/longitude, the scale; a long task shows its progress there, with Cancel.")))),
		container.NewTabItem(tr("Map"), scrolled(
			iconRow(theme.DocumentCreateIcon(), tr("Edit: a draft dossier opens for editing; an approved version offers to start an adjustment dossier from it")),
			iconRow(theme.ZoomInIcon(), tr("Zoom in (also + and the mouse wheel, about the cursor)")),
			iconRow(theme.ZoomOutIcon(), tr("Zoom out (also −)")),
			iconRow(theme.ZoomFitIcon(), tr("The whole plan")),
			iconRow(theme.VisibilityIcon(), tr("The selected lot")),
			iconRow(theme.DocumentPrintIcon(), tr("Print map sheets at true scale, with a preview")),
			iconRow(theme.InfoIcon(), tr("Planning information: click a point or draw a site; the lots it lies on answer with their areas, uses and indicators")),
			para(tr("Drag the map, or use the arrow keys, to move it. Tap a lot to see its attributes and official area. A dossier chosen in the plans shows its changes over its base: over the map, as a swipe, or side by side.")))),
		container.NewTabItem(tr("Editing"), scrolled(editRows(editorHelp)...)),
		container.NewTabItem(tr("Dossiers"), scrolled(stepsSketch(), para(tr("An adjustment dossier goes through these steps. Its page shows the due date and the rule it comes from, and buttons for the steps its state allows; each asks for its documents and checks them as they are typed. A draft is edited on the map; approving it makes the plan's new version. Every step is sealed in the dossier's hash chain.")), para(tr("A store cloned from the office (quyhoach clone URL --db FILE) works offline and shows the office's state in the status bar: Dossier, Pull from the office brings what the others did; Push to the office sends the dossiers changed here, and a dossier changed at the office since your last pull is refused: pull, then push again.")))),
		container.NewTabItem(tr("Keyboard shortcuts"), scrolled(shortcutGrid(h.Shortcuts))),
		container.NewTabItem(tr("Where the data lives"), scrolled(h.Data)),
	)
	h.dlg = dialog.NewCustom(tr("Help"), tr("Close"), h.Tabs, parent)
	h.dlg.Resize(dialogSize(parent, 760, 560))
	showDialog(h.dlg, parent)
	return h
}

// dialogSize is w × h, or the window less a margin when it is smaller.
func dialogSize(parent fyne.Window, w, h float32) fyne.Size {
	s := parent.Canvas().Size()
	if s.Width > 0 && s.Height > 0 {
		w, h = min(w, s.Width-40), min(h, s.Height-40)
	}
	return fyne.NewSize(w, h)
}

func scrolled(objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewVBox(objs...))
}

// para is a paragraph that wraps.
func para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// iconRow is an icon of the window with what it does.
func iconRow(icon fyne.Resource, text string) fyne.CanvasObject {
	return container.NewBorder(nil, nil, container.NewCenter(widget.NewIcon(icon)), nil, para(text))
}

// editRows are the edit tools with their icons (as on the edit strip),
// and the way to the editor's full list of keys.
func editRows(editorHelp func()) []fyne.CanvasObject {
	rows := []fyne.CanvasObject{
		para(tr("A draft dossier opens for editing with Edit on the map's toolbar. Every gesture is saved as it is made and is one step of the dossier's undo history.")),
		iconRow(theme.NavigateNextIcon(), tr("Select (S): tap a feature, Shift or Ctrl adds; right-click for its actions")),
		iconRow(theme.ContentAddIcon(), tr("Draw (D): tap the vertices, double tap or Enter ends, Backspace takes the last back, Esc drops it; type X Y or distance and bearing below")),
		iconRow(theme.ViewRestoreIcon(), tr("Vertices (V): drag a vertex, double tap a side to add one, tap one then Delete to take it out")),
		iconRow(theme.ViewFullScreenIcon(), tr("Move (M): drag the selected features")),
		iconRow(theme.ContentCutIcon(), tr("Split (X): draw a line across the lot, double tap or Enter cuts")),
		iconRow(theme.GridIcon(), tr("Split into equal parts: choose the side they keep frontage on")),
		iconRow(theme.ListIcon(), tr("Split by areas: choose the side they keep frontage on")),
		iconRow(theme.ContentRemoveIcon(), tr("Setback: choose the side, then the distance")),
		iconRow(theme.ContentCopyIcon(), tr("Merge the selected lots (Ctrl+M)")),
		iconRow(theme.DeleteIcon(), tr("Delete the selected features (Delete)")),
		iconRow(theme.FileIcon(), tr("Draw a lot from a coordinate table (X, Y per line)")),
		iconRow(theme.ContentUndoIcon(), tr("Undo (Ctrl+Z)")),
		iconRow(theme.ContentRedoIcon(), tr("Redo (Ctrl+Y, Ctrl+Shift+Z)")),
	}
	if editorHelp != nil {
		rows = append(rows, container.NewHBox(widget.NewButtonWithIcon(tr("All the keys of editing (F1)"), theme.HelpIcon(), editorHelp)))
	}
	return rows
}

// windowSketch draws the window's parts small, the map in the
// catalogue's colours.
func windowSketch() fyne.CanvasObject {
	box := func(text string, fill color.Color, w, h float32) fyne.CanvasObject {
		r := canvas.NewRectangle(fill)
		r.StrokeColor = theme.Color(theme.ColorNameForeground)
		r.StrokeWidth = 1
		r.SetMinSize(fyne.NewSize(w, h))
		t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
		t.TextSize = theme.TextSize() - 2
		t.Alignment = fyne.TextAlignCenter
		return container.NewStack(r, container.NewCenter(t))
	}
	panel := theme.Color(theme.ColorNameInputBackground)
	lots := container.NewGridWithColumns(3)
	for _, c := range []color.NRGBA{{0xff, 0xd9, 0x66, 0xff}, {0xe6, 0x73, 0x73, 0xff}, {0xa6, 0xd9, 0x6a, 0xff}, {0xcc, 0x99, 0x00, 0xff}, {0x73, 0xb2, 0xe6, 0xff}, {0xff, 0xa6, 0xd9, 0xff}} {
		r := canvas.NewRectangle(c)
		r.StrokeColor = color.NRGBA{0x40, 0x40, 0x40, 0xff}
		r.StrokeWidth = 1
		lots.Add(r)
	}
	mapPart := container.NewStack(lots, container.NewCenter(box(tr("Map"), theme.Color(theme.ColorNameBackground), 80, 24)))
	sketch := container.NewBorder(
		container.NewVBox(box(tr("Menu"), panel, 0, 20), box(tr("Toolbar: edit, zoom, print, planning information"), panel, 0, 20)),
		box(tr("Status bar"), panel, 0, 20),
		box(tr("Plans · Search · Layers · Checks · Settings"), panel, 150, 150),
		box(tr("Inspector · Compare · Legend · Site info"), panel, 150, 150),
		mapPart)
	return container.NewPadded(sketch)
}

// stepsSketch draws a dossier's steps as the badges of its page.
func stepsSketch() fyne.CanvasObject {
	row := container.NewHBox()
	for i, s := range []string{store.Draft, store.Submitted, store.Appraising, store.Appraised, store.Approved, store.Published} {
		if i > 0 {
			row.Add(widget.NewIcon(theme.NavigateNextIcon()))
		}
		b := newStateBadge()
		b.Set(s)
		row.Add(b)
	}
	return container.NewHScroll(row)
}

// menuShortcuts lists the items of the menu that have a shortcut, with it.
func menuShortcuts(menu *fyne.MainMenu) [][2]string {
	var out [][2]string
	var walk func(m *fyne.Menu)
	walk = func(m *fyne.Menu) {
		for _, it := range m.Items {
			if ks, ok := it.Shortcut.(fyne.KeyboardShortcut); ok && it.Label != "" {
				out = append(out, [2]string{shortcutText(ks), strings.TrimSuffix(it.Label, "…")})
			}
			if it.ChildMenu != nil {
				walk(it.ChildMenu)
			}
		}
	}
	if menu != nil {
		for _, m := range menu.Items {
			walk(m)
		}
	}
	return out
}

// shortcutText writes a shortcut as people read it: Ctrl+Shift+N.
func shortcutText(ks fyne.KeyboardShortcut) string {
	var b strings.Builder
	mod := ks.Mod()
	if mod&fyne.KeyModifierControl != 0 {
		b.WriteString("Ctrl+")
	}
	if mod&fyne.KeyModifierSuper != 0 {
		b.WriteString("⌘")
	}
	if mod&fyne.KeyModifierAlt != 0 {
		b.WriteString("Alt+")
	}
	if mod&fyne.KeyModifierShift != 0 {
		b.WriteString("Shift+")
	}
	b.WriteString(string(ks.Key()))
	return b.String()
}

// shortcutGrid shows the shortcuts, then the map's own keys.
func shortcutGrid(list [][2]string) fyne.CanvasObject {
	list = append(list,
		[2]string{tr("Arrows"), tr("Move the map")},
		[2]string{"+ −", tr("Zoom the map (the map chosen)")},
		[2]string{tr("Wheel"), tr("Zoom about the cursor")},
		[2]string{"Enter, Esc, Backspace", tr("End, drop, or take back what is drawn")})
	var cells []fyne.CanvasObject
	for _, r := range list {
		cells = append(cells, widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(r[1]))
	}
	return container.New(layout.NewFormLayout(), cells...)
}

// dataText says where the data lives.
func dataText(d dataInfo) string {
	var b strings.Builder
	switch {
	case d.Store == "":
		b.WriteString(tr("No store is open."))
	case d.CopyOf != "":
		b.WriteString(tr("The store open is a read-only copy of {{.File}}, made in {{.Copy}} and removed when it is closed.", map[string]any{"File": d.CopyOf, "Copy": d.Store}))
	case d.ReadOnly:
		b.WriteString(tr("The store open: {{.File}} (read-only).", map[string]any{"File": d.Store}))
	default:
		b.WriteString(tr("The store open: {{.File}}.", map[string]any{"File": d.Store}))
	}
	b.WriteString(" " + tr("A store is one SQLite file holding the plans, their versions, the dossiers with their steps and documents, and the sheets issued. Copy it as a backup while the program is closed (with its -wal file when there is one)."))
	if d.Default != "" {
		b.WriteString("\n\n" + tr("Without --db the program opens the per-user store {{.File}} (made with the sample plans the first time).", map[string]any{"File": d.Default}))
	}
	if d.Prefs != "" {
		b.WriteString("\n\n" + tr("The preferences (language, window size, recent stores, the last plan, layers, print settings) are in {{.File}}.", map[string]any{"File": d.Prefs}))
	}
	b.WriteString("\n\n" + tr("Every command of the window is also a command of the program, for scripts: quyhoach --help lists them; quyhoach --db FILE opens the window on FILE."))
	return b.String()
}

// aboutDialog says which program this is; Text holds its lines (tests).
type aboutDialog struct {
	Text string
	dlg  *dialog.CustomDialog
}

// showAbout shows the program's version, its Go and Fyne, and the store.
func showAbout(parent fyne.Window, version string, d dataInfo) *aboutDialog {
	if version == "" {
		version = "dev"
	}
	lines := []string{
		tr("Zoning plans of the Đồng Đăng – Lạng Sơn border-gate economic zone"),
		"",
		tr("Version {{.V}}", map[string]any{"V": version}),
		tr("Built with {{.Go}} and Fyne {{.Fyne}}", map[string]any{"Go": runtime.Version(), "Fyne": fyneVersion()}),
	}
	switch {
	case d.Store == "":
		lines = append(lines, tr("No store is open."))
	default:
		file := d.Store
		if d.CopyOf != "" {
			file = tr("{{.File}} (a read-only copy)", map[string]any{"File": d.CopyOf})
		} else if d.ReadOnly {
			file = tr("{{.File}} (read-only)", map[string]any{"File": d.Store})
		}
		lines = append(lines, tr("Store: {{.File}}", map[string]any{"File": file}), tr("Schema version {{.N}}", map[string]any{"N": d.Schema}))
	}
	a := &aboutDialog{Text: strings.Join(lines, "\n")}
	title := widget.NewLabelWithStyle("quyhoach", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(a.Text)
	body.Wrapping = fyne.TextWrapWord
	body.Selectable = true
	a.dlg = dialog.NewCustom(tr("About quyhoach"), tr("Close"), container.NewVBox(title, body), parent)
	a.dlg.Resize(dialogSize(parent, 560, 320))
	showDialog(a.dlg, parent)
	return a
}

// fyneVersion is the Fyne module the program was built with.
func fyneVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == "fyne.io/fyne/v2" {
				return strings.TrimPrefix(m.Version, "v")
			}
		}
	}
	return "?"
}
