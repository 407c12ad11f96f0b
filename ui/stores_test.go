package ui

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/store"
)

// testShell is a shell over the test driver, its work synchronous.
func testShell(t *testing.T) *Shell {
	t.Helper()
	return testShellIn(t, "vi")
}

// testShellIn is testShell speaking language code (the shell takes its
// language from the preferences, as at a user's start).
func testShellIn(t *testing.T, code string) *Shell {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetString(prefLanguage, code)
	t.Cleanup(func() { SetLanguage("vi") })
	a.Preferences().SetFloat(prefWidth, 1200)
	a.Preferences().SetFloat(prefHeight, 800)
	s := NewShell(a, Options{Sync: true, Version: "9.9-test", DefaultStore: "/home/u/.local/share/quyhoach/quyhoach.db"})
	t.Cleanup(s.Close)
	return s
}

// sampleFile makes a store file with the sample plans and closes it.
func sampleFile(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "mau.db")
	st, err := createStore(context.Background(), path, true)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

// emptyStoreFile makes a store file without plans and closes it.
func emptyStoreFile(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "trong.db")
	st, err := createStore(context.Background(), path, false)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	return path
}

// sqliteFile makes an SQLite file by running stmts.
func sqliteFile(t *testing.T, path string, stmts ...string) string {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return path
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// buttons are a store dialog's ways on, in order.
func buttons(d *storeDialog) []string {
	var keys []string
	for k := range d.Buttons {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestStartRefusesWrongFiles: each kind of file that is not a store opens
// the start window (never a silent exit) with the dialog that names the
// problem and offers the ways on; the file is left byte for byte.
func TestStartRefusesWrongFiles(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "toado.csv")
	os.WriteFile(text, []byte("X,Y\n2430566.95,444122.78\n"), 0o644)
	foreign := sqliteFile(t, filepath.Join(dir, "other.sqlite"), "CREATE TABLE diem(x, y)", "INSERT INTO diem VALUES (1, 2)")
	gpkg := sqliteFile(t, filepath.Join(dir, "lots.gpkg"), "PRAGMA application_id = 1196444487", "CREATE TABLE gpkg_contents(table_name)")
	newer := filepath.Join(dir, "newer.db")
	copyFile(emptyStoreFile(t, t.TempDir()), newer)
	sqliteFile(t, newer, "PRAGMA user_version = 99")
	folder := filepath.Join(dir, "a-folder")
	os.Mkdir(folder, 0o755)
	for _, c := range []struct {
		name, path, title, text string
		ways                    []string
	}{
		{"missing", filepath.Join(dir, "gone.db"), "Store not found", "does not exist", []string{"another", "close", "create"}},
		{"text", text, "Not a quyhoach store", "not a database at all", []string{"another", "close", "new"}},
		{"foreign", foreign, "Not a quyhoach store", "database of another program", []string{"another", "close", "new"}},
		{"geopackage", gpkg, "Not a quyhoach store", "is a GeoPackage", []string{"another", "close", "new"}},
		{"newer", newer, "Written by a newer quyhoach", "(its schema is 99)", []string{"another", "close", "new"}},
		{"folder", folder, "Not a store file", "is a folder", []string{"another", "close", "new"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var before []byte
			if fi, err := os.Stat(c.path); err == nil && !fi.IsDir() {
				before = readAll(t, c.path)
			}
			s := testShellIn(t, "en")
			if err := s.Start(c.path); err != nil {
				t.Fatalf("start: %v", err)
			}
			if s.Window != nil || s.StartWindow == nil || s.StartPage == nil {
				t.Fatal("no start window")
			}
			d := s.Dialog
			if d == nil || d.Title != c.title || !strings.Contains(d.Text, c.text) || !strings.Contains(d.Text, c.path) {
				t.Fatalf("dialog %+v, want %q with %q", d, c.title, c.text)
			}
			if got := buttons(d); !slices.Equal(got, c.ways) {
				t.Errorf("ways on %v, want %v", got, c.ways)
			}
			if s.StartWindow.Canvas().Overlays().Top() == nil {
				t.Error("the dialog is not on screen")
			}
			if before != nil && !bytes.Equal(readAll(t, c.path), before) {
				t.Error("the file was changed")
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 5 {
				t.Errorf("%d files in the folder: something was left beside a file", len(entries))
			}
			// the way on: a new store, made from the form
			if b := d.Buttons["new"]; b != nil {
				test.Tap(b)
				f := s.Form
				if f == nil {
					t.Fatal("no new-store form")
				}
				f.Folder.SetText(t.TempDir())
				f.Name.SetText("moi")
				test.Tap(f.Confirm)
				if s.Window == nil || s.StartWindow != nil || !strings.HasSuffix(s.Store().Path(), "moi.db") {
					t.Fatalf("the new store did not open: %q", f.Error.Text)
				}
				if !s.Window.Start.Visible() {
					t.Error("a new store without plans shows no start page")
				}
			}
		})
	}
}

// TestMissingFileCreateHere: "Create a new store here" makes the store at
// the missing path and opens it; the missing file leaves the recent list.
func TestMissingFileCreateHere(t *testing.T) {
	s := testShell(t)
	path := filepath.Join(t.TempDir(), "sub", "moi.db")
	s.app.Preferences().SetStringList(prefRecent, []string{path, "/x/other.db"})
	s.Start(path)
	if got := s.Recent(); !slices.Equal(got, []string{"/x/other.db"}) {
		t.Errorf("recent list %v", got)
	}
	test.Tap(s.Dialog.Buttons["create"])
	if s.Window == nil || s.Store().Path() != path {
		t.Fatal("the store was not made")
	}
	if got := s.Recent(); !slices.Equal(got, []string{path, "/x/other.db"}) {
		t.Errorf("recent list %v", got)
	}
}

// TestEmptyFileAsksFirst: an empty file (no bytes, or an SQLite database
// without tables) is not made a store until the user says so.
func TestEmptyFileAsksFirst(t *testing.T) {
	dir := t.TempDir()
	zero := filepath.Join(dir, "zero.db")
	os.WriteFile(zero, nil, 0o644)
	bare := sqliteFile(t, filepath.Join(dir, "bare.db"), "CREATE TABLE t(a)", "DROP TABLE t")
	for _, path := range []string{zero, bare} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			before := readAll(t, path)
			s := testShell(t)
			s.Start(path)
			if s.Window != nil || s.Dialog == nil || s.Dialog.Title != tr("Empty file") || s.Dialog.Buttons["make"] == nil {
				t.Fatalf("dialog %+v", s.Dialog)
			}
			if !bytes.Equal(readAll(t, path), before) {
				t.Fatal("the file was changed before the user said so")
			}
			test.Tap(s.Dialog.Buttons["make"])
			if s.Window == nil {
				t.Fatal("no window over the store made")
			}
			if v, err := s.Store().SchemaVersion(context.Background()); err != nil || v == 0 {
				t.Fatalf("not made a store: schema %d %v", v, err)
			}
		})
	}
	// a copy of an empty file: nothing to read, nothing made
	s := testShell(t)
	os.WriteFile(zero, nil, 0o644)
	s.Start(filepath.Join(dir, "gone.db"))
	s.OpenCopy(zero)
	if s.Dialog.Title != tr("Empty file") || s.Dialog.Buttons["make"] != nil {
		t.Fatalf("copy of an empty file: %+v", s.Dialog)
	}
}

