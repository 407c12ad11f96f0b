package render

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PDF is a vector PDF document whose pages are Surfaces in millimetres,
// text in embedded subsets of the given TrueType fonts (selectable,
// extractable UTF-8).
type PDF struct {
	doc              *fpdf.Fpdf
	fill, draw, text color.NRGBA
	width            float64
	dash             []float64
	font             string
	size             float64
	hasBold          bool
	m                *metrics
	ops              []byte     // a path's operators, written to the page at once (path)
	pts              [][2]int64 // a subpath's vertices as written, hundredths of a point (path)

	// Layers (pdflayers.go): those being drawn, the one drawn on, and
	// those finished, spliced in at Output.
	layers []*form
	layer  *form
	forms  []placedForm
	state  []byte // a layer path's state operators
}

// Font family names inside the PDF.
const (
	pdfFamily = "NotoSans"
)

// NewPDF starts an empty document with the fonts embedded (Regular is
// required; Bold falls back to Regular).
func NewPDF(fonts Fonts) (*PDF, error) {
	if len(fonts.Regular) == 0 {
		return nil, errors.New("render: pdf: no font")
	}
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "mm", Size: fpdf.SizeType{Wd: 210, Ht: 297}})
	doc.SetAutoPageBreak(false, 0)
	doc.SetMargins(0, 0, 0)
	doc.SetCompression(true)
	doc.SetCatalogSort(true) // fonts and objects in a fixed order: the same request, the same bytes
	doc.AddUTF8FontFromBytes(pdfFamily, "", fonts.Regular)
	m, err := newMetrics(fonts)
	if err != nil {
		return nil, err
	}
	p := &PDF{doc: doc, width: -1, m: m}
	if len(fonts.Bold) > 0 {
		doc.AddUTF8FontFromBytes(pdfFamily, "B", fonts.Bold)
		p.hasBold = true
	}
	if err := doc.Error(); err != nil {
		return nil, fmt.Errorf("render: pdf: %w", err)
	}
	doc.SetCreator("quyhoach", true)
	doc.SetProducer("quyhoach (fpdf)", true)
	return p, nil
}

// SetInfo sets the document's title and its creation date.
func (p *PDF) SetInfo(title string, created time.Time) {
	p.doc.SetTitle(title, true)
	p.doc.SetCreationDate(created)
	p.doc.SetModificationDate(created)
}

// AddPage starts a page of w × h mm; drawing goes to it.
func (p *PDF) AddPage(w, h float64) {
	// "P" takes the size as given, landscape included ("L" would swap it).
	p.doc.AddPageFormat("P", fpdf.SizeType{Wd: w, Ht: h})
	// fpdf repeats its state on a new page; ours restarts.
	p.fill, p.draw, p.text, p.width, p.dash, p.font, p.size = color.NRGBA{}, color.NRGBA{}, color.NRGBA{}, -1, nil, "", 0
	p.doc.SetFillColor(0, 0, 0)
	p.doc.SetDrawColor(0, 0, 0)
	p.doc.SetTextColor(0, 0, 0)
	p.doc.SetLineJoinStyle("round")
	p.doc.SetLineCapStyle("butt")
	p.doc.SetDashPattern(nil, 0) // fpdf carries the last page's dash over: solid, as p.dash says
}

// Output writes the document, the map layers spliced in.
func (p *PDF) Output(w io.Writer) error {
	defer p.Close()
	if len(p.forms) == 0 {
		if err := p.doc.Output(w); err != nil {
			return fmt.Errorf("render: pdf: %w", err)
		}
		return nil
	}
	var doc bytes.Buffer
	if err := p.doc.Output(&doc); err != nil {
		return fmt.Errorf("render: pdf: %w", err)
	}
	return spliceForms(w, doc.Bytes(), p.forms)
}

// Close lets go of the map layers' temporary files (Output does it).
func (p *PDF) Close() {
	for _, l := range p.layers {
		l.finish()
		l.discard()
	}
	for _, f := range p.forms {
		f.discard()
	}
	p.layers, p.layer, p.forms = nil, nil, nil
}

