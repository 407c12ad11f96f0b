// Package cadplan turns a CAD drawing into plan layers, as a planning
// office reads a consultant's drawing: closed polylines and hatches of the
// lot layers become land-use lots, classed by a CAD layer → class table;
// the texts inside a lot give its code, its name and its indicators; the
// boundary, red lines, road centre lines and boundary markers come from
// their own CAD layers. What cannot be read as the plan it should be —
// open outlines on lot layers, lots without a code or with several,
// overlapping lots — is listed as problems with their place, for the
// caller to refuse or to take the valid lots only.
package cadplan

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"

	"quyhoach/gis"
	"quyhoach/gis/dxf"
	"quyhoach/gis/landuse"
	"quyhoach/gis/topo"
)

// Rules say how a drawing becomes plan layers.
type Rules struct {
	// Table maps CAD layers first (the user's table, then the store's).
	Table Table
	// Catalogue maps a CAD layer named like a class's TT 16 layer name
	// (DAT_O_Nhomnhao) or code (ONM) to that class, after Table.
	Catalogue *landuse.Catalogue
	// Presets map common CAD layer names last (RANH_GIOI → the boundary …).
	Presets Table
	// CodePattern tells a lot code among a lot's texts; nil:
	// DefaultCodePattern.
	CodePattern *regexp.Regexp
	// Indicators read indicator texts; nil: DefaultIndicators.
	Indicators []Indicator
	// Offset is added to every coordinate: a drawing on a local false origin.
	Offset orb.Point
	// MarkerRadius is how far from a boundary marker its label may stand,
	// m; 0: 10 m.
	MarkerRadius float64
}

// Kinds of problem.
const (
	OpenOutline = "open"    // an open polyline or line on a lot (or area) layer
	NoCode      = "no-code" // a lot with no text that looks like a lot code
	ManyCodes   = "codes"   // a lot with several codes
	Overlap     = "overlap" // two lots cover the same ground
	Invalid     = "invalid" // an outline that crosses itself
	ClassClash  = "class"   // the same outline on layers of two classes
)

// Problem is something of the drawing that does not read as a plan.
type Problem struct {
	Kind   string
	Layer  string    // the CAD layer
	Handle string    // the entity's handle (an INSERT's for an entity of a block)
	Line   int       // the line of the DXF file
	At     orb.Point // where, in the drawing's coordinates (offset added)
	// Lots are the lots concerned, as indices of Result.Lots().
	Lots    []int
	Message string
}

// Place writes where a problem is: "line 3201 (handle 48) at E 444150.000 N 2430450.000".
func (p Problem) Place() string {
	var parts []string
	if p.Line > 0 {
		parts = append(parts, "line "+strconv.Itoa(p.Line))
	}
	if p.Handle != "" {
		parts = append(parts, "(handle "+p.Handle+")")
	}
	parts = append(parts, fmt.Sprintf("at E %.3f N %.3f", p.At[0], p.At[1]))
	return strings.Join(parts, " ")
}

func (p Problem) String() string { return p.Place() + ": " + p.Message }

// Mapping is what one CAD layer was read as.
type Mapping struct {
	Layer    string // the CAD layer
	Target   Target
	Via      string // "table", "catalogue", "tt16" (named like a TT 16 layer), "preset", or "" when it maps to nothing
	Entities int    // its entities (texts included, blocks expanded)
	Used     int    // those that became part of the plan (a text counts when it labels a lot or marker)
}

// Result is a drawing read as plan layers.
type Result struct {
	// Layers are the plan layers, lots (gis.LandUseLayer) first, in the
	// drawing's coordinates with the offset added. Lots with problems are
	// in it; Valid leaves them out.
	Layers   []gis.Layer
	Problems []Problem
	// Layers of the drawing in their order of first use, with what they
	// became; those with Via "" map to nothing (dimensions, frames, title
	// blocks), which is no problem.
	Mapping []Mapping
}

// Lots returns the land-use lots.
func (r *Result) Lots() []gis.Feature {
	if len(r.Layers) > 0 && r.Layers[0].Name == gis.LandUseLayer {
		return r.Layers[0].Features
	}
	return nil
}

// Valid returns the layers without the lots that problems name.
func (r *Result) Valid() []gis.Layer {
	bad := map[int]bool{}
	for _, p := range r.Problems {
		for _, i := range p.Lots {
			bad[i] = true
		}
	}
	out := slices.Clone(r.Layers)
	if len(bad) > 0 && len(out) > 0 && out[0].Name == gis.LandUseLayer {
		var keep []gis.Feature
		for i, f := range out[0].Features {
			if !bad[i] {
				keep = append(keep, f)
			}
		}
		out[0].Features = keep
	}
	return out
}

