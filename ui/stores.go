package ui

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/atomicfile"
	"quyhoach/store"
)

// Stores: the program's window over the store open, the start window when
// none is, and what opening, creating and switching stores asks and says.
// A store that does not open never ends the program: the window opens
// anyway (the start window when no store is open) with a dialog that says
// why and offers the ways on.

// Shell is the program's window over whichever store is open. Switching
// stores makes a new Window over the new store, shows it, then closes the
// old window and its store (each Window keeps one store for its life, so
// nothing of the old store leaks into the new window).
type Shell struct {
	// Window is the window over the store open; nil while none is.
	Window *Window
	// StartWindow shows StartPage while no store is open.
	StartWindow fyne.Window
	StartPage   *startPage
	// Dialog is the last dialog about a store, Form the last new-store or
	// copy form (tests press their buttons).
	Dialog *storeDialog
	Form   *storeForm

	app     fyne.App
	opts    Options
	st      *store.Store
	copyDir string // the temporary folder of a copy open read-only, removed with it
	copyOf  string // the file that copy was made of
	tasks   runner
	unwatch func()   // stops the watch of the window's menu state
	menu    *appMenu // the start window's menu
}

// Preference keys of the stores: the recent list, newest first.
const (
	prefRecent = "stores.recent"
	maxRecent  = 8
)

// NewShell makes the program's shell; Start or Open shows a window.
func NewShell(a fyne.App, o Options) *Shell {
	SetLanguage(a.Preferences().StringWithFallback(prefLanguage, "vi")) // the start window's too
	s := &Shell{app: a, opts: o}
	s.tasks = runner{sync: o.Sync, slow: func() { s.say(tr("Still opening: the file may be in use by another program…")) }}
	return s
}

// stores is the shell of the window; a window made alone (ui.New in
// tests and tools) gets one around it, so its File menu still opens
// other stores.
func (w *Window) stores() *Shell {
	if w.shell == nil {
		s := NewShell(w.app, w.opts)
		s.opts.OpenDossier, s.opts.EditDossier = 0, 0
		s.Window = w
		s.st, _ = w.src.(*store.Store)
		w.shell = s
	}
	return w.shell
}

// Store is the store open, or nil.
func (s *Shell) Store() *store.Store { return s.st }

// Copy tells whether the store open is a read-only copy, and of which file.
func (s *Shell) Copy() (of string, ok bool) { return s.copyOf, s.copyDir != "" }

// Start opens the store at path for the program's start (synchronously:
// there is no window yet to wait in). A store that does not open shows the
// start window with the dialog saying why. The error is the command
// line's only: a dossier asked for (--dossier, --edit) that the store does
// not hold.
func (s *Shell) Start(path string) error {
	path = absPath(path)
	st, dir, err := openStore(context.Background(), path, openAsIs)
	if err != nil {
		s.refused(path, openAsIs, err)
		return nil
	}
	for _, id := range []int64{s.opts.OpenDossier, s.opts.EditDossier} {
		if id == 0 {
			continue
		}
		if _, err := st.Dossier(context.Background(), id); err != nil {
			st.Close()
			return err
		}
	}
	s.use(st, path, dir)
	return nil
}

// Close closes the store open and removes a copy's temporary folder (the
// program's end).
func (s *Shell) Close() {
	if s.unwatch != nil {
		s.unwatch()
	}
	if s.st != nil {
		s.st.Close()
		s.st = nil
	}
	if s.copyDir != "" {
		os.RemoveAll(s.copyDir)
		s.copyDir = ""
	}
}

// Open opens the store at path in place of the one open, in the
// background; a file it cannot open leaves the window as it was and says
// why, with the ways on.
func (s *Shell) Open(path string) { s.open(absPath(path), openAsIs) }

// OpenCopy copies the store at path (with its -wal) into a temporary
// folder and opens the copy read-only: for looking at a store another
// program is using, or one on a drive that cannot be written.
func (s *Shell) OpenCopy(path string) { s.open(absPath(path), openCopy) }

// openHow is how a store file is opened.
type openHow int

const (
	openAsIs openHow = iota // as it is: a missing or empty file is refused
	openMake                // made a store: created when missing, an empty file taken
	openCopy                // a copy in a temporary folder, read-only
)