func (p *PDF) fail(err error) { p.doc.SetError(err) }

// Err is the first error met while drawing.
func (p *PDF) Err() error { return p.doc.Error() }

func (p *PDF) setFill(c color.NRGBA) {
	if c != p.fill {
		p.fill = c
		p.doc.SetFillColor(int(c.R), int(c.G), int(c.B))
	}
	p.alpha(c)
}

func (p *PDF) alpha(c color.NRGBA) {
	if c.A < 0xff {
		p.doc.SetAlpha(float64(c.A)/255, "Normal")
	}
}

func (p *PDF) resetAlpha(c color.NRGBA) {
	if c.A < 0xff {
		p.doc.SetAlpha(1, "Normal")
	}
}

func (p *PDF) path(pa Path, closed bool, paint string, fill *color.NRGBA, pen *Pen) {
	// The operators fpdf's MoveTo/LineTo/ClosePath would write ("x y m",
	// "x y l", "h": points, y up, two decimals), made here in one buffer
	// and written at once: fpdf formats each number through a new string
	// with strconv's exact fixed-precision path, most of a large sheet's
	// time. In a layer (a walked plan's bulk), a vertex that the output's
	// precision cannot tell from the straight line between its neighbours
	// is left out (onLine): a fifth of the vertices of lots whose sides
	// carry their neighbours' corners. The page's own paths keep every
	// vertex (the same bytes as before layers).
	k := p.doc.GetConversionRatio()
	_, h := p.doc.GetPageSize()
	b := p.ops[:0]
	for _, s := range pa.Subpaths {
		if len(s) < 2 {
			continue
		}
		q := p.pts[:0]
		for _, v := range s {
			q = append(q, [2]int64{hundredths(v.X * k), hundredths((h - v.Y) * k)})
		}
		p.pts = q
		last, thin := 0, p.layer != nil
		for i, v := range q {
			if thin && i > 0 && i < len(q)-1 && i-last <= maxDropped && between(q[last:i+2]) {
				continue
			}
			last = i
			b = appendHundredths(b, v[0])
			b = append(b, ' ')
			b = appendHundredths(b, v[1])
			if i == 0 {
				b = append(b, " m\n"...)
			} else {
				b = append(b, " l\n"...)
			}
		}
		if closed {
			b = append(b, "h\n"...)
		}
	}
	p.ops = b
	if len(b) == 0 {
		return
	}
	b = append(b, paint...)
	if p.layer != nil {
		p.layerPath(append(b, '\n'), fill, pen)
		return
	}
	p.doc.RawWriteStr(string(b))
}

// maxDropped bounds a run of vertices left out in a row (between checks
// each of them against the run's chord).
const maxDropped = 64

// between tells whether the vertices inside q all lie on the chord from
// its first to its last (onLine): the chord drawn instead of them.
func between(q [][2]int64) bool {
	a, c := q[0], q[len(q)-1]
	for _, v := range q[1 : len(q)-1] {
		if !onLine(a, v, c) {
			return false
		}
	}
	return true
}

// onLine tells whether v, between a and c on a path (in hundredths of a
// point, as written), lies on the segment a–c within half a hundredth:
// leaving it out moves the drawing by less than writing it rounds it. A
// vertex that turns back (a spike) is kept.
func onLine(a, v, c [2]int64) bool {
	dx, dy := c[0]-a[0], c[1]-a[1]
	px, py := v[0]-a[0], v[1]-a[1]
	if dx == 0 && dy == 0 {
		return px == 0 && py == 0
	}
	if px*dx+py*dy < 0 || (v[0]-c[0])*dx+(v[1]-c[1])*dy > 0 {
		return false
	}
	cross := float64(dx*py - dy*px)
	return 4*cross*cross <= float64(dx*dx+dy*dy)
}