// shape is a closed outline of a lot layer.
type shape struct {
	poly   orb.Polygon
	class  string
	layer  string
	handle string
	line   int
	hatch  bool
	area   float64
	bound  orb.Bound
	holeOf int // index of the lot it was taken as a hole of, or -1
	// id and props come from this program's extended data (a drawing it
	// wrote): they are the lot's, whatever its texts say.
	id    string
	props map[string]any
}

// text is a text of the drawing.
type text struct {
	at    orb.Point
	lines []string
	layer string
}

type converter struct {
	r       Rules
	res     *Result
	mapping map[string]int // CAD layer → index in res.Mapping
	shapes  []shape
	texts   []text
	labels  []text // texts on marker layers
	others  map[string]*gis.Layer
	order   []string
	markers map[string][]int // layer → features that are markers
	codeRe  *regexp.Regexp
	inds    []Indicator
	seed    maphash.Seed
	byKey   map[uint64][]int // outline hash → shapes with it
}

// Convert reads a drawing as plan layers by the rules. The layers may
// share the drawing's coordinate slices. ctx stops the overlap check of a
// large drawing.
func Convert(ctx context.Context, d *dxf.Drawing, r Rules) (*Result, error) {
	c := NewConverter(r)
	for i := range d.Entities {
		c.Add(&d.Entities[i])
	}
	return c.Finish(ctx)
}

// Converter converts a drawing entity by entity, as dxf.Stream reads it,
// so that memory holds the plan, not the drawing.
type Converter struct{ c *converter }

// NewConverter starts a conversion by the rules.
func NewConverter(r Rules) *Converter {
	c := &converter{r: r, res: &Result{}, mapping: map[string]int{}, others: map[string]*gis.Layer{}, markers: map[string][]int{},
		seed: maphash.MakeSeed(), byKey: map[uint64][]int{}}
	c.codeRe = r.CodePattern
	if c.codeRe == nil {
		c.codeRe = regexp.MustCompile(DefaultCodePattern)
	}
	c.inds = r.Indicators
	if c.inds == nil {
		c.inds = DefaultIndicators
	}
	return &Converter{c}
}

// Add takes an entity; the conversion may keep its slices.
func (cv *Converter) Add(e *dxf.Entity) { cv.c.entity(e) }

// Finish makes the plan layers of the entities added.
func (cv *Converter) Finish(ctx context.Context) (*Result, error) {
	c := cv.c
	lots := c.lots()
	c.label(lots)
	if err := c.overlaps(ctx, lots); err != nil {
		return nil, err
	}
	c.res.Layers = append(c.res.Layers, gis.Layer{Name: gis.LandUseLayer, Features: lots})
	c.labelMarkers()
	slices.Sort(c.order)
	for _, name := range c.order {
		c.res.Layers = append(c.res.Layers, *c.others[name])
	}
	if len(lots) == 0 {
		c.res.Layers = c.res.Layers[1:]
	}
	slices.SortStableFunc(c.res.Problems, func(a, b Problem) int { return a.Line - b.Line })
	return c.res, nil
}

// resolve returns the mapping of a CAD layer, counting one more entity.
func (c *converter) resolve(layer string) *Mapping {
	if i, ok := c.mapping[layer]; ok {
		m := &c.res.Mapping[i]
		m.Entities++
		return m
	}
	m := Mapping{Layer: layer, Entities: 1}
	if t, ok := c.r.Table.Lookup(layer); ok {
		m.Target, m.Via = t, "table"
	} else if cl, ok := c.lookupClass(layer); ok {
		m.Target, m.Via = Target{Layer: gis.LandUseLayer, Class: cl.Code}, "catalogue"
	} else if k := gis.KindOfName(layer); k != "" && layer != gis.LandUseLayer {
		// A CAD layer named like a TT 16 layer is that layer (as this
		// program writes drawings).
		m.Target, m.Via = Target{Layer: layer}, "tt16"
	} else if t, ok := c.r.Presets.Lookup(layer); ok {
		m.Target, m.Via = t, "preset"
	}
	c.mapping[layer] = len(c.res.Mapping)
	c.res.Mapping = append(c.res.Mapping, m)
	return &c.res.Mapping[len(c.res.Mapping)-1]
}

