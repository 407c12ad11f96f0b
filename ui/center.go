package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// centerTab is one view of the window's middle: its button and content.
type centerTab struct {
	Button  *widget.Button
	Content fyne.CanvasObject
}

// centerTabs switches the window's middle between the map, the dashboard
// and a dossier's page: a row of buttons over a stack of which one is
// shown. (Not container.AppTabs: the map and its overlays ask for their
// place on the canvas while they are laid out, and AppTabs would be asked
// to make its renderer again from inside making it.)
type centerTabs struct {
	widget.BaseWidget
	Items      []*centerTab
	bar        *fyne.Container
	stack      *fyne.Container
	selected   *centerTab
	OnSelected func(*centerTab)
}

func newCenterTabs() *centerTabs {
	c := &centerTabs{bar: container.NewHBox(), stack: container.NewStack()}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer implements fyne.Widget.
func (c *centerTabs) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(c.bar, nil, nil, nil, c.stack))
}

// Append adds a view; the first one added is shown.
func (c *centerTabs) Append(title string, content fyne.CanvasObject) *centerTab {
	t := &centerTab{Content: content}
	t.Button = widget.NewButton(title, func() { c.Select(t) })
	c.Items = append(c.Items, t)
	c.bar.Add(t.Button)
	c.stack.Add(content)
	if c.selected == nil {
		c.Select(t)
	} else {
		content.Hide()
	}
	return t
}

// Remove takes a view away; the first one is shown if it was.
func (c *centerTabs) Remove(t *centerTab) {
	for i, x := range c.Items {
		if x == t {
			c.Items = append(c.Items[:i], c.Items[i+1:]...)
			c.bar.Remove(t.Button)
			c.stack.Remove(t.Content)
			if c.selected == t && len(c.Items) > 0 {
				c.selected = nil
				c.Select(c.Items[0])
			}
			return
		}
	}
}

// Has reports whether t is one of the views.
func (c *centerTabs) Has(t *centerTab) bool {
	for _, x := range c.Items {
		if x == t {
			return true
		}
	}
	return false
}

// SetContent replaces a view's content and title.
func (c *centerTabs) SetContent(t *centerTab, title string, content fyne.CanvasObject) {
	t.Button.SetText(title)
	if t.Content != content {
		c.stack.Remove(t.Content)
		t.Content = content
		c.stack.Add(content)
		if c.selected != t {
			content.Hide()
		}
	}
}

// Select shows a view.
func (c *centerTabs) Select(t *centerTab) {
	if c.selected == t {
		return
	}
	c.selected = t
	for _, x := range c.Items {
		if x == t {
			x.Content.Show()
			x.Button.Importance = widget.HighImportance
		} else {
			x.Content.Hide()
			x.Button.Importance = widget.MediumImportance
		}
		x.Button.Refresh()
	}
	c.stack.Refresh()
	if c.OnSelected != nil {
		c.OnSelected(t)
	}
}

// SelectIndex shows view i.
func (c *centerTabs) SelectIndex(i int) {
	if i >= 0 && i < len(c.Items) {
		c.Select(c.Items[i])
	}
}

// Selected is the view shown.
func (c *centerTabs) Selected() *centerTab { return c.selected }
