// Package edit is the geometry of the officer's editing gestures that need
// no overlay: vertices moved, inserted and deleted, whole features moved,
// snapping to neighbours, and the typed input surveyors use (VN-2000 X/Y,
// distance and grid bearing, coordinate tables). Geometry is in the plan's
// grid, EPSG:9215 metres; cuts and merges are topo's.
package edit

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// Vertex names a vertex of a geometry: the path it is on, numbered as
// gis.Paths walks them, and its index in the path. The closing position of
// a ring is not a vertex of its own: it follows the first.
type Vertex struct {
	Path, Index int
}

// ErrTooFew is a deletion that would leave a ring or line too short.
var ErrTooFew = errors.New("a ring keeps 3 vertices, a line 2")

// reshape rebuilds g with each path replaced by what fn returns for it.
func reshape(g orb.Geometry, fn func(path int, kind gis.PathKind, pts []orb.Point) []orb.Point) orb.Geometry {
	path := 0
	next := func(kind gis.PathKind, pts []orb.Point) []orb.Point {
		out := fn(path, kind, pts)
		path++
		return out
	}
	var walk func(g orb.Geometry) orb.Geometry
	walk = func(g orb.Geometry) orb.Geometry {
		switch g := g.(type) {
		case orb.Point:
			return orb.Point(next(gis.Points, []orb.Point{g})[0])
		case orb.MultiPoint:
			return orb.MultiPoint(next(gis.Points, g))
		case orb.LineString:
			return orb.LineString(next(gis.Line, g))
		case orb.MultiLineString:
			out := make(orb.MultiLineString, len(g))
			for i, l := range g {
				out[i] = orb.LineString(next(gis.Line, l))
			}
			return out
		case orb.Ring:
			return orb.Ring(next(gis.Shell, g))
		case orb.Polygon:
			out := make(orb.Polygon, len(g))
			for i, r := range g {
				k := gis.Shell
				if i > 0 {
					k = gis.Hole
				}
				out[i] = orb.Ring(next(k, r))
			}
			return out
		case orb.MultiPolygon:
			out := make(orb.MultiPolygon, len(g))
			for i, p := range g {
				out[i] = walk(p).(orb.Polygon)
			}
			return out
		case orb.Collection:
			out := make(orb.Collection, len(g))
			for i, s := range g {
				out[i] = walk(s)
			}
			return out
		}
		return g
	}
	return walk(g)
}

// MoveVertex returns g with vertex v at to (the ring stays closed).
func MoveVertex(g orb.Geometry, v Vertex, to orb.Point) orb.Geometry {
	return reshape(g, func(path int, kind gis.PathKind, pts []orb.Point) []orb.Point {
		out := append([]orb.Point(nil), pts...)
		if path != v.Path || v.Index < 0 || v.Index >= len(out) {
			return out
		}
		out[v.Index] = to
		if kind.Closed() && len(out) > 1 {
			switch v.Index {
			case 0:
				out[len(out)-1] = to
			case len(out) - 1:
				out[0] = to
			}
		}
		return out
	})
}

// InsertVertex returns g with a vertex at p inserted after vertex
// (path, after): on the edge from it to the next one.
func InsertVertex(g orb.Geometry, path, after int, p orb.Point) orb.Geometry {
	return reshape(g, func(i int, kind gis.PathKind, pts []orb.Point) []orb.Point {
		if i != path || after < 0 || after >= len(pts)-1 || kind == gis.Points {
			return append([]orb.Point(nil), pts...)
		}
		out := make([]orb.Point, 0, len(pts)+1)
		out = append(out, pts[:after+1]...)
		out = append(out, p)
		return append(out, pts[after+1:]...)
	})
}

// DeleteVertex returns g without vertex v; a ring keeps at least 3
// vertices, a line 2.
func DeleteVertex(g orb.Geometry, v Vertex) (orb.Geometry, error) {
	var err error
	out := reshape(g, func(path int, kind gis.PathKind, pts []orb.Point) []orb.Point {
		cp := append([]orb.Point(nil), pts...)
		if path != v.Path || v.Index < 0 || v.Index >= len(cp) {
			return cp
		}
		switch {
		case kind.Closed():
			if len(cp)-1 <= 3 {
				err = ErrTooFew
				return cp
			}
			if v.Index == 0 || v.Index == len(cp)-1 {
				cp = cp[1 : len(cp)-1]
				return append(cp, cp[0])
			}
		case kind == gis.Line && len(cp) <= 2:
			err = ErrTooFew
			return cp
		}
		return append(cp[:v.Index], cp[v.Index+1:]...)
	})
	return out, err
}

// Translate returns g moved by (dx, dy).
func Translate(g orb.Geometry, dx, dy float64) orb.Geometry {
	return reshape(g, func(_ int, _ gis.PathKind, pts []orb.Point) []orb.Point {
		out := make([]orb.Point, len(pts))
		for i, q := range pts {
			out[i] = orb.Point{q[0] + dx, q[1] + dy}
		}
		return out
	})
}

// VertexAt returns the position of vertex v of g.
func VertexAt(g orb.Geometry, v Vertex) (orb.Point, bool) {
	i := 0
	for p := range gis.Paths(g) {
		if i == v.Path {
			if v.Index >= 0 && v.Index < len(p.Points) {
				return p.Points[v.Index], true
			}
			return orb.Point{}, false
		}
		i++
	}
	return orb.Point{}, false
}

// VerticesAt lists the vertices of g lying at p (within tol): the shared
// corner of a ring is one vertex, its closing position is not listed.
func VerticesAt(g orb.Geometry, p orb.Point, tol float64) []Vertex {
	var out []Vertex
	i := 0
	for path := range gis.Paths(g) {
		n := len(path.Points)
		if path.Kind.Closed() && n > 1 {
			n-- // the closing position
		}
		for k := 0; k < n; k++ {
			q := path.Points[k]
			if abs(q[0]-p[0]) <= tol && abs(q[1]-p[1]) <= tol {
				out = append(out, Vertex{i, k})
			}
		}
		i++
	}
	return out
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}

// Polygon is the polygon a lot's geometry is (the largest part of a
// multipolygon is refused: edit a multipolygon part by part).
func Polygon(g orb.Geometry) (orb.Polygon, error) {
	switch g := g.(type) {
	case orb.Polygon:
		return g, nil
	case orb.MultiPolygon:
		if len(g) == 1 {
			return g[0], nil
		}
		return nil, fmt.Errorf("the lot is in %d parts: this needs a lot of one part", len(g))
	}
	return nil, fmt.Errorf("the feature is a %s, not an area", geometryType(g))
}

func geometryType(g orb.Geometry) string {
	if g == nil {
		return "feature without geometry"
	}
	return g.GeoJSONType()
}
