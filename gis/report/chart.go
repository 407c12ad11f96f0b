package report

import (
	"image/color"
	"math"

	"quyhoach/gis"
	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// Bar is one bar of a BarChart.
type Bar struct {
	Label string
	Value float64
	Color color.NRGBA // zero: the document's blue
}

// BarChart is a horizontal bar chart of signed values about a zero axis:
// one labelled bar a row, its value written at its end the Vietnamese way
// (with a sign), a scale of ticks below.
type BarChart struct {
	Title    string
	Bars     []Bar
	Unit     string // written after the tick values, e.g. "ha"
	Decimals int    // of the values written
}

// chart geometry, mm
const (
	barRow    = 6.0  // height of a bar's row
	labelCol  = 0.34 // share of the width for the bars' labels
	chartSize = 8 * pt
)

func (c BarChart) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	if len(c.Bars) == 0 {
		return nil
	}
	lo, hi := 0.0, 0.0
	for _, b := range c.Bars {
		lo, hi = math.Min(lo, b.Value), math.Max(hi, b.Value)
	}
	if lo == hi {
		hi = 1
	}
	step := niceStep((hi - lo) / 4)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	title := chartTitle(dst, c.Title, w)
	h := title + float64(len(c.Bars))*barRow + 9
	return []item{{h: h, draw: func(dst render.Surface, x, y float64) {
		drawChartTitle(dst, c.Title, x, y, w)
		y += title
		lx := x + w*labelCol
		pw := w - w*labelCol - 18 // room for the value written beyond the longest bar
		at := func(v float64) float64 { return lx + (v-lo)/(hi-lo)*pw }
		for i, b := range c.Bars {
			ry := y + float64(i)*barRow
			dst.Text(render.Text{X: lx - 1.5, Y: ry + barRow*0.68, S: fitText(dst, b.Label, chartSize, false, w*labelCol-2),
				Size: chartSize, Color: black, Align: render.Right})
			x0, x1 := at(0), at(b.Value)
			col := b.Color
			if col.A == 0 {
				col = gridC
			}
			left, width := math.Min(x0, x1), math.Abs(x1-x0)
			if width > 0 {
				dst.Fill(render.Rect(left, ry+1, width, barRow-2), col)
				dst.Stroke(render.Rect(left, ry+1, width, barRow-2), render.Pen{Color: black, Width: 0.15})
			}
			val, al, vx := gis.FormatVN(b.Value, c.Decimals), render.Left, math.Max(x0, x1)+1
			if b.Value > 0 {
				val = "+" + val
			}
			if b.Value < 0 && x1-1 > lx+0.1*pw {
				al, vx = render.Right, x1-1
			}
			dst.Text(render.Text{X: vx, Y: ry + barRow*0.68, S: val, Size: chartSize, Color: black, Align: al})
		}
		bottom := y + float64(len(c.Bars))*barRow
		axis := render.Pen{Color: black, Width: 0.25}
		dst.Stroke(render.Line(at(0), y, at(0), bottom), axis)
		dst.Stroke(render.Line(lx, bottom, lx+pw, bottom), axis)
		for v := lo; v <= hi+step/2; v += step {
			tx := at(v)
			dst.Stroke(render.Line(tx, bottom, tx, bottom+1.2), axis)
			dst.Text(render.Text{X: tx, Y: bottom + 4, S: gis.FormatVN(v, tickDecimals(step)), Size: chartSize * 0.9, Color: grey, Align: render.Center})
		}
		if c.Unit != "" {
			dst.Text(render.Text{X: lx + pw + 2, Y: bottom + 4, S: c.Unit, Size: chartSize * 0.9, Color: grey})
		}
	}}}
}

// Series is one series of a ColumnChart: its name in the legend, its colour.
type Series struct {
	Name  string
	Color color.NRGBA
}

// ColumnChart is a chart of stacked columns: one column a category (a
// month), its parts the series (kinds of step), whole numbers on a scale
// at the left, the categories below, a legend of the series under it.
type ColumnChart struct {
	Title      string
	Categories []string
	Series     []Series
	Values     [][]float64 // [category][series]
	Height     float64     // of the plot, mm; 0: 55
}

