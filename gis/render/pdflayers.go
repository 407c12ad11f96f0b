package render

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// A page's bulk (the lots of a province: hundreds of MB of path operators)
// goes into Form XObjects whose content is compressed as it is written, to
// an unlinked temporary file, instead of fpdf's page buffer, which holds a
// page uncompressed until Output and then compresses it whole. fpdf never
// sees the forms: Output lets fpdf write the rest of the document to
// memory and splices the forms in — their names into the shared resource
// dictionary (object 2), their objects before the cross-reference table,
// which is written again with the offsets moved.

// Layered is a surface that takes a map's bulk in several layers at once,
// painted in order when they end: a map walked once can then put all its
// fills under all its outlines (DrawMap). Text and clips stay outside.
type Layered interface {
	Surface
	// BeginLayers sends what is filled and stroked next to n layers, the
	// first chosen; Layer chooses another.
	BeginLayers(n int)
	Layer(i int)
	// EndLayers paints the layers, in order, where BeginLayers was called.
	EndLayers()
}

// layerChunk is how many bytes of operators a layer gathers before its
// compressor takes them.
const layerChunk = 1 << 20

// form is one layer: a Form XObject being written.
type form struct {
	name  string
	file  *os.File
	out   *bufio.Writer
	zw    *zlib.Writer
	size  int64 // compressed bytes written
	ops   []byte
	todo  chan []byte
	done  chan error
	free  chan []byte
	alpha map[string]string // "/ca /CA" value → ExtGState name used

	// graphics state as the form's operators set it (unknown at the start:
	// a form inherits the state of the page where it is painted)
	fill, draw color.NRGBA
	width      float64
	dash       []float64
	known      uint8 // bits: fill, draw, width, dash set
}

const (
	knowFill = 1 << iota
	knowDraw
	knowWidth
	knowDash
)

// BeginLayers starts n layers; drawing goes to the first.
func (p *PDF) BeginLayers(n int) {
	if p.layers != nil {
		p.fail(errors.New("render: pdf: layers begun twice"))
		return
	}
	if p.Err() != nil {
		return
	}
	for range n {
		f, err := newForm(fmt.Sprintf("/QHL%d", len(p.forms)+len(p.layers)+1))
		if err != nil {
			p.fail(err)
			for _, l := range p.layers {
				l.discard()
			}
			p.layers = nil
			return
		}
		p.layers = append(p.layers, f)
	}
	p.layer = p.layers[0]
}

// Layer chooses the layer drawn on.
func (p *PDF) Layer(i int) {
	if i >= 0 && i < len(p.layers) {
		p.layer = p.layers[i]
	}
}

// EndLayers finishes the layers and paints them on the page.
func (p *PDF) EndLayers() {
	ls := p.layers
	p.layers, p.layer = nil, nil
	for _, l := range ls {
		if err := l.finish(); err != nil {
			p.fail(err)
		}
	}
	if p.Err() != nil {
		for _, l := range ls {
			l.discard()
		}
		return
	}
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l.name + " Do\n")
	}
	p.doc.RawWriteStr(strings.TrimSuffix(b.String(), "\n"))
	w, h := p.doc.GetPageSize()
	k := p.doc.GetConversionRatio()
	for _, l := range ls {
		p.forms = append(p.forms, placedForm{l, w * k, h * k})
	}
}

func newForm(name string) (*form, error) {
	file, err := os.CreateTemp("", "quyhoach-print-*")
	if err != nil {
		return nil, fmt.Errorf("render: pdf: %w", err)
	}
	// Unlinked at once where the system allows (the open file stays
	// readable): a killed run leaves nothing behind.
	os.Remove(file.Name())
	f := &form{name: name, file: file, out: bufio.NewWriterSize(file, 1<<20),
		todo: make(chan []byte, 1), done: make(chan error, 1), free: make(chan []byte, 2), alpha: map[string]string{}}
	f.zw, _ = zlib.NewWriterLevel(countWriter{f.out, &f.size}, zlib.BestSpeed)
	f.ops = make([]byte, 0, layerChunk+4096)
	f.free <- make([]byte, 0, layerChunk+4096)
	go f.compress()
	return f, nil
}

