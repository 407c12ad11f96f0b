package edit

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func square() orb.Polygon {
	return orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}
}

func TestMoveVertexKeepsRingClosed(t *testing.T) {
	for _, idx := range []int{0, 4} { // the first corner, named by either end
		g := MoveVertex(square(), Vertex{0, idx}, orb.Point{-1, -1}).(orb.Polygon)
		if g[0][0] != (orb.Point{-1, -1}) || g[0][4] != (orb.Point{-1, -1}) {
			t.Errorf("index %d: ring %v not closed on the moved corner", idx, g[0])
		}
	}
	orig := square()
	MoveVertex(orig, Vertex{0, 1}, orb.Point{20, 0})
	if orig[0][1] != (orb.Point{10, 0}) {
		t.Error("MoveVertex changed its input")
	}
	g := MoveVertex(orig, Vertex{0, 2}, orb.Point{20, 20}).(orb.Polygon)
	if got := planar.Area(g); got != 200 {
		t.Errorf("area after moving a corner: %v, want 200", got)
	}
}

func TestInsertAndDeleteVertex(t *testing.T) {
	g := InsertVertex(square(), 0, 0, orb.Point{5, -2}).(orb.Polygon)
	if len(g[0]) != 6 || g[0][1] != (orb.Point{5, -2}) {
		t.Fatalf("insert: %v", g[0])
	}
	back, err := DeleteVertex(g, Vertex{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	if !orb.Equal(back, square()) {
		t.Errorf("delete after insert: %v, want the square", back)
	}
	first, err := DeleteVertex(square(), Vertex{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	r := first.(orb.Polygon)[0]
	if len(r) != 4 || r[0] != r[3] || r[0] != (orb.Point{10, 0}) {
		t.Errorf("deleting the first corner: %v", r)
	}
	tri := orb.Polygon{{{0, 0}, {1, 0}, {0, 1}, {0, 0}}}
	if _, err := DeleteVertex(tri, Vertex{0, 1}); !errors.Is(err, ErrTooFew) {
		t.Errorf("triangle corner deleted: %v", err)
	}
	line := orb.LineString{{0, 0}, {1, 1}}
	if _, err := DeleteVertex(line, Vertex{0, 0}); !errors.Is(err, ErrTooFew) {
		t.Errorf("2-point line shortened: %v", err)
	}
	pts := orb.MultiPoint{{0, 0}, {1, 1}}
	if got, err := DeleteVertex(pts, Vertex{0, 0}); err != nil || len(got.(orb.MultiPoint)) != 1 {
		t.Errorf("multipoint: %v %v", got, err)
	}
}

func TestVerticesHoleAndMulti(t *testing.T) {
	mp := orb.MultiPolygon{
		{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}},
		{{{20, 0}, {30, 0}, {30, 10}, {20, 0}}},
	}
	vs := VerticesAt(mp, orb.Point{2, 4}, 0.001)
	if len(vs) != 1 || vs[0] != (Vertex{1, 1}) {
		t.Fatalf("hole vertex: %v", vs)
	}
	if vs := VerticesAt(mp, orb.Point{0, 0}, 0.001); len(vs) != 1 {
		t.Errorf("the closing position is not a vertex of its own: %v", vs)
	}
	moved := MoveVertex(mp, Vertex{2, 2}, orb.Point{25, 12}).(orb.MultiPolygon)
	if p, _ := VertexAt(moved, Vertex{2, 2}); p != (orb.Point{25, 12}) {
		t.Errorf("vertex of the second part: %v", p)
	}
	if _, ok := VertexAt(mp, Vertex{5, 0}); ok {
		t.Error("a vertex past the last path was found")
	}
	tr := Translate(mp, 1, 2).(orb.MultiPolygon)
	if tr[1][0][0] != (orb.Point{21, 2}) || tr[0][1][0] != (orb.Point{3, 4}) {
		t.Errorf("translate: %v", tr)
	}
	if math.Abs(planar.Area(tr)-planar.Area(mp)) > 1e-9 {
		t.Error("translate changed the area")
	}
}

func TestPolygon(t *testing.T) {
	if _, err := Polygon(orb.LineString{{0, 0}, {1, 1}}); err == nil {
		t.Error("a line taken for an area")
	}
	if _, err := Polygon(orb.MultiPolygon{square(), square()}); err == nil {
		t.Error("a two-part lot taken for one polygon")
	}
	if p, err := Polygon(orb.MultiPolygon{square()}); err != nil || len(p[0]) != 5 {
		t.Errorf("one-part multipolygon: %v %v", p, err)
	}
}

func TestSnapTo(t *testing.T) {
	cands := []Candidate{
		{"a", square()},
		{"b", orb.LineString{{0, 20}, {10, 20}}},
	}
	// the corner wins over an edge that is nearer
	s := SnapTo(orb.Point{10.4, 1.0}, 1.5, cands)
	if s.Kind != ToVertex || s.Point != (orb.Point{10, 0}) || s.Feature != "a" {
		t.Errorf("vertex snap: %+v", s)
	}
	s = SnapTo(orb.Point{5, 20.3}, 0.5, cands)
	if s.Kind != ToEdge || s.Point != (orb.Point{5, 20}) || s.Feature != "b" {
		t.Errorf("edge snap: %+v", s)
	}
	s = SnapTo(orb.Point{5, 15}, 0.5, cands)
	if s.Kind != NoSnap || s.Point != (orb.Point{5, 15}) {
		t.Errorf("nothing near: %+v", s)
	}
	path, after, at, d := NearestEdge(square(), orb.Point{11, 5})
	if path != 0 || after != 1 || at != (orb.Point{10, 5}) || d != 1 {
		t.Errorf("nearest edge: %d %d %v %v", path, after, at, d)
	}
}