func (c ColumnChart) items(dst render.Surface, w float64, _ *landuse.Catalogue) []item {
	if len(c.Categories) == 0 || len(c.Series) == 0 {
		return nil
	}
	ph := c.Height
	if ph <= 0 {
		ph = 55
	}
	top := 1.0
	for _, vs := range c.Values {
		sum := 0.0
		for _, v := range vs {
			sum += v
		}
		top = math.Max(top, sum)
	}
	step := math.Max(1, niceStep(top/5))
	top = math.Ceil(top/step) * step
	title := chartTitle(dst, c.Title, w)
	legendRows := int(math.Ceil(float64(len(c.Series)) / 4))
	h := title + ph + 8 + float64(legendRows)*5 + 2
	return []item{{h: h, draw: func(dst render.Surface, x, y float64) {
		drawChartTitle(dst, c.Title, x, y, w)
		y += title
		px, pw := x+10, w-12
		bottom := y + ph
		axis := render.Pen{Color: black, Width: 0.25}
		for v := 0.0; v <= top+step/2; v += step {
			ty := bottom - v/top*ph
			dst.Stroke(render.Line(px, ty, px+pw, ty), render.Pen{Color: shade, Width: 0.2})
			dst.Text(render.Text{X: px - 1.5, Y: ty + 1, S: gis.FormatVN(v, 0), Size: chartSize * 0.9, Color: grey, Align: render.Right})
		}
		dst.Stroke(render.Line(px, y, px, bottom), axis)
		dst.Stroke(render.Line(px, bottom, px+pw, bottom), axis)
		slot := pw / float64(len(c.Categories))
		for i, cat := range c.Categories {
			cx := px + float64(i)*slot
			cy := bottom
			for s := range c.Series {
				v := 0.0
				if i < len(c.Values) && s < len(c.Values[i]) {
					v = c.Values[i][s]
				}
				if v <= 0 {
					continue
				}
				bh := v / top * ph
				dst.Fill(render.Rect(cx+slot*0.18, cy-bh, slot*0.64, bh), c.Series[s].Color)
				dst.Stroke(render.Rect(cx+slot*0.18, cy-bh, slot*0.64, bh), render.Pen{Color: white, Width: 0.15})
				cy -= bh
			}
			if total := bottom - cy; total > 0 {
				sum := 0.0
				for s := range c.Series {
					if i < len(c.Values) && s < len(c.Values[i]) {
						sum += c.Values[i][s]
					}
				}
				dst.Text(render.Text{X: cx + slot/2, Y: cy - 0.8, S: gis.FormatVN(sum, 0), Size: chartSize * 0.85, Color: black, Align: render.Center})
			}
			dst.Text(render.Text{X: cx + slot/2, Y: bottom + 3.8, S: fitText(dst, cat, chartSize*0.85, false, slot), Size: chartSize * 0.85, Color: black, Align: render.Center})
		}
		ly := bottom + 9
		colW := w / 4
		for s, se := range c.Series {
			lx, ry := x+float64(s%4)*colW, ly+float64(s/4)*5
			dst.Fill(render.Rect(lx, ry-2.6, 4, 3), se.Color)
			dst.Text(render.Text{X: lx + 5.5, Y: ry, S: fitText(dst, se.Name, chartSize, false, colW-7), Size: chartSize, Color: black})
		}
	}}}
}

// chartTitle is the height of a chart's title (none: 2 mm of space).
func chartTitle(dst render.Surface, title string, w float64) float64 {
	if title == "" {
		return 2
	}
	return float64(len(wrapLines(dst, title, chartSize*1.1, true, w)))*chartSize*1.1*lineGap + 3
}

func drawChartTitle(dst render.Surface, title string, x, y, w float64) {
	size := chartSize * 1.1
	for i, ln := range wrapLines(dst, title, size, true, w) {
		dst.Text(render.Text{X: x + w/2, Y: y + size + float64(i)*size*lineGap, S: ln.s, Size: size, Bold: true, Color: black, Align: render.Center})
	}
}

// tickDecimals is how many decimals a scale's step needs.
func tickDecimals(step float64) int {
	d := 0
	for d < 4 && math.Abs(step*math.Pow(10, float64(d))-math.Round(step*math.Pow(10, float64(d)))) > 1e-9 {
		d++
	}
	return d
}
