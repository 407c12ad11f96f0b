package dxf

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// Doc is a drawing to write.
type Doc struct {
	Layers   []LayerDef
	Entities []Out
}

// LayerDef is a layer of a written drawing.
type LayerDef struct {
	Name  string
	Color int // ACI 1–255
}

// Kinds of written entity.
const (
	OutPolyline = iota // an LWPOLYLINE, closed or open
	OutHatch           // a solid HATCH of polyline boundaries
	OutText            // a TEXT, centred on At
	OutPoint           // a POINT
)

// Out is an entity to write, in metres.
type Out struct {
	Kind   int
	Layer  string
	Path   []orb.Point // OutPolyline
	Closed bool        // OutPolyline
	Rings  []orb.Ring  // OutHatch: the outer ring, then holes
	Text   string      // OutText
	At     orb.Point   // OutText, OutPoint
	Height float64     // OutText, m
	// Data is written as extended data of the application AppID: key=value
	// strings, read back by Read into Entity.Data. Plan features carry their
	// id and properties so, which GDAL and AutoCAD keep and ignore.
	Data []string
}

// AppID names this program's extended data.
const AppID = "QUYHOACH"

// Write writes doc as an AutoCAD R2000 (AC1015) ASCII DXF in metres
// ($INSUNITS 6), as every CAD program since 2000 opens it. R2000 predates
// UTF-8 DXF: text outside ASCII is written as \U+XXXX escapes, which
// AutoCAD, ezdxf and GDAL decode, whatever the reader's code page.
func Write(w io.Writer, doc Doc) error {
	dw := &dxfWriter{w: bufio.NewWriterSize(w, 1<<16), next: 0x100}
	dw.write(doc)
	if dw.err != nil {
		return dw.err
	}
	return dw.w.Flush()
}

type dxfWriter struct {
	w    *bufio.Writer
	err  error
	next int // the next handle
	num  []byte
}

func (d *dxfWriter) handle() string {
	d.next++
	return strconv.FormatInt(int64(d.next), 16)
}

func (d *dxfWriter) pair(code int, v string) {
	if d.err != nil {
		return
	}
	fmt.Fprintf(d.w, "%3d\n%s\n", code, v)
}

func (d *dxfWriter) int(code, v int) { d.pair(code, strconv.Itoa(v)) }

func (d *dxfWriter) float(code int, v float64) {
	d.num = strconv.AppendFloat(d.num[:0], v, 'f', -1, 64)
	if !strings.ContainsAny(string(d.num), ".") {
		d.num = append(d.num, ".0"...)
	}
	d.pair(code, string(d.num))
}

// coord writes a coordinate rounded to 0.1 mm, as a survey keeps it.
func (d *dxfWriter) coord(code int, v float64) { d.float(code, math.Round(v*1e4)/1e4) }

// Escape writes text for an R2000 file: ASCII as it is, other characters
// as \U+XXXX, and line breaks dropped.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x80:
			b.WriteRune(r)
		case r <= 0xFFFF:
			fmt.Fprintf(&b, `\U+%04X`, r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}