// TestStartPageOfAnEmptyStore: a store without plans opens on the start
// page (what to do next); the sample plans added, the map shows them.
func TestStartPageOfAnEmptyStore(t *testing.T) {
	s := testShell(t)
	s.app.Preferences().SetStringList(prefRecent, []string{"/x/other.db"})
	path := emptyStoreFile(t, t.TempDir())
	if err := s.Start(path); err != nil {
		t.Fatal(err)
	}
	w := s.Window
	p := w.Start
	if w == nil || !p.Visible() || p.Title.Text != tr("This store holds no plan yet") || !strings.Contains(p.Detail.Text, path) {
		t.Fatalf("start page %v %q %q", p.Visible(), p.Title.Text, p.Detail.Text)
	}
	for name, b := range map[string]*widget.Button{"samples": p.Samples, "open": p.OpenStore, "new store": p.NewStore} {
		if visibleIn(b, p.body) == nil || b.Disabled() {
			t.Errorf("no %s button", name)
		}
	}
	if visibleIn(p.NewPlan, p.body) != nil != (p.OnNewPlan != nil) {
		t.Error("a New plan button without its dialog, or the dialog without a button")
	}
	if len(p.Recent) != 1 || p.Recent[0].Text != "other.db" {
		t.Errorf("recent stores on the page: %d", len(p.Recent))
	}
	// a plan made (by the New plan dialog, or anyone): the page follows
	if err := s.Store().CreatePlan(context.Background(), store.Plan{Code: "kcn-moi", Name: "KCN mới", Level: "zoning", Scale: 2000}); err != nil {
		t.Fatal(err)
	}
	w.refreshBrowser()
	w.updateMenu()
	if !p.Visible() || p.Title.Text != tr("No plan has layers yet") || !strings.Contains(p.Detail.Text, "kcn-moi") || visibleIn(p.Import, p.body) == nil {
		t.Fatalf("a plan without layers: %q %q", p.Title.Text, p.Detail.Text)
	}
	test.Tap(p.Samples)
	if p.Visible() || w.shown.state == nil || len(w.Browser.Plans()) != 5 {
		t.Fatalf("after the samples: page %v, shown %v, %d plans", p.Visible(), w.shown.state != nil, len(w.Browser.Plans()))
	}
}

