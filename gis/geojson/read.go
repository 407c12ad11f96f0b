package geojson

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"quyhoach/gis"
	"quyhoach/gis/crs"
)

// The GeoJSON layer of the reader: type-directed decoding of the objects
// RFC 7946 defines, on top of the JSON scanner in scan.go. Non-fatal problems
// are recorded and reading goes on, so one pass reports all of them.

// maxCollectionDepth bounds GeometryCollections inside GeometryCollections.
const maxCollectionDepth = 8

type gtype uint8

const (
	gNone gtype = iota
	gPoint
	gMultiPoint
	gLineString
	gMultiLineString
	gPolygon
	gMultiPolygon
	gCollection
)

func geometryType(s string) gtype {
	switch s {
	case "Point":
		return gPoint
	case "MultiPoint":
		return gMultiPoint
	case "LineString":
		return gLineString
	case "MultiLineString":
		return gMultiLineString
	case "Polygon":
		return gPolygon
	case "MultiPolygon":
		return gMultiPolygon
	case "GeometryCollection":
		return gCollection
	}
	return gNone
}

// Member bits, to find missing and repeated members.
const (
	mType uint16 = 1 << iota
	mFeatures
	mCRS
	mID
	mGeometry
	mProperties
	mCoordinates
	mGeometries
)

// What the top-level object is, for the paths of the final checks.
const (
	topCollection = iota
	topFeature
	topGeometry
)

var bom = []byte("\xef\xbb\xbf")

// msgUTF16 refuses a file saved as UTF-16 (as some Windows editors do):
// GeoJSON is UTF-8 (RFC 8259).
const msgUTF16 = "UTF-16 file: save it as UTF-8"

// decode reads a whole input: r, or data when r is nil. single asks for one
// Feature or geometry.
func decode(r io.Reader, size int64, data []byte, opt Options, single bool) (*Collection, error) {
	p := newParser(opt)
	defer p.release()
	p.single = single
	p.skipGeometry = opt.skipGeometry
	if r != nil {
		p.r, p.size = r, size
		if opt.MaxBytes > 0 {
			p.r = io.LimitReader(r, opt.MaxBytes+1)
		}
	} else {
		p.data, p.eof = data, true
	}
	c := &Collection{CRS: crs.WGS84}
	if opt.CRS != 0 {
		c.CRS = opt.CRS
	}
	var top int
	ok := p.run(func() {
		if p.ensure(2) && (bytes.HasPrefix(p.data[p.pos:], []byte{0xff, 0xfe}) || bytes.HasPrefix(p.data[p.pos:], []byte{0xfe, 0xff})) {
			p.fatal(msgUTF16)
		}
		if p.ensure(len(bom)) && bytes.HasPrefix(p.data[p.pos:], bom) {
			p.pos += len(bom)
			p.col = -1 // the mark is not a character of line 1
		}
		top = p.top(c)
	})
	if p.ioErr != nil {
		return nil, fmt.Errorf("geojson: read: %w", p.ioErr)
	}
	if p.eachErr != nil {
		return nil, p.eachErr
	}
	if ok {
		p.run(func() { p.finish(c, top) })
	}
	if len(p.problems) > 0 {
		return nil, &Error{Problems: p.problems}
	}
	return c, nil
}

// run calls fn and reports whether it finished without a fatal problem.
func (p *parser) run(fn func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, is := r.(abort); !is {
				panic(r)
			}
			ok = false
		}
	}()
	fn()
	return true
}

