package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// menuItem is the item of the window's menu under key.
func menuItem(t *testing.T, w *Window, key string) *fyne.MenuItem {
	t.Helper()
	it := w.Menu.Items[key]
	if it == nil {
		t.Fatalf("no menu item %s", key)
	}
	return it
}

// TestMenuInDesktopConvention: the five menus in the chosen language, on
// the window; every shortcut belongs to one item only; the first menu
// ends with Quit.
func TestMenuInDesktopConvention(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	defer SetLanguage("vi")
	titles := func() []string {
		var l []string
		for _, m := range w.MainMenu().Items {
			l = append(l, m.Label)
		}
		return l
	}
	if got := titles(); !slices.Equal(got, []string{"Tệp", "Sửa", "Xem", "Hồ sơ", "Trợ giúp"}) {
		t.Fatalf("menus %v", got)
	}
	menuItem(t, w, "view.lang.en").Action()
	if got := titles(); !slices.Equal(got, []string{"File", "Edit", "View", "Dossier", "Help"}) {
		t.Fatalf("menus in English %v", got)
	}
	if !menuItem(t, w, "view.lang.en").Checked || menuItem(t, w, "view.lang.vi").Checked {
		t.Error("the language is not checked")
	}
	seen := map[string]string{}
	for key, it := range w.Menu.Items {
		if it.Label == "" || strings.Contains(it.Label, "{{") {
			t.Errorf("%s: label %q", key, it.Label)
		}
		if it.Shortcut == nil {
			continue
		}
		name := it.Shortcut.ShortcutName()
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s share the shortcut %s", key, other, name)
		}
		seen[name] = key
	}
	file := w.MainMenu().Items[0].Items
	if q := file[len(file)-1]; !q.IsQuit || q.Shortcut == nil {
		t.Error("File does not end with Quit")
	}
}

// TestMenuCommandsReachTheWindow: the menu's commands do what the
// window's buttons do.
func TestMenuCommandsReachTheWindow(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	open(t, w, "chi-ma")
	whole := w.Map.Scene().Extent
	menuItem(t, w, "view.zoomin").Action()
	menuItem(t, w, "view.zoomin").Action()
	c1, r1 := w.Map.Center()
	menuItem(t, w, "view.whole").Action()
	if _, r2 := w.Map.Center(); r2 <= r1 {
		t.Errorf("whole plan: resolution %v after zooming in to %v (%v, extent %v)", r2, r1, c1, whole)
	}
	menuItem(t, w, "view.dashboard").Action()
	if w.Center.Selected() == nil || w.Center.Selected().Content != w.Dashboard {
		t.Error("Dossiers did not show the dashboard")
	}
	menuItem(t, w, "view.map").Action()
	if w.Center.Selected().Content == w.Dashboard {
		t.Error("Map did not come back")
	}
	menuItem(t, w, "view.info").Action()
	if !w.Site.Tool.Visible() {
		t.Error("the information tool did not turn on")
	}
	w.updateMenu()
	if !menuItem(t, w, "view.info").Checked {
		t.Error("the information tool is not checked")
	}
	menuItem(t, w, "view.info").Action()
	if w.Site.Tool.Visible() {
		t.Error("the information tool did not turn off")
	}
	menuItem(t, w, "view.check").Action()
	if tabContent(w.Left.Selected()) != w.Findings || w.Findings.Label.Text == "" {
		t.Error("Check the plan ran no check")
	}
	menuItem(t, w, "view.settings").Action()
	if tabContent(w.Left.Selected()) != w.Settings {
		t.Error("Settings did not show the settings")
	}
	menuItem(t, w, "view.search").Action()
	if tabContent(w.Left.Selected()) != w.Search || w.Canvas().Focused() != w.Search.Entry {
		t.Error("Search did not focus the search")
	}
	menuItem(t, w, "view.right.2").Action()
	if tabContent(w.Right.Selected()) != w.Legend {
		t.Error("Panels, Legend")
	}
	menuItem(t, w, "dossier.new").Action()
	if w.Editor.Create == nil {
		t.Error("New adjustment dossier opened no form")
	}
	if p := menuItem(t, w, "file.print"); p.Disabled {
		t.Error("Print is disabled with a plan shown")
	}
	if d := w.ShowPrint(); d == nil {
		t.Error("no print dialog")
	}
	if r := w.ShowReport(); r == nil {
		t.Error("no report dialog")
	}
	menuItem(t, w, "dossier.agencies").Action()
	open(t, w, "chi-ma#2")
	w.updateMenu()
	if menuItem(t, w, "dossier.page").Disabled {
		t.Error("the page of the dossier shown is disabled")
	}
	menuItem(t, w, "dossier.page").Action()
	if w.dossiers.page == nil || w.dossiers.page.id != 2 {
		t.Error("the dossier's page did not open")
	}
}

