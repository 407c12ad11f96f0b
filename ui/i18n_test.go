package ui

import (
	"encoding/json"
	"io"
	"io/fs"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/assets"
	"quyhoach/gis"
	"quyhoach/plan"
)

// fyneLog holds everything the tests of the package log (Fyne logs its
// translation failures with the log package); TestMain fails the run on
// any translation failure in it.
var fyneLog logBuffer

func init() { log.SetOutput(io.MultiWriter(log.Writer(), &fyneLog)) }

type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// translationFailures lists the causes of the translation failures in a
// log: `message "Open a file" not found in language "vi"`.
func translationFailures(logged string) []string {
	var out []string
	lines := strings.Split(logged, "\n")
	for i, l := range lines {
		if strings.Contains(l, "Translation failure") {
			cause := "(no cause)"
			if i+1 < len(lines) && strings.Contains(lines[i+1], "Cause:") {
				_, cause, _ = strings.Cut(lines[i+1], "Cause: ")
			}
			if !slices.Contains(out, cause) {
				out = append(out, cause)
			}
		}
	}
	return out
}

// translations reads every translation file of a language (vi.json,
// AREA.vi.json …) into one map, failing on a key translated twice.
func translations(t *testing.T, lang string) map[string]string {
	t.Helper()
	files, err := assets.Translations.ReadDir("translations")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range files {
		if f.Name() != lang+".json" && !strings.HasSuffix(f.Name(), "."+lang+".json") {
			continue
		}
		b, err := assets.Translations.ReadFile("translations/" + f.Name())
		if err != nil {
			t.Fatal(err)
		}
		part := map[string]string{}
		if err := json.Unmarshal(b, &part); err != nil {
			t.Fatalf("%s: %v", f.Name(), err)
		}
		for k, v := range part {
			if _, dup := m[k]; dup {
				t.Errorf("%s: %q is translated in two files", f.Name(), k)
			}
			m[k] = v
		}
	}
	return m
}

var (
	trCall      = regexp.MustCompile(`tr\("([^"]*)"`)
	placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)
)

