package ui

import (
	"bufio"
	"cmp"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/scene"
)

// The program's own file dialog. Fyne's cannot follow the chosen language:
// its places ("Home", "Documents"), its overwrite question and its title
// are fixed English, and it writes errors for every standard folder a
// computer lacks. This one has the same shape — newFileOpen, newFileSave,
// newFolderOpen (and show…), SetFilter, SetFileName, SetLocation, Show —
// so a caller swaps dialog.NewFileOpen for newFileOpen and nothing else.
// It lists a folder's subfolders and the files its filter admits (or all
// files), with size and date; the places on its left are the home folder,
// the desktop, documents and downloads folders the system names
// (~/.config/user-dirs.dirs), the folders used lately, and the computer's
// root. The path can be typed; arrows move in the list, Enter accepts,
// Esc cancels. It remembers the last folder used.

// fileMode is what a file dialog chooses.
type fileMode int

const (
	openFile fileMode = iota
	saveFile
	openFolder
)

// Preference keys of the file dialog.
const (
	prefFileDir    = "fileDialog.dir"    // the folder last used
	prefFileRecent = "fileDialog.recent" // folders used lately, newest first
	recentFolders  = 5
)

// fileDialog chooses a file to open or save, or a folder. Its handles let
// tests drive it.
type fileDialog struct {
	mode     fileMode
	parent   fyne.Window
	onOpen   func(fyne.URIReadCloser, error)
	onSave   func(fyne.URIWriteCloser, error)
	onFolder func(fyne.ListableURI, error)
	filter   storage.FileFilter
	name     string // the file name proposed (save)
	start    string // the folder to start in, "" for the last used
	title    string
	confirm  string

	dir     string      // the folder shown
	entries []fileEntry // what it lists: folders first, then files
	sel     int         // the entry selected, -1 for none
	all     bool        // the filter is set aside
	hidden  bool        // hidden files are listed
	places  []place

	Path    *dialogEntry // the folder shown; a path typed here is opened
	Up      *widget.Button
	NewDir  *widget.Button
	Places  *widget.List
	Files   *widget.List
	Name    *dialogEntry // the file name (open: the file chosen)
	Filter  *widget.Select
	Hidden  *widget.Check
	Message *widget.Label
	Accept  *widget.Button
	Dismiss *widget.Button
	dlg     *dialog.CustomDialog
	shown   bool
}

// fileEntry is one line of the list.
type fileEntry struct {
	name string
	dir  bool
	size int64
	mod  time.Time
}

// place is one of the places on the dialog's left.
type place struct {
	name, path string
	icon       fyne.Resource
}

// newFileOpen makes a dialog that opens a file: callback hears the file
// open for reading, or nil, nil when the dialog is cancelled.
func newFileOpen(callback func(fyne.URIReadCloser, error), parent fyne.Window) *fileDialog {
	return &fileDialog{mode: openFile, parent: parent, onOpen: callback, sel: -1}
}

// newFileSave makes a dialog that saves a file: callback hears the file
// created (or emptied, once the user agreed to replace it) for writing,
// or nil, nil when the dialog is cancelled.
func newFileSave(callback func(fyne.URIWriteCloser, error), parent fyne.Window) *fileDialog {
	return &fileDialog{mode: saveFile, parent: parent, onSave: callback, sel: -1}
}

// newFolderOpen makes a dialog that chooses a folder.
func newFolderOpen(callback func(fyne.ListableURI, error), parent fyne.Window) *fileDialog {
	return &fileDialog{mode: openFolder, parent: parent, onFolder: callback, sel: -1}
}

// showFileOpen shows a dialog that opens a file (as dialog.ShowFileOpen).
func showFileOpen(callback func(fyne.URIReadCloser, error), parent fyne.Window) *fileDialog {
	d := newFileOpen(callback, parent)
	d.Show()
	return d
}

// showFileSave shows a dialog that saves a file (as dialog.ShowFileSave).
func showFileSave(callback func(fyne.URIWriteCloser, error), parent fyne.Window) *fileDialog {
	d := newFileSave(callback, parent)
	d.Show()
	return d
}

