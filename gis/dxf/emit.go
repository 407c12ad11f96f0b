package dxf

import (
	"bytes"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// outer is what the entities of an expanded INSERT take from it: the
// layer that replaces layer 0, and the outermost INSERT's handle, line and
// block name, which name the place of anything inside.
type outer struct {
	layer, handle, block string
	line                 int
}

// emit flattens an item and appends it to the drawing; m maps the item's
// world coordinates (its block's, for an item of a block) to model space,
// in drawing units.
func (rd *reader) emit(it *item, m affine, o *outer, depth int) error {
	// Every entity expanded counts, kept or not, so that a grid of copies
	// of a block of things not kept still has an end.
	rd.work++
	if rd.work > 2*rd.o.MaxEntities {
		return rd.errorf(it.line, "more than %d entities (blocks expanded)", rd.o.MaxEntities)
	}
	e := Entity{Type: it.typ, Layer: it.layer, Handle: it.handle, Line: it.line, Data: rd.data(it.data)}
	if o != nil {
		if e.Layer == "0" {
			e.Layer = o.layer
		}
		e.Handle, e.Line, e.Block = o.handle, o.line, o.block
	}
	// world → metres
	toM := m.then(scaling(rd.scale, rd.scale))
	local := toM // the item's own coordinates → metres
	switch it.typ {
	case "LWPOLYLINE", "ARC", "CIRCLE", "HATCH", "TEXT", "ATTRIB", "INSERT":
		local = ocs(it.extr, it.elev).then(toM)
	case "POLYLINE":
		if it.flags&8 == 0 { // 2D polylines are in the OCS; 3D ones in the WCS
			local = ocs(it.extr, it.elev).then(toM)
		}
	}
	fl := &flattener{max: rd.o.MaxVertices}
	if k := local.stretch(); k > 0 && !math.IsInf(k, 0) {
		fl.tol = rd.o.Tolerance / k
	} else {
		fl.tol = rd.o.Tolerance
	}
	var pts []orb.Point
	switch it.typ {
	case "LWPOLYLINE", "POLYLINE":
		if it.flags&(16|64) != 0 { // polygon and polyface meshes are not plan drawing
			rd.countIgnored(it.typ+" mesh", o)
			return nil
		}
		pts = fl.path(nil, []seg{{kind: segVertices, verts: it.verts}}, it.closed)
		e.Closed = it.closed
	case "LINE":
		pts = []orb.Point{it.p[0], it.p[1]}
	case "ARC", "CIRCLE":
		a0, a1 := 0.0, 2*math.Pi
		if it.typ == "ARC" {
			a0, a1 = it.a0*math.Pi/180, it.a1*math.Pi/180
			for a1 <= a0 {
				a1 += 2 * math.Pi
			}
		}
		pts = fl.path(nil, []seg{{kind: segArc, cx: it.p[0][0], cy: it.p[0][1], r: it.r, t0: a0, t1: a1}}, false)
		e.Closed = it.typ == "CIRCLE"
		e.At = local.apply(it.p[0])
	case "ELLIPSE":
		ratio := it.r
		if it.extr[2] < 0 { // seen from below: the parameter turns the other way
			ratio = -ratio
		}
		a0, a1 := it.a0, it.a1
		for a1 <= a0 {
			a1 += 2 * math.Pi
		}
		whole := math.Abs(a1-a0-2*math.Pi) < 1e-9
		pts = fl.path(nil, []seg{{kind: segEllipse, cx: it.p[0][0], cy: it.p[0][1], mx: it.p[1][0], my: it.p[1][1], ratio: ratio, t0: a0, t1: a1}}, false)
		e.Closed = whole
	case "SPLINE":
		pts = fl.path(nil, it.segs, false)
		e.Closed = it.closed || len(pts) > 2 && pts[0] == pts[len(pts)-1]
	case "HATCH":
		for _, loop := range it.loops {
			r := rd.loop(fl, loop)
			if len(r) < 3 {
				continue
			}
			ring := make(orb.Ring, len(r), len(r)+1)
			for i, p := range r {
				ring[i] = local.apply(p)
			}
			if ring[0] != ring[len(ring)-1] {
				ring = append(ring, ring[0])
			}
			e.Rings = append(e.Rings, ring)
			rd.verts += len(ring)
		}
		if fl.over {
			return rd.errorf(e.Line, "HATCH%s: its boundary flattens to more than %d vertices", it.name(), rd.o.MaxVertices)
		}
		return rd.add(e)
	case "TEXT", "ATTRIB":
		at := it.p[0]
		if it.just && it.hasP2 {
			at = it.p[1]
		}
		e.At = local.apply(at)
		e.Height = it.height * local.stretch() / math.Sqrt2
		e.Text = rd.tc.text(it.text, it.style)
		return rd.add(e)
	case "MTEXT":
		e.At = local.apply(it.p[0])
		e.Height = it.height * local.stretch() / math.Sqrt2
		e.Text = rd.tc.mtext(it.text, it.style)
		return rd.add(e)
	case "POINT":
		e.At = local.apply(it.p[0])
		return rd.add(e)
	case "INSERT":
		return rd.insert(it, e, local, m, o, depth)
	}
	if fl.over {
		return rd.errorf(e.Line, "%s%s flattens to more than %d vertices", it.typ, it.name(), rd.o.MaxVertices)
	}
	for i, p := range pts { // pts are this entity's own: transformed in place
		pts[i] = local.apply(p)
	}
	e.Path = pts
	if e.Closed && len(e.Path) > 0 && e.Path[0] != e.Path[len(e.Path)-1] {
		e.Path = append(e.Path, e.Path[0])
	}
	if !e.Closed && len(e.Path) > 3 && e.Path[0] == e.Path[len(e.Path)-1] && (it.typ == "LWPOLYLINE" || it.typ == "POLYLINE") {
		e.Closed = true // drawn back to its start without the closed flag
	}
	rd.verts += len(e.Path)
	return rd.add(e)
}

func (rd *reader) countIgnored(typ string, o *outer) {
	if o == nil {
		rd.d.Ignored[typ]++
	}
}

// add appends an entity, within the drawing's budget.
func (rd *reader) add(e Entity) error {
	rd.ents++
	if rd.ents > rd.o.MaxEntities {
		return rd.errorf(e.Line, "more than %d entities (blocks expanded)", rd.o.MaxEntities)
	}
	if rd.verts > rd.o.MaxTotalVertices {
		return rd.errorf(e.Line, "more than %d vertices (blocks expanded)", rd.o.MaxTotalVertices)
	}
	if !rd.layers[e.Layer] {
		rd.addLayer(Layer{Name: e.Layer, Color: 7})
	}
	return rd.fn(&e)
}

// loop flattens a hatch boundary's pieces into one ring, in the hatch's
// own coordinates. Edges are walked end to end; an edge whose end meets the
// ring so far rather than its start is walked backwards.
func (rd *reader) loop(fl *flattener, loop []seg) []orb.Point {
	fl.points = 0
	var ring []orb.Point
	for i := range loop {
		s := &loop[i]
		pts := fl.seg(nil, s, len(loop) == 1 && s.kind == segVertices)
		if s.cw {
			slices.Reverse(pts)
		}
		if len(ring) > 0 && len(pts) > 1 {
			last := ring[len(ring)-1]
			if dist(last, pts[len(pts)-1]) < dist(last, pts[0]) {
				slices.Reverse(pts)
			}
		}
		for _, p := range pts {
			ring = fl.addNew(ring, p)
		}
	}
	return ring
}

func dist(a, b orb.Point) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// insert expands an INSERT: an entity for the insertion itself (a boundary
// marker is often a block), then the block's entities for every copy of a
// MINSERT grid, then its attributes.
func (rd *reader) insert(it *item, e Entity, local, m affine, o *outer, depth int) error {
	e.At = local.apply(it.p[0])
	e.Block = it.block
	if o != nil {
		e.Block = o.block
	}
	if err := rd.add(e); err != nil {
		return err
	}
	key := strings.ToUpper(it.block)
	b := rd.blocks[key]
	if b == nil {
		return rd.errorf(it.line, "INSERT%s of block %q, which the drawing does not define", it.name(), it.block)
	}
	if rd.active[key] {
		return rd.errorf(it.line, "INSERT%s: block %q inserts itself", it.name(), it.block)
	}
	if depth >= maxBlockDepth {
		return rd.errorf(it.line, "INSERT%s: blocks nested more than %d deep", it.name(), maxBlockDepth)
	}
	in := outer{layer: e.Layer, handle: e.Handle, block: it.block, line: e.Line}
	if o != nil {
		in = outer{layer: e.Layer, handle: o.handle, block: o.block, line: o.line}
	}
	rd.active[key] = true
	defer delete(rd.active, key)
	ocsM := ocs(it.extr, it.elev).then(m)
	for row := range it.rows {
		for col := range it.cols {
			// block → insertion: move the base point to the origin, scale,
			// shift to the grid cell, rotate, move to the insertion point.
			bm := translate(-b.base[0], -b.base[1]).
				then(scaling(it.sx, it.sy)).
				then(translate(float64(col)*it.dx, float64(row)*it.dy)).
				then(rotation(it.rot * math.Pi / 180)).
				then(translate(it.p[0][0], it.p[0][1])).
				then(ocsM)
			for _, sub := range b.items {
				if err := rd.emit(sub, bm, &in, depth+1); err != nil {
					return err
				}
			}
		}
	}
	for _, a := range it.attribs {
		if err := rd.emit(a, m, &in, depth); err != nil {
			return err
		}
	}
	return nil
}

// data decodes this program's extended data: strings continued over
// several groups (a trailing "\") joined.
func (rd *reader) data(raw [][]byte) []string {
	var out []string
	var cur []byte
	for _, b := range raw {
		if bytes.HasSuffix(b, []byte(`\`)) {
			cur = append(cur, b[:len(b)-1]...)
			continue
		}
		cur = append(cur, b...)
		out = append(out, unescapeUnicode(string(cur)))
		cur = cur[:0]
	}
	if len(cur) > 0 {
		out = append(out, unescapeUnicode(string(cur)))
	}
	return out
}