// TestSwitchStores: opening another store replaces the window and closes
// the old store; the recent list and the File menu follow; a dossier
// being edited in one store is not resumed in another.
func TestSwitchStores(t *testing.T) {
	s := testShell(t)
	a, b := sampleFile(t, t.TempDir()), emptyStoreFile(t, t.TempDir())
	s.app.Preferences().SetInt(prefEditing, 3)
	if err := s.Start(a); err != nil {
		t.Fatal(err)
	}
	if got := s.app.Preferences().Int(prefEditing); got != 0 {
		t.Errorf("the dossier edited in another store is resumed here: %d", got)
	}
	first, firstStore := s.Window, s.Store()
	if first.shown.state == nil || first.Start.Visible() {
		t.Fatal("the sample store shows no plan")
	}
	if !strings.Contains(first.Title(), "mau.db") {
		t.Errorf("title %q", first.Title())
	}
	s.Open(b)
	if s.Window == first || s.Store().Path() != b || !s.Window.Start.Visible() {
		t.Fatal("the window was not replaced")
	}
	if _, err := firstStore.Plans(context.Background()); err == nil {
		t.Error("the old store is still open")
	}
	if got := s.Recent(); !slices.Equal(got, []string{b, a}) {
		t.Errorf("recent %v", got)
	}
	recent := s.Window.Menu.Items["file.recent"].ChildMenu
	if len(recent.Items) < 2 || !strings.HasPrefix(recent.Items[1].Label, "mau.db") {
		t.Fatalf("Open recent: %v", recent.Items)
	}
	recent.Items[1].Action()
	if s.Store().Path() != a || s.Window.shown.state == nil {
		t.Fatal("the recent store did not open")
	}
	// the same store again: nothing happens
	w := s.Window
	s.Open(a)
	if s.Window != w {
		t.Error("the store open was opened again")
	}
	s.ClearRecent()
	if len(s.Recent()) != 0 || !s.Window.Menu.Items["file.recent.none"].Disabled {
		t.Error("the list was not cleared")
	}
}

// TestNewStoreForm: the form refuses a file that exists (a store is never
// replaced), a folder that does not, an empty name; then makes the store
// with the sample plans.
func TestNewStoreForm(t *testing.T) {
	s := testShell(t)
	s.app.Preferences().SetString(prefLanguage, "en")
	defer SetLanguage("vi")
	dir := t.TempDir()
	a := sampleFile(t, dir)
	s.Start(a)
	f := s.NewStore()
	if f.Folder.Text != dir || f.Name.Text != "quyhoach.db" {
		t.Errorf("proposed %q %q", f.Folder.Text, f.Name.Text)
	}
	before := readAll(t, a)
	for _, c := range []struct{ folder, name, want string }{
		{dir, "mau.db", "already exists"},
		{dir, "mau", "already exists"},
		{filepath.Join(dir, "nowhere"), "x.db", "does not exist"},
		{dir, " ", "give the file a name"},
		{"", "x.db", "choose the folder"},
		{dir, "sub/x.db", "without a folder"},
	} {
		f.Folder.SetText(c.folder)
		f.Name.SetText(c.name)
		test.Tap(f.Confirm)
		if !strings.Contains(f.Error.Text, c.want) {
			t.Errorf("%q %q: %q", c.folder, c.name, f.Error.Text)
		}
	}
	if !bytes.Equal(readAll(t, a), before) || s.Store().Path() != a {
		t.Fatal("a refused form changed something")
	}
	f.Folder.SetText(dir)
	f.Name.SetText("khu-moi")
	f.Samples.SetChecked(true)
	test.Tap(f.Confirm)
	if s.Store().Path() != filepath.Join(dir, "khu-moi.db") || len(s.Window.Browser.Plans()) != 4 {
		t.Fatalf("made %s with %d plans", s.Store().Path(), len(s.Window.Browser.Plans()))
	}
}