// showFolderOpen shows a dialog that chooses a folder (as dialog.ShowFolderOpen).
func showFolderOpen(callback func(fyne.ListableURI, error), parent fyne.Window) *fileDialog {
	d := newFolderOpen(callback, parent)
	d.Show()
	return d
}

// SetFilter lists only the files filter admits (the user may set it
// aside); storage.NewExtensionFileFilter names its extensions.
func (d *fileDialog) SetFilter(filter storage.FileFilter) { d.filter = filter }

// SetFileName proposes a file name (save).
func (d *fileDialog) SetFileName(name string) {
	d.name = name
	if d.Name != nil {
		d.Name.SetText(name)
	}
}

// SetLocation starts the dialog in a folder instead of the last one used.
func (d *fileDialog) SetLocation(u fyne.ListableURI) {
	if u != nil && u.Scheme() == "file" {
		d.start = u.Path()
	}
}

// SetTitleText replaces the dialog's title; SetConfirmText its button.
func (d *fileDialog) SetTitleText(s string)   { d.title = s }
func (d *fileDialog) SetConfirmText(s string) { d.confirm = s }

// Resize sizes the dialog.
func (d *fileDialog) Resize(s fyne.Size) {
	if d.dlg != nil {
		d.dlg.Resize(s)
	}
}

// Hide closes the dialog without a choice and without telling the caller.
func (d *fileDialog) Hide() {
	if d.dlg != nil {
		d.dlg.Hide()
	}
}

// Show builds and shows the dialog in the starting folder.
func (d *fileDialog) Show() {
	d.build()
	start := d.start
	if start == "" {
		start = fyne.CurrentApp().Preferences().String(prefFileDir)
	}
	if !isDir(start) {
		start = homeDir()
	}
	d.cd(start)
	showDialog(d.dlg, d.parent)
	d.shown = true
	d.dlg.Resize(d.size())
	d.parent.Canvas().Focus(d.Name)
}

// size is the dialog's size over its window: roomy, within it.
func (d *fileDialog) size() fyne.Size {
	c := d.parent.Canvas().Size()
	w, h := min(920, c.Width*0.9), min(640, c.Height*0.9)
	return fyne.NewSize(max(w, min(600, c.Width)), max(h, min(420, c.Height)))
}

func (d *fileDialog) build() {
	title, accept := d.title, d.confirm
	switch d.mode {
	case openFile:
		title, accept = cmp.Or(title, tr("Open a file")), cmp.Or(accept, tr("Open"))
	case saveFile:
		title, accept = cmp.Or(title, tr("Save as")), cmp.Or(accept, tr("Save"))
	case openFolder:
		title, accept = cmp.Or(title, tr("Choose a folder")), cmp.Or(accept, tr("Choose"))
	}
	d.Path = newDialogEntry(d)
	d.Path.OnSubmitted = d.typedPath
	d.Up = widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { d.cd(filepath.Dir(d.dir)) })
	d.NewDir = widget.NewButtonWithIcon(tr("New folder…"), theme.FolderNewIcon(), d.askNewFolder)
	if d.mode == openFile {
		d.NewDir.Hide()
	}
	d.places = userPlaces()
	d.Places = widget.NewList(func() int { return len(d.places) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return container.NewBorder(nil, nil, widget.NewIcon(theme.FolderIcon()), nil, l)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(d.places[id].name)
			c.Objects[1].(*widget.Icon).SetResource(d.places[id].icon)
		})
	d.Places.OnSelected = func(id widget.ListItemID) {
		d.cd(d.places[id].path)
		d.Places.UnselectAll()
	}
	d.Files = widget.NewList(func() int { return len(d.entries) },
		func() fyne.CanvasObject { return newFileRow(d) },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*fileRow).set(id, d.entries[id]) })
	d.Files.OnSelected = d.choose
	d.Files.OnUnselected = func(widget.ListItemID) { d.sel = -1 }
	d.Name = newDialogEntry(d)
	d.Name.SetText(d.name)
	d.Name.OnSubmitted = func(string) { d.accept() }
	d.Hidden = widget.NewCheck(tr("Hidden files"), func(on bool) {
		d.hidden = on
		d.cd(d.dir)
	})
	d.Message = widget.NewLabel("")
	d.Message.Importance = widget.DangerImportance
	d.Message.Wrapping = fyne.TextWrapWord
	d.Message.Hide()
	d.Accept = widget.NewButtonWithIcon(accept, theme.ConfirmIcon(), d.accept)
	d.Accept.Importance = widget.HighImportance
	d.Dismiss = widget.NewButtonWithIcon(tr("Cancel"), theme.CancelIcon(), d.cancel)

	nameLabel := tr("File name")
	if d.mode == openFolder {
		nameLabel = tr("Folder")
	}
	nameRow := container.NewBorder(nil, nil, widget.NewLabel(nameLabel), nil, d.Name)
	if desc := filterText(d.filter); desc != "" {
		d.Filter = newSelect([]string{desc, tr("All files")}, func(string) {
			d.all = d.Filter.SelectedIndex() == 1
			d.cd(d.dir)
		})
		d.Filter.SetSelectedIndex(0)
		nameRow = container.NewBorder(nil, nil, widget.NewLabel(nameLabel), d.Filter, d.Name)
	}
	buttons := container.NewHBox(d.Hidden, layout.NewSpacer(), d.Dismiss, d.Accept)
	top := container.NewBorder(nil, nil, d.Up, d.NewDir, d.Path)
	header := container.New(fileRowLayout{}, widget.NewLabel(""), boldLabel(tr("Name")), boldLabel(tr("Size")), boldLabel(tr("Modified")))
	files := container.NewBorder(header, nil, nil, nil, d.Files)
	split := container.NewHSplit(d.Places, files)
	split.Offset = 0.24
	content := container.NewBorder(top, container.NewVBox(d.Message, nameRow, buttons), nil, nil, split)
	d.dlg = dialog.NewCustomWithoutButtons(title, content, d.parent)
}