func (c *converter) lookupClass(layer string) (landuse.Class, bool) {
	if c.r.Catalogue == nil {
		return landuse.Class{}, false
	}
	return c.r.Catalogue.Lookup(layer)
}

func (c *converter) pt(p orb.Point) orb.Point {
	return orb.Point{p[0] + c.r.Offset[0], p[1] + c.r.Offset[1]}
}

// path returns ps with the offset added: a copy, or ps itself when there is
// no offset (an entity's slices are the conversion's to keep).
func (c *converter) path(ps []orb.Point) []orb.Point {
	if c.r.Offset == (orb.Point{}) {
		return ps
	}
	out := make([]orb.Point, len(ps))
	for i, p := range ps {
		out[i] = c.pt(p)
	}
	return out
}

func (c *converter) problem(p Problem) { c.res.Problems = append(c.res.Problems, p) }

func isText(e *dxf.Entity) bool { return e.Type == "TEXT" || e.Type == "MTEXT" || e.Type == "ATTRIB" }

func (c *converter) entity(e *dxf.Entity) {
	m := c.resolve(e.Layer)
	if m.Target.Ignore {
		return
	}
	if isText(e) {
		var lines []string
		for _, l := range strings.Split(e.Text, "\n") {
			if l = strings.Join(strings.Fields(l), " "); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			return
		}
		t := text{at: c.pt(e.At), lines: lines, layer: e.Layer}
		if gis.KindOfName(m.Target.Layer) == gis.PointKind {
			c.labels = append(c.labels, t)
		} else {
			c.texts = append(c.texts, t)
		}
		return
	}
	if m.Via == "" {
		return
	}
	tg := m.Target
	closed := e.Closed && len(e.Path) >= 4
	switch kind := gis.KindOfName(tg.Layer); {
	case tg.Layer == gis.LandUseLayer || kind == gis.AreaKind:
		var polys []orb.Polygon
		switch {
		case e.Type == "HATCH":
			polys = gis.Nest(c.rings(e.Rings))
		case closed:
			polys = gis.Nest([]orb.Ring{orb.Ring(c.path(e.Path))})
		case len(e.Path) >= 2:
			c.problem(Problem{Kind: OpenOutline, Layer: e.Layer, Handle: e.Handle, Line: e.Line, At: c.pt(e.Path[0]),
				Message: fmt.Sprintf("open %s on layer %s, which holds %s: close it (or map the layer to a line layer)", e.Type, e.Layer, areaWhat(tg))})
			return
		default:
			return // points and inserts of a lot layer carry nothing
		}
		m.Used++
		id, props := entityData(e)
		for _, p := range polys {
			if tg.Layer != gis.LandUseLayer {
				c.other(tg.Layer).Features = append(c.other(tg.Layer).Features, feature(p, id, props))
				continue
			}
			c.addShape(shape{poly: p, class: tg.Class, layer: e.Layer, handle: e.Handle, line: e.Line,
				hatch: e.Type == "HATCH", area: gis.Area(p), bound: p.Bound(), holeOf: -1, id: id, props: props})
		}
	case kind == gis.LineKind:
		var g orb.Geometry
		switch {
		case len(e.Path) >= 2:
			g = orb.LineString(c.path(e.Path))
		case e.Type == "HATCH":
			var ml orb.MultiLineString
			for _, r := range c.rings(e.Rings) {
				ml = append(ml, orb.LineString(r))
			}
			if len(ml) == 0 {
				return
			}
			g = ml
		default:
			return
		}
		m.Used++
		id, props := entityData(e)
		c.other(tg.Layer).Features = append(c.other(tg.Layer).Features, feature(g, id, props))
	case kind == gis.PointKind:
		// A marker is a point, an INSERT (not the block's own lines) or a circle.
		if e.Block != "" && e.Type != "INSERT" || e.Type != "POINT" && e.Type != "INSERT" && e.Type != "CIRCLE" {
			return
		}
		m.Used++
		l := c.other(tg.Layer)
		c.markers[tg.Layer] = append(c.markers[tg.Layer], len(l.Features))
		id, props := entityData(e)
		l.Features = append(l.Features, feature(c.pt(e.At), id, props))
	}
}

func areaWhat(t Target) string {
	if t.Layer == gis.LandUseLayer {
		return "lots of class " + t.Class
	}
	return t.Layer + " areas"
}

func (c *converter) rings(rs []orb.Ring) []orb.Ring {
	out := make([]orb.Ring, len(rs))
	for i, r := range rs {
		out[i] = orb.Ring(c.path(r))
	}
	return out
}

