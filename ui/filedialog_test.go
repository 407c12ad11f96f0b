package ui

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
)

// fileDialogWindow is a window of a test app for file dialogs, with a home
// folder of its own.
func fileDialogWindow(t *testing.T) (fyne.Window, string) {
	t.Helper()
	a := test.NewApp()
	t.Cleanup(a.Quit)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	w := a.NewWindow("t")
	w.Resize(fyne.NewSize(1024, 640))
	return w, home
}

func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	for _, n := range names {
		p := filepath.Join(dir, n)
		if strings.HasSuffix(n, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte("nội dung "+n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func entryNames(d *fileDialog) []string {
	var out []string
	for _, e := range d.entries {
		n := e.name
		if e.dir {
			n += "/"
		}
		out = append(out, n)
	}
	return out
}

func TestFileDialogOpensAFileThroughItsFilter(t *testing.T) {
	SetLanguage("vi")
	w, home := fileDialogWindow(t)
	dir := filepath.Join(home, "hồ sơ")
	writeFiles(t, dir, "Đồng Bành/", "b/", "lô.geojson", "ranh giới.GEOJSON", "ghi chú.txt", ".ẩn.geojson", "an.json")
	var got string
	d := newFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			t.Fatalf("open: %v %v", r, err)
		}
		b, _ := io.ReadAll(r)
		r.Close()
		got = r.URI().Path() + ": " + string(b)
	}, w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".geojson", ".json"}))
	d.SetLocation(mustLister(t, dir))
	d.Show()
	// folders first, accent-free order (Đồng Bành sorts as dong banh),
	// only the files the filter admits, no hidden files
	if want := []string{"b/", "Đồng Bành/", "an.json", "lô.geojson", "ranh giới.GEOJSON"}; !slices.Equal(entryNames(d), want) {
		t.Fatalf("listed %v, want %v", entryNames(d), want)
	}
	if d.Path.Text != dir || d.Accept.Text != "Mở" || d.Dismiss.Text != "Hủy" || d.Filter.Selected != "Tệp .geojson .json" {
		t.Fatalf("path %q, buttons %q %q, filter %q", d.Path.Text, d.Accept.Text, d.Dismiss.Text, d.Filter.Selected)
	}
	// "All files" sets the filter aside; hidden files on request
	d.Filter.SetSelectedIndex(1)
	d.Hidden.SetChecked(true)
	if !slices.Contains(entryNames(d), "ghi chú.txt") || !slices.Contains(entryNames(d), ".ẩn.geojson") {
		t.Fatalf("all files listed %v", entryNames(d))
	}
	d.Filter.SetSelectedIndex(0)
	d.Hidden.SetChecked(false)
	// a tap chooses, the button opens
	i := slices.Index(entryNames(d), "lô.geojson")
	d.Files.Select(i)
	if d.Name.Text != "lô.geojson" {
		t.Fatalf("name %q after choosing", d.Name.Text)
	}
	test.Tap(d.Accept)
	if want := filepath.Join(dir, "lô.geojson") + ": nội dung lô.geojson"; got != want {
		t.Fatalf("opened %q, want %q", got, want)
	}
	if d.shown {
		t.Fatal("the dialog stays open after a choice")
	}
	// the next dialog starts where this one ended, with it among the places
	d2 := newFileOpen(func(fyne.URIReadCloser, error) {}, w)
	d2.Show()
	if d2.dir != dir || !slices.ContainsFunc(d2.places, func(p place) bool { return p.path == dir && p.name == "hồ sơ" }) {
		t.Fatalf("second dialog in %q, places %v", d2.dir, d2.places)
	}
	d2.cancel()
}

