package ui

import (
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// The main menu, in desktop convention: Tệp/File, Sửa/Edit, Xem/View,
// Hồ sơ/Dossier, Trợ giúp/Help. Every command of the window is one of its
// items, most with a keyboard shortcut. Fyne runs a menu's shortcut before
// the focused widget sees the keys, and runs it even when the item is
// disabled: so every action checks the state itself, and Undo and Redo
// hand the keys to a focused text field first (its own undo).

// appMenu is the window's main menu. Its items are kept by key, so the
// state of the moment can enable and check them, and tests can use them.
type appMenu struct {
	Main   *fyne.MainMenu
	Items  map[string]*fyne.MenuItem
	state  string      // the enabled and checked state last shown
	canvas fyne.Canvas // the window's: while a dialog is up there, shortcuts wait
}

// item makes a menu item kept under key. With a dialog up, the menu bar
// is behind it, so an item's action can only come from its shortcut: it
// does nothing then (a second dialog would open behind the first).
func (m *appMenu) item(key, label string, sc fyne.Shortcut, do func()) *fyne.MenuItem {
	act := do
	if do != nil && sc != nil {
		act = func() {
			if !dialogUp(m.canvas) {
				do()
			}
		}
	}
	it := fyne.NewMenuItem(label, act)
	it.Shortcut = sc
	m.Items[key] = it
	return it
}

func sep() *fyne.MenuItem { return fyne.NewMenuItemSeparator() }

// ctrl, ctrlShift: the shortcuts of the menu; key: a key a tool takes by
// itself, shown beside its item (the driver gives a menu only shortcuts
// with Ctrl, Alt or Super).
func ctrl(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}
}

func ctrlShift(k fyne.KeyName) fyne.Shortcut {
	return &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
}

func key(k fyne.KeyName) fyne.Shortcut { return &desktop.CustomShortcut{KeyName: k} }

// buildMenu makes the main menu in the language of the moment (build and
// a change of the recent list make it again).
func (w *Window) buildMenu() {
	m := &appMenu{Items: map[string]*fyne.MenuItem{}, canvas: w.Canvas()}
	w.Menu = m
	m.Main = fyne.NewMainMenu(w.fileMenu(m), w.editMenu(m), w.viewMenu(m), w.dossierMenu(m), w.helpMenu(m))
	w.SetMainMenu(m.Main)
	w.updateMenu()
}

func (w *Window) fileMenu(m *appMenu) *fyne.Menu {
	items := storeItems(m, w.stores())
	items = append(items,
		m.item("file.writablecopy", tr("Save a writable copy…"), nil, func() {
			if w.readOnly() {
				w.stores().SaveWritableCopy()
			}
		}),
		sep())
	items = append(items,
		m.item("file.newplan", tr("New plan…"), ctrl(fyne.KeyN), func() {
			if !w.readOnly() {
				w.ShowNewPlan()
			}
		}),
		m.item("file.import", tr("Import a layer…"), ctrl(fyne.KeyI), func() {
			if !w.readOnly() {
				w.ShowImport()
			}
		}),
		m.item("file.export", tr("Export…"), ctrlShift(fyne.KeyE), func() {
			if w.shown.state != nil {
				w.ShowExport()
			}
		}),
		sep(),
		m.item("file.print", tr("Print…"), ctrl(fyne.KeyP), func() {
			if w.shown.state != nil {
				w.ShowPrint()
			}
		}),
		sep(), quitItem(m))
	return fyne.NewMenu(tr("File menu"), items...)
}

// storeItems are the store commands of the File menu (the window's and
// the start window's).
func storeItems(m *appMenu, s *Shell) []*fyne.MenuItem {
	recent := fyne.NewMenu("")
	for i, p := range s.Recent() {
		label := filepath.Base(p) + "  —  " + filepath.Dir(p)
		recent.Items = append(recent.Items, m.item("file.recent."+strconv.Itoa(i), label, nil, func() { s.Open(p) }))
	}
	if len(recent.Items) == 0 {
		none := m.item("file.recent.none", tr("(none yet)"), nil, nil)
		none.Disabled = true
		recent.Items = append(recent.Items, none)
	} else {
		recent.Items = append(recent.Items, sep(), m.item("file.recent.clear", tr("Clear the list"), nil, s.ClearRecent))
	}
	open := m.item("file.recent", tr("Open recent"), nil, nil)
	open.ChildMenu = recent
	return []*fyne.MenuItem{
		m.item("file.newstore", tr("New store…"), ctrlShift(fyne.KeyN), func() { s.NewStore() }),
		m.item("file.open", tr("Open store…"), ctrl(fyne.KeyO), s.ChooseStore),
		open,
		m.item("file.opencopy", tr("Open a copy read-only…"), nil, s.ChooseCopy),
	}
}