func (c *converter) other(name string) *gis.Layer {
	l, ok := c.others[name]
	if !ok {
		l = &gis.Layer{Name: name}
		c.others[name] = l
		c.order = append(c.order, name)
	}
	return l
}

// lots makes the lots from the shapes (one per outline, see addShape): a
// shape inside another is an island, a hole of the one around it and a lot
// of its own.
func (c *converter) lots() []gis.Feature {
	keep := make([]int, len(c.shapes))
	for i := range keep {
		keep[i] = i
	}
	c.byKey = nil
	var tr rtree.RTreeG[int]
	for _, i := range keep {
		s := &c.shapes[i]
		tr.Insert(s.bound.Min, s.bound.Max, i)
	}
	// Islands: the smallest shape around a shape takes it as a hole.
	for _, i := range keep {
		s := &c.shapes[i]
		best := -1
		tr.Search(s.bound.Min, s.bound.Max, func(min, max [2]float64, j int) bool {
			o := &c.shapes[j]
			if j == i || o.area <= s.area || !o.bound.Contains(s.bound.Min) || !o.bound.Contains(s.bound.Max) {
				return true
			}
			if within(s.poly[0], o.poly) && (best < 0 || o.area < c.shapes[best].area) {
				best = j
			}
			return true
		})
		if best >= 0 {
			s.holeOf = best
		}
	}
	islands := map[int][]int{} // a shape → the shapes inside it
	for _, j := range keep {
		if h := c.shapes[j].holeOf; h >= 0 {
			islands[h] = append(islands[h], j)
		}
	}
	lots := make([]gis.Feature, 0, len(keep))
	for _, i := range keep {
		s := &c.shapes[i]
		poly := s.poly
		for _, j := range islands[i] {
			if h := &c.shapes[j]; !hasRing(poly, h.poly[0]) {
				poly = append(slices.Clone(poly), reversed(h.poly[0]))
			}
		}
		f := feature(poly, s.id, s.props)
		if s.props == nil {
			f.Properties["phanLoai"] = s.class
		}
		lots = append(lots, f)
	}
	c.shapes = pick(c.shapes, keep)
	return c.joinParts(lots)
}

// joinParts makes one multipolygon lot of the parts this program wrote
// of one (entities with the same id in their extended data).
func (c *converter) joinParts(lots []gis.Feature) []gis.Feature {
	first := map[string]int{}
	var out []gis.Feature
	var shapes []shape
	for i, f := range lots {
		if f.ID == "" {
			out, shapes = append(out, f), append(shapes, c.shapes[i])
			continue
		}
		j, ok := first[f.ID]
		if !ok {
			first[f.ID] = len(out)
			out, shapes = append(out, f), append(shapes, c.shapes[i])
			continue
		}
		mp := slices.Collect(gis.Polygons(out[j].Geometry))
		mp = append(mp, slices.Collect(gis.Polygons(f.Geometry))...)
		out[j].Geometry = orb.MultiPolygon(mp)
		shapes[j].area += c.shapes[i].area
		shapes[j].bound = shapes[j].bound.Union(c.shapes[i].bound)
	}
	c.shapes = shapes
	return out
}

func pick[T any](s []T, idx []int) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		out[k] = s[i]
	}
	return out
}

// addShape adds a lot's outline, or merges it into the one with the same
// outline (to 1 mm, any start, either direction) added before: a polyline
// and the hatch of its ring are one lot, the hatch's holes kept.
func (c *converter) addShape(s shape) {
	key := ringKey(c.seed, s.poly[0])
	for _, j := range c.byKey[key] {
		o := &c.shapes[j]
		if !sameRing(o.poly[0], s.poly[0]) {
			continue
		}
		if o.class != s.class {
			c.problem(Problem{Kind: ClassClash, Layer: s.layer, Handle: s.handle, Line: s.line, At: gis.InteriorPoint(s.poly),
				Message: fmt.Sprintf("the same outline is on layer %s (class %s) and layer %s (class %s)", o.layer, o.class, s.layer, s.class)})
		}
		if o.props == nil && s.props != nil {
			o.id, o.props = s.id, s.props
		}
		for _, h := range s.poly[1:] { // a hatch's holes
			if !hasRing(o.poly, h) {
				o.poly = append(o.poly, h)
			}
		}
		return
	}
	c.byKey[key] = append(c.byKey[key], len(c.shapes))
	c.shapes = append(c.shapes, s)
}