// TestTranslationsComplete fails on a string without a translation in
// either language: every tr("…") literal of the window, every key of
// every translation file (vi.json, en.json and each area's AREA.vi.json
// and AREA.en.json) in the other language, and Fyne's own strings. A
// translation fills the same {{.Fields}} as its source.
func TestTranslationsComplete(t *testing.T) {
	vi, en := translations(t, "vi"), translations(t, "en")
	for _, pair := range []struct {
		lang     string
		have, in map[string]string
	}{{"en", vi, en}, {"vi", en, vi}} {
		for k := range pair.have {
			if pair.in[k] == "" {
				t.Errorf("%q has no %s translation", k, pair.lang)
			}
		}
	}
	fields := func(s string) []string {
		var out []string
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for k := range vi {
		if strings.Contains(k, "{{") && (!slices.Equal(fields(vi[k]), fields(k)) || !slices.Equal(fields(en[k]), fields(k))) {
			t.Errorf("%q: the translations fill other fields: vi %q, en %q", k, vi[k], en[k])
		}
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, _ := os.ReadFile(f)
		for _, m := range trCall.FindAllStringSubmatch(string(src), -1) {
			if vi[m[1]] == "" || en[m[1]] == "" {
				t.Errorf("%s: %q lacks a translation (vi %q, en %q)", f, m[1], vi[m[1]], en[m[1]])
			}
		}
	}
	for _, k := range fyneStrings(t) {
		if vi[k] == "" || en[k] == "" {
			t.Errorf("Fyne's %q lacks a translation (vi %q, en %q): add it to assets/translations/fyne.*.json", k, vi[k], en[k])
		}
	}
}

// fyneStrings are the strings Fyne translates: the keys of its English
// file and every literal its code passes to lang.L or lang.X, read from
// the module's source.
func fyneStrings(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Fatalf("finding Fyne's source: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	var keys []string
	b, err := os.ReadFile(filepath.Join(dir, "lang", "translations", "base.en.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := map[string]any{}
	if err := json.Unmarshal(b, &base); err != nil {
		t.Fatal(err)
	}
	for k := range base {
		keys = append(keys, k)
	}
	call := regexp.MustCompile(`lang\.(?:L|X|Localize|LocalizeKey)\("([^"]+)"`)
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") ||
			strings.Contains(p, string(filepath.Separator)+"cmd"+string(filepath.Separator)) {
			return err
		}
		src, err := os.ReadFile(p)
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			keys = append(keys, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if len(keys) < 25 || !slices.Contains(keys, "Show Hidden Files") || !slices.Contains(keys, "file.parent") {
		t.Fatalf("read %d of Fyne's strings from %s: %v", len(keys), dir, keys)
	}
	return keys
}

// TestNoTranslationFailures builds the window, opens a plan and a dossier,
// shows Fyne's dialogs, an entry's menu and our file dialog, switches to
// English and back: Fyne logs no translation failure, and its own strings
// follow the language chosen at run time.
func TestNoTranslationFailures(t *testing.T) {
	var logged logBuffer
	prev := log.Writer()
	log.SetOutput(io.MultiWriter(prev, &logged))
	defer log.SetOutput(prev)
	defer SetLanguage("vi")

	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma#2")
	// yes/no, ok: the buttons of Fyne's confirm and error dialogs; want:
	// what Fyne's parts, a select and our file dialog show besides
	fyneParts := func(lang, yes, no, ok string, want ...string) {
		t.Helper()
		dialog.ShowConfirm("?", "?", func(bool) {}, w.Window)
		got := topDialogTexts(w.Window)
		tapButton(t, w.Window, no)
		dialog.ShowError(io.EOF, w.Window)
		got = append(got, topDialogTexts(w.Window)...)
		tapButton(t, w.Window, ok)
		test.TapSecondaryAt(w.Search.Entry, fyne.NewPos(5, 5))
		got = append(got, topDialogTexts(w.Window)...)
		w.Canvas().Overlays().Remove(w.Canvas().Overlays().Top())
		got = append(got, newSelect([]string{"a"}, nil).PlaceHolder)
		d := showFileOpen(func(fyne.URIReadCloser, error) {}, w.Window)
		got = append(got, topDialogTexts(w.Window)...)
		d.cancel()
		for _, s := range append([]string{yes, no, ok}, want...) {
			if !slices.Contains(got, s) {
				t.Errorf("%s: Fyne's parts show %q, want %q among them", lang, got, s)
			}
		}
	}
	fyneParts("vi", "Có", "Không", "Đồng ý", "Lỗi", "Sao chép", "Dán", "Chọn tất cả", "(Chọn một mục)", "Mở tệp", "Thư mục chính", "Mở", "Hủy")
	w.ShowPrint().dlg.Hide()
	w.Settings.Language.SetSelectedIndex(1)
	fyneParts("en", "Yes", "No", "OK", "Error", "Copy", "Paste", "Select all", "(Select one)", "Open a file", "Home folder", "Open", "Cancel")
	open(t, w, "truc-trung-tam@2")
	w.ShowPrint().dlg.Hide()
	w.Settings.Language.SetSelectedIndex(0)
	fyneParts("vi again", "Có", "Không", "Đồng ý", "Sao chép", "Mở tệp")
	if f := translationFailures(logged.String()); len(f) > 0 {
		t.Fatalf("Fyne logged %d translation failures:\n%s", len(f), strings.Join(f, "\n"))
	}
}

// TestEnglishScreenSpeaksEnglish opens every tab of the window in English,
// a dossier's page, the dashboard and the print and file dialogs: no text
// on them is Vietnamese, but for the data (names of plans, lots, agencies,
// dossiers) that stays as recorded.
func TestEnglishScreenSpeaksEnglish(t *testing.T) {
	defer SetLanguage("vi")
	a := test.NewApp()
	t.Cleanup(a.Quit)
	a.Preferences().SetString(prefLanguage, "en")
	a.Preferences().SetFloat(prefWidth, 1200)
	a.Preferences().SetFloat(prefHeight, 800)
	w, err := New(a, sampleStore(t), Options{Sync: true})
	if err != nil {
		t.Fatal(err)
	}
	data := sampleWords(t)
	// the default drawing name is the official sheet's, Vietnamese whatever the screen's language
	for _, w := range strings.Fields(strings.ToLower(plan.DefaultDrawingName)) {
		data[w] = true
	}
	var bad, seen []string
	look := func(where string, o fyne.CanvasObject) {
		for _, s := range visibleTexts(o) {
			seen = append(seen, s)
			if v := vietnamese(s, data); v != "" {
				bad = append(bad, where+": "+s+" («"+v+"»)")
			}
		}
	}
	screen := func(where string) {
		for i := range w.Left.Items {
			w.Left.SelectIndex(i)
			look(where+"/"+w.Left.Items[i].Text, w.Left)
		}
		for i := range w.Right.Items {
			w.Right.SelectIndex(i)
			look(where+"/"+w.Right.Items[i].Text, w.Right)
		}
		look(where, w.Canvas().Content())
	}
	open(t, w, "chi-ma")
	lots := w.shown.plan.Layer(gis.LandUseLayer)
	w.Map.Select(&lots.Shapes[0])
	w.Inspect(&lots.Shapes[0])
	screen("plan")
	open(t, w, "chi-ma#2")
	screen("dossier")
	w.OpenDossier(2)
	look("dossier page", w.Canvas().Content())
	w.ShowDashboard()
	look("dashboard", w.Canvas().Content())
	w.Edit(3) // the Đồng Bành draft
	screen("editing")
	w.ShowPrint()
	look("print", w.Canvas().Overlays().Top())
	w.Canvas().Overlays().Top().Hide()
	d := showFileSave(func(fyne.URIWriteCloser, error) {}, w.Window)
	look("file dialog", w.Canvas().Overlays().Top())
	d.cancel()
	for _, want := range []string{"Plans", "Inspector", "Lot code (maDoiTuong)", "Timeline", "Save as", "Land use"} {
		if !slices.Contains(seen, want) {
			t.Errorf("%q is not among the %d texts looked at: %q", want, len(seen), seen)
		}
	}
	slices.Sort(bad)
	if bad = slices.Compact(bad); len(bad) > 0 {
		t.Errorf("%d Vietnamese texts on the English screen:\n%s", len(bad), strings.Join(bad, "\n"))
	}
}

// vietnamese returns the words of s written with Vietnamese letters that
// are not data, "" when there are none.
func vietnamese(s string, data map[string]bool) string {
	var out []string
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !data[strings.ToLower(word)] && strings.ContainsFunc(word, func(r rune) bool { return r > 0x7f && unicode.IsLetter(r) }) {
			out = append(out, word)
		}
	}
	return strings.Join(out, " ")
}

// sampleWords are the words of the sample data, lower case: the names the
// screen shows as recorded whatever its language.
func sampleWords(t *testing.T) map[string]bool {
	t.Helper()
	words := map[string]bool{}
	err := fs.WalkDir(assets.Samples, "sample", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, "json") {
			return err
		}
		b, err := fs.ReadFile(assets.Samples, p)
		for _, w := range strings.FieldsFunc(string(b), func(r rune) bool { return !unicode.IsLetter(r) }) {
			words[strings.ToLower(w)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return words
}

// visibleTexts are the texts shown under o: of labels, buttons, checks,
// selects, entries (or their placeholders) and hyperlinks, and drawn text;
// hidden parts are skipped.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		switch x := o.(type) {
		case *canvas.Text:
			add(x.Text)
		case *widget.Label:
			add(x.Text)
		case *widget.Button:
			add(x.Text)
		case *widget.Check:
			add(x.Text)
		case *widget.Select:
			add(x.Selected)
			if x.Selected == "" {
				add(x.PlaceHolder)
			}
		case *widget.Entry:
			add(x.Text)
			if x.Text == "" {
				add(x.PlaceHolder)
			}
		case *escEntry:
			add(x.Text)
			if x.Text == "" {
				add(x.PlaceHolder)
			}
		case *widget.Hyperlink:
			add(x.Text)
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(x).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// topDialogTexts are the texts of the dialog or menu on top of a window.
func topDialogTexts(w fyne.Window) []string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	return visibleTexts(top)
}

// walkObjects calls fn on o and, while fn says to go on, on what it holds:
// a container's objects, a widget's rendered ones.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject) (descend bool)) {
	if !fn(o) {
		return
	}
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			walkObjects(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			walkObjects(c, fn)
		}
	}
}

// tapButton taps the button labelled text on the dialog on top.
func tapButton(t *testing.T, w fyne.Window, text string) {
	t.Helper()
	var found *widget.Button
	if top := w.Canvas().Overlays().Top(); top != nil {
		walkObjects(top, func(o fyne.CanvasObject) bool {
			if b, ok := o.(*widget.Button); ok {
				if b.Text == text && b.Visible() {
					found = b
				}
				return false
			}
			return true
		})
	}
	if found == nil {
		t.Fatalf("no button %q on top: %q", text, topDialogTexts(w))
	}
	test.Tap(found)
}

// TestPrintDialogSheetLanguage: the sheet is Vietnamese whatever the
// screen's language, English when asked in the print dialog.
func TestPrintDialogSheetLanguage(t *testing.T) {
	defer SetLanguage("vi")
	w := newWindow(t, sampleStore(t))
	w.Settings.Language.SetSelectedIndex(1) // the screen in English
	p := w.ShowPrint()
	defer p.dlg.Hide()
	if r, _ := p.Request(); r.Lang != "" || p.doc == nil || p.doc.Sheets[0].Lang != "" || p.Title.PlaceHolder != plan.DefaultDrawingName {
		t.Fatalf("default sheet language %q (%v), placeholder %q", r.Lang, p.doc != nil, p.Title.PlaceHolder)
	}
	p.Lang.SetSelectedIndex(1)
	if r, _ := p.Request(); r.Lang != "en" || p.doc.Sheets[0].Lang != "en" || p.Title.PlaceHolder != "Land-use master plan" {
		t.Fatalf("English sheet: request %q, sheet %q, placeholder %q", r.Lang, p.doc.Sheets[0].Lang, p.Title.PlaceHolder)
	}
}
