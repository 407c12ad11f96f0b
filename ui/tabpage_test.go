package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestTabPagesPlacedWhenFirstShown: the side panels' pages not looked at
// are not laid out or measured and ask for no room, but the site
// information, which sets the right panel's width; a page chosen is placed
// at its tab's size, and its tab still names it (the menu finds it).
func TestTabPagesPlacedWhenFirstShown(t *testing.T) {
	w := testWindow(t, sampleStore(t), Options{Sync: true})
	for _, tabs := range []*container.AppTabs{w.Left, w.Right} {
		for i, ti := range tabs.Items {
			p, lazy := ti.Content.(*tabPage)
			switch {
			case i == tabs.SelectedIndex() && (!lazy || !p.placed):
				t.Errorf("%s, shown, is not placed", ti.Text)
			case i != tabs.SelectedIndex() && lazy && (p.placed || p.MinSize() != fyne.Size{}):
				t.Errorf("%s, not shown yet, is placed or asks for %v", ti.Text, p.MinSize())
			case !lazy && ti.Content != w.Site.Tabs:
				t.Errorf("%s is made at once", ti.Text)
			}
		}
	}
	if w.Right.MinSize().Width < w.Site.Tabs.MinSize().Width {
		t.Error("the site information does not set the right panel's width")
	}
	settings := w.Left.Items[4]
	if tabContent(settings) != w.Settings {
		t.Fatal("the Settings tab does not name its page")
	}
	w.selectLeft(w.Settings) // View → Settings
	if w.Left.SelectedIndex() != 4 || !settings.Content.(*tabPage).placed || !w.Settings.Visible() {
		t.Fatal("the settings page was not placed when chosen")
	}
	if got, want := w.Settings.Size(), settings.Content.Size(); got != want || got.Width <= 0 {
		t.Errorf("the settings page is %v in a tab of %v", got, want)
	}
	if got, want := settings.Content.MinSize(), w.Settings.MinSize(); got != want {
		t.Errorf("the settings page shown asks for %v, its content for %v", got, want)
	}
	w.Left.SelectIndex(0)
	if settings.Content.Visible() {
		t.Error("the settings page stayed shown behind another tab")
	}
}

// TestTextTableAsksForItsColumns: a table is at least as wide as its
// figures (never wrapped) and its widest wrapped words, so the panel it is
// shown in gives it that room.
func TestTextTableAsksForItsColumns(t *testing.T) {
	test.NewTempApp(t)
	rows := [][]string{{"Loại đất", "Diện tích (ha)"}, {"Đất ở đô thị mới", "1.234.567,89"}, {"Đất cây xanh", "12,00"}}
	tb := newTextTable([]textColumn{{Wrap: true}, {Right: true}}, true, func() int { return len(rows) }, func(r, c int) string { return rows[r][c] })
	empty := tb.MinSize()
	tb.Update()
	want := wordWidth("Đất ở đô thị mới", false) + textWidth("1.234.567,89", false)
	if got := tb.MinSize().Width; got < want || got <= empty.Width {
		t.Errorf("the table asks for %.1f wide, its columns need %.1f (empty %.1f)", got, want, empty.Width)
	}
	tb.Resize(fyne.NewSize(tb.MinSize().Width, 200))
	if tb.Widths[1] < textWidth("1.234.567,89", false) {
		t.Errorf("at its least width the figures get %.1f of %.1f", tb.Widths[1], textWidth("1.234.567,89", false))
	}
}

// TestFacesLoadedBesideTheStore: the window's text faces load on another
// goroutine (LoadFaces, as the program starts) and the window is made only
// once they are (go test -race: no face used on two goroutines at once).
func TestFacesLoadedBesideTheStore(t *testing.T) {
	LoadFaces()
	w := testWindow(t, sampleStore(t), Options{Sync: true})
	select {
	case <-faces.done:
	default:
		t.Error("the window was made before the faces were loaded")
	}
	if w.Browser.MinSize().Width <= 0 {
		t.Error("the window measured no text")
	}
}