// cd shows the folder dir; a folder that cannot be read leaves the one
// shown and says why.
func (d *fileDialog) cd(dir string) {
	dir = filepath.Clean(dir)
	list, err := os.ReadDir(dir)
	if err != nil {
		d.say(tr("Cannot open the folder {{.Dir}}: {{.Err}}", map[string]any{"Dir": dir, "Err": fsErrText(err)}))
		if d.dir == "" {
			d.dir = dir
			d.Path.SetText(dir)
		}
		return
	}
	d.say("")
	d.dir = dir
	d.entries = d.entries[:0]
	for _, e := range list {
		name := e.Name()
		if !d.hidden && strings.HasPrefix(name, ".") {
			continue
		}
		isdir := e.IsDir()
		info, err := e.Info()
		if e.Type()&os.ModeSymlink != 0 { // a link lists as what it points to
			if info, err = os.Stat(filepath.Join(dir, name)); err == nil {
				isdir = info.IsDir()
			}
		}
		if err != nil {
			continue
		}
		if !isdir && (d.mode == openFolder || !d.admits(filepath.Join(dir, name))) {
			continue
		}
		d.entries = append(d.entries, fileEntry{name: name, dir: isdir, size: info.Size(), mod: info.ModTime()})
	}
	slices.SortFunc(d.entries, func(a, b fileEntry) int {
		if a.dir != b.dir {
			if a.dir {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(scene.Fold(a.name), scene.Fold(b.name)), strings.Compare(a.name, b.name))
	})
	d.sel = -1
	d.Path.SetText(dir)
	if filepath.Dir(dir) == dir {
		d.Up.Disable()
	} else {
		d.Up.Enable()
	}
	d.Files.UnselectAll()
	d.Files.Refresh()
	d.Files.ScrollToTop()
}

// admits reports whether the filter lets a file be listed.
func (d *fileDialog) admits(path string) bool {
	return d.filter == nil || d.all || d.filter.Matches(storage.NewFileURI(path))
}

// choose selects entry id: a file's name goes to the name field.
func (d *fileDialog) choose(id widget.ListItemID) {
	if id < 0 || id >= len(d.entries) {
		return
	}
	d.sel = id
	if e := d.entries[id]; !e.dir || d.mode == openFolder {
		d.Name.SetText(e.name)
	}
}

// activate opens entry id: a folder is entered, a file is accepted.
func (d *fileDialog) activate(id widget.ListItemID) {
	if id < 0 || id >= len(d.entries) {
		return
	}
	e := d.entries[id]
	if e.dir {
		d.cd(filepath.Join(d.dir, e.name))
		if d.mode == openFolder {
			d.Name.SetText("")
		}
		return
	}
	d.Name.SetText(e.name)
	d.accept()
}

// move moves the selection by delta (the arrow keys).
func (d *fileDialog) move(delta int) {
	if len(d.entries) == 0 {
		return
	}
	id := max(0, min(len(d.entries)-1, d.sel+delta))
	if d.sel < 0 {
		id = 0
	}
	d.Files.Select(id)
	d.Files.ScrollTo(id)
}

// typedPath opens what the path field names: a folder, or a file's folder
// with the file chosen.
func (d *fileDialog) typedPath(text string) {
	p := d.resolve(text)
	switch st, err := os.Stat(p); {
	case err != nil:
		d.say(tr("There is no {{.Path}}", map[string]any{"Path": p}))
	case st.IsDir():
		d.cd(p)
	default:
		d.cd(filepath.Dir(p))
		d.Name.SetText(filepath.Base(p))
		if i := slices.IndexFunc(d.entries, func(e fileEntry) bool { return e.name == filepath.Base(p) }); i >= 0 {
			d.Files.Select(i)
		}
	}
}

// resolve makes a typed name a path: absolute, from the home folder (~),
// or in the folder shown.
func (d *fileDialog) resolve(name string) string {
	name = strings.TrimSpace(name)
	switch {
	case name == "~" || strings.HasPrefix(name, "~/"):
		return filepath.Join(homeDir(), name[1:])
	case filepath.IsAbs(name):
		return filepath.Clean(name)
	}
	return filepath.Join(d.dir, name)
}

// accept does what the dialog's button says.
func (d *fileDialog) accept() {
	name := strings.TrimSpace(d.Name.Text)
	switch d.mode {
	case openFolder:
		path := d.dir
		if name != "" {
			path = d.resolve(name)
		}
		if !isDir(path) {
			d.say(tr("There is no folder {{.Path}}", map[string]any{"Path": path}))
			return
		}
		l, err := storage.ListerForURI(storage.NewFileURI(path))
		if err != nil {
			d.say(fsErrText(err))
			return
		}
		d.finish(path)
		d.onFolder(l, nil)
	case openFile:
		if name == "" {
			d.say(tr("Choose a file"))
			return
		}
		path := d.resolve(name)
		if isDir(path) {
			d.cd(path)
			d.Name.SetText("")
			return
		}
		r, err := storage.Reader(storage.NewFileURI(path))
		if err != nil {
			d.say(tr("Cannot open {{.File}}: {{.Err}}", map[string]any{"File": path, "Err": fsErrText(err)}))
			return
		}
		d.finish(filepath.Dir(path))
		d.onOpen(r, nil)
	case saveFile:
		if name == "" {
			d.say(tr("Enter a file name"))
			return
		}
		path := d.resolve(name)
		if isDir(path) {
			d.cd(path)
			d.Name.SetText(d.name)
			return
		}
		if ext := d.extensions(); filepath.Ext(path) == "" && len(ext) > 0 && !d.all {
			path += ext[0]
		}
		if !isDir(filepath.Dir(path)) {
			d.say(tr("There is no folder {{.Path}}", map[string]any{"Path": filepath.Dir(path)}))
			return
		}
		if _, err := os.Stat(path); err == nil {
			dialog.ShowConfirm(tr("Replace the file?"),
				tr("{{.File}} already exists in {{.Dir}}. Replace it?", map[string]any{"File": filepath.Base(path), "Dir": filepath.Dir(path)}),
				func(ok bool) {
					if ok {
						d.write(path)
					}
				}, d.parent)
			return
		}
		d.write(path)
	}
}

// write opens path for writing and hands it to the caller.
func (d *fileDialog) write(path string) {
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		d.say(tr("Cannot write {{.File}}: {{.Err}}", map[string]any{"File": path, "Err": fsErrText(err)}))
		return
	}
	d.finish(filepath.Dir(path))
	d.onSave(w, nil)
}