func (s *Shell) open(path string, how openHow) {
	if s.st != nil && s.copyDir == "" && how != openCopy && samePath(s.st.Path(), path) {
		s.say(tr("{{.File}} is already open", map[string]any{"File": path}))
		return
	}
	s.say(tr("Opening {{.File}}…", map[string]any{"File": path}))
	s.tasks.Run("open", func(ctx context.Context) (func(), error) {
		st, dir, err := openStore(ctx, path, how)
		return func() {
			if err != nil {
				s.refused(path, how, err)
				return
			}
			s.use(st, path, dir)
		}, nil
	})
}

// errEmptyFile refuses to make an empty file a store without asking.
var errEmptyFile = errors.New("the file is empty")

// openStore opens path as how says; for a copy it returns the copy's
// temporary folder. Errors name path, never the copy.
func openStore(ctx context.Context, path string, how openHow) (*store.Store, string, error) {
	switch how {
	case openMake:
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, "", err
		}
		st, err := store.Open(ctx, path, store.Options{Create: true})
		return st, "", err
	case openCopy:
		return copyAndOpen(ctx, path)
	}
	if emptyFile(path) {
		return nil, "", errEmptyFile
	}
	st, err := store.Open(ctx, path, store.Options{})
	return st, "", err
}

// copyAndOpen copies path and its -wal into a temporary folder, opens the
// copy once for writing (its -wal settles, an older schema is brought up
// to date: the original is untouched) and again read-only.
func copyAndOpen(ctx context.Context, path string) (st *store.Store, dir string, err error) {
	if fi, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, "", fmt.Errorf("no such file %s: %w", path, store.ErrNoFile)
	} else if err != nil {
		return nil, "", err
	} else if fi.IsDir() {
		return nil, "", fmt.Errorf("%s: is a directory, not a store file", path)
	}
	if emptyFile(path) {
		return nil, "", errEmptyFile
	}
	if err := store.Unfinished(path); err != nil { // a copy would be torn
		return nil, "", err
	}
	dir, err = os.MkdirTemp("", "quyhoach-copy-")
	if err != nil {
		return nil, "", err
	}
	cp := filepath.Join(dir, filepath.Base(path))
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
			dir = ""
			err = renamed(err, cp, path)
		}
	}()
	if err := copyFile(path, cp); err != nil {
		return nil, "", err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		if err := copyFile(path+"-wal", cp+"-wal"); err != nil {
			return nil, "", err
		}
	}
	if err := checkStore(ctx, cp); err != nil {
		return nil, "", err
	}
	st, err = store.Open(ctx, cp, store.Options{ReadOnly: true})
	return st, dir, err
}

// checkStore opens a store and closes it again: the copy settles.
func checkStore(ctx context.Context, path string) error {
	st, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		return err
	}
	return st.Close()
}

// renamed is err with the copy's path written as the original's.
func renamed(err error, from, to string) error {
	if !strings.Contains(err.Error(), from) {
		return err
	}
	return &renamedError{err, strings.ReplaceAll(err.Error(), from, to)}
}

type renamedError struct {
	err error
	msg string
}

func (e *renamedError) Error() string { return e.msg }
func (e *renamedError) Unwrap() error { return e.err }

// copyFile copies a file whole (a new file, written through atomicfile).
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	return atomicfile.Write(to, func(f *os.File) error {
		_, err := io.Copy(f, in)
		return err
	})
}