// readOnlyPlace returns a folder whose files cannot be written, after
// fill has put them there: a tmpfs mounted read-only (root writes any
// file), else a 0555 folder of 0444 files.
func readOnlyPlace(t *testing.T, fill func(dir string)) string {
	t.Helper()
	dir := t.TempDir()
	if os.Getuid() == 0 {
		if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot mount a filesystem here: %v %s", err, out)
		}
		t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
		fill(dir)
		if out, err := exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err != nil {
			t.Fatalf("remount read-only: %v %s", err, out)
		}
		return dir
	}
	fill(dir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		os.Chmod(filepath.Join(dir, e.Name()), 0o444)
	}
	os.Chmod(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	return dir
}

// TestReadOnlyStore: a store that cannot be written opens read-only and
// says so, with the way to a writable copy, which then opens.
func TestReadOnlyStore(t *testing.T) {
	src := sampleFile(t, t.TempDir())
	dir := readOnlyPlace(t, func(dir string) { copyFile(src, filepath.Join(dir, "mau.db")) })
	path := filepath.Join(dir, "mau.db")
	s := testShell(t)
	s.app.Preferences().SetString(prefLanguage, "en")
	defer SetLanguage("vi")
	s.Start(path)
	w := s.Window
	if w == nil || !s.Store().ReadOnly() || w.shown.state == nil {
		t.Fatal("a read-only store did not open")
	}
	if s.Dialog == nil || s.Dialog.Title != "Opened read-only" || s.Dialog.Buttons["savecopy"] == nil {
		t.Fatalf("dialog %+v", s.Dialog)
	}
	if !strings.Contains(w.Title(), "mau.db (read-only)") {
		t.Errorf("title %q", w.Title())
	}
	w.updateMenu()
	if w.Menu.Items["dossier.new"].Disabled == false || w.Menu.Items["file.writablecopy"].Disabled {
		t.Error("the menu offers writing to a read-only store")
	}
	test.Tap(s.Dialog.Buttons["savecopy"])
	out := t.TempDir()
	s.Form.Folder.SetText(out)
	if s.Form.Name.Text != "mau-copy.db" {
		t.Errorf("proposed %q", s.Form.Name.Text)
	}
	test.Tap(s.Form.Confirm)
	if s.Store().Path() != filepath.Join(out, "mau-copy.db") || s.Store().ReadOnly() || len(s.Window.Browser.Plans()) != 4 {
		t.Fatalf("the writable copy did not open: %s", s.Store().Path())
	}
}

