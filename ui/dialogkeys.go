package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Dialogs and the keyboard. Esc closes the dialog on top as its Cancel or
// Close button does, and while a dialog is up the menu's shortcuts do
// nothing (Ctrl+P twice would otherwise stack a second print dialog behind
// the first, which nothing but the mouse can reach). Fyne's dialogs know
// neither, and a popup's Hide skips the dialog's callback, so a dialog
// shown through showDialog is remembered by the overlay it puts on its
// window's canvas, and Esc hides the dialog itself.

type shownDialog struct {
	d dialog.Dialog
	c fyne.Canvas
}

// shownDialogs maps each dialog's overlay to it (UI goroutine only).
var shownDialogs = map[fyne.CanvasObject]shownDialog{}

// showDialog shows d over parent and remembers it for Esc and the menu.
func showDialog(d dialog.Dialog, parent fyne.Window) {
	d.Show()
	if parent == nil {
		return
	}
	c := parent.Canvas()
	pruneDialogs(c)
	if top := c.Overlays().Top(); top != nil {
		shownDialogs[top] = shownDialog{d: d, c: c}
	}
}

// pruneDialogs forgets the dialogs of c that are no longer shown.
func pruneDialogs(c fyne.Canvas) {
	on := map[fyne.CanvasObject]bool{}
	for _, o := range c.Overlays().List() {
		on[o] = o.Visible()
	}
	for o, s := range shownDialogs {
		if s.c == c && !on[o] {
			delete(shownDialogs, o)
		}
	}
}

// dismissTopDialog closes the dialog on top of c, if one shown through
// showDialog is; it reports whether it did.
func dismissTopDialog(c fyne.Canvas) bool {
	if c == nil {
		return false
	}
	top := c.Overlays().Top()
	s, ok := shownDialogs[top]
	if !ok || top == nil || !top.Visible() {
		return false
	}
	delete(shownDialogs, top)
	s.d.Hide()
	return true
}

// dialogUp reports whether a dialog shown through showDialog is over c.
func dialogUp(c fyne.Canvas) bool {
	if c == nil {
		return false
	}
	pruneDialogs(c)
	for _, s := range shownDialogs {
		if s.c == c {
			return true
		}
	}
	return false
}

// escEntry is an entry that lets Esc close the dialog it sits in (a
// focused entry takes every key, so the canvas never hears Esc while one
// has the cursor).
type escEntry struct {
	widget.Entry
}

func newEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

func newMultiLineEntry() *escEntry {
	e := newEntry()
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	return e
}

// TypedKey implements fyne.Focusable.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape {
		if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil && dismissTopDialog(c) {
			return
		}
	}
	e.Entry.TypedKey(k)
}

// keyBehindDialog is for the map and its tools, which may keep the focus
// while a dialog opens over them: with a dialog up, Esc closes it and other
// keys are not theirs (Enter must not finish a sketch behind the dialog).
func keyBehindDialog(o fyne.CanvasObject, k *fyne.KeyEvent) bool {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if !dialogUp(c) {
		return false
	}
	if k.Name == fyne.KeyEscape {
		dismissTopDialog(c)
	}
	return true
}