// top decodes the whole input and says what it held.
func (p *parser) top(c *Collection) int {
	if c := p.next(); c != '{' {
		kind := kindOf(c)
		if kind == "" {
			p.unexpected("looking for beginning of value")
		}
		p.skipValue()
		p.end()
		p.problemf("the file holds %s, want a GeoJSON object", kind)
		return topCollection
	}
	typ, kind, seen := p.peekType()
	top := topCollection
	switch gt := geometryType(typ); {
	case p.single && typ == "FeatureCollection":
		p.problem("the text holds a FeatureCollection, want a single Feature")
		p.skipValue()
	case typ == "FeatureCollection" || kind == "" && seen&mFeatures != 0:
		p.collection(c)
	case typ == "Feature" || kind == "" && seen&(mGeometry|mProperties) != 0:
		top = topFeature
		p.feature = 0
		c.Features = append(c.Features, p.featureObject(c, true))
		p.handAll(c)
	case gt != gNone:
		top = topGeometry
		p.feature = 0
		n := len(p.problems)
		g := p.geometryObject(gt, 0, c)
		if p.opt.RequireGeometry && g == nil && len(p.problems) == n {
			p.problem("the geometry is empty")
		}
		c.Features = append(c.Features, gis.Feature{Geometry: g, Properties: map[string]any{}})
		p.handAll(c)
	case kind == "":
		p.problem(`missing member "type"; not GeoJSON`)
		p.skipValue()
	default:
		p.pushKey("type")
		if kind != "a string" {
			p.problemf("type is %s, want a string", kind)
		} else {
			p.problemf("unknown type %q, want FeatureCollection, Feature or a geometry type", typ)
		}
		p.pop()
		p.skipValue()
	}
	p.feature = -1
	p.end()
	if p.single && len(c.Features) == 0 && len(p.problems) == 0 {
		p.problem("the text holds no Feature")
	}
	return top
}

// end checks that only white space follows the top-level value.
func (p *parser) end() {
	p.next()
	if p.pos < len(p.data) || p.ensure(1) {
		p.unexpected("after top-level value")
	}
}

// peekType looks ahead in the object at p.pos for its "type" member without
// consuming anything. It returns the type, the JSON kind of its value ("" when
// there is no such member) and which other members it passed on the way.
func (p *parser) peekType() (typ, kind string, seen uint16) {
	p.mark = p.pos // the window keeps the object from mark on
	depth := p.depth
	defer func() { p.pos, p.depth, p.mark = p.mark, depth, -1 }()
	if !p.beginObject() {
		return "", "", 0
	}
	for {
		switch string(p.key()) {
		case "type":
			c := p.next()
			if c == '"' {
				return string(p.readString(false)), "a string", seen
			}
			kind := kindOf(c)
			if kind == "" {
				p.unexpected("looking for beginning of value")
			}
			return "", kind, seen
		case "features":
			seen |= mFeatures
		case "geometry":
			seen |= mGeometry
		case "properties":
			seen |= mProperties
		}
		p.skipValue()
		if !p.moreMembers() {
			return "", "", seen
		}
	}
}

// once reports whether the member name is met for the first time; a
// repeated member is a problem and is skipped.
func (p *parser) once(seen *uint16, bit uint16, name string) bool {
	if *seen&bit == 0 {
		*seen |= bit
		return true
	}
	p.pushKey(name)
	p.problemf("duplicate member %q", name)
	p.pop()
	p.skipValue()
	return false
}

// typeMember checks the value of a "type" member.
func (p *parser) typeMember(want string) {
	p.pushKey("type")
	if p.next() != '"' {
		p.wrongType("type", "a string")
	} else if s := p.readString(false); string(s) != want {
		p.problemf("type is %q, want %q", s, want)
	}
	p.pop()
}

func (p *parser) missing(seen, bit uint16, name string) {
	if seen&bit == 0 {
		p.problemf("missing member %q", name)
	}
}

// collection decodes a FeatureCollection object.
func (p *parser) collection(c *Collection) {
	var seen uint16
	if p.beginObject() {
		for {
			switch string(p.key()) {
			case "type":
				if p.once(&seen, mType, "type") {
					p.typeMember("FeatureCollection")
				}
			case "features":
				if p.once(&seen, mFeatures, "features") {
					p.pushKey("features")
					p.features(c)
					p.pop()
				}
			case "crs":
				if p.once(&seen, mCRS, "crs") {
					p.crsMember(c)
				}
			default:
				p.skipValue()
			}
			if !p.moreMembers() {
				break
			}
		}
	}
	p.missing(seen, mType, "type")
	p.missing(seen, mFeatures, "features")
}