// TestUnsettledReadOnlyStoreOpensACopy: a read-only store whose last
// changes are still in its -wal cannot be read as it is; the dialog's way
// on opens a copy, read-only, that holds those changes; the copy goes
// when the program ends.
func TestUnsettledReadOnlyStoreOpensACopy(t *testing.T) {
	src := filepath.Join(t.TempDir(), "s.db")
	st, err := createStore(context.Background(), src, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.CreatePlan(context.Background(), store.Plan{Code: "moi", Name: "Khu mới", Level: "zoning", Scale: 2000}); err != nil {
		t.Fatal(err)
	}
	dir := readOnlyPlace(t, func(dir string) {
		// copied while open: the plan is in the -wal only
		copyFile(src, filepath.Join(dir, "s.db"))
		copyFile(src+"-wal", filepath.Join(dir, "s.db-wal"))
	})
	if fi, err := os.Stat(filepath.Join(dir, "s.db-wal")); err != nil || fi.Size() == 0 {
		t.Skip("the store's -wal was checkpointed already")
	}
	path := filepath.Join(dir, "s.db")
	s := testShell(t)
	s.Start(path)
	if s.Window != nil || s.Dialog.Title != tr("The store cannot be opened here") {
		t.Fatalf("dialog %+v", s.Dialog)
	}
	test.Tap(s.Dialog.Buttons["copy"])
	of, ok := s.Copy()
	if s.Window == nil || !ok || of != path || !s.Store().ReadOnly() {
		t.Fatal("no copy open")
	}
	if plans := s.Window.Browser.Plans(); len(plans) != 1 || plans[0].Code != "moi" {
		t.Fatalf("the copy lacks the changes of the -wal: %v", plans)
	}
	if !strings.Contains(s.Window.Title(), tr("{{.File}} (a read-only copy)", map[string]any{"File": "s.db"})) {
		t.Errorf("title %q", s.Window.Title())
	}
	copyDir := filepath.Dir(s.Store().Path())
	s.Close()
	if _, err := os.Stat(copyDir); err == nil {
		t.Error("the copy was left behind")
	}
}

// TestLockedStore: a store another program holds locked says so (after
// SQLite's wait) and offers to try again, which opens it once free.
func TestLockedStore(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for SQLite's busy timeout")
	}
	path := sampleFile(t, t.TempDir())
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{"PRAGMA locking_mode = EXCLUSIVE", "BEGIN EXCLUSIVE", "SELECT count(*) FROM sqlite_schema"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	s := testShell(t)
	s.Start(path)
	if s.Window != nil || s.Dialog.Title != tr("The store is in use") || s.Dialog.Buttons["retry"] == nil || s.Dialog.Buttons["copy"] == nil {
		t.Fatalf("dialog %+v", s.Dialog)
	}
	db.Exec("COMMIT")
	db.Exec("PRAGMA locking_mode = NORMAL")
	db.Exec("SELECT 1") // the exclusive lock goes with the next access
	db.Close()
	test.Tap(s.Dialog.Buttons["retry"])
	if s.Window == nil || s.Window.shown.state == nil {
		t.Fatal("the store did not open once free")
	}
}

// TestCopyOfAStoreBeingWritten: a store with a -journal beside it (an
// import writing through its own journal, or one cut short) is half
// written: no copy of it is opened, and the dialog says why and offers to
// try again, not a copy.
func TestCopyOfAStoreBeingWritten(t *testing.T) {
	path := sampleFile(t, t.TempDir())
	if err := os.WriteFile(path+"-journal", make([]byte, 512), 0o644); err != nil {
		t.Fatal(err)
	}
	s := testShell(t)
	s.Start(emptyStoreFile(t, t.TempDir()))
	s.OpenCopy(path)
	if _, ok := s.Copy(); ok {
		t.Fatal("a copy of a half-written store was opened")
	}
	if s.Dialog == nil || s.Dialog.Title != tr("The store is being written") || s.Dialog.Buttons["retry"] == nil || s.Dialog.Buttons["copy"] != nil {
		t.Fatalf("dialog %+v", s.Dialog)
	}
}

// TestCopyReadOnly: File, Open a copy read-only leaves the original as it
// was and refuses writes to the copy.
func TestCopyReadOnly(t *testing.T) {
	path := sampleFile(t, t.TempDir())
	before := readAll(t, path)
	s := testShell(t)
	s.Start(emptyStoreFile(t, t.TempDir()))
	s.OpenCopy(path)
	if of, ok := s.Copy(); !ok || of != path || !s.Store().ReadOnly() || len(s.Window.Browser.Plans()) != 4 {
		t.Fatal("no copy open")
	}
	if err := s.Store().CreatePlan(context.Background(), store.Plan{Code: "x", Name: "x", Level: "zoning", Scale: 2000}); err == nil {
		t.Error("the copy took a write")
	}
	if !bytes.Equal(readAll(t, path), before) {
		t.Error("the original changed")
	}
	if slices.Contains(s.Recent(), path) && s.Recent()[0] == path {
		t.Error("a copy went first in the recent list")
	}
	d := s.Window.dataInfo()
	if d.CopyOf != path || !strings.Contains(dataText(d), path) {
		t.Errorf("where the data lives: %+v", d)
	}
}

// TestNoStartPageOverALoadingPlan: a store whose plans have versions opens
// on the map, not on the start page, while its plan is still being read
// (the page made with the window's parts, before the browser had the
// plans, covered the first paint and widened the window past 1 024 px).
func TestNoStartPageOverALoadingPlan(t *testing.T) {
	gated := gate(sampleStore(t))
	w := testWindow(t, gated, Options{})
	w.Resize(fyne.NewSize(1024, 640))
	until := time.Now().Add(200 * time.Millisecond)
	pump(t, "a while", func() bool { return time.Now().After(until) })
	if w.shown.state != nil {
		t.Fatal("the plan shown before it was read")
	}
	if w.Start.Visible() {
		t.Fatal("the start page covers the map of a plan being read")
	}
	if min := w.Canvas().Content().MinSize(); min.Width > 1024 {
		t.Fatalf("the window needs %.0f px while its plan is read", min.Width)
	}
	close(gated.go_)
	pump(t, "the plan", func() bool { return w.shown.state != nil })
}
