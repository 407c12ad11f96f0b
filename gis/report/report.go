// Package report lays out official A4 documents in the house style — the
// administrative letterhead, headings, paragraphs, tables that run over
// pages, a map extract at true scale, the signature block, numbered pages —
// and draws them through render's surfaces: a vector PDF with the fonts
// embedded, or a raster preview.
package report

import (
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"time"

	"quyhoach/gis/landuse"
	"quyhoach/gis/render"
)

// Page geometry of an A4 portrait page, mm: margins as Vietnamese
// administrative documents set them (Nghị định 30/2020: left 30–35, right
// 15–20, top and bottom 20–25).
const (
	PageW, PageH = 210.0, 297.0
	MarginLeft   = 30.0
	MarginRight  = 15.0
	MarginTop    = 20.0
	MarginBottom = 20.0
	// Width is the width of the text block.
	Width = PageW - MarginLeft - MarginRight
)

// Text sizes, em in mm (1 pt = 0.3528 mm).
const (
	pt       = 0.3528
	BodySize = 12 * pt // body text
	SmallPt  = 9 * pt  // tables, notes
)

// Document is an A4 document: its blocks flow from page to page.
type Document struct {
	Title     string
	Created   time.Time
	Fonts     render.Fonts
	Catalogue *landuse.Catalogue // land-use classes of map extracts
	// Footer is written at the bottom of every page, left of "Trang i/n".
	Footer string
	Blocks []Block
}

// Block is a part of a document: Letterhead, Heading, Paragraph, Fields,
// Table, MapExtract, Signature, Space.
type Block interface {
	// items lays the block out on a text block w mm wide.
	items(dst render.Surface, w float64, cat *landuse.Catalogue) []item
}

// item is an unbreakable piece of a laid-out block.
type item struct {
	h    float64
	draw func(dst render.Surface, x, y float64)
	// repeat is drawn first when the item opens a page (a table's header).
	repeat *item
	// keep keeps the item on the page of the next one (a heading).
	keep bool
	// shrink, when set, returns the item made to fit h, if it can be (a
	// map extract down to its least height).
	shrink func(h float64) (item, bool)
}

// page lists the items of a page with their y.
type page []placed

type placed struct {
	it *item
	y  float64
}

// layout breaks the laid-out items into pages.
func (d *Document) layout(dst render.Surface) []page {
	var its []*item
	for _, b := range d.Blocks {
		for _, it := range b.items(dst, Width, d.Catalogue) {
			it := it
			its = append(its, &it)
		}
	}
	bottom := PageH - MarginBottom - footerRoom
	var pages []page
	var cur page
	y := MarginTop
	for i := 0; i < len(its); i++ {
		it := its[i]
		need, last := it.h, i
		// a heading goes with what follows it
		for j := i; j < len(its) && its[j].keep && j+1 < len(its); j++ {
			need += its[j+1].h
			last = j + 1
		}
		// what does not fit the rest of the page may fit it smaller
		if l := its[last]; y+need > bottom && len(cur) > 0 && l.shrink != nil {
			if small, ok := l.shrink(bottom - y - (need - l.h)); ok {
				its[last] = &small
				need += small.h - l.h
			}
		}
		if y+need > bottom && len(cur) > 0 {
			pages = append(pages, cur)
			cur, y = nil, MarginTop
			if it.repeat != nil {
				cur = append(cur, placed{it.repeat, y})
				y += it.repeat.h
			}
		}
		it = its[i]
		cur = append(cur, placed{it, y})
		y += it.h
	}
	if len(cur) > 0 || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// footerRoom is the height kept at the bottom of a page for the footer.
const footerRoom = 6.0

// draw draws page i of n.
func (d *Document) draw(dst render.Surface, p page, i, n int) {
	// fpdf keeps the last dash pattern from page to page while render.PDF
	// starts each page believing it solid: set a dash and clear it again
	// (with invisible strokes) so every stroke is drawn as it asks.
	reset := render.Line(0, 0, 0, 0)
	dst.Stroke(reset, render.Pen{Color: white, Width: 0.01, Dash: []float64{1, 1}})
	dst.Stroke(reset, render.Pen{Color: white, Width: 0.01})
	for _, pl := range p {
		pl.it.draw(dst, MarginLeft, pl.y)
	}
	y := PageH - MarginBottom + 2
	size := 8 * pt
	if d.Footer != "" {
		dst.Text(render.Text{X: MarginLeft, Y: y, S: fitText(dst, d.Footer, size, false, Width-25), Size: size, Color: grey})
	}
	dst.Text(render.Text{X: PageW - MarginRight, Y: y, S: fmt.Sprintf("Trang %d/%d", i+1, n), Size: size, Color: grey, Align: render.Right})
}

// Write draws the document as a vector PDF, A4 portrait pages, text in the
// embedded fonts.
func (d *Document) Write(w io.Writer) error {
	if len(d.Blocks) == 0 {
		return errors.New("report: empty document")
	}
	pdf, err := render.NewPDF(d.Fonts)
	if err != nil {
		return err
	}
	pdf.SetInfo(d.Title, cmp.Or(d.Created, time.Now()))
	pages := d.layout(pdf)
	for i, p := range pages {
		pdf.AddPage(PageW, PageH)
		d.draw(pdf, p, i, len(pages))
		if err := pdf.Err(); err != nil {
			return fmt.Errorf("report: page %d: %w", i+1, err)
		}
	}
	return pdf.Output(w)
}

// Preview draws the pages on rasters at dpi dots per inch, through the
// same drawing as the PDF.
func (d *Document) Preview(dpi float64) ([]*image.RGBA, error) {
	k := dpi / 25.4
	w, h := int(math.Ceil(PageW*k-1e-9)), int(math.Ceil(PageH*k-1e-9))
	newCanvas := func() (*render.Canvas, error) {
		c := render.NewCanvas(render.View{Width: w, Height: h, Scale: 1}, color.White)
		return c, c.SetFonts(d.Fonts)
	}
	c, err := newCanvas()
	if err != nil {
		return nil, err
	}
	pages := d.layout(render.Scaled{S: c, K: k})
	out := make([]*image.RGBA, len(pages))
	for i, p := range pages {
		if i > 0 {
			if c, err = newCanvas(); err != nil {
				return nil, err
			}
		}
		d.draw(render.Scaled{S: c, K: k}, p, i, len(pages))
		out[i] = c.Dst
	}
	return out, nil
}

// Colours of the document.
var (
	black   = color.NRGBA{0, 0, 0, 0xff}
	grey    = color.NRGBA{0x55, 0x55, 0x55, 0xff}
	shade   = color.NRGBA{0xe8, 0xe8, 0xe8, 0xff}
	red     = color.NRGBA{0xd0, 0x00, 0x00, 0xff}
	white   = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	gridC   = color.NRGBA{0x1f, 0x4e, 0x8c, 0xff}
	lineGap = 1.35 // line height as a multiple of the text size
)
