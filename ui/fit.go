package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Text that fits: the panels' tables and lists give each column the width
// its text needs, wrap the columns that cannot have it and make each row as
// tall as its wrapped text, so nothing a person reads is cut off at the
// panel's width (issue 12). Measuring goes through a probe, so the
// wrapping measured is Fyne's own.

// LoadFaces loads the faces of the window's text on another goroutine. Fyne
// loads them at the first measure of a text: the theme's fonts and a system
// font of the language, 60–70 ms of the window's start on one core. Call it
// once the shell has set the language (NewShell), before any window: the
// store opens meanwhile, and the window waits for it before its first
// measure (facesLoaded), so the faces are never used on two goroutines at
// once.
func LoadFaces() {
	faces.once.Do(func() {
		faces.done = make(chan struct{})
		go func() {
			defer close(faces.done)
			for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
				fyne.MeasureText("Ág", theme.TextSize(), style)
			}
		}()
	})
}

var faces struct {
	once sync.Once
	done chan struct{}
}

// facesLoaded waits for LoadFaces, if it was called.
func facesLoaded() {
	if faces.done != nil {
		<-faces.done
	}
}

// probe measures wrapped text (UI goroutine only): a RichText as a wrapped
// label holds it, which keeps its size and rows itself (a label keeps them
// in its renderer, which Fyne drops a minute after it was last drawn — and
// the probe is never drawn).
var probe *widget.RichText

// textWidth is the width a label needs to show s on one line.
func textWidth(s string, bold bool) float32 {
	var w float32
	for _, line := range strings.Split(s, "\n") {
		w = max(w, fyne.MeasureText(line, theme.TextSize(), fyne.TextStyle{Bold: bold}).Width)
	}
	return w + 2*theme.InnerPadding()
}

// wordWidth is the width of the widest word of s in a label: the narrowest
// a label wrapping s can be without cutting a word. A word wider than
// longWord (an id, a path) counts as longWord: Fyne breaks it where the
// line ends rather than let it widen the column.
func wordWidth(s string, bold bool) float32 {
	var w float32
	for _, word := range strings.Fields(s) {
		w = max(w, fyne.MeasureText(word, theme.TextSize(), fyne.TextStyle{Bold: bold}).Width)
	}
	return min(w, longWord) + 2*theme.InnerPadding()
}

// longWord is the widest a word may make a column.
const longWord = 120

// lineHeight is the height of a one-line label.
func lineHeight() float32 {
	return fyne.MeasureText("Ág", theme.TextSize(), fyne.TextStyle{}).Height + 2*theme.InnerPadding()
}

// wrappedHeight is the height of a label wrapping s by words at width w.
func wrappedHeight(s string, w float32, bold bool) float32 {
	if oneLine(s, w, bold) {
		// what the probe would say, without laying it out (most rows of
		// the panels' tables and lists, at every resize)
		return lineHeight()
	}
	return probeHeight(s, w, bold)
}

// oneLine reports whether a label of width w shows s on one line.
func oneLine(s string, w float32, bold bool) bool {
	return !strings.Contains(s, "\n") && textWidth(s, bold) < w
}

// probeHeight is wrappedHeight as Fyne's label lays s out at width w.
func probeHeight(s string, w float32, bold bool) float32 {
	if probe == nil {
		probe = widget.NewRichText(&widget.TextSegment{Style: widget.RichTextStyleInline})
		probe.Wrapping = fyne.TextWrapWord
	}
	seg := probe.Segments[0].(*widget.TextSegment)
	seg.Text, seg.Style.TextStyle.Bold = s, bold
	// Fyne wraps the text at each Resize (twice) and each Refresh: s is
	// wrapped by a Resize when the width changed, else by a Refresh
	if probe.Size().Width != w {
		probe.Resize(fyne.NewSize(w, lineHeight()))
	} else {
		probe.Refresh()
	}
	return max(lineHeight(), probe.MinSize().Height)
}

// fitColumns shares width w among columns that need need[i] to show their
// text on one line: the columns that may not wrap get what they need; the
// wrapping ones share the rest fairly — each that needs less than an equal
// share gets what it needs, the others split what is left equally, not
// below least[i] (their widest word) unless the width cannot hold that
// either: then words break. Width left over when everything fits goes to
// the wrapping columns, so a table fills its panel.
func fitColumns(need, least []float32, wrap []bool, w float32) []float32 {
	out := append([]float32(nil), need...)
	rest := w
	var open []int // wrapping columns not yet given their width
	for i, n := range need {
		if wrap[i] {
			open = append(open, i)
		} else {
			rest -= n
		}
	}
	if len(open) == 0 {
		return out
	}
	for changed := true; changed && len(open) > 0; {
		changed = false
		share := rest / float32(len(open))
		for k := 0; k < len(open); k++ {
			if i := open[k]; need[i] <= share {
				out[i] = need[i]
				rest -= need[i]
				open = append(open[:k], open[k+1:]...)
				changed = true
				break
			}
		}
	}
	if len(open) > 0 {
		share := rest / float32(len(open))
		var over, wrapW float32
		for _, i := range open {
			out[i] = max(share, least[i])
			over += out[i] - share
		}
		// too narrow for whole words: the wrapping columns give up width
		// and Fyne breaks their longest words where a line ends
		for i := range out {
			if wrap[i] {
				wrapW += out[i]
			}
		}
		for i := range out {
			if wrap[i] && over > 0 {
				out[i] = max(out[i]-over*out[i]/wrapW, 2*theme.InnerPadding()+theme.TextSize())
			}
		}
		return out
	}
	// everything fits: the wrapping columns share what is left
	var wrapNeed float32
	for i, n := range need {
		if wrap[i] {
			wrapNeed += n
		}
	}
	for i := range out {
		if wrap[i] && wrapNeed > 0 {
			out[i] += rest * need[i] / wrapNeed
		}
	}
	return out
}