// quitItem ends the program: Fyne gives an item marked IsQuit without an
// action its own, which closes every window (each saves its state).
func quitItem(m *appMenu) *fyne.MenuItem {
	q := m.item("file.quit", tr("Quit the program"), ctrl(fyne.KeyQ), nil)
	q.IsQuit = true
	return q
}

func (w *Window) editMenu(m *appMenu) *fyne.Menu {
	e := func(fn func(e *editor)) func() {
		return func() {
			if w.Editor.Editing() {
				fn(w.Editor)
			} else {
				w.Status.Idle(tr("No dossier is open for editing: Edit, Edit the plan shown (Ctrl+E)"))
			}
		}
	}
	tool := func(k toolKind, id, label string, sc fyne.KeyName) *fyne.MenuItem {
		return m.item("edit.tool."+id, label, key(sc), e(func(e *editor) { e.SetTool(k) }))
	}
	return fyne.NewMenu(tr("Edit menu"),
		m.item("edit.undo", tr("Undo"), &fyne.ShortcutUndo{}, func() { w.undoRedo(false) }),
		m.item("edit.redo", tr("Redo"), &fyne.ShortcutRedo{}, func() { w.undoRedo(true) }),
		sep(),
		m.item("edit.start", tr("Edit the plan shown…"), ctrl(fyne.KeyE), func() {
			if w.shown.state != nil && !w.Editor.Editing() {
				w.EditShown()
			}
		}),
		m.item("edit.stop", tr("Stop editing"), nil, e(func(e *editor) { e.stop() })),
		sep(),
		tool(selectTool, "select", tr("Select"), fyne.KeyS),
		tool(drawTool, "draw", tr("Draw"), fyne.KeyD),
		tool(vertexTool, "vertices", tr("Vertices"), fyne.KeyV),
		tool(moveTool, "move", tr("Move"), fyne.KeyM),
		tool(splitTool, "split", tr("Split"), fyne.KeyX),
		m.item("edit.equal", tr("Split into equal parts…"), nil, e(func(e *editor) { e.sideFor(equalParts) })),
		m.item("edit.areas", tr("Split by areas…"), nil, e(func(e *editor) { e.sideFor(areaParts) })),
		m.item("edit.setback", tr("Setback…"), nil, e(func(e *editor) { e.sideFor(setbackLine) })),
		m.item("edit.merge", tr("Merge the selected lots"), ctrl(fyne.KeyM), e(func(e *editor) { e.merge() })),
		m.item("edit.delete", tr("Delete"), key(fyne.KeyDelete), e(func(e *editor) { e.deleteSelected() })),
		m.item("edit.table", tr("Lot from a coordinate table…"), nil, e(func(e *editor) { e.tableDialog() })),
		sep(),
		m.item("edit.attributes", tr("Attributes…"), nil, e(func(e *editor) { e.Right(0) })),
		m.item("edit.history", tr("Edit history"), nil, e(func(e *editor) { e.Right(1) })),
		m.item("edit.help", tr("Editing shortcuts"), key(fyne.KeyF1), e(func(e *editor) { e.help() })),
	)
}

// undoRedo undoes (redo: redoes) in the focused text field, else the last
// edit of the dossier open for editing.
func (w *Window) undoRedo(redo bool) {
	if f, ok := w.Canvas().Focused().(fyne.Shortcutable); ok {
		if redo {
			f.TypedShortcut(&fyne.ShortcutRedo{})
		} else {
			f.TypedShortcut(&fyne.ShortcutUndo{})
		}
		return
	}
	if !w.Editor.Editing() {
		w.Status.Idle(tr("Nothing to undo: the edits of a dossier open for editing are undone"))
		return
	}
	w.Editor.undo(redo)
}