// use shows a new window over st (opened from path; dir the temporary
// folder of a copy) and closes the window and the store it replaces.
func (s *Shell) use(st *store.Store, path, dir string) {
	o := s.opts
	s.opts.OpenDossier, s.opts.EditDossier = 0, 0 // the command line's, once
	if recent := s.Recent(); dir != "" || len(recent) == 0 || !samePath(recent[0], path) {
		// the dossier open for editing when the program closed belongs to
		// the store it was in: another store does not resume it
		s.app.Preferences().SetInt(prefEditing, 0)
	}
	prevDir, prevOf := s.copyDir, s.copyOf
	s.copyDir, s.copyOf = dir, ""
	if dir != "" {
		s.copyOf = path
	}
	w, err := New(s.app, st, o)
	if err != nil {
		st.Close()
		if dir != "" {
			os.RemoveAll(dir)
		}
		s.copyDir, s.copyOf = prevDir, prevOf
		s.refused(path, openAsIs, err)
		return
	}
	old, oldStore, oldStart := s.Window, s.st, s.StartWindow
	s.Window, s.st, s.StartWindow, s.StartPage = w, st, nil, nil
	w.shell = s
	w.SetTitle(w.title(w.shownPlanName()))
	w.Present()
	if s.unwatch != nil {
		s.unwatch()
	}
	s.unwatch = w.watchMenu()
	if old != nil {
		old.Close()
	}
	if oldStart != nil {
		oldStart.Close()
	}
	if oldStore != nil {
		oldStore.Close()
	}
	if prevDir != "" {
		os.RemoveAll(prevDir)
	}
	if dir == "" {
		s.remember(path)
	}
	switch {
	case dir != "":
		w.Status.Idle(tr("A read-only copy of {{.File}} is open", map[string]any{"File": path}))
	case st.ReadOnly():
		s.readOnlyNotice(path)
	}
}

// shownPlanName is the name of the plan shown, or "".
func (w *Window) shownPlanName() string {
	if s := w.shown.state; s != nil {
		return s.Plan.Name
	}
	return ""
}

// parent is the window dialogs show over.
func (s *Shell) parent() fyne.Window {
	if s.Window != nil {
		return s.Window.Window
	}
	if s.StartWindow == nil {
		s.showStart("")
	}
	return s.StartWindow
}

// say tells what is happening: in the status bar, or on the start page.
func (s *Shell) say(msg string) {
	switch {
	case s.Window != nil:
		s.Window.Status.Idle(msg)
	case s.StartPage != nil:
		s.StartPage.Message.SetText(msg)
	}
}

// showStart shows the start window (no store open) with msg.
func (s *Shell) showStart(msg string) {
	if s.StartWindow == nil {
		facesLoaded()
		s.StartWindow = s.app.NewWindow("quyhoach")
		size := fyne.NewSize(900, 600)
		if s.opts.Size.Width > 0 && s.opts.Size.Height > 0 {
			size = s.opts.Size
		}
		s.StartWindow.Resize(size)
		s.StartWindow.SetOnClosed(func() {
			if s.Window == nil { // the program's only window: nothing more to open
				s.tasks.Cancel()
			}
		})
	}
	s.StartPage = newStartPage()
	s.wireStart(s.StartPage)
	s.StartPage.SetState(startState{Recent: s.Recent()})
	s.StartPage.Message.SetText(msg)
	s.StartWindow.SetContent(s.StartPage)
	s.StartWindow.SetMainMenu(s.startMenu())
	s.StartWindow.Show()
}

// wireStart connects a start page's store buttons to the shell.
func (s *Shell) wireStart(p *startPage) {
	p.OnOpenStore = s.ChooseStore
	p.OnNewStore = func() { s.NewStore() }
	p.OnRecent = s.Open
}

// problem is why a store file did not open.
type problem int

const (
	problemOther problem = iota
	problemMissing
	problemEmpty
	problemNotSQLite
	problemForeign
	problemGeoPackage
	problemTooNew
	problemMustSettle // read-only, and older or with changes still in its -wal
	problemUnfinished // being written through its -journal, or a write cut short
	problemLocked
	problemDenied
	problemFolder
)

// classify tells why path did not open, from err and a look at the file.
func classify(path string, err error) problem {
	fi, statErr := os.Stat(path)
	switch {
	case errors.Is(err, errEmptyFile):
		return problemEmpty
	case errors.Is(err, store.ErrNoFile), errors.Is(statErr, fs.ErrNotExist):
		return problemMissing
	case statErr == nil && fi.IsDir():
		return problemFolder
	case errors.Is(err, store.ErrTooNew):
		return problemTooNew
	case errors.Is(err, store.ErrReadOnly):
		return problemMustSettle
	case errors.Is(err, store.ErrUnfinished):
		return problemUnfinished
	case errors.Is(err, store.ErrForeign):
		h, ok := readHeader(path)
		switch {
		case !ok:
			return problemNotSQLite
		case h.appID == gpkgID || h.appID == gp10ID || h.appID == gp11ID:
			return problemGeoPackage
		}
		return problemForeign
	case errors.Is(err, fs.ErrPermission) || errors.Is(statErr, fs.ErrPermission):
		return problemDenied
	}
	if f, e := os.Open(path); e != nil {
		if errors.Is(e, fs.ErrPermission) {
			return problemDenied
		}
	} else {
		f.Close()
	}
	// SQLite reports a lock in words only
	if m := err.Error(); strings.Contains(m, "database is locked") || strings.Contains(m, "SQLITE_BUSY") {
		return problemLocked
	}
	return problemOther
}

