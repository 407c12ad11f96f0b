package topo

import (
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"quyhoach/gis"
)

// a lot in the grid: an L-shaped 60 × 40 m plot with a 20 × 20 m notch
var lLot = orb.Polygon{{{440000, 2420000}, {440060, 2420000}, {440060, 2420020}, {440040, 2420020}, {440040, 2420040}, {440000, 2420040}, {440000, 2420000}}}

func TestSplitByALine(t *testing.T) {
	parts, err := Split(lLot, orb.LineString{{440030, 2420010}, {440030, 2420030}}) // a short line inside: extended
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	a, b := gis.Area(parts[0]), gis.Area(parts[1])
	if math.Abs(a+b-gis.Area(lLot)) > AreaTolerance || math.Abs(math.Min(a, b)-800) > 1e-6 || math.Abs(math.Max(a, b)-1200) > 1e-6 {
		t.Fatalf("parts %v + %v m², lot %v", a, b, gis.Area(lLot))
	}
	// the two parts share the cut: the topology check finds no gap or overlap
	lots := []gis.Feature{{ID: "a", Geometry: parts[0], Properties: map[string]any{}}, {ID: "b", Geometry: parts[1], Properties: map[string]any{}}}
	if f, err := Check(t.Context(), lots, lLot, Options{}); err != nil || len(f) != 0 {
		t.Fatalf("check of the parts: %v %v", f, err)
	}
	// a line that cuts through the notch makes three parts
	parts, err = Split(lLot, orb.LineString{{440000, 2420030}, {440060, 2420010}})
	if err != nil || len(parts) < 2 {
		t.Fatalf("diagonal cut: %d parts, %v", len(parts), err)
	}
	if _, err := Split(lLot, orb.LineString{{441000, 2420000}, {441000, 2420040}}); err != ErrNoCut {
		t.Fatalf("a line beside the lot: %v", err)
	}
}

func TestSplitEqualAndGivenAreas(t *testing.T) {
	// across the bottom side (vertex 0 → 1): cuts perpendicular to it
	parts, err := SplitEqual(lLot, 0, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	want := gis.Area(lLot) / 3
	for i, p := range parts {
		if math.Abs(gis.Area(p)-want) > AreaTolerance {
			t.Errorf("part %d: %v m², want %v", i, gis.Area(p), want)
		}
		// every part keeps frontage on the bottom side (y = 2420000)
		touches := false
		for _, q := range p[0] {
			touches = touches || q[1] == 2420000
		}
		if !touches {
			t.Errorf("part %d lost its frontage", i)
		}
	}
	// given areas, the last "the rest"
	parts, err = SplitAreas(lLot, 0, []float64{500, 700, 0})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(gis.Area(parts[0])-500) > AreaTolerance || math.Abs(gis.Area(parts[1])-700) > AreaTolerance ||
		math.Abs(gis.Area(parts[2])-(gis.Area(lLot)-1200)) > AreaTolerance {
		t.Fatalf("areas %v %v %v", gis.Area(parts[0]), gis.Area(parts[1]), gis.Area(parts[2]))
	}
	if _, err := SplitAreas(lLot, 0, []float64{500, 600}); err == nil || !strings.Contains(err.Error(), "add up to") {
		t.Fatalf("areas not adding up: %v", err)
	}
	if _, err := SplitEqual(lLot, 9, 2); err == nil {
		t.Fatal("a side that is not an edge")
	}
}

func TestMerge(t *testing.T) {
	parts, err := SplitEqual(lLot, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Merge(parts)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(gis.Area(m)-gis.Area(lLot)) > AreaTolerance || Validate(m) != nil {
		t.Fatalf("merged %v m², lot %v", gis.Area(m), gis.Area(lLot))
	}
	far := orb.Polygon{{{450000, 2420000}, {450010, 2420000}, {450010, 2420010}, {450000, 2420000}}}
	if _, err := Merge([]orb.Polygon{lLot, far}); err == nil || !strings.Contains(err.Error(), "not neighbours") {
		t.Fatalf("merging lots apart: %v", err)
	}
}

func BenchmarkSplitEqual(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := SplitEqual(lLot, 0, 4); err != nil {
			b.Fatal(err)
		}
	}
}
