package gis

import (
	"fmt"
	"iter"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
)

// Rings of the fixture: a square with a hole, and a triangle.
var (
	testShell    = orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	testHole     = orb.Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}
	testTriangle = orb.Ring{{20, 0}, {30, 0}, {30, 10}, {20, 0}}
	testBound    = orb.Bound{Min: orb.Point{1, 2}, Max: orb.Point{3, 4}}
)

// allGeometries holds every orb geometry type, nil, the empty ones and
// empty members, as orb's own AllGeometries does, with what the walkers
// make of each.
var allGeometries = []struct {
	name      string
	g         orb.Geometry
	paths     []Path
	polygons  []orb.Polygon
	polygonal bool
}{
	{name: "nil"},
	{name: "point", g: orb.Point{1, 2}, paths: []Path{{Points, []orb.Point{{1, 2}}}}},
	{name: "empty multipoint", g: orb.MultiPoint{}},
	{name: "multipoint", g: orb.MultiPoint{{1, 2}, {3, 4}}, paths: []Path{{Points, []orb.Point{{1, 2}, {3, 4}}}}},
	{name: "empty linestring", g: orb.LineString{}},
	{name: "linestring", g: orb.LineString{{1, 2}, {3, 4}}, paths: []Path{{Line, []orb.Point{{1, 2}, {3, 4}}}}},
	{name: "empty multilinestring", g: orb.MultiLineString{}},
	{
		name:  "multilinestring with an empty line",
		g:     orb.MultiLineString{{{1, 2}, {3, 4}}, {}, {{5, 6}, {7, 8}}},
		paths: []Path{{Line, []orb.Point{{1, 2}, {3, 4}}}, {Line, []orb.Point{{5, 6}, {7, 8}}}},
	},
	{name: "empty ring", g: orb.Ring{}},
	{name: "ring", g: testTriangle, paths: []Path{{Shell, testTriangle}}, polygons: []orb.Polygon{{testTriangle}}},
	{name: "empty polygon", g: orb.Polygon{}, polygonal: true},
	{
		name:      "polygon with a hole",
		g:         orb.Polygon{testShell, testHole},
		paths:     []Path{{Shell, testShell}, {Hole, testHole}},
		polygons:  []orb.Polygon{{testShell, testHole}},
		polygonal: true,
	},
	{
		// An empty shell is still the shell: what follows are holes.
		name:      "polygon with an empty shell",
		g:         orb.Polygon{{}, testHole},
		paths:     []Path{{Hole, testHole}},
		polygons:  []orb.Polygon{{{}, testHole}},
		polygonal: true,
	},
	{name: "empty multipolygon", g: orb.MultiPolygon{}, polygonal: true},
	{
		name:      "multipolygon with an empty part",
		g:         orb.MultiPolygon{{testTriangle}, {}, {testShell, testHole}},
		paths:     []Path{{Shell, testTriangle}, {Shell, testShell}, {Hole, testHole}},
		polygons:  []orb.Polygon{{testTriangle}, {testShell, testHole}},
		polygonal: true,
	},
	{name: "empty collection", g: orb.Collection{}},
	{
		name: "nested collection",
		g: orb.Collection{
			orb.Point{1, 2},
			nil,
			orb.Collection{orb.LineString{{1, 2}, {3, 4}}, orb.Polygon{testShell, testHole}, orb.Collection{}},
			orb.MultiPolygon{{testTriangle}},
			testBound,
		},
		paths: []Path{
			{Points, []orb.Point{{1, 2}}},
			{Line, []orb.Point{{1, 2}, {3, 4}}},
			{Shell, testShell}, {Hole, testHole},
			{Shell, testTriangle},
			{Shell, testBound.ToRing()},
		},
		polygons: []orb.Polygon{{testShell, testHole}, {testTriangle}, testBound.ToPolygon()},
	},
	{name: "bound", g: testBound, paths: []Path{{Shell, testBound.ToRing()}}, polygons: []orb.Polygon{testBound.ToPolygon()}},
}

// TestFixtureHasEveryType keeps allGeometries complete: every geometry type
// orb defines is in it.
func TestFixtureHasEveryType(t *testing.T) {
	have := map[reflect.Type]bool{}
	for _, tc := range allGeometries {
		have[reflect.TypeOf(tc.g)] = true
	}
	for _, g := range []orb.Geometry{orb.Point{}, orb.MultiPoint{}, orb.LineString{}, orb.MultiLineString{},
		orb.Ring{}, orb.Polygon{}, orb.MultiPolygon{}, orb.Collection{}, orb.Bound{}} {
		if !have[reflect.TypeOf(g)] {
			t.Errorf("no %T in allGeometries", g)
		}
	}
}

