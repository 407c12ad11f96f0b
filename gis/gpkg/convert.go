package gpkg

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/twpayne/go-geom"
)

// The one place orb geometries (the program's model) and go-geom ones (for
// its WKB encoder) are converted; both directions are 2D.

func coords(ps []orb.Point) []geom.Coord {
	out := make([]geom.Coord, len(ps))
	for i, p := range ps {
		out[i] = geom.Coord{p[0], p[1]}
	}
	return out
}

func rings(rs []orb.Ring) [][]geom.Coord {
	out := make([][]geom.Coord, len(rs))
	for i, r := range rs {
		out[i] = coords(r)
	}
	return out
}

func toGeom(g orb.Geometry) (geom.T, error) {
	switch g := g.(type) {
	case orb.Point:
		return geom.NewPointFlat(geom.XY, []float64{g[0], g[1]}), nil
	case orb.MultiPoint:
		return geom.NewMultiPoint(geom.XY).MustSetCoords(coords(g)), nil
	case orb.LineString:
		return geom.NewLineString(geom.XY).MustSetCoords(coords(g)), nil
	case orb.MultiLineString:
		ls := make([][]geom.Coord, len(g))
		for i, l := range g {
			ls[i] = coords(l)
		}
		return geom.NewMultiLineString(geom.XY).MustSetCoords(ls), nil
	case orb.Ring:
		return geom.NewPolygon(geom.XY).MustSetCoords([][]geom.Coord{coords(g)}), nil
	case orb.Polygon:
		return geom.NewPolygon(geom.XY).MustSetCoords(rings(g)), nil
	case orb.MultiPolygon:
		ps := make([][][]geom.Coord, len(g))
		for i, p := range g {
			ps[i] = rings(p)
		}
		return geom.NewMultiPolygon(geom.XY).MustSetCoords(ps), nil
	case orb.Bound:
		return toGeom(g.ToPolygon())
	case orb.Collection:
		c := geom.NewGeometryCollection()
		for _, sub := range g {
			t, err := toGeom(sub)
			if err != nil {
				return nil, err
			}
			if err := c.Push(t); err != nil {
				return nil, err
			}
		}
		return c, nil
	}
	return nil, fmt.Errorf("gpkg: unsupported geometry %T", g)
}

func points(cs []geom.Coord) []orb.Point {
	out := make([]orb.Point, len(cs))
	for i, c := range cs {
		out[i] = orb.Point{c.X(), c.Y()}
	}
	return out
}

func polygon(rs [][]geom.Coord) orb.Polygon {
	out := make(orb.Polygon, len(rs))
	for i, r := range rs {
		out[i] = orb.Ring(points(r))
	}
	return out
}

func fromGeom(t geom.T) (orb.Geometry, error) {
	switch t := t.(type) {
	case *geom.Point:
		return orb.Point{t.X(), t.Y()}, nil
	case *geom.MultiPoint:
		return orb.MultiPoint(points(t.Coords())), nil
	case *geom.LineString:
		return orb.LineString(points(t.Coords())), nil
	case *geom.MultiLineString:
		var out orb.MultiLineString
		for _, l := range t.Coords() {
			out = append(out, points(l))
		}
		return out, nil
	case *geom.Polygon:
		return polygon(t.Coords()), nil
	case *geom.MultiPolygon:
		var out orb.MultiPolygon
		for _, p := range t.Coords() {
			out = append(out, polygon(p))
		}
		return out, nil
	case *geom.GeometryCollection:
		var out orb.Collection
		for _, sub := range t.Geoms() {
			g, err := fromGeom(sub)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	}
	return nil, fmt.Errorf("gpkg: unsupported geometry %T", t)
}