// refused says why path did not open and offers the ways on. With no
// window open, the start window opens under the dialog.
func (s *Shell) refused(path string, how openHow, err error) {
	if s.Window == nil && s.StartWindow == nil {
		s.showStart("")
	}
	file := map[string]any{"File": path}
	another := way{"another", tr("Choose another…"), s.ChooseStore}
	newStore := way{"new", tr("New store…"), func() { s.NewStore() }}
	copyRO := way{"copy", tr("Open a copy read-only"), func() { s.OpenCopy(path) }}
	closeW := way{"close", tr("Close"), nil}
	var title, text string
	var ways []way
	switch classify(path, err) {
	case problemMissing:
		title = tr("Store not found")
		text = tr("{{.File}} does not exist: it may have been moved or renamed, or be on a drive that is not connected.", file)
		ways = []way{another, {"create", tr("Create a new store here"), func() { s.open(path, openMake) }}, closeW}
		if slices.ContainsFunc(s.Recent(), func(p string) bool { return samePath(p, path) }) {
			s.forget(path)
			text += " " + tr("It was taken off the list of recent stores.")
		}
	case problemEmpty:
		title = tr("Empty file")
		if how == openCopy {
			text = tr("{{.File}} is empty: there is nothing in it to read.", file)
			ways = []way{another, closeW}
			break
		}
		text = tr("{{.File}} is empty. Make it a new quyhoach store? Nothing is written to it until you say so.", file)
		ways = []way{{"make", tr("Make it a store"), func() { s.open(path, openMake) }}, another, {"close", tr("Cancel"), nil}}
	case problemNotSQLite:
		title = tr("Not a quyhoach store")
		text = tr("{{.File}} is not a quyhoach store: it is not a database at all (a text, a drawing or another kind of file). Nothing was written to it.", file)
		ways = []way{another, newStore, closeW}
	case problemGeoPackage:
		title = tr("Not a quyhoach store")
		text = tr("{{.File}} is a GeoPackage, not a quyhoach store. Nothing was written to it. To bring its layers into a plan, open a store and import them (File, Import a layer).", file)
		ways = []way{another, newStore, closeW}
	case problemForeign:
		title = tr("Not a quyhoach store")
		text = tr("{{.File}} is the database of another program, not a quyhoach store. Nothing was written to it.", file)
		ways = []way{another, newStore, closeW}
	case problemTooNew:
		h, _ := readHeader(path)
		title = tr("Written by a newer quyhoach")
		text = tr("{{.File}} was written by a newer version of quyhoach (its schema is {{.Schema}}); this version cannot read it. Open it with the newer program, or open another store.",
			map[string]any{"File": path, "Schema": h.userVersion})
		ways = []way{another, newStore, closeW}
	case problemMustSettle:
		title = tr("The store cannot be opened here")
		text = tr("{{.File}} cannot be written here (a read-only file, folder or drive), and before it can be read it must be brought up to date, or its last changes (in its -wal file) written in, by a program that can write it. A copy can be opened instead: it is made in a temporary folder and opened read-only.", file)
		ways = []way{copyRO, another, closeW}
	case problemUnfinished:
		title = tr("The store is being written")
		text = tr("{{.File}} is being written by another program (an import, perhaps), or one was stopped while writing it: its last write is unfinished, so neither it nor a copy of it can be read as it is. Try again when the writing is done; if it was cut short, the first program that can write the file undoes it.", file)
		ways = []way{{"retry", tr("Try again"), func() { s.open(path, how) }}, another, closeW}
	case problemLocked:
		title = tr("The store is in use")
		text = tr("{{.File}} is locked by another program (perhaps another quyhoach writing to it). Try again in a moment, or open a copy read-only.", file)
		ways = []way{{"retry", tr("Try again"), func() { s.open(path, how) }}, copyRO, another, closeW}
	case problemDenied:
		title = tr("The store cannot be read")
		text = tr("{{.File}} cannot be read: permission denied.", file)
		ways = []way{another, closeW}
	case problemFolder:
		title = tr("Not a store file")
		text = tr("{{.File}} is a folder, not a store file.", file)
		ways = []way{another, newStore, closeW}
	default:
		title = tr("The store did not open")
		text = tr("{{.File}} could not be opened: {{.Err}}", map[string]any{"File": path, "Err": strings.TrimPrefix(err.Error(), "store: ")})
		ways = []way{another, newStore, closeW}
	}
	s.say(title)
	s.Dialog = newStoreDialog(s.parent(), title, text, ways)
}

