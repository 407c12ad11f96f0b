package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
)

// TestTabPagesPlacedWhenFirstShown: the side panels' pages not looked at
// are not laid out or measured and ask for no room, but the widest of each
// (Settings, Site info), which set the panels' widths; a page chosen is
// placed at its tab's size, shown and hidden with its tab, and its tab
// still names it (the menu finds it).
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
			case !lazy && ti.Content != w.Settings && ti.Content != w.Site.Tabs:
				t.Errorf("%s is made at once", ti.Text)
			}
		}
	}
	legend := w.Right.Items[2]
	if tabContent(legend) != w.Legend {
		t.Fatal("the Legend tab does not name its page")
	}
	w.Right.SelectIndex(2) // View → Panels → Legend
	if !legend.Content.(*tabPage).placed || !w.Legend.Visible() {
		t.Fatal("the legend was not placed when chosen")
	}
	if got, want := w.Legend.Size(), legend.Content.Size(); got != want || got.Width <= 0 {
		t.Errorf("the legend is %v in a tab of %v", got, want)
	}
	if got, want := legend.Content.MinSize(), w.Legend.MinSize(); got != want {
		t.Errorf("the legend shown asks for %v, its content for %v", got, want)
	}
	w.Right.SelectIndex(0)
	if legend.Content.Visible() || w.Legend.Visible() {
		t.Error("the legend stayed shown behind another tab")
	}
	w.Right.SelectIndex(2)
	if !w.Legend.Visible() {
		t.Error("the legend, chosen again, is not shown")
	}
}

// TestSidePanelsShowTheirTabs: at 1 024 × 640 and 1 280 × 820 the right
// panel shows the titles of its four tabs and the left one of its first
// four (the fifth, Settings, behind "…", is also in the View menu): the
// widest page of each sets its width, as when every page counted.
func TestSidePanelsShowTheirTabs(t *testing.T) {
	for _, size := range []fyne.Size{{Width: 1024, Height: 640}, {Width: 1280, Height: 820}} {
		a := test.NewApp()
		t.Cleanup(a.Quit)
		a.Preferences().SetFloat(prefWidth, float64(size.Width))
		a.Preferences().SetFloat(prefHeight, float64(size.Height))
		w, err := New(a, sampleStore(t), Options{Sync: true})
		if err != nil {
			t.Fatal(err)
		}
		w.Canvas().Content().Refresh()
		for _, side := range []struct {
			tabs *container.AppTabs
			n    int
		}{{w.Left, 4}, {w.Right, 4}} {
			shown := map[string]bool{}
			var walk func(o fyne.CanvasObject, depth int)
			walk = func(o fyne.CanvasObject, depth int) { // the tab bar, not the page
				if !o.Visible() || depth > 6 {
					return
				}
				switch x := o.(type) {
				case *canvas.Text:
					shown[x.Text] = true
				case *fyne.Container:
					for _, c := range x.Objects {
						walk(c, depth+1)
					}
				case fyne.Widget:
					for _, c := range test.WidgetRenderer(x).Objects() {
						walk(c, depth+1)
					}
				}
			}
			walk(side.tabs, 0)
			for _, ti := range side.tabs.Items[:side.n] {
				if !shown[ti.Text] {
					t.Errorf("%v: the tab %q is not in view (panel %.0f wide)", size, ti.Text, side.tabs.Size().Width)
				}
			}
		}
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
