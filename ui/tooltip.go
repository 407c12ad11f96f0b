package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// tip is a button that says what it does when the pointer rests on it
// (Fyne's buttons have no tooltips): a small label beside or under it,
// shown after a moment, gone when the pointer leaves or the button is used.
type tip struct {
	widget.Button
	Text  string
	Right bool // shown right of the button (a vertical strip), else under it
	popup *widget.PopUp
	timer *time.Timer
}

// newTip makes a tool button with its tip.
func newTip(label string, icon fyne.Resource, text string, tapped func()) *tip {
	t := &tip{Text: text}
	t.Button.Text, t.Button.Icon = label, icon
	t.OnTapped = func() {
		t.stop() // a tip due is not shown over what the tap opens
		t.HideTip()
		if tapped != nil {
			tapped()
		}
	}
	t.ExtendBaseWidget(t)
	return t
}

// MouseIn shows the tip after a moment.
func (t *tip) MouseIn(e *desktop.MouseEvent) {
	t.Button.MouseIn(e)
	t.stop()
	t.timer = time.AfterFunc(600*time.Millisecond, func() { onUI(t.ShowTip) })
}

// MouseOut hides the tip.
func (t *tip) MouseOut() {
	t.Button.MouseOut()
	t.stop()
	t.HideTip()
}

func (t *tip) stop() {
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
}

// ShowTip shows the tip beside or under the button.
func (t *tip) ShowTip() {
	c := fyne.CurrentApp().Driver().CanvasForObject(t)
	if c == nil || t.popup != nil && t.popup.Visible() || !t.Visible() {
		return
	}
	l := widget.NewLabel(t.Text)
	line := l.MinSize().Width // on one line; wrapped, a label's MinSize is its narrowest
	l.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	t.popup = widget.NewPopUp(container.NewStack(bg, l), c)
	w := min(float32(360), line)
	l.Resize(fyne.NewSize(w, 0))
	pad := 2 * theme.InnerPadding() // the pop-up's own, around the label
	t.popup.Resize(fyne.NewSize(w+pad, l.MinSize().Height+pad))
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(t)
	if t.Right {
		t.popup.ShowAtPosition(pos.AddXY(t.Size().Width+4, 0))
	} else {
		t.popup.ShowAtPosition(pos.AddXY(0, t.Size().Height+2))
	}
}

// HideTip hides the tip.
func (t *tip) HideTip() {
	if t.popup != nil {
		t.popup.Hide()
		t.popup = nil
	}
}

// Shown is the tip's text when it shows, else "".
func (t *tip) Shown() string {
	if t.popup != nil && t.popup.Visible() {
		return t.Text
	}
	return ""
}