// compress writes the chunks handed over until the channel closes.
func (f *form) compress() {
	var err error
	for b := range f.todo {
		if err == nil {
			_, err = f.zw.Write(b)
		}
		f.free <- b[:0]
	}
	if err == nil {
		err = f.zw.Close()
	}
	if err == nil {
		err = f.out.Flush()
	}
	f.done <- err
}

// write appends operators, handing a full chunk to the compressor.
func (f *form) write(b []byte) {
	f.ops = append(f.ops, b...)
	if len(f.ops) >= layerChunk {
		f.todo <- f.ops
		f.ops = <-f.free
	}
}

func (f *form) finish() error {
	if len(f.ops) > 0 {
		f.todo <- f.ops
		f.ops = nil
	}
	close(f.todo)
	if err := <-f.done; err != nil {
		return fmt.Errorf("render: pdf: %w", err)
	}
	return nil
}

func (f *form) discard() {
	if f.file != nil {
		f.file.Close()
		os.Remove(f.file.Name())
		f.file = nil
	}
}

type countWriter struct {
	w io.Writer
	n *int64
}

func (c countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	*c.n += int64(n)
	return n, err
}

// placedForm is a finished layer with its page's size in points.
type placedForm struct {
	*form
	w, h float64
}

// layerPath writes a path's operators, with the state they need, to the
// layer drawn on.
func (p *PDF) layerPath(ops []byte, fill *color.NRGBA, pen *Pen) {
	f := p.layer
	b := p.state[:0]
	c := fill
	if pen != nil {
		c = &pen.Color
	}
	if fill != nil && (f.known&knowFill == 0 || f.fill != *fill) {
		f.fill, f.known = *fill, f.known|knowFill
		b = appendColor(b, *fill, "rg", "g")
	}
	if pen != nil {
		if f.known&knowDraw == 0 || f.draw != pen.Color {
			f.draw, f.known = pen.Color, f.known|knowDraw
			b = appendColor(b, pen.Color, "RG", "G")
		}
		k := p.doc.GetConversionRatio()
		if f.known&knowWidth == 0 || f.width != pen.Width {
			f.width, f.known = pen.Width, f.known|knowWidth
			b = append(strconv.AppendFloat(b, pen.Width*k, 'f', 2, 64), " w\n"...)
		}
		if f.known&knowDash == 0 || !sameDash(f.dash, pen.Dash) {
			f.dash, f.known = pen.Dash, f.known|knowDash
			b = append(b, '[')
			for i, d := range pen.Dash {
				if i > 0 {
					b = append(b, ' ')
				}
				b = strconv.AppendFloat(b, d*k, 'f', 2, 64)
			}
			b = append(b, "] 0.00 d\n"...)
		}
	}
	gs := ""
	if c.A < 0xff {
		a := strconv.FormatFloat(float64(c.A)/255, 'f', 3, 64)
		if gs = f.alpha[a]; gs == "" {
			gs = fmt.Sprintf("/QHA%d", len(f.alpha)+1)
			f.alpha[a] = gs
		}
		b = append(b, gs+" gs\n"...)
	}
	f.write(b)
	f.write(ops)
	if gs != "" {
		f.write([]byte("/QHA0 gs\n")) // opaque again (QHA0: alpha 1, always in the resources)
	}
	p.state = b
}

// appendColor writes an RGB colour operator as fpdf does: gray when the
// three are equal.
func appendColor(b []byte, c color.NRGBA, rgb, gray string) []byte {
	if c.R == c.G && c.G == c.B {
		b = strconv.AppendFloat(b, float64(c.R)/255, 'f', 3, 64)
		return append(append(append(b, ' '), gray...), '\n')
	}
	for _, v := range []uint8{c.R, c.G, c.B} {
		b = append(strconv.AppendFloat(b, float64(v)/255, 'f', 3, 64), ' ')
	}
	return append(append(b, rgb...), '\n')
}