// ringKey hashes a ring's vertices rounded to 1 mm, in an order that does
// not depend on its start or direction: the sorted vertices.
func ringKey(seed maphash.Seed, r orb.Ring) uint64 {
	q := quantized(r)
	slices.SortFunc(q, func(a, b [2]int64) int {
		if a[0] != b[0] {
			return int(sign64(a[0] - b[0]))
		}
		return int(sign64(a[1] - b[1]))
	})
	var h maphash.Hash
	h.SetSeed(seed)
	var buf [16]byte
	for _, p := range q {
		for k := range 2 {
			for b := range 8 {
				buf[8*k+b] = byte(p[k] >> (8 * b))
			}
		}
		h.Write(buf[:])
	}
	return h.Sum64()
}

func sign64(v int64) int64 {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}

// quantized returns the ring's vertices rounded to 1 mm, without the
// closing one.
func quantized(r orb.Ring) [][2]int64 {
	n := len(r)
	if n > 1 && r[0] == r[n-1] {
		n--
	}
	q := make([][2]int64, n)
	for i := range n {
		q[i] = [2]int64{int64(math.Round(r[i][0] * 1000)), int64(math.Round(r[i][1] * 1000))}
	}
	return q
}

// sameRing reports whether two rings have the same vertices to 1 mm in
// the same cyclic order, in either direction.
func sameRing(a, b orb.Ring) bool {
	qa, qb := quantized(a), quantized(b)
	if len(qa) != len(qb) || len(qa) == 0 {
		return false
	}
	n := len(qa)
	for start := range n {
		if qb[start] != qa[0] {
			continue
		}
		fwd, back := true, true
		for k := range n {
			fwd = fwd && qa[k] == qb[(start+k)%n]
			back = back && qa[k] == qb[(start-k+n)%n]
		}
		if fwd || back {
			return true
		}
	}
	return false
}

func hasRing(p orb.Polygon, r orb.Ring) bool {
	for _, q := range p {
		if sameRing(q, r) {
			return true
		}
	}
	return false
}

func reversed(r orb.Ring) orb.Ring {
	c := slices.Clone(r)
	slices.Reverse(c)
	return c
}

// within reports whether ring r lies inside polygon p's shell (touching
// allowed) and in none of its holes: every vertex of r is inside or on the
// shell, and r's interior (a point just inside it) is inside p.
func within(r orb.Ring, p orb.Polygon) bool {
	for _, v := range r {
		if !planar.RingContains(p[0], v) && !onRing(p[0], v) {
			return false
		}
	}
	return planar.PolygonContains(p, gis.InteriorPoint(orb.Polygon{r}))
}

// onRing reports whether v lies on one of r's edges, to 1 mm.
func onRing(r orb.Ring, v orb.Point) bool {
	for i := 0; i+1 < len(r); i++ {
		if planar.DistanceFromSegment(r[i], r[i+1], v) < 1e-3 {
			return true
		}
	}
	return false
}

// label gives each lot the texts inside it: a code, indicators, a name.
func (c *converter) label(lots []gis.Feature) {
	var tr rtree.RTreeG[int]
	for i := range lots {
		b := c.shapes[i].bound
		tr.Insert(b.Min, b.Max, i)
	}
	codes := make([][]string, len(lots))
	names := make([][]string, len(lots))
	for _, t := range c.texts {
		in := -1
		tr.Search(t.at, t.at, func(min, max [2]float64, i int) bool {
			if contains(lots[i].Geometry, t.at) {
				in = i
				return false
			}
			return true
		})
		if in < 0 {
			continue
		}
		c.res.Mapping[c.mapping[t.layer]].Used++
		for _, line := range t.lines {
			if ind, ok := c.indicator(line); ok {
				for k, v := range ind {
					lots[in].Properties[k] = v
				}
				continue
			}
			if c.codeRe.MatchString(line) {
				if !slices.Contains(codes[in], line) {
					codes[in] = append(codes[in], line)
				}
				continue
			}
			names[in] = append(names[in], line)
		}
	}
	for i := range lots {
		s := &c.shapes[i]
		if s.props != nil {
			continue // this program's own lot: its data says it all
		}
		switch len(codes[i]) {
		case 0:
			c.problem(Problem{Kind: NoCode, Layer: s.layer, Handle: s.handle, Line: s.line, At: gis.InteriorPoint(s.poly), Lots: []int{i},
				Message: fmt.Sprintf("lot of class %s (%s on layer %s) has no text that looks like a lot code", s.class, strings.ToLower(typeOf(s)), s.layer)})
		case 1:
		default:
			c.problem(Problem{Kind: ManyCodes, Layer: s.layer, Handle: s.handle, Line: s.line, At: gis.InteriorPoint(s.poly), Lots: []int{i},
				Message: fmt.Sprintf("lot of class %s has several codes: %s", s.class, strings.Join(codes[i], ", "))})
		}
		if len(codes[i]) > 0 {
			lots[i].Properties["maDoiTuong"] = codes[i][0]
		}
		if len(names[i]) > 0 {
			lots[i].Properties["tenDoiTuong"] = strings.Join(names[i], " ")
		}
	}
}

