package ui

import (
	"fmt"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis"
)

// rect is an area of the canvas, absolute.
type rect struct{ x0, y0, x1, y1 float32 }

func (r rect) and(o rect) rect {
	return rect{max(r.x0, o.x0), max(r.y0, o.y0), min(r.x1, o.x1), min(r.y1, o.y1)}
}

// cutTexts lists the texts a person cannot read whole at the size the
// window has, under the objects of within (all: nil). A text is cut when
// Fyne shortened it (an ellipsis, a clip), when it runs out of any object
// that holds it to the left or right (its label, cell, column, panel or
// scroll: no horizontal scrolling either), or when its wrapped lines run
// out of the bottom of its label or cell. Text scrolled out of a scroll's
// view vertically is not cut; user input (entries) is not looked at.
func cutTexts(c fyne.Canvas, within ...fyne.CanvasObject) []string {
	var out []string
	report := func(inside bool, format string, args ...any) {
		if inside {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	isWithin := func(o fyne.CanvasObject) bool {
		for _, w := range within {
			if o == w {
				return true
			}
		}
		return within == nil
	}
	big := rect{-1e9, -1e9, 1e9, 1e9}
	// hard: every holder's rect (its sides bound the text; its bottom, the
	// text's own widget's); view: what the scrolls show
	var walk func(o fyne.CanvasObject, at fyne.Position, hard, view rect, inside bool)
	walk = func(o fyne.CanvasObject, at fyne.Position, hard, view rect, inside bool) {
		if o == nil || !o.Visible() {
			return
		}
		inside = inside || isWithin(o)
		p := at.Add(o.Position())
		r := rect{p.X, p.Y, p.X + o.Size().Width, p.Y + o.Size().Height}
		if r.y1 <= view.y0 || r.y0 >= view.y1 {
			return // scrolled out of view
		}
		sides := rect{max(hard.x0, r.x0), r.y0, min(hard.x1, r.x1), r.y1}
		switch o := o.(type) {
		case *widget.Entry, *escEntry, *widget.SelectEntry:
			return
		case *widget.RichText:
			checkRichText(o, p, sides, view, func(f string, a ...any) { report(inside, f, a...) })
			return
		case *canvas.Text:
			checkText(o, p, rect{hard.x0, hard.y0, hard.x1, hard.y1}, view, func(f string, a ...any) { report(inside, f, a...) })
			return
		case *container.Scroll:
			walk(o.Content, p, sides, view.and(r), inside)
			return
		case *fyne.Container:
			for _, k := range o.Objects {
				walk(k, p, sides, view, inside)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(o).Objects() {
				walk(k, p, sides, view, inside)
			}
		}
	}
	walk(c.Content(), fyne.Position{}, big, big, false)
	for _, o := range c.Overlays().List() {
		walk(o, fyne.Position{}, big, big, false)
	}
	return out
}

// checkRichText reports a rich text Fyne shortened, or whose lines run out
// of its room (hard: its own rect, the sides of its holders) sideways or
// below.
func checkRichText(t *widget.RichText, at fyne.Position, hard, view rect, report func(string, ...any)) {
	var shown strings.Builder
	var texts []*canvas.Text
	var collect func(o fyne.CanvasObject)
	collect = func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *canvas.Text:
			texts = append(texts, o)
		case *fyne.Container:
			for _, k := range o.Objects {
				collect(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(o).Objects() {
				collect(k)
			}
		}
	}
	for _, o := range test.WidgetRenderer(t).Objects() {
		collect(o)
	}
	for _, tx := range texts {
		if tx.Visible() {
			shown.WriteString(tx.Text)
		}
	}
	full := t.String()
	if squeeze(shown.String()) != squeeze(full) {
		report("%q shown as %q", full, shown.String())
		return
	}
	for _, tx := range texts {
		if tx.Visible() && tx.Text != "" {
			checkText(tx, at.Add(tx.Position()), hard, view, func(f string, a ...any) { report(f+" (of %q)", append(a, full)...) })
		}
	}
}

// checkText reports a text that runs out of hard sideways or below, or
// of the scrolls' view sideways.
func checkText(t *canvas.Text, at fyne.Position, hard, view rect, report func(string, ...any)) {
	if t.Text == "" {
		return
	}
	sz := fyne.MeasureText(t.Text, t.TextSize, t.TextStyle)
	x0, x1 := at.X, at.X+sz.Width
	if t.Alignment != fyne.TextAlignLeading { // placed within its own width
		switch t.Alignment {
		case fyne.TextAlignCenter:
			x0 = at.X + (t.Size().Width-sz.Width)/2
		case fyne.TextAlignTrailing:
			x0 = at.X + t.Size().Width - sz.Width
		}
		x1 = x0 + sz.Width
	}
	const slack = 1
	box := hard.and(view)
	switch {
	case x0 < box.x0-slack || x1 > box.x1+slack:
		report("%q runs out sideways: %.0f–%.0f outside %.0f–%.0f", t.Text, x0, x1, box.x0, box.x1)
	case at.Y+sz.Height > hard.y1+slack:
		report("%q runs out below its room: %.0f > %.0f", t.Text, at.Y+sz.Height, hard.y1)
	}
}

// squeeze drops white space: wrapping puts line breaks where spaces were.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// TestNothingCutOff: at the default size (1280×820), in both languages,
// every text of the plan browser, the inspector, the compare panel (the
// before → after changes, the balance of the whole plan and the adjusted
// area, the chart), the legend and the side-by-side panes' titles shows
// whole on the sample data: versions and dossiers compared, every branch
// of the browser open, lots with the most attributes inspected.
func TestNothingCutOff(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		t.Run(lang, func(t *testing.T) {
			a := test.NewApp()
			t.Cleanup(a.Quit)
			a.Preferences().SetFloat(prefWidth, 1280)
			a.Preferences().SetFloat(prefHeight, 820)
			a.Preferences().SetString(prefLanguage, lang)
			defer SetLanguage("vi")
			w, err := New(a, sampleStore(t), Options{Sync: true})
			if err != nil {
				t.Fatal(err)
			}
			w.Resize(fyne.NewSize(1280, 820))
			mine := []fyne.CanvasObject{w.Browser, w.Inspector, w.Compare, w.Legend, w.mapBox}
			look := func(what string) {
				t.Helper()
				w.Canvas().Content().Refresh()
				for _, cut := range cutTexts(w.Canvas(), mine...) {
					t.Errorf("%s: %s", what, cut)
				}
			}
			for _, p := range w.Browser.Plans() {
				for _, id := range append([]string{areaPrefix + p.Area, p.Code}, w.Browser.childUIDs(p.Code)...) {
					if w.Browser.isBranch(id) {
						w.Browser.Tree.OpenBranch(id)
					}
				}
			}
			look("the plan browser, every branch open")
			for _, id := range []string{"chi-ma#2", "truc-trung-tam#1", "dong-banh#3", "truc-trung-tam@2"} {
				if !w.Browser.Has(id) {
					continue
				}
				w.Browser.Tree.Select(id)
				if id == "truc-trung-tam@2" {
					w.CompareVersions("truc-trung-tam", 1, 2)
				}
				w.showMapTab()
				w.Right.SelectIndex(1)
				w.Compare.Tabs.SelectIndex(0)
				look(id + ": the changes")
				w.Compare.List.ScrollToBottom()
				look(id + ": the last changes")
				w.Compare.Tabs.SelectIndex(1)
				for _, scope := range w.Compare.Scope.Options {
					w.Compare.Scope.SetSelected(scope)
					look(id + ": the balance, " + scope)
					w.Compare.Table.Table.ScrollToBottom()
					look(id + ": the end of the balance, " + scope)
				}
				w.Compare.Side.SetChecked(true)
				look(id + ": side by side")
				w.Compare.Side.SetChecked(false)
				w.Right.SelectIndex(2)
				look(id + ": the legend")
				// the lots whose attributes take the most room
				l := w.shown.plan.Layer(gis.LandUseLayer)
				if l == nil {
					continue
				}
				for _, n := range []int{0, len(l.Shapes) / 2, len(l.Shapes) - 1} {
					w.Inspect(&l.Shapes[n])
					look(fmt.Sprintf("%s: the inspector, lot %s", id, l.Shapes[n].Feature.String("maDoiTuong")))
				}
			}
		})
	}
}

// TestWrappedHeightOneLine: text that fits its width is one line high
// without the probe, as the probe lays it out; text that does not fit is
// measured by the probe.
func TestWrappedHeightOneLine(t *testing.T) {
	test.NewTempApp(t)
	texts := []string{"Khu trung tâm", "Phiên bản 12 — điều chỉnh cục bộ khu công nghiệp Đồng Bành", "ĐỒNG ĐĂNG", "a"}
	for _, s := range texts {
		for _, bold := range []bool{false, true} {
			one := textWidth(s, bold)
			for _, w := range []float32{one - 1, one + 0.5, one + 1, one + 40, 2 * one} {
				if got, want := wrappedHeight(s, w, bold), probeHeight(s, w, bold); got != want {
					t.Errorf("%q at %.1f (one line %.1f), bold %v: %.1f high, the probe says %.1f", s, w, one, bold, got, want)
				}
			}
		}
	}
}

// TestProbeHeightAsALabel: the probe, kept between measures, says how high
// a label made for the text is at that width, whatever it measured before.
func TestProbeHeightAsALabel(t *testing.T) {
	test.NewTempApp(t)
	texts := []string{"Phiên bản 12 — điều chỉnh cục bộ khu công nghiệp Đồng Bành", "a", "Quy hoạch phân khu xây dựng cửa khẩu Hữu Nghị (1/2000)", "ĐỒNG ĐĂNG\nKhu trung tâm"}
	for _, w := range []float32{90, 90, 160, 60, 300, 160} {
		for _, s := range texts {
			for _, bold := range []bool{false, true} {
				l := widget.NewLabel(s)
				l.Wrapping, l.TextStyle.Bold = fyne.TextWrapWord, bold
				l.Resize(fyne.NewSize(w, lineHeight()))
				want := max(lineHeight(), l.MinSize().Height)
				if got := probeHeight(s, w, bold); got != want {
					t.Errorf("%q at %.0f, bold %v: the probe says %.1f, a label is %.1f high", s, w, bold, got, want)
				}
			}
		}
		// Fyne drops the renderers of what was not drawn for a minute:
		// the probe, never drawn, measures the same after that
		t.Run("renderer dropped", func(t *testing.T) { test.TempWidgetRenderer(t, probe) })
		l := widget.NewLabel(texts[0])
		l.Wrapping = fyne.TextWrapWord
		l.Resize(fyne.NewSize(w, lineHeight()))
		if got, want := probeHeight(texts[0], w, false), max(lineHeight(), l.MinSize().Height); got != want {
			t.Errorf("at %.0f, its renderer dropped, the probe says %.1f, a label is %.1f high", w, got, want)
		}
	}
}