// textColumn is a column of a textTable.
type textColumn struct {
	Wrap  bool // its text wraps when the table is narrow; else it gets its widest text
	Right bool // aligned right (figures)
}

// textTable is a table of text that fits its width: columns as fitColumns
// shares them, rows as tall as their wrapped text; its first row may be a
// header, in bold, whose words wrap in any column. Call Update when the
// data change.
type textTable struct {
	widget.BaseWidget
	Table  *widget.Table
	cols   []textColumn
	header bool
	rows   func() int
	text   func(row, col int) string
	bold   func(row, col int) bool // nil: the header only
	width  float32                 // the width the columns were fitted to
	Widths []float32               // the columns' widths, as fitted
	// what the columns' texts need on one line, and at least (their
	// widest words, or whole when they do not wrap): measured at Update
	need, least []float32
}

func newTextTable(cols []textColumn, header bool, rows func() int, text func(row, col int) string) *textTable {
	t := &textTable{cols: cols, header: header, rows: rows, text: text}
	t.Table = widget.NewTable(func() (int, int) { return t.rows(), len(t.cols) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			l.TextStyle.Bold = t.isBold(id.Row, id.Col)
			l.Alignment = fyne.TextAlignLeading
			if t.cols[id.Col].Right {
				l.Alignment = fyne.TextAlignTrailing
			}
			l.SetText(t.text(id.Row, id.Col))
		})
	t.ExtendBaseWidget(t)
	return t
}

// CreateRenderer implements fyne.Widget.
func (t *textTable) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.Table) }

// Resize fits the columns to the new width.
func (t *textTable) Resize(s fyne.Size) {
	t.BaseWidget.Resize(s)
	if s.Width != t.width {
		t.fit()
	}
}

// MinSize is at least as wide as the columns' least widths: a panel
// narrower than that would cut their figures and words off. (A page shown
// in a side panel widens it: ui/tabpage.go.)
func (t *textTable) MinSize() fyne.Size {
	m := t.BaseWidget.MinSize()
	if len(t.least) > 0 {
		w := float32(len(t.least)-1) * theme.Padding()
		for _, l := range t.least {
			w += l
		}
		m.Width = max(m.Width, w)
	}
	return m
}

// Update fits the table to its data and shows them.
func (t *textTable) Update() {
	t.measure()
	t.fit()
	t.Table.Refresh()
}

func (t *textTable) isBold(row, col int) bool {
	if t.bold != nil {
		return t.bold(row, col)
	}
	return t.header && row == 0
}

// measure finds what the columns' texts need.
func (t *textTable) measure() {
	n := t.rows()
	need := make([]float32, len(t.cols))
	least := make([]float32, len(t.cols))
	for c, col := range t.cols {
		for r := range n {
			s, bold := t.text(r, c), t.isBold(r, c)
			if t.header && r == 0 && !col.Wrap {
				least[c] = max(least[c], wordWidth(s, bold))
				continue
			}
			need[c] = max(need[c], textWidth(s, bold))
			if col.Wrap {
				least[c] = max(least[c], wordWidth(s, bold))
			} else {
				least[c] = max(least[c], textWidth(s, bold))
			}
		}
		need[c] = max(need[c], least[c])
	}
	t.need, t.least = need, least
}

// fit gives the columns their widths and the rows their heights.
func (t *textTable) fit() {
	t.width = t.Size().Width
	if t.width <= 0 {
		return
	}
	if t.need == nil {
		t.measure()
	}
	n := t.rows()
	wrap := make([]bool, len(t.cols))
	for c, col := range t.cols {
		wrap[c] = col.Wrap
	}
	pad := theme.Padding()
	t.Widths = fitColumns(t.need, t.least, wrap, t.width-float32(len(t.cols)-1)*pad)
	for c, w := range t.Widths {
		t.Table.SetColumnWidth(c, w)
	}
	for r := range n {
		h := lineHeight()
		for c := range t.cols {
			if s := t.text(r, c); s != "" {
				h = max(h, wrappedHeight(s, t.Widths[c], t.isBold(r, c)))
			}
		}
		t.Table.SetRowHeight(r, h)
	}
}