// indicator reads a text line as indicators; an area label reads as
// none, so that it is not taken for a name.
func (c *converter) indicator(line string) (map[string]float64, bool) {
	if areaText.MatchString(line) {
		return map[string]float64{}, true // areas are computed, never read
	}
	m := readIndicator(c.inds, line)
	return m, m != nil
}

// areaText is an area label ("S = 1.234 m2", "DT: 0,85ha"): areas are
// computed, so such texts are neither names nor indicators.
var areaText = regexp.MustCompile(`(?i)^(?:S|DT|diện tích)\s*[:=]?\s*[\d.,]+\s*(?:m2|m²|ha)?$`)

func typeOf(s *shape) string {
	if s.hatch {
		return "hatch"
	}
	return "outline"
}

// overlaps lists lots that overlap, by the topology check's exact rule.
func (c *converter) overlaps(ctx context.Context, lots []gis.Feature) error {
	if len(lots) < 2 {
		return nil
	}
	// Without ids, the check names lots #n: their indices.
	anon := make([]gis.Feature, len(lots))
	for i, f := range lots {
		anon[i] = gis.Feature{Geometry: f.Geometry, Properties: f.Properties}
	}
	fs, err := topo.Check(ctx, anon, nil, topo.Options{})
	if err != nil {
		return err
	}
	for _, f := range fs {
		if f.Kind != topo.KindOverlap && f.Kind != topo.KindInvalid {
			continue
		}
		var idx []int
		for _, id := range f.IDs {
			if n, err := strconv.Atoi(strings.TrimPrefix(id, "#")); err == nil && n >= 1 && n <= len(lots) {
				idx = append(idx, n-1)
			}
		}
		if len(idx) == 0 {
			continue
		}
		s := &c.shapes[idx[0]]
		kind := Overlap
		if f.Kind == topo.KindInvalid {
			kind = Invalid
		}
		c.problem(Problem{Kind: kind, Layer: s.layer, Handle: s.handle, Line: s.line, At: f.At, Lots: idx, Message: f.Message})
	}
	return nil
}

// labelMarkers gives each boundary marker the nearest text of its layer.
func (c *converter) labelMarkers() {
	radius := c.r.MarkerRadius
	if radius <= 0 {
		radius = 10
	}
	for _, t := range c.labels {
		m := c.resolve(t.layer)
		m.Entities-- // resolve counted it again
		best, bestD := -1, radius
		l := c.others[m.Target.Layer]
		if l == nil {
			continue
		}
		for _, i := range c.markers[m.Target.Layer] {
			p := l.Features[i].Geometry.(orb.Point)
			if d := math.Hypot(p[0]-t.at[0], p[1]-t.at[1]); d <= bestD {
				best, bestD = i, d
			}
		}
		if best >= 0 {
			l.Features[best].Properties["maDoiTuong"] = strings.Join(t.lines, " ")
			m.Used++
		}
	}
}

// entityData reads the id and properties this program wrote into an
// entity's extended data (see dxf.Out.Data).
func entityData(e *dxf.Entity) (string, map[string]any) {
	var id string
	var props map[string]any
	for _, d := range e.Data {
		k, v, _ := strings.Cut(d, "=")
		switch k {
		case "id":
			id = v
		case "props":
			if err := json.Unmarshal([]byte(v), &props); err != nil {
				props = nil
			}
		}
	}
	return id, props
}

// feature makes a feature; props are copied.
func feature(g orb.Geometry, id string, props map[string]any) gis.Feature {
	f := gis.Feature{ID: id, Geometry: g, Properties: make(map[string]any, len(props)+4)}
	for k, v := range props {
		f.Properties[k] = v
	}
	return f
}

// contains reports whether a lot's polygon or multipolygon holds p.
func contains(g orb.Geometry, p orb.Point) bool {
	for poly := range gis.Polygons(g) {
		if planar.PolygonContains(poly, p) {
			return true
		}
	}
	return false
}