// cancel closes the dialog; the caller hears nil, nil.
func (d *fileDialog) cancel() {
	d.finish("")
	switch d.mode {
	case openFile:
		d.onOpen(nil, nil)
	case saveFile:
		d.onSave(nil, nil)
	case openFolder:
		d.onFolder(nil, nil)
	}
}

// finish closes the dialog and remembers dir (when not "") as the last
// folder used.
func (d *fileDialog) finish(dir string) {
	d.dlg.Hide()
	d.shown = false
	if dir == "" {
		return
	}
	p := fyne.CurrentApp().Preferences()
	p.SetString(prefFileDir, dir)
	recent := []string{dir}
	for _, r := range p.StringList(prefFileRecent) {
		if r != dir && len(recent) < recentFolders {
			recent = append(recent, r)
		}
	}
	p.SetStringList(prefFileRecent, recent)
}

// askNewFolder asks a name and makes that folder in the one shown.
func (d *fileDialog) askNewFolder() {
	name := widget.NewEntry()
	dialog.ShowForm(tr("New folder"), tr("Create"), tr("Cancel"), []*widget.FormItem{widget.NewFormItem(tr("Name"), name)},
		func(ok bool) {
			if ok {
				d.makeFolder(name.Text)
			}
		}, d.parent)
}

