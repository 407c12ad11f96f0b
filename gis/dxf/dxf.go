// Package dxf reads and writes AutoCAD DXF drawings (ASCII, R12 to 2018)
// as the zone's planning drawings need them: every drawing entity a plan
// is drawn with — polylines, lines, arcs, circles, ellipses, splines,
// hatches, texts — flattened to paths in metres, blocks expanded, texts
// decoded to Unicode (legacy TCVN3 and VNI fonts included). Binary DXF and
// DWG are refused with a message saying to save as DXF.
//
// Input is hostile until read: line length, vertices per entity, the
// vertices and entities of a whole drawing (blocks expanded) and block
// nesting are capped, so a bad file gives an error naming its line, never a
// panic or unbounded memory. See INTERNALS.md for the choices.
package dxf

import (
	"fmt"

	"github.com/paulmach/orb"

	"quyhoach/gis/vntext"
)

// Drawing is a DXF file read: its model-space entities with blocks
// expanded, in metres, and what its header and tables say.
type Drawing struct {
	Version  string  // $ACADVER, e.g. AC1015 (R2000); "" for an R12 file without it
	Units    int     // $INSUNITS: 0 unitless, 4 mm, 5 cm, 6 m, …
	Scale    float64 // metres per drawing unit applied to every coordinate
	CodePage string  // $DWGCODEPAGE, e.g. ANSI_1258
	// Extent is $EXTMIN–$EXTMAX in metres, when the header has them.
	Extent    orb.Bound
	HasExtent bool
	Layers    []Layer // the LAYER table, then layers used but not declared
	Styles    []Style // the STYLE table
	Entities  []Entity
	// Notes say what the reader assumed, e.g. metres for a drawing whose
	// $INSUNITS names a unit that is not metric.
	Notes []string
	// Ignored counts model-space entities of types not read (DIMENSION,
	// VIEWPORT, IMAGE, 3DSOLID, …) by type; paper-space entities are not
	// counted.
	Ignored map[string]int
}

// Layer is a CAD layer.
type Layer struct {
	Name   string
	Color  int  // ACI colour; negative when the layer is off
	Frozen bool // frozen layers are read all the same
}

// Style is a text style: its font file or TrueType family, which tells a
// legacy Vietnamese encoding (.VnTime: TCVN3, VNI-Times: VNI).
type Style struct {
	Name string
	Font string // font file (group 3) or TrueType family name (ACAD XDATA), e.g. ".VnTime"
}

// Entity is one drawing entity, flattened. Coordinates are metres in the
// drawing's world coordinates (WCS x, y; z dropped).
type Entity struct {
	Type   string // DXF type: LWPOLYLINE, POLYLINE, LINE, ARC, CIRCLE, ELLIPSE, SPLINE, HATCH, TEXT, MTEXT, ATTRIB, POINT, INSERT
	Layer  string // its layer; an entity of a block on layer 0 takes its INSERT's
	Handle string // its handle; for an entity of a block, the outermost INSERT's
	Line   int    // the line of the file where it starts; for an entity of a block, the outermost INSERT's
	Block  string // the block it was inserted from, "" in model space
	// Closed tells a closed path: a polyline with its closed flag, a circle,
	// a whole ellipse, a closed spline.
	Closed bool
	// Path is the flattened line or outline; a closed path repeats its first
	// point at the end.
	Path []orb.Point
	// Rings are a HATCH's boundary loops, each closed, in the file's order.
	Rings []orb.Ring
	// Text is a TEXT, MTEXT or ATTRIB's text: formatting codes stripped,
	// MTEXT paragraphs joined with "\n", decoded to Unicode NFC.
	Text string
	// At is a text's insertion point (for justified TEXT, its alignment
	// point), a POINT, an INSERT's insertion point, a CIRCLE's centre.
	At     orb.Point
	Height float64 // text height, m
	// Data is the extended data this program writes (AppID): the id and
	// properties of the plan feature an entity was written from.
	Data []string
}

// Options tune Read.
type Options struct {
	// Tolerance is the largest distance in metres between a flattened arc
	// or curve and the true one (the chord's sagitta). Zero or less means
	// DefaultTolerance.
	Tolerance float64
	// Scale overrides $INSUNITS: metres per drawing unit (0.001 for a
	// drawing in millimetres). Zero: from $INSUNITS, metres when unitless.
	Scale float64
	// Encoding overrides the decoding of texts: UTF-8, CP1258 or CP1252
	// instead of the file's code page, or TCVN3 or VNI for every text
	// whatever its font. Auto: the file's code page ($DWGCODEPAGE, UTF-8 from
	// AutoCAD 2007 on) and each text's font for TCVN3 and VNI.
	Encoding vntext.Encoding
	// Limits; zero means the default.
	MaxVertices      int // per entity; DefaultMaxVertices
	MaxTotalVertices int // in the whole drawing, blocks expanded; DefaultMaxTotalVertices
	MaxEntities      int // in the whole drawing, blocks expanded; DefaultMaxEntities
}

// Defaults of Options.
const (
	DefaultTolerance        = 0.01 // 1 cm
	DefaultMaxVertices      = 200_000
	DefaultMaxTotalVertices = 20_000_000
	DefaultMaxEntities      = 5_000_000
	maxBlockDepth           = 16
	maxLine                 = 1 << 20 // bytes in one line
)

// Error is a drawing that cannot be read, with the line of the file it
// was found at (0 when it concerns the whole file).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("dxf: line %d: %s", e.Line, e.Msg)
	}
	return "dxf: " + e.Msg
}

// UnitScale returns metres per unit of a metric $INSUNITS code: 4 mm,
// 5 cm, 14 dm, 6 m, 15 dam, 16 hm, 7 km, and 0 (unitless) taken as
// metres. Other codes (inches, feet, …) are false: a VN-2000 drawing is
// metric, and GDAL writes $INSUNITS 1 (inches) into every DXF it makes.
func UnitScale(insunits int) (float64, bool) {
	switch insunits {
	case 0, 6:
		return 1, true
	case 4:
		return 0.001, true
	case 5:
		return 0.01, true
	case 14:
		return 0.1, true
	case 15:
		return 10, true
	case 16:
		return 100, true
	case 7:
		return 1000, true
	}
	return 0, false
}