// hundredths is v rounded to hundredths, as appendPt writes it.
func hundredths(v float64) int64 { return int64(math.Round(v * 100)) }

// appendPt appends v with two decimals, as "%.2f" writes it (a value a
// rounding error away from a half hundredth may round the other way: a
// ten-thousandth of a point).
func appendPt(b []byte, v float64) []byte { return appendHundredths(b, hundredths(v)) }

// appendHundredths appends n hundredths with two decimals.
func appendHundredths(b []byte, n int64) []byte {
	if n < 0 {
		b = append(b, '-')
		n = -n
	}
	b = strconv.AppendInt(b, n/100, 10)
	f := n % 100
	return append(b, '.', byte('0'+f/10), byte('0'+f%10))
}

// Fill fills the rings of pa with c (even-odd, so holes stay empty).
func (p *PDF) Fill(pa Path, c color.NRGBA) {
	if c.A == 0 {
		return
	}
	if p.layer != nil {
		p.path(pa, true, "f*", &c, nil)
		return
	}
	p.setFill(c)
	p.path(pa, true, "f*", nil, nil)
	p.resetAlpha(c)
}

// Stroke draws pa with pen.
func (p *PDF) Stroke(pa Path, pen Pen) {
	if pen.Color.A == 0 || pen.Width <= 0 {
		return
	}
	if p.layer != nil {
		p.path(pa, pa.Closed, "S", nil, &pen)
		return
	}
	if pen.Color != p.draw {
		p.draw = pen.Color
		p.doc.SetDrawColor(int(pen.Color.R), int(pen.Color.G), int(pen.Color.B))
	}
	if pen.Width != p.width {
		p.width = pen.Width
		p.doc.SetLineWidth(pen.Width)
	}
	if !sameDash(pen.Dash, p.dash) {
		p.dash = pen.Dash
		p.doc.SetDashPattern(pen.Dash, 0)
	}
	p.alpha(pen.Color)
	p.path(pa, pa.Closed, "S", nil, nil)
	p.resetAlpha(pen.Color)
}

func sameDash(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func (p *PDF) setFont(size float64, bold bool) {
	style := ""
	if bold && p.hasBold {
		style = "B"
	}
	if style != p.font || size != p.size {
		p.font, p.size = style, size
		p.doc.SetFont(pdfFamily, style, 10)
		p.doc.SetFontUnitSize(size)
	}
}

// Text writes t as real text in the embedded font.
func (p *PDF) Text(t Text) {
	if t.S == "" || t.Size <= 0 {
		return
	}
	p.setFont(t.Size, t.Bold)
	if t.Color != p.text {
		p.text = t.Color
		p.doc.SetTextColor(int(t.Color.R), int(t.Color.G), int(t.Color.B))
	}
	x := t.X
	switch t.Align {
	case Center:
		x -= p.TextWidth(t.S, t.Size, t.Bold) / 2
	case Right:
		x -= p.TextWidth(t.S, t.Size, t.Bold)
	}
	p.doc.Text(x, t.Y, t.S)
}

// TextWidth is the width of s in mm at em size size, measured from the
// fonts: it writes nothing on the page.
func (p *PDF) TextWidth(s string, size float64, bold bool) float64 {
	return p.m.width(s, size, bold && p.hasBold)
}

// Clip limits drawing to a rectangle until Unclip.
func (p *PDF) Clip(x, y, w, h float64) {
	p.doc.ClipRect(x, y, w, h, false)
	// The clip saves the graphics state; colours set inside are lost after.
}

// Unclip ends the last Clip.
func (p *PDF) Unclip() {
	p.doc.ClipEnd()
	// ClipEnd restores the graphics state from before Clip: forget ours.
	p.fill, p.draw, p.width, p.dash = color.NRGBA{1, 2, 3, 4}, color.NRGBA{1, 2, 3, 4}, -1, []float64{-1}
	p.text, p.font, p.size = color.NRGBA{1, 2, 3, 4}, "?", 0
}
