package gis

import (
	"iter"

	"github.com/paulmach/orb"
)

// PathKind says what a run of positions is within its geometry.
type PathKind uint8

// Kinds of path.
const (
	Points PathKind = iota // the positions of a Point or MultiPoint (not connected)
	Line                   // a LineString, or a line of a MultiLineString
	Shell                  // the outer ring of a polygon (or a lone Ring)
	Hole                   // an inner ring of a polygon
)

// Closed reports whether a path of this kind is a ring.
func (k PathKind) Closed() bool { return k == Shell || k == Hole }

// Path is one run of positions of a geometry: a line, a ring, or the
// points of a (multi)point. Points aliases the geometry's own slice.
type Path struct {
	Kind   PathKind
	Points []orb.Point
}

// Paths walks every run of positions of g depth first, in order: the rings
// of each polygon (shell, then holes), the lines of a multiline, the members
// of a collection. A Bound is walked as its ring. nil and empty geometries
// yield nothing. It is the one walker over orb geometries; code that needs
// every vertex or segment ranges over it instead of switching on types.
func Paths(g orb.Geometry) iter.Seq[Path] {
	return func(yield func(Path) bool) { walkPaths(g, yield) }
}

func walkPaths(g orb.Geometry, yield func(Path) bool) bool {
	switch g := g.(type) {
	case orb.Point:
		return yield(Path{Points, []orb.Point{g}})
	case orb.MultiPoint:
		return len(g) == 0 || yield(Path{Points, g})
	case orb.LineString:
		return len(g) == 0 || yield(Path{Line, g})
	case orb.MultiLineString:
		for _, l := range g {
			if len(l) > 0 && !yield(Path{Line, l}) {
				return false
			}
		}
	case orb.Ring:
		return len(g) == 0 || yield(Path{Shell, g})
	case orb.Bound:
		return yield(Path{Shell, g.ToRing()})
	case orb.Polygon:
		for i, r := range g {
			k := Shell
			if i > 0 {
				k = Hole
			}
			if len(r) > 0 && !yield(Path{k, r}) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !walkPaths(p, yield) {
				return false
			}
		}
	case orb.Collection:
		for _, sub := range g {
			if !walkPaths(sub, yield) {
				return false
			}
		}
	}
	return true
}

// Polygons walks the polygons of g: a Polygon, each of a MultiPolygon, a
// Ring or Bound as a one-ring polygon, the polygons of a collection's
// members. Points and lines yield nothing.
func Polygons(g orb.Geometry) iter.Seq[orb.Polygon] {
	return func(yield func(orb.Polygon) bool) { walkPolygons(g, yield) }
}

func walkPolygons(g orb.Geometry, yield func(orb.Polygon) bool) bool {
	switch g := g.(type) {
	case orb.Polygon:
		return len(g) == 0 || yield(g)
	case orb.MultiPolygon:
		for _, p := range g {
			if len(p) > 0 && !yield(p) {
				return false
			}
		}
	case orb.Ring:
		return len(g) == 0 || yield(orb.Polygon{g})
	case orb.Bound:
		return yield(orb.Polygon{g.ToRing()})
	case orb.Collection:
		for _, sub := range g {
			if !walkPolygons(sub, yield) {
				return false
			}
		}
	}
	return true
}

// Polygonal reports whether g is an area: a Polygon or MultiPolygon (nil,
// points and lines are not).
func Polygonal(g orb.Geometry) bool {
	switch g.(type) {
	case orb.Polygon, orb.MultiPolygon:
		return true
	}
	return false
}

// Boundary is the plan boundary as one geometry: the polygons of the given
// features (those of the RanhGioiQuyHoach_A layer) as a MultiPolygon, or nil
// when they hold none.
func Boundary(fs []Feature) orb.Geometry {
	var mp orb.MultiPolygon
	for _, f := range fs {
		for p := range Polygons(f.Geometry) {
			mp = append(mp, p)
		}
	}
	if len(mp) == 0 {
		return nil
	}
	return mp
}

// Meeting lists the features whose bound meets b, in order (a linear scan:
// for a few lists; an index serves many queries).
func Meeting(fs []Feature, b orb.Bound) []Feature {
	var out []Feature
	for _, f := range fs {
		if f.Geometry != nil && f.Geometry.Bound().Intersects(b) {
			out = append(out, f)
		}
	}
	return out
}