func (w *Window) viewMenu(m *appMenu) *fyne.Menu {
	onMap := func(fn func()) func() {
		return func() {
			if w.shown.state != nil {
				w.showMapTab()
				fn()
			}
		}
	}
	panels := fyne.NewMenu("")
	for i, ti := range w.Left.Items {
		page := tabContent(ti)
		panels.Items = append(panels.Items, m.item("view.left."+strconv.Itoa(i), ti.Text, nil, func() { selectPage(w.Left, page) }))
	}
	panels.Items = append(panels.Items, sep())
	for i, ti := range w.Right.Items {
		page := tabContent(ti)
		panels.Items = append(panels.Items, m.item("view.right."+strconv.Itoa(i), ti.Text, nil, func() {
			w.showMapTab() // the right-hand panels serve the map
			selectPage(w.Right, page)
		}))
	}
	panelsItem := m.item("view.panels", tr("Panels"), nil, nil)
	panelsItem.ChildMenu = panels
	lang := fyne.NewMenu("",
		m.item("view.lang.vi", "Tiếng Việt", nil, func() { w.Settings.Language.SetSelectedIndex(0) }),
		m.item("view.lang.en", "English", nil, func() { w.Settings.Language.SetSelectedIndex(1) }))
	langItem := m.item("view.language", tr("Language"), nil, nil)
	langItem.ChildMenu = lang
	return fyne.NewMenu(tr("View menu"),
		m.item("view.zoomin", tr("Zoom in"), ctrl(fyne.KeyEqual), onMap(w.Map.ZoomIn)),
		m.item("view.zoomout", tr("Zoom out"), ctrl(fyne.KeyMinus), onMap(w.Map.ZoomOut)),
		m.item("view.whole", tr("Whole plan"), ctrl(fyne.Key0), onMap(w.Map.ZoomToPlan)),
		m.item("view.selection", tr("Zoom to the selection"), ctrl(fyne.KeyJ), onMap(w.Map.ZoomToSelection)),
		sep(),
		m.item("view.map", tr("Map"), ctrl(fyne.Key1), w.showMapTab),
		m.item("view.dashboard", tr("Dossiers"), ctrl(fyne.Key2), w.ShowDashboard),
		sep(),
		m.item("view.info", tr("Planning information tool"), ctrlShift(fyne.KeyI), onMap(func() { w.SetInfoTool(!w.Site.Tool.Visible()) })),
		m.item("view.search", tr("Search lots…"), ctrl(fyne.KeyF), func() {
			selectPage(w.Left, w.Search)
			w.Canvas().Focus(w.Search.Entry)
		}),
		m.item("view.check", tr("Check the plan"), ctrl(fyne.KeyK), func() {
			if w.shown.state != nil {
				w.check()
			}
		}),
		sep(),
		panelsItem,
		langItem,
		m.item("view.settings", tr("Settings"), ctrl(fyne.KeyComma), func() { selectPage(w.Left, w.Settings) }),
	)
}

func (w *Window) dossierMenu(m *appMenu) *fyne.Menu {
	plan := func(fn func(code string)) func() {
		return func() {
			if s := w.shown.state; s != nil {
				fn(s.Plan.Code)
			} else {
				w.Status.Idle(tr("Choose a plan"))
			}
		}
	}
	return fyne.NewMenu(tr("Dossier menu"),
		m.item("dossier.dashboard", tr("All dossiers"), ctrl(fyne.KeyD), w.ShowDashboard),
		m.item("dossier.page", tr("Page of the dossier shown"), nil, func() {
			if id := w.shown.node.Dossier; id != 0 {
				w.OpenDossier(id)
			}
		}),
		m.item("dossier.new", tr("New adjustment dossier…"), ctrlShift(fyne.KeyD), plan(func(code string) {
			if w.editSource() != nil && !w.readOnly() {
				w.NewDossier(code, 0)
			}
		})),
		sep(),
		m.item("dossier.send", tr("Send dossier…"), nil, func() { w.ShowSendDossier() }),
		m.item("dossier.receive", tr("Receive dossier…"), nil, func() { w.ShowReceiveDossier() }),
		m.item("dossier.pull", tr("Pull from the office"), nil, w.Pull),
		m.item("dossier.push", tr("Push to the office"), nil, w.Push),
		m.item("dossier.office", tr("Office…"), nil, func() { w.ShowOffice() }),
		sep(),
		m.item("dossier.agencies", tr("Agencies of the plan…"), nil, plan(func(code string) { w.ShowAgencies(code) })),
		m.item("dossier.report", tr("Yearly report…"), ctrl(fyne.KeyR), func() { w.ShowReport() }),
	)
}

func (w *Window) helpMenu(m *appMenu) *fyne.Menu {
	return fyne.NewMenu(tr("Help menu"),
		m.item("help.help", tr("Help"), nil, func() { w.ShowHelp() }),
		m.item("help.shortcuts", tr("Keyboard shortcuts"), nil, func() { w.ShowHelp().Tabs.SelectIndex(helpShortcutsTab) }),
		sep(),
		m.item("help.about", tr("About quyhoach"), nil, func() { w.ShowAbout() }),
	)
}

// readOnly tells whether the store cannot be written.
func (w *Window) readOnly() bool {
	ro, ok := w.src.(interface{ ReadOnly() bool })
	return ok && ro.ReadOnly()
}