// readOnlyNotice says a store opened for reading only, and offers a
// writable copy.
func (s *Shell) readOnlyNotice(path string) {
	s.Dialog = newStoreDialog(s.parent(), tr("Opened read-only"),
		tr("{{.File}} cannot be written here (a read-only file, folder or drive): it is open for reading only. Plans, dossiers and documents can be viewed, printed and exported; steps, edits and imports are refused. To work on it, save a writable copy.", map[string]any{"File": path}),
		[]way{{"savecopy", tr("Save a writable copy…"), func() { s.SaveWritableCopy() }}, {"close", tr("Continue read-only"), nil}})
}

// way is a button of a store dialog: what it says and does (nil: close).
type way struct {
	key, label string
	do         func()
}

// storeDialog says why a store did not open, or how it opened, with a
// button for each way on.
type storeDialog struct {
	Title, Text string
	Buttons     map[string]*widget.Button // by way: another, create, new, copy, retry, make, savecopy, close
	dlg         *dialog.CustomDialog
}

func newStoreDialog(parent fyne.Window, title, text string, ways []way) *storeDialog {
	d := &storeDialog{Title: title, Text: text, Buttons: map[string]*widget.Button{}}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	d.dlg = dialog.NewCustomWithoutButtons(title, l, parent)
	var buttons []fyne.CanvasObject
	for i, wy := range ways {
		b := widget.NewButton(wy.label, nil)
		if i == 0 {
			b.Importance = widget.HighImportance
		}
		do := wy.do
		b.OnTapped = func() {
			d.dlg.Hide()
			if do != nil {
				do()
			}
		}
		d.Buttons[wy.key] = b
		buttons = append(buttons, b)
	}
	d.dlg.SetButtons(buttons)
	d.dlg.Resize(dialogSize(parent, 600, 10))
	showDialog(d.dlg, parent)
	return d
}

// ChooseStore asks for a store file and opens it.
func (s *Shell) ChooseStore() { s.chooseFile(tr("Open store"), s.Open) }

// ChooseCopy asks for a store file and opens a copy of it read-only.
func (s *Shell) ChooseCopy() { s.chooseFile(tr("Open a copy read-only"), s.OpenCopy) }

// chooseFile asks for an existing file (of any name: its content tells a
// store) and hands its path on.
func (s *Shell) chooseFile(title string, open func(path string)) {
	d := newFileOpen(func(uc fyne.URIReadCloser, err error) {
		if err != nil {
			s.say(err.Error())
			return
		}
		if uc == nil {
			return
		}
		path := uc.URI().Path()
		uc.Close()
		open(path)
	}, s.parent())
	d.SetTitleText(title)
	d.Show()
}

// storeForm asks where a new store file goes: a folder and a name. It
// refuses a file that exists (a store is never replaced from here).
type storeForm struct {
	Folder  *escEntry
	Name    *escEntry
	Samples *widget.Check // new stores only
	Error   *widget.Label
	Confirm *widget.Button
	dlg     *dialog.CustomDialog
}