func (d *dxfWriter) write(doc Doc) {
	var ext orb.Bound
	first := true
	grow := func(p orb.Point) {
		if first {
			ext, first = orb.Bound{Min: p, Max: p}, false
		} else {
			ext = ext.Extend(p)
		}
	}
	for _, e := range doc.Entities {
		for _, p := range e.Path {
			grow(p)
		}
		for _, r := range e.Rings {
			for _, p := range r {
				grow(p)
			}
		}
		if e.Kind == OutText || e.Kind == OutPoint {
			grow(e.At)
		}
	}
	// Handles 1–FF are the fixed objects below; entities follow.
	d.pair(0, "SECTION")
	d.pair(2, "HEADER")
	d.pair(9, "$ACADVER")
	d.pair(1, "AC1015")
	d.pair(9, "$DWGCODEPAGE")
	d.pair(3, "ANSI_1252")
	d.pair(9, "$INSUNITS")
	d.int(70, 6)
	d.pair(9, "$EXTMIN")
	d.coord(10, ext.Min[0])
	d.coord(20, ext.Min[1])
	d.float(30, 0)
	d.pair(9, "$EXTMAX")
	d.coord(10, ext.Max[0])
	d.coord(20, ext.Max[1])
	d.float(30, 0)
	d.pair(9, "$HANDSEED")
	d.pair(5, strconv.FormatInt(int64(d.next+len(doc.Layers)+len(doc.Entities)+16), 16)) // above every handle written
	d.pair(0, "ENDSEC")
	d.pair(0, "SECTION")
	d.pair(2, "CLASSES")
	d.pair(0, "ENDSEC")

	d.pair(0, "SECTION")
	d.pair(2, "TABLES")
	d.table("VPORT", "8", 1)
	d.record("VPORT", "20", "8", "AcDbViewportTableRecord")
	d.pair(2, "*Active")
	d.int(70, 0)
	for _, c := range []struct {
		code int
		v    float64
	}{{10, 0}, {20, 0}, {11, 1}, {21, 1}} {
		d.float(c.code, c.v)
	}
	d.coord(12, (ext.Min[0]+ext.Max[0])/2)
	d.coord(22, (ext.Min[1]+ext.Max[1])/2)
	d.float(40, math.Max(ext.Max[1]-ext.Min[1], 1)*1.1)
	d.float(41, 1.4)
	d.pair(0, "ENDTAB")
	d.table("LTYPE", "2", 3)
	for i, name := range []string{"ByBlock", "ByLayer", "Continuous"} {
		d.record("LTYPE", strconv.FormatInt(int64(0x21+i), 16), "2", "AcDbLinetypeTableRecord")
		d.pair(2, name)
		d.int(70, 0)
		d.pair(3, "")
		d.int(72, 65)
		d.int(73, 0)
		d.float(40, 0)
	}
	d.pair(0, "ENDTAB")
	d.table("LAYER", "1", len(doc.Layers)+1)
	layers := append([]LayerDef{{Name: "0", Color: 7}}, doc.Layers...)
	for _, l := range layers {
		d.record("LAYER", d.handle(), "1", "AcDbLayerTableRecord")
		d.pair(2, l.Name)
		d.int(70, 0)
		d.int(62, l.Color)
		d.pair(6, "Continuous")
	}
	d.pair(0, "ENDTAB")
	d.table("STYLE", "5", 1)
	d.record("STYLE", "24", "5", "AcDbTextStyleTableRecord")
	d.pair(2, "Standard")
	d.int(70, 0)
	d.float(40, 0)
	d.float(41, 1)
	d.float(50, 0)
	d.int(71, 0)
	d.float(42, 2.5)
	d.pair(3, "arial.ttf")
	d.pair(4, "")
	d.pair(0, "ENDTAB")
	d.table("VIEW", "7", 0)
	d.pair(0, "ENDTAB")
	d.table("UCS", "6", 0)
	d.pair(0, "ENDTAB")
	d.table("APPID", "3", 2)
	for i, name := range []string{"ACAD", AppID} {
		d.record("APPID", strconv.FormatInt(int64(0x25+i), 16), "3", "AcDbRegAppTableRecord")
		d.pair(2, name)
		d.int(70, 0)
	}
	d.pair(0, "ENDTAB")
	d.table("DIMSTYLE", "4", 1)
	d.pair(100, "AcDbDimStyleTable")
	d.pair(0, "DIMSTYLE")
	d.pair(105, "27")
	d.pair(330, "4")
	d.pair(100, "AcDbSymbolTableRecord")
	d.pair(100, "AcDbDimStyleTableRecord")
	d.pair(2, "Standard")
	d.int(70, 0)
	d.pair(0, "ENDTAB")
	d.table("BLOCK_RECORD", "9", 2)
	d.record("BLOCK_RECORD", "17", "9", "AcDbBlockTableRecord")
	d.pair(2, "*Model_Space")
	d.pair(340, "1A")
	d.record("BLOCK_RECORD", "1B", "9", "AcDbBlockTableRecord")
	d.pair(2, "*Paper_Space")
	d.pair(340, "1E")
	d.pair(0, "ENDTAB")
	d.pair(0, "ENDSEC")

	d.pair(0, "SECTION")
	d.pair(2, "BLOCKS")
	for _, b := range []struct{ begin, end, owner, name string }{{"18", "19", "17", "*Model_Space"}, {"1C", "1D", "1B", "*Paper_Space"}} {
		d.pair(0, "BLOCK")
		d.pair(5, b.begin)
		d.pair(330, b.owner)
		d.pair(100, "AcDbEntity")
		d.pair(8, "0")
		d.pair(100, "AcDbBlockBegin")
		d.pair(2, b.name)
		d.int(70, 0)
		d.float(10, 0)
		d.float(20, 0)
		d.float(30, 0)
		d.pair(3, b.name)
		d.pair(1, "")
		d.pair(0, "ENDBLK")
		d.pair(5, b.end)
		d.pair(330, b.owner)
		d.pair(100, "AcDbEntity")
		d.pair(8, "0")
		d.pair(100, "AcDbBlockEnd")
	}
	d.pair(0, "ENDSEC")

	d.pair(0, "SECTION")
	d.pair(2, "ENTITIES")
	for _, e := range doc.Entities {
		d.entity(e)
	}
	d.pair(0, "ENDSEC")
	d.objects()
	d.pair(0, "EOF")
}

