package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// A side panel's tab page joins the window's layout when its tab is first
// shown. Fyne's tabs measure every page at every layout, shown or not, so
// the window's start laid out pages nobody had looked at yet (a tenth of
// the window's first frame). A page not yet shown asks for no room: the
// panel's least width is that of the pages looked at and of its widest
// page, made at once (Window.layout).

// lazyTab is a tab whose page is placed when the tab is first shown.
func lazyTab(title string, page fyne.CanvasObject) *container.TabItem {
	return container.NewTabItem(title, newTabPage(page))
}

// sideTabs are a side panel's tabs, the first one's page placed at once
// (the panel is measured with it before the tabs first show it).
func sideTabs(items ...*container.TabItem) *container.AppTabs {
	t := container.NewAppTabs(items...)
	if p, ok := t.Selected().Content.(*tabPage); ok {
		p.placed = true
	}
	return t
}

// selectPage brings the tab showing page to the front, and says whether
// the tabs hold it. Tabs are chosen by page, never by index: editing puts
// its own tabs in front of the right panel's.
func selectPage(tabs *container.AppTabs, page fyne.CanvasObject) bool {
	for i, ti := range tabs.Items {
		if tabContent(ti) == page {
			tabs.SelectIndex(i)
			return true
		}
	}
	return false
}

// tabContent is what a tab shows: the page of a lazyTab, or the tab's
// content.
func tabContent(t *container.TabItem) fyne.CanvasObject {
	if p, ok := t.Content.(*tabPage); ok {
		return p.page
	}
	return t.Content
}

// tabPage holds a page out of the layout until it is first shown; then the
// tabs show and hide the page as if it were theirs.
type tabPage struct {
	widget.BaseWidget
	page   fyne.CanvasObject
	placed bool
}

func newTabPage(page fyne.CanvasObject) *tabPage {
	p := &tabPage{page: page}
	p.ExtendBaseWidget(p)
	p.Hidden = true // tabs show the chosen page
	return p
}

// Show places the page when it is first shown, and shows it. (The window
// lays the panel out again at its next paint if the page needs more room
// than the panel has.)
func (p *tabPage) Show() {
	if !p.placed {
		p.placed = true
		p.page.Resize(p.Size()) // the tabs sized the slot before showing it
	}
	p.Hidden = false
	p.page.Show() // what the page does when shown: a widget refreshes
}

// Hide hides the page with its slot.
func (p *tabPage) Hide() {
	p.Hidden = true
	p.page.Hide()
}

// CreateRenderer implements fyne.Widget.
func (p *tabPage) CreateRenderer() fyne.WidgetRenderer { return &tabPageRenderer{p} }

type tabPageRenderer struct{ p *tabPage }

func (r *tabPageRenderer) Layout(s fyne.Size) {
	if r.p.placed {
		r.p.page.Resize(s)
	}
}

func (r *tabPageRenderer) MinSize() fyne.Size {
	if r.p.placed {
		return r.p.page.MinSize()
	}
	return fyne.Size{}
}

func (r *tabPageRenderer) Objects() []fyne.CanvasObject {
	if r.p.placed {
		return []fyne.CanvasObject{r.p.page}
	}
	return nil
}

func (r *tabPageRenderer) Refresh() {
	if r.p.placed {
		r.p.page.Refresh()
	}
}

func (r *tabPageRenderer) Destroy() {}