// makeFolder makes a folder in the one shown and enters it.
func (d *fileDialog) makeFolder(name string) {
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsRune(name, filepath.Separator) {
		d.say(tr("A folder name cannot be empty or contain {{.Sep}}", map[string]any{"Sep": string(filepath.Separator)}))
		return
	}
	path := filepath.Join(d.dir, name)
	if err := os.Mkdir(path, 0o755); err != nil {
		d.say(tr("Cannot make the folder {{.Dir}}: {{.Err}}", map[string]any{"Dir": path, "Err": fsErrText(err)}))
		return
	}
	d.cd(path)
}

// say shows a message under the list ("" hides it).
func (d *fileDialog) say(text string) {
	d.Message.SetText(text)
	if text == "" {
		d.Message.Hide()
	} else {
		d.Message.Show()
	}
}

// extensions are the filter's extensions, if it is an extension filter.
func (d *fileDialog) extensions() []string {
	if f, ok := d.filter.(*storage.ExtensionFileFilter); ok {
		return f.Extensions
	}
	return nil
}

// filterText names a filter for the user, "" for none.
func filterText(f storage.FileFilter) string {
	switch f := f.(type) {
	case nil:
		return ""
	case *storage.ExtensionFileFilter:
		return tr("Files {{.Ext}}", map[string]any{"Ext": strings.Join(f.Extensions, " ")})
	}
	return tr("Files of this kind")
}