// updateMenu enables the items that do something in the state of the
// moment and checks the language, the tool and the information tool; the
// menu is drawn again only when that changed.
func (w *Window) updateMenu() {
	m := w.Menu
	if m == nil {
		return
	}
	editing := w.Editor != nil && w.Editor.Editing()
	shown := w.shown.state != nil
	canWrite := !w.readOnly() && w.editSource() != nil
	on := map[string]bool{
		"file.writablecopy": w.readOnly(),
		"file.print":        shown,
		"file.newplan":      canWrite,
		"file.import":       canWrite,
		"file.export":       shown,
		"edit.undo":         editing,
		"edit.redo":         editing,
		"edit.start":        shown && !editing && canWrite,
		"edit.stop":         editing,
		"view.zoomin":       shown,
		"view.zoomout":      shown,
		"view.whole":        shown,
		"view.selection":    shown,
		"view.info":         shown,
		"view.check":        shown,
		"dossier.page":      w.shown.node.Dossier != 0,
		"dossier.new":       shown && canWrite,
		"dossier.agencies":  shown,
		"dossier.send":      w.packer() != nil && w.packTarget() != 0,
		"dossier.receive":   w.packer() != nil && !w.readOnly(),
		"dossier.pull":      w.Office.CanSync(),
		"dossier.push":      w.Office.CanSync(),
		"dossier.office":    w.Office.HasOffice(),
	}
	for k := range m.Items {
		if strings.HasPrefix(k, "edit.") && k != "edit.undo" && k != "edit.redo" && k != "edit.start" {
			on[k] = editing
		}
	}
	checked := map[string]bool{
		"view.lang.vi": Lang() == "vi",
		"view.lang.en": Lang() == "en",
		"view.info":    w.Site != nil && w.Site.Tool.Visible(),
	}
	if editing {
		for k, id := range map[toolKind]string{selectTool: "select", drawTool: "draw", vertexTool: "vertices", moveTool: "move", splitTool: "split"} {
			checked["edit.tool."+id] = w.Editor.ActiveTool() == k
		}
	}
	var b strings.Builder
	for k, it := range m.Items {
		if v, ok := on[k]; ok && it.Action != nil {
			it.Disabled = !v
		}
		if v, ok := checked[k]; ok {
			it.Checked = v
		}
	}
	for _, menu := range m.Main.Items {
		writeState(&b, menu)
	}
	if s := b.String(); s != m.state {
		m.state = s
		m.Main.Refresh()
	}
	w.syncStart()
}

func writeState(b *strings.Builder, m *fyne.Menu) {
	for _, it := range m.Items {
		b.WriteByte('0' + byte(boolInt(it.Disabled)) + 2*byte(boolInt(it.Checked)))
		if it.ChildMenu != nil {
			writeState(b, it.ChildMenu)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// watchMenu keeps the menu's state up to date while the window is open
// (a light look every 300 ms; nothing is drawn unless it changed): the
// state changes in many places (a plan shown, editing started, a tool
// chosen) and Fyne tells nothing before a menu opens. Tests call
// updateMenu themselves. It returns the function that stops it.
func (w *Window) watchMenu() (stop func()) {
	if w.opts.Sync {
		return func() {}
	}
	t := time.NewTicker(300 * time.Millisecond)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-t.C:
				onUI(w.updateMenu)
			case <-done:
				t.Stop()
				return
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}

// startMenu is the menu of the start window: stores, language, help.
func (s *Shell) startMenu() *fyne.MainMenu {
	m := &appMenu{Items: map[string]*fyne.MenuItem{}, canvas: s.StartWindow.Canvas()}
	file := append(storeItems(m, s), sep(), quitItem(m))
	lang := func(code string) func() {
		return func() {
			s.app.Preferences().SetString(prefLanguage, code)
			SetLanguage(code)
			msg := s.StartPage.Message.Text
			s.showStart(msg)
		}
	}
	langs := fyne.NewMenu("", m.item("view.lang.vi", "Tiếng Việt", nil, lang("vi")), m.item("view.lang.en", "English", nil, lang("en")))
	m.Items["view.lang.vi"].Checked = Lang() == "vi"
	m.Items["view.lang.en"].Checked = Lang() == "en"
	langItem := m.item("view.language", tr("Language"), nil, nil)
	langItem.ChildMenu = langs
	m.Main = fyne.NewMainMenu(
		fyne.NewMenu(tr("File menu"), file...),
		fyne.NewMenu(tr("View menu"), langItem),
		fyne.NewMenu(tr("Help menu"),
			m.item("help.help", tr("Help"), nil, func() { showHelp(s.StartWindow, s.app, m.Main, s.dataInfo(), nil) }),
			sep(),
			m.item("help.about", tr("About quyhoach"), nil, func() { showAbout(s.StartWindow, s.opts.Version, s.dataInfo()) })))
	s.menu = m
	return m.Main
}
