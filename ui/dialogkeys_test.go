package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// Esc closes the dialog on top, and a shortcut pressed while a dialog is up
// opens no second one behind it.
func TestEscClosesDialogsAndShortcutsWait(t *testing.T) {
	w := newWindow(t, sampleStore(t))
	c := w.Canvas()
	overlays := func() int { return len(c.Overlays().List()) }
	esc := &fyne.KeyEvent{Name: fyne.KeyEscape}

	print := w.Menu.Items["file.print"].Action
	print()
	if overlays() != 1 || !dialogUp(c) {
		t.Fatalf("Ctrl+P: %d overlays, want the print dialog", overlays())
	}
	print()                              // pressed again: the dialog is up, nothing more opens
	w.Menu.Items["file.export"].Action() // nor another dialog's shortcut
	if overlays() != 1 {
		t.Fatalf("a shortcut with the print dialog up: %d overlays, want 1", overlays())
	}
	c.OnTypedKey()(esc) // nothing focused: the canvas hears Esc
	if overlays() != 0 || dialogUp(c) {
		t.Fatalf("Esc left %d overlays", overlays())
	}

	// with the cursor in a text field of the dialog, the field passes Esc on
	f := w.ShowNewPlan()
	c.Focus(f.Code)
	f.Code.TypedKey(esc)
	if overlays() != 0 {
		t.Fatalf("Esc in the new plan's code field left %d overlays", overlays())
	}
	// and a field outside any dialog keeps Esc as a field does
	w.Search.Entry.SetText("L0")
	w.Search.Entry.TypedKey(esc)
	if w.Search.Entry.Text != "L0" {
		t.Fatal("Esc in the search field changed it")
	}

	// the map keeps the focus under a dialog: Esc closes the dialog, Enter is not the map's
	c.Focus(w.Map)
	print()
	w.Map.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if overlays() != 1 {
		t.Fatalf("Enter on the map under the print dialog: %d overlays", overlays())
	}
	w.Map.TypedKey(esc)
	if overlays() != 0 {
		t.Fatalf("Esc on the map under the print dialog left %d overlays", overlays())
	}
	print()
	if overlays() != 1 {
		t.Fatal("the print dialog did not open again after Esc")
	}
}