// TestMenuEditing: the Edit menu opens the dossier for editing, chooses
// the tools, undoes and redoes; a text field focused takes Undo for its
// text; outside editing the edit items are disabled and say why.
func TestMenuEditing(t *testing.T) {
	st, d := editFixture(t)
	w := newWindow(t, st)
	w.updateMenu()
	for _, k := range []string{"edit.undo", "edit.stop", "edit.tool.draw", "edit.merge"} {
		if !menuItem(t, w, k).Disabled {
			t.Errorf("%s enabled outside editing", k)
		}
	}
	menuItem(t, w, "edit.tool.draw").Action() // the shortcut runs it even disabled
	if w.Editor.Editing() || w.Status.Text.Text != tr("No dossier is open for editing: Edit, Edit the plan shown (Ctrl+E)") {
		t.Errorf("a tool outside editing: %q", w.Status.Text.Text)
	}
	w.Edit(d)
	if !w.Editor.Editing() {
		t.Fatal("not editing")
	}
	w.updateMenu()
	if menuItem(t, w, "edit.undo").Disabled || !menuItem(t, w, "edit.start").Disabled {
		t.Error("the menu does not follow editing")
	}
	menuItem(t, w, "edit.tool.split").Action()
	w.updateMenu()
	if w.Editor.ActiveTool() != splitTool || !menuItem(t, w, "edit.tool.split").Checked || menuItem(t, w, "edit.tool.select").Checked {
		t.Error("Split is not the tool")
	}
	before := changeSet(t, st, d)
	w.Editor.setSelection([]string{lotID(t, w, "L0-0")})
	w.Editor.setAttributes(map[string]any{"phanLoai": "DV"})
	after := changeSet(t, st, d)
	// a text field focused: Ctrl+Z is its own
	e := w.Search.Entry
	menuItem(t, w, "view.search").Action()
	test.Type(e, "abc")
	menuItem(t, w, "edit.undo").Action()
	if e.Text == "abc" || changeSet(t, st, d) != after {
		t.Errorf("undo with a text field focused: %q, the dossier changed %v", e.Text, changeSet(t, st, d) != after)
	}
	w.Canvas().Unfocus()
	menuItem(t, w, "edit.undo").Action()
	if changeSet(t, st, d) != before {
		t.Fatal("Undo did not take the edit back")
	}
	menuItem(t, w, "edit.redo").Action()
	if changeSet(t, st, d) != after {
		t.Fatal("Redo did not do it again")
	}
	menuItem(t, w, "edit.stop").Action()
	if w.Editor.Editing() {
		t.Error("Stop editing")
	}
	menuItem(t, w, "edit.start").Action()
}

// TestHelpAndAbout: the help lists the shortcuts from the menu and says
// where the data lives; the About names the version, Go, Fyne, the store
// and its schema.
func TestHelpAndAbout(t *testing.T) {
	st := sampleStore(t)
	a := test.NewApp()
	t.Cleanup(a.Quit)
	w, err := New(a, st, Options{Sync: true, Version: "1.2.3", DefaultStore: "/home/u/.local/share/quyhoach/quyhoach.db"})
	if err != nil {
		t.Fatal(err)
	}
	h := w.ShowHelp()
	if len(h.Tabs.Items) != 6 {
		t.Fatalf("%d tabs", len(h.Tabs.Items))
	}
	var keys []string
	for _, s := range h.Shortcuts {
		keys = append(keys, s[0]+" "+s[1])
	}
	all := strings.Join(keys, "\n")
	for _, want := range []string{"Ctrl+O " + tr("Open store…"), "Ctrl+Z " + tr("Undo"), "Ctrl+P " + tr("Print…"), "Ctrl+Shift+N " + tr("New store…"), "Ctrl+0 " + tr("Whole plan")} {
		if !strings.Contains(all, strings.TrimSuffix(want, "…")) {
			t.Errorf("the shortcuts lack %q:\n%s", want, all)
		}
	}
	for _, want := range []string{st.Path(), "/home/u/.local/share/quyhoach/quyhoach.db", "preferences.json"} {
		if !strings.Contains(h.Data.Text, want) {
			t.Errorf("where the data lives lacks %q: %s", want, h.Data.Text)
		}
	}
	h.Tabs.SelectIndex(helpEditTab)
	h.dlg.Hide()
	v, _ := st.SchemaVersion(context.Background())
	ab := w.ShowAbout()
	for _, want := range []string{"1.2.3", "go1.", "Fyne ", st.Path(), strconv.Itoa(v)} {
		if !strings.Contains(ab.Text, want) {
			t.Errorf("About lacks %q: %s", want, ab.Text)
		}
	}
	menuItem(t, w, "help.shortcuts").Action()
}