// collect ranges over seq, stopping after stop values when stop >= 0.
func collect[V any](seq iter.Seq[V], stop int) []V {
	var out []V
	for v := range seq {
		if len(out) == stop {
			break
		}
		out = append(out, v)
	}
	return out
}

// pathsEqual compares kinds and positions; nil and empty lists are equal.
func pathsEqual(a, b []Path) bool {
	return sameEach(a, b, func(x, y Path) bool { return x.Kind == y.Kind && reflect.DeepEqual(x.Points, y.Points) })
}

func polygonsEqual(a, b []orb.Polygon) bool {
	return sameEach(a, b, func(x, y orb.Polygon) bool { return orb.Equal(x, y) })
}

// checkWalk ranges over seq to the end and, to check early stops (break in
// the range), stopping after each value.
func checkWalk[V any](t *testing.T, seq iter.Seq[V], want []V, equal func(a, b []V) bool) {
	t.Helper()
	if got := collect(seq, -1); !equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for stop := range len(want) {
		if got := collect(seq, stop); !equal(got, want[:stop]) {
			t.Errorf("stop after %d: got %v, want %v", stop, got, want[:stop])
		}
	}
}

func TestPaths(t *testing.T) {
	for _, tc := range allGeometries {
		t.Run(tc.name, func(t *testing.T) { checkWalk(t, Paths(tc.g), tc.paths, pathsEqual) })
	}
}

// TestPathsAlias: a path is the geometry's own slice, so a caller may
// change positions in place (as geojson.Orient does).
func TestPathsAlias(t *testing.T) {
	p := orb.Polygon{orb.Clone(testShell).(orb.Ring), orb.Clone(testHole).(orb.Ring)}
	for path := range Paths(p) {
		path.Points[0][0] += 100
	}
	if p[0][0][0] != 100 || p[1][0][0] != 102 {
		t.Errorf("positions not changed in place: %v", p)
	}
}

func TestPathKindClosed(t *testing.T) {
	for k, want := range map[PathKind]bool{Points: false, Line: false, Shell: true, Hole: true} {
		if got := k.Closed(); got != want {
			t.Errorf("%d.Closed(): got %v, want %v", k, got, want)
		}
	}
}

func TestPolygons(t *testing.T) {
	for _, tc := range allGeometries {
		t.Run(tc.name, func(t *testing.T) { checkWalk(t, Polygons(tc.g), tc.polygons, polygonsEqual) })
	}
}

func TestPolygonal(t *testing.T) {
	for _, tc := range allGeometries {
		if got := Polygonal(tc.g); got != tc.polygonal {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.polygonal)
		}
	}
}

func TestBoundary(t *testing.T) {
	// Each geometry alone: its polygons as a multipolygon, or nil.
	for _, tc := range allGeometries {
		t.Run(tc.name, func(t *testing.T) {
			got := Boundary([]Feature{{Geometry: tc.g}})
			if len(tc.polygons) == 0 {
				if got != nil {
					t.Errorf("got %v, want nil", got)
				}
				return
			}
			if mp, ok := got.(orb.MultiPolygon); !ok || !polygonsEqual(mp, tc.polygons) {
				t.Errorf("got %#v, want the multipolygon of %v", got, tc.polygons)
			}
		})
	}
	// All of them together, in order.
	var fs []Feature
	var want orb.MultiPolygon
	for _, tc := range allGeometries {
		fs = append(fs, Feature{ID: tc.name, Geometry: tc.g})
		want = append(want, tc.polygons...)
	}
	if got, ok := Boundary(fs).(orb.MultiPolygon); !ok || !polygonsEqual(got, want) {
		t.Errorf("all geometries: got %v, want %v", got, want)
	}
	if got := Boundary(nil); got != nil {
		t.Errorf("no features: got %v, want nil", got)
	}
}

func ExamplePaths() {
	lot := orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
		{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}},
	}
	for p := range Paths(orb.Collection{lot, orb.LineString{{0, 0}, {5, 5}}}) {
		fmt.Println(p.Kind.Closed(), len(p.Points))
	}
	// Output:
	// true 5
	// true 5
	// false 2
}
