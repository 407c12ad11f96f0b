package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
)

// trace tells Options.OnTrace what is shown and where the named controls
// are: "page 3 draft badge=812,64,96,36 submit=…", each rectangle x,y,w,h
// in canvas units from the window's top left. The rectangles are told once
// the controls are laid out: measured twice, traceSettle apart, every one
// placed, sized and where it was (a window not yet on screen, a dialog
// still opening, lays them out again). The script .ci/window-dossier
// clicks the rectangles and waits for the frames that show each result.
func (w *Window) trace(event string, controls map[string]fyne.CanvasObject) {
	w.traceWith(func() string { return event }, controls)
}

// traceWith is trace with the event written when the rectangles are told
// (the map's view, say, settles with them).
func (w *Window) traceWith(event func() string, controls map[string]fyne.CanvasObject) {
	if w.opts.OnTrace == nil {
		return
	}
	var last string
	var measure func(tries int)
	measure = func(tries int) {
		rects, placed := traceRects(controls)
		if placed && rects == last || tries == 0 {
			w.opts.OnTrace(strings.TrimSpace(event() + " " + rects))
			return
		}
		last = rects
		time.AfterFunc(traceSettle, func() { onUI(func() { measure(tries - 1) }) })
	}
	onUI(func() { measure(50) })
}

// traceSettle is how long the controls' places must hold before they are told.
const traceSettle = 120 * time.Millisecond

// traceRects writes the rectangles of the visible controls by name, and
// whether each is placed (not at the canvas's corner) and has a size.
func traceRects(controls map[string]fyne.CanvasObject) (string, bool) {
	d := fyne.CurrentApp().Driver()
	names := make([]string, 0, len(controls))
	for n := range controls {
		names = append(names, n)
	}
	sort.Strings(names)
	var parts []string
	placed := true
	for _, n := range names {
		o := controls[n]
		if o == nil || !o.Visible() {
			continue
		}
		p, s := d.AbsolutePositionForObject(o), o.Size()
		placed = placed && (p.X > 0 || p.Y > 0) && s.Width > 0 && s.Height > 0
		parts = append(parts, fmt.Sprintf("%s=%d,%d,%d,%d", n, int(p.X), int(p.Y), int(s.Width), int(s.Height)))
	}
	return strings.Join(parts, " "), placed
}