func (d *dxfWriter) table(name, handle string, n int) {
	d.pair(0, "TABLE")
	d.pair(2, name)
	d.pair(5, handle)
	d.pair(330, "0")
	d.pair(100, "AcDbSymbolTable")
	d.int(70, n)
}

func (d *dxfWriter) record(typ, handle, owner, class string) {
	d.pair(0, typ)
	d.pair(5, handle)
	d.pair(330, owner)
	d.pair(100, "AcDbSymbolTableRecord")
	d.pair(100, class)
}

func (d *dxfWriter) entity(e Out) {
	head := func(typ, class string) {
		d.pair(0, typ)
		d.pair(5, d.handle())
		d.pair(330, "17")
		d.pair(100, "AcDbEntity")
		d.pair(8, e.Layer)
		d.pair(100, class)
	}
	switch e.Kind {
	case OutPolyline:
		pts := e.Path
		if e.Closed && len(pts) > 1 && pts[0] == pts[len(pts)-1] {
			pts = pts[:len(pts)-1]
		}
		head("LWPOLYLINE", "AcDbPolyline")
		d.int(90, len(pts))
		flag := 0
		if e.Closed {
			flag = 1
		}
		d.int(70, flag)
		for _, p := range pts {
			d.coord(10, p[0])
			d.coord(20, p[1])
		}
	case OutHatch:
		head("HATCH", "AcDbHatch")
		d.float(10, 0)
		d.float(20, 0)
		d.float(30, 0)
		d.float(210, 0)
		d.float(220, 0)
		d.float(230, 1)
		d.pair(2, "SOLID")
		d.int(70, 1)
		d.int(71, 0)
		d.int(91, len(e.Rings))
		for i, r := range e.Rings {
			if len(r) > 1 && r[0] == r[len(r)-1] {
				r = r[:len(r)-1]
			}
			flags := 2 // polyline
			if i == 0 {
				flags |= 1 | 16 // external, outermost
			}
			d.int(92, flags)
			d.int(72, 0)
			d.int(73, 1)
			d.int(93, len(r))
			for _, p := range r {
				d.coord(10, p[0])
				d.coord(20, p[1])
			}
			d.int(97, 0)
		}
		d.int(75, 1)
		d.int(76, 1)
		d.int(98, 0)
	case OutText:
		head("TEXT", "AcDbText")
		d.coord(10, e.At[0])
		d.coord(20, e.At[1])
		d.float(30, 0)
		d.float(40, e.Height)
		d.pair(1, Escape(e.Text))
		d.int(72, 1) // centred on the alignment point
		d.coord(11, e.At[0])
		d.coord(21, e.At[1])
		d.float(31, 0)
		d.pair(100, "AcDbText")
		d.int(73, 2) // middle
	case OutPoint:
		head("POINT", "AcDbPoint")
		d.coord(10, e.At[0])
		d.coord(20, e.At[1])
		d.float(30, 0)
	}
	if len(e.Data) > 0 {
		d.pair(1001, AppID)
		for _, s := range e.Data {
			// A 1000 string holds at most 255 bytes: longer ones are
			// continued, marked by a trailing "\" that Read joins.
			s = Escape(s)
			for len(s) > 250 {
				cut := chunkEnd(s, 250)
				d.pair(1000, s[:cut]+`\`)
				s = s[cut:]
			}
			d.pair(1000, s)
		}
	}
}

// objects writes the named-object dictionary and the two layouts AutoCAD
// wants to find.
func (d *dxfWriter) objects() {
	d.pair(0, "SECTION")
	d.pair(2, "OBJECTS")
	dict := func(handle, owner string, entries ...string) {
		d.pair(0, "DICTIONARY")
		d.pair(5, handle)
		d.pair(330, owner)
		d.pair(100, "AcDbDictionary")
		d.int(281, 1)
		for i := 0; i+1 < len(entries); i += 2 {
			d.pair(3, entries[i])
			d.pair(350, entries[i+1])
		}
	}
	dict("A", "0", "ACAD_GROUP", "B", "ACAD_LAYOUT", "D")
	dict("B", "A")
	dict("D", "A", "Model", "1A", "Layout1", "1E")
	for _, l := range []struct {
		handle, name, block string
		tab                 int
	}{{"1A", "Model", "17", 0}, {"1E", "Layout1", "1B", 1}} {
		d.pair(0, "LAYOUT")
		d.pair(5, l.handle)
		d.pair(330, "D")
		d.pair(100, "AcDbPlotSettings")
		d.pair(1, "")
		d.pair(2, "none_device")
		d.pair(4, "")
		d.pair(6, "")
		for _, c := range []int{40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 140, 141} {
			d.float(c, 0)
		}
		d.float(142, 1)
		d.float(143, 1)
		d.int(70, 688)
		d.int(72, 0)
		d.int(73, 0)
		d.int(74, 5)
		d.pair(7, "")
		d.int(75, 16)
		d.int(76, 0)
		d.int(77, 2)
		d.int(78, 300)
		d.float(147, 1)
		d.float(148, 0)
		d.float(149, 0)
		d.pair(100, "AcDbLayout")
		d.pair(1, l.name)
		d.int(70, 1)
		d.int(71, l.tab)
		d.float(10, 0)
		d.float(20, 0)
		d.float(11, 420)
		d.float(21, 297)
		d.float(12, 0)
		d.float(22, 0)
		d.float(32, 0)
		d.float(14, 0)
		d.float(24, 0)
		d.float(34, 0)
		d.float(15, 0)
		d.float(25, 0)
		d.float(35, 0)
		d.float(146, 0)
		d.float(13, 0)
		d.float(23, 0)
		d.float(33, 0)
		d.float(16, 1)
		d.float(26, 0)
		d.float(36, 0)
		d.float(17, 0)
		d.float(27, 1)
		d.float(37, 0)
		d.int(76, 0)
		d.pair(330, l.block)
	}
	d.pair(0, "ENDSEC")
}

// chunkEnd is where to cut s to at most n bytes without splitting a
// \U+XXXX escape or ending on a backslash (which marks a continued string).
func chunkEnd(s string, n int) int {
	cut := n
	for i := max(cut-6, 0); i < cut; i++ {
		if strings.HasPrefix(s[i:], `\U+`) && i+7 > cut {
			cut = i
			break
		}
	}
	for cut > 1 && s[cut-1] == '\\' {
		cut--
	}
	return cut
}
