package dxf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"quyhoach/gis/vntext"
)

// Read reads an ASCII DXF drawing. Model-space entities are returned in
// file order with every INSERT expanded in place (nested blocks, MINSERT
// grids), curves flattened within the tolerance, coordinates scaled to
// metres. Paper-space entities are left out. A binary DXF or a DWG is
// refused with a message saying to save as DXF.
func Read(r io.Reader, o Options) (*Drawing, error) {
	var es []Entity
	d, err := Stream(r, o, func(e *Entity) error {
		es = append(es, *e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	d.Entities = es
	return d, nil
}

// Stream reads a drawing as Read does, but hands each entity to fn as it
// is read instead of keeping it, so that memory holds what fn keeps, not
// the drawing: fn may keep e's slices, but not e itself. The Drawing
// returned has no Entities. An error of fn stops the reading and is
// returned.
func Stream(r io.Reader, o Options, fn func(e *Entity) error) (*Drawing, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if err := sniff(br); err != nil {
		return nil, err
	}
	if o.Tolerance <= 0 {
		o.Tolerance = DefaultTolerance
	}
	if o.MaxVertices <= 0 {
		o.MaxVertices = DefaultMaxVertices
	}
	if o.MaxTotalVertices <= 0 {
		o.MaxTotalVertices = DefaultMaxTotalVertices
	}
	if o.MaxEntities <= 0 {
		o.MaxEntities = DefaultMaxEntities
	}
	rd := &reader{
		fn:     fn,
		s:      newScanner(br),
		o:      o,
		d:      &Drawing{Ignored: map[string]int{}},
		tc:     &textCodec{override: o.Encoding, fonts: map[string]string{}},
		blocks: map[string]*block{},
		layers: map[string]bool{},
		active: map[string]bool{},
	}
	if err := rd.read(); err != nil {
		return nil, err
	}
	return rd.d, nil
}

// ErrBinary and ErrDWG are the refusals of files that are not ASCII DXF.
var (
	ErrBinary = errors.New("dxf: a binary DXF file: save the drawing as ASCII DXF (AutoCAD: Save As → DXF, Options → ASCII)")
	ErrDWG    = errors.New("dxf: a DWG drawing, whose format is closed: save it as DXF in AutoCAD (Save As → AutoCAD DXF) or convert it with the free ODA File Converter")
)

// sniff refuses binary DXF and DWG by their first bytes.
func sniff(br *bufio.Reader) error {
	head, _ := br.Peek(22)
	switch {
	case bytes.HasPrefix(head, []byte("AutoCAD Binary DXF")):
		return ErrBinary
	case len(head) >= 6 && string(head[:4]) == "AC10" && head[4] >= '0' && head[4] <= '9':
		return ErrDWG
	}
	// Skip a UTF-8 byte-order mark.
	if bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	return nil
}

type block struct {
	name  string
	base  orb.Point
	items []*item
}

type reader struct {
	fn     func(*Entity) error
	s      *scanner
	o      Options
	d      *Drawing
	tc     *textCodec
	blocks map[string]*block
	layers map[string]bool // names in d.Layers
	active map[string]bool // blocks being expanded
	scale  float64
	verts  int // vertices emitted
	ents   int // entities emitted
	work   int // entities expanded, emitted or not
}

func (rd *reader) errorf(line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if rd.s.cut {
		msg += " (the file ends there without a line ending: truncated?)"
	}
	return &Error{line, msg}
}

func (rd *reader) read() error {
	s := rd.s
	sawSection := false
	for {
		if !s.scan() {
			if s.err != nil {
				return s.err
			}
			if !sawSection {
				return rd.errorf(0, "not a DXF file (no SECTION)")
			}
			return nil // no EOF marker: tolerated after a whole section
		}
		switch {
		case s.is(0, "EOF"):
			return nil
		case s.is(0, "SECTION"):
			sawSection = true
			if !s.scan() || s.code != 2 {
				return rd.cut("a SECTION without its name")
			}
			name := s.str()
			var err error
			switch name {
			case "HEADER":
				err = rd.header()
			case "TABLES":
				err = rd.tables()
			case "BLOCKS":
				err = rd.blockSection()
			case "ENTITIES":
				rd.settle()
				err = rd.entities()
			default:
				err = rd.skipSection(name)
			}
			if err != nil {
				return err
			}
		case s.code == 999: // comment
		default:
			if !sawSection {
				return rd.errorf(s.line, "not a DXF file: expected \"0 SECTION\", found group %d %s", s.code, quote(s.val))
			}
			return rd.errorf(s.line, "expected \"0 SECTION\" or \"0 EOF\", found group %d %s", s.code, quote(s.val))
		}
	}
}

// cut is the error for a file that ends too early.
func (rd *reader) cut(what string) error {
	if rd.s.err != nil {
		return rd.s.err
	}
	return rd.errorf(rd.s.next, "the file ends inside %s (truncated?)", what)
}

// settle fixes the scale and the text decoding once the header and tables
// are read.
func (rd *reader) settle() {
	if rd.scale != 0 {
		return
	}
	rd.scale = rd.o.Scale
	if rd.scale <= 0 {
		var ok bool
		if rd.scale, ok = UnitScale(rd.d.Units); !ok {
			rd.scale = 1
			rd.d.Notes = append(rd.d.Notes, fmt.Sprintf("$INSUNITS %d is not a metric unit: coordinates taken as metres", rd.d.Units))
		}
	}
	if rd.d.HasExtent {
		rd.d.Extent = orb.Bound{Min: orb.Point{rd.d.Extent.Min[0] * rd.scale, rd.d.Extent.Min[1] * rd.scale},
			Max: orb.Point{rd.d.Extent.Max[0] * rd.scale, rd.d.Extent.Max[1] * rd.scale}}
	}
	rd.d.Scale = rd.scale
	rd.tc.utf8 = rd.d.Version >= "AC1021"
	rd.tc.page = codePage(rd.d.CodePage)
	for _, st := range rd.d.Styles {
		rd.tc.fonts[strings.ToUpper(st.Name)] = st.Font
	}
}

func (rd *reader) skipSection(name string) error {
	for rd.s.scan() {
		if rd.s.is(0, "ENDSEC") {
			return nil
		}
	}
	return rd.cut("the " + name + " section")
}

func (rd *reader) header() error {
	s := rd.s
	var name string
	var ext [4]float64
	var haveExt [4]bool
	for s.scan() {
		switch {
		case s.is(0, "ENDSEC"):
			if haveExt[0] && haveExt[1] && haveExt[2] && haveExt[3] && ext[2] >= ext[0] && ext[3] >= ext[1] {
				rd.d.Extent = orb.Bound{Min: orb.Point{ext[0], ext[1]}, Max: orb.Point{ext[2], ext[3]}}
				rd.d.HasExtent = true
			}
			return nil
		case s.code == 9:
			name = s.str()
		case name == "$ACADVER" && s.code == 1:
			rd.d.Version = s.str()
		case name == "$DWGCODEPAGE" && s.code == 3:
			rd.d.CodePage = s.str()
		case name == "$INSUNITS" && s.code == 70:
			n, err := s.int()
			if err != nil {
				return err
			}
			rd.d.Units = n
		case (name == "$EXTMIN" || name == "$EXTMAX") && (s.code == 10 || s.code == 20):
			v, err := s.float()
			if err != nil {
				return err
			}
			i := 0
			if s.code == 20 {
				i = 1
			}
			if name == "$EXTMAX" {
				i += 2
			}
			ext[i], haveExt[i] = v, true
		}
	}
	return rd.cut("the HEADER section")
}

func (rd *reader) tables() error {
	s := rd.s
	for s.scan() {
		if s.is(0, "ENDSEC") {
			return nil
		}
		if !s.is(0, "LAYER") && !s.is(0, "STYLE") {
			continue
		}
		kind := s.str()
		var name, font, family string
		color, flags := 7, 0
		xacad := false
		for s.scan() {
			if s.code == 0 {
				s.unscan()
				break
			}
			switch s.code {
			case 2:
				name = s.str()
			case 3:
				font = s.str()
			case 62:
				color, _ = s.int()
			case 70:
				flags, _ = s.int()
			case 1001:
				xacad = s.str() == "ACAD"
			case 1000:
				if xacad && family == "" {
					family = s.str()
				}
			}
		}
		if s.err != nil {
			return s.err
		}
		switch {
		case kind == "LAYER" && name != "":
			rd.addLayer(Layer{Name: name, Color: color, Frozen: flags&1 != 0})
		case kind == "STYLE" && name != "":
			if family != "" {
				font = family // the TrueType family names the font better than its file
			}
			rd.d.Styles = append(rd.d.Styles, Style{Name: name, Font: font})
		}
	}
	return rd.cut("the TABLES section")
}

func (rd *reader) addLayer(l Layer) {
	if rd.layers[l.Name] {
		return
	}
	rd.layers[l.Name] = true
	rd.d.Layers = append(rd.d.Layers, l)
}

func (rd *reader) blockSection() error {
	s := rd.s
	for s.scan() {
		switch {
		case s.is(0, "ENDSEC"):
			return nil
		case s.is(0, "BLOCK"):
			b := &block{}
			line := s.line
			var flags int
			for s.scan() && s.code != 0 {
				switch s.code {
				case 2:
					b.name = s.str()
				case 70:
					flags, _ = s.int()
				case 10, 20:
					v, err := s.float()
					if err != nil {
						return err
					}
					b.base[s.code/10-1] = v
				}
			}
			if s.err != nil {
				return s.err
			}
			s.unscan()
			items, err := rd.items("ENDBLK", "the block "+b.name)
			if err != nil {
				return err
			}
			if b.name == "" {
				return rd.errorf(line, "a BLOCK without a name")
			}
			if flags&(4|32) == 0 { // external references are not in this file
				b.items = items
			}
			rd.blocks[strings.ToUpper(b.name)] = b
		}
	}
	return rd.cut("the BLOCKS section")
}

func (rd *reader) entities() error {
	items := 0
	for {
		it, end, err := rd.next("ENDSEC", "the ENTITIES section")
		if err != nil {
			return err
		}
		if end {
			return nil
		}
		items++
		if it == nil || it.paper {
			continue
		}
		if err := rd.emit(it, identity, nil, 0); err != nil {
			return err
		}
	}
}

// items reads entities up to "0 end" (a block's ENDBLK).
func (rd *reader) items(end, where string) ([]*item, error) {
	var out []*item
	for {
		it, done, err := rd.next(end, where)
		if err != nil {
			return nil, err
		}
		if done {
			if end == "ENDBLK" { // its own groups up to the next 0
				for rd.s.scan() && rd.s.code != 0 {
				}
				if rd.s.err != nil {
					return nil, rd.s.err
				}
				rd.s.unscan()
			}
			return out, nil
		}
		if it != nil && !it.paper {
			out = append(out, it)
			if len(out) > rd.o.MaxEntities {
				return nil, rd.errorf(it.line, "%s holds more than %d entities", where, rd.o.MaxEntities)
			}
		}
	}
}

// next reads the next entity, with the VERTEX or ATTRIB entities that
// follow a POLYLINE or INSERT; done at "0 end". Entities of types not read
// come back nil, counted in Ignored.
func (rd *reader) next(end, where string) (it *item, done bool, err error) {
	s := rd.s
	if !s.scan() {
		return nil, false, rd.cut(where)
	}
	if s.code != 0 {
		return nil, false, rd.errorf(s.line, "expected an entity (group 0) in %s, found group %d %s", where, s.code, quote(s.val))
	}
	typ := s.str()
	if typ == end {
		return nil, true, nil
	}
	line := s.line
	switch typ {
	case "LWPOLYLINE", "POLYLINE", "LINE", "ARC", "CIRCLE", "ELLIPSE", "SPLINE", "HATCH", "TEXT", "MTEXT", "ATTRIB", "POINT", "INSERT":
	case "ENDSEC", "EOF", "SECTION", "ENDBLK", "BLOCK":
		return nil, false, rd.errorf(line, "%s inside %s", typ, where)
	default:
		if err := rd.skipEntity(); err != nil {
			return nil, false, err
		}
		if where == "the ENTITIES section" {
			rd.d.Ignored[typ]++
		}
		return nil, false, nil
	}
	it, err = rd.entity(typ, line)
	if err != nil {
		return nil, false, err
	}
	switch {
	case typ == "POLYLINE":
		err = rd.vertices(it)
	case typ == "INSERT" && it.follow:
		err = rd.attribs(it)
	}
	return it, false, err
}

func (rd *reader) skipEntity() error {
	for rd.s.scan() {
		if rd.s.code == 0 {
			rd.s.unscan()
			return nil
		}
	}
	return rd.cut("an entity")
}

// vertices reads a POLYLINE's VERTEX entities up to its SEQEND.
func (rd *reader) vertices(pl *item) error {
	s := rd.s
	for {
		if !s.scan() {
			return rd.cut(fmt.Sprintf("the POLYLINE of line %d", pl.line))
		}
		if s.code != 0 {
			return rd.errorf(s.line, "expected VERTEX or SEQEND after the POLYLINE of line %d, found group %d", pl.line, s.code)
		}
		switch s.str() {
		case "SEQEND":
			return rd.skipEntity()
		case "VERTEX":
		default:
			// R12 files may omit SEQEND's predecessor checks; anything else ends it.
			s.unscan()
			return nil
		}
		var v vertex
		flags := 0
		for s.scan() && s.code != 0 {
			var err error
			switch s.code {
			case 10:
				v.x, err = s.float()
			case 20:
				v.y, err = s.float()
			case 42:
				v.bulge, err = s.float()
			case 70:
				flags, err = s.int()
			}
			if err != nil {
				return err
			}
		}
		if s.err != nil {
			return s.err
		}
		s.unscan()
		if flags&(16|128) != 0 { // spline frame control points, polyface face records
			continue
		}
		if len(pl.verts) >= rd.o.MaxVertices {
			return rd.errorf(pl.line, "POLYLINE%s has more than %d vertices", pl.name(), rd.o.MaxVertices)
		}
		pl.verts = append(pl.verts, v)
	}
}

// attribs reads an INSERT's ATTRIB entities up to its SEQEND.
func (rd *reader) attribs(ins *item) error {
	s := rd.s
	for {
		if !s.scan() {
			return rd.cut(fmt.Sprintf("the INSERT of line %d", ins.line))
		}
		switch {
		case s.is(0, "SEQEND"):
			return rd.skipEntity()
		case s.is(0, "ATTRIB"):
			a, err := rd.entity("ATTRIB", s.line)
			if err != nil {
				return err
			}
			ins.attribs = append(ins.attribs, a)
		default:
			s.unscan()
			return nil
		}
	}
}

func (it *item) name() string {
	if it.handle == "" {
		return ""
	}
	return " (handle " + it.handle + ")"
}

// item is an entity as read, before flattening: coordinates in its own
// system (OCS or WCS, drawing units).
type item struct {
	typ    string
	line   int
	layer  string
	handle string
	paper  bool
	extr   [3]float64
	elev   float64

	verts  []vertex // polylines
	flags  int
	closed bool
	segs   []seg   // curves
	loops  [][]seg // hatch boundaries
	p      [2]orb.Point
	hasP2  bool
	r      float64
	a0, a1 float64

	text   []byte
	style  string
	height float64
	just   bool

	block       string
	sx, sy, rot float64
	cols, rows  int
	dx, dy      float64
	follow      bool
	attribs     []*item

	xapp string   // the application of the extended data being read
	data [][]byte // this program's extended data (1000 strings)
}

// entity reads the groups of one entity.
func (rd *reader) entity(typ string, line int) (*item, error) {
	s := rd.s
	it := &item{typ: typ, line: line, layer: "0", extr: [3]float64{0, 0, 1}, sx: 1, sy: 1, cols: 1, rows: 1}
	var sp *spline
	if typ == "SPLINE" {
		sp = &spline{}
	}
	if typ == "MTEXT" {
		it.p[1] = orb.Point{math.NaN(), 0}
	}
	var err error
	num := func() float64 {
		if err != nil {
			return 0
		}
		var v float64
		v, err = s.float()
		return v
	}
	integer := func() int {
		if err != nil {
			return 0
		}
		var v int
		v, err = s.int()
		return v
	}
	for s.scan() {
		if s.code == 0 {
			s.unscan()
			break
		}
		switch c := s.code; {
		case c == 8:
			it.layer = s.str()
		case c == 5:
			it.handle = s.str()
		case c == 67:
			it.paper = integer() == 1
		case c == 1001:
			it.xapp = s.str()
		case c == 1000 || c > 1000 && c < 1072:
			if it.xapp == AppID && c == 1000 {
				it.data = append(it.data, s.raw())
			}
		case c == 210:
			it.extr[0] = num()
		case c == 220:
			it.extr[1] = num()
		case c == 230:
			it.extr[2] = num()
		case typ == "HATCH" && c == 91:
			n := integer()
			if err == nil {
				err = rd.hatchPaths(it, n)
			}
		case typ == "HATCH" && c == 30:
			it.elev = num()
		case typ == "HATCH":
		case typ == "LWPOLYLINE":
			switch c {
			case 90: // the vertex count: a capacity hint, trusted only so far
				if n := integer(); err == nil && n > 0 && it.verts == nil {
					it.verts = make([]vertex, 0, min(n, 1024))
				}
			case 10:
				if len(it.verts) >= rd.o.MaxVertices {
					return nil, rd.errorf(line, "LWPOLYLINE%s has more than %d vertices", it.name(), rd.o.MaxVertices)
				}
				it.verts = append(it.verts, vertex{x: num()})
			case 20, 42:
				if len(it.verts) == 0 {
					return nil, rd.errorf(s.line, "LWPOLYLINE%s: group %d before the first vertex", it.name(), c)
				}
				if c == 20 {
					it.verts[len(it.verts)-1].y = num()
				} else {
					it.verts[len(it.verts)-1].bulge = num()
				}
			case 70:
				it.flags = integer()
			case 38:
				it.elev = num()
			}
		case typ == "SPLINE":
			switch c {
			case 70:
				it.flags = integer()
				sp.closed = it.flags&1 != 0
			case 71:
				sp.degree = integer()
			case 40:
				sp.knots = append(sp.knots, num())
			case 41:
				sp.weights = append(sp.weights, num())
			case 10:
				sp.ctrl = append(sp.ctrl, orb.Point{num(), 0})
			case 20:
				if len(sp.ctrl) > 0 {
					sp.ctrl[len(sp.ctrl)-1][1] = num()
				}
			case 11:
				sp.fit = append(sp.fit, orb.Point{num(), 0})
			case 21:
				if len(sp.fit) > 0 {
					sp.fit[len(sp.fit)-1][1] = num()
				}
			}
			if len(sp.knots)+len(sp.ctrl)+len(sp.fit)+len(sp.weights) > 4*rd.o.MaxVertices {
				return nil, rd.errorf(line, "SPLINE%s has more than %d control points", it.name(), rd.o.MaxVertices)
			}
		default:
			switch c {
			case 10, 20, 11, 21:
				it.p[c%10][c/10-1] = num()
				if c == 11 || c == 21 {
					it.hasP2 = true
				}
			case 30:
				it.elev = num()
			case 40:
				if typ == "TEXT" || typ == "MTEXT" || typ == "ATTRIB" {
					it.height = num()
				} else {
					it.r = num()
				}
			case 41:
				if typ == "INSERT" {
					it.sx = num()
				} else {
					it.a0 = num()
				}
			case 42:
				if typ == "INSERT" {
					it.sy = num()
				} else {
					it.a1 = num()
				}
			case 50:
				if typ == "INSERT" || typ == "TEXT" || typ == "ATTRIB" || typ == "MTEXT" {
					it.rot = num()
				} else {
					it.a0 = num()
				}
			case 51:
				it.a1 = num()
			case 70:
				if typ == "INSERT" {
					it.cols = integer()
				} else {
					it.flags = integer()
				}
			case 71:
				if typ == "INSERT" {
					it.rows = integer()
				}
			case 44:
				it.dx = num()
			case 45:
				it.dy = num()
			case 66:
				it.follow = integer() == 1
			case 72, 73, 74:
				if typ != "MTEXT" && integer() != 0 {
					it.just = true
				}
			case 1:
				it.text = append(it.text, s.val...)
			case 3:
				if typ == "MTEXT" {
					it.text = append(it.text, s.val...)
				}
			case 2:
				if typ == "INSERT" {
					it.block = s.str()
				}
			case 7:
				it.style = s.str()
			}
			if len(it.text) > maxLine {
				return nil, rd.errorf(line, "%s%s: text longer than 1 MB", typ, it.name())
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if s.err != nil {
		return nil, s.err
	}
	if sp != nil {
		it.segs = []seg{{kind: segSpline, spline: sp}}
		it.closed = sp.closed
	}
	if typ == "LWPOLYLINE" || typ == "POLYLINE" {
		it.closed = it.flags&1 != 0
	}
	if typ == "INSERT" && (it.cols < 1 || it.rows < 1 || it.cols*it.rows > 100_000) {
		return nil, rd.errorf(line, "INSERT%s of %q: a grid of %d × %d copies", it.name(), it.block, it.cols, it.rows)
	}
	return it, nil
}

// hatchPaths reads a HATCH's n boundary paths, which come in a fixed
// order, by their counts.
func (rd *reader) hatchPaths(it *item, n int) error {
	s := rd.s
	if n < 0 || n > 100_000 {
		return rd.errorf(s.line, "HATCH%s: %d boundary paths", it.name(), n)
	}
	want := func(code int) error {
		if !s.scan() {
			return rd.cut("a HATCH")
		}
		if s.code != code {
			return rd.errorf(s.line, "HATCH%s: group %d expected in a boundary path, found group %d %s", it.name(), code, s.code, quote(s.val))
		}
		return nil
	}
	fl := func(code int) (float64, error) {
		if err := want(code); err != nil {
			return 0, err
		}
		return s.float()
	}
	in := func(code int) (int, error) {
		if err := want(code); err != nil {
			return 0, err
		}
		return s.int()
	}
	count := func(code int, limit int) (int, error) {
		n, err := in(code)
		if err == nil && (n < 0 || n > limit) {
			err = rd.errorf(s.line, "HATCH%s: count %d out of range", it.name(), n)
		}
		return n, err
	}
	total := 0
	for range n {
		flags, err := in(92)
		if err != nil {
			return err
		}
		var loop []seg
		if flags&2 != 0 { // polyline
			hasBulge, err := in(72)
			if err != nil {
				return err
			}
			if _, err := in(73); err != nil { // closed: a boundary always is
				return err
			}
			nv, err := count(93, rd.o.MaxVertices)
			if err != nil {
				return err
			}
			vs := make([]vertex, 0, min(nv, 4096))
			for range nv {
				var v vertex
				if v.x, err = fl(10); err != nil {
					return err
				}
				if v.y, err = fl(20); err != nil {
					return err
				}
				if hasBulge != 0 {
					if !s.scan() {
						return rd.cut("a HATCH")
					}
					if s.code == 42 {
						if v.bulge, err = s.float(); err != nil {
							return err
						}
					} else {
						s.unscan()
					}
				}
				vs = append(vs, v)
			}
			loop = []seg{{kind: segVertices, verts: vs}}
			total += nv
		} else {
			ne, err := count(93, rd.o.MaxVertices)
			if err != nil {
				return err
			}
			for range ne {
				typ, err := in(72)
				if err != nil {
					return err
				}
				e, err := rd.hatchEdge(it, typ, fl, in, count)
				if err != nil {
					return err
				}
				loop = append(loop, e)
			}
			total += ne
		}
		if total > rd.o.MaxVertices {
			return rd.errorf(it.line, "HATCH%s has more than %d boundary vertices", it.name(), rd.o.MaxVertices)
		}
		// Source objects (97, 330 …) and spline fit data end the path.
		for s.scan() {
			if c := s.code; c != 97 && c != 330 && c != 11 && c != 21 && c != 12 && c != 22 && c != 13 && c != 23 {
				s.unscan()
				break
			}
		}
		if s.err != nil {
			return s.err
		}
		it.loops = append(it.loops, loop)
	}
	return nil
}

func (rd *reader) hatchEdge(it *item, typ int, fl func(int) (float64, error), in func(int) (int, error), count func(int, int) (int, error)) (seg, error) {
	s := rd.s
	var e seg
	var err error
	read := func(dst *float64, code int) {
		if err == nil {
			*dst, err = fl(code)
		}
	}
	switch typ {
	case 1: // line: a two-vertex piece
		var x0, y0, x1, y1 float64
		read(&x0, 10)
		read(&y0, 20)
		read(&x1, 11)
		read(&y1, 21)
		e = seg{kind: segVertices, verts: []vertex{{x: x0, y: y0}, {x: x1, y: y1}}}
	case 2, 3: // circular or elliptic arc
		var a0, a1 float64
		read(&e.cx, 10)
		read(&e.cy, 20)
		if typ == 3 {
			read(&e.mx, 11)
			read(&e.my, 21)
			read(&e.ratio, 40)
		} else {
			read(&e.r, 40)
		}
		read(&a0, 50)
		read(&a1, 51)
		ccw := 1
		if err == nil {
			ccw, err = in(73)
		}
		if err != nil {
			return e, err
		}
		// A clockwise arc is stored with complementary angles (360 − a):
		// take it counter-clockwise from 360 − a1 to 360 − a0 and mark it to
		// be walked backwards.
		if ccw == 0 {
			a0, a1 = 360-a1, 360-a0
			e.cw = true
		}
		for a1 <= a0 {
			a1 += 360
		}
		if a1-a0 > 360 {
			a1 = a0 + 360
		}
		e.t0, e.t1 = a0*math.Pi/180, a1*math.Pi/180
		if typ == 3 {
			e.kind = segEllipse
			// The angles are angles from the major axis; the curve wants
			// parameters.
			e.t0 = angleToParam(e.ratio, e.t0)
			e.t1 = angleToParam(e.ratio, e.t1)
			for e.t1 <= e.t0 {
				e.t1 += 2 * math.Pi
			}
		} else {
			e.kind = segArc
		}
	case 4: // spline
		sp := &spline{}
		var rational, nk, nc int
		if sp.degree, err = in(94); err != nil {
			return e, err
		}
		if rational, err = in(73); err != nil {
			return e, err
		}
		if _, err = in(74); err != nil {
			return e, err
		}
		if nk, err = count(95, rd.o.MaxVertices); err != nil {
			return e, err
		}
		if nc, err = count(96, rd.o.MaxVertices); err != nil {
			return e, err
		}
		for range nk {
			var k float64
			read(&k, 40)
			sp.knots = append(sp.knots, k)
		}
		for range nc {
			var p orb.Point
			read(&p[0], 10)
			read(&p[1], 20)
			if err != nil {
				return e, err
			}
			sp.ctrl = append(sp.ctrl, p)
			if rational != 0 {
				if !s.scan() {
					return e, rd.cut("a HATCH")
				}
				if s.code == 42 {
					w, err := s.float()
					if err != nil {
						return e, err
					}
					sp.weights = append(sp.weights, w)
				} else {
					s.unscan()
				}
			}
		}
		e = seg{kind: segSpline, spline: sp}
	default:
		return e, rd.errorf(s.line, "HATCH%s: unknown boundary edge type %d", it.name(), typ)
	}
	return e, err
}

// angleToParam converts an angle from an ellipse's major axis to its
// parameter.
func angleToParam(ratio, a float64) float64 {
	if ratio == 0 {
		return a
	}
	s, c := math.Sincos(a)
	p := math.Atan2(s/ratio, c)
	// Keep the turn the angle was in, so a range stays a range.
	for p < a-math.Pi {
		p += 2 * math.Pi
	}
	for p > a+math.Pi {
		p -= 2 * math.Pi
	}
	return p
}

// Make sure the vntext package is linked for the codec's use.
var _ = vntext.Auto