func TestFileDialogNavigates(t *testing.T) {
	SetLanguage("vi")
	w, home := fileDialogWindow(t)
	writeFiles(t, home, "Tài liệu/", "dự án/con/", "dự án/con/x.geojson", "dự án/y.geojson")
	os.MkdirAll(filepath.Join(home, ".config"), 0o755)
	os.WriteFile(filepath.Join(home, ".config", "user-dirs.dirs"), []byte("# comment\nXDG_DOCUMENTS_DIR=\"$HOME/Tài liệu\"\nXDG_DESKTOP_DIR=\"$HOME/Màn hình\"\n"), 0o644)
	d := newFileOpen(func(fyne.URIReadCloser, error) {}, w)
	d.Show()
	if d.dir != home {
		t.Fatalf("starts in %q, want the home folder %q", d.dir, home)
	}
	// the places: home, the documents folder the system names (the
	// desktop it names does not exist), the computer
	var names []string
	for _, p := range d.places {
		names = append(names, p.name)
	}
	if want := []string{"Thư mục chính", "Tài liệu", "Máy tính"}; !slices.Equal(names, want) {
		t.Fatalf("places %v, want %v", names, want)
	}
	// double tap enters a folder; up goes back
	d.activate(slices.Index(entryNames(d), "dự án/"))
	if d.dir != filepath.Join(home, "dự án") || !slices.Equal(entryNames(d), []string{"con/", "y.geojson"}) {
		t.Fatalf("in %q: %v", d.dir, entryNames(d))
	}
	test.Tap(d.Up)
	if d.dir != home {
		t.Fatalf("up went to %q", d.dir)
	}
	// a typed path: a folder is opened, a file chosen in its folder
	d.typedPath("~/dự án/con/x.geojson")
	if d.dir != filepath.Join(home, "dự án", "con") || d.Name.Text != "x.geojson" || d.sel != 0 {
		t.Fatalf("typed a file: in %q, name %q, selected %d", d.dir, d.Name.Text, d.sel)
	}
	d.typedPath(filepath.Join(home, "không có"))
	if !d.Message.Visible() || !strings.Contains(d.Message.Text, "Không có") || d.dir != filepath.Join(home, "dự án", "con") {
		t.Fatalf("a missing path: %q, in %q", d.Message.Text, d.dir)
	}
	// a folder that cannot be read says so and stays
	locked := filepath.Join(home, "khóa")
	os.Mkdir(locked, 0o000)
	defer os.Chmod(locked, 0o755)
	if os.Getuid() != 0 {
		d.cd(locked)
		if d.dir == locked || !strings.Contains(d.Message.Text, "không có quyền truy cập") {
			t.Fatalf("unreadable folder: in %q, %q", d.dir, d.Message.Text)
		}
	}
	// the arrow keys move in the list, Esc cancels
	d.cd(home)
	d.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	d.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if d.sel != 1 {
		t.Fatalf("two steps down select %d", d.sel)
	}
	cancelled := false
	d.onOpen = func(r fyne.URIReadCloser, err error) { cancelled = r == nil && err == nil }
	d.Name.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !cancelled || d.shown {
		t.Fatal("Esc did not cancel")
	}
}