// features decodes the array of a FeatureCollection.
func (p *parser) features(c *Collection) {
	if p.next() != '[' {
		p.wrongType("features", "an array")
		return
	}
	if !p.beginArray() {
		return
	}
	p.pushIdx(0)
	for i := 0; ; i++ {
		p.setIdx(i)
		if i >= p.opt.MaxFeatures {
			p.feature = -1
			p.fatal(fmt.Sprintf("more than %d features (Options.MaxFeatures); stopped reading", p.opt.MaxFeatures))
		}
		p.feature = i
		p.streamed = true
		if p.next() == '{' {
			p.featStart = p.base + int64(p.pos)
			f := p.featureObject(c, false)
			if p.base+int64(p.pos)-p.featStart > p.opt.MaxFeatureBytes {
				p.featureTooLarge()
			}
			p.featStart = -1
			if p.opt.Each != nil {
				p.hand(c, i, f)
			} else {
				c.Features = append(c.Features, f)
			}
		} else {
			p.wrongType("feature", "an object")
			c.Features = append(c.Features, gis.Feature{})
		}
		if !p.moreElements() {
			break
		}
	}
	p.feature = -1
	p.pop()
}

// handAll streams the one feature of a file that is a Feature or a geometry.
func (p *parser) handAll(c *Collection) {
	if p.opt.Each == nil {
		return
	}
	for i, f := range c.Features {
		p.hand(c, i, f)
	}
	c.Features = nil
}

// hand gives a streamed feature to Options.Each once it is checked as
// finish checks a whole file: range (when geographic) and orientation.
func (p *parser) hand(c *Collection, i int, f gis.Feature) {
	if f.Geometry != nil && c.CRS.Geographic() && !p.crsBad {
		var rc rangeCheck
		path := append(strconv.AppendInt([]byte("features["), int64(i), 10), "].geometry"...)
		rc.geometry(f.Geometry, path)
		if rc.count > 0 {
			p.add(Problem{Feature: i, Path: rc.path, Msg: rc.message()})
		}
	}
	if len(p.problems) > 0 {
		return // the file is refused at the end: hand nothing more
	}
	Orient(f.Geometry)
	if err := p.opt.Each(i, f, c.CRS); err != nil {
		p.eachErr = err
		panic(abort{})
	}
}

// featureObject decodes the Feature object at p.pos; top says it is the
// whole file, where a "crs" member counts.
func (p *parser) featureObject(c *Collection, top bool) gis.Feature {
	p.vertices, p.overVertices = 0, false
	var f gis.Feature
	var seen uint16
	geomOK := true
	if p.beginObject() {
		for {
			switch string(p.key()) {
			case "type":
				if p.once(&seen, mType, "type") {
					p.typeMember("Feature")
				}
			case "id":
				if p.once(&seen, mID, "id") {
					p.pushKey("id")
					f.ID = p.id()
					p.pop()
				}
			case "geometry":
				if p.once(&seen, mGeometry, "geometry") {
					if p.skipGeometry {
						p.skipValue()
						break
					}
					p.pushKey("geometry")
					f.Geometry, geomOK = p.geometry(0, nil)
					p.pop()
				}
			case "properties":
				if p.once(&seen, mProperties, "properties") {
					p.pushKey("properties")
					f.Properties = p.properties()
					p.pop()
				}
			case "crs":
				if top && p.once(&seen, mCRS, "crs") {
					p.crsMember(c)
				} else if !top {
					p.skipValue()
				}
			default:
				p.skipValue()
			}
			if !p.moreMembers() {
				break
			}
		}
	}
	p.missing(seen, mType, "type")
	if f.Properties == nil {
		f.Properties = map[string]any{}
	}
	if p.opt.RequireGeometry && f.Geometry == nil && geomOK {
		p.pushKey("geometry")
		p.problem("the feature has no geometry (null or empty)")
		p.pop()
	}
	if f.ID != "" {
		if p.ids == nil {
			p.ids = make(map[string]int)
		}
		if first, dup := p.ids[f.ID]; dup {
			p.pushKey("id")
			p.problemf("duplicate id %q (also feature %d)", f.ID, first)
			p.pop()
		} else {
			p.ids[f.ID] = p.feature
		}
	}
	return f
}

