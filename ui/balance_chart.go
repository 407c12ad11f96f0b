package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"quyhoach/gis/diff"
	"quyhoach/gis/landuse"
	"quyhoach/gis/report"
)

// changeBars are the bars of a balance's change per land-use class: one a
// class whose area changes (rounded as the table shows it), its code, the
// change in ha and the catalogue's colour, in the table's order. The same
// bars as the board's report draws on paper (report.Bar).
func changeBars(b diff.Balance, cat *landuse.Catalogue) []report.Bar {
	var bars []report.Bar
	for _, r := range b.Rounded(2).Rows {
		if r.ChangeHa == 0 {
			continue
		}
		bar := report.Bar{Label: r.Code, Value: r.ChangeHa}
		if cl, ok := cat.Lookup(r.Code); ok {
			bar.Color = cl.RGB
		}
		bars = append(bars, bar)
	}
	return bars
}

// balanceChart draws signed values as horizontal bars about a zero axis,
// as report.BarChart does on paper: a row a bar, its label on the left,
// gains to the right of the axis, losses to the left, the value written
// beyond the bar's end, each bar in its colour.
type balanceChart struct {
	widget.BaseWidget
	Bars []report.Bar
}

func newBalanceChart() *balanceChart {
	c := &balanceChart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetBars shows bars.
func (c *balanceChart) SetBars(bars []report.Bar) {
	c.Bars = bars
	c.Refresh()
}

// chartText is the size of the chart's labels and values.
func chartText() float32 { return theme.CaptionTextSize() + 1 }

// chartRow is the height of a bar's row.
func chartRow() float32 {
	return fyne.MeasureText("Ág", chartText(), fyne.TextStyle{}).Height + 2*theme.Padding()
}

// barValue is a bar's value as written: a sign, two decimals, the
// chosen language's way.
func barValue(v float64) string { return signed(v) }

// CreateRenderer implements fyne.Widget.
func (c *balanceChart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c, axis: canvas.NewLine(theme.Color(theme.ColorNameForeground))}
	r.Refresh()
	return r
}

type chartRenderer struct {
	c      *balanceChart
	axis   *canvas.Line
	bars   []*canvas.Rectangle
	labels []*canvas.Text
	values []*canvas.Text
	objs   []fyne.CanvasObject
}

// geometry is where the chart's parts go at width w: the labels' column,
// the zero axis, and the ha a pixel stands for.
func (r *chartRenderer) geometry(w float32) (labelW, zero, perHa float32) {
	size := chartText()
	var valW float32
	lo, hi := 0.0, 0.0
	for _, b := range r.c.Bars {
		labelW = max(labelW, fyne.MeasureText(b.Label, size, fyne.TextStyle{Bold: true}).Width)
		valW = max(valW, fyne.MeasureText(barValue(b.Value), size, fyne.TextStyle{}).Width)
		lo, hi = math.Min(lo, b.Value), math.Max(hi, b.Value)
	}
	pad := theme.Padding()
	labelW += 2 * pad
	// the plot keeps room for a value beyond the longest bar on each side
	left, right := labelW+valW+2*pad, w-valW-3*pad
	plot := max(right-left, 1)
	if hi-lo <= 0 {
		return labelW, left, 0
	}
	perHa = plot / float32(hi-lo)
	return labelW, left + float32(-lo)*perHa, perHa
}

func (r *chartRenderer) Layout(s fyne.Size) {
	_, zero, perHa := r.geometry(s.Width)
	row, pad := chartRow(), theme.Padding()
	for i, b := range r.c.Bars {
		y := float32(i) * row
		l := r.labels[i]
		l.Move(fyne.NewPos(pad, y+(row-l.MinSize().Height)/2))
		end := zero + float32(b.Value)*perHa
		x0, x1 := min(zero, end), max(zero, end)
		r.bars[i].Move(fyne.NewPos(x0, y+pad))
		r.bars[i].Resize(fyne.NewSize(max(x1-x0, 1), row-2*pad))
		v := r.values[i]
		vw := v.MinSize().Width
		if b.Value >= 0 {
			v.Move(fyne.NewPos(x1+pad, y+(row-v.MinSize().Height)/2))
		} else {
			v.Move(fyne.NewPos(x0-pad-vw, y+(row-v.MinSize().Height)/2))
		}
	}
	r.axis.Position1 = fyne.NewPos(zero, 0)
	r.axis.Position2 = fyne.NewPos(zero, float32(len(r.c.Bars))*row)
}

func (r *chartRenderer) MinSize() fyne.Size {
	if len(r.c.Bars) == 0 {
		return fyne.Size{}
	}
	labelW, _, _ := r.geometry(0)
	var valW float32
	for _, b := range r.c.Bars {
		valW = max(valW, fyne.MeasureText(barValue(b.Value), chartText(), fyne.TextStyle{}).Width)
	}
	return fyne.NewSize(labelW+2*valW+60, float32(len(r.c.Bars))*chartRow())
}

func (r *chartRenderer) Refresh() {
	fg := theme.Color(theme.ColorNameForeground)
	for len(r.bars) < len(r.c.Bars) {
		r.bars = append(r.bars, canvas.NewRectangle(color.Transparent))
		r.labels = append(r.labels, canvas.NewText("", fg))
		r.values = append(r.values, canvas.NewText("", fg))
	}
	r.bars, r.labels, r.values = r.bars[:len(r.c.Bars)], r.labels[:len(r.c.Bars)], r.values[:len(r.c.Bars)]
	r.objs = r.objs[:0]
	for i, b := range r.c.Bars {
		col := b.Color
		if col.A == 0 {
			col = color.NRGBA{0x2b, 0x6c, 0xb0, 0xff}
		}
		r.bars[i].FillColor = col
		r.bars[i].StrokeColor = fg
		r.bars[i].StrokeWidth = 0.5
		r.labels[i].Text, r.labels[i].TextSize, r.labels[i].TextStyle, r.labels[i].Color = b.Label, chartText(), fyne.TextStyle{Bold: true}, fg
		r.values[i].Text, r.values[i].TextSize, r.values[i].Color = barValue(b.Value), chartText(), fg
		r.objs = append(r.objs, r.bars[i], r.labels[i], r.values[i])
	}
	r.axis.StrokeColor, r.axis.StrokeWidth = fg, 1
	if len(r.c.Bars) > 0 {
		r.objs = append(r.objs, r.axis)
	}
	r.Layout(r.c.Size())
	for _, o := range r.objs {
		o.Refresh()
	}
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *chartRenderer) Destroy() {}