// fsErrText is an error of the file system without Go's "open /x/y:" prefix
// where the path is said already, in the user's words where it is common.
func fsErrText(err error) string {
	switch {
	case errors.Is(err, os.ErrPermission):
		return tr("permission denied")
	case errors.Is(err, os.ErrNotExist):
		return tr("it does not exist")
	case errors.Is(err, os.ErrExist):
		return tr("it exists already")
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// userPlaces are the places on the dialog's left.
func userPlaces() []place {
	home := homeDir()
	ps := []place{{tr("Home folder"), home, theme.HomeIcon()}}
	dirs := userDirs(home)
	for _, p := range []struct{ key, name string }{{"DESKTOP", tr("Desktop")}, {"DOCUMENTS", tr("Documents")}, {"DOWNLOAD", tr("Downloads")}} {
		if dir := dirs[p.key]; dir != "" && dir != home && isDir(dir) {
			ps = append(ps, place{p.name, dir, theme.FolderIcon()})
		}
	}
	for _, r := range fyne.CurrentApp().Preferences().StringList(prefFileRecent) {
		if isDir(r) && !slices.ContainsFunc(ps, func(p place) bool { return p.path == r }) {
			ps = append(ps, place{filepath.Base(r), r, theme.HistoryIcon()})
		}
	}
	return append(ps, place{tr("Computer"), string(filepath.Separator), theme.ComputerIcon()})
}

// userDirs reads the system's names of the user's folders
// (~/.config/user-dirs.dirs: XDG_DOCUMENTS_DIR="$HOME/Tài liệu"), keyed
// DESKTOP, DOCUMENTS, DOWNLOAD; the English names where it has none.
func userDirs(home string) map[string]string {
	dirs := map[string]string{
		"DESKTOP":   filepath.Join(home, "Desktop"),
		"DOCUMENTS": filepath.Join(home, "Documents"),
		"DOWNLOAD":  filepath.Join(home, "Downloads"),
	}
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return dirs
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		key, isXDG := strings.CutPrefix(k, "XDG_")
		key, isDirKey := strings.CutSuffix(key, "_DIR")
		if !ok || !isXDG || !isDirKey || strings.HasPrefix(k, "#") {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if filepath.IsAbs(v) {
			dirs[key] = v
		}
	}
	return dirs
}

func homeDir() string {
	if h, err := os.UserHomeDir(); err == nil {
		return h
	}
	return string(filepath.Separator)
}

func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// fileTime writes a file's time in the chosen language's way.
func fileTime(t time.Time) string {
	if Lang() == "en" {
		return t.Format("02 Jan 2006 15:04")
	}
	return t.Format("02/01/2006 15:04")
}

// fileRow is a line of the file list: tapped it is selected, double tapped
// a folder is entered and a file chosen.
type fileRow struct {
	widget.BaseWidget
	d                *fileDialog
	id               widget.ListItemID
	icon             *widget.Icon
	name, size, date *widget.Label
}

func newFileRow(d *fileDialog) *fileRow {
	r := &fileRow{d: d, icon: widget.NewIcon(theme.FileIcon()), name: widget.NewLabel(""), size: widget.NewLabel(""), date: widget.NewLabel("")}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.size.Alignment = fyne.TextAlignTrailing
	r.ExtendBaseWidget(r)
	return r
}

func (r *fileRow) set(id widget.ListItemID, e fileEntry) {
	r.id = id
	r.name.SetText(e.name)
	if e.dir {
		r.icon.SetResource(theme.FolderIcon())
		r.size.SetText("")
	} else {
		r.icon.SetResource(theme.FileIcon())
		r.size.SetText(sizeText(e.size))
	}
	r.date.SetText(fileTime(e.mod))
}

// CreateRenderer implements fyne.Widget.
func (r *fileRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(fileRowLayout{}, r.icon, r.name, r.size, r.date))
}

// Tapped selects the line.
func (r *fileRow) Tapped(*fyne.PointEvent) { r.d.Files.Select(r.id) }

// DoubleTapped enters a folder or chooses a file.
func (r *fileRow) DoubleTapped(*fyne.PointEvent) { r.d.activate(r.id) }

// fileRowLayout places a line's icon, name, size and date in columns.
type fileRowLayout struct{}

const fileIconW, fileSizeW, fileDateW = 24, 90, 150

func (fileRowLayout) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	pad := theme.Padding()
	widths := []float32{fileIconW, s.Width - fileIconW - fileSizeW - fileDateW - 3*pad, fileSizeW, fileDateW}
	x := float32(0)
	for i, o := range objs {
		h := min(o.MinSize().Height, s.Height)
		o.Move(fyne.NewPos(x, (s.Height-h)/2))
		o.Resize(fyne.NewSize(widths[i], h))
		x += widths[i] + pad
	}
}

func (fileRowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(fileIconW+fileSizeW+fileDateW+120+3*theme.Padding(), h)
}

// dialogEntry is an entry of the file dialog that also drives its list:
// the arrow keys move the selection, Esc cancels the dialog.
type dialogEntry struct {
	widget.Entry
	d *fileDialog
}

func newDialogEntry(d *fileDialog) *dialogEntry {
	e := &dialogEntry{d: d}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey implements fyne.Focusable.
func (e *dialogEntry) TypedKey(k *fyne.KeyEvent) {
	switch k.Name {
	case fyne.KeyEscape:
		e.d.cancel()
	case fyne.KeyDown:
		e.d.move(1)
	case fyne.KeyUp:
		e.d.move(-1)
	default:
		e.Entry.TypedKey(k)
	}
}

func boldLabel(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