// id decodes a feature id: a string, or a number written as its shortest
// decimal form ("17", "2.5").
func (p *parser) id() string {
	switch c := p.next(); {
	case c == '"':
		return string(p.readString(true))
	case c == '-' || isDigit(c):
		s, _, _, _ := p.scanNumber()
		if isInteger(s) && !bytes.Equal(s, []byte("-0")) {
			return string(s) // exact, even beyond 2^53
		}
		v, err := strconv.ParseFloat(string(s), 64)
		if err != nil {
			p.problemf("number %s is out of range", s)
		}
		if v == 0 {
			v = 0 // no -0
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	p.wrongType("id", "a string or number")
	return ""
}

func isInteger(s []byte) bool {
	for i, c := range s {
		if !isDigit(c) && !(i == 0 && c == '-') {
			return false
		}
	}
	return true
}

// properties decodes a properties member: an object, or null for none.
func (p *parser) properties() map[string]any {
	switch p.next() {
	case 'n':
		p.literal("null")
		return map[string]any{}
	case '{':
		m := make(map[string]any, p.propHint)
		p.members(m)
		p.propHint = len(m)
		return m
	}
	p.wrongType("properties", "an object or null")
	return nil
}

// crsMember decodes the legacy (GeoJSON 2008) "crs" member.
func (p *parser) crsMember(c *Collection) {
	if p.opt.Each != nil && p.streamed {
		p.fatal(`the "crs" member comes after the features; a file read feature by feature needs it first (or give the CRS and drop the member)`)
	}
	p.pushKey("crs")
	n := len(p.problems)
	defer func() {
		p.pop()
		if len(p.problems) > n {
			p.crsBad = true // the coordinates cannot be judged
		}
	}()
	switch p.next() {
	case 'n':
		p.literal("null")
		return
	case '{':
	default:
		p.wrongType("crs", "an object or null")
		return
	}
	m := map[string]any{}
	p.members(m)
	props, _ := m["properties"].(map[string]any)
	var name string
	switch t := m["type"].(type) {
	case string:
		switch t {
		case "name":
			s, ok := props["name"].(string)
			if !ok {
				p.problem(`crs has no string member "properties"."name"`)
				return
			}
			name = s
		case "EPSG":
			code, ok := props["code"].(float64)
			if !ok {
				p.problem(`crs has no number member "properties"."code"`)
				return
			}
			name = "EPSG:" + strconv.FormatFloat(code, 'f', -1, 64)
		default:
			p.problemf("crs of type %q is not supported; name the CRS, e.g. urn:ogc:def:crs:EPSG::9215", t)
			return
		}
	default:
		p.problem(`crs has no string member "type"`)
		return
	}
	code, err := crs.Parse(name)
	if err != nil {
		p.problem(err.Error())
		return
	}
	c.CRS = code
}

// geometry decodes a geometry member: an object, or null for none. It
// reports whether the geometry was free of problems; nil with true is a
// null or empty geometry.
func (p *parser) geometry(depth int, c *Collection) (orb.Geometry, bool) {
	switch p.next() {
	case 'n':
		p.literal("null")
		return nil, true
	case '{':
	default:
		p.wrongType("geometry", "an object or null")
		return nil, false
	}
	n := len(p.problems)
	typ, kind, _ := p.peekType()
	gt := geometryType(typ)
	if gt == gNone {
		switch {
		case kind == "":
			p.problem(`missing member "type"`)
		case kind != "a string":
			p.pushKey("type")
			p.problemf("type is %s, want a string", kind)
			p.pop()
		default:
			p.pushKey("type")
			p.problemf("unknown geometry type %q", typ)
			p.pop()
		}
		p.skipValue()
		return nil, false
	}
	g := p.geometryObject(gt, depth, c)
	return g, len(p.problems) == n
}

// geometryObject decodes the geometry object at p.pos whose type is gt. With
// c, the object is the whole file and a "crs" member counts.
func (p *parser) geometryObject(gt gtype, depth int, c *Collection) orb.Geometry {
	var g orb.Geometry
	var seen uint16
	if p.beginObject() {
		for {
			switch string(p.key()) {
			case "type":
				if p.once(&seen, mType, "type") {
					p.skipValue() // checked by peekType
				}
			case "coordinates":
				if gt != gCollection && p.once(&seen, mCoordinates, "coordinates") {
					p.pushKey("coordinates")
					g = p.coordinates(gt)
					p.pop()
				} else if gt == gCollection {
					p.skipValue()
				}
			case "geometries":
				if gt == gCollection && p.once(&seen, mGeometries, "geometries") {
					p.pushKey("geometries")
					g = p.geometries(depth)
					p.pop()
				} else if gt != gCollection {
					p.skipValue()
				}
			case "crs":
				if c != nil && p.once(&seen, mCRS, "crs") {
					p.crsMember(c)
				} else if c == nil {
					p.skipValue()
				}
			default:
				p.skipValue()
			}
			if !p.moreMembers() {
				break
			}
		}
	}
	if gt == gCollection {
		p.missing(seen, mGeometries, "geometries")
	} else {
		p.missing(seen, mCoordinates, "coordinates")
	}
	return g
}

// coordinates decodes a coordinates member for geometry type gt; an empty
// array is an empty geometry and gives nil.
func (p *parser) coordinates(gt gtype) orb.Geometry {
	if p.next() != '[' {
		p.wrongType("coordinates", "an array")
		return nil
	}
	if p.isEmptyArray() {
		return nil
	}
	switch gt {
	case gPoint:
		return p.position()
	case gMultiPoint:
		return orb.MultiPoint(p.points("coordinates"))
	case gLineString:
		return p.line()
	case gMultiLineString:
		return orb.MultiLineString(list(p, "coordinates", p.line))
	case gPolygon:
		return orb.Polygon(list(p, "coordinates", p.ring))
	case gMultiPolygon:
		return orb.MultiPolygon(list(p, "coordinates", p.polygon))
	}
	panic("geojson: unreachable")
}

// geometries decodes the member array of a GeometryCollection.
func (p *parser) geometries(depth int) orb.Geometry {
	if depth >= maxCollectionDepth {
		p.problemf("GeometryCollections nested more than %d deep", maxCollectionDepth)
		p.skipValue()
		return nil
	}
	coll := list(p, "geometries", func() orb.Geometry {
		g, ok := p.geometry(depth+1, nil)
		if ok && g == nil {
			p.problem("null or empty geometry inside a GeometryCollection")
		}
		return g
	})
	if len(coll) == 0 {
		return nil
	}
	return orb.Collection(coll)
}

// list decodes an array (called what) whose elements decode with elem.
func list[T any](p *parser, what string, elem func() T) []T {
	if p.next() != '[' {
		p.wrongType(what, "an array")
		return nil
	}
	var out []T
	if p.beginArray() {
		p.pushIdx(0)
		for i := 0; ; i++ {
			p.setIdx(i)
			out = append(out, elem())
			if !p.moreElements() {
				break
			}
		}
		p.pop()
	}
	return out
}

func (p *parser) polygon() orb.Polygon {
	if p.isEmptyArray() {
		p.problem("polygon has no rings")
		return nil
	}
	return orb.Polygon(list(p, "polygon", p.ring))
}

func (p *parser) ring() orb.Ring {
	n := len(p.problems)
	r := orb.Ring(p.points("ring"))
	if len(p.problems) > n || p.overVertices {
		return r
	}
	switch {
	case len(r) < 4:
		p.problemf("ring has %s, want at least 4", plural(len(r), "position"))
	case r[0] != r[len(r)-1]:
		p.problem("ring not closed")
	}
	return r
}

func (p *parser) line() orb.LineString {
	n := len(p.problems)
	l := orb.LineString(p.points("line"))
	if len(p.problems) == n && !p.overVertices && len(l) < 2 {
		p.problemf("line has %s, want at least 2", plural(len(l), "position"))
	}
	return l
}

// points decodes an array of positions into a slice cut from the shared slab.
func (p *parser) points(what string) []orb.Point {
	if p.next() != '[' {
		p.wrongType(what, "an array")
		return nil
	}
	pts := p.pts[:0]
	if p.beginArray() {
		p.pushIdx(0)
		for i := 0; ; i++ {
			p.setIdx(i)
			pt := p.position()
			if !p.overVertices {
				pts = append(pts, pt)
			}
			if !p.moreElements() {
				break
			}
		}
		p.pop()
	}
	p.pts = pts
	return p.keep(pts)
}

// keep copies pts into the slab, a large array shared by many position lists,
// and returns the copy with its capacity clipped, so appending to it cannot
// overwrite a neighbour.
func (p *parser) keep(pts []orb.Point) []orb.Point {
	if len(pts) == 0 {
		return nil
	}
	if len(p.slab)+len(pts) > cap(p.slab) {
		// A position takes at least 6 bytes ("[0,0],"), so the rest of the
		// input bounds how many more can come: small inputs get small slabs.
		n := min(slabPoints, int64(len(pts))+p.remaining()/6)
		p.slab = make([]orb.Point, 0, max(int(n), len(pts)))
	}
	n := len(p.slab)
	p.slab = append(p.slab, pts...)
	return p.slab[n:len(p.slab):len(p.slab)]
}

// position decodes one position [x, y] or [x, y, z]; z is dropped.
func (p *parser) position() orb.Point {
	var pt orb.Point
	if p.next() != '[' {
		p.wrongType("position", "an array")
		return pt
	}
	p.pos++
	n, bad := 0, false
	if p.next() == ']' {
		p.pos++
	} else {
		for {
			if c := p.next(); c == '-' || isDigit(c) {
				v := p.number()
				if n < 2 {
					pt[n] = v
				}
			} else {
				p.pushIdx(n)
				p.wrongType("coordinate", "a number")
				p.pop()
				bad = true
			}
			n++
			c := p.next()
			if c == ',' {
				p.pos++
				continue
			}
			if c == ']' {
				p.pos++
				break
			}
			p.unexpected("after array element")
		}
	}
	if !bad && (n < 2 || n > 3) {
		p.problemf("position has %s, want 2 or 3", plural(n, "number"))
	}
	p.vertices++
	if p.vertices > p.opt.MaxVertices && !p.overVertices {
		p.overVertices = true
		p.problemf("feature has more than %d positions (Options.MaxVertices)", p.opt.MaxVertices)
	}
	return pt
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// finish runs the checks that need the whole file (the "crs" member may come
// last): lon/lat ranges, then, for a clean file, ring orientation.
func (p *parser) finish(c *Collection, top int) {
	if c.CRS.Geographic() && !p.crsBad {
		var found []Problem
		var path []byte
		for i, f := range c.Features {
			if f.Geometry == nil {
				continue
			}
			switch top {
			case topCollection:
				path = append(strconv.AppendInt(append(path[:0], "features["...), int64(i), 10), "].geometry"...)
			case topFeature:
				path = append(path[:0], "geometry"...)
			default:
				path = path[:0]
			}
			var rc rangeCheck
			rc.geometry(f.Geometry, path)
			if rc.count > 0 {
				found = append(found, Problem{Feature: i, Path: rc.path, Msg: rc.message()})
			}
		}
		p.merge(found)
	}
	if len(p.problems) > 0 {
		return
	}
	for _, f := range c.Features {
		Orient(f.Geometry)
	}
}

// merge adds late problems, sorted by feature, after the problems of the
// same feature found while reading; file-level problems stay where they are.
func (p *parser) merge(late []Problem) {
	if len(late) == 0 {
		return
	}
	all := make([]Problem, 0, len(p.problems)+len(late))
	for _, pr := range p.problems {
		for len(late) > 0 && pr.Feature >= 0 && late[0].Feature < pr.Feature {
			all = append(all, late[0])
			late = late[1:]
		}
		all = append(all, pr)
	}
	all = append(all, late...)
	if len(all) > maxProblems {
		all = append(all[:maxProblems], Problem{Feature: -1,
			Msg: fmt.Sprintf("more than %d problems; stopped reading", maxProblems)})
	}
	p.problems = all
}

// rangeCheck finds positions outside lon/lat range and keeps the first.
type rangeCheck struct {
	count int
	first orb.Point
	path  string
}

func (rc *rangeCheck) message() string {
	x, y := rc.first[0], rc.first[1]
	msg := fmt.Sprintf("position (%s, %s) is outside longitude/latitude range",
		strconv.FormatFloat(x, 'f', -1, 64), strconv.FormatFloat(y, 'f', -1, 64))
	if rc.count > 1 {
		msg += fmt.Sprintf(", as are %d more", rc.count-1)
	}
	if math.Abs(x) > 1000 || math.Abs(y) > 1000 {
		msg += `; projected coordinates need a "crs" member such as urn:ogc:def:crs:EPSG::9215`
	}
	return msg
}

func appendIndex(b []byte, i int) []byte {
	return append(strconv.AppendInt(append(b, '['), int64(i), 10), ']')
}

func (rc *rangeCheck) geometry(g orb.Geometry, path []byte) {
	coords := append(path, ".coordinates"...)
	switch g := g.(type) {
	case orb.Point:
		rc.points([]orb.Point{g}, coords, false)
	case orb.MultiPoint:
		rc.points(g, coords, true)
	case orb.LineString:
		rc.points(g, coords, true)
	case orb.MultiLineString:
		for i, l := range g {
			rc.points(l, appendIndex(coords, i), true)
		}
	case orb.Polygon:
		for i, r := range g {
			rc.points(r, appendIndex(coords, i), true)
		}
	case orb.MultiPolygon:
		for i, poly := range g {
			pi := appendIndex(coords, i)
			for j, r := range poly {
				rc.points(r, appendIndex(pi, j), true)
			}
		}
	case orb.Collection:
		geoms := append(path, ".geometries"...)
		for i, m := range g {
			rc.geometry(m, appendIndex(geoms, i))
		}
	}
}

func (rc *rangeCheck) points(pts []orb.Point, path []byte, indexed bool) {
	for i, pt := range pts {
		if pt[0] >= -180 && pt[0] <= 180 && pt[1] >= -90 && pt[1] <= 90 {
			continue
		}
		if rc.count == 0 {
			rc.first = pt
			if indexed {
				path = appendIndex(path, i)
			}
			rc.path = string(bytes.TrimPrefix(path, []byte(".")))
		}
		rc.count++
	}
}

// Orient turns the rings of g's polygons (gis.Polygons: a lone Ring is a
// shell) the RFC 7946 way, in place: exterior rings counter-clockwise, holes
// clockwise. Read does it; other readers (the GeoPackage importer) call it
// so stored bodies are oriented alike.
func Orient(g orb.Geometry) {
	for poly := range gis.Polygons(g) {
		orientPolygon(poly)
	}
}

func orientPolygon(poly orb.Polygon) {
	for i, r := range poly {
		a := signedArea(r)
		if i == 0 && a < 0 || i > 0 && a > 0 {
			r.Reverse()
		}
	}
}

// signedArea returns twice the shoelace area of the closed ring r, positive
// when r runs counter-clockwise. Coordinates are taken relative to the first
// vertex so that large projected values do not eat the precision. The terms
// are added in pairs from both ends, so a reversed ring gives exactly the
// negated sum and normalising twice changes nothing.
func signedArea(r orb.Ring) float64 {
	n := len(r) - 1 // edges
	if n < 2 {
		return 0
	}
	x0, y0 := r[0][0], r[0][1]
	term := func(j int) float64 {
		ax, ay := r[j][0]-x0, r[j][1]-y0
		bx, by := r[j+1][0]-x0, r[j+1][1]-y0
		return float64(ax*by) - float64(bx*ay) // no fused multiply-add
	}
	var s float64
	for i, j := 0, n-1; i <= j; i, j = i+1, j-1 {
		if i == j {
			s += term(i)
		} else {
			s += term(i) + term(j)
		}
	}
	return s
}