// resources is a form's resource dictionary: the opacities it uses.
func (f *form) resources() string {
	if len(f.alpha) == 0 {
		return "<<>>"
	}
	keys := make([]string, 0, len(f.alpha))
	for a := range f.alpha {
		keys = append(keys, a)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("<</ExtGState <</QHA0 <</ca 1 /CA 1>>")
	for _, a := range keys {
		fmt.Fprintf(&b, " %s <</ca %s /CA %s>>", f.alpha[a], a, a)
	}
	b.WriteString(">>>>")
	return b.String()
}

// spliceForms writes doc (fpdf's whole document) to w with the forms put
// in: their names in the resource dictionary, their objects after fpdf's,
// the cross-reference table and trailer written again.
func spliceForms(w io.Writer, doc []byte, forms []placedForm) error {
	bad := func(what string) error { return fmt.Errorf("render: pdf: cannot place the map layers: %s", what) }
	i := bytes.LastIndex(doc, []byte("startxref\n"))
	if i < 0 {
		return bad("no startxref")
	}
	xref, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(string(doc[i+len("startxref\n"):])), "%%EOF")))
	if err != nil || xref <= 0 || xref >= i || !bytes.HasPrefix(doc[xref:], []byte("xref\n0 ")) {
		return bad("no cross-reference table")
	}
	// "xref\n0 N\n", then N entries of 20 bytes, then the trailer.
	head := doc[xref+len("xref\n0 "):]
	nl := bytes.IndexByte(head, '\n')
	n, err := strconv.Atoi(string(head[:nl]))
	if nl < 0 || err != nil || n < 3 {
		return bad("bad cross-reference table")
	}
	entries := head[nl+1:]
	if len(entries) < 20*n {
		return bad("short cross-reference table")
	}
	offsets := make([]int, n)
	for j := 1; j < n; j++ {
		if offsets[j], err = strconv.Atoi(string(entries[20*j : 20*j+10])); err != nil {
			return bad("bad cross-reference entry")
		}
	}
	trailer := string(entries[20*n:])
	trailer = trailer[:strings.Index(trailer, "startxref")]
	size := fmt.Sprintf("/Size %d\n", n)
	if !strings.Contains(trailer, size) {
		return bad("no /Size in the trailer")
	}
	// Object 2 is fpdf's resource dictionary, shared by every page.
	res := offsets[2]
	at := bytes.Index(doc[res:xref], []byte("/XObject <<\n"))
	if !bytes.HasPrefix(doc[res:], []byte("2 0 obj\n")) || at < 0 {
		return bad("no resource dictionary")
	}
	at += res + len("/XObject <<\n")
	var names bytes.Buffer
	for j, f := range forms {
		fmt.Fprintf(&names, "%s %d 0 R\n", f.name, n+j)
	}
	shift := names.Len()
	bw := bufio.NewWriterSize(w, 1<<20)
	put := func(b []byte) { bw.Write(b) }
	put(doc[:at])
	put(names.Bytes())
	put(doc[at:xref])
	pos := xref + shift
	for j, f := range forms {
		offsets = append(offsets, pos)
		hd := fmt.Sprintf("%d 0 obj\n<</Type /XObject /Subtype /Form /BBox [0 0 %.2f %.2f] /Resources %s /Filter /FlateDecode /Length %d>>\nstream\n",
			n+j, f.w, f.h, f.resources(), f.size)
		put([]byte(hd))
		if _, err := f.file.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("render: pdf: %w", err)
		}
		if c, err := io.Copy(bw, f.file); err != nil || c != f.size {
			return fmt.Errorf("render: pdf: map layer: %d of %d bytes read back: %v", c, f.size, err)
		}
		tail := "\nendstream\nendobj\n"
		put([]byte(tail))
		pos += len(hd) + int(f.size) + len(tail)
	}
	fmt.Fprintf(bw, "xref\n0 %d\n0000000000 65535 f \n", len(offsets))
	for j := 1; j < len(offsets); j++ {
		o := offsets[j]
		if j < n && o >= at {
			o += shift
		}
		fmt.Fprintf(bw, "%010d 00000 n \n", o)
	}
	bw.WriteString(strings.Replace(trailer, size, fmt.Sprintf("/Size %d\n", len(offsets)), 1))
	fmt.Fprintf(bw, "startxref\n%d\n%%%%EOF\n", pos)
	return bw.Flush()
}