// Path is the file the form names, or why it names none.
func (f *storeForm) Path() (string, error) {
	dir, name := strings.TrimSpace(f.Folder.Text), strings.TrimSpace(f.Name.Text)
	switch {
	case dir == "":
		return "", errors.New(tr("choose the folder"))
	case name == "":
		return "", errors.New(tr("give the file a name"))
	case strings.ContainsAny(name, `/\`):
		return "", errors.New(tr("the name is a file name, without a folder"))
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", errors.New(tr("the folder {{.Folder}} does not exist", map[string]any{"Folder": dir}))
	}
	if filepath.Ext(name) == "" {
		name += ".db"
	}
	path := absPath(filepath.Join(dir, name))
	if _, err := os.Stat(path); err == nil {
		return "", errors.New(tr("{{.File}} already exists: open it (File, Open store), or choose another name", map[string]any{"File": path}))
	}
	return path, nil
}

// newStoreForm makes the form; create is called with the path it names.
func (s *Shell) newStoreForm(title, confirm, dir, name string, samples bool, create func(f *storeForm, path string)) *storeForm {
	f := &storeForm{Folder: newEntry(), Name: newEntry(), Error: widget.NewLabel("")}
	f.Folder.SetText(dir)
	f.Name.SetText(name)
	f.Error.Wrapping = fyne.TextWrapWord
	f.Error.Importance = widget.DangerImportance
	choose := widget.NewButton(tr("Choose…"), func() {
		d := newFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				f.Folder.SetText(u.Path())
			}
		}, s.parent())
		d.Show()
	})
	items := []*widget.FormItem{
		widget.NewFormItem(tr("Folder"), container.NewBorder(nil, nil, nil, choose, f.Folder)),
		widget.NewFormItem(tr("File name"), f.Name),
	}
	if samples {
		f.Samples = widget.NewCheck(tr("with the four sample plans (to learn and try)"), nil)
		items = append(items, widget.NewFormItem("", f.Samples))
	}
	f.Confirm = widget.NewButton(confirm, func() {
		path, err := f.Path()
		if err != nil {
			f.Error.SetText(err.Error())
			return
		}
		f.Error.SetText("")
		f.dlg.Hide()
		create(f, path)
	})
	f.Confirm.Importance = widget.HighImportance
	cancel := widget.NewButton(tr("Cancel"), func() { f.dlg.Hide() })
	f.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(widget.NewForm(items...), f.Error), s.parent())
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, f.Confirm})
	f.dlg.Resize(dialogSize(s.parent(), 560, 10))
	showDialog(f.dlg, s.parent())
	s.Form = f
	return f
}

// NewStore asks where to make a new store (with the sample plans if
// asked) and opens it.
func (s *Shell) NewStore() *storeForm {
	dir := ""
	if s.st != nil && s.copyDir == "" {
		dir = filepath.Dir(s.st.Path())
	} else if h, err := os.UserHomeDir(); err == nil {
		dir = h
	}
	return s.newStoreForm(tr("New store"), tr("Create"), dir, freeName(dir, "quyhoach"), true, func(f *storeForm, path string) {
		samples := f.Samples.Checked
		s.say(tr("Creating {{.File}}…", map[string]any{"File": path}))
		s.tasks.Run("create", func(ctx context.Context) (func(), error) {
			st, err := createStore(ctx, path, samples)
			return func() {
				if err != nil {
					s.refused(path, openMake, err)
					return
				}
				s.use(st, path, "")
			}, nil
		})
	})
}

// createStore makes a new store file at path, with the sample plans when
// asked; a store that fails on the way is removed again.
func createStore(ctx context.Context, path string, samples bool) (*store.Store, error) {
	st, err := store.Open(ctx, path, store.Options{Create: true})
	if err != nil {
		return nil, err
	}
	if samples {
		if err := st.InstallSamples(ctx, assets.Samples); err != nil {
			st.Close()
			for _, p := range []string{path, path + "-wal", path + "-shm"} {
				os.Remove(p)
			}
			return nil, err
		}
	}
	return st, nil
}

// SaveWritableCopy asks where to save a copy of the store open (read-only
// here) and opens the copy, which can be written.
func (s *Shell) SaveWritableCopy() *storeForm {
	if s.st == nil {
		return nil
	}
	from := s.st.Path() // for a copy open read-only: its settled temporary file
	orig := from
	if of, ok := s.Copy(); ok {
		orig = of
	}
	dir := ""
	if h, err := os.UserHomeDir(); err == nil {
		dir = h
	}
	base := strings.TrimSuffix(filepath.Base(orig), filepath.Ext(orig))
	return s.newStoreForm(tr("Save a writable copy"), tr("Save and open"), dir, freeName(dir, base+"-copy"), false, func(_ *storeForm, path string) {
		if err := copyFile(from, path); err != nil {
			s.say(tr("Not saved: {{.Err}}", map[string]any{"Err": err.Error()}))
			s.Dialog = newStoreDialog(s.parent(), tr("Not saved"), err.Error(), []way{{"close", tr("Close"), nil}})
			return
		}
		s.Open(path)
	})
}

// freeName is base.db, or base-2.db … when that exists in dir.
func freeName(dir, base string) string {
	name := base + ".db"
	for i := 2; i < 100; i++ {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			break
		}
		name = fmt.Sprintf("%s-%d.db", base, i)
	}
	return name
}

// Recent is the list of stores opened, newest first.
func (s *Shell) Recent() []string { return s.app.Preferences().StringList(prefRecent) }

// remember puts path first in the recent list.
func (s *Shell) remember(path string) {
	l := []string{path}
	for _, p := range s.Recent() {
		if !samePath(p, path) && len(l) < maxRecent {
			l = append(l, p)
		}
	}
	s.setRecent(l)
}

// forget takes path off the recent list.
func (s *Shell) forget(path string) {
	s.setRecent(slices.DeleteFunc(s.Recent(), func(p string) bool { return samePath(p, path) }))
}

// ClearRecent empties the recent list.
func (s *Shell) ClearRecent() { s.setRecent([]string{}) }

func (s *Shell) setRecent(l []string) {
	s.app.Preferences().SetStringList(prefRecent, l)
	if s.Window != nil {
		s.Window.buildMenu()
	}
	if s.StartPage != nil {
		s.StartPage.SetState(startState{Recent: l})
		s.StartWindow.SetMainMenu(s.startMenu())
	}
}

func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return path
}

func samePath(a, b string) bool { return filepath.Clean(a) == filepath.Clean(b) }

// The application ids of GeoPackages ("GPKG", and the older "GP10", "GP11").
const (
	gpkgID = 0x47504B47
	gp10ID = 0x47503130
	gp11ID = 0x47503131
)

// sqliteHeader is what the first page of an SQLite file says (the
// format's header, sqlite.org/fileformat.html), read to tell an empty or
// foreign file before anything opens it.
type sqliteHeader struct {
	appID, userVersion uint32
	schemaCells        uint16 // entries on the schema's first page: 0 without tables
}

// readHeader reads path's SQLite header; ok is false for a file that is
// not an SQLite database.
func readHeader(path string) (h sqliteHeader, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return h, false
	}
	defer f.Close()
	var b [108]byte
	if _, err := io.ReadFull(f, b[:]); err != nil || string(b[:16]) != "SQLite format 3\x00" {
		return h, false
	}
	h.userVersion = binary.BigEndian.Uint32(b[60:])
	h.appID = binary.BigEndian.Uint32(b[68:])
	h.schemaCells = binary.BigEndian.Uint16(b[103:])
	return h, true
}

// emptyFile tells whether path holds nothing: no bytes, or an SQLite
// database of no program without tables (nor a -wal that may hold them).
// store.Open would make either a store without asking.
func emptyFile(path string) bool {
	fi, err := os.Stat(path)
	if err != nil || fi.IsDir() {
		return false
	}
	if fi.Size() == 0 {
		return true
	}
	if wal, err := os.Stat(path + "-wal"); err == nil && wal.Size() > 0 {
		return false // its tables may be in its -wal still
	}
	h, ok := readHeader(path)
	return ok && h.appID == 0 && h.schemaCells == 0
}

// title names the window: the program, the plan shown, the store's file
// and how it is open.
func (w *Window) title(planName string) string {
	parts := []string{"quyhoach"}
	if planName != "" {
		parts = append(parts, planName)
	}
	if p, ok := w.src.(interface{ Path() string }); ok {
		name := filepath.Base(p.Path())
		if of, copied := w.shellCopy(); copied {
			name = tr("{{.File}} (a read-only copy)", map[string]any{"File": filepath.Base(of)})
		} else if w.readOnly() {
			name = tr("{{.File}} (read-only)", map[string]any{"File": name})
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, " — ")
}

// shellCopy tells whether the window shows a read-only copy, of which file.
func (w *Window) shellCopy() (string, bool) {
	if w.shell == nil || w.shell.Window != w {
		return "", false
	}
	return w.shell.Copy()
}