func TestFileDialogSavesAsksBeforeReplacingAndRefuses(t *testing.T) {
	SetLanguage("vi")
	w, home := fileDialogWindow(t)
	writeFiles(t, home, "cũ.pdf")
	var saved []string
	d := newFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil {
			t.Fatal(err)
		}
		if wc == nil {
			saved = append(saved, "cancelled")
			return
		}
		wc.Write([]byte("mới"))
		wc.Close()
		saved = append(saved, wc.URI().Path())
	}, w)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pdf"}))
	d.SetFileName("chi-ma.pdf")
	d.Show()
	if d.Name.Text != "chi-ma.pdf" || d.Accept.Text != "Lưu" {
		t.Fatalf("name %q, button %q", d.Name.Text, d.Accept.Text)
	}
	// refusals: no name, no such folder
	d.Name.SetText("")
	test.Tap(d.Accept)
	if d.Message.Text != "Hãy nhập tên tệp" || !d.shown {
		t.Fatalf("empty name: %q", d.Message.Text)
	}
	d.Name.SetText("không/có/ban-ve.pdf")
	test.Tap(d.Accept)
	if !strings.HasPrefix(d.Message.Text, "Không có thư mục") || len(saved) != 0 {
		t.Fatalf("missing folder: %q %v", d.Message.Text, saved)
	}
	// a new folder, entered; a name without extension takes the filter's
	d.makeFolder("bản vẽ")
	if d.dir != filepath.Join(home, "bản vẽ") || d.Message.Visible() {
		t.Fatalf("new folder: in %q, %q", d.dir, d.Message.Text)
	}
	d.makeFolder("a/b")
	if !strings.Contains(d.Message.Text, "/") || d.dir != filepath.Join(home, "bản vẽ") {
		t.Fatalf("bad folder name: %q", d.Message.Text)
	}
	d.Name.SetText("QH-01")
	d.Name.OnSubmitted(d.Name.Text) // Enter
	if want := filepath.Join(home, "bản vẽ", "QH-01.pdf"); len(saved) != 1 || saved[0] != want {
		t.Fatalf("saved %v, want %s", saved, want)
	}
	// an existing file is replaced only when the user agrees
	d = newFileSave(d.onSave, w)
	d.SetFileName("cũ.pdf")
	d.SetLocation(mustLister(t, home))
	d.Show()
	test.Tap(d.Accept)
	confirm := topDialogTexts(w)
	if !slices.Contains(confirm, "Thay thế tệp?") || !slices.Contains(confirm, "Có") || !slices.Contains(confirm, "Không") {
		t.Fatalf("the replace question shows %q", confirm)
	}
	tapButton(t, w, "Không")
	if b, _ := os.ReadFile(filepath.Join(home, "cũ.pdf")); string(b) != "nội dung cũ.pdf" || len(saved) != 1 || !d.shown {
		t.Fatalf("refused replace wrote %q, saved %v", b, saved)
	}
	test.Tap(d.Accept)
	tapButton(t, w, "Có")
	if b, _ := os.ReadFile(filepath.Join(home, "cũ.pdf")); string(b) != "mới" || len(saved) != 2 {
		t.Fatalf("agreed replace wrote %q, saved %v", b, saved)
	}
	// cancel tells the caller nil, nil
	d = showFileSave(d.onSave, w)
	test.Tap(d.Dismiss)
	if saved[len(saved)-1] != "cancelled" {
		t.Fatalf("cancel: %v", saved)
	}
}

func TestFolderDialogChoosesAFolder(t *testing.T) {
	SetLanguage("en")
	defer SetLanguage("vi")
	w, home := fileDialogWindow(t)
	writeFiles(t, home, "hoso/", "hoso/a/", "x.pdf")
	var got string
	d := showFolderOpen(func(l fyne.ListableURI, err error) {
		if err != nil || l == nil {
			t.Fatalf("folder: %v %v", l, err)
		}
		got = l.Path()
	}, w)
	if !slices.Equal(entryNames(d), []string{"hoso/"}) || d.Accept.Text != "Choose" || d.NewDir.Hidden {
		t.Fatalf("folder dialog lists %v, button %q", entryNames(d), d.Accept.Text)
	}
	d.Files.Select(0)
	test.Tap(d.Accept)
	if got != filepath.Join(home, "hoso") {
		t.Fatalf("chose %q", got)
	}
}

func TestFileSizesAndDatesFollowTheLanguage(t *testing.T) {
	defer SetLanguage("vi")
	for _, c := range []struct{ lang, size string }{{"vi", "1,5 kB"}, {"en", "1.5 kB"}} {
		SetLanguage(c.lang)
		if got := sizeText(1536); got != c.size {
			t.Errorf("%s: size %q, want %q", c.lang, got, c.size)
		}
	}
}

func mustLister(t *testing.T, dir string) fyne.ListableURI {
	t.Helper()
	l, err := storage.ListerForURI(storage.NewFileURI(dir))
	if err != nil {
		t.Fatal(err)
	}
	return l
}
